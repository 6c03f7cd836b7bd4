// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_twin.bpf.c - BPF twins of ringscope.ko's probes (sched switch,
 * wakeup, exec, exit; block rq issue; tcp state), filling each payload from
 * the same kernel fields, for the byte-identity test in qemu: the kmod and
 * BPF records of one event must be equal byte for byte. Also the reference
 * for the BPF probes that will produce these record types.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET6_	10
#define IPPROTO_TCP_	6

/*
 * An object's address as a plain number for rs_obj_id(): the verifier
 * refuses arithmetic on a typed (BTF) pointer, so copy it through the
 * stack with a helper, which yields a scalar.
 */
static __always_inline __u64 addr_of(const void *ptr)
{
	__u64 addr = 0;

	bpf_probe_read_kernel(&addr, sizeof(addr), &ptr);
	return addr;
}

static __always_inline __u32 parent_tgid(struct task_struct *p)
{
	return BPF_CORE_READ(p, real_parent, tgid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(twin_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	struct rs_sched_switch *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_SCHED_SWITCH);
	if (!r)
		return 0;
	r->prev_pid = prev->pid;
	r->prev_tgid = prev->tgid;
	r->next_pid = next->pid;
	r->next_tgid = next->tgid;
	r->prev_prio = prev->prio;
	r->next_prio = next->prio;
	r->prev_state = prev_state;
	r->flags = preempt ? RS_SWITCH_F_PREEMPT : 0;
	bpf_probe_read_kernel(r->next_comm, sizeof(r->next_comm), next->comm);
	rs_emit_end(&e);
	return 0;
}

static __always_inline void emit_wakeup(struct task_struct *t, __u32 flags)
{
	struct rs_sched_wakeup *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_SCHED_WAKEUP);
	if (!r)
		return;
	r->pid = t->pid;
	r->tgid = t->tgid;
	r->prio = t->prio;
	/* task_cpu(): thread_info.cpu on x86 (CONFIG_THREAD_INFO_IN_TASK) */
	r->target_cpu = BPF_CORE_READ(t, thread_info.cpu);
	r->flags = flags;
	r->reserved0 = 0;
	bpf_probe_read_kernel(r->comm, sizeof(r->comm), t->comm);
	r->reserved1 = 0;
	rs_emit_end(&e);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(twin_wakeup, struct task_struct *p)
{
	emit_wakeup(p, 0);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(twin_wakeup_new, struct task_struct *p)
{
	emit_wakeup(p, RS_WAKEUP_F_NEW);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(twin_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct rs_proc_exec *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_PROC_EXEC);
	if (!r)
		return 0;
	r->pid = p->pid;
	r->tgid = p->tgid;
	r->old_pid = old_pid;
	r->ppid = parent_tgid(p);
	r->uid = (__u32)uid_gid;
	r->gid = (__u32)(uid_gid >> 32);
	bpf_probe_read_kernel(r->comm, sizeof(r->comm), p->comm);
	r->cgroup_id = bpf_get_current_cgroup_id();
	rs_emit_end(&e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(twin_exit, struct task_struct *p)
{
	struct rs_proc_exit *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_PROC_EXIT);
	if (!r)
		return 0;
	r->pid = p->pid;
	r->tgid = p->tgid;
	r->ppid = parent_tgid(p);
	r->exit_code = p->exit_code;
	bpf_probe_read_kernel(r->comm, sizeof(r->comm), p->comm);
	r->start_ns = p->start_time;
	r->flags = BPF_CORE_READ(p, signal, live.counter) ? 0 :
		   RS_EXIT_F_GROUP_DEAD;
	r->reserved = 0;
	rs_emit_end(&e);
	return 0;
}

static __always_inline __u8 blk_flags(__u32 opf)
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

/* blk_status_to_errno() of 6.1 (block/blk-core.c blk_errors[]). */
static __always_inline int blk_errno(__u8 status)
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

static __always_inline void emit_rq(__u32 type, struct request *rq,
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
	r->rq_id = rs_obj_id(addr_of(rq));
	r->nr_bytes = nr_bytes;
	r->error = error;
	r->cmd_flags = opf;
	r->op = opf & 0xff;	/* REQ_OP_MASK */
	r->flags = blk_flags(opf);
	r->reserved = 0;
	r->io_start_ns = rq->io_start_time_ns;
	rs_emit_end(&e);
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(twin_rq_issue, struct request *rq)
{
	emit_rq(RS_REC_BLOCK_RQ_ISSUE, rq, rq->__data_len, 0);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(twin_rq_complete, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	emit_rq(RS_REC_BLOCK_RQ_COMPLETE, rq, nr_bytes, blk_errno(error));
	return 0;
}

SEC("tp_btf/block_rq_error")
int BPF_PROG(twin_rq_error, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	emit_rq(RS_REC_BLOCK_RQ_ERROR, rq, nr_bytes, blk_errno(error));
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
