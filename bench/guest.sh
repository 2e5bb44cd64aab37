#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of the benchmark (bench/bench.sh builds the guest and
# sources this from a generated step with the settings below).  Runs as root
# in a stock 6.1 guest with nfhook.ko loaded, pktgen, nf_tables, ip_tables
# and veth.
#
# Every row of the table is one configuration of its own network namespace
# "bench-ID", reached from the initial namespace by its own veth pair (bID
# here, r0 there).  All rows are set up first; then pktgen sends 64-byte UDP
# frames (60 bytes + FCS) from 198.18.0.1 to 198.18.0.2 into one row's
# veth after another, REPS times round (A B C ... A B C ...).  pktgen's
# kernel thread transmits on CPU 0 and the receive path (veth -> backlog ->
# ip_rcv -> hooks) runs on the same CPU, inline or in ksoftirqd; a run's
# time is pktgen's elapsed time plus the time the backlog takes to empty
# after it stops (pg_run), so a row's rate is the rate at which one CPU
# both generates and fully handles the packets.
#
# After every run the row's own counters must account for every packet
# pktgen sent (see verify_*): a run that does not is reported as bad and
# left out of the table, so a row never silently measures something else.
#
# Settings (environment):
#   BENCH_ROWS		row ids, in the order they are run in each round
#   BENCH_REPS		rounds
#   BENCH_SECONDS	seconds per run (timed runs), or
#   BENCH_COUNT		packets per run (counted runs: the smoke test)
#   BENCH_BACKLOG	a timed run stops early when this many packets wait
#			in the backlog
#   BENCH_CTL_RULES	rules for the control-plane and memory measurements
#   BENCH_CTL_SINGLE	rules added one nfhookctl command at a time
#   BENCH_CTL_SINGLE_NFT	rules added one nft command at a time
#   BENCH_XDP_OBJ	the XDP program (bench/xdp_drop.c built for bpf)
#
# Output: lines starting with "BENCH " (bench/report.py reads them):
#   BENCH info KEY VALUE
#   BENCH row ID SYSTEM RULES POSITION LABEL...
#   BENCH run ROUND ID PACKETS USEC DRAIN_USEC
#   BENCH bad ROUND ID REASON...	(a run whose counters disagree)
#   BENCH verify ID PASS|FAIL [REASON]	(once per row, after its runs)
#   BENCH ctl NAME RULES SECONDS
#   BENCH mem SYSTEM RULES SLAB_PERCPU_VMALLOC_KB MEMFREE_KB
# Exit status: 0 when every row verified and every step worked.

set -u -o pipefail

say()
{
	echo "[bench] $*" >&2
}

out()
{
	echo "BENCH $*"
}

die()
{
	say "FAIL: $*"
	exit 1
}

: "${BENCH_ROWS:?}" "${BENCH_REPS:=3}" "${BENCH_SECONDS:=2}" "${BENCH_COUNT:=0}"
: "${BENCH_BACKLOG:=10000}"
: "${BENCH_CTL_RULES:=1000}" "${BENCH_CTL_SINGLE:=100}" "${BENCH_XDP_OBJ:=}"
: "${BENCH_CTL_SINGLE_NFT:=$BENCH_CTL_SINGLE}"

SRC=198.18.0.1
DST=198.18.0.2
FOREIGN_MAC=02:00:00:00:ff:fe
PG=/proc/net/pktgen
tmp=/tmp/bench
mkdir -p "$tmp"

declare -A row_ns row_dev row_mac row_pid row_kind row_rules row_pos
declare -A row_label row_system row_bad row_good row_why
namespaces=()
sleepers=()

cleanup()
{
	local ns pid

	for pid in "${sleepers[@]}"; do
		kill "$pid" 2> /dev/null
	done
	echo rem_device_all > "$PG/kpktgend_0" 2> /dev/null
	for ns in "${namespaces[@]}"; do
		ip netns del "$ns" 2> /dev/null
	done
}
trap cleanup EXIT

# now: the time in microseconds (bash's own clock, no exec).
now()
{
	local t=${EPOCHREALTIME/./}
	echo "$t"
}

# secs FROM TO: microseconds to seconds with three decimals.
secs()
{
	local d=$(($2 - $1))
	printf '%d.%06d' $((d / 1000000)) $((d % 1000000))
}

in_ns()
{
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}

