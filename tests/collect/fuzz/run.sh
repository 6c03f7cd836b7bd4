#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# run.sh - run every collector fuzz target for a few seconds, seeded from the
# fixture trees, and report in cmocka's summary lines for tests/run.sh.
# tests/collect.mk fills in the binaries and folders; COLLECT_FUZZ_SECONDS
# sets the time per target (default 3).
set -u
secs=@SECONDS@
fixtures=@SEEDS@
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 names=""

# parser name -> the file it parses, relative to a fixture root
seed_path() {
	case $1 in
	stat) echo proc/stat ;;
	softirqs) echo proc/softirqs ;;
	softnet) echo proc/net/softnet_stat ;;
	cpuinfo) echo proc/cpuinfo ;;
	meminfo) echo proc/meminfo ;;
	diskstats) echo proc/diskstats ;;
	netdev) echo proc/net/dev ;;
	snmp) echo proc/net/snmp ;;
	qdisc) echo qdisc/dump.bin ;;	# an RTM_GETQDISC dump of a VM
	collector) echo 'collector/*.seed' ;;	# files of two samples, "\n@@\n" apart
	mounts) echo proc/self/mounts ;;
	hostinfo) echo etc/os-release ;;
	esac
}

echo "[==========] Running collector fuzz targets, $secs s each."
for bin in @BINS@; do
	name=${bin##*/fuzz_}
	corpus="$work/$name"
	mkdir -p "$corpus"
	i=0
	for f in $(find "$fixtures" -path "*/$(seed_path "$name")" -type f); do
		i=$((i + 1))
		cp "$f" "$corpus/seed$i"
	done
	echo "[ RUN      ] fuzz_$name"
	if "$bin" -max_total_time="$secs" -max_len=32768 -timeout=10 \
		-artifact_prefix="$work/$name-" "$corpus" >"$work/log" 2>&1; then
		echo "[       OK ] fuzz_$name: $(grep -o 'Done [0-9]* runs' "$work/log" | tail -n 1)"
		passed=$((passed + 1))
	else
		tail -n 40 "$work/log"
		for a in "$work/$name-"*; do
			[ -f "$a" ] && { echo "reproducer (base64):"; base64 "$a" | head -n 20; }
		done
		echo "[  FAILED  ] fuzz_$name"
		failed=$((failed + 1))
		names="$names fuzz_$name"
	fi
done
echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ "$failed" -gt 0 ]; then
	echo "[  FAILED  ] $failed test(s), listed below:"
	for n in $names; do echo "[  FAILED  ] $n"; done
	exit 1
fi
exit 0
