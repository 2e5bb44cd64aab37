// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the words of nfhookctl: families, hooks, priorities, addresses,
 * ports, lengths, TCP flags and whole rules.  Keywords match exactly; every
 * failure names the keyword and echoes the bad input.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "names.h"
#include "parse.h"
#include "rule.h"
#include "util.h"

int nfh_parse_family(const char *s, uint32_t *family, struct nfh_err *e)
{
	if (!nfh_family_by_name(s, family))
		return nfh_fail(e, "\"%s\" is not a family (ipv4 or ipv6)", s);
	return 0;
}

int nfh_parse_hook(const char *s, uint32_t *hook, struct nfh_err *e)
{
	if (!nfh_hook_by_name(s, hook))
		return nfh_fail(e, "\"%s\" is not a hook (prerouting, input, forward, output or postrouting)",
				s);
	return 0;
}

/* Decimal digits to a number, no sign; false on anything else or > max. */
static bool digits_to_u64(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (n > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return true;
}

/*
 * "LO" or "LO-HI", both at most @max, into *@lo and *@hi (*@hi = *@lo for
 * "LO").  With @open_hi, "LO-" too, which sets *@open_hi.  False when @s is
 * none of these; the caller checks the order.
 */
static bool digits_to_range(const char *s, uint64_t max, uint64_t *lo,
			    uint64_t *hi, bool *open_hi)
{
	const char *dash = strchr(s, '-');
	size_t len = dash ? (size_t)(dash - s) : strlen(s);
	char buf[32];

	if (open_hi)
		*open_hi = false;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!digits_to_u64(buf, max, lo))
		return false;
	*hi = *lo;
	if (open_hi && dash && !dash[1])
		*open_hi = true;
	if (!dash || (open_hi && *open_hi))
		return true;
	return digits_to_u64(dash + 1, max, hi);
}

int nfh_parse_uint(const char *what, const char *s, uint64_t max,
		   uint64_t *v, struct nfh_err *e)
{
	if (!digits_to_u64(s, max, v))
		return nfh_fail(e, "%s: \"%s\" is not a number from 0 to %llu",
				what, s, (unsigned long long)max);
	return 0;
}

/* [+-]digits within int32 into *v; false otherwise. */
static bool parse_s32(const char *s, int64_t *v)
{
	bool neg = false;
	uint64_t n;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (!digits_to_u64(s, (uint64_t)INT32_MAX + 1, &n))
		return false;
	*v = neg ? -(int64_t)n : (int64_t)n;
	return *v >= INT32_MIN && *v <= INT32_MAX;
}

int nfh_parse_priority(const char *s, int32_t *prio, struct nfh_err *e)
{
	size_t i, n;
	int64_t v, off;

	if (parse_s32(s, &v)) {
		*prio = (int32_t)v;
		return 0;
	}
	for (i = 0; i < NFH_NPRIO_NAMES; i++) {
		n = strlen(nfh_prio_names[i].name);
		if (strncmp(s, nfh_prio_names[i].name, n))
			continue;
		if (!s[n]) {
			*prio = nfh_prio_names[i].value;
			return 0;
		}
		if (s[n] != '+' && s[n] != '-')
			continue;
		if (!parse_s32(s + n, &off) || (s[n + 1] < '0' || s[n + 1] > '9'))
			return nfh_fail(e, "priority: bad offset in \"%s\" (e.g. %s+10)",
					s, nfh_prio_names[i].name);
		v = nfh_prio_names[i].value + off;
		if (v < INT32_MIN || v > INT32_MAX)
			return nfh_fail(e, "priority: \"%s\" is out of range", s);
		*prio = (int32_t)v;
		return 0;
	}
	return nfh_fail(e, "priority: \"%s\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)",
			s);
}

