/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfhookctl's generic netlink client, on libmnl.
 */
#ifndef NFHOOKCTL_NETLINK_H
#define NFHOOKCTL_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Receive buffer: more than the 32 KiB the kernel fills per dump message. */
#define NFH_NL_RCVBUF		(64 * 1024)
/* A restore batch: at most this many messages or bytes, then the acks. */
#define NFH_BATCH_MSGS		64
#define NFH_BATCH_BYTES		(16 * 1024)
/* Dumps flagged inconsistent are asked again this many times. */
#define NFH_DUMP_TRIES		8

/*
 * What a request asked for: a refusal for want of CAP_NET_ADMIN names it
 * ("reading the nfhook rules needs CAP_NET_ADMIN ...").
 */
enum nfh_op {
	NFH_OP_OTHER,
	NFH_OP_INFO,			/* INFO_GET */
	NFH_OP_READ_HOOKS,		/* HOOK_GET */
	NFH_OP_READ_RULES,		/* RULE_GET */
	NFH_OP_RESET,			/* HOOK_GET or RULE_GET with RESET */
	NFH_OP_HOOK_SET,
	NFH_OP_RULE_ADD,
	NFH_OP_RULE_DEL,
	NFH_OP_FLUSH,
	NFH_OP_REPLACE,			/* REPLACE_*: restore */
	NFH_OP_EVENTS,			/* joining the events group: monitor */
	NFH_OP_PIPELINE,		/* PIPELINE_GET */
	NFH_OP_TRACE,			/* TRACE_START */
};

/* What the kernel (or the socket) said when a request failed. */
struct nfh_nl_error {
	int err;			/* positive errno; 0: none */
	uint32_t seq;			/* of the failed message */
	char msg[256];			/* extack message, "" if none */
	bool local;			/* failed on this side, not the kernel */
	enum nfh_op op;			/* what was refused */
};

struct nfh_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;		/* generic netlink id of "nfhook"; 0: rtnetlink */
	uint32_t events_group;		/* multicast group id, 0 if none */
	char *buf;
	struct nfh_nl_error error;
};

/*
 * Enters /run/netns/@netns if not NULL, opens the socket and resolves the
 * family.  Prints what went wrong (module not loaded, ...); 0 or -1.
 */
int nfh_nl_open(struct nfh_nl *nl, const char *netns);
/*
 * A NETLINK_ROUTE socket in the current network namespace (open it after
 * nfh_nl_open(), which enters --netns), for rtnl.c: nl->family stays 0.
 * Prints what went wrong; 0 or -1.
 */
int nfh_nl_open_route(struct nfh_nl *nl);
void nfh_nl_close(struct nfh_nl *nl);

/* A request header in @buf (NFH_MSG_MAX bytes) with the next seq. */
struct nlmsghdr *nfh_nl_msg(struct nfh_nl *nl, void *buf, uint8_t cmd,
			    uint16_t flags);

/*
 * Sends a request and waits for its ack; @cb (may be NULL) gets each reply
 * message of the nfhook family.  0, or -1 with nl->error filled.
 */
int nfh_nl_do(struct nfh_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	      void *data);

/*
 * Sends a dump request (NLM_F_DUMP is added) and feeds every message to
 * @cb until the end.  *@intr is set when the kernel flagged the dump as
 * inconsistent (NLM_F_DUMP_INTR): the caller drops what it got and asks
 * again.  0, or -1 with nl->error filled.
 */
int nfh_nl_dump(struct nfh_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, bool *intr);

/*
 * What nfh_nl_dump() does with each datagram it receives, on @len bytes at
 * @buf instead (for the unit tests): the answers to the dump request
 * numbered @seq from nl->portid go to @cb.  A refused dump ends with
 * NLMSG_DONE carrying the negative errno (and, with NLM_F_ACK_TLVS, the
 * extack attributes), or with NLMSG_ERROR.  1 while the dump goes on, 0 at
 * its end, -1 with nl->error filled; *@intr is set as by nfh_nl_dump().
 */
int nfh_nl_dump_feed(struct nfh_nl *nl, uint32_t seq, void *buf, size_t len,
		     mnl_cb_t cb, void *data, bool *intr);

/* What the nfhook request @nlh asks for. */
enum nfh_op nfh_nl_op(const struct nlmsghdr *nlh);

/*
 * The line that tells the user why a request failed, without a newline:
 * "Error: " and the kernel's extack message when it sent one; for EPERM
 * without one, what was refused and that it needs CAP_NET_ADMIN; else
 * words for the errno ("nfhookctl: netlink: ..." for a local failure).
 */
void nfh_nl_error_text(const struct nfh_nl_error *err, char *buf,
		       size_t size);
/* Prints "[@prefix: ]" and nfh_nl_error_text() to stderr. */
void nfh_nl_print_error(const struct nfh_nl *nl, const char *prefix);

/* Several requests sent at once, each acked, for restore. */
struct nfh_batch {
	struct nfh_nl *nl;
	char *buf;
	size_t len;
	unsigned int count;
	uint32_t first_seq;
	unsigned int lines[NFH_BATCH_MSGS];
	unsigned int err_line;		/* line of the message that failed */
};

int nfh_batch_init(struct nfh_batch *b, struct nfh_nl *nl);
void nfh_batch_free(struct nfh_batch *b);
/*
 * Room for a message of at most NFH_MSG_MAX bytes, sending the batch first
 * if it is full.  Fill it, then call nfh_batch_add().  NULL on a failed send.
 */
struct nlmsghdr *nfh_batch_msg(struct nfh_batch *b, uint8_t cmd,
			       unsigned int line);
void nfh_batch_add(struct nfh_batch *b, struct nlmsghdr *nlh);
/* Sends what is queued and waits for every ack; 0 or -1 (err_line set). */
int nfh_batch_flush(struct nfh_batch *b);

/*
 * Joins the events group (printing why not, EPERM as a refusal of
 * NFH_OP_EVENTS); then nfh_nl_listen() feeds events to @cb.
 */
int nfh_nl_join_events(struct nfh_nl *nl);
/* What nfh_nl_join_events() says when joining fails with @err; -1. */
int nfh_nl_join_failed(struct nfh_nl *nl, int err);
int nfh_nl_listen(struct nfh_nl *nl, mnl_cb_t cb, void *data);

struct nfh_pipeline;
struct nfh_pipe_filter;

/*
 * The hooks @f asks for (the kernel filters ipv4 and ipv6; netdev is left
 * to nfh_pipeline_print()) into @pl, asked again while they move.  0, or
 * -1 after printing why.
 */
int nfh_pipeline_fetch(struct nfh_nl *nl, struct nfh_pipeline *pl,
		       const struct nfh_pipe_filter *f);

#endif /* NFHOOKCTL_NETLINK_H */
