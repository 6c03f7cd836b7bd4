#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - run libFuzzer targets for a while each and report in cmocka's
# summary lines for tests/run.sh.
# Usage: run.sh SECONDS BINARY[=SEED_DIR]...   (FUZZ_SECONDS overrides SECONDS)
set -u
secs=${FUZZ_SECONDS:-$1}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 names=""
echo "[==========] Running $# fuzz target(s), $secs s each."
for spec in "$@"; do
	bin=${spec%%=*}
	name=${bin##*/}
	corpus="$work/$name"
	mkdir -p "$corpus"
	case $spec in *=*) cp -r "${spec#*=}/." "$corpus/" 2>/dev/null ;; esac
	echo "[ RUN      ] $name"
	if "$bin" -max_total_time="$secs" -max_len=16384 -timeout=10 \
		-artifact_prefix="$work/$name-" "$corpus" >"$work/log" 2>&1; then
		echo "[       OK ] $name: $(grep -o 'Done [0-9]* runs' "$work/log" | tail -n 1)"
		passed=$((passed + 1))
	else
		tail -n 40 "$work/log"
		for a in "$work/$name-"*; do
			[ -f "$a" ] && { echo "reproducer (base64):"; base64 "$a" | head -n 20; }
		done
		echo "[  FAILED  ] $name"
		failed=$((failed + 1))
		names="$names $name"
	fi
done
echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ "$failed" -gt 0 ]; then
	echo "[  FAILED  ] $failed test(s), listed below:"
	for n in $names; do echo "[  FAILED  ] $n"; done
	exit 1
fi
exit 0
