// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: nfhook_match() field by field, and nfhook_pkt_parse() on crafted
 * skbs.  Rule addresses are masked here by a bit-at-a-time reference, not
 * by rule.c, so a wrong mask in either shows up.
 */

#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "../compat.h"
#include "../nfhook.h"
#include "skb_util.h"

#define V4	NFPROTO_IPV4
#define V6	NFPROTO_IPV6

/* Parses @s into @a, padded with zeroes. */
static void test_addr(struct kunit *test, u8 family, const char *s,
		      union nf_inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == V4)
		KUNIT_ASSERT_TRUE(test, in4_pton(s, -1, (u8 *)&a->ip, -1, NULL));
	else
		KUNIT_ASSERT_TRUE(test, in6_pton(s, -1, a->in6.s6_addr, -1,
						 NULL));
}

/* The first @prefix bits of @a set in @mask, the others cleared in @a. */
static void test_mask(union nf_inet_addr *a, union nf_inet_addr *mask,
		      unsigned int prefix)
{
	u8 *ab = (u8 *)a, *mb = (u8 *)mask;
	unsigned int bit;

	memset(mask, 0, sizeof(*mask));
	for (bit = 0; bit < 128; bit++) {
		u8 b = 0x80 >> (bit % 8);

		if (bit < prefix)
			mb[bit / 8] |= b;
		else
			ab[bit / 8] &= ~b;
	}
}

/* ---- nfhook_match() ---- */

struct match_case {
	const char *name;
	u8 family;
	struct nfhook_match m;		/* addresses come from the strings */
	const char *saddr, *daddr;	/* with m.sprefix, m.dprefix */
	struct nfhook_pkt pkt;		/* addresses and devices from below */
	const char *psaddr, *pdaddr;
	const char *in, *out;		/* device names, NULL for none */
	bool match;
};

#define PKT4	.psaddr = "10.1.2.3", .pdaddr = "192.168.7.9"
#define PKT6	.psaddr = "2001:db8:1:2::3", .pdaddr = "fd00::9"
#define TCP_PKT(sp, dp, fl) \
	.pkt = { .l4proto = IPPROTO_TCP, .l4_valid = true, .sport = (sp), \
		 .dport = (dp), .tcp_flags = (fl), .len = 60 }
#define UDP_PKT(sp, dp) \
	.pkt = { .l4proto = IPPROTO_UDP, .l4_valid = true, .sport = (sp), \
		 .dport = (dp), .len = 60 }

