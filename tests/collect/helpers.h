/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * helpers.h - shared by the collector tests: read a file, copy a fixture
 * tree into a scratch root, capture emitted rows and look them up, and read
 * a table's field names from its .meta file.
 */
#ifndef RINGSCOPE_TESTS_COLLECT_HELPERS_H
#define RINGSCOPE_TESTS_COLLECT_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"

#ifndef COLLECT_FIXTURES
#error "COLLECT_FIXTURES must name tests/collect/fixtures"
#endif
#define META_DIR COLLECT_FIXTURES "/../../../agent/meta"

#define MAX_ROWS 256
#define MAX_FIELDS 32

/* Whole file into a malloc'd buffer (NUL-terminated, *len without it). */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf) {
				fclose(f);
				return NULL;
			}
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);

		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static inline char *fixture(const char *rel, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", COLLECT_FIXTURES, rel);
	return slurp(path, len);
}

/* One captured row: table and fields (copied). */
struct row {
	char table[32];
	unsigned int n;
	char f[MAX_FIELDS][256];
};

struct rows {
	unsigned int n;
	struct row r[MAX_ROWS];
};

static inline void capture(void *ctx, const char *table, const char *const *fields,
			   unsigned int nfields)
{
	struct rows *rows = ctx;
	struct row *r;

	if (rows->n >= MAX_ROWS)
		return;
	r = &rows->r[rows->n++];
	snprintf(r->table, sizeof(r->table), "%s", table);
	r->n = nfields;
	for (unsigned int i = 0; i < nfields && i < MAX_FIELDS; i++)
		snprintf(r->f[i], sizeof(r->f[i]), "%s", fields[i]);
}

static inline const struct row *find_row(const struct rows *rows, const char *table,
					 const char *key)
{
	for (unsigned int i = 0; i < rows->n; i++)
		if (strcmp(rows->r[i].table, table) == 0 &&
		    (!key || strcmp(rows->r[i].f[0], key) == 0))
			return &rows->r[i];
	return NULL;
}

static inline unsigned int count_rows(const struct rows *rows, const char *table)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < rows->n; i++)
		n += strcmp(rows->r[i].table, table) == 0;
	return n;
}

/* Field names of `table` in its meta file, in order; returns the count. */
static inline unsigned int meta_fields(const char *meta_file, const char *table,
				       char names[][64], unsigned int max)
{
	char path[512], want[96];
	char *text, *p, *next;
	unsigned int n = 0;

	snprintf(path, sizeof(path), "%s/%s", META_DIR, meta_file);
	text = slurp(path, NULL);
	if (!text)
		return 0;
	snprintf(want, sizeof(want), "table_name: \"%s\"", table);
	p = strstr(text, want);
	if (p) {
		next = strstr(p + 1, "table_name:");
		while ((p = strstr(p, "name: \"")) && (!next || p < next) && n < max) {
			char *q = p + 7, *e = strchr(q, '"');

			if (p[-1] != '_' && e && e - q < 64) {	/* not table_name/entity_name */
				memcpy(names[n], q, (size_t)(e - q));
				names[n][e - q] = '\0';
				n++;
			}
			p = q;
		}
	}
	free(text);
	return n;
}

/* Copy a fixture tree into a fresh scratch root (files overwritten in
 * place later keep their inode, as open /proc files do). */
static inline int copy_tree(const char *fixture_rel, const char *dst)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "cp -R '%s/%s/.' '%s/'", COLLECT_FIXTURES, fixture_rel, dst);
	return system(cmd);
}

#endif /* RINGSCOPE_TESTS_COLLECT_HELPERS_H */
