/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `nfhookctl trace`: starts a trace in the kernel (one per family), then
 * prints each traced packet the kernel reports, until the count, the
 * timeout or a signal (trace_run.c).  The traces end with the socket.
 * What it prints comes from trace.c, which the unit tests share.
 */
#ifndef NFHOOKCTL_TRACE_H
#define NFHOOKCTL_TRACE_H

#include <stddef.h>

#include "msg.h"
#include "output.h"
#include "pipeline.h"

/*
 * One traced packet as text, on one line (@verbose: one line per hook
 * point and per hook), the hooks it passed named from @pl, a pipeline read
 * when the trace began.  Exposed for the unit tests.
 */
void nfh_trace_print(struct nfh_out *o, const struct nfh_trace_event *ev,
		     const struct nfh_pipeline *pl, bool verbose);

/* The same as one JSON object, with the keys nfhookctl(8) lists. */
void nfh_trace_print_json(struct nfh_out *o, const struct nfh_trace_event *ev,
			  const struct nfh_pipeline *pl);

#endif /* NFHOOKCTL_TRACE_H */
