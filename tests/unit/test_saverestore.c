// SPDX-License-Identifier: GPL-2.0
/* Save text, restore parsing, the round trip, and line-numbered errors. */
#include <stdlib.h>

#include "parse.h"
#include "rule.h"
#include "saverestore.h"
#include "util.h"
#include "unit.h"

static int parse_text(const char *text, struct nfh_ruleset *rs,
		      struct nfh_err *e)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -2;
	ret = nfh_restore_parse(f, "test.rules", rs, e);
	fclose(f);
	return ret;
}

static char *save_text(const struct nfh_ruleset *rs, bool counters)
{
	FILE *f;
	char *out;

	unit_capture_begin(&f);
	nfh_save_write(f, rs, counters);
	unit_capture_end(f, &out);
	return out;
}

static const char header[] = "# nfhook ruleset, written by nfhookctl " VERSION "\n";

static const char sample[] =
	"hook ipv4 input priority filter+10 policy accept enable\n"
	"hook ipv6 forward priority -1000 policy drop disable\n"
	"hook ipv4 prerouting priority raw policy accept enable\n"
	"rule ipv4 input proto tcp dport 22 accept comment \"ssh\"\n"
	"rule ipv4 input saddr 10.0.0.0/8 daddr 192.168.0.1 iif eth0 proto udp sport 53 dport 1024-65535 len 0-512 count\n"
	"rule ipv6 forward saddr 2001:db8::/32 oif \"we#ird\" proto icmpv6 icmp-type echo-request code 0 drop comment \"quote \\\" backslash \\\\ nl \\n ctl \\x1b é\"\n"
	"rule ipv4 input proto tcp tcp-flags syn/syn,ack drop counters packets 12 bytes 720\n"
	"rule ipv4 input len 1501- drop\n"
	"rule ipv4 input ct state established,related accept\n"
	"rule ipv6 input proto tcp dport 22 ct state new accept counters packets 2 bytes 160\n"
	"rule ipv4 prerouting ct state invalid count\n"
	"rule ipv4 output proto 47 accept\n";

