// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rule table's classifier against a plain linear reference.
 *
 * Every case is seeded and reproducible (the seed is in every failure
 * message).  Rule sets come from random insert (at any position), append
 * and delete sequences, and from bulk loads; rules use every match field,
 * with prefixes of every length, port and length ranges, TCP flags with
 * masks, interface names, and all three actions.  For each packet the
 * reference walks a mirror of the rule list with nfhook_match() and says
 * which action wins and which rules count the packet; the table must
 * return that action and, checked at every checkpoint, every rule's
 * counters must be exactly what the reference counted.  Packets are drawn
 * near the rules' values, so that prefixes, range ends and flag masks are
 * hit and missed by a bit, and include non-first fragments, packets
 * without a readable transport header and packets without devices.
 *
 * The last case measures, without asserting anything: lookups per second
 * through the classifier and through the linear walk at 1 to 10,000
 * rules, the cost of single updates at 10,000 rules and the memory used.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/ktime.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "../classifier.h"
#include "../nfhook.h"
#include "skb_util.h"

#define CLS_TEST_SEED	0x636c61737369ULL
/* Updates a reader races: enough for rebuilds and renumbering, seconds. */
#define CLS_RACE_OPS	300

struct cls_test {
	struct kunit *test;
	struct nfhook_table t;
	struct rnd_state rnd;
	u64 seed;
	u8 family;
	/* The mirror: the rules in order, and what the reference counted. */
	struct nfhook_rule **rules;
	u64 *packets, *bytes;
	u32 n, cap;
	struct net_device *devs[4];	/* devs[3] is NULL */
	unsigned int checked;		/* packets compared, for the log */
};

static const char * const cls_test_names[] = {
	"eth0", "eth1", "veth0123456789a",
};

static u32 pick(struct cls_test *c, u32 n)
{
	return prandom_u32_state(&c->rnd) % n;
}

static bool chance(struct cls_test *c, u32 percent)
{
	return pick(c, 100) < percent;
}

static int cls_test_init(struct kunit *test)
{
	struct cls_test *c;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->test = test;
	nfhook_table_init(&c->t);
	for (i = 0; i < ARRAY_SIZE(cls_test_names); i++)
		c->devs[i] = nfhook_test_dev(test, cls_test_names[i]);
	test->priv = c;
	return 0;
}

static void cls_test_exit(struct kunit *test)
{
	struct cls_test *c = test->priv;

	nfhook_table_flush(&c->t);
	kvfree(c->rules);
	kvfree(c->packets);
	kvfree(c->bytes);
	/* The rules' and the classifier's RCU callbacks run before we go. */
	rcu_barrier();
}

/* Random values ************************************************************/

/* An address near one of four bases, so that prefixes hit and miss. */
static void random_addr(struct cls_test *c, union nf_inet_addr *a)
{
	static const u32 bases4[] = {
		0x0a000000, 0x0a000100, 0xc0a80000, 0xac100500,
	};
	unsigned int b = pick(c, ARRAY_SIZE(bases4));

	memset(a, 0, sizeof(*a));
	if (c->family == NFPROTO_IPV4) {
		a->ip = htonl(bases4[b] | pick(c, 8));
		if (chance(c, 5))
			a->ip = htonl(prandom_u32_state(&c->rnd));
		return;
	}
	a->ip6[0] = htonl(b & 1 ? 0x20010db8 : 0xfd000000);
	a->ip6[1] = htonl(b & 2 ? 0x10000 : 0);
	a->ip6[2] = htonl(chance(c, 20) ? pick(c, 4) << 8 : 0);
	a->ip6[3] = htonl(pick(c, 8));
	if (chance(c, 5))
		a->ip6[pick(c, 4)] = htonl(prandom_u32_state(&c->rnd));
}

static u8 random_prefix(struct cls_test *c)
{
	unsigned int max = c->family == NFPROTO_IPV4 ? 32 : 128;

	switch (pick(c, 4)) {
	case 0:
		return max;
	case 1:
		return max - pick(c, 4);
	default:
		return pick(c, max + 1);
	}
}

static void mask_addr(union nf_inet_addr *a, union nf_inet_addr *mask,
		      unsigned int prefix)
{
	unsigned int i, bits;

	for (i = 0; i < ARRAY_SIZE(mask->ip6); i++) {
		bits = min(prefix, 32U);
		prefix -= bits;
		mask->ip6[i] = bits ? htonl(~0U << (32 - bits)) : 0;
		a->ip6[i] &= mask->ip6[i];
	}
}

static const u16 port_pool[] = {
	0, 1, 22, 53, 80, 443, 1023, 1024, 8080, 32768, 40000, 65534, 65535,
};

static u16 random_port(struct cls_test *c)
{
	u16 p = port_pool[pick(c, ARRAY_SIZE(port_pool))];

	switch (pick(c, 6)) {
	case 0:
		return p + 1;
	case 1:
		return p - 1;
	case 2:
		return prandom_u32_state(&c->rnd);
	default:
		return p;
	}
}

