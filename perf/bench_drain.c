// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_drain.c - drain + aggregate throughput of one ringscoped worker.
 *
 * Producer threads fill memfd rings with a realistic record mix (SELFTEST
 * plus three synthetic types decoded into three entities with several
 * counters, max-gauges and a histogram each, over a few thousand keys);
 * then one worker, pinned to one core, drains every ring and folds the
 * records into its accumulators with the agent's own code
 * (rs_worker_drain_pass, the decoders' hot path). Only the drain is timed;
 * the tick's merge into the entity store is timed separately.
 *
 * Last line: "drain+aggregate Mrec/s per core: X.X", the median over rounds
 * (the machine is shared and noisy; the mean and best are printed too).
 * Options: -r rounds (9) -o ring order (20) -p producers (= rings, 2).
 */
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "meta.h"
#include "store.h"
#include "worker.h"

/* ---- synthetic record types (a private range, never in record.h) ------ */
enum { BENCH_SYS = 0xf0, BENCH_BLK = 0xf1, BENCH_TCP = 0xf2 };

struct bench_sys {	/* a syscall exit, per process */
	__u32 nr, ret;
	__u64 dur_ns;
	__u64 rss_kb;
	char comm[16];
	__u64 pad;
};
struct bench_blk {	/* a block request completion, per device */
	__u32 major, minor;
	__u64 bytes;
	__u64 lat_ns;
	__u32 op, err;
	__u64 sector;
	__u64 pad;
};
struct bench_tcp {	/* a tcp socket sample, per connection */
	__u64 cookie;
	__u32 sport, dport;
	__u64 rx, tx;
	__u32 srtt_us, retrans;
	__u64 pad;
};
_Static_assert(sizeof(struct bench_sys) == 48, "sys payload");
_Static_assert(sizeof(struct bench_blk) == 48, "blk payload");
_Static_assert(sizeof(struct bench_tcp) == 48, "tcp payload");

static const char bench_meta[] =
	"version = \"1.0.0\"\nmeasurements: (\n"
	"{ table_name: \"bench_proc\", entity_name: \"bench_proc\", fields: (\n"
	"  { description: \"process\", type: \"key\", name: \"tgid\" },\n"
	"  { description: \"command\", type: \"label\", name: \"comm\" },\n"
	"  { description: \"syscalls\", type: \"counter\", name: \"syscalls\" },\n"
	"  { description: \"failed syscalls\", type: \"counter\", name: \"failed\" },\n"
	"  { description: \"time in syscalls, ns\", type: \"counter\", name: \"syscall_ns\" },\n"
	"  { description: \"largest rss, kB\", type: \"gauge\", name: \"rss_max_kB\" },\n"
	"  { description: \"syscall latency, ns\", type: \"histogram\", name: \"syscall_lat_ns\" } ) },\n"
	"{ table_name: \"bench_blk\", entity_name: \"bench_blk\", fields: (\n"
	"  { description: \"major\", type: \"key\", name: \"major\" },\n"
	"  { description: \"minor\", type: \"key\", name: \"minor\" },\n"
	"  { description: \"requests\", type: \"counter\", name: \"ios\" },\n"
	"  { description: \"bytes\", type: \"counter\", name: \"bytes\" },\n"
	"  { description: \"errors\", type: \"counter\", name: \"errors\" },\n"
	"  { description: \"largest latency, ns\", type: \"gauge\", name: \"lat_max_ns\" },\n"
	"  { description: \"latency, ns\", type: \"histogram\", name: \"lat_ns\" } ) },\n"
	"{ table_name: \"bench_tcp\", entity_name: \"bench_tcp\", fields: (\n"
	"  { description: \"socket\", type: \"key\", name: \"cookie\" },\n"
	"  { description: \"ports\", type: \"label\", name: \"ports\" },\n"
	"  { description: \"received\", type: \"counter\", name: \"rx_bytes\" },\n"
	"  { description: \"sent\", type: \"counter\", name: \"tx_bytes\" },\n"
	"  { description: \"retransmits\", type: \"counter\", name: \"retrans\" },\n"
	"  { description: \"srtt, us\", type: \"histogram\", name: \"srtt_us\" } ) } )\n";

#define NB 24

static void sys_decode(struct rs_acc *a, const struct rs_record *r)
{
	const struct bench_sys *p = (const void *)r->payload.raw;
	struct rs_acc_slot *s = rs_acc_get(a, rs_ctl_tgid(r->hdr.ctl));
	double *d;

	if (!s)
		return;
	d = s->d;
	if (!s->aux[0])
		memcpy(s->aux, p->comm, sizeof(p->comm));
	d[a->off[0]] += 1;
	d[a->off[1]] += (int32_t)p->ret < 0;
	d[a->off[2]] += (double)p->dur_ns;
	if ((double)p->rss_kb > d[a->off[3]])
		d[a->off[3]] = (double)p->rss_kb;
	rs_acc_observe_log2(&d[a->off[4]], NB, p->dur_ns);
}

static void sys_format(const struct rs_acc_slot *s, char out[][RS_DEC_TEXT])
{
	snprintf(out[0], RS_DEC_TEXT, "%llu", (unsigned long long)s->key);
	snprintf(out[1], RS_DEC_TEXT, "%.16s", (const char *)s->aux);
}

static void blk_decode(struct rs_acc *a, const struct rs_record *r)
{
	const struct bench_blk *p = (const void *)r->payload.raw;
	struct rs_acc_slot *s = rs_acc_get(a, (uint64_t)p->major << 20 | p->minor);
	double *d;

	if (!s)
		return;
	d = s->d;
	d[a->off[0]] += 1;
	d[a->off[1]] += (double)p->bytes;
	d[a->off[2]] += p->err != 0;
	if ((double)p->lat_ns > d[a->off[3]])
		d[a->off[3]] = (double)p->lat_ns;
	rs_acc_observe_log2(&d[a->off[4]], NB, p->lat_ns);
}

static void blk_format(const struct rs_acc_slot *s, char out[][RS_DEC_TEXT])
{
	snprintf(out[0], RS_DEC_TEXT, "%llu", (unsigned long long)(s->key >> 20));
	snprintf(out[1], RS_DEC_TEXT, "%llu", (unsigned long long)(s->key & 0xfffff));
}

static void tcp_decode(struct rs_acc *a, const struct rs_record *r)
{
	const struct bench_tcp *p = (const void *)r->payload.raw;
	struct rs_acc_slot *s = rs_acc_get(a, p->cookie);
	double *d;

	if (!s)
		return;
	d = s->d;
	s->aux[0] = (uint64_t)p->sport << 16 | p->dport;
	d[a->off[0]] += (double)p->rx;
	d[a->off[1]] += (double)p->tx;
	d[a->off[2]] += p->retrans;
	rs_acc_observe_log2(&d[a->off[3]], NB, p->srtt_us);
}

static void tcp_format(const struct rs_acc_slot *s, char out[][RS_DEC_TEXT])
{
	snprintf(out[0], RS_DEC_TEXT, "%llu", (unsigned long long)s->key);
	snprintf(out[1], RS_DEC_TEXT, "%u->%u", (unsigned int)(s->aux[0] >> 16),
		 (unsigned int)(s->aux[0] & 0xffff));
}

static double log2_bounds[NB];

static const struct rs_dec_metric sys_metrics[] = {
	{ "syscalls", RS_ACC_ADD, 0, NULL }, { "failed", RS_ACC_ADD, 0, NULL },
	{ "syscall_ns", RS_ACC_ADD, 0, NULL }, { "rss_max_kB", RS_ACC_MAX, 0, NULL },
	{ "syscall_lat_ns", RS_ACC_ADD, NB, log2_bounds },
};
static const struct rs_dec_metric blk_metrics[] = {
	{ "ios", RS_ACC_ADD, 0, NULL }, { "bytes", RS_ACC_ADD, 0, NULL },
	{ "errors", RS_ACC_ADD, 0, NULL }, { "lat_max_ns", RS_ACC_MAX, 0, NULL },
	{ "lat_ns", RS_ACC_ADD, NB, log2_bounds },
};
static const struct rs_dec_metric tcp_metrics[] = {
	{ "rx_bytes", RS_ACC_ADD, 0, NULL }, { "tx_bytes", RS_ACC_ADD, 0, NULL },
	{ "retrans", RS_ACC_ADD, 0, NULL }, { "srtt_us", RS_ACC_ADD, NB, log2_bounds },
};
static const char *const sys_fields[] = { "tgid", "comm" };
static const char *const blk_fields[] = { "major", "minor" };
static const char *const tcp_fields[] = { "cookie", "ports" };

static const struct rs_decoder dec_sys = { "bench_sys", BENCH_SYS, 1, "bench_proc", sys_fields, 2,
	sys_metrics, 5, sys_decode, sys_format };
static const struct rs_decoder dec_blk = { "bench_blk", BENCH_BLK, 1, "bench_blk", blk_fields, 2,
	blk_metrics, 5, blk_decode, blk_format };
static const struct rs_decoder dec_tcp = { "bench_tcp", BENCH_TCP, 1, "bench_tcp", tcp_fields, 2,
	tcp_metrics, 4, tcp_decode, tcp_format };

/* ---- producers ----------------------------------------------------------- */

struct producer {
	struct rs_ring_set *set;
	unsigned int ring;
	uint64_t count, seq, rng;
	pthread_t thread;
};

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	uint64_t i;
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(p->ring % (unsigned int)sysconf(_SC_NPROCESSORS_ONLN), &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	for (i = 0; i < p->count; i++) {
		uint64_t r = next_rand(&p->rng);
		uint32_t tgid = 1000 + (uint32_t)(r % 2000);
		union {
			struct rs_selftest st;
			struct bench_sys sys;
			struct bench_blk blk;
			struct bench_tcp tcp;
		} u;
		uint32_t type;

		memset(&u, 0, sizeof(u));
		switch (r >> 60 & 3) {
		case 0:
			rs_selftest_fill(&u.st, p->seq++, RS_SELFTEST_BENCH, p->ring);
			type = RS_REC_SELFTEST;
			break;
		case 1:
			u.sys.nr = (uint32_t)(r >> 8) & 511;
			u.sys.ret = (r & 31) ? 0 : (uint32_t)-1;
			u.sys.dur_ns = (r >> 20) & 0xffff;
			u.sys.rss_kb = 1000 + ((r >> 12) & 0xfff);
			snprintf(u.sys.comm, sizeof(u.sys.comm), "proc-%u", tgid);
			type = BENCH_SYS;
			break;
		case 2:
			u.blk.major = 8;
			u.blk.minor = (uint32_t)(r >> 24) & 15;
			u.blk.bytes = 4096ULL << ((r >> 8) & 7);
			u.blk.lat_ns = (r >> 32) & 0xfffff;
			u.blk.err = (r & 1023) == 0;
			type = BENCH_BLK;
			break;
		default:
			u.tcp.cookie = (r >> 16) & 4095;
			u.tcp.sport = 40000 + (uint32_t)(u.tcp.cookie);
			u.tcp.dport = 443;
			u.tcp.rx = (r >> 40) & 0xffff;
			u.tcp.tx = (r >> 24) & 0xffff;
			u.tcp.srtt_us = (uint32_t)(r >> 8) & 0xfff;
			u.tcp.retrans = (r & 255) == 0;
			type = BENCH_TCP;
			break;
		}
		if (!rs_user_emit(p->set, p->ring, type, 1, tgid, tgid, 1000 + i, &u, sizeof(u)))
			break;	/* ring full: the round is sized to fit */
	}
	p->count = i;
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void quiet(const char *msg)
{
	fprintf(stderr, "bench: %s\n", msg);
}

int main(int argc, char **argv)
{
	const struct rs_decoder *extra[] = { &dec_sys, &dec_blk, &dec_tcp };
	unsigned int rounds = 9, order = 20, nprod = 2, i, k;
	double *rates;
	struct rs_meta_limits lim = { 1024, 64, "gala_gopher", RS_NAMING_PROMETHEUS };
	struct rs_decoder_table decoders;
	struct rs_meta_set meta;
	struct rs_ring_set set;
	struct rs_worker w;
	struct rs_store *store;
	struct producer *prod;
	double best = 0, total_recs = 0, total_ns = 0;
	char err[256], path[4096];
	cpu_set_t cpus;
	int c;

	while ((c = getopt(argc, argv, "r:o:p:")) != -1) {
		if (c == 'r')
			rounds = (unsigned int)atoi(optarg);
		else if (c == 'o')
			order = (unsigned int)atoi(optarg);
		else if (c == 'p')
			nprod = (unsigned int)atoi(optarg);
		else {
			fprintf(stderr, "usage: bench_drain [-r rounds] [-o ring order] [-p producers]\n");
			return 2;
		}
	}
	if (!rounds || !nprod || nprod > 64) {
		fprintf(stderr, "bench_drain: -r and -p must be 1..64\n");
		return 2;
	}
	for (i = 0; i < NB; i++)
		log2_bounds[i] = (double)(1ULL << i);
	rates = calloc(rounds, sizeof(*rates));
	if (!rates)
		return 1;
	rs_meta_init(&meta);
	snprintf(path, sizeof(path), "%s", RS_DEFAULT_META_DIR);
	rs_meta_add_dir(&meta, path);
	rs_meta_add_text(&meta, bench_meta, "bench_drain.meta");
	rs_meta_resolve(&meta, &lim);
	if (rs_decoders_bind(&decoders, &meta, extra, 3, quiet) != 4) {
		fprintf(stderr, "bench_drain: decoders did not all bind\n");
		return 1;
	}
	if (rs_ring_set_create_memfd(&set, nprod, order, 1u << (order - 1), err, sizeof(err))) {
		fprintf(stderr, "bench_drain: %s\n", err);
		return 1;
	}
	store = rs_store_new(&meta, 100000, ~0ULL / 2);
	memset(&w, 0, sizeof(w));
	w.rings = calloc(nprod, sizeof(*w.rings));
	prod = calloc(nprod, sizeof(*prod));
	for (i = 0; i < nprod; i++)
		w.rings[i] = &set.rings[i];
	w.nrings = nprod;
	w.decoders = &decoders;
	w.batch = 256;
	w.acc_limit = 100000;
	w.active = rs_acc_set_new(&decoders, w.acc_limit);
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	printf("bench_drain: %u producer(s) fill %u ring(s) of %u records; one worker drains and "
	       "aggregates into 4 entities (selftest, bench_proc, bench_blk, bench_tcp)\n",
	       nprod, nprod, 1u << order);
	for (k = 0; k < rounds; k++) {
		uint64_t filled = 0, drained = 0, t0, t1, t2;
		int more = 1;

		for (i = 0; i < nprod; i++) {
			prod[i].set = &set;
			prod[i].ring = i;
			prod[i].count = (1ULL << order) - 1;
			prod[i].rng = 0x9e3779b97f4a7c15ULL * (k * 64 + i + 1);
			pthread_create(&prod[i].thread, NULL, produce, &prod[i]);
		}
		for (i = 0; i < nprod; i++) {
			pthread_join(prod[i].thread, NULL);
			filled += prod[i].count;
		}
		pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
		t0 = now_ns();
		while (more || drained < filled) {
			uint64_t n = rs_worker_drain_pass(&w, &more);

			drained += n;
			if (!n && !more)
				break;
		}
		t1 = now_ns();
		rs_acc_set_merge(w.active, &decoders, store, t1);
		t2 = now_ns();
		printf("round %u: %llu records drained+aggregated in %.1f ms = %.1f Mrec/s; "
		       "tick merge of %zu+%zu+%zu+%zu keys %.2f ms\n", k + 1,
		       (unsigned long long)drained, (double)(t1 - t0) / 1e6,
		       (double)drained * 1e3 / (double)(t1 - t0),
		       store->tables[rs_meta_entity(&meta, "selftest")->index].count,
		       store->tables[rs_meta_entity(&meta, "bench_proc")->index].count,
		       store->tables[rs_meta_entity(&meta, "bench_blk")->index].count,
		       store->tables[rs_meta_entity(&meta, "bench_tcp")->index].count,
		       (double)(t2 - t1) / 1e6);
		if (drained != filled) {
			fprintf(stderr, "bench_drain: drained %llu of %llu\n",
				(unsigned long long)drained, (unsigned long long)filled);
			return 1;
		}
		rates[k] = (double)drained * 1e3 / (double)(t1 - t0);
		if ((double)drained * 1e3 / (double)(t1 - t0) > best)
			best = (double)drained * 1e3 / (double)(t1 - t0);
		total_recs += (double)drained;
		total_ns += (double)(t1 - t0);
	}
	qsort(rates, rounds, sizeof(*rates), cmp_double);
	printf("records/s per core: %.0f median of %u rounds (mean %.0f, best %.0f)\n",
	       rates[rounds / 2] * 1e6, rounds, total_recs * 1e9 / total_ns, best * 1e6);
	printf("drain+aggregate Mrec/s per core: %.1f\n", rates[rounds / 2]);
	free(rates);
	rs_acc_set_free(w.active);
	rs_store_free(store);
	rs_ring_set_close(&set);
	rs_meta_free(&meta);
	free(w.rings);
	free(prod);
	return 0;
}
