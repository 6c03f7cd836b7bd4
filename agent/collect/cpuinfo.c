// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cpuinfo.c - parse /proc/cpuinfo: "cpu MHz" per processor, hypervisor flag. */
#include <string.h>

#include "sources.h"

/* "key<tabs> : value": key without trailing blanks, value after ": ". */
static bool split_kv(const char *line, const char *end, const char **k, size_t *klen,
		     const char **v, const char **vend)
{
	const char *colon = memchr(line, ':', (size_t)(end - line));

	if (!colon)
		return false;
	*k = line;
	*klen = (size_t)(colon - line);
	while (*klen > 0 && (line[*klen - 1] == ' ' || line[*klen - 1] == '\t'))
		(*klen)--;
	*v = colon + 1;
	*vend = end;
	return true;
}

static bool has_word(const char *p, const char *end, const char *word)
{
	const char *tok;
	size_t len;

	while (rsc_token(&p, end, &tok, &len))
		if (rsc_token_is(tok, len, word))
			return true;
	return false;
}

int rsc_parse_cpuinfo(const char *buf, size_t len, struct rsc_cpu_extra *cpus,
		      unsigned int cap, unsigned int *dropped, bool *hypervisor,
		      struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end, *k, *v, *vend, *tok;
	size_t klen, tlen;
	int64_t processor = -1;

	*dropped = 0;
	*hypervisor = false;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		if (!split_kv(line, end, &k, &klen, &v, &vend))
			continue;	/* blank separator lines */
		if (klen == 9 && memcmp(k, "processor", 9) == 0) {
			uint64_t n;

			processor = -1;
			if (!rsc_token(&v, vend, &tok, &tlen) || rsc_parse_u64(tok, tlen, 10, &n) ||
			    n > UINT32_MAX) {
				rsc_perr_add(err, lines.lineno, "processor: not a number");
				continue;
			}
			if (n >= cap)
				(*dropped)++;
			else
				processor = (int64_t)n;
		} else if (klen == 7 && memcmp(k, "cpu MHz", 7) == 0) {
			double mhz;

			if (!rsc_token(&v, vend, &tok, &tlen) || rsc_parse_decimal(tok, tlen, &mhz)) {
				rsc_perr_add(err, lines.lineno, "cpu MHz: not a number");
				continue;
			}
			if (processor >= 0) {
				cpus[processor].mhz = mhz;
				cpus[processor].have_mhz = true;
			}
		} else if (klen == 5 && memcmp(k, "flags", 5) == 0) {
			if (has_word(v, vend, "hypervisor"))
				*hypervisor = true;
		}
	}
	return (int)err->count;
}