static void round_trip(void)
{
	struct nfh_ruleset a = { 0 }, b = { 0 };
	struct nfh_err e = { .msg = "" };
	char *t1, *t2, want[4096];
	size_t i;

	unit_case("restore parses the sample");
	CHECK_INT(parse_text(sample, &a, &e), 0);
	CHECK_STR(e.msg, "");
	CHECK_INT(a.nhooks, 3);
	CHECK_INT(a.nrules, 9);
	CHECK_INT(a.rules[5].ct_state, NFHOOK_CT_STATE_ESTABLISHED | NFHOOK_CT_STATE_RELATED);
	CHECK_INT(a.rules[6].ct_state, NFHOOK_CT_STATE_NEW);
	CHECK_INT(a.rules[6].packets, 2);
	CHECK_INT(a.rules[7].ct_state, NFHOOK_CT_STATE_INVALID);
	CHECK_INT(a.rules[0].line, 4);
	CHECK_INT(a.hooks[1].line, 2);
	CHECK_INT(a.hooks[1].priority, -1000);
	CHECK(!a.hooks[1].enabled);
	CHECK_INT(a.rules[3].packets, 12);
	CHECK_STR(a.rules[2].oif, "we#ird");
	CHECK_STR(a.rules[2].comment, "quote \" backslash \\ nl \n ctl \x1b é");

	unit_case("save with counters writes the same text back");
	t1 = save_text(&a, true);
	snprintf(want, sizeof(want), "%s%s", header, sample);
	CHECK_STR(t1, want);

	unit_case("restore of save output is the same ruleset");
	CHECK_INT(parse_text(t1, &b, &e), 0);
	CHECK_INT(b.nhooks, a.nhooks);
	CHECK_INT(b.nrules, a.nrules);
	for (i = 0; i < a.nhooks && i < b.nhooks; i++)
		CHECK(nfh_hook_equal(&a.hooks[i], &b.hooks[i]));
	for (i = 0; i < a.nrules && i < b.nrules; i++)
		CHECK(nfh_rule_equal(&a.rules[i], &b.rules[i]));

	unit_case("save is a fixed point");
	t2 = save_text(&b, true);
	CHECK_STR(t2, t1);
	free(t2);

	unit_case("save without counters drops only the counters");
	t2 = save_text(&a, false);
	CHECK(t2 && !strstr(t2, "counters"));
	CHECK(t2 && strstr(t2, "rule ipv4 input proto tcp tcp-flags syn/syn,ack drop\n"));
	free(t2);
	free(t1);
	nfh_ruleset_free(&a);
	nfh_ruleset_free(&b);

	unit_case("rules as the kernel reports them (id, index) save without them");
	{
		struct nfh_ruleset k = { 0 }, back = { 0 };
		struct nfh_rule *r = nfh_ruleset_add_rule(&k);
		char lb[256], *w[32];
		int n = unit_words("ipv6 input daddr ::1 accept", lb, sizeof(lb), w, 32);

		CHECK_INT(nfh_rule_parse(r, n, w, NFH_RULE_CTX_ADD, &e), 0);
		r->fields |= NFH_R_ID | NFH_R_INDEX | NFH_R_COUNTERS;
		r->id = 99;
		r->index = 0;
		r->packets = 1;
		r->bytes = 2;
		t1 = save_text(&k, false);
		snprintf(want, sizeof(want), "%srule ipv6 input daddr ::1 accept\n", header);
		CHECK_STR(t1, want);
		CHECK_INT(parse_text(t1, &back, &e), 0);
		r->fields &= ~(NFH_R_ID | NFH_R_INDEX | NFH_R_COUNTERS);
		CHECK_INT(back.nrules, 1);
		if (back.nrules)
			CHECK(nfh_rule_equal(r, &back.rules[0]));
		free(t1);
		nfh_ruleset_free(&k);
		nfh_ruleset_free(&back);
	}

	unit_case("empty file, blank lines and comments");
	CHECK_INT(parse_text("\n   \n# only a comment\n\t# indented\n", &a, &e), 0);
	CHECK_INT(a.nhooks + a.nrules, 0);
	nfh_ruleset_free(&a);

	unit_case("CRLF line ends and trailing comments");
	CHECK_INT(parse_text("rule ipv4 input accept # allow\r\nhook ipv4 input enable\r\n", &a, &e), 0);
	CHECK_INT(a.nrules, 1);
	CHECK_INT(a.nhooks, 1);
	nfh_ruleset_free(&a);
}

static void restore_err(const char *text, const char *msg)
{
	struct nfh_ruleset rs = { 0 };
	struct nfh_err e = { .msg = "" };

	unit_case("restore error: %s", msg);
	CHECK_INT(parse_text(text, &rs, &e), -1);
	CHECK_STR(e.msg, msg);
	nfh_ruleset_free(&rs);
}

