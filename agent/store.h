/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * store.h - bounded entity tables keyed by an entity's key values: one
 * table per entity definition, each a hash map plus a least-recently-seen
 * list. Idle entities expire after a timeout; at the cap the least recently
 * seen entity is evicted; both are counted.
 *
 * Used twice: as a staging table (collector rows, extend-probe lines) whose
 * values carry how to merge them (set or add), and as the agent's
 * cumulative state merged into at each tick. Single-threaded: each store
 * has one owner at a time.
 */
#ifndef RINGSCOPE_AGENT_STORE_H
#define RINGSCOPE_AGENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"

#define RS_HIST_MAX_BUCKETS	64

/* Histogram: per-bucket counts (not cumulative), upper bounds ascending. */
struct rs_hist {
	unsigned int nb;
	double bounds[RS_HIST_MAX_BUCKETS];
	uint64_t counts[RS_HIST_MAX_BUCKETS];
	uint64_t overflow;		/* observations above the last bound */
	double sum;
	double max;
};

/* How a staged value merges into the cumulative store. */
enum rs_value_mode { RS_V_NONE = 0, RS_V_SET = 1, RS_V_ADD = 2 };

struct rs_entity {
	struct rs_entity *hnext;		/* hash chain */
	struct rs_entity *older, *newer;	/* recency list */
	uint64_t hash;
	uint64_t last_seen_ns;
	size_t idlen;
	char *id;				/* keys joined by 0x1f */
	char **keys;				/* nkeys, into keybuf */
	char **labels;				/* nlabels, each owned or NULL */
	double *values;				/* nmetrics (gauge/counter) */
	uint8_t *mode;				/* nmetrics, enum rs_value_mode */
	struct rs_hist **hist;			/* nmetrics, histograms only */
};

struct rs_etable {
	const struct rs_entity_def *def;
	struct rs_entity **buckets;
	size_t nbuckets;
	size_t count;
	struct rs_entity *oldest, *newest;
	uint64_t created;
	uint64_t evicted_expired;
	uint64_t evicted_cap;
};

struct rs_store {
	const struct rs_meta_set *meta;
	struct rs_etable *tables;		/* one per meta entity */
	unsigned int ntables;
	size_t cap;				/* live entities per table */
	uint64_t timeout_ns;			/* idle time before expiry */
	uint64_t rows;				/* rows ingested */
	uint64_t errors;			/* rows rejected */
};

struct rs_store *rs_store_new(const struct rs_meta_set *meta, size_t cap,
			      uint64_t timeout_ns);
void rs_store_free(struct rs_store *st);

/* Drop every entity (counters of evictions are kept). */
void rs_store_clear(struct rs_store *st);

/*
 * Find or create the entity with these key values (def->nkeys strings) and
 * mark it seen at now_ns. At the cap, evicts the least recently seen.
 * Returns NULL only when out of memory.
 */
struct rs_entity *rs_store_upsert(struct rs_store *st, const struct rs_entity_def *def,
				  const char *const *keys, uint64_t now_ns);

/* Replace label i (NULL or "" clears it). Returns 0 or -1 (no memory). */
int rs_entity_set_label(struct rs_entity *en, unsigned int i, const char *value);

/* Get (creating) histogram i of en. */
struct rs_hist *rs_entity_hist(struct rs_entity *en, unsigned int i);

/* Expire entities idle longer than the store's timeout. Returns how many. */
size_t rs_store_expire(struct rs_store *st, uint64_t now_ns);

/*
 * Fold the staged src into dst by each value's mode (set replaces, add
 * accumulates; histograms add when bounds match, else replace), then clear
 * src. Both must come from the same meta set.
 */
void rs_store_merge(struct rs_store *dst, struct rs_store *src, uint64_t now_ns);

/* Add src histogram into dst (bounds differ: dst becomes a copy of src). */
void rs_hist_add(struct rs_hist *dst, const struct rs_hist *src);

/*
 * Parse gala-gopher's histogram text "<n> <max1> <cnt1> ... <maxN> <cntN>
 * <sum> <max>". Returns 0, or -1 with the reason in err.
 */
int rs_hist_parse(struct rs_hist *h, const char *text, char *err, size_t errlen);

uint64_t rs_hash_bytes(const void *p, size_t n);

#endif /* RINGSCOPE_AGENT_STORE_H */
