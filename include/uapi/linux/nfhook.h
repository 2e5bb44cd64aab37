/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfhook: the generic netlink contract between nfhook.ko and nfhookctl.
 *
 * Families and hooks use the kernel's own numbers: NFPROTO_IPV4 (2) and
 * NFPROTO_IPV6 (10) from <linux/netfilter.h>, and NF_INET_PRE_ROUTING (0)
 * through NF_INET_POST_ROUTING (4).  docs/netlink.md documents every command
 * and attribute; docs/nfhook.yaml describes the same family for ynl.
 */
#ifndef _UAPI_LINUX_NFHOOK_H
#define _UAPI_LINUX_NFHOOK_H

#include <linux/types.h>
#include <linux/netfilter.h>

#define NFHOOK_GENL_NAME		"nfhook"
#define NFHOOK_GENL_VERSION		1
#define NFHOOK_MCGRP_EVENTS		"events"

/* Longest rule comment, including its terminating NUL. */
#define NFHOOK_COMMENT_SIZE		64

/*
 * Commands.  The same numbers are used for requests, replies and the
 * notifications sent to the "events" group.  Every command, reads and dumps
 * included, and joining the "events" group need CAP_NET_ADMIN over the
 * network namespace (its owning user namespace): counters and events tell
 * about other users' traffic.
 *
 * INFO_GET	do: module version, limits, rule count of the caller's netns
 *		and the memory its rules use.
 * HOOK_GET	do (FAMILY and HOOK given) or dump (all ten hooks): settings and
 *		counters.  With RESET the counters are cleared as they are
 *		read, and the reply carries what was cleared.
 * HOOK_SET	do: FAMILY, HOOK and any of PRIORITY, ENABLED, POLICY.
 *		Notified with the hook's new settings.
 * RULE_ADD	do: one RULE nest.  The reply (and the notification) carries
 *		the rule as stored, with its kernel-assigned id.
 * RULE_DEL	do: a RULE nest holding RULE_A_ID.  Notified with the rule.
 * RULE_GET	dump: every rule, optionally filtered by FAMILY and HOOK, in
 *		evaluation order, with counters.  RESET as for HOOK_GET.
 * FLUSH	do: delete the rules of all hooks, of one FAMILY, or of one
 *		FAMILY and HOOK.  Hook settings are kept.  Notified.
 * REPLACE_*	stage a complete ruleset and hook settings, bound to the
 *		sending socket, then swap it in at once: BEGIN, any number of
 *		REPLACE_HOOK (like HOOK_SET) and REPLACE_RULE (like RULE_ADD;
 *		may carry RULE_A_COUNTERS) messages, then COMMIT or ABORT.
 *		Hooks not mentioned get the module's defaults.  A failed
 *		message or a closed socket aborts the whole transaction and
 *		leaves the running state untouched.  COMMIT is notified.
 * PIPELINE_GET	dump: every netfilter hook registered in the namespace, not
 *		only nfhook's: one message per hook, each with a PIPE nest,
 *		in the order packets meet them (IPv4, then IPv6, hook point
 *		by hook point, then the netdev ingress and egress hooks of
 *		each device by ifindex).  FAMILY (and HOOK) keep only those
 *		IPv4 or IPv6 hook points, and leave out the netdev ones.
 * TRACE_START	do: RULE, a selector (RULE_A_FAMILY and any match attributes
 *		of a rule; no hook, action, index, comment or counters),
 *		and optionally TRACE_RATE and TRACE_LIMIT.  Packets of the
 *		namespace that the selector matches at the start of any
 *		IPv4/IPv6 hook point are followed through the pipeline and
 *		reported, one TRACE_EVENT message per packet sent to the
 *		socket that started the trace.  The reply carries TRACE_ID.
 *		A trace belongs to that socket and ends when it is closed
 *		(or with TRACE_STOP); at most NFHOOK_TRACES_MAX run at once
 *		in a namespace.  While none runs, nothing of this is in the
 *		packet path.
 * TRACE_STOP	do: TRACE_ID, a trace of the sending socket.
 * TRACE_EVENT	kernel to tracer: TRACE_ID, TRACE_PACKET_ID, FAMILY,
 *		TRACE_PACKET (the packet as RULE_A_* match attributes, read
 *		where it was selected), one TRACE_STEP nest per hook point
 *		it went through, in order, and TRACE_LOST.
 */
