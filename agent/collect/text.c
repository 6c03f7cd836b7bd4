// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* text.c - bounded line, token and number scanning for the collectors. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void rsc_perr_reset(struct rsc_perr *e)
{
	e->line = 0;
	e->count = 0;
	e->msg[0] = '\0';
}

void rsc_perr_add(struct rsc_perr *e, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (e->count++ > 0)
		return;
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void rsc_lines_init(struct rsc_lines *l, const char *buf, size_t len)
{
	l->p = buf;
	l->end = buf ? buf + len : buf;
	l->lineno = 0;
}

bool rsc_lines_next(struct rsc_lines *l, const char **line, const char **line_end)
{
	const char *nl;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*line = l->p;
	*line_end = nl ? nl : l->end;
	l->p = nl ? nl + 1 : l->end;
	l->lineno++;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\0';
}

bool rsc_token(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	if (s >= end) {
		*p = s;
		return false;
	}
	*tok = s;
	while (s < end && !is_space(*s))
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int rsc_parse_u64(const char *tok, size_t len, int base, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int d = digit_value(tok[i]);

		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -2;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

int rsc_parse_decimal(const char *tok, size_t len, double *out)
{
	double v = 0, scale = 1;
	size_t i = 0;
	bool digits = false;

	for (; i < len && tok[i] >= '0' && tok[i] <= '9'; i++, digits = true)
		v = v * 10 + (tok[i] - '0');
	if (i < len && tok[i] == '.') {
		for (i++; i < len && tok[i] >= '0' && tok[i] <= '9'; i++, digits = true) {
			scale /= 10;
			v += (tok[i] - '0') * scale;
		}
	}
	if (!digits || i != len)
		return -1;
	*out = v;
	return 0;
}

const char *rsc_parse_strerror(int rc)
{
	switch (rc) {
	case -1: return "not a number";
	case -2: return "number overflows 64 bits";
	case -3: return "no name";
	default: return "unknown error";
	}
}

bool rsc_copy_token(char *dst, size_t cap, const char *tok, size_t len)
{
	if (cap == 0 || len >= cap || memchr(tok, '\0', len))
		return false;
	memcpy(dst, tok, len);
	dst[len] = '\0';
	return true;
}

bool rsc_token_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(tok, word, len) == 0;
}

int rsc_name_numbers(const char *line, const char *end, char sep, int base,
		     const char **name, size_t *name_len,
		     uint64_t *vals, unsigned int max, unsigned int *ncols,
		     unsigned int *bad_col)
{
	const char *p = line, *tok;
	size_t len;
	unsigned int n = 0;

	*ncols = 0;
	*bad_col = 0;
	if (sep) {
		const char *s = memchr(line, sep, (size_t)(end - line));

		if (!s)
			return -3;
		while (p < s && is_space(*p))
			p++;
		len = (size_t)(s - p);
		while (len > 0 && is_space(p[len - 1]))
			len--;
		if (len == 0)
			return -3;
		*name = p;
		*name_len = len;
		p = s + 1;
	} else {
		if (!rsc_token(&p, end, name, name_len))
			return -3;
	}
	while (rsc_token(&p, end, &tok, &len)) {
		if (n < max) {
			int rc = rsc_parse_u64(tok, len, base, &vals[n]);

			if (rc) {
				*bad_col = n;
				*ncols = n;
				return rc;
			}
		}
		n++;
	}
	*ncols = n;
	return 0;
}
