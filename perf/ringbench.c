// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringbench.c - per-event producer cost of the ringscope ring against the
 * kernel's BPF ringbuf and perf buffer, on the same tracepoint in one run,
 * plus single-thread consumer drain throughput.
 *
 * Method: the caller thread, pinned to one CPU, makes N calls that fire the
 * tracepoint and times them; one round measures every variant in a rotated
 * order, the variant's consumer (if any) running on another CPU. A
 * variant's added cost in a round is its ns/call minus that round's
 * no-program ns/call; the figure reported is the median over rounds.
 *
 * Two tracepoints, each a full table: tp_btf/sys_enter on getpgid() (every
 * program there also pays the kernel's syscall-tracing slow path, the
 * "empty program" row) and tp_btf/task_rename on prctl(PR_SET_NAME) (a plain
 * tracepoint). "fill only" builds the same record on the stack and sends it
 * nowhere: subtracting it leaves the cost of the transport alone.
 *
 * The last line is "ring/ringbuf producer cost ratio: X.XX": the ring's
 * added cost divided by the ringbuf's (NO_WAKEUP with a polling consumer,
 * its cheapest setup) on the syscall tracepoint.
 *
 * Usage: ringbench [-r ROUNDS] [-n CALLS] [-o RING_ORDER]
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "ringbench.h"
#include "ringbench.skel.h"

static const char *variant_names[BENCH_VARIANTS] = {
	[BENCH_NONE] = "no program",
	[BENCH_EMPTY] = "empty program",
	[BENCH_FILL] = "fill only (no transport)",
	[BENCH_RING] = "ringscope ring",
	[BENCH_RINGBUF_NOWAKEUP] = "ringbuf, NO_WAKEUP, polled",
	[BENCH_RINGBUF_WAKEUP] = "ringbuf, default wake-ups",
	[BENCH_PERFBUF] = "perf buffer",
};

struct bench {
	struct ringbench *skel;
	struct rs_ring_set rings;
	struct ring_buffer *ringbuf;
	struct perf_buffer *perfbuf;
	int producer_cpu, consumer_cpu;
	uint64_t consumed[BENCH_VARIANTS];
	uint64_t from_ringbuf;		/* counted by the libbpf callbacks */
	uint64_t from_perfbuf;
	uint64_t lost_perf;
};

struct consumer {
	struct bench *b;
	enum bench_variant variant;
	int stop;
	uint64_t records;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void count_record(void *ctx, const struct rs_ring *ring,
			 const struct rs_record *rec)
{
	(void)ring;
	*(uint64_t *)ctx += rec->payload.rs_selftest.seq != 0;
}

static int count_ringbuf(void *ctx, void *data, size_t size)
{
	const struct rs_record *rec = data;

	(void)size;
	*(uint64_t *)ctx += rec->payload.rs_selftest.seq != 0;
	return 0;
}

static void count_perf(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	count_ringbuf(&((struct bench *)ctx)->from_perfbuf, data, size);
}

static void lost_perf(void *ctx, int cpu, __u64 n)
{
	(void)cpu;
	((struct bench *)ctx)->lost_perf += n;
}

static size_t drain_rings(struct bench *b, uint64_t *records)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < b->rings.nrings; i++)
		n += rs_ring_drain(&b->rings.rings[i], SIZE_MAX, count_record, records);
	return n;
}

/* Polling consumers sleep 50 us when idle, so both pay the same. */
static void *consume(void *arg)
{
	struct consumer *c = arg;
	struct bench *b = c->b;
	struct timespec idle = { 0, 50000 };

	pin(b->consumer_cpu);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		switch (c->variant) {
		case BENCH_RING:
			if (!drain_rings(b, &c->records))
				nanosleep(&idle, NULL);
			break;
		case BENCH_RINGBUF_NOWAKEUP:
			if (ring_buffer__consume(b->ringbuf) <= 0)
				nanosleep(&idle, NULL);
			break;
		case BENCH_RINGBUF_WAKEUP:
			ring_buffer__poll(b->ringbuf, 20);
			break;
		case BENCH_PERFBUF:
			perf_buffer__poll(b->perfbuf, 20);
			break;
		default:
			nanosleep(&idle, NULL);
			break;
		}
	}
	return NULL;
}

