#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 4, a wrong solution: the right rules, but nothing tracks connections
# in the server's namespace: every packet is invalid to them.
# expect: nothing tracks connections in the server's namespace
set -e
nfhookctl -N server restore - <<'RULES'
hook ipv4 input priority filter policy drop enable
rule ipv4 input ct state established,related accept
rule ipv4 input proto tcp dport 22 ct state new accept
RULES
