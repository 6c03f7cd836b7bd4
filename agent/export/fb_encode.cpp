// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// fb_encode.cpp - encodes export batches as ringscope.fbs FlatBuffers messages,
// carrying only the strings and entity definitions each message uses.
#include "fb_encode.h"

#include <new>
#include <vector>

#include "ringscope_generated.h"

namespace fb = flatbuffers;
namespace w = ringscope::wire;

/* Maps batch-wide ids (strings, defs) to message-local ones; a generation
 * stamp per slot avoids clearing the map for every message. */
struct id_map {
	std::vector<uint32_t> stamp, local;
	std::vector<uint32_t> used; /* batch ids in local order */
	uint32_t gen = 0;

	void start(uint32_t n)
	{
		if (stamp.size() < n) {
			stamp.resize(n, 0);
			local.resize(n, 0);
		}
		if (++gen == 0) {
			std::fill(stamp.begin(), stamp.end(), 0);
			gen = 1;
		}
		used.clear();
	}
	uint32_t get(uint32_t id)
	{
		if (stamp[id] != gen) {
			stamp[id] = gen;
			local[id] = (uint32_t)used.size();
			used.push_back(id);
		}
		return local[id];
	}
};

struct rs_fb_encoder {
	fb::FlatBufferBuilder fbb{1 << 20};
	id_map strs, defs;
	std::vector<fb::Offset<w::Row>> rows;
	std::vector<fb::Offset<w::Histogram>> hists;
	std::vector<fb::Offset<w::Event>> events;
	std::vector<fb::Offset<w::EntityDef>> edefs;
	std::vector<fb::Offset<w::MetricDef>> mdefs;
	std::vector<fb::Offset<fb::String>> strings;
};

/* A vector of n message-local string ids for batch string ids ids[0..n). */
static fb::Offset<fb::Vector<uint32_t>> str_vector(rs_fb_encoder *e,
						    const uint32_t *ids, uint32_t n)
{
	uint32_t *p;
	auto off = e->fbb.CreateUninitializedVector(n, &p);

	for (uint32_t i = 0; i < n; i++)
		fb::WriteScalar(p + i, e->strs.get(ids[i]));
	return off;
}

static void begin(rs_fb_encoder *e, const rs_xbatch *b)
{
	e->fbb.Clear();
	e->strs.start(b->n_strings);
	e->defs.start(b->n_defs);
	e->strs.get(RS_XSTR_EMPTY); /* local 0 is "" */
}

/* The defs used so far (in local order), then strings, then the Batch. */
static void finish(rs_fb_encoder *e, const rs_xbatch *b, bool descriptions,
		   fb::Offset<fb::Vector<fb::Offset<w::Row>>> rows,
		   fb::Offset<fb::Vector<fb::Offset<w::Event>>> events,
		   uint64_t seq, uint32_t part, uint32_t parts)
{
	fb::FlatBufferBuilder &f = e->fbb;

	e->edefs.clear();
	for (uint32_t id : e->defs.used) {
		const rs_xentity_def *d = &b->defs[id];

		e->mdefs.clear();
		for (uint32_t m = 0; m < d->n_metrics; m++) {
			const rs_xmetric_def *md = &b->mdefs[d->metrics + m];

			e->mdefs.push_back(w::CreateMetricDef(
				f, e->strs.get(md->name), (w::MetricType)md->type,
				descriptions ? e->strs.get(md->description) : 0));
		}
		auto keys = str_vector(e, b->refs + d->keys, d->n_keys);
		auto labels = str_vector(e, b->refs + d->labels, d->n_labels);
		auto metrics = f.CreateVector(e->mdefs);
		e->edefs.push_back(w::CreateEntityDef(f, e->strs.get(d->entity_name),
						      e->strs.get(d->table_name),
						      e->strs.get(d->version), keys,
						      labels, metrics));
	}
	auto defs = f.CreateVector(e->edefs);
	auto machine_id = f.CreateString(rs_xbatch_s(b, b->machine_id),
					 b->str_len[b->machine_id]);
	auto hostname = f.CreateString(rs_xbatch_s(b, b->hostname),
				       b->str_len[b->hostname]);
	e->strings.clear();
	for (uint32_t id : e->strs.used)
		e->strings.push_back(f.CreateString(rs_xbatch_s(b, id), b->str_len[id]));
	auto strings = f.CreateVector(e->strings);
	w::BatchBuilder bb(f);
	bb.add_version(RS_WIRE_VERSION);
	bb.add_machine_id(machine_id);
	bb.add_hostname(hostname);
	bb.add_timestamp_ms(b->timestamp_ms);
	bb.add_seq(seq);
	bb.add_part(part);
	bb.add_parts(parts);
	bb.add_strings(strings);
	bb.add_defs(defs);
	if (!rows.IsNull())
		bb.add_rows(rows);
	if (!events.IsNull())
		bb.add_events(events);
	f.Finish(bb.Finish(), w::BatchIdentifier());
}

