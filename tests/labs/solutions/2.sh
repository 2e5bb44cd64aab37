#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 2, a reference solution: nfhook's prerouting hook moved before DNAT,
# where a packet to the VIP still has the VIP as its destination.
set -e
nfhookctl -N router hook set ipv4 prerouting priority dstnat-10
