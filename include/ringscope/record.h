/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * record.h - the 64-byte record every producer (BPF, kmod, user space) writes
 * into a ring slot, and the table of record types.
 *
 * Shared ABI: compiled by clang -target bpf, by the kernel and by user space.
 * No libc, fixed-width types only, little-endian, naturally aligned.
 *
 * Layout (one cache line):
 *
 *   offset  0  __u64 ts_cpu   bits  0..47 timestamp (ktime ns, low 48 bits)
 *                             bits 48..63 cpu the producer ran on
 *   offset  8  __u64 ctl      the publication word, stored LAST by the producer
 *                             with an atomic exchange:
 *                             bits  0..7  lap tag (ring.h: which lap of the
 *                                         ring this slot was written in)
 *                             bits  8..15 record type (enum rs_record_type)
 *                             bits 16..19 payload version of that type
 *                             bits 20..41 tgid
 *                             bits 42..63 pid (thread id)
 *   offset 16  48-byte payload union, one struct per record type.
 *
 * Why packed words: the ring protocol needs the slot's sequence inside the
 * slot (a separate sequence array would cost a second cache line per record)
 * and the header is 16 bytes. So the timestamp keeps its low 48 bits (78 h of
 * nanoseconds); the consumer restores the high bits from its own clock with
 * rs_ts_restore(), exact for any record younger than 39 h. pid and tgid take
 * 22 bits each, which is exact: the kernel caps pid_max at PID_MAX_LIMIT =
 * 4 * 1024 * 1024 = 2^22 on 64-bit (include/linux/threads.h), so every pid is
 * below 2^22. Storing type, tgid and pid in the publication word means the
 * producer's last store carries the identity and the consumer reads it with
 * the same acquire load that proves the slot is complete.
 *
 * Adding a record type: define its payload struct below (exactly 48 bytes,
 * with _Static_asserts), add one line to RS_RECORD_TYPES. Bump a type's
 * version when its payload changes meaning; decoders check it.
 */
#ifndef RINGSCOPE_RECORD_H
#define RINGSCOPE_RECORD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define RS_RECORD_SIZE		64
#define RS_RECORD_HEADER_SIZE	16
#define RS_RECORD_PAYLOAD_SIZE	48

#define RS_TS_BITS		48
#define RS_TS_MASK		((1ULL << RS_TS_BITS) - 1)
#define RS_CPU_SHIFT		48

#define RS_CTL_TAG_SHIFT	0
#define RS_CTL_TYPE_SHIFT	8
#define RS_CTL_VERSION_SHIFT	16
#define RS_CTL_TGID_SHIFT	20
#define RS_CTL_PID_SHIFT	42
#define RS_CTL_TAG_MASK		0xffULL
#define RS_CTL_TYPE_MASK	0xffULL
#define RS_CTL_VERSION_MASK	0xfULL
#define RS_PID_BITS		22
#define RS_PID_MASK		((1ULL << RS_PID_BITS) - 1)

/* ---- payloads: exactly 48 bytes each ---------------------------------- */

/*
 * selftest: written by the ring's own tests and benchmarks. Every field is
 * covered by check = rs_selftest_check(), so a torn or mixed-up record is
 * caught.
 */
struct rs_selftest {
	__u64 seq;		/* per-(cpu, producer) sequence number */
	__u32 producer;		/* enum rs_selftest_producer */
	__u32 cpu;		/* cpu the producer ran on */
	__u64 value[3];		/* filler derived from seq */
	__u64 check;		/* checksum of the fields above */
};

enum rs_selftest_producer {
	RS_SELFTEST_TRACEPOINT = 1,
	RS_SELFTEST_PERF_EVENT = 2,
	RS_SELFTEST_USER = 3,
	RS_SELFTEST_BENCH = 4,
};

/* pad: a reserved slot that carries nothing (producer abandoned it). */
struct rs_pad {
	__u64 unused[6];
};

/*
 * The table of record types: X(NAME, id, version, payload struct tag).
 * Ids are ABI: never reuse or renumber one.
 */
#define RS_RECORD_TYPES(X)			\
	X(PAD,		0x01, 1, rs_pad)	\
	X(SELFTEST,	0x02, 1, rs_selftest)

enum rs_record_type {
	RS_REC_NONE = 0,
#define RS_X_ENUM(name, id, version, tag) RS_REC_##name = id,
	RS_RECORD_TYPES(RS_X_ENUM)
#undef RS_X_ENUM
	RS_REC_MAX = 0xff,
};

enum rs_record_version {
#define RS_X_VER(name, id, version, tag) RS_REC_##name##_VERSION = version,
	RS_RECORD_TYPES(RS_X_VER)
#undef RS_X_VER
};

struct rs_record_header {
	__u64 ts_cpu;	/* timestamp low 48 bits | cpu << 48 */
	__u64 ctl;	/* publication word, see top of file */
};

struct rs_record {
	struct rs_record_header hdr;
	union {
		__u8 raw[RS_RECORD_PAYLOAD_SIZE];
#define RS_X_MEMBER(name, id, version, tag) struct tag tag;
		RS_RECORD_TYPES(RS_X_MEMBER)
#undef RS_X_MEMBER
	} payload;
} __attribute__((aligned(RS_RECORD_SIZE)));

