// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: each /proc and /sys parser on real files copied from a
 * machine (fixtures/real-a) and on hand-made edge cases: truncated lines,
 * huge numbers, missing fields, extra columns, caps, no NUL terminator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/gen_stats.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "helpers.h"
#include "sources.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* ---- generic helpers ---------------------------------------------------- */

static void test_parse_u64(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(rsc_parse_u64(S("18446744073709551615"), 10, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(rsc_parse_u64(S("18446744073709551616"), 10, &v), -2);
	assert_int_equal(rsc_parse_u64(S("99999999999999999999999"), 10, &v), -2);
	assert_int_equal(rsc_parse_u64(S("ffffffffffffffff"), 16, &v), 0);
	assert_int_equal(rsc_parse_u64(S("1ffffffffffffffff"), 16, &v), -2);
	assert_int_equal(rsc_parse_u64(S("12a"), 10, &v), -1);
	assert_int_equal(rsc_parse_u64(S("-1"), 10, &v), -1);
	assert_int_equal(rsc_parse_u64("", 0, 10, &v), -1);
}

static void test_name_numbers(void **state)
{
	const char *name;
	size_t name_len;
	uint64_t v[4];
	unsigned int n, bad;
	const char line[] = "  eth0:123 4 5 6 7 8";

	(void)state;
	/* a number right after the colon; extra columns counted, not stored */
	assert_int_equal(rsc_name_numbers(line, line + sizeof(line) - 1, ':', 10,
					  &name, &name_len, v, 4, &n, &bad), 0);
	assert_int_equal(name_len, 4);
	assert_memory_equal(name, "eth0", 4);
	assert_int_equal(n, 6);
	assert_true(v[0] == 123 && v[3] == 6);
	/* no separator */
	{
		const char l[] = "eth0 1 2";

		assert_int_equal(rsc_name_numbers(l, l + sizeof(l) - 1, ':', 10, &name, &name_len,
						  v, 4, &n, &bad), -3);
	}
	/* a bad column is named */
	{
		const char l[] = "cpu0 1 2 x 4";

		assert_int_equal(rsc_name_numbers(l, l + sizeof(l) - 1, 0, 10, &name, &name_len,
						  v, 4, &n, &bad), -1);
		assert_int_equal(bad, 2);
	}
}

/* ---- /proc/stat --------------------------------------------------------- */

static void test_stat_real(void **state)
{
	struct rsc_stat_cpu cpus[64];
	struct rsc_stat st = { .cpus = cpus, .cap = 64 };
	struct rsc_perr err;
	size_t len = 0;
	char *buf = fixture("real-a/proc/stat", &len);
	unsigned int lines = 0;

	(void)state;
	assert_non_null(buf);
	for (char *p = buf; (p = strstr(p, "\ncpu")); p++)
		lines++;	/* cpuN lines: every "cpu" line after the first */
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_stat(buf, len, &st, &err), 0);
	assert_true(st.have_total);
	assert_true(st.have_btime);
	assert_true(st.btime > 1600000000);
	assert_int_equal(st.ncpus, lines);
	assert_int_equal(cpus[0].cpu, 0);
	assert_true(st.total.idle >= cpus[0].t.idle);
	free(buf);
}

static void test_stat_edges(void **state)
{
	struct rsc_stat_cpu cpus[2];
	struct rsc_stat st = { .cpus = cpus, .cap = 2 };
	struct rsc_perr err;
	const char text[] =
		"cpu  1 2 3 4 5 6 7 8 9 10 11 12\n"	/* extra columns: fine */
		"cpu0 1 2 3\n"				/* truncated: skipped */
		"cpu1 1 2 3 4 5 6 7 99999999999999999999999\n"	/* overflow: skipped */
		"cpu2 1 2 3 4 5 6 7 8\n"
		"cpuX 1 2 3 4 5 6 7 8\n"		/* not a cpu: skipped */
		"cpu3 1 2 3 4 5 6 7 8\n"
		"cpu7 1 2 3 4 5 6 7 8\n"		/* over the cap: dropped */
		"btime\n"				/* no value: skipped */
		"intr 1 2 3";

	(void)state;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_stat(text, sizeof(text) - 1, &st, &err), 4);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "3 time columns"));
	assert_true(st.have_total);
	assert_false(st.have_btime);
	assert_int_equal(st.ncpus, 2);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(cpus[0].cpu, 2);
	assert_int_equal(cpus[1].cpu, 3);
	assert_true(cpus[1].t.steal == 8);

	/* nothing usable: -1 with a reason */
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_stat(S("intr 1\nctxt 2\n"), &st, &err), -1);
	assert_non_null(strstr(err.msg, "no cpu lines"));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_stat("", 0, &st, &err), -1);
}

