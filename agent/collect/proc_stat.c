// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* proc_stat.c - parse /proc/stat: total and per-CPU times, boot time. */
#include <string.h>

#include "sources.h"

#define CPU_COLUMNS 8	/* user nice system idle iowait irq softirq steal */

static void set_times(struct rsc_cpu_times *t, const uint64_t *v)
{
	t->user = v[0];
	t->nice = v[1];
	t->system = v[2];
	t->idle = v[3];
	t->iowait = v[4];
	t->irq = v[5];
	t->softirq = v[6];
	t->steal = v[7];
}

/* "cpu" -> total; "cpuN" -> N; anything else is not a CPU line. */
static int cpu_line_kind(const char *name, size_t len, uint64_t *cpu)
{
	if (len < 3 || memcmp(name, "cpu", 3) != 0)
		return 0;
	if (len == 3)
		return 1;
	return rsc_parse_u64(name + 3, len - 3, 10, cpu) == 0 ? 2 : 0;
}

int rsc_parse_stat(const char *buf, size_t len, struct rsc_stat *out, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end, *name;
	size_t name_len;
	uint64_t v[CPU_COLUMNS];
	unsigned int ncols, bad;

	out->have_total = false;
	out->have_btime = false;
	out->ncpus = 0;
	out->dropped = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		uint64_t cpu = 0;
		int kind, rc;

		if (end - line >= 5 && memcmp(line, "btime", 5) == 0) {
			rc = rsc_name_numbers(line, end, 0, 10, &name, &name_len, v, 1, &ncols, &bad);
			if (rc || ncols < 1 || !rsc_token_is(name, name_len, "btime")) {
				rsc_perr_add(err, lines.lineno, "btime: %s",
					     rc ? rsc_parse_strerror(rc) : "no value");
				continue;
			}
			out->btime = v[0];
			out->have_btime = true;
			continue;
		}
		if (end - line < 3 || memcmp(line, "cpu", 3) != 0)
			continue;	/* intr, ctxt, processes ...: not ours */
		rc = rsc_name_numbers(line, end, 0, 10, &name, &name_len, v, CPU_COLUMNS, &ncols, &bad);
		kind = rc == -3 ? 0 : cpu_line_kind(name, name_len, &cpu);
		if (kind == 0) {
			rsc_perr_add(err, lines.lineno, "not a cpu line");
			continue;
		}
		if (rc) {
			rsc_perr_add(err, lines.lineno, "column %u: %s", bad + 2, rsc_parse_strerror(rc));
			continue;
		}
		if (ncols < CPU_COLUMNS) {
			rsc_perr_add(err, lines.lineno, "%u time columns, expected at least %u",
				     ncols, CPU_COLUMNS);
			continue;
		}
		if (kind == 1) {
			set_times(&out->total, v);
			out->have_total = true;
		} else if (cpu > UINT32_MAX || out->ncpus >= out->cap) {
			out->dropped++;
		} else {
			out->cpus[out->ncpus].cpu = (unsigned int)cpu;
			set_times(&out->cpus[out->ncpus].t, v);
			out->ncpus++;
		}
	}
	if (!out->have_total && out->ncpus == 0) {
		rsc_perr_add(err, 0, "no cpu lines");
		return -1;
	}
	return (int)err->count;
}