# ns_new NS: a namespace without IPv6 (no router solicitations or MLD
# reports on the wires: the only packets are pktgen's).  A sleeping
# process keeps a handle on it, so its /proc/PID/net/ files can be read
# without an exec.
ns_new()
{
	local ns=$1

	ip netns add "$ns" || return 1
	namespaces+=("$ns")
	in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 > /dev/null || return 1
	ip -n "$ns" link set lo up || return 1
	nsenter --net="/run/netns/$ns" sleep 1000000 &
	sleepers+=($!)
	row_pid[$ns]=$!
}

# ns_del NS: the namespace and its sleeper.
ns_del()
{
	kill "${row_pid[$1]}" 2> /dev/null
	wait "${row_pid[$1]}" 2> /dev/null
	ip netns del "$1"
}

# nfhook_off NS: unregister nfhook's ten hooks in NS (nfhook registers
# them in every namespace while loaded; a disabled hook costs nothing).
nfhook_off()
{
	nfhookctl -N "$1" restore "$tmp/hooks-off" || return 1
	[ "$(nfhookctl -N "$1" -j hook list | jq '[.[] | select(.enabled)] | length')" = 0 ] ||
		{ say "$1: nfhook hooks still enabled"; return 1; }
}

# rules_file KIND N POS FILE: N rules dropping one source address each; rule
# number POS (1-based) drops the generator's address, the others addresses
# of 10.0.0.0/8 that never arrive.  KIND nfhook, nft (a linear chain),
# nftset (one set of the N addresses), ipt (iptables-restore).
rules_file()
{
	awk -v kind="$1" -v n="$2" -v pos="$3" -v src="$SRC" '
	function addr(i) {
		return sprintf("10.%d.%d.%d", int(i / 65536) % 256, int(i / 256) % 256, i % 256)
	}
	BEGIN {
		if (kind == "nft" || kind == "nftset") {
			print "table ip bench {"
			print "\tcounter hit { }"
		}
		if (kind == "nftset") {
			printf "\tset addrs {\n\t\ttype ipv4_addr\n"
			if (n > 0) {
				printf "\t\telements = {"
				for (i = 1; i <= n; i++)
					printf "%s%s", (i > 1 ? ", " : " "), (i == pos ? src : addr(i))
				print " }"
			}
			print "\t}"
		}
		if (kind == "nft" || kind == "nftset") {
			print "\tchain pre {"
			print "\t\ttype filter hook prerouting priority 0; policy accept;"
		}
		if (kind == "ipt") {
			print "*raw"
			print ":PREROUTING ACCEPT [0:0]"
			print ":OUTPUT ACCEPT [0:0]"
		}
		if (kind == "nftset" && n > 0) {
			print "\t\tip saddr @addrs counter name \"hit\" drop"
			n = 0
		}
		for (i = 1; i <= n; i++) {
			a = (i == pos ? src : addr(i))
			if (kind == "nfhook")
				printf "rule ipv4 prerouting saddr %s drop%s\n", a,
					(i == pos ? " comment \"bench-match\"" : "")
			else if (kind == "nft")
				printf "\t\tip saddr %s %sdrop\n", a,
					(i == pos ? "counter name \"hit\" " : "")
			else if (kind == "ipt")
				printf "-A PREROUTING -s %s/32 -j DROP\n", a
		}
		if (kind == "nft" || kind == "nftset")
			print "\t}\n}"
		if (kind == "ipt")
			print "COMMIT"
	}' > "$4"
}

# --- the rows ---------------------------------------------------------------

