#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages in a guest: "make deb" packages, installed with
# apt-get on this host so that DKMS builds nfhook.ko for the installed
# headers' kernel (tests/packaging/test-packaging.sh does that and purges
# them again), then a qemu guest of that same Debian kernel with the
# nfhookctl package's files at their own paths and the DKMS-built module.
# There tests/packaging/guest-service.sh runs what nfhook.service runs,
# read from the packaged unit (ExecStart, ExecReload, ExecStop), and checks
# the rules on real traffic between two namespaces, then unloads the module.
#
# Prints one line per check, "ok N description" or "not ok N description"
# (with "# " lines saying why), and exits 1 if any failed.  A kernel report
# (WARNING, BUG, Oops...) in the guest fails the run.  Needs root (apt-get,
# DKMS); nothing stays installed on the host.
#
# Environment: NFHOOK_GUEST_DEBS=DIR  use the nfhookctl and nfhook-dkms
#                                     packages in DIR, and
#              NFHOOK_GUEST_KO=DIR    the nfhook.ko in DIR (as kept by
#                                     test-packaging.sh's NFHOOK_KEEP_DEBS and
#                                     NFHOOK_KEEP_KO), instead of building
#                                     them; both or neither.
#              NFHOOK_CACHE           kernels (see tests/lib/kernel.sh).

tests=$(cd "$(dirname "$0")/.." && pwd)
top=$(dirname "$tests")
# shellcheck source=tests/lib/packages.sh
. "$tests/lib/packages.sh"
# shellcheck source=tests/lib/kernel.sh
. "$tests/lib/kernel.sh"
# shellcheck source=tests/lib/guest.sh
. "$tests/lib/guest.sh"

# shellcheck source=tests/packaging/tap.sh
. "$tests/packaging/tap.sh"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")

finish()
{
	tap_end "packaging in a guest"
	exit
}

