#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-deb.sh [OUTDIR]: what "make deb" runs. Builds the Debian packages
#   nfhookctl_VERSION_ARCH.deb   the tool, man page, completion, nfhook.service
#   nfhook-dkms_VERSION_all.deb  the module source, built by DKMS on install
# into OUTDIR (default build/deb), from a copy of this source tree with
# packaging/debian as its debian/ directory, and prints their paths. The version
# is PACKAGE_VERSION in dkms.conf. Missing build dependencies are installed with
# "apt-get build-dep" when run as root (set NFHOOK_NO_APT=1 to only list them).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/deb}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
maintainer="${DEBFULLNAME:-nfhook developers} <${DEBEMAIL:-nfhook@localhost}>"

die() {
	echo "build-deb.sh: $*" >&2
	exit 1
}

[ -n "$version" ] || die "no PACKAGE_VERSION in $top/dkms.conf"
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
stage=$out/nfhook-$version

apt_install() {
	[ "$(id -u)" = 0 ] && [ -z "${NFHOOK_NO_APT-}" ] ||
		die "missing: $*; install them (apt-get install $*) or run as root"
	echo "build-deb.sh: installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" ||
		die "apt-get install $* failed (run apt-get update first?)"
}

# dpkg-buildpackage and the implicit build-essential set.
missing=
command -v dpkg-buildpackage >/dev/null || missing="$missing dpkg-dev"
command -v make >/dev/null || missing="$missing make"
command -v gcc >/dev/null || missing="$missing gcc libc6-dev"
[ -z "$missing" ] || apt_install $missing

# The source tree (as tree-copy.sh defines it), with debian/ added.
rm -rf "$out"
"$top/packaging/tree-copy.sh" "$top" "$stage" ||
	die "copying the source tree to $stage failed"

cp -r "$top/packaging/debian" "$stage/debian"
if [ -z "${SOURCE_DATE_EPOCH-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
	export SOURCE_DATE_EPOCH
fi
date=$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")
subst() {
	sed -e "s|@VERSION@|$version|g" -e "s|@MAINTAINER@|$maintainer|g" \
	    -e "s|@DATE@|$date|g" "$stage/debian/$1" >"$stage/debian/$2.tmp"
	mv "$stage/debian/$2.tmp" "$stage/debian/$2"
}
subst control control
subst changelog.in changelog
rm "$stage/debian/changelog.in"

cd "$stage"
if ! dpkg-checkbuilddeps >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] && [ -z "${NFHOOK_NO_APT-}" ] || {
		dpkg-checkbuilddeps || true
		die "missing build dependencies: run apt-get build-dep $stage as root"
	}
	echo "build-deb.sh: installing build dependencies"
	DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q "$stage" ||
		die "apt-get build-dep failed (run apt-get update first?)"
fi

# No -dbgsym package: the two packages above are the whole set to install.
DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS-} noautodbgsym" \
	dpkg-buildpackage -b -us -uc -j"$(nproc)" >"$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; die "dpkg-buildpackage failed, see $out/build.log"; }

ls "$out"/nfhookctl_"$version"_*.deb "$out"/nfhook-dkms_"$version"_all.deb
