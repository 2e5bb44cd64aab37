#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `nfhookctl pipeline`: every netfilter hook of a namespace, nfhook's and
# the others', in the order the kernel runs them.  In one namespace:
#	nftables	table inet t: a filter chain at prerouting (raw) and one
#			at input (filter+5) with a "ct state" rule, which
#			brings conntrack and defragmentation, IPv4 and IPv6;
#			table ip nat: nat chains at prerouting and postrouting,
#			which bring nf_nat's four IPv4 hooks;
#			table netdev nd: an ingress chain on lo (where the
#			kernel has netdev tables)
#	iptables	the legacy filter table (input, forward, output at 0),
#			where the kernel has ip_tables (the stock kernel; the
#			debug kernel has no iptables)
#	nfhook		its ten hooks at 10, IPv4 prerouting moved to -110
#	AppArmor	where it is on (Debian's kernel), its postrouting hooks
# The listing is asserted exactly, hook point by hook point: priority,
# kind, table and chain, ours, in order; each hook's module where the
# kernel built it as one (vmlinux otherwise); nfhook's function.  Where
# `nft list hooks` works (nfnetlink_hook: 6.12, 7.2, the debug kernel; not
# Debian's 6.1), both listings must agree hook for hook.

. "$(dirname "$0")/lib/lib.sh"

ns=nfh-$uniq-pipe
ns_add "$ns"
p() { in_ns "$ns" "$@"; }
# What a command said, without the log line in_ns writes first.
said() { sed '/^+ \[/d' <<< "$1" | tr '\n' ' '; }

if ! out=$(p nft list ruleset 2>&1); then
	skip "nft does not work in this kernel: $(said "$out")"
fi
p nft -f - <<'EOF' || fail "nft refused the tables"
table inet t {
	chain pre { type filter hook prerouting priority raw; }
	chain in { type filter hook input priority filter + 5; ct state established accept; }
}
table ip nat {
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
}
EOF

netdev=0
if out=$(p nft add table netdev nd 2>&1) &&
   out=$(p nft add chain netdev nd ing \
	'{ type filter hook ingress device lo priority -500; }' 2>&1); then
	netdev=1
else
	say "no netdev ingress chain in this kernel ($(said "$out")): not listed"
fi

iptables=0
if ! command -v iptables-legacy > /dev/null; then
	say "no iptables-legacy in the guest: no iptables table listed"
elif out=$(p iptables-legacy -t filter -L -n 2>&1); then
	iptables=1		# listing the table makes the kernel create it
else
	say "iptables-legacy does not work in this kernel ($(said "$out")): no iptables table listed"
fi

# An idle namespace (nothing configured for nfhook yet) has none of
# nfhook's hooks; the first change registers all ten.
idle=$(p nfhookctl -j pipeline)
[ "$(jq '[.[] | select(.ours or .kind == "nfhook")] | length' <<< "$idle")" = 0 ] ||
	fail "nfhook's hooks listed in an idle namespace: $idle"
p nfhookctl hook set ipv4 prerouting priority dstnat-10

json=$(p nfhookctl -j pipeline)
echo "$json" >&2

# line FAMILY HOOK: the hooks of one point as "PRIO KIND[ TABLE/CHAIN][ *]",
# one a line, in the order of the listing.
line()
{
	jq -r --arg f "$1" --arg h "$2" '.[] | select(.family == $f and .hook == $h) |
		"\(.priority) \(.kind)" +
		(if .chain then " \(.table_family)/\(.table)/\(.chain)"
		 elif .table then " \(.table)" else "" end) +
		(if .ours then " *" else "" end)' <<< "$json"
}

expect_point()
{
	local f=$1 h=$2 want=$3 got

	got=$(line "$f" "$h")
	[ "$got" = "$want" ] ||
		fail "$f $h: hooks
$got
want
$want"
	say "$f $h: $(echo "$want" | tr '\n' ',')"
}

# A security module that filters (AppArmor, on in Debian's kernel) adds
# its own hook at postrouting, priority -225 (NF_IP_PRI_SELINUX_FIRST).
lsm=0
if [ "$(cat /sys/module/apparmor/parameters/enabled 2> /dev/null)" = Y ]; then
	lsm=1
	say "AppArmor is on: its postrouting hooks are listed"
