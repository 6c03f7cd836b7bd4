// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fuzz_config.c - libFuzzer target: ringscoped's configuration parser and schema checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rs_config cfg;
	char *text = malloc(size + 1);
	char err[1024];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (rs_config_parse_text(&cfg, text, "fuzz.conf", err, sizeof(err)) && !strstr(err, "fuzz.conf:"))
		abort();	/* every error names the file and line */
	free(text);
	return 0;
}
