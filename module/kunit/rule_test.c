// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: netlink attributes to rule (nfhook_rule_policy, then
 * nfhook_rule_from_attrs()) and back (nfhook_rule_fill()).  Each case
 * builds a real RULE nest in an skb, so the policy sees what a netlink
 * request would carry.  Every rejection must come with the exact errno, an
 * extack message and the offending (or, when one is missing, the lacking)
 * attribute.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "../compat.h"
#include "../nfhook.h"

enum test_kind {
	T_END,
	T_U8,
	T_U16,
	T_U32,
	T_STR,
	T_IN4,
	T_IN6,
	T_BIN,		/* @v zero bytes */
	T_COUNTERS,	/* packets @v, bytes @v * 100 */
	T_COUNTERS_BAD,	/* a counters nest with a hook-only counter */
};

struct test_attr {
	u16 type;
	u8 kind;
	u32 v;
	const char *s;
};

#define A_U8(t, x)	{ NFHOOK_RULE_A_##t, T_U8, x }
#define A_U16(t, x)	{ NFHOOK_RULE_A_##t, T_U16, x }
#define A_U32(t, x)	{ NFHOOK_RULE_A_##t, T_U32, x }
#define A_STR(t, x)	{ NFHOOK_RULE_A_##t, T_STR, .s = x }
#define A_IN4(t, x)	{ NFHOOK_RULE_A_##t, T_IN4, .s = x }
#define A_IN6(t, x)	{ NFHOOK_RULE_A_##t, T_IN6, .s = x }
#define A_BIN(t, n)	{ NFHOOK_RULE_A_##t, T_BIN, n }
#define A_COUNTERS(n)	{ NFHOOK_RULE_A_COUNTERS, T_COUNTERS, n }

/* Family, hook and action of a case; NONE leaves one out. */
#define NONE		U32_MAX
#define HEAD(fam, hook)	{ fam, hook, NFHOOK_ACTION_ACCEPT }
#define HEAD4(hook)	HEAD(NFPROTO_IPV4, NF_INET_##hook)
#define HEAD6(hook)	HEAD(NFPROTO_IPV6, NF_INET_##hook)

#define TCP	A_U8(L4PROTO, IPPROTO_TCP)
#define UDP	A_U8(L4PROTO, IPPROTO_UDP)

/*
 * A ct state rule: refused by a kernel without connection tracking
 * (compat.h), whatever its value, else as @err says with @msg.
 */
#define CT_ERR(err)	(NFHOOK_HAVE_CONNTRACK ? (err) : -EOPNOTSUPP)
#define CT_MSG(msg)	(NFHOOK_HAVE_CONNTRACK ? (msg) : \
			 "no connection tracking")
#define CT_STATES(x)	A_U32(CT_STATE, x)
#define EST_REL		(NFHOOK_CT_STATE_ESTABLISHED | NFHOOK_CT_STATE_RELATED)

#define S63 "123456789012345678901234567890123456789012345678901234567890123"

struct rule_case {
	const char *name;
	u32 head[3];
	struct test_attr attrs[16];
	bool counters_ok;
	int err;
	bool policy;	/* refused by nfhook_rule_policy already */
	u16 bad;	/* type of the attribute named in the extack */
	u16 missing;	/* or the type of the missing one */
	const char *msg; /* part of the extack message, if given */
};

