// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* softirqs.c - parse /proc/softirqs: RCU, TIMER, SCHED, NET_RX per CPU. */
#include <stddef.h>
#include <string.h>

#include "sources.h"

#define NOT_KEPT ((size_t)-1)

/* Offset of the row's counter in struct rsc_cpu_extra, or NOT_KEPT. */
static size_t row_offset(const char *name, size_t len)
{
	if (rsc_token_is(name, len, "RCU"))
		return offsetof(struct rsc_cpu_extra, rcu);
	if (rsc_token_is(name, len, "TIMER"))
		return offsetof(struct rsc_cpu_extra, timer);
	if (rsc_token_is(name, len, "SCHED"))
		return offsetof(struct rsc_cpu_extra, sched);
	if (rsc_token_is(name, len, "NET_RX"))
		return offsetof(struct rsc_cpu_extra, net_rx);
	return NOT_KEPT;
}

/* Next "CPUn" of the header; -1 at the end, -2 if malformed. */
static int64_t header_cpu(const char **hp, const char *hend)
{
	const char *tok;
	size_t len;
	uint64_t cpu;

	if (!rsc_token(hp, hend, &tok, &len))
		return -1;
	if (len < 4 || memcmp(tok, "CPU", 3) != 0 ||
	    rsc_parse_u64(tok + 3, len - 3, 10, &cpu) || cpu > UINT32_MAX)
		return -2;
	return (int64_t)cpu;
}

int rsc_parse_softirqs(const char *buf, size_t len, struct rsc_cpu_extra *cpus,
		       unsigned int cap, unsigned int *dropped, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end, *hdr = NULL, *hdr_end = NULL;

	*dropped = 0;
	rsc_lines_init(&lines, buf, len);
	if (!rsc_lines_next(&lines, &hdr, &hdr_end) || !memchr(hdr, 'C', (size_t)(hdr_end - hdr))) {
		rsc_perr_add(err, 1, "no CPU header");
		return -1;
	}
	while (rsc_lines_next(&lines, &line, &end)) {
		const char *colon = memchr(line, ':', (size_t)(end - line));
		const char *name, *p, *hp = hdr, *tok;
		size_t name_len, tlen;
		unsigned int col = 0, row_dropped = 0;
		size_t off;

		if (!colon) {
			rsc_perr_add(err, lines.lineno, "no ':'");
			continue;
		}
		p = line;
		if (!rsc_token(&p, colon, &name, &name_len) ||
		    (off = row_offset(name, name_len)) == NOT_KEPT)
			continue;	/* HI, BLOCK ...: not reported */
		p = colon + 1;
		while (rsc_token(&p, end, &tok, &tlen)) {
			int64_t cpu = header_cpu(&hp, hdr_end);
			uint64_t v;
			int rc;

			if (cpu == -1) {
				rsc_perr_add(err, lines.lineno, "more columns than CPUs in the header");
				break;
			}
			if (cpu == -2) {
				rsc_perr_add(err, 1, "header column %u is not CPUn", col + 1);
				return -1;
			}
			rc = rsc_parse_u64(tok, tlen, 10, &v);
			if (rc) {
				rsc_perr_add(err, lines.lineno, "column %u: %s", col + 1, rsc_parse_strerror(rc));
				break;
			}
			col++;
			if ((uint64_t)cpu >= cap) {
				row_dropped++;
				continue;
			}
			memcpy((char *)&cpus[cpu] + off, &v, sizeof(v));
			cpus[cpu].have_softirqs = true;
		}
		if (row_dropped > *dropped)
			*dropped = row_dropped;
	}
	return (int)err->count;
}
