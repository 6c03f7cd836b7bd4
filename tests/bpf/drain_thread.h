/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * drain_thread.h - test helper: a thread that drains every ring of a set
 * into a callback until stopped, then drains what is left.
 */
#ifndef RINGSCOPE_TESTS_DRAIN_THREAD_H
#define RINGSCOPE_TESTS_DRAIN_THREAD_H

#include <pthread.h>
#include <unistd.h>

#include "shm.h"

struct drain_thread {
	struct rs_ring_set *set;
	rs_record_fn fn;
	void *ctx;
	int stop;
	pthread_t thread;
};

static inline void *drain_thread_run(void *arg)
{
	struct drain_thread *d = arg;
	unsigned int i;
	size_t n;

	for (;;) {
		int stop = __atomic_load_n(&d->stop, __ATOMIC_ACQUIRE);

		n = 0;
		for (i = 0; i < d->set->nrings; i++)
			n += rs_ring_drain(&d->set->rings[i], 8192, d->fn, d->ctx);
		if (!n && stop)
			break;
		if (!n)
			usleep(500);
	}
	return NULL;
}

static inline int drain_thread_start(struct drain_thread *d, struct rs_ring_set *set,
				     rs_record_fn fn, void *ctx)
{
	d->set = set;
	d->fn = fn;
	d->ctx = ctx;
	d->stop = 0;
	return pthread_create(&d->thread, NULL, drain_thread_run, d);
}

/* Stop after one last pass that finds nothing. */
static inline void drain_thread_stop(struct drain_thread *d)
{
	__atomic_store_n(&d->stop, 1, __ATOMIC_RELEASE);
	pthread_join(d->thread, NULL);
}

#endif
