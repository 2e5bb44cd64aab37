// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to nfhook.ko: socket, family lookup, requests with their acks,
 * dumps, batches and events.  Every failure ends up in nl->error with the
 * kernel's extack message when there is one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "msg.h"
#include "netlink.h"
#include "pipeline.h"
#include "util.h"

/* One request (or batch) in flight: what we wait for and what we got. */
struct nfh_req {
	struct nfh_nl *nl;
	uint32_t seq_first, seq_last;
	unsigned int acks_wanted, acks;
	bool dump, done, intr, malformed;
	mnl_cb_t cb;
	void *data;
};

static void set_local_error(struct nfh_nl *nl, int err)
{
	memset(&nl->error, 0, sizeof(nl->error));
	nl->error.err = err ? err : EIO;
	nl->error.local = true;
}

static bool seq_ok(const struct nfh_req *rq, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_seq >= rq->seq_first && nlh->nlmsg_seq <= rq->seq_last;
}

/* The extack attributes after an error code, if the kernel sent them. */
static void parse_extack(struct nfh_nl *nl, const struct nlmsghdr *nlh,
			 const void *tlvs, size_t len)
{
	const struct nlattr *attr;	/* the name the libmnl macro uses */

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each_payload(tlvs, len) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->error.msg, sizeof(nl->error.msg), "%s",
			 mnl_attr_get_str(attr));
	}
}

static int ctl_error(const struct nlmsghdr *nlh, void *data)
{
	struct nfh_req *rq = data;
	struct nfh_nl *nl = rq->nl;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off;

	if (plen < sizeof(*err)) {
		rq->malformed = true;
		return MNL_CB_ERROR;
	}
	if (nlh->nlmsg_pid != nl->portid || !seq_ok(rq, nlh))
		return MNL_CB_OK;	/* not ours */
	if (err->error == 0) {
		rq->acks++;
		if (rq->acks >= rq->acks_wanted && !rq->dump) {
			rq->done = true;
			return MNL_CB_STOP;
		}
		return MNL_CB_OK;
	}
	memset(&nl->error, 0, sizeof(nl->error));
	nl->error.err = -err->error;
	nl->error.seq = nlh->nlmsg_seq;
	off = sizeof(*err);
	/* Without NLM_F_CAPPED the request comes back before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len >= sizeof(struct nlmsghdr) ?
		       err->msg.nlmsg_len - sizeof(struct nlmsghdr) : 0;
	off = NLMSG_ALIGN(off);
	if (off < plen)
		parse_extack(nl, nlh, (const char *)err + off, plen - off);
	rq->done = true;
	return MNL_CB_STOP;
}

static int ctl_done(const struct nlmsghdr *nlh, void *data)
{
	struct nfh_req *rq = data;
	struct nfh_nl *nl = rq->nl;
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	int code;

	if (nlh->nlmsg_pid != nl->portid || !seq_ok(rq, nlh))
		return MNL_CB_OK;
	rq->done = true;
	if (plen >= sizeof(int)) {
		memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof(code));
		if (code < 0) {
			memset(&nl->error, 0, sizeof(nl->error));
			nl->error.err = -code;
			nl->error.seq = nlh->nlmsg_seq;
			parse_extack(nl, nlh,
				     (const char *)mnl_nlmsg_get_payload(nlh) +
				     NLMSG_ALIGN(sizeof(int)),
				     plen > NLMSG_ALIGN(sizeof(int)) ?
				     plen - NLMSG_ALIGN(sizeof(int)) : 0);
		}
	}
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nfh_req *rq = data;

	if (nlh->nlmsg_pid != rq->nl->portid || !seq_ok(rq, nlh))
		return MNL_CB_OK;
	if (!rq->cb)
		return MNL_CB_OK;
	if (rq->cb(nlh, rq->data) == MNL_CB_ERROR) {
		rq->malformed = true;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * libmnl stops at the first message flagged NLM_F_DUMP_INTR.  We want the
 * dump to run to its end (so nothing stale stays queued) and then ask
 * again, so note the flag and clear it before libmnl sees it.
 */
static void take_dump_intr(struct nfh_req *rq, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	int left = (int)len;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			rq->intr = true;
			nlh->nlmsg_flags &= (uint16_t)~NLM_F_DUMP_INTR;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
}

/*
 * The messages of one datagram (@len bytes at @buf) answering @rq: replies
 * go to data_cb(), NLMSG_ERROR to ctl_error() and NLMSG_DONE, which ends a
 * dump and may carry its error and extack, to ctl_done().  1 while more is
 * to come, 0 when the request is complete, -1 with nl->error filled.
 */
static int take_answers(struct nfh_nl *nl, struct nfh_req *rq, void *buf,
			size_t len)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {	/* libmnl wants it writable */
		[NLMSG_ERROR] = ctl_error,
		[NLMSG_DONE] = ctl_done,
	};
	int ret;

	take_dump_intr(rq, buf, len);
	ret = mnl_cb_run2(buf, len, 0, 0, data_cb, rq, ctl, NLMSG_MIN_TYPE);
	if (ret == MNL_CB_ERROR || rq->malformed) {
		set_local_error(nl, rq->malformed ? EBADMSG : errno);
		if (rq->malformed)
			snprintf(nl->error.msg, sizeof(nl->error.msg),
				 "malformed message from the kernel");
		return -1;
	}
	if (nl->error.err)
		return -1;
	return rq->done ? 0 : 1;
}