static const struct match_case match_cases[] = {
	{ "v4 empty rule", V4, {}, NULL, NULL, UDP_PKT(1, 2), PKT4,
	  .match = true },
	{ "v6 empty rule", V6, {}, NULL, NULL, UDP_PKT(1, 2), PKT6,
	  .match = true },
	/* addresses */
	{ "v4 saddr /32 equal", V4,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 32 }, "10.1.2.3", NULL,
	  UDP_PKT(1, 2), PKT4, .match = true },
	{ "v4 saddr /32 differs", V4,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 32 }, "10.1.2.4", NULL,
	  UDP_PKT(1, 2), PKT4, .match = false },
	{ "v4 saddr /8 inside", V4,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 8 }, "10.99.0.0", NULL,
	  UDP_PKT(1, 2), PKT4, .match = true },
	{ "v4 saddr /23 outside by last bit", V4,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 23 }, "10.1.0.0", NULL,
	  UDP_PKT(1, 2), PKT4, .match = false },
	{ "v4 saddr /0 anything", V4,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 0 }, "1.2.3.4", NULL,
	  UDP_PKT(1, 2), PKT4, .match = true },
	{ "v4 daddr /24 inside", V4,
	  { .fields = NFHOOK_MATCH_DADDR, .dprefix = 24 }, NULL, "192.168.7.0",
	  UDP_PKT(1, 2), PKT4, .match = true },
	{ "v4 daddr /24 outside", V4,
	  { .fields = NFHOOK_MATCH_DADDR, .dprefix = 24 }, NULL, "192.168.8.0",
	  UDP_PKT(1, 2), PKT4, .match = false },
	{ "v4 daddr is not saddr", V4,
	  { .fields = NFHOOK_MATCH_DADDR, .dprefix = 32 }, NULL, "10.1.2.3",
	  UDP_PKT(1, 2), PKT4, .match = false },
	{ "v6 saddr /128 equal", V6,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 128 }, "2001:db8:1:2::3",
	  NULL, UDP_PKT(1, 2), PKT6, .match = true },
	{ "v6 saddr /128 differs", V6,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 128 }, "2001:db8:1:2::4",
	  NULL, UDP_PKT(1, 2), PKT6, .match = false },
	{ "v6 saddr /64 inside", V6,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 64 }, "2001:db8:1:2::",
	  NULL, UDP_PKT(1, 2), PKT6, .match = true },
	{ "v6 saddr /64 outside by last bit", V6,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 64 }, "2001:db8:1:3::",
	  NULL, UDP_PKT(1, 2), PKT6, .match = false },
	{ "v6 saddr /33 across words", V6,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 33 }, "2001:db8:7fff::",
	  NULL, UDP_PKT(1, 2), PKT6, .match = true },
	{ "v6 saddr /0 anything", V6,
	  { .fields = NFHOOK_MATCH_SADDR, .sprefix = 0 }, "::1", NULL,
	  UDP_PKT(1, 2), PKT6, .match = true },
	{ "v6 daddr /8 inside", V6,
	  { .fields = NFHOOK_MATCH_DADDR, .dprefix = 8 }, NULL, "fd12::",
	  UDP_PKT(1, 2), PKT6, .match = true },
	{ "v6 daddr /8 outside", V6,
	  { .fields = NFHOOK_MATCH_DADDR, .dprefix = 8 }, NULL, "fc00::",
	  UDP_PKT(1, 2), PKT6, .match = false },
	/* protocol */
	{ "v4 proto equal", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO, .l4proto = IPPROTO_UDP }, NULL,
	  NULL, UDP_PKT(1, 2), PKT4, .match = true },
	{ "v4 proto differs", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO, .l4proto = IPPROTO_TCP }, NULL,
	  NULL, UDP_PKT(1, 2), PKT4, .match = false },
	{ "v6 proto equal", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO, .l4proto = IPPROTO_TCP }, NULL,
	  NULL, TCP_PKT(1, 2, 0), PKT6, .match = true },
	{ "v4 proto of a fragment", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO, .l4proto = IPPROTO_UDP }, NULL,
	  NULL, .pkt = { .l4proto = IPPROTO_UDP, .fragment = true }, PKT4,
	  .match = true },
	/* ports */
	{ "v4 sport in range", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT,
	    .l4proto = IPPROTO_UDP, .sport_min = 1000, .sport_max = 2000 },
	  NULL, NULL, UDP_PKT(1500, 53), PKT4, .match = true },
	{ "v4 sport at minimum", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT,
	    .l4proto = IPPROTO_UDP, .sport_min = 1000, .sport_max = 2000 },
	  NULL, NULL, UDP_PKT(1000, 53), PKT4, .match = true },
	{ "v4 sport at maximum", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT,
	    .l4proto = IPPROTO_UDP, .sport_min = 1000, .sport_max = 2000 },
	  NULL, NULL, UDP_PKT(2000, 53), PKT4, .match = true },
	{ "v4 sport below", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT,
	    .l4proto = IPPROTO_UDP, .sport_min = 1000, .sport_max = 2000 },
	  NULL, NULL, UDP_PKT(999, 53), PKT4, .match = false },
	{ "v4 sport above", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT,
	    .l4proto = IPPROTO_UDP, .sport_min = 1000, .sport_max = 2000 },
	  NULL, NULL, UDP_PKT(2001, 53), PKT4, .match = false },
	{ "v4 dport equal", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_TCP, .dport_min = 80, .dport_max = 80 },
	  NULL, NULL, TCP_PKT(40000, 80, 0), PKT4, .match = true },
	{ "v4 dport differs", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_TCP, .dport_min = 80, .dport_max = 80 },
	  NULL, NULL, TCP_PKT(80, 81, 0), PKT4, .match = false },
	{ "v4 dport other protocol", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_TCP, .dport_min = 80, .dport_max = 80 },
	  NULL, NULL, UDP_PKT(1, 80), PKT4, .match = false },
	{ "v4 dport of a non-first fragment", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_UDP, .dport_min = 0, .dport_max = 65535 },
	  NULL, NULL, .pkt = { .l4proto = IPPROTO_UDP, .fragment = true },
	  PKT4, .match = false },
	{ "v4 dport of a truncated header", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_UDP, .dport_min = 0, .dport_max = 65535 },
	  NULL, NULL, .pkt = { .l4proto = IPPROTO_UDP }, PKT4,
	  .match = false },
	{ "v6 sport in range", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT,
	    .l4proto = IPPROTO_SCTP, .sport_min = 1, .sport_max = 9 },
	  NULL, NULL, .pkt = { .l4proto = IPPROTO_SCTP, .l4_valid = true,
			       .sport = 9 }, PKT6, .match = true },
	{ "v6 dport above", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_UDPLITE, .dport_min = 1, .dport_max = 9 },
	  NULL, NULL, .pkt = { .l4proto = IPPROTO_UDPLITE, .l4_valid = true,
			       .dport = 10 }, PKT6, .match = false },
	{ "v6 dport of a non-first fragment", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
	    .l4proto = IPPROTO_TCP, .dport_min = 0, .dport_max = 65535 },
	  NULL, NULL, .pkt = { .l4proto = IPPROTO_TCP, .fragment = true },
	  PKT6, .match = false },
	/* icmp */
	{ "v4 icmp type equal", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE,
	    .l4proto = IPPROTO_ICMP, .icmp_type = ICMP_ECHO }, NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMP, .l4_valid = true,
		   .icmp_type = ICMP_ECHO }, PKT4, .match = true },
	{ "v4 icmp type differs", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE,
	    .l4proto = IPPROTO_ICMP, .icmp_type = ICMP_ECHO }, NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMP, .l4_valid = true,
		   .icmp_type = ICMP_ECHOREPLY }, PKT4, .match = false },
	{ "v4 icmp code equal", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE |
		      NFHOOK_MATCH_ICMP_CODE, .l4proto = IPPROTO_ICMP,
	    .icmp_type = ICMP_DEST_UNREACH, .icmp_code = ICMP_PORT_UNREACH },
	  NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMP, .l4_valid = true,
		   .icmp_type = ICMP_DEST_UNREACH,
		   .icmp_code = ICMP_PORT_UNREACH }, PKT4, .match = true },
	{ "v4 icmp code differs", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE |
		      NFHOOK_MATCH_ICMP_CODE, .l4proto = IPPROTO_ICMP,
	    .icmp_type = ICMP_DEST_UNREACH, .icmp_code = ICMP_PORT_UNREACH },
	  NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMP, .l4_valid = true,
		   .icmp_type = ICMP_DEST_UNREACH,
		   .icmp_code = ICMP_HOST_UNREACH }, PKT4, .match = false },
	{ "v4 icmp type of a truncated header", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE,
	    .l4proto = IPPROTO_ICMP, .icmp_type = 0 }, NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMP }, PKT4, .match = false },
	{ "v6 icmpv6 type and code equal", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE |
		      NFHOOK_MATCH_ICMP_CODE, .l4proto = IPPROTO_ICMPV6,
	    .icmp_type = ICMPV6_DEST_UNREACH, .icmp_code = ICMPV6_PORT_UNREACH },
	  NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMPV6, .l4_valid = true,
		   .icmp_type = ICMPV6_DEST_UNREACH,
		   .icmp_code = ICMPV6_PORT_UNREACH }, PKT6, .match = true },
	{ "v6 icmpv6 type differs", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE,
	    .l4proto = IPPROTO_ICMPV6, .icmp_type = ICMPV6_ECHO_REQUEST },
	  NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_ICMPV6, .l4_valid = true,
		   .icmp_type = ICMPV6_ECHO_REPLY }, PKT6, .match = false },
	/* tcp flags */
	{ "v4 tcp flags syn of syn,ack: syn", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_TCP_FLAGS,
	    .l4proto = IPPROTO_TCP, .tcp_flags = 0x02, .tcp_flags_mask = 0x12 },
	  NULL, NULL, TCP_PKT(1, 2, 0x02), PKT4, .match = true },
	{ "v4 tcp flags syn of syn,ack: syn+ack", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_TCP_FLAGS,
	    .l4proto = IPPROTO_TCP, .tcp_flags = 0x02, .tcp_flags_mask = 0x12 },
	  NULL, NULL, TCP_PKT(1, 2, 0x12), PKT4, .match = false },
	{ "v4 tcp flags ignore bits outside the mask", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_TCP_FLAGS,
	    .l4proto = IPPROTO_TCP, .tcp_flags = 0x02, .tcp_flags_mask = 0x12 },
	  NULL, NULL, TCP_PKT(1, 2, 0xe3), PKT4, .match = true },
	{ "v6 tcp flags rst", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_TCP_FLAGS,
	    .l4proto = IPPROTO_TCP, .tcp_flags = 0x04, .tcp_flags_mask = 0x04 },
	  NULL, NULL, TCP_PKT(1, 2, 0x14), PKT6, .match = true },
	{ "v6 tcp flags without rst", V6,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_TCP_FLAGS,
	    .l4proto = IPPROTO_TCP, .tcp_flags = 0x04, .tcp_flags_mask = 0x04 },
	  NULL, NULL, TCP_PKT(1, 2, 0x10), PKT6, .match = false },
	/* interfaces */
	{ "v4 iif equal", V4, { .fields = NFHOOK_MATCH_IIF, .iifname = "eth0" },
	  NULL, NULL, UDP_PKT(1, 2), PKT4, .in = "eth0", .match = true },
	{ "v4 iif differs", V4,
	  { .fields = NFHOOK_MATCH_IIF, .iifname = "eth0" }, NULL, NULL,
	  UDP_PKT(1, 2), PKT4, .in = "eth01", .match = false },
	{ "v4 iif without device", V4,
	  { .fields = NFHOOK_MATCH_IIF, .iifname = "eth0" }, NULL, NULL,
	  UDP_PKT(1, 2), PKT4, .out = "eth0", .match = false },
	{ "v6 oif equal, 15 characters", V6,
	  { .fields = NFHOOK_MATCH_OIF, .oifname = "abcdefghijklmno" }, NULL,
	  NULL, UDP_PKT(1, 2), PKT6, .out = "abcdefghijklmno", .match = true },
	{ "v6 oif differs", V6,
	  { .fields = NFHOOK_MATCH_OIF, .oifname = "veth1" }, NULL, NULL,
	  UDP_PKT(1, 2), PKT6, .in = "veth1", .out = "veth2", .match = false },
	{ "v6 oif without device", V6,
	  { .fields = NFHOOK_MATCH_OIF, .oifname = "veth1" }, NULL, NULL,
	  UDP_PKT(1, 2), PKT6, .match = false },
	/* length */
	{ "v4 len in range", V4,
	  { .fields = NFHOOK_MATCH_LEN, .len_min = 60, .len_max = 60 }, NULL,
	  NULL, UDP_PKT(1, 2), PKT4, .match = true },
	{ "v4 len below", V4,
	  { .fields = NFHOOK_MATCH_LEN, .len_min = 61, .len_max = U32_MAX },
	  NULL, NULL, UDP_PKT(1, 2), PKT4, .match = false },
	{ "v6 len above", V6,
	  { .fields = NFHOOK_MATCH_LEN, .len_min = 0, .len_max = 59 }, NULL,
	  NULL, UDP_PKT(1, 2), PKT6, .match = false },
	{ "v6 len of a truncated packet", V6,
	  { .fields = NFHOOK_MATCH_LEN, .len_min = 0, .len_max = 59 }, NULL,
	  NULL, .pkt = { .l4proto = IPPROTO_UDP, .len = 41 }, PKT6,
	  .match = true },
	/* connection state: any of the rule's bits */
	{ "v4 ct state established: established", V4,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_ESTABLISHED }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_ESTABLISHED }, PKT4,
	  .match = true },
	{ "v4 ct state established: new", V4,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_ESTABLISHED }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_NEW }, PKT4, .match = false },
	{ "v6 ct state established,related: related", V6,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_ESTABLISHED |
			NFHOOK_CT_STATE_RELATED }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_RELATED }, PKT6, .match = true },
	{ "v6 ct state established,related: invalid", V6,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_ESTABLISHED |
			NFHOOK_CT_STATE_RELATED }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_INVALID }, PKT6,
	  .match = false },
	{ "v4 ct state invalid: invalid", V4,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_INVALID }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_INVALID }, PKT4, .match = true },
	{ "v4 ct state untracked: invalid", V4,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_UNTRACKED }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_INVALID }, PKT4,
	  .match = false },
	{ "v6 ct state every state: untracked", V6,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_ALL }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_UNTRACKED }, PKT6,
	  .match = true },
	{ "v6 ct state all but new: new", V6,
	  { .fields = NFHOOK_MATCH_CT_STATE,
	    .ct_state = NFHOOK_CT_STATE_ALL & ~NFHOOK_CT_STATE_NEW }, NULL, NULL,
	  .pkt = { .ct_state = NFHOOK_CT_STATE_NEW }, PKT6, .match = false },
	{ "v4 ct state new with tcp dport 22: both", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT |
		      NFHOOK_MATCH_CT_STATE, .l4proto = IPPROTO_TCP,
	    .dport_min = 22, .dport_max = 22, .ct_state = NFHOOK_CT_STATE_NEW },
	  NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_TCP, .l4_valid = true, .dport = 22,
		   .ct_state = NFHOOK_CT_STATE_NEW }, PKT4, .match = true },
	{ "v4 ct state new with tcp dport 22: established", V4,
	  { .fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT |
		      NFHOOK_MATCH_CT_STATE, .l4proto = IPPROTO_TCP,
	    .dport_min = 22, .dport_max = 22, .ct_state = NFHOOK_CT_STATE_NEW },
	  NULL, NULL,
	  .pkt = { .l4proto = IPPROTO_TCP, .l4_valid = true, .dport = 22,
		   .ct_state = NFHOOK_CT_STATE_ESTABLISHED }, PKT4,
	  .match = false },
	/* all together */
	{ "v4 every field", V4,
	  { .fields = NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
		      NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT |
		      NFHOOK_MATCH_DPORT | NFHOOK_MATCH_TCP_FLAGS |
		      NFHOOK_MATCH_IIF | NFHOOK_MATCH_OIF | NFHOOK_MATCH_LEN,
	    .sprefix = 16, .dprefix = 32, .l4proto = IPPROTO_TCP,
	    .sport_min = 1, .sport_max = 1, .dport_min = 2, .dport_max = 2,
	    .tcp_flags = 0x10, .tcp_flags_mask = 0x10, .iifname = "in",
	    .oifname = "out", .len_min = 60, .len_max = 60 },
	  "10.1.0.0", "192.168.7.9", TCP_PKT(1, 2, 0x10), PKT4, .in = "in",
	  .out = "out", .match = true },
	{ "v4 every field, one differs", V4,
	  { .fields = NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
		      NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_SPORT |
		      NFHOOK_MATCH_DPORT | NFHOOK_MATCH_TCP_FLAGS |
		      NFHOOK_MATCH_IIF | NFHOOK_MATCH_OIF | NFHOOK_MATCH_LEN,
	    .sprefix = 16, .dprefix = 32, .l4proto = IPPROTO_TCP,
	    .sport_min = 1, .sport_max = 1, .dport_min = 2, .dport_max = 2,
	    .tcp_flags = 0x10, .tcp_flags_mask = 0x10, .iifname = "in",
	    .oifname = "out", .len_min = 60, .len_max = 60 },
	  "10.1.0.0", "192.168.7.9", TCP_PKT(1, 2, 0x10), PKT4, .in = "in",
	  .out = "out2", .match = false },
	{ "v6 every field", V6,
	  { .fields = NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
		      NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_ICMP_TYPE |
		      NFHOOK_MATCH_ICMP_CODE | NFHOOK_MATCH_IIF |
		      NFHOOK_MATCH_OIF | NFHOOK_MATCH_LEN,
	    .sprefix = 48, .dprefix = 128, .l4proto = IPPROTO_ICMPV6,
	    .icmp_type = 1, .icmp_code = 4, .iifname = "in",
	    .oifname = "out", .len_min = 40, .len_max = 100 },
	  "2001:db8:1::", "fd00::9",
	  .pkt = { .l4proto = IPPROTO_ICMPV6, .l4_valid = true,
		   .icmp_type = 1, .icmp_code = 4, .len = 60 },
	  PKT6, .in = "in", .out = "out", .match = true },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

