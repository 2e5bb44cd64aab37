// SPDX-License-Identifier: GPL-2.0
/*
 * nfhookctl: drives nfhook.ko over generic netlink.
 *
 * Exit status: 0 success; 1 the operation failed (the kernel refused, with
 * its message, or a system error); 2 a bad command line or restore file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "cmdline.h"
#include "format.h"
#include "msg.h"
#include "names.h"
#include "netlink.h"
#include "output.h"
#include "path.h"
#include "pipeline.h"
#include "rtnl.h"
#include "trace_run.h"
#include "rule.h"
#include "saverestore.h"
#include "util.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2

/* ---- dumps into arrays ------------------------------------------------- */

struct collect {
	struct nfh_ruleset *rs;
	bool oom;
};

static int hook_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	struct nfh_hook h, *hp;

	if (nfh_parse_hook_msg(nlh, &h))
		return MNL_CB_ERROR;
	hp = nfh_ruleset_add_hook(c->rs);
	if (!hp) {
		c->oom = true;
		return MNL_CB_OK;
	}
	*hp = h;
	return MNL_CB_OK;
}

static int rule_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	const struct nlattr *attr;
	struct nfh_rule *rp;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != NFHOOK_A_RULE)
			continue;
		rp = nfh_ruleset_add_rule(c->rs);
		if (!rp) {
			c->oom = true;
			return MNL_CB_OK;
		}
		if (nfh_parse_rule_nest(attr, rp))
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Dumps hooks (HOOK_GET) or rules (RULE_GET) into @rs, asking again while
 * the kernel says the dump was inconsistent.  A RESET dump is never asked
 * again: its first pass already cleared counters.
 */
static int dump_into(struct nfh_nl *nl, uint8_t cmd, const struct nfh_cmd *cmd_args,
		     bool reset, struct nfh_ruleset *rs)
{
	char buf[NFH_MSG_MAX];
	struct collect c = { .rs = rs };
	struct nlmsghdr *nlh;
	bool intr = false;
	int tries;

	for (tries = 0; tries < NFH_DUMP_TRIES; tries++) {
		if (cmd == NFHOOK_CMD_HOOK_GET)
			rs->nhooks = 0;
		else
			rs->nrules = 0;
		nlh = nfh_nl_msg(nl, buf, cmd, 0);
		if (cmd_args->has_family)
			mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, cmd_args->family);
		if (cmd_args->has_hook)
			mnl_attr_put_u32(nlh, NFHOOK_A_HOOK, cmd_args->hook);
		if (reset)
			mnl_attr_put(nlh, NFHOOK_A_RESET, 0, NULL);
		if (nfh_nl_dump(nl, nlh, cmd == NFHOOK_CMD_HOOK_GET ?
				hook_collect_cb : rule_collect_cb, &c, &intr)) {
			nfh_nl_print_error(nl, NULL);
			return -1;
		}
		if (c.oom) {
			fprintf(stderr, "nfhookctl: out of memory\n");
			return -1;
		}
		if (!intr)
			return 0;
		if (reset) {
			fprintf(stderr, "nfhookctl: warning: the ruleset changed during the reset; the list may be incomplete\n");
			return 0;
		}
	}
	fprintf(stderr, "nfhookctl: the ruleset kept changing during the dump; try again\n");
	return -1;
}

/* ---- printing ---------------------------------------------------------- */

/*
 * "idle": enabled, but nothing was configured in the namespace yet, so
 * netfilter does not run it (and it counts nothing).
 */
static const char *nfh_hook_state(const struct nfh_hook *h)
{
	if (!h->enabled)
		return "disabled";
	if ((h->fields & NFH_H_REGISTERED) && !h->registered)
		return "idle";
	return "enabled";
}

