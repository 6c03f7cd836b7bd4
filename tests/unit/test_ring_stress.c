// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: multi-threaded stress of the ring protocol on memfd rings.
 * Each CPU gets a ring and two producer threads pinned to it (so they
 * preempt each other mid-reservation, as nested BPF programs do), one
 * consumer thread per ring drains it; at least 10^7 records in all. Every
 * payload checksum is verified, each producer's sequence numbers arrive in
 * order with no duplicates, the set of received sequence numbers equals the
 * set the producers wrote (XOR and sum fingerprints), and per ring
 * produced == consumed + dropped exactly.
 * A second run pins a ring's two producers to different CPUs: truly
 * parallel reservations, constant CAS races and out-of-order publication,
 * harsher than any per-CPU producer sees.
 * RS_STRESS_RECORDS overrides the total per run (default 10^7).
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm.h"

#define PRODUCERS_PER_RING 2
#define MAX_RINGS 64

struct producer {
	struct rs_ring_set *set;
	unsigned int ring;
	unsigned int cpu;		/* where it runs */
	unsigned int id;		/* producer id within its ring */
	uint64_t attempts;
	uint64_t written;
	uint64_t dropped;
	uint64_t xor_written;		/* fingerprints of the written seqs */
	uint64_t sum_written;
};

struct consumer {
	struct rs_ring_set *set;
	unsigned int ring;
	int *stop;
	uint64_t received[PRODUCERS_PER_RING];
	uint64_t next_seq[PRODUCERS_PER_RING];
	uint64_t xor_received[PRODUCERS_PER_RING];
	uint64_t sum_received[PRODUCERS_PER_RING];
	uint64_t bad;
	uint64_t batches;
};

static void pin(unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct rs_selftest payload;
	uint64_t seq;

	pin(p->cpu);
	for (seq = 0; seq < p->attempts; seq++) {
		/* producer id rides in the cpu field, ring index in value[2] */
		rs_selftest_fill(&payload, seq, RS_SELFTEST_USER, p->id);
		if (rs_user_emit(p->set, p->ring, RS_REC_SELFTEST,
				 RS_REC_SELFTEST_VERSION, 100 + p->ring, 200 + p->id,
				 seq, &payload, sizeof(payload))) {
			p->written++;
			p->xor_written ^= seq * 0x9e3779b97f4a7c15ULL;
			p->sum_written += seq;
		} else {
			/* a full ring: let the consumer run, as a real CPU would */
			p->dropped++;
			sched_yield();
		}
	}
	return NULL;
}

static void check(void *ctx, const struct rs_ring *ring,
		  const struct rs_record *rec)
{
	struct consumer *c = ctx;
	const struct rs_selftest *p = &rec->payload.rs_selftest;
	unsigned int id = p->cpu;

	if (p->check != rs_selftest_check(p) || id >= PRODUCERS_PER_RING ||
	    rs_ctl_type(rec->hdr.ctl) != RS_REC_SELFTEST ||
	    rs_ctl_tgid(rec->hdr.ctl) != 100 + ring->index ||
	    rs_ctl_pid(rec->hdr.ctl) != 200 + id ||
	    rs_record_cpu(rec) != ring->index ||
	    p->seq < c->next_seq[id]) {
		c->bad++;
		return;
	}
	c->next_seq[id] = p->seq + 1;
	c->received[id]++;
	c->xor_received[id] ^= p->seq * 0x9e3779b97f4a7c15ULL;
	c->sum_received[id] += p->seq;
}

static void *consume(void *arg)
{
	struct consumer *c = arg;
	struct rs_ring *ring = &c->set->rings[c->ring];

	for (;;) {
		int stop = __atomic_load_n(c->stop, __ATOMIC_ACQUIRE);
		size_t n = rs_ring_drain(ring, 256, check, c);

		c->batches += n > 0;
		if (!n) {
			if (stop)
				break;
			sched_yield();
		}
	}
	return NULL;
}

