// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* log.c - level-filtered, timestamped diagnostic lines, one write each. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "log.h"

static int log_level = RS_LOG_INFO;
static int log_fd = 2;

int rs_log_open(int level, const char *path)
{
	int fd = 2;

	log_level = level;
	if (path && *path) {
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (fd < 0)
			return -1;
	}
	if (log_fd > 2)
		close(log_fd);
	log_fd = fd;
	return 0;
}

void rs_log_set_level(int level)
{
	__atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

void rs_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "DEBUG", "INFO", "WARN", "ERROR" };
	char line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if (level < __atomic_load_n(&log_level, __ATOMIC_RELAXED))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ringscoped: ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec, ts.tv_nsec / 1000000, names[level & 3]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(log_fd, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

void rs_log_error_msg(const char *msg)
{
	rs_log(RS_LOG_ERROR, "%s", msg);
}
