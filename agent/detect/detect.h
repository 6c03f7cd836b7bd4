/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * detect.h - inline anomaly detection, the API the agent's interval tick
 * calls: feed each (entity, metric) value of the merged snapshot once per
 * tick, end the tick, drop entities as they expire; kernel-log lines go to
 * rs_detect_kmsg. Static thresholds and adaptive detectors come from the
 * configuration (config.h); alarms are deduplicated per entity + metric +
 * source and become gala-ops JSON events handed to the sink (the daemon
 * sends them to Kafka and the event log).
 *
 * Threading: one engine is used by one thread (the tick thread).
 * Memory: per series sizeof(struct rs_det) + a small header when the
 * metric has an adaptive detector, a small header otherwise; at most
 * max_series series (more are counted in series_refused).
 */
#ifndef RINGSCOPE_DETECT_DETECT_H
#define RINGSCOPE_DETECT_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "kmsg.h"

struct rs_detect;

/* Receives each event: the structure and its JSON (valid for the call). */
typedef void (*rs_event_sink_fn)(void *ctx, const struct rs_event *ev,
				 const char *json, size_t len);

struct rs_detect_opts {
	const char *metric_prefix;	/* "gala_gopher" */
	const char *machine_id;
	rs_event_sink_fn sink;
	void *sink_ctx;
	rs_warn_fn warn;		/* bad kmsg rules at creation */
	void *warn_ctx;
};

/* What feeding one value decided. */
struct rs_decision {
	int threshold;		/* a static threshold is crossed (for N ticks) */
	int adaptive;		/* the adaptive detector alarms */
	double level;		/* the adaptive detector's level, [0,1] */
	double expected;	/* its baseline (NAN if none) */
};

struct rs_detect_stats {
	size_t series;			/* tracked series */
	size_t entities;
	size_t bytes;			/* memory held for series and entities */
	uint64_t series_refused;	/* max_series reached */
	uint64_t events_open, events_repeat, events_recover;
	uint64_t kmsg_lines, kmsg_bad, kmsg_matches;
	uint64_t sink_failures;		/* JSON could not be built */
};

/* The configuration is copied. NULL on out of memory. */
struct rs_detect *rs_detect_new(const struct rs_detect_config *cfg,
				const struct rs_detect_opts *opts);
void rs_detect_free(struct rs_detect *d);

/* One value of a series at tick time now_ns (wall clock, ns). entity_name
 * is the entity type ("tcp_link"), entity_id its id (keys joined). A
 * metric without a rule costs a lookup and a small header. A second value
 * for the same series in one tick is ignored (out is zeroed). Returns 0,
 * or -1 if the series could not be tracked (cap, memory). */
int rs_detect_feed(struct rs_detect *d, const char *entity_name, const char *entity_id,
		   const char *metric, uint64_t now_ns, double value,
		   struct rs_decision *out);

/* Ends the tick: series not fed this tick count as quiet, alarms that
 * stayed quiet long enough recover, kmsg alarms age. */
void rs_detect_tick_end(struct rs_detect *d, uint64_t now_ns);

/* Forgets an entity and its series (state and any open alarm, without a
 * recovery event). Returns the number of series dropped. */
size_t rs_detect_drop_entity(struct rs_detect *d, const char *entity_name,
			     const char *entity_id);

/* One /dev/kmsg record (raw, as read). Returns the number of rules it
 * matched, or -1 if the record is malformed (counted in kmsg_bad). */
int rs_detect_kmsg(struct rs_detect *d, const char *rec, size_t len, uint64_t now_ns);

void rs_detect_get_stats(const struct rs_detect *d, struct rs_detect_stats *st);

#endif /* RINGSCOPE_DETECT_DETECT_H */
