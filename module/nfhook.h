/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook internals shared by the module's files.
 *
 * Ownership: each network namespace owns one struct nfhook_net.  It owns ten
 * struct nfhook_hook (one per family and hook point), which own their
 * registered nf_hook_ops and per-CPU hook counters, and one RCU-published
 * struct nfhook_ruleset, which owns the rule tables and, through them, the
 * rules and the blocks of their counters (one pool per table).  Writers
 * hold nfhook_net.lock; the packet path only takes the RCU read side
 * (netfilter already runs hooks inside rcu_read_lock()).
 */
#ifndef _NFHOOK_H
#define _NFHOOK_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>
#include <linux/nfhook.h>

#define NFHOOK_NFAMILIES	2	/* ipv4, ipv6 */
#define NFHOOK_NHOOKS		NF_INET_NUMHOOKS

/* Index 0 for NFPROTO_IPV4, 1 for NFPROTO_IPV6, -1 for anything else. */
static inline int nfhook_family_index(u32 family)
{
	switch (family) {
	case NFPROTO_IPV4:
		return 0;
	case NFPROTO_IPV6:
		return 1;
	default:
		return -1;
	}
}

static inline u8 nfhook_family_of_index(int index)
{
	return index ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

/* A packets and bytes pair, as read or cleared. */
struct nfhook_count {
	u64 packets;
	u64 bytes;
};

/* Which match fields a rule uses: bits of nfhook_match.fields. */
enum nfhook_match_field {
	NFHOOK_MATCH_SADDR	= BIT(0),
	NFHOOK_MATCH_DADDR	= BIT(1),
	NFHOOK_MATCH_L4PROTO	= BIT(2),
	NFHOOK_MATCH_SPORT	= BIT(3),
	NFHOOK_MATCH_DPORT	= BIT(4),
	NFHOOK_MATCH_ICMP_TYPE	= BIT(5),
	NFHOOK_MATCH_ICMP_CODE	= BIT(6),
	NFHOOK_MATCH_IIF	= BIT(7),
	NFHOOK_MATCH_OIF	= BIT(8),
	NFHOOK_MATCH_LEN	= BIT(9),
	NFHOOK_MATCH_TCP_FLAGS	= BIT(10),
	NFHOOK_MATCH_CT_STATE	= BIT(11),
};

/* The match fields that need a readable transport header. */
#define NFHOOK_MATCH_L4_FIELDS	(NFHOOK_MATCH_SPORT | NFHOOK_MATCH_DPORT | \
				 NFHOOK_MATCH_ICMP_TYPE | \
				 NFHOOK_MATCH_ICMP_CODE | \
				 NFHOOK_MATCH_TCP_FLAGS)

/*
 * What a rule matches on, validated and normalised by rule.c: addresses are
 * stored already masked with their prefix; ranges are inclusive.
 */
struct nfhook_match {
	u32 fields;
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 sprefix, dprefix;
	u8 l4proto;
	union nf_inet_addr saddr, smask;
	union nf_inet_addr daddr, dmask;
	u16 sport_min, sport_max;
	u16 dport_min, dport_max;
	u8 icmp_type, icmp_code;
	u8 tcp_flags, tcp_flags_mask;
	u32 len_min, len_max;
	u32 ct_state;			/* NFHOOK_CT_STATE_* bits, any of */
	char iifname[IFNAMSIZ];
	char oifname[IFNAMSIZ];
};

/*
 * The headers of one packet, read once per hook invocation by match.c with
 * skb_header_pointer(); rules are then matched against this, never the skb.
 */
struct nfhook_pkt {
	u8 family;
	u8 l4proto;			/* IPv6: after extension headers */
	bool l4_valid;			/* ports/type/flags below were read */
	bool fragment;			/* a non-first fragment */
	/*
	 * A fragment that can hide its transport header from a rule: a first
	 * fragment too short for the fixed header (or, IPv6, cut inside the
	 * extension headers), or a TCP fragment at offset 8 (RFC 1858).
	 */
	bool tiny_fragment;
	union nf_inet_addr saddr, daddr;
	u16 sport, dport;
	u8 icmp_type, icmp_code;
	u8 tcp_flags;
	u8 ct_state;			/* one NFHOOK_CT_STATE_* bit */
	u32 len;			/* from the network header on */
	const struct net_device *in, *out;
};

