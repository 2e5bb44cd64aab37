// SPDX-License-Identifier: GPL-2.0
/* The command line: commands, options, usage errors, and an argv fuzz loop. */
#include <stdlib.h>

#include "cmdline.h"
#include "format.h"
#include "names.h"
#include "parse.h"
#include "rule.h"
#include "saverestore.h"
#include "util.h"
#include "unit.h"

static int parse(const char *line, struct nfh_cmd *cmd, struct nfh_err *e)
{
	static char buf[1024];
	char *w[64];
	int n;

	w[0] = "nfhookctl";
	n = unit_words(line, buf, sizeof(buf), w + 1, 63);
	return nfh_cmdline_parse(cmd, n + 1, w, e);
}

static void ok_case(const char *line, enum nfh_cmd_id id)
{
	struct nfh_err e = { .msg = "" };
	struct nfh_cmd cmd;

	unit_case("cmdline ok: %s", line);
	CHECK_INT(parse(line, &cmd, &e), 0);
	CHECK_INT(cmd.id, id);
}

static void usage_case(const char *line, const char *msg, const char *usage)
{
	struct nfh_err e = { .msg = "" };
	struct nfh_cmd cmd;

	unit_case("cmdline usage error (exit 2): %s", line);
	CHECK_INT(parse(line, &cmd, &e), -1);
	CHECK_STR(e.msg, msg);
	CHECK_STR(e.usage, usage);
}

static const char *const vocab[] = {
	"info", "hook", "list", "set", "rule", "add", "del", "flush", "reset",
	"save", "restore", "monitor", "help", "--help", "-h", "-j", "-n", "-N",
	"--netns", "--json", "--numeric", "--counters", "-", "--", "ipv4",
	"ipv6", "prerouting", "input", "forward", "output", "postrouting",
	"priority", "policy", "enable", "disable", "accept", "drop", "count",
	"saddr", "daddr", "proto", "sport", "dport", "icmp-type", "code", "iif",
	"oif", "len", "tcp-flags", "index", "comment", "counters", "packets",
	"bytes", "tcp", "udp", "icmp", "icmpv6", "sctp", "udplite", "10.0.0.1",
	"10.0.0.0/8", "::1", "2001:db8::/129", "/", "/0", "22", "1-2", "2-1",
	"65536", "0", "-1", "4294967295", "18446744073709551616", "filter+10",
	"raw-", "syn", "syn/syn,ack", "none", "none/rst", "echo-request",
	"1501-", "", "\"", "#", "\\x", "eth0", "abcdefghijklmnopq", "x",
};

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* What nfh_usage() prints for @topic, as a malloc'ed string. */
static char *usage_text(const char *topic)
{
	FILE *f;
	char *out;

	unit_capture_begin(&f);
	nfh_usage(f, topic);
	unit_capture_end(f, &out);
	return out;
}

/* Lines of @text that begin with @word followed by a blank: legends. */
static bool has_legend(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, word, n) && p[n] == ' ')
			return true;
	return false;
}

/* A capital word: its legend line; anything else: anywhere in @text. */
static bool shows(const char *text, const char *w)
{
	const char *c;

	for (c = w; *c >= 'A' && *c <= 'Z'; c++)
		;
	return *c ? strstr(text, w) != NULL : has_legend(text, w);
}

/*
 * help COMMAND: the usage lines of that command and the legend of exactly
 * the capital words they use, nothing about other commands.
 */
static void help_case(const char *topic, const char *const *want,
		      const char *const *unwanted)
{
	char *out;

	unit_case("help %s: only its own legend", topic);
	out = usage_text(topic);
	CHECK(out && !strncmp(out, "usage: nfhookctl ", 17));
	for (; out && *want; want++)
		if (!shows(out, *want))
			unit_fail(__FILE__, __LINE__, "help %s lacks \"%s\"",
				  topic, *want);
	for (; out && *unwanted; unwanted++)
		if (shows(out, *unwanted))
			unit_fail(__FILE__, __LINE__, "help %s shows \"%s\"",
				  topic, *unwanted);
	free(out);
}

