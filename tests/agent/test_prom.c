// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* test_prom.c - Prometheus exposition of an entity store: HELP/TYPE, labels, escapes, histograms. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "helpers.h"
#include "ingest.h"
#include "prom.h"

static char *render(int naming, const char *const *lines, unsigned int n)
{
	struct rs_meta_set m;
	struct rs_store *st;
	struct rs_buf b;
	char err[256];
	unsigned int i;

	test_meta_load(&m, test_meta_text, naming);
	st = rs_store_new(&m, 100, 1000000000000ULL);
	for (i = 0; i < n; i++)
		assert_int_equal(rs_ingest_line(st, lines[i], 1, err, sizeof(err)), 0);
	rs_buf_init(&b);
	rs_prom_render_store(&b, st, "mid");
	rs_store_free(st);
	rs_meta_free(&m);
	return rs_buf_take(&b, NULL);
}

static void test_gala_naming(void **state)
{
	const char *lines[] = {
		"|blk_lat|8|0|s\"d\\ab|12.5|100|2 10 3 100 1 250 90|",
		"|host_os|Debian 12|h1|1024|",
	};
	char *text = render(RS_NAMING_GALA, lines, 2);

	(void)state;
	assert_non_null(strstr(text,
		"# HELP gala_gopher_blk_lat_max_us latency \"max\" in us\n"
		"# TYPE gala_gopher_blk_lat_max_us gauge\n"
		"gala_gopher_blk_lat_max_us{major=\"8\",minor=\"0\",disk_name=\"s\\\"d\\\\ab\","
		"machine_id=\"mid\"} 12.5\n"));
	assert_non_null(strstr(text, "# TYPE gala_gopher_blk_reqs counter\n"
				     "gala_gopher_blk_reqs{major=\"8\",minor=\"0\","));
	assert_non_null(strstr(text, "# TYPE gala_gopher_blk_lat histogram\n"));
	assert_non_null(strstr(text, "gala_gopher_blk_lat_bucket{major=\"8\",minor=\"0\","
				     "disk_name=\"s\\\"d\\\\ab\",machine_id=\"mid\",le=\"10\"} 3\n"));
	assert_non_null(strstr(text, ",le=\"100\"} 4\n"));
	assert_non_null(strstr(text, ",le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(text, "gala_gopher_blk_lat_sum{major=\"8\",minor=\"0\","));
	assert_non_null(strstr(text, "} 250\n"));
	assert_non_null(strstr(text, "gala_gopher_blk_lat_count{"));
	/* no sample: no family */
	assert_null(strstr(text, "err_count"));
	assert_non_null(strstr(text, "gala_gopher_host_total_kB{os_version=\"Debian 12\","
				     "hostName=\"h1\",machine_id=\"mid\"} 1024\n"));
	free(text);
}

static void test_prometheus_naming(void **state)
{
	const char *lines[] = {
		"|blk_lat|8|0|sda|12.5|100|2 10 3 100 1 250 90|",
		"|host_os|Debian 12|h1|1024|",
		"|blk_err|8|0|3|",
	};
	char *text = render(RS_NAMING_PROMETHEUS, lines, 3);

	(void)state;
	assert_non_null(strstr(text, "# TYPE gala_gopher_blk_lat_max_seconds gauge\n"
				     "gala_gopher_blk_lat_max_seconds{major=\"8\",minor=\"0\","
				     "disk_name=\"sda\",machine_id=\"mid\"} 1.25e-05\n"));
	assert_non_null(strstr(text, "# TYPE gala_gopher_blk_reqs_total counter\n"));
	assert_non_null(strstr(text, "gala_gopher_blk_err_count_value{"));
	assert_non_null(strstr(text, "gala_gopher_host_total_bytes{os_version=\"Debian 12\","
				     "host_name=\"h1\",machine_id=\"mid\"} 1048576\n"));
	free(text);
}

static void test_values(void **state)
{
	struct rs_buf b;
	char *t;

	(void)state;
	rs_buf_init(&b);
	rs_buf_value(&b, 0);
	rs_buf_puts(&b, " ");
	rs_buf_value(&b, 123456789012.0);
	rs_buf_puts(&b, " ");
	rs_buf_value(&b, 0.1);
	rs_buf_puts(&b, " ");
	rs_buf_value(&b, 1.0 / 0.0);
	rs_buf_puts(&b, " ");
	rs_buf_value(&b, -1.0 / 0.0);
	rs_buf_puts(&b, " ");
	rs_buf_value(&b, 0.0 / 0.0);
	rs_buf_puts(&b, " ");
	rs_buf_value(&b, 1e300);
	t = rs_buf_take(&b, NULL);
	assert_string_equal(t, "0 123456789012 0.1 +Inf -Inf NaN 1e+300");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gala_naming),
		cmocka_unit_test(test_prometheus_naming),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
