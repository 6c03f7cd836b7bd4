// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * block.bpf.c - the block probe: one record per blk-mq request issue,
 * completion and error, byte-identical to the kernel module's (kmod/
 * probe_block.c), so the agent pairs issue and completion by rq_id and
 * builds exact latency histograms and per-direction counts itself; BPF
 * keeps no per-request map.
 *
 * rq_id = rs_obj_id(request address) as in the kmod: the verifier forbids
 * arithmetic on a kernel pointer, so the address is first copied through
 * bpf_probe_read_kernel into a plain number.
 * error: blk_status_t as a negative errno for the codes that have been
 * stable since 4.13 (BLK_STS_OK..BLK_STS_IOERR); later codes become -EIO.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* REQ_* bits of the running kernel's cmd_flags, by CO-RE enum relocation
 * (their positions moved across kernel versions) */
#define RS_REQ_OP_MASK		0xff
#define RS_REQ_BIT(name)	(1U << bpf_core_enum_value(enum req_flag_bits, name))

static __always_inline int status_to_errno(__u8 status)
{
	switch (status) {
	case 0: return 0;
	case 1: return -95;	/* BLK_STS_NOTSUPP: EOPNOTSUPP */
	case 2: return -110;	/* BLK_STS_TIMEOUT: ETIMEDOUT */
	case 3: return -28;	/* BLK_STS_NOSPC: ENOSPC */
	case 4: return -67;	/* BLK_STS_TRANSPORT: ENOLINK */
	case 5: return -121;	/* BLK_STS_TARGET: EREMOTEIO */
	case 6: return -52;	/* BLK_STS_NEXUS/RESV_CONFLICT: EBADE */
	case 7: return -61;	/* BLK_STS_MEDIUM: ENODATA */
	case 8: return -84;	/* BLK_STS_PROTECTION: EILSEQ */
	case 9: return -12;	/* BLK_STS_RESOURCE: ENOMEM */
	default: return -5;	/* BLK_STS_IOERR and later codes: EIO */
	}
}

static __always_inline __u8 our_flags(__u32 opf)
{
	__u8 flags = 0;

	if (opf & RS_REQ_BIT(__REQ_SYNC))
		flags |= RS_BLK_F_SYNC;
	if (opf & RS_REQ_BIT(__REQ_META))
		flags |= RS_BLK_F_META;
	if (opf & RS_REQ_BIT(__REQ_FUA))
		flags |= RS_BLK_F_FUA;
	if (opf & RS_REQ_BIT(__REQ_PREFLUSH))
		flags |= RS_BLK_F_PREFLUSH;
	if (opf & RS_REQ_BIT(__REQ_RAHEAD))
		flags |= RS_BLK_F_RAHEAD;
	return flags;
}

static __always_inline void emit_rq(__u32 type, struct request *rq,
				    __u32 nr_bytes, int error)
{
	struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
	__u32 dev = disk ? ((__u32)BPF_CORE_READ(disk, major) << 20) |
			   (__u32)BPF_CORE_READ(disk, first_minor) : 0;
	__u32 opf = BPF_CORE_READ(rq, cmd_flags);
	struct rs_block_rq *p;
	struct rs_emit e;
	__u64 addr;

	p = rs_emit_begin(&e, type);
	if (!p)
		return;
	bpf_probe_read_kernel(&addr, sizeof(addr), &rq);
	p->major = dev >> 20;
	p->minor = dev & ((1U << 20) - 1);
	p->sector = BPF_CORE_READ(rq, __sector);
	p->rq_id = rs_obj_id(addr);
	p->nr_bytes = nr_bytes;
	p->error = error;
	p->cmd_flags = opf;
	p->op = opf & RS_REQ_OP_MASK;
	p->flags = our_flags(opf);
	p->reserved = 0;
	p->io_start_ns = BPF_CORE_READ(rq, io_start_time_ns);
	/* the three block types share one layout and one version */
	rs_emit_end_version(&e, RS_REC_BLOCK_RQ_ISSUE_VERSION);
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(block_rq_issue, struct request *rq)
{
	emit_rq(RS_REC_BLOCK_RQ_ISSUE, rq, BPF_CORE_READ(rq, __data_len), 0);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	emit_rq(RS_REC_BLOCK_RQ_COMPLETE, rq, nr_bytes, status_to_errno(error));
	return 0;
}

SEC("tp_btf/block_rq_error")
int BPF_PROG(block_rq_error, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	emit_rq(RS_REC_BLOCK_RQ_ERROR, rq, nr_bytes, status_to_errno(error));
	return 0;
}
