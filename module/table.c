// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the rule table of one (family, hook).
 *
 * A linear list in evaluation order, read under RCU by the packet path and
 * changed by writers serialised by nfhook_net.lock.  Everything outside
 * this file goes through the nfhook_table_* interface, so that a classifier
 * can replace the walk without touching the hook or netlink code.
 */

#include <linux/errno.h>
#include <linux/rculist.h>

#include "nfhook.h"

void nfhook_table_init(struct nfhook_table *t)
{
	INIT_LIST_HEAD(&t->rules);
	t->count = 0;
	t->l4_rules = 0;
}

static bool nfhook_rule_reads_l4(const struct nfhook_rule *rule)
{
	return rule->match.fields & NFHOOK_MATCH_L4_FIELDS;
}

int nfhook_table_insert(struct nfhook_table *t, struct nfhook_rule *rule,
			u32 index)
{
	struct nfhook_rule *pos;

	if (index == NFHOOK_INDEX_APPEND || index == t->count) {
		list_add_tail_rcu(&rule->list, &t->rules);
	} else {
		pos = nfhook_table_at(t, index);
		if (!pos)
			return -ERANGE;
		/* Before the rule now at @index, which moves one place down. */
		list_add_tail_rcu(&rule->list, &pos->list);
	}
	WRITE_ONCE(t->count, t->count + 1);
	if (nfhook_rule_reads_l4(rule))
		WRITE_ONCE(t->l4_rules, t->l4_rules + 1);
	return 0;
}

void nfhook_table_remove(struct nfhook_table *t, struct nfhook_rule *rule)
{
	list_del_rcu(&rule->list);
	WRITE_ONCE(t->count, t->count - 1);
	if (nfhook_rule_reads_l4(rule))
		WRITE_ONCE(t->l4_rules, t->l4_rules - 1);
}

void nfhook_table_flush(struct nfhook_table *t)
{
	struct nfhook_rule *rule, *next;

	list_for_each_entry_safe(rule, next, &t->rules, list) {
		list_del_rcu(&rule->list);
		nfhook_rule_free_rcu(rule);
	}
	WRITE_ONCE(t->count, 0);
	WRITE_ONCE(t->l4_rules, 0);
}

struct nfhook_rule *nfhook_table_first(struct nfhook_table *t)
{
	return list_first_entry_or_null(&t->rules, struct nfhook_rule, list);
}

struct nfhook_rule *nfhook_table_next(struct nfhook_table *t,
				      struct nfhook_rule *rule)
{
	if (list_is_last(&rule->list, &t->rules))
		return NULL;
	return list_next_entry(rule, list);
}

struct nfhook_rule *nfhook_table_at(struct nfhook_table *t, u32 index)
{
	struct nfhook_rule *rule;

	if (index >= t->count)
		return NULL;
	list_for_each_entry(rule, &t->rules, list) {
		if (!index--)
			break;
	}
	return rule;
}

u32 nfhook_table_index(const struct nfhook_table *t,
		       const struct nfhook_rule *rule)
{
	const struct nfhook_rule *pos;
	u32 index = 0;

	list_for_each_entry(pos, &t->rules, list) {
		if (pos == rule)
			break;
		index++;
	}
	return index;
}

size_t nfhook_table_bytes(const struct nfhook_table *t)
{
	return t->count * sizeof(struct nfhook_rule);
}

u8 nfhook_table_eval(const struct nfhook_table *t,
		     const struct nfhook_pkt *pkt, unsigned int len)
{
	struct nfhook_rule *rule;

	list_for_each_entry_rcu(rule, &t->rules, list) {
		if (!nfhook_match(&rule->match, pkt))
			continue;
		nfhook_rule_count(rule, len);
		if (rule->action != NFHOOK_ACTION_COUNT)
			return rule->action;
	}
	return NFHOOK_ACTION_UNSPEC;
}
