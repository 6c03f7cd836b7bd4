/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ring.h - layout and protocol of the per-CPU record ring shared by every
 * producer (BPF programs, the kernel module, user space) and the consumer.
 *
 * Header-only, no libc: compiles unchanged with clang -target bpf, in the
 * kernel and in user space. The only per-environment part is the handful of
 * atomic primitives in the compatibility block below.
 *
 * Memory of one ring (identical whether it is a BPF array map value, a
 * vmalloc_user area behind /dev/ringscope or a memfd):
 *
 *   [0, 4096)              struct rs_ring_header: three cache lines used
 *                          (geometry | producer | consumer), rest reserved
 *   [4096, 4096 + 64 * N)  N = 2^order slots, each one struct rs_record
 *
 * Protocol (positions are free-running 64-bit counters, slot = pos & (N-1)):
 *
 * Producer, any number of them nested on one CPU (task, softirq, hardirq,
 * NMI): read the cached tail, then head; if head - tail reaches N, refresh
 * the cached tail from the consumer's line; still full -> count a drop and
 * return. Otherwise compare-and-swap head to head + 1 (retry a bounded number
 * of times when a nested producer won the race). Write the slot's timestamp
 * and payload with plain stores, then publish it by exchanging the slot's
 * ctl word, which carries the lap tag, last. The CAS and the exchange are
 * the only atomics on the fast path; no lock, no wait, nothing overwritten.
 *
 * Consumer (exactly one per ring): starting from its tail, acquire-load each
 * slot's ctl; while its lap tag is the one expected for that position the
 * slot is complete; stop at the first that is not (not yet published, or an
 * outer producer interrupted mid-write). Release-store the tail once per
 * batch: only then may producers reuse those slots.
 *
 * Lap tag: tag(pos) = ((pos >> order) + 1) mod 256. When the consumer looks
 * at slot s for position pos, the slot holds either the record of pos or of
 * pos - N (the producer cannot reserve pos before the consumer has released
 * pos - N, and every reserved slot is published). Their tags differ, and the
 * +1 keeps lap 0 distinct from zero-filled memory.
 *
 * Accounting: head counts reserved (= written) records, dropped counts
 * refused ones, tail counts consumed ones. produced = head + dropped; after
 * a full drain produced == consumed + dropped exactly.
 *
 * Doorbell: the consumer may sleep after setting consumer.armed = 1 and
 * re-checking the ring (both sides use full barriers, so either the producer
 * sees armed or the consumer sees the record). A producer whose ring holds
 * watermark or more records after publishing takes armed back with an
 * exchange and, if it was set, rings the environment's doorbell (BPF ringbuf
 * message, kmod wait queue, eventfd). One ring per sleep, none while busy.
 */
#ifndef RINGSCOPE_RING_H
#define RINGSCOPE_RING_H

#include "record.h"

/* ---- compatibility block: the only environment-specific code ---------- */
#if defined(__KERNEL__)
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <asm/barrier.h>
#define RS_READ_ONCE(x)		READ_ONCE(x)
#define RS_LOAD_ACQUIRE(p)	smp_load_acquire(p)
#define RS_STORE_RELEASE(p, v)	smp_store_release(p, v)
#define RS_CAS(p, old, new)	cmpxchg(p, old, new)
#define RS_XCHG(p, v)		xchg(p, v)
#define RS_ATOMIC_ADD(p, v)	atomic64_add(v, (atomic64_t *)(p))
#define RS_INLINE		static __always_inline
#elif defined(__bpf__)
/*
 * BPF has no load-acquire/store-release before the v4 ISA (kernel 6.15,
 * clang 20). No JIT reorders a program's own loads and stores, the CAS and
 * XCHG below are full barriers, and the compiler barrier keeps clang from
 * moving accesses across: that is all the producer needs.
 */
#define RS_BARRIER()		asm volatile("" ::: "memory")
#define RS_READ_ONCE(x)		(*(volatile __typeof__(x) *)&(x))
#define RS_LOAD_ACQUIRE(p)	({ __typeof__(*(p)) v_ = RS_READ_ONCE(*(p)); \
				   RS_BARRIER(); v_; })
#define RS_STORE_RELEASE(p, v)	do { RS_BARRIER(); \
				     *(volatile __typeof__(*(p)) *)(p) = (v); } while (0)
