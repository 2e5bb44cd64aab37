# SPDX-License-Identifier: GPL-2.0
# title: only SSH and established traffic in, and conntrack in the pipeline (docs/labs/4-ssh.md)
#
# The server runs echo services on TCP 22 ("SSH") and 80; the client one
# on 8080, for the server's own outgoing connections.  Nothing filters and
# nothing tracks connections in the server's namespace.  Solved when, with
# nfhook on the server's IPv4 input hook: the policy is drop, a rule
# accepts established traffic by its conntrack state, a new connection to
# port 22 works, one to port 80 and a ping are dropped, and the server's
# own connection to the client's port 8080 gets its answers.

client=10.0.1.2 server=10.0.2.2

setup()
{
	echo_server server 22
	echo_server server 80
	echo_server client 8080
	wait_echo client $server 22 && wait_echo client $server 80 &&
		wait_echo server $client 8080
}

check()
{
	local hook policy est

	hook=$(at server nfhookctl -j hook list ipv4 input)
	policy=$(jq -r '.[0].policy' <<< "$hook")
	if [ "$policy" = drop ] && [ "$(jq -r '.[0].enabled' <<< "$hook")" = true ]; then
		ok "the server's IPv4 input hook drops what no rule accepts"
	else
		miss "the server's IPv4 input hook has policy $policy (or is disabled): what no rule names gets in; the policy must be drop"
	fi
	est=$(at server nfhookctl -j rule list ipv4 input |
		jq '[.[] | select(.action == "accept" and
			((.ct_state // []) | index("established")))] | length')
	if [ "$est" -gt 0 ]; then
		ok "a rule accepts established traffic by its conntrack state"
	else
		miss "no rule of the server's IPv4 input hook accepts 'ct state established'"
	fi

	if tcp_echo client $server 22; then
		ok "a new SSH connection (TCP port 22) from the client works"
	elif ! at server nfhookctl -j pipeline ipv4 | jq -e 'any(.[]; .kind == "conntrack")' > /dev/null; then
		miss "a new SSH connection from the client fails, and nothing tracks connections in the server's namespace (nfhookctl -N server pipeline ipv4 lists no conntrack hook): to nfhook every packet there is 'invalid'"
	else
		miss "a new SSH connection (TCP port 22) from the client fails: the SYN or what follows it is dropped"
	fi
	if tcp_blocked client $server 80; then
		ok "a new connection to TCP port 80 is dropped"
	else
		miss "server input still accepts new TCP to port 80 (or refuses it with a reset): expected a drop"
	fi
	if ping1 client $server; then
		miss "the server answers a ping from the client: only SSH may come in"
	else
		ok "a ping to the server is dropped"
	fi
	if tcp_echo server $client 8080; then
		ok "the server's own connection to the client's port 8080 gets its answers"
	else
		miss "the server's own connection to the client's port 8080 gets no answer: replies to connections the server opened must come in"
	fi
}
