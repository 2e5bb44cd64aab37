// SPDX-License-Identifier: GPL-2.0
/* Rules and hooks to netlink attributes and back, on a plain buffer. */
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "msg.h"
#include "parse.h"
#include "rule.h"
#include "util.h"
#include "unit.h"

static struct nlmsghdr *new_msg(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = 0x20;
	g->cmd = cmd;
	g->version = NFHOOK_GENL_VERSION;
	return nlh;
}

static void rule_case(const char *args, bool counters)
{
	char lb[512], *w[64];
	char buf[NFH_MSG_MAX] __attribute__((aligned(4)));
	struct nfh_err e = { .msg = "" };
	struct nfh_rule r, back;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	int n, found = 0;

	unit_case("attrs round trip: %s", args);
	n = unit_words(args, lb, sizeof(lb), w, 64);
	CHECK_INT(nfh_rule_parse(&r, n, w, counters ? NFH_RULE_CTX_RESTORE :
				 NFH_RULE_CTX_ADD, &e), 0);
	nlh = new_msg(buf, NFHOOK_CMD_RULE_ADD);
	CHECK(nfh_put_rule(nlh, sizeof(buf), &r));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NFHOOK_A_RULE)
			continue;
		CHECK_INT(nfh_parse_rule_nest(a, &back), 0);
		found++;
	}
	CHECK_INT(found, 1);
	if (found == 1)
		CHECK(nfh_rule_equal(&r, &back));
}

