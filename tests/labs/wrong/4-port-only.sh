#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 4, a wrong solution: port 22 let in without looking at conntrack;
# answers to the server's own connections are dropped.
# expect: server's own connection to the client's port 8080 gets no answer
set -e
nfhookctl -N server restore - <<'RULES'
hook ipv4 input priority filter policy drop enable
rule ipv4 input proto tcp dport 22 accept
RULES
