#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 3, a wrong solution: conntrack on, but the port rule moved to the
# router's prerouting hook at -450, before defragmentation (-400).  It
# still sees fragments: it drops the first, and defrag holds the others
# until they time out.  Nothing reaches the server, but the rule never saw
# the datagram.
# expect: a fragment, not the whole datagram
set -e
"$(dirname "$0")/../solutions/3.sh"
nfhookctl -N router restore - <<'RULES'
hook ipv4 prerouting priority -450 policy accept enable
rule ipv4 prerouting proto udp dport 5000 drop comment "block-5000"
RULES
