// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* test_store.c - entity tables (caps, expiry, merge) and the row ingestion checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "ingest.h"
#include "store.h"

#define SEC 1000000000ULL

static struct rs_meta_set meta;

static int setup(void **state)
{
	(void)state;
	test_meta_load(&meta, test_meta_text, RS_NAMING_GALA);
	return meta.nerrors ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	rs_meta_free(&meta);
	return 0;
}

static const struct rs_entity *find(const struct rs_store *st, const char *entity,
				    const char *k0, const char *k1)
{
	const struct rs_entity_def *d = rs_meta_entity(st->meta, entity);
	const struct rs_entity *en;

	for (en = st->tables[d->index].oldest; en; en = en->newer)
		if (!strcmp(en->keys[0], k0) && (!k1 || !strcmp(en->keys[1], k1)))
			return en;
	return NULL;
}

static int row(struct rs_store *st, uint64_t now, const char *line)
{
	char err[512];
	int r = rs_ingest_line(st, line, now, err, sizeof(err));

	if (r)
		print_message("rejected: %s\n", err);
	return r;
}

static void test_ingest(void **state)
{
	struct rs_store *st = rs_store_new(&meta, 100, 60 * SEC);
	const struct rs_entity *en;

	(void)state;
	assert_int_equal(row(st, 1, "|blk_lat|8|0|sda|12.5|100|2 10 3 100 1 250 90|\n"), 0);
	en = find(st, "blk", "8", "0");
	assert_non_null(en);
	assert_string_equal(en->labels[0], "sda");
	assert_true(en->values[0] == 12.5);
	assert_int_equal(en->mode[1], RS_V_SET);
	assert_non_null(en->hist[2]);
	assert_int_equal(en->hist[2]->nb, 2);
	assert_int_equal(en->hist[2]->counts[1], 1);
	/* the second table of the same entity fills the same entity */
	assert_int_equal(row(st, 2, "|blk_err|8|0|3|"), 0);
	assert_ptr_equal(find(st, "blk", "8", "0"), en);
	assert_true(en->values[3] == 3);
	/* absent fields keep the value; histograms of a period add up */
	assert_int_equal(row(st, 3, "|blk_lat|8|0|(null)||101|2 10 1 100 0 5 5|"), 0);
	assert_true(en->values[0] == 12.5);
	assert_true(en->values[1] == 101);
	assert_int_equal(en->hist[2]->counts[0], 4);
	assert_true(en->hist[2]->sum == 255);
	assert_int_equal(st->rows, 3);
	rs_store_free(st);
}

static void expect_reject(struct rs_store *st, const char *line, const char *reason)
{
	char err[512];
	uint64_t before = st->errors;

	if (!rs_ingest_line(st, line, 1, err, sizeof(err)) || !strstr(err, reason))
		fail_msg("line <%s>: err <%s>, want <%s>", line, err, reason);
	assert_int_equal(st->errors, before + 1);
}

static void test_ingest_errors(void **state)
{
	struct rs_store *st = rs_store_new(&meta, 100, 60 * SEC);
	const char *fields[] = { "8", "1", "x", "1", "1", "1 1 1 1 1" };

	(void)state;
	expect_reject(st, "|nope|1|", "unknown table 'nope'");
	expect_reject(st, "|blk_err|8|0|", "2 fields, its meta declares 3");
	expect_reject(st, "|blk_err|8|0|1|2|", "4 fields");
	expect_reject(st, "|blk_err||0|1|", "key major is empty");
	expect_reject(st, "|blk_err|8|0|abc|", "not a finite number");
	expect_reject(st, "|blk_err|8|0|1e999|", "not a finite number");
	expect_reject(st, "|blk_err|8|0|nan|", "not a finite number");
	expect_reject(st, "|blk_lat|8|0|sd\x01a|1|1|1 1 1 1 1|", "not clean UTF-8");
	expect_reject(st, "|blk_lat|8|0|\xff|1|1|1 1 1 1 1|", "not clean UTF-8");
	expect_reject(st, "|blk_lat|8|0|a|1|1|0 1 1|", "bucket count must be 1..64");
	expect_reject(st, "|blk_lat|8|0|a|1|1|2 10 1 5 1 1 1|", "not ascending");
	expect_reject(st, "|blk_lat|8|0|a|1|1|1 10 -1 1 1|", "count is negative");
	expect_reject(st, "|blk_lat|8|0|a|1|1|1 10 1 1|", "max missing");
	expect_reject(st, "|blk_lat|8|0|a|1|1|1 10 1 1 1 7|", "trailing text");
	expect_reject(st, "blk_err|8|0|1|", "must look like");
	assert_int_equal(st->tables[0].count, 0);	/* nothing half-applied */
	assert_int_equal(rs_ingest_row(st, "blk_lat", fields, 6, 1, (char[64]){0}, 64), 0);
	assert_int_equal(st->tables[0].count, 1);
	rs_store_free(st);
}

