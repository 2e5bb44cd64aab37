/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: the classifier's insides, shared by classifier.c (tuples, updates,
 * lookups), classifier_key.c (shapes, keys, hashing) and classifier_mem.c
 * (allocation and freeing).  Nothing outside these three includes it.
 */
#ifndef _NFHOOK_CLASSIFIER_INT_H
#define _NFHOOK_CLASSIFIER_INT_H

#include <linux/rcupdate.h>
#include <linux/types.h>

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

static inline u32 cls_mix_addr(u32 h, const union nf_inet_addr *a,
			       const union nf_inet_addr *mask,
			       unsigned int words)
{
	unsigned int i;

	for (i = 0; i < words; i++)
		h = cls_mix(h, (__force u32)(a->ip6[i] & mask->ip6[i]));
	return h;
}

/* The entries of @m (at most NFHOOK_CLS_EXPAND_MAX) into @e; how many. */
unsigned int nfhook_cls_expand(const struct nfhook_match *m,
			       struct nfhook_cls_entry *e);
/*
 * The hash of @k under @tp's shape and masks; false if @k cannot match any
 * rule of @tp (a device name in the shape but no device).  Rules and packets
 * go through this same function, so equal masked values hash equally.
 */
bool nfhook_cls_hash(const struct nfhook_cls_tuple *tp,
		     struct nfhook_cls_key *k, u32 seed, u32 *hash);
void nfhook_cls_pkt_key(struct nfhook_cls_key *k,
			const struct nfhook_pkt *pkt);
/* The key of @m's entry @e. */
void nfhook_cls_rule_key(struct nfhook_cls_key *k, const struct nfhook_match *m,
			 const struct nfhook_cls_entry *e);
unsigned int nfhook_cls_set_of(const struct nfhook_rule *rule);
struct nfhook_cls *nfhook_cls_alloc(void);
struct nfhook_cls_bucket *nfhook_cls_bucket_alloc(struct nfhook_cls *cls,
						  u32 n);
/* A bucket replaced by a writer goes after a grace period. */
void nfhook_cls_bucket_retire(struct nfhook_cls *cls,
			      struct nfhook_cls_bucket *b);
size_t nfhook_cls_bucket_size(u32 n);
struct nfhook_cls_htab *nfhook_cls_htab_alloc(struct nfhook_cls *cls,
					      u32 slots);
/* Frees @ht and its buckets now; nobody can see them any more. */
void nfhook_cls_htab_destroy(struct nfhook_cls_htab *ht);
size_t nfhook_cls_htab_size(u32 slots);
/* A tuple for @shape, with a hash table of @slots (none if 0). */
struct nfhook_cls_tuple *
nfhook_cls_tuple_alloc(struct nfhook_cls *cls,
		       const struct nfhook_cls_shape *shape, u32 slots);
/* Undoes nfhook_cls_tuple_alloc() for a tuple never published. */
void nfhook_cls_tuple_free(struct nfhook_cls *cls,
			   struct nfhook_cls_tuple *tp);
struct nfhook_cls_vec *nfhook_cls_vec_alloc(struct nfhook_cls *cls, u32 size);
size_t nfhook_cls_vec_size(u32 size);
/* RCU callbacks freeing what writers replaced. */
void nfhook_cls_vec_free_cb(struct rcu_head *head);
void nfhook_cls_tuple_free_cb(struct rcu_head *head);
void nfhook_cls_htab_free_cb(struct rcu_head *head);

#endif /* _NFHOOK_CLASSIFIER_INT_H */
