// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* agent.c - start, tick, reload and stop of ringscoped's parts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <numa.h>

#include "agent.h"
#include "buf.h"
#include "jsonout.h"
#include "log.h"
#include "prom.h"
#include "snapshot.h"

#ifndef RS_DEFAULT_META_DIR
#define RS_DEFAULT_META_DIR "/usr/share/ringscope/meta"
#endif

#define META_RESEND_MS (10 * 60 * 1000)	/* gala-gopher re-sends every 10 min */

uint64_t rs_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t rs_wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

void rs_agent_load_meta(struct rs_meta_set *meta, const struct rs_config *cfg)
{
	struct rs_meta_limits lim = {
		.max_tables = (unsigned int)cfg->max_tables,
		.max_metrics = (unsigned int)cfg->max_metrics,
		.prefix = cfg->metric_prefix,
		.naming = cfg->naming,
	};

	rs_meta_init(meta);
	rs_meta_add_dir(meta, cfg->meta_dir[0] ? cfg->meta_dir : RS_DEFAULT_META_DIR);
	rs_meta_resolve(meta, &lim);
}

static void read_machine_id(struct rs_agent *a)
{
	FILE *f;

	if (a->cfg.machine_id[0]) {
		snprintf(a->machine_id, sizeof(a->machine_id), "%s", a->cfg.machine_id);
		return;
	}
	f = fopen("/etc/machine-id", "r");
	if (f && fgets(a->machine_id, sizeof(a->machine_id), f))
		a->machine_id[strcspn(a->machine_id, "\r\n")] = 0;
	if (f)
		fclose(f);
	if (!a->machine_id[0] && gethostname(a->machine_id, sizeof(a->machine_id) - 1))
		snprintf(a->machine_id, sizeof(a->machine_id), "unknown");
}

/* ---- workers and rings ---------------------------------------------------- */

struct plan {
	cpu_set_t cpus;
	int node;
	char text[256];
};

static void cpuset_text(const cpu_set_t *s, char *out, size_t len)
{
	int c, start = -1;
	size_t o = 0;

	out[0] = 0;
	for (c = 0; c <= CPU_SETSIZE; c++) {
		int in = c < CPU_SETSIZE && CPU_ISSET(c, s);

		if (in && start < 0)
			start = c;
		if (!in && start >= 0) {
			o += (size_t)snprintf(out + o, o < len ? len - o : 0, "%s%d", o ? "," : "", start);
			if (c - 1 > start)
				o += (size_t)snprintf(out + o, o < len ? len - o : 0, "-%d", c - 1);
			start = -1;
		}
	}
}

static int plan_workers(const struct rs_config *cfg, struct plan *p, char *err, size_t errlen)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	int n = 0, i, c;
	cpu_set_t all, seen;

	CPU_ZERO(&all);
	CPU_ZERO(&seen);
	for (c = 0; c < ncpu && c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	if (cfg->nworkers) {
		for (i = 0; i < cfg->nworkers; i++) {
			if (rs_cpulist_parse(cfg->workers[i].cpus, &p[i].cpus) <= 0) {
				snprintf(err, errlen, "workers.nodes[%d]: bad cpu list '%s'", i,
					 cfg->workers[i].cpus);
				return -1;
			}
			for (c = 0; c < CPU_SETSIZE; c++) {
				if (!CPU_ISSET(c, &p[i].cpus))
					continue;
				if (!CPU_ISSET(c, &all)) {
					snprintf(err, errlen, "workers.nodes[%d]: cpu %d does not exist (%ld cpus)",
						 i, c, ncpu);
					return -1;
				}
				if (CPU_ISSET(c, &seen)) {
					snprintf(err, errlen, "workers.nodes[%d]: cpu %d is in two workers", i, c);
					return -1;
				}
				CPU_SET(c, &seen);
			}
			p[i].node = cfg->workers[i].node;
			if (numa_available() >= 0 && p[i].node > numa_max_node()) {
				snprintf(err, errlen, "workers.nodes[%d]: node %d does not exist (max %d)",
					 i, p[i].node, numa_max_node());
				return -1;
			}
		}
		n = cfg->nworkers;
	} else if (cfg->worker_count > 0) {
		int per = (int)((ncpu + cfg->worker_count - 1) / cfg->worker_count);

		for (c = 0; c < ncpu; c++) {
			i = c / per;
			if (c % per == 0) {
				CPU_ZERO(&p[i].cpus);
				p[i].node = numa_available() >= 0 ? numa_node_of_cpu(c) : -1;
				n = i + 1;
			}
			CPU_SET(c, &p[i].cpus);
		}
	} else if (numa_available() >= 0) {
		int node;

		for (node = 0; node <= numa_max_node() && n < RS_CFG_MAX_WORKERS; node++) {
			struct bitmask *bm = numa_allocate_cpumask();

			CPU_ZERO(&p[n].cpus);
			if (bm && !numa_node_to_cpus(node, bm))
				for (c = 0; c < ncpu; c++)
					if (numa_bitmask_isbitset(bm, (unsigned int)c))
						CPU_SET(c, &p[n].cpus);
			if (bm)
				numa_free_cpumask(bm);
			if (CPU_COUNT(&p[n].cpus)) {
				p[n].node = node;
				n++;
			}
		}
	}
	if (n == 0) {
		p[0].cpus = all;
		p[0].node = -1;
		n = 1;
	}
	for (i = 0; i < n; i++)
		cpuset_text(&p[i].cpus, p[i].text, sizeof(p[i].text));
	return n;
}

