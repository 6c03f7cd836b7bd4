// SPDX-License-Identifier: GPL-2.0
/*
 * selftest.c - RS_KMOD_IOC_SELFTEST: emit SELFTEST records from a task and,
 * at the same time, from a pinned hrtimer in hard interrupt context, so the
 * nesting the ring's reservation is built for happens on demand.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ringscope.h"

struct rs_selftest_seq {
	u64 task;
	u64 timer;
};

static DEFINE_PER_CPU(struct rs_selftest_seq, rs_selftest_seq);

struct rs_selftest_timer {
	struct hrtimer timer;
	ktime_t period;
	u64 emitted;
	bool stop;
};

/* Emit one record; the seq is taken even when the ring is full. */
static void rs_selftest_emit(u32 producer, u64 seq)
{
	struct rs_selftest *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_SELFTEST);
	if (!p)
		return;
	rs_selftest_fill(p, seq, producer, smp_processor_id());
	rs_emit_end(&e, RS_REC_SELFTEST_VERSION);
}

static enum hrtimer_restart rs_selftest_tick(struct hrtimer *timer)
{
	struct rs_selftest_timer *t;

	t = container_of(timer, struct rs_selftest_timer, timer);
	rs_selftest_emit(RS_SELFTEST_PERF_EVENT,
			 this_cpu_inc_return(rs_selftest_seq.timer) - 1);
	t->emitted++;
	if (READ_ONCE(t->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, t->period);
	return HRTIMER_RESTART;
}

static u64 rs_nested_now(void)
{
	struct rs_kmod_stats *s;
	u64 nested;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return 0;
	rs_rings_read_stats(s);
	nested = s->nested;
	kfree(s);
	return nested;
}

/* Caller holds the device lock (no ring change meanwhile). */
int rs_selftest_run(struct rs_kmod_selftest *st)
{
	struct rs_selftest_timer t = {};
	u64 start, nested;
	u32 i;

	if (st->reserved || !st->records ||
	    st->records > RS_KMOD_SELFTEST_MAX_RECORDS ||
	    (st->timer_ns && st->timer_ns < RS_KMOD_SELFTEST_MIN_TIMER_NS))
		return -EINVAL;
	nested = rs_nested_now();
	migrate_disable();
	st->cpu = raw_smp_processor_id();
	if (st->timer_ns) {
		t.period = ns_to_ktime(st->timer_ns);
		hrtimer_init(&t.timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED_HARD);
		t.timer.function = rs_selftest_tick;
		hrtimer_start(&t.timer, t.period, HRTIMER_MODE_REL_PINNED_HARD);
	}
	start = ktime_get_ns();
	for (i = 0; i < st->records; i++) {
		/* a probe's context: no preemption, interrupts on */
		preempt_disable();
		rs_selftest_emit(RS_SELFTEST_BENCH,
				 this_cpu_inc_return(rs_selftest_seq.task) - 1);
		preempt_enable();
		if ((i & 1023) == 1023)
			cond_resched();
	}
	st->loop_ns = ktime_get_ns() - start;
	if (st->timer_ns) {
		WRITE_ONCE(t.stop, true);
		hrtimer_cancel(&t.timer);
	}
	migrate_enable();
	st->timer_records = t.emitted;
	st->nested = rs_nested_now() - nested;
	return 0;
}

/* New rings: sequence numbers start again from zero. */
void rs_selftest_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&rs_selftest_seq, cpu), 0,
		       sizeof(struct rs_selftest_seq));
}
