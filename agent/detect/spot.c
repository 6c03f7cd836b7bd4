// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* spot.c - streaming SPOT: P-square threshold, GPD fit by moments. */
#include <math.h>
#include <string.h>

#include "spot.h"

/* A light (bounded) tail fitted on 64 peaks underestimates the extremes
 * and cries wolf: the fit is kept exponential or heavier. */
#define GAMMA_MIN 0.0
#define GAMMA_MAX 0.45	/* moments exist below 0.5; keep the fit stable */

void rs_spot_init(struct rs_spot *s, double level)
{
	memset(s, 0, sizeof(*s));
	s->level = level;
	rs_p2_init(&s->t, level);
}

static int fit(const struct rs_spot *s, struct rs_gpd *g);

void rs_spot_add(struct rs_spot *s, double x)
{
	struct rs_gpd g;
	double t;

	if (!isfinite(x))
		return;
	rs_p2_add(&s->t, x);
	t = rs_p2_value(&s->t);
	if (s->t.count >= 5 && x > t) {
		s->peaks[s->head] = (float)x;
		s->head = (uint16_t)((s->head + 1) % RS_SPOT_PEAKS);
		if (s->npeaks < RS_SPOT_PEAKS)
			s->npeaks++;
	}
	if (fit(s, &g) == 0) {	/* a lost fit (t moved past the peaks) keeps the last */
		s->gpd = g;
		s->fitted = 1;
	}
}

unsigned int rs_spot_peaks(const struct rs_spot *s)
{
	return s->npeaks;
}

/* Excesses of the held peaks over the current t, fitted by moments:
 * gamma = (1 - m^2/v) / 2, sigma = m (1 + m^2/v) / 2. */
static int fit(const struct rs_spot *s, struct rs_gpd *g)
{
	double sum = 0, sumsq = 0, m, v;
	unsigned int n = 0;

	g->t = rs_p2_value(&s->t);
	if (s->t.count < 5 || !isfinite(g->t))
		return -1;
	for (unsigned int i = 0; i < s->npeaks; i++) {
		double y = (double)s->peaks[i] - g->t;

		if (y > 0) {
			sum += y;
			sumsq += y * y;
			n++;
		}
	}
	g->n = n;
	if (n < RS_SPOT_MIN_PEAKS)
		return -1;
	m = sum / n;
	if (!(m > 0))
		return -1;
	v = (sumsq - sum * m) / (n - 1);
	if (!(v > 1e-12 * m * m)) {	/* no spread: exponential tail */
		g->gamma = 0;
		g->sigma = m;
		return 0;
	}
	g->gamma = 0.5 * (1 - m * m / v);
	if (g->gamma < GAMMA_MIN)
		g->gamma = GAMMA_MIN;
	if (g->gamma > GAMMA_MAX)
		g->gamma = GAMMA_MAX;
	g->sigma = m * (1 - g->gamma);	/* the mean of a GPD is sigma/(1-gamma) */
	return 0;
}

double rs_spot_tail(const struct rs_spot *s, double x)
{
	double tail = 1 - s->level, y, base;
	const struct rs_gpd *g = &s->gpd;

	if (!s->fitted || !(x > g->t))
		return 1;
	y = x - g->t;
	if (fabs(g->gamma) < 1e-6)
		return tail * exp(-y / g->sigma);
	base = 1 + g->gamma * y / g->sigma;
	if (base <= 0)
		return 0;
	return tail * pow(base, -1 / g->gamma);
}

double rs_spot_bound(const struct rs_spot *s, double risk)
{
	double r = risk / (1 - s->level);
	const struct rs_gpd *g = &s->gpd;

	if (!s->fitted)
		return NAN;
	if (fabs(g->gamma) < 1e-6)
		return g->t - g->sigma * log(r);
	return g->t + g->sigma / g->gamma * (pow(r, -g->gamma) - 1);
}
