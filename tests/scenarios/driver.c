// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * driver.c - a small stand-in for the agent's tick in the scenarios: reads
 * /dev/kmsg (non-blocking, new records only) into the detection engine,
 * and with -m collects the host tables once per interval with the agent's
 * collectors (agent/collect/), names their fields with the .meta files and
 * feeds every metric; ends a tick every interval and prints each event as
 * a JSON line on stdout.
 *
 * Usage: ringscope-detect-driver [-i INTERVAL_MS] [-n TICKS] [-c CONFIG]
 *        [-m META_DIR]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "detect.h"
#include "meta.h"

struct host {
	struct rs_meta_set meta;
	struct rs_collector *col;
	struct rs_detect *d;
	uint64_t now;
};

/* One row: the entity id is its keys joined by '_', each gauge or counter
 * that parses as a number is fed. */
static void feed_row(void *ctx, const char *table, const char *const *fields,
		     unsigned int nfields)
{
	struct host *h = ctx;
	const struct rs_meta_table *t = rs_meta_table(&h->meta, table);
	char id[256] = "";
	size_t len = 0;

	if (!t || nfields != t->nfields)
		return;
	for (unsigned int i = 0; i < nfields; i++)
		if (t->fields[i].type == RS_FIELD_KEY)
			len += (size_t)snprintf(id + len, len < sizeof(id) ? sizeof(id) - len : 0,
						"%s%s", len ? "_" : "", fields[i]);
	for (unsigned int i = 0; i < nfields; i++) {
		char *end;
		double v;

		if (t->fields[i].type != RS_FIELD_GAUGE && t->fields[i].type != RS_FIELD_COUNTER)
			continue;
		v = strtod(fields[i], &end);
		if (end != fields[i] && !*end)
			rs_detect_feed(h->d, t->entity_name, id, t->fields[i].name, h->now, v, NULL);
	}
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void print_event(void *ctx, const struct rs_event *ev, const char *json, size_t len)
{
	(void)ctx;
	(void)ev;
	fwrite(json, 1, len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "warning: %s\n", msg);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, 0, f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

int main(int argc, char **argv)
{
	struct rs_detect_opts opts = { "gala_gopher", "scenario", print_event, NULL,
				       print_warning, NULL };
	struct rs_detect_config cfg;
	struct rs_detect *d = NULL;
	long interval_ms = 1000, ticks = 10;
	char err[512], buf[8192], *text = NULL;
	const char *config = NULL, *meta_dir = NULL;
	struct host host = { 0 };
	int opt, fd = -1, rc = 1;

	while ((opt = getopt(argc, argv, "i:n:c:m:")) != -1) {
		switch (opt) {
		case 'i': interval_ms = atol(optarg); break;
		case 'n': ticks = atol(optarg); break;
		case 'c': config = optarg; break;
		case 'm': meta_dir = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-i INTERVAL_MS] [-n TICKS] [-c CONFIG] "
				"[-m META_DIR]\n", argv[0]);
			return 2;
		}
	}
	if (interval_ms < 10 || ticks < 1) {
		fprintf(stderr, "interval must be >= 10 ms and ticks >= 1\n");
		return 2;
	}
	if (config && !(text = read_file(config))) {
		fprintf(stderr, "failed to read %s: %s\n", config, strerror(errno));
		return 1;
	}
	if (rs_detect_config_parse(&cfg, text, config ? config : "<none>", print_warning, NULL,
				   err, sizeof(err)) < 0) {
		fprintf(stderr, "failed to parse config: %s\n", err);
		free(text);
		return 1;
	}
	free(text);
	fd = rs_kmsg_open(NULL);
	if (fd < 0) {
		fprintf(stderr, "failed to open /dev/kmsg: %s\n", strerror(-fd));
		goto cleanup;
	}
	d = rs_detect_new(&cfg, &opts);
	if (!d) {
		fprintf(stderr, "failed to create the detection engine\n");
		goto cleanup;
	}
	rs_meta_init(&host.meta);
	host.d = d;
	if (meta_dir) {
		if (rs_meta_add_dir(&host.meta, meta_dir) <= 0) {
			fprintf(stderr, "failed to load .meta files from %s\n", meta_dir);
			goto cleanup;
		}
		host.col = rs_collector_new(NULL, NULL, err, sizeof(err));
		if (!host.col) {
			fprintf(stderr, "failed to create the host collectors: %s\n", err);
			goto cleanup;
		}
	}
	fprintf(stderr, "ready\n");
	for (long t = 0; t < ticks; t++) {
		uint64_t end = clock_ns(CLOCK_MONOTONIC) + (uint64_t)interval_ms * 1000000ull;
		uint64_t now;

		while ((now = clock_ns(CLOCK_MONOTONIC)) < end) {
			struct pollfd p = { fd, POLLIN, 0 };
			long n;

			if (poll(&p, 1, (int)((end - now) / 1000000ull) + 1) <= 0)
				continue;
			while ((n = rs_kmsg_read(fd, buf, sizeof(buf))) != 0) {
				if (n == -EPIPE)
					continue;	/* overwritten: go on */
				if (n < 0)
					break;
				rs_detect_kmsg(d, buf, (size_t)n, clock_ns(CLOCK_REALTIME));
			}
		}
		if (host.col) {
			host.now = clock_ns(CLOCK_REALTIME);
			rs_collector_collect(host.col, clock_ns(CLOCK_MONOTONIC), feed_row, &host);
		}
		rs_detect_tick_end(d, clock_ns(CLOCK_REALTIME));
	}
	rc = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	rs_collector_free(host.col);
	rs_meta_free(&host.meta);
	rs_detect_free(d);
	rs_detect_config_free(&cfg);
	return rc;
}
