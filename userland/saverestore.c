// SPDX-License-Identifier: GPL-2.0
/*
 * The save format: one line per hook and per rule, in the words of the
 * command line.
 *
 *	hook ipv4 input priority filter+10 policy accept enable
 *	rule ipv4 input proto tcp dport 22 accept comment "ssh"
 *
 * Restore reads the whole file before anything is sent, so a mistake on any
 * line changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "names.h"
#include "parse.h"
#include "rule.h"
#include "saverestore.h"
#include "util.h"

#define NFH_MAX_WORDS	128

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

int nfh_split_line(char *line, char **words, int max, struct nfh_err *e)
{
	char *r = line, *w;
	int n = 0, hi, lo;

	for (;;) {
		while (is_blank(*r))
			r++;
		if (!*r || *r == '#')
			return n;
		if (n == max)
			return nfh_fail(e, "too many words (at most %d)", max);
		if (*r != '"') {
			words[n++] = r;
			while (*r && !is_blank(*r)) {
				if (*r == '"')
					return nfh_fail(e, "unexpected quote inside a word");
				r++;
			}
			if (*r)
				*r++ = '\0';
			continue;
		}
		/* A quoted word, unescaped in place. */
		w = ++r;
		words[n++] = w;
		for (;;) {
			if (!*r)
				return nfh_fail(e, "missing closing quote");
			if (*r == '"')
				break;
			if (*r != '\\') {
				*w++ = *r++;
				continue;
			}
			r++;
			switch (*r) {
			case '"':
			case '\\':
				*w++ = *r++;
				break;
			case 'n':
				*w++ = '\n';
				r++;
				break;
			case 't':
				*w++ = '\t';
				r++;
				break;
			case 'r':
				*w++ = '\r';
				r++;
				break;
			case 'x':
				hi = r[1] ? hexval(r[1]) : -1;
				lo = hi >= 0 && r[2] ? hexval(r[2]) : -1;
				if (hi < 0 || lo < 0)
					return nfh_fail(e, "\\x needs two hex digits");
				if (!hi && !lo)
					return nfh_fail(e, "\\x00: a NUL byte is not allowed");
				*w++ = (char)(hi * 16 + lo);
				r += 3;
				break;
			case '\0':
				return nfh_fail(e, "missing closing quote");
			default:
				return nfh_fail(e, "unknown escape \\%c (use \\\" \\\\ \\n \\t \\r or \\xHH)",
						*r);
			}
		}
		r++;			/* the closing quote */
		if (*r && !is_blank(*r))
			return nfh_fail(e, "text right after a closing quote");
		*w = '\0';
		if (*r)
			r++;
	}
}

/* One line's words into @rs; 0 or -1 with e->msg. */
static int restore_line(struct nfh_ruleset *rs, int argc, char **argv,
			unsigned int lineno, struct nfh_err *e)
{
	struct nfh_hook h, *hp;
	struct nfh_rule *rp;
	size_t i;

	if (!strcmp(argv[0], "hook")) {
		if (nfh_hook_parse(&h, argc - 1, argv + 1, false, e))
			return -1;
		for (i = 0; i < rs->nhooks; i++) {
			if (rs->hooks[i].family == h.family &&
			    rs->hooks[i].hook == h.hook)
				return nfh_fail(e, "hook %s %s was already set on line %u",
						argv[1], argv[2], rs->hooks[i].line);
		}
		hp = nfh_ruleset_add_hook(rs);
		if (!hp)
			return nfh_fail(e, "out of memory");
		*hp = h;
		hp->line = lineno;
		return 0;
	}
	if (!strcmp(argv[0], "rule")) {
		rp = nfh_ruleset_add_rule(rs);
		if (!rp)
			return nfh_fail(e, "out of memory");
		if (nfh_rule_parse(rp, argc - 1, argv + 1, NFH_RULE_CTX_RESTORE, e)) {
			rs->nrules--;
			return -1;
		}
		rp->line = lineno;
		return 0;
	}
	return nfh_fail(e, "\"%s\": a line starts with hook or rule", argv[0]);
}

int nfh_restore_parse(FILE *in, const char *name, struct nfh_ruleset *rs,
		      struct nfh_err *e)
{
	char *words[NFH_MAX_WORDS];
	struct nfh_err le = { .msg = "" };
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int n, ret = 0;

	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (strlen(line) != (size_t)len) {
			nfh_fail(&le, "the line contains a NUL byte");
			ret = -1;
			break;
		}
		n = nfh_split_line(line, words, NFH_MAX_WORDS, &le);
		if (n < 0 || (n > 0 && restore_line(rs, n, words, lineno, &le))) {
			ret = -1;
			break;
		}
	}
	if (!ret && ferror(in)) {
		free(line);
		return nfh_fail(e, "%s: read error: %s", name, strerror(errno));
	}
	free(line);
	if (ret)
		return nfh_fail(e, "%s:%u: error: %s", name, lineno, le.msg);
	return 0;
}

void nfh_save_write(FILE *f, const struct nfh_ruleset *rs, bool counters)
{
	const char *fam, *hook;
	size_t i;

	fprintf(f, "# nfhook ruleset, written by nfhookctl %s\n", VERSION);
	for (i = 0; i < rs->nhooks; i++) {
		const struct nfh_hook *h = &rs->hooks[i];

		fam = nfh_family_name(h->family);
		hook = nfh_hook_name(h->hook);
		if (!fam || !hook)
			continue;
		fprintf(f, "hook %s %s", fam, hook);
		if (h->fields & (NFH_H_PRIORITY | NFH_H_POLICY | NFH_H_ENABLED))
			fputc(' ', f);
		nfh_hook_write(f, h, false);
		fputc('\n', f);
	}
	for (i = 0; i < rs->nrules; i++) {
		const struct nfh_rule *r = &rs->rules[i];

		fam = nfh_family_name(r->family);
		hook = nfh_hook_name(r->hook);
		if (!fam || !hook)
			continue;
		fprintf(f, "rule %s %s ", fam, hook);
		nfh_rule_write(f, r, counters ? NFH_FMT_COUNTERS : 0);
		fputc('\n', f);
	}
}
