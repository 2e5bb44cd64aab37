// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: rulesets and replace transactions, without netlink.
 *
 * - A reserved rule stays out of the packet path until it is published, so
 *   the reply to RULE_ADD can be built (and fail) before any packet meets
 *   the rule.
 * - A dump resumes from a rule id only if that id still names a rule of the
 *   table being dumped: an id reused in another table, or deleted, falls
 *   back to the position.
 * - The change counter is 64 bits wide and does not wrap at 2^32.
 * - A transaction belongs to the socket that began it, not to its port id:
 *   the release of another socket that had the same port id leaves it
 *   alone; its owner's release ends it.
 */

#include <kunit/test.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "../netns.h"

#define V4	NFPROTO_IPV4

struct ruleset_fx {
	struct nfhook_ruleset *rs;
	u32 next_id;
};

static int ruleset_test_init(struct kunit *test)
{
	struct ruleset_fx *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	if (!fx)
		return -ENOMEM;
	fx->rs = nfhook_ruleset_alloc();
	if (!fx->rs)
		return -ENOMEM;
	test->priv = fx;
	return 0;
}

static void ruleset_test_exit(struct kunit *test)
{
	struct ruleset_fx *fx = test->priv;

	nfhook_ruleset_free(fx->rs);
	rcu_barrier();
}

/* A rule matching every packet of @hook, with @action, not yet reserved. */
static struct nfhook_rule *new_rule(struct kunit *test, u8 hook, u8 action)
{
	struct nfhook_rule *rule = nfhook_rule_alloc();

	KUNIT_ASSERT_NOT_NULL(test, rule);
	rule->match.family = V4;
	rule->hook = hook;
	rule->action = action;
	return rule;
}

/* @rule reserved and published at the end of its hook. */
static struct nfhook_rule *add_rule(struct kunit *test, u8 hook)
{
	struct ruleset_fx *fx = test->priv;
	struct nfhook_rule *rule = new_rule(test, hook, NFHOOK_ACTION_COUNT);
	u32 pos;

	KUNIT_ASSERT_EQ(test, 0,
			nfhook_ruleset_reserve(fx->rs, rule,
					       NFHOOK_INDEX_APPEND,
					       &fx->next_id, &pos));
	KUNIT_ASSERT_EQ(test, 0,
			nfhook_ruleset_publish(fx->rs, rule,
					       NFHOOK_INDEX_APPEND));
	return rule;
}

static u8 eval(struct ruleset_fx *fx, u8 hook)
{
	struct nfhook_pkt pkt = { .family = V4, .len = 60 };
	u8 action;

	rcu_read_lock();
	action = nfhook_table_eval(&fx->rs->tables[0][hook], &pkt, 60);
	rcu_read_unlock();
	return action;
}

static void nfhook_test_reserve_then_publish(struct kunit *test)
{
	struct ruleset_fx *fx = test->priv;
	struct nfhook_rule *rule;
	u32 pos = 99;

	add_rule(test, NF_INET_LOCAL_IN);
	rule = new_rule(test, NF_INET_LOCAL_IN, NFHOOK_ACTION_DROP);
	KUNIT_ASSERT_EQ(test, 0,
			nfhook_ruleset_reserve(fx->rs, rule,
					       NFHOOK_INDEX_APPEND,
					       &fx->next_id, &pos));
	KUNIT_EXPECT_EQ(test, 1U, pos);
	KUNIT_EXPECT_PTR_EQ(test, rule, xa_load(&fx->rs->ids, rule->id));
	/* Reserved: the packet path does not see it. */
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_UNSPEC,
			eval(fx, NF_INET_LOCAL_IN));
	KUNIT_EXPECT_EQ(test, 1U, fx->rs->nrules);

	KUNIT_ASSERT_EQ(test, 0,
			nfhook_ruleset_publish(fx->rs, rule,
					       NFHOOK_INDEX_APPEND));
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_DROP, eval(fx, NF_INET_LOCAL_IN));
	KUNIT_EXPECT_EQ(test, 2U, fx->rs->nrules);
	KUNIT_EXPECT_EQ(test, 1U, nfhook_ruleset_index_of(fx->rs, rule));
}

static void nfhook_test_unreserve(struct kunit *test)
{
	struct ruleset_fx *fx = test->priv;
	struct nfhook_rule *rule;
	u32 pos, id;

	rule = new_rule(test, NF_INET_FORWARD, NFHOOK_ACTION_DROP);
	KUNIT_ASSERT_EQ(test, 0,
			nfhook_ruleset_reserve(fx->rs, rule, 0, &fx->next_id,
					       &pos));
	id = rule->id;
	nfhook_ruleset_unreserve(fx->rs, rule);
	nfhook_rule_free(rule);
	KUNIT_EXPECT_NULL(test, xa_load(&fx->rs->ids, id));
	KUNIT_EXPECT_EQ(test, 0U, fx->rs->nrules);
	KUNIT_EXPECT_EQ(test, NFHOOK_ACTION_UNSPEC, eval(fx, NF_INET_FORWARD));
}

