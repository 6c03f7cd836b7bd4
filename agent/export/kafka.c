// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// kafka.c - the Kafka exporter: librdkafka producer, an interval FIFO for
// metrics that is dropped oldest-first when the broker is away, and exact
// per-topic delivery accounting.
//
// Buffering: metrics intervals wait in our FIFO and are handed to librdkafka
// while what librdkafka holds of them stays under half the bound
// (queue_max_kbytes); the FIFO can therefore always be trimmed, oldest whole
// interval first, to keep everything queued under the bound. Events and
// metadata go straight to librdkafka, after trimming metrics if needed.
#include "kafka.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fb_encode.h"
#include "json_encode.h"

struct msg {
	void *buf;
	size_t len;
	uint32_t samples;
};

struct interval {
	struct interval *next;
	struct msg *msgs;
	uint32_t n, next_msg;
};

struct def_seen {
	uint64_t key, content;
};

struct rs_kafka {
	struct rs_kafka_config cfg;
	rd_kafka_t *rk;
	rd_kafka_topic_t *topic[RS_KAFKA_NTOPICS];
	char *machine_id;
	size_t machine_id_len;
	struct rs_fb_encoder *enc; /* used by the (single) sending thread */

	pthread_mutex_t lock; /* everything below */
	struct interval *head, *tail;
	struct rs_kafka_stats st;
	uint64_t in_rdkafka_bytes, in_rdkafka_msgs; /* metrics handed over */
	uint64_t bound;                             /* bytes */
	time_t last_log; /* atomic */
	struct def_seen *seen;
	uint32_t n_seen, seen_cap;

	pthread_t thread;
	int thread_started;
	volatile int stop;
};

/* A message's opaque: its topic in the low 2 bits, its samples above. */
#define OPAQUE(topic, samples) ((void *)(((uintptr_t)(samples) << 2) | (topic)))

static uint64_t queued_bytes(const struct rs_kafka *k)
{
	uint64_t n = 0;

	for (int t = 0; t < RS_KAFKA_NTOPICS; t++)
		n += k->st.topic[t].queued_bytes;
	return n;
}

/* Counts a message as produced (queued); under k->lock. */
static void count_produced(struct rs_kafka *k, int t, size_t len, uint32_t samples)
{
	struct rs_kafka_topic_stats *s = &k->st.topic[t];

	s->produced++;
	s->queued++;
	s->produced_bytes += len;
	s->queued_bytes += len;
	s->produced_samples += samples;
	s->queued_samples += samples;
}

enum outcome { SENT, FAILED, DROPPED };

/* Moves a queued message to its outcome; under k->lock. */
static void count_done(struct rs_kafka *k, int t, size_t len, uint32_t samples,
		       enum outcome o)
{
	struct rs_kafka_topic_stats *s = &k->st.topic[t];

	s->queued--;
	s->queued_bytes -= len;
	s->queued_samples -= samples;
	switch (o) {
	case SENT:
		s->sent++;
		s->sent_bytes += len;
		s->sent_samples += samples;
		break;
	case FAILED:
		s->failed++;
		s->failed_samples += samples;
		break;
	case DROPPED:
		s->dropped++;
		s->dropped_samples += samples;
		break;
	}
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct rs_kafka *k = opaque;
	uintptr_t op = (uintptr_t)m->_private;
	int t = (int)(op & 3);
	uint32_t samples = (uint32_t)(op >> 2);
	enum outcome o = SENT;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
	    m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
		o = DROPPED; /* at shutdown, after the flush timeout */
	else if (m->err)
		o = FAILED;
	pthread_mutex_lock(&k->lock);
	count_done(k, t, m->len, samples, o);
	if (t == RS_KAFKA_METRICS) {
		k->in_rdkafka_bytes -= m->len;
		k->in_rdkafka_msgs--;
	}
	if (!m->err)
		k->st.broker_up = 1;
	pthread_mutex_unlock(&k->lock);
}

/* librdkafka logs every failed reconnect; one line per 10 s is enough. */
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct rs_kafka *k = rd_kafka_opaque(rk);
	time_t now = time(NULL);

	/* librdkafka calls this from its threads */
	if (k && now - __atomic_load_n(&k->last_log, __ATOMIC_RELAXED) < 10)
		return;
	if (k)
		__atomic_store_n(&k->last_log, now, __ATOMIC_RELAXED);
	fprintf(stderr, "kafka: %d %s: %s\n", level, fac, buf);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct rs_kafka *k = opaque;

	(void)rk;
	(void)reason;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
		pthread_mutex_lock(&k->lock);
		k->st.broker_up = 0;
		pthread_mutex_unlock(&k->lock);
	}
}