struct nfhook_rule_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
};

/*
 * Rule counters are not allocated per rule: a table hands out slots of
 * per-CPU arrays allocated in blocks (rule.c).  A block never moves or
 * shrinks while it has a slot in use, so a reader may increment a slot
 * while writers add blocks.  A slot is handed out again only once the rule
 * that had it is freed, after a grace period, and is zeroed then.
 */
struct nfhook_ctrs;

struct nfhook_ctr_block {
	struct nfhook_ctrs *pool;
	struct nfhook_rule_stats __percpu *stats;	/* nslots of them */
	u32 nslots;
	u32 nused;
	unsigned long used[];				/* bitmap, nslots */
};

/*
 * The counter slots of one table.  Writers (nfhook_net.lock) take slots;
 * rules freed after a grace period give theirs back from their RCU
 * callback, hence the spinlock.  When the table lets go of the pool
 * (flush, ruleset freed), it is freed with the last slot in use.
 */
struct nfhook_ctrs {
	spinlock_t lock;		/* used bits, nused, retired */
	u32 nused;			/* slots in use, all blocks */
	bool retired;			/* the table let go of it */
	u32 nblocks, blocks_size;
	struct nfhook_ctr_block **blocks;	/* writers only */
	/*
	 * table.c: a flushed table's rules and classifier, freed with one
	 * RCU callback (the rules linked by their list, from @first to the
	 * table's head @end, which the last one still points to).
	 */
	struct rcu_head rcu;
	struct list_head *first;
	const struct list_head *end;
	struct nfhook_cls *cls;
	u32 nrules;
};

/*
 * A rule.  The packet path reads the hot part (list, counter slot, action,
 * match: the first 160 bytes, three cache lines on x86-64) and nothing
 * after it; what only writers and netlink read (position, counters'
 * baseline, comment) comes last.  256 bytes on 64-bit, so that a rule
 * fills a kmalloc-256 object (pahole figures in docs/classifier.md).
 */
struct nfhook_rule {
	/* Hot: the packet path. */
	struct list_head list;		/* in its nfhook_table */
	struct nfhook_rule_stats __percpu *stats;	/* its counter slot */
	u8 action;			/* enum nfhook_action */
	u8 hook;
	u32 id;				/* writers; fills the hole */
	struct nfhook_match match;
	/* Cold: writers, netlink, reads of the counters. */
	struct nfhook_ctr_block *ctr_block;	/* NULL: no slot */
	/*
	 * Evaluation order within its table, strictly increasing along the
	 * list; set by table.c (writers only), kept when rules are inserted
	 * before it.  The classifier keeps its own copy for readers.
	 */
	u64 order;
	/* Cleared so far; counters read as per-CPU sum minus this. */
	struct nfhook_count reset_base;
	/*
	 * Once a rule is unlinked nobody reads its comment (writers hold
	 * nfhook_net.lock and no longer find the rule; the packet path never
	 * reads it), so its RCU callback reuses that space.
	 */
	union {
		char comment[NFHOOK_COMMENT_SIZE];
		struct rcu_head rcu;
	};
};

/*
 * Policies shared by the top-level and rule attributes: the ranges show in
 * the kernel's policy dump.  Families between 2 and 10 are checked by
 * nfhook_attr_family().
 */
#define NFHOOK_POLICY_FAMILY \
	NLA_POLICY_RANGE(NLA_U32, NFPROTO_IPV4, NFPROTO_IPV6)
#define NFHOOK_POLICY_HOOK	NLA_POLICY_MAX(NLA_U32, NF_INET_POST_ROUTING)

/* Insert position meaning "append" (no NFHOOK_RULE_A_INDEX given). */
#define NFHOOK_INDEX_APPEND	U32_MAX

struct nfhook_cls;

/*
 * The rule table of one (family, hook): the seam behind which the packet
 * classifier (classifier.c) replaces the linear walk without touching hook
 * or netlink code.  Writers hold nfhook_net.lock; nfhook_table_eval() runs
 * under RCU.
 */
