// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_meta.c - libFuzzer target: .meta parsing and entity resolution, then
 * one row through the ingestion of each table and an exposition render, so
 * whatever a meta file defines is also exercised downstream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ingest.h"
#include "meta.h"
#include "prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_meta_limits lim = { 64, 64, "gala_gopher", (int)(size & 1) };
	const char *fields[RS_META_MAX_FIELDS];
	struct rs_meta_set m;
	struct rs_store *st;
	struct rs_buf b;
	char *text = malloc(size + 1), err[512];
	unsigned int i, j;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	rs_meta_init(&m);
	rs_meta_add_text(&m, text, "fuzz.meta");
	rs_meta_resolve(&m, &lim);
	st = rs_store_new(&m, 8, 1000);
	for (i = 0; st && i < m.ntables; i++) {
		for (j = 0; j < m.tables[i].nfields; j++)
			fields[j] = m.tables[i].fields[j].type == RS_FIELD_HISTOGRAM ? "1 10 1 1 1" : "1";
		rs_ingest_row(st, m.tables[i].name, fields, m.tables[i].nfields, 1, err, sizeof(err));
	}
	if (st) {
		rs_buf_init(&b);
		rs_prom_render_store(&b, st, "m");
		rs_buf_free(&b);
		rs_store_free(st);
	}
	rs_meta_free(&m);
	free(text);
	return 0;
}
