#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot a throwaway guest (qemu, TCG; nothing on this machine is
# changed but the cache in $NFHOOK_CACHE), load nfhook, create namespaces,
# add rules and show traffic being dropped and counted.
#
#   tests/demo.sh [--kernel stock|debug]
#
# Default: Debian's stock kernel with the module built against the installed
# headers, as on a real machine (the debug kernel takes minutes to build the
# first time).

tests=$(cd "$(dirname "$0")" && pwd)
. "$tests/lib/packages.sh"
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/build.sh"

kernel=stock
case ${1:-} in
--kernel) kernel=${2:?--kernel needs stock or debug} ;;
"") ;;
*) echo "usage: tests/demo.sh [--kernel stock|debug]" >&2; exit 2 ;;
esac

build_user_guest demo "$kernel" || exit 1
GUEST_STEPS=("script:$tests/demo/demo-guest.sh")
GUEST_SHELL=0

work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-demo.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
guest_initramfs "$work/initramfs.cpio" || exit 1
echo "demo: booting the guest (TCG: give it a few seconds)..."

# The guest's console, without the kernel's own messages and the markers.
: > "$work/console.log"
guest_boot "$kernel_image" "$work/initramfs.cpio" "$work/console.log" &
qemu=$!
tail -n +1 -f --pid=$qemu "$work/console.log" | tr -d '\r' |
	grep --line-buffered -vE '^\[ *[0-9]+\.[0-9]+\]|NFHOOK-|^.?\[\?|iPXE|SeaBIOS|^Booting'
wait $qemu
echo
if guest_results "$work/console.log" demo "${GUEST_STEPS[@]}" > "$work/results"; then
	echo "demo: done"
else
	grep -v '^PASS' "$work/results"
	echo "demo: something went wrong (above)"
	exit 1
fi
