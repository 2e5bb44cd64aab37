#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and unusual packets at the router's prerouting hooks, sent by
# tests/tools/pktcraft from the client (AF_PACKET: the client's own stack
# and hooks never see them), N of each kind, with exact expectations:
#
#  - real SYNs, first fragments and TCP behind an IPv6 hop-by-hop +
#    destination options chain match port and tcp-flags rules: N each;
#  - packets whose IP length cuts the TCP/UDP header reach the hook (a
#    saddr rule counts them, and a bare "proto tcp" rule too) but never
#    match a port or flags rule;
#  - TCP fragments at offset 8 shaped like a SYN to port 80 (RFC 1858: they
#    can only be there to overwrite the first fragment's flags) are dropped
#    by the hook before its rules, since it has rules that read the TCP
#    header: the hook sees them and counts them as fragment drops, no rule
#    sees them;
#  - IPv4 packets with IHL < 5 and IPv6 packets whose hop-by-hop header is
#    cut by the payload length are dropped by the IP stack before
#    prerouting (the stack's InHdrErrors counter grows by N, the hook sees
#    nothing);
#  - the IPv4 prerouting hook's own counter sees exactly what the saddr
#    rule saw.
# Any kernel splat fails the run (the harness watches the console).

. "$(dirname "$0")/lib/lib.sh"

N=25

command -v pktcraft > /dev/null || skip "pktcraft not in the guest (tests/tools)"

topo_three
mac=$(ip -n "$ns_router" link show r0 | awk '/link\/ether/ { print $2 }')

# Counters, read with one nfhookctl and one jq per snapshot (TCG is slow):
# P[rule id] = packets, H = packets the ipv4 prerouting hook saw, and
# P[frag4], P[frag6] = the fragment drops of the prerouting hooks.
declare -A P=()
H=0
snapshot()
{
	local id n

	P=()
	while read -r id n; do
		P[$id]=$n
	done < <(nfhookctl -N "$ns_router" -j rule list |
		 jq -r '.[] | "\(.id) \(.packets)"')
	[ "${1:-}" = rules ] && return 0
	while read -r id n; do
		case $id in
		ipv4) H=$n ;;
		frag4 | frag6) P[$id]=$n ;;
		esac
	done < <(nfhookctl -N "$ns_router" -j hook list |
		 jq -er '.[] | select(.hook == "prerouting") |
			 (if .family == "ipv4" then "ipv4 \(.packets)" else empty end),
			 "frag\(.family[3:]) \(.fragment_dropped_packets)"')
}

pkts()
{
	echo "${P[$1]:?no rule $1 in the listing}"
}

# snmp NAME: the router's IPv4 (Ip: table) or IPv6 (snmp6) counter NAME.
snmp()
{
	if [[ $1 == Ip6* ]]; then
		ip netns exec "$ns_router" awk -v n="$1" '$1 == n { print $2 }' /proc/net/snmp6
	else
		ip netns exec "$ns_router" awk -v n="$1" '
			$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
			$1 == "Ip:" { print $col[n] }' /proc/net/snmp
	fi
}

r4_all=$(rule_add "$ns_router" ipv4 prerouting saddr "$client4" count comment all)
r4_tcp=$(rule_add "$ns_router" ipv4 prerouting proto tcp count comment tcp)
r4_dport=$(rule_add "$ns_router" ipv4 prerouting proto tcp dport 80 count comment dport)
r4_syn=$(rule_add "$ns_router" ipv4 prerouting proto tcp tcp-flags syn/syn count comment syn)
r4_udp=$(rule_add "$ns_router" ipv4 prerouting proto udp dport 80 count comment udp)
r6_all=$(rule_add "$ns_router" ipv6 prerouting saddr "$client6" count comment all)
r6_tcp=$(rule_add "$ns_router" ipv6 prerouting proto tcp count comment tcp)
r6_dport=$(rule_add "$ns_router" ipv6 prerouting proto tcp dport 80 count comment dport)
r6_syn=$(rule_add "$ns_router" ipv6 prerouting proto tcp tcp-flags syn/syn count comment syn)

snapshot

