// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_rings.c - rings in a BPF_F_MMAPABLE array map (bpf/ring.bpf.h): size
 * them, format them before programs attach, and attach the consumer.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "shm_internal.h"

size_t rs_bpf_ring_value_size(unsigned int order)
{
	return RS_RING_BYTES(order);
}

static int order_of_value_size(size_t value_size)
{
	unsigned int order;

	for (order = RS_RING_MIN_ORDER; order <= RS_RING_MAX_ORDER; order++)
		if (RS_RING_BYTES(order) == value_size)
			return (int)order;
	return -1;
}

/* Check that map_fd is a rings map and mmap it. */
static int map_rings(int map_fd, struct bpf_map_info *info, void **base,
		     size_t *len, char *err, size_t errlen)
{
	__u32 info_len = sizeof(*info);
	int ret;

	memset(info, 0, sizeof(*info));
	ret = bpf_obj_get_info_by_fd(map_fd, info, &info_len);
	if (ret) {
		rs_set_error(err, errlen, "BPF rings: fd %d is not a BPF map: %s",
			     map_fd, strerror(errno));
		return -EBADF;
	}
	if (info->type != BPF_MAP_TYPE_ARRAY) {
		rs_set_error(err, errlen,
			     "BPF rings: map '%s' has type %u, want an array map (%u)",
			     info->name, info->type, BPF_MAP_TYPE_ARRAY);
		return -EINVAL;
	}
	if (!(info->map_flags & BPF_F_MMAPABLE)) {
		rs_set_error(err, errlen,
			     "BPF rings: map '%s' lacks BPF_F_MMAPABLE (flags 0x%x)",
			     info->name, info->map_flags);
		return -EINVAL;
	}
	if (info->key_size != 4 || order_of_value_size(info->value_size) < 0) {
		rs_set_error(err, errlen,
			     "BPF rings: map '%s' value size %u is not a ring size (4096 + 64 * 2^k, k in [%u, %u])",
			     info->name, info->value_size, RS_RING_MIN_ORDER,
			     RS_RING_MAX_ORDER);
		return -EINVAL;
	}
	*len = (size_t)info->value_size * info->max_entries;
	*base = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (*base == MAP_FAILED) {
		ret = -errno;
		rs_set_error(err, errlen, "BPF rings: mmap of map '%s' (%zu bytes): %s",
			     info->name, *len, strerror(errno));
		return ret;
	}
	return 0;
}

int rs_bpf_rings_format(int map_fd, unsigned int watermark, char *err,
			size_t errlen)
{
	struct bpf_map_info info;
	size_t len;
	void *base;
	unsigned int i;
	int ret, order;

	ret = map_rings(map_fd, &info, &base, &len, err, errlen);
	if (ret)
		return ret;
	order = order_of_value_size(info.value_size);
	for (i = 0; i < info.max_entries; i++)
		rs_ring_format((void *)((char *)base + (size_t)i * info.value_size),
			       (__u32)order, watermark, i, RS_RING_F_BPF);
	munmap(base, len);
	return 0;
}

static int ignore_signal(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

int rs_ring_set_from_bpf_map(struct rs_ring_set *set, int map_fd,
			     int doorbell_fd, char *err, size_t errlen)
{
	struct bpf_map_info info;
	size_t len;
	void *base;
	int ret;

	ret = map_rings(map_fd, &info, &base, &len, err, errlen);
	if (ret) {
		memset(set, 0, sizeof(*set));
		set->fd = set->doorbell.fd = -1;
		return ret;
	}
	ret = rs_ring_set_from_memory(set, base, info.value_size,
				      info.max_entries, err, errlen);
	if (ret) {
		munmap(base, len);
		return ret;
	}
	set->source = RS_SOURCE_BPF;
	set->map_len = len;
	set->fd = map_fd;
	if (doorbell_fd >= 0) {
		set->doorbell.ringbuf = ring_buffer__new(doorbell_fd, ignore_signal,
							 NULL, NULL);
		if (!set->doorbell.ringbuf) {
			ret = -errno;
			rs_set_error(err, errlen,
				     "BPF rings: doorbell fd %d is not a BPF ringbuf: %s",
				     doorbell_fd, strerror(errno));
			rs_ring_set_close(set);
			return ret;
		}
		set->doorbell.kind = RS_DOORBELL_BPF_RINGBUF;
		set->doorbell.fd = ring_buffer__epoll_fd(set->doorbell.ringbuf);
	}
	return 0;
}
