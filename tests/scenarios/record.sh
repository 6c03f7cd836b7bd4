#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# record.sh - record labelled series from injected faults on this machine,
# in NAB's format (data/scenario/NAME.csv with timestamp,value once per
# second, and labels.json with the fault's window), for
# ringscope-detect-eval. Signals are read from /proc directly (no agent):
#   cpu_runnable:   procs_running of /proc/stat (the CPU pressure "some"
#                   of this shared machine is saturated already);
#                   fault: stress-ng CPU hogs on every core (nice 10)
#   memory_pressure: /proc/pressure/memory some total, ms per second;
#                   fault: stress-ng --vm in a 64 MiB memory cgroup (v1)
#   loop_write_latency: ms of one 64 KiB direct write to a loop device from
#                   a blkio cgroup that also holds a steady writer; fault:
#                   the cgroup's write throttle at 256 KiB/s (cgroup v1
#                   blkio here: io.max needs the v2 io controller, which
#                   this machine's hybrid hierarchy keeps on v1)
# Usage (root): record.sh OUT_DIR [SECONDS [FAULT_START [FAULT_LEN]]]
# RECORD_ONLY="name ..." records only those series (the others' labels are
# kept: labels.json is rebuilt from OUT_DIR/labels.d/).
set -eu
out=$1
secs=${2:-360}
start=${3:-270}
len=${4:-30}
mkdir -p "$out/data/scenario" "$out/labels.d"
tmp=$(mktemp -d)
loop="" writer="" cg_blk="" cg_mem=""
cleanup() {
	[ -n "$writer" ] && kill "$writer" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "$loop" ] && losetup -d "$loop" 2>/dev/null || true
	[ -n "$cg_blk" ] && rmdir "$cg_blk" 2>/dev/null || true
	[ -n "$cg_mem" ] && rmdir "$cg_mem" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

psi_total() { sed -n 's/^some .*total=\([0-9]*\).*/\1/p' "$1"; }

# sample NAME KIND PROBE INJECT STOP: one value per second for $secs seconds
# (KIND rate: the probe's counter per second / 1000, us -> ms; gauge: the
# probe's value); the fault runs from sample $start for $len seconds
sample() {
	name=$1 kind=$2 probe=$3 inject=$4 stop=$5
	csv="$out/data/scenario/$name.csv"
	echo "timestamp,value" >"$csv"
	prev=$($probe)
	i=0
	while [ "$i" -lt "$secs" ]; do
		[ "$i" -eq "$start" ] && { $inject; t0=$(date -u '+%Y-%m-%d %H:%M:%S'); }
		[ "$i" -eq $((start + len)) ] && { $stop; t1=$(date -u '+%Y-%m-%d %H:%M:%S'); }
		sleep 1
		cur=$($probe)
		if [ "$kind" = rate ]; then
			v=$(awk -v a="$prev" -v b="$cur" 'BEGIN { print (b - a) / 1000 }')
		else
			v=$cur
		fi
		printf '%s,%s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "$v" >>"$csv"
		prev=$cur
		i=$((i + 1))
	done
	# the window: from the first sample after the injection to the first
	# sample 10 s after it stopped (effects linger a little)
	w0=$(awk -F, -v t="$t0" 'NR > 1 && $1 > t { print $1; exit }' "$csv")
	w1=$(awk -F, -v t="$t1" 'NR > 1 && $1 > t { n++; last = $1; if (n == 10) exit }
		END { print last }' "$csv")
	echo "\"scenario/$name.csv\": [[\"$w0\", \"$w1\"]]" >"$out/labels.d/$name"
}

cpu_probe() { awk '$1 == "procs_running" { print $2 }' /proc/stat; }
cpu_on() { nice -n 10 stress-ng --cpu "$(nproc)" --timeout "$len" >/dev/null 2>&1 & }
cpu_off() { :; }

mem_probe() { psi_total /proc/pressure/memory; }
mem_on() {
	cg_mem=/sys/fs/cgroup/memory/rs-scenario-$$
	mkdir -p "$cg_mem"
	echo $((64 << 20)) >"$cg_mem/memory.limit_in_bytes"
	sh -c "echo \$\$ > $cg_mem/cgroup.procs; exec stress-ng --vm 1 --vm-bytes 96M \
		--page-in --timeout $len" >/dev/null 2>&1 &
}
mem_off() { :; }

# the latency a writer in the throttled cgroup sees: one 64 KiB direct write
blk_probe() {
	b=$(date +%s%N)
	sh -c "echo \$\$ > $cg_blk/cgroup.procs; exec dd if=/dev/zero of=$loop bs=64k count=1 \
		oflag=direct 2>/dev/null"
	echo $((($(date +%s%N) - b) / 1000000))
}
blk_on() { echo "$majmin 262144" >"$cg_blk/blkio.throttle.write_bps_device"; }
blk_off() { echo "$majmin 0" >"$cg_blk/blkio.throttle.write_bps_device"; }

wanted() { [ -z "${RECORD_ONLY:-}" ] || case " $RECORD_ONLY " in *" $1 "*) ;; *) false ;; esac; }

wanted cpu_runnable && sample cpu_runnable gauge cpu_probe cpu_on cpu_off
wanted memory_pressure && sample memory_pressure rate mem_probe mem_on mem_off
if wanted loop_write_latency; then

truncate -s 64M "$tmp/disk"
loop=$(losetup -f --show "$tmp/disk")
majmin=$(lsblk -dno MAJ:MIN "$loop" | tr -d ' ')
cg_blk=/sys/fs/cgroup/blkio/rs-scenario-$$
mkdir -p "$cg_blk"
sh -c "echo \$\$ > $cg_blk/cgroup.procs; while :; do \
	dd if=/dev/zero of=$loop bs=64k count=4 oflag=direct 2>/dev/null; sleep 0.2; done" &
writer=$!
sample loop_write_latency gauge blk_probe blk_on blk_off
kill "$writer" 2>/dev/null || true
writer=""
fi

{ echo "{"; cat "$out"/labels.d/* | sed '$!s/$/,/'; echo "}"; } >"$out/labels.json"
echo "recorded into $out"
