// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* config.c - parse the `detect` group (libconfig): rules, defaults, checks. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "config.h"
#include "event.h"

static const char *const cmp_names[] = { ">", ">=", "<", "<=", "==", "!=" };

int rs_cmp_parse(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (!strcmp(s, cmp_names[i]))
			return i;
	return -1;
}

const char *rs_cmp_name(int op)
{
	return op >= 0 && op < 6 ? cmp_names[op] : "?";
}

int rs_cmp_eval(int op, double v, double b)
{
	switch (op) {
	case RS_CMP_GT: return v > b;
	case RS_CMP_GE: return v >= b;
	case RS_CMP_LT: return v < b;
	case RS_CMP_LE: return v <= b;
	case RS_CMP_EQ: return v == b;
	case RS_CMP_NE: return v != b;
	default: return 0;
	}
}

struct parse {
	const char *name;
	rs_warn_fn warn;
	void *ctx;
};

__attribute__((format(printf, 3, 4)))
static void warnf(const struct parse *ps, const config_setting_t *s, const char *fmt, ...)
{
	char msg[512];
	int n;
	va_list ap;

	n = snprintf(msg, sizeof(msg), "%s:%d: ", ps->name, config_setting_source_line(s));
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (ps->warn)
		ps->warn(ps->ctx, msg);
}

/* A string member into buf; 1 if present and fits, 0 if absent, -1 bad. */
static int get_str(const config_setting_t *s, const char *key, char *buf, size_t len)
{
	const config_setting_t *m = config_setting_get_member(s, key);
	const char *v;

	if (!m)
		return 0;
	v = config_setting_get_string(m);
	if (!v || strlen(v) >= len || !v[0])
		return -1;
	strcpy(buf, v);
	return 1;
}

/* A number member (int or float); 1 present, 0 absent, -1 not a number. */
static int get_num(const config_setting_t *s, const char *key, double *out)
{
	const config_setting_t *m = config_setting_get_member(s, key);

	if (!m)
		return 0;
	switch (config_setting_type(m)) {
	case CONFIG_TYPE_INT: *out = config_setting_get_int(m); return 1;
	case CONFIG_TYPE_INT64: *out = (double)config_setting_get_int64(m); return 1;
	case CONFIG_TYPE_FLOAT: *out = config_setting_get_float(m); return isfinite(*out) ? 1 : -1;
	default: return -1;
	}
}

/* A count member in [lo, hi]; 1 present, 0 absent, -1 bad. */
static int get_count(const config_setting_t *s, const char *key, unsigned int lo,
		     unsigned int hi, unsigned int *out)
{
	double v;
	int rc = get_num(s, key, &v);

	if (rc <= 0)
		return rc;
	if (v != floor(v) || v < lo || v > hi)
		return -1;
	*out = (unsigned int)v;
	return 1;
}

static int get_severity(const struct parse *ps, const config_setting_t *s, const char *rule,
			int *out)
{
	char buf[16];
	int rc = get_str(s, "severity", buf, sizeof(buf));

	*out = RS_SEV_WARN;
	if (rc == 0)
		return 0;
	if (rc < 0 || (*out = rs_severity_parse(buf)) < 0) {
		warnf(ps, s, "%s: severity must be INFO, WARN, ERROR or FATAL; rule skipped",
		      rule);
		return -1;
	}
	return 0;
}

static int need_names(const struct parse *ps, const config_setting_t *s, char *entity,
		      char *metric, const char *what)
{
	if (get_str(s, "entity", entity, RS_DCFG_NAME) <= 0 ||
	    get_str(s, "metric", metric, RS_DCFG_NAME) <= 0) {
		warnf(ps, s, "%s needs entity and metric (non-empty strings, < %d bytes); "
		      "rule skipped", what, RS_DCFG_NAME);
		return -1;
	}
	return 0;
}

static int parse_threshold(const struct parse *ps, const config_setting_t *s,
			   struct rs_threshold_rule *t)
{
	char op[8], what[2 * RS_DCFG_NAME + 16];
	int rc;

