#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# test-kmod.sh - `make test-kmod`: builds ringscope.ko with W=1 and sparse,
# runs checkpatch on kmod/, builds it again through DKMS (private tree), then
# boots Debian's kernel under qemu (TCG) with a busybox initramfs that loads
# the DKMS-built module and runs tests/kmod/rs_kmod_test.c; checks the
# guest's results, rmmod, dmesg and power-off on the serial console.
# Prints cmocka-style summary lines for tests/run.sh. Env: BUILD (build),
# KMOD_KVER (headers of the running kernel, else linux-headers-amd64's),
# QEMU_TIMEOUT (seconds, 240).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-240}
out=$BUILD/kmod/test
mkdir -p "$out"

. tests/lib/summary.sh
ok() { ts_ok "$1"; }
bad() { ts_fail "$1" "${2:-}"; }
skip() { ts_skip "$1" "$2"; }
summary() { ts_end; }

# make without the caller's jobserver and variables
submake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory \
		BUILD="$BUILD" ${KMOD_KVER:+KMOD_KVER=$KMOD_KVER} "$@"
}

if [ -z "${KMOD_KVER:-}" ]; then
	if [ -d "/lib/modules/$(uname -r)/build" ]; then
		KMOD_KVER=$(uname -r)
	else
		KMOD_KVER=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
			sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
	fi
fi
KDIR=/lib/modules/$KMOD_KVER/build
echo "kernel: ${KMOD_KVER:-none} ($KDIR)"

# ---- 1. Kbuild with W=1 (and sparse, C=1, when installed) ----------------------
ko=""
if [ -z "$KMOD_KVER" ] || [ ! -d "$KDIR" ]; then
	skip kbuild_w1 "no kernel headers (install linux-headers-amd64)"
