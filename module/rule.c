// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: a rule's lifetime and counters.
 *
 * A rule is allocated and filled by its creator (rule_attr.c turns netlink
 * attributes into one), published in a ruleset (ruleset.c) and freed after
 * an RCU grace period once unlinked, or at once if it was never published.
 *
 * Counters are per-CPU u64_stats in slots of blocks that the rule's table
 * hands out (nfhook_ctrs_attach(), when the rule is inserted) and takes
 * back when the rule is freed.  A reset never writes to them: it moves a
 * baseline (reset_base) up to the current sum and returns the difference, so
 * a packet counted while a reset runs shows up either in what the reset
 * returned or in the next read, never in neither.  Initial counters (replace
 * transactions) are a baseline below zero, modulo 2^64.
 */

#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "nfhook.h"

/*
 * Counter blocks: the first holds NFHOOK_CTR_BLOCK_MIN slots, each next one
 * twice as many up to NFHOOK_CTR_BLOCK_MAX (16 bytes a slot and CPU on
 * 64-bit: 8 KiB a CPU at most), so a table of a few rules pays for a few
 * slots and 65,536 rules take about 130 per-CPU allocations, not 65,536.
 */
#define NFHOOK_CTR_BLOCK_MIN	8U
#define NFHOOK_CTR_BLOCK_MAX	512U

struct nfhook_rule *nfhook_rule_alloc(void)
{
	struct nfhook_rule *rule;

	rule = kzalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
	if (!rule)
		return NULL;
	INIT_LIST_HEAD(&rule->list);
	return rule;
}

static void nfhook_ctrs_free(struct nfhook_ctrs *pool)
{
	u32 i;

	for (i = 0; i < pool->nblocks; i++) {
		free_percpu(pool->blocks[i]->stats);
		kfree(pool->blocks[i]);
	}
	kfree(pool->blocks);
	kfree(pool);
}

/*
 * Takes @n slots out of use (and, with @blk, @slot of @blk); frees @pool if
 * that was its last slot and its table let go of it (@retire).
 */
static void nfhook_ctrs_put(struct nfhook_ctrs *pool,
			    struct nfhook_ctr_block *blk, u32 slot, u32 n,
			    bool retire)
{
	bool last;

	spin_lock_bh(&pool->lock);
	if (blk) {
		__clear_bit(slot, blk->used);
		blk->nused--;
	}
	pool->nused -= n;
	if (retire)
		pool->retired = true;
	last = pool->retired && !pool->nused;
	spin_unlock_bh(&pool->lock);
	if (last)
		nfhook_ctrs_free(pool);
}

void nfhook_ctrs_release(struct nfhook_ctrs *pool, u32 nrules)
{
	if (pool)
		nfhook_ctrs_put(pool, NULL, 0, nrules, true);
}

/* The rule's slot is free again: its rule is gone and no reader has it. */
static void nfhook_rule_put_slot(struct nfhook_rule *rule)
{
	struct nfhook_ctr_block *blk = rule->ctr_block;

	if (!blk)
		return;
	nfhook_ctrs_put(blk->pool, blk, rule->stats - blk->stats, 1, false);
	rule->ctr_block = NULL;
	rule->stats = NULL;
}

/* A new block, one step larger than the last; the pool's lock not held. */
static struct nfhook_ctr_block *nfhook_ctrs_grow(struct nfhook_ctrs *pool)
{
	u32 nslots = NFHOOK_CTR_BLOCK_MIN << min(pool->nblocks, 6U);
	struct nfhook_ctr_block *blk, **blocks;

	nslots = min(nslots, NFHOOK_CTR_BLOCK_MAX);
	if (pool->nblocks == pool->blocks_size) {
		u32 size = max(2 * pool->blocks_size, 8U);

		blocks = kmalloc_array(size, sizeof(*blocks),
				       GFP_KERNEL_ACCOUNT);
		if (!blocks)
			return NULL;
		if (pool->nblocks)
			memcpy(blocks, pool->blocks,
			       pool->nblocks * sizeof(*blocks));
		kfree(pool->blocks);
		pool->blocks = blocks;
		pool->blocks_size = size;
	}
	blk = kzalloc(struct_size(blk, used, BITS_TO_LONGS(nslots)),
		      GFP_KERNEL_ACCOUNT);
	if (!blk)
		return NULL;
	blk->stats = __alloc_percpu_gfp(nslots * sizeof(*blk->stats),
					__alignof__(*blk->stats),
					GFP_KERNEL_ACCOUNT);
	if (!blk->stats) {
		kfree(blk);
		return NULL;
	}
	blk->pool = pool;
	blk->nslots = nslots;
	pool->blocks[pool->nblocks++] = blk;
	return blk;
}

int nfhook_ctrs_attach(struct nfhook_ctrs **ppool, struct nfhook_rule *rule)
{
	struct nfhook_ctrs *pool = *ppool;
	struct nfhook_ctr_block *blk = NULL;
	u32 i, slot;
	int cpu;

	if (WARN_ON_ONCE(rule->ctr_block))
		return -EINVAL;
	if (!pool) {
		pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);
		if (!pool)
			return -ENOMEM;
		spin_lock_init(&pool->lock);
		*ppool = pool;
	}
	/* Blocks are added by writers only: the array is stable here. */
	for (i = 0; i < pool->nblocks; i++) {
		if (READ_ONCE(pool->blocks[i]->nused) <
		    pool->blocks[i]->nslots) {
			blk = pool->blocks[i];
			break;
		}
	}
	if (!blk) {
		blk = nfhook_ctrs_grow(pool);
		if (!blk)
			return -ENOMEM;
	}

	spin_lock_bh(&pool->lock);
	slot = find_first_zero_bit(blk->used, blk->nslots);
	__set_bit(slot, blk->used);
	blk->nused++;
	pool->nused++;
	spin_unlock_bh(&pool->lock);

	/* Its last rule was freed after a grace period: nobody counts here. */
	rule->stats = blk->stats + slot;
	for_each_possible_cpu(cpu) {
		struct nfhook_rule_stats *s = per_cpu_ptr(rule->stats, cpu);

		memset(s, 0, sizeof(*s));
		u64_stats_init(&s->syncp);
	}
	rule->ctr_block = blk;
	return 0;
}

size_t nfhook_ctrs_bytes(const struct nfhook_ctrs *pool)
{
	size_t bytes;
	u32 i;

	if (!pool)
		return 0;
	bytes = sizeof(*pool) + pool->blocks_size * sizeof(*pool->blocks);
	for (i = 0; i < pool->nblocks; i++) {
		const struct nfhook_ctr_block *blk = pool->blocks[i];

		bytes += struct_size(blk, used, BITS_TO_LONGS(blk->nslots)) +
			 (size_t)blk->nslots * sizeof(*blk->stats) *
			 num_possible_cpus();
	}
	return bytes;
}

void nfhook_rule_free(struct nfhook_rule *rule)
{
	if (!rule)
		return;
	/* Never published: no reader can have its slot. */
	nfhook_rule_put_slot(rule);
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
	/* Not in a table yet: nothing counted. */
	if (!rule->stats)
		return;
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
