// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* drain.c - the consumer side of the ring protocol: drain, counters, arm. */
#include "shm.h"

static inline const struct rs_record *published(const struct rs_ring *ring,
						uint64_t pos)
{
	const struct rs_record *slot = &ring->slots[pos & ring->mask];
	uint64_t ctl = __atomic_load_n(&slot->hdr.ctl, __ATOMIC_ACQUIRE);

	if (rs_ctl_tag(ctl) != rs_ring_lap_tag(pos, ring->order))
		return NULL;
	return slot;
}

size_t rs_ring_drain(struct rs_ring *ring, size_t max, rs_record_fn fn,
		     void *ctx)
{
	uint64_t pos = ring->pos;
	size_t n;

	for (n = 0; n < max; n++) {
		const struct rs_record *rec = published(ring, pos);

		if (!rec)
			break;
		fn(ctx, ring, rec);
		pos++;
	}
	if (n)
		rs_ring_release(ring, pos);
	return n;
}

const struct rs_record *rs_ring_peek(struct rs_ring *ring, uint64_t *cursor)
{
	const struct rs_record *rec;

	/* positions are free-running: compare by signed distance */
	if ((int64_t)(*cursor - ring->pos) < 0)
		*cursor = ring->pos;
	rec = published(ring, *cursor);
	if (rec)
		(*cursor)++;
	return rec;
}

void rs_ring_release(struct rs_ring *ring, uint64_t cursor)
{
	if ((int64_t)(cursor - ring->pos) <= 0)
		return;
	ring->pos = cursor;
	/* every read of the released slots happens before producers reuse them */
	__atomic_store_n(&ring->hdr->cons.tail, cursor, __ATOMIC_RELEASE);
}

void rs_ring_read_counters(const struct rs_ring *ring,
			   struct rs_ring_counters *c)
{
	const struct rs_ring_header *h = ring->hdr;

	/* dropped before head, so produced never runs ahead of a later read */
	c->dropped = __atomic_load_n(&h->prod.dropped, __ATOMIC_ACQUIRE);
	c->contended = __atomic_load_n(&h->prod.contended, __ATOMIC_RELAXED);
	c->doorbells = __atomic_load_n(&h->prod.doorbells, __ATOMIC_RELAXED);
	c->written = __atomic_load_n(&h->prod.head, __ATOMIC_ACQUIRE);
	c->consumed = __atomic_load_n(&h->cons.tail, __ATOMIC_ACQUIRE);
	c->produced = c->written + c->dropped;
	c->pending = c->written - c->consumed;
}

uint64_t rs_ring_arm(struct rs_ring *ring)
{
	struct rs_ring_header *h = ring->hdr;

	/* full barrier pairs with the producer's publish exchange */
	__atomic_exchange_n(&h->cons.armed, 1, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&h->prod.head, __ATOMIC_SEQ_CST) - ring->pos;
}

void rs_ring_disarm(struct rs_ring *ring)
{
	__atomic_store_n(&ring->hdr->cons.armed, 0, __ATOMIC_RELAXED);
}