static int start_workers(struct rs_agent *a, char *err, size_t errlen)
{
	struct plan plan[RS_CFG_MAX_WORKERS];
	char why[256];
	int n, i, c;

	n = plan_workers(&a->cfg, plan, err, errlen);
	if (n < 0)
		return -1;
	a->sets = calloc((size_t)n, sizeof(*a->sets));
	a->workers = calloc((size_t)n, sizeof(*a->workers));
	if (!a->sets || !a->workers) {
		snprintf(err, errlen, "workers: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct rs_worker *w = &a->workers[i];
		struct rs_ring_set *set = &a->sets[i];
		unsigned int r = 0, nr = (unsigned int)CPU_COUNT(&plan[i].cpus);
		unsigned int order = (unsigned int)a->cfg.ring_order;

		if (rs_ring_set_create_memfd(set, nr, order, (1u << order) / 4, why, sizeof(why))) {
			snprintf(err, errlen, "worker %d rings: %s", i, why);
			return -1;
		}
		w->id = (unsigned int)i;
		w->node = plan[i].node;
		w->cpus = plan[i].cpus;
		snprintf(w->cpus_text, sizeof(w->cpus_text), "%s", plan[i].text);
		w->rings = calloc(nr, sizeof(*w->rings));
		w->ring_cpu = calloc(nr, sizeof(*w->ring_cpu));
		if (!w->rings || !w->ring_cpu) {
			snprintf(err, errlen, "workers: out of memory");
			return -1;
		}
		for (c = 0; c < CPU_SETSIZE && r < nr; c++)
			if (CPU_ISSET(c, &plan[i].cpus)) {
				w->rings[r] = &set->rings[r];
				w->ring_cpu[r] = (unsigned int)c;
				set->rings[r].hdr->geo.cpu = (unsigned int)c;	/* creator's field */
				r++;
			}
		w->nrings = nr;
		w->doorbell = &set->doorbell;
		w->decoders = &a->decoders;
		w->acc_limit = (size_t)a->cfg.max_records;
		w->batch = a->cfg.batch;
		w->timeout_min_us = a->cfg.timeout_min_us;
		w->timeout_max_us = a->cfg.timeout_max_us;
		a->nworkers = (unsigned int)i + 1;
		if (rs_worker_start(w, err, errlen))
			return -1;
		rs_info("worker %d: node %d, cpus %s, %u rings of %u slots", i, w->node,
			w->cpus_text, nr, 1u << order);
	}
	return 0;
}

/* ---- outputs --------------------------------------------------------------- */

static void open_log(struct rs_jsonlog *l, int *on, const char *channel_list,
		     const char *dir, const char *name, const struct rs_config *cfg)
{
	char err[512];

	rs_jsonlog_close(l);
	*on = 0;
	if (!rs_config_channel(channel_list, "logs") && !rs_config_channel(channel_list, "json"))
		return;
	if (!dir[0]) {
		rs_warn("logs: no folder configured for %s; that log is off", name);
		return;
	}
	if (rs_jsonlog_open(l, dir, name, (uint64_t)cfg->log_file_size_mb << 20,
			    (unsigned int)cfg->log_file_count, err, sizeof(err))) {
		rs_warn("logs: %s; that log is off", err);
		return;
	}
	*on = 1;
}

static void open_logs(struct rs_agent *a)
{
	const struct rs_config *c = &a->cfg;

	open_log(&a->meta_log, &a->meta_log_on, c->meta_out, c->log_meta_dir, "metadata.log", c);
	open_log(&a->event_log, &a->event_log_on, c->event_out, c->log_event_dir, "events.log", c);
	open_log(&a->metric_log, &a->metric_log_on, c->metric_out, c->log_metric_dir,
		 "metrics.log", c);
	if (rs_config_channel(c->metric_out, "kafka") || rs_config_channel(c->event_out, "kafka") ||
	    rs_config_channel(c->meta_out, "kafka"))
		rs_warn("kafka: the Kafka exporter is not built yet; kafka channels are ignored");
}

static void write_line(void *ctx, const char *json, size_t len)
{
	rs_jsonlog_write(ctx, json, len);
}

static void start_sources(struct rs_agent *a)
{
	const struct rs_cfg_probe *p = rs_config_probe(&a->cfg, "baseinfo");
	char err[512];

	if (p && p->on && !a->collect.running) {
		memset(&a->collect, 0, sizeof(a->collect));
		if (rs_collect_loop_start(&a->collect, &a->meta, a->cfg.proc_root, a->cfg.sys_root,
					  p->param, (size_t)a->cfg.max_records,
					  (uint64_t)a->cfg.record_timeout * 1000000000ULL,
					  err, sizeof(err)))
			rs_error("probe baseinfo: %s; host metrics are off", err);
	} else if ((!p || !p->on) && a->collect.running) {
		rs_collect_loop_stop(&a->collect);
	}
	p = rs_config_probe(&a->cfg, "selftest");
	if (p && p->on && !a->selftest.running) {
		unsigned int i;

		memset(&a->selftest, 0, sizeof(a->selftest));
		a->selftest.sets = calloc(a->nworkers, sizeof(*a->selftest.sets));
		if (!a->selftest.sets)
			return;
		for (i = 0; i < a->nworkers; i++)
			a->selftest.sets[i] = &a->sets[i];
		a->selftest.nsets = a->nworkers;
		a->selftest.rate = p->rate;
		if (rs_selftest_start(&a->selftest, err, sizeof(err)))
			rs_error("probe selftest: %s", err);
	} else if (p && p->on) {
		rs_selftest_set_rate(&a->selftest, p->rate);
	} else if (a->selftest.running) {
		rs_selftest_stop(&a->selftest);
		free(a->selftest.sets);
		a->selftest.sets = NULL;
	}
}

int rs_agent_start(struct rs_agent *a, const struct rs_config *cfg, char *err, size_t errlen)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	a->cfg = *cfg;
	a->start_ns = rs_mono_ns();
	read_machine_id(a);
	rs_agent_load_meta(&a->meta, cfg);
	for (i = 0; i < a->meta.nerrors; i++)
		rs_error("meta: %s", a->meta.errors[i]);
	rs_info("meta: %u tables, %u entities loaded from %s (%u errors)", a->meta.ntables,
		a->meta.nentities, cfg->meta_dir[0] ? cfg->meta_dir : RS_DEFAULT_META_DIR,
		a->meta.nerrors);
	rs_decoders_bind(&a->decoders, &a->meta, NULL, 0, rs_log_error_msg);
	a->store = rs_store_new(&a->meta, (size_t)cfg->max_records,
				(uint64_t)cfg->record_timeout * 1000000000ULL);
	if (!a->store) {
		snprintf(err, errlen, "entity store: out of memory");
		return -1;
	}
	if (start_workers(a, err, errlen))
		return -1;
	open_logs(a);
	if (rs_config_channel(cfg->metric_out, "web_server")) {
		a->http = rs_http_start(cfg->web_addr, cfg->web_port, err, errlen);
		if (!a->http)
			return -1;
		rs_info("web_server: http://%s:%d/metrics", cfg->web_addr, cfg->web_port);
	}
	pthread_mutex_init(&a->control.lock, NULL);
	pthread_cond_init(&a->control.done, NULL);
	a->control.main_thread = pthread_self();
	if (cfg->rest_on) {
		a->rest = rs_rest_start(cfg->rest_addr, cfg->rest_port, &a->control, err, errlen);
		if (!a->rest)
			return -1;
		rs_info("rest_server: http://%s:%d/<probe>", cfg->rest_addr, cfg->rest_port);
	}
	start_sources(a);
	rs_agent_tick(a, 0);	/* a first snapshot right away */
	return 0;
}

