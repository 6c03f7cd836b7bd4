// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* store.c - bounded entity tables: hash map, recency list, expiry, caps, merge. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define ID_SEP '\x1f'

uint64_t rs_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a, then a final mix */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct rs_store *rs_store_new(const struct rs_meta_set *meta, size_t cap,
			      uint64_t timeout_ns)
{
	struct rs_store *st = calloc(1, sizeof(*st));
	unsigned int i;

	if (!st)
		return NULL;
	st->meta = meta;
	st->cap = cap ? cap : 1;
	st->timeout_ns = timeout_ns;
	st->ntables = meta->nentities;
	st->tables = calloc(st->ntables ? st->ntables : 1, sizeof(*st->tables));
	if (!st->tables) {
		free(st);
		return NULL;
	}
	for (i = 0; i < st->ntables; i++)
		st->tables[i].def = &meta->entities[i];
	return st;
}

static void entity_free(const struct rs_entity_def *def, struct rs_entity *en)
{
	unsigned int i;

	for (i = 0; i < def->nlabels; i++)
		free(en->labels[i]);
	for (i = 0; i < def->nmetrics; i++)
		free(en->hist[i]);
	free(en->id);
	free(en);
}

static void unlink_entity(struct rs_etable *t, struct rs_entity *en)
{
	struct rs_entity **pp = &t->buckets[en->hash & (t->nbuckets - 1)];

	while (*pp != en)
		pp = &(*pp)->hnext;
	*pp = en->hnext;
	if (en->older)
		en->older->newer = en->newer;
	else
		t->oldest = en->newer;
	if (en->newer)
		en->newer->older = en->older;
	else
		t->newest = en->older;
	t->count--;
	entity_free(t->def, en);
}

static void table_clear(struct rs_etable *t)
{
	while (t->oldest)
		unlink_entity(t, t->oldest);
}

void rs_store_clear(struct rs_store *st)
{
	unsigned int i;

	for (i = 0; i < st->ntables; i++)
		table_clear(&st->tables[i]);
	st->rows = 0;
	st->errors = 0;
}

void rs_store_free(struct rs_store *st)
{
	unsigned int i;

	if (!st)
		return;
	for (i = 0; i < st->ntables; i++) {
		table_clear(&st->tables[i]);
		free(st->tables[i].buckets);
	}
	free(st->tables);
	free(st);
}

