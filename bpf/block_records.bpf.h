/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * block_records.bpf.h - how BPF fills the block request records, field for
 * field as the kernel module does (kmod/probe_block.c): shared by the block
 * probe (bpf/block.bpf.c) and the kmod byte-identity test's BPF twin.
 * Include after ring.bpf.h and bpf_core_read.h.
 */
#ifndef RINGSCOPE_BLOCK_RECORDS_BPF_H
#define RINGSCOPE_BLOCK_RECORDS_BPF_H

/*
 * An object's address as a plain number for rs_obj_id(): the verifier
 * refuses arithmetic on a typed (BTF) pointer, so copy it through the
 * stack with a helper, which yields a scalar.
 */
static __always_inline __u64 rs_addr_of(const void *ptr)
{
	__u64 addr = 0;

	bpf_probe_read_kernel(&addr, sizeof(addr), &ptr);
	return addr;
}

static __always_inline __u8 rs_blk_flags(__u32 opf)
{
	__u8 flags = 0;

	if (opf & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_SYNC)))
		flags |= RS_BLK_F_SYNC;
	if (opf & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_META)))
		flags |= RS_BLK_F_META;
	if (opf & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_FUA)))
		flags |= RS_BLK_F_FUA;
	if (opf & (1U << bpf_core_enum_value(enum req_flag_bits,
					     __REQ_PREFLUSH)))
		flags |= RS_BLK_F_PREFLUSH;
	if (opf & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_RAHEAD)))
		flags |= RS_BLK_F_RAHEAD;
	return flags;
}

/*
 * blk_status_to_errno() of 6.1 (block/blk-core.c blk_errors[]); codes up to
 * 10 (IOERR) have kept their values since 4.13, later ones moved.
 */
static __always_inline int rs_blk_errno(__u8 status)
{
	switch (status) {
	case 0: return 0;		/* OK */
	case 1: return -95;		/* NOTSUPP: EOPNOTSUPP */
	case 2: return -110;		/* TIMEOUT: ETIMEDOUT */
	case 3: return -28;		/* NOSPC */
	case 4: return -67;		/* TRANSPORT: ENOLINK */
	case 5: return -121;		/* TARGET: EREMOTEIO */
	case 6: return -52;		/* NEXUS: EBADE */
	case 7: return -61;		/* MEDIUM: ENODATA */
	case 8: return -84;		/* PROTECTION: EILSEQ */
	case 9: return -12;		/* RESOURCE: ENOMEM */
	case 10: return -5;		/* IOERR: EIO */
	case 11: return -78;		/* DM_REQUEUE: EREMCHG */
	case 12: return -11;		/* AGAIN */
	case 13: return -16;		/* DEV_RESOURCE: EBUSY */
	case 14: return 0;		/* ZONE_RESOURCE: a hole in the table */
	case 15: return -109;		/* ZONE_OPEN_RESOURCE: ETOOMANYREFS */
	case 16: return -75;		/* ZONE_ACTIVE_RESOURCE: EOVERFLOW */
	case 17: return -19;		/* OFFLINE: ENODEV */
	}
	return -5;			/* out of the table: EIO */
}

static __always_inline void rs_block_emit_rq(__u32 type, struct request *rq,
				    __u32 nr_bytes, int error)
{
	struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
	__u32 opf = rq->cmd_flags;
	struct rs_block_rq *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, type);
	if (!r)
		return;
	r->major = disk ? BPF_CORE_READ(disk, major) : 0;
	r->minor = disk ? BPF_CORE_READ(disk, first_minor) : 0;
	r->sector = rq->__sector;
	r->rq_id = rs_obj_id(rs_addr_of(rq));
	r->nr_bytes = nr_bytes;
	r->error = error;
	r->cmd_flags = opf;
	r->op = opf & 0xff;	/* REQ_OP_MASK */
	r->flags = rs_blk_flags(opf);
	r->reserved = 0;
	r->io_start_ns = rq->io_start_time_ns;
	rs_emit_end(&e);
}

#endif
