// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: rules to netlink attributes, the way back of rule_attr.c.
 *
 * Rules are reported in a canonical form: an address always with its
 * prefix length, a port range always with both ends, TCP flags always with
 * their mask, a length range with its maximum only when it has one.
 */

#include <linux/netfilter.h>
#include <net/netlink.h>

#include "nfhook.h"

int nfhook_put_count(struct sk_buff *skb, int attrtype,
		     const struct nfhook_count *c)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, NFHOOK_COUNTERS_A_PACKETS, c->packets,
			      NFHOOK_COUNTERS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFHOOK_COUNTERS_A_BYTES, c->bytes,
			      NFHOOK_COUNTERS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfhook_fill_addr(struct sk_buff *skb, u8 family, int v4, int v6,
			    int plen, const union nf_inet_addr *addr, u8 prefix)
{
	int err;

	if (family == NFPROTO_IPV6)
		err = nla_put_in6_addr(skb, v6, &addr->in6);
	else
		err = nla_put_in_addr(skb, v4, addr->ip);
	return err ?: nla_put_u8(skb, plen, prefix);
}

int nfhook_fill_match(struct sk_buff *skb, const struct nfhook_match *m)
{
	u32 f = m->fields;

	if ((f & NFHOOK_MATCH_SADDR) &&
	    nfhook_fill_addr(skb, m->family, NFHOOK_RULE_A_SRC_IPV4,
			     NFHOOK_RULE_A_SRC_IPV6, NFHOOK_RULE_A_SRC_PREFIX,
			     &m->saddr, m->sprefix))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_DADDR) &&
	    nfhook_fill_addr(skb, m->family, NFHOOK_RULE_A_DST_IPV4,
			     NFHOOK_RULE_A_DST_IPV6, NFHOOK_RULE_A_DST_PREFIX,
			     &m->daddr, m->dprefix))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_L4PROTO) &&
	    nla_put_u8(skb, NFHOOK_RULE_A_L4PROTO, m->l4proto))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_SPORT) &&
	    (nla_put_u16(skb, NFHOOK_RULE_A_SPORT_MIN, m->sport_min) ||
	     nla_put_u16(skb, NFHOOK_RULE_A_SPORT_MAX, m->sport_max)))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_DPORT) &&
	    (nla_put_u16(skb, NFHOOK_RULE_A_DPORT_MIN, m->dport_min) ||
	     nla_put_u16(skb, NFHOOK_RULE_A_DPORT_MAX, m->dport_max)))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_ICMP_TYPE) &&
	    nla_put_u8(skb, NFHOOK_RULE_A_ICMP_TYPE, m->icmp_type))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_ICMP_CODE) &&
	    nla_put_u8(skb, NFHOOK_RULE_A_ICMP_CODE, m->icmp_code))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_IIF) &&
	    nla_put_string(skb, NFHOOK_RULE_A_IIFNAME, m->iifname))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_OIF) &&
	    nla_put_string(skb, NFHOOK_RULE_A_OIFNAME, m->oifname))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_LEN) &&
	    (nla_put_u32(skb, NFHOOK_RULE_A_LEN_MIN, m->len_min) ||
	     (m->len_max != U32_MAX &&
	      nla_put_u32(skb, NFHOOK_RULE_A_LEN_MAX, m->len_max))))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_TCP_FLAGS) &&
	    (nla_put_u8(skb, NFHOOK_RULE_A_TCP_FLAGS, m->tcp_flags) ||
	     nla_put_u8(skb, NFHOOK_RULE_A_TCP_FLAGS_MASK, m->tcp_flags_mask)))
		return -EMSGSIZE;
	if ((f & NFHOOK_MATCH_CT_STATE) &&
	    nla_put_u32(skb, NFHOOK_RULE_A_CT_STATE, m->ct_state))
		return -EMSGSIZE;
	return 0;
}

int nfhook_rule_fill(struct sk_buff *skb, const struct nfhook_rule *rule,
		     u32 index, const struct nfhook_count *counters)
{
	if (nla_put_u32(skb, NFHOOK_RULE_A_ID, rule->id) ||
	    nla_put_u32(skb, NFHOOK_RULE_A_FAMILY, rule->match.family) ||
	    nla_put_u32(skb, NFHOOK_RULE_A_HOOK, rule->hook) ||
	    nla_put_u32(skb, NFHOOK_RULE_A_INDEX, index) ||
	    nla_put_u32(skb, NFHOOK_RULE_A_ACTION, rule->action))
		return -EMSGSIZE;
	if (rule->comment[0] &&
	    nla_put_string(skb, NFHOOK_RULE_A_COMMENT, rule->comment))
		return -EMSGSIZE;
	if (nfhook_fill_match(skb, &rule->match))
		return -EMSGSIZE;
	if (counters && nfhook_put_count(skb, NFHOOK_RULE_A_COUNTERS, counters))
		return -EMSGSIZE;
	return 0;
}