# row_parse ID: kind, rule count, position of the matching rule and label
# of a row id:
#   limit		frames to a foreign MAC: dropped by ip_rcv before any hook
#   nofilter		no filter: delivered to a closed UDP port
#   nfh-idle		nfhook loaded, the namespace never configured (idle:
#			no hook registered)
#   nfh-off		nfhook loaded, its ten hooks disabled
#   nfh-empty		nfhook, ten hooks enabled and registered, no rules
#   nfh-N-last|mid	nfhook, N rules at ipv4 prerouting, the match last/middle
#   nfh-1-miss		nfhook, one rule that does not match (delivered)
#   nft-empty		nftables, an empty base chain at prerouting
#   nft-N		nftables, N rules in one chain, the match last
#   nftset-N		nftables, one rule looking up a set of N addresses
#   iptl-N, iptn-N	iptables-legacy / iptables-nft, raw PREROUTING,
#			N rules, the match last
#   xdp			an XDP program dropping the same source on the veth
#   trace		nfhook, 1 rule at ipv4 prerouting that matches, and a
#			trace running whose selector matches nothing: what
#			a trace costs while it runs (probes at every hook
#			point); compare nfh-1-last, where no trace runs
row_parse()
{
	local id=$1 n pos=last

	case $id in
	limit) row_kind[$id]=limit row_rules[$id]=0 row_system[$id]=limit
	       row_label[$id]="limit (foreign MAC, dropped by ip_rcv)" ;;
	nofilter) row_kind[$id]=nofilter row_rules[$id]=0 row_system[$id]=none
		  row_label[$id]="no filter (closed UDP port)" ;;
	nfh-off) row_kind[$id]=nfhoff row_rules[$id]=0 row_system[$id]=nfhook
		 row_label[$id]="nfhook, ten hooks disabled" ;;
	nfh-idle) row_kind[$id]=nfhidle row_rules[$id]=0 row_system[$id]=nfhook
		  row_label[$id]="nfhook, namespace never configured" ;;
	nfh-empty) row_kind[$id]=nfhempty row_rules[$id]=0 row_system[$id]=nfhook
		   row_label[$id]="nfhook, ten empty hooks" ;;
	nfh-1-miss) row_kind[$id]=nfhmiss row_rules[$id]=1 row_system[$id]=nfhook
		    row_label[$id]="nfhook, 1 rule, no match (delivered)" ;;
	nfh-*-last|nfh-*-mid)
		n=${id#nfh-}; pos=${n#*-}; n=${n%-*}
		row_kind[$id]=nfhook row_rules[$id]=$n row_system[$id]="nfhook ($pos)"
		row_label[$id]="nfhook, $n rules, match $pos" ;;
	nft-empty) row_kind[$id]=nftempty row_rules[$id]=0 row_system[$id]=nftables
		   row_label[$id]="nftables, empty base chain" ;;
	nft-*) n=${id#nft-}; row_kind[$id]=nft row_rules[$id]=$n
	       row_system[$id]="nftables (linear)"
	       row_label[$id]="nftables, $n rules, match last" ;;
	nftset-*) n=${id#nftset-}; row_kind[$id]=nftset row_rules[$id]=$n
		  row_system[$id]="nftables (set)"
		  row_label[$id]="nftables, set of $n addresses" ;;
	iptl-*) n=${id#iptl-}; row_kind[$id]=iptl row_rules[$id]=$n
		row_system[$id]="iptables-legacy"
		row_label[$id]="iptables-legacy, $n rules, match last" ;;
	iptn-*) n=${id#iptn-}; row_kind[$id]=iptn row_rules[$id]=$n
		row_system[$id]="iptables-nft"
		row_label[$id]="iptables-nft, $n rules, match last" ;;
	xdp) row_kind[$id]=xdp row_rules[$id]=1 row_system[$id]=XDP
	     row_label[$id]="XDP drop on the veth (native veth XDP)" ;;
	trace) row_kind[$id]=nfhtrace row_rules[$id]=1 row_system[$id]="nfhook (trace)"
	       row_label[$id]="nfhook, 1 rule, a trace selecting nothing" ;;
	*) return 1 ;;
	esac
	n=${row_rules[$id]}
	[ "$n" = 1 ] && row_label[$id]=${row_label[$id]/1 rules/1 rule}
	case $pos in
	mid) row_pos[$id]=$(((n + 1) / 2)) ;;
	*) row_pos[$id]=$n ;;
	esac
	[[ ${row_rules[$id]} =~ ^[0-9]+$ ]]
}

