// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sched.bpf.c - the sched probe: one record per context switch, wakeup,
 * exec and exit, byte-identical to the kernel module's (kmod/
 * probe_sched.c; the filling is in sched_records.bpf.h). The agent derives
 * run-queue latency (wakeup or preemption to switch-in, per CPU and per
 * process), off-CPU time, context switches, migrations and the process
 * lifecycle from them; BPF keeps no per-task map.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"
#include "sched_records.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	rs_sched_emit_switch(preempt, prev, next, prev_state);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	rs_sched_emit_wakeup(p, 0);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	rs_sched_emit_wakeup(p, RS_WAKEUP_F_NEW);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	rs_sched_emit_exec(p, old_pid);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p)
{
	rs_sched_emit_exit(p);
	return 0;
}
