// SPDX-License-Identifier: GPL-2.0
/*
 * The name tables: one place for every word that stands for a number, read
 * by parse.c and written by format.c, output.c and the commands.
 */
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "names.h"
#include "util.h"

static const char *const family_names[] = {
	[NFPROTO_IPV4]	= "ipv4",
	[NFPROTO_IPV6]	= "ipv6",
};

static const char *const hook_names[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING]	= "prerouting",
	[NF_INET_LOCAL_IN]	= "input",
	[NF_INET_FORWARD]	= "forward",
	[NF_INET_LOCAL_OUT]	= "output",
	[NF_INET_POST_ROUTING]	= "postrouting",
};

static const char *const action_names[] = {
	[NFHOOK_ACTION_ACCEPT]	= "accept",
	[NFHOOK_ACTION_DROP]	= "drop",
	[NFHOOK_ACTION_COUNT]	= "count",
};

/* The name of @v in a sparse table indexed by value; NULL if none. */
static const char *table_name(const char *const *names, size_t n, uint32_t v)
{
	return v < n ? names[v] : NULL;
}

/* The index of @s in a sparse table indexed by value. */
static bool table_value(const char *const *names, size_t n, const char *s,
			uint32_t *v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*v = (uint32_t)i;
			return true;
		}
	}
	return false;
}

const char *nfh_family_name(uint32_t family)
{
	return table_name(family_names, NFH_ARRAY_SIZE(family_names), family);
}

const char *nfh_hook_name(uint32_t hook)
{
	return table_name(hook_names, NFH_ARRAY_SIZE(hook_names), hook);
}

const char *nfh_action_name(uint32_t action)
{
	return table_name(action_names, NFH_ARRAY_SIZE(action_names), action);
}

bool nfh_family_by_name(const char *s, uint32_t *family)
{
	return table_value(family_names, NFH_ARRAY_SIZE(family_names), s,
			   family);
}

bool nfh_hook_by_name(const char *s, uint32_t *hook)
{
	return table_value(hook_names, NFH_ARRAY_SIZE(hook_names), s, hook);
}

bool nfh_action_by_name(const char *s, uint32_t *action)
{
	return table_value(action_names, NFH_ARRAY_SIZE(action_names), s,
			   action);
}

/* PIPELINE_GET: enum nfhook_pipe_kind, netdev hooks, nftables families. */
static const char *const pipe_kind_names[] = {
	[NFHOOK_PIPE_KIND_UNKNOWN]	= "unknown",
	[NFHOOK_PIPE_KIND_NFHOOK]	= "nfhook",
	[NFHOOK_PIPE_KIND_CONNTRACK]	= "conntrack",
	[NFHOOK_PIPE_KIND_DEFRAG]	= "defrag",
	[NFHOOK_PIPE_KIND_NAT]		= "nat",
	[NFHOOK_PIPE_KIND_NFTABLES]	= "nftables",
	[NFHOOK_PIPE_KIND_IPTABLES]	= "iptables",
	[NFHOOK_PIPE_KIND_BPF]		= "bpf",
	[NFHOOK_PIPE_KIND_FLOWTABLE]	= "flowtable",
	[NFHOOK_PIPE_KIND_LSM]		= "lsm",
	[NFHOOK_PIPE_KIND_TRACE]	= "trace",
};

const char *nfh_pipe_kind_name(uint32_t kind)
{
	return table_name(pipe_kind_names, NFH_ARRAY_SIZE(pipe_kind_names),
			  kind);
}

static const char *const netdev_hook_names[] = {
	[NFH_NETDEV_INGRESS]	= "ingress",
	[NFH_NETDEV_EGRESS]	= "egress",
};

const char *nfh_netdev_hook_name(uint32_t hook)
{
	return table_name(netdev_hook_names, NFH_ARRAY_SIZE(netdev_hook_names),
			  hook);
}

bool nfh_netdev_hook_by_name(const char *s, uint32_t *hook)
{
	return table_value(netdev_hook_names,
			   NFH_ARRAY_SIZE(netdev_hook_names), s, hook);
}

