# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Makefile - builds ringscope into build/: BPF objects and skeletons, the shm
# library, the agent, tools, tests and benchmarks. `make help` lists targets.
# Parts (agent/, kmod/, tools/ ...) add themselves through their *.mk files.

.DELETE_ON_ERROR:
.SECONDARY:
.DEFAULT_GOAL := all

BUILD     ?= build
CC        ?= cc
CLANG     ?= clang
BPFTOOL   ?= bpftool
ARCH      := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# ---- Debian packages the project uses (parts append to this) -------------
DEB_PACKAGES := make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev \
	pkg-config libcmocka-dev liburing-dev libclang-rt-14-dev spin \
	libjansson-dev iperf3 iproute2 nftables libbpf-tools stress-ng fio

# ---- flags ----------------------------------------------------------------
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -g -Wall -Wextra -Werror \
	-Iinclude -Ishm -Itests/bpf -I$(BUILD) -I$(BUILD)/skel
CFLAGS        ?= -O2
ALL_CFLAGS    := $(CFLAGS_COMMON) $(CFLAGS)
SAN_FLAGS     := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
TSAN_FLAGS    := -O1 -fno-omit-frame-pointer -fsanitize=thread
LIBBPF_LIBS   := -lbpf -lelf -lz
BPF_CFLAGS    := -target bpf -g -O2 -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
	-Wall -Werror -Iinclude -Ibpf -Itests/bpf -I$(BUILD)

