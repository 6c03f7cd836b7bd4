# SPDX-License-Identifier: GPL-2.0
# kmod.mk - make targets of the kernel module: build (Kbuild), DKMS install,
# and the qemu test. Included by the top-level Makefile.
#
# The module is built with the kernel's own build system from a copy of the
# files it needs (top-level Kbuild, kmod/, the shared include/ringscope/
# headers) under $(BUILD)/kmod/tree, the same layout DKMS gets, so Kbuild's
# objects stay out of the source tree and several BUILD folders do not
# clash. KDIR: the running kernel's build dir when it exists, else the one
# of Debian's linux-headers-amd64 (this machine's kernel has no modules).

KMOD_KVER_DEFAULT = $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
	uname -r; else dpkg-query -W -f='$${Depends}' linux-headers-amd64 \
	2>/dev/null | sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'; fi)
KMOD_KVER ?= $(KMOD_KVER_DEFAULT)
KDIR ?= /lib/modules/$(KMOD_KVER)/build
KMOD_VERSION := 0.1.0
KMOD_TREE = $(BUILD)/kmod/tree
KMOD_KO = $(KMOD_TREE)/kmod/ringscope.ko
KMOD_FILES := Kbuild $(wildcard kmod/Kbuild kmod/*.c kmod/*.h kmod/dkms.conf) \
	include/ringscope/ring.h include/ringscope/record.h \
	include/ringscope/kmod_uapi.h

DEB_PACKAGES += qemu-system-x86 linux-image-amd64 linux-headers-amd64 \
	busybox-static dkms cpio linux-source-6.1 xz-utils libzstd-dev

.PHONY: kmod kmod-tree test-kmod dkms-install dkms-remove kmod-checkpatch

kmod-tree:
	$(Q)mkdir -p $(KMOD_TREE)
	$(Q)tar -cf - $(KMOD_FILES) | tar -xf - -C $(KMOD_TREE)

kmod: kmod-tree
	$(call msg,KBUILD,$(KMOD_KO) [$(KDIR)])
	$(Q)test -d $(KDIR) || { echo "kmod: no kernel build dir $(KDIR): install linux-headers-amd64 or set KDIR" >&2; exit 1; }
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) M=$(abspath $(KMOD_TREE)) modules

# Source tree under /usr/src, then dkms add/build/install for KMOD_KVER.
DKMS_SRC := /usr/src/ringscope-$(KMOD_VERSION)

dkms-install:
	$(Q)rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	$(Q)tar -cf - $(KMOD_FILES) | tar -xf - -C $(DKMS_SRC)
	$(Q)cp kmod/dkms.conf $(DKMS_SRC)/dkms.conf
	$(Q)dkms status -m ringscope -v $(KMOD_VERSION) | grep -q . || \
		dkms add -m ringscope -v $(KMOD_VERSION)
	$(Q)dkms build -m ringscope -v $(KMOD_VERSION) -k $(KMOD_KVER)
	$(Q)dkms install -m ringscope -v $(KMOD_VERSION) -k $(KMOD_KVER)

dkms-remove:
	$(Q)if dkms status -m ringscope -v $(KMOD_VERSION) | grep -q .; then \
		dkms remove -m ringscope -v $(KMOD_VERSION) --all; fi
	$(Q)rm -rf $(DKMS_SRC)

# Static consumer run inside the qemu guest (shm/ sources linked in).
KMOD_TEST_BIN = $(BUILD)/kmod/rs_kmod_test
KMOD_TEST_SRC := tests/kmod/rs_kmod_test.c shm/kmod.c shm/ring_set.c \
	shm/drain.c

$(KMOD_TEST_BIN): $(KMOD_TEST_SRC) $(HEADERS) shm/kmod_rings.h
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -static -DRS_KMOD_NO_LIBBPF $(KMOD_TEST_SRC) -o $@

test-kmod: deps
	$(Q)$(MAKE) --no-print-directory kmod $(KMOD_TEST_BIN)
	$(Q)BUILD=$(BUILD) KMOD_KVER=$(KMOD_KVER) sh tests/kmod/run-qemu.sh

kmod-checkpatch:
	$(Q)sh tests/kmod/checkpatch.sh kmod
