// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* collector.c - the host collector: options, the per-interval batch, dispatch to tables. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collector_int.h"

static const char *const sub_names[RSC_SUB_COUNT] = {
	[RSC_SUB_CPU] = "cpu", [RSC_SUB_MEM] = "mem", [RSC_SUB_DISK] = "disk",
	[RSC_SUB_NIC] = "nic", [RSC_SUB_NET] = "net", [RSC_SUB_FS] = "fs", [RSC_SUB_HOST] = "host",
};

static const char *const source_names[RS_SRC_COUNT] = {
	[RS_SRC_STAT] = "stat", [RS_SRC_SOFTIRQS] = "softirqs",
	[RS_SRC_SOFTNET] = "softnet_stat", [RS_SRC_CPUINFO] = "cpuinfo",
	[RS_SRC_MEMINFO] = "meminfo", [RS_SRC_DISKSTATS] = "diskstats",
	[RS_SRC_NETDEV] = "net/dev", [RS_SRC_OPERSTATE] = "operstate",
	[RS_SRC_MOUNTS] = "mounts", [RS_SRC_STATFS] = "statfs", [RS_SRC_HOST] = "host",
	[RS_SRC_SNMP] = "net/snmp", [RS_SRC_QDISC] = "qdisc",
};

/* The fixed files: where under which root, which source, needed by which subs. */
static const struct {
	const char *rel;
	bool sys;
	enum rs_collect_source src;
	unsigned int subs;	/* bit per enum rsc_sub */
} fixed_files[RSC_F_COUNT] = {
	[RSC_F_STAT] = { "stat", false, RS_SRC_STAT, 1u << RSC_SUB_CPU | 1u << RSC_SUB_HOST },
	[RSC_F_SOFTIRQS] = { "softirqs", false, RS_SRC_SOFTIRQS, 1u << RSC_SUB_CPU },
	[RSC_F_SOFTNET] = { "net/softnet_stat", false, RS_SRC_SOFTNET, 1u << RSC_SUB_CPU },
	[RSC_F_CPUINFO] = { "cpuinfo", false, RS_SRC_CPUINFO, 1u << RSC_SUB_CPU },
	[RSC_F_MEMINFO] = { "meminfo", false, RS_SRC_MEMINFO, 1u << RSC_SUB_MEM | 1u << RSC_SUB_HOST },
	[RSC_F_DENTRY] = { "sys/fs/dentry-state", false, RS_SRC_MEMINFO, 1u << RSC_SUB_MEM },
	[RSC_F_DISKSTATS] = { "diskstats", false, RS_SRC_DISKSTATS, 1u << RSC_SUB_DISK },
	[RSC_F_NETDEV] = { "net/dev", false, RS_SRC_NETDEV, 1u << RSC_SUB_NIC },
	[RSC_F_SNMP] = { "net/snmp", false, RS_SRC_SNMP, 1u << RSC_SUB_NET },
	[RSC_F_MOUNTS] = { "self/mounts", false, RS_SRC_MOUNTS, 1u << RSC_SUB_FS },
	[RSC_F_HOSTNAME] = { "sys/kernel/hostname", false, RS_SRC_HOST, 1u << RSC_SUB_HOST },
	[RSC_F_OSRELEASE] = { "sys/kernel/osrelease", false, RS_SRC_HOST, 1u << RSC_SUB_HOST },
};

const char *rs_collect_source_name(enum rs_collect_source s)
{
	return (unsigned int)s < RS_SRC_COUNT ? source_names[s] : "?";
}

static void log_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "ringscope: collect: %s\n", msg);
}

void rsc_log(struct rs_collector *c, enum rs_collect_source src, const char *fmt, ...)
{
	char msg[sizeof(c->last_log[0])];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strcmp(msg, c->last_log[src]) == 0)
		return;
	memcpy(c->last_log[src], msg, sizeof(msg));
	c->log(c->log_ctx, msg);
}

void rsc_parsed(struct rs_collector *c, enum rs_collect_source src,
		const struct rsc_file *f, int rc, const struct rsc_perr *err)
{
	if (err->count == 0)
		return;
	c->stats.parse_errors[src] += err->count;
	rsc_log(c, src, "%s:%u: %s%s (%u bad line%s)", f->path, err->line, err->msg,
		rc < 0 ? ", file ignored" : ", line skipped", err->count,
		err->count == 1 ? "" : "s");
}

