// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ringscope-detect-eval-gauss.c - NAB's windowed-Gaussian baseline. */
#include <math.h>
#include <string.h>

#include "ringscope-detect-eval-gauss.h"

void gauss_init(struct gauss *g)
{
	memset(g, 0, sizeof(*g));
	g->sd = 1;
}

/* Appending while filling: sums shifted by the first value (accurate for
 * large values), O(1) per point. */
static void append(struct gauss *g, double x)
{
	double mean, var;

	if (g->len == 0)
		g->shift = x;
	g->window[g->len++] = x;
	g->sum += x - g->shift;
	g->sumsq += (x - g->shift) * (x - g->shift);
	mean = g->sum / (double)g->len;
	var = g->sumsq / (double)g->len - mean * mean;
	g->mean = g->shift + mean;
	g->sd = var > 0 ? sqrt(var) : 0;
	if (g->sd == 0.0)
		g->sd = 0.000001;
}

static void update(struct gauss *g)
{
	double sum = 0, ss = 0;

	for (size_t i = 0; i < g->len; i++)
		sum += g->window[i];
	g->mean = sum / (double)g->len;
	for (size_t i = 0; i < g->len; i++)
		ss += (g->window[i] - g->mean) * (g->window[i] - g->mean);
	g->sd = sqrt(ss / (double)g->len);	/* population sd, as numpy.std */
	if (g->sd == 0.0)
		g->sd = 0.000001;
}

double gauss_feed(struct gauss *g, double x)
{
	double score = 0;

	if (g->len > 0) {
		double xp = x < g->mean ? 2 * g->mean - x : x;	/* symmetric tail */

		score = 1 - 0.5 * erfc((xp - g->mean) / g->sd / sqrt(2));
	}
	if (g->len < GAUSS_WINDOW) {
		append(g, x);
	} else {
		g->step[g->nstep++] = x;
		if (g->nstep == GAUSS_STEP) {
			memmove(g->window, g->window + GAUSS_STEP,
				(GAUSS_WINDOW - GAUSS_STEP) * sizeof(double));
			memcpy(g->window + GAUSS_WINDOW - GAUSS_STEP, g->step,
			       sizeof(g->step));
			g->nstep = 0;
			update(g);
		}
	}
	return score;
}
