// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: packet header parsing and rule matching.
 *
 * nfhook_pkt_parse() reads, once per hook invocation, every header field a
 * rule can look at.  All reads go through skb_header_pointer(): nothing is
 * assumed to sit in the linear area, and nothing past the end of the IP
 * datagram (IPv4 total length, IPv6 payload length) is taken for a header.
 * What cannot be read is left unset, and a packet whose transport header is
 * missing, truncated or malformed keeps l4_valid false, so that it never
 * matches a port, ICMP or TCP flags rule.
 *
 * Decisions:
 * - A transport header counts only when its whole fixed part is there: 20
 *   bytes for TCP (and a data offset of at least 5 words), 8 for UDP and
 *   UDP-Lite, 12 for SCTP, 8 for ICMP and ICMPv6.  A TCP header cut short
 *   after its flags is not a TCP header any receiver would accept.
 * - A non-first fragment (IPv4 fragment offset not 0, or an IPv6 fragment
 *   header with an offset) carries no transport header: fragment is set,
 *   l4proto is the protocol the fragment belongs to and l4_valid stays
 *   false.  A first fragment is parsed like a whole packet.  Hooks placed
 *   after defragmentation (conntrack loaded, priority above -400) only see
 *   reassembled packets.
 * - A fragment that could hide its transport header from a rule is marked
 *   tiny_fragment (RFC 1858): a first fragment (offset 0, more fragments
 *   to come) whose TCP, UDP, UDP-Lite, SCTP, ICMP or ICMPv6 header is not
 *   all there or not readable, an IPv6 first fragment whose extension
 *   headers run past it (RFC 7112), and a TCP fragment at offset 8, which
 *   can only be there to overwrite the header's flags.  The receiver would
 *   reassemble what no port rule saw; hook.c drops such packets where a
 *   rule reads the transport header.
 * - IPv6 extension headers (hop-by-hop, routing, fragment, destination
 *   options, AH) are skipped; l4proto is the first header that is not one,
 *   ESP and "no next header" included.  If the chain cannot be walked to
 *   its end, l4proto is the type of the header that could not be read.
 * - An IPv4 header with IHL below 5 or a total length shorter than its IHL
 *   gives addresses and protocol but nothing from layer 4.
 * - The connection state is read from the conntrack entry netfilter's
 *   conntrack attached to the skb (one load, nf_ct_get()), whatever the
 *   headers: nfhook_ct_state() says what it means.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/sctp.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "compat.h"
#include "nfhook.h"

/* A fragment at offset 1 (8 bytes) of a TCP segment rewrites its flags. */
static bool nfhook_frag_overlaps_tcp(u8 l4proto, unsigned int offset)
{
	return l4proto == IPPROTO_TCP && offset == 1;
}

/*
 * Reads the transport header at @off from the network header, if all of its
 * fixed part lies before @end (both relative to the network header at
 * @nhoff).  Returns false when the protocol is one nfhook reads and its
 * header could not be read.
 */
