/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: the pipeline of a namespace, every netfilter hook registered in
 * it, nfhook's or not, read from the kernel's own hook tables (the way
 * nfnetlink_hook reads them, on kernels that lack that module too).
 *
 * Nothing here knows netlink: a reader asks for the hooks of one hook
 * point from a position on and gets plain copies, read under RCU and
 * released before the caller builds messages from them.
 */
#ifndef _NFHOOK_PIPELINE_H
#define _NFHOOK_PIPELINE_H

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/types.h>

/* Longest nftables or iptables table or chain name kept, NUL included. */
#define NFHOOK_PIPE_NAME_LEN	256

/*
 * The netdev hook points: NF_NETDEV_INGRESS, and NF_NETDEV_EGRESS, whose
 * name the UAPI headers of kernels before 5.16 lack.
 */
#define NFHOOK_NETDEV_INGRESS	0
#define NFHOOK_NETDEV_EGRESS	1
#define NFHOOK_NETDEV_NHOOKS	2

/*
 * A hook point: one of the namespace's IPv4 or IPv6 hook points, or a
 * netdev hook point (NFHOOK_NETDEV_*) of device @ifindex.
 */
struct nfhook_pipe_point {
	u8 family;			/* NFPROTO_IPV4, _IPV6, _NETDEV */
	u8 hooknum;
	int ifindex;			/* NFPROTO_NETDEV only */
	char ifname[IFNAMSIZ];		/* set by nfhook_pipe_read() */
};

/* A copy of one hook, as read. */
struct nfhook_pipe_entry {
	u32 position;
	int priority;
	u8 kind;			/* enum nfhook_pipe_kind */
	u8 table_family;		/* nftables: NFPROTO_*; else 0 */
	bool ours;
	/*
	 * Compared with what the next read finds at the same position, never
	 * dereferenced: the hook's nf_hook_ops, which can be gone by then.
	 */
	unsigned long cookie;
	char function[KSYM_SYMBOL_LEN];	/* "" when unknown */
	char module[MODULE_NAME_LEN];	/* "" when unknown */
	char table[NFHOOK_PIPE_NAME_LEN];
	char chain[NFHOOK_PIPE_NAME_LEN];
};

/*
 * Reads the hooks of @pt in @net from position @pos on into @out, at most
 * @max, and returns how many it read (0: none from @pos on, or the device
 * is gone); for a device, its name goes to @pt->ifname.  Positions are
 * those of the kernel's table: a hook being unregistered, which the table
 * may still hold, is skipped, leaving a gap.  *@moved is set when @pos > 0
 * and the hook now at @pos - 1 is not the one whose cookie is @prev: hooks
 * came or went since the last read and positions shifted.  Takes the RCU
 * read side only, and never sleeps.
 */
unsigned int nfhook_pipe_read(struct net *net, struct nfhook_pipe_point *pt,
			      u32 pos,
			      unsigned long prev, bool *moved,
			      struct nfhook_pipe_entry *out, unsigned int max);

/* The smallest ifindex above @after of a device of @net; 0 if none. */
int nfhook_pipe_next_dev(struct net *net, int after);

/*
 * Whether this kernel has netdev hook point @hooknum: ingress with
 * CONFIG_NETFILTER_INGRESS, egress with CONFIG_NETFILTER_EGRESS.
 */
bool nfhook_pipe_has_netdev_hook(u8 hooknum);

/*
 * What a hook is, from its function's symbol and module as kallsyms prints
 * them ("" when unknown): NFHOOK_PIPE_KIND_*.  Exposed for KUnit.
 */
u8 nfhook_pipe_kind_of(const char *function, const char *module);

#endif /* _NFHOOK_PIPELINE_H */
