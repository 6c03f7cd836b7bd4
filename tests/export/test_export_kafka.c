// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// test_export_kafka.c - Description: the Kafka exporter's settings (setter,
// libconfig section, errors that name the setting) and its bounded buffering
// with no broker at all: whole metric intervals dropped oldest first, events
// kept, every message and sample counted, shutdown drops counted.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libconfig.h>
#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "synth.h"

static void test_defaults(void **state)
{
	struct rs_kafka_config c;

	(void)state;
	rs_kafka_config_defaults(&c);
	assert_string_equal(c.topic[RS_KAFKA_METRICS], "gala_gopher");
	assert_string_equal(c.topic[RS_KAFKA_EVENTS], "gala_gopher_event");
	assert_string_equal(c.topic[RS_KAFKA_METADATA], "gala_gopher_metadata");
	assert_string_equal(c.compression, "none");
	assert_int_equal(c.batch_num_messages, 10000);
	assert_int_equal(c.queue_max_messages, 100000);
	assert_int_equal(c.queue_max_kbytes, 1048576);
	assert_int_equal(c.linger_ms, 5);
	assert_int_equal(c.format, RS_KAFKA_FLATBUFFERS);
}

static void test_set_errors(void **state)
{
	struct rs_kafka_config c;
	char err[256];

	(void)state;
	rs_kafka_config_defaults(&c);
	assert_int_equal(rs_kafka_config_set(&c, "format", "json", err, sizeof(err)), 0);
	assert_int_equal(c.format, RS_KAFKA_JSON);
	assert_int_equal(rs_kafka_config_set(&c, "format", "xml", err, sizeof(err)), -1);
	assert_string_equal(err, "kafka.format: \"xml\" is not one of flatbuffers, json");
	assert_int_equal(rs_kafka_config_set(&c, "linger_ms", "-1", err, sizeof(err)), -1);
	assert_string_equal(err, "kafka.linger_ms: -1 is outside [0, 900000]");
	assert_int_equal(rs_kafka_config_set(&c, "acks", "2", err, sizeof(err)), -1);
	assert_string_equal(err, "kafka.acks: \"2\" is not one of all, -1, 0, 1");
	assert_int_equal(rs_kafka_config_set(&c, "kafka_brokr", "x", err, sizeof(err)), -1);
	assert_string_equal(err, "kafka.kafka_brokr: unknown setting");
	assert_int_equal(rs_kafka_config_set(&c, "kafka_broker", "", err, sizeof(err)), -1);
	assert_string_equal(err, "kafka.kafka_broker: must not be empty");
	/* pass-through, replaced when set twice */
	assert_int_equal(rs_kafka_config_set(&c, "socket.timeout.ms", "1000", err, 256), 0);
	assert_int_equal(rs_kafka_config_set(&c, "socket.timeout.ms", "2000", err, 256), 0);
	assert_int_equal(c.n_props, 1);
	assert_string_equal(c.props[0].value, "2000");
}

