// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_drain.c - the record path end to end without BPF: memfd rings split
 * over two workers (two simulated NUMA nodes), SELFTEST records decoded into
 * the selftest entity, handed over by pointer swap and merged exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "decode.h"
#include "meta.h"
#include "store.h"
#include "worker.h"

static struct rs_meta_set meta;
static struct rs_decoder_table decoders;

static int setup(void **state)
{
	struct rs_meta_limits lim = { 1024, 64, "gala_gopher", RS_NAMING_GALA };
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s", RS_DEFAULT_META_DIR);
	rs_meta_init(&meta);
	rs_meta_add_dir(&meta, path);
	rs_meta_resolve(&meta, &lim);
	if (!rs_meta_table(&meta, "selftest") || !rs_meta_table(&meta, "selftest")->entity)
		return -1;
	return rs_decoders_bind(&decoders, &meta, NULL, 0, NULL) >= 1 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	rs_meta_free(&meta);
	return 0;
}

static void emit(struct rs_ring_set *set, unsigned int ring, unsigned int cpu, uint64_t seq,
		 uint32_t type, uint32_t version)
{
	struct rs_selftest p;

	rs_selftest_fill(&p, seq, RS_SELFTEST_USER, cpu);
	assert_int_equal(rs_user_emit(set, ring, type, version, 1, 1, 1, &p, sizeof(p)), 1);
}

static double metric(const struct rs_store *st, const char *cpu, const char *name)
{
	const struct rs_entity_def *d = rs_meta_entity(&meta, "selftest");
	const struct rs_entity *en;
	unsigned int m;

	for (m = 0; strcmp(d->metrics[m].name, name); m++)
		;
	for (en = st->tables[d->index].oldest; en; en = en->newer)
		if (!strcmp(en->keys[0], cpu))
			return d->metrics[m].type == RS_FIELD_HISTOGRAM ? (double)en->hist[m]->counts[0] +
				en->hist[m]->overflow : en->values[m];
	return -1;
}

/* Ask each worker for its tables and merge them, as the tick does. */
static void tick(struct rs_worker *w, unsigned int n, struct rs_store *st)
{
	unsigned int i, tries;

	for (i = 0; i < n; i++) {
		struct rs_acc_set *s = NULL;

		rs_worker_ask(&w[i]);
		for (tries = 0; tries < 2000 && !(s = rs_mailbox_take(&w[i].mailbox)); tries++)
			usleep(1000);
		assert_non_null(s);
		rs_acc_set_merge(s, &decoders, st, 1);
		rs_mailbox_return(&w[i].mailbox, s);
	}
}

static void test_two_nodes(void **state)
{
	struct rs_ring_set sets[2];
	struct rs_worker w[2];
	struct rs_store *st = rs_store_new(&meta, 100, ~0ULL / 2);
	struct rs_worker_stats ws;
	char err[256];
	unsigned int i, k;
	uint64_t seq;

	(void)state;
	memset(w, 0, sizeof(w));
	for (i = 0; i < 2; i++) {
		assert_int_equal(rs_ring_set_create_memfd(&sets[i], 1, 10, 256, err, sizeof(err)), 0);
		w[i].id = i;
		w[i].node = 0;
		rs_cpulist_parse(i ? "1" : "0", &w[i].cpus);
		if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
			rs_cpulist_parse("0", &w[i].cpus);
		w[i].rings = calloc(1, sizeof(*w[i].rings));
		w[i].ring_cpu = calloc(1, sizeof(*w[i].ring_cpu));
		w[i].rings[0] = &sets[i].rings[0];
		w[i].ring_cpu[0] = i;
		w[i].nrings = 1;
		w[i].doorbell = &sets[i].doorbell;
		w[i].decoders = &decoders;
		w[i].acc_limit = 100;
		w[i].batch = 64;
		w[i].timeout_min_us = 100;
		w[i].timeout_max_us = 20000;
		assert_int_equal(rs_worker_start(&w[i], err, sizeof(err)), 0);
	}
	/* 3 rounds of 700 records per ring (ring holds 1024), merged each round */
	for (k = 0, seq = 0; k < 3; k++) {
		for (i = 0; i < 700; i++, seq++) {
			emit(&sets[0], 0, 0, seq, RS_REC_SELFTEST, RS_REC_SELFTEST_VERSION);
			emit(&sets[1], 0, 1, seq, RS_REC_SELFTEST, RS_REC_SELFTEST_VERSION);
		}
		for (i = 0; i < 2; i++) {
			struct rs_ring_counters c;
			int spins = 0;

			do {
				rs_ring_read_counters(&sets[i].rings[0], &c);
				usleep(1000);
			} while (c.pending && ++spins < 5000);
			assert_int_equal(c.pending, 0);
		}
		tick(w, 2, st);
	}
	emit(&sets[1], 0, 1, 0, 0x77, 1);			/* no decoder */
	emit(&sets[1], 0, 1, 0, RS_REC_SELFTEST, 9);		/* wrong version */
	for (i = 0; i < 2; i++)
		rs_worker_stop(&w[i]);
	for (i = 0; i < 2; i++) {
		struct rs_acc_set *s = rs_mailbox_take(&w[i].mailbox);

		if (s)
			rs_acc_set_merge(s, &decoders, st, 1);
		rs_acc_set_merge(w[i].active, &decoders, st, 1);	/* what the last pass left */
	}
	assert_true(metric(st, "0", "records") == 2100);
	assert_true(metric(st, "1", "records") == 2100);
	assert_true(metric(st, "0", "check_errors") == 0);
	assert_true(metric(st, "0", "seq_gaps") == 0);
	assert_true(metric(st, "1", "seq_gaps") == 0);
	assert_true(metric(st, "1", "last_seq") == 2099);
	assert_true(metric(st, "0", "delivery_ns") >= 0);
	rs_worker_read_stats(&w[1], &ws);
	assert_int_equal(ws.records, 2102);
	assert_int_equal(ws.unknown_type, 1);
	assert_int_equal(ws.bad_version, 1);
	assert_true(ws.handoffs >= 3);
	for (i = 0; i < 2; i++) {
		struct rs_ring_counters c;

		rs_ring_read_counters(&sets[i].rings[0], &c);
		assert_int_equal(c.produced, c.consumed + c.dropped);
		rs_acc_set_free(w[i].active);
		rs_acc_set_free(rs_mailbox_take(&w[i].mailbox));
		rs_acc_set_free(w[i].mailbox.empty);
		free(w[i].rings);
		free(w[i].ring_cpu);
		rs_ring_set_close(&sets[i]);
	}
	rs_store_free(st);
}

static void test_key_limit(void **state)
{
	struct rs_acc *a = rs_acc_new(&rs_decoder_selftest, 4);
	uint64_t k;

	(void)state;
	for (k = 0; k < 10; k++)
		(void)rs_acc_get(a, k);
	assert_int_equal(a->count, 4);
	assert_int_equal(a->dropped, 6);
	rs_acc_reset(a);
	assert_int_equal(a->count, 0);
	assert_non_null(rs_acc_get(a, 42));
	rs_acc_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_nodes),
		cmocka_unit_test(test_key_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
