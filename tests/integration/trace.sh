#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `nfhookctl trace`: the path of real packets through every hook of a
# namespace, and who dropped them.  client -- router -- server, with
#	server	nftables table inet t, chain "in" at input priority 0:
#		udp dport 7 drop; nfhook active (its hooks at 10)
#	router	nfhook rules at forward: udp dport 9 drop (IPv4 and IPv6)
# Traced, IPv4 and IPv6, each path asserted hook point by hook point:
#	an echo request delivered to the server (prerouting, input);
#	its echo reply, generated there (output, postrouting, out of s0);
#	an echo request forwarded by the router (prerouting, forward,
#	postrouting, out of r1);
#	UDP to port 7 dropped by the nftables chain at the server's input;
#	UDP to port 9 dropped by nfhook's rule at the router's forward.
# Then: two traces at once each get their own packets; a tracer killed
# with SIGKILL leaves no trace and no probe behind; the unprivileged user
# may not trace.

. "$(dirname "$0")/lib/lib.sh"

topo_three
command -v jq > /dev/null || fail "no jq in the guest"

out=$(server nft -f - 2>&1 <<'EOF') || skip "nft does not work in this kernel: $out"
table inet t {
	chain in { type filter hook input priority 0; udp dport 7 drop; }
}
EOF
server nfhookctl hook set ipv4 input policy accept
server nfhookctl hook set ipv6 input policy accept
rule_add "$ns_router" ipv4 forward proto udp dport 9 drop > /dev/null
rule_add "$ns_router" ipv6 forward proto udp dport 9 drop > /dev/null

# Drops by other hooks are seen on the kfree_skb tracepoint; kernels built
# without tracepoints (the matrix's minimal kernels) report them as
# vanished at the same place, after a quarter of a second.
if grep -qw __tracepoint_kfree_skb /proc/kallsyms; then
	other_drop=dropped other_words="DROP by nftables chain inet t in at input, priority 0"
else
	other_drop=vanished other_words="vanished at input in nftables chain inet t in, priority 0 (stolen, or dropped unseen)"
	say "no kfree_skb tracepoint: drops by nftables are reported as vanished"
fi

# traces NS: how many traces run in NS (INFO_GET).
traces()
{
	in_ns "$1" nfhookctl -j info | jq -er '.traces'
}

# trace_bg NS FILE ARGS...: `nfhookctl -j trace ARGS` in NS, in the
# background, writing to FILE; returns once its traces run (pid in $tpid).
trace_bg()
{
	local ns=$1 file=$2 before i
	shift 2

	before=$(traces "$ns")
	# Not through in_ns: $! must be nfhookctl itself (nsenter execs it).
	echo "+ [${ns#nfh-$uniq-}] nfhookctl -j trace $* &" >&2
	nsenter --net="/run/netns/$ns" nfhookctl -j trace "$@" > "$file" 2> "$file.err" &
	tpid=$!
	for ((i = 0; i < 100; i++)); do
		[ "$(traces "$ns")" -gt "$before" ] && return 0
		kill -0 "$tpid" 2> /dev/null ||
			fail "trace $* in ${ns#nfh-$uniq-} ended early: $(cat "$file.err")"
		sleep 0.1
	done
	fail "trace $* in ${ns#nfh-$uniq-}: never started"
}

# trace_path FILE: the first packet's path as "hook:result ..." and how
# its last step was stopped, "kind table/chain verdict" (or "-").
trace_path()
{
	jq -rs '.[0] | ([.steps[] | "\(.hook):\(.result)"] | join(" ")) + " | " +
		(.steps[-1] | if .stopped_by then
			"\(.stopped_by.kind) \(.stopped_by.table // "-")/\(.stopped_by.chain // "-") \(.nfhook_verdict // "-")"
		else "- \(.oif // "-")" end)' "$1"
}

