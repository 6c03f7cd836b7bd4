// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the whole collector against fixture roots: two samples
 * (fixtures/rates-a then rates-b, 10 s apart) give rows of every table in
 * .meta field order with hand-computed values; disks and NICs appearing,
 * disappearing or resetting; bad and missing files are logged with their
 * place and reason and the rest still reported; sub-collectors, caps, the
 * plain-read fallback, bad roots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

#define SEC 1000000000ull

struct fixture_state {
	char root[64];
	char proc[128], sys[128], etc[128];
	struct rs_collector *c;
	struct rows rows;
	char log[16][256];
	unsigned int nlog;
};

static void log_capture(void *ctx, const char *msg)
{
	struct fixture_state *f = ctx;

	if (f->nlog < 16)
		snprintf(f->log[f->nlog++], sizeof(f->log[0]), "%s", msg);
}

static bool logged(const struct fixture_state *f, const char *a, const char *b)
{
	for (unsigned int i = 0; i < f->nlog; i++)
		if (strstr(f->log[i], a) && (!b || strstr(f->log[i], b)))
			return true;
	return false;
}

static struct rs_collector *open_root(struct fixture_state *f, bool uring)
{
	char err[256];
	struct rs_collector *c = rs_collector_new(f->proc, f->sys, err, sizeof(err));

	if (!c)
		fail_msg("rs_collector_new: %s", err);
	assert_int_equal(rs_collector_set_etc_root(c, f->etc), 0);
	rs_collector_set_log(c, log_capture, f);
	if (!uring)
		rs_collector_disable_io_uring(c);
	return c;
}

