#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# outage.sh - Description: the broker process is killed (SIGKILL) for
# OUTAGE_SECONDS (15 in `make test`, 60 in `make outage-export`) while the
# exporter sends a 2000-entity x 20-metric batch every 250 ms with a 2 MiB
# buffer, then restarted on the same port. Checks: the producer never dies,
# its memory stays bounded, metrics are dropped whole intervals oldest first
# and never events, every message is accounted for (sent + dropped =
# produced, none failed or left), delivery resumes within 5 s, and the new
# broker holds exactly the messages counted as sent after the restart.
BUILD=@BUILD@ SRC=@SRC@
. "$SRC/tests/export/lib.sh"
set -u
OUTAGE=${OUTAGE_SECONDS:-15}
LIMIT_KB=2048
NAMES="outage-survived outage-accounting outage-events-kept outage-memory outage-resume outage-broker-content"

m=$(missing_tools)
[ -n "$m" ] && skip_all "$m" $NAMES
port=$(free_port)
start_broker "$port" || { for n in $NAMES; do fail "$n" "broker did not start"; done; summary; }
echo "broker at $ADDR, outage ${OUTAGE} s"
"$PRODUCE" -b "$ADDR" -n 1000000 -i 250 -e 2000 -m 20 -E 1 -X batch_samples=5000 \
	-X queue_buffering_max_kbytes=$LIMIT_KB -X message_timeout_ms=300000 \
	>"$WORK/p.log" 2>"$WORK/p.err" &
PRODUCER_PID=$!
now_ms() { date +%s%3N; }
sleep 3
t_kill=$(now_ms)
stop_broker
sleep "$OUTAGE"
t_restart=$(now_ms)
start_broker "$port" || { for n in $NAMES; do fail "$n" "broker did not restart on port $port"; done; summary; }
# wait for delivery to resume (at most 10 s), then a little more traffic
for _ in $(seq 100); do
	last=$(grep '^interval' "$WORK/p.log" | tail -n 1)
	t=$(field "$last" t)
	[ "$t" -gt "$t_restart" ] 2>/dev/null &&
		[ "$(field "$last" queued_bytes)" -lt 600000 ] && break
	sleep 0.1
done
sleep 2
alive=0
kill -0 "$PRODUCER_PID" 2>/dev/null && alive=1
kill -TERM "$PRODUCER_PID" 2>/dev/null
wait "$PRODUCER_PID"
rc=$?
PRODUCER_PID=""
kcat -C -b "$ADDR" -t gala_gopher -e -o beginning -q -f '%o\n' >"$WORK/after.txt"
# the mock keeps about 5 MiB per partition and deletes older message sets:
# count by the end offset, not by what is still there
on_broker=$(( $(tail -n 1 "$WORK/after.txt") + 1 ))

$PY - "$WORK/p.log" "$t_kill" "$t_restart" >"$WORK/facts" <<'PYEOF'
import sys
log, t_kill, t_restart = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = []
for line in open(log):
    if line.startswith("interval"):
        f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
        rows.append({k: int(v) for k, v in f.items()})
before = [r for r in rows if r["t"] < t_kill]
during = [r for r in rows if t_kill <= r["t"] < t_restart]
after = [r for r in rows if r["t"] >= t_restart]
sent_before_restart = during[-1]["sent"] if during else before[-1]["sent"]
resumed = next((r for r in after if r["sent"] > sent_before_restart), None)
print("rss_before_kb=%d" % max(r["rss_kb"] for r in before))
print("rss_max_kb=%d" % max(r["rss_kb"] for r in rows))
print("queued_bytes_max=%d" % max(r["queued_bytes"] for r in rows))
print("sent_before_restart=%d" % sent_before_restart)
print("resume_ms=%d" % (resumed["t"] - t_restart if resumed else -1))
print("intervals=%d during_outage=%d" % (len(rows), len(during)))
PYEOF
facts=$(cat "$WORK/facts" | tr '\n' ' ')
final=$(grep '^final metrics' "$WORK/p.log")
events=$(grep '^final events' "$WORK/p.log")
echo "facts: $facts"
echo "$final"
echo "$events"
grep '^flush' "$WORK/p.log"
echo "messages appended on the restarted broker: $on_broker (oldest still held: offset $(head -n 1 "$WORK/after.txt"))"
grep -v '^kafka: ' "$WORK/p.err" | head -n 5

check outage-survived sh -c "[ $alive = 1 ] && [ $rc = 0 ] && grep -q '^flush done' $WORK/p.log"
accounting() {
	p=$(field "$final" produced) s=$(field "$final" sent) d=$(field "$final" dropped)
	sp=$(field "$final" samples_produced) ss=$(field "$final" samples_sent)
	sd=$(field "$final" samples_dropped)
	echo "messages: produced $p = sent $s + dropped $d; samples: $sp = $ss + $sd"
	[ "$p" -eq $((s + d)) ] && [ "$sp" -eq $((ss + sd)) ] && [ "$d" -gt 0 ] &&
		[ "$(field "$final" failed)" = 0 ] && [ "$(field "$final" queued)" = 0 ] &&
		[ "$(field "$final" intervals_dropped)" -gt 0 ]
}
check outage-accounting accounting
check outage-events-kept sh -c "[ '$(field "$events" dropped)' = 0 ] && [ '$(field "$events" failed)' = 0 ] && [ '$(field "$events" produced)' = '$(field "$events" sent)' ]"
memory() {
	before=$(field "$facts" rss_before_kb) max=$(field "$facts" rss_max_kb)
	qmax=$(field "$facts" queued_bytes_max)
	echo "rss before the outage ${before} KiB, max ${max} KiB; queued max $qmax bytes (bound $((LIMIT_KB * 1024)))"
	[ "$qmax" -le $((LIMIT_KB * 1024)) ] && [ "$max" -le $((before + 4 * LIMIT_KB + 16384)) ]
}
check outage-memory memory
check outage-resume sh -c "r=$(field "$facts" resume_ms); [ \$r -ge 0 ] && [ \$r -le 5000 ]"
content() {
	want=$(( $(field "$final" sent) - $(field "$facts" sent_before_restart) ))
	echo "restarted broker appended $on_broker messages, sent after the restart: $want"
	[ "$on_broker" -eq "$want" ]
}
check outage-broker-content content
summary