/* ---- REST probe control ------------------------------------------------------ */

static const char *const baseinfo_subs[] = { "cpu", "mem", "disk", "fs", "nic", "net", "host" };

static json_t *probe_json(struct rs_agent *a, const char *name)
{
	const struct rs_cfg_probe *p = rs_config_probe(&a->cfg, name);
	json_t *o = json_object(), *cmd = json_object(), *list = json_array();
	json_t *params = json_object();
	int running;
	unsigned int i;

	if (!strcmp(name, "baseinfo")) {
		char tmp[RS_CFG_STR], *tok, *save = NULL;

		running = a->collect.running;
		if (p && p->param[0]) {
			snprintf(tmp, sizeof(tmp), "%s", p->param);
			for (tok = strtok_r(tmp, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
				json_array_append_new(list, json_string(tok));
		} else {
			for (i = 0; i < 7; i++)
				json_array_append_new(list, json_string(baseinfo_subs[i]));
		}
	} else {
		running = a->selftest.running;
		json_object_set_new(params, "rate", json_integer(p ? p->rate : 10));
	}
	json_object_set_new(cmd, "probe", list);
	json_object_set_new(o, "cmd", cmd);
	json_object_set_new(o, "snoopers", json_object());
	json_object_set_new(o, "params", params);
	json_object_set_new(o, "state", json_string(running ? "running" : "stopped"));
	return o;
}

static void reply(struct rs_control *req, unsigned int status, json_t *o)
{
	req->status = status;
	req->reply = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
}

static void reply_error(struct rs_control *req, unsigned int status, const char *fmt,
			const char *a1, const char *a2)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a1, a2);
	reply(req, status, json_pack("{s:s}", "error", msg));
}

