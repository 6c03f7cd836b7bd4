// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* events.c - threshold checks, deduplication and gala-ops event JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "events.h"

struct rs_alarm {
	char *key;		/* entity id 0x1e metric */
	uint64_t first_ms, last_report_ms;
	uint64_t count;
	int seen;
};

static int compare(int op, double v, double t)
{
	switch (op) {
	case RS_OP_GT: return v > t;
	case RS_OP_GE: return v >= t;
	case RS_OP_LT: return v < t;
	case RS_OP_LE: return v <= t;
	case RS_OP_EQ: return v == t;
	default: return v != t;
	}
}

static const char *op_text(int op)
{
	static const char *const t[] = { ">", ">=", "<", "<=", "==", "!=" };

	return op >= 0 && op < 6 ? t[op] : "?";
}

static void entity_id(struct rs_buf *b, const char *machine_id,
		      const struct rs_entity_def *def, const struct rs_entity *en)
{
	unsigned int i;
	size_t start = b->len;

	rs_buf_printf(b, "%s_%s", machine_id, def->name);
	for (i = 0; i < def->nkeys; i++)
		rs_buf_printf(b, "_%s", en->keys[i]);
	for (i = start; b->data && i < b->len; i++)
		if (b->data[i] == '/')
			b->data[i] = ':';
}

