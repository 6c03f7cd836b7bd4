// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* kmod.c - attach the ring consumer to /dev/ringscope and pick sources. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod_rings.h"
#include "shm_internal.h"

static const char *device_path(const char *path)
{
	return path ? path : RS_KMOD_DEVICE_PATH;
}

static int kmod_open(const char *path, int flags, char *err, size_t errlen)
{
	struct rs_kmod_hello hello = {
		.api_version = RS_KMOD_API_VERSION,
		.ring_abi_version = RS_RING_ABI_VERSION,
		.record_size = RS_RECORD_SIZE,
	};
	int fd, ret;

	path = device_path(path);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		rs_set_error(err, errlen, "kmod: open %s: %s%s", path,
			     strerror(errno),
			     errno == EBUSY ? " (another consumer has it)" :
			     errno == ENOENT ? " (ringscope.ko not loaded)" : "");
		return ret;
	}
	if (ioctl(fd, RS_KMOD_IOC_HELLO, &hello) < 0) {
		ret = -errno;
		if (errno == EPROTONOSUPPORT)
			rs_set_error(err, errlen,
				     "kmod: %s speaks API %u, ring ABI %u, %u-byte records; this consumer API %u, ring ABI %u, %u-byte records",
				     path, hello.api_version,
				     hello.ring_abi_version, hello.record_size,
				     RS_KMOD_API_VERSION, RS_RING_ABI_VERSION,
				     RS_RECORD_SIZE);
		else
			rs_set_error(err, errlen, "kmod: version handshake on %s: %s",
				     path, strerror(errno));
		close(fd);
		return ret;
	}
	return fd;
}

int rs_kmod_open(const char *path, char *err, size_t errlen)
{
	return kmod_open(path, O_RDWR, err, errlen);
}

