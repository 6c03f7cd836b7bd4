// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_collector.c - libFuzzer target for the whole collector: the input,
 * split at "\n@@\n", becomes the /proc files of a scratch root for two
 * consecutive samples, so the rate and row code meets arbitrary pairs.
 * Checks every row: its table's field count, a non-empty key, and no
 * negative, NaN or infinite metric.
 */
#include <assert.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect.h"

static const char *const files[] = {
	"proc/stat", "proc/softirqs", "proc/net/softnet_stat", "proc/cpuinfo", "proc/meminfo",
	"proc/diskstats", "proc/net/dev", "proc/net/snmp", "proc/sys/fs/dentry-state",
	"proc/sys/kernel/hostname", "etc/os-release",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static const struct { const char *table; unsigned int fields, first_metric; } tables[] = {
	{ "system_cpu", 17, 1 }, { "system_cpu_util", 2, 1 }, { "system_meminfo", 25, 1 },
	{ "system_dentry", 4, 1 }, { "system_iostat", 11, 1 }, { "nic", 16, 2 },
	{ "system_tcp", 6, 1 }, { "system_udp", 3, 1 }, { "system_os", 10, 9 },
};

static char root[64];

static void check_row(void *ctx, const char *table, const char *const *f, unsigned int n)
{
	(void)ctx;
	for (unsigned int t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		if (strcmp(tables[t].table, table) != 0)
			continue;
		assert(n == tables[t].fields);
		assert(f[0][0] != '\0');
		for (unsigned int i = tables[t].first_metric; i < n; i++)
			assert(f[i][0] != '-' && !strstr(f[i], "nan") && !strstr(f[i], "inf"));
		return;
	}
	assert(!"row of an unknown table");
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void put(const char *rel, const uint8_t *data, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);	/* in place: kept open */
	assert(fd >= 0);
	assert(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

/* Next piece of the input up to the separator. */
static size_t piece(const uint8_t **p, const uint8_t *end, const uint8_t **start)
{
	const uint8_t *s = *p;
	size_t len = (size_t)(end - s);

	for (size_t i = 0; i + 4 <= len; i++)
		if (memcmp(s + i, "\n@@\n", 4) == 0) {
			*start = s;
			*p = s + i + 4;
			return i;
		}
	*start = s;
	*p = end;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "proc", "proc/net", "proc/sys", "proc/sys/fs",
					    "proc/sys/kernel", "etc", "sys" };
	const uint8_t *p = data, *end = data + size, *s;
	char proc[96], sys[96], etc[96], err[256];
	struct rs_collector *c;

	if (!root[0]) {
		snprintf(root, sizeof(root), "/tmp/rs-fuzz-collector-%d", (int)getpid());
		mkdir(root, 0755);
		for (unsigned int i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			char d[160];

			snprintf(d, sizeof(d), "%s/%s", root, dirs[i]);
			mkdir(d, 0755);
		}
	}
	for (unsigned int i = 0; i < NFILES; i++)
		put(files[i], (const uint8_t *)"", 0);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(etc, sizeof(etc), "%s/etc", root);
	c = rs_collector_new(proc, sys, err, sizeof(err));
	assert(c);
	rs_collector_set_log(c, quiet, NULL);
	rs_collector_disable_io_uring(c);
	/* small caps: fast, and the drop paths run */
	assert(rs_collector_set_caps(c, &(struct rs_collect_caps){ 8, 8, 8, 8 }) == 0);
	rs_collector_enable(c, "fs", false);	/* statfs of arbitrary paths: not here */
	assert(rs_collector_set_etc_root(c, etc) == 0);
	for (int sample = 0; sample < 2; sample++) {
		for (unsigned int i = 0; i < NFILES; i++) {
			size_t len = piece(&p, end, &s);

			put(files[i], s, len);
		}
		rs_collector_collect(c, 1000000000ull * (uint64_t)(1 + sample), check_row, NULL);
	}
	rs_collector_free(c);
	return 0;
}
