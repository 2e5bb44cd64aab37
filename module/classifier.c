// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: a packet classifier with exact first-match semantics.
 *
 * Tuple-space search (the idea of Srinivasan et al., as in Open vSwitch's
 * classifier), keyed on the rules' mask shapes.  Each rule is expanded into
 * a few entries: the fields it matches exactly or by prefix, with their
 * prefix lengths (its shape), and the masked values (its key).  Port ranges
 * become the prefixes covering them, up to NFHOOK_CLS_EXPAND_MAX entries
 * per rule; length ranges, and port ranges needing more prefixes than that,
 * stay out of the key.  Rules of one shape share a hash table ("tuple").
 *
 * A packet is hashed once per tuple under that tuple's masks.  Every rule
 * found in the bucket with the same hash is a candidate, and a candidate
 * matches only if nfhook_match() says so: the key only narrows down where
 * to look, the decision is always the reference matcher's, so anything the
 * key leaves out (length ranges, wide port ranges, l4_valid, fragments) is
 * still honoured.  Within a bucket items are sorted by the rule's order key
 * (struct nfhook_rule.order, increasing in evaluation order), so the first
 * candidate that matches is the tuple's first match.
 *
 * Final rules (accept, drop) and count rules live in separate tuple sets.
 * A lookup first finds the final rule with the lowest order among all final
 * tuples (each bucket scan stops at the best order found so far), then
 * counts every matching count rule ordered before it.  That is exactly what
 * the linear walk counts and decides, in a time that depends on the number
 * of shapes and on the bucket lengths, not on the number of rules.
 *
 * Updates: a bucket is an immutable array, replaced as a whole (copy on
 * write) and freed after a grace period; a tuple's table grows by building
 * a new one from new bucket arrays and publishing it with one pointer; a
 * new tuple is published once complete.  Readers thus see each bucket
 * either before or after a change, never half of one.  A rule's entries are
 * disjoint (a packet falls in at most one prefix of a range), so a rule is
 * found at most once per lookup even while it is being added or removed.
 *
 * Writers are serialised by the caller (nfhook_net.lock); readers hold the
 * RCU read lock.  Everything is allocated with GFP_KERNEL_ACCOUNT and freed
 * through call_rcu(), so module exit's rcu_barrier() waits for it.
 */

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "classifier_int.h"

/* Tuples ********************************************************************/

static struct nfhook_cls_tuple *
cls_tuple_find(const struct nfhook_cls_vec *vec,
	       const struct nfhook_cls_shape *shape)
{
	struct nfhook_cls_tuple *tp;
	u32 i;

	for (i = 0; i < vec->n; i++) {
		tp = cls_deref(vec->t[i]);
		if (tp && !memcmp(&tp->shape, shape, sizeof(*shape)))
			return tp;
	}
	return NULL;
}

/* Publishes the complete tuple @tp in set @s. */
static int cls_tuple_publish(struct nfhook_cls *cls, unsigned int s,
			     struct nfhook_cls_tuple *tp)
{
	struct nfhook_cls_vec *vec = cls_deref(cls->set[s]), *bigger;
	u32 i;

	for (i = 0; i < vec->n; i++) {
		if (!rcu_access_pointer(vec->t[i])) {
			rcu_assign_pointer(vec->t[i], tp);
			cls->ntuples++;
			return 0;
		}
	}
	if (vec->n == vec->size) {
		bigger = nfhook_cls_vec_alloc(cls, vec->size * 2);
		if (!bigger)
			return -ENOMEM;
		for (i = 0; i < vec->n; i++)
			RCU_INIT_POINTER(bigger->t[i], cls_deref(vec->t[i]));
		bigger->n = vec->n;
		rcu_assign_pointer(cls->set[s], bigger);
		cls->bytes -= nfhook_cls_vec_size(vec->size);
		call_rcu(&vec->rcu, nfhook_cls_vec_free_cb);
		vec = bigger;
	}
	rcu_assign_pointer(vec->t[vec->n], tp);
	/* Readers skip a NULL slot, so the order of these two is free. */
	WRITE_ONCE(vec->n, vec->n + 1);
	cls->ntuples++;
	return 0;
}

