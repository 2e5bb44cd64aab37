#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every match field and every action, IPv4 and IPv6, on real traffic.
#
# Part 1, matches: one batch of count rules per namespace (loaded with
# restore), each rule testing one field (or all of them AND-ed) with a
# value that must match and one that must not; then one known burst of
# traffic from the client to the server (pings of two sizes, TCP SYNs to a
# closed port, UDP datagrams; client source ports pinned to 40000-40009) and
# every rule's counter checked exactly.  count goes on to the next rule, so
# every rule sees every packet.
# Part 2, TCP flags on a real connection: exactly one SYN-only packet.
# Part 3, actions at the server's input: accept ends the evaluation (a
# later drop never sees the packet), drop, count, insertion at an index,
# policy drop with an accept rule, and a disabled hook that keeps its rules
# but neither counts nor drops until enabled again.

. "$(dirname "$0")/lib/lib.sh"
. "$(dirname "$0")/lib/json.sh"

topo_three
# Every client connection comes from a port in 40000-40009.
client sysctl -qw net.ipv4.ip_local_port_range="40000 40009"

# Traffic of part 1, per family: PING_SMALL pings of 56 data bytes,
# PING_BIG of 200, TCP SYNs to the closed port 8080, UDP to port 5353.
PING_SMALL=3 PING_BIG=2 SYNS=2 UDPS=3
ICMPS=$((PING_SMALL + PING_BIG))
TOTAL=$((ICMPS + SYNS + UDPS))

# family_vars FAMILY: the addresses, names and sizes of one family.
family_vars()
{
	if [ "$1" = ipv4 ]; then
		CA=$client4 SA=$server4 cnet=10.0.1.0/24 snet=10.0.2.0/24
		wide=10.0.0.0/16 icmp=icmp echo=echo-request reply=echo-reply
		unreach="3 code 3" hdr=20
	else
		CA=$client6 SA=$server6 cnet=fd00:1::/64 snet=fd00:2::/64
		wide=fd00::/16 icmp=icmpv6 echo=echo-request reply=echo-reply
		unreach="1 code 4" hdr=40
	fi
	small=$((hdr + 8 + 56)) big=$((hdr + 8 + 200)) udplen=$((hdr + 8 + 1))
}

server_rules=
client_rules=
router_rules=
for f in ipv4 ipv6; do
	family_vars $f
	server_rules+="
rule $f input saddr $CA count comment $f-saddr-host
rule $f input saddr $cnet count comment $f-saddr-net
rule $f input saddr $snet count comment $f-saddr-miss
rule $f input daddr $SA count comment $f-daddr-host
rule $f input daddr $wide count comment $f-daddr-wide
rule $f input daddr $cnet count comment $f-daddr-miss
rule $f input proto $icmp count comment $f-proto-icmp
rule $f input proto tcp count comment $f-proto-tcp
rule $f input proto udp count comment $f-proto-udp
rule $f input proto sctp count comment $f-proto-sctp
rule $f input proto 17 count comment $f-proto-17
rule $f input proto tcp dport 8080 count comment $f-tcp-dport
rule $f input proto tcp dport 8000-8099 count comment $f-tcp-dport-range
rule $f input proto tcp dport 8081-65535 count comment $f-tcp-dport-miss
rule $f input proto tcp sport 40000-40009 count comment $f-tcp-sport
rule $f input proto tcp sport 1-39999 count comment $f-tcp-sport-miss
rule $f input proto tcp dport 5353 count comment $f-tcp-dport-udp
rule $f input proto udp dport 5353 count comment $f-udp-dport
rule $f input proto udp dport 5300-5353 count comment $f-udp-dport-edge
rule $f input proto udp dport 5354-6000 count comment $f-udp-dport-miss
rule $f input proto udp sport 40000-40009 count comment $f-udp-sport
rule $f input proto udp sport 40010-65535 count comment $f-udp-sport-miss
rule $f input proto $icmp icmp-type $echo count comment $f-icmp-type
rule $f input proto $icmp icmp-type $echo code 0 count comment $f-icmp-code
rule $f input proto $icmp icmp-type $echo code 1 count comment $f-icmp-code-miss
rule $f input proto $icmp icmp-type $reply count comment $f-icmp-type-miss
rule $f input iif s0 count comment $f-iif
rule $f input iif lo count comment $f-iif-miss
rule $f input len $small count comment $f-len-exact
rule $f input proto $icmp len $((small + 1))-1500 count comment $f-len-range
rule $f input len $big- count comment $f-len-min
rule $f input len $udplen count comment $f-len-udp
rule $f input len 1000-2000 count comment $f-len-miss
rule $f input proto tcp tcp-flags syn/syn,ack count comment $f-syn-only
rule $f input proto tcp tcp-flags syn count comment $f-syn
rule $f input proto tcp tcp-flags ack count comment $f-ack
rule $f input proto tcp tcp-flags none/ack count comment $f-no-ack
rule $f input saddr $CA daddr $SA proto udp sport 40000-40009 dport 5353 iif s0 len $udplen count comment $f-all
rule $f input saddr $CA daddr $SA proto udp sport 40000-40009 dport 5354 iif s0 len $udplen count comment $f-all-miss
rule $f input proto tcp dport 8081 tcp-flags syn/syn,ack count comment $f-conn-syn-only
rule $f input proto tcp dport 8081 tcp-flags syn count comment $f-conn-syn"
	client_rules+="
