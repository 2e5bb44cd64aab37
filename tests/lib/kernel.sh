# SPDX-License-Identifier: GPL-2.0
#
# Kernels for the test guests, cached outside the tree in $NFHOOK_CACHE
# (default /var/cache/nfhook).  Sourced by tests/check.sh, tests/vm.sh and
# the kernel matrix; every function prints its result on stdout and its
# progress on stderr, and returns non-zero (after saying why) on failure.
#
#   kernel_source TARBALL KEY		unpack a kernel source tarball once
#   kernel_build SRCDIR KEY NAME FRAG...	allnoconfig + fragments, built once
#   kernel_debug				the debug kernel of linux-source-6.1
#   kernel_stock				Debian's kernel matching the headers
#   kernel_stock_modules ROOT REL MOD...	those modules, dependencies first
#
# A built kernel is a directory that is both a KDIR for out-of-tree modules
# (make -C DIR M=...) and the home of the bzImage the guests boot.

NFHOOK_CACHE=${NFHOOK_CACHE:-/var/cache/nfhook}
NFHOOK_JOBS=${NFHOOK_JOBS:-3}
kernel_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Bump when the build recipe below changes, so cached kernels are rebuilt.
kernel_recipe=1

kernel_msg()
{
	echo "kernel: $*" >&2
}

# kernel_locked LOCKNAME CMD...: run CMD holding an exclusive lock in the
# cache, so two runs never build (or unpack) the same thing at once.
kernel_locked()
{
	local lock=$NFHOOK_CACHE/.$1.lock
	shift
	mkdir -p "$NFHOOK_CACHE"
	(
		flock 9
		"$@"
	) 9>"$lock"
}

# kernel_source TARBALL KEY: unpack TARBALL (a linux-source-*.tar.xz, whose
# single top directory holds the tree) into the cache under KEY, once.
# Prints the source directory.
kernel_source()
{
	local tarball=$1 key=$2
	local dir=$NFHOOK_CACHE/src/$key

	if [ ! -e "$dir/.nfhook-unpacked" ]; then
		kernel_locked "src-$key" kernel_source_unpack "$tarball" "$dir" ||
			return 1
	fi
	echo "$dir"
}

kernel_source_unpack()
{
	local tarball=$1 dir=$2

	[ -e "$dir/.nfhook-unpacked" ] && return 0
	kernel_msg "unpacking $tarball"
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	if ! tar -xf "$tarball" -C "$dir.tmp" --strip-components=1; then
		kernel_msg "cannot unpack $tarball"
		rm -rf "$dir.tmp"
		return 1
	fi
	touch "$dir.tmp/.nfhook-unpacked"
	mv "$dir.tmp" "$dir"
}

# kernel_config_verify CONFIG FRAG...: every CONFIG_X=V line of the
# fragments must be in CONFIG as written, every "# CONFIG_X is not set" must
# not be set there.  Lists each option Kconfig refused (a dependency missing
# or a name that does not exist in this version).
kernel_config_verify()
{
	local config=$1 frag line sym want got bad=0
	shift

	for frag in "$@"; do
		while IFS= read -r line; do
			if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
				sym=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
			elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
				sym=${BASH_REMATCH[1]} want=n
			else
				continue
			fi
			got=$(sed -n "s/^$sym=//p" "$config")
			[ -n "$got" ] || got=n
			if [ "$got" != "$want" ]; then
				kernel_msg "$(basename "$frag"): $sym=$want requested, .config has $got"
				bad=1
			fi
		done < "$frag"
	done
	return $bad
}

# kernel_build SRCDIR KEY NAME FRAG...: configure SRCDIR's kernel as
# allnoconfig + FRAGs (merge_config.sh, then olddefconfig), check that every
# requested option took, and build it out of tree.  The build directory is
# keyed by the source KEY, NAME, and a hash of the fragments, the recipe and
# the compiler, so a changed fragment gives a new kernel and an unchanged one
# is never rebuilt.  Prints the build directory.
kernel_build()
{
	local src=$1 key=$2 name=$3
	shift 3
	local hash dir

	hash=$( {
		echo "recipe $kernel_recipe"
		gcc --version | head -n 1
		cat "$@"
	} | sha256sum | cut -c1-12)
	dir=$NFHOOK_CACHE/kernels/$key-$name-$hash
	if [ ! -e "$dir/.nfhook-built" ]; then
		kernel_locked build kernel_build_locked "$src" "$dir" "$@" ||
			return 1
	fi
	echo "$dir"
}

