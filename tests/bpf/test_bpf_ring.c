// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the ring with real BPF producers: exact delivery of one record
 * per traced syscall on every CPU, exact drop counts with a small ring and no
 * consumer, the ringbuf doorbell, attach errors on wrong maps, and a
 * perf_event program nesting into a tracepoint program on the same rings.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "ringtest.skel.h"
#include "ringtest.h"
#include "bpf_helpers_test.h"
#include "../uring_poll.h"

static int ncpus;

struct fixture {
	struct ringtest *skel;
	struct rs_ring_set set;
};

/* Load with rings of 2^order slots; attach the classic tracepoint program,
 * or with raw_tracepoint the tp_btf one (see ringtest.bpf.c on nesting). */
static void load(struct fixture *f, unsigned int order, unsigned int watermark,
		 unsigned int window_spins, bool raw_tracepoint)
{
	char err[256];
	int ret;

	memset(f, 0, sizeof(*f));
	f->skel = ringtest__open();
	assert_non_null(f->skel);
	assert_int_equal(bpf_map__set_value_size(f->skel->maps.rs_rings,
						 rs_bpf_ring_value_size(order)), 0);
	assert_int_equal(bpf_map__set_max_entries(f->skel->maps.rs_rings, ncpus), 0);
	f->skel->rodata->rs_ring_order = order;
	f->skel->rodata->rs_ring_watermark = watermark;
	f->skel->rodata->target_tgid = getpid();
	f->skel->rodata->window_spins = window_spins;
	f->skel->rodata->target_syscall = SYS_getpgid;
	ret = ringtest__load(f->skel);
	if (ret)
		fail_msg("failed to load BPF ringtest: %s", strerror(-ret));
	ret = rs_bpf_rings_format(bpf_map__fd(f->skel->maps.rs_rings), watermark,
				  err, sizeof(err));
	if (ret)
		fail_msg("%s", err);
	ret = rs_ring_set_from_bpf_map(&f->set, bpf_map__fd(f->skel->maps.rs_rings),
				       bpf_map__fd(f->skel->maps.rs_doorbell),
				       err, sizeof(err));
	if (ret)
		fail_msg("%s", err);
	assert_int_equal(f->set.nrings, ncpus);
	if (raw_tracepoint) {
		f->skel->links.ringtest_sys_enter =
			bpf_program__attach(f->skel->progs.ringtest_sys_enter);
		assert_non_null(f->skel->links.ringtest_sys_enter);
	} else {
		f->skel->links.ringtest_getpgid =
			bpf_program__attach(f->skel->progs.ringtest_getpgid);
		assert_non_null(f->skel->links.ringtest_getpgid);
	}
}

static void unload(struct fixture *f)
{
	rs_ring_set_close(&f->set);
	ringtest__destroy(f->skel);
}

struct verify {
	uint64_t next_seq[RS_SELFTEST_PERF_EVENT + 1];	/* per producer, one ring */
	uint64_t received[RS_SELFTEST_PERF_EVENT + 1];
	uint64_t bad;
	unsigned long long t0, t1;			/* window of timestamps */
	int check_tgid;
};

static void verify_record(void *ctx, const struct rs_ring *ring,
			  const struct rs_record *rec)
{
	struct verify *v = ctx;
	const struct rs_selftest *p = &rec->payload.rs_selftest;
	unsigned long long ts = rs_ts_restore(rec->hdr.ts_cpu, v->t1);

	if (rs_ctl_type(rec->hdr.ctl) != RS_REC_SELFTEST ||
	    rs_ctl_version(rec->hdr.ctl) != RS_REC_SELFTEST_VERSION ||
	    p->check != rs_selftest_check(p) || p->cpu != ring->index ||
	    rs_record_cpu(rec) != ring->index ||
	    (p->producer != RS_SELFTEST_TRACEPOINT && p->producer != RS_SELFTEST_PERF_EVENT) ||
	    p->seq < v->next_seq[p->producer] || ts < v->t0 || ts > v->t1 ||
	    (v->check_tgid && rs_ctl_tgid(rec->hdr.ctl) != (uint32_t)getpid())) {
		if (v->bad++ < 5)
			print_message("bad record on ring %u: type %u check %s cpu %u/%u producer %u seq %llu (want >= %llu)\n",
				      ring->index, rs_ctl_type(rec->hdr.ctl),
				      p->check == rs_selftest_check(p) ? "ok" : "BAD",
				      p->cpu, rs_record_cpu(rec), p->producer,
				      (unsigned long long)p->seq,
				      (unsigned long long)v->next_seq[p->producer & 3]);
		return;
	}
	v->next_seq[p->producer] = p->seq + 1;
	v->received[p->producer]++;
}

