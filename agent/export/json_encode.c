// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// json_encode.c - gala-gopher's Kafka JSON shapes from an export batch, built
// with jansson (escaping, key order kept as inserted).
#include "json_encode.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_json_number(char buf[32], double v)
{
	if (v == trunc(v) && fabs(v) < 9.2e18)
		return snprintf(buf, 32, "%lld", (long long)v);
	int n = snprintf(buf, 32, "%.15g", v);
	if (strtod(buf, NULL) != v)
		n = snprintf(buf, 32, "%.17g", v);
	return n;
}

/* gala-gopher's serialize_histo: "<n> <le1> <cnt1> .. <leN> <cntN> <sum> <max>"
 * with max the upper bound of the highest non-empty finite bucket. */
static char *histo_string(const struct rs_xbatch *b, const struct rs_xhist *h)
{
	size_t cap = 64 + (size_t)h->n_buckets * 64, n;
	char *s = malloc(cap), num[32];
	double max = 0;

	if (!s)
		return NULL;
	n = (size_t)snprintf(s, cap, "%u", h->n_buckets);
	for (uint32_t i = 0; i < h->n_buckets; i++) {
		double le = b->le[h->bucket + i];

		if (b->counts[h->bucket + i] && isfinite(le))
			max = le;
		if (isinf(le))
			snprintf(num, sizeof(num), "+Inf");
		else
			rs_json_number(num, le);
		n += (size_t)snprintf(s + n, cap - n, " %s %llu", num,
				      (unsigned long long)b->counts[h->bucket + i]);
	}
	rs_json_number(num, h->sum);
	n += (size_t)snprintf(s + n, cap - n, " %s", num);
	rs_json_number(num, max);
	snprintf(s + n, cap - n, " %s", num);
	return s;
}

/* jansson's default separators are gala-gopher's ", " and ": " */
static char *dump(json_t *o, size_t *len)
{
	char *s = o ? json_dumps(o, 0) : NULL;

	json_decref(o);
	if (s)
		*len = strlen(s);
	return s;
}

/* A JSON string; bytes that are not UTF-8 (a comm can hold anything)
 * become '?' so the document stays valid. */
static json_t *str(const struct rs_xbatch *b, uint32_t id)
{
	const char *s = rs_xbatch_s(b, id);
	size_t n = b->str_len[id];
	json_t *j = json_stringn(s, n);
	char *c;

	if (j || !(c = malloc(n + 1)))
		return j;
	for (size_t i = 0; i < n; i++)
		c[i] = (s[i] & 0x80) || !s[i] ? '?' : s[i];
	j = json_stringn(c, n);
	free(c);
	return j;
}

char *rs_json_row(const struct rs_xbatch *b, uint32_t row, size_t *len)
{
	const struct rs_xrow *r = &b->rows[row];
	const struct rs_xentity_def *d = &b->defs[r->def];
	json_t *o = json_object();
	char num[32];
	int bad = !o;

	if (bad)
		return NULL;
	bad |= json_object_set_new(o, "timestamp",
				   json_integer(r->timestamp_ms ? r->timestamp_ms
								: b->timestamp_ms));
	bad |= json_object_set_new(o, "machine_id", str(b, b->machine_id));
	bad |= json_object_set_new(o, "entity_name", str(b, d->entity_name));
	for (uint32_t i = 0; i < d->n_keys + d->n_labels; i++)
		bad |= json_object_set_new(o, rs_xbatch_s(b, b->refs[d->keys + i]),
					   str(b, b->refs[r->labels + i]));
	for (uint32_t m = 0; m < d->n_metrics; m++) {
		double v = b->values[r->values + m];

		if (isnan(v))
			continue;
		rs_json_number(num, v);
		bad |= json_object_set_new(o, rs_xbatch_s(b, b->mdefs[d->metrics + m].name),
					   json_string(num));
	}
	for (uint32_t i = 0; i < r->n_hists; i++) {
		const struct rs_xhist *h = &b->hists[r->hists + i];
		char *s = histo_string(b, h);

		bad |= !s || json_object_set_new(
				     o, rs_xbatch_s(b, b->mdefs[d->metrics + h->metric].name),
				     json_string(s));
		free(s);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return dump(o, len);
}

char *rs_json_event(const struct rs_xbatch *b, uint32_t event, size_t *len)
{
	const struct rs_xevent *e = &b->events[event];
	json_t *o, *labels;

	labels = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			   "Host", str(b, b->machine_id), "PID", str(b, e->pid),
			   "COMM", str(b, e->comm), "IP", str(b, e->ip),
			   "ContainerID", str(b, e->container_id), "POD", str(b, e->pod_id),
			   "Device", str(b, e->device));
	o = json_pack("{s:I, s:o, s:{s:o, s:o, s:o, s:[], s:I, s:I}, "
		      "s:{s:o, s:o, s:o*}, s:o, s:i, s:o}",
		      "Timestamp", (json_int_t)e->timestamp_ms,
		      "event_id", str(b, e->event_id),
		      "Attributes",
		      "entity_id", str(b, e->entity_id),
		      "event_id", str(b, e->event_id),
		      "event_type", str(b, e->event_type),
		      "data",
		      "duration", (json_int_t)e->duration,
		      "occurred count", (json_int_t)e->occurred,
		      "Resource",
		      "metrics", str(b, e->metric),
		      "metric", str(b, e->metric),
		      "labels", labels,
		      "SeverityText", str(b, e->severity_text),
		      "SeverityNumber", (int)e->severity_number,
		      "Body", str(b, e->body));
	return dump(o, len);
}