int nfh_parse_addr(const char *what, const char *s, uint32_t family,
		   uint8_t addr[16], uint8_t *prefix, struct nfh_err *e)
{
	const char *fname = nfh_family_name(family);
	unsigned int full = family == NFPROTO_IPV4 ? 32 : 128;
	char buf[INET6_ADDRSTRLEN + 1];
	uint8_t probe[16];
	const char *slash;
	uint64_t len = full;
	size_t alen;
	unsigned int i;

	if (!fname)
		return nfh_fail(e, "%s: no family", what);
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0)
		return nfh_fail(e, "%s: \"%s\" has no address", what, s);
	if (alen >= sizeof(buf))
		return nfh_fail(e, "%s: \"%s\" is not an %s address", what, s,
				fname);
	memcpy(buf, s, alen);
	buf[alen] = '\0';

	memset(addr, 0, 16);
	if (inet_pton(family == NFPROTO_IPV4 ? AF_INET : AF_INET6, buf,
		      addr) != 1) {
		if (family == NFPROTO_IPV6 && inet_pton(AF_INET, buf, probe) == 1)
			return nfh_fail(e, "%s: %s is an ipv4 address, but this is an ipv6 rule",
					what, buf);
		if (family == NFPROTO_IPV4 && inet_pton(AF_INET6, buf, probe) == 1)
			return nfh_fail(e, "%s: %s is an ipv6 address, but this is an ipv4 rule",
					what, buf);
		return nfh_fail(e, "%s: \"%s\" is not an %s address", what,
				buf, fname);
	}
	if (slash) {
		if (!slash[1])
			return nfh_fail(e, "%s: missing prefix length after \"/\" in \"%s\"",
					what, s);
		if (!digits_to_u64(slash + 1, full, &len))
			return nfh_fail(e, "%s: prefix length \"%s\" out of range for %s (0-%u)",
					what, slash + 1, fname, full);
	}
	/* Clear the host bits, as the kernel stores it. */
	for (i = 0; i < full / 8; i++) {
		if (i * 8 >= len)
			addr[i] = 0;
		else if (i * 8 + 8 > len)
			addr[i] &= (uint8_t)(0xff << (8 - (len - i * 8)));
	}
	*prefix = (uint8_t)len;
	return 0;
}

int nfh_parse_port_range(const char *what, const char *s,
			 uint16_t *min, uint16_t *max, struct nfh_err *e)
{
	uint64_t lo, hi;

	if (!digits_to_range(s, 65535, &lo, &hi, NULL))
		return nfh_fail(e, "%s: \"%s\" is not a port or a range P-P (0-65535)",
				what, s);
	if (hi < lo)
		return nfh_fail(e, "%s: range %s is reversed", what, s);
	*min = (uint16_t)lo;
	*max = (uint16_t)hi;
	return 0;
}

int nfh_parse_proto(const char *s, uint8_t *proto, struct nfh_err *e)
{
	uint64_t v = 0;

	if (nfh_proto_by_name(s, proto))
		return 0;
	if (!digits_to_u64(s, 255, &v))
		return nfh_fail(e, "proto: \"%s\" is not a protocol (tcp, udp, udplite, sctp, icmp, icmpv6 or 0-255)",
				s);
	*proto = (uint8_t)v;
	return 0;
}

int nfh_parse_icmp_type(const char *s, uint32_t family, uint8_t *type,
			struct nfh_err *e)
{
	uint64_t v = 0;

	if (nfh_icmp_type_by_name(s, family, type))
		return 0;
	if (!digits_to_u64(s, 255, &v))
		return nfh_fail(e, "icmp-type: \"%s\" is not an %s type name or a number 0-255",
				s, family == NFPROTO_IPV6 ? "icmpv6" : "icmp");
	*type = (uint8_t)v;
	return 0;
}

int nfh_parse_len(const char *s, uint32_t *min, uint32_t *max, bool *has_max,
		  struct nfh_err *e)
{
	bool open_hi;			/* "MIN-": no upper bound */
	uint64_t lo, hi;
	bool ok;

	ok = digits_to_range(s, UINT32_MAX, &lo, &hi, &open_hi);
	*has_max = !open_hi;
	if (!ok)
		return nfh_fail(e, "len: \"%s\" is not a length, MIN-MAX or MIN- (0-%u)",
				s, UINT32_MAX);
	if (hi < lo)
		return nfh_fail(e, "len: range %s is reversed", s);
	*min = (uint32_t)lo;
	*max = *has_max ? (uint32_t)hi : 0;
	return 0;
}

