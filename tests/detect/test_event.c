// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_event.c - Description: the gala-ops event JSON on its own: fields
 * and their types, '/' in ids becomes ':', app entities are "app",
 * recoveries are INFO, a kernel line goes into the Body, and bytes that are
 * not UTF-8 (a device name from the kernel) still give valid JSON.
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

#include "event.h"

static json_t *render(const struct rs_event *ev)
{
	json_error_t err;
	size_t len = 0;
	char *text = rs_event_json(ev, "gala_gopher", "host-1", &len);
	json_t *j;

	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	assert_null(strchr(text, '\n'));
	j = json_loads(text, 0, &err);
	assert_non_null(j);
	free(text);
	return j;
}

static void test_fields(void **state)
{
	struct rs_event ev = {
		.kind = RS_EVENT_REPEAT, .type = RS_EVENT_APP, .severity = RS_SEV_FATAL,
		.entity_name = "proc", .entity_id = "42/x", .metric = "rtt_nsec",
		.source = "spot", .value = 12.5, .bound = 3, .op = ">",
		.ts_ns = 1586960586000000000ull, .duration_s = 30, .count = 6,
	};
	json_t *j = render(&ev), *a = json_object_get(j, "Attributes");

	(void)state;
	assert_int_equal(json_integer_value(json_object_get(j, "Timestamp")),
			 1586960586000000000ll);
	assert_string_equal(json_string_value(json_object_get(j, "event_id")),
			    "1586960586000000000_host-1_proc_42:x");
	assert_string_equal(json_string_value(json_object_get(a, "entity_id")), "host-1_proc_42:x");
	assert_string_equal(json_string_value(json_object_get(a, "event_type")), "app");
	assert_int_equal(json_integer_value(json_object_get(a, "duration")), 30);
	assert_int_equal(json_integer_value(json_object_get(a, "occurred count")), 6);
	assert_string_equal(json_string_value(json_object_get(a, "status")), "repeat");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "Resource"),
							       "metrics")), "gala_gopher_proc_rtt_nsec");
	assert_string_equal(json_string_value(json_object_get(j, "SeverityText")), "FATAL");
	assert_int_equal(json_integer_value(json_object_get(j, "SeverityNumber")), 21);
	assert_non_null(strstr(json_string_value(json_object_get(j, "Body")),
			       " FATAL Entity(host-1_proc_42:x) rtt_nsec of proc(42/x) is 12.5 "
			       "(spot, bound > 3), occurred 6 times in 30 s."));
	json_decref(j);

	ev.kind = RS_EVENT_RECOVER;
	j = render(&ev);
	assert_string_equal(json_string_value(json_object_get(j, "SeverityText")), "INFO");
	assert_int_equal(json_integer_value(json_object_get(j, "SeverityNumber")), 9);
	assert_non_null(strstr(json_string_value(json_object_get(j, "Body")), "recovered"));
	json_decref(j);
}

static void test_kernel_line_and_bad_bytes(void **state)
{
	struct rs_event ev = {
		.kind = RS_EVENT_OPEN, .type = RS_EVENT_SYS, .severity = RS_SEV_ERROR,
		.entity_name = "block", .entity_id = "sd\xff\xfe", .metric = "io_error",
		.source = "kmsg", .what = "I/O error, dev sd\xff\xfe, sector 8", .bound = NAN,
		.ts_ns = 1, .count = 1,
	};
	json_t *j = render(&ev), *a = json_object_get(j, "Attributes");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(a, "entity_id")), "host-1_block_sd?" "?");
	assert_string_equal(json_string_value(json_object_get(a, "event_type")), "sys");
	assert_non_null(strstr(json_string_value(json_object_get(j, "Body")),
			       "io_error on block(sd?" "?) (kmsg): I/O error, dev sd?" "?, sector 8"));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_kernel_line_and_bad_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