static void nfhook_test_match(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct nfhook_match m = c->m;
	struct nfhook_pkt pkt = c->pkt;

	m.family = c->family;
	pkt.family = c->family;
	if (c->saddr) {
		test_addr(test, c->family, c->saddr, &m.saddr);
		test_mask(&m.saddr, &m.smask, m.sprefix);
	}
	if (c->daddr) {
		test_addr(test, c->family, c->daddr, &m.daddr);
		test_mask(&m.daddr, &m.dmask, m.dprefix);
	}
	test_addr(test, c->family, c->psaddr, &pkt.saddr);
	test_addr(test, c->family, c->pdaddr, &pkt.daddr);
	pkt.in = nfhook_test_dev(test, c->in);
	pkt.out = nfhook_test_dev(test, c->out);

	KUNIT_EXPECT_EQ(test, c->match, nfhook_match(&m, &pkt));
}

/* ---- nfhook_match() against a naive reference, on random input ---- */

#define RANDOM_ROUNDS	20000

/* A rule as a user states it: the address is not masked. */
struct ref_rule {
	struct nfhook_match m;		/* fields and everything but addresses */
	union nf_inet_addr saddr, daddr;
};

static bool ref_prefix_equal(const union nf_inet_addr *a,
			     const union nf_inet_addr *b, unsigned int prefix)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;
	unsigned int bit;

	for (bit = 0; bit < prefix; bit++)
		if ((x[bit / 8] ^ y[bit / 8]) & (0x80 >> (bit % 8)))
			return false;
	return true;
}

