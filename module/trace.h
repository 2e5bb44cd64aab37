/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhook: packet traces, the path of selected packets through every hook
 * of a namespace's pipeline, nfhook's or not.
 *
 * While a namespace has a trace, probe hooks sit at each IPv4 and IPv6 hook
 * point: one before every other hook and one after each distinct priority
 * found there.  A packet a tracer's selector matches at the first probe of
 * a hook point gets a record; each probe it reaches notes how far it got.
 * A packet that stops between two probes was dropped or stolen by a hook
 * between them, and the pipeline reader (pipeline.h) names it.  The drop
 * itself is seen on the kfree_skb tracepoint where the kernel has one;
 * elsewhere a record that makes no progress for a while is reported as
 * vanished.  Records are reported from a work item, in process context,
 * through the tracer's report function: nothing here knows netlink.
 *
 * When no trace runs anywhere, the packet path pays one static branch, in
 * nfhook's own hook function, and no probe is registered.
 */
#ifndef _NFHOOK_TRACE_H
#define _NFHOOK_TRACE_H

#include <linux/jump_label.h>
#include <linux/netdevice.h>
#include <linux/types.h>

#include "nfhook.h"
#include "pipeline.h"

/* Hook points a record follows in one namespace: pre, forward, post... */
#define NFHOOK_TRACE_STEPS	5

/* One hook point of a traced packet's path; see enum nfhook_trace_attr. */
struct nfhook_trace_step {
	u64 time;
	u8 hooknum;
	u8 result;		/* enum nfhook_trace_result; UNSPEC: inside */
	u8 verdict;		/* enum nfhook_trace_verdict */
	bool has_next;		/* @next is the next probe's priority */
	bool left;		/* got past the last probe */
	int reached;		/* every hook below this priority ran */
	int next;
	const char *reason;	/* a kernel drop reason, static; or NULL */
	char iifname[IFNAMSIZ];
	char oifname[IFNAMSIZ];
};

/* A traced packet, as reported. */
struct nfhook_trace_record {
	const struct sk_buff *skb;	/* identity only, never dereferenced */
	u64 id;
	u8 tracers;			/* bit i: tracer slot i selected it */
	u8 family;
	u8 nsteps;
	bool done;
	unsigned long progress;		/* jiffies of the last step taken */
	struct nfhook_pkt pkt;		/* devices cleared */
	struct nfhook_trace_step steps[NFHOOK_TRACE_STEPS];
};

struct nfhook_tracer;
struct net;
struct sock;

/*
 * Reports @rec, whose last step, if a drop inside a hook point, was by
 * @dropper (NULL when unknown), with @lost packets not reported before it.
 * Process context; may sleep.  Returns a negative errno when the report
 * could not be delivered.
 */
typedef int (*nfhook_trace_report_t)(struct net *net,
				     const struct nfhook_tracer *tracer,
				     const struct nfhook_trace_record *rec,
				     const struct nfhook_pipe_point *pt,
				     const struct nfhook_pipe_entry *dropper,
				     u32 lost);

/* A tracer: one trace, bound to the socket that started it. */
struct nfhook_tracer {
	struct sock *owner;		/* referenced */
	u32 portid;
	u32 id;
	struct nfhook_match sel;
	u32 rate;			/* packets selected per second */
	u32 limit;			/* packets selected in all; 0: no limit */
	nfhook_trace_report_t report;
	/* Under the namespace's trace lock: */
	u32 selected;
	u32 in_window;
	unsigned long window_end;
	u32 lost;
};

/* Whether any namespace has a trace: the packet path's only cost. */
DECLARE_STATIC_KEY_FALSE(nfhook_trace_key);

/*
 * Starts @tracer (filled in by the caller, id and counters excepted) in
 * @net: -ENOSPC with NFHOOK_TRACES_MAX running, or netfilter's error when a
 * probe cannot be registered.  On success the trace owns @tracer and a
 * reference on its owner.  Under nfhook_net.lock.
 */
int nfhook_trace_start(struct net *net, struct nfhook_tracer *tracer);
/* Stops trace @id of @owner: -ENOENT when @owner has none such. */
int nfhook_trace_stop(struct net *net, const struct sock *owner, u32 id);
/* A socket with port id @portid was released: its traces end. */
void nfhook_trace_released(struct net *net, u32 portid);
/* Ends every trace of @net (namespace exit); under nfhook_net.lock. */
void nfhook_trace_stop_all(struct net *net);
/* Traces running in @net; under nfhook_net.lock. */
unsigned int nfhook_trace_count(struct net *net);
/* Whether @ops is one of the trace's probes (pipeline.c). */
bool nfhook_trace_is_probe(const struct nf_hook_ops *ops);

struct nfhook_net;

/*
 * nfhook's own hook at @hooknum of @nn gave @skb @verdict, an enum
 * nfhook_hook_counter (netns.h).  Under RCU.
 */
void __nfhook_trace_verdict(struct nfhook_net *nn, const struct sk_buff *skb,
			    u8 hooknum, int verdict);

static inline void nfhook_trace_verdict(struct nfhook_net *nn,
					const struct sk_buff *skb,
					u8 hooknum, int verdict)
{
	if (static_branch_unlikely(&nfhook_trace_key))
		__nfhook_trace_verdict(nn, skb, hooknum, verdict);
}

#endif /* _NFHOOK_TRACE_H */
