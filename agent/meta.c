// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* meta.c - parse gala-gopher .meta files and group their tables into entities. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "meta.h"

static const char *const type_names[] = {
	[RS_FIELD_KEY] = "key",
	[RS_FIELD_LABEL] = "label",
	[RS_FIELD_GAUGE] = "gauge",
	[RS_FIELD_COUNTER] = "counter",
	[RS_FIELD_HISTOGRAM] = "histogram",
};

const char *rs_field_type_name(int type)
{
	return type >= 0 && type <= RS_FIELD_HISTOGRAM ? type_names[type] : "?";
}

void rs_meta_init(struct rs_meta_set *set)
{
	memset(set, 0, sizeof(*set));
}

__attribute__((format(printf, 4, 5)))
static void add_error(struct rs_meta_set *set, const char *file, int line,
		      const char *fmt, ...)
{
	char msg[768], full[1024];
	char **e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s:%d: %s", file, line, msg);
	e = realloc(set->errors, (set->nerrors + 1) * sizeof(*e));
	if (!e)
		return;
	set->errors = e;
	set->errors[set->nerrors] = strdup(full);
	if (set->errors[set->nerrors])
		set->nerrors++;
}

/* [A-Za-z_][A-Za-z0-9_]*, 1..32 characters: it becomes part of a metric name. */
static int valid_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > RS_META_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static const char *member_string(const config_setting_t *g, const char *name)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	return s ? config_setting_get_string(s) : NULL;
}

static void free_table(struct rs_meta_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nfields; i++)
		free(t->fields[i].description);
	free(t->fields);
	t->fields = NULL;
	t->nfields = 0;
}

