// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// export_produce.c - drives the Kafka exporter as the daemon will: metadata at
// start, a synthetic metrics batch (and events) every interval, counters
// printed each interval, flush on SIGTERM or at the end. For the export
// shell tests; also writes the expected content and fuzz seeds.
//
// Usage: export_produce -b BROKERS [-n INTERVALS] [-i INTERVAL_MS]
//        [-e ENTITIES] [-m METRICS] [-H] [-E EVENTS] [-X name=value]...
//        [-x EXPECTED_JSONL] [-W SEED_DIR]
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fb_encode.h"
#include "jsonl.h"
#include "kafka.h"
#include "synth.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long rss_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void print_topic(const char *what, const struct rs_kafka_topic_stats *t)
{
	printf("%s produced=%llu sent=%llu failed=%llu dropped=%llu queued=%llu "
	       "queued_bytes=%llu samples_produced=%llu samples_sent=%llu "
	       "samples_failed=%llu samples_dropped=%llu intervals_dropped=%llu\n",
	       what, (unsigned long long)t->produced, (unsigned long long)t->sent,
	       (unsigned long long)t->failed, (unsigned long long)t->dropped,
	       (unsigned long long)t->queued, (unsigned long long)t->queued_bytes,
	       (unsigned long long)t->produced_samples, (unsigned long long)t->sent_samples,
	       (unsigned long long)t->failed_samples, (unsigned long long)t->dropped_samples,
	       (unsigned long long)t->dropped_intervals);
}

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "failed to write %s\n", path);
		return -1;
	}
	return 0;
}

/* a few valid messages of each kind, as fuzzing seeds */
static int write_seeds(const char *dir)
{
	struct rs_fb_encoder *e = rs_fb_encoder_new();
	struct rs_xbatch b;
	const uint8_t *out;
	size_t len;
	int rc = 0;

	rs_xbatch_init(&b);
	synth_batch(&b, 3, 4, 1, 2, 1, 1700000000000);
	rc |= rs_fb_encode_rows(e, &b, 0, b.n_rows, 0, 1, &out, &len) ||
	      write_file(dir, "rows", out, len);
	rc |= rs_fb_encode_events(e, &b, 0, b.n_events, &out, &len) ||
	      write_file(dir, "events", out, len);
	rc |= rs_fb_encode_defs(e, &b, 0, b.n_defs, &out, &len) ||
	      write_file(dir, "defs", out, len);
	rs_xbatch_free(&b);
	rs_fb_encoder_free(e);
	return rc;
}

int main(int argc, char **argv)
{
	struct rs_kafka_config cfg;
	struct rs_kafka_stats st;
	struct rs_kafka *k;
	struct rs_xbatch b;
	unsigned intervals = 3, entities = 100, metrics = 20, events = 0, interval_ms = 200;
	int hist = 0, opt, rc = 0;
	const char *expected = NULL;
	FILE *xf = NULL;
	char err[512];
	long max_rss = 0;

	rs_kafka_config_defaults(&cfg);
	cfg.flush_timeout_ms = 10000;
	while ((opt = getopt(argc, argv, "b:n:i:e:m:HE:X:x:W:")) != -1) {
		switch (opt) {
		case 'b':
			snprintf(cfg.brokers, sizeof(cfg.brokers), "%s", optarg);
			break;
		case 'n':
			intervals = (unsigned)atoi(optarg);
			break;
		case 'i':
			interval_ms = (unsigned)atoi(optarg);
			break;
		case 'e':
			entities = (unsigned)atoi(optarg);
			break;
		case 'm':
			metrics = (unsigned)atoi(optarg);
			break;
		case 'H':
			hist = 1;
			break;
		case 'E':
			events = (unsigned)atoi(optarg);
			break;
		case 'X': {
			char *eq = strchr(optarg, '=');

			if (!eq) {
				fprintf(stderr, "-X wants name=value\n");
				return 2;
			}
			*eq = '\0';
			if (rs_kafka_config_set(&cfg, optarg, eq + 1, err, sizeof(err))) {
				fprintf(stderr, "%s\n", err);
				return 2;
			}
			break;
		}
		case 'x':
			expected = optarg;
			break;
		case 'W':
			return write_seeds(optarg) ? 1 : 0;
		default:
			fprintf(stderr, "usage: see the top of export_produce.c\n");
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (expected && !(xf = fopen(expected, "w"))) {
		fprintf(stderr, "failed to open %s\n", expected);
		return 2;
	}
	k = rs_kafka_new(&cfg, "0123456789abcdef-192.168.0.7", err, sizeof(err));
	if (!k) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	rs_xbatch_init(&b);
	synth_batch(&b, 1, metrics, hist, 0, 0, now_ms());
	if (rs_kafka_send_metadata(k, &b, 0) != 2 || rs_kafka_send_metadata(k, &b, 0) != 0) {
		fprintf(stderr, "metadata: want 2 definitions sent once\n");
		rc = 1;
	}
	for (unsigned i = 0; i < intervals && !stop; i++) {
		long long t0 = now_ms();

		synth_batch(&b, entities, metrics, hist, events, i, t0);
		if (b.oom) {
			fprintf(stderr, "out of memory\n");
			rc = 1;
			break;
		}
		rs_kafka_send_metrics(k, &b);
		rs_kafka_send_events(k, &b);
		if (xf && rs_xbatch_print_jsonl(&b, xf))
			rc = 1;
		rs_kafka_get_stats(k, &st);
		long rss = rss_kb();
		if (rss > max_rss)
			max_rss = rss;
		printf("interval %u t=%lld broker_up=%d rss_kb=%ld ", i, t0, st.broker_up, rss);
		print_topic("metrics", &st.topic[RS_KAFKA_METRICS]);
		fflush(stdout);
		while (!stop && now_ms() < t0 + interval_ms)
			usleep(10000);
	}
	if (xf && fclose(xf))
		rc = 1;
	long long f0 = now_ms();
	int flushed = rs_kafka_flush(k, cfg.flush_timeout_ms);
	printf("flush %s in %lld ms\n", flushed ? "timed out" : "done", now_ms() - f0);
	rs_kafka_get_stats(k, &st);
	printf("final max_rss_kb=%ld\n", max_rss);
	print_topic("final metrics", &st.topic[RS_KAFKA_METRICS]);
	print_topic("final events", &st.topic[RS_KAFKA_EVENTS]);
	print_topic("final metadata", &st.topic[RS_KAFKA_METADATA]);
	{
		char prom[4096];

		rs_kafka_stats_prom(&st, &cfg, prom, sizeof(prom));
		fputs(prom, stdout);
	}
	rs_kafka_destroy(k);
	rs_xbatch_free(&b);
	return rc;
}
