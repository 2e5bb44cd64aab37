// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the netfilter hook function and the registration of hooks.
 *
 * The hook function runs inside netfilter's RCU read-side section, in
 * softirq or (at LOCAL_OUT) in process context.  It takes no lock and
 * allocates nothing: it parses the packet's headers once, walks the rule
 * table of its (family, hook) in the published ruleset, applies the hook's
 * policy when no rule gave a final verdict, and counts on its own CPU.
 *
 * The hook function itself is a thin wrapper around nfhook_verdict(), which
 * takes the ruleset as an argument so that KUnit can run it on crafted skbs
 * with a ruleset of its own (kunit/hook_test.c).
 *
 * A hook is registered only while enabled in an active namespace (netns.h):
 * until something is configured there, netfilter does not call nfhook at
 * all.  A registered hook with no rules skips the packet's headers.
 *
 * Moving a hook to another priority registers a second nf_hook_ops at the
 * new priority before unregistering the old one, so no packet ever passes
 * the hook point unfiltered.  While both are registered a packet may be
 * evaluated (and counted) twice; that window is one registration long.
 */

#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>

#include "netns.h"
#include "trace.h"

/* What the rules of @t and then @policy make of @pkt, as a hook counter. */
static enum nfhook_hook_counter
nfhook_rules_verdict(const struct nfhook_table *t, const struct nfhook_pkt *pkt,
		     unsigned int len, u8 policy)
{
	switch (nfhook_table_eval(t, pkt, len)) {
	case NFHOOK_ACTION_ACCEPT:
		return NFHOOK_HC_ACCEPTED;
	case NFHOOK_ACTION_DROP:
		return NFHOOK_HC_RULE_DROPPED;
	default:
		if (policy == NFHOOK_ACTION_DROP)
			return NFHOOK_HC_POLICY_DROPPED;
		return NFHOOK_HC_ACCEPTED;
	}
}

unsigned int nfhook_verdict(struct nfhook_hook *hook,
			    const struct nfhook_ruleset *rs,
			    const struct sk_buff *skb,
			    const struct net_device *in,
			    const struct net_device *out)
{
	const struct nfhook_table *t = &rs->tables[hook->fidx][hook->hooknum];
	enum nfhook_hook_counter verdict;
	struct nfhook_hook_stats *s;
	struct nfhook_pkt pkt;
	unsigned long flags;

	u8 policy = READ_ONCE(rs->policy[hook->fidx][hook->hooknum]);

	if (nfhook_table_empty(t)) {
		verdict = policy == NFHOOK_ACTION_DROP ?
			  NFHOOK_HC_POLICY_DROPPED : NFHOOK_HC_ACCEPTED;
	} else {
		nfhook_pkt_parse(&pkt, skb, hook->family, in, out);
		/* No rule could tell what such a fragment would become. */
		if (pkt.tiny_fragment && nfhook_table_reads_l4(t))
			verdict = NFHOOK_HC_FRAGMENT_DROPPED;
		else
			verdict = nfhook_rules_verdict(t, &pkt, skb->len,
						       policy);
	}

	/*
	 * Only the verdict is counted: SEEN is their sum, derived when the
	 * counters are read (nfhook_hook_sum()).
	 *
	 * As for rule counters: pin the CPU (LOCAL_OUT may be preemptible)
	 * and, on 32-bit, keep an interrupting writer out of the sequence
	 * count; on 64-bit the irqsave variant costs nothing.
	 */
	s = get_cpu_ptr(hook->stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->packets[verdict]);
	u64_stats_add(&s->bytes[verdict], skb->len);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(hook->stats);

	nfhook_trace_verdict(hook->nn, skb, hook->hooknum, verdict);
	return verdict == NFHOOK_HC_ACCEPTED ? NF_ACCEPT : NF_DROP;
}

