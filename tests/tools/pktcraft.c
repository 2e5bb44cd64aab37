// SPDX-License-Identifier: GPL-2.0
/*
 * pktcraft: send crafted, often malformed, IPv4 and IPv6 packets on one
 * interface through an AF_PACKET socket, with an Ethernet header addressed
 * to the peer's MAC.  The packets never pass the sender's own IP stack or
 * netfilter hooks, so what the receiver gets is exactly what was built.
 *
 *   pktcraft -i DEV -m PEER_MAC -s SRC -d DST -k KIND [-n COUNT]
 *            [-S SPORT] [-D DPORT] [-I IHL] [-w SECONDS] [-v]
 *
 * SRC and DST are both IPv4 or both IPv6; KIND must suit the family (see
 * usage()).  Every packet has correct IP (and, where the packet is whole,
 * TCP/UDP) checksums, so that only the intended defect can make a receiver
 * refuse it.  Exit status 0 when all COUNT packets were sent, 1 on a system
 * error, 2 on a usage error; with -w, 3 when no SYN-ACK came back in time.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <time.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME_MAX 256

/* TCP flag bits in byte 13 of the header. */
#define TH_FIN 0x01
#define TH_SYN 0x02

/* IPv6 next-header values used here. */
#define NH_HOPOPTS 0
#define NH_TCP 6
#define NH_UDP 17
#define NH_FRAGMENT 44
#define NH_DSTOPTS 60

struct kind {
	const char *name;
	int family;		/* AF_INET or AF_INET6 */
	const char *help;
};

static const struct kind kinds[] = {
	{ "tcp-syn", AF_INET, "a whole TCP SYN (the reference)" },
	{ "udp", AF_INET, "a whole UDP datagram with 4 bytes of payload" },
	{ "tcp-trunc", AF_INET,
	  "IP total length covers 10 bytes of a TCP SYN header (ports, no flags);\n"
	  "\t\t   the rest of the header follows in the frame, past the total length" },
	{ "udp-trunc", AF_INET, "IP total length covers 4 bytes of a UDP header" },
	{ "bad-ihl", AF_INET, "IHL below 5 (-I, default 4), then a TCP SYN" },
	{ "frag-first", AF_INET,
	  "first fragment (MF, offset 0) holding a TCP SYN header and 4 bytes" },
	{ "frag-tcp", AF_INET,
	  "non-first fragment (offset 8 bytes, MF) whose payload is shaped\n"
	  "\t\t   like a TCP SYN header to DPORT" },
	{ "tcp6-syn", AF_INET6, "a whole TCP SYN over IPv6" },
	{ "tcp6-ext", AF_INET6,
	  "hop-by-hop options + destination options (PadN) before a TCP SYN" },
	{ "tcp6-trunc", AF_INET6, "payload length covers 10 bytes of a TCP header" },
	{ "frag6-first", AF_INET6,
	  "fragment header with offset 0 and M set, then a TCP SYN header" },
	{ "frag6-tcp", AF_INET6,
	  "fragment header with offset 8 bytes, payload shaped like a TCP SYN" },
	{ "ext6-trunc", AF_INET6,
	  "hop-by-hop options, then destination options whose length runs\n"
	  "\t\t   past the payload length (a TCP SYN follows in the frame)" },
	{ "hbh6-trunc", AF_INET6,
	  "hop-by-hop options header cut by the payload length" },
	{ "tiny-syn", AF_INET,
	  "a TCP SYN in two fragments (RFC 1858): the first holds 8 bytes of\n"
	  "\t\t   the header (ports, no flags), the second the other 12" },
	{ "tiny6-syn", AF_INET6,
	  "the same over IPv6: 8 bytes of TCP behind a fragment header, then\n"
	  "\t\t   the other 12 at offset 8" },
};