/* Make `calls` traced calls on `cpu`, noting the time window in v. */
static void calls_on_cpu(int cpu, int calls, struct verify *v)
{
	int i;

	v->check_tgid = 1;
	v->t0 = mono_ns();
	assert_int_equal(pin_to_cpu(cpu), 0);
	for (i = 0; i < calls; i++)
		traced_call();
	v->t1 = mono_ns();
}

static void test_exact_delivery(void **state)
{
	const int calls = 5000;
	struct fixture f;
	int cpu, i;

	(void)state;
	load(&f, 14, 0, 0, false);
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct verify v = { 0 };
		struct rs_ring_counters c;

		calls_on_cpu(cpu, calls, &v);
		/* the ring may still hold records of the previous cpu: drain all */
		for (i = 0; i < ncpus; i++)
			if (i != cpu)
				assert_int_equal(rs_ring_drain(&f.set.rings[i], SIZE_MAX,
							       verify_record, &v), 0);
		while (rs_ring_drain(&f.set.rings[cpu], 1000, verify_record, &v))
			;
		assert_int_equal(v.bad, 0);
		assert_int_equal(v.received[RS_SELFTEST_TRACEPOINT], calls);
		rs_ring_read_counters(&f.set.rings[cpu], &c);
		assert_int_equal(c.produced, calls);
		assert_int_equal(c.consumed, calls);
		assert_int_equal(c.dropped, 0);
	}
	unpin(ncpus);
	unload(&f);
}

static void test_small_ring_drops_exactly(void **state)
{
	const int calls = 1000, capacity = 64;
	struct fixture f;
	int cpu;

	(void)state;
	load(&f, 6, 0, 0, false);
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct verify v = { 0 };
		struct rs_ring_counters c;

		calls_on_cpu(cpu, calls, &v);
		rs_ring_read_counters(&f.set.rings[cpu], &c);
		assert_int_equal(c.written, capacity);
		assert_int_equal(c.dropped, calls - capacity);
		assert_int_equal(rs_ring_drain(&f.set.rings[cpu], SIZE_MAX, verify_record, &v),
				 capacity);
		assert_int_equal(v.bad, 0);
		/* the first capacity records survived, in order */
		assert_int_equal(v.next_seq[RS_SELFTEST_TRACEPOINT], capacity);
		rs_ring_read_counters(&f.set.rings[cpu], &c);
		assert_int_equal(c.produced, c.consumed + c.dropped);
	}
	unpin(ncpus);
	unload(&f);
}

static int doorbell_ready(int epfd)
{
	struct epoll_event ev;

	return epoll_wait(epfd, &ev, 1, 0);
}

static void test_doorbell(void **state)
{
	struct fixture f;
	struct rs_ring_counters c;
	struct verify v = { .check_tgid = 1 };
	int i;

	(void)state;
	load(&f, 8, 32, 0, false);
	assert_int_equal(f.set.doorbell.kind, RS_DOORBELL_BPF_RINGBUF);
	assert_int_equal(pin_to_cpu(0), 0);
	v.t0 = mono_ns();
	assert_int_equal(rs_ring_arm(&f.set.rings[0]), 0);
	for (i = 0; i < 31; i++)
		traced_call();
	assert_int_equal(doorbell_ready(f.set.doorbell.fd), 0);
	assert_int_equal(uring_wait_readable(f.set.doorbell.fd, 0), 0);
	traced_call();				/* the 32nd crosses */
	assert_int_equal(doorbell_ready(f.set.doorbell.fd), 1);
	assert_int_equal(uring_wait_readable(f.set.doorbell.fd, 1000), 1);
	for (i = 0; i < 50; i++)		/* quiet: doorbell taken */
		traced_call();
	assert_int_equal(rs_doorbell_clear(&f.set.doorbell), 1);
	assert_int_equal(doorbell_ready(f.set.doorbell.fd), 0);
	rs_ring_read_counters(&f.set.rings[0], &c);
	assert_int_equal(c.doorbells, 1);
	v.t1 = mono_ns();
	assert_int_equal(rs_ring_drain(&f.set.rings[0], SIZE_MAX, verify_record, &v), 82);
	assert_int_equal(v.bad, 0);
	unpin(ncpus);
	unload(&f);
}

