/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: every difference between the kernels nfhook builds on (5.10 to
 * 7.2) lives here, one shim per change, each saying which kernel changed
 * what.  Shims test for the feature itself where a macro makes that
 * possible, and for LINUX_VERSION_CODE only otherwise.
 *
 * Not needing a shim, for the record: struct genl_ops with per-operation
 * .start/.dumpit/.done exists on all of them (5.10 added the small-ops
 * variant and 6.2 the split ops, both optional); genl_family.resv_start_op
 * (6.1) is left at zero, which makes every command strict; genl_info_net(),
 * netlink_ns_capable(), rcu_replace_pointer(), u64_stats_t, xa_alloc_cyclic()
 * and pernet_operations.pre_exit predate 5.10.  Where the attributes parsed
 * for a dump live changed in 6.6 (genl_info_dump()); nfhook's first dump
 * step parses the request itself with genlmsg_parse() instead, the same on
 * all.  A dump's .start got an extack after 6.1 (6.12 has it), its ->dumpit
 * has one on all of them: nfhook checks dump requests in ->dumpit, so a
 * refusal arrives in NLMSG_DONE with its message everywhere.
 */
#ifndef _NFHOOK_COMPAT_H
#define _NFHOOK_COMPAT_H

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <net/genetlink.h>

/*
 * 6.2 added formatted extack messages (NL_SET_ERR_MSG_FMT_MOD, printing into
 * a buffer inside struct netlink_ext_ack).  Before, an extack message is a
 * static string, so call sites give both: @msg, complete without the
 * values, for older kernels and @fmt with its arguments for newer ones.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define NFHOOK_SET_ERR_MSG_FMT(extack, msg, fmt, args...) \
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args)
#else
#define NFHOOK_SET_ERR_MSG_FMT(extack, msg, fmt, args...) \
	NL_SET_ERR_MSG_MOD(extack, msg)
#endif

/*
 * 6.1 added NL_SET_ERR_ATTR_MISS (the missing attribute's type and nest
 * reported in the extended ack).  Older kernels cannot report it: the
 * message alone names the missing attribute.
 */
#ifndef NL_SET_ERR_ATTR_MISS
#define NL_SET_ERR_ATTR_MISS(extack, nest, type) do { } while (0)
#endif

/*
 * 6.1 added GENL_REQ_ATTR_CHECK(), which tests for a required top-level
 * attribute and reports its type as missing (see above).  Older kernels
 * get the test alone.
 */
/*
 * 5.11 renamed nla_strlcpy() to nla_strscpy(); Kbuild looks for the new
 * name in the kernel's headers, since no macro tells.
 */
#ifndef NFHOOK_HAVE_NLA_STRSCPY
#define nla_strscpy(dst, nla, size) nla_strlcpy(dst, nla, size)
#endif

#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr) (!(info)->attrs[(attr)])
#endif

/*
 * Joining a multicast group only with CAP_NET_ADMIN over the namespace:
 * 6.7 added GENL_MCAST_CAP_NET_ADMIN, which the core checks on bind, and
 * the stable kernels got it (Debian's 6.1 included).  The 5.10 stable
 * kernels got the same check keyed on GENL_UNS_ADMIN_PERM in the group's
 * flags instead.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define NFHOOK_MCGRP_FLAGS	.flags = GENL_MCAST_CAP_NET_ADMIN,
#else
#define NFHOOK_MCGRP_FLAGS	.flags = GENL_UNS_ADMIN_PERM,
#endif

/*
 * Connection tracking: skb->_nfct, which nf_ct_get() reads, exists only in
 * kernels built with CONFIG_NF_CONNTRACK (y or m); reading it needs no
 * symbol of nf_conntrack.ko.  Without it nfhook refuses a ct state rule
 * (rule_attr.c: "this kernel has no connection tracking") rather than
 * call every packet invalid or untracked, which would make a rule set
 * written for a tracking kernel silently mean something else.  The parser
 * still fills in a state there (invalid: no entry), for tests only.
 */
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#define NFHOOK_HAVE_CONNTRACK	1
static inline bool nfhook_skb_ct(const struct sk_buff *skb,
				 unsigned int *ctinfo)
{
	enum ip_conntrack_info info;
	bool has_ct = nf_ct_get(skb, &info);

	*ctinfo = info;
	return has_ct;
}
#else
#define NFHOOK_HAVE_CONNTRACK	0
static inline bool nfhook_skb_ct(const struct sk_buff *skb,
				 unsigned int *ctinfo)
{
	*ctinfo = IP_CT_ESTABLISHED;	/* what an skb without _nfct reads */
	return false;
}
#endif

