#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - Description: fault-injection scenarios for the detection. Each
# injects one fault on this machine, expects the right event within two
# intervals and a recovery after it; a quiet baseline expects no event.
# The kernel-log scenarios run against the detection engine through a small
# driver (ringscope-detect-kmsg); the metric scenarios need ringscoped and
# its probes and are skipped, with the reason, until those exist.
# Prints cmocka summary lines for tests/run.sh. Needs root for /dev/kmsg.
set -u
build=@BUILD@
driver=$build/bin/ringscope-detect-kmsg
interval_ms=${SCENARIO_INTERVAL_MS:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0 failed="" skipped=""

ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
ko() { echo "[  FAILED  ] $1: $2"; fail=$((fail + 1)); failed="$failed $1"; }
skip() { echo "[  SKIPPED ] $1: $2"; skip=$((skip + 1)); skipped="$skipped $1:$2|"; }
now_ns() { date +%s%N; }

# start_driver TICKS: runs the driver in the background, waits until ready
start_driver() {
	"$driver" -i "$interval_ms" -n "$1" >"$work/events" 2>"$work/stderr" &
	pid=$!
	for _ in $(seq 50); do
		grep -q ready "$work/stderr" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

field() {	# field NAME LINE: a number or string value from compact JSON
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"
}

kmsg_usable() {
	[ "$(id -u)" -eq 0 ] && [ -w /dev/kmsg ] && [ -r /dev/kmsg ]
}

scenario_kmsg_fault() {
	name=kmsg_fault
	kmsg_usable || { skip $name "needs root and /dev/kmsg"; return; }
	start_driver 10 || { ko $name "driver did not start: $(cat "$work/stderr")"; return; }
	sleep "$(awk -v i="$interval_ms" 'BEGIN { print 1.5 * i / 1000 }')"
	tag=t$$
	injected=$(now_ns)
	echo "ringscope-scenario: injected fault $tag" >/dev/kmsg
	wait "$pid"
	open=$(grep '"status":"open"' "$work/events" | grep "scenario_host_$tag" | head -n 1)
	recover=$(grep '"status":"recover"' "$work/events" | grep "scenario_host_$tag" | head -n 1)
	if [ -z "$open" ]; then
		ko $name "no event for the injected line; events: $(cat "$work/events")"
		return
	fi
	delay_ms=$(( ($(field Timestamp "$open") - injected) / 1000000 ))
	echo "    detection delay ${delay_ms} ms (interval ${interval_ms} ms)"
	echo "    event: $open"
	[ "$delay_ms" -le $((2 * interval_ms)) ] || { ko $name "detected after ${delay_ms} ms"; return; }
	[ "$(field entity_id "$open")" = "scenario_host_$tag" ] || { ko $name "wrong entity"; return; }
	[ "$(field SeverityText "$open")" = WARN ] || { ko $name "wrong severity"; return; }
	[ -n "$recover" ] || { ko $name "no recovery event"; return; }
	echo "    recovery after $(( ($(field Timestamp "$recover") - injected) / 1000000 )) ms"
	ok $name
}

scenario_kmsg_baseline() {
	name=kmsg_quiet_baseline
	kmsg_usable || { skip $name "needs root and /dev/kmsg"; return; }
	start_driver 6 || { ko $name "driver did not start"; return; }
	wait "$pid"
	if [ -s "$work/events" ]; then
		ko $name "events on a quiet baseline: $(cat "$work/events")"
	else
		ok $name
	fi
}

echo "[==========] Running detection scenarios (interval ${interval_ms} ms)."
scenario_kmsg_fault
scenario_kmsg_baseline
for s in tcp_tbf_veth_srtt nft_drop_retrans listener_backlog_drops stress_ng_runqlat \
	io_max_loop_block_latency memory_pressure fs_usage; do
	skip "$s" "needs ringscoped's tick and the tcp/block/sched probes (not built yet)"
done
echo "[==========] $((pass + fail + skip)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
if [ "$skip" -gt 0 ]; then
	echo "[  SKIPPED ] $skip test(s), listed below:"
	printf '%s' "$skipped" | tr '|' '\n' | sed -n 's/^ *\([^:]*\):\(.*\)/[  SKIPPED ] \1 (\2)/p'
fi
if [ "$fail" -gt 0 ]; then
	echo "[  FAILED  ] $fail test(s), listed below:"
	for n in $failed; do echo "[  FAILED  ] $n"; done
	exit 1
fi
exit 0