static bool ref_dev(const struct net_device *dev, const char *name)
{
	return dev && !strcmp(dev->name, name);
}

/* Each field written out as the documentation states it. */
static bool ref_match(const struct ref_rule *r, const struct nfhook_pkt *p)
{
	const struct nfhook_match *m = &r->m;
	bool l4 = p->l4_valid && !p->fragment && p->l4proto == m->l4proto;

	if ((m->fields & NFHOOK_MATCH_SADDR) &&
	    !ref_prefix_equal(&r->saddr, &p->saddr, m->sprefix))
		return false;
	if ((m->fields & NFHOOK_MATCH_DADDR) &&
	    !ref_prefix_equal(&r->daddr, &p->daddr, m->dprefix))
		return false;
	if ((m->fields & NFHOOK_MATCH_L4PROTO) && p->l4proto != m->l4proto)
		return false;
	if ((m->fields & NFHOOK_MATCH_SPORT) &&
	    !(l4 && p->sport >= m->sport_min && p->sport <= m->sport_max))
		return false;
	if ((m->fields & NFHOOK_MATCH_DPORT) &&
	    !(l4 && p->dport >= m->dport_min && p->dport <= m->dport_max))
		return false;
	if ((m->fields & NFHOOK_MATCH_ICMP_TYPE) &&
	    !(l4 && p->icmp_type == m->icmp_type))
		return false;
	if ((m->fields & NFHOOK_MATCH_ICMP_CODE) &&
	    !(l4 && p->icmp_code == m->icmp_code))
		return false;
	if ((m->fields & NFHOOK_MATCH_TCP_FLAGS) &&
	    !(l4 && (p->tcp_flags & m->tcp_flags_mask) == m->tcp_flags))
		return false;
	if ((m->fields & NFHOOK_MATCH_IIF) && !ref_dev(p->in, m->iifname))
		return false;
	if ((m->fields & NFHOOK_MATCH_OIF) && !ref_dev(p->out, m->oifname))
		return false;
	if ((m->fields & NFHOOK_MATCH_LEN) &&
	    (p->len < m->len_min || p->len > m->len_max))
		return false;
	if ((m->fields & NFHOOK_MATCH_CT_STATE) &&
	    !(m->ct_state & BIT(__ffs(p->ct_state))))
		return false;
	return true;
}

