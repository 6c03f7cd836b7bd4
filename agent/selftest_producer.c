// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * selftest_producer.c - probe "selftest": a thread writing SELFTEST records
 * into every ring at `rate` records per second per ring (in bursts every
 * 100 ms), through the same ring protocol as BPF and the kmod, so the whole
 * record path (ring, doorbell, worker, decoder, entity, exporter) runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sources.h"

#define PERIOD_NS 100000000ULL

static void *producer_main(void *arg)
{
	struct rs_selftest_probe *p = arg;
	struct timespec next;
	uint64_t *seq, credit_ns = 0;
	unsigned int s, i, total = 0, k;

	pthread_setname_np(pthread_self(), "rs-selftest");
	for (s = 0; s < p->nsets; s++)
		total += p->sets[s]->nrings;
	seq = calloc(total ? total : 1, sizeof(*seq));
	if (!seq)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
		int rate = __atomic_load_n(&p->rate, __ATOMIC_RELAXED);
		uint64_t now, n;

		next.tv_nsec += (long)PERIOD_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		/* records due this period, carrying the fraction over */
		credit_ns += (uint64_t)rate * PERIOD_NS;
		n = credit_ns / 1000000000ULL;
		credit_ns %= 1000000000ULL;
		now = (uint64_t)next.tv_sec * 1000000000ULL + (uint64_t)next.tv_nsec;
		for (k = 0, s = 0; s < p->nsets; s++) {
			struct rs_ring_set *set = p->sets[s];

			for (i = 0; i < set->nrings; i++, k++) {
				uint64_t j;

				for (j = 0; j < n; j++) {
					struct rs_selftest rec;
					struct timespec ts;

					clock_gettime(CLOCK_MONOTONIC, &ts);
					now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
					rs_selftest_fill(&rec, seq[k]++, RS_SELFTEST_USER,
							 set->rings[i].hdr->geo.cpu);
					if (rs_user_emit(set, i, RS_REC_SELFTEST, RS_REC_SELFTEST_VERSION,
							 (uint32_t)getpid(), (uint32_t)gettid(), now,
							 &rec, sizeof(rec)))
						__atomic_add_fetch(&p->emitted, 1, __ATOMIC_RELAXED);
					else
						__atomic_add_fetch(&p->dropped, 1, __ATOMIC_RELAXED);
				}
			}
		}
	}
	free(seq);
	return NULL;
}

int rs_selftest_start(struct rs_selftest_probe *p, char *err, size_t errlen)
{
	int r = pthread_create(&p->thread, NULL, producer_main, p);

	if (r) {
		snprintf(err, errlen, "selftest: pthread_create: %s", strerror(r));
		return -1;
	}
	p->running = 1;
	return 0;
}

void rs_selftest_set_rate(struct rs_selftest_probe *p, int rate)
{
	__atomic_store_n(&p->rate, rate, __ATOMIC_RELAXED);
}

void rs_selftest_stop(struct rs_selftest_probe *p)
{
	if (!p->running)
		return;
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	pthread_join(p->thread, NULL);
	p->running = 0;
}
