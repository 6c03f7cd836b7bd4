// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* reader.c - batch reads of /proc and /sys files through io_uring, or pread(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

#define INITIAL_CAP 8192

void rsc_reader_init(struct rsc_reader *r, unsigned int entries, bool try_uring)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->entries = entries ? entries : 64;
	if (!try_uring) {
		snprintf(r->reason, sizeof(r->reason), "io_uring disabled by configuration");
		return;
	}
	rc = io_uring_queue_init(r->entries, &r->ring, 0);
	if (rc < 0) {
		snprintf(r->reason, sizeof(r->reason), "io_uring_queue_init: %s", strerror(-rc));
		return;
	}
	r->uring = true;
}

void rsc_reader_fini(struct rsc_reader *r)
{
	if (r->uring)
		io_uring_queue_exit(&r->ring);
	r->uring = false;
}

int rsc_file_init(struct rsc_file *f, const char *root, const char *rel)
{
	int n = snprintf(f->path, sizeof(f->path), "%s/%s", root, rel);

	f->fd = -1;
	f->buf = NULL;
	f->cap = f->len = 0;
	f->err = 0;
	return n < 0 || (size_t)n >= sizeof(f->path) ? -1 : 0;
}

void rsc_file_fini(struct rsc_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	f->fd = -1;
	f->buf = NULL;
	f->cap = f->len = 0;
}

static bool file_open(struct rsc_file *f)
{
	if (f->fd >= 0)
		return true;
	if (!f->buf) {
		f->buf = malloc(INITIAL_CAP);
		if (!f->buf) {
			f->err = ENOMEM;
			return false;
		}
		f->cap = INITIAL_CAP;
	}
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		f->err = errno;
		return false;
	}
	return true;
}

/* A read result: res bytes or -errno. Grows and re-reads a full buffer. */
static void file_done(struct rsc_file *f, int res)
{
	while (res >= 0 && (size_t)res == f->cap) {
		size_t cap = f->cap * 2;
		char *buf;

		if (cap > RSC_FILE_MAX_SIZE) {
			res = -EFBIG;
			break;
		}
		buf = realloc(f->buf, cap);
		if (!buf) {
			res = -ENOMEM;
			break;
		}
		f->buf = buf;
		f->cap = cap;
		res = (int)pread(f->fd, f->buf, f->cap, 0);
		if (res < 0)
			res = -errno;
	}
	if (res < 0) {
		f->err = -res;
		f->len = 0;
		close(f->fd);
		f->fd = -1;
		return;
	}
	f->err = 0;
	f->len = (size_t)res;
}

static void read_plain(struct rsc_file *const *files, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct rsc_file *f = files[i];
		ssize_t res;

		if (f->fd < 0)
			continue;
		res = pread(f->fd, f->buf, f->cap, 0);
		file_done(f, res < 0 ? -errno : (int)res);
	}
}

/* Submit up to r->entries reads, wait for them all. -errno if the ring failed. */
static int read_uring_chunk(struct rsc_reader *r, struct rsc_file *const *files, unsigned int n)
{
	unsigned int queued = 0, done = 0;
	int rc;

	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe;

		if (files[i]->fd < 0)
			continue;
		sqe = io_uring_get_sqe(&r->ring);
		if (!sqe)
			break;
		io_uring_prep_read(sqe, files[i]->fd, files[i]->buf, (unsigned int)files[i]->cap, 0);
		/* procfs and sysfs cannot read without blocking (no FMODE_NOWAIT):
		 * go straight to io-wq instead of trying inline first (measured:
		 * a third cheaper on 6.18) */
		sqe->flags |= IOSQE_ASYNC;
		io_uring_sqe_set_data(sqe, files[i]);
		queued++;
	}
	if (queued == 0)
		return 0;
	rc = io_uring_submit_and_wait(&r->ring, queued);
	if (rc < 0)
		return rc;
	r->submits++;
	while (done < queued) {
		struct io_uring_cqe *cqe;

		rc = io_uring_wait_cqe(&r->ring, &cqe);
		if (rc < 0)
			return rc;
		file_done(io_uring_cqe_get_data(cqe), cqe->res);
		io_uring_cqe_seen(&r->ring, cqe);
		done++;
	}
	return 0;
}

unsigned int rsc_reader_read(struct rsc_reader *r, struct rsc_file *const *files, unsigned int n)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++) {
		files[i]->len = 0;
		file_open(files[i]);
	}
	if (!r->uring) {
		read_plain(files, n);
	} else {
		for (unsigned int i = 0; i < n; i += r->entries) {
			unsigned int chunk = n - i < r->entries ? n - i : r->entries;
			int rc = read_uring_chunk(r, files + i, chunk);

			if (rc < 0) {
				/* the ring itself failed: stop using it, finish plainly */
				snprintf(r->reason, sizeof(r->reason), "io_uring_submit: %s",
					 strerror(-rc));
				rsc_reader_fini(r);
				read_plain(files + i, n - i);
				break;
			}
		}
	}
	for (unsigned int i = 0; i < n; i++)
		ok += files[i]->fd >= 0 && files[i]->err == 0;
	return ok;
}
