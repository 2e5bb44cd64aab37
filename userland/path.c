// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl pipeline --path IFACE`: one device's packets, from the wire
 * to the socket and back out.  Text is a vertical path of blocks joined by
 * arrows, in five parts (received, local delivery, forwarding, sent by
 * this host, leaving); the netfilter blocks are those `pipeline` prints
 * (nfh_pipeline_print_point()).  JSON is one object with the keys
 * nfhookctl(8) lists; both come from the same NFH_PRINT_* calls.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "names.h"
#include "output.h"
#include "path.h"
#include "pipeline.h"
#include "rtnl.h"
#include "util.h"

/* The arrow from one block to the next. */
static void arrow(struct nfh_out *o)
{
	if (!o->json)
		fputs("  |\n  v\n", o->f);
}

/* A heading (text only): "== @what[ @ifname] ==". */
static void part(struct nfh_out *o, const char *what, const char *ifname)
{
	if (!o->json)
		fprintf(o->f, "\n== %s%s%s ==\n", what, ifname ? " " : "",
			ifname ? ifname : "");
}

/* A line of the drawing that is no block: "wire", "local socket". */
static void step(struct nfh_out *o, const char *s)
{
	if (!o->json)
		fprintf(o->f, "%s\n", s);
}

static void print_xdp(struct nfh_out *o, const struct nfh_devpath *d)
{
	const struct nfh_xdp_prog *p;
	size_t i;

	nfh_out_obj_begin(o, "xdp");
	nfh_print_str(o, NFH_PRINT_JSON, "attached", NULL,
		      nfh_xdp_mode_name(d->xdp_attached));
	if (!o->json)
		fprintf(o->f, "xdp %s: run on each frame received, before the kernel makes a packet of it; next: tc ingress\n",
			d->ifname);
	nfh_out_list_begin(o, "programs");
	for (i = 0; i < d->nxdp; i++) {
		p = &d->xdp[i];
		nfh_out_row_begin(o);
		nfh_print_str(o, NFH_PRINT_FP, NULL, "", "");
		nfh_print_str(o, NFH_PRINT_ANY, "mode", "MODE",
			      nfh_xdp_mode_name(p->mode));
		nfh_print_u64(o, NFH_PRINT_ANY, "id", "ID", p->id, NULL);
		nfh_print_str(o, NFH_PRINT_JSON, "name", NULL, p->name);
		nfh_print_str(o, NFH_PRINT_FP, NULL, "PROGRAM",
			      p->name[0] ? p->name : "?");
		nfh_out_row_end(o);
	}
	nfh_out_list_end(o);
	if (!o->json && !d->nxdp)
		fputs("  (no program)\n", o->f);
	nfh_out_obj_end(o);
}

static const char *const tc_state_names[] = {
	[NFH_TC_NO_QDISC] = "none",
	[NFH_TC_CLSACT] = "clsact",
	[NFH_TC_INGRESS] = "ingress",
	[NFH_TC_UNSUPPORTED] = "unsupported",
};

/* What a filter does, in words: "tc_pass id 13 direct-action (tc.o:[tc])". */
static void filter_what(const struct nfh_tc_filter *f, char *buf, size_t size)
{
	if (!f->is_bpf) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "%s%sid %" PRIu32 "%s%s%s%s", f->prog_name,
		 f->prog_name[0] ? " " : "", f->prog_id,
		 f->direct_action ? " direct-action" : "",
		 f->bpf_name[0] ? " (" : "", f->bpf_name,
		 f->bpf_name[0] ? ")" : "");
}

static void print_tc(struct nfh_out *o, const struct nfh_devpath *d,
		     bool ingress)
{
	const struct nfh_tc_dir *dir = ingress ? &d->tc_in : &d->tc_out;
	const char *dirw = ingress ? "ingress" : "egress";
	const char *next = ingress ? "netdev ingress" :
			   "the device's queue, then the wire";
	const struct nfh_tc_filter *f;
	char what[400], num[32];
	size_t i;

	nfh_out_obj_begin(o, ingress ? "tc_ingress" : "tc_egress");
	nfh_print_str(o, NFH_PRINT_JSON, "qdisc", NULL,
		      (unsigned int)dir->state < NFH_ARRAY_SIZE(tc_state_names) ?
		      tc_state_names[dir->state] : "?");
	if (!o->json) {
		fprintf(o->f, "tc %s %s: ", dirw, d->ifname);
		switch (dir->state) {
		case NFH_TC_CLSACT:
			fputs("the filters of its clsact qdisc", o->f);
			break;
		case NFH_TC_INGRESS:
			fputs("the filters of its ingress qdisc", o->f);
			break;
		case NFH_TC_UNSUPPORTED:
			fputs("this kernel has no traffic control (tc)", o->f);
			break;
		default:
			fputs(ingress ? "no clsact or ingress qdisc" :
			      "no clsact qdisc", o->f);
		}
		fprintf(o->f, "; next: %s\n", next);
	}
	nfh_out_list_begin(o, "filters");
	for (i = 0; i < dir->n; i++) {
		f = &dir->filters[i];
		nfh_out_row_begin(o);
		nfh_print_str(o, NFH_PRINT_FP, NULL, "", "");
		nfh_print_u64(o, NFH_PRINT_ANY, "pref", "PREF", f->pref, NULL);
		if (nfh_eth_proto_name(f->protocol)) {
			nfh_print_str(o, NFH_PRINT_ANY, "protocol", "PROTO",
				      nfh_eth_proto_name(f->protocol));
		} else {
			snprintf(num, sizeof(num), "0x%04x", f->protocol);
			nfh_print_str(o, NFH_PRINT_ANY, "protocol", "PROTO", num);
		}
		nfh_print_u64(o, NFH_PRINT_ANY, "chain", "CHAIN", f->chain, NULL);
		snprintf(num, sizeof(num), "0x%" PRIx32, f->handle);
		nfh_print_u64(o, NFH_PRINT_ANY, "handle", "HANDLE", f->handle,
			      num);
		nfh_print_str(o, NFH_PRINT_ANY, "kind", "KIND", f->kind);
		filter_what(f, what, sizeof(what));
		nfh_print_str(o, NFH_PRINT_FP, NULL, "WHAT", what);
		if (f->is_bpf) {
			nfh_print_u64(o, NFH_PRINT_JSON, "program_id", NULL,
				      f->prog_id, NULL);
			nfh_print_str(o, NFH_PRINT_JSON, "program_name", NULL,
				      f->prog_name);
			nfh_print_str(o, NFH_PRINT_JSON, "bpf_name", NULL,
				      f->bpf_name);
			nfh_print_bool(o, NFH_PRINT_JSON, "direct_action", NULL,
				       f->direct_action, NULL);
		}
		nfh_out_row_end(o);
	}
	nfh_out_list_end(o);
	if (!o->json && !dir->n)
		fputs("  (no filters)\n", o->f);
	nfh_out_obj_end(o);
}

