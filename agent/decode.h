/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * decode.h - record decoders: record type -> decoder function -> entity.
 *
 * A decoder names the meta table it fills, the key/label fields it renders
 * from its binary key, and its metrics (how each accumulates within an
 * interval, and histogram buckets). Adding a record type's decoder is one
 * file defining a struct rs_decoder plus one line in RS_DECODERS below.
 * Tests and benchmarks may register more at run time.
 */
#ifndef RINGSCOPE_AGENT_DECODE_H
#define RINGSCOPE_AGENT_DECODE_H

#include <stdint.h>

#include <ringscope/record.h>

#include "acc.h"
#include "meta.h"
#include "store.h"

enum rs_acc_op {
	RS_ACC_ADD,		/* sum over the interval (counters add up across intervals) */
	RS_ACC_SET,		/* last value */
	RS_ACC_MAX,		/* largest value */
};

struct rs_dec_metric {
	const char *name;	/* meta field name */
	int op;			/* enum rs_acc_op (not for histograms) */
	unsigned int nb;	/* > 0: histogram with these buckets */
	const double *bounds;	/* nb ascending upper bounds */
};

#define RS_DEC_TEXT 64

struct rs_decoder {
	const char *name;
	uint32_t type;			/* enum rs_record_type */
	uint32_t version;
	const char *table;		/* meta table it fills */
	const char *const *fields;	/* key and label names it renders */
	unsigned int nfields;
	const struct rs_dec_metric *metrics;
	unsigned int nmetrics;
	/* fold one record into the accumulator (hot path: no allocation) */
	void (*decode)(struct rs_acc *a, const struct rs_record *rec);
	/* render a row's key and labels into out[nfields] */
	void (*format)(const struct rs_acc_slot *s, char out[][RS_DEC_TEXT]);
};

/* The built-in decoders: X(record type name, decoder object). */
#define RS_DECODERS(X)				\
	X(SELFTEST, rs_decoder_selftest)

#define RS_X_DECL(type, obj) extern const struct rs_decoder obj;
RS_DECODERS(RS_X_DECL)
#undef RS_X_DECL

/* A decoder bound to the loaded meta: where each field and metric goes. */
struct rs_dec_binding {
	const struct rs_decoder *dec;
	const struct rs_entity_def *entity;
	int field_slot[16];		/* entity key (>= 0) or label (-1 - slot) */
	unsigned int metric_slot[32];
};

struct rs_decoder_table {
	struct rs_dec_binding *by_type[256];	/* NULL: no (enabled) decoder */
	struct rs_dec_binding bindings[64];
	unsigned int nbindings;
};

/*
 * Bind the built-in decoders plus extra[] (may be NULL) to the meta set.
 * A decoder whose table is missing or disagrees is left out, with an error
 * written through log(msg). Returns the number bound.
 */
unsigned int rs_decoders_bind(struct rs_decoder_table *t, const struct rs_meta_set *meta,
			      const struct rs_decoder *const *extra, unsigned int nextra,
			      void (*log)(const char *msg));

/* Fold every row of a into st (as of now_ns), then reset a. */
void rs_acc_merge(struct rs_store *st, const struct rs_dec_binding *b,
		  struct rs_acc *a, uint64_t now_ns);

#endif /* RINGSCOPE_AGENT_DECODE_H */