/* Few distinct values, so that random rules and packets often meet. */
static u32 pick(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

static void random_addr(struct rnd_state *rnd, u8 family,
			union nf_inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == V4) {
		a->ip = htonl(0x0a000000 | pick(rnd, 4) << 22 | pick(rnd, 4));
	} else {
		a->ip6[0] = htonl(0x20010db8);
		a->ip6[1] = htonl(pick(rnd, 4) << 30);
		a->ip6[3] = htonl(pick(rnd, 4));
	}
}

static void random_range(struct rnd_state *rnd, u16 *lo, u16 *hi)
{
	u16 a = pick(rnd, 8), b = pick(rnd, 8);

	*lo = min(a, b);
	*hi = max(a, b);
}

static void random_rule(struct rnd_state *rnd, u8 family, struct ref_rule *r)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
				     IPPROTO_ICMPV6 };
	struct nfhook_match *m = &r->m;
	unsigned int plen = family == V4 ? 32 : 128;

	memset(r, 0, sizeof(*r));
	m->family = family;
	/* Each field in about one rule out of four. */
	m->fields = prandom_u32_state(rnd) & prandom_u32_state(rnd) &
		    (BIT(12) - 1);
	random_addr(rnd, family, &r->saddr);
	random_addr(rnd, family, &r->daddr);
	m->sprefix = pick(rnd, plen + 1);
	m->dprefix = pick(rnd, plen + 1);
	m->l4proto = protos[pick(rnd, ARRAY_SIZE(protos))];
	random_range(rnd, &m->sport_min, &m->sport_max);
	random_range(rnd, &m->dport_min, &m->dport_max);
	m->icmp_type = pick(rnd, 3);
	m->icmp_code = pick(rnd, 3);
	m->tcp_flags_mask = pick(rnd, 8);
	m->tcp_flags = pick(rnd, 8) & m->tcp_flags_mask;
	m->len_min = pick(rnd, 100);
	m->len_max = m->len_min + pick(rnd, 100);
	m->ct_state = pick(rnd, NFHOOK_CT_STATE_ALL) + 1;
	strscpy(m->iifname, pick(rnd, 2) ? "a" : "b", IFNAMSIZ);
	strscpy(m->oifname, pick(rnd, 2) ? "a" : "b", IFNAMSIZ);

	m->saddr = r->saddr;
	m->daddr = r->daddr;
	test_mask(&m->saddr, &m->smask, m->sprefix);
	test_mask(&m->daddr, &m->dmask, m->dprefix);
}

static void nfhook_test_match_random(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
				     IPPROTO_ICMPV6, IPPROTO_SCTP };
	struct net_device *devs[3] = {
		NULL, nfhook_test_dev(test, "a"), nfhook_test_dev(test, "b"),
	};
	unsigned int i, matched = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 0x6e66686f6f6bULL);
	for (i = 0; i < RANDOM_ROUNDS; i++) {
		u8 family = i & 1 ? V6 : V4;
		struct nfhook_pkt pkt = {};
		struct ref_rule r;
		bool want, got;

		random_rule(&rnd, family, &r);
		pkt.family = family;
		random_addr(&rnd, family, &pkt.saddr);
		random_addr(&rnd, family, &pkt.daddr);
		pkt.l4proto = protos[pick(&rnd, ARRAY_SIZE(protos))];
		pkt.l4_valid = pick(&rnd, 8);
		pkt.fragment = !pick(&rnd, 8);
		pkt.sport = pick(&rnd, 10);
		pkt.dport = pick(&rnd, 10);
		pkt.icmp_type = pick(&rnd, 3);
		pkt.icmp_code = pick(&rnd, 3);
		pkt.tcp_flags = pick(&rnd, 8);
		pkt.len = pick(&rnd, 200);
		pkt.ct_state = BIT(pick(&rnd, 5));
		pkt.in = devs[pick(&rnd, 3)];
		pkt.out = devs[pick(&rnd, 3)];

		want = ref_match(&r, &pkt);
		got = nfhook_match(&r.m, &pkt);
		KUNIT_EXPECT_EQ_MSG(test, want, got,
				    "round %u, fields %#x, l4proto %u/%u",
				    i, r.m.fields, r.m.l4proto, pkt.l4proto);
		if (want != got)
			break;
		matched += got;
	}
	/* Both outcomes must be common, or the test proves little. */
	KUNIT_EXPECT_GT(test, matched, RANDOM_ROUNDS / 50);
	KUNIT_EXPECT_LT(test, matched, RANDOM_ROUNDS - RANDOM_ROUNDS / 50);
}

