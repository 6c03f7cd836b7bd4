/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * event.h - an anomaly event and its gala-ops JSON (DESIGN.md "Event
 * format"): Timestamp (ns), event_id "<ts>_<entity_id>", Attributes
 * (entity_id "<machine_id>_<entity>_<id>" with '/' as ':', event_id,
 * event_type sys|app, data, duration in seconds, "occurred count"),
 * Resource.metrics "<prefix>_<entity>_<metric>", SeverityText and
 * SeverityNumber (INFO 9, WARN 13, ERROR 17, FATAL 21) and a Body
 * "<time> <SEVERITY> Entity(<id>) <what>".
 */
#ifndef RINGSCOPE_DETECT_EVENT_H
#define RINGSCOPE_DETECT_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum rs_event_kind { RS_EVENT_OPEN, RS_EVENT_REPEAT, RS_EVENT_RECOVER };
enum rs_event_type { RS_EVENT_SYS, RS_EVENT_APP };
enum rs_severity { RS_SEV_INFO = 9, RS_SEV_WARN = 13, RS_SEV_ERROR = 17, RS_SEV_FATAL = 21 };

struct rs_event {
	int kind;		/* enum rs_event_kind */
	int type;		/* enum rs_event_type */
	int severity;		/* enum rs_severity (recoveries are sent as INFO) */
	const char *entity_name;	/* "tcp_link", "block", "proc" ... */
	const char *entity_id;		/* the entity's own id (its keys) */
	const char *metric;		/* short name: "srtt" */
	const char *source;		/* "threshold", "spot", "kmsg:io_error" ... */
	const char *what;	/* optional text for the Body (a kernel log line) */
	double value;		/* the anomalous value */
	double bound;		/* the bound it crossed (NAN: none) */
	const char *op;		/* ">", "<" ... or NULL */
	uint64_t ts_ns;		/* now (wall clock) */
	uint64_t duration_s;
	uint32_t count;		/* occurred count */
};

/* Severity name <-> number; -1 / "?" if unknown. */
int rs_severity_parse(const char *name);
const char *rs_severity_name(int severity);

/* The event as one JSON object (no newline), malloc'ed, NULL on OOM. */
char *rs_event_json(const struct rs_event *ev, const char *prefix,
		    const char *machine_id, size_t *len);

#endif /* RINGSCOPE_DETECT_EVENT_H */
