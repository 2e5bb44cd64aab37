// SPDX-License-Identifier: GPL-2.0
/*
 * `nfhookctl trace`, the session: read the pipeline, start one trace per
 * family on this socket, print what the kernel reports until the count,
 * the timeout or a signal.  Closing the socket ends the traces.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/nfhook.h>

#include "names.h"
#include "trace.h"
#include "trace_run.h"
#include "util.h"

static volatile sig_atomic_t trace_stop;

static void trace_signal(int sig)
{
	(void)sig;
	trace_stop = 1;
}

struct trace_ctx {
	struct nfh_out *o;
	const struct nfh_pipeline *pl;
	bool verbose;
	uint64_t printed;
	bool bad;
};

static int trace_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct trace_ctx *c = data;
	struct nfh_trace_event ev;

	/* The TRACE_START reply needs nothing: the trace ends with us. */
	if (genl->cmd != NFHOOK_CMD_TRACE_EVENT)
		return MNL_CB_OK;
	if (nfh_parse_trace_msg(nlh, &ev)) {
		c->bad = true;
		return MNL_CB_OK;
	}
	if (c->o->json)
		nfh_trace_print_json(c->o, &ev, c->pl);
	else
		nfh_trace_print(c->o, &ev, c->pl, c->verbose);
	fflush(c->o->f);
	c->printed++;
	return MNL_CB_OK;
}

static int trace_start(struct nfh_nl *nl, const struct nfh_cmd *cmd,
		       uint32_t family, struct trace_ctx *c)
{
	struct nfh_rule sel = cmd->rule;
	char buf[NFH_MSG_MAX];
	struct nlmsghdr *nlh;

	sel.family = family;
	nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_TRACE_START, 0);
	if (!nfh_put_rule(nlh, sizeof(buf), &sel))
		return -1;
	mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_RATE, cmd->trace_rate);
	if (cmd->trace_count)
		mnl_attr_put_u32(nlh, NFHOOK_A_TRACE_LIMIT, cmd->trace_count);
	if (nfh_nl_do(nl, nlh, trace_cb, c)) {
		nfh_nl_print_error(nl, NULL);
		return -1;
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feeds what arrives to trace_cb until the count, the deadline or a signal. */
static int trace_listen(struct nfh_nl *nl, const struct nfh_cmd *cmd,
			struct trace_ctx *c)
{
	int64_t deadline = cmd->trace_timeout ?
			   now_ms() + (int64_t)cmd->trace_timeout * 1000 : -1;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock),
			      .events = POLLIN };
	ssize_t n;
	int wait;

	while (!trace_stop &&
	       (!cmd->trace_count || c->printed < cmd->trace_count)) {
		wait = -1;
		if (deadline >= 0) {
			wait = (int)(deadline - now_ms());
			if (wait <= 0)
				break;
		}
		if (poll(&pfd, 1, wait) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "nfhookctl: poll: %s\n", strerror(errno));
			return -1;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NFH_NL_RCVBUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "nfhookctl: trace reports were lost (receive buffer overrun)\n");
				continue;
			}
			fprintf(stderr, "nfhookctl: netlink: %s\n", strerror(errno));
			return -1;
		}
		if (mnl_cb_run(nl->buf, (size_t)n, 0, 0, trace_cb, c) ==
		    MNL_CB_ERROR) {
			fprintf(stderr, "nfhookctl: netlink: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

int nfh_trace_run(struct nfh_nl *nl, struct nfh_out *o,
		  const struct nfh_cmd *cmd)
{
	static const uint32_t families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	struct nfh_pipe_filter all = { 0 };
	struct nfh_pipeline pl = { 0 };
	struct trace_ctx c = { .o = o, .pl = &pl, .verbose = cmd->verbose };
	struct sigaction sa = { .sa_handler = trace_signal };
	size_t i;
	int ret = -1;

	/* Before the probes come: they are not hooks the packet passes. */
	if (nfh_pipeline_fetch(nl, &pl, &all))
		goto out;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < NFH_ARRAY_SIZE(families); i++) {
		if (cmd->rule.family && cmd->rule.family != families[i])
			continue;
		if (trace_start(nl, cmd, families[i], &c))
			goto out;
	}
	if (!o->json)
		fprintf(stderr, "nfhookctl: tracing%s%s; Ctrl-C to stop\n",
			cmd->rule.family ? " " : "",
			cmd->rule.family ? nfh_family_name(cmd->rule.family) : "");
	if (trace_listen(nl, cmd, &c))
		goto out;
	if (c.bad)
		fprintf(stderr, "nfhookctl: some trace reports were malformed and skipped\n");
	if (!c.printed && !trace_stop)
		fprintf(stderr, "nfhookctl: no packet was selected within %" PRIu32 " s\n",
			cmd->trace_timeout);
	ret = 0;
out:
	nfh_pipeline_free(&pl);
	return ret;
}
