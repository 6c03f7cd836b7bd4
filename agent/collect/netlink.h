/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* netlink.h - the rtnetlink socket the nic table asks for qdisc statistics. */
#ifndef RSC_COLLECT_NETLINK_H
#define RSC_COLLECT_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct rsc_nl_buf {
	unsigned char *buf;
	size_t cap;
};

/* A NETLINK_ROUTE socket with a 200 ms receive timeout, or -errno. */
int rsc_nl_open(void);
/* Dump every qdisc into b; bytes received (parse with rsc_parse_qdisc), or -errno. */
ssize_t rsc_nl_dump_qdisc(int fd, uint32_t seq, struct rsc_nl_buf *b);

#endif /* RSC_COLLECT_NETLINK_H */