/* ---- per-CPU extras ----------------------------------------------------- */

static void test_softirqs(void **state)
{
	struct rsc_cpu_extra x[4];
	struct rsc_perr err;
	unsigned int dropped;
	size_t len = 0;
	char *buf = fixture("real-a/proc/softirqs", &len);
	const char hdr_gap[] =
		"                    CPU0       CPU2       CPU5\n"	/* offline CPUs missing */
		"       TIMER:         10         20         30\n"
		"         RCU:          1          2\n"		/* truncated */
		"       SCHED:          1          x          3\n"	/* bad number */
		"      NET_RX:          1          2          3          4\n";	/* extra */

	(void)state;
	memset(x, 0, sizeof(x));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_softirqs(buf, len, x, 4, &dropped, &err), 0);
	assert_true(x[0].have_softirqs && x[1].have_softirqs);
	assert_true(x[0].timer > 0);
	free(buf);

	memset(x, 0, sizeof(x));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_softirqs(hdr_gap, sizeof(hdr_gap) - 1, x, 4, &dropped, &err), 2);
	assert_int_equal(dropped, 1);	/* CPU5 over the cap of 4 */
	assert_true(x[0].timer == 10 && x[2].timer == 20);
	assert_true(x[0].rcu == 1 && x[2].rcu == 2);
	assert_true(x[0].sched == 1 && x[2].sched == 0);
	assert_true(x[2].net_rx == 2);
	assert_false(x[1].have_softirqs);

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_softirqs(S("garbage"), x, 4, &dropped, &err), -1);
}

static void test_softnet(void **state)
{
	struct rsc_cpu_extra x[2];
	struct rsc_perr err;
	unsigned int dropped;
	size_t len = 0;
	char *buf = fixture("real-a/proc/net/softnet_stat", &len);
	const char old_kernel[] =	/* 11 columns, no cpu id: line order */
		"00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000000\n"
		"00000001 0000000a 00000000 00000000 00000000 00000000 00000000 00000000 00000000 0000000b 00000000\n"
		"00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000000\n"
		"00000001 00000002\n"
		"0000000g 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000000\n";

	(void)state;
	memset(x, 0, sizeof(x));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_softnet(buf, len, x, 2, &dropped, &err), 0);
	assert_true(x[0].have_softnet && x[1].have_softnet);
	free(buf);

	memset(x, 0, sizeof(x));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_softnet(old_kernel, sizeof(old_kernel) - 1, x, 2, &dropped, &err), 2);
	assert_int_equal(dropped, 1);
	assert_true(x[0].backlog_drops == 2 && x[0].rps_count == 3);
	assert_true(x[1].backlog_drops == 10 && x[1].rps_count == 11);
}

