#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# integration.sh - ringscoped end to end on loopback: bad config exit 2,
# --check-config, /metrics through promtool, a real Prometheus scraping the
# agent, a host metric against /proc, selftest records through the rings
# over two simulated NUMA nodes, JSON logs, `ringscope status`, SIGHUP
# reload keeping counters, SIGTERM exit 0 within 2 s.
# Prints cmocka-style summary lines for tests/run.sh.
set -u
BUILD=@BUILD@
SRC=@SRC@
AGENT=${RS_AGENT:-$BUILD/ringscoped}
CLI=$BUILD/ringscope
tmp=$(mktemp -d /tmp/rs-integration.XXXXXX)
port=$((20000 + $$ % 10000))
pport=$((port + 10000))
rport=$((port + 1))
agent_pid="" prom_pid=""
. "$SRC/tests/lib/summary.sh"

cleanup() {
	[ -n "$agent_pid" ] && kill -KILL "$agent_pid" 2>/dev/null
	[ -n "$prom_pid" ] && kill -KILL "$prom_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

pass() { ts_ok "$1"; }
fail() { ts_fail "$1" "$2"; }
skip() { ts_skip "$1" "$2"; }

# the value of the first sample of a series (exact name, optional label filter)
sample() { awk -v n="$1" -v f="${2:-}" '$1 ~ "^"n"({|$)" && index($1, f) { print $2; exit }' "$3"; }

write_config() {	# $1 file, $2 selftest rate, $3 report interval
	cpus=$(nproc)
	if [ "$cpus" -ge 2 ]; then
		nodes='nodes = ( { node = 0; cpus = "0"; }, { node = 0; cpus = "1"; } );'
	else
		nodes='nodes = ( { node = 0; cpus = "0"; } );'
	fi
	cat > "$1" <<CONF
global = { report_interval = $3; log_level = "info"; meta_dir = "$SRC/agent/meta"; };
imdb = { record_timeout = 600; };
workers = { $nodes ring_order = 10; timeout_max_us = 50000; };
probes = ( { name = "baseinfo"; switch = "on"; },
           { name = "selftest"; switch = "on"; rate = $2; } );
metric = { out_channel = "web_server,logs"; };
event = { out_channel = "logs"; };
meta = { out_channel = "logs"; };
web_server = { bind_addr = "127.0.0.1"; port = $port; };
rest_server = { bind_addr = "127.0.0.1"; port = $rport; };
logs = { metric_dir = "$tmp/logs/metrics"; event_dir = "$tmp/logs/event";
         meta_dir = "$tmp/logs/meta"; file_size = 1; file_count = 3; };
thresholds = ( { entity = "selftest"; metric = "records"; op = ">"; value = 0; severity = "WARN"; } );
CONF
}

wait_for() {	# $1 seconds, $2... command
	local t=$(( $1 * 10 )); shift
	while [ "$t" -gt 0 ]; do "$@" && return 0; sleep 0.1; t=$((t - 1)); done
	return 1
}

scrape() { curl -sf "http://127.0.0.1:$port/metrics" -o "$1"; }

echo "[==========] ringscoped integration: $AGENT (port $port)"

# 1. configuration errors: exit 2, file:line: reason; --check-config
printf 'global = {\n  report_interval = 0;\n};\n' > "$tmp/bad.conf"
out=$("$AGENT" -c "$tmp/bad.conf" --check-config 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q "$tmp/bad.conf:2: global.report_interval: 0 is outside"; then
	pass bad_config_exit_2
else
	fail bad_config_exit_2 "rc=$rc out=$out"
fi
write_config "$tmp/good.conf" 200 1
out=$("$AGENT" -c "$tmp/good.conf" --check-config 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "configuration OK"; then pass check_config; else fail check_config "rc=$rc $out"; fi

# docs/metrics.md is generated from the meta files: it must be current
if (cd "$SRC" && "$AGENT" --metrics-doc | cmp -s - docs/metrics.md); then
	pass metrics_doc_current
else
	fail metrics_doc_current "docs/metrics.md differs from the meta files: run make docs-metrics"
fi

# 2. start
"$AGENT" -c "$tmp/good.conf" -f > "$tmp/agent.log" 2>&1 &
agent_pid=$!
if ! wait_for 10 scrape "$tmp/m0"; then
	fail start "no /metrics on port $port: $(tail -5 "$tmp/agent.log")"
else
	pass start
fi
sleep 2.5
scrape "$tmp/m1"

# 3. promtool: zero problems
if ! command -v promtool >/dev/null; then
	skip promtool_check "promtool not installed (Debian package prometheus)"
else
	out=$(promtool check metrics < "$tmp/m1" 2>&1); rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then pass promtool_check; else fail promtool_check "rc=$rc $out"; fi
fi

# 4. HELP/TYPE present, histogram parts, machine_id on samples
if grep -q '^# HELP gala_gopher_selftest_records_total ' "$tmp/m1" &&
   grep -q '^# TYPE gala_gopher_selftest_delivery_seconds histogram' "$tmp/m1" &&
   grep -q '^gala_gopher_selftest_delivery_seconds_bucket{.*le="+Inf"}' "$tmp/m1" &&
   grep -q '^gala_gopher_selftest_delivery_seconds_count{' "$tmp/m1" &&
   grep -q '^gala_gopher_mem_total_bytes{.*machine_id="' "$tmp/m1"; then
	pass exposition_shape
else
	fail exposition_shape "missing HELP/TYPE/histogram/machine_id lines"
fi

# 5. selftest records through both simulated nodes, exact and without gaps
ok=1
for cpu in $(seq 0 $(( $(nproc) >= 2 ? 1 : 0 ))); do
	r=$(sample gala_gopher_selftest_records_total "cpu=\"$cpu\"" "$tmp/m1")
	g=$(sample gala_gopher_selftest_seq_gaps_total "cpu=\"$cpu\"" "$tmp/m1")
	e=$(sample gala_gopher_selftest_check_errors_total "cpu=\"$cpu\"" "$tmp/m1")
	[ -n "$r" ] && [ "${r%.*}" -gt 0 ] && [ "$g" = 0 ] && [ "$e" = 0 ] || { ok=0; echo "cpu $cpu: records=$r gaps=$g errors=$e"; }
done
w1=$(grep -c '^ringscope_worker_records_total{worker="1"' "$tmp/m1")
if [ $ok = 1 ] && { [ "$(nproc)" -lt 2 ] || [ "$w1" = 1 ]; }; then pass selftest_two_nodes; else fail selftest_two_nodes "see above (worker 1 lines: $w1)"; fi

# 6. host metric against /proc
memtotal=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 1024 ))
got=$(sample gala_gopher_mem_total_bytes "" "$tmp/m1")
if [ -n "$got" ] && [ "$got" = "$memtotal" ]; then pass host_metric_vs_proc; else fail host_metric_vs_proc "exported $got, /proc/meminfo says $memtotal"; fi

# 7. scrapes never consume: two scrapes in one interval are identical
scrape "$tmp/s1"; scrape "$tmp/s2"
a=$(sample ringscope_ticks_total "" "$tmp/s1"); b=$(sample ringscope_ticks_total "" "$tmp/s2")
if [ "$a" = "$b" ]; then
	if cmp -s "$tmp/s1" "$tmp/s2" || [ "$(grep -c '^gala' "$tmp/s1")" = "$(grep -c '^gala' "$tmp/s2")" ]; then
		pass scrape_is_read_only
	else
		fail scrape_is_read_only "same tick, different series count"
	fi
else
	pass scrape_is_read_only	# a tick fell between; series persisted anyway
fi

# 8. JSON-lines logs: metadata (one per table), events, metrics
if [ -s "$tmp/logs/meta/metadata.log" ] && grep -q '"meta_name": "system_meminfo"' "$tmp/logs/meta/metadata.log" &&
   grep -q '"SeverityText":"WARN"' "$tmp/logs/event/events.log" 2>/dev/null &&
   grep -q '"entity_name":"selftest"' "$tmp/logs/metrics/metrics.log" 2>/dev/null; then
	pass json_logs
else
	fail json_logs "metadata/events/metrics logs incomplete: $(ls -l "$tmp"/logs/* 2>&1 | tr '\n' ' ')"
fi

# 9. ringscope status
out=$("$CLI" status --url "http://127.0.0.1:$port" 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "^RING" && echo "$out" | grep -q "^selftest"; then pass cli_status; else fail cli_status "rc=$rc $out"; fi

# 10. a real Prometheus scrapes the agent
if ! command -v prometheus >/dev/null; then
	skip prometheus_scrape "prometheus not installed (Debian package prometheus)"
else
	cat > "$tmp/prom.yml" <<PROM
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: ringscope
    static_configs: [ { targets: ['127.0.0.1:$port'] } ]
PROM
	prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
		--web.listen-address="127.0.0.1:$pport" > "$tmp/prom.log" 2>&1 &
	prom_pid=$!
	q() { curl -sf "http://127.0.0.1:$pport/api/v1/query?query=$1" | grep -q '"result":\[{'; }
	if wait_for 40 q 'gala_gopher_selftest_records_total' && q 'up%7Bjob%3D%22ringscope%22%7D%3D%3D1' &&
	   q 'ringscope_ring_records_total'; then
		pass prometheus_scrape
	else
		fail prometheus_scrape "no ringscope series in Prometheus: $(tail -3 "$tmp/prom.log")"
	fi
	kill -TERM "$prom_pid"; wait "$prom_pid" 2>/dev/null; prom_pid=""
fi

# 10b. REST probe control in gala-gopher's shape
R=http://127.0.0.1:$rport
g=$(curl -s "$R/selftest")
p=$(curl -s -X PUT -d 'json={"cmd":{"probe":[]},"snoopers":{},"params":{"rate":7},"state":"stopped"}' "$R/selftest")
code_bad=$(curl -s -o "$tmp/bad.json" -w '%{http_code}' -X PUT -d '{"state":"sometimes"}' "$R/selftest")
code_404=$(curl -s -o /dev/null -w '%{http_code}' "$R/nosuchprobe")
sleep 1.5
scrape "$tmp/r1"; e1=$(sample ringscope_selftest_emitted_total "" "$tmp/r1")
sleep 1.5
scrape "$tmp/r2"; e2=$(sample ringscope_selftest_emitted_total "" "$tmp/r2")
p2=$(curl -s -X PUT -d '{"state":"running"}' "$R/selftest")
if echo "$g" | grep -q '"state":"running"' && echo "$p" | grep -q '"params":{"rate":7},"state":"stopped"' &&
   [ "$code_bad" = 400 ] && grep -q 'expected \\"running\\" or' "$tmp/bad.json" && [ "$code_404" = 404 ] &&
   [ -n "$e1" ] && [ "$e1" = "$e2" ] && echo "$p2" | grep -q '"state":"running"'; then
	pass rest_probe_control
else
	fail rest_probe_control "get=$g put=$p bad=$code_bad($(cat "$tmp/bad.json")) 404=$code_404 emitted $e1 -> $e2 put2=$p2"
fi

# 11. SIGHUP: a bad file is rejected and the agent keeps running; a good one
#     applies (report interval 1 -> 2) and counters continue
before=$(sample ringscope_selftest_emitted_total "" "$tmp/m1")
printf 'global = { report_interval = "x"; };\n' > "$tmp/good.conf.bad"
cp "$tmp/good.conf" "$tmp/good.conf.ok"
cp "$tmp/good.conf.bad" "$tmp/good.conf"
kill -HUP "$agent_pid"; sleep 1.5
cp "$tmp/good.conf.ok" "$tmp/good.conf"
write_config "$tmp/good.conf" 300 2
kill -HUP "$agent_pid"; sleep 4.5
scrape "$tmp/m2"
after=$(sample ringscope_selftest_emitted_total "" "$tmp/m2")
rej=$(sample ringscope_reloads_total 'result="rejected"' "$tmp/m2")
app=$(sample ringscope_reloads_total 'result="applied"' "$tmp/m2")
interval=$("$CLI" status --url "http://127.0.0.1:$port" --json | sed -n 's/.*"report_interval":\([0-9]*\).*/\1/p')
if kill -0 "$agent_pid" 2>/dev/null && [ "$rej" = 1 ] && [ "$app" = 1 ] && [ "$interval" = 2 ] &&
   [ -n "$before" ] && [ -n "$after" ] && [ "${after%.*}" -gt "${before%.*}" ] &&
   grep -q "reload rejected.*good.conf:1:" "$tmp/agent.log"; then
	pass sighup_reload
else
	fail sighup_reload "rejected=$rej applied=$app interval=$interval emitted $before -> $after"
fi

# 12. SIGTERM: exit 0 within 2 s, rings drained
t0=$(date +%s%N)
kill -TERM "$agent_pid"
rc=124
for i in $(seq 1 40); do
	if ! kill -0 "$agent_pid" 2>/dev/null; then wait "$agent_pid"; rc=$?; break; fi
	sleep 0.05
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ $rc -eq 0 ] && [ $ms -le 2000 ] && grep -q "stopped" "$tmp/agent.log"; then
	pass "sigterm_exit_0_in_${ms}ms"
else
	fail sigterm_exit "rc=$rc after ${ms} ms"
fi
[ $rc -ne 124 ] && agent_pid=""

# 13. the agent's own log is free of sanitizer reports (ASan build)
if grep -qE '(ERROR: (Address|Leak)Sanitizer|runtime error:)' "$tmp/agent.log"; then
	fail sanitizer_clean "$(grep -m3 -E 'Sanitizer|runtime error' "$tmp/agent.log")"
else
	pass sanitizer_clean
fi

if [ "$ts_failed" -gt 0 ]; then
	echo "--- agent log"; tail -20 "$tmp/agent.log"
fi
ts_end
