/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * acc.h - a drain worker's per-interval accumulator for one decoder: an
 * open-addressing hash map from a 64-bit binary key (tgid, dev, cpu ...)
 * to a row of doubles (values and histogram buckets) plus two aux words
 * the decoder may use (a comm, the last sequence number). No strings, no
 * locks: only its worker touches it until the tick takes it.
 *
 * Bounded: at most `limit` keys per interval; records for further keys are
 * dropped and counted.
 */
#ifndef RINGSCOPE_AGENT_ACC_H
#define RINGSCOPE_AGENT_ACC_H

#include <stddef.h>
#include <stdint.h>

struct rs_decoder;

struct rs_acc {
	const struct rs_decoder *dec;
	uint32_t width;		/* doubles per row */
	uint32_t stride;	/* bytes per slot */
	uint32_t *off;		/* per decoder metric: offset of its value/histogram */
	uint64_t *tags;		/* per slot: hash | 1, 0 = empty (probed, small) */
	unsigned char *slots;	/* cap slots of stride bytes */
	size_t cap;		/* power of two */
	size_t count;
	size_t limit;		/* keys at most */
	uint64_t now_ns;	/* set by the worker per batch */
	uint64_t records;	/* records decoded */
	uint64_t dropped;	/* records refused: key limit */
};

struct rs_acc_slot {
	uint64_t key;
	uint64_t used;
	uint64_t aux[2];
	double d[];
};

struct rs_acc *rs_acc_new(const struct rs_decoder *dec, size_t limit);
void rs_acc_free(struct rs_acc *a);
/* Forget every row (capacity kept). */
void rs_acc_reset(struct rs_acc *a);
struct rs_acc_slot *rs_acc_grow_insert(struct rs_acc *a, uint64_t key);

static inline struct rs_acc_slot *rs_acc_at(const struct rs_acc *a, size_t i)
{
	return (struct rs_acc_slot *)(a->slots + i * a->stride);
}

static inline uint64_t rs_acc_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

/* The row of key (created zeroed), or NULL when the key limit is reached. */
static inline struct rs_acc_slot *rs_acc_get(struct rs_acc *a, uint64_t key)
{
	uint64_t h = rs_acc_hash(key), tag = h | 1, t;
	size_t mask = a->cap - 1, i = h & mask;

	/* probe the dense tag array; touch a slot only on a tag match */
	while ((t = a->tags[i])) {
		if (t == tag) {
			struct rs_acc_slot *s = rs_acc_at(a, i);

			if (s->key == key)
				return s;
		}
		i = (i + 1) & mask;
	}
	return rs_acc_grow_insert(a, key);
}

/*
 * Histogram row layout at off: sum, max, counts[nb], overflow (sum and max
 * first: next to the scalar metrics, in the same cache line).
 */
#define RS_ACC_HIST_WIDTH(nb) ((nb) + 3)

static inline void rs_acc_observe(double *h, unsigned int nb, const double *bounds,
				  double v)
{
	unsigned int i;

	for (i = 0; i < nb && v > bounds[i]; i++)
		;
	h[2 + i] += 1;		/* i == nb: overflow */
	h[0] += v;
	if (v > h[1])
		h[1] = v;
}

/* Power-of-two buckets 1, 2, 4 ... 2^(nb-1): index by bit length. */
static inline void rs_acc_observe_log2(double *h, unsigned int nb, uint64_t v)
{
	unsigned int i = v <= 1 ? 0 : 64 - (unsigned int)__builtin_clzll(v - 1);

	if (i > nb)
		i = nb;
	h[2 + i] += 1;
	h[0] += (double)v;
	if ((double)v > h[1])
		h[1] = (double)v;
}

#endif /* RINGSCOPE_AGENT_ACC_H */
