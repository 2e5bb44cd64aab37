/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names nfhookctl reads and writes: families, hooks, actions,
 * priorities, protocols, ICMP types and TCP flags, both ways.  Lookups by
 * name match exactly and return false for anything else: the callers word
 * the error.
 */
#ifndef NFHOOKCTL_NAMES_H
#define NFHOOKCTL_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* Number to name: NULL if the number has no name. */
const char *nfh_family_name(uint32_t family);	/* ipv4, ipv6 */
const char *nfh_hook_name(uint32_t hook);	/* prerouting .. postrouting */
const char *nfh_action_name(uint32_t action);	/* accept, drop, count */
const char *nfh_proto_name(uint8_t proto);	/* tcp, udp, ... */
const char *nfh_icmp_type_name(uint32_t family, uint8_t type);

/* The netdev hook points (NF_NETDEV_*; egress needs Linux 5.16). */
#define NFH_NETDEV_INGRESS	0
#define NFH_NETDEV_EGRESS	1
const char *nfh_netdev_hook_name(uint32_t hook);	/* ingress, egress */
/* enum nfhook_pipe_kind: conntrack, nftables, ... */
const char *nfh_pipe_kind_name(uint32_t kind);
/* An nftables table's family: inet, ip, ip6, netdev, arp, bridge. */
const char *nfh_nft_family_name(uint32_t family);

/* Name to number. */
bool nfh_family_by_name(const char *s, uint32_t *family);
bool nfh_hook_by_name(const char *s, uint32_t *hook);
bool nfh_action_by_name(const char *s, uint32_t *action);
bool nfh_netdev_hook_by_name(const char *s, uint32_t *hook);
bool nfh_proto_by_name(const char *s, uint8_t *proto);
/* The ICMP (ipv4) or ICMPv6 (ipv6) type names of @family. */
bool nfh_icmp_type_by_name(const char *s, uint32_t family, uint8_t *type);

/* Well-known priorities, ascending. */
struct nfh_prio_name {
	const char *name;
	int32_t value;
};
#define NFH_NPRIO_NAMES 7
extern const struct nfh_prio_name nfh_prio_names[NFH_NPRIO_NAMES];

/* fin syn rst psh ack urg ece cwr: bit 0 to 7 */
extern const char *const nfh_tcp_flag_names[8];

/*
 * Connection states, canonical order: name i is the state bit 1 << i
 * (NFHOOK_CT_STATE_NEW .. NFHOOK_CT_STATE_UNTRACKED).
 */
#define NFH_NCT_STATES 5
extern const char *const nfh_ct_state_names[NFH_NCT_STATES];

#endif /* NFHOOKCTL_NAMES_H */