static void help_cases(void)
{
	static const char *const rule_want[] = {
		"FAMILY", "HOOK", "MATCH", "ACTION", "N", "TEXT", "ID",
		"0 is first", NULL };
	static const char *const rule_not[] = {
		"PRIO", "conntrack", "priority", "FILE", "options:",
		"hook set", "save writes", NULL };
	static const char *const hook_want[] = {
		"FAMILY", "HOOK", "PRIO", "conntrack", "filter+10", NULL };
	static const char *const hook_not[] = {
		"MATCH", "ACTION", "N", "TEXT", "ID", "rule add", NULL };
	static const char *const flush_want[] = { "FAMILY", "HOOK", NULL };
	static const char *const flush_not[] = {
		"PRIO", "MATCH", "N", "ID", NULL };
	static const char *const info_want[] = { "usage: nfhookctl info", NULL };
	static const char *const info_not[] = {
		"FAMILY", "HOOK", "PRIO", "MATCH", "\n\n", NULL };
	static const char *const restore_want[] = { "FILE", "save writes", NULL };
	static const char *const restore_not[] = { "FAMILY", "MATCH", NULL };
	static const char *const all[] = {
		"FAMILY", "HOOK", "PRIO", "MATCH", "ACTION", "N", "TEXT", "ID",
		"FILE", "options:", "help [COMMAND]", "CAP_NET_ADMIN", NULL };
	const char *p;
	char *out;
	int i, n;

	help_case("rule", rule_want, rule_not);
	help_case("hook", hook_want, hook_not);
	help_case("flush", flush_want, flush_not);
	help_case("info", info_want, info_not);
	help_case("restore", restore_want, restore_not);

	unit_case("help: the full help has every legend, each once");
	out = usage_text(NULL);
	CHECK(out && !strncmp(out, "usage: nfhookctl [-j|--json]", 28));
	for (i = 0; out && all[i]; i++) {
		if (!shows(out, all[i]))
			unit_fail(__FILE__, __LINE__, "help lacks \"%s\"", all[i]);
	}
	n = 0;
	for (p = out; p && (p = strstr(p, "\nMATCH ")); p++)
		n++;
	CHECK_INT(n, 1);
	free(out);
}

/* Random argv, never a crash; accepted rules survive print and parse. */
static void fuzz(unsigned int rounds)
{
	char store[24][40];
	char *argv[25];
	struct nfh_err e;
	struct nfh_cmd cmd;
	unsigned int i, bad_msg = 0, bad_rt = 0, ok = 0;
	int argc, k, j, ret;

	unit_case("argv fuzz: %u random command lines", rounds);
	for (i = 0; i < rounds; i++) {
		argc = 1 + (int)(rnd() % 24);
		argv[0] = "nfhookctl";
		for (k = 1; k < argc; k++) {
			if (rnd() % 8) {
				snprintf(store[k], sizeof(store[k]), "%s",
					 vocab[rnd() % NFH_ARRAY_SIZE(vocab)]);
			} else {
				int len = (int)(rnd() % 39);

				for (j = 0; j < len; j++)
					store[k][j] = (char)(1 + rnd() % 255);
				store[k][len] = '\0';
			}
			argv[k] = store[k];
		}
		/* Often a plausible start, so the deep parsers get exercised. */
		if (argc > 4 && rnd() % 2) {
			argv[1] = "rule";
			argv[2] = "add";
			argv[3] = rnd() % 2 ? "ipv4" : "ipv6";
			argv[4] = "input";
		}
		argv[argc] = NULL;
		ret = nfh_cmdline_parse(&cmd, argc, argv, &e);
		if (ret == -1) {
			if (!e.msg[0] || !e.usage)
				bad_msg++;
			continue;
		}
		if (ret != 0) {
			bad_msg++;
			continue;
		}
		ok++;
		if (cmd.id == NFH_CMD_RULE_ADD) {
			char *text = nfh_rule_text(&cmd.rule, NFH_FMT_INDEX);
			char line[2048], lb[2048], *w[128];
			struct nfh_rule back;
			int n;

			snprintf(line, sizeof(line), "%s %s %s",
				 nfh_family_name(cmd.rule.family),
				 nfh_hook_name(cmd.rule.hook), text ? text : "");
			snprintf(lb, sizeof(lb), "%s", line);
			n = nfh_split_line(lb, w, 128, &e);
			if (n < 0 || nfh_rule_parse(&back, n, w, NFH_RULE_CTX_ADD, &e) ||
			    !nfh_rule_equal(&cmd.rule, &back)) {
				bad_rt++;
				unit_fail(__FILE__, __LINE__, "round trip failed: %s", line);
			}
			free(text);
		}
	}
	CHECK_INT(bad_msg, 0);
	CHECK_INT(bad_rt, 0);
	CHECK(ok > 0);
}