static void print_hook(struct nfh_out *o, const struct nfh_hook *h)
{
	const char *fam = nfh_family_name(h->family);
	const char *hook = nfh_hook_name(h->hook);
	const char *policy = nfh_action_name(h->policy);
	char buf[32];

	nfh_print_str(o, NFH_PRINT_ANY, "family", "FAMILY", fam ? fam : "?");
	nfh_print_str(o, NFH_PRINT_ANY, "hook", "HOOK", hook ? hook : "?");
	nfh_print_s64(o, NFH_PRINT_ANY, "priority", "PRIORITY", h->priority,
		      nfh_format_priority(h->priority, o->numeric, buf,
					  sizeof(buf)));
	nfh_print_bool(o, NFH_PRINT_ANY, "enabled", "STATE", h->enabled,
		       nfh_hook_state(h));
	nfh_print_bool(o, NFH_PRINT_JSON, "registered", NULL, h->registered,
		       NULL);
	nfh_print_str(o, NFH_PRINT_ANY, "policy", "POLICY", policy ? policy : "?");
	nfh_print_u64(o, NFH_PRINT_ANY, "rules", "RULES", h->rules, NULL);
	nfh_print_count(o, "packets", "PACKETS", h->counters[NFH_C_PACKETS]);
	nfh_print_bytes(o, "bytes", "BYTES", h->counters[NFH_C_BYTES]);
	nfh_print_count(o, "accepted_packets", "ACCEPTED",
			h->counters[NFH_C_ACCEPTED_PACKETS]);
	nfh_print_u64(o, NFH_PRINT_JSON, "accepted_bytes", NULL,
		      h->counters[NFH_C_ACCEPTED_BYTES], NULL);
	nfh_print_count(o, "rule_dropped_packets", "RULE-DROP",
			h->counters[NFH_C_RULE_DROPPED_PACKETS]);
	nfh_print_u64(o, NFH_PRINT_JSON, "rule_dropped_bytes", NULL,
		      h->counters[NFH_C_RULE_DROPPED_BYTES], NULL);
	nfh_print_count(o, "policy_dropped_packets", "POLICY-DROP",
			h->counters[NFH_C_POLICY_DROPPED_PACKETS]);
	nfh_print_u64(o, NFH_PRINT_JSON, "policy_dropped_bytes", NULL,
		      h->counters[NFH_C_POLICY_DROPPED_BYTES], NULL);
	nfh_print_count(o, "fragment_dropped_packets", "FRAG-DROP",
			h->counters[NFH_C_FRAGMENT_DROPPED_PACKETS]);
	nfh_print_u64(o, NFH_PRINT_JSON, "fragment_dropped_bytes", NULL,
		      h->counters[NFH_C_FRAGMENT_DROPPED_BYTES], NULL);
}

static bool filter_ok(const struct nfh_cmd *cmd, uint32_t family,
		      uint32_t hook)
{
	return (!cmd->has_family || cmd->family == family) &&
	       (!cmd->has_hook || cmd->hook == hook);
}

static void print_hooks(struct nfh_out *o, const char *key,
			const struct nfh_ruleset *rs, const struct nfh_cmd *cmd)
{
	size_t i;

	nfh_out_list_begin(o, key);
	for (i = 0; i < rs->nhooks; i++) {
		if (!filter_ok(cmd, rs->hooks[i].family, rs->hooks[i].hook))
			continue;
		nfh_out_row_begin(o);
		print_hook(o, &rs->hooks[i]);
		nfh_out_row_end(o);
	}
	nfh_out_list_end(o);
}

static void print_rules(struct nfh_out *o, const char *key,
			const struct nfh_ruleset *rs)
{
	size_t i;

	nfh_out_list_begin(o, key);
	for (i = 0; i < rs->nrules; i++) {
		nfh_out_row_begin(o);
		nfh_print_rule(o, &rs->rules[i]);
		nfh_out_row_end(o);
	}
	nfh_out_list_end(o);
}

static int finish(struct nfh_out *o)
{
	if (nfh_out_finish(o)) {
		fprintf(stderr, "nfhookctl: cannot write the output: %s\n",
			errno ? strerror(errno) : "out of memory");
		return EXIT_FAILED;
	}
	return 0;
}

