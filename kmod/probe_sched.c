// SPDX-License-Identifier: GPL-2.0
/* probe_sched.c - sched group: context switch, wakeup, exec and exit. */
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <trace/events/sched.h>

#include "ringscope.h"

/* Fails to build when a tracepoint's prototype no longer matches ours. */
static void __maybe_unused rs_sched_check_types(void)
{
	check_trace_callback_type_sched_switch(rs_probe_sched_switch);
	check_trace_callback_type_sched_wakeup(rs_probe_sched_wakeup);
	check_trace_callback_type_sched_wakeup_new(rs_probe_sched_wakeup_new);
	check_trace_callback_type_sched_process_exec(rs_probe_sched_process_exec);
	check_trace_callback_type_sched_process_exit(rs_probe_sched_process_exit);
	BUILD_BUG_ON(sizeof(current->comm) != RS_COMM_LEN);
}

/* tgid of the real parent, as BPF_CORE_READ(task, real_parent, tgid). */
static __always_inline u32 rs_parent_tgid(struct task_struct *p)
{
	u32 ppid;

	rcu_read_lock();
	ppid = rcu_dereference(p->real_parent)->tgid;
	rcu_read_unlock();
	return ppid;
}

void rs_probe_sched_switch(void *data, bool preempt, struct task_struct *prev,
			   struct task_struct *next, unsigned int prev_state)
{
	struct rs_sched_switch *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_SCHED_SWITCH);
	if (!p)
		return;
	p->prev_pid = prev->pid;
	p->prev_tgid = prev->tgid;
	p->next_pid = next->pid;
	p->next_tgid = next->tgid;
	p->prev_prio = prev->prio;
	p->next_prio = next->prio;
	p->prev_state = prev_state;
	p->flags = preempt ? RS_SWITCH_F_PREEMPT : 0;
	memcpy(p->next_comm, next->comm, RS_COMM_LEN);
	rs_emit_end(&e, RS_REC_SCHED_SWITCH_VERSION);
}

static __always_inline void rs_emit_wakeup(struct task_struct *t, u32 flags)
{
	struct rs_sched_wakeup *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_SCHED_WAKEUP);
	if (!p)
		return;
	p->pid = t->pid;
	p->tgid = t->tgid;
	p->prio = t->prio;
	p->target_cpu = task_cpu(t);
	p->flags = flags;
	p->reserved0 = 0;
	memcpy(p->comm, t->comm, RS_COMM_LEN);
	p->reserved1 = 0;
	rs_emit_end(&e, RS_REC_SCHED_WAKEUP_VERSION);
}

void rs_probe_sched_wakeup(void *data, struct task_struct *p)
{
	rs_emit_wakeup(p, 0);
}

void rs_probe_sched_wakeup_new(void *data, struct task_struct *p)
{
	rs_emit_wakeup(p, RS_WAKEUP_F_NEW);
}

void rs_probe_sched_process_exec(void *data, struct task_struct *t,
				 pid_t old_pid, struct linux_binprm *bprm)
{
	const struct cred *cred;
	struct rs_proc_exec *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_PROC_EXEC);
	if (!p)
		return;
	p->pid = t->pid;
	p->tgid = t->tgid;
	p->old_pid = old_pid;
	p->ppid = rs_parent_tgid(t);
	rcu_read_lock();
	/* kuid values are ids in the initial namespace, as BPF reports them */
	cred = rcu_dereference(t->cred);
	p->uid = __kuid_val(cred->uid);
	p->gid = __kgid_val(cred->gid);
	p->cgroup_id = cgroup_id(task_dfl_cgroup(t));
	rcu_read_unlock();
	memcpy(p->comm, t->comm, RS_COMM_LEN);
	rs_emit_end(&e, RS_REC_PROC_EXEC_VERSION);
}

void rs_probe_sched_process_exit(void *data, struct task_struct *t)
{
	struct rs_proc_exit *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_PROC_EXIT);
	if (!p)
		return;
	p->pid = t->pid;
	p->tgid = t->tgid;
	p->ppid = rs_parent_tgid(t);
	p->exit_code = t->exit_code;
	memcpy(p->comm, t->comm, RS_COMM_LEN);
	p->start_ns = t->start_time;
	/* do_exit() decremented signal->live before this tracepoint */
	p->flags = atomic_read(&t->signal->live) ? 0 : RS_EXIT_F_GROUP_DEAD;
	p->reserved = 0;
	rs_emit_end(&e, RS_REC_PROC_EXIT_VERSION);
}
