// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// test_export_encode.c - Description: export batches survive the FlatBuffers
// round trip (rows, split parts, events, definitions), bad input is refused
// with a reason, and the JSON shapes are gala-gopher's.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fb_encode.h"
#include "helpers.h"
#include "json_encode.h"
#include "synth.h"

struct fixture {
	struct rs_xbatch in, out;
	struct rs_fb_encoder *enc;
	char err[256];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	rs_xbatch_init(&f->in);
	rs_xbatch_init(&f->out);
	f->enc = rs_fb_encoder_new();
	*state = f;
	return f->enc ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rs_xbatch_free(&f->in);
	rs_xbatch_free(&f->out);
	rs_fb_encoder_free(f->enc);
	free(f);
	return 0;
}

static void test_strings_interned(void **state)
{
	struct rs_xbatch *b = &((struct fixture *)*state)->in;
	char s[32];

	assert_int_equal(rs_xbatch_str(b, ""), RS_XSTR_EMPTY);
	uint32_t a = rs_xbatch_str(b, "alpha");
	assert_int_equal(rs_xbatch_strn(b, "alphabet", 5), a);
	for (int i = 0; i < 20000; i++) {
		snprintf(s, sizeof(s), "s%d", i);
		rs_xbatch_str(b, s);
	}
	assert_int_equal(rs_xbatch_str(b, "alpha"), a);
	assert_string_equal(rs_xbatch_s(b, rs_xbatch_str(b, "s19999")), "s19999");
	assert_int_equal(b->n_strings, 20002);
	assert_false(b->oom);
}

