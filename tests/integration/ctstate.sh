#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ct state: the most common firewall, and the ordering lesson, IPv4 and
# IPv6, on the server of topo_three (static neighbours: no neighbour
# discovery to let through).  Conntrack is put to use in the server's
# namespace by an nftables table with a ct expression.
#
# Part 1: input policy drop, "ct state established,related accept",
# "proto tcp dport 22 ct state new accept", a "ct state invalid count" in
# front.  A TCP connection to port 22 (socat, echoing) works: exactly one
# packet is new (the SYN), every other one established, none invalid, none
# dropped; at output every reply is established.  A connection to port 23
# (one SYN) is new but not for port 22: dropped by the policy.
# Part 2: the input hook moved to priority -300 still sees the states:
# conntrack attached its entry at prerouting (-200), before input runs.
# Part 3, the lesson: the same rules at prerouting, priority -300, before
# conntrack: every packet is invalid, the SYN to port 22 is dropped by the
# policy and the connection fails.  Moved to -150, after conntrack, the
# connection works again.

. "$(dirname "$0")/lib/lib.sh"
. "$(dirname "$0")/lib/json.sh"

topo_three

if ! out=$(server nft list ruleset 2>&1); then
	skip "nft does not work in this kernel: $out"
fi
if ! out=$(server nft -f - 2>&1 <<-EOF
	table inet ctuser {
		chain in { type filter hook input priority 100; ct state invalid counter; }
	}
	EOF
); then
	skip "no connection tracking for nftables in this kernel: $out"
fi
if ! out=$(nfhookctl -N "$ns_server" rule add ipv4 forward ct state new count 2>&1); then
	[[ $out == *"no connection tracking"* ]] ||
		fail "ct state rule refused: $out"
	skip "this kernel has no connection tracking: $out"
fi

# Echo servers on port 22, one per family.
server socat TCP4-LISTEN:22,reuseaddr,fork PIPE &
server socat TCP6-LISTEN:22,ipv6only=1,reuseaddr,fork PIPE &

# family_vars FAMILY: the server's address and socat's address type.
family_vars()
{
	if [ "$1" = ipv4 ]; then
		SA=$server4 tcp=TCP4 loop=127.0.0.1
	else
		SA=[$server6] tcp=TCP6 loop=[::1]
	fi
}

for f in ipv4 ipv6; do
	family_vars $f
	for i in $(seq 50); do
		if echo x | server timeout 5 socat -t 1 - "$tcp:$loop:22" 2> /dev/null |
		   grep -qx x; then
			break
		fi
		[ "$i" = 50 ] && fail "socat on the server never listened on $f port 22"
		sleep 0.1
	done
done

# firewall HOOK PRIORITY: the rules of both families on HOOK, with policy
# drop, in the restore format.
firewall()
{
	local f text=

	for f in ipv4 ipv6; do
		text+="
hook $f $1 priority $2 policy drop enable
rule $f $1 ct state invalid count comment $f-invalid
rule $f $1 ct state established,related accept comment $f-est
rule $f $1 proto tcp dport 22 ct state new accept comment $f-ssh
rule $f output ct state established count comment $f-reply-est
rule $f output ct state new,related,invalid,untracked count comment $f-reply-other"
	done
	load "$ns_server" "$text"
}

# show: what the server's hooks and rules counted, for a failure's log.
show()
{
	nfhookctl -N "$ns_server" -n hook list >&2 || true
	nfhookctl -N "$ns_server" -n rule list >&2 || true
	server nft list ruleset >&2 || true
}

# ssh_ok FAMILY: a connection to port 22 that echoes what it was sent.
ssh_ok()
{
	local got err=/tmp/ctstate-socat.err

	family_vars "$1"
	echo "+ [client] echo ssh-$1 | socat - $tcp:$SA:22" >&2
	if ! got=$(echo "ssh-$1" | nsenter --net="/run/netns/$ns_client" \
		   timeout 10 socat -t 2 - "$tcp:$SA:22,connect-timeout=5" \
		   2> "$err"); then
		show
		fail "$1 connection to port 22 failed: $(cat "$err")"
	fi
	if [ "$got" != "ssh-$1" ]; then
		show
		fail "$1 port 22: expected the echo ssh-$1, got '$got' ($(cat "$err"))"
	fi
	say "$1 port 22: echoed ssh-$1"
}

# syn_only FAMILY PORT: one SYN to PORT, whose answer never comes (a
# second SYN would only be sent after a second).
syn_only()
{
	family_vars "$1"
	echo "+ [client] one SYN to $SA port $2" >&2
	if client timeout 0.5 socat -u /dev/null "$tcp:$SA:$2" 2> /dev/null; then
		fail "$1 connection to port $2 succeeded; expected it dropped"
	fi
}

