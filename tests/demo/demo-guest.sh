#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` shows, run inside the throwaway guest (tests/demo.sh):
# three namespaces, a rule that drops pings at the server, the counters.

. "$(dirname "$0")/lib/lib.sh"

step()
{
	echo
	echo "### $*"
	sleep 0.2
}

step "nfhook is loaded: one netfilter hook per family and hook point"
host nfhookctl info
host nfhookctl hook list

step "Three network namespaces: client -- router -- server"
topo_three

step "The client pings the server through the router"
client ping -c 3 -i 0.2 "$server4"

step "Drop ICMP arriving at the server (its ipv4 input hook)"
id=$(server nfhookctl rule add ipv4 input proto icmp drop comment no-ping)
echo "rule id: $id"
server nfhookctl rule list

step "Now the pings go unanswered"
client ping -c 3 -i 0.2 -W 1 "$server4" || echo "(no reply, as expected)"

step "The rule counted the three dropped requests; the hook counters agree"
server nfhookctl rule list
server nfhookctl hook list

step "IPv6 is untouched: the rule is on the ipv4 hook"
client ping -c 2 -i 0.2 "$server6"

step "Delete the rule: pings pass again"
server nfhookctl rule del "$id"
client ping -c 2 -i 0.2 "$server4"

step "Each namespace has its own rules: the router's forward hook"
router nfhookctl rule add ipv4 forward proto icmp count comment forwarded-pings > /dev/null
client ping -c 4 -i 0.2 "$server4" > /dev/null
router nfhookctl rule list
server nfhookctl rule list
