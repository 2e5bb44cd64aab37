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

#include "classifier.h"

/* The match fields that can be part of a hash key. */
#define NFHOOK_CLS_KEY_FIELDS	(NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR | \
				 NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT | \
				 NFHOOK_MATCH_DPORT | \
				 NFHOOK_MATCH_ICMP_TYPE | \
				 NFHOOK_MATCH_ICMP_CODE | \
				 NFHOOK_MATCH_TCP_FLAGS | \
				 NFHOOK_MATCH_IIF | NFHOOK_MATCH_OIF)

/* Smallest hash table of a tuple (a power of two). */
#define NFHOOK_CLS_MIN_SLOTS	4
/* Initial room for tuples in a tuple set. */
#define NFHOOK_CLS_MIN_TUPLES	4

/* Writers are serialised by the caller, which holds nfhook_net.lock. */
#define cls_deref(p)	rcu_dereference_protected(p, true)

/* Which fields a tuple hashes, and their prefix lengths. */
struct nfhook_cls_shape {
	u16 fields;			/* NFHOOK_MATCH_* in the key */
	u8 splen, dplen;		/* address prefix lengths, not 0 */
	u8 sport_plen, dport_plen;	/* port prefix lengths, not 0 */
	u8 tcp_mask;			/* TCP flags compared, not 0 */
	u8 pad;				/* zero: shapes compare by memcmp() */
};

/* One of the entries a rule is expanded into. */
struct nfhook_cls_entry {
	struct nfhook_cls_shape shape;
	u16 sport, dport;		/* port prefixes' values */
};

/* Values to hash: a packet's, or a rule entry's. */
struct nfhook_cls_key {
	const union nf_inet_addr *saddr, *daddr;
	const char *iif, *oif;		/* NULL: no device */
	u32 iif_hash, oif_hash;		/* valid once iif_done, oif_done */
	u16 sport, dport;
	u8 l4proto, icmp_type, icmp_code, tcp_flags;
	bool iif_done, oif_done;
};

struct nfhook_cls_item {
	u64 order;			/* rule->order when inserted */
	struct nfhook_rule *rule;
	u32 hash;
};

/* Immutable once published; replaced as a whole. */
struct nfhook_cls_bucket {
	struct rcu_head rcu;
	u32 n;				/* items, sorted by order */
	struct nfhook_cls_item item[];
};

struct nfhook_cls_htab {
	struct rcu_head rcu;
	u32 mask;			/* slots - 1, slots a power of two */
	struct nfhook_cls_bucket __rcu *b[];
};

struct nfhook_cls_tuple {
	struct nfhook_cls_shape shape;
	u8 swords, dwords;		/* 32-bit address words hashed */
	u16 sport_mask, dport_mask;
	union nf_inet_addr smask, dmask;
	struct nfhook_cls_htab __rcu *ht;
	u32 nitems;			/* writers only */
	u32 *fill;			/* nfhook_cls_build() only */
	struct rcu_head rcu;
};

/* Readers look at t[0..n), where a slot may be NULL. */
struct nfhook_cls_vec {
	struct rcu_head rcu;
	u32 n, size;
	struct nfhook_cls_tuple __rcu *t[];
};

enum {
	NFHOOK_CLS_FINAL,		/* accept and drop rules */
	NFHOOK_CLS_COUNT,		/* count rules */
	NFHOOK_CLS_NSETS,
};

struct nfhook_cls {
	struct nfhook_cls_vec __rcu *set[NFHOOK_CLS_NSETS];
	u32 seed;
	/* Writers only. */
	u32 ntuples, nitems, nslots;
	size_t bytes;
	struct rcu_head rcu;
};

/* Hashing *******************************************************************/

static inline u32 cls_mix(u32 h, u32 v)
{
	h ^= v;
	h *= 0x9e3779b1;
	return rol32(h, 15);
}

