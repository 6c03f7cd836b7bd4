/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * config.h - the detection configuration, the `detect` group of the agent's
 * libconfig file: static thresholds (per metric, per-entity overrides,
 * "for N intervals"), adaptive detectors per metric, kernel-log rules, and
 * the event settings (recovery, resend period, series cap). Built-in
 * defaults (config_default.c) come first unless `defaults = false`.
 *
 * A rule with a bad field is skipped and reported through the warn
 * callback as "NAME:LINE: reason"; only unparsable text fails the parse.
 */
#ifndef RINGSCOPE_DETECT_CONFIG_H
#define RINGSCOPE_DETECT_CONFIG_H

#include <stddef.h>

#include "detector.h"

#define RS_DCFG_NAME 64
#define RS_DCFG_ID 192
#define RS_DCFG_PATTERN 512

enum rs_cmp { RS_CMP_GT, RS_CMP_GE, RS_CMP_LT, RS_CMP_LE, RS_CMP_EQ, RS_CMP_NE };

struct rs_threshold_rule {
	char entity[RS_DCFG_NAME];	/* entity type: "tcp_link" */
	char metric[RS_DCFG_NAME];
	char entity_id[RS_DCFG_ID];	/* "": every entity; else an override */
	int op;				/* enum rs_cmp */
	double value;
	unsigned int for_ticks;		/* consecutive intervals before it fires */
	int severity;			/* enum rs_severity */
};

struct rs_detector_rule {
	char entity[RS_DCFG_NAME];
	char metric[RS_DCFG_NAME];
	struct rs_det_params params;
	int severity;
};

struct rs_kmsg_rule {
	char name[RS_DCFG_NAME];	/* becomes the event's metric */
	char pattern[RS_DCFG_PATTERN];	/* PCRE for Hyperscan and POSIX ERE:
					 * a group is the entity id */
	char entity[RS_DCFG_NAME];	/* entity type of the group: "block" */
	int group;			/* the group that is the entity id (1) */
	int severity;
};

struct rs_detect_config {
	unsigned int recover_ticks;	/* quiet ticks before a recovery (2) */
	unsigned int resend_s;		/* resend period of a lasting alarm (600) */
	unsigned int max_series;	/* series tracked at most (100000) */
	unsigned int kmsg_quiet_ticks;	/* kmsg alarms recover after (2) */
	struct rs_threshold_rule *thresholds;
	size_t nthresholds;
	struct rs_detector_rule *detectors;
	size_t ndetectors;
	struct rs_kmsg_rule *kmsg_rules;
	size_t nkmsg_rules;
};

typedef void (*rs_warn_fn)(void *ctx, const char *msg);

/* The built-in defaults (text of a `detect` group). */
extern const char rs_detect_default_config[];

/* Parse the `detect` group of text (absent: defaults only). Returns 0, or
 * -1 with "NAME:LINE: reason" in err if the text does not parse. */
int rs_detect_config_parse(struct rs_detect_config *cfg, const char *text,
			   const char *name, rs_warn_fn warn, void *ctx,
			   char *err, size_t errlen);
void rs_detect_config_free(struct rs_detect_config *cfg);

/* Parse one comparison operator (">", ">=", "<", "<=", "==", "!="). */
int rs_cmp_parse(const char *s);
const char *rs_cmp_name(int op);
int rs_cmp_eval(int op, double value, double bound);

#endif /* RINGSCOPE_DETECT_CONFIG_H */
