// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: replace transactions.
 *
 * One per namespace at a time: a whole ruleset and the ten hooks' settings,
 * staged by the socket that began it and swapped in at once on commit, or
 * thrown away.  Hooks the transaction does not set get the module's
 * defaults.  Everything here runs under nfhook_net.lock.
 *
 * A transaction ends with the socket that began it.  Netlink frees a
 * socket's port id before it notifies the release (NETLINK_URELEASE), so
 * another socket may already hold that id: the transaction keeps a
 * reference on its owner and is matched by socket, and the notifier ends it
 * only when the owner itself is the one going (orphaned, SOCK_DEAD).
 */

#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "netns.h"
#include "trace.h"

static void nfhook_txn_free(struct nfhook_txn *txn)
{
	nfhook_ruleset_free(txn->ruleset);
	sock_put(txn->owner);
	kfree(txn);
}

int nfhook_txn_begin(struct nfhook_net *nn, struct sock *owner, u32 portid)
{
	struct nfhook_txn *txn;
	int f, h;

	if (nn->txn)
		return -EBUSY;
	txn = kzalloc(sizeof(*txn), GFP_KERNEL_ACCOUNT);
	if (!txn)
		return -ENOMEM;
	txn->ruleset = nfhook_ruleset_alloc();
	if (!txn->ruleset) {
		kfree(txn);
		return -ENOMEM;
	}
	nfhook_ruleset_bulk_begin(txn->ruleset);
	for (f = 0; f < NFHOOK_NFAMILIES; f++) {
		for (h = 0; h < NFHOOK_NHOOKS; h++) {
			txn->cfg[f][h].priority = nfhook_default_priority;
			txn->cfg[f][h].enabled = true;
		}
	}
	sock_hold(owner);
	txn->owner = owner;
	txn->portid = portid;
	/* Read without the lock by the release notifier. */
	WRITE_ONCE(nn->txn, txn);
	return 0;
}

bool nfhook_txn_owned_by(const struct nfhook_txn *txn, const struct sock *sk)
{
	return txn->owner == sk;
}

void nfhook_txn_abort(struct nfhook_net *nn)
{
	struct nfhook_txn *txn = nn->txn;

	if (!txn)
		return;
	WRITE_ONCE(nn->txn, NULL);
	nfhook_txn_free(txn);
}

int nfhook_txn_commit(struct net *net, struct nfhook_net *nn,
		      struct nfhook_hook **failed,
		      const struct nfhook_hook_cfg **failed_cfg)
{
	const int nhooks = NFHOOK_NFAMILIES * NFHOOK_NHOOKS;
	struct nfhook_txn *txn = nn->txn;
	const struct nfhook_hook_cfg *cfg;
	bool was_active = nn->active;
	struct nfhook_hook *hook;
	int i, err;

	/* Once per table, before anything is registered or visible. */
	nfhook_ruleset_bulk_end(txn->ruleset);

	/*
	 * Register every new priority or enabled hook: the only failure.  A
	 * replace activates the namespace (netns.h).
	 */
	nn->active = true;
	for (i = 0; i < nhooks; i++) {
		hook = &nn->hooks[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		cfg = &txn->cfg[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		err = nfhook_hook_prepare(net, hook, cfg->enabled,
					  cfg->priority);
		if (err) {
			*failed = hook;
			*failed_cfg = cfg;
			goto err_cancel_hooks;
		}
	}

	/* Packets see the new ruleset from here on. */
	txn->ruleset = rcu_replace_pointer(nn->ruleset, txn->ruleset,
					   lockdep_is_held(&nn->lock));
	for (i = 0; i < nhooks; i++) {
		hook = &nn->hooks[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		cfg = &txn->cfg[i / NFHOOK_NHOOKS][i % NFHOOK_NHOOKS];
		nfhook_hook_commit(net, hook, cfg->enabled, cfg->priority);
	}
	nfhook_net_changed(nn);
	/* It now holds the old ruleset, freed after a grace period. */
	nfhook_txn_abort(nn);
	return 0;

err_cancel_hooks:
	while (i--)
		nfhook_hook_cancel(net, &nn->hooks[i / NFHOOK_NHOOKS]
						  [i % NFHOOK_NHOOKS]);
	nn->active = was_active;
	return err;
}

void nfhook_txn_released(struct nfhook_net *nn, u32 portid)
{
	/*
	 * Every generic netlink socket of the system passes here: most
	 * namespaces have no transaction, and need no lock to say so.  The
	 * owner's own transaction was set before it could be released.
	 */
	if (!READ_ONCE(nn->txn))
		return;

	mutex_lock(&nn->lock);
	if (nn->txn && nn->txn->portid == portid &&
	    sock_flag(nn->txn->owner, SOCK_DEAD))
		nfhook_txn_abort(nn);
	mutex_unlock(&nn->lock);
}

static int nfhook_txn_release(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid) {
		nfhook_txn_released(nfhook_pernet(n->net), n->portid);
		nfhook_trace_released(n->net, n->portid);
	}
	return NOTIFY_DONE;
}

struct notifier_block nfhook_txn_notifier = {
	.notifier_call = nfhook_txn_release,
};
