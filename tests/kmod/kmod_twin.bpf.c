// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_twin.bpf.c - BPF twins of ringscope.ko's probes (sched switch,
 * wakeup, exec, exit; block rq issue; tcp state) for the byte-identity test
 * in qemu: the kmod and BPF records of one event must be equal byte for
 * byte. The sched and block records are filled by the same code as the
 * production probes (bpf/sched_records.bpf.h, bpf/block_records.bpf.h);
 * the tcp twins stay here because the tcp probe names the socket's owner in
 * the header where the kmod names the current task.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"
#include "block_records.bpf.h"
#include "sched_records.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET6_	10
#define IPPROTO_TCP_	6

SEC("tp_btf/sched_switch")
int BPF_PROG(twin_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	rs_sched_emit_switch(preempt, prev, next, prev_state);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(twin_wakeup, struct task_struct *p)
{
	rs_sched_emit_wakeup(p, 0);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(twin_wakeup_new, struct task_struct *p)
{
	rs_sched_emit_wakeup(p, RS_WAKEUP_F_NEW);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(twin_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	rs_sched_emit_exec(p, old_pid);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(twin_exit, struct task_struct *p)
{
	rs_sched_emit_exit(p);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(twin_rq_issue, struct request *rq)
{
	rs_block_emit_rq(RS_REC_BLOCK_RQ_ISSUE, rq, rq->__data_len, 0);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(twin_rq_complete, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	rs_block_emit_rq(RS_REC_BLOCK_RQ_COMPLETE, rq, nr_bytes, rs_blk_errno(error));
	return 0;
}

SEC("tp_btf/block_rq_error")
int BPF_PROG(twin_rq_error, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	rs_block_emit_rq(RS_REC_BLOCK_RQ_ERROR, rq, nr_bytes, rs_blk_errno(error));
	return 0;
}

/* The socket part both tcp records share (same offsets). */
static __always_inline void fill_sock(const struct sock *sk, __u64 *sock_id,
				      __u16 *family_out, __u16 *sport,
				      __u16 *dport, __u8 *saddr, __u8 *daddr)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	*sock_id = bpf_get_socket_cookie((void *)sk);
	*family_out = family;
	*sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	*dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	__builtin_memset(saddr, 0, 16);
	__builtin_memset(daddr, 0, 16);
	if (family == AF_INET6_) {
		BPF_CORE_READ_INTO((struct in6_addr *)saddr, sk,
				   __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)daddr, sk,
				   __sk_common.skc_v6_daddr);
	} else {
		BPF_CORE_READ_INTO((__u32 *)saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)daddr, sk, __sk_common.skc_daddr);
	}
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(twin_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	struct rs_tcp_retransmit *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_TCP_RETRANSMIT);
	if (!r)
		return 0;
	fill_sock(sk, &r->sock_id, &r->family, &r->sport, &r->dport, r->saddr,
		  r->daddr);
	r->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	r->reserved = 0;
	rs_emit_end(&e);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(twin_tcp_state, const struct sock *sk, const int oldstate,
	     const int newstate)
{
	struct rs_tcp_state *r;
	struct rs_emit e;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP_)
		return 0;
	r = rs_emit_begin(&e, RS_REC_TCP_STATE);
	if (!r)
		return 0;
	fill_sock(sk, &r->sock_id, &r->family, &r->sport, &r->dport, r->saddr,
		  r->daddr);
	r->old_state = oldstate;
	r->new_state = newstate;
	rs_emit_end(&e);
	return 0;
}