/* Random lines into the restore parser: an answer, never a crash. */
static void fuzz_restore(unsigned int rounds)
{
	char text[512];
	struct nfh_ruleset rs;
	struct nfh_err e;
	unsigned int i, bad = 0;
	size_t len, k;
	FILE *f;

	unit_case("restore fuzz: %u random files", rounds);
	for (i = 0; i < rounds; i++) {
		len = 0;
		while (len < 400) {
			const char *w = vocab[rnd() % NFH_ARRAY_SIZE(vocab)];

			if (rnd() % 10 == 0)
				w = rnd() % 2 ? "\nrule ipv4 input" : "\nhook ipv6 output";
			if (rnd() % 20 == 0) {
				text[len++] = (char)(1 + rnd() % 255);
				continue;
			}
			k = strlen(w);
			if (len + k + 1 >= 400)
				break;
			memcpy(text + len, w, k);
			len += k;
			text[len++] = rnd() % 6 ? ' ' : '\n';
		}
		text[len] = '\0';
		memset(&rs, 0, sizeof(rs));
		f = fmemopen(text, len, "r");
		if (!f)
			continue;
		if (nfh_restore_parse(f, "fuzz", &rs, &e) && strncmp(e.msg, "fuzz:", 5))
			bad++;
		fclose(f);
		nfh_ruleset_free(&rs);
	}
	CHECK_INT(bad, 0);
}

