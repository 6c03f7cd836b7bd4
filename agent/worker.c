// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* worker.c - drain worker thread: pinning, io_uring wait loop, drain and decode. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <numa.h>

#include "log.h"
#include "worker.h"

#define UD_DOORBELL 1
#define UD_CTL 2
#define STOP_DRAIN_NS 500000000ULL	/* at most 0.5 s of draining at stop */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#define STAT_ADD(w, field, v) \
	__atomic_store_n(&(w)->stats.field, (w)->stats.field + (v), __ATOMIC_RELAXED)

struct rs_acc_set *rs_acc_set_new(const struct rs_decoder_table *t, size_t limit)
{
	struct rs_acc_set *s = calloc(1, sizeof(*s));
	unsigned int i;

	if (!s)
		return NULL;
	for (i = 0; i < t->nbindings; i++) {
		const struct rs_decoder *d = t->bindings[i].dec;

		s->acc[i] = rs_acc_new(d, limit);
		if (!s->acc[i]) {
			rs_acc_set_free(s);
			return NULL;
		}
		s->by_type[d->type] = s->acc[i];
		s->nacc = i + 1;
	}
	return s;
}

void rs_acc_set_free(struct rs_acc_set *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->nacc; i++)
		rs_acc_free(s->acc[i]);
	free(s);
}

uint64_t rs_acc_set_merge(struct rs_acc_set *s, const struct rs_decoder_table *t,
			  struct rs_store *st, uint64_t now)
{
	uint64_t dropped = 0;
	unsigned int i;

	for (i = 0; i < s->nacc; i++) {
		dropped += s->acc[i]->dropped;
		s->acc[i]->dropped = 0;
		rs_acc_merge(st, &t->bindings[i], s->acc[i], now);
	}
	return dropped;
}

int rs_cpulist_parse(const char *s, cpu_set_t *set)
{
	const char *p = s;
	int n = 0;

	CPU_ZERO(set);
	if (!*p)
		return -1;
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b, i;

		if (end == p || a < 0 || a >= CPU_SETSIZE)
			return -1;
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a || b >= CPU_SETSIZE)
				return -1;
		}
		for (i = a; i <= b; i++)
			if (!CPU_ISSET(i, set)) {
				CPU_SET(i, set);
				n++;
			}
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return n;
}

static void on_record(void *ctx, const struct rs_ring *ring, const struct rs_record *rec)
{
	struct rs_worker *w = ctx;
	uint64_t ctl = rec->hdr.ctl;
	uint32_t type = rs_ctl_type(ctl);
	struct rs_acc *a = w->active->by_type[type];

	(void)ring;
	if (__builtin_expect(!a, 0)) {
		if (type == RS_REC_PAD) {
			STAT_ADD(w, pad, 1);
		} else {
			STAT_ADD(w, unknown_type, 1);
			__atomic_store_n(&w->last_bad_type, type, __ATOMIC_RELAXED);
		}
		return;
	}
	if (__builtin_expect(rs_ctl_version(ctl) != a->dec->version, 0)) {
		STAT_ADD(w, bad_version, 1);
		__atomic_store_n(&w->last_bad_type, type | rs_ctl_version(ctl) << 8, __ATOMIC_RELAXED);
		return;
	}
	a->dec->decode(a, rec);
}

uint64_t rs_worker_drain_pass(struct rs_worker *w, int *more)
{
	uint64_t t0 = now_ns(), total = 0;
	struct rs_acc_set *s = w->active;
	unsigned int i;

	*more = 0;
	for (i = 0; i < s->nacc; i++)
		s->acc[i]->now_ns = t0;
	for (i = 0; i < w->nrings; i++) {
		size_t n = rs_ring_drain(w->rings[i], (size_t)w->batch, on_record, w);

		if (n) {
			STAT_ADD(w, batches, 1);
			total += n;
		}
		if (n == (size_t)w->batch)
			*more = 1;
	}
	STAT_ADD(w, passes, 1);
	if (total) {
		STAT_ADD(w, records, total);
		STAT_ADD(w, drain_ns, now_ns() - t0);
	}
	return total;
}

