# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix: one minimal kernel per Debian release, each built from
# that release's linux-source package (resolved through tests/lib/debian-fetch.sh,
# never a version written here) and cached like the debug kernel.  Sourced by
# tests/matrix.sh after kernel.sh, build.sh and guest.sh.
#
#   matrix_entries			the SERIES:SUITE pairs to test
#   matrix_ynl_entries			those of today's releases that ship ynl
#   matrix_fragment SERIES		base.config with SERIES' own tweaks
#   matrix_select SERIES SUITE		make that kernel ready (kernel_* vars)
#
# A kernel's tweaks live in tests/kernel/matrix-SERIES.config (only if it
# needs any): every option set there replaces base.config's line for it.

matrix_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
matrix_kernel_dir=$(cd "$matrix_lib_dir/../kernel" && pwd)
matrix_dir=$NFHOOK_CACHE/matrix

# The kernels of today's Debian releases, SERIES:SUITE.  The series names the
# linux-source-SERIES package; its exact version is whatever SUITE carries
# now.  NFHOOK_MATRIX overrides the list (e.g. NFHOOK_MATRIX="6.12:trixie").
matrix_default="5.10:bullseye 6.1:bookworm 6.12:trixie 7.2:sid"

# The scenarios a matrix kernel runs (NFHOOK_SCENARIOS overrides): what
# depends on the kernel's version (hook registration, netlink and its
# policies, packet parsing, conntrack, ynl).  The debug and the stock kernel
# run every scenario; lifecycle (rule churn, 10,000-rule restores), json
# (nfhookctl's output) and malformed (the parser, also in KUnit) would
# cost the matrix minutes a kernel and tell little more.
matrix_scenarios_default="hooks matches priority fragments nlfuzz ynl idle ctstate pipeline trace"

matrix_msg()
{
	echo "matrix: $*" >&2
}

matrix_entries()
{
	local e

	for e in ${NFHOOK_MATRIX:-$matrix_default}; do
		if [[ ! $e =~ ^[0-9]+\.[0-9]+:[a-z]+$ ]]; then
			matrix_msg "bad entry '$e' in NFHOOK_MATRIX (want SERIES:SUITE, e.g. 6.12:trixie)"
			return 1
		fi
		echo "$e"
	done
}

# matrix_ynl_entries: the SERIES:SUITE of matrix_default whose linux-source
# ships the kernel's generic netlink client and its schemas (tools/net/ynl,
# Documentation/netlink/genetlink*.yaml: 6.3 and later).  The ynl tests
# (tests/spec/run.sh on the host, the ynl scenario in every guest)
# use each of them, whichever kernel a guest runs: ynl is a user program.
matrix_ynl_entries()
{
	local e series

	for e in $matrix_default; do
		series=${e%%:*}
		[ "${series%%.*}" -gt 6 ] ||
			{ [ "${series%%.*}" -eq 6 ] && [ "${series#*.}" -ge 3 ]; } &&
			echo "$e"
	done
	return 0
}

# matrix_source SERIES SUITE: the unpacked source of linux-source-SERIES as
# SUITE has it.  Prints "VERSION SRCDIR".  The installed package serves
# when it is the suite's (bookworm's linux-source-6.1, whose unpacked tree
# the debug kernel shares); anything else is downloaded.
matrix_source()
{
	local series=$1 suite=$2 version tarball src deb

	deb=$matrix_dir/deb/linux-source-$series

	version=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null)
	if [ "$suite" = "$(matrix_host_suite)" ] && [ -n "$version" ] &&
	   [ -e "/usr/src/linux-source-$series.tar.xz" ]; then
		tarball=/usr/src/linux-source-$series.tar.xz
	else
		mkdir -p "$deb"
		version=$("$matrix_lib_dir/debian-fetch.sh" "$suite" \
			  "linux-source-$series" "$deb") || return 1
		tarball=$deb/usr/src/linux-source-$series.tar.xz
	fi
	src=$(kernel_source "$tarball" "linux-source-${series}_$version") || return 1
	echo "$version $src"
}

# matrix_host_suite: the Debian release this machine runs (bookworm...).
matrix_host_suite()
{
	sed -n 's/^VERSION_CODENAME=//p' /etc/os-release
}

# matrix_fragment SERIES: the configuration fragment of SERIES' kernel,
# written to the cache: base.config, minus the options that
# tests/kernel/matrix-SERIES.config sets, plus that file.  Prints its path.
matrix_fragment()
{
	local series=$1 base tweak out syms

	base=$matrix_kernel_dir/base.config
	tweak=$matrix_kernel_dir/matrix-$series.config
	out=$matrix_dir/$series.config

	mkdir -p "$matrix_dir"
	if [ ! -e "$tweak" ]; then
		cp "$base" "$out.tmp"
	else
		syms=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p;
			      s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p' "$tweak" |
		       paste -sd'|')
		{
			grep -Ev "^(# )?($syms)[= ]" "$base"
			echo "# --- $(basename "$tweak")"
			cat "$tweak"
		} > "$out.tmp"
	fi
	mv "$out.tmp" "$out"
	echo "$out"
}

# matrix_select SERIES SUITE: build (once) the minimal kernel of
# linux-source-SERIES from SUITE and set, as kernel_select does,
#   kernel_label kernel_image kernel_kdir kernel_kmods
# and matrix_version (the source package's version).
matrix_select()
{
	local series=$1 suite=$2 src frag

	kernel_label=$series
	kernel_kmods=()
	read -r matrix_version src < <(matrix_source "$series" "$suite")
	[ -n "$src" ] || return 1
	frag=$(matrix_fragment "$series") || return 1
	kernel_kdir=$(kernel_build "$src" "$series-$matrix_version" matrix "$frag") ||
		return 1
	kernel_image=$(kernel_bzimage "$kernel_kdir")
}

# matrix_warnings LOG: the compiler and kbuild warnings in a module build
# log, one a line (modpost's "WARNING: modpost:" included).
matrix_warnings()
{
	grep -E '(warning|WARNING):' "$1" 2>/dev/null
}
