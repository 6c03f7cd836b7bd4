#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# bench_idle.sh - ringscoped's own cost on an idle machine: the embedded
# default configuration at a 1 s report interval (host collectors, selftest
# probe, Prometheus endpoint, JSON logs), run for 60 s; prints the CPU it
# used as a percentage of one core and its peak RSS.
# Usage: bench_idle.sh RINGSCOPED [SECONDS]; last line:
#   idle cpu%: X.XX rss MiB: Y
set -eu
agent=$1
secs=${2:-60}
tmp=$(mktemp -d /tmp/rs-bench-idle.XXXXXX)
port=$((30000 + $$ % 5000))
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

"$agent" --print-default-config |
	sed -e 's|report_interval = 5;|report_interval = 1;|' \
	    -e "s|port = 8888;|port = $port;|" -e "s|port = 9999;|port = $((port + 1));|" \
	    -e "s|/var/log/ringscope|$tmp/logs|" > "$tmp/idle.conf"
"$agent" -c "$tmp/idle.conf" -f > "$tmp/agent.log" 2>&1 &
pid=$!
sleep 2	# start-up (meta, rings, first collection) is not idle cost
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
s0=$(date +%s%N)
# scrape once per interval like Prometheus would, part of the cost measured
i=0
while [ $i -lt "$secs" ]; do
	curl -sf "http://127.0.0.1:$port/metrics" -o /dev/null || true
	sleep 1
	i=$((i + 1))
done
t1=$(ticks)
s1=$(date +%s%N)
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || true
pid=""
echo "ran ${secs} s at report_interval 1 s, one scrape per second; $(grep -c . "$tmp/agent.log") log lines"
awk -v t="$((t1 - t0))" -v hz="$hz" -v ns="$((s1 - s0))" -v kb="$hwm" 'BEGIN {
	printf "idle cpu%%: %.2f rss MiB: %.1f\n", 100 * t / hz / (ns / 1e9), kb / 1024 }'