struct nfhook_table {
	struct list_head rules;		/* evaluation order */
	u32 count;
	u32 l4_rules;			/* rules with NFHOOK_MATCH_L4_FIELDS */
	bool bulk;			/* between bulk_begin and bulk_end */
	/* NULL: the rules are walked in order (small tables, bulk loads). */
	struct nfhook_cls __rcu *cls;
	/* Writers only: the rules by position, or NULL (walk the list). */
	struct nfhook_rule **pos;
	u32 pos_size;
	/* The rules' counter slots; NULL until the first rule. */
	struct nfhook_ctrs *ctrs;
};

/*
 * Everything the packet path reads, swapped as one pointer on replace, and
 * the writers' index of its rules by id.
 */
struct nfhook_ruleset {
	struct rcu_head rcu;
	struct nfhook_table tables[NFHOOK_NFAMILIES][NFHOOK_NHOOKS];
	u8 policy[NFHOOK_NFAMILIES][NFHOOK_NHOOKS];	/* ACCEPT or DROP */
	/* Writers only (nfhook_net.lock): */
	struct xarray ids;		/* rule id -> rule */
	u32 nrules;			/* all tables */
};

/* match.c */
void nfhook_pkt_parse(struct nfhook_pkt *pkt, const struct sk_buff *skb,
		      u8 family, const struct net_device *in,
		      const struct net_device *out);
bool nfhook_match(const struct nfhook_match *m, const struct nfhook_pkt *pkt);
/* @m matches exactly @pkt's addresses, protocol, ports or ICMP type and
 * code, length and connection state: the packet told as a rule would.
 */
void nfhook_match_of_pkt(struct nfhook_match *m, const struct nfhook_pkt *pkt);
/*
 * The NFHOOK_CT_STATE_* bit of a packet with a conntrack entry or not
 * (@has_ct) and @ctinfo, as nf_ct_get() gives them; as nftables' ct state.
 */
u8 nfhook_ct_state(bool has_ct, unsigned int ctinfo);

/* table.c */
void nfhook_table_init(struct nfhook_table *t);
/*
 * -ERANGE if index > count (and not NFHOOK_INDEX_APPEND); -ENOMEM if no
 * counter slot could be had for @rule.
 */
int nfhook_table_insert(struct nfhook_table *t, struct nfhook_rule *rule,
			u32 index);
void nfhook_table_remove(struct nfhook_table *t, struct nfhook_rule *rule);
/*
 * Unlinks every rule; the rules, their classifier and counter slots are
 * freed together, by one RCU callback.
 */
void nfhook_table_flush(struct nfhook_table *t);
/*
 * Frees everything @t holds, now: for a table nobody can reach any more
 * (after a grace period), as when a ruleset is freed.
 */
void nfhook_table_destroy(struct nfhook_table *t);
/*
 * Counts every matching rule in order up to the first one whose action is
 * final and returns that action; NFHOOK_ACTION_UNSPEC if none is final.
 */
u8 nfhook_table_eval(const struct nfhook_table *t,
		     const struct nfhook_pkt *pkt, unsigned int len);
/* The same by walking every rule in order: the reference, and small tables. */
u8 nfhook_table_eval_linear(const struct nfhook_table *t,
			    const struct nfhook_pkt *pkt, unsigned int len);

/*
 * Bulk loading, for a table that readers cannot see yet (a replace
 * transaction's): between the two, inserts only link rules, and
 * nfhook_table_bulk_end() builds the classifier once.  It returns -ENOMEM
 * if it could not (the table then still works, walked linearly, and the
 * next insert or removal tries again).
 */
void nfhook_table_bulk_begin(struct nfhook_table *t);
int nfhook_table_bulk_end(struct nfhook_table *t);
/*
 * Bytes of memory the table uses: the classifier, the position array, the
 * rules' struct nfhook_rule and the blocks of counter slots on every
 * possible CPU (nfhook_ctrs_bytes()).  Writers (nfhook_net.lock).
 */
size_t nfhook_table_bytes(const struct nfhook_table *t);

static inline u32 nfhook_table_count(const struct nfhook_table *t)
{
	return t->count;
}

/* Packet path: whether @t has no rule. */
static inline bool nfhook_table_empty(const struct nfhook_table *t)
{
	return !READ_ONCE(t->count);
}

