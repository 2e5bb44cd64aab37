/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: what the files of the "nfhook" generic netlink family share.
 *
 *   netlink.c		the family, its policies, request parsing and the
 *			commands that read or change one thing
 *   netlink_msg.c	replies, dump messages and events
 *   netlink_dump.c	the HOOK_GET and RULE_GET dumps
 *   netlink_replace.c	the REPLACE_* commands
 *   netlink_pipeline.c	the PIPELINE_GET dump (pipeline.c reads the hooks)
 *   netlink_trace.c	TRACE_START, TRACE_STOP and the TRACE_EVENT reports
 *
 * They turn messages into calls on rulesets, hooks and transactions and the
 * results back into messages, and do nothing else.
 */
#ifndef _NFHOOK_NETLINK_H
#define _NFHOOK_NETLINK_H

#include <net/genetlink.h>
#include <net/netlink.h>

#include "netns.h"
#include "pipeline.h"

enum nfhook_mcgrp_id {
	NFHOOK_MCGRP_ID_EVENTS,
};

extern struct genl_family nfhook_genl_family;
extern const struct nla_policy nfhook_policy[NFHOOK_A_MAX + 1];

/* netlink.c */
/*
 * Reads the optional FAMILY and HOOK into *@fidx and *@hooknum, -1 when
 * absent.  A HOOK needs its FAMILY.
 */
int nfhook_get_hook_id(struct nlattr **attrs, struct netlink_ext_ack *extack,
		       int *fidx, int *hooknum);
/* FAMILY and HOOK, both required. */
int nfhook_req_hook_id(struct genl_info *info, int *fidx, int *hooknum);
/*
 * Applies PRIORITY, ENABLED and POLICY, at least one of them, to *@cfg and
 * *@policy; on error neither is changed.
 */
int nfhook_get_hook_settings(struct genl_info *info,
			     struct nfhook_hook_cfg *cfg, u8 *policy);
/* The RULE nest, required, parsed into @tb. */
int nfhook_parse_rule(struct genl_info *info, struct nlattr **tb);
/*
 * Builds a rule from @tb (parsed from @nest) and reserves its place in
 * @rs: *@index gets the index asked for (or NFHOOK_INDEX_APPEND) and *@pos
 * the position the rule will have.  The caller publishes or unreserves.
 */
struct nfhook_rule *
nfhook_rule_build(struct nfhook_net *nn, struct nfhook_ruleset *rs,
		  const struct nlattr *nest, struct nlattr **tb,
		  bool allow_counters, u32 *index, u32 *pos,
		  struct netlink_ext_ack *extack);

/*
 * Whether the filter (@want_fidx, @want_hook), as nfhook_get_hook_id()
 * reads it (-1 for any), leaves out hook @hooknum of family index @fidx.
 */
static inline bool nfhook_hook_filtered_out(int want_fidx, int want_hook,
					    int fidx, int hooknum)
{
	return (want_fidx >= 0 && want_fidx != fidx) ||
	       (want_hook >= 0 && want_hook != hooknum);
}

/* netlink_msg.c */
void *nfhook_msg_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     u8 cmd);
/* A reply to @info with its header put into *@hdr, or an ERR_PTR. */
struct sk_buff *nfhook_reply_new(struct genl_info *info, u8 cmd, void **hdr);
/* A hook's settings, and its counters unless @c is NULL. */
int nfhook_put_hook(struct sk_buff *skb, const struct nfhook_hook *hook,
		    const struct nfhook_ruleset *rs,
		    const struct nfhook_hook_count *c);
/*
 * As nfhook_put_hook(), with the counters cleared as they are read when
 * @reset.  A reset whose message is full is cancelled: what it cleared is
 * reported again by the next message, so nothing is lost.
 */
int nfhook_put_hook_counted(struct sk_buff *skb, struct nfhook_hook *hook,
			    const struct nfhook_ruleset *rs, bool reset);
/* A RULE nest, with counters unless @c is NULL. */
int nfhook_put_rule(struct sk_buff *skb, const struct nfhook_rule *rule,
		    u32 index, const struct nfhook_count *c);
/* As nfhook_put_hook_counted(), for a rule. */
int nfhook_put_rule_counted(struct sk_buff *skb, struct nfhook_rule *rule,
			    u32 index, bool reset);

/* A notification to the "events" group, built while the change is made. */
struct nfhook_event {
	struct sk_buff *skb;
	void *hdr;
};

/*
 * False when nobody listens, or when there is no memory: listeners are then
 * told (ENOBUFS on their sockets) that they missed an event.
 */
bool nfhook_event_start(struct nfhook_event *ev, struct net *net,
			const struct genl_info *info, u8 cmd);
/* Sends the event, or drops it when filling it failed with @err. */
void nfhook_event_end(struct nfhook_event *ev, struct net *net, int err);

/* netlink_dump.c */
int nfhook_hook_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfhook_rule_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* netlink_pipeline.c */
int nfhook_pipeline_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
/* Hook @e of hook point @pt as an @attrtype nest of NFHOOK_PIPE_A_*. */
int nfhook_put_pipe_entry(struct sk_buff *skb, int attrtype,
			  const struct nfhook_pipe_point *pt,
			  const struct nfhook_pipe_entry *e);

/* netlink_trace.c */
int nfhook_cmd_trace_start(struct sk_buff *skb, struct genl_info *info);
int nfhook_cmd_trace_stop(struct sk_buff *skb, struct genl_info *info);

/* netlink_replace.c */
int nfhook_cmd_replace_begin(struct sk_buff *skb, struct genl_info *info);
int nfhook_cmd_replace_hook(struct sk_buff *skb, struct genl_info *info);
int nfhook_cmd_replace_rule(struct sk_buff *skb, struct genl_info *info);
int nfhook_cmd_replace_commit(struct sk_buff *skb, struct genl_info *info);
int nfhook_cmd_replace_abort(struct sk_buff *skb, struct genl_info *info);

#endif /* _NFHOOK_NETLINK_H */