static int run_req(struct nfh_nl *nl, struct nfh_req *rq)
{
	ssize_t n;
	int ret;

	memset(&nl->error, 0, sizeof(nl->error));
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NFH_NL_RCVBUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			set_local_error(nl, errno);
			return -1;
		}
		ret = take_answers(nl, rq, nl->buf, (size_t)n);
		if (ret <= 0)
			return ret;
	}
}

static int send_msgs(struct nfh_nl *nl, const void *buf, size_t len)
{
	if (mnl_socket_sendto(nl->sock, buf, len) < 0) {
		set_local_error(nl, errno);
		return -1;
	}
	return 0;
}

struct nlmsghdr *nfh_nl_msg(struct nfh_nl *nl, void *buf, uint8_t cmd,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NFHOOK_GENL_VERSION;
	return nlh;
}

/* An nfhook request's operation; rtnetlink's (no family id) are OTHER. */
static enum nfh_op req_op(const struct nfh_nl *nl, const struct nlmsghdr *nlh)
{
	return nl->family ? nfh_nl_op(nlh) : NFH_OP_OTHER;
}

int nfh_nl_do(struct nfh_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	      void *data)
{
	struct nfh_req rq = {
		.nl = nl, .cb = cb, .data = data, .acks_wanted = 1,
		.seq_first = nlh->nlmsg_seq, .seq_last = nlh->nlmsg_seq,
	};

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (send_msgs(nl, nlh, nlh->nlmsg_len) || run_req(nl, &rq)) {
		nl->error.op = req_op(nl, nlh);
		return -1;
	}
	return 0;
}

int nfh_nl_dump_feed(struct nfh_nl *nl, uint32_t seq, void *buf, size_t len,
		     mnl_cb_t cb, void *data, bool *intr)
{
	struct nfh_req rq = {
		.nl = nl, .cb = cb, .data = data, .dump = true,
		.seq_first = seq, .seq_last = seq,
	};
	int ret;

	ret = take_answers(nl, &rq, buf, len);
	*intr |= rq.intr;
	return ret;
}

int nfh_nl_dump(struct nfh_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, bool *intr)
{
	struct nfh_req rq = {
		.nl = nl, .cb = cb, .data = data, .dump = true,
		.seq_first = nlh->nlmsg_seq, .seq_last = nlh->nlmsg_seq,
	};
	int ret;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	if (send_msgs(nl, nlh, nlh->nlmsg_len)) {
		nl->error.op = req_op(nl, nlh);
		return -1;
	}
	ret = run_req(nl, &rq);
	if (ret)
		nl->error.op = req_op(nl, nlh);
	*intr = rq.intr;
	return ret;
}