enum nfhook_cmd {
	NFHOOK_CMD_UNSPEC,
	NFHOOK_CMD_INFO_GET,
	NFHOOK_CMD_HOOK_GET,
	NFHOOK_CMD_HOOK_SET,
	NFHOOK_CMD_RULE_ADD,
	NFHOOK_CMD_RULE_DEL,
	NFHOOK_CMD_RULE_GET,
	NFHOOK_CMD_FLUSH,
	NFHOOK_CMD_REPLACE_BEGIN,
	NFHOOK_CMD_REPLACE_HOOK,
	NFHOOK_CMD_REPLACE_RULE,
	NFHOOK_CMD_REPLACE_COMMIT,
	NFHOOK_CMD_REPLACE_ABORT,
	NFHOOK_CMD_PIPELINE_GET,
	NFHOOK_CMD_TRACE_START,
	NFHOOK_CMD_TRACE_STOP,
	NFHOOK_CMD_TRACE_EVENT,

	__NFHOOK_CMD_MAX
};

#define NFHOOK_CMD_MAX (__NFHOOK_CMD_MAX - 1)

/* Rule actions; a hook's POLICY is ACCEPT or DROP. */
enum nfhook_action {
	NFHOOK_ACTION_UNSPEC,
	NFHOOK_ACTION_ACCEPT,	/* final: accept, no further rule is tried */
	NFHOOK_ACTION_DROP,	/* final: drop */
	NFHOOK_ACTION_COUNT,	/* count, then go on with the next rule */

	__NFHOOK_ACTION_MAX
};

#define NFHOOK_ACTION_MAX (__NFHOOK_ACTION_MAX - 1)

/* Top-level attributes. */
enum nfhook_attr {
	NFHOOK_A_UNSPEC,
	NFHOOK_A_PAD,
	NFHOOK_A_VERSION,	/* string: module version (INFO_GET reply) */
	NFHOOK_A_MAX_RULES,	/* u32: rule limit per netns */
	NFHOOK_A_RULE_COUNT,	/* u32: rules in this netns */
	NFHOOK_A_DEFAULT_PRIORITY, /* s32: priority given at load time */
	NFHOOK_A_FAMILY,	/* u32: NFPROTO_IPV4 or NFPROTO_IPV6 */
	NFHOOK_A_HOOK,		/* u32: NF_INET_PRE_ROUTING .. POST_ROUTING */
	NFHOOK_A_PRIORITY,	/* s32: netfilter hook priority */
	NFHOOK_A_ENABLED,	/* u8: 1 enabled, 0 disabled */
	NFHOOK_A_POLICY,	/* u32: NFHOOK_ACTION_ACCEPT or _DROP */
	NFHOOK_A_COUNTERS,	/* nest: NFHOOK_COUNTERS_A_* */
	NFHOOK_A_RULE,		/* nest: NFHOOK_RULE_A_* */
	NFHOOK_A_RESET,		/* flag: clear counters as they are read */
	NFHOOK_A_RULE_COUNT_HOOK, /* u32: rules on this hook (HOOK_GET) */
	NFHOOK_A_REGISTERED,	/* u8: 1 if netfilter runs this hook now:
				 * enabled, in a namespace where something
				 * was configured (HOOK_GET)
				 */
	NFHOOK_A_RULES_BYTES,	/* u64: memory the rules of this netns use:
				 * rules, rule tables, per-CPU counters
				 * (INFO_GET)
				 */
	NFHOOK_A_PIPE,		/* nest: NFHOOK_PIPE_A_* (PIPELINE_GET) */
	NFHOOK_A_TRACE_ID,	/* u32: a trace, unique in the netns */
	NFHOOK_A_TRACE_RATE,	/* u32: most packets selected per second
				 * (1..NFHOOK_TRACE_RATE_MAX; absent:
				 * NFHOOK_TRACE_RATE_DEFAULT)
				 */
	NFHOOK_A_TRACE_LIMIT,	/* u32: most packets selected in all;
				 * absent or 0: no limit
				 */
	NFHOOK_A_TRACE_PACKET_ID, /* u64: a traced packet, unique in the
				   * netns while the module is loaded
				   */
	NFHOOK_A_TRACE_PACKET,	/* nest: NFHOOK_RULE_A_* (TRACE_EVENT) */
	NFHOOK_A_TRACE_STEP,	/* nest: NFHOOK_TRACE_A_* (TRACE_EVENT) */
	NFHOOK_A_TRACE_LOST,	/* u32: packets this trace selected but
				 * could not follow or report since the
				 * last event (TRACE_EVENT)
				 */
	NFHOOK_A_TRACES,	/* u32: traces running in the netns
				 * (INFO_GET)
				 */