static int grow(struct rs_etable *t)
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : 16, i;
	struct rs_entity **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (i = 0; i < t->nbuckets; i++) {
		struct rs_entity *en = t->buckets[i], *next;

		for (; en; en = next) {
			next = en->hnext;
			en->hnext = b[en->hash & (n - 1)];
			b[en->hash & (n - 1)] = en;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
	return 0;
}

static void touch(struct rs_etable *t, struct rs_entity *en, uint64_t now_ns)
{
	if (now_ns > en->last_seen_ns)
		en->last_seen_ns = now_ns;
	if (t->newest == en)
		return;
	/* unlink, then append as newest */
	if (en->older)
		en->older->newer = en->newer;
	else if (t->oldest == en)
		t->oldest = en->newer;
	if (en->newer)
		en->newer->older = en->older;
	en->older = t->newest;
	en->newer = NULL;
	if (t->newest)
		t->newest->newer = en;
	t->newest = en;
	if (!t->oldest)
		t->oldest = en;
}

static struct rs_entity *entity_new(const struct rs_entity_def *def, const char *id,
				    size_t idlen, uint64_t hash)
{
	size_t nk = def->nkeys, nl = def->nlabels, nm = def->nmetrics;
	size_t size = sizeof(struct rs_entity) + (nk + nl + nm) * sizeof(void *) +
		      nm * sizeof(double) + nm;
	struct rs_entity *en = calloc(1, size);
	char *p, *keybuf;
	size_t i, k = 0;

	if (!en)
		return NULL;
	en->keys = (char **)(en + 1);
	en->labels = en->keys + nk;
	en->hist = (struct rs_hist **)(en->labels + nl);
	en->values = (double *)(en->hist + nm);
	en->mode = (uint8_t *)(en->values + nm);
	/* id, then a copy split at the separators for the key strings */
	en->id = malloc(2 * idlen + 2);
	if (!en->id) {
		free(en);
		return NULL;
	}
	memcpy(en->id, id, idlen);
	en->id[idlen] = 0;
	keybuf = en->id + idlen + 1;
	memcpy(keybuf, en->id, idlen + 1);
	en->keys[k++] = keybuf;
	for (p = keybuf, i = 0; i < idlen; i++, p++)
		if (*p == ID_SEP) {
			*p = 0;
			if (k < nk)
				en->keys[k++] = p + 1;
		}
	en->idlen = idlen;
	en->hash = hash;
	return en;
}

struct rs_entity *rs_store_upsert(struct rs_store *st, const struct rs_entity_def *def,
				  const char *const *keys, uint64_t now_ns)
{
	struct rs_etable *t = &st->tables[def->index];
	char stack_id[1024], *id = stack_id;
	size_t idlen = 0, need = 0;
	struct rs_entity *en;
	unsigned int i;
	uint64_t h;

	for (i = 0; i < def->nkeys; i++)
		need += strlen(keys[i]) + 1;
	if (need > sizeof(stack_id) && !(id = malloc(need)))
		return NULL;
	for (i = 0; i < def->nkeys; i++) {
		size_t n = strlen(keys[i]);

		if (i)
			id[idlen++] = ID_SEP;
		memcpy(id + idlen, keys[i], n);
		idlen += n;
	}
	h = rs_hash_bytes(id, idlen);
	if (t->nbuckets)
		for (en = t->buckets[h & (t->nbuckets - 1)]; en; en = en->hnext)
			if (en->hash == h && en->idlen == idlen && !memcmp(en->id, id, idlen))
				goto found;
	if (t->count >= st->cap) {
		rs_store_expire(st, now_ns);
		while (t->count >= st->cap && t->oldest) {
			unlink_entity(t, t->oldest);
			t->evicted_cap++;
		}
	}
	if (t->count + 1 > t->nbuckets && grow(t))
		goto oom;
	en = entity_new(def, id, idlen, h);
	if (!en)
		goto oom;
	en->hnext = t->buckets[h & (t->nbuckets - 1)];
	t->buckets[h & (t->nbuckets - 1)] = en;
	t->count++;
	t->created++;
	en->last_seen_ns = now_ns;
found:
	touch(t, en, now_ns);
	if (id != stack_id)
		free(id);
	return en;
oom:
	if (id != stack_id)
		free(id);
	return NULL;
}

int rs_entity_set_label(struct rs_entity *en, unsigned int i, const char *value)
{
	if (!value || !*value) {
		free(en->labels[i]);
		en->labels[i] = NULL;
		return 0;
	}
	if (en->labels[i] && !strcmp(en->labels[i], value))
		return 0;
	free(en->labels[i]);
	en->labels[i] = strdup(value);
	return en->labels[i] ? 0 : -1;
}

struct rs_hist *rs_entity_hist(struct rs_entity *en, unsigned int i)
{
	if (!en->hist[i])
		en->hist[i] = calloc(1, sizeof(struct rs_hist));
	return en->hist[i];
}

size_t rs_store_expire(struct rs_store *st, uint64_t now_ns)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < st->ntables; i++) {
		struct rs_etable *t = &st->tables[i];

		while (t->oldest && t->oldest->last_seen_ns + st->timeout_ns < now_ns) {
			unlink_entity(t, t->oldest);
			t->evicted_expired++;
			n++;
		}
	}
	return n;
}

void rs_hist_add(struct rs_hist *dst, const struct rs_hist *src)
{
	unsigned int i;

	if (dst->nb != src->nb ||
	    memcmp(dst->bounds, src->bounds, src->nb * sizeof(double))) {
		*dst = *src;
		return;
	}
	for (i = 0; i < src->nb; i++)
		dst->counts[i] += src->counts[i];
	dst->overflow += src->overflow;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
}

