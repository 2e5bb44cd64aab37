// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the "nfhook" generic netlink family (docs/netlink.md).
 *
 * Every command acts on the caller's network namespace.  Reads are open to
 * any user of the namespace, like `ip route`; writes, and clearing counters
 * as they are read, need CAP_NET_ADMIN over the namespace's user namespace.
 *
 * The family runs with parallel_ops: the core's global genl mutex is not
 * taken, and every command, dump step and the socket-release notifier
 * serialise on the namespace's own nfhook_net.lock instead.  Notifications
 * are sent under that lock too, so listeners see changes in their order.
 *
 * Dumps keep their cursor in cb->ctx (the storage behind cb->args) as
 * positions and rule ids, never pointers, and put the namespace's change
 * counter in cb->seq: a dump that spans a change is flagged NLM_F_DUMP_INTR
 * by genl_dump_check_consistent().  A dump request is checked by the first
 * dump step, not by .start (see nfhook_dump_begin()).
 */

#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netns.h"

enum nfhook_mcgrp_id {
	NFHOOK_MCGRP_ID_EVENTS,
};

static const struct genl_multicast_group nfhook_mcgrps[] = {
	[NFHOOK_MCGRP_ID_EVENTS] = { .name = NFHOOK_MCGRP_EVENTS },
};

/*
 * Attributes only ever sent by the kernel (VERSION, counters...) have no
 * entry: strict validation rejects them in requests.
 */
static const struct nla_policy nfhook_policy[NFHOOK_A_MAX + 1] = {
	[NFHOOK_A_FAMILY]	= { .type = NLA_U32 },
	[NFHOOK_A_HOOK]		= { .type = NLA_U32 },
	[NFHOOK_A_PRIORITY]	= { .type = NLA_S32 },
	[NFHOOK_A_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[NFHOOK_A_POLICY]	= { .type = NLA_U32 },
	[NFHOOK_A_RULE]		= NLA_POLICY_NESTED(nfhook_rule_policy),
	[NFHOOK_A_RESET]	= { .type = NLA_FLAG },
};

static struct genl_family nfhook_genl_family;

/* Where a dump goes on from; lives in cb->ctx, zeroed by the core. */
struct nfhook_dump_ctx {
	bool checked;		/* the request was checked: fields below set */
	int fidx;		/* filter: family index, -1 for all */
	int hooknum;		/* filter: hook, -1 for all */
	bool reset;		/* clear counters as they are read */
	unsigned int table;	/* next table: fidx * NFHOOK_NHOOKS + hook */
	u32 pos;		/* rules of that table dumped so far */
	u32 last_id;		/* id of the last of them, 0 if none */
};

static struct nfhook_dump_ctx *nfhook_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nfhook_dump_ctx) > sizeof(cb->ctx));
	return (struct nfhook_dump_ctx *)cb->ctx;
}

/* Attribute parsing *******************************************************/

/*
 * Reads the optional FAMILY and HOOK into *@fidx and *@hooknum, -1 when
 * absent.  A HOOK needs its FAMILY.
 */
static int nfhook_get_hook_id(struct nlattr **attrs,
			      struct netlink_ext_ack *extack,
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

/* FAMILY and HOOK, both required. */
static int nfhook_req_hook_id(struct genl_info *info, int *fidx, int *hooknum)
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

/*
 * Applies PRIORITY, ENABLED and POLICY, at least one of them, to *@cfg and
 * *@policy; on error neither is changed.
 */
static int nfhook_get_hook_settings(struct genl_info *info,
				    struct nfhook_hook_cfg *cfg, u8 *policy)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr = attrs[NFHOOK_A_POLICY];
	u32 val = *policy;

	if (!attrs[NFHOOK_A_PRIORITY] && !attrs[NFHOOK_A_ENABLED] && !attr) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "nothing to set: no priority, enabled or policy");
		return -EINVAL;
	}
	if (attr) {
		val = nla_get_u32(attr);
		if (val != NFHOOK_ACTION_ACCEPT && val != NFHOOK_ACTION_DROP) {
			NFHOOK_SET_ERR_MSG_FMT(info->extack,
					       "policy is neither accept (1) nor drop (2)",
					       "policy %u is neither accept (1) nor drop (2)",
					       val);
			NL_SET_BAD_ATTR(info->extack, attr);
			return -EINVAL;
		}
	}

	*policy = val;
	if (attrs[NFHOOK_A_PRIORITY])
		cfg->priority = nla_get_s32(attrs[NFHOOK_A_PRIORITY]);
	if (attrs[NFHOOK_A_ENABLED])
		cfg->enabled = nla_get_u8(attrs[NFHOOK_A_ENABLED]);
	return 0;
}

