# SPDX-License-Identifier: GPL-2.0
#
# The labs' library, in the guest (make shell, or tests/labs/check.sh):
# sourced by tests/labs/lab, which sources one tests/labs/N.sh for its
# setup() and check().  Not a scenario: nothing here exits on the first
# failed command, and the namespaces stay for the student.
#
#	labs_topology		client -- router -- server, made again from nothing
#	at NS CMD...		run CMD in namespace NS (client, router, server)
#	bg NS CMD...		start CMD in NS in the background, detached
#	ok TEXT			a check that passed
#	miss TEXT		a check that failed: the reason, counted
#	tcp_echo NS ADDR PORT	true if a TCP connection echoes what it is sent
#	tcp_blocked NS ADDR PORT	true if a connection attempt gets no answer
#	ping1 NS ADDR		true if one echo request is answered

labs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
labs_state=/run/nfhook-lab
misses=0

# The addresses of tests/integration/lib/lib.sh's topo_three, under the
# names make shell gives the namespaces.
labs_topology()
{
	local ns pid

	for ns in client router server; do
		for pid in $(ip netns pids "$ns" 2> /dev/null); do
			kill "$pid" 2> /dev/null
		done
		ip netns del "$ns" 2> /dev/null
	done
	(
		# lib.sh is the scenarios' library: its EXIT trap would delete
		# the namespaces again; this subshell only borrows topo_three.
		. /nfhook/tests/integration/lib/lib.sh > /dev/null
		trap - EXIT
		set +e
		ns_client=client ns_router=router ns_server=server
		topo_three > /dev/null
	)
}

at()
{
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}

bg()
{
	local ns=$1
	shift
	setsid nsenter --net="/run/netns/$ns" "$@" < /dev/null > /dev/null 2>&1 &
}

ok()
{
	echo "  ok: $*"
}

miss()
{
	echo "  not yet: $*"
	misses=$((misses + 1))
}

# tcp_echo NS ADDR PORT: a connection from NS to ADDR:PORT (an echo server)
# sends back the line it was sent.
tcp_echo()
{
	local ns=$1 addr=$2 port=$3 got word=echo-$RANDOM type=TCP4

	[[ $addr == *:* ]] && type=TCP6 addr=[$addr]
	got=$(echo "$word" | at "$ns" timeout 6 socat -t 2 - \
		"$type:$addr:$port,connect-timeout=3" 2> /dev/null)
	[ "$got" = "$word" ]
}

# tcp_blocked NS ADDR PORT: the connection attempt times out (dropped),
# rather than being answered or refused.
tcp_blocked()
{
	local ns=$1 addr=$2 port=$3 err type=TCP4

	[[ $addr == *:* ]] && type=TCP6 addr=[$addr]
	if err=$(at "$ns" timeout 6 socat -u /dev/null \
		 "$type:$addr:$port,connect-timeout=2" 2>&1); then
		return 1
	fi
	[[ $err != *"refused"* ]]
}

ping1()
{
	at "$1" ping -q -c 1 -W 2 "$2" > /dev/null 2>&1
}

# echo_server NS PORT [FAMILY]: an echo server on PORT (IPv4, or 6).
echo_server()
{
	if [ "${3:-4}" = 6 ]; then
		bg "$1" socat "TCP6-LISTEN:$2,ipv6only=1,reuseaddr,fork" PIPE
	else
		bg "$1" socat "TCP4-LISTEN:$2,reuseaddr,fork" PIPE
	fi
}

# wait_echo NS ADDR PORT: until the echo server answers (it starts in the
# background), at most 10 s.
wait_echo()
{
	local i

	for i in $(seq 50); do
		tcp_echo "$@" && return 0
		sleep 0.2
	done
	echo "lab: the echo server on $2 port $3 never answered" >&2
	return 1
}

# answer FILE KEY: the value of "KEY: value" (or KEY=value) in FILE,
# lower case, without blanks.
answer()
{
	sed -n "s/^[[:space:]]*$2[[:space:]]*[:=][[:space:]]*//Ip" "$1" 2> /dev/null |
		head -n 1 | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]'
}

# snmp NS GROUP FIELD: a counter of /proc/net/snmp in NS (Ip ReasmReqds...).
snmp()
{
	at "$1" cat /proc/net/snmp | awk -v g="$2:" -v f="$3" '
		$1 == g && !hdr { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1; next }
		$1 == g && hdr { print $col[f]; exit }'
}
