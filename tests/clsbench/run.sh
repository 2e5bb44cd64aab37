#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/clsbench/run.sh [stock|debug]: measures the rule table (lookups
# through the table, the linear walk and the classifier at 1 to 10,000
# rules; single updates at 10,000) in one guest of that kernel (default:
# Debian's stock kernel, which has no KUnit) and prints the results.
# Builds nfhook_clsbench.ko from module/table.c, classifier*.c, match.c
# and rule.c.
# A measurement, not a test: it asserts nothing.  See docs/classifier.md.

tests=$(cd "$(dirname "$0")/.." && pwd)
top=$(dirname "$tests")
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"

kernel_select "${1:-stock}" || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-clsbench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
log=${CLSBENCH_LOG:-$work/console.log}
src=$work/src
mkdir -p "$src"
cp "$top"/module/{table.c,classifier.c,classifier_key.c,classifier_mem.c,classifier.h,classifier_int.h,match.c,rule.c,nfhook.h,compat.h} \
	"$tests"/clsbench/{Kbuild,clsbench.c} "$src/" || exit 1
cp -r "$top/include" "$src/" || exit 1
if ! make -C "$kernel_kdir" M="$src" W=1 modules > "$work/build.log" 2>&1; then
	tail -n 30 "$work/build.log" >&2
	echo "clsbench: nfhook_clsbench.ko did not build against $kernel_kdir" >&2
	exit 1
fi
if grep -q 'warning:' "$work/build.log"; then
	grep 'warning:' "$work/build.log" >&2
fi

cat > "$work/clsbench.sh" <<'GUEST'
# Loading runs the measurements and then fails on purpose (-EAGAIN).
insmod /nfhook/clsbench/nfhook_clsbench.ko
dmesg | grep -q 'clsbench: done (0)'
GUEST
mkdir -p "$work/stage/nfhook/clsbench"
cp "$src/nfhook_clsbench.ko" "$work/stage/nfhook/clsbench/" || exit 1
GUEST_KMODS=("${kernel_kmods[@]}")
GUEST_NFHOOK_KO=
GUEST_STEPS=("script:$work/clsbench.sh")
guest_initramfs "$work/initramfs.cpio" || exit 1
# The module at /nfhook/clsbench: a second cpio archive appended.
(cd "$work/stage" && find nfhook | cpio -o -H newc --quiet) >> "$work/initramfs.cpio" || exit 1
start=$SECONDS
guest_boot "$kernel_image" "$work/initramfs.cpio" "$log"
echo "--- $kernel_label guest ran $((SECONDS - start)) s" >&2
grep -a 'clsbench:' "$log" | sed 's/^\[[ 0-9.]*\] //' | tr -d '\r'
grep -aq 'clsbench: done (0)' "$log"