/* ---- nfhook_ct_state(): what nf_ct_get() gives, as a state ---- */

struct ct_case {
	const char *name;
	bool has_ct;
	unsigned int ctinfo;
	u8 state;
};

static const struct ct_case ct_cases[] = {
	{ "entry, new", true, IP_CT_NEW, NFHOOK_CT_STATE_NEW },
	{ "entry, established", true, IP_CT_ESTABLISHED,
	  NFHOOK_CT_STATE_ESTABLISHED },
	{ "entry, established reply", true, IP_CT_ESTABLISHED_REPLY,
	  NFHOOK_CT_STATE_ESTABLISHED },
	{ "entry, related", true, IP_CT_RELATED, NFHOOK_CT_STATE_RELATED },
	{ "entry, related reply", true, IP_CT_RELATED_REPLY,
	  NFHOOK_CT_STATE_RELATED },
	{ "no entry, untracked", false, IP_CT_UNTRACKED,
	  NFHOOK_CT_STATE_UNTRACKED },
	/* An skb conntrack never saw reads 0: no entry, "established". */
	{ "no entry, nothing", false, 0, NFHOOK_CT_STATE_INVALID },
	{ "no entry, new", false, IP_CT_NEW, NFHOOK_CT_STATE_INVALID },
};

static void ct_case_desc(const struct ct_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ct, ct_cases, ct_case_desc);

static void nfhook_test_ct_state(struct kunit *test)
{
	const struct ct_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, c->state, nfhook_ct_state(c->has_ct, c->ctinfo));
}

/* ---- nfhook_pkt_parse() ---- */

struct parse_case {
	const char *name;
	struct nfhook_test_pkt pkt;
	/* expected */
	u8 l4proto;
	bool l4_valid;
	bool fragment;
};

