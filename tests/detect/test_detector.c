// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_detector.c - Description: the detectors on known series: P-square
 * follows a quantile, SPOT's bound matches an exponential tail, each kind
 * alarms on an injected spike and nowhere else, absorbs a level shift,
 * honours direction, warmup, min_delta and holdoff, ignores NaN, and
 * SPOT still alarms on a mostly-zero series it cannot fit a tail to.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "detector.h"
#include "quantile.h"
#include "spot.h"

/* A deterministic uniform in (0,1): xorshift64*. */
static double uniform(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return ((double)((*s * 2685821657736338717ull) >> 11) + 0.5) / 9007199254740992.0;
}

static double gaussian(uint64_t *s)
{
	return sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
}

static void test_p2_quantile(void **state)
{
	struct rs_p2 e;
	uint64_t seed = 42;

	(void)state;
	rs_p2_init(&e, 0.9);
	assert_true(isnan(rs_p2_value(&e)));
	rs_p2_add(&e, 3);
	assert_float_equal(rs_p2_value(&e), 3, 0);
	for (int i = 0; i < 100000; i++)
		rs_p2_add(&e, uniform(&seed));
	assert_float_equal(rs_p2_value(&e), 0.9, 0.01);
	rs_p2_add(&e, NAN);	/* ignored */
	assert_float_equal(rs_p2_value(&e), 0.9, 0.01);
}

static void test_spot_exponential_bound(void **state)
{
	struct rs_spot s;
	uint64_t seed = 7;
	double bound, want = -log(1e-4);	/* P(X > x) = e^-x */

	(void)state;
	rs_spot_init(&s, 0.98);
	assert_true(isnan(rs_spot_bound(&s, 1e-4)));
	for (int i = 0; i < 50000; i++)
		rs_spot_add(&s, -log(uniform(&seed)));
	assert_int_equal(rs_spot_peaks(&s), RS_SPOT_PEAKS);
	bound = rs_spot_bound(&s, 1e-4);
	/* 64 peaks: the fit is rough; within 30% of the true 1e-4 quantile */
	assert_true(fabs(bound - want) < 0.3 * want);
	assert_true(rs_spot_tail(&s, bound) < 1.0001e-4 && rs_spot_tail(&s, bound) > 0.9999e-4);
	assert_float_equal(rs_spot_tail(&s, 0), 1, 0);
}

/* Feeds noise around 100 with a spike at `at`; returns the alarm count
 * and the first alarm index. */
static int run_spike(int kind, int dir, double spike, int at, int *first)
{
	struct rs_det_params p;
	struct rs_det d;
	struct rs_det_verdict v;
	uint64_t seed = 1234;
	int alarms = 0;

	rs_det_params_default(&p, kind);
	p.direction = dir;
	rs_det_init(&d, &p);
	*first = -1;
	for (int i = 0; i < 600; i++) {
		double x = 100 + gaussian(&seed) + (i == at ? spike : 0);

		rs_det_feed(&d, x, &v);
		if (v.alarm) {
			alarms++;
			if (*first < 0)
				*first = i;
		}
	}
	return alarms;
}

static void test_spike_each_kind(void **state)
{
	int first;

	(void)state;
	for (int k = 0; k < RS_DET_NKINDS; k++) {
		assert_int_equal(run_spike(k, RS_DIR_BOTH, 30, 400, &first), 1);
		assert_int_equal(first, 400);
		assert_int_equal(run_spike(k, RS_DIR_BOTH, -30, 400, &first), 1);
		assert_int_equal(first, 400);
		/* up only: a dip is not an anomaly */
		assert_int_equal(run_spike(k, RS_DIR_UP, -30, 400, &first), 0);
		/* quiet baseline: no alarm at all */
		assert_int_equal(run_spike(k, RS_DIR_BOTH, 0, 400, &first), 0);
	}
}

