#!/bin/busybox sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# guest-init.sh - /init of the qemu guest of `make test-kmod`: set up loopback
# and a null_blk disk with bad blocks, load ringscope.ko, run the test
# consumer, unload, dump dmesg between markers, power off. Every line the
# host checks starts with "RSTEST".
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo "RSTEST BOOTED uptime=$(cut -d' ' -f1 /proc/uptime) cpus=$(grep -c ^processor /proc/cpuinfo)"
ip link set lo up

# null_blk: 64 MiB, memory backed, sectors 1024-1031 fail with EIO
if insmod /lib/configfs.ko && insmod /lib/null_blk.ko nr_devices=0 &&
	mount -t configfs none /sys/kernel/config &&
	mkdir /sys/kernel/config/nullb/nullb0; then
	d=/sys/kernel/config/nullb/nullb0
	echo 64 > $d/size
	echo 1 > $d/memory_backed
	echo 2 > $d/queue_mode
	echo "+1024-1031" > $d/badblocks
	echo 1 > $d/power
	sleep 1
fi
ls -l /dev/nullb0 2>&1 | sed 's/^/RSTEST NOTE init: /'

if insmod /lib/ringscope.ko; then
	echo "RSTEST INSMOD ok"
	ls -l /dev/ringscope | sed 's/^/RSTEST NOTE init: /'
	/bin/rs_kmod_test
	echo "RSTEST EXIT rc=$?"
	if rmmod ringscope; then
		echo "RSTEST RMMOD ok"
	else
		echo "RSTEST RMMOD failed"
	fi
else
	echo "RSTEST INSMOD failed"
fi
echo "RSTEST DMESG-BEGIN"
dmesg
echo "RSTEST DMESG-END"
echo "RSTEST POWEROFF uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
