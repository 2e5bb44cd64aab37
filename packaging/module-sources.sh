#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# module-sources.sh SRC DEST: copy what DKMS needs to build nfhook.ko (Kbuild,
# dkms.conf, the module and UAPI sources, the licence) from the tree SRC into
# DEST, which must not exist yet. The one list of module files, used by
# "make dkms-install" and by the nfhook-dkms package. Tests, userland and build
# output stay out: DKMS copies its source tree for every build.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 SRC DEST" >&2
	exit 2
fi
src=$1
dest=$2

for f in Kbuild dkms.conf LICENSE include/uapi/linux/nfhook.h; do
	if [ ! -f "$src/$f" ]; then
		echo "$0: $src/$f: missing" >&2
		exit 1
	fi
done
if [ -e "$dest" ]; then
	echo "$0: $dest already exists" >&2
	exit 1
fi

mkdir -p "$dest"
# Sources only (*.c, *.h), wherever they sit below module/ and include/: never
# objects or .cmd files left by an in-tree build.
(cd "$src" && {
	printf '%s\n' Kbuild dkms.conf LICENSE
	find module include -type f -name '*.[ch]' | LC_ALL=C sort
} | tar --no-recursion --owner=0 --group=0 -cf - -T -) | tar -C "$dest" -xf -
# A pipeline's status is its last command's: check the copy itself.
for f in Kbuild dkms.conf include/uapi/linux/nfhook.h; do
	[ -f "$dest/$f" ] || { echo "$0: copying into $dest failed" >&2; exit 1; }
done