/* Parse one measurement into t. Returns 0 or -1 after add_error. */
static int parse_table(struct rs_meta_set *set, const char *file,
		       const config_setting_t *m, const char *version,
		       struct rs_meta_table *t)
{
	const config_setting_t *fields;
	const char *s;
	int i, n, line = config_setting_source_line(m);
	unsigned int j, nkeys = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->file, sizeof(t->file), "%s", file);
	snprintf(t->version, sizeof(t->version), "%s", version);
	t->line = line;
	if (!config_setting_is_group(m)) {
		add_error(set, file, line, "measurement: expected a group { ... }");
		return -1;
	}
	s = member_string(m, "table_name");
	if (!s || !valid_name(s)) {
		add_error(set, file, line, "table_name: %s%s%s", s ? "'" : "missing",
			  s ? s : "", s ? "' is not a name of 1-32 [A-Za-z0-9_]" : "");
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%s", s);
	s = member_string(m, "entity_name");
	if (!s || !valid_name(s)) {
		add_error(set, file, line, "table %s: entity_name %s%s%s", t->name,
			  s ? "'" : "missing", s ? s : "",
			  s ? "' is not a name of 1-32 [A-Za-z0-9_]" : "");
		return -1;
	}
	snprintf(t->entity_name, sizeof(t->entity_name), "%s", s);
	fields = config_setting_get_member(m, "fields");
	if (!fields || !config_setting_is_list(fields) || config_setting_length(fields) == 0) {
		add_error(set, file, line, "table %s: 'fields' missing or not a non-empty list",
			  t->name);
		return -1;
	}
	n = config_setting_length(fields);
	if (n > RS_META_MAX_FIELDS) {
		add_error(set, file, line, "table %s: %d fields, at most %d", t->name, n,
			  RS_META_MAX_FIELDS);
		return -1;
	}
	t->fields = calloc((size_t)n, sizeof(*t->fields));
	if (!t->fields) {
		add_error(set, file, line, "table %s: out of memory", t->name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *f = config_setting_get_elem(fields, (unsigned int)i);
		struct rs_meta_field *fd = &t->fields[i];
		int fline = config_setting_source_line(f);
		const char *name, *type, *desc;

		t->nfields = (unsigned int)i;
		if (!config_setting_is_group(f)) {
			add_error(set, file, fline, "table %s field %d: expected a group { ... }",
				  t->name, i + 1);
			goto fail;
		}
		name = member_string(f, "name");
		type = member_string(f, "type");
		desc = member_string(f, "description");
		if (!name || !valid_name(name)) {
			add_error(set, file, fline, "table %s field %d: name %s%s%s", t->name, i + 1,
				  name ? "'" : "missing", name ? name : "",
				  name ? "' is not a name of 1-32 [A-Za-z0-9_]" : "");
			goto fail;
		}
		if (!type) {
			add_error(set, file, fline, "table %s field %s: missing type", t->name, name);
			goto fail;
		}
		for (j = 0; j <= RS_FIELD_HISTOGRAM && strcmp(type, type_names[j]); j++)
			;
		if (j > RS_FIELD_HISTOGRAM) {
			add_error(set, file, fline,
				  "table %s field %s: type '%s' is not key, label, gauge, counter or histogram",
				  t->name, name, type);
			goto fail;
		}
		if (j <= RS_FIELD_LABEL &&
		    (!strncmp(name, "__", 2) || !strcmp(name, "le") || !strcmp(name, "quantile"))) {
			add_error(set, file, fline,
				  "table %s: %s is a reserved Prometheus label name", t->name, name);
			goto fail;
		}
		if (!strcmp(name, "machine_id")) {
			add_error(set, file, fline,
				  "table %s: field name machine_id is reserved (added to every series)",
				  t->name);
			goto fail;
		}
		for (j = 0; j < (unsigned int)i; j++)
			if (!strcmp(t->fields[j].name, name)) {
				add_error(set, file, fline, "table %s: field %s declared twice",
					  t->name, name);
				goto fail;
			}
		snprintf(fd->name, sizeof(fd->name), "%s", name);
		for (j = 0; strcmp(type, type_names[j]); j++)
			;
		fd->type = (int)j;
		fd->description = strdup(desc ? desc : "");
		if (!fd->description) {
			t->nfields = (unsigned int)i;
			goto fail;
		}
		if (fd->type == RS_FIELD_KEY)
			nkeys++;
	}
	t->nfields = (unsigned int)n;
	if (nkeys == 0) {
		add_error(set, file, line, "table %s: no field of type key (an entity needs an identity)",
			  t->name);
		goto fail;
	}
	return 0;
fail:
	free_table(t);
	return -1;
}

int rs_meta_add_text(struct rs_meta_set *set, const char *text, const char *name)
{
	struct rs_meta_table *parsed = NULL, *grown;
	const config_setting_t *ms;
	const char *version;
	unsigned int i, k, n;
	config_t lc;

	config_init(&lc);
	if (config_read_string(&lc, text) != CONFIG_TRUE) {
		add_error(set, name, config_error_line(&lc), "%s",
			  config_error_text(&lc) ? config_error_text(&lc) : "syntax error");
		config_destroy(&lc);
		return -1;
	}
	version = NULL;
	if (config_lookup_string(&lc, "version", &version) != CONFIG_TRUE || !version[0]) {
		add_error(set, name, 1, "missing 'version = \"x.y.z\"'");
		goto fail;
	}
	ms = config_lookup(&lc, "measurements");
	if (!ms || !config_setting_is_list(ms) || config_setting_length(ms) == 0) {
		add_error(set, name, ms ? config_setting_source_line(ms) : 1,
			  "'measurements' missing or not a non-empty list ( {...}, ... )");
		goto fail;
	}
	n = (unsigned int)config_setting_length(ms);
	parsed = calloc(n, sizeof(*parsed));
	if (!parsed)
		goto fail;
	for (i = 0; i < n; i++) {
		if (parse_table(set, name, config_setting_get_elem(ms, i), version, &parsed[i]))
			goto fail_tables;
		for (k = 0; k < i; k++)
			if (!strcmp(parsed[k].name, parsed[i].name)) {
				add_error(set, name, parsed[i].line, "table %s declared twice",
					  parsed[i].name);
				i++;
				goto fail_tables;
			}
		for (k = 0; k < set->ntables; k++)
			if (!strcmp(set->tables[k].name, parsed[i].name)) {
				add_error(set, name, parsed[i].line,
					  "table %s already defined in %s:%d", parsed[i].name,
					  set->tables[k].file, set->tables[k].line);
				i++;
				goto fail_tables;
			}
	}
	grown = realloc(set->tables, (set->ntables + n) * sizeof(*grown));
	if (!grown) {
		add_error(set, name, 0, "out of memory");
		goto fail_tables;
	}
	set->tables = grown;
	memcpy(set->tables + set->ntables, parsed, n * sizeof(*parsed));
	set->ntables += n;
	free(parsed);
	config_destroy(&lc);
	return 0;
fail_tables:
	for (k = 0; k < i; k++)
		free_table(&parsed[k]);
fail:
	free(parsed);
	config_destroy(&lc);
	return -1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rs_meta_add_dir(struct rs_meta_set *set, const char *dir)
{
	char **names = NULL, path[PATH_MAX], *text;
	unsigned int n = 0, i;
	struct dirent *d;
	int loaded = 0;
	DIR *dp;

	dp = opendir(dir);
	if (!dp) {
		add_error(set, dir, 0, "cannot open meta folder: %s", strerror(errno));
		return 0;
	}
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);
		char **g;

		if (len < 6 || strcmp(d->d_name + len - 5, ".meta"))
			continue;
		g = realloc(names, (n + 1) * sizeof(*names));
		if (!g)
			break;
		names = g;
		if ((names[n] = strdup(d->d_name)))
			n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		FILE *f;
		long len;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		f = fopen(path, "r");
		if (!f) {
			add_error(set, path, 0, "cannot open: %s", strerror(errno));
			continue;
		}
		text = NULL;
		if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && len < (4 << 20) &&
		    !fseek(f, 0, SEEK_SET) && (text = malloc((size_t)len + 1)) &&
		    fread(text, 1, (size_t)len, f) == (size_t)len) {
			text[len] = 0;
			if (strlen(text) != (size_t)len)
				add_error(set, path, 0, "file contains a NUL byte");
			else if (!rs_meta_add_text(set, text, path))
				loaded++;
		} else {
			add_error(set, path, 0, "cannot read (regular file under 4 MiB expected)");
		}
		free(text);
		fclose(f);
	}
	free(names);
	return loaded;
}

