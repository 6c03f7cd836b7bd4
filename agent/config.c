// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* config.c - load and validate ringscoped's libconfig file against a schema. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "config.h"
#include "meta.h"

enum kind { K_INT, K_STR, K_LOGLEVEL, K_CHANNEL, K_IGNORE, K_OFF_ONLY, K_NAMING, K_BOOL };

struct key {
	const char *section;
	const char *name;
	enum kind kind;
	size_t offset;
	size_t size;		/* K_STR: buffer size */
	long long min, max;	/* K_INT: range */
};

#define INT(sec, key, field, lo, hi) \
	{ sec, key, K_INT, offsetof(struct rs_config, field), 0, lo, hi }
#define STR(sec, key, field) \
	{ sec, key, K_STR, offsetof(struct rs_config, field), \
	  sizeof(((struct rs_config *)0)->field), 0, 0 }
#define CHAN(sec, key, field) \
	{ sec, key, K_CHANNEL, offsetof(struct rs_config, field), \
	  sizeof(((struct rs_config *)0)->field), 0, 0 }
#define IGNORED(sec, key) { sec, key, K_IGNORE, 0, 0, 0, 0 }

/* Every key the file may hold; anything else is an error (typos matter). */
static const struct key schema[] = {
	{ "global", "log_level", K_LOGLEVEL, offsetof(struct rs_config, log_level), 0, 0, 0 },
	STR("global", "log_file_name", log_file),
	STR("global", "metric_prefix", metric_prefix),
	STR("global", "machine_id", machine_id),
	STR("global", "meta_dir", meta_dir),
	STR("global", "proc_root", proc_root),
	STR("global", "sys_root", sys_root),
	INT("global", "report_interval", report_interval, 1, 3600),
	{ "global", "metric_names", K_NAMING, offsetof(struct rs_config, naming), 0, 0, 0 },
	{ "global", "rest_api_on", K_BOOL, offsetof(struct rs_config, rest_on), 0, 0, 0 },
	IGNORED("global", "pin_path"),
	INT("imdb", "max_tables_num", max_tables, 1, 65536),
	INT("imdb", "max_records_num", max_records, 1, 10000000),
	INT("imdb", "max_metrics_num", max_metrics, 1, 1024),
	INT("imdb", "record_timeout", record_timeout, 1, 30 * 86400),
	INT("workers", "count", worker_count, 0, RS_CFG_MAX_WORKERS),
	INT("workers", "ring_order", ring_order, 6, 22),
	INT("workers", "batch", batch, 1, 1 << 20),
	INT("workers", "timeout_min_us", timeout_min_us, 10, 10000000),
	INT("workers", "timeout_max_us", timeout_max_us, 10, 10000000),
	CHAN("metric", "out_channel", metric_out),
	STR("metric", "kafka_topic", metric_topic),
	CHAN("event", "out_channel", event_out),
	STR("event", "kafka_topic", event_topic),
	INT("event", "timeout", event_timeout, 1, 86400),
	CHAN("meta", "out_channel", meta_out),
	STR("meta", "kafka_topic", meta_topic),
	STR("web_server", "bind_addr", web_addr),
	INT("web_server", "port", web_port, 0, 65535),
	{ "web_server", "ssl_auth", K_OFF_ONLY, 0, 0, 0, 0 },
	IGNORED("web_server", "private_key"),
	IGNORED("web_server", "cert_file"),
	IGNORED("web_server", "ca_file"),
	STR("rest_server", "bind_addr", rest_addr),
	INT("rest_server", "port", rest_port, 0, 65535),
	{ "rest_server", "ssl_auth", K_OFF_ONLY, 0, 0, 0, 0 },
	IGNORED("rest_server", "private_key"),
	IGNORED("rest_server", "cert_file"),
	IGNORED("rest_server", "ca_file"),
	STR("kafka", "kafka_broker", kafka_broker),
	INT("kafka", "batch_num_messages", kafka_batch_num_messages, 1, 1000000),
	STR("kafka", "compression_codec", kafka_compression),
	INT("kafka", "queue_buffering_max_messages", kafka_queue_max_messages, 1, 10000000),
	INT("kafka", "queue_buffering_max_kbytes", kafka_queue_max_kbytes, 1, 2097151),
	INT("kafka", "queue_buffering_max_ms", kafka_queue_max_ms, 0, 900000),
	IGNORED("kafka", "username"),
	IGNORED("kafka", "password"),
	STR("logs", "metric_dir", log_metric_dir),
	STR("logs", "event_dir", log_event_dir),
	STR("logs", "meta_dir", log_meta_dir),
	INT("logs", "file_size", log_file_size_mb, 1, 4096),
	INT("logs", "file_count", log_file_count, 1, 1000),
	IGNORED("logs", "metric_total_size"),
	IGNORED("logs", "debug_dir"),
};

