// SPDX-License-Identifier: GPL-2.0
/* rings.c - per-cpu rings in vmalloc_user memory, their stats and doorbell. */
#include <linux/irq_work.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "ringscope.h"

struct rs_rings rs_rings;
DEFINE_PER_CPU(struct rs_kmod_stats, rs_attempts);
DEFINE_PER_CPU(int, rs_emit_depth);
DECLARE_WAIT_QUEUE_HEAD(rs_wait);

/*
 * Producers run in any context, with the scheduler's runqueue lock held in
 * sched_switch and sched_wakeup: waking a sleeper there would deadlock, so
 * the doorbell goes through an irq_work (NMI-safe), as the BPF ringbuf does.
 * One irq_work for all rings: queueing a pending one is a no-op, and the
 * woken consumer looks at every ring.
 */
static void rs_doorbell_fn(struct irq_work *work)
{
	wake_up_interruptible_all(&rs_wait);
}

static struct irq_work rs_doorbell_work = IRQ_WORK_INIT(rs_doorbell_fn);

void rs_doorbell_queue(void)
{
	irq_work_queue(&rs_doorbell_work);
}

static void rs_rings_free(struct rs_rings *r)
{
	u32 i;

	if (!r->ring)
		return;
	for (i = 0; i < r->nrings; i++)
		vfree(r->ring[i]);
	kfree(r->ring);
	r->ring = NULL;
}

/* Allocate and format one zero-filled ring per possible cpu id. */
static int rs_rings_alloc(struct rs_rings *r, u32 order, u32 watermark)
{
	u32 i;

	r->nrings = nr_cpu_ids;
	r->order = order;
	if (watermark == 0 || watermark > (1U << order))
		watermark = 1U << (order - 1);
	r->watermark = watermark;
	r->ring_bytes = RS_RING_BYTES(order);
	r->ring = kcalloc(r->nrings, sizeof(*r->ring), GFP_KERNEL);
	if (!r->ring)
		return -ENOMEM;
	for (i = 0; i < r->nrings; i++) {
		r->ring[i] = vmalloc_user(r->ring_bytes);
		if (!r->ring[i])
			goto err_free;
		rs_ring_format(r->ring[i], order, watermark, i, RS_RING_F_KMOD);
	}
	return 0;

err_free:
	rs_rings_free(r);
	return -ENOMEM;
}

static void rs_stats_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&rs_attempts, cpu), 0,
		       sizeof(struct rs_kmod_stats));
}

int rs_rings_init(void)
{
	return rs_rings_alloc(&rs_rings, RS_KMOD_DEFAULT_ORDER, 0);
}

/* Caller guarantees: no probe registered, no ring mapped, no poller. */
int rs_rings_resize(u32 order, u32 watermark)
{
	struct rs_rings fresh = {};
	int ret;

	ret = rs_rings_alloc(&fresh, order, watermark);
	if (ret)
		return ret;
	rs_rings_free(&rs_rings);
	rs_rings = fresh;
	rs_stats_reset();
	rs_selftest_reset();
	return 0;
}

void rs_rings_exit(void)
{
	irq_work_sync(&rs_doorbell_work);
	rs_rings_free(&rs_rings);
}

void rs_rings_read_stats(struct rs_kmod_stats *stats)
{
	const struct rs_kmod_stats *s;
	int cpu, t;

	memset(stats, 0, sizeof(*stats));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&rs_attempts, cpu);
		for (t = 0; t < RS_KMOD_STATS_TYPES; t++)
			stats->attempts[t] += READ_ONCE(s->attempts[t]);
		stats->nested += READ_ONCE(s->nested);
	}
}

/*
 * Does some ring of the mask (NULL: any ring) hold watermark or more
 * records? (poll's readiness)
 */
bool rs_rings_readable(const unsigned long *mask)
{
	struct rs_ring_header *h;
	u64 head, tail;
	u32 i;

	for (i = 0; i < rs_rings.nrings; i++) {
		if (mask && !test_bit(i, mask))
			continue;
		h = rs_rings.ring[i];
		/* pairs with the consumer's release of its tail */
		tail = smp_load_acquire(&h->cons.tail);
		head = READ_ONCE(h->prod.head);
		if (head - tail >= rs_rings.watermark)
			return true;
	}
	return false;
}