static void run_stress(int cross_cpu)
{
	static struct producer producers[MAX_RINGS][PRODUCERS_PER_RING];
	static struct consumer consumers[MAX_RINGS];
	pthread_t pt[MAX_RINGS][PRODUCERS_PER_RING], ct[MAX_RINGS];
	struct rs_ring_set set;
	int stop = 0;
	unsigned int nrings, r, i;
	uint64_t total = 10000000, per_producer, all_written = 0, all_dropped = 0;
	const char *env = getenv("RS_STRESS_RECORDS");
	char err[256];

	if (env)
		total = strtoull(env, NULL, 10);
	nrings = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nrings > MAX_RINGS)
		nrings = MAX_RINGS;
	per_producer = (total + nrings * PRODUCERS_PER_RING - 1) / (nrings * PRODUCERS_PER_RING);
	/* 1024 slots: small enough to overflow sometimes, so drops are exercised */
	assert_int_equal(rs_ring_set_create_memfd(&set, nrings, 10, 0, err, sizeof(err)), 0);
	for (r = 0; r < nrings; r++) {
		consumers[r] = (struct consumer){ .set = &set, .ring = r, .stop = &stop };
		assert_int_equal(pthread_create(&ct[r], NULL, consume, &consumers[r]), 0);
		for (i = 0; i < PRODUCERS_PER_RING; i++) {
			producers[r][i] = (struct producer){
				.set = &set, .ring = r, .id = i, .attempts = per_producer,
				.cpu = cross_cpu ? (r + i) % nrings : r };
			assert_int_equal(pthread_create(&pt[r][i], NULL, produce,
							&producers[r][i]), 0);
		}
	}
	for (r = 0; r < nrings; r++)
		for (i = 0; i < PRODUCERS_PER_RING; i++)
			pthread_join(pt[r][i], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (r = 0; r < nrings; r++)
		pthread_join(ct[r], NULL);

	for (r = 0; r < nrings; r++) {
		struct consumer *c = &consumers[r];
		struct rs_ring_counters cnt;
		uint64_t ring_attempts = 0;

		assert_int_equal(c->bad, 0);
		for (i = 0; i < PRODUCERS_PER_RING; i++) {
			struct producer *p = &producers[r][i];

			assert_int_equal(p->written + p->dropped, p->attempts);
			assert_int_equal(c->received[i], p->written);
			assert_int_equal(c->xor_received[i], p->xor_written);
			assert_int_equal(c->sum_received[i], p->sum_written);
			ring_attempts += p->attempts;
			all_written += p->written;
			all_dropped += p->dropped;
		}
		rs_ring_read_counters(&set.rings[r], &cnt);
		assert_int_equal(cnt.produced, ring_attempts);
		assert_int_equal(cnt.produced, cnt.consumed + cnt.dropped);
		assert_int_equal(cnt.pending, 0);
		assert_int_equal(cnt.dropped, producers[r][0].dropped + producers[r][1].dropped);
	}
	print_message("    %s: %u rings x %d producers: %llu records attempted, %llu consumed, %llu dropped\n",
		      cross_cpu ? "cross-cpu producers" : "per-cpu producers",
		      nrings, PRODUCERS_PER_RING,
		      (unsigned long long)(all_written + all_dropped),
		      (unsigned long long)all_written, (unsigned long long)all_dropped);
	assert_true(all_written + all_dropped >= total);
	assert_true(all_written > 0);
	rs_ring_set_close(&set);
}

static void test_stress_per_cpu(void **state)
{
	(void)state;
	run_stress(0);
}

static void test_stress_cross_cpu(void **state)
{
	(void)state;
	run_stress(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress_per_cpu),
		cmocka_unit_test(test_stress_cross_cpu),
	};

	return cmocka_run_group_tests_name("ring_stress", tests, NULL, NULL);
}
