// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// batch.h - what one interval looks like to an exporter: entity definitions,
// metric rows, events, all strings interned in one table; growable arrays, no
// per-sample allocation.
#ifndef RS_EXPORT_BATCH_H
#define RS_EXPORT_BATCH_H

#include <stddef.h>
#include <stdint.h>

/* Every string (names, label values, event fields) is a uint32_t index into
 * the batch's string table; index 0 is always "". */
#define RS_XSTR_EMPTY 0u

#ifdef __cplusplus
extern "C" {
#endif

enum rs_xmetric_type {
	RS_XMETRIC_GAUGE = 0,
	RS_XMETRIC_COUNTER = 1,
	RS_XMETRIC_HISTOGRAM = 2,
};

struct rs_xmetric_def {
	uint32_t name;
	uint32_t description;
	uint8_t type; /* enum rs_xmetric_type */
};

/* One .meta measurement. keys/labels index batch->refs (string ids of the
 * field names), metrics indexes batch->mdefs. */
struct rs_xentity_def {
	uint32_t entity_name, table_name, version;
	uint32_t keys, n_keys;
	uint32_t labels, n_labels;
	uint32_t metrics, n_metrics;
};

/* One entity instance in one interval. labels indexes batch->refs: the def's
 * n_keys key values then n_labels label values. values indexes batch->values:
 * one double per def metric (NaN = absent; histogram metrics are NaN there and
 * carried in batch->hists[hists .. hists + n_hists)). */
struct rs_xrow {
	uint32_t def;
	uint32_t labels;
	uint32_t values;
	uint32_t hists, n_hists;
	int64_t timestamp_ms; /* 0 = the batch's timestamp */
};

/* A histogram: n_buckets non-cumulative counts with upper bounds, from
 * batch->le and batch->counts at index bucket. */
struct rs_xhist {
	uint32_t metric; /* index among the def's metrics */
	uint32_t bucket, n_buckets;
	double sum;
	uint64_t count;
};

/* A gala-ops event; every uint32_t but the counts is a string id. */
struct rs_xevent {
	int64_t timestamp_ms;
	uint32_t event_id, entity_id, entity_name, event_type, metric;
	uint32_t severity_text, body;
	uint32_t pid, comm, ip, container_id, pod_id, device;
	uint32_t duration, occurred;
	uint8_t severity_number;
};

struct rs_xbatch {
	int64_t timestamp_ms;
	uint64_t seq;
	uint32_t machine_id, hostname; /* string ids */

	/* string table: strings[i] = pool + str_off[i], str_len[i] bytes, NUL-ended */
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *str_off, *str_len;
	uint32_t n_strings, strings_cap;
	uint32_t *hash; /* open addressing, string id + 1, 0 = free */
	uint32_t hash_cap;

	struct rs_xentity_def *defs;
	uint32_t n_defs, defs_cap;
	struct rs_xmetric_def *mdefs;
	uint32_t n_mdefs, mdefs_cap;
	uint32_t *refs;
	uint32_t n_refs, refs_cap;

	struct rs_xrow *rows;
	uint32_t n_rows, rows_cap;
	double *values;
	uint32_t n_values, values_cap;
	struct rs_xhist *hists;
	uint32_t n_hists, hists_cap;
	double *le;
	uint64_t *counts;
	uint32_t n_buckets, buckets_cap;

	struct rs_xevent *events;
	uint32_t n_events, events_cap;

	int oom; /* set when an allocation failed; the batch is then unusable */
};

void rs_xbatch_init(struct rs_xbatch *b);
void rs_xbatch_free(struct rs_xbatch *b);
/* Empties the batch but keeps its memory (call once per interval). */
void rs_xbatch_reset(struct rs_xbatch *b);

/* Interns a string (len bytes, need not be NUL-ended); returns its id, or 0
 * and sets b->oom on allocation failure. */
uint32_t rs_xbatch_strn(struct rs_xbatch *b, const char *s, size_t len);
uint32_t rs_xbatch_str(struct rs_xbatch *b, const char *s);
static inline const char *rs_xbatch_s(const struct rs_xbatch *b, uint32_t id)
{
	return b->pool + b->str_off[id];
}

/* Adds an entity definition from C strings; metric types and descriptions
 * in parallel arrays (descriptions may be NULL). Returns its index or -1. */
int rs_xbatch_add_def(struct rs_xbatch *b, const char *entity_name,
		      const char *table_name, const char *version,
		      const char *const *keys, uint32_t n_keys,
		      const char *const *labels, uint32_t n_labels,
		      const char *const *metrics, const uint8_t *types,
		      const char *const *descriptions, uint32_t n_metrics);

/* Appends a def with room for its key and label names (in refs) and metric
 * defs (in mdefs), all zero (""); returns it or NULL. */
struct rs_xentity_def *rs_xbatch_new_def(struct rs_xbatch *b, uint32_t n_keys,
					 uint32_t n_labels, uint32_t n_metrics);

/* Reserves n slots in refs / values / buckets; returns the first index, or
 * UINT32_MAX on allocation failure. The caller fills them. */
uint32_t rs_xbatch_refs(struct rs_xbatch *b, uint32_t n);
uint32_t rs_xbatch_vals(struct rs_xbatch *b, uint32_t n);
uint32_t rs_xbatch_buckets(struct rs_xbatch *b, uint32_t n);

/* Appends a row for def with room for its labels and values (values set to
 * NaN); returns the row or NULL. Fill b->refs[row->labels + i] and
 * b->values[row->values + m]. */
struct rs_xrow *rs_xbatch_add_row(struct rs_xbatch *b, uint32_t def);
/* Appends a histogram to the last row (n_buckets slots in le/counts). */
struct rs_xhist *rs_xbatch_add_hist(struct rs_xbatch *b, uint32_t metric,
				    uint32_t n_buckets);
struct rs_xevent *rs_xbatch_add_event(struct rs_xbatch *b);

/* Number of samples in a row: present values plus histograms. */
uint32_t rs_xrow_samples(const struct rs_xbatch *b, const struct rs_xrow *r);

#ifdef __cplusplus
}
#endif
#endif
