#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tiny fragments (RFC 1858) against a port rule, end to end.  The client
# crafts a TCP SYN to the server's listening port 22 split into a first
# fragment holding only 8 bytes of the TCP header (ports, no flags) and a
# second one at offset 8 with the rest (tests/tools/pktcraft -k tiny-syn),
# and waits for the SYN-ACK.  Nothing does conntrack here, so no hook ever
# sees the SYN reassembled before the receiver does.
#
#  - Without a rule an IPv4 server reassembles the SYN and answers: the
#    attack is real, and this scenario can fail.  Linux refuses IPv6 first
#    fragments without the whole upper-layer header itself (RFC 7112), so
#    over IPv6 only a whole SYN is answered; nfhook must still drop the
#    pieces, for the hosts behind a router that would take them.
#  - With "proto tcp dport 22 drop" on the server's prerouting or input
#    hook, or on the router's forward hook, at priorities before and after
#    the standard ones, no SYN-ACK comes back, and the hook counts exactly
#    why: both pieces dropped as tiny fragments (the first too short, the
#    second at offset 8), or one reassembled SYN dropped by the rule where
#    the stack reassembles before the hook (IPv4 input).
#  - A rule that reads no port (an address rule) lets a tiny fragment be
#    judged by the rules as usual.

. "$(dirname "$0")/lib/lib.sh"

command -v pktcraft > /dev/null || skip "pktcraft not in the guest (tests/tools)"

WAIT=1
topo_three
mac_r0=$(ip -n "$ns_router" link show r0 | awk '/link\/ether/ { print $2 }')

# Something listening on port 22 of the server, on IPv4 and IPv6.
server nc -l -p 22 < /dev/null > /dev/null 2>&1 &
server nc -l -p 22 -s "$server6" < /dev/null > /dev/null 2>&1 &
sleep 0.5

sport=41000
# syn FAMILY [KIND]: sends one SYN, split into tiny fragments unless KIND
# says otherwise; true if a SYN-ACK came back.
syn()
{
	local src=$client4 dst=$server4 kind=${2:-tiny-syn}

	if [ "$1" = ipv6 ]; then
		src=$client6 dst=$server6 kind=${2:-tiny6-syn}
	fi
	sport=$((sport + 1))
	client pktcraft -i c0 -m "$mac_r0" -s "$src" -d "$dst" -k "$kind" \
		-S "$sport" -D 22 -w "$WAIT"
}

# hook_drops NS FAMILY HOOK: "FRAGMENT-DROPPED RULE-DROPPED" packets.
hook_drops()
{
	nfhookctl -N "$1" -j hook list "$2" "$3" |
		jq -r '.[0] | "\(.fragment_dropped_packets) \(.rule_dropped_packets)"'
}

for fam in ipv4 ipv6; do
	say "$fam: a whole SYN is answered"
	syn "$fam" "$( [ "$fam" = ipv4 ] && echo tcp-syn || echo tcp6-syn)" ||
		fail "$fam: nothing listens on the server's port 22"
	if [ "$fam" = ipv4 ]; then
		say "$fam: without a rule the split SYN is answered too"
		syn "$fam" || fail "$fam: no SYN-ACK without any rule: the test cannot tell"
	fi

	for where in "$ns_server prerouting" "$ns_server input" \
		     "$ns_router forward"; do
		read -r ns hook <<< "$where"
		for prio in -450 -300 0 300; do
			say "$fam ${ns#nfh-$uniq-} $hook at $prio: dport 22 drop"
			nfhookctl -N "$ns" hook set "$fam" "$hook" priority "$prio"
			nfhookctl -N "$ns" rule add "$fam" "$hook" proto tcp \
				dport 22 drop > /dev/null
			read -r before_f before_r < <(hook_drops "$ns" "$fam" "$hook")
			if syn "$fam"; then
				fail "$fam $hook at $prio: the split SYN got through"
			fi
			read -r after_f after_r < <(hook_drops "$ns" "$fam" "$hook")
			want="2 0"
			[ "$fam $hook" = "ipv4 input" ] && want="0 1"
			got="$((after_f - before_f)) $((after_r - before_r))"
			[ "$got" = "$want" ] ||
				fail "$fam $hook at $prio: fragment and rule drops $got, want $want"
			nfhookctl -N "$ns" flush "$fam" "$hook"
		done
		nfhookctl -N "$ns" hook set "$fam" "$hook" priority filter+10
	done

	say "$fam: an address rule alone leaves tiny fragments to the rules"
	nfhookctl -N "$ns_router" rule add "$fam" forward \
		saddr "$( [ "$fam" = ipv4 ] && echo 192.0.2.1 || echo 2001:db8::1)" \
		drop > /dev/null
	read -r before_f before_r < <(hook_drops "$ns_router" "$fam" forward)
	if [ "$fam" = ipv4 ]; then
		syn "$fam" || fail "$fam: an address rule for another source stopped the SYN"
	else
		syn "$fam" || true
	fi
	read -r after_f after_r < <(hook_drops "$ns_router" "$fam" forward)
	[ "$((after_f - before_f)) $((after_r - before_r))" = "0 0" ] ||
		fail "$fam: the address rule's hook dropped a tiny fragment"
	nfhookctl -N "$ns_router" flush "$fam"
done
