/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sources.h - the samples each /proc or /sys file parses into, and its pure
 * parser: text buffer in, struct out, no I/O, no allocation. Arrays are
 * owned by the caller and bounded (cap); entries past the cap are counted
 * in `dropped`. Every parser returns the number of malformed lines it
 * skipped (first one described in *err), or -1 if the file is unusable.
 */
#ifndef RINGSCOPE_COLLECT_SOURCES_H
#define RINGSCOPE_COLLECT_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define RSC_NAME_MAX	64	/* disk and nic names (kernel: 32 and 16) */
#define RSC_PATH_MAX	512	/* mount points and sources */
#define RSC_TYPE_MAX	32	/* filesystem type */

/* ---- /proc/stat ----------------------------------------------------------- */
/* Cumulative CPU time in USER_HZ ticks, the first 8 columns. */
struct rsc_cpu_times {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
};

struct rsc_stat_cpu {
	unsigned int cpu;		/* N of "cpuN" */
	struct rsc_cpu_times t;
};

struct rsc_stat {
	struct rsc_cpu_times total;	/* the "cpu" line */
	bool have_total;
	bool have_btime;
	uint64_t btime;			/* boot time, seconds since the epoch */
	struct rsc_stat_cpu *cpus;	/* caller's array, in file order */
	unsigned int ncpus, cap, dropped;
};
int rsc_parse_stat(const char *buf, size_t len, struct rsc_stat *out, struct rsc_perr *err);

/* ---- per-CPU extras: /proc/softirqs, /proc/net/softnet_stat, /proc/cpuinfo */
struct rsc_cpu_extra {
	uint64_t rcu, timer, sched, net_rx;	/* softirq counts */
	uint64_t backlog_drops, rps_count;	/* softnet_stat columns 2 and 10 */
	double mhz;
	bool have_softirqs, have_softnet, have_mhz;
};

/* Arrays indexed by CPU number, cap entries; CPUs beyond cap are dropped. */
int rsc_parse_softirqs(const char *buf, size_t len, struct rsc_cpu_extra *cpus,
		       unsigned int cap, unsigned int *dropped, struct rsc_perr *err);
int rsc_parse_softnet(const char *buf, size_t len, struct rsc_cpu_extra *cpus,
		      unsigned int cap, unsigned int *dropped, struct rsc_perr *err);
/* cpu MHz per processor; *hypervisor set if any "flags" line has it. */
int rsc_parse_cpuinfo(const char *buf, size_t len, struct rsc_cpu_extra *cpus,
		      unsigned int cap, unsigned int *dropped, bool *hypervisor,
		      struct rsc_perr *err);

/* ---- /proc/meminfo -------------------------------------------------------- */
enum rsc_mem_field {
	RSC_MEM_TOTAL, RSC_MEM_FREE, RSC_MEM_AVAILABLE, RSC_MEM_BUFFERS, RSC_MEM_CACHED,
	RSC_MEM_ACTIVE, RSC_MEM_INACTIVE, RSC_MEM_ACTIVE_ANON, RSC_MEM_INACTIVE_ANON,
	RSC_MEM_ACTIVE_FILE, RSC_MEM_INACTIVE_FILE, RSC_MEM_MLOCKED,
	RSC_MEM_SWAP_TOTAL, RSC_MEM_SWAP_FREE, RSC_MEM_SHMEM, RSC_MEM_SLAB,
	RSC_MEM_SRECLAIMABLE, RSC_MEM_SUNRECLAIM, RSC_MEM_KERNEL_STACK,
	RSC_MEM_PAGE_TABLES, RSC_MEM_VMALLOC_USED, RSC_MEM_HUGEPAGES_TOTAL,
	RSC_MEM_HUGEPAGESIZE,
	RSC_MEM_COUNT
};

struct rsc_meminfo {
	uint64_t v[RSC_MEM_COUNT];	/* kB, except HugePages_Total (pages) */
	uint32_t have;			/* bit i: v[i] was in the file */
};
_Static_assert(RSC_MEM_COUNT <= 32, "have is a 32-bit mask");
int rsc_parse_meminfo(const char *buf, size_t len, struct rsc_meminfo *out, struct rsc_perr *err);
const char *rsc_mem_field_name(enum rsc_mem_field f);	/* "MemTotal" ... */