void rsc_emit(struct rs_collector *c, const char *table, const struct rsc_row *row)
{
	c->emit(c->emit_ctx, table, row->f, row->n);
	c->rows++;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int set_root(char *dst, const char *src, const char *def)
{
	size_t len;

	if (!src)
		src = def;
	len = strlen(src);
	while (len > 1 && src[len - 1] == '/')
		len--;
	if (len == 0 || len >= RSC_ROOT_MAX)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

struct rs_collector *rs_collector_new(const char *proc_root, const char *sys_root,
				      char *err, size_t errlen)
{
	struct rs_collector *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "collector: out of memory");
		return NULL;
	}
	if (set_root(c->proc_root, proc_root, "/proc") || set_root(c->sys_root, sys_root, "/sys") ||
	    set_root(c->etc_root, NULL, "/etc")) {
		snprintf(err, errlen, "collector: root path empty or longer than %d", RSC_ROOT_MAX - 1);
		free(c);
		return NULL;
	}
	if (!is_dir(c->proc_root) || !is_dir(c->sys_root)) {
		const char *bad = is_dir(c->proc_root) ? c->sys_root : c->proc_root;

		snprintf(err, errlen, "collector: %s: not a directory", bad);
		free(c);
		return NULL;
	}
	for (int i = 0; i < RSC_SUB_COUNT; i++)
		c->enabled[i] = true;
	c->caps = (struct rs_collect_caps){ .cpus = 1024, .disks = 256, .nics = 256, .mounts = 256 };
	c->try_uring = true;
	c->real_proc = strcmp(c->proc_root, "/proc") == 0;
	snprintf(c->fs_skip, sizeof(c->fs_skip), "%s", RS_FS_SKIP_DEFAULT);
	c->log = log_stderr;
	c->nl_fd = -1;
	c->clk_tck = (unsigned long)sysconf(_SC_CLK_TCK);
	for (int i = 0; i < RSC_F_COUNT; i++)
		if (rsc_file_init(&c->files[i], fixed_files[i].sys ? c->sys_root : c->proc_root,
				  fixed_files[i].rel) < 0) {
			snprintf(err, errlen, "collector: path too long under %s", c->proc_root);
			free(c);
			return NULL;
		}
	return c;
}

static void free_arrays(struct rs_collector *c)
{
	free(c->stat.cpus);
	free(c->stat_prev.cpus);
	free(c->extra);
	free(c->extra_prev);
	free(c->disks.v);
	free(c->disks_prev.v);
	free(c->nics.v);
	if (c->nic_state)
		for (unsigned int i = 0; i < c->nnic_state; i++)
			rsc_file_fini(&c->nic_state[i].operstate);
	free(c->nic_state);
	free(c->mounts.v);
	free(c->batch);
	free(c->qdiscs.v);
	free(c->nl.buf);
}

void rs_collector_free(struct rs_collector *c)
{
	if (!c)
		return;
	for (int i = 0; i < RSC_F_COUNT; i++)
		rsc_file_fini(&c->files[i]);
	free_arrays(c);
	if (c->nl_fd >= 0)
		close(c->nl_fd);
	if (c->started)
		rsc_reader_fini(&c->reader);
	free(c);
}

