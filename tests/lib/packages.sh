# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages the tests need, installed by name when missing (one
# apt-get update first, only if something is missing).  Sourced by
# tests/check.sh, tests/demo.sh and bench/bench.sh (which
# needs the last line's).  NFHOOK_NO_INSTALL=1 skips it.

packages=(build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils rsync
	  linux-source-6.1 linux-headers-amd64 dkms sparse
	  qemu-system-x86 busybox-static bash-static iproute2 nftables util-linux jq socat
	  libmnl-dev pkg-config valgrind python3 python3-yaml python3-jsonschema
	  debhelper dh-dkms lintian
	  iptables ethtool clang llvm libbpf-dev python3-matplotlib)

# packages_install: install what is missing; its output goes to stderr.
packages_install()
{
	local -a missing=()
	local p

	[ "${NFHOOK_NO_INSTALL:-0}" = 1 ] && return 0
	for p in "${packages[@]}"; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "packages: installing ${missing[*]}" >&2
	if ! { apt-get update -qq &&
	       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}"; } >&2; then
		echo "packages: could not install ${missing[*]}" >&2
		return 1
	fi
}
