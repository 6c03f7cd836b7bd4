// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* quantile.c - the P-square streaming quantile estimator. */
#include <math.h>
#include <string.h>

#include "quantile.h"

void rs_p2_init(struct rs_p2 *e, double p)
{
	memset(e, 0, sizeof(*e));
	e->p = p;
}

static void sort5(double *a, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && a[j - 1] > a[j]; j--) {
			double t = a[j];

			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

static double parabolic(const struct rs_p2 *e, int i, double d)
{
	const double *q = e->q, *n = e->n;

	return q[i] + d / (n[i + 1] - n[i - 1]) *
		((n[i] - n[i - 1] + d) * (q[i + 1] - q[i]) / (n[i + 1] - n[i]) +
		 (n[i + 1] - n[i] - d) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
}

void rs_p2_add(struct rs_p2 *e, double x)
{
	double p = e->p;
	int k;

	if (!isfinite(x))
		return;
	if (e->count < 5) {
		e->q[e->count++] = x;
		if (e->count == 5) {
			sort5(e->q, 5);
			for (int i = 0; i < 5; i++)
				e->n[i] = i + 1;
			e->np[0] = 1;
			e->np[1] = 1 + 2 * p;
			e->np[2] = 1 + 4 * p;
			e->np[3] = 3 + 2 * p;
			e->np[4] = 5;
		}
		return;
	}
	e->count++;
	if (x < e->q[0]) {
		e->q[0] = x;
		k = 0;
	} else if (x >= e->q[4]) {
		e->q[4] = x;
		k = 3;
	} else {
		for (k = 0; k < 3 && x >= e->q[k + 1]; k++)
			;
	}
	for (int i = k + 1; i < 5; i++)
		e->n[i] += 1;
	e->np[1] += p / 2;
	e->np[2] += p;
	e->np[3] += (1 + p) / 2;
	e->np[4] += 1;
	for (int i = 1; i <= 3; i++) {
		double d = e->np[i] - e->n[i];

		if ((d >= 1 && e->n[i + 1] - e->n[i] > 1) ||
		    (d <= -1 && e->n[i - 1] - e->n[i] < -1)) {
			double s = d >= 0 ? 1 : -1, qn = parabolic(e, i, s);

			if (!(e->q[i - 1] < qn && qn < e->q[i + 1]))	/* linear */
				qn = e->q[i] + s * (e->q[i + (int)s] - e->q[i]) /
					(e->n[i + (int)s] - e->n[i]);
			e->q[i] = qn;
			e->n[i] += s;
		}
	}
}

double rs_p2_value(const struct rs_p2 *e)
{
	double tmp[5];
	int idx;

	if (e->count == 0)
		return NAN;
	if (e->count >= 5)
		return e->q[2];
	memcpy(tmp, e->q, sizeof(tmp));
	sort5(tmp, (int)e->count);
	idx = (int)floor(e->p * (double)(e->count - 1) + 0.5);
	return tmp[idx];
}
