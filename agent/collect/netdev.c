// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* netdev.c - parse /proc/net/dev: per-interface byte, packet, error, drop counters. */
#include <string.h>

#include "sources.h"

#define COUNTERS 16	/* 8 receive, 8 transmit */

int rsc_parse_netdev(const char *buf, size_t len, struct rsc_nic_list *out, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end, *name;
	size_t name_len;

	out->n = 0;
	out->dropped = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		uint64_t v[COUNTERS];
		unsigned int ncols, bad;
		struct rsc_nic *nic;
		int rc;

		if (memchr(line, '|', (size_t)(end - line)))
			continue;	/* the two header lines */
		if (line == end)
			continue;
		rc = rsc_name_numbers(line, end, ':', 10, &name, &name_len, v, COUNTERS, &ncols, &bad);
		if (rc) {
			rsc_perr_add(err, lines.lineno, "%s%s", rc == -3 ? "no 'name:'" : "",
				     rc == -3 ? "" : rsc_parse_strerror(rc));
			continue;
		}
		if (ncols < COUNTERS) {
			rsc_perr_add(err, lines.lineno, "%u counters, expected %u", ncols, COUNTERS);
			continue;
		}
		if (name_len >= RSC_NAME_MAX || memchr(name, '\0', name_len)) {
			rsc_perr_add(err, lines.lineno, "interface name longer than %d", RSC_NAME_MAX - 1);
			continue;
		}
		if (out->n >= out->cap) {
			out->dropped++;
			continue;
		}
		nic = &out->v[out->n];
		rsc_copy_token(nic->name, sizeof(nic->name), name, name_len);
		nic->rx_bytes = v[0];
		nic->rx_packets = v[1];
		nic->rx_errs = v[2];
		nic->rx_dropped = v[3];
		nic->tx_bytes = v[8];
		nic->tx_packets = v[9];
		nic->tx_errs = v[10];
		nic->tx_dropped = v[11];
		out->n++;
	}
	return (int)err->count;
}