void rs_agent_control(void *agent, struct rs_control *req)
{
	struct rs_agent *a = agent;
	const char *body = req->body ? req->body : "";
	struct rs_cfg_probe want, *p;
	json_t *root, *v, *item;
	json_error_t jerr;
	const char *key;
	size_t i;
	int k;

	if (strcmp(req->feature, "baseinfo") && strcmp(req->feature, "selftest")) {
		reply_error(req, 404, "unknown probe '%s' (baseinfo, selftest)", req->feature, "");
		return;
	}
	if (!req->put) {
		reply(req, 200, probe_json(a, req->feature));
		return;
	}
	if (!strncmp(body, "json=", 5))
		body += 5;
	root = json_loads(body, 0, &jerr);
	if (!root || !json_is_object(root)) {
		char where[64];

		snprintf(where, sizeof(where), "line %d, column %d", jerr.line, jerr.column);
		reply_error(req, 400, root ? "body: expected a JSON object%s%s" : "body: %s (%s)",
			    root ? "" : jerr.text, root ? "" : where);
		json_decref(root);
		return;
	}
	p = (struct rs_cfg_probe *)rs_config_probe(&a->cfg, req->feature);
	memset(&want, 0, sizeof(want));
	snprintf(want.name, sizeof(want.name), "%s", req->feature);
	want.rate = 10;
	if (p)
		want = *p;
	json_object_foreach(root, key, v) {
		if (!strcmp(key, "state")) {
			if (!json_is_string(v) || (strcmp(json_string_value(v), "running") &&
						   strcmp(json_string_value(v), "stopped")))
				goto bad_state;
			want.on = !strcmp(json_string_value(v), "running");
		} else if (!strcmp(key, "params")) {
			json_t *pv;
			const char *pk;

			if (!json_is_object(v))
				goto bad_params;
			json_object_foreach(v, pk, pv) {
				if (!strcmp(req->feature, "selftest") && !strcmp(pk, "rate") &&
				    json_is_integer(pv) && json_integer_value(pv) >= 0 &&
				    json_integer_value(pv) <= 10000000) {
					want.rate = (int)json_integer_value(pv);
					continue;
				}
				reply_error(req, 400, "params.%s: not a parameter of %s"
					    " (selftest: rate 0..10000000)", pk, req->feature);
				json_decref(root);
				return;
			}
		} else if (!strcmp(key, "cmd")) {
			json_t *list = json_object_get(v, "probe");

			if (!json_is_object(v) || (list && !json_is_array(list)))
				goto bad_cmd;
			if (!list)
				continue;
			if (strcmp(req->feature, "baseinfo") && json_array_size(list))
				goto bad_cmd;
			want.param[0] = 0;
			json_array_foreach(list, i, item) {
				for (k = 0; k < 7 && (!json_is_string(item) ||
						      strcmp(json_string_value(item), baseinfo_subs[k])); k++)
					;
				if (k == 7)
					goto bad_cmd;
				if (strlen(want.param) + 8 < sizeof(want.param)) {
					if (want.param[0])
						strcat(want.param, " ");
					strcat(want.param, baseinfo_subs[k]);
				}
			}
		} else if (strcmp(key, "snoopers")) {
			reply_error(req, 400, "unknown member '%s' (cmd, snoopers, params, state)", key, "");
			json_decref(root);
			return;
		}
	}
	json_decref(root);
	if (!p) {
		if (a->cfg.nprobes == RS_CFG_MAX_PROBES) {
			reply_error(req, 507, "too many probes%s%s", "", "");
			return;
		}
		p = &a->cfg.probes[a->cfg.nprobes++];
	}
	if (a->collect.running && !strcmp(want.name, "baseinfo") && strcmp(p->param, want.param))
		rs_collect_loop_stop(&a->collect);	/* new sub-collector list */
	*p = want;
	start_sources(a);
	rs_info("rest: probe %s is %s", want.name, want.on ? "running" : "stopped");
	reply(req, 200, probe_json(a, req->feature));
	return;
bad_state:
	json_decref(root);
	reply_error(req, 400, "state: expected \"running\" or \"stopped\"%s%s", "", "");
	return;
bad_params:
	json_decref(root);
	reply_error(req, 400, "params: expected an object%s%s", "", "");
	return;
bad_cmd:
	json_decref(root);
	reply_error(req, 400, "cmd.probe: %s sub-items are %s", req->feature,
		    strcmp(req->feature, "baseinfo") ? "none" : "cpu, mem, disk, fs, nic, net, host");
}

