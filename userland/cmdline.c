// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: global options, then a command and its words, into a
 * struct nfh_cmd.  Nothing here talks to the kernel, so every argv can be
 * tried in the unit tests.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "cmdline.h"
#include "names.h"
#include "parse.h"
#include "rule.h"
#include "util.h"

static const char usage_main[] =
	"nfhookctl [-j|--json] [-n|--numeric] [-N|--netns NAME] COMMAND ...";
static const char usage_info[] = "nfhookctl info";
static const char usage_hook_list[] = "nfhookctl hook list [FAMILY [HOOK]]";
static const char usage_hook_set[] =
	"nfhookctl hook set FAMILY HOOK [priority PRIO] [policy accept|drop] [enable|disable]";
static const char usage_rule_add[] =
	"nfhookctl rule add FAMILY HOOK [MATCH ...] ACTION [index N] [comment TEXT]";
static const char usage_rule_del[] = "nfhookctl rule del ID";
static const char usage_rule_list[] = "nfhookctl rule list [FAMILY [HOOK]]";
static const char usage_flush[] = "nfhookctl flush [FAMILY [HOOK]]";
static const char usage_reset[] = "nfhookctl reset";
static const char usage_save[] = "nfhookctl save [--counters]";
static const char usage_restore[] = "nfhookctl restore [FILE|-]";
static const char usage_monitor[] = "nfhookctl monitor";
static const char usage_pipeline[] = "nfhookctl pipeline [FAMILY [HOOK]]";
static const char usage_trace[] =
	"nfhookctl trace [FAMILY] [MATCH ...] [--count N] [--timeout S] [--rate N] [-v|--verbose]";
static const char usage_path[] = "nfhookctl pipeline --path IFACE [FAMILY]";
static const char usage_help[] = "nfhookctl help [COMMAND]";

static const char command_list[] =
	"info, hook, rule, flush, reset, save, restore, monitor, pipeline, trace, help";

static const struct {
	const char *topic;
	const char *line;
} usage_lines[] = {
	{ "info", usage_info },
	{ "hook", usage_hook_list },
	{ "hook", usage_hook_set },
	{ "rule", usage_rule_add },
	{ "rule", usage_rule_del },
	{ "rule", usage_rule_list },
	{ "flush", usage_flush },
	{ "reset", usage_reset },
	{ "save", usage_save },
	{ "restore", usage_restore },
	{ "monitor", usage_monitor },
	{ "pipeline", usage_pipeline },
	{ "trace", usage_trace },
	{ "pipeline", usage_path },
	{ "help", usage_help },
};

_Static_assert(NFHOOK_COMMENT_SIZE == 64, "the TEXT legend says 63 bytes");

/*
 * What each capital word of the usage lines stands for, and the commands
 * whose usage lines have it: `help COMMAND` shows only those.
 */