kernel_build_locked()
{
	local src=$1 dir=$2 start status
	shift 2

	[ -e "$dir/.nfhook-built" ] && return 0
	start=$SECONDS
	mkdir -p "$dir"
	kernel_msg "building $(basename "$dir") (log: $dir/build.log)"
	# Make does the work, the log keeps it; on failure its tail says why.
	{
		make -C "$src" O="$dir" allnoconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$dir" \
			"$dir/.config" "$@" &&
		make -C "$src" O="$dir" olddefconfig
	} > "$dir/build.log" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		tail -n 30 "$dir/build.log" >&2
		kernel_msg "configuring $(basename "$dir") failed"
		return 1
	fi
	if ! kernel_config_verify "$dir/.config" "$@"; then
		kernel_msg "the kernel configuration lacks requested options (above)"
		return 1
	fi
	# bzImage for the guests; "modules" so that Module.symvers exists and
	# the tree is a complete KDIR for out-of-tree modules.
	if ! make -C "$src" O="$dir" -j"$NFHOOK_JOBS" bzImage modules \
			>> "$dir/build.log" 2>&1; then
		grep -E 'error|Error' "$dir/build.log" | tail -n 20 >&2
		tail -n 10 "$dir/build.log" >&2
		kernel_msg "building $(basename "$dir") failed"
		return 1
	fi
	touch "$dir/.nfhook-built"
	kernel_msg "built $(basename "$dir") in $((SECONDS - start)) s"
}

# kernel_bzimage DIR: the bootable image of a kernel_build directory.
kernel_bzimage()
{
	echo "$1/arch/x86/boot/bzImage"
}

# kernel_debug: the debug kernel (base.config + debug.config) of the
# installed linux-source-6.1 package.  Prints its build directory.
kernel_debug()
{
	kernel_from_installed_source 6.1 debug \
		"$kernel_lib_dir/../kernel/base.config" \
		"$kernel_lib_dir/../kernel/debug.config"
}

# kernel_from_installed_source SERIES NAME FRAG...: a kernel built from the
# installed linux-source-SERIES package.
kernel_from_installed_source()
{
	local series=$1 name=$2 version src
	shift 2

	version=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null)
	if [ -z "$version" ] || [ ! -e "/usr/src/linux-source-$series.tar.xz" ]; then
		kernel_msg "linux-source-$series is not installed"
		return 1
	fi
	src=$(kernel_source "/usr/src/linux-source-$series.tar.xz" \
		"linux-source-${series}_$version") || return 1
	kernel_build "$src" "$series-$version" "$name" "$@"
}

# kernel_stock_release: the kernel release linux-headers-amd64 points at
# (e.g. 6.1.0-56-amd64), with its package version after a space.
kernel_stock_release()
{
	local dep

	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null)
	if [[ $dep =~ linux-headers-([^ ,]+)\ \(=\ ([^\)]+)\) ]]; then
		echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	else
		kernel_msg "linux-headers-amd64 is not installed"
		return 1
	fi
}

# kernel_stock: Debian's own kernel image of the release the installed
# linux-headers-amd64 serves, downloaded and unpacked (never installed) into
# the cache.  Prints the unpacked root; it holds boot/vmlinuz-REL and
# lib/modules/REL (with modules.dep made by depmod).
kernel_stock()
{
	local rel ver root

	read -r rel ver < <(kernel_stock_release) || return 1
	root=$NFHOOK_CACHE/stock/$rel-$ver
	if [ ! -e "$root/.nfhook-unpacked" ]; then
		kernel_locked "stock-$rel" kernel_stock_fetch "$rel" "$ver" "$root" ||
			return 1
	fi
	echo "$root"
}

