#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A namespace nobody configured costs nothing: nfhook's hooks are not
# registered there (hook list: "registered": false, state "idle") and count
# nothing, while traffic flows.  The first change registers every enabled
# hook at once, and only those; reads change nothing.

. "$(dirname "$0")/lib/lib.sh"

ns=nfh-$uniq-idle
ns_add "$ns"

# hooks_where JQ-FILTER: how many of the ten hooks pass the filter.
hooks_where()
{
	in_ns "$ns" nfhookctl -j hook list | jq "[.[] | select($1)] | length"
}

expect_eq "hooks registered in a fresh namespace" 0 "$(hooks_where .registered)"
expect_eq "hooks shown idle" 10 \
	"$(in_ns "$ns" nfhookctl hook list | grep -c ' idle ')"
in_ns "$ns" ping -c 2 -i 0.1 -q 127.0.0.1 > /dev/null
expect_eq "packets counted by idle hooks" 0 \
	"$(in_ns "$ns" nfhookctl -j hook list | jq '[.[].packets] | add')"
in_ns "$ns" nfhookctl info > /dev/null
in_ns "$ns" nfhookctl rule list > /dev/null
expect_eq "hooks registered after reads" 0 "$(hooks_where .registered)"

say "the first change registers every enabled hook"
in_ns "$ns" nfhookctl hook set ipv6 forward disable
expect_eq "hooks registered after the first change" 9 \
	"$(hooks_where .registered)"
expect_eq "the disabled hook" 0 \
	"$(hooks_where '.registered and .family == "ipv6" and .hook == "forward"')"
in_ns "$ns" ping -c 2 -i 0.1 -q 127.0.0.1 > /dev/null
# Over lo each echo request and reply passes ipv4 output once.
expect_eq "ipv4 output packets once registered" 4 \
	"$(in_ns "$ns" nfhookctl -j hook list ipv4 output | jq '.[0].packets')"
