#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 3, a wrong solution: every large packet to the server dropped by
# length, which blocks the big datagrams to port 5001 as well.
# expect: datagram to UDP port 5001 did not arrive
set -e
nfhookctl -N router rule add ipv4 forward proto udp daddr 10.0.2.2 len 1000-65535 drop > /dev/null
