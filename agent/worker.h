/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * worker.h - a drain worker: one thread pinned to a CPU set (a NUMA node by
 * default), memory node-local, running an io_uring loop that sleeps on the
 * doorbell and a control eventfd with an adaptive timeout, drains its rings
 * in batches and decodes records into its own accumulators. No lock: the
 * tick takes the accumulators by pointer swap (handoff.h).
 */
#ifndef RINGSCOPE_AGENT_WORKER_H
#define RINGSCOPE_AGENT_WORKER_H

#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "shm.h"
#include "decode.h"
#include "handoff.h"

/* One accumulator per bound decoder, indexed by record type for dispatch. */
struct rs_acc_set {
	struct rs_acc *by_type[256];
	struct rs_acc *acc[64];		/* per binding index */
	unsigned int nacc;
};

struct rs_acc_set *rs_acc_set_new(const struct rs_decoder_table *t, size_t limit);
void rs_acc_set_free(struct rs_acc_set *s);
/* Merge every accumulator into st and reset them; returns records that were
 * refused at the key limit since the last merge. */
uint64_t rs_acc_set_merge(struct rs_acc_set *s, const struct rs_decoder_table *t,
		      struct rs_store *st, uint64_t now_ns);

struct rs_worker_stats {
	uint64_t passes;		/* drain passes over all rings */
	uint64_t batches;		/* non-empty ring drains */
	uint64_t records;
	uint64_t drain_ns;		/* time spent draining + decoding */
	uint64_t wakeups;		/* io_uring waits that returned */
	uint64_t doorbells;		/* doorbell signals consumed */
	uint64_t unknown_type;		/* records of no bound decoder */
	uint64_t bad_version;		/* records of an unexpected version */
	uint64_t pad;			/* PAD records skipped */
	uint64_t handoffs;
};

struct rs_worker {
	unsigned int id;
	int node;			/* NUMA node of its memory, -1: none */
	cpu_set_t cpus;
	char cpus_text[256];
	/* rings it drains (one consumer per ring: only this worker) */
	struct rs_ring **rings;
	unsigned int *ring_cpu;		/* cpu each ring belongs to */
	unsigned int nrings;
	struct rs_doorbell *doorbell;	/* may be NULL */
	const struct rs_decoder_table *decoders;
	size_t acc_limit;		/* keys per decoder per interval */
	int batch;
	int timeout_min_us, timeout_max_us;

	int ctl_fd;			/* eventfd: wake for handoff or stop */
	pthread_t thread;
	int running;
	int stop;
	struct rs_mailbox mailbox;	/* of struct rs_acc_set */
	struct rs_acc_set *active;	/* worker's own; readable after join */
	struct rs_worker_stats stats;	/* single writer, relaxed atomics */
	int timeout_us;			/* current adaptive timeout */
	uint64_t key_dropped;		/* tick-owned: records refused at the key limit */
	uint32_t last_bad_type;		/* type | version << 8 of the last refused record */
	struct rs_worker_stats reported;	/* tick-owned: stats at the last warning */
	char error[256];
};

/* Start the thread (fields above ctl_fd filled by the caller). */
int rs_worker_start(struct rs_worker *w, char *err, size_t errlen);
/* Ask for a handoff and wake the worker. */
void rs_worker_ask(struct rs_worker *w);
/* Drain what is left, stop and join; the last tables stay in the mailbox/active. */
void rs_worker_stop(struct rs_worker *w);
void rs_worker_read_stats(const struct rs_worker *w, struct rs_worker_stats *out);

/* Parse "0-3,8" into a cpu set. Returns the cpu count, -1 if malformed. */
int rs_cpulist_parse(const char *s, cpu_set_t *set);

/* Drain each ring of w once (batch records at most each); the work of one pass. */
uint64_t rs_worker_drain_pass(struct rs_worker *w, int *more);

#endif /* RINGSCOPE_AGENT_WORKER_H */