static void random_range(struct cls_test *c, u16 *lo, u16 *hi)
{
	static const u32 spans[] = { 1, 2, 3, 7, 8, 100, 1000, 30000, 65535 };
	u32 end;

	*lo = random_port(c);
	if (chance(c, 40)) {
		*hi = *lo;
		return;
	}
	end = *lo + spans[pick(c, ARRAY_SIZE(spans))] - pick(c, 2);
	*hi = min_t(u32, max_t(u32, end, *lo), 65535);
}

static const u8 proto_pool[] = {
	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP, IPPROTO_ICMP,
	IPPROTO_ICMPV6, IPPROTO_GRE, 0,
};

static const u32 len_pool[] = { 0, 20, 40, 60, 100, 576, 1500, U32_MAX };

static bool has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/* A rule that rule.c would accept: the constraints between fields hold. */
static struct nfhook_rule *random_rule(struct cls_test *c)
{
	u8 icmp = c->family == NFPROTO_IPV4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	struct nfhook_rule *rule = nfhook_rule_alloc();
	struct nfhook_match *m;
	u32 a, b;

	KUNIT_ASSERT_NOT_NULL(c->test, rule);
	m = &rule->match;
	m->family = c->family;
	rule->action = pick(c, 10) < 4 ? NFHOOK_ACTION_COUNT :
		       chance(c, 50) ? NFHOOK_ACTION_ACCEPT :
				       NFHOOK_ACTION_DROP;

	if (chance(c, 50)) {
		random_addr(c, &m->saddr);
		m->sprefix = random_prefix(c);
		mask_addr(&m->saddr, &m->smask, m->sprefix);
		m->fields |= NFHOOK_MATCH_SADDR;
	}
	if (chance(c, 50)) {
		random_addr(c, &m->daddr);
		m->dprefix = random_prefix(c);
		mask_addr(&m->daddr, &m->dmask, m->dprefix);
		m->fields |= NFHOOK_MATCH_DADDR;
	}
	if (chance(c, 65)) {
		m->l4proto = proto_pool[pick(c, ARRAY_SIZE(proto_pool))];
		if (m->l4proto == IPPROTO_ICMP || m->l4proto == IPPROTO_ICMPV6)
			m->l4proto = icmp;
		m->fields |= NFHOOK_MATCH_L4PROTO;
	}
	if ((m->fields & NFHOOK_MATCH_L4PROTO) && has_ports(m->l4proto)) {
		if (chance(c, 35)) {
			random_range(c, &m->sport_min, &m->sport_max);
			m->fields |= NFHOOK_MATCH_SPORT;
		}
		if (chance(c, 60)) {
			random_range(c, &m->dport_min, &m->dport_max);
			m->fields |= NFHOOK_MATCH_DPORT;
		}
	}
	if ((m->fields & NFHOOK_MATCH_L4PROTO) && m->l4proto == icmp &&
	    chance(c, 60)) {
		m->icmp_type = pick(c, 4);
		m->fields |= NFHOOK_MATCH_ICMP_TYPE;
		if (chance(c, 50)) {
			m->icmp_code = pick(c, 3);
			m->fields |= NFHOOK_MATCH_ICMP_CODE;
		}
	}
	if ((m->fields & NFHOOK_MATCH_L4PROTO) &&
	    m->l4proto == IPPROTO_TCP && chance(c, 35)) {
		m->tcp_flags_mask = chance(c, 50) ? 0x12 : pick(c, 256);
		m->tcp_flags = pick(c, 256) & m->tcp_flags_mask;
		m->fields |= NFHOOK_MATCH_TCP_FLAGS;
	}
	if (chance(c, 15)) {
		strscpy(m->iifname, cls_test_names[pick(c, 3)], IFNAMSIZ);
		m->fields |= NFHOOK_MATCH_IIF;
	}
	if (chance(c, 15)) {
		strscpy(m->oifname, cls_test_names[pick(c, 3)], IFNAMSIZ);
		m->fields |= NFHOOK_MATCH_OIF;
	}
	if (chance(c, 20)) {
		a = len_pool[pick(c, ARRAY_SIZE(len_pool))];
		b = len_pool[pick(c, ARRAY_SIZE(len_pool))];
		m->len_min = min(a, b) + (chance(c, 30) ? 1 : 0);
		m->len_max = max(a, b);
		if (m->len_min > m->len_max)
			m->len_min = m->len_max;
		m->fields |= NFHOOK_MATCH_LEN;
	}
	return rule;
}

