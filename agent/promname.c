// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * promname.c - Prometheus names of meta metrics and labels.
 *
 * Two namings (global.metric_names):
 *  - "gala": exactly gala-gopher's <prefix>_<entity>_<field>, values as read
 *    (drop-in for dashboards and gala-anteater queries built on them);
 *  - "prometheus" (default): the same name where it already follows the
 *    Prometheus conventions promtool checks, otherwise the smallest change
 *    that does: camelCase -> snake_case, abbreviated units to base units
 *    with the value scaled (kB -> bytes x1024, msec -> seconds x0.001 ...),
 *    counters end in _total, and a gauge named *_count, *_sum or *_bucket
 *    gets a _value suffix so it cannot pass for part of a histogram.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "meta.h"

/* Abbreviated unit tokens -> base unit and scale. */
static const struct {
	const char *abbr;
	const char *base;
	double scale;
} units[] = {
	{ "kb", "bytes", 1024.0 },
	{ "mb", "bytes", 1048576.0 },
	{ "gb", "bytes", 1073741824.0 },
	{ "b", "bytes", 1.0 },
	{ "msec", "seconds", 1e-3 },
	{ "ms", "seconds", 1e-3 },
	{ "usec", "seconds", 1e-6 },
	{ "us", "seconds", 1e-6 },
	{ "nsec", "seconds", 1e-9 },
	{ "ns", "seconds", 1e-9 },
	{ "sec", "seconds", 1.0 },
	{ "s", "seconds", 1.0 },
};

/* camelCase / PascalCase -> snake_case, lower case. */
static void snake(const char *in, char *out, size_t len)
{
	size_t o = 0, i, n = strlen(in), toklen = 0;

	for (i = 0; i < n && o + 2 < len; i++) {
		unsigned char c = (unsigned char)in[i];

		/* a one-letter word ("SReclaimable") stays glued to the next:
		 * "s_reclaimable" would read as an abbreviated unit */
		if (isupper(c) && i > 0 && in[i - 1] != '_' && toklen > 1 &&
		    (islower((unsigned char)in[i - 1]) || isdigit((unsigned char)in[i - 1]) ||
		     (i + 1 < n && islower((unsigned char)in[i + 1])))) {
			out[o++] = '_';
			toklen = 0;
		}
		toklen = c == '_' ? 0 : toklen + 1;
		out[o++] = (char)tolower(c);
	}
	out[o] = 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

void rs_prom_label_name(const char *name, int naming, char *out, size_t len)
{
	if (naming == RS_NAMING_GALA)
		snprintf(out, len, "%s", name);
	else
		snake(name, out, len);
}

void rs_prom_metric_name(const char *prefix, const char *entity,
			 const struct rs_meta_field *f, int naming,
			 char *out, size_t len, double *scale)
{
	char tokens[128], name[160] = "", ent[64];
	char *tok, *save = NULL;
	unsigned int i;

	*scale = 1.0;
	if (naming == RS_NAMING_GALA) {
		snprintf(out, len, "%s_%s_%s", prefix, entity, f->name);
		return;
	}
	snake(entity, ent, sizeof(ent));
	/* unit abbreviations are matched on the meta's own '_' tokens */
	snprintf(tokens, sizeof(tokens), "%s", f->name);
	for (tok = strtok_r(tokens, "_", &save); tok; tok = strtok_r(NULL, "_", &save)) {
		char low[64], part[96];
		const char *word = NULL;

		snprintf(low, sizeof(low), "%s", tok);
		for (i = 0; low[i]; i++)
			low[i] = (char)tolower((unsigned char)low[i]);
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(low, units[i].abbr)) {
				word = units[i].base;
				*scale *= units[i].scale;
				break;
			}
		if (word)
			snprintf(part, sizeof(part), "%s", word);
		else
			snake(tok, part, sizeof(part));
		if (strlen(name) + strlen(part) + 2 < sizeof(name)) {
			if (name[0])
				strcat(name, "_");
			strcat(name, part);
		}
	}
	if (f->type == RS_FIELD_COUNTER && !ends_with(name, "_total"))
		strcat(name, "_total");
	else if (f->type != RS_FIELD_HISTOGRAM && f->type != RS_FIELD_COUNTER &&
		 (ends_with(name, "_count") || ends_with(name, "_sum") ||
		  ends_with(name, "_bucket") || !strcmp(name, "count") || !strcmp(name, "sum")))
		strcat(name, "_value");
	snprintf(out, len, "%s_%s_%s", prefix, ent, name);
}
