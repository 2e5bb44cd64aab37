// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the "nfhook" generic netlink family (docs/netlink.md): the family,
 * its policies, request parsing, and the commands that read or change one
 * thing.  netlink.h says what the other netlink_*.c files hold.
 *
 * Every command acts on the caller's network namespace and, reads, dumps and
 * the events group included, needs CAP_NET_ADMIN over the namespace's user
 * namespace, as netfilter's own families do: counters and events tell about
 * other users' traffic.  This file only turns messages into calls on the
 * rulesets, hooks and transactions and their results back into messages.
 *
 * The family runs with parallel_ops: the core's global genl mutex is not
 * taken, and every command, dump step and the socket-release notifier
 * serialise on the namespace's own nfhook_net.lock instead.  Notifications
 * are sent under that lock too, so listeners see changes in their order.

 */

#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"
#include "trace.h"

static const struct genl_multicast_group nfhook_mcgrps[] = {
	[NFHOOK_MCGRP_ID_EVENTS] = {
		.name = NFHOOK_MCGRP_EVENTS,
		NFHOOK_MCGRP_FLAGS
	},
};

/*
 * Attributes only ever sent by the kernel (VERSION, counters...) have no
 * entry: strict validation rejects them in requests.
 */
const struct nla_policy nfhook_policy[NFHOOK_A_MAX + 1] = {
	[NFHOOK_A_FAMILY]	= NFHOOK_POLICY_FAMILY,
	[NFHOOK_A_HOOK]		= NFHOOK_POLICY_HOOK,
	[NFHOOK_A_PRIORITY]	= { .type = NLA_S32 },
	[NFHOOK_A_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[NFHOOK_A_POLICY]	= NLA_POLICY_RANGE(NLA_U32, NFHOOK_ACTION_ACCEPT,
						   NFHOOK_ACTION_DROP),
	[NFHOOK_A_RULE]		= NLA_POLICY_NESTED(nfhook_rule_policy),
	[NFHOOK_A_RESET]	= { .type = NLA_FLAG },
	[NFHOOK_A_TRACE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[NFHOOK_A_TRACE_RATE]	= NLA_POLICY_RANGE(NLA_U32, 1,
						   NFHOOK_TRACE_RATE_MAX),
	[NFHOOK_A_TRACE_LIMIT]	= { .type = NLA_U32 },
};

/* Attribute parsing *******************************************************/

int nfhook_get_hook_id(struct nlattr **attrs, struct netlink_ext_ack *extack,
		       int *fidx, int *hooknum)
{
	struct nlattr *attr;
	int val;

	*fidx = -1;
	*hooknum = -1;

	attr = attrs[NFHOOK_A_FAMILY];
	if (attr) {
		val = nfhook_attr_family(attr, extack);
		if (val < 0)
			return val;
		*fidx = val;
	}

	attr = attrs[NFHOOK_A_HOOK];
	if (attr) {
		val = nfhook_attr_hook(attr, extack);
		if (val < 0)
			return val;
		if (*fidx < 0) {
			NL_SET_ERR_MSG_MOD(extack, "a hook needs its family");
			NL_SET_ERR_ATTR_MISS(extack, NULL, NFHOOK_A_FAMILY);
			NL_SET_BAD_ATTR(extack, attr);
			return -EINVAL;
		}
		*hooknum = val;
	}
	return 0;
}

int nfhook_req_hook_id(struct genl_info *info, int *fidx, int *hooknum)
{
	if (GENL_REQ_ATTR_CHECK(info, NFHOOK_A_FAMILY)) {
		NL_SET_ERR_MSG_MOD(info->extack, "family missing");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, NFHOOK_A_HOOK)) {
		NL_SET_ERR_MSG_MOD(info->extack, "hook missing");
		return -EINVAL;
	}
	return nfhook_get_hook_id(info->attrs, info->extack, fidx, hooknum);
}

int nfhook_get_hook_settings(struct genl_info *info,
			     struct nfhook_hook_cfg *cfg, u8 *policy)
{
	struct nlattr **attrs = info->attrs;

	if (!attrs[NFHOOK_A_PRIORITY] && !attrs[NFHOOK_A_ENABLED] &&
	    !attrs[NFHOOK_A_POLICY]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "nothing to set: no priority, enabled or policy");
		return -EINVAL;
	}

	/* The policy allows only ACCEPT and DROP. */
	if (attrs[NFHOOK_A_POLICY])
		*policy = nla_get_u32(attrs[NFHOOK_A_POLICY]);
	if (attrs[NFHOOK_A_PRIORITY])
		cfg->priority = nla_get_s32(attrs[NFHOOK_A_PRIORITY]);
	if (attrs[NFHOOK_A_ENABLED])
		cfg->enabled = nla_get_u8(attrs[NFHOOK_A_ENABLED]);
	return 0;
}

