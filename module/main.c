// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: module and network namespace life cycle.
 *
 * Every namespace, including those created after the module was loaded,
 * gets its own rules, counters and hook settings; its ten hooks, enabled at
 * the default priority, are registered once something is configured there
 * (netns.h).  See netns.h for who owns what.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "netns.h"
#include "trace.h"

unsigned int nfhook_net_id __read_mostly;

int nfhook_default_priority __read_mostly = NF_IP_PRI_FILTER + 10;
module_param_named(priority, nfhook_default_priority, int, 0444);
MODULE_PARM_DESC(priority,
		 "Netfilter priority every hook starts at (default 10: after conntrack -200, DNAT -100 and the filter chains 0, never tied with them, before SNAT 100)");

unsigned int nfhook_max_rules __read_mostly = 65536;
module_param_named(max_rules, nfhook_max_rules, uint, 0444);
MODULE_PARM_DESC(max_rules,
		 "Most rules per network namespace (default 65536; a replace transaction may stage as many again)");

static void nfhook_net_uninit_hooks(struct nfhook_net *nn, int n)
{
	int i;

	for (i = 0; i < n; i++)
		nfhook_hook_uninit(&nn->hooks[i / NFHOOK_NHOOKS]
					     [i % NFHOOK_NHOOKS]);
}

static int __net_init nfhook_net_init(struct net *net)
{
	const int nhooks = NFHOOK_NFAMILIES * NFHOOK_NHOOKS;
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_ruleset *rs;
	int err, inited;

	mutex_init(&nn->lock);
	/* Dumps take 0 for "no generation yet". */
	nn->gen = 1;
	rs = nfhook_ruleset_alloc();
	if (!rs) {
		err = -ENOMEM;
		goto err_destroy_lock;
	}
	RCU_INIT_POINTER(nn->ruleset, rs);

	for (inited = 0; inited < nhooks; inited++) {
		err = nfhook_hook_init(&nn->hooks[inited / NFHOOK_NHOOKS]
						 [inited % NFHOOK_NHOOKS],
				       nn, inited / NFHOOK_NHOOKS,
				       inited % NFHOOK_NHOOKS,
				       nfhook_default_priority);
		if (err)
			goto err_uninit_hooks;
	}

	/* Registered when the namespace becomes active (netns.h). */
	return 0;

err_uninit_hooks:
	nfhook_net_uninit_hooks(nn, inited);
	RCU_INIT_POINTER(nn->ruleset, NULL);
	nfhook_ruleset_free(rs);
err_destroy_lock:
	mutex_destroy(&nn->lock);
	return err;
}

/*
 * Unregistering here lets the core's grace period between pre_exit and
 * exit cover packets still running our hook function.
 */
static void __net_exit nfhook_net_pre_exit(struct net *net)
{
	struct nfhook_net *nn = nfhook_pernet(net);

	mutex_lock(&nn->lock);
	nfhook_trace_stop_all(net);
	nfhook_net_deactivate(net, nn);
	mutex_unlock(&nn->lock);
}

static void __net_exit nfhook_net_exit(struct net *net)
{
	struct nfhook_net *nn = nfhook_pernet(net);

	mutex_lock(&nn->lock);
	nfhook_txn_abort(nn);
	nfhook_ruleset_free(rcu_replace_pointer(nn->ruleset, NULL,
						lockdep_is_held(&nn->lock)));
	mutex_unlock(&nn->lock);

	nfhook_net_uninit_hooks(nn, NFHOOK_NFAMILIES * NFHOOK_NHOOKS);
	mutex_destroy(&nn->lock);
}

static struct pernet_operations nfhook_net_ops = {
	.init = nfhook_net_init,
	.pre_exit = nfhook_net_pre_exit,
	.exit = nfhook_net_exit,
	.id = &nfhook_net_id,
	.size = sizeof(struct nfhook_net),
};

static int __init nfhook_init(void)
{
	int err;

	if (!nfhook_max_rules) {
		pr_err("max_rules must be at least 1\n");
		return -EINVAL;
	}

	err = register_pernet_subsys(&nfhook_net_ops);
	if (err)
		return err;
	err = netlink_register_notifier(&nfhook_txn_notifier);
	if (err)
		goto err_unregister_pernet;
	err = nfhook_genl_register();
	if (err)
		goto err_unregister_notifier;
	return 0;

err_unregister_notifier:
	netlink_unregister_notifier(&nfhook_txn_notifier);
err_unregister_pernet:
	unregister_pernet_subsys(&nfhook_net_ops);
	rcu_barrier();
	return err;
}

static void __exit nfhook_exit(void)
{
	nfhook_genl_unregister();
	netlink_unregister_notifier(&nfhook_txn_notifier);
	unregister_pernet_subsys(&nfhook_net_ops);
	/* Rules and rulesets queued with call_rcu()/kfree_rcu() by us. */
	rcu_barrier();
}

module_init(nfhook_init);
module_exit(nfhook_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Netfilter hooks at every IPv4/IPv6 hook point with rules and counters, controlled over generic netlink");
MODULE_VERSION(NFHOOK_VERSION);
MODULE_ALIAS_GENL_FAMILY(NFHOOK_GENL_NAME);
