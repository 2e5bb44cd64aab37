/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `nfhookctl pipeline`: the hooks of a namespace as the kernel runs them,
 * collected from a PIPELINE_GET dump and printed as a picture in text (one
 * block per hook point, in the order packets meet them) or as JSON.
 */
#ifndef NFHOOKCTL_PIPELINE_H
#define NFHOOKCTL_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "output.h"

struct nfh_pipeline {
	struct nfh_pipe_entry *entries;
	size_t n, cap;
};

/* Room for one more entry at the end; NULL when memory ran out. */
struct nfh_pipe_entry *nfh_pipeline_add(struct nfh_pipeline *pl);
void nfh_pipeline_clear(struct nfh_pipeline *pl);
void nfh_pipeline_free(struct nfh_pipeline *pl);

/* Which hook points to show: all, one family, or one hook point. */
struct nfh_pipe_filter {
	bool has_family, has_hook;
	uint32_t family;		/* NFPROTO_IPV4, _IPV6, _NETDEV */
	uint32_t hook;			/* NF_INET_* or NFH_NETDEV_* */
	uint32_t ifindex;		/* not 0: netdev hooks of this device only */
};

/* Keeps what @f lets through, sorted into the order packets meet them. */
void nfh_pipeline_select(struct nfh_pipeline *pl,
			 const struct nfh_pipe_filter *f);

/*
 * One hook point of a selected @pl: in text, its block (title, where
 * packets come from and go, its hooks or "(no hooks)"); in JSON, its hooks
 * as members of the array the caller opened.  netdev points are those of
 * device @ifindex, named @ifname.
 */
void nfh_pipeline_print_point(struct nfh_out *o, const struct nfh_pipeline *pl,
			      uint32_t family, uint32_t hook, uint32_t ifindex,
			      const char *ifname);

/*
 * Selects and sorts @pl into the order packets meet the hooks (netdev ingress of each
 * device, the IPv4 then the IPv6 hook points, netdev egress) and prints
 * what @f lets through.  In text, each IPv4 and IPv6 hook point the filter
 * asks for is shown, empty or not.
 */
void nfh_pipeline_print(struct nfh_out *o, struct nfh_pipeline *pl,
			const struct nfh_pipe_filter *f);

/* What hook @e is, in words: "nftables chain inet filter input". */
void nfh_pipe_what(const struct nfh_pipe_entry *e, char *buf, size_t size);

#endif /* NFHOOKCTL_PIPELINE_H */
