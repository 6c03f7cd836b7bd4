// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* jsonlog.c - size-rotated JSON-lines files with a file-count cap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "jsonlog.h"

static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

int rs_jsonlog_open(struct rs_jsonlog *l, const char *dir, const char *name,
		    uint64_t max_bytes, unsigned int count, char *err, size_t errlen)
{
	struct stat st;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->max_bytes = max_bytes;
	l->count = count ? count : 1;
	if (mkdir_p(dir)) {
		snprintf(err, errlen, "cannot create log folder %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(l->path, sizeof(l->path), "%s/%s", dir, name);
	l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", l->path, strerror(errno));
		return -1;
	}
	l->size = fstat(l->fd, &st) ? 0 : (uint64_t)st.st_size;
	return 0;
}

static void rotate(struct rs_jsonlog *l)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];
	unsigned int i;

	close(l->fd);
	l->fd = -1;
	if (l->count == 1) {
		unlink(l->path);
	} else {
		for (i = l->count - 1; i >= 1; i--) {
			if (i == 1)
				snprintf(from, sizeof(from), "%s", l->path);
			else
				snprintf(from, sizeof(from), "%s.%u", l->path, i - 1);
			snprintf(to, sizeof(to), "%s.%u", l->path, i);
			rename(from, to);	/* the oldest is replaced */
		}
	}
	l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC | O_CLOEXEC, 0644);
	l->size = 0;
	l->rotations++;
}

int rs_jsonlog_write(struct rs_jsonlog *l, const char *line, size_t len)
{
	struct iovec iov[2] = { { (void *)line, len }, { (void *)"\n", 1 } };

	if (l->fd < 0 && l->path[0])
		l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		l->errors++;
		return -1;
	}
	if (l->size && l->size + len + 1 > l->max_bytes)
		rotate(l);
	if (l->fd < 0 || writev(l->fd, iov, 2) != (ssize_t)(len + 1)) {
		l->errors++;
		return -1;
	}
	l->size += len + 1;
	l->lines++;
	return 0;
}

void rs_jsonlog_close(struct rs_jsonlog *l)
{
	if (l->path[0] && l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
