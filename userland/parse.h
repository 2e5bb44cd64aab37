/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words of the command line and of restore files into numbers and
 * structs: every failure is one line in struct nfh_err that names the
 * keyword and echoes the bad input.
 */
#ifndef NFHOOKCTL_PARSE_H
#define NFHOOKCTL_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "rule.h"
#include "util.h"

int nfh_parse_family(const char *s, uint32_t *family, struct nfh_err *e);
int nfh_parse_hook(const char *s, uint32_t *hook, struct nfh_err *e);
/* Decimal only, no sign, no blanks, within [0, max]. */
int nfh_parse_uint(const char *what, const char *s, uint64_t max,
		   uint64_t *v, struct nfh_err *e);
/* A number (-300) or a name with an optional offset (filter+10). */
int nfh_parse_priority(const char *s, int32_t *prio, struct nfh_err *e);
/* ADDR[/LEN] of @family into 16 bytes (masked) and a prefix length. */
int nfh_parse_addr(const char *what, const char *s, uint32_t family,
		   uint8_t addr[16], uint8_t *prefix, struct nfh_err *e);
int nfh_parse_port_range(const char *what, const char *s,
			 uint16_t *min, uint16_t *max, struct nfh_err *e);
int nfh_parse_proto(const char *s, uint8_t *proto, struct nfh_err *e);
int nfh_parse_icmp_type(const char *s, uint32_t family, uint8_t *type,
			struct nfh_err *e);
int nfh_parse_len(const char *s, uint32_t *min, uint32_t *max, bool *has_max,
		  struct nfh_err *e);
int nfh_parse_tcp_flags(const char *s, uint8_t *flags, uint8_t *mask,
			struct nfh_err *e);
/* new,established,... into NFHOOK_CT_STATE_* bits; at least one. */
int nfh_parse_ct_state(const char *s, uint32_t *states, struct nfh_err *e);
int nfh_parse_ifname(const char *what, const char *s, char name[IFNAMSIZ],
		     struct nfh_err *e);

/* Where a rule's words come from: where counters and index are allowed. */
enum nfh_rule_ctx {
	NFH_RULE_CTX_ADD,	/* rule add: index allowed, counters not */
	NFH_RULE_CTX_RESTORE,	/* restore file: counters allowed, index not */
	NFH_RULE_CTX_TRACE,	/* trace selector: matches only */
};

/*
 * Parses FAMILY HOOK [MATCH ...] ACTION [index N] [comment TEXT]
 * [counters packets N bytes N] into a zeroed @r, then checks that the
 * matches fit together (ports need tcp/udp/udplite/sctp, ...).
 */
int nfh_rule_parse(struct nfh_rule *r, int argc, char **argv,
		   enum nfh_rule_ctx ctx, struct nfh_err *e);
/*
 * A trace selector: [FAMILY] [MATCH ...], into a zeroed @r with
 * NFH_R_SELECTOR set (family 0: both).  Addresses and ICMP types need the
 * family.
 */
int nfh_selector_parse(struct nfh_rule *r, int argc, char **argv,
		       struct nfh_err *e);
/* FAMILY HOOK [priority PRIO] [policy accept|drop] [enable|disable] */
int nfh_hook_parse(struct nfh_hook *h, int argc, char **argv,
		   bool need_setting, struct nfh_err *e);

#endif /* NFHOOKCTL_PARSE_H */
