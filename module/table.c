// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the rule table of one (family, hook).
 *
 * The rules are a list in evaluation order, read under RCU and changed by
 * writers serialised by nfhook_net.lock.  A table of more than
 * NFHOOK_CLS_LINEAR_MAX rules also has a classifier (classifier.c), which
 * the packet path uses instead of walking the list; a small table is
 * walked, which is faster than any lookup structure for a few rules.
 * Everything outside this file goes through the nfhook_table_* interface.
 *
 * Order keys: every rule carries a u64 order, strictly increasing along the
 * list, which the classifier compares to find the first match.  A rule
 * appended gets the last one's plus NFHOOK_ORDER_GAP, a rule inserted gets
 * the middle of its neighbours', so no other rule's key changes.  Only when
 * two neighbours' keys are adjacent (about 32 insertions at one place) are
 * all keys renumbered, and then the classifier is rebuilt and swapped in
 * whole: a reader never compares keys of two numberings.
 *
 * Positions: writers find the rule at an index, and the index of a rule,
 * in an array of the rules in order (t->pos), the latter by a binary
 * search on the order keys; an insert or delete moves the pointers behind
 * it (8 bytes a rule).  Readers never look at it.
 *
 * Neither the classifier nor the array makes an update fail: if one cannot
 * get memory, the table drops it (readers walk the list, writers walk it
 * too) until the next update manages to rebuild it.
 */

#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "classifier.h"
#include "nfhook.h"

/* Writers are serialised by the caller, which holds nfhook_net.lock. */
#define table_cls(t)	rcu_dereference_protected((t)->cls, true)

void nfhook_table_init(struct nfhook_table *t)
{
	INIT_LIST_HEAD(&t->rules);
	t->count = 0;
	t->l4_rules = 0;
	t->bulk = false;
	RCU_INIT_POINTER(t->cls, NULL);
	t->pos = NULL;
	t->pos_size = 0;
	t->ctrs = NULL;
}

static void nfhook_table_pos_drop(struct nfhook_table *t)
{
	kvfree(t->pos);
	t->pos = NULL;
	t->pos_size = 0;
}

/* A new position array from the list, big enough for one more rule. */
static void nfhook_table_pos_rebuild(struct nfhook_table *t)
{
	u32 size = roundup_pow_of_two(max(t->count + 1, 16U)), i = 0;
	struct nfhook_rule *rule;

	nfhook_table_pos_drop(t);
	t->pos = kvmalloc_array(size, sizeof(*t->pos), GFP_KERNEL_ACCOUNT);
	if (!t->pos)
		return;
	t->pos_size = size;
	list_for_each_entry(rule, &t->rules, list)
		t->pos[i++] = rule;
}

/* @rule, now in the list (and counted), at @index of the array. */
static void nfhook_table_pos_insert(struct nfhook_table *t,
				    struct nfhook_rule *rule, u32 index)
{
	struct nfhook_rule **pos;

	if (t->pos && t->count > t->pos_size) {
		pos = kvmalloc_array(t->pos_size * 2, sizeof(*pos),
				     GFP_KERNEL_ACCOUNT);
		if (pos) {
			memcpy(pos, t->pos, t->pos_size * sizeof(*pos));
			kvfree(t->pos);
			t->pos = pos;
			t->pos_size *= 2;
		} else {
			nfhook_table_pos_drop(t);
		}
	}
	if (!t->pos) {
		nfhook_table_pos_rebuild(t);
		return;
	}
	memmove(&t->pos[index + 1], &t->pos[index],
		(t->count - 1 - index) * sizeof(*t->pos));
	t->pos[index] = rule;
}

/* Unpublishes @t's classifier (readers walk the list) and frees it later. */
static void nfhook_table_drop_cls(struct nfhook_table *t)
{
	struct nfhook_cls *cls = table_cls(t);

	if (!cls)
		return;
	RCU_INIT_POINTER(t->cls, NULL);
	nfhook_cls_retire(cls);
}

/* Builds a classifier for all of @t's rules and swaps it in. */
static int nfhook_table_rebuild(struct nfhook_table *t)
{
	struct nfhook_cls *cls, *old = table_cls(t);

	cls = nfhook_cls_build(&t->rules);
	rcu_assign_pointer(t->cls, cls);
	nfhook_cls_retire(old);
	return cls ? 0 : -ENOMEM;
}