fi
lsm()
{
	[ $lsm = 1 ] && echo "-225 lsm"
	return 0
}

ipt()
{
	[ $iptables = 1 ] && echo "0 iptables filter"
	return 0
}

expect_point ipv4 prerouting "-400 defrag
-300 nftables inet/t/pre
-200 conntrack
-110 nfhook *
-100 nat"
expect_point ipv4 input "$(ipt; echo "5 nftables inet/t/in
10 nfhook *
100 nat
2147483647 conntrack")"
expect_point ipv4 forward "$(ipt; echo "10 nfhook *")"
expect_point ipv4 output "$(echo "-400 defrag
-200 conntrack
-100 nat"; ipt; echo "10 nfhook *")"
expect_point ipv4 postrouting "$(lsm; echo "10 nfhook *
100 nat
2147483647 conntrack")"
expect_point ipv6 prerouting "-400 defrag
-300 nftables inet/t/pre
-200 conntrack
10 nfhook *"
expect_point ipv6 input "5 nftables inet/t/in
10 nfhook *
2147483646 conntrack"
expect_point ipv6 forward "10 nfhook *"
expect_point ipv6 output "-400 defrag
-200 conntrack
10 nfhook *"
expect_point ipv6 postrouting "$(lsm; echo "10 nfhook *
2147483647 conntrack")"
if [ $netdev = 1 ]; then
	got=$(jq -r '.[] | select(.family == "netdev") |
		"\(.hook) \(.device) \(.priority) \(.kind) \(.table_family)/\(.table)/\(.chain)"' <<< "$json")
	[ "$got" = "ingress lo -500 nftables netdev/nd/ing" ] ||
		fail "netdev: got \"$got\", want the ingress chain on lo"
else
	got=$(jq '[.[] | select(.family == "netdev")] | length' <<< "$json")
	[ "$got" = 0 ] || fail "netdev: $got hooks listed where none was made"
fi

# Positions count from 0 in each hook point, in the order listed.
bad=$(jq -r 'group_by([.family, .hook, .device]) | .[] |
	select([.[].position] != [range(length)]) | .[0] | "\(.family) \(.hook)"' <<< "$json")
[ -z "$bad" ] || fail "positions not 0, 1, ... at: $bad"

# Modules: the one that holds the function where the kernel built it as a
# module (/sys/module/NAME/initstate exists only then), else vmlinux.
modof()
{
	if [ -e "/sys/module/$1/initstate" ]; then echo "$1"; else echo vmlinux; fi
}
declare -A want_mod=(
	[defrag/ipv4]=$(modof nf_defrag_ipv4) [defrag/ipv6]=$(modof nf_defrag_ipv6)
	[conntrack/ipv4]=$(modof nf_conntrack) [conntrack/ipv6]=$(modof nf_conntrack)
	[nat/ipv4]=$(modof nf_nat)
	[nftables/ipv4]=$(modof nf_tables) [nftables/ipv6]=$(modof nf_tables)
	[nftables/netdev]=$(modof nf_tables)
	[iptables/ipv4]=$(modof ip_tables)
	[nfhook/ipv4]=nfhook [nfhook/ipv6]=nfhook
	[lsm/ipv4]=vmlinux [lsm/ipv6]=vmlinux
)
while read -r kind fam mod fn; do
	[ "$mod" = "${want_mod[$kind/$fam]}" ] ||
		fail "$kind ($fam, $fn): module \"$mod\", want \"${want_mod[$kind/$fam]}\""
	[ -n "$fn" ] || fail "$kind ($fam): no function name"
	if [ "$kind" = nfhook ]; then
		[ "$fn" = nfhook_hook_fn ] || fail "nfhook's function is \"$fn\""
	fi
done < <(jq -r '.[] | "\(.kind) \(.family) \(.module) \(.function)"' <<< "$json")
say "modules: ${want_mod[*]}"

# The picture: blocks in the packet's order, nfhook marked.
text=$(p nfhookctl pipeline ipv4)
echo "$text" >&2
order=$(grep -o '^ipv4 [a-z]*:' <<< "$text" | tr '\n' ' ')
[ "$order" = "ipv4 prerouting: ipv4 input: ipv4 forward: ipv4 output: ipv4 postrouting: " ] ||
	fail "hook points in the order \"$order\""
grep -Eq '^\* +-110 +dstnat-10 +nfhook +nfhook_hook_fn +nfhook$' <<< "$text" ||
	fail "no marked nfhook line at dstnat-10"
grep -Eq '^ +-300 +raw +nftables chain inet t pre +' <<< "$text" ||
	fail "no line for the nftables chain inet t pre"
[ "$(grep -Ec '^\* +-?[0-9]' <<< "$text")" = 5 ] || fail "not 5 marked hooks in ipv4"
one=$(p nfhookctl pipeline ipv6 forward)
[ "$(grep -c '^[a-z].*: ' <<< "$one")" = 1 ] ||
	fail "pipeline ipv6 forward shows other hook points: $one"

# nfhook's hooks follow it: disabled, they leave the listing.
p nfhookctl hook set ipv6 forward disable
got=$(p nfhookctl -j pipeline ipv6 forward)
[ "$got" = "[]" ] || fail "ipv6 forward after disable: $got"
p nfhookctl hook set ipv6 forward enable

# A listing longer than one dump step (a few dozen hooks fit in one): 300
# more base chains at IPv4 input, priorities 1000 to 1299 given in a
# shuffled order, must come back once each, in priority order, with
# positions that go on from the hooks before them.
many=300
{
	echo "table ip many {"
	for ((i = 0; i < many; i++)); do
		k=$(( (i * 7) % many ))
		echo "chain c$k { type filter hook input priority $((1000 + k)); }"
	done
	echo "}"
} | p nft -f - || fail "nft refused $many chains"
json=$(p nfhookctl -j pipeline)
got=$(jq -r '[.[] | select(.family == "ipv4" and .hook == "input" and .table == "many")] |
	"\(length) \([.[].chain] == [range(length) | "c\(.)"]) \([.[].priority] == [range(length) | . + 1000])"' <<< "$json")
[ "$got" = "$many true true" ] ||
	fail "$many chains at ipv4 input: count, names in order, priorities in order: $got"
got=$(jq -r '[.[] | select(.family == "ipv4" and .hook == "input") | .position] |
	if . == [range(length)] then "ok" else "\(length) positions: \(.)" end' <<< "$json")
[ "$got" = ok ] || fail "ipv4 input positions are not 0 to N-1 across dump steps: $got"
say "$many more chains at ipv4 input: listed once each, in order, across dump steps"

# Where the kernel has nfnetlink_hook: `nft list hooks` agrees, hook for
# hook (priority, chain or function, module; nft shows no module for
# built-in code).
# Without nfnetlink_hook, nft says nothing (and exits with 0): the
# namespace has hooks, so an empty listing means the kernel cannot list.
if ! nft_hooks=$(p nft list hooks 2>&1) || ! grep -q '^family ' <<< "$nft_hooks"; then
	say "no comparison with nft list hooks: it lists nothing in this kernel (no nfnetlink_hook; Debian's 6.1 has none) $(said "$nft_hooks")"
	exit 0
fi
echo "$nft_hooks" >&2
# Families ip and ip6 as "FAMILY HOOK PRIO WHAT [MODULE]".
from_nft=$(awk '
	/^family / { fam = $2; next }
	/^\thook / { hook = $2; next }
	/^\t\t[-+ ]?[0-9]+ / {
		if (fam != "ip" && fam != "ip6") next
		prio = $1 + 0
		if ($2 == "chain") { what = "chain " $3 " " $4 " " $5; n = 6 }
		else { what = $2; n = 3 }
		mod = (n <= NF) ? " " $n : ""
		print fam " " hook " " prio " " what mod
	}' <<< "$nft_hooks")
from_us=$(jq -r '.[] | select(.family != "netdev") |
	(if .family == "ipv4" then "ip" else "ip6" end) + " \(.hook) \(.priority) " +
	(if .kind == "nftables" and .chain then "chain \(.table_family) \(.table) \(.chain)"
	 else .function end) +
	(if .module == "vmlinux" then "" else " [\(.module)]" end)' <<< "$json")
if [ "$from_nft" != "$from_us" ]; then
	diff <(echo "$from_nft") <(echo "$from_us") >&2 || true
	fail "nft list hooks and nfhookctl pipeline disagree (diff: nft, then ours)"
fi
say "nft list hooks agrees: $(wc -l <<< "$from_us") hooks"
