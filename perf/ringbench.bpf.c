// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringbench.bpf.c - the producers ringbench compares: on one tracepoint
 * (tp_btf/sys_enter, getpgid of the benchmark process), each program writes
 * the same 64-byte record (timestamp, cpu, type, tgid/pid, a selftest
 * payload with its checksum) into a different transport: the ringscope
 * ring, the BPF ringbuf with and without wake-ups, the perf buffer. An empty
 * program measures what attaching anything costs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"
#include "ringbench.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 target_tgid;
const volatile long target_syscall;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);	/* resized by the loader */
} bench_ringbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} bench_perf_events SEC(".maps");

/*
 * The programs, once per trigger: tp_btf/sys_enter filtered to getpgid()
 * of this process (the syscall path, which also pays for the kernel's
 * syscall-tracing slow path), and tp_btf/task_rename of this process
 * (prctl(PR_SET_NAME): a plain tracepoint with little around it).
 */
static __always_inline int selected_syscall(long id)
{
	return id == target_syscall &&
	       (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __always_inline int selected_rename(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

/* The record every transport carries. */
static __always_inline void fill(struct rs_record *r, __u64 ts, __u32 cpu)
{
	r->hdr.ts_cpu = rs_make_ts_cpu(ts, cpu);
	r->hdr.ctl = rs_make_ctl_pid_tgid(RS_REC_SELFTEST, RS_REC_SELFTEST_VERSION,
					  bpf_get_current_pid_tgid());
	rs_selftest_fill(&r->payload.rs_selftest, ts, RS_SELFTEST_BENCH, cpu);
}

static __always_inline int to_nothing(void)
{
	struct rs_record r;

	fill(&r, bpf_ktime_get_ns(), bpf_get_smp_processor_id());
	asm volatile("" :: "r"(&r) : "memory");	/* keep the stores */
	return 0;
}

static __always_inline int to_ring(void)
{
	struct rs_selftest *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_SELFTEST);
	if (!p)
		return 0;
	rs_selftest_fill(p, e.slot->hdr.ts_cpu & RS_TS_MASK, RS_SELFTEST_BENCH, e.cpu);
	rs_emit_end(&e);
	return 0;
}

static __always_inline int to_ringbuf(__u64 flags)
{
	struct rs_record *r;

	r = bpf_ringbuf_reserve(&bench_ringbuf, sizeof(*r), 0);
	if (!r)
		return 0;
	fill(r, bpf_ktime_get_ns(), bpf_get_smp_processor_id());
	bpf_ringbuf_submit(r, flags);
	return 0;
}

static __always_inline int to_perfbuf(void *ctx)
{
	struct rs_record r;

	fill(&r, bpf_ktime_get_ns(), bpf_get_smp_processor_id());
	bpf_perf_event_output(ctx, &bench_perf_events, BPF_F_CURRENT_CPU, &r, sizeof(r));
	return 0;
}

#define BENCH_PROGRAM(name, sec, cond, action)				\
SEC(sec)								\
int name(__u64 *ctx)							\
{									\
	return (cond) ? (action) : 0;					\
}

#define BENCH_PROGRAMS(trigger, sec, cond)					\
	BENCH_PROGRAM(trigger##_empty, sec, cond, 0)				\
	BENCH_PROGRAM(trigger##_fill, sec, cond, to_nothing())			\
	BENCH_PROGRAM(trigger##_ring, sec, cond, to_ring())			\
	BENCH_PROGRAM(trigger##_ringbuf_nowakeup, sec, cond,			\
		      to_ringbuf(BPF_RB_NO_WAKEUP))				\
	BENCH_PROGRAM(trigger##_ringbuf_wakeup, sec, cond, to_ringbuf(0))	\
	BENCH_PROGRAM(trigger##_perfbuf, sec, cond, to_perfbuf(ctx))

/* sys_enter(struct pt_regs *regs, long id): ctx[1] is the syscall number */
BENCH_PROGRAMS(syscall, "tp_btf/sys_enter", selected_syscall((long)ctx[1]))
BENCH_PROGRAMS(rename, "tp_btf/task_rename", selected_rename())