#define RS_X_ASSERT(name, id, version, tag)				\
	_Static_assert(sizeof(struct tag) == RS_RECORD_PAYLOAD_SIZE,	\
		       "payload " #tag " must be 48 bytes");		\
	_Static_assert((version) <= RS_CTL_VERSION_MASK,		\
		       "version of " #tag " must fit 4 bits");		\
	_Static_assert((id) <= RS_CTL_TYPE_MASK, "type id must fit 8 bits");
RS_RECORD_TYPES(RS_X_ASSERT)
#undef RS_X_ASSERT

_Static_assert(sizeof(struct rs_record_header) == RS_RECORD_HEADER_SIZE,
	       "record header is 16 bytes");
_Static_assert(sizeof(struct rs_record) == RS_RECORD_SIZE,
	       "record is one 64-byte cache line");
_Static_assert(__builtin_offsetof(struct rs_record, hdr.ts_cpu) == 0,
	       "ts_cpu at 0");
_Static_assert(__builtin_offsetof(struct rs_record, hdr.ctl) == 8,
	       "ctl at 8");
_Static_assert(__builtin_offsetof(struct rs_record, payload) == 16,
	       "payload at 16");
_Static_assert(__builtin_offsetof(struct rs_selftest, check) == 40,
	       "selftest check at 40");
_Static_assert(RS_CTL_PID_SHIFT + RS_PID_BITS == 64, "ctl bits add up");
_Static_assert(RS_CTL_TGID_SHIFT + RS_PID_BITS == RS_CTL_PID_SHIFT,
	       "tgid sits below pid");

/* ---- header accessors (all pure, usable from BPF, kernel, user space) -- */

static inline __u64 rs_make_ts_cpu(__u64 ts_ns, __u32 cpu)
{
	return (ts_ns & RS_TS_MASK) | ((__u64)(cpu & 0xffff) << RS_CPU_SHIFT);
}

/* ctl without the lap tag; the ring ORs the tag in at publication. */
static inline __u64 rs_make_ctl(__u32 type, __u32 version, __u32 tgid,
				__u32 pid)
{
	return ((__u64)(type & RS_CTL_TYPE_MASK) << RS_CTL_TYPE_SHIFT) |
	       ((__u64)(version & RS_CTL_VERSION_MASK) << RS_CTL_VERSION_SHIFT) |
	       ((__u64)(tgid & RS_PID_MASK) << RS_CTL_TGID_SHIFT) |
	       ((__u64)(pid & RS_PID_MASK) << RS_CTL_PID_SHIFT);
}

/* Same from bpf_get_current_pid_tgid()'s tgid << 32 | pid. */
static inline __u64 rs_make_ctl_pid_tgid(__u32 type, __u32 version,
					 __u64 pid_tgid)
{
	return rs_make_ctl(type, version, (__u32)(pid_tgid >> 32),
			   (__u32)pid_tgid);
}

static inline __u32 rs_ctl_tag(__u64 ctl)
{
	return (__u32)(ctl & RS_CTL_TAG_MASK);
}

static inline __u32 rs_ctl_type(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_TYPE_SHIFT) & RS_CTL_TYPE_MASK);
}

static inline __u32 rs_ctl_version(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_VERSION_SHIFT) & RS_CTL_VERSION_MASK);
}

static inline __u32 rs_ctl_tgid(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_TGID_SHIFT) & RS_PID_MASK);
}

static inline __u32 rs_ctl_pid(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_PID_SHIFT) & RS_PID_MASK);
}

static inline __u32 rs_record_cpu(const struct rs_record *r)
{
	return (__u32)(r->hdr.ts_cpu >> RS_CPU_SHIFT);
}

/*
 * Restore a full 64-bit timestamp from its low 48 bits, given a reference
 * time on the same clock (the consumer's CLOCK_MONOTONIC, or a replay
 * file's capture time). Picks the value nearest the reference, so it is
 * exact for records up to 2^47 ns (39 h) either side of it.
 */
static inline __u64 rs_ts_restore(__u64 ts_cpu, __u64 ref_ns)
{
	__u64 low = ts_cpu & RS_TS_MASK;
	__u64 diff = (low - ref_ns) & RS_TS_MASK;	/* forward distance */

	if (diff & (1ULL << (RS_TS_BITS - 1)))		/* record is older */
		return ref_ns - (((ref_ns - low) & RS_TS_MASK));
	return ref_ns + diff;
}

/* Checksum of a selftest payload: every field contributes, order matters. */
static inline __u64 rs_selftest_check(const struct rs_selftest *p)
{
	__u64 h = 0x9e3779b97f4a7c15ULL;

	h = (h ^ p->seq) * 0x100000001b3ULL;
	h = (h ^ (((__u64)p->producer << 32) | p->cpu)) * 0x100000001b3ULL;
	h = (h ^ p->value[0]) * 0x100000001b3ULL;
	h = (h ^ p->value[1]) * 0x100000001b3ULL;
	h = (h ^ p->value[2]) * 0x100000001b3ULL;
	return h;
}

/* Fill a selftest payload for (seq, producer, cpu) deterministically. */
static inline void rs_selftest_fill(struct rs_selftest *p, __u64 seq,
				    __u32 producer, __u32 cpu)
{
	p->seq = seq;
	p->producer = producer;
	p->cpu = cpu;
	p->value[0] = seq * 0x9e3779b97f4a7c15ULL;
	p->value[1] = ~seq;
	p->value[2] = seq ^ ((__u64)cpu << 40) ^ ((__u64)producer << 56);
	p->check = rs_selftest_check(p);
}

#endif /* RINGSCOPE_RECORD_H */