static const char *trigger_names[BENCH_TRIGGERS] = {
	[TRIGGER_SYSCALL] = "tp_btf/sys_enter, getpgid()",
	[TRIGGER_RENAME] = "tp_btf/task_rename, prctl(PR_SET_NAME)",
};

static struct bpf_program *program_of(struct bench *b, enum bench_trigger t,
				      enum bench_variant v)
{
	__typeof__(b->skel->progs) *p = &b->skel->progs;

	switch (v) {
	case BENCH_EMPTY: return t ? p->rename_empty : p->syscall_empty;
	case BENCH_FILL: return t ? p->rename_fill : p->syscall_fill;
	case BENCH_RING: return t ? p->rename_ring : p->syscall_ring;
	case BENCH_RINGBUF_NOWAKEUP:
		return t ? p->rename_ringbuf_nowakeup : p->syscall_ringbuf_nowakeup;
	case BENCH_RINGBUF_WAKEUP:
		return t ? p->rename_ringbuf_wakeup : p->syscall_ringbuf_wakeup;
	case BENCH_PERFBUF: return t ? p->rename_perfbuf : p->syscall_perfbuf;
	default: return NULL;
	}
}

static void fire(enum bench_trigger t)
{
	if (t == TRIGGER_SYSCALL)
		syscall(SYS_getpgid, 0);
	else
		prctl(PR_SET_NAME, "ringbench", 0, 0, 0);
}

/* Variants that wake a consumer per event are ~50x slower: fewer calls. */
static long calls_for(enum bench_variant v, long calls)
{
	return v == BENCH_RINGBUF_WAKEUP || v == BENCH_PERFBUF ? calls / 20 : calls;
}

/* ns per traced call with variant v attached and its consumer running. */
static double measure(struct bench *b, enum bench_trigger t,
		      enum bench_variant v, long calls)
{
	struct bpf_program *prog = program_of(b, t, v);
	struct bpf_link *link = NULL;
	struct consumer c = { .b = b, .variant = v };
	pthread_t thread;
	uint64_t t0, t1, before = b->from_ringbuf + b->from_perfbuf;
	long i;

