// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// batch.c - filling an export batch: string interning and growable arrays.
#include "batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `need` elements of `elem` bytes in *p (capacity *cap). */
static int grow(void *pp, uint32_t *cap, uint64_t need, size_t elem)
{
	void **p = pp;
	uint64_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	if (need > UINT32_MAX - 1)
		return -1;
	while (n < need)
		n *= 2;
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = (uint32_t)n;
	return 0;
}

static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

void rs_xbatch_init(struct rs_xbatch *b)
{
	memset(b, 0, sizeof(*b));
	rs_xbatch_reset(b);
}

void rs_xbatch_free(struct rs_xbatch *b)
{
	free(b->pool);
	free(b->str_off);
	free(b->str_len);
	free(b->hash);
	free(b->defs);
	free(b->mdefs);
	free(b->refs);
	free(b->rows);
	free(b->values);
	free(b->hists);
	free(b->le);
	free(b->counts);
	free(b->events);
	memset(b, 0, sizeof(*b));
}

void rs_xbatch_reset(struct rs_xbatch *b)
{
	b->pool_len = 0;
	b->n_strings = 0;
	if (b->hash)
		memset(b->hash, 0, b->hash_cap * sizeof(*b->hash));
	b->n_defs = b->n_mdefs = b->n_refs = 0;
	b->n_rows = b->n_values = b->n_hists = b->n_buckets = 0;
	b->n_events = 0;
	b->timestamp_ms = 0;
	b->seq = 0;
	b->oom = 0;
	b->machine_id = b->hostname = rs_xbatch_strn(b, "", 0);
}

static int rehash(struct rs_xbatch *b)
{
	uint32_t cap = b->hash_cap ? b->hash_cap * 2 : 1024;
	uint32_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -1;
	for (uint32_t id = 0; id < b->n_strings; id++) {
		uint32_t i = fnv1a(b->pool + b->str_off[id], b->str_len[id]) & (cap - 1);

		while (h[i])
			i = (i + 1) & (cap - 1);
		h[i] = id + 1;
	}
	free(b->hash);
	b->hash = h;
	b->hash_cap = cap;
	return 0;
}

