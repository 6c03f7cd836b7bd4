// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_config.c - libFuzzer target: the `detect` configuration parser
 * (thresholds, detectors, kmsg rules) on arbitrary text, then the kernel
 * rules it accepted compiled (Hyperscan and POSIX regex) and a line matched
 * against them, and the thresholds and detectors run on a few values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "rules.h"

/* libconfig 1.5 leaks its string buffer when a syntax error interrupts a
 * string (strbuf_append in the scanner): not ours, suppressed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig.so\n";
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void sink(void *ctx, const struct rs_event *ev, const char *json, size_t len)
{
	(void)ctx;
	(void)ev;
	(void)json;
	(void)len;
}

static int defaults_known;
static size_t ndefault_rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_detect_opts opts = { "p", "m", sink, NULL, quiet, NULL };
	struct rs_detect_config cfg;
	struct rs_detect *d;
	char err[256], *text = malloc(size + 1);
	static const char line[] = "6,1,2,-;I/O error, dev sda, sector 1 disk x died";

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (!defaults_known) {	/* the built-in kmsg rules: compiled in tests */
		struct rs_detect_config def;

		if (rs_detect_config_parse(&def, NULL, "-", NULL, NULL, err, sizeof(err)) < 0)
			abort();
		ndefault_rules = def.nkmsg_rules;
		rs_detect_config_free(&def);
		defaults_known = 1;
	}
	if (rs_detect_config_parse(&cfg, text, "fuzz", quiet, NULL, err, sizeof(err)) == 0) {
		int small;

		/* compile only the input's own rules, and keep Hyperscan's compile
		 * time bounded: a few short patterns */
		if (cfg.nkmsg_rules >= ndefault_rules && !strstr(text, "defaults")) {
			memmove(cfg.kmsg_rules, cfg.kmsg_rules + ndefault_rules,
				(cfg.nkmsg_rules - ndefault_rules) * sizeof(*cfg.kmsg_rules));
			cfg.nkmsg_rules -= ndefault_rules;
		}
		small = cfg.nkmsg_rules <= 12;

		for (size_t i = 0; small && i < cfg.nkmsg_rules; i++)
			small = strlen(cfg.kmsg_rules[i].pattern) <= 96;
		if (!small)
			cfg.nkmsg_rules = 0;
		d = rs_detect_new(&cfg, &opts);
		if (d) {
			for (unsigned int t = 0; t < 8; t++) {
				for (size_t i = 0; i < cfg.nthresholds; i++)
					rs_detect_feed(d, cfg.thresholds[i].entity,
						       cfg.thresholds[i].entity_id[0] ?
						       cfg.thresholds[i].entity_id : "e",
						       cfg.thresholds[i].metric, t * 1000000000ull,
						       cfg.thresholds[i].value + (t % 3) - 1, NULL);
				for (size_t i = 0; i < cfg.ndetectors; i++)
					rs_detect_feed(d, cfg.detectors[i].entity, "e",
						       cfg.detectors[i].metric, t * 1000000000ull,
						       t == 6 ? 1e9 : (double)t, NULL);
				rs_detect_kmsg(d, line, sizeof(line) - 1, t * 1000000000ull);
				rs_detect_tick_end(d, t * 1000000000ull);
			}
			rs_detect_free(d);
		}
		rs_detect_config_free(&cfg);
	}
	free(text);
	return 0;
}
