// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* alarm.c - dedup/recovery state machine of one alarm. */
#include "alarm.h"

enum rs_alarm_action rs_alarm_step(struct rs_alarm *a, int anomalous, double value,
				   uint64_t now_ns, unsigned int recover_ticks,
				   uint64_t resend_ns)
{
	if (recover_ticks < 1)
		recover_ticks = 1;
	if (anomalous) {
		a->value = value;
		a->last_ns = now_ns;
		a->quiet = 0;
		if (!a->active) {
			a->active = 1;
			a->count = 1;
			a->first_ns = a->sent_ns = now_ns;
			return RS_ALARM_OPEN;
		}
		if (a->count < UINT32_MAX)
			a->count++;
		if (resend_ns && now_ns - a->sent_ns >= resend_ns) {
			a->sent_ns = now_ns;
			return RS_ALARM_REPEAT;
		}
		return RS_ALARM_NONE;
	}
	if (!a->active)
		return RS_ALARM_NONE;
	if (a->quiet < UINT16_MAX)
		a->quiet++;
	if (a->quiet < recover_ticks)
		return RS_ALARM_NONE;
	a->active = 0;
	a->sent_ns = now_ns;
	return RS_ALARM_RECOVER;
}

uint64_t rs_alarm_duration_s(const struct rs_alarm *a)
{
	return a->last_ns > a->first_ns ? (a->last_ns - a->first_ns) / 1000000000ull : 0;
}
