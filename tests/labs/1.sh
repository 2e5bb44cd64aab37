# SPDX-License-Identifier: GPL-2.0
# title: where was my packet dropped? (docs/labs/1-trace.md)
#
# The client cannot connect to the server's web service (TCP port 80).  An
# nftables rule "tcp dport { 23, 80 } drop" hides in one base chain of one
# namespace, drawn at random from four places (LAB1_VARIANT=1..4 chooses),
# among chains and nfhook rules that only count.  Solved when port 80
# works, port 23 is still dropped (the rule was changed, not deleted), and
# the answer file names the namespace, the hook point and the chain
# (FAMILY/TABLE/CHAIN) where the packets were dropped.

server=10.0.2.2
lab1_answer=${LAB1_ANSWER:-/root/lab1.txt}

# variant N: "NAMESPACE HOOK FAMILY TABLE CHAIN PRIORITY" of the hidden drop.
variant()
{
	case $1 in
	1) echo "router forward inet corp fwd_guard 10" ;;
	2) echo "server input inet host in_guard -5" ;;
	3) echo "router prerouting ip edge pre_scrub -150" ;;
	4) echo "server prerouting ip host raw_guard -300" ;;
	esac
}

setup()
{
	local n=${LAB1_VARIANT:-$((RANDOM % 4 + 1))} ns hook fam table chain prio

	read -r ns hook fam table chain prio < <(variant "$n")
	[ -n "$ns" ] || { echo "lab 1: no variant $n" >&2; return 1; }
	echo "$ns $hook $fam/$table/$chain" > "$labs_state/1/where"

	echo_server server 80
	echo_server server 23
	wait_echo client $server 80 && wait_echo client $server 23 || return 1

	# Chains and rules that count and let everything through.
	at router nft -f - <<-'EOF' || return 1
	table inet corp {
		chain fwd_log { type filter hook forward priority -10; tcp dport { 22, 80 } counter; }
	}
	EOF
	at server nft -f - <<-'EOF' || return 1
	table inet host {
		chain in_log { type filter hook input priority 10; tcp dport 80 counter; }
	}
	EOF
	at router nfhookctl restore - <<-'EOF' || return 1
	hook ipv4 forward priority filter+20 policy accept enable
	rule ipv4 forward proto tcp dport 80 count comment "web-forward"
	EOF
	at server nfhookctl restore - <<-'EOF' || return 1
	hook ipv4 input priority filter+20 policy accept enable
	rule ipv4 input proto tcp dport 80 count comment "web-input"
	EOF
	# The drop.
	at "$ns" nft -f - <<-EOF || return 1
	table $fam $table {
		chain $chain {
			type filter hook $hook priority $prio;
			tcp dport { 23, 80 } drop
		}
	}
	EOF
}

check()
{
	local ns hook chain a

	read -r ns hook chain < "$labs_state/1/where"
	if tcp_echo client $server 80; then
		ok "the client connects to the server's TCP port 80"
	else
		miss "the client still cannot connect to the server's TCP port 80: the drop is still in place"
	fi
	if tcp_blocked client $server 23; then
		ok "TCP port 23 is still dropped"
	else
		miss "TCP port 23 now reaches the server: it must stay dropped; change only what drops port 80"
	fi
	if [ ! -s "$lab1_answer" ]; then
		miss "no answer in $lab1_answer: write the lines 'namespace: ...', 'hook: ...' and 'chain: FAMILY/TABLE/CHAIN' there"
		return
	fi
	a=$(answer "$lab1_answer" namespace)
	if [ "$a" = "$ns" ]; then
		ok "$lab1_answer names the namespace where the packets were dropped"
	else
		miss "$lab1_answer: namespace '${a:-(none)}' is not where the packets to port 80 were dropped"
	fi
	a=$(answer "$lab1_answer" hook)
	if [ "$a" = "$hook" ]; then
		ok "$lab1_answer names the hook point"
	else
		miss "$lab1_answer: hook '${a:-(none)}' is not the hook point where they were dropped (prerouting, input, forward, output or postrouting)"
	fi
	a=$(answer "$lab1_answer" chain)
	if [ "$a" = "$chain" ]; then
		ok "$lab1_answer names the chain"
	else
		miss "$lab1_answer: chain '${a:-(none)}' is not the chain that dropped them (write it FAMILY/TABLE/CHAIN, as nfhookctl pipeline shows it)"
	fi
}
