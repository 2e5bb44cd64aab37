#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in a test guest (docs/gen/pipeline.sh boots it with tests/vm.sh): sets
# up a small but realistic router and prints what `nfhookctl pipeline` and
# `nfhookctl trace` say about it, for docs/pipeline.md.  Not a test scenario
# (it lives outside tests/integration/ for that reason): it asserts nothing
# about the output, it only fails when a command does.
#
# client 10.0.1.2 -- r0 router r1 -- server 10.0.2.2 (tests/integration/lib),
# on the router:
#	nftables  table ip nat: DNAT of the virtual address 10.0.9.9 to the
#		  server at prerouting (dstnat), SNAT of what leaves through r1
#		  to the router's own address at postrouting (srcnat: what
#		  masquerade does, without needing nft_masq in the guest)
#	nftables  table inet filter: at prerouting, a chain at priority raw
#		  that exempts NTP from conntrack (notrack) and one at mangle
#		  that marks what comes from the client; at forward, a chain
#		  at priority filter that accepts established traffic and
#		  drops UDP to port 7
#	iptables  the legacy filter table (listing it makes the kernel create
#		  it; the guest has no xtables extensions for rules), where
#		  iptables-legacy works
#	nfhook    a forward rule that drops UDP to port 9; two prerouting
#		  rules that count echo requests to the virtual address and to
#		  the server (which one counts depends on nfhook's priority)
# and at the end, for `nfhookctl pipeline --path r0`, on the router's r0:
#	XDP       the test tools' nfh_path_xdp (tests/tools/path_bpf.c, it
#		  passes everything), native mode
#	tc        a clsact qdisc: nfh_path_tc as a direct-action bpf filter
#		  on ingress, a matchall filter (action pass) for IPv6 on egress
#	nftables  table netdev edge: an ingress chain on r0 that drops
#		  packets claiming a loopback source (where the kernel has
#		  netdev tables)
#
# Each capture is printed between two marker lines, every line of it
# prefixed with "| " (so that nothing else on the console can slip in):
#
#	NFHOOK-DOC-BEGIN NAME
#	| ...
#	NFHOOK-DOC-END NAME

# In the guest, lib/ is a copy of tests/integration/lib/ beside this script.
# shellcheck source=tests/integration/lib/lib.sh
. "$(dirname "$0")/lib/lib.sh"

vip4=10.0.9.9

# Kernel messages (nfhook tainting the kernel, veth links coming up) would
# land between the lines of the captures on the console.
echo 1 > /proc/sys/kernel/printk

# block NAME: standard input as capture NAME.
block()
{
	echo "NFHOOK-DOC-BEGIN $1"
	sed 's/^/| /'
	echo "NFHOOK-DOC-END $1"
}

# capture NAME NS CMD...: "# CMD" and what CMD printed in NS (stdout and
# stderr) as capture NAME.
capture()
{
	local name=$1 ns=$2
	shift 2
	{
		echo "# $*"
		nsenter --net="/run/netns/$ns" "$@" 2>&1 || fail "$name: $* failed"
	} | block "$name"
}

# traces NS: how many traces run in NS.
traces()
{
	nsenter --net="/run/netns/$1" nfhookctl -j info | jq -er '.traces'
}

# trace_one NAME NS TRAFFIC MATCH...: `nfhookctl trace MATCH --count 1` in
# NS (text form; -v when MATCH starts with it) while the shell command
# TRAFFIC runs, captured as NAME with the command line people would type.
trace_one()
{
	local name=$1 ns=$2 traffic=$3 f=/tmp/doc-$1 before i tpid
	shift 3

	before=$(traces "$ns")
	nsenter --net="/run/netns/$ns" nfhookctl trace "$@" --count 1 --timeout 30 \
		> "$f" 2>&1 &
	tpid=$!
	for ((i = 0; i < 100; i++)); do
		[ "$(traces "$ns")" -gt "$before" ] && break
		kill -0 "$tpid" 2> /dev/null || break
		sleep 0.1
	done
	eval "$traffic" > /dev/null 2>&1 || true
	wait "$tpid" || fail "$name: nfhookctl trace $* failed: $(cat "$f")"
	[ -s "$f" ] || fail "$name: nothing traced"
	{
		echo "# nfhookctl trace $* --count 1"
		cat "$f"
	} | block "$name"
}

topo_three

# The router: NAT and a filter chain in nftables.
router nft -f - <<EOF || fail "nft refused the router's tables"
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat;
		ip daddr $vip4 dnat to $server4
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oif r1 snat to $router4_s
	}
}
table inet filter {
	chain pre_raw {
		type filter hook prerouting priority raw;
		udp dport 123 notrack
	}
	chain pre_mangle {
		type filter hook prerouting priority mangle;
		iif "r0" meta mark set 1
	}
	chain forward {
		type filter hook forward priority filter;
		ct state established,related accept
		udp dport 7 drop
	}
}
EOF
rule_add "$ns_router" ipv4 forward proto udp dport 9 drop comment "no port 9" > /dev/null
rule_add "$ns_router" ipv4 prerouting daddr "$vip4" proto icmp icmp-type echo-request \
	count comment "sees the VIP" > /dev/null
rule_add "$ns_router" ipv4 prerouting daddr "$server4" proto icmp icmp-type echo-request \
	count comment "sees the server" > /dev/null

# The drop by nftables, traced before iptables comes: afterwards the
# iptables filter table shares the forward chain's priority (0).
trace_one TRACE_NFT_DROP "$ns_router" "udp_send $ns_client $server4 7 1" \
	ipv4 proto udp dport 7

