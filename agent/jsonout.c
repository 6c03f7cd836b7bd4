// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* jsonout.c - metadata and metrics as JSON lines (jansson). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonout.h"

static void dump(json_t *o, size_t flags, rs_event_fn emit, void *ctx)
{
	char *text = json_dumps(o, flags);

	if (text) {
		emit(ctx, text, strlen(text));
		free(text);
	}
	json_decref(o);
}

void rs_json_metadata(const struct rs_meta_set *meta, uint64_t now_ms,
		      rs_event_fn emit, void *ctx)
{
	unsigned int i, j;

	for (i = 0; i < meta->ntables; i++) {
		const struct rs_meta_table *t = &meta->tables[i];
		json_t *o, *keys, *labels, *metrics;
		int has_tgid = 0;

		if (!t->entity)
			continue;
		o = json_object();
		keys = json_array();
		labels = json_array();
		metrics = json_array();
		json_array_append_new(keys, json_string("machine_id"));
		json_array_append_new(labels, json_string("hostname"));
		for (j = 0; j < t->nfields; j++) {
			const struct rs_meta_field *f = &t->fields[j];

			if (!strcmp(f->name, "tgid") &&
			    (f->type == RS_FIELD_KEY || f->type == RS_FIELD_LABEL))
				has_tgid = 1;
			if (f->type == RS_FIELD_KEY)
				json_array_append_new(keys, json_string(f->name));
			else if (f->type == RS_FIELD_LABEL)
				json_array_append_new(labels, json_string(f->name));
			else if (f->type == RS_FIELD_GAUGE || f->type == RS_FIELD_COUNTER)
				json_array_append_new(metrics, json_string(f->name));
		}
		(void)has_tgid;	/* process/container enrichment labels: not yet */
		json_object_set_new(o, "timestamp", json_integer((json_int_t)now_ms));
		json_object_set_new(o, "meta_name", json_string(t->name));
		json_object_set_new(o, "entity_name", json_string(t->entity_name));
		json_object_set_new(o, "version", json_string(t->version));
		json_object_set_new(o, "keys", keys);
		json_object_set_new(o, "labels", labels);
		json_object_set_new(o, "metrics", metrics);
		/* default separators ", " and ": " as gala-gopher writes them */
		dump(o, JSON_PRESERVE_ORDER, emit, ctx);
	}
}

void rs_json_metrics(const struct rs_store *st, const char *machine_id,
		     uint64_t now_ms, rs_event_fn emit, void *ctx)
{
	unsigned int t, i, k;

	for (t = 0; t < st->ntables; t++) {
		const struct rs_entity_def *def = st->tables[t].def;
		const struct rs_entity *en;

		if (def->disabled)
			continue;
		for (en = st->tables[t].oldest; en; en = en->newer) {
			json_t *o = json_object(), *labels = json_object();
			json_t *metrics = json_object(), *histos = json_object();

			for (i = 0; i < def->nkeys; i++)
				json_object_set_new(labels, def->keys[i].name, json_string(en->keys[i]));
			for (i = 0; i < def->nlabels; i++)
				if (en->labels[i])
					json_object_set_new(labels, def->labels[i].name,
							    json_string(en->labels[i]));
			json_object_set_new(labels, "machine_id", json_string(machine_id));
			for (i = 0; i < def->nmetrics; i++) {
				if (en->mode[i] == RS_V_NONE)
					continue;
				if (en->hist[i]) {
					json_t *h = json_object();
					char le[64];

					for (k = 0; k < en->hist[i]->nb; k++) {
						snprintf(le, sizeof(le), "%g", en->hist[i]->bounds[k]);
						json_object_set_new(h, le, json_integer(
							(json_int_t)en->hist[i]->counts[k]));
					}
					json_object_set_new(h, "+Inf",
							    json_integer((json_int_t)en->hist[i]->overflow));
					json_object_set_new(histos, def->metrics[i].name, h);
				} else if (def->metrics[i].type != RS_FIELD_HISTOGRAM) {
					json_object_set_new(metrics, def->metrics[i].name,
							    json_real(en->values[i]));
				}
			}
			json_object_set_new(o, "timestamp", json_integer((json_int_t)now_ms));
			json_object_set_new(o, "entity_name", json_string(def->name));
			json_object_set_new(o, "labels", labels);
			json_object_set_new(o, "metrics", metrics);
			json_object_set_new(o, "histos", histos);
			dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER, emit, ctx);
		}
	}
}
