/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * config.h - ringscoped's configuration: a libconfig file in gala-gopher's
 * sections (global, imdb, workers, probes, metric/event/meta, web_server,
 * rest_server, kafka, logs, thresholds), validated against a schema, with an
 * embedded default so the agent runs without a file.
 */
#ifndef RINGSCOPE_AGENT_CONFIG_H
#define RINGSCOPE_AGENT_CONFIG_H

#include <limits.h>
#include <stddef.h>

#define RS_CFG_MAX_WORKERS	64
#define RS_CFG_MAX_PROBES	32
#define RS_CFG_MAX_THRESHOLDS	64
#define RS_CFG_STR		256

enum rs_log_level { RS_LOG_DEBUG, RS_LOG_INFO, RS_LOG_WARN, RS_LOG_ERROR };

struct rs_cfg_worker {
	int node;			/* NUMA node its memory comes from */
	char cpus[RS_CFG_STR];		/* cpu list, "0-3,8" */
};

struct rs_cfg_probe {
	char name[64];
	int on;
	int rate;			/* selftest: records/s per ring */
	char param[RS_CFG_STR];
};

enum rs_cmp_op { RS_OP_GT, RS_OP_GE, RS_OP_LT, RS_OP_LE, RS_OP_EQ, RS_OP_NE };

struct rs_cfg_threshold {
	char entity[64];
	char metric[64];
	int op;				/* enum rs_cmp_op */
	double value;
	char severity[8];		/* INFO | WARN | ERROR | FATAL */
	int severity_number;		/* 9 | 13 | 17 | 21 */
};

struct rs_config {
	char source[PATH_MAX];		/* file name, or "<embedded default>" */
	/* global */
	int log_level;
	char log_file[PATH_MAX];
	char metric_prefix[64];
	char machine_id[128];
	char meta_dir[PATH_MAX];
	char proc_root[PATH_MAX];
	char sys_root[PATH_MAX];
	int report_interval;		/* seconds */
	int naming;			/* enum rs_naming (meta.h): metric_names */
	/* imdb */
	int max_tables;
	int max_records;		/* live entities per entity type */
	int max_metrics;
	int record_timeout;		/* seconds */
	/* workers */
	int worker_count;		/* 0: one per NUMA node */
	struct rs_cfg_worker workers[RS_CFG_MAX_WORKERS];
	int nworkers;			/* entries in workers[] (explicit nodes) */
	int ring_order;
	int batch;
	int timeout_min_us;
	int timeout_max_us;
	/* probes */
	struct rs_cfg_probe probes[RS_CFG_MAX_PROBES];
	int nprobes;
	/* channels */
	char metric_out[64], metric_topic[128];
	char event_out[64], event_topic[128];
	char meta_out[64], meta_topic[128];
	int event_timeout;
	/* web_server, rest_server */
	char web_addr[64];
	int web_port;
	int rest_on;			/* global.rest_api_on */
	char rest_addr[64];
	int rest_port;
	/* kafka (parsed and validated; the Kafka exporter is not built yet) */
	char kafka_broker[RS_CFG_STR];
	int kafka_batch_num_messages;
	char kafka_compression[32];
	int kafka_queue_max_messages;
	int kafka_queue_max_kbytes;
	int kafka_queue_max_ms;
	/* logs */
	char log_metric_dir[PATH_MAX];
	char log_event_dir[PATH_MAX];
	char log_meta_dir[PATH_MAX];
	int log_file_size_mb;
	int log_file_count;
	/* thresholds */
	struct rs_cfg_threshold thresholds[RS_CFG_MAX_THRESHOLDS];
	int nthresholds;
};

/* The embedded default configuration text (agent/ringscoped.conf). */
extern const char rs_default_config[];

/*
 * Parse configuration text. name is what errors call it (a file name).
 * Returns 0, or -1 with "NAME:LINE: reason" in err.
 */
int rs_config_parse_text(struct rs_config *cfg, const char *text,
			 const char *name, char *err, size_t errlen);

/* Parse a file (NULL: the embedded default). Same errors. */
int rs_config_load(struct rs_config *cfg, const char *path, char *err,
		   size_t errlen);

/* Probe by name, NULL if not listed. */
const struct rs_cfg_probe *rs_config_probe(const struct rs_config *cfg,
					   const char *name);

/* Does a channel list ("web_server", "logs,kafka") contain channel? */
int rs_config_channel(const char *list, const char *channel);

int rs_log_level_parse(const char *s);
const char *rs_log_level_name(int level);

#endif /* RINGSCOPE_AGENT_CONFIG_H */
