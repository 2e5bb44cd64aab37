/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structs to nfhook attributes and back (libmnl on plain buffers, no
 * socket).
 */
#ifndef NFHOOKCTL_MSG_H
#define NFHOOKCTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rule.h"

/* What `nfhookctl info` shows (INFO_GET reply). */
struct nfh_info {
	char version[64];
	uint32_t max_rules, rule_count;
	int32_t default_priority;
	uint64_t rules_bytes;
	uint32_t traces;
	bool has_max_rules, has_rule_count, has_default_priority;
	bool has_rules_bytes, has_traces;
};

/*
 * One hook of the pipeline (a PIPELINE_GET message): any netfilter hook of
 * the namespace, nfhook's or not.  Strings are "" when the kernel did not
 * say (no kallsyms, no name to read).
 */
struct nfh_pipe_entry {
	uint32_t family;		/* NFPROTO_IPV4, _IPV6, _NETDEV */
	uint32_t hook;			/* NF_INET_* or NFH_NETDEV_* */
	uint32_t ifindex;		/* netdev */
	char ifname[16];		/* netdev */
	uint32_t position;
	int32_t priority;
	uint32_t kind;			/* enum nfhook_pipe_kind */
	uint32_t table_family;		/* nftables: NFPROTO_*, else 0 */
	bool ours;
	char function[640];
	char module[64];
	char table[256];
	char chain[256];
};

/* One hook point of a traced packet's way (a TRACE_STEP nest). */
struct nfh_trace_step {
	uint32_t hook;			/* NF_INET_* */
	uint32_t result;		/* enum nfhook_trace_result */
	uint64_t time_ns;		/* CLOCK_MONOTONIC */
	int32_t priority;		/* every hook below it ran */
	bool has_priority;
	uint32_t verdict;		/* enum nfhook_trace_verdict */
	bool has_dropper;
	struct nfh_pipe_entry dropper;
	char reason[64];		/* "" if none */
	char iif[16], oif[16];
};

#define NFH_TRACE_STEPS_MAX	8

/* A traced packet (a TRACE_EVENT message). */
struct nfh_trace_event {
	uint32_t trace_id;
	uint64_t packet_id;
	uint32_t family;
	uint32_t lost;
	struct nfh_rule pkt;		/* the packet, as match fields */
	unsigned int nsteps;
	struct nfh_trace_step steps[NFH_TRACE_STEPS_MAX];
};

struct nlmsghdr;
struct nlattr;

/* Largest message nfhookctl builds, with room to spare. */
#define NFH_MSG_MAX	1024

bool nfh_put_rule(struct nlmsghdr *nlh, size_t maxlen,
		  const struct nfh_rule *r);
bool nfh_put_hook(struct nlmsghdr *nlh, size_t maxlen,
		  const struct nfh_hook *h);
/* From an NFHOOK_A_RULE nest; -1 if malformed. */
int nfh_parse_rule_nest(const struct nlattr *nest, struct nfh_rule *r);
/* From a genl message's top-level attributes (HOOK_GET reply or event). */
int nfh_parse_hook_msg(const struct nlmsghdr *nlh, struct nfh_hook *h);
int nfh_parse_info_msg(const struct nlmsghdr *nlh, struct nfh_info *info);
/*
 * From a PIPELINE_GET message's PIPE nest; -1 if malformed or without
 * FAMILY, HOOK, POSITION, PRIORITY or KIND.
 */
int nfh_parse_pipe_msg(const struct nlmsghdr *nlh, struct nfh_pipe_entry *p);
/* A TRACE_EVENT; -1 if malformed or without its ids, packet or steps. */
int nfh_parse_trace_msg(const struct nlmsghdr *nlh, struct nfh_trace_event *ev);
/* Optional FAMILY and HOOK of a FLUSH notification. */
int nfh_parse_flush_msg(const struct nlmsghdr *nlh, bool *has_family,
			uint32_t *family, bool *has_hook, uint32_t *hook);

#endif /* NFHOOKCTL_MSG_H */
