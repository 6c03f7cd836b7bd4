// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* detector.c - per-series adaptive detectors: robust z, EWMA, SPOT. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "detector.h"

#define MAD_TO_SD 1.4826
#define UNFITTED_MARGIN 1.0	/* spot before its fit: the range seen */

static const char *const kind_names[RS_DET_NKINDS] = { "spot", "zscore", "ewma" };

const char *rs_det_kind_name(int kind)
{
	return kind >= 0 && kind < RS_DET_NKINDS ? kind_names[kind] : "?";
}

int rs_det_kind_parse(const char *name)
{
	for (int i = 0; i < RS_DET_NKINDS; i++)
		if (!strcasecmp(name, kind_names[i]))
			return i;
	return -1;
}

void rs_det_params_default(struct rs_det_params *p, int kind)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->direction = RS_DIR_BOTH;
	p->window = 16;
	p->warmup = 30;
	p->holdoff = 50;
	p->z = 4;
	p->alpha = 0.1;
	p->risk = 1e-5;
	p->level = 0.9;
	if (kind == RS_DET_ZSCORE) {	/* a median/MAD of 16 is too noisy */
		p->window = RS_WINDOW_MAX;
		p->z = 6;
	} else if (kind == RS_DET_EWMA) {
		p->alpha = 0.02;
		p->z = 6;
	}
}

static double clampd(double x, double lo, double hi)
{
	return !(x >= lo) ? lo : x > hi ? hi : x;
}

void rs_det_init(struct rs_det *d, const struct rs_det_params *p)
{
	memset(d, 0, sizeof(*d));
	d->p = *p;
	if (d->p.kind < 0 || d->p.kind >= RS_DET_NKINDS)
		d->p.kind = RS_DET_SPOT;
	if (!(d->p.direction & RS_DIR_BOTH))
		d->p.direction = RS_DIR_BOTH;
	d->p.z = clampd(d->p.z, 0.1, 1e6);
	d->p.alpha = clampd(d->p.alpha, 1e-4, 1);
	d->p.risk = clampd(d->p.risk, 1e-12, 0.5);
	d->p.level = clampd(d->p.level, 0.5, 0.9999);
	if (d->p.risk >= 1 - d->p.level)
		d->p.risk = (1 - d->p.level) / 2;
	d->p.min_delta = clampd(d->p.min_delta, 0, INFINITY);
	d->p.novelty = clampd(d->p.novelty, 0, 1e6);
	if (d->p.kind == RS_DET_ZSCORE) {
		rs_window_init(&d->u.win, d->p.window);
	} else if (d->p.kind == RS_DET_SPOT) {
		rs_spot_init(&d->u.spot.up, d->p.level);
		rs_spot_init(&d->u.spot.down, d->p.level);
	}
}

/* z-like deviations to a level: 0.5 at the alarm level z0. */
static double z_level(double z, double z0)
{
	return z > 0 ? z * z / (z * z + z0 * z0) : 0;
}

/* Tail probability to a level: 0.5 at the risk q. */
static double p_level(double tail, double risk)
{
	double l, lq = -log10(risk);

	if (tail <= 0)
		return 1;
	if (tail >= 1)
		return 0;
	l = -log10(tail);
	return l / (l + lq);
}

struct side {
	double level, bound;
};

static void score_z(const struct rs_det *d, double r, double sd, double expected,
		    struct side *up, struct side *down)
{
	double floor_sd = fmax(d->p.min_delta / d->p.z, 1e-9 * (1 + fabs(expected)));

	sd = fmax(sd, floor_sd);
	up->level = z_level(r / sd, d->p.z);
	down->level = z_level(-r / sd, d->p.z);
	up->bound = expected + d->p.z * sd;
	down->bound = expected - d->p.z * sd;
}

static void score_spot(const struct rs_det *d, double r, double expected,
		       struct side *up, struct side *down)
{
	up->level = p_level(rs_spot_tail(&d->u.spot.up, r), d->p.risk);
	down->level = p_level(rs_spot_tail(&d->u.spot.down, -r), d->p.risk);
	up->bound = expected + rs_spot_bound(&d->u.spot.up, d->p.risk);
	down->bound = expected - rs_spot_bound(&d->u.spot.down, d->p.risk);
}

/* Beyond the range seen by more than fraction x range, and by at least
 * min_delta: 0.75, else 0. */
static int beyond(double excess, double span, double fraction, double min_delta)
{
	return excess > fraction * span && excess > 0 && excess >= min_delta;
}

