/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * text.h - bounded text scanning shared by every /proc and /sys parser:
 * lines, whitespace-separated tokens, checked numbers and the one generic
 * "name then numbers" line reader. Buffers are (pointer, length), never
 * assumed NUL-terminated, so fuzz input can be passed as is.
 */
#ifndef RINGSCOPE_COLLECT_TEXT_H
#define RINGSCOPE_COLLECT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* First malformed line of a file and how many were skipped. */
struct rsc_perr {
	unsigned int line;	/* 1-based; 0: the file as a whole */
	unsigned int count;
	char msg[128];
};

void rsc_perr_reset(struct rsc_perr *e);
/* Count one error; keep the message of the first. */
void rsc_perr_add(struct rsc_perr *e, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Line cursor over a buffer. */
struct rsc_lines {
	const char *p, *end;
	unsigned int lineno;	/* of the line last returned */
};

void rsc_lines_init(struct rsc_lines *l, const char *buf, size_t len);
/* Next line without its '\n'; false at the end. */
bool rsc_lines_next(struct rsc_lines *l, const char **line, const char **line_end);

/* Next whitespace-separated token of [*p, end); false if none left. */
bool rsc_token(const char **p, const char *end, const char **tok, size_t *len);

/* Unsigned number in base 10 or 16 (no sign, no prefix), whole token.
 * 0, or -1 (not a number) / -2 (overflows 64 bits). */
int rsc_parse_u64(const char *tok, size_t len, int base, uint64_t *out);
/* Decimal "123.456" to double; 0 or -1. */
int rsc_parse_decimal(const char *tok, size_t len, double *out);
const char *rsc_parse_strerror(int rc);

/* Copy a token into dst (NUL-terminated); false if it does not fit. */
bool rsc_copy_token(char *dst, size_t cap, const char *tok, size_t len);
bool rsc_token_is(const char *tok, size_t len, const char *word);

/*
 * The generic line shape "name[sep] n1 n2 ...": the name ends at sep (':'
 * for /proc/net/dev, /proc/meminfo, /proc/softirqs, where a number may
 * follow the colon without a space) or at whitespace (sep 0: /proc/stat).
 * Numbers after the name are parsed into vals[0..max); extra columns are
 * counted in *ncols but ignored. Returns 0, or a rsc_parse_u64 error with
 * *bad_col set to the 0-based column that failed, or -3 if there is no
 * name (or no sep when one is required).
 */
int rsc_name_numbers(const char *line, const char *end, char sep, int base,
		     const char **name, size_t *name_len,
		     uint64_t *vals, unsigned int max, unsigned int *ncols,
		     unsigned int *bad_col);

#endif /* RINGSCOPE_COLLECT_TEXT_H */
