// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringscope-detect-eval.c - replay labelled series through the agent's
 * detectors (agent/detect/detector.c, one point per tick, the parameters the
 * agent uses by default) and NAB's windowed-Gaussian baseline, and print per
 * detector precision, recall, detection delay, NAB scores, state bytes and
 * time per point.
 *
 * Usage: ringscope-detect-eval [-v] [-p PARAM=VALUE]... DATA_DIR LABELS_JSON
 *        [DATA_DIR LABELS_JSON]...
 *        ringscope-detect-eval -b ENTITIES[xTICKS]   (the engine's cost)
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detector.h"
#include "ringscope-detect-eval-bench.h"
#include "ringscope-detect-eval-data.h"
#include "ringscope-detect-eval-gauss.h"
#include "ringscope-detect-eval-nab.h"

struct candidate {
	const char *name;
	int kind;		/* enum rs_det_kind, or -1: windowed Gaussian */
	double op_threshold;	/* the operating point the agent alarms at */
	size_t state_bytes;
	double ns_per_point;
	double **scores;	/* per file */
};

/* -p name=value overrides of the detectors' parameters (exploration). */
static const char *overrides[32];
static int noverrides;

static void apply_overrides(struct rs_det_params *p)
{
	for (int i = 0; i < noverrides; i++) {
		const char *o = overrides[i], *eq = strchr(o, '=');
		double v = eq ? atof(eq + 1) : 0;
		size_t n = eq ? (size_t)(eq - o) : 0;

#define SET(name, field, type)                                   \
	if (n == strlen(name) && !strncmp(o, name, n))           \
		p->field = (type)v;
		SET("window", window, unsigned int)
		SET("warmup", warmup, unsigned int)
		SET("holdoff", holdoff, unsigned int)
		SET("risk", risk, double)
		SET("level", level, double)
		SET("z", z, double)
		SET("alpha", alpha, double)
		SET("min_delta", min_delta, double)
		SET("novelty", novelty, double)
#undef SET
	}
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void run(struct candidate *c, const struct series *s, size_t nfiles)
{
	size_t points = 0;
	double t0, spent = 0;

	c->scores = calloc(nfiles, sizeof(double *));
	for (size_t f = 0; f < nfiles; f++) {
		c->scores[f] = calloc(s[f].n ? s[f].n : 1, sizeof(double));
		if (c->kind < 0) {
			struct gauss *g = malloc(sizeof(*g));

			gauss_init(g);
			t0 = now_ns();
			for (size_t i = 0; i < s[f].n; i++)
				c->scores[f][i] = gauss_feed(g, s[f].value[i]);
			spent += now_ns() - t0;
			free(g);
			c->state_bytes = sizeof(struct gauss);
		} else {
			struct rs_det_params p;
			struct rs_det d;
			struct rs_det_verdict v;

			rs_det_params_default(&p, c->kind);
			apply_overrides(&p);
			rs_det_init(&d, &p);
			t0 = now_ns();
			for (size_t i = 0; i < s[f].n; i++) {
				rs_det_feed(&d, s[f].value[i], &v);
				c->scores[f][i] = v.score;
			}
			spent += now_ns() - t0;
			c->state_bytes = sizeof(struct rs_det);
		}
		points += s[f].n;
	}
	c->ns_per_point = points ? spent / (double)points : 0;
}

/* Event-level figures at a threshold, after probation: precision is the
 * share of detections inside a window, recall the share of windows with a
 * detection, delay the mean points from a window's start to its first. */
struct figures {
	double precision, recall, delay;
	size_t detections, windows;
};

static void figures_at(const struct series *s, size_t nfiles, double *const *scores,
		       double thr, struct figures *fg)
{
	size_t det = 0, det_in = 0, win = 0, hit = 0;
	double delay = 0;

	for (size_t f = 0; f < nfiles; f++) {
		size_t prob = nab_probation(s[f].n);

		for (size_t i = prob; i < s[f].n; i++) {
			if (!(scores[f][i] >= thr))
				continue;
			det++;
			for (size_t w = 0; w < s[f].nwindows; w++)
				if (i >= s[f].windows[w][0] && i <= s[f].windows[w][1]) {
					det_in++;
					break;
				}
		}
		for (size_t w = 0; w < s[f].nwindows; w++) {
			if (s[f].windows[w][1] < prob)
				continue;
			win++;
			for (size_t i = s[f].windows[w][0] < prob ? prob : s[f].windows[w][0];
			     i <= s[f].windows[w][1]; i++)
				if (scores[f][i] >= thr) {
					hit++;
					delay += (double)(i - s[f].windows[w][0]);
					break;
				}
		}
	}
	fg->detections = det;
	fg->windows = win;
	fg->precision = det ? (double)det_in / (double)det : 0;
	fg->recall = win ? (double)hit / (double)win : 0;
	fg->delay = hit ? delay / (double)hit : NAN;
}

/* -v: per window, the points from its start to the first detection at
 * the threshold ("miss" if none), into buf. */
static void window_delays(const struct series *s, const double *scores, double thr,
			  char *buf, size_t len)
{
	size_t used = 0, prob = nab_probation(s->n);

	buf[0] = 0;
	for (size_t w = 0; w < s->nwindows && used < len; w++) {
		long delay = -1;

		for (size_t i = s->windows[w][0] < prob ? prob : s->windows[w][0];
		     i <= s->windows[w][1]; i++)
			if (scores[i] >= thr) {
				delay = (long)(i - s->windows[w][0]);
				break;
			}
		used += (size_t)snprintf(buf + used, len - used, delay < 0 ? " miss" : " %ld",
					 delay);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: ringscope-detect-eval [-v] [-p PARAM=VALUE]... DATA_DIR "
		"LABELS_JSON [DATA_DIR LABELS_JSON]...\n"
		"  -v  per file: raw score, and per window the points to the first\n"
		"      detection at the NAB-optimised standard threshold\n"
		"  -b N[xT]  instead: the engine's cost, N entities, T ticks (200)\n"
		"  -p  override a parameter of the agent's detectors (window, warmup,\n"
		"      holdoff, risk, level, z, alpha, min_delta, novelty)\n");
}

int main(int argc, char **argv)
{
	struct candidate cand[] = {
		{ "spot", RS_DET_SPOT, 0.5, 0, 0, NULL },
		{ "zscore", RS_DET_ZSCORE, 0.5, 0, 0, NULL },
		{ "ewma", RS_DET_EWMA, 0.5, 0, 0, NULL },
		{ "windowed-gaussian", -1, -1, 0, 0, NULL },
	};
	size_t ncand = sizeof(cand) / sizeof(cand[0]), nfiles = 0, npoints = 0, nwin = 0;
	struct series *s = NULL;
	struct nab_file *files;
	double *file_raw, std_score[8] = { 0 };
	int verbose = 0, opt;

	while ((opt = getopt(argc, argv, "vp:b:h")) != -1) {
		if (opt == 'v') {
			verbose = 1;
		} else if (opt == 'b') {
			unsigned int n = 0, t = 200;

			if (sscanf(optarg, "%ux%u", &n, &t) < 1 || !n || !t) {
				usage();
				return 2;
			}
			return bench_engine(n, t) < 0;
		} else if (opt == 'p' && noverrides < 32 && strchr(optarg, '=')) {
			overrides[noverrides++] = optarg;
		} else {
			usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (argc - optind < 2 || (argc - optind) % 2) {
		usage();
		return 2;
	}
	for (int a = optind; a < argc; a += 2)
		if (series_load(argv[a], argv[a + 1], &s, &nfiles) < 0) {
			series_free(s, nfiles);
			return 1;
		}
	files = calloc(nfiles, sizeof(*files));
	file_raw = calloc(nfiles, sizeof(double));
	for (size_t f = 0; f < nfiles; f++) {
		files[f].name = s[f].name;
		files[f].n = s[f].n;
		files[f].nwindows = s[f].nwindows;
		files[f].windows = (const size_t (*)[2])s[f].windows;
		npoints += s[f].n;
		nwin += s[f].nwindows;
	}
	printf("%zu series, %zu points, %zu labelled windows\n", nfiles, npoints, nwin);
	printf("%-18s %-9s %9s %6s %6s %8s %8s %8s %8s %7s %7s\n", "detector", "at",
	       "threshold", "prec", "recall", "delay", "NAB-std", "NAB-lowFP",
	       "NAB-lowFN", "bytes", "ns/pt");
	for (size_t c = 0; c < ncand; c++) {
		struct nab_result rs, rl, rn, os, ol, on;
		struct figures fg;

		run(&cand[c], s, nfiles);
		nab_score_corpus(files, nfiles, (const double *const *)cand[c].scores,
				 &nab_standard, -1, &rs, file_raw);
		nab_score_corpus(files, nfiles, (const double *const *)cand[c].scores,
				 &nab_low_fp, -1, &rl, NULL);
		nab_score_corpus(files, nfiles, (const double *const *)cand[c].scores,
				 &nab_low_fn, -1, &rn, NULL);
		std_score[c] = rs.score;
		figures_at(s, nfiles, cand[c].scores, rs.threshold, &fg);
		printf("%-18s %-9s %9.6g %6.3f %6.3f %8.1f %8.1f %8.1f %8.1f %7zu %7.0f\n",
		       cand[c].name, "NAB-opt", rs.threshold, fg.precision, fg.recall,
		       fg.delay, rs.score, rl.score, rn.score, cand[c].state_bytes,
		       cand[c].ns_per_point);
		if (cand[c].op_threshold >= 0) {
			nab_score_corpus(files, nfiles, (const double *const *)cand[c].scores,
					 &nab_standard, cand[c].op_threshold, &os, NULL);
			nab_score_corpus(files, nfiles, (const double *const *)cand[c].scores,
					 &nab_low_fp, cand[c].op_threshold, &ol, NULL);
			nab_score_corpus(files, nfiles, (const double *const *)cand[c].scores,
					 &nab_low_fn, cand[c].op_threshold, &on, NULL);
			figures_at(s, nfiles, cand[c].scores, cand[c].op_threshold, &fg);
			printf("%-18s %-9s %9.6g %6.3f %6.3f %8.1f %8.1f %8.1f %8.1f\n",
			       "", "agent", cand[c].op_threshold, fg.precision, fg.recall,
			       fg.delay, os.score, ol.score, on.score);
		}
		if (verbose)
			for (size_t f = 0; f < nfiles; f++) {
				char delays[256];

				window_delays(&s[f], cand[c].scores[f], rs.threshold, delays,
					      sizeof(delays));
				printf("  %-18s %-60s raw %9.4f delays:%s\n", cand[c].name,
				       s[f].name, file_raw[f], delays);
			}
	}
	printf("precision: share of detections (after probation) inside a window; "
	       "recall: share of windows detected; delay: mean points from window start\n");
	printf("NAB standard score: %.1f (windowed gaussian: %.1f)\n", std_score[0],
	       std_score[ncand - 1]);
	for (size_t c = 0; c < ncand; c++) {
		for (size_t f = 0; f < nfiles; f++)
			free(cand[c].scores[f]);
		free(cand[c].scores);
	}
	free(files);
	free(file_raw);
	series_free(s, nfiles);
	return 0;
}