static void emit_event(const struct rs_cfg_threshold *t, const struct rs_config *cfg,
		       const struct rs_entity_def *def, const struct rs_metric_def *m,
		       const struct rs_entity *en, const char *eid, double v,
		       const struct rs_alarm *a, uint64_t now_ms, int recovered,
		       rs_event_fn emit, void *ctx)
{
	char event_id[600], body[1024], stamp[32], metric[256];
	json_t *root, *attrs, *res, *labels;
	time_t secs = (time_t)(now_ms / 1000);
	struct tm tm;
	unsigned int i;
	char *text;

	localtime_r(&secs, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S%z", &tm);
	snprintf(event_id, sizeof(event_id), "%llu_%s", (unsigned long long)now_ms, eid);
	snprintf(metric, sizeof(metric), "%s_%s_%s", cfg->metric_prefix, def->name, m->name);
	if (recovered)
		snprintf(body, sizeof(body), "%s INFO Entity(%s) %s recovered: %g, threshold %s %g.",
			 stamp, eid, m->name, v, op_text(t->op), t->value);
	else
		snprintf(body, sizeof(body), "%s %s Entity(%s) %s is %g, threshold %s %g.",
			 stamp, t->severity, eid, m->name, v, op_text(t->op), t->value);
	root = json_object();
	attrs = json_object();
	res = json_object();
	labels = json_object();
	json_object_set_new(root, "Timestamp", json_integer((json_int_t)now_ms));
	json_object_set_new(root, "event_id", json_string(event_id));
	json_object_set_new(attrs, "entity_id", json_string(eid));
	json_object_set_new(attrs, "event_id", json_string(event_id));
	json_object_set_new(attrs, "event_type", json_string("sys"));
	json_object_set_new(attrs, "data", json_array());
	json_object_set_new(attrs, "duration",
			    json_integer((json_int_t)((now_ms - a->first_ms) / 1000)));
	json_object_set_new(attrs, "occurred count", json_integer((json_int_t)a->count));
	json_object_set_new(root, "Attributes", attrs);
	json_object_set_new(res, "metric", json_string(metric));
	for (i = 0; i < def->nkeys; i++)
		json_object_set_new(labels, def->keys[i].name, json_string(en->keys[i]));
	for (i = 0; i < def->nlabels; i++)
		if (en->labels[i])
			json_object_set_new(labels, def->labels[i].name, json_string(en->labels[i]));
	json_object_set_new(labels, "machine_id", json_string(cfg->machine_id));
	json_object_set_new(res, "labels", labels);
	json_object_set_new(root, "Resource", res);
	json_object_set_new(root, "SeverityText", json_string(recovered ? "INFO" : t->severity));
	json_object_set_new(root, "SeverityNumber",
			    json_integer(recovered ? 9 : t->severity_number));
	json_object_set_new(root, "Body", json_string(body));
	text = json_dumps(root, JSON_COMPACT);
	if (text) {
		emit(ctx, text, strlen(text));
		free(text);
	}
	json_decref(root);
}

static struct rs_alarm *find(struct rs_events *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (!strcmp(ev->alarms[i].key, key))
			return &ev->alarms[i];
	return NULL;
}

static void drop(struct rs_events *ev, struct rs_alarm *a)
{
	free(a->key);
	*a = ev->alarms[--ev->n];
}

void rs_events_check(struct rs_events *ev, const struct rs_config *cfg,
		     const struct rs_store *st, const char *machine_id,
		     uint64_t now_ms, rs_event_fn emit, void *ctx)
{
	struct rs_buf id;
	size_t i;
	int ti;

	if (!ev->alarms && !(ev->alarms = calloc(RS_EVENTS_MAX, sizeof(*ev->alarms))))
		return;
	for (i = 0; i < ev->n; i++)
		ev->alarms[i].seen = 0;
	rs_buf_init(&id);
	for (ti = 0; ti < cfg->nthresholds; ti++) {
		const struct rs_cfg_threshold *t = &cfg->thresholds[ti];
		const struct rs_entity_def *def = rs_meta_entity(st->meta, t->entity);
		const struct rs_entity *en;
		unsigned int m;

		if (!def || def->disabled)
			continue;
		for (m = 0; m < def->nmetrics && strcmp(def->metrics[m].name, t->metric); m++)
			;
		if (m == def->nmetrics || def->metrics[m].type == RS_FIELD_HISTOGRAM)
			continue;
		for (en = st->tables[def->index].oldest; en; en = en->newer) {
			struct rs_alarm *a;
			double v = en->values[m];
			char *eid;
			int hit;

			if (en->mode[m] == RS_V_NONE)
				continue;
			hit = compare(t->op, v, t->value);
			id.len = 0;
			entity_id(&id, machine_id, def, en);
			rs_buf_printf(&id, "%c%s", 0x1e, t->metric);
			if (id.oom)
				break;
			eid = id.data;
			a = find(ev, eid);
			if (a)
				a->seen = 1;
			*strchr(eid, 0x1e) = 0;
			if (hit && !a) {
				if (ev->n == RS_EVENTS_MAX) {
					ev->suppressed++;
					continue;
				}
				eid[strlen(eid)] = 0x1e;
				a = &ev->alarms[ev->n];
				a->key = strdup(eid);
				if (!a->key)
					continue;
				ev->n++;
				*strchr(eid, 0x1e) = 0;
				a->first_ms = a->last_report_ms = now_ms;
				a->count = 1;
				a->seen = 1;
				ev->fired++;
				emit_event(t, cfg, def, &def->metrics[m], en, eid, v, a, now_ms, 0,
					   emit, ctx);
			} else if (hit) {
				a->count++;
				if (now_ms - a->last_report_ms >= (uint64_t)cfg->event_timeout * 1000) {
					a->last_report_ms = now_ms;
					ev->repeated++;
					emit_event(t, cfg, def, &def->metrics[m], en, eid, v, a, now_ms,
						   0, emit, ctx);
				}
			} else if (a) {
				ev->recovered++;
				emit_event(t, cfg, def, &def->metrics[m], en, eid, v, a, now_ms, 1,
					   emit, ctx);
				drop(ev, a);
			}
		}
	}
	/* alarms of entities gone (expired, threshold removed) end silently */
	for (i = 0; i < ev->n;)
		if (!ev->alarms[i].seen)
			drop(ev, &ev->alarms[i]);
		else
			i++;
	rs_buf_free(&id);
}

void rs_events_free(struct rs_events *ev)
{
	while (ev->n)
		drop(ev, &ev->alarms[ev->n - 1]);
	free(ev->alarms);
	memset(ev, 0, sizeof(*ev));
}
