// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* meminfo.c - parse /proc/meminfo into the fields system_meminfo reports. */
#include "sources.h"

static const char *const names[RSC_MEM_COUNT] = {
	[RSC_MEM_TOTAL] = "MemTotal",
	[RSC_MEM_FREE] = "MemFree",
	[RSC_MEM_AVAILABLE] = "MemAvailable",
	[RSC_MEM_BUFFERS] = "Buffers",
	[RSC_MEM_CACHED] = "Cached",
	[RSC_MEM_ACTIVE] = "Active",
	[RSC_MEM_INACTIVE] = "Inactive",
	[RSC_MEM_ACTIVE_ANON] = "Active(anon)",
	[RSC_MEM_INACTIVE_ANON] = "Inactive(anon)",
	[RSC_MEM_ACTIVE_FILE] = "Active(file)",
	[RSC_MEM_INACTIVE_FILE] = "Inactive(file)",
	[RSC_MEM_MLOCKED] = "Mlocked",
	[RSC_MEM_SWAP_TOTAL] = "SwapTotal",
	[RSC_MEM_SWAP_FREE] = "SwapFree",
	[RSC_MEM_SHMEM] = "Shmem",
	[RSC_MEM_SLAB] = "Slab",
	[RSC_MEM_SRECLAIMABLE] = "SReclaimable",
	[RSC_MEM_SUNRECLAIM] = "SUnreclaim",
	[RSC_MEM_KERNEL_STACK] = "KernelStack",
	[RSC_MEM_PAGE_TABLES] = "PageTables",
	[RSC_MEM_VMALLOC_USED] = "VmallocUsed",
	[RSC_MEM_HUGEPAGES_TOTAL] = "HugePages_Total",
	[RSC_MEM_HUGEPAGESIZE] = "Hugepagesize",
};

const char *rsc_mem_field_name(enum rsc_mem_field f)
{
	return (unsigned int)f < RSC_MEM_COUNT ? names[f] : "?";
}

int rsc_parse_meminfo(const char *buf, size_t len, struct rsc_meminfo *out, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end, *name, *p, *tok;
	size_t name_len, tlen;

	out->have = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		uint64_t v, dummy;
		unsigned int ncols, bad, f;
		int rc;

		if (line == end)
			continue;
		/* "Name:   123 kB": the unit is not a number, so take one column */
		rc = rsc_name_numbers(line, end, ':', 10, &name, &name_len, &dummy, 0, &ncols, &bad);
		if (rc) {
			rsc_perr_add(err, lines.lineno, "%s", rc == -3 ? "no 'Name:'" : rsc_parse_strerror(rc));
			continue;
		}
		for (f = 0; f < RSC_MEM_COUNT; f++)
			if (rsc_token_is(name, name_len, names[f]))
				break;
		if (f == RSC_MEM_COUNT)
			continue;
		p = name + name_len;
		while (p < end && *p != ':')
			p++;
		p++;
		if (!rsc_token(&p, end, &tok, &tlen)) {
			rsc_perr_add(err, lines.lineno, "%s: no value", names[f]);
			continue;
		}
		rc = rsc_parse_u64(tok, tlen, 10, &v);
		if (rc) {
			rsc_perr_add(err, lines.lineno, "%s: %s", names[f], rsc_parse_strerror(rc));
			continue;
		}
		out->v[f] = v;
		out->have |= 1U << f;
	}
	if (!(out->have & (1U << RSC_MEM_TOTAL))) {
		rsc_perr_add(err, 0, "no MemTotal");
		return -1;
	}
	return (int)err->count;
}