static const struct parse_case parse_cases[] = {
	{ "v4 tcp", { V4, IPPROTO_TCP }, .l4proto = IPPROTO_TCP,
	  .l4_valid = true },
	{ "v4 udp", { V4, IPPROTO_UDP }, .l4proto = IPPROTO_UDP,
	  .l4_valid = true },
	{ "v4 udplite", { V4, IPPROTO_UDPLITE }, .l4proto = IPPROTO_UDPLITE,
	  .l4_valid = true },
	{ "v4 sctp", { V4, IPPROTO_SCTP }, .l4proto = IPPROTO_SCTP,
	  .l4_valid = true },
	{ "v4 icmp", { V4, IPPROTO_ICMP }, .l4proto = IPPROTO_ICMP,
	  .l4_valid = true },
	{ "v4 gre: no transport fields", { V4, IPPROTO_GRE },
	  .l4proto = IPPROTO_GRE },
	{ "v4 tcp with options in the IP header", { V4, IPPROTO_TCP, .ihl = 7 },
	  .l4proto = IPPROTO_TCP, .l4_valid = true },
	{ "v4 tcp header paged", { V4, IPPROTO_TCP, .paged = 24 },
	  .l4proto = IPPROTO_TCP, .l4_valid = true },
	{ "v4 tcp header cut after the flags",
	  { V4, IPPROTO_TCP, .cut = 20 + 14 }, .l4proto = IPPROTO_TCP },
	{ "v4 udp header cut", { V4, IPPROTO_UDP, .cut = 20 + 7 },
	  .l4proto = IPPROTO_UDP },
	{ "v4 icmp header cut", { V4, IPPROTO_ICMP, .cut = 20 + 1 },
	  .l4proto = IPPROTO_ICMP },
	{ "v4 total length short of the udp header",
	  { V4, IPPROTO_UDP, .len_adjust = -1 }, .l4proto = IPPROTO_UDP },
	{ "v4 total length 0", { V4, IPPROTO_UDP, .len_adjust = -(20 + 8) },
	  .l4proto = IPPROTO_UDP },
	{ "v4 tcp data offset 4", { V4, IPPROTO_TCP, .doff = 4 },
	  .l4proto = IPPROTO_TCP },
	{ "v4 tcp data offset 15", { V4, IPPROTO_TCP, .doff = 15 },
	  .l4proto = IPPROTO_TCP, .l4_valid = true },
	{ "v4 IHL 4", { V4, IPPROTO_TCP, .ihl = 4 }, .l4proto = IPPROTO_TCP },
	/* Only the low 4 bits go into the header: 0xf0 writes an IHL of 0. */
	{ "v4 IHL 0", { V4, IPPROTO_TCP, .ihl = 0xf0 },
	  .l4proto = IPPROTO_TCP },
	/* UDP has no data offset that would give the bad IHL away. */
	{ "v4 IHL 4, udp", { V4, IPPROTO_UDP, .ihl = 4 },
	  .l4proto = IPPROTO_UDP },
	{ "v4 IHL 0, udp", { V4, IPPROTO_UDP, .ihl = 0xf0 },
	  .l4proto = IPPROTO_UDP },
	{ "v4 IHL past the total length",
	  { V4, IPPROTO_TCP, .ihl = 15, .cut = 40 }, .l4proto = IPPROTO_TCP },
	{ "v4 IP header cut", { V4, IPPROTO_TCP, .cut = 19 } },
	{ "v4 first fragment", { V4, IPPROTO_UDP, .frag = IP_MF },
	  .l4proto = IPPROTO_UDP, .l4_valid = true },
	{ "v4 non-first fragment", { V4, IPPROTO_UDP, .frag = 1 },
	  .l4proto = IPPROTO_UDP, .fragment = true },
	{ "v4 last fragment", { V4, IPPROTO_TCP, .frag = 185 },
	  .l4proto = IPPROTO_TCP, .fragment = true },
	{ "v6 tcp", { V6, IPPROTO_TCP }, .l4proto = IPPROTO_TCP,
	  .l4_valid = true },
	{ "v6 udp", { V6, IPPROTO_UDP }, .l4proto = IPPROTO_UDP,
	  .l4_valid = true },
	{ "v6 sctp", { V6, IPPROTO_SCTP }, .l4proto = IPPROTO_SCTP,
	  .l4_valid = true },
	{ "v6 icmpv6", { V6, IPPROTO_ICMPV6 }, .l4proto = IPPROTO_ICMPV6,
	  .l4_valid = true },
	{ "v6 icmp (v4's) has no type", { V6, IPPROTO_ICMP },
	  .l4proto = IPPROTO_ICMP },
	{ "v6 tcp header paged", { V6, IPPROTO_TCP, .paged = 44 },
	  .l4proto = IPPROTO_TCP, .l4_valid = true },
	{ "v6 udp header cut", { V6, IPPROTO_UDP, .cut = 40 + 4 },
	  .l4proto = IPPROTO_UDP },
	{ "v6 payload length short of the tcp header",
	  { V6, IPPROTO_TCP, .len_adjust = -1 }, .l4proto = IPPROTO_TCP },
	{ "v6 IP header cut", { V6, IPPROTO_UDP, .cut = 39 } },
	{ "v6 hop-by-hop, destination options, tcp",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2 },
	  .l4proto = IPPROTO_TCP, .l4_valid = true },
	{ "v6 hop-by-hop, routing, AH, destination options, udp",
	  { V6, IPPROTO_UDP, { NEXTHDR_HOP, NEXTHDR_ROUTING, NEXTHDR_AUTH,
			       NEXTHDR_DEST }, 4 },
	  .l4proto = IPPROTO_UDP, .l4_valid = true },
	{ "v6 extension chain paged",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2, .paged = 50 },
	  .l4proto = IPPROTO_TCP, .l4_valid = true },
	{ "v6 hop-by-hop cut",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP }, 1, .cut = 40 + 10 },
	  .l4proto = NEXTHDR_HOP },
	{ "v6 destination options cut after hop-by-hop",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2,
	    .cut = 40 + 16 + 1 },
	  .l4proto = NEXTHDR_DEST },
	{ "v6 payload length ends inside the chain",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_DEST }, 2,
	    .len_adjust = -20 - 8 },
	  .l4proto = NEXTHDR_DEST },
	{ "v6 first fragment",
	  { V6, IPPROTO_UDP, { NEXTHDR_FRAGMENT }, 1, .frag = IP6_MF },
	  .l4proto = IPPROTO_UDP, .l4_valid = true },
	{ "v6 non-first fragment",
	  { V6, IPPROTO_UDP, { NEXTHDR_FRAGMENT }, 1, .frag = 8 | IP6_MF },
	  .l4proto = IPPROTO_UDP, .fragment = true },
	{ "v6 non-first fragment after hop-by-hop",
	  { V6, IPPROTO_TCP, { NEXTHDR_HOP, NEXTHDR_FRAGMENT }, 2,
	    .frag = 0xfff8 },
	  .l4proto = IPPROTO_TCP, .fragment = true },
	{ "v6 fragment header cut",
	  { V6, IPPROTO_UDP, { NEXTHDR_FRAGMENT }, 1, .cut = 40 + 3 },
	  .l4proto = NEXTHDR_FRAGMENT },
	{ "v6 esp", { V6, IPPROTO_ESP }, .l4proto = IPPROTO_ESP },
	{ "v6 no next header", { V6, NEXTHDR_NONE, { NEXTHDR_HOP }, 1 },
	  .l4proto = NEXTHDR_NONE },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void nfhook_test_parse(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct net_device *in = nfhook_test_dev(test, "in0");
	u8 family = c->pkt.family;
	struct nfhook_pkt pkt;
	struct sk_buff *skb;
	unsigned int len;

	skb = nfhook_test_pkt_skb(test, &c->pkt, &len);
	KUNIT_EXPECT_EQ(test, !!c->pkt.paged, !!skb_is_nonlinear(skb));

	nfhook_pkt_parse(&pkt, skb, family, in, NULL);
	kfree_skb(skb);

	KUNIT_EXPECT_EQ(test, family, pkt.family);
	KUNIT_EXPECT_PTR_EQ(test, in, pkt.in);
	KUNIT_EXPECT_NULL(test, pkt.out);
	KUNIT_EXPECT_EQ(test, len, pkt.len);
	KUNIT_EXPECT_EQ(test, c->l4proto, pkt.l4proto);
	KUNIT_EXPECT_EQ(test, c->l4_valid, pkt.l4_valid);
	KUNIT_EXPECT_EQ(test, c->fragment, pkt.fragment);
	/* No conntrack ever saw a crafted skb. */
	KUNIT_EXPECT_EQ(test, NFHOOK_CT_STATE_INVALID, pkt.ct_state);

	/* Addresses come with any readable IP header. */
	if (family == V4 && len >= sizeof(struct iphdr)) {
		KUNIT_EXPECT_EQ(test, TEST_SADDR4, ntohl(pkt.saddr.ip));
		KUNIT_EXPECT_EQ(test, TEST_DADDR4, ntohl(pkt.daddr.ip));
	}
	if (family == V6 && len >= sizeof(struct ipv6hdr)) {
		KUNIT_EXPECT_EQ(test, 0x20, pkt.saddr.in6.s6_addr[0]);
		KUNIT_EXPECT_EQ(test, 9, pkt.daddr.in6.s6_addr[15]);
	}

	/* What a port rule makes of it: no match unless l4_valid. */
	if (c->l4proto == IPPROTO_TCP || c->l4proto == IPPROTO_UDP ||
	    c->l4proto == IPPROTO_UDPLITE || c->l4proto == IPPROTO_SCTP) {
		const struct nfhook_match m = {
			.fields = NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_DPORT,
			.family = family, .l4proto = c->l4proto,
			.dport_min = TEST_DPORT, .dport_max = TEST_DPORT,
		};

		KUNIT_EXPECT_EQ(test, c->l4_valid, nfhook_match(&m, &pkt));
	}

	if (!pkt.l4_valid) {
		KUNIT_EXPECT_EQ(test, 0, pkt.sport);
		KUNIT_EXPECT_EQ(test, 0, pkt.dport);
		KUNIT_EXPECT_EQ(test, 0, pkt.tcp_flags);
		return;
	}
	switch (c->pkt.proto) {
	case IPPROTO_TCP:
		KUNIT_EXPECT_EQ(test, TEST_TCP_FLAGS, pkt.tcp_flags);
		fallthrough;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		KUNIT_EXPECT_EQ(test, TEST_SPORT, pkt.sport);
		KUNIT_EXPECT_EQ(test, TEST_DPORT, pkt.dport);
		break;
	case IPPROTO_ICMP:
		KUNIT_EXPECT_EQ(test, ICMP_DEST_UNREACH, pkt.icmp_type);
		KUNIT_EXPECT_EQ(test, ICMP_PORT_UNREACH, pkt.icmp_code);
		break;
	case IPPROTO_ICMPV6:
		KUNIT_EXPECT_EQ(test, ICMPV6_DEST_UNREACH, pkt.icmp_type);
		KUNIT_EXPECT_EQ(test, ICMPV6_PORT_UNREACH, pkt.icmp_code);
		break;
	}
}

