#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# integration.sh - Description: the exporter through a real Kafka protocol
# broker (librdkafka's mock cluster in its own process): FlatBuffers batches
# consumed with kcat decode with flatc and with ringscope-decode to exactly
# what was produced; JSON mode matches gala-gopher's shapes; the partition
# key keeps one host on one partition; bad input and bad settings give clear
# errors. Takes about 10 s.
BUILD=@BUILD@ SRC=@SRC@
. "$SRC/tests/export/lib.sh"
set -u
NAMES="fb-delivery fb-partition-key fb-ringscope-decode fb-flatc fb-metadata json-metrics json-events json-metadata decode-errors config-errors sigterm-bounded-flush"

m=$(missing_tools)
[ -n "$m" ] && skip_all "$m" $NAMES
port=$(free_port)
if ! start_broker "$port" -P 3 \
	-t gala_gopher,gala_gopher_event,gala_gopher_metadata,json_metrics,json_events,json_metadata; then
	for n in $NAMES; do fail "$n" "test broker did not start"; done
	summary
fi
echo "broker at $ADDR"

# ---- FlatBuffers ----------------------------------------------------------
"$PRODUCE" -b "$ADDR" -n 3 -i 100 -e 300 -m 20 -H -E 4 -X batch_samples=2000 \
	-X compression_codec=lz4 -x "$WORK/expected.jsonl" >"$WORK/fb.log" 2>&1