static void free_interval(struct interval *iv)
{
	for (uint32_t i = iv->next_msg; i < iv->n; i++)
		free(iv->msgs[i].buf);
	free(iv->msgs);
	free(iv);
}

/* Drops what is left of the oldest interval; under k->lock. */
static void drop_head(struct rs_kafka *k)
{
	struct interval *iv = k->head;

	for (uint32_t i = iv->next_msg; i < iv->n; i++)
		count_done(k, RS_KAFKA_METRICS, iv->msgs[i].len, iv->msgs[i].samples,
			   DROPPED);
	k->st.topic[RS_KAFKA_METRICS].dropped_intervals++;
	k->head = iv->next;
	if (!k->head)
		k->tail = NULL;
	free_interval(iv);
}

/* Drops metrics intervals, oldest first, until `extra` more bytes fit under
 * the bound; under k->lock. */
static void make_room(struct rs_kafka *k, uint64_t extra)
{
	while (k->head && queued_bytes(k) + extra > k->bound)
		drop_head(k);
}

static rd_kafka_resp_err_t produce(struct rs_kafka *k, int t, void *buf, size_t len,
				   uint32_t samples, int flags)
{
	return rd_kafka_producev(k->rk, RD_KAFKA_V_RKT(k->topic[t]),
				 RD_KAFKA_V_MSGFLAGS(flags), RD_KAFKA_V_VALUE(buf, len),
				 RD_KAFKA_V_KEY(k->machine_id, k->machine_id_len),
				 RD_KAFKA_V_OPAQUE(OPAQUE(t, samples)), RD_KAFKA_V_END);
}

/* Hands queued metrics to librdkafka, within the window unless `all`;
 * under k->lock. */
static void pump(struct rs_kafka *k, int all)
{
	uint64_t window = k->bound / 2, max_msgs = (uint64_t)k->cfg.queue_max_messages / 2;

	while (k->head) {
		struct interval *iv = k->head;
		struct msg *m = &iv->msgs[iv->next_msg];
		rd_kafka_resp_err_t err;

		if (!all && (k->in_rdkafka_bytes + m->len > window ||
			     k->in_rdkafka_msgs + 1 > max_msgs) && k->in_rdkafka_msgs)
			break;
		err = produce(k, RS_KAFKA_METRICS, m->buf, m->len, m->samples,
			      RD_KAFKA_MSG_F_FREE);
		if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		if (err) {
			count_done(k, RS_KAFKA_METRICS, m->len, m->samples, DROPPED);
			free(m->buf);
		} else {
			k->in_rdkafka_bytes += m->len;
			k->in_rdkafka_msgs++;
		}
		if (++iv->next_msg == iv->n) {
			k->head = iv->next;
			if (!k->head)
				k->tail = NULL;
			free_interval(iv);
		}
	}
}

static void *poll_thread(void *arg)
{
	struct rs_kafka *k = arg;

	while (!k->stop)
		rs_kafka_poll(k, 100);
	return NULL;
}

void rs_kafka_poll(struct rs_kafka *k, int timeout_ms)
{
	rd_kafka_poll(k->rk, timeout_ms);
	pthread_mutex_lock(&k->lock);
	pump(k, 0);
	pthread_mutex_unlock(&k->lock);
}

static int conf_set(rd_kafka_conf_t *conf, const char *cfg_name, const char *name,
		    const char *value, char *err, size_t errlen)
{
	char why[256];

	if (rd_kafka_conf_set(conf, name, value, why, sizeof(why)) == RD_KAFKA_CONF_OK)
		return 0;
	snprintf(err, errlen, "kafka.%s: %s", cfg_name, why);
	return -1;
}

