// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the classifier's memory: buckets, hash tables, tuples and tuple
 * vectors, allocated with GFP_KERNEL_ACCOUNT and freed after a grace period
 * (call_rcu(), so that module exit's rcu_barrier() waits for them).
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

/* Allocation and freeing ****************************************************/

size_t nfhook_cls_bucket_size(u32 n)
{
	return struct_size((struct nfhook_cls_bucket *)NULL, item, n);
}

size_t nfhook_cls_htab_size(u32 slots)
{
	return struct_size((struct nfhook_cls_htab *)NULL, b, slots);
}

size_t nfhook_cls_vec_size(u32 size)
{
	return struct_size((struct nfhook_cls_vec *)NULL, t, size);
}

struct nfhook_cls_bucket *nfhook_cls_bucket_alloc(struct nfhook_cls *cls,
						  u32 n)
{
	struct nfhook_cls_bucket *b;

	b = kvmalloc(nfhook_cls_bucket_size(n), GFP_KERNEL_ACCOUNT);
	if (b)
		cls->bytes += nfhook_cls_bucket_size(n);
	return b;
}

struct nfhook_cls_htab *nfhook_cls_htab_alloc(struct nfhook_cls *cls,
					      u32 slots)
{
	struct nfhook_cls_htab *ht;

	ht = kvzalloc(nfhook_cls_htab_size(slots), GFP_KERNEL_ACCOUNT);
	if (!ht)
		return NULL;
	ht->mask = slots - 1;
	cls->bytes += nfhook_cls_htab_size(slots);
	cls->nslots += slots;
	return ht;
}

/* Frees @ht and its buckets now; nobody can see them any more. */
void nfhook_cls_htab_destroy(struct nfhook_cls_htab *ht)
{
	u32 i;

	if (!ht)
		return;
	for (i = 0; i <= ht->mask; i++)
		kvfree(rcu_dereference_protected(ht->b[i], true));
	kvfree(ht);
}

static void cls_tuple_destroy(struct nfhook_cls_tuple *tp)
{
	nfhook_cls_htab_destroy(rcu_dereference_protected(tp->ht, true));
	kvfree(tp->fill);
	kfree(tp);
}

void nfhook_cls_destroy(struct nfhook_cls *cls)
{
	struct nfhook_cls_vec *vec;
	unsigned int s;
	u32 i;

	for (s = 0; s < NFHOOK_CLS_NSETS; s++) {
		vec = rcu_dereference_protected(cls->set[s], true);
		if (!vec)
			continue;
		for (i = 0; i < vec->n; i++) {
			struct nfhook_cls_tuple *tp;

			tp = rcu_dereference_protected(vec->t[i], true);
			if (tp)
				cls_tuple_destroy(tp);
		}
		kvfree(vec);
	}
	kfree(cls);
}

static void cls_bucket_free_cb(struct rcu_head *head)
{
	kvfree(container_of(head, struct nfhook_cls_bucket, rcu));
}

void nfhook_cls_htab_free_cb(struct rcu_head *head)
{
	nfhook_cls_htab_destroy(container_of(head, struct nfhook_cls_htab, rcu));
}

void nfhook_cls_tuple_free_cb(struct rcu_head *head)
{
	cls_tuple_destroy(container_of(head, struct nfhook_cls_tuple, rcu));
}

void nfhook_cls_vec_free_cb(struct rcu_head *head)
{
	kvfree(container_of(head, struct nfhook_cls_vec, rcu));
}

static void cls_free_cb(struct rcu_head *head)
{
	nfhook_cls_destroy(container_of(head, struct nfhook_cls, rcu));
}

/* A bucket replaced by a writer goes after a grace period. */
void nfhook_cls_bucket_retire(struct nfhook_cls *cls,
			      struct nfhook_cls_bucket *b)
{
	if (!b)
		return;
	cls->bytes -= nfhook_cls_bucket_size(b->n);
	call_rcu(&b->rcu, cls_bucket_free_cb);
}

void nfhook_cls_retire(struct nfhook_cls *cls)
{
	if (cls)
		call_rcu(&cls->rcu, cls_free_cb);
}

static void cls_prefix_mask(union nf_inet_addr *mask, unsigned int plen)
{
	unsigned int i, bits;

	for (i = 0; i < ARRAY_SIZE(mask->ip6); i++) {
		bits = min(plen, 32U);
		plen -= bits;
		mask->ip6[i] = bits ? htonl(~0U << (32 - bits)) : 0;
	}
}

static u16 cls_port_mask(unsigned int plen)
{
	return plen ? (u16)(0xffffU << (16 - plen)) : 0;
}

/* A tuple for @shape, with a hash table of @slots (none if 0). */
struct nfhook_cls_tuple *
nfhook_cls_tuple_alloc(struct nfhook_cls *cls,
		       const struct nfhook_cls_shape *shape, u32 slots)
{
	struct nfhook_cls_tuple *tp;
	struct nfhook_cls_htab *ht;

	tp = kzalloc(sizeof(*tp), GFP_KERNEL_ACCOUNT);
	if (!tp)
		return NULL;
	tp->shape = *shape;
	cls_prefix_mask(&tp->smask, shape->splen);
	cls_prefix_mask(&tp->dmask, shape->dplen);
	tp->swords = DIV_ROUND_UP(shape->splen, 32);
	tp->dwords = DIV_ROUND_UP(shape->dplen, 32);
	tp->sport_mask = cls_port_mask(shape->sport_plen);
	tp->dport_mask = cls_port_mask(shape->dport_plen);
	if (slots) {
		ht = nfhook_cls_htab_alloc(cls, slots);
		if (!ht) {
			kfree(tp);
			return NULL;
		}
		RCU_INIT_POINTER(tp->ht, ht);
	}
	cls->bytes += sizeof(*tp);
	return tp;
}

/* Undoes nfhook_cls_tuple_alloc() for a tuple never published. */
void nfhook_cls_tuple_free(struct nfhook_cls *cls, struct nfhook_cls_tuple *tp)
{
	struct nfhook_cls_htab *ht = cls_deref(tp->ht);
	u32 i;

	if (ht) {
		for (i = 0; i <= ht->mask; i++) {
			struct nfhook_cls_bucket *b = cls_deref(ht->b[i]);

			if (b)
				cls->bytes -= nfhook_cls_bucket_size(b->n);
		}
		cls->bytes -= nfhook_cls_htab_size(ht->mask + 1);
		cls->nslots -= ht->mask + 1;
	}
	cls->bytes -= sizeof(*tp);
	cls_tuple_destroy(tp);
}

struct nfhook_cls_vec *nfhook_cls_vec_alloc(struct nfhook_cls *cls, u32 size)
{
	struct nfhook_cls_vec *vec;

	vec = kvzalloc(nfhook_cls_vec_size(size), GFP_KERNEL_ACCOUNT);
	if (!vec)
		return NULL;
	vec->size = size;
	cls->bytes += nfhook_cls_vec_size(size);
	return vec;
}

struct nfhook_cls *nfhook_cls_alloc(void)
{
	struct nfhook_cls_vec *vec;
	struct nfhook_cls *cls;
	unsigned int s;

	cls = kzalloc(sizeof(*cls), GFP_KERNEL_ACCOUNT);
	if (!cls)
		return NULL;
	cls->seed = get_random_u32();
	cls->bytes = sizeof(*cls);
	for (s = 0; s < NFHOOK_CLS_NSETS; s++) {
		vec = nfhook_cls_vec_alloc(cls, NFHOOK_CLS_MIN_TUPLES);
		if (!vec) {
			nfhook_cls_destroy(cls);
			return NULL;
		}
		RCU_INIT_POINTER(cls->set[s], vec);
	}
	return cls;
}
