#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix (make check-matrix): for each kernel of today's Debian
# releases (5.10 bullseye, 6.1 bookworm, 6.12 trixie, 7.2 sid)
#   1. fetch linux-source-SERIES of that release (version resolved by apt)
#      and build a minimal kernel: allnoconfig + tests/kernel/base.config
#      (+ tests/kernel/matrix-SERIES.config), KUnit built in, cached in
#      $NFHOOK_CACHE (default /var/cache/nfhook) like the debug kernel;
#   2. build nfhook.ko against it with W=1, plain and with NFHOOK_KUNIT=y;
#      any warning fails the kernel;
#   3. boot it (qemu, TCG) and run the KUnit suites and the integration
#      scenarios of tests/integration that depend on the kernel's version
#      (matrix_scenarios_default in tests/lib/matrix.sh).
# Then one row per kernel and "N passed, N failed[, N skipped]" over every
# check (build, warnings, each KUnit case, each scenario).  Exit status 0 if
# nothing failed, 1 otherwise.
#
#   tests/matrix.sh [SERIES...]		only these kernels (e.g. 6.12 7.2)
#
# Environment: NFHOOK_MATRIX="SERIES:SUITE ..." replaces the list of kernels;
# NFHOOK_SCENARIOS="name ..." runs these scenarios instead; NFHOOK_JOBS (make
# -j of a kernel build, default 3); NFHOOK_MATRIX_NO_GUEST=1 stops after
# the builds.  Logs: $NFHOOK_CACHE/matrix/SERIES-*.

tests=$(cd "$(dirname "$0")" && pwd)
. "$tests/lib/packages.sh"
. "$tests/lib/kernel.sh"
. "$tests/lib/build.sh"
. "$tests/lib/guest.sh"
. "$tests/lib/matrix.sh"