struct rs_kafka *rs_kafka_new(const struct rs_kafka_config *c, const char *machine_id,
			      char *err, size_t errlen)
{
	struct rs_kafka *k = calloc(1, sizeof(*k));
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char num[32], why[512];

	if (!k || !conf)
		goto oom;
	pthread_mutex_init(&k->lock, NULL);
	k->cfg = *c;
	k->bound = (uint64_t)c->queue_max_kbytes * 1024;
	k->machine_id = strdup(machine_id ? machine_id : "");
	k->enc = rs_fb_encoder_new();
	if (!k->machine_id || !k->enc)
		goto oom;
	k->machine_id_len = strlen(k->machine_id);

#define SET(cfg_name, name, value)                                            \
	do {                                                                  \
		if (conf_set(conf, cfg_name, name, value, err, errlen))       \
			goto fail;                                            \
	} while (0)
#define SETI(cfg_name, name, v)                                               \
	do {                                                                  \
		snprintf(num, sizeof(num), "%d", (int)(v));                   \
		SET(cfg_name, name, num);                                     \
	} while (0)
	SET("kafka_broker", "bootstrap.servers", c->brokers);
	SET("client_id", "client.id", c->client_id);
	SET("compression_codec", "compression.codec", c->compression);
	SET("acks", "acks", c->acks);
	SETI("batch_num_messages", "batch.num.messages", c->batch_num_messages);
	SETI("queue_buffering_max_messages", "queue.buffering.max.messages",
	     c->queue_max_messages);
	/* librdkafka's own bound equals ours: metrics never take more than
	 * half of it (see pump), so events keep at least the other half */
	SETI("queue_buffering_max_kbytes", "queue.buffering.max.kbytes", c->queue_max_kbytes);
	SETI("queue_buffering_max_ms", "linger.ms", c->linger_ms);
	SETI("message_timeout_ms", "message.timeout.ms", c->message_timeout_ms);
	SETI("reconnect_backoff_max_ms", "reconnect.backoff.max.ms",
	     c->reconnect_backoff_max_ms);
	SETI("reconnect_backoff_max_ms", "reconnect.backoff.ms",
	     c->reconnect_backoff_max_ms < 100 ? c->reconnect_backoff_max_ms : 100);
	/* message.max.bytes stays librdkafka's (and Kafka's) 1 MB: batch_samples
	 * keeps a FlatBuffers message far below it (~12 bytes a sample) */
	for (uint32_t i = 0; i < c->n_props; i++)
		SET(c->props[i].key, c->props[i].key, c->props[i].value);
#undef SETI
#undef SET
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	rd_kafka_conf_set_log_cb(conf, log_cb);
	rd_kafka_conf_set_error_cb(conf, error_cb);
	rd_kafka_conf_set_opaque(conf, k);
	k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (!k->rk) {
		snprintf(err, errlen, "kafka: cannot create producer: %s", why);
		goto fail;
	}
	conf = NULL; /* owned by rk now */
	for (int t = 0; t < RS_KAFKA_NTOPICS; t++) {
		k->topic[t] = rd_kafka_topic_new(k->rk, c->topic[t], NULL);
		if (!k->topic[t]) {
			snprintf(err, errlen, "kafka: topic \"%s\": %s", c->topic[t],
				 rd_kafka_err2str(rd_kafka_last_error()));
			goto fail;
		}
	}
	if (c->own_thread) {
		if (pthread_create(&k->thread, NULL, poll_thread, k)) {
			snprintf(err, errlen, "kafka: cannot start the poll thread");
			goto fail;
		}
		k->thread_started = 1;
	}
	return k;
oom:
	snprintf(err, errlen, "kafka: out of memory");
fail:
	if (conf)
		rd_kafka_conf_destroy(conf);
	if (k)
		rs_kafka_destroy(k);
	return NULL;
}

/* Encodes the rows of b into messages of at most batch_samples samples. */
static struct msg *encode_metrics(struct rs_kafka *k, const struct rs_xbatch *b,
				  uint32_t *n_msgs)
{
	uint32_t cap = 16, n = 0, *samples = malloc((b->n_rows + 1) * sizeof(*samples));
	struct msg *msgs = malloc(cap * sizeof(*msgs));

	if (!samples || !msgs)
		goto fail;
	for (uint32_t r = 0; r < b->n_rows; r++)
		samples[r] = rs_xrow_samples(b, &b->rows[r]);
	if (k->cfg.format == RS_KAFKA_JSON) {
		struct msg *m = realloc(msgs, (b->n_rows + 1) * sizeof(*msgs));

		if (!m)
			goto fail;
		msgs = m;
		for (; n < b->n_rows; n++) {
			msgs[n].buf = rs_json_row(b, n, &msgs[n].len);
			msgs[n].samples = samples[n];
			if (!msgs[n].buf)
				goto fail;
		}
	} else {
		/* parts: consecutive rows up to batch_samples samples (a row
		 * bigger than that goes alone) */
		uint32_t parts = 0, first, total;

		for (uint32_t r = 0; r < b->n_rows; parts++)
			for (total = 0; r < b->n_rows &&
					(total == 0 ||
					 total + samples[r] <= (uint32_t)k->cfg.batch_samples);
			     r++)
				total += samples[r];
		for (uint32_t r = 0, part = 0; r < b->n_rows; part++) {
			const uint8_t *out;
			size_t len;

			for (first = r, total = 0; r < b->n_rows &&
						   (total == 0 ||
						    total + samples[r] <=
							    (uint32_t)k->cfg.batch_samples);
			     r++)
				total += samples[r];
			if (n == cap) {
				struct msg *m = realloc(msgs, cap * 2 * sizeof(*msgs));

				if (!m)
					goto fail;
				msgs = m;
				cap *= 2;
			}
			if (rs_fb_encode_rows(k->enc, b, first, r - first, part, parts,
					      &out, &len))
				goto fail;
			msgs[n].buf = malloc(len);
			if (!msgs[n].buf)
				goto fail;
			memcpy(msgs[n].buf, out, len);
			msgs[n].len = len;
			msgs[n++].samples = total;
		}
	}
	free(samples);
	*n_msgs = n;
	return msgs;
fail:
	for (uint32_t i = 0; i < n; i++)
		free(msgs[i].buf);
	free(msgs);
	free(samples);
	return NULL;
}

