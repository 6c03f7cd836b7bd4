/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* bpf_helpers_test.h - shared helpers of the real-BPF tests: skip reasons,
 * pinning, syscalls to trace, perf_event sampling. */
#ifndef RINGSCOPE_TESTS_BPF_HELPERS_TEST_H
#define RINGSCOPE_TESTS_BPF_HELPERS_TEST_H

#include <errno.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Why BPF tests cannot run here, or NULL when they can. */
static inline const char *bpf_test_skip_reason(void)
{
	if (geteuid() != 0)
		return "needs root to load BPF programs";
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "kernel has no BTF (/sys/kernel/btf/vmlinux)";
	if (access("/sys/kernel/tracing/events/syscalls/sys_enter_getpgid", F_OK) != 0 &&
	    access("/sys/kernel/debug/tracing/events/syscalls/sys_enter_getpgid", F_OK) != 0)
		return "syscall tracepoints not visible (mount tracefs on /sys/kernel/tracing)";
	return NULL;
}

static inline int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static inline void unpin(int ncpus)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < ncpus; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* The traced syscall: getpgid(0), bypassing any libc caching. */
static inline void traced_call(void)
{
	syscall(SYS_getpgid, 0);
}

static inline unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* cpu-clock sampling on one CPU, every period_ns of CPU time, all tasks. */
static inline int open_cpu_clock(int cpu, unsigned long long period_ns)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.sample_period = period_ns;
	return (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

#endif
