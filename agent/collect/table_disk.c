// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_disk.c - system_iostat rows from two /proc/diskstats samples, as iostat -x. */
#include <string.h>

#include "collector_int.h"

static const struct rsc_disk *find_prev(const struct rsc_disk_list *prev, unsigned int hint,
					const char *name)
{
	if (hint < prev->n && strcmp(prev->v[hint].name, name) == 0)
		return &prev->v[hint];
	for (unsigned int i = 0; i < prev->n; i++)
		if (strcmp(prev->v[i].name, name) == 0)
			return &prev->v[i];
	return NULL;
}

static void emit_disk(struct rs_collector *c, const char *name, const struct rsc_iostat *s)
{
	struct rsc_row row;

	rsc_row_start(&row);
	rsc_row_str(&row, name);
	rsc_row_f2(&row, s->rspeed);
	rsc_row_f2(&row, s->rspeed_kb);
	rsc_row_f2(&row, s->r_await);
	rsc_row_f2(&row, s->rareq);
	rsc_row_f2(&row, s->wspeed);
	rsc_row_f2(&row, s->wspeed_kb);
	rsc_row_f2(&row, s->w_await);
	rsc_row_f2(&row, s->wareq);
	rsc_row_f2(&row, s->aqu);
	rsc_row_f2(&row, s->util);
	rsc_emit(c, "system_iostat", &row);
}

void rsc_table_disk(struct rs_collector *c, uint64_t now_ns)
{
	struct rsc_file *f = &c->files[RSC_F_DISKSTATS];
	struct rsc_disk *tmp;
	struct rsc_perr err;
	int rc;

	if (f->fd < 0 || f->err) {
		c->have_disks_prev = false;
		return;
	}
	rsc_perr_reset(&err);
	rc = rsc_parse_diskstats(f->buf, f->len, &c->disks, &err);
	rsc_parsed(c, RS_SRC_DISKSTATS, f, rc, &err);
	c->stats.dropped_disks += c->disks.dropped;
	if (c->have_disks_prev && now_ns > c->disks_prev_ns) {
		for (unsigned int i = 0; i < c->disks.n; i++) {
			const struct rsc_disk *cur = &c->disks.v[i], *prev;
			struct rsc_iostat s;

			if (cur->rd_ios == 0 && cur->wr_ios == 0)
				continue;	/* never did I/O (unused loop, zram ...) */
			prev = find_prev(&c->disks_prev, i, cur->name);
			if (!prev)
				continue;	/* appeared since the last sample */
			if (rsc_iostat(prev, cur, now_ns - c->disks_prev_ns, &s) < 0) {
				c->stats.counter_resets++;	/* rebaselined below */
				continue;
			}
			emit_disk(c, cur->name, &s);
		}
	}
	tmp = c->disks_prev.v;
	c->disks_prev.v = c->disks.v;
	c->disks_prev.n = c->disks.n;
	c->disks.v = tmp;
	c->disks.n = 0;
	c->have_disks_prev = true;
	c->disks_prev_ns = now_ns;
}