# ssh_fails FAMILY: the connection to port 22 times out.
ssh_fails()
{
	local got

	family_vars "$1"
	echo "+ [client] echo ssh-$1 | socat - $tcp:$SA:22 (to fail)" >&2
	if got=$(echo "ssh-$1" | nsenter --net="/run/netns/$ns_client" \
		 timeout 10 socat -t 1 - "$tcp:$SA:22,connect-timeout=2" 2>&1); then
		fail "$1 connection to port 22 worked: $got; expected it dropped"
	fi
	say "$1 connection to port 22 failed as expected: $got"
}

# ge KEY MIN: C[KEY] is at least MIN.
ge()
{
	[ -n "${C[$1]+set}" ] || fail "$1: no such counter"
	[ "${C[$1]}" -ge "$2" ] || fail "$1: expected at least $2, got ${C[$1]}"
	say "$1 = ${C[$1]} (>= $2)"
}

# expect_connection FAMILY HOOK: after one good connection, HOOK saw one
# new packet (the SYN), the rest established, nothing invalid or dropped;
# every reply at output was established.
expect_connection()
{
	local f=$1 h=$2 seen

	snap "$ns_server"
	seen=${C[server/$f/$h/packets]}
	ge "server/$f/$h/packets" 4
	expect_rule "$ns_server" $f-invalid 0
	expect_rule "$ns_server" $f-ssh 1
	expect_rule "$ns_server" $f-est $((seen - 1))
	expect_hook "$ns_server" $f $h "$seen" "${C[server/$f/$h/bytes]}" \
		"$seen" 0 0
	ge "server/$f/output/packets" 2
	expect_rule "$ns_server" $f-reply-est "${C[server/$f/output/packets]}"
	expect_rule "$ns_server" $f-reply-other 0
}

# --- Part 1: the firewall at input, after conntrack -----------------------

firewall input filter
# As the kernel reports them: listed, and saved and restored unchanged.
out=$(nfhookctl -N "$ns_server" rule list ipv4 input)
[[ $out == *' ct state established,related accept comment "ipv4-est"'* &&
   $out == *' proto tcp dport 22 ct state new accept comment "ipv4-ssh"'* ]] ||
	fail "rule list does not show the ct state rules: $out"
saved=$(nfhookctl -N "$ns_server" save)
[[ $saved == *'rule ipv6 output ct state new,related,invalid,untracked count comment "ipv6-reply-other"'* ]] ||
	fail "save does not write the ct state rules: $saved"
nfhookctl -N "$ns_server" restore - <<< "$saved" || fail "restore of save failed"
expect_eq "save after restore" "$saved" "$(nfhookctl -N "$ns_server" save)"
quiesce "$ns_client" "$ns_router" "$ns_server"
for f in ipv4 ipv6; do
	snap "$ns_server"
	check server/$f/input/priority 0
	check server/$f/input/policy drop

	say "--- $f: port 22, new then established"
	ssh_ok $f
	expect_connection $f input

	say "--- $f: port 23, new but not ssh: the policy drops it"
	ctl "$ns_server" reset > /dev/null
	syn_only $f 23
	snap "$ns_server"
	expect_rule "$ns_server" $f-invalid 0
	expect_rule "$ns_server" $f-est 0
	expect_rule "$ns_server" $f-ssh 0
	expect_hook "$ns_server" $f input 1 "${C[server/$f/input/bytes]}" 0 0 1
	expect_hook "$ns_server" $f output 0
	ctl "$ns_server" reset > /dev/null
done

# --- Part 2: input at -300 still runs after conntrack's prerouting hook ---

for f in ipv4 ipv6; do
	ctl "$ns_server" hook set $f input priority -300
	ctl "$ns_server" reset > /dev/null
	snap "$ns_server"
	check server/$f/input/priority -300
	say "--- $f: input at -300: the entry was attached at prerouting"
	ssh_ok $f
	expect_connection $f input
	ctl "$ns_server" reset > /dev/null
done

# --- Part 3: the lesson, prerouting before and after conntrack ------------

firewall prerouting raw
quiesce "$ns_client" "$ns_router" "$ns_server"
for f in ipv4 ipv6; do
	snap "$ns_server"
	check server/$f/prerouting/priority -300
	check server/$f/input/policy accept
	say "--- $f: prerouting at -300, before conntrack: all invalid"
	ssh_fails $f
	snap "$ns_server"
	seen=${C[server/$f/prerouting/packets]}
	ge "server/$f/prerouting/packets" 1
	# Every SYN (and its retransmissions) invalid, none new, all dropped.
	expect_rule "$ns_server" $f-invalid "$seen"
	expect_rule "$ns_server" $f-est 0
	expect_rule "$ns_server" $f-ssh 0
	expect_hook "$ns_server" $f prerouting "$seen" \
		"${C[server/$f/prerouting/bytes]}" 0 0 "$seen"
	expect_hook "$ns_server" $f output 0

	say "--- $f: prerouting at -150, after conntrack: it works again"
	ctl "$ns_server" hook set $f prerouting priority -150
	ctl "$ns_server" reset > /dev/null
	ssh_ok $f
	expect_connection $f prerouting
	ctl "$ns_server" reset > /dev/null
done
