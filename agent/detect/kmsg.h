/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kmsg.h - one /dev/kmsg record, "prio,seq,ts_usec,flags[,...];message\n"
 * followed by optional " KEY=value\n" dictionary lines (SUBSYSTEM, DEVICE),
 * parsed without copying; and a non-blocking reader of the device.
 */
#ifndef RINGSCOPE_DETECT_KMSG_H
#define RINGSCOPE_DETECT_KMSG_H

#include <stddef.h>
#include <stdint.h>

struct rs_kmsg {
	int facility, level;	/* prio >> 3, prio & 7 */
	uint64_t seq;
	uint64_t ts_us;		/* microseconds since boot */
	int continuation;	/* flags has 'c' */
	const char *msg;	/* not NUL-terminated */
	size_t msg_len;
	const char *device;	/* DEVICE= value, or NULL */
	size_t device_len;
};

/* Parses one record of len bytes. Returns 0, or -1 if it is malformed
 * (missing fields, bad numbers, no ';'). */
int rs_kmsg_parse(const char *rec, size_t len, struct rs_kmsg *out);

/* Opens /dev/kmsg (or path) non-blocking, positioned after the last
 * record (old lines are not replayed). Returns the fd or -errno. */
int rs_kmsg_open(const char *path);

/* Reads one record into buf (>= 8 KiB; a record is at most ~8 KiB).
 * Returns its length, 0 if there is none now, -EPIPE if records were
 * overwritten before being read (the next read continues), -errno. */
long rs_kmsg_read(int fd, char *buf, size_t len);

#endif /* RINGSCOPE_DETECT_KMSG_H */
