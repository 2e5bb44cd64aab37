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
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <trace/events/skb.h>

#include "compat.h"
#include "netns.h"
#include "trace_int.h"

DEFINE_STATIC_KEY_FALSE(nfhook_trace_key);

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
	if (step && step->result == NFHOOK_TRACE_RESULT_UNSPEC) {
		step->result = NFHOOK_TRACE_RESULT_PASSED;
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
	WRITE_ONCE(tr->nrecords, tr->nrecords + 1);
	nfhook_trace_step_begin(tr, rec, p, state);
	if (!delayed_work_pending(&tr->work))
		mod_delayed_work(system_wq, &tr->work, NFHOOK_TRACE_IDLE);
out_unlock:
	spin_unlock_irqrestore(&tr->lock, flags);
}

unsigned int nfhook_trace_probe_fn(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct nfhook_trace_probe *p = priv;
	struct nfhook_trace *tr = p->tr;
	struct nfhook_trace_record *rec;
	struct nfhook_trace_step *step;
	unsigned long flags;

	/*
	 * Most packets are followed by no record: no lock for them.  A record
	 * for @skb was made on this CPU, earlier on its way, so it shows here.
	 */
	if (!READ_ONCE(tr->nrecords)) {
		if (p->first)
			nfhook_trace_select(tr, p, skb, state);
		return NF_ACCEPT;
	}
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
	    step->result != NFHOOK_TRACE_RESULT_UNSPEC) {
		/* A new hook point (or this one again, as after NAT). */
		nfhook_trace_step_begin(tr, rec, p, state);
		goto out_unlock;
	}
	step->reached = p->ops.priority;
	step->has_next = p->has_next;
	step->next = p->next;
	rec->progress = jiffies;
	if (p->last) {
		step->result = NFHOOK_TRACE_RESULT_PASSED;
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
	if (!tr || !READ_ONCE(tr->nrecords))
		return;
	spin_lock_irqsave(&tr->lock, flags);
	rec = nfhook_trace_find(tr, skb);
	step = rec ? nfhook_trace_last(rec) : NULL;
	if (!step || step->hooknum != hooknum ||
	    step->result != NFHOOK_TRACE_RESULT_UNSPEC)
		goto out_unlock;
	step->verdict = nfhook_trace_verdicts[verdict];
	/* Known here on every kernel, tracepoint or not. */
	if (verdict != NFHOOK_HC_ACCEPTED) {
		step->result = NFHOOK_TRACE_RESULT_DROPPED;
		nfhook_trace_finish(tr, rec);
	}
out_unlock:
	spin_unlock_irqrestore(&tr->lock, flags);
}

/* The kfree_skb tracepoint ***************************************************/

#ifdef NFHOOK_HAVE_DROP_REASONS
#define NFHOOK_REASON_NAME(r) \
	[SKB_DROP_REASON_##r] = #r,
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
			step->result = step->left ? NFHOOK_TRACE_RESULT_STACK_DROPPED :
						    NFHOOK_TRACE_RESULT_DROPPED;
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
static bool nfhook_tracepoint_on;

void nfhook_trace_publish(struct nfhook_trace *tr)
{
	mutex_lock(&nfhook_traces_lock);
	list_add_rcu(&tr->list, &nfhook_traces);
	/* Without it, drops by other hooks are told by the records' age. */
	if (!nfhook_tracepoint_users++) {
		nfhook_tracepoint_on =
			!register_trace_kfree_skb(nfhook_trace_kfree_skb, NULL);
		if (!nfhook_tracepoint_on && IS_ENABLED(CONFIG_TRACEPOINTS))
			pr_warn_once("kfree_skb tracepoint unavailable: drops by other hooks are reported as vanished\n");
	}
	mutex_unlock(&nfhook_traces_lock);
}

void nfhook_trace_unpublish(struct nfhook_trace *tr)
{
	mutex_lock(&nfhook_traces_lock);
	list_del_rcu(&tr->list);
	if (!--nfhook_tracepoint_users && nfhook_tracepoint_on) {
		unregister_trace_kfree_skb(nfhook_trace_kfree_skb, NULL);
		tracepoint_synchronize_unregister();
		nfhook_tracepoint_on = false;
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
	bool by_nfhook = step->verdict != NFHOOK_TRACE_VERDICT_NONE &&
			 step->verdict != NFHOOK_TRACE_VERDICT_ACCEPT;
	unsigned long cookie = 0;
	unsigned int n, i;
	bool moved;
	u32 pos = 0;

	if (step->left || (step->result != NFHOOK_TRACE_RESULT_DROPPED &&
			   step->result != NFHOOK_TRACE_RESULT_VANISHED))
		return false;
	do {
		n = nfhook_pipe_read(net, pt, pos, cookie, &moved, out, 1);
		for (i = 0; i < n; i++) {
			if (out->kind == NFHOOK_PIPE_KIND_TRACE ||
			    out->priority < step->reached)
				continue;
			/* Its own verdict says nfhook did it (ties at equal priority). */
			if (by_nfhook && !out->ours)
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
			step->result = NFHOOK_TRACE_RESULT_VANISHED;
		*out = *rec;
		rec->skb = NULL;
		rec->done = false;
		WRITE_ONCE(tr->nrecords, tr->nrecords - 1);
		return true;
	}
	return false;
}

void nfhook_trace_work(struct work_struct *work)
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