static void test_rows_round_trip(void **state)
{
	struct fixture *f = *state;
	const uint8_t *buf;
	size_t len;

	synth_batch(&f->in, 300, 20, 1, 0, 7, 1700000000123);
	f->in.values[f->in.rows[5].values + 3] = NAN; /* an absent metric */
	assert_false(f->in.oom);
	assert_int_equal(rs_fb_encode_rows(f->enc, &f->in, 0, f->in.n_rows, 0, 1, &buf, &len), 0);
	assert_int_equal(rs_fb_decode(buf, len, &f->out, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->out.n_rows, f->in.n_rows);
	assert_int_equal(f->out.timestamp_ms, 1700000000123);
	assert_int_equal(f->out.seq, 7);
	assert_string_equal(S(&f->out, f->out.machine_id), S(&f->in, f->in.machine_id));
	assert_string_equal(S(&f->out, f->out.hostname), "synth-host");
	for (uint32_t r = 0; r < f->in.n_rows; r++)
		assert_same_row(&f->in, r, &f->out, r);
	assert_int_equal(rs_xrow_samples(&f->out, &f->out.rows[5]), 20);
	assert_int_equal(rs_xrow_samples(&f->out, &f->out.rows[6]), 21);
}

/* parts carry only what they use: a part with host rows only has one def */
static void test_rows_in_parts(void **state)
{
	struct fixture *f = *state;
	const uint8_t *buf;
	size_t len;
	uint32_t n = 0;

	synth_batch(&f->in, 100, 5, 0, 0, 1, 1000);
	for (uint32_t first = 0; first < f->in.n_rows; first += 30) {
		uint32_t cnt = f->in.n_rows - first < 30 ? f->in.n_rows - first : 30;

		assert_int_equal(rs_fb_encode_rows(f->enc, &f->in, first, cnt, first / 30,
						   4, &buf, &len), 0);
		assert_int_equal(rs_fb_decode(buf, len, &f->out, f->err, sizeof(f->err)), 0);
		assert_int_equal(f->out.n_rows, cnt);
		for (uint32_t r = 0; r < cnt; r++)
			assert_same_row(&f->in, first + r, &f->out, r);
		n += cnt;
	}
	assert_int_equal(n, 101);
	/* the last part holds the host row alone: one def, few strings */
	assert_int_equal(f->out.n_defs, 2);
	assert_int_equal(rs_fb_encode_rows(f->enc, &f->in, 100, 1, 0, 1, &buf, &len), 0);
	assert_int_equal(rs_fb_decode(buf, len, &f->out, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->out.n_defs, 1);
	assert_string_equal(S(&f->out, f->out.defs[0].entity_name), "host");
	assert_true(f->out.n_strings < 12);
	assert_int_equal(rs_fb_encode_rows(f->enc, &f->in, 100, 2, 0, 1, &buf, &len), -1);
}

static void test_events_round_trip(void **state)
{
	struct fixture *f = *state;
	const uint8_t *buf;
	size_t len;

	synth_batch(&f->in, 3, 2, 0, 25, 1, 5000);
	assert_int_equal(rs_fb_encode_events(f->enc, &f->in, 0, 25, &buf, &len), 0);
	assert_int_equal(rs_fb_decode(buf, len, &f->out, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->out.n_events, 25);
	assert_int_equal(f->out.n_rows, 0);
	for (uint32_t i = 0; i < 25; i++)
		assert_same_event(&f->in, i, &f->out, i);
}

static void test_defs_round_trip(void **state)
{
	struct fixture *f = *state;
	const uint8_t *buf;
	size_t len;

	synth_batch(&f->in, 1, 9, 1, 0, 1, 5000);
	assert_int_equal(rs_fb_encode_defs(f->enc, &f->in, 0, 2, &buf, &len), 0);
	assert_int_equal(rs_fb_decode(buf, len, &f->out, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->out.n_defs, 2);
	assert_same_def(&f->in, 0, &f->out, 0, 1);
	assert_same_def(&f->in, 1, &f->out, 1, 1);
	assert_string_equal(S(&f->out, f->out.mdefs[f->out.defs[0].metrics + 2].description),
			    "synthetic metric 2 \"quoted\"");
}

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	const uint8_t *buf;
	uint8_t *copy;
	size_t len;

	assert_int_equal(rs_fb_decode("abc", 3, &f->out, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "too short"));
	assert_int_equal(rs_fb_decode("\x08\0\0\0JSON{}{}", 12, &f->out, f->err,
				      sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "not a ringscope batch: file identifier \"JSON\""));

	synth_batch(&f->in, 50, 4, 1, 3, 1, 1000);
	assert_int_equal(rs_fb_encode_rows(f->enc, &f->in, 0, 51, 0, 1, &buf, &len), 0);
	copy = malloc(len);
	memcpy(copy, buf, len);
	/* every truncation is refused, never read past the end (ASan watches) */
	for (size_t cut = 8; cut < len; cut += 1 + cut / 16)
		assert_int_equal(rs_fb_decode(copy, cut, &f->out, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "corrupt or truncated"));
	/* flipped bytes: refused with a reason or decoded, never a crash */
	for (size_t i = 8; i < len; i += 7) {
		copy[i] ^= 0x5a;
		if (rs_fb_decode(copy, len, &f->out, f->err, sizeof(f->err)))
			assert_true(strlen(f->err) > 10);
		copy[i] ^= 0x5a;
	}
	assert_int_equal(rs_fb_decode(copy, len, &f->out, f->err, sizeof(f->err)), 0);
	free(copy);
}

/* parse(rs_json_x(b, i, &len), &len): len is read after the call */
static json_t *parse(char *s, const size_t *len)
{
	json_error_t e;
	json_t *j;

	assert_non_null(s);
	assert_int_equal(strlen(s), *len);
	j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("bad JSON (%s): %s", e.text, s);
	free(s);
	return j;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("%s is not a string", key);
	return json_string_value(v);
}

static void test_json_row(void **state)
{
	struct fixture *f = *state;
	size_t len;
	json_t *j;

	synth_batch(&f->in, 3, 4, 1, 0, 2, 1656063844000);
	f->in.values[f->in.rows[1].values + 2] = NAN;
	j = parse(rs_json_row(&f->in, 1, &len), &len);
	assert_int_equal(json_integer_value(json_object_get(j, "timestamp")), 1656063844000);
	assert_string_equal(jstr(j, "machine_id"), "0123456789abcdef-192.168.0.7");
	assert_string_equal(jstr(j, "entity_name"), "synth_proc");
	assert_string_equal(jstr(j, "tgid"), "1001");
	assert_string_equal(jstr(j, "comm"), "proc-1");
	assert_string_equal(jstr(j, "container_id"), "c1");
	char num[32];
	rs_json_number(num, synth_value(1, 0, 2));
	assert_null(strchr(num, '.')); /* integral values print as integers */
	assert_string_equal(jstr(j, "metric_00"), num);
	assert_null(json_object_get(j, "metric_02")); /* absent: left out */
	rs_json_number(num, synth_value(1, 3, 2));
	assert_string_equal(jstr(j, "metric_03"), num);
	assert_true(strtod(num, NULL) == synth_value(1, 3, 2));
	/* histogram: "n le1 c1 .. leN cN sum max" */
	assert_string_equal(jstr(j, "latency"), "4 10 1 100 2 1000 3 +Inf 4 125 1000");
	assert_int_equal(json_object_size(j), 3 + 3 + 3 + 1);
	json_decref(j);
}

static void test_json_event(void **state)
{
	struct fixture *f = *state;
	size_t len;
	json_t *j, *a, *r;

	synth_batch(&f->in, 1, 2, 0, 2, 1, 1586960586000);
	j = parse(rs_json_event(&f->in, 1, &len), &len);
	assert_int_equal(json_integer_value(json_object_get(j, "Timestamp")), 1586960586001);
	assert_string_equal(jstr(j, "event_id"), "1586960586000_1001");
	a = json_object_get(j, "Attributes");
	assert_string_equal(jstr(a, "entity_id"), "0123456789abcdef-192.168.0.7_synth_proc_1001");
	assert_string_equal(jstr(a, "event_id"), "1586960586000_1001");
	assert_string_equal(jstr(a, "event_type"), "sys");
	assert_true(json_is_array(json_object_get(a, "data")));
	assert_int_equal(json_integer_value(json_object_get(a, "duration")), 31);
	assert_int_equal(json_integer_value(json_object_get(a, "occurred count")), 2);
	r = json_object_get(j, "Resource");
	assert_string_equal(jstr(r, "metrics"), "gala_gopher_synth_proc_metric_01");
	assert_string_equal(jstr(r, "metric"), "gala_gopher_synth_proc_metric_01");
	assert_string_equal(jstr(json_object_get(r, "labels"), "Host"),
			    "0123456789abcdef-192.168.0.7");
	assert_string_equal(jstr(json_object_get(r, "labels"), "PID"), "1001");
	assert_string_equal(jstr(j, "SeverityText"), "WARN");
	assert_int_equal(json_integer_value(json_object_get(j, "SeverityNumber")), 13);
	assert_string_equal(jstr(j, "Body"), "WARN Entity(1001) metric_01 over \"threshold\"\n");
	json_decref(j);
}

static void test_json_def(void **state)
{
	struct fixture *f = *state;
	size_t len;
	char *s;
	json_t *j, *labels;

	synth_batch(&f->in, 1, 3, 1, 0, 1, 1655888408000);
	s = rs_json_def(&f->in, 0, &len);
	assert_non_null(strstr(s, "\"keys\": [\"machine_id\", \"tgid\"]")); /* ", " */
	j = parse(s, &len);
	assert_int_equal(json_integer_value(json_object_get(j, "timestamp")), 1655888408000);
	assert_string_equal(jstr(j, "meta_name"), "synth_proc_table");
	assert_string_equal(jstr(j, "entity_name"), "synth_proc");
	assert_string_equal(jstr(j, "version"), "1.0.0");
	labels = json_object_get(j, "labels");
	assert_string_equal(json_string_value(json_array_get(labels, 0)), "hostname");
	assert_string_equal(json_string_value(json_array_get(labels, 1)), "comm");
	assert_string_equal(json_string_value(json_array_get(labels, 2)), "container_id");
	/* tgid: container and pod labels added (comm is a field already) */
	assert_string_equal(json_string_value(json_array_get(labels, 3)), "container_id");
	assert_int_equal(json_array_size(labels), 3 + 6);
	/* histograms are not in gala-gopher's metadata metrics */
	assert_int_equal(json_array_size(json_object_get(j, "metrics")), 3);
	json_decref(j);
}

static void test_json_invalid_utf8(void **state)
{
	struct fixture *f = *state;
	size_t len;
	json_t *j;

	synth_batch(&f->in, 1, 1, 0, 0, 1, 1);
	f->in.refs[f->in.rows[0].labels + 1] = rs_xbatch_str(&f->in, "bad\xff\xfe");
	j = parse(rs_json_row(&f->in, 0, &len), &len);
	assert_string_equal(jstr(j, "comm"), "bad??");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strings_interned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_in_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defs_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_def, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_invalid_utf8, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
