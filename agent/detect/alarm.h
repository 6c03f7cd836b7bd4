/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * alarm.h - the deduplication and recovery state machine of one alarm
 * (one entity + metric + source): quiet -> open (an event) -> repeats while
 * the anomaly lasts (the occurred count and duration grow; re-sent at most
 * once per resend period) -> recovered after recover_ticks quiet ticks.
 */
#ifndef RINGSCOPE_DETECT_ALARM_H
#define RINGSCOPE_DETECT_ALARM_H

#include <stdint.h>

enum rs_alarm_action {
	RS_ALARM_NONE,		/* nothing to send */
	RS_ALARM_OPEN,		/* a new anomaly: send an event */
	RS_ALARM_REPEAT,	/* still anomalous, resend period passed */
	RS_ALARM_RECOVER,	/* it ended: send a recovery event */
};

struct rs_alarm {
	uint8_t active;
	uint16_t quiet;		/* ticks without the anomaly while active */
	uint32_t count;		/* anomalous ticks (the occurred count) */
	uint64_t first_ns, last_ns, sent_ns;
	double value;		/* the last anomalous value */
};

/* One tick of the machine. recover_ticks >= 1; resend_ns 0: never resend. */
enum rs_alarm_action rs_alarm_step(struct rs_alarm *a, int anomalous, double value,
				   uint64_t now_ns, unsigned int recover_ticks,
				   uint64_t resend_ns);

/* Seconds the alarm has lasted (first anomalous tick to the last one). */
uint64_t rs_alarm_duration_s(const struct rs_alarm *a);

#endif /* RINGSCOPE_DETECT_ALARM_H */
