/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * collector_int.h - the collector's state, shared by collector.c (files,
 * batch, options) and the per-table row builders table_*.c.
 */
#ifndef RINGSCOPE_COLLECT_INT_H
#define RINGSCOPE_COLLECT_INT_H

#include "collect.h"
#include "netlink.h"
#include "rates.h"
#include "reader.h"
#include "sources.h"

#define RSC_ROOT_MAX	256
#define RSC_ROW_MAX	32	/* widest table: system_meminfo, 25 fields */
#define RSC_FIELD_MAX	32	/* a formatted number */
#define RSC_IP_REFRESH_NS (60ull * 1000000000ull)	/* addresses change rarely */

enum rsc_sub {
	RSC_SUB_CPU, RSC_SUB_MEM, RSC_SUB_DISK, RSC_SUB_NIC, RSC_SUB_NET, RSC_SUB_FS, RSC_SUB_HOST,
	RSC_SUB_COUNT
};

/* Files read every interval (per-NIC operstate files live in rsc_nic_state). */
enum rsc_fixed_file {
	RSC_F_STAT, RSC_F_SOFTIRQS, RSC_F_SOFTNET, RSC_F_CPUINFO, RSC_F_MEMINFO,
	RSC_F_DENTRY, RSC_F_DISKSTATS, RSC_F_NETDEV, RSC_F_SNMP, RSC_F_MOUNTS, RSC_F_HOSTNAME,
	RSC_F_OSRELEASE,
	RSC_F_COUNT
};

/* A row under construction: fields point into text[] or at constants. */
struct rsc_row {
	const char *f[RSC_ROW_MAX];
	char text[RSC_ROW_MAX][RSC_FIELD_MAX];
	unsigned int n;
};
void rsc_row_start(struct rsc_row *r);
void rsc_row_str(struct rsc_row *r, const char *s);	/* not copied */
void rsc_row_u64(struct rsc_row *r, uint64_t v);
void rsc_row_f2(struct rsc_row *r, double v);		/* "%.2f" */
void rsc_row_empty(struct rsc_row *r);			/* not measured here */

struct rsc_nic_state {
	char name[RSC_NAME_MAX];
	struct rsc_file operstate;
	bool physical;
	bool seen;		/* in the current /proc/net/dev */
	bool have_prev;
	struct rsc_nic prev;
	uint64_t prev_ns;
	int32_t ifindex;	/* sysfs ifindex, 0 if unknown: no qdisc figures */
	bool have_tc_prev;
	uint64_t tc_drops_prev, tc_overlimits_prev;
	uint32_t tc_handle_prev;	/* a replaced qdisc restarts its counters */
	char tc_kind_prev[16];
};

struct rs_collector {
	char proc_root[RSC_ROOT_MAX], sys_root[RSC_ROOT_MAX], etc_root[RSC_ROOT_MAX];
	bool enabled[RSC_SUB_COUNT];
	struct rs_collect_caps caps;
	bool nic_all, try_uring, started, real_proc;
	char fs_skip[512];
	rs_collect_log_fn log;
	void *log_ctx;
	char last_log[RS_SRC_COUNT][160];

	struct rsc_reader reader;
	struct rsc_file files[RSC_F_COUNT];
	struct rsc_file **batch;		/* fixed files + operstate files */
	struct rs_collect_stats stats;

	/* emission of the current collect */
	rs_row_fn emit;
	void *emit_ctx;
	unsigned int rows;

	/* cpu */
	unsigned long clk_tck;
	struct rsc_stat stat, stat_prev;
	bool stat_ok, have_stat_prev;
	uint64_t stat_prev_ns;
	struct rsc_cpu_extra *extra, *extra_prev;

	/* mem */
	struct rsc_meminfo mem;
	bool mem_ok;

	/* disk */
	struct rsc_disk_list disks, disks_prev;
	bool have_disks_prev;
	uint64_t disks_prev_ns;

	/* nic */
	struct rsc_nic_list nics;
	struct rsc_nic_state *nic_state;	/* caps.nics slots */
	unsigned int nnic_state;
	int nl_fd;			/* rtnetlink for qdisc stats; -1: none */
	bool nl_tried;
	uint32_t nl_seq;
	struct rsc_nl_buf nl;
	struct rsc_qdisc_list qdiscs;
	bool qdiscs_ok;

	/* net */
	struct rsc_snmp snmp_prev;
	bool have_snmp_prev;

	/* fs */
	struct rsc_mount_list mounts;	/* kept while the mount table is unchanged */
	bool mounts_fresh;		/* read in this batch */
	bool mounts_valid;		/* mounts holds a parsed table */

	/* host */
	char machine_id[128], os_version[256], hostname[256], kversion[256];
	char ip_addr[512];
	uint64_t ip_next_ns;		/* getifaddrs() at most every RSC_IP_REFRESH_NS */
	bool host_static_done, vm;
};

/* Log once per change of message for that source. */
void rsc_log(struct rs_collector *c, enum rs_collect_source src, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Account for a parser's result on file f: count and log skipped lines. */
void rsc_parsed(struct rs_collector *c, enum rs_collect_source src,
		const struct rsc_file *f, int rc, const struct rsc_perr *err);
void rsc_emit(struct rs_collector *c, const char *table, const struct rsc_row *row);

/* Per-table work after the batch: parse the files, emit rows. */
void rsc_table_cpu(struct rs_collector *c, uint64_t now_ns);
void rsc_table_mem(struct rs_collector *c);
void rsc_table_disk(struct rs_collector *c, uint64_t now_ns);
void rsc_table_nic(struct rs_collector *c, uint64_t now_ns);
void rsc_table_net(struct rs_collector *c);
void rsc_table_fs(struct rs_collector *c);
void rsc_table_host(struct rs_collector *c, uint64_t now_ns);

/* nic: operstate files to add to the next batch; returns how many. */
unsigned int rsc_nic_batch_files(struct rs_collector *c, struct rsc_file **out, unsigned int max);
/* fs: false if the (procfs) mount table is known unchanged since the last read */
bool rsc_mounts_changed(struct rs_collector *c);
/* host: files read once (machine-id, os-release, cpuinfo flags) */
void rsc_host_static(struct rs_collector *c);

#endif /* RINGSCOPE_COLLECT_INT_H */