static void restore_errors(void)
{
	restore_err("rule ipv4 input accept\nrule ipv4 input\n",
		    "test.rules:2: error: missing action: accept, drop or count");
	restore_err("# c\n\nhook ipv4 input enable\nrule ipv4 input proto tcp dport 99999 accept\n",
		    "test.rules:4: error: dport: \"99999\" is not a port or a range P-P (0-65535)");
	restore_err("hook ipv4 input enable\nhook ipv4 output enable\nhook ipv4 input disable\n",
		    "test.rules:3: error: hook ipv4 input was already set on line 1");
	restore_err("table ipv4 input\n",
		    "test.rules:1: error: \"table\": a line starts with hook or rule");
	restore_err("Rule ipv4 input accept\n",
		    "test.rules:1: error: \"Rule\": a line starts with hook or rule");
	restore_err("rule ipv4 input accept comment \"open\n",
		    "test.rules:1: error: missing closing quote");
	restore_err("rule ipv4 input accept comment \"a\\qb\"\n",
		    "test.rules:1: error: unknown escape \\q (use \\\" \\\\ \\n \\t \\r or \\xHH)");
	restore_err("rule ipv4 input accept comment \"\\x4\"\n",
		    "test.rules:1: error: \\x needs two hex digits");
	restore_err("rule ipv4 input accept comment \"\\x00\"\n",
		    "test.rules:1: error: \\x00: a NUL byte is not allowed");
	restore_err("rule ipv4 input accept comment \"a\"b\n",
		    "test.rules:1: error: text right after a closing quote");
	restore_err("rule ipv4 input accept comment a\"b\"\n",
		    "test.rules:1: error: unexpected quote inside a word");
	restore_err("rule ipv4 input accept index 2\n",
		    "test.rules:1: error: index: not allowed here (rules are added in the order given)");
	restore_err("hook ipv4 input priority fliter\n",
		    "test.rules:1: error: priority: \"fliter\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	restore_err("rule ipv4 input accept\n\n\n\n\n\n\n\n\nrule ipv6 input saddr 10.0.0.1 drop\n",
		    "test.rules:10: error: saddr: 10.0.0.1 is an ipv4 address, but this is an ipv6 rule");
	restore_err("rule ipv4 input accept\nrule ipv4 input drop\nrule ipv4 input accept counters packets 1\n",
		    "test.rules:3: error: counters: expected \"counters packets N bytes N\"");

	unit_case("restore error: NUL byte in a line");
	{
		static const char nul[] = "rule ipv4 input accept\nrule ipv4\0 input accept\n";
		struct nfh_ruleset rs = { 0 };
		struct nfh_err e = { .msg = "" };
		FILE *f = fmemopen((void *)nul, sizeof(nul) - 1, "r");

		CHECK(f != NULL);
		if (f) {
			CHECK_INT(nfh_restore_parse(f, "x", &rs, &e), -1);
			CHECK_STR(e.msg, "x:2: error: the line contains a NUL byte");
			fclose(f);
		}
		nfh_ruleset_free(&rs);
	}

	unit_case("restore error: too many words");
	{
		char text[2048] = "rule ipv4 input";
		struct nfh_ruleset rs = { 0 };
		struct nfh_err e = { .msg = "" };
		int i;

		for (i = 0; i < 130; i++)
			strcat(text, " x");
		strcat(text, "\n");
		CHECK_INT(parse_text(text, &rs, &e), -1);
		CHECK_STR(e.msg, "test.rules:1: error: too many words (at most 128)");
		nfh_ruleset_free(&rs);
	}

	unit_case("a large file parses (10000 rules)");
	{
		struct nfh_ruleset rs = { 0 };
		struct nfh_err e = { .msg = "" };
		char *text = malloc(10000 * 64 + 1), *p = text;
		int i;

		CHECK(text != NULL);
		if (text) {
			for (i = 0; i < 10000; i++)
				p += sprintf(p, "rule ipv4 input proto tcp dport %d accept\n", i);
			CHECK_INT(parse_text(text, &rs, &e), 0);
			CHECK_INT(rs.nrules, 10000);
			if (rs.nrules == 10000)
				CHECK_INT(rs.rules[9999].line, 10000);
			free(text);
		}
		nfh_ruleset_free(&rs);
	}
}

static void split_case(const char *in, int want_n, const char *const *want)
{
	char buf[512], *w[16];
	struct nfh_err e = { .msg = "" };
	int n, i;

	unit_case("split: %s", in);
	snprintf(buf, sizeof(buf), "%s", in);
	n = nfh_split_line(buf, w, 16, &e);
	CHECK_INT(n, want_n);
	for (i = 0; i < n && i < want_n; i++)
		CHECK_STR(w[i], want[i]);
}

void suite_saverestore(void)
{
	static const char *const w1[] = { "a", "b", "c" };
	static const char *const w2[] = { "comment", "x y", "z" };
	static const char *const w3[] = { "", "" };
	static const char *const w4[] = { "a\"\\\n\t\r\x7f" };

	split_case("a b c", 3, w1);
	split_case("  a\tb   c  ", 3, w1);
	split_case("a b c # d e", 3, w1);
	split_case("a b c #", 3, w1);
	split_case("comment \"x y\" z", 3, w2);
	split_case("\"\" \"\"", 2, w3);
	split_case("\"a\\\"\\\\\\n\\t\\r\\x7F\"", 1, w4);
	split_case("", 0, NULL);
	split_case("# a b", 0, NULL);
	round_trip();
	restore_errors();
}