static void expect_attach_error(int map_fd, int doorbell_fd, const char *want)
{
	struct rs_ring_set set;
	char err[256] = "";

	assert_true(rs_ring_set_from_bpf_map(&set, map_fd, doorbell_fd, err, sizeof(err)) < 0);
	print_message("    attach error: %s\n", err);
	assert_non_null(strstr(err, want));
}

static void test_bad_attach(void **state)
{
	LIBBPF_OPTS(bpf_map_create_opts, mmapable, .map_flags = BPF_F_MMAPABLE);
	int hash, plain, odd, unformatted, good;
	char err[256];

	(void)state;
	hash = bpf_map_create(BPF_MAP_TYPE_HASH, "rs_hash", 4, 8192, 4, NULL);
	plain = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rs_plain", 4,
			       rs_bpf_ring_value_size(6), 2, NULL);
	odd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rs_odd", 4, 5000, 2, &mmapable);
	unformatted = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rs_unformatted", 4,
				     rs_bpf_ring_value_size(6), 2, &mmapable);
	good = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rs_good", 4,
			      rs_bpf_ring_value_size(6), 2, &mmapable);
	assert_true(hash >= 0 && plain >= 0 && odd >= 0 && unformatted >= 0 && good >= 0);
	expect_attach_error(hash, -1, "want an array map");
	expect_attach_error(plain, -1, "lacks BPF_F_MMAPABLE");
	expect_attach_error(odd, -1, "value size 5000 is not a ring size");
	expect_attach_error(unformatted, -1, "bad ring magic");
	expect_attach_error(12345, -1, "not a BPF map");
	assert_int_equal(rs_bpf_rings_format(good, 0, err, sizeof(err)), 0);
	expect_attach_error(good, hash, "not a BPF ringbuf");
	close(hash);
	close(plain);
	close(odd);
	close(unformatted);
	close(good);
}

/* ---- nesting: perf_event samples interrupt the tracepoint program ------ */

struct nest_run {
	struct fixture *f;
	volatile int stop;
	struct verify v[64];
	uint64_t drained;
};

static void *consume(void *arg)
{
	struct nest_run *run = arg;
	unsigned int i;
	int idle;

	for (;;) {
		int stop = run->stop;

		idle = 1;
		for (i = 0; i < run->f->set.nrings; i++) {
			size_t n = rs_ring_drain(&run->f->set.rings[i], 4096,
						 verify_record, &run->v[i]);

			run->drained += n;
			if (n)
				idle = 0;
		}
		if (stop && idle)
			break;
		if (idle)
			usleep(200);
	}
	return NULL;
}

struct caller {
	int cpu;
	volatile int *stop;
	uint64_t calls;
};

static void *call_loop(void *arg)
{
	struct caller *c = arg;

	pin_to_cpu(c->cpu);
	while (!*c->stop) {
		traced_call();
		c->calls++;
	}
	return NULL;
}

