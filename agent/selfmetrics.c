// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * selfmetrics.c - the agent's own metrics (ringscope_*: rings, workers,
 * entities, collector, tick, memory) and the status JSON `ringscope status`
 * reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent.h"
#include "buf.h"
#include "prom.h"

static uint64_t rss_bytes(void)
{
	unsigned long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%llu %llu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

void rs_agent_self_metrics(struct rs_agent *a, struct rs_buf *b)
{
	struct rs_worker_stats ws;
	struct rs_ring_counters rc;
	unsigned int i, r, t;
	static const struct {
		const char *name, *help;
		size_t off;
	} ring_counters[] = {
		{ "ringscope_ring_records_total", "Records consumed from the ring.",
		  offsetof(struct rs_ring_counters, consumed) },
		{ "ringscope_ring_dropped_total", "Records refused by the ring (full or contended).",
		  offsetof(struct rs_ring_counters, dropped) },
		{ "ringscope_ring_doorbells_total", "Doorbells rung by the ring's producers.",
		  offsetof(struct rs_ring_counters, doorbells) },
	};
	static const struct {
		const char *name, *type, *help;
		size_t off;
		double scale;
	} worker_metrics[] = {
		{ "ringscope_worker_records_total", "counter", "Records drained by the worker.",
		  offsetof(struct rs_worker_stats, records), 1 },
		{ "ringscope_worker_drain_batches_total", "counter",
		  "Non-empty ring drains (batches) of the worker.",
		  offsetof(struct rs_worker_stats, batches), 1 },
		{ "ringscope_worker_drain_seconds_total", "counter",
		  "Time the worker spent draining and decoding.",
		  offsetof(struct rs_worker_stats, drain_ns), 1e-9 },
		{ "ringscope_worker_wakeups_total", "counter", "io_uring waits of the worker that returned.",
		  offsetof(struct rs_worker_stats, wakeups), 1 },
		{ "ringscope_worker_doorbell_signals_total", "counter",
		  "Doorbell signals consumed by the worker.",
		  offsetof(struct rs_worker_stats, doorbells), 1 },
	};

	for (i = 0; i < sizeof(ring_counters) / sizeof(ring_counters[0]); i++) {
		rs_prom_family(b, ring_counters[i].name, "counter", ring_counters[i].help);
		for (t = 0; t < a->nworkers; t++)
			for (r = 0; r < a->workers[t].nrings; r++) {
				rs_ring_read_counters(a->workers[t].rings[r], &rc);
				rs_buf_printf(b, "%s{cpu=\"%u\",worker=\"%u\"} %llu\n", ring_counters[i].name,
					      a->workers[t].ring_cpu[r], t,
					      (unsigned long long)*(uint64_t *)((char *)&rc +
										 ring_counters[i].off));
			}
	}
	rs_prom_family(b, "ringscope_ring_pending_records", "gauge",
		       "Records written to the ring and not consumed yet.");
	for (t = 0; t < a->nworkers; t++)
		for (r = 0; r < a->workers[t].nrings; r++) {
			rs_ring_read_counters(a->workers[t].rings[r], &rc);
			rs_buf_printf(b, "ringscope_ring_pending_records{cpu=\"%u\",worker=\"%u\"} %llu\n",
				      a->workers[t].ring_cpu[r], t, (unsigned long long)rc.pending);
		}
	for (i = 0; i < sizeof(worker_metrics) / sizeof(worker_metrics[0]); i++) {
		rs_prom_family(b, worker_metrics[i].name, worker_metrics[i].type, worker_metrics[i].help);
		for (t = 0; t < a->nworkers; t++) {
			rs_worker_read_stats(&a->workers[t], &ws);
			rs_buf_printf(b, "%s{worker=\"%u\",node=\"%d\"} ", worker_metrics[i].name, t,
				      a->workers[t].node);
			rs_buf_value(b, (double)*(uint64_t *)((char *)&ws + worker_metrics[i].off) *
				     worker_metrics[i].scale);
			rs_buf_add(b, "\n", 1);
		}
	}
	rs_prom_family(b, "ringscope_worker_records_rejected_total", "counter",
		       "Records the worker could not decode, by reason.");
	for (t = 0; t < a->nworkers; t++) {
		rs_worker_read_stats(&a->workers[t], &ws);
		rs_buf_printf(b, "ringscope_worker_records_rejected_total{worker=\"%u\",reason=\"unknown_type\"} %llu\n",
			      t, (unsigned long long)ws.unknown_type);
		rs_buf_printf(b, "ringscope_worker_records_rejected_total{worker=\"%u\",reason=\"bad_version\"} %llu\n",
			      t, (unsigned long long)ws.bad_version);
		rs_buf_printf(b, "ringscope_worker_records_rejected_total{worker=\"%u\",reason=\"key_limit\"} %llu\n",
			      t, (unsigned long long)a->workers[t].key_dropped);
	}
	rs_prom_family(b, "ringscope_entities", "gauge", "Live entities per entity type.");
	for (t = 0; t < a->store->ntables; t++)
		if (!a->store->tables[t].def->disabled)
			rs_buf_printf(b, "ringscope_entities{entity=\"%s\"} %zu\n",
				      a->store->tables[t].def->name, a->store->tables[t].count);
	rs_prom_family(b, "ringscope_entities_evicted_total", "counter",
		       "Entities removed: idle past record_timeout (expired) or over max_records_num (cap).");
	for (t = 0; t < a->store->ntables; t++) {
		const struct rs_etable *et = &a->store->tables[t];

		if (et->def->disabled)
			continue;
		rs_buf_printf(b, "ringscope_entities_evicted_total{entity=\"%s\",reason=\"expired\"} %llu\n",
			      et->def->name, (unsigned long long)et->evicted_expired);
		rs_buf_printf(b, "ringscope_entities_evicted_total{entity=\"%s\",reason=\"cap\"} %llu\n",
			      et->def->name, (unsigned long long)et->evicted_cap);
	}
	rs_prom_family(b, "ringscope_meta_entities", "gauge",
		       "Entity definitions loaded from .meta files, by state.");
	for (i = 0, r = 0; i < a->meta.nentities; i++)
		r += a->meta.entities[i].disabled != 0;
	rs_buf_printf(b, "ringscope_meta_entities{state=\"enabled\"} %u\n", a->meta.nentities - r);
	rs_buf_printf(b, "ringscope_meta_entities{state=\"disabled\"} %u\n", r);
	rs_prom_family(b, "ringscope_meta_errors", "gauge", "Errors found in the .meta files.");
	rs_buf_printf(b, "ringscope_meta_errors %u\n", a->meta.nerrors);
	rs_prom_family(b, "ringscope_collector_rows_total", "counter",
		       "Rows produced by the host collectors.");
	rs_buf_printf(b, "ringscope_collector_rows_total %llu\n",
		      (unsigned long long)__atomic_load_n(&a->collect.rows, __ATOMIC_RELAXED));
	rs_prom_family(b, "ringscope_collector_rows_rejected_total", "counter",
		       "Collector rows rejected by the ingestion checks.");
	rs_buf_printf(b, "ringscope_collector_rows_rejected_total %llu\n",
		      (unsigned long long)__atomic_load_n(&a->collect.rejected, __ATOMIC_RELAXED));
	rs_prom_family(b, "ringscope_collector_duration_seconds", "gauge",
		       "Wall time of the last host collection.");
	rs_buf_printf(b, "ringscope_collector_duration_seconds ");
	rs_buf_value(b, (double)__atomic_load_n(&a->collect.last_cost_ns, __ATOMIC_RELAXED) * 1e-9);
	rs_buf_add(b, "\n", 1);
	{
		const struct rs_collect_stats *cs = &a->collect_stats;
		static const struct {
			const char *name, *help;
			size_t off;
		} per_source[] = {
			{ "ringscope_collector_parse_errors_total",
			  "Malformed lines the host collectors skipped, by source.",
			  offsetof(struct rs_collect_stats, parse_errors) },
			{ "ringscope_collector_read_errors_total",
			  "Files the host collectors could not read, by source.",
			  offsetof(struct rs_collect_stats, read_errors) },
		};
		unsigned int s;

		for (i = 0; i < 2; i++) {
			const uint64_t *v = (const uint64_t *)((const char *)cs + per_source[i].off);

			rs_prom_family(b, per_source[i].name, "counter", per_source[i].help);
			for (s = 0; s < RS_SRC_COUNT; s++)
				rs_buf_printf(b, "%s{source=\"%s\"} %llu\n", per_source[i].name,
					      rs_collect_source_name((enum rs_collect_source)s),
					      (unsigned long long)v[s]);
		}
		rs_prom_family(b, "ringscope_collector_entities_dropped_total", "counter",
			       "Host entities the collectors did not track: over their caps, by kind.");
		rs_buf_printf(b, "ringscope_collector_entities_dropped_total{kind=\"cpu\"} %llu\n"
			      "ringscope_collector_entities_dropped_total{kind=\"disk\"} %llu\n"
			      "ringscope_collector_entities_dropped_total{kind=\"nic\"} %llu\n"
			      "ringscope_collector_entities_dropped_total{kind=\"mount\"} %llu\n",
			      (unsigned long long)cs->dropped_cpus, (unsigned long long)cs->dropped_disks,
			      (unsigned long long)cs->dropped_nics, (unsigned long long)cs->dropped_mounts);
		rs_prom_family(b, "ringscope_collector_rate_rebaselines_total", "counter",
			       "Kernel counters seen going backwards (rates rebaselined).");
		rs_buf_printf(b, "ringscope_collector_rate_rebaselines_total %llu\n",
			      (unsigned long long)cs->counter_resets);
		rs_prom_family(b, "ringscope_collector_io_uring", "gauge",
			       "1 when the host collectors read in io_uring batches, 0 on the read() fallback.");
		rs_buf_printf(b, "ringscope_collector_io_uring %d\n", cs->io_uring ? 1 : 0);
	}
	rs_prom_family(b, "ringscope_selftest_emitted_total", "counter",
		       "SELFTEST records written into the rings by the selftest probe.");
	rs_buf_printf(b, "ringscope_selftest_emitted_total %llu\n",
		      (unsigned long long)__atomic_load_n(&a->selftest.emitted, __ATOMIC_RELAXED));
	rs_prom_family(b, "ringscope_events_total", "counter", "Threshold events written, by kind.");
	rs_buf_printf(b, "ringscope_events_total{kind=\"fired\"} %llu\n",
		      (unsigned long long)a->events.fired);
	rs_buf_printf(b, "ringscope_events_total{kind=\"repeated\"} %llu\n",
		      (unsigned long long)a->events.repeated);
	rs_buf_printf(b, "ringscope_events_total{kind=\"recovered\"} %llu\n",
		      (unsigned long long)a->events.recovered);
	rs_buf_printf(b, "ringscope_events_total{kind=\"suppressed\"} %llu\n",
		      (unsigned long long)a->events.suppressed);
	rs_prom_family(b, "ringscope_late_handoffs_total", "counter",
		       "Ticks at which a worker or the collector had not handed its tables over in time.");
	rs_buf_printf(b, "ringscope_late_handoffs_total %llu\n", (unsigned long long)a->late_handoffs);
	rs_prom_family(b, "ringscope_tick_duration_seconds", "gauge", "Duration of the last tick.");
	rs_buf_printf(b, "ringscope_tick_duration_seconds ");
	rs_buf_value(b, (double)a->tick_ns * 1e-9);
	rs_buf_add(b, "\n", 1);
	rs_prom_family(b, "ringscope_ticks_total", "counter", "Report intervals completed.");
	rs_buf_printf(b, "ringscope_ticks_total %llu\n", (unsigned long long)a->ticks);
	rs_prom_family(b, "ringscope_http_requests_total", "counter", "HTTP requests served.");
	rs_buf_printf(b, "ringscope_http_requests_total %llu\n",
		      (unsigned long long)rs_http_requests(a->http));
	rs_prom_family(b, "ringscope_reloads_total", "counter", "Configuration reloads (SIGHUP).");
	rs_buf_printf(b, "ringscope_reloads_total{result=\"applied\"} %llu\n",
		      (unsigned long long)a->reloads);
	rs_buf_printf(b, "ringscope_reloads_total{result=\"rejected\"} %llu\n",
		      (unsigned long long)a->reload_failures);
	rs_prom_family(b, "ringscope_resident_memory_bytes", "gauge", "Resident memory of the agent.");
	rs_buf_printf(b, "ringscope_resident_memory_bytes %llu\n", (unsigned long long)rss_bytes());
	rs_prom_family(b, "ringscope_build_info", "gauge", "Version of the agent (value 1).");
	rs_buf_printf(b, "ringscope_build_info{version=\"%s\"} 1\n", RS_VERSION);
}

static void log_status(json_t *outputs, const char *name, int on, const struct rs_jsonlog *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "on", json_boolean(on));
	if (on) {
		json_object_set_new(o, "path", json_string(l->path));
		json_object_set_new(o, "lines", json_integer((json_int_t)l->lines));
		json_object_set_new(o, "rotations", json_integer((json_int_t)l->rotations));
		json_object_set_new(o, "errors", json_integer((json_int_t)l->errors));
	}
	json_object_set_new(outputs, name, o);
}

