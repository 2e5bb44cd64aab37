#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tree-copy.sh SRC DEST: copy the source tree SRC into DEST (created if
# needed): the files git knows (tracked or new, not ignored) when SRC is a git
# work tree, else everything but build output and git data. The one definition
# of "the source tree", used by "make deb" (build-deb.sh) and the packaging
# tests.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 SRC DEST" >&2; exit 2; }
src=$1 dest=$2

mkdir -p "$dest"
(
	cd "$src"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -z --cached --others --exclude-standard |
			xargs -0 -r sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh
	else
		find . -path ./build -prune -o -path ./.git -prune -o -type f -print0
	fi
) | tar -C "$src" --null --no-recursion -cf - -T - | tar -C "$dest" -xf -
if [ ! -f "$dest/dkms.conf" ]; then
	echo "$0: copying $src to $dest failed (no dkms.conf)" >&2
	exit 1
fi