/* Whether @t should have a classifier and has none. */
static bool nfhook_table_wants_cls(const struct nfhook_table *t)
{
	return !t->bulk && t->count > NFHOOK_CLS_LINEAR_MAX &&
	       !rcu_access_pointer(t->cls);
}

void nfhook_table_bulk_begin(struct nfhook_table *t)
{
	t->bulk = true;
	nfhook_table_drop_cls(t);
}

int nfhook_table_bulk_end(struct nfhook_table *t)
{
	t->bulk = false;
	if (!nfhook_table_wants_cls(t))
		return 0;
	return nfhook_table_rebuild(t);
}

/* Gives the rules of @t keys NFHOOK_ORDER_GAP apart, in list order. */
static void nfhook_table_renumber(struct nfhook_table *t)
{
	struct nfhook_rule *rule;
	u64 order = NFHOOK_ORDER_FIRST;

	list_for_each_entry(rule, &t->rules, list) {
		rule->order = order;
		order += NFHOOK_ORDER_GAP;
	}
}

/*
 * A key strictly between @prev's and @next's (either NULL at an end of the
 * list) into *@order; false if there is none.
 */
static bool nfhook_order_between(const struct nfhook_rule *prev,
				 const struct nfhook_rule *next, u64 *order)
{
	u64 lo, hi;

	if (!prev && !next) {
		*order = NFHOOK_ORDER_FIRST;
		return true;
	}
	if (!next) {
		if (prev->order > U64_MAX - NFHOOK_ORDER_GAP)
			return false;
		*order = prev->order + NFHOOK_ORDER_GAP;
		return true;
	}
	if (!prev && next->order > NFHOOK_ORDER_GAP) {
		*order = next->order - NFHOOK_ORDER_GAP;
		return true;
	}
	lo = prev ? prev->order : 0;
	hi = next->order;
	if (hi - lo < 2)
		return false;
	*order = lo + (hi - lo) / 2;
	return true;
}

static bool nfhook_rule_reads_l4(const struct nfhook_rule *rule)
{
	return rule->match.fields & NFHOOK_MATCH_L4_FIELDS;
}

/* The packet path reads the count (empty tables) and l4_rules locklessly. */
static void nfhook_table_counted(struct nfhook_table *t,
				 const struct nfhook_rule *rule, int delta)
{
	WRITE_ONCE(t->count, t->count + delta);
	if (nfhook_rule_reads_l4(rule))
		WRITE_ONCE(t->l4_rules, t->l4_rules + delta);
}

int nfhook_table_insert(struct nfhook_table *t, struct nfhook_rule *rule,
			u32 index)
{
	struct nfhook_rule *prev, *next = NULL;
	struct nfhook_cls *cls;
	bool keyed;

	if (index == NFHOOK_INDEX_APPEND)
		index = t->count;
	if (index != t->count) {
		next = nfhook_table_at(t, index);
		if (!next)
			return -ERANGE;
		prev = index ? list_prev_entry(next, list) : NULL;
	} else {
		prev = list_last_entry(&t->rules, struct nfhook_rule, list);
		if (!t->count)
			prev = NULL;
	}
	if (nfhook_ctrs_attach(&t->ctrs, rule))
		return -ENOMEM;
	keyed = nfhook_order_between(prev, next, &rule->order);

	/* Before the rule now at @index, which moves one place down. */
	list_add_tail_rcu(&rule->list, next ? &next->list : &t->rules);
	nfhook_table_counted(t, rule, 1);
	nfhook_table_pos_insert(t, rule, index);

	if (!keyed) {
		nfhook_table_renumber(t);
		if (table_cls(t))
			nfhook_table_rebuild(t);
	}
	cls = table_cls(t);
	if (cls && keyed && nfhook_cls_insert(cls, rule))
		nfhook_table_drop_cls(t);
	if (nfhook_table_wants_cls(t))
		nfhook_table_rebuild(t);
	return 0;
}

void nfhook_table_remove(struct nfhook_table *t, struct nfhook_rule *rule)
{
	struct nfhook_cls *cls = table_cls(t);
	u32 index;

	if (t->pos) {
		index = nfhook_table_index(t, rule);
		memmove(&t->pos[index], &t->pos[index + 1],
			(t->count - 1 - index) * sizeof(*t->pos));
	}
	list_del_rcu(&rule->list);
	nfhook_table_counted(t, rule, -1);
	if (!cls) {
		if (nfhook_table_wants_cls(t))
			nfhook_table_rebuild(t);
		return;
	}
	if (t->count <= NFHOOK_CLS_LINEAR_MAX / 2 ||
	    nfhook_cls_remove(cls, rule))
		nfhook_table_drop_cls(t);
	else if (nfhook_cls_sparse(cls))
		nfhook_table_rebuild(t);
	/* After a failure, the next update tries to rebuild. */
}

