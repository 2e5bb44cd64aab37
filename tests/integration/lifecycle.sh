#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetimes: of rules (churn under traffic), of the module (rmmod under
# traffic, reload with rules present), of namespaces (deleted with rules
# in them), of replace transactions (aborted by a refused line, by closing
# the socket), of saved state (save/restore round trip with counters, a
# broken file, 10,000 rules); the unprivileged user; and the events
# `monitor` prints.  kmemleak (scanned by the guest's init after the last
# step) and the console watch catch what a step leaves behind.

. "$(dirname "$0")/lib/lib.sh"

CHURN=${CHURN:-500}
SCALE=${SCALE:-10000}
ko=${NFHOOK_KO:-/nfhook/nfhook.ko}

topo_three

# flood_start: ping the server from the client every 10 ms (busybox
# ping; -A, as fast as replies come, starves TCG guests), in the
# background, until flood_stop.
flood_pid=
flood_start()
{
	ip netns exec "$ns_client" ping -q -i 0.01 -w 600 "$server4" > /dev/null 2>&1 &
	flood_pid=$!
	sleep 0.5
}

flood_stop()
{
	kill "$flood_pid" 2> /dev/null || true
	wait "$flood_pid" 2> /dev/null || true
	flood_pid=
}

rules_in()
{
	nfhookctl -N "$1" -j info | jq -er .rule_count
}

pkts()
{
	in_ns "$1" nfhookctl -j rule list | jq -er --argjson id "$2" '.[] | select(.id == $id) | .packets'
}