/* Sections that are groups of keys above, plus the lists handled below. */
static const char *const group_sections[] = {
	"global", "imdb", "workers", "metric", "event", "meta", "web_server",
	"rest_server", "kafka", "logs",
};

static const char *const known_probes[] = { "baseinfo", "selftest" };

static void set_defaults(struct rs_config *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = RS_LOG_INFO;
	snprintf(c->metric_prefix, sizeof(c->metric_prefix), "gala_gopher");
	snprintf(c->proc_root, sizeof(c->proc_root), "/proc");
	snprintf(c->sys_root, sizeof(c->sys_root), "/sys");
	c->report_interval = 5;
	c->max_tables = 1024;
	c->max_records = 10240;
	c->max_metrics = 64;
	c->record_timeout = 7200;
	c->ring_order = 12;
	c->batch = 256;
	c->timeout_min_us = 1000;
	c->timeout_max_us = 200000;
	snprintf(c->metric_out, sizeof(c->metric_out), "web_server");
	snprintf(c->metric_topic, sizeof(c->metric_topic), "gala_gopher");
	snprintf(c->event_topic, sizeof(c->event_topic), "gala_gopher_event");
	snprintf(c->meta_topic, sizeof(c->meta_topic), "gala_gopher_metadata");
	c->event_timeout = 600;
	snprintf(c->web_addr, sizeof(c->web_addr), "127.0.0.1");
	c->web_port = 8888;
	snprintf(c->rest_addr, sizeof(c->rest_addr), "127.0.0.1");
	c->rest_port = 9999;
	c->rest_on = 1;
	c->kafka_batch_num_messages = 10000;
	snprintf(c->kafka_compression, sizeof(c->kafka_compression), "none");
	c->kafka_queue_max_messages = 100000;
	c->kafka_queue_max_kbytes = 1048576;
	c->kafka_queue_max_ms = 5;
	c->log_file_size_mb = 10;
	c->log_file_count = 5;
}

struct ctx {
	struct rs_config *cfg;
	const char *name;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct ctx *x, const config_setting_t *s, const char *fmt, ...)
{
	char reason[512];
	const char *file = s ? config_setting_source_file(s) : NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (x->errlen)
		snprintf(x->err, x->errlen, "%s:%u: %s", file ? file : x->name,
			 s ? config_setting_source_line(s) : 0, reason);
	return -1;
}

static int get_int(struct ctx *x, const config_setting_t *s, const char *what,
		   long long lo, long long hi, long long *out)
{
	long long v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		v = config_setting_get_int(s);
		break;
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(s);
		break;
	default:
		return fail(x, s, "%s: expected an integer", what);
	}
	if (v < lo || v > hi)
		return fail(x, s, "%s: %lld is outside [%lld, %lld]", what, v, lo, hi);
	*out = v;
	return 0;
}

static int get_str(struct ctx *x, const config_setting_t *s, const char *what,
		   char *buf, size_t size)
{
	const char *v = config_setting_get_string(s);

	if (!v)
		return fail(x, s, "%s: expected a string", what);
	if (strlen(v) >= size)
		return fail(x, s, "%s: longer than %zu characters", what, size - 1);
	memcpy(buf, v, strlen(v) + 1);
	return 0;
}