/* Unpublishes the empty tuple @tp of set @s and frees it after RCU. */
static void cls_tuple_unpublish(struct nfhook_cls *cls, unsigned int s,
				struct nfhook_cls_tuple *tp)
{
	struct nfhook_cls_vec *vec = cls_deref(cls->set[s]);
	struct nfhook_cls_htab *ht = cls_deref(tp->ht);
	u32 i;

	for (i = 0; i < vec->n; i++) {
		if (rcu_access_pointer(vec->t[i]) == tp) {
			RCU_INIT_POINTER(vec->t[i], NULL);
			break;
		}
	}
	cls->ntuples--;
	cls->nslots -= ht->mask + 1;
	cls->bytes -= nfhook_cls_htab_size(ht->mask + 1) + sizeof(*tp);
	call_rcu(&tp->rcu, nfhook_cls_tuple_free_cb);
}

/*
 * Doubles @tp's hash table: the items of old slot i go to new slots i and
 * i + old size, keeping their order.
 */
static int cls_tuple_grow(struct nfhook_cls *cls, struct nfhook_cls_tuple *tp)
{
	struct nfhook_cls_htab *old = cls_deref(tp->ht), *ht;
	u32 oslots = old->mask + 1, i, j, n[2];
	struct nfhook_cls_bucket *b, *nb[2];
	unsigned int half;

	if (oslots > U32_MAX / 2)
		return 0;
	ht = nfhook_cls_htab_alloc(cls, oslots * 2);
	if (!ht)
		return -ENOMEM;
	for (i = 0; i < oslots; i++) {
		b = cls_deref(old->b[i]);
		if (!b)
			continue;
		n[0] = 0;
		n[1] = 0;
		for (j = 0; j < b->n; j++)
			n[!!(b->item[j].hash & oslots)]++;
		for (half = 0; half < 2; half++) {
			nb[half] = NULL;
			if (!n[half])
				continue;
			nb[half] = nfhook_cls_bucket_alloc(cls, n[half]);
			if (!nb[half])
				goto err;
			nb[half]->n = 0;
			RCU_INIT_POINTER(ht->b[i + half * oslots], nb[half]);
		}
		for (j = 0; j < b->n; j++) {
			half = !!(b->item[j].hash & oslots);
			nb[half]->item[nb[half]->n++] = b->item[j];
		}
	}

	rcu_assign_pointer(tp->ht, ht);
	for (i = 0; i < oslots; i++) {
		b = cls_deref(old->b[i]);
		if (b)
			cls->bytes -= nfhook_cls_bucket_size(b->n);
	}
	cls->bytes -= nfhook_cls_htab_size(oslots);
	cls->nslots -= oslots;
	call_rcu(&old->rcu, nfhook_cls_htab_free_cb);
	return 0;

err:
	for (i = 0; i < oslots * 2; i++) {
		b = cls_deref(ht->b[i]);
		if (b)
			cls->bytes -= nfhook_cls_bucket_size(b->n);
	}
	cls->bytes -= nfhook_cls_htab_size(oslots * 2);
	cls->nslots -= oslots * 2;
	nfhook_cls_htab_destroy(ht);
	return -ENOMEM;
}

/* Adds @rule's entry with key @k and hash @hash to @tp (copy on write). */
static int cls_tuple_add(struct nfhook_cls *cls, struct nfhook_cls_tuple *tp,
			 struct nfhook_rule *rule, u32 hash)
{
	struct nfhook_cls_htab *ht = cls_deref(tp->ht);
	struct nfhook_cls_bucket *b, *nb;
	u32 slot = hash & ht->mask;
	u32 n, pos;

