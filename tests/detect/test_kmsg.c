// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_kmsg.c - Description: /dev/kmsg records parse (fields, continuation
 * flag, DEVICE= dictionary line) and malformed ones are refused; the
 * built-in kernel-log rules find I/O errors, OOM kills, soft lockups, hung
 * tasks, link down and filesystem errors with the right entity; bad rules
 * are skipped with a clear message; kmsg alarms open, count and recover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "kmsg.h"
#include "rules.h"

#define S 1000000000ull

static void test_parse(void **state)
{
	const char rec[] = "6,1234,56789012,-;sd 2:0:0:0: [sda] tag#0 FAILED\n"
			   " SUBSYSTEM=scsi\n DEVICE=+scsi:2:0:0:0\n";
	const char cont[] = "12,7,1,c,extra;tail";
	struct rs_kmsg k;

	(void)state;
	assert_int_equal(rs_kmsg_parse(rec, sizeof(rec) - 1, &k), 0);
	assert_int_equal(k.facility, 0);
	assert_int_equal(k.level, 6);
	assert_int_equal(k.seq, 1234);
	assert_int_equal(k.ts_us, 56789012);
	assert_false(k.continuation);
	assert_int_equal(k.msg_len, strlen("sd 2:0:0:0: [sda] tag#0 FAILED"));
	assert_memory_equal(k.msg, "sd 2:0:0:0: [sda]", 17);
	assert_int_equal(k.device_len, strlen("+scsi:2:0:0:0"));
	assert_memory_equal(k.device, "+scsi:2:0:0:0", k.device_len);
	assert_int_equal(rs_kmsg_parse(cont, sizeof(cont) - 1, &k), 0);
	assert_int_equal(k.facility, 1);
	assert_int_equal(k.level, 4);
	assert_true(k.continuation);
	assert_int_equal(k.msg_len, 4);
	assert_int_equal(rs_kmsg_parse("1,2,3;", 6, &k), 0);	/* no flags, empty */
	assert_int_equal(k.msg_len, 0);
}

static void test_parse_malformed(void **state)
{
	static const char *const bad[] = {
		"", ";", "6;msg", "6,1;msg", "6,1,2", "6,1,2,-", "x,1,2,-;m", "6,,2,-;m",
		"6,1,2x,-;m", "99999999999999999999999,1,2,-;m", "-6,1,2,-;m", "6 ,1,2,-;m",
	};
	struct rs_kmsg k;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rs_kmsg_parse(bad[i], strlen(bad[i]), &k) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
	}
}

struct hits {
	int n;
	char rule[8][64], entity[8][128];
};

static void on_hit(void *ctx, const struct rs_kmsg_rule *rule, const char *entity)
{
	struct hits *h = ctx;

	if (h->n < 8) {
		snprintf(h->rule[h->n], 64, "%s", rule->name);
		snprintf(h->entity[h->n], 128, "%s", entity);
	}
	h->n++;
}

static void test_default_rules(void **state)
{
	static const struct {
		const char *line, *rule, *entity;
	} cases[] = {
		{ "blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE) flags 0x0",
		  "io_error", "sdb" },
		{ "I/O error, dev loop0, sector 0 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0",
		  "io_error", "loop0" },
		{ "Buffer I/O error on dev dm-0, logical block 0, async page read",
		  "buffer_io_error", "dm-0" },
		{ "Out of memory: Killed process 4242 (stress-ng) total-vm:1234kB, anon-rss:1kB",
		  "oom_kill", "4242" },
		{ "Memory cgroup out of memory: Killed process 77 (python3) total-vm:1kB",
		  "oom_kill", "77" },
		{ "watchdog: BUG: soft lockup - CPU#3 stuck for 23s! [kworker/3:1:123]",
		  "soft_lockup", "3" },
		{ "INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.",
		  "hung_task", "312" },
		{ "e1000e 0000:00:19.0 eth0: NIC Link is Down", "link_down", "eth0" },
		{ "ixgbe 0000:01:00.0 ens1f0: Link is down", "link_down", "ens1f0" },
		{ "EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls",
		  "fs_error", "sda1" },
		{ "XFS (vdb): Corruption detected. Unmount and run xfs_repair", "fs_error", "vdb" },
	};
	struct rs_detect_config cfg;
	struct rs_rules *r;
	char err[128];

	(void)state;
	assert_int_equal(rs_detect_config_parse(&cfg, NULL, "-", NULL, NULL, err, sizeof(err)), 0);
	r = rs_rules_new(cfg.kmsg_rules, cfg.nkmsg_rules, NULL, NULL);
	assert_non_null(r);
	assert_int_equal(rs_rules_count(r), cfg.nkmsg_rules);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hits h = { 0 };

		assert_int_equal(rs_rules_match(r, cases[i].line, strlen(cases[i].line), on_hit, &h), 1);
		assert_string_equal(h.rule[0], cases[i].rule);
		assert_string_equal(h.entity[0], cases[i].entity);
	}
	{
		struct hits h = { 0 };
		const char *quiet = "usb 1-1: new high-speed USB device number 2 using ehci-pci";

		assert_int_equal(rs_rules_match(r, quiet, strlen(quiet), on_hit, &h), 0);
	}
	rs_rules_free(r);
	rs_detect_config_free(&cfg);
}

