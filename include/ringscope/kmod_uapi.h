/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * kmod_uapi.h - the ioctl interface of /dev/ringscope (kmod/ringscope.ko),
 * shared by the module and its user-space consumer (shm/kmod.c).
 *
 * Session, in this order:
 *  1. open("/dev/ringscope", O_RDWR): the consumer, one at a time (EBUSY),
 *     root only (the node is 0600). Closing its last reference (fd and
 *     every mapping) disables all probe groups.
 *  2. RS_KMOD_IOC_HELLO: both sides state their versions; the module
 *     refuses a different RS_KMOD_API_VERSION, ring ABI or record size with
 *     EPROTONOSUPPORT and still writes its own versions back. Every other
 *     ioctl and mmap fails with EPROTO until a HELLO succeeded on the fd.
 *  3. optionally RS_KMOD_IOC_SET_RING: slot count and watermark. Allowed only
 *     while no group is enabled and no ring is mapped (EBUSY otherwise);
 *     reallocates fresh, empty rings and zeroes the attempt counters.
 *  4. RS_KMOD_IOC_GET_GEOMETRY, then mmap(MAP_SHARED, PROT_READ|PROT_WRITE)
 *     of rings [i, j): offset i * ring_bytes, length (j - i) * ring_bytes.
 *     Ring i belongs to cpu i; its layout is include/ringscope/ring.h.
 *  5. RS_KMOD_IOC_ENABLE / RS_KMOD_IOC_DISABLE probe groups.
 *  6. poll(POLLIN): readable while some ring holds watermark or more
 *     records; producers wake sleepers through the ring's armed flag
 *     (ring.h, "Doorbell"), from an irq_work, never from the tracepoint.
 *     RS_KMOD_IOC_SET_POLL_RINGS narrows that to some rings.
 *
 * Watchers: any number of read-only opens (O_RDONLY) besides the consumer.
 * A drain worker that owns some rings opens one as its own doorbell and
 * sets its poll rings, so it is not woken for rings of other workers; a
 * monitor maps the rings PROT_READ to show counters. Watchers may HELLO,
 * GET_GEOMETRY, GET_STATS, SET_POLL_RINGS, map read-only and poll; the
 * other ioctls and writable mappings fail with EPERM.
 *
 * Every argument struct has reserved fields that must be zero (EINVAL
 * otherwise), so they can gain meaning without a new ioctl number. Bump
 * RS_KMOD_API_VERSION on any incompatible change of this file.
 */
#ifndef RINGSCOPE_KMOD_UAPI_H
#define RINGSCOPE_KMOD_UAPI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define RS_KMOD_DEVICE_NAME	"ringscope"
#define RS_KMOD_DEVICE_PATH	"/dev/ringscope"
#define RS_KMOD_API_VERSION	1

/*
 * Slot counts the module accepts: ring.h's minimum, and at most 2^20 slots
 * (64 MiB per cpu) because each ring is one vmalloc area per cpu.
 */
#define RS_KMOD_MIN_ORDER	6
#define RS_KMOD_MAX_ORDER	20
#define RS_KMOD_DEFAULT_ORDER	12	/* 4096 slots, 256 KiB, as BPF */

/* Probe groups: bits of rs_kmod_groups.groups. */
enum rs_kmod_group {
	RS_KMOD_GROUP_SCHED = 1 << 0,	/* switch, wakeup(_new), exec, exit */
	RS_KMOD_GROUP_BLOCK = 1 << 1,	/* rq issue, complete, error */
	RS_KMOD_GROUP_TCP = 1 << 2,	/* retransmit, state change */
};

#define RS_KMOD_GROUPS_ALL	(RS_KMOD_GROUP_SCHED | RS_KMOD_GROUP_BLOCK | \
				 RS_KMOD_GROUP_TCP)

struct rs_kmod_hello {
	__u32 api_version;	/* in: RS_KMOD_API_VERSION; out: module's */
	__u32 ring_abi_version;	/* in: RS_RING_ABI_VERSION; out: module's */
	__u32 record_size;	/* in: RS_RECORD_SIZE; out: module's */
	__u32 reserved;		/* zero */
};

struct rs_kmod_geometry {
	__u32 nrings;		/* rings = possible cpu ids (nr_cpu_ids) */
	__u32 order;		/* log2 of slots per ring */
	__u32 watermark;	/* doorbell threshold, records */
	__u32 groups_enabled;	/* RS_KMOD_GROUP_* now enabled */
	__u32 groups_available;	/* groups whose tracepoints all exist */
	__u32 reserved0;
	__u64 ring_bytes;	/* stride between rings in the mapping */
	__u64 map_bytes;	/* nrings * ring_bytes */
	__u64 reserved1[2];
};

