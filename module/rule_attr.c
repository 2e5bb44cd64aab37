// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: rules from netlink attributes (rule_fill.c puts them back).
 *
 * nfhook_rule_from_attrs() is the only way into the packet path.  The policy
 * checks types, lengths and ranges; the code here checks how the attributes
 * relate to each other, so that nfhook_match() can trust what it reads.
 * Every rejection carries a message and names the attribute.
 *
 * Rules are reported back in a canonical form: an address always with its
 * prefix length, a port range always with both ends, TCP flags always with
 * their mask, a length range with its maximum only when it has one, the
 * connection states as the bits given.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netfilter.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "compat.h"
#include "nfhook.h"

static const struct nla_policy
nfhook_counters_policy[NFHOOK_COUNTERS_A_BYTES + 1] = {
	[NFHOOK_COUNTERS_A_PACKETS]	= { .type = NLA_U64 },
	[NFHOOK_COUNTERS_A_BYTES]	= { .type = NLA_U64 },
};

const struct nla_policy nfhook_rule_policy[NFHOOK_RULE_A_MAX + 1] = {
	[NFHOOK_RULE_A_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[NFHOOK_RULE_A_FAMILY]		= NFHOOK_POLICY_FAMILY,
	[NFHOOK_RULE_A_HOOK]		= NFHOOK_POLICY_HOOK,
	[NFHOOK_RULE_A_INDEX]		= { .type = NLA_U32 },
	[NFHOOK_RULE_A_ACTION]		= NLA_POLICY_RANGE(NLA_U32,
							   NFHOOK_ACTION_ACCEPT,
							   NFHOOK_ACTION_MAX),
	[NFHOOK_RULE_A_COMMENT]		= { .type = NLA_NUL_STRING,
					    .len = NFHOOK_COMMENT_SIZE - 1 },
	[NFHOOK_RULE_A_SRC_IPV4]	=
		NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[NFHOOK_RULE_A_DST_IPV4]	=
		NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[NFHOOK_RULE_A_SRC_IPV6]	=
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NFHOOK_RULE_A_DST_IPV6]	=
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NFHOOK_RULE_A_SRC_PREFIX]	= NLA_POLICY_MAX(NLA_U8, 128),
	[NFHOOK_RULE_A_DST_PREFIX]	= NLA_POLICY_MAX(NLA_U8, 128),
	[NFHOOK_RULE_A_L4PROTO]		= { .type = NLA_U8 },
	[NFHOOK_RULE_A_SPORT_MIN]	= { .type = NLA_U16 },
	[NFHOOK_RULE_A_SPORT_MAX]	= { .type = NLA_U16 },
	[NFHOOK_RULE_A_DPORT_MIN]	= { .type = NLA_U16 },
	[NFHOOK_RULE_A_DPORT_MAX]	= { .type = NLA_U16 },
	[NFHOOK_RULE_A_ICMP_TYPE]	= { .type = NLA_U8 },
	[NFHOOK_RULE_A_ICMP_CODE]	= { .type = NLA_U8 },
	[NFHOOK_RULE_A_IIFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[NFHOOK_RULE_A_OIFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[NFHOOK_RULE_A_LEN_MIN]		= { .type = NLA_U32 },
	[NFHOOK_RULE_A_LEN_MAX]		= { .type = NLA_U32 },
	[NFHOOK_RULE_A_TCP_FLAGS]	= { .type = NLA_U8 },
	[NFHOOK_RULE_A_TCP_FLAGS_MASK]	= { .type = NLA_U8 },
	[NFHOOK_RULE_A_COUNTERS]	=
		NLA_POLICY_NESTED(nfhook_counters_policy),
	[NFHOOK_RULE_A_CT_STATE]	=
		NLA_POLICY_MASK(NLA_U32, NFHOOK_CT_STATE_ALL),
};

/* Rejects @attr with @msg (a string literal). */
#define nfhook_reject(extack, attr, msg) do {			\
	struct netlink_ext_ack *_extack = (extack);		\
								\
	NL_SET_ERR_MSG_MOD(_extack, msg);			\
	NL_SET_BAD_ATTR(_extack, attr);				\
} while (0)

