// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* mounts.c - parse /proc/self/mounts (fstab format, octal escapes). */
#include <string.h>

#include "sources.h"

/* Copy a mounts field decoding \ooo escapes (space, tab, newline, '\\'). */
static bool copy_unescaped(char *dst, size_t cap, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 3 < len &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			c = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
			i += 3;
		}
		if (c == '\0' || o + 1 >= cap)
			return false;
		dst[o++] = c;
	}
	if (cap == 0)
		return false;
	dst[o] = '\0';
	return true;
}

static bool option_ro(const char *opts, size_t len)
{
	const char *p = opts, *end = opts + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;

		if (e - p == 2 && memcmp(p, "ro", 2) == 0)
			return true;
		p = e + 1;
	}
	return false;
}

int rsc_parse_mounts(const char *buf, size_t len, struct rsc_mount_list *out, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end;

	out->n = 0;
	out->dropped = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		const char *p = line, *tok[4];
		size_t tlen[4];
		unsigned int n;
		struct rsc_mount *m;

		for (n = 0; n < 4 && rsc_token(&p, end, &tok[n], &tlen[n]); n++)
			;
		if (n == 0)
			continue;
		if (n < 4) {
			rsc_perr_add(err, lines.lineno, "%u fields, expected at least 4", n);
			continue;
		}
		if (out->n >= out->cap) {
			out->dropped++;
			continue;
		}
		m = &out->v[out->n];
		if (!copy_unescaped(m->source, sizeof(m->source), tok[0], tlen[0]) ||
		    !copy_unescaped(m->dir, sizeof(m->dir), tok[1], tlen[1]) ||
		    !rsc_copy_token(m->type, sizeof(m->type), tok[2], tlen[2])) {
			rsc_perr_add(err, lines.lineno, "field too long or contains NUL");
			continue;
		}
		m->ro = option_ro(tok[3], tlen[3]);
		out->n++;
	}
	return (int)err->count;
}
