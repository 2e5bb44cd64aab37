// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rule table: order, insertion at an index, removal, limits, and
 * evaluation (count goes on, the first final action wins, no final rule
 * gives NFHOOK_ACTION_UNSPEC).
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/rcupdate.h>

#include "../nfhook.h"

static int table_test_init(struct kunit *test)
{
	struct nfhook_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	nfhook_table_init(t);
	test->priv = t;
	return 0;
}

static void table_test_exit(struct kunit *test)
{
	nfhook_table_flush(test->priv);
	/* The rules' RCU callbacks run before the test's memory goes. */
	rcu_barrier();
}

/* A rule @id with @action inserted at @index; NULL if that failed. */
static struct nfhook_rule *add(struct kunit *test, u32 id, u8 action,
			       u32 index, int expect)
{
	struct nfhook_rule *rule = nfhook_rule_alloc();
	int err;

	KUNIT_ASSERT_NOT_NULL(test, rule);
	rule->id = id;
	rule->action = action;
	rule->match.family = NFPROTO_IPV4;
	err = nfhook_table_insert(test->priv, rule, index);
	KUNIT_EXPECT_EQ(test, expect, err);
	if (err) {
		nfhook_rule_free(rule);
		return NULL;
	}
	return rule;
}

static void expect_order(struct kunit *test, const u32 *ids, unsigned int n)
{
	struct nfhook_table *t = test->priv;
	struct nfhook_rule *rule;
	unsigned int i = 0;

	KUNIT_EXPECT_EQ(test, n, nfhook_table_count(t));
	for (rule = nfhook_table_first(t); rule;
	     rule = nfhook_table_next(t, rule)) {
		KUNIT_ASSERT_LT(test, i, n);
		KUNIT_EXPECT_EQ_MSG(test, ids[i], rule->id, "position %u", i);
		/* Positions both ways agree with the walk. */
		KUNIT_EXPECT_PTR_EQ(test, rule, nfhook_table_at(t, i));
		KUNIT_EXPECT_EQ(test, i, nfhook_table_index(t, rule));
		i++;
	}
	KUNIT_EXPECT_EQ(test, n, i);
	KUNIT_EXPECT_PTR_EQ(test, NULL, nfhook_table_at(t, n));
	KUNIT_EXPECT_PTR_EQ(test, NULL, nfhook_table_at(t, U32_MAX));
}

#define EXPECT_ORDER(test, ...) do {					\
	static const u32 ids[] = { __VA_ARGS__ };			\
									\
	expect_order(test, ids, ARRAY_SIZE(ids));			\
} while (0)

static void nfhook_test_table_order(struct kunit *test)
{
	struct nfhook_table *t = test->priv;
	struct nfhook_rule *r1, *r5, *r6;

	KUNIT_EXPECT_EQ(test, 0U, t->count);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->rules));
	/* Only 0 (append) is a valid index in an empty table. */
	add(test, 9, NFHOOK_ACTION_ACCEPT, 1, -ERANGE);
	KUNIT_EXPECT_EQ(test, 0U, t->count);

	r1 = add(test, 1, NFHOOK_ACTION_ACCEPT, NFHOOK_INDEX_APPEND, 0);
	add(test, 2, NFHOOK_ACTION_ACCEPT, NFHOOK_INDEX_APPEND, 0);
	add(test, 3, NFHOOK_ACTION_ACCEPT, NFHOOK_INDEX_APPEND, 0);
	EXPECT_ORDER(test, 1, 2, 3);

	add(test, 4, NFHOOK_ACTION_ACCEPT, 0, 0);
	EXPECT_ORDER(test, 4, 1, 2, 3);
	r5 = add(test, 5, NFHOOK_ACTION_ACCEPT, 2, 0);
	EXPECT_ORDER(test, 4, 1, 5, 2, 3);
	r6 = add(test, 6, NFHOOK_ACTION_ACCEPT, 5, 0);	/* == count: append */
	EXPECT_ORDER(test, 4, 1, 5, 2, 3, 6);
	add(test, 7, NFHOOK_ACTION_ACCEPT, 7, -ERANGE);
	add(test, 7, NFHOOK_ACTION_ACCEPT, U32_MAX - 1, -ERANGE);
	EXPECT_ORDER(test, 4, 1, 5, 2, 3, 6);
	add(test, 8, NFHOOK_ACTION_ACCEPT, 4, 0);
	EXPECT_ORDER(test, 4, 1, 5, 2, 8, 3, 6);

	KUNIT_ASSERT_NOT_NULL(test, r5);
	nfhook_table_remove(t, r5);
	nfhook_rule_free_rcu(r5);
	EXPECT_ORDER(test, 4, 1, 2, 8, 3, 6);
	KUNIT_ASSERT_NOT_NULL(test, r6);
	nfhook_table_remove(t, r6);
	nfhook_rule_free_rcu(r6);
	EXPECT_ORDER(test, 4, 1, 2, 8, 3);
	KUNIT_ASSERT_NOT_NULL(test, r1);
	nfhook_table_remove(t, r1);
	nfhook_rule_free_rcu(r1);
	EXPECT_ORDER(test, 4, 2, 8, 3);

	add(test, 10, NFHOOK_ACTION_ACCEPT, 4, 0);
	EXPECT_ORDER(test, 4, 2, 8, 3, 10);

	nfhook_table_flush(t);
	KUNIT_EXPECT_EQ(test, 0U, t->count);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->rules));
	add(test, 11, NFHOOK_ACTION_ACCEPT, 0, 0);
	EXPECT_ORDER(test, 11);
}

