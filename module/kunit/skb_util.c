// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit helpers: crafted packets and stand-in devices (skb_util.h).
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sctp.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "skb_util.h"

void nfhook_test_addr(u8 family, bool dst, union nf_inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == NFPROTO_IPV4) {
		a->ip = htonl(dst ? TEST_DADDR4 : TEST_SADDR4);
	} else {
		a->in6.s6_addr[0] = dst ? 0xfd : 0x20;
		a->in6.s6_addr[15] = dst ? 9 : 3;
	}
}

/* Writes the transport header of @p at @buf; returns its length. */
static unsigned int put_l4(const struct nfhook_test_pkt *p, u8 *buf)
{
	switch (p->proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = (struct tcphdr *)buf;

		th->source = htons(TEST_SPORT);
		th->dest = htons(TEST_DPORT);
		th->doff = p->doff ?: sizeof(*th) / 4;
		th->syn = 1;
		th->ack = 1;
		return sizeof(*th);
	}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE: {
		struct udphdr *uh = (struct udphdr *)buf;

		uh->source = htons(TEST_SPORT);
		uh->dest = htons(TEST_DPORT);
		return sizeof(*uh);
	}
	case IPPROTO_SCTP: {
		struct sctphdr *sh = (struct sctphdr *)buf;

		sh->source = htons(TEST_SPORT);
		sh->dest = htons(TEST_DPORT);
		return sizeof(*sh);
	}
	case IPPROTO_ICMP:
		buf[0] = ICMP_DEST_UNREACH;
		buf[1] = ICMP_PORT_UNREACH;
		return sizeof(struct icmphdr);
	case IPPROTO_ICMPV6:
		buf[0] = ICMPV6_DEST_UNREACH;
		buf[1] = ICMPV6_PORT_UNREACH;
		return sizeof(struct icmp6hdr);
	case NEXTHDR_NONE:
		return 0;
	default:
		return 8;
	}
}

/* Writes IPv6 extension header @type at @buf, followed by @next. */
static unsigned int put_ext(u8 type, u8 next, u16 frag, u8 *buf)
{
	if (type == NEXTHDR_FRAGMENT) {
		struct frag_hdr *fh = (struct frag_hdr *)buf;

		fh->nexthdr = next;
		fh->frag_off = htons(frag);
		fh->identification = htonl(0x1234);
		return sizeof(*fh);
	}
	/* 16 bytes: hop-by-hop and the others say 1, AH says 2. */
	buf[0] = next;
	buf[1] = type == NEXTHDR_AUTH ? 2 : 1;
	if (type == NEXTHDR_HOP || type == NEXTHDR_DEST) {
		buf[2] = 1;	/* PadN over the 12 bytes left */
		buf[3] = 12;
	}
	return 16;
}

unsigned int nfhook_test_build(const struct nfhook_test_pkt *p, u8 *buf)
{
	unsigned int off, i, len;

	memset(buf, 0, TEST_PKT_MAX);
	if (p->family == NFPROTO_IPV4) {
		struct iphdr *iph = (struct iphdr *)buf;
		u8 ihl = p->ihl ?: 5;

		iph->version = 4;
		iph->ihl = ihl & 0xf;
		iph->ttl = 64;
		iph->protocol = p->proto;
		iph->frag_off = htons(p->frag);
		iph->saddr = htonl(TEST_SADDR4);
		iph->daddr = htonl(TEST_DADDR4);
		off = max_t(unsigned int, ihl & 0xf, 5) * 4;
		off += put_l4(p, buf + off);
		len = p->cut ?: off;
		iph->tot_len = htons(len + p->len_adjust);
	} else {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)buf;
		union nf_inet_addr a;

		ip6h->version = 6;
		ip6h->hop_limit = 64;
		ip6h->nexthdr = p->next ? p->ext[0] : p->proto;
		nfhook_test_addr(p->family, false, &a);
		ip6h->saddr = a.in6;
		nfhook_test_addr(p->family, true, &a);
		ip6h->daddr = a.in6;
		off = sizeof(*ip6h);
		for (i = 0; i < p->next; i++)
			off += put_ext(p->ext[i],
				       i + 1 < p->next ? p->ext[i + 1] : p->proto,
				       p->frag, buf + off);
		off += put_l4(p, buf + off);
		len = p->cut ?: off;
		ip6h->payload_len = htons(len - sizeof(*ip6h) + p->len_adjust);
	}
	return len;
}

struct sk_buff *nfhook_test_skb(const u8 *data, unsigned int len,
				unsigned int linear)
{
	struct sk_buff *skb;
	struct page *page;

	if (!linear || linear > len)
		linear = len;
	skb = alloc_skb(LL_MAX_HEADER + linear, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb_put_data(skb, data, linear);
	if (linear == len)
		return skb;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page) {
		kfree_skb(skb);
		return NULL;
	}
	memcpy(page_address(page), data + linear, len - linear);
	skb_add_rx_frag(skb, 0, page, 0, len - linear, PAGE_SIZE);
	return skb;
}

struct sk_buff *nfhook_test_pkt_skb(struct kunit *test,
				    const struct nfhook_test_pkt *p,
				    unsigned int *len)
{
	struct sk_buff *skb;
	u8 *buf;

	buf = kunit_kzalloc(test, TEST_PKT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	*len = nfhook_test_build(p, buf);
	skb = nfhook_test_skb(buf, *len, p->paged);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

struct net_device *nfhook_test_dev(struct kunit *test, const char *name)
{
	struct net_device *dev;

	if (!name)
		return NULL;
	dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	strscpy(dev->name, name, sizeof(dev->name));
	return dev;
}