static void arm_poll(struct io_uring *ring, int fd, uint64_t ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return;
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, ud);
}

/* Arm every ring's doorbell; 1 if records are already waiting (then disarmed). */
static int arm_rings(struct rs_worker *w)
{
	unsigned int i;
	int pending = 0;

	for (i = 0; i < w->nrings; i++)
		if (rs_ring_arm(w->rings[i]))
			pending = 1;
	if (pending)
		for (i = 0; i < w->nrings; i++)
			rs_ring_disarm(w->rings[i]);
	return pending;
}

/*
 * Pin the calling thread to the worker's cpus and take its memory from the
 * worker's node (libnuma), so the accumulators allocated next, and every
 * page they touch later, are node-local.
 */
static void pin(struct rs_worker *w)
{
	struct bitmask *mask;
	int c, ok = 0;

	if (numa_available() < 0) {
		if (pthread_setaffinity_np(pthread_self(), sizeof(w->cpus), &w->cpus))
			rs_warn("worker %u: cannot pin to cpus %s", w->id, w->cpus_text);
		return;
	}
	mask = numa_allocate_cpumask();
	if (mask) {
		for (c = 0; c < CPU_SETSIZE && (unsigned int)c < mask->size; c++)
			if (CPU_ISSET(c, &w->cpus))
				numa_bitmask_setbit(mask, (unsigned int)c);
		ok = numa_sched_setaffinity(0, mask) == 0;	/* 0: this thread */
		numa_free_cpumask(mask);
	}
	if (!ok)
		rs_warn("worker %u: cannot pin to cpus %s: %s", w->id, w->cpus_text, strerror(errno));
	if (w->node >= 0)
		numa_set_preferred(w->node);
}

