// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a seeded random generator of generic netlink messages for the
 * nfhook family, with an oracle.
 *
 *   nlfuzz [-s SEED] [-n COUNT] [-u] [-v]
 *   nlfuzz -C ROUNDS	rule churn: add a valid random rule and delete the
 *			oldest of the last four, ROUNDS times, then delete
 *			the rest; every answer must be an ack
 *   nlfuzz -B RULES	begin a replace transaction, stage RULES random
 *			rules and exit without committing: closing the
 *			socket must abort it (lifecycle.sh checks that)
 *
 * Every message is built by one of a few generators, each of which knows
 * what the kernel must answer: an ack (0), one exact errno, or "any error".
 * Malformed messages (unknown commands, short headers, bad flags, attribute
 * soup with unknown types, wrong lengths, missing NLA_F_NESTED, trailing
 * bytes) and well-formed messages with exactly one semantic defect (the
 * rejections of docs/netlink.md) must get an error; well-formed valid
 * messages (rule add/del, hook get/set, flush, dumps, replace transactions)
 * must get an ack.  A model of the namespace's rules is kept so that rule
 * indexes, rule deletions and the counts that INFO_GET and RULE_GET dumps
 * report can be predicted exactly.  Every error that nfhook itself raises
 * (a semantic defect) must carry an extack message starting "nfhook: ", a
 * refused dump included (it arrives in NLMSG_DONE with the error).  What
 * the generic netlink core checks differs between kernels: see struct
 * kernel_traits, the one place that depends on the running kernel.
 *
 * Policy defects (FAMILY outside 2..10, HOOK above 4, POLICY outside 1..2,
 * ACTION out of range, too long strings...) are refused by the core's
 * policy check (ERANGE or EINVAL) without an nfhook message; a FAMILY of
 * 3..9 passes the policy and is nfhook's own "unknown family" (EINVAL); a
 * rule INDEX of 4294967295 is nfhook's ERANGE, never "append".
 *
 * -u: the caller has no CAP_NET_ADMIN.  Every command needs it, reads and
 * dumps included (GENL_UNS_ADMIN_PERM), and the core checks it before it
 * parses any attribute: every message that passes the core's header checks
 * and names a command of the family gets EPERM, with no nfhook message and
 * no data (a refused dump is an NLMSG_ERROR: the dump never starts), so
 * malformed attributes and semantic defects get EPERM too.  Joining the
 * "events" group fails with EPERM.  The model never changes.  As root the
 * join must work.
 *
 * The kernel must answer every message within 5 s.  At the end the rules
 * are flushed (root) and the count checked.  Exit status 0 when every answer
 * was the predicted one, 1 otherwise, 2 on a usage error.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nfhook.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define EXPECT_ANY	(-1)	/* any error, no matter which */
#define MAX_RULES	400	/* the model deletes rules beyond this */
#define MAX_REPORTS	25

/* The PRNG: splitmix64, so a seed gives the same run on any machine. */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)		/* 0 .. n-1 */
{
	return n ? rnd64() % n : 0;
}

static bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

static void rnd_bytes(void *p, size_t len)
{
	unsigned char *c = p;

	while (len--)
		*c++ = rnd64();
}

struct rule_ref {
	uint32_t id;
	int fidx;		/* 0 ipv4, 1 ipv6 */
	int hook;
};

static struct {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	bool unpriv;
	bool verbose;
	bool count_only;	/* churn: rules never drop what flows */

	/* The model of the namespace's rules. */
	struct rule_ref rules[MAX_RULES + 64];
	unsigned int nrules;

	/* What the last answer held. */
	uint32_t reply_id;
	int reply_fidx, reply_hook;
	uint32_t reply_rule_count;
	bool reply_has_count;
	unsigned int dump_rules;
	struct rule_ref dumped[MAX_RULES + 64];
	unsigned int ndumped;
	unsigned int data_msgs;	/* messages of the family in the answer */
	bool error_in_done;	/* the error came in NLMSG_DONE */
	char extack[256];
	uint32_t events_group;	/* multicast group id of "events", 0 if none */
	/* The traces this socket started and has not stopped. */
	uint32_t traces[NFHOOK_TRACES_MAX];
	unsigned int ntraces;
	uint32_t reply_trace_id;

	unsigned long sent, acks, errors, mismatches, by_errno[140];
} g;

/*
 * What the running kernel's generic netlink core does differently, from
 * `uname -r`, set once by kernel_traits_init().  The expectations that
 * depend on the kernel read these fields and nothing else.
 *
 *  - genl_header_check: 6.1 added genl_header_check(), refusing (EINVAL,
 *    with a message) a non-zero genlmsghdr.reserved and nlmsg_flags beyond
 *    REQUEST, ACK, ECHO and DUMP for commands from the family's
 *    resv_start_op on; nfhook leaves that at 0, so all of its commands.
 *    5.10 checks neither and handles such a message as a clean one.
 *  - split_cmd_lookup: from 6.2 the core looks a command up as a do or as
 *    a dump (split ops): a do of a dump-only command (RULE_GET,
 *    PIPELINE_GET) is "no such command", EOPNOTSUPP, before the
 *    permission check.  Up to 6.1 the
 *    command is found, the permission checked (EPERM without CAP_NET_ADMIN)
 *    and only then the missing doit refused (EOPNOTSUPP).
 *
 * In genl_family_rcv_msg() on every kernel: message shorter than the genl
 * header (EINVAL), header check (EINVAL, 6.1+), command lookup
 * (EOPNOTSUPP), permission (EPERM), then the attributes are parsed and
 * validated against the policy (for a dump in its .start), then nfhook.
 *
 * Not a difference: a dump request nfhook refuses gets NLMSG_DONE with the
 * error and nfhook's extack message on every kernel (nfhook checks it in
 * its first dump step, where every kernel has an extack).
 */
static struct kernel_traits {
	unsigned int major, minor;
	bool genl_header_check;
	bool split_cmd_lookup;
} kern;

static void kernel_traits_init(void)
{
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &kern.major, &kern.minor) != 2) {
		fprintf(stderr, "nlfuzz: cannot tell the kernel version; assuming a current one\n");
		kern.major = ~0u;
	}
	kern.genl_header_check = kern.major > 6 ||
				 (kern.major == 6 && kern.minor >= 1);
	kern.split_cmd_lookup = kern.major > 6 ||
				(kern.major == 6 && kern.minor >= 2);
}

static const int families[2] = { NFPROTO_IPV4, NFPROTO_IPV6 };

static int fidx_of(uint32_t family)
{
	return family == NFPROTO_IPV6;
}

/* Messages ****************************************************************/

struct msg {
	char buf[16384];
	struct nlmsghdr *nlh;
	const char *what;	/* for reports: which generator and defect */
	int expect;		/* 0 ack, errno, or EXPECT_ANY */
	bool need_msg;		/* an "nfhook: " extack message is required */
	bool dump;
	bool early;		/* refused before the permission check */
};

static void msg_start(struct msg *m, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *gh;

	memset(m->buf, 0, sizeof(struct nlmsghdr) + GENL_HDRLEN);
	m->nlh = mnl_nlmsg_put_header(m->buf);
	m->nlh->nlmsg_type = g.family;
	m->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->nlh->nlmsg_seq = ++g.seq;
	gh = mnl_nlmsg_put_extra_header(m->nlh, sizeof(*gh));
	gh->cmd = cmd;
	/* The family's version is not checked: any value will do. */
	gh->version = chance(80) ? NFHOOK_GENL_VERSION : rnd(256);
	m->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	m->what = "";
	m->expect = 0;
	m->need_msg = false;
	m->early = false;
}

/* Appends an attribute with any header, even a wrong one. */
static void put_raw(struct msg *m, uint16_t nla_len, uint16_t type,
		    const void *data, size_t len)
{
	char *p = (char *)m->nlh + m->nlh->nlmsg_len;
	struct nlattr *nla = (struct nlattr *)p;

	nla->nla_len = nla_len;
	nla->nla_type = type;
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, MNL_ALIGN(len) - len);
	m->nlh->nlmsg_len += NLA_HDRLEN + MNL_ALIGN(len);
}

static void put_u8(struct msg *m, uint16_t t, uint8_t v)
{
	mnl_attr_put_u8(m->nlh, t, v);
}

static void put_u16(struct msg *m, uint16_t t, uint16_t v)
{
	mnl_attr_put_u16(m->nlh, t, v);
}

static void put_u32(struct msg *m, uint16_t t, uint32_t v)
{
	mnl_attr_put_u32(m->nlh, t, v);
}