/* ---- commands ---------------------------------------------------------- */

/* Sends @nlh and waits for the answer: 0, or EXIT_FAILED with the error said. */
static int request(struct nfh_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data)
{
	if (nfh_nl_do(nl, nlh, cb, data)) {
		nfh_nl_print_error(nl, NULL);
		return EXIT_FAILED;
	}
	return 0;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	return nfh_parse_info_msg(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int cmd_info(struct nfh_nl *nl, struct nfh_out *o)
{
	char buf[NFH_MSG_MAX], pbuf[32];
	struct nfh_info info = { .version = "" };
	struct nlmsghdr *nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_INFO_GET, 0);

	if (request(nl, nlh, info_cb, &info))
		return EXIT_FAILED;
	nfh_out_obj_begin(o, NULL);
	nfh_print_str(o, NFH_PRINT_ANY, "version", "module version", info.version);
	nfh_print_str(o, NFH_PRINT_ANY, "userland_version", "nfhookctl version",
		      VERSION);
	if (info.has_max_rules)
		nfh_print_u64(o, NFH_PRINT_ANY, "max_rules", "max rules",
			      info.max_rules, NULL);
	if (info.has_rule_count)
		nfh_print_u64(o, NFH_PRINT_ANY, "rule_count", "rules",
			      info.rule_count, NULL);
	if (info.has_default_priority)
		nfh_print_s64(o, NFH_PRINT_ANY, "default_priority",
			      "default priority", info.default_priority,
			      nfh_format_priority(info.default_priority,
						  o->numeric, pbuf, sizeof(pbuf)));
	if (info.has_rules_bytes)
		nfh_print_bytes(o, "rules_bytes", "rule memory",
				info.rules_bytes);
	if (info.has_traces)
		nfh_print_u64(o, NFH_PRINT_ANY, "traces", "traces running",
			      info.traces, NULL);
	nfh_out_obj_end(o);
	return finish(o);
}

static int cmd_hook_list(struct nfh_nl *nl, struct nfh_out *o,
			 const struct nfh_cmd *cmd)
{
	struct nfh_ruleset rs = { 0 };
	int ret;

	if (dump_into(nl, NFHOOK_CMD_HOOK_GET, cmd, false, &rs)) {
		nfh_ruleset_free(&rs);
		return EXIT_FAILED;
	}
	print_hooks(o, NULL, &rs, cmd);
	ret = finish(o);
	nfh_ruleset_free(&rs);
	return ret;
}

static int cmd_hook_set(struct nfh_nl *nl, const struct nfh_cmd *cmd)
{
	char buf[NFH_MSG_MAX];
	struct nlmsghdr *nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_HOOK_SET, 0);

	if (!nfh_put_hook(nlh, NFH_MSG_MAX, &cmd->hookset)) {
		fprintf(stderr, "nfhookctl: the request does not fit in a message\n");
		return EXIT_FAILED;
	}
	return request(nl, nlh, NULL, NULL);
}

struct added {
	bool got;
	struct nfh_rule rule;
};

static int rule_added_cb(const struct nlmsghdr *nlh, void *data)
{
	struct added *a = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != NFHOOK_A_RULE)
			continue;
		if (nfh_parse_rule_nest(attr, &a->rule))
			return MNL_CB_ERROR;
		a->got = true;
	}
	return MNL_CB_OK;
}