static void test_level_shift_absorbed(void **state)
{
	struct rs_det_params p;
	struct rs_det d;
	struct rs_det_verdict v;
	uint64_t seed = 99;
	int last_alarm = -1, first = -1;

	(void)state;
	rs_det_params_default(&p, RS_DET_SPOT);
	rs_det_init(&d, &p);
	for (int i = 0; i < 1000; i++) {
		rs_det_feed(&d, (i >= 500 ? 150 : 100) + gaussian(&seed), &v);
		if (v.alarm) {
			if (first < 0)
				first = i;
			last_alarm = i;
		}
	}
	assert_int_equal(first, 500);
	/* the new level becomes normal within a few windows */
	assert_true(last_alarm < 500 + 4 * (int)p.window);
}

static void test_warmup_min_delta_holdoff_nan(void **state)
{
	struct rs_det_params p;
	struct rs_det d;
	struct rs_det_verdict v;

	(void)state;
	rs_det_params_default(&p, RS_DET_ZSCORE);
	p.warmup = 20;
	p.min_delta = 5;
	p.holdoff = 3;
	rs_det_init(&d, &p);
	for (int i = 0; i < 10; i++) {	/* big jumps during warmup: silent */
		rs_det_feed(&d, i % 2 ? 1000 : 0, &v);
		assert_false(v.alarm);
	}
	for (int i = 0; i < 40; i++)
		rs_det_feed(&d, 10 + (i % 2) * 0.1, &v);
	rs_det_feed(&d, 14, &v);	/* far in sd, but under min_delta */
	assert_false(v.alarm);
	rs_det_feed(&d, NAN, &v);
	assert_false(v.alarm);
	assert_true(isnan(v.expected));
	rs_det_feed(&d, 40, &v);	/* an onset */
	assert_true(v.alarm);
	assert_true(v.score >= 0.5);
	rs_det_feed(&d, 10, &v);
	rs_det_feed(&d, 40, &v);	/* within holdoff: alarm, not an onset */
	assert_true(v.alarm);
	assert_float_equal(v.score, 0, 0);
}

/* Mostly zero (a drop counter, a PSI stall counter): SPOT has no tail to
 * fit; a value beyond the range seen, by min_delta at least, alarms. */
static void test_spot_zero_inflated(void **state)
{
	struct rs_det_params p;
	struct rs_det d;
	struct rs_det_verdict v;
	int alarms = 0, first = -1;

	(void)state;
	rs_det_params_default(&p, RS_DET_SPOT);
	p.direction = RS_DIR_UP;
	p.min_delta = 5;
	rs_det_init(&d, &p);
	for (int i = 0; i < 600; i++) {
		double x = i == 100 || i == 200 ? 3 : i >= 400 && i < 430 ? 130 : 0;

		rs_det_feed(&d, x, &v);
		if (v.alarm) {
			alarms++;
			if (first < 0)
				first = i;
		}
	}
	assert_int_equal(first, 400);
	assert_true(alarms >= 1 && alarms <= 30);
	assert_false(v.alarm);	/* back to zero: quiet */
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_int_equal(rs_det_kind_parse("SPOT"), RS_DET_SPOT);
	assert_int_equal(rs_det_kind_parse("ewma"), RS_DET_EWMA);
	assert_int_equal(rs_det_kind_parse("zscore"), RS_DET_ZSCORE);
	assert_int_equal(rs_det_kind_parse("htm"), -1);
	assert_string_equal(rs_det_kind_name(RS_DET_ZSCORE), "zscore");
	assert_string_equal(rs_det_kind_name(99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p2_quantile),
		cmocka_unit_test(test_spot_exponential_bound),
		cmocka_unit_test(test_spike_each_kind),
		cmocka_unit_test(test_level_shift_absorbed),
		cmocka_unit_test(test_warmup_min_delta_holdoff_nan),
		cmocka_unit_test(test_spot_zero_inflated),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
