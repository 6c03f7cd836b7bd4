/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ringbench.h - what ringbench.bpf.c and ringbench.c share. */
#ifndef RINGSCOPE_PERF_RINGBENCH_H
#define RINGSCOPE_PERF_RINGBENCH_H

/* Producer variants, one BPF program each, on the same tracepoint. */
enum bench_variant {
	BENCH_NONE = 0,		/* no program attached */
	BENCH_EMPTY,		/* program that filters and returns */
	BENCH_FILL,		/* builds the record on the stack, no transport */
	BENCH_RING,		/* ringscope per-CPU ring */
	BENCH_RINGBUF_NOWAKEUP,	/* BPF ringbuf, BPF_RB_NO_WAKEUP, polled */
	BENCH_RINGBUF_WAKEUP,	/* BPF ringbuf, default (adaptive) wake-ups */
	BENCH_PERFBUF,		/* perf buffer, bpf_perf_event_output */
	BENCH_VARIANTS,
};

/* Where the programs attach and what the caller does to trigger them. */
enum bench_trigger {
	TRIGGER_SYSCALL = 0,	/* tp_btf/sys_enter, getpgid() */
	TRIGGER_RENAME,		/* tp_btf/task_rename, prctl(PR_SET_NAME) */
	BENCH_TRIGGERS,
};

#endif
