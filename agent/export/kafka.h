// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// kafka.h - the Kafka exporter: metrics batches, events and metadata to three
// topics through librdkafka, FlatBuffers or gala-gopher JSON, bounded
// buffering with counted drops while the broker is away.
#ifndef RS_EXPORT_KAFKA_H
#define RS_EXPORT_KAFKA_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"

enum rs_kafka_topic {
	RS_KAFKA_METRICS = 0,
	RS_KAFKA_EVENTS = 1,
	RS_KAFKA_METADATA = 2,
	RS_KAFKA_NTOPICS = 3,
};

enum rs_kafka_format {
	RS_KAFKA_FLATBUFFERS = 0,
	RS_KAFKA_JSON = 1,
};

#define RS_KAFKA_MAX_PROPS 32

struct rs_kafka_config {
	char brokers[512];               /* kafka_broker: "host:port,..." */
	char topic[RS_KAFKA_NTOPICS][128]; /* gala_gopher, _event, _metadata */
	char client_id[128];             /* client.id, default "ringscope" */
	char compression[16];            /* compression_codec: none|gzip|snappy|lz4|zstd */
	char acks[8];                    /* acks: all|-1|0|1 */
	enum rs_kafka_format format;     /* format: "flatbuffers" | "json" */
	int batch_num_messages;          /* librdkafka batch.num.messages */
	int queue_max_messages;          /* queue_buffering_max_messages */
	int queue_max_kbytes;            /* queue_buffering_max_kbytes: the bound on
					  * everything buffered (ours + librdkafka's) */
	int linger_ms;                   /* queue_buffering_max_ms = linger.ms */
	int batch_samples;               /* max samples per FlatBuffers metrics message */
	int message_timeout_ms;          /* message.timeout.ms: give up on a message */
	int flush_timeout_ms;            /* bound of the flush at shutdown */
	int reconnect_backoff_max_ms;    /* reconnect.backoff.max.ms */
	int own_thread;                  /* serve delivery reports from a thread
					  * of the exporter (default 1); 0: the
					  * caller calls rs_kafka_poll() */
	uint32_t n_props;                /* pass-through librdkafka properties */
	struct { char key[128]; char value[512]; } props[RS_KAFKA_MAX_PROPS];
};

/* gala-gopher's defaults plus ours (docs/kafka.md). */
void rs_kafka_config_defaults(struct rs_kafka_config *c);

/* Sets one setting by its config-file name (kafka_broker, compression_codec,
 * format, ...); a name with a dot is a librdkafka property passed through.
 * Returns 0, or -1 with "kafka.<name>: <reason>" in err. */
int rs_kafka_config_set(struct rs_kafka_config *c, const char *name,
			const char *value, char *err, size_t errlen);

/* Reads a libconfig `kafka` group (a config_setting_t *) into c, on top of
 * what c holds. Unknown settings are errors. Returns 0 or -1 with err. */
int rs_kafka_config_from_libconfig(struct rs_kafka_config *c, const void *setting,
				   char *err, size_t errlen);

struct rs_kafka_topic_stats {
	/* messages: produced = sent + failed + dropped + queued, always */
	uint64_t produced, sent, failed, dropped, queued;
	uint64_t produced_bytes, sent_bytes, queued_bytes;
	/* the same for metric samples (metrics topic only) */
	uint64_t produced_samples, sent_samples, failed_samples, dropped_samples,
		queued_samples;
	uint64_t dropped_intervals; /* metrics: whole intervals dropped */
};

struct rs_kafka_stats {
	struct rs_kafka_topic_stats topic[RS_KAFKA_NTOPICS];
	int broker_up; /* librdkafka has a connection to a broker */
};

struct rs_kafka;

/* Creates the producer (librdkafka connects in the background: a broker
 * that is down is not an error). Partition key: machine_id. */
struct rs_kafka *rs_kafka_new(const struct rs_kafka_config *c, const char *machine_id,
			      char *err, size_t errlen);

/* One interval's metric rows of b. Encoded now, queued as one interval: with
 * the broker away and the buffer over queue_max_kbytes, whole intervals are
 * dropped oldest first. Returns 0, or -1 if the interval was dropped at once
 * (too big for the buffer, or encoding failed); drops are counted either way. */
int rs_kafka_send_metrics(struct rs_kafka *k, const struct rs_xbatch *b);
/* All events of b, one message each in JSON, up to 1000 a message in
 * FlatBuffers; metrics are dropped before events are. */
int rs_kafka_send_events(struct rs_kafka *k, const struct rs_xbatch *b);
/* The entity definitions of b whose content changed since they were last
 * sent (all of them when force is set). Returns the number sent or -1. */
int rs_kafka_send_metadata(struct rs_kafka *k, const struct rs_xbatch *b, int force);

/* Serves delivery reports and hands buffered metrics to librdkafka; only
 * needed with own_thread = 0. */
void rs_kafka_poll(struct rs_kafka *k, int timeout_ms);
/* Hands everything to librdkafka and waits at most timeout_ms for delivery.
 * Returns 0 when nothing is left queued. */
int rs_kafka_flush(struct rs_kafka *k, int timeout_ms);
void rs_kafka_get_stats(struct rs_kafka *k, struct rs_kafka_stats *s);
/* Writes the counters as Prometheus text (ringscope_kafka_*{topic=..}) into
 * buf; returns the length it needed (like snprintf). */
size_t rs_kafka_stats_prom(const struct rs_kafka_stats *s,
			   const struct rs_kafka_config *c, char *buf, size_t len);
/* Stops, drops what is still queued (counted) and frees. Call
 * rs_kafka_flush() first to deliver it. */
void rs_kafka_destroy(struct rs_kafka *k);

#endif
