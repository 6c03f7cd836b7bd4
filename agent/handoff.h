/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * handoff.h - lock-free exchange of a producer thread's interval tables with
 * the tick thread, by pointer swap. Two tables circulate: the producer
 * fills `active`; on request it swaps it for the one in `empty` and leaves
 * it in `full`; the tick takes `full`, merges and clears it, and puts it
 * back in `empty`. Each table has exactly one owner at any time.
 */
#ifndef RINGSCOPE_AGENT_HANDOFF_H
#define RINGSCOPE_AGENT_HANDOFF_H

struct rs_mailbox {
	void *full;		/* producer -> tick */
	void *empty;		/* tick -> producer */
	int want;		/* tick asks for a handoff */
};

/* Producer: hand *active over if asked (or forced) and possible. 1 if done. */
static inline int rs_mailbox_offer(struct rs_mailbox *mb, void **active, int force)
{
	void *e;

	if (!force && !__atomic_load_n(&mb->want, __ATOMIC_ACQUIRE))
		return 0;
	if (__atomic_load_n(&mb->full, __ATOMIC_ACQUIRE))
		return 0;
	e = __atomic_exchange_n(&mb->empty, NULL, __ATOMIC_ACQ_REL);
	if (!e)
		return 0;
	__atomic_store_n(&mb->want, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&mb->full, *active, __ATOMIC_RELEASE);
	*active = e;
	return 1;
}

static inline void rs_mailbox_ask(struct rs_mailbox *mb)
{
	__atomic_store_n(&mb->want, 1, __ATOMIC_RELEASE);
}

/* Tick: the handed-over table or NULL. */
static inline void *rs_mailbox_take(struct rs_mailbox *mb)
{
	return __atomic_exchange_n(&mb->full, NULL, __ATOMIC_ACQ_REL);
}

/* Tick: give a cleared table back. */
static inline void rs_mailbox_return(struct rs_mailbox *mb, void *table)
{
	__atomic_store_n(&mb->empty, table, __ATOMIC_RELEASE);
}

#endif /* RINGSCOPE_AGENT_HANDOFF_H */
