// SPDX-License-Identifier: GPL-2.0
/*
 * nfhook: the PIPELINE_GET dump, every netfilter hook of the namespace.
 *
 * The hooks are netfilter's, not nfhook's: no lock of nfhook's orders
 * their changes, and no generation counter tells that they changed.  So
 * each dump step reads again, from a cursor kept in cb->ctx: the hook
 * point (the ten IPv4 and IPv6 ones, then each device's netdev ingress
 * and egress, devices by ifindex) and the position in it.  At most
 * NFHOOK_PIPE_BATCH hooks are copied per read (pipeline.c, under RCU),
 * into memory allocated before, and the messages are built from the
 * copies.  To resume, a step compares the hook it finds just before the
 * cursor with the last one it sent; when they differ (hooks came or went
 * between two steps), the dump is flagged NLM_F_DUMP_INTR and goes on:
 * the listing may then miss a hook or show one twice, and userspace can
 * ask again.  Most dumps fit into one step and never see this.
 */

#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"
#include "pipeline.h"

/* Hooks copied per read: about 1.2 KiB each. */
#define NFHOOK_PIPE_BATCH	8

/* The IPv4 and IPv6 hook points come first, as cursor stages. */
#define NFHOOK_PIPE_INET_STAGES	(NFHOOK_NFAMILIES * NFHOOK_NHOOKS)
#define NFHOOK_PIPE_STAGE_NETDEV NFHOOK_PIPE_INET_STAGES
#define NFHOOK_PIPE_STAGE_END	(NFHOOK_PIPE_INET_STAGES + 1)

/* Where the dump goes on from; lives in cb->ctx, zeroed by the core. */
struct nfhook_pipe_ctx {
	bool checked;		/* the request was checked: filters set */
	u8 stage;		/* an IPv4/IPv6 point, NETDEV or END */
	u8 devhook;		/* NETDEV: NFHOOK_NETDEV_* */
	int fidx;		/* filter: family index, -1 for all */
	int hooknum;		/* filter: hook, -1 for all */
	int ifindex;		/* NETDEV: the device, 0 before the first */
	u32 pos;		/* next position at the hook point */
	u32 moves;		/* shifts seen so far: cb->seq */
	unsigned long cookie;	/* the last hook sent (pipeline.h) */
};

static struct nfhook_pipe_ctx *nfhook_pipe_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nfhook_pipe_ctx) > sizeof(cb->ctx));
	return (struct nfhook_pipe_ctx *)cb->ctx;
}

/* As nfhook_dump_begin() in netlink_dump.c: checked in the first step. */
static int nfhook_pipe_begin(struct netlink_callback *cb)
{
	struct nfhook_pipe_ctx *ctx = nfhook_pipe_ctx(cb);
	struct nlattr *attrs[NFHOOK_A_MAX + 1];
	int err;

	if (ctx->checked)
		return 0;

	err = genlmsg_parse(cb->nlh, &nfhook_genl_family, attrs, NFHOOK_A_MAX,
			    nfhook_policy, cb->extack);
	if (err)
		return err;
	if (attrs[NFHOOK_A_RESET]) {
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "the pipeline has no counters to reset");
		NL_SET_BAD_ATTR(cb->extack, attrs[NFHOOK_A_RESET]);
		return -EINVAL;
	}
	err = nfhook_get_hook_id(attrs, cb->extack, &ctx->fidx, &ctx->hooknum);
	if (err)
		return err;
	ctx->checked = true;
	/* genl_dump_check_consistent() takes 0 for "not set". */
	ctx->moves = 1;
	return 0;
}

/* The cursor's next hook point, from its first position. */
static void nfhook_pipe_advance(struct nfhook_pipe_ctx *ctx)
{
	ctx->pos = 0;
	ctx->cookie = 0;
	if (ctx->stage < NFHOOK_PIPE_STAGE_NETDEV)
		ctx->stage++;
	else
		ctx->devhook++;
}

/*
 * Sets @pt to the hook point under the cursor, moving the cursor past the
 * points the filter leaves out and those the kernel lacks; false at the
 * end.
 */
static bool nfhook_pipe_point(struct net *net, struct nfhook_pipe_ctx *ctx,
			      struct nfhook_pipe_point *pt)
{
	int fidx, hooknum;

	for (; ctx->stage < NFHOOK_PIPE_STAGE_NETDEV; ctx->stage++) {
		fidx = ctx->stage / NFHOOK_NHOOKS;
		hooknum = ctx->stage % NFHOOK_NHOOKS;
		if (nfhook_hook_filtered_out(ctx->fidx, ctx->hooknum, fidx,
					     hooknum))
			continue;
		pt->family = nfhook_family_of_index(fidx);
		pt->hooknum = hooknum;
		pt->ifindex = 0;
		pt->ifname[0] = '\0';
		return true;
	}
	/* A FAMILY filter asks for IPv4 or IPv6 hook points only. */
	if (ctx->stage != NFHOOK_PIPE_STAGE_NETDEV || ctx->fidx >= 0)
		goto end;

