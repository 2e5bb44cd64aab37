#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh install [KERNEL...] | remove: what "make dkms-install" and
# "make dkms-remove" run. install copies the module sources of this tree to
# /usr/src/nfhook-VERSION, registers them with DKMS, builds and installs the
# module for each KERNEL (default: the running one); an earlier registration of
# the same version is removed first, so it can be repeated after every edit.
# remove unregisters every build of this version and deletes its sources.
# Both refuse to touch a version installed by the nfhook-dkms package: dpkg
# owns it then (apt remove nfhook-dkms).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
name=nfhook
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$version

die() {
	echo "dkms.sh: $*" >&2
	exit 1
}

[ -n "$version" ] || die "no PACKAGE_VERSION in $top/dkms.conf"
[ "$(id -u)" = 0 ] || die "must be run as root (DKMS writes /usr/src, /var/lib/dkms, /lib/modules)"
command -v dkms >/dev/null || die "dkms is not installed (apt-get install dkms)"

if command -v dpkg-query >/dev/null && pkg=$(dpkg-query -S "$src" 2>/dev/null); then
	die "$src belongs to package ${pkg%%:*}; use apt-get remove ${pkg%%:*} instead"
fi

registered() {
	[ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ]
}

unregister() {
	if registered; then
		dkms remove -m "$name" -v "$version" --all
	fi
	rm -rf "$src"
}

case ${1-} in
install)
	shift
	[ $# -gt 0 ] || set -- "$(uname -r)"
	for k; do
		[ -d "/lib/modules/$k/build" ] ||
			die "no kernel headers for $k in /lib/modules/$k/build (install linux-headers-$k, or pass KVER=)"
	done
	unregister
	"$top/packaging/module-sources.sh" "$top" "$src"
	dkms add -m "$name" -v "$version"
	for k; do
		dkms build -m "$name" -v "$version" -k "$k"
		dkms install -m "$name" -v "$version" -k "$k"
	done
	;;
remove)
	unregister
	;;
*)
	echo "usage: $0 install [KERNEL...] | remove" >&2
	exit 2
	;;
esac
