// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* engine.c - the detection engine: entity/series tables, rules, events. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "detect.h"
#include "detector.h"
#include "rules.h"

#define KMSG_ALARMS 1024	/* kmsg alarms tracked at most (oldest go) */
#define NS 1000000000ull

struct series {
	struct series *next;
	const struct rs_threshold_rule *thr;
	const struct rs_detector_rule *drule;
	struct rs_det *det;
	unsigned int over;		/* consecutive ticks over the threshold */
	uint64_t fed_tick;
	struct rs_alarm thr_alarm, det_alarm;
	double det_bound;
	char metric[];
};

struct entity {
	struct entity *next;		/* hash chain */
	struct series *series;
	size_t nseries;
	char *id;			/* points into key */
	char key[];			/* name '\0' id '\0' */
};

struct kalarm {
	const struct rs_kmsg_rule *rule;
	char entity[128];
	int hit;			/* matched this tick */
	struct rs_alarm a;
};

struct rs_detect {
	struct rs_detect_config cfg;
	char prefix[64], machine_id[128];
	rs_event_sink_fn sink;
	void *sink_ctx;
	struct entity **buckets;
	size_t nbuckets;
	struct rs_rules *rules;
	struct kalarm *kalarms;
	size_t nkalarms;
	uint64_t tick;
	struct rs_detect_stats st;
};

static uint64_t hash_key(const char *name, const char *id)
{
	uint64_t h = 14695981039346656037ull;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0x1f) * 1099511628211ull;
	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p = malloc(n ? n * size : 1);

	if (p && n)
		memcpy(p, src, n * size);
	return p;
}

struct rs_detect *rs_detect_new(const struct rs_detect_config *cfg,
				const struct rs_detect_opts *opts)
{
	struct rs_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->cfg.thresholds = dup_array(cfg->thresholds, cfg->nthresholds, sizeof(*cfg->thresholds));
	d->cfg.detectors = dup_array(cfg->detectors, cfg->ndetectors, sizeof(*cfg->detectors));
	d->cfg.kmsg_rules = dup_array(cfg->kmsg_rules, cfg->nkmsg_rules, sizeof(*cfg->kmsg_rules));
	snprintf(d->prefix, sizeof(d->prefix), "%s",
		 opts && opts->metric_prefix ? opts->metric_prefix : "gala_gopher");
	snprintf(d->machine_id, sizeof(d->machine_id), "%s",
		 opts && opts->machine_id ? opts->machine_id : "unknown");
	d->sink = opts ? opts->sink : NULL;
	d->sink_ctx = opts ? opts->sink_ctx : NULL;
	d->nbuckets = 4096;
	d->buckets = calloc(d->nbuckets, sizeof(*d->buckets));
	d->kalarms = calloc(KMSG_ALARMS, sizeof(*d->kalarms));
	if (!d->cfg.thresholds || !d->cfg.detectors || !d->cfg.kmsg_rules || !d->buckets ||
	    !d->kalarms)
		goto fail;
	d->rules = rs_rules_new(d->cfg.kmsg_rules, d->cfg.nkmsg_rules,
				opts ? opts->warn : NULL, opts ? opts->warn_ctx : NULL);
	if (!d->rules)
		goto fail;
	return d;
fail:
	rs_detect_free(d);
	return NULL;
}

static void free_entity(struct rs_detect *d, struct entity *e)
{
	struct series *s, *next;

	for (s = e->series; s; s = next) {
		next = s->next;
		d->st.bytes -= sizeof(*s) + strlen(s->metric) + 1 + (s->det ? sizeof(*s->det) : 0);
		d->st.series--;
		free(s->det);
		free(s);
	}
	d->st.bytes -= sizeof(*e) + strlen(e->key) + strlen(e->id) + 2;
	d->st.entities--;
	free(e);
}

void rs_detect_free(struct rs_detect *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->buckets && i < d->nbuckets; i++)
		while (d->buckets[i]) {
			struct entity *e = d->buckets[i];

			d->buckets[i] = e->next;
			free_entity(d, e);
		}
	free(d->buckets);
	free(d->kalarms);
	rs_rules_free(d->rules);
	rs_detect_config_free(&d->cfg);
	free(d);
}

static int is_app_entity(const char *name)
{
	static const char *const app[] = { "proc", "thread", "sli", "sli_container",
		"l7", "l7_link", "l7_rpc", "l7_api", "dns", "jvm", "redis", NULL };

	for (int i = 0; app[i]; i++)
		if (!strcmp(name, app[i]))
			return 1;
	return 0;
}

