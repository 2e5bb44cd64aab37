# SPDX-License-Identifier: GPL-2.0
#
# The kernel's generic netlink client, ynl (tools/net/ynl), of every kernel
# of the matrix that ships one, with the schemas it validates specs against
# (Documentation/netlink/*.yaml); and the python3 it runs on, for the test
# guests.  Sourced by tests/lib/guest.sh and tests/spec/run.sh.
#
#   ynl_kernels		the SERIES:SUITE whose linux-source ships ynl, one a
#			line (matrix_ynl_entries of tests/lib/matrix.sh)
#   ynl_tree SERIES SUITE	that kernel's tools/net/ynl and
#			Documentation/netlink/*.yaml, extracted once into
#			$NFHOOK_CACHE/ynl/SERIES with the kernel tree's layout;
#			prints that directory
#   ynl_cli TREE	the path of cli.py in TREE (tools/net/ynl/cli.py in
#			6.12, tools/net/ynl/pyynl/cli.py in newer trees)
#   ynl_wanted STEP...	whether a script step asks for python and ynl (a
#			"# nfhook-guest: python" line), or GUEST_PYTHON=1
#   ynl_guest STAGE SPEC	python3, the part of its library ynl uses (PyYAML
#			and jsonschema included), and every ynl_kernels tree at
#			/nfhook/ynl/SERIES with SPEC installed in it as an
#			in-tree spec (Documentation/netlink/specs/), in the
#			initramfs tree STAGE
#
# In the guest each /nfhook/ynl/SERIES is laid out like a kernel tree, so
# ynl finds its default schema (Documentation/netlink/PROTOCOL.yaml, next to
# specs/) exactly as it does for the kernel's own specs: what the guest runs
# is what docs/netlink.md tells a user to run in an unpacked kernel tree.
#
# The guest's python is Debian's /usr/bin/python3.11 (YNL_PYTHON), never a
# pyenv or venv one: only a system python finds its library at the paths
# we copy it to.  Its library is not copied whole (54 MB): only the modules
# ynl actually loads, found by running ynl on the host under a tracer, with
# their compiled .pyc, so the guest compiles nothing.

NFHOOK_CACHE=${NFHOOK_CACHE:-/var/cache/nfhook}
YNL_PYTHON=${YNL_PYTHON:-/usr/bin/python3.11}
ynl_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
declare -F matrix_ynl_entries > /dev/null || . "$ynl_lib_dir/matrix.sh"

ynl_msg()
{
	echo "ynl: $*" >&2
}

ynl_kernels()
{
	matrix_ynl_entries
}

ynl_tree()
{
	local series=$1 suite=$2 dir=$NFHOOK_CACHE/ynl/$1

	if [ ! -e "$dir/.nfhook-tree" ]; then
		mkdir -p "$NFHOOK_CACHE/ynl"
		(
			flock 9
			ynl_tree_extract "$series" "$suite" "$dir"
		) 9> "$NFHOOK_CACHE/.ynl-$series.lock" || return 1
	fi
	echo "$dir"
}

