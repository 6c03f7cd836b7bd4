// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* test_meta.c - .meta parsing, entity grouping, naming and error isolation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers.h"

static void test_parse(void **state)
{
	struct rs_meta_set m;
	const struct rs_entity_def *blk, *host;
	const struct rs_meta_table *t;

	(void)state;
	test_meta_load(&m, test_meta_text, RS_NAMING_GALA);
	assert_int_equal(m.nerrors, 0);
	assert_int_equal(m.ntables, 3);
	assert_int_equal(m.nentities, 2);
	blk = rs_meta_entity(&m, "blk");
	assert_non_null(blk);
	assert_int_equal(blk->nkeys, 2);
	assert_int_equal(blk->nlabels, 1);
	assert_int_equal(blk->nmetrics, 4);	/* lat_max_us reqs lat err_count */
	assert_int_equal(blk->ntables, 2);
	assert_string_equal(blk->metrics[3].name, "err_count");
	assert_string_equal(blk->metrics[0].prom_name, "gala_gopher_blk_lat_max_us");
	t = rs_meta_table(&m, "blk_err");
	assert_ptr_equal(t->entity, blk);
	assert_int_equal(t->fields[2].slot, 3);
	host = rs_meta_entity(&m, "host");
	assert_string_equal(host->labels[0].prom_name, "hostName");
	assert_string_equal(t->version, "1.0.0");
	rs_meta_free(&m);
}

static void test_prometheus_naming(void **state)
{
	struct rs_meta_set m;
	const struct rs_entity_def *blk, *host;

	(void)state;
	test_meta_load(&m, test_meta_text, RS_NAMING_PROMETHEUS);
	blk = rs_meta_entity(&m, "blk");
	host = rs_meta_entity(&m, "host");
	assert_string_equal(blk->metrics[0].prom_name, "gala_gopher_blk_lat_max_seconds");
	assert_true(blk->metrics[0].prom_scale == 1e-6);
	assert_string_equal(blk->metrics[1].prom_name, "gala_gopher_blk_reqs_total");
	assert_string_equal(blk->metrics[3].prom_name, "gala_gopher_blk_err_count_value");
	assert_string_equal(host->metrics[0].prom_name, "gala_gopher_host_total_bytes");
	assert_true(host->metrics[0].prom_scale == 1024.0);
	assert_string_equal(host->labels[0].prom_name, "host_name");
	rs_meta_free(&m);
}

/* A broken table disables its entity (or is skipped); the rest loads. */
static void expect_meta_error(const char *text, const char *reason, int tables_left)
{
	char full[4096];
	struct rs_meta_set m;
	unsigned int i;
	int found = 0;

	snprintf(full, sizeof(full), "%s", text);
	test_meta_load(&m, full, RS_NAMING_GALA);
	for (i = 0; i < m.nerrors; i++)
		if (strstr(m.errors[i], reason) && !strncmp(m.errors[i], "test.meta:", 10))
			found = 1;
	if (!found)
		fail_msg("want error <%s>, got %u errors, first <%s>", reason, m.nerrors,
			 m.nerrors ? m.errors[0] : "");
	for (i = 0, found = 0; i < m.ntables; i++)
		found += m.tables[i].entity != NULL;
	assert_int_equal(found, tables_left);
	rs_meta_free(&m);
}

#define TABLE(name, ent, fields) \
	"{ table_name: \"" name "\", entity_name: \"" ent "\", fields: (" fields ") }"
#define F(type, name) "{ description: \"d\", type: \"" type "\", name: \"" name "\" }"
#define FILE_OF(tables) "version = \"1\"\nmeasurements: (" tables ")\n"

