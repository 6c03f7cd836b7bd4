/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ringtest.h - what ringtest.bpf.c and its tests share: per-CPU counters. */
#ifndef RINGSCOPE_TESTS_RINGTEST_H
#define RINGSCOPE_TESTS_RINGTEST_H

struct producer_stats {
	__u64 attempts[3];	/* by enum rs_selftest_producer: 1 tp, 2 perf */
	__u64 written[3];
	__u64 in_window;	/* tracepoint program between reserve/publish */
	__u64 nested;		/* perf samples that landed in that window */
	__u64 nested_written;	/* ... and still got a slot */
};

#endif
