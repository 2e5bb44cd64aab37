// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: replies, dump messages and notifications of the "nfhook" family.
 *
 * Notifications go to the "events" group and are built under
 * nfhook_net.lock while the change is made, so listeners see changes in
 * their order.
 */

#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"

void *nfhook_msg_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &nfhook_genl_family, flags, cmd);
}

struct sk_buff *nfhook_reply_new(struct genl_info *info, u8 cmd, void **hdr)
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
		[NFHOOK_HC_FRAGMENT_DROPPED] = {
			NFHOOK_COUNTERS_A_FRAGMENT_DROPPED_PACKETS,
			NFHOOK_COUNTERS_A_FRAGMENT_DROPPED_BYTES,
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

int nfhook_put_hook(struct sk_buff *skb, const struct nfhook_hook *hook,
		    const struct nfhook_ruleset *rs,
		    const struct nfhook_hook_count *c)
{
	u8 fidx = hook->fidx, h = hook->hooknum;

	if (nla_put_u32(skb, NFHOOK_A_FAMILY, hook->family) ||
	    nla_put_u32(skb, NFHOOK_A_HOOK, h) ||
	    nla_put_s32(skb, NFHOOK_A_PRIORITY, hook->priority) ||
	    nla_put_u8(skb, NFHOOK_A_ENABLED, hook->enabled) ||
	    nla_put_u8(skb, NFHOOK_A_REGISTERED, hook->registered) ||
	    nla_put_u32(skb, NFHOOK_A_POLICY, rs->policy[fidx][h]) ||
	    nla_put_u32(skb, NFHOOK_A_RULE_COUNT_HOOK,
			nfhook_table_count(&rs->tables[fidx][h])))
		return -EMSGSIZE;
	if (c && nfhook_put_hook_count(skb, c))
		return -EMSGSIZE;
	return 0;
}

int nfhook_put_hook_counted(struct sk_buff *skb, struct nfhook_hook *hook,
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

int nfhook_put_rule(struct sk_buff *skb, const struct nfhook_rule *rule,
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

int nfhook_put_rule_counted(struct sk_buff *skb, struct nfhook_rule *rule,
			    u32 index, bool reset)
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

bool nfhook_event_start(struct nfhook_event *ev, struct net *net,
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

void nfhook_event_end(struct nfhook_event *ev, struct net *net, int err)
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