void suite_cmdline(void)
{
	static const char u_main[] = "nfhookctl [-j|--json] [-n|--numeric] [-N|--netns NAME] COMMAND ...";
	static const char u_add[] = "nfhookctl rule add FAMILY HOOK [MATCH ...] ACTION [index N] [comment TEXT]";
	static const char u_set[] = "nfhookctl hook set FAMILY HOOK [priority PRIO] [policy accept|drop] [enable|disable]";
	static const char u_trace[] = "nfhookctl trace [FAMILY] [MATCH ...] [--count N] [--timeout S] [--rate N] [-v|--verbose]";
	static const char u_path[] = "nfhookctl pipeline --path IFACE [FAMILY]";
	struct nfh_err e = { .msg = "" };
	struct nfh_cmd cmd;

	ok_case("info", NFH_CMD_INFO);
	ok_case("hook list", NFH_CMD_HOOK_LIST);
	ok_case("hook list ipv6 forward", NFH_CMD_HOOK_LIST);
	ok_case("hook set ipv4 input priority filter+10 policy drop enable", NFH_CMD_HOOK_SET);
	ok_case("rule add ipv4 input proto tcp dport 22 accept comment ssh", NFH_CMD_RULE_ADD);
	ok_case("rule del 5", NFH_CMD_RULE_DEL);
	ok_case("rule list", NFH_CMD_RULE_LIST);
	ok_case("rule list ipv4", NFH_CMD_RULE_LIST);
	ok_case("rule list ipv4 input", NFH_CMD_RULE_LIST);
	ok_case("flush", NFH_CMD_FLUSH);
	ok_case("flush ipv6", NFH_CMD_FLUSH);
	ok_case("flush ipv6 output", NFH_CMD_FLUSH);
	ok_case("reset", NFH_CMD_RESET);
	ok_case("save", NFH_CMD_SAVE);
	ok_case("save --counters", NFH_CMD_SAVE);
	ok_case("restore", NFH_CMD_RESTORE);
	ok_case("restore -", NFH_CMD_RESTORE);
	ok_case("restore /tmp/x.rules", NFH_CMD_RESTORE);
	ok_case("monitor", NFH_CMD_MONITOR);
	ok_case("--help", NFH_CMD_HELP);
	ok_case("-h", NFH_CMD_HELP);
	ok_case("help", NFH_CMD_HELP);
	ok_case("help rule", NFH_CMD_HELP);
	ok_case("rule --help", NFH_CMD_HELP);
	ok_case("rule add --help", NFH_CMD_HELP);
	ok_case("hook set --help", NFH_CMD_HELP);
	ok_case("save --help", NFH_CMD_HELP);
	ok_case("-V", NFH_CMD_VERSION);
	ok_case("-j -n -N blue info", NFH_CMD_INFO);
	ok_case("--json --numeric --netns=blue rule list", NFH_CMD_RULE_LIST);
	ok_case("-- info", NFH_CMD_INFO);
	ok_case("trace", NFH_CMD_TRACE);
	ok_case("trace proto tcp dport 22", NFH_CMD_TRACE);
	ok_case("trace ipv6 saddr 2001:db8::/32 proto icmpv6 icmp-type echo-request", NFH_CMD_TRACE);
	ok_case("trace ipv4 daddr 10.0.0.0/8 ct state new,invalid iif veth0 len 0-100", NFH_CMD_TRACE);
	ok_case("trace --count 5 ipv4 -v proto udp --timeout 3 --rate 10000", NFH_CMD_TRACE);
	ok_case("-j trace --verbose", NFH_CMD_TRACE);
	ok_case("trace --help", NFH_CMD_HELP);
	ok_case("pipeline --path eth0", NFH_CMD_PIPELINE);
	ok_case("-j pipeline --path=veth-r0 ipv6", NFH_CMD_PIPELINE);

	unit_case("cmdline options and filters are stored");
	CHECK_INT(parse("-j -N red rule list ipv6 output", &cmd, &e), 0);
	CHECK(cmd.json && !cmd.numeric);
	CHECK_STR(cmd.netns, "red");
	CHECK(cmd.has_family && cmd.has_hook);
	CHECK_INT(cmd.family, NFPROTO_IPV6);
	CHECK_INT(cmd.hook, NF_INET_LOCAL_OUT);
	CHECK_INT(parse("rule del 4294967295", &cmd, &e), 0);
	CHECK_INT(cmd.rule.id, 4294967295U);
	CHECK_INT(cmd.rule.fields, NFH_R_ID);
	CHECK_INT(parse("save --counters", &cmd, &e), 0);
	CHECK(cmd.counters);
	CHECK_INT(parse("restore f.rules", &cmd, &e), 0);
	CHECK_STR(cmd.file, "f.rules");
	CHECK_INT(parse("rule --help", &cmd, &e), 0);
	CHECK_STR(cmd.help_topic, "rule");
	CHECK_INT(parse("pipeline --path veth0 ipv4", &cmd, &e), 0);
	CHECK(cmd.has_path && cmd.has_family && !cmd.has_hook);
	CHECK_STR(cmd.path_dev, "veth0");
	CHECK_INT(cmd.family, NFPROTO_IPV4);
	CHECK_INT(parse("pipeline ipv4", &cmd, &e), 0);
	CHECK(!cmd.has_path);

	unit_case("cmdline trace: the selector, count, timeout, rate, verbose");
	CHECK_INT(parse("trace", &cmd, &e), 0);
	CHECK_INT(cmd.rule.family, 0);
	CHECK_INT(cmd.rule.fields, NFH_R_SELECTOR);
	CHECK_INT(cmd.trace_rate, NFHOOK_TRACE_RATE_DEFAULT);
	CHECK_INT(cmd.trace_count, 0);
	CHECK_INT(cmd.trace_timeout, 0);
	CHECK(!cmd.verbose);
	CHECK_INT(parse("trace --rate 1 ipv6 -v proto tcp --count 4294967295 dport 22 --timeout 86400",
			&cmd, &e), 0);
	CHECK_INT(cmd.rule.family, NFPROTO_IPV6);
	CHECK_INT(cmd.rule.fields,
		  NFH_R_SELECTOR | NFH_R_PROTO | NFH_R_DPORT);
	CHECK_INT(cmd.rule.proto, IPPROTO_TCP);
	CHECK_INT(cmd.rule.dport_min, 22);
	CHECK_INT(cmd.trace_rate, 1);
	CHECK_INT(cmd.trace_count, 4294967295U);
	CHECK_INT(cmd.trace_timeout, 86400);
	CHECK(cmd.verbose);

	usage_case("", "missing COMMAND", u_main);
	usage_case("-j", "missing COMMAND", u_main);
	usage_case("-x info", "unknown option \"-x\"", u_main);
	usage_case("--jso info", "unknown option \"--jso\"", u_main);
	usage_case("-N", "-N: missing a namespace NAME", u_main);
	usage_case("-N a -N b info", "-N: given twice", u_main);
	usage_case("-N ../x info", "--netns: \"../x\" is not a namespace name", u_main);
	usage_case("--netns= info", "--netns: missing a namespace NAME", u_main);
	usage_case("inf", "unknown command \"inf\" (info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help)", u_main);
	usage_case("ru add", "unknown command \"ru\" (info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help)", u_main);
	usage_case("info x", "unexpected \"x\"", "nfhookctl info");
	usage_case("hook", "hook: missing list or set", u_set);
	usage_case("hook show", "hook: \"show\" is not list or set", u_set);
	usage_case("hook list ipv4 input x", "unexpected \"x\" after FAMILY HOOK", "nfhookctl hook list [FAMILY [HOOK]]");
	usage_case("hook set ipv4 input", "nothing to set: give priority, policy, enable or disable", u_set);
	usage_case("hook set ipv4 input priority 1x", "priority: \"1x\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)", u_set);
	usage_case("rule", "rule: missing add, del or list", u_add);
	usage_case("rule ad", "rule: \"ad\" is not add, del or list", u_add);
	usage_case("rule add ipv4 input proto tcp dport 22", "missing action: accept, drop or count", u_add);
	usage_case("rule add ipv4 input saddr 1.2.3.4/40 accept", "saddr: prefix length \"40\" out of range for ipv4 (0-32)", u_add);
	usage_case("rule del", "rule del: missing ID", "nfhookctl rule del ID");
	usage_case("rule del 0", "rule del: 0 is never a rule id", "nfhookctl rule del ID");
	usage_case("rule del x", "rule del: \"x\" is not a number from 0 to 4294967295", "nfhookctl rule del ID");
	usage_case("rule del 4294967296", "rule del: \"4294967296\" is not a number from 0 to 4294967295", "nfhookctl rule del ID");
	usage_case("rule del 1 2", "rule del: unexpected \"2\" after the ID", "nfhookctl rule del ID");
	usage_case("rule list ipv7", "\"ipv7\" is not a family (ipv4 or ipv6)", "nfhookctl rule list [FAMILY [HOOK]]");
	usage_case("flush ipv4 inpt", "\"inpt\" is not a hook (prerouting, input, forward, output or postrouting)", "nfhookctl flush [FAMILY [HOOK]]");
	usage_case("reset now", "unexpected \"now\"", "nfhookctl reset");
	usage_case("save --count", "unexpected \"--count\"", "nfhookctl save [--counters]");
	usage_case("save --counters x", "unexpected \"x\"", "nfhookctl save [--counters]");
	usage_case("restore a b", "unexpected \"b\"", "nfhookctl restore [FILE|-]");
	usage_case("restore \"\"", "restore: empty file name", "nfhookctl restore [FILE|-]");
	usage_case("monitor all", "unexpected \"all\"", "nfhookctl monitor");
	usage_case("trace ipv4 proto tcp drop", "drop: a trace selector has no action (it only selects packets)", u_trace);
	usage_case("trace count", "count: a trace selector has no action (it only selects packets)", u_trace);
	usage_case("trace ipv4 index 0", "index: a trace selector has only matches", u_trace);
	usage_case("trace ipv4 comment x", "comment: a trace selector has only matches", u_trace);
	usage_case("trace saddr 10.0.0.1", "saddr: give the FAMILY (ipv4 or ipv6) first", u_trace);
	usage_case("trace proto icmp icmp-type echo-request", "icmp-type: give the FAMILY (ipv4 or ipv6) first", u_trace);
	usage_case("trace ipv4 input", "unknown match or action \"input\"", u_trace);
	usage_case("trace ipv4 saddr ::1", "saddr: ::1 is an ipv6 address, but this is an ipv4 rule", u_trace);
	usage_case("trace --count 0", "--count: \"0\" is not a number from 1 to 4294967295", u_trace);
	usage_case("trace --count", "--count: missing a number", u_trace);
	usage_case("trace --timeout 86401", "--timeout: \"86401\" is not a number from 1 to 86400", u_trace);
	usage_case("trace --rate 10001", "--rate: \"10001\" is not a number from 1 to 10000", u_trace);
	usage_case("trace --rate x", "--rate: \"x\" is not a number from 1 to 10000", u_trace);
	usage_case("trace --bogus", "unknown option \"--bogus\" (--count, --timeout, --rate, --verbose)", u_trace);
	usage_case("help rule x", "help: unexpected \"x\"", "nfhookctl help [COMMAND]");
	usage_case("pipeline --path", "--path: missing a device IFACE", u_path);
	usage_case("pipeline --path=", "--path: empty interface name", u_path);
	usage_case("pipeline --path abcdefghijklmnop", "--path: interface name \"abcdefghijklmnop\" is too long (at most 15 bytes)", u_path);
	usage_case("pipeline --path a/b", "--path: interface name \"a/b\" has a character interfaces cannot have", u_path);
	usage_case("pipeline --path eth0 netdev", "\"netdev\" is not a family for --path (ipv4 or ipv6)", u_path);
	usage_case("pipeline --path eth0 ipv4 input", "unexpected \"input\" after --path IFACE FAMILY", u_path);
	usage_case("help bogus", "help: unknown command \"bogus\" (info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help)", "nfhookctl help [COMMAND]");
	usage_case("help ru", "help: unknown command \"ru\" (info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help)", "nfhookctl help [COMMAND]");
	usage_case("bogus --help", "unknown command \"bogus\" (info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help)", u_main);
	usage_case("bogus x --help", "unknown command \"bogus\" (info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help)", u_main);

	unit_case("help text names every command");
	{
		FILE *f;
		char *out;

		unit_capture_begin(&f);
		nfh_usage(f, NULL);
		unit_capture_end(f, &out);
		CHECK(out && strstr(out, "rule add FAMILY HOOK"));
		CHECK(out && strstr(out, "monitor"));
		CHECK(out && strstr(out, "tcp-flags FLAGS[/MASK]"));
		free(out);
		unit_capture_begin(&f);
		nfh_usage(f, "hook");
		unit_capture_end(f, &out);
		CHECK(out && !strncmp(out, "usage: nfhookctl hook list", 26));
		CHECK(out && !strstr(out, "rule add"));
		free(out);
	}

	help_cases();
	fuzz(20000);
	fuzz_restore(2000);
}
