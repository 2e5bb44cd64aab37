/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: the packet classifier behind a rule table (see classifier.c and
 * docs/classifier.md).  Only table.c calls these; writers are serialised by
 * the caller (nfhook_net.lock), nfhook_cls_eval() runs under RCU.
 */
#ifndef _NFHOOK_CLASSIFIER_H
#define _NFHOOK_CLASSIFIER_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/types.h>

#include "nfhook.h"

/*
 * A table of at most this many rules is walked linearly; above it the
 * classifier is built, and it is dropped again when the table shrinks to
 * half of it (hysteresis, so that one rule added and removed at the border
 * does not rebuild every time).  Measured in docs/classifier.md.
 */
#define NFHOOK_CLS_LINEAR_MAX	8

/*
 * Most (source port prefix, destination port prefix) pairs one rule is
 * expanded into; a rule whose ranges need more leaves the port with more
 * prefixes out of its hash key (nfhook_match() still checks it).
 */
#define NFHOOK_CLS_EXPAND_MAX	8

/* Rule order keys: the first rule's, and the gap between appended rules. */
#define NFHOOK_ORDER_FIRST	BIT_ULL(62)
#define NFHOOK_ORDER_GAP	BIT_ULL(32)

struct nfhook_cls;

/*
 * A classifier holding every rule of @rules (linked by rule->list, in
 * evaluation order, rule->order strictly increasing); NULL without memory.
 * Not yet visible to readers: the caller publishes it.
 */
struct nfhook_cls *nfhook_cls_build(struct list_head *rules);
/*
 * Adds @rule (rule->order set, between its neighbours') to a published
 * classifier.  On -ENOMEM the classifier may hold part of the rule: the
 * caller must unpublish and retire it.
 */
int nfhook_cls_insert(struct nfhook_cls *cls, struct nfhook_rule *rule);
/* Removes @rule; on failure the same as nfhook_cls_insert(). */
int nfhook_cls_remove(struct nfhook_cls *cls, struct nfhook_rule *rule);
/* Frees @cls (unpublished by the caller) after an RCU grace period. */
void nfhook_cls_retire(struct nfhook_cls *cls);
/* Frees @cls now: nobody can see it any more (after a grace period). */
void nfhook_cls_destroy(struct nfhook_cls *cls);
/* nfhook_table_eval() on a table whose classifier is @cls; under RCU. */
u8 nfhook_cls_eval(const struct nfhook_cls *cls, const struct nfhook_pkt *pkt,
		   unsigned int len);
/* Bytes allocated for @cls (requested sizes, slab rounding excluded). */
size_t nfhook_cls_bytes(const struct nfhook_cls *cls);
/*
 * Whether deletions left @cls's hash tables much emptier than needed, so
 * that a rebuild would give memory back.
 */
bool nfhook_cls_sparse(const struct nfhook_cls *cls);
/* How many mask shapes (hash tables) @cls holds, for tests and docs. */
unsigned int nfhook_cls_shapes(const struct nfhook_cls *cls);

#endif /* _NFHOOK_CLASSIFIER_H */
