// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the hook function's work, nfhook_verdict(), on crafted skbs.
 *
 * Good TCP, UDP and ICMP packets over IPv4 and IPv6 meet drop, accept and
 * count rules and the policy; truncated packets, fragments and IPv6
 * extension headers meet port rules, which they must never match, and
 * address rules, which they still match.  Each case runs its packet twice
 * and checks the verdicts and every hook and rule counter, to the byte.
 *
 * The hook is set up (nfhook_hook_init()) but never registered, and the
 * ruleset is the test's own: nothing here touches a network namespace.
 */

#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/rcupdate.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "../compat.h"
#include "../netns.h"
#include "skb_util.h"

#define V4	NFPROTO_IPV4
#define V6	NFPROTO_IPV6

/* Every case runs at forward, where a packet has both devices. */
#define TEST_HOOK	NF_INET_FORWARD
#define TEST_IN		"in0"
#define TEST_OUT	"out0"

#define ACCEPT	NFHOOK_ACTION_ACCEPT
#define DROP	NFHOOK_ACTION_DROP
#define COUNT	NFHOOK_ACTION_COUNT

#define HOOK_CASE_RULES	3

/*
 * A rule of a case.  An address field gets the packet's own address with
 * the full prefix, or one differing in its last bit when @other_addr.
 */
struct hook_rule {
	u8 action;			/* 0: no rule */
	struct nfhook_match m;
	bool other_addr;
};

#define R_ANY(act)		{ act }
#define R_PROTO(act, p)		{ act, { .fields = NFHOOK_MATCH_L4PROTO, \
					 .l4proto = (p) } }
#define R_DPORT(act, p, lo, hi)	{ act, { .fields = NFHOOK_MATCH_L4PROTO | \
						   NFHOOK_MATCH_DPORT, \
					 .l4proto = (p), .dport_min = (lo), \
					 .dport_max = (hi) } }
#define R_ICMP(act, p, type)	{ act, { .fields = NFHOOK_MATCH_L4PROTO | \
						   NFHOOK_MATCH_ICMP_TYPE, \
					 .l4proto = (p), .icmp_type = (type) } }
#define R_DADDR(act)		{ act, { .fields = NFHOOK_MATCH_DADDR } }
#define R_SADDR_OTHER(act)	{ act, { .fields = NFHOOK_MATCH_SADDR }, true }
#define R_IIF(act, name)	{ act, { .fields = NFHOOK_MATCH_IIF, \
					 .iifname = name } }
#define R_CT(act, st)		{ act, { .fields = NFHOOK_MATCH_CT_STATE, \
					 .ct_state = (st) } }
#define R_OIF(act, name)	{ act, { .fields = NFHOOK_MATCH_OIF, \
					 .oifname = name } }

struct hook_case {
	const char *name;
	struct nfhook_test_pkt pkt;
	u8 policy;			/* 0: accept */
	struct hook_rule rules[HOOK_CASE_RULES];
	/* expected */
	enum nfhook_hook_counter counter;	/* ACCEPTED: NF_ACCEPT */
	unsigned int hits;		/* bit n: rule n counts the packet */
};

#define TCP_443		R_DPORT(DROP, IPPROTO_TCP, TEST_DPORT, TEST_DPORT)
#define UDP_443		R_DPORT(DROP, IPPROTO_UDP, TEST_DPORT, TEST_DPORT)
#define TO_IT		R_DADDR(DROP)
/* SYN set, whatever else. */
#define R_FLAGS(act)	{ act, { .fields = NFHOOK_MATCH_L4PROTO | \
					   NFHOOK_MATCH_TCP_FLAGS, \
				 .l4proto = IPPROTO_TCP, .tcp_flags = 0x02, \
				 .tcp_flags_mask = 0x02 } }

