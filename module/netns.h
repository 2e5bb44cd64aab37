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
 *    and its rules, after a grace period (nfhook_ruleset_free()).  It holds
 *    its own index of rules by id; a replace transaction builds a whole new
 *    ruleset and the two are swapped on commit.
 *  - A replace transaction belongs to the namespace and is bound to the
 *    netlink socket that began it, which it holds a reference on; it ends
 *    with a commit, an abort, a failed step or that socket's release.
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
	NFHOOK_HC_FRAGMENT_DROPPED,	/* tiny fragments (nfhook_pkt) */
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
struct nfhook_trace;

/*
 * One (family, hook) point.  @enabled is the user's setting; ops[cur] is
 * registered (@registered) while the hook is enabled and its namespace is
 * active.  A move registers ops[!cur] at the new priority first
 * (@spare_registered) and only then unregisters ops[cur].  Changed under
 * nfhook_net.lock only.
 */
struct nfhook_hook {
	struct nfhook_net *nn;
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 fidx;			/* nfhook_family_index(family) */
	u8 hooknum;			/* NF_INET_PRE_ROUTING.. */
	u8 cur;
	bool enabled;
	bool registered;
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
 * A replace transaction: a complete ruleset (policies and rule ids
 * included) and the hook settings, built privately.  A port id can be
 * bound again by another socket before the release of the first one is
 * notified, so the transaction is bound to the socket itself.
 */
struct nfhook_txn {
	struct sock *owner;		/* referenced */
	u32 portid;			/* the owner's, for messages */
	struct nfhook_ruleset *ruleset;
	struct nfhook_hook_cfg cfg[NFHOOK_NFAMILIES][NFHOOK_NHOOKS];
};

/*
 * A namespace nobody configured costs its packets nothing: its hooks are
 * registered with netfilter only once it is @active, from the first
 * command that changes something there (or a replace) on.
 */
struct nfhook_net {
	struct mutex lock;		/* serialises every writer */
	bool active;
	struct nfhook_ruleset __rcu *ruleset;
	struct nfhook_hook hooks[NFHOOK_NFAMILIES][NFHOOK_NHOOKS];
	u32 next_id;			/* xa_alloc_cyclic() cursor */
	u64 gen;			/* changes (dump consistency) */
	struct nfhook_txn *txn;		/* open replace transaction, if any */
	struct nfhook_trace __rcu *trace; /* while a trace runs (trace.h) */
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

/* Records a change, for dump consistency; 64 bits never wrap. */
static inline void nfhook_net_changed(struct nfhook_net *nn)
{
	nn->gen++;
}

/* txn.c */
extern struct notifier_block nfhook_txn_notifier;	/* NETLINK_URELEASE */
/*
 * Opens the namespace's transaction for @owner (whose port id is @portid):
 * -EBUSY if one is open, -ENOMEM.
 */
int nfhook_txn_begin(struct nfhook_net *nn, struct sock *owner, u32 portid);
/* Whether the open transaction, which must exist, belongs to @sk. */
bool nfhook_txn_owned_by(const struct nfhook_txn *txn, const struct sock *sk);
/*
 * A socket with port id @portid was released: ends the transaction if that
 * socket was its owner (NETLINK_URELEASE; the owner is orphaned by then).
 */
void nfhook_txn_released(struct nfhook_net *nn, u32 portid);
/* Ends the open transaction, if any, leaving the running state as it is. */
void nfhook_txn_abort(struct nfhook_net *nn);
/*
 * Makes the open transaction the running state and ends it.  On failure
 * (netfilter refused to register a hook, *@failed) nothing changed and the
 * transaction stays open: the caller aborts it.
 */
int nfhook_txn_commit(struct net *net, struct nfhook_net *nn,
		      struct nfhook_hook **failed,
		      const struct nfhook_hook_cfg **failed_cfg);

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
/*
 * Makes @nn active, registering every enabled hook; nothing changes if
 * netfilter refuses one.  Also the first step of a replace commit.
 */
int nfhook_net_activate(struct net *net, struct nfhook_net *nn);
/* Unregisters every hook (namespace exit); settings are kept. */
void nfhook_net_deactivate(struct net *net, struct nfhook_net *nn);
void nfhook_hook_read(const struct nfhook_hook *hook,
		      struct nfhook_hook_count *c);
void nfhook_hook_reset(struct nfhook_hook *hook,
		       struct nfhook_hook_count *cleared);
/* Undoes the reset that cleared *@cleared (its report did not fit). */
void nfhook_hook_reset_cancel(struct nfhook_hook *hook,
			      const struct nfhook_hook_count *cleared);

/* netlink.c */
int nfhook_genl_register(void);
void nfhook_genl_unregister(void);

#endif /* _NFHOOK_NETNS_H */