	b = cls_deref(ht->b[slot]);
	n = b ? b->n : 0;
	nb = nfhook_cls_bucket_alloc(cls, n + 1);
	if (!nb)
		return -ENOMEM;
	for (pos = 0; pos < n && b->item[pos].order < rule->order; pos++)
		nb->item[pos] = b->item[pos];
	nb->item[pos].order = rule->order;
	nb->item[pos].rule = rule;
	nb->item[pos].hash = hash;
	if (n > pos)
		memcpy(&nb->item[pos + 1], &b->item[pos],
		       (n - pos) * sizeof(nb->item[0]));
	nb->n = n + 1;
	rcu_assign_pointer(ht->b[slot], nb);
	nfhook_cls_bucket_retire(cls, b);
	tp->nitems++;
	cls->nitems++;
	return 0;
}

/* Removes @rule's entry with hash @hash from @tp (copy on write). */
static int cls_tuple_del(struct nfhook_cls *cls, struct nfhook_cls_tuple *tp,
			 const struct nfhook_rule *rule, u32 hash)
{
	struct nfhook_cls_htab *ht = cls_deref(tp->ht);
	struct nfhook_cls_bucket *b, *nb = NULL;
	u32 slot = hash & ht->mask;
	u32 pos;

	b = cls_deref(ht->b[slot]);
	if (WARN_ON_ONCE(!b))
		return -ENOENT;
	for (pos = 0; pos < b->n && b->item[pos].rule != rule; pos++)
		;
	if (WARN_ON_ONCE(pos == b->n))
		return -ENOENT;
	if (b->n > 1) {
		nb = nfhook_cls_bucket_alloc(cls, b->n - 1);
		if (!nb)
			return -ENOMEM;
		memcpy(nb->item, b->item, pos * sizeof(nb->item[0]));
		memcpy(&nb->item[pos], &b->item[pos + 1],
		       (b->n - pos - 1) * sizeof(nb->item[0]));
		nb->n = b->n - 1;
	}
	rcu_assign_pointer(ht->b[slot], nb);
	nfhook_cls_bucket_retire(cls, b);
	tp->nitems--;
	cls->nitems--;
	return 0;
}

/* Writers ******************************************************************/

int nfhook_cls_insert(struct nfhook_cls *cls, struct nfhook_rule *rule)
{
	struct nfhook_cls_entry e[NFHOOK_CLS_EXPAND_MAX];
	unsigned int s = nfhook_cls_set_of(rule), n, i;
	struct nfhook_cls_tuple *tp;
	struct nfhook_cls_key k;
	bool fresh;
	u32 hash;
	int err;

	n = nfhook_cls_expand(&rule->match, e);
	for (i = 0; i < n; i++) {
		nfhook_cls_rule_key(&k, &rule->match, &e[i]);
		tp = cls_tuple_find(cls_deref(cls->set[s]), &e[i].shape);
		fresh = !tp;
		if (fresh) {
			tp = nfhook_cls_tuple_alloc(cls, &e[i].shape,
						    NFHOOK_CLS_MIN_SLOTS);
			if (!tp)
				return -ENOMEM;
		} else if (tp->nitems > cls_deref(tp->ht)->mask) {
			err = cls_tuple_grow(cls, tp);
			if (err)
				return err;
		}
		if (WARN_ON_ONCE(!nfhook_cls_hash(tp, &k, cls->seed, &hash)))
			err = -EINVAL;
		else
			err = cls_tuple_add(cls, tp, rule, hash);
		if (!err && fresh)
			err = cls_tuple_publish(cls, s, tp);
		if (err) {
			if (fresh) {
				if (tp->nitems) {
					tp->nitems--;
					cls->nitems--;
				}
				nfhook_cls_tuple_free(cls, tp);
			}
			return err;
		}
	}
	return 0;
}