/* Rejects @nest, which lacks the required attribute @type. */
#define nfhook_reject_missing(extack, nest, type, msg) do {	\
	struct netlink_ext_ack *_extack = (extack);		\
	const struct nlattr *_nest = (nest);			\
								\
	NL_SET_ERR_MSG_MOD(_extack, msg);			\
	NL_SET_ERR_ATTR_MISS(_extack, _nest, type);		\
	NL_SET_BAD_ATTR(_extack, _nest);			\
} while (0)

/* @mask gets @prefix leading one bits. */
static void nfhook_prefix_mask(union nf_inet_addr *mask, unsigned int prefix)
{
	unsigned int i, bits;

	for (i = 0; i < ARRAY_SIZE(mask->ip6); i++) {
		bits = min(prefix, 32U);
		prefix -= bits;
		mask->ip6[i] = bits ? htonl(~0U << (32 - bits)) : 0;
	}
}

/*
 * One side's address: @v4, @v6 and @plen are its attribute types.  Sets
 * @field in m->fields when the rule has an address on this side.
 */
static int nfhook_parse_addr(struct nfhook_match *m, struct nlattr **tb,
			     int v4, int v6, int plen, u32 field,
			     union nf_inet_addr *addr, union nf_inet_addr *mask,
			     u8 *prefix, struct netlink_ext_ack *extack)
{
	bool ipv6 = m->family == NFPROTO_IPV6;
	unsigned int max = ipv6 ? 128 : 32;
	struct nlattr *attr;
	unsigned int i;

	if (ipv6 && tb[v4]) {
		nfhook_reject(extack, tb[v4], "ipv4 address in an ipv6 rule");
		return -EINVAL;
	}
	if (!ipv6 && tb[v6]) {
		nfhook_reject(extack, tb[v6], "ipv6 address in an ipv4 rule");
		return -EINVAL;
	}

	attr = tb[ipv6 ? v6 : v4];
	if (!attr) {
		if (tb[plen]) {
			nfhook_reject(extack, tb[plen],
				      "prefix length without an address");
			return -EINVAL;
		}
		return 0;
	}

	*prefix = max;
	if (tb[plen]) {
		*prefix = nla_get_u8(tb[plen]);
		if (*prefix > max) {
			NFHOOK_SET_ERR_MSG_FMT(extack,
					       "prefix length out of range for ipv4 (at most 32)",
					       "prefix length %u out of range for ipv4 (at most 32)",
					       *prefix);
			NL_SET_BAD_ATTR(extack, tb[plen]);
			return -EINVAL;
		}
	}

	if (ipv6)
		addr->in6 = nla_get_in6_addr(attr);
	else
		addr->ip = nla_get_in_addr(attr);
	nfhook_prefix_mask(mask, *prefix);
	for (i = 0; i < ARRAY_SIZE(addr->ip6); i++)
		addr->ip6[i] &= mask->ip6[i];
	m->fields |= field;
	return 0;
}

static bool nfhook_proto_has_ports(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		return true;
	default:
		return false;
	}
}

/* One port range: @min and @max are its attribute types. */
static int nfhook_parse_ports(struct nfhook_match *m, struct nlattr **tb,
			      int min, int max, u32 field, u16 *lo, u16 *hi,
			      struct netlink_ext_ack *extack)
{
	if (!tb[min]) {
		if (tb[max]) {
			nfhook_reject(extack, tb[max],
				      "port range maximum without a minimum");
			return -EINVAL;
		}
		return 0;
	}
	if (!(m->fields & NFHOOK_MATCH_L4PROTO) ||
	    !nfhook_proto_has_ports(m->l4proto)) {
		nfhook_reject(extack, tb[min],
			      "ports need protocol tcp, udp, udplite or sctp");
		return -EINVAL;
	}

	*lo = nla_get_u16(tb[min]);
	*hi = tb[max] ? nla_get_u16(tb[max]) : *lo;
	if (*lo > *hi) {
		nfhook_reject(extack, tb[max],
			      "port range reversed: minimum above maximum");
		return -EINVAL;
	}
	m->fields |= field;
	return 0;
}

static int nfhook_parse_icmp(struct nfhook_match *m, struct nlattr **tb,
			     struct netlink_ext_ack *extack)
{
	bool ipv6 = m->family == NFPROTO_IPV6;
	u8 proto = ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	struct nlattr *type = tb[NFHOOK_RULE_A_ICMP_TYPE];
	struct nlattr *code = tb[NFHOOK_RULE_A_ICMP_CODE];

