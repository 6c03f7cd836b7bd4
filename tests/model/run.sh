#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - model-check the ring protocol (ring.pml) with spin: the protocol
# must verify with no error, and every deliberately broken variant must
# fail. Prints cmocka's summary lines for tests/run.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v spin >/dev/null || ! command -v cc >/dev/null; then
	echo "[==========] ring model: skipped: spin or cc not installed (make deps)"
	echo "[  SKIPPED ] 1 test(s), listed below:"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 names=""

# check NAME EXPECT(ok|error) SPIN_FLAGS...
check() {
	name=$1 expect=$2
	shift 2
	echo "[ RUN      ] $name"
	(cd "$work" && rm -f pan* && spin "$@" -a "$here/ring.pml" >spin.log 2>&1 &&
		cc -O2 -DSAFETY -DNOREDUCE -o pan pan.c >>spin.log 2>&1 &&
		timeout 300 ./pan -m100000 >pan.log 2>&1)
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$work/pan.log" | tail -n 1)
	if [ "$expect" = ok ] && [ "$errors" = 0 ]; then
		echo "[       OK ] $name: $(grep -o '[0-9]* states, stored' "$work/pan.log"), no error"
		passed=$((passed + 1))
	elif [ "$expect" = error ] && [ -n "$errors" ] && [ "$errors" -gt 0 ]; then
		echo "[       OK ] $name: caught: $(grep -m1 -o 'assertion violated.*' "$work/pan.log")"
		passed=$((passed + 1))
	else
		cat "$work/spin.log" "$work/pan.log" 2>/dev/null | tail -n 30
		echo "[  FAILED  ] $name (expected $expect, errors: ${errors:-none})"
		failed=$((failed + 1))
		names="$names $name"
	fi
}

echo "[==========] Running ring protocol model checks."
check ring_model_2x3_n2 ok
check mutant_publish_first error -DBUG_PUBLISH_FIRST
check mutant_full_check error -DBUG_FULL_CHECK
check mutant_no_lap_tag error -DBUG_NO_LAP_TAG
check mutant_no_cas error -DBUG_NO_CAS
echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ "$failed" -gt 0 ]; then
	echo "[  FAILED  ] $failed test(s), listed below:"
	for n in $names; do echo "[  FAILED  ] $n"; done
	exit 1
fi