# case WHAT NS FILTER EXPECTED CMD...: trace one packet FILTER selects in
# NS while CMD runs (CMD may fail: the packet may be dropped).
case_trace()
{
	local what=$1 ns=$2 filter=$3 want=$4 f
	shift 4
	f=/tmp/trace-$uniq-${ns#nfh-$uniq-}.json

	# shellcheck disable=SC2086 # FILTER is words
	trace_bg "$ns" "$f" $filter --count 1 --timeout 30
	"$@" > /dev/null 2>&1 || true
	wait "$tpid" || fail "$what: nfhookctl trace failed: $(cat "$f.err")"
	[ -s "$f" ] || fail "$what: nothing traced: $(cat "$f.err")"
	cat "$f" >&2
	expect_eq "$what" "$want" "$(trace_path "$f")"
}

for v in 4 6; do
	if [ $v = 4 ]; then
		fam=ipv4 icmp=icmp req=echo-request rep=echo-reply
		srv=$server4
	else
		fam=ipv6 icmp=icmpv6 req=echo-request rep=echo-reply
		srv=$server6
	fi
	case_trace "$fam delivered" "$ns_server" \
		"$fam proto $icmp icmp-type $req" \
		"prerouting:passed input:passed | - -" \
		client ping -c 1 -W 2 "$srv"
	case_trace "$fam generated" "$ns_server" \
		"$fam proto $icmp icmp-type $rep" \
		"output:passed postrouting:passed | - s0" \
		client ping -c 1 -W 2 "$srv"
	case_trace "$fam forwarded" "$ns_router" \
		"$fam proto $icmp icmp-type $req" \
		"prerouting:passed forward:passed postrouting:passed | - r1" \
		client ping -c 1 -W 2 "$srv"
	case_trace "$fam dropped by nftables" "$ns_server" \
		"$fam proto udp dport 7" \
		"prerouting:passed input:$other_drop | nftables t/in -" \
		udp_send "$ns_client" "$srv" 7 1
	case_trace "$fam dropped by nfhook" "$ns_router" \
		"$fam proto udp dport 9" \
		"prerouting:passed forward:dropped | nfhook -/- rule_drop" \
		udp_send "$ns_client" "$srv" 9 1
done

# No route: the router's stack drops it after prerouting.  Kernels without
# the kfree_skb tracepoint (CONFIG_TRACEPOINTS off: the matrix kernels)
# can only say it vanished there.
f=/tmp/trace-$uniq-noroute.json
trace_bg "$ns_router" "$f" ipv4 daddr 10.0.9.9 --count 1 --timeout 30
client ping -c 1 -W 1 10.0.9.9 > /dev/null 2>&1 || true
wait "$tpid" || fail "no route: nfhookctl trace failed: $(cat "$f.err")"
cat "$f" >&2
path=$(jq -rs '.[0].steps | map("\(.hook):\(.result)") | join(" ")' "$f")
case $path in
"prerouting:stack_dropped")
	reason=$(jq -rs '.[0].steps[-1].reason // ""' "$f")
	[ -n "$reason" ] || fail "no route: dropped by the stack without a reason"
	say "no route: dropped by the stack after prerouting ($reason)" ;;
"prerouting:vanished")
	say "no route: vanished after prerouting (no kfree_skb tracepoint)" ;;
*)
	fail "no route: expected prerouting:stack_dropped (or vanished), got $path" ;;
esac

# The text form names the dropper as people read it.
f=/tmp/trace-$uniq-text
nsenter --net="/run/netns/$ns_server" nfhookctl trace ipv4 proto udp dport 7 --count 1 --timeout 30 > "$f" 2> "$f.err" &
tpid=$!
for ((i = 0; i < 100; i++)); do
	[ "$(traces "$ns_server")" = 1 ] && break
	sleep 0.1
done
udp_send "$ns_client" "$server4" 7 1
wait "$tpid" || fail "text trace failed: $(cat "$f.err")"
cat "$f" >&2
grep -qF "=> $other_words" "$f" ||
	fail "text trace: expected the drop by the nftables chain, got: $(cat "$f")"
say "text trace names the nftables chain"

# Two traces at once, each its own selector: each sees only its packets.
trace_bg "$ns_server" /tmp/trace-$uniq-a ipv4 proto udp dport 7 --count 1 --timeout 30
pa=$tpid
trace_bg "$ns_server" /tmp/trace-$uniq-b ipv4 proto udp dport 8 --count 1 --timeout 30
pb=$tpid
expect_eq "traces running" 2 "$(traces "$ns_server")"
udp_send "$ns_client" "$server4" 8 1
udp_send "$ns_client" "$server4" 7 1
wait "$pa" && wait "$pb" || fail "one of two traces failed"
expect_eq "trace a saw" 7 "$(jq -s '.[0].packet_info.dport' /tmp/trace-$uniq-a)"
expect_eq "trace b saw" 8 "$(jq -s '.[0].packet_info.dport' /tmp/trace-$uniq-b)"
expect_eq "traces after both ended" 0 "$(traces "$ns_server")"

# A trace sees its own namespace only: the server's packets to itself
# never reach the router's trace.
f=/tmp/trace-$uniq-other.json
trace_bg "$ns_router" "$f" ipv4 proto udp dport 7 --count 1 --timeout 3
udp_send "$ns_server" 127.0.0.1 7 3
wait "$tpid" || fail "other namespace: nfhookctl trace failed: $(cat "$f.err")"
[ ! -s "$f" ] || fail "the router's trace showed a packet of the server's namespace: $(cat "$f")"
say "the router's trace saw none of the server's own packets"

# A tracer killed outright leaves nothing behind: the kernel ends its trace
# when the socket goes, and the probes go with the last trace.
trace_bg "$ns_server" /tmp/trace-$uniq-k ipv4 proto udp dport 7
probes=$(server nfhookctl -j pipeline | jq '[.[] | select(.kind == "trace")] | length')
[ "$probes" -gt 0 ] || fail "no trace probes listed while a trace runs"
say "$probes trace probes listed while the trace runs"
kill -9 "$tpid"
wait "$tpid" 2> /dev/null || true
for ((i = 0; i < 50; i++)); do
	[ "$(traces "$ns_server")" = 0 ] && break
	sleep 0.1
done
expect_eq "traces after SIGKILL" 0 "$(traces "$ns_server")"
expect_eq "trace probes after SIGKILL" 0 \
	"$(server nfhookctl -j pipeline | jq '[.[] | select(.kind == "trace")] | length')"
ping_ok "$ns_client" "$server4"

# Nobody else may trace.
nobody_init
expect_fail "unprivileged trace" server "${nobody[@]}" nfhookctl trace ipv4 --timeout 2
[[ $out == *"needs CAP_NET_ADMIN"* ]] ||
	fail "unprivileged trace: expected the permission message, got: $out"
