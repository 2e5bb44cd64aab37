#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The labs' checkers tested, in one guest (tests/labs/check.sh boots it):
# for each lab, "lab start N", then "lab check N" must fail and say why
# (a "not yet:" line), then the reference solution tests/labs/solutions/N.sh
# is applied and "lab check N" must pass.  TAP lines on the console.
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
for lab in "$@"; do
	out=$(lab start "$lab" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	ok $rc "lab $lab: set up"
	[ $rc = 0 ] || continue

	out=$(lab check "$lab" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	reason=$(grep -m 1 'not yet:' <<< "$out" | sed 's/^ *not yet: //')
	[ $rc = 1 ] && [ -n "$reason" ]
	ok $? "lab $lab: the checker fails before the exercise is done: $reason"

	out=$("$labs/solutions/$lab.sh" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	ok $rc "lab $lab: the reference solution applies"

	out=$(lab check "$lab" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	ok $rc "lab $lab: the checker passes after the reference solution"
done
for ns in client router server; do
	for pid in $(ip netns pids "$ns" 2> /dev/null); do
		kill "$pid" 2> /dev/null
	done
	ip netns del "$ns" 2> /dev/null
done
exit $failed
