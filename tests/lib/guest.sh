# SPDX-License-Identifier: GPL-2.0
#
# Test guests: an initramfs around tests/guest/init, booted with qemu (TCG),
# and the reading of their console log.  Sourced by tests/vm.sh,
# tests/check.sh and tests/demo.sh.
#
#   guest_initramfs OUT			build the initramfs from the GUEST_* settings
#   guest_boot KERNEL INITRD LOG		boot it; console to LOG (and the terminal
#					if GUEST_INTERACTIVE=1)
#   guest_results LOG LABEL STEP...	one result line per step (and per KUnit
#					test), with the console excerpt of failures
#   guest_scenarios			the integration scenarios to run
#
# Settings, set by the caller before guest_initramfs:
#   GUEST_KMODS=(ko...)	kernel modules to load first, dependencies first
#   GUEST_NFHOOK_KO=path	nfhook.ko for the script steps (may be empty)
#   GUEST_STEPS=(kunit:KO|script:PATH ...)
#   GUEST_SHELL=1		end with an interactive shell
#   GUEST_FILES=(path|src=dest...)	extra host files, copied to the same path
#			in the guest, or SRC copied to DEST
#   GUEST_PYTHON=auto|1|0	python3 and the kernel's ynl client (tests/lib/ynl.sh);
#			auto: when a script step has a "# nfhook-guest: python" line

guest_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
guest_tests_dir=$(dirname "$guest_lib_dir")
. "$guest_lib_dir/ynl.sh"
GUEST_MEM=${GUEST_MEM:-1G}
GUEST_SMP=${GUEST_SMP:-2}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-1800}
GUEST_STEP_TIMEOUT=${GUEST_STEP_TIMEOUT:-600}

# Programs the guest scripts use, with the libraries ldd names for them.
# Busybox provides everything else (its applets come after these in PATH).
guest_programs=(/bin/bash /usr/sbin/ip /usr/sbin/nft /usr/bin/setpriv
		/usr/bin/jq /usr/bin/timeout /usr/bin/socat
		/usr/sbin/iptables-legacy /usr/sbin/tc)

guest_msg()
{
	echo "guest: $*" >&2
}

