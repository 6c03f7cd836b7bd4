/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * prom.h - Prometheus text exposition (format 0.0.4) of an entity store:
 * HELP from the meta description, TYPE from the meta type, labels from keys
 * then labels then machine_id, histograms as _bucket/_sum/_count.
 */
#ifndef RINGSCOPE_AGENT_PROM_H
#define RINGSCOPE_AGENT_PROM_H

#include "buf.h"
#include "store.h"

void rs_prom_render_store(struct rs_buf *b, const struct rs_store *st,
			  const char *machine_id);

/* HELP and TYPE lines of one family. */
void rs_prom_family(struct rs_buf *b, const char *name, const char *type,
		    const char *help);

#endif /* RINGSCOPE_AGENT_PROM_H */