enum nfh_op nfh_nl_op(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl;
	const struct nlattr *attr;
	bool reset = false;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return NFH_OP_OTHER;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd == NFHOOK_CMD_HOOK_GET || genl->cmd == NFHOOK_CMD_RULE_GET) {
		mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
			if (mnl_attr_get_type(attr) == NFHOOK_A_RESET)
				reset = true;
		}
	}
	switch (genl->cmd) {
	case NFHOOK_CMD_INFO_GET:
		return NFH_OP_INFO;
	case NFHOOK_CMD_HOOK_GET:
		return reset ? NFH_OP_RESET : NFH_OP_READ_HOOKS;
	case NFHOOK_CMD_RULE_GET:
		return reset ? NFH_OP_RESET : NFH_OP_READ_RULES;
	case NFHOOK_CMD_HOOK_SET:
		return NFH_OP_HOOK_SET;
	case NFHOOK_CMD_RULE_ADD:
		return NFH_OP_RULE_ADD;
	case NFHOOK_CMD_RULE_DEL:
		return NFH_OP_RULE_DEL;
	case NFHOOK_CMD_FLUSH:
		return NFH_OP_FLUSH;
	case NFHOOK_CMD_PIPELINE_GET:
		return NFH_OP_PIPELINE;
	case NFHOOK_CMD_TRACE_START:
		return NFH_OP_TRACE;
	case NFHOOK_CMD_REPLACE_BEGIN:
	case NFHOOK_CMD_REPLACE_HOOK:
	case NFHOOK_CMD_REPLACE_RULE:
	case NFHOOK_CMD_REPLACE_COMMIT:
		return NFH_OP_REPLACE;
	default:
		return NFH_OP_OTHER;
	}
}

/* What each operation is, as the subject of "... needs CAP_NET_ADMIN". */
static const char *const op_words[] = {
	[NFH_OP_OTHER]		= "this nfhook request",
	[NFH_OP_INFO]		= "reading the nfhook module information",
	[NFH_OP_READ_HOOKS]	= "reading the nfhook hooks",
	[NFH_OP_READ_RULES]	= "reading the nfhook rules",
	[NFH_OP_RESET]		= "resetting the nfhook counters",
	[NFH_OP_HOOK_SET]	= "changing an nfhook hook",
	[NFH_OP_RULE_ADD]	= "adding an nfhook rule",
	[NFH_OP_RULE_DEL]	= "deleting an nfhook rule",
	[NFH_OP_FLUSH]		= "flushing nfhook rules",
	[NFH_OP_REPLACE]	= "replacing the nfhook ruleset",
	[NFH_OP_EVENTS]		= "listening to nfhook events",
	[NFH_OP_PIPELINE]	= "reading the netfilter hooks of the namespace",
	[NFH_OP_TRACE]		= "tracing packets",
};

/* Words for an errno when the kernel gave no message. */
static const char *errno_words(int err)
{
	switch (err) {
	case EBUSY:
		return "busy: another restore is in progress in this network namespace";
	case ENOENT:
		return "no such object";
	case ENOSPC:
		return "no room left (the module's max_rules limit?)";
	case EOPNOTSUPP:
		return "operation not supported by this version of the module";
	case ENOBUFS:
		return "the netlink receive buffer overflowed";
	default:
		return strerror(err);
	}
}

void nfh_nl_error_text(const struct nfh_nl_error *err, char *buf,
		       size_t size)
{
	const char *what;

	if (err->msg[0]) {
		snprintf(buf, size, "Error: %s", err->msg);
		return;
	}
	if (err->local) {
		snprintf(buf, size, "nfhookctl: netlink: %s",
			 errno_words(err->err));
		return;
	}
	if (err->err == EPERM || err->err == EACCES) {
		what = (unsigned int)err->op < NFH_ARRAY_SIZE(op_words) ?
		       op_words[err->op] : NULL;
		snprintf(buf, size,
			 "Error: permission denied: %s needs CAP_NET_ADMIN in this network namespace (run as root)",
			 what ? what : op_words[NFH_OP_OTHER]);
		return;
	}
	snprintf(buf, size, "Error: %s", errno_words(err->err));
}

void nfh_nl_print_error(const struct nfh_nl *nl, const char *prefix)
{
	char text[512];

	nfh_nl_error_text(&nl->error, text, sizeof(text));
	if (prefix)
		fprintf(stderr, "%s: ", prefix);
	fprintf(stderr, "%s\n", text);
}

/* ---- family lookup ----------------------------------------------------- */

struct family_info {
	uint16_t id;
	uint32_t events_group;
};