/* A comma-separated list of flag names, or "none". */
static int parse_flag_list(const char *s, uint8_t *out, struct nfh_err *e)
{
	const char *p = s, *end;
	uint8_t v = 0;
	size_t len;
	int i;

	if (!strcmp(s, "none")) {
		*out = 0;
		return 0;
	}
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!len)
			return nfh_fail(e, "tcp-flags: empty flag name in \"%s\"", s);
		for (i = 0; i < 8; i++)
			if (strlen(nfh_tcp_flag_names[i]) == len &&
			    !strncmp(p, nfh_tcp_flag_names[i], len))
				break;
		if (i == 8)
			return nfh_fail(e, "tcp-flags: unknown flag \"%.*s\" (fin, syn, rst, psh, ack, urg, ece, cwr)",
					(int)len, p);
		v |= (uint8_t)(1u << i);
		if (!end)
			break;
		p = end + 1;
	}
	*out = v;
	return 0;
}

int nfh_parse_tcp_flags(const char *s, uint8_t *flags, uint8_t *mask,
			struct nfh_err *e)
{
	char buf[64];
	char *slash;

	if (strlen(s) >= sizeof(buf))
		return nfh_fail(e, "tcp-flags: \"%.40s...\" is too long", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (parse_flag_list(buf, flags, e))
		return -1;
	if (!slash) {
		if (!*flags)
			return nfh_fail(e, "tcp-flags: none needs a mask (e.g. none/syn)");
		*mask = *flags;
		return 0;
	}
	if (parse_flag_list(slash + 1, mask, e))
		return -1;
	if (!*mask)
		return nfh_fail(e, "tcp-flags: the mask must name at least one flag");
	if (*flags & ~*mask)
		return nfh_fail(e, "tcp-flags: \"%s\" sets flags outside its mask", s);
	return 0;
}

int nfh_parse_ct_state(const char *s, uint32_t *states, struct nfh_err *e)
{
	const char *p = s, *end;
	uint32_t v = 0, bit;
	size_t len;
	int i;

	if (!*s)
		return nfh_fail(e, "ct state: empty list (new, established, related, invalid, untracked)");
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!len)
			return nfh_fail(e, "ct state: empty state name in \"%s\"", s);
		for (i = 0; i < NFH_NCT_STATES; i++)
			if (strlen(nfh_ct_state_names[i]) == len &&
			    !strncmp(p, nfh_ct_state_names[i], len))
				break;
		if (i == NFH_NCT_STATES)
			return nfh_fail(e, "ct state: unknown state \"%.*s\" (new, established, related, invalid, untracked)",
					(int)len, p);
		bit = 1u << i;
		if (v & bit)
			return nfh_fail(e, "ct state: %s given twice in \"%s\"",
					nfh_ct_state_names[i], s);
		v |= bit;
		if (!end)
			break;
		p = end + 1;
	}
	*states = v;
	return 0;
}

int nfh_parse_ifname(const char *what, const char *s, char name[IFNAMSIZ],
		     struct nfh_err *e)
{
	size_t len = strlen(s), i;

	if (!len)
		return nfh_fail(e, "%s: empty interface name", what);
	if (len >= IFNAMSIZ)
		return nfh_fail(e, "%s: interface name \"%s\" is too long (at most %d bytes)",
				what, s, IFNAMSIZ - 1);
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return nfh_fail(e, "%s: \"%s\" is not a valid interface name", what, s);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f)
			return nfh_fail(e, "%s: interface name \"%s\" has a character interfaces cannot have",
					what, s);
	}
	memcpy(name, s, len + 1);
	return 0;
}

/* ---- rules ------------------------------------------------------------- */

struct rule_kw {
	const char *name;
	const char *arg;	/* what follows, for messages; NULL: nothing */
	unsigned int field;
	int (*fn)(struct nfh_rule *r, const char *kw, const char *arg,
		  struct nfh_err *e);
};

static int kw_saddr(struct nfh_rule *r, const char *kw, const char *arg,
		    struct nfh_err *e)
{
	return nfh_parse_addr(kw, arg, r->family, r->saddr, &r->sprefix, e);
}

static int kw_daddr(struct nfh_rule *r, const char *kw, const char *arg,
		    struct nfh_err *e)
{
	return nfh_parse_addr(kw, arg, r->family, r->daddr, &r->dprefix, e);
}

static int kw_proto(struct nfh_rule *r, const char *kw, const char *arg,
		    struct nfh_err *e)
{
	(void)kw;
	return nfh_parse_proto(arg, &r->proto, e);
}

static int kw_sport(struct nfh_rule *r, const char *kw, const char *arg,
		    struct nfh_err *e)
{
	return nfh_parse_port_range(kw, arg, &r->sport_min, &r->sport_max, e);
}