struct opts {
	const char *dev;
	unsigned char peer_mac[ETH_ALEN];
	int family;
	struct in_addr src4, dst4;
	struct in6_addr src6, dst6;
	const struct kind *kind;
	unsigned long count;
	uint16_t sport, dport;
	unsigned int ihl;
	unsigned long wait;	/* -w: seconds to wait for a SYN-ACK */
	bool verbose;
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: pktcraft -i DEV -m PEER_MAC -s SRC -d DST -k KIND [-n COUNT]\n"
		"                [-S SPORT] [-D DPORT] [-I IHL] [-w SECONDS] [-v]\n\n"
		"  -i DEV     send on this interface (AF_PACKET)\n"
		"  -m MAC     destination MAC (the peer's), aa:bb:cc:dd:ee:ff\n"
		"  -s, -d     source and destination address, both IPv4 or both IPv6\n"
		"  -k KIND    what to send (below)\n"
		"  -n COUNT   packets to send (default 1)\n"
		"  -S, -D     source port (default 40000 + packet number), destination\n"
		"             port (default 80)\n"
		"  -I IHL     IHL of bad-ihl (0..4, default 4)\n"
		"  -w SECS    then wait up to SECS seconds for a SYN-ACK from DST's\n"
		"             DPORT; exit 3 if none comes\n"
		"  -v         print each packet in hex\n\n"
		"KIND:\n");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		fprintf(f, "  %-13s %s: %s\n", kinds[i].name,
			kinds[i].family == AF_INET ? "ipv4" : "ipv6",
			kinds[i].help);
}

static void __attribute__((noreturn)) usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pktcraft: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	exit(2);
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && !*end && *out <= max;
}

static bool parse_mac(const char *s, unsigned char *mac)
{
	unsigned int b[ETH_ALEN];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != ETH_ALEN)
		return false;
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = b[i];
	return true;
}

/* The one's complement sum of @len bytes, folded later by csum_fold(). */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* A 20-byte TCP SYN header at @p, checksum 0. */
static void build_tcp_syn(unsigned char *p, uint16_t sport, uint16_t dport,
			  uint32_t seq)
{
	memset(p, 0, 20);
	put16(p, sport);
	put16(p + 2, dport);
	p[4] = seq >> 24;
	p[5] = seq >> 16;
	p[6] = seq >> 8;
	p[7] = seq;
	p[12] = 5 << 4;		/* data offset: 5 words */
	p[13] = TH_SYN;
	put16(p + 14, 64240);	/* window */
}

/* The L4 checksum of @len bytes at @l4 over the pseudo header. */
static uint16_t l4_csum(const struct opts *o, uint8_t proto,
			const unsigned char *l4, size_t len)
{
	uint32_t sum = 0;

	if (o->family == AF_INET) {
		sum = csum_add(sum, &o->src4, 4);
		sum = csum_add(sum, &o->dst4, 4);
		sum += proto;
		sum += len;
	} else {
		sum = csum_add(sum, &o->src6, 16);
		sum = csum_add(sum, &o->dst6, 16);
		sum += len >> 16;
		sum += len & 0xffff;
		sum += proto;
	}
	sum = csum_add(sum, l4, len);
	return csum_fold(sum);
}

/*
 * An IPv4 header at @ip: @ihl words (header bytes past 20 are zero, the
 * "end of options" option), total length @tot_len, fragment field @frag.
 */
static void build_ipv4(const struct opts *o, unsigned char *ip,
		       unsigned int ihl, unsigned int tot_len, uint8_t proto,
		       uint16_t frag, uint16_t id)
{
	unsigned int hlen = ihl >= 5 ? ihl * 4 : 20;

	memset(ip, 0, hlen);
	ip[0] = 0x40 | (ihl & 0xf);
	put16(ip + 2, tot_len);
	put16(ip + 4, id);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &o->src4, 4);
	memcpy(ip + 16, &o->dst4, 4);
	/* The checksum covers what IHL says is the header (20 bytes if less). */
	memcpy(ip + 10, (uint16_t[]){ csum_fold(csum_add(0, ip, hlen)) }, 2);
}

/* The fixed IPv6 header; payload length @plen, first next header @nh. */
static void build_ipv6(const struct opts *o, unsigned char *ip,
		       unsigned int plen, uint8_t nh)
{
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, plen);
	ip[6] = nh;
	ip[7] = 64;
	memcpy(ip + 8, &o->src6, 16);
	memcpy(ip + 24, &o->dst6, 16);
}

/* An 8-byte options header (PadN filling it) with next header @nh. */
static void build_opts8(unsigned char *p, uint8_t nh)
{
	memset(p, 0, 8);
	p[0] = nh;
	p[1] = 0;		/* (0 + 1) * 8 bytes */
	p[2] = 1;		/* PadN */
	p[3] = 4;		/* of 4 bytes */
}

/* The tiny SYNs take two frames, everything else one. */
static unsigned int kind_frames(const struct kind *k)
{
	return strncmp(k->name, "tiny", 4) ? 1 : 2;
}

