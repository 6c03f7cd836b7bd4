// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* decoders.c - bind record decoders to meta entities and merge their rows. */
#include <stdio.h>
#include <string.h>

#include "decode.h"

static const struct rs_decoder *const builtin[] = {
#define RS_X_REF(type, obj) &obj,
	RS_DECODERS(RS_X_REF)
#undef RS_X_REF
};

static int bind_one(struct rs_dec_binding *b, const struct rs_decoder *d,
		    const struct rs_meta_set *meta, char *err, size_t errlen)
{
	const struct rs_meta_table *t = rs_meta_table(meta, d->table);
	const struct rs_entity_def *e;
	unsigned int i, j;

	memset(b, 0, sizeof(*b));
	b->dec = d;
	if (!t) {
		snprintf(err, errlen, "decoder %s: meta table %s is not loaded", d->name, d->table);
		return -1;
	}
	if (!(e = t->entity)) {
		snprintf(err, errlen, "decoder %s: entity of table %s is disabled", d->name, d->table);
		return -1;
	}
	if (d->nfields > 16 || d->nmetrics > 32) {
		snprintf(err, errlen, "decoder %s: too many fields or metrics", d->name);
		return -1;
	}
	b->entity = e;
	for (i = 0; i < e->nkeys; i++) {
		for (j = 0; j < d->nfields && strcmp(d->fields[j], e->keys[i].name); j++)
			;
		if (j == d->nfields) {
			snprintf(err, errlen, "decoder %s: does not render key %s of entity %s",
				 d->name, e->keys[i].name, e->name);
			return -1;
		}
	}
	for (j = 0; j < d->nfields; j++) {
		for (i = 0; i < e->nkeys && strcmp(d->fields[j], e->keys[i].name); i++)
			;
		if (i < e->nkeys) {
			b->field_slot[j] = (int)i;
			continue;
		}
		for (i = 0; i < e->nlabels && strcmp(d->fields[j], e->labels[i].name); i++)
			;
		if (i == e->nlabels) {
			snprintf(err, errlen, "decoder %s: field %s is not a key or label of entity %s",
				 d->name, d->fields[j], e->name);
			return -1;
		}
		b->field_slot[j] = -1 - (int)i;
	}
	for (j = 0; j < d->nmetrics; j++) {
		const struct rs_dec_metric *m = &d->metrics[j];

		for (i = 0; i < e->nmetrics && strcmp(m->name, e->metrics[i].name); i++)
			;
		if (i == e->nmetrics) {
			snprintf(err, errlen, "decoder %s: metric %s is not in entity %s", d->name,
				 m->name, e->name);
			return -1;
		}
		if ((m->nb > 0) != (e->metrics[i].type == RS_FIELD_HISTOGRAM) ||
		    m->nb > RS_HIST_MAX_BUCKETS) {
			snprintf(err, errlen, "decoder %s: metric %s is %s in the meta", d->name,
				 m->name, rs_field_type_name(e->metrics[i].type));
			return -1;
		}
		if (e->metrics[i].type == RS_FIELD_COUNTER && m->op != RS_ACC_ADD) {
			snprintf(err, errlen, "decoder %s: counter %s must accumulate (ADD)",
				 d->name, m->name);
			return -1;
		}
		b->metric_slot[j] = i;
	}
	return 0;
}

unsigned int rs_decoders_bind(struct rs_decoder_table *t, const struct rs_meta_set *meta,
			      const struct rs_decoder *const *extra, unsigned int nextra,
			      void (*log)(const char *msg))
{
	unsigned int i, n = sizeof(builtin) / sizeof(builtin[0]);
	char err[512];

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n + nextra; i++) {
		const struct rs_decoder *d = i < n ? builtin[i] : extra[i - n];
		struct rs_dec_binding *b = &t->bindings[t->nbindings];

		if (t->nbindings == sizeof(t->bindings) / sizeof(t->bindings[0]) || d->type > 255)
			break;
		if (t->by_type[d->type]) {
			snprintf(err, sizeof(err), "decoder %s: record type 0x%02x already decoded by %s",
				 d->name, d->type, t->by_type[d->type]->dec->name);
			if (log)
				log(err);
			continue;
		}
		if (bind_one(b, d, meta, err, sizeof(err))) {
			if (log)
				log(err);
			continue;
		}
		t->by_type[d->type] = b;
		t->nbindings++;
	}
	return t->nbindings;
}

void rs_acc_merge(struct rs_store *st, const struct rs_dec_binding *b,
		  struct rs_acc *a, uint64_t now_ns)
{
	const struct rs_decoder *d = b->dec;
	const struct rs_entity_def *e = b->entity;
	char text[16][RS_DEC_TEXT];
	const char *keys[16];
	size_t i;
	unsigned int j;

	if (!a->count)
		return;
	for (i = 0; i < a->cap; i++) {
		struct rs_acc_slot *s = rs_acc_at(a, i);
		struct rs_entity *en;

		if (!s->used)
			continue;
		d->format(s, text);
		for (j = 0; j < d->nfields; j++)
			if (b->field_slot[j] >= 0)
				keys[b->field_slot[j]] = text[j];
		en = rs_store_upsert(st, e, keys, now_ns);
		if (!en)
			continue;
		for (j = 0; j < d->nfields; j++)
			if (b->field_slot[j] < 0)
				rs_entity_set_label(en, (unsigned int)(-1 - b->field_slot[j]), text[j]);
		for (j = 0; j < d->nmetrics; j++) {
			const struct rs_dec_metric *m = &d->metrics[j];
			unsigned int slot = b->metric_slot[j];
			const double *v = s->d + a->off[j];

			if (m->nb) {
				struct rs_hist h, *dst = rs_entity_hist(en, slot);
				unsigned int k;

				if (!dst)
					continue;
				memset(&h, 0, sizeof(h));
				h.nb = m->nb;
				for (k = 0; k < m->nb; k++) {
					h.bounds[k] = m->bounds[k];
					h.counts[k] = (uint64_t)v[2 + k];
				}
				h.overflow = (uint64_t)v[2 + m->nb];
				h.sum = v[0];
				h.max = v[1];
				rs_hist_add(dst, &h);
			} else if (e->metrics[slot].type == RS_FIELD_COUNTER &&
				   en->mode[slot] != RS_V_NONE) {
				en->values[slot] += v[0];
			} else {
				en->values[slot] = v[0];
			}
			en->mode[slot] = RS_V_SET;
		}
	}
	rs_acc_reset(a);
}
