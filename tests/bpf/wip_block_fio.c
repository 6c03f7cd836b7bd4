// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the block probe (bpf/block.bpf.c) against fio, a tool no
 * one here wrote: random 4 KiB direct reads on a loop device (direct I/O to
 * a file on the root disk); request completions within 2% of fio's I/O
 * count, issue->complete latency p50/p99 within 10% of fio's completion
 * latency percentiles, every completion paired with its issue.
 *
 * WORK IN PROGRESS, not in `make test` (the file is not named test_*.c):
 * issues match fio's count exactly, but 0.1-0.7% of completion records
 * never get written, on the loop device and on vda alike, while the ring
 * reports no drop and the program reports no recursion miss. A separate
 * counting experiment (a tp_btf and a raw_tp program on block_rq_complete,
 * against /sys/block/loopN/stat) shows both programs see the same, smaller
 * number of completions than the kernel's own counter (987 of 989): on this
 * kernel some requests complete without firing the tracepoint. So: count
 * I/Os at issue, take latency from the pairs seen, expire issues whose
 * completion never comes (the agent's pairing table must). Also, under the
 * load of this shared 2-core VM fio's p50 runs 6-30% above the block
 * layer's issue->complete time (fio's wake-up is outside the request).
 * Build by hand: make build/tests/wip_block_fio (see the rule in Makefile).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "block.skel.h"
#include "bpf_helpers_test.h"
#include "drain_thread.h"

#define MAX_INFLIGHT 4096
#define MAX_SAMPLES (1 << 20)

struct collect {
	struct rs_ring_set set;
	struct drain_thread drainer;
	uint32_t major, minor;
	/* issued, not yet completed: rq_id -> issue time */
	uint64_t inflight_id[MAX_INFLIGHT], inflight_ts[MAX_INFLIGHT];
	bool inflight_issue[MAX_INFLIGHT];
	uint64_t npending;		/* unpaired records in the table */
	uint64_t other[3];
	uint64_t replaced;		/* issues whose completion never came */
	uint64_t *latency_ns;
	size_t nlatency;
	uint64_t issues, completes, reads, read_bytes, errors;
};

/*
 * Pair issue and completion by rq_id whichever arrives first: they are often
 * on different CPUs' rings, and a consumer draining ring after ring can meet
 * a completion before its issue.
 */
static void pair(struct collect *c, uint64_t id, uint64_t ts, int is_issue)
{
	unsigned int slot = (unsigned int)(id % MAX_INFLIGHT), i;

	for (i = 0; i < MAX_INFLIGHT; i++, slot = (slot + 1) % MAX_INFLIGHT)
		if (c->inflight_id[slot] == id && c->inflight_issue[slot] != is_issue)
			break;
	if (i < MAX_INFLIGHT) {
		uint64_t issue_ts = is_issue ? ts : c->inflight_ts[slot];
		uint64_t complete_ts = is_issue ? c->inflight_ts[slot] : ts;

		if (c->nlatency < MAX_SAMPLES)
			c->latency_ns[c->nlatency++] = complete_ts - issue_ts;
		c->inflight_id[slot] = 0;
		c->npending--;
		return;
	}
	/* a request issued again before its completion was seen: that
	 * completion was lost (see recursion misses); start over */
	slot = (unsigned int)(id % MAX_INFLIGHT);
	for (i = 0; i < MAX_INFLIGHT; i++, slot = (slot + 1) % MAX_INFLIGHT)
		if (c->inflight_id[slot] == id && c->inflight_issue[slot] == is_issue)
			break;
	if (i < MAX_INFLIGHT) {
		c->replaced++;
		c->inflight_ts[slot] = ts;
		return;
	}
	slot = (unsigned int)(id % MAX_INFLIGHT);
	for (i = 0; i < MAX_INFLIGHT && c->inflight_id[slot]; i++)
		slot = (slot + 1) % MAX_INFLIGHT;
	c->inflight_id[slot] = id;
	c->inflight_ts[slot] = ts;
	c->inflight_issue[slot] = is_issue;
	c->npending++;
}