# send KIND WAIT_ON RULE=DELTA...: N packets of KIND; wait until WAIT_ON (a
# rule id, frag4 or frag6, or an snmp counter name) has grown by N, then
# every RULE (a rule id, or frag4/frag6: a prerouting hook's fragment drops)
# must have grown by exactly DELTA (those not named must not have grown).
send()
{
	local kind=$1 wait_on=$2 family src dst before now i r want got
	local -A delta=()
	shift 2

	for r in "$@"; do
		delta[${r%%=*}]=${r#*=}
	done
	if [[ $kind == *6* ]]; then
		family=ipv6 src=$client6 dst=$router6_c
	else
		family=ipv4 src=$client4 dst=$router4_c
	fi
	# The snapshot taken after the previous kind is still current.
	local -A was=()
	for r in "$r4_all" "$r4_tcp" "$r4_dport" "$r4_syn" "$r4_udp" \
		 "$r6_all" "$r6_tcp" "$r6_dport" "$r6_syn" frag4 frag6; do
		was[$r]=${P[$r]}
	done
	local hook_was=$H
	if [[ $wait_on =~ ^([0-9]+|frag[46])$ ]]; then
		before=${was[$wait_on]}
	else
		before=$(snmp "$wait_on")
	fi

	client pktcraft -i c0 -m "$mac" -s "$src" -d "$dst" -k "$kind" -n "$N" -D 80 > /dev/null

	for ((i = 0; i < 50; i++)); do
		sleep 0.2
		if [[ $wait_on =~ ^([0-9]+|frag[46])$ ]]; then
			snapshot
			now=$(pkts "$wait_on")
		else
			now=$(snmp "$wait_on")
		fi
		[ $((now - before)) -ge "$N" ] && break
	done
	[ $((now - before)) = "$N" ] ||
		fail "$kind: $wait_on grew by $((now - before)), expected $N"
	[[ $wait_on =~ ^([0-9]+|frag[46])$ ]] || snapshot
	for r in "$r4_all" "$r4_tcp" "$r4_dport" "$r4_syn" "$r4_udp" \
		 "$r6_all" "$r6_tcp" "$r6_dport" "$r6_syn" frag4 frag6; do
		want=${delta[$r]:-0}
		got=$((P[$r] - was[$r]))
		[ "$got" = "$want" ] ||
			fail "$kind: $r ($(router nfhookctl rule list | grep -w "$r")) counted $got, expected $want"
	done
	if [ $family = ipv4 ]; then
		# What the rules saw, and what was dropped before them.
		want=$((${delta[$r4_all]:-0} + ${delta[frag4]:-0}))
		got=$((H - hook_was))
		[ "$got" = "$want" ] ||
			fail "$kind: the ipv4 prerouting hook saw $got packets, expected $want"
	fi
	say "$kind x$N: as expected (${*:-no rule matched})"
}

# IPv4.
send tcp-syn "$r4_all" "$r4_all=$N" "$r4_tcp=$N" "$r4_dport=$N" "$r4_syn=$N"
send udp "$r4_all" "$r4_all=$N" "$r4_udp=$N"
send tcp-trunc "$r4_all" "$r4_all=$N" "$r4_tcp=$N"
send udp-trunc "$r4_all" "$r4_all=$N"
send frag-first "$r4_all" "$r4_all=$N" "$r4_tcp=$N" "$r4_dport=$N" "$r4_syn=$N"
send frag-tcp frag4 frag4=$N
# IHL 4 and IHL 0: ip_rcv_core() drops them (InHdrErrors) before prerouting.
send bad-ihl InHdrErrors
client pktcraft -i c0 -m "$mac" -s "$client4" -d "$router4_c" -k bad-ihl -I 0 -n "$N" > /dev/null
sleep 0.3
snapshot
expect_eq "hook-seen packets after IHL 0 packets (rule 'all')" "$((N * 5))" "$(pkts "$r4_all")"

# IPv6.
send tcp6-syn "$r6_all" "$r6_all=$N" "$r6_tcp=$N" "$r6_dport=$N" "$r6_syn=$N"
send tcp6-ext "$r6_all" "$r6_all=$N" "$r6_tcp=$N" "$r6_dport=$N" "$r6_syn=$N"
send tcp6-trunc "$r6_all" "$r6_all=$N" "$r6_tcp=$N"
send frag6-first "$r6_all" "$r6_all=$N" "$r6_tcp=$N" "$r6_dport=$N" "$r6_syn=$N"
send frag6-tcp frag6 frag6=$N
# Destination options running past the payload: seen, the chain cannot be
# walked to TCP, so not even "proto tcp" matches.
send ext6-trunc "$r6_all" "$r6_all=$N"
# A hop-by-hop header cut short: ip6_rcv_core() drops it (Ip6InHdrErrors).
send hbh6-trunc Ip6InHdrErrors

# Totals, once more, from the listing.
snapshot
expect_eq "ipv4 tcp dport 80 matches (SYNs + first fragments)" "$((2 * N))" "$(pkts "$r4_dport")"
expect_eq "ipv4 tcp-flags syn/syn matches" "$((2 * N))" "$(pkts "$r4_syn")"
expect_eq "ipv6 tcp dport 80 matches (plain, ext chain, first fragments)" "$((3 * N))" "$(pkts "$r6_dport")"
expect_eq "ipv6 tcp-flags syn/syn matches" "$((3 * N))" "$(pkts "$r6_syn")"
