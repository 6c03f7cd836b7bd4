// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_config.c - Description: the `detect` configuration: the built-in
 * defaults parse with no warning; user rules come after them; every kind
 * of bad rule is skipped with a "NAME:LINE: ... rule skipped" message while
 * the good ones are kept; text that does not parse fails with its line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "event.h"

struct warnings {
	int n;
	char text[16][512];
};

static void collect(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	if (w->n < 16)
		snprintf(w->text[w->n], sizeof(w->text[0]), "%s", msg);
	w->n++;
}

static void test_defaults(void **state)
{
	struct rs_detect_config cfg;
	struct warnings w = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(rs_detect_config_parse(&cfg, NULL, "none", collect, &w, err,
						sizeof(err)), 0);
	for (int i = 0; i < w.n && i < 16; i++)
		print_message("unexpected warning: %s\n", w.text[i]);
	assert_int_equal(w.n, 0);
	assert_int_equal(cfg.recover_ticks, 2);
	assert_int_equal(cfg.resend_s, 600);
	assert_true(cfg.nthresholds >= 5);
	assert_true(cfg.ndetectors >= 10);
	assert_true(cfg.nkmsg_rules >= 7);
	assert_string_equal(cfg.thresholds[0].entity, "tcp_link");
	assert_string_equal(cfg.thresholds[0].metric, "backlog_drops");
	assert_int_equal(cfg.thresholds[0].op, RS_CMP_GT);
	rs_detect_config_free(&cfg);
}

static const char good[] =
	"detect = {\n"
	"  defaults = false; recover_ticks = 3; resend = 0; max_series = 10;\n"
	"  thresholds = (\n"
	"    { entity = \"cpu\"; metric = \"util_per\"; op = \">=\"; value = 90; for = 3;\n"
	"      severity = \"ERROR\"; },\n"
	"    { entity = \"cpu\"; metric = \"util_per\"; op = \">\"; value = 50.5;\n"
	"      entity_id = \"cpu7\"; }\n"
	"  );\n"
	"  detectors = ( { entity = \"tcp_link\"; metric = \"srtt\"; kind = \"ewma\";\n"
	"                  direction = \"up\"; alpha = 0.5; z = 3; window = 8; warmup = 5;\n"
	"                  holdoff = 0; min_delta = 2; severity = \"FATAL\"; } );\n"
	"  kmsg_rules = ( { name = \"x\"; pattern = \"dev ([a-z]+) failed\"; entity = \"block\"; } );\n"
	"};\n";