static void nfhook_test_reserve_past_end(struct kunit *test)
{
	struct ruleset_fx *fx = test->priv;
	struct nfhook_rule *rule;
	u32 pos;

	add_rule(test, NF_INET_FORWARD);
	rule = new_rule(test, NF_INET_FORWARD, NFHOOK_ACTION_DROP);
	KUNIT_EXPECT_EQ(test, -ERANGE,
			nfhook_ruleset_reserve(fx->rs, rule, 2, &fx->next_id,
					       &pos));
	KUNIT_EXPECT_EQ(test, 0,
			nfhook_ruleset_reserve(fx->rs, rule, 1, &fx->next_id,
					       &pos));
	KUNIT_EXPECT_EQ(test, 1U, pos);
	nfhook_ruleset_unreserve(fx->rs, rule);
	nfhook_rule_free(rule);
}

static void nfhook_test_resume(struct kunit *test)
{
	struct ruleset_fx *fx = test->priv;
	struct nfhook_rule *in1, *in2, *out1;

	in1 = add_rule(test, NF_INET_LOCAL_IN);
	in2 = add_rule(test, NF_INET_LOCAL_IN);
	out1 = add_rule(test, NF_INET_LOCAL_OUT);

	/* Same table: the rule after the last one dumped. */
	KUNIT_EXPECT_PTR_EQ(test, in2,
			    nfhook_ruleset_resume(fx->rs, 0, NF_INET_LOCAL_IN,
						  in1->id, 1));
	KUNIT_EXPECT_NULL(test,
			  nfhook_ruleset_resume(fx->rs, 0, NF_INET_LOCAL_IN,
						in2->id, 2));
	/* An id of another table is not followed into that table. */
	KUNIT_EXPECT_PTR_EQ(test, out1,
			    nfhook_ruleset_resume(fx->rs, 0,
						  NF_INET_LOCAL_OUT,
						  in1->id, 0));
	KUNIT_EXPECT_NULL(test,
			  nfhook_ruleset_resume(fx->rs, 0, NF_INET_LOCAL_OUT,
						in1->id, 1));
	/* A deleted id falls back to the position, quietly. */
	nfhook_ruleset_unlink(fx->rs, in1);
	KUNIT_EXPECT_PTR_EQ(test, in2,
			    nfhook_ruleset_resume(fx->rs, 0, NF_INET_LOCAL_IN,
						  ~0U, 0));
	KUNIT_EXPECT_NULL(test,
			  nfhook_ruleset_resume(fx->rs, 0, NF_INET_LOCAL_IN,
						~0U, 1));
}

static void nfhook_test_generation(struct kunit *test)
{
	struct nfhook_net *nn = kunit_kzalloc(test, sizeof(*nn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nn);
	nn->gen = U32_MAX;
	nfhook_net_changed(nn);
	KUNIT_EXPECT_EQ(test, (u64)U32_MAX + 1, nn->gen);
	nfhook_net_changed(nn);
	KUNIT_EXPECT_NE(test, (u64)1, nn->gen);
}

static struct socket *test_socket(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, PF_NETLINK,
						  SOCK_RAW, NETLINK_GENERIC,
						  &sock));
	return sock;
}

static void nfhook_test_txn_owner(struct kunit *test)
{
	struct nfhook_net *nn = kunit_kzalloc(test, sizeof(*nn), GFP_KERNEL);
	struct socket *owner, *other;
	const u32 portid = 4242;

	KUNIT_ASSERT_NOT_NULL(test, nn);
	mutex_init(&nn->lock);
	owner = test_socket(test);
	other = test_socket(test);

	mutex_lock(&nn->lock);
	KUNIT_ASSERT_EQ(test, 0, nfhook_txn_begin(nn, owner->sk, portid));
	KUNIT_EXPECT_EQ(test, -EBUSY, nfhook_txn_begin(nn, other->sk, portid));
	KUNIT_EXPECT_TRUE(test, nfhook_txn_owned_by(nn->txn, owner->sk));
	KUNIT_EXPECT_FALSE(test, nfhook_txn_owned_by(nn->txn, other->sk));
	mutex_unlock(&nn->lock);

	/* Another socket that had this port id goes: the owner lives on. */
	nfhook_txn_released(nn, portid);
	KUNIT_EXPECT_NOT_NULL(test, nn->txn);
	/* A socket of another port id goes. */
	sock_release(other);
	nfhook_txn_released(nn, portid + 1);
	KUNIT_EXPECT_NOT_NULL(test, nn->txn);

	/* The owner goes: so does its transaction, and its reference. */
	sock_release(owner);
	nfhook_txn_released(nn, portid);
	KUNIT_EXPECT_NULL(test, nn->txn);
	mutex_destroy(&nn->lock);
	rcu_barrier();
}

static struct kunit_case ruleset_cases[] = {
	KUNIT_CASE(nfhook_test_reserve_then_publish),
	KUNIT_CASE(nfhook_test_unreserve),
	KUNIT_CASE(nfhook_test_reserve_past_end),
	KUNIT_CASE(nfhook_test_resume),
	KUNIT_CASE(nfhook_test_generation),
	KUNIT_CASE(nfhook_test_txn_owner),
	{}
};

static struct kunit_suite ruleset_suite = {
	.name = "nfhook_ruleset",
	.init = ruleset_test_init,
	.exit = ruleset_test_exit,
	.test_cases = ruleset_cases,
};

kunit_test_suites(&ruleset_suite);
