/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ring.bpf.h - producer side of the per-CPU record rings for BPF programs.
 *
 * Include after vmlinux.h and <bpf/bpf_helpers.h>. A program writes one
 * record like this:
 *
 *	struct rs_emit e;
 *	struct rs_selftest *p = rs_emit_begin(&e, RS_REC_SELFTEST);
 *	if (!p)
 *		return 0;          // ring full: the drop is already counted
 *	p->seq = ...;              // fill the payload with plain stores
 *	rs_emit_end(&e);           // publish, maybe ring the doorbell
 *
 * Where the rings live: one BPF_F_MMAPABLE array map, rs_rings, with one
 * element per possible CPU; element i is CPU i's whole ring (header page +
 * slots). One map rather than one map per CPU because
 *  - the lookup is an inlined array index (no map-in-map indirection, which
 *    would cost a second lookup on every record),
 *  - the agent mmaps everything with one call and finds ring i at
 *    i * value_size (value_size is a page multiple, so rings stay page
 *    aligned),
 *  - every probe object shares the same rings through bpf_map__reuse_fd.
 * The value size and element count are set at load time (see
 * shm/bpf_rings.h), and rs_ring_order, the matching log2 of the slot count,
 * is a read-only global so the verifier sees a constant and can bound every
 * slot access against the value size.
 *
 * Doorbell: rs_doorbell is a one-page BPF ringbuf; a producer that finds its
 * ring at or past rs_ring_watermark while the consumer is armed writes its
 * cpu number there, which wakes the consumer's poll (epoll or io_uring).
 */
#ifndef RINGSCOPE_RING_BPF_H
#define RINGSCOPE_RING_BPF_H

#include <ringscope/ring.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(key_size, sizeof(__u32));
	/* no BTF value type, so the loader can resize it */
	__uint(value_size, RS_RING_BYTES(RS_RING_DEFAULT_ORDER));
	__uint(max_entries, 1);		/* set to the possible-CPU count */
} rs_rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rs_doorbell SEC(".maps");

const volatile __u32 rs_ring_order = RS_RING_DEFAULT_ORDER;
const volatile __u32 rs_ring_watermark = 1U << (RS_RING_DEFAULT_ORDER - 1);

struct rs_emit {
	struct rs_ring_header *ring;
	struct rs_record *slot;
	__u64 pos;
	__u32 cpu;
	__u32 type;
};

/*
 * Reserve a slot on this CPU's ring and stamp its time and cpu. Returns the
 * payload to fill, or NULL when the ring is full (drop counted).
 */
static __always_inline void *rs_emit_begin(struct rs_emit *e, __u32 type)
{
	__u64 nslots = 1ULL << rs_ring_order;
	__u64 ts = bpf_ktime_get_ns();

	e->cpu = bpf_get_smp_processor_id();
	e->type = type;
	e->ring = bpf_map_lookup_elem(&rs_rings, &e->cpu);
	if (!e->ring)
		return NULL;
	if (!rs_ring_reserve(e->ring, nslots, &e->pos))
		return NULL;
	e->slot = rs_ring_slots(e->ring) + (e->pos & (nslots - 1));
	e->slot->hdr.ts_cpu = rs_make_ts_cpu(ts, e->cpu);
	return &e->slot->payload;
}

/*
 * Publish with an explicit version and identity: pid_tgid as
 * bpf_get_current_pid_tgid() returns it, or the owner of the object the
 * record describes when that is not the current task (a socket's process).
 */
static __always_inline void rs_emit_publish(struct rs_emit *e, __u32 version,
					    __u64 pid_tgid)
{
	__u64 ctl = rs_make_ctl_pid_tgid(e->type, version, pid_tgid);

	rs_ring_publish(e->slot, e->pos, rs_ring_order, ctl);
	if (rs_ring_doorbell_due(e->ring, rs_ring_watermark))
		bpf_ringbuf_output(&rs_doorbell, &e->cpu, sizeof(e->cpu), 0);
}

/* Publish with an explicit version (for probes that emit old versions). */
static __always_inline void rs_emit_end_version(struct rs_emit *e,
						__u32 version)
{
	rs_emit_publish(e, version, bpf_get_current_pid_tgid());
}

/* Version table of record.h, indexed by type id. */
static __always_inline __u32 rs_record_type_version(__u32 type)
{
	switch (type) {
#define RS_X_CASE(name, id, version, tag) case id: return version;
	RS_RECORD_TYPES(RS_X_CASE)
#undef RS_X_CASE
	}
	return 0;
}

static __always_inline void rs_emit_end(struct rs_emit *e)
{
	rs_emit_end_version(e, rs_record_type_version(e->type));
}

/* Publish naming pid_tgid (tgid << 32 | pid) as the record's task. */
static __always_inline void rs_emit_end_as(struct rs_emit *e, __u64 pid_tgid)
{
	rs_emit_publish(e, rs_record_type_version(e->type), pid_tgid);
}

#endif /* RINGSCOPE_RING_BPF_H */