static const struct {
	const char *topics;	/* command words, blank-separated */
	const char *text;
} legends[] = {
	{ "hook rule flush trace", "FAMILY  ipv4 | ipv6\n" },
	{ "hook rule flush",
	  "HOOK    prerouting | input | forward | output | postrouting\n" },
	{ "hook",
	  "PRIO    a number (lower runs first), or raw conntrack mangle dstnat\n"
	  "        filter security srcnat with an optional offset (filter+10)\n" },
	{ "rule trace",
	  "MATCH   saddr ADDR[/LEN] | daddr ADDR[/LEN]\n"
	  "        | proto tcp|udp|udplite|sctp|icmp|icmpv6|NUM\n"
	  "        | sport P[-P] | dport P[-P] | icmp-type T [code C]\n"
	  "        | iif NAME | oif NAME | len MIN[-MAX] | len MIN-\n"
	  "        | tcp-flags FLAGS[/MASK]   (fin syn rst psh ack urg ece cwr, e.g. syn/syn,ack)\n"
	  "        | ct state LIST   (new established related invalid untracked, any of,\n"
	  "          e.g. established,related; a hook that runs before connection\n"
	  "          tracking sees every packet as invalid)\n" },
	{ "rule", "ACTION  accept | drop | count\n" },
	{ "rule",
	  "N       where the rule goes in its hook's list: 0 is first (default: last)\n" },
	{ "rule", "TEXT    a comment kept with the rule, at most 63 bytes\n" },
	{ "rule", "ID      the id rule add printed, as rule list shows it\n" },
	{ "restore",
	  "FILE    what save wrote; - or nothing: standard input\n" },
	{ "pipeline", "FAMILY  ipv4 | ipv6 | netdev\n" },
	{ "pipeline",
	  "HOOK    prerouting | input | forward | output | postrouting;\n"
	  "        netdev: ingress | egress\n" },
	{ "trace",
	  "Follows the packets MATCH selects (both families without FAMILY) through\n"
	  "every hook of the namespace and prints one line per packet: each hook point\n"
	  "it crossed with the hooks it passed there, and how it ended (delivered,\n"
	  "sent, or dropped by which hook).  Stops after N packets (--count), S\n"
	  "seconds (--timeout) or Ctrl-C; selects at most N packets a second (--rate,\n"
	  "default 100).  -v: one line per hook point with times, devices, functions.\n" },
	{ "pipeline",
	  "Every netfilter hook of the namespace in the order packets meet them,\n"
	  "lowest priority first: priority, what it is (conntrack, defrag, NAT,\n"
	  "nftables chain, iptables table, BPF, nfhook), function and module;\n"
	  "nfhook's own hooks are marked *.\n" },
	{ "pipeline",
	  "IFACE   a network device of the namespace: --path draws the way of its\n"
	  "        packets from the wire to the socket and back out: its XDP\n"
	  "        programs, its tc filters (clsact or ingress qdisc), its netdev\n"
	  "        hooks, the IPv4/IPv6 hook points (FAMILY: ipv4 or ipv6 only),\n"
	  "        routing, local delivery, forwarding and local output\n" },
};

/* Commands with a usage line; the words help accepts. */
static bool is_command(const char *w)
{
	size_t i;

	for (i = 0; i < NFH_ARRAY_SIZE(usage_lines); i++)
		if (!strcmp(w, usage_lines[i].topic))
			return true;
	return false;
}

/* Whether the blank-separated @list has the word @w. */
static bool list_has(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return true;
	return false;
}

void nfh_usage(FILE *f, const char *topic)
{
	bool legend = false;
	size_t i;

	/* Every command has a usage line; anything else gets the full help. */
	if (topic && !is_command(topic))
		topic = NULL;
	if (!topic)
		fprintf(f, "usage: %s\n\n", usage_main);
	for (i = 0; i < NFH_ARRAY_SIZE(usage_lines); i++) {
		if (topic && strcmp(topic, usage_lines[i].topic))
			continue;
		fprintf(f, "%s%s\n", topic ? "usage: " : "       ",
			usage_lines[i].line);
	}
	if (!topic) {
		fputs("\noptions:\n"
		      "  -j, --json      JSON output (keys: see nfhookctl(8))\n"
		      "  -n, --numeric   numbers instead of names and units\n"
		      "  -N, --netns NAME  run in the network namespace /run/netns/NAME\n"
		      "  -h, --help      this help; help COMMAND or COMMAND --help for one command\n"
		      "  -V, --version   the version of nfhookctl\n", f);
	}
	for (i = 0; i < NFH_ARRAY_SIZE(legends); i++) {
		if (topic && !list_has(legends[i].topics, topic))
			continue;
		if (!legend)
			fputc('\n', f);
		legend = true;
		fputs(legends[i].text, f);
	}
	if (!topic || !strcmp(topic, "save") || !strcmp(topic, "restore"))
		fputs("\nsave writes one line per hook and rule in the words of this\n"
		      "command line; restore replaces everything at once from such a file.\n",
		      f);
	if (!topic)
		fputs("\nEvery command but help needs CAP_NET_ADMIN in the network namespace.\n",
		      f);
}

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

/* Optional [FAMILY [HOOK]] filters. */
static int parse_filter(struct nfh_cmd *cmd, int argc, char **argv,
			struct nfh_err *e)
{
	if (argc > 2)
		return nfh_fail(e, "unexpected \"%s\" after FAMILY HOOK", argv[2]);
	if (argc >= 1) {
		if (nfh_parse_family(argv[0], &cmd->family, e))
			return -1;
		cmd->has_family = true;
	}
	if (argc == 2) {
		if (nfh_parse_hook(argv[1], &cmd->hook, e))
			return -1;
		cmd->has_hook = true;
	}
	return 0;
}