static void random_pkt(struct cls_test *c, struct nfhook_pkt *pkt)
{
	static const u32 lens[] = {
		20, 40, 59, 60, 61, 99, 100, 101, 576, 577, 1500, 1501,
	};

	memset(pkt, 0, sizeof(*pkt));
	pkt->family = c->family;
	random_addr(c, &pkt->saddr);
	random_addr(c, &pkt->daddr);
	pkt->l4proto = proto_pool[pick(c, ARRAY_SIZE(proto_pool))];
	if (pkt->l4proto == IPPROTO_ICMP || pkt->l4proto == IPPROTO_ICMPV6)
		pkt->l4proto = c->family == NFPROTO_IPV4 ? IPPROTO_ICMP :
							   IPPROTO_ICMPV6;
	pkt->fragment = chance(c, 8);
	pkt->l4_valid = !pkt->fragment && chance(c, 90);
	if (pkt->l4_valid) {
		pkt->sport = random_port(c);
		pkt->dport = random_port(c);
		pkt->icmp_type = pick(c, 4);
		pkt->icmp_code = pick(c, 3);
		pkt->tcp_flags = chance(c, 50) ? 0x02 : pick(c, 256);
	}
	pkt->len = lens[pick(c, ARRAY_SIZE(lens))];
	pkt->in = c->devs[pick(c, 4)];
	pkt->out = c->devs[pick(c, 4)];
}

/* The mirror and the reference ********************************************/

static void mirror_insert(struct cls_test *c, struct nfhook_rule *rule,
			  u32 pos)
{
	struct kunit *test = c->test;

	if (c->n == c->cap) {
		u32 cap = max(16U, 2 * c->cap);
		void *r = kvmalloc_array(cap, sizeof(*c->rules), GFP_KERNEL);
		void *p = kvmalloc_array(cap, sizeof(u64), GFP_KERNEL);
		void *b = kvmalloc_array(cap, sizeof(u64), GFP_KERNEL);

		if (!r || !p || !b) {
			kvfree(r);
			kvfree(p);
			kvfree(b);
			KUNIT_ASSERT_TRUE_MSG(test, false,
					      "no memory for the mirror");
		}
		memcpy(r, c->rules, c->n * sizeof(*c->rules));
		memcpy(p, c->packets, c->n * sizeof(u64));
		memcpy(b, c->bytes, c->n * sizeof(u64));
		kvfree(c->rules);
		kvfree(c->packets);
		kvfree(c->bytes);
		c->rules = r;
		c->packets = p;
		c->bytes = b;
		c->cap = cap;
	}
	memmove(&c->rules[pos + 1], &c->rules[pos],
		(c->n - pos) * sizeof(*c->rules));
	memmove(&c->packets[pos + 1], &c->packets[pos],
		(c->n - pos) * sizeof(u64));
	memmove(&c->bytes[pos + 1], &c->bytes[pos], (c->n - pos) * sizeof(u64));
	c->rules[pos] = rule;
	c->packets[pos] = 0;
	c->bytes[pos] = 0;
	c->n++;
}

/* Inserts @rule at @pos (c->n: append) in the table and the mirror. */
static void add_rule(struct cls_test *c, struct nfhook_rule *rule, u32 pos)
{
	u32 index = pos == c->n && chance(c, 50) ? NFHOOK_INDEX_APPEND : pos;

	KUNIT_ASSERT_EQ_MSG(c->test, 0,
			    nfhook_table_insert(&c->t, rule, index),
			    "seed %llu", c->seed);
	mirror_insert(c, rule, pos);
}

static void del_rule(struct cls_test *c, u32 pos)
{
	struct nfhook_rule *rule = c->rules[pos];

	nfhook_table_remove(&c->t, rule);
	nfhook_rule_free_rcu(rule);
	c->n--;
	memmove(&c->rules[pos], &c->rules[pos + 1],
		(c->n - pos) * sizeof(*c->rules));
	memmove(&c->packets[pos], &c->packets[pos + 1],
		(c->n - pos) * sizeof(u64));
	memmove(&c->bytes[pos], &c->bytes[pos + 1], (c->n - pos) * sizeof(u64));
}

/* What the linear reference decides; counts into the mirror. */
static u8 reference(struct cls_test *c, const struct nfhook_pkt *pkt)
{
	u32 i;

	for (i = 0; i < c->n; i++) {
		if (!nfhook_match(&c->rules[i]->match, pkt))
			continue;
		c->packets[i]++;
		c->bytes[i] += pkt->len;
		if (c->rules[i]->action != NFHOOK_ACTION_COUNT)
			return c->rules[i]->action;
	}
	return NFHOOK_ACTION_UNSPEC;
}

