/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * detector.h - the adaptive detector of one series, fed one point per tick:
 * a robust z-score over a sliding window (median/MAD), an EWMA with
 * variance, or SPOT (an extreme-value bound on the residual from a
 * winsorised EWMA of the series, learnt online on normal points only, both
 * sides if asked). State is fixed-size (sizeof(struct rs_det)), time per point is
 * bounded (O(window) at worst), nothing is allocated.
 *
 * The verdict carries a level in [0,1] that is 0.5 exactly at the alarm
 * bound (so one threshold, 0.5, is the configured operating point), and an
 * onset score: the level, except within holdoff points of the previous
 * alarm, where it is 0 — the event deduplication does the same, so an
 * onset score is what becomes a new event.
 */
#ifndef RINGSCOPE_DETECT_DETECTOR_H
#define RINGSCOPE_DETECT_DETECTOR_H

#include <stdint.h>

#include "spot.h"
#include "window.h"

enum rs_det_kind { RS_DET_SPOT, RS_DET_ZSCORE, RS_DET_EWMA, RS_DET_NKINDS };
enum rs_det_dir { RS_DIR_UP = 1, RS_DIR_DOWN = 2, RS_DIR_BOTH = 3 };

struct rs_det_params {
	int kind;		/* enum rs_det_kind */
	int direction;		/* enum rs_det_dir */
	unsigned int window;	/* zscore: its window (<= RS_WINDOW_MAX); all:
				 * an anomaly this long becomes the new level */
	unsigned int warmup;	/* points learnt before any alarm */
	unsigned int holdoff;	/* points after an alarm that are not onsets */
	double z;		/* zscore, ewma: alarm level in (robust) sd */
	double alpha;		/* ewma, spot: weight of a new point in the EWMA */
	double risk;		/* spot: tail probability of the bound (q) */
	double level;		/* spot: quantile of the initial threshold */
	double min_delta;	/* smallest |value - expected| that can alarm */
	double novelty;		/* > 0: a value beyond the range seen so far by
				 * this fraction of the range is anomalous */
};

struct rs_det_verdict {
	double level;		/* [0,1]; >= 0.5: beyond the bound */
	double score;		/* onset score: level, or 0 within holdoff */
	int alarm;		/* anomalous (after warmup) */
	double expected;	/* the baseline the value was compared with */
	double bound;		/* the upper (or lower, if the value is low)
				 * bound the value was compared with */
};

struct rs_det {
	struct rs_det_params p;
	union {				/* the kind's own state */
		struct rs_window win;	/* zscore: recent (winsorised) values */
		struct {
			struct rs_spot up, down;	/* tails of the residual */
		} spot;
	} u;
	double mean, var;		/* ewma (spot: its baseline) */
	double min, max;		/* novelty: range of normal values */
	uint64_t n;			/* points fed */
	uint32_t run;			/* consecutive anomalous points */
	uint64_t last_alarm;		/* point index of the last alarm + 1 */
};

/* Defaults for a kind (chosen on the NAB corpus, see docs/detection.md):
 * window 16, warmup 30, holdoff 50, risk 1e-5, level 0.9, both directions,
 * no min_delta, no novelty; zscore: window 64, z 6; ewma: alpha 0.02, z 6. */
void rs_det_params_default(struct rs_det_params *p, int kind);
/* Clamps out-of-range parameters to the nearest valid value. */
void rs_det_init(struct rs_det *d, const struct rs_det_params *p);
void rs_det_feed(struct rs_det *d, double x, struct rs_det_verdict *v);

const char *rs_det_kind_name(int kind);
int rs_det_kind_parse(const char *name);	/* -1 if unknown */

#endif /* RINGSCOPE_DETECT_DETECTOR_H */
