#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell: a throwaway guest to learn in (qemu, TCG: nothing on this
# machine changes but the cache in $NFHOOK_CACHE, and no module is loaded
# here).  nfhook is loaded, nfhookctl, nft, ip, ping, socat and jq are
# there, and the namespaces client -- router -- server (IPv4 and IPv6)
# are set up; the serial console is yours.  Leaving the shell powers the
# guest off.
#
#   tests/shell.sh [--kernel stock|debug]
#
# Default: Debian's stock kernel (conntrack, NAT, nftables as modules);
# the debug kernel has KASAN and lockdep but few netfilter modules.

tests=$(cd "$(dirname "$0")" && pwd)
. "$tests/lib/packages.sh"
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/build.sh"

kernel=stock
case ${1:-} in
--kernel) kernel=${2:?--kernel needs stock or debug} ;;
"") ;;
*) echo "usage: tests/shell.sh [--kernel stock|debug]" >&2; exit 2 ;;
esac

packages_install || exit 1
echo "shell: preparing the $kernel kernel, nfhook.ko and nfhookctl..." >&2
kernel_select "$kernel" || exit 1
GUEST_NFHOOK_KO=$(build_module "$kernel_kdir" "$kernel_label") || exit 1
GUEST_BINARIES=("$(build_userland)") || exit 1
command -v socat > /dev/null && GUEST_BINARIES+=("$(command -v socat)")
GUEST_KMODS=("${kernel_kmods[@]}")
GUEST_STEPS=("script:$tests/shell/topology.sh")
GUEST_SHELL=1

work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-shell.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
guest_initramfs "$work/initramfs.cpio" || exit 1
echo "shell: booting the guest (TCG: give it a few seconds)..." >&2
GUEST_INTERACTIVE=1 guest_boot "$kernel_image" "$work/initramfs.cpio" \
	"$work/console.log"