/* The table's list, order keys and classifier agree with the mirror. */
static void check_structure(struct cls_test *c, const char *when)
{
	struct kunit *test = c->test;
	struct nfhook_rule *rule, *prev = NULL;
	u32 i = 0;

	KUNIT_ASSERT_EQ_MSG(test, c->n, nfhook_table_count(&c->t),
			    "seed %llu %s", c->seed, when);
	for (rule = nfhook_table_first(&c->t); rule;
	     rule = nfhook_table_next(&c->t, rule), i++) {
		KUNIT_ASSERT_PTR_EQ_MSG(test, c->rules[i], rule,
					"seed %llu %s: position %u", c->seed,
					when, i);
		/* Positions both ways, as writers look them up. */
		KUNIT_ASSERT_PTR_EQ_MSG(test, rule, nfhook_table_at(&c->t, i),
					"seed %llu %s: rule at %u", c->seed,
					when, i);
		KUNIT_ASSERT_EQ_MSG(test, i, nfhook_table_index(&c->t, rule),
				    "seed %llu %s: index of rule %u", c->seed,
				    when, i);
		if (prev)
			KUNIT_ASSERT_LT_MSG(test, prev->order, rule->order,
					    "seed %llu %s: order keys at %u",
					    c->seed, when, i);
		prev = rule;
	}
	/* Out of a bulk load, a classifier exactly when the table is large. */
	if (c->t.bulk)
		return;
	if (c->n > NFHOOK_CLS_LINEAR_MAX)
		KUNIT_EXPECT_NOT_NULL_MSG(test,
					  rcu_access_pointer(c->t.cls),
					  "seed %llu %s: %u rules", c->seed,
					  when, c->n);
	if (c->n <= NFHOOK_CLS_LINEAR_MAX / 2)
		KUNIT_EXPECT_NULL_MSG(test, rcu_access_pointer(c->t.cls),
				      "seed %llu %s: %u rules", c->seed, when,
				      c->n);
}

/*
 * @npkts random packets through the table (and, with @fresh, through a
 * classifier built from scratch for the same rules, whatever their number)
 * against the reference; then every rule's counters.
 */
static void check_packets(struct cls_test *c, unsigned int npkts, bool fresh,
			  const char *when)
{
	struct kunit *test = c->test;
	struct nfhook_cls *cls = NULL;
	struct nfhook_pkt pkt;
	struct nfhook_count got;
	unsigned int p;
	u8 want, have;
	u32 i;

	check_structure(c, when);
	if (fresh) {
		cls = nfhook_cls_build(&c->t.rules);
		KUNIT_ASSERT_NOT_NULL(test, cls);
	}
	for (p = 0; p < npkts; p++) {
		random_pkt(c, &pkt);
		want = reference(c, &pkt);
		rcu_read_lock();
		have = nfhook_table_eval(&c->t, &pkt, pkt.len);
		rcu_read_unlock();
		KUNIT_EXPECT_EQ_MSG(test, want, have,
				    "seed %llu %s: packet %u, %u rules",
				    c->seed, when, p, c->n);
		if (!cls)
			continue;
		want = reference(c, &pkt);
		rcu_read_lock();
		have = nfhook_cls_eval(cls, &pkt, pkt.len);
		rcu_read_unlock();
		KUNIT_EXPECT_EQ_MSG(test, want, have,
				    "seed %llu %s: packet %u, fresh build of %u rules",
				    c->seed, when, p, c->n);
	}
	c->checked += npkts;
	nfhook_cls_retire(cls);

	for (i = 0; i < c->n; i++) {
		nfhook_rule_read(c->rules[i], &got);
		KUNIT_EXPECT_EQ_MSG(test, c->packets[i], got.packets,
				    "seed %llu %s: packets of rule %u of %u",
				    c->seed, when, i, c->n);
		KUNIT_EXPECT_EQ_MSG(test, c->bytes[i], got.bytes,
				    "seed %llu %s: bytes of rule %u of %u",
				    c->seed, when, i, c->n);
	}
}

static void reset_table(struct cls_test *c)
{
	nfhook_table_flush(&c->t);
	c->n = 0;
}

static void start(struct cls_test *c, u64 seed)
{
	c->seed = seed;
	prandom_seed_state(&c->rnd, seed);
	c->family = chance(c, 50) ? NFPROTO_IPV4 : NFPROTO_IPV6;
}

/* The cases ****************************************************************/

/* Sizes from 1 to a few hundred, more of them small. */
static u32 random_size(struct cls_test *c)
{
	switch (pick(c, 4)) {
	case 0:
		return 1 + pick(c, NFHOOK_CLS_LINEAR_MAX + 2);
	case 1:
		return 1 + pick(c, 40);
	case 2:
		return 1 + pick(c, 120);
	default:
		return 1 + pick(c, 400);
	}
}

/*
 * Rule sets grown by inserts at random places and appends, then changed by
 * random inserts and deletes, through the small sizes (linear walk) and
 * back up, checked after every phase.
 */
static void nfhook_test_cls_random(struct kunit *test)
{
	struct cls_test *c = test->priv;
	unsigned int iter, op, nops;
	u32 size;

	for (iter = 0; iter < 160; iter++) {
		start(c, CLS_TEST_SEED + iter);
		size = random_size(c);
		while (c->n < size)
			add_rule(c, random_rule(c),
				 chance(c, 50) ? c->n : pick(c, c->n + 1));
		check_packets(c, 150, iter % 4 == 0, "after inserts");

		nops = 20 + pick(c, 60);
		for (op = 0; op < nops; op++) {
			if (c->n && chance(c, 50))
				del_rule(c, pick(c, c->n));
			else
				add_rule(c, random_rule(c), pick(c, c->n + 1));
			if (op % 10 == 9)
				check_packets(c, 30, false, "after changes");
		}
		check_packets(c, 100, false, "after changes");

		/* Down to a few rules and back: the classifier goes, comes. */
		while (c->n > 3)
			del_rule(c, pick(c, c->n));
		check_packets(c, 50, false, "after shrinking");
		while (c->n < NFHOOK_CLS_LINEAR_MAX + 5)
			add_rule(c, random_rule(c), pick(c, c->n + 1));
		check_packets(c, 50, false, "after growing again");
		reset_table(c);
	}
	kunit_info(test, "%u packets compared over %u rule sets\n",
		   c->checked, iter);
}

