// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_kmsg.c - libFuzzer target: arbitrary bytes as a /dev/kmsg record
 * through the engine (record parser, the built-in Hyperscan rules, entity
 * extraction, kmsg alarms and their JSON events).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

static struct rs_detect *engine;

static void sink(void *ctx, const struct rs_event *ev, const char *json, size_t len)
{
	(void)ctx;
	(void)ev;
	if (!json || strlen(json) != len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t now;
	struct rs_kmsg k;

	if (!engine) {
		struct rs_detect_opts opts = { "p", "m", sink, NULL, NULL, NULL };
		struct rs_detect_config cfg;
		char err[128];

		if (rs_detect_config_parse(&cfg, NULL, "-", NULL, NULL, err, sizeof(err)) < 0)
			abort();
		engine = rs_detect_new(&cfg, &opts);
		rs_detect_config_free(&cfg);
		if (!engine)
			abort();
	}
	if (rs_kmsg_parse((const char *)data, size, &k) == 0 &&
	    (k.msg < (const char *)data || k.msg + k.msg_len > (const char *)data + size))
		abort();
	rs_detect_kmsg(engine, (const char *)data, size, now);
	now += 1000000000ull;
	if (now % 3000000000ull == 0)
		rs_detect_tick_end(engine, now);
	return 0;
}
