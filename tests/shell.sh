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

build_user_guest shell "$kernel" || exit 1
GUEST_STEPS=("script:$tests/shell/topology.sh")
# The labs (docs/labs/): the lab command, and make lab LAB=N / make
# lab-check LAB=N in /root, where the shell starts.
GUEST_FILES=("$tests/labs=/nfhook/labs" "$tests/labs/lab=/usr/local/bin/lab"
	     "$tests/labs/Makefile.guest=/root/Makefile"
	     "$tests/labs/profile=/root/.bash_profile")
[ -x /usr/bin/make ] && GUEST_BINARIES+=(/usr/bin/make)
GUEST_SHELL=1

work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-shell.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
guest_initramfs "$work/initramfs.cpio" || exit 1
echo "shell: booting the guest (TCG: give it a few seconds)..." >&2
GUEST_INTERACTIVE=1 guest_boot "$kernel_image" "$work/initramfs.cpio" \
	"$work/console.log"