static void test_errors(void **state)
{
	(void)state;
	expect_meta_error("version = \"1\"\nmeasurements: ( { table_name: \"x\" ", "syntax error", 0);
	expect_meta_error("measurements: ()\n", "missing 'version", 0);
	expect_meta_error(FILE_OF(TABLE("t", "e", F("key", "k") "," F("gauge", "bad-name"))),
			  "is not a name", 0);
	expect_meta_error(FILE_OF(TABLE("t", "e", F("key", "k") "," F("summary", "s"))),
			  "type 'summary' is not key", 0);
	expect_meta_error(FILE_OF(TABLE("t", "e", F("gauge", "g"))), "no field of type key", 0);
	expect_meta_error(FILE_OF(TABLE("t", "e", F("key", "k") "," F("gauge", "k"))),
			  "declared twice", 0);
	expect_meta_error(FILE_OF(TABLE("t", "e", F("key", "machine_id"))), "reserved", 0);
	expect_meta_error(FILE_OF(TABLE("t", "e", F("key", "k") "," F("label", "le"))),
			  "reserved Prometheus label", 0);
	/* keys differ between tables of one entity: the entity is disabled... */
	expect_meta_error(FILE_OF(TABLE("t1", "e", F("key", "a") "," F("gauge", "g1")) ","
				  TABLE("t2", "e", F("key", "b") "," F("gauge", "g2")) ","
				  TABLE("t3", "other", F("key", "a") "," F("gauge", "g"))),
			  "entity e disabled: table t2: keys differ", 1);	/* ...other lives */
	expect_meta_error(FILE_OF(TABLE("t1", "e", F("key", "a") "," F("gauge", "g")) ","
				  TABLE("t2", "e", F("key", "a") "," F("counter", "g"))),
			  "metric g is declared by two tables", 0);
	expect_meta_error(FILE_OF(TABLE("t1", "e", F("key", "a")) "," TABLE("t1", "f", F("key", "a"))),
			  "table t1 declared twice", 0);
}

static void test_dir(void **state)
{
	char dir[] = "/tmp/rs-test-meta-XXXXXX", path[512];
	struct rs_meta_set m;
	struct rs_meta_limits lim = { 1024, 64, "p", RS_NAMING_GALA };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.meta", dir);
	f = fopen(path, "w");
	fputs(test_meta_text, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/b.meta", dir);
	f = fopen(path, "w");
	fputs("version = \"1\"\nmeasurements: ( { oops } )\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/ignored.txt", dir);
	f = fopen(path, "w");
	fputs("not meta", f);
	fclose(f);
	rs_meta_init(&m);
	assert_int_equal(rs_meta_add_dir(&m, dir), 1);
	rs_meta_resolve(&m, &lim);
	assert_int_equal(m.ntables, 3);
	assert_int_equal(m.nerrors, 1);
	assert_non_null(strstr(m.errors[0], "/b.meta:2:"));
	rs_meta_free(&m);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

static void test_name_collision(void **state)
{
	struct rs_meta_set m;
	const struct rs_entity_def *e;

	(void)state;
	test_meta_load(&m, FILE_OF(TABLE("t", "e", F("key", "k") "," F("gauge", "rx_kB") ","
					  F("gauge", "rx_KB"))), RS_NAMING_PROMETHEUS);
	e = rs_meta_entity(&m, "e");
	assert_false(e->disabled);
	assert_string_equal(e->metrics[0].prom_name, "gala_gopher_e_rx_bytes");
	assert_string_equal(e->metrics[1].prom_name, "gala_gopher_e_rx_KB");
	assert_int_equal(m.nerrors, 1);
	assert_non_null(strstr(m.errors[0], "under its gala-gopher name"));
	rs_meta_free(&m);
}

static void test_limits(void **state)
{
	struct rs_meta_set m;
	struct rs_meta_limits lim = { 1, 2, "p", RS_NAMING_GALA };

	(void)state;
	rs_meta_init(&m);
	rs_meta_add_text(&m, test_meta_text, "test.meta");
	rs_meta_resolve(&m, &lim);
	/* one table allowed (blk_lat) and it has 3 metrics > 2 */
	assert_null(rs_meta_table(&m, "blk_lat")->entity);
	assert_null(rs_meta_table(&m, "host_os")->entity);
	assert_true(m.nerrors >= 2);
	rs_meta_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_prometheus_naming),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_name_collision),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