# --- Rule churn while traffic flows ------------------------------------
# nfhookctl costs a process (about a second under a loaded TCG), so the
# bulk of the churn is nlfuzz -C (netlink add/delete, every answer
# checked), and a few rounds go through nfhookctl.
say "rule churn: $CHURN netlink add/delete rounds and 20 nfhookctl rounds under a ping flood"
fwd=$(rule_add "$ns_router" ipv4 forward saddr "$client4" count comment flow)
flood_start
before=$(pkts "$ns_router" "$fwd")
router nlfuzz -C "$CHURN" -s "$RANDOM"
hooks=(prerouting input forward output postrouting)
ids=()
for ((i = 0; i < 20; i++)); do
	hook=${hooks[i % 5]}
	id=$(nfhookctl -N "$ns_router" rule add ipv4 "$hook" proto udp dport $((i + 1)) drop \
		$([ $((i % 3)) = 0 ] && echo index 0)) ||
		fail "churn round $i: rule add failed"
	ids+=("$id")
	if [ ${#ids[@]} -ge 4 ]; then
		nfhookctl -N "$ns_router" rule del "${ids[0]}" ||
			fail "churn round $i: rule del ${ids[0]} failed"
		ids=("${ids[@]:1}")
	fi
done
for id in "${ids[@]}"; do
	nfhookctl -N "$ns_router" rule del "$id"
done
after=$(pkts "$ns_router" "$fwd")
flood_stop
[ "$after" -gt "$before" ] || fail "the flood was not forwarded during the churn ($before -> $after)"
say "forwarded during the churn: $((after - before)) packets"
expect_eq "rules after the churn (the flow counter only)" 1 "$(rules_in "$ns_router")"
router nfhookctl rule del "$fwd"
expect_eq "rules after deleting the flow counter" 0 "$(rules_in "$ns_router")"
ping_ok "$ns_client" "$server4" 2

# --- rmmod while traffic flows, then insmod ----------------------------
say "rmmod under traffic"
for h in prerouting input forward output postrouting; do
	rule_add "$ns_router" ipv4 "$h" count > /dev/null
	rule_add "$ns_router" ipv6 "$h" count > /dev/null
done
rule_add "$ns_server" ipv4 input proto icmp count > /dev/null
router nfhookctl hook set ipv4 forward priority filter-5
flood_start
sleep 1
host rmmod nfhook
sleep 1
ping_ok "$ns_client" "$server4" 2
host insmod "$ko"
flood_stop
expect_eq "rules in the router after the reload" 0 "$(rules_in "$ns_router")"
expect_eq "ipv4 forward priority after the reload" 10 \
	"$(router nfhookctl -j hook list | jq -r '.[] | select(.family == "ipv4" and .hook == "forward") | .priority')"
ping_ok "$ns_client" "$server4" 2

# --- Module reload with rules present (no traffic) ---------------------
say "reload with rules present"
for i in 1 2 3; do
	rule_add "$ns_router" ipv6 input proto icmpv6 count > /dev/null
	rule_add "$ns_client" ipv4 output daddr "$server4" count > /dev/null
done
nfhook_reload
expect_eq "client rules after the reload" 0 "$(rules_in "$ns_client")"
expect_eq "router rules after the reload" 0 "$(rules_in "$ns_router")"

# --- Deleting namespaces that still have rules --------------------------
say "namespaces deleted with rules in them"
for i in 1 2 3 4 5; do
	ns=nfh-$uniq-gone$i
	ns_add "$ns"
	for h in prerouting input forward output postrouting; do
		rule_add "$ns" ipv4 "$h" proto tcp dport $i accept comment "ns $i" > /dev/null
		rule_add "$ns" ipv6 "$h" drop > /dev/null
	done
	in_ns "$ns" nfhookctl hook set ipv6 input priority raw policy drop
	expect_eq "rules in $ns" 10 "$(rules_in "$ns")"
	# One of them also with a replace transaction left open by a process
	# still running when the namespace goes.
	if [ $i = 5 ]; then
		in_ns "$ns" nlfuzz -B 20 > /dev/null
	fi
	ip netns del "$ns"
done
# The namespaces' exit runs in a workqueue; kmemleak (end of the run)
# reports anything they left.  The module must still unload cleanly.
sleep 1
nfhook_reload
expect_eq "rules in the initial namespace" 0 "$(nfhookctl -j info | jq -r .rule_count)"

# --- The unprivileged user ---------------------------------------------
# Every command needs CAP_NET_ADMIN over the namespace, reads, dumps and the
# events group included: counters and events tell about other users'
# traffic.  Each refusal is exit status 1 with a message about the missing
# permission (nfhookctl's words for EPERM: "permission denied ...
# CAP_NET_ADMIN ..."; "not permitted" is strerror's), and nothing leaks.
say "unprivileged user"
rule_add "$ns_router" ipv4 input proto tcp dport 22 accept comment secret-rule > /dev/null
nobody_init
perm_msg='ermission|CAP_NET_ADMIN|not permitted'
for cmd in "info" "hook list" "rule list" "save" "-j info" "-j hook list" \
	   "-j rule list" "monitor" \
	   "rule add ipv4 input drop" "rule del 1" "flush" "reset" \
	   "hook set ipv4 input policy drop"; do
	# shellcheck disable=SC2086
	if out=$(router timeout 20 "${nobody[@]}" nfhookctl $cmd 2>&1); then
		fail "unprivileged 'nfhookctl $cmd' succeeded: $out"
	else
		rc=$?
	fi
	expect_eq "exit status of unprivileged 'nfhookctl $cmd'" 1 "$rc"
	[[ $out =~ $perm_msg ]] ||
		fail "unprivileged 'nfhookctl $cmd': no permission message: $out"
	# Refused by the core before nfhook ran: no nfhook message, and not
	# a byte of the ruleset.
	[[ $out != *"Error: nfhook: "* ]] ||
		fail "unprivileged 'nfhookctl $cmd': a message from the module, not the core's refusal: $out"
	[[ $out != *secret-rule* && $out != *"dport 22"* && $out != *'"dport'* ]] ||
		fail "unprivileged 'nfhookctl $cmd' printed the rule: $out"
done
echo "rule ipv4 input drop" | router "${nobody[@]}" nfhookctl restore > /dev/null 2>&1 &&
	fail "unprivileged restore succeeded"
expect_eq "rules after the unprivileged attempts" 1 "$(rules_in "$ns_router")"
expect_eq "the rule is still there, untouched" secret-rule \
	"$(router nfhookctl -j rule list | jq -r '.[0].comment')"
router nfhookctl flush

# --- save/restore round trip with counters -----------------------------
say "save --counters | restore round trip"
router nfhookctl hook set ipv4 forward priority mangle+3 policy accept
router nfhookctl hook set ipv6 output disable
router nfhookctl hook set ipv4 input policy accept
rule_add "$ns_router" ipv4 forward saddr "$client4/24" proto icmp icmp-type echo-request count comment 'with "quotes" and # hash' > /dev/null
rule_add "$ns_router" ipv4 forward proto tcp sport 1000-2000 dport 80 tcp-flags syn/syn,ack drop > /dev/null
rule_add "$ns_router" ipv6 prerouting daddr "$server6" iif r0 len 100-1500 count > /dev/null
rule_add "$ns_router" ipv4 postrouting oif r1 proto udp dport 53 accept > /dev/null
ping_ok "$ns_client" "$server4" 3
ping_ok "$ns_client" "$server6" 2
router nfhookctl save --counters > /tmp/saved.$uniq
grep -q 'counters packets 3 ' /tmp/saved.$uniq ||
	fail "save --counters does not show the 3 echo requests: $(cat /tmp/saved.$uniq)"
router nfhookctl restore /tmp/saved.$uniq
router nfhookctl save --counters > /tmp/again.$uniq
diff -u /tmp/saved.$uniq /tmp/again.$uniq ||
	fail "save --counters after restore differs from before"
say "round trip exact ($(wc -l < /tmp/saved.$uniq) lines)"

# --- A broken file changes nothing and names the line -------------------
say "restore of a broken file"
printf 'rule ipv4 input accept\nrule ipv4 input proto tcp dport 80 drop\nrule ipv4 input proto tcp dport 99999 drop\nrule ipv4 input drop\n' \
	> /tmp/broken.$uniq
if out=$(router nfhookctl restore /tmp/broken.$uniq 2>&1); then
	fail "restore of a broken file succeeded"
fi
[[ $out == *":3:"* ]] || fail "the error does not name line 3: $out"
say "refused: $out"
router nfhookctl save --counters > /tmp/after.$uniq
diff -u /tmp/saved.$uniq /tmp/after.$uniq || fail "a refused restore changed the state"

# --- A line only the kernel refuses: the transaction is aborted ---------
say "restore whose last line the kernel refuses"
printf 'rule ipv4 input accept\nrule ipv4 input count\nrule ipv4 output iif c0 accept\n' > /tmp/krefused.$uniq
if out=$(router nfhookctl restore /tmp/krefused.$uniq 2>&1); then
	fail "restore with an input interface at output succeeded"
else
	rc=$?
fi
expect_eq "exit status of the refused restore" 1 "$rc"
say "refused: $out"
router nfhookctl save --counters > /tmp/after.$uniq
diff -u /tmp/saved.$uniq /tmp/after.$uniq || fail "a restore the kernel refused changed the state"

# --- A transaction aborted by closing its socket -------------------------
say "replace transaction left open by a process that exits"
router nlfuzz -B 50
router nfhookctl save --counters > /tmp/after.$uniq
diff -u /tmp/saved.$uniq /tmp/after.$uniq || fail "an unfinished transaction changed the state"
# Its socket is closed: a new transaction can begin (no EBUSY).
router nfhookctl restore /tmp/saved.$uniq
router nfhookctl save --counters > /tmp/after.$uniq
diff -u /tmp/saved.$uniq /tmp/after.$uniq || fail "restore after the abandoned transaction differs"

# --- Scale: 10,000 rules in one transaction -----------------------------
say "restore of $SCALE rules"
awk -v n="$SCALE" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "rule ipv4 %s saddr 10.%d.%d.0/24 proto tcp dport %d count\n",
			(i % 2 ? "input" : "forward"), int(i / 256) % 256, i % 256, i % 65535 + 1
}' > /tmp/scale.$uniq
start=$SECONDS
router nfhookctl restore /tmp/scale.$uniq
expect_eq "rules after restoring $SCALE" "$SCALE" "$(rules_in "$ns_router")"
expect_eq "rules listed" "$SCALE" "$(router nfhookctl -j rule list | jq length)"
ping_ok "$ns_client" "$server4" 2
: > /tmp/empty.$uniq
router nfhookctl restore /tmp/empty.$uniq
expect_eq "rules after restoring an empty file" 0 "$(rules_in "$ns_router")"
say "scale: $((SECONDS - start)) s for restore, list and empty restore"

# --- monitor ------------------------------------------------------------
say "monitor"
router nfhookctl -j monitor > /tmp/monitor.$uniq 2> /tmp/monitor-err.$uniq &
mon=$!
sleep 0.5
id=$(rule_add "$ns_router" ipv4 input proto tcp dport 80 accept)
rule_add "$ns_router" ipv6 output count > /dev/null
router nfhookctl rule del "$id"
router nfhookctl flush ipv6
router nfhookctl hook set ipv4 forward priority 42
router nfhookctl restore /tmp/empty.$uniq
# An event in another namespace is not ours.
server nfhookctl rule add ipv4 input count > /dev/null
sleep 0.5
kill "$mon"
wait "$mon" 2> /dev/null || true
cat /tmp/monitor.$uniq /tmp/monitor-err.$uniq
# nfhookctl(8): with -j, one JSON object per line.
events=$(jq -r .event /tmp/monitor.$uniq | tr '\n' ' ') ||
	fail "monitor -j output is not one JSON object per line"
expect_eq "monitor events" "rule_add rule_add rule_del flush hook_set replace " "$events"
expect_eq "rule_del event id" "$id" "$(jq -r 'select(.event == "rule_del") | .id' /tmp/monitor.$uniq)"
expect_eq "hook_set event priority" 42 "$(jq -r 'select(.event == "hook_set") | .priority' /tmp/monitor.$uniq)"
expect_eq "flush event family" ipv6 "$(jq -r 'select(.event == "flush") | .family' /tmp/monitor.$uniq)"
server nfhookctl flush

rm -f /tmp/*."$uniq"
# The module stays loaded: the guest's init removes it after this step.
nfhook_loaded || fail "nfhook is not loaded at the end"