	if (!type) {
		if (code) {
			nfhook_reject(extack, code,
				      "icmp code without an icmp type");
			return -EINVAL;
		}
		return 0;
	}
	if (!(m->fields & NFHOOK_MATCH_L4PROTO) || m->l4proto != proto) {
		if (ipv6)
			nfhook_reject(extack, type,
				      "icmp type needs protocol icmpv6");
		else
			nfhook_reject(extack, type,
				      "icmp type needs protocol icmp");
		return -EINVAL;
	}

	m->icmp_type = nla_get_u8(type);
	m->fields |= NFHOOK_MATCH_ICMP_TYPE;
	if (code) {
		m->icmp_code = nla_get_u8(code);
		m->fields |= NFHOOK_MATCH_ICMP_CODE;
	}
	return 0;
}

static int nfhook_parse_tcp_flags(struct nfhook_match *m, struct nlattr **tb,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *value = tb[NFHOOK_RULE_A_TCP_FLAGS];
	struct nlattr *mask = tb[NFHOOK_RULE_A_TCP_FLAGS_MASK];

	if (!value) {
		if (mask) {
			nfhook_reject(extack, mask,
				      "tcp flags mask without tcp flags");
			return -EINVAL;
		}
		return 0;
	}
	if (!(m->fields & NFHOOK_MATCH_L4PROTO) || m->l4proto != IPPROTO_TCP) {
		nfhook_reject(extack, value, "tcp flags need protocol tcp");
		return -EINVAL;
	}

	m->tcp_flags = nla_get_u8(value);
	m->tcp_flags_mask = mask ? nla_get_u8(mask) : m->tcp_flags;
	if (m->tcp_flags & ~m->tcp_flags_mask) {
		nfhook_reject(extack, value, "tcp flags outside their mask");
		return -EINVAL;
	}
	m->fields |= NFHOOK_MATCH_TCP_FLAGS;
	return 0;
}

static int nfhook_parse_l4(struct nfhook_match *m, struct nlattr **tb,
			   struct netlink_ext_ack *extack)
{
	int err;

	if (tb[NFHOOK_RULE_A_L4PROTO]) {
		m->l4proto = nla_get_u8(tb[NFHOOK_RULE_A_L4PROTO]);
		m->fields |= NFHOOK_MATCH_L4PROTO;
	}

	err = nfhook_parse_ports(m, tb, NFHOOK_RULE_A_SPORT_MIN,
				 NFHOOK_RULE_A_SPORT_MAX, NFHOOK_MATCH_SPORT,
				 &m->sport_min, &m->sport_max, extack);
	if (err)
		return err;
	err = nfhook_parse_ports(m, tb, NFHOOK_RULE_A_DPORT_MIN,
				 NFHOOK_RULE_A_DPORT_MAX, NFHOOK_MATCH_DPORT,
				 &m->dport_min, &m->dport_max, extack);
	if (err)
		return err;
	err = nfhook_parse_icmp(m, tb, extack);
	if (err)
		return err;
	return nfhook_parse_tcp_flags(m, tb, extack);
}

/*
 * Interface names.  Netfilter passes no input device at output and
 * postrouting and no output device at prerouting and input, so a rule
 * naming one there could never match: refused, as iptables does.
 */
/* @hook: where the rule sits, -1 anywhere (a trace selector). */
static int nfhook_parse_ifaces(struct nfhook_match *m, int hook,
			       struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *iif = tb[NFHOOK_RULE_A_IIFNAME];
	struct nlattr *oif = tb[NFHOOK_RULE_A_OIFNAME];

	if (iif) {
		if (hook == NF_INET_LOCAL_OUT || hook == NF_INET_POST_ROUTING) {
			nfhook_reject(extack, iif,
				      "no input interface at the output and postrouting hooks");
			return -EINVAL;
		}
		nla_strscpy(m->iifname, iif, sizeof(m->iifname));
		if (!m->iifname[0]) {
			nfhook_reject(extack, iif, "empty interface name");
			return -EINVAL;
		}
		m->fields |= NFHOOK_MATCH_IIF;
	}
	if (oif) {
		if (hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_IN) {
			nfhook_reject(extack, oif,
				      "no output interface at the prerouting and input hooks");
			return -EINVAL;
		}
		nla_strscpy(m->oifname, oif, sizeof(m->oifname));
		if (!m->oifname[0]) {
			nfhook_reject(extack, oif, "empty interface name");
			return -EINVAL;
		}
		m->fields |= NFHOOK_MATCH_OIF;
	}
	return 0;
}

