/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * window.h - the last N values of a series (N <= RS_WINDOW_MAX) with their
 * running mean, and their median and median absolute deviation on demand.
 */
#ifndef RINGSCOPE_DETECT_WINDOW_H
#define RINGSCOPE_DETECT_WINDOW_H

#include <stdint.h>

#define RS_WINDOW_MAX 64

struct rs_window {
	double v[RS_WINDOW_MAX];
	double sum;
	uint16_t size, len, head;
};

void rs_window_init(struct rs_window *w, unsigned int size);
void rs_window_push(struct rs_window *w, double x);
double rs_window_mean(const struct rs_window *w);
/* Median and MAD (unscaled) of the held values; 0 and 0 when empty. */
void rs_window_median_mad(const struct rs_window *w, double *median, double *mad);

#endif /* RINGSCOPE_DETECT_WINDOW_H */