else
	checks="W=1"
	if command -v sparse >/dev/null 2>&1; then
		checks="W=1 C=1"
	fi
	# objects of an earlier build would hide their warnings
	rm -f "$BUILD"/kmod/tree/kmod/*.o
	# shellcheck disable=SC2086
	if submake kmod $checks >"$out/kbuild.log" 2>&1; then
		warnings=$(grep -i -E 'warning|error' "$out/kbuild.log" |
			grep -v 'Skipping BTF generation')
		if [ -n "$warnings" ]; then
			echo "$warnings"
			bad kbuild_w1 "warnings with $checks"
		else
			ok kbuild_w1
			ko=$BUILD/kmod/tree/kmod/ringscope.ko
		fi
	else
		tail -30 "$out/kbuild.log"
		bad kbuild_w1 "build failed"
	fi
	if [ "$checks" = "W=1" ]; then
		skip sparse "sparse not installed"
	elif [ -n "$ko" ]; then
		ok sparse
	fi
fi

# ---- 2. checkpatch ---------------------------------------------------------------
if cp_out=$(sh tests/kmod/checkpatch.sh "$BUILD" 2>&1); then
	echo "$cp_out" | tail -3
	ok checkpatch
else
	rc=$?
	echo "$cp_out"
	if [ "$rc" -eq 77 ]; then
		skip checkpatch "$(echo "$cp_out" | tail -1)"
	else
		bad checkpatch "kmod/ is not checkpatch clean"
	fi
fi

# ---- 3. DKMS build into a private tree -------------------------------------------
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' kmod/dkms.conf)
dk=$(cd "$out" && pwd)/dkms
if ! command -v dkms >/dev/null 2>&1; then
	skip dkms_build "dkms not installed"
elif [ -z "$ko" ]; then
	skip dkms_build "no kernel headers"
else
	rm -rf "$dk" && mkdir -p "$dk/tree"
	submake kmod-src DEST="$dk/src/ringscope-$ver"
	dkms_opts="--sourcetree $dk/src --dkmstree $dk/tree"
	# shellcheck disable=SC2086
	if dkms add -m ringscope -v "$ver" $dkms_opts >"$out/dkms.log" 2>&1 &&
		dkms build -m ringscope -v "$ver" -k "$KMOD_KVER" $dkms_opts \
			>>"$out/dkms.log" 2>&1; then
		dko=$(find "$dk/tree/ringscope/$ver/$KMOD_KVER" -name 'ringscope.ko*' | head -1)
		if [ -n "$dko" ]; then
			ok dkms_build
			echo "dkms: $dko"
			ko=$dko
		else
			cat "$out/dkms.log"
			bad dkms_build "no ringscope.ko in the dkms tree"
		fi
	else
		cat "$out/dkms.log"
		find "$dk/tree" -name make.log -exec tail -20 {} \;
		bad dkms_build "dkms add/build failed"
	fi
fi

# ---- 4. qemu --------------------------------------------------------------------
vmlinuz=/boot/vmlinuz-$KMOD_KVER
mods=/lib/modules/$KMOD_KVER/kernel
why=""
command -v qemu-system-x86_64 >/dev/null 2>&1 || why="qemu-system-x86_64 not installed"
[ -r "$vmlinuz" ] || why="${why:-no kernel image $vmlinuz (install linux-image-amd64)}"
[ -n "$ko" ] || why="${why:-no module built}"
[ -f "$mods/drivers/block/null_blk/null_blk.ko" ] ||
	why="${why:-no null_blk.ko for $KMOD_KVER}"
if [ -z "$why" ] && ldd /bin/busybox >/dev/null 2>&1; then
	why="/bin/busybox is not static (install busybox-static)"
fi
if [ -z "$why" ] && ! submake "$BUILD/kmod/rs_kmod_test" >"$out/consumer.log" 2>&1; then
	cat "$out/consumer.log"
	bad build_consumer "static test consumer did not build"
	why="no test consumer"
fi
if [ -n "$why" ]; then
	skip qemu "$why"
	summary
fi

root=$out/initramfs
rm -rf "$root" && mkdir -p "$root/bin" "$root/lib" "$root/dev" "$root/proc" \
	"$root/sys" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
cp "$BUILD/kmod/rs_kmod_test" "$root/bin/"
cp "$ko" "$root/lib/ringscope.ko"
cp "$mods/fs/configfs/configfs.ko" "$mods/drivers/block/null_blk/null_blk.ko" \
	"$root/lib/"
cp tests/kmod/guest-init.sh "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$out/initramfs.cpio"

log=$out/console.log
rm -f "$log"
start=$(date +%s%N)
timeout -k 5 "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -m 512 -smp 2 \
	-nodefaults -display none -monitor none -no-reboot \
	-serial "file:$log" -kernel "$vmlinuz" -initrd "$out/initramfs.cpio" \
	-append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init"
qrc=$?
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
tr -d '\r' <"$log" >"$log.txt"
sed -n '/RSTEST DMESG-BEGIN/,/RSTEST DMESG-END/!p' "$log.txt" | grep '^RSTEST'

grep -q '^RSTEST BOOTED' "$log.txt" && ok qemu_boot || bad qemu_boot "no boot marker"
grep -q '^RSTEST INSMOD ok' "$log.txt" && ok insmod || bad insmod "insmod failed"
grep -E '^RSTEST (PASS|FAIL|SKIP) ' "$log.txt" >"$out/guest.txt"
while read -r _ verdict rest; do
	name=guest_${rest%%:*}
	case $verdict in
	PASS) ok "$name" ;;
	FAIL) bad "$name" ;;
	SKIP) skip "$name" "${rest#*: }" ;;
	esac
done <"$out/guest.txt"
grep -q '^RSTEST EXIT rc=0' "$log.txt" && ok guest_exit ||
	bad guest_exit "test consumer did not exit 0"
grep -q '^RSTEST RMMOD ok' "$log.txt" && ok rmmod || bad rmmod "rmmod failed"
sed -n '/^RSTEST DMESG-BEGIN/,/^RSTEST DMESG-END/p' "$log.txt" >"$out/dmesg.txt"
if [ ! -s "$out/dmesg.txt" ]; then
	bad dmesg_clean "no dmesg dump"
elif grep -v -e 'module verification failed: signature' "$out/dmesg.txt" |
	grep -E 'WARNING|BUG|Oops|Call Trace|RIP:|general protection|refcount_t|list_(add|del) corruption|ringscope.*(fail|error)'; then
	bad dmesg_clean "kernel warnings in dmesg"
else
	ok dmesg_clean
fi
if [ "$qrc" -eq 0 ] && grep -q '^RSTEST POWEROFF' "$log.txt"; then
	ok poweroff
else
	bad poweroff "qemu exit status $qrc (124: timeout after ${QEMU_TIMEOUT}s)"
fi

echo "figure: qemu boot-to-poweroff ${ms} ms (wall, TCG, 2 vcpus)"
sed -n 's/^RSTEST BOOTED /figure: guest booted at /p; s/^RSTEST POWEROFF /figure: guest powered off at /p' "$log.txt"
sed -n 's/^RSTEST FIGURE /figure: /p' "$log.txt"
grep -E 'ringscope' "$out/dmesg.txt" | sed 's/^/dmesg: /'
summary
