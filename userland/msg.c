// SPDX-License-Identifier: GPL-2.0
/*
 * Structs to nfhook attributes and back, with libmnl, on plain buffers: no
 * socket here, so the unit tests can build and parse messages.  Replies are
 * checked against a table of attribute types; attributes this version does
 * not know are skipped, so an older nfhookctl works with a newer module.
 */
#include <stddef.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "msg.h"
#include "names.h"
#include "rule.h"
#include "util.h"

struct attr_spec {
	enum mnl_attr_data_type type;
	uint16_t len;			/* MNL_TYPE_BINARY: exact length */
};

struct attr_table {
	const struct attr_spec *spec;
	unsigned int max;
	const struct nlattr **tb;
};

static const struct attr_spec top_spec[NFHOOK_A_MAX + 1] = {
	[NFHOOK_A_VERSION]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_A_MAX_RULES]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_RULE_COUNT]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_DEFAULT_PRIORITY]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_FAMILY]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_HOOK]			= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_PRIORITY]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_ENABLED]		= { MNL_TYPE_U8, 0 },
	[NFHOOK_A_POLICY]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_COUNTERS]		= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_A_RULE]			= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_A_RESET]		= { MNL_TYPE_FLAG, 0 },
	[NFHOOK_A_RULE_COUNT_HOOK]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_REGISTERED]		= { MNL_TYPE_U8, 0 },
	[NFHOOK_A_RULES_BYTES]		= { MNL_TYPE_U64, 0 },
	[NFHOOK_A_PIPE]			= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_A_TRACE_ID]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_TRACE_RATE]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_TRACE_LIMIT]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_TRACE_PACKET_ID]	= { MNL_TYPE_U64, 0 },
	[NFHOOK_A_TRACE_PACKET]		= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_A_TRACE_STEP]		= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_A_TRACE_LOST]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_A_TRACES]		= { MNL_TYPE_U32, 0 },
};

static const struct attr_spec trace_spec[NFHOOK_TRACE_A_MAX + 1] = {
	[NFHOOK_TRACE_A_HOOK]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_TRACE_A_TIME]		= { MNL_TYPE_U64, 0 },
	[NFHOOK_TRACE_A_RESULT]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_TRACE_A_PRIORITY]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_TRACE_A_VERDICT]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_TRACE_A_PIPE]		= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_TRACE_A_REASON]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_TRACE_A_IIFNAME]	= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_TRACE_A_OIFNAME]	= { MNL_TYPE_NUL_STRING, 0 },
};

static const struct attr_spec pipe_spec[NFHOOK_PIPE_A_MAX + 1] = {
	[NFHOOK_PIPE_A_FAMILY]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_HOOK]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_IFINDEX]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_IFNAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_PIPE_A_POSITION]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_PRIORITY]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_FUNCTION]	= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_PIPE_A_MODULE]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_PIPE_A_KIND]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_TABLE]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_PIPE_A_CHAIN]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_PIPE_A_TABLE_FAMILY]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_PIPE_A_OURS]		= { MNL_TYPE_FLAG, 0 },
};

static const struct attr_spec rule_spec[NFHOOK_RULE_A_MAX + 1] = {
	[NFHOOK_RULE_A_ID]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_FAMILY]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_HOOK]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_INDEX]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_ACTION]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_COMMENT]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_RULE_A_SRC_IPV4]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_DST_IPV4]	= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_SRC_IPV6]	= { MNL_TYPE_BINARY, 16 },
	[NFHOOK_RULE_A_DST_IPV6]	= { MNL_TYPE_BINARY, 16 },
	[NFHOOK_RULE_A_SRC_PREFIX]	= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_DST_PREFIX]	= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_L4PROTO]		= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_SPORT_MIN]	= { MNL_TYPE_U16, 0 },
	[NFHOOK_RULE_A_SPORT_MAX]	= { MNL_TYPE_U16, 0 },
	[NFHOOK_RULE_A_DPORT_MIN]	= { MNL_TYPE_U16, 0 },
	[NFHOOK_RULE_A_DPORT_MAX]	= { MNL_TYPE_U16, 0 },
	[NFHOOK_RULE_A_ICMP_TYPE]	= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_ICMP_CODE]	= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_IIFNAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_RULE_A_OIFNAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[NFHOOK_RULE_A_LEN_MIN]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_LEN_MAX]		= { MNL_TYPE_U32, 0 },
	[NFHOOK_RULE_A_TCP_FLAGS]	= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_TCP_FLAGS_MASK]	= { MNL_TYPE_U8, 0 },
	[NFHOOK_RULE_A_COUNTERS]	= { MNL_TYPE_NESTED, 0 },
	[NFHOOK_RULE_A_CT_STATE]	= { MNL_TYPE_U32, 0 },
};

