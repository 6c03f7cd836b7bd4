// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// json_encode.h - export batches in gala-gopher's Kafka JSON shapes: one
// metrics record per row, event JSON, metadata JSON (docs/kafka.md).
#ifndef RS_EXPORT_JSON_ENCODE_H
#define RS_EXPORT_JSON_ENCODE_H

#include <stddef.h>

#include "batch.h"

/* Each returns one JSON document in a malloc'd, NUL-ended buffer (free()
 * it; librdkafka can take it with RD_KAFKA_MSG_F_FREE), its length in *len;
 * NULL on allocation failure. */

/* {"timestamp": ms, "machine_id": "..", "entity_name": "..", "<key>": "<value>",
 *  ..., "<metric>": "<value>"}: every value a string, absent metrics left out,
 * histograms as gala-gopher serializes them ("n le1 c1 .. leN cN sum max"). */
char *rs_json_row(const struct rs_xbatch *b, uint32_t row, size_t *len);
/* The event JSON of DESIGN.md with gala-gopher's Resource labels. */
char *rs_json_event(const struct rs_xbatch *b, uint32_t event, size_t *len);
/* gala-gopher's metadata JSON for one entity definition. */
char *rs_json_def(const struct rs_xbatch *b, uint32_t def, size_t *len);

/* Formats a metric value as gala-gopher's string form: integers without a
 * fraction, others with %.17g. Returns the length written (< 32). */
int rs_json_number(char buf[32], double v);

#endif
