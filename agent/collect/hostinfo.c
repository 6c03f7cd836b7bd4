// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* hostinfo.c - parse one-line files (hostname, osrelease, machine-id, dentry-state) and os-release. */
#include <string.h>

#include "sources.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int copy_trimmed(const char *s, const char *e, char *dst, size_t cap)
{
	while (s < e && blank(*s))
		s++;
	while (e > s && blank(e[-1]))
		e--;
	if (s == e || !rsc_copy_token(dst, cap, s, (size_t)(e - s)))
		return -1;
	return 0;
}

int rsc_parse_oneline(const char *buf, size_t len, char *dst, size_t cap)
{
	struct rsc_lines lines;
	const char *line, *end;

	rsc_lines_init(&lines, buf, len);
	if (!rsc_lines_next(&lines, &line, &end))
		return -1;
	return copy_trimmed(line, end, dst, cap);
}

int rsc_parse_os_release(const char *buf, size_t len, char *dst, size_t cap)
{
	static const char key[] = "PRETTY_NAME=";
	struct rsc_lines lines;
	const char *line, *end;

	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		if ((size_t)(end - line) < sizeof(key) - 1 || memcmp(line, key, sizeof(key) - 1))
			continue;
		line += sizeof(key) - 1;
		while (end > line && blank(end[-1]))
			end--;
		if (end - line >= 2 && (*line == '"' || *line == '\'') && end[-1] == *line) {
			line++;
			end--;
		}
		return copy_trimmed(line, end, dst, cap);
	}
	return -1;
}

int rsc_parse_dentry_state(const char *buf, size_t len, struct rsc_dentry_state *out,
			   struct rsc_perr *err)
{
	const char *p = buf, *end = buf + len, *tok;
	uint64_t *dst[3] = { &out->dentry, &out->unused, &out->age_limit };
	size_t tlen;

	for (int i = 0; i < 3; i++) {
		int rc;

		if (!rsc_token(&p, end, &tok, &tlen)) {
			rsc_perr_add(err, 1, "%d values, expected at least 3", i);
			return -1;
		}
		rc = rsc_parse_u64(tok, tlen, 10, dst[i]);
		if (rc) {
			rsc_perr_add(err, 1, "column %d: %s", i + 1, rsc_parse_strerror(rc));
			return -1;
		}
	}
	return 0;
}