static void disable(struct rs_meta_set *set, struct rs_entity_def *e,
		    const struct rs_meta_table *t, const char *fmt, const char *a,
		    const char *b)
{
	char reason[400];

	snprintf(reason, sizeof(reason), fmt, a, b);
	if (!e->disabled)
		snprintf(e->error, sizeof(e->error), "%s:%d: entity %s disabled: %s",
			 t->file, t->line, e->name, reason);
	e->disabled = 1;
	add_error(set, t->file, t->line, "entity %s disabled: %s", e->name, reason);
}

static unsigned int find_label(const struct rs_label_def *l, unsigned int n,
			       const char *name)
{
	unsigned int i;

	for (i = 0; i < n && strcmp(l[i].name, name); i++)
		;
	return i;
}

/* Add table t to entity e; checks keys and uniqueness. */
static void join(struct rs_meta_set *set, struct rs_entity_def *e,
		 struct rs_meta_table *t, const struct rs_meta_limits *lim)
{
	unsigned int i, k = 0, j, k2;

	e->tables[e->ntables++] = t;
	for (i = 0; i < t->nfields; i++) {
		struct rs_meta_field *f = &t->fields[i];

		switch (f->type) {
		case RS_FIELD_KEY:
			if (e->ntables == 1) {
				snprintf(e->keys[e->nkeys].name, sizeof(e->keys[0].name), "%s", f->name);
				e->keys[e->nkeys].description = f->description;
				f->slot = e->nkeys++;
			} else if (k >= e->nkeys || strcmp(e->keys[k].name, f->name)) {
				disable(set, e, t, "table %s: keys differ from the entity's other tables (key %s)",
					t->name, f->name);
				return;
			} else {
				f->slot = k;
			}
			k++;
			break;
		case RS_FIELD_LABEL:
			j = find_label(e->labels, e->nlabels, f->name);
			if (find_label(e->keys, e->nkeys, f->name) < e->nkeys) {
				disable(set, e, t, "table %s: label %s is also a key", t->name, f->name);
				return;
			}
			if (j == e->nlabels) {
				snprintf(e->labels[j].name, sizeof(e->labels[0].name), "%s", f->name);
				e->labels[j].description = f->description;
				e->nlabels++;
			}
			f->slot = j;
			break;
		default:
			for (j = 0; j < e->nmetrics && strcmp(e->metrics[j].name, f->name); j++)
				;
			if (j < e->nmetrics) {
				disable(set, e, t, "metric %s is declared by two tables (%s)", f->name,
					t->name);
				return;
			}
			if (find_label(e->labels, e->nlabels, f->name) < e->nlabels ||
			    find_label(e->keys, e->nkeys, f->name) < e->nkeys) {
				disable(set, e, t, "metric %s is also a key or label (table %s)",
					f->name, t->name);
				return;
			}
			if (e->nmetrics >= lim->max_metrics) {
				disable(set, e, t, "more metrics than imdb.max_metrics_num (table %s%s)",
					t->name, "");
				return;
			}
			snprintf(e->metrics[j].name, sizeof(e->metrics[0].name), "%s", f->name);
			e->metrics[j].description = f->description;
			e->metrics[j].type = f->type;
			rs_prom_metric_name(lim->prefix, e->name, f, lim->naming,
					    e->metrics[j].prom_name, sizeof(e->metrics[j].prom_name),
					    &e->metrics[j].prom_scale);
			for (k2 = 0; k2 < j; k2++)
				if (!strcmp(e->metrics[k2].prom_name, e->metrics[j].prom_name))
					break;
			if (k2 < j) {
				/* two fields normalize to one name: this one keeps gala's */
				add_error(set, t->file, t->line,
					  "table %s: metric %s would be exported as %s like %s; "
					  "exporting it under its gala-gopher name", t->name, f->name,
					  e->metrics[j].prom_name, e->metrics[k2].name);
				rs_prom_metric_name(lim->prefix, e->name, f, RS_NAMING_GALA,
						    e->metrics[j].prom_name,
						    sizeof(e->metrics[j].prom_name),
						    &e->metrics[j].prom_scale);
			}
			f->slot = j;
			e->nmetrics++;
		}
	}
	if (k != e->nkeys)
		disable(set, e, t, "table %s: keys differ from the entity's other tables (%s)",
			t->name, "missing keys");
}