/* Random printable text of @len characters at @s, NUL-terminated. */
static void rnd_text(char *s, size_t len)
{
	static const char set[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:\"\\#";
	size_t i;

	for (i = 0; i < len; i++)
		s[i] = set[rnd(sizeof(set) - 1)];
	s[len] = 0;
}

/* Rules: a description, turned into attributes ***************************/

enum {
	F_FAMILY = 1 << 0, F_HOOK = 1 << 1, F_ACTION = 1 << 2,
	F_INDEX = 1 << 3, F_COMMENT = 1 << 4, F_SADDR = 1 << 5,
	F_DADDR = 1 << 6, F_SPREFIX = 1 << 7, F_DPREFIX = 1 << 8,
	F_PROTO = 1 << 9, F_SPORT = 1 << 10, F_SPORT_MAX = 1 << 11,
	F_DPORT = 1 << 12, F_DPORT_MAX = 1 << 13, F_ICMP_TYPE = 1 << 14,
	F_ICMP_CODE = 1 << 15, F_IIF = 1 << 16, F_OIF = 1 << 17,
	F_LEN_MIN = 1 << 18, F_LEN_MAX = 1 << 19, F_FLAGS = 1 << 20,
	F_FLAGS_MASK = 1 << 21, F_COUNTERS = 1 << 22, F_ID = 1 << 23,
	F_CT_STATE = 1 << 24,
};

struct rule_desc {
	uint32_t have;
	uint32_t family, hook, action, index, id;
	bool addr_other_family;	/* put the other family's address type */
	char comment[128];
	size_t comment_len;	/* attribute length (may differ from strlen) */
	unsigned char saddr[16], daddr[16];
	uint8_t sprefix, dprefix, proto, icmp_type, icmp_code;
	uint8_t flags, flags_mask;
	uint16_t sport, sport_max, dport, dport_max;
	char iif[32], oif[32];
	size_t iif_len, oif_len;
	uint32_t len_min, len_max;
	uint32_t ct_state;
	uint64_t packets, bytes;
};

static const uint8_t port_protos[] = { 6, 17, 136, 132 };

static bool proto_has_ports(uint8_t p)
{
	return p == 6 || p == 17 || p == 136 || p == 132;
}

static unsigned int hook_count(int fidx, int hook)
{
	unsigned int i, n = 0;

	for (i = 0; i < g.nrules; i++)
		if (g.rules[i].fidx == fidx && g.rules[i].hook == hook)
			n++;
	return n;
}

static void rnd_ifname(char *s, size_t *attrlen, uint32_t maxchars)
{
	size_t n = 1 + rnd(maxchars);

	rnd_text(s, n);
	s[0] = 'a' + rnd(26);	/* never starts with NUL, never empty */
	*attrlen = n + 1;
}

/* A random valid rule. */
static void rule_random(struct rule_desc *r, bool in_replace)
{
	int fidx = rnd(2);
	unsigned int max = fidx ? 128 : 32;

	memset(r, 0, sizeof(*r));
	r->have = F_FAMILY | F_HOOK | F_ACTION;
	r->family = families[fidx];
	r->hook = rnd(5);
	r->action = g.count_only ? NFHOOK_ACTION_COUNT : 1 + rnd(3);
	if (!in_replace && chance(20)) {
		r->have |= F_INDEX;
		r->index = rnd(hook_count(fidx, r->hook) + 1);
	}
	if (chance(30)) {
		r->have |= F_COMMENT;
		rnd_text(r->comment, rnd(64));
		r->comment_len = strlen(r->comment) + 1;
	}
	if (chance(40)) {
		r->have |= F_SADDR;
		rnd_bytes(r->saddr, 16);
		if (chance(60)) {
			r->have |= F_SPREFIX;
			r->sprefix = rnd(max + 1);
		}
	}
	if (chance(40)) {
		r->have |= F_DADDR;
		rnd_bytes(r->daddr, 16);
		if (chance(60)) {
			r->have |= F_DPREFIX;
			r->dprefix = rnd(max + 1);
		}
	}
	if (chance(70)) {
		r->have |= F_PROTO;
		switch (rnd(4)) {
		case 0:
			r->proto = fidx ? 58 : 1;
			break;
		case 1:
			r->proto = rnd(256);
			break;
		default:
			r->proto = port_protos[rnd(4)];
			break;
		}
		if (proto_has_ports(r->proto)) {
			if (chance(50)) {
				r->have |= F_SPORT;
				r->sport = rnd(65536);
				if (chance(50)) {
					r->have |= F_SPORT_MAX;
					r->sport_max = r->sport +
						rnd(65536 - r->sport);
				}
			}
			if (chance(50)) {
				r->have |= F_DPORT;
				r->dport = rnd(65536);
				if (chance(50)) {
					r->have |= F_DPORT_MAX;
					r->dport_max = r->dport +
						rnd(65536 - r->dport);
				}
			}
		}
		if (r->proto == (fidx ? 58 : 1) && chance(70)) {
			r->have |= F_ICMP_TYPE;
			r->icmp_type = rnd(256);
			if (chance(50)) {
				r->have |= F_ICMP_CODE;
				r->icmp_code = rnd(256);
			}
		}
		if (r->proto == 6 && chance(50)) {
			r->have |= F_FLAGS;
			r->flags_mask = rnd(256);
			r->flags = rnd(256) & r->flags_mask;
			if (chance(70))
				r->have |= F_FLAGS_MASK;
			else
				r->flags_mask = r->flags;
		}
	}
	if (r->hook <= 2 && chance(20)) {
		r->have |= F_IIF;
		rnd_ifname(r->iif, &r->iif_len, 15);
	}
	if (r->hook >= 2 && chance(20)) {
		r->have |= F_OIF;
		rnd_ifname(r->oif, &r->oif_len, 15);
	}
	if (chance(20)) {
		r->len_min = rnd(70000);
		if (chance(70)) {
			r->have |= F_LEN_MIN;
			if (chance(50)) {
				r->have |= F_LEN_MAX;
				r->len_max = r->len_min + rnd(70000);
			}
		} else {
			r->have |= F_LEN_MAX;
			r->len_max = rnd64();
		}
	}
	if (chance(20)) {
		r->have |= F_CT_STATE;
		r->ct_state = 1 + rnd(NFHOOK_CT_STATE_ALL);
	}
	if (in_replace && chance(30)) {
		r->have |= F_COUNTERS;
		r->packets = rnd64();
		r->bytes = rnd64();
	}
}

/*
 * The rule's attributes, in a random order when @shuffle (the kernel must
 * not care).  @nested_flag false leaves NLA_F_NESTED off the nest.
 */
static void rule_put(struct msg *m, const struct rule_desc *r, bool nested_flag)
{
	int v6 = r->family == NFPROTO_IPV6;
	struct nlattr *nest;

	if (r->addr_other_family)
		v6 = !v6;
	nest = mnl_attr_nest_start(m->nlh, NFHOOK_A_RULE);
	if (!nested_flag)
		nest->nla_type &= ~NLA_F_NESTED;
	if (r->have & F_ID)
		put_u32(m, NFHOOK_RULE_A_ID, r->id);
	if (r->have & F_FAMILY)
		put_u32(m, NFHOOK_RULE_A_FAMILY, r->family);
	if (r->have & F_HOOK)
		put_u32(m, NFHOOK_RULE_A_HOOK, r->hook);
	if (r->have & F_ACTION)
		put_u32(m, NFHOOK_RULE_A_ACTION, r->action);
	if (r->have & F_INDEX)
		put_u32(m, NFHOOK_RULE_A_INDEX, r->index);
	if (r->have & F_COMMENT)
		put_raw(m, NLA_HDRLEN + r->comment_len, NFHOOK_RULE_A_COMMENT,
			r->comment, r->comment_len);
	if (r->have & F_SADDR)
		put_raw(m, NLA_HDRLEN + (v6 ? 16 : 4),
			v6 ? NFHOOK_RULE_A_SRC_IPV6 : NFHOOK_RULE_A_SRC_IPV4,
			r->saddr, v6 ? 16 : 4);
	if (r->have & F_DADDR)
		put_raw(m, NLA_HDRLEN + (v6 ? 16 : 4),
			v6 ? NFHOOK_RULE_A_DST_IPV6 : NFHOOK_RULE_A_DST_IPV4,
			r->daddr, v6 ? 16 : 4);
	if (r->have & F_SPREFIX)
		put_u8(m, NFHOOK_RULE_A_SRC_PREFIX, r->sprefix);
	if (r->have & F_DPREFIX)
		put_u8(m, NFHOOK_RULE_A_DST_PREFIX, r->dprefix);
	if (r->have & F_PROTO)
		put_u8(m, NFHOOK_RULE_A_L4PROTO, r->proto);
	if (r->have & F_SPORT)
		put_u16(m, NFHOOK_RULE_A_SPORT_MIN, r->sport);
	if (r->have & F_SPORT_MAX)
		put_u16(m, NFHOOK_RULE_A_SPORT_MAX, r->sport_max);
	if (r->have & F_DPORT)
		put_u16(m, NFHOOK_RULE_A_DPORT_MIN, r->dport);
	if (r->have & F_DPORT_MAX)
		put_u16(m, NFHOOK_RULE_A_DPORT_MAX, r->dport_max);
	if (r->have & F_ICMP_TYPE)
		put_u8(m, NFHOOK_RULE_A_ICMP_TYPE, r->icmp_type);
	if (r->have & F_ICMP_CODE)
		put_u8(m, NFHOOK_RULE_A_ICMP_CODE, r->icmp_code);
	if (r->have & F_IIF)
		put_raw(m, NLA_HDRLEN + r->iif_len, NFHOOK_RULE_A_IIFNAME,
			r->iif, r->iif_len);
	if (r->have & F_OIF)
		put_raw(m, NLA_HDRLEN + r->oif_len, NFHOOK_RULE_A_OIFNAME,
			r->oif, r->oif_len);
	if (r->have & F_LEN_MIN)
		put_u32(m, NFHOOK_RULE_A_LEN_MIN, r->len_min);
	if (r->have & F_LEN_MAX)
		put_u32(m, NFHOOK_RULE_A_LEN_MAX, r->len_max);
	if (r->have & F_FLAGS)
		put_u8(m, NFHOOK_RULE_A_TCP_FLAGS, r->flags);
	if (r->have & F_FLAGS_MASK)
		put_u8(m, NFHOOK_RULE_A_TCP_FLAGS_MASK, r->flags_mask);
	if (r->have & F_CT_STATE)
		put_u32(m, NFHOOK_RULE_A_CT_STATE, r->ct_state);
	if (r->have & F_COUNTERS) {
		struct nlattr *c = mnl_attr_nest_start(m->nlh,
						       NFHOOK_RULE_A_COUNTERS);

		mnl_attr_put_u64(m->nlh, NFHOOK_COUNTERS_A_PACKETS, r->packets);
		mnl_attr_put_u64(m->nlh, NFHOOK_COUNTERS_A_BYTES, r->bytes);
		mnl_attr_nest_end(m->nlh, c);
	}
	mnl_attr_nest_end(m->nlh, nest);
}

/*
 * One semantic defect applied to a valid rule: sets m->what and the
 * expected errno.  Policy-level defects (the core's checks) get EINVAL or
 * ERANGE without a required nfhook message; the rest are nfhook's own.
 */
static void rule_defect(struct msg *m, struct rule_desc *r, bool in_replace)
{
	int fidx = fidx_of(r->family);
	unsigned int max = fidx ? 128 : 32;

	m->need_msg = true;
	m->expect = EINVAL;
	switch (rnd(28)) {
	case 0:
		m->what = "rule without family";
		r->have &= ~F_FAMILY;
		break;
	case 1:
		m->what = "rule without hook";
		r->have &= ~F_HOOK;
		break;
	case 2:
		m->what = "rule without action";
		r->have &= ~F_ACTION;
		break;
	case 3:
		do
			r->family = chance(70) ? rnd(16) : rnd64();
		while (r->family == 2 || r->family == 10);
		r->have &= ~(F_SADDR | F_DADDR | F_SPREFIX | F_DPREFIX);
		if (r->family < 2 || r->family > 10) {
			m->what = "family outside 2..10 (policy)";
			m->expect = ERANGE;
			m->need_msg = false;
		} else {
			m->what = "unknown family 3..9";
		}
		break;
	case 4:
		m->what = "hook above 4 (policy)";
		r->hook = 5 + rnd(chance(50) ? 10 : 1000000);
		r->have &= ~(F_IIF | F_OIF | F_INDEX);
		m->expect = ERANGE;
		m->need_msg = false;
		break;
	case 5:
		m->what = "action out of range (policy)";
		r->action = chance(30) ? 0 : 4 + rnd(1000);
		m->expect = ERANGE;
		m->need_msg = false;
		break;
	case 6:
		m->what = "address of the other family";
		r->addr_other_family = true;
		r->have |= chance(50) ? F_SADDR : F_DADDR;
		r->have &= ~(F_SPREFIX | F_DPREFIX);
		break;
	case 7:
		m->what = "prefix without address";
		r->have &= ~F_SADDR;
		r->have |= F_SPREFIX;
		r->sprefix = rnd(max + 1);
		break;
	case 8:
		if (fidx) {
			m->what = "prefix above 128 (policy)";
			r->have |= F_DADDR | F_DPREFIX;
			r->dprefix = 129 + rnd(127);
			m->expect = ERANGE;
			m->need_msg = false;
		} else {
			m->what = "ipv4 prefix above 32";
			r->have |= F_DADDR | F_DPREFIX;
			r->dprefix = 33 + rnd(96);
		}
		break;
	case 9:
		m->what = "port without a port protocol";
		r->have &= ~(F_ICMP_TYPE | F_ICMP_CODE | F_FLAGS | F_FLAGS_MASK);
		if (chance(50)) {
			r->have &= ~F_PROTO;
		} else {
			r->have |= F_PROTO;
			do
				r->proto = rnd(256);
			while (proto_has_ports(r->proto));
		}
		r->have |= F_DPORT;
		r->dport = rnd(65536);
		break;
	case 10:
		m->what = "port maximum without minimum";
		r->have |= F_PROTO;
		r->proto = 17;
		r->have &= ~(F_ICMP_TYPE | F_ICMP_CODE | F_FLAGS | F_FLAGS_MASK |
			     F_SPORT);
		r->have |= F_SPORT_MAX;
		r->sport_max = rnd(65536);
		break;
	case 11:
		m->what = "port range reversed";
		r->have |= F_PROTO;
		r->proto = 6;
		r->have &= ~(F_ICMP_TYPE | F_ICMP_CODE);
		r->have |= F_DPORT | F_DPORT_MAX;
		r->dport = 1 + rnd(65535);
		r->dport_max = rnd(r->dport);
		break;
	case 12:
		m->what = "icmp type with the wrong protocol";
		r->have &= ~(F_SPORT | F_SPORT_MAX | F_DPORT | F_DPORT_MAX |
			     F_FLAGS | F_FLAGS_MASK);
		if (chance(30)) {
			r->have &= ~F_PROTO;
		} else {
			r->have |= F_PROTO;
			/* The other family's ICMP, or anything else. */
			r->proto = chance(50) ? (fidx ? 1 : 58) : 6;
		}
		r->have |= F_ICMP_TYPE;
		r->icmp_type = rnd(256);
		break;
	case 13:
		m->what = "icmp code without type";
		r->have |= F_PROTO;
		r->proto = fidx ? 58 : 1;
		r->have &= ~(F_SPORT | F_SPORT_MAX | F_DPORT | F_DPORT_MAX |
			     F_FLAGS | F_FLAGS_MASK | F_ICMP_TYPE);
		r->have |= F_ICMP_CODE;
		break;
	case 14:
		m->what = "tcp flags without tcp";
		r->have &= ~(F_SPORT | F_SPORT_MAX | F_DPORT | F_DPORT_MAX |
			     F_ICMP_TYPE | F_ICMP_CODE | F_FLAGS_MASK);
		r->have |= F_PROTO | F_FLAGS;
		r->proto = 17;
		r->flags = rnd(256);
		break;
	case 15:
		m->what = "tcp flags mask without flags";
		r->have |= F_PROTO;
		r->proto = 6;
		r->have &= ~(F_ICMP_TYPE | F_ICMP_CODE | F_FLAGS);
		r->have |= F_FLAGS_MASK;
		break;
	case 16:
		m->what = "tcp flags outside their mask";
		r->have |= F_PROTO | F_FLAGS | F_FLAGS_MASK;
		r->proto = 6;
		r->have &= ~(F_ICMP_TYPE | F_ICMP_CODE);
		r->flags_mask = rnd(255);
		r->flags = (rnd(256) | ~r->flags_mask) & 0xff;
		break;
	case 17:
		m->what = "empty interface name";
		if (r->hook <= 2) {
			r->have |= F_IIF;
			r->iif[0] = 0;
			r->iif_len = 1 + rnd(8);
		} else {
			r->have |= F_OIF;
			r->oif[0] = 0;
			r->oif_len = 1 + rnd(8);
		}
		break;
	case 18:
		m->what = "input interface at output/postrouting";
		r->hook = 3 + rnd(2);
		r->have &= ~(F_INDEX | F_IIF);
		r->have |= F_IIF;
		rnd_ifname(r->iif, &r->iif_len, 15);
		break;
	case 19:
		m->what = "output interface at prerouting/input";
		r->hook = rnd(2);
		r->have &= ~(F_INDEX | F_IIF | F_OIF);
		r->have |= F_OIF;
		rnd_ifname(r->oif, &r->oif_len, 15);
		break;
	case 20:
		m->what = "interface name too long (policy)";
		r->hook = rnd(3);
		r->have &= ~(F_INDEX | F_OIF);
		r->have |= F_IIF;
		rnd_ifname(r->iif, &r->iif_len, 30);
		if (r->iif_len < 17) {
			rnd_text(r->iif, 16 + rnd(10));
			r->iif_len = strlen(r->iif) + 1;
		}
		m->need_msg = false;
		break;
	case 21:
		m->what = "comment too long or without NUL (policy)";
		r->have |= F_COMMENT;
		rnd_text(r->comment, 64 + rnd(60));
		r->comment_len = strlen(r->comment) + chance(50);
		if (chance(30)) {	/* short, but no NUL at all */
			r->comment_len = 1 + rnd(60);
			r->comment[r->comment_len] = 0;
		}
		m->need_msg = false;
		break;
	case 22:
		m->what = "length range reversed";
		r->have |= F_LEN_MIN | F_LEN_MAX;
		r->len_min = 1 + rnd(100000);
		r->len_max = rnd(r->len_min);
		break;
	case 23:
		if (in_replace) {
			m->what = "rule id 0 (policy)";
			r->have |= F_ID;
			r->id = 0;
			m->expect = ERANGE;
			m->need_msg = false;
		} else {
			m->what = "initial counters in a rule add";
			r->have |= F_COUNTERS;
			r->packets = rnd64();
		}
		break;
	case 24:
		if (chance(30)) {
			m->what = "index 4294967295 (no way to append)";
			r->have |= F_INDEX;
			r->index = 0xffffffff;
		} else if (in_replace) {
			m->what = "index in a replace beyond the staged hook";
			r->have |= F_INDEX;
			r->index = 1000000 + rnd(1000);
		} else {
			m->what = "index beyond the end of the hook";
			r->have |= F_INDEX;
			r->index = hook_count(fidx, r->hook) + 1 + rnd(1000);
		}
		m->expect = ERANGE;
		break;
	case 25:
		m->what = "ct state without a state";
		r->have |= F_CT_STATE;
		r->ct_state = 0;
		break;
	case 26:
		m->what = "ct state with an unknown bit (policy)";
		r->have |= F_CT_STATE;
		r->ct_state = (1 + rnd(NFHOOK_CT_STATE_ALL)) |
			      (uint32_t)(NFHOOK_CT_STATE_ALL + 1) << rnd(27);
		m->need_msg = false;
		break;
	default:
		m->what = "rule nest without NLA_F_NESTED (policy)";
		m->need_msg = false;
		break;
	}
}

/* Answers *****************************************************************/

static int rule_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t <= NFHOOK_RULE_A_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static int top_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t <= NFHOOK_A_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static void data_msg(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFHOOK_A_MAX + 1] = { 0 };
	const struct nlattr *rtb[NFHOOK_RULE_A_MAX + 1] = { 0 };
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(nlh);

	mnl_attr_parse(nlh, GENL_HDRLEN, top_attr_cb, tb);
	if (tb[NFHOOK_A_TRACE_ID] && gh->cmd == NFHOOK_CMD_TRACE_START)
		g.reply_trace_id = mnl_attr_get_u32(tb[NFHOOK_A_TRACE_ID]);
	if (tb[NFHOOK_A_RULE_COUNT] && gh->cmd == NFHOOK_CMD_INFO_GET) {
		g.reply_rule_count = mnl_attr_get_u32(tb[NFHOOK_A_RULE_COUNT]);
		g.reply_has_count = true;
	}
	if (!tb[NFHOOK_A_RULE])
		return;
	mnl_attr_parse_nested(tb[NFHOOK_A_RULE], rule_attr_cb, rtb);
	if (!rtb[NFHOOK_RULE_A_ID] || !rtb[NFHOOK_RULE_A_FAMILY] ||
	    !rtb[NFHOOK_RULE_A_HOOK])
		return;
	g.reply_id = mnl_attr_get_u32(rtb[NFHOOK_RULE_A_ID]);
	g.reply_fidx = fidx_of(mnl_attr_get_u32(rtb[NFHOOK_RULE_A_FAMILY]));
	g.reply_hook = mnl_attr_get_u32(rtb[NFHOOK_RULE_A_HOOK]);
	if (gh->cmd == NFHOOK_CMD_RULE_GET) {
		g.dump_rules++;
		if (g.ndumped < MAX_RULES + 64)
			g.dumped[g.ndumped++] = (struct rule_ref){
				g.reply_id, g.reply_fidx, g.reply_hook };
	}
}