kernel_stock_fetch()
{
	local rel=$1 ver=$2 root=$3 pkg=linux-image-$1 deb

	[ -e "$root/.nfhook-unpacked" ] && return 0
	mkdir -p "$NFHOOK_CACHE/debs"
	deb=$(ls "$NFHOOK_CACHE/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		kernel_msg "downloading $pkg $ver"
		if ! (cd "$NFHOOK_CACHE/debs" && apt-get -qq -o APT::Sandbox::User=root download "$pkg=$ver" >&2); then
			kernel_msg "cannot download $pkg=$ver"
			return 1
		fi
		deb=$(ls "$NFHOOK_CACHE/debs/${pkg}_${ver//:/%3a}_"*.deb | head -n 1)
	fi
	rm -rf "$root"
	mkdir -p "$root"
	dpkg-deb -x "$deb" "$root" || return 1
	depmod -b "$root" "$rel" || return 1
	touch "$root/.nfhook-unpacked"
}

# kernel_stock_modules ROOT REL MOD...: the modules MOD and everything they
# need (dependencies and soft pre-dependencies), in load order, unpacked to
# plain .ko files under ROOT/ko.  Prints one path a line.
kernel_stock_modules()
{
	local root=$1 rel=$2 mod deps verb path ko
	shift 2
	local -A seen=()

	mkdir -p "$root/ko"
	for mod in "$@"; do
		# modprobe resolves dependencies from modules.dep and soft
		# dependencies from the modules themselves; nothing is loaded.
		if ! deps=$(modprobe -d "$root" -S "$rel" --show-depends "$mod"); then
			kernel_msg "no module $mod in $rel"
			return 1
		fi
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			[ -n "${seen[$path]}" ] && continue
			# crc32c-intel is a soft alternative to crc32c_generic that
			# needs SSE4.2, which TCG's default CPU does not offer.
			[[ $path == */crc32c-intel.ko* ]] && continue
			seen[$path]=1
			ko=$root/ko/$(basename "${path%.xz}")
			if [ ! -e "$ko" ]; then
				case $path in
				*.xz) xz -dc "$path" > "$ko.tmp" && mv "$ko.tmp" "$ko" ;;
				*) cp "$path" "$ko" ;;
				esac || return 1
			fi
			echo "$ko"
		done <<< "$deps"
	done
}

# Modules the guests need from a stock kernel (the debug kernel has them
# built in): namespaces joined by veth, conntrack and NAT through nftables,
# and the legacy iptables filter table (pipeline; it makes its table in a
# namespace only when asked there), tc's clsact qdisc with a bpf and a
# matchall filter (pipeline --path).
kernel_stock_needs=(veth dummy nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 nf_nat
		    nf_tables nft_ct nft_nat nft_chain_nat crc32c_generic
		    iptable_filter sch_ingress cls_bpf cls_matchall act_gact)

# kernel_select debug|stock: make that kernel ready and set
#   kernel_label	debug, stock
#   kernel_image	what qemu boots
#   kernel_kdir		the build tree modules are built against
#   kernel_kmods	modules to load in the guest before anything else
kernel_select()
{
	local root rel ver

	kernel_label=$1
	kernel_kmods=()
	case $1 in
	debug)
		kernel_kdir=$(kernel_debug) || return 1
		kernel_image=$(kernel_bzimage "$kernel_kdir")
		;;
	stock)
		read -r rel ver < <(kernel_stock_release) || return 1
		root=$(kernel_stock) || return 1
		kernel_image=$root/boot/vmlinuz-$rel
		kernel_kdir=/lib/modules/$rel/build
		if [ ! -e "$kernel_kdir/Makefile" ]; then
			kernel_msg "$kernel_kdir missing: install linux-headers-$rel"
			return 1
		fi
		mapfile -t kernel_kmods < <(kernel_stock_modules "$root" "$rel" \
			"${kernel_stock_needs[@]}") || return 1
		[ ${#kernel_kmods[@]} -gt 0 ] || return 1
		;;
	*)
		kernel_msg "unknown kernel '$1' (debug or stock)"
		return 1
		;;
	esac
}