# The guest keeps host paths for GUEST_FILES, and mounts a tmpfs on /tmp:
# the staging directory is under /var/tmp.
work=$(mktemp -d /var/tmp/nfhook-guest.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
	tap_skip "packages in a guest" "needs root (apt-get, DKMS)"
	exit 0
fi
packages_install || { not_ok "the test's Debian packages are installed"; finish; }

# ---- the packages and the module DKMS built from them -----------------------

read -r rel _ < <(kernel_stock_release) || { not_ok "linux-headers-amd64 is installed"; finish; }
debs=${NFHOOK_GUEST_DEBS:-}
kodir=${NFHOOK_GUEST_KO:-}
if [ -n "$debs" ] && [ -n "$kodir" ]; then
	echo "# packages from $debs, module from $kodir"
elif [ -n "$debs$kodir" ]; then
	echo "NFHOOK_GUEST_DEBS and NFHOOK_GUEST_KO go together" >&2
	exit 2
else
	debs=$work/debs
	kodir=$work/ko
	echo "# tests/packaging/test-packaging.sh (kernel $rel): builds, installs and purges the packages"
	NFHOOK_KVER=$rel NFHOOK_KEEP_DEBS=$debs NFHOOK_KEEP_KO=$kodir \
		"$tests/packaging/test-packaging.sh" > "$work/packaging.log" 2>&1
	status=$?
	sed 's/^/#   /' "$work/packaging.log"
	if [ $status -eq 0 ]; then
		ok "test-packaging.sh: make deb, apt-get install (DKMS builds nfhook.ko), purge"
	else
		not_ok "test-packaging.sh: make deb, apt-get install (DKMS builds nfhook.ko), purge"
	fi
fi

arch=$(dpkg --print-architecture)
ctl_deb=$debs/nfhookctl_${version}_$arch.deb
dkms_deb=$debs/nfhook-dkms_${version}_all.deb
ko=$kodir/nfhook.ko
if [ ! -f "$ctl_deb" ] || [ ! -f "$dkms_deb" ] || [ ! -f "$ko" ]; then
	not_ok "the packages and the DKMS-built module are there"
	find "$debs" "$kodir" -maxdepth 1 2>&1 | sed 's/^/# /'
	finish
fi

# Nothing of nfhook stays installed on this host.
left=$(for p in nfhookctl nfhook-dkms; do
		s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
		[ -z "$s" ] || [ "$s" = not-installed ] || echo "package $p ($s)"
	done
	dkms status -m nfhook 2>/dev/null
	ls -d /usr/src/nfhook-* /lib/modules/*/updates/dkms/nfhook.ko* /usr/bin/nfhookctl \
		/lib/systemd/system/nfhook.service 2>/dev/null)
if [ -z "$left" ]; then
	ok "nothing of nfhook is installed on the host"
else
	not_ok "nothing of nfhook is installed on the host"
	sed 's/^/# /' <<< "$left"
fi

vermagic=$(modinfo -F vermagic "$ko")
if [ "${vermagic%% *}" = "$rel" ]; then
	ok "the DKMS-built nfhook.ko is for $rel"
else
	not_ok "the DKMS-built nfhook.ko is for $rel (vermagic: $vermagic)"
	finish
fi

# The nfhookctl package's files, as dpkg would unpack them.
mkdir -p "$work/root"
if dpkg-deb -x "$ctl_deb" "$work/root" && [ -x "$work/root/usr/bin/nfhookctl" ]; then
	ok "dpkg-deb -x $(basename "$ctl_deb")"
else
	not_ok "dpkg-deb -x $(basename "$ctl_deb") gives /usr/bin/nfhookctl"
	finish
fi
cp "$ko" "$work/nfhook.ko" || exit 1

# ---- the guest --------------------------------------------------------------

kernel_select stock || { not_ok "Debian's kernel $rel for the guest"; finish; }
GUEST_KMODS=("${kernel_kmods[@]}")
# The script loads the packaged module itself, the way the unit does.
GUEST_NFHOOK_KO=
# Only for the shared libraries it needs (libmnl); the guest script removes
# this copy and runs the packaged /usr/bin/nfhookctl.
GUEST_BINARIES=("$work/root/usr/bin/nfhookctl")
# tap.sh goes next to the guest script, which runs from /nfhook/tests/run.
GUEST_FILES=("$work" "$tests/packaging/tap.sh=/nfhook/tests/run/tap.sh")
GUEST_STEPS=("script:$tests/packaging/guest-service.sh")
GUEST_SHELL=0
GUEST_TIMEOUT=${GUEST_TIMEOUT:-600}

guest_initramfs "$work/initramfs.cpio" || { not_ok "guest initramfs"; finish; }
echo "# booting Debian's $rel in qemu (TCG)"
start=$SECONDS
guest_boot "$kernel_image" "$work/initramfs.cpio" "$work/console.log"
echo "# the guest ran $((SECONDS - start)) s"

# The guest script's own results (its tap.sh lines), renumbered.
while IFS= read -r line; do
	case $line in
	"ok "*" # SKIP "*)
		line=${line#ok * }
		tap_skip "guest: ${line%% # SKIP *}" "${line#* # SKIP }"
		;;
	"ok "*) ok "guest: ${line#ok * }" ;;
	"not ok "*) not_ok "guest: ${line#not ok * }" ;;
	"# "*) echo "$line" ;;
	esac
done < <(sed -n '/NFHOOK-BEGIN guest-service /,/NFHOOK-RESULT guest-service /p' \
	"$work/console.log" | tr -d '\r')

# Boot, the step as a whole, kernel reports, a clean shutdown.
guest_results "$work/console.log" stock "${GUEST_STEPS[@]}" > "$work/results"
status=$?
while IFS= read -r line; do
	case $line in
	PASS\ *) ok "guest ${line#PASS }" ;;
	SKIP\ *:\ *) line=${line#SKIP }; tap_skip "guest ${line%%: *}" "${line#*: }" ;;
	SKIP\ *) tap_skip "guest ${line#SKIP }" "skipped" ;;
	FAIL\ *) not_ok "guest ${line#FAIL }" ;;
	*) echo "# $line" ;;
	esac
done < "$work/results"
if [ $status -ne 0 ] && ! grep -q '^FAIL' "$work/results"; then
	not_ok "guest results"
fi
if [ $tap_failed -ne 0 ] && [ -n "${NFHOOK_GUEST_LOG:-}" ]; then
	cp "$work/console.log" "$NFHOOK_GUEST_LOG"
fi
finish