/* A replace transaction's table: bulk loaded, built once. */
static void nfhook_test_cls_bulk(struct kunit *test)
{
	struct cls_test *c = test->priv;
	unsigned int iter;
	u32 size;

	for (iter = 0; iter < 40; iter++) {
		start(c, CLS_TEST_SEED + 1000 + iter);
		size = random_size(c) * (1 + pick(c, 4));
		nfhook_table_bulk_begin(&c->t);
		while (c->n < size)
			add_rule(c, random_rule(c),
				 chance(c, 80) ? c->n : pick(c, c->n + 1));
		KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->t.cls));
		/* Walked linearly until the end of the load. */
		check_packets(c, 30, false, "during bulk load");
		KUNIT_EXPECT_EQ(test, 0, nfhook_table_bulk_end(&c->t));
		check_packets(c, 150, false, "after bulk load");
		/* Then incremental as usual. */
		add_rule(c, random_rule(c), pick(c, c->n + 1));
		del_rule(c, pick(c, c->n));
		check_packets(c, 50, false, "after bulk load and changes");
		reset_table(c);
	}
}

/*
 * Inserting again and again at the same place exhausts the gap between two
 * order keys: the table renumbers and rebuilds, and stays right.
 */
static void nfhook_test_cls_renumber(struct kunit *test)
{
	struct cls_test *c = test->priv;
	unsigned int i;

	start(c, CLS_TEST_SEED + 2000);
	for (i = 0; i < 20; i++)
		add_rule(c, random_rule(c), c->n);
	for (i = 0; i < 150; i++) {
		add_rule(c, random_rule(c), 1);
		if (i % 25 == 24)
			check_packets(c, 40, false, "inserting at 1");
	}
	for (i = 0; i < 100; i++)
		add_rule(c, random_rule(c), 0);
	for (i = 0; i < 100; i++)
		add_rule(c, random_rule(c), c->n - 1);
	check_packets(c, 300, true, "after renumbering");
	/* Keys are back to their regular spacing. */
	KUNIT_EXPECT_LT(test, c->rules[0]->order, c->rules[1]->order);
}

/*
 * The shapes the classifier needs do not grow with the rules: thousands of
 * rules differing by one address or one port stay in one or two tables,
 * and the rule found is the first in order even with duplicates.
 */
static void nfhook_test_cls_shapes(struct kunit *test)
{
	struct cls_test *c = test->priv;
	struct nfhook_rule *rule;
	unsigned int i, dport;

	start(c, CLS_TEST_SEED + 3000);
	c->family = NFPROTO_IPV4;
	for (i = 0; i < 3000; i++) {
		rule = nfhook_rule_alloc();
		KUNIT_ASSERT_NOT_NULL(test, rule);
		rule->match.family = NFPROTO_IPV4;
		rule->match.fields = NFHOOK_MATCH_SADDR;
		/* Every address twice: only the first may count. */
		rule->match.saddr.ip = htonl(0x0a000000 | (i % 1500));
		rule->match.sprefix = 32;
		mask_addr(&rule->match.saddr, &rule->match.smask, 32);
		rule->action = i % 3 ? NFHOOK_ACTION_DROP : NFHOOK_ACTION_COUNT;
		add_rule(c, rule, c->n);
	}
	for (i = 0; i < 2000; i++) {
		dport = i % 1000;
		rule = nfhook_rule_alloc();
		KUNIT_ASSERT_NOT_NULL(test, rule);
		rule->match.family = NFPROTO_IPV4;
		rule->match.fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT;
		rule->match.l4proto = IPPROTO_UDP;
		rule->match.dport_min = dport;
		rule->match.dport_max = dport;
		rule->action = NFHOOK_ACTION_ACCEPT;
		add_rule(c, rule, c->n);
	}
	KUNIT_EXPECT_EQ(test, 3U,
			nfhook_cls_shapes(rcu_access_pointer(c->t.cls)));
	kunit_info(test, "%u rules in %u shapes\n", c->n,
		   nfhook_cls_shapes(rcu_access_pointer(c->t.cls)));
	check_packets(c, 400, false, "address and port rules");
	kunit_info(test, "compared\n");
}

/* The lookups counted: what the counters say now is what we expect. */
static void rebase_counts(struct cls_test *c)
{
	struct nfhook_count got;
	u32 i;

	for (i = 0; i < c->n; i++) {
		nfhook_rule_read(c->rules[i], &got);
		c->packets[i] = got.packets;
		c->bytes[i] = got.bytes;
	}
}

