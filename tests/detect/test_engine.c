// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_engine.c - Description: the engine at the tick: a static threshold
 * "for 2 intervals" opens one event on its second tick, in gala-ops JSON
 * (every field checked), repeats at the resend period with its occurred
 * count and duration, recovers after recover_ticks quiet ticks (also when
 * the series stops being fed); a per-entity override wins; an adaptive
 * detector fires on a spike; dropping an entity frees its series; the
 * series cap is enforced and counted; the entity table grows.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "detect.h"

#define S 1000000000ull
#define T0 (1700000000ull * S)

struct sink {
	int n;
	json_t *ev[64];
	int kind[64];
};

static void collect(void *ctx, const struct rs_event *ev, const char *json, size_t len)
{
	struct sink *s = ctx;
	json_error_t err;

	assert_int_equal(strlen(json), len);
	if (s->n < 64) {
		s->ev[s->n] = json_loads(json, 0, &err);
		assert_non_null(s->ev[s->n]);
		s->kind[s->n] = ev->kind;
	}
	s->n++;
}

static void sink_free(struct sink *s)
{
	for (int i = 0; i < s->n && i < 64; i++)
		json_decref(s->ev[i]);
	memset(s, 0, sizeof(*s));
}

static const char *str(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);

	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}

static json_int_t num(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);

	if (path2)
		v = json_object_get(v, path2);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static struct rs_detect *engine(const char *text, struct sink *s)
{
	struct rs_detect_opts opts = { "gala_gopher", "m1", collect, s, NULL, NULL };
	struct rs_detect_config cfg;
	struct rs_detect *d;
	char err[256];

	assert_int_equal(rs_detect_config_parse(&cfg, text, "t", NULL, NULL, err, sizeof(err)), 0);
	d = rs_detect_new(&cfg, &opts);
	rs_detect_config_free(&cfg);
	assert_non_null(d);
	return d;
}

static const char conf[] =
	"detect = { defaults = false; recover_ticks = 2; resend = 30;\n"
	"  thresholds = (\n"
	"    { entity = \"block\"; metric = \"count_iscsi_err\"; op = \">\"; value = 0;\n"
	"      for = 2; severity = \"ERROR\"; },\n"
	"    { entity = \"block\"; metric = \"count_iscsi_err\"; op = \">\"; value = 100;\n"
	"      entity_id = \"sdb\"; }\n"
	"  );\n"
	"  detectors = ( { entity = \"tcp_link\"; metric = \"srtt\"; kind = \"spot\";\n"
	"                  direction = \"up\"; } );\n"
	"};\n";

static void tick(struct rs_detect *d, const char *id, double v, uint64_t now)
{
	struct rs_decision dec;

	assert_int_equal(rs_detect_feed(d, "block", id, "count_iscsi_err", now, v, &dec), 0);
	rs_detect_tick_end(d, now);
}

static void test_threshold_lifecycle(void **state)
{
	struct sink s = { 0 };
	struct rs_detect *d = engine(conf, &s);
	struct rs_detect_stats st;
	json_t *e;

	(void)state;
	tick(d, "sda/1", 0, T0);
	tick(d, "sda/1", 2, T0 + 5 * S);	/* first tick over: not yet (for = 2) */
	assert_int_equal(s.n, 0);
	tick(d, "sda/1", 3, T0 + 10 * S);
	assert_int_equal(s.n, 1);
	e = s.ev[0];
	assert_int_equal(s.kind[0], RS_EVENT_OPEN);
	assert_int_equal(num(e, "Timestamp", NULL), (json_int_t)(T0 + 10 * S));
	assert_string_equal(str(e, "event_id", NULL), "1700000010000000000_m1_block_sda:1");
	assert_string_equal(str(e, "Attributes", "entity_id"), "m1_block_sda:1");
	assert_string_equal(str(e, "Attributes", "event_id"), str(e, "event_id", NULL));
	assert_string_equal(str(e, "Attributes", "event_type"), "sys");
	assert_true(json_is_array(json_object_get(json_object_get(e, "Attributes"), "data")));
	assert_int_equal(num(e, "Attributes", "duration"), 0);
	assert_int_equal(num(e, "Attributes", "occurred count"), 1);
	assert_string_equal(str(e, "Resource", "metrics"), "gala_gopher_block_count_iscsi_err");
	assert_string_equal(str(e, "SeverityText", NULL), "ERROR");
	assert_int_equal(num(e, "SeverityNumber", NULL), 17);
	assert_non_null(strstr(str(e, "Body", NULL), " ERROR Entity(m1_block_sda:1) "
			       "count_iscsi_err of block(sda/1) is 3 (threshold, bound > 0)"));
	/* lasts: no event until the resend period (30 s) has passed */
	for (int t = 3; t <= 8; t++)
		tick(d, "sda/1", 5, T0 + (uint64_t)t * 5 * S);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.kind[1], RS_EVENT_REPEAT);
	assert_int_equal(num(s.ev[1], "Attributes", "occurred count"), 7);
	assert_int_equal(num(s.ev[1], "Attributes", "duration"), 30);
	/* one quiet tick is not a recovery; two are */
	tick(d, "sda/1", 0, T0 + 45 * S);
	assert_int_equal(s.n, 2);
	tick(d, "sda/1", 0, T0 + 50 * S);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.kind[2], RS_EVENT_RECOVER);
	assert_string_equal(str(s.ev[2], "SeverityText", NULL), "INFO");
	assert_int_equal(num(s.ev[2], "SeverityNumber", NULL), 9);
	assert_string_equal(str(s.ev[2], "Attributes", "status"), "recover");
	assert_int_equal(num(s.ev[2], "Attributes", "occurred count"), 7);
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.events_open, 1);
	assert_int_equal(st.events_repeat, 1);
	assert_int_equal(st.events_recover, 1);
	sink_free(&s);
	rs_detect_free(d);
}

