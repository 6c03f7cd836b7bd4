// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// helpers.h - comparing two export batches by content (strings resolved,
// values bit for bit) for the export unit tests; include after cmocka.h.
#ifndef RS_TESTS_EXPORT_HELPERS_H
#define RS_TESTS_EXPORT_HELPERS_H

#include <string.h>

#include "batch.h"

#define S(b, id) rs_xbatch_s((b), (id))

static inline void assert_same_bits(double a, double b)
{
	assert_memory_equal(&a, &b, sizeof(a));
}

static inline void assert_same_def(const struct rs_xbatch *a, uint32_t da,
				   const struct rs_xbatch *b, uint32_t db, int descriptions)
{
	const struct rs_xentity_def *x = &a->defs[da], *y = &b->defs[db];

	assert_string_equal(S(a, x->entity_name), S(b, y->entity_name));
	assert_string_equal(S(a, x->table_name), S(b, y->table_name));
	assert_string_equal(S(a, x->version), S(b, y->version));
	assert_int_equal(x->n_keys, y->n_keys);
	assert_int_equal(x->n_labels, y->n_labels);
	assert_int_equal(x->n_metrics, y->n_metrics);
	for (uint32_t i = 0; i < x->n_keys + x->n_labels; i++)
		assert_string_equal(S(a, a->refs[x->keys + i]), S(b, b->refs[y->keys + i]));
	for (uint32_t m = 0; m < x->n_metrics; m++) {
		const struct rs_xmetric_def *p = &a->mdefs[x->metrics + m];
		const struct rs_xmetric_def *q = &b->mdefs[y->metrics + m];

		assert_string_equal(S(a, p->name), S(b, q->name));
		assert_int_equal(p->type, q->type);
		if (descriptions)
			assert_string_equal(S(a, p->description), S(b, q->description));
	}
}

/* row ra of a equals row rb of b: same def content, labels, values, histograms */
static inline void assert_same_row(const struct rs_xbatch *a, uint32_t ra,
				   const struct rs_xbatch *b, uint32_t rb)
{
	const struct rs_xrow *x = &a->rows[ra], *y = &b->rows[rb];
	const struct rs_xentity_def *d = &a->defs[x->def];

	assert_same_def(a, x->def, b, y->def, 0);
	assert_int_equal(x->timestamp_ms, y->timestamp_ms);
	for (uint32_t i = 0; i < d->n_keys + d->n_labels; i++)
		assert_string_equal(S(a, a->refs[x->labels + i]), S(b, b->refs[y->labels + i]));
	for (uint32_t m = 0; m < d->n_metrics; m++)
		assert_same_bits(a->values[x->values + m], b->values[y->values + m]);
	assert_int_equal(x->n_hists, y->n_hists);
	for (uint32_t h = 0; h < x->n_hists; h++) {
		const struct rs_xhist *p = &a->hists[x->hists + h], *q = &b->hists[y->hists + h];

		assert_int_equal(p->metric, q->metric);
		assert_int_equal(p->n_buckets, q->n_buckets);
		assert_same_bits(p->sum, q->sum);
		assert_int_equal(p->count, q->count);
		for (uint32_t i = 0; i < p->n_buckets; i++) {
			assert_same_bits(a->le[p->bucket + i], b->le[q->bucket + i]);
			assert_int_equal(a->counts[p->bucket + i], b->counts[q->bucket + i]);
		}
	}
}

static inline void assert_same_event(const struct rs_xbatch *a, uint32_t ea,
				     const struct rs_xbatch *b, uint32_t eb)
{
	const struct rs_xevent *x = &a->events[ea], *y = &b->events[eb];

	assert_int_equal(x->timestamp_ms, y->timestamp_ms);
	assert_int_equal(x->severity_number, y->severity_number);
	assert_int_equal(x->duration, y->duration);
	assert_int_equal(x->occurred, y->occurred);
#define SAME(f) assert_string_equal(S(a, x->f), S(b, y->f))
	SAME(event_id);
	SAME(entity_id);
	SAME(entity_name);
	SAME(event_type);
	SAME(metric);
	SAME(severity_text);
	SAME(body);
	SAME(pid);
	SAME(comm);
	SAME(ip);
	SAME(container_id);
	SAME(pod_id);
	SAME(device);
#undef SAME
}

#endif
