// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ingest.c - validate a row of a meta table and fold it into an entity. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

int rs_text_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned int n, i;

		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 1;
		else if ((*p & 0xf0) == 0xe0)
			n = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return 0;
		for (i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		/* overlong 3/4-byte forms, surrogates, above U+10FFFF */
		if ((n == 2 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))) ||
		    (n == 3 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))))
			return 0;
		p += n + 1;
	}
	return 1;
}

static int absent(const char *v)
{
	return !v || !*v || !strcmp(v, "(null)");
}

static int parse_number(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (end == v || *end || !isfinite(*out))
		return -1;
	return 0;
}

int rs_ingest_row(struct rs_store *st, const char *table,
		  const char *const *fields, unsigned int nfields,
		  uint64_t now_ns, char *err, size_t errlen)
{
	const struct rs_meta_table *t = rs_meta_table(st->meta, table);
	const char *keys[RS_META_MAX_FIELDS];
	struct rs_hist *hists = NULL;
	double values[RS_META_MAX_FIELDS];
	const struct rs_entity_def *def;
	struct rs_entity *en;
	unsigned int i;

	if (!t) {
		snprintf(err, errlen, "unknown table '%.64s'", table);
		goto reject;
	}
	if (!(def = t->entity)) {
		snprintf(err, errlen, "table %s: its entity is disabled (meta error)", table);
		goto reject;
	}
	if (nfields != t->nfields) {
		snprintf(err, errlen, "table %s: %u fields, its meta declares %u", table,
			 nfields, t->nfields);
		goto reject;
	}
	for (i = 0; i < nfields; i++) {
		const struct rs_meta_field *f = &t->fields[i];
		const char *v = fields[i];

		if (absent(v)) {
			if (f->type == RS_FIELD_KEY) {
				snprintf(err, errlen, "table %s: key %s is empty", table, f->name);
				goto reject;
			}
			continue;
		}
		switch (f->type) {
		case RS_FIELD_KEY:
		case RS_FIELD_LABEL:
			if (strlen(v) > RS_INGEST_VALUE_MAX || !rs_text_clean(v)) {
				snprintf(err, errlen,
					 "table %s: %s %s is longer than %d bytes or not clean UTF-8",
					 table, rs_field_type_name(f->type), f->name, RS_INGEST_VALUE_MAX);
				goto reject;
			}
			if (f->type == RS_FIELD_KEY)
				keys[f->slot] = v;
			break;
		case RS_FIELD_GAUGE:
		case RS_FIELD_COUNTER:
			if (parse_number(v, &values[i])) {
				snprintf(err, errlen, "table %s: %s %s: '%.32s' is not a finite number",
					 table, rs_field_type_name(f->type), f->name, v);
				goto reject;
			}
			break;
		case RS_FIELD_HISTOGRAM: {
			char why[128];

			if (!hists && !(hists = malloc(nfields * sizeof(*hists)))) {
				snprintf(err, errlen, "table %s: out of memory", table);
				goto reject;
			}
			if (rs_hist_parse(&hists[i], v, why, sizeof(why))) {
				snprintf(err, errlen, "table %s: histogram %s: %s", table, f->name,
					 why + strlen("histogram: "));
				goto reject;
			}
			break;
		}
		}
	}
	en = rs_store_upsert(st, def, keys, now_ns);
	if (!en) {
		snprintf(err, errlen, "table %s: out of memory", table);
		goto reject;
	}
	for (i = 0; i < nfields; i++) {
		const struct rs_meta_field *f = &t->fields[i];

		if (absent(fields[i]))
			continue;
		switch (f->type) {
		case RS_FIELD_LABEL:
			rs_entity_set_label(en, f->slot, fields[i]);
			break;
		case RS_FIELD_GAUGE:
		case RS_FIELD_COUNTER:
			en->values[f->slot] = values[i];
			en->mode[f->slot] = RS_V_SET;
			break;
		case RS_FIELD_HISTOGRAM: {
			struct rs_hist *h = rs_entity_hist(en, f->slot);

			if (!h)
				break;
			if (en->mode[f->slot] == RS_V_ADD)
				rs_hist_add(h, &hists[i]);
			else
				*h = hists[i];
			en->mode[f->slot] = RS_V_ADD;
			break;
		}
		default:
			break;
		}
	}
	free(hists);
	st->rows++;
	return 0;
reject:
	free(hists);
	st->errors++;
	return -1;
}

int rs_ingest_line(struct rs_store *st, const char *line, uint64_t now_ns,
		   char *err, size_t errlen)
{
	const char *fields[RS_META_MAX_FIELDS + 1];
	char buf[8192], *p, *table, *bar;
	size_t len = strlen(line);
	unsigned int n = 0;

	if (len && line[len - 1] == '\n')
		len--;
	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "line longer than %zu bytes", sizeof(buf) - 1);
		st->errors++;
		return -1;
	}
	memcpy(buf, line, len);
	buf[len] = 0;
	if (len < 3 || buf[0] != '|' || buf[len - 1] != '|') {
		snprintf(err, errlen, "line must look like |table|f1|...|fN|");
		st->errors++;
		return -1;
	}
	buf[len - 1] = 0;
	table = buf + 1;
	bar = strchr(table, '|');
	p = NULL;
	if (bar) {
		*bar = 0;
		p = bar + 1;
	}
	while (p) {
		if (n == RS_META_MAX_FIELDS) {
			snprintf(err, errlen, "table %.64s: more than %d fields", table,
				 RS_META_MAX_FIELDS);
			st->errors++;
			return -1;
		}
		fields[n++] = p;
		p = strchr(p, '|');
		if (p)
			*p++ = 0;
	}
	return rs_ingest_row(st, table, fields, n, now_ns, err, errlen);
}
