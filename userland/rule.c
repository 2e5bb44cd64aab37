// SPDX-License-Identifier: GPL-2.0
/*
 * Rules, hooks and rulesets as values: equality, and the arrays a ruleset
 * grows as a dump or a restore file fills it.
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"

bool nfh_rule_equal(const struct nfh_rule *a, const struct nfh_rule *b)
{
	unsigned int f = a->fields;
	size_t alen = a->family == NFPROTO_IPV6 ? 16 : 4;

	if (a->fields != b->fields || a->family != b->family ||
	    a->hook != b->hook)
		return false;
	if ((f & NFH_R_ID) && a->id != b->id)
		return false;
	if ((f & NFH_R_INDEX) && a->index != b->index)
		return false;
	if ((f & NFH_R_ACTION) && a->action != b->action)
		return false;
	if ((f & NFH_R_SADDR) && (a->sprefix != b->sprefix ||
				  memcmp(a->saddr, b->saddr, alen)))
		return false;
	if ((f & NFH_R_DADDR) && (a->dprefix != b->dprefix ||
				  memcmp(a->daddr, b->daddr, alen)))
		return false;
	if ((f & NFH_R_PROTO) && a->proto != b->proto)
		return false;
	if ((f & NFH_R_SPORT) && (a->sport_min != b->sport_min ||
				  a->sport_max != b->sport_max))
		return false;
	if ((f & NFH_R_DPORT) && (a->dport_min != b->dport_min ||
				  a->dport_max != b->dport_max))
		return false;
	if ((f & NFH_R_ICMP_TYPE) && a->icmp_type != b->icmp_type)
		return false;
	if ((f & NFH_R_ICMP_CODE) && a->icmp_code != b->icmp_code)
		return false;
	if ((f & NFH_R_IIF) && strcmp(a->iif, b->iif))
		return false;
	if ((f & NFH_R_OIF) && strcmp(a->oif, b->oif))
		return false;
	if ((f & NFH_R_LEN) && a->len_min != b->len_min)
		return false;
	if ((f & NFH_R_LEN_MAX) && a->len_max != b->len_max)
		return false;
	if ((f & NFH_R_TCP_FLAGS) && (a->tcp_flags != b->tcp_flags ||
				      a->tcp_mask != b->tcp_mask))
		return false;
	if ((f & NFH_R_CT_STATE) && a->ct_state != b->ct_state)
		return false;
	if ((f & NFH_R_COMMENT) && strcmp(a->comment, b->comment))
		return false;
	if ((f & NFH_R_COUNTERS) && (a->packets != b->packets ||
				     a->bytes != b->bytes))
		return false;
	return true;
}

bool nfh_hook_equal(const struct nfh_hook *a, const struct nfh_hook *b)
{
	unsigned int f = a->fields;
	int i;

	if (a->fields != b->fields || a->family != b->family ||
	    a->hook != b->hook)
		return false;
	if ((f & NFH_H_PRIORITY) && a->priority != b->priority)
		return false;
	if ((f & NFH_H_ENABLED) && a->enabled != b->enabled)
		return false;
	if ((f & NFH_H_POLICY) && a->policy != b->policy)
		return false;
	if ((f & NFH_H_RULES) && a->rules != b->rules)
		return false;
	if (f & NFH_H_COUNTERS)
		for (i = 0; i < NFH_C_COUNT; i++)
			if (a->counters[i] != b->counters[i])
				return false;
	return true;
}

static void *grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (need <= *cap)
		return arr;
	while (ncap < need)
		ncap *= 2;
	p = realloc(arr, ncap * elem);
	if (!p)
		return NULL;
	*cap = ncap;
	return p;
}

struct nfh_hook *nfh_ruleset_add_hook(struct nfh_ruleset *rs)
{
	struct nfh_hook *p = grow(rs->hooks, &rs->hooks_cap, rs->nhooks + 1,
				  sizeof(*p));

	if (!p)
		return NULL;
	rs->hooks = p;
	p = &rs->hooks[rs->nhooks++];
	memset(p, 0, sizeof(*p));
	return p;
}

struct nfh_rule *nfh_ruleset_add_rule(struct nfh_ruleset *rs)
{
	struct nfh_rule *p = grow(rs->rules, &rs->rules_cap, rs->nrules + 1,
				  sizeof(*p));

	if (!p)
		return NULL;
	rs->rules = p;
	p = &rs->rules[rs->nrules++];
	memset(p, 0, sizeof(*p));
	return p;
}

void nfh_ruleset_free(struct nfh_ruleset *rs)
{
	free(rs->hooks);
	free(rs->rules);
	memset(rs, 0, sizeof(*rs));
}
