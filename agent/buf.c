// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* buf.c - growable text buffer with the escapes of the Prometheus format. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void rs_buf_init(struct rs_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void rs_buf_free(struct rs_buf *b)
{
	free(b->data);
	rs_buf_init(b);
}

static int reserve(struct rs_buf *b, size_t n)
{
	size_t cap;
	char *d;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d) {
		b->oom = 1;
		return -1;
	}
	b->data = d;
	b->cap = cap;
	return 0;
}

void rs_buf_add(struct rs_buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

void rs_buf_puts(struct rs_buf *b, const char *s)
{
	rs_buf_add(b, s, strlen(s));
}

void rs_buf_printf(struct rs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->data ? b->data + b->len : NULL,
		      b->data ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->data && b->len + (size_t)n < b->cap) {
		b->len += (size_t)n;
		return;
	}
	if (reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void rs_buf_value(struct rs_buf *b, double v)
{
	if (isnan(v))
		rs_buf_puts(b, "NaN");
	else if (isinf(v))
		rs_buf_puts(b, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		rs_buf_printf(b, "%.0f", v);
	else
		rs_buf_printf(b, "%.15g", v);
}

static void escaped(struct rs_buf *b, const char *s, int quote)
{
	const char *p = s;

	for (; *p; p++) {
		if (*p == '\\')
			rs_buf_add(b, "\\\\", 2);
		else if (*p == '\n')
			rs_buf_add(b, "\\n", 2);
		else if (quote && *p == '"')
			rs_buf_add(b, "\\\"", 2);
		else
			rs_buf_add(b, p, 1);
	}
}

void rs_buf_label_value(struct rs_buf *b, const char *s)
{
	escaped(b, s, 1);
}

void rs_buf_help(struct rs_buf *b, const char *s)
{
	escaped(b, s, 0);
}

char *rs_buf_take(struct rs_buf *b, size_t *len)
{
	char *d = b->data;

	if (!d) {
		d = calloc(1, 1);
		b->len = 0;
	}
	if (len)
		*len = b->len;
	rs_buf_init(b);
	return d;
}