static void test_cpuinfo(void **state)
{
	struct rsc_cpu_extra x[4];
	struct rsc_perr err;
	unsigned int dropped;
	bool hv;
	size_t len = 0;
	char *buf = fixture("rates-a/proc/cpuinfo", &len);
	const char arm[] = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n\n"
			   "processor\t: 1\ncpu MHz\t\t: 12x\n\nprocessor\t: 9\ncpu MHz\t: 1.5\n";

	(void)state;
	memset(x, 0, sizeof(x));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_cpuinfo(buf, len, x, 4, &dropped, &hv, &err), 0);
	assert_true(hv);
	assert_true(x[0].have_mhz && x[0].mhz == 2000.0);
	assert_true(x[1].have_mhz && x[1].mhz == 2100.5);
	free(buf);

	memset(x, 0, sizeof(x));
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_cpuinfo(arm, sizeof(arm) - 1, x, 4, &dropped, &hv, &err), 1);
	assert_false(hv);
	assert_false(x[0].have_mhz);
	assert_false(x[1].have_mhz);
	assert_int_equal(dropped, 1);
}

/* ---- /proc/meminfo ------------------------------------------------------ */

static void test_meminfo(void **state)
{
	struct rsc_meminfo m;
	struct rsc_perr err;
	size_t len = 0;
	char *buf = fixture("real-a/proc/meminfo", &len);
	const char odd[] = "MemTotal: 100 kB\nMemFree:18446744073709551616 kB\nBuffers:\n"
			   "no colon here\nCached: 7 kB extra columns\nSwapTotal: 0";

	(void)state;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_meminfo(buf, len, &m, &err), 0);
	for (int f = 0; f < RSC_MEM_COUNT; f++)
		assert_true(m.have & (1u << f));	/* a 6.x kernel has them all */
	assert_true(m.v[RSC_MEM_TOTAL] > m.v[RSC_MEM_FREE]);
	free(buf);

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_meminfo(odd, sizeof(odd) - 1, &m, &err), 3);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "MemFree"));
	assert_true(m.v[RSC_MEM_TOTAL] == 100 && m.v[RSC_MEM_CACHED] == 7);
	assert_true(m.have & (1u << RSC_MEM_SWAP_TOTAL));
	assert_false(m.have & (1u << RSC_MEM_FREE));
	assert_false(m.have & (1u << RSC_MEM_BUFFERS));

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_meminfo(S("MemFree: 1 kB\n"), &m, &err), -1);
	assert_non_null(strstr(err.msg, "MemTotal"));
}

/* ---- /proc/diskstats ---------------------------------------------------- */

static void test_diskstats(void **state)
{
	struct rsc_disk v[32];
	struct rsc_disk_list l = { .v = v, .cap = 32 };
	struct rsc_perr err;
	size_t len = 0;
	char *buf = fixture("real-a/proc/diskstats", &len);
	const char edge[] =
		"   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"		/* pre-4.18: 11 counters */
		"   8       1 sda1 1 2 3 4 5 6 7 8 9 10\n"		/* truncated */
		"   8       2 sda2 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n"
		"   x       3 sda3 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8       4 sda4 1 2 3 18446744073709551616 5 6 7 8 9 10 11\n"
		"   8       5\n"
		"   8       6 a-very-long-device-name-that-does-not-fit-the-64-byte-name-field 1 2 3 4 5 6 7 8 9 10 11\n"
		"   8      16 sdb 18446744073709551615 2 3 4 5 6 7 8 9 10 11";	/* no newline */

	(void)state;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_diskstats(buf, len, &l, &err), 0);
	assert_true(l.n >= 1);
	assert_non_null(strstr(buf, l.v[0].name));
	free(buf);

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_diskstats(edge, sizeof(edge) - 1, &l, &err), 5);
	assert_int_equal(l.n, 3);
	assert_string_equal(v[0].name, "sda");
	assert_true(v[0].time_in_queue == 11 && v[0].rd_ticks == 4 && v[0].wr_sectors == 7);
	assert_string_equal(v[1].name, "sda2");
	assert_true(v[1].io_ticks == 10);
	assert_string_equal(v[2].name, "sdb");
	assert_true(v[2].rd_ios == UINT64_MAX);
	assert_int_equal(err.line, 2);

	/* the cap */
	l.cap = 1;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_diskstats(edge, sizeof(edge) - 1, &l, &err), 5);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.dropped, 2);
}

