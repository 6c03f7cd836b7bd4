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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/socket.h>
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

/* drops counted by tc for this device, or -1 */
static long long tc_dropped(const char *dev)
{
	char cmd[128], line[512];
	long long drops = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tc -s qdisc show dev %s root 2>/dev/null", dev);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *d = strstr(line, "(dropped ");

		if (d)
			drops = strtoll(d + 9, NULL, 10);
	}
	pclose(p);
	return drops;
}

/* Names unique per run: parallel test runs must not touch each other's. */
static char ns_name[32], dev[16], peer[16];

static int shf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int shf(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void veth_down(void)
{
	/* fails when already gone: fine */
	(void)!shf("ip netns del %s 2>/dev/null; ip link del %s 2>/dev/null", ns_name, dev);
}

/*
 * The tc_* fields end to end: a veth pair into a namespace, a tbf root qdisc
 * slow enough to drop, UDP sent through it; tc_sent_drop must equal what tc
 * counted over the interval. A replaced qdisc gives no bogus delta; fq_codel
 * (where the kernel has it) reports ECN marks.
 */
static void test_qdisc_real(void **state)
{
	static struct rows rows;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	static char payload[1000];
	struct rs_collector *c;
	const struct row *r;
	char err[256], want[32];
	long long before, after;
	int s;

	(void)state;
	snprintf(ns_name, sizeof(ns_name), "rsccollect%d", (int)getpid());
	snprintf(dev, sizeof(dev), "rsca%d", (int)getpid() % 1000000);
	snprintf(peer, sizeof(peer), "rscb%d", (int)getpid() % 1000000);
	if (shf("ip netns add %1$s && "
		"ip link add %2$s type veth peer name %3$s address 02:00:00:00:07:02 netns %1$s && "
		"sysctl -qw net.ipv6.conf.%2$s.disable_ipv6=1 && "
		"ip addr add 10.250.7.1/30 dev %2$s && ip link set %2$s up && "
		"ip -n %1$s addr add 10.250.7.2/30 dev %3$s && ip -n %1$s link set %3$s up && "
		"ip neigh replace 10.250.7.2 lladdr 02:00:00:00:07:02 dev %2$s nud permanent && "
		"tc qdisc add dev %2$s root handle 1: tbf rate 8kbit burst 1600 limit 1600"
		" >/dev/null 2>&1", ns_name, dev, peer) != 0) {
		veth_down();
		printf("skipped: cannot set up a veth pair with a tbf qdisc (ip, tc, netns)\n");
		skip();
	}
	c = rs_collector_new("/proc", "/sys", err, sizeof(err));
	assert_non_null(c);
	rs_collector_set_nic_all(c, true);	/* veth is virtual */
	rs_collector_set_log(c, quiet, NULL);
	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	before = tc_dropped(dev);

	s = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	inet_pton(AF_INET, "10.250.7.2", &to.sin_addr);
	for (int i = 0; i < 100; i++)
		(void)sendto(s, payload, sizeof(payload), MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
	close(s);

	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	after = tc_dropped(dev);
	r = find_row(&rows, "nic", dev);
	assert_non_null(r);
	assert_true(before >= 0 && after > before);
	snprintf(want, sizeof(want), "%lld", after - before);
	assert_string_equal(r->f[12], want);			/* tc_sent_drop */
	assert_true(strtoull(r->f[13], NULL, 10) > 0);		/* tc_sent_overlimits */
	assert_true(r->f[14][0] != '\0');			/* tc_backlog */
	assert_string_equal(r->f[15], "");			/* tbf: no ECN marks */
	assert_true(strtoull(r->f[6], NULL, 10) > 0);		/* tx_bytes went out */

	/* a replaced qdisc restarts its counters: no delta across the two */
	assert_int_equal(shf("tc qdisc replace dev %s root pfifo >/dev/null 2>&1", dev), 0);
	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	r = find_row(&rows, "nic", dev);
	assert_non_null(r);
	assert_string_equal(r->f[12], "");
	assert_string_equal(r->f[13], "");
	rows.n = 0;
	assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
	assert_string_equal(find_row(&rows, "nic", dev)->f[12], "0");

	if (shf("tc qdisc replace dev %s root fq_codel >/dev/null 2>&1", dev) == 0) {
		rows.n = 0;
		assert_true(rs_collector_collect(c, now_ns(), capture, &rows) > 0);
		assert_string_equal(find_row(&rows, "nic", dev)->f[15], "0");	/* ECN marks */
	} else {
		printf("note: no fq_codel in this kernel: ECN marks checked by the parser test only\n");
	}
	rs_collector_free(c);
	veth_down();
}

/* In a child whose io_uring_setup() fails (seccomp: ENOSYS), as on kernels
 * without io_uring: plain reads, the reason logged, the same tables. */
static int child_without_io_uring(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	static struct rows rows;
	struct rs_collect_stats st;
	struct rs_collector *c;
	char err[256];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		return 77;
	c = rs_collector_new("/proc", "/sys", err, sizeof(err));
	if (!c)
		return 1;
	rs_collector_set_log(c, quiet, NULL);
	for (int i = 0; i < 2; i++) {
		rows.n = 0;
		if (rs_collector_collect(c, now_ns(), capture, &rows) <= 0)
			return 2;
	}
	rs_collector_stats(c, &st);
	if (st.io_uring || !strstr(st.fallback_reason, "io_uring_queue_init: Function not implemented"))
		return 3;
	if (!find_row(&rows, "system_meminfo", NULL) || count_rows(&rows, "system_cpu") == 0)
		return 4;
	rs_collector_free(c);
	return 0;
}

static void test_no_io_uring_fallback(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_without_io_uring());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		printf("skipped: cannot install a seccomp filter\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 0);
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
		cmocka_unit_test(test_qdisc_real),
		cmocka_unit_test(test_io_uring_in_use),
		cmocka_unit_test(test_no_io_uring_fallback),
		cmocka_unit_test(test_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
