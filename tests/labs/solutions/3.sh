#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 3, a reference solution: connection tracking put to use in the
# router's namespace (an nftables rule reading the ct state is enough),
# which brings defragmentation at prerouting, priority -400: the forward
# hook then sees whole datagrams, and the port rule drops all of one.
set -e
ip netns exec router nft -f - <<'NFT'
table ip track {
	chain pre {
		type filter hook prerouting priority -150;
		ct state invalid counter
	}
}
NFT