#define RS_CAS(p, old, new)	__sync_val_compare_and_swap(p, old, new)
#define RS_XCHG(p, v)		__sync_lock_test_and_set(p, v)
#define RS_ATOMIC_ADD(p, v)	__sync_fetch_and_add(p, v)
#define RS_INLINE		static __always_inline
#else /* user space: GCC/clang __atomic builtins, C11 memory model */
#define RS_READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define RS_LOAD_ACQUIRE(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define RS_STORE_RELEASE(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define RS_CAS(p, old, new)	({ __typeof__(*(p)) e_ = (old); \
				   __atomic_compare_exchange_n(p, &e_, new, 0, \
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); e_; })
#define RS_XCHG(p, v)		__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)
#define RS_ATOMIC_ADD(p, v)	__atomic_fetch_add(p, v, __ATOMIC_RELAXED)
#define RS_INLINE		static inline __attribute__((always_inline))
#endif

/* ---- layout ------------------------------------------------------------ */

#define RS_RING_MAGIC		0x474e5253U	/* "RSNG" little-endian */
#define RS_RING_ABI_VERSION	1		/* bump on any layout change */
#define RS_CACHELINE		64
#define RS_RING_HEADER_SIZE	4096
#define RS_RING_MIN_ORDER	6		/* 64 slots: one page */
#define RS_RING_MAX_ORDER	22		/* 4 Mi slots: 256 MiB */
#define RS_RING_DEFAULT_ORDER	12		/* 4096 slots: 256 KiB per CPU */
#define RS_RING_RESERVE_TRIES	8		/* > max nesting depth (4) */

/* Bytes of one ring of 2^order slots, header included. */
#define RS_RING_BYTES(order)	(RS_RING_HEADER_SIZE + ((__u64)RS_RECORD_SIZE << (order)))

/* Written once by whoever creates the ring, read-only afterwards. */
struct rs_ring_geometry {
	__u32 magic;		/* RS_RING_MAGIC */
	__u16 abi_version;	/* RS_RING_ABI_VERSION */
	__u16 record_size;	/* RS_RECORD_SIZE */
	__u32 order;		/* log2 of the slot count */
	__u32 watermark;	/* doorbell threshold in records, 1..N */
	__u32 cpu;		/* cpu this ring belongs to */
	__u32 flags;		/* RS_RING_F_* of the producer kind */
	__u64 reserved[5];
} __attribute__((aligned(RS_CACHELINE)));

enum rs_ring_flags {
	RS_RING_F_BPF = 1 << 0,		/* produced by BPF programs */
	RS_RING_F_KMOD = 1 << 1,	/* produced by ringscope.ko */
	RS_RING_F_USER = 1 << 2,	/* produced from user space (memfd) */
};

/* Written by producers only (all on the ring's cpu). */
struct rs_ring_producer {
	__u64 head;		/* next position to reserve = records written */
	__u64 cached_tail;	/* a past value of consumer.tail, a lower bound */
	__u64 dropped;		/* records refused: ring full */
	__u64 contended;	/* of those, refused after RESERVE_TRIES lost CASes */
	__u64 doorbells;	/* doorbells rung */
	__u64 reserved[3];
} __attribute__((aligned(RS_CACHELINE)));

/* Written by the consumer (armed is also taken back by producers). */
struct rs_ring_consumer {
	__u64 tail;		/* next position to consume = records consumed */
	__u32 armed;		/* 1: consumer sleeps, ring the doorbell */
	__u32 pad;
	__u64 reserved[6];
} __attribute__((aligned(RS_CACHELINE)));

struct rs_ring_header {
	struct rs_ring_geometry geo;
	struct rs_ring_producer prod;
	struct rs_ring_consumer cons;
	__u8 reserved[RS_RING_HEADER_SIZE - 3 * RS_CACHELINE];
};

_Static_assert(sizeof(struct rs_ring_geometry) == RS_CACHELINE, "geometry line");
_Static_assert(sizeof(struct rs_ring_producer) == RS_CACHELINE, "producer line");
_Static_assert(sizeof(struct rs_ring_consumer) == RS_CACHELINE, "consumer line");
_Static_assert(sizeof(struct rs_ring_header) == RS_RING_HEADER_SIZE, "header page");
_Static_assert(__builtin_offsetof(struct rs_ring_header, prod) == 64, "prod at 64");
_Static_assert(__builtin_offsetof(struct rs_ring_header, cons) == 128, "cons at 128");