uint32_t rs_xbatch_strn(struct rs_xbatch *b, const char *s, size_t len)
{
	uint32_t i, id;

	if (len > UINT32_MAX / 2)
		goto oom;
	if ((uint64_t)(b->n_strings + 1) * 2 > b->hash_cap && rehash(b))
		goto oom;
	i = fnv1a(s, len) & (b->hash_cap - 1);
	for (; b->hash[i]; i = (i + 1) & (b->hash_cap - 1)) {
		id = b->hash[i] - 1;
		if (b->str_len[id] == len && !memcmp(b->pool + b->str_off[id], s, len))
			return id;
	}
	if (b->pool_len + len + 1 > b->pool_cap) {
		size_t cap = b->pool_cap ? b->pool_cap : 4096;
		char *p;

		while (cap < b->pool_len + len + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			goto oom;
		p = realloc(b->pool, cap);
		if (!p)
			goto oom;
		b->pool = p;
		b->pool_cap = cap;
	}
	if (b->n_strings + 1 > b->strings_cap) {
		uint32_t cap = b->strings_cap;

		if (grow(&b->str_off, &cap, b->n_strings + 1, sizeof(uint32_t)))
			goto oom;
		cap = b->strings_cap;
		if (grow(&b->str_len, &cap, b->n_strings + 1, sizeof(uint32_t)))
			goto oom;
		b->strings_cap = cap;
	}
	id = b->n_strings++;
	b->str_off[id] = (uint32_t)b->pool_len;
	b->str_len[id] = (uint32_t)len;
	memcpy(b->pool + b->pool_len, s, len);
	b->pool[b->pool_len + len] = '\0';
	b->pool_len += len + 1;
	b->hash[i] = id + 1;
	return id;
oom:
	b->oom = 1;
	return RS_XSTR_EMPTY;
}

uint32_t rs_xbatch_str(struct rs_xbatch *b, const char *s)
{
	return rs_xbatch_strn(b, s ? s : "", s ? strlen(s) : 0);
}

uint32_t rs_xbatch_refs(struct rs_xbatch *b, uint32_t n)
{
	uint32_t first = b->n_refs;

	if (grow(&b->refs, &b->refs_cap, (uint64_t)first + n, sizeof(*b->refs)))
		goto oom;
	b->n_refs += n;
	return first;
oom:
	b->oom = 1;
	return UINT32_MAX;
}

uint32_t rs_xbatch_vals(struct rs_xbatch *b, uint32_t n)
{
	uint32_t first = b->n_values;

	if (grow(&b->values, &b->values_cap, (uint64_t)first + n, sizeof(*b->values)))
		goto oom;
	for (uint32_t i = 0; i < n; i++)
		b->values[first + i] = NAN;
	b->n_values += n;
	return first;
oom:
	b->oom = 1;
	return UINT32_MAX;
}

uint32_t rs_xbatch_buckets(struct rs_xbatch *b, uint32_t n)
{
	uint32_t first = b->n_buckets, cap = b->buckets_cap;

	if (grow(&b->le, &cap, (uint64_t)first + n, sizeof(*b->le)))
		goto oom;
	cap = b->buckets_cap;
	if (grow(&b->counts, &cap, (uint64_t)first + n, sizeof(*b->counts)))
		goto oom;
	b->buckets_cap = cap;
	b->n_buckets += n;
	return first;
oom:
	b->oom = 1;
	return UINT32_MAX;
}

struct rs_xentity_def *rs_xbatch_new_def(struct rs_xbatch *b, uint32_t n_keys,
					 uint32_t n_labels, uint32_t n_metrics)
{
	struct rs_xentity_def *d;
	uint32_t refs;

	if (grow(&b->defs, &b->defs_cap, (uint64_t)b->n_defs + 1, sizeof(*b->defs)) ||
	    grow(&b->mdefs, &b->mdefs_cap, (uint64_t)b->n_mdefs + n_metrics,
		 sizeof(*b->mdefs))) {
		b->oom = 1;
		return NULL;
	}
	refs = rs_xbatch_refs(b, n_keys + n_labels);
	if (refs == UINT32_MAX)
		return NULL;
	memset(b->refs + refs, 0, (n_keys + n_labels) * sizeof(*b->refs));
	memset(b->mdefs + b->n_mdefs, 0, n_metrics * sizeof(*b->mdefs));
	d = &b->defs[b->n_defs++];
	memset(d, 0, sizeof(*d));
	d->keys = refs;
	d->n_keys = n_keys;
	d->labels = refs + n_keys;
	d->n_labels = n_labels;
	d->metrics = b->n_mdefs;
	d->n_metrics = n_metrics;
	b->n_mdefs += n_metrics;
	return d;
}

int rs_xbatch_add_def(struct rs_xbatch *b, const char *entity_name,
		      const char *table_name, const char *version,
		      const char *const *keys, uint32_t n_keys,
		      const char *const *labels, uint32_t n_labels,
		      const char *const *metrics, const uint8_t *types,
		      const char *const *descriptions, uint32_t n_metrics)
{
	struct rs_xentity_def *d = rs_xbatch_new_def(b, n_keys, n_labels, n_metrics);

	if (!d)
		return -1;
	/* interning may move nothing d points into: d, refs and mdefs are
	 * separate arrays from the string table */
	d->entity_name = rs_xbatch_str(b, entity_name);
	d->table_name = rs_xbatch_str(b, table_name);
	d->version = rs_xbatch_str(b, version);
	for (uint32_t i = 0; i < n_keys; i++)
		b->refs[d->keys + i] = rs_xbatch_str(b, keys[i]);
	for (uint32_t i = 0; i < n_labels; i++)
		b->refs[d->labels + i] = rs_xbatch_str(b, labels[i]);
	for (uint32_t i = 0; i < n_metrics; i++) {
		struct rs_xmetric_def *m = &b->mdefs[d->metrics + i];

		m->name = rs_xbatch_str(b, metrics[i]);
		m->type = types[i];
		m->description = descriptions ? rs_xbatch_str(b, descriptions[i]) : 0;
	}
	return b->oom ? -1 : (int)(d - b->defs);
}

struct rs_xrow *rs_xbatch_add_row(struct rs_xbatch *b, uint32_t def)
{
	const struct rs_xentity_def *d;
	struct rs_xrow *r;
	uint32_t labels, values;

	if (def >= b->n_defs)
		return NULL;
	d = &b->defs[def];
	if (grow(&b->rows, &b->rows_cap, (uint64_t)b->n_rows + 1, sizeof(*b->rows)))
		goto oom;
	labels = rs_xbatch_refs(b, d->n_keys + d->n_labels);
	values = rs_xbatch_vals(b, d->n_metrics);
	if (labels == UINT32_MAX || values == UINT32_MAX)
		return NULL;
	for (uint32_t i = 0; i < d->n_keys + d->n_labels; i++)
		b->refs[labels + i] = RS_XSTR_EMPTY;
	r = &b->rows[b->n_rows++];
	memset(r, 0, sizeof(*r));
	r->def = def;
	r->labels = labels;
	r->values = values;
	r->hists = b->n_hists;
	return r;
oom:
	b->oom = 1;
	return NULL;
}

struct rs_xhist *rs_xbatch_add_hist(struct rs_xbatch *b, uint32_t metric,
				    uint32_t n_buckets)
{
	struct rs_xrow *r;
	struct rs_xhist *h;
	uint32_t bucket;

	if (!b->n_rows)
		return NULL;
	r = &b->rows[b->n_rows - 1];
	if (metric >= b->defs[r->def].n_metrics)
		return NULL;
	if (grow(&b->hists, &b->hists_cap, (uint64_t)b->n_hists + 1, sizeof(*b->hists)))
		goto oom;
	bucket = rs_xbatch_buckets(b, n_buckets);
	if (bucket == UINT32_MAX)
		return NULL;
	h = &b->hists[b->n_hists++];
	memset(h, 0, sizeof(*h));
	h->metric = metric;
	h->bucket = bucket;
	h->n_buckets = n_buckets;
	r->n_hists++;
	return h;
oom:
	b->oom = 1;
	return NULL;
}

struct rs_xevent *rs_xbatch_add_event(struct rs_xbatch *b)
{
	struct rs_xevent *e;

	if (grow(&b->events, &b->events_cap, (uint64_t)b->n_events + 1, sizeof(*b->events))) {
		b->oom = 1;
		return NULL;
	}
	e = &b->events[b->n_events++];
	memset(e, 0, sizeof(*e));
	return e;
}

uint32_t rs_xrow_samples(const struct rs_xbatch *b, const struct rs_xrow *r)
{
	const struct rs_xentity_def *d = &b->defs[r->def];
	uint32_t n = r->n_hists;

	for (uint32_t m = 0; m < d->n_metrics; m++)
		n += !isnan(b->values[r->values + m]);
	return n;
}
