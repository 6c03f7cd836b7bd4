// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_nic.c - nic rows: /proc/net/dev deltas and speeds, sysfs operstate. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector_int.h"

/* Interface names never contain '/', and are not "." or ".." (dev_valid_name). */
static bool safe_name(const char *name)
{
	return !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static struct rsc_nic_state *find_state(struct rs_collector *c, const char *name)
{
	for (unsigned int i = 0; i < c->nnic_state; i++)
		if (strcmp(c->nic_state[i].name, name) == 0)
			return &c->nic_state[i];
	return NULL;
}

static bool reported(const struct rs_collector *c, const struct rsc_nic_state *st)
{
	return st->physical || c->nic_all;
}

/* sys/class/net/<name>/ifindex, read once when the interface appears. */
static int32_t read_ifindex(const struct rs_collector *c, const char *name)
{
	char path[RSC_FILE_PATH_MAX], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/class/net/%s/ifindex", c->sys_root, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	n = strtol(buf, NULL, 10);
	return n > 0 && n <= INT32_MAX ? (int32_t)n : 0;
}

static struct rsc_nic_state *add_state(struct rs_collector *c, const char *name)
{
	struct rsc_nic_state *st;
	char path[RSC_FILE_PATH_MAX];

	if (c->nnic_state >= c->caps.nics)
		return NULL;
	st = &c->nic_state[c->nnic_state++];
	memset(st, 0, sizeof(*st));
	snprintf(st->name, sizeof(st->name), "%s", name);
	snprintf(path, sizeof(path), "%s/devices/virtual/net/%s", c->sys_root, name);
	st->physical = access(path, F_OK) != 0;
	snprintf(path, sizeof(path), "class/net/%s/operstate", name);
	if (rsc_file_init(&st->operstate, c->sys_root, path) < 0)
		st->operstate.path[0] = '\0';
	st->ifindex = c->real_proc ? read_ifindex(c, name) : 0;
	return st;
}

static void drop_unseen(struct rs_collector *c)
{
	for (unsigned int i = 0; i < c->nnic_state;) {
		if (c->nic_state[i].seen) {
			i++;
			continue;
		}
		rsc_file_fini(&c->nic_state[i].operstate);
		c->nic_state[i] = c->nic_state[--c->nnic_state];
	}
}

unsigned int rsc_nic_batch_files(struct rs_collector *c, struct rsc_file **out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nnic_state && n < max; i++)
		if (reported(c, &c->nic_state[i]) && c->nic_state[i].operstate.path[0])
			out[n++] = &c->nic_state[i].operstate;
	return n;
}

static const char *status(const struct rsc_nic_state *st)
{
	const struct rsc_file *f = &st->operstate;

	if (f->fd < 0 || f->err || f->len == 0)
		return "";	/* unknown */
	return f->len >= 2 && memcmp(f->buf, "up", 2) == 0 ? "UP" : "DOWN";
}

/*
 * Root qdisc statistics of every interface, one rtnetlink dump per interval
 * (only for the real /proc: netlink shows this machine, not a fixture tree).
 * A failed socket is reopened at the next interval.
 */
static void dump_qdiscs(struct rs_collector *c)
{
	struct rsc_perr err;
	ssize_t n;
	int rc;

	c->qdiscs_ok = false;
	if (!c->real_proc)
		return;
	if (c->nl_fd < 0) {
		c->nl_fd = rsc_nl_open();
		if (c->nl_fd < 0) {
			c->stats.read_errors[RS_SRC_QDISC]++;
			rsc_log(c, RS_SRC_QDISC, "rtnetlink socket: %s (tc_* fields empty)",
				strerror(-c->nl_fd));
			c->nl_fd = -1;
			return;
		}
	}
	n = rsc_nl_dump_qdisc(c->nl_fd, ++c->nl_seq, &c->nl);
	if (n < 0) {
		c->stats.read_errors[RS_SRC_QDISC]++;
		rsc_log(c, RS_SRC_QDISC, "RTM_GETQDISC dump: %s", strerror((int)-n));
		close(c->nl_fd);	/* a half-read dump would confuse the next */
		c->nl_fd = -1;
		return;
	}
	rsc_perr_reset(&err);
	rc = rsc_parse_qdisc(c->nl.buf, (size_t)n, &c->qdiscs, &err);
	if (err.count) {
		c->stats.parse_errors[RS_SRC_QDISC] += err.count;
		rsc_log(c, RS_SRC_QDISC, "RTM_GETQDISC message %u: %s", err.line, err.msg);
	}
	c->qdiscs_ok = rc >= 0;
}

static const struct rsc_qdisc *find_qdisc(const struct rs_collector *c, int32_t ifindex)
{
	if (!c->qdiscs_ok || ifindex <= 0)
		return NULL;
	for (unsigned int i = 0; i < c->qdiscs.n; i++)
		if (c->qdiscs.v[i].ifindex == ifindex && c->qdiscs.v[i].have_stats)
			return &c->qdiscs.v[i];
	return NULL;
}