static const struct attr_spec counters_spec[NFHOOK_COUNTERS_A_MAX + 1] = {
	[NFHOOK_COUNTERS_A_PACKETS]		 = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_BYTES]		 = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_ACCEPTED_PACKETS]	 = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_ACCEPTED_BYTES]	 = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_RULE_DROPPED_PACKETS] = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_RULE_DROPPED_BYTES]	 = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_POLICY_DROPPED_PACKETS] = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_POLICY_DROPPED_BYTES] = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_FRAGMENT_DROPPED_PACKETS] = { MNL_TYPE_U64, 0 },
	[NFHOOK_COUNTERS_A_FRAGMENT_DROPPED_BYTES] = { MNL_TYPE_U64, 0 },
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct attr_spec *s;

	if (type > t->max || !t->spec[type].type)
		return MNL_CB_OK;	/* unknown to this version: skipped */
	s = &t->spec[type];
	if (s->type == MNL_TYPE_BINARY) {
		if (mnl_attr_get_payload_len(attr) != s->len)
			return MNL_CB_ERROR;
	} else if (mnl_attr_validate(attr, s->type) < 0) {
		return MNL_CB_ERROR;
	}
	t->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_nest(const struct nlattr *nest, const struct attr_spec *spec,
		      unsigned int max, const struct nlattr **tb)
{
	struct attr_table t = { spec, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, attr_cb, &t) == MNL_CB_ERROR ? -1 : 0;
}

static int parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	struct attr_table t = { top_spec, NFHOOK_A_MAX, tb };

	memset(tb, 0, (NFHOOK_A_MAX + 1) * sizeof(*tb));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -1;
	return mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, &t) == MNL_CB_ERROR ?
	       -1 : 0;
}

/* A NUL-terminated string attribute into @buf; -1 if it does not fit. */
static int get_str(const struct nlattr *a, char *buf, size_t size)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len > size)
		return -1;
	memcpy(buf, mnl_attr_get_payload(a), len);
	buf[size - 1] = '\0';
	return 0;
}

/* An address of @r's family and its prefix (when shorter than full). */
static bool put_addr(struct nlmsghdr *nlh, size_t maxlen,
		     const struct nfh_rule *r, const uint8_t addr[16],
		     uint8_t prefix, uint16_t a4, uint16_t a6, uint16_t aprefix)
{
	bool v6 = r->family == NFPROTO_IPV6;

	if (!mnl_attr_put_check(nlh, maxlen, v6 ? a6 : a4, v6 ? 16 : 4, addr))
		return false;
	if (prefix < (v6 ? 128 : 32) &&
	    !mnl_attr_put_u8_check(nlh, maxlen, aprefix, prefix))
		return false;
	return true;
}