static int mcgrp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		tb[type] = attr;
	if (type == CTRL_ATTR_MCAST_GRP_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *grp;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		fi->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr) {
			const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { 0 };

			if (mnl_attr_parse_nested(grp, mcgrp_cb, tb) < 0)
				return MNL_CB_ERROR;
			if (tb[CTRL_ATTR_MCAST_GRP_NAME] &&
			    tb[CTRL_ATTR_MCAST_GRP_ID] &&
			    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
				    NFHOOK_MCGRP_EVENTS))
				fi->events_group =
					mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		}
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int resolve_family(struct nfh_nl *nl)
{
	char buf[NFH_MSG_MAX];
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nfh_req rq = { .nl = nl, .cb = family_cb, .data = &fi,
			      .acks_wanted = 1 };

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFHOOK_GENL_NAME);
	rq.seq_first = rq.seq_last = nlh->nlmsg_seq;

	if (send_msgs(nl, nlh, nlh->nlmsg_len) || run_req(nl, &rq)) {
		if (!nl->error.local && nl->error.err == ENOENT) {
			/* The kernel already tried the family's module alias. */
			fprintf(stderr, "nfhookctl: the nfhook module is not loaded and could not be loaded (is it installed? run modprobe nfhook to see why)\n");
			return -1;
		}
		nfh_nl_print_error(nl, NULL);
		return -1;
	}
	if (!fi.id) {
		fprintf(stderr, "nfhookctl: the kernel did not say the nfhook family id\n");
		return -1;
	}
	nl->family = fi.id;
	nl->events_group = fi.events_group;
	return 0;
}

static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nfhookctl: cannot open network namespace \"%s\" (%s): %s\n",
			name, path, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "nfhookctl: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int nfh_nl_open(struct nfh_nl *nl, const char *netns)
{
	int one = 1, rcvbuf = 1024 * 1024;

	memset(nl, 0, sizeof(*nl));
	if (netns && enter_netns(netns))
		return -1;
	nl->buf = malloc(NFH_NL_RCVBUF);
	if (!nl->buf) {
		fprintf(stderr, "nfhookctl: out of memory\n");
		return -1;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		fprintf(stderr, "nfhookctl: cannot open a generic netlink socket: %s\n",
			strerror(errno));
		nfh_nl_close(nl);
		return -1;
	}
	/* Extack messages, and acks without a copy of the request. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Room for a batch's acks; the kernel caps this at rmem_max. */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "nfhookctl: cannot bind the netlink socket: %s\n",
			strerror(errno));
		nfh_nl_close(nl);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	if (resolve_family(nl)) {
		nfh_nl_close(nl);
		return -1;
	}
	return 0;
}

int nfh_nl_open_route(struct nfh_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NFH_NL_RCVBUF);
	if (!nl->buf) {
		fprintf(stderr, "nfhookctl: out of memory\n");
		return -1;
	}
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock) {
		fprintf(stderr, "nfhookctl: cannot open an rtnetlink socket: %s\n",
			strerror(errno));
		nfh_nl_close(nl);
		return -1;
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "nfhookctl: cannot bind the rtnetlink socket: %s\n",
			strerror(errno));
		nfh_nl_close(nl);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return 0;
}

void nfh_nl_close(struct nfh_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}

/* ---- batches ----------------------------------------------------------- */

int nfh_batch_init(struct nfh_batch *b, struct nfh_nl *nl)
{
	memset(b, 0, sizeof(*b));
	b->nl = nl;
	b->buf = malloc(NFH_BATCH_BYTES + NFH_MSG_MAX);
	return b->buf ? 0 : -1;
}

void nfh_batch_free(struct nfh_batch *b)
{
	free(b->buf);
	b->buf = NULL;
}

int nfh_batch_flush(struct nfh_batch *b)
{
	struct nfh_req rq = {
		.nl = b->nl, .acks_wanted = b->count,
		.seq_first = b->first_seq,
		.seq_last = b->first_seq + b->count - 1,
	};
	int ret;

	if (!b->count)
		return 0;
	ret = send_msgs(b->nl, b->buf, b->len);
	if (!ret)
		ret = run_req(b->nl, &rq);
	if (ret)
		b->nl->error.op = NFH_OP_REPLACE;
	if (ret && !b->nl->error.local &&
	    b->nl->error.seq - b->first_seq < b->count)
		b->err_line = b->lines[b->nl->error.seq - b->first_seq];
	b->len = 0;
	b->count = 0;
	return ret;
}

