// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the collector on this machine's /proc and /sys, checked
 * against the same files read here: MemTotal, the cpuN lines, btime,
 * hostname, kernel release, machine-id, the NICs of /proc/net/dev, statfs
 * of /. Also prints what one collect costs, through io_uring and plain reads.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* Two collects 200 ms apart on the real roots; the rows of the second. */
static struct rs_collector *collect_twice(struct rows *rows, bool uring)
{
	char err[256];
	struct rs_collector *c = rs_collector_new("/proc", "/sys", err, sizeof(err));

	if (!c)
		fail_msg("rs_collector_new: %s", err);
	if (!uring)
		rs_collector_disable_io_uring(c);
	rs_collector_set_log(c, quiet, NULL);
	rows->n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, rows) > 0);
	usleep(200 * 1000);
	rows->n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, rows) > 0);
	return c;
}

static unsigned long long meminfo_kb(const char *key)
{
	char *text = slurp("/proc/meminfo", NULL), *p;
	unsigned long long v = 0;

	assert_non_null(text);
	p = strstr(text, key);
	assert_non_null(p);
	v = strtoull(p + strlen(key) + 1, NULL, 10);
	free(text);
	return v;
}

static unsigned int stat_cpu_lines(unsigned long long *btime)
{
	char *text = slurp("/proc/stat", NULL), *p;
	unsigned int n = 0;

	assert_non_null(text);
	for (p = text; (p = strstr(p, "\ncpu")); p++)
		n++;
	p = strstr(text, "\nbtime ");
	assert_non_null(p);
	*btime = strtoull(p + 7, NULL, 10);
	free(text);
	return n;
}

static void test_host_metrics_match_proc(void **state)
{
	static struct rows rows;
	struct rs_collector *c = collect_twice(&rows, true);
	const struct row *mem = find_row(&rows, "system_meminfo", NULL);
	const struct row *os = find_row(&rows, "system_os", NULL);
	unsigned long long btime, total = meminfo_kb("MemTotal");
	unsigned int ncpu = stat_cpu_lines(&btime);
	char num[32], host[256];
	struct utsname uts;
	char *machine_id;

	(void)state;
	/* mem total_kB equals MemTotal */
	assert_non_null(mem);
	snprintf(num, sizeof(num), "%llu", total);
	assert_string_equal(mem->f[1], num);
	/* one system_cpu row per cpuN line, and that is cpu_num */
	assert_int_equal(count_rows(&rows, "system_cpu"), ncpu);
	assert_non_null(os);
	snprintf(num, sizeof(num), "%u", ncpu);
	assert_string_equal(os->f[3], num);
	snprintf(num, sizeof(num), "%llu", total / 1024);
	assert_string_equal(os->f[4], num);
	snprintf(num, sizeof(num), "%llu", btime);
	assert_string_equal(os->f[8], num);
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	assert_string_equal(os->f[1], host);
	assert_int_equal(uname(&uts), 0);
	assert_string_equal(os->f[2], uts.release);
	machine_id = slurp("/etc/machine-id", NULL);
	if (machine_id) {
		machine_id[strcspn(machine_id, "\n")] = '\0';
		assert_string_equal(rs_collector_machine_id(c), machine_id);
		free(machine_id);
	}
	for (unsigned int i = 0; i < rows.n; i++) {
		const struct row *r = &rows.r[i];

		if (strcmp(r->table, "system_cpu") == 0) {
			double util = strtod(r->f[15], NULL);

			assert_true(util >= 0.0 && util <= 100.0);
		}
	}
	rs_collector_free(c);
}