void suite_msg(void)
{
	char buf[NFH_MSG_MAX] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	struct nfh_rule r;

	rule_case("ipv4 input accept", false);
	rule_case("ipv4 input saddr 10.0.0.0/8 daddr 1.2.3.4 iif eth0 oif eth1 proto tcp sport 1-2 dport 3 len 5-6 tcp-flags syn/syn,ack count index 4 comment \"c\"", false);
	rule_case("ipv6 forward saddr 2001:db8::/48 daddr ::1 proto icmpv6 icmp-type 128 code 0 len 9- drop", false);
	rule_case("ipv4 input proto udp dport 53 accept counters packets 18446744073709551615 bytes 42", true);
	rule_case("ipv4 input ct state established,related accept", false);
	rule_case("ipv6 input proto tcp dport 22 ct state new,untracked,invalid accept counters packets 3 bytes 180", true);

	unit_case("attrs: ct state is one u32 of state bits");
	{
		char lb[256], *w[16];
		struct nfh_err e;
		const struct nlattr *in;
		unsigned int seen = 0;
		int n = unit_words("ipv4 input ct state related,new drop", lb, sizeof(lb), w, 16);

		CHECK_INT(nfh_rule_parse(&r, n, w, NFH_RULE_CTX_ADD, &e), 0);
		nlh = new_msg(buf, NFHOOK_CMD_RULE_ADD);
		CHECK(nfh_put_rule(nlh, sizeof(buf), &r));
		a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
		mnl_attr_for_each_nested(in, a) {
			if (mnl_attr_get_type(in) != NFHOOK_RULE_A_CT_STATE)
				continue;
			seen++;
			CHECK_INT(mnl_attr_get_payload_len(in), 4);
			CHECK_INT(mnl_attr_get_u32(in), NFHOOK_CT_STATE_NEW | NFHOOK_CT_STATE_RELATED);
		}
		CHECK_INT(seen, 1);
	}

	unit_case("attrs: largest rule fits in NFH_MSG_MAX");
	{
		char lb[1024], *w[64];
		struct nfh_err e;
		int n = unit_words("ipv6 input saddr ffff::/1 daddr ffff::/2 iif abcdefghijklmno oif abcdefghijklmno proto tcp sport 1-2 dport 3-4 len 5-6 tcp-flags syn/syn,ack ct state new,established,related,invalid,untracked accept counters packets 1 bytes 2 comment 012345678901234567890123456789012345678901234567890123456789012",
				   lb, sizeof(lb), w, 64);

		CHECK_INT(nfh_rule_parse(&r, n, w, NFH_RULE_CTX_RESTORE, &e), 0);
		nlh = new_msg(buf, NFHOOK_CMD_REPLACE_RULE);
		CHECK(nfh_put_rule(nlh, sizeof(buf), &r));
		CHECK(nlh->nlmsg_len < NFH_MSG_MAX / 2);
		/* And a message that is too small says so, never overflows. */
		nlh = new_msg(buf, NFHOOK_CMD_REPLACE_RULE);
		CHECK(!nfh_put_rule(nlh, 100, &r));
		CHECK(nlh->nlmsg_len <= 100);
	}

	unit_case("attrs: rule del carries only the id");
	memset(&r, 0, sizeof(r));
	r.fields = NFH_R_ID;
	r.id = 77;
	nlh = new_msg(buf, NFHOOK_CMD_RULE_DEL);
	CHECK(nfh_put_rule(nlh, sizeof(buf), &r));
	a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	CHECK_INT(mnl_attr_get_type(a), NFHOOK_A_RULE);
	CHECK_INT(mnl_attr_get_payload_len(a), 8);

	unit_case("attrs: hook settings and a hook reply");
	{
		struct nfh_hook h = { .fields = NFH_H_PRIORITY | NFH_H_ENABLED | NFH_H_POLICY,
				      .family = NFPROTO_IPV6, .hook = NF_INET_POST_ROUTING,
				      .priority = -300, .enabled = true,
				      .policy = NFHOOK_ACTION_DROP }, back;
		struct nlattr *c;

		nlh = new_msg(buf, NFHOOK_CMD_HOOK_GET);
		CHECK(nfh_put_hook(nlh, sizeof(buf), &h));
		mnl_attr_put_u32(nlh, NFHOOK_A_RULE_COUNT_HOOK, 3);
		c = mnl_attr_nest_start(nlh, NFHOOK_A_COUNTERS);
		mnl_attr_put_u64(nlh, NFHOOK_COUNTERS_A_PACKETS, 10);
		mnl_attr_put_u64(nlh, NFHOOK_COUNTERS_A_POLICY_DROPPED_BYTES, 1ULL << 40);
		mnl_attr_put_u64(nlh, 200, 5);		/* unknown: skipped */
		mnl_attr_nest_end(nlh, c);
		mnl_attr_put_u32(nlh, 300, 1);		/* unknown: skipped */
		CHECK_INT(nfh_parse_hook_msg(nlh, &back), 0);
		h.fields |= NFH_H_RULES | NFH_H_COUNTERS;
		h.rules = 3;
		h.counters[NFH_C_PACKETS] = 10;
		h.counters[NFH_C_POLICY_DROPPED_BYTES] = 1ULL << 40;
		CHECK(nfh_hook_equal(&h, &back));
	}

	unit_case("attrs: malformed replies are refused");
	{
		struct nfh_hook h;
		struct nfh_info info;
		struct nlattr *n;

		nlh = new_msg(buf, NFHOOK_CMD_HOOK_GET);
		mnl_attr_put_u16(nlh, NFHOOK_A_FAMILY, 2);	/* u32 expected */
		mnl_attr_put_u32(nlh, NFHOOK_A_HOOK, 1);
		CHECK_INT(nfh_parse_hook_msg(nlh, &h), -1);

		nlh = new_msg(buf, NFHOOK_CMD_HOOK_GET);
		mnl_attr_put_u32(nlh, NFHOOK_A_HOOK, 1);	/* no family */
		CHECK_INT(nfh_parse_hook_msg(nlh, &h), -1);

		nlh = new_msg(buf, NFHOOK_CMD_INFO_GET);
		mnl_attr_put(nlh, NFHOOK_A_VERSION, 3, "abc");	/* no NUL */
		CHECK_INT(nfh_parse_info_msg(nlh, &info), -1);

		nlh = new_msg(buf, NFHOOK_CMD_RULE_GET);
		n = mnl_attr_nest_start(nlh, NFHOOK_A_RULE);
		mnl_attr_put_u32(nlh, NFHOOK_RULE_A_FAMILY, NFPROTO_IPV6);
		mnl_attr_put(nlh, NFHOOK_RULE_A_SRC_IPV6, 4, "abcd");	/* 16 expected */
		mnl_attr_nest_end(nlh, n);
		a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
		CHECK_INT(nfh_parse_rule_nest(a, &r), -1);

		nlh = new_msg(buf, NFHOOK_CMD_RULE_GET);
		n = mnl_attr_nest_start(nlh, NFHOOK_A_RULE);
		mnl_attr_put_strz(nlh, NFHOOK_RULE_A_IIFNAME, "0123456789abcdefghij");
		mnl_attr_nest_end(nlh, n);
		a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
		CHECK_INT(nfh_parse_rule_nest(a, &r), -1);

		nlh = new_msg(buf, NFHOOK_CMD_RULE_GET);
		n = mnl_attr_nest_start(nlh, NFHOOK_A_RULE);
		mnl_attr_put_u16(nlh, NFHOOK_RULE_A_CT_STATE, 2);	/* u32 expected */
		mnl_attr_nest_end(nlh, n);
		a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
		CHECK_INT(nfh_parse_rule_nest(a, &r), -1);
	}

	unit_case("attrs: info reply");
	{
		struct nfh_info info;

		nlh = new_msg(buf, NFHOOK_CMD_INFO_GET);
		mnl_attr_put_strz(nlh, NFHOOK_A_VERSION, "1.2.3");
		mnl_attr_put_u32(nlh, NFHOOK_A_MAX_RULES, 65536);
		mnl_attr_put_u32(nlh, NFHOOK_A_DEFAULT_PRIORITY, (uint32_t)-5);
		CHECK_INT(nfh_parse_info_msg(nlh, &info), 0);
		CHECK_STR(info.version, "1.2.3");
		CHECK_INT(info.max_rules, 65536);
		CHECK(info.has_max_rules && !info.has_rule_count);
		CHECK_INT(info.default_priority, -5);
	}
}
