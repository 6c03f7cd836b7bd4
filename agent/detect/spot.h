/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * spot.h - streaming peaks-over-threshold tail model (SPOT, Siffer et al.,
 * KDD 2017) in bounded memory: the initial threshold t is a high quantile
 * of the statistic followed by P-square, the excesses over t of the last
 * RS_SPOT_PEAKS peaks are fitted by a generalised Pareto distribution
 * (method of moments), and the alarm bound z_q is the value whose tail
 * probability is the risk q. Only normal values should be learnt, so the
 * bound follows the series but not its anomalies. The tail is unfitted
 * (no alarm) until RS_SPOT_MIN_PEAKS peaks are held.
 */
#ifndef RINGSCOPE_DETECT_SPOT_H
#define RINGSCOPE_DETECT_SPOT_H

#include <stdint.h>

#include "quantile.h"

#define RS_SPOT_PEAKS 64
#define RS_SPOT_MIN_PEAKS 16

struct rs_gpd {
	double t, gamma, sigma;
	unsigned int n;
};

struct rs_spot {
	struct rs_p2 t;			/* the initial threshold's quantile */
	struct rs_gpd gpd;		/* the fit after the last add */
	int fitted;
	float peaks[RS_SPOT_PEAKS];	/* raw values of the last peaks (> t) */
	uint16_t npeaks, head;
	double level;			/* quantile level of t, e.g. 0.98 */
};

void rs_spot_init(struct rs_spot *s, double level);
/* Learn one (normal) value and refit: O(RS_SPOT_PEAKS). */
void rs_spot_add(struct rs_spot *s, double x);
/* Estimated P(X > x): 1 at or below t; 0 beyond a bounded tail's end. */
double rs_spot_tail(const struct rs_spot *s, double x);
/* The value whose tail probability is risk (z_q); NAN while unfitted. */
double rs_spot_bound(const struct rs_spot *s, double risk);
/* Peaks currently held (the fit needs a few). */
unsigned int rs_spot_peaks(const struct rs_spot *s);

#endif /* RINGSCOPE_DETECT_SPOT_H */
