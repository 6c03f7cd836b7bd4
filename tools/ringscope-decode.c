// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// ringscope-decode.c - prints ringscope FlatBuffers messages as JSON lines,
// from a file, stdin or a Kafka topic; `ringscope decode` dispatches here.
//
// Usage: ringscope-decode [FILE|-]                 a stream of messages, each
//            preceded by its length (4 bytes, big endian), as written by
//            kcat -C -f '%R%s'; a file holding one bare message also works
//        ringscope-decode -b BROKERS -t TOPIC [-e] [-g GROUP]
//            consume TOPIC from the beginning (-e: exit at its end)
// Exit status: 0 all messages decoded, 1 some refused (each reason on
// stderr, decoding goes on), 2 usage or I/O error.
#include <arpa/inet.h>
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "fb_encode.h"
#include "jsonl.h"

#define MAX_MESSAGE (256u << 20)

static struct rs_xbatch batch;
static unsigned long decoded, refused;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void decode_one(const void *buf, size_t len, const char *where)
{
	char err[256];

	if (rs_fb_decode(buf, len, &batch, err, sizeof(err))) {
		fprintf(stderr, "ringscope-decode: %s: %s\n", where, err);
		refused++;
		return;
	}
	if (rs_xbatch_print_jsonl(&batch, stdout)) {
		fprintf(stderr, "ringscope-decode: %s: cannot print it\n", where);
		refused++;
		return;
	}
	decoded++;
}

static int read_all(FILE *f, const char *name, unsigned char **out, size_t *len)
{
	size_t cap = 1 << 16, n = 0, r;
	unsigned char *buf = malloc(cap);

	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			unsigned char *p = cap > (size_t)4 * MAX_MESSAGE ? NULL
									 : realloc(buf, cap * 2);
			if (!p) {
				fprintf(stderr, "ringscope-decode: %s: too big to read\n", name);
				free(buf);
				return -1;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "ringscope-decode: cannot read %s\n", name);
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int decode_file(const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "rb") : stdin;
	unsigned char *buf;
	size_t len, off = 0;
	char where[64];
	unsigned long i = 0;

	if (!f) {
		fprintf(stderr, "ringscope-decode: cannot open %s\n", name);
		return 2;
	}
	if (read_all(f, name, &buf, &len)) {
		if (f != stdin)
			fclose(f);
		return 2;
	}
	if (f != stdin)
		fclose(f);
	/* a bare message has the file identifier at bytes 4..7 */
	if (len >= 8 && !memcmp(buf + 4, RS_WIRE_IDENTIFIER, 4)) {
		decode_one(buf, len, name);
		free(buf);
		return 0;
	}
	while (off < len) {
		uint32_t be;
		int32_t n;

		snprintf(where, sizeof(where), "message %lu at byte %zu", i++, off);
		if (len - off < 4) {
			fprintf(stderr, "ringscope-decode: %s: %zu stray bytes, not a length\n",
				where, len - off);
			refused++;
			break;
		}
		memcpy(&be, buf + off, 4);
		n = (int32_t)ntohl(be);
		off += 4;
		if (n < 0) /* kcat: -1 is a NULL payload */
			continue;
		if ((uint32_t)n > MAX_MESSAGE || (size_t)n > len - off) {
			fprintf(stderr, "ringscope-decode: %s: length %d %s (%zu bytes left); "
					"is this a kcat -f '%%R%%s' stream?\n",
				where, n, (uint32_t)n > MAX_MESSAGE ? "over the 256 MiB limit"
								   : "past the end",
				len - off);
			refused++;
			break;
		}
		decode_one(buf + off, (size_t)n, where);
		off += (size_t)n;
	}
	free(buf);
	return 0;
}

static int decode_topic(const char *brokers, const char *topic, const char *group,
			int exit_at_end)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *subs;
	char why[256], gid[64], where[128];
	rd_kafka_t *rk;
	int eof = 0;

	if (!group) {
		snprintf(gid, sizeof(gid), "ringscope-decode-%d", (int)getpid());
		group = gid;
	}
	if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, why, sizeof(why)) ||
	    rd_kafka_conf_set(conf, "group.id", group, why, sizeof(why)) ||
	    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", why, sizeof(why)) ||
	    rd_kafka_conf_set(conf, "enable.partition.eof", "true", why, sizeof(why)) ||
	    rd_kafka_conf_set(conf, "enable.auto.commit", "false", why, sizeof(why))) {
		fprintf(stderr, "ringscope-decode: %s\n", why);
		rd_kafka_conf_destroy(conf);
		return 2;
	}
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (!rk) {
		fprintf(stderr, "ringscope-decode: failed to create consumer: %s\n", why);
		return 2;
	}
	rd_kafka_poll_set_consumer(rk);
	subs = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(subs, topic, RD_KAFKA_PARTITION_UA);
	if (rd_kafka_subscribe(rk, subs)) {
		fprintf(stderr, "ringscope-decode: failed to subscribe to %s\n", topic);
		stop = 1;
	}
	rd_kafka_topic_partition_list_destroy(subs);
	while (!stop) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
		rd_kafka_topic_partition_list_t *assigned = NULL;

		if (!m)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			/* the end of every assigned partition: done */
			if (exit_at_end && !rd_kafka_assignment(rk, &assigned)) {
				if (++eof >= assigned->cnt)
					stop = 1;
				rd_kafka_topic_partition_list_destroy(assigned);
			}
		} else if (m->err) {
			fprintf(stderr, "ringscope-decode: %s\n", rd_kafka_message_errstr(m));
			if (m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
			    m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
				stop = 1;
		} else {
			snprintf(where, sizeof(where), "%s [%d] offset %lld", topic,
				 (int)m->partition, (long long)m->offset);
			decode_one(m->payload, m->len, where);
		}
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ringscope-decode [FILE|-]\n"
		   "       ringscope-decode -b BROKERS -t TOPIC [-e] [-g GROUP]\n"
		   "FILE: messages each preceded by a 4-byte big-endian length "
		   "(kcat -C -f '%%R%%s'), or one bare message\n");
}

int main(int argc, char **argv)
{
	const char *brokers = NULL, *topic = NULL, *group = NULL;
	int opt, exit_at_end = 0, rc;

	while ((opt = getopt(argc, argv, "b:t:g:eh")) != -1) {
		switch (opt) {
		case 'b':
			brokers = optarg;
			break;
		case 't':
			topic = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 'e':
			exit_at_end = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!!brokers != !!topic || (brokers && optind < argc) || argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rs_xbatch_init(&batch);
	rc = brokers ? decode_topic(brokers, topic, group, exit_at_end)
		     : decode_file(optind < argc ? argv[optind] : "-");
	rs_xbatch_free(&batch);
	if (fflush(stdout))
		rc = 2;
	fprintf(stderr, "ringscope-decode: %lu message(s) decoded, %lu refused\n", decoded,
		refused);
	return rc ? rc : refused ? 1 : 0;
}