bool nfh_put_rule(struct nlmsghdr *nlh, size_t maxlen,
		  const struct nfh_rule *r)
{
	unsigned int f = r->fields;
	struct nlattr *nest, *cnest;

	nest = mnl_attr_nest_start_check(nlh, maxlen, NFHOOK_A_RULE);
	if (!nest)
		return false;
#define PUT(kind, ...) do { \
		if (!mnl_attr_put_##kind##_check(nlh, maxlen, __VA_ARGS__)) \
			return false; \
	} while (0)
	if (f & NFH_R_ID)
		PUT(u32, NFHOOK_RULE_A_ID, r->id);
	if (nfh_family_name(r->family)) {
		PUT(u32, NFHOOK_RULE_A_FAMILY, r->family);
		if (!(f & NFH_R_SELECTOR))
			PUT(u32, NFHOOK_RULE_A_HOOK, r->hook);
	}
	if (f & NFH_R_INDEX)
		PUT(u32, NFHOOK_RULE_A_INDEX, r->index);
	if (f & NFH_R_ACTION)
		PUT(u32, NFHOOK_RULE_A_ACTION, r->action);
	if (f & NFH_R_COMMENT)
		PUT(strz, NFHOOK_RULE_A_COMMENT, r->comment);
	if ((f & NFH_R_SADDR) &&
	    !put_addr(nlh, maxlen, r, r->saddr, r->sprefix,
		      NFHOOK_RULE_A_SRC_IPV4, NFHOOK_RULE_A_SRC_IPV6,
		      NFHOOK_RULE_A_SRC_PREFIX))
		return false;
	if ((f & NFH_R_DADDR) &&
	    !put_addr(nlh, maxlen, r, r->daddr, r->dprefix,
		      NFHOOK_RULE_A_DST_IPV4, NFHOOK_RULE_A_DST_IPV6,
		      NFHOOK_RULE_A_DST_PREFIX))
		return false;
	if (f & NFH_R_PROTO)
		PUT(u8, NFHOOK_RULE_A_L4PROTO, r->proto);
	if (f & NFH_R_SPORT) {
		PUT(u16, NFHOOK_RULE_A_SPORT_MIN, r->sport_min);
		PUT(u16, NFHOOK_RULE_A_SPORT_MAX, r->sport_max);
	}
	if (f & NFH_R_DPORT) {
		PUT(u16, NFHOOK_RULE_A_DPORT_MIN, r->dport_min);
		PUT(u16, NFHOOK_RULE_A_DPORT_MAX, r->dport_max);
	}
	if (f & NFH_R_ICMP_TYPE)
		PUT(u8, NFHOOK_RULE_A_ICMP_TYPE, r->icmp_type);
	if (f & NFH_R_ICMP_CODE)
		PUT(u8, NFHOOK_RULE_A_ICMP_CODE, r->icmp_code);
	if (f & NFH_R_IIF)
		PUT(strz, NFHOOK_RULE_A_IIFNAME, r->iif);
	if (f & NFH_R_OIF)
		PUT(strz, NFHOOK_RULE_A_OIFNAME, r->oif);
	if (f & NFH_R_LEN) {
		PUT(u32, NFHOOK_RULE_A_LEN_MIN, r->len_min);
		if (f & NFH_R_LEN_MAX)
			PUT(u32, NFHOOK_RULE_A_LEN_MAX, r->len_max);
	}
	if (f & NFH_R_TCP_FLAGS) {
		PUT(u8, NFHOOK_RULE_A_TCP_FLAGS, r->tcp_flags);
		PUT(u8, NFHOOK_RULE_A_TCP_FLAGS_MASK, r->tcp_mask);
	}
	if (f & NFH_R_CT_STATE)
		PUT(u32, NFHOOK_RULE_A_CT_STATE, r->ct_state);
	if (f & NFH_R_COUNTERS) {
		cnest = mnl_attr_nest_start_check(nlh, maxlen,
						  NFHOOK_RULE_A_COUNTERS);
		if (!cnest)
			return false;
		PUT(u64, NFHOOK_COUNTERS_A_PACKETS, r->packets);
		PUT(u64, NFHOOK_COUNTERS_A_BYTES, r->bytes);
		mnl_attr_nest_end(nlh, cnest);
	}
#undef PUT
	mnl_attr_nest_end(nlh, nest);
	return true;
}

