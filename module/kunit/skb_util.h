/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers shared by the suites: crafted IPv4/IPv6 packets, as bytes
 * and as skbs, and stand-in devices.  Every packet goes from the same
 * addresses and ports, given below, so that tests can write rules for them.
 */
#ifndef _NFHOOK_KUNIT_SKB_UTIL_H
#define _NFHOOK_KUNIT_SKB_UTIL_H

#include <kunit/test.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#define TEST_SADDR4	0x0a010203U	/* 10.1.2.3, host order */
#define TEST_DADDR4	0xc0a80709U	/* 192.168.7.9, host order */
/* IPv6: from 2000::3 to fd00::9; see nfhook_test_addr(). */
#define TEST_SPORT	40000
#define TEST_DPORT	443
#define TEST_TCP_FLAGS	0x12		/* syn, ack */
/* ICMP packets are destination (port) unreachable, ICMPv6 ones too. */

/* Room for any packet nfhook_test_build() writes. */
#define TEST_PKT_MAX	256

/* A packet to craft: a good one unless told otherwise. */
struct nfhook_test_pkt {
	u8 family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 proto;		/* transport protocol after any extension */
	u8 ext[4];		/* IPv6 extension headers, in order */
	unsigned int next;	/* how many of ext[] */
	u8 ihl;			/* IPv4 header length, 0: 5 */
	u16 frag;		/* IPv4 frag_off or IPv6 fragment offset field */
	unsigned int cut;	/* keep only this many bytes, 0: all */
	int len_adjust;		/* added to the IP total/payload length */
	unsigned int paged;	/* bytes kept in the linear part, 0: all */
	u8 doff;		/* TCP data offset, 0: 5 */
};

/* The source (@dst false) or destination address every packet carries. */
void nfhook_test_addr(u8 family, bool dst, union nf_inet_addr *a);
/* Writes the packet @p into @buf (TEST_PKT_MAX bytes); returns its length. */
unsigned int nfhook_test_build(const struct nfhook_test_pkt *p, u8 *buf);
/*
 * An skb holding @len bytes of @data from its network header on, the bytes
 * past @linear (if not 0) in a page fragment; NULL without memory.
 */
struct sk_buff *nfhook_test_skb(const u8 *data, unsigned int len,
				unsigned int linear);
/* The packet @p as an skb (asserted), its length in *@len. */
struct sk_buff *nfhook_test_pkt_skb(struct kunit *test,
				    const struct nfhook_test_pkt *p,
				    unsigned int *len);
/* A device named @name, freed with the test; NULL for a NULL name. */
struct net_device *nfhook_test_dev(struct kunit *test, const char *name);

#endif /* _NFHOOK_KUNIT_SKB_UTIL_H */