rule $f input proto tcp sport 8080 tcp-flags rst,ack count comment $f-rst-ack
rule $f input proto tcp sport 8080 tcp-flags syn count comment $f-rst-syn
rule $f input proto $icmp icmp-type $unreach count comment $f-unreach
rule $f input proto $icmp icmp-type $reply count comment $f-reply
rule $f input proto tcp sport 8081 tcp-flags syn,ack count comment $f-conn-synack
rule $f input proto tcp sport 8081 tcp-flags syn/syn,ack count comment $f-conn-syn-only"
	router_rules+="
rule $f forward iif r0 oif r1 count comment $f-fwd-out
rule $f forward iif r1 oif r0 proto tcp count comment $f-fwd-back-tcp
rule $f forward oif r1 count comment $f-oif
rule $f forward iif r0 oif r0 count comment $f-fwd-miss
rule $f forward iif r1 oif r1 count comment $f-fwd-miss2"
done
load "$ns_server" "$server_rules"
load "$ns_client" "$client_rules"
load "$ns_router" "$router_rules"

# There is no output device at input (nor an input device at output):
# such a rule is refused, not accepted to never match.
for f in ipv4 ipv6; do
	expect_fail "$f oif at input" nfhookctl -N "$ns_server" rule add $f input oif s0 count
	[[ $out == *"no output interface at the prerouting and input hooks"* ]] ||
		fail "$f oif at input: unexpected message: $out"
	expect_fail "$f iif at output" nfhookctl -N "$ns_server" rule add $f output iif s0 count
done

# Part 1: the burst, both families.
quiesce "$ns_client" "$ns_router" "$ns_server"
for f in ipv4 ipv6; do
	family_vars $f
	pings "$ns_client" "$SA" $PING_SMALL 56
	pings "$ns_client" "$SA" $PING_BIG 200
	tcp_refused "$ns_client" "$SA" 8080 $SYNS
	udp_each "$ns_client" "$SA" 5353 $UDPS
done
snap "$ns_client" "$ns_router" "$ns_server"