static const char *const nft_family_names[] = {
	[NFPROTO_INET]		= "inet",
	[NFPROTO_IPV4]		= "ip",
	[NFPROTO_ARP]		= "arp",
	[NFPROTO_NETDEV]	= "netdev",
	[NFPROTO_BRIDGE]	= "bridge",
	[NFPROTO_IPV6]		= "ip6",
};

const char *nfh_nft_family_name(uint32_t family)
{
	return table_name(nft_family_names, NFH_ARRAY_SIZE(nft_family_names),
			  family);
}

const struct nfh_prio_name nfh_prio_names[NFH_NPRIO_NAMES] = {
	{ "raw",	-300 },
	{ "conntrack",	-200 },
	{ "mangle",	-150 },
	{ "dstnat",	-100 },
	{ "filter",	0 },
	{ "security",	50 },
	{ "srcnat",	100 },
};

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "icmp", IPPROTO_ICMP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmpv6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP },
	{ "udplite", IPPROTO_UDPLITE },
};

const char *nfh_proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < NFH_ARRAY_SIZE(proto_names); i++)
		if (proto_names[i].proto == proto)
			return proto_names[i].name;
	return NULL;
}

bool nfh_proto_by_name(const char *s, uint8_t *proto)
{
	size_t i;

	for (i = 0; i < NFH_ARRAY_SIZE(proto_names); i++) {
		if (!strcmp(s, proto_names[i].name)) {
			*proto = proto_names[i].proto;
			return true;
		}
	}
	return false;
}

struct icmp_name {
	const char *name;
	uint8_t type;
};

static const struct icmp_name icmp4_names[] = {
	{ "echo-reply", 0 },
	{ "destination-unreachable", 3 },
	{ "redirect", 5 },
	{ "echo-request", 8 },
	{ "router-advertisement", 9 },
	{ "router-solicitation", 10 },
	{ "time-exceeded", 11 },
	{ "parameter-problem", 12 },
	{ "timestamp-request", 13 },
	{ "timestamp-reply", 14 },
	{ NULL, 0 },
};

static const struct icmp_name icmp6_names[] = {
	{ "destination-unreachable", 1 },
	{ "packet-too-big", 2 },
	{ "time-exceeded", 3 },
	{ "parameter-problem", 4 },
	{ "echo-request", 128 },
	{ "echo-reply", 129 },
	{ "nd-router-solicit", 133 },
	{ "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 },
	{ "nd-neighbor-advert", 136 },
	{ "nd-redirect", 137 },
	{ NULL, 0 },
};

static const struct icmp_name *icmp_names(uint32_t family)
{
	return family == NFPROTO_IPV6 ? icmp6_names : icmp4_names;
}

const char *nfh_icmp_type_name(uint32_t family, uint8_t type)
{
	const struct icmp_name *n;

	for (n = icmp_names(family); n->name; n++)
		if (n->type == type)
			return n->name;
	return NULL;
}

bool nfh_icmp_type_by_name(const char *s, uint32_t family, uint8_t *type)
{
	const struct icmp_name *n;

	for (n = icmp_names(family); n->name; n++) {
		if (!strcmp(s, n->name)) {
			*type = n->type;
			return true;
		}
	}
	return false;
}

const char *const nfh_ct_state_names[NFH_NCT_STATES] = {
	"new", "established", "related", "invalid", "untracked",
};

_Static_assert(NFHOOK_CT_STATE_NEW == 1 << 0 &&
	       NFHOOK_CT_STATE_ESTABLISHED == 1 << 1 &&
	       NFHOOK_CT_STATE_RELATED == 1 << 2 &&
	       NFHOOK_CT_STATE_INVALID == 1 << 3 &&
	       NFHOOK_CT_STATE_UNTRACKED == 1 << 4 &&
	       NFHOOK_CT_STATE_ALL == (1 << NFH_NCT_STATES) - 1,
	       "nfh_ct_state_names follows the NFHOOK_CT_STATE_* bits");

const char *const nfh_tcp_flag_names[8] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr",
};
