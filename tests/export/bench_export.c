// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// bench_export.c - `make bench-export`: encodes and produces synthetic
// snapshots (10k entities x 20 metrics) to the test broker as FlatBuffers and
// as gala-gopher JSON in one run, rounds interleaved, and reports samples/s
// per core (process CPU time: encoding, librdkafka's threads, compression)
// and bytes per sample for each, medians over rounds.
//
// Usage: bench_export -B TESTBROKER [-r ROUNDS] [-k SNAPSHOTS_PER_ROUND]
//                     [-e ENTITIES] [-m METRICS] [-c CODEC]
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fb_encode.h"
#include "json_encode.h"
#include "kafka.h"
#include "synth.h"

#define MAX_ROUNDS 64

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* starts the test broker; returns its pid and its address in addr */
static pid_t start_broker(const char *bin, char *addr, size_t len)
{
	int fd[2];
	pid_t pid;
	FILE *f;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	if (pid < 0 || !f || !fgets(addr, (int)len, f)) {
		fprintf(stderr, "failed to start the test broker %s\n", bin);
		if (pid > 0)
			kill(pid, SIGTERM);
		return -1;
	}
	addr[strcspn(addr, "\n")] = '\0';
	fclose(f);
	return pid;
}

struct variant {
	const char *name;
	enum rs_kafka_format format;
	struct rs_kafka *k;
	double per_core[MAX_ROUNDS], bytes[MAX_ROUNDS], encode[MAX_ROUNDS];
};

/* encoding alone, one thread: samples per CPU second */
static double encode_only(struct variant *v, struct rs_fb_encoder *enc,
			  const struct rs_xbatch *b, uint64_t samples)
{
	double t0 = thread_cpu_s();
	size_t len, total = 0;

	if (v->format == RS_KAFKA_FLATBUFFERS) {
		const uint8_t *out;

		for (uint32_t r = 0; r < b->n_rows; r += 238) {
			uint32_t n = b->n_rows - r < 238 ? b->n_rows - r : 238;

			rs_fb_encode_rows(enc, b, r, n, 0, 1, &out, &len);
			total += len;
		}
	} else {
		for (uint32_t r = 0; r < b->n_rows; r++) {
			char *s = rs_json_row(b, r, &len);

			total += len;
			free(s);
		}
	}
	(void)total;
	return (double)samples / (thread_cpu_s() - t0);
}

int main(int argc, char **argv)
{
	const char *broker_bin = NULL, *codec = "none";
	int rounds = 7, per_round = 5, opt;
	unsigned entities = 10000, metrics = 20;
	char addr[256], err[512];
	struct variant v[2] = { { .name = "flatbuffers", .format = RS_KAFKA_FLATBUFFERS },
				{ .name = "json", .format = RS_KAFKA_JSON } };
	struct rs_fb_encoder *enc = rs_fb_encoder_new();
	struct rs_xbatch b;
	pid_t broker;

	while ((opt = getopt(argc, argv, "B:r:k:e:m:c:")) != -1) {
		switch (opt) {
		case 'B':
			broker_bin = optarg;
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'k':
			per_round = atoi(optarg);
			break;
		case 'e':
			entities = (unsigned)atoi(optarg);
			break;
		case 'm':
			metrics = (unsigned)atoi(optarg);
			break;
		case 'c':
			codec = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_export -B TESTBROKER [-r ROUNDS] "
					"[-e ENTITIES] [-m METRICS] [-c CODEC]\n");
			return 2;
		}
	}
	if (!broker_bin || rounds < 1 || rounds > MAX_ROUNDS || per_round < 1 ||
	    metrics > SYNTH_MAX_METRICS) {
		fprintf(stderr, "bench_export: -B TESTBROKER needed; 1 <= rounds <= %d\n",
			MAX_ROUNDS);
		return 2;
	}
	broker = start_broker(broker_bin, addr, sizeof(addr));
	if (broker < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		struct rs_kafka_config c;

		rs_kafka_config_defaults(&c);
		snprintf(c.brokers, sizeof(c.brokers), "%s", addr);
		snprintf(c.compression, sizeof(c.compression), "%s", codec);
		c.format = v[i].format;
		c.queue_max_kbytes = 1 << 20;
		v[i].k = rs_kafka_new(&c, "0123456789abcdef-192.168.0.7", err, sizeof(err));
		if (!v[i].k) {
			fprintf(stderr, "%s\n", err);
			kill(broker, SIGTERM);
			return 1;
		}
	}
	rs_xbatch_init(&b);
	printf("export benchmark: %u entities x %u metrics per snapshot, %d rounds of %d "
	       "snapshots per format, broker %s, compression %s\n", entities, metrics, rounds,
	       per_round, addr, codec);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < 2; i++) {
			struct rs_kafka_stats s0, s1;
			uint64_t samples = 0;
			double c0;

			/* filling the snapshot is the daemon's work, not timed */
			synth_batch(&b, entities, metrics, 0, 0, (uint64_t)r, 1700000000000 + r);
			for (uint32_t x = 0; x < b.n_rows; x++)
				samples += rs_xrow_samples(&b, &b.rows[x]);
			v[i].encode[r] = encode_only(&v[i], enc, &b, samples);
			/* one snapshot is 10k rows: keep b (and its strings) as is and
			 * send it per_round times, as per_round intervals */
			rs_kafka_get_stats(v[i].k, &s0);
			c0 = cpu_s();
			for (int k = 0; k < per_round; k++)
				rs_kafka_send_metrics(v[i].k, &b);
			samples *= (uint64_t)per_round;
			if (rs_kafka_flush(v[i].k, 60000)) {
				fprintf(stderr, "%s: not delivered in 60 s\n", v[i].name);
				kill(broker, SIGTERM);
				return 1;
			}
			v[i].per_core[r] = (double)samples / (cpu_s() - c0);
			rs_kafka_get_stats(v[i].k, &s1);
			v[i].bytes[r] = (double)(s1.topic[0].sent_bytes - s0.topic[0].sent_bytes) /
					(double)samples;
			if (s1.topic[0].sent_samples - s0.topic[0].sent_samples != samples) {
				fprintf(stderr, "%s: %llu of %llu samples delivered\n", v[i].name,
					(unsigned long long)(s1.topic[0].sent_samples -
							     s0.topic[0].sent_samples),
					(unsigned long long)samples);
				kill(broker, SIGTERM);
				return 1;
			}
		}
	}
	printf("%-12s %22s %22s %16s\n", "format", "produce samples/s/core",
	       "encode-only samples/s", "bytes/sample");
	double pc[2], by[2], en[2];
	for (int i = 0; i < 2; i++) {
		pc[i] = median(v[i].per_core, rounds);
		by[i] = median(v[i].bytes, rounds);
		en[i] = median(v[i].encode, rounds);
		printf("%-12s %20.2f M %20.2f M %16.1f\n", v[i].name, pc[i] / 1e6, en[i] / 1e6,
		       by[i]);
	}
	for (int i = 0; i < 2; i++)
		rs_kafka_destroy(v[i].k);
	rs_xbatch_free(&b);
	rs_fb_encoder_free(enc);
	kill(broker, SIGTERM);
	waitpid(broker, NULL, 0);
	printf("flatbuffers samples/s per core (M): %.2f, json/flatbuffers cost ratio: %.1f\n",
	       pc[0] / 1e6, pc[0] / pc[1]);
	return 0;
}