# row_setup ID INDEX: the namespace, the veth pair and the configuration.
row_setup()
{
	local id=$1 i=$2 ns=bench-$1 dev=b$2 kind=${row_kind[$1]} f
	local mac_s mac_r

	mac_s=$(printf '02:00:00:00:%02x:01' "$i")
	mac_r=$(printf '02:00:00:00:%02x:02' "$i")
	ns_new "$ns" || return 1
	row_ns[$id]=$ns row_dev[$id]=$dev row_pid[$id]=${row_pid[$ns]}
	row_mac[$id]=$mac_r
	[ "$kind" = limit ] && row_mac[$id]=$FOREIGN_MAC
	ip link add "$dev" address "$mac_s" type veth peer r0 netns "$ns" address "$mac_r" ||
		return 1
	ip link set "$dev" up || return 1
	ip -n "$ns" -batch - <<-EOF || return 1
	link set r0 up
	addr add $DST/24 dev r0
	neigh replace $SRC lladdr $mac_s dev r0 nud permanent
	EOF

	case $kind in
	nfhidle) ;;
	# A change registers the namespace's ten enabled hooks.
	nfhempty) nfhookctl -N "$ns" hook set ipv4 prerouting policy accept ||
			return 1 ;;
	nfhoff|limit|nofilter|nftempty|nft|nftset|iptl|iptn|xdp)
		nfhook_off "$ns" || return 1 ;;
	esac
	f=$tmp/rules-$id
	case $kind in
	nfhmiss)
		echo "rule ipv4 prerouting saddr 10.0.0.1 drop comment \"bench-match\"" > "$f"
		nfhookctl -N "$ns" restore "$f" ;;
	nfhook|nfhtrace)
		rules_file nfhook "${row_rules[$id]}" "${row_pos[$id]}" "$f" &&
		nfhookctl -N "$ns" restore "$f" ;;
	nftempty)
		rules_file nft 0 0 "$f" && in_ns "$ns" nft -f "$f" ;;
	nft|nftset)
		rules_file "$kind" "${row_rules[$id]}" "${row_pos[$id]}" "$f" &&
		in_ns "$ns" nft -f "$f" ;;
	iptl)
		rules_file ipt "${row_rules[$id]}" "${row_pos[$id]}" "$f" &&
		in_ns "$ns" iptables-legacy-restore "$f" ;;
	iptn)
		rules_file ipt "${row_rules[$id]}" "${row_pos[$id]}" "$f" &&
		in_ns "$ns" iptables-nft-restore "$f" ;;
	xdp)
		[ -n "$BENCH_XDP_OBJ" ] || { say "no XDP program"; return 1; }
		ip -n "$ns" link set dev r0 xdp obj "$BENCH_XDP_OBJ" sec xdp ;;
	esac || return 1
	rm -f "$f"
	if [ "$kind" = nfhtrace ]; then
		setup_trace "$id" || return 1
	fi
}

