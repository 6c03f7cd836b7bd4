/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ringscope-detect-eval-gauss.h - the windowed-Gaussian baseline of NAB:
 * score = 1 - Q(|x - mean| / sd) over the last 6400 values, the window
 * sliding in steps of 100 once full. Evaluation only (50 KiB per series).
 */
#ifndef RINGSCOPE_DETECT_EVAL_GAUSS_H
#define RINGSCOPE_DETECT_EVAL_GAUSS_H

#include <stddef.h>

#define GAUSS_WINDOW 6400
#define GAUSS_STEP 100

struct gauss {
	double window[GAUSS_WINDOW];
	double step[GAUSS_STEP];
	size_t len, nstep;
	double mean, sd;
	double shift, sum, sumsq;	/* while filling */
};

void gauss_init(struct gauss *g);
double gauss_feed(struct gauss *g, double x);

#endif /* RINGSCOPE_DETECT_EVAL_GAUSS_H */
