// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* docs.c - generate docs/metrics.md, the metrics reference, from the meta. */
#include <string.h>

#include "agent.h"
#include "buf.h"

static void cell(struct rs_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			rs_buf_puts(b, "\\|");
		else if (*s == '\n')
			rs_buf_puts(b, " ");
		else
			rs_buf_add(b, s, 1);
	}
}

void rs_metrics_doc(const struct rs_meta_set *meta, const struct rs_config *cfg,
		    struct rs_buf *b)
{
	unsigned int i, j, k;
	double scale;

	rs_buf_puts(b, "<!-- SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) -->\n"
		    "# Metrics reference\n\n"
		    "Generated from the `.meta` files in `agent/meta/` by `make docs-metrics`"
		    " (`ringscoped --metrics-doc`); do not edit by hand.\n\n"
		    "Each entity's series carry its keys and labels as Prometheus labels, plus"
		    " `machine_id`. Two namings (`global.metric_names`): **gala** is"
		    " gala-gopher's exact `<prefix>_<entity>_<field>`; **prometheus** (the"
		    " default) is the same name made to pass `promtool check metrics`"
		    " (snake_case, base units with the value scaled, `_total` on counters).\n\n");
	for (i = 0; i < meta->nentities; i++) {
		const struct rs_entity_def *e = &meta->entities[i];

		rs_buf_printf(b, "## Entity `%s`\n\n", e->name);
		if (e->disabled) {
			rs_buf_puts(b, "Disabled: ");
			cell(b, e->error);
			rs_buf_puts(b, "\n\n");
			continue;
		}
		rs_buf_puts(b, "Tables:");
		for (j = 0; j < e->ntables; j++)
			rs_buf_printf(b, " `%s` (v%s)%s", e->tables[j]->name, e->tables[j]->version,
				      j + 1 < e->ntables ? "," : "");
		rs_buf_puts(b, "\n\n| field | kind | gala name | prometheus name | description |\n"
			    "|---|---|---|---|---|\n");
		for (j = 0; j < e->nkeys; j++) {
			char pn[64];

			rs_prom_label_name(e->keys[j].name, RS_NAMING_PROMETHEUS, pn, sizeof(pn));
			rs_buf_printf(b, "| `%s` | key | `%s` | `%s` | ", e->keys[j].name,
				      e->keys[j].name, pn);
			cell(b, e->keys[j].description);
			rs_buf_puts(b, " |\n");
		}
		for (j = 0; j < e->nlabels; j++) {
			char pn[64];

			rs_prom_label_name(e->labels[j].name, RS_NAMING_PROMETHEUS, pn, sizeof(pn));
			rs_buf_printf(b, "| `%s` | label | `%s` | `%s` | ", e->labels[j].name,
				      e->labels[j].name, pn);
			cell(b, e->labels[j].description);
			rs_buf_puts(b, " |\n");
		}
		for (j = 0; j < e->nmetrics; j++) {
			const struct rs_metric_def *m = &e->metrics[j];
			struct rs_meta_field f;
			char gala[160], prom[160];

			memset(&f, 0, sizeof(f));
			memcpy(f.name, m->name, sizeof(f.name));
			f.type = m->type;
			rs_prom_metric_name(cfg->metric_prefix, e->name, &f, RS_NAMING_GALA, gala,
					    sizeof(gala), &scale);
			rs_prom_metric_name(cfg->metric_prefix, e->name, &f, RS_NAMING_PROMETHEUS,
					    prom, sizeof(prom), &scale);
			rs_buf_printf(b, "| `%s` | %s | `%s` | `%s`", m->name,
				      rs_field_type_name(m->type), gala, prom);
			if (scale != 1.0)
				rs_buf_printf(b, " (x%g)", scale);
			rs_buf_puts(b, " | ");
			cell(b, m->description);
			rs_buf_puts(b, " |\n");
		}
		rs_buf_puts(b, "\n");
		(void)k;
	}
	if (meta->nerrors) {
		rs_buf_puts(b, "## Meta errors\n\n");
		for (i = 0; i < meta->nerrors; i++) {
			rs_buf_puts(b, "- ");
			cell(b, meta->errors[i]);
			rs_buf_puts(b, "\n");
		}
	}
}
