#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the stock-kernel test guest (tests/packaging/test-guest.sh):
# the files of the nfhookctl package are installed at their own paths, and
# the nfhook.ko that the nfhook-dkms package's DKMS run built is next to
# them.  Does what systemd does with nfhook.service: the commands are read
# from the installed unit file itself (ExecStart, ExecReload, ExecStop), with
# a rules.conf made of the packaged one's example lines plus rules of its
# own, and checks the result on real traffic between two namespaces routed
# through the initial one (where the service's rules live).
#
# Prints "ok N description" or "not ok N description" per check; exits 1 if
# any failed.  Leaves nfhook unloaded.

# The guest has tests/integration/lib/ and tests/packaging/tap.sh next to
# this script (tests/lib/guest.sh, test-guest.sh's GUEST_FILES).
# shellcheck source=tests/integration/lib/lib.sh
. "$(dirname "$0")/lib/lib.sh"
# ok, not_ok, tap_check DESCRIPTION CMD... (CMD decides; its output is shown
# on failure only), tap_end.
# shellcheck source=tests/packaging/tap.sh
. "$(dirname "$0")/tap.sh"
# The checks report each failure and go on; lib.sh's set -e would stop at
# the first.
set +e +o pipefail

unit=/lib/systemd/system/nfhook.service
rules=/etc/nfhook/rules.conf

# The staging directory test-guest.sh copied in (GUEST_FILES keep host paths).
stage=
for d in /var/tmp/nfhook-guest.*; do
	[ -d "$d/root" ] && [ -f "$d/nfhook.ko" ] && stage=$d
done
[ -n "$stage" ] || fail "no package files in the guest (/var/tmp/nfhook-guest.*)"
! nfhook_loaded || fail "nfhook is loaded before the service starts"

# ---- install: the package's files at their paths --------------------------

cp -a "$stage/root/." / || fail "cannot copy the package's files to /"
# The harness's own copy must not stand in for the packaged one.
rm -f /usr/local/bin/nfhookctl
hash -r

# The module where DKMS puts it, found by modprobe through depmod (busybox's
# applets in this guest), as on an installed system.
kdir=/lib/modules/$(uname -r)
mkdir -p "$kdir/updates/dkms"
cp "$stage/nfhook.ko" "$kdir/updates/dkms/nfhook.ko"
modprobe_ok=0
if depmod "$(uname -r)" 2>/dev/null && grep -q 'updates/dkms/nfhook.ko' "$kdir/modules.dep"; then
	modprobe_ok=1
fi

# exec_lines KEY: the command lines of KEY= in the unit, in order.
exec_lines()
{
	sed -n "s/^$1=//p" "$unit"
}

# run_exec KEY [MAX]: run the unit's KEY= commands (the first MAX of them)
# in order, as systemd would (no shell; the words split on blanks), stopping
# at the first failure.
# "modprobe nfhook" runs the guest's modprobe (busybox), or insmod of the
# packaged module if depmod did not work here.
run_exec()
{
	local line
	local -a argv
	while IFS= read -r line; do
		# systemd's prefixes (-, @, +, !) are not used by this unit.
		read -r -a argv <<< "$line"
		case ${argv[0]} in
		*/modprobe)
			if [ $modprobe_ok = 1 ]; then
				argv[0]=modprobe
			else
				echo "# no depmod: insmod instead of $line"
				argv=(insmod "$kdir/updates/dkms/nfhook.ko")
			fi
			;;
		esac
		echo "+ ${argv[*]}"
		"${argv[@]}" || { echo "$1 command failed: $line"; return 1; }
	done < <(exec_lines "$1" | head -n "${2:-100}")
}

# unit_runs_packaged_ctl: reload and stop are there, and every nfhookctl the
# unit runs is the packaged /usr/bin/nfhookctl.
unit_runs_packaged_ctl()
{
	[ -n "$(exec_lines ExecReload)" ] || { echo "no ExecReload"; return 1; }
	[ -n "$(exec_lines ExecStop)" ] || { echo "no ExecStop"; return 1; }
	! exec_lines 'Exec[A-Za-z]*' | grep nfhookctl | grep -v '^/usr/bin/nfhookctl '
}