mapfile -t entries < <(matrix_entries) || exit 2
[ ${#entries[@]} -gt 0 ] || exit 2
if [ $# -gt 0 ]; then
	wanted=()
	for series in "$@"; do
		found=
		for e in "${entries[@]}"; do
			[ "${e%%:*}" = "$series" ] && wanted+=("$e") && found=1
		done
		if [ -z "$found" ]; then
			echo "matrix.sh: no kernel $series (have: ${entries[*]%%:*})" >&2
			exit 2
		fi
	done
	entries=("${wanted[@]}")
fi

packages_install || exit 1

npass=0 nfail=0 nskip=0
rows=()
failures=()
skips=()
start_all=$SECONDS
mkdir -p "$matrix_dir"

# count PASS|FAIL|SKIP: one check's outcome in the totals.
count()
{
	case $1 in
	PASS) npass=$((npass + 1)) ;;
	FAIL) nfail=$((nfail + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	esac
}

# nfhookctl and the test tools are host programs: one build serves every
# guest.  nfhookctl is built in a copy of the tree, like the module.
GUEST_BINARIES=()
if ctl_tree=$(build_copy matrix-userland) &&
   make -s -C "$ctl_tree" userland > "$matrix_dir/userland.log" 2>&1; then
	GUEST_BINARIES+=("$ctl_tree/userland/nfhookctl")
else
	matrix_msg "nfhookctl did not build ($matrix_dir/userland.log); the guests have none"
fi
mapfile -t tools < <(build_tools) && GUEST_BINARIES+=("${tools[@]}")
if [ -z "${NFHOOK_SCENARIOS:-}" ]; then
	for s in $matrix_scenarios_default; do
		[ -f "$tests/integration/$s.sh" ] && NFHOOK_SCENARIOS+=" $s"
	done
fi
mapfile -t scenarios < <(guest_scenarios) || exit 2
if [ ${#scenarios[@]} -eq 0 ]; then
	matrix_msg "no integration scenarios in tests/integration yet: the" \
		   "integration column is skipped (guest_scenarios in tests/lib/guest.sh)"
fi

for entry in "${entries[@]}"; do
	series=${entry%%:*} suite=${entry#*:}
	t0=$SECONDS
	version=- build=FAIL warnings=- kunit=- integration=-
	log_prefix=$matrix_dir/$series
	echo "=== $series ($suite)" >&2

	# 1. The kernel.
	if ! matrix_select "$series" "$suite"; then
		count FAIL
		failures+=("FAIL $series/kernel: linux-source-$series from $suite did not build (kernel: lines above)")
		rows+=("$series|$suite|${matrix_version:--}|kernel FAIL|-|-|-|$((SECONDS - t0))")
		continue
	fi
	version=$matrix_version

	# 2. The module, plain and with its KUnit suites, W=1.
	ko= kko= build=ok
	if ! ko=$(build_module "$kernel_kdir" "matrix-$series"); then
		build=FAIL
		failures+=("FAIL $series/build: nfhook.ko (log: $(build_module_log "matrix-$series"))")
	fi
	kunit_skip=
	if ! kko=$(build_module "$kernel_kdir" "matrix-$series-kunit" NFHOOK_KUNIT=y 2>"$log_prefix-kunit-build.err"); then
		# module/compat.h stops the build with this message on a
		# kernel whose KUnit cannot host nfhook's suites.
		kunit_skip=$(grep -o 'nfhook-kunit-unsupported: [^"]*' \
			     "$(build_module_log "matrix-$series-kunit")" | head -n 1)
		if [ -n "$kunit_skip" ]; then
			kunit_skip=${kunit_skip#*: }
			kko=
		else
			cat "$log_prefix-kunit-build.err" >&2
			build=FAIL
			failures+=("FAIL $series/build-kunit: nfhook.ko with NFHOOK_KUNIT=y (log: $(build_module_log "matrix-$series-kunit"))")
		fi
	fi
	count "$([ $build = ok ] && echo PASS || echo FAIL)"
	{
		matrix_warnings "$(build_module_log "matrix-$series")"
		[ -n "$kunit_skip" ] ||
			matrix_warnings "$(build_module_log "matrix-$series-kunit")"
	} | sort -u > "$log_prefix-warnings.txt"
	warnings=$(wc -l < "$log_prefix-warnings.txt")
	if [ "$build" = ok ]; then
		if [ "$warnings" -eq 0 ]; then
			count PASS
		else
			count FAIL
			failures+=("FAIL $series/warnings: $warnings W=1 warnings ($log_prefix-warnings.txt)")
			sed 's/^/    | /' "$log_prefix-warnings.txt" | head -n 20 >&2
		fi
	fi
	if [ -n "$kunit_skip" ]; then
		count SKIP
		skips+=("SKIP $series/kunit: $kunit_skip")
	fi
	if [ "$build" != ok ] || [ "${NFHOOK_MATRIX_NO_GUEST:-0}" = 1 ]; then
		rows+=("$series|$suite|$version|$build|$warnings|${kunit_skip:+skipped}|-|$((SECONDS - t0))")
		continue
	fi

	# 3. One guest: the KUnit suites, then every scenario.
	GUEST_KMODS=("${kernel_kmods[@]}")
	GUEST_NFHOOK_KO=$ko
	GUEST_SHELL=0
	GUEST_STEPS=()
	[ -n "$kko" ] && GUEST_STEPS+=("kunit:$kko")
	for s in "${scenarios[@]}"; do
		GUEST_STEPS+=("script:$s")
	done
	initrd=$log_prefix-initramfs.cpio
	console=$log_prefix-console.log
	if ! guest_initramfs "$initrd"; then
		count FAIL
		failures+=("FAIL $series/guest: the initramfs could not be built")
		rows+=("$series|$suite|$version|$build|$warnings|-|-|$((SECONDS - t0))")
		continue
	fi
	guest_boot "$kernel_image" "$initrd" "$console"
	rm -f "$initrd"
	guest_results "$console" "$series" "${GUEST_STEPS[@]}" > "$log_prefix-results.txt"

	kp=0 kf=0 ks=0 ip=0 if_=0 is=0
	while IFS= read -r line; do
		[[ $line =~ ^(PASS|FAIL|SKIP)\ ([^:]*) ]] || {
			# A failure's console excerpt goes with it.
			[ "$last" = FAIL ] && failures+=("$line")
			continue
		}
		res=${BASH_REMATCH[1]} what=${BASH_REMATCH[2]#"$series"/}
		last=$res
		[ "$res" = FAIL ] && failures+=("$line")
		case $what in
		kunit|kunit/*)
			case $res in PASS) kp=$((kp + 1)) ;; FAIL) kf=$((kf + 1)) ;; SKIP) ks=$((ks + 1)) ;; esac
			;;
		boot|shutdown|kmemleak)
			# The guest itself: only its failures are counted,
			# against the integration column.
			[ "$res" = PASS ] && continue
			[ "$res" = FAIL ] && if_=$((if_ + 1))
			;;
		*)
			case $res in PASS) ip=$((ip + 1)) ;; FAIL) if_=$((if_ + 1)) ;; SKIP) is=$((is + 1)) ;; esac
			;;
		esac
		count "$res"
	done < "$log_prefix-results.txt"
	last=
	kunit="$kp/$kf"
	[ $ks -gt 0 ] && kunit+=" ($ks skip)"
	[ -n "$kunit_skip" ] && kunit="skipped"
	if [ ${#scenarios[@]} -eq 0 ] && [ $if_ -eq 0 ]; then
		integration="none yet"
		count SKIP
	else
		integration="$ip/$if_"
		[ $is -gt 0 ] && integration+=" ($is skip)"
	fi
	rows+=("$series|$suite|$version|$build|$warnings|$kunit|$integration|$((SECONDS - t0))")
done

if [ ${#skips[@]} -gt 0 ]; then
	echo
	printf '%s\n' "${skips[@]}"
fi
if [ ${#failures[@]} -gt 0 ]; then
	echo
	printf '%s\n' "${failures[@]}"
fi
echo
printf '%-6s %-9s %-12s %-6s %-9s %-12s %-12s %s\n' kernel release "source" build warnings \
	"kunit p/f" "integ. p/f" time
for row in "${rows[@]}"; do
	IFS='|' read -r a b c d e f g h <<< "$row"
	printf '%-6s %-9s %-12s %-6s %-9s %-12s %-12s %s s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"
done
echo "matrix: $((SECONDS - start_all)) s"
summary="$npass passed, $nfail failed"
[ $nskip -gt 0 ] && summary+=", $nskip skipped"
echo "$summary"
[ $nfail -eq 0 ]