# setup_trace ID: a trace in the row's namespace whose selector matches no
# benchmark packet (source 192.0.2.1; pktgen sends from $SRC), running for
# the whole benchmark: its probes sit at every hook point.  What it prints
# goes to $tmp/trace-ID, which must stay empty (verify_run).
setup_trace()
{
	local id=$1 ns=${row_ns[$1]} i

	nsenter --net="/run/netns/$ns" nfhookctl trace ipv4 saddr 192.0.2.1 \
		> "$tmp/trace-$id" 2> /dev/null &
	sleepers+=($!)
	for i in $(seq 100); do
		[[ $(nfhookctl -N "$ns" -j info) =~ \"traces\":1 ]] && return 0
		sleep 0.1
	done
	say "$id: the trace did not start"
	return 1
}

# --- counters ----------------------------------------------------------------

# snap ID: the counters the verification needs, as "KEY=VALUE" words:
#   rx		r0's received packets
#   inrecv indeliv noports	the namespace's Ip InReceives, Ip InDelivers,
#			Udp NoPorts
#   hook hookdrop	nfhook's ipv4 prerouting hook: packets seen, dropped
#			by a rule (nfhook rows)
#   hit		the matching rule's counter (nft, iptables rows)
#   xdpdrop	the veth queue's XDP drops (xdp row)
snap()
{
	local id=$1 pid=${row_pid[$1]} ns=${row_ns[$1]} kind=${row_kind[$1]}
	local line name v hdr i
	local -a f h

	while read -r line; do
		if [[ $line == r0:* ]]; then
			read -ra f <<< "${line#r0:}"
			echo -n "rx=${f[1]} "
		fi
	done < "/proc/$pid/net/dev"
	hdr=
	while read -r name line; do
		case $name in
		Ip:|Udp:)
			if [ -z "$hdr" ]; then
				hdr=$line
				continue
			fi
			read -ra h <<< "$hdr"
			read -ra f <<< "$line"
			for i in "${!h[@]}"; do
				case $name${h[$i]} in
				Ip:InReceives) echo -n "inrecv=${f[$i]} " ;;
				Ip:InDelivers) echo -n "indeliv=${f[$i]} " ;;
				Udp:NoPorts) echo -n "noports=${f[$i]} " ;;
				esac
			done
			hdr=
			;;
		esac
	done < "/proc/$pid/net/snmp"
	case $kind in
	nfh*)
		# One hook's JSON, read by bash (a jq exec per run costs time).
		v=$(nfhookctl -N "$ns" -j hook list ipv4 prerouting) || return 1
		[[ $v =~ \"packets\":([0-9]+) ]] && echo -n "hook=${BASH_REMATCH[1]} "
		[[ $v =~ \"rule_dropped_packets\":([0-9]+) ]] &&
			echo -n "hookdrop=${BASH_REMATCH[1]} "
		;;
	nft|nftset)
		v=$(in_ns "$ns" nft list counter ip bench hit) || return 1
		v=${v#*packets }
		echo -n "hit=${v%% *} "
		;;
	iptl|iptn)
		v=iptables-legacy
		[ "$kind" = iptn ] && v=iptables-nft
		v=$(in_ns "$ns" "$v" -t raw -L PREROUTING \
			"${row_pos[$id]}" -n -v -x) || return 1
		read -r v _ <<< "$v"
		echo -n "hit=$v "
		;;
	xdp)
		v=$(in_ns "$ns" ethtool -S r0 | sed -n 's/^ *rx_queue_0_xdp_drops: *//p')
		echo -n "xdpdrop=${v:-none} "
		;;
	esac
	echo
}

# verify_run ID BEFORE AFTER SENT: every packet pktgen sent was received by
# r0 and handled as the row claims.  Prints what disagrees; status 1 then.
verify_run()
{
	local id=$1 sent=$4 kind=${row_kind[$1]} w bad=0
	local -A b a d

	for w in $2; do b[${w%%=*}]=${w#*=}; done
	for w in $3; do a[${w%%=*}]=${w#*=}; done
	for w in "${!a[@]}"; do
		if [[ ${a[$w]} =~ ^[0-9]+$ ]] && [[ ${b[$w]:-x} =~ ^[0-9]+$ ]]; then
			d[$w]=$((a[$w] - b[$w]))
		else
			d[$w]="?(${b[$w]:-}->${a[$w]})"
		fi
	done
	# expect KEY VALUE: the delta of KEY must be VALUE.
	expect()
	{
		if [ "${d[$1]:-missing}" != "$2" ]; then
			echo -n "$1 ${d[$1]:-missing} (expected $2); "
			bad=1
		fi
	}
	expect rx "$sent"
	case $kind in
	limit) expect inrecv 0 ;;
	nofilter|nftempty) expect inrecv "$sent"; expect noports "$sent" ;;
	nfhoff|nfhidle) expect noports "$sent"; expect hook 0 ;;
	nfhempty) expect noports "$sent"; expect hook "$sent"; expect hookdrop 0 ;;
	nfhmiss) expect noports "$sent"; expect hook "$sent"; expect hookdrop 0 ;;
	nfhook) expect inrecv "$sent"; expect indeliv 0; expect hookdrop "$sent" ;;
	nfhtrace) expect inrecv "$sent"; expect indeliv 0; expect hookdrop "$sent"
		  if [ -s "$tmp/trace-$id" ]; then
			  echo -n "the trace selected packets: $(head -c 200 "$tmp/trace-$id"); "
			  bad=1
		  fi ;;
	nft|nftset|iptl|iptn) expect inrecv "$sent"; expect indeliv 0; expect hit "$sent" ;;
	xdp) expect inrecv 0; expect xdpdrop "$sent" ;;
	esac
	return $bad
}

# --- pktgen --------------------------------------------------------------------

pg()
{
	local f=$1
	shift
	local c

	for c in "$@"; do
		echo "$c" > "$f" || { say "pktgen: '$c' refused by $f"; return 1; }
	done
}

# pg_gone: pktgen has no device (rem_device_all is carried out by pktgen's
# thread, after the write returns).
pg_gone()
{
	local f

	for f in "$PG"/*; do
		case ${f##*/} in
		kpktgend_*|pgctrl) ;;
		*) return 1 ;;
		esac
	done
}

# pg_use ID: pktgen's thread 0 sends into this row's veth, and nothing else.
pg_use()
{
	local id=$1 dev=${row_dev[$1]}

	# Only when something is attached: a removal pending in the thread
	# would take the device added next with it.
	pg_gone || pg "$PG/kpktgend_0" rem_device_all || return 1
	for _ in $(seq 50); do
		pg_gone && break
		sleep 0.1
	done
	pg_gone || { say "pktgen: devices still attached: $(ls "$PG")"; return 1; }
	pg "$PG/kpktgend_0" "add_device $dev" || return 1
	[ -e "$PG/$dev" ] || { say "pktgen: cannot add $dev"; return 1; }
	pg "$PG/$dev" "count $BENCH_COUNT" "clone_skb 0" "burst 1" "pkt_size 60" \
		"delay 0" "frags 0" "dst $DST" "src_min $SRC" "src_max $SRC" \
		"dst_mac ${row_mac[$id]}" "udp_src_min 9" "udp_src_max 9" \
		"udp_dst_min 9" "udp_dst_max 9" "queue_map_min 0" "queue_map_max 0"
}

