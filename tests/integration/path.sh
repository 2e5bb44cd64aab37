#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `nfhookctl pipeline --path IFACE`: the way of one device's packets, from
# the wire to the socket and back out.  In one namespace, a veth pair p0-p1:
#	nftables	an inet input chain (filter) and a netdev ingress chain
#			on p0 (another on p1, which p0's path must not show)
#	nfhook		its hooks, forward moved to 10
#	XDP		tests/tools/path_bpf.o's nfh_path_xdp on p0, native
#	tc		clsact on p0: the bpf program nfh_path_tc as a
#			direct-action ingress filter (pref 10), a matchall
#			egress filter (pref 20, ipv6); on p1 generic XDP and
#			the classic ingress qdisc with a bpf filter (pref 30)
# XDP and tc where the kernel has them (bpf(2) and traffic control: the
# stock kernel; the debug kernel has neither, and there the path must say
# so).  Asserted: the exact lines for the program and the filters (ids
# cross-checked with ip and tc), every block in the order of the path, the
# nft chains at their hook points, JSON keys, FAMILY, and the errors for an
# unknown device and an unprivileged user.

. "$(dirname "$0")/lib/lib.sh"

ns=nfh-$uniq-path
ns_add "$ns"
p() { in_ns "$ns" "$@"; }
# By path: busybox's nsenter runs its own ip and tc applets otherwise.
ipn() { host ip -n "$ns" "$@"; }
tcn() { p /usr/sbin/tc "$@"; }
obj=/usr/local/bin/path_bpf.o

if ! out=$(p nft list ruleset 2>&1); then
	skip "nft does not work in this kernel: $out"
fi
ipn link add p0 type veth peer name p1
ipn link set p0 up
ipn link set p1 up
p nft -f - <<'EOF' || fail "nft refused the inet table"
table inet t {
	chain in { type filter hook input priority filter; }
}
EOF
# netdev tables where the kernel has them (not the debug kernel).
netdev=0
if out=$(p nft -f - 2>&1 <<'EOF'
table netdev nd {
	chain ing { type filter hook ingress device p0 priority -500; }
	chain other { type filter hook ingress device p1 priority -400; }
}
EOF
); then
	netdev=1
else
	say "no netdev ingress chains in this kernel: $(sed '/^+ \[/d' <<< "$out" | sed -n 1p)"
fi
p nfhookctl hook set ipv4 forward priority 10

# Block titles of the text, in order: "wire", "xdp p0", "ipv4 input", ...
titles() { sed -n 's/^\(wire\|local socket\|routing decision\)\(:.*\)\{0,1\}$/\1/p;
	s/^\(xdp\|tc [a-z]*\|netdev [a-z]*\|ipv[46] [a-z]*\) \{0,1\}\([a-z0-9]*\): .*/\1 \2/p' |
	sed 's/ $//' | tr '\n' ',' ; }