int rs_kafka_send_metrics(struct rs_kafka *k, const struct rs_xbatch *b)
{
	struct interval *iv = calloc(1, sizeof(*iv));
	int dropped_now;

	if (iv)
		iv->msgs = encode_metrics(k, b, &iv->n);
	if (!iv || !iv->msgs) {
		uint64_t samples = 0;

		for (uint32_t r = 0; r < b->n_rows; r++)
			samples += rs_xrow_samples(b, &b->rows[r]);
		free(iv);
		pthread_mutex_lock(&k->lock);
		/* counted as one produced-and-dropped message per interval */
		count_produced(k, RS_KAFKA_METRICS, 0, (uint32_t)samples);
		count_done(k, RS_KAFKA_METRICS, 0, (uint32_t)samples, DROPPED);
		k->st.topic[RS_KAFKA_METRICS].dropped_intervals++;
		pthread_mutex_unlock(&k->lock);
		return -1;
	}
	if (!iv->n) {
		free_interval(iv);
		return 0;
	}
	pthread_mutex_lock(&k->lock);
	for (uint32_t i = 0; i < iv->n; i++)
		count_produced(k, RS_KAFKA_METRICS, iv->msgs[i].len, iv->msgs[i].samples);
	if (k->tail)
		k->tail->next = iv;
	else
		k->head = iv;
	k->tail = iv;
	make_room(k, 0);
	dropped_now = k->tail != iv;
	pump(k, 0);
	pthread_mutex_unlock(&k->lock);
	return dropped_now ? -1 : 0;
}

/* Produces one event or metadata message, trimming metrics first. */
static int send_one(struct rs_kafka *k, int t, void *buf, size_t len, int flags)
{
	rd_kafka_resp_err_t err;

	pthread_mutex_lock(&k->lock);
	count_produced(k, t, len, 0);
	make_room(k, 0);
	err = produce(k, t, buf, len, 0, flags);
	if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && k->head) {
		while (k->head)
			drop_head(k);
		err = produce(k, t, buf, len, 0, flags);
	}
	if (err)
		count_done(k, t, len, 0, DROPPED);
	pthread_mutex_unlock(&k->lock);
	if (err && (flags & RD_KAFKA_MSG_F_FREE))
		free(buf);
	return err ? -1 : 0;
}

int rs_kafka_send_events(struct rs_kafka *k, const struct rs_xbatch *b)
{
	const uint8_t *out;
	size_t len;
	int rc = 0;

	if (!b->n_events)
		return 0;
	if (k->cfg.format == RS_KAFKA_FLATBUFFERS) {
		/* events are a few hundred bytes: 1000 a message stays under 1 MB */
		for (uint32_t i = 0; i < b->n_events; i += 1000) {
			uint32_t n = b->n_events - i < 1000 ? b->n_events - i : 1000;

			if (rs_fb_encode_events(k->enc, b, i, n, &out, &len))
				return -1;
			rc |= send_one(k, RS_KAFKA_EVENTS, (void *)out, len, RD_KAFKA_MSG_F_COPY);
		}
		return rc;
	}
	for (uint32_t i = 0; i < b->n_events; i++) {
		char *s = rs_json_event(b, i, &len);

		rc |= s ? send_one(k, RS_KAFKA_EVENTS, s, len, RD_KAFKA_MSG_F_FREE) : -1;
	}
	return rc;
}

