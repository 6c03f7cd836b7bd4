/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* uring_poll.h - test helper: wait for a doorbell fd with io_uring, as the
 * agent's drain loop does (IORING_OP_POLL_ADD with a timeout). */
#ifndef RINGSCOPE_TESTS_URING_POLL_H
#define RINGSCOPE_TESTS_URING_POLL_H

#include <poll.h>
#include <liburing.h>

/* 1: fd became readable within timeout_ms, 0: timed out, <0: -errno. */
static inline int uring_wait_readable(int fd, unsigned int timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret < 0)
		return ret;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_submit(&ring);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	if (ret == -ETIME) {
		ret = 0;
	} else if (ret == 0) {
		ret = cqe->res < 0 ? cqe->res : ((cqe->res & POLLIN) ? 1 : 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return ret;
}

#endif
