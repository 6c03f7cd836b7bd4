// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_nab.c - Description: the NAB scorer against hand-computed cases:
 * probation length, the scaled sigmoid, a perfect detector scores 100 and
 * the null one 0, a detection at a window's left edge earns exactly the tp
 * weight, only the earliest detection in a window counts, a false positive
 * before any window costs the full fp weight and one just after a window
 * costs little, and the threshold sweep picks the best distinct score.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ringscope-detect-eval-nab.h"

#define N 1000

static const size_t win[2][2] = { { 400, 449 }, { 700, 749 } };
static const struct nab_file file = { "f.csv", N, 2, win };

static void test_basics(void **state)
{
	(void)state;
	assert_int_equal(nab_probation(1000), 150);
	assert_int_equal(nab_probation(4032), 604);
	assert_int_equal(nab_probation(22695), 750);
	assert_float_equal(nab_scaled_sigmoid(-1.0), 2 / (1 + exp(-5.0)) - 1, 1e-6);
	assert_float_equal(nab_scaled_sigmoid(0), 0, 1e-6);
	assert_float_equal(nab_scaled_sigmoid(3.0), -1, 0);
}

static void score(const double *s, double fixed, struct nab_result *r)
{
	const double *scores[1] = { s };

	nab_score_corpus(&file, 1, scores, &nab_standard, fixed, r, NULL);
}

static void test_perfect_and_null(void **state)
{
	static double s[N];
	struct nab_result r;

	(void)state;
	memset(s, 0, sizeof(s));
	score(s, -1, &r);
	assert_float_equal(r.null_raw, -2, 1e-6);
	assert_float_equal(r.perfect_raw, 2, 1e-6);
	assert_float_equal(r.score, 0, 1e-5);
	s[400] = s[700] = 1;	/* left edges: the earliest possible */
	score(s, -1, &r);
	assert_float_equal(r.threshold, 1, 0);
	assert_float_equal(r.raw, 2, 1e-5);
	assert_float_equal(r.score, 100, 1e-5);
	assert_int_equal(r.windows_hit, 2);
}

static void test_earliest_counts_and_fp_weights(void **state)
{
	static double s[N];
	struct nab_result r;
	double mid = nab_scaled_sigmoid(-25.0 / 50) / nab_scaled_sigmoid(-1.0);
	double after = 0.11 * nab_scaled_sigmoid(10.0 / 49);

	(void)state;
	memset(s, 0, sizeof(s));
	s[425] = 0.9;	/* window 1, position -(449-425+1)/50 = -0.5 */
	s[440] = 0.95;	/* later in the same window: does not add */
	score(s, 0.5, &r);
	assert_float_equal(r.raw, mid - 1, 1e-5);
	assert_int_equal(r.tp, 2);
	s[200] = 0.9;	/* before any window: -fp weight */
	score(s, 0.5, &r);
	assert_float_equal(r.raw, mid - 1 - 0.11, 1e-5);
	s[459] = 0.9;	/* 10 points after window 1 (width 50) */
	score(s, 0.5, &r);
	assert_float_equal(r.raw, mid - 1 - 0.11 + after, 1e-5);
	assert_int_equal(r.fp, 2);
	s[100] = 1;	/* in probation: ignored */
	score(s, 0.5, &r);
	assert_float_equal(r.raw, mid - 1 - 0.11 + after, 1e-5);
	/* the sweep: at 0.95 only the later detection in window 1 counts
	 * (0.468); at 0.9 the earlier one (0.860) outweighs the two false
	 * positives it brings; the probation point never matters */
	score(s, -1, &r);
	assert_float_equal(r.threshold, 0.9, 0);
	assert_int_equal(r.fp, 2);
	s[200] = s[459] = 0;
	for (int i = 800; i < 900; i++)	/* many false positives at 0.9 */
		s[i] = 0.9;
	score(s, -1, &r);
	assert_float_equal(r.threshold, 0.95, 0);
	assert_int_equal(r.fp, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_perfect_and_null),
		cmocka_unit_test(test_earliest_counts_and_fp_weights),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
