#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell, in the guest: the three namespaces of the scenarios, named
# client, router and server, left in place for the shell that follows.

. "$(dirname "$0")/lib/lib.sh"

ns_client=client ns_router=router ns_server=server
topo_three
# The namespaces are the user's now: no cleanup, no leftover check.
trap - EXIT

cat <<MSG

nfhook learning guest: $(uname -r), nfhook $(nfhookctl -j info | jq -r .version)
  client  c0 $client4  $client6
  router  r0 $router4_c  $router6_c  |  r1 $router4_s  $router6_s
  server  s0 $server4  $server6

Try:
  ip netns exec client ping -c 3 $server4
  nfhookctl -N router rule add ipv4 forward proto icmp count
  nfhookctl -N router hook list ipv4
  nfhookctl -N server rule add ipv6 input proto tcp dport 22 drop
  ip netns exec server socat TCP6-LISTEN:22,fork - &
  ip netns exec client socat - TCP6:[$server6]:22
  nfhookctl help; nfhookctl help rule
Labs (docs/labs/): make labs; make lab LAB=1; make lab-check LAB=1
Leave the shell (exit or Ctrl-D) to power the guest off.
MSG
