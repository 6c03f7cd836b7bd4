// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* event.c - gala-ops event JSON (jansson). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "event.h"

static const struct {
	const char *name;
	int number;
} severities[] = {
	{ "INFO", RS_SEV_INFO }, { "WARN", RS_SEV_WARN },
	{ "ERROR", RS_SEV_ERROR }, { "FATAL", RS_SEV_FATAL },
};

int rs_severity_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(severities) / sizeof(severities[0]); i++)
		if (!strcasecmp(name, severities[i].name))
			return severities[i].number;
	return -1;
}

const char *rs_severity_name(int severity)
{
	for (size_t i = 0; i < sizeof(severities) / sizeof(severities[0]); i++)
		if (severity == severities[i].number)
			return severities[i].name;
	return "?";
}

/* A JSON string of any bytes: invalid UTF-8 becomes '?'. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *copy;

	if (j || !s)
		return j;
	copy = strdup(s);
	if (!copy)
		return NULL;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static const char *const kind_names[] = { "open", "repeat", "recover" };

static void body_text(const struct rs_event *ev, const char *eid, const char *sev,
		      char *out, size_t len)
{
	char stamp[32], bound[64] = "";
	time_t secs = (time_t)(ev->ts_ns / 1000000000ull);
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S%z", &tm);
	if (isfinite(ev->bound))
		snprintf(bound, sizeof(bound), ", bound %s %g", ev->op ? ev->op : ">", ev->bound);
	if (ev->kind == RS_EVENT_RECOVER)
		snprintf(out, len, "%s %s Entity(%s) %s of %s(%s) recovered (%s) after %llu s, "
			 "occurred %u times.", stamp, sev, eid, ev->metric, ev->entity_name,
			 ev->entity_id, ev->source, (unsigned long long)ev->duration_s, ev->count);
	else if (ev->what)
		snprintf(out, len, "%s %s Entity(%s) %s on %s(%s) (%s): %s", stamp, sev, eid,
			 ev->metric, ev->entity_name, ev->entity_id, ev->source, ev->what);
	else
		snprintf(out, len, "%s %s Entity(%s) %s of %s(%s) is %g (%s%s), occurred %u "
			 "times in %llu s.", stamp, sev, eid, ev->metric, ev->entity_name,
			 ev->entity_id, ev->value, ev->source, bound, ev->count,
			 (unsigned long long)ev->duration_s);
}

char *rs_event_json(const struct rs_event *ev, const char *prefix, const char *machine_id,
		    size_t *len)
{
	char eid[512], event_id[600], metric[256], body[2048], *text;
	int severity = ev->kind == RS_EVENT_RECOVER ? RS_SEV_INFO : ev->severity;
	const char *sev = rs_severity_name(severity);
	json_t *root, *attrs, *res;

	snprintf(eid, sizeof(eid), "%s_%s_%s", machine_id, ev->entity_name, ev->entity_id);
	for (char *p = eid; *p; p++)
		if (*p == '/')
			*p = ':';
	snprintf(event_id, sizeof(event_id), "%llu_%s", (unsigned long long)ev->ts_ns, eid);
	snprintf(metric, sizeof(metric), "%s_%s_%s", prefix, ev->entity_name, ev->metric);
	body_text(ev, eid, sev, body, sizeof(body));

	root = json_object();
	attrs = json_object();
	res = json_object();
	if (!root || !attrs || !res) {
		json_decref(root);
		json_decref(attrs);
		json_decref(res);
		return NULL;
	}
	json_object_set_new(root, "Timestamp", json_integer((json_int_t)ev->ts_ns));
	json_object_set_new(root, "event_id", jstr(event_id));
	json_object_set_new(attrs, "entity_id", jstr(eid));
	json_object_set_new(attrs, "event_id", jstr(event_id));
	json_object_set_new(attrs, "event_type",
			    json_string(ev->type == RS_EVENT_APP ? "app" : "sys"));
	json_object_set_new(attrs, "data", json_array());
	json_object_set_new(attrs, "duration", json_integer((json_int_t)ev->duration_s));
	json_object_set_new(attrs, "occurred count", json_integer(ev->count));
	json_object_set_new(attrs, "status", json_string(kind_names[ev->kind % 3]));
	json_object_set_new(attrs, "source", jstr(ev->source));
	json_object_set_new(root, "Attributes", attrs);
	json_object_set_new(res, "metrics", jstr(metric));
	json_object_set_new(root, "Resource", res);
	json_object_set_new(root, "SeverityText", jstr(sev));
	json_object_set_new(root, "SeverityNumber", json_integer(severity));
	json_object_set_new(root, "Body", jstr(body));
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text && len)
		*len = strlen(text);
	return text;
}