/*
 * Frame @part (0 or 1) of a SYN split after 8 bytes of its TCP header, at
 * @ip; returns the IP packet's length.
 */
static size_t build_tiny_syn(const struct opts *o, unsigned char *ip,
			     unsigned long n, unsigned int part, uint16_t sport)
{
	unsigned char tcp[20];
	const unsigned char *piece = part ? tcp + 8 : tcp;
	size_t plen = part ? 12 : 8;
	unsigned char *fh;

	build_tcp_syn(tcp, sport, o->dport, 0x10000000 + n);
	put16(tcp + 16, ntohs(l4_csum(o, IPPROTO_TCP, tcp, 20)));
	if (o->family == AF_INET) {
		/* Offset in 8-byte units; MF on the first piece only. */
		build_ipv4(o, ip, 5, 20 + plen, IPPROTO_TCP,
			   part ? 1 : 0x2000, n);
		memcpy(ip + 20, piece, plen);
		return 20 + plen;
	}
	fh = ip + 40;
	memset(fh, 0, 8);
	fh[0] = NH_TCP;
	put16(fh + 2, part ? 1 << 3 : 1);	/* offset 8 bytes, or M */
	fh[7] = n;
	memcpy(fh + 8, piece, plen);
	build_ipv6(o, ip, 8 + plen, NH_FRAGMENT);
	return 40 + 8 + plen;
}

/*
 * Builds frame @part of packet number @n of the chosen kind after the
 * Ethernet header at @frame; returns the frame's length.
 */