static void on_record(void *ctx, const struct rs_ring *ring, const struct rs_record *rec)
{
	struct collect *c = ctx;
	const struct rs_block_rq *p = (const struct rs_block_rq *)&rec->payload;
	uint64_t ts = rs_ts_restore(rec->hdr.ts_cpu, mono_ns());
	uint32_t type = rs_ctl_type(rec->hdr.ctl);

	(void)ring;
	if (p->major != c->major || p->minor != c->minor) {
		if (type == RS_REC_BLOCK_RQ_COMPLETE || type == RS_REC_BLOCK_RQ_ISSUE)
			c->other[type == RS_REC_BLOCK_RQ_ISSUE]++;
		else
			c->other[2]++;
		return;
	}
	if (type == RS_REC_BLOCK_RQ_ISSUE) {
		c->issues++;
		pair(c, p->rq_id, ts, 1);
	} else if (type == RS_REC_BLOCK_RQ_COMPLETE) {
		c->completes++;
		if (p->op == 0) {
			c->reads++;
			c->read_bytes += p->nr_bytes;
		}
		if (p->error)
			c->errors++;
		pair(c, p->rq_id, ts, 0);
	}
}

/*
 * A tp_btf program does not run when its tracepoint fires again on the same
 * CPU while it runs (a completion interrupting a completion); the kernel
 * counts each such miss per program.
 */
static uint64_t recursion_misses(const struct bpf_program *prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.recursion_misses;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* nearest-rank percentile, as fio reports them */
static double percentile(const uint64_t *sorted, size_t n, double pct)
{
	size_t rank = (size_t)((pct / 100.0) * (double)n + 0.5);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)sorted[rank - 1];
}

static double fio_pct(json_t *read, const char *key)
{
	json_t *v = json_object_get(json_object_get(json_object_get(read, "clat_ns"),
						    "percentile"), key);

	return json_is_number(v) ? json_number_value(v) : -1;
}

static int sh(const char *cmd, char *out, size_t outlen)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0;

	if (!f)
		return -1;
	if (out && outlen) {
		n = fread(out, 1, outlen - 1, f);
		out[n] = 0;
		while (n && (out[n - 1] == '\n'))
			out[--n] = 0;
	}
	return pclose(f) == 0 ? 0 : -1;
}