	memset(t, 0, sizeof(*t));
	t->for_ticks = 1;
	if (need_names(ps, s, t->entity, t->metric, "threshold") < 0)
		return -1;
	if (get_str(s, "op", op, sizeof(op)) <= 0 || (t->op = rs_cmp_parse(op)) < 0) {
		warnf(ps, s, "threshold %s.%s: op must be one of > >= < <= == !=; rule skipped",
		      t->entity, t->metric);
		return -1;
	}
	if (get_num(s, "value", &t->value) <= 0) {
		warnf(ps, s, "threshold %s.%s: value must be a finite number; rule skipped",
		      t->entity, t->metric);
		return -1;
	}
	if (get_count(s, "for", 1, 1000000, &t->for_ticks) < 0) {
		warnf(ps, s, "threshold %s.%s: for must be an integer in 1..1000000; "
		      "rule skipped", t->entity, t->metric);
		return -1;
	}
	rc = get_str(s, "entity_id", t->entity_id, sizeof(t->entity_id));
	if (rc < 0) {
		warnf(ps, s, "threshold %s.%s: entity_id must be a non-empty string < %d bytes; "
		      "rule skipped", t->entity, t->metric, RS_DCFG_ID);
		return -1;
	}
	snprintf(what, sizeof(what), "threshold %s.%s", t->entity, t->metric);
	return get_severity(ps, s, what, &t->severity);
}

static int parse_direction(const char *s)
{
	if (!strcmp(s, "up"))
		return RS_DIR_UP;
	if (!strcmp(s, "down"))
		return RS_DIR_DOWN;
	if (!strcmp(s, "both"))
		return RS_DIR_BOTH;
	return -1;
}

static int parse_detector(const struct parse *ps, const config_setting_t *s,
			  struct rs_detector_rule *d)
{
	struct rs_det_params *p = &d->params;
	char kind[16] = "spot", dir[8], what[2 * RS_DCFG_NAME + 16];
	int k, rc;
	double v;

	memset(d, 0, sizeof(*d));
	if (need_names(ps, s, d->entity, d->metric, "detector") < 0)
		return -1;
	if (get_str(s, "kind", kind, sizeof(kind)) < 0 || (k = rs_det_kind_parse(kind)) < 0) {
		warnf(ps, s, "detector %s.%s: kind must be spot, zscore or ewma; rule skipped",
		      d->entity, d->metric);
		return -1;
	}
	rs_det_params_default(p, k);
	rc = get_str(s, "direction", dir, sizeof(dir));
	if (rc < 0 || (rc > 0 && (p->direction = parse_direction(dir)) < 0)) {
		warnf(ps, s, "detector %s.%s: direction must be up, down or both; rule skipped",
		      d->entity, d->metric);
		return -1;
	}
	if (get_count(s, "window", 2, RS_WINDOW_MAX, &p->window) < 0 ||
	    get_count(s, "warmup", 0, 1000000, &p->warmup) < 0 ||
	    get_count(s, "holdoff", 0, 1000000, &p->holdoff) < 0) {
		warnf(ps, s, "detector %s.%s: window must be 2..%d, warmup and holdoff "
		      "0..1000000; rule skipped", d->entity, d->metric, RS_WINDOW_MAX);
		return -1;
	}
	if ((rc = get_num(s, "z", &v)) < 0 || (rc > 0 && !(v > 0)) || (rc > 0 && (p->z = v, 0)))
		goto bad_num;
	if ((rc = get_num(s, "alpha", &v)) < 0 || (rc > 0 && !(v > 0 && v <= 1)) ||
	    (rc > 0 && (p->alpha = v, 0)))
		goto bad_num;
	if ((rc = get_num(s, "risk", &v)) < 0 || (rc > 0 && !(v > 0 && v < 0.01)) ||
	    (rc > 0 && (p->risk = v, 0)))
		goto bad_num;
	if ((rc = get_num(s, "level", &v)) < 0 || (rc > 0 && !(v >= 0.5 && v < 1)) ||
	    (rc > 0 && (p->level = v, 0)))
		goto bad_num;
	if ((rc = get_num(s, "min_delta", &v)) < 0 || (rc > 0 && !(v >= 0)) ||
	    (rc > 0 && (p->min_delta = v, 0)))
		goto bad_num;
	if ((rc = get_num(s, "novelty", &v)) < 0 || (rc > 0 && !(v >= 0)) ||
	    (rc > 0 && (p->novelty = v, 0)))
		goto bad_num;
	snprintf(what, sizeof(what), "detector %s.%s", d->entity, d->metric);
	return get_severity(ps, s, what, &d->severity);
bad_num:
	warnf(ps, s, "detector %s.%s: z > 0, 0 < alpha <= 1, 0 < risk < 0.01, "
	      "0.5 <= level < 1, min_delta >= 0, novelty >= 0; rule skipped",
	      d->entity, d->metric);
	return -1;
}

