#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - model-check the ring protocol (ring.pml) with spin: the protocol
# must verify with no error, and every deliberately broken variant must
# fail. Prints cmocka's summary lines for tests/run.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/summary.sh"
if ! command -v spin >/dev/null || ! command -v cc >/dev/null; then
	ts_begin "ring model"
	ts_skip ring_model "spin or cc not installed (make deps)"
	ts_end
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# check NAME EXPECT(ok|error) SPIN_FLAGS...
check() {
	name=$1 expect=$2
	shift 2
	ts_run "$name"
	(cd "$work" && rm -f pan* && spin "$@" -a "$here/ring.pml" >spin.log 2>&1 &&
		cc -O2 -DSAFETY -DNOREDUCE -o pan pan.c >>spin.log 2>&1 &&
		timeout 300 ./pan -m100000 >pan.log 2>&1)
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$work/pan.log" | tail -n 1)
	if [ "$expect" = ok ] && [ "$errors" = 0 ]; then
		ts_ok "$name" "$(grep -o '[0-9]* states, stored' "$work/pan.log"), no error"
	elif [ "$expect" = error ] && [ -n "$errors" ] && [ "$errors" -gt 0 ]; then
		ts_ok "$name" "caught: $(grep -m1 -o 'assertion violated.*' "$work/pan.log")"
	else
		cat "$work/spin.log" "$work/pan.log" 2>/dev/null | tail -n 30
		ts_fail "$name" "expected $expect, errors: ${errors:-none}"
	fi
}

ts_begin "Running ring protocol model checks."
check ring_model_2x3_n2 ok
check mutant_publish_first error -DBUG_PUBLISH_FIRST
check mutant_full_check error -DBUG_FULL_CHECK
check mutant_no_lap_tag error -DBUG_NO_LAP_TAG
check mutant_no_cas error -DBUG_NO_CAS
ts_end
