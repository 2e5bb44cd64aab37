# SPDX-License-Identifier: GPL-2.0
# title: before or after DNAT: the same rule, two meanings (docs/labs/2-dnat.md)
#
# The router publishes the server as a virtual address, VIP 10.0.9.9
# (nftables DNAT at prerouting, priority dstnat, -100).  nfhook's prerouting
# hook on the router runs at priority filter (0), after DNAT, with count
# rules for both addresses and "daddr 10.0.2.2 proto icmp drop" meant to
# stop clients from using the server's real address.  After DNAT every
# packet has the real address: the VIP is dropped too.  Solved when a ping
# to the VIP is answered, a ping to 10.0.2.2 is not, and the direct ping
# was dropped by an nfhook rule of the router.

vip=10.0.9.9 server=10.0.2.2

setup()
{
	at router nft -f - <<-EOF || return 1
	table ip lab2nat {
		chain pre { type nat hook prerouting priority dstnat; ip daddr $vip dnat to $server; }
	}
	EOF
	at router nfhookctl restore - <<-EOF || return 1
	hook ipv4 prerouting priority filter policy accept enable
	rule ipv4 prerouting daddr $vip proto icmp count comment "to-vip"
	rule ipv4 prerouting daddr $server proto icmp count comment "to-server"
	rule ipv4 prerouting daddr $server proto icmp drop comment "no-direct"
	EOF
}

# router_drops: packets dropped by nfhook rules on the router, all hooks.
router_drops()
{
	at router nfhookctl -j hook list |
		jq '[.[].rule_dropped_packets] | add'
}

check()
{
	local prio before after

	prio=$(at router nfhookctl -j hook list ipv4 prerouting | jq '.[0].priority')
	if ping1 client $vip; then
		ok "a ping to the VIP $vip is answered"
	elif [ "$prio" -gt -100 ]; then
		miss "a ping to the VIP $vip gets no answer: nfhook's IPv4 prerouting hook on the router runs at priority $prio, after DNAT (dstnat, -100), so it sees every VIP packet with daddr $server already"
	else
		miss "a ping to the VIP $vip gets no answer (nfhook's prerouting hook is at $prio, before DNAT; what else drops it? nfhookctl -N router rule list, nft list ruleset)"
	fi
	before=$(router_drops)
	if ping1 client $server; then
		miss "a ping straight to $server is answered: clients must use the VIP; the router must drop what is sent to $server itself"
		return
	fi
	after=$(router_drops)
	if [ "$after" -gt "$before" ]; then
		ok "a ping straight to $server is dropped by an nfhook rule on the router"
	else
		miss "a ping straight to $server gets no answer, but no nfhook rule of the router dropped it (the drop must be nfhook's, on the router)"
	fi
}