/* First collect: allocate the bounded arrays, set up the reader. */
static int start(struct rs_collector *c)
{
	unsigned int cpus = c->caps.cpus, disks = c->caps.disks, nics = c->caps.nics;

	c->stat.cpus = calloc(cpus, sizeof(*c->stat.cpus));
	c->stat_prev.cpus = calloc(cpus, sizeof(*c->stat_prev.cpus));
	c->extra = calloc(cpus, sizeof(*c->extra));
	c->extra_prev = calloc(cpus, sizeof(*c->extra_prev));
	c->disks.v = calloc(disks, sizeof(*c->disks.v));
	c->disks_prev.v = calloc(disks, sizeof(*c->disks_prev.v));
	c->nics.v = calloc(nics, sizeof(*c->nics.v));
	c->nic_state = calloc(nics, sizeof(*c->nic_state));
	c->mounts.v = calloc(c->caps.mounts, sizeof(*c->mounts.v));
	c->batch = calloc(RSC_F_COUNT + nics, sizeof(*c->batch));
	c->qdiscs.v = calloc(nics, sizeof(*c->qdiscs.v));
	if (!c->stat.cpus || !c->stat_prev.cpus || !c->extra || !c->extra_prev ||
	    !c->disks.v || !c->disks_prev.v || !c->nics.v || !c->nic_state ||
	    !c->mounts.v || !c->batch || !c->qdiscs.v) {
		free_arrays(c);
		memset(&c->stat, 0, sizeof(c->stat));
		c->stat_prev.cpus = NULL;
		c->extra = c->extra_prev = NULL;
		c->disks.v = c->disks_prev.v = NULL;
		c->nics.v = NULL;
		c->nic_state = NULL;
		c->mounts.v = NULL;
		c->batch = NULL;
		c->qdiscs.v = NULL;
		return -1;
	}
	c->stat.cap = c->stat_prev.cap = cpus;
	c->disks.cap = c->disks_prev.cap = disks;
	c->nics.cap = nics;
	c->mounts.cap = c->caps.mounts;
	c->qdiscs.cap = nics;
	rsc_reader_init(&c->reader, 64, c->try_uring);
	c->stats.io_uring = c->reader.uring;
	snprintf(c->stats.fallback_reason, sizeof(c->stats.fallback_reason), "%s", c->reader.reason);
	if (!c->reader.uring) {
		char msg[192];

		snprintf(msg, sizeof(msg), "plain reads, no io_uring: %s", c->reader.reason);
		c->log(c->log_ctx, msg);
	}
	c->started = true;
	return 0;
}

