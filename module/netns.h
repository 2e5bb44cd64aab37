/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: per-namespace state, hook registration and the control plane.
 *
 * Ownership and lifetime:
 *  - struct nfhook_net lives in the namespace's net_generic area, from
 *    pernet init to pernet exit.  Its mutex serialises every writer (netlink
 *    commands, the socket-release notifier, namespace teardown).
 *  - Each struct nfhook_hook is embedded in it and owns two nf_hook_ops, at
 *    most both registered only during a priority move, and its per-CPU
 *    counters.  pre_exit unregisters the ops; the core's grace period
 *    between pre_exit and exit makes freeing in exit safe.
 *  - The live ruleset is RCU-published.  Whoever unpublishes one frees it,
 *    and its rules, after a grace period (nfhook_ruleset_free()).
 *  - Rule ids index the live rules in an xarray the namespace owns; a
 *    replace transaction builds its own and the two are swapped on commit.
 */
#ifndef _NFHOOK_NETNS_H
#define _NFHOOK_NETNS_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "nfhook.h"

/* What a hook counts, each in packets and bytes. */
enum nfhook_hook_counter {
	NFHOOK_HC_SEEN,			/* every packet the hook saw */
	NFHOOK_HC_ACCEPTED,		/* by a rule or by policy */
	NFHOOK_HC_RULE_DROPPED,
	NFHOOK_HC_POLICY_DROPPED,
	NFHOOK_HC_NUM
};

struct nfhook_hook_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets[NFHOOK_HC_NUM];
	u64_stats_t bytes[NFHOOK_HC_NUM];
};

/* A hook's counters as read (per-CPU sums minus the baseline) or cleared. */
struct nfhook_hook_count {
	struct nfhook_count c[NFHOOK_HC_NUM];
};

struct nfhook_net;

/*
 * One (family, hook) point.  ops[cur] is registered while @enabled; a move
 * registers ops[!cur] at the new priority first (@spare_registered) and
 * only then unregisters ops[cur].  Changed under nfhook_net.lock only.
 */
struct nfhook_hook {
	struct nfhook_net *nn;
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 fidx;			/* nfhook_family_index(family) */
	u8 hooknum;			/* NF_INET_PRE_ROUTING.. */
	u8 cur;
	bool enabled;
	bool spare_registered;
	int priority;			/* also kept while disabled */
	struct nf_hook_ops ops[2];
	struct nfhook_hook_stats __percpu *stats;
	struct nfhook_hook_count reset_base;
};

/* Settings of one hook, as staged by a replace transaction. */
struct nfhook_hook_cfg {
	int priority;
	bool enabled;
};

/*
 * A replace transaction: a complete ruleset, its rule ids and the hook
 * settings, built privately and bound to the netlink socket that began it.
 */
struct nfhook_txn {
	u32 portid;
	u32 nrules;
	struct nfhook_ruleset *ruleset;	/* policies included */
	struct xarray *ids;
	struct nfhook_hook_cfg cfg[NFHOOK_NFAMILIES][NFHOOK_NHOOKS];
};

struct nfhook_net {
	struct mutex lock;		/* serialises every writer */
	struct nfhook_ruleset __rcu *ruleset;
	struct nfhook_hook hooks[NFHOOK_NFAMILIES][NFHOOK_NHOOKS];
	struct xarray *ids;		/* rule id -> live rule */
	u32 nrules;			/* live rules, all hooks */
	u32 next_id;			/* xa_alloc_cyclic() cursor */
	u32 gen;			/* changes; never 0 (dump consistency) */
	struct nfhook_txn *txn;		/* open replace transaction, if any */
};

/* main.c */
extern unsigned int nfhook_net_id;
extern int nfhook_default_priority;
extern unsigned int nfhook_max_rules;

static inline struct nfhook_net *nfhook_pernet(const struct net *net)
{
	return net_generic(net, nfhook_net_id);
}

static inline struct nfhook_ruleset *
nfhook_ruleset_locked(struct nfhook_net *nn)
{
	return rcu_dereference_protected(nn->ruleset,
					 lockdep_is_held(&nn->lock));
}

/* Records a change for dump consistency (cb->seq); 0 is never used. */
static inline void nfhook_net_changed(struct nfhook_net *nn)
{
	if (!++nn->gen)
		nn->gen = 1;
}

struct nfhook_ruleset *nfhook_ruleset_alloc(void);
/* Unpublished @rs and its rules are freed after an RCU grace period. */
void nfhook_ruleset_free(struct nfhook_ruleset *rs);
struct xarray *nfhook_ids_alloc(void);
void nfhook_ids_free(struct xarray *ids);
void nfhook_txn_free(struct nfhook_txn *txn);

/* hook.c */
/*
 * The hook function's work: parses @skb, seen at @hook with devices @in and
 * @out, walks @hook's rule table in @rs (counting the rules that match),
 * applies @hook's policy in @rs when no rule is final, counts the packet in
 * @hook's counters and returns NF_ACCEPT or NF_DROP.  Under RCU.
 */
unsigned int nfhook_verdict(struct nfhook_hook *hook,
			    const struct nfhook_ruleset *rs,
			    const struct sk_buff *skb,
			    const struct net_device *in,
			    const struct net_device *out);
int nfhook_hook_init(struct nfhook_hook *hook, struct nfhook_net *nn,
		     int fidx, u8 hooknum, int priority);
void nfhook_hook_uninit(struct nfhook_hook *hook);
/*
 * Two-phase change of a hook to (@enabled, @priority): prepare registers
 * whatever must be registered and is the only step that can fail; then
 * either commit (unregisters what is left over, adopts the settings) or
 * cancel (unregisters what prepare registered; the hook is as before).
 */
int nfhook_hook_prepare(struct net *net, struct nfhook_hook *hook,
			bool enabled, int priority);
void nfhook_hook_commit(struct net *net, struct nfhook_hook *hook,
			bool enabled, int priority);
void nfhook_hook_cancel(struct net *net, struct nfhook_hook *hook);
int nfhook_hook_set(struct net *net, struct nfhook_hook *hook,
		    bool enabled, int priority);
void nfhook_hook_read(const struct nfhook_hook *hook,
		      struct nfhook_hook_count *c);
void nfhook_hook_reset(struct nfhook_hook *hook,
		       struct nfhook_hook_count *cleared);
/* Undoes the reset that cleared *@cleared (its report did not fit). */
void nfhook_hook_reset_cancel(struct nfhook_hook *hook,
			      const struct nfhook_hook_count *cleared);

/* netlink.c */
extern struct notifier_block nfhook_netlink_notifier;	/* NETLINK_URELEASE */
int nfhook_genl_register(void);
void nfhook_genl_unregister(void);

#endif /* _NFHOOK_NETNS_H */
