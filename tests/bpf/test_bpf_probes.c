// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the probe loader (agent/probes/bpf_probes.c): probes share
 * one set of rings; enabling, disabling and re-enabling a probe; unknown
 * probes refused with the list of known ones; the per-namespace iterator
 * walk reaching a socket inside a namespace the test made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "../../agent/probes/bpf_probes.h"
#include "bpf_helpers_test.h"
#include "netns_pair.h"

struct tally {
	uint64_t by_type[256];
	uint16_t port;		/* count TCP_STATS of sockets on this port */
	uint64_t stats_on_port;
};

static void count(void *ctx, const struct rs_ring *ring, const struct rs_record *rec)
{
	struct tally *t = ctx;

	(void)ring;
	t->by_type[rs_ctl_type(rec->hdr.ctl)]++;
}

static void drain_all(struct rs_ring_set *set, struct tally *t)
{
	unsigned int i;

	for (i = 0; i < set->nrings; i++)
		while (rs_ring_drain(&set->rings[i], 4096, count, t))
			;
}

/* A loopback connection, opened and closed, in the calling thread's netns. */
static void one_connection(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	close(c);
	close(s);
	close(l);
}

static void test_enable_disable(void **state)
{
	struct rs_bpf_probes p;
	struct rs_ring_set set;
	struct tally t;
	char err[256];

	(void)state;
	assert_int_equal(rs_bpf_probes_init(&p, 12, 0, err, sizeof(err)), 0);
	assert_int_equal(rs_ring_set_from_bpf_map(&set, p.rings_fd, p.doorbell_fd, err,
						  sizeof(err)), 0);
	assert_int_equal(rs_bpf_probes_enable(&p, "nosuch", err, sizeof(err)), -ENOENT);
	print_message("    %s\n", err);
	assert_non_null(strstr(err, "tcp"));
	if (rs_bpf_probes_enable(&p, "tcp", err, sizeof(err)) ||
	    rs_bpf_probes_enable(&p, "block", err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(rs_bpf_probes_enable(&p, "tcp", err, sizeof(err)), 0);	/* again: no-op */
	assert_int_equal(p.non, 2);
	memset(&t, 0, sizeof(t));
	one_connection();
	drain_all(&set, &t);
	assert_true(t.by_type[RS_REC_TCP_STATE] >= 4);		/* both ends, open and close */
	assert_true(t.by_type[RS_REC_TCP_STATS] >= 2);		/* final stats of both */
	rs_bpf_probes_disable(&p, "tcp");
	assert_false(rs_bpf_probes_enabled(&p, "tcp"));
	memset(&t, 0, sizeof(t));
	one_connection();
	drain_all(&set, &t);
	assert_int_equal(t.by_type[RS_REC_TCP_STATE], 0);	/* off means off */
	assert_int_equal(rs_bpf_probes_enable(&p, "tcp", err, sizeof(err)), 0);
	one_connection();
	drain_all(&set, &t);
	assert_true(t.by_type[RS_REC_TCP_STATE] >= 4);
	print_message("    missed events so far: %llu\n",
		      (unsigned long long)rs_bpf_probes_missed(&p));
	rs_ring_set_close(&set);
	rs_bpf_probes_close(&p);
}

static void test_walk_every_namespace(void **state)
{
	struct netns_pair ns;
	struct rs_bpf_probes p;
	struct rs_ring_set set;
	struct tally t;
	char err[256], cmd[512];
	FILE *server;
	int walked;

	(void)state;
	assert_int_equal(netns_pair_create(&ns, "rsprb", 9), 0);
	assert_int_equal(rs_bpf_probes_init(&p, 12, 0, err, sizeof(err)), 0);
	assert_int_equal(rs_ring_set_from_bpf_map(&set, p.rings_fd, p.doorbell_fd, err,
						  sizeof(err)), 0);
	assert_int_equal(rs_bpf_probes_enable(&p, "tcp", err, sizeof(err)), 0);
	/* a connection that stays open inside the namespaces while we walk */
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s iperf3 -s -1 >/dev/null 2>&1 & sleep 0.3; "
		 "ip netns exec %s iperf3 -c %s -t 2 >/dev/null 2>&1 &",
		 ns.b, ns.a, ns.addr_b);
	server = popen(cmd, "r");
	assert_non_null(server);
	pclose(server);
	usleep(1000 * 1000);
	memset(&t, 0, sizeof(t));
	drain_all(&set, &t);
	memset(&t, 0, sizeof(t));
	walked = rs_bpf_probes_walk(&p);
	drain_all(&set, &t);
	print_message("    walked %d namespaces: %llu TCP_STATS records, %llu walks, %llu errors\n",
		      walked, (unsigned long long)t.by_type[RS_REC_TCP_STATS],
		      (unsigned long long)p.walks, (unsigned long long)p.walk_errors);
	assert_true(walked >= 3);				/* root + the two */
	assert_true(t.by_type[RS_REC_TCP_STATS] >= 2);	/* the iperf3 sockets in there */
	assert_int_equal(p.walk_errors, 0);
	usleep(2500 * 1000);					/* let iperf3 finish */
	rs_ring_set_close(&set);
	rs_bpf_probes_close(&p);
	netns_pair_destroy(&ns);
}

int main(void)
{
	const char *why = bpf_test_skip_reason();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enable_disable),
		cmocka_unit_test(test_walk_every_namespace),
	};

	if (why) {
		printf("[==========] bpf_probes: skipped: %s\n", why);
		printf("[  SKIPPED ] %zu test(s), listed below:\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	if (system("command -v iperf3 >/dev/null 2>&1") != 0) {
		printf("[==========] bpf_probes: skipped: iperf3 not installed (make deps)\n");
		printf("[  SKIPPED ] %zu test(s), listed below:\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	return cmocka_run_group_tests_name("bpf_probes", tests, NULL, NULL);
}
