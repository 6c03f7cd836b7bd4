// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* kmsg.c - parse /dev/kmsg records; read them non-blocking. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

/* An unsigned decimal field ending at a ',' or ';' (returned in *end). */
static int field(const char **p, const char *end, uint64_t *out, char *sep)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s >= end || (*s != ',' && *s != ';'))
		return -1;
	*sep = *s;
	*p = s + 1;
	*out = v;
	return 0;
}

int rs_kmsg_parse(const char *rec, size_t len, struct rs_kmsg *out)
{
	const char *p = rec, *end = rec + len, *semi, *nl, *line;
	uint64_t prio;
	char sep;

	memset(out, 0, sizeof(*out));
	if (field(&p, end, &prio, &sep) < 0 || sep != ',' ||
	    field(&p, end, &out->seq, &sep) < 0 || sep != ',' ||
	    field(&p, end, &out->ts_us, &sep) < 0)
		return -1;
	semi = memchr(p - 1, ';', (size_t)(end - (p - 1)));
	if (!semi)
		return -1;
	if (sep == ',' && memchr(p, 'c', (size_t)(semi - p)))
		out->continuation = 1;
	if (prio > 0xffffff)
		return -1;
	out->facility = (int)(prio >> 3);
	out->level = (int)(prio & 7);
	out->msg = semi + 1;
	nl = memchr(out->msg, '\n', (size_t)(end - out->msg));
	out->msg_len = (size_t)((nl ? nl : end) - out->msg);
	for (line = nl; line && line + 1 < end; line = nl) {	/* " KEY=value" lines */
		const char *s = line + 1;

		nl = memchr(s, '\n', (size_t)(end - s));
		if (*s != ' ')
			break;
		if ((size_t)(end - s) > 8 && !memcmp(s, " DEVICE=", 8)) {
			out->device = s + 8;
			out->device_len = (size_t)((nl ? nl : end) - out->device);
		}
	}
	return 0;
}

int rs_kmsg_open(const char *path)
{
	int fd = open(path ? path : "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

long rs_kmsg_read(int fd, char *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	if (n >= 0)
		return (long)n;
	if (errno == EAGAIN)
		return 0;
	return -errno;
}
