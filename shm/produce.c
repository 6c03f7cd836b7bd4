// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * produce.c - a user-space producer of the ring protocol, the same code path
 * (ring.h) that BPF programs and the kernel module run.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "shm.h"

int rs_user_emit(struct rs_ring_set *set, unsigned int ring_index,
		 uint32_t type, uint32_t version, uint32_t tgid, uint32_t pid,
		 uint64_t ts_ns, const void *payload, size_t payload_len)
{
	struct rs_ring *ring = &set->rings[ring_index];
	struct rs_ring_header *h = ring->hdr;
	struct rs_record *slot;
	__u64 pos;

	if (!rs_ring_reserve(h, ring->mask + 1, &pos))
		return 0;
	slot = &ring->slots[pos & ring->mask];
	slot->hdr.ts_cpu = rs_make_ts_cpu(ts_ns, ring_index);
	if (payload_len > RS_RECORD_PAYLOAD_SIZE)
		payload_len = RS_RECORD_PAYLOAD_SIZE;
	memcpy(slot->payload.raw, payload, payload_len);
	if (payload_len < RS_RECORD_PAYLOAD_SIZE)
		memset(slot->payload.raw + payload_len, 0,
		       RS_RECORD_PAYLOAD_SIZE - payload_len);
	rs_ring_publish(slot, pos, ring->order,
			rs_make_ctl(type, version, tgid, pid));
	if (rs_ring_doorbell_due(h, h->geo.watermark) &&
	    set->doorbell.kind == RS_DOORBELL_EVENTFD) {
		uint64_t one = 1;

		if (write(set->doorbell.fd, &one, sizeof(one)) < 0) {
			/* counter saturated: the consumer is already woken */
		}
	}
	return 1;
}
