/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ringscope-detect-eval-data.h - labelled series for the evaluation: a NAB
 * labels file (JSON: "relative/path.csv": [["start", "end"], ...]) and the
 * CSV files (timestamp,value) it names under a data folder.
 */
#ifndef RINGSCOPE_DETECT_EVAL_DATA_H
#define RINGSCOPE_DETECT_EVAL_DATA_H

#include <stddef.h>

struct series {
	char *name;		/* path relative to the data folder */
	size_t n;
	double *value;
	long long *ts;		/* seconds since the epoch (UTC) */
	size_t nwindows;
	size_t (*windows)[2];	/* point indices, inclusive */
};

/* Appends the series of one labels file to *out. Returns 0, or -1 with a
 * message on stderr (a window whose ends are not timestamps of the file is
 * an error, as in NAB). */
int series_load(const char *data_dir, const char *labels_json,
		struct series **out, size_t *n);
void series_free(struct series *s, size_t n);

#endif /* RINGSCOPE_DETECT_EVAL_DATA_H */
