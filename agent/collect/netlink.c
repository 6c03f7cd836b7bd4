// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* netlink.c - one rtnetlink RTM_GETQDISC dump per interval into a growing buffer. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "netlink.h"

#define RECV_CHUNK (64u << 10)
#define DUMP_MAX (4u << 20)

int rsc_nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };	/* never stall the interval */
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* True once the chunk holds NLMSG_DONE or NLMSG_ERROR for our sequence. */
static bool chunk_ends(const unsigned char *p, size_t len, uint32_t seq)
{
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return true;	/* malformed: let the parser say so */
		if (h.nlmsg_seq == seq && (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR))
			return true;
		if (NLMSG_ALIGN(h.nlmsg_len) >= len)
			break;
		p += NLMSG_ALIGN(h.nlmsg_len);
		len -= NLMSG_ALIGN(h.nlmsg_len);
	}
	return false;
}

ssize_t rsc_nl_dump_qdisc(int fd, uint32_t seq, struct rsc_nl_buf *b)
{
	struct {
		struct nlmsghdr h;
		struct tcmsg t;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETQDISC,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = seq },
		.t = { .tcm_family = AF_UNSPEC },
	};
	size_t used = 0;

	if (send(fd, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (b->cap - used < RECV_CHUNK) {
			size_t cap = b->cap ? b->cap * 2 : 2 * RECV_CHUNK;
			unsigned char *p;

			if (cap > DUMP_MAX)
				return -EFBIG;
			p = realloc(b->buf, cap);
			if (!p)
				return -ENOMEM;
			b->buf = p;
			b->cap = cap;
		}
		n = recv(fd, b->buf + used, RECV_CHUNK, 0);
		if (n < 0)
			return -errno;	/* EAGAIN: timed out */
		if (n == 0)
			return -EPIPE;
		if (chunk_ends(b->buf + used, (size_t)n, seq)) {
			used += (size_t)n;
			break;
		}
		used += (size_t)n;
	}
	return (ssize_t)used;
}