static inline u32 cls_final(u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

/* Equal for any two names strncmp(, , IFNAMSIZ) finds equal. */
static u32 cls_name_hash(const char *name)
{
	u32 h = 0x811c9dc5;
	unsigned int i;

	for (i = 0; i < IFNAMSIZ && name[i]; i++) {
		h ^= (u8)name[i];
		h *= 0x01000193;
	}
	return h;
}

static inline u32 cls_mix_addr(u32 h, const union nf_inet_addr *a,
			       const union nf_inet_addr *mask,
			       unsigned int words)
{
	unsigned int i;

	for (i = 0; i < words; i++)
		h = cls_mix(h, (__force u32)(a->ip6[i] & mask->ip6[i]));
	return h;
}

/*
 * The hash of @k under @tp's shape and masks; false if @k cannot match any
 * rule of @tp (a device name in the shape but no device).  Rules and packets
 * go through this same function, so equal masked values hash equally.
 */
static bool cls_hash(const struct nfhook_cls_tuple *tp,
		     struct nfhook_cls_key *k, u32 seed, u32 *hash)
{
	u32 f = tp->shape.fields;
	u32 h = seed;

	if (f & NFHOOK_MATCH_SADDR)
		h = cls_mix_addr(h, k->saddr, &tp->smask, tp->swords);
	if (f & NFHOOK_MATCH_DADDR)
		h = cls_mix_addr(h, k->daddr, &tp->dmask, tp->dwords);
	if (f & NFHOOK_MATCH_L4PROTO)
		h = cls_mix(h, k->l4proto);
	if (f & NFHOOK_MATCH_SPORT)
		h = cls_mix(h, k->sport & tp->sport_mask);
	if (f & NFHOOK_MATCH_DPORT)
		h = cls_mix(h, k->dport & tp->dport_mask);
	if (f & NFHOOK_MATCH_ICMP_TYPE)
		h = cls_mix(h, k->icmp_type);
	if (f & NFHOOK_MATCH_ICMP_CODE)
		h = cls_mix(h, k->icmp_code);
	if (f & NFHOOK_MATCH_TCP_FLAGS)
		h = cls_mix(h, k->tcp_flags & tp->shape.tcp_mask);
	if (f & NFHOOK_MATCH_IIF) {
		if (!k->iif)
			return false;
		if (!k->iif_done) {
			k->iif_hash = cls_name_hash(k->iif);
			k->iif_done = true;
		}
		h = cls_mix(h, k->iif_hash);
	}
	if (f & NFHOOK_MATCH_OIF) {
		if (!k->oif)
			return false;
		if (!k->oif_done) {
			k->oif_hash = cls_name_hash(k->oif);
			k->oif_done = true;
		}
		h = cls_mix(h, k->oif_hash);
	}
	*hash = cls_final(h);
	return true;
}

static void cls_pkt_key(struct nfhook_cls_key *k, const struct nfhook_pkt *pkt)
{
	k->saddr = &pkt->saddr;
	k->daddr = &pkt->daddr;
	k->iif = pkt->in ? pkt->in->name : NULL;
	k->oif = pkt->out ? pkt->out->name : NULL;
	k->iif_done = false;
	k->oif_done = false;
	k->sport = pkt->sport;
	k->dport = pkt->dport;
	k->l4proto = pkt->l4proto;
	k->icmp_type = pkt->icmp_type;
	k->icmp_code = pkt->icmp_code;
	k->tcp_flags = pkt->tcp_flags;
}

/* The key of @m's entry @e. */
static void cls_rule_key(struct nfhook_cls_key *k, const struct nfhook_match *m,
			 const struct nfhook_cls_entry *e)
{
	k->saddr = &m->saddr;
	k->daddr = &m->daddr;
	k->iif = m->iifname;
	k->oif = m->oifname;
	k->iif_done = false;
	k->oif_done = false;
	k->sport = e->sport;
	k->dport = e->dport;
	k->l4proto = m->l4proto;
	k->icmp_type = m->icmp_type;
	k->icmp_code = m->icmp_code;
	k->tcp_flags = m->tcp_flags;
}

/* Rule expansion ************************************************************/

/*
 * The prefixes exactly covering [@lo, @hi]: the first @max of them go to
 * @val and @plen; returns how many there are (at most 30).
 */
static unsigned int cls_port_prefixes(u16 lo, u16 hi, u16 *val, u8 *plen,
				      unsigned int max)
{
	u32 a = lo, b = hi, size;
	unsigned int n = 0;

	while (a <= b) {
		/* The largest aligned block starting at @a inside the range. */
		size = a ? a & -a : 0x10000;
		while (a + size - 1 > b)
			size >>= 1;
		if (n < max) {
			val[n] = a;
			plen[n] = 16 - ilog2(size);
		}
		n++;
		a += size;
	}
	return n;
}

/* The entries of @m (at most NFHOOK_CLS_EXPAND_MAX) into @e; how many. */
static unsigned int cls_expand(const struct nfhook_match *m,
			       struct nfhook_cls_entry *e)
{
	u16 sval[NFHOOK_CLS_EXPAND_MAX], dval[NFHOOK_CLS_EXPAND_MAX];
	u8 splen[NFHOOK_CLS_EXPAND_MAX], dplen[NFHOOK_CLS_EXPAND_MAX];
	unsigned int ns = 1, nd = 1, i, j, n = 0;
	struct nfhook_cls_shape base;
	u32 f = m->fields;

	memset(&base, 0, sizeof(base));
	base.fields = f & NFHOOK_CLS_KEY_FIELDS &
		      ~(NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
			NFHOOK_MATCH_SPORT | NFHOOK_MATCH_DPORT |
			NFHOOK_MATCH_TCP_FLAGS);
	if ((f & NFHOOK_MATCH_SADDR) && m->sprefix) {
		base.fields |= NFHOOK_MATCH_SADDR;
		base.splen = m->sprefix;
	}
	if ((f & NFHOOK_MATCH_DADDR) && m->dprefix) {
		base.fields |= NFHOOK_MATCH_DADDR;
		base.dplen = m->dprefix;
	}
	if ((f & NFHOOK_MATCH_TCP_FLAGS) && m->tcp_flags_mask) {
		base.fields |= NFHOOK_MATCH_TCP_FLAGS;
		base.tcp_mask = m->tcp_flags_mask;
	}

	sval[0] = 0;
	splen[0] = 0;
	dval[0] = 0;
	dplen[0] = 0;
	if (f & NFHOOK_MATCH_SPORT)
		ns = cls_port_prefixes(m->sport_min, m->sport_max, sval, splen,
				       NFHOOK_CLS_EXPAND_MAX);
	if (f & NFHOOK_MATCH_DPORT)
		nd = cls_port_prefixes(m->dport_min, m->dport_max, dval, dplen,
				       NFHOOK_CLS_EXPAND_MAX);
	/* Too many: leave the port with more prefixes out of the key. */
	while (ns * nd > NFHOOK_CLS_EXPAND_MAX) {
		if (ns >= nd) {
			ns = 1;
			sval[0] = 0;
			splen[0] = 0;
		} else {
			nd = 1;
			dval[0] = 0;
			dplen[0] = 0;
		}
	}

	for (i = 0; i < ns; i++) {
		for (j = 0; j < nd; j++) {
			e[n].shape = base;
			if (splen[i]) {
				e[n].shape.fields |= NFHOOK_MATCH_SPORT;
				e[n].shape.sport_plen = splen[i];
			}
			if (dplen[j]) {
				e[n].shape.fields |= NFHOOK_MATCH_DPORT;
				e[n].shape.dport_plen = dplen[j];
			}
			e[n].sport = sval[i];
			e[n].dport = dval[j];
			n++;
		}
	}
	return n;
}

static unsigned int cls_set_of(const struct nfhook_rule *rule)
{
	return rule->action == NFHOOK_ACTION_COUNT ? NFHOOK_CLS_COUNT :
						     NFHOOK_CLS_FINAL;
}

/* Allocation and freeing ****************************************************/

static size_t cls_bucket_size(u32 n)
{
	return struct_size((struct nfhook_cls_bucket *)NULL, item, n);
}

static size_t cls_htab_size(u32 slots)
{
	return struct_size((struct nfhook_cls_htab *)NULL, b, slots);
}

static size_t cls_vec_size(u32 size)
{
	return struct_size((struct nfhook_cls_vec *)NULL, t, size);
}

static struct nfhook_cls_bucket *cls_bucket_alloc(struct nfhook_cls *cls,
						  u32 n)
{
	struct nfhook_cls_bucket *b;

	b = kvmalloc(cls_bucket_size(n), GFP_KERNEL_ACCOUNT);
	if (b)
		cls->bytes += cls_bucket_size(n);
	return b;
}

static struct nfhook_cls_htab *cls_htab_alloc(struct nfhook_cls *cls,
					      u32 slots)
{
	struct nfhook_cls_htab *ht;

	ht = kvzalloc(cls_htab_size(slots), GFP_KERNEL_ACCOUNT);
	if (!ht)
		return NULL;
	ht->mask = slots - 1;
	cls->bytes += cls_htab_size(slots);
	cls->nslots += slots;
	return ht;
}

/* Frees @ht and its buckets now; nobody can see them any more. */
static void cls_htab_destroy(struct nfhook_cls_htab *ht)
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
	cls_htab_destroy(rcu_dereference_protected(tp->ht, true));
	kvfree(tp->fill);
	kfree(tp);
}

