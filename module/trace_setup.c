// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: trace probes and the life cycle of a namespace's traces
 * (trace.h; trace.c says who owns what).
 */

#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/sock.h>

#include "trace_int.h"

/* Probes *********************************************************************/

static int nfhook_int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/*
 * The probes' priorities at one hook point into @prio: INT_MIN, then p + 1
 * for each distinct priority p of the hooks there (INT_MAX for INT_MAX).
 */
static unsigned int nfhook_trace_priorities(struct net *net, u8 family,
					    u8 hooknum, int *prio,
					    struct nfhook_pipe_entry *e)
{
	struct nfhook_pipe_point pt = { .family = family, .hooknum = hooknum };
	unsigned long cookie = 0;
	unsigned int n = 1, i;
	bool moved;
	u32 pos = 0;
	int p;

	prio[0] = INT_MIN;
	while (nfhook_pipe_read(net, &pt, pos, cookie, &moved, e, 1)) {
		pos = e->position + 1;
		cookie = e->cookie;
		if (e->kind == NFHOOK_PIPE_KIND_TRACE)
			continue;
		p = e->priority == INT_MAX ? INT_MAX : e->priority + 1;
		for (i = 0; i < n && prio[i] != p; i++)
			;
		if (i == n && n < NFHOOK_TRACE_PROBES)
			prio[n++] = p;
	}
	sort(prio, n, sizeof(*prio), nfhook_int_cmp, NULL);
	return n;
}

static void nfhook_trace_unregister(struct nfhook_trace *tr)
{
	unsigned int i;

	for (i = 0; i < tr->nprobes; i++)
		nf_unregister_net_hook(tr->net, &tr->probes[i].ops);
	tr->nprobes = 0;
}

static int nfhook_trace_register(struct nfhook_trace *tr)
{
	const unsigned int npoints = NFHOOK_NFAMILIES * NFHOOK_NHOOKS;
	struct nfhook_trace_probe *p;
	struct nfhook_pipe_entry *e;
	unsigned int pt, n, i;
	int prio[NFHOOK_TRACE_PROBES];
	int err = -ENOMEM;

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	tr->probes = kcalloc(npoints * NFHOOK_TRACE_PROBES,
			     sizeof(*tr->probes), GFP_KERNEL_ACCOUNT);
	if (!e || !tr->probes)
		goto out;
	for (pt = 0; pt < npoints; pt++) {
		u8 family = nfhook_family_of_index(pt / NFHOOK_NHOOKS);
		u8 hooknum = pt % NFHOOK_NHOOKS;

		n = nfhook_trace_priorities(tr->net, family, hooknum, prio, e);
		for (i = 0; i < n; i++) {
			p = &tr->probes[tr->nprobes];
			p->ops.hook = nfhook_trace_probe_fn;
			p->ops.priv = p;
			p->ops.pf = family;
			p->ops.hooknum = hooknum;
			p->ops.priority = prio[i];
			p->tr = tr;
			p->hooknum = hooknum;
			p->first = i == 0;
			p->last = i == n - 1;
			p->has_next = !p->last;
			p->next = p->last ? 0 : prio[i + 1];
			err = nf_register_net_hook(tr->net, &p->ops);
			if (err)
				goto err_unregister;
			tr->nprobes++;
		}
	}
	err = 0;
	goto out;

err_unregister:
	nfhook_trace_unregister(tr);
out:
	kfree(e);
	return err;
}

/* Life cycle *****************************************************************/

static struct nfhook_trace *nfhook_trace_locked(struct nfhook_net *nn)
{
	return rcu_dereference_protected(nn->trace,
					 lockdep_is_held(&nn->lock));
}

static void nfhook_tracer_free(struct nfhook_tracer *t)
{
	sock_put(t->owner);
	kfree(t);
}

/* Unregisters, waits for every reader, frees; under nfhook_net.lock. */
static void nfhook_trace_destroy(struct nfhook_net *nn,
				 struct nfhook_trace *tr)
{
	unsigned int i;

	rcu_assign_pointer(nn->trace, NULL);
	nfhook_trace_unpublish(tr);
	nfhook_trace_unregister(tr);
	synchronize_net();
	cancel_delayed_work_sync(&tr->work);
	static_branch_dec(&nfhook_trace_key);
	for (i = 0; i < NFHOOK_TRACES_MAX; i++)
		if (tr->tracers[i])
			nfhook_tracer_free(tr->tracers[i]);
	kfree(tr->probes);
	mutex_destroy(&tr->report_lock);
	kvfree(tr);
}