/* ---- /proc/net/dev ------------------------------------------------------ */

static void test_netdev(void **state)
{
	struct rsc_nic v[8];
	struct rsc_nic_list l = { .v = v, .cap = 8 };
	struct rsc_perr err;
	size_t len = 0;
	char *buf = fixture("real-a/proc/net/dev", &len);
	const char edge[] =
		"Inter-|   Receive |  Transmit\n"
		" face |bytes packets|bytes packets\n"
		"  eth0:18446744073709551615 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
		"  eth1: 1 2 3\n"
		"  eth2 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
		"  eth3: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n"
		"\n"
		"  eth4: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -16\n";

	(void)state;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_netdev(buf, len, &l, &err), 0);
	assert_true(l.n >= 2);
	assert_non_null(strstr(buf, "lo:"));
	free(buf);

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_netdev(edge, sizeof(edge) - 1, &l, &err), 3);
	assert_int_equal(l.n, 2);
	assert_string_equal(v[0].name, "eth0");
	assert_true(v[0].rx_bytes == UINT64_MAX && v[0].tx_bytes == 8 && v[0].tx_dropped == 11);
	assert_string_equal(v[1].name, "eth3");
	assert_int_equal(err.line, 4);
}

/* ---- /proc/net/snmp ---------------------------------------------------- */

static void test_snmp(void **state)
{
	struct rsc_snmp sn;
	struct rsc_perr err;
	size_t len = 0;
	char *buf = fixture("real-a/proc/net/snmp", &len);
	const char edge[] =
		"Tcp: RtoAlgorithm MaxConn CurrEstab InSegs\n"
		"Tcp: 1 -1 3\n"				/* fewer values than names */
		"Udp: InDatagrams OutDatagrams\n"
		"Udp: x 18446744073709551615\n"		/* a bad wanted value */
		"garbage line\n"
		"Tcp: InErrs\n"
		"Tcp: 9\n";

	(void)state;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_snmp(buf, len, &sn, &err), 0);
	assert_int_equal(sn.have, (1u << RSC_SNMP_COUNT) - 1);
	assert_true(sn.v[RSC_SNMP_TCP_IN_SEGS] > 0);
	free(buf);

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_snmp(edge, sizeof(edge) - 1, &sn, &err), 3);
	assert_int_equal(err.line, 2);
	assert_true(sn.v[RSC_SNMP_TCP_CURR_ESTAB] == 3);	/* MaxConn -1 is not read */
	assert_false(sn.have & (1u << RSC_SNMP_TCP_IN_SEGS));
	assert_false(sn.have & (1u << RSC_SNMP_UDP_IN_DATAGRAMS));
	assert_true(sn.v[RSC_SNMP_UDP_OUT_DATAGRAMS] == UINT64_MAX);
	assert_true(sn.v[RSC_SNMP_TCP_IN_ERRS] == 9);
}

/* ---- rtnetlink qdisc dump ----------------------------------------------- */

/* Append an attribute (4-byte aligned) at *off. */
static void put_attr(unsigned char *buf, size_t *off, uint16_t type, const void *data, size_t len)
{
	struct rtattr a = { .rta_len = (unsigned short)(sizeof(a) + len), .rta_type = type };

	memcpy(buf + *off, &a, sizeof(a));
	memcpy(buf + *off + sizeof(a), data, len);
	*off += RTA_ALIGN(a.rta_len);
}