static void emit(struct rs_detect *d, struct rs_event *ev)
{
	size_t len = 0;
	char *json;

	ev->type = is_app_entity(ev->entity_name) ? RS_EVENT_APP : RS_EVENT_SYS;
	if (ev->kind == RS_EVENT_OPEN)
		d->st.events_open++;
	else if (ev->kind == RS_EVENT_REPEAT)
		d->st.events_repeat++;
	else
		d->st.events_recover++;
	json = rs_event_json(ev, d->prefix, d->machine_id, &len);
	if (!json) {
		d->st.sink_failures++;
		return;
	}
	if (d->sink)
		d->sink(d->sink_ctx, ev, json, len);
	free(json);
}

/* Emits what an alarm step decided. */
static void alarm_event(struct rs_detect *d, enum rs_alarm_action act,
			const struct rs_alarm *a, struct rs_event *ev)
{
	if (act == RS_ALARM_NONE)
		return;
	ev->kind = act == RS_ALARM_OPEN ? RS_EVENT_OPEN :
		act == RS_ALARM_REPEAT ? RS_EVENT_REPEAT : RS_EVENT_RECOVER;
	ev->count = a->count;
	ev->duration_s = rs_alarm_duration_s(a);
	ev->value = a->value;
	emit(d, ev);
}

/* Doubles the buckets when entities outnumber them twice (chains stay
 * short); on allocation failure the table just stays as it is. */
static void maybe_grow(struct rs_detect *d)
{
	size_t n = d->nbuckets * 2;
	struct entity **b;

	if (d->st.entities < 2 * d->nbuckets || !(b = calloc(n, sizeof(*b))))
		return;
	for (size_t i = 0; i < d->nbuckets; i++)
		while (d->buckets[i]) {
			struct entity *e = d->buckets[i];
			size_t j = hash_key(e->key, e->id) & (n - 1);

			d->buckets[i] = e->next;
			e->next = b[j];
			b[j] = e;
		}
	free(d->buckets);
	d->buckets = b;
	d->nbuckets = n;
}

static struct entity *find_entity(struct rs_detect *d, const char *name, const char *id,
				  int create)
{
	size_t b = hash_key(name, id) & (d->nbuckets - 1), ln, li;
	struct entity *e;

	for (e = d->buckets[b]; e; e = e->next)
		if (!strcmp(e->key, name) && !strcmp(e->id, id))
			return e;
	if (!create)
		return NULL;
	ln = strlen(name);
	li = strlen(id);
	e = calloc(1, sizeof(*e) + ln + li + 2);
	if (!e)
		return NULL;
	memcpy(e->key, name, ln + 1);
	e->id = e->key + ln + 1;
	memcpy(e->id, id, li + 1);
	e->next = d->buckets[b];
	d->buckets[b] = e;
	d->st.entities++;
	d->st.bytes += sizeof(*e) + ln + li + 2;
	maybe_grow(d);
	return e;
}

/* The rules of a new series: the last matching detector; the last
 * threshold for this entity id, else the last for every entity. */
static void pick_rules(const struct rs_detect *d, const char *name, const char *id,
		       const char *metric, struct series *s)
{
	const struct rs_threshold_rule *generic = NULL;

	for (size_t i = 0; i < d->cfg.nthresholds; i++) {
		const struct rs_threshold_rule *t = &d->cfg.thresholds[i];

		if (strcmp(t->entity, name) || strcmp(t->metric, metric))
			continue;
		if (!t->entity_id[0])
			generic = t;
		else if (!strcmp(t->entity_id, id))
			s->thr = t;
	}
	if (!s->thr)
		s->thr = generic;
	for (size_t i = 0; i < d->cfg.ndetectors; i++) {
		const struct rs_detector_rule *r = &d->cfg.detectors[i];

		if (!strcmp(r->entity, name) && !strcmp(r->metric, metric))
			s->drule = r;
	}
}

static struct series *find_series(struct rs_detect *d, struct entity *e, const char *metric)
{
	struct series *s;
	size_t lm;