	if (prog) {
		link = bpf_program__attach(prog);
		if (!link) {
			fprintf(stderr, "failed to attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			exit(1);
		}
	}
	pthread_create(&thread, NULL, consume, &c);
	calls = calls_for(v, calls);
	for (i = 0; i < calls / 10; i++)	/* warm up */
		fire(t);
	t0 = now_ns();
	for (i = 0; i < calls; i++)
		fire(t);
	t1 = now_ns();
	bpf_link__destroy(link);
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	/* what the consumer left behind */
	if (v == BENCH_RING)
		drain_rings(b, &c.records);
	else if (v == BENCH_RINGBUF_NOWAKEUP || v == BENCH_RINGBUF_WAKEUP)
		ring_buffer__consume(b->ringbuf);
	else if (v == BENCH_PERFBUF)
		perf_buffer__consume(b->perfbuf);
	b->consumed[v] += c.records + b->from_ringbuf + b->from_perfbuf - before;
	return (double)(t1 - t0) / (double)calls;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Drain throughput: fill the transport with `records` events while no
 * consumer runs, then time one thread consuming them all.
 */
static double drain_rate(struct bench *b, enum bench_variant v, long records)
{
	struct bpf_link *link = bpf_program__attach(program_of(b, TRIGGER_RENAME, v));
	uint64_t got = 0, t0, t1, before = b->from_ringbuf;
	long i;

	for (i = 0; i < records; i++)
		fire(TRIGGER_RENAME);
	bpf_link__destroy(link);
	pin(b->consumer_cpu);		/* drain where a consumer would: another cpu */
	t0 = now_ns();
	if (v == BENCH_RING) {
		while (drain_rings(b, &got))
			;
	} else {
		ring_buffer__consume(b->ringbuf);
		got = b->from_ringbuf - before;
	}
	t1 = now_ns();
	pin(b->producer_cpu);
	if (got < (uint64_t)records * 9 / 10) {
		fprintf(stderr, "drain of %s got %llu of %ld records\n",
			variant_names[v], (unsigned long long)got, records);
		exit(1);
	}
	return (double)got / ((double)(t1 - t0) / 1e9);
}

static int setup(struct bench *b, unsigned int order)
{
	size_t ringbuf_bytes = 1;
	char err[256];
	int ret, ncpus = libbpf_num_possible_cpus();

	/* same bytes for the ringbuf as for one ring, power of two */
	while (ringbuf_bytes < rs_bpf_ring_value_size(order))
		ringbuf_bytes <<= 1;
	b->skel = ringbench__open();
	if (!b->skel) {
		fprintf(stderr, "failed to open ringbench BPF object\n");
		return -1;
	}
	bpf_map__set_value_size(b->skel->maps.rs_rings, rs_bpf_ring_value_size(order));
	bpf_map__set_max_entries(b->skel->maps.rs_rings, ncpus);
	bpf_map__set_max_entries(b->skel->maps.bench_ringbuf, ringbuf_bytes);
	b->skel->rodata->rs_ring_order = order;
	b->skel->rodata->rs_ring_watermark = 1U << (order - 1);
	b->skel->rodata->target_tgid = getpid();
	b->skel->rodata->target_syscall = SYS_getpgid;
	ret = ringbench__load(b->skel);
	if (ret) {
		fprintf(stderr, "failed to load ringbench BPF object: %s\n", strerror(-ret));
		return -1;
	}
	if (rs_bpf_rings_format(bpf_map__fd(b->skel->maps.rs_rings), 0, err, sizeof(err)) ||
	    rs_ring_set_from_bpf_map(&b->rings, bpf_map__fd(b->skel->maps.rs_rings), -1,
				     err, sizeof(err))) {
		fprintf(stderr, "failed to attach rings: %s\n", err);
		return -1;
	}
	b->ringbuf = ring_buffer__new(bpf_map__fd(b->skel->maps.bench_ringbuf),
				      count_ringbuf, &b->from_ringbuf, NULL);
	b->perfbuf = perf_buffer__new(bpf_map__fd(b->skel->maps.bench_perf_events), 256,
				      count_perf, lost_perf, b, NULL);
	if (!b->ringbuf || !b->perfbuf) {
		fprintf(stderr, "failed to create ringbuf/perfbuf consumers: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Every variant on one trigger, rounds interleaved; prints its table. */
static void run_trigger(struct bench *b, enum bench_trigger t, int rounds,
			long calls, double *med_added)
{
	static double ns[BENCH_VARIANTS][1001], added[BENCH_VARIANTS][1001];
	double med_ns[BENCH_VARIANTS];
	uint64_t dropped = 0;
	int r, k;
	unsigned int i;

	memset(b->consumed, 0, sizeof(b->consumed));
	b->lost_perf = 0;
	for (i = 0; i < b->rings.nrings; i++) {
		struct rs_ring_counters c;

		rs_ring_read_counters(&b->rings.rings[i], &c);
		dropped -= c.dropped;
	}
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < BENCH_VARIANTS; k++) {
			int v = (k + r) % BENCH_VARIANTS;	/* rotate the order */

			ns[v][r] = measure(b, t, v, calls);
		}
		for (k = 0; k < BENCH_VARIANTS; k++)
			added[k][r] = ns[k][r] - ns[BENCH_NONE][r];
	}
	for (k = 0; k < BENCH_VARIANTS; k++) {
		med_ns[k] = median(ns[k], rounds);
		med_added[k] = median(added[k], rounds);
	}
	for (i = 0; i < b->rings.nrings; i++) {
		struct rs_ring_counters c;

		rs_ring_read_counters(&b->rings.rings[i], &c);
		dropped += c.dropped;
	}
	printf("\n%s: %d rounds x %ld calls (wake-per-event variants: %ld)\n",
	       trigger_names[t], rounds, calls, calls / 20);
	printf("%-28s %10s %14s %16s %10s\n", "variant", "ns/call", "added ns/event",
	       "transport ns", "delivered");
	for (k = 0; k < BENCH_VARIANTS; k++) {
		long expected = (calls_for(k, calls) + calls_for(k, calls) / 10) * rounds;
		char transport[32] = "", delivered[32] = "";

		if (k >= BENCH_RING)
			snprintf(transport, sizeof(transport), "%.1f",
				 med_added[k] - med_added[BENCH_FILL]);
		if (k >= BENCH_RING)
			snprintf(delivered, sizeof(delivered), "%.1f%%",
				 100.0 * (double)b->consumed[k] / (double)expected);
		printf("%-28s %10.1f %14.1f %16s %10s\n", variant_names[k], med_ns[k],
		       k == BENCH_NONE ? 0.0 : med_added[k], transport, delivered);
	}
	printf("ring drops: %llu, perf buffer lost: %llu (delivered = consumed / fired)\n",
	       (unsigned long long)dropped, (unsigned long long)b->lost_perf);
	printf("ratio ring/ringbuf: added cost %.2f, transport only %.2f\n",
	       med_added[BENCH_RING] / med_added[BENCH_RINGBUF_NOWAKEUP],
	       (med_added[BENCH_RING] - med_added[BENCH_FILL]) /
	       (med_added[BENCH_RINGBUF_NOWAKEUP] - med_added[BENCH_FILL]));
}

int main(int argc, char **argv)
{
	double added[BENCH_TRIGGERS][BENCH_VARIANTS];
	double ring_rate[5], ringbuf_rate[5];
	int rounds = 21, opt, k, ncpus;
	long calls = 200000;
	unsigned int order = 16;	/* 4 MiB per CPU: no drops at full speed */
	struct bench b = { 0 };

	while ((opt = getopt(argc, argv, "r:n:o:")) != -1) {
		switch (opt) {
		case 'r': rounds = atoi(optarg); break;
		case 'n': calls = atol(optarg); break;
		case 'o': order = (unsigned int)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-r ROUNDS] [-n CALLS] [-o RING_ORDER]\n", argv[0]);
			return 2;
		}
	}
	if (rounds < 1 || rounds > 1000 || calls < 1000 ||
	    order < RS_RING_MIN_ORDER + 1 || order > 20) {
		fprintf(stderr, "ringbench: rounds in [1, 1000], calls >= 1000, order in [7, 20]\n");
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "ringbench: needs root to load BPF programs\n");
		return 2;
	}
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	b.producer_cpu = 0;
	b.consumer_cpu = ncpus > 1 ? 1 : 0;
	if (setup(&b, order))
		return 1;
	pin(b.producer_cpu);
	printf("ringbench: producer on cpu %d, consumer on cpu %d, one ring of 2^%u slots per cpu "
	       "(%zu bytes), ringbuf of the same size rounded up to a power of two\n",
	       b.producer_cpu, b.consumer_cpu, order, rs_bpf_ring_value_size(order));
	printf("added = ns/call - no-program ns/call (median of per-round differences); "
	       "transport = added - fill-only added\n");
	run_trigger(&b, TRIGGER_RENAME, rounds, calls, added[TRIGGER_RENAME]);
	run_trigger(&b, TRIGGER_SYSCALL, rounds, calls, added[TRIGGER_SYSCALL]);
	for (k = 0; k < 5; k++) {
		ring_rate[k] = drain_rate(&b, BENCH_RING, 1L << (order - 1));
		ringbuf_rate[k] = drain_rate(&b, BENCH_RINGBUF_NOWAKEUP, 1L << (order - 1));
	}
	printf("\nconsumer drain, one thread on cpu %d, %ld records each just written on cpu %d: "
	       "ring %.1f Mrec/s, ringbuf %.1f Mrec/s (median of 5)\n",
	       b.consumer_cpu, 1L << (order - 1), b.producer_cpu,
	       median(ring_rate, 5) / 1e6, median(ringbuf_rate, 5) / 1e6);
	ring_buffer__free(b.ringbuf);
	perf_buffer__free(b.perfbuf);
	rs_ring_set_close(&b.rings);
	ringbench__destroy(b.skel);
	printf("ring/ringbuf producer cost ratio: %.2f\n",
	       added[TRIGGER_SYSCALL][BENCH_RING] / added[TRIGGER_SYSCALL][BENCH_RINGBUF_NOWAKEUP]);
	return 0;
}
