# SPDX-License-Identifier: GPL-2.0
#
# Counter snapshots and exact assertions for the integration scenarios, on
# nfhookctl's JSON (parsed in bash).  A library, sourced
# after lib.sh; not a scenario of its own.
#
#	snap NS...			read the rules and hooks of each NS
#	expect_rule NS NAME PKTS [BYTES]	rule commented NAME, in the last snap
#	expect_hook NS FAMILY HOOK PKTS [BYTES [ACCEPTED RULE_DROP POLICY_DROP]]
#	expect_hooks NS FAMILY "P0 P1 P2 P3 P4" BYTES_PER_PACKET
#					packets (and bytes) of all five hooks
#	quiesce NS...			reset counters until no packet moves
#	rule NS ARGS...			rule add, named by a comment, prints id
#	load NS TEXT			restore TEXT (lines of rules and hooks)
#
# Rules are named by their comment (rule NS ... comment NAME), so that a
# scenario reads like its expectations.  A snap keeps every number of the
# JSON in the associative array C, keyed
#	NS/rule/NAME/packets, NS/rule/NAME/bytes, NS/rule/NAME/index
#	NS/FAMILY/HOOK/packets, .../accepted_packets, .../priority, ...
# (NS the short name: client, router, server).  A key that is missing
# fails the assertion: a rule that vanished is not a rule that counted 0.

declare -gA C=()
nfh_hooks=(prerouting input forward output postrouting)