/*
 * Readers racing writers: a kernel thread looks packets up while rules are
 * inserted, deleted, renumbered and bulk loaded under it.  Two rules never
 * change (first: drop 192.0.2.1; last: accept 192.0.2.2) and no other rule
 * can match their packets, so whatever state a reader catches the table
 * in, those verdicts hold; and KASAN sees every access to freed memory.
 */
struct cls_race {
	struct nfhook_table *t;
	struct nfhook_pkt pkts[3];
	atomic_t wrong;
	/* Odd while a flush empties the table until it is filled again. */
	atomic_t flushes;
	unsigned int flushed;
	unsigned long lookups;
};

static int cls_race_reader(void *arg)
{
	struct cls_race *r = arg;
	unsigned int i = 0;
	bool flushing;
	u8 verdict;

	while (!kthread_should_stop()) {
		int gen = atomic_read_acquire(&r->flushes);

		rcu_read_lock();
		verdict = nfhook_table_eval(r->t, &r->pkts[i % 3],
					    r->pkts[i % 3].len);
		rcu_read_unlock();
		/* A flush may leave the table without the fixed rules. */
		flushing = verdict == NFHOOK_ACTION_UNSPEC &&
			   ((gen & 1) ||
			    atomic_read_acquire(&r->flushes) != gen);
		if (!flushing &&
		    ((i % 3 == 0 && verdict != NFHOOK_ACTION_DROP) ||
		     (i % 3 == 1 && verdict != NFHOOK_ACTION_ACCEPT)))
			atomic_inc(&r->wrong);
		i++;
		r->lookups++;
		/* Leave the writer the CPU now and then, even without a tick. */
		if (!(i % 32))
			usleep_range(20, 50);
	}
	return 0;
}

static struct nfhook_rule *race_fixed_rule(struct kunit *test, u32 addr,
					   u8 action)
{
	struct nfhook_rule *rule = nfhook_rule_alloc();

	KUNIT_ASSERT_NOT_NULL(test, rule);
	rule->match.family = NFPROTO_IPV4;
	rule->match.fields = NFHOOK_MATCH_SADDR;
	rule->match.saddr.ip = htonl(addr);
	rule->match.sprefix = 32;
	mask_addr(&rule->match.saddr, &rule->match.smask, 32);
	rule->action = action;
	return rule;
}

/* A random rule that cannot match 192.0.2.0/24: its source is in 10/8. */
static struct nfhook_rule *race_rule(struct cls_test *c)
{
	struct nfhook_rule *rule = random_rule(c);
	struct nfhook_match *m = &rule->match;

	m->saddr.ip = htonl(0x0a000000 | pick(c, 1 << 16));
	m->sprefix = 8 + pick(c, 25);
	mask_addr(&m->saddr, &m->smask, m->sprefix);
	m->fields |= NFHOOK_MATCH_SADDR;
	return rule;
}

/* The two fixed rules, first and last, and 40 random ones between. */
static void race_fill(struct cls_test *c)
{
	u32 i;

	add_rule(c, race_fixed_rule(c->test, 0xc0000201, NFHOOK_ACTION_DROP),
		 0);
	add_rule(c, race_fixed_rule(c->test, 0xc0000202, NFHOOK_ACTION_ACCEPT),
		 1);
	for (i = 0; i < 40; i++)
		add_rule(c, race_rule(c), 1 + pick(c, c->n - 1));
}

static void nfhook_test_cls_race(struct kunit *test)
{
	struct cls_test *c = test->priv;
	struct task_struct *reader;
	struct cls_race *r;
	unsigned int op;
	u32 i;

	start(c, CLS_TEST_SEED + 5000);
	c->family = NFPROTO_IPV4;
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->t = &c->t;
	for (i = 0; i < 3; i++) {
		random_pkt(c, &r->pkts[i]);
		if (i < 2)
			r->pkts[i].saddr.ip = htonl(0xc0000201 + i);
	}
	race_fill(c);

	kunit_info(test, "%u rules, reader starting\n", c->n);
	reader = kthread_run(cls_race_reader, r, "nfhook-cls-race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));
	for (op = 0; op < CLS_RACE_OPS; op++) {
		switch (pick(c, 20)) {
		case 0:
			/* The same place again: renumbering, rebuilds. */
			for (i = 0; i < 40; i++)
				add_rule(c, race_rule(c), 1);
			break;
		case 1:
			/*
			 * Flushed under the reader, who may still walk the
			 * old rules while the table fills up again.
			 */
			atomic_inc(&r->flushes);
			nfhook_table_flush(&c->t);
			c->n = 0;
			race_fill(c);
			atomic_inc(&r->flushes);
			r->flushed++;
			break;
		case 2:
			/* Bulk load of a live table: walked meanwhile. */
			nfhook_table_bulk_begin(&c->t);
			for (i = 0; i < 20; i++)
				add_rule(c, race_rule(c),
					 1 + pick(c, c->n - 1));
			KUNIT_EXPECT_EQ(test, 0, nfhook_table_bulk_end(&c->t));
			break;
		default:
			/* Between the two fixed rules; down to a few. */
			if (c->n > 3 && (chance(c, 50) || c->n > 300))
				del_rule(c, 1 + pick(c, c->n - 2));
			else
				add_rule(c, race_rule(c),
					 1 + pick(c, c->n - 1));
		}
		if (!(op % 16))
			cond_resched();
		if (!(op % 100))
			kunit_info(test, "op %u: %u rules, %lu lookups\n", op,
				   c->n, READ_ONCE(r->lookups));
	}
	kthread_stop(reader);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&r->wrong));
	KUNIT_EXPECT_GT(test, r->lookups, 0UL);
	kunit_info(test, "%lu lookups raced %u updates (%u flushes)\n",
		   r->lookups, CLS_RACE_OPS, r->flushed);
	KUNIT_EXPECT_GT(test, r->flushed, 0U);
	rebase_counts(c);
	check_packets(c, 200, false, "after the race");
}