static bool nfhook_parse_l4(struct nfhook_pkt *pkt, const struct sk_buff *skb,
			    int nhoff, unsigned int off, unsigned int end)
{
	union {
		struct tcphdr tcp;
		struct udphdr udp;
		struct sctphdr sctp;
		struct icmphdr icmp;
		struct icmp6hdr icmp6;
	} buf;
	unsigned int need;
	void *hp;

	switch (pkt->l4proto) {
	case IPPROTO_TCP:
		need = sizeof(struct tcphdr);
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		need = sizeof(struct udphdr);
		break;
	case IPPROTO_SCTP:
		need = sizeof(struct sctphdr);
		break;
	case IPPROTO_ICMP:
		if (pkt->family != NFPROTO_IPV4)
			return true;
		need = sizeof(struct icmphdr);
		break;
	case IPPROTO_ICMPV6:
		if (pkt->family != NFPROTO_IPV6)
			return true;
		need = sizeof(struct icmp6hdr);
		break;
	default:
		return true;
	}

	if (off > end || end - off < need)
		return false;
	hp = skb_header_pointer(skb, nhoff + off, need, &buf);
	if (!hp)
		return false;

	switch (pkt->l4proto) {
	case IPPROTO_TCP: {
		const struct tcphdr *th = hp;

		if (th->doff < sizeof(*th) / 4)
			return false;
		pkt->sport = ntohs(th->source);
		pkt->dport = ntohs(th->dest);
		/* CWR to FIN: bits 23..16 of the word TCP_FLAG_* index. */
		pkt->tcp_flags = (ntohl(tcp_flag_word(th)) >> 16) & 0xff;
		break;
	}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE: {
		const struct udphdr *uh = hp;

		pkt->sport = ntohs(uh->source);
		pkt->dport = ntohs(uh->dest);
		break;
	}
	case IPPROTO_SCTP: {
		const struct sctphdr *sh = hp;

		pkt->sport = ntohs(sh->source);
		pkt->dport = ntohs(sh->dest);
		break;
	}
	case IPPROTO_ICMP: {
		const struct icmphdr *ih = hp;

		pkt->icmp_type = ih->type;
		pkt->icmp_code = ih->code;
		break;
	}
	case IPPROTO_ICMPV6: {
		const struct icmp6hdr *ih = hp;

		pkt->icmp_type = ih->icmp6_type;
		pkt->icmp_code = ih->icmp6_code;
		break;
	}
	}
	pkt->l4_valid = true;
	return true;
}

static void nfhook_parse_ipv4(struct nfhook_pkt *pkt,
			      const struct sk_buff *skb, int nhoff)
{
	const struct iphdr *iph;
	struct iphdr _iph;
	unsigned int ihl, end, offset;
	bool first_fragment;

	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4)
		return;
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;
	pkt->l4proto = iph->protocol;

	offset = ntohs(iph->frag_off) & IP_OFFSET;
	if (offset) {
		pkt->fragment = true;
		pkt->tiny_fragment = nfhook_frag_overlaps_tcp(pkt->l4proto,
							      offset);
		return;
	}
	first_fragment = iph->frag_off & htons(IP_MF);

	/* A GSO packet longer than 64 KiB (BIG TCP) has a total length of 0. */
	end = ntohs(iph->tot_len);
	if (!end && skb_is_gso(skb))
		end = pkt->len;
	end = min(end, pkt->len);
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph) || ihl > end) {
		pkt->tiny_fragment = first_fragment;
		return;
	}

	if (!nfhook_parse_l4(pkt, skb, nhoff, ihl, end))
		pkt->tiny_fragment = first_fragment;
}

