// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_cpu.c - rows of system_cpu (per CPU) and system_cpu_util (total). */
#include <string.h>

#include "collector_int.h"

static uint64_t up(uint64_t prev, uint64_t cur)
{
	return cur > prev ? cur - prev : 0;
}

static void parse_extras(struct rs_collector *c)
{
	static const struct {
		enum rsc_fixed_file file;
		enum rs_collect_source src;
		int (*parse)(const char *, size_t, struct rsc_cpu_extra *, unsigned int,
			     unsigned int *, struct rsc_perr *);
	} extras[] = {
		{ RSC_F_SOFTIRQS, RS_SRC_SOFTIRQS, rsc_parse_softirqs },
		{ RSC_F_SOFTNET, RS_SRC_SOFTNET, rsc_parse_softnet },
	};

	for (unsigned int i = 0; i < c->caps.cpus; i++)
		c->extra[i].have_softirqs = c->extra[i].have_softnet = false;
	for (unsigned int i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		struct rsc_file *f = &c->files[extras[i].file];
		struct rsc_perr err;
		unsigned int dropped;
		int rc;

		if (f->fd < 0 || f->err)
			continue;
		rsc_perr_reset(&err);
		rc = extras[i].parse(f->buf, f->len, c->extra, c->caps.cpus, &dropped, &err);
		rsc_parsed(c, extras[i].src, f, rc, &err);
	}
}

static const struct rsc_stat_cpu *find_prev(const struct rsc_stat *prev, unsigned int hint,
					    unsigned int cpu)
{
	if (hint < prev->ncpus && prev->cpus[hint].cpu == cpu)
		return &prev->cpus[hint];
	for (unsigned int i = 0; i < prev->ncpus; i++)
		if (prev->cpus[i].cpu == cpu)
			return &prev->cpus[i];
	return NULL;
}

static void emit_cpu(struct rs_collector *c, const struct rsc_stat_cpu *prev,
		     const struct rsc_stat_cpu *cur)
{
	const struct rsc_cpu_extra *x = cur->cpu < c->caps.cpus ? &c->extra[cur->cpu] : NULL;
	const struct rsc_cpu_extra *px = cur->cpu < c->caps.cpus ? &c->extra_prev[cur->cpu] : NULL;
	bool softirqs = x && x->have_softirqs && px->have_softirqs;
	bool softnet = x && x->have_softnet && px->have_softnet;
	struct rsc_cpu_delta d;
	struct rsc_row row;

	rsc_cpu_delta(&prev->t, &cur->t, c->clk_tck, &d);
	rsc_row_start(&row);
	rsc_row_u64(&row, cur->cpu);
	if (softirqs) {
		rsc_row_u64(&row, up(px->rcu, x->rcu));
		rsc_row_u64(&row, up(px->timer, x->timer));
		rsc_row_u64(&row, up(px->sched, x->sched));
		rsc_row_u64(&row, up(px->net_rx, x->net_rx));
	} else {
		for (int i = 0; i < 4; i++)
			rsc_row_empty(&row);
	}
	rsc_row_u64(&row, d.user_ms);
	rsc_row_u64(&row, d.nice_ms);
	rsc_row_u64(&row, d.system_ms);
	rsc_row_u64(&row, d.idle_ms);
	rsc_row_u64(&row, d.iowait_ms);
	rsc_row_u64(&row, d.irq_ms);
	rsc_row_u64(&row, d.softirq_ms);
	rsc_row_u64(&row, d.steal_ms);
	if (softnet) {
		rsc_row_u64(&row, up(px->backlog_drops, x->backlog_drops));
		rsc_row_u64(&row, up(px->rps_count, x->rps_count));
	} else {
		rsc_row_empty(&row);
		rsc_row_empty(&row);
	}
	rsc_row_f2(&row, d.util);
	if (x && x->have_mhz)
		rsc_row_f2(&row, x->mhz);
	else
		rsc_row_empty(&row);	/* no "cpu MHz" (arm64, some VMs) */
	rsc_emit(c, "system_cpu", &row);
}

void rsc_table_cpu(struct rs_collector *c, uint64_t now_ns)
{
	struct rsc_stat_cpu *cpus;
	struct rsc_cpu_extra *extra;

	if (c->files[RSC_F_SOFTIRQS].fd >= 0 || c->files[RSC_F_SOFTNET].fd >= 0)
		parse_extras(c);
	if (c->stat_ok && c->have_stat_prev) {
		for (unsigned int i = 0; i < c->stat.ncpus; i++) {
			const struct rsc_stat_cpu *prev = find_prev(&c->stat_prev, i,
								    c->stat.cpus[i].cpu);

			if (prev)	/* a CPU just onlined has no previous sample */
				emit_cpu(c, prev, &c->stat.cpus[i]);
		}
		if (c->stat.have_total && c->stat_prev.have_total) {
			struct rsc_cpu_delta d;
			struct rsc_row row;

			rsc_cpu_delta(&c->stat_prev.total, &c->stat.total, c->clk_tck, &d);
			rsc_row_start(&row);
			rsc_row_str(&row, "cpu");
			rsc_row_f2(&row, d.util);
			rsc_emit(c, "system_cpu_util", &row);
		}
	}
	/* this sample becomes the previous one */
	cpus = c->stat_prev.cpus;
	c->stat_prev = c->stat;
	c->stat.cpus = cpus;
	extra = c->extra_prev;
	c->extra_prev = c->extra;
	c->extra = extra;
	c->have_stat_prev = c->stat_ok;
	c->stat_prev_ns = now_ns;
}