int nfhook_cls_remove(struct nfhook_cls *cls, struct nfhook_rule *rule)
{
	struct nfhook_cls_entry e[NFHOOK_CLS_EXPAND_MAX];
	unsigned int s = nfhook_cls_set_of(rule), n, i;
	struct nfhook_cls_tuple *tp;
	struct nfhook_cls_key k;
	u32 hash;
	int err;

	n = nfhook_cls_expand(&rule->match, e);
	for (i = 0; i < n; i++) {
		nfhook_cls_rule_key(&k, &rule->match, &e[i]);
		tp = cls_tuple_find(cls_deref(cls->set[s]), &e[i].shape);
		if (WARN_ON_ONCE(!tp) ||
		    WARN_ON_ONCE(!nfhook_cls_hash(tp, &k, cls->seed, &hash)))
			return -ENOENT;
		err = cls_tuple_del(cls, tp, rule, hash);
		if (err)
			return err;
		if (!tp->nitems)
			cls_tuple_unpublish(cls, s, tp);
	}
	return 0;
}

/*
 * Bulk build, in three passes over the rules: the shapes and how many
 * entries each gets (so every hash table has its final size), then how
 * many items each bucket gets, then the items, in rule order, so that each
 * bucket comes out sorted without moving anything.
 */
struct nfhook_cls *nfhook_cls_build(struct list_head *rules)
{
	struct nfhook_cls_entry e[NFHOOK_CLS_EXPAND_MAX];
	struct nfhook_cls_tuple *tp;
	struct nfhook_cls_bucket *b;
	struct nfhook_cls_htab *ht;
	struct nfhook_cls_vec *vec;
	struct nfhook_rule *rule;
	struct nfhook_cls_key k;
	unsigned int pass, s, n, i;
	struct nfhook_cls *cls;
	u32 hash, slots, j;

	cls = nfhook_cls_alloc();
	if (!cls)
		return NULL;

	list_for_each_entry(rule, rules, list) {
		s = nfhook_cls_set_of(rule);
		n = nfhook_cls_expand(&rule->match, e);
		for (i = 0; i < n; i++) {
			tp = cls_tuple_find(cls_deref(cls->set[s]),
					    &e[i].shape);
			if (!tp) {
				tp = nfhook_cls_tuple_alloc(cls, &e[i].shape, 0);
				if (!tp)
					goto err;
				if (cls_tuple_publish(cls, s, tp)) {
					nfhook_cls_tuple_free(cls, tp);
					goto err;
				}
			}
			tp->nitems++;
			cls->nitems++;
		}
	}

	for (s = 0; s < NFHOOK_CLS_NSETS; s++) {
		vec = cls_deref(cls->set[s]);
		for (j = 0; j < vec->n; j++) {
			tp = cls_deref(vec->t[j]);
			slots = roundup_pow_of_two(max_t(u32, tp->nitems,
							 NFHOOK_CLS_MIN_SLOTS));
			ht = nfhook_cls_htab_alloc(cls, slots);
			if (!ht)
				goto err;
			RCU_INIT_POINTER(tp->ht, ht);
			tp->fill = kvcalloc(slots, sizeof(*tp->fill),
					    GFP_KERNEL_ACCOUNT);
			if (!tp->fill)
				goto err;
		}
	}

