// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the ring protocol on memfd rings, one thread: record layout,
 * wrap-around, full ring, exact drop counting, publication order, the
 * watermark doorbell and attach errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "shm.h"
#include "../uring_poll.h"

#define ORDER 6			/* 64 slots */
#define NSLOTS (1U << ORDER)

static int emit_seq(struct rs_ring_set *set, unsigned int ring, uint64_t seq)
{
	struct rs_selftest p;

	rs_selftest_fill(&p, seq, RS_SELFTEST_USER, ring);
	return rs_user_emit(set, ring, RS_REC_SELFTEST, RS_REC_SELFTEST_VERSION,
			    4242, 4243, 1000 + seq, &p, sizeof(p));
}

struct expect {
	uint64_t next_seq;
	uint64_t seen;
};

static void check_record(void *ctx, const struct rs_ring *ring,
			 const struct rs_record *rec)
{
	struct expect *e = ctx;
	const struct rs_selftest *p = &rec->payload.rs_selftest;

	assert_int_equal(rs_ctl_type(rec->hdr.ctl), RS_REC_SELFTEST);
	assert_int_equal(rs_ctl_version(rec->hdr.ctl), RS_REC_SELFTEST_VERSION);
	assert_int_equal(rs_ctl_tgid(rec->hdr.ctl), 4242);
	assert_int_equal(rs_ctl_pid(rec->hdr.ctl), 4243);
	assert_int_equal(rs_record_cpu(rec), ring->index);
	assert_int_equal(p->seq, e->next_seq);
	assert_int_equal(p->check, rs_selftest_check(p));
	assert_int_equal(rs_ts_restore(rec->hdr.ts_cpu, 1000 + p->seq), 1000 + p->seq);
	e->next_seq++;
	e->seen++;
}

static void test_record_layout(void **state)
{
	uint64_t ctl = rs_make_ctl(RS_REC_SELFTEST, 3, 4194303, 1);
	uint64_t now = 5ULL << 48 | 12345;	/* a clock past 2^48 ns */

	(void)state;
	assert_int_equal(sizeof(struct rs_record), 64);
	assert_int_equal(rs_ctl_type(ctl), RS_REC_SELFTEST);
	assert_int_equal(rs_ctl_version(ctl), 3);
	assert_int_equal(rs_ctl_tgid(ctl), 4194303);	/* PID_MAX_LIMIT - 1 */
	assert_int_equal(rs_ctl_pid(ctl), 1);
	assert_int_equal(rs_ctl_tag(ctl), 0);
	ctl = rs_make_ctl_pid_tgid(RS_REC_PAD, 1, (77ULL << 32) | 78);
	assert_int_equal(rs_ctl_tgid(ctl), 77);
	assert_int_equal(rs_ctl_pid(ctl), 78);
	/* restore: records a little older or newer than the reference */
	assert_int_equal(rs_ts_restore(rs_make_ts_cpu(now - 7, 3), now), now - 7);
	assert_int_equal(rs_ts_restore(rs_make_ts_cpu(now + 9, 3), now), now + 9);
	assert_int_equal(rs_ts_restore(rs_make_ts_cpu(now - 20000, 1), now), now - 20000);
	assert_int_equal(rs_ts_restore(rs_make_ts_cpu(now - (1ULL << 46), 1), now),
			 now - (1ULL << 46));
	assert_int_equal(rs_record_cpu(&(struct rs_record){ .hdr.ts_cpu =
					 rs_make_ts_cpu(now, 65535) }), 65535);
}

