# SPDX-License-Identifier: GPL-2.0
#
# Shared by the integration scenarios, which run as root inside a test guest
# (tests/vm.sh) with nfhook.ko loaded.  Each scenario:
#
#	. "$(dirname "$0")/lib.sh"
#	topo_three			# client -- router -- server
#	server nfhookctl rule add ipv4 input proto icmp drop
#	...
#
# set -e: the first failing command fails the scenario; every assertion
# names what it expected and what it got.  Namespaces get names unique to
# this run, and the EXIT trap deletes them and then checks that every object
# the scenario created is gone.  Exit status 4 means "skipped".

set -e -o pipefail
shopt -s inherit_errexit 2> /dev/null || true

test_name=$(basename "$0" .sh)
uniq=$$
ns_client=nfh-$uniq-client
ns_router=nfh-$uniq-router
ns_server=nfh-$uniq-server
namespaces=()

# Addresses of topo_three: the client's net 1 and the server's net 2.
client4=10.0.1.2 router4_c=10.0.1.1 router4_s=10.0.2.1 server4=10.0.2.2
client6=fd00:1::2 router6_c=fd00:1::1 router6_s=fd00:2::1 server6=fd00:2::2

say()
{
	echo "[$test_name] $*"
}

fail()
{
	echo "[$test_name] FAIL: $*" >&2
	exit 1
}

skip()
{
	echo "[$test_name] SKIP: $*"
	exit 4
}

# in_ns NS CMD...: run CMD in NS, logging it first.
in_ns()
{
	local ns=$1
	shift
	echo "+ [${ns#nfh-$uniq-}] $*" >&2
	ip netns exec "$ns" "$@"
}

client() { in_ns "$ns_client" "$@"; }
router() { in_ns "$ns_router" "$@"; }
server() { in_ns "$ns_server" "$@"; }

# host CMD...: run CMD in the guest's initial namespace, logged.
host()
{
	echo "+ $*" >&2
	"$@"
}

ns_add()
{
	ip netns add "$1"
	namespaces+=("$1")
	ip -n "$1" link set lo up
}

cleanup()
{
	local rc=$? ns left

	set +e
	for ns in "${namespaces[@]}"; do
		ip netns pids "$ns" 2> /dev/null | xargs -r kill 2> /dev/null
		ip netns del "$ns" 2> /dev/null
	done
	# Every namespace and veth this scenario made must be gone.
	left=$(ip netns list | grep -c "^nfh-$uniq-" || true)
	if [ "$left" != 0 ]; then
		echo "[$test_name] FAIL: $left namespaces left behind" >&2
		[ $rc = 0 ] && rc=1
	fi
	if ip -o link show | grep -q "nfh$uniq"; then
		echo "[$test_name] FAIL: links left behind: $(ip -o link show | grep "nfh$uniq")" >&2
		[ $rc = 0 ] && rc=1
	fi
	[ $rc = 0 ] && say "ok"
	exit $rc
}
trap cleanup EXIT

# veth_pair NS1 DEV1 NS2 DEV2: a veth from NS1 to NS2, both ends up.
veth_pair()
{
	ip link add "nfh$uniq$2" type veth peer name "nfh$uniq$4"
	ip link set "nfh$uniq$2" netns "$1" name "$2" up
	ip link set "nfh$uniq$4" netns "$3" name "$4" up
}

# neigh_static NS DEV ADDR PEER_NS PEER_DEV: a permanent neighbour entry, so
# no ARP or neighbour discovery packet ever disturbs exact counts.
neigh_static()
{
	local mac

	mac=$(ip -n "$4" link show "$5" | awk '/link\/ether/ { print $2 }')
	ip -n "$1" neigh replace "$3" lladdr "$mac" dev "$2" nud permanent
}