tap_check "the package installed $unit" test -f "$unit"
tap_check "the package installed /usr/bin/nfhookctl" test -x /usr/bin/nfhookctl
tap_check "the package installed $rules" test -f "$rules"
tap_check "the unit runs the packaged nfhookctl" unit_runs_packaged_ctl
if [ $modprobe_ok = 1 ]; then
	ok "depmod: modprobe finds nfhook.ko in $kdir/updates/dkms"
else
	tap_skip "depmod: modprobe finds nfhook.ko" "no working depmod, insmod instead"
fi

# ---- rules.conf: the packaged examples, and rules for the two namespaces ---

# The example lines of the packaged file, uncommented:
#	hook ipv4 input priority filter+10 policy drop enable
#	rule ipv4 input proto tcp dport 22 accept comment "ssh"
#	rule ipv4 input proto icmp icmp-type echo-request accept
sed -i 's/^#[[:space:]]\+\(hook\|rule\) /\1 /' "$rules"
cat >> "$rules" <<-'EOF'

	# Between the two namespaces (forwarded by the initial one).
	rule ipv4 forward proto icmp count comment fwd-icmp
	rule ipv4 forward proto udp dport 7000 drop comment no-7000
	rule ipv6 forward proto icmpv6 icmp-type echo-request drop comment no-ping6
EOF
echo "# $rules:"
sed 's/^/#   /' "$rules"
if [ "$(grep -c '^hook ' "$rules")" != 1 ] || [ "$(grep -c '^rule ' "$rules")" != 5 ]; then
	fail "rules.conf: expected 1 hook and 5 rule lines from the packaged examples and ours"
fi

# unquote: the quotes around plain words dropped (save quotes every
# comment, the file need not), so that both compare as the same words.
unquote()
{
	sed 's/"\([A-Za-z0-9_.:+-]*\)"/\1/g'
}

# expected_save FILE DEFAULTS: what "nfhookctl save" must print once FILE is
# restored (as unquote leaves it): the default hook lines (DEFAULTS, a save
# of the module as loaded) with FILE's hook lines in place of theirs, then
# FILE's rule lines.
expected_save()
{
	local file=$1 defaults=$2 line fam hook repl

	{
		while IFS= read -r line; do
			read -r _ fam hook _ <<< "$line"
			case $line in
			"hook "*)
				repl=$(grep "^hook $fam $hook " "$file" | tail -n 1)
				echo "${repl:-$line}"
				;;
			esac
		done < "$defaults"
		grep '^rule ' "$file"
	} | unquote
}

# save_matches WHAT EXPECTED: nfhookctl save, without its comment line and
# as unquote leaves it, is EXPECTED (a file).
save_matches()
{
	local got
	got=$(/usr/bin/nfhookctl save | grep -v '^#' | unquote)
	if [ "$got" = "$(cat "$2")" ]; then
		ok "$1"
	else
		not_ok "$1"
		diff <(cat "$2") <(echo "$got") | sed 's/^/# /'
	fi
}

# ---- ExecStart --------------------------------------------------------------

# systemd's ConditionPathExists=.
grep -q "^ConditionPathExists=$rules$" "$unit" ||
	not_ok "the unit is conditional on $rules"

# The first ExecStart loads the module: keep the defaults it starts with.
first=$(exec_lines ExecStart | head -n 1)
tap_check "ExecStart loads the module: $first" run_exec ExecStart 1
nfhook_loaded || fail "nfhook is not loaded after the unit's first ExecStart"
/usr/bin/nfhookctl save | grep -v '^#' > /tmp/defaults.save
echo "# defaults:"
sed 's/^/#   /' /tmp/defaults.save
tap_check "the module starts with 10 hooks at priority filter+10, policy accept, no rules" \
	bash -c "[ \$(grep -c '^hook ' /tmp/defaults.save) = 10 ] &&
		 [ \$(grep -c '^hook [a-z0-9]* [a-z]* priority filter+10 policy accept enable$' /tmp/defaults.save) = 10 ] &&
		 ! grep -q '^rule ' /tmp/defaults.save"
