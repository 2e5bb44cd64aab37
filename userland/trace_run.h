/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `nfhookctl trace`, the session: one trace per family started on this
 * socket, the kernel's reports printed until the count, the timeout or a
 * signal.  Closing the socket ends the traces.
 */
#ifndef NFHOOKCTL_TRACE_RUN_H
#define NFHOOKCTL_TRACE_RUN_H

#include "cmdline.h"
#include "netlink.h"
#include "output.h"

/* 0, or -1 after printing why. */
int nfh_trace_run(struct nfh_nl *nl, struct nfh_out *o,
		  const struct nfh_cmd *cmd);

#endif /* NFHOOKCTL_TRACE_RUN_H */
