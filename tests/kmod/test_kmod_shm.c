// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_kmod_shm.c - Description: host-side tests of shm/kmod.c where no
 * ringscope.ko can be loaded: error paths of the attach (missing device,
 * a character device that is not ringscope), the bpf/kmod/auto choice and
 * group names. The module itself is tested in qemu (test-kmod.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmod_rings.h"

#define MISSING "/dev/ringscope-test-missing"

static void open_missing_device(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(rs_kmod_open(MISSING, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, MISSING));
	assert_non_null(strstr(err, "ringscope.ko not loaded"));
}

/* /dev/null opens but answers no ioctl: the handshake must say so. */
static void open_foreign_device(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(rs_kmod_open("/dev/null", err, sizeof(err)), -ENOTTY);
	assert_non_null(strstr(err, "version handshake"));
}

static void watcher_errors(void **state)
{
	unsigned int ring = 0;
	char err[256] = "";
	int fd;

	(void)state;
	assert_int_equal(rs_kmod_open_watcher(MISSING, &ring, 1, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, MISSING));
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	assert_true(rs_kmod_set_poll_rings(fd, &ring, 1, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "get geometry"));
	close(fd);
}

static void attach_foreign_fd(void **state)
{
	struct rs_ring_set set;
	char err[256] = "";
	int fd = open("/dev/null", O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	assert_true(rs_ring_set_from_kmod(&set, fd, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "get geometry"));
	assert_null(set.rings);
	assert_int_equal(set.fd, -1);
	close(fd);
}

static void source_choice_names(void **state)
{
	static const char *const names[] = { "auto", "bpf", "kmod" };
	enum rs_source_choice c;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(rs_source_choice_parse(names[i], &c), 0);
		assert_string_equal(rs_source_choice_name(c), names[i]);
	}
	assert_int_equal(rs_source_choice_parse("Kmod", &c), -EINVAL);
	assert_int_equal(rs_source_choice_parse("", &c), -EINVAL);
	assert_int_equal(rs_source_choice_parse(NULL, &c), -EINVAL);
}

static void source_resolve(void **state)
{
	(void)state;
	assert_int_equal(rs_source_resolve(RS_SOURCE_CHOICE_BPF,
					   RS_KMOD_GROUP_SCHED, NULL),
			 RS_SOURCE_BPF);
	/* said kmod: taken as said, the attach reports a missing device */
	assert_int_equal(rs_source_resolve(RS_SOURCE_CHOICE_KMOD,
					   RS_KMOD_GROUP_SCHED, MISSING),
			 RS_SOURCE_KMOD);
	assert_int_equal(rs_source_resolve(RS_SOURCE_CHOICE_AUTO,
					   RS_KMOD_GROUP_SCHED, MISSING),
			 RS_SOURCE_BPF);
	/* a device that is not ringscope offers no group */
	assert_int_equal(rs_source_resolve(RS_SOURCE_CHOICE_AUTO,
					   RS_KMOD_GROUP_TCP, "/dev/null"),
			 RS_SOURCE_BPF);
	/* a group the module does not have is always bpf under auto */
	assert_int_equal(rs_source_resolve(RS_SOURCE_CHOICE_AUTO, 0, NULL),
			 RS_SOURCE_BPF);
}

static void group_names(void **state)
{
	(void)state;
	assert_int_equal(rs_kmod_group_by_name("sched"), RS_KMOD_GROUP_SCHED);
	assert_int_equal(rs_kmod_group_by_name("block"), RS_KMOD_GROUP_BLOCK);
	assert_int_equal(rs_kmod_group_by_name("tcp"), RS_KMOD_GROUP_TCP);
	assert_int_equal(rs_kmod_group_by_name("baseinfo"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_missing_device),
		cmocka_unit_test(open_foreign_device),
		cmocka_unit_test(watcher_errors),
		cmocka_unit_test(attach_foreign_fd),
		cmocka_unit_test(source_choice_names),
		cmocka_unit_test(source_resolve),
		cmocka_unit_test(group_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