void rs_meta_resolve(struct rs_meta_set *set, const struct rs_meta_limits *lim)
{
	unsigned int i, j;

	set->entities = calloc(set->ntables ? set->ntables : 1, sizeof(*set->entities));
	if (!set->entities)
		return;
	for (i = 0; i < set->ntables; i++) {
		struct rs_meta_table *t = &set->tables[i];
		struct rs_entity_def *e;

		if (i >= lim->max_tables) {
			add_error(set, t->file, t->line,
				  "table %s ignored: more tables than imdb.max_tables_num (%u)",
				  t->name, lim->max_tables);
			continue;
		}
		for (j = 0; j < set->nentities && strcmp(set->entities[j].name, t->entity_name); j++)
			;
		e = &set->entities[j];
		if (j == set->nentities) {
			unsigned int cap = 0, m;

			/* fields of every table of this entity bound its arrays */
			for (m = i; m < set->ntables; m++)
				if (!strcmp(set->tables[m].entity_name, t->entity_name))
					cap += set->tables[m].nfields;
			snprintf(e->name, sizeof(e->name), "%s", t->entity_name);
			e->index = j;
			e->keys = calloc(cap, sizeof(*e->keys));
			e->labels = calloc(cap, sizeof(*e->labels));
			e->metrics = calloc(cap, sizeof(*e->metrics));
			e->tables = calloc(set->ntables, sizeof(*e->tables));
			set->nentities++;
			if (!e->keys || !e->labels || !e->metrics || !e->tables) {
				disable(set, e, t, "out of memory%s%s", "", "");
				continue;
			}
		}
		if (!e->disabled)
			join(set, e, t, lim);
	}
	for (i = 0; i < set->nentities; i++) {
		struct rs_entity_def *e = &set->entities[i];

		for (j = 0; j < e->nkeys; j++)
			rs_prom_label_name(e->keys[j].name, lim->naming, e->keys[j].prom_name,
					   sizeof(e->keys[j].prom_name));
		for (j = 0; j < e->nlabels; j++)
			rs_prom_label_name(e->labels[j].name, lim->naming, e->labels[j].prom_name,
					   sizeof(e->labels[j].prom_name));
		for (j = 0; j < e->ntables; j++)
			e->tables[j]->entity = e->disabled ? NULL : e;
	}
}

const struct rs_meta_table *rs_meta_table(const struct rs_meta_set *set,
					  const char *name)
{
	unsigned int i;

	for (i = 0; i < set->ntables; i++)
		if (!strcmp(set->tables[i].name, name))
			return &set->tables[i];
	return NULL;
}

const struct rs_entity_def *rs_meta_entity(const struct rs_meta_set *set,
					   const char *name)
{
	unsigned int i;

	for (i = 0; i < set->nentities; i++)
		if (!strcmp(set->entities[i].name, name))
			return &set->entities[i];
	return NULL;
}

void rs_meta_free(struct rs_meta_set *set)
{
	unsigned int i;

	for (i = 0; i < set->ntables; i++)
		free_table(&set->tables[i]);
	free(set->tables);
	for (i = 0; i < set->nentities; i++) {
		free(set->entities[i].keys);
		free(set->entities[i].labels);
		free(set->entities[i].metrics);
		free(set->entities[i].tables);
	}
	free(set->entities);
	for (i = 0; i < set->nerrors; i++)
		free(set->errors[i]);
	free(set->errors);
	memset(set, 0, sizeof(*set));
}
