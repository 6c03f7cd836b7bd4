// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* doorbell.c - consume doorbell signals of each kind without blocking. */
#include <stdint.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "shm.h"
#include "shm_internal.h"

int rs_doorbell_clear(struct rs_doorbell *db)
{
	uint64_t value = 0;
	int n = 0;

	switch (db->kind) {
	case RS_DOORBELL_EVENTFD:
		if (read(db->fd, &value, sizeof(value)) == (ssize_t)sizeof(value))
			n = (int)value;
		break;
	case RS_DOORBELL_BPF_RINGBUF:
		/* returns how many messages it consumed */
		n = ring_buffer__consume(db->ringbuf);
		if (n < 0)
			n = 0;
		break;
	default:
		break;
	}
	db->rung += (uint64_t)n;
	return n;
}

void rs_doorbell_close(struct rs_doorbell *db)
{
	if (db->ringbuf)
		ring_buffer__free(db->ringbuf);
	db->ringbuf = NULL;
	if (db->kind == RS_DOORBELL_EVENTFD && db->fd >= 0)
		close(db->fd);
	db->fd = -1;
	db->kind = RS_DOORBELL_NONE;
}
