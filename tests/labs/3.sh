# SPDX-License-Identifier: GPL-2.0
# title: fragments and port rules, and what conntrack's defrag changes (docs/labs/3-fragments.md)
#
# The router's nfhook forward hook has "proto udp dport 5000 drop"; nothing
# tracks connections on the router.  A 3000-byte datagram leaves the client
# as three IPv4 fragments; only the first holds the UDP header, so the rule
# drops it and the two others cross the router and wait in the server's
# reassembly queue (Ip ReasmReqds grows by 2).  Solved when no fragment of
# a datagram to port 5000 reaches the server, a datagram to port 5001
# still arrives whole, and the router's nfhook rule dropped the datagram
# whole (3028 bytes in one packet): conntrack's defragmentation, at
# prerouting priority -400, reassembles before the forward hook.

server=10.0.2.2 size=3000

setup()
{
	local p

	at router nfhookctl restore - <<-EOF || return 1
	hook ipv4 forward priority filter policy accept enable
	rule ipv4 forward proto udp dport 5000 drop comment "block-5000"
	EOF
	for p in 5000 5001; do
		: > "$labs_state/3/udp-$p"
		bg server socat -u "UDP4-RECV:$p" "OPEN:$labs_state/3/udp-$p,append"
	done
	sleep 0.5
}

# send PORT: one datagram of $size bytes from the client to PORT.
send()
{
	at client bash -c 'exec 3> "/dev/udp/$1/$2" && head -c "$3" /dev/zero | tr "\0" x >&3' \
		_ $server "$1" $size
}

# rule_5000 FIELD: the sum of FIELD over the router's nfhook drop rules
# that read port 5000.
rule_5000()
{
	at router nfhookctl -j rule list |
		jq --arg f "$1" '[.[] | select(.action == "drop" and .dport_min != null and
			.dport_min <= 5000 and .dport_max >= 5000) | .[$f]] | add // 0'
}

check()
{
	local reasm0 reasm1 got0 got1 pk0 pk1 by0 by1 frags

	reasm0=$(snmp server Ip ReasmReqds)
	got0=$(stat -c %s "$labs_state/3/udp-5000")
	pk0=$(rule_5000 packets) by0=$(rule_5000 bytes)
	send 5000
	sleep 0.5
	reasm1=$(snmp server Ip ReasmReqds)
	got1=$(stat -c %s "$labs_state/3/udp-5000")
	pk1=$(rule_5000 packets) by1=$(rule_5000 bytes)
	frags=$((reasm1 - reasm0))
	if [ "$got1" != "$got0" ]; then
		miss "a $size-byte datagram to UDP port 5000 reached the server's socket: port 5000 must stay blocked"
	elif [ "$frags" != 0 ]; then
		miss "$frags fragment(s) of a $size-byte datagram to UDP port 5000 still reached the server (its Ip ReasmReqds grew by $frags): the router's port rule dropped only the first fragment, the only one with a UDP header"
	else
		ok "no fragment of a datagram to UDP port 5000 reaches the server"
	fi
	if [ "$((pk1 - pk0))" = 1 ] && [ "$((by1 - by0))" = $((size + 28)) ]; then
		ok "the router's nfhook rule dropped the datagram whole: 1 packet, $((size + 28)) bytes"
	elif [ "$((pk1 - pk0))" = 0 ]; then
		miss "no nfhook drop rule for port 5000 on the router counted the datagram (the drop must be nfhook's port rule on the router)"
	else
		miss "the router's port 5000 rule counted $((pk1 - pk0)) packet(s), $((by1 - by0)) bytes: a fragment, not the whole datagram of $((size + 28)) bytes"
	fi

	got0=$(stat -c %s "$labs_state/3/udp-5001")
	send 5001
	# socat writes it to the file when it gets to run: up to 5 s.
	for _ in $(seq 25); do
		sleep 0.2
		got1=$(stat -c %s "$labs_state/3/udp-5001")
		[ "$((got1 - got0))" -ge $size ] && break
	done
	if [ "$((got1 - got0))" = $size ]; then
		ok "a $size-byte datagram to UDP port 5001 arrives whole"
	else
		miss "a $size-byte datagram to UDP port 5001 did not arrive ($((got1 - got0)) bytes received): only port 5000 may be blocked"
	fi
}
