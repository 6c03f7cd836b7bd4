/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * shm.h - consumer side of the per-CPU record rings (include/ringscope/
 * ring.h): attach to ring memory (a BPF map, a memfd, the kmod's mmap),
 * drain records in batches, read counters, sleep on the doorbell; plus the
 * user-space producer used by tests, benchmarks and replay.
 *
 * Threading: one consumer per ring (a ring is drained by exactly one thread
 * at a time); a ring set may be split across threads ring by ring.
 */
#ifndef RINGSCOPE_SHM_H
#define RINGSCOPE_SHM_H

#include <stddef.h>
#include <stdint.h>
#include <ringscope/ring.h>

struct ring_buffer;

enum rs_ring_source {
	RS_SOURCE_NONE = 0,
	RS_SOURCE_BPF,		/* BPF_F_MMAPABLE array map */
	RS_SOURCE_MEMFD,	/* memfd, produced from user space */
	RS_SOURCE_KMOD,		/* /dev/ringscope */
};

/* Consumer view of one ring. */
struct rs_ring {
	struct rs_ring_header *hdr;
	struct rs_record *slots;
	uint64_t mask;		/* slots - 1 */
	uint32_t order;
	uint32_t index;		/* position in its set (= cpu for per-CPU sets) */
	uint64_t pos;		/* next position to consume (private tail) */
};

/* Doorbell: a file descriptor that turns readable when a producer rings. */
enum rs_doorbell_kind {
	RS_DOORBELL_NONE = 0,
	RS_DOORBELL_EVENTFD,	/* memfd rings: eventfd written by producers */
	RS_DOORBELL_BPF_RINGBUF,/* BPF rings: the rs_doorbell ringbuf map */
	RS_DOORBELL_POLL,	/* kmod: poll() on the device */
};

struct rs_doorbell {
	enum rs_doorbell_kind kind;
	int fd;			/* poll for POLLIN (epoll or io_uring) */
	struct ring_buffer *ringbuf;	/* BPF: libbpf consumer of rs_doorbell */
	uint64_t rung;		/* doorbell signals consumed */
};

struct rs_ring_set {
	enum rs_ring_source source;
	void *base;		/* mapping of all rings */
	size_t map_len;
	size_t stride;		/* bytes from one ring to the next */
	unsigned int nrings;
	struct rs_ring *rings;
	int fd;			/* memfd / map / device fd (owned if own_fd) */
	int own_fd;
	struct rs_doorbell doorbell;
};

/* Counters of one ring, read without stopping producers. */
struct rs_ring_counters {
	uint64_t produced;	/* written + dropped */
	uint64_t written;	/* records that got a slot (head) */
	uint64_t consumed;	/* records drained (tail) */
	uint64_t dropped;	/* refused: full, or lost RESERVE_TRIES races */
	uint64_t contended;	/* part of dropped: lost races */
	uint64_t doorbells;	/* doorbells rung by producers */
	uint64_t pending;	/* written - consumed */
};

/*
 * Errors: functions returning int give 0 or a negative errno and write a
 * message naming the object and the reason into err (if errlen > 0).
 */

/* Check one ring header against the bytes available to it. */
int rs_ring_validate(const struct rs_ring_header *h, size_t bytes,
		     char *err, size_t errlen);

/*
 * Attach to rings already formatted in memory: nrings rings, one every
 * stride bytes from base. The set does not own the memory.
 */
int rs_ring_set_from_memory(struct rs_ring_set *set, void *base,
			    size_t stride, unsigned int nrings,
			    char *err, size_t errlen);

/* Create nrings memfd rings of 2^order slots (user-space producers). */
int rs_ring_set_create_memfd(struct rs_ring_set *set, unsigned int nrings,
			     unsigned int order, unsigned int watermark,
			     char *err, size_t errlen);

/* Attach to an existing memfd ring file (another process, a replay). */
int rs_ring_set_from_memfd(struct rs_ring_set *set, int fd,
			   char *err, size_t errlen);

/*
 * BPF rings: format every ring of a freshly created rs_rings map (order
 * derived from its value size) before programs are attached, then attach.
 * doorbell_fd is the rs_doorbell ringbuf map, or -1.
 */
int rs_bpf_rings_format(int map_fd, unsigned int watermark,
			char *err, size_t errlen);
int rs_ring_set_from_bpf_map(struct rs_ring_set *set, int map_fd,
			     int doorbell_fd, char *err, size_t errlen);

/* Value size and order for a BPF rings map of 2^order slots per CPU. */
size_t rs_bpf_ring_value_size(unsigned int order);

void rs_ring_set_close(struct rs_ring_set *set);

/* Called for each record, valid only during the call. */
typedef void (*rs_record_fn)(void *ctx, const struct rs_ring *ring,
			     const struct rs_record *rec);

/*
 * Drain up to max published records in ring order, calling fn for each;
 * stops at the first unpublished slot. Advances the shared tail once at the
 * end. Returns the number drained.
 */
size_t rs_ring_drain(struct rs_ring *ring, size_t max, rs_record_fn fn,
		     void *ctx);

/*
 * Iterator form of the same: start a cursor with rs_ring_cursor(); peek
 * returns the next published record or NULL; release hands back every
 * record peeked so far in one tail store. A cursor behind the ring's
 * position (already released) is moved up to it.
 */
static inline uint64_t rs_ring_cursor(const struct rs_ring *ring)
{
	return ring->pos;
}
const struct rs_record *rs_ring_peek(struct rs_ring *ring, uint64_t *cursor);
void rs_ring_release(struct rs_ring *ring, uint64_t cursor);

void rs_ring_read_counters(const struct rs_ring *ring,
			   struct rs_ring_counters *c);

/*
 * Arm the doorbell before sleeping. Returns the number of records already
 * waiting; when that is at least the watermark the caller should drain
 * instead of sleeping (rs_ring_disarm() first if it will not sleep).
 */
uint64_t rs_ring_arm(struct rs_ring *ring);
void rs_ring_disarm(struct rs_ring *ring);

/* Consume pending doorbell signals; returns how many. Never blocks. */
int rs_doorbell_clear(struct rs_doorbell *db);

/*
 * User-space producer of the ring protocol (tests, benchmarks, replay).
 * Writes one record with the given payload; returns 1 if written, 0 if
 * dropped. Rings the set's eventfd doorbell when due.
 */
int rs_user_emit(struct rs_ring_set *set, unsigned int ring_index,
		 uint32_t type, uint32_t version, uint32_t tgid, uint32_t pid,
		 uint64_t ts_ns, const void *payload, size_t payload_len);

#endif /* RINGSCOPE_SHM_H */