# json_flat_array JSON CALLBACK: for each object of JSON, an array of flat
# objects as nfhookctl -j prints them (one line, no blanks), fill the
# associative array O with its members and run CALLBACK.  Pure bash: jq
# costs about a second per run in a TCG guest.  Values are numbers, true,
# false or strings without escapes; anything else is refused, so a change
# of the output cannot go unnoticed.
json_flat_array()
{
	local text=$1 cb=$2 obj key val
	local -a objs=()

	[[ $text == '['*']' ]] || { echo "not a JSON array: $text" >&2; return 1; }
	text=${text:1:${#text}-2}
	[ -n "$text" ] || return 0
	[[ $text == '{'*'}' ]] || { echo "not an array of objects: $text" >&2; return 1; }
	text=${text:1:${#text}-2}
	while [[ $text == *'},{'* ]]; do
		objs+=("${text%%'},{'*}")
		text=${text#*'},{'}
	done
	objs+=("$text")
	for obj in "${objs[@]}"; do
		O=()
		while [ -n "$obj" ]; do
			if [[ ! $obj =~ ^\"([a-z_0-9]+)\":(.*)$ ]]; then
				echo "unexpected JSON member at: $obj" >&2
				return 1
			fi
			key=${BASH_REMATCH[1]}
			obj=${BASH_REMATCH[2]}
			if [[ $obj =~ ^\"([^\"\\]*)\"(,|$)(.*)$ ]]; then
				val=${BASH_REMATCH[1]}
				obj=${BASH_REMATCH[3]}
			elif [[ $obj =~ ^(-?[0-9]+|true|false)(,|$)(.*)$ ]]; then
				val=${BASH_REMATCH[1]}
				obj=${BASH_REMATCH[3]}
			else
				echo "unexpected JSON value of $key at: $obj" >&2
				return 1
			fi
			O[$key]=$val
		done
		"$cb" || return 1
	done
}

declare -gA O=()
snap_ns=

snap_rule()
{
	local n=${O[comment]:-#${O[id]}} k

	for k in packets bytes index id; do
		[ -n "${O[$k]}" ] || { echo "rule $n has no $k" >&2; return 1; }
		C[$snap_ns/rule/$n/$k]=${O[$k]}
	done
}

snap_hook()
{
	local k

	for k in "${!O[@]}"; do
		C[$snap_ns/${O[family]}/${O[hook]}/$k]=${O[$k]}
	done
}

# snap NS...: replace what C holds about each NS by its current counters.
snap()
{
	local ns key rules hooks

	for ns in "$@"; do
		snap_ns=${ns#nfh-$uniq-}
		for key in "${!C[@]}"; do
			if [[ $key == "$snap_ns/"* ]]; then
				unset "C[$key]"
			fi
		done
		rules=$(nfhookctl -N "$ns" -j rule list) ||
			fail "nfhookctl -N $snap_ns rule list failed"
		hooks=$(nfhookctl -N "$ns" -j hook list) ||
			fail "nfhookctl -N $snap_ns hook list failed"
		json_flat_array "$rules" snap_rule ||
			fail "cannot read the rule list of $snap_ns: $rules"
		json_flat_array "$hooks" snap_hook ||
			fail "cannot read the hook list of $snap_ns: $hooks"
	done
}

# check KEY EXPECTED: C[KEY] must be EXPECTED.
check()
{
	local key=$1 want=$2

	[ -n "${C[$key]+set}" ] || fail "$key: expected $want, but there is no such counter"
	[ "${C[$key]}" = "$want" ] || fail "$key: expected $want, got ${C[$key]}"
	say "$key = $want"
}

# expect_rule NS NAME PKTS [BYTES]
expect_rule()
{
	local key

	key=${1#nfh-$uniq-}/rule/$2
	check "$key/packets" "$3"
	[ $# -lt 4 ] || check "$key/bytes" "$4"
}

# expect_hook NS FAMILY HOOK PKTS [BYTES [ACCEPTED RULE_DROP POLICY_DROP]]
# (ACCEPTED and the drops in packets).
expect_hook()
{
	local key

	key=${1#nfh-$uniq-}/$2/$3
	check "$key/packets" "$4"
	[ $# -lt 5 ] || check "$key/bytes" "$5"
	[ $# -lt 6 ] && return 0
	check "$key/accepted_packets" "$6"
	check "$key/rule_dropped_packets" "$7"
	check "$key/policy_dropped_packets" "$8"
}

# expect_hooks NS FAMILY "P0 P1 P2 P3 P4" SIZE: the five hooks, in
# prerouting..postrouting order, saw exactly those packets, of SIZE bytes
# each, and accepted them all.
expect_hooks()
{
	local ns=$1 fam=$2 size=$4 i=0 p
	local -a pkts

	read -r -a pkts <<< "$3"
	[ ${#pkts[@]} = 5 ] || fail "expect_hooks: five counts needed, got '$3'"
	for p in "${pkts[@]}"; do
		expect_hook "$ns" "$fam" "${nfh_hooks[i]}" "$p" $((p * size)) \
			"$p" 0 0
		i=$((i + 1))
	done
}

# quiesce NS...: reset every counter of each NS until a short wait sees no
# packet at all in any of them (IPv6 sends MLD reports for a moment after
# addresses are added), so that counts start from a silent network.
quiesce()
{
	local ns try moved key

	for try in 1 2 3 4 5 6 7 8 9 10; do
		for ns in "$@"; do
			nfhookctl -N "$ns" reset > /dev/null ||
				fail "nfhookctl -N ${ns#nfh-$uniq-} reset failed"
		done
		sleep 0.5
		moved=0
		snap "$@"
		for key in "${!C[@]}"; do
			if [[ $key == */packets && ${C[$key]} != 0 &&
			      $key != */rule/* ]]; then
				say "$key: ${C[$key]} packets"
				moved=1
			fi
		done
		if [ $moved = 0 ]; then
			say "network quiet; counters reset"
			return 0
		fi
		say "packets still moving; waiting"
	done
	fail "the network never went quiet: $(nfhookctl -N "$1" -n hook list)"
}

# rule NS ARGS...: nfhookctl rule add ARGS in NS; prints the new id.
rule()
{
	local ns=$1 id
	shift

	echo "+ [${ns#nfh-$uniq-}] nfhookctl rule add $*" >&2
	id=$(nfhookctl -N "$ns" rule add "$@") ||
		fail "rule add $* in ${ns#nfh-$uniq-} failed"
	[[ $id =~ ^[1-9][0-9]*$ ]] || fail "rule add $*: expected an id, got '$id'"
	echo "$id"
}

# load NS TEXT: replace the rules and hook settings of NS with TEXT, in
# nfhookctl's restore format (one process for a whole batch of rules).
load()
{
	echo "+ [${1#nfh-$uniq-}] nfhookctl restore - <<< '$2'" >&2
	nfhookctl -N "$1" restore - <<< "$2" ||
		fail "restore in ${1#nfh-$uniq-} failed"
}

# ctl NS ARGS...: nfhookctl ARGS in NS, logged; must succeed.
ctl()
{
	local ns=$1
	shift

	echo "+ [${ns#nfh-$uniq-}] nfhookctl $*" >&2
	nfhookctl -N "$ns" "$@" || fail "nfhookctl $* in ${ns#nfh-$uniq-} failed"
}

# pings NS DEST COUNT [SIZE]: COUNT echo requests of SIZE data bytes, all
# answered.
pings()
{
	local ns=$1 dst=$2 count=$3 size=${4:-56}

	in_ns "$ns" ping -q -c "$count" -s "$size" -i 0.1 -W 2 "$dst" > /dev/null ||
		fail "ping -s $size $dst from ${ns#nfh-$uniq-}: expected $count replies"
}

# pings_lost NS DEST COUNT [SIZE]: COUNT echo requests, none answered.
pings_lost()
{
	local ns=$1 dst=$2 count=$3 size=${4:-56} out

	out=$(in_ns "$ns" ping -c "$count" -s "$size" -i 0.1 -W 1 "$dst" 2>&1) &&
		fail "ping $dst from ${ns#nfh-$uniq-}: expected no reply, got: $out"
	[[ $out == *"$count packets transmitted, 0 packets received"* ]] ||
		fail "ping $dst from ${ns#nfh-$uniq-}: expected $count sent, 0 received, got: $out"
}

# udp_each NS DEST PORT COUNT: COUNT one-byte UDP datagrams, each from a new
# socket (so an ICMP error for one never fails the next write).
udp_each()
{
	echo "+ [${1#nfh-$uniq-}] $4 UDP datagrams to $2 port $3" >&2
	nsenter --net="/run/netns/$1" bash -c '
		for ((i = 0; i < $3; i++)); do
			printf x > "/dev/udp/$1/$2" || exit 1
		done' _ "$2" "$3" "$4" || fail "sending UDP to $2 port $3 failed"
}

# tcp_refused NS DEST PORT COUNT: COUNT connections to a closed port: one
# SYN each, answered by a RST.
tcp_refused()
{
	echo "+ [${1#nfh-$uniq-}] $4 TCP connects to closed $2 port $3" >&2
	nsenter --net="/run/netns/$1" timeout 20 bash -c '
		for ((i = 0; i < $3; i++)); do
			if (exec 3<> "/dev/tcp/$1/$2") 2> /dev/null; then
				echo "port $2 is open" >&2
				exit 1
			fi
		done' _ "$2" "$3" "$4" || fail "TCP to $2 port $3 was not refused"
}
