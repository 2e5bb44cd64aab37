#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nfhookctl binary on the host: exit codes and messages of usage errors,
# help and version.  Nothing here needs (or changes) the kernel module: only
# commands that fail before any netlink request, or read-only ones.
set -u
BIN=${1:-../../userland/nfhookctl}
n=0
failed=0

# check NAME WANT_RC WANT_STDERR_SUBSTRING -- ARGS...
check() {
	local name=$1 want_rc=$2 want_err=$3 out err rc
	shift 4
	n=$((n + 1))
	out=$("$BIN" "$@" 2>/tmp/nfhookctl-cli.$$) && rc=0 || rc=$?
	err=$(cat /tmp/nfhookctl-cli.$$)
	if [ "$rc" != "$want_rc" ] || [[ "$err$out" != *"$want_err"* ]]; then
		echo "not ok $n - cli: $name (rc $rc, want $want_rc)"
		echo "#   stdout: $out"
		echo "#   stderr: $err"
		failed=$((failed + 1))
	else
		echo "ok $n - cli: $name"
	fi
}

# check_absent NAME UNWANTED -- ARGS...: exit 0 and UNWANTED not in the output
check_absent() {
	local name=$1 unwanted=$2 out rc
	shift 3
	n=$((n + 1))
	out=$("$BIN" "$@" 2>&1) && rc=0 || rc=$?
	if [ "$rc" != 0 ] || [[ "$out" == *"$unwanted"* ]]; then
		echo "not ok $n - cli: $name (rc $rc)"
		echo "#   output: $out"
		failed=$((failed + 1))
	else
		echo "ok $n - cli: $name"
	fi
}

printf 'rule ipv4 input accept\nrule ipv4 input\n' > /tmp/nfhookctl-cli-bad.$$.rules
check "no command" 2 "nfhookctl: missing COMMAND" --
check "usage line printed" 2 "usage: nfhookctl rule add FAMILY HOOK" -- rule add ipv4 input dport 22 accept
check "bad match" 2 "nfhookctl: unknown match or action \"dportt\"" -- rule add ipv4 input dportt 22 accept
check "bad prefix" 2 "saddr: prefix length \"33\" out of range for ipv4 (0-32)" -- rule add ipv4 input saddr 1.2.3.4/33 drop
check "v4 in v6 rule" 2 "is an ipv4 address, but this is an ipv6 rule" -- rule add ipv6 input saddr 1.2.3.4 drop
check "no prefix matching" 2 "unknown command \"inf\"" -- inf
check "hook set nothing" 2 "nothing to set" -- hook set ipv4 input
check "--help" 0 "usage: nfhookctl [-j|--json]" -- --help
check "rule --help" 0 "usage: nfhookctl rule add" -- rule --help
check "hook set --help" 0 "usage: nfhookctl hook set" -- hook set --help
check "help save" 0 "usage: nfhookctl save [--counters]" -- help save
check "help of an unknown command" 2 "nfhookctl: help: unknown command \"bogus\" (info, hook, rule" -- help bogus
check "help of an unknown command: usage" 2 "usage: nfhookctl help [COMMAND]" -- help bogus
check "--help of an unknown command" 2 "nfhookctl: unknown command \"bogus\"" -- bogus --help
check "help rule: index N" 0 "N       where the rule goes" -- help rule
check_absent "help rule: no priority legend" "conntrack" -- help rule
check_absent "help rule: no PRIO" "PRIO" -- help rule
check "help hook: priority legend" 0 "PRIO    a number" -- help hook
check_absent "help hook: no match legend" "MATCH" -- help hook
check "version" 0 "nfhookctl " -- --version
check "pipeline: bad family" 2 "\"arp\" is not a family (ipv4, ipv6 or netdev)" -- pipeline arp
check "pipeline: bad netdev hook" 2 "\"input\" is not a netdev hook (ingress or egress)" -- pipeline netdev input
check "pipeline: bad hook" 2 "\"ingress\" is not a hook (prerouting" -- pipeline ipv4 ingress
check "pipeline: too many words" 2 "usage: nfhookctl pipeline [FAMILY [HOOK]]" -- pipeline ipv4 input x
check "help pipeline: its legend" 0 "netdev: ingress | egress" -- help pipeline
check "pipeline --path: no device" 2 "--path: missing a device IFACE" -- pipeline --path
check "pipeline --path: its usage line" 2 "usage: nfhookctl pipeline --path IFACE [FAMILY]" -- pipeline --path
check "pipeline --path: netdev is no family here" 2 "\"netdev\" is not a family for --path (ipv4 or ipv6)" -- pipeline --path lo netdev
check "help pipeline: --path and IFACE" 0 "IFACE   a network device of the namespace" -- help pipeline
check_absent "help pipeline: no match legend" "MATCH" -- help pipeline
check "restore of a broken file changes nothing" 2 "nfhookctl-cli-bad.$$.rules:2: error: missing action" -- restore /tmp/nfhookctl-cli-bad.$$.rules
check "restore of a missing file" 1 "cannot open" -- restore /nonexistent/nfhookctl.rules
check "netns that does not exist" 1 "cannot open network namespace \"nfhook-none-$$\"" -- -N nfhook-none-$$ info
if [ ! -d /sys/module/nfhook ]; then
	check "module not loaded" 1 "nfhookctl: the nfhook module is not loaded and could not be loaded (is it installed? run modprobe nfhook to see why)" -- info
fi
# Random argv through the real binary: exit 0, 1 or 2, never a signal.
for i in $(seq 1 200); do
	args=()
	for j in $(seq 1 $((RANDOM % 8))); do
		case $((RANDOM % 6)) in
		0) args+=(rule) ;; 1) args+=(add) ;; 2) args+=(ipv4) ;;
		3) args+=(input) ;; 4) args+=("$(head -c $((RANDOM % 12)) /dev/urandom | tr -d '\0')") ;;
		5) args+=(--help) ;;
		esac
	done
	[ "${args[0]:-}" = monitor ] && continue
	"$BIN" "${args[@]}" >/dev/null 2>&1 </dev/null
	rc=$?
	if [ $rc -gt 2 ]; then
		echo "not ok - cli fuzz: rc $rc for: ${args[*]}"
		failed=$((failed + 1))
	fi
done
n=$((n + 1))
echo "ok $n - cli: 200 random command lines exit 0, 1 or 2"
rm -f /tmp/nfhookctl-cli.$$ /tmp/nfhookctl-cli-bad.$$.rules
echo "# cli: $n cases, $failed failed"
[ $failed -eq 0 ]