/* Measurements *************************************************************/

#define BUDGET	(10 * NSEC_PER_MSEC)

/*
 * Lookups of @pkt for at least @budget_ns: through the table (@cls NULL,
 * @linear false), the linear walk, or the classifier @cls whatever the
 * table's size.  Nanoseconds per lookup.
 */
static u64 bench_lookups(struct cls_test *c, const struct nfhook_pkt *pkt,
			 bool linear, const struct nfhook_cls *cls,
			 u64 budget_ns)
{
	u64 start = ktime_get_ns(), now, n = 0;
	unsigned int i;

	do {
		rcu_read_lock();
		for (i = 0; i < 16; i++) {
			if (cls)
				nfhook_cls_eval(cls, pkt, pkt->len);
			else if (linear)
				nfhook_table_eval_linear(&c->t, pkt, pkt->len);
			else
				nfhook_table_eval(&c->t, pkt, pkt->len);
		}
		rcu_read_unlock();
		n += 16;
		now = ktime_get_ns();
	} while (now - start < budget_ns);
	return div64_u64(now - start, n);
}

/* Rule @i of a benchmark table: by source address, or by destination port. */
static struct nfhook_rule *bench_rule(struct kunit *test, bool by_port, u32 i)
{
	struct nfhook_rule *rule = nfhook_rule_alloc();

	KUNIT_ASSERT_NOT_NULL(test, rule);
	rule->match.family = NFPROTO_IPV4;
	rule->action = NFHOOK_ACTION_DROP;
	if (by_port) {
		rule->match.fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT;
		rule->match.l4proto = IPPROTO_UDP;
		rule->match.dport_min = 1 + i;
		rule->match.dport_max = 1 + i;
	} else {
		rule->match.fields = NFHOOK_MATCH_SADDR;
		rule->match.saddr.ip = htonl(0x0a000000 + i);
		rule->match.sprefix = 32;
		mask_addr(&rule->match.saddr, &rule->match.smask, 32);
	}
	return rule;
}

static void bench_pkt(struct nfhook_pkt *pkt, bool by_port, u32 i)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->family = NFPROTO_IPV4;
	pkt->l4proto = IPPROTO_UDP;
	pkt->l4_valid = true;
	pkt->len = 64;
	pkt->sport = 9;
	pkt->dport = by_port ? 1 + i : 9;
	pkt->saddr.ip = htonl(by_port ? 0xc0000201 : 0x0a000000 + i);
	pkt->daddr.ip = htonl(0xc0000202);
}

/* The smallest of @rounds measurements: the one least disturbed. */
static u64 bench_min(struct cls_test *c, const struct nfhook_pkt *pkt,
		     bool linear, const struct nfhook_cls *cls)
{
	u64 best = U64_MAX, ns;
	unsigned int r;

	for (r = 0; r < 5; r++) {
		ns = bench_lookups(c, pkt, linear, cls, BUDGET);
		best = min(best, ns);
	}
	return best;
}

#define BENCH_OPS	64

/*
 * Single updates of the table @c holds, each kind BENCH_OPS times, timed
 * as a batch (the guest's clock may tick in milliseconds); the rules are
 * allocated, and the mirror updated, outside the timed part.
 */