	__NFHOOK_A_MAX
};

#define NFHOOK_A_MAX (__NFHOOK_A_MAX - 1)

/*
 * A rule.  Every match attribute is optional; those present must all match.
 * Addresses are in network byte order, everything else in host order.
 * Ports need RULE_A_L4PROTO tcp, udp, udplite or sctp; ICMP type and code
 * need icmp (ipv4) or icmpv6 (ipv6); TCP flags need tcp.
 */
enum nfhook_rule_attr {
	NFHOOK_RULE_A_UNSPEC,
	NFHOOK_RULE_A_PAD,
	NFHOOK_RULE_A_ID,	/* u32: kernel-assigned, unique in the netns */
	NFHOOK_RULE_A_FAMILY,	/* u32: as NFHOOK_A_FAMILY */
	NFHOOK_RULE_A_HOOK,	/* u32: as NFHOOK_A_HOOK */
	NFHOOK_RULE_A_INDEX,	/* u32: position on the hook, 0 first; on add,
				 * insert there (absent: append; at most the
				 * hook's rule count, so 4294967295 is refused)
				 */
	NFHOOK_RULE_A_ACTION,	/* u32: enum nfhook_action */
	NFHOOK_RULE_A_COMMENT,	/* string, < NFHOOK_COMMENT_SIZE bytes */
	NFHOOK_RULE_A_SRC_IPV4,	/* be32 */
	NFHOOK_RULE_A_DST_IPV4,	/* be32 */
	NFHOOK_RULE_A_SRC_IPV6,	/* binary: struct in6_addr */
	NFHOOK_RULE_A_DST_IPV6,	/* binary: struct in6_addr */
	NFHOOK_RULE_A_SRC_PREFIX, /* u8: prefix length of the source;
				   * absent: full length
				   */
	NFHOOK_RULE_A_DST_PREFIX, /* u8 */
	NFHOOK_RULE_A_L4PROTO,	/* u8: IPPROTO_* (IPv6: after extensions) */
	NFHOOK_RULE_A_SPORT_MIN, /* u16 */
	NFHOOK_RULE_A_SPORT_MAX, /* u16: absent: equal to the minimum */
	NFHOOK_RULE_A_DPORT_MIN, /* u16 */
	NFHOOK_RULE_A_DPORT_MAX, /* u16 */
	NFHOOK_RULE_A_ICMP_TYPE, /* u8 */
	NFHOOK_RULE_A_ICMP_CODE, /* u8: needs ICMP_TYPE */
	NFHOOK_RULE_A_IIFNAME,	/* string, < IFNAMSIZ bytes */
	NFHOOK_RULE_A_OIFNAME,	/* string, < IFNAMSIZ bytes */
	NFHOOK_RULE_A_LEN_MIN,	/* u32: packet length (network header on) */
	NFHOOK_RULE_A_LEN_MAX,	/* u32: absent: no upper bound */
	NFHOOK_RULE_A_TCP_FLAGS, /* u8: value of (flags & mask) */
	NFHOOK_RULE_A_TCP_FLAGS_MASK, /* u8: absent: equal to the value */
	NFHOOK_RULE_A_COUNTERS,	/* nest: NFHOOK_COUNTERS_A_PACKETS/BYTES */
	/* u32: NFHOOK_CT_STATE_* bits, at least one: any of these states */
	NFHOOK_RULE_A_CT_STATE,

	__NFHOOK_RULE_A_MAX
};

#define NFHOOK_RULE_A_MAX (__NFHOOK_RULE_A_MAX - 1)

/*
 * Connection states for NFHOOK_RULE_A_CT_STATE, as nftables' `ct state`
 * defines them: a packet with a conntrack entry is NEW, ESTABLISHED or
 * RELATED (replies count as established or related), one marked as not to
 * be tracked is UNTRACKED, and one without an entry is INVALID.  Conntrack
 * attaches the entry at prerouting and output, priority -200: a hook that
 * runs before it (priority below -200 there), or a packet in a namespace
 * where nothing uses conntrack, sees every packet as INVALID.
 */
enum nfhook_ct_state {
	NFHOOK_CT_STATE_NEW		= 1 << 0,
	NFHOOK_CT_STATE_ESTABLISHED	= 1 << 1,
	NFHOOK_CT_STATE_RELATED		= 1 << 2,
	NFHOOK_CT_STATE_INVALID		= 1 << 3,
	NFHOOK_CT_STATE_UNTRACKED	= 1 << 4,
};

