# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# agent.mk - builds ringscoped (agent/), its unit tests, fuzz targets,
# integration tests and benchmarks; included by the top-level Makefile.

DEB_PACKAGES += libconfig-dev libmicrohttpd-dev liburing-dev libnuma-dev \
	libjansson-dev libcurl4-openssl-dev prometheus curl

AGENT_META_DIR := $(abspath agent/meta)
AGENT_CFLAGS   := -Wno-format-truncation -Iagent -Iagent/collect -DRS_DEFAULT_META_DIR='"$(AGENT_META_DIR)"'
AGENT_LIBS     := -lconfig -lmicrohttpd -luring -lnuma -ljansson -lpthread -lm \
	$(LIBBPF_LIBS)
AGENT_HEADERS  := $(wildcard agent/*.h agent/collect/*.h) $(HEADERS)

# every agent source but main.c goes into a library the tests link
AGENT_SOURCES  := $(filter-out agent/main.c,$(wildcard agent/*.c))
AGENT_OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(AGENT_SOURCES)) \
	$(BUILD)/obj/agent/default_config.o
AGENT_OBJS_SAN := $(patsubst %.c,$(BUILD)/san/obj/%.o,$(AGENT_SOURCES)) \
	$(BUILD)/obj/agent/default_config.o
AGENT_LIB      := $(BUILD)/libringscope-agent.a
AGENT_LIB_SAN  := $(BUILD)/san/libringscope-agent.a
RINGSCOPED     := $(BUILD)/ringscoped
# the host collectors' library, built by tests/collect.mk (included later)
AGENT_COLLECT_LIB     := $(BUILD)/libringscope-collect.a
AGENT_COLLECT_LIB_SAN := $(BUILD)/san/libringscope-collect.a

$(BUILD)/obj/agent/%.o: agent/%.c $(AGENT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(AGENT_CFLAGS) -c $< -o $@

$(BUILD)/san/obj/agent/%.o: agent/%.c $(AGENT_HEADERS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(AGENT_CFLAGS) -c $< -o $@

$(BUILD)/obj/agent/default_config.o: agent/default_config.S agent/ringscoped.conf
	$(call msg,AS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -c $< -o $@

$(AGENT_LIB): $(AGENT_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(AGENT_LIB_SAN): $(AGENT_OBJS_SAN)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(RINGSCOPED): $(BUILD)/obj/agent/main.o $(AGENT_LIB) $(AGENT_COLLECT_LIB) $(SHM_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(AGENT_LIBS)

# the whole agent under ASan+UBSan, for the integration test
$(BUILD)/tests-san/ringscoped: $(BUILD)/san/obj/agent/main.o $(AGENT_LIB_SAN) \
		$(AGENT_COLLECT_LIB_SAN) $(SHM_LIB_SAN)
	$(call msg,LINK-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $^ -o $@ $(AGENT_LIBS)

# ---- the ringscope CLI (tools/ringscope.c) --------------------------------
RINGSCOPE_CLI := $(BUILD)/ringscope

$(RINGSCOPE_CLI): tools/ringscope.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ -lcurl -ljansson

# ---- unit tests: tests/agent/test_*.c, plain and ASan+UBSan --------------
AGENT_TESTS := $(basename $(notdir $(wildcard tests/agent/test_*.c)))

$(BUILD)/obj/tests/agent/%.o: tests/agent/%.c $(AGENT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(AGENT_CFLAGS) -c $< -o $@

$(BUILD)/san/obj/tests/agent/%.o: tests/agent/%.c $(AGENT_HEADERS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(AGENT_CFLAGS) -c $< -o $@

$(BUILD)/tests/agent/%: $(BUILD)/obj/tests/agent/%.o $(AGENT_LIB) $(AGENT_COLLECT_LIB) $(SHM_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(TEST_LIBS) $(AGENT_LIBS)

$(BUILD)/tests-san/agent/%: $(BUILD)/san/obj/tests/agent/%.o $(AGENT_LIB_SAN) $(AGENT_COLLECT_LIB_SAN) $(SHM_LIB_SAN)
	$(call msg,LINK-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $^ -o $@ $(TEST_LIBS) $(AGENT_LIBS)

# The record path under ThreadSanitizer: workers, handoff, decoders.
AGENT_TSAN_SOURCES := agent/acc.c agent/decoders.c agent/dec_selftest.c agent/worker.c \
	agent/meta.c agent/promname.c agent/store.c agent/log.c

$(BUILD)/tests-tsan/agent/test_drain: tests/agent/test_drain.c $(AGENT_TSAN_SOURCES) \
		$(SHM_SOURCES) $(AGENT_HEADERS)
	$(call msg,LINK-TSAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(TSAN_FLAGS) $(AGENT_CFLAGS) $< $(AGENT_TSAN_SOURCES) \
		$(SHM_SOURCES) -o $@ $(TEST_LIBS) $(AGENT_LIBS)

# ---- fuzz targets (libFuzzer, clang) --------------------------------------
FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/agent/fuzz_*.c)))
FUZZ_BINS    := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Ishm \
	$(filter-out -Wno-format-truncation,$(AGENT_CFLAGS)) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SOURCES := agent/config.c agent/meta.c agent/promname.c agent/store.c \
	agent/ingest.c agent/buf.c agent/prom.c

$(BUILD)/fuzz/%: tests/agent/%.c $(FUZZ_SOURCES) $(AGENT_HEADERS) \
		$(BUILD)/obj/agent/default_config.o
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) $< $(FUZZ_SOURCES) $(BUILD)/obj/agent/default_config.o \
		-o $@ -lconfig -lm

# ---- integration tests ----------------------------------------------------
$(BUILD)/tests/agent/integration.sh: tests/agent/integration.sh
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@BUILD@|$(abspath $(BUILD))|g' -e 's|@SRC@|$(CURDIR)|g' $< > $@ && chmod +x $@

# the same integration test against the ASan+UBSan agent
$(BUILD)/tests-san/agent/integration.sh: $(BUILD)/tests/agent/integration.sh \
		$(BUILD)/tests-san/ringscoped
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\n# integration.sh against the ASan+UBSan build of ringscoped\nRS_AGENT=%s exec %s\n' \
		$(abspath $(BUILD))/tests-san/ringscoped $(abspath $(BUILD))/tests/agent/integration.sh > $@
	$(Q)chmod +x $@

$(BUILD)/tests/agent/fuzz_smoke.sh: tests/agent/fuzz_smoke.sh $(FUZZ_BINS)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@BUILD@|$(abspath $(BUILD))|g' -e 's|@SRC@|$(CURDIR)|g' $< > $@ && chmod +x $@

AGENT_TEST_PROGS := $(addprefix $(BUILD)/tests/agent/,$(AGENT_TESTS)) \
	$(addprefix $(BUILD)/tests-san/agent/,$(AGENT_TESTS)) \
	$(BUILD)/tests-tsan/agent/test_drain
ifneq ($(wildcard tests/agent/integration.sh),)
AGENT_TEST_PROGS += $(BUILD)/tests/agent/integration.sh $(BUILD)/tests-san/agent/integration.sh
endif
ifneq ($(wildcard tests/agent/fuzz_smoke.sh),)
AGENT_TEST_PROGS += $(BUILD)/tests/agent/fuzz_smoke.sh
endif
TEST_PROGS  += $(AGENT_TEST_PROGS)
ALL_TARGETS += $(RINGSCOPED) $(AGENT_LIB) $(RINGSCOPE_CLI)

$(BUILD)/tests/agent/integration.sh: $(RINGSCOPED) $(RINGSCOPE_CLI)

# ---- benchmarks -----------------------------------------------------------
$(BUILD)/perf/bench_drain: $(BUILD)/obj/perf/bench_drain.o $(AGENT_LIB) $(AGENT_COLLECT_LIB) $(SHM_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(AGENT_LIBS)

$(BUILD)/obj/perf/bench_drain.o: perf/bench_drain.c $(AGENT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(AGENT_CFLAGS) -c $< -o $@

# ---- targets --------------------------------------------------------------
.PHONY: run fuzz bench-drain bench-idle docs-metrics

RUN_ARGS ?=
run: deps
	$(Q)$(MAKE) --no-print-directory $(RINGSCOPED) $(RINGSCOPE_CLI)
	$(Q)echo "ringscoped: http://127.0.0.1:8888/metrics; $(RINGSCOPE_CLI) status; Ctrl-C stops"
	$(Q)$(RINGSCOPED) -f $(RUN_ARGS)

FUZZ_SECONDS ?= 300
fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$t; \
		echo "== $$t ($(FUZZ_SECONDS) s)"; \
		LSAN_OPTIONS=suppressions=tests/agent/lsan.supp \
		$(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -rss_limit_mb=4096 \
			-artifact_prefix=$(BUILD)/fuzz/$$t- \
			$(BUILD)/fuzz/corpus-$$t tests/agent/corpus/$${t#fuzz_} || exit 1; \
	done

bench-drain: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/perf/bench_drain
	$(Q)$(BUILD)/perf/bench_drain $(BENCH_ARGS)

bench-idle: deps
	$(Q)$(MAKE) --no-print-directory $(RINGSCOPED)
	$(Q)sh perf/bench_idle.sh $(RINGSCOPED) $(BENCH_ARGS)

# docs/metrics.md is generated from the meta files (committed, checked by a test)
docs-metrics: $(RINGSCOPED)
	$(Q)$(RINGSCOPED) --metrics-doc > docs/metrics.md