	for (s = e->series; s; s = s->next)
		if (!strcmp(s->metric, metric))
			return s;
	if (d->st.series >= d->cfg.max_series) {
		d->st.series_refused++;
		return NULL;
	}
	lm = strlen(metric);
	s = calloc(1, sizeof(*s) + lm + 1);
	if (!s)
		return NULL;
	memcpy(s->metric, metric, lm + 1);
	pick_rules(d, e->key, e->id, metric, s);
	if (s->drule) {
		s->det = malloc(sizeof(*s->det));
		if (!s->det) {
			free(s);
			return NULL;
		}
		rs_det_init(s->det, &s->drule->params);
	}
	s->next = e->series;
	e->series = s;
	e->nseries++;
	d->st.series++;
	d->st.bytes += sizeof(*s) + lm + 1 + (s->det ? sizeof(*s->det) : 0);
	return s;
}

static void base_event(struct rs_event *ev, const struct entity *e, const struct series *s,
		       uint64_t now_ns)
{
	memset(ev, 0, sizeof(*ev));
	ev->entity_name = e->key;
	ev->entity_id = e->id;
	ev->metric = s->metric;
	ev->ts_ns = now_ns;
}

static void step_threshold(struct rs_detect *d, struct entity *e, struct series *s,
			   int anomalous, double value, uint64_t now_ns)
{
	struct rs_event ev;
	enum rs_alarm_action act = rs_alarm_step(&s->thr_alarm, anomalous, value, now_ns,
						 d->cfg.recover_ticks, d->cfg.resend_s * NS);

	base_event(&ev, e, s, now_ns);
	ev.source = "threshold";
	ev.severity = s->thr->severity;
	ev.op = rs_cmp_name(s->thr->op);
	ev.bound = s->thr->value;
	alarm_event(d, act, &s->thr_alarm, &ev);
}

static void step_adaptive(struct rs_detect *d, struct entity *e, struct series *s,
			  int anomalous, double value, uint64_t now_ns)
{
	struct rs_event ev;
	enum rs_alarm_action act = rs_alarm_step(&s->det_alarm, anomalous, value, now_ns,
						 d->cfg.recover_ticks, d->cfg.resend_s * NS);

	base_event(&ev, e, s, now_ns);
	ev.source = rs_det_kind_name(s->drule->params.kind);
	ev.severity = s->drule->severity;
	ev.bound = s->det_bound;
	ev.op = isfinite(s->det_bound) && s->det_alarm.value < s->det_bound ? "<" : ">";
	alarm_event(d, act, &s->det_alarm, &ev);
}

int rs_detect_feed(struct rs_detect *d, const char *entity_name, const char *entity_id,
		   const char *metric, uint64_t now_ns, double value, struct rs_decision *out)
{
	struct entity *e = find_entity(d, entity_name, entity_id, 1);
	struct series *s = e ? find_series(d, e, metric) : NULL;
	struct rs_decision dec = { 0, 0, 0, NAN };

	if (out)
		*out = dec;
	if (!s) {
		if (e && !e->nseries)	/* no empty entity left behind */
			rs_detect_drop_entity(d, entity_name, entity_id);
		return -1;
	}
	if (s->fed_tick == d->tick + 1)	/* fed twice in a tick: first wins */
		return 0;
	s->fed_tick = d->tick + 1;
	if (s->thr) {
		int cross = rs_cmp_eval(s->thr->op, value, s->thr->value);

		s->over = !cross ? 0 : s->over < UINT_MAX ? s->over + 1 : s->over;
		dec.threshold = s->over >= s->thr->for_ticks;
		step_threshold(d, e, s, dec.threshold, value, now_ns);
	}
	if (s->det) {
		struct rs_det_verdict v;

		rs_det_feed(s->det, value, &v);
		dec.adaptive = v.alarm;
		dec.level = v.level;
		dec.expected = v.expected;
		if (v.alarm)
			s->det_bound = v.bound;
		step_adaptive(d, e, s, v.alarm, value, now_ns);
	}
	if (out)
		*out = dec;
	return 0;
}

static void age_kmsg(struct rs_detect *d, uint64_t now_ns)
{
	for (size_t i = 0; i < d->nkalarms; i++) {
		struct kalarm *k = &d->kalarms[i];
		struct rs_event ev;
		enum rs_alarm_action act;

		if (k->hit) {
			k->hit = 0;
			continue;
		}
		act = rs_alarm_step(&k->a, 0, k->a.value, now_ns, d->cfg.kmsg_quiet_ticks, 0);
		if (act != RS_ALARM_RECOVER)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.entity_name = k->rule->entity;
		ev.entity_id = k->entity;
		ev.metric = k->rule->name;
		ev.source = "kmsg";
		ev.severity = k->rule->severity;
		ev.bound = NAN;
		ev.ts_ns = now_ns;
		alarm_event(d, act, &k->a, &ev);
	}
}