static int ext_ack_cb(const struct nlattr *a, void *data)
{
	(void)data;
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(g.extack, sizeof(g.extack), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/*
 * Sends @m and reads the answer: returns 0 (ack or dump done), a positive
 * errno, or -1 if the kernel did not answer in time (fatal).
 */
static int transact(struct msg *m)
{
	char buf[32768];
	uint32_t seq = m->nlh->nlmsg_seq;
	bool want_ack = m->nlh->nlmsg_flags & NLM_F_ACK;

	g.reply_id = 0;
	g.reply_trace_id = 0;
	g.reply_has_count = false;
	g.dump_rules = 0;
	g.ndumped = 0;
	g.data_msgs = 0;
	g.error_in_done = false;
	g.extack[0] = 0;
	if (mnl_socket_sendto(g.nl, m->nlh, m->nlh->nlmsg_len) < 0) {
		perror("nlfuzz: send");
		return -1;
	}
	g.sent++;
	if (!want_ack)
		return 0;

	for (;;) {
		int len = mnl_socket_recvfrom(g.nl, buf, sizeof(buf));
		const struct nlmsghdr *nlh;

		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				fprintf(stderr, "nlfuzz: no answer within 5 s to message %lu (%s)\n",
					g.sent, m->what);
			else
				perror("nlfuzz: recv");
			return -1;
		}
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* a late answer to an earlier one */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(nlh, sizeof(*e), ext_ack_cb, NULL);
				return -e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				const int *err = mnl_nlmsg_get_payload(nlh);

				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(nlh, sizeof(*err), ext_ack_cb, NULL);
				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
					return 0;
				g.error_in_done = *err != 0;
				return -*err;
			}
			if (nlh->nlmsg_type == g.family) {
				g.data_msgs++;
				data_msg(nlh);
			}
		}
	}
}