/* Frees the rules from @first to @end (not included) now; how many. */
static u32 nfhook_table_free_rules(struct list_head *first,
				   const struct list_head *end)
{
	struct list_head *pos, *next;
	u32 n = 0;

	for (pos = first; pos != end; pos = next) {
		next = pos->next;
		kfree(list_entry(pos, struct nfhook_rule, list));
		n++;
	}
	return n;
}

/* A flushed table's rules, classifier and counters, after a grace period. */
static void nfhook_table_flushed_cb(struct rcu_head *head)
{
	struct nfhook_ctrs *ctrs = container_of(head, struct nfhook_ctrs, rcu);
	u32 n;

	if (ctrs->cls)
		nfhook_cls_destroy(ctrs->cls);
	n = nfhook_table_free_rules(ctrs->first, ctrs->end);
	WARN_ON_ONCE(n != ctrs->nrules);
	nfhook_ctrs_release(ctrs, n);
}

/*
 * The rules stay linked to each other, the last one to the table's head:
 * a reader still walking them ends there as before, while the head itself
 * is emptied for new readers (which is all list_del_rcu() of every rule
 * would do).  No writer relinks them; after a grace period one callback
 * frees them with their classifier and counter blocks.
 */
void nfhook_table_flush(struct nfhook_table *t)
{
	struct nfhook_cls *cls = table_cls(t);
	struct nfhook_ctrs *ctrs = t->ctrs;

	nfhook_table_pos_drop(t);
	RCU_INIT_POINTER(t->cls, NULL);
	if (list_empty(&t->rules)) {
		nfhook_cls_retire(cls);
		return;
	}
	ctrs->first = t->rules.next;
	ctrs->end = &t->rules;
	ctrs->cls = cls;
	ctrs->nrules = t->count;
	INIT_LIST_HEAD_RCU(&t->rules);
	t->ctrs = NULL;
	WRITE_ONCE(t->count, 0);
	WRITE_ONCE(t->l4_rules, 0);
	call_rcu(&ctrs->rcu, nfhook_table_flushed_cb);
}

void nfhook_table_destroy(struct nfhook_table *t)
{
	struct nfhook_cls *cls = table_cls(t);
	u32 n;

	nfhook_table_pos_drop(t);
	if (cls)
		nfhook_cls_destroy(cls);
	RCU_INIT_POINTER(t->cls, NULL);
	n = nfhook_table_free_rules(t->rules.next, &t->rules);
	nfhook_ctrs_release(t->ctrs, n);
	t->ctrs = NULL;
	INIT_LIST_HEAD(&t->rules);
	t->count = 0;
	t->l4_rules = 0;
}

size_t nfhook_table_bytes(const struct nfhook_table *t)
{
	return nfhook_cls_bytes(rcu_dereference_protected(t->cls, true)) +
	       (size_t)t->pos_size * sizeof(*t->pos) +
	       (size_t)t->count * sizeof(struct nfhook_rule) +
	       nfhook_ctrs_bytes(t->ctrs);
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
	if (t->pos)
		return t->pos[index];
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
	u32 index = 0, lo, hi;

	if (t->pos) {
		/* The order keys increase along the array. */
		lo = 0;
		hi = t->count;
		while (lo < hi) {
			index = lo + (hi - lo) / 2;
			if (t->pos[index]->order < rule->order)
				lo = index + 1;
			else
				hi = index;
		}
		return lo;
	}
	list_for_each_entry(pos, &t->rules, list) {
		if (pos == rule)
			break;
		index++;
	}
	return index;
}

/* The reference: every rule in order.  Also what small tables use. */
u8 nfhook_table_eval_linear(const struct nfhook_table *t,
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

u8 nfhook_table_eval(const struct nfhook_table *t,
		     const struct nfhook_pkt *pkt, unsigned int len)
{
	const struct nfhook_cls *cls = rcu_dereference(t->cls);

	if (cls)
		return nfhook_cls_eval(cls, pkt, len);
	return nfhook_table_eval_linear(t, pkt, len);
}
