// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the sched probe (bpf/sched.bpf.c) against ground truth:
 * run-queue latency under stress-ng CPU contention, computed from the
 * probe's wakeup and switch records with runqlat's rules, against Debian's
 * libbpf-tools runqlat running over the same two seconds (log2 histogram:
 * event count within 10%, bucket shares within 10% in total variation);
 * and a burst of 200 short processes: exec and exit records exact.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "../../agent/probes/bpf_probes.h"
#include "bpf_helpers_test.h"
#include "drain_thread.h"

#define MAX_RECS (4 << 20)
#define NB 27			/* log2 buckets of microseconds, as runqlat */

struct capture {
	struct rs_bpf_probes probes;
	struct rs_ring_set set;
	struct drain_thread drainer;
	struct rs_record *recs;		/* copies, to sort by time */
	uint64_t *ts;
	size_t n;
	uint64_t overflow;
};

static void keep(void *ctx, const struct rs_ring *ring, const struct rs_record *rec)
{
	struct capture *c = ctx;

	(void)ring;
	if (c->n == MAX_RECS) {
		c->overflow++;
		return;
	}
	c->recs[c->n] = *rec;
	c->ts[c->n] = rs_ts_restore(rec->hdr.ts_cpu, mono_ns());
	c->n++;
}

static void start(struct capture *c)
{
	char err[256];

	memset(c, 0, sizeof(*c));
	c->recs = malloc(MAX_RECS * sizeof(*c->recs));
	c->ts = malloc(MAX_RECS * sizeof(*c->ts));
	assert_true(c->recs && c->ts);
	if (rs_bpf_probes_init(&c->probes, 16, 0, err, sizeof(err)) ||
	    rs_ring_set_from_bpf_map(&c->set, c->probes.rings_fd, c->probes.doorbell_fd,
				     err, sizeof(err)) ||
	    rs_bpf_probes_enable(&c->probes, "sched", err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(drain_thread_start(&c->drainer, &c->set, keep, c), 0);
}

static void stop(struct capture *c)
{
	struct rs_ring_counters rc;
	unsigned int i;

	rs_bpf_probes_disable(&c->probes, "sched");
	drain_thread_stop(&c->drainer);
	for (i = 0; i < c->set.nrings; i++) {
		rs_ring_read_counters(&c->set.rings[i], &rc);
		assert_int_equal(rc.dropped, 0);
	}
	assert_int_equal(c->overflow, 0);
	rs_ring_set_close(&c->set);
	rs_bpf_probes_close(&c->probes);
}

static void release(struct capture *c)
{
	free(c->recs);
	free(c->ts);
}

static struct capture *sort_ctx;

static int by_time(const void *a, const void *b)
{
	uint64_t x = sort_ctx->ts[*(const uint32_t *)a], y = sort_ctx->ts[*(const uint32_t *)b];

	return (x > y) - (x < y);
}

/*
 * runqlat's rules (libbpf-tools runqlat.bpf.c): a task is enqueued when
 * woken (sched_wakeup, sched_wakeup_new) or when switched out still
 * runnable; its latency is the time to its next switch-in. pid 0 ignored.
 * Records from all rings in time order; only switch-ins in [from, to).
 */
static uint64_t runq_histogram(struct capture *c, uint64_t from, uint64_t to, uint64_t *hist)
{
	static uint64_t enqueued[1 << 22];	/* by pid: enqueue time + 1 */
	uint32_t *order = malloc(c->n * sizeof(*order));
	uint64_t total = 0;
	size_t i;

	memset(enqueued, 0, sizeof(enqueued));
	for (i = 0; i < c->n; i++)
		order[i] = (uint32_t)i;
	sort_ctx = c;
	qsort(order, c->n, sizeof(*order), by_time);
	for (i = 0; i < c->n; i++) {
		const struct rs_record *r = &c->recs[order[i]];
		uint64_t ts = c->ts[order[i]];
		uint32_t type = rs_ctl_type(r->hdr.ctl);

		if (type == RS_REC_SCHED_WAKEUP) {
			uint32_t pid = r->payload.rs_sched_wakeup.pid;

			if (pid && pid < (1u << 22))
				enqueued[pid] = ts + 1;
		} else if (type == RS_REC_SCHED_SWITCH) {
			const struct rs_sched_switch *s = &r->payload.rs_sched_switch;

			if (s->prev_state == 0 && s->prev_pid && s->prev_pid < (1u << 22))
				enqueued[s->prev_pid] = ts + 1;
			if (s->next_pid && s->next_pid < (1u << 22) && enqueued[s->next_pid]) {
				uint64_t us = (ts - (enqueued[s->next_pid] - 1)) / 1000;
				unsigned int b = 0;

				enqueued[s->next_pid] = 0;
				if (ts < from || ts >= to)
					continue;
				while (us >> (b + 1) && b < NB - 1)
					b++;
				hist[us ? b : 0]++;
				total++;
			}
		}
	}
	free(order);
	return total;
}

/* Parse runqlat's table: "  lo -> hi : count |...|" into log2 buckets. */
static uint64_t parse_runqlat(FILE *f, uint64_t *hist)
{
	char line[256];
	unsigned long long lo, hi, count;
	uint64_t total = 0;

	while (fgets(line, sizeof(line), f)) {
		unsigned int b = 0;

		if (sscanf(line, " %llu -> %llu : %llu", &lo, &hi, &count) != 3)
			continue;
		while ((1ULL << (b + 1)) <= lo && b < NB - 1)
			b++;
		hist[lo ? b : 0] += count;
		total += count;
	}
	return total;
}

static void test_runqlat(void **state)
{
	uint64_t ours[NB] = { 0 }, theirs[NB] = { 0 }, n_ours, n_theirs, t_from, t_to;
	struct capture *c = calloc(1, sizeof(*c));
	double tvd = 0, dcount;
	char line[256];
	FILE *rq;
	pid_t stress;
	int b;

	(void)state;
	if (access("/usr/sbin/runqlat", X_OK) || system("command -v stress-ng >/dev/null 2>&1")) {
		print_message("skipped: needs libbpf-tools' runqlat and stress-ng (make deps)\n");
		free(c);
		skip();
	}
	start(c);
	stress = fork();
	if (stress == 0) {
		execlp("stress-ng", "stress-ng", "--cpu", "6", "--timeout", "5s", "--quiet",
		       (char *)NULL);
		_exit(127);
	}
	usleep(500 * 1000);
	rq = popen("stdbuf -oL /usr/sbin/runqlat 2 1 2>&1", "r");
	assert_non_null(rq);
	/* runqlat's two seconds start when it says it is tracing */
	while (fgets(line, sizeof(line), rq) && !strstr(line, "Tracing"))
		;
	t_from = mono_ns();
	n_theirs = parse_runqlat(rq, theirs);
	t_to = mono_ns();
	pclose(rq);
	waitpid(stress, NULL, 0);
	stop(c);
	/* runqlat's window ends when it reads its map, just before printing */
	n_ours = runq_histogram(c, t_from, t_to, ours);
	/* total variation distance of the bucket shares: 0 same, 1 disjoint */
	for (b = 0; b < NB; b++) {
		double p = n_ours ? (double)ours[b] / (double)n_ours : 0;
		double q = n_theirs ? (double)theirs[b] / (double)n_theirs : 0;

		tvd += 0.5 * (p > q ? p - q : q - p);
	}
	if (!n_ours || !n_theirs)
		tvd = 1;
	dcount = 100.0 * ((double)n_ours - (double)n_theirs) / (double)(n_theirs ? n_theirs : 1);
	print_message("    run-queue latency events: sched probe %llu, runqlat %llu (%+.1f%%); "
		      "histogram total variation %.3f; %zu records captured\n",
		      (unsigned long long)n_ours, (unsigned long long)n_theirs, dcount, tvd, c->n);
	for (b = 0; b < NB; b++)
		if (ours[b] || theirs[b])
			print_message("      %8llu -> %-8llu us: probe %8llu  runqlat %8llu\n",
				      b ? 1ULL << b : 0ULL, (1ULL << (b + 1)) - 1,
				      (unsigned long long)ours[b], (unsigned long long)theirs[b]);
	release(c);
	free(c);
	assert_true(n_theirs > 1000);
	assert_true(dcount > -10.0 && dcount < 10.0);
	assert_true(tvd <= 0.10);
}

static void test_exec_exit_burst(void **state)
{
	const int count = 200;
	struct capture *c = calloc(1, sizeof(*c));
	pid_t pids[200];
	int execs = 0, exits = 0, i, k;
	size_t r;

	(void)state;
	start(c);
	for (k = 0; k < count; k++) {
		pids[k] = fork();
		if (pids[k] == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		assert_true(pids[k] > 0);
		waitpid(pids[k], NULL, 0);
	}
	usleep(100 * 1000);
	stop(c);
	for (r = 0; r < c->n; r++) {
		const struct rs_record *rec = &c->recs[r];
		uint32_t type = rs_ctl_type(rec->hdr.ctl);

		for (i = 0; i < count; i++) {
			if (type == RS_REC_PROC_EXEC && rec->payload.rs_proc_exec.tgid == (uint32_t)pids[i] &&
			    !strcmp(rec->payload.rs_proc_exec.comm, "true") &&
			    rec->payload.rs_proc_exec.ppid == (uint32_t)getpid())
				execs++;
			if (type == RS_REC_PROC_EXIT && rec->payload.rs_proc_exit.tgid == (uint32_t)pids[i] &&
			    (rec->payload.rs_proc_exit.flags & RS_EXIT_F_GROUP_DEAD))
				exits++;
		}
	}
	print_message("    %d processes: %d exec and %d exit records\n", count, execs, exits);
	release(c);
	free(c);
	assert_int_equal(execs, count);
	assert_int_equal(exits, count);
}

int main(void)
{
	const char *why = bpf_test_skip_reason();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_exit_burst),
		cmocka_unit_test(test_runqlat),
	};

	if (why) {
		printf("[==========] bpf_sched: skipped: %s\n", why);
		printf("[  SKIPPED ] %zu test(s), listed below:\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	return cmocka_run_group_tests_name("bpf_sched", tests, NULL, NULL);
}
