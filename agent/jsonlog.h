/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * jsonlog.h - a JSON-lines log file in a folder, rotated by size
 * (name, name.1 ... name.(count-1)), so it never holds more than
 * count * max_bytes. Lines are written whole with one write().
 */
#ifndef RINGSCOPE_AGENT_JSONLOG_H
#define RINGSCOPE_AGENT_JSONLOG_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct rs_jsonlog {
	char path[PATH_MAX];
	int fd;
	uint64_t size;
	uint64_t max_bytes;
	unsigned int count;		/* files kept, the current one included */
	uint64_t lines, rotations, errors;
};

/* Create dir (and parents) and open dir/name for appending. */
int rs_jsonlog_open(struct rs_jsonlog *l, const char *dir, const char *name,
		    uint64_t max_bytes, unsigned int count, char *err, size_t errlen);
/* Append one line (a newline is added). Returns 0 or -1 (counted). */
int rs_jsonlog_write(struct rs_jsonlog *l, const char *line, size_t len);
void rs_jsonlog_close(struct rs_jsonlog *l);

#endif /* RINGSCOPE_AGENT_JSONLOG_H */
