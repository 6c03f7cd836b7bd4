// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* diskstats.c - parse /proc/diskstats (major minor name, then counters). */
#include <string.h>

#include "sources.h"

#define COUNTERS 11	/* up to time_in_queue; discard/flush columns ignored */

int rsc_parse_diskstats(const char *buf, size_t len, struct rsc_disk_list *out, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end;

	out->n = 0;
	out->dropped = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		const char *p = line, *tok, *name;
		size_t tlen, name_len;
		uint64_t major, minor, v[COUNTERS];
		unsigned int ncols, bad;
		struct rsc_disk *d;
		int rc;

		if (!rsc_token(&p, end, &tok, &tlen))
			continue;	/* blank line */
		if (rsc_parse_u64(tok, tlen, 10, &major) || major > UINT32_MAX ||
		    !rsc_token(&p, end, &tok, &tlen) ||
		    rsc_parse_u64(tok, tlen, 10, &minor) || minor > UINT32_MAX) {
			rsc_perr_add(err, lines.lineno, "bad major/minor");
			continue;
		}
		rc = rsc_name_numbers(p, end, 0, 10, &name, &name_len, v, COUNTERS, &ncols, &bad);
		if (rc) {
			rsc_perr_add(err, lines.lineno, "column %u: %s", bad + 4, rsc_parse_strerror(rc));
			continue;
		}
		if (ncols < COUNTERS) {
			rsc_perr_add(err, lines.lineno, "%u counters, expected at least %u", ncols, COUNTERS);
			continue;
		}
		if (name_len >= RSC_NAME_MAX || memchr(name, '\0', name_len)) {
			rsc_perr_add(err, lines.lineno, "device name longer than %d", RSC_NAME_MAX - 1);
			continue;
		}
		if (out->n >= out->cap) {
			out->dropped++;
			continue;
		}
		d = &out->v[out->n];
		rsc_copy_token(d->name, sizeof(d->name), name, name_len);
		d->major = (uint32_t)major;
		d->minor = (uint32_t)minor;
		d->rd_ios = v[0];
		d->rd_merges = v[1];
		d->rd_sectors = v[2];
		d->rd_ticks = v[3];
		d->wr_ios = v[4];
		d->wr_merges = v[5];
		d->wr_sectors = v[6];
		d->wr_ticks = v[7];
		d->in_flight = v[8];
		d->io_ticks = v[9];
		d->time_in_queue = v[10];
		out->n++;
	}
	return (int)err->count;
}
