// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: packet traces (trace.h).
 *
 * Ownership and lifetime:
 *  - struct nfhook_trace exists in a namespace while it has a tracer; it
 *    owns the probes, the records and the tracers.  nfhook_net.lock
 *    serialises starting and stopping; tracers are changed under
 *    @report_lock too, which the report work holds while it sends, so a
 *    stopped tracer gets nothing more.
 *  - The probes' nf_hook_ops point at the trace; so do the tracepoint
 *    handler (through nfhook_traces, an RCU list) and nfhook's own hook
 *    (through nfhook_net.trace).  The last tracer's stop unpublishes the
 *    trace from both, unregisters the probes, waits for a grace period and
 *    only then cancels the work and frees everything.
 *  - Records live in a fixed array under @lock (irqsave: the tracepoint can
 *    fire in any context), filled in atomic context without allocating and
 *    emptied by the work.  A record keeps an skb's address only to find it
 *    again; an address freed while the record is open is recognised
 *    through the tracepoint, or by the age of the record.
 *
 * Probe placement: netfilter inserts a new hook before the first one whose
 * priority is at least its own, so a probe at priority p + 1 runs after
 * every hook at p, and the first probe, at INT_MIN, before all.  A hook
 * point whose last hooks sit at INT_MAX (conntrack's confirmation) gets its
 * last probe at INT_MAX, before them: such hooks are reported as passed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <trace/events/skb.h>

#include "compat.h"
#include "netns.h"
#include "trace.h"

/* Packets followed at once per namespace; more are counted as lost. */
#define NFHOOK_TRACE_RECORDS	32
/* A record that makes no progress for this long has vanished. */
#define NFHOOK_TRACE_IDLE	(HZ / 4)
/* Distinct priorities probed per hook point; more share the last probe. */
#define NFHOOK_TRACE_PROBES	24

DEFINE_STATIC_KEY_FALSE(nfhook_trace_key);

struct nfhook_trace;

struct nfhook_trace_probe {
	struct nf_hook_ops ops;
	struct nfhook_trace *tr;
	u8 hooknum;
	bool first;
	bool last;
	bool has_next;
	int next;			/* the next probe's priority */
};

struct nfhook_trace {
	struct list_head list;		/* in nfhook_traces */
	struct net *net;
	struct nfhook_net *nn;
	struct rcu_head rcu;

	/* Tracer slots: changed under nfhook_net.lock and @report_lock. */
	struct nfhook_tracer *tracers[NFHOOK_TRACES_MAX];
	unsigned int ntracers;
	u32 next_id;
	struct mutex report_lock;

	spinlock_t lock;		/* the records, tracer counters */
	unsigned int nrecords;		/* open or done, not yet reported */
	struct nfhook_trace_record records[NFHOOK_TRACE_RECORDS];

	struct delayed_work work;
	struct nfhook_trace_probe *probes;
	unsigned int nprobes;
};

/* Every namespace's trace, for the tracepoint; under nfhook_traces_lock. */
static LIST_HEAD(nfhook_traces);
static DEFINE_MUTEX(nfhook_traces_lock);
static atomic64_t nfhook_trace_packet_ids = ATOMIC64_INIT(0);

/* Records ********************************************************************/

/* Under tr->lock. */
static struct nfhook_trace_record *
nfhook_trace_find(struct nfhook_trace *tr, const struct sk_buff *skb)
{
	unsigned int i;

	if (!tr->nrecords)
		return NULL;
	for (i = 0; i < NFHOOK_TRACE_RECORDS; i++)
		if (tr->records[i].skb == skb && !tr->records[i].done)
			return &tr->records[i];
	return NULL;
}

static struct nfhook_trace_step *
nfhook_trace_last(struct nfhook_trace_record *rec)
{
	return rec->nsteps ? &rec->steps[rec->nsteps - 1] : NULL;
}

/* Under tr->lock: @rec is complete and goes to the work. */
static void nfhook_trace_finish(struct nfhook_trace *tr,
				struct nfhook_trace_record *rec)
{
	rec->done = true;
	mod_delayed_work(system_wq, &tr->work, 0);
}

static void nfhook_trace_ifnames(struct nfhook_trace_step *step,
				 const struct nf_hook_state *state)
{
	step->iifname[0] = '\0';
	step->oifname[0] = '\0';
	if (state->in)
		strscpy(step->iifname, state->in->name, sizeof(step->iifname));
	if (state->out)
		strscpy(step->oifname, state->out->name,
			sizeof(step->oifname));
}

/* Under tr->lock: a new step of @rec at @p's hook point. */
static void nfhook_trace_step_begin(struct nfhook_trace *tr,
				    struct nfhook_trace_record *rec,
				    const struct nfhook_trace_probe *p,
				    const struct nf_hook_state *state)
{
	struct nfhook_trace_step *step = nfhook_trace_last(rec);

	/* Left the last hook point without reaching its last probe. */
	if (step && step->result == NFHOOK_TRACE_UNSPEC) {
		step->result = NFHOOK_TRACE_PASSED;
		step->left = true;
	}
	if (rec->nsteps == NFHOOK_TRACE_STEPS) {
		nfhook_trace_finish(tr, rec);
		return;
	}
	step = &rec->steps[rec->nsteps++];
	memset(step, 0, sizeof(*step));
	step->time = ktime_get_ns();
	step->hooknum = p->hooknum;
	step->reached = p->ops.priority;
	step->has_next = p->has_next;
	step->next = p->next;
	nfhook_trace_ifnames(step, state);
	rec->progress = jiffies;
}

/* Under tr->lock: whether @t takes one more packet, and counts it. */
static bool nfhook_tracer_admit(struct nfhook_tracer *t)
{
	if (t->limit && t->selected >= t->limit)
		return false;
	if (time_after_eq(jiffies, t->window_end)) {
		t->window_end = jiffies + HZ;
		t->in_window = 0;
	}
	if (t->in_window >= t->rate)
		return false;
	t->in_window++;
	t->selected++;
	return true;
}

/* A packet no record follows, at the first probe of a hook point. */
static void nfhook_trace_select(struct nfhook_trace *tr,
				const struct nfhook_trace_probe *p,
				const struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct nfhook_trace_record *rec = NULL;
	struct nfhook_pkt pkt;
	unsigned long flags;
	unsigned int i;
	u8 want = 0;

	nfhook_pkt_parse(&pkt, skb, p->ops.pf, state->in, state->out);
	/* The tracers are stable while their probes can run. */
	for (i = 0; i < NFHOOK_TRACES_MAX; i++) {
		struct nfhook_tracer *t = READ_ONCE(tr->tracers[i]);

		if (t && t->sel.family == p->ops.pf &&
		    nfhook_match(&t->sel, &pkt))
			want |= BIT(i);
	}
	if (!want)
		return;

	spin_lock_irqsave(&tr->lock, flags);
	for (i = 0; i < NFHOOK_TRACES_MAX; i++) {
		struct nfhook_tracer *t = tr->tracers[i];

		if ((want & BIT(i)) && (!t || !nfhook_tracer_admit(t)))
			want &= ~BIT(i);
	}
	if (!want)
		goto out_unlock;
	for (i = 0; i < NFHOOK_TRACE_RECORDS; i++) {
		if (!tr->records[i].skb) {
			rec = &tr->records[i];
			break;
		}
	}
	if (!rec) {
		for (i = 0; i < NFHOOK_TRACES_MAX; i++)
			if (want & BIT(i))
				tr->tracers[i]->lost++;
		goto out_unlock;
	}
	memset(rec, 0, offsetof(struct nfhook_trace_record, steps));
	rec->skb = skb;
	rec->id = atomic64_inc_return(&nfhook_trace_packet_ids);
	rec->tracers = want;
	rec->family = p->ops.pf;
	rec->pkt = pkt;
	rec->pkt.in = NULL;
	rec->pkt.out = NULL;
	tr->nrecords++;
	nfhook_trace_step_begin(tr, rec, p, state);
	if (!delayed_work_pending(&tr->work))
		mod_delayed_work(system_wq, &tr->work, NFHOOK_TRACE_IDLE);
out_unlock:
	spin_unlock_irqrestore(&tr->lock, flags);
}

static unsigned int nfhook_trace_probe_fn(void *priv, struct sk_buff *skb,
					  const struct nf_hook_state *state)
{
	const struct nfhook_trace_probe *p = priv;
	struct nfhook_trace *tr = p->tr;
	struct nfhook_trace_record *rec;
	struct nfhook_trace_step *step;
	unsigned long flags;

	spin_lock_irqsave(&tr->lock, flags);
	rec = nfhook_trace_find(tr, skb);
	if (!rec) {
		spin_unlock_irqrestore(&tr->lock, flags);
		if (p->first)
			nfhook_trace_select(tr, p, skb, state);
		return NF_ACCEPT;
	}
	step = nfhook_trace_last(rec);
	if (p->first || !step || step->hooknum != p->hooknum ||
	    step->result != NFHOOK_TRACE_UNSPEC) {
		/* A new hook point (or this one again, as after NAT). */
		nfhook_trace_step_begin(tr, rec, p, state);
		goto out_unlock;
	}
	step->reached = p->ops.priority;
	step->has_next = p->has_next;
	step->next = p->next;
	rec->progress = jiffies;
	if (p->last) {
		step->result = NFHOOK_TRACE_PASSED;
		step->left = true;
		/* Past these the packet leaves the pipeline. */
		if (p->hooknum == NF_INET_LOCAL_IN ||
		    p->hooknum == NF_INET_POST_ROUTING)
			nfhook_trace_finish(tr, rec);
	}
out_unlock:
	spin_unlock_irqrestore(&tr->lock, flags);
	return NF_ACCEPT;
}

bool nfhook_trace_is_probe(const struct nf_hook_ops *ops)
{
	return ops->hook == nfhook_trace_probe_fn;
}

static const u8 nfhook_trace_verdicts[NFHOOK_HC_NUM] = {
	[NFHOOK_HC_ACCEPTED] = NFHOOK_TRACE_VERDICT_ACCEPT,
	[NFHOOK_HC_RULE_DROPPED] = NFHOOK_TRACE_VERDICT_RULE_DROP,
	[NFHOOK_HC_POLICY_DROPPED] = NFHOOK_TRACE_VERDICT_POLICY_DROP,
	[NFHOOK_HC_FRAGMENT_DROPPED] = NFHOOK_TRACE_VERDICT_FRAGMENT_DROP,
};

void __nfhook_trace_verdict(struct nfhook_net *nn, const struct sk_buff *skb,
			    u8 hooknum, int verdict)
{
	struct nfhook_trace_record *rec;
	struct nfhook_trace_step *step;
	struct nfhook_trace *tr;
	unsigned long flags;

	tr = nn ? rcu_dereference(nn->trace) : NULL;
	if (!tr)
		return;
	spin_lock_irqsave(&tr->lock, flags);
	rec = nfhook_trace_find(tr, skb);
	step = rec ? nfhook_trace_last(rec) : NULL;
	if (!step || step->hooknum != hooknum ||
	    step->result != NFHOOK_TRACE_UNSPEC)
		goto out_unlock;
	step->verdict = nfhook_trace_verdicts[verdict];
	/* Known here on every kernel, tracepoint or not. */
	if (verdict != NFHOOK_HC_ACCEPTED) {
		step->result = NFHOOK_TRACE_DROPPED;
		nfhook_trace_finish(tr, rec);
	}
out_unlock:
	spin_unlock_irqrestore(&tr->lock, flags);
}

/* The kfree_skb tracepoint ***************************************************/

#ifdef NFHOOK_HAVE_DROP_REASONS
#define NFHOOK_REASON_NAME(r) [SKB_DROP_REASON_##r] = #r,
static const char *const nfhook_drop_reasons[] = {
	DEFINE_DROP_REASON(NFHOOK_REASON_NAME, NFHOOK_REASON_NAME)
};

#undef NFHOOK_REASON_NAME

static const char *nfhook_drop_reason(int reason)
{
	if (reason < 0 || reason >= ARRAY_SIZE(nfhook_drop_reasons))
		return NULL;
	return nfhook_drop_reasons[reason];
}
#else
static const char *nfhook_drop_reason(int reason)
{
	return NULL;
}
#endif

/* @skb, which a record may follow, is being freed with @reason. */
static void nfhook_trace_freed(const struct sk_buff *skb, int reason)
{
	struct nfhook_trace_record *rec;
	struct nfhook_trace_step *step;
	struct nfhook_trace *tr;
	unsigned long flags;

	rcu_read_lock();
	list_for_each_entry_rcu(tr, &nfhook_traces, list) {
		if (!READ_ONCE(tr->nrecords))
			continue;
		spin_lock_irqsave(&tr->lock, flags);
		rec = nfhook_trace_find(tr, skb);
		step = rec ? nfhook_trace_last(rec) : NULL;
		if (step) {
			/* Inside a hook point, a hook freed it. */
			step->result = step->left ? NFHOOK_TRACE_STACK_DROPPED :
						    NFHOOK_TRACE_DROPPED;
			step->reason = nfhook_drop_reason(reason);
			nfhook_trace_finish(tr, rec);
		}
		spin_unlock_irqrestore(&tr->lock, flags);
	}
	rcu_read_unlock();
}

static void nfhook_trace_kfree_skb(void *data, NFHOOK_KFREE_SKB_PROTO)
{
	nfhook_trace_freed(skb, NFHOOK_KFREE_SKB_DROP_REASON);
}

/* Users of the tracepoint, all namespaces; under nfhook_traces_lock. */
static unsigned int nfhook_tracepoint_users;

static void nfhook_trace_publish(struct nfhook_trace *tr)
{
	mutex_lock(&nfhook_traces_lock);
	list_add_rcu(&tr->list, &nfhook_traces);
	/* Without tracepoints, drops are told by the records' age. */
	if (!nfhook_tracepoint_users++ &&
	    register_trace_kfree_skb(nfhook_trace_kfree_skb, NULL) &&
	    IS_ENABLED(CONFIG_TRACEPOINTS))
		pr_warn_once("no kfree_skb tracepoint: drops are reported as vanished\n");
	mutex_unlock(&nfhook_traces_lock);
}

/* The caller waits for a grace period before freeing @tr. */
static void nfhook_trace_unpublish(struct nfhook_trace *tr)
{
	mutex_lock(&nfhook_traces_lock);
	list_del_rcu(&tr->list);
	if (!--nfhook_tracepoint_users) {
		unregister_trace_kfree_skb(nfhook_trace_kfree_skb, NULL);
		tracepoint_synchronize_unregister();
	}
	mutex_unlock(&nfhook_traces_lock);
}

/* Reports ********************************************************************/

/*
 * The first hook of @rec's last step that can have stopped it: between the
 * priority it reached and the next probe's.  Copied into @out.
 */
static bool nfhook_trace_dropper(struct net *net,
				 const struct nfhook_trace_record *rec,
				 struct nfhook_pipe_point *pt,
				 struct nfhook_pipe_entry *out)
{
	const struct nfhook_trace_step *step = &rec->steps[rec->nsteps - 1];
	unsigned long cookie = 0;
	unsigned int n, i;
	bool moved;
	u32 pos = 0;

	if (step->left || (step->result != NFHOOK_TRACE_DROPPED &&
			   step->result != NFHOOK_TRACE_VANISHED))
		return false;
	do {
		n = nfhook_pipe_read(net, pt, pos, cookie, &moved, out, 1);
		for (i = 0; i < n; i++) {
			if (out->kind == NFHOOK_PIPE_KIND_TRACE ||
			    out->priority < step->reached)
				continue;
			return !step->has_next || out->priority < step->next;
		}
		pos = out->position + 1;
		cookie = out->cookie;
	} while (n);
	return false;
}

static void nfhook_trace_report_one(struct nfhook_trace *tr,
				    struct nfhook_trace_record *rec,
				    struct nfhook_pipe_entry *dropper)
{
	struct nfhook_pipe_point pt = {
		.family = rec->family,
		.hooknum = rec->steps[rec->nsteps - 1].hooknum,
	};
	bool found;
	unsigned long flags;
	unsigned int i;
	u32 lost;

	found = dropper && nfhook_trace_dropper(tr->net, rec, &pt, dropper);
	mutex_lock(&tr->report_lock);
	for (i = 0; i < NFHOOK_TRACES_MAX; i++) {
		struct nfhook_tracer *t = tr->tracers[i];

		if (!(rec->tracers & BIT(i)) || !t ||
		    sock_flag(t->owner, SOCK_DEAD))
			continue;
		spin_lock_irqsave(&tr->lock, flags);
		lost = t->lost;
		t->lost = 0;
		spin_unlock_irqrestore(&tr->lock, flags);
		if (t->report(tr->net, t, rec, &pt, found ? dropper : NULL,
			      lost)) {
			spin_lock_irqsave(&tr->lock, flags);
			t->lost += lost + 1;
			spin_unlock_irqrestore(&tr->lock, flags);
		}
	}
	mutex_unlock(&tr->report_lock);
}

/* Under tr->lock: takes a done or idle record out into @out. */
static bool nfhook_trace_take(struct nfhook_trace *tr,
			      struct nfhook_trace_record *out, bool *pending)
{
	struct nfhook_trace_record *rec;
	struct nfhook_trace_step *step;
	unsigned int i;

	*pending = false;
	for (i = 0; i < NFHOOK_TRACE_RECORDS; i++) {
		rec = &tr->records[i];
		if (!rec->skb)
			continue;
		if (!rec->done &&
		    time_before(jiffies, rec->progress + NFHOOK_TRACE_IDLE)) {
			*pending = true;
			continue;
		}
		step = nfhook_trace_last(rec);
		if (!rec->done && step)
			step->result = NFHOOK_TRACE_VANISHED;
		*out = *rec;
		rec->skb = NULL;
		rec->done = false;
		tr->nrecords--;
		return true;
	}
	return false;
}

static void nfhook_trace_work(struct work_struct *work)
{
	struct nfhook_trace *tr = container_of(to_delayed_work(work),
					       struct nfhook_trace, work);
	struct nfhook_trace_record rec;
	struct nfhook_pipe_entry *dropper;
	bool pending = false, taken;
	unsigned long flags;

	/* Without it, drops are reported without naming the hook. */
	dropper = kmalloc(sizeof(*dropper), GFP_KERNEL);
	for (;;) {
		spin_lock_irqsave(&tr->lock, flags);
		taken = nfhook_trace_take(tr, &rec, &pending);
		spin_unlock_irqrestore(&tr->lock, flags);
		if (!taken)
			break;
		if (rec.nsteps)
			nfhook_trace_report_one(tr, &rec, dropper);
	}
	kfree(dropper);
	if (pending)
		mod_delayed_work(system_wq, &tr->work, NFHOOK_TRACE_IDLE);
}

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