static void test_wraparound(void **state)
{
	struct rs_ring_set set;
	struct expect e = { 0, 0 };
	char err[256];
	uint64_t seq = 0;
	int lap, i;

	(void)state;
	assert_int_equal(rs_ring_set_create_memfd(&set, 1, ORDER, 0, err, sizeof(err)), 0);
	/* 300 laps: the 8-bit lap tag wraps too */
	for (lap = 0; lap < 300; lap++) {
		int batch = (lap % 7) + NSLOTS - 7;	/* misaligned batches */

		for (i = 0; i < batch; i++)
			assert_int_equal(emit_seq(&set, 0, seq++), 1);
		assert_int_equal(rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e),
				 (size_t)batch);
		assert_int_equal(rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e), 0);
	}
	assert_int_equal(e.seen, seq);
	struct rs_ring_counters c;
	rs_ring_read_counters(&set.rings[0], &c);
	assert_int_equal(c.produced, seq);
	assert_int_equal(c.consumed, seq);
	assert_int_equal(c.dropped, 0);
	rs_ring_set_close(&set);
}

static void test_full_ring_drops_exactly(void **state)
{
	struct rs_ring_set set;
	struct rs_ring_counters c;
	struct expect e = { 0, 0 };
	char err[256];
	uint64_t i, accepted = 0;

	(void)state;
	assert_int_equal(rs_ring_set_create_memfd(&set, 2, ORDER, 0, err, sizeof(err)), 0);
	for (i = 0; i < 1000; i++)
		accepted += (uint64_t)emit_seq(&set, 1, i);
	assert_int_equal(accepted, NSLOTS);
	rs_ring_read_counters(&set.rings[1], &c);
	assert_int_equal(c.written, NSLOTS);
	assert_int_equal(c.dropped, 1000 - NSLOTS);
	assert_int_equal(c.produced, 1000);
	assert_int_equal(c.pending, NSLOTS);
	/* nothing overwritten: the first NSLOTS records survive in order */
	assert_int_equal(rs_ring_drain(&set.rings[1], 10, check_record, &e), 10);
	assert_int_equal(rs_ring_drain(&set.rings[1], SIZE_MAX, check_record, &e),
			 NSLOTS - 10);
	/* space again after the drain */
	e.next_seq = 5000;
	assert_int_equal(emit_seq(&set, 1, 5000), 1);
	assert_int_equal(rs_ring_drain(&set.rings[1], SIZE_MAX, check_record, &e), 1);
	rs_ring_read_counters(&set.rings[1], &c);
	assert_int_equal(c.produced, c.consumed + c.dropped);
	/* the other ring saw nothing */
	rs_ring_read_counters(&set.rings[0], &c);
	assert_int_equal(c.produced, 0);
	rs_ring_set_close(&set);
}

/* An outer producer interrupted between reserve and publish (nesting). */
static void test_unpublished_slot_stops_drain(void **state)
{
	struct rs_ring_set set;
	struct rs_ring_header *h;
	struct rs_record *outer;
	struct expect e = { 0, 0 };
	char err[256];
	__u64 pos = 0;

	(void)state;
	assert_int_equal(rs_ring_set_create_memfd(&set, 1, ORDER, 0, err, sizeof(err)), 0);
	h = set.rings[0].hdr;
	assert_int_equal(emit_seq(&set, 0, 0), 1);
	assert_int_equal(rs_ring_reserve(h, NSLOTS, &pos), 1);	/* outer */
	assert_int_equal(pos, 1);
	assert_int_equal(emit_seq(&set, 0, 2), 1);		/* nested */
	assert_int_equal(rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e), 1);
	assert_int_equal(rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e), 0);
	outer = &set.rings[0].slots[pos];
	rs_selftest_fill(&outer->payload.rs_selftest, 1, RS_SELFTEST_USER, 0);
	outer->hdr.ts_cpu = rs_make_ts_cpu(1001, 0);
	rs_ring_publish(outer, pos, ORDER, rs_make_ctl(RS_REC_SELFTEST,
		RS_REC_SELFTEST_VERSION, 4242, 4243));
	assert_int_equal(rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e), 2);
	assert_int_equal(e.seen, 3);
	rs_ring_set_close(&set);
}

