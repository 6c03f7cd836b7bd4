// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// jsonl.h - an export batch as JSON lines, one per definition, row and event,
// with every string resolved: what `ringscope decode` prints.
#ifndef RS_EXPORT_JSONL_H
#define RS_EXPORT_JSONL_H

#include <stdio.h>

#include "batch.h"

/* Prints defs ({"kind":"def",..}), rows ({"kind":"row",..}) and events
 * ({"kind":"event",..}) of b to f, one compact JSON object per line, keys
 * sorted. Numbers keep every bit (%.17g); an infinite bucket bound prints as
 * "+Inf"; absent (NaN) values are left out. Returns 0 or -1. */
int rs_xbatch_print_jsonl(const struct rs_xbatch *b, FILE *f);

#endif
