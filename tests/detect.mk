# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# detect.mk - inline anomaly detection (agent/detect/): the library the
# daemon links (plain and ASan+UBSan), the offline evaluation tool
# ringscope-detect-eval, cmocka tests (plain and sanitized), libFuzzer
# targets (a brief run in `make test`), the NAB evaluation check, and the
# fault-injection scenarios (`make scenarios`).

DEB_PACKAGES += libhyperscan-dev libjansson-dev libconfig-dev libcmocka-dev clang stress-ng \
	libclang-rt-14-dev

DETECT_SOURCES  := $(wildcard agent/detect/*.c)
DETECT_HEADERS  := $(wildcard agent/detect/*.h)
DETECT_CFLAGS   := -Iagent/detect
DETECT_LIBS     := -lhs -lconfig -ljansson -lm
DETECT_LIB      := $(BUILD)/libringscope-detect.a
DETECT_LIB_SAN  := $(BUILD)/san/libringscope-detect.a
DETECT_EVAL     := $(BUILD)/bin/ringscope-detect-eval
DETECT_EVAL_SRC := $(filter-out %.h,$(wildcard tools/ringscope-detect-eval*.c))
NAB_DIR         ?= $(abspath ../shared/data/nab)

$(BUILD)/obj/agent/detect/%.o: agent/detect/%.c $(DETECT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(DETECT_CFLAGS) -c $< -o $@

$(BUILD)/san/obj/agent/detect/%.o: agent/detect/%.c $(DETECT_HEADERS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(DETECT_CFLAGS) -c $< -o $@

$(DETECT_LIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(DETECT_SOURCES))
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(DETECT_LIB_SAN): $(patsubst %.c,$(BUILD)/san/obj/%.o,$(DETECT_SOURCES))
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(DETECT_EVAL): $(DETECT_EVAL_SRC) $(wildcard tools/ringscope-detect-eval*.h) $(DETECT_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(DETECT_CFLAGS) -Itools $(DETECT_EVAL_SRC) $(DETECT_LIB) \
		-o $@ $(DETECT_LIBS)

# ---- cmocka tests: tests/detect/test_*.c, plain and ASan+UBSan -----------
# (the NAB scorer's test also compiles the scorer from tools/)
DETECT_TESTS     := $(basename $(notdir $(wildcard tests/detect/test_*.c)))
DETECT_TEST_DEFS := $(DETECT_CFLAGS) -Itools
DETECT_NAB_SRC   := tools/ringscope-detect-eval-nab.c

$(BUILD)/tests/detect/%: tests/detect/%.c $(DETECT_LIB) $(DETECT_HEADERS) $(DETECT_NAB_SRC)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(DETECT_TEST_DEFS) $< $(DETECT_NAB_SRC) $(DETECT_LIB) -o $@ \
		-lcmocka $(DETECT_LIBS)

$(BUILD)/tests-san/detect/%: tests/detect/%.c $(DETECT_LIB_SAN) $(DETECT_HEADERS) $(DETECT_NAB_SRC)
	$(call msg,LINK-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(DETECT_TEST_DEFS) $< $(DETECT_NAB_SRC) \
		$(DETECT_LIB_SAN) -o $@ -lcmocka $(DETECT_LIBS)

# ---- fuzz targets: tests/detect/fuzz_*.c against the library sources ------
DETECT_FUZZ_BINS  := $(patsubst tests/detect/%.c,$(BUILD)/fuzz-detect/%,$(wildcard tests/detect/fuzz_*.c))
DETECT_FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(DETECT_CFLAGS) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(BUILD)/fuzz-detect/%: tests/detect/%.c $(DETECT_SOURCES) $(DETECT_HEADERS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(DETECT_FUZZ_FLAGS) $< $(DETECT_SOURCES) -o $@ $(DETECT_LIBS)

$(BUILD)/tests/detect/fuzz_brief: tests/fuzz/run.sh $(DETECT_FUZZ_BINS)
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s $${DETECT_FUZZ_SECONDS:-5} %s\n' "$(abspath tests/fuzz/run.sh)" \
		"$(foreach b,$(DETECT_FUZZ_BINS),$(abspath $(b))=$(abspath tests/detect/seeds/$(notdir $(b))))" > $@ && chmod +x $@

# ---- the NAB evaluation as a test, and the scenarios ---------------------
$(BUILD)/tests/detect/nab_eval.sh: tests/detect/nab_eval.sh $(DETECT_EVAL)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@EVAL@|$(abspath $(DETECT_EVAL))|' -e 's|@NAB@|$(NAB_DIR)|' \
		-e 's|@REC@|$(abspath tests/scenarios/recorded)|' $< > $@ && chmod +x $@

# the driver uses the agent's collectors and .meta parser (agent.mk, collect.mk)
DETECT_SCENARIO_DRIVER := $(BUILD)/bin/ringscope-detect-driver

$(DETECT_SCENARIO_DRIVER): tests/scenarios/driver.c $(DETECT_LIB) $(AGENT_LIB) $(COLLECT_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(DETECT_CFLAGS) -Iagent -Iagent/collect $< $(DETECT_LIB) \
		$(AGENT_LIB) $(COLLECT_LIB) -o $@ $(DETECT_LIBS) -luring

$(BUILD)/tests/scenarios/run.sh: tests/scenarios/run.sh $(DETECT_SCENARIO_DRIVER)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@BUILD@|$(abspath $(BUILD))|g' -e 's|@SRC@|$(CURDIR)|g' $< > $@ && chmod +x $@

TEST_PROGS  += $(addprefix $(BUILD)/tests/detect/,$(DETECT_TESTS)) \
	$(addprefix $(BUILD)/tests-san/detect/,$(DETECT_TESTS)) \
	$(BUILD)/tests/detect/fuzz_brief $(BUILD)/tests/detect/nab_eval.sh \
	$(BUILD)/tests/scenarios/run.sh
ALL_TARGETS += $(DETECT_LIB) $(DETECT_LIB_SAN) $(DETECT_EVAL)

.PHONY: scenarios detect-eval fuzz-detect
scenarios: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/scenarios/run.sh
	$(Q)sh tests/run.sh $(BUILD)/tests/scenarios/run.sh

detect-eval: $(DETECT_EVAL)
	$(Q)$(DETECT_EVAL) $(NAB_DIR)/data $(NAB_DIR)/combined_windows.json
	$(Q)$(DETECT_EVAL) tests/scenarios/recorded/data tests/scenarios/recorded/labels.json

DETECT_FUZZ_SECONDS_LONG ?= 300
fuzz-detect: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/detect/fuzz_brief
	$(Q)DETECT_FUZZ_SECONDS=$(DETECT_FUZZ_SECONDS_LONG) $(BUILD)/tests/detect/fuzz_brief