static void test_nics_disks_fs_real(void **state)
{
	static struct rows rows;
	struct rs_collector *c = collect_twice(&rows, true);
	char *netdev = slurp("/proc/net/dev", NULL);
	char *diskstats = slurp("/proc/diskstats", NULL);
	const struct row *root = find_row(&rows, "system_df", "/");
	struct statfs s;

	(void)state;
	for (unsigned int i = 0; i < rows.n; i++) {
		const struct row *r = &rows.r[i];
		char name[80];

		if (strcmp(r->table, "nic") == 0) {
			snprintf(name, sizeof(name), " %s:", r->f[0]);
			assert_non_null(strstr(netdev, name));
			assert_true(strcmp(r->f[1], "UP") == 0 || strcmp(r->f[1], "DOWN") == 0);
		} else if (strcmp(r->table, "system_iostat") == 0) {
			snprintf(name, sizeof(name), " %s ", r->f[0]);
			assert_non_null(strstr(diskstats, name));
			assert_true(strtod(r->f[10], NULL) <= 100.0);
		}
	}
	if (access("/sys/class/net/eth0", F_OK) == 0 &&
	    access("/sys/devices/virtual/net/eth0", F_OK) != 0)
		assert_non_null(find_row(&rows, "nic", "eth0"));
	assert_null(find_row(&rows, "nic", "lo"));	/* virtual */
	assert_null(find_row(&rows, "system_df", "/proc"));
	assert_non_null(root);
	assert_int_equal(statfs("/", &s), 0);
	assert_true(strtoull(root->f[8], NULL, 10) ==
		    (unsigned long long)s.f_blocks * s.f_frsize / 1024);
	free(netdev);
	free(diskstats);
	rs_collector_free(c);
}

/* The mount table is re-read only when procfs flags a change: a new mount
 * must show up at the next collect, and go away after umount. */
static void test_mount_change_seen(void **state)
{
	static struct rows rows;
	struct rs_collector *c = collect_twice(&rows, true);
	char dir[] = "/tmp/rs-collect-mnt-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_null(find_row(&rows, "system_df", dir));
	if (mount("rs-collect-test", dir, "tmpfs", 0, "size=1m") != 0) {
		rmdir(dir);
		rs_collector_free(c);
		printf("skipped: mount tmpfs: %s\n", strerror(errno));
		skip();
	}
	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	assert_non_null(find_row(&rows, "system_df", dir));
	assert_string_equal(find_row(&rows, "system_df", dir)->f[2], "rs-collect-test");
	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	assert_non_null(find_row(&rows, "system_df", dir));	/* cached list */
	assert_int_equal(umount(dir), 0);
	rmdir(dir);
	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	assert_null(find_row(&rows, "system_df", dir));
	assert_non_null(find_row(&rows, "system_df", "/"));
	rs_collector_free(c);
}

static void test_io_uring_in_use(void **state)
{
	static struct rows rows;
	struct rs_collector *c;
	struct rs_collect_stats st;
	char *disabled = slurp("/proc/sys/kernel/io_uring_disabled", NULL);

	(void)state;
	if (disabled && atoi(disabled) != 0) {
		free(disabled);
		skip();	/* io_uring turned off by sysctl: the fallback is tested with fixtures */
	}
	free(disabled);
	c = collect_twice(&rows, true);
	rs_collector_stats(c, &st);
	if (!st.io_uring)
		fail_msg("io_uring not used: %s", st.fallback_reason);
	assert_true(st.submits >= 2);
	for (int s = 0; s < RS_SRC_COUNT; s++)
		if (st.parse_errors[s])
			fail_msg("%s: %llu parse errors on this machine", rs_collect_source_name(s),
				 (unsigned long long)st.parse_errors[s]);
	rs_collector_free(c);
}

/* What one interval costs, io_uring against plain reads (printed, not judged). */
static void test_cost(void **state)
{
	static struct rows rows;
	const int runs = 200;

	(void)state;
	for (int uring = 1; uring >= 0; uring--) {
		struct rs_collector *c = collect_twice(&rows, uring);
		struct rs_collect_stats st;
		uint64_t total = 0, best = UINT64_MAX;

		for (int i = 0; i < runs; i++) {
			rows.n = 0;
			assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
			rs_collector_stats(c, &st);
			total += st.last_cost_ns;
			if (st.last_cost_ns < best)
				best = st.last_cost_ns;
		}
		printf("cost of one collect (%s): mean %.1f us, best %.1f us, %u rows\n",
		       st.io_uring ? "io_uring batch" : "plain pread",
		       (double)total / runs / 1000.0, (double)best / 1000.0, rows.n);
		rs_collector_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_metrics_match_proc),
		cmocka_unit_test(test_nics_disks_fs_real),
		cmocka_unit_test(test_mount_change_seen),
		cmocka_unit_test(test_io_uring_in_use),
		cmocka_unit_test(test_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