static int setup(void **state)
{
	struct fixture_state *f = calloc(1, sizeof(*f));

	snprintf(f->root, sizeof(f->root), "/tmp/rs-collect-XXXXXX");
	if (!f || !mkdtemp(f->root) || copy_tree("rates-a", f->root) != 0)
		return -1;
	snprintf(f->proc, sizeof(f->proc), "%s/proc", f->root);
	snprintf(f->sys, sizeof(f->sys), "%s/sys", f->root);
	snprintf(f->etc, sizeof(f->etc), "%s/etc", f->root);
	f->c = open_root(f, true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture_state *f = *state;
	char cmd[128];

	rs_collector_free(f->c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int collect(struct fixture_state *f, uint64_t now)
{
	f->rows.n = 0;
	return rs_collector_collect(f->c, now, capture, &f->rows);
}

static void sample_b(struct fixture_state *f)
{
	assert_int_equal(copy_tree("rates-b", f->root), 0);
}

static void write_file(struct fixture_state *f, const char *rel, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->root, rel);
	fp = fopen(path, "w");	/* in place: the collector keeps files open */
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void assert_row(const struct row *r, const char *const *want, unsigned int n)
{
	assert_non_null(r);
	assert_int_equal(r->n, n);
	for (unsigned int i = 0; i < n; i++)
		if (strcmp(r->f[i], want[i]) != 0)
			fail_msg("%s field %u (%s): got \"%s\", want \"%s\"", r->table, i,
				 want[0], r->f[i], want[i]);
}

#define ROW(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)

/* Every row has its table's .meta field count; no metric is negative. */
static void assert_rows_match_meta(const struct rows *rows)
{
	static const struct { const char *table, *file; } metas[] = {
		{ "system_cpu", "system_cpu.meta" }, { "system_cpu_util", "system_cpu.meta" },
		{ "system_meminfo", "system_meminfo.meta" }, { "system_iostat", "system_disk.meta" },
		{ "system_df", "system_disk.meta" }, { "nic", "system_net.meta" },
		{ "system_tcp", "system_net.meta" }, { "system_udp", "system_net.meta" },
		{ "system_dentry", "system_meminfo.meta" },
		{ "system_os", "system_os.meta" },
	};
	char names[32][64];

	for (unsigned int i = 0; i < rows->n; i++) {
		const struct row *r = &rows->r[i];
		unsigned int want = 0;

		for (unsigned int m = 0; m < sizeof(metas) / sizeof(metas[0]); m++)
			if (strcmp(metas[m].table, r->table) == 0)
				want = meta_fields(metas[m].file, r->table, names, 32);
		if (want == 0)
			fail_msg("row of unknown table %s", r->table);
		assert_int_equal(r->n, want);
		assert_true(r->f[0][0] != '\0');	/* the key is never empty */
		for (unsigned int k = 1; k < r->n; k++)
			if (r->f[k][0] == '-')
				fail_msg("%s %s field %u is negative: %s", r->table, r->f[0], k, r->f[k]);
	}
}

static void test_two_samples(void **state)
{
	struct fixture_state *f = *state;
	char ticks[16], clk_ms[3][16];
	long hz = sysconf(_SC_CLK_TCK);
	struct rs_collect_stats st;

	snprintf(ticks, sizeof(ticks), "%ld", hz);
	/* rates-b - rates-a, cpu0: user +300, system +100, idle +550, iowait +50 ticks */
	snprintf(clk_ms[0], sizeof(clk_ms[0]), "%lld", 300LL * 1000 / hz);
	snprintf(clk_ms[1], sizeof(clk_ms[1]), "%lld", 100LL * 1000 / hz);
	snprintf(clk_ms[2], sizeof(clk_ms[2]), "%lld", 550LL * 1000 / hz);

	/* first sample: no rate tables yet */
	assert_true(collect(f, 1 * SEC) > 0);
	assert_int_equal(count_rows(&f->rows, "system_cpu"), 0);
	assert_int_equal(count_rows(&f->rows, "system_iostat"), 0);
	assert_int_equal(count_rows(&f->rows, "nic"), 0);
	assert_int_equal(count_rows(&f->rows, "system_tcp"), 0);
	assert_int_equal(count_rows(&f->rows, "system_meminfo"), 1);
	assert_int_equal(count_rows(&f->rows, "system_os"), 1);
	assert_row(find_row(&f->rows, "system_dentry", NULL),
		   ROW("fs.dentry-state", "12345", "6789", "45"));
	assert_rows_match_meta(&f->rows);

	sample_b(f);
	assert_true(collect(f, 11 * SEC) > 0);
	assert_rows_match_meta(&f->rows);

	assert_int_equal(count_rows(&f->rows, "system_cpu"), 2);
	assert_row(find_row(&f->rows, "system_cpu", "0"),
		   ROW("0", "200", "100", "50", "5", clk_ms[0], "0", clk_ms[1], clk_ms[2],
		       hz == 100 ? "500" : "?", "0", "0", "0", "3", "8", "40.00", "2000.00"));
	{
		const struct row *r = find_row(&f->rows, "system_cpu", "1");

		assert_non_null(r);
		assert_string_equal(r->f[1], "10");	/* rcu */
		assert_string_equal(r->f[2], "500");	/* timer */
		assert_string_equal(r->f[4], "0");	/* net_rx unchanged */
		assert_string_equal(r->f[9], "0");	/* iowait went back: 0 */
		assert_string_equal(r->f[14], "1");	/* rps */
		assert_string_equal(r->f[15], "10.00");
		assert_string_equal(r->f[16], "2100.50");
	}
	assert_row(find_row(&f->rows, "system_cpu_util", "cpu"), ROW("cpu", "25.00"));

	assert_row(find_row(&f->rows, "system_meminfo", NULL),
		   ROW("/proc/meminfo", "1000000", "200000", "600000", "50.00", "50000", "250000",
		       "300000", "200000", "100000", "25000", "75.00", "40000", "30000", "10000",
		       "3000", "14000", "2000", "100000", "50000", "200000", "150000",
		       "" /* no Mlocked in this meminfo */, "20480", "8000"));

	/* sda: hand-computed; vdb: 32-bit tick wrap; sda1 reset, loop0 idle,
	 * nvme0n1 gone, sdb new: no rows */
	assert_int_equal(count_rows(&f->rows, "system_iostat"), 2);
	assert_row(find_row(&f->rows, "system_iostat", "sda"),
		   ROW("sda", "50.00", "500.00", "2.00", "10.00", "100.00", "2000.00", "3.00",
		       "20.00", "0.40", "25.00"));
	assert_row(find_row(&f->rows, "system_iostat", "vdb"),
		   ROW("vdb", "10.00", "40.00", "10.00", "4.00", "0.00", "0.00", "0.00", "0.00",
		       "0.00", "0.10"));

	/* eth0 counted; eth1's counters went back (reset); lo is virtual */
	assert_int_equal(count_rows(&f->rows, "nic"), 1);
	assert_row(find_row(&f->rows, "nic", "eth0"),
		   ROW("eth0", "UP", "10485760", "100", "1", "0", "1048576", "50", "0", "2",
		       "1024.00", "102.40", "", "", "", ""));

	/* CurrEstab is a level; UDP InDatagrams went back: 0 */
	assert_row(find_row(&f->rows, "system_tcp", NULL),
		   ROW("/proc/net/snmp", "7", "500", "400", "3", "0"));
	assert_row(find_row(&f->rows, "system_udp", NULL), ROW("/proc/net/snmp", "0", "20"));

	assert_row(find_row(&f->rows, "system_os", NULL),
		   ROW("Fixture Linux 1 (test)", "rates-host", "6.1.0-test", "2", "976", "", "vm",
		       ticks, "1700000000", "1"));
	assert_string_equal(rs_collector_machine_id(f->c), "fixture0machine0id0000000000000a");

	rs_collector_stats(f->c, &st);
	assert_true(st.collections == 2);
	assert_true(st.counter_resets == 2);	/* sda1, eth1 */
	assert_true(st.read_errors[RS_SRC_STATFS] == 2);	/* /no/such dir, twice */
	assert_true(logged(f, "statfs /no/such dir", "No such file"));
	for (int s = 0; s < RS_SRC_COUNT; s++)
		assert_true(st.parse_errors[s] == 0);
	assert_true(st.io_uring);
	assert_true(st.submits >= 2);

	/* back to sample a: every counter goes back, nothing negative, no rates
	 * for reset devices */
	assert_int_equal(copy_tree("rates-a", f->root), 0);
	assert_true(collect(f, 21 * SEC) > 0);
	assert_rows_match_meta(&f->rows);
	assert_null(find_row(&f->rows, "system_iostat", "sda"));
	assert_null(find_row(&f->rows, "nic", "eth0"));
	assert_row(find_row(&f->rows, "system_cpu_util", "cpu"), ROW("cpu", "0.00"));
}

static void test_df_row(void **state)
{
	struct fixture_state *f = *state;
	const struct row *r;
	struct statfs s;
	unsigned long long blocks_kb, used_kb;

	assert_true(collect(f, 1 * SEC) > 0);
	/* proc, sysfs, cgroup2: skipped types; /no/such dir: statfs fails */
	assert_int_equal(count_rows(&f->rows, "system_df"), 2);
	r = find_row(&f->rows, "system_df", "/");
	assert_non_null(r);
	assert_string_equal(r->f[1], "rw");
	assert_string_equal(r->f[2], "/dev/root");
	assert_string_equal(r->f[3], "ext4");
	assert_int_equal(statfs("/", &s), 0);
	blocks_kb = (unsigned long long)s.f_blocks * s.f_frsize / 1024;
	used_kb = (unsigned long long)(s.f_blocks - s.f_bfree) * s.f_frsize / 1024;
	assert_true(strtoull(r->f[8], NULL, 10) == blocks_kb);
	/* others write to this disk meanwhile: within 1 % of its size */
	assert_true(llabs((long long)strtoull(r->f[9], NULL, 10) - (long long)used_kb) <=
		    (long long)(blocks_kb / 100));
	if (s.f_files)
		assert_true(strtoull(r->f[4], NULL, 10) == (unsigned long long)s.f_files);
	assert_non_null(find_row(&f->rows, "system_df", "/dev/shm"));

	/* a custom skip list */
	assert_int_equal(rs_collector_set_fs_skip(f->c, "tmpfs ext4,xfs,cgroup2"), 0);
	assert_true(collect(f, 2 * SEC) > 0);
	assert_int_equal(count_rows(&f->rows, "system_df"), 0);
}

static void test_bad_input_keeps_going(void **state)
{
	struct fixture_state *f = *state;
	struct rs_collect_stats st;
	char path[256];

	/* a file missing from the start (an open one never goes away) */
	snprintf(path, sizeof(path), "%s/proc/net/dev", f->root);
	assert_int_equal(unlink(path), 0);
	assert_true(collect(f, 1 * SEC) > 0);
	sample_b(f);
	assert_int_equal(unlink(path), 0);
	write_file(f, "proc/diskstats",
		   "   8       0 sda 1500 0 30000 6000 3000 0 80000 11000 0 5500 17000 0 0 0 0\n"
		   "   8       1 sda1 1 2 3\n"
		   "   8       2 sda2 x 2 3 4 5 6 7 8 9 10 11\n");
	write_file(f, "proc/meminfo", "MemFree: 1 kB\n");	/* no MemTotal */
	assert_true(collect(f, 11 * SEC) > 0);

	/* what could be read is still reported */
	assert_non_null(find_row(&f->rows, "system_iostat", "sda"));
	assert_int_equal(count_rows(&f->rows, "system_cpu"), 2);
	assert_int_equal(count_rows(&f->rows, "system_meminfo"), 0);
	assert_int_equal(count_rows(&f->rows, "nic"), 0);
	assert_row(find_row(&f->rows, "system_os", NULL),
		   ROW("Fixture Linux 1 (test)", "rates-host", "6.1.0-test", "2", "", "", "vm",
		       find_row(&f->rows, "system_os", NULL)->f[7], "1700000000", "1"));

	/* the place and the reason */
	assert_true(logged(f, "/proc/diskstats:2: 3 counters, expected at least 11", "2 bad lines"));
	assert_true(logged(f, "/proc/meminfo:0: no MemTotal", "file ignored"));
	assert_true(logged(f, "cannot read", "/proc/net/dev: No such file or directory"));
	rs_collector_stats(f->c, &st);
	assert_true(st.parse_errors[RS_SRC_DISKSTATS] == 2);
	assert_true(st.parse_errors[RS_SRC_MEMINFO] == 1);
	assert_true(st.read_errors[RS_SRC_NETDEV] == 2);

	/* the same errors again are counted but not logged again */
	f->nlog = 0;
	assert_true(collect(f, 21 * SEC) > 0);
	assert_false(logged(f, "diskstats", NULL));
	rs_collector_stats(f->c, &st);
	assert_true(st.parse_errors[RS_SRC_DISKSTATS] == 4);
}

static void test_nic_comes_and_goes(void **state)
{
	struct fixture_state *f = *state;
	static const char hdr[] =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
	char text[1024];

	rs_collector_set_nic_all(f->c, true);
	snprintf(text, sizeof(text), "%s  eth0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", hdr);
	write_file(f, "proc/net/dev", text);
	assert_true(collect(f, 1 * SEC) > 0);
	/* eth0 leaves; lo appears (reported: nic_all); then eth0 comes back */
	snprintf(text, sizeof(text), "%s    lo: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0\n", hdr);
	write_file(f, "proc/net/dev", text);
	assert_true(collect(f, 2 * SEC) > 0);
	assert_int_equal(count_rows(&f->rows, "nic"), 0);
	snprintf(text, sizeof(text), "%s    lo: 20 2 0 0 0 0 0 0 20 2 0 0 0 0 0 0\n"
		 "  eth0: 2048 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", hdr);
	write_file(f, "proc/net/dev", text);
	assert_true(collect(f, 3 * SEC) > 0);
	assert_int_equal(count_rows(&f->rows, "nic"), 1);	/* eth0 is new again */
	assert_row(find_row(&f->rows, "nic", "lo"),
		   ROW("lo", "DOWN", "10", "1", "0", "0", "10", "1", "0", "0", "0.01", "0.01",
		       "", "", "", ""));
	/* its operstate file disappears: status unknown, counted */
	snprintf(text, sizeof(text), "%s/sys/class/net/eth0/operstate", f->root);
	assert_int_equal(unlink(text), 0);
	snprintf(text, sizeof(text), "%s    lo: 20 2 0 0 0 0 0 0 20 2 0 0 0 0 0 0\n"
		 "  eth0: 4096 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", hdr);
	write_file(f, "proc/net/dev", text);
	assert_true(collect(f, 4 * SEC) > 0);
	assert_string_equal(find_row(&f->rows, "nic", "eth0")->f[1], "UP");	/* open fd */
}

static void test_enable_and_caps(void **state)
{
	struct fixture_state *f = *state;
	struct rs_collect_caps caps = { .disks = 1, .cpus = 1 };
	struct rs_collect_stats st;

	assert_int_equal(rs_collector_enable(f->c, "nope", false), -1);
	assert_int_equal(rs_collector_set_caps(f->c, &caps), 0);
	for (const char *const *s = (const char *const[]){ "cpu", "nic", "net", "fs", "host", NULL }; *s; s++)
		assert_int_equal(rs_collector_enable(f->c, *s, false), 0);
	assert_true(collect(f, 1 * SEC) > 0);
	sample_b(f);
	assert_true(collect(f, 11 * SEC) > 0);
	assert_int_equal(count_rows(&f->rows, "system_meminfo"), 1);
	assert_int_equal(count_rows(&f->rows, "system_cpu"), 0);
	assert_int_equal(count_rows(&f->rows, "system_os"), 0);
	assert_int_equal(count_rows(&f->rows, "system_df"), 0);
	assert_int_equal(count_rows(&f->rows, "nic"), 0);
	assert_int_equal(count_rows(&f->rows, "system_tcp"), 0);
	/* one disk slot: loop0 (first line) takes it, the rest are dropped */
	assert_int_equal(count_rows(&f->rows, "system_iostat"), 0);
	rs_collector_stats(f->c, &st);
	assert_true(st.dropped_disks == 4 + 4);
	assert_int_equal(rs_collector_set_caps(f->c, &caps), -1);	/* too late */
}

static void test_plain_reads_same_rows(void **state)
{
	struct fixture_state *f = *state;
	struct fixture_state *g = calloc(1, sizeof(*g));
	struct rs_collect_stats st;

	*g = *f;
	g->c = open_root(g, false);
	assert_true(collect(f, 1 * SEC) > 0);
	assert_true(collect(g, 1 * SEC) > 0);
	sample_b(f);
	assert_true(collect(f, 11 * SEC) > 0);
	assert_true(collect(g, 11 * SEC) > 0);
	assert_int_equal(f->rows.n, g->rows.n);
	for (unsigned int i = 0; i < f->rows.n; i++)
		assert_memory_equal(&f->rows.r[i], &g->rows.r[i], sizeof(f->rows.r[i]));
	rs_collector_stats(g->c, &st);
	assert_false(st.io_uring);
	assert_true(st.submits == 0);
	assert_non_null(strstr(st.fallback_reason, "disabled"));
	assert_true(logged(g, "plain reads", "disabled"));
	rs_collector_free(g->c);
	free(g);
}

static void test_bad_roots(void **state)
{
	char err[256];
	char long_root[400];

	(void)state;
	assert_null(rs_collector_new("/nonexistent/proc", "/sys", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/proc: not a directory"));
	assert_null(rs_collector_new("/proc", "/etc/hostname", err, sizeof(err)));
	assert_non_null(strstr(err, "/etc/hostname"));
	memset(long_root, 'a', sizeof(long_root) - 1);
	long_root[0] = '/';
	long_root[sizeof(long_root) - 1] = '\0';
	assert_null(rs_collector_new(long_root, "/sys", err, sizeof(err)));
	assert_non_null(strstr(err, "longer than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_samples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_keeps_going, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nic_comes_and_goes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_and_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_reads_same_rows, setup, teardown),
		cmocka_unit_test(test_bad_roots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
