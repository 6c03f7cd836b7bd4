/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * events.h - static threshold events (config `thresholds`), checked at each
 * tick against the entity store, in gala-ops' event JSON: one event when a
 * threshold is crossed, repeated with its occurred count and duration at
 * most every event.timeout seconds while it lasts, and a recovery event
 * when it clears. At most RS_EVENTS_MAX alarms are tracked; more are
 * counted as suppressed.
 */
#ifndef RINGSCOPE_AGENT_EVENTS_H
#define RINGSCOPE_AGENT_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store.h"

#define RS_EVENTS_MAX 1000

struct rs_alarm;

struct rs_events {
	struct rs_alarm *alarms;
	size_t n;
	uint64_t fired, repeated, recovered, suppressed;
};

typedef void (*rs_event_fn)(void *ctx, const char *json, size_t len);

void rs_events_check(struct rs_events *ev, const struct rs_config *cfg,
		     const struct rs_store *st, const char *machine_id,
		     uint64_t now_ms, rs_event_fn emit, void *ctx);
void rs_events_free(struct rs_events *ev);

#endif /* RINGSCOPE_AGENT_EVENTS_H */
