/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ring.pml - Promela model of the ring protocol of include/ringscope/ring.h,
 * checked exhaustively with spin: every interleaving of PRODUCERS producers
 * (nested producers on one CPU are a subset of these interleavings, and so
 * are producers on different CPUs) and the one consumer, on a ring of N
 * slots with the lap tag taken modulo TAG_MOD.
 *
 * Checked in every state reached:
 *  - the consumer accepts a slot only when it is completely written (the
 *    payload is written as two halves; both must be the value written for
 *    that position) and never accepts a position twice or out of order;
 *  - a producer never writes a slot the consumer has not released;
 * and at the end (every producer done, consumer drained):
 *  - every written record was consumed exactly once;
 *  - produced == consumed + dropped, written == head.
 *
 * Mutants (-DBUG_...) break the protocol on purpose; the test expects spin
 * to find an error in each, which shows the checks have teeth:
 *   BUG_PUBLISH_FIRST  publish the tag before writing the payload
 *   BUG_FULL_CHECK     off-by-one full check (h - t > N)
 *   BUG_NO_LAP_TAG     a constant tag instead of the lap tag
 *   BUG_NO_CAS         reserve with a plain load/store instead of a CAS
 *
 * Memory model: sequential consistency (each statement is atomic). The real
 * code's orderings (acquire/release, full-barrier CAS and XCHG) are what
 * makes SC reasoning valid on weaker hardware; ThreadSanitizer checks the
 * user-space build against the C11 model (tests/unit/test_ring_stress.c).
 */
#ifndef N
#define N 2			/* slots */
#endif
#ifndef TAG_MOD
#define TAG_MOD 2		/* the code uses 256; 2 is the weakest case */
#endif
#ifndef PRODUCERS
#define PRODUCERS 2
#endif
#ifndef ATTEMPTS
#define ATTEMPTS 3		/* records each producer tries to write */
#endif
#define TRIES 8			/* RS_RING_RESERVE_TRIES */
#define MAXPOS (PRODUCERS * ATTEMPTS + 1)

#ifdef BUG_NO_LAP_TAG
#define LAP_TAG(pos) 1
#else
#define LAP_TAG(pos) ((((pos) / N) + 1) % TAG_MOD)
#endif
#ifdef BUG_FULL_CHECK
#define FULL(h, t) ((h) - (t) > N)
#else
#define FULL(h, t) ((h) - (t) >= N)
#endif

/* shared ring state */
byte head, cached_tail, tail;	/* free-running positions */
byte dropped;
byte slot_tag[N];		/* the publication word's tag */
byte slot_lo[N], slot_hi[N];	/* the payload, written in two halves */

/* ghost state for the checks */
byte written_at[MAXPOS];	/* value written for a position, 0 = none */
bool consumed_value[MAXPOS * 2 + 2];
byte consumed, attempts_done, producers_done;

proctype producer(byte id)
{
	byte k, tries, h, t, pos, value;
	bool got;

	for (k : 1 .. ATTEMPTS) {
		value = id * ATTEMPTS + k;	/* unique, never 0 */
		got = false;
		tries = 0;
		do
		:: tries < TRIES ->
			t = cached_tail;
			h = head;
			if
			:: FULL(h, t) ->
				t = tail;
				cached_tail = t;
				h = head;
				if
				:: FULL(h, t) -> break	/* full */
				:: else
				fi
			:: else
			fi;
#ifdef BUG_NO_CAS
			head = h + 1;
			got = true;
#else
			atomic {	/* compare-and-swap on head */
				if
				:: head == h -> head = h + 1; got = true
				:: else
				fi
			}
#endif
			if
			:: got -> break
			:: else -> tries++
			fi
		:: else -> break			/* contended */
		od;
		if
		:: got ->
			pos = h;
			/* the slot must have been released by the consumer */
			assert(pos - tail < N);
			written_at[pos] = value;
#ifdef BUG_PUBLISH_FIRST
			slot_tag[pos % N] = LAP_TAG(pos);
#endif
			slot_lo[pos % N] = value;
			slot_hi[pos % N] = value;
			slot_tag[pos % N] = LAP_TAG(pos)	/* exchange: publish */
		:: else ->
			atomic { dropped++ }
		fi;
		atomic { attempts_done++ }
	}
	atomic { producers_done++ }
}

proctype consumer()
{
	byte pos = 0, lo, hi;

	do
	:: slot_tag[pos % N] == LAP_TAG(pos) ->
		lo = slot_lo[pos % N];
		hi = slot_hi[pos % N];
		assert(written_at[pos] != 0);		/* it was reserved */
		assert(lo == written_at[pos] && hi == written_at[pos]);
		assert(!consumed_value[lo]);		/* exactly once */
		consumed_value[lo] = true;
		consumed++;
		pos++;
		/* release now, or keep batching */
		if
		:: tail = pos
		:: skip
		fi
	:: else ->
		tail = pos;				/* end of batch */
		if
		:: producers_done == PRODUCERS && slot_tag[pos % N] != LAP_TAG(pos) -> break
		:: else
		fi
	od;
	/* the end: everything accounted for */
	assert(head == pos);
	assert(consumed == head);
	assert(consumed + dropped == PRODUCERS * ATTEMPTS);
	byte i;
	for (i : 0 .. head - 1) {
		assert(consumed_value[written_at[i]])
	}
}

init {
	byte i;

	atomic {
		for (i : 1 .. PRODUCERS) {
			run producer(i - 1)
		}
		run consumer()
	}
}
