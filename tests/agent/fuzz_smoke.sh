#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# fuzz_smoke.sh - run each agent libFuzzer target briefly (FUZZ_SMOKE_SECONDS,
# default 10) from its seed corpus, in `make test`; `make fuzz` runs longer.
BUILD=@BUILD@
SRC=@SRC@
secs=${FUZZ_SMOKE_SECONDS:-10}
export LSAN_OPTIONS="suppressions=$SRC/tests/agent/lsan.supp:print_suppressions=0"
passed=0 failed=""
for t in config meta ingest; do
	bin=$BUILD/fuzz/fuzz_$t
	work=$(mktemp -d)
	if "$bin" -rss_limit_mb=1024 -max_total_time="$secs" -max_len=8192 -artifact_prefix="$work.crash-" "$work" "$SRC/tests/agent/corpus/$t" >"$work.log" 2>&1; then
		echo "[       OK ] fuzz_$t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$work.log" || tail -1 "$work.log")"
		passed=$((passed + 1))
	else
		echo "[  FAILED  ] fuzz_$t"
		tail -30 "$work.log"
		ls "$work".crash-* 2>/dev/null && cp "$work".crash-* /tmp/ 2>/dev/null
		failed="$failed fuzz_$t"
	fi
	rm -rf "$work" "$work.log" "$work".crash-*
done
echo "[  PASSED  ] $passed test(s)."
if [ -n "$failed" ]; then
	n=$(echo $failed | wc -w)
	echo "[  FAILED  ] $n test(s), listed below:"
	for t in $failed; do echo "[  FAILED  ] $t"; done
	exit 1
fi
