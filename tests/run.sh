#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - run test programs (cmocka binaries or scripts speaking cmocka's
# summary lines), add up their summaries and end with one line
# "N passed, N failed, N skipped". A program that dies without a summary,
# or exits non-zero without reporting a failure, counts as one failure.
# Usage: tests/run.sh PROGRAM... ; TEST_TIMEOUT (seconds, default 600).
set -u
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# verify_asan_link_order=0: stdbuf preloads a library ahead of ASan
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:verify_asan_link_order=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for prog in "$@"; do
	echo "== $prog"
	timeout -k 10 "${TEST_TIMEOUT:-600}" stdbuf -oL -eL "$prog" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if grep -q -E '^(==[0-9]+==ERROR: |.*runtime error: |WARNING: ThreadSanitizer)' "$log"; then
		echo "!! $prog: sanitizer report"
		f=$((f + 1))
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $prog exited with status $rc without reporting a failure"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