static int parse_kmsg_rule(const struct parse *ps, const config_setting_t *s,
			   struct rs_kmsg_rule *r)
{
	char what[RS_DCFG_NAME + 16];
	unsigned int group = 1;

	memset(r, 0, sizeof(*r));
	if (get_str(s, "name", r->name, sizeof(r->name)) <= 0 ||
	    get_str(s, "pattern", r->pattern, sizeof(r->pattern)) <= 0 ||
	    get_str(s, "entity", r->entity, sizeof(r->entity)) <= 0) {
		warnf(ps, s, "kmsg rule needs name, pattern (< %d bytes) and entity; "
		      "rule skipped", RS_DCFG_PATTERN);
		return -1;
	}
	if (get_count(s, "group", 0, 9, &group) < 0) {
		warnf(ps, s, "kmsg rule %s: group must be 0..9; rule skipped", r->name);
		return -1;
	}
	r->group = (int)group;
	snprintf(what, sizeof(what), "kmsg rule %s", r->name);
	return get_severity(ps, s, what, &r->severity);
}

/* Appends the valid rules of list `key` of group g. */
#define PARSE_LIST(g, key, arr, n, fn)                                            \
	do {                                                                      \
		const config_setting_t *l_ = config_setting_get_member(g, key);  \
		if (!l_)                                                          \
			break;                                                    \
		if (!config_setting_is_list(l_) && !config_setting_is_array(l_)) { \
			warnf(ps, l_, "%s must be a list of groups; ignored", key); \
			break;                                                    \
		}                                                                 \
		for (int i_ = 0; i_ < config_setting_length(l_); i_++) {          \
			const config_setting_t *e_ = config_setting_get_elem(l_, (unsigned int)i_); \
			void *grown_;                                             \
			if (!config_setting_is_group(e_)) {                       \
				warnf(ps, e_, "%s: an entry is not a group; skipped", key); \
				continue;                                         \
			}                                                         \
			grown_ = realloc(arr, (n + 1) * sizeof(*arr));            \
			if (!grown_)                                              \
				return -1;                                        \
			arr = grown_;                                             \
			if (fn(ps, e_, &arr[n]) == 0)                             \
				n++;                                              \
		}                                                                 \
	} while (0)

/* A count setting of the group into *out, warned about (at its own line)
 * and ignored if out of [lo, hi]. */
static void group_count(const struct parse *ps, const config_setting_t *g, const char *key,
			unsigned int lo, unsigned int hi, unsigned int *out)
{
	unsigned int v;
	int rc = get_count(g, key, lo, hi, &v);

	if (rc > 0)
		*out = v;
	else if (rc < 0)
		warnf(ps, config_setting_get_member(g, key), "%s must be an integer in %u..%u; "
		      "ignored", key, lo, hi);
}

static int parse_group(struct rs_detect_config *cfg, const struct parse *ps,
		       const config_setting_t *g)
{
	group_count(ps, g, "recover_ticks", 1, 65535, &cfg->recover_ticks);
	group_count(ps, g, "resend", 0, 86400 * 7, &cfg->resend_s);
	group_count(ps, g, "max_series", 1, 100000000, &cfg->max_series);
	group_count(ps, g, "kmsg_quiet_ticks", 1, 65535, &cfg->kmsg_quiet_ticks);
	PARSE_LIST(g, "thresholds", cfg->thresholds, cfg->nthresholds, parse_threshold);
	PARSE_LIST(g, "detectors", cfg->detectors, cfg->ndetectors, parse_detector);
	PARSE_LIST(g, "kmsg_rules", cfg->kmsg_rules, cfg->nkmsg_rules, parse_kmsg_rule);
	return 0;
}