static void report(const char *fmt, ...)
{
	va_list ap;

	g.mismatches++;
	if (g.mismatches > MAX_REPORTS)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "nlfuzz: MISMATCH: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/*
 * Sends @m, checks the answer against the expectation (adjusted for an
 * unprivileged caller) and returns the answer.  A missing answer ends the
 * run.
 */
static int run(struct msg *m)
{
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(m->nlh);
	int expect = m->expect, got;
	bool need_msg = m->need_msg;

	/* Every command needs CAP_NET_ADMIN, checked before the attributes. */
	if (g.unpriv && !m->early) {
		expect = EPERM;
		need_msg = false;
	}
	got = transact(m);
	if (got < 0) {
		fprintf(stderr, "nlfuzz: the kernel stopped answering\n");
		exit(1);
	}
	if (got == 0)
		g.acks++;
	else
		g.errors++;
	if (got < (int)(sizeof(g.by_errno) / sizeof(g.by_errno[0])))
		g.by_errno[got]++;
	if (g.verbose)
		printf("#%lu cmd %u%s %s: expected %d, got %d%s%s\n", g.sent,
		       gh->cmd, m->dump ? " dump" : "", m->what, expect, got,
		       g.extack[0] ? ": " : "", g.extack);

	if (expect == EXPECT_ANY ? got == 0 : got != expect)
		report("message %lu (cmd %u%s, %s): expected %s%s, got %s%s%s",
		       g.sent, gh->cmd, m->dump ? " dump" : "", m->what,
		       expect == EXPECT_ANY ? "an error" : expect ? "error " : "ack",
		       expect > 0 ? strerror(expect) : "",
		       got ? "error " : "ack", got ? strerror(got) : "",
		       g.extack[0] ? ": " : "", g.extack);
	else if (got && need_msg && strncmp(g.extack, "nfhook: ", 8))
		report("message %lu (cmd %u%s, %s): error %s without an nfhook extack message (got '%s')",
		       g.sent, gh->cmd, m->dump ? " dump" : "", m->what,
		       strerror(got), g.extack);
	if (g.unpriv && g.data_msgs)
		report("message %lu (cmd %u%s, %s): %u data messages to an unprivileged caller",
		       g.sent, gh->cmd, m->dump ? " dump" : "", m->what,
		       g.data_msgs);
	/* Refused by the core: nfhook never ran, a dump never started. */
	if (g.unpriv && got == EPERM &&
	    (g.error_in_done || !strncmp(g.extack, "nfhook: ", 8)))
		report("message %lu (cmd %u%s, %s): EPERM %s%s, not the core's refusal before the command ran",
		       g.sent, gh->cmd, m->dump ? " dump" : "", m->what,
		       g.error_in_done ? "in NLMSG_DONE" : "with the message ",
		       g.error_in_done ? "" : g.extack);
	return got;
}

/* The model **************************************************************/

static void model_add(uint32_t id, int fidx, int hook)
{
	if (g.nrules < MAX_RULES + 64)
		g.rules[g.nrules++] = (struct rule_ref){ id, fidx, hook };
}

static void model_del(unsigned int i)
{
	g.rules[i] = g.rules[--g.nrules];
}

static void model_flush(int fidx, int hook)
{
	unsigned int i = 0;

	while (i < g.nrules) {
		if ((fidx < 0 || g.rules[i].fidx == fidx) &&
		    (hook < 0 || g.rules[i].hook == hook))
			model_del(i);
		else
			i++;
	}
}

/* Re-reads the rules (after a commit: new ids). */
static void model_resync(void)
{
	struct msg m;

	msg_start(&m, NFHOOK_CMD_RULE_GET, NLM_F_DUMP);
	m.what = "rule dump to resync the model";
	if (run(&m))
		return;
	memcpy(g.rules, g.dumped, g.ndumped * sizeof(g.rules[0]));
	g.nrules = g.ndumped;
}

/* Generators **************************************************************/

static void gen_bad_cmd(struct msg *m)
{
	uint8_t cmd = chance(20) ? 0 : NFHOOK_CMD_MAX + 1 + rnd(255 - NFHOOK_CMD_MAX);

	msg_start(m, cmd, chance(30) ? NLM_F_DUMP : 0);
	if (chance(50))
		put_u32(m, NFHOOK_A_FAMILY, NFPROTO_IPV4);
	m->what = "unknown command";
	m->expect = EOPNOTSUPP;
	m->early = true;
}

static void gen_short(struct msg *m)
{
	msg_start(m, 1 + rnd(NFHOOK_CMD_MAX), 0);
	m->nlh->nlmsg_len = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
	m->what = "message shorter than the genl header";
	m->expect = EINVAL;
	m->early = true;
}

static void gen_bad_header(struct msg *m)
{
	static const uint16_t bad_flags[] = {
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_DUMP_INTR,
		NLM_F_DUMP_FILTERED, 0x40, 0x800, 0x8000,
	};

	uint8_t cmd = rnd(256);

	/*
	 * Without the core's header check (5.10) the message is handled as
	 * if its header were clean: only commands with a known, harmless
	 * answer then, an unknown one or INFO_GET.
	 */
	if (!kern.genl_header_check)
		cmd = cmd & 1 ? NFHOOK_CMD_MAX + 1 + cmd % (255 - NFHOOK_CMD_MAX) :
				NFHOOK_CMD_INFO_GET;
	msg_start(m, cmd, 0);
	if (chance(50)) {
		((struct genlmsghdr *)mnl_nlmsg_get_payload(m->nlh))->reserved =
			1 + rnd(0xffff);
		m->what = "genl reserved field not 0";
	} else {
		m->nlh->nlmsg_flags |= bad_flags[rnd(8)];
		m->what = "reserved nlmsg flags";
	}
	if (kern.genl_header_check) {
		m->expect = EINVAL;
		m->early = true;
	} else {
		/* A clean INFO_GET, which needs CAP_NET_ADMIN like any. */
		m->expect = cmd == NFHOOK_CMD_INFO_GET ? 0 : EOPNOTSUPP;
		m->early = cmd != NFHOOK_CMD_INFO_GET;
	}
}

static void gen_no_request(struct msg *m)
{
	msg_start(m, rnd(256), 0);
	m->nlh->nlmsg_flags &= ~NLM_F_REQUEST;
	m->what = "no NLM_F_REQUEST: ignored, acked";
	m->expect = 0;
	m->early = true;
}

/* Top-level attributes: a mix of good ones and at least one broken one. */
static void gen_junk(struct msg *m)
{
	static const uint16_t unsupported[] = {
		NFHOOK_A_UNSPEC, NFHOOK_A_PAD, NFHOOK_A_VERSION,
		NFHOOK_A_MAX_RULES, NFHOOK_A_RULE_COUNT,
		NFHOOK_A_DEFAULT_PRIORITY, NFHOOK_A_COUNTERS,
		NFHOOK_A_RULE_COUNT_HOOK,
	};
	static const uint16_t fixed32[] = {
		NFHOOK_A_FAMILY, NFHOOK_A_HOOK, NFHOOK_A_PRIORITY,
		NFHOOK_A_POLICY,
	};
	unsigned int i, n = rnd(4), bad = rnd(n + 1);
	unsigned char data[96];
	uint8_t cmd = 1 + rnd(NFHOOK_CMD_MAX);
	bool dumpable = cmd == NFHOOK_CMD_HOOK_GET || cmd == NFHOOK_CMD_RULE_GET ||
			cmd == NFHOOK_CMD_PIPELINE_GET;
	const char *what = "";

	msg_start(m, cmd, dumpable && chance(60) ? NLM_F_DUMP : 0);
	for (i = 0; i <= n; i++) {
		size_t len;

		rnd_bytes(data, sizeof(data));
		if (i != bad) {
			/* Something well-formed (its value may still be refused). */
			switch (rnd(3)) {
			case 0:
				put_u32(m, fixed32[rnd(4)], rnd(chance(50) ? 12 : 0xffffffff));
				break;
			case 1:
				put_u8(m, NFHOOK_A_ENABLED, rnd(2));
				break;
			default:
				put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
				break;
			}
			continue;
		}
		switch (rnd(10)) {
		case 0:
			what = "unknown attribute type";
			len = rnd(40);
			put_raw(m, NLA_HDRLEN + len, NFHOOK_A_MAX + 1 + rnd(0x3fff - NFHOOK_A_MAX),
				data, len);
			break;
		case 1:
			what = "attribute not taken in requests";
			len = rnd(20);
			put_raw(m, NLA_HDRLEN + len, unsupported[rnd(8)], data, len);
			break;
		case 2:
			what = "u32 attribute of the wrong length";
			do
				len = rnd(12);
			while (len == 4);
			put_raw(m, NLA_HDRLEN + len, fixed32[rnd(4)], data, len);
			break;
		case 3:
			what = "u8/flag attribute of the wrong length";
			if (chance(50)) {
				len = chance(50) ? 0 : 2 + rnd(8);
				put_raw(m, NLA_HDRLEN + len, NFHOOK_A_ENABLED, data, len);
			} else {
				len = 1 + rnd(8);
				put_raw(m, NLA_HDRLEN + len, NFHOOK_A_RESET, data, len);
			}
			break;
		case 4:
			what = "enabled above 1";
			put_u8(m, NFHOOK_A_ENABLED, 2 + rnd(254));
			break;
		case 5:
			what = "nest flag on a plain attribute";
			put_raw(m, NLA_HDRLEN + 4, NFHOOK_A_FAMILY | NLA_F_NESTED,
				data, 4);
			break;
		case 6:
			what = "attribute length beyond the message";
			len = rnd(16);
			put_raw(m, NLA_HDRLEN + len + 4 + rnd(200), NFHOOK_A_FAMILY,
				data, len);
			break;
		case 7:
			what = "attribute length below its header";
			put_raw(m, rnd(NLA_HDRLEN), NFHOOK_A_FAMILY, data, 4);
			break;
		case 8: {
			/* A rule nest holding garbage attributes. */
			struct nlattr *nest = mnl_attr_nest_start(m->nlh, NFHOOK_A_RULE);

			what = "rule nest of garbage";
			len = rnd(24);
			switch (rnd(3)) {
			case 0:
				put_raw(m, NLA_HDRLEN + len,
					NFHOOK_RULE_A_MAX + 1 + rnd(100), data, len);
				break;
			case 1:
				put_raw(m, NLA_HDRLEN + len,
					chance(50) ? NFHOOK_RULE_A_UNSPEC :
						     NFHOOK_RULE_A_PAD, data, len);
				break;
			default:
				do
					len = rnd(12);
				while (len == 4);
				put_raw(m, NLA_HDRLEN + len, NFHOOK_RULE_A_FAMILY,
					data, len);
				break;
			}
			mnl_attr_nest_end(m->nlh, nest);
			break;
		}
		default:
			what = "trailing bytes after the attributes";
			/* Added after the loop, so that nothing follows. */
			i = n;
			bad = n + 100;
			break;
		}
	}
	if (bad == n + 100) {
		size_t extra = 1 + rnd(3);

		memset((char *)m->nlh + m->nlh->nlmsg_len, 0xa5, extra);
		m->nlh->nlmsg_len += extra;
	}
	m->what = what;
	m->expect = EXPECT_ANY;
	if (cmd == NFHOOK_CMD_TRACE_EVENT) {
		/* Sent by the kernel only: no operation, an unknown command. */
		m->expect = EOPNOTSUPP;
		m->early = true;
		return;
	}
	if (!m->dump && (cmd == NFHOOK_CMD_RULE_GET ||
			 cmd == NFHOOK_CMD_PIPELINE_GET)) {
		/*
		 * No doit: refused before parsing, and from 6.2 even before
		 * the permission check (see struct kernel_traits).
		 */
		m->expect = EOPNOTSUPP;
		m->early = kern.split_cmd_lookup;
	}
}

static void gen_rule_add(struct msg *m, bool good)
{
	struct rule_desc r;
	bool nested = true;

	rule_random(&r, false);
	msg_start(m, NFHOOK_CMD_RULE_ADD, chance(10) ? NLM_F_ECHO : 0);
	m->what = "valid rule add";
	if (!good) {
		rule_defect(m, &r, false);
		nested = strcmp(m->what, "rule nest without NLA_F_NESTED (policy)");
	}
	rule_put(m, &r, nested);
	if (run(m) == 0 && !g.unpriv) {
		if (!g.reply_id || g.reply_fidx != fidx_of(r.family) ||
		    g.reply_hook != (int)r.hook)
			report("rule add %lu: reply without the rule's id, family and hook",
			       g.sent);
		model_add(g.reply_id, fidx_of(r.family), r.hook);
	}
}

static void gen_rule_del(struct msg *m)
{
	struct rule_desc r = { 0 };
	unsigned int i = 0;
	int kind = rnd(10);

	msg_start(m, NFHOOK_CMD_RULE_DEL, 0);
	if (kind < 6 && g.nrules) {
		i = rnd(g.nrules);
		r.have = F_ID;
		r.id = g.rules[i].id;
		/* Other rule attributes are ignored. */
		if (chance(30))
			r.have |= F_FAMILY | F_HOOK;
		r.family = families[rnd(2)];
		r.hook = rnd(5);
		m->what = "delete a rule that exists";
		rule_put(m, &r, true);
		if (run(m) == 0 && !g.unpriv)
			model_del(i);
		return;
	}
	m->need_msg = true;
	switch (kind) {
	case 6:
	case 7: {
		bool taken;

		do {
			r.id = 1 + rnd(chance(50) ? 1000 : 0xfffffffe);
			taken = false;
			for (i = 0; i < g.nrules; i++)
				taken |= g.rules[i].id == r.id;
		} while (taken);
		r.have = F_ID;
		m->what = "delete an unknown rule id";
		m->expect = ENOENT;
		rule_put(m, &r, true);
		break;
	}
	case 8:
		r.have = chance(50) ? F_FAMILY : 0;
		r.family = NFPROTO_IPV4;
		m->what = "delete without a rule id";
		m->expect = EINVAL;
		if (chance(50))
			rule_put(m, &r, true);
		break;
	default:
		r.have = F_ID;
		r.id = 0;
		m->what = "delete rule id 0 (policy)";
		m->expect = ERANGE;
		m->need_msg = false;
		rule_put(m, &r, true);
		break;
	}
	run(m);
}

/*
 * TRACE_START and TRACE_STOP.  The traces belong to this socket: at most
 * NFHOOK_TRACES_MAX at once (ENOSPC beyond), and they end with it.
 */
static void gen_trace(struct msg *m)
{
	struct rule_desc r = { .have = F_FAMILY };
	int kind = rnd(12);
	unsigned int i;
	bool full = g.ntraces == NFHOOK_TRACES_MAX;

	r.family = families[rnd(2)];
	if (kind < 4) {
		msg_start(m, NFHOOK_CMD_TRACE_START, 0);
		if (chance(50)) {
			r.have |= F_PROTO | F_DPORT;
			r.proto = 17;
			r.dport = 1 + rnd(65535);
		}
		rule_put(m, &r, true);
		if (chance(50))
			put_u32(m, NFHOOK_A_TRACE_RATE,
				1 + rnd(NFHOOK_TRACE_RATE_MAX));
		if (chance(30))
			put_u32(m, NFHOOK_A_TRACE_LIMIT, rnd(100));
		m->what = full ? "trace start beyond the limit" :
				 "valid trace start";
		m->expect = full ? ENOSPC : 0;
		m->need_msg = full;
		if (run(m) == 0 && !g.unpriv) {
			if (!g.reply_trace_id)
				report("trace start %lu: reply without a trace id",
				       g.sent);
			else
				g.traces[g.ntraces++] = g.reply_trace_id;
		}
		return;
	}
	if (kind < 6 && g.ntraces) {
		i = rnd(g.ntraces);
		msg_start(m, NFHOOK_CMD_TRACE_STOP, 0);
		put_u32(m, NFHOOK_A_TRACE_ID, g.traces[i]);
		m->what = "stop a running trace";
		if (run(m) == 0 && !g.unpriv)
			g.traces[i] = g.traces[--g.ntraces];
		return;
	}
	msg_start(m, NFHOOK_CMD_TRACE_START, 0);
	m->need_msg = true;
	m->expect = EINVAL;
	switch (kind) {
	case 6:
		r.have |= F_HOOK;
		r.hook = rnd(5);
		m->what = "trace selector with a hook";
		rule_put(m, &r, true);
		break;
	case 7:
		r.have |= F_ACTION;
		r.action = NFHOOK_ACTION_DROP;
		m->what = "trace selector with an action";
		rule_put(m, &r, true);
		break;
	case 8:
		r.have = F_PROTO;
		r.proto = 6;
		m->what = "trace selector without a family";
		rule_put(m, &r, true);
		break;
	case 9:
		m->what = "trace start without a selector";
		break;
	case 10:
		rule_put(m, &r, true);
		put_u32(m, NFHOOK_A_TRACE_RATE,
			chance(50) ? 0 : NFHOOK_TRACE_RATE_MAX + 1 + rnd(1000));
		m->what = "trace rate out of range (policy)";
		m->expect = ERANGE;
		m->need_msg = false;
		break;
	default: {
		uint32_t id;
		bool taken;

		do {
			id = 1 + rnd(1000);
			taken = false;
			for (i = 0; i < g.ntraces; i++)
				taken |= g.traces[i] == id;
		} while (taken);
		msg_start(m, NFHOOK_CMD_TRACE_STOP, 0);
		put_u32(m, NFHOOK_A_TRACE_ID, id);
		m->what = "stop an unknown trace";
		m->expect = ENOENT;
		m->need_msg = true;
		break;
	}
	}
	run(m);
}

/* INFO_GET, HOOK_GET and RULE_GET, checked against the model. */
static void gen_read(struct msg *m)
{
	int kind = rnd(6), fidx = -1, hook = -1, got;
	bool reset = chance(15);
	unsigned int i, want;

	switch (kind) {
	case 0:
		msg_start(m, NFHOOK_CMD_INFO_GET, 0);
		m->what = "info";
		got = run(m);
		if (!got && (!g.reply_has_count || g.reply_rule_count != g.nrules))
			report("info %lu: rule count %u, the model has %u",
			       g.sent, g.reply_rule_count, g.nrules);
		return;
	case 1:
		msg_start(m, NFHOOK_CMD_HOOK_GET, 0);
		m->what = "hook get";
		put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
		put_u32(m, NFHOOK_A_HOOK, rnd(5));
		break;
	case 2:
		msg_start(m, NFHOOK_CMD_HOOK_GET, NLM_F_DUMP);
		m->what = "hook dump";
		if (chance(50))
			put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
		break;
	case 3:
		msg_start(m, NFHOOK_CMD_HOOK_GET, chance(50) ? NLM_F_DUMP : 0);
		m->need_msg = true;
		m->expect = EINVAL;
		switch (rnd(4)) {
		case 0:
			m->what = "hook get/dump: hook without family";
			put_u32(m, NFHOOK_A_HOOK, rnd(5));
			break;
		case 1:
			m->what = "hook get/dump: hook above 4 (policy)";
			put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
			put_u32(m, NFHOOK_A_HOOK, 5 + rnd(100));
			m->expect = ERANGE;
			m->need_msg = false;
			break;
		case 2:
			m->what = "hook get/dump: family outside 2..10 (policy)";
			put_u32(m, NFHOOK_A_FAMILY, chance(30) ? rnd(2) : 11 + rnd(1000));
			m->expect = ERANGE;
			m->need_msg = false;
			break;
		default:
			m->what = "hook get/dump: unknown family 3..9";
			put_u32(m, NFHOOK_A_FAMILY, 3 + rnd(7));
			break;
		}
		reset = false;
		break;
	default:
		msg_start(m, NFHOOK_CMD_RULE_GET, NLM_F_DUMP);
		m->what = "rule dump";
		if (chance(60)) {
			fidx = rnd(2);
			put_u32(m, NFHOOK_A_FAMILY, families[fidx]);
			if (chance(60)) {
				hook = rnd(5);
				put_u32(m, NFHOOK_A_HOOK, hook);
			}
		}
		break;
	}
	if (reset)
		mnl_attr_put(m->nlh, NFHOOK_A_RESET, 0, NULL);
	got = run(m);
	if (got || m->nlh->nlmsg_seq == 0 || kind < 4)
		return;
	for (i = 0, want = 0; i < g.nrules; i++)
		if ((fidx < 0 || g.rules[i].fidx == fidx) &&
		    (hook < 0 || g.rules[i].hook == hook))
			want++;
	if (g.dump_rules != want)
		report("rule dump %lu (family %d hook %d): %u rules, the model has %u",
		       g.sent, fidx, hook, g.dump_rules, want);
}

static void gen_hook_set(struct msg *m)
{
	bool any = false;

	msg_start(m, NFHOOK_CMD_HOOK_SET, 0);
	if (chance(60)) {
		m->what = "valid hook set";
		put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
		put_u32(m, NFHOOK_A_HOOK, rnd(5));
		if (chance(50)) {
			put_u32(m, NFHOOK_A_PRIORITY, chance(50) ? rnd(600) - 300 :
				  (uint32_t)rnd64());
			any = true;
		}
		if (chance(50)) {
			put_u8(m, NFHOOK_A_ENABLED, rnd(2));
			any = true;
		}
		if (chance(50) || !any)
			put_u32(m, NFHOOK_A_POLICY, 1 + rnd(2));
		return;
	}
	m->need_msg = true;
	m->expect = EINVAL;
	switch (rnd(5)) {
	case 0:
		m->what = "hook set without family";
		put_u32(m, NFHOOK_A_HOOK, rnd(5));
		put_u32(m, NFHOOK_A_POLICY, 1);
		break;
	case 1:
		m->what = "hook set without hook";
		put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
		put_u32(m, NFHOOK_A_POLICY, 1);
		break;
	case 2:
		m->what = "hook set with nothing to set";
		put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
		put_u32(m, NFHOOK_A_HOOK, rnd(5));
		break;
	case 3:
		m->what = "hook set with policy not accept or drop (policy)";
		put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
		put_u32(m, NFHOOK_A_HOOK, rnd(5));
		put_u32(m, NFHOOK_A_POLICY, chance(30) ? 0 : 3 + rnd(1000));
		m->expect = ERANGE;
		m->need_msg = false;
		break;
	default:
		if (chance(50)) {
			m->what = "hook set on a hook above 4 (policy)";
			put_u32(m, NFHOOK_A_FAMILY, families[rnd(2)]);
			put_u32(m, NFHOOK_A_HOOK, 5 + rnd(1000));
			m->expect = ERANGE;
			m->need_msg = false;
		} else {
			m->what = "hook set on an unknown family 3..9";
			put_u32(m, NFHOOK_A_FAMILY, 3 + rnd(7));
			put_u32(m, NFHOOK_A_HOOK, rnd(5));
		}
		put_u32(m, NFHOOK_A_POLICY, 1);
		break;
	}
}

static void gen_flush(struct msg *m)
{
	int fidx = -1, hook = -1;

	msg_start(m, NFHOOK_CMD_FLUSH, 0);
	switch (rnd(6)) {
	case 0:
		m->what = "flush: hook without family";
		put_u32(m, NFHOOK_A_HOOK, rnd(5));
		m->expect = EINVAL;
		m->need_msg = true;
		break;
	case 1:
		if (chance(50)) {
			m->what = "flush: family outside 2..10 (policy)";
			put_u32(m, NFHOOK_A_FAMILY, chance(30) ? rnd(2) : 11 + rnd(100));
			m->expect = ERANGE;
		} else {
			m->what = "flush: unknown family 3..9";
			put_u32(m, NFHOOK_A_FAMILY, 3 + rnd(7));
			m->expect = EINVAL;
			m->need_msg = true;
		}
		break;
	case 2:
		m->what = "flush one family";
		fidx = rnd(2);
		put_u32(m, NFHOOK_A_FAMILY, families[fidx]);
		break;
	case 3:
		m->what = "flush all";
		break;
	default:
		m->what = "flush one hook";
		fidx = rnd(2);
		hook = rnd(5);
		put_u32(m, NFHOOK_A_FAMILY, families[fidx]);
		put_u32(m, NFHOOK_A_HOOK, hook);
		break;
	}
	if (run(m) == 0 && !m->expect && !g.unpriv)
		model_flush(fidx, hook);
}

/*
 * A replace transaction: BEGIN, rules and hooks, perhaps a second BEGIN
 * (EBUSY) or a bad rule (which aborts it: the next messages get EINVAL),
 * then COMMIT or ABORT.
 */
static void gen_replace(void)
{
	unsigned int i, n = rnd(40), nstaged = 0;
	bool open = true, bad_done = false;
	struct msg m;

	msg_start(&m, NFHOOK_CMD_REPLACE_BEGIN, 0);
	m.what = "replace begin";
	if (run(&m))
		return;		/* unprivileged: nothing more to try */

	for (i = 0; i < n; i++) {
		struct rule_desc r;

		if (chance(5)) {
			msg_start(&m, NFHOOK_CMD_REPLACE_BEGIN, 0);
			m.what = "second replace begin";
			m.expect = EBUSY;
			m.need_msg = true;
			if (!open)
				m.expect = 0;	/* the aborted one is gone */
			if (run(&m) == 0) {
				open = true;
				nstaged = 0;
				bad_done = false;
			}
			continue;
		}
		if (chance(10)) {
			msg_start(&m, NFHOOK_CMD_REPLACE_HOOK, 0);
			m.what = "replace hook";
			put_u32(&m, NFHOOK_A_FAMILY, families[rnd(2)]);
			put_u32(&m, NFHOOK_A_HOOK, rnd(5));
			put_u32(&m, NFHOOK_A_POLICY, 1 + rnd(2));
			if (chance(50))
				put_u8(&m, NFHOOK_A_ENABLED, rnd(2));
			if (!open) {
				m.expect = EINVAL;
				m.need_msg = true;
			}
			run(&m);
			continue;
		}
		rule_random(&r, true);
		msg_start(&m, NFHOOK_CMD_REPLACE_RULE, 0);
		m.what = "replace rule";
		if (!bad_done && chance(8)) {
			rule_defect(&m, &r, true);
			/* Policy errors never reach nfhook: no abort then. */
			if (!strstr(m.what, "(policy)")) {
				bad_done = true;
				rule_put(&m, &r, true);
				run(&m);
				open = false;
				continue;
			}
			rule_put(&m, &r, strcmp(m.what, "rule nest without NLA_F_NESTED (policy)"));
			run(&m);
			continue;
		}
		rule_put(&m, &r, true);
		if (!open) {
			m.what = "replace rule after an abort";
			m.expect = EINVAL;
			m.need_msg = true;
		}
		if (run(&m) == 0 && open)
			nstaged++;
	}

	if (chance(60)) {
		msg_start(&m, NFHOOK_CMD_REPLACE_COMMIT, 0);
		m.what = "replace commit";
	} else {
		msg_start(&m, NFHOOK_CMD_REPLACE_ABORT, 0);
		m.what = "replace abort";
	}
	if (!open) {
		m.what = "commit/abort after an abort";
		m.expect = EINVAL;
		m.need_msg = true;
	}
	if (run(&m) == 0 && open &&
	    ((struct genlmsghdr *)mnl_nlmsg_get_payload(m.nlh))->cmd ==
	    NFHOOK_CMD_REPLACE_COMMIT) {
		model_resync();
		if (g.nrules != nstaged)
			report("replace commit %lu: %u rules after it, %u staged",
			       g.sent, g.nrules, nstaged);
	}
}

/* Family id, by name ******************************************************/

/* One group of CTRL_ATTR_MCAST_GROUPS: remembers the id of "events". */
static void mcast_group(const struct nlattr *grp)
{
	const struct nlattr *a, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			name = a;
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			id = a;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), NFHOOK_MCGRP_EVENTS))
		g.events_group = mnl_attr_get_u32(id);
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *grp;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
		mnl_attr_for_each_nested(grp, a)
			mcast_group(grp);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data);
	return MNL_CB_OK;
}

