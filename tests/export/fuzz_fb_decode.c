// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// fuzz_fb_decode.c - libFuzzer target: the FlatBuffers batch decoder on
// untrusted bytes (what `ringscope decode` and a consumer read from Kafka);
// whatever it accepts must be a batch whose every index is in range.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "batch.h"
#include "fb_encode.h"

static void check(const struct rs_xbatch *b)
{
	/* touching every reference: ASan flags any index the decoder let through */
	volatile size_t sum = 0;

	for (uint32_t r = 0; r < b->n_rows; r++) {
		const struct rs_xrow *row = &b->rows[r];
		const struct rs_xentity_def *d = &b->defs[row->def];

		for (uint32_t i = 0; i < d->n_keys + d->n_labels; i++)
			sum += b->str_len[b->refs[row->labels + i]];
		for (uint32_t m = 0; m < d->n_metrics; m++)
			sum += b->values[row->values + m] > 0;
		for (uint32_t h = 0; h < row->n_hists; h++) {
			const struct rs_xhist *x = &b->hists[row->hists + h];

			if (x->metric >= d->n_metrics)
				abort();
			for (uint32_t k = 0; k < x->n_buckets; k++)
				sum += b->counts[x->bucket + k];
		}
	}
	for (uint32_t e = 0; e < b->n_events; e++)
		sum += b->str_len[b->events[e].body] + b->str_len[b->events[e].metric];
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rs_xbatch b;
	static int ready;
	char err[256];

	if (!ready) {
		rs_xbatch_init(&b);
		ready = 1;
	}
	if (!rs_fb_decode(data, size, &b, err, sizeof(err)))
		check(&b);
	return 0;
}
