#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - run libFuzzer targets for a while each and report in cmocka's
# summary lines for tests/run.sh.
# Usage: run.sh SECONDS BINARY[=SEEDS]...   (FUZZ_SECONDS overrides SECONDS)
# SEEDS: a folder whose files seed the corpus, or ROOT:PATH to take every
# file under folder ROOT whose path ends in PATH (a find -path pattern).
set -u
. "$(dirname "$0")/../lib/summary.sh"
secs=${FUZZ_SECONDS:-$1}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ts_begin "Running $# fuzz target(s), $secs s each."
for spec in "$@"; do
	bin=${spec%%=*}
	name=${bin##*/}
	corpus="$work/$name"
	mkdir -p "$corpus"
	case $spec in
	*=*:*)
		seeds=${spec#*=}
		i=0
		for f in $(find "${seeds%%:*}" -path "*/${seeds#*:}" -type f); do
			i=$((i + 1))
			cp "$f" "$corpus/seed$i"
		done ;;
	*=*) cp -r "${spec#*=}/." "$corpus/" 2>/dev/null ;;
	esac
	ts_run "$name"
	if "$bin" -max_total_time="$secs" -max_len=16384 -timeout=10 \
		-artifact_prefix="$work/$name-" "$corpus" >"$work/log" 2>&1; then
		ts_ok "$name" "$(grep -o 'Done [0-9]* runs' "$work/log" | tail -n 1)"
	else
		tail -n 40 "$work/log"
		for a in "$work/$name-"*; do
			[ -f "$a" ] && { echo "reproducer (base64):"; base64 "$a" | head -n 20; }
		done
		ts_fail "$name"
	fi
done
ts_end
