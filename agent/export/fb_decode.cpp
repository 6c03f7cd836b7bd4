// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// fb_decode.cpp - verifies an untrusted ringscope.fbs message and turns it
// back into an export batch, naming the first thing that is wrong.
#include "fb_encode.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <vector>

#include "ringscope_generated.h"

namespace fb = flatbuffers;
namespace w = ringscope::wire;

namespace {

struct decoder {
	rs_xbatch *b;
	char *err;
	size_t errlen;
	std::vector<uint32_t> str; /* message string index -> batch id */

	bool fail(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
	{
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		return false;
	}
	bool s(uint32_t wire, uint32_t *id, const char *what)
	{
		if (wire >= str.size())
			return fail("%s: string %u out of range (%zu strings)", what,
				    wire, str.size());
		*id = str[wire];
		return true;
	}
	/* fills the n reserved refs at first from v */
	bool refs(const fb::Vector<uint32_t> *v, uint32_t n, uint32_t first,
		  const char *what)
	{
		uint32_t got = v ? v->size() : 0;

		if (got != n)
			return fail("%s: %u strings, want %u", what, got, n);
		for (uint32_t i = 0; i < n; i++)
			if (!s(v->Get(i), &b->refs[first + i], what))
				return false;
		return true;
	}
	bool def(const w::EntityDef *d, uint32_t i);
	bool row(const w::Row *r, uint32_t i);
	bool event(const w::Event *v, uint32_t i);
	bool batch(const w::Batch *m);
};

bool decoder::def(const w::EntityDef *d, uint32_t i)
{
	uint32_t n_keys = d->keys() ? d->keys()->size() : 0;
	uint32_t n_labels = d->labels() ? d->labels()->size() : 0;
	uint32_t n_metrics = d->metrics() ? d->metrics()->size() : 0;
	rs_xentity_def *x;
	char what[48];

	snprintf(what, sizeof(what), "def %u", i);
	if (n_keys + (uint64_t)n_labels + n_metrics > UINT16_MAX)
		return fail("%s: %u keys, %u labels, %u metrics: too many", what,
			    n_keys, n_labels, n_metrics);
	x = rs_xbatch_new_def(b, n_keys, n_labels, n_metrics);
	if (!x)
		return fail("out of memory");
	if (!s(d->entity_name(), &x->entity_name, what) ||
	    !s(d->table_name(), &x->table_name, what) ||
	    !s(d->version(), &x->version, what) ||
	    !refs(d->keys(), n_keys, x->keys, what) ||
	    !refs(d->labels(), n_labels, x->labels, what))
		return false;
	for (uint32_t m = 0; m < n_metrics; m++) {
		const w::MetricDef *md = d->metrics()->Get(m);
		rs_xmetric_def *y = &b->mdefs[x->metrics + m];

		if (md->type() > w::MetricType_MAX)
			return fail("%s metric %u: unknown type %u", what, m,
				    (unsigned)md->type());
		if (!s(md->name(), &y->name, what) ||
		    !s(md->description(), &y->description, what))
			return false;
		y->type = (uint8_t)md->type();
	}
	return true;
}

bool decoder::row(const w::Row *r, uint32_t i)
{
	char what[48];

	snprintf(what, sizeof(what), "row %u", i);
	if (r->def() >= b->n_defs)
		return fail("%s: def %u out of range (%u defs)", what, r->def(), b->n_defs);
	const rs_xentity_def d = b->defs[r->def()];
	uint32_t n_values = r->values() ? r->values()->size() : 0;
	rs_xrow *x = rs_xbatch_add_row(b, r->def());

	if (!x)
		return fail("out of memory");
	x->timestamp_ms = r->timestamp_ms();
	uint32_t values = x->values;
	if (!refs(r->labels(), d.n_keys + d.n_labels, x->labels, what))
		return false;
	if (n_values != d.n_metrics)
		return fail("%s: %u values, want %u (the def's metrics)", what, n_values,
			    d.n_metrics);
	for (uint32_t m = 0; m < n_values; m++)
		b->values[values + m] = r->values()->Get(m);
	if (!r->histograms())
		return true;
	for (uint32_t h = 0; h < r->histograms()->size(); h++) {
		const w::Histogram *wh = r->histograms()->Get(h);
		uint32_t nb = wh->le() ? wh->le()->size() : 0;

		if (wh->metric() >= d.n_metrics)
			return fail("%s histogram %u: metric %u out of range (%u metrics)",
				    what, h, wh->metric(), d.n_metrics);
		if ((wh->counts() ? wh->counts()->size() : 0) != nb)
			return fail("%s histogram %u: %u bounds but %u counts", what, h,
				    nb, wh->counts() ? wh->counts()->size() : 0);
		rs_xhist *xh = rs_xbatch_add_hist(b, wh->metric(), nb);

		if (!xh)
			return fail("out of memory");
		xh->sum = wh->sum();
		xh->count = wh->count();
		for (uint32_t k = 0; k < nb; k++) {
			b->le[xh->bucket + k] = wh->le()->Get(k);
			b->counts[xh->bucket + k] = wh->counts()->Get(k);
		}
	}
	return true;
}

bool decoder::event(const w::Event *v, uint32_t i)
{
	rs_xevent *x = rs_xbatch_add_event(b);
	char what[48];

	if (!x)
		return fail("out of memory");
	snprintf(what, sizeof(what), "event %u", i);
	x->timestamp_ms = v->timestamp_ms();
	x->severity_number = v->severity_number();
	x->duration = v->duration();
	x->occurred = v->occurred();
	return s(v->event_id(), &x->event_id, what) &&
	       s(v->entity_id(), &x->entity_id, what) &&
	       s(v->entity_name(), &x->entity_name, what) &&
	       s(v->event_type(), &x->event_type, what) &&
	       s(v->metric(), &x->metric, what) &&
	       s(v->severity_text(), &x->severity_text, what) &&
	       s(v->body(), &x->body, what) && s(v->pid(), &x->pid, what) &&
	       s(v->comm(), &x->comm, what) && s(v->ip(), &x->ip, what) &&
	       s(v->container_id(), &x->container_id, what) &&
	       s(v->pod_id(), &x->pod_id, what) && s(v->device(), &x->device, what);
}

bool decoder::batch(const w::Batch *m)
{
	if (m->version() != RS_WIRE_VERSION)
		return fail("unsupported wire version %u (this reader knows %u)",
			    m->version(), RS_WIRE_VERSION);
	b->timestamp_ms = m->timestamp_ms();
	b->seq = m->seq();
	b->machine_id = m->machine_id() ? rs_xbatch_strn(b, m->machine_id()->c_str(),
							 m->machine_id()->size())
					: 0;
	b->hostname = m->hostname() ? rs_xbatch_strn(b, m->hostname()->c_str(),
						     m->hostname()->size())
				    : 0;
	if (m->strings()) {
		str.resize(m->strings()->size());
		for (uint32_t i = 0; i < str.size(); i++) {
			const fb::String *x = m->strings()->Get(i);

			str[i] = rs_xbatch_strn(b, x->c_str(), x->size());
		}
	}
	if (m->defs()) {
		if (m->defs()->size() > UINT16_MAX + 1u)
			return fail("%u defs: more than a row can reference",
				    m->defs()->size());
		for (uint32_t i = 0; i < m->defs()->size(); i++)
			if (!def(m->defs()->Get(i), i))
				return false;
	}
	if (m->rows())
		for (uint32_t i = 0; i < m->rows()->size(); i++)
			if (!row(m->rows()->Get(i), i))
				return false;
	if (m->events())
		for (uint32_t i = 0; i < m->events()->size(); i++)
			if (!event(m->events()->Get(i), i))
				return false;
	if (b->oom)
		return fail("out of memory");
	return true;
}

} // namespace

extern "C" int rs_fb_decode(const void *buf, size_t len, struct rs_xbatch *out,
			    char *err, size_t errlen)
{
	decoder d{out, err, errlen, {}};
	const uint8_t *p = (const uint8_t *)buf;

	rs_xbatch_reset(out);
	if (len < 8)
		return d.fail("message of %zu bytes: too short for a ringscope batch", len),
		       -1;
	if (len >= FLATBUFFERS_MAX_BUFFER_SIZE)
		return d.fail("message of %zu bytes: over the FlatBuffers limit", len), -1;
	if (!w::BatchBufferHasIdentifier(p)) {
		char id[5];

		for (int i = 0; i < 4; i++)
			id[i] = (p[4 + i] >= 0x20 && p[4 + i] < 0x7f) ? (char)p[4 + i] : '?';
		id[4] = '\0';
		return d.fail("not a ringscope batch: file identifier \"%s\", want \"%s\"",
			      id, RS_WIRE_IDENTIFIER),
		       -1;
	}
	/* bounded work per message whatever the input claims */
	fb::Verifier v(p, len, 16 /* depth */, 4000000 /* tables */);
	if (!w::VerifyBatchBuffer(v))
		return d.fail("corrupt or truncated ringscope batch (%zu bytes): "
			      "FlatBuffers verification failed", len),
		       -1;
	return d.batch(w::GetBatch(p)) ? 0 : -1;
}
