/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kmod_rings.h - consumer attach to /dev/ringscope (kmod/ringscope.ko): the
 * version handshake, ring size, probe groups, mmap of every cpu's ring as a
 * struct rs_ring_set; and the per-probe-group choice of source (bpf, kmod,
 * auto) the agent's config makes.
 *
 * Same error convention as shm.h: 0 (or a file descriptor) on success, a
 * negative errno on failure with a message in err.
 */
#ifndef RINGSCOPE_KMOD_RINGS_H
#define RINGSCOPE_KMOD_RINGS_H

#include <stddef.h>
#include <stdint.h>
#include <ringscope/kmod_uapi.h>

#include "shm.h"

/*
 * Open the device (path NULL: RS_KMOD_DEVICE_PATH) and agree on versions.
 * Returns the fd. -EBUSY: another consumer has it; -EPROTONOSUPPORT: the
 * module speaks another API, ring ABI or record size (err names both).
 */
int rs_kmod_open(const char *path, char *err, size_t errlen);

/*
 * A watcher (read-only open, see kmod_uapi.h): a drain worker's own doorbell
 * whose poll() only considers rings[0..n) (ring = cpu); n == 0: all rings.
 * Returns the fd.
 */
int rs_kmod_open_watcher(const char *path, const unsigned int *rings,
			 unsigned int n, char *err, size_t errlen);

/* Narrow the rings fd's poll() looks at (consumer or watcher fd). */
int rs_kmod_set_poll_rings(int fd, const unsigned int *rings, unsigned int n,
			   char *err, size_t errlen);

/* New empty rings of 2^order slots; only with no group on and no mapping. */
int rs_kmod_set_ring(int fd, unsigned int order, unsigned int watermark,
		     char *err, size_t errlen);

int rs_kmod_get_geometry(int fd, struct rs_kmod_geometry *geo,
			 char *err, size_t errlen);

/* Turn probe groups (RS_KMOD_GROUP_*) on or off. */
int rs_kmod_enable(int fd, uint32_t groups, char *err, size_t errlen);
int rs_kmod_disable(int fd, uint32_t groups, char *err, size_t errlen);

/* Emit attempts per record type since the rings were allocated. */
int rs_kmod_get_stats(int fd, struct rs_kmod_stats *stats,
		      char *err, size_t errlen);

/*
 * mmap every ring of the device fd (after rs_kmod_open) into one
 * rs_ring_set: source RS_SOURCE_KMOD, doorbell RS_DOORBELL_POLL on the fd
 * (readable while a ring holds watermark or more records). On success the
 * set owns fd: rs_ring_set_close() unmaps and closes it, which disables
 * every group; on failure the caller still owns fd.
 */
int rs_ring_set_from_kmod(struct rs_ring_set *set, int fd,
			  char *err, size_t errlen);

/* Where a probe group's records come from, as configured. */
enum rs_source_choice {
	RS_SOURCE_CHOICE_AUTO = 0,	/* kmod when the device exists, else bpf */
	RS_SOURCE_CHOICE_BPF,
	RS_SOURCE_CHOICE_KMOD,
};

/* "auto", "bpf" or "kmod" -> choice; -EINVAL for anything else. */
int rs_source_choice_parse(const char *text, enum rs_source_choice *choice);
const char *rs_source_choice_name(enum rs_source_choice choice);

/*
 * The source to use for a group: RS_SOURCE_BPF or RS_SOURCE_KMOD. auto picks
 * kmod when the device node exists and the module offers the group (the
 * group's bit in groups_available, probed once through device_path); kmod
 * and bpf are taken as said (the attach reports what is missing).
 */
enum rs_ring_source rs_source_resolve(enum rs_source_choice choice,
				      uint32_t kmod_group,
				      const char *device_path);

/* "sched", "block", "tcp" -> RS_KMOD_GROUP_*; 0 when the kmod has none. */
uint32_t rs_kmod_group_by_name(const char *name);

#endif /* RINGSCOPE_KMOD_RINGS_H */