# ---- BPF: vmlinux.h -> .bpf.o -> .skel.h ----------------------------------
# Every *.bpf.c under these folders; names must be unique across them.
BPF_DIRS    := bpf tests/bpf perf
BPF_SOURCES := $(foreach d,$(BPF_DIRS),$(wildcard $(d)/*.bpf.c))
BPF_OBJS    := $(patsubst %.bpf.c,$(BUILD)/bpfobj/%.bpf.o,$(notdir $(BPF_SOURCES)))
BPF_SKELS   := $(patsubst %.bpf.c,$(BUILD)/skel/%.skel.h,$(notdir $(BPF_SOURCES)))
vpath %.bpf.c $(BPF_DIRS)

$(BUILD)/vmlinux.h:
	$(call msg,BTF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(BUILD)/bpfobj/%.bpf.o: %.bpf.c $(BUILD)/vmlinux.h $(wildcard bpf/*.bpf.h) \
		include/ringscope/ring.h include/ringscope/record.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/skel/%.skel.h: $(BUILD)/bpfobj/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

# ---- shm: the ring consumer library ---------------------------------------
SHM_SOURCES := $(wildcard shm/*.c)
SHM_LIB     := $(BUILD)/libringscope-shm.a
SHM_LIB_SAN := $(BUILD)/san/libringscope-shm.a
HEADERS     := $(wildcard include/ringscope/*.h shm/*.h)

$(BUILD)/obj/%.o: %.c $(HEADERS) | $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/san/obj/%.o: %.c $(HEADERS) | $(BPF_SKELS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

$(SHM_LIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(SHM_SOURCES))
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SHM_LIB_SAN): $(patsubst %.c,$(BUILD)/san/obj/%.o,$(SHM_SOURCES))
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- tests ----------------------------------------------------------------
# Unit tests: tests/unit/test_*.c, each one binary, built twice: plain and
# with ASan+UBSan. BPF tests: tests/bpf/test_*.c (need root), plain only.
# Parts append binaries to TEST_PROGS (run by tests/run.sh in this order).
UNIT_TESTS  := $(basename $(notdir $(wildcard tests/unit/test_*.c)))
BPF_TESTS   := $(basename $(notdir $(wildcard tests/bpf/test_*.c)))
TEST_LIBS   := -lcmocka -luring -ljansson -lpthread
TEST_PROGS  := $(addprefix $(BUILD)/tests/,$(UNIT_TESTS)) \
	$(addprefix $(BUILD)/tests-san/,$(UNIT_TESTS)) \
	$(BUILD)/tests-tsan/test_ring_stress $(BUILD)/tests/fuzz_ring_brief \
	tests/model/run.sh \
	$(addprefix $(BUILD)/tests/,$(BPF_TESTS))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(SHM_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(TEST_LIBS) $(LIBBPF_LIBS)

$(BUILD)/tests-san/%: $(BUILD)/san/obj/tests/unit/%.o $(SHM_LIB_SAN)
	$(call msg,LINK-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $^ -o $@ $(TEST_LIBS) $(LIBBPF_LIBS)

# work in progress, built by hand only: tests/bpf/wip_*.c
$(BUILD)/tests/wip_%: $(BUILD)/obj/tests/bpf/wip_%.o $(SHM_LIB) | $(BPF_SKELS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(TEST_LIBS) $(LIBBPF_LIBS)

# the ring protocol's threads under ThreadSanitizer (C11 memory model)
$(BUILD)/tests-tsan/test_ring_stress: tests/unit/test_ring_stress.c $(SHM_SOURCES) $(HEADERS)
	$(call msg,LINK-TSAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(TSAN_FLAGS) tests/unit/test_ring_stress.c \
		$(SHM_SOURCES) -o $@ $(TEST_LIBS) $(LIBBPF_LIBS)

# the BPF probe loader of the agent, linked into the BPF tests
PROBE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard agent/probes/*.c))

$(BUILD)/tests/test_bpf_%: $(BUILD)/obj/tests/bpf/test_bpf_%.o $(PROBE_OBJS) $(SHM_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(TEST_LIBS) $(LIBBPF_LIBS)

# Fuzz targets (libFuzzer): tests/fuzz/fuzz_*.c against the shm sources; a
# brief run in `make test`, FUZZ_SECONDS=600 make fuzz-ring for a long one.
RING_FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Ishm \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
RING_FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(SHM_SOURCES) $(HEADERS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(RING_FUZZ_FLAGS) $< $(SHM_SOURCES) -o $@ $(LIBBPF_LIBS)

$(BUILD)/tests/fuzz_ring_brief: tests/fuzz/run.sh $(RING_FUZZ_BINS)
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s 5 %s\n' "$(abspath tests/fuzz/run.sh)" \
		"$(foreach b,$(RING_FUZZ_BINS),$(abspath $(b))=$(abspath tests/fuzz/seeds/$(notdir $(b))))" > $@ && chmod +x $@

# programs that embed skeletons rebuild when a BPF object changes
$(patsubst %,$(BUILD)/obj/tests/bpf/%.o,$(BPF_TESTS)) $(BUILD)/obj/perf/ringbench.o: $(BPF_SKELS)

# ---- benchmarks -----------------------------------------------------------
$(BUILD)/perf/ringbench: $(BUILD)/obj/perf/ringbench.o $(SHM_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LIBBPF_LIBS) -lpthread -lm

# ---- parts ----------------------------------------------------------------
ALL_TARGETS := $(SHM_LIB) $(BPF_SKELS) $(if $(wildcard perf/ringbench.c),$(BUILD)/perf/ringbench)
include $(sort $(wildcard agent/*.mk kmod/*.mk tools/*.mk tests/*.mk))

# ---- top-level targets ----------------------------------------------------
.PHONY: all deps test bench-ring fuzz-ring clean help

all: $(ALL_TARGETS) $(TEST_PROGS)

deps:
	$(Q)DEB_PACKAGES="$(sort $(DEB_PACKAGES))" sh tools/install-deps.sh

test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tests/run.sh $(TEST_PROGS)

bench-ring: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/perf/ringbench
	$(Q)$(BUILD)/perf/ringbench $(BENCH_ARGS)

fuzz-ring: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/fuzz_ring_brief
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-300} $(BUILD)/tests/fuzz_ring_brief

clean:
	rm -rf $(BUILD)

help:
	@echo 'make deps           install the Debian packages the project uses (apt-get)'
	@echo 'make [all]          build everything into $(BUILD)/'
	@echo 'make run            build and start ringscoped (foreground, embedded config)'
	@echo 'make test           install deps, build, run every test'
	@echo 'make clean          remove $(BUILD)/'
	@echo 'benchmarks (results in perf/RESULTS.md):'
	@echo '  bench-ring        ring vs BPF ringbuf vs perf buffer producer cost'
	@echo '  bench-drain       agent drain + aggregate rate'
	@echo '  bench-idle        agent CPU and RSS when idle'
	@echo '  bench-export      Kafka export, FlatBuffers vs JSON'
	@echo 'longer runs:'
	@echo '  fuzz fuzz-ring fuzz-collect fuzz-detect fuzz-export   libFuzzer, FUZZ_SECONDS each'
	@echo '  outage-export     60 s Kafka broker outage'
	@echo '  scenarios         fault-injection scenarios, full length'
	@echo '  detect-eval       detectors on the NAB series'
	@echo 'kernel module: kmod test-kmod dkms-install dkms-remove kmod-checkpatch'
	@echo 'V=1                 show the commands'