	for (pass = 0; pass < 2; pass++) {
		list_for_each_entry(rule, rules, list) {
			s = nfhook_cls_set_of(rule);
			n = nfhook_cls_expand(&rule->match, e);
			for (i = 0; i < n; i++) {
				nfhook_cls_rule_key(&k, &rule->match, &e[i]);
				tp = cls_tuple_find(cls_deref(cls->set[s]),
						    &e[i].shape);
				if (WARN_ON_ONCE(!tp) ||
				    WARN_ON_ONCE(!nfhook_cls_hash(tp, &k,
								  cls->seed,
								  &hash)))
					goto err;
				ht = cls_deref(tp->ht);
				if (!pass) {
					tp->fill[hash & ht->mask]++;
					continue;
				}
				b = cls_deref(ht->b[hash & ht->mask]);
				b->item[b->n].order = rule->order;
				b->item[b->n].rule = rule;
				b->item[b->n].hash = hash;
				b->n++;
			}
		}
		if (pass)
			break;
		/* Buckets of the counted sizes, filled by the next pass. */
		for (s = 0; s < NFHOOK_CLS_NSETS; s++) {
			vec = cls_deref(cls->set[s]);
			for (j = 0; j < vec->n; j++) {
				tp = cls_deref(vec->t[j]);
				ht = cls_deref(tp->ht);
				for (i = 0; i <= ht->mask; i++) {
					if (!tp->fill[i])
						continue;
					b = nfhook_cls_bucket_alloc(cls, tp->fill[i]);
					if (!b)
						goto err;
					b->n = 0;
					RCU_INIT_POINTER(ht->b[i], b);
				}
				kvfree(tp->fill);
				tp->fill = NULL;
			}
		}
	}
	return cls;

err:
	nfhook_cls_destroy(cls);
	return NULL;
}

/* Readers ******************************************************************/

u8 nfhook_cls_eval(const struct nfhook_cls *cls, const struct nfhook_pkt *pkt,
		   unsigned int len)
{
	const struct nfhook_cls_bucket *b;
	const struct nfhook_cls_tuple *tp;
	const struct nfhook_cls_htab *ht;
	const struct nfhook_cls_vec *vec;
	const struct nfhook_cls_item *it;
	struct nfhook_rule *best = NULL;
	struct nfhook_cls_key k;
	u64 limit = U64_MAX;
	u32 i, j, n, hash;

	nfhook_cls_pkt_key(&k, pkt);

	/* The final rule with the lowest order that matches. */
	vec = rcu_dereference(cls->set[NFHOOK_CLS_FINAL]);
	n = READ_ONCE(vec->n);
	for (i = 0; i < n; i++) {
		tp = rcu_dereference(vec->t[i]);
		if (!tp || !nfhook_cls_hash(tp, &k, cls->seed, &hash))
			continue;
		ht = rcu_dereference(tp->ht);
		b = rcu_dereference(ht->b[hash & ht->mask]);
		if (!b)
			continue;
		for (j = 0; j < b->n; j++) {
			it = &b->item[j];
			if (it->order >= limit)
				break;
			if (it->hash != hash ||
			    !nfhook_match(&it->rule->match, pkt))
				continue;
			best = it->rule;
			limit = it->order;
			break;
		}
	}

	/* Every count rule before it that matches. */
	vec = rcu_dereference(cls->set[NFHOOK_CLS_COUNT]);
	n = READ_ONCE(vec->n);
	for (i = 0; i < n; i++) {
		tp = rcu_dereference(vec->t[i]);
		if (!tp || !nfhook_cls_hash(tp, &k, cls->seed, &hash))
			continue;
		ht = rcu_dereference(tp->ht);
		b = rcu_dereference(ht->b[hash & ht->mask]);
		if (!b)
			continue;
		for (j = 0; j < b->n; j++) {
			it = &b->item[j];
			if (it->order >= limit)
				break;
			if (it->hash == hash &&
			    nfhook_match(&it->rule->match, pkt))
				nfhook_rule_count(it->rule, len);
		}
	}

	if (!best)
		return NFHOOK_ACTION_UNSPEC;
	nfhook_rule_count(best, len);
	return best->action;
}

size_t nfhook_cls_bytes(const struct nfhook_cls *cls)
{
	return cls ? cls->bytes : 0;
}

unsigned int nfhook_cls_shapes(const struct nfhook_cls *cls)
{
	return cls ? cls->ntuples : 0;
}

/* Whether deletions left the hash tables four times emptier than needed. */
bool nfhook_cls_sparse(const struct nfhook_cls *cls)
{
	return cls->nslots > 4 * cls->nitems + 64;
}
