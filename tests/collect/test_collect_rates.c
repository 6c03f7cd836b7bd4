// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: per-interval figures from two samples, against values
 * computed by hand: CPU times and utilisation, iostat's r/s, rkB/s, await,
 * request size, aqu-sz and %util, NIC deltas and KB/s; 32-bit tick wraps;
 * counters going backwards never give negative figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rates.h"

#define SEC 1000000000ull

static void assert_near(double got, double want)
{
	if (got < want - 1e-9 || got > want + 1e-9)
		fail_msg("got %.12f, want %.12f", got, want);
}

static void test_counter_delta(void **state)
{
	uint64_t d;

	(void)state;
	assert_true(rsc_counter_delta(10, 15, 64, &d) && d == 5);
	assert_true(rsc_counter_delta(5, 5, 32, &d) && d == 0);
	/* a 32-bit counter wrapped once */
	assert_true(rsc_counter_delta(UINT32_MAX - 4, 5, 32, &d) && d == 10);
	/* a 64-bit counter going back is a reset, never a huge delta */
	assert_false(rsc_counter_delta(100, 5, 64, &d));
	assert_true(d == 0);
	/* "32-bit" but the old value did not fit: a reset too */
	assert_false(rsc_counter_delta(UINT64_C(1) << 40, 5, 32, &d));
}

static void test_cpu(void **state)
{
	struct rsc_cpu_times a = { 500, 0, 250, 4000, 50, 0, 0, 0 };
	struct rsc_cpu_times b = { 800, 0, 350, 4550, 100, 0, 0, 0 };
	struct rsc_cpu_times back = { 600, 0, 250, 4900, 40, 0, 0, 0 };	/* iowait went back */
	struct rsc_cpu_delta d;

	(void)state;
	rsc_cpu_delta(&a, &b, 100, &d);		/* 100 ticks/s: 10 ms a tick */
	assert_true(d.user_ms == 3000 && d.system_ms == 1000 && d.idle_ms == 5500 &&
		    d.iowait_ms == 500 && d.nice_ms == 0 && d.steal_ms == 0);
	assert_near(d.util, 40.0);		/* (300 + 100) / 1000 */

	rsc_cpu_delta(&a, &back, 100, &d);
	assert_true(d.iowait_ms == 0);		/* clamped, not 2^64 - 10 */
	assert_near(d.util, 10.0);		/* 100 / (100 + 900) */

	rsc_cpu_delta(&a, &b, 1000, &d);	/* another USER_HZ */
	assert_true(d.user_ms == 300);

	rsc_cpu_delta(&a, &a, 100, &d);		/* no time passed */
	assert_near(d.util, 0.0);

	rsc_cpu_delta(&b, &a, 100, &d);		/* everything went back */
	assert_near(d.util, 0.0);
	assert_true(d.user_ms == 0 && d.idle_ms == 0);
}

/* Found by fuzz_stat: deltas near 2^64 overflowed the ms conversion and the sum. */
static void test_cpu_huge(void **state)
{
	struct rsc_cpu_times zero = { 0 };
	struct rsc_cpu_times huge = { UINT64_MAX, UINT64_MAX, 0, UINT64_MAX, 0, 0, 0, UINT64_MAX };
	struct rsc_cpu_delta d;

	(void)state;
	rsc_cpu_delta(&zero, &huge, 100, &d);
	assert_true(d.user_ms == UINT64_MAX);	/* saturated */
	assert_true(d.idle_ms == UINT64_MAX);
	assert_near(d.util, 75.0);		/* 3 of 4 huge deltas busy */
	rsc_cpu_delta(&zero, &huge, 0, &d);	/* no USER_HZ: 100 assumed */
	assert_true(d.steal_ms == UINT64_MAX);
}