rc=$?
final=$(grep '^final metrics' "$WORK/fb.log")
echo "$final"
kcat -C -b "$ADDR" -t gala_gopher -e -o beginning -q -f '%R%s' >"$WORK/m.bin"
kcat -C -b "$ADDR" -t gala_gopher -e -o beginning -q -f '%k %p\n' >"$WORK/keys.txt"
kcat -C -b "$ADDR" -t gala_gopher_event -e -o beginning -q -f '%R%s' >"$WORK/e.bin"
n_msgs=$(wc -l <"$WORK/keys.txt")
fb_delivery() {
	[ "$rc" -eq 0 ] || { cat "$WORK/fb.log"; return 1; }
	# 300 rows x 21 samples + 1 host row in parts of <= 2000 samples: 4 per interval
	[ "$(field "$final" produced)" = 12 ] && [ "$(field "$final" sent)" = 12 ] &&
		[ "$(field "$final" dropped)" = 0 ] && [ "$(field "$final" failed)" = 0 ] &&
		[ "$(field "$final" samples_sent)" = $((3 * (300 * 21 + 1))) ] &&
		[ "$n_msgs" = 12 ]
}
check fb-delivery fb_delivery
key_check() {
	[ "$(cut -d' ' -f1 "$WORK/keys.txt" | sort -u)" = "$MACHINE_ID" ] &&
		[ "$(cut -d' ' -f2 "$WORK/keys.txt" | sort -u | wc -l)" = 1 ]
}
check fb-partition-key key_check
fb_decode() {
	"$DECODE" "$WORK/m.bin" >"$WORK/dec.jsonl" && "$DECODE" "$WORK/e.bin" >"$WORK/dec_e.jsonl" &&
		$CHECK compare-decoded "$WORK/expected.jsonl" "$WORK/dec.jsonl" "$WORK/dec_e.jsonl" &&
		"$DECODE" - <"$WORK/m.bin" | cmp - "$WORK/dec.jsonl"
}
check fb-ringscope-decode fb_decode
fb_flatc() {
	mkdir -p "$WORK/bin" "$WORK/fj"
	files=$($CHECK split-stream "$WORK/m.bin" "$WORK/bin") &&
		# shellcheck disable=SC2086
		flatc --json --raw-binary --strict-json -o "$WORK/fj" "$SCHEMA" -- $files &&
		$CHECK compare-flatc "$WORK/expected.jsonl" "$WORK"/fj/*.json
}
check fb-flatc fb_flatc
fb_metadata() {
	timeout 20 "$DECODE" -b "$ADDR" -t gala_gopher_metadata -e >"$WORK/meta.jsonl" &&
		[ "$(grep -c '"kind":"def"' "$WORK/meta.jsonl")" = 2 ] &&
		grep -q '"description":"synthetic metric 3 \\"quoted\\""' "$WORK/meta.jsonl"
}
check fb-metadata fb_metadata

# ---- gala-gopher JSON -------------------------------------------------------
"$PRODUCE" -b "$ADDR" -n 2 -i 100 -e 50 -m 6 -H -E 3 -X format=json \
	-X metric_topic=json_metrics -X event_topic=json_events -X metadata_topic=json_metadata \
	-X compression_codec=zstd -x "$WORK/expected2.jsonl" >"$WORK/json.log" 2>&1
rc=$?
grep '^final' "$WORK/json.log"
for t in metrics events metadata; do
	kcat -C -b "$ADDR" -t json_$t -e -o beginning -q -f '%s\n' >"$WORK/j_$t.txt"
done
check json-metrics sh -c "[ $rc -eq 0 ] && $CHECK check-gala-metrics $WORK/expected2.jsonl $WORK/j_metrics.txt"
check json-events $CHECK check-gala-events "$WORK/expected2.jsonl" "$WORK/j_events.txt"
check json-metadata $CHECK check-gala-metadata "$WORK/j_metadata.txt" 2

# ---- errors -----------------------------------------------------------------
decode_errors() {
	printf 'garbage!garbage!' >"$WORK/g"
	"$DECODE" "$WORK/g" 2>"$WORK/g.err" && return 1
	grep -q "message 0 at byte 0: length 1734439522 over the 256 MiB limit" "$WORK/g.err" || return 1
	head -c 100 "$WORK/m.bin" >"$WORK/t"
	"$DECODE" "$WORK/t" 2>"$WORK/t.err" && return 1
	grep -q "message 0 at byte 0: length .* past the end" "$WORK/t.err" || return 1
	# a bare message cut short: the Verifier refuses it
	f=$(ls "$WORK"/bin/*.bin | head -n 1)
	head -c 200 "$f" >"$WORK/c"
	"$DECODE" "$WORK/c" 2>"$WORK/c.err" && return 1
	grep -q "corrupt or truncated ringscope batch" "$WORK/c.err" || return 1
	printf '\0\0\0\014\010\0\0\0JSON\0\0\0\0' >"$WORK/j"
	"$DECODE" "$WORK/j" 2>"$WORK/j.err" && return 1
	grep -q 'not a ringscope batch: file identifier "JSON"' "$WORK/j.err"
	cat "$WORK/g.err" "$WORK/t.err" "$WORK/c.err" "$WORK/j.err"
}
check decode-errors decode_errors
config_errors() {
	"$PRODUCE" -b "$ADDR" -X compression_codec=brotli 2>"$WORK/c1" && return 1
	grep -q 'kafka.compression_codec: "brotli" is not one of none, gzip, snappy, lz4, zstd' "$WORK/c1" || return 1
	"$PRODUCE" -b "$ADDR" -n 0 -X socket.nonsense=1 2>"$WORK/c2" && return 1
	grep -q 'kafka.socket.nonsense: No such configuration property' "$WORK/c2" || return 1
	"$PRODUCE" -b "$ADDR" -X queue_buffering_max_kbytes=12x 2>"$WORK/c3" && return 1
	grep -q 'kafka.queue_buffering_max_kbytes: "12x" is not an integer' "$WORK/c3" || return 1
	cat "$WORK/c1" "$WORK/c2" "$WORK/c3"
}
check config-errors config_errors
# SIGTERM with no broker: the flush gives up after flush_timeout_ms, the
# process exits, and what was left is counted
sigterm_flush() {
	dead=$(free_port)
	"$PRODUCE" -b "127.0.0.1:$dead" -n 1000 -i 100 -e 100 -X flush_timeout_ms=1500 \
		>"$WORK/dead.log" 2>/dev/null &
	pid=$!
	sleep 1
	t0=$(date +%s%3N)
	kill -TERM $pid
	wait $pid
	rc=$?
	t=$(( $(date +%s%3N) - t0 ))
	f=$(grep '^final metrics' "$WORK/dead.log")
	echo "exit $rc after ${t} ms: $(grep '^flush' "$WORK/dead.log"); $f"
	[ "$rc" = 0 ] && [ "$t" -lt 4000 ] && grep -q '^flush timed out' "$WORK/dead.log" &&
		[ "$(field "$f" sent)" = 0 ] &&
		[ "$(field "$f" produced)" -eq $(( $(field "$f" dropped) + $(field "$f" queued) )) ] &&
		[ "$(field "$f" queued)" -gt 0 ]
}
check sigterm-bounded-flush sigterm_flush
cat "$WORK/check.log"
summary
