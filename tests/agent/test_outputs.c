// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* test_outputs.c - JSON-lines log rotation, threshold events, metadata JSON, snapshots. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "events.h"
#include "helpers.h"
#include "ingest.h"
#include "jsonlog.h"
#include "jsonout.h"
#include "snapshot.h"

static void test_rotation(void **state)
{
	char dir[] = "/tmp/rs-test-log-XXXXXX", path[600], cmd[600], err[256];
	char line[100];
	struct rs_jsonlog l;
	struct stat st;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(rs_jsonlog_open(&l, path, "x.log", 1000, 3, err, sizeof(err)), 0);
	memset(line, 'x', 99);
	line[99] = 0;
	for (i = 0; i < 100; i++)	/* 10 000 bytes through a 3 x 1000 byte budget */
		assert_int_equal(rs_jsonlog_write(&l, line, 99), 0);
	rs_jsonlog_close(&l);
	assert_true(l.rotations >= 9);
	snprintf(path, sizeof(path), "%s/a/b/x.log", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size <= 1000);
	snprintf(path, sizeof(path), "%s/a/b/x.log.2", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/a/b/x.log.3", dir);
	assert_int_not_equal(stat(path, &st), 0);	/* the file-count cap */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(rs_jsonlog_open(&l, "/proc/nope", "x.log", 1000, 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/proc/nope"));
}

struct sink {
	char lines[16][2048];
	int n;
};

static void collect(void *ctx, const char *json, size_t len)
{
	struct sink *s = ctx;

	if (s->n < 16 && len < 2048)
		memcpy(s->lines[s->n++], json, len + 1);
}

static void test_events(void **state)
{
	struct rs_meta_set m;
	struct rs_store *st;
	struct rs_config cfg;
	struct rs_events ev;
	struct sink sink;
	char err[256];

	(void)state;
	memset(&ev, 0, sizeof(ev));
	memset(&sink, 0, sizeof(sink));
	test_meta_load(&m, test_meta_text, RS_NAMING_GALA);
	st = rs_store_new(&m, 100, ~0ULL / 2);
	assert_int_equal(rs_config_parse_text(&cfg,
		"event = { timeout = 10; };\n"
		"thresholds = ( { entity = \"blk\"; metric = \"err_count\"; op = \">\"; value = 2; severity = \"ERROR\"; } );",
		"t", err, sizeof(err)), 0);
	assert_int_equal(rs_ingest_line(st, "|blk_err|8|0|1|", 1, err, sizeof(err)), 0);
	rs_events_check(&ev, &cfg, st, "mid", 1000, collect, &sink);
	assert_int_equal(sink.n, 0);
	assert_int_equal(rs_ingest_line(st, "|blk_err|8|0|5|", 1, err, sizeof(err)), 0);
	rs_events_check(&ev, &cfg, st, "mid", 2000, collect, &sink);
	assert_int_equal(sink.n, 1);
	assert_non_null(strstr(sink.lines[0], "\"entity_id\":\"mid_blk_8_0\""));
	assert_non_null(strstr(sink.lines[0], "\"SeverityText\":\"ERROR\",\"SeverityNumber\":17"));
	assert_non_null(strstr(sink.lines[0], "\"metric\":\"gala_gopher_blk_err_count\""));
	rs_events_check(&ev, &cfg, st, "mid", 5000, collect, &sink);	/* deduplicated */
	assert_int_equal(sink.n, 1);
	rs_events_check(&ev, &cfg, st, "mid", 12000, collect, &sink);	/* timeout: repeated */
	assert_int_equal(sink.n, 2);
	assert_non_null(strstr(sink.lines[1], "\"occurred count\":3"));
	assert_non_null(strstr(sink.lines[1], "\"duration\":10"));
	assert_int_equal(rs_ingest_line(st, "|blk_err|8|0|0|", 1, err, sizeof(err)), 0);
	rs_events_check(&ev, &cfg, st, "mid", 13000, collect, &sink);	/* recovered */
	assert_int_equal(sink.n, 3);
	assert_non_null(strstr(sink.lines[2], "\"SeverityText\":\"INFO\""));
	assert_int_equal(ev.fired, 1);
	assert_int_equal(ev.recovered, 1);
	assert_int_equal(ev.n, 0);
	rs_events_free(&ev);
	rs_store_free(st);
	rs_meta_free(&m);
}

static void test_metadata(void **state)
{
	struct rs_meta_set m;
	struct sink sink;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	test_meta_load(&m, test_meta_text, RS_NAMING_GALA);
	rs_json_metadata(&m, 1655888408000ULL, collect, &sink);
	assert_int_equal(sink.n, 3);	/* one per table */
	assert_string_equal(sink.lines[1],
		"{\"timestamp\": 1655888408000, \"meta_name\": \"blk_err\", \"entity_name\": \"blk\", "
		"\"version\": \"1.0.0\", \"keys\": [\"machine_id\", \"major\", \"minor\"], "
		"\"labels\": [\"hostname\"], \"metrics\": [\"err_count\"]}");
	rs_meta_free(&m);
}

static void test_snapshot_refs(void **state)
{
	struct rs_snapshot *a = rs_snapshot_new(1, strdup("m1"), 2, strdup("{}"), 2), *r;

	(void)state;
	assert_null(rs_snapshot_get());
	rs_snapshot_publish(a);
	r = rs_snapshot_get();			/* a reader holds snapshot 1 */
	assert_ptr_equal(r, a);
	rs_snapshot_publish(rs_snapshot_new(2, strdup("m2"), 2, strdup("{}"), 2));
	assert_string_equal(r->metrics, "m1");	/* still valid for its reader */
	rs_snapshot_put(r);			/* freed here (ASan checks) */
	r = rs_snapshot_get();
	assert_int_equal(r->seq, 2);
	rs_snapshot_put(r);
	rs_snapshot_publish(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_snapshot_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
