// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * collect_loop.c - the collector thread: at each tick's request it runs the
 * host collectors once (their io_uring batch), feeds every row through
 * rs_ingest_row into its staging store and hands the store over.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "log.h"
#include "sources.h"

#include "collect.h"

#define REJECT_LOG_PER_RUN 5

struct run {
	struct rs_collect_loop *l;
	uint64_t now;
	unsigned int rejected;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_row(void *ctx, const char *table, const char *const *fields,
		   unsigned int nfields)
{
	struct run *r = ctx;
	char err[512];

	if (rs_ingest_row(r->l->active, table, fields, nfields, r->now, err, sizeof(err))) {
		if (r->rejected++ < REJECT_LOG_PER_RUN)
			rs_warn("collector: row rejected: %s", err);
		return;
	}
}

static void collector_log(void *ctx, const char *msg)
{
	(void)ctx;
	rs_warn("collector: %s", msg);
}

static void *loop_main(void *arg)
{
	struct rs_collect_loop *l = arg;

	pthread_setname_np(pthread_self(), "rs-collector");
	for (;;) {
		struct run r = { l, 0, 0 };
		uint64_t v, t0;
		int n;

		if (read(l->ctl_fd, &v, sizeof(v)) < 0 && errno != EINTR)
			break;
		if (__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE))
			break;
		t0 = mono_ns();
		r.now = t0;
		n = rs_collector_collect(l->collector, t0, on_row, &r);
		if (n < 0)
			__atomic_add_fetch(&l->failures, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&l->rows, (uint64_t)n, __ATOMIC_RELAXED);
		__atomic_add_fetch(&l->rejected, r.rejected, __ATOMIC_RELAXED);
		__atomic_add_fetch(&l->collections, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&l->last_cost_ns, mono_ns() - t0, __ATOMIC_RELAXED);
		rs_collector_stats(l->collector, &l->stats);
		rs_mailbox_offer(&l->mailbox, (void **)&l->active, 1);
	}
	return NULL;
}

static int select_collectors(struct rs_collector *c, const char *only, char *err,
			     size_t errlen)
{
	static const char *const all[] = { "cpu", "mem", "disk", "fs", "nic", "net", "host" };
	char list[256], *tok, *save = NULL;
	unsigned int i;

	if (!only || !*only)
		return 0;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		rs_collector_enable(c, all[i], false);
	snprintf(list, sizeof(list), "%s", only);
	for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		if (rs_collector_enable(c, tok, true)) {
			snprintf(err, errlen, "probes.baseinfo.param: unknown sub-collector '%s' "
				 "(cpu, mem, disk, fs, nic, net, host)", tok);
			return -1;
		}
	return 0;
}

int rs_collect_loop_start(struct rs_collect_loop *l, const struct rs_meta_set *meta,
			  const char *proc_root, const char *sys_root, const char *only,
			  size_t cap, uint64_t timeout_ns, char *err, size_t errlen)
{
	int r;

	l->meta = meta;
	l->collector = rs_collector_new(proc_root, sys_root, err, errlen);
	if (!l->collector)
		return -1;
	rs_collector_set_log(l->collector, collector_log, l);
	if (select_collectors(l->collector, only, err, errlen)) {
		rs_collector_free(l->collector);
		l->collector = NULL;
		return -1;
	}
	l->active = rs_store_new(meta, cap, timeout_ns);
	rs_mailbox_return(&l->mailbox, rs_store_new(meta, cap, timeout_ns));
	l->ctl_fd = eventfd(0, EFD_CLOEXEC);
	if (!l->active || !l->mailbox.empty || l->ctl_fd < 0) {
		snprintf(err, errlen, "collector: out of memory or eventfd: %s", strerror(errno));
		goto fail;
	}
	r = pthread_create(&l->thread, NULL, loop_main, l);
	if (r) {
		snprintf(err, errlen, "collector: pthread_create: %s", strerror(r));
		goto fail;
	}
	l->running = 1;
	return 0;
fail:
	if (l->ctl_fd >= 0)
		close(l->ctl_fd);
	rs_store_free(l->active);
	rs_store_free(rs_mailbox_take(&l->mailbox));
	rs_store_free(l->mailbox.empty);
	rs_collector_free(l->collector);
	l->collector = NULL;
	return -1;
}

void rs_collect_loop_ask(struct rs_collect_loop *l)
{
	uint64_t one = 1;

	if (l->running && write(l->ctl_fd, &one, sizeof(one)) < 0)
		rs_warn("collector: wake: %s", strerror(errno));
}

void rs_collect_loop_stop(struct rs_collect_loop *l)
{
	uint64_t one = 1;

	if (!l->running)
		return;
	__atomic_store_n(&l->stop, 1, __ATOMIC_RELEASE);
	if (write(l->ctl_fd, &one, sizeof(one)) < 0)
		rs_warn("collector: wake: %s", strerror(errno));
	pthread_join(l->thread, NULL);
	l->running = 0;
	close(l->ctl_fd);
	rs_store_free(l->active);
	rs_store_free(rs_mailbox_take(&l->mailbox));
	rs_store_free(l->mailbox.empty);
	l->active = NULL;
	l->mailbox.empty = NULL;
	rs_collector_free(l->collector);
	l->collector = NULL;
}