static struct nfhook_trace *nfhook_trace_create(struct net *net,
						struct nfhook_net *nn)
{
	struct nfhook_trace *tr;
	int err;

	tr = kvzalloc(sizeof(*tr), GFP_KERNEL_ACCOUNT);
	if (!tr)
		return ERR_PTR(-ENOMEM);
	tr->net = net;
	tr->nn = nn;
	spin_lock_init(&tr->lock);
	mutex_init(&tr->report_lock);
	INIT_DELAYED_WORK(&tr->work, nfhook_trace_work);
	err = nfhook_trace_register(tr);
	if (err) {
		kfree(tr->probes);
		mutex_destroy(&tr->report_lock);
		kvfree(tr);
		return ERR_PTR(err);
	}
	static_branch_inc(&nfhook_trace_key);
	nfhook_trace_publish(tr);
	rcu_assign_pointer(nn->trace, tr);
	return tr;
}

int nfhook_trace_start(struct net *net, struct nfhook_tracer *tracer)
{
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_trace *tr = nfhook_trace_locked(nn);
	unsigned int slot;

	if (tr && tr->ntracers == NFHOOK_TRACES_MAX)
		return -ENOSPC;
	if (!tr) {
		tr = nfhook_trace_create(net, nn);
		if (IS_ERR(tr))
			return PTR_ERR(tr);
	}
	for (slot = 0; tr->tracers[slot]; slot++)
		;
	tracer->id = ++tr->next_id;
	tracer->selected = 0;
	tracer->in_window = 0;
	tracer->window_end = jiffies;
	tracer->lost = 0;
	sock_hold(tracer->owner);
	mutex_lock(&tr->report_lock);
	WRITE_ONCE(tr->tracers[slot], tracer);
	mutex_unlock(&tr->report_lock);
	tr->ntracers++;
	return 0;
}

/* Under nfhook_net.lock. */
static void nfhook_trace_remove(struct nfhook_net *nn, struct nfhook_trace *tr,
				unsigned int slot)
{
	struct nfhook_tracer *t = tr->tracers[slot];
	unsigned long flags;

	if (tr->ntracers == 1) {
		nfhook_trace_destroy(nn, tr);
		return;
	}
	mutex_lock(&tr->report_lock);
	spin_lock_irqsave(&tr->lock, flags);
	WRITE_ONCE(tr->tracers[slot], NULL);
	spin_unlock_irqrestore(&tr->lock, flags);
	mutex_unlock(&tr->report_lock);
	tr->ntracers--;
	/* A probe may still be reading its selector. */
	synchronize_net();
	nfhook_tracer_free(t);
}

int nfhook_trace_stop(struct net *net, const struct sock *owner, u32 id)
{
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_trace *tr = nfhook_trace_locked(nn);
	unsigned int i;

	for (i = 0; tr && i < NFHOOK_TRACES_MAX; i++) {
		if (tr->tracers[i] && tr->tracers[i]->id == id &&
		    tr->tracers[i]->owner == owner) {
			nfhook_trace_remove(nn, tr, i);
			return 0;
		}
	}
	return -ENOENT;
}

void nfhook_trace_released(struct net *net, u32 portid)
{
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_trace *tr;
	unsigned int i;

	/* Every generic netlink socket passes here; most meet no trace. */
	if (!rcu_access_pointer(nn->trace))
		return;
	mutex_lock(&nn->lock);
	for (i = 0; i < NFHOOK_TRACES_MAX; i++) {
		tr = nfhook_trace_locked(nn);
		if (tr && tr->tracers[i] && tr->tracers[i]->portid == portid &&
		    sock_flag(tr->tracers[i]->owner, SOCK_DEAD))
			nfhook_trace_remove(nn, tr, i);
	}
	mutex_unlock(&nn->lock);
}

void nfhook_trace_stop_all(struct net *net)
{
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_trace *tr = nfhook_trace_locked(nn);

	if (tr)
		nfhook_trace_destroy(nn, tr);
}

unsigned int nfhook_trace_count(struct net *net)
{
	struct nfhook_trace *tr = nfhook_trace_locked(nfhook_pernet(net));

	return tr ? tr->ntracers : 0;
}