static int kw_dport(struct nfh_rule *r, const char *kw, const char *arg,
		    struct nfh_err *e)
{
	return nfh_parse_port_range(kw, arg, &r->dport_min, &r->dport_max, e);
}

static int kw_icmp_type(struct nfh_rule *r, const char *kw, const char *arg,
			struct nfh_err *e)
{
	(void)kw;
	return nfh_parse_icmp_type(arg, r->family, &r->icmp_type, e);
}

static int kw_code(struct nfh_rule *r, const char *kw, const char *arg,
		   struct nfh_err *e)
{
	uint64_t v = 0;

	if (nfh_parse_uint(kw, arg, 255, &v, e))
		return -1;
	r->icmp_code = (uint8_t)v;
	return 0;
}

static int kw_iif(struct nfh_rule *r, const char *kw, const char *arg,
		  struct nfh_err *e)
{
	return nfh_parse_ifname(kw, arg, r->iif, e);
}

static int kw_oif(struct nfh_rule *r, const char *kw, const char *arg,
		  struct nfh_err *e)
{
	return nfh_parse_ifname(kw, arg, r->oif, e);
}

static int kw_len(struct nfh_rule *r, const char *kw, const char *arg,
		  struct nfh_err *e)
{
	bool has_max;

	(void)kw;
	if (nfh_parse_len(arg, &r->len_min, &r->len_max, &has_max, e))
		return -1;
	if (has_max)
		r->fields |= NFH_R_LEN_MAX;
	return 0;
}

static int kw_tcp_flags(struct nfh_rule *r, const char *kw, const char *arg,
			struct nfh_err *e)
{
	(void)kw;
	return nfh_parse_tcp_flags(arg, &r->tcp_flags, &r->tcp_mask, e);
}

static int kw_index(struct nfh_rule *r, const char *kw, const char *arg,
		    struct nfh_err *e)
{
	uint64_t v = 0;

	if (nfh_parse_uint(kw, arg, UINT32_MAX - 1, &v, e))
		return -1;
	r->index = (uint32_t)v;
	return 0;
}

static int kw_comment(struct nfh_rule *r, const char *kw, const char *arg,
		      struct nfh_err *e)
{
	size_t len = strlen(arg);

	if (len >= NFHOOK_COMMENT_SIZE)
		return nfh_fail(e, "%s: too long (%zu bytes, at most %d)", kw,
				len, NFHOOK_COMMENT_SIZE - 1);
	memcpy(r->comment, arg, len + 1);
	return 0;
}

static const struct rule_kw rule_kws[] = {
	{ "saddr",	"ADDR[/LEN]",	NFH_R_SADDR,	 kw_saddr },
	{ "daddr",	"ADDR[/LEN]",	NFH_R_DADDR,	 kw_daddr },
	{ "proto",	"a protocol",	NFH_R_PROTO,	 kw_proto },
	{ "sport",	"P[-P]",	NFH_R_SPORT,	 kw_sport },
	{ "dport",	"P[-P]",	NFH_R_DPORT,	 kw_dport },
	{ "icmp-type",	"a type",	NFH_R_ICMP_TYPE, kw_icmp_type },
	{ "code",	"a code",	NFH_R_ICMP_CODE, kw_code },
	{ "iif",	"NAME",		NFH_R_IIF,	 kw_iif },
	{ "oif",	"NAME",		NFH_R_OIF,	 kw_oif },
	{ "len",	"MIN[-MAX]",	NFH_R_LEN,	 kw_len },
	{ "tcp-flags",	"FLAGS[/MASK]",	NFH_R_TCP_FLAGS, kw_tcp_flags },
	{ "index",	"N",		NFH_R_INDEX,	 kw_index },
	{ "comment",	"TEXT",		NFH_R_COMMENT,	 kw_comment },
};