struct rs_kmod_ring_config {
	__u32 order;		/* RS_KMOD_MIN_ORDER..RS_KMOD_MAX_ORDER */
	__u32 watermark;	/* 1..2^order, 0 = half the ring */
	__u64 reserved[2];	/* zero */
};

struct rs_kmod_groups {
	__u32 groups;		/* RS_KMOD_GROUP_* */
	__u32 reserved;		/* zero */
};

/*
 * Counters since the rings were allocated, summed over cpus. attempts[t]:
 * records of type t the probes tried to emit, counted before the ring is
 * asked for a slot, so after a full drain sum(attempts) == sum over rings of
 * (consumed + dropped), independently of the ring's own counters. nested:
 * emits that began while another emit on the same cpu was between its
 * reserve and publish (an interrupt or NMI inside a probe), the case the
 * ring's CAS reservation exists for.
 */
#define RS_KMOD_STATS_TYPES	64	/* type ids below this are counted */

struct rs_kmod_stats {
	__u64 attempts[RS_KMOD_STATS_TYPES];
	__u64 nested;
	__u64 reserved[7];
};

/*
 * Self-test of the producer path, independent of tracepoints: the calling
 * task, kept on its cpu, emits `records` SELFTEST records (producer
 * RS_SELFTEST_BENCH) while, with timer_ns set, a pinned hrtimer emits more
 * from hard interrupt context every timer_ns (producer
 * RS_SELFTEST_PERF_EVENT), so emits nest. Each producer numbers its records
 * per cpu from 0 since the rings were allocated: a gap in seq is a drop.
 */
#define RS_KMOD_SELFTEST_MAX_RECORDS	(1U << 24)
#define RS_KMOD_SELFTEST_MIN_TIMER_NS	10000

struct rs_kmod_selftest {
	__u32 records;		/* in: 1..RS_KMOD_SELFTEST_MAX_RECORDS */
	__u32 timer_ns;		/* in: 0 (no timer) or >= MIN_TIMER_NS */
	__u64 loop_ns;		/* out: time the loop took */
	__u64 timer_records;	/* out: records the timer tried to emit */
	__u64 nested;		/* out: nested emits during the run */
	__u32 cpu;		/* out: cpu the loop ran on */
	__u32 reserved;		/* in: zero */
};

/* Rings a file's poll() considers: bit i of the u64 words = ring i. */
struct rs_kmod_poll_rings {
	__u64 mask;		/* user address of (nbits + 63) / 64 words */
	__u32 nbits;		/* must be geometry.nrings */
	__u32 reserved;		/* zero */
};

/* Same sizes on every ABI (no implicit padding), so no compat ioctls. */
_Static_assert(sizeof(struct rs_kmod_hello) == 16, "hello is 16 bytes");
_Static_assert(sizeof(struct rs_kmod_geometry) == 56, "geometry is 56 bytes");
_Static_assert(sizeof(struct rs_kmod_ring_config) == 24, "ring config is 24 bytes");
_Static_assert(sizeof(struct rs_kmod_groups) == 8, "groups is 8 bytes");
_Static_assert(sizeof(struct rs_kmod_stats) == 576, "stats is 576 bytes");
_Static_assert(sizeof(struct rs_kmod_selftest) == 40, "selftest is 40 bytes");
_Static_assert(sizeof(struct rs_kmod_poll_rings) == 16, "poll rings is 16 bytes");

#define RS_KMOD_IOC_MAGIC	0xb7

#define RS_KMOD_IOC_HELLO	_IOWR(RS_KMOD_IOC_MAGIC, 1, struct rs_kmod_hello)
#define RS_KMOD_IOC_GET_GEOMETRY _IOR(RS_KMOD_IOC_MAGIC, 2, struct rs_kmod_geometry)
#define RS_KMOD_IOC_SET_RING	_IOW(RS_KMOD_IOC_MAGIC, 3, struct rs_kmod_ring_config)
#define RS_KMOD_IOC_ENABLE	_IOW(RS_KMOD_IOC_MAGIC, 4, struct rs_kmod_groups)
#define RS_KMOD_IOC_DISABLE	_IOW(RS_KMOD_IOC_MAGIC, 5, struct rs_kmod_groups)
#define RS_KMOD_IOC_GET_STATS	_IOR(RS_KMOD_IOC_MAGIC, 6, struct rs_kmod_stats)
#define RS_KMOD_IOC_SELFTEST	_IOWR(RS_KMOD_IOC_MAGIC, 7, struct rs_kmod_selftest)
#define RS_KMOD_IOC_SET_POLL_RINGS _IOW(RS_KMOD_IOC_MAGIC, 8, struct rs_kmod_poll_rings)

#endif /* RINGSCOPE_KMOD_UAPI_H */