/* The same for every hook: the ruleset is the namespace's live one. */
static unsigned int nfhook_hook_fn(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct nfhook_hook *hook = priv;

	return nfhook_verdict(hook, rcu_dereference(hook->nn->ruleset), skb,
			      state->in, state->out);
}

int nfhook_hook_init(struct nfhook_hook *hook, struct nfhook_net *nn,
		     int fidx, u8 hooknum, int priority)
{
	int cpu, i;

	memset(hook, 0, sizeof(*hook));
	hook->stats = alloc_percpu_gfp(struct nfhook_hook_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!hook->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(hook->stats, cpu)->syncp);

	hook->nn = nn;
	hook->family = nfhook_family_of_index(fidx);
	hook->fidx = fidx;
	hook->hooknum = hooknum;
	hook->priority = priority;
	hook->enabled = true;
	for (i = 0; i < ARRAY_SIZE(hook->ops); i++) {
		hook->ops[i].hook = nfhook_hook_fn;
		hook->ops[i].priv = hook;
		hook->ops[i].pf = hook->family;
		hook->ops[i].hooknum = hooknum;
		hook->ops[i].priority = priority;
	}
	return 0;
}

/* After the hook was unregistered and a grace period has passed. */
void nfhook_hook_uninit(struct nfhook_hook *hook)
{
	WARN_ON_ONCE(hook->registered || hook->spare_registered);
	free_percpu(hook->stats);
	hook->stats = NULL;
}

/* Whether @hook, @enabled, is to be registered. */
static bool nfhook_hook_wanted(const struct nfhook_hook *hook, bool enabled)
{
	return enabled && hook->nn && hook->nn->active;
}

int nfhook_hook_prepare(struct net *net, struct nfhook_hook *hook,
			bool enabled, int priority)
{
	struct nf_hook_ops *spare = &hook->ops[!hook->cur];
	int err;

	if (WARN_ON_ONCE(hook->spare_registered))
		return -EBUSY;
	/* Nothing to register when staying off or staying where it is. */
	if (!nfhook_hook_wanted(hook, enabled) ||
	    (hook->registered && priority == hook->priority))
		return 0;

	/*
	 * The spare ops may still be referenced by a reader that entered
	 * before it was last unregistered; it reads only ->hook and ->priv,
	 * which never change.
	 */
	spare->priority = priority;
	err = nf_register_net_hook(net, spare);
	if (err)
		return err;
	hook->spare_registered = true;
	return 0;
}

void nfhook_hook_commit(struct net *net, struct nfhook_hook *hook,
			bool enabled, int priority)
{
	/* The running ops go when the hook is unwanted or has moved. */
	if (hook->registered &&
	    (!nfhook_hook_wanted(hook, enabled) || hook->spare_registered)) {
		nf_unregister_net_hook(net, &hook->ops[hook->cur]);
		hook->registered = false;
	}
	if (hook->spare_registered) {
		hook->cur = !hook->cur;
		hook->spare_registered = false;
		hook->registered = true;
	}
	hook->enabled = enabled;
	hook->priority = priority;
}

void nfhook_hook_cancel(struct net *net, struct nfhook_hook *hook)
{
	if (!hook->spare_registered)
		return;
	nf_unregister_net_hook(net, &hook->ops[!hook->cur]);
	hook->spare_registered = false;
}

int nfhook_hook_set(struct net *net, struct nfhook_hook *hook,
		    bool enabled, int priority)
{
	int err;

	err = nfhook_hook_prepare(net, hook, enabled, priority);
	if (err)
		return err;
	nfhook_hook_commit(net, hook, enabled, priority);
	return 0;
}

