/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* buf.h - a growable text buffer for rendering outputs; sticky on OOM. */
#ifndef RINGSCOPE_AGENT_BUF_H
#define RINGSCOPE_AGENT_BUF_H

#include <stddef.h>

struct rs_buf {
	char *data;
	size_t len, cap;
	int oom;		/* an append failed: contents are truncated */
};

void rs_buf_init(struct rs_buf *b);
void rs_buf_free(struct rs_buf *b);
void rs_buf_add(struct rs_buf *b, const char *s, size_t n);
void rs_buf_puts(struct rs_buf *b, const char *s);
__attribute__((format(printf, 2, 3)))
void rs_buf_printf(struct rs_buf *b, const char *fmt, ...);
/* A sample value as Prometheus writes it (integers exact, NaN, +Inf). */
void rs_buf_value(struct rs_buf *b, double v);
/* Label value escaping: backslash, double quote, newline. */
void rs_buf_label_value(struct rs_buf *b, const char *s);
/* HELP text escaping: backslash, newline. */
void rs_buf_help(struct rs_buf *b, const char *s);
/* Hand the data over (NUL-terminated), leaving b empty. */
char *rs_buf_take(struct rs_buf *b, size_t *len);

#endif /* RINGSCOPE_AGENT_BUF_H */