static void test_peek_release(void **state)
{
	struct rs_ring_set set;
	struct rs_ring_counters c;
	const struct rs_record *rec;
	char err[256];
	uint64_t cursor, i, n = 0;

	(void)state;
	assert_int_equal(rs_ring_set_create_memfd(&set, 1, ORDER, 0, err, sizeof(err)), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(emit_seq(&set, 0, i), 1);
	cursor = rs_ring_cursor(&set.rings[0]);
	while ((rec = rs_ring_peek(&set.rings[0], &cursor)) != NULL) {
		assert_int_equal(rec->payload.rs_selftest.seq, n);
		n++;
	}
	assert_int_equal(n, 20);
	rs_ring_read_counters(&set.rings[0], &c);
	assert_int_equal(c.consumed, 0);	/* nothing released yet */
	rs_ring_release(&set.rings[0], cursor);
	rs_ring_read_counters(&set.rings[0], &c);
	assert_int_equal(c.consumed, 20);
	rs_ring_set_close(&set);
}

/* Positions are free-running 64-bit counters: crossing 2^64 changes nothing. */
static void test_position_wrap(void **state)
{
	struct rs_ring_set set, view;
	struct rs_ring_counters c;
	struct expect e = { 0, 0 };
	const struct rs_record *rec;
	char err[256];
	uint64_t start = UINT64_MAX - 9, cursor, i, n = 0;

	(void)state;
	assert_int_equal(rs_ring_set_create_memfd(&set, 1, ORDER, 0, err, sizeof(err)), 0);
	set.rings[0].hdr->prod.head = start;
	set.rings[0].hdr->prod.cached_tail = start;
	set.rings[0].hdr->cons.tail = start;
	assert_int_equal(rs_ring_set_from_memfd(&view, set.fd, err, sizeof(err)), 0);
	assert_int_equal(view.rings[0].pos, start);
	for (i = 0; i < 20; i++)
		assert_int_equal(emit_seq(&set, 0, i), 1);
	cursor = rs_ring_cursor(&view.rings[0]);
	while ((rec = rs_ring_peek(&view.rings[0], &cursor)) != NULL && n < 100) {
		assert_int_equal(rec->payload.rs_selftest.seq, n);
		n++;
	}
	assert_int_equal(n, 20);
	assert_int_equal(cursor, start + 20);		/* wrapped */
	assert_int_equal(rs_ring_drain(&view.rings[0], SIZE_MAX, check_record, &e), 20);
	rs_ring_read_counters(&view.rings[0], &c);
	assert_int_equal(c.consumed, 10);
	assert_int_equal(c.pending, 0);
	view.own_fd = 0;		/* the fd belongs to set */
	rs_ring_set_close(&view);
	rs_ring_set_close(&set);
}

static void test_watermark_doorbell(void **state)
{
	struct rs_ring_set set;
	struct expect e = { 0, 0 };
	struct rs_ring_counters c;
	char err[256];
	uint64_t seq = 0;
	int i;

	(void)state;
	assert_int_equal(rs_ring_set_create_memfd(&set, 1, ORDER, 16, err, sizeof(err)), 0);
	assert_int_equal(set.rings[0].hdr->geo.watermark, 16);
	/* not armed: crossing the watermark rings nothing */
	for (i = 0; i < 20; i++)
		emit_seq(&set, 0, seq++);
	assert_int_equal(rs_doorbell_clear(&set.doorbell), 0);
	/* armed with data waiting: arm says so, the caller drains instead */
	assert_true(rs_ring_arm(&set.rings[0]) >= 16);
	rs_ring_disarm(&set.rings[0]);
	rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e);
	/* armed, below the watermark: silence */
	assert_int_equal(rs_ring_arm(&set.rings[0]), 0);
	for (i = 0; i < 15; i++)
		emit_seq(&set, 0, seq++);
	assert_int_equal(rs_doorbell_clear(&set.doorbell), 0);
	assert_int_equal(uring_wait_readable(set.doorbell.fd, 0), 0);
	/* the 16th record rings exactly once, the rest of the burst is quiet */
	for (i = 0; i < 40; i++)
		emit_seq(&set, 0, seq++);
	assert_int_equal(uring_wait_readable(set.doorbell.fd, 1000), 1);
	assert_int_equal(rs_doorbell_clear(&set.doorbell), 1);
	assert_int_equal(rs_doorbell_clear(&set.doorbell), 0);
	rs_ring_read_counters(&set.rings[0], &c);
	assert_int_equal(c.doorbells, 1);
	rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e);
	/* re-armed after a drain: the next crossing rings again */
	assert_int_equal(rs_ring_arm(&set.rings[0]), 0);
	for (i = 0; i < 16; i++)
		emit_seq(&set, 0, seq++);
	assert_int_equal(rs_doorbell_clear(&set.doorbell), 1);
	rs_ring_drain(&set.rings[0], SIZE_MAX, check_record, &e);
	assert_int_equal(e.seen, seq);
	rs_ring_set_close(&set);
}