int rs_log_level_parse(const char *s)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	if (!strcmp(s, "warning"))
		return RS_LOG_WARN;
	return -1;
}

const char *rs_log_level_name(int level)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };

	return level >= 0 && level < 4 ? names[level] : "?";
}

int rs_config_channel(const char *list, const char *channel)
{
	size_t n = strlen(channel);
	const char *p = list;

	while (p && *p) {
		p += strspn(p, " ,");
		if (!strncmp(p, channel, n) && (p[n] == 0 || p[n] == ',' || p[n] == ' '))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

static int check_channel(struct ctx *x, const config_setting_t *s,
			 const char *what, const char *list)
{
	static const char *const ok[] = { "web_server", "logs", "kafka", "json" };
	char tmp[64], *tok, *save = NULL;
	unsigned int i;

	snprintf(tmp, sizeof(tmp), "%s", list);
	for (tok = strtok_r(tmp, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		for (i = 0; i < 4 && strcmp(tok, ok[i]); i++)
			;
		if (i == 4)
			return fail(x, s, "%s: unknown channel '%s' (web_server, logs, kafka, json)",
				    what, tok);
	}
	return 0;
}

static int load_key(struct ctx *x, const struct key *k, const config_setting_t *s)
{
	char what[128], tmp[64];
	char *field = (char *)x->cfg + k->offset;
	long long v;

	snprintf(what, sizeof(what), "%s.%s", k->section, k->name);
	switch (k->kind) {
	case K_INT:
		if (get_int(x, s, what, k->min, k->max, &v))
			return -1;
		*(int *)field = (int)v;
		return 0;
	case K_STR:
		return get_str(x, s, what, field, k->size);
	case K_CHANNEL:
		if (get_str(x, s, what, field, k->size))
			return -1;
		return check_channel(x, s, what, field);
	case K_LOGLEVEL:
		if (get_str(x, s, what, tmp, sizeof(tmp)))
			return -1;
		if ((*(int *)field = rs_log_level_parse(tmp)) < 0)
			return fail(x, s, "%s: '%s' is not debug, info, warn or error", what, tmp);
		return 0;
	case K_OFF_ONLY:
		if (get_str(x, s, what, tmp, sizeof(tmp)))
			return -1;
		if (strcmp(tmp, "off"))
			return fail(x, s, "%s: only \"off\" is supported (no TLS yet)", what);
		return 0;
	case K_NAMING:
		if (get_str(x, s, what, tmp, sizeof(tmp)))
			return -1;
		if (!strcmp(tmp, "prometheus"))
			*(int *)field = RS_NAMING_PROMETHEUS;
		else if (!strcmp(tmp, "gala"))
			*(int *)field = RS_NAMING_GALA;
		else
			return fail(x, s, "%s: '%s' is not \"prometheus\" or \"gala\"", what, tmp);
		return 0;
	case K_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return fail(x, s, "%s: expected true or false", what);
		*(int *)field = config_setting_get_bool(s);
		return 0;
	case K_IGNORE:
		return 0;
	}
	return 0;
}

static int load_group(struct ctx *x, const char *section, const config_setting_t *g)
{
	int i, n = config_setting_length(g);
	size_t j;

	if (!config_setting_is_group(g))
		return fail(x, g, "%s: expected a group { ... }", section);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned int)i);
		const char *name = config_setting_name(s);

		if (!strcmp(section, "workers") && !strcmp(name, "nodes"))
			continue;	/* a list, loaded by load_nodes */
		for (j = 0; j < sizeof(schema) / sizeof(schema[0]); j++)
			if (!strcmp(schema[j].section, section) && !strcmp(schema[j].name, name))
				break;
		if (j == sizeof(schema) / sizeof(schema[0]))
			return fail(x, s, "unknown setting '%s.%s'", section, name);
		if (load_key(x, &schema[j], s))
			return -1;
	}
	return 0;
}