static int cmd_rule_add(struct nfh_nl *nl, struct nfh_out *o,
			const struct nfh_cmd *cmd)
{
	char buf[NFH_MSG_MAX];
	struct added a = { .got = false };
	struct nlmsghdr *nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_RULE_ADD, 0);

	if (!nfh_put_rule(nlh, NFH_MSG_MAX, &cmd->rule)) {
		fprintf(stderr, "nfhookctl: the rule does not fit in a message\n");
		return EXIT_FAILED;
	}
	if (request(nl, nlh, rule_added_cb, &a))
		return EXIT_FAILED;
	if (!a.got || !(a.rule.fields & NFH_R_ID)) {
		fprintf(stderr, "nfhookctl: the rule was added, but the kernel did not say its id\n");
		return EXIT_FAILED;
	}
	if (o->json) {
		nfh_out_obj_begin(o, NULL);
		nfh_print_u64(o, NFH_PRINT_JSON, "id", NULL, a.rule.id, NULL);
		nfh_out_obj_end(o);
	} else {
		fprintf(o->f, "%" PRIu32 "\n", a.rule.id);
	}
	return finish(o);
}

static int cmd_rule_del(struct nfh_nl *nl, const struct nfh_cmd *cmd)
{
	char buf[NFH_MSG_MAX];
	struct nlmsghdr *nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_RULE_DEL, 0);

	if (!nfh_put_rule(nlh, NFH_MSG_MAX, &cmd->rule) ||
	    nfh_nl_do(nl, nlh, NULL, NULL)) {
		nfh_nl_print_error(nl, NULL);
		return EXIT_FAILED;
	}
	return 0;
}

static int cmd_rule_list(struct nfh_nl *nl, struct nfh_out *o,
			 const struct nfh_cmd *cmd)
{
	struct nfh_ruleset rs = { 0 };
	int ret;

	if (dump_into(nl, NFHOOK_CMD_RULE_GET, cmd, false, &rs)) {
		nfh_ruleset_free(&rs);
		return EXIT_FAILED;
	}
	print_rules(o, NULL, &rs);
	ret = finish(o);
	nfh_ruleset_free(&rs);
	return ret;
}

static int cmd_flush(struct nfh_nl *nl, const struct nfh_cmd *cmd)
{
	char buf[NFH_MSG_MAX];
	struct nlmsghdr *nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_FLUSH, 0);

	if (cmd->has_family)
		mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, cmd->family);
	if (cmd->has_hook)
		mnl_attr_put_u32(nlh, NFHOOK_A_HOOK, cmd->hook);
	return request(nl, nlh, NULL, NULL);
}

static int cmd_reset(struct nfh_nl *nl, struct nfh_out *o,
		     const struct nfh_cmd *cmd)
{
	struct nfh_ruleset rs = { 0 };
	int ret = EXIT_FAILED;

	if (dump_into(nl, NFHOOK_CMD_HOOK_GET, cmd, true, &rs) ||
	    dump_into(nl, NFHOOK_CMD_RULE_GET, cmd, true, &rs))
		goto out;
	/* What was cleared: the counters up to the reset. */
	nfh_out_obj_begin(o, NULL);
	print_hooks(o, "hooks", &rs, cmd);
	if (!o->json && rs.nrules)
		fputc('\n', o->f);
	print_rules(o, "rules", &rs);
	nfh_out_obj_end(o);
	ret = finish(o);
out:
	nfh_ruleset_free(&rs);
	return ret;
}

static int cmd_save(struct nfh_nl *nl, const struct nfh_cmd *cmd)
{
	struct nfh_ruleset rs = { 0 };
	struct nfh_out o;
	int ret = EXIT_FAILED;

	if (dump_into(nl, NFHOOK_CMD_HOOK_GET, cmd, false, &rs) ||
	    dump_into(nl, NFHOOK_CMD_RULE_GET, cmd, false, &rs))
		goto out;
	nfh_save_write(stdout, &rs, cmd->counters);
	nfh_out_init(&o, stdout, false, false);
	ret = finish(&o);
out:
	nfh_ruleset_free(&rs);
	return ret;
}