static void test_unfed_series_recovers(void **state)
{
	struct sink s = { 0 };
	struct rs_detect *d = engine(conf, &s);

	(void)state;
	tick(d, "sda", 1, T0);
	tick(d, "sda", 1, T0 + S);
	assert_int_equal(s.n, 1);
	rs_detect_tick_end(d, T0 + 2 * S);	/* the metric vanished */
	rs_detect_tick_end(d, T0 + 3 * S);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.kind[1], RS_EVENT_RECOVER);
	sink_free(&s);
	rs_detect_free(d);
}

static void test_override_and_drop(void **state)
{
	struct sink s = { 0 };
	struct rs_detect *d = engine(conf, &s);
	struct rs_detect_stats st;

	(void)state;
	for (int t = 0; t < 4; t++)	/* sdb's own threshold is 100 */
		tick(d, "sdb", 50, T0 + (uint64_t)t * S);
	assert_int_equal(s.n, 0);
	tick(d, "sdb", 150, T0 + 4 * S);
	assert_int_equal(s.n, 1);
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.series, 1);
	assert_int_equal(st.entities, 1);
	assert_true(st.bytes > 0);
	assert_int_equal(rs_detect_drop_entity(d, "block", "sdb"), 1);
	assert_int_equal(rs_detect_drop_entity(d, "block", "sdb"), 0);
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.series, 0);
	assert_int_equal(st.entities, 0);
	assert_int_equal(st.bytes, 0);
	/* it comes back: a fresh state (for = 1 for sdb: opens again) */
	tick(d, "sdb", 150, T0 + 5 * S);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.kind[1], RS_EVENT_OPEN);
	sink_free(&s);
	rs_detect_free(d);
}

static void test_adaptive_spike(void **state)
{
	struct sink s = { 0 };
	struct rs_detect *d = engine(conf, &s);
	struct rs_detect_stats st;
	struct rs_decision dec;
	int fired_at = -1;

	(void)state;
	for (int t = 0; t < 400; t++) {
		double v = 200 + 10 * sin(t * 0.7) + (t == 300 ? 500 : 0);

		assert_int_equal(rs_detect_feed(d, "tcp_link", "1_client_10.0.0.1_10.0.0.2_80_2",
						"srtt", T0 + (uint64_t)t * S, v, &dec), 0);
		if (dec.adaptive && fired_at < 0)
			fired_at = t;
		rs_detect_tick_end(d, T0 + (uint64_t)t * S);
	}
	assert_int_equal(fired_at, 300);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.kind[0], RS_EVENT_OPEN);
	assert_string_equal(str(s.ev[0], "Attributes", "source"), "spot");
	assert_string_equal(str(s.ev[0], "Resource", "metrics"), "gala_gopher_tcp_link_srtt");
	assert_string_equal(str(s.ev[0], "Attributes", "entity_id"),
			    "m1_tcp_link_1_client_10.0.0.1_10.0.0.2_80_2");
	assert_string_equal(str(s.ev[0], "SeverityText", NULL), "WARN");
	assert_int_equal(s.kind[1], RS_EVENT_RECOVER);
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.series, 1);
	assert_true(st.bytes >= sizeof(struct rs_det));
	/* a metric without rules: tracked cheaply, never an event */
	assert_int_equal(rs_detect_feed(d, "tcp_link", "x", "rx_bytes", T0, 1e9, &dec), 0);
	assert_false(dec.threshold || dec.adaptive);
	assert_true(isnan(dec.expected));
	sink_free(&s);
	rs_detect_free(d);
}

static void test_series_cap(void **state)
{
	struct sink s = { 0 };
	struct rs_detect *d = engine("detect = { defaults = false; max_series = 3; };", &s);
	struct rs_detect_stats st;
	char id[16];

	(void)state;
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "e%d", i);
		assert_int_equal(rs_detect_feed(d, "x", id, "m", T0, 1, NULL), i < 3 ? 0 : -1);
	}
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.series, 3);
	assert_int_equal(st.entities, 3);
	assert_int_equal(st.series_refused, 2);
	rs_detect_free(d);
}

/* Many entities: the table grows, every series is found again, dropping
 * them all gives every byte back. */
static void test_many_entities(void **state)
{
	struct sink s = { 0 };
	struct rs_detect *d = engine("detect = { defaults = false; };", &s);
	struct rs_detect_stats st;
	char id[16];

	(void)state;
	for (int t = 0; t < 2; t++) {
		for (int i = 0; i < 20000; i++) {
			snprintf(id, sizeof(id), "e%d", i);
			assert_int_equal(rs_detect_feed(d, "x", id, "m", T0 + (uint64_t)t * S, 1,
							NULL), 0);
		}
		rs_detect_tick_end(d, T0 + (uint64_t)t * S);
		rs_detect_get_stats(d, &st);
		assert_int_equal(st.series, 20000);
		assert_int_equal(st.entities, 20000);
	}
	for (int i = 0; i < 20000; i++) {
		snprintf(id, sizeof(id), "e%d", i);
		assert_int_equal(rs_detect_drop_entity(d, "x", id), 1);
	}
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.series, 0);
	assert_int_equal(st.bytes, 0);
	rs_detect_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_lifecycle),
		cmocka_unit_test(test_unfed_series_recovers),
		cmocka_unit_test(test_override_and_drop),
		cmocka_unit_test(test_adaptive_spike),
		cmocka_unit_test(test_series_cap),
		cmocka_unit_test(test_many_entities),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
