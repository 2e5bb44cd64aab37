#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# All five hook points see traffic, IPv4 and IPv6.  The client pings the
# server through the router; count rules at the points each echo request and
# reply must pass (client output/postrouting, router forward, server
# prerouting/input, and the way back), and at points they must not pass.
# Every rule counter and every hook counter (packets, bytes, accepted,
# dropped) of the three namespaces is checked exactly.

. "$(dirname "$0")/lib/lib.sh"
. "$(dirname "$0")/lib/json.sh"

N=4		# echo requests per family
topo_three

# Rules named FAMILY-HOOK-req/-rep in all three namespaces, loaded with one
# restore each.
client_rules= router_rules= server_rules=
for fam in ipv4 ipv6; do
	if [ $fam = ipv4 ]; then
		icmp=(proto icmp icmp-type)
		req=echo-request rep=echo-reply
	else
		icmp=(proto icmpv6 icmp-type)
		req=128 rep=129
	fi
	# The request's way: client output, postrouting; router prerouting,
	# forward, postrouting; server prerouting, input.
	client_rules+="
rule $fam output ${icmp[*]} $req count comment $fam-out-req"
	client_rules+="
rule $fam postrouting ${icmp[*]} $req count comment $fam-post-req"
	router_rules+="
rule $fam prerouting ${icmp[*]} $req count comment $fam-pre-req"
	router_rules+="
rule $fam forward ${icmp[*]} $req count comment $fam-fwd-req"
	router_rules+="
rule $fam postrouting ${icmp[*]} $req count comment $fam-post-req"
	server_rules+="
rule $fam prerouting ${icmp[*]} $req count comment $fam-pre-req"
	server_rules+="
rule $fam input ${icmp[*]} $req count comment $fam-in-req"
	# The reply's way back.
	server_rules+="
rule $fam output ${icmp[*]} $rep count comment $fam-out-rep"
	server_rules+="
rule $fam postrouting ${icmp[*]} $rep count comment $fam-post-rep"
	router_rules+="
rule $fam forward ${icmp[*]} $rep count comment $fam-fwd-rep"
	client_rules+="
rule $fam prerouting ${icmp[*]} $rep count comment $fam-pre-rep"
	client_rules+="
rule $fam input ${icmp[*]} $rep count comment $fam-in-rep"
	# Where they must not be: a request never comes back to the client,
	# a reply never reaches the server's input, the router itself is
	# neither source nor destination.
	client_rules+="
rule $fam input ${icmp[*]} $req count comment $fam-in-req"
	server_rules+="
rule $fam input ${icmp[*]} $rep count comment $fam-in-rep"
	router_rules+="
rule $fam input ${icmp[*]} $req count comment $fam-in-req"
	router_rules+="
rule $fam output ${icmp[*]} $rep count comment $fam-out-rep"
done
load "$ns_client" "$client_rules"
load "$ns_router" "$router_rules"
load "$ns_server" "$server_rules"

quiesce "$ns_client" "$ns_router" "$ns_server"
pings "$ns_client" "$server4" $N
pings "$ns_client" "$server6" $N
snap "$ns_client" "$ns_router" "$ns_server"

for fam in ipv4 ipv6; do
	# 56 data bytes + 8 (ICMP) + 20 (IPv4) or 40 (IPv6) header bytes.
	if [ $fam = ipv4 ]; then size=84; else size=104; fi
	b=$((N * size))

	expect_rule "$ns_client" $fam-out-req $N $b
	expect_rule "$ns_client" $fam-post-req $N $b
	expect_rule "$ns_router" $fam-pre-req $N $b
	expect_rule "$ns_router" $fam-fwd-req $N $b
	expect_rule "$ns_router" $fam-post-req $N $b
	expect_rule "$ns_server" $fam-pre-req $N $b
	expect_rule "$ns_server" $fam-in-req $N $b
	expect_rule "$ns_server" $fam-out-rep $N $b
	expect_rule "$ns_server" $fam-post-rep $N $b
	expect_rule "$ns_router" $fam-fwd-rep $N $b
	expect_rule "$ns_client" $fam-pre-rep $N $b
	expect_rule "$ns_client" $fam-in-rep $N $b

	expect_rule "$ns_client" $fam-in-req 0 0
	expect_rule "$ns_server" $fam-in-rep 0 0
	expect_rule "$ns_router" $fam-in-req 0 0
	expect_rule "$ns_router" $fam-out-rep 0 0

	# Hook counters: prerouting input forward output postrouting, every
	# packet accepted, none dropped.  The router forwards both ways.
	expect_hooks "$ns_client" $fam "$N $N 0 $N $N" $size
	expect_hooks "$ns_router" $fam "$((2 * N)) 0 $((2 * N)) 0 $((2 * N))" $size
	expect_hooks "$ns_server" $fam "$N $N 0 $N $N" $size
done

# The counters are per namespace and per family: a second round of IPv4
# only moves the IPv4 counters, by exactly N more.
pings "$ns_client" "$server4" $N
snap "$ns_client" "$ns_router" "$ns_server"
expect_rule "$ns_router" ipv4-fwd-req $((2 * N)) $((2 * N * 84))
expect_rule "$ns_router" ipv6-fwd-req $N $((N * 104))
expect_hooks "$ns_client" ipv4 "$((2 * N)) $((2 * N)) 0 $((2 * N)) $((2 * N))" 84
expect_hooks "$ns_server" ipv6 "$N $N 0 $N $N" 104
expect_hooks "$ns_router" ipv6 "$((2 * N)) 0 $((2 * N)) 0 $((2 * N))" 104
