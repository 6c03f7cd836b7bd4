# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# summary.sh - sourced by shell tests: report results in cmocka's lines,
# which tests/run.sh adds up.
#   ts_begin "what runs"; ts_run NAME; ts_ok NAME [detail]; ts_fail NAME [detail];
#   ts_skip NAME REASON; ts_end   (prints the summary, exits 1 on any failure)
ts_passed=0 ts_failed=0 ts_skipped=0 ts_failed_names="" ts_skipped_lines=""

ts_begin() { echo "[==========] $*"; }
ts_run() { echo "[ RUN      ] $1"; }
ts_ok() {
	echo "[       OK ] $1${2:+: $2}"
	ts_passed=$((ts_passed + 1))
}
ts_fail() {
	echo "[  FAILED  ] $1${2:+: $2}"
	ts_failed=$((ts_failed + 1))
	ts_failed_names="$ts_failed_names $1"
}
ts_skip() {
	echo "[  SKIPPED ] $1: $2"
	ts_skipped=$((ts_skipped + 1))
	ts_skipped_lines="$ts_skipped_lines
[  SKIPPED ] $1: $2"
}
ts_end() {
	echo "[==========] $((ts_passed + ts_failed + ts_skipped)) test(s) run."
	echo "[  PASSED  ] $ts_passed test(s)."
	if [ "$ts_skipped" -gt 0 ]; then
		echo "[  SKIPPED ] $ts_skipped test(s), listed below:$ts_skipped_lines"
	fi
	if [ "$ts_failed" -gt 0 ]; then
		echo "[  FAILED  ] $ts_failed test(s), listed below:"
		for n in $ts_failed_names; do echo "[  FAILED  ] $n"; done
		exit 1
	fi
	exit 0
}