static uint16_t resolve_family(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;
	uint16_t id = 0;
	ssize_t len;
	int ret;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++g.seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFHOOK_GENL_NAME);
	if (mnl_socket_sendto(g.nl, nlh, nlh->nlmsg_len) < 0)
		return 0;
	do {
		len = mnl_socket_recvfrom(g.nl, buf, sizeof(buf));
		if (len < 0)
			return 0;
		ret = mnl_cb_run(buf, len, g.seq, mnl_socket_get_portid(g.nl),
				 family_cb, &id);
	} while (ret > 0);
	return ret < 0 ? 0 : id;
}

/*
 * Joining the "events" group, on a socket of its own: refused with EPERM
 * without CAP_NET_ADMIN (events tell about other users' traffic), allowed
 * with it.
 */
static void check_events_join(void)
{
	int want = g.unpriv ? EPERM : 0, got = 0;
	struct mnl_socket *nl;
	uint32_t grp = g.events_group;

	if (!grp) {
		report("the family has no \"%s\" multicast group",
		       NFHOOK_MCGRP_EVENTS);
		return;
	}
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlfuzz: netlink socket for the events group");
		exit(1);
	}
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		got = errno;
	mnl_socket_close(nl);
	printf("nlfuzz: joining the events group (%u): %s\n", grp,
	       got ? strerror(got) : "joined");
	if (got != want)
		report("joining the events group%s: expected %s, got %s",
		       g.unpriv ? " unprivileged" : "",
		       want ? strerror(want) : "success",
		       got ? strerror(got) : "success");
}