for f in ipv4 ipv6; do
	family_vars $f
	say "--- $f matches"
	icmpb=$((PING_SMALL * small + PING_BIG * big))
	udpb=$((UDPS * udplen))
	expect_rule "$ns_server" $f-saddr-host $TOTAL
	expect_rule "$ns_server" $f-saddr-net $TOTAL
	expect_rule "$ns_server" $f-saddr-miss 0 0
	expect_rule "$ns_server" $f-daddr-host $TOTAL
	expect_rule "$ns_server" $f-daddr-wide $TOTAL
	expect_rule "$ns_server" $f-daddr-miss 0 0
	expect_rule "$ns_server" $f-proto-icmp $ICMPS $icmpb
	expect_rule "$ns_server" $f-proto-tcp $SYNS
	expect_rule "$ns_server" $f-proto-udp $UDPS $udpb
	expect_rule "$ns_server" $f-proto-sctp 0 0
	expect_rule "$ns_server" $f-proto-17 $UDPS $udpb
	expect_rule "$ns_server" $f-tcp-dport $SYNS
	expect_rule "$ns_server" $f-tcp-dport-range $SYNS
	expect_rule "$ns_server" $f-tcp-dport-miss 0 0
	expect_rule "$ns_server" $f-tcp-sport $SYNS
	expect_rule "$ns_server" $f-tcp-sport-miss 0 0
	expect_rule "$ns_server" $f-tcp-dport-udp 0 0
	expect_rule "$ns_server" $f-udp-dport $UDPS $udpb
	expect_rule "$ns_server" $f-udp-dport-edge $UDPS $udpb
	expect_rule "$ns_server" $f-udp-dport-miss 0 0
	expect_rule "$ns_server" $f-udp-sport $UDPS $udpb
	expect_rule "$ns_server" $f-udp-sport-miss 0 0
	expect_rule "$ns_server" $f-icmp-type $ICMPS $icmpb
	expect_rule "$ns_server" $f-icmp-code $ICMPS $icmpb
	expect_rule "$ns_server" $f-icmp-code-miss 0 0
	expect_rule "$ns_server" $f-icmp-type-miss 0 0
	expect_rule "$ns_server" $f-iif $TOTAL
	expect_rule "$ns_server" $f-iif-miss 0 0
	expect_rule "$ns_server" $f-len-exact $PING_SMALL $((PING_SMALL * small))
	expect_rule "$ns_server" $f-len-range $PING_BIG $((PING_BIG * big))
	expect_rule "$ns_server" $f-len-min $PING_BIG $((PING_BIG * big))
	expect_rule "$ns_server" $f-len-udp $UDPS $udpb
	expect_rule "$ns_server" $f-len-miss 0 0
	expect_rule "$ns_server" $f-syn-only $SYNS
	expect_rule "$ns_server" $f-syn $SYNS
	expect_rule "$ns_server" $f-ack 0 0
	expect_rule "$ns_server" $f-no-ack $SYNS
	expect_rule "$ns_server" $f-all $UDPS $udpb
	expect_rule "$ns_server" $f-all-miss 0 0
	# A SYN carries 20 bytes of options (MSS, SACK permitted,
	# timestamps, window scale): a 40-byte TCP header.
	check "server/rule/$f-proto-tcp/bytes" $((SYNS * (hdr + 40)))
	check "server/rule/$f-saddr-host/bytes" $((icmpb + udpb + SYNS * (hdr + 40)))
	# Each refused SYN got one RST,ACK; each UDP datagram one port
	# unreachable (3 of them stay under ICMP's rate limit burst).
	expect_rule "$ns_client" $f-rst-ack $SYNS
	expect_rule "$ns_client" $f-rst-syn 0 0
	expect_rule "$ns_client" $f-unreach $UDPS
	expect_rule "$ns_client" $f-reply $ICMPS $icmpb
	expect_rule "$ns_router" $f-fwd-out $TOTAL
	expect_rule "$ns_router" $f-oif $TOTAL
	expect_rule "$ns_router" $f-fwd-back-tcp $SYNS
	expect_rule "$ns_router" $f-fwd-miss 0 0
	expect_rule "$ns_router" $f-fwd-miss2 0 0
	# Nothing dropped anywhere.
	expect_hook "$ns_server" $f input $TOTAL \
		$((icmpb + udpb + SYNS * (hdr + 40))) $TOTAL 0 0
done

# Part 2: a real connection; exactly one SYN-only packet each way's rule.
for f in ipv4 ipv6; do
	family_vars $f
	echo "+ [server] nc -l -p 8081 &" >&2
	nsenter --net="/run/netns/$ns_server" nc -l -p 8081 < /dev/null > /dev/null &
	ncpid=$!
	for i in $(seq 50); do
		nsenter --net="/run/netns/$ns_server" netstat -ltn | grep -q ':8081 ' && break
		sleep 0.1
	done
	echo "+ [client] TCP connection to $SA port 8081" >&2
	nsenter --net="/run/netns/$ns_client" timeout 20 bash -c '
		exec 3<> "/dev/tcp/$1/8081" && printf hello >&3 && exec 3>&-' _ "$SA" ||
		fail "TCP connection to $SA port 8081 failed"
	kill $ncpid 2> /dev/null || true
	wait $ncpid || true
done
snap "$ns_client" "$ns_server"
for f in ipv4 ipv6; do
	expect_rule "$ns_server" $f-conn-syn-only 1
	expect_rule "$ns_server" $f-conn-syn 1
	expect_rule "$ns_client" $f-conn-synack 1
	expect_rule "$ns_client" $f-conn-syn-only 0 0
done

