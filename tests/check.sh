#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test of nfhook, in order.
#
#   0. install the Debian packages the tests need (by name, with apt-get)
#   1. host unit tests of nfhookctl (make -C userland check)
#   2. the KUnit suites, in a guest running the debug kernel (KASAN, lockdep,
#      kmemleak; built once from linux-source-6.1 into $NFHOOK_CACHE)
#   3. the integration scenarios (tests/integration/*.sh) on the debug kernel,
#      then on Debian's stock kernel with the module built against the
#      installed linux-headers-amd64, as a user would; then make shell,
#      driven through its console (tests/shell/drive.sh); then every
#      configuration of make bench-quick set up in a stock-kernel guest, a
#      few packets sent through each and counted where the row says they
#      are dropped (bench/bench.sh --smoke: no speed is asserted); then
#      the labs of docs/labs/ (tests/labs/check.sh: each checker fails
#      before its exercise is done and passes after the reference solution)
#   4. make install, a DKMS build of the tree against the installed headers
#      (in a private DKMS tree), then the Debian packages installed and purged
#      on this machine (tests/packaging/test-packaging.sh)
#   5. the kernel matrix for the other Debian releases (tests/matrix.sh;
#      NFHOOK_CHECK_MATRIX="SERIES:SUITE ..." or none)
#
# Every result is one line (PASS, FAIL or SKIP and a name); a failure comes
# with the console excerpt or build output that explains it.  The last line
# is "N passed, N failed, N skipped"; the exit status is non-zero if anything
# failed.  All results are also kept in $NFHOOK_CACHE/check/results.txt.
#
#   tests/check.sh [-v]		-v: print passing results too
#
# Environment: NFHOOK_CACHE (default /var/cache/nfhook), NFHOOK_JOBS (make -j
# of a kernel build, default 3), NFHOOK_SCENARIOS="name ..." to run only
# those scenarios, NFHOOK_NO_INSTALL=1 to skip the package step.

# Results are piped into record(), which must count in this shell.
shopt -s lastpipe

tests=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$tests")
. "$tests/lib/packages.sh"
. "$tests/lib/kernel.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/build.sh"
. "$tests/lib/matrix.sh"

verbose=0
[ "${1:-}" = -v ] && verbose=1

check_dir=$NFHOOK_CACHE/check
mkdir -p "$check_dir"
results=$check_dir/results.txt
: > "$results"
npass=0 nfail=0 nskip=0
start_all=$SECONDS

# record: read result lines (and the excerpts that follow failures) on
# stdin, count them, keep them, show failures (everything with -v).
record()
{
	local line show=0

	while IFS= read -r line; do
		echo "$line" >> "$results"
		case $line in
		PASS\ *) npass=$((npass + 1)); show=$verbose ;;
		FAIL\ *) nfail=$((nfail + 1)); show=1 ;;
		SKIP\ *) nskip=$((nskip + 1)); show=1 ;;
		esac
		[ $show = 1 ] && echo "$line"
	done
}

# part N TITLE: a part's header; part_end prints how it went.
part()
{
	part_start=$SECONDS part_pass=$npass part_fail=$nfail part_skip=$nskip
	echo
	echo "== $1"
}

part_end()
{
	echo "-- $((npass - part_pass)) passed, $((nfail - part_fail)) failed," \
	     "$((nskip - part_skip)) skipped ($((SECONDS - part_start)) s)"
}

# result PASS|FAIL|SKIP NAME [DETAIL-FILE]: one result; a failure shows the
# tail of DETAIL-FILE.
result()
{
	{
		echo "$1 $2"
		if [ "$1" = FAIL ] && [ -n "${3:-}" ] && [ -s "$3" ]; then
			tail -n 40 "$3" | sed 's/^/    | /'
		fi
	} | record
}