static void cls_destroy(struct nfhook_cls *cls)
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

static void cls_htab_free_cb(struct rcu_head *head)
{
	cls_htab_destroy(container_of(head, struct nfhook_cls_htab, rcu));
}

static void cls_tuple_free_cb(struct rcu_head *head)
{
	cls_tuple_destroy(container_of(head, struct nfhook_cls_tuple, rcu));
}

static void cls_vec_free_cb(struct rcu_head *head)
{
	kvfree(container_of(head, struct nfhook_cls_vec, rcu));
}

static void cls_free_cb(struct rcu_head *head)
{
	cls_destroy(container_of(head, struct nfhook_cls, rcu));
}

/* A bucket replaced by a writer goes after a grace period. */
static void cls_bucket_retire(struct nfhook_cls *cls,
			      struct nfhook_cls_bucket *b)
{
	if (!b)
		return;
	cls->bytes -= cls_bucket_size(b->n);
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
static struct nfhook_cls_tuple *
cls_tuple_alloc(struct nfhook_cls *cls, const struct nfhook_cls_shape *shape,
		u32 slots)
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
		ht = cls_htab_alloc(cls, slots);
		if (!ht) {
			kfree(tp);
			return NULL;
		}
		RCU_INIT_POINTER(tp->ht, ht);
	}
	cls->bytes += sizeof(*tp);
	return tp;
}