/* Check every member of a list element against the allowed names. */
static int only_members(struct ctx *x, const config_setting_t *e, const char *what,
			const char *const *names, unsigned int nnames)
{
	int i, n = config_setting_length(e);
	unsigned int j;

	if (!config_setting_is_group(e))
		return fail(x, e, "%s: expected a group { ... }", what);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(e, (unsigned int)i);

		for (j = 0; j < nnames && strcmp(names[j], config_setting_name(s)); j++)
			;
		if (j == nnames)
			return fail(x, s, "%s: unknown setting '%s'", what, config_setting_name(s));
	}
	return 0;
}

static int valid_cpu_list(const char *s)
{
	const char *p = s;

	if (!*p)
		return 0;
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p || a < 0 || a >= 4096)
			return 0;
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a || b >= 4096)
				return 0;
		}
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return 0;
	}
	return 1;
}

static int load_nodes(struct ctx *x, const config_setting_t *l)
{
	static const char *const names[] = { "node", "cpus" };
	int i, n;

	if (!config_setting_is_list(l))
		return fail(x, l, "workers.nodes: expected a list ( {...}, ... )");
	n = config_setting_length(l);
	if (n > RS_CFG_MAX_WORKERS)
		return fail(x, l, "workers.nodes: %d entries, at most %d", n, RS_CFG_MAX_WORKERS);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned int)i);
		struct rs_cfg_worker *w = &x->cfg->workers[i];
		const config_setting_t *s;
		long long v;

		if (only_members(x, e, "workers.nodes", names, 2))
			return -1;
		s = config_setting_get_member(e, "cpus");
		if (!s)
			return fail(x, e, "workers.nodes[%d]: missing 'cpus'", i);
		if (get_str(x, s, "workers.nodes.cpus", w->cpus, sizeof(w->cpus)))
			return -1;
		if (!valid_cpu_list(w->cpus))
			return fail(x, s, "workers.nodes.cpus: '%s' is not a cpu list like \"0-3,8\"",
				    w->cpus);
		s = config_setting_get_member(e, "node");
		w->node = 0;
		if (s) {
			if (get_int(x, s, "workers.nodes.node", 0, 1023, &v))
				return -1;
			w->node = (int)v;
		}
	}
	x->cfg->nworkers = n;
	return 0;
}

static int load_probes(struct ctx *x, const config_setting_t *l)
{
	static const char *const names[] = { "name", "switch", "rate", "param", "command",
					     "start_check", "check_type" };
	int i, n;
	unsigned int j;

	if (!config_setting_is_list(l))
		return fail(x, l, "probes: expected a list ( {...}, ... )");
	n = config_setting_length(l);
	if (n > RS_CFG_MAX_PROBES)
		return fail(x, l, "probes: %d entries, at most %d", n, RS_CFG_MAX_PROBES);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned int)i);
		struct rs_cfg_probe *p = &x->cfg->probes[i];
		const config_setting_t *s;
		char sw[16] = "on";
		long long v;

		if (only_members(x, e, "probes", names, 7))
			return -1;
		s = config_setting_get_member(e, "name");
		if (!s)
			return fail(x, e, "probes[%d]: missing 'name'", i);
		if (get_str(x, s, "probes.name", p->name, sizeof(p->name)))
			return -1;
		for (j = 0; j < sizeof(known_probes) / sizeof(known_probes[0]); j++)
			if (!strcmp(p->name, known_probes[j]))
				break;
		if (j == sizeof(known_probes) / sizeof(known_probes[0]))
			return fail(x, s, "probes: unknown probe '%s' (known: baseinfo, selftest)",
				    p->name);
		for (j = 0; j < (unsigned int)i; j++)
			if (!strcmp(x->cfg->probes[j].name, p->name))
				return fail(x, s, "probes: '%s' listed twice", p->name);
		s = config_setting_get_member(e, "switch");
		if (s && get_str(x, s, "probes.switch", sw, sizeof(sw)))
			return -1;
		if (strcmp(sw, "on") && strcmp(sw, "off"))
			return fail(x, s, "probes.switch: '%s' is not \"on\" or \"off\"", sw);
		p->on = !strcmp(sw, "on");
		p->rate = 10;
		s = config_setting_get_member(e, "rate");
		if (s) {
			if (get_int(x, s, "probes.rate", 0, 10000000, &v))
				return -1;
			p->rate = (int)v;
		}
		s = config_setting_get_member(e, "param");
		if (s && get_str(x, s, "probes.param", p->param, sizeof(p->param)))
			return -1;
		if (s && !strcmp(p->name, "baseinfo")) {
			static const char *const subs[] = { "cpu", "mem", "disk", "fs", "nic", "net",
							    "host" };
			char list[RS_CFG_STR], *tok, *save = NULL;

			snprintf(list, sizeof(list), "%s", p->param);
			for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
				for (j = 0; j < 7 && strcmp(tok, subs[j]); j++)
					;
				if (j == 7)
					return fail(x, s, "probes.param: baseinfo has no sub-collector '%s' "
						    "(cpu, mem, disk, fs, nic, net, host)", tok);
			}
		}
	}
	x->cfg->nprobes = n;
	return 0;
}

