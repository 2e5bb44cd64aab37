#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh USERLAND_DIR: nfhookctl's layering, checked on its objects and
# headers (make -C USERLAND_DIR builds them first).
#
#  - no two objects use each other's symbols (parse.o and format.o once
#    did): the parts form layers, not a knot;
#  - names.o (the name tables) and util.o (nfh_fail) use no other part,
#    and parse.o defines neither;
#  - every .c but the main program has its own header, and no header
#    stands for several .c files (the old nfhookctl.h);
#  - the output macros carry the project prefix (NFH_PRINT_*);
#  - userland/, tests/unit/ and tests/tools/ take the version, libmnl's
#    flags and the warnings from one fragment, userland/config.mk.
set -u
dir=${1:-../../userland}
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - layers: $1"
	else
		echo "not ok $n - layers: $1"
		printf '#   %s\n' "$2"
		failed=$((failed + 1))
	fi
}

objs=()
for c in "$dir"/*.c; do
	o=${c%.c}.o
	if [ ! -f "$o" ] || [ "$o" -ot "$c" ]; then
		echo "not ok - layers: $o missing or older than $c (make -C $dir first)"
		exit 1
	fi
	objs+=("$o")
done

# defs[o]: the global symbols o defines; uses[o]: those it needs.
declare -A defs uses
for o in "${objs[@]}"; do
	defs[$o]=" $(nm --defined-only -g "$o" | awk '{print $3}' | tr '\n' ' ') "
	uses[$o]=" $(nm -u "$o" | awk '{print $2}' | tr '\n' ' ') "
done

# deps O: the objects O takes symbols from.
deps() {
	local o=$1 p s out=""
	for p in "${objs[@]}"; do
		[ "$p" = "$o" ] && continue
		for s in ${uses[$o]}; do
			if [[ ${defs[$p]} == *" $s "* ]]; then
				out="$out $(basename "$p")"
				break
			fi
		done
	done
	echo "$out"
}

declare -A dep
for o in "${objs[@]}"; do
	dep[$(basename "$o")]=$(deps "$o")
done

cycles=""
for a in "${!dep[@]}"; do
	for b in ${dep[$a]}; do
		[[ " ${dep[$b]} " == *" $a "* ]] && [[ $a < $b ]] &&
			cycles="$cycles $a<->$b"
	done
done
ok "no two parts call each other" "${cycles:+mutual use:$cycles}"
for o in names.o util.o; do
	if [ -z "${dep[$o]+set}" ]; then
		ok "$o uses no other part" "there is no $o"
	else
		ok "$o uses no other part" "${dep[$o]:+$o uses${dep[$o]}}"
	fi
done

moved=""
for s in nfh_fail nfh_family_name nfh_hook_name nfh_action_name \
	 nfh_proto_name nfh_icmp_type_name nfh_prio_names nfh_tcp_flag_names; do
	[[ ${defs[$dir/parse.o]} == *" $s "* ]] && moved="$moved $s"
done
ok "nfh_fail and the name tables are not in parse.c" \
	"${moved:+parse.o defines$moved}"

missing=""
for c in "$dir"/*.c; do
	b=$(basename "$c" .c)
	[ "$b" = nfhookctl ] && continue
	[ -f "$dir/$b.h" ] || missing="$missing $b.c"
done
ok "every part has its own header" "${missing:+no header for:$missing}"

extra=""
for h in "$dir"/*.h; do
	b=$(basename "$h" .h)
	[ -f "$dir/$b.c" ] || extra="$extra $b.h"
done
ok "every header belongs to one part" "${extra:+headers without a .c:$extra}"

shared=""
[ -e "$dir/nfhookctl.h" ] && shared="$dir/nfhookctl.h exists"
ok "no header shared by every part" "$shared"

bad=$(grep -nE '(^|[^_A-Z])PRINT_(FP|JSON|ANY)\b' "$dir"/*.[ch] | head -3)
ok "output macros are NFH_PRINT_*" "$bad"

# One make fragment for the version, libmnl and the warnings.
repeat=""
for m in "$dir/Makefile" "$dir/../tests/unit/Makefile" "$dir/../tests/tools/Makefile"; do
	[ -f "$m" ] || continue
	grep -q '^include .*config\.mk' "$m" || repeat="$repeat $m (no config.mk)"
	grep -q -e '--libs libmnl' -e 'PACKAGE_VERSION="' "$m" &&
		repeat="$repeat $m (repeats the block)"
done
ok "the Makefiles share userland/config.mk" "$repeat"

echo "# layers: $n cases, $failed failed"
[ $failed -eq 0 ]
