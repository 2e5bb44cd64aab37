#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module driven by the kernel's own generic netlink client, ynl
# (tools/net/ynl/cli.py of linux-source-6.12), through docs/nfhook.yaml:
# the spec is a second client, independent of nfhookctl, so the spec, the
# UAPI header and the module must all agree for this to pass.
#
# In a fresh namespace: info-get against the loaded module's version and
# nfhookctl's info; rule-add, whose reply must be the rule as stored; a
# rule-get dump, that must hold exactly that rule, as nfhookctl lists it;
# real traffic the rule drops, and counters that moved by exactly that;
# a dump with reset; rejections (extack message and offending attribute)
# that leave nothing behind.
#
# The guest gets python and ynl for scenarios carrying this line
# (tests/lib/guest.sh, tests/lib/ynl.sh):
# nfhook-guest: python

. "$(dirname "$0")/lib/lib.sh"

ynl_cli=/nfhook/ynl/cli.py
spec=/nfhook/spec/nfhook.yaml
command -v python3 > /dev/null || skip "no python3 in the guest (see tests/lib/ynl.sh)"
[ -f "$ynl_cli" ] || skip "no ynl ($ynl_cli) in the guest (see tests/lib/ynl.sh)"
[ -f "$spec" ] || skip "no spec ($spec) in the guest"

# ynl NS ARGS...: cli.py in NS, its answer as one line of JSON.  The host
# validated the spec against the schema (tests/spec/check-spec.py); the
# guest has no jsonschema.
ynl()
{
	local ns=$1
	shift
	in_ns "$ns" python3 "$ynl_cli" --spec "$spec" --no-schema --output-json "$@"
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

# --- info-get --------------------------------------------------------------

info=$(ynl "$ns_server" --do info-get)
ctl=$(in_ns "$ns_server" nfhookctl -j info)
ko_version=$(tr '\0' '\n' < "${NFHOOK_KO:-/nfhook/nfhook.ko}" | sed -n 's/^version=//p')
[ -n "$ko_version" ] || fail "nfhook.ko has no version in its .modinfo"
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
	"$(ynl "$ns_server" --dump rule-get --json '{"family": 2, "hook": 1}')"
same "rule-get dump of ipv4 output" "[]" \
	"$(ynl "$ns_server" --dump rule-get --json '{"family": 2, "hook": 3}')"
# nfhookctl, the other client, sees the same rule.
list=$(in_ns "$ns_server" nfhookctl -j rule list)
same "nfhookctl rule list" \
	"[{\"id\": $id, \"family\": \"ipv4\", \"hook\": \"input\", \"index\": 0,
	   \"packets\": 0, \"bytes\": 0, \"proto\": 1, \"action\": \"drop\",
	   \"comment\": \"ynl\"}]" "$list"
expect_eq "info-get rule-count after the add" 1 \
	"$(ynl "$ns_server" --do info-get | jq -r '.["rule-count"]')"

# --- traffic ---------------------------------------------------------------------

# Three echo requests reach the server's ipv4 input, where the rule drops
# them: 3 packets of 84 bytes (20 IP + 8 ICMP + 56 data), and no reply.
N=3
ping_fails "$ns_client" "$server4" $N
counted=$(jq -c --argjson n $N '.counters = {packets: $n, bytes: ($n * 84)}' <<< "$stored")
same "rule-get dump after $N pings" "[{\"rule\": $counted}]" \
	"$(ynl "$ns_server" --dump rule-get)"
list=$(in_ns "$ns_server" nfhookctl -j rule list)
expect_eq "nfhookctl rule list: packets" $N "$(jq -r '.[0].packets' <<< "$list")"
expect_eq "nfhookctl rule list: bytes" $((N * 84)) "$(jq -r '.[0].bytes' <<< "$list")"

# A dump with reset returns what it cleared; the next one starts from 0.
same "rule-get dump with reset" "[{\"rule\": $counted}]" \
	"$(ynl "$ns_server" --dump rule-get --json '{"reset": true}')"
same "rule-get dump after the reset" "[{\"rule\": $stored}]" \
	"$(ynl "$ns_server" --dump rule-get)"

# --- rejections -------------------------------------------------------------------

# cli.py prints the netlink error with its extack, the offending attribute
# named by its path in the spec, and exits 1.
expect_fail "rule-add with src-prefix 33 for ipv4" \
	ynl "$ns_server" --do rule-add --json \
	'{"rule": {"family": 2, "hook": 1, "action": "drop", "src-ipv4": 167772418, "src-prefix": 33}}'
[[ $out == *"Netlink error: Invalid argument"* ]] ||
	fail "src-prefix 33: expected EINVAL, got: $out"
[[ $out =~ \'msg\':\ \'nfhook:\ prefix\ length\ (33\ )?out\ of\ range\ for\ ipv4\ \(at\ most\ 32\)\' ]] ||
	fail "src-prefix 33: expected the extack message, got: $out"
[[ $out == *"'bad-attr': '.rule.src-prefix'"* ]] ||
	fail "src-prefix 33: expected bad-attr .rule.src-prefix, got: $out"

# util-linux setpriv by its path: busybox nsenter would run its own applet.
expect_fail "rule-add by an unprivileged user" \
	in_ns "$ns_server" /usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups \
	python3 "$ynl_cli" --spec "$spec" --no-schema --do rule-add \
	--json '{"rule": {"family": 2, "hook": 1, "action": "accept"}}'
[[ $out == *"Netlink error: Operation not permitted"* ]] ||
	fail "unprivileged rule-add: expected EPERM, got: $out"

same "rule-get dump after the rejections" "[{\"rule\": $stored}]" \
	"$(ynl "$ns_server" --dump rule-get)"
# The other namespaces, and the initial one, were never touched.
for ns in "$ns_client" "$ns_router"; do
	same "rule-get dump in ${ns#nfh-"$uniq"-}" "[]" \
		"$(ynl "$ns" --dump rule-get)"
done
expect_eq "rules in the initial namespace" 0 "$(nfhookctl -j info | jq -r .rule_count)"
