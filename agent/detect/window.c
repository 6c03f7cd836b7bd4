// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* window.c - a bounded ring of recent values: mean, median, MAD. */
#include <stdlib.h>
#include <string.h>

#include "window.h"

void rs_window_init(struct rs_window *w, unsigned int size)
{
	memset(w, 0, sizeof(*w));
	if (size < 1)
		size = 1;
	if (size > RS_WINDOW_MAX)
		size = RS_WINDOW_MAX;
	w->size = (uint16_t)size;
}

void rs_window_push(struct rs_window *w, double x)
{
	if (w->len == w->size)
		w->sum -= w->v[w->head];
	else
		w->len++;
	w->v[w->head] = x;
	w->sum += x;
	w->head = (uint16_t)((w->head + 1) % w->size);
	if (w->head == 0) {	/* re-add once per lap: no drift in the sum */
		w->sum = 0;
		for (unsigned int i = 0; i < w->len; i++)
			w->sum += w->v[i];
	}
}

double rs_window_mean(const struct rs_window *w)
{
	return w->len ? w->sum / w->len : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_sorted(const double *v, unsigned int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void rs_window_median_mad(const struct rs_window *w, double *median, double *mad)
{
	double tmp[RS_WINDOW_MAX], m;
	unsigned int n = w->len;

	*median = *mad = 0;
	if (!n)
		return;
	memcpy(tmp, w->v, n * sizeof(double));
	qsort(tmp, n, sizeof(double), cmp_double);
	m = median_sorted(tmp, n);
	for (unsigned int i = 0; i < n; i++)
		tmp[i] = tmp[i] > m ? tmp[i] - m : m - tmp[i];
	qsort(tmp, n, sizeof(double), cmp_double);
	*median = m;
	*mad = median_sorted(tmp, n);
}
