/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * rules.h - kernel-log rules: every pattern compiled into one Hyperscan
 * block-mode database (one scan of a line finds all the rules it matches),
 * and, for the rules that match, the same pattern as a POSIX extended
 * regex to extract the entity (a capture group). A pattern either engine
 * rejects is reported and its rule skipped.
 */
#ifndef RINGSCOPE_DETECT_RULES_H
#define RINGSCOPE_DETECT_RULES_H

#include <stddef.h>

#include "config.h"

struct rs_rules;

/* Called for each rule a line matches: the rule and the entity id (the
 * capture group's text; "kernel" when the rule has no group). */
typedef void (*rs_rule_hit_fn)(void *ctx, const struct rs_kmsg_rule *rule,
			       const char *entity_id);

/* Compiles the rules (they are copied). Bad ones are reported through
 * warn and skipped. NULL only on out of memory or if Hyperscan cannot
 * allocate; zero valid rules is a valid (empty) set. */
struct rs_rules *rs_rules_new(const struct rs_kmsg_rule *rules, size_t n,
			      rs_warn_fn warn, void *ctx);
/* Number of rules that compiled. */
size_t rs_rules_count(const struct rs_rules *r);
/* Matches one line (need not be NUL-terminated). Returns the number of
 * rules that matched, or -1 on a Hyperscan error. */
int rs_rules_match(struct rs_rules *r, const char *line, size_t len,
		   rs_rule_hit_fn hit, void *ctx);
void rs_rules_free(struct rs_rules *r);

#endif /* RINGSCOPE_DETECT_RULES_H */
