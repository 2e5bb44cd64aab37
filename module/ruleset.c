// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: rulesets, the unit the packet path reads and a replace swaps.
 *
 * A ruleset holds the ten rule tables and policies the hooks read under RCU
 * and, for writers only, the index of its rules by id and their number.
 * Writers hold nfhook_net.lock.  Rules enter in two steps (reserve, then
 * publish) so that whatever can fail, and the reply to the user, comes
 * before the packet path sees the rule.
 */

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "netns.h"

struct nfhook_ruleset *nfhook_ruleset_alloc(void)
{
	struct nfhook_ruleset *rs;
	int f, h;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return NULL;
	for (f = 0; f < NFHOOK_NFAMILIES; f++) {
		for (h = 0; h < NFHOOK_NHOOKS; h++) {
			nfhook_table_init(&rs->tables[f][h]);
			rs->policy[f][h] = NFHOOK_ACTION_ACCEPT;
		}
	}
	xa_init_flags(&rs->ids, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	return rs;
}

/* After a grace period: the ruleset with everything in it, at once. */
static void nfhook_ruleset_free_cb(struct rcu_head *head)
{
	struct nfhook_ruleset *rs = container_of(head, struct nfhook_ruleset,
						 rcu);
	int f, h;

	for (f = 0; f < NFHOOK_NFAMILIES; f++)
		for (h = 0; h < NFHOOK_NHOOKS; h++)
			nfhook_table_destroy(&rs->tables[f][h]);
	kfree(rs);
}

void nfhook_ruleset_free(struct nfhook_ruleset *rs)
{
	if (!rs)
		return;
	/* Only writers use the index: it can go at once. */
	xa_destroy(&rs->ids);
	call_rcu(&rs->rcu, nfhook_ruleset_free_cb);
}

void nfhook_ruleset_bulk_begin(struct nfhook_ruleset *rs)
{
	int f, h;

	for (f = 0; f < NFHOOK_NFAMILIES; f++)
		for (h = 0; h < NFHOOK_NHOOKS; h++)
			nfhook_table_bulk_begin(&rs->tables[f][h]);
}

void nfhook_ruleset_bulk_end(struct nfhook_ruleset *rs)
{
	int f, h;

	/* A table whose classifier could not be built is walked instead. */
	for (f = 0; f < NFHOOK_NFAMILIES; f++)
		for (h = 0; h < NFHOOK_NHOOKS; h++)
			nfhook_table_bulk_end(&rs->tables[f][h]);
}

size_t nfhook_ruleset_bytes(const struct nfhook_ruleset *rs)
{
	size_t bytes = sizeof(*rs);
	int f, h;

	for (f = 0; f < NFHOOK_NFAMILIES; f++)
		for (h = 0; h < NFHOOK_NHOOKS; h++)
			bytes += nfhook_table_bytes(&rs->tables[f][h]);
	return bytes;
}

struct nfhook_table *nfhook_ruleset_table_of(struct nfhook_ruleset *rs,
					     const struct nfhook_rule *rule)
{
	return &rs->tables[nfhook_family_index(rule->match.family)][rule->hook];
}

u32 nfhook_ruleset_index_of(struct nfhook_ruleset *rs,
			    const struct nfhook_rule *rule)
{
	return nfhook_table_index(nfhook_ruleset_table_of(rs, rule), rule);
}

int nfhook_ruleset_reserve(struct nfhook_ruleset *rs, struct nfhook_rule *rule,
			   u32 index, u32 *next_id, u32 *pos)
{
	struct nfhook_table *t = nfhook_ruleset_table_of(rs, rule);
	u32 count = nfhook_table_count(t);
	int err;

	if (rs->nrules >= nfhook_max_rules)
		return -ENOSPC;
	if (index != NFHOOK_INDEX_APPEND && index > count)
		return -ERANGE;
	err = xa_alloc_cyclic(&rs->ids, &rule->id, rule, XA_LIMIT(1, U32_MAX),
			      next_id, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		return err;
	*pos = index == NFHOOK_INDEX_APPEND ? count : index;
	return 0;
}

void nfhook_ruleset_unreserve(struct nfhook_ruleset *rs,
			      struct nfhook_rule *rule)
{
	xa_erase(&rs->ids, rule->id);
}

int nfhook_ruleset_publish(struct nfhook_ruleset *rs, struct nfhook_rule *rule,
			   u32 index)
{
	int err;

	err = nfhook_table_insert(nfhook_ruleset_table_of(rs, rule), rule,
				  index);
	if (err) {
		nfhook_ruleset_unreserve(rs, rule);
		return err;
	}
	rs->nrules++;
	return 0;
}

void nfhook_ruleset_unlink(struct nfhook_ruleset *rs, struct nfhook_rule *rule)
{
	nfhook_table_remove(nfhook_ruleset_table_of(rs, rule), rule);
	xa_erase(&rs->ids, rule->id);
	rs->nrules--;
	nfhook_rule_free_rcu(rule);
}

void nfhook_ruleset_flush_table(struct nfhook_ruleset *rs, int fidx,
				int hooknum)
{
	struct nfhook_table *t = &rs->tables[fidx][hooknum];
	struct nfhook_rule *rule;

	for (rule = nfhook_table_first(t); rule;
	     rule = nfhook_table_next(t, rule))
		xa_erase(&rs->ids, rule->id);
	rs->nrules -= nfhook_table_count(t);
	nfhook_table_flush(t);
}

struct nfhook_rule *nfhook_ruleset_resume(struct nfhook_ruleset *rs, int fidx,
					  int hooknum, u32 last_id, u32 pos)
{
	struct nfhook_table *t = &rs->tables[fidx][hooknum];
	struct nfhook_rule *rule;

	if (last_id) {
		rule = xa_load(&rs->ids, last_id);
		if (rule && rule->hook == hooknum &&
		    nfhook_family_index(rule->match.family) == fidx)
			return nfhook_table_next(t, rule);
	}
	return nfhook_table_at(t, pos);
}
