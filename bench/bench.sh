#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark: nfhook against no filter, nftables, iptables (legacy and
# nft) and XDP, every configuration side by side in one guest on Debian's
# stock kernel, in interleaved rounds.  bench/README.md says how and why.
#
#   bench/bench.sh [--quick|--full|--smoke] [OPTIONS]
#
#   --full		every row, 5 rounds of 3 s, 10,000 rules for the
#			control plane, 10,000 nfhookctl and 1,000 nft commands
#			one rule at a time (make bench; about an hour under TCG)
#   --quick		fewer rows, 3 rounds of 1 s, 1,000 rules
#			(make bench-quick; under 5 minutes)
#   --smoke		the quick rows set up, 100 packets each, every row's
#			counters checked, no results written; prints one
#			PASS/FAIL line per row (tests/check.sh runs this)
#   --rows "ID ..."	these rows instead (ids: bench/guest.sh, row_parse)
#   --rounds N, --seconds S, --count N (packets per run instead of
#			seconds), --ctl-rules N (loaded at once, listed, memory),
#			--ctl-single N, --ctl-single-nft N (added one command
#			at a time by nfhookctl, by nft)
#   --out DIR		results directory (default bench/results)
#   --log FILE		keep the guest's console here
#   --verbose		the guest's console on the terminal
#
# Results: DIR/DATE-KERNEL-MODE.txt (the table), .json (every run, the
# medians and ratios) and .png (rate against rule count per system).
# Exit status 0 when every row's counters added up in every run.
#
# Environment: as tests/vm.sh (NFHOOK_CACHE, NFHOOK_NO_INSTALL=1 to skip the
# Debian packages step).

bench=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$bench")
tests=$top/tests
. "$tests/lib/packages.sh"
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/build.sh"

usage()
{
	sed -n '4,31s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

msg()
{
	echo "bench: $*" >&2
}

# The rows (ids of bench/guest.sh's row_parse).
rows_full="limit nofilter nfh-idle nfh-off nfh-empty nfh-1-last nfh-1-miss
	nfh-100-last nfh-100-mid nfh-1000-last nfh-1000-mid
	nfh-10000-last nfh-10000-mid
	nft-empty nft-1 nft-100 nft-1000 nft-10000
	nftset-100 nftset-1000 nftset-10000
	iptl-1 iptl-100 iptl-1000 iptl-10000
	iptn-1 iptn-100 iptn-1000 iptn-10000 xdp trace"
rows_quick="limit nofilter nfh-idle nfh-off nfh-empty nfh-1-last nfh-1-miss
	nfh-1000-last nfh-1000-mid nft-empty nft-1 nft-1000 nftset-1000
	iptl-1 iptn-1 xdp trace"

mode=quick rows='' rounds='' seconds='' count='' ctl_rules='' ctl_single='' ctl_single_nft=''
outdir=$bench/results log='' verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	--full) mode=full ;;
	--quick) mode=quick ;;
	--smoke) mode=smoke ;;
	--rows) rows=${2:?--rows needs row ids}; shift ;;
	--rounds) rounds=${2:?--rounds needs a number}; shift ;;
	--seconds) seconds=${2:?--seconds needs a number}; shift ;;
	--count) count=${2:?--count needs a number}; shift ;;
	--ctl-rules) ctl_rules=${2:?--ctl-rules needs a number}; shift ;;
	--ctl-single) ctl_single=${2:?--ctl-single needs a number}; shift ;;
	--ctl-single-nft) ctl_single_nft=${2:?--ctl-single-nft needs a number}; shift ;;
	--out) outdir=${2:?--out needs a directory}; shift ;;
	--log) log=${2:?--log needs a file}; shift ;;
	--verbose) verbose=1 ;;
	-h|--help) usage ;;
	*) msg "unknown argument $1"; usage ;;
	esac
	shift
done
for v in rounds seconds count ctl_rules ctl_single ctl_single_nft; do
	if [ -n "${!v}" ] && ! [[ ${!v} =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
		msg "--${v//_/-} needs a number, not '${!v}'"
		exit 2
	fi
done

case $mode in
full)
	: "${rows:=$rows_full}" "${rounds:=5}" "${seconds:=3}" "${count:=0}"
	: "${ctl_rules:=10000}" "${ctl_single:=10000}" "${ctl_single_nft:=1000}"
	GUEST_TIMEOUT=${GUEST_TIMEOUT:-10800}
	;;
quick)
	: "${rows:=$rows_quick}" "${rounds:=3}" "${seconds:=1}" "${count:=0}"
	: "${ctl_rules:=1000}" "${ctl_single:=20}" "${ctl_single_nft:=10}"
	GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
	;;
smoke)
	: "${rows:=$rows_quick}" "${rounds:=1}" "${seconds:=1}" "${count:=100}"
	: "${ctl_rules:=50}" "${ctl_single:=10}" "${ctl_single_nft:=5}"
	GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
	;;
esac
rows=$(echo $rows)
GUEST_STEP_TIMEOUT=$GUEST_TIMEOUT

if [ "$(id -u)" != 0 ]; then
	msg "run as root (it installs Debian packages and boots a guest)"
	exit 2
fi
packages_install || exit 1

# --- the guest's pieces ---------------------------------------------------------

kernel_select stock || exit 1
read -r rel _ < <(kernel_stock_release) || exit 1
root=$(kernel_stock) || exit 1
# A build copy of its own: check.sh's stock build keeps its log.
ko=$(build_module "$kernel_kdir" bench-stock) || exit 1
ctl=$(build_userland) || exit 1

