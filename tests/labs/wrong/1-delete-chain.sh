#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 1, a wrong solution: the right answer, but the whole guard chain
# deleted, which lets port 23 in too.
# expect: TCP port 23 now reaches the server
set -e
answer=${LAB1_ANSWER:-/root/lab1.txt}
read -r ns hook chain < /run/nfhook-lab/1/where
IFS=/ read -r fam table name <<< "$chain"
ip netns exec "$ns" nft delete chain "$fam" "$table" "$name"
printf 'namespace: %s\nhook: %s\nchain: %s\n' "$ns" "$hook" "$chain" > "$answer"