/* ---- the tick --------------------------------------------------------------- */

static void collect_tables(struct rs_agent *a, int final)
{
	uint64_t deadline, now = rs_mono_ns();
	unsigned int i, pending;

	if (!final) {
		for (i = 0; i < a->nworkers; i++)
			rs_worker_ask(&a->workers[i]);
		if (a->collect.running)
			rs_collect_loop_ask(&a->collect);
		/* workers answer within a pass; the collector may read slow files */
		deadline = now + (a->collect.running ? 2000000000ULL : 200000000ULL);
		do {
			pending = 0;
			for (i = 0; i < a->nworkers; i++)
				pending += !__atomic_load_n(&a->workers[i].mailbox.full,
							    __ATOMIC_ACQUIRE) &&
					   a->workers[i].running == 1;
			if (a->collect.running && !__atomic_load_n(&a->collect.mailbox.full,
								   __ATOMIC_ACQUIRE))
				pending++;
			if (pending)
				usleep(500);
		} while (pending && rs_mono_ns() < deadline);
		a->late_handoffs += pending;
	}
	now = rs_mono_ns();
	for (i = 0; i < a->nworkers; i++) {
		struct rs_worker *w = &a->workers[i];
		struct rs_acc_set *s = rs_mailbox_take(&w->mailbox);

		if (s) {
			w->key_dropped += rs_acc_set_merge(s, &a->decoders, a->store, now);
			rs_mailbox_return(&w->mailbox, s);
		}
		if (final && w->active)	/* the thread has ended: its tables are ours */
			w->key_dropped += rs_acc_set_merge(w->active, &a->decoders, a->store, now);
	}
	if (a->collect.running) {
		struct rs_store *s = rs_mailbox_take(&a->collect.mailbox);

		if (s) {
			a->collect_stats = a->collect.stats;	/* ordered by the handoff */
			rs_store_merge(a->store, s, now);
			rs_mailbox_return(&a->collect.mailbox, s);
		}
	}
}

