#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell, driven the way a person uses it: boot it with its console on
# a pipe, wait for the prompt's banner, type commands, leave the shell, and
# check that the guest powered off by itself.  TAP lines on stdout.
#
#   tests/shell/drive.sh [--kernel stock|debug]
#
# What the guest prints is computed ($((...))), so the echo of a typed line
# never passes for its result.

shell=$(cd "$(dirname "$0")/.." && pwd)/shell.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-drive.XXXXXX") || exit 1
out=$work/console
mkfifo "$work/in"
n=0 failed=0

ok()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

# wait_for TEXT SECONDS: until the console shows TEXT.
wait_for()
{
	local end=$((SECONDS + $2))

	until grep -q -- "$1" "$out" 2> /dev/null; do
		[ $SECONDS -ge $end ] && return 1
		kill -0 "$pid" 2> /dev/null || return 1
		sleep 1
	done
}

"$shell" "$@" < "$work/in" > "$out" 2>&1 &
pid=$!
exec 3> "$work/in"
trap 'kill $pid 2> /dev/null; exec 3>&-; rm -rf "$work"' EXIT

wait_for "Leave the shell" 900
ok $? "the guest boots with nfhook and the namespaces, and says how to leave"
# The shell's prompt comes after the banner.
sleep 3
echo 'ip netns exec client ping -c 2 -W 5 10.0.2.2 > /dev/null && echo PING-$((40 + 2))' >&3
wait_for "PING-42" 60
ok $? "client pings server through the router"
echo 'nfhookctl -N router rule add ipv4 forward proto icmp drop > /dev/null; ip netns exec client ping -c 1 -W 2 10.0.2.2 > /dev/null || echo DROPPED-$((6 * 7))' >&3
wait_for "DROPPED-42" 60
ok $? "a drop rule on the router's forward hook stops the ping"
echo 'echo RULES-$(nfhookctl -N router -j rule list | jq ".[0].packets")' >&3
wait_for "RULES-1" 60
ok $? "the rule counted the dropped echo request"
# The labs: make in /root, where the shell starts; lab 2 set up, its
# checker says it is not solved, with one reason.
echo 'make -s lab LAB=2 > /dev/null; make -s lab-check LAB=2 > /tmp/lc 2>&1; echo LABCHECK-$?-$(grep -c "not yet:" /tmp/lc)-$(grep -c "^lab 2: not solved" /tmp/lc)' >&3
wait_for "LABCHECK-2-1-1" 120
ok $? "make lab LAB=2 sets a lab up; make lab-check LAB=2 says it is not solved, and why"
echo 'exit' >&3
exec 3>&-
end=$((SECONDS + 120))
while kill -0 "$pid" 2> /dev/null && [ $SECONDS -lt $end ]; do
	sleep 1
done
! kill -0 "$pid" 2> /dev/null
ok $? "leaving the shell powers the guest off"
wait "$pid" 2> /dev/null
if [ $failed = 1 ]; then
	echo "# console:"
	tr -d '\r' < "$out" | grep -v '^\[ *[0-9]' | tail -n 40 | sed 's/^/# /'
fi
exit $failed