# backlog_empty: no packet waits in any CPU's backlog (the 12th column of
# /proc/net/softnet_stat, in hex).  Read with bash alone: no exec.
backlog_empty()
{
	local -a f

	while read -ra f; do
		[ $((16#${f[11]})) = 0 ] || return 1
	done < /proc/net/softnet_stat
}

# backlog_len: the packets waiting in all CPUs' backlogs.
backlog_len()
{
	local -a f
	local n=0

	while read -ra f; do
		n=$((n + 16#${f[11]}))
	done < /proc/net/softnet_stat
	echo "$n"
}

# drain: wait until the backlogs are empty (at most ten minutes).
drain()
{
	local t0=${EPOCHREALTIME/./}

	until backlog_empty; do
		[ $((${EPOCHREALTIME/./} - t0)) -lt 600000000 ] || return 1
	done
}

# frac_digits NUMBER: how many digits follow its decimal point.
frac_digits()
{
	local f=${1#*.}

	[ "$f" = "$1" ] && f=
	echo "${#f}"
}

# pg_run ID: one run; prints "PACKETS USEC DRAIN_USEC": pktgen's packets and
# elapsed time (its own ktime stamps), and how long the receive side took
# after pktgen stopped to empty the backlog.  The receive path normally
# runs inline when pktgen's transmit re-enables bottom halves, but once
# the kernel defers softirqs to ksoftirqd, packets queue up and are
# processed later; counting that tail keeps a slow row from being credited
# with packets it had not yet handled.
pg_run()
{
	local dev=${row_dev[$1]} line job t0 t1 end

	if [ "$BENCH_COUNT" -gt 0 ]; then
		echo start > "$PG/pgctrl" || return 1
		t0=$(now)
		drain || { say "the backlog did not drain"; return 1; }
		t1=$(now)
	else
		(echo start > "$PG/pgctrl") &
		job=$!
		# BENCH_SECONDS, or until BENCH_BACKLOG packets wait: a slow
		# row (10,000 rules) would otherwise pile up a backlog that
		# takes minutes to empty.
		t0=$(now)
		end=$((t0 + 10#${BENCH_SECONDS/./} * 1000000 / 10 ** $(frac_digits "$BENCH_SECONDS")))
		while [ "$(now)" -lt "$end" ]; do
			sleep 0.1
			[ "$(backlog_len)" -lt "$BENCH_BACKLOG" ] || break
		done
		t0=$(now)
		echo stop > "$PG/pgctrl"
		drain || { say "the backlog did not drain"; return 1; }
		t1=$(now)
		wait "$job"
	fi
	while read -r line; do
		# Result: OK: 2000123(c2000000+d123) usec, 98765 (60byte,0frags)
		if [[ $line =~ ^Result:\ OK:\ ([0-9]+)\(.*usec,\ ([0-9]+)\ \( ]]; then
			echo "${BASH_REMATCH[2]} ${BASH_REMATCH[1]} $((t1 - t0))"
			return 0
		fi
	done < "$PG/$dev"
	say "pktgen: no result for $dev: $(grep Result "$PG/$dev")"
	return 1
}

# --- control plane -------------------------------------------------------------

# meminfo: "KB KB": slab (unreclaimable) + per-CPU + vmalloc, and MemFree.
meminfo()
{
	local k v _ sum=0 free=0

	while read -r k v _; do
		case $k in
		SUnreclaim:|Percpu:|VmallocUsed:) sum=$((sum + v)) ;;
		MemFree:) free=$v ;;
		esac
	done < /proc/meminfo
	echo "$sum $free"
}

settle()
{
	# Objects freed after an RCU grace period are gone.
	sleep 1
}

# timed NAME RULES CMD...: run CMD, print its wall time as a ctl line.
timed()
{
	local name=$1 n=$2 t0 t1
	shift 2

	t0=$(now)
	"$@" || { say "$name: '$*' failed"; return 1; }
	t1=$(now)
	out ctl "$name" "$n" "$(secs "$t0" "$t1")"
}

# load SYSTEM NS FILE: load a rules file the system's own way.
load()
{
	case $1 in
	nfhook) nfhookctl -N "$2" restore "$3" ;;
	nftables) in_ns "$2" nft -f "$3" ;;
	iptables-legacy) in_ns "$2" iptables-legacy-restore "$3" ;;
	iptables-nft) in_ns "$2" iptables-nft-restore "$3" ;;
	esac
}

# rule_count SYSTEM NS: the rules the system holds in NS.
rule_count()
{
	case $1 in
	nfhook) nfhookctl -N "$2" -j info | jq .rule_count ;;
	nftables) in_ns "$2" nft list chain ip bench pre | grep -c ' drop$' ;;
	iptables-*) in_ns "$2" "$1" -t raw -S PREROUTING | grep -c '^-A' ;;
	esac
}

add_single()
{
	local ns=$1 n=$2 i

	for ((i = 1; i <= n; i++)); do
		nfhookctl -N "$ns" rule add ipv4 prerouting \
			saddr "10.$((i / 65536 % 256)).$((i / 256 % 256)).$((i % 256))" drop \
			> /dev/null || return 1
	done
}

add_single_nft()
{
	local ns=$1 n=$2 i

	in_ns "$ns" nft add table ip bench &&
	in_ns "$ns" nft add chain ip bench pre \
		'{ type filter hook prerouting priority 0; policy accept; }' || return 1
	for ((i = 1; i <= n; i++)); do
		in_ns "$ns" nft add rule ip bench pre ip saddr \
			"10.$((i / 65536 % 256)).$((i / 256 % 256)).$((i % 256))" drop || return 1
	done
}

# control_plane: loading, listing and the memory of BENCH_CTL_RULES rules
# in each system, each in a namespace of its own, measured before the rows
# exist (and no namespace is deleted until every measurement is taken: a
# namespace's teardown frees memory in the background).  Then rules added
# one command at a time.
control_plane()
{
	local n=$BENCH_CTL_RULES single=$BENCH_CTL_SINGLE sys ns got rc=0
	local nfhf=$tmp/ctl-nfhook nftf=$tmp/ctl-nft iptf=$tmp/ctl-ipt file
	local -a before after ctl_ns=()

	say "control plane: $n rules; $single (nfhook) and $BENCH_CTL_SINGLE_NFT (nft) added one at a time"
	rules_file nfhook "$n" "$n" "$nfhf"
	rules_file nft "$n" "$n" "$nftf"
	rules_file ipt "$n" "$n" "$iptf"
	for sys in nfhook nftables iptables-legacy iptables-nft; do
		ns=bench-ctl-$sys
		ns_new "$ns" || return 1
		ctl_ns+=("$ns")
		[ $sys = nfhook ] || nfhook_off "$ns" || return 1
		case $sys in
		nfhook) file=$nfhf ;;
		nftables) file=$nftf ;;
		*) file=$iptf ;;
		esac
		settle
		read -ra before < <(meminfo)
		timed "load $sys (one transaction)" "$n" load "$sys" "$ns" "$file" || rc=1
		settle
		read -ra after < <(meminfo)
		got=$(rule_count "$sys" "$ns")
		if [ "$got" != "$n" ]; then
			say "$sys: $got rules loaded, expected $n"
			rc=1
		fi
		out mem "$sys" "$n" "$((after[0] - before[0]))" "$((before[1] - after[1]))"
		case $sys in
		nfhook)
			out info nfhook_rules_bytes \
				"$(nfhookctl -N "$ns" -j info | jq .rules_bytes)"
			timed "nfhookctl rule list" "$n" \
				nfhookctl -N "$ns" rule list > /dev/null || rc=1
			timed "nfhookctl -j rule list" "$n" \
				nfhookctl -N "$ns" -j rule list > /dev/null || rc=1
			timed "nfhookctl save" "$n" \
				nfhookctl -N "$ns" save > /dev/null || rc=1
			;;
		nftables)
			timed "nft list ruleset" "$n" \
				in_ns "$ns" nft list ruleset > /dev/null || rc=1
			;;
		iptables-legacy)
			timed "iptables-legacy-save" "$n" \
				in_ns "$ns" iptables-legacy-save > /dev/null || rc=1
			;;
		esac
	done

	ns=bench-ctl-single
	ns_new "$ns" || return 1
	ctl_ns+=("$ns")
	timed "nfhookctl rule add, one command per rule" "$single" \
		add_single "$ns" "$single" || rc=1
	got=$(rule_count nfhook "$ns")
	[ "$got" = "$single" ] || { say "nfhook: $got rules after $single adds"; rc=1; }
	nfhook_off "$ns" || rc=1
	timed "nft add rule, one command per rule" "$BENCH_CTL_SINGLE_NFT" \
		add_single_nft "$ns" "$BENCH_CTL_SINGLE_NFT" || rc=1
	got=$(rule_count nftables "$ns")
	[ "$got" = "$BENCH_CTL_SINGLE_NFT" ] ||
		{ say "nftables: $got rules after $BENCH_CTL_SINGLE_NFT adds"; rc=1; }
	for ns in "${ctl_ns[@]}"; do
		ns_del "$ns"
	done
	return $rc
}