/* Whether a rule of @t reads the transport header (tiny fragments). */
static inline bool nfhook_table_reads_l4(const struct nfhook_table *t)
{
	return READ_ONCE(t->l4_rules);
}

/*
 * The rules of @t in evaluation order, for writers (nfhook_net.lock): dumps,
 * flushes, positions.  Walk with
 *	for (rule = nfhook_table_first(t); rule;
 *	     rule = nfhook_table_next(t, rule))
 * Both return NULL past the last rule.
 */
struct nfhook_rule *nfhook_table_first(struct nfhook_table *t);
struct nfhook_rule *nfhook_table_next(struct nfhook_table *t,
				      struct nfhook_rule *rule);
/* The rule at position @index (0 first); NULL if there are not as many. */
struct nfhook_rule *nfhook_table_at(struct nfhook_table *t, u32 index);
/* The position of @rule, which is in @t. */
u32 nfhook_table_index(const struct nfhook_table *t,
		       const struct nfhook_rule *rule);

/* rule.c: a rule's lifetime and counters */
struct nfhook_rule *nfhook_rule_alloc(void);
void nfhook_rule_free(struct nfhook_rule *rule);	/* never published */
/* After unlinking: the rule and its counter slot, after a grace period. */
void nfhook_rule_free_rcu(struct nfhook_rule *rule);
/*
 * Gives @rule a zeroed counter slot from *@pool, which is allocated on
 * first use and grows by a block when full: 0 or -ENOMEM.  Writers.
 */
int nfhook_ctrs_attach(struct nfhook_ctrs **pool, struct nfhook_rule *rule);
/*
 * The table lets go of @pool (NULL: nothing), whose @nrules rules holding
 * slots the caller has freed, after a grace period; the pool is freed when
 * no slot is in use any more.  Any context.
 */
void nfhook_ctrs_release(struct nfhook_ctrs *pool, u32 nrules);
/* Bytes of @pool (NULL: 0) with its blocks, on every possible CPU. */
size_t nfhook_ctrs_bytes(const struct nfhook_ctrs *pool);
/* Packet path, any context; @len is what the bytes counter adds. */
void nfhook_rule_count(struct nfhook_rule *rule, unsigned int len);
/*
 * Resets are serialised by the caller (nfhook_net.lock).  A read may run
 * under RCU alone; racing a reset, it may see either baseline.
 */
void nfhook_rule_read(const struct nfhook_rule *rule, struct nfhook_count *c);
/* Clears the counters; *@cleared gets exactly what was cleared. */
void nfhook_rule_reset(struct nfhook_rule *rule, struct nfhook_count *cleared);
/*
 * Undoes the nfhook_rule_reset() that cleared *@cleared, as when the message
 * reporting it did not fit: that count reads again, and nothing counted
 * since is lost.
 */
void nfhook_rule_reset_cancel(struct nfhook_rule *rule,
			      const struct nfhook_count *cleared);
/* Starts the counters at @c instead of zero (replace transactions). */
void nfhook_rule_set_count(struct nfhook_rule *rule,
			   const struct nfhook_count *c);

/* rule_attr.c and rule_fill.c: rules from netlink attributes and back */
extern const struct nla_policy nfhook_rule_policy[NFHOOK_RULE_A_MAX + 1];
/*
 * Fills @rule from the NFHOOK_RULE_A_* attributes @tb parsed out of @nest
 * with nfhook_rule_policy (RULE_A_ID is ignored: the caller assigns it).
 * Every rejection sets an extack message and a bad attribute (@nest, with
 * the missing type, when a required attribute is absent).  *@index gets
 * RULE_A_INDEX or NFHOOK_INDEX_APPEND.  Initial counters are accepted only
 * when @allow_counters.
 */
int nfhook_rule_from_attrs(struct nfhook_rule *rule, const struct nlattr *nest,
			   struct nlattr **tb, bool allow_counters, u32 *index,
			   struct netlink_ext_ack *extack);
/*
 * Fills @m from a trace selector: RULE_A_FAMILY and a rule's match
 * attributes, interfaces of both directions allowed; the rest of a rule is
 * refused.  Errors as above.
 */
