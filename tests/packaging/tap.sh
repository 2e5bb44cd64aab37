# SPDX-License-Identifier: GPL-2.0
#
# TAP-style results for the packaging tests, sourced by test-packaging.sh,
# test-guest.sh and guest-service.sh (which the guest gets next to it:
# GUEST_FILES in test-guest.sh).  tests/check.sh reads the lines:
#
#	ok N description
#	ok N description # SKIP reason
#	not ok N description
#	# why, or what it printed
#
#   ok DESC			a passed check
#   not_ok DESC			a failed one
#   tap_skip DESC REASON	one that could not run here
#   tap_check DESC CMD...	CMD (a function or program) decides, run in a
#				subshell with set -e; its output is shown,
#				"# "-prefixed, only if it fails.  Returns CMD's
#				status.  Called where its status is tested
#				(if, &&, ||), bash ignores set -e inside CMD:
#				test $? on the next line instead.
#   tap_end NAME		"# NAME: P passed, F failed, S skipped";
#				returns 1 if anything failed
#
# tap_n, tap_failed and tap_skipped count the checks so far.

tap_n=0
tap_failed=0
tap_skipped=0
# Lines of a failed check's output shown (its end).
TAP_TAIL=${TAP_TAIL:-40}

ok()
{
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
}

not_ok()
{
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n $*"
}

tap_skip()
{
	tap_n=$((tap_n + 1))
	tap_skipped=$((tap_skipped + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

tap_check()
{
	local desc=$1 out rc
	shift

	out=$( (set -e; "$@") 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc"
		[ -n "$out" ] && printf '%s\n' "$out" | tail -n "$TAP_TAIL" | sed 's/^/# /'
	fi
	return $rc
}

tap_end()
{
	echo "# $1: $((tap_n - tap_failed - tap_skipped)) passed, $tap_failed failed, $tap_skipped skipped"
	[ $tap_failed -eq 0 ]
}
