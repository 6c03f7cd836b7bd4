// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_net.c - system_tcp and system_udp rows: /proc/net/snmp deltas per interval. */
#include "collector_int.h"

static bool both(const struct rsc_snmp *a, const struct rsc_snmp *b, enum rsc_snmp_field f)
{
	return (a->have & b->have) & (1u << f);
}

/* The interval's increase; a counter that went back (netns reset) counts 0. */
static void delta(struct rsc_row *row, const struct rsc_snmp *prev, const struct rsc_snmp *cur,
		  enum rsc_snmp_field f)
{
	if (!both(prev, cur, f))
		rsc_row_empty(row);
	else
		rsc_row_u64(row, cur->v[f] > prev->v[f] ? cur->v[f] - prev->v[f] : 0);
}

void rsc_table_net(struct rs_collector *c)
{
	struct rsc_file *f = &c->files[RSC_F_SNMP];
	struct rsc_snmp cur;
	struct rsc_perr err;
	struct rsc_row row;
	int rc;

	if (f->fd < 0 || f->err) {
		c->have_snmp_prev = false;
		return;
	}
	rsc_perr_reset(&err);
	rc = rsc_parse_snmp(f->buf, f->len, &cur, &err);
	rsc_parsed(c, RS_SRC_SNMP, f, rc, &err);
	if (c->have_snmp_prev) {
		const struct rsc_snmp *prev = &c->snmp_prev;

		rsc_row_start(&row);
		rsc_row_str(&row, "/proc/net/snmp");	/* gala-gopher's key value */
		if (cur.have & (1u << RSC_SNMP_TCP_CURR_ESTAB))
			rsc_row_u64(&row, cur.v[RSC_SNMP_TCP_CURR_ESTAB]);	/* a level */
		else
			rsc_row_empty(&row);
		delta(&row, prev, &cur, RSC_SNMP_TCP_IN_SEGS);
		delta(&row, prev, &cur, RSC_SNMP_TCP_OUT_SEGS);
		delta(&row, prev, &cur, RSC_SNMP_TCP_RETRANS_SEGS);
		delta(&row, prev, &cur, RSC_SNMP_TCP_IN_ERRS);
		rsc_emit(c, "system_tcp", &row);

		rsc_row_start(&row);
		rsc_row_str(&row, "/proc/net/snmp");
		delta(&row, prev, &cur, RSC_SNMP_UDP_IN_DATAGRAMS);
		delta(&row, prev, &cur, RSC_SNMP_UDP_OUT_DATAGRAMS);
		rsc_emit(c, "system_udp", &row);
	}
	c->snmp_prev = cur;
	c->have_snmp_prev = true;
}
