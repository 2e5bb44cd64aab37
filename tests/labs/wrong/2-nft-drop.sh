#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 2, a wrong solution: nfhook's drop rule deleted and the job done by
# nftables before DNAT instead.
# expect: no nfhook rule of the router dropped it
set -e
id=$(nfhookctl -N router -j rule list | jq '.[] | select(.comment == "no-direct") | .id')
nfhookctl -N router rule del "$id"
ip netns exec router nft add table ip lab2raw
ip netns exec router nft add chain ip lab2raw pre '{ type filter hook prerouting priority -150; }'
ip netns exec router nft add rule ip lab2raw pre ip daddr 10.0.2.2 icmp type echo-request drop