# ynl_tree_extract SERIES SUITE DIR: download linux-source-SERIES as SUITE
# has it (tests/lib/debian-fetch.sh keeps the .deb) and take from its
# tarball only ynl's python and the netlink schemas, into DIR.
ynl_tree_extract()
{
	local series=$1 suite=$2 dir=$3 package=linux-source-$1 tmp version tarball

	[ -e "$dir/.nfhook-tree" ] && return 0
	tmp=$(mktemp -d "$NFHOOK_CACHE/ynl/.fetch.XXXXXX") || return 1
	ynl_msg "fetching $package ($suite) for tools/net/ynl"
	if ! version=$("$ynl_lib_dir/debian-fetch.sh" "$suite" "$package" "$tmp/deb"); then
		ynl_msg "cannot fetch $package from $suite"
		rm -rf "$tmp"
		return 1
	fi
	tarball=$(find "$tmp/deb/usr/src" -maxdepth 1 -name 'linux-source-*.tar.xz' 2> /dev/null |
		  head -n 1)
	mkdir -p "$tmp/tree"
	# The patterns of both layouts: tar complains about the one that is
	# not there, so its status is not what tells; the files are.
	if [ -n "$tarball" ]; then
		tar -xJf "$tarball" -C "$tmp/tree" --strip-components=1 --wildcards \
			--exclude='*/Documentation/netlink/specs/*' \
			'*/tools/net/ynl/cli.py' '*/tools/net/ynl/lib/*.py' \
			'*/tools/net/ynl/pyynl/*.py' '*/tools/net/ynl/pyynl/lib/*.py' \
			'*/Documentation/netlink/*.yaml' 2> "$tmp/tar.err"
	fi
	if [ -z "$tarball" ] || [ -z "$(ynl_cli "$tmp/tree")" ] ||
	   ! ls "$tmp/tree"/Documentation/netlink/genetlink*.yaml > /dev/null 2>&1; then
		ynl_msg "no tools/net/ynl client or Documentation/netlink schemas in ${tarball:-$package}"
		cat "$tmp/tar.err" >&2
		rm -rf "$tmp"
		return 1
	fi
	echo "$version" > "$tmp/tree/VERSION"
	# Compiled here once, not at every run in the guest.
	"$YNL_PYTHON" -E -m compileall -q "$tmp/tree/tools" > /dev/null || true
	touch "$tmp/tree/.nfhook-tree"
	rm -rf "$dir"
	mv "$tmp/tree" "$dir"
	rm -rf "$tmp"
	ynl_msg "tools/net/ynl of $package $version in $dir"
}

ynl_cli()
{
	local f

	for f in "$1/tools/net/ynl/pyynl/cli.py" "$1/tools/net/ynl/cli.py"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# ynl_wanted STEP...: true if GUEST_PYTHON=1, or if GUEST_PYTHON is unset
# (or "auto") and a script step has a "# nfhook-guest: python" line.
ynl_wanted()
{
	local step

	case ${GUEST_PYTHON:-auto} in
	1) return 0 ;;
	0) return 1 ;;
	esac
	for step in "$@"; do
		case $step in
		script:*)
			grep -q '^# nfhook-guest: python' "${step#script:}" 2> /dev/null &&
				return 0
			;;
		esac
	done
	return 1
}

# ynl_spec_install TREE SPEC: SPEC as an in-tree spec of TREE, where ynl's
# default schema lookup finds TREE's schemas.  Prints its path.
ynl_spec_install()
{
	local f

	f=$1/Documentation/netlink/specs/$(basename "$2")
	mkdir -p "$(dirname "$f")" && cp "$2" "$f" && echo "$f"
}

# ynl_python_files CLI SPEC: the files of every module ynl's CLI loads (and
# their .pyc) and of the data they read, one per line, from running it on the host: listing the
# operations of SPEC, an in-tree spec (ynl_spec_install) validated against
# its default schema, imports everything ynl uses, jsonschema included; the
# run then fails, as the host has no nfhook family, and that is fine.
# yaml's C extension is kept out: ynl parses with yaml.safe_load, pure
# Python, and without _yaml PyYAML needs no libyaml.
ynl_python_files()
{
	"$YNL_PYTHON" -E -s - "$1" "$2" <<-'EOF'
	import importlib.util, os, sys, sysconfig

	cli, spec = sys.argv[1:3]
	# Data files read besides modules (jsonschema's meta-schemas).
	opened = set()
	def audit(event, args):
	    if event == 'open' and isinstance(args[0], str):
	        opened.add(os.path.abspath(args[0]))
	sys.addaudithook(audit)
	sys.modules['yaml._yaml'] = sys.modules['_yaml'] = None
	# What the guest needs besides: codecs of the C locale, tracebacks.
	import encodings.ascii, encodings.latin_1, encodings.utf_8, traceback
	sys.path.insert(0, os.path.dirname(cli))
	sys.argv = [cli, '--spec', spec, '--list-ops']
	try:
	    with open(cli) as f:
	        code = compile(f.read(), cli, 'exec')
	    exec(code, {'__name__': '__main__', '__file__': cli})
	except BaseException:
	    pass
	loaded = list(sys.modules.values())
	import yaml, jsonschema
	keep = (sysconfig.get_paths()['stdlib'] + '/',
	        sysconfig.get_paths()['platstdlib'] + '/',
	        os.path.dirname(os.path.dirname(yaml.__file__)) + '/',
	        os.path.dirname(os.path.dirname(jsonschema.__file__)) + '/')
	files = set()
	for mod in loaded:
	    path = getattr(mod, '__file__', None)
	    if not path or not path.startswith(keep):
	        continue
	    files.add(path)
	    if path.endswith('.py'):
	        pyc = importlib.util.cache_from_source(path)
	        if os.path.exists(pyc):
	            files.add(pyc)
	files.update(f for f in opened
	             if f.startswith(keep) and os.path.isfile(f) and '/__pycache__/' not in f)
	print('\n'.join(sorted(files)))
	EOF
}