# guest_scenarios: the integration scenarios, one path a line: every
# tests/integration/*.sh (the libraries they source are in
# tests/integration/lib/), or those NFHOOK_SCENARIOS names (names or paths,
# as tests/vm.sh takes them).
guest_scenarios()
{
	local s dir=$guest_tests_dir/integration

	if [ -n "${NFHOOK_SCENARIOS:-}" ]; then
		for s in $NFHOOK_SCENARIOS; do
			if [ -f "$s" ]; then
				realpath "$s"
			elif [ -f "$dir/$s.sh" ]; then
				realpath "$dir/$s.sh"
			else
				guest_msg "no scenario $s"
				return 1
			fi
		done
		return 0
	fi
	for s in "$dir"/*.sh; do
		[ -f "$s" ] && realpath "$s"
	done
	return 0
}

# guest_copy_binary STAGE FILE [DEST]: FILE and the shared libraries it
# needs, at their own paths (or DEST) under STAGE.
guest_copy_binary()
{
	local stage=$1 file=$2 dest=${3:-$2} lib

	mkdir -p "$stage$(dirname "$dest")"
	rm -f "$stage$dest"
	cp -L "$file" "$stage$dest" || return 1
	while read -r lib; do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib" || return 1
	done < <(ldd "$file" 2>/dev/null |
		 sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p')
}

# guest_initramfs OUT: write an uncompressed initramfs (the kernel reads it
# directly; decompressing under TCG would cost more than reading it).
guest_initramfs()
{
	local out=$1 stage applet prog ko i script f src dest
	local -a kmods=() steps=()

	stage=$(mktemp -d "${TMPDIR:-/tmp}/nfhook-initramfs.XXXXXX") || return 1
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc/nfhook} \
		 "$stage"/{proc,sys,dev,tmp,run,root,nfhook/kmod,nfhook/tests}

	cp /bin/busybox "$stage/bin/busybox" || return 1
	for applet in $(/bin/busybox --list); do
		[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
	done
	# Debian's static bash, where installed, starts twice as fast.
	local static_bash=0
	if [ -x /bin/bash-static ]; then
		rm -f "$stage/bin/bash"
		cp /bin/bash-static "$stage/bin/bash" || return 1
		static_bash=1
	fi
	for prog in "${guest_programs[@]}"; do
		[ "$prog" = /bin/bash ] && [ $static_bash = 1 ] && continue
		if [ -x "$prog" ]; then
			guest_copy_binary "$stage" "$prog" || return 1
		else
			guest_msg "warning: $prog missing on the host; not in the guest"
		fi
	done
	# The guest's own nfhookctl and test tools.
	for f in "${GUEST_BINARIES[@]}"; do
		guest_copy_binary "$stage" "$f" "/usr/local/bin/$(basename "$f")" ||
			return 1
	done
	for f in "${GUEST_FILES[@]}"; do
		case $f in
		*=*) src=${f%%=*} dest=${f#*=} ;;
		*) src=$f dest=$f ;;
		esac
		mkdir -p "$stage$(dirname "$dest")"
		cp -a "$src" "$stage$dest" || return 1
	done
	# python and ynl only for the scenarios that ask (12 MB more); without
	# them those scenarios skip.
	if ynl_wanted "${GUEST_STEPS[@]}" &&
	   ! ynl_guest "$stage" "$guest_tests_dir/../docs/nfhook.yaml"; then
		guest_msg "warning: no python or ynl in the guest"
	fi

	printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		> "$stage/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
	printf '127.0.0.1 localhost\n::1 localhost\n' > "$stage/etc/hosts"
	cp "$guest_tests_dir/guest/init" "$stage/init"
	chmod 755 "$stage/init"

	# The scenarios and the libraries they source (integration/lib/), at
	# /nfhook/tests.
	cp -a "$guest_tests_dir/integration" "$stage/nfhook/tests/" 2>/dev/null
	i=0
	for ko in "${GUEST_KMODS[@]}"; do
		i=$((i + 1))
		cp "$ko" "$stage/nfhook/kmod/$(printf %02d $i)-$(basename "$ko")" ||
			return 1
		kmods+=("/nfhook/kmod/$(printf %02d $i)-$(basename "$ko")")
	done
	if [ -n "$GUEST_NFHOOK_KO" ]; then
		cp "$GUEST_NFHOOK_KO" "$stage/nfhook/nfhook.ko" || return 1
	fi
	for step in "${GUEST_STEPS[@]}"; do
		case $step in
		kunit:*)
			cp "${step#kunit:}" "$stage/nfhook/nfhook-kunit.ko" || return 1
			steps+=("kunit:/nfhook/nfhook-kunit.ko")
			;;
		script:*)
			# Scenarios of tests/integration run from their copy
			# there; others from a directory with its own lib/.
			script=$(realpath "${step#script:}")
			if [ "$(dirname "$script")" = "$guest_tests_dir/integration" ]; then
				steps+=("script:/nfhook/tests/integration/$(basename "$script")")
				continue
			fi
			f=/nfhook/tests/run/$(basename "$script")
			mkdir -p "$stage/nfhook/tests/run"
			cp "$script" "$stage$f" || return 1
			[ -d "$stage/nfhook/tests/run/lib" ] ||
				cp -a "$guest_tests_dir/integration/lib" "$stage/nfhook/tests/run/" ||
				return 1
			steps+=("script:$f")
			;;
		esac
	done
	{
		echo "# Written by tests/lib/guest.sh"
		printf 'NFHOOK_KMODS=(%s)\n' "${kmods[*]}"
		printf 'NFHOOK_KO=%s\n' "${GUEST_NFHOOK_KO:+/nfhook/nfhook.ko}"
		printf 'NFHOOK_STEPS=(%s)\n' "${steps[*]}"
		printf 'NFHOOK_SHELL=%s\n' "${GUEST_SHELL:-0}"
		printf 'NFHOOK_STEP_TIMEOUT=%s\n' "$GUEST_STEP_TIMEOUT"
	} > "$stage/etc/nfhook/guest.conf"

	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) > "$out"
	local status=$?
	rm -rf "$stage"
	return $status
}

# guest_boot KERNEL INITRD LOG: boot and wait for the guest to end (or
# GUEST_TIMEOUT seconds).  The outcome is in LOG's markers, not in the exit
# status, which only says whether qemu could run at all.
guest_boot()
{
	local kernel=$1 initrd=$2 log=$3 status
	local -a qemu=(qemu-system-x86_64 -accel tcg -m "$GUEST_MEM"
		       -smp "$GUEST_SMP" -nographic -no-reboot
		       -kernel "$kernel" -initrd "$initrd"
		       -append "console=ttyS0 panic=-1 oops=panic printk.time=1 no_hash_pointers ${GUEST_APPEND:-}"
		       ${GUEST_QEMU_OPTS:-})

	if [ "${GUEST_INTERACTIVE:-0}" = 1 ]; then
		"${qemu[@]}" 2>&1 | tee "$log"
		return "${PIPESTATUS[0]}"
	fi
	if [ "${GUEST_VERBOSE:-0}" = 1 ]; then
		timeout --foreground -k 10 "$GUEST_TIMEOUT" "${qemu[@]}" \
			< /dev/null 2>&1 | tee "$log"
		status=${PIPESTATUS[0]}
	else
		timeout -k 10 "$GUEST_TIMEOUT" "${qemu[@]}" < /dev/null > "$log" 2>&1
		status=$?
	fi
	[ $status -eq 124 ] && echo "NFHOOK-HOST timeout after $GUEST_TIMEOUT s" >> "$log"
	return $status
}

# Kernel reports that fail a run, as "name|extended regex".  They only count
# on printk lines (the "[ seconds]" stamp), except kmemleak's report, which
# the init prints from debugfs.
guest_splats=(
	"KASAN|BUG: KASAN:"
	"UBSAN|UBSAN:"
	"lockdep: circular locking|possible circular locking dependency"
	"lockdep: recursive locking|possible recursive locking"
	"lockdep: inconsistent lock state|inconsistent lock state"
	"lockdep: suspicious RCU usage|suspicious RCU usage"
	"lockdep|lock held when returning to user space|held lock freed|bad unlock balance"
	"sleeping in atomic context|BUG: sleeping function called from invalid context|BUG: scheduling while atomic"
	"RCU stall|rcu_.* (self-)?detected stall|detected stalls on CPUs|RCU stall"
	"soft lockup|BUG: soft lockup|hung_task|blocked for more than [0-9]+ seconds"
	"Oops|Oops:|general protection fault|kernel BUG at|BUG: unable to handle|BUG: kernel NULL pointer"
	"debugobjects|ODEBUG:"
	"list corruption|list_(add|del) corruption"
	"panic|Kernel panic"
	"BUG|BUG:"
	"WARNING|WARNING:"
)

# guest_splat LINE: the name of the report LINE starts, if any.
guest_splat()
{
	local line=$1 entry

	if [[ $line == *"unreferenced object 0x"* ]]; then
		echo "kmemleak: unreferenced object"
		return 0
	fi
	[[ $line =~ \[\ *[0-9]+\.[0-9]+\]\  ]] || return 1
	for entry in "${guest_splats[@]}"; do
		if [[ $line =~ ${entry#*|} ]]; then
			echo "${entry%%|*}"
			return 0
		fi
	done
	return 1
}

# guest_excerpt LOG LINENO: the console around line LINENO, indented.
guest_excerpt()
{
	local log=$1 n=$2 from

	from=$((n > 15 ? n - 15 : 1))
	sed -n "${from},$((n + 45))p" "$log" | tr -d '\r' | sed 's/^/    | /'
}

# guest_results LOG LABEL STEP...: decide each step from the markers and
# the reports in LOG and print one line per result:
#	PASS LABEL/step
#	FAIL LABEL/step: reason	(followed by the console excerpt)
#	SKIP LABEL/step
# A KUnit step is expanded into its tests from the KTAP on the console.
# Returns non-zero if anything failed.
guest_results()
{
	local log=$1 label=$2 step name line n=0 current=boot rc=0 splat
	shift 2
	local -A result=() reason=() splat_at=() seen_begin=()
	local -a order=(boot)
	local done=0 booted=0

	for step in "$@"; do
		case $step in
		kunit:*) name=kunit ;;
		*) name=$(basename "${step#*:}" .sh) ;;
		esac
		order+=("$name")
	done

	while IFS= read -r line; do
		n=$((n + 1))
		line=${line%$'\r'}
		case $line in
		*NFHOOK-BEGIN\ *)
			read -r current _ <<< "${line##*NFHOOK-BEGIN }"
			seen_begin[$current]=1
			[[ " ${order[*]} " == *" $current "* ]] || order+=("$current")
			continue
			;;
		*NFHOOK-RESULT\ *)
			read -r name res why <<< "${line##*NFHOOK-RESULT }"
			result[$name]=$res
			reason[$name]=$why
			[[ " ${order[*]} " == *" $name "* ]] || order+=("$name")
			continue
			;;
		*NFHOOK-BOOTED\ *)
			booted=1
			continue
			;;
		*NFHOOK-DONE*)
			done=1
			current=shutdown
			continue
			;;
		esac
		if [ -z "${splat_at[$current]}" ] && splat=$(guest_splat "$line"); then
			splat_at[$current]=$n
			reason[$current]="kernel splat: $splat"
		fi
	done < "$log"

	[ $booted = 1 ] && [ -z "${result[boot]}" ] && result[boot]=PASS
	for name in "${order[@]}" shutdown; do
		if [ -n "${splat_at[$name]}" ]; then
			echo "FAIL $label/$name: ${reason[$name]}"
			guest_excerpt "$log" "${splat_at[$name]}"
			rc=1
			continue
		fi
		[ "$name" = shutdown ] && continue
		case ${result[$name]} in
		PASS)
			if [ "$name" = kunit ]; then
				guest_ktap "$log" "$label/kunit" || rc=1
			else
				echo "PASS $label/$name"
			fi
			;;
		SKIP)
			echo "SKIP $label/$name${reason[$name]:+: ${reason[$name]}}"
			;;
		FAIL)
			echo "FAIL $label/$name: ${reason[$name]:-failed}"
			guest_step_output "$log" "$name"
			[ "$name" = kunit ] && guest_ktap "$log" "$label/kunit" > /dev/null
			rc=1
			;;
		*)
			if [ -n "${seen_begin[$name]}" ]; then
				echo "FAIL $label/$name: no result (the guest crashed, hung or timed out during it)"
			else
				echo "FAIL $label/$name: never ran (the guest ended before it)"
			fi
			tail -n 40 "$log" | tr -d '\r' | sed 's/^/    | /'
			rc=1
			;;
		esac
	done
	if [ $done = 0 ] && [ $rc = 0 ]; then
		echo "FAIL $label/shutdown: the guest did not finish"
		tail -n 20 "$log" | tr -d '\r' | sed 's/^/    | /'
		rc=1
	fi
	return $rc
}

# guest_step_output LOG STEP: the console between a step's markers.
guest_step_output()
{
	sed -n "/NFHOOK-BEGIN $2 /,/NFHOOK-RESULT $2 /p" "$1" | tr -d '\r' |
		tail -n 60 | sed 's/^/    | /'
}

# guest_ktap LOG LABEL: the KUnit results in LOG's kunit step, one line
# each (see ktap.awk).
guest_ktap()
{
	sed -n '/NFHOOK-BEGIN kunit /,/NFHOOK-RESULT kunit /p' "$1" | tr -d '\r' |
		awk -v label="$2" -f "$guest_lib_dir/ktap.awk"
}
