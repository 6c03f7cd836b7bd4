// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_mem.c - the system_meminfo row (/proc/meminfo) and system_dentry (dentry-state). */
#include "collector_int.h"

static bool have(const struct rsc_meminfo *m, enum rsc_mem_field f)
{
	return m->have & (1u << f);
}

static void field(struct rsc_row *row, const struct rsc_meminfo *m, enum rsc_mem_field f)
{
	if (have(m, f))
		rsc_row_u64(row, m->v[f]);
	else
		rsc_row_empty(row);	/* absent from this kernel's meminfo */
}

/* gala-gopher's: (total - free - buffers - cached) / total */
static void mem_util(struct rsc_row *row, const struct rsc_meminfo *m)
{
	uint64_t total = m->v[RSC_MEM_TOTAL], unused;

	if (!have(m, RSC_MEM_FREE) || !have(m, RSC_MEM_BUFFERS) || !have(m, RSC_MEM_CACHED) ||
	    total == 0) {
		rsc_row_empty(row);
		return;
	}
	unused = m->v[RSC_MEM_FREE] + m->v[RSC_MEM_BUFFERS] + m->v[RSC_MEM_CACHED];
	rsc_row_f2(row, unused >= total ? 0.0 : (double)(total - unused) * 100.0 / (double)total);
}

static void swap_util(struct rsc_row *row, const struct rsc_meminfo *m)
{
	uint64_t total = m->v[RSC_MEM_SWAP_TOTAL], free = m->v[RSC_MEM_SWAP_FREE];

	if (!have(m, RSC_MEM_SWAP_TOTAL) || !have(m, RSC_MEM_SWAP_FREE))
		rsc_row_empty(row);
	else
		rsc_row_f2(row, total == 0 || free >= total ? 0.0 :
			   (double)(total - free) * 100.0 / (double)total);
}

static void dentry_row(struct rs_collector *c)
{
	struct rsc_file *f = &c->files[RSC_F_DENTRY];
	struct rsc_dentry_state d;
	struct rsc_perr err;
	struct rsc_row row;
	int rc;

	if (f->fd < 0 || f->err)
		return;
	rsc_perr_reset(&err);
	rc = rsc_parse_dentry_state(f->buf, f->len, &d, &err);
	rsc_parsed(c, RS_SRC_MEMINFO, f, rc, &err);
	if (rc < 0)
		return;
	rsc_row_start(&row);
	rsc_row_str(&row, "fs.dentry-state");	/* gala-gopher's key value */
	rsc_row_u64(&row, d.dentry);
	rsc_row_u64(&row, d.unused);
	rsc_row_u64(&row, d.age_limit);
	rsc_emit(c, "system_dentry", &row);
}

void rsc_table_mem(struct rs_collector *c)
{
	const struct rsc_meminfo *m = &c->mem;
	struct rsc_row row;

	dentry_row(c);
	if (!c->mem_ok)
		return;
	rsc_row_start(&row);
	rsc_row_str(&row, "/proc/meminfo");	/* gala-gopher's key value */
	field(&row, m, RSC_MEM_TOTAL);
	field(&row, m, RSC_MEM_FREE);
	field(&row, m, RSC_MEM_AVAILABLE);
	mem_util(&row, m);
	field(&row, m, RSC_MEM_BUFFERS);
	field(&row, m, RSC_MEM_CACHED);
	field(&row, m, RSC_MEM_ACTIVE);
	field(&row, m, RSC_MEM_INACTIVE);
	field(&row, m, RSC_MEM_SWAP_TOTAL);
	field(&row, m, RSC_MEM_SWAP_FREE);
	swap_util(&row, m);
	field(&row, m, RSC_MEM_SLAB);
	field(&row, m, RSC_MEM_SRECLAIMABLE);
	field(&row, m, RSC_MEM_SUNRECLAIM);
	field(&row, m, RSC_MEM_PAGE_TABLES);
	field(&row, m, RSC_MEM_VMALLOC_USED);
	field(&row, m, RSC_MEM_KERNEL_STACK);
	field(&row, m, RSC_MEM_ACTIVE_ANON);
	field(&row, m, RSC_MEM_INACTIVE_ANON);
	field(&row, m, RSC_MEM_ACTIVE_FILE);
	field(&row, m, RSC_MEM_INACTIVE_FILE);
	field(&row, m, RSC_MEM_MLOCKED);
	if (have(m, RSC_MEM_HUGEPAGES_TOTAL) && have(m, RSC_MEM_HUGEPAGESIZE))
		rsc_row_u64(&row, m->v[RSC_MEM_HUGEPAGES_TOTAL] * m->v[RSC_MEM_HUGEPAGESIZE]);
	else
		rsc_row_empty(&row);
	field(&row, m, RSC_MEM_SHMEM);
	rsc_emit(c, "system_meminfo", &row);
}
