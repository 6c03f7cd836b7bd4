// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_ingest.c - libFuzzer target: extend-probe lines "|table|f1|...|"
 * through rs_ingest_line into a store with a small cap, rendered after.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ingest.h"
#include "meta.h"
#include "prom.h"

static const char meta_text[] =
	"version = \"1\"\nmeasurements: (\n"
	" { table_name: \"t\", entity_name: \"e\", fields: (\n"
	"   { description: \"k\", type: \"key\", name: \"k\" },\n"
	"   { description: \"l\", type: \"label\", name: \"l\" },\n"
	"   { description: \"g\", type: \"gauge\", name: \"g_kB\" },\n"
	"   { description: \"c\", type: \"counter\", name: \"c\" },\n"
	"   { description: \"h\", type: \"histogram\", name: \"h\" } ) },\n"
	" { table_name: \"u\", entity_name: \"e\", fields: (\n"
	"   { description: \"k\", type: \"key\", name: \"k\" },\n"
	"   { description: \"x\", type: \"gauge\", name: \"x\" } ) } )\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rs_meta_set m;
	static int ready;
	struct rs_meta_limits lim = { 64, 64, "p", 0 };
	struct rs_store *st;
	struct rs_buf b;
	char *text = malloc(size + 1), err[512], *line, *save = NULL;

	if (!text)
		return 0;
	if (!ready) {
		rs_meta_init(&m);
		rs_meta_add_text(&m, meta_text, "fuzz.meta");
		rs_meta_resolve(&m, &lim);
		ready = 1;
	}
	memcpy(text, data, size);
	text[size] = 0;
	st = rs_store_new(&m, 4, 10);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (rs_ingest_line(st, line, (uint64_t)size, err, sizeof(err)) && !err[0])
			abort();	/* a rejection always says why */
	rs_store_expire(st, (uint64_t)size * 2 + 20);
	rs_buf_init(&b);
	rs_prom_render_store(&b, st, "m");
	rs_buf_free(&b);
	rs_store_free(st);
	free(text);
	return 0;
}