static int nfhook_parse_len(struct nfhook_match *m, struct nlattr **tb,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *min = tb[NFHOOK_RULE_A_LEN_MIN];
	struct nlattr *max = tb[NFHOOK_RULE_A_LEN_MAX];

	if (!min && !max)
		return 0;
	m->len_min = min ? nla_get_u32(min) : 0;
	m->len_max = max ? nla_get_u32(max) : U32_MAX;
	if (m->len_min > m->len_max) {
		nfhook_reject(extack, max,
			      "length range reversed: minimum above maximum");
		return -EINVAL;
	}
	m->fields |= NFHOOK_MATCH_LEN;
	return 0;
}

/* The policy allows only known bits; none at all would match nothing. */
static int nfhook_parse_ct_state(struct nfhook_match *m, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *attr = tb[NFHOOK_RULE_A_CT_STATE];

	if (!attr)
		return 0;
	if (!NFHOOK_HAVE_CONNTRACK) {
		nfhook_reject(extack, attr,
			      "this kernel has no connection tracking");
		return -EOPNOTSUPP;
	}
	m->ct_state = nla_get_u32(attr);
	if (!m->ct_state) {
		nfhook_reject(extack, attr,
			      "ct state names no state: give at least one");
		return -EINVAL;
	}
	m->fields |= NFHOOK_MATCH_CT_STATE;
	return 0;
}

static int nfhook_parse_counters(struct nfhook_rule *rule, struct nlattr **tb,
				 bool allow_counters,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *ctb[NFHOOK_COUNTERS_A_BYTES + 1];
	struct nlattr *attr = tb[NFHOOK_RULE_A_COUNTERS];
	struct nfhook_count c;
	int err;

	if (!attr)
		return 0;
	if (!allow_counters) {
		nfhook_reject(extack, attr,
			      "initial counters are only taken in a replace");
		return -EINVAL;
	}
	err = nla_parse_nested(ctb, NFHOOK_COUNTERS_A_BYTES, attr,
			       nfhook_counters_policy, extack);
	if (err)
		return err;

	c.packets = ctb[NFHOOK_COUNTERS_A_PACKETS] ?
		    nla_get_u64(ctb[NFHOOK_COUNTERS_A_PACKETS]) : 0;
	c.bytes = ctb[NFHOOK_COUNTERS_A_BYTES] ?
		  nla_get_u64(ctb[NFHOOK_COUNTERS_A_BYTES]) : 0;
	nfhook_rule_set_count(rule, &c);
	return 0;
}

int nfhook_attr_family(const struct nlattr *attr,
		       struct netlink_ext_ack *extack)
{
	u32 val = nla_get_u32(attr);
	int fidx = nfhook_family_index(val);

	if (fidx < 0) {
		NFHOOK_SET_ERR_MSG_FMT(extack,
				       "unknown family: not ipv4 (2) or ipv6 (10)",
				       "unknown family %u: not ipv4 (2) or ipv6 (10)",
				       val);
		NL_SET_BAD_ATTR(extack, attr);
		return -EINVAL;
	}
	return fidx;
}

int nfhook_attr_hook(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	u32 val = nla_get_u32(attr);

	if (val >= NFHOOK_NHOOKS) {
		NFHOOK_SET_ERR_MSG_FMT(extack,
				       "unknown hook: not 0 (prerouting) to 4 (postrouting)",
				       "unknown hook %u: not 0 (prerouting) to 4 (postrouting)",
				       val);
		NL_SET_BAD_ATTR(extack, attr);
		return -EINVAL;
	}
	return val;
}

