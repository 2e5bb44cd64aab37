#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates docs/pipeline.md from docs/gen/pipeline.md.in and the real
# output of `nfhookctl pipeline` and `nfhookctl trace` on Debian's stock
# kernel (`make docs`).
#
#   docs/gen/pipeline.sh [--log FILE] [--from-log FILE]
#
#   --log FILE		keep the guest's console log in FILE
#   --from-log FILE	no guest: take the captures from a console log kept
#			before (to change the template without booting)
#
# docs/gen/pipeline-capture.sh runs in a throwaway guest (tests/vm.sh
# --kernel stock, half a minute under TCG) and prints each capture between
# "NFHOOK-DOC-BEGIN NAME" and "NFHOOK-DOC-END NAME", every line of it
# prefixed with "| ".  In the template, a line that is exactly @@NAME@@
# becomes capture NAME; @@KERNEL@@ and @@DATE@@ anywhere become the guest's
# kernel release and the day of the capture.  A placeholder without a
# capture is an error: nothing is written then.  Root, as tests/vm.sh.

set -e -o pipefail

gen=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$gen/../.." && pwd)
template=$gen/pipeline.md.in
out=$top/docs/pipeline.md

usage()
{
	sed -n '7,11s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

die()
{
	echo "docs/gen/pipeline.sh: $*" >&2
	exit 1
}

keep='' from=''
while [ $# -gt 0 ]; do
	case $1 in
	--log) keep=${2:?--log needs a file}; shift ;;
	--from-log) from=${2:?--from-log needs a file}; shift ;;
	-h|--help) usage ;;
	*) echo "docs/gen/pipeline.sh: unknown argument $1" >&2; usage ;;
	esac
	shift
done

work=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -n "$from" ]; then
	[ -r "$from" ] || die "cannot read $from"
	log=$from
	day=$(date -u -r "$from" +%Y-%m-%d)
else
	# The guest takes its iptables-legacy from this machine; without it the
	# listing would lack the iptables table the page talks about.
	[ -x /usr/sbin/iptables-legacy ] ||
		die "no /usr/sbin/iptables-legacy: apt-get install iptables"
	log=${keep:-$work/console.log}
	day=$(date -u +%Y-%m-%d)
	if ! "$top/tests/vm.sh" --kernel stock --quiet --timeout 600 --log "$log" \
		"$gen/pipeline-capture.sh"; then
		die "the capture failed in the guest (console: ${keep:-run with --log FILE to keep it})"
	fi
fi

# The captures, one file each in $work/blocks; lines without the "| "
# prefix (anything else on the console) are not theirs.
mkdir "$work/blocks"
tr -d '\r' < "$log" | awk -v dir="$work/blocks" '
	/^NFHOOK-DOC-BEGIN / { f = dir "/" $2; printf "" > f; inside = 1; next }
	/^NFHOOK-DOC-END / { if (inside) close(f); inside = 0; next }
	inside && /^\|( |$)/ { line = substr($0, 3); sub(/[ \t]+$/, "", line); print line > f }'
[ -s "$work/blocks/KERNEL" ] || die "no captures in the console log $log"
kernel=$(cat "$work/blocks/KERNEL")

awk -v dir="$work/blocks" -v kernel="$kernel" -v day="$day" '
	/^@@[A-Z0-9_]+@@$/ {
		name = substr($0, 3, length($0) - 4)
		f = dir "/" name
		if ((getline line < f) <= 0) {
			print "docs/gen/pipeline.sh: no capture " name " for line " NR " of the template" > "/dev/stderr"
			bad = 1
			exit 1
		}
		print line
		while ((getline line < f) > 0)
			print line
		close(f)
		next
	}
	{
		gsub(/@@KERNEL@@/, kernel)
		gsub(/@@DATE@@/, day)
		if ($0 ~ /@@[A-Z0-9_]+@@/) {
			print "docs/gen/pipeline.sh: unknown placeholder on line " NR " of the template: " $0 > "/dev/stderr"
			bad = 1
			exit 1
		}
		print
	}
	END { exit bad }' "$template" > "$work/pipeline.md" ||
	die "docs/pipeline.md not written"
mv "$work/pipeline.md" "$out"
echo "docs/pipeline.md: written from the captures on $kernel ($day)"