static void *worker_main(void *arg)
{
	struct rs_worker *w = arg;
	int db_fd = w->doorbell && w->doorbell->fd >= 0 ? w->doorbell->fd : -1;
	uint64_t stop_deadline = 0;
	struct io_uring ring;
	char name[16];
	int ret, more;

	snprintf(name, sizeof(name), "rs-worker-%u", w->id);
	pthread_setname_np(pthread_self(), name);
	pin(w);
	w->active = rs_acc_set_new(w->decoders, w->acc_limit);
	rs_mailbox_return(&w->mailbox, rs_acc_set_new(w->decoders, w->acc_limit));
	ret = io_uring_queue_init(8, &ring, 0);
	if (!w->active || !w->mailbox.empty || ret < 0) {
		snprintf(w->error, sizeof(w->error), "worker %u: %s", w->id,
			 ret < 0 ? "io_uring_queue_init failed" : "out of memory");
		rs_error("%s", w->error);
		__atomic_store_n(&w->running, -1, __ATOMIC_RELEASE);
		return NULL;
	}
	__atomic_store_n(&w->running, 1, __ATOMIC_RELEASE);
	if (db_fd >= 0)
		arm_poll(&ring, db_fd, UD_DOORBELL);
	arm_poll(&ring, w->ctl_fd, UD_CTL);
	w->timeout_us = w->timeout_min_us;
	for (;;) {
		struct __kernel_timespec ts;
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;
		uint64_t n = rs_worker_drain_pass(w, &more);

		if (rs_mailbox_offer(&w->mailbox, (void **)&w->active, 0))
			STAT_ADD(w, handoffs, 1);
		if (__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
			/* drain what is in the rings first, but producers that keep
			 * writing cannot hold the stop up for more than STOP_DRAIN_NS */
			if (!stop_deadline)
				stop_deadline = now_ns() + STOP_DRAIN_NS;
			if (n && now_ns() < stop_deadline)
				continue;
			break;
		}
		if (more)
			continue;
		/* adaptive: shorter while records flow, longer while idle */
		if (n)
			w->timeout_us = w->timeout_us / 2 > w->timeout_min_us ?
				w->timeout_us / 2 : w->timeout_min_us;
		else
			w->timeout_us = w->timeout_us * 2 < w->timeout_max_us ?
				w->timeout_us * 2 : w->timeout_max_us;
		if (!n && db_fd >= 0 && arm_rings(w))
			continue;
		ts.tv_sec = w->timeout_us / 1000000;
		ts.tv_nsec = (long long)(w->timeout_us % 1000000) * 1000;
		ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
		STAT_ADD(w, wakeups, 1);
		io_uring_for_each_cqe(&ring, head, cqe) {
			uint64_t ud = io_uring_cqe_get_data64(cqe), v;

			seen++;
			if (ud == UD_DOORBELL) {
				STAT_ADD(w, doorbells, (uint64_t)rs_doorbell_clear(w->doorbell));
				arm_poll(&ring, db_fd, UD_DOORBELL);
			} else if (ud == UD_CTL) {
				if (read(w->ctl_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					rs_warn("worker %u: control eventfd: %s", w->id, strerror(errno));
				arm_poll(&ring, w->ctl_fd, UD_CTL);
			}
		}
		io_uring_cq_advance(&ring, seen);
		if (db_fd >= 0)
			for (head = 0; head < w->nrings; head++)
				rs_ring_disarm(w->rings[head]);
		(void)ret;
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

int rs_worker_start(struct rs_worker *w, char *err, size_t errlen)
{
	int r;

	w->ctl_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->ctl_fd < 0) {
		snprintf(err, errlen, "worker %u: eventfd: %s", w->id, strerror(errno));
		return -1;
	}
	r = pthread_create(&w->thread, NULL, worker_main, w);
	if (r) {
		snprintf(err, errlen, "worker %u: pthread_create: %s", w->id, strerror(r));
		close(w->ctl_fd);
		w->ctl_fd = -1;
		return -1;
	}
	while (!__atomic_load_n(&w->running, __ATOMIC_ACQUIRE))
		usleep(1000);
	if (w->running < 0) {
		pthread_join(w->thread, NULL);
		snprintf(err, errlen, "%s", w->error);
		close(w->ctl_fd);
		w->ctl_fd = -1;
		return -1;
	}
	return 0;
}

static void wake(struct rs_worker *w)
{
	uint64_t one = 1;

	if (write(w->ctl_fd, &one, sizeof(one)) < 0) {
		/* counter full: the worker is awake anyway */
	}
}

void rs_worker_ask(struct rs_worker *w)
{
	rs_mailbox_ask(&w->mailbox);
	wake(w);
}

void rs_worker_stop(struct rs_worker *w)
{
	if (w->running != 1)
		return;
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	wake(w);
	pthread_join(w->thread, NULL);
	w->running = 0;
	close(w->ctl_fd);
	w->ctl_fd = -1;
}

void rs_worker_read_stats(const struct rs_worker *w, struct rs_worker_stats *o)
{
	const struct rs_worker_stats *s = &w->stats;

	o->passes = __atomic_load_n(&s->passes, __ATOMIC_RELAXED);
	o->batches = __atomic_load_n(&s->batches, __ATOMIC_RELAXED);
	o->records = __atomic_load_n(&s->records, __ATOMIC_RELAXED);
	o->drain_ns = __atomic_load_n(&s->drain_ns, __ATOMIC_RELAXED);
	o->wakeups = __atomic_load_n(&s->wakeups, __ATOMIC_RELAXED);
	o->doorbells = __atomic_load_n(&s->doorbells, __ATOMIC_RELAXED);
	o->unknown_type = __atomic_load_n(&s->unknown_type, __ATOMIC_RELAXED);
	o->bad_version = __atomic_load_n(&s->bad_version, __ATOMIC_RELAXED);
	o->pad = __atomic_load_n(&s->pad, __ATOMIC_RELAXED);
	o->handoffs = __atomic_load_n(&s->handoffs, __ATOMIC_RELAXED);
}