static int cmd_restore(const struct nfh_cmd *cmd)
{
	const char *name = cmd->file && strcmp(cmd->file, "-") ? cmd->file :
			   NULL;
	struct nfh_ruleset rs = { 0 };
	struct nfh_err e = { .msg = "" };
	struct nfh_batch b = { 0 };
	struct nlmsghdr *nlh;
	struct nfh_nl nl;
	char where[4200];
	FILE *in = stdin;
	int ret = EXIT_FAILED;
	size_t i;

	if (name) {
		in = fopen(name, "r");
		if (!in) {
			fprintf(stderr, "nfhookctl: cannot open \"%s\": %s\n",
				name, strerror(errno));
			return EXIT_FAILED;
		}
	}
	/* The whole file first: a mistake anywhere sends nothing. */
	if (nfh_restore_parse(in, name ? name : "<stdin>", &rs, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		ret = EXIT_USAGE;
		goto out_file;
	}
	if (nfh_nl_open(&nl, cmd->netns))
		goto out_file;
	if (nfh_batch_init(&b, &nl)) {
		fprintf(stderr, "nfhookctl: out of memory\n");
		goto out_nl;
	}

	nlh = nfh_batch_msg(&b, NFHOOK_CMD_REPLACE_BEGIN, 0);
	if (!nlh)
		goto fail;
	nfh_batch_add(&b, nlh);
	for (i = 0; i < rs.nhooks; i++) {
		nlh = nfh_batch_msg(&b, NFHOOK_CMD_REPLACE_HOOK, rs.hooks[i].line);
		if (!nlh)
			goto fail;
		if (!nfh_put_hook(nlh, NFH_MSG_MAX, &rs.hooks[i]))
			goto too_big;
		nfh_batch_add(&b, nlh);
	}
	for (i = 0; i < rs.nrules; i++) {
		nlh = nfh_batch_msg(&b, NFHOOK_CMD_REPLACE_RULE, rs.rules[i].line);
		if (!nlh)
			goto fail;
		if (!nfh_put_rule(nlh, NFH_MSG_MAX, &rs.rules[i]))
			goto too_big;
		nfh_batch_add(&b, nlh);
	}
	nlh = nfh_batch_msg(&b, NFHOOK_CMD_REPLACE_COMMIT, 0);
	if (!nlh)
		goto fail;
	nfh_batch_add(&b, nlh);
	if (nfh_batch_flush(&b))
		goto fail;
	ret = 0;
	goto out_batch;

too_big:
	fprintf(stderr, "nfhookctl: internal error: a message does not fit\n");
	goto out_batch;
fail:
	/* The kernel dropped the transaction; closing the socket would too. */
	if (b.err_line) {
		snprintf(where, sizeof(where), "%s:%u",
			 name ? name : "<stdin>", b.err_line);
		nfh_nl_print_error(&nl, where);
	} else {
		nfh_nl_print_error(&nl, NULL);
	}
out_batch:
	nfh_batch_free(&b);
out_nl:
	nfh_nl_close(&nl);
out_file:
	if (name)
		fclose(in);
	nfh_ruleset_free(&rs);
	return ret;
}

/* ---- monitor ----------------------------------------------------------- */

static void text_filter(FILE *f, bool has_family, uint32_t family,
			bool has_hook, uint32_t hook)
{
	const char *fam = nfh_family_name(family);
	const char *hk = nfh_hook_name(hook);

	if (has_family)
		fprintf(f, " %s", fam ? fam : "?");
	if (has_hook)
		fprintf(f, " %s", hk ? hk : "?");
}

static int event_print_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nfh_out *o = data;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct nfh_rule r;
	struct nfh_hook h;
	bool hf, hh;
	uint32_t fam, hook;
	const char *ev;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return MNL_CB_OK;
	/* Each event is a JSON document of its own: no comma before it. */
	o->first[0] = true;
	switch (genl->cmd) {
	case NFHOOK_CMD_HOOK_SET:
		if (nfh_parse_hook_msg(nlh, &h))
			break;
		if (o->json) {
			nfh_out_obj_begin(o, NULL);
			nfh_print_str(o, NFH_PRINT_JSON, "event", NULL, "hook_set");
			print_hook(o, &h);
			nfh_out_obj_end(o);
		} else {
			fprintf(o->f, "hook set %s %s ",
				nfh_family_name(h.family) ?: "?",
				nfh_hook_name(h.hook) ?: "?");
			nfh_hook_write(o->f, &h, o->numeric);
			fputc('\n', o->f);
		}
		break;
	case NFHOOK_CMD_RULE_ADD:
	case NFHOOK_CMD_RULE_DEL:
		ev = genl->cmd == NFHOOK_CMD_RULE_ADD ? "add" : "del";
		mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
			if (mnl_attr_get_type(attr) != NFHOOK_A_RULE ||
			    nfh_parse_rule_nest(attr, &r))
				continue;
			if (o->json) {
				nfh_out_obj_begin(o, NULL);
				nfh_print_str(o, NFH_PRINT_JSON, "event", NULL,
					      genl->cmd == NFHOOK_CMD_RULE_ADD ?
					      "rule_add" : "rule_del");
				nfh_print_rule(o, &r);
				nfh_out_obj_end(o);
				continue;
			}
			fprintf(o->f, "rule %s %s %s id %" PRIu32 " ", ev,
				nfh_family_name(r.family) ?: "?",
				nfh_hook_name(r.hook) ?: "?", r.id);
			nfh_rule_write(o->f, &r, NFH_FMT_INDEX |
				       (o->numeric ? NFH_FMT_NUMERIC : 0));
			fputc('\n', o->f);
		}
		break;
	case NFHOOK_CMD_FLUSH:
		if (nfh_parse_flush_msg(nlh, &hf, &fam, &hh, &hook))
			break;
		if (o->json) {
			nfh_out_obj_begin(o, NULL);
			nfh_print_str(o, NFH_PRINT_JSON, "event", NULL, "flush");
			if (hf)
				nfh_print_str(o, NFH_PRINT_JSON, "family", NULL,
					      nfh_family_name(fam) ?: "?");
			if (hh)
				nfh_print_str(o, NFH_PRINT_JSON, "hook", NULL,
					      nfh_hook_name(hook) ?: "?");
			nfh_out_obj_end(o);
		} else {
			fputs("flush", o->f);
			text_filter(o->f, hf, fam, hh, hook);
			fputc('\n', o->f);
		}
		break;
	case NFHOOK_CMD_REPLACE_COMMIT: {
		struct nfh_info info;

		if (nfh_parse_info_msg(nlh, &info))
			break;
		if (o->json) {
			nfh_out_obj_begin(o, NULL);
			nfh_print_str(o, NFH_PRINT_JSON, "event", NULL, "replace");
			if (info.has_rule_count)
				nfh_print_u64(o, NFH_PRINT_JSON, "rule_count", NULL,
					      info.rule_count, NULL);
			nfh_out_obj_end(o);
		} else if (info.has_rule_count) {
			fprintf(o->f, "replace commit rules %" PRIu32 "\n",
				info.rule_count);
		} else {
			fputs("replace commit\n", o->f);
		}
		break;
	}
	default:
		if (o->json) {
			nfh_out_obj_begin(o, NULL);
			nfh_print_str(o, NFH_PRINT_JSON, "event", NULL, "unknown");
			nfh_print_u64(o, NFH_PRINT_JSON, "cmd", NULL, genl->cmd, NULL);
			nfh_out_obj_end(o);
		} else {
			fprintf(o->f, "event %u\n", genl->cmd);
		}
	}
	fflush(o->f);
	return MNL_CB_OK;
}