static int severity_number(const char *s)
{
	if (!strcmp(s, "INFO"))
		return 9;
	if (!strcmp(s, "WARN"))
		return 13;
	if (!strcmp(s, "ERROR"))
		return 17;
	if (!strcmp(s, "FATAL"))
		return 21;
	return -1;
}

static int load_thresholds(struct ctx *x, const config_setting_t *l)
{
	static const char *const names[] = { "entity", "metric", "op", "value", "severity" };
	static const char *const ops[] = { ">", ">=", "<", "<=", "==", "!=" };
	int i, n;

	if (!config_setting_is_list(l))
		return fail(x, l, "thresholds: expected a list ( {...}, ... )");
	n = config_setting_length(l);
	if (n > RS_CFG_MAX_THRESHOLDS)
		return fail(x, l, "thresholds: %d entries, at most %d", n, RS_CFG_MAX_THRESHOLDS);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned int)i);
		struct rs_cfg_threshold *t = &x->cfg->thresholds[i];
		const config_setting_t *s;
		char op[8] = ">";
		unsigned int j;

		if (only_members(x, e, "thresholds", names, 5))
			return -1;
		if (!(s = config_setting_get_member(e, "entity")))
			return fail(x, e, "thresholds[%d]: missing 'entity'", i);
		if (get_str(x, s, "thresholds.entity", t->entity, sizeof(t->entity)))
			return -1;
		if (!(s = config_setting_get_member(e, "metric")))
			return fail(x, e, "thresholds[%d]: missing 'metric'", i);
		if (get_str(x, s, "thresholds.metric", t->metric, sizeof(t->metric)))
			return -1;
		if (!(s = config_setting_get_member(e, "value")))
			return fail(x, e, "thresholds[%d]: missing 'value'", i);
		if (!config_setting_is_number(s))
			return fail(x, s, "thresholds.value: expected a number");
		t->value = config_setting_type(s) == CONFIG_TYPE_FLOAT ?
			config_setting_get_float(s) :
			(double)config_setting_get_int64(s);
		if (config_setting_type(s) == CONFIG_TYPE_INT)
			t->value = config_setting_get_int(s);
		s = config_setting_get_member(e, "op");
		if (s && get_str(x, s, "thresholds.op", op, sizeof(op)))
			return -1;
		for (j = 0; j < 6 && strcmp(op, ops[j]); j++)
			;
		if (j == 6)
			return fail(x, s, "thresholds.op: '%s' is not one of > >= < <= == !=", op);
		t->op = (int)j;
		snprintf(t->severity, sizeof(t->severity), "WARN");
		s = config_setting_get_member(e, "severity");
		if (s && get_str(x, s, "thresholds.severity", t->severity, sizeof(t->severity)))
			return -1;
		if ((t->severity_number = severity_number(t->severity)) < 0)
			return fail(x, s, "thresholds.severity: '%s' is not INFO, WARN, ERROR or FATAL",
				    t->severity);
	}
	x->cfg->nthresholds = n;
	return 0;
}

