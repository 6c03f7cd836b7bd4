// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringscope-detect-eval-bench.c - the engine's cost at the tick: N entities
 * with one adaptive series (tcp_link srtt, SPOT) and one metric without a
 * rule each, fed for T ticks with rs_detect_feed + rs_detect_tick_end;
 * prints ns per fed value and bytes held per series.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "detect.h"
#include "ringscope-detect-eval-bench.h"

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void count_event(void *ctx, const struct rs_event *ev, const char *json, size_t len)
{
	(void)ev;
	(void)json;
	(void)len;
	(*(unsigned long *)ctx)++;
}

int bench_engine(unsigned int entities, unsigned int ticks)
{
	unsigned long events = 0;
	struct rs_detect_opts opts = { "gala_gopher", "bench", count_event, &events, NULL, NULL };
	struct rs_detect_config cfg;
	struct rs_detect_stats st;
	struct rs_detect *d;
	char err[256], (*ids)[48] = calloc(entities, 48);
	double t0, spent;
	unsigned int seed = 1;

	if (!ids || rs_detect_config_parse(&cfg, NULL, "-", NULL, NULL, err, sizeof(err)) < 0)
		return -1;
	d = rs_detect_new(&cfg, &opts);
	rs_detect_config_free(&cfg);
	if (!d)
		return -1;
	for (unsigned int e = 0; e < entities; e++)
		snprintf(ids[e], 48, "%u_client_10.0.%u.%u_10.1.0.1_443_2", 1000 + e,
			 (e >> 8) & 255, e & 255);
	t0 = now_ns();
	for (unsigned int t = 0; t < ticks; t++) {
		uint64_t now = 1700000000000000000ull + (uint64_t)t * 5000000000ull;

		for (unsigned int e = 0; e < entities; e++) {
			double noise = (double)rand_r(&seed) / RAND_MAX;

			rs_detect_feed(d, "tcp_link", ids[e], "srtt", now, 200 + 20 * noise, NULL);
			rs_detect_feed(d, "tcp_link", ids[e], "rx_bytes", now, 1e6 * noise, NULL);
		}
		rs_detect_tick_end(d, now);
	}
	spent = now_ns() - t0;
	rs_detect_get_stats(d, &st);
	printf("engine: %u entities x 2 series, %u ticks: %.0f ns per fed value "
	       "(tick_end included), %zu bytes held, %.0f bytes per series, "
	       "%zu bytes per adaptive detector state, %lu events\n",
	       entities, ticks, spent / ((double)entities * 2 * ticks), st.bytes,
	       (double)st.bytes / (double)st.series, sizeof(struct rs_det), events);
	rs_detect_free(d);
	free(ids);
	return 0;
}