static void nfhook_parse_ipv6(struct nfhook_pkt *pkt,
			      const struct sk_buff *skb, int nhoff)
{
	const struct ipv6hdr *ip6h;
	bool first_fragment = false;
	struct ipv6hdr _ip6h;
	unsigned int off, end;
	u8 nexthdr;

	ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return;
	pkt->saddr.in6 = ip6h->saddr;
	pkt->daddr.in6 = ip6h->daddr;

	/* A payload length of 0 is a jumbogram or a BIG TCP GSO packet. */
	end = pkt->len;
	if (ip6h->payload_len)
		end = min_t(unsigned int, end,
			    sizeof(*ip6h) + ntohs(ip6h->payload_len));
	off = sizeof(*ip6h);
	nexthdr = ip6h->nexthdr;

	/* Each header is at least 8 bytes long, so this ends. */
	while (ipv6_ext_hdr(nexthdr) && nexthdr != NEXTHDR_NONE) {
		const struct ipv6_opt_hdr *hp;
		struct ipv6_opt_hdr _hp;
		unsigned int hdrlen;

		pkt->l4proto = nexthdr;
		/* Past the fragment header, a cut chain is a tiny fragment. */
		pkt->tiny_fragment = first_fragment;
		if (off > end || end - off < sizeof(_hp))
			return;
		hp = skb_header_pointer(skb, nhoff + off, sizeof(_hp), &_hp);
		if (!hp)
			return;

		if (nexthdr == NEXTHDR_FRAGMENT) {
			const struct frag_hdr *fh;
			struct frag_hdr _fh;

			if (end - off < sizeof(_fh))
				return;
			fh = skb_header_pointer(skb, nhoff + off, sizeof(_fh),
						&_fh);
			if (!fh)
				return;
			if (fh->frag_off & htons(IP6_OFFSET)) {
				pkt->fragment = true;
				pkt->l4proto = fh->nexthdr;
				pkt->tiny_fragment =
					nfhook_frag_overlaps_tcp(fh->nexthdr,
								 ntohs(fh->frag_off) >> 3);
				return;
			}
			first_fragment = fh->frag_off & htons(IP6_MF);
			hdrlen = sizeof(_fh);
		} else if (nexthdr == NEXTHDR_AUTH) {
			hdrlen = ipv6_authlen(hp);
		} else {
			hdrlen = ipv6_optlen(hp);
		}

		if (end - off < hdrlen)
			return;
		off += hdrlen;
		nexthdr = hp->nexthdr;
	}
	pkt->l4proto = nexthdr;
	pkt->tiny_fragment = false;

	if (!nfhook_parse_l4(pkt, skb, nhoff, off, end))
		pkt->tiny_fragment = first_fragment;
}

/*
 * As nftables' ct state: with an entry, the state of the packet's direction
 * folded onto the original one (a reply is established or related; there
 * is no new reply); without, untracked if conntrack marked the packet so
 * (the raw table's notrack), else invalid: conntrack did not run yet, is
 * not in use in this namespace, or refused the packet.
 */
u8 nfhook_ct_state(bool has_ct, unsigned int ctinfo)
{
	if (!has_ct)
		return ctinfo == IP_CT_UNTRACKED ? NFHOOK_CT_STATE_UNTRACKED :
						   NFHOOK_CT_STATE_INVALID;
	switch (ctinfo % IP_CT_IS_REPLY) {
	case IP_CT_ESTABLISHED:
		return NFHOOK_CT_STATE_ESTABLISHED;
	case IP_CT_RELATED:
		return NFHOOK_CT_STATE_RELATED;
	default:
		return NFHOOK_CT_STATE_NEW;
	}
}

void nfhook_pkt_parse(struct nfhook_pkt *pkt, const struct sk_buff *skb,
		      u8 family, const struct net_device *in,
		      const struct net_device *out)
{
	int nhoff = skb_network_offset(skb);
	unsigned int ctinfo;
	bool has_ct;

	memset(pkt, 0, sizeof(*pkt));
	pkt->family = family;
	pkt->in = in;
	pkt->out = out;
	pkt->len = skb->len - nhoff;
	has_ct = nfhook_skb_ct(skb, &ctinfo);
	pkt->ct_state = nfhook_ct_state(has_ct, ctinfo);

	switch (family) {
	case NFPROTO_IPV4:
		nfhook_parse_ipv4(pkt, skb, nhoff);
		break;
	case NFPROTO_IPV6:
		nfhook_parse_ipv6(pkt, skb, nhoff);
		break;
	}
}

static bool nfhook_addr_match(u8 family, const union nf_inet_addr *a,
			      const union nf_inet_addr *addr,
			      const union nf_inet_addr *mask)
{
	if (family == NFPROTO_IPV4)
		return !((a->ip ^ addr->ip) & mask->ip);
	return !ipv6_masked_addr_cmp(&a->in6, &mask->in6, &addr->in6);
}

/* A rule naming an interface never matches where there is no device. */
static bool nfhook_dev_match(const struct net_device *dev, const char *name)
{
	return dev && !strncmp(dev->name, name, IFNAMSIZ);
}

