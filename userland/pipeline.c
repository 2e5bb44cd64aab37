// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl pipeline`: a namespace's netfilter hooks, in the order packets
 * meet them.  Text is a picture: one block per hook point, each saying
 * where packets come from and go next, with its hooks in the order the
 * kernel runs them (lowest priority first) and nfhook's own marked "*".
 * JSON is one flat array of hooks, in the same order, with the keys
 * nfhookctl(8) lists.  Both come from the same NFH_PRINT_* calls.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "format.h"
#include "msg.h"
#include "names.h"
#include "output.h"
#include "pipeline.h"
#include "util.h"

struct nfh_pipe_entry *nfh_pipeline_add(struct nfh_pipeline *pl)
{
	struct nfh_pipe_entry *e;
	size_t cap;

	if (pl->n == pl->cap) {
		cap = pl->cap ? pl->cap * 2 : 32;
		e = realloc(pl->entries, cap * sizeof(*e));
		if (!e)
			return NULL;
		pl->entries = e;
		pl->cap = cap;
	}
	e = &pl->entries[pl->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

void nfh_pipeline_clear(struct nfh_pipeline *pl)
{
	pl->n = 0;
}

void nfh_pipeline_free(struct nfh_pipeline *pl)
{
	free(pl->entries);
	memset(pl, 0, sizeof(*pl));
}

/* Where a hook point comes on a packet's way, for sorting and printing. */
enum pipe_section {
	SEC_INGRESS,
	SEC_IPV4,
	SEC_IPV6,
	SEC_EGRESS,
	SEC_OTHER,
};

static enum pipe_section section_of(uint32_t family, uint32_t hook)
{
	switch (family) {
	case NFPROTO_IPV4:
		return SEC_IPV4;
	case NFPROTO_IPV6:
		return SEC_IPV6;
	case NFPROTO_NETDEV:
		return hook == NFH_NETDEV_INGRESS ? SEC_INGRESS :
		       hook == NFH_NETDEV_EGRESS ? SEC_EGRESS : SEC_OTHER;
	default:
		return SEC_OTHER;
	}
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct nfh_pipe_entry *a = pa, *b = pb;
	int c;

	c = cmp_u32(section_of(a->family, a->hook),
		    section_of(b->family, b->hook));
	if (!c)
		c = cmp_u32(a->family, b->family);
	if (!c)
		c = cmp_u32(a->ifindex, b->ifindex);
	if (!c)
		c = cmp_u32(a->hook, b->hook);
	if (!c)
		c = cmp_u32(a->position, b->position);
	return c;
}

static bool filter_ok(const struct nfh_pipe_filter *f, uint32_t family,
		      uint32_t hook)
{
	return (!f->has_family || f->family == family) &&
	       (!f->has_hook || f->hook == hook);
}

static const char *family_word(uint32_t family)
{
	const char *s = nfh_family_name(family);

	if (family == NFPROTO_NETDEV)
		return "netdev";
	return s ? s : "?";
}

static const char *hook_word(uint32_t family, uint32_t hook)
{
	const char *s = family == NFPROTO_NETDEV ? nfh_netdev_hook_name(hook) :
						   nfh_hook_name(hook);

	return s ? s : "?";
}

/* Where packets at @hook come from and where they go next. */
static const char *const inet_way[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING] =
		"every packet received; next: routing, then input or forward",
	[NF_INET_LOCAL_IN] =
		"packets for this host; next: the local socket",
	[NF_INET_FORWARD] =
		"packets routed through this host; next: postrouting",
	[NF_INET_LOCAL_OUT] =
		"packets sent by this host; next: routing, then postrouting",
	[NF_INET_POST_ROUTING] =
		"every packet leaving; next: the device (egress)",
};

/* What the hook is, in words: "nftables chain inet filter input". */
void nfh_pipe_what(const struct nfh_pipe_entry *e, char *buf, size_t size)
{
	const char *fam = nfh_nft_family_name(e->table_family);

	switch (e->kind) {
	case NFHOOK_PIPE_KIND_NFHOOK:
		snprintf(buf, size, "nfhook%s", e->ours ? "" : " (not ours)");
		return;
	case NFHOOK_PIPE_KIND_NFTABLES:
		if (e->chain[0])
			snprintf(buf, size, "nftables chain %s %s %s",
				 fam ? fam : "?", e->table, e->chain);
		else
			snprintf(buf, size, "nftables base chain");
		return;
	case NFHOOK_PIPE_KIND_IPTABLES:
		snprintf(buf, size, "%s%s%s",
			 e->family == NFPROTO_IPV6 ? "ip6tables" : "iptables",
			 e->table[0] ? " table " : "", e->table);
		return;
	case NFHOOK_PIPE_KIND_CONNTRACK:
		snprintf(buf, size, "conntrack");
		return;
	case NFHOOK_PIPE_KIND_DEFRAG:
		snprintf(buf, size, "defragmentation");
		return;
	case NFHOOK_PIPE_KIND_NAT:
		snprintf(buf, size, "NAT");
		return;
	case NFHOOK_PIPE_KIND_BPF:
		snprintf(buf, size, "BPF program");
		return;
	case NFHOOK_PIPE_KIND_FLOWTABLE:
		snprintf(buf, size, "nftables flowtable");
		return;
	case NFHOOK_PIPE_KIND_LSM:
		snprintf(buf, size, "security module");
		return;
	case NFHOOK_PIPE_KIND_TRACE:
		snprintf(buf, size, "nfhook trace probe");
		return;
	default:
		snprintf(buf, size, "-");
	}
}

/*
 * The well-known name of @prio with its offset, as `hook list` shows it;
 * netfilter's first and last places by their names; "" for other numbers
 * (the PRIO column has them).
 */
static const char *prio_name(int32_t prio, char *buf, size_t size)
{
	char num[16];

	if (prio == INT32_MIN)
		return "first";
	if (prio == INT32_MAX)
		return "last";
	nfh_format_priority(prio, false, buf, size);
	snprintf(num, sizeof(num), "%d", (int)prio);
	return strcmp(buf, num) ? buf : "";
}

/* A string the kernel may not have sent: "" in JSON, "?" in the table. */
static void print_known(struct nfh_out *o, const char *key, const char *col,
			const char *s)
{
	if (s[0]) {
		nfh_print_str(o, NFH_PRINT_ANY, key, col, s);
		return;
	}
	nfh_print_str(o, NFH_PRINT_JSON, key, NULL, "");
	nfh_print_str(o, NFH_PRINT_FP, NULL, col, "?");
}

static void print_entry(struct nfh_out *o, const struct nfh_pipe_entry *e)
{
	const char *kind = nfh_pipe_kind_name(e->kind);
	const char *tfam = nfh_nft_family_name(e->table_family);
	char pbuf[32], what[600];

	nfh_out_row_begin(o);
	nfh_print_str(o, NFH_PRINT_FP, NULL, "", e->ours ? "*" : "");
	nfh_print_str(o, NFH_PRINT_JSON, "family", NULL,
		      family_word(e->family));
	nfh_print_str(o, NFH_PRINT_JSON, "hook", NULL,
		      hook_word(e->family, e->hook));
	if (e->family == NFPROTO_NETDEV)
		nfh_print_str(o, NFH_PRINT_JSON, "device", NULL, e->ifname);
	nfh_print_u64(o, NFH_PRINT_JSON, "position", NULL, e->position, NULL);
	nfh_print_s64(o, NFH_PRINT_ANY, "priority", "PRIO", e->priority, NULL);
	if (!o->numeric)
		nfh_print_str(o, NFH_PRINT_FP, NULL, "NAME",
			      prio_name(e->priority, pbuf, sizeof(pbuf)));
	nfh_print_str(o, NFH_PRINT_JSON, "kind", NULL, kind ? kind : "unknown");
	nfh_pipe_what(e, what, sizeof(what));
	nfh_print_str(o, NFH_PRINT_FP, NULL, "WHAT", what);
	print_known(o, "function", "FUNCTION", e->function);
	print_known(o, "module", "MODULE", e->module);
	if (e->table[0])
		nfh_print_str(o, NFH_PRINT_JSON, "table", NULL, e->table);
	if (e->chain[0])
		nfh_print_str(o, NFH_PRINT_JSON, "chain", NULL, e->chain);
	if (tfam)
		nfh_print_str(o, NFH_PRINT_JSON, "table_family", NULL, tfam);
	nfh_print_bool(o, NFH_PRINT_JSON, "ours", NULL, e->ours, NULL);
	nfh_out_row_end(o);
}

/* The way of packets at a hook point, as its block's title says it. */
static const char *point_way(uint32_t family, uint32_t hook)
{
	if (family == NFPROTO_NETDEV)
		return hook == NFH_NETDEV_INGRESS ?
		       "packets as the device receives them; next: prerouting" :
		       "packets as the device sends them, after postrouting";
	return hook < NF_INET_NUMHOOKS ? inet_way[hook] : "?";
}

void nfh_pipeline_print_point(struct nfh_out *o, const struct nfh_pipeline *pl,
			      uint32_t family, uint32_t hook, uint32_t ifindex,
			      const char *ifname)
{
	const struct nfh_pipe_entry *e;
	size_t i, n = 0;

	if (!o->json) {
		if (family == NFPROTO_NETDEV)
			fprintf(o->f, "netdev %s %s: %s\n",
				hook_word(family, hook), ifname,
				point_way(family, hook));
		else
			fprintf(o->f, "%s %s: %s\n", family_word(family),
				hook_word(family, hook),
				point_way(family, hook));
		nfh_out_list_begin(o, NULL);
	}
	for (i = 0; i < pl->n; i++) {
		e = &pl->entries[i];
		if (e->family != family || e->hook != hook ||
		    (family == NFPROTO_NETDEV && e->ifindex != ifindex))
			continue;
		print_entry(o, e);
		n++;
	}
	if (o->json)
		return;
	nfh_out_list_end(o);
	if (!n)
		fputs("  (no hooks)\n", o->f);
}

/* A blank line between two blocks. */
static void block_sep(struct nfh_out *o, bool *printed)
{
	if (*printed)
		fputc('\n', o->f);
	*printed = true;
}

/* The netdev hooks of @sec, one block per device. */
static size_t print_netdev(struct nfh_out *o, const struct nfh_pipeline *pl,
			   size_t i, enum pipe_section sec, bool *printed)
{
	const struct nfh_pipe_entry *e;

	while (i < pl->n && section_of(pl->entries[i].family,
				       pl->entries[i].hook) == sec) {
		e = &pl->entries[i];
		block_sep(o, printed);
		nfh_pipeline_print_point(o, pl, e->family, e->hook, e->ifindex,
					 e->ifname);
		/* On to the next device's block. */
		while (i < pl->n && pl->entries[i].family == e->family &&
		       pl->entries[i].hook == e->hook &&
		       pl->entries[i].ifindex == e->ifindex)
			i++;
	}
	return i;
}

/* The packet's ways through the hook points, drawn above a listing. */
static const char way_map[] =
	"received:  ingress -> prerouting -> routing -+-> input -> local socket\n"
	"                                             `-> forward -> postrouting -> egress\n"
	"sent:      local socket -> output -> routing -> postrouting -> egress\n";

static void print_text(struct nfh_out *o, const struct nfh_pipeline *pl,
		       const struct nfh_pipe_filter *f)
{
	static const uint32_t families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	bool printed = false;
	size_t i = 0, k;
	uint32_t h;

	/* Not for one hook point or the netdev ones alone. */
	if (!f->has_hook && !(f->has_family && f->family == NFPROTO_NETDEV)) {
		fputs(way_map, o->f);
		printed = true;
	}

	/* The filter has been applied to @pl already. */
	i = print_netdev(o, pl, i, SEC_INGRESS, &printed);
	for (k = 0; k < NFH_ARRAY_SIZE(families); k++) {
		if (f->has_family && f->family != families[k])
			continue;
		for (h = 0; h < NF_INET_NUMHOOKS; h++) {
			if (!filter_ok(f, families[k], h))
				continue;
			/* Anything the kernel sent for unknown hooks: skipped. */
			while (i < pl->n &&
			       section_of(pl->entries[i].family,
					  pl->entries[i].hook) <
			       (families[k] == NFPROTO_IPV4 ? SEC_IPV4 : SEC_IPV6))
				i++;
			block_sep(o, &printed);
			nfh_pipeline_print_point(o, pl, families[k], h, 0, NULL);
			while (i < pl->n && pl->entries[i].family == families[k] &&
			       pl->entries[i].hook == h)
				i++;
		}
	}
	while (i < pl->n && section_of(pl->entries[i].family,
				       pl->entries[i].hook) < SEC_EGRESS)
		i++;
	i = print_netdev(o, pl, i, SEC_EGRESS, &printed);
	if (f->has_family && f->family == NFPROTO_NETDEV && !printed)
		fputs("netdev: no device has hooks\n", o->f);
	for (i = 0; i < pl->n; i++)
		if (pl->entries[i].ours)
			break;
	fputs("\nIn each hook point, hooks run from top to bottom (lowest priority first).\n",
	      o->f);
	if (i < pl->n)
		fputs("* nfhook's own hook in this namespace\n", o->f);
}

void nfh_pipeline_select(struct nfh_pipeline *pl,
			 const struct nfh_pipe_filter *f)
{
	size_t i, n = 0;

	/* What the filter leaves out goes first, then the order of packets. */
	for (i = 0; i < pl->n; i++)
		if (filter_ok(f, pl->entries[i].family, pl->entries[i].hook) &&
		    (!f->ifindex || pl->entries[i].family != NFPROTO_NETDEV ||
		     pl->entries[i].ifindex == f->ifindex))
			pl->entries[n++] = pl->entries[i];
	pl->n = n;
	if (pl->n)
		qsort(pl->entries, pl->n, sizeof(*pl->entries), entry_cmp);
}

void nfh_pipeline_print(struct nfh_out *o, struct nfh_pipeline *pl,
			const struct nfh_pipe_filter *f)
{
	size_t i;

	nfh_pipeline_select(pl, f);

	if (!o->json) {
		print_text(o, pl, f);
		return;
	}
	nfh_out_list_begin(o, NULL);
	for (i = 0; i < pl->n; i++)
		print_entry(o, &pl->entries[i]);
	nfh_out_list_end(o);
}
