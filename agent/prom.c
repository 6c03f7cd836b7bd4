// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* prom.c - render an entity store as Prometheus text exposition. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "prom.h"

void rs_prom_family(struct rs_buf *b, const char *name, const char *type,
		    const char *help)
{
	rs_buf_printf(b, "# HELP %s ", name);
	rs_buf_help(b, help && *help ? help : name);
	rs_buf_printf(b, "\n# TYPE %s %s\n", name, type);
}

/* {k="v",...,machine_id="m"  (no closing brace: le= may follow) */
static void labels(struct rs_buf *b, const struct rs_entity_def *def,
		   const struct rs_entity *en, const char *machine_id)
{
	unsigned int i;

	rs_buf_add(b, "{", 1);
	for (i = 0; i < def->nkeys; i++) {
		rs_buf_printf(b, "%s=\"", def->keys[i].prom_name);
		rs_buf_label_value(b, en->keys[i]);
		rs_buf_add(b, "\",", 2);
	}
	for (i = 0; i < def->nlabels; i++) {
		if (!en->labels[i])
			continue;
		rs_buf_printf(b, "%s=\"", def->labels[i].prom_name);
		rs_buf_label_value(b, en->labels[i]);
		rs_buf_add(b, "\",", 2);
	}
	rs_buf_puts(b, "machine_id=\"");
	rs_buf_label_value(b, machine_id);
	rs_buf_add(b, "\"", 1);
}

static void histogram(struct rs_buf *b, const struct rs_metric_def *m,
		      const struct rs_entity_def *def, const struct rs_entity *en,
		      const struct rs_hist *h, const char *machine_id)
{
	uint64_t cum = 0;
	unsigned int i;

	for (i = 0; i < h->nb; i++) {
		cum += h->counts[i];
		if (isinf(h->bounds[i]))
			continue;	/* that is the +Inf bucket below */
		rs_buf_printf(b, "%s_bucket", m->prom_name);
		labels(b, def, en, machine_id);
		rs_buf_puts(b, ",le=\"");
		rs_buf_value(b, h->bounds[i] * m->prom_scale);
		rs_buf_printf(b, "\"} %llu\n", (unsigned long long)cum);
	}
	cum += h->overflow;
	rs_buf_printf(b, "%s_bucket", m->prom_name);
	labels(b, def, en, machine_id);
	rs_buf_printf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	rs_buf_printf(b, "%s_sum", m->prom_name);
	labels(b, def, en, machine_id);
	rs_buf_puts(b, "} ");
	rs_buf_value(b, h->sum * m->prom_scale);
	rs_buf_printf(b, "\n%s_count", m->prom_name);
	labels(b, def, en, machine_id);
	rs_buf_printf(b, "} %llu\n", (unsigned long long)cum);
}

void rs_prom_render_store(struct rs_buf *b, const struct rs_store *st,
			  const char *machine_id)
{
	unsigned int t, m;

	for (t = 0; t < st->ntables; t++) {
		const struct rs_etable *tab = &st->tables[t];
		const struct rs_entity_def *def = tab->def;

		if (def->disabled)
			continue;
		for (m = 0; m < def->nmetrics; m++) {
			const struct rs_metric_def *md = &def->metrics[m];
			const struct rs_entity *en;
			int header = 0;

			for (en = tab->oldest; en; en = en->newer) {
				if (en->mode[m] == RS_V_NONE)
					continue;
				if (!header) {
					char help[600];

					/* a unit change is said where the unit is named */
					if (md->prom_scale != 1.0)
						snprintf(help, sizeof(help), "%s [exported as %s x %g]",
							 md->description, md->name, md->prom_scale);
					else
						snprintf(help, sizeof(help), "%s", md->description);
					rs_prom_family(b, md->prom_name,
						       md->type == RS_FIELD_HISTOGRAM ? "histogram" :
						       md->type == RS_FIELD_COUNTER ? "counter" : "gauge",
						       help);
					header = 1;
				}
				if (md->type == RS_FIELD_HISTOGRAM) {
					if (en->hist[m])
						histogram(b, md, def, en, en->hist[m], machine_id);
					continue;
				}
				rs_buf_puts(b, md->prom_name);
				labels(b, def, en, machine_id);
				rs_buf_puts(b, "} ");
				rs_buf_value(b, en->values[m] * md->prom_scale);
				rs_buf_add(b, "\n", 1);
			}
		}
	}
}
