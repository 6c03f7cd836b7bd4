/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * meta.h - entity definitions from gala-gopher .meta files (libconfig:
 * version, measurements: ({table_name, entity_name, fields: ({description,
 * type, name})})). One parsed definition drives decoding, ingestion,
 * Prometheus output, metadata messages and docs/metrics.md.
 *
 * Tables sharing an entity_name form one entity: same keys in the same
 * order, labels and metrics united, metric names unique within the entity.
 * A broken file or table disables what it defines (with an error naming
 * file, line and reason); everything else loads.
 */
#ifndef RINGSCOPE_AGENT_META_H
#define RINGSCOPE_AGENT_META_H

#include <limits.h>
#include <stddef.h>

#define RS_META_NAME_MAX	32	/* gala-gopher's table/metric name limit */
#define RS_META_MAX_FIELDS	256

enum rs_field_type {
	RS_FIELD_KEY,
	RS_FIELD_LABEL,
	RS_FIELD_GAUGE,
	RS_FIELD_COUNTER,
	RS_FIELD_HISTOGRAM,
};

struct rs_meta_field {
	char name[RS_META_NAME_MAX + 1];
	char *description;
	int type;			/* enum rs_field_type */
	unsigned int slot;		/* index in the entity's keys/labels/metrics */
};

struct rs_entity_def;

struct rs_meta_table {
	char name[RS_META_NAME_MAX + 1];
	char entity_name[RS_META_NAME_MAX + 1];
	char version[32];
	char file[PATH_MAX];
	int line;
	struct rs_meta_field *fields;
	unsigned int nfields;
	struct rs_entity_def *entity;	/* NULL while unresolved or disabled */
};

/* A metric of an entity, with its Prometheus rendering. */
struct rs_metric_def {
	char name[RS_META_NAME_MAX + 1];	/* meta name (Kafka, logs) */
	const char *description;
	int type;				/* GAUGE, COUNTER, HISTOGRAM */
	char prom_name[160];			/* full exposition name */
	double prom_scale;			/* value multiplier for it */
};

struct rs_label_def {
	char name[RS_META_NAME_MAX + 1];
	const char *description;
	char prom_name[64];
};

struct rs_entity_def {
	char name[RS_META_NAME_MAX + 1];
	unsigned int index;		/* in rs_meta_set.entities */
	unsigned int nkeys, nlabels, nmetrics;
	struct rs_label_def *keys;	/* nkeys */
	struct rs_label_def *labels;	/* nlabels */
	struct rs_metric_def *metrics;	/* nmetrics */
	struct rs_meta_table **tables;
	unsigned int ntables;
	int disabled;
	char error[512];		/* why disabled */
};

struct rs_meta_set {
	struct rs_meta_table *tables;
	unsigned int ntables;
	struct rs_entity_def *entities;
	unsigned int nentities;
	char **errors;			/* one line each: "file:line: reason" */
	unsigned int nerrors;
};

/* Naming of Prometheus series (see promname.c). */
enum rs_naming { RS_NAMING_PROMETHEUS, RS_NAMING_GALA };

struct rs_meta_limits {
	unsigned int max_tables;	/* imdb.max_tables_num */
	unsigned int max_metrics;	/* imdb.max_metrics_num, per entity */
	const char *prefix;		/* metric prefix, "gala_gopher" */
	int naming;			/* enum rs_naming */
};

void rs_meta_init(struct rs_meta_set *set);

/*
 * Parse the text of one .meta file (name is what errors call it) and add
 * its tables. Returns 0, or -1 after recording an error (nothing added).
 */
int rs_meta_add_text(struct rs_meta_set *set, const char *text, const char *name);

/* Add every *.meta file of a folder, in name order. Returns files loaded. */
int rs_meta_add_dir(struct rs_meta_set *set, const char *dir);

/*
 * Group tables into entities and check them; a conflict disables the
 * entity and records an error. Call once after the last add.
 */
void rs_meta_resolve(struct rs_meta_set *set, const struct rs_meta_limits *lim);

const struct rs_meta_table *rs_meta_table(const struct rs_meta_set *set,
					  const char *name);
const struct rs_entity_def *rs_meta_entity(const struct rs_meta_set *set,
					   const char *name);
const char *rs_field_type_name(int type);

void rs_meta_free(struct rs_meta_set *set);

/* Prometheus names (promname.c). */
void rs_prom_metric_name(const char *prefix, const char *entity,
			 const struct rs_meta_field *f, int naming,
			 char *out, size_t len, double *scale);
void rs_prom_label_name(const char *name, int naming, char *out, size_t len);

#endif /* RINGSCOPE_AGENT_META_H */
