#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-fetch.sh SUITE PACKAGE DESTDIR
#
# Downloads PACKAGE as SUITE has it (bullseye, bookworm, trixie, sid...) and
# unpacks it into DESTDIR, without installing it and without touching the
# system's apt configuration: a private sources directory copied from the
# system's own, its own lists, cache and an empty status file (so an
# installed package of the same name never shadows the candidate).
# Prints the downloaded package's version.

set -euo pipefail

suite=$1 package=$2 dest=$3
state=${NFHOOK_CACHE:-/var/cache/nfhook}/apt
system_sources=/etc/apt/sources.list.d/debian.sources

mkdir -p "$state/sources" "$state/lists/partial" "$state/cache/archives/partial" \
	 "$state/debs"
: > "$state/status"

# Add the suites we need to the archive stanza (the one whose Suites: line
# names the plain release); the security stanza is left as it is.
awk -v extra="bullseye trixie sid" '
	/^Suites:/ && $0 !~ /-security/ { print $0 " " extra; next }
	{ print }
' "$system_sources" > "$state/sources/nfhook.sources"

apt_private=(-o Dir::Etc::SourceList=/dev/null
	     -o "Dir::Etc::SourceParts=$state/sources"
	     -o "Dir::State::Lists=$state/lists"
	     -o "Dir::Cache=$state/cache"
	     -o "Dir::State::status=$state/status"
	     -o APT::Default-Release=
	     -o APT::Sandbox::User=root)

stamp=$state/lists/.updated
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720)" ]; then
	apt-get "${apt_private[@]}" -qq update >&2
	touch "$stamp"
fi

version=$(apt-cache "${apt_private[@]}" madison "$package" |
	  awk -v s="$suite" '$0 ~ (" " s "(-security)?/") { print $3; exit }')
if [ -z "$version" ]; then
	echo "debian-fetch: $package not found in $suite" >&2
	exit 1
fi

deb=$(ls "$state/debs/${package}_${version//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	(cd "$state/debs" && apt-get "${apt_private[@]}" -qq download "$package=$version" >&2)
	deb=$(ls "$state/debs/${package}_${version//:/%3a}_"*.deb | head -n 1)
fi
mkdir -p "$dest"
dpkg-deb -x "$deb" "$dest"
echo "$version"
