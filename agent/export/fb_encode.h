// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// fb_encode.h - C API of the FlatBuffers encoder and decoder of export batches
// (include/ringscope/ringscope.fbs); the only C++ in the agent is behind it.
#ifndef RS_EXPORT_FB_ENCODE_H
#define RS_EXPORT_FB_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RS_WIRE_VERSION 1
#define RS_WIRE_IDENTIFIER "RSB1"

/* An encoder keeps its buffers between messages; one per thread. */
struct rs_fb_encoder;

struct rs_fb_encoder *rs_fb_encoder_new(void);
void rs_fb_encoder_free(struct rs_fb_encoder *e);

/* Each call encodes one message and points *out at it (valid until the next
 * call on this encoder). Only strings and defs the message uses are carried.
 * Returns 0, or -1 when the range is outside the batch. Running out of memory
 * aborts (C++ allocation failure terminates); the encoder reuses its buffers,
 * so it allocates only while messages grow. */

/* Metric rows [first, first + n) of b, part `part` of `parts`. */
int rs_fb_encode_rows(struct rs_fb_encoder *e, const struct rs_xbatch *b,
		      uint32_t first, uint32_t n, uint32_t part, uint32_t parts,
		      const uint8_t **out, size_t *len);
/* Events [first, first + n) of b. */
int rs_fb_encode_events(struct rs_fb_encoder *e, const struct rs_xbatch *b,
			uint32_t first, uint32_t n, const uint8_t **out, size_t *len);
/* Entity definitions [first, first + n) of b, with descriptions. */
int rs_fb_encode_defs(struct rs_fb_encoder *e, const struct rs_xbatch *b,
		      uint32_t first, uint32_t n, const uint8_t **out, size_t *len);

/* Verifies an untrusted message (FlatBuffers Verifier, identifier, version,
 * every index in range) and fills `out` (reset first) with its content.
 * Returns 0, or -1 with a one-line reason in err. */
int rs_fb_decode(const void *buf, size_t len, struct rs_xbatch *out,
		 char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
