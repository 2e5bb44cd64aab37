/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: global options, then a command and its words, into a
 * struct nfh_cmd; and the help text of every command.
 */
#ifndef NFHOOKCTL_CMDLINE_H
#define NFHOOKCTL_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rule.h"
#include "util.h"

enum nfh_cmd_id {
	NFH_CMD_HELP,
	NFH_CMD_VERSION,
	NFH_CMD_INFO,
	NFH_CMD_HOOK_LIST,
	NFH_CMD_HOOK_SET,
	NFH_CMD_RULE_ADD,
	NFH_CMD_RULE_DEL,
	NFH_CMD_RULE_LIST,
	NFH_CMD_FLUSH,
	NFH_CMD_RESET,
	NFH_CMD_SAVE,
	NFH_CMD_RESTORE,
	NFH_CMD_MONITOR,
	NFH_CMD_PIPELINE,
	NFH_CMD_TRACE,
};

struct nfh_cmd {
	enum nfh_cmd_id id;
	bool json, numeric;
	const char *netns;
	const char *help_topic;		/* HELP: NULL or a command word */
	bool has_family, has_hook;	/* list/flush/pipeline filters */
	uint32_t family, hook;		/* pipeline: also NFPROTO_NETDEV */
	struct nfh_rule rule;		/* RULE_ADD; RULE_DEL: id */
	struct nfh_hook hookset;	/* HOOK_SET */
	bool counters;			/* SAVE --counters */
	const char *file;		/* RESTORE: NULL or "-" for stdin */
	/* TRACE: the selector is @rule; 0 for no count or no timeout */
	uint32_t trace_count, trace_rate;
	uint32_t trace_timeout;		/* seconds */
	bool verbose;
	bool has_path;			/* PIPELINE --path IFACE */
	char path_dev[IFNAMSIZ];
};

/* Fills @cmd; on failure e->msg and e->usage say what is wrong. */
int nfh_cmdline_parse(struct nfh_cmd *cmd, int argc, char **argv,
		      struct nfh_err *e);
/* Full help, or the help of one command word ("rule", "hook", ...). */
void nfh_usage(FILE *f, const char *topic);

#endif /* NFHOOKCTL_CMDLINE_H */