# build_result NAME LOG: a module build's log must be free of warnings
# (W=1 everywhere, plus sparse where C=1 was given).
build_result()
{
	local name=$1 log=$2 out=$check_dir/${1//\//-}-warnings.txt

	if grep -iE '(^|[[:space:]])warning:' "$log" > "$out"; then
		result FAIL "$name/warnings" "$out"
	else
		result PASS "$name/warnings"
	fi
}

# --- 0. packages -------------------------------------------------------------

if ! packages_install 2> "$check_dir/apt.log"; then
	cat "$check_dir/apt.log"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

mapfile -t scenarios < <(guest_scenarios) || exit 2

# --- 1. host unit tests ------------------------------------------------------

part "1. host unit tests of nfhookctl (make -C userland check)"
make -C "$top/userland" check > "$check_dir/unit.log" 2>&1
unit_status=$?
# TAP-style lines "ok N - name" / "not ok N - name"; tools that only say
# "valgrind: clean" or "asan/ubsan: clean" count as one result each.
awk '
	/^ok [0-9]+/ { sub(/^ok [0-9]+ (- )?/, ""); print "PASS unit/" $0; next }
	/^not ok [0-9]+/ { sub(/^not ok [0-9]+ (- )?/, ""); print "FAIL unit/" $0; next }
	/^(valgrind|asan\/ubsan): clean$/ { sub(/: clean$/, ""); print "PASS unit/" $0 " clean"; next }
' "$check_dir/unit.log" | record
if [ $unit_status -ne 0 ] && ! grep -q '^not ok' "$check_dir/unit.log"; then
	result FAIL "unit/make -C userland check (exit $unit_status)" "$check_dir/unit.log"
elif ! grep -qE '^(not )?ok [0-9]+' "$check_dir/unit.log"; then
	result "$([ $unit_status = 0 ] && echo PASS || echo FAIL)" \
		"unit/make -C userland check" "$check_dir/unit.log"
fi
part_end

# nfhookctl and the test tools, for the guests.
GUEST_BINARIES=()
if ctl=$(build_userland 2> "$check_dir/userland.log"); then
	GUEST_BINARIES+=("$ctl")
else
	result FAIL "build/nfhookctl" "$check_dir/userland.log"
fi
if tools=$(build_tools 2> "$check_dir/tools.log"); then
	mapfile -t tools <<< "$tools"
	[ -n "${tools[0]:-}" ] && GUEST_BINARIES+=("${tools[@]}")
else
	result FAIL "build/tests-tools" "$check_dir/tools.log"
fi

# guest_run LABEL: boot the GUEST_* settings on the selected kernel and
# record the results.
guest_run()
{
	local label=$1 log=$check_dir/$1-console.log initrd=$check_dir/$1-initramfs.cpio

	if ! guest_initramfs "$initrd" 2> "$check_dir/$label-initramfs.log"; then
		result FAIL "$label/initramfs" "$check_dir/$label-initramfs.log"
		return
	fi
	guest_boot "$kernel_image" "$initrd" "$log"
	rm -f "$initrd"
	guest_results "$log" "$label" "${GUEST_STEPS[@]}" | record
	echo "   (console: $log)"
}

# --- 1b. kernel style and the netlink contract ---------------------------------

# checkpatch --strict of every kernel-side file, with the checkpatch.pl of
# the linux-source-6.1 tree the debug kernel is built from.
style_checkpatch()
{
	local version src f log

	version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null)
	if ! src=$(kernel_source /usr/src/linux-source-6.1.tar.xz \
			"linux-source-6.1_$version" 2> "$check_dir/checkpatch.log"); then
		result FAIL "style/checkpatch: no linux-source-6.1 tree" "$check_dir/checkpatch.log"
		return
	fi
	for f in "$top"/module/*.[ch] "$top"/module/kunit/*.[ch] \
		 "$top"/tests/clsbench/*.c "$top"/include/uapi/linux/nfhook.h; do
		log=$check_dir/checkpatch-$(basename "$f").log
		if "$src/scripts/checkpatch.pl" --strict --no-tree --quiet -f "$f" > "$log" 2>&1; then
			result PASS "style/checkpatch ${f#"$top"/}"
		else
			result FAIL "style/checkpatch ${f#"$top"/}" "$log"
		fi
	done
}

# The YAML spec with the ynl of every matrix kernel that ships one (its
# default schema and none), against the UAPI header, and the tree's hygiene
# (tests/spec/run.sh); TAP lines, a "# SKIP" one counted as skipped.
style_spec()
{
	local log=$check_dir/spec.log status

	"$tests/spec/run.sh" > "$log" 2>&1
	status=$?
	awk '/^ok [0-9]+ .*# SKIP/ { sub(/^ok [0-9]+ /, ""); print "SKIP " $0; next }
	     /^ok [0-9]+ / { sub(/^ok [0-9]+ /, ""); print "PASS " $0; next }
	     /^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); print "FAIL " $0; next }' "$log" | record
	if [ $status -ne 0 ] && ! grep -q '^not ok' "$log"; then
		result FAIL "spec/tests/spec/run.sh (exit $status)" "$log"
	fi
}

part "1b. kernel style (checkpatch --strict), the YAML spec with ynl, tree hygiene"
style_checkpatch
style_spec
part_end

# --- 2. KUnit on the debug kernel -----------------------------------------------

part "2. KUnit suites on the debug kernel"
debug_ok=0
if kernel_select debug 2> "$check_dir/kernel-debug.log"; then
	debug_ok=1

	result PASS "kernel/debug"
else
	result FAIL "kernel/debug: the debug kernel did not build" "$check_dir/kernel-debug.log"
fi
if [ $debug_ok = 1 ]; then
	if ko=$(build_module "$kernel_kdir" debug-kunit NFHOOK_KUNIT=y 2> "$check_dir/build-debug-kunit.log"); then
		result PASS "build/debug-kunit"
		build_result build/debug-kunit "$(build_module_log debug-kunit)"
		GUEST_KMODS=() GUEST_NFHOOK_KO='' GUEST_SHELL=0
		GUEST_STEPS=("kunit:$ko")
		guest_run debug-kunit
	else
		result FAIL "build/debug-kunit: nfhook.ko with NFHOOK_KUNIT=y" "$check_dir/build-debug-kunit.log"
	fi
fi
part_end

# --- 3. integration ------------------------------------------------------------

integration()
{
	local label=$1
	shift
	local ko s

	if ! ko=$(build_module "$kernel_kdir" "$label" "$@" 2> "$check_dir/build-$label.log"); then
		result FAIL "build/$label: nfhook.ko against $kernel_kdir" "$check_dir/build-$label.log"
		return
	fi
	result PASS "build/$label"
	build_result "build/$label" "$(build_module_log "$label")"
	if [ ${#scenarios[@]} -eq 0 ]; then
		result SKIP "$label/integration: no scenarios in tests/integration"
		return
	fi
	GUEST_KMODS=("${kernel_kmods[@]}") GUEST_NFHOOK_KO=$ko GUEST_SHELL=0
	GUEST_STEPS=()
	for s in "${scenarios[@]}"; do
		GUEST_STEPS+=("script:$s")
	done
	guest_run "$label"
}

part "3a. integration scenarios on the debug kernel"
if [ $debug_ok = 1 ]; then
	kernel_select debug 2> /dev/null
	integration debug
else
	result SKIP "debug/integration: no debug kernel"
fi
part_end

part "3b. integration scenarios on the stock Debian kernel"
if kernel_select stock 2> "$check_dir/kernel-stock.log"; then
	result PASS "kernel/stock $(basename "$kernel_image")"
	# As a user builds it: make KDIR=/lib/modules/REL/build (with W=1 and
	# sparse on top).
	integration stock C=1
else
	result FAIL "kernel/stock: Debian's kernel image could not be fetched" "$check_dir/kernel-stock.log"
fi
part_end

part "3c. make shell, driven like a user (tests/shell/drive.sh)"
"$tests/shell/drive.sh" > "$check_dir/shell.log" 2>&1
awk '/^ok [0-9]+ / { sub(/^ok [0-9]+ - /, ""); print "PASS shell/" $0; next }
     /^not ok [0-9]+ / { sub(/^not ok [0-9]+ - /, ""); print "FAIL shell/" $0; next }' \
	"$check_dir/shell.log" | record
grep -q '^not ok' "$check_dir/shell.log" && result FAIL "shell/console" "$check_dir/shell.log"
part_end

# --- 3d. the benchmark's setup ----------------------------------------------------

# bench-quick's rows set up once with 100 packets each, so the benchmark
# cannot rot: each row's own counter (rule, chain, iptables, XDP, or the
# stack's for the rows without a filter) must account for every packet.
part "3d. make bench-quick's setup on the stock kernel (100 packets a row)"
bench_fail=$nfail
NFHOOK_NO_INSTALL=1 "$top/bench/bench.sh" --smoke --log "$check_dir/bench-console.log" \
	2> "$check_dir/bench.log" | record
bench_status=${PIPESTATUS[0]}
if [ "$bench_status" -ne 0 ] && [ "$nfail" = "$bench_fail" ]; then
	result FAIL "bench/bench.sh --smoke (exit $bench_status)" "$check_dir/bench.log"
fi
echo "   (console: $check_dir/bench-console.log)"
part_end

# --- 3e. the labs --------------------------------------------------------------

# Every lab of docs/labs/ in one stock-kernel guest: its checker fails
# after setup (with a reason), passes after the reference solution, and
# fails for the expected reason after each wrong solution.
part "3e. the labs' checkers on the stock kernel (tests/labs/check.sh)"
labs_fail=$nfail
NFHOOK_NO_INSTALL=1 "$tests/labs/check.sh" --log "$check_dir/labs-console.log" \
	2> "$check_dir/labs.log" | record
labs_status=${PIPESTATUS[0]}
if [ "$labs_status" -ne 0 ] && [ "$nfail" = "$labs_fail" ]; then
	result FAIL "labs/tests/labs/check.sh (exit $labs_status)" "$check_dir/labs.log"
fi
echo "   (console: $check_dir/labs-console.log)"
part_end

# --- 4. install, DKMS, packages ---------------------------------------------------------------

part "4. install, DKMS build against the installed headers, Debian packages"
# tap_record PREFIX LOG STATUS: the "ok N desc" / "not ok N desc" lines of a
# packaging script as results; a non-zero exit with no failed line fails too.
tap_record()
{
	local prefix=$1 log=$2 status=$3

	awk -v p="$prefix" '
		/^ok [0-9]+ .*# SKIP/ { sub(/^ok [0-9]+ /, ""); print "SKIP " p $0; next }
		/^ok [0-9]+ / { sub(/^ok [0-9]+ /, ""); print "PASS " p $0; next }
		/^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); print "FAIL " p $0; next }' "$log" |
		record
	if grep -q '^not ok' "$log"; then
		tail -n 30 "$log"
	elif [ "$status" -ne 0 ]; then
		result FAIL "$prefix$(basename "$log") (exit $status)" "$log"
	fi
}

# The host part keeps the packages and the module their DKMS built for the
# stock kernel; the guest part loads that module and runs the packaged
# systemd unit's commands in a stock-kernel guest.
pkg_keep=$check_dir/packages
rm -rf "$pkg_keep"
read -r stock_rel _ < <(kernel_stock_release 2> /dev/null)
NFHOOK_KVER=$stock_rel NFHOOK_KEEP_DEBS=$pkg_keep/debs NFHOOK_KEEP_KO=$pkg_keep/ko \
	"$tests/packaging/test-packaging.sh" > "$check_dir/packaging.log" 2>&1
tap_record packaging/ "$check_dir/packaging.log" $?
if ls "$pkg_keep"/ko/nfhook.ko > /dev/null 2>&1; then
	NFHOOK_GUEST_DEBS=$pkg_keep/debs NFHOOK_GUEST_KO=$pkg_keep/ko \
		"$tests/packaging/test-guest.sh" > "$check_dir/packaging-guest.log" 2>&1
	tap_record packaging-guest/ "$check_dir/packaging-guest.log" $?
else
	result FAIL "packaging-guest: no module kept by the host part" "$check_dir/packaging.log"
fi
part_end

# --- 5. the other kernels ----------------------------------------------------------

# 6.1 is covered above by the debug and the stock kernel; the matrix adds the
# other Debian releases' kernels (make check-matrix runs all four).
part "5. kernel matrix: ${NFHOOK_CHECK_MATRIX:=5.10:bullseye 6.12:trixie 7.2:sid}"
if [ "$NFHOOK_CHECK_MATRIX" = none ]; then
	result SKIP "matrix: NFHOOK_CHECK_MATRIX=none"
else
	NFHOOK_MATRIX=$NFHOOK_CHECK_MATRIX "$tests/matrix.sh" > "$check_dir/matrix.log" 2>&1
	matrix_status=$?
	# Its own totals (every build, warning check, KUnit case and scenario)
	# join ours; its failure and skip lines, and its table, are shown.
	if read -r p f k < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p' \
			     "$check_dir/matrix.log" | tail -n 1); then
		npass=$((npass + p)) nfail=$((nfail + f)) nskip=$((nskip + ${k:-0}))
		grep -E '^(FAIL|SKIP|    \|)' "$check_dir/matrix.log" | tee -a "$results"
		sed -n '/^kernel release/,/^matrix:/p' "$check_dir/matrix.log"
		if [ $matrix_status -ne 0 ] && [ "$f" = 0 ]; then
			result FAIL "matrix/tests/matrix.sh (exit $matrix_status)" "$check_dir/matrix.log"
		fi
	else
		result FAIL "matrix/tests/matrix.sh ended without totals (exit $matrix_status)" \
			"$check_dir/matrix.log"
	fi
fi
part_end

echo
echo "check: $((SECONDS - start_all)) s; results in $results"
echo "$npass passed, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ]