static fb::Offset<w::Row> encode_row(rs_fb_encoder *e, const rs_xbatch *b,
				     const rs_xrow *r)
{
	fb::FlatBufferBuilder &f = e->fbb;
	const rs_xentity_def *d = &b->defs[r->def];
	fb::Offset<fb::Vector<fb::Offset<w::Histogram>>> hists;

	if (r->n_hists) {
		e->hists.clear();
		for (uint32_t i = 0; i < r->n_hists; i++) {
			const rs_xhist *h = &b->hists[r->hists + i];
			auto le = f.CreateVector(b->le + h->bucket, h->n_buckets);
			auto counts = f.CreateVector(b->counts + h->bucket, h->n_buckets);

			e->hists.push_back(w::CreateHistogram(f, (uint16_t)h->metric, le,
							      counts, h->sum, h->count));
		}
		hists = f.CreateVector(e->hists);
	}
	auto labels = str_vector(e, b->refs + r->labels, d->n_keys + d->n_labels);
	auto values = f.CreateVector(b->values + r->values, d->n_metrics);
	return w::CreateRow(f, (uint16_t)e->defs.get(r->def), labels, values, hists,
			    r->timestamp_ms);
}

extern "C" {

struct rs_fb_encoder *rs_fb_encoder_new(void)
{
	return new (std::nothrow) rs_fb_encoder();
}

void rs_fb_encoder_free(struct rs_fb_encoder *e)
{
	delete e;
}

int rs_fb_encode_rows(struct rs_fb_encoder *e, const struct rs_xbatch *b,
		      uint32_t first, uint32_t n, uint32_t part, uint32_t parts,
		      const uint8_t **out, size_t *len)
{
	if ((uint64_t)first + n > b->n_rows)
		return -1;
	begin(e, b);
	e->rows.clear();
	for (uint32_t i = 0; i < n; i++)
		e->rows.push_back(encode_row(e, b, &b->rows[first + i]));
	auto rows = e->fbb.CreateVector(e->rows);
	finish(e, b, false, rows, 0, b->seq, part, parts);
	*out = e->fbb.GetBufferPointer();
	*len = e->fbb.GetSize();
	return 0;
}

int rs_fb_encode_events(struct rs_fb_encoder *e, const struct rs_xbatch *b,
			uint32_t first, uint32_t n, const uint8_t **out, size_t *len)
{
	if ((uint64_t)first + n > b->n_events)
		return -1;
	begin(e, b);
	e->events.clear();
	for (uint32_t i = 0; i < n; i++) {
		const rs_xevent *v = &b->events[first + i];
		w::EventBuilder eb(e->fbb);
		id_map &s = e->strs;

		eb.add_timestamp_ms(v->timestamp_ms);
		eb.add_event_id(s.get(v->event_id));
		eb.add_entity_id(s.get(v->entity_id));
		eb.add_entity_name(s.get(v->entity_name));
		eb.add_event_type(s.get(v->event_type));
		eb.add_metric(s.get(v->metric));
		eb.add_severity_text(s.get(v->severity_text));
		eb.add_severity_number(v->severity_number);
		eb.add_duration(v->duration);
		eb.add_occurred(v->occurred);
		eb.add_body(s.get(v->body));
		eb.add_pid(s.get(v->pid));
		eb.add_comm(s.get(v->comm));
		eb.add_ip(s.get(v->ip));
		eb.add_container_id(s.get(v->container_id));
		eb.add_pod_id(s.get(v->pod_id));
		eb.add_device(s.get(v->device));
		e->events.push_back(eb.Finish());
	}
	auto events = e->fbb.CreateVector(e->events);
	finish(e, b, false, 0, events, b->seq, 0, 1);
	*out = e->fbb.GetBufferPointer();
	*len = e->fbb.GetSize();
	return 0;
}

int rs_fb_encode_defs(struct rs_fb_encoder *e, const struct rs_xbatch *b,
		      uint32_t first, uint32_t n, const uint8_t **out, size_t *len)
{
	if ((uint64_t)first + n > b->n_defs)
		return -1;
	begin(e, b);
	for (uint32_t i = 0; i < n; i++)
		e->defs.get(first + i);
	finish(e, b, true, 0, 0, b->seq, 0, 1);
	*out = e->fbb.GetBufferPointer();
	*len = e->fbb.GetSize();
	return 0;
}

} /* extern "C" */
