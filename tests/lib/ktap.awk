# SPDX-License-Identifier: GPL-2.0
#
# KTAP (Documentation/dev-tools/ktap.rst) from a guest console into one line
# per test:
#	PASS label/suite.case[.param]
#	FAIL label/suite.case[.param][: reason]
#	SKIP label/suite.case[.param][: reason]
# Only leaves are counted (a parameterised case counts each parameter, a suite
# counts its cases); a parent reported "not ok" without a failing child, a
# "# Subtest:" without its result line (a crash mid-suite) and a missing plan
# entry are failures too.  Exit status 1 if anything failed or no KTAP came.
#
# Usage: awk -v label=LABEL -f ktap.awk CONSOLE
# Console lines may carry printk's "[    1.234567] " stamp; indentation after
# it gives the nesting (4 spaces a level).

function strip(s)
{
	sub(/\r$/, "", s)
	sub(/^.*\[ *[0-9]+\.[0-9]+\] /, "", s)
	return s
}

function depth(s,    n)
{
	n = match(s, /[^ ]/)
	return n ? int((n - 1) / 4) : 0
}

# The dotted path of a result at depth d: the open subtest names above it.
function path(d, desc,    p, i)
{
	p = ""
	for (i = 0; i <= d; i++)
		if (i in name)
			p = p (p == "" ? "" : ".") name[i]
	return p (p == "" ? "" : ".") desc
}

{
	line = strip($0)
	d = depth(line)
	text = substr(line, d * 4 + 1)
}

text ~ /^KTAP version/ {
	seen = 1
	diag = ""
	next
}

text ~ /^# Subtest: / {
	seen = 1
	sub(/^# Subtest: /, "", text)
	for (i in name)
		if (i + 0 >= d)
			delete name[i]
	name[d] = text
	open[d] = text
	planned[d] = -1
	counted[d] = 0
	next
}

text ~ /^1\.\.[0-9]+$/ {
	planned[d] = substr(text, 4) + 0
	next
}

text ~ /^(not )?ok [0-9]+ / {
	seen = 1
	ok = text !~ /^not /
	desc = text
	sub(/^(not )?ok [0-9]+ (- )?/, "", desc)
	directive = ""
	if (match(desc, / # /)) {
		directive = substr(desc, RSTART + 3)
		desc = substr(desc, 1, RSTART - 1)
	}
	# Results deeper than this one belong to subtests now finished.
	for (i in name)
		if (i + 0 > d)
			delete name[i]
	p = path(d, desc)
	nresults++
	rpath[nresults] = p
	rok[nresults] = ok
	rskip[nresults] = directive ~ /^SKIP/
	rwhy[nresults] = directive
	rdiag[nresults] = diag
	diag = ""
	counted[d]++
	# This line closes the subtest one level deeper, if it was this one.
	if ((d + 1) in open && open[d + 1] == desc) {
		if (planned[d + 1] >= 0 && counted[d + 1] != planned[d + 1])
			incomplete[p] = "planned " planned[d + 1] " tests, " counted[d + 1] " reported"
		delete open[d + 1]
		counted[d + 1] = 0
	}
	next
}

# Anything else inside the KTAP (expectation failures and their values)
# explains the next result; a failure prints it.
seen && text !~ /^# .*: pass:[0-9]+ fail:[0-9]+/ && text !~ /^# Totals:/ {
	diag = diag "    | " line "\n"
}

END {
	# Parents: results whose path prefixes another result's path.
	for (i = 1; i <= nresults; i++)
		for (j = 1; j <= nresults; j++)
			if (j != i && index(rpath[j], rpath[i] ".") == 1) {
				parent[i] = 1
				if (!rok[j] && !rskip[j])
					failing_child[i] = 1
			}
	failed = 0
	for (i = 1; i <= nresults; i++) {
		p = label "/" rpath[i]
		if (rpath[i] in incomplete) {
			print "FAIL " p ": " incomplete[rpath[i]]
			failed++
		}
		if (i in parent) {
			if (!rok[i] && !(i in failing_child)) {
				print "FAIL " p ": reported not ok" (rwhy[i] != "" ? " (" rwhy[i] ")" : "")
				failed++
			}
			continue
		}
		if (rskip[i])
			print "SKIP " p (rwhy[i] != "SKIP" ? ": " substr(rwhy[i], 6) : "")
		else if (rok[i])
			print "PASS " p
		else {
			print "FAIL " p
			printf "%s", rdiag[i]
			failed++
		}
	}
	for (d in open) {
		print "FAIL " label "/" open[d] ": no result (crashed or hung mid-test)"
		failed++
	}
	if (!seen) {
		print "FAIL " label ": no KTAP output (module built without NFHOOK_KUNIT=y, or no suites)"
		failed++
	}
	exit failed > 0
}