static size_t build(const struct opts *o, unsigned char *frame,
		    unsigned long n, unsigned int part)
{
	uint16_t sport = o->sport ? o->sport : 40000 + (n % 20000);
	unsigned char *ip = frame + ETH_HLEN, *l4;
	const char *k = o->kind->name;
	uint32_t seq = 0x10000000 + n;
	size_t len = 0;

	if (!strcmp(k, "tcp-syn") || !strcmp(k, "tcp-trunc")) {
		l4 = ip + 20;
		build_tcp_syn(l4, sport, o->dport, seq);
		put16(l4 + 16, ntohs(l4_csum(o, IPPROTO_TCP, l4, 20)));
		len = 40;
		/* tcp-trunc: the datagram ends 10 bytes into the TCP header. */
		build_ipv4(o, ip, 5, strcmp(k, "tcp-syn") ? 30 : 40,
			   IPPROTO_TCP, 0, n);
	} else if (!strcmp(k, "udp") || !strcmp(k, "udp-trunc")) {
		l4 = ip + 20;
		memset(l4, 0, 12);
		put16(l4, sport);
		put16(l4 + 2, o->dport);
		put16(l4 + 4, 12);
		memcpy(l4 + 8, "pkt!", 4);
		put16(l4 + 6, ntohs(l4_csum(o, IPPROTO_UDP, l4, 12)));
		len = 32;
		build_ipv4(o, ip, 5, strcmp(k, "udp") ? 24 : 32, IPPROTO_UDP,
			   0, n);
	} else if (!strcmp(k, "bad-ihl")) {
		l4 = ip + 20;
		build_tcp_syn(l4, sport, o->dport, seq);
		put16(l4 + 16, ntohs(l4_csum(o, IPPROTO_TCP, l4, 20)));
		len = 40;
		build_ipv4(o, ip, o->ihl, 40, IPPROTO_TCP, 0, n);
	} else if (!strcmp(k, "frag-first")) {
		/* 24 bytes of payload: a multiple of 8, as MF requires. */
		l4 = ip + 20;
		build_tcp_syn(l4, sport, o->dport, seq);
		memcpy(l4 + 20, "frag", 4);
		len = 44;
		build_ipv4(o, ip, 5, 44, IPPROTO_TCP, 0x2000, n);
	} else if (!strcmp(k, "frag-tcp")) {
		/* Offset 1 (8 bytes), MF: a middle piece shaped like a SYN. */
		l4 = ip + 20;
		build_tcp_syn(l4, sport, o->dport, seq);
		memcpy(l4 + 20, "frag", 4);
		len = 44;
		build_ipv4(o, ip, 5, 44, IPPROTO_TCP, 0x2000 | 1, n);
	} else if (!strcmp(k, "tcp6-syn") || !strcmp(k, "tcp6-trunc")) {
		l4 = ip + 40;
		build_tcp_syn(l4, sport, o->dport, seq);
		put16(l4 + 16, ntohs(l4_csum(o, IPPROTO_TCP, l4, 20)));
		len = 60;
		build_ipv6(o, ip, strcmp(k, "tcp6-syn") ? 10 : 20, NH_TCP);
	} else if (!strcmp(k, "tcp6-ext")) {
		build_opts8(ip + 40, NH_DSTOPTS);
		build_opts8(ip + 48, NH_TCP);
		l4 = ip + 56;
		build_tcp_syn(l4, sport, o->dport, seq);
		put16(l4 + 16, ntohs(l4_csum(o, IPPROTO_TCP, l4, 20)));
		len = 76;
		build_ipv6(o, ip, 36, NH_HOPOPTS);
	} else if (!strcmp(k, "frag6-first") || !strcmp(k, "frag6-tcp")) {
		unsigned char *fh = ip + 40;
		uint16_t off = strcmp(k, "frag6-tcp") ? 0 : 1;

		memset(fh, 0, 8);
		fh[0] = NH_TCP;
		put16(fh + 2, off << 3 | 1);	/* offset in 8-byte units, M */
		fh[4] = n >> 24;
		fh[5] = n >> 16;
		fh[6] = n >> 8;
		fh[7] = n;
		l4 = fh + 8;
		build_tcp_syn(l4, sport, o->dport, seq);
		memcpy(l4 + 20, "frag", 4);
		len = 72;
		build_ipv6(o, ip, 32, NH_FRAGMENT);
	} else if (!strcmp(k, "ext6-trunc")) {
		/* Destination options claim 16 bytes; 4 are in the payload. */
		build_opts8(ip + 40, NH_DSTOPTS);
		memset(ip + 48, 0, 16);
		ip[48] = NH_TCP;
		ip[49] = 1;		/* (1 + 1) * 8 bytes */
		ip[50] = 1;		/* PadN */
		ip[51] = 12;
		l4 = ip + 64;
		build_tcp_syn(l4, sport, o->dport, seq);
		len = 84;
		build_ipv6(o, ip, 12, NH_HOPOPTS);
	} else if (!strcmp(k, "tiny-syn") || !strcmp(k, "tiny6-syn")) {
		len = build_tiny_syn(o, ip, n, part, sport);
	} else if (!strcmp(k, "hbh6-trunc")) {
		/* Hop-by-hop options claim 8 bytes; 4 are in the payload. */
		build_opts8(ip + 40, NH_TCP);
		l4 = ip + 48;
		build_tcp_syn(l4, sport, o->dport, seq);
		len = 68;
		build_ipv6(o, ip, 4, NH_HOPOPTS);
	}

	memcpy(frame, o->peer_mac, ETH_ALEN);
	put16(frame + 12, o->family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	return ETH_HLEN + len;
}

/* Whether the frame @f of @len bytes is a TCP SYN-ACK from DST's DPORT. */
static bool is_syn_ack(const struct opts *o, const unsigned char *f,
		       size_t len)
{
	uint16_t type = len >= ETH_HLEN ? f[12] << 8 | f[13] : 0;
	const unsigned char *ip = f + ETH_HLEN, *th;

	len -= ETH_HLEN;
	if (o->family == AF_INET && type == ETH_P_IP && len >= 20 &&
	    ip[9] == IPPROTO_TCP && !memcmp(ip + 12, &o->dst4, 4) &&
	    len >= (size_t)(ip[0] & 0xf) * 4 + 14)
		th = ip + (ip[0] & 0xf) * 4;
	else if (o->family == AF_INET6 && type == ETH_P_IPV6 &&
		 len >= 40 + 14 && ip[6] == NH_TCP &&
		 !memcmp(ip + 8, &o->dst6, 16))
		th = ip + 40;
	else
		return false;
	return (th[0] << 8 | th[1]) == o->dport &&
	       (th[13] & (TH_SYN | 0x10)) == (TH_SYN | 0x10);
}

/* Waits up to o->wait seconds on @fd (bound to the device) for a SYN-ACK. */
static bool wait_syn_ack(const struct opts *o, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned char buf[2048];
	struct timespec now, end;
	long ms;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += o->wait;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (end.tv_sec - now.tv_sec) * 1000 +
		     (end.tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0 || poll(&pfd, 1, ms) <= 0)
			return false;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0 && is_syn_ack(o, buf, n))
			return true;
	}
}