static int has_field(const struct rs_xbatch *b, const struct rs_xentity_def *d,
		     const char *name)
{
	for (uint32_t i = 0; i < d->n_keys + d->n_labels; i++)
		if (!strcmp(rs_xbatch_s(b, b->refs[d->keys + i]), name))
			return 1;
	return 0;
}

static int append(json_t *a, const char *s)
{
	return json_array_append_new(a, json_string(s));
}

char *rs_json_def(const struct rs_xbatch *b, uint32_t def, size_t *len)
{
	static const char *const container[] = {
		"container_id", "container_name", "container_image",
		"pod_id", "pod", "pod_namespace",
	};
	const struct rs_xentity_def *d = &b->defs[def];
	const char *entity = rs_xbatch_s(b, d->entity_name);
	json_t *keys = json_array(), *labels = json_array(), *metrics = json_array();
	int bad = !keys || !labels || !metrics;

	bad |= append(keys, "machine_id");
	for (uint32_t i = 0; i < d->n_keys; i++)
		bad |= append(keys, rs_xbatch_s(b, b->refs[d->keys + i]));
	bad |= append(labels, "hostname");
	for (uint32_t i = 0; i < d->n_labels; i++)
		bad |= append(labels, rs_xbatch_s(b, b->refs[d->labels + i]));
	/* labels gala-gopher adds to process and container entities */
	if (has_field(b, d, "tgid")) {
		if (!has_field(b, d, "comm"))
			bad |= append(labels, "comm");
		for (size_t i = 0; i < sizeof(container) / sizeof(*container); i++)
			bad |= append(labels, container[i]);
		if (!strcmp(entity, "proc")) {
			bad |= append(labels, "cmdline");
			bad |= append(labels, "start_time");
		}
	} else if (!strcmp(entity, "container")) {
		for (size_t i = 1; i < sizeof(container) / sizeof(*container); i++)
			bad |= append(labels, container[i]);
	}
	/* gala-gopher's metadata lists gauges and counters only */
	for (uint32_t m = 0; m < d->n_metrics; m++) {
		const struct rs_xmetric_def *md = &b->mdefs[d->metrics + m];

		if (md->type != RS_XMETRIC_HISTOGRAM)
			bad |= append(metrics, rs_xbatch_s(b, md->name));
	}
	if (bad) {
		json_decref(keys);
		json_decref(labels);
		json_decref(metrics);
		return NULL;
	}
	return dump(json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "timestamp", (json_int_t)b->timestamp_ms,
			      "meta_name", str(b, d->table_name),
			      "entity_name", str(b, d->entity_name),
			      "version", str(b, d->version),
			      "keys", keys, "labels", labels, "metrics", metrics),
		    len);
}
