#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 1, a reference solution without trace: look for the rule that drops
# port 80 in every namespace's nftables rule set, write down where it is,
# and replace it by a rule that drops port 23 only.
set -e
answer=${LAB1_ANSWER:-/root/lab1.txt}
found=0
for ns in client router server; do
	# "FAMILY TABLE CHAIN HOOK HANDLE" of each rule dropping port 80.
	hits=$(ip netns exec "$ns" nft -a list ruleset | awk '
		$1 == "table" { fam = $2; table = $3 }
		$1 == "chain" { chain = $2; hook = "" }
		$1 == "type" { for (i = 1; i < NF; i++) if ($i == "hook") hook = $(i + 1) }
		/dport/ && /(^|[ {,])80([ },]|$)/ && / drop/ { print fam, table, chain, hook, $NF }')
	[ -n "$hits" ] || continue
	read -r fam table chain hook handle <<< "$hits"
	ip netns exec "$ns" nft replace rule "$fam" "$table" "$chain" handle "$handle" tcp dport 23 drop
	printf 'namespace: %s\nhook: %s\nchain: %s/%s/%s\n' "$ns" "$hook" "$fam" "$table" "$chain" > "$answer"
	found=1
done
[ $found = 1 ] || { echo "lab 1 solution: no rule drops port 80" >&2; exit 1; }
