# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# collect.mk - the host collectors (agent/collect/): the library the daemon
# links, their cmocka tests (plain and ASan+UBSan) and libFuzzer targets
# (a brief run in `make test`, a long one with `make fuzz-collect`).

DEB_PACKAGES += liburing-dev libcmocka-dev clang libclang-rt-14-dev

COLLECT_SOURCES  := $(wildcard agent/collect/*.c)
COLLECT_HEADERS  := $(wildcard agent/collect/*.h) $(HEADERS)
COLLECT_CFLAGS   := -Iagent/collect
COLLECT_LIBS     := -luring -lm
COLLECT_OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(COLLECT_SOURCES))
COLLECT_OBJS_SAN := $(patsubst %.c,$(BUILD)/san/obj/%.o,$(COLLECT_SOURCES))
COLLECT_LIB      := $(BUILD)/libringscope-collect.a
COLLECT_LIB_SAN  := $(BUILD)/san/libringscope-collect.a

$(BUILD)/obj/agent/collect/%.o: agent/collect/%.c $(COLLECT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(COLLECT_CFLAGS) -c $< -o $@

$(BUILD)/san/obj/agent/collect/%.o: agent/collect/%.c $(COLLECT_HEADERS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(COLLECT_CFLAGS) -c $< -o $@

$(COLLECT_LIB): $(COLLECT_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(COLLECT_LIB_SAN): $(COLLECT_OBJS_SAN)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- cmocka tests: tests/collect/test_*.c, plain and ASan+UBSan ------------
# Fixture trees are found through COLLECT_FIXTURES (absolute path).
COLLECT_TESTS      := $(basename $(notdir $(wildcard tests/collect/test_*.c)))
COLLECT_TEST_FLAGS := $(COLLECT_CFLAGS) -DCOLLECT_FIXTURES='"$(abspath tests/collect/fixtures)"'

$(BUILD)/obj/tests/collect/%.o: tests/collect/%.c tests/collect/helpers.h $(COLLECT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(COLLECT_TEST_FLAGS) -c $< -o $@

$(BUILD)/san/obj/tests/collect/%.o: tests/collect/%.c tests/collect/helpers.h $(COLLECT_HEADERS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(COLLECT_TEST_FLAGS) -c $< -o $@

$(BUILD)/tests/collect/%: $(BUILD)/obj/tests/collect/%.o $(COLLECT_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(TEST_LIBS) $(COLLECT_LIBS)

$(BUILD)/tests-san/collect/%: $(BUILD)/san/obj/tests/collect/%.o $(COLLECT_LIB_SAN)
	$(call msg,LINK-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $^ -o $@ $(TEST_LIBS) $(COLLECT_LIBS)

# ---- fuzz targets: one binary per parser from tests/collect/fuzz/fuzz_parser.c
COLLECT_FUZZ_PARSERS := stat softirqs softnet cpuinfo meminfo diskstats netdev snmp qdisc \
	mounts hostinfo
COLLECT_FUZZ_BINS    := $(addprefix $(BUILD)/fuzz-collect/fuzz_,$(COLLECT_FUZZ_PARSERS))
COLLECT_FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 $(COLLECT_CFLAGS) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
COLLECT_FUZZ_SRC     := $(addprefix agent/collect/,text.c proc_stat.c softirqs.c \
	softnet.c cpuinfo.c meminfo.c diskstats.c netdev.c snmp.c qdisc.c mounts.c hostinfo.c rates.c)

$(BUILD)/fuzz-collect/fuzz_%: tests/collect/fuzz/fuzz_parser.c $(COLLECT_FUZZ_SRC) $(COLLECT_HEADERS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(COLLECT_FUZZ_FLAGS) -DFUZZ_PARSER_$* $< $(COLLECT_FUZZ_SRC) -o $@

# the whole collector: fixture-root files from the input, two samples
$(BUILD)/fuzz-collect/fuzz_collector: tests/collect/fuzz/fuzz_collector.c $(COLLECT_SOURCES) $(COLLECT_HEADERS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(COLLECT_FUZZ_FLAGS) $< $(COLLECT_SOURCES) -o $@ $(COLLECT_LIBS)

COLLECT_FUZZ_BINS += $(BUILD)/fuzz-collect/fuzz_collector

# seeds: the file each parser reads, under any fixture root
COLLECT_SEED_stat := proc/stat
COLLECT_SEED_softirqs := proc/softirqs
COLLECT_SEED_softnet := proc/net/softnet_stat
COLLECT_SEED_cpuinfo := proc/cpuinfo
COLLECT_SEED_meminfo := proc/meminfo
COLLECT_SEED_diskstats := proc/diskstats
COLLECT_SEED_netdev := proc/net/dev
COLLECT_SEED_snmp := proc/net/snmp
COLLECT_SEED_qdisc := qdisc/dump.bin
COLLECT_SEED_collector := collector/*.seed
COLLECT_SEED_mounts := proc/self/mounts
COLLECT_SEED_hostinfo := etc/os-release

# the generic fuzz runner with each binary and its seeds
$(BUILD)/tests/collect/fuzz_brief.sh: tests/fuzz/run.sh $(COLLECT_FUZZ_BINS) tests/collect.mk
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s "$${COLLECT_FUZZ_SECONDS:-3}" %s\n' \
		"$(abspath tests/fuzz/run.sh)" \
		"$(foreach b,$(COLLECT_FUZZ_BINS),'$(abspath $(b))=$(abspath tests/collect/fixtures):$(COLLECT_SEED_$(patsubst fuzz_%,%,$(notdir $(b))))')" \
		> $@ && chmod +x $@

TEST_PROGS  += $(addprefix $(BUILD)/tests/collect/,$(COLLECT_TESTS)) \
	$(addprefix $(BUILD)/tests-san/collect/,$(COLLECT_TESTS)) \
	$(BUILD)/tests/collect/fuzz_brief.sh
ALL_TARGETS += $(COLLECT_LIB) $(COLLECT_LIB_SAN)

.PHONY: fuzz-collect
COLLECT_FUZZ_SECONDS_LONG ?= 120
fuzz-collect: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/collect/fuzz_brief.sh
	$(Q)COLLECT_FUZZ_SECONDS=$(COLLECT_FUZZ_SECONDS_LONG) $(BUILD)/tests/collect/fuzz_brief.sh