static void bench_updates(struct cls_test *c, bool by_port)
{
	const char *kind = by_port ? "dport" : "saddr";
	struct kunit *test = c->test;
	struct nfhook_rule **rules;
	unsigned int i, k;
	u32 *where;
	u64 t0;

	rules = kunit_kmalloc_array(test, BENCH_OPS, sizeof(*rules),
				    GFP_KERNEL);
	where = kunit_kmalloc_array(test, BENCH_OPS, sizeof(*where),
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	KUNIT_ASSERT_NOT_NULL(test, where);

	for (k = 0; k < 3; k++) {
		for (i = 0; i < BENCH_OPS; i++) {
			rules[i] = bench_rule(test, by_port,
					      20000 + 100 * k + i);
			/* append, a random index, always index 1 */
			where[i] = k == 0 ? c->n + i :
				   k == 1 ? pick(c, c->n + i + 1) : 1;
		}
		t0 = ktime_get_ns();
		for (i = 0; i < BENCH_OPS; i++)
			nfhook_table_insert(&c->t, rules[i], where[i]);
		t0 = ktime_get_ns() - t0;
		for (i = 0; i < BENCH_OPS; i++)
			mirror_insert(c, rules[i], where[i]);
		kunit_info(test, "%s %u rules: %s: %llu ns each (mean of %u)\n",
			   kind, c->n,
			   k == 0 ? "append" : k == 1 ?
			   "insert at a random index" :
			   "insert at index 1 again and again (renumbering)",
			   div_u64(t0, BENCH_OPS), BENCH_OPS);
	}

	/* Distinct rules to delete, chosen beforehand. */
	for (i = 0; i < BENCH_OPS; i++)
		rules[i] = c->rules[c->n / BENCH_OPS * i +
				    pick(c, c->n / BENCH_OPS)];
	t0 = ktime_get_ns();
	for (i = 0; i < BENCH_OPS; i++)
		nfhook_table_remove(&c->t, rules[i]);
	t0 = ktime_get_ns() - t0;
	for (i = 0; i < BENCH_OPS; i++) {
		u32 pos = 0;

		while (c->rules[pos] != rules[i])
			pos++;
		/* del_rule() without the table's part, done above. */
		nfhook_rule_free_rcu(rules[i]);
		c->n--;
		memmove(&c->rules[pos], &c->rules[pos + 1],
			(c->n - pos) * sizeof(*c->rules));
		memmove(&c->packets[pos], &c->packets[pos + 1],
			(c->n - pos) * sizeof(u64));
		memmove(&c->bytes[pos], &c->bytes[pos + 1],
			(c->n - pos) * sizeof(u64));
	}
	kunit_info(test, "%s %u rules: delete: %llu ns each (mean of %u)\n",
		   kind, c->n, div_u64(t0, BENCH_OPS), BENCH_OPS);
}

static void nfhook_test_cls_bench(struct kunit *test)
{
	static const u32 sizes[] = {
		1, 2, 4, 8, 16, 32, 100, 1000, 10000,
	};
	struct cls_test *c = test->priv;
	struct nfhook_pkt last, middle;
	u64 t_last, t_mid, l_last, l_mid, c_last, c_mid, t0;
	unsigned int s, by_port;
	struct nfhook_cls *cls;
	size_t bytes;

	kunit_info(test, "ns per lookup, the rule found last / in the middle: the table, the linear walk, the classifier alone (the best of 5 rounds)\n");
	for (by_port = 0; by_port < 2; by_port++) {
		start(c, CLS_TEST_SEED + 4000);
		c->family = NFPROTO_IPV4;
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			/* Bulk: as a replace transaction loads its table. */
			nfhook_table_bulk_begin(&c->t);
			while (c->n < sizes[s])
				add_rule(c, bench_rule(test, by_port, c->n),
					 c->n);
			t0 = ktime_get_ns();
			KUNIT_EXPECT_EQ(test, 0, nfhook_table_bulk_end(&c->t));
			t0 = ktime_get_ns() - t0;
			bench_pkt(&last, by_port, c->n - 1);
			bench_pkt(&middle, by_port, c->n / 2);
			t_last = bench_min(c, &last, false, NULL);
			t_mid = bench_min(c, &middle, false, NULL);
			l_last = bench_min(c, &last, true, NULL);
			l_mid = bench_min(c, &middle, true, NULL);
			/* The classifier alone, also where the table walks. */
			cls = nfhook_cls_build(&c->t.rules);
			KUNIT_ASSERT_NOT_NULL(test, cls);
			c_last = bench_min(c, &last, false, cls);
			c_mid = bench_min(c, &middle, false, cls);
			nfhook_cls_retire(cls);
			bytes = nfhook_cls_bytes(rcu_access_pointer(c->t.cls));
			kunit_info(test, "%s %5u rules: table %llu / %llu, linear %llu / %llu, classifier %llu / %llu ns; classifier %zu bytes (%zu per rule), built in %llu us\n",
				   by_port ? "dport" : "saddr", c->n, t_last,
				   t_mid, l_last, l_mid, c_last, c_mid, bytes,
				   bytes / c->n, div_u64(t0, 1000));
		}
		bench_updates(c, by_port);
		rebase_counts(c);
		check_packets(c, 50, false, "after the measurements");
		reset_table(c);
	}
}

static struct kunit_case nfhook_cls_test_cases[] = {
	KUNIT_CASE(nfhook_test_cls_random),
	KUNIT_CASE(nfhook_test_cls_bulk),
	KUNIT_CASE(nfhook_test_cls_renumber),
	KUNIT_CASE(nfhook_test_cls_shapes),
	KUNIT_CASE(nfhook_test_cls_bench),
	KUNIT_CASE(nfhook_test_cls_race),
	{}
};

static struct kunit_suite nfhook_cls_test_suite = {
	.name = "nfhook_classifier",
	.init = cls_test_init,
	.exit = cls_test_exit,
	.test_cases = nfhook_cls_test_cases,
};

kunit_test_suite(nfhook_cls_test_suite);