/* netdev is filtered here: the kernel's FAMILY filter knows ipv4 and ipv6. */
static int cmd_pipeline(struct nfh_nl *nl, struct nfh_out *o,
			const struct nfh_cmd *cmd)
{
	struct nfh_pipe_filter f = {
		.has_family = cmd->has_family, .family = cmd->family,
		.has_hook = cmd->has_hook, .hook = cmd->hook,
	};
	struct nfh_pipeline pl = { 0 };
	/* --path wants the netdev hooks too: its family is filtered later. */
	struct nfh_pipe_filter fetch = cmd->has_path ?
				       (struct nfh_pipe_filter){ 0 } : f;
	struct nfh_devpath dev;
	struct nfh_nl rt;
	int ret;

	/* The device first: an unknown one is said before anything else. */
	if (cmd->has_path) {
		if (nfh_nl_open_route(&rt))
			return EXIT_FAILED;
		ret = nfh_rtnl_read(&rt, cmd->path_dev, &dev);
		nfh_nl_close(&rt);
		if (ret) {
			nfh_devpath_free(&dev);
			return EXIT_FAILED;
		}
	}
	if (nfh_pipeline_fetch(nl, &pl, &fetch)) {
		ret = EXIT_FAILED;
		goto out;
	}
	if (cmd->has_path)
		nfh_path_print(o, &dev, &pl, &f);
	else
		nfh_pipeline_print(o, &pl, &f);
	ret = finish(o);
out:
	nfh_pipeline_free(&pl);
	if (cmd->has_path)
		nfh_devpath_free(&dev);
	return ret;
}

