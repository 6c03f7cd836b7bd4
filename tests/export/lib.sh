# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# lib.sh - shared by the export shell tests: cmocka-style reporting for
# tests/run.sh, a test broker on a pinned loopback port, cleanup of what the
# test started.
: "${BUILD:?set by the test script}"
: "${SRC:?set by the test script}"
BROKER_BIN=$BUILD/bin/ringscope-testbroker
DECODE=$BUILD/bin/ringscope-decode
PRODUCE=$BUILD/tests/export/export_produce
PY=/usr/bin/python3
CHECK="$PY $SRC/tests/export/check.py"
SCHEMA=$SRC/include/ringscope/ringscope.fbs
MACHINE_ID=0123456789abcdef-192.168.0.7

BROKER_PID="" PRODUCER_PID=""
WORK=$(mktemp -d)

cleanup() {
	[ -n "$PRODUCER_PID" ] && kill "$PRODUCER_PID" 2>/dev/null
	[ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# cmocka-style lines: tests/lib/summary.sh, under this file's names
. "$SRC/tests/lib/summary.sh"
pass() { ts_ok "$1"; }
fail() { ts_fail "$1" "$2"; }
skip() { ts_skip "$1" "$2"; }
# check NAME COMMAND...: pass if the command succeeds
check() {
	name=$1
	shift
	if "$@" >"$WORK/check.log" 2>&1; then pass "$name"; else
		sed 's/^/    /' "$WORK/check.log" | tail -n 20
		fail "$name" "$*"
	fi
}
summary() { ts_end; }
# skip_all REASON NAME...: when a tool is missing
skip_all() {
	reason=$1
	shift
	for n in "$@"; do skip "$n" "$reason"; done
	summary
}
missing_tools() {
	for t in kcat flatc "$PY"; do
		command -v "$t" >/dev/null 2>&1 || { echo "$t not installed"; return; }
	done
}
free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# start_broker PORT [ARGS]: sets BROKER_PID and ADDR; 0 when it listens
start_broker() {
	port=$1
	shift
	rm -f "$WORK/addr"
	"$BROKER_BIN" -p "$port" -a "$WORK/addr" "$@" >/dev/null 2>"$WORK/broker.err" &
	BROKER_PID=$!
	for _ in $(seq 100); do
		[ -s "$WORK/addr" ] && { ADDR=$(cat "$WORK/addr"); return 0; }
		kill -0 "$BROKER_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$WORK/broker.err"
	return 1
}
stop_broker() {
	kill -KILL "$BROKER_PID" 2>/dev/null
	wait "$BROKER_PID" 2>/dev/null
	BROKER_PID=""
}
# field LINE NAME: the value of NAME=value in a counters line
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