bool nfhook_match(const struct nfhook_match *m, const struct nfhook_pkt *pkt)
{
	u32 f = m->fields;

	if ((f & NFHOOK_MATCH_SADDR) &&
	    !nfhook_addr_match(m->family, &pkt->saddr, &m->saddr, &m->smask))
		return false;
	if ((f & NFHOOK_MATCH_DADDR) &&
	    !nfhook_addr_match(m->family, &pkt->daddr, &m->daddr, &m->dmask))
		return false;
	if ((f & NFHOOK_MATCH_L4PROTO) && pkt->l4proto != m->l4proto)
		return false;

	if (f & NFHOOK_MATCH_L4_FIELDS) {
		if (!pkt->l4_valid || pkt->fragment ||
		    pkt->l4proto != m->l4proto)
			return false;
		if ((f & NFHOOK_MATCH_SPORT) &&
		    (pkt->sport < m->sport_min || pkt->sport > m->sport_max))
			return false;
		if ((f & NFHOOK_MATCH_DPORT) &&
		    (pkt->dport < m->dport_min || pkt->dport > m->dport_max))
			return false;
		if ((f & NFHOOK_MATCH_ICMP_TYPE) &&
		    pkt->icmp_type != m->icmp_type)
			return false;
		if ((f & NFHOOK_MATCH_ICMP_CODE) &&
		    pkt->icmp_code != m->icmp_code)
			return false;
		if ((f & NFHOOK_MATCH_TCP_FLAGS) &&
		    (pkt->tcp_flags & m->tcp_flags_mask) != m->tcp_flags)
			return false;
	}

	if ((f & NFHOOK_MATCH_IIF) && !nfhook_dev_match(pkt->in, m->iifname))
		return false;
	if ((f & NFHOOK_MATCH_OIF) && !nfhook_dev_match(pkt->out, m->oifname))
		return false;
	if ((f & NFHOOK_MATCH_LEN) &&
	    (pkt->len < m->len_min || pkt->len > m->len_max))
		return false;
	if ((f & NFHOOK_MATCH_CT_STATE) && !(pkt->ct_state & m->ct_state))
		return false;

	return true;
}

void nfhook_match_of_pkt(struct nfhook_match *m, const struct nfhook_pkt *pkt)
{
	memset(m, 0, sizeof(*m));
	m->family = pkt->family;
	m->fields = NFHOOK_MATCH_SADDR | NFHOOK_MATCH_DADDR |
		    NFHOOK_MATCH_L4PROTO | NFHOOK_MATCH_LEN |
		    NFHOOK_MATCH_CT_STATE;
	m->saddr = pkt->saddr;
	m->daddr = pkt->daddr;
	m->sprefix = pkt->family == NFPROTO_IPV6 ? 128 : 32;
	m->dprefix = m->sprefix;
	m->l4proto = pkt->l4proto;
	m->len_min = pkt->len;
	m->len_max = pkt->len;
	m->ct_state = pkt->ct_state;
	if (!pkt->l4_valid || pkt->fragment)
		return;
	switch (pkt->l4proto) {
	case IPPROTO_TCP:
		m->fields |= NFHOOK_MATCH_TCP_FLAGS;
		m->tcp_flags = pkt->tcp_flags;
		m->tcp_flags_mask = 0xff;
		fallthrough;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		m->fields |= NFHOOK_MATCH_SPORT | NFHOOK_MATCH_DPORT;
		m->sport_min = pkt->sport;
		m->sport_max = pkt->sport;
		m->dport_min = pkt->dport;
		m->dport_max = pkt->dport;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		m->fields |= NFHOOK_MATCH_ICMP_TYPE | NFHOOK_MATCH_ICMP_CODE;
		m->icmp_type = pkt->icmp_type;
		m->icmp_code = pkt->icmp_code;
		break;
	}
}