static int parse_text(struct rs_detect_config *cfg, const char *text, const char *name,
		      rs_warn_fn warn, void *ctx, int *defaults, char *err, size_t errlen)
{
	struct parse ps = { name, warn, ctx };
	const config_setting_t *g;
	config_t c;
	int rc = 0, b;

	config_init(&c);
	if (!config_read_string(&c, text)) {
		snprintf(err, errlen, "%s:%d: %s", name, config_error_line(&c),
			 config_error_text(&c));
		config_destroy(&c);
		return -1;
	}
	g = config_lookup(&c, "detect");
	if (g && !config_setting_is_group(g)) {
		warnf(&ps, g, "detect must be a group; ignored");
	} else if (g) {
		if (defaults && config_setting_lookup_bool(g, "defaults", &b))
			*defaults = b;
		rc = parse_group(cfg, &ps, g);
		if (rc < 0)
			snprintf(err, errlen, "%s: out of memory", name);
	}
	config_destroy(&c);
	return rc;
}

int rs_detect_config_parse(struct rs_detect_config *cfg, const char *text, const char *name,
			   rs_warn_fn warn, void *ctx, char *err, size_t errlen)
{
	struct rs_detect_config user;
	int defaults = 1;

	memset(cfg, 0, sizeof(*cfg));
	memset(&user, 0, sizeof(user));
	user.resend_s = UINT_MAX;	/* "not set": 0 is a valid value */
	cfg->recover_ticks = 2;
	cfg->resend_s = 600;
	cfg->max_series = 100000;
	cfg->kmsg_quiet_ticks = 2;
	if (text && parse_text(&user, text, name, warn, ctx, &defaults, err, errlen) < 0) {
		rs_detect_config_free(&user);
		return -1;
	}
	if (defaults && parse_text(cfg, rs_detect_default_config, "<default detect>", warn,
				   ctx, NULL, err, errlen) < 0) {
		rs_detect_config_free(&user);
		return -1;
	}
	/* the user's settings and rules after (and so over) the defaults */
	if (user.recover_ticks)
		cfg->recover_ticks = user.recover_ticks;
	if (user.resend_s != UINT_MAX)
		cfg->resend_s = user.resend_s;
	if (user.max_series)
		cfg->max_series = user.max_series;
	if (user.kmsg_quiet_ticks)
		cfg->kmsg_quiet_ticks = user.kmsg_quiet_ticks;
#define APPEND(arr, n)                                                              \
	do {                                                                        \
		void *g_ = realloc(cfg->arr, (cfg->n + user.n + 1) * sizeof(*cfg->arr)); \
		if (!g_) {                                                          \
			rs_detect_config_free(&user);                               \
			snprintf(err, errlen, "%s: out of memory", name);           \
			return -1;                                                  \
		}                                                                   \
		cfg->arr = g_;                                                      \
		if (user.n)                                                         \
			memcpy(cfg->arr + cfg->n, user.arr, user.n * sizeof(*cfg->arr)); \
		cfg->n += user.n;                                                   \
	} while (0)
	APPEND(thresholds, nthresholds);
	APPEND(detectors, ndetectors);
	APPEND(kmsg_rules, nkmsg_rules);
#undef APPEND
	rs_detect_config_free(&user);
	return 0;
}

void rs_detect_config_free(struct rs_detect_config *cfg)
{
	free(cfg->thresholds);
	free(cfg->detectors);
	free(cfg->kmsg_rules);
	cfg->thresholds = NULL;
	cfg->detectors = NULL;
	cfg->kmsg_rules = NULL;
	cfg->nthresholds = cfg->ndetectors = cfg->nkmsg_rules = 0;
}