/* The RULE nest, required, parsed into @tb. */
static int nfhook_parse_rule(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, NFHOOK_A_RULE)) {
		NL_SET_ERR_MSG_MOD(info->extack, "rule missing");
		return -EINVAL;
	}
	return nla_parse_nested(tb, NFHOOK_RULE_A_MAX, info->attrs[NFHOOK_A_RULE],
				nfhook_rule_policy, info->extack);
}

static bool nfhook_may_reset(const struct sk_buff *skb, struct net *net,
			     const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	if (netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN))
		return true;
	NL_SET_ERR_MSG_MOD(extack, "resetting counters needs CAP_NET_ADMIN");
	NL_SET_BAD_ATTR(extack, attr);
	return false;
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

/* Messages ****************************************************************/

static void *nfhook_msg_put(struct sk_buff *skb, u32 portid, u32 seq,
			    int flags, u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &nfhook_genl_family, flags, cmd);
}

/* A reply to @info with its header put into *@hdr, or an ERR_PTR. */
static struct sk_buff *nfhook_reply_new(struct genl_info *info, u8 cmd,
					void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	*hdr = genlmsg_put_reply(msg, info, &nfhook_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	return msg;
}

static int nfhook_put_hook_count(struct sk_buff *skb,
				 const struct nfhook_hook_count *c)
{
	static const u16 types[NFHOOK_HC_NUM][2] = {
		[NFHOOK_HC_SEEN] = {
			NFHOOK_COUNTERS_A_PACKETS,
			NFHOOK_COUNTERS_A_BYTES,
		},
		[NFHOOK_HC_ACCEPTED] = {
			NFHOOK_COUNTERS_A_ACCEPTED_PACKETS,
			NFHOOK_COUNTERS_A_ACCEPTED_BYTES,
		},
		[NFHOOK_HC_RULE_DROPPED] = {
			NFHOOK_COUNTERS_A_RULE_DROPPED_PACKETS,
			NFHOOK_COUNTERS_A_RULE_DROPPED_BYTES,
		},
		[NFHOOK_HC_POLICY_DROPPED] = {
			NFHOOK_COUNTERS_A_POLICY_DROPPED_PACKETS,
			NFHOOK_COUNTERS_A_POLICY_DROPPED_BYTES,
		},
	};
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, NFHOOK_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NFHOOK_HC_NUM; i++) {
		if (nla_put_u64_64bit(skb, types[i][0], c->c[i].packets,
				      NFHOOK_COUNTERS_A_PAD) ||
		    nla_put_u64_64bit(skb, types[i][1], c->c[i].bytes,
				      NFHOOK_COUNTERS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A hook's settings, and its counters unless @c is NULL. */
static int nfhook_put_hook(struct sk_buff *skb, const struct nfhook_hook *hook,
			   const struct nfhook_ruleset *rs,
			   const struct nfhook_hook_count *c)
{
	u8 fidx = hook->fidx, h = hook->hooknum;

	if (nla_put_u32(skb, NFHOOK_A_FAMILY, hook->family) ||
	    nla_put_u32(skb, NFHOOK_A_HOOK, h) ||
	    nla_put_s32(skb, NFHOOK_A_PRIORITY, hook->priority) ||
	    nla_put_u8(skb, NFHOOK_A_ENABLED, hook->enabled) ||
	    nla_put_u32(skb, NFHOOK_A_POLICY, rs->policy[fidx][h]) ||
	    nla_put_u32(skb, NFHOOK_A_RULE_COUNT_HOOK,
			nfhook_table_count(&rs->tables[fidx][h])))
		return -EMSGSIZE;
	if (c && nfhook_put_hook_count(skb, c))
		return -EMSGSIZE;
	return 0;
}

/*
 * As nfhook_put_hook(), with the counters cleared as they are read when
 * @reset.  A reset whose message is full is cancelled: what it cleared is
 * reported again by the next message, so nothing is lost.
 */
static int nfhook_put_hook_counted(struct sk_buff *skb,
				   struct nfhook_hook *hook,
				   const struct nfhook_ruleset *rs, bool reset)
{
	struct nfhook_hook_count c;
	int err;

	if (reset)
		nfhook_hook_reset(hook, &c);
	else
		nfhook_hook_read(hook, &c);
	err = nfhook_put_hook(skb, hook, rs, &c);
	if (err && reset)
		nfhook_hook_reset_cancel(hook, &c);
	return err;
}

/* A RULE nest, with counters unless @c is NULL. */
static int nfhook_put_rule(struct sk_buff *skb, const struct nfhook_rule *rule,
			   u32 index, const struct nfhook_count *c)
{
	struct nlattr *nest;
	int err;

	nest = nla_nest_start(skb, NFHOOK_A_RULE);
	if (!nest)
		return -EMSGSIZE;
	err = nfhook_rule_fill(skb, rule, index, c);
	if (err) {
		nla_nest_cancel(skb, nest);
		return err;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* As nfhook_put_hook_counted(), for a rule. */
static int nfhook_put_rule_counted(struct sk_buff *skb,
				   struct nfhook_rule *rule, u32 index,
				   bool reset)
{
	struct nfhook_count c;
	int err;

	if (reset)
		nfhook_rule_reset(rule, &c);
	else
		nfhook_rule_read(rule, &c);
	err = nfhook_put_rule(skb, rule, index, &c);
	if (err && reset)
		nfhook_rule_reset_cancel(rule, &c);
	return err;
}

/* A notification to the "events" group, built while the change is made. */
struct nfhook_event {
	struct sk_buff *skb;
	void *hdr;
};

/*
 * False when nobody listens, or when there is no memory: listeners are then
 * told (ENOBUFS on their sockets) that they missed an event.
 */
static bool nfhook_event_start(struct nfhook_event *ev, struct net *net,
			       const struct genl_info *info, u8 cmd)
{
	if (!genl_has_listeners(&nfhook_genl_family, net,
				NFHOOK_MCGRP_ID_EVENTS))
		return false;

	ev->skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (ev->skb) {
		ev->hdr = nfhook_msg_put(ev->skb, info->snd_portid,
					 info->snd_seq, 0, cmd);
		if (ev->hdr)
			return true;
		nlmsg_free(ev->skb);
	}
	genl_set_err(&nfhook_genl_family, net, 0, NFHOOK_MCGRP_ID_EVENTS,
		     -ENOBUFS);
	return false;
}

/* Sends the event, or drops it when filling it failed with @err. */
static void nfhook_event_end(struct nfhook_event *ev, struct net *net,
			     int err)
{
	if (err) {
		nlmsg_free(ev->skb);
		genl_set_err(&nfhook_genl_family, net, 0,
			     NFHOOK_MCGRP_ID_EVENTS, -ENOBUFS);
		return;
	}
	genlmsg_end(ev->skb, ev->hdr);
	genlmsg_multicast_netns(&nfhook_genl_family, net, ev->skb, 0,
				NFHOOK_MCGRP_ID_EVENTS, GFP_KERNEL);
}

/* Rules ********************************************************************/

/*
 * Builds a rule from @tb (parsed from @nest) and inserts it into @rs,
 * indexed in @ids, with *@nrules counting the rules of @rs: the live
 * ruleset or a transaction's.  *@index gets the rule's position.
 */
static struct nfhook_rule *
nfhook_rule_insert(struct nfhook_net *nn, struct nfhook_ruleset *rs,
		   struct xarray *ids, u32 *nrules, const struct nlattr *nest,
		   struct nlattr **tb, bool allow_counters, u32 *index,
		   struct netlink_ext_ack *extack)
{
	struct nfhook_rule *rule;
	struct nfhook_table *t;
	int err;

	if (*nrules >= nfhook_max_rules) {
		NFHOOK_SET_ERR_MSG_FMT(extack, "too many rules",
				       "too many rules (limit %u)",
				       nfhook_max_rules);
		NL_SET_BAD_ATTR(extack, nest);
		return ERR_PTR(-ENOSPC);
	}

	rule = nfhook_rule_alloc();
	if (!rule)
		return ERR_PTR(-ENOMEM);
	err = nfhook_rule_from_attrs(rule, nest, tb, allow_counters, index,
				     extack);
	if (err)
		goto err_free_rule;

	err = xa_alloc_cyclic(ids, &rule->id, rule, XA_LIMIT(1, U32_MAX),
			      &nn->next_id, GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		if (err == -EBUSY) {
			NL_SET_ERR_MSG_MOD(extack, "no free rule id");
			NL_SET_BAD_ATTR(extack, nest);
			err = -ENOSPC;
		}
		goto err_free_rule;
	}

	t = &rs->tables[nfhook_family_index(rule->match.family)][rule->hook];
	err = nfhook_table_insert(t, rule, *index);
	if (err) {
		NFHOOK_SET_ERR_MSG_FMT(extack,
				       "rule index beyond the end of the hook",
				       "rule index %u beyond the end of the hook (%u rules)",
				       *index, nfhook_table_count(t));
		NL_SET_BAD_ATTR(extack, tb[NFHOOK_RULE_A_INDEX]);
		goto err_erase_id;
	}
	if (*index == NFHOOK_INDEX_APPEND)
		*index = nfhook_table_count(t) - 1;
	(*nrules)++;
	return rule;

err_erase_id:
	xa_erase(ids, rule->id);
err_free_rule:
	nfhook_rule_free(rule);
	return ERR_PTR(err);
}

/* Undoes nfhook_rule_insert(); the rule is freed after a grace period. */
static void nfhook_rule_unlink(struct nfhook_ruleset *rs, struct xarray *ids,
			       u32 *nrules, struct nfhook_rule *rule)
{
	int fidx = nfhook_family_index(rule->match.family);

	nfhook_table_remove(&rs->tables[fidx][rule->hook], rule);
	xa_erase(ids, rule->id);
	(*nrules)--;
	nfhook_rule_free_rcu(rule);
}

static u32 nfhook_rule_index(const struct nfhook_ruleset *rs,
			     const struct nfhook_rule *rule)
{
	int fidx = nfhook_family_index(rule->match.family);

	return nfhook_table_index(&rs->tables[fidx][rule->hook], rule);
}

/* Commands *****************************************************************/

static int nfhook_cmd_info_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	struct sk_buff *msg;
	u32 nrules;
	void *hdr;

	msg = nfhook_reply_new(info, NFHOOK_CMD_INFO_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&nn->lock);
	nrules = nn->nrules;
	mutex_unlock(&nn->lock);

	if (nla_put_string(msg, NFHOOK_A_VERSION, NFHOOK_VERSION) ||
	    nla_put_u32(msg, NFHOOK_A_MAX_RULES, nfhook_max_rules) ||
	    nla_put_u32(msg, NFHOOK_A_RULE_COUNT, nrules) ||
	    nla_put_s32(msg, NFHOOK_A_DEFAULT_PRIORITY,
			nfhook_default_priority))
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int nfhook_cmd_hook_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nlattr *reset = info->attrs[NFHOOK_A_RESET];
	int fidx, hooknum, err;
	struct sk_buff *msg;
	void *hdr;

	err = nfhook_req_hook_id(info, &fidx, &hooknum);
	if (err)
		return err;
	if (reset && !nfhook_may_reset(skb, net, reset, info->extack))
		return -EPERM;

	msg = nfhook_reply_new(info, NFHOOK_CMD_HOOK_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&nn->lock);
	err = nfhook_put_hook_counted(msg, &nn->hooks[fidx][hooknum],
				      nfhook_ruleset_locked(nn), !!reset);
	mutex_unlock(&nn->lock);
	if (err)
		goto err_free_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return err;
}

/*
 * Shared by the HOOK_GET and RULE_GET dumps: checks the request (filters,
 * RESET) into the dump context on the first dump step, and does nothing on
 * the next ones.
 *
 * Not in .start: the netlink core gives .start an extack only after 6.1
 * (6.12 does, 5.10 and 6.1 do not), but ->dumpit one on every kernel,
 * and puts its message into NLMSG_DONE with the error.  Checked here, a
 * refused dump reaches userspace the same way everywhere: no messages,
 * then NLMSG_DONE carrying the negative errno and the extack message.
 * (The generic netlink core's strict parsing of the request comes first
 * and still answers with NLMSG_ERROR, message included.)
 */
static int nfhook_dump_begin(struct netlink_callback *cb)
{
	struct nfhook_dump_ctx *ctx = nfhook_dump_ctx(cb);
	struct net *net = sock_net(cb->skb->sk);
	struct nlattr *attrs[NFHOOK_A_MAX + 1];
	int err;

	if (ctx->checked)
		return 0;

	/* See compat.h: parsed here rather than taken from the core. */
	err = genlmsg_parse(cb->nlh, &nfhook_genl_family, attrs, NFHOOK_A_MAX,
			    nfhook_policy, cb->extack);
	if (err)
		return err;
	err = nfhook_get_hook_id(attrs, cb->extack, &ctx->fidx, &ctx->hooknum);
	if (err)
		return err;
	ctx->reset = nla_get_flag(attrs[NFHOOK_A_RESET]);
	if (ctx->reset && !nfhook_may_reset(cb->skb, net, attrs[NFHOOK_A_RESET],
					    cb->extack))
		return -EPERM;
	ctx->checked = true;
	return 0;
}

/*
 * Whether the filter (@want_fidx, @want_hook), as nfhook_get_hook_id()
 * reads it (-1 for any), leaves out hook @hooknum of family index @fidx.
 */
static bool nfhook_hook_filtered_out(int want_fidx, int want_hook, int fidx,
				     int hooknum)
{
	return (want_fidx >= 0 && want_fidx != fidx) ||
	       (want_hook >= 0 && want_hook != hooknum);
}

/* A message that does not fit into an empty skb never will. */
static int nfhook_dump_result(struct sk_buff *skb, int err)
{
	return err && !skb->len ? err : skb->len;
}

static int nfhook_hook_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfhook_dump_ctx *ctx = nfhook_dump_ctx(cb);
	struct nfhook_net *nn = nfhook_pernet(sock_net(cb->skb->sk));
	const struct nfhook_ruleset *rs;
	int fidx, hooknum, err;
	void *hdr;

	err = nfhook_dump_begin(cb);
	if (err)
		return err;

	mutex_lock(&nn->lock);
	cb->seq = nn->gen;
	rs = nfhook_ruleset_locked(nn);
	for (; ctx->table < NFHOOK_NFAMILIES * NFHOOK_NHOOKS; ctx->table++) {
		fidx = ctx->table / NFHOOK_NHOOKS;
		hooknum = ctx->table % NFHOOK_NHOOKS;
		if (nfhook_hook_filtered_out(ctx->fidx, ctx->hooknum, fidx,
					     hooknum))
			continue;

		hdr = nfhook_msg_put(skb, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     NFHOOK_CMD_HOOK_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		err = nfhook_put_hook_counted(skb, &nn->hooks[fidx][hooknum],
					      rs, ctx->reset);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&nn->lock);
	return nfhook_dump_result(skb, err);
}

/*
 * The first rule of @t not dumped yet, NULL when there is none.  If nothing
 * changed since the last step, that is the one after the last rule dumped,
 * found by id; otherwise (the dump is flagged interrupted anyway) the one
 * after as many rules as were dumped.
 */
static struct nfhook_rule *nfhook_dump_resume(struct nfhook_net *nn,
					      struct nfhook_table *t,
					      const struct nfhook_dump_ctx *ctx,
					      bool unchanged)
{
	struct nfhook_rule *rule;

	if (unchanged && ctx->last_id) {
		rule = xa_load(nn->ids, ctx->last_id);
		if (!WARN_ON_ONCE(!rule))
			return nfhook_table_next(t, rule);
	}
	return nfhook_table_at(t, ctx->pos);
}

static int nfhook_dump_rule(struct sk_buff *skb, struct netlink_callback *cb,
			    struct nfhook_rule *rule, u32 index, bool reset)
{
	void *hdr;
	int err;

	hdr = nfhook_msg_put(skb, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI,
			     NFHOOK_CMD_RULE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	err = nfhook_put_rule_counted(skb, rule, index, reset);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int nfhook_rule_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfhook_dump_ctx *ctx = nfhook_dump_ctx(cb);
	struct nfhook_net *nn = nfhook_pernet(sock_net(cb->skb->sk));
	struct nfhook_ruleset *rs;
	struct nfhook_rule *rule;
	int fidx, hooknum, err;
	struct nfhook_table *t;
	bool unchanged;

	err = nfhook_dump_begin(cb);
	if (err)
		return err;

	mutex_lock(&nn->lock);
	unchanged = cb->seq == nn->gen;
	cb->seq = nn->gen;
	rs = nfhook_ruleset_locked(nn);
	for (; ctx->table < NFHOOK_NFAMILIES * NFHOOK_NHOOKS;
	     ctx->table++, ctx->pos = 0, ctx->last_id = 0) {
		fidx = ctx->table / NFHOOK_NHOOKS;
		hooknum = ctx->table % NFHOOK_NHOOKS;
		if (nfhook_hook_filtered_out(ctx->fidx, ctx->hooknum, fidx,
					     hooknum))
			continue;

		t = &rs->tables[fidx][hooknum];
		for (rule = nfhook_dump_resume(nn, t, ctx, unchanged); rule;
		     rule = nfhook_table_next(t, rule)) {
			err = nfhook_dump_rule(skb, cb, rule, ctx->pos,
					       ctx->reset);
			if (err)
				goto out_unlock;
			ctx->pos++;
			ctx->last_id = rule->id;
		}
	}
out_unlock:
	mutex_unlock(&nn->lock);
	return nfhook_dump_result(skb, err);
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
	struct nfhook_ruleset *rs;
	struct nfhook_rule *rule;
	struct nfhook_event ev;
	struct nfhook_count c;
	struct sk_buff *msg;
	u32 index;
	void *hdr;
	int err;

	err = nfhook_parse_rule(info, tb);
	if (err)
		return err;

	msg = nfhook_reply_new(info, NFHOOK_CMD_RULE_ADD, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	mutex_lock(&nn->lock);
	rs = nfhook_ruleset_locked(nn);
	rule = nfhook_rule_insert(nn, rs, nn->ids, &nn->nrules,
				  info->attrs[NFHOOK_A_RULE], tb, false,
				  &index, info->extack);
	if (IS_ERR(rule)) {
		err = PTR_ERR(rule);
		goto err_unlock;
	}
	nfhook_rule_read(rule, &c);
	err = nfhook_put_rule(msg, rule, index, &c);
	if (err) {
		nfhook_rule_unlink(rs, nn->ids, &nn->nrules, rule);
		goto err_unlock;
	}
	nfhook_net_changed(nn);

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_RULE_ADD))
		nfhook_event_end(&ev, net,
				 nfhook_put_rule(ev.skb, rule, index, &c));
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
	rule = xa_load(nn->ids, id);
	if (!rule) {
		NFHOOK_SET_ERR_MSG_FMT(info->extack, "unknown rule id",
				       "unknown rule id %u", id);
		NL_SET_BAD_ATTR(info->extack, attr);
		err = -ENOENT;
		goto out_unlock;
	}
	rs = nfhook_ruleset_locked(nn);

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_RULE_DEL)) {
		nfhook_rule_read(rule, &c);
		nfhook_event_end(&ev, net,
				 nfhook_put_rule(ev.skb, rule,
						 nfhook_rule_index(rs, rule),
						 &c));
	}
	nfhook_rule_unlink(rs, nn->ids, &nn->nrules, rule);
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
	struct nfhook_rule *rule;
	struct nfhook_event ev;
	struct nfhook_table *t;

	err = nfhook_get_hook_id(info->attrs, info->extack, &fidx, &hooknum);
	if (err)
		return err;

	mutex_lock(&nn->lock);
	rs = nfhook_ruleset_locked(nn);
	for (f = 0; f < NFHOOK_NFAMILIES; f++) {
		for (h = 0; h < NFHOOK_NHOOKS; h++) {
			if (nfhook_hook_filtered_out(fidx, hooknum, f, h))
				continue;
			t = &rs->tables[f][h];
			for (rule = nfhook_table_first(t); rule;
			     rule = nfhook_table_next(t, rule))
				xa_erase(nn->ids, rule->id);
			nn->nrules -= nfhook_table_count(t);
			nfhook_table_flush(t);
		}
	}
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
	mutex_unlock(&nn->lock);
	return 0;
}

/* Replace transactions *****************************************************/

static struct nfhook_txn *nfhook_txn_alloc(u32 portid)
{
	struct nfhook_txn *txn;
	int f, h;

	txn = kzalloc(sizeof(*txn), GFP_KERNEL_ACCOUNT);
	if (!txn)
		return NULL;
	txn->portid = portid;
	txn->ruleset = nfhook_ruleset_alloc();
	txn->ids = nfhook_ids_alloc();
	if (!txn->ruleset || !txn->ids) {
		nfhook_txn_free(txn);
		return NULL;
	}
	/* Hooks no REPLACE_HOOK mentions get the module's defaults. */
	for (f = 0; f < NFHOOK_NFAMILIES; f++) {
		for (h = 0; h < NFHOOK_NHOOKS; h++) {
			txn->cfg[f][h].priority = nfhook_default_priority;
			txn->cfg[f][h].enabled = true;
		}
	}
	return txn;
}

static void nfhook_txn_abort(struct nfhook_net *nn)
{
	nfhook_txn_free(nn->txn);
	nn->txn = NULL;
}

/* The transaction the sender of @info owns; ERR_PTR if it owns none. */
static struct nfhook_txn *nfhook_txn_get(struct nfhook_net *nn,
					 struct genl_info *info)
{
	struct nfhook_txn *txn = nn->txn;

	if (!txn) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no replace transaction open: send REPLACE_BEGIN first");
		return ERR_PTR(-EINVAL);
	}
	if (txn->portid != info->snd_portid) {
		NFHOOK_SET_ERR_MSG_FMT(info->extack,
				       "the replace transaction belongs to another socket",
				       "the replace transaction belongs to another socket (port id %u)",
				       txn->portid);
		return ERR_PTR(-EBUSY);
	}
	return txn;
}

static int nfhook_cmd_replace_begin(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	struct nfhook_txn *txn;
	int err = 0;

	mutex_lock(&nn->lock);
	txn = nn->txn;
	if (txn) {
		if (txn->portid == info->snd_portid)
			NL_SET_ERR_MSG_MOD(info->extack,
					   "this socket already has a replace transaction open");
		else
			NFHOOK_SET_ERR_MSG_FMT(info->extack,
					       "another socket has a replace transaction open",
					       "another socket (port id %u) has a replace transaction open",
					       txn->portid);
		err = -EBUSY;
		goto out_unlock;
	}
	nn->txn = nfhook_txn_alloc(info->snd_portid);
	if (!nn->txn)
		err = -ENOMEM;
out_unlock:
	mutex_unlock(&nn->lock);
	return err;
}

/*
 * Runs @step on the transaction the sender of @info owns, under the lock.
 * A step that fails aborts the transaction: a replace is all or nothing.
 */
static int nfhook_txn_run(struct genl_info *info,
			  int (*step)(struct nfhook_net *nn,
				      struct nfhook_txn *txn,
				      struct genl_info *info))
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	struct nfhook_txn *txn;
	int err;

	mutex_lock(&nn->lock);
	txn = nfhook_txn_get(nn, info);
	if (IS_ERR(txn)) {
		err = PTR_ERR(txn);
	} else {
		err = step(nn, txn, info);
		if (err)
			nfhook_txn_abort(nn);
	}
	mutex_unlock(&nn->lock);
	return err;
}

static int nfhook_txn_hook(struct nfhook_net *nn, struct nfhook_txn *txn,
			   struct genl_info *info)
{
	struct nfhook_hook_cfg cfg;
	int fidx, hooknum, err;
	u8 policy;

	err = nfhook_req_hook_id(info, &fidx, &hooknum);
	if (err)
		return err;
	cfg = txn->cfg[fidx][hooknum];
	policy = txn->ruleset->policy[fidx][hooknum];
	err = nfhook_get_hook_settings(info, &cfg, &policy);
	if (err)
		return err;
	txn->cfg[fidx][hooknum] = cfg;
	txn->ruleset->policy[fidx][hooknum] = policy;
	return 0;
}

static int nfhook_txn_rule(struct nfhook_net *nn, struct nfhook_txn *txn,
			   struct genl_info *info)
{
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct nfhook_rule *rule;
	u32 index;
	int err;

	err = nfhook_parse_rule(info, tb);
	if (err)
		return err;
	rule = nfhook_rule_insert(nn, txn->ruleset, txn->ids, &txn->nrules,
				  info->attrs[NFHOOK_A_RULE], tb, true, &index,
				  info->extack);
	return PTR_ERR_OR_ZERO(rule);
}

static int nfhook_txn_commit(struct nfhook_net *nn, struct nfhook_txn *txn,
			     struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nfhook_hook_cfg *cfg;
	struct nfhook_ruleset *old;
	struct nfhook_hook *hook;
	struct nfhook_event ev;
	struct xarray *ids;
	int i, err;

	/* Register every new priority or enabled hook: the only failure. */
	for (i = 0; i < NFHOOK_NFAMILIES * NFHOOK_NHOOKS; i++) {
		hook = &nn->hooks[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		cfg = &txn->cfg[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		err = nfhook_hook_prepare(net, hook, cfg->enabled,
					  cfg->priority);
		if (err) {
			NFHOOK_SET_ERR_MSG_FMT(info->extack,
					       "netfilter refused to register a hook",
					       "netfilter refused to register hook %u of family %u at priority %d",
					       hook->hooknum, hook->family,
					       cfg->priority);
			goto err_cancel_hooks;
		}
	}

	/* Swap in the new ruleset; packets see it from now on. */
	old = rcu_replace_pointer(nn->ruleset, txn->ruleset,
				  lockdep_is_held(&nn->lock));
	ids = nn->ids;
	nn->ids = txn->ids;
	nn->nrules = txn->nrules;

	for (i = 0; i < NFHOOK_NFAMILIES * NFHOOK_NHOOKS; i++) {
		hook = &nn->hooks[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		cfg = &txn->cfg[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		nfhook_hook_commit(net, hook, cfg->enabled, cfg->priority);
	}
	nfhook_net_changed(nn);

	/* The transaction now holds the old state, freed after RCU. */
	txn->ruleset = old;
	txn->ids = ids;
	nfhook_txn_abort(nn);

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_REPLACE_COMMIT))
		nfhook_event_end(&ev, net,
				 nla_put_u32(ev.skb, NFHOOK_A_RULE_COUNT,
					     nn->nrules));
	return 0;

err_cancel_hooks:
	while (i--)
		nfhook_hook_cancel(net, &nn->hooks[i / NFHOOK_NHOOKS]
						  [i % NFHOOK_NHOOKS]);
	return err;
}

static int nfhook_txn_end(struct nfhook_net *nn, struct nfhook_txn *txn,
			  struct genl_info *info)
{
	nfhook_txn_abort(nn);
	return 0;
}

static int nfhook_cmd_replace_hook(struct sk_buff *skb,
				   struct genl_info *info)
{
	return nfhook_txn_run(info, nfhook_txn_hook);
}

static int nfhook_cmd_replace_rule(struct sk_buff *skb,
				   struct genl_info *info)
{
	return nfhook_txn_run(info, nfhook_txn_rule);
}

static int nfhook_cmd_replace_commit(struct sk_buff *skb,
				     struct genl_info *info)
{
	return nfhook_txn_run(info, nfhook_txn_commit);
}

static int nfhook_cmd_replace_abort(struct sk_buff *skb,
				    struct genl_info *info)
{
	return nfhook_txn_run(info, nfhook_txn_end);
}

/* A transaction ends with the socket that began it. */
static int nfhook_netlink_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nfhook_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;

	nn = nfhook_pernet(n->net);
	mutex_lock(&nn->lock);
	if (nn->txn && nn->txn->portid == n->portid)
		nfhook_txn_abort(nn);
	mutex_unlock(&nn->lock);
	return NOTIFY_DONE;
}

struct notifier_block nfhook_netlink_notifier = {
	.notifier_call = nfhook_netlink_event,
};

/* The family *************************************************************/

static const struct genl_ops nfhook_genl_ops[] = {
	{
		.cmd = NFHOOK_CMD_INFO_GET,
		.doit = nfhook_cmd_info_get,
	},
	{
		.cmd = NFHOOK_CMD_HOOK_GET,
		.doit = nfhook_cmd_hook_get,
		.dumpit = nfhook_hook_dumpit,
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
};

static struct genl_family nfhook_genl_family __ro_after_init = {
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
