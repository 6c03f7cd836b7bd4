/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netns_pair.h - test helper: two network namespaces joined by a veth pair,
 * "<prefix>a" (10.231.N.1) and "<prefix>b" (10.231.N.2), so tests send
 * traffic only between namespaces they made; and running a command in one.
 */
#ifndef RINGSCOPE_TESTS_NETNS_PAIR_H
#define RINGSCOPE_TESTS_NETNS_PAIR_H

#include <stdio.h>
#include <stdlib.h>

struct netns_pair {
	char a[32], b[32];		/* namespace names */
	char addr_a[32], addr_b[32];	/* their addresses */
};

static inline int netns_run(const char *cmd)
{
	int rc = system(cmd);

	return rc == 0 ? 0 : -1;
}

static inline void netns_pair_destroy(struct netns_pair *p)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null",
		 p->a, p->b);
	netns_run(cmd);
}

/* subnet: 0..255, keeps concurrent tests apart. */
static inline int netns_pair_create(struct netns_pair *p, const char *prefix, int subnet)
{
	char cmd[1024];

	snprintf(p->a, sizeof(p->a), "%sa", prefix);
	snprintf(p->b, sizeof(p->b), "%sb", prefix);
	snprintf(p->addr_a, sizeof(p->addr_a), "10.231.%d.1", subnet);
	snprintf(p->addr_b, sizeof(p->addr_b), "10.231.%d.2", subnet);
	netns_pair_destroy(p);
	snprintf(cmd, sizeof(cmd),
		 "set -e; ip netns add %1$s; ip netns add %2$s; "
		 "ip link add %3$sva netns %1$s type veth peer name %3$svb netns %2$s; "
		 "ip -n %1$s addr add %4$s/24 dev %3$sva; ip -n %2$s addr add %5$s/24 dev %3$svb; "
		 "ip -n %1$s link set lo up; ip -n %2$s link set lo up; "
		 "ip -n %1$s link set %3$sva up; ip -n %2$s link set %3$svb up",
		 p->a, p->b, prefix, p->addr_a, p->addr_b);
	if (netns_run(cmd)) {
		netns_pair_destroy(p);
		return -1;
	}
	return 0;
}

#endif