static bool proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/* The checks that need the whole rule. */
static int rule_check(const struct nfh_rule *r, struct nfh_err *e)
{
	static const char *const port_kw[] = { "sport", "dport" };
	unsigned int port_field[] = { NFH_R_SPORT, NFH_R_DPORT };
	uint8_t icmp = r->family == NFPROTO_IPV6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	const char *icmp_name = r->family == NFPROTO_IPV6 ? "icmpv6" : "icmp";
	const char *pname;
	int i;

	for (i = 0; i < 2; i++) {
		if (!(r->fields & port_field[i]))
			continue;
		if (!(r->fields & NFH_R_PROTO))
			return nfh_fail(e, "%s: needs proto tcp, udp, udplite or sctp",
					port_kw[i]);
		if (proto_has_ports(r->proto))
			continue;
		pname = nfh_proto_name(r->proto);
		if (pname)
			return nfh_fail(e, "%s: proto %s has no ports (tcp, udp, udplite or sctp do)",
					port_kw[i], pname);
		return nfh_fail(e, "%s: proto %u has no ports (tcp, udp, udplite or sctp do)",
				port_kw[i], r->proto);
	}
	if ((r->fields & NFH_R_ICMP_TYPE) &&
	    (!(r->fields & NFH_R_PROTO) || r->proto != icmp))
		return nfh_fail(e, "icmp-type: needs proto %s in an %s rule",
				icmp_name, nfh_family_name(r->family));
	if ((r->fields & NFH_R_ICMP_CODE) && !(r->fields & NFH_R_ICMP_TYPE))
		return nfh_fail(e, "code: needs icmp-type");
	if ((r->fields & NFH_R_TCP_FLAGS) &&
	    (!(r->fields & NFH_R_PROTO) || r->proto != IPPROTO_TCP))
		return nfh_fail(e, "tcp-flags: needs proto tcp");
	return 0;
}

static int parse_counters(struct nfh_rule *r, int argc, char **argv, int *i,
			  struct nfh_err *e)
{
	static const char *const names[] = { "packets", "bytes" };
	uint64_t *vals[] = { &r->packets, &r->bytes };
	int k;

	for (k = 0; k < 2; k++) {
		if (*i + 1 >= argc || strcmp(argv[*i + 1], names[k]))
			return nfh_fail(e, "counters: expected \"counters packets N bytes N\"");
		if (*i + 2 >= argc)
			return nfh_fail(e, "counters: missing the %s count", names[k]);
		if (nfh_parse_uint(names[k], argv[*i + 2], UINT64_MAX, vals[k], e))
			return -1;
		*i += 2;
	}
	return 0;
}

/* The FAMILY HOOK that rule and hook arguments begin with. */
static int parse_family_hook(int argc, char **argv, uint32_t *family,
			     uint32_t *hook, struct nfh_err *e)
{
	if (argc < 1)
		return nfh_fail(e, "missing FAMILY (ipv4 or ipv6)");
	if (nfh_parse_family(argv[0], family, e))
		return -1;
	if (argc < 2)
		return nfh_fail(e, "missing HOOK (prerouting, input, forward, output or postrouting)");
	return nfh_parse_hook(argv[1], hook, e);
}

/* The words of a rule from argv[@i] on: matches, action, index, ... */
static int parse_rule_words(struct nfh_rule *r, int argc, char **argv, int i,
			    enum nfh_rule_ctx ctx, struct nfh_err *e)
{
	const struct rule_kw *kw;
	uint32_t action;
	size_t k;

	for (; i < argc; i++) {
		const char *w = argv[i];

		if (nfh_action_by_name(w, &action)) {
			if (ctx == NFH_RULE_CTX_TRACE)
				return nfh_fail(e, "%s: a trace selector has no action (it only selects packets)",
						w);
			if (r->fields & NFH_R_ACTION)
				return nfh_fail(e, "two actions: %s and %s",
						nfh_action_name(r->action), w);
			r->action = action;
			r->fields |= NFH_R_ACTION;
			continue;
		}
		if (!strcmp(w, "ct")) {
			if (i + 1 >= argc || strcmp(argv[i + 1], "state"))
				return nfh_fail(e, "ct: expected \"ct state LIST\" (the only ct match is state)");
			if (r->fields & NFH_R_CT_STATE)
				return nfh_fail(e, "ct state: given twice");
			if (i + 2 >= argc)
				return nfh_fail(e, "ct state: missing LIST (new, established, related, invalid, untracked, comma-separated)");
			if (nfh_parse_ct_state(argv[i + 2], &r->ct_state, e))
				return -1;
			r->fields |= NFH_R_CT_STATE;
			i += 2;
			continue;
		}
		if (!strcmp(w, "counters")) {
			if (ctx != NFH_RULE_CTX_RESTORE)
				return nfh_fail(e, "counters: only restore files can set counters");
			if (r->fields & NFH_R_COUNTERS)
				return nfh_fail(e, "counters: given twice");
			if (parse_counters(r, argc, argv, &i, e))
				return -1;
			r->fields |= NFH_R_COUNTERS;
			continue;
		}
		kw = NULL;
		for (k = 0; k < NFH_ARRAY_SIZE(rule_kws); k++) {
			if (!strcmp(w, rule_kws[k].name)) {
				kw = &rule_kws[k];
				break;
			}
		}
		if (!kw)
			return nfh_fail(e, "unknown match or action \"%s\"", w);
		if (ctx == NFH_RULE_CTX_TRACE &&
		    (kw->field & (NFH_R_INDEX | NFH_R_COMMENT)))
			return nfh_fail(e, "%s: a trace selector has only matches",
					w);
		if ((kw->field & (NFH_R_SADDR | NFH_R_DADDR | NFH_R_ICMP_TYPE)) &&
		    !r->family)
			return nfh_fail(e, "%s: give the FAMILY (ipv4 or ipv6) first",
					w);
		if (kw->field == NFH_R_INDEX && ctx != NFH_RULE_CTX_ADD)
			return nfh_fail(e, "index: not allowed here (rules are added in the order given)");
		if (r->fields & kw->field)
			return nfh_fail(e, "%s: given twice", w);
		if (i + 1 >= argc)
			return nfh_fail(e, "%s: missing %s", w, kw->arg);
		if (kw->fn(r, w, argv[i + 1], e))
			return -1;
		r->fields |= kw->field;
		i++;
	}
	return 0;
}

