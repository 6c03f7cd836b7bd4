// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// kafka_stats.c - the Kafka exporter's counters as Prometheus text (self
// metrics: messages, samples, bytes per topic and outcome, broker state).
#include <stdio.h>

#include "kafka.h"

size_t rs_kafka_stats_prom(const struct rs_kafka_stats *s,
			   const struct rs_kafka_config *c, char *buf, size_t len)
{
	static const char *const outcome[] = { "produced", "sent", "failed", "dropped" };
	size_t n = 0;

#define OUT(...)                                                                \
	do {                                                                    \
		int w = snprintf(buf + (n < len ? n : len), n < len ? len - n : 0, \
				 __VA_ARGS__);                                  \
		n += w > 0 ? (size_t)w : 0;                                     \
	} while (0)
	OUT("# HELP ringscope_kafka_messages_total Kafka messages by topic and outcome.\n"
	    "# TYPE ringscope_kafka_messages_total counter\n");
	for (int t = 0; t < RS_KAFKA_NTOPICS; t++) {
		const struct rs_kafka_topic_stats *x = &s->topic[t];
		const uint64_t v[] = { x->produced, x->sent, x->failed, x->dropped };

		for (int o = 0; o < 4; o++)
			OUT("ringscope_kafka_messages_total{topic=\"%s\",outcome=\"%s\"} %llu\n",
			    c->topic[t], outcome[o], (unsigned long long)v[o]);
	}
	OUT("# HELP ringscope_kafka_samples_total Metric samples by outcome.\n"
	    "# TYPE ringscope_kafka_samples_total counter\n");
	{
		const struct rs_kafka_topic_stats *x = &s->topic[RS_KAFKA_METRICS];
		const uint64_t v[] = { x->produced_samples, x->sent_samples,
				       x->failed_samples, x->dropped_samples };

		for (int o = 0; o < 4; o++)
			OUT("ringscope_kafka_samples_total{topic=\"%s\",outcome=\"%s\"} %llu\n",
			    c->topic[RS_KAFKA_METRICS], outcome[o], (unsigned long long)v[o]);
		OUT("# HELP ringscope_kafka_dropped_intervals_total Metric intervals dropped "
		    "(wholly or in part) while the broker was away.\n"
		    "# TYPE ringscope_kafka_dropped_intervals_total counter\n"
		    "ringscope_kafka_dropped_intervals_total{topic=\"%s\"} %llu\n",
		    c->topic[RS_KAFKA_METRICS], (unsigned long long)x->dropped_intervals);
	}
	OUT("# HELP ringscope_kafka_sent_bytes_total Payload bytes delivered.\n"
	    "# TYPE ringscope_kafka_sent_bytes_total counter\n");
	for (int t = 0; t < RS_KAFKA_NTOPICS; t++)
		OUT("ringscope_kafka_sent_bytes_total{topic=\"%s\"} %llu\n", c->topic[t],
		    (unsigned long long)s->topic[t].sent_bytes);
	OUT("# HELP ringscope_kafka_queued_bytes Payload bytes waiting for delivery.\n"
	    "# TYPE ringscope_kafka_queued_bytes gauge\n");
	for (int t = 0; t < RS_KAFKA_NTOPICS; t++)
		OUT("ringscope_kafka_queued_bytes{topic=\"%s\"} %llu\n", c->topic[t],
		    (unsigned long long)s->topic[t].queued_bytes);
	OUT("# HELP ringscope_kafka_broker_up 1 while a broker accepts messages.\n"
	    "# TYPE ringscope_kafka_broker_up gauge\n"
	    "ringscope_kafka_broker_up %d\n", s->broker_up);
#undef OUT
	return n;
}