/* Main ********************************************************************/

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nlfuzz [-s SEED] [-n COUNT] [-u] [-v]\n\n"
		"  -s SEED   PRNG seed (default: from the clock; always printed)\n"
		"  -n COUNT  messages to send (default 5000)\n"
		"  -u        the caller is unprivileged: every command and joining\n"
		"            the events group must fail with EPERM\n"
		"  -v        print every message and its answer\n"
		"  -C ROUNDS rule churn only: ROUNDS adds and deletes, all acked\n"
		"  -B RULES  only begin a replace transaction, stage RULES rules and\n"
		"            exit without committing (the socket's close aborts it)\n");
}

int main(int argc, char **argv)
{
	unsigned long count = 5000, seed = time(NULL) ^ getpid();
	struct timeval tv = { .tv_sec = 5 };
	int c, one = 1, e;
	long stage = -1, churn = -1;
	struct msg *m;
	char *end;

	while ((c = getopt(argc, argv, "s:n:uvhB:C:")) != -1) {
		switch (c) {
		case 'B':
		case 'C':
			*(c == 'B' ? &stage : &churn) = strtol(optarg, &end, 0);
			if (*end || *optarg == '-' || !*optarg) {
				fprintf(stderr, "nlfuzz: bad number '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
		case 'n':
			errno = 0;
			if (c == 's')
				seed = strtoul(optarg, &end, 0);
			else
				count = strtoul(optarg, &end, 0);
			if (errno || !*optarg || *end || *optarg == '-') {
				fprintf(stderr, "nlfuzz: bad number '%s'\n", optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 'u':
			g.unpriv = true;
			break;
		case 'v':
			g.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_state = seed;
	kernel_traits_init();
	printf("nlfuzz: seed %lu, %lu messages%s; genl header check: %s\n",
	       seed, count, g.unpriv ? ", unprivileged" : "",
	       kern.genl_header_check ? "yes" : "no (before 6.1)");

	g.nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g.nl || mnl_socket_bind(g.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlfuzz: netlink socket");
		return 1;
	}
	mnl_socket_setsockopt(g.nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g.nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(g.nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	g.family = resolve_family();
	if (!g.family) {
		fprintf(stderr, "nlfuzz: no generic netlink family '%s' (is nfhook.ko loaded?)\n",
			NFHOOK_GENL_NAME);
		return 1;
	}

	m = malloc(sizeof(*m));
	if (!m)
		return 1;
	if (churn < 0 && stage < 0)
		check_events_join();
	if (churn >= 0) {
		long round;

		g.count_only = true;
		for (round = 0; round < churn || g.nrules; round++) {
			if (round < churn) {
				gen_rule_add(m, true);
				if (g.nrules < 4)
					continue;
			}
			/* The oldest rule: model_del() moves the last to it. */
			msg_start(m, NFHOOK_CMD_RULE_DEL, 0);
			m->what = "churn: delete the oldest rule";
			{
				struct rule_desc r = { .have = F_ID, .id = g.rules[0].id };

				rule_put(m, &r, true);
			}
			if (run(m) == 0)
				model_del(0);
			else
				break;
		}
		printf("nlfuzz: churn: %lu messages, %lu acks, %lu mismatches\n",
		       g.sent, g.acks, g.mismatches);
		return g.mismatches ? 1 : 0;
	}
	if (stage >= 0) {
		msg_start(m, NFHOOK_CMD_REPLACE_BEGIN, 0);
		m->what = "replace begin";
		run(m);
		while (stage-- > 0) {
			struct rule_desc r;

			rule_random(&r, true);
			msg_start(m, NFHOOK_CMD_REPLACE_RULE, 0);
			m->what = "replace rule";
			rule_put(m, &r, true);
			run(m);
		}
		printf("nlfuzz: %lu messages, %lu mismatches; exiting with the transaction open\n",
		       g.sent, g.mismatches);
		return g.mismatches ? 1 : 0;
	}
	while (g.sent < count) {
		unsigned int w = rnd(100);

		/* Keep the model small: delete when it has grown. */
		if (g.nrules >= MAX_RULES) {
			gen_rule_del(m);
			continue;
		}
		if (w < 5)
			gen_bad_cmd(m);
		else if (w < 7)
			gen_short(m);
		else if (w < 10)
			gen_bad_header(m);
		else if (w < 12)
			gen_no_request(m);
		else if (w < 32)
			gen_junk(m);
		else if (w < 55) {
			gen_rule_add(m, false);
			continue;
		} else if (w < 75) {
			gen_rule_add(m, true);
			continue;
		} else if (w < 83) {
			gen_rule_del(m);
			continue;
		} else if (w < 91) {
			gen_read(m);
			continue;
		} else if (w < 93)
			gen_hook_set(m);
		else if (w < 95) {
			gen_trace(m);
			continue;
		}
		else if (w < 98) {
			gen_flush(m);
			continue;
		} else {
			gen_replace();
			continue;
		}
		run(m);
	}

	/* The end: the model must agree with the kernel, then flush. */
	msg_start(m, NFHOOK_CMD_INFO_GET, 0);
	m->what = "final info";
	if (!run(m) && g.reply_rule_count != g.nrules)
		report("final info: %u rules, the model has %u",
		       g.reply_rule_count, g.nrules);
	msg_start(m, NFHOOK_CMD_FLUSH, 0);
	m->what = "final flush";
	if (run(m) == 0 && !g.unpriv)
		g.nrules = 0;
	msg_start(m, NFHOOK_CMD_INFO_GET, 0);
	m->what = "info after the flush";
	if (!run(m) && g.reply_rule_count != g.nrules)
		report("info after the flush: %u rules, expected %u",
		       g.reply_rule_count, g.nrules);

	printf("nlfuzz: seed %lu: %lu messages, %lu acks, %lu errors (", seed,
	       g.sent, g.acks, g.errors);
	for (e = 1, c = 0; e < (int)(sizeof(g.by_errno) / sizeof(g.by_errno[0])); e++)
		if (g.by_errno[e])
			printf("%s%s %lu", c++ ? ", " : "", strerrorname_np(e) ?: "?",
			       g.by_errno[e]);
	printf("), %lu mismatches\n", g.mismatches);
	free(m);
	mnl_socket_close(g.nl);
	return g.mismatches ? 1 : 0;
}