# Then all of ExecStart, as systemd runs it (modprobe of a loaded module is a no-op).
tap_check "ExecStart (all lines) succeeds" run_exec ExecStart
expected_save "$rules" /tmp/defaults.save > /tmp/expected.save
save_matches "nfhookctl save matches $rules after ExecStart" /tmp/expected.save

# ---- traffic ----------------------------------------------------------------

# a (10.0.1.2) -- initial namespace (10.0.1.1 / 10.0.2.1, forwarding) -- b (10.0.2.2)
ns_a=nfh-$uniq-a
ns_b=nfh-$uniq-b
a() { in_ns "$ns_a" "$@"; }
b() { in_ns "$ns_b" "$@"; }
topo()
{
	local ns
	for ns in "$ns_a" "$ns_b"; do
		ip netns add "$ns" && namespaces+=("$ns") || return 1
		nsenter --net="/run/netns/$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0 > /dev/null
	done
	sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0 \
		net.ipv6.conf.default.router_solicitations=0 > /dev/null
	ip -batch - <<-EOF || return 1
	link set lo up
	link add h1 address 02:00:00:00:01:01 type veth peer a0 netns $ns_a address 02:00:00:00:01:02
	link add h2 address 02:00:00:00:02:01 type veth peer b0 netns $ns_b address 02:00:00:00:02:02
	link set h1 up
	link set h2 up
	addr add 10.0.1.1/24 dev h1
	addr add fd00:1::1/64 dev h1 nodad
	addr add 10.0.2.1/24 dev h2
	addr add fd00:2::1/64 dev h2 nodad
	neigh replace 10.0.1.2 lladdr 02:00:00:00:01:02 dev h1 nud permanent
	neigh replace fd00:1::2 lladdr 02:00:00:00:01:02 dev h1 nud permanent
	neigh replace 10.0.2.2 lladdr 02:00:00:00:02:02 dev h2 nud permanent
	neigh replace fd00:2::2 lladdr 02:00:00:00:02:02 dev h2 nud permanent
	EOF
	ip -n "$ns_a" -batch - <<-EOF || return 1
	link set lo up
	link set a0 up
	addr add 10.0.1.2/24 dev a0
	addr add fd00:1::2/64 dev a0 nodad
	route add default via 10.0.1.1
	route add default via fd00:1::1
	neigh replace 10.0.1.1 lladdr 02:00:00:00:01:01 dev a0 nud permanent
	neigh replace fd00:1::1 lladdr 02:00:00:00:01:01 dev a0 nud permanent
	EOF
	ip -n "$ns_b" -batch - <<-EOF || return 1
	link set lo up
	link set b0 up
	addr add 10.0.2.2/24 dev b0
	addr add fd00:2::2/64 dev b0 nodad
	route add default via 10.0.2.1
	route add default via fd00:2::1
	neigh replace 10.0.2.1 lladdr 02:00:00:00:02:01 dev b0 nud permanent
	neigh replace fd00:2::1 lladdr 02:00:00:00:02:01 dev b0 nud permanent
	EOF
	sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 > /dev/null
}
topo || fail "cannot set up the namespaces"

# rule_pkts COMMENT: packets of the initial namespace's rule with that comment.
rule_pkts()
{
	/usr/bin/nfhookctl -j rule list |
		jq -er --arg c "$1" '[.[] | select(.comment == $c)] | if length == 1 then .[0].packets else error("no single rule \($c)") end'
}
hook_ctr()
{
	/usr/bin/nfhookctl -j hook list |
		jq -er --arg fam "$1" --arg hook "$2" --arg f "$3" \
			'.[] | select(.family == $fam and .hook == $hook) | .[$f]'
}
# expect WHAT EXPECTED CMD...: CMD prints EXPECTED.
expect()
{
	local what=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "$what = $want"
	else
		not_ok "$what: expected $want, got $got"
	fi
}
pings()   { a ping -q -c "$2" -i 0.2 -W 2 "$1" > /dev/null 2>&1; }
nopings() { ! a ping -q -c "$2" -i 0.2 -W 1 "$1" > /dev/null 2>&1; }

