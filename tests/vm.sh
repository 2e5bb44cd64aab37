#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a throwaway guest with nfhook and run test scripts in it, or a shell.
#
#   tests/vm.sh [OPTIONS] [SCRIPT...]
#
# SCRIPT is a path or a name in tests/integration (ping-drop for
# tests/integration/ping-drop.sh).  Without SCRIPT (and without --kunit) the
# guest gives you a shell, with nfhook.ko loaded and nfhookctl in PATH.
#
# Options:
#   --kernel debug|stock	the debug kernel (KASAN, lockdep, kmemleak, KUnit;
#				built once into $NFHOOK_CACHE) or Debian's own
#				(default: debug)
#   --module FILE		this nfhook.ko instead of building the tree's
#   --kunit			run the KUnit suites (module built with NFHOOK_KUNIT=y)
#   --shell			a shell after the scripts
#   --quiet			no console on the terminal, only the results
#   --log FILE			keep the console here (default: a temporary file)
#   --timeout SECONDS		end the guest after this long (default 1800)
#
# Exit status 0 if every step passed (skips allowed), 1 otherwise.

tests=$(cd "$(dirname "$0")" && pwd)
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/build.sh"

usage()
{
	sed -n '4,23s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

kernel=debug module='' kunit=0 shell=0 quiet=0 log=''
scripts=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?--kernel needs debug or stock}; shift ;;
	--module) module=${2:?--module needs a file}; shift ;;
	--kunit) kunit=1 ;;
	--shell) shell=1 ;;
	--quiet) quiet=1 ;;
	--log) log=${2:?--log needs a file}; shift ;;
	--timeout) GUEST_TIMEOUT=${2:?--timeout needs seconds}; shift ;;
	-h|--help) usage ;;
	-*) echo "vm.sh: unknown option $1" >&2; usage ;;
	*)
		if [ -f "$1" ]; then
			scripts+=("$(realpath "$1")")
		elif [ -f "$tests/integration/$1.sh" ]; then
			scripts+=("$tests/integration/$1.sh")
		else
			echo "vm.sh: no script $1 (nor tests/integration/$1.sh)" >&2
			exit 2
		fi
		;;
	esac
	shift
done
[ ${#scripts[@]} -eq 0 ] && [ $kunit = 0 ] && shell=1

kernel_select "$kernel" || exit 1

GUEST_STEPS=()
GUEST_BINARIES=()
if [ $kunit = 1 ]; then
	ko=$(build_module "$kernel_kdir" "$kernel_label-kunit" NFHOOK_KUNIT=y) || exit 1
	GUEST_STEPS+=("kunit:$ko")
fi
if [ -z "$module" ] && { [ ${#scripts[@]} -gt 0 ] || [ $shell = 1 ]; }; then
	module=$(build_module "$kernel_kdir" "$kernel_label") || exit 1
fi
GUEST_NFHOOK_KO=$module
if ctl=$(build_userland 2> /dev/null); then
	GUEST_BINARIES+=("$ctl")
else
	echo "vm.sh: nfhookctl not built (no userland yet?); the guest has none" >&2
fi
mapfile -t tools < <(build_tools) && GUEST_BINARIES+=("${tools[@]}")
for s in "${scripts[@]}"; do
	GUEST_STEPS+=("script:$s")
done
GUEST_KMODS=("${kernel_kmods[@]}")
GUEST_SHELL=$shell

work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-vm.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/console.log
guest_initramfs "$work/initramfs.cpio" || exit 1

start=$SECONDS
if [ $shell = 1 ]; then
	GUEST_INTERACTIVE=1 guest_boot "$kernel_image" "$work/initramfs.cpio" "$log"
elif [ $quiet = 1 ]; then
	guest_boot "$kernel_image" "$work/initramfs.cpio" "$log"
else
	GUEST_VERBOSE=1 guest_boot "$kernel_image" "$work/initramfs.cpio" "$log"
fi
echo "--- $kernel_label guest ran $((SECONDS - start)) s" >&2
guest_results "$log" "$kernel_label" "${GUEST_STEPS[@]}"
