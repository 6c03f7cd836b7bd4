/* SPDX-License-Identifier: GPL-2.0 */
/* ringscope.h - internals shared by the source files of ringscope.ko. */
#ifndef RINGSCOPE_KMOD_RINGSCOPE_H
#define RINGSCOPE_KMOD_RINGSCOPE_H

#include <linux/blk_types.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <ringscope/ring.h>
#include <ringscope/kmod_uapi.h>

/*
 * The rings now in use. Replaced (rs_rings_resize) only while no probe is
 * registered and no ring is mapped, so producers read it without a lock.
 */
struct rs_rings {
	struct rs_ring_header **ring;	/* [nrings], ring i for cpu i */
	u32 nrings;
	u32 order;
	u32 watermark;
	size_t ring_bytes;
};

extern struct rs_rings rs_rings;
extern struct wait_queue_head rs_wait;
DECLARE_PER_CPU(struct rs_kmod_stats, rs_attempts);
DECLARE_PER_CPU(int, rs_emit_depth);

int rs_rings_init(void);
void rs_rings_exit(void);
int rs_rings_resize(u32 order, u32 watermark);
void rs_rings_read_stats(struct rs_kmod_stats *stats);
bool rs_rings_readable(const unsigned long *mask);
void rs_doorbell_queue(void);

int rs_selftest_run(struct rs_kmod_selftest *st);
void rs_selftest_reset(void);

int rs_probes_init(void);
u32 rs_probes_available(void);
u32 rs_probes_enabled(void);
int rs_probes_enable(u32 groups);
void rs_probes_disable(u32 groups);

/* Tracepoint probes, one per tracepoint (probe_*.c). */
struct task_struct;
struct linux_binprm;
struct request;
struct sock;
struct sk_buff;

void rs_probe_sched_switch(void *data, bool preempt, struct task_struct *prev,
			   struct task_struct *next, unsigned int prev_state);
void rs_probe_sched_wakeup(void *data, struct task_struct *p);
void rs_probe_sched_wakeup_new(void *data, struct task_struct *p);
void rs_probe_sched_process_exec(void *data, struct task_struct *p,
				 pid_t old_pid, struct linux_binprm *bprm);
void rs_probe_sched_process_exit(void *data, struct task_struct *p);
void rs_probe_block_rq_issue(void *data, struct request *rq);
void rs_probe_block_rq_complete(void *data, struct request *rq,
				blk_status_t error, unsigned int nr_bytes);
void rs_probe_block_rq_error(void *data, struct request *rq,
			     blk_status_t error, unsigned int nr_bytes);
void rs_probe_tcp_retransmit_skb(void *data, const struct sock *sk,
				 const struct sk_buff *skb);
void rs_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  const int oldstate, const int newstate);

/* One record being written: rs_emit_begin() ... rs_emit_end(). */
struct rs_emit {
	struct rs_ring_header *ring;
	struct rs_record *slot;
	u64 pos;
	u32 type;
};

/*
 * Reserve a slot on this cpu's ring and stamp time and cpu, as
 * bpf/ring.bpf.h does. Returns the payload to fill completely (slots are
 * reused, so every byte, reserved ones included, must be written), or NULL
 * when the ring is full (drop counted). Tracepoint probes run with
 * preemption disabled, so the cpu cannot change until rs_emit_end().
 */
static __always_inline void *rs_emit_begin(struct rs_emit *e, u32 type)
{
	u64 ts = ktime_get_mono_fast_ns();	/* = bpf_ktime_get_ns() */
	u32 cpu = smp_processor_id();
	u64 nslots = 1ULL << rs_rings.order;

	if (type < RS_KMOD_STATS_TYPES)
		this_cpu_inc(rs_attempts.attempts[type]);
	/* interrupts may nest emits on this cpu: count them, the ring copes */
	if (this_cpu_inc_return(rs_emit_depth) > 1)
		this_cpu_inc(rs_attempts.nested);
	e->type = type;
	e->ring = rs_rings.ring[cpu];
	if (!rs_ring_reserve(e->ring, nslots, &e->pos)) {
		this_cpu_dec(rs_emit_depth);
		return NULL;
	}
	e->slot = rs_ring_slots(e->ring) + (e->pos & (nslots - 1));
	e->slot->hdr.ts_cpu = rs_make_ts_cpu(ts, cpu);
	return &e->slot->payload;
}

/* Publish with current's identity, as bpf_get_current_pid_tgid() gives. */
static __always_inline void rs_emit_end(struct rs_emit *e, u32 version)
{
	u64 ctl = rs_make_ctl(e->type, version, current->tgid, current->pid);

	rs_ring_publish(e->slot, e->pos, rs_rings.order, ctl);
	this_cpu_dec(rs_emit_depth);
	if (rs_ring_doorbell_due(e->ring, rs_rings.watermark))
		rs_doorbell_queue();
}

#endif /* RINGSCOPE_KMOD_RINGSCOPE_H */
