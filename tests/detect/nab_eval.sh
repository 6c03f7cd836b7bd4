#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# nab_eval.sh - Description: runs ringscope-detect-eval on the NAB subset and
# checks its output: the summary line, every detector scored, and the
# agent's SPOT detector ahead of the windowed-Gaussian baseline.
# Prints cmocka summary lines for tests/run.sh.
eval_bin=@EVAL@
nab=@NAB@
out=$(mktemp)
trap 'rm -f "$out"' EXIT
pass=0 fail=0 failed=""
check() {	# name, then a command that must succeed
	name=$1
	shift
	if "$@"; then
		echo "[       OK ] $name"
		pass=$((pass + 1))
	else
		echo "[  FAILED  ] $name"
		fail=$((fail + 1))
		failed="$failed $name"
	fi
}
if [ ! -f "$nab/combined_windows.json" ]; then
	echo "[  SKIPPED ] 1 test(s), listed below:"
	echo "[  SKIPPED ] nab_eval: no NAB data at $nab"
	exit 0
fi
echo "[==========] Running 4 test(s)."
"$eval_bin" "$nab/data" "$nab/combined_windows.json" >"$out" 2>&1
rc=$?
cat "$out"
check nab_eval_runs test "$rc" -eq 0
check nab_eval_summary_line grep -Eq '^NAB standard score: -?[0-9]+\.[0-9] \(windowed gaussian: -?[0-9]+\.[0-9]\)$' "$out"
spot=$(sed -n 's/^NAB standard score: \([-0-9.]*\) .*/\1/p' "$out")
wg=$(sed -n 's/^NAB standard score: .*windowed gaussian: \([-0-9.]*\)).*/\1/p' "$out")
check nab_spot_beats_windowed_gaussian awk -v a="${spot:-0}" -v b="${wg:-0}" 'BEGIN { exit !(a > b) }'
# the recorded scenario series load and score along with NAB's
rec=@REC@
check eval_with_recorded_series sh -c "'$eval_bin' '$nab/data' '$nab/combined_windows.json' \
	'$rec/data' '$rec/labels.json' | grep -q '^44 series'"
echo "[==========] $((pass + fail)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
if [ "$fail" -gt 0 ]; then
	echo "[  FAILED  ] $fail test(s), listed below:"
	for n in $failed; do echo "[  FAILED  ] $n"; done
	exit 1
fi