/* Undoes cls_tuple_alloc() for a tuple never published. */
static void cls_tuple_free(struct nfhook_cls *cls, struct nfhook_cls_tuple *tp)
{
	struct nfhook_cls_htab *ht = cls_deref(tp->ht);
	u32 i;

	if (ht) {
		for (i = 0; i <= ht->mask; i++) {
			struct nfhook_cls_bucket *b = cls_deref(ht->b[i]);

			if (b)
				cls->bytes -= cls_bucket_size(b->n);
		}
		cls->bytes -= cls_htab_size(ht->mask + 1);
		cls->nslots -= ht->mask + 1;
	}
	cls->bytes -= sizeof(*tp);
	cls_tuple_destroy(tp);
}

static struct nfhook_cls_vec *cls_vec_alloc(struct nfhook_cls *cls, u32 size)
{
	struct nfhook_cls_vec *vec;

	vec = kvzalloc(cls_vec_size(size), GFP_KERNEL_ACCOUNT);
	if (!vec)
		return NULL;
	vec->size = size;
	cls->bytes += cls_vec_size(size);
	return vec;
}

static struct nfhook_cls *cls_alloc(void)
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
		vec = cls_vec_alloc(cls, NFHOOK_CLS_MIN_TUPLES);
		if (!vec) {
			cls_destroy(cls);
			return NULL;
		}
		RCU_INIT_POINTER(cls->set[s], vec);
	}
	return cls;
}

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
		bigger = cls_vec_alloc(cls, vec->size * 2);
		if (!bigger)
			return -ENOMEM;
		for (i = 0; i < vec->n; i++)
			RCU_INIT_POINTER(bigger->t[i], cls_deref(vec->t[i]));
		bigger->n = vec->n;
		rcu_assign_pointer(cls->set[s], bigger);
		cls->bytes -= cls_vec_size(vec->size);
		call_rcu(&vec->rcu, cls_vec_free_cb);
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
	cls->bytes -= cls_htab_size(ht->mask + 1) + sizeof(*tp);
	call_rcu(&tp->rcu, cls_tuple_free_cb);
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
	ht = cls_htab_alloc(cls, oslots * 2);
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
			nb[half] = cls_bucket_alloc(cls, n[half]);
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
			cls->bytes -= cls_bucket_size(b->n);
	}
	cls->bytes -= cls_htab_size(oslots);
	cls->nslots -= oslots;
	call_rcu(&old->rcu, cls_htab_free_cb);
	return 0;

