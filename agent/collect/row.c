// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* row.c - build one text row field by field (numbers formatted once). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "collector_int.h"

void rsc_row_start(struct rsc_row *r)
{
	r->n = 0;
}

void rsc_row_str(struct rsc_row *r, const char *s)
{
	if (r->n < RSC_ROW_MAX)
		r->f[r->n++] = s ? s : "";
}

void rsc_row_u64(struct rsc_row *r, uint64_t v)
{
	if (r->n >= RSC_ROW_MAX)
		return;
	snprintf(r->text[r->n], RSC_FIELD_MAX, "%" PRIu64, v);
	r->f[r->n] = r->text[r->n];
	r->n++;
}

void rsc_row_f2(struct rsc_row *r, double v)
{
	if (r->n >= RSC_ROW_MAX)
		return;
	/* %.2f of a huge value would not fit the field: exponent form */
	snprintf(r->text[r->n], RSC_FIELD_MAX, fabs(v) < 1e15 ? "%.2f" : "%.6g", v);
	r->f[r->n] = r->text[r->n];
	r->n++;
}

void rsc_row_empty(struct rsc_row *r)
{
	rsc_row_str(r, "");
}
