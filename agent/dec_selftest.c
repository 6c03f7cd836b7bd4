// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dec_selftest.c - decoder of SELFTEST records into entity selftest (per
 * ring cpu and producer kind): records, checksum errors, sequence gaps,
 * last sequence and delivery latency, so the drain path is checked end to
 * end.
 */
#include <stdio.h>

#include "decode.h"

#define NB 24	/* delivery latency buckets: 1 ns .. 2^23 ns (8.4 ms) */

static const double latency_bounds[NB] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
	32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304, 8388608,
};

enum { M_RECORDS, M_CHECK_ERRORS, M_SEQ_GAPS, M_LAST_SEQ, M_DELIVERY };

static const struct rs_dec_metric metrics[] = {
	[M_RECORDS] = { "records", RS_ACC_ADD, 0, NULL },
	[M_CHECK_ERRORS] = { "check_errors", RS_ACC_ADD, 0, NULL },
	[M_SEQ_GAPS] = { "seq_gaps", RS_ACC_ADD, 0, NULL },
	[M_LAST_SEQ] = { "last_seq", RS_ACC_SET, 0, NULL },
	[M_DELIVERY] = { "delivery_ns", RS_ACC_ADD, NB, latency_bounds },
};

static const char *const fields[] = { "cpu", "producer" };

static void decode(struct rs_acc *a, const struct rs_record *rec)
{
	const struct rs_selftest *p = &rec->payload.rs_selftest;
	/* the payload's cpu: user-space producers write rings of any cpu */
	struct rs_acc_slot *s = rs_acc_get(a, (uint64_t)p->cpu << 32 | p->producer);
	uint64_t ts;

	if (!s)
		return;
	s->d[a->off[M_RECORDS]] += 1;
	if (rs_selftest_check(p) != p->check)
		s->d[a->off[M_CHECK_ERRORS]] += 1;
	/* aux[0]: next expected sequence + 1 (0: none seen yet) */
	if (s->aux[0] && p->seq != s->aux[0] - 1)
		s->d[a->off[M_SEQ_GAPS]] += 1;
	s->aux[0] = p->seq + 2;
	s->d[a->off[M_LAST_SEQ]] = (double)p->seq;
	ts = rs_ts_restore(rec->hdr.ts_cpu, a->now_ns);
	rs_acc_observe_log2(&s->d[a->off[M_DELIVERY]], NB,
			    a->now_ns > ts ? a->now_ns - ts : 0);
	a->records++;
}

static void format(const struct rs_acc_slot *s, char out[][RS_DEC_TEXT])
{
	snprintf(out[0], RS_DEC_TEXT, "%u", (unsigned int)(s->key >> 32));
	snprintf(out[1], RS_DEC_TEXT, "%u", (unsigned int)(s->key & 0xffffffffu));
}

const struct rs_decoder rs_decoder_selftest = {
	.name = "selftest",
	.type = RS_REC_SELFTEST,
	.version = RS_REC_SELFTEST_VERSION,
	.table = "selftest",
	.fields = fields,
	.nfields = 2,
	.metrics = metrics,
	.nmetrics = sizeof(metrics) / sizeof(metrics[0]),
	.decode = decode,
	.format = format,
};