# The lines of the block whose title starts with $1 (read it whole: a
# "grep -q" on a pipe from it would fail it under pipefail).
block() { awk -v t="$1" 'index($0, t) == 1 { on = 1; next }
	on && /^  \|$/ { exit } on && /^[a-z=]/ { exit } on && NF { print }'; }

want_titles="wire,xdp p0,tc ingress p0,netdev ingress p0,ipv4 prerouting,ipv6 prerouting,routing decision,\
ipv4 input,ipv6 input,local socket,ipv4 forward,ipv6 forward,local socket,\
ipv4 output,ipv6 output,routing decision,ipv4 postrouting,ipv6 postrouting,\
netdev egress p0,tc egress p0,wire,"

bpf=0 tc=0
[ -e /proc/sys/kernel/unprivileged_bpf_disabled ] && bpf=1
[ -e /proc/net/psched ] && tc=1

text=$(p nfhookctl pipeline --path p0)
echo "$text" >&2
got=$(titles <<< "$text")
[ "$got" = "$want_titles" ] || fail "blocks in the order
$got
want
$want_titles"
[ "$(block "xdp p0:" <<< "$text")" = "  (no program)" ] ||
	fail "xdp before any program: $(block "xdp p0:" <<< "$text")"
if [ $tc = 1 ]; then
	grep -qx "tc ingress p0: no clsact or ingress qdisc; next: netdev ingress" <<< "$text" ||
		fail "tc ingress before any qdisc"
else
	grep -qx "tc ingress p0: this kernel has no traffic control (tc); next: netdev ingress" <<< "$text" ||
		fail "tc ingress in a kernel without tc"
fi
# nftables chains at their hook points: p0's netdev chain, not p1's.
if [ $netdev = 1 ]; then
	grep -Eq '^ +-500 +nftables chain netdev nd ing +nft_do_chain_netdev ' <<< "$(block "netdev ingress p0:" <<< "$text")" ||
		fail "no netdev ingress chain nd ing in p0's ingress block"
	! grep -q "chain netdev nd other" <<< "$text" || fail "p1's ingress chain on p0's path"
else
	[ "$(block "netdev ingress p0:" <<< "$text")" = "  (no hooks)" ] ||
		fail "netdev ingress hooks on p0 where none was made"
fi
grep -Eq '^ +0 +filter +nftables chain inet t in +nft_do_chain_inet ' <<< "$(block "ipv4 input:" <<< "$text")" ||
	fail "no inet input chain in the ipv4 input block"
grep -Eq '^ +0 +filter +nftables chain inet t in ' <<< "$(block "ipv6 input:" <<< "$text")" ||
	fail "no inet input chain in the ipv6 input block"
grep -Eq '^\* +10 +filter\+10 +nfhook +nfhook_hook_fn +nfhook$' <<< "$(block "ipv4 forward:" <<< "$text")" ||
	fail "no marked nfhook hook at ipv4 forward, 10"
say "before XDP and tc: blocks in order, nft chains and nfhook in place"

if [ $bpf = 1 ] && [ $tc = 1 ]; then
	[ -e "$obj" ] || fail "no $obj in the guest (tests/tools did not build it?)"
	ipn link set dev p0 xdpdrv obj "$obj" sec xdp
	tcn qdisc add dev p0 clsact
	tcn filter add dev p0 ingress pref 10 bpf da obj "$obj" sec tc
	tcn filter add dev p0 egress pref 20 protocol ipv6 matchall action pass
	# The ids as ip and tc see them.
	xdp_id=$(ipn -d link show dev p0 | sed -n 's/.*prog\/xdp id \([0-9]*\) .*/\1/p')
	tc_line=$(tcn filter show dev p0 ingress | grep ' handle ')
	tc_id=$(sed -n 's/.* id \([0-9]*\) .*/\1/p' <<< "$tc_line")
	tc_name=$(sed -n 's/.* handle 0x1 \([^ ]*\) direct-action.*/\1/p' <<< "$tc_line")
	[ -n "$xdp_id" ] && [ -n "$tc_id" ] && [ -n "$tc_name" ] ||
		fail "ip or tc did not show the programs: \"$xdp_id\" \"$tc_id\" \"$tc_name\" ($tc_line)"

	text=$(p nfhookctl pipeline --path p0)
	echo "$text" >&2
	[ "$(titles <<< "$text")" = "$want_titles" ] || fail "blocks after XDP and tc: $(titles <<< "$text")"
	w=$(( ${#xdp_id} > 2 ? ${#xdp_id} : 2 ))
	want=$(printf '  MODE  %*s  PROGRAM\n  drv   %*s  nfh_path_xdp' "$w" ID "$w" "$xdp_id")
	got=$(block "xdp p0:" <<< "$text")
	[ "$got" = "$want" ] || fail "xdp block
$got
want
$want"
	grep -qx "tc ingress p0: the filters of its clsact qdisc; next: netdev ingress" <<< "$text" ||
		fail "tc ingress title"
	want=$(printf '  PREF  PROTO  CHAIN  HANDLE  KIND  WHAT\n    10  all        0     0x1  bpf   nfh_path_tc id %s direct-action (%s)' \
		"$tc_id" "$tc_name")
	got=$(block "tc ingress p0:" <<< "$text")
	[ "$got" = "$want" ] || fail "tc ingress block
$got
want
$want"
	want=$(printf '  PREF  PROTO  CHAIN  HANDLE  KIND      WHAT\n    20  ipv6       0     0x1  matchall  -')
	got=$(block "tc egress p0:" <<< "$text")
	[ "$got" = "$want" ] || fail "tc egress block
$got
want
$want"
	say "XDP nfh_path_xdp id $xdp_id, tc bpf nfh_path_tc id $tc_id, matchall: exact lines"

	# The same in JSON.
	json=$(p nfhookctl -j pipeline --path p0)
	echo "$json" >&2
	got=$(jq -c '[.device, .xdp, .tc_ingress.qdisc,
		(.tc_ingress.filters[] | [.pref, .protocol, .kind, .program_id,
		 .program_name, .bpf_name, .direct_action]),
		(.tc_egress.filters[] | [.pref, .protocol, .kind, .handle])]' <<< "$json")
	want="[\"p0\",{\"attached\":\"drv\",\"programs\":[{\"mode\":\"drv\",\"id\":$xdp_id,\"name\":\"nfh_path_xdp\"}]},\"clsact\",[10,\"all\",\"bpf\",$tc_id,\"nfh_path_tc\",\"$tc_name\",true],[20,\"ipv6\",\"matchall\",1]]"
	[ "$got" = "$want" ] || fail "json
$got
want
$want"

	# Without CAP_SYS_ADMIN, bpf(2) does not give a program's name: "?",
	# and "" in JSON, with its id.
	drop_sys_admin=(setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin)
	nobody_init
	drop_sys_admin[0]=${nobody[0]}
	text=$(p "${drop_sys_admin[@]}" nfhookctl pipeline --path p0)
	got=$(block "xdp p0:" <<< "$text" | tail -n 1)
	[ "$got" = "$(printf '  drv   %*s  ?' "$w" "$xdp_id")" ] ||
		fail "xdp without CAP_SYS_ADMIN: \"$got\""
	grep -qxF "    10  all        0     0x1  bpf   id $tc_id direct-action ($tc_name)" <<< "$(block "tc ingress p0:" <<< "$text")" ||
		fail "tc without CAP_SYS_ADMIN: $(block "tc ingress p0:" <<< "$text")"
	got=$(p "${drop_sys_admin[@]}" nfhookctl -j pipeline --path p0 |
		jq -c '[.xdp.programs[0].name, .tc_ingress.filters[0].program_name]')
	[ "$got" = '["",""]' ] || fail "json names without CAP_SYS_ADMIN: $got"
	say "without CAP_SYS_ADMIN: ids, no names"

	# Without CAP_NET_ADMIN, the hooks are not for reading.
	if out=$(p "${nobody[@]}" nfhookctl pipeline --path p0 2>&1); then
		fail "an unprivileged user read the pipeline: $out"
	fi
	out=$(sed '/^+ \[/d' <<< "$out")
	grep -q "needs CAP_NET_ADMIN" <<< "$out" ||
		fail "unprivileged: no word of CAP_NET_ADMIN: $out"
	say "unprivileged: refused ($out)"

	# Generic XDP on p1, the classic ingress qdisc: no egress filters.
	ipn link set dev p1 xdpgeneric obj "$obj" sec xdp
	tcn qdisc add dev p1 ingress
	tcn filter add dev p1 parent ffff: pref 30 bpf da obj "$obj" sec tc
	text=$(p nfhookctl pipeline --path p1)
	grep -Eqx '  skb +[0-9]+  nfh_path_xdp' <<< "$(block "xdp p1:" <<< "$text")" ||
		fail "generic XDP on p1: $(block "xdp p1:" <<< "$text")"
	grep -qx "tc ingress p1: the filters of its ingress qdisc; next: netdev ingress" <<< "$text" ||
		fail "p1: tc ingress title"
	grep -Eqx '    30  all        0     0x1  bpf   nfh_path_tc id [0-9]+ direct-action \(path_bpf.o:\[tc\]\)' <<< "$(block "tc ingress p1:" <<< "$text")" ||
		fail "the ingress qdisc's filter on p1: $(block "tc ingress p1:" <<< "$text")"
	grep -qx "tc egress p1: no clsact qdisc; next: the device's queue, then the wire" <<< "$text" ||
		fail "p1: tc egress title"
	[ $netdev = 0 ] ||
		grep -Eq '^ +-400 +nftables chain netdev nd other ' <<< "$(block "netdev ingress p1:" <<< "$text")" ||
		fail "p1's own ingress chain not on its path"
	say "generic XDP and the ingress qdisc on p1"
else
	say "no bpf(2) ($bpf) or no traffic control ($tc) in this kernel: XDP and tc not attached"
fi

# FAMILY: one of the two.
text=$(p nfhookctl pipeline --path p0 ipv6)
! grep -q '^ipv4 ' <<< "$text" || fail "pipeline --path p0 ipv6 shows ipv4 blocks"
[ "$(grep -c '^ipv6 ' <<< "$text")" = 5 ] || fail "pipeline --path p0 ipv6: not 5 ipv6 blocks"
got=$(p nfhookctl -j pipeline --path p0 ipv4 |
	jq -r '[.hooks[] | select(.kind == "nfhook" or .kind == "nftables") |
		"\(.family) \(.hook) \(.kind)"] | unique | join(",")')
want="ipv4 forward nfhook,ipv4 input nfhook,ipv4 input nftables,ipv4 output nfhook,ipv4 postrouting nfhook,ipv4 prerouting nfhook"
[ $netdev = 0 ] || want="$want,netdev ingress nftables"
[ "$got" = "$want" ] ||
	fail "json hooks of --path p0 ipv4: $got"

# -N: the device of that namespace (the guest's own has no p0).
got=$(host nfhookctl -N "$ns" pipeline --path p0 ipv4 | sed -n 1p)
[ "$got" = "p0: the way of its packets, from the wire to the socket and back out" ] ||
	fail "nfhookctl -N $ns pipeline --path p0: $got"

# An unknown device: named, exit status 1.
rc=0
out=$(p nfhookctl pipeline --path nosuch0 2>&1) || rc=$?
out=$(sed '/^+ \[/d' <<< "$out")
[ $rc != 0 ] || fail "pipeline --path nosuch0 succeeded: $out"
[ $rc = 1 ] || fail "pipeline --path nosuch0: exit $rc"
[ "$out" = 'nfhookctl: no device "nosuch0" in this network namespace' ] ||
	fail "pipeline --path nosuch0 said: $out"
say "unknown device: $out"
