// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringtest.bpf.c - producers for the ring's real-BPF tests: tracepoint
 * programs writing one selftest record per getpgid() call of the test
 * process, and a perf_event program writing one per sample on every CPU.
 *
 * Nesting: a perf_event program never runs inside a classic tracepoint
 * (or kprobe) program, because both take the per-CPU bpf_prog_active guard
 * (kernel/events/core.c bpf_overflow_handler, kernel/trace/bpf_trace.c
 * trace_call_bpf) and the sample is skipped instead. BTF-enabled raw
 * tracepoints (tp_btf) only guard against themselves, so a cpu-clock
 * sample whose timer interrupt lands between reserve and publish of the
 * tp_btf program runs there, on the same ring: that is the nesting test.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"
#include "ringtest.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 target_tgid;
const volatile long target_syscall;	/* syscall number of getpgid */
/* busy-work between reserve and publish, widening the nesting window */
const volatile __u32 window_spins;
bool perf_enabled;


struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct producer_stats);
} stats SEC(".maps");

static __always_inline int emit(struct producer_stats *st, __u32 producer,
				int widen)
{
	struct rs_selftest *p;
	struct rs_emit e;
	__u64 seq = st->attempts[producer]++;
	__u32 i;

	p = rs_emit_begin(&e, RS_REC_SELFTEST);
	if (!p)
		return 0;
	if (widen)
		st->in_window = 1;
	rs_selftest_fill(p, seq, producer, e.cpu);
	if (widen) {
		for (i = 0; i < 256 && i < window_spins; i++)
			asm volatile("" ::: "memory");
		st->in_window = 0;
	}
	rs_emit_end(&e);
	st->written[producer]++;
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int ringtest_getpgid(void *ctx)
{
	__u32 zero = 0;
	struct producer_stats *st;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	st = bpf_map_lookup_elem(&stats, &zero);
	if (st)
		emit(st, RS_SELFTEST_TRACEPOINT, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ringtest_sys_enter, struct pt_regs *regs, long id)
{
	__u32 zero = 0;
	struct producer_stats *st;

	if (id != target_syscall || (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	st = bpf_map_lookup_elem(&stats, &zero);
	if (st)
		emit(st, RS_SELFTEST_TRACEPOINT, 1);
	return 0;
}

SEC("perf_event")
int ringtest_sample(void *ctx)
{
	__u32 zero = 0;
	struct producer_stats *st;
	int nested;

	if (!perf_enabled)
		return 0;
	st = bpf_map_lookup_elem(&stats, &zero);
	if (!st)
		return 0;
	nested = st->in_window;
	if (nested)
		st->nested++;
	if (emit(st, RS_SELFTEST_PERF_EVENT, 0) && nested)
		st->nested_written++;
	return 0;
}