# Not under /tmp: the guest mounts a tmpfs there, and the guest sees these
# files at the same paths.
mkdir -p "$NFHOOK_CACHE/bench" || exit 1
work=$(mktemp -d "$NFHOOK_CACHE/bench/run.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/console.log

if ! clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu \
		-c "$bench/xdp_drop.c" -o "$work/xdp_drop.o"; then
	msg "the XDP program did not build (clang, libbpf-dev)"
	exit 1
fi
cp "$bench/guest.sh" "$work/guest.sh"
# The step the guest's init runs: the settings, then guest.sh.
cat > "$work/bench.sh" <<-EOF
	# Written by bench/bench.sh ($mode)
	export BENCH_ROWS="$rows" BENCH_REPS=$rounds BENCH_SECONDS=$seconds
	export BENCH_COUNT=$count BENCH_CTL_RULES=$ctl_rules BENCH_CTL_SINGLE=$ctl_single
	export BENCH_CTL_SINGLE_NFT=$ctl_single_nft
	export BENCH_XDP_OBJ=$work/xdp_drop.o
	exec bash $work/guest.sh
EOF

# The stock kernel's modules: the harness's own, and pktgen, nftables'
# named counters, ip_tables' raw table.
mapfile -t extra < <(kernel_stock_modules "$root" "$rel" pktgen nft_objref \
	iptable_raw) || exit 1
GUEST_KMODS=()
declare -A seen_ko=()
for k in "${kernel_kmods[@]}" "${extra[@]}"; do
	[ -n "${seen_ko[$k]}" ] && continue
	seen_ko[$k]=1
	GUEST_KMODS+=("$k")
done

GUEST_BINARIES=("$ctl")
for p in iptables-legacy iptables-legacy-restore iptables-legacy-save \
	 iptables-nft iptables-nft-restore iptables-nft-save ethtool; do
	f=$(PATH=/usr/sbin:/sbin:$PATH command -v "$p") ||
		{ msg "$p is missing (packages: iptables, ethtool)"; exit 1; }
	GUEST_BINARIES+=("$f")
done
xt=$(ls -d /usr/lib/*/xtables 2> /dev/null | head -n 1)
[ -n "$xt" ] || { msg "no xtables extensions directory (iptables)"; exit 1; }
GUEST_FILES=("$xt" "$work/guest.sh" "$work/xdp_drop.o")
GUEST_NFHOOK_KO=$ko
GUEST_STEPS=("script:$work/bench.sh")
GUEST_SHELL=0
GUEST_MEM=${GUEST_MEM:-2G}

guest_initramfs "$work/initramfs.cpio" || exit 1

# --- the run ----------------------------------------------------------------------

msg "$mode: $(wc -w <<< "$rows") rows, $rounds rounds, $([ "$count" -gt 0 ] &&
	echo "$count packets" || echo "$seconds s") per run; kernel $rel"
start=$SECONDS
: > "$log"
if [ $verbose = 1 ]; then
	GUEST_VERBOSE=1 guest_boot "$kernel_image" "$work/initramfs.cpio" "$log"
else
	# Progress: the guest's own [bench] lines.
	guest_boot "$kernel_image" "$work/initramfs.cpio" "$log" &
	qemu_job=$!
	tail -n +1 -F --pid=$qemu_job "$log" 2> /dev/null | tr -d '\r' |
		grep --line-buffered -a '^\[bench\]' >&2 &
	wait $qemu_job
	wait
fi
msg "guest ran $((SECONDS - start)) s"

# The harness's verdict on the step (splats, timeouts), then each row's.
guest_out=$(guest_results "$log" stock "script:$work/bench.sh")
guest_rc=$?
status=$guest_rc
tr -d '\r' < "$log" | grep -a '^BENCH ' > "$work/bench.lines"

if [ $mode = smoke ]; then
	# One result line per row, for tests/check.sh.
	awk '$1 == "BENCH" && $2 == "verify" {
		res = $4; $1 = $2 = $4 = ""; id = $3; $3 = ""
		sub(/^ +/, "")
		print res " bench/" id ($0 != "" ? ": " $0 : "")
	}' "$work/bench.lines"
	for id in $rows $([ "$ctl_rules" != 0 ] && echo control-plane); do
		grep -q "^BENCH verify $id " "$work/bench.lines" ||
			{ echo "FAIL bench/$id: no result (see the guest step below)"; status=1; }
	done
	grep -q '^BENCH verify .* FAIL' "$work/bench.lines" && status=1
	if [ $status != 0 ]; then
		echo "$guest_out" | sed 's/^/    /'
		grep -a '\[bench\]' "$log" | tr -d '\r' | tail -n 30 | sed 's/^/    | /'
	fi
	exit $status
fi

echo "$guest_out" >&2
if ! grep -q '^BENCH run ' "$work/bench.lines"; then
	msg "no measurements; the console's tail:"
	tail -n 40 "$log" | tr -d '\r' >&2
	exit 1
fi
mkdir -p "$outdir" || exit 1
name=$outdir/$(date -u +%Y-%m-%dT%H%M)-$rel-$mode
/usr/bin/python3 "$bench/report.py" "$work/bench.lines" "$name" || exit 1
cat "$name.txt"
msg "results: $name.txt $name.json $name.png"
grep -q '^BENCH verify .* FAIL' "$work/bench.lines" && status=1
exit $status