static u8 eval(struct kunit *test, const struct nfhook_pkt *pkt)
{
	u8 verdict;

	rcu_read_lock();
	verdict = nfhook_table_eval(test->priv, pkt, pkt->len);
	rcu_read_unlock();
	return verdict;
}

static void expect_count(struct kunit *test, const struct nfhook_rule *rule,
			 u64 packets, u64 bytes)
{
	struct nfhook_count c;

	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ_MSG(test, packets, c.packets, "rule %u", rule->id);
	KUNIT_EXPECT_EQ_MSG(test, bytes, c.bytes, "rule %u", rule->id);
}

static void nfhook_test_table_eval(struct kunit *test)
{
	const struct nfhook_pkt tcp = {
		.family = NFPROTO_IPV4, .l4proto = IPPROTO_TCP, .len = 100,
	};
	const struct nfhook_pkt udp = {
		.family = NFPROTO_IPV4, .l4proto = IPPROTO_UDP, .len = 50,
	};
	struct nfhook_rule *count, *count_udp, *drop_udp, *accept, *drop;

	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_UNSPEC, eval(test, &tcp));

	count = add(test, 1, NFHOOK_ACTION_COUNT, NFHOOK_INDEX_APPEND, 0);
	KUNIT_ASSERT_NOT_NULL(test, count);
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_UNSPEC, eval(test, &tcp));
	expect_count(test, count, 1, 100);

	count_udp = add(test, 2, NFHOOK_ACTION_COUNT, NFHOOK_INDEX_APPEND, 0);
	drop_udp = add(test, 3, NFHOOK_ACTION_DROP, NFHOOK_INDEX_APPEND, 0);
	accept = add(test, 4, NFHOOK_ACTION_ACCEPT, NFHOOK_INDEX_APPEND, 0);
	drop = add(test, 5, NFHOOK_ACTION_DROP, NFHOOK_INDEX_APPEND, 0);
	KUNIT_ASSERT_NOT_NULL(test, count_udp);
	KUNIT_ASSERT_NOT_NULL(test, drop_udp);
	KUNIT_ASSERT_NOT_NULL(test, accept);
	KUNIT_ASSERT_NOT_NULL(test, drop);
	count_udp->match.fields = NFHOOK_MATCH_L4PROTO;
	count_udp->match.l4proto = IPPROTO_UDP;
	drop_udp->match = count_udp->match;

	/* tcp: counted by 1, skips 2 and 3, accepted by 4; 5 never sees it */
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_ACCEPT, eval(test, &tcp));
	expect_count(test, count, 2, 200);
	expect_count(test, count_udp, 0, 0);
	expect_count(test, drop_udp, 0, 0);
	expect_count(test, accept, 1, 100);
	expect_count(test, drop, 0, 0);

	/* udp: counted by 1 and 2, dropped by 3 */
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_DROP, eval(test, &udp));
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_DROP, eval(test, &udp));
	expect_count(test, count, 4, 300);
	expect_count(test, count_udp, 2, 100);
	expect_count(test, drop_udp, 2, 100);
	expect_count(test, accept, 1, 100);
	expect_count(test, drop, 0, 0);

	/* Without the accept rule, the drop behind it is reached. */
	nfhook_table_remove(test->priv, accept);
	nfhook_rule_free_rcu(accept);
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_DROP, eval(test, &tcp));
	expect_count(test, drop, 1, 100);
}

static struct kunit_case nfhook_table_test_cases[] = {
	KUNIT_CASE(nfhook_test_table_order),
	KUNIT_CASE(nfhook_test_table_eval),
	{}
};

static struct kunit_suite nfhook_table_test_suite = {
	.name = "nfhook_table",
	.init = table_test_init,
	.exit = table_test_exit,
	.test_cases = nfhook_table_test_cases,
};

kunit_test_suite(nfhook_table_test_suite);
