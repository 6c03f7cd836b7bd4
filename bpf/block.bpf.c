// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * block.bpf.c - the block probe: one record per blk-mq request issue,
 * completion and error, byte-identical to the kernel module's (kmod/
 * probe_block.c; the filling is in block_records.bpf.h), so the agent pairs
 * issue and completion by rq_id and builds exact latency histograms and
 * per-direction counts itself; BPF keeps no per-request map.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"
#include "block_records.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/block_rq_issue")
int BPF_PROG(block_rq_issue, struct request *rq)
{
	rs_block_emit_rq(RS_REC_BLOCK_RQ_ISSUE, rq, rq->__data_len, 0);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	rs_block_emit_rq(RS_REC_BLOCK_RQ_COMPLETE, rq, nr_bytes, rs_blk_errno(error));
	return 0;
}

SEC("tp_btf/block_rq_error")
int BPF_PROG(block_rq_error, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	rs_block_emit_rq(RS_REC_BLOCK_RQ_ERROR, rq, nr_bytes, rs_blk_errno(error));
	return 0;
}