/* One RTM_NEWQDISC message at *off: kind, queue stats, optional xstats. */
static void put_qdisc(unsigned char *buf, size_t *off, int ifindex, uint32_t parent,
		      const char *kind, const struct gnet_stats_queue *q,
		      const void *xstats, size_t xlen)
{
	size_t start = *off, nested;
	struct nlmsghdr h = { .nlmsg_type = RTM_NEWQDISC };
	struct tcmsg t = { .tcm_ifindex = ifindex, .tcm_parent = parent };
	struct rtattr st = { .rta_type = TCA_STATS2 };

	*off += NLMSG_HDRLEN;
	memcpy(buf + *off, &t, sizeof(t));
	*off += NLMSG_ALIGN(sizeof(t));
	put_attr(buf, off, TCA_KIND, kind, strlen(kind) + 1);
	nested = *off;
	*off += sizeof(st);
	put_attr(buf, off, TCA_STATS_QUEUE, q, sizeof(*q));
	st.rta_len = (unsigned short)(*off - nested);
	memcpy(buf + nested, &st, sizeof(st));
	if (xstats)
		put_attr(buf, off, TCA_XSTATS, xstats, xlen);
	h.nlmsg_len = (uint32_t)(*off - start);
	memcpy(buf + start, &h, sizeof(h));
}

static void test_qdisc(void **state)
{
	static unsigned char buf[4096];
	struct rsc_qdisc v[2];
	struct rsc_qdisc_list l = { .v = v, .cap = 2 };
	struct rsc_perr err;
	struct gnet_stats_queue q1 = { .qlen = 1, .backlog = 1500, .drops = 7, .overlimits = 9 };
	struct gnet_stats_queue q2 = { .drops = 100 };
	struct tc_fq_codel_xstats x = { .type = TCA_FQ_CODEL_XSTATS_QDISC };
	struct nlmsghdr done = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_DONE };
	size_t off = 0;

	(void)state;
	x.qdisc_stats.ecn_mark = 42;
	put_qdisc(buf, &off, 2, TC_H_ROOT, "fq_codel", &q1, &x, sizeof(x));
	put_qdisc(buf, &off, 2, 0x10001, "pfifo", &q2, NULL, 0);	/* a child: ignored */
	put_qdisc(buf, &off, 3, TC_H_ROOT, "tbf", &q2, NULL, 0);
	put_qdisc(buf, &off, 4, TC_H_ROOT, "noqueue", &q2, NULL, 0);	/* over the cap */
	memcpy(buf + off, &done, sizeof(done));
	off += NLMSG_HDRLEN;

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_qdisc(buf, off, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.dropped, 1);
	assert_int_equal(v[0].ifindex, 2);
	assert_string_equal(v[0].kind, "fq_codel");
	assert_true(v[0].have_stats && v[0].drops == 7 && v[0].overlimits == 9 && v[0].backlog == 1500);
	assert_true(v[0].have_ecn && v[0].ecn_mark == 42);
	assert_int_equal(v[1].ifindex, 3);
	assert_true(v[1].drops == 100 && !v[1].have_ecn);

	/* truncated anywhere: never read past the end */
	for (size_t cut = 0; cut < off; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);

		memcpy(copy, buf, cut);
		rsc_perr_reset(&err);
		assert_true(rsc_parse_qdisc(copy, cut, &l, &err) >= -1);
		assert_true(l.n <= 2);
		free(copy);
	}
	/* a message longer than the buffer */
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_qdisc(buf, 20, &l, &err), -1);
	assert_non_null(strstr(err.msg, "out of bounds"));
}

/* ---- /proc/self/mounts -------------------------------------------------- */

static void test_mounts(void **state)
{
	static struct rsc_mount v[64];
	struct rsc_mount_list l = { .v = v, .cap = 64 };
	struct rsc_perr err;
	size_t len = 0;
	char *buf = fixture("real-a/proc/self/mounts", &len);
	const char edge[] =
		"/dev/sda1 /mnt/my\\040disk ext4 ro,noatime 0 0\n"
		"server:/x /a\\134b\\011c nfs4 rw 0 0\n"
		"short /only\n"
		"/dev/sdb /trailing\\04 xfs rw\n"
		"none /z tmpfs rw,size=1k,ro\n";

	(void)state;
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_mounts(buf, len, &l, &err), 0);
	assert_true(l.n >= 3);
	assert_string_equal(v[0].dir, "/proc");
	free(buf);

	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_mounts(edge, sizeof(edge) - 1, &l, &err), 1);
	assert_int_equal(l.n, 4);
	assert_string_equal(v[0].dir, "/mnt/my disk");
	assert_true(v[0].ro);
	assert_string_equal(v[1].dir, "/a\\b\tc");
	assert_false(v[1].ro);
	assert_string_equal(v[2].dir, "/trailing\\04");	/* incomplete escape kept */
	assert_true(v[3].ro);
	/* an escaped NUL is refused */
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_mounts(S("a /x\\000y t rw 0 0\n"), &l, &err), 1);
}