static const struct hook_case hook_cases[] = {
	/* good packets, one drop rule */
	{ "v4 tcp, drop tcp dport 443: dropped", { V4, IPPROTO_TCP },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 tcp, drop tcp dport 1-442: accepted", { V4, IPPROTO_TCP },
	  .rules = { R_DPORT(DROP, IPPROTO_TCP, 1, TEST_DPORT - 1) },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v4 udp, drop udp dport 443: dropped", { V4, IPPROTO_UDP },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 udp, drop tcp dport 443: accepted", { V4, IPPROTO_UDP },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_ACCEPTED },
	{ "v4 icmp, drop icmp dest-unreachable: dropped", { V4, IPPROTO_ICMP },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMP, ICMP_DEST_UNREACH) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 icmp, drop icmp echo-request: accepted", { V4, IPPROTO_ICMP },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMP, ICMP_ECHO) },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v6 tcp, drop tcp dport 443: dropped", { V6, IPPROTO_TCP },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 tcp, drop tcp dport 444-65535: accepted", { V6, IPPROTO_TCP },
	  .rules = { R_DPORT(DROP, IPPROTO_TCP, TEST_DPORT + 1, 65535) },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v6 udp, drop udp dport 443: dropped", { V6, IPPROTO_UDP },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 udp, drop tcp dport 443: accepted", { V6, IPPROTO_UDP },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_ACCEPTED },
	{ "v6 icmpv6, drop icmpv6 dest-unreachable: dropped",
	  { V6, IPPROTO_ICMPV6 },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMPV6, ICMPV6_DEST_UNREACH) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 icmpv6, drop icmpv6 echo-request: accepted",
	  { V6, IPPROTO_ICMPV6 },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMPV6, ICMPV6_ECHO_REQUEST) },
	  .counter = NFHOOK_HC_ACCEPTED },
	/* addresses and devices */
	{ "v4 drop to its destination: dropped", { V4, IPPROTO_UDP },
	  .rules = { TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 drop from another source: accepted", { V4, IPPROTO_UDP },
	  .rules = { R_SADDR_OTHER(DROP) }, .counter = NFHOOK_HC_ACCEPTED },
	{ "v6 drop to its destination: dropped", { V6, IPPROTO_TCP },
	  .rules = { TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 drop from another source: accepted", { V6, IPPROTO_TCP },
	  .rules = { R_SADDR_OTHER(DROP) }, .counter = NFHOOK_HC_ACCEPTED },
	{ "v4 drop iif in0: dropped", { V4, IPPROTO_TCP },
	  .rules = { R_IIF(DROP, TEST_IN) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 drop oif out1: accepted", { V6, IPPROTO_TCP },
	  .rules = { R_OIF(DROP, "out1") }, .counter = NFHOOK_HC_ACCEPTED },
	/* actions and the policy */
	{ "count, count tcp, drop tcp dport 443: all three count",
	  { V4, IPPROTO_TCP },
	  .rules = { R_ANY(COUNT), R_PROTO(COUNT, IPPROTO_TCP), TCP_443 },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 7 },
	{ "count, accept, drop: the first final rule wins", { V6, IPPROTO_UDP },
	  .rules = { R_ANY(COUNT), R_ANY(ACCEPT), R_ANY(DROP) },
	  .counter = NFHOOK_HC_ACCEPTED, .hits = 3 },
	{ "drop udp, accept: tcp goes past the udp rule", { V6, IPPROTO_TCP },
	  .rules = { R_PROTO(DROP, IPPROTO_UDP), R_ANY(ACCEPT) },
	  .counter = NFHOOK_HC_ACCEPTED, .hits = 2 },
	{ "no rules, policy drop", { V4, IPPROTO_UDP }, .policy = DROP,
	  .counter = NFHOOK_HC_POLICY_DROPPED },
	{ "no rules, policy accept", { V6, IPPROTO_UDP },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "count and a missed drop, policy drop", { V6, IPPROTO_UDP },
	  .policy = DROP, .rules = { R_ANY(COUNT), TCP_443 },
	  .counter = NFHOOK_HC_POLICY_DROPPED, .hits = 1 },
	{ "accept tcp, policy drop: accepted", { V4, IPPROTO_TCP },
	  .policy = DROP, .rules = { R_PROTO(ACCEPT, IPPROTO_TCP) },
	  .counter = NFHOOK_HC_ACCEPTED, .hits = 1 },
	{ "count, policy accept: accepted", { V4, IPPROTO_ICMP },
	  .rules = { R_ANY(COUNT) }, .counter = NFHOOK_HC_ACCEPTED, .hits = 1 },
	/* no conntrack ever saw a crafted skb: invalid, as before conntrack */
	{ "v4 tcp without conntrack: ct state invalid drops",
	  { V4, IPPROTO_TCP },
	  .rules = { R_CT(ACCEPT, NFHOOK_CT_STATE_ESTABLISHED |
			  NFHOOK_CT_STATE_RELATED), R_CT(DROP,
			  NFHOOK_CT_STATE_INVALID) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v6 tcp without conntrack: established,related,new miss, policy drops",
	  { V6, IPPROTO_TCP }, .policy = DROP,
	  .rules = { R_CT(ACCEPT, NFHOOK_CT_STATE_ESTABLISHED |
			  NFHOOK_CT_STATE_RELATED),
		     R_CT(ACCEPT, NFHOOK_CT_STATE_NEW),
		     R_CT(COUNT, NFHOOK_CT_STATE_INVALID |
			  NFHOOK_CT_STATE_UNTRACKED) },
	  .counter = NFHOOK_HC_POLICY_DROPPED, .hits = 4 },
	/* truncated and malformed: no ports, but addresses and protocol */
	{ "v4 tcp header cut after the flags: port misses, address drops",
	  { V4, IPPROTO_TCP, .cut = 20 + 14 }, .rules = { TCP_443, TO_IT },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v4 tcp header cut after the flags: protocol drops",
	  { V4, IPPROTO_TCP, .cut = 20 + 14 },
	  .rules = { R_PROTO(DROP, IPPROTO_TCP) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 udp total length short: port misses, address drops",
	  { V4, IPPROTO_UDP, .len_adjust = -1 }, .rules = { UDP_443, TO_IT },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v4 icmp header cut: type misses", { V4, IPPROTO_ICMP, .cut = 21 },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMP, ICMP_DEST_UNREACH) },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v4 IHL 4: port misses, address drops", { V4, IPPROTO_TCP, .ihl = 4 },
	  .rules = { TCP_443, TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED,
	  .hits = 2 },
	{ "v4 tcp data offset 4: port misses", { V4, IPPROTO_TCP, .doff = 4 },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_ACCEPTED },
	{ "v4 IP header cut: nothing matches, policy drops",
	  { V4, IPPROTO_TCP, .cut = 19 }, .policy = DROP,
	  .rules = { R_DADDR(ACCEPT), R_PROTO(ACCEPT, IPPROTO_TCP) },
	  .counter = NFHOOK_HC_POLICY_DROPPED },
	{ "v6 udp header cut: port misses, address drops",
	  { V6, IPPROTO_UDP, .cut = 40 + 4 }, .rules = { UDP_443, TO_IT },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v6 IP header cut: nothing matches, policy drops",
	  { V6, IPPROTO_UDP, .cut = 39 }, .policy = DROP,
	  .rules = { R_DADDR(ACCEPT), R_PROTO(ACCEPT, IPPROTO_UDP) },
	  .counter = NFHOOK_HC_POLICY_DROPPED },
	/* fragments: only the first one has ports */
	{ "v4 first fragment: port drops", { V4, IPPROTO_UDP, .frag = IP_MF },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 non-first fragment: port misses, address drops",
	  { V4, IPPROTO_UDP, .frag = 1 }, .rules = { UDP_443, TO_IT },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v4 last fragment: protocol drops", { V4, IPPROTO_TCP, .frag = 185 },
	  .rules = { TCP_443, R_PROTO(DROP, IPPROTO_TCP) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v4 non-first fragment: icmp type misses",
	  { V4, IPPROTO_ICMP, .frag = 1 },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMP, ICMP_DEST_UNREACH) },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v6 first fragment: port drops",
	  { V6, IPPROTO_UDP, { NEXTHDR_FRAGMENT }, 1, .frag = IP6_MF },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 non-first fragment: port misses, address drops",
	  { V6, IPPROTO_TCP, { NEXTHDR_FRAGMENT }, 1, .frag = 16 | IP6_MF },
	  .rules = { TCP_443, TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED,
	  .hits = 2 },
	{ "v6 non-first fragment: protocol drops",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_FRAGMENT }, 2,
	    .frag = 0xfff8 },
	  .rules = { TCP_443, R_PROTO(DROP, IPPROTO_TCP) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v6 fragment header cut: port misses, address drops",
	  { V6, IPPROTO_UDP, { NEXTHDR_FRAGMENT }, 1, .cut = 40 + 3 },
	  .rules = { UDP_443, TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED,
	  .hits = 2 },
	/* tiny fragments (RFC 1858): dropped where a rule reads ports */
	{ "v4 tcp first fragment of 8 bytes, port rule: fragment dropped",
	  { V4, IPPROTO_TCP, .frag = IP_MF, .cut = 20 + 8 },
	  .rules = { TCP_443, R_ANY(ACCEPT) },
	  .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v4 tcp first fragment of 8 bytes, policy drop: fragment dropped",
	  { V4, IPPROTO_TCP, .frag = IP_MF, .cut = 20 + 8 }, .policy = DROP,
	  .rules = { R_DPORT(ACCEPT, IPPROTO_TCP, 1, 65535) },
	  .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v4 tcp first fragment of 8 bytes, address rule only: rule drops",
	  { V4, IPPROTO_TCP, .frag = IP_MF, .cut = 20 + 8 },
	  .rules = { TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v4 tcp first fragment of 8 bytes, no rules: accepted",
	  { V4, IPPROTO_TCP, .frag = IP_MF, .cut = 20 + 8 },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v4 tcp fragment at offset 8, flags rule: fragment dropped",
	  { V4, IPPROTO_TCP, .frag = 1 | IP_MF },
	  .rules = { R_PROTO(ACCEPT, IPPROTO_UDP), R_FLAGS(DROP) },
	  .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v4 tcp fragment at offset 16, port rule: address drops",
	  { V4, IPPROTO_TCP, .frag = 2 }, .rules = { TCP_443, TO_IT },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v4 sctp first fragment of 8 bytes: fragment dropped",
	  { V4, IPPROTO_SCTP, .frag = IP_MF, .cut = 20 + 8 },
	  .rules = { R_DPORT(DROP, IPPROTO_SCTP, 1, 2) },
	  .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v4 udp first fragment of 4 bytes: fragment dropped",
	  { V4, IPPROTO_UDP, .frag = IP_MF, .cut = 20 + 4 },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v4 icmp first fragment of 4 bytes: fragment dropped",
	  { V4, IPPROTO_ICMP, .frag = IP_MF, .cut = 20 + 4 },
	  .rules = { R_ICMP(ACCEPT, IPPROTO_ICMP, ICMP_ECHO) },
	  .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v4 tcp whole but cut to 8 bytes: no fragment, port misses",
	  { V4, IPPROTO_TCP, .cut = 20 + 8 }, .rules = { TCP_443 },
	  .counter = NFHOOK_HC_ACCEPTED },
	{ "v6 tcp first fragment of 8 bytes: fragment dropped",
	  { V6, IPPROTO_TCP, { NEXTHDR_FRAGMENT }, 1, .frag = IP6_MF,
	    .cut = 40 + 8 + 8 },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v6 first fragment cut in the chain: fragment dropped",
	  { V6, IPPROTO_TCP, { NEXTHDR_FRAGMENT, NEXTHDR_DEST }, 2,
	    .frag = IP6_MF, .cut = 40 + 8 + 4 },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v6 tcp fragment at offset 8: fragment dropped",
	  { V6, IPPROTO_TCP, { NEXTHDR_FRAGMENT }, 1, .frag = 8 | IP6_MF },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v6 icmpv6 first fragment of 4 bytes: fragment dropped",
	  { V6, IPPROTO_ICMPV6, { NEXTHDR_FRAGMENT }, 1, .frag = IP6_MF,
	    .cut = 40 + 8 + 4 },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMPV6, ICMPV6_ECHO_REQUEST) },
	  .counter = NFHOOK_HC_FRAGMENT_DROPPED },
	{ "v6 udp first fragment, whole header: port drops",
	  { V6, IPPROTO_UDP, { NEXTHDR_FRAGMENT }, 1, .frag = IP6_MF,
	    .cut = 40 + 8 + 8 },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	/* IPv6 extension headers */
	{ "v6 hop-by-hop, routing, AH, destination options: port drops",
	  { V6, IPPROTO_UDP, { NEXTHDR_HOP, NEXTHDR_ROUTING, NEXTHDR_AUTH,
			       NEXTHDR_DEST }, 4 },
	  .rules = { UDP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 hop-by-hop, destination options, paged: port drops",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2, .paged = 50 },
	  .rules = { TCP_443 }, .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 hop-by-hop: protocol is the one behind it",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP }, 1 },
	  .rules = { R_PROTO(DROP, NEXTHDR_HOP), R_PROTO(DROP, IPPROTO_TCP) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 2 },
	{ "v6 hop-by-hop, icmpv6: type drops",
	  { V6, IPPROTO_ICMPV6, { NEXTHDR_HOP }, 1 },
	  .rules = { R_ICMP(DROP, IPPROTO_ICMPV6, ICMPV6_DEST_UNREACH) },
	  .counter = NFHOOK_HC_RULE_DROPPED, .hits = 1 },
	{ "v6 chain cut in destination options: port misses, address drops",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2,
	    .cut = 40 + 16 + 1 },
	  .rules = { TCP_443, TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED,
	  .hits = 2 },
	{ "v6 payload length ends in the chain: port misses, address drops",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2,
	    .len_adjust = -20 - 8 },
	  .rules = { TCP_443, TO_IT }, .counter = NFHOOK_HC_RULE_DROPPED,
	  .hits = 2 },
};

static void hook_case_desc(const struct hook_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hook, hook_cases, hook_case_desc);

struct hook_fx {
	struct nfhook_ruleset *rs;	/* the test's own, never published */
	struct nfhook_hook hook;	/* set up by fx_hook() */
	struct net_device *in, *out;
	u32 next_id;
};

static int hook_test_init(struct kunit *test)
{
	struct hook_fx *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	if (!fx)
		return -ENOMEM;
	fx->rs = nfhook_ruleset_alloc();
	if (!fx->rs)
		return -ENOMEM;
	fx->in = nfhook_test_dev(test, TEST_IN);
	fx->out = nfhook_test_dev(test, TEST_OUT);
	test->priv = fx;
	return 0;
}

static void hook_test_exit(struct kunit *test)
{
	struct hook_fx *fx = test->priv;

	if (fx->hook.stats)
		nfhook_hook_uninit(&fx->hook);
	nfhook_ruleset_free(fx->rs);
	/* The rules' RCU callbacks run before the test's memory goes. */
	rcu_barrier();
}

/* Sets up the hook of @family at TEST_HOOK with @policy (0: accept). */
static struct nfhook_hook *fx_hook(struct kunit *test, u8 family, u8 policy)
{
	struct hook_fx *fx = test->priv;
	int fidx = nfhook_family_index(family);

	KUNIT_ASSERT_EQ(test, 0, nfhook_hook_init(&fx->hook, NULL, fidx,
						  TEST_HOOK, 0));
	fx->rs->policy[fidx][TEST_HOOK] = policy ?: NFHOOK_ACTION_ACCEPT;
	return &fx->hook;
}

/* The packets' address (@dst or source) as a full-length rule address. */
static void rule_addr(u8 family, bool dst, bool other,
		      union nf_inet_addr *addr, union nf_inet_addr *mask,
		      u8 *prefix)
{
	nfhook_test_addr(family, dst, addr);
	if (other)
		addr->in6.s6_addr[family == V4 ? 3 : 15] ^= 1;
	memset(mask, 0, sizeof(*mask));
	memset(mask, 0xff, family == V4 ? 4 : 16);
	*prefix = family == V4 ? 32 : 128;
}

/* Appends @hr to the hook's table; asserts it is there. */
static struct nfhook_rule *fx_rule(struct kunit *test, u8 family,
				   const struct hook_rule *hr)
{
	struct hook_fx *fx = test->priv;
	struct nfhook_rule *rule;
	struct nfhook_match *m;
	int err;

	rule = nfhook_rule_alloc();
	KUNIT_ASSERT_NOT_NULL(test, rule);
	rule->id = ++fx->next_id;
	rule->hook = TEST_HOOK;
	rule->action = hr->action;
	m = &rule->match;
	*m = hr->m;
	m->family = family;
	if (m->fields & NFHOOK_MATCH_SADDR)
		rule_addr(family, false, hr->other_addr, &m->saddr, &m->smask,
			  &m->sprefix);
	if (m->fields & NFHOOK_MATCH_DADDR)
		rule_addr(family, true, hr->other_addr, &m->daddr, &m->dmask,
			  &m->dprefix);

	err = nfhook_table_insert(&fx->rs->tables[nfhook_family_index(family)]
						  [TEST_HOOK],
				  rule, NFHOOK_INDEX_APPEND);
	if (err)
		nfhook_rule_free(rule);
	KUNIT_ASSERT_EQ(test, 0, err);
	return rule;
}

/* What the hook function would return for @skb. */
static unsigned int fx_run(struct kunit *test, const struct sk_buff *skb)
{
	struct hook_fx *fx = test->priv;
	unsigned int verdict;

	rcu_read_lock();
	verdict = nfhook_verdict(&fx->hook, fx->rs, skb, fx->in, fx->out);
	rcu_read_unlock();
	return verdict;
}

static const char *const hc_names[NFHOOK_HC_NUM] = {
	[NFHOOK_HC_SEEN]		= "seen",
	[NFHOOK_HC_ACCEPTED]		= "accepted",
	[NFHOOK_HC_RULE_DROPPED]	= "rule-dropped",
	[NFHOOK_HC_POLICY_DROPPED]	= "policy-dropped",
	[NFHOOK_HC_FRAGMENT_DROPPED]	= "fragment-dropped",
};

static void expect_hook_count(struct kunit *test,
			      const struct nfhook_hook_count *want,
			      const struct nfhook_hook_count *got)
{
	int i;

	for (i = 0; i < NFHOOK_HC_NUM; i++) {
		KUNIT_EXPECT_EQ_MSG(test, want->c[i].packets, got->c[i].packets,
				    "%s packets", hc_names[i]);
		KUNIT_EXPECT_EQ_MSG(test, want->c[i].bytes, got->c[i].bytes,
				    "%s bytes", hc_names[i]);
	}
}

/* The hook's counters read @want. */
static void expect_hook(struct kunit *test,
			const struct nfhook_hook_count *want)
{
	struct hook_fx *fx = test->priv;
	struct nfhook_hook_count c;

	nfhook_hook_read(&fx->hook, &c);
	expect_hook_count(test, want, &c);
}

static void expect_rule(struct kunit *test, const struct nfhook_rule *rule,
			u64 packets, u64 bytes)
{
	struct nfhook_count c;

	nfhook_rule_read(rule, &c);
	KUNIT_EXPECT_EQ_MSG(test, packets, c.packets, "rule %u packets",
			    rule->id);
	KUNIT_EXPECT_EQ_MSG(test, bytes, c.bytes, "rule %u bytes", rule->id);
}

#define ROUNDS	2

static unsigned int verdict_of(enum nfhook_hook_counter counter)
{
	return counter == NFHOOK_HC_ACCEPTED ? NF_ACCEPT : NF_DROP;
}

static void nfhook_test_verdict(struct kunit *test)
{
	const struct hook_case *c = test->param_value;
	struct nfhook_rule *rules[HOOK_CASE_RULES] = {};
	unsigned int want = verdict_of(c->counter);
	struct nfhook_hook_count count = {};
	unsigned int len, n, i;
	struct sk_buff *skb;

	fx_hook(test, c->pkt.family, c->policy);
	for (n = 0; n < HOOK_CASE_RULES && c->rules[n].action; n++)
		rules[n] = fx_rule(test, c->pkt.family, &c->rules[n]);

	skb = nfhook_test_pkt_skb(test, &c->pkt, &len);
	KUNIT_EXPECT_EQ(test, !!c->pkt.paged, !!skb_is_nonlinear(skb));
	for (i = 0; i < ROUNDS; i++)
		KUNIT_EXPECT_EQ_MSG(test, want, fx_run(test, skb), "round %u",
				    i);
	kfree_skb(skb);

	count.c[NFHOOK_HC_SEEN].packets = ROUNDS;
	count.c[NFHOOK_HC_SEEN].bytes = ROUNDS * len;
	count.c[c->counter] = count.c[NFHOOK_HC_SEEN];
	expect_hook(test, &count);
	for (i = 0; i < n; i++) {
		bool hit = c->hits & BIT(i);

		expect_rule(test, rules[i], hit ? ROUNDS : 0,
			    hit ? ROUNDS * len : 0);
	}
}

/*
 * Runs @p through the hook and expects it to end up in @counter; adds it to
 * *@want.  Returns its length.
 */
static unsigned int send_pkt(struct kunit *test,
			     const struct nfhook_test_pkt *p,
			     enum nfhook_hook_counter counter,
			     struct nfhook_hook_count *want)
{
	unsigned int len, verdict;
	struct sk_buff *skb;

	skb = nfhook_test_pkt_skb(test, p, &len);
	verdict = fx_run(test, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, verdict_of(counter), verdict);

	want->c[NFHOOK_HC_SEEN].packets++;
	want->c[NFHOOK_HC_SEEN].bytes += len;
	want->c[counter].packets++;
	want->c[counter].bytes += len;
	return len;
}

/* A mix of packets through one IPv4 hook with policy drop, and its rules. */
struct mix {
	struct nfhook_rule *count, *https, *udp;
	struct nfhook_hook_count want;
	u64 https_bytes, udp_bytes;
};

static const struct hook_rule mix_count = R_ANY(COUNT);
static const struct hook_rule mix_https =
	R_DPORT(ACCEPT, IPPROTO_TCP, TEST_DPORT, TEST_DPORT);
static const struct hook_rule mix_udp = R_PROTO(DROP, IPPROTO_UDP);

static const struct nfhook_test_pkt mix_tcp = { V4, IPPROTO_TCP };
static const struct nfhook_test_pkt mix_tcp_cut = { V4, IPPROTO_TCP,
						    .cut = 30 };
static const struct nfhook_test_pkt mix_udp_pkt = { V4, IPPROTO_UDP };
static const struct nfhook_test_pkt mix_udp_frag = { V4, IPPROTO_UDP,
						     .frag = 1 };
static const struct nfhook_test_pkt mix_icmp = { V4, IPPROTO_ICMP };

/*
 * Three https packets accepted, a udp packet and a udp fragment dropped by
 * a rule, an icmp packet and a cut tcp one dropped by the policy.
 */
static struct mix *run_mix(struct kunit *test)
{
	struct mix *mix;
	int i;

	mix = kunit_kzalloc(test, sizeof(*mix), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mix);
	fx_hook(test, V4, DROP);
	mix->count = fx_rule(test, V4, &mix_count);
	mix->https = fx_rule(test, V4, &mix_https);
	mix->udp = fx_rule(test, V4, &mix_udp);

	for (i = 0; i < 3; i++)
		mix->https_bytes += send_pkt(test, &mix_tcp, NFHOOK_HC_ACCEPTED,
					     &mix->want);
	mix->udp_bytes += send_pkt(test, &mix_udp_pkt, NFHOOK_HC_RULE_DROPPED,
				   &mix->want);
	mix->udp_bytes += send_pkt(test, &mix_udp_frag, NFHOOK_HC_RULE_DROPPED,
				   &mix->want);
	send_pkt(test, &mix_icmp, NFHOOK_HC_POLICY_DROPPED, &mix->want);
	send_pkt(test, &mix_tcp_cut, NFHOOK_HC_POLICY_DROPPED, &mix->want);
	return mix;
}

/* The counters of the hook and of each rule add up exactly. */
static void nfhook_test_verdict_counters(struct kunit *test)
{
	struct mix *mix = run_mix(test);
	const struct nfhook_hook_count *want = &mix->want;

	KUNIT_EXPECT_EQ(test, 7ULL, want->c[NFHOOK_HC_SEEN].packets);
	KUNIT_EXPECT_EQ(test, 3ULL, want->c[NFHOOK_HC_ACCEPTED].packets);
	KUNIT_EXPECT_EQ(test, 2ULL, want->c[NFHOOK_HC_RULE_DROPPED].packets);
	KUNIT_EXPECT_EQ(test, 2ULL,
			want->c[NFHOOK_HC_POLICY_DROPPED].packets);
	expect_hook(test, want);
	expect_rule(test, mix->count, 7, want->c[NFHOOK_HC_SEEN].bytes);
	expect_rule(test, mix->https, 3, mix->https_bytes);
	expect_rule(test, mix->udp, 2, mix->udp_bytes);
}

/*
 * A reset returns exactly what was counted and clears it; cancelled, what
 * it cleared reads again, together with what was counted since.
 */
static void nfhook_test_verdict_reset(struct kunit *test)
{
	struct mix *mix = run_mix(test);
	struct hook_fx *fx = test->priv;
	struct nfhook_hook_count *cleared, *zero;
	struct nfhook_count rule_cleared;

	cleared = kunit_kzalloc(test, sizeof(*cleared), GFP_KERNEL);
	zero = kunit_kzalloc(test, sizeof(*zero), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cleared);
	KUNIT_ASSERT_NOT_NULL(test, zero);

	nfhook_hook_reset(&fx->hook, cleared);
	expect_hook_count(test, &mix->want, cleared);
	expect_hook(test, zero);
	nfhook_rule_reset(mix->count, &rule_cleared);
	KUNIT_EXPECT_EQ(test, 7ULL, rule_cleared.packets);
	KUNIT_EXPECT_EQ(test, mix->want.c[NFHOOK_HC_SEEN].bytes,
			rule_cleared.bytes);
	expect_rule(test, mix->count, 0, 0);

	send_pkt(test, &mix_udp_pkt, NFHOOK_HC_RULE_DROPPED, &mix->want);
	nfhook_hook_reset_cancel(&fx->hook, cleared);
	expect_hook(test, &mix->want);
	nfhook_rule_reset_cancel(mix->count, &rule_cleared);
	expect_rule(test, mix->count, 8, mix->want.c[NFHOOK_HC_SEEN].bytes);
	/* Never reset: untouched by the others' resets. */
	expect_rule(test, mix->udp, 3,
		    mix->want.c[NFHOOK_HC_RULE_DROPPED].bytes);
}

/*
 * The most common firewall meets an skb conntrack marked untracked (the
 * raw table's notrack): neither established nor new, so only the rule for
 * untracked packets takes it.
 */
static void nfhook_test_verdict_untracked(struct kunit *test)
{
	static const struct hook_rule est = R_CT(ACCEPT,
						 NFHOOK_CT_STATE_ESTABLISHED |
						 NFHOOK_CT_STATE_RELATED);
	static const struct hook_rule new = R_CT(ACCEPT, NFHOOK_CT_STATE_NEW);
	static const struct hook_rule untracked =
		R_CT(ACCEPT, NFHOOK_CT_STATE_UNTRACKED);
	static const struct nfhook_test_pkt p = { V4, IPPROTO_UDP };
	struct nfhook_rule *r_est, *r_new, *r_untracked;
	unsigned int len, verdict;
	struct sk_buff *skb;

	if (!NFHOOK_HAVE_CONNTRACK)
		kunit_skip(test, "this kernel has no connection tracking");
	fx_hook(test, V4, DROP);
	r_est = fx_rule(test, V4, &est);
	r_new = fx_rule(test, V4, &new);
	skb = nfhook_test_pkt_skb(test, &p, &len);
	skb_set_nfct(skb, IP_CT_UNTRACKED);

	verdict = fx_run(test, skb);
	KUNIT_EXPECT_EQ(test, NF_DROP, verdict);
	r_untracked = fx_rule(test, V4, &untracked);
	verdict = fx_run(test, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, NF_ACCEPT, verdict);

	expect_rule(test, r_est, 0, 0);
	expect_rule(test, r_new, 0, 0);
	expect_rule(test, r_untracked, 1, len);
}

static struct kunit_case nfhook_hook_test_cases[] = {
	KUNIT_CASE_PARAM(nfhook_test_verdict, hook_gen_params),
	KUNIT_CASE(nfhook_test_verdict_counters),
	KUNIT_CASE(nfhook_test_verdict_reset),
	KUNIT_CASE(nfhook_test_verdict_untracked),
	{}
};

static struct kunit_suite nfhook_hook_test_suite = {
	.name = "nfhook_verdict",
	.init = hook_test_init,
	.exit = hook_test_exit,
	.test_cases = nfhook_hook_test_cases,
};

kunit_test_suite(nfhook_hook_test_suite);
