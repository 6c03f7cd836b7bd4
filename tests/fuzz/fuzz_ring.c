// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_ring.c - libFuzzer target for the consumer's view of untrusted ring
 * memory (a replay file, a corrupted map): attach validation, then draining
 * whatever the slots and counters hold. The consumer must reject bad
 * geometry with an error and never read outside the ring, whatever the
 * head, tail and slot contents say.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shm.h"

#define STRIDE RS_RING_BYTES(RS_RING_MIN_ORDER)
#define NRINGS 2

static void touch(void *ctx, const struct rs_ring *ring, const struct rs_record *rec)
{
	uint64_t *sum = ctx;

	(void)ring;
	*sum += rs_ctl_type(rec->hdr.ctl) + rs_ctl_tgid(rec->hdr.ctl) +
		rs_ts_restore(rec->hdr.ts_cpu, 1ULL << 50) + rec->payload.raw[47];
}

/* The input overlays two minimum-size rings: headers, counters and slots. */
static void fuzz_memory(const uint8_t *data, size_t size)
{
	static uint8_t region[NRINGS * STRIDE] __attribute__((aligned(4096)));
	struct rs_ring_set set;
	struct rs_ring_counters c;
	uint64_t sum = 0;
	char err[256];
	unsigned int i, n;

	memset(region, 0, sizeof(region));
	memcpy(region, data, size < sizeof(region) ? size : sizeof(region));
	if (rs_ring_set_from_memory(&set, region, STRIDE, NRINGS, err, sizeof(err))) {
		if (!err[0])
			abort();	/* every refusal says why */
		return;
	}
	for (i = 0; i < set.nrings; i++) {
		uint64_t cursor = rs_ring_cursor(&set.rings[i]);

		rs_ring_drain(&set.rings[i], 1000, touch, &sum);
		for (n = 0; n < 1000 && rs_ring_peek(&set.rings[i], &cursor); n++)
			;
		rs_ring_release(&set.rings[i], cursor);
		rs_ring_read_counters(&set.rings[i], &c);
		rs_ring_arm(&set.rings[i]);
	}
	free(set.rings);
}

/* The input as a whole ring file, as a replay would hand it over. */
static void fuzz_file(const uint8_t *data, size_t size)
{
	struct rs_ring_set set;
	uint64_t sum = 0;
	char err[256];
	unsigned int i;
	int fd = memfd_create("fuzz-ring", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (rs_ring_set_from_memfd(&set, fd, err, sizeof(err)) == 0) {
		for (i = 0; i < set.nrings; i++)
			rs_ring_drain(&set.rings[i], 1000, touch, &sum);
		rs_ring_set_close(&set);
	} else if (!err[0]) {
		abort();
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_memory(data, size);
	fuzz_file(data, size);
	return 0;
}