/* pipeline --path IFACE [FAMILY], FAMILY ipv4 or ipv6 */
static int parse_path(struct nfh_cmd *cmd, int argc, char **argv,
		      struct nfh_err *e)
{
	const char *w = argv[0], *dev;
	int used = 1;

	e->usage = usage_path;
	if (!strncmp(w, "--path=", 7)) {
		dev = w + 7;
	} else {
		if (argc < 2)
			return nfh_fail(e, "--path: missing a device IFACE");
		dev = argv[1];
		used = 2;
	}
	if (nfh_parse_ifname("--path", dev, cmd->path_dev, e))
		return -1;
	cmd->has_path = true;
	argc -= used;
	argv += used;
	if (argc > 1)
		return nfh_fail(e, "unexpected \"%s\" after --path IFACE FAMILY",
				argv[1]);
	if (argc == 1) {
		if (!nfh_family_by_name(argv[0], &cmd->family))
			return nfh_fail(e, "\"%s\" is not a family for --path (ipv4 or ipv6)",
					argv[0]);
		cmd->has_family = true;
	}
	return 0;
}

/* pipeline [FAMILY [HOOK]], FAMILY also netdev (HOOK ingress or egress) */
static int parse_pipeline(struct nfh_cmd *cmd, int argc, char **argv,
			  struct nfh_err *e)
{
	if (argc >= 1 && (!strcmp(argv[0], "--path") ||
			  !strncmp(argv[0], "--path=", 7)))
		return parse_path(cmd, argc, argv, e);
	if (argc < 1 || strcmp(argv[0], "netdev")) {
		if (argc >= 1 && !nfh_family_by_name(argv[0], &cmd->family))
			return nfh_fail(e, "\"%s\" is not a family (ipv4, ipv6 or netdev)",
					argv[0]);
		return parse_filter(cmd, argc, argv, e);
	}
	if (argc > 2)
		return nfh_fail(e, "unexpected \"%s\" after FAMILY HOOK", argv[2]);
	cmd->family = NFPROTO_NETDEV;
	cmd->has_family = true;
	if (argc == 2) {
		if (!nfh_netdev_hook_by_name(argv[1], &cmd->hook))
			return nfh_fail(e, "\"%s\" is not a netdev hook (ingress or egress)",
					argv[1]);
		cmd->has_hook = true;
	}
	return 0;
}

/* The --count/--timeout/--rate value after argv[*i]. */
static int trace_option(const char *opt, int argc, char **argv, int *i,
			uint64_t min, uint64_t max, uint32_t *v,
			struct nfh_err *e)
{
	const char *s;
	uint64_t n;

	if (*i + 1 >= argc)
		return nfh_fail(e, "%s: missing a number", opt);
	s = argv[++*i];
	if (nfh_parse_uint(opt, s, max, &n, e) || n < min)
		return nfh_fail(e, "%s: \"%s\" is not a number from %llu to %llu",
				opt, s, (unsigned long long)min,
				(unsigned long long)max);
	*v = (uint32_t)n;
	return 0;
}

/* trace [FAMILY] [MATCH ...] with its options anywhere among the words */
static int parse_trace(struct nfh_cmd *cmd, int argc, char **argv,
		       struct nfh_err *e)
{
	char **words;
	int i, n = 0, ret;

