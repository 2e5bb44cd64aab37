#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and random generic netlink messages (tests/tools/nlfuzz, which
# predicts every answer: see its header): a few thousand messages per seed
# as root, in a namespace of their own, then again as an unprivileged user
# (every command, reads and dumps included, must fail with EPERM once past
# the core's header checks, with no data and no nfhook message, and joining
# the events group must fail with EPERM).  The kernel must answer every
# message and stay silent on the console (the harness fails any splat);
# afterwards the module must still work: add, list and delete a rule.  The
# seeds are printed, so a failure can be replayed with
#   nlfuzz -s SEED -n COUNT [-u]

. "$(dirname "$0")/lib/lib.sh"

COUNT=${NLFUZZ_COUNT:-5000}
SEEDS=(${NLFUZZ_SEEDS:-1 20240611 $RANDOM$RANDOM})

command -v nlfuzz > /dev/null || skip "nlfuzz not in the guest (tests/tools)"

ns=nfh-$uniq-fuzz
ns_add "$ns"

for seed in "${SEEDS[@]}"; do
	in_ns "$ns" nlfuzz -s "$seed" -n "$COUNT" ||
		fail "nlfuzz seed $seed (root): answers differ from the prediction"
done

nobody_init
in_ns "$ns" "${nobody[@]}" nlfuzz -u -s "${SEEDS[0]}" -n "$COUNT" ||
	fail "nlfuzz seed ${SEEDS[0]} (unprivileged): answers differ from the prediction"

# The fuzzing left nothing behind, and the module still works.
expect_eq "rules left after the fuzzing" 0 \
	"$(in_ns "$ns" nfhookctl -j info | jq -r .rule_count)"
id=$(rule_add "$ns" ipv4 input proto tcp dport 22 accept comment after-fuzz)
n=$(in_ns "$ns" nfhookctl -j rule list | jq --argjson id "$id" '[.[] | select(.id == $id and .comment == "after-fuzz")] | length')
expect_eq "the rule added after the fuzzing is listed" 1 "$n"
in_ns "$ns" nfhookctl rule del "$id"
expect_eq "rules after deleting it" 0 "$(in_ns "$ns" nfhookctl -j info | jq -r .rule_count)"
# The initial namespace was never touched.
expect_eq "rules in the initial namespace" 0 "$(nfhookctl -j info | jq -r .rule_count)"