int nfhook_parse_rule(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, NFHOOK_A_RULE)) {
		NL_SET_ERR_MSG_MOD(info->extack, "rule missing");
		return -EINVAL;
	}
	return nla_parse_nested(tb, NFHOOK_RULE_A_MAX, info->attrs[NFHOOK_A_RULE],
				nfhook_rule_policy, info->extack);
}

/*
 * The first change in a namespace registers its enabled hooks (netns.h);
 * under nfhook_net.lock.
 */
static int nfhook_activate(struct net *net, struct nfhook_net *nn,
			   struct genl_info *info)
{
	int err = nfhook_net_activate(net, nn);

	if (err)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "netfilter refused to register nfhook's hooks in this namespace");
	return err;
}

static void nfhook_hook_reg_failed(struct genl_info *info, int priority)
{
	struct nlattr *attr = info->attrs[NFHOOK_A_PRIORITY];

	NFHOOK_SET_ERR_MSG_FMT(info->extack,
			       "netfilter refused to register the hook",
			       "netfilter refused to register the hook at priority %d",
			       priority);
	NL_SET_BAD_ATTR(info->extack, attr ?: info->attrs[NFHOOK_A_ENABLED]);
}

/* Rules ********************************************************************/

/*
 * Builds a rule from @tb (parsed from @nest) and reserves its place in
 * @rs: *@index gets the index asked for (or NFHOOK_INDEX_APPEND) and *@pos
 * the position the rule will have.  The caller publishes or unreserves.
 */
struct nfhook_rule *
nfhook_rule_build(struct nfhook_net *nn, struct nfhook_ruleset *rs,
		  const struct nlattr *nest, struct nlattr **tb,
		  bool allow_counters, u32 *index, u32 *pos,
		  struct netlink_ext_ack *extack)
{
	struct nfhook_rule *rule;
	int err;

	rule = nfhook_rule_alloc();
	if (!rule)
		return ERR_PTR(-ENOMEM);
	err = nfhook_rule_from_attrs(rule, nest, tb, allow_counters, index,
				     extack);
	if (err)
		goto err_free_rule;

	err = nfhook_ruleset_reserve(rs, rule, *index, &nn->next_id, pos);
	switch (err) {
	case 0:
		return rule;
	case -ENOSPC:
		NFHOOK_SET_ERR_MSG_FMT(extack, "too many rules",
				       "too many rules (limit %u)",
				       nfhook_max_rules);
		NL_SET_BAD_ATTR(extack, nest);
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_MOD(extack, "no free rule id");
		NL_SET_BAD_ATTR(extack, nest);
		err = -ENOSPC;
		break;
	case -ERANGE:
		NFHOOK_SET_ERR_MSG_FMT(extack,
				       "rule index beyond the end of the hook",
				       "rule index %u beyond the end of the hook (%u rules)",
				       *index,
				       nfhook_table_count(nfhook_ruleset_table_of(rs, rule)));
		NL_SET_BAD_ATTR(extack, tb[NFHOOK_RULE_A_INDEX]);
		break;
	}
err_free_rule:
	nfhook_rule_free(rule);
	return ERR_PTR(err);
}

/* Commands *****************************************************************/

