// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* acc.c - allocation, growth and reset of a worker's accumulator. */
#include <stdlib.h>
#include <string.h>

#include "acc.h"
#include "decode.h"

struct rs_acc *rs_acc_new(const struct rs_decoder *dec, size_t limit)
{
	struct rs_acc *a = calloc(1, sizeof(*a));
	unsigned int i, w = 0;

	if (!a)
		return NULL;
	a->dec = dec;
	a->off = calloc(dec->nmetrics ? dec->nmetrics : 1, sizeof(*a->off));
	if (!a->off) {
		free(a);
		return NULL;
	}
	for (i = 0; i < dec->nmetrics; i++) {
		a->off[i] = w;
		w += dec->metrics[i].nb ? RS_ACC_HIST_WIDTH(dec->metrics[i].nb) : 1;
	}
	a->width = w;
	a->stride = (uint32_t)(sizeof(struct rs_acc_slot) + w * sizeof(double));
	a->limit = limit ? limit : 1;
	a->cap = 64;
	a->slots = calloc(a->cap, a->stride);
	a->tags = calloc(a->cap, sizeof(*a->tags));
	if (!a->slots || !a->tags) {
		free(a->slots);
		free(a->tags);
		free(a->off);
		free(a);
		return NULL;
	}
	return a;
}

void rs_acc_free(struct rs_acc *a)
{
	if (!a)
		return;
	free(a->slots);
	free(a->tags);
	free(a->off);
	free(a);
}

void rs_acc_reset(struct rs_acc *a)
{
	if (a->count) {
		memset(a->slots, 0, a->cap * a->stride);
		memset(a->tags, 0, a->cap * sizeof(*a->tags));
	}
	a->count = 0;
}

static struct rs_acc_slot *place(struct rs_acc *a, uint64_t key)
{
	uint64_t h = rs_acc_hash(key);
	size_t mask = a->cap - 1, i = h & mask;
	struct rs_acc_slot *s;

	while (a->tags[i])
		i = (i + 1) & mask;
	a->tags[i] = h | 1;
	s = rs_acc_at(a, i);
	s->used = 1;
	s->key = key;
	return s;
}

/* Slow path of rs_acc_get: key absent. Keeps the load factor under 1/2. */
struct rs_acc_slot *rs_acc_grow_insert(struct rs_acc *a, uint64_t key)
{
	if (a->count >= a->limit) {
		a->dropped++;
		return NULL;
	}
	if ((a->count + 1) * 2 > a->cap) {
		unsigned char *old = a->slots;
		uint64_t *oldtags = a->tags;
		size_t oldcap = a->cap, i;

		a->slots = calloc(oldcap * 2, a->stride);
		a->tags = calloc(oldcap * 2, sizeof(*a->tags));
		if (!a->slots || !a->tags) {
			free(a->slots);
			free(a->tags);
			a->slots = old;
			a->tags = oldtags;
			a->dropped++;
			return NULL;
		}
		a->cap = oldcap * 2;
		for (i = 0; i < oldcap; i++) {
			struct rs_acc_slot *o = (struct rs_acc_slot *)(old + i * a->stride);

			if (o->used)
				memcpy(place(a, o->key), o, a->stride);
		}
		free(old);
		free(oldtags);
	}
	a->count++;
	return place(a, key);
}
