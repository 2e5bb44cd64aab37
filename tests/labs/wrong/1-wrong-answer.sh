#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 1, a wrong solution: the drop fixed, but the answer names the last
# hook whose counter saw the packets, not the chain that dropped them.
# expect: chain 'ipv4/nfhook/forward' is not the chain
set -e
answer=${LAB1_ANSWER:-/root/lab1.txt}
"$(dirname "$0")/../solutions/1.sh"
sed -i 's|^chain:.*|chain: ipv4/nfhook/forward|' "$answer"
