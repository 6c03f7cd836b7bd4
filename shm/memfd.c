// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * memfd.c - rings in a memfd: created here for user-space producers (tests,
 * benchmarks, replay) or attached from a file descriptor handed over by
 * another process. Ring i lives at i * RS_RING_BYTES(order) in the file.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shm.h"
#include "shm_internal.h"

int rs_ring_set_create_memfd(struct rs_ring_set *set, unsigned int nrings,
			     unsigned int order, unsigned int watermark,
			     char *err, size_t errlen)
{
	size_t stride, len;
	void *base;
	unsigned int i;
	int fd, ret;

	memset(set, 0, sizeof(*set));
	set->fd = -1;
	set->doorbell.fd = -1;
	if (nrings == 0 || nrings > 65536) {
		rs_set_error(err, errlen, "memfd rings: ring count %u outside [1, 65536]", nrings);
		return -EINVAL;
	}
	if (order < RS_RING_MIN_ORDER || order > RS_RING_MAX_ORDER) {
		rs_set_error(err, errlen, "memfd rings: order %u outside [%u, %u]",
			     order, RS_RING_MIN_ORDER, RS_RING_MAX_ORDER);
		return -EINVAL;
	}
	stride = RS_RING_BYTES(order);
	len = stride * nrings;
	fd = memfd_create("ringscope-rings", MFD_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		rs_set_error(err, errlen, "memfd_create: %s", strerror(errno));
		return ret;
	}
	if (ftruncate(fd, (off_t)len) < 0) {
		ret = -errno;
		rs_set_error(err, errlen, "memfd rings: ftruncate to %zu bytes: %s",
			     len, strerror(errno));
		close(fd);
		return ret;
	}
	base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		ret = -errno;
		rs_set_error(err, errlen, "memfd rings: mmap of %zu bytes: %s",
			     len, strerror(errno));
		close(fd);
		return ret;
	}
	for (i = 0; i < nrings; i++)
		rs_ring_format((void *)((char *)base + i * stride), order,
			       watermark, i, RS_RING_F_USER);
	ret = rs_ring_set_from_memory(set, base, stride, nrings, err, errlen);
	if (ret) {
		munmap(base, len);
		close(fd);
		return ret;
	}
	set->source = RS_SOURCE_MEMFD;
	set->map_len = len;
	set->fd = fd;
	set->own_fd = 1;
	set->doorbell.kind = RS_DOORBELL_EVENTFD;
	set->doorbell.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (set->doorbell.fd < 0) {
		ret = -errno;
		rs_set_error(err, errlen, "memfd rings: eventfd: %s", strerror(errno));
		rs_ring_set_close(set);
		return ret;
	}
	return 0;
}

int rs_ring_set_from_memfd(struct rs_ring_set *set, int fd, char *err,
			   size_t errlen)
{
	struct rs_ring_header first;
	struct stat st;
	size_t stride;
	void *base;
	int ret;

	memset(set, 0, sizeof(*set));
	set->fd = -1;
	set->doorbell.fd = -1;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		rs_set_error(err, errlen, "ring file: fstat: %s", strerror(errno));
		return ret;
	}
	if ((size_t)st.st_size < sizeof(first)) {
		rs_set_error(err, errlen, "ring file of %lld bytes is too small for a ring header",
			     (long long)st.st_size);
		return -EINVAL;
	}
	if (pread(fd, &first, sizeof(first), 0) != (ssize_t)sizeof(first)) {
		rs_set_error(err, errlen, "ring file: cannot read the first header");
		return -EIO;
	}
	ret = rs_ring_validate(&first, (size_t)st.st_size, err, errlen);
	if (ret)
		return ret;
	stride = RS_RING_BYTES(first.geo.order);
	if ((size_t)st.st_size % stride) {
		rs_set_error(err, errlen,
			     "ring file of %lld bytes is not a whole number of %zu-byte rings",
			     (long long)st.st_size, stride);
		return -EINVAL;
	}
	base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		ret = -errno;
		rs_set_error(err, errlen, "ring file: mmap: %s", strerror(errno));
		return ret;
	}
	ret = rs_ring_set_from_memory(set, base, stride,
				      (unsigned int)((size_t)st.st_size / stride),
				      err, errlen);
	if (ret) {
		munmap(base, (size_t)st.st_size);
		return ret;
	}
	set->source = RS_SOURCE_MEMFD;
	set->map_len = (size_t)st.st_size;
	set->fd = fd;
	return 0;
}