/* A network header behind skb->data, as after a pull. */
static void nfhook_test_parse_offset(struct kunit *test)
{
	const struct nfhook_test_pkt p = { V4, IPPROTO_UDP };
	struct nfhook_pkt pkt;
	struct sk_buff *skb;
	u8 buf[TEST_PKT_MAX];
	unsigned int len;

	len = nfhook_test_build(&p, buf);
	skb = alloc_skb(LL_MAX_HEADER + 14 + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, LL_MAX_HEADER);
	skb_put_zero(skb, 14);
	skb_put_data(skb, buf, len);
	skb_set_network_header(skb, 14);

	nfhook_pkt_parse(&pkt, skb, V4, NULL, NULL);
	kfree_skb(skb);

	KUNIT_EXPECT_EQ(test, len, pkt.len);
	KUNIT_EXPECT_TRUE(test, pkt.l4_valid);
	KUNIT_EXPECT_EQ(test, TEST_DPORT, pkt.dport);
}

/*
 * An skb conntrack marked untracked (as the raw table's notrack does): no
 * entry, ctinfo IP_CT_UNTRACKED.  Without an entry nothing is counted by
 * reference, so the skb frees as any other.
 */
static void nfhook_test_parse_untracked(struct kunit *test)
{
	const struct nfhook_test_pkt p = { V6, IPPROTO_TCP };
	struct nfhook_pkt pkt;
	struct sk_buff *skb;
	unsigned int len;

	if (!NFHOOK_HAVE_CONNTRACK)
		kunit_skip(test, "this kernel has no connection tracking");
	skb = nfhook_test_pkt_skb(test, &p, &len);
	skb_set_nfct(skb, IP_CT_UNTRACKED);
	nfhook_pkt_parse(&pkt, skb, V6, NULL, NULL);
	kfree_skb(skb);

	KUNIT_EXPECT_EQ(test, NFHOOK_CT_STATE_UNTRACKED, pkt.ct_state);
	KUNIT_EXPECT_TRUE(test, pkt.l4_valid);
}

static struct kunit_case nfhook_match_test_cases[] = {
	KUNIT_CASE_PARAM(nfhook_test_match, match_gen_params),
	KUNIT_CASE(nfhook_test_match_random),
	KUNIT_CASE_PARAM(nfhook_test_ct_state, ct_gen_params),
	{}
};

static struct kunit_suite nfhook_match_test_suite = {
	.name = "nfhook_match",
	.test_cases = nfhook_match_test_cases,
};

static struct kunit_case nfhook_parse_test_cases[] = {
	KUNIT_CASE_PARAM(nfhook_test_parse, parse_gen_params),
	KUNIT_CASE(nfhook_test_parse_offset),
	KUNIT_CASE(nfhook_test_parse_untracked),
	{}
};

static struct kunit_suite nfhook_parse_test_suite = {
	.name = "nfhook_pkt_parse",
	.test_cases = nfhook_parse_test_cases,
};

kunit_test_suites(&nfhook_match_test_suite, &nfhook_parse_test_suite);