/* Write a one-ring file, corrupt it with fn, expect attach to fail. */
static void attach_corrupted(void (*corrupt)(struct rs_ring_header *, int fd),
			     int want, const char *want_msg)
{
	struct rs_ring_set set, bad;
	char err[256] = "";
	int fd;

	assert_int_equal(rs_ring_set_create_memfd(&set, 2, ORDER, 0, err, sizeof(err)), 0);
	fd = set.fd;
	corrupt(set.rings[0].hdr, fd);
	assert_int_equal(rs_ring_set_from_memfd(&bad, fd, err, sizeof(err)), want);
	assert_non_null(strstr(err, want_msg));
	print_message("    attach error: %s\n", err);
	rs_ring_set_close(&set);
}

static void bad_magic(struct rs_ring_header *h, int fd)
{
	(void)fd;
	h->geo.magic = 0xdeadbeef;
}

static void bad_version(struct rs_ring_header *h, int fd)
{
	(void)fd;
	h->geo.abi_version = RS_RING_ABI_VERSION + 1;
}

static void bad_order(struct rs_ring_header *h, int fd)
{
	(void)fd;
	h->geo.order = 40;
}

static void bad_size(struct rs_ring_header *h, int fd)
{
	(void)h;
	assert_int_equal(ftruncate(fd, RS_RING_BYTES(ORDER) + 100), 0);
}

static void too_small(struct rs_ring_header *h, int fd)
{
	(void)h;
	assert_int_equal(ftruncate(fd, 100), 0);
}

static void bad_record_size(struct rs_ring_header *h, int fd)
{
	(void)fd;
	h->geo.record_size = 128;
}

static void test_bad_attach(void **state)
{
	struct rs_ring_set set;
	char err[256];

	(void)state;
	attach_corrupted(bad_magic, -EPROTO, "bad ring magic");
	attach_corrupted(bad_version, -EPROTONOSUPPORT, "ABI version");
	attach_corrupted(bad_order, -EINVAL, "order 40");
	attach_corrupted(bad_size, -EINVAL, "not a whole number");
	attach_corrupted(too_small, -EINVAL, "too small");
	attach_corrupted(bad_record_size, -EPROTO, "record size 128");
	assert_int_equal(rs_ring_set_create_memfd(&set, 1, 3, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "order 3"));
	assert_int_equal(rs_ring_set_create_memfd(&set, 0, ORDER, 0, err, sizeof(err)), -EINVAL);
	/* a plain file that is no ring */
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite("hello", 1, 5, f), 5);
	fflush(f);
	assert_int_equal(rs_ring_set_from_memfd(&set, fileno(f), err, sizeof(err)), -EINVAL);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_layout),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_full_ring_drops_exactly),
		cmocka_unit_test(test_unpublished_slot_stops_drain),
		cmocka_unit_test(test_peek_release),
		cmocka_unit_test(test_position_wrap),
		cmocka_unit_test(test_watermark_doorbell),
		cmocka_unit_test(test_bad_attach),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
