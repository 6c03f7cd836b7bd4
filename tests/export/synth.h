// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// synth.h - synthetic export batches (deterministic from a seed) for the
// export tests, the producer driver and the benchmark.
#ifndef RS_TESTS_EXPORT_SYNTH_H
#define RS_TESTS_EXPORT_SYNTH_H

#include <stdio.h>
#include <string.h>

#include "batch.h"

#define SYNTH_MAX_METRICS 64

/* The value of metric m of entity e in interval seq: integers for even
 * metrics (counters), fractions for odd ones (gauges). */
static inline double synth_value(uint32_t e, uint32_t m, uint64_t seq)
{
	uint64_t x = (e + 1) * 2654435761u + m * 40503u + seq * 97u;

	return (m & 1) ? (double)(x % 100000) / 7.0 : (double)(x % 1000000);
}

/* Fills b (reset first) with the definitions, then n_entities rows of a
 * "synth_proc" entity with n_metrics metrics (plus a "latency" histogram when
 * hist is set) and one "host" row; events when n_events > 0. */
static inline void synth_batch(struct rs_xbatch *b, uint32_t n_entities,
			       uint32_t n_metrics, int hist, uint32_t n_events,
			       uint64_t seq, int64_t ts_ms)
{
	static const char *const keys[] = { "tgid" };
	static const char *const labels[] = { "comm", "container_id" };
	static const char *const host_keys[] = { "os_version" };
	static const char *const host_labels[] = { "hostname" };
	static const char *const host_metrics[] = { "value" };
	static const uint8_t host_types[] = { RS_XMETRIC_GAUGE };
	const char *names[SYNTH_MAX_METRICS + 1], *descs[SYNTH_MAX_METRICS + 1];
	uint8_t types[SYNTH_MAX_METRICS + 1];
	char namebuf[SYNTH_MAX_METRICS + 1][24], descbuf[SYNTH_MAX_METRICS + 1][48];
	uint32_t nm = n_metrics > SYNTH_MAX_METRICS ? SYNTH_MAX_METRICS : n_metrics;
	char s[64];

	rs_xbatch_reset(b);
	b->timestamp_ms = ts_ms;
	b->seq = seq;
	b->machine_id = rs_xbatch_str(b, "0123456789abcdef-192.168.0.7");
	b->hostname = rs_xbatch_str(b, "synth-host");
	for (uint32_t m = 0; m < nm; m++) {
		snprintf(namebuf[m], sizeof(namebuf[m]), "metric_%02u", m);
		snprintf(descbuf[m], sizeof(descbuf[m]), "synthetic metric %u \"quoted\"", m);
		names[m] = namebuf[m];
		descs[m] = descbuf[m];
		types[m] = (m & 1) ? RS_XMETRIC_GAUGE : RS_XMETRIC_COUNTER;
	}
	if (hist) {
		names[nm] = "latency";
		descs[nm] = "latency, us";
		types[nm] = RS_XMETRIC_HISTOGRAM;
	}
	rs_xbatch_add_def(b, "synth_proc", "synth_proc_table", "1.0.0", keys, 1, labels, 2,
			  names, types, descs, nm + (hist ? 1 : 0));
	rs_xbatch_add_def(b, "host", "system_os", "1.0.1", host_keys, 1, host_labels, 1,
			  host_metrics, host_types, NULL, 1);
	for (uint32_t e = 0; e < n_entities; e++) {
		struct rs_xrow *r = rs_xbatch_add_row(b, 0);

		if (!r)
			return;
		snprintf(s, sizeof(s), "%u", 1000 + e);
		b->refs[r->labels] = rs_xbatch_str(b, s);
		snprintf(s, sizeof(s), "proc-%u", e % 500);
		b->refs[r->labels + 1] = rs_xbatch_str(b, s);
		snprintf(s, sizeof(s), "c%u", e % 10);
		b->refs[r->labels + 2] = rs_xbatch_str(b, e % 3 ? s : "");
		for (uint32_t m = 0; m < nm; m++)
			b->values[r->values + m] = synth_value(e, m, seq);
		if (hist) {
			struct rs_xhist *h = rs_xbatch_add_hist(b, nm, 4);
			static const double le[] = { 10, 100, 1000, 1.0 / 0.0 };

			if (!h)
				return;
			for (uint32_t i = 0; i < 4; i++) {
				b->le[h->bucket + i] = le[i];
				b->counts[h->bucket + i] = (e + i) % 5;
			}
			h->count = 0;
			for (uint32_t i = 0; i < 4; i++)
				h->count += b->counts[h->bucket + i];
			h->sum = 12.5 * (double)h->count;
		}
	}
	{
		struct rs_xrow *r = rs_xbatch_add_row(b, 1);

		if (!r)
			return;
		b->refs[r->labels] = rs_xbatch_str(b, "Debian GNU/Linux 12");
		b->refs[r->labels + 1] = rs_xbatch_str(b, "synth-host");
		b->values[r->values] = 1;
		r->timestamp_ms = ts_ms - 1;
	}
	for (uint32_t i = 0; i < n_events; i++) {
		struct rs_xevent *v = rs_xbatch_add_event(b);

		if (!v)
			return;
		v->timestamp_ms = ts_ms + i;
		snprintf(s, sizeof(s), "%lld_%u", (long long)ts_ms, 1000 + i);
		v->event_id = rs_xbatch_str(b, s);
		snprintf(s, sizeof(s), "0123456789abcdef-192.168.0.7_synth_proc_%u", 1000 + i);
		v->entity_id = rs_xbatch_str(b, s);
		v->entity_name = rs_xbatch_str(b, "synth_proc");
		v->event_type = rs_xbatch_str(b, "sys");
		v->metric = rs_xbatch_str(b, "gala_gopher_synth_proc_metric_01");
		v->severity_text = rs_xbatch_str(b, "WARN");
		v->severity_number = 13;
		v->duration = 30 + i;
		v->occurred = 1 + i;
		snprintf(s, sizeof(s), "WARN Entity(%u) metric_01 over \"threshold\"\n", 1000 + i);
		v->body = rs_xbatch_str(b, s);
		snprintf(s, sizeof(s), "%u", 1000 + i);
		v->pid = rs_xbatch_str(b, s);
		v->comm = rs_xbatch_str(b, "proc-1");
		v->device = rs_xbatch_str(b, "sda");
	}
}

#endif