	words = calloc((size_t)argc + 1, sizeof(*words));
	if (!words)
		return nfh_fail(e, "out of memory");
	cmd->trace_rate = NFHOOK_TRACE_RATE_DEFAULT;
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "--count"))
			ret = trace_option(w, argc, argv, &i, 1, UINT32_MAX,
					   &cmd->trace_count, e);
		else if (!strcmp(w, "--timeout"))
			ret = trace_option(w, argc, argv, &i, 1, 86400,
					   &cmd->trace_timeout, e);
		else if (!strcmp(w, "--rate"))
			ret = trace_option(w, argc, argv, &i, 1,
					   NFHOOK_TRACE_RATE_MAX,
					   &cmd->trace_rate, e);
		else if (!strcmp(w, "-v") || !strcmp(w, "--verbose"))
			ret = (cmd->verbose = true, 0);
		else if (w[0] == '-' && w[1] == '-')
			ret = nfh_fail(e, "unknown option \"%s\" (--count, --timeout, --rate, --verbose)",
				       w);
		else
			ret = (words[n++] = argv[i], 0);
		if (ret) {
			free(words);
			return -1;
		}
	}
	ret = nfh_selector_parse(&cmd->rule, n, words, e);
	free(words);
	return ret;
}

static int no_args(int argc, char **argv, struct nfh_err *e)
{
	if (argc > 0)
		return nfh_fail(e, "unexpected \"%s\"", argv[0]);
	return 0;
}

static int parse_hook_cmd(struct nfh_cmd *cmd, int argc, char **argv,
			  struct nfh_err *e)
{
	if (argc < 1) {
		e->usage = usage_hook_set;
		return nfh_fail(e, "hook: missing list or set");
	}
	if (!strcmp(argv[0], "list")) {
		cmd->id = NFH_CMD_HOOK_LIST;
		e->usage = usage_hook_list;
		return parse_filter(cmd, argc - 1, argv + 1, e);
	}
	if (!strcmp(argv[0], "set")) {
		cmd->id = NFH_CMD_HOOK_SET;
		e->usage = usage_hook_set;
		return nfh_hook_parse(&cmd->hookset, argc - 1, argv + 1, true, e);
	}
	e->usage = usage_hook_set;
	return nfh_fail(e, "hook: \"%s\" is not list or set", argv[0]);
}

static int parse_rule_cmd(struct nfh_cmd *cmd, int argc, char **argv,
			  struct nfh_err *e)
{
	uint64_t id;

	if (argc < 1) {
		e->usage = usage_rule_add;
		return nfh_fail(e, "rule: missing add, del or list");
	}
	if (!strcmp(argv[0], "add")) {
		cmd->id = NFH_CMD_RULE_ADD;
		e->usage = usage_rule_add;
		return nfh_rule_parse(&cmd->rule, argc - 1, argv + 1,
				      NFH_RULE_CTX_ADD, e);
	}
	if (!strcmp(argv[0], "del")) {
		cmd->id = NFH_CMD_RULE_DEL;
		e->usage = usage_rule_del;
		if (argc < 2)
			return nfh_fail(e, "rule del: missing ID");
		if (argc > 2)
			return nfh_fail(e, "rule del: unexpected \"%s\" after the ID",
					argv[2]);
		if (nfh_parse_uint("rule del", argv[1], UINT32_MAX, &id, e))
			return -1;
		if (!id)
			return nfh_fail(e, "rule del: 0 is never a rule id");
		memset(&cmd->rule, 0, sizeof(cmd->rule));
		cmd->rule.id = (uint32_t)id;
		cmd->rule.fields = NFH_R_ID;
		return 0;
	}
	if (!strcmp(argv[0], "list")) {
		cmd->id = NFH_CMD_RULE_LIST;
		e->usage = usage_rule_list;
		return parse_filter(cmd, argc - 1, argv + 1, e);
	}
	e->usage = usage_rule_add;
	return nfh_fail(e, "rule: \"%s\" is not add, del or list", argv[0]);
}

int nfh_cmdline_parse(struct nfh_cmd *cmd, int argc, char **argv,
		      struct nfh_err *e)
{
	const char *w;
	int i;

