# SPDX-License-Identifier: GPL-2.0
#
# Building the project's pieces for the guests.  The module is built in a
# copy of the tree per kernel (under $NFHOOK_CACHE/build), so builds for
# different kernels never share objects and the tree itself stays clean;
# the copy is refreshed with rsync, so a rebuild only compiles what changed.
#
#   build_module KDIR TAG [MAKEVAR=VALUE...]	prints the path of nfhook.ko
#   build_userland				prints the path of nfhookctl
#   build_tools					prints the test tools, one a line

build_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_top=${NFHOOK_TREE:-$(cd "$build_lib_dir/../.." && pwd)}
NFHOOK_CACHE=${NFHOOK_CACHE:-/var/cache/nfhook}
# One build area per source tree, so two checkouts do not clash either.
build_area=$NFHOOK_CACHE/build/$(echo "$build_top" | sha256sum | cut -c1-8)

build_msg()
{
	echo "build: $*" >&2
}

# build_copy TAG: the tree copied (without git data or build products) to
# the build area; prints the copy's directory.
build_copy()
{
	local dst=$build_area/$1/tree

	mkdir -p "$dst"
	# Excluded files are also protected from --delete, so the copy keeps
	# its own objects between builds.
	rsync -a --delete --exclude=/.git --exclude=/build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='.*.d' \
		--exclude=Module.symvers --exclude=modules.order \
		--exclude=/userland/nfhookctl \
		"$build_top/" "$dst/" || return 1
	echo "$dst"
}

# build_module KDIR TAG [MAKEVAR=VALUE...]: build nfhook.ko against KDIR in
# the copy TAG, as a user would (make KDIR=...).  The make output is kept in
# the copy's build.log (check.sh looks for warnings there).
build_module()
{
	local kdir=$1 tag=$2 dir
	shift 2

	if [ ! -d "$build_top/module" ] || ! ls "$build_top"/module/*.c > /dev/null 2>&1; then
		build_msg "no module sources in $build_top/module"
		return 1
	fi
	dir=$(build_copy "$tag") || return 1
	if ! make -C "$dir" KDIR="$kdir" W=1 "$@" module > "$dir/../build.log" 2>&1; then
		grep -iE 'error|warning' "$dir/../build.log" | head -n 30 >&2
		tail -n 5 "$dir/../build.log" >&2
		build_msg "nfhook.ko did not build against $kdir"
		return 1
	fi
	echo "$dir/nfhook.ko"
}

# build_module_log TAG: the make output of the last build_module TAG.
build_module_log()
{
	echo "$build_area/$1/build.log"
}

# build_userland: nfhookctl, built in the tree (a host program: one build
# serves every guest).
build_userland()
{
	if [ ! -e "$build_top/userland/Makefile" ]; then
		build_msg "no userland/Makefile yet"
		return 1
	fi
	if ! make -s -C "$build_top" userland >&2; then
		build_msg "nfhookctl did not build"
		return 1
	fi
	echo "$build_top/userland/nfhookctl"
}

# build_tools: the test tools of tests/tools (static binaries).
build_tools()
{
	local tools=$build_top/tests/tools

	[ -e "$tools/Makefile" ] || return 0
	if ! make -s -C "$tools" >&2; then
		build_msg "tests/tools did not build"
		return 1
	fi
	make -s -C "$tools" --no-print-directory list
}

# build_user_guest NAME KERNEL: what make demo and make shell (NAME) boot:
# the Debian packages, KERNEL (stock or debug), nfhook.ko and nfhookctl for
# it, in GUEST_NFHOOK_KO, GUEST_BINARIES and GUEST_KMODS.  Needs
# packages.sh, kernel.sh and guest.sh sourced too.
build_user_guest()
{
	packages_install || return 1
	echo "$1: preparing the $2 kernel, nfhook.ko and nfhookctl..." >&2
	kernel_select "$2" || return 1
	GUEST_NFHOOK_KO=$(build_module "$kernel_kdir" "$kernel_label") || return 1
	GUEST_BINARIES=("$(build_userland)") || return 1
	GUEST_KMODS=("${kernel_kmods[@]}")
}
