// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* softnet.c - parse /proc/net/softnet_stat: backlog drops and RPS per CPU. */
#include "sources.h"

#define COL_DROPPED	1	/* 0-based: processed, dropped, time_squeeze ... */
#define COL_RPS		9	/* received_rps */
#define COL_CPU_ID	12	/* since Linux 5.10; before, lines skip offline CPUs */
#define MAX_COLS	16

int rsc_parse_softnet(const char *buf, size_t len, struct rsc_cpu_extra *cpus,
		      unsigned int cap, unsigned int *dropped, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end;
	unsigned int index = 0;

	*dropped = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		uint64_t v[MAX_COLS], cpu;
		unsigned int n = 0;
		const char *p = line, *tok;
		size_t tlen;
		int rc = 0;

		while (rsc_token(&p, end, &tok, &tlen)) {
			if (n < MAX_COLS && (rc = rsc_parse_u64(tok, tlen, 16, &v[n])) != 0)
				break;
			n++;
		}
		if (n == 0 && rc == 0)
			continue;	/* blank line */
		if (rc) {
			rsc_perr_add(err, lines.lineno, "column %u: %s", n + 1, rsc_parse_strerror(rc));
			continue;
		}
		if (n <= COL_RPS) {
			rsc_perr_add(err, lines.lineno, "%u columns, expected at least %u", n, COL_RPS + 1);
			continue;
		}
		cpu = n > COL_CPU_ID ? v[COL_CPU_ID] : index;
		index++;
		if (cpu >= cap) {
			(*dropped)++;
			continue;
		}
		cpus[cpu].backlog_drops = v[COL_DROPPED];
		cpus[cpu].rps_count = v[COL_RPS];
		cpus[cpu].have_softnet = true;
	}
	return (int)err->count;
}
