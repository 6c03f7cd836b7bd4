// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_nic.c - nic rows: /proc/net/dev deltas and speeds, sysfs operstate. */
#include <stdio.h>
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

static void emit_nic(struct rs_collector *c, const struct rsc_nic_state *st,
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
	/* tc_sent_drop, tc_sent_overlimits, tc_backlog, tc_ecn_mark: qdisc
	 * statistics need rtnetlink (RTM_GETQDISC), not read yet */
	for (int i = 0; i < 4; i++)
		rsc_row_empty(&row);
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
	}
	drop_unseen(c);
}
