/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * quantile.h - streaming estimate of one quantile in constant memory: the
 * P-square algorithm of Jain and Chlamtac (CACM 1985), five markers whose
 * heights follow the quantile with piecewise-parabolic updates.
 */
#ifndef RINGSCOPE_DETECT_QUANTILE_H
#define RINGSCOPE_DETECT_QUANTILE_H

#include <stdint.h>

struct rs_p2 {
	double p;		/* the quantile followed, 0 < p < 1 */
	double q[5];		/* marker heights */
	double n[5];		/* marker positions (1-based) */
	double np[5];		/* desired positions */
	uint64_t count;		/* observations so far */
};

void rs_p2_init(struct rs_p2 *e, double p);
void rs_p2_add(struct rs_p2 *e, double x);
/* The current estimate; with fewer than five observations, the nearest
 * order statistic of those seen; NAN before the first. */
double rs_p2_value(const struct rs_p2 *e);

#endif /* RINGSCOPE_DETECT_QUANTILE_H */
