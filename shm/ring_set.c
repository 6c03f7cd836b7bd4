// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ring_set.c - validate ring memory and attach a set of rings to it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shm.h"
#include "shm_internal.h"

void rs_set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int rs_ring_validate(const struct rs_ring_header *h, size_t bytes,
		     char *err, size_t errlen)
{
	uint32_t magic = __atomic_load_n(&h->geo.magic, __ATOMIC_ACQUIRE);

	if (bytes < RS_RING_BYTES(RS_RING_MIN_ORDER)) {
		rs_set_error(err, errlen,
			     "ring memory of %zu bytes is smaller than the minimum ring (%zu bytes)",
			     bytes, (size_t)RS_RING_BYTES(RS_RING_MIN_ORDER));
		return -EINVAL;
	}
	if (magic != RS_RING_MAGIC) {
		rs_set_error(err, errlen,
			     "bad ring magic 0x%08x (want 0x%08x): not a ringscope ring, or not formatted",
			     magic, RS_RING_MAGIC);
		return -EPROTO;
	}
	if (h->geo.abi_version != RS_RING_ABI_VERSION) {
		rs_set_error(err, errlen,
			     "ring ABI version %u, this consumer speaks version %u",
			     h->geo.abi_version, RS_RING_ABI_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (h->geo.record_size != RS_RECORD_SIZE) {
		rs_set_error(err, errlen, "record size %u, expected %u",
			     h->geo.record_size, RS_RECORD_SIZE);
		return -EPROTO;
	}
	if (h->geo.order < RS_RING_MIN_ORDER || h->geo.order > RS_RING_MAX_ORDER) {
		rs_set_error(err, errlen, "ring order %u outside [%u, %u]",
			     h->geo.order, RS_RING_MIN_ORDER, RS_RING_MAX_ORDER);
		return -EINVAL;
	}
	if (RS_RING_BYTES(h->geo.order) > bytes) {
		rs_set_error(err, errlen,
			     "ring of order %u needs %zu bytes, only %zu mapped",
			     h->geo.order, (size_t)RS_RING_BYTES(h->geo.order), bytes);
		return -EINVAL;
	}
	if (h->geo.watermark == 0 || h->geo.watermark > (1U << h->geo.order)) {
		rs_set_error(err, errlen, "watermark %u outside [1, %u]",
			     h->geo.watermark, 1U << h->geo.order);
		return -EINVAL;
	}
	return 0;
}

int rs_ring_set_from_memory(struct rs_ring_set *set, void *base,
			    size_t stride, unsigned int nrings,
			    char *err, size_t errlen)
{
	char why[160];
	unsigned int i;
	int ret;

	memset(set, 0, sizeof(*set));
	set->fd = -1;
	set->doorbell.fd = -1;
	if (nrings == 0) {
		rs_set_error(err, errlen, "no rings to attach");
		return -EINVAL;
	}
	set->rings = calloc(nrings, sizeof(*set->rings));
	if (!set->rings) {
		rs_set_error(err, errlen, "out of memory for %u rings", nrings);
		return -ENOMEM;
	}
	for (i = 0; i < nrings; i++) {
		struct rs_ring_header *h = (void *)((char *)base + i * stride);
		struct rs_ring *r = &set->rings[i];

		ret = rs_ring_validate(h, stride, why, sizeof(why));
		if (ret) {
			rs_set_error(err, errlen, "ring %u: %s", i, why);
			free(set->rings);
			set->rings = NULL;
			return ret;
		}
		r->hdr = h;
		r->slots = rs_ring_slots(h);
		r->order = h->geo.order;
		r->mask = (1ULL << r->order) - 1;
		r->index = i;
		r->pos = __atomic_load_n(&h->cons.tail, __ATOMIC_ACQUIRE);
	}
	set->base = base;
	set->stride = stride;
	set->nrings = nrings;
	return 0;
}

void rs_ring_set_close(struct rs_ring_set *set)
{
	rs_doorbell_close(&set->doorbell);
	if (set->base && set->map_len)
		munmap(set->base, set->map_len);
	if (set->own_fd && set->fd >= 0)
		close(set->fd);
	free(set->rings);
	memset(set, 0, sizeof(*set));
	set->fd = -1;
	set->doorbell.fd = -1;
}