static void test_cap_and_expiry(void **state)
{
	struct rs_store *st = rs_store_new(&meta, 3, 10 * SEC);
	const struct rs_etable *t;
	char line[64];
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof(line), "|blk_err|8|%d|1|", i);
		assert_int_equal(row(st, (uint64_t)(i + 1) * SEC, line), 0);
	}
	t = &st->tables[rs_meta_entity(&meta, "blk")->index];
	assert_int_equal(t->count, 3);			/* the cap */
	assert_int_equal(t->evicted_cap, 2);		/* the two least recently seen */
	assert_null(find(st, "blk", "8", "0"));
	assert_null(find(st, "blk", "8", "1"));
	/* seeing minor 2 again makes minor 3 the oldest */
	assert_int_equal(row(st, 6 * SEC, "|blk_err|8|2|1|"), 0);
	assert_int_equal(row(st, 7 * SEC, "|blk_err|8|9|1|"), 0);
	assert_null(find(st, "blk", "8", "3"));
	assert_non_null(find(st, "blk", "8", "2"));
	/* idle longer than the timeout: expired */
	assert_int_equal(rs_store_expire(st, 16 * SEC + 1), 2);	/* minors 4 (5 s) and 2 (6 s) */
	assert_int_equal(t->count, 1);
	assert_int_equal(t->evicted_expired, 2);
	assert_int_equal(rs_store_expire(st, 100 * SEC), 1);
	assert_int_equal(t->count, 0);
	rs_store_free(st);
}

static void test_merge(void **state)
{
	struct rs_store *cum = rs_store_new(&meta, 100, 60 * SEC);
	struct rs_store *stage = rs_store_new(&meta, 100, 60 * SEC);
	const struct rs_entity_def *d = rs_meta_entity(&meta, "blk");
	const char *keys[] = { "8", "0" };
	struct rs_entity *en;

	(void)state;
	assert_int_equal(row(stage, 1, "|blk_lat|8|0|sda|5|10|1 10 1 1 1|"), 0);
	rs_store_merge(cum, stage, 1);
	assert_int_equal(stage->tables[d->index].count, 0);	/* cleared */
	en = rs_store_upsert(stage, d, keys, 2);
	en->values[1] = 5;
	en->mode[1] = RS_V_ADD;		/* a delta, as decoders produce */
	en->values[0] = 7;
	en->mode[0] = RS_V_SET;
	rs_store_merge(cum, stage, 2);
	en = (struct rs_entity *)find(cum, "blk", "8", "0");
	assert_true(en->values[1] == 15);
	assert_true(en->values[0] == 7);
	assert_string_equal(en->labels[0], "sda");	/* kept: the stage had none */
	assert_int_equal(en->hist[2]->counts[0], 1);
	/* evictions in the staging table are counted in the cumulative one */
	stage->cap = 1;
	assert_int_equal(row(stage, 3, "|blk_err|8|1|1|"), 0);
	assert_int_equal(row(stage, 3, "|blk_err|8|2|1|"), 0);
	rs_store_merge(cum, stage, 3);
	assert_int_equal(cum->tables[d->index].evicted_cap, 1);
	assert_int_equal(stage->tables[d->index].evicted_cap, 0);
	rs_store_free(stage);
	rs_store_free(cum);
}

static void test_hist_bounds_change(void **state)
{
	struct rs_hist a, b;
	char err[128];

	(void)state;
	assert_int_equal(rs_hist_parse(&a, "2 1 1 2 1 3 2", err, sizeof(err)), 0);
	assert_int_equal(rs_hist_parse(&b, "2 1 1 4 1 3 2", err, sizeof(err)), 0);
	rs_hist_add(&a, &b);	/* different bounds: replaced, not mixed */
	assert_true(a.bounds[1] == 4);
	assert_int_equal(a.counts[0], 1);
	assert_int_equal(rs_hist_parse(&b, "1 inf 3 3 1", err, sizeof(err)), 0);
}

static void test_text_clean(void **state)
{
	(void)state;
	assert_true(rs_text_clean("plain /dev/sda1 été 日本"));
	assert_false(rs_text_clean("tab\there"));
	assert_false(rs_text_clean("\xc0\x80"));		/* overlong */
	assert_false(rs_text_clean("\xed\xa0\x80"));		/* surrogate */
	assert_false(rs_text_clean("\xf4\x90\x80\x80"));	/* above U+10FFFF */
	assert_false(rs_text_clean("\xe2\x82"));		/* truncated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ingest),
		cmocka_unit_test(test_ingest_errors),
		cmocka_unit_test(test_cap_and_expiry),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_hist_bounds_change),
		cmocka_unit_test(test_text_clean),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