struct nlmsghdr *nfh_batch_msg(struct nfh_batch *b, uint8_t cmd,
			       unsigned int line)
{
	struct nlmsghdr *nlh;

	if (b->count == NFH_BATCH_MSGS || b->len + NFH_MSG_MAX > NFH_BATCH_BYTES)
		if (nfh_batch_flush(b))
			return NULL;
	nlh = nfh_nl_msg(b->nl, b->buf + b->len, cmd, NLM_F_ACK);
	if (!b->count)
		b->first_seq = nlh->nlmsg_seq;
	b->lines[b->count] = line;
	return nlh;
}

void nfh_batch_add(struct nfh_batch *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->count++;
}

/* ---- events ------------------------------------------------------------ */

int nfh_nl_join_events(struct nfh_nl *nl)
{
	int group = (int)nl->events_group;

	if (!group) {
		fprintf(stderr, "nfhookctl: the nfhook module has no \"%s\" group\n",
			NFHOOK_MCGRP_EVENTS);
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return nfh_nl_join_failed(nl, errno);
	return 0;
}

int nfh_nl_join_failed(struct nfh_nl *nl, int err)
{
	if (err == EPERM || err == EACCES) {
		/* The kernel refused: the group needs CAP_NET_ADMIN. */
		memset(&nl->error, 0, sizeof(nl->error));
		nl->error.err = err;
		nl->error.op = NFH_OP_EVENTS;
		nfh_nl_print_error(nl, NULL);
		return -1;
	}
	fprintf(stderr, "nfhookctl: cannot join the events group: %s\n",
		strerror(err));
	return -1;
}

struct listen_ctx {
	struct nfh_nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct listen_ctx *lc = data;

	if (nlh->nlmsg_type != lc->nl->family)
		return MNL_CB_OK;
	/* A malformed event is reported by @cb and skipped. */
	lc->cb(nlh, lc->data);
	return MNL_CB_OK;
}

int nfh_nl_listen(struct nfh_nl *nl, mnl_cb_t cb, void *data)
{
	struct listen_ctx lc = { nl, cb, data };
	ssize_t n;

	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NFH_NL_RCVBUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "nfhookctl: events were lost (receive buffer overrun)\n");
				continue;
			}
			fprintf(stderr, "nfhookctl: netlink: %s\n", strerror(errno));
			return -1;
		}
		if (mnl_cb_run(nl->buf, (size_t)n, 0, 0, event_cb, &lc) ==
		    MNL_CB_ERROR) {
			fprintf(stderr, "nfhookctl: netlink: %s\n", strerror(errno));
			return -1;
		}
	}
}

struct pipe_collect {
	struct nfh_pipeline *pl;
	bool oom;
};

static int pipe_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pipe_collect *c = data;
	struct nfh_pipe_entry *e;

	e = nfh_pipeline_add(c->pl);
	if (!e) {
		c->oom = true;
		return MNL_CB_OK;
	}
	return nfh_parse_pipe_msg(nlh, e) ? MNL_CB_ERROR : MNL_CB_OK;
}

/*
 * The hooks are netfilter's: they change without nfhook knowing, and a
 * dump that saw them move (NLM_F_DUMP_INTR) is asked again.
 */
int nfh_pipeline_fetch(struct nfh_nl *nl, struct nfh_pipeline *pl,
		       const struct nfh_pipe_filter *f)
{
	struct pipe_collect c = { .pl = pl };
	bool inet = f->has_family && f->family != NFPROTO_NETDEV;
	char buf[NFH_MSG_MAX];
	struct nlmsghdr *nlh;
	bool intr = false;
	int tries;

	for (tries = 0; tries < NFH_DUMP_TRIES; tries++) {
		nfh_pipeline_clear(pl);
		nlh = nfh_nl_msg(nl, buf, NFHOOK_CMD_PIPELINE_GET, 0);
		if (inet)
			mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, f->family);
		if (inet && f->has_hook)
			mnl_attr_put_u32(nlh, NFHOOK_A_HOOK, f->hook);
		if (nfh_nl_dump(nl, nlh, pipe_collect_cb, &c, &intr)) {
			nfh_nl_print_error(nl, NULL);
			return -1;
		}
		if (c.oom) {
			fprintf(stderr, "nfhookctl: out of memory\n");
			return -1;
		}
		if (!intr)
			return 0;
	}
	fprintf(stderr, "nfhookctl: the hooks kept changing during the dump; try again\n");
	return -1;
}
