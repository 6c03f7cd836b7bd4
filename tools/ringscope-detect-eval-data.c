// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ringscope-detect-eval-data.c - load labelled CSV series and NAB labels. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ringscope-detect-eval-data.h"

static int parse_time(const char *s, long long *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end)
		return -1;
	*out = (long long)timegm(&tm);
	return 0;
}

static int load_csv(const char *path, struct series *s)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0, lineno = 0;

	if (!f) {
		fprintf(stderr, "failed to open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *comma = strchr(line, ','), *end;
		long long ts;
		double v;

		lineno++;
		if (lineno == 1 && !strncmp(line, "timestamp", 9))
			continue;
		if (!comma || (*comma = 0, parse_time(line, &ts) < 0)) {
			fprintf(stderr, "%s:%zu: bad timestamp\n", path, lineno);
			goto fail;
		}
		v = strtod(comma + 1, &end);
		if (end == comma + 1) {
			fprintf(stderr, "%s:%zu: bad value\n", path, lineno);
			goto fail;
		}
		if (s->n == cap) {
			cap = cap ? cap * 2 : 1024;
			s->value = realloc(s->value, cap * sizeof(double));
			s->ts = realloc(s->ts, cap * sizeof(long long));
			if (!s->value || !s->ts)
				goto fail;
		}
		s->value[s->n] = v;
		s->ts[s->n] = ts;
		s->n++;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -1;
}

static long find_ts(const struct series *s, long long ts)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ts[i] == ts)
			return (long)i;
	return -1;
}

static int load_windows(struct series *s, json_t *list)
{
	size_t i;
	json_t *w;

	s->nwindows = json_array_size(list);
	s->windows = calloc(s->nwindows ? s->nwindows : 1, sizeof(*s->windows));
	if (!s->windows)
		return -1;
	json_array_foreach(list, i, w) {
		long long a, b;
		long ia, ib;

		if (!json_is_string(json_array_get(w, 0)) || !json_is_string(json_array_get(w, 1)) ||
		    parse_time(json_string_value(json_array_get(w, 0)), &a) < 0 ||
		    parse_time(json_string_value(json_array_get(w, 1)), &b) < 0) {
			fprintf(stderr, "%s: window %zu: bad timestamps\n", s->name, i);
			return -1;
		}
		ia = find_ts(s, a);
		ib = find_ts(s, b);
		if (ia < 0 || ib < ia) {
			fprintf(stderr, "%s: window %zu: ends are not timestamps of the file\n",
				s->name, i);
			return -1;
		}
		s->windows[i][0] = (size_t)ia;
		s->windows[i][1] = (size_t)ib;
	}
	return 0;
}

int series_load(const char *data_dir, const char *labels_json, struct series **out, size_t *n)
{
	json_error_t jerr;
	json_t *root = json_load_file(labels_json, 0, &jerr), *list;
	const char *key;
	int rc = -1;

	if (!root || !json_is_object(root)) {
		fprintf(stderr, "failed to load %s: %s (line %d)\n", labels_json,
			root ? "not an object" : jerr.text, jerr.line);
		json_decref(root);
		return -1;
	}
	json_object_foreach(root, key, list) {
		struct series *s, *grown = realloc(*out, (*n + 1) * sizeof(**out));
		char path[4096];

		if (!grown)
			goto done;
		*out = grown;
		s = &(*out)[*n];
		memset(s, 0, sizeof(*s));
		(*n)++;
		s->name = strdup(key);
		snprintf(path, sizeof(path), "%s/%s", data_dir, key);
		if (!s->name || load_csv(path, s) < 0 || load_windows(s, list) < 0)
			goto done;
	}
	rc = 0;
done:
	json_decref(root);
	return rc;
}

void series_free(struct series *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].value);
		free(s[i].ts);
		free(s[i].windows);
	}
	free(s);
}
