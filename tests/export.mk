# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# export.mk - builds the Kafka export module (agent/export/), its tools
# (ringscope-testbroker, ringscope-decode), tests, fuzz target and
# `make bench-export`; included by the top-level Makefile.

DEB_PACKAGES += librdkafka-dev kcat flatbuffers-compiler libflatbuffers-dev \
	libjansson-dev libconfig-dev g++ python3

EXPORT_GEN      := $(BUILD)/export/gen/ringscope_generated.h
EXPORT_CFLAGS   := -Iagent/export
EXPORT_CXXFLAGS := -std=c++17 -D_GNU_SOURCE -g -Wall -Wextra -Werror \
	-fno-exceptions -fno-rtti -Iinclude -Iagent/export -I$(BUILD)/export/gen
EXPORT_LIBS     := -lrdkafka -ljansson -lconfig -lpthread -lstdc++ -lm
EXPORT_HEADERS  := $(wildcard agent/export/*.h)
EXPORT_C        := $(wildcard agent/export/*.c)
EXPORT_CXX      := $(wildcard agent/export/*.cpp)
EXPORT_OBJS     := $(patsubst agent/export/%,$(BUILD)/export/obj/%.o,$(EXPORT_C) $(EXPORT_CXX))
EXPORT_OBJS_SAN := $(patsubst agent/export/%,$(BUILD)/export/san/%.o,$(EXPORT_C) $(EXPORT_CXX))
EXPORT_LIB      := $(BUILD)/libringscope-export.a
EXPORT_LIB_SAN  := $(BUILD)/san/libringscope-export.a

$(EXPORT_GEN): include/ringscope/ringscope.fbs
	$(call msg,FLATC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)flatc --cpp -o $(@D) $<

$(BUILD)/export/obj/%.c.o: agent/export/%.c $(EXPORT_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EXPORT_CFLAGS) -c $< -o $@

$(BUILD)/export/obj/%.cpp.o: agent/export/%.cpp $(EXPORT_HEADERS) $(EXPORT_GEN)
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(EXPORT_CXXFLAGS) -O2 -c $< -o $@

$(BUILD)/export/san/%.c.o: agent/export/%.c $(EXPORT_HEADERS)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(EXPORT_CFLAGS) -c $< -o $@

$(BUILD)/export/san/%.cpp.o: agent/export/%.cpp $(EXPORT_HEADERS) $(EXPORT_GEN)
	$(call msg,CXX-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(EXPORT_CXXFLAGS) $(SAN_FLAGS) -c $< -o $@

$(EXPORT_LIB): $(EXPORT_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(EXPORT_LIB_SAN): $(EXPORT_OBJS_SAN)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- tools ----------------------------------------------------------------
$(BUILD)/bin/ringscope-testbroker: tools/ringscope-testbroker.c
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ -lrdkafka

$(BUILD)/bin/ringscope-decode: tools/ringscope-decode.c $(EXPORT_LIB) $(EXPORT_HEADERS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EXPORT_CFLAGS) $< $(EXPORT_LIB) -o $@ $(EXPORT_LIBS)

EXPORT_TOOLS := $(BUILD)/bin/ringscope-testbroker $(BUILD)/bin/ringscope-decode

# ---- tests: tests/export/test_*.c (cmocka, plain and ASan+UBSan) ----------
EXPORT_TESTS := $(basename $(notdir $(wildcard tests/export/test_*.c)))

$(BUILD)/tests/export/%: tests/export/%.c $(EXPORT_LIB) $(EXPORT_HEADERS) tests/export/helpers.h tests/export/synth.h
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EXPORT_CFLAGS) $< $(EXPORT_LIB) -o $@ -lcmocka $(EXPORT_LIBS)

$(BUILD)/tests-san/export/%: tests/export/%.c $(EXPORT_LIB_SAN) $(EXPORT_HEADERS) tests/export/helpers.h tests/export/synth.h
	$(call msg,LINK-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(EXPORT_CFLAGS) $< $(EXPORT_LIB_SAN) -o $@ \
		-lcmocka $(EXPORT_LIBS)

# shell tests: @BUILD@ and @SRC@ substituted
EXPORT_SCRIPTS := $(patsubst tests/export/%.sh,$(BUILD)/tests/export/%.sh,\
	$(filter-out tests/export/lib.sh,$(wildcard tests/export/*.sh)))

$(BUILD)/tests/export/%.sh: tests/export/%.sh tests/export/lib.sh $(EXPORT_TOOLS) \
		$(BUILD)/tests/export/export_produce
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@BUILD@|$(abspath $(BUILD))|g' -e 's|@SRC@|$(CURDIR)|g' $< > $@ && chmod +x $@

# the producer driver the shell tests and the benchmark run
$(BUILD)/tests/export/export_produce: tests/export/export_produce.c tests/export/synth.h \
		$(EXPORT_LIB) $(EXPORT_HEADERS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EXPORT_CFLAGS) $< $(EXPORT_LIB) -o $@ $(EXPORT_LIBS)

# ---- fuzz target: the decoder on untrusted bytes ----------------------------
EXPORT_FUZZ := $(BUILD)/fuzz/fuzz_fb_decode

$(EXPORT_FUZZ): tests/export/fuzz_fb_decode.c agent/export/fb_decode.cpp agent/export/batch.c \
		$(EXPORT_HEADERS) $(EXPORT_GEN)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)/obj-fb
	$(Q)$(CLANG)++ $(EXPORT_CXXFLAGS) -O1 -fsanitize=fuzzer-no-link,address,undefined \
		-c agent/export/fb_decode.cpp -o $(@D)/obj-fb/fb_decode.o
	$(Q)$(CLANG) -std=c11 -D_GNU_SOURCE -g -O1 $(EXPORT_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		tests/export/fuzz_fb_decode.c agent/export/batch.c $(@D)/obj-fb/fb_decode.o \
		-o $@ -lstdc++ -lm

# seeds: valid messages of each kind, written by the encoder
EXPORT_SEEDS := $(BUILD)/export/seeds

$(EXPORT_SEEDS)/rows: $(BUILD)/tests/export/export_produce
	$(Q)mkdir -p $(@D)
	$(Q)$< -W $(@D)

$(BUILD)/tests/export/fuzz_export_brief: tests/fuzz/run.sh $(EXPORT_FUZZ) $(EXPORT_SEEDS)/rows
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s 5 %s\n' "$(abspath tests/fuzz/run.sh)" \
		"$(abspath $(EXPORT_FUZZ))=$(abspath $(EXPORT_SEEDS))" > $@ && chmod +x $@

# FUZZ_SECONDS=600 make fuzz-export for a long run
.PHONY: fuzz-export
fuzz-export: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/export/fuzz_export_brief
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-300} $(BUILD)/tests/export/fuzz_export_brief

# ---- benchmark ----------------------------------------------------------------
$(BUILD)/perf/bench_export: tests/export/bench_export.c tests/export/synth.h \
		$(EXPORT_LIB) $(EXPORT_HEADERS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EXPORT_CFLAGS) $< $(EXPORT_LIB) -o $@ $(EXPORT_LIBS)

.PHONY: bench-export outage-export
bench-export: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/perf/bench_export $(BUILD)/bin/ringscope-testbroker
	$(Q)$(BUILD)/perf/bench_export -B $(BUILD)/bin/ringscope-testbroker $(BENCH_ARGS)

# the broker outage at full length (60 s); `make test` runs a 15 s one
outage-export: deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/tests/export/outage.sh
	$(Q)OUTAGE_SECONDS=60 $(BUILD)/tests/export/outage.sh

EXPORT_TEST_PROGS := $(addprefix $(BUILD)/tests/export/,$(EXPORT_TESTS)) \
	$(addprefix $(BUILD)/tests-san/export/,$(EXPORT_TESTS)) \
	$(EXPORT_SCRIPTS) $(BUILD)/tests/export/fuzz_export_brief
TEST_PROGS  += $(EXPORT_TEST_PROGS)
ALL_TARGETS += $(EXPORT_LIB) $(EXPORT_TOOLS)