static void test_fio_randread(void **state)
{
	char backing[] = "/var/tmp/rs-block-XXXXXX", loopdev[64] = "", cmd[512];
	char json_path[] = "/tmp/rs-fio-XXXXXX";
	struct collect *c = calloc(1, sizeof(*c));
	struct block *skel;
	struct stat st;
	char err[256];
	json_t *root, *read;
	json_error_t jerr;
	double p50, p99, f50, f99, d50, d99, dcount;
	int fd, ret;
	json_int_t fio_ios;
	uint64_t misses = 0;

	(void)state;
	if (system("command -v fio >/dev/null 2>&1") != 0) {
		print_message("skipped: fio not installed (make deps)\n");
		free(c);
		skip();
	}
	c->latency_ns = calloc(MAX_SAMPLES, sizeof(uint64_t));
	fd = mkstemp(backing);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 256 << 20), 0);
	close(fd);
	/* fill it so reads hit allocated blocks */
	snprintf(cmd, sizeof(cmd), "dd if=/dev/urandom of=%s bs=1M count=256 conv=notrunc status=none",
		 backing);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "losetup --direct-io=on -f --show %s", backing);
	if (sh(cmd, loopdev, sizeof(loopdev)) || !loopdev[0]) {
		unlink(backing);
		print_message("skipped: cannot set up a loop device: %s\n", loopdev);
		free(c->latency_ns);
		free(c);
		skip();
	}
	assert_int_equal(stat(loopdev, &st), 0);
	c->major = major(st.st_rdev);
	c->minor = minor(st.st_rdev);

	skel = block__open();
	assert_non_null(skel);
	bpf_map__set_value_size(skel->maps.rs_rings, rs_bpf_ring_value_size(14));
	bpf_map__set_max_entries(skel->maps.rs_rings, libbpf_num_possible_cpus());
	skel->rodata->rs_ring_order = 14;
	skel->rodata->rs_ring_watermark = 1U << 13;
	ret = block__load(skel);
	if (ret)
		fail_msg("failed to load the block probe: %s", strerror(-ret));
	if (rs_bpf_rings_format(bpf_map__fd(skel->maps.rs_rings), 0, err, sizeof(err)) ||
	    rs_ring_set_from_bpf_map(&c->set, bpf_map__fd(skel->maps.rs_rings), -1,
				     err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(block__attach(skel), 0);
	assert_int_equal(drain_thread_start(&c->drainer, &c->set, on_record, c), 0);

	fd = mkstemp(json_path);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "chrt -f 50 fio --name=rr --filename=%s --direct=1 --rw=randread --bs=4k --ioengine=psync "
		 "--runtime=4 --time_based --size=256M --output-format=json --output=%s >/dev/null 2>&1",
		 loopdev, json_path);
	assert_int_equal(system(cmd), 0);
	usleep(200 * 1000);
	drain_thread_stop(&c->drainer);
	{
		struct rs_ring_counters rc;
		unsigned int i;

		for (i = 0; i < c->set.nrings; i++) {
			rs_ring_read_counters(&c->set.rings[i], &rc);
			print_message("    ring %u: written %llu consumed %llu dropped %llu\n", i,
				      (unsigned long long)rc.written, (unsigned long long)rc.consumed,
				      (unsigned long long)rc.dropped);
			assert_int_equal(rc.dropped, 0);
			assert_int_equal(rc.pending, 0);
		}
	}
	misses = recursion_misses(skel->progs.block_rq_complete);
	block__destroy(skel);
	rs_ring_set_close(&c->set);
	snprintf(cmd, sizeof(cmd), "losetup -d %s", loopdev);
	ret = system(cmd);
	unlink(backing);

	root = json_load_file(json_path, 0, &jerr);
	unlink(json_path);
	assert_non_null(root);
	read = json_object_get(json_array_get(json_object_get(root, "jobs"), 0), "read");
	fio_ios = json_integer_value(json_object_get(read, "total_ios"));
	f50 = fio_pct(read, "50.000000");
	f99 = fio_pct(read, "99.000000");
	assert_true(fio_ios > 0 && f50 > 0 && f99 > 0);
	qsort(c->latency_ns, c->nlatency, sizeof(uint64_t), cmp_u64);
	p50 = percentile(c->latency_ns, c->nlatency, 50);
	p99 = percentile(c->latency_ns, c->nlatency, 99);
	d50 = 100.0 * (p50 - f50) / f50;
	d99 = 100.0 * (p99 - f99) / f99;
	dcount = 100.0 * ((double)c->issues - (double)fio_ios) / (double)fio_ios;
	print_message("    fio %lld reads, block probe %llu issues (%+.2f%%); "
		      "p50 %.1f us vs fio %.1f us (%+.1f%%); p99 %.1f us vs fio %.1f us (%+.1f%%); "
		      "completions %llu, unpaired %llu, errors %llu; completion program missed "
		      "%llu nested runs (all devices), issues left without completion %llu\n",
		      (long long)fio_ios, (unsigned long long)c->issues, dcount,
		      p50 / 1e3, f50 / 1e3, d50, p99 / 1e3, f99 / 1e3, d99,
		      (unsigned long long)c->completes,
		      (unsigned long long)c->npending, (unsigned long long)c->errors,
		      (unsigned long long)misses,
		      (unsigned long long)(c->replaced + c->npending));
	json_decref(root);
	assert_true(dcount > -2.0 && dcount < 2.0);
	assert_true(d50 > -10.0 && d50 < 10.0);
	assert_true(d99 > -10.0 && d99 < 10.0);
	/* every lost completion is one the kernel counted as missed */
	assert_true(c->completes <= c->issues);
	assert_true(c->issues - c->completes <= misses);
	assert_int_equal(c->replaced + c->npending, c->issues - c->completes);
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->read_bytes, c->reads * 4096);
	assert_true(c->reads == c->completes);
	free(c->latency_ns);
	free(c);
}

int main(void)
{
	const char *why = bpf_test_skip_reason();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fio_randread),
	};

	if (why) {
		printf("[==========] bpf_block: skipped: %s\n", why);
		printf("[  SKIPPED ] %zu test(s), listed below:\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	return cmocka_run_group_tests_name("bpf_block", tests, NULL, NULL);
}
