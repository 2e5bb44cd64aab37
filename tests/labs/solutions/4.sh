#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 4, a reference solution: conntrack put to use in the server's
# namespace (an nftables rule reading the ct state), then the common
# firewall on nfhook's IPv4 input hook.
set -e
ip netns exec server nft -f - <<'NFT'
table inet track {
	chain in {
		type filter hook input priority 100;
		ct state invalid counter
	}
}
NFT
nfhookctl -N server restore - <<'RULES'
hook ipv4 input priority filter policy drop enable
rule ipv4 input ct state established,related accept comment "established"
rule ipv4 input proto tcp dport 22 ct state new accept comment "ssh"
RULES