/* Records the workers could not decode: one warning per worker and tick. */
static void warn_rejected(struct rs_agent *a)
{
	struct rs_worker_stats ws;
	unsigned int i;

	for (i = 0; i < a->nworkers; i++) {
		struct rs_worker *w = &a->workers[i];
		uint32_t last = __atomic_load_n(&w->last_bad_type, __ATOMIC_RELAXED);

		rs_worker_read_stats(w, &ws);
		if (ws.unknown_type > w->reported.unknown_type)
			rs_warn("worker %u (cpus %s): %llu records of a type no decoder handles "
				"(last: type 0x%02x); skipped", i, w->cpus_text,
				(unsigned long long)(ws.unknown_type - w->reported.unknown_type),
				last & 0xff);
		if (ws.bad_version > w->reported.bad_version)
			rs_warn("worker %u (cpus %s): %llu records of an unexpected payload version "
				"(last: type 0x%02x version %u); skipped", i, w->cpus_text,
				(unsigned long long)(ws.bad_version - w->reported.bad_version),
				last & 0xff, last >> 8);
		w->reported = ws;
	}
}

void rs_agent_tick(struct rs_agent *a, int final)
{
	uint64_t t0 = rs_mono_ns(), now_ms = rs_wall_ms();
	struct rs_snapshot *snap;
	struct rs_buf b;
	char *status, *text;
	size_t status_len, text_len;

	collect_tables(a, final);
	warn_rejected(a);
	rs_store_expire(a->store, rs_mono_ns());
	if (a->event_log_on)
		rs_events_check(&a->events, &a->cfg, a->store, a->machine_id, now_ms,
				write_line, &a->event_log);
	if (a->metric_log_on)
		rs_json_metrics(a->store, a->machine_id, now_ms, write_line, &a->metric_log);
	if (a->meta_log_on && (a->last_meta_ms == 0 || now_ms - a->last_meta_ms >= META_RESEND_MS)) {
		rs_json_metadata(&a->meta, now_ms, write_line, &a->meta_log);
		a->last_meta_ms = now_ms;
	}
	a->ticks++;
	rs_buf_init(&b);
	rs_prom_render_store(&b, a->store, a->machine_id);
	rs_agent_self_metrics(a, &b);
	if (b.oom)
		rs_error("tick: out of memory rendering metrics; snapshot truncated");
	text = rs_buf_take(&b, &text_len);
	status = rs_agent_status_json(a, &status_len);
	snap = rs_snapshot_new(a->ticks, text, text_len, status, status_len);
	if (snap)
		rs_snapshot_publish(snap);
	a->tick_ns = rs_mono_ns() - t0;
}

/* ---- reload and stop ---------------------------------------------------------- */

static int same(const char *x, const char *y)
{
	return !strcmp(x, y);
}