int rs_kmod_open_watcher(const char *path, const unsigned int *rings,
			 unsigned int n, char *err, size_t errlen)
{
	int fd, ret;

	fd = kmod_open(path, O_RDONLY, err, errlen);
	if (fd < 0 || n == 0)
		return fd;
	ret = rs_kmod_set_poll_rings(fd, rings, n, err, errlen);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

static int kmod_ioctl(int fd, unsigned long cmd, void *arg, const char *what,
		      char *err, size_t errlen)
{
	int ret;

	if (ioctl(fd, cmd, arg) == 0)
		return 0;
	ret = -errno;
	rs_set_error(err, errlen, "kmod: %s: %s%s", what, strerror(errno),
		     errno == EBUSY ? " (groups enabled or rings mapped)" : "");
	return ret;
}

int rs_kmod_set_ring(int fd, unsigned int order, unsigned int watermark,
		     char *err, size_t errlen)
{
	struct rs_kmod_ring_config c = { .order = order, .watermark = watermark };

	return kmod_ioctl(fd, RS_KMOD_IOC_SET_RING, &c, "set ring size", err,
			  errlen);
}

int rs_kmod_get_geometry(int fd, struct rs_kmod_geometry *geo, char *err,
			 size_t errlen)
{
	return kmod_ioctl(fd, RS_KMOD_IOC_GET_GEOMETRY, geo, "get geometry",
			  err, errlen);
}

int rs_kmod_enable(int fd, uint32_t groups, char *err, size_t errlen)
{
	struct rs_kmod_groups g = { .groups = groups };

	return kmod_ioctl(fd, RS_KMOD_IOC_ENABLE, &g, "enable probe groups",
			  err, errlen);
}

int rs_kmod_disable(int fd, uint32_t groups, char *err, size_t errlen)
{
	struct rs_kmod_groups g = { .groups = groups };

	return kmod_ioctl(fd, RS_KMOD_IOC_DISABLE, &g, "disable probe groups",
			  err, errlen);
}

int rs_kmod_set_poll_rings(int fd, const unsigned int *rings, unsigned int n,
			   char *err, size_t errlen)
{
	struct rs_kmod_poll_rings pr = { 0 };
	struct rs_kmod_geometry geo;
	uint64_t *words;
	unsigned int i;
	int ret;

	ret = rs_kmod_get_geometry(fd, &geo, err, errlen);
	if (ret)
		return ret;
	words = calloc((geo.nrings + 63) / 64, sizeof(*words));
	if (!words) {
		rs_set_error(err, errlen, "kmod: out of memory for a ring mask");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (rings[i] >= geo.nrings) {
			rs_set_error(err, errlen, "kmod: ring %u of %u rings",
				     rings[i], geo.nrings);
			free(words);
			return -EINVAL;
		}
		words[rings[i] / 64] |= 1ULL << (rings[i] % 64);
	}
	pr.mask = (uint64_t)(uintptr_t)words;
	pr.nbits = geo.nrings;
	ret = kmod_ioctl(fd, RS_KMOD_IOC_SET_POLL_RINGS, &pr, "set poll rings",
			 err, errlen);
	free(words);
	return ret;
}

int rs_kmod_get_stats(int fd, struct rs_kmod_stats *stats, char *err,
		      size_t errlen)
{
	return kmod_ioctl(fd, RS_KMOD_IOC_GET_STATS, stats, "get stats", err,
			  errlen);
}

int rs_ring_set_from_kmod(struct rs_ring_set *set, int fd, char *err,
			  size_t errlen)
{
	struct rs_kmod_geometry geo;
	void *base;
	int ret;

	memset(set, 0, sizeof(*set));
	set->fd = set->doorbell.fd = -1;
	ret = rs_kmod_get_geometry(fd, &geo, err, errlen);
	if (ret)
		return ret;
	base = mmap(NULL, geo.map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (base == MAP_FAILED) {
		ret = -errno;
		rs_set_error(err, errlen, "kmod: mmap of %u rings (%llu bytes): %s",
			     geo.nrings, (unsigned long long)geo.map_bytes,
			     strerror(errno));
		return ret;
	}
	ret = rs_ring_set_from_memory(set, base, geo.ring_bytes, geo.nrings,
				      err, errlen);
	if (ret) {
		munmap(base, geo.map_bytes);
		return ret;
	}
	set->source = RS_SOURCE_KMOD;
	set->map_len = geo.map_bytes;
	set->fd = fd;
	set->own_fd = 1;
	set->doorbell.kind = RS_DOORBELL_POLL;
	set->doorbell.fd = fd;
	return 0;
}

int rs_source_choice_parse(const char *text, enum rs_source_choice *choice)
{
	if (!text)
		return -EINVAL;
	if (!strcmp(text, "auto"))
		*choice = RS_SOURCE_CHOICE_AUTO;
	else if (!strcmp(text, "bpf"))
		*choice = RS_SOURCE_CHOICE_BPF;
	else if (!strcmp(text, "kmod"))
		*choice = RS_SOURCE_CHOICE_KMOD;
	else
		return -EINVAL;
	return 0;
}

const char *rs_source_choice_name(enum rs_source_choice choice)
{
	switch (choice) {
	case RS_SOURCE_CHOICE_AUTO:
		return "auto";
	case RS_SOURCE_CHOICE_BPF:
		return "bpf";
	case RS_SOURCE_CHOICE_KMOD:
		return "kmod";
	}
	return "?";
}

uint32_t rs_kmod_group_by_name(const char *name)
{
	if (!strcmp(name, "sched"))
		return RS_KMOD_GROUP_SCHED;
	if (!strcmp(name, "block"))
		return RS_KMOD_GROUP_BLOCK;
	if (!strcmp(name, "tcp"))
		return RS_KMOD_GROUP_TCP;
	return 0;
}

/*
 * Groups the module offers, without disturbing a running consumer: the
 * device is exclusive, so when it is busy the module is there and in use;
 * trust it for every group then (the attach will tell otherwise).
 */
static uint32_t kmod_groups_available(const char *path)
{
	struct rs_kmod_geometry geo;
	struct stat st;
	int fd;

	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return 0;
	fd = rs_kmod_open(path, NULL, 0);
	if (fd == -EBUSY)
		return RS_KMOD_GROUPS_ALL;
	if (fd < 0)
		return 0;
	if (rs_kmod_get_geometry(fd, &geo, NULL, 0))
		geo.groups_available = 0;
	close(fd);
	return geo.groups_available;
}

enum rs_ring_source rs_source_resolve(enum rs_source_choice choice,
				      uint32_t kmod_group,
				      const char *path)
{
	switch (choice) {
	case RS_SOURCE_CHOICE_BPF:
		return RS_SOURCE_BPF;
	case RS_SOURCE_CHOICE_KMOD:
		return RS_SOURCE_KMOD;
	case RS_SOURCE_CHOICE_AUTO:
		break;
	}
	if (kmod_group &&
	    (kmod_groups_available(device_path(path)) & kmod_group) == kmod_group)
		return RS_SOURCE_KMOD;
	return RS_SOURCE_BPF;
}
