// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the HOOK_GET and RULE_GET dumps.
 *
 * Dumps keep their cursor in cb->ctx (the storage behind cb->args) as
 * positions and rule ids, never pointers, with the namespace's 64-bit change
 * counter as it was; cb->seq gets its low bits, so that a dump spanning a
 * change is flagged NLM_F_DUMP_INTR by genl_dump_check_consistent().  A dump
 * request is checked by the first dump step, not by .start (see
 * nfhook_dump_begin()).
 */

#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"

/* Where a dump goes on from; lives in cb->ctx, zeroed by the core. */
struct nfhook_dump_ctx {
	bool checked;		/* the request was checked: fields below set */
	int fidx;		/* filter: family index, -1 for all */
	int hooknum;		/* filter: hook, -1 for all */
	bool reset;		/* clear counters as they are read */
	unsigned int table;	/* next table: fidx * NFHOOK_NHOOKS + hook */
	u32 pos;		/* rules of that table dumped so far */
	u32 last_id;		/* id of the last of them, 0 if none */
	u64 gen;		/* nfhook_net.gen at the last step */
};

static struct nfhook_dump_ctx *nfhook_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nfhook_dump_ctx) > sizeof(cb->ctx));
	return (struct nfhook_dump_ctx *)cb->ctx;
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
	ctx->checked = true;
	return 0;
}

/*
 * Records @gen for the next step, and its low bits in cb->seq for
 * genl_dump_check_consistent(), which takes 0 for "not set".
 */
static void nfhook_dump_set_gen(struct netlink_callback *cb,
				struct nfhook_dump_ctx *ctx, u64 gen)
{
	ctx->gen = gen;
	cb->seq = lower_32_bits(gen) ?: 1;
}

/* A message that does not fit into an empty skb never will. */
static int nfhook_dump_result(struct sk_buff *skb, int err)
{
	return err && !skb->len ? err : skb->len;
}

int nfhook_hook_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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
	nfhook_dump_set_gen(cb, ctx, nn->gen);
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

int nfhook_rule_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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
	unchanged = ctx->gen == nn->gen;
	nfhook_dump_set_gen(cb, ctx, nn->gen);
	rs = nfhook_ruleset_locked(nn);
	for (; ctx->table < NFHOOK_NFAMILIES * NFHOOK_NHOOKS;
	     ctx->table++, ctx->pos = 0, ctx->last_id = 0) {
		fidx = ctx->table / NFHOOK_NHOOKS;
		hooknum = ctx->table % NFHOOK_NHOOKS;
		if (nfhook_hook_filtered_out(ctx->fidx, ctx->hooknum, fidx,
					     hooknum))
			continue;

		t = &rs->tables[fidx][hooknum];
		for (rule = nfhook_ruleset_resume(rs, fidx, hooknum,
						  unchanged ? ctx->last_id : 0,
						  ctx->pos);
		     rule;
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
