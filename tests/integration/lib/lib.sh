# SPDX-License-Identifier: GPL-2.0
#
# Shared by the integration scenarios, which run as root inside a test guest
# (tests/vm.sh) with nfhook.ko loaded.  Each scenario:
#
#	. "$(dirname "$0")/lib/lib.sh"
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
	echo "$*" > /tmp/nfhook-skip
	exit 4
}

# in_ns NS CMD...: run CMD in NS, logging it first.  nsenter (busybox) and
# not "ip netns exec": under TCG every exec of a dynamically linked program
# costs a third of a second, and the scenarios run hundreds of commands.
in_ns()
{
	local ns=$1
	shift
	echo "+ [${ns#nfh-$uniq-}] $*" >&2
	nsenter --net="/run/netns/$ns" "$@"
}

# nobody_init: sets the array nobody to the command that runs what follows
# it as the unprivileged user (uid and gid 65534, no groups), for in_ns:
# "${nobody[@]}" CMD...  util-linux setpriv, found by path, since busybox's
# has no --reuid (both are in the guest).
nobody_init()
{
	local f

	for f in /usr/bin/setpriv /bin/setpriv $(type -ap setpriv); do
		if [ -x "$f" ] && "$f" --help 2>&1 | grep -q -- --reuid; then
			# shellcheck disable=SC2034 # for the scenarios
			nobody=("$f" --reuid 65534 --regid 65534 --clear-groups)
			return 0
		fi
	done
	fail "no util-linux setpriv in the guest"
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
	[ $rc = 0 ] && say "ok"
	exit $rc
}
trap cleanup EXIT

# topo_iface DEV ADDR4 ADDR6 PEER4 PEER6 PEER_MAC: the "ip -batch" lines of
# one end of a veth: DEV up with its two addresses (/24, /64, no DAD) and
# static neighbour entries for the other end.
topo_iface()
{
	local dev=$1 a4=$2 a6=$3 p4=$4 p6=$5 mac=$6

	printf '%s\n' "link set $dev up" \
		"addr add $a4/24 dev $dev" \
		"addr add $a6/64 dev $dev nodad" \
		"neigh replace $p4 lladdr $mac dev $dev nud permanent" \
		"neigh replace $p6 lladdr $mac dev $dev nud permanent"
}

# topo_host NS DEV ADDR4 ADDR6 GW4 GW6 GW_MAC: an end host of topo_three,
# one interface, default routes through the router at GW4 and GW6.
topo_host()
{
	local ns=$1 dev=$2 a4=$3 a6=$4 gw4=$5 gw6=$6 mac=$7

	{
		echo "link set lo up"
		topo_iface "$dev" "$a4" "$a6" "$gw4" "$gw6" "$mac"
		echo "route add default via $gw4"
		echo "route add default via $gw6"
	} | ip -n "$ns" -batch -
}

# topo_three: client -- router (forwarding) -- server.
#	client c0 10.0.1.2  fd00:1::2  --  r0 10.0.1.1  fd00:1::1  router
#	router r1 10.0.2.1  fd00:2::1  --  s0 10.0.2.2  fd00:2::2  server
# Fixed MAC addresses (02:00:00:00:NET:HOST), static neighbours and no IPv6
# autoconfiguration or DAD: the only packets on the wires are the ones the
# scenario sends (and the MLD reports the kernel sends as links come up).
# One ip process per namespace (-batch): each exec is slow under TCG.
topo_three()
{
	local ns
	local mac_c0=02:00:00:00:01:02 mac_r0=02:00:00:00:01:01
	local mac_r1=02:00:00:00:02:01 mac_s0=02:00:00:00:02:02

	for ns in "$ns_client" "$ns_router" "$ns_server"; do
		ip netns add "$ns"
		namespaces+=("$ns")
		# Before any link exists there, so that "default" covers them.
		nsenter --net="/run/netns/$ns" sysctl -qw \
			net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.default.accept_dad=0 > /dev/null
	done
	ip -batch - <<-EOF
	link add c0 netns $ns_client address $mac_c0 type veth peer r0 netns $ns_router address $mac_r0
	link add r1 netns $ns_router address $mac_r1 type veth peer s0 netns $ns_server address $mac_s0
	EOF
	topo_host "$ns_client" c0 "$client4" "$client6" "$router4_c" "$router6_c" "$mac_r0"
	topo_host "$ns_server" s0 "$server4" "$server6" "$router4_s" "$router6_s" "$mac_r1"
	{
		echo "link set lo up"
		topo_iface r0 "$router4_c" "$router6_c" "$client4" "$client6" "$mac_c0"
		topo_iface r1 "$router4_s" "$router6_s" "$server4" "$server6" "$mac_s0"
	} | ip -n "$ns_router" -batch -
	nsenter --net="/run/netns/$ns_router" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 > /dev/null
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
			'.[] | select(.id == $id) | .[$f]'
}

# hook_counter NS FAMILY HOOK FIELD
hook_counter()
{
	in_ns "$1" nfhookctl -j hook list |
		jq -er --arg fam "$2" --arg hook "$3" --arg f "$4" \
			'.[] | select(.family == $fam and .hook == $hook) | .[$f]'
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
