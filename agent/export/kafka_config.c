// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// kafka_config.c - the Kafka exporter's settings: defaults, one setter by
// config name with errors that name the setting, and the libconfig section.
#include "kafka.h"

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_kafka_config_defaults(struct rs_kafka_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->brokers, sizeof(c->brokers), "localhost:9092");
	snprintf(c->topic[RS_KAFKA_METRICS], sizeof(c->topic[0]), "gala_gopher");
	snprintf(c->topic[RS_KAFKA_EVENTS], sizeof(c->topic[0]), "gala_gopher_event");
	snprintf(c->topic[RS_KAFKA_METADATA], sizeof(c->topic[0]), "gala_gopher_metadata");
	snprintf(c->client_id, sizeof(c->client_id), "ringscope");
	snprintf(c->compression, sizeof(c->compression), "none");
	snprintf(c->acks, sizeof(c->acks), "all");
	c->format = RS_KAFKA_FLATBUFFERS;
	c->batch_num_messages = 10000;
	c->queue_max_messages = 100000;
	c->queue_max_kbytes = 1048576;
	c->linger_ms = 5;
	c->batch_samples = 5000;
	c->message_timeout_ms = 300000;
	c->flush_timeout_ms = 5000;
	c->reconnect_backoff_max_ms = 1000;
	c->own_thread = 1;
}

static int fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "kafka.%s: ", name);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int set_str(char *dst, size_t size, const char *name, const char *value,
		   char *err, size_t errlen)
{
	if (!*value)
		return fail(err, errlen, name, "must not be empty");
	if (strlen(value) >= size)
		return fail(err, errlen, name, "\"%.40s...\" is longer than %zu bytes",
			    value, size - 1);
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int set_int(int *dst, const char *name, const char *value, long min, long max,
		   char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end)
		return fail(err, errlen, name, "\"%s\" is not an integer", value);
	if (v < min || v > max)
		return fail(err, errlen, name, "%ld is outside [%ld, %ld]", v, min, max);
	*dst = (int)v;
	return 0;
}

static int one_of(const char *value, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(value, *set))
			return 1;
	return 0;
}