static void test_libconfig(void **state)
{
	static const char text[] =
		"kafka = {\n"
		"  kafka_broker = \"10.0.0.1:9092,10.0.0.2:9092\";\n"
		"  batch_num_messages = 500;\n"
		"  compression_codec = \"zstd\";\n"
		"  queue_buffering_max_messages = 2000;\n"
		"  queue_buffering_max_kbytes = 4096;\n"
		"  queue_buffering_max_ms = 20;\n"
		"  format = \"json\";\n"
		"  metric_topic = \"m\"; event_topic = \"e\"; metadata_topic = \"md\";\n"
		"  client_id = \"node-7\";\n"
		"  username = \"u\"; password = \"p\";\n"
		"  properties = [ \"socket.keepalive.enable=true\", \"sasl.mechanisms=PLAIN\" ];\n"
		"};\n";
	struct rs_kafka_config c;
	config_t cfg;
	char err[256];

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_read_string(&cfg, text), CONFIG_TRUE);
	rs_kafka_config_defaults(&c);
	assert_int_equal(rs_kafka_config_from_libconfig(&c, config_lookup(&cfg, "kafka"), err,
							sizeof(err)), 0);
	assert_string_equal(c.brokers, "10.0.0.1:9092,10.0.0.2:9092");
	assert_int_equal(c.batch_num_messages, 500);
	assert_string_equal(c.compression, "zstd");
	assert_int_equal(c.queue_max_messages, 2000);
	assert_int_equal(c.queue_max_kbytes, 4096);
	assert_int_equal(c.linger_ms, 20);
	assert_int_equal(c.format, RS_KAFKA_JSON);
	assert_string_equal(c.topic[RS_KAFKA_METADATA], "md");
	assert_string_equal(c.client_id, "node-7");
	assert_int_equal(c.n_props, 4);
	assert_string_equal(c.props[0].key, "sasl.username");
	assert_string_equal(c.props[2].key, "socket.keepalive.enable");
	config_destroy(&cfg);

	config_init(&cfg);
	assert_int_equal(config_read_string(&cfg, "kafka = { batch_num_messages = \"x\"; };"),
			 CONFIG_TRUE);
	assert_int_equal(rs_kafka_config_from_libconfig(&c, config_lookup(&cfg, "kafka"), err,
							sizeof(err)), -1);
	assert_string_equal(err, "kafka.batch_num_messages: \"x\" is not an integer");
	config_destroy(&cfg);

	config_init(&cfg);
	assert_int_equal(config_read_string(&cfg, "kafka = { properties = [ \"nodot\" ]; };"),
			 CONFIG_TRUE);
	assert_int_equal(rs_kafka_config_from_libconfig(&c, config_lookup(&cfg, "kafka"), err,
							sizeof(err)), -1);
	assert_string_equal(err, "kafka.properties: element 0 is not a \"name=value\" string");
	config_destroy(&cfg);
}

static void test_bad_property_named(void **state)
{
	struct rs_kafka_config c;
	char err[256];

	(void)state;
	rs_kafka_config_defaults(&c);
	rs_kafka_config_set(&c, "no.such.property", "1", err, sizeof(err));
	assert_null(rs_kafka_new(&c, "m", err, sizeof(err)));
	assert_non_null(strstr(err, "kafka.no.such.property: "));
}

/* No broker: 127.0.0.1:1 refuses. 20 intervals of ~24 KiB into a 64 KiB
 * bound: the oldest go, the newest stay, events are all kept. */
static void test_bound_without_broker(void **state)
{
	struct rs_kafka_config c;
	struct rs_kafka_stats s;
	struct rs_kafka *k;
	struct rs_xbatch b;
	char err[256];
	uint64_t samples = 0;

	(void)state;
	rs_kafka_config_defaults(&c);
	snprintf(c.brokers, sizeof(c.brokers), "127.0.0.1:1");
	c.queue_max_kbytes = 64;
	c.batch_samples = 500;
	c.own_thread = 0;
	k = rs_kafka_new(&c, "m", err, sizeof(err));
	assert_non_null(k);
	rs_xbatch_init(&b);
	for (int i = 0; i < 20; i++) {
		synth_batch(&b, 100, 20, 0, 2, (uint64_t)i, 1000 + i);
		for (uint32_t r = 0; r < b.n_rows; r++)
			samples += rs_xrow_samples(&b, &b.rows[r]);
		rs_kafka_send_metrics(k, &b);
		assert_int_equal(rs_kafka_send_events(k, &b), 0);
		rs_kafka_poll(k, 0);
	}
	rs_kafka_get_stats(k, &s);
	const struct rs_kafka_topic_stats *m = &s.topic[RS_KAFKA_METRICS];
	const struct rs_kafka_topic_stats *e = &s.topic[RS_KAFKA_EVENTS];

	assert_int_equal(m->produced_samples, samples);
	assert_int_equal(m->produced, m->sent + m->failed + m->dropped + m->queued);
	assert_int_equal(m->produced_samples, m->sent_samples + m->failed_samples +
						      m->dropped_samples + m->queued_samples);
	assert_int_equal(m->sent, 0);
	assert_true(m->dropped_intervals >= 15);
	assert_true(m->queued_bytes + e->queued_bytes <= 64 * 1024);
	assert_int_equal(e->produced, 20);
	assert_int_equal(e->dropped, 0);
	assert_int_equal(e->queued, 20);
	/* a bounded flush gives up; destroy drops the rest (counted) */
	assert_int_equal(rs_kafka_flush(k, 200), -1);
	rs_kafka_destroy(k);
	rs_xbatch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_libconfig),
		cmocka_unit_test(test_bad_property_named),
		cmocka_unit_test(test_bound_without_broker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