/* tc_sent_drop, tc_sent_overlimits (interval deltas of 32-bit counters),
 * tc_backlog (bytes now), tc_ecn_mark (fq_codel, since the qdisc exists). */
static void tc_fields(struct rsc_row *row, struct rsc_nic_state *st, const struct rsc_qdisc *q)
{
	uint64_t drops, over;

	if (!q) {
		for (int i = 0; i < 4; i++)
			rsc_row_empty(row);	/* no qdisc figures here */
		return;
	}
	if (st->have_tc_prev && st->tc_handle_prev == q->handle &&
	    strcmp(st->tc_kind_prev, q->kind) == 0 &&
	    rsc_counter_delta(st->tc_drops_prev, q->drops, 32, &drops) &&
	    rsc_counter_delta(st->tc_overlimits_prev, q->overlimits, 32, &over)) {
		rsc_row_u64(row, drops);
		rsc_row_u64(row, over);
	} else {
		rsc_row_empty(row);	/* first sample of this qdisc (new or replaced) */
		rsc_row_empty(row);
	}
	rsc_row_u64(row, q->backlog);
	if (q->have_ecn)
		rsc_row_u64(row, q->ecn_mark);
	else
		rsc_row_empty(row);	/* only fq_codel reports ECN marks */
}

static void remember_tc(struct rsc_nic_state *st, const struct rsc_qdisc *q)
{
	st->have_tc_prev = q != NULL;
	if (q) {
		st->tc_drops_prev = q->drops;
		st->tc_overlimits_prev = q->overlimits;
		st->tc_handle_prev = q->handle;
		memcpy(st->tc_kind_prev, q->kind, sizeof(st->tc_kind_prev));
	}
}

static void emit_nic(struct rs_collector *c, struct rsc_nic_state *st,
		     const struct rsc_nic_delta *d)
{
	struct rsc_row row;

	rsc_row_start(&row);
	rsc_row_str(&row, st->name);
	rsc_row_str(&row, status(st));
	rsc_row_u64(&row, d->rx_bytes);
	rsc_row_u64(&row, d->rx_packets);
	rsc_row_u64(&row, d->rx_errs);
	rsc_row_u64(&row, d->rx_dropped);
	rsc_row_u64(&row, d->tx_bytes);
	rsc_row_u64(&row, d->tx_packets);
	rsc_row_u64(&row, d->tx_errs);
	rsc_row_u64(&row, d->tx_dropped);
	rsc_row_f2(&row, d->rx_kbps);
	rsc_row_f2(&row, d->tx_kbps);
	tc_fields(&row, st, find_qdisc(c, st->ifindex));
	rsc_emit(c, "nic", &row);
}

void rsc_table_nic(struct rs_collector *c, uint64_t now_ns)
{
	struct rsc_file *f = &c->files[RSC_F_NETDEV];
	unsigned int nnew = 0;
	struct rsc_perr err;
	int rc;

	if (f->fd < 0 || f->err)
		return;
	rsc_perr_reset(&err);
	rc = rsc_parse_netdev(f->buf, f->len, &c->nics, &err);
	rsc_parsed(c, RS_SRC_NETDEV, f, rc, &err);
	c->stats.dropped_nics += c->nics.dropped;

	for (unsigned int i = 0; i < c->nnic_state; i++)
		c->nic_state[i].seen = false;
	for (unsigned int i = 0; i < c->nics.n; i++) {
		const char *name = c->nics.v[i].name;
		struct rsc_nic_state *st = find_state(c, name);

		if (!st && !safe_name(name)) {
			rsc_log(c, RS_SRC_NETDEV, "%s: interface name \"%s\" ignored",
				f->path, name);
			c->stats.parse_errors[RS_SRC_NETDEV]++;
			continue;
		}
		if (!st) {
			st = add_state(c, name);
			if (!st) {
				c->stats.dropped_nics++;
				continue;
			}
			if (reported(c, st) && st->operstate.path[0])
				c->batch[nnew++] = &st->operstate;	/* read below */
		}
		st->seen = true;
	}
	if (nnew)
		rsc_reader_read(&c->reader, c->batch, nnew);
	dump_qdiscs(c);

	for (unsigned int i = 0; i < c->nics.n; i++) {
		struct rsc_nic_state *st = find_state(c, c->nics.v[i].name);
		struct rsc_nic_delta d;

		if (!st || !reported(c, st))
			continue;
		if (st->operstate.err) {
			c->stats.read_errors[RS_SRC_OPERSTATE]++;
			rsc_log(c, RS_SRC_OPERSTATE, "cannot read %s: %s",
				st->operstate.path, strerror(st->operstate.err));
		}
		if (st->have_prev && now_ns > st->prev_ns) {
			if (rsc_nic_delta(&st->prev, &c->nics.v[i], now_ns - st->prev_ns, &d) < 0)
				c->stats.counter_resets++;
			else
				emit_nic(c, st, &d);
		}
		st->prev = c->nics.v[i];
		st->have_prev = true;
		st->prev_ns = now_ns;
		remember_tc(st, find_qdisc(c, st->ifindex));
	}
	drop_unseen(c);
}