static struct nfhook_hook *nfhook_net_hook(struct nfhook_net *nn, int i)
{
	return &nn->hooks[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
}

int nfhook_net_activate(struct net *net, struct nfhook_net *nn)
{
	struct nfhook_hook *hook;
	int i, err;

	if (nn->active)
		return 0;
	nn->active = true;
	for (i = 0; i < NFHOOK_NFAMILIES * NFHOOK_NHOOKS; i++) {
		hook = nfhook_net_hook(nn, i);
		err = nfhook_hook_prepare(net, hook, hook->enabled,
					  hook->priority);
		if (err)
			goto err_cancel;
	}
	for (i = 0; i < NFHOOK_NFAMILIES * NFHOOK_NHOOKS; i++) {
		hook = nfhook_net_hook(nn, i);
		nfhook_hook_commit(net, hook, hook->enabled, hook->priority);
	}
	return 0;

err_cancel:
	while (i--)
		nfhook_hook_cancel(net, nfhook_net_hook(nn, i));
	nn->active = false;
	return err;
}

void nfhook_net_deactivate(struct net *net, struct nfhook_net *nn)
{
	struct nfhook_hook *hook;
	int i;

	nn->active = false;
	for (i = 0; i < NFHOOK_NFAMILIES * NFHOOK_NHOOKS; i++) {
		hook = nfhook_net_hook(nn, i);
		nfhook_hook_commit(net, hook, hook->enabled, hook->priority);
	}
}

/*
 * The per-CPU sums since the hook was set up.  The packet path counts only
 * verdicts; SEEN is their sum, so it is derived here, and read, reset and
 * cancel treat it like any other counter (its baseline moves with theirs).
 */
static void nfhook_hook_sum(const struct nfhook_hook *hook,
			    struct nfhook_hook_count *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nfhook_hook_stats *s;
		struct nfhook_hook_count one;
		unsigned int start;

		s = per_cpu_ptr(hook->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < NFHOOK_HC_NUM; i++) {
				one.c[i].packets = u64_stats_read(&s->packets[i]);
				one.c[i].bytes = u64_stats_read(&s->bytes[i]);
			}
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < NFHOOK_HC_NUM; i++) {
			if (i == NFHOOK_HC_SEEN)
				continue;
			sum->c[i].packets += one.c[i].packets;
			sum->c[i].bytes += one.c[i].bytes;
			/* Every packet seen is counted under one verdict. */
			sum->c[NFHOOK_HC_SEEN].packets += one.c[i].packets;
			sum->c[NFHOOK_HC_SEEN].bytes += one.c[i].bytes;
		}
	}
}

/* Under nfhook_net.lock, which also serialises resets. */
void nfhook_hook_read(const struct nfhook_hook *hook,
		      struct nfhook_hook_count *c)
{
	int i;

	nfhook_hook_sum(hook, c);
	for (i = 0; i < NFHOOK_HC_NUM; i++) {
		c->c[i].packets -= hook->reset_base.c[i].packets;
		c->c[i].bytes -= hook->reset_base.c[i].bytes;
	}
}

/*
 * Lossless: the per-CPU counters are never written here; the baseline moves
 * up to the current sum and *@cleared gets the difference, so a packet
 * counted meanwhile is in either what was cleared or the next read.
 */
void nfhook_hook_reset(struct nfhook_hook *hook,
		       struct nfhook_hook_count *cleared)
{
	struct nfhook_hook_count sum;
	int i;

	nfhook_hook_sum(hook, &sum);
	for (i = 0; i < NFHOOK_HC_NUM; i++) {
		cleared->c[i].packets = sum.c[i].packets -
					hook->reset_base.c[i].packets;
		cleared->c[i].bytes = sum.c[i].bytes -
				      hook->reset_base.c[i].bytes;
	}
	hook->reset_base = sum;
}

/* Puts the baseline back by what was cleared: that reads again. */
void nfhook_hook_reset_cancel(struct nfhook_hook *hook,
			      const struct nfhook_hook_count *cleared)
{
	int i;

	for (i = 0; i < NFHOOK_HC_NUM; i++) {
		hook->reset_base.c[i].packets -= cleared->c[i].packets;
		hook->reset_base.c[i].bytes -= cleared->c[i].bytes;
	}
}