err:
	for (i = 0; i < oslots * 2; i++) {
		b = cls_deref(ht->b[i]);
		if (b)
			cls->bytes -= cls_bucket_size(b->n);
	}
	cls->bytes -= cls_htab_size(oslots * 2);
	cls->nslots -= oslots * 2;
	cls_htab_destroy(ht);
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
	nb = cls_bucket_alloc(cls, n + 1);
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
	cls_bucket_retire(cls, b);
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
		nb = cls_bucket_alloc(cls, b->n - 1);
		if (!nb)
			return -ENOMEM;
		memcpy(nb->item, b->item, pos * sizeof(nb->item[0]));
		memcpy(&nb->item[pos], &b->item[pos + 1],
		       (b->n - pos - 1) * sizeof(nb->item[0]));
		nb->n = b->n - 1;
	}
	rcu_assign_pointer(ht->b[slot], nb);
	cls_bucket_retire(cls, b);
	tp->nitems--;
	cls->nitems--;
	return 0;
}

/* Writers ******************************************************************/

int nfhook_cls_insert(struct nfhook_cls *cls, struct nfhook_rule *rule)
{
	struct nfhook_cls_entry e[NFHOOK_CLS_EXPAND_MAX];
	unsigned int s = cls_set_of(rule), n, i;
	struct nfhook_cls_tuple *tp;
	struct nfhook_cls_key k;
	bool fresh;
	u32 hash;
	int err;

	n = cls_expand(&rule->match, e);
	for (i = 0; i < n; i++) {
		cls_rule_key(&k, &rule->match, &e[i]);
		tp = cls_tuple_find(cls_deref(cls->set[s]), &e[i].shape);
		fresh = !tp;
		if (fresh) {
			tp = cls_tuple_alloc(cls, &e[i].shape,
					     NFHOOK_CLS_MIN_SLOTS);
			if (!tp)
				return -ENOMEM;
		} else if (tp->nitems > cls_deref(tp->ht)->mask) {
			err = cls_tuple_grow(cls, tp);
			if (err)
				return err;
		}
		if (WARN_ON_ONCE(!cls_hash(tp, &k, cls->seed, &hash)))
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
				cls_tuple_free(cls, tp);
			}
			return err;
		}
	}
	return 0;
}

int nfhook_cls_remove(struct nfhook_cls *cls, struct nfhook_rule *rule)
{
	struct nfhook_cls_entry e[NFHOOK_CLS_EXPAND_MAX];
	unsigned int s = cls_set_of(rule), n, i;
	struct nfhook_cls_tuple *tp;
	struct nfhook_cls_key k;
	u32 hash;
	int err;

	n = cls_expand(&rule->match, e);
	for (i = 0; i < n; i++) {
		cls_rule_key(&k, &rule->match, &e[i]);
		tp = cls_tuple_find(cls_deref(cls->set[s]), &e[i].shape);
		if (WARN_ON_ONCE(!tp) ||
		    WARN_ON_ONCE(!cls_hash(tp, &k, cls->seed, &hash)))
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

	cls = cls_alloc();
	if (!cls)
		return NULL;

	list_for_each_entry(rule, rules, list) {
		s = cls_set_of(rule);
		n = cls_expand(&rule->match, e);
		for (i = 0; i < n; i++) {
			tp = cls_tuple_find(cls_deref(cls->set[s]),
					    &e[i].shape);
			if (!tp) {
				tp = cls_tuple_alloc(cls, &e[i].shape, 0);
				if (!tp)
					goto err;
				if (cls_tuple_publish(cls, s, tp)) {
					cls_tuple_free(cls, tp);
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
			ht = cls_htab_alloc(cls, slots);
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
			s = cls_set_of(rule);
			n = cls_expand(&rule->match, e);
			for (i = 0; i < n; i++) {
				cls_rule_key(&k, &rule->match, &e[i]);
				tp = cls_tuple_find(cls_deref(cls->set[s]),
						    &e[i].shape);
				if (WARN_ON_ONCE(!tp) ||
				    WARN_ON_ONCE(!cls_hash(tp, &k, cls->seed,
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
					b = cls_bucket_alloc(cls, tp->fill[i]);
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
	cls_destroy(cls);
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

	cls_pkt_key(&k, pkt);

	/* The final rule with the lowest order that matches. */
	vec = rcu_dereference(cls->set[NFHOOK_CLS_FINAL]);
	n = READ_ONCE(vec->n);
	for (i = 0; i < n; i++) {
		tp = rcu_dereference(vec->t[i]);
		if (!tp || !cls_hash(tp, &k, cls->seed, &hash))
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
		if (!tp || !cls_hash(tp, &k, cls->seed, &hash))
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