static int load_root(struct ctx *x, const config_setting_t *root)
{
	int i, n = config_setting_length(root);
	size_t j;

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned int)i);
		const char *name = config_setting_name(s);
		const char *section = !strcmp(name, "rest_api_server") ? "rest_server" : name;
		int r;

		if (!strcmp(name, "probes"))
			r = load_probes(x, s);
		else if (!strcmp(name, "thresholds"))
			r = load_thresholds(x, s);
		else {
			for (j = 0; j < sizeof(group_sections) / sizeof(group_sections[0]); j++)
				if (!strcmp(group_sections[j], section))
					break;
			if (j == sizeof(group_sections) / sizeof(group_sections[0]))
				return fail(x, s, "unknown section '%s'", name);
			r = load_group(x, section, s);
			if (!r && !strcmp(section, "workers")) {
				const config_setting_t *nodes = config_setting_get_member(s, "nodes");

				if (nodes)
					r = load_nodes(x, nodes);
			}
		}
		if (r)
			return r;
	}
	return 0;
}

/* Checks that involve several keys. */
static int cross_check(struct ctx *x)
{
	struct rs_config *c = x->cfg;
	const char *p;

	if (c->timeout_min_us > c->timeout_max_us)
		return fail(x, NULL, "workers: timeout_min_us %d is above timeout_max_us %d",
			    c->timeout_min_us, c->timeout_max_us);
	if (c->nworkers && c->worker_count && c->worker_count != c->nworkers)
		return fail(x, NULL, "workers: count = %d but %d nodes listed",
			    c->worker_count, c->nworkers);
	if (!c->metric_prefix[0])
		return fail(x, NULL, "global.metric_prefix: must not be empty");
	for (p = c->metric_prefix; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      *p == ':' || (p != c->metric_prefix && *p >= '0' && *p <= '9')))
			return fail(x, NULL, "global.metric_prefix: '%s' is not a Prometheus name",
				    c->metric_prefix);
	return 0;
}

int rs_config_parse_text(struct rs_config *cfg, const char *text,
			 const char *name, char *err, size_t errlen)
{
	struct ctx x = { cfg, name, err, errlen };
	config_t lc;
	int r;

	set_defaults(cfg);
	snprintf(cfg->source, sizeof(cfg->source), "%s", name);
	config_init(&lc);
	if (config_read_string(&lc, text) != CONFIG_TRUE) {
		if (errlen)
			snprintf(err, errlen, "%s:%d: %s", name, config_error_line(&lc),
				 config_error_text(&lc) ? config_error_text(&lc) : "syntax error");
		config_destroy(&lc);
		return -1;
	}
	r = load_root(&x, config_root_setting(&lc));
	if (!r)
		r = cross_check(&x);
	config_destroy(&lc);
	return r;
}

int rs_config_load(struct rs_config *cfg, const char *path, char *err,
		   size_t errlen)
{
	char *text;
	long len;
	FILE *f;
	int r;

	if (!path)
		return rs_config_parse_text(cfg, rs_default_config, "<embedded default>",
					    err, errlen);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    len > (16 << 20)) {
		snprintf(err, errlen, "%s:0: cannot read (not a regular file under 16 MiB)", path);
		fclose(f);
		return -1;
	}
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		snprintf(err, errlen, "%s:0: cannot read: %s", path, strerror(errno));
		free(text);
		fclose(f);
		return -1;
	}
	text[len] = 0;
	fclose(f);
	if (strlen(text) != (size_t)len) {
		snprintf(err, errlen, "%s:0: file contains a NUL byte", path);
		free(text);
		return -1;
	}
	r = rs_config_parse_text(cfg, text, path, err, errlen);
	free(text);
	return r;
}

const struct rs_cfg_probe *rs_config_probe(const struct rs_config *cfg,
					   const char *name)
{
	int i;

	for (i = 0; i < cfg->nprobes; i++)
		if (!strcmp(cfg->probes[i].name, name))
			return &cfg->probes[i];
	return NULL;
}