bool nfh_put_hook(struct nlmsghdr *nlh, size_t maxlen,
		  const struct nfh_hook *h)
{
	if (!mnl_attr_put_u32_check(nlh, maxlen, NFHOOK_A_FAMILY, h->family) ||
	    !mnl_attr_put_u32_check(nlh, maxlen, NFHOOK_A_HOOK, h->hook))
		return false;
	if ((h->fields & NFH_H_PRIORITY) &&
	    !mnl_attr_put_u32_check(nlh, maxlen, NFHOOK_A_PRIORITY,
				    (uint32_t)h->priority))
		return false;
	if ((h->fields & NFH_H_ENABLED) &&
	    !mnl_attr_put_u8_check(nlh, maxlen, NFHOOK_A_ENABLED, h->enabled))
		return false;
	if ((h->fields & NFH_H_POLICY) &&
	    !mnl_attr_put_u32_check(nlh, maxlen, NFHOOK_A_POLICY, h->policy))
		return false;
	return true;
}

static void get_addr(const struct nlattr *a4, const struct nlattr *a6,
		     const struct nlattr *ap, uint32_t family, uint8_t addr[16],
		     uint8_t *prefix)
{
	const struct nlattr *a = family == NFPROTO_IPV6 ? a6 : a4;

	memcpy(addr, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
	*prefix = ap ? mnl_attr_get_u8(ap) : (family == NFPROTO_IPV6 ? 128 : 32);
}

int nfh_parse_rule_nest(const struct nlattr *nest, struct nfh_rule *r)
{
	const struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	const struct nlattr *ct[NFHOOK_COUNTERS_A_MAX + 1];
	bool v6;

	memset(r, 0, sizeof(*r));
	if (parse_nest(nest, rule_spec, NFHOOK_RULE_A_MAX, tb))
		return -1;
	if (tb[NFHOOK_RULE_A_ID]) {
		r->id = mnl_attr_get_u32(tb[NFHOOK_RULE_A_ID]);
		r->fields |= NFH_R_ID;
	}
	if (tb[NFHOOK_RULE_A_FAMILY])
		r->family = mnl_attr_get_u32(tb[NFHOOK_RULE_A_FAMILY]);
	if (tb[NFHOOK_RULE_A_HOOK])
		r->hook = mnl_attr_get_u32(tb[NFHOOK_RULE_A_HOOK]);
	v6 = r->family == NFPROTO_IPV6;
	if (tb[NFHOOK_RULE_A_INDEX]) {
		r->index = mnl_attr_get_u32(tb[NFHOOK_RULE_A_INDEX]);
		r->fields |= NFH_R_INDEX;
	}
	if (tb[NFHOOK_RULE_A_ACTION]) {
		r->action = mnl_attr_get_u32(tb[NFHOOK_RULE_A_ACTION]);
		r->fields |= NFH_R_ACTION;
	}
	if (tb[NFHOOK_RULE_A_COMMENT]) {
		if (get_str(tb[NFHOOK_RULE_A_COMMENT], r->comment,
			    sizeof(r->comment)))
			return -1;
		r->fields |= NFH_R_COMMENT;
	}
	if (tb[v6 ? NFHOOK_RULE_A_SRC_IPV6 : NFHOOK_RULE_A_SRC_IPV4]) {
		get_addr(tb[NFHOOK_RULE_A_SRC_IPV4], tb[NFHOOK_RULE_A_SRC_IPV6],
			 tb[NFHOOK_RULE_A_SRC_PREFIX], r->family, r->saddr,
			 &r->sprefix);
		r->fields |= NFH_R_SADDR;
	}
	if (tb[v6 ? NFHOOK_RULE_A_DST_IPV6 : NFHOOK_RULE_A_DST_IPV4]) {
		get_addr(tb[NFHOOK_RULE_A_DST_IPV4], tb[NFHOOK_RULE_A_DST_IPV6],
			 tb[NFHOOK_RULE_A_DST_PREFIX], r->family, r->daddr,
			 &r->dprefix);
		r->fields |= NFH_R_DADDR;
	}
	if (tb[NFHOOK_RULE_A_L4PROTO]) {
		r->proto = mnl_attr_get_u8(tb[NFHOOK_RULE_A_L4PROTO]);
		r->fields |= NFH_R_PROTO;
	}
	if (tb[NFHOOK_RULE_A_SPORT_MIN]) {
		r->sport_min = mnl_attr_get_u16(tb[NFHOOK_RULE_A_SPORT_MIN]);
		r->sport_max = tb[NFHOOK_RULE_A_SPORT_MAX] ?
			mnl_attr_get_u16(tb[NFHOOK_RULE_A_SPORT_MAX]) : r->sport_min;
		r->fields |= NFH_R_SPORT;
	}
	if (tb[NFHOOK_RULE_A_DPORT_MIN]) {
		r->dport_min = mnl_attr_get_u16(tb[NFHOOK_RULE_A_DPORT_MIN]);
		r->dport_max = tb[NFHOOK_RULE_A_DPORT_MAX] ?
			mnl_attr_get_u16(tb[NFHOOK_RULE_A_DPORT_MAX]) : r->dport_min;
		r->fields |= NFH_R_DPORT;
	}
	if (tb[NFHOOK_RULE_A_ICMP_TYPE]) {
		r->icmp_type = mnl_attr_get_u8(tb[NFHOOK_RULE_A_ICMP_TYPE]);
		r->fields |= NFH_R_ICMP_TYPE;
	}
	if (tb[NFHOOK_RULE_A_ICMP_CODE]) {
		r->icmp_code = mnl_attr_get_u8(tb[NFHOOK_RULE_A_ICMP_CODE]);
		r->fields |= NFH_R_ICMP_CODE;
	}
	if (tb[NFHOOK_RULE_A_IIFNAME]) {
		if (get_str(tb[NFHOOK_RULE_A_IIFNAME], r->iif, sizeof(r->iif)))
			return -1;
		r->fields |= NFH_R_IIF;
	}
	if (tb[NFHOOK_RULE_A_OIFNAME]) {
		if (get_str(tb[NFHOOK_RULE_A_OIFNAME], r->oif, sizeof(r->oif)))
			return -1;
		r->fields |= NFH_R_OIF;
	}
	if (tb[NFHOOK_RULE_A_LEN_MIN]) {
		r->len_min = mnl_attr_get_u32(tb[NFHOOK_RULE_A_LEN_MIN]);
		r->fields |= NFH_R_LEN;
		if (tb[NFHOOK_RULE_A_LEN_MAX]) {
			r->len_max = mnl_attr_get_u32(tb[NFHOOK_RULE_A_LEN_MAX]);
			r->fields |= NFH_R_LEN_MAX;
		}
	}
	if (tb[NFHOOK_RULE_A_TCP_FLAGS]) {
		r->tcp_flags = mnl_attr_get_u8(tb[NFHOOK_RULE_A_TCP_FLAGS]);
		r->tcp_mask = tb[NFHOOK_RULE_A_TCP_FLAGS_MASK] ?
			mnl_attr_get_u8(tb[NFHOOK_RULE_A_TCP_FLAGS_MASK]) :
			r->tcp_flags;
		r->fields |= NFH_R_TCP_FLAGS;
	}
	if (tb[NFHOOK_RULE_A_CT_STATE]) {
		r->ct_state = mnl_attr_get_u32(tb[NFHOOK_RULE_A_CT_STATE]);
		r->fields |= NFH_R_CT_STATE;
	}
	if (tb[NFHOOK_RULE_A_COUNTERS]) {
		if (parse_nest(tb[NFHOOK_RULE_A_COUNTERS], counters_spec,
			       NFHOOK_COUNTERS_A_MAX, ct))
			return -1;
		if (ct[NFHOOK_COUNTERS_A_PACKETS])
			r->packets = mnl_attr_get_u64(ct[NFHOOK_COUNTERS_A_PACKETS]);
		if (ct[NFHOOK_COUNTERS_A_BYTES])
			r->bytes = mnl_attr_get_u64(ct[NFHOOK_COUNTERS_A_BYTES]);
		r->fields |= NFH_R_COUNTERS;
	}
	return 0;
}

int nfh_parse_hook_msg(const struct nlmsghdr *nlh, struct nfh_hook *h)
{
	const struct nlattr *tb[NFHOOK_A_MAX + 1];
	const struct nlattr *ct[NFHOOK_COUNTERS_A_MAX + 1];
	int i;

	memset(h, 0, sizeof(*h));
	if (parse_top(nlh, tb))
		return -1;
	if (!tb[NFHOOK_A_FAMILY] || !tb[NFHOOK_A_HOOK])
		return -1;
	h->family = mnl_attr_get_u32(tb[NFHOOK_A_FAMILY]);
	h->hook = mnl_attr_get_u32(tb[NFHOOK_A_HOOK]);
	if (tb[NFHOOK_A_PRIORITY]) {
		h->priority = (int32_t)mnl_attr_get_u32(tb[NFHOOK_A_PRIORITY]);
		h->fields |= NFH_H_PRIORITY;
	}
	if (tb[NFHOOK_A_ENABLED]) {
		h->enabled = mnl_attr_get_u8(tb[NFHOOK_A_ENABLED]) != 0;
		h->fields |= NFH_H_ENABLED;
	}
	if (tb[NFHOOK_A_POLICY]) {
		h->policy = mnl_attr_get_u32(tb[NFHOOK_A_POLICY]);
		h->fields |= NFH_H_POLICY;
	}
	if (tb[NFHOOK_A_REGISTERED]) {
		h->registered = mnl_attr_get_u8(tb[NFHOOK_A_REGISTERED]) != 0;
		h->fields |= NFH_H_REGISTERED;
	}
	if (tb[NFHOOK_A_RULE_COUNT_HOOK]) {
		h->rules = mnl_attr_get_u32(tb[NFHOOK_A_RULE_COUNT_HOOK]);
		h->fields |= NFH_H_RULES;
	}
	if (tb[NFHOOK_A_COUNTERS]) {
		if (parse_nest(tb[NFHOOK_A_COUNTERS], counters_spec,
			       NFHOOK_COUNTERS_A_MAX, ct))
			return -1;
		for (i = 0; i < NFH_C_COUNT; i++)
			if (ct[NFHOOK_COUNTERS_A_PACKETS + i])
				h->counters[i] = mnl_attr_get_u64(
					ct[NFHOOK_COUNTERS_A_PACKETS + i]);
		h->fields |= NFH_H_COUNTERS;
	}
	return 0;
}

int nfh_parse_info_msg(const struct nlmsghdr *nlh, struct nfh_info *info)
{
	const struct nlattr *tb[NFHOOK_A_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (parse_top(nlh, tb))
		return -1;
	if (tb[NFHOOK_A_VERSION] &&
	    get_str(tb[NFHOOK_A_VERSION], info->version, sizeof(info->version)))
		return -1;
	if (tb[NFHOOK_A_MAX_RULES]) {
		info->max_rules = mnl_attr_get_u32(tb[NFHOOK_A_MAX_RULES]);
		info->has_max_rules = true;
	}
	if (tb[NFHOOK_A_RULE_COUNT]) {
		info->rule_count = mnl_attr_get_u32(tb[NFHOOK_A_RULE_COUNT]);
		info->has_rule_count = true;
	}
	if (tb[NFHOOK_A_DEFAULT_PRIORITY]) {
		info->default_priority =
			(int32_t)mnl_attr_get_u32(tb[NFHOOK_A_DEFAULT_PRIORITY]);
		info->has_default_priority = true;
	}
	if (tb[NFHOOK_A_RULES_BYTES]) {
		info->rules_bytes = mnl_attr_get_u64(tb[NFHOOK_A_RULES_BYTES]);
		info->has_rules_bytes = true;
	}
	if (tb[NFHOOK_A_TRACES]) {
		info->traces = mnl_attr_get_u32(tb[NFHOOK_A_TRACES]);
		info->has_traces = true;
	}
	return 0;
}

/* A PIPE nest (PIPELINE_GET, or who dropped a traced packet). */
static int parse_pipe_nest(const struct nlattr *nest, struct nfh_pipe_entry *p)
{
	const struct nlattr *tb[NFHOOK_PIPE_A_MAX + 1];
	static const struct {
		uint16_t type;
		size_t off, size;
	} strs[] = {
#define STR(attr, field) { attr, offsetof(struct nfh_pipe_entry, field), \
			   sizeof(((struct nfh_pipe_entry *)0)->field) }
		STR(NFHOOK_PIPE_A_IFNAME, ifname),
		STR(NFHOOK_PIPE_A_FUNCTION, function),
		STR(NFHOOK_PIPE_A_MODULE, module),
		STR(NFHOOK_PIPE_A_TABLE, table),
		STR(NFHOOK_PIPE_A_CHAIN, chain),
#undef STR
	};
	size_t i;

	memset(p, 0, sizeof(*p));
	if (parse_nest(nest, pipe_spec, NFHOOK_PIPE_A_MAX, tb))
		return -1;
	if (!tb[NFHOOK_PIPE_A_FAMILY] || !tb[NFHOOK_PIPE_A_HOOK] ||
	    !tb[NFHOOK_PIPE_A_POSITION] || !tb[NFHOOK_PIPE_A_PRIORITY] ||
	    !tb[NFHOOK_PIPE_A_KIND])
		return -1;
	p->family = mnl_attr_get_u32(tb[NFHOOK_PIPE_A_FAMILY]);
	p->hook = mnl_attr_get_u32(tb[NFHOOK_PIPE_A_HOOK]);
	p->position = mnl_attr_get_u32(tb[NFHOOK_PIPE_A_POSITION]);
	p->priority = (int32_t)mnl_attr_get_u32(tb[NFHOOK_PIPE_A_PRIORITY]);
	p->kind = mnl_attr_get_u32(tb[NFHOOK_PIPE_A_KIND]);
	if (tb[NFHOOK_PIPE_A_IFINDEX])
		p->ifindex = mnl_attr_get_u32(tb[NFHOOK_PIPE_A_IFINDEX]);
	if (tb[NFHOOK_PIPE_A_TABLE_FAMILY])
		p->table_family = mnl_attr_get_u32(tb[NFHOOK_PIPE_A_TABLE_FAMILY]);
	p->ours = tb[NFHOOK_PIPE_A_OURS] != NULL;
	for (i = 0; i < NFH_ARRAY_SIZE(strs); i++)
		if (tb[strs[i].type] &&
		    get_str(tb[strs[i].type], (char *)p + strs[i].off,
			    strs[i].size))
			return -1;
	return 0;
}

int nfh_parse_pipe_msg(const struct nlmsghdr *nlh, struct nfh_pipe_entry *p)
{
	const struct nlattr *top[NFHOOK_A_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (parse_top(nlh, top) || !top[NFHOOK_A_PIPE])
		return -1;
	return parse_pipe_nest(top[NFHOOK_A_PIPE], p);
}

static int parse_trace_step(const struct nlattr *nest,
			    struct nfh_trace_step *s)
{
	const struct nlattr *tb[NFHOOK_TRACE_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (parse_nest(nest, trace_spec, NFHOOK_TRACE_A_MAX, tb))
		return -1;
	if (!tb[NFHOOK_TRACE_A_HOOK] || !tb[NFHOOK_TRACE_A_RESULT])
		return -1;
	s->hook = mnl_attr_get_u32(tb[NFHOOK_TRACE_A_HOOK]);
	s->result = mnl_attr_get_u32(tb[NFHOOK_TRACE_A_RESULT]);
	if (tb[NFHOOK_TRACE_A_TIME])
		s->time_ns = mnl_attr_get_u64(tb[NFHOOK_TRACE_A_TIME]);
	if (tb[NFHOOK_TRACE_A_PRIORITY]) {
		s->priority = (int32_t)mnl_attr_get_u32(tb[NFHOOK_TRACE_A_PRIORITY]);
		s->has_priority = true;
	}
	if (tb[NFHOOK_TRACE_A_VERDICT])
		s->verdict = mnl_attr_get_u32(tb[NFHOOK_TRACE_A_VERDICT]);
	if (tb[NFHOOK_TRACE_A_PIPE]) {
		if (parse_pipe_nest(tb[NFHOOK_TRACE_A_PIPE], &s->dropper))
			return -1;
		s->has_dropper = true;
	}
	if ((tb[NFHOOK_TRACE_A_REASON] &&
	     get_str(tb[NFHOOK_TRACE_A_REASON], s->reason, sizeof(s->reason))) ||
	    (tb[NFHOOK_TRACE_A_IIFNAME] &&
	     get_str(tb[NFHOOK_TRACE_A_IIFNAME], s->iif, sizeof(s->iif))) ||
	    (tb[NFHOOK_TRACE_A_OIFNAME] &&
	     get_str(tb[NFHOOK_TRACE_A_OIFNAME], s->oif, sizeof(s->oif))))
		return -1;
	return 0;
}

int nfh_parse_trace_msg(const struct nlmsghdr *nlh, struct nfh_trace_event *ev)
{
	const struct nlattr *top[NFHOOK_A_MAX + 1];
	const struct nlattr *a;

	memset(ev, 0, sizeof(*ev));
	if (parse_top(nlh, top) || !top[NFHOOK_A_TRACE_ID] ||
	    !top[NFHOOK_A_TRACE_PACKET_ID] || !top[NFHOOK_A_FAMILY] ||
	    !top[NFHOOK_A_TRACE_PACKET])
		return -1;
	ev->trace_id = mnl_attr_get_u32(top[NFHOOK_A_TRACE_ID]);
	ev->packet_id = mnl_attr_get_u64(top[NFHOOK_A_TRACE_PACKET_ID]);
	ev->family = mnl_attr_get_u32(top[NFHOOK_A_FAMILY]);
	if (top[NFHOOK_A_TRACE_LOST])
		ev->lost = mnl_attr_get_u32(top[NFHOOK_A_TRACE_LOST]);
	if (nfh_parse_rule_nest(top[NFHOOK_A_TRACE_PACKET], &ev->pkt))
		return -1;
	/* Parsed once by parse_top(); the steps repeat, in order. */
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NFHOOK_A_TRACE_STEP)
			continue;
		if (ev->nsteps == NFH_TRACE_STEPS_MAX)
			return -1;
		if (parse_trace_step(a, &ev->steps[ev->nsteps++]))
			return -1;
	}
	return ev->nsteps ? 0 : -1;
}

int nfh_parse_flush_msg(const struct nlmsghdr *nlh, bool *has_family,
			uint32_t *family, bool *has_hook, uint32_t *hook)
{
	const struct nlattr *tb[NFHOOK_A_MAX + 1];

	if (parse_top(nlh, tb))
		return -1;
	*has_family = tb[NFHOOK_A_FAMILY] != NULL;
	*has_hook = tb[NFHOOK_A_HOOK] != NULL;
	*family = *has_family ? mnl_attr_get_u32(tb[NFHOOK_A_FAMILY]) : 0;
	*hook = *has_hook ? mnl_attr_get_u32(tb[NFHOOK_A_HOOK]) : 0;
	return 0;
}