static void test_iostat(void **state)
{
	struct rsc_disk a = {
		.rd_ios = 1000, .rd_sectors = 20000, .rd_ticks = 5000,
		.wr_ios = 2000, .wr_sectors = 40000, .wr_ticks = 8000,
		.io_ticks = 3000, .time_in_queue = 13000,
	};
	struct rsc_disk b = {
		.rd_ios = 1500, .rd_sectors = 30000, .rd_ticks = 6000,
		.wr_ios = 3000, .wr_sectors = 80000, .wr_ticks = 11000,
		.io_ticks = 5500, .time_in_queue = 17000,
	};
	struct rsc_iostat s;

	(void)state;
	assert_int_equal(rsc_iostat(&a, &b, 10 * SEC, &s), 0);
	assert_near(s.rspeed, 50.0);		/* 500 reads / 10 s */
	assert_near(s.rspeed_kb, 500.0);	/* 10000 sectors / 2 / 10 s */
	assert_near(s.r_await, 2.0);		/* 1000 ms / 500 reads */
	assert_near(s.rareq, 10.0);		/* 5000 KB / 500 reads */
	assert_near(s.wspeed, 100.0);
	assert_near(s.wspeed_kb, 2000.0);
	assert_near(s.w_await, 3.0);
	assert_near(s.wareq, 20.0);
	assert_near(s.aqu, 0.4);		/* 4000 ms in queue / 10000 ms */
	assert_near(s.util, 25.0);		/* 2500 ms busy / 10000 ms */

	/* idle interval: no division by zero */
	assert_int_equal(rsc_iostat(&b, &b, 10 * SEC, &s), 0);
	assert_near(s.r_await, 0.0);
	assert_near(s.wareq, 0.0);
	assert_near(s.util, 0.0);

	/* dt of zero: no figures */
	assert_int_equal(rsc_iostat(&a, &b, 0, &s), -1);
	/* device re-created: ios went back */
	assert_int_equal(rsc_iostat(&b, &a, 10 * SEC, &s), -1);
}

static void test_iostat_wrap_and_cap(void **state)
{
	/* the ms tick columns are 32-bit in /proc/diskstats */
	struct rsc_disk a = { .rd_ios = 100, .rd_sectors = 800, .rd_ticks = 4294967000u,
			      .io_ticks = 4294967290u, .time_in_queue = 100 };
	struct rsc_disk b = { .rd_ios = 200, .rd_sectors = 1600, .rd_ticks = 704,
			      .io_ticks = 4, .time_in_queue = 100 };
	struct rsc_disk busy = b;
	struct rsc_iostat s;

	(void)state;
	assert_int_equal(rsc_iostat(&a, &b, 10 * SEC, &s), 0);
	assert_near(s.r_await, 10.0);		/* 1000 ms over the wrap / 100 */
	assert_near(s.util, 0.1);		/* 10 ms over the wrap / 10 s */
	assert_near(s.rspeed_kb, 40.0);
	assert_near(s.rareq, 4.0);
	assert_near(s.aqu, 0.0);

	/* io_ticks can run ahead of wall time by a tick: capped at 100 % */
	busy.io_ticks = 4 + 10001;
	assert_int_equal(rsc_iostat(&b, &busy, 10 * SEC, &s), 0);
	assert_near(s.util, 100.0);
}

static void test_nic(void **state)
{
	struct rsc_nic a = { .rx_bytes = 1048576000, .rx_packets = 1000, .rx_errs = 1, .rx_dropped = 2,
			     .tx_bytes = 524288000, .tx_packets = 500, .tx_errs = 0, .tx_dropped = 1 };
	struct rsc_nic b = { .rx_bytes = 1059061760, .rx_packets = 1100, .rx_errs = 2, .rx_dropped = 2,
			     .tx_bytes = 525336576, .tx_packets = 550, .tx_errs = 0, .tx_dropped = 3 };
	struct rsc_nic reset = b;
	struct rsc_nic_delta d;

	(void)state;
	assert_int_equal(rsc_nic_delta(&a, &b, 10 * SEC, &d), 0);
	assert_true(d.rx_bytes == 10485760 && d.rx_packets == 100 && d.rx_errs == 1 &&
		    d.rx_dropped == 0 && d.tx_bytes == 1048576 && d.tx_packets == 50 &&
		    d.tx_errs == 0 && d.tx_dropped == 2);
	assert_near(d.rx_kbps, 1024.0);		/* 10 MiB / 1024 / 10 s */
	assert_near(d.tx_kbps, 102.4);

	reset.rx_bytes = 50;			/* driver reset: counters restart */
	assert_int_equal(rsc_nic_delta(&b, &reset, 10 * SEC, &d), -1);
	assert_int_equal(rsc_nic_delta(&a, &b, 0, &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_delta),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_cpu_huge),
		cmocka_unit_test(test_iostat),
		cmocka_unit_test(test_iostat_wrap_and_cap),
		cmocka_unit_test(test_nic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