/* Family, hook, action, position and comment. */
static int nfhook_parse_head(struct nfhook_rule *rule,
			     const struct nlattr *nest, struct nlattr **tb,
			     u32 *index, struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	int err;

	attr = tb[NFHOOK_RULE_A_FAMILY];
	if (!attr) {
		nfhook_reject_missing(extack, nest, NFHOOK_RULE_A_FAMILY,
				      "rule family missing");
		return -EINVAL;
	}
	err = nfhook_attr_family(attr, extack);
	if (err < 0)
		return err;
	rule->match.family = nla_get_u32(attr);

	attr = tb[NFHOOK_RULE_A_HOOK];
	if (!attr) {
		nfhook_reject_missing(extack, nest, NFHOOK_RULE_A_HOOK,
				      "rule hook missing");
		return -EINVAL;
	}
	err = nfhook_attr_hook(attr, extack);
	if (err < 0)
		return err;
	rule->hook = err;

	attr = tb[NFHOOK_RULE_A_ACTION];
	if (!attr) {
		nfhook_reject_missing(extack, nest, NFHOOK_RULE_A_ACTION,
				      "rule action missing");
		return -EINVAL;
	}
	/* The policy allows only ACCEPT to NFHOOK_ACTION_MAX. */
	rule->action = nla_get_u32(attr);

	/* Positions stop below max_rules: U32_MAX is no way to append. */
	attr = tb[NFHOOK_RULE_A_INDEX];
	*index = attr ? nla_get_u32(attr) : NFHOOK_INDEX_APPEND;
	if (attr && *index == NFHOOK_INDEX_APPEND) {
		nfhook_reject(extack, attr,
			      "rule index 4294967295 out of range: leave the index out to append");
		return -ERANGE;
	}

	attr = tb[NFHOOK_RULE_A_COMMENT];
	if (attr)
		nla_strscpy(rule->comment, attr, sizeof(rule->comment));
	return 0;
}

/* The match attributes into @m, whose family is set; @hook as above. */
static int nfhook_match_from_attrs(struct nfhook_match *m, int hook,
				   struct nlattr **tb,
				   struct netlink_ext_ack *extack)
{
	int err;

	err = nfhook_parse_addr(m, tb, NFHOOK_RULE_A_SRC_IPV4,
				NFHOOK_RULE_A_SRC_IPV6, NFHOOK_RULE_A_SRC_PREFIX,
				NFHOOK_MATCH_SADDR, &m->saddr, &m->smask,
				&m->sprefix, extack);
	if (err)
		return err;
	err = nfhook_parse_addr(m, tb, NFHOOK_RULE_A_DST_IPV4,
				NFHOOK_RULE_A_DST_IPV6, NFHOOK_RULE_A_DST_PREFIX,
				NFHOOK_MATCH_DADDR, &m->daddr, &m->dmask,
				&m->dprefix, extack);
	if (err)
		return err;
	err = nfhook_parse_l4(m, tb, extack);
	if (err)
		return err;
	err = nfhook_parse_ifaces(m, hook, tb, extack);
	if (err)
		return err;
	err = nfhook_parse_len(m, tb, extack);
	if (err)
		return err;
	return nfhook_parse_ct_state(m, tb, extack);
}

int nfhook_rule_from_attrs(struct nfhook_rule *rule, const struct nlattr *nest,
			   struct nlattr **tb, bool allow_counters, u32 *index,
			   struct netlink_ext_ack *extack)
{
	int err;

	err = nfhook_parse_head(rule, nest, tb, index, extack);
	if (err)
		return err;
	err = nfhook_match_from_attrs(&rule->match, rule->hook, tb, extack);
	if (err)
		return err;
	return nfhook_parse_counters(rule, tb, allow_counters, extack);
}

int nfhook_selector_from_attrs(struct nfhook_match *m,
			       const struct nlattr *nest, struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	static const u16 rule_only[] = {
		NFHOOK_RULE_A_ID, NFHOOK_RULE_A_HOOK, NFHOOK_RULE_A_INDEX,
		NFHOOK_RULE_A_ACTION, NFHOOK_RULE_A_COMMENT,
		NFHOOK_RULE_A_COUNTERS,
	};
	struct nlattr *attr;
	unsigned int i;
	int err;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < ARRAY_SIZE(rule_only); i++) {
		if (tb[rule_only[i]]) {
			nfhook_reject(extack, tb[rule_only[i]],
				      "a trace selector has no id, hook, index, action, comment or counters");
			return -EINVAL;
		}
	}
	attr = tb[NFHOOK_RULE_A_FAMILY];
	if (!attr) {
		nfhook_reject_missing(extack, nest, NFHOOK_RULE_A_FAMILY,
				      "selector family missing");
		return -EINVAL;
	}
	err = nfhook_attr_family(attr, extack);
	if (err < 0)
		return err;
	m->family = nla_get_u32(attr);
	return nfhook_match_from_attrs(m, -1, tb, extack);
}
