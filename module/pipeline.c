// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the pipeline of a namespace, read from netfilter's own tables.
 *
 * Each hook point's hooks are a struct nf_hook_entries, published with RCU
 * and replaced as a whole whenever a hook comes or goes; its nf_hook_ops
 * (nf_hook_entries_get_hook_ops()) give each hook's priority, function and
 * private data.  Everything is read under rcu_read_lock() and copied out,
 * names included, so that the caller builds its messages after the read
 * side has ended.  The same holds for what the private data points to:
 *
 *  - an nftables base chain (ops->priv is its struct nft_chain, as
 *    nfnetlink_hook also reads it) and its table are freed by nf_tables
 *    only after a grace period that follows the chain's unregistration
 *    (commit and abort release, netns exit), and a renamed chain's old name
 *    likewise; so they are alive while the ops are reachable here.  A chain
 *    added by an nftables transaction not yet committed is listed too: its
 *    hook is registered before the commit, and telling the two apart needs
 *    nf_tables' own symbols, which nfhook must not depend on.
 *  - an iptables table (ops->priv with ipt_do_table() as the hook function,
 *    5.17 on) is freed in the netns exit step, after the grace period that
 *    follows the pre_exit step unregistering its hooks.
 *
 * Ops being unregistered are replaced, in the table still visible to
 * readers, by netfilter's dummy ops (family NFPROTO_UNSPEC): skipped.
 *
 * Symbols: sprint_symbol_no_offset() gives "function [module]" for module
 * code and "function" for the kernel's own.  The module comes from there:
 * __module_address() is not exported to modules.  Without CONFIG_KALLSYMS
 * both stay unknown, and an address kallsyms cannot name is never copied
 * out (it would give away the kernel's layout).
 */

#include <linux/kallsyms.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <net/netfilter/nf_tables.h>

#include "compat.h"
#include "netns.h"
#include "pipeline.h"
#include "trace.h"

bool nfhook_pipe_has_netdev_hook(u8 hooknum)
{
	switch (hooknum) {
	case NFHOOK_NETDEV_INGRESS:
		return IS_ENABLED(CONFIG_NETFILTER_INGRESS);
	case NFHOOK_NETDEV_EGRESS:
		return IS_ENABLED(CONFIG_NETFILTER_EGRESS);
	default:
		return false;
	}
}

/* Under RCU; for a device, its name goes to @pt->ifname. */
static const struct nf_hook_entries *
nfhook_pipe_entries(struct net *net, struct nfhook_pipe_point *pt)
{
	struct net_device *dev;

	switch (pt->family) {
	case NFPROTO_IPV4:
		if (pt->hooknum >= ARRAY_SIZE(net->nf.hooks_ipv4))
			return NULL;
		return rcu_dereference(net->nf.hooks_ipv4[pt->hooknum]);
	case NFPROTO_IPV6:
		if (pt->hooknum >= ARRAY_SIZE(net->nf.hooks_ipv6))
			return NULL;
		return rcu_dereference(net->nf.hooks_ipv6[pt->hooknum]);
	case NFPROTO_NETDEV:
		dev = dev_get_by_index_rcu(net, pt->ifindex);
		if (!dev)
			return NULL;
		/* A rename may race this copy; the dump shows either name. */
		strscpy(pt->ifname, dev->name, sizeof(pt->ifname));
		if (pt->hooknum == NFHOOK_NETDEV_INGRESS)
			return nfhook_dev_hooks_ingress(dev);
		if (pt->hooknum == NFHOOK_NETDEV_EGRESS)
			return nfhook_dev_hooks_egress(dev);
		return NULL;
	default:
		return NULL;
	}
}

static bool nfhook_str_in(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static bool nfhook_str_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * By function first (modules built into the kernel report "vmlinux"),
 * then by module: the names are those of 5.10 to 7.2.
 */
u8 nfhook_pipe_kind_of(const char *function, const char *module)
{
	static const char *const defrag_fn[] = {
		"ipv4_conntrack_defrag", "ipv6_defrag",
	};
	static const char *const confirm_fn[] = {
		"ipv4_confirm", "ipv6_confirm", "nf_confirm",
	};
	static const char *const defrag_mod[] = {
		"nf_defrag_ipv4", "nf_defrag_ipv6",
	};
	static const char *const xt_mod[] = {
		"ip_tables", "ip6_tables",
	};

	if (nfhook_str_in(function, defrag_fn, ARRAY_SIZE(defrag_fn)))
		return NFHOOK_PIPE_KIND_DEFRAG;
	if (nfhook_str_starts(function, "ipv4_conntrack_") ||
	    nfhook_str_starts(function, "ipv6_conntrack_") ||
	    nfhook_str_in(function, confirm_fn, ARRAY_SIZE(confirm_fn)))
		return NFHOOK_PIPE_KIND_CONNTRACK;
	if (nfhook_str_starts(function, "nf_nat_ipv4_") ||
	    nfhook_str_starts(function, "nf_nat_ipv6_") ||
	    nfhook_str_starts(function, "nf_nat_inet_"))
		return NFHOOK_PIPE_KIND_NAT;
	if (nfhook_str_starts(function, "nft_do_chain") ||
	    nfhook_str_starts(function, "nf_route_table_hook"))
		return NFHOOK_PIPE_KIND_NFTABLES;
	if (!strcmp(function, "ipt_do_table") ||
	    !strcmp(function, "ip6t_do_table") ||
	    nfhook_str_starts(function, "iptable_") ||
	    nfhook_str_starts(function, "ip6table_"))
		return NFHOOK_PIPE_KIND_IPTABLES;
	if (!strcmp(function, "nf_hook_run_bpf"))
		return NFHOOK_PIPE_KIND_BPF;
	if (nfhook_str_starts(function, "nf_flow_offload_"))
		return NFHOOK_PIPE_KIND_FLOWTABLE;
	if (nfhook_str_starts(function, "apparmor_") ||
	    nfhook_str_starts(function, "selinux_") ||
	    nfhook_str_starts(function, "smack_"))
		return NFHOOK_PIPE_KIND_LSM;

	if (!strcmp(module, "nf_conntrack"))
		return NFHOOK_PIPE_KIND_CONNTRACK;
	if (nfhook_str_in(module, defrag_mod, ARRAY_SIZE(defrag_mod)))
		return NFHOOK_PIPE_KIND_DEFRAG;
	if (!strcmp(module, "nf_nat"))
		return NFHOOK_PIPE_KIND_NAT;
	if (!strcmp(module, "nf_tables"))
		return NFHOOK_PIPE_KIND_NFTABLES;
	if (nfhook_str_in(module, xt_mod, ARRAY_SIZE(xt_mod)) ||
	    nfhook_str_starts(module, "iptable_") ||
	    nfhook_str_starts(module, "ip6table_"))
		return NFHOOK_PIPE_KIND_IPTABLES;
	if (nfhook_str_starts(module, "nf_flow_table"))
		return NFHOOK_PIPE_KIND_FLOWTABLE;
	return NFHOOK_PIPE_KIND_UNKNOWN;
}

/* Splits "function [module]" as kallsyms prints it. */
static void nfhook_pipe_symbol(struct nfhook_pipe_entry *e, nf_hookfn *fn)
{
	char *mod, *end;

	e->module[0] = '\0';
	sprint_symbol_no_offset(e->function, (unsigned long)fn);
	if (!strncmp(e->function, "0x", 2))
		e->function[0] = '\0';
	if (!e->function[0])
		return;

	mod = strstr(e->function, " [");
	if (!mod) {
		strscpy(e->module, "vmlinux", sizeof(e->module));
		return;
	}
	*mod = '\0';
	mod += 2;
	end = strchr(mod, ']');
	if (end)
		*end = '\0';
	strscpy(e->module, mod, sizeof(e->module));
}

/* @ops->priv is a base chain's struct nft_chain; under RCU. */
static void nfhook_pipe_nft_chain(struct nfhook_pipe_entry *e,
				  const struct nf_hook_ops *ops)
{
	const struct nft_chain *chain = ops->priv;
	const struct nft_table *table;
	const char *name;

	if (!chain)
		return;
	name = READ_ONCE(chain->name);
	if (name)
		strscpy(e->chain, name, sizeof(e->chain));
	table = READ_ONCE(chain->table);
	if (!table)
		return;
	name = READ_ONCE(table->name);
	if (name)
		strscpy(e->table, name, sizeof(e->table));
	e->table_family = table->family;
}

/* An iptables table: from the module (iptable_filter) or ops->priv. */
static void nfhook_pipe_xt_table(struct nfhook_pipe_entry *e,
				 const struct nf_hook_ops *ops)
{
	const struct xt_table *table = ops->priv;

	if (nfhook_str_starts(e->module, "iptable_"))
		strscpy(e->table, e->module + strlen("iptable_"),
			sizeof(e->table));
	else if (nfhook_str_starts(e->module, "ip6table_"))
		strscpy(e->table, e->module + strlen("ip6table_"),
			sizeof(e->table));
	/* The hook function only where ops->priv is the table (5.17 on). */
	else if (table && (!strcmp(e->function, "ipt_do_table") ||
			   !strcmp(e->function, "ip6t_do_table")))
		strscpy(e->table, table->name, sizeof(e->table));
}

/* Whether the kernel types @ops, or else its symbol, say nftables chain. */
static bool nfhook_pipe_is_nft_chain(const struct nfhook_pipe_entry *e,
				     enum nfhook_ops_type type)
{
	if (type != NFHOOK_OPS_UNTYPED)
		return type == NFHOOK_OPS_NFT_CHAIN;
	/* 5.10: only these functions take the chain as their priv. */
	return nfhook_str_starts(e->function, "nft_do_chain") ||
	       nfhook_str_starts(e->function, "nf_route_table_hook");
}

static void nfhook_pipe_fill(struct nfhook_pipe_entry *e,
			     const struct nfhook_net *nn,
			     const struct nf_hook_ops *ops, u32 position)
{
	const void *first = nn->hooks;
	const void *end = (const char *)first + sizeof(nn->hooks);
	enum nfhook_ops_type type = nfhook_ops_type(ops);

	e->position = position;
	e->priority = ops->priority;
	e->cookie = (unsigned long)ops;
	e->table[0] = '\0';
	e->chain[0] = '\0';
	e->table_family = 0;
	nfhook_pipe_symbol(e, ops->hook);
	e->ours = ops->priv >= first && ops->priv < end;

	if (nfhook_trace_is_probe(ops))
		e->kind = NFHOOK_PIPE_KIND_TRACE;
	else if (e->ours)
		e->kind = NFHOOK_PIPE_KIND_NFHOOK;
	else if (type == NFHOOK_OPS_NFT_CHAIN)
		e->kind = NFHOOK_PIPE_KIND_NFTABLES;
	else if (type == NFHOOK_OPS_BPF)
		e->kind = NFHOOK_PIPE_KIND_BPF;
	else if (type == NFHOOK_OPS_NFT_FLOWTABLE)
		e->kind = NFHOOK_PIPE_KIND_FLOWTABLE;
	else
		e->kind = nfhook_pipe_kind_of(e->function, e->module);

	if (e->kind == NFHOOK_PIPE_KIND_NFTABLES &&
	    nfhook_pipe_is_nft_chain(e, type))
		nfhook_pipe_nft_chain(e, ops);
	else if (e->kind == NFHOOK_PIPE_KIND_IPTABLES)
		nfhook_pipe_xt_table(e, ops);
}

unsigned int nfhook_pipe_read(struct net *net, struct nfhook_pipe_point *pt,
			      u32 pos, unsigned long prev, bool *moved,
			      struct nfhook_pipe_entry *out, unsigned int max)
{
	const struct nfhook_net *nn = nfhook_pernet(net);
	const struct nf_hook_entries *e;
	struct nf_hook_ops **ops;
	const struct nf_hook_ops *o;
	unsigned int n = 0, num;
	u32 i;

	*moved = false;
	rcu_read_lock();
	e = nfhook_pipe_entries(net, pt);
	num = e ? e->num_hook_entries : 0;
	if (pos > num) {
		*moved = true;
		goto out;
	}
	if (!num)
		goto out;
	ops = nf_hook_entries_get_hook_ops(e);
	if (pos && (unsigned long)READ_ONCE(ops[pos - 1]) != prev)
		*moved = true;
	for (i = pos; i < num && n < max; i++) {
		o = READ_ONCE(ops[i]);
		if (o->pf == NFPROTO_UNSPEC)	/* being unregistered */
			continue;
		nfhook_pipe_fill(&out[n++], nn, o, i);
	}
out:
	rcu_read_unlock();
	return n;
}

int nfhook_pipe_next_dev(struct net *net, int after)
{
	struct net_device *dev;
	int best = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev)
		if (dev->ifindex > after && (!best || dev->ifindex < best))
			best = dev->ifindex;
	rcu_read_unlock();
	return best;
}
