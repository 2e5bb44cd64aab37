# SPDX-License-Identifier: GPL-2.0
#
# The kernel's generic netlink client, tools/net/ynl of linux-source-6.12,
# and the python3 it runs on, for the test guests.  Sourced by
# tests/lib/guest.sh.
#
#   ynl_tree		tools/net/ynl (cli.py, lib/) extracted once into
#			$NFHOOK_CACHE/ynl; prints that directory
#   ynl_wanted STEP...	whether a script step asks for python and ynl (a
#			"# nfhook-guest: python" line), or GUEST_PYTHON=1
#   ynl_guest STAGE SPEC	python3, the part of its library ynl uses, PyYAML,
#			ynl (at /nfhook/ynl) and SPEC (at /nfhook/spec) into
#			the initramfs tree STAGE
#
# The guest's python is Debian's /usr/bin/python3.11 (YNL_PYTHON), never a
# pyenv or venv one: only a system python finds its library at the paths
# we copy it to.  Its library is not copied whole (54 MB): only the modules
# ynl actually loads, found by running ynl on the host under a tracer, with
# their compiled .pyc, so the guest compiles nothing.

NFHOOK_CACHE=${NFHOOK_CACHE:-/var/cache/nfhook}
YNL_PYTHON=${YNL_PYTHON:-/usr/bin/python3.11}
YNL_SUITE=${YNL_SUITE:-trixie}
YNL_PACKAGE=${YNL_PACKAGE:-linux-source-6.12}
ynl_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ynl_msg()
{
	echo "ynl: $*" >&2
}

# ynl_tree: $NFHOOK_CACHE/ynl/$YNL_PACKAGE, holding cli.py, lib/*.py (with
# their .pyc) and VERSION, the package version they come from.  The first
# call downloads the package (tests/lib/debian-fetch.sh) and extracts only
# tools/net/ynl from its source tarball; later calls just print the path.
ynl_tree()
{
	local dir=$NFHOOK_CACHE/ynl/$YNL_PACKAGE

	if [ ! -e "$dir/.nfhook-extracted" ]; then
		mkdir -p "$NFHOOK_CACHE/ynl"
		(
			flock 9
			ynl_tree_extract "$dir"
		) 9> "$NFHOOK_CACHE/.ynl-$YNL_PACKAGE.lock" || return 1
	fi
	echo "$dir"
}

ynl_tree_extract()
{
	local dir=$1 tmp version tarball

	[ -e "$dir/.nfhook-extracted" ] && return 0
	tmp=$(mktemp -d "$NFHOOK_CACHE/ynl/.fetch.XXXXXX") || return 1
	ynl_msg "fetching $YNL_PACKAGE ($YNL_SUITE) for tools/net/ynl"
	if ! version=$("$ynl_lib_dir/debian-fetch.sh" "$YNL_SUITE" "$YNL_PACKAGE" "$tmp/deb"); then
		ynl_msg "cannot fetch $YNL_PACKAGE from $YNL_SUITE"
		rm -rf "$tmp"
		return 1
	fi
	tarball=$(find "$tmp/deb/usr/src" -maxdepth 1 -name 'linux-source-*.tar.xz' 2> /dev/null |
		  head -n 1)
	mkdir -p "$tmp/ynl"
	# Only the client and its library: the tarball's top directory and
	# tools/net/ynl/ are stripped, leaving cli.py and lib/.
	if [ -z "$tarball" ] ||
	   ! tar -xJf "$tarball" -C "$tmp/ynl" --strip-components=4 --wildcards \
		'*/tools/net/ynl/cli.py' '*/tools/net/ynl/lib/*.py' ||
	   [ ! -f "$tmp/ynl/cli.py" ] || [ ! -f "$tmp/ynl/lib/ynl.py" ]; then
		ynl_msg "no tools/net/ynl/cli.py and lib/ in ${tarball:-$YNL_PACKAGE}"
		rm -rf "$tmp"
		return 1
	fi
	echo "$version" > "$tmp/ynl/VERSION"
	# Compiled here once, not at every run in the guest.
	"$YNL_PYTHON" -E -m compileall -q "$tmp/ynl" > /dev/null || true
	touch "$tmp/ynl/.nfhook-extracted"
	rm -rf "$dir"
	mv "$tmp/ynl" "$dir"
	rm -rf "$tmp"
	ynl_msg "tools/net/ynl of $YNL_PACKAGE $version in $dir"
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

# ynl_python_files YNL SPEC: the files of every module ynl's cli.py loads
# (and their .pyc), one per line, from running it on the host: listing the
# operations of SPEC imports everything ynl uses (its modules import at the
# top); the run then fails, as the host has no nfhook family, and that is
# fine.  yaml's C extension is kept out: ynl parses with yaml.safe_load,
# pure Python, and without _yaml PyYAML needs no libyaml.
ynl_python_files()
{
	"$YNL_PYTHON" -E -s - "$1" "$2" <<-'EOF'
	import importlib.util, os, sys, sysconfig

	ynl, spec = sys.argv[1:3]
	sys.modules['yaml._yaml'] = sys.modules['_yaml'] = None
	# What the guest needs besides: codecs of the C locale, tracebacks.
	import encodings.ascii, encodings.latin_1, encodings.utf_8, traceback
	sys.path.insert(0, ynl)
	sys.argv = [os.path.join(ynl, 'cli.py'), '--spec', spec, '--no-schema',
		    '--list-ops']
	try:
	    with open(sys.argv[0]) as f:
	        code = compile(f.read(), sys.argv[0], 'exec')
	    exec(code, {'__name__': '__main__'})
	except BaseException:
	    pass
	loaded = list(sys.modules.values())
	import yaml
	keep = (sysconfig.get_paths()['stdlib'] + '/',
	        sysconfig.get_paths()['platstdlib'] + '/',
	        os.path.dirname(yaml.__file__) + '/')
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
	print('\n'.join(sorted(files)))
	EOF
}

# ynl_guest STAGE SPEC: python, the modules ynl needs, ynl itself at
# /nfhook/ynl and SPEC at /nfhook/spec/ in the initramfs tree STAGE.
# Uses guest_copy_binary (tests/lib/guest.sh).
ynl_guest()
{
	local stage=$1 spec=$2 ynl files f

	if [ ! -x "$YNL_PYTHON" ]; then
		ynl_msg "$YNL_PYTHON missing (apt-get install python3 python3-yaml)"
		return 1
	fi
	if ! "$YNL_PYTHON" -E -c 'import yaml' 2> /dev/null; then
		ynl_msg "$YNL_PYTHON has no yaml module (apt-get install python3-yaml)"
		return 1
	fi
	ynl=$(ynl_tree) || return 1
	files=$(ynl_python_files "$ynl" "$spec") || return 1
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
	mkdir -p "$stage/nfhook/ynl" "$stage/nfhook/spec"
	cp -a "$ynl/." "$stage/nfhook/ynl/" || return 1
	cp "$spec" "$stage/nfhook/spec/" || return 1
	ynl_msg "python ($(wc -l <<< "$files") library files) and ynl $(cat "$ynl/VERSION") in the guest"
}
