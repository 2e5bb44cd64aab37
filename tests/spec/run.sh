#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host checks of tests/spec, in seconds once the kernel trees are cached
# (part 1b of tests/check.sh):
#   - docs/nfhook.yaml with the ynl of every kernel of the matrix that ships
#     one (tests/lib/matrix.sh's matrix_ynl_entries: 6.12 and 7.2): loaded
#     with that kernel's default schema and without a schema, every
#     operation uns-admin-perm (check-spec.py); with the newest, every value
#     against include/uapi/linux/nfhook.h;
#   - the git index holds no build product (check-tree.sh).
# The first run downloads each kernel's linux-source package (through
# tests/lib/debian-fetch.sh) and keeps its ynl in $NFHOOK_CACHE/ynl.
#
# Prints "ok N ..." / "not ok N ..." lines, numbered across all checks, and
# exits 1 if any failed.  Runs Debian's python (YNL_PYTHON), whose yaml and
# jsonschema tests/lib/packages.sh installs.

spec_dir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$spec_dir/../.." && pwd)
. "$spec_dir/../lib/ynl.sh"

status=0
mapfile -t kernels < <(ynl_kernels)

{
	if [ ${#kernels[@]} -eq 0 ]; then
		echo "not ok 1 spec: no kernel of the matrix ships ynl (matrix_ynl_entries)"
		status=1
	fi
	for ((i = 0; i < ${#kernels[@]}; i++)); do
		series=${kernels[i]%%:*} suite=${kernels[i]#*:}
		uapi=()
		# The UAPI once, with the newest ynl.
		[ $i -eq $((${#kernels[@]} - 1)) ] && uapi=(--uapi "$top/include/uapi")
		if ! tree=$(ynl_tree "$series" "$suite" 2> "${TMPDIR:-/tmp}/nfhook-spec-$series.err"); then
			echo "not ok 1 spec $series: linux-source-$series ($suite) has ynl and its schemas"
			sed 's/^/# /' "${TMPDIR:-/tmp}/nfhook-spec-$series.err"
			status=1
		else
			echo "# $series: tools/net/ynl of linux-source-$series $(cat "$tree/VERSION")"
			"$YNL_PYTHON" -E "$spec_dir/check-spec.py" --label "$series" "${uapi[@]}" \
				"$tree" "$top/docs/nfhook.yaml" || status=1
		fi
		rm -f "${TMPDIR:-/tmp}/nfhook-spec-$series.err"
	done
	"$spec_dir/check-tree.sh" "$top" || status=1
	exit $status
} | awk '/^(not )?ok [0-9]+ / {
		n++
		sub(/^ok [0-9]+ /, "ok " n " ")
		sub(/^not ok [0-9]+ /, "not ok " n " ")
	}
	{ print; fflush() }'
# The status of the block, not awk's.
exit "${PIPESTATUS[0]}"