# topo_three: client -- router (forwarding) -- server.
#	client c0 10.0.1.2  fd00:1::2  --  r0 10.0.1.1  fd00:1::1  router
#	router r1 10.0.2.1  fd00:2::1  --  s0 10.0.2.2  fd00:2::2  server
# Static neighbours and no IPv6 autoconfiguration: the only packets on the
# wires are the ones the scenario sends (and MLD reports, sent while the
# links come up; topo_three waits for them to pass).
topo_three()
{
	local ns

	for ns in "$ns_client" "$ns_router" "$ns_server"; do
		ns_add "$ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.default.accept_dad=0
	done
	veth_pair "$ns_client" c0 "$ns_router" r0
	veth_pair "$ns_router" r1 "$ns_server" s0
	ip -n "$ns_client" addr add "$client4/24" dev c0
	ip -n "$ns_client" addr add "$client6/64" dev c0 nodad
	ip -n "$ns_router" addr add "$router4_c/24" dev r0
	ip -n "$ns_router" addr add "$router6_c/64" dev r0 nodad
	ip -n "$ns_router" addr add "$router4_s/24" dev r1
	ip -n "$ns_router" addr add "$router6_s/64" dev r1 nodad
	ip -n "$ns_server" addr add "$server4/24" dev s0
	ip -n "$ns_server" addr add "$server6/64" dev s0 nodad
	ip -n "$ns_client" route add default via "$router4_c"
	ip -n "$ns_client" -6 route add default via "$router6_c"
	ip -n "$ns_server" route add default via "$router4_s"
	ip -n "$ns_server" -6 route add default via "$router6_s"
	ip netns exec "$ns_router" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
	neigh_static "$ns_client" c0 "$router4_c" "$ns_router" r0
	neigh_static "$ns_client" c0 "$router6_c" "$ns_router" r0
	neigh_static "$ns_router" r0 "$client4" "$ns_client" c0
	neigh_static "$ns_router" r0 "$client6" "$ns_client" c0
	neigh_static "$ns_router" r1 "$server4" "$ns_server" s0
	neigh_static "$ns_router" r1 "$server6" "$ns_server" s0
	neigh_static "$ns_server" s0 "$router4_s" "$ns_router" r1
	neigh_static "$ns_server" s0 "$router6_s" "$ns_router" r1
	say "topology: client $client4 $client6 -- router -- server $server4 $server6"
}

# ping_ok NS DEST [COUNT]: COUNT (default 1) echo requests, all answered.
ping_ok()
{
	local ns=$1 dst=$2 count=${3:-1}

	in_ns "$ns" ping -q -c "$count" -i 0.2 -W 2 "$dst" > /dev/null ||
		fail "ping $dst from ${ns#nfh-$uniq-}: expected $count replies"
}

# ping_fails NS DEST [COUNT]: COUNT echo requests, none answered.
ping_fails()
{
	local ns=$1 dst=$2 count=${3:-1} out

	out=$(in_ns "$ns" ping -c "$count" -i 0.2 -W 1 "$dst" 2>&1) &&
		fail "ping $dst from ${ns#nfh-$uniq-}: expected no reply, got: $out"
	[[ $out == *" 0 packets received"* ]] ||
		fail "ping $dst from ${ns#nfh-$uniq-}: expected 0 received, got: $out"
}

# udp_send NS DEST PORT COUNT: COUNT one-byte UDP datagrams, each its own
# packet (bash's /dev/udp: one connect, one write per datagram).
udp_send()
{
	local ns=$1 dst=$2 port=$3 count=$4

	echo "+ [${ns#nfh-$uniq-}] $count UDP datagrams to $dst port $port" >&2
	ip netns exec "$ns" bash -c '
		exec 3> "/dev/udp/$1/$2" || exit 1
		for ((i = 0; i < $3; i++)); do printf x >&3; done' _ "$dst" "$port" "$count"
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: expected $2, got $3"
	say "$1 = $3"
}

# expect_fail WHAT CMD...: CMD must fail; its output is kept in $out.
expect_fail()
{
	local what=$1
	shift
	if out=$("$@" 2>&1); then
		fail "$what: expected failure, got success: $out"
	fi
	say "$what: refused as expected: $out"
}

# nfhookctl's JSON, read with jq (copied into the guest).
# rule_counter NS ID FIELD: packets or bytes of rule ID.
rule_counter()
{
	in_ns "$1" nfhookctl -j rule list |
		jq -er --argjson id "$2" --arg f "$3" \
			'.[] | select(.id == $id) | .counters[$f]'
}

# hook_counter NS FAMILY HOOK FIELD
hook_counter()
{
	in_ns "$1" nfhookctl -j hook list |
		jq -er --arg fam "$2" --arg hook "$3" --arg f "$4" \
			'.[] | select(.family == $fam and .hook == $hook) | .counters[$f]'
}

# rule_add NS ARGS...: add a rule, print its id.
rule_add()
{
	local ns=$1 id
	shift
	id=$(in_ns "$ns" nfhookctl rule add "$@")
	[[ $id =~ ^[0-9]+$ ]] || fail "rule add $*: expected an id, got '$id'"
	echo "$id"
}

nfhook_loaded()
{
	grep -q '^nfhook ' /proc/modules
}

# nfhook_reload [PARAM=VALUE...]: remove and insert the module again.
nfhook_reload()
{
	! nfhook_loaded || host rmmod nfhook
	host insmod "${NFHOOK_KO:-/nfhook/nfhook.ko}" "$@"
}