static uint64_t hash_str(uint64_t h, const struct rs_xbatch *b, uint32_t id)
{
	const char *s = rs_xbatch_s(b, id);

	for (uint32_t i = 0; i <= b->str_len[id]; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

/* Records the def's content; returns 1 if it is new or changed. */
static int def_changed(struct rs_kafka *k, const struct rs_xbatch *b, uint32_t def)
{
	const struct rs_xentity_def *d = &b->defs[def];
	uint64_t key = hash_str(hash_str(14695981039346656037ull, b, d->entity_name), b,
				d->table_name);
	uint64_t h = hash_str(key, b, d->version);
	uint32_t i;

	for (i = 0; i < d->n_keys + d->n_labels; i++)
		h = hash_str(h, b, b->refs[d->keys + i]);
	h = (h ^ d->n_keys) * 1099511628211ull;
	for (i = 0; i < d->n_metrics; i++) {
		const struct rs_xmetric_def *m = &b->mdefs[d->metrics + i];

		h = hash_str(hash_str(h, b, m->name), b, m->description);
		h = (h ^ m->type) * 1099511628211ull;
	}
	for (i = 0; i < k->n_seen && k->seen[i].key != key; i++)
		;
	if (i < k->n_seen) {
		if (k->seen[i].content == h)
			return 0;
		k->seen[i].content = h;
		return 1;
	}
	if (k->n_seen == k->seen_cap) {
		uint32_t cap = k->seen_cap ? k->seen_cap * 2 : 64;
		struct def_seen *p = realloc(k->seen, cap * sizeof(*p));

		if (!p)
			return 1;
		k->seen = p;
		k->seen_cap = cap;
	}
	k->seen[k->n_seen++] = (struct def_seen){ key, h };
	return 1;
}

int rs_kafka_send_metadata(struct rs_kafka *k, const struct rs_xbatch *b, int force)
{
	int sent = 0;

	for (uint32_t i = 0; i < b->n_defs; i++) {
		const uint8_t *out;
		size_t len;
		char *s;

		if (!def_changed(k, b, i) && !force)
			continue;
		if (k->cfg.format == RS_KAFKA_FLATBUFFERS) {
			if (rs_fb_encode_defs(k->enc, b, i, 1, &out, &len) ||
			    send_one(k, RS_KAFKA_METADATA, (void *)out, len,
				     RD_KAFKA_MSG_F_COPY))
				return -1;
		} else {
			s = rs_json_def(b, i, &len);
			if (!s || send_one(k, RS_KAFKA_METADATA, s, len, RD_KAFKA_MSG_F_FREE))
				return -1;
		}
		sent++;
	}
	return sent;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rs_kafka_flush(struct rs_kafka *k, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		int empty;

		pthread_mutex_lock(&k->lock);
		pump(k, 1);
		empty = !k->head;
		pthread_mutex_unlock(&k->lock);
		if (empty && rd_kafka_outq_len(k->rk) == 0) {
			rd_kafka_poll(k->rk, 0);
			return 0;
		}
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return -1;
		rd_kafka_flush(k->rk, left < 100 ? (int)left : 100);
	}
}

void rs_kafka_get_stats(struct rs_kafka *k, struct rs_kafka_stats *s)
{
	pthread_mutex_lock(&k->lock);
	*s = k->st;
	pthread_mutex_unlock(&k->lock);
}

void rs_kafka_destroy(struct rs_kafka *k)
{
	if (!k)
		return;
	if (k->thread_started) {
		k->stop = 1;
		pthread_join(k->thread, NULL);
	}
	if (k->rk) {
		/* what the flush did not deliver is dropped, and counted */
		rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
		for (int i = 0; i < 50 && rd_kafka_outq_len(k->rk) > 0; i++)
			rd_kafka_poll(k->rk, 20);
	}
	pthread_mutex_lock(&k->lock);
	while (k->head)
		drop_head(k);
	pthread_mutex_unlock(&k->lock);
	for (int t = 0; t < RS_KAFKA_NTOPICS; t++)
		if (k->topic[t])
			rd_kafka_topic_destroy(k->topic[t]);
	if (k->rk)
		rd_kafka_destroy(k->rk);
	rs_fb_encoder_free(k->enc);
	free(k->seen);
	free(k->machine_id);
	pthread_mutex_destroy(&k->lock);
	free(k);
}