/*
 * 6.0 made kunit_test_suites() in a module a list the module loader runs
 * (before, it defined the module's init and exit, clashing with nfhook's
 * own: kunit_test_suites_for_module() is the old way's mark); 5.11 added
 * parameterised cases and 5.18 the KUNIT_*_NULL checks, which the suites
 * use.  On older kernels only the suites cannot be built: say so once,
 * in words tests/matrix.sh recognises.
 */
#ifdef NFHOOK_KUNIT
#include <kunit/test.h>
#ifdef kunit_test_suites_for_module
#error "nfhook-kunit-unsupported: KUnit suites in a module need Linux 6.0 or later"
#endif
#endif

/*
 * The pipeline (pipeline.c) reads the netdev hooks of a device: ingress
 * where CONFIG_NETFILTER_INGRESS is set (all of them), egress where 5.16's
 * CONFIG_NETFILTER_EGRESS is.  Under RCU; NULL where the kernel has none.
 */
static inline struct nf_hook_entries *
nfhook_dev_hooks_ingress(const struct net_device *dev)
{
#ifdef CONFIG_NETFILTER_INGRESS
	return rcu_dereference(dev->nf_hooks_ingress);
#else
	return NULL;
#endif
}

static inline struct nf_hook_entries *
nfhook_dev_hooks_egress(const struct net_device *dev)
{
#ifdef CONFIG_NETFILTER_EGRESS
	return rcu_dereference(dev->nf_hooks_egress);
#else
	return NULL;
#endif
}

/*
 * 5.14 added nf_hook_ops.hook_ops_type, set to NF_HOOK_OP_NF_TABLES by
 * nftables base chains (whose ops->priv is then their struct nft_chain);
 * 6.4 added NF_HOOK_OP_BPF (BPF netfilter links), and a later kernel
 * NF_HOOK_OP_NFT_FT (nftables flowtables).  Enumerators, not macros:
 * Kbuild looks for them in the kernel's headers.  NFHOOK_OPS_UNTYPED means
 * the kernel cannot tell (5.10): the caller goes by the symbol then.
 */
enum nfhook_ops_type {
	NFHOOK_OPS_UNTYPED,
	NFHOOK_OPS_OTHER,
	NFHOOK_OPS_NFT_CHAIN,
	NFHOOK_OPS_BPF,
	NFHOOK_OPS_NFT_FLOWTABLE,
};

static inline enum nfhook_ops_type
nfhook_ops_type(const struct nf_hook_ops *ops)
{
#ifdef NFHOOK_HAVE_HOOK_OPS_TYPE
	switch (ops->hook_ops_type) {
	case NF_HOOK_OP_NF_TABLES:
		return NFHOOK_OPS_NFT_CHAIN;
#ifdef NFHOOK_HAVE_NF_HOOK_OP_BPF
	case NF_HOOK_OP_BPF:
		return NFHOOK_OPS_BPF;
#endif
#ifdef NFHOOK_HAVE_NF_HOOK_OP_NFT_FT
	case NF_HOOK_OP_NFT_FT:
		return NFHOOK_OPS_NFT_FLOWTABLE;
#endif
	default:
		return NFHOOK_OPS_OTHER;
	}
#else
	return NFHOOK_OPS_UNTYPED;
#endif
}

/*
 * The kfree_skb tracepoint's arguments, as the kernel's headers declare
 * them (Kbuild): the drop reason came in 5.17, the receiving socket in
 * 6.11, and that socket became const later.
 */
#if defined(NFHOOK_KFREE_SKB_CONST_RX_SK)
#define NFHOOK_KFREE_SKB_PROTO	struct sk_buff *skb, void *location, \
				enum skb_drop_reason reason, \
				const struct sock *rx_sk
#define NFHOOK_KFREE_SKB_DROP_REASON	reason
#elif defined(NFHOOK_KFREE_SKB_RX_SK)
#define NFHOOK_KFREE_SKB_PROTO	struct sk_buff *skb, void *location, \
				enum skb_drop_reason reason, \
				struct sock *rx_sk
#define NFHOOK_KFREE_SKB_DROP_REASON	reason
#elif defined(NFHOOK_KFREE_SKB_REASON)
#define NFHOOK_KFREE_SKB_PROTO	struct sk_buff *skb, void *location, \
				enum skb_drop_reason reason
#define NFHOOK_KFREE_SKB_DROP_REASON	reason
#else
#define NFHOOK_KFREE_SKB_PROTO	struct sk_buff *skb, void *location
#define NFHOOK_KFREE_SKB_DROP_REASON	0
#endif

#endif /* _NFHOOK_COMPAT_H */
