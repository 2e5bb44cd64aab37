// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the REPLACE_* commands, which stage a whole ruleset and the hook
 * settings in a transaction (txn.c) bound to the sending socket, then
 * commit or abort it.
 */

#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"

/* The transaction the sender of @skb owns; ERR_PTR if it owns none. */
static struct nfhook_txn *nfhook_txn_get(struct nfhook_net *nn,
					 struct sk_buff *skb,
					 struct genl_info *info)
{
	struct nfhook_txn *txn = nn->txn;

	if (!txn) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no replace transaction open: send REPLACE_BEGIN first");
		return ERR_PTR(-EINVAL);
	}
	if (!nfhook_txn_owned_by(txn, NETLINK_CB(skb).sk)) {
		NFHOOK_SET_ERR_MSG_FMT(info->extack,
				       "the replace transaction belongs to another socket",
				       "the replace transaction belongs to another socket (port id %u)",
				       txn->portid);
		return ERR_PTR(-EBUSY);
	}
	return txn;
}

int nfhook_cmd_replace_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	struct sock *sk = NETLINK_CB(skb).sk;
	int err;

	mutex_lock(&nn->lock);
	err = nfhook_txn_begin(nn, sk, info->snd_portid);
	if (err == -EBUSY) {
		if (nfhook_txn_owned_by(nn->txn, sk))
			NL_SET_ERR_MSG_MOD(info->extack,
					   "this socket already has a replace transaction open");
		else
			NFHOOK_SET_ERR_MSG_FMT(info->extack,
					       "another socket has a replace transaction open",
					       "another socket (port id %u) has a replace transaction open",
					       nn->txn->portid);
	}
	mutex_unlock(&nn->lock);
	return err;
}

/*
 * Runs @step on the transaction the sender of @skb owns, under the lock.
 * A step that fails aborts the transaction: a replace is all or nothing.
 */
static int nfhook_txn_run(struct sk_buff *skb, struct genl_info *info,
			  int (*step)(struct nfhook_net *nn,
				      struct nfhook_txn *txn,
				      struct genl_info *info))
{
	struct nfhook_net *nn = nfhook_pernet(genl_info_net(info));
	struct nfhook_txn *txn;
	int err;

	mutex_lock(&nn->lock);
	txn = nfhook_txn_get(nn, skb, info);
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
	u32 index, pos;
	int err;

	err = nfhook_parse_rule(info, tb);
	if (err)
		return err;
	rule = nfhook_rule_build(nn, txn->ruleset, info->attrs[NFHOOK_A_RULE],
				 tb, true, &index, &pos, info->extack);
	if (IS_ERR(rule))
		return PTR_ERR(rule);
	err = nfhook_ruleset_publish(txn->ruleset, rule, index);
	if (err)
		nfhook_rule_free(rule);
	return err;
}

static int nfhook_txn_commit_step(struct nfhook_net *nn,
				  struct nfhook_txn *txn,
				  struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nfhook_hook_cfg *cfg;
	struct nfhook_hook *hook;
	struct nfhook_event ev;
	int err;

	err = nfhook_txn_commit(net, nn, &hook, &cfg);
	if (err) {
		NFHOOK_SET_ERR_MSG_FMT(info->extack,
				       "netfilter refused to register a hook",
				       "netfilter refused to register hook %u of family %u at priority %d",
				       hook->hooknum, hook->family,
				       cfg->priority);
		return err;
	}

	if (nfhook_event_start(&ev, net, info, NFHOOK_CMD_REPLACE_COMMIT))
		nfhook_event_end(&ev, net,
				 nla_put_u32(ev.skb, NFHOOK_A_RULE_COUNT,
					     nfhook_ruleset_locked(nn)->nrules));
	return 0;
}

static int nfhook_txn_end(struct nfhook_net *nn, struct nfhook_txn *txn,
			  struct genl_info *info)
{
	nfhook_txn_abort(nn);
	return 0;
}

int nfhook_cmd_replace_hook(struct sk_buff *skb, struct genl_info *info)
{
	return nfhook_txn_run(skb, info, nfhook_txn_hook);
}

int nfhook_cmd_replace_rule(struct sk_buff *skb, struct genl_info *info)
{
	return nfhook_txn_run(skb, info, nfhook_txn_rule);
}

int nfhook_cmd_replace_commit(struct sk_buff *skb, struct genl_info *info)
{
	return nfhook_txn_run(skb, info, nfhook_txn_commit_step);
}

int nfhook_cmd_replace_abort(struct sk_buff *skb, struct genl_info *info)
{
	return nfhook_txn_run(skb, info, nfhook_txn_end);
}
