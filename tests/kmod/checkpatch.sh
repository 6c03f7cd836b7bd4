#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# checkpatch.sh - run the kernel's checkpatch.pl --no-tree -f on every C file
# of kmod/. The script comes from Debian's linux-source-6.1 tarball, pulled
# out once into BUILD/kmod/checkpatch. Exit 0 clean, 1 not clean, 77 when no
# checkpatch.pl can be found (last line says why). Usage: checkpatch.sh [BUILD]
set -u
cd "$(dirname "$0")/../.." || exit 1
dir=${1:-build}/kmod/checkpatch
cp=$dir/scripts/checkpatch.pl
if [ ! -f "$cp" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.* 2>/dev/null | sort -V | tail -1)
	if [ -z "$tarball" ]; then
		echo "checkpatch.pl not found: install linux-source-6.1"
		exit 77
	fi
	top=$(basename "$tarball" | sed 's/\.tar\..*//')
	mkdir -p "$dir"
	tar -xf "$tarball" -C "$dir" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" || exit 77
fi
status=0
for f in kmod/*.c kmod/*.h; do
	if res=$(perl "$cp" --no-tree -f --show-types "$f"); then
		echo "$f: $(echo "$res" | grep '^total:')"
	else
		echo "$res"
		status=1
	fi
done
exit $status