int rs_kafka_config_set(struct rs_kafka_config *c, const char *name,
			const char *value, char *err, size_t errlen)
{
	static const char *const codecs[] = { "none", "gzip", "snappy", "lz4", "zstd", NULL };
	static const char *const acks[] = { "all", "-1", "0", "1", NULL };

	if (!strcmp(name, "kafka_broker") || !strcmp(name, "brokers"))
		return set_str(c->brokers, sizeof(c->brokers), name, value, err, errlen);
	if (!strcmp(name, "metric_topic") || !strcmp(name, "kafka_topic"))
		return set_str(c->topic[RS_KAFKA_METRICS], sizeof(c->topic[0]), name,
			       value, err, errlen);
	if (!strcmp(name, "event_topic"))
		return set_str(c->topic[RS_KAFKA_EVENTS], sizeof(c->topic[0]), name,
			       value, err, errlen);
	if (!strcmp(name, "metadata_topic") || !strcmp(name, "meta_topic"))
		return set_str(c->topic[RS_KAFKA_METADATA], sizeof(c->topic[0]), name,
			       value, err, errlen);
	if (!strcmp(name, "client_id"))
		return set_str(c->client_id, sizeof(c->client_id), name, value, err, errlen);
	if (!strcmp(name, "compression_codec") || !strcmp(name, "compression")) {
		if (!one_of(value, codecs))
			return fail(err, errlen, name,
				    "\"%s\" is not one of none, gzip, snappy, lz4, zstd", value);
		return set_str(c->compression, sizeof(c->compression), name, value, err,
			       errlen);
	}
	if (!strcmp(name, "acks")) {
		if (!one_of(value, acks))
			return fail(err, errlen, name, "\"%s\" is not one of all, -1, 0, 1",
				    value);
		return set_str(c->acks, sizeof(c->acks), name, value, err, errlen);
	}
	if (!strcmp(name, "format")) {
		if (!strcmp(value, "flatbuffers"))
			c->format = RS_KAFKA_FLATBUFFERS;
		else if (!strcmp(value, "json"))
			c->format = RS_KAFKA_JSON;
		else
			return fail(err, errlen, name,
				    "\"%s\" is not one of flatbuffers, json", value);
		return 0;
	}
	if (!strcmp(name, "batch_num_messages"))
		return set_int(&c->batch_num_messages, name, value, 1, 1000000, err, errlen);
	if (!strcmp(name, "queue_buffering_max_messages"))
		return set_int(&c->queue_max_messages, name, value, 1, 10000000, err, errlen);
	if (!strcmp(name, "queue_buffering_max_kbytes"))
		/* librdkafka is given twice this (see kafka.c), its limit is INT_MAX */
		return set_int(&c->queue_max_kbytes, name, value, 64, INT_MAX / 2, err,
			       errlen);
	if (!strcmp(name, "queue_buffering_max_ms") || !strcmp(name, "linger_ms"))
		return set_int(&c->linger_ms, name, value, 0, 900000, err, errlen);
	if (!strcmp(name, "batch_samples"))
		return set_int(&c->batch_samples, name, value, 1, 10000000, err, errlen);
	if (!strcmp(name, "message_timeout_ms"))
		return set_int(&c->message_timeout_ms, name, value, 1000, INT_MAX, err, errlen);
	if (!strcmp(name, "flush_timeout_ms"))
		return set_int(&c->flush_timeout_ms, name, value, 0, 600000, err, errlen);
	if (!strcmp(name, "reconnect_backoff_max_ms"))
		return set_int(&c->reconnect_backoff_max_ms, name, value, 10, 3600000, err,
			       errlen);
	if (!strcmp(name, "username"))
		return rs_kafka_config_set(c, "sasl.username", value, err, errlen);
	if (!strcmp(name, "password"))
		return rs_kafka_config_set(c, "sasl.password", value, err, errlen);
	if (strchr(name, '.')) {
		/* librdkafka checks name and value when the producer is made */
		uint32_t i;

		for (i = 0; i < c->n_props && strcmp(c->props[i].key, name); i++)
			;
		if (i == RS_KAFKA_MAX_PROPS)
			return fail(err, errlen, name, "more than %d librdkafka properties",
				    RS_KAFKA_MAX_PROPS);
		if (strlen(name) >= sizeof(c->props[0].key) ||
		    strlen(value) >= sizeof(c->props[0].value))
			return fail(err, errlen, name, "name or value too long");
		snprintf(c->props[i].key, sizeof(c->props[0].key), "%s", name);
		snprintf(c->props[i].value, sizeof(c->props[0].value), "%s", value);
		if (i == c->n_props)
			c->n_props++;
		return 0;
	}
	return fail(err, errlen, name, "unknown setting");
}

int rs_kafka_config_from_libconfig(struct rs_kafka_config *c, const void *setting,
				   char *err, size_t errlen)
{
	const config_setting_t *group = setting;
	char num[32];

	if (!config_setting_is_group(group))
		return fail(err, errlen, "", "must be a group { ... }");
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s), *value;

		if (!strcmp(name, "properties")) {
			/* properties = [ "socket.keepalive.enable=true", ... ] */
			if (!config_setting_is_array(s) && !config_setting_is_list(s))
				return fail(err, errlen, name,
					    "must be a list of \"name=value\" strings");
			for (int j = 0; j < config_setting_length(s); j++) {
				const char *kv = config_setting_get_string_elem(s, j);
				char key[128];
				const char *eq = kv ? strchr(kv, '=') : NULL;

				if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
					return fail(err, errlen, name,
						    "element %d is not a \"name=value\" string", j);
				memcpy(key, kv, (size_t)(eq - kv));
				key[eq - kv] = '\0';
				if (!strchr(key, '.'))
					return fail(err, errlen, name,
						    "\"%s\" is not a librdkafka property", key);
				if (rs_kafka_config_set(c, key, eq + 1, err, errlen))
					return -1;
			}
			continue;
		}
		switch (config_setting_type(s)) {
		case CONFIG_TYPE_STRING:
			value = config_setting_get_string(s);
			break;
		case CONFIG_TYPE_INT:
			snprintf(num, sizeof(num), "%d", config_setting_get_int(s));
			value = num;
			break;
		case CONFIG_TYPE_INT64:
			snprintf(num, sizeof(num), "%lld", config_setting_get_int64(s));
			value = num;
			break;
		case CONFIG_TYPE_BOOL:
			value = config_setting_get_bool(s) ? "true" : "false";
			break;
		default:
			return fail(err, errlen, name, "must be a string or a number");
		}
		if (rs_kafka_config_set(c, name, value, err, errlen))
			return -1;
	}
	return 0;
}
