#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The labs' checkers tested, in one guest (tests/labs/check.sh boots it).
# For each lab (lab 1 once for each place its drop can hide): "lab start
# N", then "lab check N" must fail and say why (a "not yet:" line), then
# the reference solution tests/labs/solutions/N.sh is applied and "lab
# check N" must pass; then each wrong solution tests/labs/wrong/N-*.sh
# must leave it failing, for the reason its "# expect:" line names.  TAP
# lines on the console.
#
#	/nfhook/labs/run.sh [N...]	(default: every lab)

labs=/nfhook/labs
export PATH=$labs:$PATH
export LAB1_ANSWER=/tmp/lab1.txt
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

if [ $# = 0 ]; then
	set -- $(cd "$labs" && ls [0-9]*.sh | sed 's/\.sh$//' | sort -n)
fi
# solve LAB WHAT: set up, the checker must fail with a reason, the
# reference solution, the checker must pass.
solve()
{
	local lab=$1 what=$2 out rc reason

	out=$(lab start "$lab" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	ok $rc "lab $what: set up"
	[ $rc = 0 ] || return

	out=$(lab check "$lab" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	reason=$(grep -m 1 'not yet:' <<< "$out" | sed 's/^ *not yet: //')
	[ $rc = 1 ] && [ -n "$reason" ]
	ok $? "lab $what: the checker fails before the exercise is done: $reason"

	out=$("$labs/solutions/$lab.sh" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	ok $rc "lab $what: the reference solution applies"

	out=$(lab check "$lab" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	ok $rc "lab $what: the checker passes after the reference solution"
}

for lab in "$@"; do
	if [ "$lab" = 1 ]; then
		# Each of the four places the drop can hide.
		for v in 1 2 3 4; do
			export LAB1_VARIANT=$v
			solve 1 "1 (variant $v)"
		done
	else
		solve "$lab" "$lab"
	fi

	# Wrong solutions: each must leave the checker failing, for the
	# reason its "# expect:" line names.
	for wrong in "$labs/wrong/$lab"-*.sh; do
		[ -f "$wrong" ] || continue
		name=$(basename "$wrong" .sh)
		expect=$(sed -n 's/^# expect: //p' "$wrong")
		lab start "$lab" > /dev/null 2>&1 || { ok 1 "lab $lab: set up for $name"; continue; }
		out=$("$wrong" 2>&1)
		rc=$?
		echo "$out" | sed 's/^/# /'
		out=$(lab check "$lab" 2>&1)
		echo "$out" | sed 's/^/# /'
		[ $rc = 0 ] && ! grep -q "^lab $lab: solved" <<< "$out" &&
			grep 'not yet:' <<< "$out" | grep -qF -- "$expect"
		ok $? "lab $lab: the checker refuses the wrong solution $name: $expect"
	done
done
for ns in client router server; do
	for pid in $(ip netns pids "$ns" 2> /dev/null); do
		kill "$pid" 2> /dev/null
	done
	ip netns del "$ns" 2> /dev/null
done
exit $failed
