// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: a rule's lifetime and counters.
 *
 * A rule is allocated and filled by its creator (rule_attr.c turns netlink
 * attributes into one), published in a ruleset (ruleset.c) and freed after
 * an RCU grace period once unlinked, or at once if it was never published.
 *
 * Counters are per-CPU u64_stats.  A reset never writes to them: it moves a
 * baseline (reset_base) up to the current sum and returns the difference, so
 * a packet counted while a reset runs shows up either in what the reset
 * returned or in the next read, never in neither.  Initial counters (replace
 * transactions) are a baseline below zero, modulo 2^64.
 */

#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "nfhook.h"

struct nfhook_rule *nfhook_rule_alloc(void)
{
	struct nfhook_rule *rule;
	int cpu;

	rule = kzalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
	if (!rule)
		return NULL;
	rule->stats = alloc_percpu_gfp(struct nfhook_rule_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!rule->stats) {
		kfree(rule);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(rule->stats, cpu)->syncp);
	INIT_LIST_HEAD(&rule->list);
	return rule;
}

size_t nfhook_rule_stats_bytes(void)
{
	return sizeof(struct nfhook_rule_stats) * num_possible_cpus();
}

void nfhook_rule_free(struct nfhook_rule *rule)
{
	if (!rule)
		return;
	free_percpu(rule->stats);
	kfree(rule);
}

static void nfhook_rule_free_cb(struct rcu_head *head)
{
	nfhook_rule_free(container_of(head, struct nfhook_rule, rcu));
}

void nfhook_rule_free_rcu(struct nfhook_rule *rule)
{
	call_rcu(&rule->rcu, nfhook_rule_free_cb);
}

/*
 * The packet path calls this from softirq or, at output, from process
 * context: the CPU is pinned while its counters are written, and on 32-bit
 * kernels the irqsave variant keeps an interrupting writer on the same CPU
 * out of the sequence count (on 64-bit it costs nothing).
 */
void nfhook_rule_count(struct nfhook_rule *rule, unsigned int len)
{
	struct nfhook_rule_stats *s;
	unsigned long flags;

	s = get_cpu_ptr(rule->stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(rule->stats);
}

/* The per-CPU sums since the rule was created. */
static void nfhook_rule_sum(const struct nfhook_rule *rule,
			    struct nfhook_count *sum)
{
	int cpu;

	sum->packets = 0;
	sum->bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct nfhook_rule_stats *s;
		unsigned int start;
		u64 packets, bytes;

		s = per_cpu_ptr(rule->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = u64_stats_read(&s->packets);
			bytes = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->packets += packets;
		sum->bytes += bytes;
	}
}

void nfhook_rule_read(const struct nfhook_rule *rule, struct nfhook_count *c)
{
	nfhook_rule_sum(rule, c);
	c->packets -= READ_ONCE(rule->reset_base.packets);
	c->bytes -= READ_ONCE(rule->reset_base.bytes);
}

void nfhook_rule_reset(struct nfhook_rule *rule, struct nfhook_count *cleared)
{
	struct nfhook_count sum;

	nfhook_rule_sum(rule, &sum);
	cleared->packets = sum.packets - rule->reset_base.packets;
	cleared->bytes = sum.bytes - rule->reset_base.bytes;
	WRITE_ONCE(rule->reset_base.packets, sum.packets);
	WRITE_ONCE(rule->reset_base.bytes, sum.bytes);
}

/* The baseline goes back to where the reset found it. */
void nfhook_rule_reset_cancel(struct nfhook_rule *rule,
			      const struct nfhook_count *cleared)
{
	WRITE_ONCE(rule->reset_base.packets,
		   rule->reset_base.packets - cleared->packets);
	WRITE_ONCE(rule->reset_base.bytes,
		   rule->reset_base.bytes - cleared->bytes);
}

void nfhook_rule_set_count(struct nfhook_rule *rule,
			   const struct nfhook_count *c)
{
	/* Read as sum - base: a base of -N makes a fresh rule read N. */
	rule->reset_base.packets = -c->packets;
	rule->reset_base.bytes = -c->bytes;
}