static int cmd_monitor(struct nfh_nl *nl, struct nfh_out *o)
{
	if (nfh_nl_join_events(nl))
		return EXIT_FAILED;
	return nfh_nl_listen(nl, event_print_cb, o) ? EXIT_FAILED : 0;
}

/* ---- main -------------------------------------------------------------- */

static int run(const struct nfh_cmd *cmd)
{
	struct nfh_out o;
	struct nfh_nl nl;
	int ret;

	if (cmd->id == NFH_CMD_RESTORE)
		return cmd_restore(cmd);
	if (nfh_nl_open(&nl, cmd->netns))
		return EXIT_FAILED;
	nfh_out_init(&o, stdout, cmd->json, cmd->numeric);
	switch (cmd->id) {
	case NFH_CMD_INFO:
		ret = cmd_info(&nl, &o);
		break;
	case NFH_CMD_HOOK_LIST:
		ret = cmd_hook_list(&nl, &o, cmd);
		break;
	case NFH_CMD_HOOK_SET:
		ret = cmd_hook_set(&nl, cmd);
		break;
	case NFH_CMD_RULE_ADD:
		ret = cmd_rule_add(&nl, &o, cmd);
		break;
	case NFH_CMD_RULE_DEL:
		ret = cmd_rule_del(&nl, cmd);
		break;
	case NFH_CMD_RULE_LIST:
		ret = cmd_rule_list(&nl, &o, cmd);
		break;
	case NFH_CMD_FLUSH:
		ret = cmd_flush(&nl, cmd);
		break;
	case NFH_CMD_RESET:
		ret = cmd_reset(&nl, &o, cmd);
		break;
	case NFH_CMD_SAVE:
		ret = cmd_save(&nl, cmd);
		break;
	case NFH_CMD_MONITOR:
		ret = cmd_monitor(&nl, &o);
		break;
	case NFH_CMD_PIPELINE:
		ret = cmd_pipeline(&nl, &o, cmd);
		break;
	case NFH_CMD_TRACE:
		ret = nfh_trace_run(&nl, &o, cmd) ? EXIT_FAILED : finish(&o);
		break;
	default:
		ret = EXIT_FAILED;
	}
	nfh_nl_close(&nl);
	return ret;
}

int main(int argc, char **argv)
{
	struct nfh_err e = { .msg = "" };
	struct nfh_cmd cmd;

	if (nfh_cmdline_parse(&cmd, argc, argv, &e)) {
		fprintf(stderr, "nfhookctl: %s\n", e.msg);
		if (e.usage)
			fprintf(stderr, "usage: %s\n", e.usage);
		return EXIT_USAGE;
	}
	switch (cmd.id) {
	case NFH_CMD_HELP:
		nfh_usage(stdout, cmd.help_topic);
		return 0;
	case NFH_CMD_VERSION:
		printf("nfhookctl %s\n", VERSION);
		return 0;
	default:
		return run(&cmd);
	}
}
