/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sources.h - the agent's non-ring sources, each a thread with a stop
 * switch: the collector loop (host /proc and /sys rows into a staging
 * store, handed to the tick by pointer swap) and the selftest producer
 * (SELFTEST records into the rings at a fixed rate).
 */
#ifndef RINGSCOPE_AGENT_SOURCES_H
#define RINGSCOPE_AGENT_SOURCES_H

#include <pthread.h>
#include <stdint.h>

#include "collect.h"
#include "handoff.h"
#include "shm.h"
#include "store.h"

struct rs_collect_loop {
	struct rs_collector *collector;
	const struct rs_meta_set *meta;
	int ctl_fd;			/* eventfd: collect now (1) or stop */
	pthread_t thread;
	int running;
	int stop;
	struct rs_mailbox mailbox;	/* of struct rs_store */
	struct rs_store *active;
	uint64_t collections, rows, rejected, failures;	/* relaxed atomics */
	uint64_t last_cost_ns;
	/* the collectors' own counters, written before each handoff and read by
	 * the tick only after taking that handoff */
	struct rs_collect_stats stats;
};

/*
 * Create the collector (proc_root, sys_root) and start its thread. only: ""
 * for every sub-collector, or a list of those to run ("cpu mem disk fs nic
 * net host", gala-gopher's baseinfo sub-items), comma or space separated.
 */
int rs_collect_loop_start(struct rs_collect_loop *l, const struct rs_meta_set *meta,
			  const char *proc_root, const char *sys_root, const char *only,
			  size_t cap, uint64_t timeout_ns, char *err, size_t errlen);
/* Ask for one collection, handed over when done. */
void rs_collect_loop_ask(struct rs_collect_loop *l);
void rs_collect_loop_stop(struct rs_collect_loop *l);

struct rs_selftest_probe {
	struct rs_ring_set **sets;
	unsigned int nsets;
	int rate;			/* records per second per ring */
	pthread_t thread;
	int running;
	int stop;
	uint64_t emitted, dropped;	/* relaxed atomics */
};

int rs_selftest_start(struct rs_selftest_probe *p, char *err, size_t errlen);
void rs_selftest_set_rate(struct rs_selftest_probe *p, int rate);
void rs_selftest_stop(struct rs_selftest_probe *p);

#endif /* RINGSCOPE_AGENT_SOURCES_H */
