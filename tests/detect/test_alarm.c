// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_alarm.c - Description: the dedup/recovery state machine: one event
 * when an anomaly starts, the occurred count and duration grow while it
 * lasts, a resend once per period, recovery only after recover_ticks quiet
 * ticks (a single quiet tick does not end it), and a new event after that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "alarm.h"

#define S 1000000000ull

static void test_open_repeat_recover(void **state)
{
	struct rs_alarm a;
	const uint64_t resend = 30 * S;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(rs_alarm_step(&a, 0, 0, 0, 2, resend), RS_ALARM_NONE);
	assert_int_equal(rs_alarm_step(&a, 1, 7, 10 * S, 2, resend), RS_ALARM_OPEN);
	assert_int_equal(a.count, 1);
	assert_int_equal(rs_alarm_duration_s(&a), 0);
	for (int t = 1; t < 6; t++)	/* every 5 s, below the resend period */
		assert_int_equal(rs_alarm_step(&a, 1, 8, (10 + 5 * t) * S, 2, resend),
				 RS_ALARM_NONE);
	assert_int_equal(a.count, 6);
	assert_int_equal(rs_alarm_duration_s(&a), 25);
	assert_int_equal(rs_alarm_step(&a, 1, 9, 40 * S, 2, resend), RS_ALARM_REPEAT);
	assert_int_equal(a.count, 7);
	assert_float_equal(a.value, 9, 0);
	/* one quiet tick then anomalous again: the same alarm goes on */
	assert_int_equal(rs_alarm_step(&a, 0, 0, 45 * S, 2, resend), RS_ALARM_NONE);
	assert_int_equal(rs_alarm_step(&a, 1, 9, 50 * S, 2, resend), RS_ALARM_NONE);
	assert_int_equal(a.count, 8);
	assert_int_equal(rs_alarm_step(&a, 0, 0, 55 * S, 2, resend), RS_ALARM_NONE);
	assert_int_equal(rs_alarm_step(&a, 0, 0, 60 * S, 2, resend), RS_ALARM_RECOVER);
	assert_int_equal(rs_alarm_duration_s(&a), 40);
	assert_int_equal(rs_alarm_step(&a, 0, 0, 65 * S, 2, resend), RS_ALARM_NONE);
	assert_int_equal(rs_alarm_step(&a, 1, 3, 70 * S, 2, resend), RS_ALARM_OPEN);
	assert_int_equal(a.count, 1);
}

static void test_no_resend_and_min_recover(void **state)
{
	struct rs_alarm a;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(rs_alarm_step(&a, 1, 1, 0, 0, 0), RS_ALARM_OPEN);
	for (int t = 1; t < 1000; t++)
		assert_int_equal(rs_alarm_step(&a, 1, 1, (uint64_t)t * 3600 * S, 0, 0),
				 RS_ALARM_NONE);
	/* recover_ticks 0 is taken as 1 */
	assert_int_equal(rs_alarm_step(&a, 0, 0, 4000 * 3600 * S, 0, 0), RS_ALARM_RECOVER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_repeat_recover),
		cmocka_unit_test(test_no_resend_and_min_recover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