static void test_user_rules(void **state)
{
	struct rs_detect_config cfg;
	struct warnings w = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(rs_detect_config_parse(&cfg, good, "good.conf", collect, &w, err,
						sizeof(err)), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(cfg.recover_ticks, 3);
	assert_int_equal(cfg.resend_s, 0);
	assert_int_equal(cfg.max_series, 10);
	assert_int_equal(cfg.nthresholds, 2);
	assert_int_equal(cfg.thresholds[0].op, RS_CMP_GE);
	assert_float_equal(cfg.thresholds[0].value, 90, 0);
	assert_int_equal(cfg.thresholds[0].for_ticks, 3);
	assert_int_equal(cfg.thresholds[0].severity, RS_SEV_ERROR);
	assert_string_equal(cfg.thresholds[1].entity_id, "cpu7");
	assert_int_equal(cfg.thresholds[1].severity, RS_SEV_WARN);
	assert_int_equal(cfg.ndetectors, 1);
	assert_int_equal(cfg.detectors[0].params.kind, RS_DET_EWMA);
	assert_int_equal(cfg.detectors[0].params.direction, RS_DIR_UP);
	assert_float_equal(cfg.detectors[0].params.alpha, 0.5, 0);
	assert_int_equal(cfg.detectors[0].params.window, 8);
	assert_int_equal(cfg.detectors[0].params.holdoff, 0);
	assert_int_equal(cfg.detectors[0].severity, RS_SEV_FATAL);
	assert_int_equal(cfg.nkmsg_rules, 1);
	assert_int_equal(cfg.kmsg_rules[0].group, 1);
	rs_detect_config_free(&cfg);

	/* with the defaults: the user's rules come after them */
	assert_int_equal(rs_detect_config_parse(&cfg, "detect = { thresholds = ( { entity = \"a\";"
						" metric = \"b\"; op = \"<\"; value = 1; } ); };",
						"x", collect, &w, err, sizeof(err)), 0);
	assert_true(cfg.nthresholds > 1);
	assert_string_equal(cfg.thresholds[cfg.nthresholds - 1].entity, "a");
	assert_int_equal(cfg.resend_s, 600);
	rs_detect_config_free(&cfg);
}

static const char bad[] =
	"detect = {\n"
	"  defaults = false;\n"
	"  thresholds = (\n"
	"    { entity = \"cpu\"; metric = \"util\"; op = \"=>\"; value = 1; },\n"		/* 4 */
	"    { entity = \"cpu\"; metric = \"util\"; op = \">\"; value = \"x\"; },\n"	/* 5 */
	"    { entity = \"cpu\"; op = \">\"; value = 1; },\n"				/* 6 */
	"    { entity = \"cpu\"; metric = \"util\"; op = \">\"; value = 1; for = 0; },\n"	/* 7 */
	"    { entity = \"cpu\"; metric = \"util\"; op = \">\"; value = 1; severity = \"LOUD\"; },\n"
	"    { entity = \"cpu\"; metric = \"ok\"; op = \">\"; value = 1; },\n"		/* 9 */
	"    42\n"
	"  );\n"
	"  detectors = (\n"
	"    { entity = \"a\"; metric = \"b\"; kind = \"htm\"; },\n"			/* 13 */
	"    { entity = \"a\"; metric = \"b\"; risk = 0.5; },\n"			/* 14 */
	"    { entity = \"a\"; metric = \"b\"; window = 1000; },\n"			/* 15 */
	"    { entity = \"a\"; metric = \"b\"; direction = \"sideways\"; },\n"		/* 16 */
	"    { entity = \"a\"; metric = \"ok\"; }\n"					/* 17 */
	"  );\n"
	"  kmsg_rules = ( { name = \"n\"; entity = \"e\"; }, { name = \"n\"; pattern = \"x\";"
	" entity = \"e\"; group = 12; } );\n"						/* 19 */
	"  recover_ticks = 0;\n"
	"};\n";

static void test_bad_rules_skipped(void **state)
{
	struct rs_detect_config cfg;
	struct warnings w = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(rs_detect_config_parse(&cfg, bad, "bad.conf", collect, &w, err,
						sizeof(err)), 0);
	for (int i = 0; i < w.n && i < 16; i++)
		print_message("%s\n", w.text[i]);
	assert_int_equal(w.n, 13);
	assert_string_equal(w.text[0], "bad.conf:20: recover_ticks must be an integer in "
			    "1..65535; ignored");
	assert_string_equal(w.text[1], "bad.conf:4: threshold cpu.util: op must be one of "
			    "> >= < <= == !=; rule skipped");
	assert_non_null(strstr(w.text[2], "bad.conf:5: threshold cpu.util: value must be"));
	assert_non_null(strstr(w.text[3], "bad.conf:6: threshold needs entity and metric"));
	assert_non_null(strstr(w.text[4], "for must be an integer"));
	assert_string_equal(w.text[5], "bad.conf:8: threshold cpu.util: severity must be INFO, "
			    "WARN, ERROR or FATAL; rule skipped");
	assert_non_null(strstr(w.text[6], "an entry is not a group"));
	assert_non_null(strstr(w.text[7], "bad.conf:13: detector a.b: kind must be"));
	assert_non_null(strstr(w.text[8], "risk"));
	assert_non_null(strstr(w.text[9], "window must be"));
	assert_non_null(strstr(w.text[10], "direction must be"));
	assert_non_null(strstr(w.text[11], "kmsg rule needs name, pattern"));
	assert_non_null(strstr(w.text[12], "group must be 0..9"));
	assert_int_equal(cfg.nthresholds, 1);
	assert_string_equal(cfg.thresholds[0].metric, "ok");
	assert_int_equal(cfg.ndetectors, 1);
	assert_string_equal(cfg.detectors[0].metric, "ok");
	assert_int_equal(cfg.nkmsg_rules, 0);
	assert_int_equal(cfg.recover_ticks, 2);
	rs_detect_config_free(&cfg);
}

static void test_syntax_error(void **state)
{
	struct rs_detect_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(rs_detect_config_parse(&cfg, "detect = {\n thresholds = ( { ;\n",
						"broken.conf", NULL, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "broken.conf:2: "));
	/* a `detect` that is not a group: warned, defaults kept */
	assert_int_equal(rs_detect_config_parse(&cfg, "detect = 3;", "x", NULL, NULL, err,
						sizeof(err)), 0);
	assert_true(cfg.nthresholds > 0);
	rs_detect_config_free(&cfg);
}

static void test_cmp(void **state)
{
	(void)state;
	assert_int_equal(rs_cmp_parse("!="), RS_CMP_NE);
	assert_int_equal(rs_cmp_parse("=<"), -1);
	assert_string_equal(rs_cmp_name(RS_CMP_LE), "<=");
	assert_true(rs_cmp_eval(RS_CMP_GT, 2, 1));
	assert_false(rs_cmp_eval(RS_CMP_GT, 1, 1));
	assert_true(rs_cmp_eval(RS_CMP_LE, 1, 1));
	assert_true(rs_cmp_eval(RS_CMP_NE, 0.5, 0));
	assert_false(rs_cmp_eval(99, 1, 0));
	assert_int_equal(rs_severity_parse("error"), RS_SEV_ERROR);
	assert_int_equal(rs_severity_parse("LOUD"), -1);
	assert_string_equal(rs_severity_name(RS_SEV_FATAL), "FATAL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_user_rules),
		cmocka_unit_test(test_bad_rules_skipped),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_cmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
