/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * collect.h - the host collectors: read /proc and /sys once per interval
 * (one io_uring batch) and emit rows of the gala-gopher tables system_cpu,
 * system_cpu_util, system_meminfo, system_dentry, system_iostat, nic, system_tcp,
 * system_udp, system_df and system_os, fields in .meta order
 * (agent/meta/system_*.meta).
 *
 * Rows are text, the shape of an extend-probe line |table|f1|...|fN|; an
 * empty field means "not measured here" (the ingestion treats it as absent).
 * Rate tables (system_cpu, system_cpu_util, system_iostat, nic, system_tcp,
 * system_udp) need two samples: the first call emits none of their rows.
 *
 * Threading: one collector is used by one thread at a time.
 */
#ifndef RINGSCOPE_COLLECT_H
#define RINGSCOPE_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One row of a table, fields in the table's .meta order (keys, labels,
 * metrics), as text — the same shape as an extend-probe line |table|f1|...|fN| */
typedef void (*rs_row_fn)(void *ctx, const char *table, const char *const *fields,
			  unsigned int nfields);

struct rs_collector;	/* opaque state (previous samples for rates) */

/* proc_root/sys_root: "/proc" and "/sys", or fixture trees. NULL means the
 * default. Returns NULL with a message in err on failure. */
struct rs_collector *rs_collector_new(const char *proc_root, const char *sys_root,
				      char *err, size_t errlen);
/* Reads everything once (one io_uring batch inside), emits rows. now_ns is
 * a monotonic timestamp used for rates. Returns the number of rows emitted,
 * or -1 if nothing could be read at all. Bad input never stops it: a bad
 * line is skipped, logged with file, line and reason, and counted. */
int rs_collector_collect(struct rs_collector *c, uint64_t now_ns, rs_row_fn emit, void *ctx);
void rs_collector_free(struct rs_collector *c);

/* ---- options (call between new and the first collect) ------------------- */

/* Sub-collectors by name: "cpu", "mem", "disk", "nic", "net", "fs", "host"
 * (all on by default). Returns -1 for an unknown name. */
int rs_collector_enable(struct rs_collector *c, const char *name, bool on);

/* Root of /etc (machine-id, os-release); default "/etc". */
int rs_collector_set_etc_root(struct rs_collector *c, const char *etc_root);

/* Filesystem types system_df skips, comma or space separated, replacing the
 * default list (RS_FS_SKIP_DEFAULT). Returns -1 if the list is too long. */
#define RS_FS_SKIP_DEFAULT \
	"proc,sysfs,cgroup,cgroup2,bpf,tracefs,debugfs,devpts,mqueue," \
	"securityfs,pstore,configfs,fusectl,hugetlbfs,autofs,binfmt_misc," \
	"rpc_pipefs,nsfs,efivarfs,selinuxfs,ramfs,nfsd"
int rs_collector_set_fs_skip(struct rs_collector *c, const char *list);

/* nic: only physical devices (not under sys/devices/virtual/net, as
 * gala-gopher does) by default; true reports every device. */
void rs_collector_set_nic_all(struct rs_collector *c, bool all);

/* Caps on tracked entities; beyond them entities are dropped and counted.
 * Zero keeps the current value. Call before the first collect. */
struct rs_collect_caps {
	unsigned int cpus;	/* default 1024 */
	unsigned int disks;	/* default 256 */
	unsigned int nics;	/* default 256 */
	unsigned int mounts;	/* default 256 */
};
int rs_collector_set_caps(struct rs_collector *c, const struct rs_collect_caps *caps);

/* Force the plain read() path (tests, or to compare costs). */
void rs_collector_disable_io_uring(struct rs_collector *c);

/* Messages (parse errors naming file, line and reason; the io_uring
 * fallback reason). Default: stderr. */
typedef void (*rs_collect_log_fn)(void *ctx, const char *msg);
void rs_collector_set_log(struct rs_collector *c, rs_collect_log_fn fn, void *ctx);

/* ---- self-metrics -------------------------------------------------------- */

enum rs_collect_source {
	RS_SRC_STAT, RS_SRC_SOFTIRQS, RS_SRC_SOFTNET, RS_SRC_CPUINFO,
	RS_SRC_MEMINFO, RS_SRC_DISKSTATS, RS_SRC_NETDEV, RS_SRC_OPERSTATE,
	RS_SRC_MOUNTS, RS_SRC_STATFS, RS_SRC_HOST, RS_SRC_SNMP, RS_SRC_QDISC,
	RS_SRC_COUNT
};
const char *rs_collect_source_name(enum rs_collect_source s);

struct rs_collect_stats {
	uint64_t collections;
	uint64_t rows;
	uint64_t parse_errors[RS_SRC_COUNT];	/* malformed lines skipped */
	uint64_t read_errors[RS_SRC_COUNT];	/* file could not be read */
	uint64_t dropped_cpus, dropped_disks, dropped_nics, dropped_mounts;
	uint64_t counter_resets;	/* a counter went backwards: rebaselined */
	uint64_t last_cost_ns;		/* wall time of the last collect */
	uint64_t submits;		/* io_uring submissions made */
	bool io_uring;			/* batch reads through io_uring */
	char fallback_reason[128];	/* why not, if not */
};
void rs_collector_stats(const struct rs_collector *c, struct rs_collect_stats *out);

/* /etc/machine-id, else DMI product_uuid; "" if neither (after a collect). */
const char *rs_collector_machine_id(const struct rs_collector *c);

#endif /* RINGSCOPE_COLLECT_H */