void rs_detect_tick_end(struct rs_detect *d, uint64_t now_ns)
{
	for (size_t i = 0; i < d->nbuckets; i++)
		for (struct entity *e = d->buckets[i]; e; e = e->next)
			for (struct series *s = e->series; s; s = s->next) {
				if (s->fed_tick == d->tick + 1)
					continue;
				if (s->thr) {
					s->over = 0;
					if (s->thr_alarm.active)
						step_threshold(d, e, s, 0, s->thr_alarm.value, now_ns);
				}
				if (s->det && s->det_alarm.active)
					step_adaptive(d, e, s, 0, s->det_alarm.value, now_ns);
			}
	age_kmsg(d, now_ns);
	d->tick++;
}

size_t rs_detect_drop_entity(struct rs_detect *d, const char *entity_name, const char *entity_id)
{
	size_t b = hash_key(entity_name, entity_id) & (d->nbuckets - 1), n;
	struct entity **pp, *e;

	for (pp = &d->buckets[b]; (e = *pp); pp = &e->next)
		if (!strcmp(e->key, entity_name) && !strcmp(e->id, entity_id)) {
			*pp = e->next;
			n = e->nseries;
			free_entity(d, e);
			return n;
		}
	return 0;
}

struct kmsg_ctx {
	struct rs_detect *d;
	const struct rs_kmsg *rec;
	uint64_t now_ns;
};

static struct kalarm *find_kalarm(struct rs_detect *d, const struct rs_kmsg_rule *rule,
				  const char *entity)
{
	struct kalarm *k, *oldest = NULL;

	for (size_t i = 0; i < d->nkalarms; i++) {
		k = &d->kalarms[i];
		if (!strcmp(k->rule->name, rule->name) && !strcmp(k->rule->entity, rule->entity) &&
		    !strncmp(k->entity, entity, sizeof(k->entity) - 1))
			return k;
		if (!k->a.active && (!oldest || k->a.last_ns < oldest->a.last_ns))
			oldest = k;
	}
	if (d->nkalarms < KMSG_ALARMS) {
		k = &d->kalarms[d->nkalarms++];
	} else {
		if (!oldest)	/* all active: reuse the least recent one */
			for (size_t i = 0; i < d->nkalarms; i++)
				if (!oldest || d->kalarms[i].a.last_ns < oldest->a.last_ns)
					oldest = &d->kalarms[i];
		k = oldest;
	}
	memset(k, 0, sizeof(*k));
	k->rule = rule;
	snprintf(k->entity, sizeof(k->entity), "%s", entity);
	return k;
}

static void on_rule(void *ctx, const struct rs_kmsg_rule *rule, const char *entity)
{
	struct kmsg_ctx *c = ctx;
	struct kalarm *k = find_kalarm(c->d, rule, entity);
	char what[1024];
	struct rs_event ev;
	enum rs_alarm_action act;
	size_t n = c->rec->msg_len < sizeof(what) - 1 ? c->rec->msg_len : sizeof(what) - 1;

	c->d->st.kmsg_matches++;
	k->hit = 1;
	act = rs_alarm_step(&k->a, 1, 1, c->now_ns, c->d->cfg.kmsg_quiet_ticks,
			    c->d->cfg.resend_s * NS);
	memcpy(what, c->rec->msg, n);
	what[n] = 0;
	memset(&ev, 0, sizeof(ev));
	ev.entity_name = rule->entity;
	ev.entity_id = k->entity;
	ev.metric = rule->name;
	ev.source = "kmsg";
	ev.severity = rule->severity;
	ev.what = what;
	ev.bound = NAN;
	ev.ts_ns = c->now_ns;
	alarm_event(c->d, act, &k->a, &ev);
}

int rs_detect_kmsg(struct rs_detect *d, const char *rec, size_t len, uint64_t now_ns)
{
	struct rs_kmsg k;
	struct kmsg_ctx c = { d, &k, now_ns };

	d->st.kmsg_lines++;
	if (rs_kmsg_parse(rec, len, &k) < 0) {
		d->st.kmsg_bad++;
		return -1;
	}
	return rs_rules_match(d->rules, k.msg, k.msg_len, on_rule, &c);
}

void rs_detect_get_stats(const struct rs_detect *d, struct rs_detect_stats *st)
{
	*st = d->st;
}