static const struct rule_case rule_cases[] = {
	/* accepted */
	{ "minimal ipv4", HEAD4(PRE_ROUTING) },
	{ "minimal ipv6, index and comment",
	  HEAD6(LOCAL_IN), { A_U32(INDEX, 3), A_STR(COMMENT, "web") } },
	{ "comment of 63 bytes", HEAD4(LOCAL_IN), { A_STR(COMMENT, S63) } },
	{ "empty comment", HEAD4(LOCAL_IN), { A_STR(COMMENT, "") } },
	{ "ipv4, every match", HEAD4(FORWARD),
	  { A_IN4(SRC_IPV4, "10.1.2.3"), A_U8(SRC_PREFIX, 8),
	    A_IN4(DST_IPV4, "192.168.1.1"), TCP, A_U16(SPORT_MIN, 1),
	    A_U16(SPORT_MAX, 1023), A_U16(DPORT_MIN, 80),
	    A_U8(TCP_FLAGS, 0x02), A_U8(TCP_FLAGS_MASK, 0x12),
	    A_STR(IIFNAME, "eth0"), A_STR(OIFNAME, "abcdefghijklmno"),
	    A_U32(LEN_MIN, 40), A_U32(LEN_MAX, 1500) } },
	{ "ipv6, every match", HEAD6(FORWARD),
	  { A_IN6(SRC_IPV6, "2001:db8::1"),
	    A_U8(SRC_PREFIX, 64), A_IN6(DST_IPV6, "fd00::1"),
	    A_U8(DST_PREFIX, 128), A_U8(L4PROTO, IPPROTO_ICMPV6),
	    A_U8(ICMP_TYPE, 1), A_U8(ICMP_CODE, 4), A_STR(IIFNAME, "a"),
	    A_STR(OIFNAME, "b"), A_U32(LEN_MIN, 40) } },
	{ "ipv4 icmp type", HEAD4(LOCAL_OUT),
	  { A_U8(L4PROTO, IPPROTO_ICMP), A_U8(ICMP_TYPE, 8) } },
	{ "ipv4 prefix 0", HEAD4(LOCAL_OUT),
	  { A_IN4(DST_IPV4, "1.2.3.4"), A_U8(DST_PREFIX, 0) } },
	{ "udplite ports", HEAD6(POST_ROUTING),
	  { A_U8(L4PROTO, IPPROTO_UDPLITE), A_U16(SPORT_MIN, 5),
	    A_U16(SPORT_MAX, 5) } },
	{ "sctp ports", HEAD4(POST_ROUTING),
	  { A_U8(L4PROTO, IPPROTO_SCTP), A_U16(DPORT_MIN, 0),
	    A_U16(DPORT_MAX, 65535) } },
	{ "tcp flags without mask", HEAD4(LOCAL_IN),
	  { TCP, A_U8(TCP_FLAGS, 0x04) } },
	{ "length maximum only", HEAD6(LOCAL_IN), { A_U32(LEN_MAX, 100) } },
	{ "protocol alone", HEAD6(LOCAL_IN), { A_U8(L4PROTO, 47) } },
	{ "count action", { NFPROTO_IPV4, 0, NFHOOK_ACTION_COUNT } },
	{ "counters in a replace", HEAD4(LOCAL_IN), { A_COUNTERS(7) },
	  .counters_ok = true },
	{ "rule id is ignored", HEAD4(LOCAL_IN), { A_U32(ID, 12) } },
	{ "ct state established,related", HEAD4(LOCAL_IN),
	  { CT_STATES(EST_REL) }, .err = CT_ERR(0),
	  .bad = NFHOOK_RULE_A_CT_STATE, .msg = CT_MSG(NULL) },
	{ "ct state, every state, with tcp dport 22", HEAD6(PRE_ROUTING),
	  { TCP, A_U16(DPORT_MIN, 22), CT_STATES(NFHOOK_CT_STATE_ALL) },
	  .err = CT_ERR(0), .bad = NFHOOK_RULE_A_CT_STATE,
	  .msg = CT_MSG(NULL) },
	{ "ct state untracked at output", HEAD4(LOCAL_OUT),
	  { CT_STATES(NFHOOK_CT_STATE_UNTRACKED) }, .err = CT_ERR(0),
	  .bad = NFHOOK_RULE_A_CT_STATE, .msg = CT_MSG(NULL) },

	/* refused by nfhook_rule_from_attrs() */
	{ "family missing", { NONE, 0, NFHOOK_ACTION_DROP },
	  .err = -EINVAL, .missing = NFHOOK_RULE_A_FAMILY, .msg = "family" },
	{ "family unknown", HEAD(7, 0), .err = -EINVAL,
	  .bad = NFHOOK_RULE_A_FAMILY, .msg = "unknown family" },
	{ "hook missing", { NFPROTO_IPV4, NONE, NFHOOK_ACTION_DROP },
	  .err = -EINVAL, .missing = NFHOOK_RULE_A_HOOK, .msg = "hook" },
	{ "index 4294967295", HEAD4(LOCAL_IN), { A_U32(INDEX, U32_MAX) },
	  .err = -ERANGE, .bad = NFHOOK_RULE_A_INDEX, .msg = "append" },
	{ "action missing", { NFPROTO_IPV4, 1, NONE },
	  .err = -EINVAL, .missing = NFHOOK_RULE_A_ACTION, .msg = "action" },
	{ "ipv4 source in an ipv6 rule",
	  HEAD6(LOCAL_IN), { A_IN4(SRC_IPV4, "1.2.3.4") }, .err = -EINVAL,
	  .bad = NFHOOK_RULE_A_SRC_IPV4, .msg = "ipv4 address in an ipv6" },
	{ "ipv4 destination in an ipv6 rule",
	  HEAD6(LOCAL_IN), { A_IN4(DST_IPV4, "1.2.3.4") }, .err = -EINVAL,
	  .bad = NFHOOK_RULE_A_DST_IPV4 },
	{ "ipv6 source in an ipv4 rule",
	  HEAD4(LOCAL_IN), { A_IN6(SRC_IPV6, "::1") }, .err = -EINVAL,
	  .bad = NFHOOK_RULE_A_SRC_IPV6, .msg = "ipv6 address in an ipv4" },
	{ "ipv6 destination in an ipv4 rule",
	  HEAD4(LOCAL_IN), { A_IN4(DST_IPV4, "1.2.3.4"),
	    A_IN6(DST_IPV6, "::1") }, .err = -EINVAL,
	  .bad = NFHOOK_RULE_A_DST_IPV6 },
	{ "ipv4 source prefix 33",
	  HEAD4(LOCAL_IN), { A_IN4(SRC_IPV4, "1.2.3.4"), A_U8(SRC_PREFIX, 33) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_SRC_PREFIX,
	  .msg = "out of range for ipv4" },
	{ "ipv4 destination prefix 128",
	  HEAD4(LOCAL_IN), { A_IN4(DST_IPV4, "1.2.3.4"),
	    A_U8(DST_PREFIX, 128) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_DST_PREFIX },
	{ "source prefix without address",
	  HEAD4(LOCAL_IN), { A_IN4(DST_IPV4, "1.2.3.4"), A_U8(SRC_PREFIX, 8) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_SRC_PREFIX,
	  .msg = "without an address" },
	{ "destination prefix without address",
	  HEAD6(LOCAL_IN), { A_U8(DST_PREFIX, 64) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_DST_PREFIX },
	{ "source ports reversed",
	  HEAD4(LOCAL_IN), { TCP, A_U16(SPORT_MIN, 10), A_U16(SPORT_MAX, 9) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_SPORT_MAX, .msg = "reversed" },
	{ "destination ports reversed",
	  HEAD6(LOCAL_IN), { UDP, A_U16(DPORT_MIN, 65535),
	    A_U16(DPORT_MAX, 0) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_DPORT_MAX },
	{ "source port maximum alone",
	  HEAD4(LOCAL_IN), { TCP, A_U16(SPORT_MAX, 9) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_SPORT_MAX },
	{ "destination port maximum alone",
	  HEAD4(LOCAL_IN), { TCP, A_U16(DPORT_MAX, 9) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_DPORT_MAX },
	{ "ports without protocol",
	  HEAD4(LOCAL_IN), { A_U16(SPORT_MIN, 1) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_SPORT_MIN,
	  .msg = "ports need protocol" },
	{ "ports with icmp",
	  HEAD4(LOCAL_IN), { A_U8(L4PROTO, IPPROTO_ICMP),
	    A_U16(DPORT_MIN, 1) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_DPORT_MIN },
	{ "icmp type without protocol", HEAD4(LOCAL_IN), { A_U8(ICMP_TYPE, 8) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_ICMP_TYPE,
	  .msg = "needs protocol icmp" },
	{ "icmp type with tcp", HEAD4(LOCAL_IN), { TCP, A_U8(ICMP_TYPE, 8) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_ICMP_TYPE },
	{ "icmp type with icmpv6 in ipv4",
	  HEAD4(LOCAL_IN), { A_U8(L4PROTO, IPPROTO_ICMPV6),
	    A_U8(ICMP_TYPE, 128) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_ICMP_TYPE },
	{ "icmp type with icmp in ipv6",
	  HEAD6(LOCAL_IN), { A_U8(L4PROTO, IPPROTO_ICMP), A_U8(ICMP_TYPE, 8) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_ICMP_TYPE,
	  .msg = "needs protocol icmpv6" },
	{ "icmp code without type",
	  HEAD4(LOCAL_IN), { A_U8(L4PROTO, IPPROTO_ICMP), A_U8(ICMP_CODE, 0) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_ICMP_CODE },
	{ "tcp flags without protocol", HEAD4(LOCAL_IN), { A_U8(TCP_FLAGS, 2) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_TCP_FLAGS,
	  .msg = "need protocol tcp" },
	{ "tcp flags with udp", HEAD6(LOCAL_IN), { UDP, A_U8(TCP_FLAGS, 2) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_TCP_FLAGS },
	{ "tcp flags mask alone",
	  HEAD4(LOCAL_IN), { TCP, A_U8(TCP_FLAGS_MASK, 2) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_TCP_FLAGS_MASK },
	{ "tcp flags outside the mask",
	  HEAD4(LOCAL_IN), { TCP, A_U8(TCP_FLAGS, 0x03),
	    A_U8(TCP_FLAGS_MASK, 0x01) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_TCP_FLAGS,
	  .msg = "outside their mask" },
	{ "length range reversed",
	  HEAD4(LOCAL_IN), { A_U32(LEN_MIN, 100), A_U32(LEN_MAX, 99) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_LEN_MAX },
	{ "counters outside a replace", HEAD4(LOCAL_IN), { A_COUNTERS(1) },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_COUNTERS },
	{ "input interface at output",
	  HEAD4(LOCAL_OUT), { A_STR(IIFNAME, "lo") },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_IIFNAME },
	{ "input interface at postrouting",
	  HEAD6(POST_ROUTING), { A_STR(IIFNAME, "lo") },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_IIFNAME },
	{ "output interface at prerouting",
	  HEAD6(PRE_ROUTING), { A_STR(OIFNAME, "lo") },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_OIFNAME },
	{ "output interface at input",
	  HEAD4(LOCAL_IN), { A_STR(OIFNAME, "lo") },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_OIFNAME },
	{ "empty input interface",
	  HEAD4(PRE_ROUTING), { A_STR(IIFNAME, "") },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_IIFNAME },
	{ "empty output interface",
	  HEAD4(POST_ROUTING), { A_STR(OIFNAME, "") },
	  .err = -EINVAL, .bad = NFHOOK_RULE_A_OIFNAME },

	{ "ct state without a state", HEAD4(LOCAL_IN), { CT_STATES(0) },
	  .err = CT_ERR(-EINVAL), .bad = NFHOOK_RULE_A_CT_STATE,
	  .msg = CT_MSG("no state") },

	/* refused by the policy */
	{ "family unspec", HEAD(NFPROTO_UNSPEC, 0), .err = -ERANGE,
	  .policy = true, .bad = NFHOOK_RULE_A_FAMILY },
	{ "family 11", HEAD(11, 0), .err = -ERANGE,
	  .policy = true, .bad = NFHOOK_RULE_A_FAMILY },
	{ "hook 5", HEAD(NFPROTO_IPV6, 5), .err = -ERANGE,
	  .policy = true, .bad = NFHOOK_RULE_A_HOOK },
	{ "action 0", { NFPROTO_IPV4, 0, NFHOOK_ACTION_UNSPEC },
	  .err = -ERANGE, .policy = true, .bad = NFHOOK_RULE_A_ACTION },
	{ "action past the last", { NFPROTO_IPV4, 0, NFHOOK_ACTION_MAX + 1 },
	  .err = -ERANGE, .policy = true, .bad = NFHOOK_RULE_A_ACTION },
	{ "prefix 129",
	  HEAD6(LOCAL_IN), { A_IN6(SRC_IPV6, "::1"), A_U8(SRC_PREFIX, 129) },
	  .err = -ERANGE, .policy = true, .bad = NFHOOK_RULE_A_SRC_PREFIX },
	{ "ipv4 address of 3 bytes", HEAD4(LOCAL_IN), { A_BIN(SRC_IPV4, 3) },
	  .err = -ERANGE, .policy = true, .bad = NFHOOK_RULE_A_SRC_IPV4 },
	{ "ipv6 address of 4 bytes", HEAD6(LOCAL_IN), { A_BIN(DST_IPV6, 4) },
	  .err = -ERANGE, .policy = true, .bad = NFHOOK_RULE_A_DST_IPV6 },
	{ "comment of 64 bytes", HEAD4(LOCAL_IN), { A_STR(COMMENT, S63 "4") },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_COMMENT },
	{ "interface name of 16 bytes",
	  HEAD4(LOCAL_IN), { A_STR(IIFNAME, "abcdefghijklmnop") },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_IIFNAME },
	{ "protocol of 2 bytes", HEAD4(LOCAL_IN), { A_BIN(L4PROTO, 2) },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_L4PROTO },
	{ "ct state with an unknown bit", HEAD4(LOCAL_IN),
	  { CT_STATES(NFHOOK_CT_STATE_NEW | (NFHOOK_CT_STATE_ALL + 1)) },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_CT_STATE },
	{ "ct state of 1 byte", HEAD4(LOCAL_IN), { A_U8(CT_STATE, 1) },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_CT_STATE },
	{ "rule id 0", HEAD4(LOCAL_IN), { A_U32(ID, 0) },
	  .err = -ERANGE, .policy = true, .bad = NFHOOK_RULE_A_ID },
	{ "pad attribute", HEAD4(LOCAL_IN), { { NFHOOK_RULE_A_PAD, T_BIN, 4 } },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_PAD },
	{ "unknown attribute",
	  HEAD4(LOCAL_IN), { { NFHOOK_RULE_A_MAX + 1, T_U32, 1 } },
	  .err = -EINVAL, .policy = true, .bad = NFHOOK_RULE_A_MAX + 1 },
	{ "hook counter in a rule's counters",
	  HEAD4(LOCAL_IN), { { NFHOOK_RULE_A_COUNTERS, T_COUNTERS_BAD } },
	  .counters_ok = true, .err = -EINVAL, .policy = true,
	  .bad = NFHOOK_COUNTERS_A_ACCEPTED_PACKETS },
};

static void rule_case_desc(const struct rule_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rule, rule_cases, rule_case_desc);

static int put_attr(struct sk_buff *skb, const struct test_attr *a)
{
	struct nlattr *nest;
	__be32 ip;
	struct in6_addr ip6;
	u8 zero[16] = {};

	switch (a->kind) {
	case T_U8:
		return nla_put_u8(skb, a->type, a->v);
	case T_U16:
		return nla_put_u16(skb, a->type, a->v);
	case T_U32:
		return nla_put_u32(skb, a->type, a->v);
	case T_STR:
		return nla_put_string(skb, a->type, a->s);
	case T_IN4:
		if (!in4_pton(a->s, -1, (u8 *)&ip, -1, NULL))
			return -EINVAL;
		return nla_put_in_addr(skb, a->type, ip);
	case T_IN6:
		if (!in6_pton(a->s, -1, ip6.s6_addr, -1, NULL))
			return -EINVAL;
		return nla_put_in6_addr(skb, a->type, &ip6);
	case T_BIN:
		return nla_put(skb, a->type, a->v, zero);
	case T_COUNTERS:
		nest = nla_nest_start(skb, a->type);
		if (!nest ||
		    nla_put_u64_64bit(skb, NFHOOK_COUNTERS_A_PACKETS, a->v,
				      NFHOOK_COUNTERS_A_PAD) ||
		    nla_put_u64_64bit(skb, NFHOOK_COUNTERS_A_BYTES,
				      a->v * 100ULL, NFHOOK_COUNTERS_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		return 0;
	case T_COUNTERS_BAD:
		nest = nla_nest_start(skb, a->type);
		if (!nest ||
		    nla_put_u64_64bit(skb, NFHOOK_COUNTERS_A_ACCEPTED_PACKETS,
				      1, NFHOOK_COUNTERS_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		return 0;
	}
	return -EINVAL;
}

/* A RULE nest holding @head (unless NULL) and @attrs, in @skb. */
static struct nlattr *put_rule(struct kunit *test, struct sk_buff *skb,
			       const u32 *head, const struct test_attr *attrs)
{
	static const u16 head_types[] = {
		NFHOOK_RULE_A_FAMILY, NFHOOK_RULE_A_HOOK, NFHOOK_RULE_A_ACTION,
	};
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, NFHOOK_A_RULE);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	for (i = 0; head && i < ARRAY_SIZE(head_types); i++)
		if (head[i] != NONE)
			KUNIT_ASSERT_EQ(test, 0, nla_put_u32(skb, head_types[i],
							     head[i]));
	for (; attrs->kind != T_END; attrs++)
		KUNIT_ASSERT_EQ(test, 0, put_attr(skb, attrs));
	nla_nest_end(skb, nest);
	return nest;
}

/* What a test allocated, freed when it ends, however it ends. */
struct rule_fixture {
	struct sk_buff *skb;
	struct nfhook_rule *rules[2];
	unsigned int nrules;
};

static int rule_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct rule_fixture),
				   GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void rule_test_exit(struct kunit *test)
{
	struct rule_fixture *fx = test->priv;

	while (fx->nrules)
		nfhook_rule_free(fx->rules[--fx->nrules]);
	kfree_skb(fx->skb);
}

static struct sk_buff *test_nlmsg(struct kunit *test)
{
	struct rule_fixture *fx = test->priv;

	KUNIT_ASSERT_NULL(test, fx->skb);
	fx->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->skb);
	return fx->skb;
}

static struct nfhook_rule *test_rule(struct kunit *test)
{
	struct rule_fixture *fx = test->priv;
	struct nfhook_rule *rule;

	KUNIT_ASSERT_LT(test, fx->nrules, ARRAY_SIZE(fx->rules));
	rule = nfhook_rule_alloc();
	KUNIT_ASSERT_NOT_NULL(test, rule);
	fx->rules[fx->nrules++] = rule;
	return rule;
}

/* @attr is there and of type @type. */
static bool is_attr(const struct nlattr *attr, u16 type)
{
	return attr && nla_type(attr) == type;
}

/*
 * The rule put back by nfhook_rule_fill() reads back to the same rule: the
 * canonical form loses nothing.
 */
static void check_round_trip(struct kunit *test, const struct nfhook_rule *rule,
			     u32 index, bool counters)
{
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct sk_buff *skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	struct nfhook_count c = { 7, 700 };
	struct nfhook_rule *back;
	struct nlattr *nest;
	u32 index2;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = nla_nest_start(skb, NFHOOK_A_RULE);
	err = nest ? nfhook_rule_fill(skb, rule, index,
				      counters ? &c : NULL) : -EMSGSIZE;
	KUNIT_EXPECT_EQ(test, 0, err);
	if (err) {
		kfree_skb(skb);
		return;
	}
	nla_nest_end(skb, nest);

	back = nfhook_rule_alloc();
	err = back ? nla_parse_nested(tb, NFHOOK_RULE_A_MAX, nest,
				      nfhook_rule_policy, NULL) : -ENOMEM;
	KUNIT_EXPECT_EQ(test, 0, err);
	if (!err) {
		KUNIT_EXPECT_EQ(test, rule->id,
				nla_get_u32(tb[NFHOOK_RULE_A_ID]));
		KUNIT_EXPECT_EQ(test, !!rule->comment[0],
				!!tb[NFHOOK_RULE_A_COMMENT]);
		err = nfhook_rule_from_attrs(back, nest, tb, true, &index2,
					     NULL);
		KUNIT_EXPECT_EQ(test, 0, err);
	}
	if (!err) {
		KUNIT_EXPECT_EQ(test, index, index2);
		KUNIT_EXPECT_EQ(test, rule->hook, back->hook);
		KUNIT_EXPECT_EQ(test, rule->action, back->action);
		KUNIT_EXPECT_STREQ(test, rule->comment, back->comment);
		KUNIT_EXPECT_EQ(test, 0, memcmp(&rule->match, &back->match,
						sizeof(rule->match)));
		if (counters) {
			KUNIT_EXPECT_EQ(test, -7ULL, back->reset_base.packets);
			KUNIT_EXPECT_EQ(test, -700ULL, back->reset_base.bytes);
		}
	}
	nfhook_rule_free(back);
	kfree_skb(skb);
}

static void nfhook_test_rule_attrs(struct kunit *test)
{
	const struct rule_case *c = test->param_value;
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb = test_nlmsg(test);
	struct nfhook_rule *rule;
	struct nlattr *nest;
	u32 index = 0;
	int err;

	nest = put_rule(test, skb, c->head, c->attrs);
	err = nla_parse_nested(tb, NFHOOK_RULE_A_MAX, nest, nfhook_rule_policy,
			       &extack);
	if (c->policy) {
		KUNIT_EXPECT_EQ(test, c->err, err);
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_TRUE(test, is_attr(extack.bad_attr, c->bad));
		return;
	}
	KUNIT_ASSERT_EQ(test, 0, err);

	rule = test_rule(test);
	err = nfhook_rule_from_attrs(rule, nest, tb, c->counters_ok, &index,
				     &extack);
	KUNIT_EXPECT_EQ(test, c->err, err);
	if (err) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		if (c->msg)
			KUNIT_EXPECT_NOT_NULL_MSG(test,
						  strstr(extack._msg, c->msg),
						  "message: %s", extack._msg);
		if (c->missing) {
			KUNIT_EXPECT_PTR_EQ(test, nest, extack.bad_attr);
			KUNIT_EXPECT_PTR_EQ(test, nest, extack.miss_nest);
			KUNIT_EXPECT_EQ(test, c->missing, extack.miss_type);
		} else {
			KUNIT_EXPECT_TRUE(test, is_attr(extack.bad_attr,
							c->bad));
			KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
					    (const struct nlattr *)tb[c->bad]);
		}
		return;
	}

	KUNIT_EXPECT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test, 0U, rule->id);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[NFHOOK_RULE_A_FAMILY]),
			(u32)rule->match.family);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[NFHOOK_RULE_A_HOOK]),
			(u32)rule->hook);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[NFHOOK_RULE_A_ACTION]),
			(u32)rule->action);
	KUNIT_EXPECT_EQ(test, tb[NFHOOK_RULE_A_INDEX] ?
			nla_get_u32(tb[NFHOOK_RULE_A_INDEX]) :
			NFHOOK_INDEX_APPEND, index);
	rule->id = 42;
	check_round_trip(test, rule, index == NFHOOK_INDEX_APPEND ? 0 : index,
			 c->counters_ok);
}

/* What the parsed rule holds: masked addresses, defaults filled in. */
static void nfhook_test_rule_values(struct kunit *test)
{
	static const struct test_attr v4[] = {
		A_U32(FAMILY, NFPROTO_IPV4), A_U32(HOOK, NF_INET_FORWARD),
		A_U32(ACTION, NFHOOK_ACTION_DROP), A_IN4(SRC_IPV4, "10.1.2.3"),
		A_U8(SRC_PREFIX, 12), A_IN4(DST_IPV4, "192.168.1.1"), TCP,
		A_U16(SPORT_MIN, 1000), A_U16(DPORT_MIN, 22),
		A_U16(DPORT_MAX, 23), A_U8(TCP_FLAGS, 0x02),
		A_U32(LEN_MIN, 40), A_COUNTERS(3), {}
	};
	static const struct test_attr v6[] = {
		A_U32(FAMILY, NFPROTO_IPV6), A_U32(HOOK, NF_INET_LOCAL_IN),
		A_U32(ACTION, NFHOOK_ACTION_COUNT),
		A_IN6(SRC_IPV6, "2001:db8:ffff::1"),
		A_U8(SRC_PREFIX, 35), A_U32(LEN_MAX, 1280),
		A_STR(IIFNAME, "veth0"), {}
	};
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct sk_buff *skb = test_nlmsg(test);
	struct nfhook_rule *r4 = test_rule(test), *r6 = test_rule(test);
	struct nfhook_match *m;
	struct nlattr *nest;
	u32 index;

	nest = put_rule(test, skb, NULL, v4);
	KUNIT_ASSERT_EQ(test, 0, nla_parse_nested(tb, NFHOOK_RULE_A_MAX, nest,
						  nfhook_rule_policy, NULL));
	KUNIT_ASSERT_EQ(test, 0, nfhook_rule_from_attrs(r4, nest, tb, true,
							&index, NULL));
	m = &r4->match;
	KUNIT_EXPECT_EQ(test, NFHOOK_INDEX_APPEND, index);
	KUNIT_EXPECT_EQ(test, (u32)(NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
				    NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT |
				    NFHOOK_MATCH_DPORT |
				    NFHOOK_MATCH_TCP_FLAGS | NFHOOK_MATCH_LEN),
			m->fields);
	KUNIT_EXPECT_EQ(test, 0x0a000000U, ntohl(m->saddr.ip));
	KUNIT_EXPECT_EQ(test, 0xfff00000U, ntohl(m->smask.ip));
	KUNIT_EXPECT_EQ(test, 12, m->sprefix);
	KUNIT_EXPECT_EQ(test, 0xc0a80101U, ntohl(m->daddr.ip));
	KUNIT_EXPECT_EQ(test, 0xffffffffU, ntohl(m->dmask.ip));
	KUNIT_EXPECT_EQ(test, 32, m->dprefix);
	KUNIT_EXPECT_EQ(test, 1000, m->sport_min);
	KUNIT_EXPECT_EQ(test, 1000, m->sport_max);
	KUNIT_EXPECT_EQ(test, 22, m->dport_min);
	KUNIT_EXPECT_EQ(test, 23, m->dport_max);
	KUNIT_EXPECT_EQ(test, 0x02, m->tcp_flags);
	KUNIT_EXPECT_EQ(test, 0x02, m->tcp_flags_mask);
	KUNIT_EXPECT_EQ(test, 40U, m->len_min);
	KUNIT_EXPECT_EQ(test, U32_MAX, m->len_max);
	KUNIT_EXPECT_EQ(test, -3ULL, r4->reset_base.packets);
	KUNIT_EXPECT_EQ(test, -300ULL, r4->reset_base.bytes);

	nest = put_rule(test, skb, NULL, v6);
	KUNIT_ASSERT_EQ(test, 0, nla_parse_nested(tb, NFHOOK_RULE_A_MAX, nest,
						  nfhook_rule_policy, NULL));
	KUNIT_ASSERT_EQ(test, 0, nfhook_rule_from_attrs(r6, nest, tb, false,
							&index, NULL));
	m = &r6->match;
	KUNIT_EXPECT_EQ(test, (u32)(NFHOOK_MATCH_SADDR | NFHOOK_MATCH_LEN |
				    NFHOOK_MATCH_IIF), m->fields);
	KUNIT_EXPECT_EQ(test, 0x20010db8U, ntohl(m->saddr.ip6[0]));
	KUNIT_EXPECT_EQ(test, 0xe0000000U, ntohl(m->saddr.ip6[1]));
	KUNIT_EXPECT_EQ(test, 0U, ntohl(m->saddr.ip6[2] | m->saddr.ip6[3]));
	KUNIT_EXPECT_EQ(test, 0xffffffffU, ntohl(m->smask.ip6[0]));
	KUNIT_EXPECT_EQ(test, 0xe0000000U, ntohl(m->smask.ip6[1]));
	KUNIT_EXPECT_EQ(test, 0U, ntohl(m->smask.ip6[2] | m->smask.ip6[3]));
	KUNIT_EXPECT_EQ(test, 0U, m->len_min);
	KUNIT_EXPECT_EQ(test, 1280U, m->len_max);
	KUNIT_EXPECT_STREQ(test, "veth0", m->iifname);
	KUNIT_EXPECT_EQ(test, 0ULL, r6->reset_base.packets);
}

/* Counting, reading and the lossless reset. */
static void nfhook_test_rule_counters(struct kunit *test)
{
	struct nfhook_rule *rule = test_rule(test);
	struct nfhook_ctrs *pool = NULL;
	struct nfhook_count c, cleared;

	/* Before it has a slot (as before it is in a table): zero. */
	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ(test, 0ULL, c.packets);
	KUNIT_EXPECT_EQ(test, 0ULL, c.bytes);
	KUNIT_ASSERT_EQ(test, 0, nfhook_ctrs_attach(&pool, rule));
	/* The rule is freed by the fixture, and the pool with it. */
	nfhook_ctrs_release(pool, 0);
	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ(test, 0ULL, c.packets);
	KUNIT_EXPECT_EQ(test, 0ULL, c.bytes);

	nfhook_rule_count(rule, 100);
	nfhook_rule_count(rule, 1400);
	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ(test, 2ULL, c.packets);
	KUNIT_EXPECT_EQ(test, 1500ULL, c.bytes);

	nfhook_rule_reset(rule, &cleared);
	KUNIT_EXPECT_EQ(test, 2ULL, cleared.packets);
	KUNIT_EXPECT_EQ(test, 1500ULL, cleared.bytes);
	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ(test, 0ULL, c.packets);
	KUNIT_EXPECT_EQ(test, 0ULL, c.bytes);

	nfhook_rule_count(rule, 60);
	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ(test, 1ULL, c.packets);
	KUNIT_EXPECT_EQ(test, 60ULL, c.bytes);
	nfhook_rule_reset(rule, &cleared);
	KUNIT_EXPECT_EQ(test, 1ULL, cleared.packets);
	KUNIT_EXPECT_EQ(test, 60ULL, cleared.bytes);

	/* Initial counters (replace) are a baseline below zero. */
	rule->reset_base.packets = -5ULL;
	rule->reset_base.bytes = -500ULL;
	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ(test, 5ULL + 3, c.packets);
	KUNIT_EXPECT_EQ(test, 500ULL + 1560, c.bytes);
}

#define SLOT_RULES	40

/* Where @rule's slot is on CPU 0 (always possible). */
static struct nfhook_rule_stats *slot0(const struct nfhook_rule *rule)
{
	return per_cpu_ptr(rule->stats, 0);
}

/*
 * Counter slots come from blocks that grow (8, 16, 32... slots), one slot
 * a rule; a freed rule's slot (at once if never published, after a grace
 * period otherwise) is handed out again, zeroed; the pool's bytes cover
 * every slot of every block on every possible CPU, and the pool goes with
 * its last slot once released (kmemleak would tell).
 */
static void nfhook_test_rule_ctr_slots(struct kunit *test)
{
	struct nfhook_rule **rules, *again;
	struct nfhook_rule_stats *old;
	struct nfhook_ctrs *pool = NULL;
	struct nfhook_count c;
	int i, j;

	rules = kunit_kcalloc(test, SLOT_RULES, sizeof(*rules), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	for (i = 0; i < SLOT_RULES; i++) {
		rules[i] = nfhook_rule_alloc();
		KUNIT_ASSERT_NOT_NULL(test, rules[i]);
		KUNIT_ASSERT_EQ(test, 0, nfhook_ctrs_attach(&pool, rules[i]));
		nfhook_rule_count(rules[i], 100 + i);
	}
	KUNIT_EXPECT_EQ(test, 3U, pool->nblocks);
	KUNIT_EXPECT_EQ(test, (u32)SLOT_RULES, pool->nused);
	KUNIT_EXPECT_GE(test, nfhook_ctrs_bytes(pool),
			(size_t)(8 + 16 + 32) * sizeof(struct nfhook_rule_stats) *
			num_possible_cpus());
	for (i = 0; i < SLOT_RULES; i++) {
		nfhook_rule_read(rules[i], &c);
		KUNIT_EXPECT_EQ_MSG(test, 1ULL, c.packets, "rule %d", i);
		KUNIT_EXPECT_EQ_MSG(test, 100ULL + i, c.bytes, "rule %d", i);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE_MSG(test, slot0(rules[i]),
						slot0(rules[j]),
						"rules %d and %d", i, j);
	}

	/* Never published: the slot is free at once, and zeroed for reuse. */
	old = slot0(rules[20]);
	nfhook_rule_free(rules[20]);
	KUNIT_EXPECT_EQ(test, (u32)SLOT_RULES - 1, pool->nused);
	again = nfhook_rule_alloc();
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_ASSERT_EQ(test, 0, nfhook_ctrs_attach(&pool, again));
	rules[20] = again;
	KUNIT_EXPECT_PTR_EQ(test, old, slot0(again));
	KUNIT_EXPECT_EQ(test, 3U, pool->nblocks);
	nfhook_rule_read(again, &c);
	KUNIT_EXPECT_EQ(test, 0ULL, c.packets);
	KUNIT_EXPECT_EQ(test, 0ULL, c.bytes);

	/* Unlinked ones give their slots back after a grace period. */
	for (i = 0; i < 10; i++)
		nfhook_rule_free_rcu(rules[i]);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, (u32)SLOT_RULES - 10, pool->nused);

	/* Released with slots in use: freed with the last of them. */
	nfhook_ctrs_release(pool, 0);
	for (i = 10; i < SLOT_RULES; i++)
		nfhook_rule_free(rules[i]);
}

/*
 * A full message: nfhook_rule_fill() says -EMSGSIZE (its caller cancels the
 * nest) and nfhook_put_count() takes its own nest back out.
 */
static void nfhook_test_rule_fill_full(struct kunit *test)
{
	struct rule_fixture *fx = test->priv;
	struct nfhook_rule *rule = test_rule(test);
	struct nfhook_count c = { 1, 2 };
	struct nlattr *nest, *attr;
	struct sk_buff *skb;
	unsigned int len;

	skb = alloc_skb(256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	fx->skb = skb;

	/* Room for the head, not for the comment of 4 + 64 bytes. */
	skb_put_zero(skb, skb_tailroom(skb) - 100);
	len = skb->len;
	rule->match.family = NFPROTO_IPV4;
	strscpy(rule->comment, S63, sizeof(rule->comment));
	KUNIT_EXPECT_EQ(test, -EMSGSIZE, nfhook_rule_fill(skb, rule, 0, &c));
	skb_trim(skb, len);

	nest = (struct nlattr *)skb_tail_pointer(skb);
	KUNIT_ASSERT_EQ(test, 0, nfhook_put_count(skb, NFHOOK_A_COUNTERS, &c));
	KUNIT_EXPECT_EQ(test, NFHOOK_A_COUNTERS, nla_type(nest));
	attr = nla_find_nested(nest, NFHOOK_COUNTERS_A_PACKETS);
	KUNIT_ASSERT_NOT_NULL(test, attr);
	KUNIT_EXPECT_EQ(test, 1ULL, nla_get_u64(attr));
	attr = nla_find_nested(nest, NFHOOK_COUNTERS_A_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, attr);
	KUNIT_EXPECT_EQ(test, 2ULL, nla_get_u64(attr));

	do {
		len = skb->len;
	} while (!nfhook_put_count(skb, NFHOOK_A_COUNTERS, &c));
	KUNIT_EXPECT_EQ(test, len, skb->len);
}

static struct kunit_case nfhook_rule_test_cases[] = {
	KUNIT_CASE_PARAM(nfhook_test_rule_attrs, rule_gen_params),
	KUNIT_CASE(nfhook_test_rule_values),
	KUNIT_CASE(nfhook_test_rule_counters),
	KUNIT_CASE(nfhook_test_rule_ctr_slots),
	KUNIT_CASE(nfhook_test_rule_fill_full),
	{}
};

static struct kunit_suite nfhook_rule_test_suite = {
	.name = "nfhook_rule",
	.init = rule_test_init,
	.exit = rule_test_exit,
	.test_cases = nfhook_rule_test_cases,
};

kunit_test_suite(nfhook_rule_test_suite);