struct warnings {
	int n;
	char text[8][512];
};

static void collect(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	if (w->n < 8)
		snprintf(w->text[w->n], sizeof(w->text[0]), "%s", msg);
	w->n++;
}

static void test_bad_rules(void **state)
{
	struct rs_kmsg_rule rules[4];
	struct warnings w = { 0 };
	struct hits h = { 0 };
	struct rs_rules *r;

	(void)state;
	memset(rules, 0, sizeof(rules));
	for (int i = 0; i < 4; i++) {
		snprintf(rules[i].name, sizeof(rules[i].name), "r%d", i);
		snprintf(rules[i].entity, sizeof(rules[i].entity), "host");
		rules[i].group = 1;
		rules[i].severity = 13;
	}
	snprintf(rules[0].pattern, sizeof(rules[0].pattern), "(a)\\1");	/* backref */
	snprintf(rules[1].pattern, sizeof(rules[1].pattern), "(?i)disk ([a-z]+)");
	snprintf(rules[2].pattern, sizeof(rules[2].pattern), "no group here");
	snprintf(rules[3].pattern, sizeof(rules[3].pattern), "disk ([a-z]+) died");
	r = rs_rules_new(rules, 4, collect, &w);
	assert_non_null(r);
	assert_int_equal(rs_rules_count(r), 1);
	assert_int_equal(w.n, 3);
	assert_non_null(strstr(w.text[0], "kmsg rule r0: Hyperscan rejects the pattern: "));
	assert_non_null(strstr(w.text[0], "; rule skipped"));
	assert_non_null(strstr(w.text[1], "kmsg rule r1: not a POSIX extended regex: "));
	assert_string_equal(w.text[2], "kmsg rule r2: the pattern has no group 1; rule skipped");
	assert_int_equal(rs_rules_match(r, "disk sda died", 13, on_hit, &h), 1);
	assert_string_equal(h.entity[0], "sda");
	rs_rules_free(r);
	r = rs_rules_new(rules, 0, NULL, NULL);	/* empty set */
	assert_non_null(r);
	assert_int_equal(rs_rules_match(r, "x", 1, on_hit, &h), 0);
	rs_rules_free(r);
}

struct sink {
	int n, kind[16];
	char entity[16][64];
};

static void sink(void *ctx, const struct rs_event *ev, const char *json, size_t len)
{
	struct sink *s = ctx;

	(void)json;
	(void)len;
	if (s->n < 16) {
		s->kind[s->n] = ev->kind;
		snprintf(s->entity[s->n], 64, "%s/%s", ev->entity_name, ev->entity_id);
	}
	s->n++;
}

static void test_engine_kmsg(void **state)
{
	struct sink s = { 0 };
	struct rs_detect_opts opts = { NULL, "m", sink, &s, NULL, NULL };
	struct rs_detect_config cfg;
	struct rs_detect_stats st;
	struct rs_detect *d;
	char err[128];
	const char io[] = "3,100,1000,-;I/O error, dev sdc, sector 8 op 0x1:(WRITE)";

	(void)state;
	assert_int_equal(rs_detect_config_parse(&cfg, NULL, "-", NULL, NULL, err, sizeof(err)), 0);
	d = rs_detect_new(&cfg, &opts);
	rs_detect_config_free(&cfg);
	assert_non_null(d);
	assert_int_equal(rs_detect_kmsg(d, io, sizeof(io) - 1, 1 * S), 1);
	assert_int_equal(rs_detect_kmsg(d, io, sizeof(io) - 1, 1 * S), 1);	/* same alarm */
	assert_int_equal(rs_detect_kmsg(d, "garbage", 7, 1 * S), -1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.kind[0], RS_EVENT_OPEN);
	assert_string_equal(s.entity[0], "block/sdc");
	rs_detect_tick_end(d, 2 * S);	/* the tick it was seen in */
	rs_detect_tick_end(d, 3 * S);
	assert_int_equal(s.n, 1);
	rs_detect_tick_end(d, 4 * S);	/* two quiet ticks */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.kind[1], RS_EVENT_RECOVER);
	rs_detect_get_stats(d, &st);
	assert_int_equal(st.kmsg_lines, 3);
	assert_int_equal(st.kmsg_bad, 1);
	assert_int_equal(st.kmsg_matches, 2);
	rs_detect_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_default_rules),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_engine_kmsg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
