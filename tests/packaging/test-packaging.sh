#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of installing nfhook: "make install" into a DESTDIR, a plain
# "dkms add . && dkms build" against installed kernel headers, "make
# dkms-install" / "make dkms-remove", and the packages of "make deb" installed
# with apt-get and purged, leaving nothing behind. No module is loaded: this
# host cannot load modules (the guest tests do that with the same packages).
#
# Prints one line per check, "ok N description" or "not ok N description"
# (followed by "# " lines with the end of its log), and exits 1 if any failed.
# Runs from a private copy of the source tree, so the work tree gets no build
# output. Needs root for everything that touches the system (DKMS, dpkg); it
# installs the Debian packages it needs itself. Safe to repeat: everything it
# installs is removed on exit, and a run that was killed is cleaned up by the
# next one (a marker file records that a run was in progress).
#
# Environment: NFHOOK_KVER  kernel to build for (default: the running kernel
#                           if its headers are installed, else the newest
#                           /lib/modules/*/build).
#              NFHOOK_KEEP_DEBS=DIR  copy the built .deb files to DIR.
#              NFHOOK_KEEP_KO=DIR    copy the nfhook.ko that the package's DKMS
#                                    postinst built for NFHOOK_KVER to DIR.

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
marker=/var/lib/nfhook-test-packaging.running
tmp=$(mktemp -d /tmp/nfhook-packaging.XXXXXX)
src=$tmp/src

# ---- reporting -------------------------------------------------------------

# ok, not_ok, tap_skip, tap_check DESCRIPTION FUNCTION [ARGS] (FUNCTION runs
# in a subshell with set -e, its output shown only on failure), tap_end.
# shellcheck source=tests/packaging/tap.sh
. "$(dirname "$0")/tap.sh"
TAP_TAIL=25

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# ---- setup and cleanup -----------------------------------------------------

pkg_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" != "" ] &&
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" != "not-installed" ]
}

# Everything this script may have put on the system, removed in reverse.
cleanup_system() {
	local p
	for p in nfhookctl nfhook-dkms; do
		if pkg_installed "$p"; then
			DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$p" >/dev/null 2>&1 ||
				dpkg --purge "$p" >/dev/null 2>&1
		fi
	done
	if [ -n "$(dkms status -m nfhook 2>/dev/null)" ]; then
		dkms remove -m nfhook -v "$version" --all >/dev/null 2>&1
	fi
	rm -rf "/usr/src/nfhook-$version"
}

