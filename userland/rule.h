/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nfhookctl works on: a rule, a hook's settings and counters, and a
 * whole ruleset (what save writes and restore reads), with their equality
 * and the growing arrays of a ruleset.
 */
#ifndef NFHOOKCTL_RULE_H
#define NFHOOKCTL_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/nfhook.h>

/* Which parts of struct nfh_rule are set: bits of nfh_rule.fields. */
enum nfh_rule_field {
	NFH_R_ID	= 1u << 0,
	NFH_R_INDEX	= 1u << 1,
	NFH_R_SADDR	= 1u << 2,
	NFH_R_DADDR	= 1u << 3,
	NFH_R_PROTO	= 1u << 4,
	NFH_R_SPORT	= 1u << 5,
	NFH_R_DPORT	= 1u << 6,
	NFH_R_ICMP_TYPE	= 1u << 7,
	NFH_R_ICMP_CODE	= 1u << 8,
	NFH_R_IIF	= 1u << 9,
	NFH_R_OIF	= 1u << 10,
	NFH_R_LEN	= 1u << 11,
	NFH_R_LEN_MAX	= 1u << 12,	/* with NFH_R_LEN: an upper bound */
	NFH_R_TCP_FLAGS	= 1u << 13,
	NFH_R_COMMENT	= 1u << 14,
	NFH_R_COUNTERS	= 1u << 15,
	NFH_R_ACTION	= 1u << 16,
	NFH_R_CT_STATE	= 1u << 17,
	NFH_R_SELECTOR	= 1u << 18,	/* a trace selector: no hook */
};

/*
 * A rule as the user wrote it or the kernel reported it.  Addresses are in
 * network byte order (4 bytes used for ipv4), already masked with their
 * prefix; port and length ranges are inclusive.
 */
struct nfh_rule {
	unsigned int fields;
	unsigned int line;		/* restore: line it came from */
	uint32_t id;
	uint32_t family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	uint32_t hook;			/* NF_INET_PRE_ROUTING .. */
	uint32_t index;
	uint32_t action;		/* enum nfhook_action */
	uint8_t saddr[16], daddr[16];
	uint8_t sprefix, dprefix;
	uint8_t proto;
	uint16_t sport_min, sport_max;
	uint16_t dport_min, dport_max;
	uint8_t icmp_type, icmp_code;
	uint8_t tcp_flags, tcp_mask;
	uint32_t len_min, len_max;
	uint32_t ct_state;		/* NFHOOK_CT_STATE_* bits */
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	char comment[NFHOOK_COMMENT_SIZE];
	uint64_t packets, bytes;
};

/* Bits of nfh_hook.fields. */
enum nfh_hook_field {
	NFH_H_PRIORITY	= 1u << 0,
	NFH_H_ENABLED	= 1u << 1,
	NFH_H_POLICY	= 1u << 2,
	NFH_H_RULES	= 1u << 3,
	NFH_H_COUNTERS	= 1u << 4,
	NFH_H_REGISTERED = 1u << 5,	/* kernel to user only */
};

/* Hook counters, in the order of NFHOOK_COUNTERS_A_PACKETS onwards. */
enum nfh_hook_counter {
	NFH_C_PACKETS,
	NFH_C_BYTES,
	NFH_C_ACCEPTED_PACKETS,
	NFH_C_ACCEPTED_BYTES,
	NFH_C_RULE_DROPPED_PACKETS,
	NFH_C_RULE_DROPPED_BYTES,
	NFH_C_POLICY_DROPPED_PACKETS,
	NFH_C_POLICY_DROPPED_BYTES,
	NFH_C_FRAGMENT_DROPPED_PACKETS,
	NFH_C_FRAGMENT_DROPPED_BYTES,
	NFH_C_COUNT
};

struct nfh_hook {
	unsigned int fields;
	unsigned int line;		/* restore: line it came from */
	uint32_t family, hook;
	int32_t priority;
	bool enabled;
	bool registered;		/* netfilter runs it now */
	uint32_t policy;		/* NFHOOK_ACTION_ACCEPT or _DROP */
	uint32_t rules;
	uint64_t counters[NFH_C_COUNT];
};

/* Field by field: only the fields set count, and both must set the same. */
bool nfh_rule_equal(const struct nfh_rule *a, const struct nfh_rule *b);
bool nfh_hook_equal(const struct nfh_hook *a, const struct nfh_hook *b);

/* A whole ruleset: what save writes and restore reads. */
struct nfh_ruleset {
	struct nfh_hook *hooks;
	size_t nhooks, hooks_cap;
	struct nfh_rule *rules;
	size_t nrules, rules_cap;
};

void nfh_ruleset_free(struct nfh_ruleset *rs);
/* A zeroed entry at the end; NULL when memory runs out. */
struct nfh_hook *nfh_ruleset_add_hook(struct nfh_ruleset *rs);
struct nfh_rule *nfh_ruleset_add_rule(struct nfh_ruleset *rs);

#endif /* NFHOOKCTL_RULE_H */