int nfh_rule_parse(struct nfh_rule *r, int argc, char **argv,
		   enum nfh_rule_ctx ctx, struct nfh_err *e)
{
	memset(r, 0, sizeof(*r));
	if (parse_family_hook(argc, argv, &r->family, &r->hook, e))
		return -1;
	if (parse_rule_words(r, argc, argv, 2, ctx, e))
		return -1;
	if (!(r->fields & NFH_R_ACTION))
		return nfh_fail(e, "missing action: accept, drop or count");
	return rule_check(r, e);
}

int nfh_selector_parse(struct nfh_rule *r, int argc, char **argv,
		       struct nfh_err *e)
{
	int i = 0;

	memset(r, 0, sizeof(*r));
	r->fields = NFH_R_SELECTOR;
	if (argc > 0 && nfh_family_by_name(argv[0], &r->family))
		i = 1;
	if (parse_rule_words(r, argc, argv, i, NFH_RULE_CTX_TRACE, e))
		return -1;
	return rule_check(r, e);
}

int nfh_hook_parse(struct nfh_hook *h, int argc, char **argv,
		   bool need_setting, struct nfh_err *e)
{
	int i;

	memset(h, 0, sizeof(*h));
	if (parse_family_hook(argc, argv, &h->family, &h->hook, e))
		return -1;
	for (i = 2; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "priority")) {
			if (h->fields & NFH_H_PRIORITY)
				return nfh_fail(e, "priority: given twice");
			if (i + 1 >= argc)
				return nfh_fail(e, "priority: missing a number or a name");
			if (nfh_parse_priority(argv[++i], &h->priority, e))
				return -1;
			h->fields |= NFH_H_PRIORITY;
		} else if (!strcmp(w, "policy")) {
			if (h->fields & NFH_H_POLICY)
				return nfh_fail(e, "policy: given twice");
			if (i + 1 >= argc)
				return nfh_fail(e, "policy: missing accept or drop");
			w = argv[++i];
			if (!strcmp(w, "accept"))
				h->policy = NFHOOK_ACTION_ACCEPT;
			else if (!strcmp(w, "drop"))
				h->policy = NFHOOK_ACTION_DROP;
			else
				return nfh_fail(e, "policy: \"%s\" is not accept or drop", w);
			h->fields |= NFH_H_POLICY;
		} else if (!strcmp(w, "enable") || !strcmp(w, "disable")) {
			if (h->fields & NFH_H_ENABLED)
				return nfh_fail(e, "enable/disable: given twice");
			h->enabled = w[0] == 'e';
			h->fields |= NFH_H_ENABLED;
		} else {
			return nfh_fail(e, "unknown hook setting \"%s\" (priority, policy, enable or disable)",
					w);
		}
	}
	if (need_setting && !(h->fields & (NFH_H_PRIORITY | NFH_H_POLICY |
					   NFH_H_ENABLED)))
		return nfh_fail(e, "nothing to set: give priority, policy, enable or disable");
	return 0;
}