	for (;;) {
		if (!ctx->ifindex || ctx->devhook >= NFHOOK_NETDEV_NHOOKS) {
			ctx->ifindex = nfhook_pipe_next_dev(net, ctx->ifindex);
			ctx->devhook = 0;
			if (!ctx->ifindex)
				goto end;
		}
		if (nfhook_pipe_has_netdev_hook(ctx->devhook))
			break;
		ctx->devhook++;
	}
	pt->family = NFPROTO_NETDEV;
	pt->hooknum = ctx->devhook;
	pt->ifindex = ctx->ifindex;
	pt->ifname[0] = '\0';
	return true;

end:
	ctx->stage = NFHOOK_PIPE_STAGE_END;
	return false;
}

int nfhook_put_pipe_entry(struct sk_buff *skb, int attrtype,
			  const struct nfhook_pipe_point *pt,
			  const struct nfhook_pipe_entry *e)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFHOOK_PIPE_A_FAMILY, pt->family) ||
	    nla_put_u32(skb, NFHOOK_PIPE_A_HOOK, pt->hooknum) ||
	    nla_put_u32(skb, NFHOOK_PIPE_A_POSITION, e->position) ||
	    nla_put_s32(skb, NFHOOK_PIPE_A_PRIORITY, e->priority) ||
	    nla_put_u32(skb, NFHOOK_PIPE_A_KIND, e->kind))
		goto err_cancel;
	if (pt->family == NFPROTO_NETDEV &&
	    (nla_put_u32(skb, NFHOOK_PIPE_A_IFINDEX, pt->ifindex) ||
	     nla_put_string(skb, NFHOOK_PIPE_A_IFNAME, pt->ifname)))
		goto err_cancel;
	if (e->function[0] &&
	    nla_put_string(skb, NFHOOK_PIPE_A_FUNCTION, e->function))
		goto err_cancel;
	if (e->module[0] &&
	    nla_put_string(skb, NFHOOK_PIPE_A_MODULE, e->module))
		goto err_cancel;
	if (e->table[0] &&
	    nla_put_string(skb, NFHOOK_PIPE_A_TABLE, e->table))
		goto err_cancel;
	if (e->chain[0] &&
	    nla_put_string(skb, NFHOOK_PIPE_A_CHAIN, e->chain))
		goto err_cancel;
	if (e->table_family &&
	    nla_put_u32(skb, NFHOOK_PIPE_A_TABLE_FAMILY, e->table_family))
		goto err_cancel;
	if (e->ours && nla_put_flag(skb, NFHOOK_PIPE_A_OURS))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int nfhook_pipe_dump_one(struct sk_buff *skb,
				struct netlink_callback *cb,
				const struct nfhook_pipe_point *pt,
				const struct nfhook_pipe_entry *e)
{
	void *hdr;

	hdr = nfhook_msg_put(skb, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI,
			     NFHOOK_CMD_PIPELINE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nfhook_put_pipe_entry(skb, NFHOOK_A_PIPE, pt, e)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int nfhook_pipeline_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfhook_pipe_ctx *ctx = nfhook_pipe_ctx(cb);
	struct net *net = sock_net(cb->skb->sk);
	struct nfhook_pipe_entry *entries;
	struct nfhook_pipe_point pt;
	unsigned int i, n;
	bool moved;
	int err;

	err = nfhook_pipe_begin(cb);
	if (err)
		return err;
	cb->seq = ctx->moves;
	if (ctx->stage == NFHOOK_PIPE_STAGE_END)
		return 0;

	entries = kmalloc_array(NFHOOK_PIPE_BATCH, sizeof(*entries),
				GFP_KERNEL);
	if (!entries)
		return -ENOMEM;

	while (nfhook_pipe_point(net, ctx, &pt)) {
		n = nfhook_pipe_read(net, &pt, ctx->pos, ctx->cookie, &moved,
				     entries, NFHOOK_PIPE_BATCH);
		if (moved) {
			ctx->moves++;
			cb->seq = ctx->moves ?: 1;
		}
		if (!n) {
			nfhook_pipe_advance(ctx);
			continue;
		}
		for (i = 0; i < n; i++) {
			err = nfhook_pipe_dump_one(skb, cb, &pt, &entries[i]);
			if (err)
				goto out;
			ctx->pos = entries[i].position + 1;
			ctx->cookie = entries[i].cookie;
		}
	}
out:
	kfree(entries);
	/* A message that does not fit into an empty skb never will. */
	return err && !skb->len ? err : skb->len;
}
