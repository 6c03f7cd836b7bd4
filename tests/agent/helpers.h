/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* helpers.h - shared fixtures of the agent unit tests: meta sets from text. */
#ifndef RS_TEST_AGENT_HELPERS_H
#define RS_TEST_AGENT_HELPERS_H

#include <string.h>

#include "meta.h"

/* A small two-table entity "blk" plus a "host" entity, in gala's syntax. */
static const char test_meta_text[] =
	"version = \"1.0.0\"\n"
	"measurements:\n"
	"(\n"
	"  { table_name: \"blk_lat\", entity_name: \"blk\",\n"
	"    fields: (\n"
	"      { description: \"major\", type: \"key\", name: \"major\", },\n"
	"      { description: \"minor\", type: \"key\", name: \"minor\", },\n"
	"      { description: \"disk name\", type: \"label\", name: \"disk_name\", },\n"
	"      { description: \"latency \\\"max\\\" in us\", type: \"gauge\", name: \"lat_max_us\", },\n"
	"      { description: \"requests\", type: \"counter\", name: \"reqs\", },\n"
	"      { description: \"latency\", type: \"histogram\", name: \"lat\", }\n"
	"    ) },\n"
	"  { table_name: \"blk_err\", entity_name: \"blk\",\n"
	"    fields: (\n"
	"      { description: \"major\", type: \"key\", name: \"major\", },\n"
	"      { description: \"minor\", type: \"key\", name: \"minor\", },\n"
	"      { description: \"errors\", type: \"gauge\", name: \"err_count\", }\n"
	"    ) },\n"
	"  { table_name: \"host_os\", entity_name: \"host\",\n"
	"    fields: (\n"
	"      { description: \"os\", type: \"key\", name: \"os_version\", },\n"
	"      { description: \"host name\", type: \"label\", name: \"hostName\", },\n"
	"      { description: \"memory\", type: \"gauge\", name: \"total_kB\", }\n"
	"    ) }\n"
	")\n";

static inline void test_meta_load(struct rs_meta_set *m, const char *text, int naming)
{
	struct rs_meta_limits lim = { 1024, 64, "gala_gopher", naming };

	rs_meta_init(m);
	rs_meta_add_text(m, text, "test.meta");
	rs_meta_resolve(m, &lim);
}

#endif /* RS_TEST_AGENT_HELPERS_H */