/* ---- /proc/diskstats ------------------------------------------------------ */
struct rsc_disk {
	char name[RSC_NAME_MAX];
	uint32_t major, minor;
	uint64_t rd_ios, rd_merges, rd_sectors, rd_ticks;	/* ticks: ms */
	uint64_t wr_ios, wr_merges, wr_sectors, wr_ticks;
	uint64_t in_flight, io_ticks, time_in_queue;
};

struct rsc_disk_list {
	struct rsc_disk *v;
	unsigned int n, cap, dropped;
};
int rsc_parse_diskstats(const char *buf, size_t len, struct rsc_disk_list *out, struct rsc_perr *err);

/* ---- /proc/net/dev -------------------------------------------------------- */
struct rsc_nic {
	char name[RSC_NAME_MAX];
	uint64_t rx_bytes, rx_packets, rx_errs, rx_dropped;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_dropped;
};

struct rsc_nic_list {
	struct rsc_nic *v;
	unsigned int n, cap, dropped;
};
int rsc_parse_netdev(const char *buf, size_t len, struct rsc_nic_list *out, struct rsc_perr *err);

/* ---- /proc/net/snmp ------------------------------------------------------ */
enum rsc_snmp_field {
	RSC_SNMP_TCP_CURR_ESTAB, RSC_SNMP_TCP_IN_SEGS, RSC_SNMP_TCP_OUT_SEGS,
	RSC_SNMP_TCP_RETRANS_SEGS, RSC_SNMP_TCP_IN_ERRS,
	RSC_SNMP_UDP_IN_DATAGRAMS, RSC_SNMP_UDP_OUT_DATAGRAMS,
	RSC_SNMP_COUNT
};

struct rsc_snmp {
	uint64_t v[RSC_SNMP_COUNT];
	uint32_t have;			/* bit i: v[i] was in the file */
};
int rsc_parse_snmp(const char *buf, size_t len, struct rsc_snmp *out, struct rsc_perr *err);

/* ---- rtnetlink qdisc dump (binary) -------------------------------------- */
struct rsc_qdisc {
	int32_t ifindex;
	uint32_t handle;
	char kind[16];
	uint64_t qlen, backlog, drops, overlimits;	/* 32-bit in the kernel */
	uint64_t ecn_mark;				/* fq_codel only */
	bool have_stats, have_ecn;
};

struct rsc_qdisc_list {
	struct rsc_qdisc *v;
	unsigned int n, cap, dropped;
};
/* Root qdiscs only (parent TC_H_ROOT). "Lines" in errors are message numbers. */
int rsc_parse_qdisc(const void *buf, size_t len, struct rsc_qdisc_list *out, struct rsc_perr *err);

/* ---- /proc/self/mounts ---------------------------------------------------- */
struct rsc_mount {
	char source[RSC_PATH_MAX];	/* octal escapes (\040 ...) decoded */
	char dir[RSC_PATH_MAX];
	char type[RSC_TYPE_MAX];
	bool ro;
};

struct rsc_mount_list {
	struct rsc_mount *v;
	unsigned int n, cap, dropped;
};
int rsc_parse_mounts(const char *buf, size_t len, struct rsc_mount_list *out, struct rsc_perr *err);

/* ---- host: one-line files and /etc/os-release ----------------------------- */
/* The first line, blanks trimmed, into dst; -1 if empty or too long. */
int rsc_parse_oneline(const char *buf, size_t len, char *dst, size_t cap);
/* PRETTY_NAME (quotes removed) into dst; -1 if absent. */
int rsc_parse_os_release(const char *buf, size_t len, char *dst, size_t cap);

/* /proc/sys/fs/dentry-state: nr_dentry nr_unused age_limit ... */
struct rsc_dentry_state {
	uint64_t dentry, unused, age_limit;
};
int rsc_parse_dentry_state(const char *buf, size_t len, struct rsc_dentry_state *out,
			   struct rsc_perr *err);

#endif /* RINGSCOPE_COLLECT_SOURCES_H */
