/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * jsonout.h - JSON renderings of the meta and of the store: gala-gopher's
 * metadata message (one per meta table) and the structured metrics line
 * (one per entity), for the JSON-lines logs and later Kafka.
 */
#ifndef RINGSCOPE_AGENT_JSONOUT_H
#define RINGSCOPE_AGENT_JSONOUT_H

#include <stdint.h>

#include "events.h"
#include "meta.h"
#include "store.h"

/* One metadata JSON per enabled meta table, gala-gopher's shape. */
void rs_json_metadata(const struct rs_meta_set *meta, uint64_t now_ms,
		      rs_event_fn emit, void *ctx);

/* One metrics JSON per live entity. */
void rs_json_metrics(const struct rs_store *st, const char *machine_id,
		     uint64_t now_ms, rs_event_fn emit, void *ctx);

#endif /* RINGSCOPE_AGENT_JSONOUT_H */
