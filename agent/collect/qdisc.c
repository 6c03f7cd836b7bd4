// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * qdisc.c - parse an rtnetlink RTM_GETQDISC dump (binary, a buffer of
 * nlmsghdr) into the root qdisc statistics of each interface: drops,
 * overlimits, backlog, and fq_codel's ECN marks. Every length is checked
 * against the buffer; nothing is assumed aligned.
 */
#include <linux/gen_stats.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <string.h>

#include "sources.h"

#define ALIGN4(n) (((n) + 3u) & ~3u)
/* bytes of fq_codel xstats needed to reach qdisc_stats.ecn_mark */
#define ECN_MARK_END (offsetof(struct tc_fq_codel_xstats, qdisc_stats) + \
		      offsetof(struct tc_fq_codel_qd_stats, ecn_mark) + sizeof(uint32_t))

/* Walk attributes in [p, end): calls back with type, payload, length. */
struct attr {
	uint16_t type;
	const unsigned char *data;
	size_t len;
};

static bool next_attr(const unsigned char **p, const unsigned char *end, struct attr *a)
{
	struct rtattr rta;

	if ((size_t)(end - *p) < sizeof(rta))
		return false;
	memcpy(&rta, *p, sizeof(rta));
	if (rta.rta_len < sizeof(rta) || rta.rta_len > (size_t)(end - *p))
		return false;
	a->type = rta.rta_type & NLA_TYPE_MASK;
	a->data = *p + sizeof(rta);
	a->len = rta.rta_len - sizeof(rta);
	*p += ALIGN4((size_t)rta.rta_len) < (size_t)(end - *p) ? ALIGN4((size_t)rta.rta_len)
							      : (size_t)(end - *p);
	return true;
}

static void stats2(const unsigned char *p, const unsigned char *end, struct rsc_qdisc *q)
{
	struct attr a;

	while (next_attr(&p, end, &a)) {
		struct gnet_stats_queue s;

		if (a.type != TCA_STATS_QUEUE || a.len < sizeof(s))
			continue;
		memcpy(&s, a.data, sizeof(s));
		q->qlen = s.qlen;
		q->backlog = s.backlog;
		q->drops = s.drops;
		q->overlimits = s.overlimits;
		q->have_stats = true;
	}
}

/* One RTM_NEWQDISC payload; false if malformed. */
static bool one_qdisc(const unsigned char *p, size_t len, struct rsc_qdisc *q, bool *root)
{
	const unsigned char *end = p + len;
	struct tcmsg tcm;
	struct attr a;
	bool fq_codel = false;
	const unsigned char *xstats = NULL;
	size_t xlen = 0;

	if (len < sizeof(tcm))
		return false;
	memcpy(&tcm, p, sizeof(tcm));
	p += ALIGN4(sizeof(tcm));
	memset(q, 0, sizeof(*q));
	q->ifindex = tcm.tcm_ifindex;
	q->handle = tcm.tcm_handle;
	*root = tcm.tcm_parent == TC_H_ROOT;
	while (next_attr(&p, end, &a)) {
		if (a.type == TCA_KIND) {
			size_t n = strnlen((const char *)a.data, a.len);

			if (n >= sizeof(q->kind))
				n = sizeof(q->kind) - 1;
			memcpy(q->kind, a.data, n);
			q->kind[n] = '\0';
			fq_codel = strcmp(q->kind, "fq_codel") == 0;
		} else if (a.type == TCA_STATS2) {
			stats2(a.data, a.data + a.len, q);
		} else if (a.type == TCA_XSTATS) {
			xstats = a.data;
			xlen = a.len;
		}
	}
	if (fq_codel && xstats && xlen >= ECN_MARK_END) {
		struct tc_fq_codel_xstats x;

		memset(&x, 0, sizeof(x));
		memcpy(&x, xstats, xlen < sizeof(x) ? xlen : sizeof(x));
		if (x.type == TCA_FQ_CODEL_XSTATS_QDISC) {
			q->ecn_mark = x.qdisc_stats.ecn_mark;
			q->have_ecn = true;
		}
	}
	return true;
}

int rsc_parse_qdisc(const void *buf, size_t len, struct rsc_qdisc_list *out, struct rsc_perr *err)
{
	const unsigned char *p = buf, *end = p + len;
	unsigned int index = 0;

	out->n = 0;
	out->dropped = 0;
	while ((size_t)(end - p) >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		struct rsc_qdisc q;
		bool root;

		memcpy(&h, p, sizeof(h));
		index++;
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > (size_t)(end - p)) {
			rsc_perr_add(err, index, "netlink message length %u out of bounds", h.nlmsg_len);
			return -1;
		}
		if (h.nlmsg_type == NLMSG_DONE)
			break;
		if (h.nlmsg_type == NLMSG_ERROR) {
			rsc_perr_add(err, index, "netlink error reply");
			return -1;
		}
		if (h.nlmsg_type == RTM_NEWQDISC) {
			if (!one_qdisc(p + NLMSG_HDRLEN < end ? p + NLMSG_HDRLEN : end,
				       h.nlmsg_len > NLMSG_HDRLEN ? h.nlmsg_len - NLMSG_HDRLEN : 0,
				       &q, &root))
				rsc_perr_add(err, index, "qdisc message shorter than struct tcmsg");
			else if (root && out->n < out->cap)
				out->v[out->n++] = q;
			else if (root)
				out->dropped++;
		}
		p += NLMSG_ALIGN(h.nlmsg_len) < (size_t)(end - p) ? NLMSG_ALIGN(h.nlmsg_len)
								   : (size_t)(end - p);
	}
	return (int)err->count;
}
