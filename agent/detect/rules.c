// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rules.c - kernel-log rules: Hyperscan to find, POSIX regex to extract. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "rules.h"

#define MAX_LINE 8192

struct rule {
	struct rs_kmsg_rule cfg;
	regex_t re;
};

struct rs_rules {
	struct rule *rules;
	size_t n;
	hs_database_t *db;
	hs_scratch_t *scratch;
	unsigned char *hit;	/* per rule: matched in this scan */
};

static void warnf(rs_warn_fn warn, void *ctx, const char *fmt, const char *a,
		  const char *b)
{
	char msg[768];

	snprintf(msg, sizeof(msg), fmt, a, b);
	if (warn)
		warn(ctx, msg);
}

/* Both engines must accept the pattern, and the group must exist. */
static int check_rule(const struct rs_kmsg_rule *cfg, regex_t *re, rs_warn_fn warn, void *ctx)
{
	hs_database_t *db = NULL;
	hs_compile_error_t *cerr = NULL;
	char ebuf[256];
	int rc;

	if (hs_compile(cfg->pattern, HS_FLAG_SINGLEMATCH, HS_MODE_BLOCK, NULL, &db, &cerr)
	    != HS_SUCCESS) {
		warnf(warn, ctx, "kmsg rule %s: Hyperscan rejects the pattern: %s; rule skipped",
		      cfg->name, cerr ? cerr->message : "?");
		hs_free_compile_error(cerr);
		return -1;
	}
	hs_free_database(db);
	rc = regcomp(re, cfg->pattern, REG_EXTENDED);
	if (rc) {
		regerror(rc, re, ebuf, sizeof(ebuf));
		warnf(warn, ctx, "kmsg rule %s: not a POSIX extended regex: %s; rule skipped",
		      cfg->name, ebuf);
		return -1;
	}
	if ((size_t)cfg->group > re->re_nsub) {
		char gs[16];

		snprintf(gs, sizeof(gs), "%d", cfg->group);
		warnf(warn, ctx, "kmsg rule %s: the pattern has no group %s; rule skipped",
		      cfg->name, gs);
		regfree(re);
		return -1;
	}
	return 0;
}

struct rs_rules *rs_rules_new(const struct rs_kmsg_rule *rules, size_t n, rs_warn_fn warn,
			      void *ctx)
{
	struct rs_rules *r = calloc(1, sizeof(*r));
	const char **exprs = NULL;
	unsigned int *flags = NULL, *ids = NULL;
	hs_compile_error_t *cerr = NULL;

	if (!r)
		return NULL;
	r->rules = calloc(n ? n : 1, sizeof(*r->rules));
	if (!r->rules)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct rule *dst = &r->rules[r->n];

		dst->cfg = rules[i];
		dst->cfg.name[sizeof(dst->cfg.name) - 1] = 0;
		dst->cfg.pattern[sizeof(dst->cfg.pattern) - 1] = 0;
		dst->cfg.entity[sizeof(dst->cfg.entity) - 1] = 0;
		if (check_rule(&dst->cfg, &dst->re, warn, ctx) == 0)
			r->n++;
	}
	r->hit = calloc(r->n ? r->n : 1, 1);
	if (!r->hit)
		goto fail;
	if (!r->n)
		return r;
	exprs = calloc(r->n, sizeof(*exprs));
	flags = calloc(r->n, sizeof(*flags));
	ids = calloc(r->n, sizeof(*ids));
	if (!exprs || !flags || !ids)
		goto fail;
	for (size_t i = 0; i < r->n; i++) {
		exprs[i] = r->rules[i].cfg.pattern;
		flags[i] = HS_FLAG_SINGLEMATCH;
		ids[i] = (unsigned int)i;
	}
	if (hs_compile_multi(exprs, flags, ids, (unsigned int)r->n, HS_MODE_BLOCK, NULL,
			     &r->db, &cerr) != HS_SUCCESS) {
		warnf(warn, ctx, "kmsg rules: Hyperscan cannot compile the set: %s%s",
		      cerr ? cerr->message : "?", "");
		hs_free_compile_error(cerr);
		goto fail;
	}
	if (hs_alloc_scratch(r->db, &r->scratch) != HS_SUCCESS)
		goto fail;
	free(exprs);
	free(flags);
	free(ids);
	return r;
fail:
	free(exprs);
	free(flags);
	free(ids);
	rs_rules_free(r);
	return NULL;
}

size_t rs_rules_count(const struct rs_rules *r)
{
	return r->n;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	struct rs_rules *r = ctx;

	(void)from;
	(void)to;
	(void)flags;
	if (id < r->n)
		r->hit[id] = 1;
	return 0;
}

int rs_rules_match(struct rs_rules *r, const char *line, size_t len, rs_rule_hit_fn hit,
		   void *ctx)
{
	char text[MAX_LINE + 1], entity[256];
	int matched = 0;

	if (!r->db)
		return 0;
	if (len > MAX_LINE)
		len = MAX_LINE;
	memset(r->hit, 0, r->n);
	if (hs_scan(r->db, line, (unsigned int)len, 0, r->scratch, on_match, r) != HS_SUCCESS)
		return -1;
	memcpy(text, line, len);
	text[len] = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct rule *ru = &r->rules[i];
		regmatch_t m[10];
		int g = ru->cfg.group;

		if (!r->hit[i])
			continue;
		/* NUL in the line: the regex sees only the part before it */
		if (regexec(&ru->re, text, 10, m, 0) != 0)
			continue;
		if (g > 0 && m[g].rm_so >= 0) {
			size_t n = (size_t)(m[g].rm_eo - m[g].rm_so);

			if (n >= sizeof(entity))
				n = sizeof(entity) - 1;
			memcpy(entity, text + m[g].rm_so, n);
			entity[n] = 0;
		} else {
			strcpy(entity, "kernel");
		}
		matched++;
		if (hit)
			hit(ctx, &ru->cfg, entity);
	}
	return matched;
}

void rs_rules_free(struct rs_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		regfree(&r->rules[i].re);
	hs_free_scratch(r->scratch);
	hs_free_database(r->db);
	free(r->rules);
	free(r->hit);
	free(r);
}