static bool sub_wants(const struct rs_collector *c, unsigned int subs)
{
	for (int i = 0; i < RSC_SUB_COUNT; i++)
		if (c->enabled[i] && (subs & (1u << i)))
			return true;
	return false;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Parse the files several tables share: stat, cpuinfo, meminfo. */
static void parse_shared(struct rs_collector *c, const bool *want)
{
	struct rsc_perr err;
	struct rsc_file *f;
	int rc;

	c->stat_ok = false;
	f = &c->files[RSC_F_STAT];
	if (want[RSC_F_STAT] && f->fd >= 0 && !f->err) {
		rsc_perr_reset(&err);
		rc = rsc_parse_stat(f->buf, f->len, &c->stat, &err);
		rsc_parsed(c, RS_SRC_STAT, f, rc, &err);
		c->stat_ok = rc >= 0;
		c->stats.dropped_cpus += c->stat.dropped;
	}
	f = &c->files[RSC_F_CPUINFO];
	if (want[RSC_F_CPUINFO] && f->fd >= 0 && !f->err) {
		unsigned int dropped;

		for (unsigned int i = 0; i < c->caps.cpus; i++)
			c->extra[i].have_mhz = false;
		rsc_perr_reset(&err);
		bool hypervisor;

		rc = rsc_parse_cpuinfo(f->buf, f->len, c->extra, c->caps.cpus, &dropped,
				       &hypervisor, &err);
		rsc_parsed(c, RS_SRC_CPUINFO, f, rc, &err);
	}
	c->mem_ok = false;
	f = &c->files[RSC_F_MEMINFO];
	if (want[RSC_F_MEMINFO] && f->fd >= 0 && !f->err) {
		rsc_perr_reset(&err);
		rc = rsc_parse_meminfo(f->buf, f->len, &c->mem, &err);
		rsc_parsed(c, RS_SRC_MEMINFO, f, rc, &err);
		c->mem_ok = rc >= 0;
	}
}

int rs_collector_collect(struct rs_collector *c, uint64_t now_ns, rs_row_fn emit, void *ctx)
{
	bool want[RSC_F_COUNT];
	unsigned int n = 0, nfixed = 0, ok;
	uint64_t t0 = mono_ns();

	if (!c->started && start(c) < 0) {
		c->log(c->log_ctx, "collector: out of memory");
		return -1;
	}
	c->emit = emit;
	c->emit_ctx = ctx;
	c->rows = 0;
	for (int i = 0; i < RSC_F_COUNT; i++) {
		want[i] = sub_wants(c, fixed_files[i].subs);
		if (want[i] && i == RSC_F_MOUNTS && !rsc_mounts_changed(c))
			want[i] = false;	/* the parsed list is still right */
		if (want[i])
			c->batch[n++] = &c->files[i];
	}
	c->mounts_fresh = want[RSC_F_MOUNTS];
	nfixed = n;
	if (c->enabled[RSC_SUB_NIC])
		n += rsc_nic_batch_files(c, c->batch + n, c->caps.nics);
	if (c->enabled[RSC_SUB_HOST])
		rsc_host_static(c);

	ok = rsc_reader_read(&c->reader, c->batch, n);
	if (c->stats.io_uring && !c->reader.uring) {
		c->stats.io_uring = false;
		snprintf(c->stats.fallback_reason, sizeof(c->stats.fallback_reason), "%s",
			 c->reader.reason);
		rsc_log(c, RS_SRC_HOST, "io_uring failed, plain reads from now on: %s",
			c->reader.reason);
	}
	for (int i = 0; i < RSC_F_COUNT; i++) {
		struct rsc_file *f = &c->files[i];

		if (!want[i] || !f->err)
			continue;
		c->stats.read_errors[fixed_files[i].src]++;
		rsc_log(c, fixed_files[i].src, "cannot read %s: %s", f->path, strerror(f->err));
	}

	parse_shared(c, want);
	if (c->enabled[RSC_SUB_HOST])
		rsc_table_host(c, now_ns);	/* before cpu, which moves c->stat to the previous sample */
	if (c->enabled[RSC_SUB_CPU])
		rsc_table_cpu(c, now_ns);
	if (c->enabled[RSC_SUB_MEM])
		rsc_table_mem(c);
	if (c->enabled[RSC_SUB_DISK])
		rsc_table_disk(c, now_ns);
	if (c->enabled[RSC_SUB_NIC])
		rsc_table_nic(c, now_ns);
	if (c->enabled[RSC_SUB_NET])
		rsc_table_net(c);
	if (c->enabled[RSC_SUB_FS])
		rsc_table_fs(c);

	c->stats.collections++;
	c->stats.rows += c->rows;
	c->stats.submits = c->reader.submits;
	c->stats.last_cost_ns = mono_ns() - t0;
	if (nfixed > 0 && ok == 0)
		return -1;
	return (int)c->rows;
}

int rs_collector_enable(struct rs_collector *c, const char *name, bool on)
{
	for (int i = 0; i < RSC_SUB_COUNT; i++)
		if (strcmp(name, sub_names[i]) == 0) {
			c->enabled[i] = on;
			return 0;
		}
	return -1;
}

int rs_collector_set_etc_root(struct rs_collector *c, const char *etc_root)
{
	if (set_root(c->etc_root, etc_root, "/etc"))
		return -1;
	c->host_static_done = false;
	return 0;
}

int rs_collector_set_fs_skip(struct rs_collector *c, const char *list)
{
	if (strlen(list) >= sizeof(c->fs_skip))
		return -1;
	snprintf(c->fs_skip, sizeof(c->fs_skip), "%s", list);
	return 0;
}

void rs_collector_set_nic_all(struct rs_collector *c, bool all)
{
	c->nic_all = all;
}

int rs_collector_set_caps(struct rs_collector *c, const struct rs_collect_caps *caps)
{
	if (c->started)
		return -1;
	if (caps->cpus)
		c->caps.cpus = caps->cpus;
	if (caps->disks)
		c->caps.disks = caps->disks;
	if (caps->nics)
		c->caps.nics = caps->nics;
	if (caps->mounts)
		c->caps.mounts = caps->mounts;
	return 0;
}

void rs_collector_disable_io_uring(struct rs_collector *c)
{
	c->try_uring = false;
}

void rs_collector_set_log(struct rs_collector *c, rs_collect_log_fn fn, void *ctx)
{
	c->log = fn ? fn : log_stderr;
	c->log_ctx = fn ? ctx : NULL;
}

void rs_collector_stats(const struct rs_collector *c, struct rs_collect_stats *out)
{
	*out = c->stats;
}

const char *rs_collector_machine_id(const struct rs_collector *c)
{
	return c->machine_id;
}
