// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* test_config.c - ringscoped configuration: default, schema, errors with file and line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "meta.h"

static struct rs_config cfg;
static char err[1024];

static void test_embedded_default(void **state)
{
	(void)state;
	assert_int_equal(rs_config_load(&cfg, NULL, err, sizeof(err)), 0);
	assert_string_equal(cfg.source, "<embedded default>");
	assert_string_equal(cfg.web_addr, "127.0.0.1");
	assert_int_equal(cfg.web_port, 8888);
	assert_int_equal(cfg.report_interval, 5);
	assert_string_equal(cfg.metric_prefix, "gala_gopher");
	assert_int_equal(cfg.naming, RS_NAMING_PROMETHEUS);
	assert_non_null(rs_config_probe(&cfg, "baseinfo"));
	assert_true(rs_config_probe(&cfg, "baseinfo")->on);
	assert_true(rs_config_channel(cfg.metric_out, "web_server"));
	assert_true(cfg.nthresholds >= 1);
	assert_true(cfg.rest_on);
	assert_int_equal(cfg.rest_port, 9999);
}

static void test_values(void **state)
{
	const char *text =
		"global = { report_interval = 1; metric_prefix = \"rs\"; metric_names = \"gala\";"
		" log_level = \"debug\"; };\n"
		"workers = { nodes = ( { node = 0; cpus = \"0\"; }, { node = 0; cpus = \"1\"; } ); };\n"
		"probes = ( { name = \"selftest\"; switch = \"off\"; rate = 5; } );\n"
		"metric = { out_channel = \"web_server,logs\"; };\n"
		"rest_api_server = { port = 19999; };\n"
		"thresholds = ( { entity = \"cpu\"; metric = \"util_per\"; op = \">=\"; value = 90; } );\n";

	(void)state;
	assert_int_equal(rs_config_parse_text(&cfg, text, "t.conf", err, sizeof(err)), 0);
	assert_int_equal(cfg.report_interval, 1);
	assert_string_equal(cfg.metric_prefix, "rs");
	assert_int_equal(cfg.naming, RS_NAMING_GALA);
	assert_int_equal(cfg.log_level, RS_LOG_DEBUG);
	assert_int_equal(cfg.nworkers, 2);
	assert_string_equal(cfg.workers[1].cpus, "1");
	assert_false(rs_config_probe(&cfg, "selftest")->on);
	assert_int_equal(rs_config_probe(&cfg, "selftest")->rate, 5);
	assert_true(rs_config_channel(cfg.metric_out, "logs"));
	assert_false(rs_config_channel(cfg.metric_out, "kafka"));
	assert_int_equal(cfg.rest_port, 19999);
	assert_int_equal(cfg.thresholds[0].op, RS_OP_GE);
	assert_true(cfg.thresholds[0].value == 90.0);
	assert_int_equal(cfg.thresholds[0].severity_number, 13);
}

/* Each bad text must fail with "name:line: <expected substring>". */
static void expect_error(const char *text, const char *where, const char *reason)
{
	int r = rs_config_parse_text(&cfg, text, "bad.conf", err, sizeof(err));

	if (r == 0 || !strstr(err, where) || !strstr(err, reason))
		fail_msg("text <%s>: got r=%d err <%s>, want <%s> and <%s>", text, r, err, where,
			 reason);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("global = { report_interval = 0; };", "bad.conf:1:", "outside [1, 3600]");
	expect_error("\n\nglobal = { report_intervl = 5; };", "bad.conf:3:",
		     "unknown setting 'global.report_intervl'");
	expect_error("global = { report_interval = \"5\"; };", "bad.conf:1:", "expected an integer");
	expect_error("global = { log_level = \"loud\"; };", "bad.conf:1:", "not debug, info");
	expect_error("global = { ", "bad.conf:1:", "syntax error");
	expect_error("foo = { };", "bad.conf:1:", "unknown section 'foo'");
	expect_error("probes = ( { name = \"nope\"; } );", "bad.conf:1:", "unknown probe 'nope'");
	expect_error("probes = ( { name = \"selftest\"; switch = \"maybe\"; } );", "bad.conf:1:",
		     "not \"on\" or \"off\"");
	expect_error("probes = ( { name = \"selftest\"; }, { name = \"selftest\"; } );",
		     "bad.conf:1:", "listed twice");
	expect_error("workers = { nodes = ( { cpus = \"0-\"; } ); };", "bad.conf:1:",
		     "not a cpu list");
	expect_error("web_server = { port = 70000; };", "bad.conf:1:", "outside [0, 65535]");
	expect_error("web_server = { ssl_auth = \"on\"; };", "bad.conf:1:", "only \"off\"");
	expect_error("metric = { out_channel = \"carrier_pigeon\"; };", "bad.conf:1:",
		     "unknown channel");
	expect_error("thresholds = ( { entity = \"cpu\"; metric = \"x\"; value = 1; op = \"~\"; } );",
		     "bad.conf:1:", "not one of");
	expect_error("thresholds = ( { entity = \"cpu\"; value = 1; } );", "bad.conf:1:",
		     "missing 'metric'");
	expect_error("workers = { timeout_min_us = 5000; timeout_max_us = 100; };", "bad.conf:",
		     "above timeout_max_us");
	expect_error("global = { metric_prefix = \"9bad\"; };", "bad.conf:", "not a Prometheus name");
	expect_error("probes = ( { name = \"baseinfo\"; param = \"cpu gpu\"; } );", "bad.conf:1:",
		     "no sub-collector 'gpu'");
	expect_error("global = { rest_api_on = \"yes\"; };", "bad.conf:1:", "expected true or false");
	expect_error("global = { metric_names = \"fancy\"; };", "bad.conf:1:", "\"prometheus\" or \"gala\"");
}

static void test_file(void **state)
{
	char path[] = "/tmp/rs-test-config-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "# c\nimdb = { record_timeout = -1; };\n", 37), 37);
	close(fd);
	assert_int_equal(rs_config_load(&cfg, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, ":2:"));
	unlink(path);
	assert_int_equal(rs_config_load(&cfg, "/nonexistent/x.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.conf:0: cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_default),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
