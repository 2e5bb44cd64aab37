#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hook priorities relative to NAT (nftables), IPv4 and IPv6.  The client
# pings a virtual address VIP; the router DNATs it to the server (nft, nat
# prerouting at priority dstnat) and SNATs it to its own server-side address
# (nat postrouting at priority srcnat).  Count rules on the router match the
# original and the translated addresses:
#	prerouting at dstnat-10	sees the request's original daddr (VIP) and
#				the reply's daddr before it is un-SNATed;
#	prerouting at filter+10	sees the translated ones;
#	postrouting at srcnat-10	sees the request's original saddr;
#	postrouting at srcnat+10	sees the translated saddr.
# The hooks are moved with "hook set ... priority" between two rounds of N
# pings; each rule's counter must follow exactly, and the counters survive
# the move.

. "$(dirname "$0")/lib/lib.sh"
. "$(dirname "$0")/lib/json.sh"

N=3
vip4=10.0.9.9 vip6=fd00:9::9

topo_three

# nftables NAT on the router.
if ! out=$(router nft list ruleset 2>&1); then
	skip "nft does not work in this kernel: $out"
fi
router nft -f - <<EOF || fail "nft NAT rules refused"
table ip nat {
	chain pre { type nat hook prerouting priority dstnat; ip daddr $vip4 dnat to $server4; }
	chain post { type nat hook postrouting priority srcnat; oif r1 snat to $router4_s; }
}
table ip6 nat {
	chain pre { type nat hook prerouting priority dstnat; ip6 daddr $vip6 dnat to $server6; }
	chain post { type nat hook postrouting priority srcnat; oif r1 snat to $router6_s; }
}
EOF

# The rules (and the hooks' first priorities), one restore per namespace.
router_rules= server_rules=
for f in ipv4 ipv6; do
	if [ $f = ipv4 ]; then
		icmp="proto icmp icmp-type"
		vip=$vip4 c=$client4 s=$server4 rs=$router4_s
	else
		icmp="proto icmpv6 icmp-type"
		vip=$vip6 c=$client6 s=$server6 rs=$router6_s
	fi
	router_rules+="
hook $f prerouting priority dstnat-10 policy accept enable
hook $f postrouting priority srcnat-10 policy accept enable
# Requests at prerouting: the original or the translated daddr.
rule $f prerouting daddr $vip $icmp echo-request count comment $f-pre-orig
rule $f prerouting daddr $s $icmp echo-request count comment $f-pre-xlat
# Replies at prerouting: to the SNAT address before the reverse
# translation, to the client after it.
rule $f prerouting daddr $rs $icmp echo-reply count comment $f-pre-rep-orig
rule $f prerouting daddr $c $icmp echo-reply count comment $f-pre-rep-xlat
# Requests at postrouting: the original or the translated saddr.
rule $f postrouting saddr $c $icmp echo-request count comment $f-post-orig
rule $f postrouting saddr $rs $icmp echo-request count comment $f-post-xlat"
	# The server only ever sees the translated packet.
	server_rules+="
rule $f input saddr $rs daddr $s $icmp echo-request count comment $f-server"
done
load "$ns_router" "$router_rules"
load "$ns_server" "$server_rules"

quiesce "$ns_client" "$ns_router" "$ns_server"
for f in ipv4 ipv6; do
	check router/$f/prerouting/priority -110
	check router/$f/postrouting/priority 90
done

# nat_round LABEL XLAT TOTAL: N pings to each VIP, then the counters: N
# on every rule of the original addresses and XLAT * N on those of the
# translated ones (rounds so far); the server and both hooks (requests and
# replies, every one through both) at TOTAL * N pings since the start.
nat_round()
{
	local label=$1 xlat=$(($2 * N)) total=$(($3 * N)) f size

	pings "$ns_client" $vip4 $N
	pings "$ns_client" $vip6 $N
	snap "$ns_router" "$ns_server"
	for f in ipv4 ipv6; do
		if [ $f = ipv4 ]; then size=84; else size=104; fi
		say "--- $f $label"
		expect_rule "$ns_router" $f-pre-orig $N $((N * size))
		expect_rule "$ns_router" $f-pre-xlat $xlat $((xlat * size))
		expect_rule "$ns_router" $f-pre-rep-orig $N $((N * size))
		expect_rule "$ns_router" $f-pre-rep-xlat $xlat $((xlat * size))
		expect_rule "$ns_router" $f-post-orig $N $((N * size))
		expect_rule "$ns_router" $f-post-xlat $xlat $((xlat * size))
		expect_rule "$ns_server" $f-server $total $((total * size))
		expect_hook "$ns_router" $f prerouting $((2 * total)) \
			$((2 * total * size)) $((2 * total)) 0 0
		expect_hook "$ns_router" $f postrouting $((2 * total)) \
			$((2 * total * size)) $((2 * total)) 0 0
	done
}

# Round 1: prerouting before DNAT, postrouting before SNAT.
nat_round "before NAT" 0 1

# Move both hooks past NAT, under their rules and counters.
for f in ipv4 ipv6; do
	ctl "$ns_router" hook set $f prerouting priority filter+10
	ctl "$ns_router" hook set $f postrouting priority srcnat+10
done
snap "$ns_router"
for f in ipv4 ipv6; do
	check router/$f/prerouting/priority 10
	check router/$f/postrouting/priority 110
	check router/$f/prerouting/enabled true
	check router/$f/prerouting/rules 4
	check router/$f/postrouting/rules 2
done

# Round 2: prerouting after DNAT, postrouting after SNAT.
nat_round "after NAT" 1 2

# And back before DNAT with a drop of the VIP: only a hook that runs
# before DNAT can see (and drop) the original destination.
rule "$ns_router" ipv4 prerouting daddr $vip4 drop index 0 comment vip-drop > /dev/null
pings "$ns_client" $vip4 $N
snap "$ns_router"
expect_rule "$ns_router" vip-drop 0 0
ctl "$ns_router" hook set ipv4 prerouting priority dstnat-10
pings_lost "$ns_client" $vip4 $N
snap "$ns_router"
check router/ipv4/prerouting/priority -110
expect_rule "$ns_router" vip-drop $N $((N * 84))
expect_rule "$ns_router" ipv4-pre-orig $N $((N * 84))
expect_rule "$ns_router" ipv4-pre-xlat $((2 * N)) $((2 * N * 84))
