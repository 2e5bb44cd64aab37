#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# manpage.sh PAGE NFHOOKCTL: nfhookctl(8) against the program and the
# service: conventional sections in their usual order, a date, every usage
# line of `nfhookctl --help` in SYNOPSIS, the rules file of nfhook.service
# in FILES (and no other), a PERMISSIONS section, no groff warnings.
set -u
page=${1:-../../userland/nfhookctl.8}
bin=${2:-../../userland/nfhookctl}
service=$(dirname "$page")/../packaging/systemd/nfhook.service.in
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - man page: $1"
	else
		echo "not ok $n - man page: $1"
		printf '#   %s\n' "$2"
		failed=$((failed + 1))
	fi
}

if ! command -v groff >/dev/null; then
	echo "ok 1 # SKIP man page: groff is not installed (apt-get install groff-base)"
	exit 0
fi

# The page as text, one long line per paragraph, no hyphenation.
text=$(MANWIDTH=1000 LC_ALL=C groff -t -man -Tascii -rLL=1000n -rHY=0 -P-cbou "$page" 2>&1)

warn=$(LC_ALL=C groff -t -man -ww -z "$page" 2>&1)
ok "groff -ww has nothing to say" "$warn"

th=$(grep -m1 '^\.TH' "$page")
[[ $th =~ ^\.TH\ NFHOOKCTL\ 8\ \"?[0-9]{4}-[0-9]{2}-[0-9]{2}\"?\  ]]
ok "dated .TH line" "$([ $? -eq 0 ] || echo "$th")"

# Sections: known names only, NAME SYNOPSIS first, SEE ALSO last.
sections=$(sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$page" | tr '\n' ',')
known=",NAME,SYNOPSIS,DESCRIPTION,COMMANDS,OPTIONS,PERMISSIONS,EXIT STATUS,ENVIRONMENT,FILES,NOTES,BUGS,EXAMPLES,SEE ALSO,"
odd=""
IFS=, read -r -a list <<< "$sections"
for s in "${list[@]}"; do
	[[ $known == *",$s,"* ]] || odd="$odd \"$s\""
done
ok "only conventional section names" "${odd:+unconventional:$odd}"
[[ $sections == NAME,SYNOPSIS,DESCRIPTION,* && $sections == *",SEE ALSO," ]]
ok "NAME, SYNOPSIS, DESCRIPTION first, SEE ALSO last" \
	"$([ $? -eq 0 ] || echo "$sections")"
for s in COMMANDS OPTIONS PERMISSIONS "EXIT STATUS" FILES EXAMPLES; do
	[[ ,$sections == *",$s,"* ]]
	ok "has $s" "$([ $? -eq 0 ] || echo "sections: $sections")"
done

# SYNOPSIS: every usage line of the program, word for word.
synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' <<< "$text" | tr -s ' ')
missing=""
while read -r line; do
	[[ $line == nfhookctl* ]] || continue
	grep -qxF "$line" <<< "$(sed 's/^ //' <<< "$synopsis")" ||
		missing="$missing [$line]"
done < <("$bin" --help | sed -n 's/^\(usage:\)\{0,1\} *\(nfhookctl .*\)/\2/p' | tr -s ' ')
ok "SYNOPSIS has every usage line of --help" "${missing:+missing:$missing}"

# FILES: the file nfhook.service restores, with SYSCONFDIR=/etc as installed.
rules=$(sed -n 's|^ExecStart=.*nfhookctl restore @SYSCONFDIR@\(/[^ ]*\)$|/etc\1|p' "$service")
files=$(sed -n '/^FILES/,/^EXAMPLES/p' <<< "$text")
[ -n "$rules" ] && [[ $files == *"$rules"* ]]
ok "FILES names the service's rules file ($rules)" \
	"$([ $? -eq 0 ] || echo "not in FILES")"
others=$(grep -o '/etc/nfhook[^ ]*' <<< "$text" | sed 's/[.,)]*$//' | sort -u | grep -vxF "$rules")
ok "no other rules file path" "${others:+also:$others}"

perm=$(sed -n '/^PERMISSIONS/,/^EXIT STATUS/p' <<< "$text")
bad=""
for w in CAP_NET_ADMIN monitor "rule list" "user namespace"; do
	[[ $perm == *"$w"* ]] || bad="$bad \"$w\""
done
ok "PERMISSIONS: CAP_NET_ADMIN for every command, monitor too" "${bad:+lacks:$bad}"

echo "# man page: $n cases, $failed failed"
[ $failed -eq 0 ]
