/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: what trace.c (the packet path and the reports) and
 * trace_setup.c (probes and life cycle) share; see trace.c for who owns
 * what.
 */
#ifndef _NFHOOK_TRACE_INT_H
#define _NFHOOK_TRACE_INT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "netns.h"
#include "trace.h"

/* Packets followed at once per namespace; more are counted as lost. */
#define NFHOOK_TRACE_RECORDS	32
/* A record that makes no progress for this long has vanished. */
#define NFHOOK_TRACE_IDLE	(HZ / 4)
/* Distinct priorities probed per hook point; more share the last probe. */
#define NFHOOK_TRACE_PROBES	24

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
	struct mutex report_lock;	/* held while reports are sent */

	spinlock_t lock;		/* the records, tracer counters */
	unsigned int nrecords;		/* open or done, not yet reported */
	struct nfhook_trace_record records[NFHOOK_TRACE_RECORDS];

	struct delayed_work work;
	struct nfhook_trace_probe *probes;
	unsigned int nprobes;
};

unsigned int nfhook_trace_probe_fn(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state);
void nfhook_trace_work(struct work_struct *work);
/*
 * Makes @tr seen by the kfree_skb tracepoint; the last trace's unpublish
 * waits until the tracepoint no longer runs our handler.
 */
void nfhook_trace_publish(struct nfhook_trace *tr);
void nfhook_trace_unpublish(struct nfhook_trace *tr);

#endif /* _NFHOOK_TRACE_INT_H */