static int nfhook_cmd_info_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	struct nfhook_ruleset *rs;
	u32 nrules, ntraces;
	struct sk_buff *msg;
	u64 bytes;
	void *hdr;

	msg = nfhook_reply_new(info, NFHOOK_CMD_INFO_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&nn->lock);
	rs = nfhook_ruleset_locked(nn);
	nrules = rs->nrules;
	bytes = nfhook_ruleset_bytes(rs);
	ntraces = nfhook_trace_count(genl_info_net(info));
	mutex_unlock(&nn->lock);

	if (nla_put_string(msg, NFHOOK_A_VERSION, NFHOOK_VERSION) ||
	    nla_put_u32(msg, NFHOOK_A_MAX_RULES, nfhook_max_rules) ||
	    nla_put_u32(msg, NFHOOK_A_RULE_COUNT, nrules) ||
	    nla_put_s32(msg, NFHOOK_A_DEFAULT_PRIORITY,
			nfhook_default_priority) ||
	    nla_put_u64_64bit(msg, NFHOOK_A_RULES_BYTES, bytes, NFHOOK_A_PAD) ||
	    nla_put_u32(msg, NFHOOK_A_TRACES, ntraces))
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int nfhook_cmd_hook_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	bool reset = nla_get_flag(info->attrs[NFHOOK_A_RESET]);
	int fidx, hooknum, err;
	struct sk_buff *msg;
	void *hdr;

	err = nfhook_req_hook_id(info, &fidx, &hooknum);
	if (err)
		return err;

	msg = nfhook_reply_new(info, NFHOOK_CMD_HOOK_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&nn->lock);
	err = nfhook_put_hook_counted(msg, &nn->hooks[fidx][hooknum],
				      nfhook_ruleset_locked(nn), reset);
	mutex_unlock(&nn->lock);
	if (err)
		goto err_free_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return err;
}

static int nfhook_cmd_hook_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_ruleset *rs;
	struct nfhook_hook_cfg cfg;
	struct nfhook_hook *hook;
	struct nfhook_event ev;
	int fidx, hooknum, err;
	u8 policy;

	err = nfhook_req_hook_id(info, &fidx, &hooknum);
	if (err)
		return err;

	mutex_lock(&nn->lock);
	rs = nfhook_ruleset_locked(nn);
	hook = &nn->hooks[fidx][hooknum];
	cfg.priority = hook->priority;
	cfg.enabled = hook->enabled;
	policy = rs->policy[fidx][hooknum];
	err = nfhook_get_hook_settings(info, &cfg, &policy);
	if (err)
		goto out_unlock;
	err = nfhook_activate(net, nn, info);
	if (err)
		goto out_unlock;

	err = nfhook_hook_set(net, hook, cfg.enabled, cfg.priority);
	if (err) {
		nfhook_hook_reg_failed(info, cfg.priority);
		goto out_unlock;
	}
	WRITE_ONCE(rs->policy[fidx][hooknum], policy);
	nfhook_net_changed(nn);

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_HOOK_SET))
		nfhook_event_end(&ev, net,
				 nfhook_put_hook(ev.skb, hook, rs, NULL));
out_unlock:
	mutex_unlock(&nn->lock);
	return err;
}

static int nfhook_cmd_rule_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct nfhook_count zero = {};
	struct nfhook_ruleset *rs;
	struct nfhook_rule *rule;
	struct nfhook_event ev;
	struct sk_buff *msg;
	u32 index, pos;
	void *hdr;
	int err;

	err = nfhook_parse_rule(info, tb);
	if (err)
		return err;

	msg = nfhook_reply_new(info, NFHOOK_CMD_RULE_ADD, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&nn->lock);
	err = nfhook_activate(net, nn, info);
	if (err)
		goto err_unlock;
	rs = nfhook_ruleset_locked(nn);
	rule = nfhook_rule_build(nn, rs, info->attrs[NFHOOK_A_RULE], tb, false,
				 &index, &pos, info->extack);
	if (IS_ERR(rule)) {
		err = PTR_ERR(rule);
		goto err_unlock;
	}
	/* The reply first: once published, the rule may drop packets. */
	err = nfhook_put_rule(msg, rule, pos, &zero);
	if (err) {
		nfhook_ruleset_unreserve(rs, rule);
		nfhook_rule_free(rule);
		goto err_unlock;
	}
	err = nfhook_ruleset_publish(rs, rule, index);
	if (err) {
		nfhook_rule_free(rule);
		goto err_unlock;
	}
	nfhook_net_changed(nn);

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_RULE_ADD))
		nfhook_event_end(&ev, net,
				 nfhook_put_rule(ev.skb, rule, pos, &zero));
	mutex_unlock(&nn->lock);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&nn->lock);
	nlmsg_free(msg);
	return err;
}