cleanup() {
	if [ -e "$marker" ]; then
		cleanup_system
		rm -f "$marker"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Anything of nfhook on the system that this script did not install.
foreign_install() {
	pkg_installed nfhookctl || pkg_installed nfhook-dkms ||
		[ -n "$(dkms status -m nfhook 2>/dev/null)" ] ||
		compgen -G "/usr/src/nfhook-*" >/dev/null
}

need_pkgs() {
	local missing=() p
	for p; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "# installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >"$tmp/apt.log" 2>&1 && return 0
	apt-get update -q >>"$tmp/apt.log" 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >>"$tmp/apt.log" 2>&1 ||
		{ sed 's/^/# /' "$tmp/apt.log" | tail -n 20; return 1; }
}

pick_kver() {
	if [ -n "${NFHOOK_KVER-}" ]; then
		echo "$NFHOOK_KVER"
	elif [ -d "/lib/modules/$(uname -r)/build" ]; then
		uname -r
	else
		ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4
	fi
}

# A copy of the tree as git sees it (tracked and new files, not ignored ones).
copy_tree() {
	"$top/packaging/tree-copy.sh" "$top" "$src"
}

# ---- checks ----------------------------------------------------------------

dest=$tmp/dest
ctl_deb=$tmp/deb/nfhookctl_${version}_$(dpkg --print-architecture).deb
dkms_deb=$tmp/deb/nfhook-dkms_${version}_all.deb

t_make_install() {
	make -C "$src" install DESTDIR="$dest" PREFIX=/usr/local
	local bin=$dest/usr/local/bin/nfhookctl
	[ -f "$bin" ] && [ -x "$bin" ] || fail "no executable $bin"
	"$bin" --help >/dev/null || fail "$bin --help failed"
	compgen -G "$dest/usr/local/share/man/man8/nfhookctl.8*" >/dev/null ||
		fail "no man page under $dest/usr/local/share/man/man8"
	[ -f "$dest/usr/local/share/bash-completion/completions/nfhookctl" ] ||
		fail "no bash completion under $dest/usr/local/share/bash-completion/completions"
	find "$dest" -mindepth 1 ! -type d | sed "s|^$dest||" | sort
	# Nothing outside PREFIX.
	[ -z "$(find "$dest" -mindepth 1 ! -type d ! -path "$dest/usr/local/*")" ] ||
		fail "files installed outside /usr/local"
}

t_make_uninstall() {
	make -C "$src" uninstall DESTDIR="$dest" PREFIX=/usr/local
	local left
	left=$(find "$dest" -mindepth 1 ! -type d)
	[ -z "$left" ] || fail "left after uninstall: $left"
}

t_install_service() {
	local d=$tmp/dest-service unit exe
	make -C "$src" install install-service install-modules-load DESTDIR="$d" PREFIX=/usr/local
	unit=$d/usr/local/lib/systemd/system/nfhook.service
	[ -f "$unit" ] || fail "no $unit"
	! grep -n '@[A-Z]*@' "$unit" || fail "unsubstituted template variables in $unit"
	grep -q '^ExecStart=/sbin/modprobe nfhook$' "$unit" || fail "unit does not load the module"
	# Every nfhookctl the unit runs is the one "make install" installed.
	for exe in $(sed -n 's/^Exec[A-Za-z]*=\([^ ]*nfhookctl\) .*/\1/p' "$unit"); do
		[ -x "$d$exe" ] || fail "unit runs $exe, not installed there"
	done
	grep -q '^ExecStart=.*nfhookctl restore /etc/nfhook/rules.conf$' "$unit" ||
		fail "unit does not restore /etc/nfhook/rules.conf"
	grep -q '^Before=network-pre.target' "$unit" || fail "unit not ordered before network-pre.target"
	[ -f "$d/etc/nfhook/rules.conf" ] || fail "no /etc/nfhook/rules.conf"
	! grep -v '^#' "$d/etc/nfhook/rules.conf" | grep -q . ||
		fail "the default rules.conf holds a rule"
	[ "$(grep -v '^#' "$d/etc/modules-load.d/nfhook.conf")" = nfhook ] ||
		fail "modules-load.d entry does not name nfhook"
	# An admin's rules.conf survives a second install-service.
	echo "# mine" >"$d/etc/nfhook/rules.conf"
	make -C "$src" install-service DESTDIR="$d" PREFIX=/usr/local
	[ "$(cat "$d/etc/nfhook/rules.conf")" = "# mine" ] || fail "install-service replaced rules.conf"
	make -C "$src" uninstall-service uninstall-modules-load DESTDIR="$d" PREFIX=/usr/local
	[ ! -e "$unit" ] && [ ! -e "$d/etc/modules-load.d/nfhook.conf" ] ||
		fail "uninstall-service left files"
}

# The module's vermagic must name the kernel it was built for.
check_ko() {
	local ko=$1 vm
	[ -f "$ko" ] || fail "no $ko"
	vm=$(modinfo -F vermagic "$ko")
	[ "${vm%% *}" = "$kver" ] || fail "$ko: vermagic '$vm', expected $kver"
	[ "$(modinfo -F version "$ko")" = "$version" ] ||
		echo "note: $ko has no MODULE_VERSION $version" >&2
}

t_dkms_plain() {
	local d=$tmp/dkms dk
	mkdir -p "$d/tree" "$d/src" "$d/inst"
	dk=(dkms --dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/inst")
	cd "$src"
	"${dk[@]}" add .
	"${dk[@]}" build "nfhook/$version" -k "$kver"
	check_ko "$d/tree/nfhook/$version/$kver/$(uname -m)/module/nfhook.ko"
}

t_dkms_install() {
	make -C "$src" dkms-install KVER="$kver"
	dkms status -m nfhook -v "$version" -k "$kver" | grep -q ': installed' ||
		fail "dkms status: $(dkms status -m nfhook)"
	check_ko "/lib/modules/$kver/updates/dkms/nfhook.ko"
	[ -f "/usr/src/nfhook-$version/dkms.conf" ] || fail "no /usr/src/nfhook-$version/dkms.conf"
	[ ! -e "/usr/src/nfhook-$version/tests" ] && [ ! -e "/usr/src/nfhook-$version/userland" ] ||
		fail "/usr/src/nfhook-$version holds more than the module sources"
	# A second run replaces the first.
	make -C "$src" dkms-install KVER="$kver"
	make -C "$src" dkms-remove
	leftovers
}

t_make_deb() {
	make -C "$src" deb DEB_OUTDIR="$tmp/deb"
	[ -f "$ctl_deb" ] && [ -f "$dkms_deb" ] || fail "missing .deb files"
	dpkg-deb -c "$ctl_deb" | awk '{print $6}' >"$tmp/ctl.list"
	dpkg-deb -c "$dkms_deb" | awk '{print $6}' >"$tmp/dkms.list"
	local f
	for f in ./usr/share/man/man8/nfhookctl.8.gz ./usr/share/bash-completion/completions/nfhookctl \
		./lib/systemd/system/nfhook.service ./etc/nfhook/rules.conf; do
		grep -qxF "$f" "$tmp/ctl.list" || fail "$f not in $ctl_deb"
	done
	grep -qxF ./usr/bin/nfhookctl "$tmp/ctl.list" || fail "/usr/bin/nfhookctl not in $ctl_deb"
	for f in dkms.conf Kbuild include/uapi/linux/nfhook.h; do
		grep -qxF "./usr/src/nfhook-$version/$f" "$tmp/dkms.list" || fail "$f not in $dkms_deb"
	done
	! grep -E '/(tests|userland)/' "$tmp/dkms.list" || fail "$dkms_deb holds more than the module"
	[ "$(dpkg-deb -f "$ctl_deb" Version)" = "$version" ] || fail "version is not $version"
	if [ -n "${NFHOOK_KEEP_DEBS-}" ]; then
		mkdir -p "$NFHOOK_KEEP_DEBS"
		cp "$ctl_deb" "$dkms_deb" "$NFHOOK_KEEP_DEBS"/
	fi
}

t_deb_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$dkms_deb" "$ctl_deb"
	dkms status -m nfhook -v "$version" -k "$kver" | grep -q ': installed' ||
		fail "dkms status: $(dkms status -m nfhook)"
	check_ko "/lib/modules/$kver/updates/dkms/nfhook.ko"
	if [ -n "${NFHOOK_KEEP_KO-}" ]; then
		mkdir -p "$NFHOOK_KEEP_KO"
		cp "/lib/modules/$kver/updates/dkms/nfhook.ko" "$NFHOOK_KEEP_KO"/
	fi
	local bin
	bin=$(command -v nfhookctl) || fail "nfhookctl not in PATH"
	[ "$bin" = /usr/bin/nfhookctl ] || fail "nfhookctl is $bin, not /usr/bin/nfhookctl"
	nfhookctl --help >/dev/null
	dpkg-query -W -f='${Conffiles}\n' nfhookctl | grep -q ' /etc/nfhook/rules.conf ' ||
		fail "/etc/nfhook/rules.conf is not a conffile"
	systemd-analyze verify /lib/systemd/system/nfhook.service
	# Disabled until the admin enables it, like nftables.service.
	[ "$(systemctl is-enabled nfhook.service 2>/dev/null)" = disabled ] ||
		fail "nfhook.service is $(systemctl is-enabled nfhook.service 2>&1)"
}

leftovers() {
	local found
	found=$(ls -d /usr/src/nfhook-* /var/lib/dkms/nfhook /usr/sbin/nfhookctl /usr/bin/nfhookctl \
		/etc/nfhook /lib/systemd/system/nfhook.service /usr/share/doc/nfhookctl \
		/usr/share/doc/nfhook-dkms /usr/share/man/man8/nfhookctl.8.gz \
		/usr/share/bash-completion/completions/nfhookctl /lib/modules/*/updates/dkms/nfhook.ko* \
		/etc/systemd/system/*/nfhook.service 2>/dev/null || true)
	[ -z "$found" ] || fail "left behind: $found"
	[ -z "$(dkms status -m nfhook)" ] || fail "dkms still knows: $(dkms status -m nfhook)"
}

t_deb_remove() {
	echo "# edited" >>/etc/nfhook/rules.conf
	DEBIAN_FRONTEND=noninteractive apt-get remove -y -q nfhookctl nfhook-dkms
	[ -f /etc/nfhook/rules.conf ] || fail "remove deleted the edited conffile"
	[ ! -e /usr/src/nfhook-"$version" ] || fail "remove left /usr/src/nfhook-$version"
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q nfhookctl nfhook-dkms
	! pkg_installed nfhookctl && ! pkg_installed nfhook-dkms || fail "packages still known to dpkg"
	leftovers
}

t_lintian() {
	lintian --fail-on error --suppress-tags bogus-mail-host,bogus-mail-host-in-debian-changelog \
		"$tmp"/deb/*.changes
}

# ---- main ------------------------------------------------------------------

[ -n "$version" ] || { not_ok "dkms.conf has a PACKAGE_VERSION"; exit 1; }
root=0
[ "$(id -u)" = 0 ] && root=1

if [ $root = 1 ]; then
	# A run that was killed left its installs behind: they are ours to remove.
	if [ -e "$marker" ]; then
		echo "# removing what a killed run left behind"
		cleanup_system
		stale=$(cat "$marker")
		case $stale in /tmp/nfhook-packaging.*) rm -rf "$stale" ;; esac
		rm -f "$marker"
	fi
	pkgs=(dkms kmod make gcc libc6-dev pkg-config libmnl-dev)
	[ -n "$(pick_kver)" ] || pkgs+=("linux-headers-$(dpkg --print-architecture)")
	need_pkgs "${pkgs[@]}" || exit 1
fi
kver=$(pick_kver)

tap_check "copy of the source tree" copy_tree
[ $? -eq 0 ] || exit 1
tap_check "make install DESTDIR= PREFIX=/usr/local: nfhookctl, man page, completion" t_make_install
tap_check "make uninstall removes what make install installed" t_make_uninstall
tap_check "make install-service install-modules-load: unit, rules.conf, modules-load.d" t_install_service

if [ $root = 0 ]; then
	for c in "dkms add . && dkms build" "make dkms-install / dkms-remove" "make deb" \
		"apt-get install of the packages" "apt-get remove/purge leaves nothing"; do
		tap_skip "$c" "needs root"
	done
elif [ -z "$kver" ] || [ ! -d "/lib/modules/$kver/build" ]; then
	not_ok "kernel headers for ${kver:-any kernel} are installed"
else
	echo "# kernel: $kver, version: $version"
	tap_check "dkms add . && dkms build nfhook/$version -k $kver (private DKMS tree)" t_dkms_plain
	if foreign_install; then
		for c in "make dkms-install / dkms-remove" "apt-get install of the packages" \
			"apt-get remove/purge leaves nothing"; do
			tap_skip "$c" "nfhook is already installed on this host"
		done
		tap_check "make deb" t_make_deb
	else
		echo "$tmp" >"$marker"
		tap_check "make dkms-install KVER=$kver, again, then make dkms-remove leaves nothing" t_dkms_install
		cleanup_system
		tap_check "make deb: nfhookctl and nfhook-dkms packages, version $version" t_make_deb
		if [ $? -eq 0 ]; then
			tap_check "apt-get install ./nfhook-dkms.deb ./nfhookctl.deb builds nfhook.ko by DKMS" t_deb_install
			tap_check "apt-get remove keeps the edited conffile, purge leaves nothing" t_deb_remove
		fi
		cleanup_system
		rm -f "$marker"
	fi
	if command -v lintian >/dev/null && [ -f "$ctl_deb" ]; then
		tap_check "lintian: no errors in the packages" t_lintian
	else
		tap_skip "lintian: no errors in the packages" "lintian is not installed or no packages"
	fi
fi

tap_end packaging
