// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: TRACE_START and TRACE_STOP, and the TRACE_EVENT messages that
 * report traced packets (trace.h follows them).
 *
 * Reports go only to the socket that started the trace, by unicast: no
 * other socket, privileged or not, sees them.  A report that does not fit
 * the tracer's receive queue is counted and told in the next one
 * (TRACE_LOST).
 */

#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"
#include "trace.h"

static int nfhook_put_trace_step(struct sk_buff *msg,
				 const struct nfhook_trace_step *step,
				 const struct nfhook_pipe_point *pt,
				 const struct nfhook_pipe_entry *dropper)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, NFHOOK_A_TRACE_STEP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, NFHOOK_TRACE_A_HOOK, step->hooknum) ||
	    nla_put_u64_64bit(msg, NFHOOK_TRACE_A_TIME, step->time,
			      NFHOOK_TRACE_A_PAD) ||
	    nla_put_u32(msg, NFHOOK_TRACE_A_RESULT, step->result))
		goto err_cancel;
	if (!step->left && step->result != NFHOOK_TRACE_RESULT_PASSED &&
	    nla_put_s32(msg, NFHOOK_TRACE_A_PRIORITY, step->reached))
		goto err_cancel;
	if (step->verdict &&
	    nla_put_u32(msg, NFHOOK_TRACE_A_VERDICT, step->verdict))
		goto err_cancel;
	if (dropper &&
	    nfhook_put_pipe_entry(msg, NFHOOK_TRACE_A_PIPE, pt, dropper))
		goto err_cancel;
	if (step->reason &&
	    nla_put_string(msg, NFHOOK_TRACE_A_REASON, step->reason))
		goto err_cancel;
	if (step->iifname[0] &&
	    nla_put_string(msg, NFHOOK_TRACE_A_IIFNAME, step->iifname))
		goto err_cancel;
	if (step->oifname[0] &&
	    nla_put_string(msg, NFHOOK_TRACE_A_OIFNAME, step->oifname))
		goto err_cancel;
	nla_nest_end(msg, nest);
	return 0;

err_cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int nfhook_put_trace_packet(struct sk_buff *msg,
				   const struct nfhook_pkt *pkt)
{
	struct nfhook_match m;
	struct nlattr *nest;

	nfhook_match_of_pkt(&m, pkt);
	nest = nla_nest_start(msg, NFHOOK_A_TRACE_PACKET);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, NFHOOK_RULE_A_FAMILY, pkt->family) ||
	    nfhook_fill_match(msg, &m)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* nfhook_trace_report_t: one TRACE_EVENT to the tracer's socket. */
static int nfhook_trace_report(struct net *net,
			       const struct nfhook_tracer *tracer,
			       const struct nfhook_trace_record *rec,
			       const struct nfhook_pipe_point *pt,
			       const struct nfhook_pipe_entry *dropper,
			       u32 lost)
{
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = nfhook_msg_put(msg, 0, 0, 0, NFHOOK_CMD_TRACE_EVENT);
	if (!hdr)
		goto err_free_msg;
	if (nla_put_u32(msg, NFHOOK_A_TRACE_ID, tracer->id) ||
	    nla_put_u64_64bit(msg, NFHOOK_A_TRACE_PACKET_ID, rec->id,
			      NFHOOK_A_PAD) ||
	    nla_put_u32(msg, NFHOOK_A_FAMILY, rec->family) ||
	    nla_put_u32(msg, NFHOOK_A_TRACE_LOST, lost) ||
	    nfhook_put_trace_packet(msg, &rec->pkt))
		goto err_free_msg;
	for (i = 0; i < rec->nsteps; i++)
		if (nfhook_put_trace_step(msg, &rec->steps[i], pt,
					  i == rec->nsteps - 1 ? dropper : NULL))
			goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_unicast(net, msg, tracer->portid);

err_free_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int nfhook_cmd_trace_start(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[NFHOOK_RULE_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	struct nfhook_tracer *tracer;
	struct sk_buff *msg;
	void *hdr;
	int err;
	u32 id;

	err = nfhook_parse_rule(info, tb);
	if (err)
		return err;
	tracer = kzalloc(sizeof(*tracer), GFP_KERNEL_ACCOUNT);
	if (!tracer)
		return -ENOMEM;
	err = nfhook_selector_from_attrs(&tracer->sel,
					 info->attrs[NFHOOK_A_RULE], tb,
					 info->extack);
	if (err)
		goto err_free_tracer;
	tracer->owner = NETLINK_CB(skb).sk;
	tracer->portid = info->snd_portid;
	tracer->report = nfhook_trace_report;
	tracer->rate = info->attrs[NFHOOK_A_TRACE_RATE] ?
		       nla_get_u32(info->attrs[NFHOOK_A_TRACE_RATE]) :
		       NFHOOK_TRACE_RATE_DEFAULT;
	if (info->attrs[NFHOOK_A_TRACE_LIMIT])
		tracer->limit = nla_get_u32(info->attrs[NFHOOK_A_TRACE_LIMIT]);

	msg = nfhook_reply_new(info, NFHOOK_CMD_TRACE_START, &hdr);
	if (IS_ERR(msg)) {
		err = PTR_ERR(msg);
		goto err_free_tracer;
	}

	mutex_lock(&nn->lock);
	err = nfhook_trace_start(net, tracer);
	/* Then the trace owns @tracer, which its stop frees. */
	id = tracer->id;
	mutex_unlock(&nn->lock);
	if (err) {
		if (err == -ENOSPC)
			NFHOOK_SET_ERR_MSG_FMT(info->extack,
					       "too many traces in this namespace",
					       "too many traces in this namespace (at most %d)",
					       NFHOOK_TRACES_MAX);
		else
			NL_SET_ERR_MSG_MOD(info->extack,
					   "netfilter refused a trace probe");
		nlmsg_free(msg);
		goto err_free_tracer;
	}
	if (nla_put_u32(msg, NFHOOK_A_TRACE_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_tracer:
	kfree(tracer);
	return err;
}

int nfhook_cmd_trace_stop(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfhook_net *nn = nfhook_pernet(net);
	u32 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NFHOOK_A_TRACE_ID)) {
		NL_SET_ERR_MSG_MOD(info->extack, "trace id missing");
		return -EINVAL;
	}
	id = nla_get_u32(info->attrs[NFHOOK_A_TRACE_ID]);
	mutex_lock(&nn->lock);
	err = nfhook_trace_stop(net, NETLINK_CB(skb).sk, id);
	mutex_unlock(&nn->lock);
	if (err) {
		NFHOOK_SET_ERR_MSG_FMT(info->extack,
				       "no such trace of this socket",
				       "no trace %u of this socket", id);
		NL_SET_BAD_ATTR(info->extack, info->attrs[NFHOOK_A_TRACE_ID]);
	}
	return err;
}
