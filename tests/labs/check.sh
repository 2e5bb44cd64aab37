#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The labs' checkers (docs/labs/), tested in one guest on Debian's stock
# kernel (it has conntrack, NAT and nftables as modules): for each lab, set
# up, its checker must fail and say why, the reference solution
# (tests/labs/solutions/N.sh) is applied, its checker must pass.  One
# result line each (PASS or FAIL and a name), as tests/check.sh records
# them; exit status non-zero if anything failed.
#
#   tests/labs/check.sh [--kernel stock|debug] [--log FILE] [N...]

labs=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$labs")
. "$tests/lib/packages.sh"
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/build.sh"

kernel=stock log=''
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?--kernel needs stock or debug}; shift ;;
	--log) log=${2:?--log needs a file}; shift ;;
	-*) echo "usage: tests/labs/check.sh [--kernel stock|debug] [--log FILE] [N...]" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done

build_user_guest labs "$kernel" > /dev/null || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-labs.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/console.log

# The step runs the labs given (default: all) from the guest's copy.
printf '#!/bin/bash\nexec /nfhook/labs/run.sh %s\n' "$*" > "$work/labs.sh"
GUEST_FILES=("$labs=/nfhook/labs")
GUEST_STEPS=("script:$work/labs.sh")
GUEST_SHELL=0
guest_initramfs "$work/initramfs.cpio" || exit 1
guest_boot "$kernel_image" "$work/initramfs.cpio" "$log"

# The TAP lines of the step, then the step itself (kernel splats, a crash
# or a timeout fail it).
sed -n '/NFHOOK-BEGIN labs /,/NFHOOK-RESULT labs /p' "$log" | tr -d '\r' |
	awk '/^# / { buf = buf "    | " substr($0, 3) "\n"; next }
	     /^ok [0-9]+ - / { sub(/^ok [0-9]+ - /, ""); print "PASS labs/" $0; buf = ""; next }
	     /^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, "")
				  print "FAIL labs/" $0; printf "%s", buf; buf = "" }'
guest_results "$log" labs "${GUEST_STEPS[@]}"