/* The IPv4 and IPv6 blocks of @hook that @f asks for. */
static void inet_points(struct nfh_out *o, const struct nfh_pipeline *pl,
			const struct nfh_pipe_filter *f, uint32_t hook)
{
	static const uint32_t families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	bool first = true;
	size_t k;

	for (k = 0; k < NFH_ARRAY_SIZE(families); k++) {
		if (f->has_family && f->family != families[k])
			continue;
		if (!first && !o->json)
			fputc('\n', o->f);
		first = false;
		nfh_pipeline_print_point(o, pl, families[k], hook, 0, NULL);
	}
}

void nfh_path_print(struct nfh_out *o, const struct nfh_devpath *d,
		    struct nfh_pipeline *pl, const struct nfh_pipe_filter *f)
{
	struct nfh_pipe_filter dev = { .ifindex = d->ifindex };
	bool ours = false;
	size_t i;

	/* The device's netdev hooks and every IPv4/IPv6 one, packet order. */
	nfh_pipeline_select(pl, &dev);

	nfh_out_obj_begin(o, NULL);
	nfh_print_str(o, NFH_PRINT_JSON, "device", NULL, d->ifname);
	nfh_print_u64(o, NFH_PRINT_JSON, "ifindex", NULL, d->ifindex, NULL);
	if (!o->json)
		fprintf(o->f, "%s: the way of its packets, from the wire to the socket and back out\n",
			d->ifname);

	part(o, "received on", d->ifname);
	step(o, "wire");
	arrow(o);
	print_xdp(o, d);
	arrow(o);
	print_tc(o, d, true);
	arrow(o);
	/* In JSON, the hooks of every block below in one array. */
	if (o->json)
		nfh_out_list_begin(o, "hooks");
	nfh_pipeline_print_point(o, pl, NFPROTO_NETDEV, NFH_NETDEV_INGRESS,
				 d->ifindex, d->ifname);
	arrow(o);
	inet_points(o, pl, f, NF_INET_PRE_ROUTING);
	arrow(o);
	step(o, "routing decision: for this host, local delivery; for another, forwarding");

	part(o, "local delivery: packets for this host", NULL);
	inet_points(o, pl, f, NF_INET_LOCAL_IN);
	arrow(o);
	step(o, "local socket");

	part(o, "forwarding: packets for another host, out through the device of their route", NULL);
	inet_points(o, pl, f, NF_INET_FORWARD);
	arrow(o);
	step(o, "postrouting of that device (below when it is this one)");

	part(o, "sent by this host", NULL);
	step(o, "local socket");
	arrow(o);
	inet_points(o, pl, f, NF_INET_LOCAL_OUT);
	arrow(o);
	step(o, "routing decision: the device to leave through");

	part(o, "forwarded and sent packets leaving through", d->ifname);
	inet_points(o, pl, f, NF_INET_POST_ROUTING);
	arrow(o);
	nfh_pipeline_print_point(o, pl, NFPROTO_NETDEV, NFH_NETDEV_EGRESS,
				 d->ifindex, d->ifname);
	if (o->json)
		nfh_out_list_end(o);
	arrow(o);
	print_tc(o, d, false);
	arrow(o);
	step(o, "wire");
	nfh_out_obj_end(o);

	if (o->json)
		return;
	for (i = 0; i < pl->n; i++)
		if (pl->entries[i].ours &&
		    (pl->entries[i].family == NFPROTO_NETDEV || !f->has_family ||
		     pl->entries[i].family == f->family))
			ours = true;
	fputs("\nIn each hook point, hooks run from top to bottom (lowest priority first).\n",
	      o->f);
	if (ours)
		fputs("* nfhook's own hook in this namespace\n", o->f);
}