void rs_agent_reload(struct rs_agent *a, const struct rs_config *n)
{
	struct rs_config old = a->cfg;
	unsigned int i, j;

	a->cfg = *n;
	a->reloads++;
	rs_log_set_level(n->log_level);
	a->store->cap = (size_t)n->max_records;
	a->store->timeout_ns = (uint64_t)n->record_timeout * 1000000000ULL;
	if (!same(old.metric_prefix, n->metric_prefix) || old.naming != n->naming) {
		struct rs_meta_limits lim = { 0, 0, n->metric_prefix, n->naming };

		for (i = 0; i < a->meta.ntables; i++) {
			struct rs_meta_table *t = &a->meta.tables[i];

			for (j = 0; t->entity && j < t->nfields; j++)
				if (t->fields[j].type >= RS_FIELD_GAUGE)
					rs_prom_metric_name(lim.prefix, t->entity->name, &t->fields[j],
							    lim.naming,
							    t->entity->metrics[t->fields[j].slot].prom_name,
							    sizeof(t->entity->metrics[0].prom_name),
							    &t->entity->metrics[t->fields[j].slot].prom_scale);
		}
		for (i = 0; i < a->meta.nentities; i++) {
			struct rs_entity_def *e = &a->meta.entities[i];

			for (j = 0; j < e->nkeys; j++)
				rs_prom_label_name(e->keys[j].name, n->naming, e->keys[j].prom_name,
						   sizeof(e->keys[j].prom_name));
			for (j = 0; j < e->nlabels; j++)
				rs_prom_label_name(e->labels[j].name, n->naming, e->labels[j].prom_name,
						   sizeof(e->labels[j].prom_name));
		}
	}
	if (!same(old.web_addr, n->web_addr) || old.web_port != n->web_port ||
	    rs_config_channel(old.metric_out, "web_server") !=
	    rs_config_channel(n->metric_out, "web_server")) {
		char err[512];
		struct rs_http *h = NULL;

		if (rs_config_channel(n->metric_out, "web_server") &&
		    !(h = rs_http_start(n->web_addr, n->web_port, err, sizeof(err)))) {
			rs_error("reload: %s; keeping the previous web server", err);
			snprintf(a->cfg.web_addr, sizeof(a->cfg.web_addr), "%s", old.web_addr);
			a->cfg.web_port = old.web_port;
		} else {
			rs_http_stop(a->http);
			a->http = h;
		}
	}
	if (old.rest_on != n->rest_on || !same(old.rest_addr, n->rest_addr) ||
	    old.rest_port != n->rest_port) {
		char err[512];

		rs_control_shutdown(&a->control);	/* waiting requests get 503 */
		rs_rest_stop(a->rest);
		a->rest = NULL;
		pthread_mutex_lock(&a->control.lock);
		a->control.stopping = 0;
		pthread_mutex_unlock(&a->control.lock);
		if (n->rest_on &&
		    !(a->rest = rs_rest_start(n->rest_addr, n->rest_port, &a->control, err, sizeof(err))))
			rs_error("reload: %s; the REST endpoint is off", err);
	}
	if (!same(old.meta_dir, n->meta_dir) || !same(old.proc_root, n->proc_root) ||
	    !same(old.sys_root, n->sys_root) || old.worker_count != n->worker_count ||
	    old.nworkers != n->nworkers || old.ring_order != n->ring_order ||
	    old.batch != n->batch || old.max_tables != n->max_tables ||
	    old.max_metrics != n->max_metrics)
		rs_warn("reload: meta_dir, proc/sys roots, workers and imdb table limits change "
			"at the next restart only");
	open_logs(a);
	a->last_meta_ms = 0;	/* re-send metadata */
	{
		const struct rs_cfg_probe *op = rs_config_probe(&old, "baseinfo");
		const struct rs_cfg_probe *np = rs_config_probe(n, "baseinfo");

		/* a new sub-collector list needs a new collector */
		if (a->collect.running && op && np && strcmp(op->param, np->param))
			rs_collect_loop_stop(&a->collect);
	}
	start_sources(a);
	rs_info("reload: configuration %s applied (counters kept)", n->source);
}

void rs_agent_stop(struct rs_agent *a)
{
	unsigned int i;

	if (a->selftest.running)
		rs_selftest_stop(&a->selftest);
	rs_debug("stop: selftest stopped");
	for (i = 0; i < a->nworkers; i++)
		rs_worker_stop(&a->workers[i]);	/* each drains its rings first */
	rs_debug("stop: workers drained and stopped");
	if (a->store)				/* NULL: start failed before it */
		rs_agent_tick(a, 1);		/* last snapshot, last logs */
	rs_debug("stop: last snapshot published");
	if (a->collect.running)
		rs_collect_loop_stop(&a->collect);
	rs_debug("stop: collector stopped");
	rs_http_stop(a->http);
	if (a->rest)
		rs_control_shutdown(&a->control);
	rs_rest_stop(a->rest);
	a->rest = NULL;
	rs_debug("stop: web server stopped");
	a->http = NULL;
	rs_snapshot_publish(NULL);
	for (i = 0; i < a->nworkers; i++) {
		struct rs_worker *w = &a->workers[i];

		rs_acc_set_free(w->active);
		rs_acc_set_free(rs_mailbox_take(&w->mailbox));
		rs_acc_set_free(w->mailbox.empty);
		free(w->rings);
		free(w->ring_cpu);
		rs_ring_set_close(&a->sets[i]);
	}
	free(a->workers);
	free(a->sets);
	free(a->selftest.sets);
	rs_jsonlog_close(&a->meta_log);
	rs_jsonlog_close(&a->event_log);
	rs_jsonlog_close(&a->metric_log);
	rs_events_free(&a->events);
	rs_store_free(a->store);
	rs_meta_free(&a->meta);
	memset(a, 0, sizeof(*a));
}
