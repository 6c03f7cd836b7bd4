/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * reader.h - read a set of small files from offset 0 in one batch: one
 * io_uring submission of all reads, or plain pread() when io_uring is not
 * available. Files stay open between batches (procfs and sysfs regenerate
 * their content on every read from offset 0), so steady state costs one
 * submit and one wait per interval.
 */
#ifndef RINGSCOPE_COLLECT_READER_H
#define RINGSCOPE_COLLECT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <liburing.h>

#define RSC_FILE_PATH_MAX 600
#define RSC_FILE_MAX_SIZE (16u << 20)	/* a bigger file is an error */

struct rsc_file {
	char path[RSC_FILE_PATH_MAX];
	int fd;			/* -1: not open */
	char *buf;
	size_t cap, len;	/* len: bytes of the last read */
	int err;		/* 0, or errno of the last open/read */
};

struct rsc_reader {
	struct io_uring ring;
	bool uring;
	unsigned int entries;
	uint64_t submits;
	char reason[128];	/* why io_uring is not used */
};

/* try_uring false: plain reads only. Never fails: falls back, with reason. */
void rsc_reader_init(struct rsc_reader *r, unsigned int entries, bool try_uring);
void rsc_reader_fini(struct rsc_reader *r);

/* path is root + rel; returns -1 if it does not fit. */
int rsc_file_init(struct rsc_file *f, const char *root, const char *rel);
void rsc_file_fini(struct rsc_file *f);

/* Read each file whole: open the closed ones, then one batch of reads. On
 * return each file has len/err set; a failed read closes it (reopened next
 * time). Returns the number of files read without error. */
unsigned int rsc_reader_read(struct rsc_reader *r, struct rsc_file *const *files, unsigned int n);

#endif /* RINGSCOPE_COLLECT_READER_H */