# --- main -----------------------------------------------------------------------

grep -q '^nfhook ' /proc/modules || die "nfhook is not loaded"
# pktgen's thread 0 and the receive path it drives run on CPU 0; this
# script and everything it starts stay off it.
[ "$(grep -c '^processor' /proc/cpuinfo)" -gt 1 ] && taskset -p 2 $$ > /dev/null
[ -d "$PG" ] || die "no $PG: pktgen is not loaded"
out info kernel "$(uname -r)"
out info cpus "$(grep -c '^processor' /proc/cpuinfo)"
out info cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
out info mode "$([ "$BENCH_COUNT" -gt 0 ] && echo "count $BENCH_COUNT" || echo "seconds $BENCH_SECONDS")"
out info rounds "$BENCH_REPS"
out info nfhook "$(nfhookctl -j info | jq -r .version)"
out info nft "$(nft --version)"
out info iptables "$(iptables-legacy --version)"

# The receive path runs inline in pktgen's bottom-half sections: a large
# backlog keeps a burst from being dropped before the hooks see it.
sysctl -qw net.core.netdev_max_backlog=100000 net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1 > /dev/null
# The initial namespace sends; its hooks are not on pktgen's path, but
# nothing of nfhook's should run where it is not measured.
for h in prerouting input forward output postrouting; do
	echo "hook ipv4 $h disable"
	echo "hook ipv6 $h disable"