# Part 3: actions, at the server's input.
for f in ipv4 ipv6; do
	family_vars $f
	say "--- $f actions"
	N=3
	ctl "$ns_server" flush
	ctl "$ns_server" reset > /dev/null

	# accept ends the evaluation: the drop after it never sees a packet.
	acc=$(rule "$ns_server" $f input proto $icmp accept comment acc)
	late=$(rule "$ns_server" $f input proto $icmp drop comment late-drop)
	pings "$ns_client" "$SA" $N
	snap "$ns_server"
	expect_rule "$ns_server" acc $N $((N * small))
	expect_rule "$ns_server" late-drop 0 0
	expect_hook "$ns_server" $f input $N $((N * small)) $N 0 0

	# drop, inserted at index 0, before the accept.
	first=$(rule "$ns_server" $f input proto $icmp icmp-type $echo drop index 0 comment first-drop)
	pings_lost "$ns_client" "$SA" $N
	snap "$ns_server"
	check server/rule/first-drop/index 0
	check server/rule/acc/index 1
	check server/rule/late-drop/index 2
	expect_rule "$ns_server" first-drop $N $((N * small))
	expect_rule "$ns_server" acc $N $((N * small))
	expect_rule "$ns_server" late-drop 0 0
	expect_hook "$ns_server" $f input $((2 * N)) $((2 * N * small)) $N $N 0

	# count goes on: a count rule at index 1 sees what the drop after it
	# drops; then the drop is deleted and the accept takes over.
	rule "$ns_server" $f input proto $icmp count index 1 comment cnt > /dev/null
	snap "$ns_server"
	check server/rule/first-drop/index 0
	check server/rule/cnt/index 1
	check server/rule/acc/index 2
	check server/rule/late-drop/index 3
	ctl "$ns_server" rule del "$first"
	pings "$ns_client" "$SA" $N
	snap "$ns_server"
	[ -z "${C[server/rule/first-drop/packets]+set}" ] ||
		fail "rule $first (first-drop) still listed after rule del"
	check server/rule/cnt/index 0
	check server/rule/acc/index 1
	expect_rule "$ns_server" cnt $N $((N * small))
	expect_rule "$ns_server" acc $((2 * N)) $((2 * N * small))
	expect_rule "$ns_server" late-drop 0 0
	expect_hook "$ns_server" $f input $((3 * N)) $((3 * N * small)) $((2 * N)) $N 0
	# rule del of a rule that is gone is refused.
	expect_fail "rule del $first again" nfhookctl -N "$ns_server" rule del "$first"

	# Policy drop with an accept rule: pings pass, UDP is dropped by the
	# policy (so no port unreachable comes back).
	ctl "$ns_server" flush $f input
	ctl "$ns_server" reset > /dev/null
	ctl "$ns_server" hook set $f input policy drop
	rule "$ns_server" $f input proto $icmp accept comment pol-acc > /dev/null
	pings "$ns_client" "$SA" $N
	udp_each "$ns_client" "$SA" 5353 2
	snap "$ns_server"
	check "server/$f/input/policy" drop
	expect_rule "$ns_server" pol-acc $N $((N * small))
	expect_hook "$ns_server" $f input $((N + 2)) $((N * small + 2 * udplen)) $N 0 2
	check "server/$f/input/policy_dropped_bytes" $((2 * udplen))
	ctl "$ns_server" hook set $f input policy accept

	# A disabled hook keeps its rules but sees nothing: the drop rule
	# neither drops nor counts until the hook is enabled again.
	ctl "$ns_server" flush $f input
	ctl "$ns_server" reset > /dev/null
	ctl "$ns_server" hook set $f input disable
	rule "$ns_server" $f input proto $icmp drop comment off-drop > /dev/null
	pings "$ns_client" "$SA" $N
	snap "$ns_server"
	check "server/$f/input/enabled" false
	check "server/$f/input/rules" 1
	expect_rule "$ns_server" off-drop 0 0
	expect_hook "$ns_server" $f input 0 0 0 0 0
	# The other hooks still count: the requests passed prerouting.
	expect_hook "$ns_server" $f prerouting $N $((N * small)) $N 0 0
	ctl "$ns_server" hook set $f input enable
	pings_lost "$ns_client" "$SA" $N
	snap "$ns_server"
	check "server/$f/input/enabled" true
	expect_rule "$ns_server" off-drop $N $((N * small))
	expect_hook "$ns_server" $f input $N $((N * small)) 0 $N 0
	ctl "$ns_server" flush $f input
done
