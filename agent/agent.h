/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * agent.h - ringscoped's core: owns the configuration, the meta, the rings
 * and their drain workers, the collector loop, the cumulative entity store
 * and the outputs; the tick (run by the main thread) merges the workers'
 * and collector's interval tables, expires, checks thresholds and
 * publishes a snapshot.
 */
#ifndef RINGSCOPE_AGENT_AGENT_H
#define RINGSCOPE_AGENT_AGENT_H

#include <stdint.h>

#include "config.h"
#include "decode.h"
#include "events.h"
#include "http.h"
#include "jsonlog.h"
#include "meta.h"
#include "rest.h"
#include "sources.h"
#include "store.h"
#include "worker.h"

#define RS_VERSION "0.1.0"

struct rs_agent {
	struct rs_config cfg;
	struct rs_meta_set meta;
	struct rs_decoder_table decoders;
	struct rs_store *store;			/* cumulative, tick thread only */
	struct rs_ring_set *sets;		/* one memfd ring set per worker */
	struct rs_worker *workers;
	unsigned int nworkers;
	struct rs_collect_loop collect;
	struct rs_collect_stats collect_stats;	/* copy taken with the collector's handoff */
	struct rs_selftest_probe selftest;
	struct rs_http *http;
	struct rs_rest *rest;
	struct rs_control control;		/* REST requests for the main thread */
	struct rs_jsonlog meta_log, event_log, metric_log;
	int meta_log_on, event_log_on, metric_log_on;
	struct rs_events events;
	char machine_id[128];
	uint64_t start_ns;
	uint64_t ticks;
	uint64_t tick_ns;			/* duration of the last tick */
	uint64_t late_handoffs;			/* sources that missed a tick */
	uint64_t last_meta_ms;
	uint64_t reloads, reload_failures;
};

/* Start everything; on failure err names the part and the reason. */
int rs_agent_start(struct rs_agent *a, const struct rs_config *cfg,
		   char *err, size_t errlen);
/* One report interval's work. final: drain everything first (shutdown). */
void rs_agent_tick(struct rs_agent *a, int final);
/* Apply a new configuration; what needs a restart is logged. */
void rs_agent_reload(struct rs_agent *a, const struct rs_config *cfg);
/* Stop sources, drain the rings, publish and write a last snapshot. */
void rs_agent_stop(struct rs_agent *a);

/* Execute a REST control request (main thread; rs_control_fn). */
void rs_agent_control(void *agent, struct rs_control *req);

/* Render the self metrics and the status JSON (selfmetrics.c). */
struct rs_buf;
void rs_agent_self_metrics(struct rs_agent *a, struct rs_buf *b);
char *rs_agent_status_json(struct rs_agent *a, size_t *len);

/* Load and resolve the meta folder for cfg (errors logged through log). */
void rs_agent_load_meta(struct rs_meta_set *meta, const struct rs_config *cfg);

/* docs/metrics.md from the meta (docs.c). */
void rs_metrics_doc(const struct rs_meta_set *meta, const struct rs_config *cfg,
		    struct rs_buf *b);

uint64_t rs_mono_ns(void);
uint64_t rs_wall_ms(void);

#endif /* RINGSCOPE_AGENT_AGENT_H */