RS_INLINE struct rs_record *rs_ring_slots(struct rs_ring_header *h)
{
	return (struct rs_record *)((__u8 *)h + RS_RING_HEADER_SIZE);
}

RS_INLINE __u64 rs_ring_lap_tag(__u64 pos, __u32 order)
{
	return ((pos >> order) + 1) & RS_CTL_TAG_MASK;
}

/*
 * Format zero-filled ring memory (fresh map value, vmalloc_user, ftruncated
 * memfd). Counters start at zero; the slots must be zero too.
 */
RS_INLINE void rs_ring_format(struct rs_ring_header *h, __u32 order,
			      __u32 watermark, __u32 cpu, __u32 flags)
{
	__u64 nslots = 1ULL << order;

	if (watermark == 0 || watermark > nslots)
		watermark = (__u32)(nslots / 2);
	h->geo.abi_version = RS_RING_ABI_VERSION;
	h->geo.record_size = RS_RECORD_SIZE;
	h->geo.order = order;
	h->geo.watermark = watermark;
	h->geo.cpu = cpu;
	h->geo.flags = flags;
	RS_STORE_RELEASE(&h->geo.magic, RS_RING_MAGIC);
}

/* ---- producer ---------------------------------------------------------- */

/*
 * Reserve the next slot. On success stores its position in *pos and returns
 * 1; when the ring is full (or nested producers won RS_RING_RESERVE_TRIES
 * races in a row) counts a drop and returns 0. nslots = 2^order of the ring
 * (BPF passes a load-time constant so the verifier can bound the slot).
 */
RS_INLINE int rs_ring_reserve(struct rs_ring_header *h, __u64 nslots,
			      __u64 *pos)
{
	__u64 head, tail;
	int i;

	for (i = 0; i < RS_RING_RESERVE_TRIES; i++) {
		/*
		 * tail first: a tail read before head never exceeds it. The
		 * cached tail is published with release and read with acquire
		 * so a producer relying on another's refresh is still ordered
		 * after the consumer's reads of the slots it freed.
		 */
		tail = RS_LOAD_ACQUIRE(&h->prod.cached_tail);
		head = RS_READ_ONCE(h->prod.head);
		if (head - tail >= nslots) {
			tail = RS_LOAD_ACQUIRE(&h->cons.tail);
			RS_STORE_RELEASE(&h->prod.cached_tail, tail);
			head = RS_READ_ONCE(h->prod.head);
			if (head - tail >= nslots) {
				RS_ATOMIC_ADD(&h->prod.dropped, 1);
				return 0;
			}
		}
		if (RS_CAS(&h->prod.head, head, head + 1) == head) {
			*pos = head;
			return 1;
		}
	}
	RS_ATOMIC_ADD(&h->prod.contended, 1);
	RS_ATOMIC_ADD(&h->prod.dropped, 1);
	return 0;
}

/*
 * Publish a reserved slot: ctl is rs_make_ctl(...) without a tag. All other
 * stores to the slot must come before this call.
 */
RS_INLINE void rs_ring_publish(struct rs_record *slot, __u64 pos, __u32 order,
			       __u64 ctl)
{
	RS_XCHG(&slot->hdr.ctl, ctl | rs_ring_lap_tag(pos, order));
}

/*
 * After publishing: should this producer ring the doorbell? True at most
 * once per arming, and only when watermark or more records are waiting.
 */
RS_INLINE int rs_ring_doorbell_due(struct rs_ring_header *h, __u32 watermark)
{
	__u64 head, tail;

	tail = RS_LOAD_ACQUIRE(&h->prod.cached_tail);
	head = RS_READ_ONCE(h->prod.head);
	if (head - tail < watermark)
		return 0;
	tail = RS_LOAD_ACQUIRE(&h->cons.tail);
	RS_STORE_RELEASE(&h->prod.cached_tail, tail);
	head = RS_READ_ONCE(h->prod.head);
	if (head - tail < watermark || !RS_READ_ONCE(h->cons.armed))
		return 0;
	if (!RS_XCHG(&h->cons.armed, 0))
		return 0;
	RS_ATOMIC_ADD(&h->prod.doorbells, 1);
	return 1;
}

#endif /* RINGSCOPE_RING_H */