/* Nesting with rings of 2^order slots; want_drops: the ring must overflow. */
static void run_nesting(unsigned int order, bool want_drops)
{
	struct fixture f;
	struct nest_run run;
	struct caller callers[64];
	pthread_t consumer, threads[64];
	struct producer_stats *st;
	uint64_t attempts[3] = { 0 }, written[3] = { 0 }, nested = 0, nested_written = 0;
	uint64_t produced = 0, consumed = 0, dropped = 0, received[3] = { 0 };
	volatile int calls_stop = 0;
	int perf_fds[64], cpu, i, zero = 0;
	struct bpf_link *links[64];

	assert_true(ncpus <= 64);
	load(&f, order, 0, 200, true);
	memset(&run, 0, sizeof(run));
	run.f = &f;
	for (cpu = 0; cpu < ncpus; cpu++) {
		run.v[cpu].t0 = mono_ns();
		run.v[cpu].t1 = mono_ns() + 60ULL * 1000000000ULL;
		perf_fds[cpu] = open_cpu_clock(cpu, 20000);	/* 50 kHz */
		if (perf_fds[cpu] < 0) {
			print_message("skipped: perf_event_open cpu-clock: %s\n", strerror(errno));
			unload(&f);
			skip();
		}
		links[cpu] = bpf_program__attach_perf_event(f.skel->progs.ringtest_sample,
							    perf_fds[cpu]);
		assert_non_null(links[cpu]);
	}
	f.skel->bss->perf_enabled = true;
	assert_int_equal(pthread_create(&consumer, NULL, consume, &run), 0);
	for (cpu = 0; cpu < ncpus; cpu++) {
		callers[cpu] = (struct caller){ .cpu = cpu, .stop = &calls_stop };
		assert_int_equal(pthread_create(&threads[cpu], NULL, call_loop, &callers[cpu]), 0);
	}
	usleep(1500 * 1000);
	calls_stop = 1;
	for (cpu = 0; cpu < ncpus; cpu++)
		pthread_join(threads[cpu], NULL);
	f.skel->bss->perf_enabled = false;
	for (cpu = 0; cpu < ncpus; cpu++) {
		bpf_link__destroy(links[cpu]);
		close(perf_fds[cpu]);
	}
	run.stop = 1;
	pthread_join(consumer, NULL);

	st = calloc(ncpus, sizeof(*st));
	assert_non_null(st);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(f.skel->maps.stats), &zero, st), 0);
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct rs_ring_counters c;

		for (i = 1; i <= 2; i++) {
			attempts[i] += st[cpu].attempts[i];
			written[i] += st[cpu].written[i];
			received[i] += run.v[cpu].received[i];
		}
		nested += st[cpu].nested;
		nested_written += st[cpu].nested_written;
		assert_int_equal(run.v[cpu].bad, 0);
		rs_ring_read_counters(&f.set.rings[cpu], &c);
		produced += c.produced;
		consumed += c.consumed;
		dropped += c.dropped;
		assert_int_equal(c.produced, c.consumed + c.dropped);
		assert_int_equal(c.produced, st[cpu].attempts[1] + st[cpu].attempts[2]);
	}
	free(st);
	print_message("    nesting: %llu tracepoint + %llu perf_event records, %llu samples landed inside a reservation (%llu of them written), dropped %llu\n",
		      (unsigned long long)attempts[1], (unsigned long long)attempts[2],
		      (unsigned long long)nested, (unsigned long long)nested_written,
		      (unsigned long long)dropped);
	for (i = 1; i <= 2; i++) {
		assert_true(attempts[i] > 0);
		assert_int_equal(received[i], written[i]);
	}
	assert_int_equal(produced, attempts[1] + attempts[2]);
	assert_int_equal(consumed, received[1] + received[2]);
	assert_int_equal(produced, consumed + dropped);
	if (nested_written == 0)
		fail_msg("no perf_event sample nested into a reservation: nesting not exercised");
	if (want_drops && dropped == 0)
		fail_msg("a ring of %u slots never overflowed: drops not exercised", 1U << order);
	unload(&f);
}

static void test_nesting(void **state)
{
	(void)state;
	run_nesting(14, false);
}

static void test_nesting_with_drops(void **state)
{
	(void)state;
	run_nesting(6, true);
}

static int group_setup(void **state)
{
	(void)state;
	ncpus = libbpf_num_possible_cpus();
	return ncpus > 0 ? 0 : -1;
}

int main(void)
{
	const char *why = bpf_test_skip_reason();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_delivery),
		cmocka_unit_test(test_small_ring_drops_exactly),
		cmocka_unit_test(test_doorbell),
		cmocka_unit_test(test_bad_attach),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_nesting_with_drops),
	};

	if (why) {
		printf("[==========] bpf_ring: skipped: %s\n", why);
		printf("[  SKIPPED ] %zu test(s), listed below:\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	return cmocka_run_group_tests_name("bpf_ring", tests, group_setup, NULL);
}
