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
	bool has_max_rules, has_rule_count, has_default_priority;
	bool has_rules_bytes;
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
/* Optional FAMILY and HOOK of a FLUSH notification. */
int nfh_parse_flush_msg(const struct nlmsghdr *nlh, bool *has_family,
			uint32_t *family, bool *has_hook, uint32_t *hook);

#endif /* NFHOOKCTL_MSG_H */