char *rs_agent_status_json(struct rs_agent *a, size_t *len)
{
	json_t *root = json_object(), *rings = json_array(), *workers = json_array();
	json_t *entities = json_array(), *outputs = json_object(), *errors = json_array();
	struct rs_worker_stats ws;
	struct rs_ring_counters rc;
	unsigned int t, r;
	char *text, web[128];

	for (t = 0; t < a->nworkers; t++) {
		struct rs_worker *w = &a->workers[t];

		rs_worker_read_stats(w, &ws);
		json_array_append_new(workers, json_pack("{s:i,s:i,s:s,s:I,s:I,s:f,s:I,s:I,s:I}",
			"id", (int)t, "node", w->node, "cpus", w->cpus_text,
			"records", (json_int_t)ws.records, "batches", (json_int_t)ws.batches,
			"drain_seconds", (double)ws.drain_ns * 1e-9,
			"unknown_type", (json_int_t)ws.unknown_type,
			"bad_version", (json_int_t)ws.bad_version,
			"key_limit", (json_int_t)w->key_dropped));
		for (r = 0; r < w->nrings; r++) {
			rs_ring_read_counters(w->rings[r], &rc);
			json_array_append_new(rings, json_pack("{s:i,s:i,s:I,s:I,s:I,s:I,s:I}",
				"cpu", (int)w->ring_cpu[r], "worker", (int)t,
				"produced", (json_int_t)rc.produced, "records", (json_int_t)rc.consumed,
				"dropped", (json_int_t)rc.dropped, "doorbells", (json_int_t)rc.doorbells,
				"pending", (json_int_t)rc.pending));
		}
	}
	for (t = 0; t < a->store->ntables; t++) {
		const struct rs_etable *et = &a->store->tables[t];

		json_array_append_new(entities, json_pack("{s:s,s:b,s:I,s:I,s:I,s:I,s:s}",
			"name", et->def->name, "enabled", !et->def->disabled,
			"live", (json_int_t)et->count, "created", (json_int_t)et->created,
			"evicted_expired", (json_int_t)et->evicted_expired,
			"evicted_cap", (json_int_t)et->evicted_cap, "error", et->def->error));
	}
	for (t = 0; t < a->meta.nerrors; t++)
		json_array_append_new(errors, json_string(a->meta.errors[t]));
	snprintf(web, sizeof(web), "http://%s:%d/metrics", a->cfg.web_addr, a->cfg.web_port);
	json_object_set_new(outputs, "web_server", a->http ? json_string(web) : json_null());
	log_status(outputs, "metadata_log", a->meta_log_on, &a->meta_log);
	log_status(outputs, "event_log", a->event_log_on, &a->event_log);
	log_status(outputs, "metric_log", a->metric_log_on, &a->metric_log);
	json_object_set_new(outputs, "kafka", json_string("not built"));
	json_object_set_new(root, "version", json_string(RS_VERSION));
	json_object_set_new(root, "machine_id", json_string(a->machine_id));
	json_object_set_new(root, "config", json_string(a->cfg.source));
	json_object_set_new(root, "uptime_seconds",
			    json_real((double)(rs_mono_ns() - a->start_ns) * 1e-9));
	json_object_set_new(root, "report_interval", json_integer(a->cfg.report_interval));
	json_object_set_new(root, "ticks", json_integer((json_int_t)a->ticks));
	json_object_set_new(root, "tick_seconds", json_real((double)a->tick_ns * 1e-9));
	json_object_set_new(root, "rss_bytes", json_integer((json_int_t)rss_bytes()));
	json_object_set_new(root, "collector", json_pack("{s:b,s:b,s:s,s:I,s:I,s:I}",
		"on", a->collect.running != 0, "io_uring", a->collect_stats.io_uring,
		"io_uring_fallback", a->collect_stats.fallback_reason,
		"collections", (json_int_t)__atomic_load_n(&a->collect.collections, __ATOMIC_RELAXED),
		"rows", (json_int_t)__atomic_load_n(&a->collect.rows, __ATOMIC_RELAXED),
		"rejected", (json_int_t)__atomic_load_n(&a->collect.rejected, __ATOMIC_RELAXED)));
	json_object_set_new(root, "workers", workers);
	json_object_set_new(root, "rings", rings);
	json_object_set_new(root, "entities", entities);
	json_object_set_new(root, "outputs", outputs);
	json_object_set_new(root, "meta_errors", errors);
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	*len = text ? strlen(text) : 0;
	return text;
}