/* ---- host files ----------------------------------------------------------- */

static void test_hostinfo(void **state)
{
	char out[64];
	size_t len = 0;
	char *buf = fixture("real-a/etc/os-release", &len);

	(void)state;
	assert_int_equal(rsc_parse_os_release(buf, len, out, sizeof(out)), 0);
	assert_non_null(strstr(buf, out));
	free(buf);
	assert_int_equal(rsc_parse_os_release(S("NAME=x\nPRETTY_NAME='Single Quoted'  \n"), out, sizeof(out)), 0);
	assert_string_equal(out, "Single Quoted");
	assert_int_equal(rsc_parse_os_release(S("PRETTY_NAME=Bare\n"), out, sizeof(out)), 0);
	assert_string_equal(out, "Bare");
	assert_int_equal(rsc_parse_os_release(S("PRETTY_NAME=\"\"\n"), out, sizeof(out)), -1);
	assert_int_equal(rsc_parse_os_release(S("NAME=x\n"), out, sizeof(out)), -1);
	assert_int_equal(rsc_parse_oneline(S("  host-1 \nsecond\n"), out, sizeof(out)), 0);
	assert_string_equal(out, "host-1");
	assert_int_equal(rsc_parse_oneline(S("\n"), out, sizeof(out)), -1);
	assert_int_equal(rsc_parse_oneline(S("0123456789012345678901234567890123456789012345678901234567890123456789"),
					   out, sizeof(out)), -1);
	{
		struct rsc_dentry_state d;
		struct rsc_perr err;
		char *text = fixture("real-a/proc/sys/fs/dentry-state", &len);

		rsc_perr_reset(&err);
		assert_int_equal(rsc_parse_dentry_state(text, len, &d, &err), 0);
		assert_true(d.dentry >= d.unused && d.age_limit > 0);
		free(text);
		assert_int_equal(rsc_parse_dentry_state(S("1 2"), &d, &err), -1);
		assert_non_null(strstr(err.msg, "2 values"));
		rsc_perr_reset(&err);
		assert_int_equal(rsc_parse_dentry_state(S("1 -2 3"), &d, &err), -1);
		assert_non_null(strstr(err.msg, "column 2"));
	}
}

/* A parser never reads past len: the buffer ends right before an unmapped byte. */
static void test_no_terminator(void **state)
{
	const char text[] = "cpu  1 2 3 4 5 6 7 8";
	char *buf = malloc(sizeof(text) - 1);	/* exactly len, no NUL: ASan checks */
	struct rsc_stat_cpu cpus[1];
	struct rsc_stat st = { .cpus = cpus, .cap = 1 };
	struct rsc_perr err;

	(void)state;
	memcpy(buf, text, sizeof(text) - 1);
	rsc_perr_reset(&err);
	assert_int_equal(rsc_parse_stat(buf, sizeof(text) - 1, &st, &err), 0);
	assert_true(st.total.steal == 8);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_name_numbers),
		cmocka_unit_test(test_stat_real),
		cmocka_unit_test(test_stat_edges),
		cmocka_unit_test(test_softirqs),
		cmocka_unit_test(test_softnet),
		cmocka_unit_test(test_cpuinfo),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_diskstats),
		cmocka_unit_test(test_netdev),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_qdisc),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_hostinfo),
		cmocka_unit_test(test_no_terminator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