# ynl_guest STAGE SPEC: python, the modules ynl needs, every ynl_kernels
# tree at /nfhook/ynl/SERIES with SPEC in its specs/, in the initramfs
# tree STAGE.  Uses guest_copy_binary (tests/lib/guest.sh).
ynl_guest()
{
	local stage=$1 spec=$2 entry series tree cli files='' f
	local -a trees=()

	if [ ! -x "$YNL_PYTHON" ]; then
		ynl_msg "$YNL_PYTHON missing (apt-get install python3 python3-yaml python3-jsonschema)"
		return 1
	fi
	if ! "$YNL_PYTHON" -E -c 'import yaml, jsonschema' 2> /dev/null; then
		ynl_msg "$YNL_PYTHON has no yaml or jsonschema module (apt-get install python3-yaml python3-jsonschema)"
		return 1
	fi
	mkdir -p "$stage/nfhook/ynl"
	for entry in $(ynl_kernels); do
		series=${entry%%:*}
		tree=$(ynl_tree "$series" "${entry#*:}") || return 1
		cp -a "$tree" "$stage/nfhook/ynl/$series" || return 1
		f=$(ynl_spec_install "$stage/nfhook/ynl/$series" "$spec") || return 1
		cli=$(ynl_cli "$stage/nfhook/ynl/$series")
		files+=$(ynl_python_files "$cli" "$f")$'\n' || return 1
		trees+=("$series $(cat "$tree/VERSION")")
	done
	[ ${#trees[@]} -gt 0 ] || { ynl_msg "no kernel of the matrix ships ynl"; return 1; }
	files=$(sort -u <<< "$files" | sed '/^$/d')
	[ -n "$files" ] || { ynl_msg "no python modules found for ynl"; return 1; }

	guest_copy_binary "$stage" "$YNL_PYTHON" || return 1
	ln -sf "$(basename "$YNL_PYTHON")" "$stage/usr/bin/python3"
	while IFS= read -r f; do
		case $f in
		*.so)	# Extension modules bring their libraries.
			guest_copy_binary "$stage" "$f" || return 1
			;;
		*)
			mkdir -p "$stage$(dirname "$f")"
			# -p: a .pyc is only used if its source keeps its mtime.
			cp -pL "$f" "$stage$f" || return 1
			;;
		esac
	done <<< "$files"
	# python finds its exec prefix by this directory, used or not.
	mkdir -p "$stage$("$YNL_PYTHON" -E -c 'import sysconfig; print(sysconfig.get_path("platstdlib"))')/lib-dynload"
	mkdir -p "$stage/nfhook/spec"
	cp "$spec" "$stage/nfhook/spec/" || return 1
	ynl_msg "python ($(wc -l <<< "$files") library files) and ynl of ${trees[*]} in the guest"
}
