#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tree hygiene.  The git index holds sources only: fails if a tracked file
#   - is one that .gitignore says the build makes (git ls-files -ci), or
#   - is a compiled object: ELF (programs, .o, .ko, .so) or an ar archive,
#     whatever its name.
# Such a file shadows its source: a checkout runs the committed binary
# until something rebuilds it.  And the test layout the harness relies on:
#   - every tests/integration/*.sh is a scenario (it sources lib/lib.sh):
#     tests/lib/guest.sh runs each of them, so a library there would run as
#     one (the libraries live in tests/integration/lib/);
#   - the packaging tests share tests/packaging/tap.sh: no other script
#     there defines its own ok or not_ok.
#
#   tests/spec/check-tree.sh [TOP]	TOP: the work tree (default: this one)
#
# Prints "ok N tree: ..." or "not ok N tree: ..." (with "# " lines naming
# the files) and exits 1 if either check failed.  Outside a git work tree
# (an unpacked tarball) there is no index to check: one skipped line.

top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
n=0
failed=0

result()
{
	local bad=$1 what=$2

	n=$((n + 1))
	if [ -z "$bad" ]; then
		echo "ok $n tree: $what"
	else
		failed=$((failed + 1))
		echo "not ok $n tree: $what"
		sed 's/^/# /' <<< "$bad"
	fi
}

if ! git -C "$top" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	echo "ok 1 tree: no tracked build products # SKIP $top is not a git work tree"
	exit 0
fi
cd "$top" || exit 1

ignored=$(git ls-files -ci --exclude-standard)
result "$ignored" "no tracked file is one .gitignore lists as a build product"

# The index's copy of each file, not the work tree's: that is what a clone
# gets.  Only the first bytes of each blob are read.
binaries=$(git ls-files -s | while read -r _ blob _ path; do
		magic=$(git cat-file blob "$blob" | head -c 8 | od -An -c | tr -d ' \n')
		case $magic in
		177ELF*) echo "$path (ELF)" ;;
		'!<arch>'*) echo "$path (ar archive)" ;;
		esac
	done)
result "$binaries" "no tracked file is a compiled object (ELF, ar archive)"

not_scenarios=$(for f in tests/integration/*.sh; do
		[ -f "$f" ] || continue
		grep -q '^\. "$(dirname "$0")/lib/lib.sh"$' "$f" || echo "$f"
	done)
result "$not_scenarios" "every tests/integration/*.sh is a scenario (sources lib/lib.sh)"

tap_copies=$(grep -lE '^[[:space:]]*(ok|not_ok)[[:space:]]*\(\)' tests/packaging/*.sh |
	     grep -v '^tests/packaging/tap\.sh$')
result "$tap_copies" "the packaging tests use tests/packaging/tap.sh, no copy of their own"

# The module's layers (docs/testing.md): each file small enough to hold one
# thing, and the data structures and the packet path free of netlink.
long=$(wc -l module/*.[ch] | awk '$2 != "total" && $1 > 600 { print $2 " (" $1 " lines)" }')
result "$long" "no module/*.[ch] file is over 600 lines"
netlink_users=$(grep -lE 'genl_|nla_(put|get|parse)|netlink_ext_ack' \
		module/hook.c module/match.c module/table.c module/rule.c \
		module/ruleset.c module/txn.c module/pipeline.c 2> /dev/null)
result "$netlink_users" "hooks, matching, tables, rules, rulesets, transactions and the pipeline reader know nothing of netlink"

[ $failed -eq 0 ]