static void hexdump(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x%s", p[i], (i % 16 == 15 || i == len - 1) ? "\n" : " ");
}

int main(int argc, char **argv)
{
	struct opts o = { .count = 1, .dport = 80, .ihl = 4 };
	const char *src = NULL, *dst = NULL, *kind = NULL;
	unsigned char frame[FRAME_MAX];
	struct sockaddr_ll sll;
	unsigned long n, v;
	bool have_mac = false;
	unsigned int part;
	struct ifreq ifr;
	size_t i, len;
	int fd, rfd = -1, c;

	while ((c = getopt(argc, argv, "i:m:s:d:k:n:S:D:I:w:vh")) != -1) {
		switch (c) {
		case 'i':
			o.dev = optarg;
			break;
		case 'm':
			if (!parse_mac(optarg, o.peer_mac))
				usage_error("bad MAC address '%s'", optarg);
			have_mac = true;
			break;
		case 's':
			src = optarg;
			break;
		case 'd':
			dst = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			if (!parse_ulong(optarg, 100000000, &o.count))
				usage_error("bad count '%s'", optarg);
			break;
		case 'S':
		case 'D':
			if (!parse_ulong(optarg, 65535, &v))
				usage_error("bad port '%s'", optarg);
			if (c == 'S')
				o.sport = v;
			else
				o.dport = v;
			break;
		case 'I':
			if (!parse_ulong(optarg, 4, &v))
				usage_error("bad IHL '%s' (0..4 for bad-ihl)", optarg);
			o.ihl = v;
			break;
		case 'w':
			if (!parse_ulong(optarg, 3600, &o.wait) || !o.wait)
				usage_error("bad wait '%s' (1..3600 seconds)",
					    optarg);
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!o.dev || !have_mac || !src || !dst || !kind)
		usage_error("%s", "-i, -m, -s, -d and -k are required");

	if (inet_pton(AF_INET, src, &o.src4) == 1 &&
	    inet_pton(AF_INET, dst, &o.dst4) == 1)
		o.family = AF_INET;
	else if (inet_pton(AF_INET6, src, &o.src6) == 1 &&
		 inet_pton(AF_INET6, dst, &o.dst6) == 1)
		o.family = AF_INET6;
	else
		usage_error("%s", "-s and -d must be two IPv4 or two IPv6 addresses");

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, kind))
			o.kind = &kinds[i];
	if (!o.kind)
		usage_error("unknown kind '%s'", kind);
	if (o.kind->family != o.family)
		usage_error("kind '%s' does not suit the addresses' family", kind);

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("pktcraft: socket(AF_PACKET)");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	if (strlen(o.dev) >= sizeof(ifr.ifr_name))
		usage_error("interface name '%s' too long", o.dev);
	strcpy(ifr.ifr_name, o.dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "pktcraft: %s: %s\n", o.dev, strerror(errno));
		return 1;
	}

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(o.dev);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, o.peer_mac, ETH_ALEN);

	/* Listening before sending, so that no answer comes too early. */
	if (o.wait) {
		struct sockaddr_ll rsll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_ALL),
			.sll_ifindex = sll.sll_ifindex,
		};

		rfd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
		if (rfd < 0 || bind(rfd, (struct sockaddr *)&rsll,
				    sizeof(rsll)) < 0) {
			perror("pktcraft: listening socket");
			return 1;
		}
	}

	for (n = 0; n < o.count; n++) {
		for (part = 0; part < kind_frames(o.kind); part++) {
			memset(frame, 0, sizeof(frame));
			len = build(&o, frame, n, part);
			memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data,
			       ETH_ALEN);
			if (o.verbose)
				hexdump(frame, len);
			if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
				   sizeof(sll)) != (ssize_t)len) {
				fprintf(stderr,
					"pktcraft: packet %lu of %lu: %s\n",
					n + 1, o.count, strerror(errno));
				return 1;
			}
		}
	}
	printf("pktcraft: sent %lu %s packet%s on %s\n", o.count, o.kind->name,
	       o.count == 1 ? "" : "s", o.dev);
	close(fd);
	if (!o.wait)
		return 0;
	if (!wait_syn_ack(&o, rfd)) {
		printf("pktcraft: no SYN-ACK within %lu s\n", o.wait);
		return 3;
	}
	printf("pktcraft: SYN-ACK received\n");
	return 0;
}