void rs_store_merge(struct rs_store *dst, struct rs_store *src, uint64_t now_ns)
{
	unsigned int i, j;

	for (i = 0; i < src->ntables && i < dst->ntables; i++) {
		const struct rs_entity_def *def = src->tables[i].def;
		struct rs_entity *s;

		/* entities the staging table had to evict never reach dst: count them there */
		dst->tables[i].evicted_cap += src->tables[i].evicted_cap;
		dst->tables[i].evicted_expired += src->tables[i].evicted_expired;
		src->tables[i].evicted_cap = 0;
		src->tables[i].evicted_expired = 0;

		for (s = src->tables[i].oldest; s; s = s->newer) {
			struct rs_entity *d = rs_store_upsert(dst, def, (const char *const *)s->keys,
							      s->last_seen_ns > now_ns ? s->last_seen_ns : now_ns);

			if (!d)
				continue;
			for (j = 0; j < def->nlabels; j++)
				if (s->labels[j])
					rs_entity_set_label(d, j, s->labels[j]);
			for (j = 0; j < def->nmetrics; j++) {
				if (s->mode[j] == RS_V_NONE)
					continue;
				if (s->hist[j]) {
					struct rs_hist *h = rs_entity_hist(d, j);

					if (!h)
						continue;
					if (s->mode[j] == RS_V_ADD)
						rs_hist_add(h, s->hist[j]);
					else
						*h = *s->hist[j];
				} else if (s->mode[j] == RS_V_ADD && d->mode[j] != RS_V_NONE) {
					d->values[j] += s->values[j];
				} else {
					d->values[j] = s->values[j];
				}
				d->mode[j] = RS_V_SET;
			}
		}
	}
	dst->rows += src->rows;
	dst->errors += src->errors;
	rs_store_clear(src);
}

int rs_hist_parse(struct rs_hist *h, const char *text, char *err, size_t errlen)
{
	const char *p = text;
	char *end;
	unsigned long nb;
	unsigned int i;

	memset(h, 0, sizeof(*h));
	errno = 0;
	nb = strtoul(p, &end, 10);
	if (end == p || errno || nb == 0 || nb > RS_HIST_MAX_BUCKETS) {
		snprintf(err, errlen, "histogram: bucket count must be 1..%d", RS_HIST_MAX_BUCKETS);
		return -1;
	}
	p = end;
	h->nb = (unsigned int)nb;
	for (i = 0; i < nb; i++) {
		double bound = strtod(p, &end);
		unsigned long long cnt;

		if (end == p || isnan(bound) || (i && !(bound > h->bounds[i - 1]))) {
			snprintf(err, errlen, "histogram: bucket %u bound missing or not ascending", i + 1);
			return -1;
		}
		p = end;
		while (*p == ' ')
			p++;
		if (*p == '-') {
			snprintf(err, errlen, "histogram: bucket %u count is negative", i + 1);
			return -1;
		}
		errno = 0;
		cnt = strtoull(p, &end, 10);
		if (end == p || errno) {
			snprintf(err, errlen, "histogram: bucket %u count missing or too large", i + 1);
			return -1;
		}
		p = end;
		h->bounds[i] = bound;
		h->counts[i] = cnt;
	}
	h->sum = strtod(p, &end);
	if (end == p || !isfinite(h->sum)) {
		snprintf(err, errlen, "histogram: sum missing or not finite");
		return -1;
	}
	p = end;
	h->max = strtod(p, &end);
	if (end == p || !isfinite(h->max)) {
		snprintf(err, errlen, "histogram: max missing or not finite");
		return -1;
	}
	p = end;
	while (*p == ' ')
		p++;
	if (*p) {
		snprintf(err, errlen, "histogram: trailing text after max");
		return -1;
	}
	return 0;
}
