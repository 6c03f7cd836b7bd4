/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ingest.h - the one validated entry point for rows of a meta table, as
 * text fields in .meta order (keys, labels, metrics): /proc collector rows
 * today, extend-probe lines "|table|f1|...|fN|" later.
 *
 * Rules (gala-gopher's, checked): the table must be known and enabled; the
 * field count must equal the table's; keys must not be empty; an empty
 * field or "(null)" is absent; labels and keys are at most 1023 bytes of
 * UTF-8 without control characters; gauges and counters are finite
 * numbers (absolute values: the row replaces the previous one);
 * histograms use "<n> <max1> <cnt1> ... <sum> <max>" and hold the
 * observations of one report period (they add up). A rejected row changes
 * nothing, is counted in the store, and err says table, field and reason.
 */
#ifndef RINGSCOPE_AGENT_INGEST_H
#define RINGSCOPE_AGENT_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define RS_INGEST_VALUE_MAX	1023

int rs_ingest_row(struct rs_store *st, const char *table,
		  const char *const *fields, unsigned int nfields,
		  uint64_t now_ns, char *err, size_t errlen);

/* One extend-probe line, with or without its trailing newline. */
int rs_ingest_line(struct rs_store *st, const char *line, uint64_t now_ns,
		   char *err, size_t errlen);

/* Is s valid UTF-8 without control characters? */
int rs_text_clean(const char *s);

#endif /* RINGSCOPE_AGENT_INGEST_H */
