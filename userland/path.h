/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `nfhookctl pipeline --path IFACE`: the way of one device's packets from
 * the wire to the socket and back out, drawn from what the kernel runs
 * now: XDP, tc ingress, the netdev and IPv4/IPv6 netfilter hooks, routing,
 * local delivery, forwarding, local output, tc egress.
 */
#ifndef NFHOOKCTL_PATH_H
#define NFHOOKCTL_PATH_H

#include "output.h"
#include "pipeline.h"
#include "rtnl.h"

/*
 * Prints the path of device @d.  @pl holds the namespace's hooks (from
 * PIPELINE_GET); it is selected here to @d's netdev hooks and the family
 * of @f (ipv4 or ipv6 when f->has_family; f->has_hook must be false).
 */
void nfh_path_print(struct nfh_out *o, const struct nfh_devpath *d,
		    struct nfh_pipeline *pl, const struct nfh_pipe_filter *f);

#endif /* NFHOOKCTL_PATH_H */
