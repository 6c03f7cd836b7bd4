// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ringscope-detect-eval-nab.c - NAB v1.1 scoring and threshold sweep. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ringscope-detect-eval-nab.h"

const struct nab_profile nab_standard = { "standard", 1.0, 0.11, 1.0 };
const struct nab_profile nab_low_fp = { "reward_low_FP_rate", 1.0, 0.22, 1.0 };
const struct nab_profile nab_low_fn = { "reward_low_FN_rate", 1.0, 0.11, 2.0 };

double nab_scaled_sigmoid(double position)
{
	if (position >= 3.0)
		return -1.0;
	return 2 / (1 + exp(5 * position)) - 1.0;
}

size_t nab_probation(size_t n)
{
	double a = floor(0.15 * (double)n), b = 0.15 * 5000;

	return (size_t)ceil(a < b ? a : b);
}

void nab_sweep_scores(const struct nab_file *f, const struct nab_profile *prof,
		      int *window, double *sweep)
{
	double max_tp = nab_scaled_sigmoid(-1.0), prev_width = 0;
	size_t probation = nab_probation(f->n), w = 0;
	long prev_right = -1;

	for (size_t i = 0; i < f->n; i++) {
		int in = w < f->nwindows && i >= f->windows[w][0] && i <= f->windows[w][1];

		if (in) {
			double width = (double)(f->windows[w][1] - f->windows[w][0] + 1);
			double pos = -((double)f->windows[w][1] - (double)i + 1) / width;

			sweep[i] = nab_scaled_sigmoid(pos) * prof->tp / max_tp;
			window[i] = (int)w;
		} else {
			double pos = prev_right < 0 ? 3.0 :
				fabs((double)prev_right - (double)i) / (prev_width - 1);

			sweep[i] = nab_scaled_sigmoid(pos) * prof->fp;
			window[i] = NAB_OUTSIDE;
		}
		if (i < probation)
			window[i] = NAB_PROBATION;
		if (in && i == f->windows[w][1]) {
			prev_right = (long)i;
			prev_width = (double)(f->windows[w][1] - f->windows[w][0] + 1);
			w++;
		}
	}
}

struct point {
	double score, sweep;
	size_t file;
	int window;		/* global window id, or -1 */
};

static int by_score_desc(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	return (x->score < y->score) - (x->score > y->score);
}

void nab_score_corpus(const struct nab_file *files, size_t nfiles,
		      const double *const *scores, const struct nab_profile *prof,
		      double fixed_threshold, struct nab_result *res, double *file_raw)
{
	size_t total = 0, nwin = 0, np = 0, *win_base = calloc(nfiles + 1, sizeof(size_t));
	struct point *pts;
	double *win_score, best, best_thr = 1.1, cur;
	int *wbuf;
	double *sbuf;

	memset(res, 0, sizeof(*res));
	for (size_t f = 0; f < nfiles; f++) {
		total += files[f].n;
		win_base[f] = nwin;
		nwin += files[f].nwindows;
		res->perfect_raw += prof->tp * (double)files[f].nwindows;
	}
	pts = calloc(total ? total : 1, sizeof(*pts));
	win_score = calloc(nwin ? nwin : 1, sizeof(double));
	for (size_t f = 0; f < nfiles; f++) {
		wbuf = calloc(files[f].n ? files[f].n : 1, sizeof(int));
		sbuf = calloc(files[f].n ? files[f].n : 1, sizeof(double));
		nab_sweep_scores(&files[f], prof, wbuf, sbuf);
		for (size_t i = 0; i < files[f].n; i++) {
			if (wbuf[i] == NAB_PROBATION)
				continue;
			pts[np].score = scores[f][i];
			pts[np].sweep = sbuf[i];
			pts[np].file = f;
			pts[np].window = wbuf[i] >= 0 ? (int)(win_base[f] + (size_t)wbuf[i]) : -1;
			np++;
		}
		free(wbuf);
		free(sbuf);
	}
	/* windows that have scorable points start as misses; others (all in
	 * probation) count nothing, as in NAB */
	for (size_t i = 0; i < nwin; i++)
		win_score[i] = 0;
	for (size_t i = 0; i < np; i++)
		if (pts[i].window >= 0)
			win_score[pts[i].window] = -prof->fn;
	cur = 0;
	for (size_t i = 0; i < nwin; i++)
		cur += win_score[i];
	res->null_raw = cur;
	qsort(pts, np, sizeof(*pts), by_score_desc);

	if (fixed_threshold < 0) {	/* sweep: best total over distinct scores */
		double thr = 1.1;

		best = cur;
		for (size_t i = 0; i < np; i++) {
			struct point *p = &pts[i];

			if (p->score != thr) {
				if (cur > best) {
					best = cur;
					best_thr = thr;
				}
				thr = p->score;
			}
			if (p->window < 0) {
				cur += p->sweep;
			} else if (p->sweep > win_score[p->window]) {
				cur += p->sweep - win_score[p->window];
				win_score[p->window] = p->sweep;
			}
		}
		if (cur > best) {
			best = cur;
			best_thr = thr;
		}
		fixed_threshold = best_thr;
		for (size_t i = 0; i < nwin; i++)	/* reset for the final pass */
			win_score[i] = 0;
		for (size_t i = 0; i < np; i++)
			if (pts[i].window >= 0)
				win_score[pts[i].window] = -prof->fn;
	}
	/* final pass at the threshold: totals, per-file raw scores, counts */
	res->threshold = fixed_threshold;
	if (file_raw)
		memset(file_raw, 0, nfiles * sizeof(double));
	for (size_t i = 0; i < np && pts[i].score >= fixed_threshold; i++) {
		struct point *p = &pts[i];

		if (p->window < 0) {
			res->fp++;
			if (file_raw)
				file_raw[p->file] += p->sweep;
		} else {
			res->tp++;
			if (p->sweep > win_score[p->window])
				win_score[p->window] = p->sweep;
		}
	}
	res->raw = 0;
	for (size_t f = 0; f < nfiles; f++)
		for (size_t w = 0; w < files[f].nwindows; w++) {
			double s = win_score[win_base[f] + w];

			if (s > 0)
				res->windows_hit++;
			if (file_raw)
				file_raw[f] += s;
		}
	res->windows = nwin;
	for (size_t i = 0; i < nwin; i++)
		res->raw += win_score[i];
	for (size_t i = 0; i < np && pts[i].score >= fixed_threshold; i++)
		if (pts[i].window < 0)
			res->raw += pts[i].sweep;
	res->score = res->perfect_raw > res->null_raw ?
		100 * (res->raw - res->null_raw) / (res->perfect_raw - res->null_raw) : 0;
	free(pts);
	free(win_score);
	free(win_base);
}
