/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ringscope-detect-eval-nab.h - the Numenta Anomaly Benchmark scoring (NAB
 * v1.1 sweeper): labelled windows, 15% probation, scaled-sigmoid weights by
 * position, application profiles, one threshold optimised per detector and
 * profile over the whole corpus, normalised so the null detector scores 0
 * and the perfect one 100.
 */
#ifndef RINGSCOPE_DETECT_EVAL_NAB_H
#define RINGSCOPE_DETECT_EVAL_NAB_H

#include <stddef.h>

struct nab_profile {
	const char *name;
	double tp, fp, fn;
};

extern const struct nab_profile nab_standard, nab_low_fp, nab_low_fn;

/* A labelled file: n points, windows as [first, last] point indices. */
struct nab_file {
	const char *name;
	size_t n;
	size_t nwindows;
	const size_t (*windows)[2];
};

#define NAB_PROBATION -2	/* point inside the probation period */
#define NAB_OUTSIDE -1		/* point outside every window */

/* Per point: the window it lies in (index into the file's windows), or
 * NAB_OUTSIDE / NAB_PROBATION, and its sweep score (the weight it adds if
 * it is a detection) for a profile. */
void nab_sweep_scores(const struct nab_file *f, const struct nab_profile *prof,
		      int *window, double *sweep);

size_t nab_probation(size_t n);
double nab_scaled_sigmoid(double position);

/* A whole corpus's result for one detector and profile. */
struct nab_result {
	double threshold;	/* optimised */
	double raw;		/* raw score at that threshold */
	double null_raw;	/* raw score of the null detector */
	double perfect_raw;	/* raw score of the perfect detector */
	double score;		/* normalised: 100 (raw - null) / (perfect - null) */
	size_t tp, fp;		/* detections (points) in and out of windows */
	size_t windows, windows_hit;
};

/* scores[f][i]: the detector's anomaly score of point i of file f. With
 * fixed_threshold >= 0 the threshold is not optimised. file_raw (may be
 * NULL) receives each file's raw score at the threshold. */
void nab_score_corpus(const struct nab_file *files, size_t nfiles,
		      const double *const *scores, const struct nab_profile *prof,
		      double fixed_threshold, struct nab_result *res, double *file_raw);

#endif /* RINGSCOPE_DETECT_EVAL_NAB_H */