# The input hook: policy drop, ssh and echo requests accepted.
pol0=$(hook_ctr ipv4 input policy_dropped_packets)
tap_check "a pings the initial namespace (input: echo-request accepted)" pings 10.0.1.1 3
udp_send "$ns_a" 10.0.1.1 9999 4
expect "ipv4 input policy drops of 4 UDP datagrams to the initial namespace" \
	$((pol0 + 4)) hook_ctr ipv4 input policy_dropped_packets
# From the initial namespace: b's replies are dropped by its input policy.
tap_check "the initial namespace's pings to b go unanswered (policy drop)" \
	bash -c '! ping -q -c 2 -i 0.2 -W 1 10.0.2.2'
expect "ipv4 input policy drops after 2 replies from b" \
	$((pol0 + 6)) hook_ctr ipv4 input policy_dropped_packets

# The forward hook, between a and b.
tap_check "a pings b through the initial namespace (forward)" pings 10.0.2.2 3
expect "fwd-icmp counted 3 requests and 3 replies" 6 rule_pkts fwd-icmp
udp_send "$ns_a" 10.0.2.2 7000 5
udp_send "$ns_a" 10.0.2.2 7001 2
expect "no-7000 dropped the 5 datagrams to port 7000" 5 rule_pkts no-7000
expect "ipv4 forward rule drops" 5 hook_ctr ipv4 forward rule_dropped_packets
tap_check "a cannot ping6 b (no-ping6)" nopings fd00:2::2 2
expect "no-ping6 dropped 2 echo requests" 2 rule_pkts no-ping6
tap_check "b cannot ping6 a either" \
	bash -c "! nsenter --net=/run/netns/$ns_b ping -q -c 1 -W 1 fd00:1::2"
expect "no-ping6 dropped b's echo request too" 3 rule_pkts no-ping6

# ---- ExecReload -------------------------------------------------------------

# A changed file: port 7000 allowed, 7001 dropped, ping6 allowed.
sed -i -e 's/dport 7000 drop comment no-7000/dport 7001 drop comment no-7001/' \
	-e '/no-ping6/d' "$rules"
tap_check "ExecReload succeeds" run_exec ExecReload
fwd0=$(hook_ctr ipv4 forward rule_dropped_packets)
expected_save "$rules" /tmp/defaults.save > /tmp/expected.save
save_matches "nfhookctl save matches the edited $rules after ExecReload" /tmp/expected.save
tap_check "a pings6 b after the reload" pings fd00:2::2 2
udp_send "$ns_a" 10.0.2.2 7000 3
udp_send "$ns_a" 10.0.2.2 7001 4
expect "no-7001 dropped the 4 datagrams to port 7001" 4 rule_pkts no-7001
expect "ipv4 forward rule drops (hook counters outlive a reload)" $((fwd0 + 4)) hook_ctr ipv4 forward rule_dropped_packets

# A broken file changes nothing.
cp "$rules" /tmp/rules.good
echo "rule ipv4 input proto tcp dport 99999 drop" >> "$rules"
tap_check "ExecReload of a broken file fails" eval '! run_exec ExecReload'
save_matches "the broken file left the ruleset as it was" /tmp/expected.save
cp /tmp/rules.good "$rules"

# ---- ExecStop ---------------------------------------------------------------

tap_check "ExecStop succeeds" run_exec ExecStop
pol0=$(hook_ctr ipv4 input policy_dropped_packets)
save_matches "after ExecStop every hook is at its defaults, no rules" /tmp/defaults.save
tap_check "after ExecStop a pings the initial namespace's other side" pings 10.0.2.1 2
udp_send "$ns_a" 10.0.1.1 9999 2
expect "ipv4 input policy drops unchanged by 2 datagrams after ExecStop" "$pol0" hook_ctr ipv4 input policy_dropped_packets
tap_check "the module stays loaded after ExecStop (like the unit says)" nfhook_loaded

# ---- unload -----------------------------------------------------------------

for ns in "${namespaces[@]}"; do
	ip netns del "$ns"
done
namespaces=()
tap_check "rmmod nfhook" rmmod nfhook
tap_check "nfhook is gone" bash -c '! grep -q "^nfhook " /proc/modules'
tap_end guest-service