done > "$tmp/hooks-off"
nfhookctl restore "$tmp/hooks-off" || die "nfhookctl restore of disabled hooks failed"

status=0
if [ "$BENCH_CTL_RULES" -gt 0 ]; then
	if control_plane; then
		out verify control-plane PASS
	else
		out verify control-plane FAIL "see the [bench] lines above"
		status=1
	fi
fi

i=0
rows=()
for id in $BENCH_ROWS; do
	row_parse "$id" || die "unknown row $id"
	i=$((i + 1))
	t0=$(now)
	if row_setup "$id" "$i"; then
		row_bad[$id]=0 row_good[$id]=0
		rows+=("$id")
		say "row $id set up in $(secs "$t0" "$(now)") s"
		out row "$id" "${row_system[$id]// /_}" "${row_rules[$id]}" \
			"${row_pos[$id]}" "${row_label[$id]}"
	else
		out verify "$id" FAIL "setup failed"
		status=1
	fi
done

for ((round = 1; round <= BENCH_REPS; round++)); do
	for id in "${rows[@]}"; do
		if ! pg_use "$id" && ! { sleep 0.5; pg_use "$id"; }; then
			out bad "$round" "$id" "pktgen setup failed"
			row_bad[$id]=$((row_bad[$id] + 1))
			row_why[$id]="round $round: pktgen setup failed"
			continue
		fi
		before=$(snap "$id")
		if ! res=$(pg_run "$id"); then
			out bad "$round" "$id" "pktgen gave no result"
			row_bad[$id]=$((row_bad[$id] + 1))
			row_why[$id]="round $round: pktgen gave no result"
			continue
		fi
		read -r sent usec drain_usec <<< "$res"
		# The backlogs are empty; veth's XDP ring (at most 256
		# packets) is emptied by its NAPI poll right after.
		sleep 0.2
		after=$(snap "$id")
		if why=$(verify_run "$id" "$before" "$after" "$sent"); then
			out run "$round" "$id" "$sent" "$usec" "$drain_usec"
			row_good[$id]=$((row_good[$id] + 1))
		else
			out bad "$round" "$id" "$sent packets sent: $why"
			row_bad[$id]=$((row_bad[$id] + 1))
			row_why[$id]="round $round: $sent packets sent: $why"
		fi
	done
done
echo rem_device_all > "$PG/kpktgend_0"

for id in "${rows[@]}"; do
	if [ "${row_bad[$id]}" = 0 ] && [ "${row_good[$id]}" -gt 0 ]; then
		out verify "$id" PASS
	else
		out verify "$id" FAIL "${row_bad[$id]} of $BENCH_REPS runs did not add up; ${row_why[$id]:-}"
		status=1
	fi
done
for id in "${rows[@]}"; do
	ns_del "${row_ns[$id]}"
done

exit $status