static int nfhook_cmd_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct nfhook_ruleset *rs;
	struct nfhook_rule *rule;
	struct nfhook_event ev;
	struct nfhook_count c;
	struct nlattr *attr;
	int err;
	u32 id;

	err = nfhook_parse_rule(info, tb);
	if (err)
		return err;
	attr = tb[NFHOOK_RULE_A_ID];
	if (!attr) {
		NL_SET_ERR_MSG_MOD(info->extack, "rule id missing");
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[NFHOOK_A_RULE],
				     NFHOOK_RULE_A_ID);
		NL_SET_BAD_ATTR(info->extack, info->attrs[NFHOOK_A_RULE]);
		return -EINVAL;
	}
	id = nla_get_u32(attr);

	mutex_lock(&nn->lock);
	rs = nfhook_ruleset_locked(nn);
	rule = xa_load(&rs->ids, id);
	if (!rule) {
		NFHOOK_SET_ERR_MSG_FMT(info->extack, "unknown rule id",
				       "unknown rule id %u", id);
		NL_SET_BAD_ATTR(info->extack, attr);
		err = -ENOENT;
		goto out_unlock;
	}

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_RULE_DEL)) {
		nfhook_rule_read(rule, &c);
		nfhook_event_end(&ev, net,
				 nfhook_put_rule(ev.skb, rule,
						 nfhook_ruleset_index_of(rs, rule),
						 &c));
	}
	nfhook_ruleset_unlink(rs, rule);
	nfhook_net_changed(nn);
out_unlock:
	mutex_unlock(&nn->lock);
	return err;
}

static int nfhook_cmd_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	int fidx, hooknum, f, h, err;
	struct nfhook_ruleset *rs;
	struct nfhook_event ev;

	err = nfhook_get_hook_id(info->attrs, info->extack, &fidx, &hooknum);
	if (err)
		return err;

	mutex_lock(&nn->lock);
	err = nfhook_activate(net, nn, info);
	if (err)
		goto out_unlock;
	rs = nfhook_ruleset_locked(nn);
	for (f = 0; f < NFHOOK_NFAMILIES; f++)
		for (h = 0; h < NFHOOK_NHOOKS; h++)
			if (!nfhook_hook_filtered_out(fidx, hooknum, f, h))
				nfhook_ruleset_flush_table(rs, f, h);
	nfhook_net_changed(nn);

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_FLUSH)) {
		err = 0;
		if (fidx >= 0)
			err = nla_put_u32(ev.skb, NFHOOK_A_FAMILY,
					  nfhook_family_of_index(fidx));
		if (!err && hooknum >= 0)
			err = nla_put_u32(ev.skb, NFHOOK_A_HOOK, hooknum);
		nfhook_event_end(&ev, net, err);
	}
	err = 0;
out_unlock:
	mutex_unlock(&nn->lock);
	return err;
}

/* The family *************************************************************/

static const struct genl_ops nfhook_genl_ops[] = {
	{
		.cmd = NFHOOK_CMD_INFO_GET,
		.doit = nfhook_cmd_info_get,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_HOOK_GET,
		.doit = nfhook_cmd_hook_get,
		.dumpit = nfhook_hook_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_HOOK_SET,
		.doit = nfhook_cmd_hook_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_RULE_ADD,
		.doit = nfhook_cmd_rule_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_RULE_DEL,
		.doit = nfhook_cmd_rule_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_RULE_GET,
		.dumpit = nfhook_rule_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_FLUSH,
		.doit = nfhook_cmd_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_REPLACE_BEGIN,
		.doit = nfhook_cmd_replace_begin,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_REPLACE_HOOK,
		.doit = nfhook_cmd_replace_hook,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_REPLACE_RULE,
		.doit = nfhook_cmd_replace_rule,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_REPLACE_COMMIT,
		.doit = nfhook_cmd_replace_commit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_REPLACE_ABORT,
		.doit = nfhook_cmd_replace_abort,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_PIPELINE_GET,
		.dumpit = nfhook_pipeline_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_TRACE_START,
		.doit = nfhook_cmd_trace_start,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NFHOOK_CMD_TRACE_STOP,
		.doit = nfhook_cmd_trace_stop,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family nfhook_genl_family __ro_after_init = {
	.name = NFHOOK_GENL_NAME,
	.version = NFHOOK_GENL_VERSION,
	.maxattr = NFHOOK_A_MAX,
	.policy = nfhook_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = nfhook_genl_ops,
	.n_ops = ARRAY_SIZE(nfhook_genl_ops),
	.mcgrps = nfhook_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nfhook_mcgrps),
};

int __init nfhook_genl_register(void)
{
	return genl_register_family(&nfhook_genl_family);
}

void nfhook_genl_unregister(void)
{
	genl_unregister_family(&nfhook_genl_family);
}