#define NFHOOK_CT_STATE_ALL	0x1f

/*
 * Counters, all u64.  A rule reports PACKETS and BYTES (what it matched); a
 * hook reports PACKETS and BYTES (everything it saw) and the rest.
 * FRAGMENT_DROPPED counts tiny and overlapping fragments dropped before the
 * rules were tried, at a hook with a rule that reads the transport header
 * (docs/netlink.md, "Fragments").
 */
enum nfhook_counters_attr {
	NFHOOK_COUNTERS_A_UNSPEC,
	NFHOOK_COUNTERS_A_PAD,
	NFHOOK_COUNTERS_A_PACKETS,
	NFHOOK_COUNTERS_A_BYTES,
	NFHOOK_COUNTERS_A_ACCEPTED_PACKETS,
	NFHOOK_COUNTERS_A_ACCEPTED_BYTES,
	NFHOOK_COUNTERS_A_RULE_DROPPED_PACKETS,
	NFHOOK_COUNTERS_A_RULE_DROPPED_BYTES,
	NFHOOK_COUNTERS_A_POLICY_DROPPED_PACKETS,
	NFHOOK_COUNTERS_A_POLICY_DROPPED_BYTES,
	NFHOOK_COUNTERS_A_FRAGMENT_DROPPED_PACKETS,
	NFHOOK_COUNTERS_A_FRAGMENT_DROPPED_BYTES,

	__NFHOOK_COUNTERS_A_MAX
};

#define NFHOOK_COUNTERS_A_MAX (__NFHOOK_COUNTERS_A_MAX - 1)

/*
 * What a hook of the pipeline is, as far as the module can tell from its
 * function, that function's module and the hook's own type.
 */
enum nfhook_pipe_kind {
	NFHOOK_PIPE_KIND_UNKNOWN,	/* see PIPE_A_FUNCTION and MODULE */
	NFHOOK_PIPE_KIND_NFHOOK,	/* nfhook's own (PIPE_A_OURS) */
	NFHOOK_PIPE_KIND_CONNTRACK,	/* nf_conntrack: tracking, confirm */
	NFHOOK_PIPE_KIND_DEFRAG,	/* nf_defrag_ipv4, nf_defrag_ipv6 */
	NFHOOK_PIPE_KIND_NAT,		/* nf_nat (runs the NAT chains and
					 * tables registered with it)
					 */
	NFHOOK_PIPE_KIND_NFTABLES,	/* an nftables base chain */
	NFHOOK_PIPE_KIND_IPTABLES,	/* an iptables or ip6tables table */
	NFHOOK_PIPE_KIND_BPF,		/* a BPF netfilter program (6.4+) */
	NFHOOK_PIPE_KIND_FLOWTABLE,	/* an nftables flowtable (netdev) */
	NFHOOK_PIPE_KIND_LSM,		/* a security module: AppArmor,
					 * SELinux, Smack
					 */
	NFHOOK_PIPE_KIND_TRACE,		/* a probe of a running nfhook trace
					 * (TRACE_START), not a filter
					 */

	__NFHOOK_PIPE_KIND_MAX
};

#define NFHOOK_PIPE_KIND_MAX (__NFHOOK_PIPE_KIND_MAX - 1)

/*
 * One hook of the pipeline (PIPELINE_GET).  FUNCTION and MODULE come from
 * the kernel's symbol table: without CONFIG_KALLSYMS both are absent.
 * TABLE, CHAIN and TABLE_FAMILY are there when the kernel lets them be
 * read: an nftables base chain's table and chain, an iptables table.
 */
enum nfhook_pipe_attr {
	NFHOOK_PIPE_A_UNSPEC,
	NFHOOK_PIPE_A_PAD,
	NFHOOK_PIPE_A_FAMILY,	/* u32: NFPROTO_IPV4, _IPV6 or _NETDEV */
	NFHOOK_PIPE_A_HOOK,	/* u32: NF_INET_* or, netdev, NF_NETDEV_* */
	NFHOOK_PIPE_A_IFINDEX,	/* u32: netdev: the device */
	NFHOOK_PIPE_A_IFNAME,	/* string: netdev: the device's name */
	NFHOOK_PIPE_A_POSITION,	/* u32: 0 runs first at this hook point */
	NFHOOK_PIPE_A_PRIORITY,	/* s32 */
	NFHOOK_PIPE_A_FUNCTION,	/* string: the hook function's symbol */
	NFHOOK_PIPE_A_MODULE,	/* string: its module, "vmlinux" if built in */
	NFHOOK_PIPE_A_KIND,	/* u32: enum nfhook_pipe_kind */
	NFHOOK_PIPE_A_TABLE,	/* string: nftables or iptables table */
	NFHOOK_PIPE_A_CHAIN,	/* string: nftables chain */
	NFHOOK_PIPE_A_TABLE_FAMILY, /* u32: the nftables table's NFPROTO_* */
	NFHOOK_PIPE_A_OURS,	/* flag: one of this namespace's nfhook hooks */

