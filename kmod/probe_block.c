// SPDX-License-Identifier: GPL-2.0
/* probe_block.c - block group: blk-mq request issue, completion and error. */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <trace/events/block.h>

#include "ringscope.h"

static void __maybe_unused rs_block_check_types(void)
{
	check_trace_callback_type_block_rq_issue(rs_probe_block_rq_issue);
	check_trace_callback_type_block_rq_complete(rs_probe_block_rq_complete);
	check_trace_callback_type_block_rq_error(rs_probe_block_rq_error);
}

/* Our stable flag bits from the kernel's version-dependent REQ_* bits. */
static __always_inline u8 rs_block_flags(blk_opf_t opf)
{
	u8 flags = 0;

	if (opf & REQ_SYNC)
		flags |= RS_BLK_F_SYNC;
	if (opf & REQ_META)
		flags |= RS_BLK_F_META;
	if (opf & REQ_FUA)
		flags |= RS_BLK_F_FUA;
	if (opf & REQ_PREFLUSH)
		flags |= RS_BLK_F_PREFLUSH;
	if (opf & REQ_RAHEAD)
		flags |= RS_BLK_F_RAHEAD;
	return flags;
}

static __always_inline void rs_emit_rq(u32 type, struct request *rq,
				       unsigned int nr_bytes, int error)
{
	struct gendisk *disk = rq->q->disk;
	dev_t dev = disk ? disk_devt(disk) : 0;
	blk_opf_t opf = rq->cmd_flags;
	struct rs_block_rq *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, type);
	if (!p)
		return;
	p->major = MAJOR(dev);
	p->minor = MINOR(dev);
	p->sector = blk_rq_pos(rq);
	p->rq_id = rs_obj_id((unsigned long)rq);
	p->nr_bytes = nr_bytes;
	p->error = error;
	p->cmd_flags = (__force u32)opf;
	p->op = (__force u8)req_op(rq);
	p->flags = rs_block_flags(opf);
	p->reserved = 0;
	p->io_start_ns = rq->io_start_time_ns;
	/* the three block types share one layout and one version */
	rs_emit_end(&e, RS_REC_BLOCK_RQ_ISSUE_VERSION);
}

void rs_probe_block_rq_issue(void *data, struct request *rq)
{
	rs_emit_rq(RS_REC_BLOCK_RQ_ISSUE, rq, blk_rq_bytes(rq), 0);
}

void rs_probe_block_rq_complete(void *data, struct request *rq,
				blk_status_t error, unsigned int nr_bytes)
{
	rs_emit_rq(RS_REC_BLOCK_RQ_COMPLETE, rq, nr_bytes,
		   blk_status_to_errno(error));
}

void rs_probe_block_rq_error(void *data, struct request *rq,
			     blk_status_t error, unsigned int nr_bytes)
{
	rs_emit_rq(RS_REC_BLOCK_RQ_ERROR, rq, nr_bytes,
		   blk_status_to_errno(error));
}