iptables=0
if command -v iptables-legacy > /dev/null &&
   router iptables-legacy -t filter -L -n > /dev/null; then
	iptables=1
	say "iptables-legacy: the filter table is in"
else
	say "no iptables-legacy here: no iptables table in the listing"
fi
echo "IPTABLES $iptables" | block IPTABLES

echo "NFHOOK-DOC-BEGIN KERNEL"
echo "| $(uname -r)"
echo "NFHOOK-DOC-END KERNEL"

capture RULESET "$ns_router" nft list ruleset
capture RULES "$ns_router" nfhookctl rule list
capture PIPELINE_IPV4 "$ns_router" nfhookctl pipeline ipv4
capture PIPELINE_IPV6 "$ns_router" nfhookctl pipeline ipv6

# Paths, each of one packet, traced where it is decided.
trace_one TRACE_DNAT "$ns_router" "client ping -c 1 -W 2 $vip4" \
	ipv4 proto icmp icmp-type echo-request
trace_one TRACE_NFHOOK_DROP "$ns_router" "udp_send $ns_client $server4 9 1" \
	ipv4 proto udp dport 9
trace_one TRACE_LOCAL_IN "$ns_router" "client ping -c 1 -W 2 $router4_c" \
	ipv4 proto icmp icmp-type echo-request
trace_one TRACE_LOCAL_OUT "$ns_router" "client ping -c 1 -W 2 $router4_c" \
	ipv4 proto icmp icmp-type echo-reply
if [ $iptables = 1 ]; then
	trace_one TRACE_NFT_DROP_TIED "$ns_router" "udp_send $ns_client $server4 7 1" \
		ipv4 proto udp dport 7
fi
trace_one TRACE_NOROUTE "$ns_router" "client ping -c 1 -W 1 10.0.7.7" \
	ipv4 daddr 10.0.7.7
trace_one TRACE_VERBOSE "$ns_router" "client ping -c 1 -W 2 $vip4" \
	-v ipv4 proto icmp icmp-type echo-request

# The probes a trace adds, listed while one runs.
nsenter --net="/run/netns/$ns_router" nfhookctl trace ipv4 daddr 10.0.7.7 --timeout 30 \
	> /dev/null 2>&1 &
tpid=$!
for ((i = 0; i < 100; i++)); do
	[ "$(traces "$ns_router")" -gt 0 ] && break
	sleep 0.1
done
capture PIPELINE_PROBES "$ns_router" nfhookctl pipeline ipv4 prerouting
kill "$tpid"
wait "$tpid" 2> /dev/null || true

# Moving nfhook before DNAT: the same ping to the VIP, traced and counted
# at the default priority (after DNAT) and at dstnat-10 (before it).
router nfhookctl reset > /dev/null
trace_one TRACE_AFTER_DNAT "$ns_router" "client ping -c 1 -W 2 $vip4" \
	ipv4 proto icmp icmp-type echo-request
capture RULES_AFTER_DNAT "$ns_router" nfhookctl rule list ipv4 prerouting
router nfhookctl hook set ipv4 prerouting priority dstnat-10
router nfhookctl reset > /dev/null
trace_one TRACE_BEFORE_DNAT "$ns_router" "client ping -c 1 -W 2 $vip4" \
	ipv4 proto icmp icmp-type echo-request
capture RULES_BEFORE_DNAT "$ns_router" nfhookctl rule list ipv4 prerouting
capture PIPELINE_MOVED "$ns_router" nfhookctl pipeline ipv4 prerouting

# One device's path.  The rest of the page is captured by now: the XDP
# program and the tc filters on r0 let everything pass, but no packet of
# the captures above should cross them.  nfhook's prerouting hook goes back
# to its default priority first.
router nfhookctl hook set ipv4 prerouting priority filter+10

# shown NAME CMDLINE...: each CMDLINE, a shell command line as people would
# type it, run on the router and shown as "# CMDLINE" followed by what it
# printed; all of them as capture NAME.  ip and tc are run by path (what
# busybox would run under those names cannot do XDP or tc).
shown()
{
	local name=$1 line
	shift
	for line in "$@"; do
		echo "# $line"
		nsenter --net="/run/netns/$ns_router" /bin/bash -o pipefail -c \
			'ip() { /usr/sbin/ip "$@"; }; tc() { /usr/sbin/tc "$@"; }; '"$line" 2>&1 ||
			fail "$name: $line failed"
	done | block "$name"
}

obj=/usr/local/bin/path_bpf.o
[ -e "$obj" ] || fail "no $obj in the guest (tests/tools did not build it?)"
path_setup=("ip link set dev r0 xdpdrv obj $obj sec xdp"
	"tc qdisc add dev r0 clsact"
	"tc filter add dev r0 ingress pref 10 bpf da obj $obj sec tc"
	"tc filter add dev r0 egress pref 20 protocol ipv6 matchall action pass")
# netdev tables where the kernel has them (Debian's does).
if router nft add table netdev probe && router nft delete table netdev probe; then
	path_setup+=("nft add table netdev edge"
		"nft add chain netdev edge ingress '{ type filter hook ingress device r0 priority filter; }'"
		"nft add rule netdev edge ingress ip saddr 127.0.0.0/8 drop")
else
	say "no netdev tables in this kernel: no netdev ingress chain on r0"
fi
shown PATH_SETUP "${path_setup[@]}"
shown PATH "nfhookctl pipeline --path r0"
shown PATH_JSON "nfhookctl -j pipeline --path r0 | jq '{device, xdp, tc_ingress, tc_egress}'"
