// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_parser.c - libFuzzer target for one collector parser, chosen at build
 * time with -DFUZZ_PARSER_<name> (tests/collect.mk builds one binary each).
 * Besides memory safety it checks each parser's contract: counts within
 * caps, names NUL-terminated within their arrays, error count consistent.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"
#include "sources.h"

#define CAP 8	/* small, so the caps and drop counting are exercised */

static void check_err(int rc, const struct rsc_perr *err)
{
	assert(rc == -1 || rc == (int)err->count);
	assert(memchr(err->msg, '\0', sizeof(err->msg)));
}

static void check_name(const char *s, size_t cap)
{
	assert(memchr(s, '\0', cap));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct rsc_perr err;
	int rc;

	rsc_perr_reset(&err);
	(void)rc;
#if defined(FUZZ_PARSER_stat)
	struct rsc_stat_cpu cpus[CAP];
	struct rsc_stat st = { .cpus = cpus, .cap = CAP };
	struct rsc_cpu_delta d;

	rc = rsc_parse_stat(buf, size, &st, &err);
	check_err(rc, &err);
	assert(st.ncpus <= CAP);
	for (unsigned int i = 0; i + 1 < st.ncpus; i++) {
		rsc_cpu_delta(&cpus[i].t, &cpus[i + 1].t, 100, &d);
		assert(d.util >= 0.0 && d.util <= 100.0);
	}
#elif defined(FUZZ_PARSER_softirqs) || defined(FUZZ_PARSER_softnet) || \
	defined(FUZZ_PARSER_cpuinfo)
	struct rsc_cpu_extra x[CAP];
	unsigned int dropped;

	memset(x, 0, sizeof(x));
#if defined(FUZZ_PARSER_softirqs)
	rc = rsc_parse_softirqs(buf, size, x, CAP, &dropped, &err);
#elif defined(FUZZ_PARSER_softnet)
	rc = rsc_parse_softnet(buf, size, x, CAP, &dropped, &err);
#else
	bool hv;

	rc = rsc_parse_cpuinfo(buf, size, x, CAP, &dropped, &hv, &err);
	for (int i = 0; i < CAP; i++)
		assert(!x[i].have_mhz || x[i].mhz >= 0.0);
#endif
	check_err(rc, &err);
#elif defined(FUZZ_PARSER_meminfo)
	struct rsc_meminfo m;

	rc = rsc_parse_meminfo(buf, size, &m, &err);
	check_err(rc, &err);
	assert(rc == -1 || (m.have & 1u));
#elif defined(FUZZ_PARSER_diskstats)
	struct rsc_disk v[CAP];
	struct rsc_disk_list l = { .v = v, .cap = CAP };
	struct rsc_iostat s;

	rc = rsc_parse_diskstats(buf, size, &l, &err);
	check_err(rc, &err);
	assert(l.n <= CAP);
	for (unsigned int i = 0; i < l.n; i++) {
		check_name(v[i].name, sizeof(v[i].name));
		if (i > 0 && rsc_iostat(&v[i - 1], &v[i], 1000000000, &s) == 0)
			assert(s.rspeed >= 0 && s.wspeed >= 0 && s.aqu >= 0 &&
			       s.util >= 0 && s.util <= 100 && s.r_await >= 0 && s.w_await >= 0);
	}
#elif defined(FUZZ_PARSER_netdev)
	struct rsc_nic v[CAP];
	struct rsc_nic_list l = { .v = v, .cap = CAP };
	struct rsc_nic_delta d;

	rc = rsc_parse_netdev(buf, size, &l, &err);
	check_err(rc, &err);
	assert(l.n <= CAP);
	for (unsigned int i = 0; i < l.n; i++) {
		check_name(v[i].name, sizeof(v[i].name));
		if (i > 0 && rsc_nic_delta(&v[i - 1], &v[i], 1000000000, &d) == 0)
			assert(d.rx_kbps >= 0 && d.tx_kbps >= 0);
	}
#elif defined(FUZZ_PARSER_snmp)
	struct rsc_snmp sn;

	rc = rsc_parse_snmp(buf, size, &sn, &err);
	check_err(rc, &err);
	assert(sn.have < (1u << RSC_SNMP_COUNT));
#elif defined(FUZZ_PARSER_qdisc)
	struct rsc_qdisc v[CAP];
	struct rsc_qdisc_list l = { .v = v, .cap = CAP };

	rc = rsc_parse_qdisc(data, size, &l, &err);
	check_err(rc, &err);
	assert(l.n <= CAP);
	for (unsigned int i = 0; i < l.n; i++)
		check_name(v[i].kind, sizeof(v[i].kind));
#elif defined(FUZZ_PARSER_mounts)
	static struct rsc_mount v[CAP];
	struct rsc_mount_list l = { .v = v, .cap = CAP };

	rc = rsc_parse_mounts(buf, size, &l, &err);
	check_err(rc, &err);
	assert(l.n <= CAP);
	for (unsigned int i = 0; i < l.n; i++) {
		check_name(v[i].source, sizeof(v[i].source));
		check_name(v[i].dir, sizeof(v[i].dir));
		check_name(v[i].type, sizeof(v[i].type));
	}
#elif defined(FUZZ_PARSER_hostinfo)
	char out[64];

	if (rsc_parse_oneline(buf, size, out, sizeof(out)) == 0)
		assert(strlen(out) > 0 && strlen(out) < sizeof(out));
	if (rsc_parse_os_release(buf, size, out, sizeof(out)) == 0)
		assert(strlen(out) > 0 && strlen(out) < sizeof(out));
	struct rsc_dentry_state d;

	rc = rsc_parse_dentry_state(buf, size, &d, &err);
	check_err(rc, &err);
#else
#error "build with -DFUZZ_PARSER_<name>"
#endif
	return 0;
}
