/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sched_records.bpf.h - how BPF fills the sched and process records, field
 * for field as the kernel module does (kmod/probe_sched.c): shared by the
 * sched probe (bpf/sched.bpf.c) and the kmod byte-identity test's BPF twin
 * (tests/kmod/kmod_twin.bpf.c). Include after ring.bpf.h and
 * bpf_core_read.h.
 */
#ifndef RINGSCOPE_SCHED_RECORDS_BPF_H
#define RINGSCOPE_SCHED_RECORDS_BPF_H

static __always_inline __u32 rs_parent_tgid(struct task_struct *p)
{
	return BPF_CORE_READ(p, real_parent, tgid);
}

static __always_inline void rs_sched_emit_switch(bool preempt,
						 struct task_struct *prev,
						 struct task_struct *next,
						 unsigned int prev_state)
{
	struct rs_sched_switch *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_SCHED_SWITCH);
	if (!r)
		return;
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
}

static __always_inline void rs_sched_emit_wakeup(struct task_struct *t, __u32 flags)
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

static __always_inline void rs_sched_emit_exec(struct task_struct *p, pid_t old_pid)
{
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct rs_proc_exec *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_PROC_EXEC);
	if (!r)
		return;
	r->pid = p->pid;
	r->tgid = p->tgid;
	r->old_pid = old_pid;
	r->ppid = rs_parent_tgid(p);
	r->uid = (__u32)uid_gid;
	r->gid = (__u32)(uid_gid >> 32);
	bpf_probe_read_kernel(r->comm, sizeof(r->comm), p->comm);
	r->cgroup_id = bpf_get_current_cgroup_id();
	rs_emit_end(&e);
}

static __always_inline void rs_sched_emit_exit(struct task_struct *p)
{
	struct rs_proc_exit *r;
	struct rs_emit e;

	r = rs_emit_begin(&e, RS_REC_PROC_EXIT);
	if (!r)
		return;
	r->pid = p->pid;
	r->tgid = p->tgid;
	r->ppid = rs_parent_tgid(p);
	r->exit_code = p->exit_code;
	bpf_probe_read_kernel(r->comm, sizeof(r->comm), p->comm);
	r->start_ns = p->start_time;
	r->flags = BPF_CORE_READ(p, signal, live.counter) ? 0 :
		   RS_EXIT_F_GROUP_DEAD;
	r->reserved = 0;
	rs_emit_end(&e);
}

#endif