	memset(cmd, 0, sizeof(*cmd));
	e->msg[0] = '\0';
	e->usage = usage_main;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		w = argv[i];
		if (!strcmp(w, "-j") || !strcmp(w, "--json")) {
			cmd->json = true;
		} else if (!strcmp(w, "-n") || !strcmp(w, "--numeric")) {
			cmd->numeric = true;
		} else if (!strcmp(w, "-N") || !strcmp(w, "--netns")) {
			if (cmd->netns)
				return nfh_fail(e, "%s: given twice", w);
			if (i + 1 >= argc || !argv[i + 1][0])
				return nfh_fail(e, "%s: missing a namespace NAME", w);
			cmd->netns = argv[++i];
		} else if (!strncmp(w, "--netns=", 8)) {
			if (cmd->netns)
				return nfh_fail(e, "--netns: given twice");
			if (!w[8])
				return nfh_fail(e, "--netns: missing a namespace NAME");
			cmd->netns = w + 8;
		} else if (is_help(w)) {
			cmd->id = NFH_CMD_HELP;
			return 0;
		} else if (!strcmp(w, "-V") || !strcmp(w, "--version")) {
			cmd->id = NFH_CMD_VERSION;
			return 0;
		} else if (!strcmp(w, "--")) {
			i++;
			break;
		} else {
			return nfh_fail(e, "unknown option \"%s\"", w);
		}
	}
	if (cmd->netns && (strchr(cmd->netns, '/') || !strcmp(cmd->netns, ".") ||
			   !strcmp(cmd->netns, "..")))
		return nfh_fail(e, "--netns: \"%s\" is not a namespace name",
				cmd->netns);
	if (i >= argc)
		return nfh_fail(e, "missing COMMAND");

	w = argv[i++];
	argc -= i;
	argv += i;
	/* COMMAND --help, or COMMAND SUBCOMMAND --help */
	if (is_command(w) &&
	    ((argc >= 1 && is_help(argv[0])) ||
	     ((!strcmp(w, "hook") || !strcmp(w, "rule")) && argc >= 2 &&
	      is_help(argv[1])))) {
		cmd->id = NFH_CMD_HELP;
		cmd->help_topic = w;
		return 0;
	}
	if (!strcmp(w, "help")) {
		cmd->id = NFH_CMD_HELP;
		e->usage = usage_help;
		if (argc > 1)
			return nfh_fail(e, "help: unexpected \"%s\"", argv[1]);
		if (argc && !is_command(argv[0]))
			return nfh_fail(e, "help: unknown command \"%s\" (%s)",
					argv[0], command_list);
		cmd->help_topic = argc ? argv[0] : NULL;
		return 0;
	}
	if (!strcmp(w, "info")) {
		cmd->id = NFH_CMD_INFO;
		e->usage = usage_info;
		return no_args(argc, argv, e);
	}
	if (!strcmp(w, "hook"))
		return parse_hook_cmd(cmd, argc, argv, e);
	if (!strcmp(w, "rule"))
		return parse_rule_cmd(cmd, argc, argv, e);
	if (!strcmp(w, "flush")) {
		cmd->id = NFH_CMD_FLUSH;
		e->usage = usage_flush;
		return parse_filter(cmd, argc, argv, e);
	}
	if (!strcmp(w, "reset")) {
		cmd->id = NFH_CMD_RESET;
		e->usage = usage_reset;
		return no_args(argc, argv, e);
	}
	if (!strcmp(w, "save")) {
		cmd->id = NFH_CMD_SAVE;
		e->usage = usage_save;
		if (argc >= 1 && !strcmp(argv[0], "--counters")) {
			cmd->counters = true;
			argc--;
			argv++;
		}
		return no_args(argc, argv, e);
	}
	if (!strcmp(w, "restore")) {
		cmd->id = NFH_CMD_RESTORE;
		e->usage = usage_restore;
		if (argc >= 1) {
			if (!argv[0][0])
				return nfh_fail(e, "restore: empty file name");
			cmd->file = argv[0];
		}
		return no_args(argc - (argc > 0), argv + (argc > 0), e);
	}
	if (!strcmp(w, "monitor")) {
		cmd->id = NFH_CMD_MONITOR;
		e->usage = usage_monitor;
		return no_args(argc, argv, e);
	}
	if (!strcmp(w, "pipeline")) {
		cmd->id = NFH_CMD_PIPELINE;
		e->usage = usage_pipeline;
		return parse_pipeline(cmd, argc, argv, e);
	}
	if (!strcmp(w, "trace")) {
		cmd->id = NFH_CMD_TRACE;
		e->usage = usage_trace;
		return parse_trace(cmd, argc, argv, e);
	}
	return nfh_fail(e, "unknown command \"%s\" (%s)", w, command_list);
}
