#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module driven by the kernel's own generic netlink client, ynl
# (tools/net/ynl), through docs/nfhook.yaml: the spec is a second client,
# independent of nfhookctl, so the spec, the UAPI header and the module must
# all agree for this to pass.
#
# The guest has the ynl of every kernel of the matrix that ships one
# (/nfhook/ynl/SERIES: 6.12, 7.2), each laid out like a kernel tree with
# the spec installed among its own specs, so that ynl validates it against
# that kernel's default schema, as docs/netlink.md tells a user to run it.
#
# With each ynl: the spec loads with its default schema, and with
# --no-schema; the answer is the module's.  Then with the oldest (6.12): a
# fresh namespace's info-get against the loaded module's version and
# nfhookctl's info; rule-add, whose reply must be the rule as stored; a
# rule-get dump, that must hold exactly that rule, as nfhookctl lists it;
# real traffic the rule drops, and counters that moved by exactly that; a
# dump with reset; rejections (extack message and offending attribute) that
# leave nothing behind; rule-del.
#
# The guest gets python and ynl for scenarios carrying this line
# (tests/lib/guest.sh, tests/lib/ynl.sh):
# nfhook-guest: python

. "$(dirname "$0")/lib/lib.sh"

command -v python3 > /dev/null || skip "no python3 in the guest (see tests/lib/ynl.sh)"
# The ynl trees, oldest kernel first.
mapfile -t trees < <(ls -d /nfhook/ynl/*/ 2> /dev/null | sed 's:/$::' | sort -V)
[ ${#trees[@]} -gt 0 ] || skip "no ynl (/nfhook/ynl/SERIES) in the guest (see tests/lib/ynl.sh)"
[ -f /nfhook/spec/nfhook.yaml ] || skip "no spec (/nfhook/spec/nfhook.yaml) in the guest"

# cli_of TREE: ynl's client in the kernel tree TREE (in pyynl/ in newer
# trees than 6.12).
cli_of()
{
	local f

	for f in "$1/tools/net/ynl/pyynl/cli.py" "$1/tools/net/ynl/cli.py"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	fail "no tools/net/ynl/cli.py in $1"
}

# ynl NS ARGS...: the oldest kernel's cli.py in NS, its answer as one line
# of JSON; the in-tree spec, validated against that tree's default schema
# (no --schema, no --no-schema): the commands of docs/netlink.md, as a user
# runs them.  ynl_fast: the same with --no-schema, for the checks between
# them: validating costs each run a few seconds under TCG, and the spec is
# the same.
KSRC=${trees[0]}
ynl_cli=$(cli_of "$KSRC")
ynl_spec=$KSRC/Documentation/netlink/specs/nfhook.yaml
ynl()
{
	local ns=$1
	shift
	in_ns "$ns" python3 "$ynl_cli" --spec "$ynl_spec" --output-json "$@"
}

ynl_fast()
{
	ynl "$@" --no-schema
}

# same WHAT EXPECTED ACTUAL: two JSON documents must be equal (jq compares
# objects member by member, whatever their order).
same()
{
	local what=$1 want=$2 got=$3

	jq -en --argjson a "$want" --argjson b "$got" '$a == $b' > /dev/null ||
		fail "$what: expected $(jq -c . <<< "$want"), got $(jq -c . <<< "$got")"
	say "$what = $(jq -c . <<< "$got")"
}

topo_three

# --- the spec in every ynl, with and without its schema ---------------------

ko_version=$(tr '\0' '\n' < "${NFHOOK_KO:-/nfhook/nfhook.ko}" | sed -n 's/^version=//p')
[ -n "$ko_version" ] || fail "nfhook.ko has no version in its .modinfo"
for tree in "${trees[@]}"; do
	k=$(basename "$tree")
	cli=$(cli_of "$tree")
	spec=$tree/Documentation/netlink/specs/nfhook.yaml
	proto=$(sed -n 's/^protocol: *//p' "$spec")
	[ -f "$tree/Documentation/netlink/$proto.yaml" ] ||
		fail "$k: no default schema Documentation/netlink/$proto.yaml for protocol '$proto'"
	# The default schema, as docs/netlink.md shows it.
	info=$(in_ns "$ns_server" python3 "$cli" --spec "$spec" --output-json --do info-get)
	expect_eq "$k ynl, default schema ($proto.yaml): info-get version" "$ko_version" \
		"$(jq -r .version <<< "$info")"
	[ "$tree" != "$KSRC" ] || first_info=$info
	# The spec outside any kernel tree, not validated.
	same "$k ynl, --no-schema: info-get" "$info" \
		"$(in_ns "$ns_server" python3 "$cli" --spec /nfhook/spec/nfhook.yaml \
			--no-schema --output-json --do info-get)"
	# The schema named, as for a spec outside the tree (the oldest ynl).
	[ "$tree" != "$KSRC" ] ||
		same "$k ynl, --schema genetlink-legacy.yaml: info-get" "$info" \
			"$(in_ns "$ns_server" python3 "$cli" --spec /nfhook/spec/nfhook.yaml \
				--schema "$tree/Documentation/netlink/genetlink-legacy.yaml" \
				--output-json --do info-get)"
	# The validation is real (jsonschema is in the guest): the plain
	# genetlink schema refuses the protocol, so the default run above was
	# checked against its own.  Once: each run with a schema costs seconds.
	if [ "$tree" = "$KSRC" ]; then
		expect_fail "$k ynl, the plain genetlink schema" \
			in_ns "$ns_server" python3 "$cli" --spec "$spec" \
			--schema "$tree/Documentation/netlink/genetlink.yaml" --do info-get
		[[ $out == *"'$proto' is not one of ['genetlink']"* ]] ||
			fail "$k ynl, genetlink schema: expected a validation error on the protocol, got: $out"
	fi
	# Newer clients also find an in-tree spec by its name.
	if grep -q -- "'--family'" "$cli"; then
		same "$k ynl, --family nfhook: info-get" "$info" \
			"$(in_ns "$ns_server" python3 "$cli" --family nfhook --output-json --do info-get)"
	fi
done

# --- info-get (the oldest ynl's, above) ---------------------------------------

info=$first_info
ctl=$(in_ns "$ns_server" nfhookctl -j info)
expect_eq "info-get version (the module file's)" "$ko_version" "$(jq -r .version <<< "$info")"
expect_eq "info-get version (the loaded module's)" "$(cat /sys/module/nfhook/version)" \
	"$(jq -r .version <<< "$info")"
expect_eq "info-get version (nfhookctl info's)" "$(jq -r .version <<< "$ctl")" \
	"$(jq -r .version <<< "$info")"
expect_eq "info-get max-rules" "$(jq -r .max_rules <<< "$ctl")" "$(jq -r '.["max-rules"]' <<< "$info")"
expect_eq "info-get max-rules (module parameter)" "$(cat /sys/module/nfhook/parameters/max_rules)" \
	"$(jq -r '.["max-rules"]' <<< "$info")"
expect_eq "info-get default-priority" "$(cat /sys/module/nfhook/parameters/priority)" \
	"$(jq -r '.["default-priority"]' <<< "$info")"
expect_eq "info-get rule-count in a fresh namespace" 0 "$(jq -r '.["rule-count"]' <<< "$info")"

# --- rule-add ----------------------------------------------------------------

sent='{"family": 2, "hook": 1, "action": "drop", "l4proto": 1, "comment": "ynl"}'
reply=$(ynl "$ns_server" --do rule-add --json "{\"rule\": $sent}")
id=$(jq -er '.rule.id' <<< "$reply") || fail "rule-add: no id in the reply: $reply"
[[ $id =~ ^[1-9][0-9]*$ ]] || fail "rule-add: id $id is not a positive integer"
say "rule-add: id $id"
# What the kernel stored: what was sent, plus its id, its place (first on
# its hook) and zero counters; nothing more, nothing less.
stored=$(jq -c --argjson id "$id" \
	'. + {id: $id, index: 0, counters: {packets: 0, bytes: 0}}' <<< "$sent")
same "rule-add reply" "{\"rule\": $stored}" "$reply"

# --- rule-get dump -------------------------------------------------------------

dump=$(ynl "$ns_server" --dump rule-get)
same "rule-get dump" "[{\"rule\": $stored}]" "$dump"
# A dump filtered to the rule's hook has it; one of another hook does not.
same "rule-get dump of ipv4 input" "[{\"rule\": $stored}]" \
	"$(ynl_fast "$ns_server" --dump rule-get --json '{"family": 2, "hook": 1}')"
same "rule-get dump of ipv4 output" "[]" \
	"$(ynl_fast "$ns_server" --dump rule-get --json '{"family": 2, "hook": 3}')"
# nfhookctl, the other client, sees the same rule.
list=$(in_ns "$ns_server" nfhookctl -j rule list)
same "nfhookctl rule list" \
	"[{\"id\": $id, \"family\": \"ipv4\", \"hook\": \"input\", \"index\": 0,
	   \"packets\": 0, \"bytes\": 0, \"proto\": 1, \"action\": \"drop\",
	   \"comment\": \"ynl\"}]" "$list"
expect_eq "info-get rule-count after the add" 1 \
	"$(ynl_fast "$ns_server" --do info-get | jq -r '.["rule-count"]')"

# --- traffic ---------------------------------------------------------------------

# Three echo requests reach the server's ipv4 input, where the rule drops
# them: 3 packets of 84 bytes (20 IP + 8 ICMP + 56 data), and no reply.
N=3
ping_fails "$ns_client" "$server4" $N
counted=$(jq -c --argjson n $N '.counters = {packets: $n, bytes: ($n * 84)}' <<< "$stored")
same "rule-get dump after $N pings" "[{\"rule\": $counted}]" \
	"$(ynl_fast "$ns_server" --dump rule-get)"
list=$(in_ns "$ns_server" nfhookctl -j rule list)
expect_eq "nfhookctl rule list: packets" $N "$(jq -r '.[0].packets' <<< "$list")"
expect_eq "nfhookctl rule list: bytes" $((N * 84)) "$(jq -r '.[0].bytes' <<< "$list")"

# A dump with reset returns what it cleared; the next one starts from 0.
same "rule-get dump of ipv4 input with reset" "[{\"rule\": $counted}]" \
	"$(ynl "$ns_server" --dump rule-get --json '{"family": 2, "hook": 1, "reset": true}')"
same "rule-get dump after the reset" "[{\"rule\": $stored}]" \
	"$(ynl_fast "$ns_server" --dump rule-get)"

# --- rejections -------------------------------------------------------------------

# cli.py prints the netlink error with its extack, the offending attribute
# named by its path in the spec, and exits 1.
expect_fail "rule-add with src-prefix 33 for ipv4" \
	ynl_fast "$ns_server" --do rule-add --json \
	'{"rule": {"family": 2, "hook": 1, "action": "drop", "src-ipv4": 167772418, "src-prefix": 33}}'
[[ $out == *"Netlink error: Invalid argument"* ]] ||
	fail "src-prefix 33: expected EINVAL, got: $out"
[[ $out =~ \'msg\':\ \'nfhook:\ prefix\ length\ (33\ )?out\ of\ range\ for\ ipv4\ \(at\ most\ 32\)\' ]] ||
	fail "src-prefix 33: expected the extack message, got: $out"
[[ $out == *"'bad-attr': '.rule.src-prefix'"* ]] ||
	fail "src-prefix 33: expected bad-attr .rule.src-prefix, got: $out"

nobody_init
expect_fail "rule-add by an unprivileged user" \
	in_ns "$ns_server" "${nobody[@]}" python3 "$ynl_cli" --spec "$ynl_spec" --no-schema --do rule-add \
	--json '{"rule": {"family": 2, "hook": 1, "action": "accept"}}'
[[ $out == *"Netlink error: Operation not permitted"* ]] ||
	fail "unprivileged rule-add: expected EPERM, got: $out"

same "rule-get dump after the rejections" "[{\"rule\": $stored}]" \
	"$(ynl_fast "$ns_server" --dump rule-get)"
# The other namespaces, and the initial one, were never touched.
for ns in "$ns_client" "$ns_router"; do
	same "rule-get dump in ${ns#nfh-"$uniq"-}" "[]" \
		"$(ynl_fast "$ns" --dump rule-get)"
done
expect_eq "rules in the initial namespace" 0 "$(nfhookctl -j info | jq -r .rule_count)"

# --- rule-del ---------------------------------------------------------------------

same "rule-del reply" "null" \
	"$(ynl "$ns_server" --do rule-del --json "{\"rule\": {\"id\": $id}}")"
same "rule-get dump after the rule-del" "[]" "$(ynl_fast "$ns_server" --dump rule-get)"
expect_eq "rules in the server's namespace after the rule-del" 0 \
	"$(in_ns "$ns_server" nfhookctl -j info | jq -r .rule_count)"
