// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// jsonl.c - prints an export batch as JSON lines (jansson), strings resolved.
#include "jsonl.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

static json_t *str(const struct rs_xbatch *b, uint32_t id)
{
	/* not-UTF-8 bytes are kept visible rather than refused */
	json_t *j = json_stringn(rs_xbatch_s(b, id), b->str_len[id]);

	return j ? j : json_string("<not UTF-8>");
}

static json_t *number(double v)
{
	if (isinf(v))
		return json_string(v > 0 ? "+Inf" : "-Inf");
	if (isnan(v))
		return json_null();
	return json_real(v);
}

static int put(json_t *o, FILE *f)
{
	int rc = o ? json_dumpf(o, f, JSON_COMPACT | JSON_SORT_KEYS) : -1;

	if (!rc && fputc('\n', f) == EOF)
		rc = -1;
	json_decref(o);
	return rc;
}

static json_t *def_json(const struct rs_xbatch *b, const struct rs_xentity_def *d)
{
	json_t *keys = json_array(), *labels = json_array(), *metrics = json_array();
	static const char *const types[] = { "gauge", "counter", "histogram" };

	for (uint32_t i = 0; i < d->n_keys; i++)
		json_array_append_new(keys, str(b, b->refs[d->keys + i]));
	for (uint32_t i = 0; i < d->n_labels; i++)
		json_array_append_new(labels, str(b, b->refs[d->labels + i]));
	for (uint32_t m = 0; m < d->n_metrics; m++) {
		const struct rs_xmetric_def *x = &b->mdefs[d->metrics + m];

		json_array_append_new(metrics,
				      json_pack("{s:o, s:s, s:o}", "name", str(b, x->name),
						"type", types[x->type % 3],
						"description", str(b, x->description)));
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "kind", "def",
			 "entity_name", str(b, d->entity_name),
			 "table_name", str(b, d->table_name), "version", str(b, d->version),
			 "keys", keys, "labels", labels, "metrics", metrics);
}

static json_t *row_json(const struct rs_xbatch *b, const struct rs_xrow *r)
{
	const struct rs_xentity_def *d = &b->defs[r->def];
	json_t *keys = json_object(), *labels = json_object(), *metrics = json_object();
	json_t *hists = json_object();

	for (uint32_t i = 0; i < d->n_keys; i++)
		json_object_set_new(keys, rs_xbatch_s(b, b->refs[d->keys + i]),
				    str(b, b->refs[r->labels + i]));
	for (uint32_t i = 0; i < d->n_labels; i++)
		json_object_set_new(labels, rs_xbatch_s(b, b->refs[d->labels + i]),
				    str(b, b->refs[r->labels + d->n_keys + i]));
	for (uint32_t m = 0; m < d->n_metrics; m++)
		if (!isnan(b->values[r->values + m]))
			json_object_set_new(metrics,
					    rs_xbatch_s(b, b->mdefs[d->metrics + m].name),
					    number(b->values[r->values + m]));
	for (uint32_t i = 0; i < r->n_hists; i++) {
		const struct rs_xhist *h = &b->hists[r->hists + i];
		json_t *le = json_array(), *counts = json_array();

		for (uint32_t k = 0; k < h->n_buckets; k++) {
			json_array_append_new(le, number(b->le[h->bucket + k]));
			json_array_append_new(counts,
					      json_integer((json_int_t)b->counts[h->bucket + k]));
		}
		json_object_set_new(hists, rs_xbatch_s(b, b->mdefs[d->metrics + h->metric].name),
				    json_pack("{s:o, s:o, s:o, s:I}", "le", le, "counts", counts,
					      "sum", number(h->sum), "count",
					      (json_int_t)h->count));
	}
	return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "kind", "row",
			 "seq", (json_int_t)b->seq, "timestamp_ms",
			 (json_int_t)(r->timestamp_ms ? r->timestamp_ms : b->timestamp_ms),
			 "machine_id", str(b, b->machine_id),
			 "entity_name", str(b, d->entity_name),
			 "table_name", str(b, d->table_name), "keys", keys, "labels", labels,
			 "metrics", metrics, "histograms", hists);
}

static json_t *event_json(const struct rs_xbatch *b, const struct rs_xevent *e)
{
	json_t *o = json_pack("{s:s, s:I, s:o, s:i, s:I, s:I}", "kind", "event",
			      "timestamp_ms", (json_int_t)e->timestamp_ms,
			      "machine_id", str(b, b->machine_id),
			      "severity_number", (int)e->severity_number,
			      "duration", (json_int_t)e->duration,
			      "occurred", (json_int_t)e->occurred);
#define F(name) json_object_set_new(o, #name, str(b, e->name))
	if (o) {
		F(event_id);
		F(entity_id);
		F(entity_name);
		F(event_type);
		F(metric);
		F(severity_text);
		F(body);
		F(pid);
		F(comm);
		F(ip);
		F(container_id);
		F(pod_id);
		F(device);
	}
#undef F
	return o;
}

int rs_xbatch_print_jsonl(const struct rs_xbatch *b, FILE *f)
{
	int rc = 0;

	/* metric batches carry defs to describe their rows: print them only
	 * when the message is metadata (no rows) */
	if (!b->n_rows)
		for (uint32_t i = 0; i < b->n_defs; i++)
			rc |= put(def_json(b, &b->defs[i]), f);
	for (uint32_t i = 0; i < b->n_rows; i++)
		rc |= put(row_json(b, &b->rows[i]), f);
	for (uint32_t i = 0; i < b->n_events; i++)
		rc |= put(event_json(b, &b->events[i]), f);
	return rc;
}