int nfhook_selector_from_attrs(struct nfhook_match *m,
			       const struct nlattr *nest, struct nlattr **tb,
			       struct netlink_ext_ack *extack);
/*
 * Validate a FAMILY or HOOK u32 attribute, for rules and hook requests alike
 * (the policies bound their range already): they return the family index
 * (nfhook_family_index()) or the hook number, or -EINVAL with an extack
 * message naming the value and @attr as the bad attribute.
 */
int nfhook_attr_family(const struct nlattr *attr,
		       struct netlink_ext_ack *extack);
int nfhook_attr_hook(const struct nlattr *attr, struct netlink_ext_ack *extack);
/*
 * Puts the rule's attributes (not nested: the caller opens the nest), with
 * a counters nest unless @counters is NULL.
 */
/* The match attributes of @m (not its family). */
int nfhook_fill_match(struct sk_buff *skb, const struct nfhook_match *m);
int nfhook_rule_fill(struct sk_buff *skb, const struct nfhook_rule *rule,
		     u32 index, const struct nfhook_count *counters);
/* Puts an NFHOOK_*_A_COUNTERS nest with PACKETS and BYTES. */
int nfhook_put_count(struct sk_buff *skb, int attrtype,
		     const struct nfhook_count *c);

/* ruleset.c: rulesets, their id index, rules in and out */
struct nfhook_ruleset *nfhook_ruleset_alloc(void);
/*
 * Unpublished @rs, its rules, classifiers and counters are freed together
 * after an RCU grace period, by one callback.
 */
void nfhook_ruleset_free(struct nfhook_ruleset *rs);
/*
 * Adding a rule takes two steps, so that the reply can be built before the
 * packet path sees the rule.  Reserve checks the rule limit and @index,
 * gives the rule an id from *@next_id (a cyclic cursor) and sets *@pos to
 * where the rule will stand; it fails with -ENOSPC (rule limit reached),
 * -EBUSY (no free id) or -ERANGE (@index beyond the end of the hook).
 * Then exactly one of publish (the rule is live; only -ENOMEM can fail it,
 * and the reservation is then undone) or unreserve.
 */
int nfhook_ruleset_reserve(struct nfhook_ruleset *rs, struct nfhook_rule *rule,
			   u32 index, u32 *next_id, u32 *pos);
int nfhook_ruleset_publish(struct nfhook_ruleset *rs, struct nfhook_rule *rule,
			   u32 index);
void nfhook_ruleset_unreserve(struct nfhook_ruleset *rs,
			      struct nfhook_rule *rule);
/* Removes a published rule; it is freed after a grace period. */
void nfhook_ruleset_unlink(struct nfhook_ruleset *rs, struct nfhook_rule *rule);
/* The rules of one (@fidx, @hooknum), freed after a grace period. */
void nfhook_ruleset_flush_table(struct nfhook_ruleset *rs, int fidx,
				int hooknum);
/*
 * Where a walk of table (@fidx, @hooknum) goes on: the rule after the one
 * whose id is @last_id if that id still names a rule of this table, else
 * the rule at position @pos (0 for @last_id: only @pos counts).  NULL past
 * the end.
 */
struct nfhook_rule *nfhook_ruleset_resume(struct nfhook_ruleset *rs, int fidx,
					  int hooknum, u32 last_id, u32 pos);
/*
 * A ruleset nobody reads yet (a replace transaction's) takes its rules in
 * bulk: each table's classifier is built once, at the end.
 */
void nfhook_ruleset_bulk_begin(struct nfhook_ruleset *rs);
void nfhook_ruleset_bulk_end(struct nfhook_ruleset *rs);
/*
 * Bytes the rules of @rs use: the ruleset and its tables
 * (nfhook_table_bytes(): rules, classifiers, counter blocks).
 */
size_t nfhook_ruleset_bytes(const struct nfhook_ruleset *rs);
/* The table @rule is in, and the rule's position there. */
struct nfhook_table *nfhook_ruleset_table_of(struct nfhook_ruleset *rs,
					     const struct nfhook_rule *rule);
u32 nfhook_ruleset_index_of(struct nfhook_ruleset *rs,
			    const struct nfhook_rule *rule);

#endif /* _NFHOOK_H */