static double novelty_level(const struct rs_det *d, double x, double fraction, int direction)
{
	double span = d->max - d->min;

	if (((direction & RS_DIR_UP) && beyond(x - d->max, span, fraction, d->p.min_delta)) ||
	    ((direction & RS_DIR_DOWN) && beyond(d->min - x, span, fraction, d->p.min_delta)))
		return 0.75;
	return 0;
}

/* SPOT cannot fit a tail it has not seen: a series that barely moved (a
 * drop counter at zero) holds too few peaks. Until a side is fitted, a
 * value beyond the range seen by the whole range (and min_delta) is
 * anomalous on that side. */
static void spot_unfitted(const struct rs_det *d, double x, struct side *up, struct side *down)
{
	if (!d->u.spot.up.fitted) {
		up->level = novelty_level(d, x, UNFITTED_MARGIN, RS_DIR_UP);
		up->bound = d->max + fmax(UNFITTED_MARGIN * (d->max - d->min), d->p.min_delta);
	}
	if (!d->u.spot.down.fitted) {
		down->level = novelty_level(d, x, UNFITTED_MARGIN, RS_DIR_DOWN);
		down->bound = d->min - fmax(UNFITTED_MARGIN * (d->max - d->min), d->p.min_delta);
	}
}

void rs_det_feed(struct rs_det *d, double x, struct rs_det_verdict *v)
{
	struct side up = { 0, NAN }, down = { 0, NAN };
	double expected, r, learn = x;
	int warm = d->n >= d->p.warmup;

	memset(v, 0, sizeof(*v));
	if (!isfinite(x)) {
		v->expected = v->bound = NAN;
		return;
	}
	switch (d->p.kind) {
	case RS_DET_ZSCORE: {
		double med, mad;

		rs_window_median_mad(&d->u.win, &med, &mad);
		expected = med;
		r = x - med;
		score_z(d, r, MAD_TO_SD * mad, expected, &up, &down);
		break;
	}
	case RS_DET_EWMA:
		expected = d->mean;
		r = x - d->mean;
		score_z(d, r, sqrt(d->var), expected, &up, &down);
		break;
	default:	/* spot: the residual from the EWMA of the series */
		expected = d->n ? d->mean : x;
		r = x - expected;
		score_spot(d, r, expected, &up, &down);
		spot_unfitted(d, x, &up, &down);
		break;
	}
	if (!(d->p.direction & RS_DIR_UP))
		up.level = 0;
	if (!(d->p.direction & RS_DIR_DOWN))
		down.level = 0;
	if (fabs(r) < d->p.min_delta)
		up.level = down.level = 0;
	v->expected = expected;
	v->level = fmax(up.level, down.level);
	v->bound = down.level > up.level ? down.bound : up.bound;
	if (d->n >= 2)
		v->level = fmax(v->level, d->p.novelty > 0 ?
				novelty_level(d, x, d->p.novelty, d->p.direction) : 0);
	if (!warm || d->n < 2)
		v->level = 0;
	v->alarm = v->level >= 0.5;

	/* Learn: the baseline (EWMA, or the window for zscore) takes an
	 * anomalous value clipped to its bound (a spike barely moves it),
	 * unless the anomaly has lasted `window` points: then it is the new
	 * level. The range learns the same; the tails normal values only. */
	d->run = v->alarm ? d->run + 1 : 0;
	if (v->alarm && isfinite(v->bound) && d->run <= d->p.window)
		learn = v->bound;
	if (d->n == 0) {
		d->mean = x;
		d->min = d->max = x;
	} else {
		double dm = learn - d->mean;

		d->mean += d->p.alpha * dm;
		d->var = (1 - d->p.alpha) * (d->var + d->p.alpha * dm * dm);
	}
	if (!v->alarm && d->n > 0 && d->p.kind == RS_DET_SPOT) {
		rs_spot_add(&d->u.spot.up, r);
		rs_spot_add(&d->u.spot.down, -r);
	}
	if (d->n > 0 && isfinite(learn)) {
		d->min = fmin(d->min, learn);
		d->max = fmax(d->max, learn);
	}
	if (d->p.kind == RS_DET_ZSCORE)
		rs_window_push(&d->u.win, learn);
	d->n++;
	/* onsets only: nothing within holdoff points of the previous alarm */
	v->score = d->last_alarm && d->n - d->last_alarm <= d->p.holdoff ? 0 : v->level;
	if (v->alarm)
		d->last_alarm = d->n;
}