	__NFHOOK_PIPE_A_MAX
};

#define NFHOOK_PIPE_A_MAX (__NFHOOK_PIPE_A_MAX - 1)

#define NFHOOK_TRACES_MAX		8
#define NFHOOK_TRACE_RATE_DEFAULT	100
#define NFHOOK_TRACE_RATE_MAX		10000

/*
 * How a traced packet left a hook point (TRACE_A_RESULT).  The module
 * follows a packet with probe hooks placed after each distinct priority of
 * every hook point while a trace runs, so it knows the last priority whose
 * hooks the packet got through (TRACE_A_PRIORITY).
 */
enum nfhook_trace_result {
	NFHOOK_TRACE_RESULT_UNSPEC,
	/*
	 * Accepted by every hook; at input the packet goes on to local
	 * delivery, at postrouting out of the device.
	 */
	NFHOOK_TRACE_RESULT_PASSED,
	/* Dropped by a hook (TRACE_A_PIPE). */
	NFHOOK_TRACE_RESULT_DROPPED,
	/*
	 * Freed by the stack after passing a hook point that does not end
	 * the pipeline (TRACE_A_REASON): no route, bad header...
	 */
	NFHOOK_TRACE_RESULT_STACK_DROPPED,
	/*
	 * Not seen again: stolen (queued, reassembled from fragments) or
	 * dropped where the kernel cannot tell the module; TRACE_A_PIPE is
	 * the hook it was last handed to, when inside the hook point.
	 */
	NFHOOK_TRACE_RESULT_VANISHED,

	__NFHOOK_TRACE_RESULT_MAX
};

#define NFHOOK_TRACE_RESULT_MAX (__NFHOOK_TRACE_RESULT_MAX - 1)

/* What nfhook's own hook at a hook point made of a traced packet. */
enum nfhook_trace_verdict {
	NFHOOK_TRACE_VERDICT_NONE,	/* its hook did not run */
	NFHOOK_TRACE_VERDICT_ACCEPT,	/* by a rule or the policy */
	NFHOOK_TRACE_VERDICT_RULE_DROP,
	NFHOOK_TRACE_VERDICT_POLICY_DROP,
	NFHOOK_TRACE_VERDICT_FRAGMENT_DROP, /* a tiny fragment */

	__NFHOOK_TRACE_VERDICT_MAX
};

#define NFHOOK_TRACE_VERDICT_MAX (__NFHOOK_TRACE_VERDICT_MAX - 1)

/* One hook point of a traced packet's path (TRACE_STEP). */
enum nfhook_trace_attr {
	NFHOOK_TRACE_A_UNSPEC,
	NFHOOK_TRACE_A_PAD,
	NFHOOK_TRACE_A_HOOK,	/* u32: NF_INET_* */
	NFHOOK_TRACE_A_TIME,	/* u64: ns, CLOCK_MONOTONIC, when the
				 * packet entered the hook point
				 */
	NFHOOK_TRACE_A_RESULT,	/* u32: enum nfhook_trace_result */
	NFHOOK_TRACE_A_PRIORITY, /* s32: every hook below this priority
				  * ran (PASSED: absent)
				  */
	NFHOOK_TRACE_A_VERDICT,	/* u32: enum nfhook_trace_verdict, from
				 * nfhook's own hook here, if it ran
				 */
	NFHOOK_TRACE_A_PIPE,	/* nest: NFHOOK_PIPE_A_*: who dropped it */
	NFHOOK_TRACE_A_REASON,	/* string: the kernel's drop reason, where
				 * it has one (SKB_DROP_REASON_* without
				 * the prefix)
				 */
	NFHOOK_TRACE_A_IIFNAME,	/* string: input device, if any */
	NFHOOK_TRACE_A_OIFNAME,	/* string: output device, if any */

	__NFHOOK_TRACE_A_MAX
};

#define NFHOOK_TRACE_A_MAX (__NFHOOK_TRACE_A_MAX - 1)

#endif /* _UAPI_LINUX_NFHOOK_H */
