// SPDX-License-Identifier: GPL-2.0
/*
 * How a dump's answers are taken: datagrams built in a buffer go through
 * nfh_nl_dump_feed(), the path nfh_nl_dump() runs on what it receives.  A
 * refused dump ends with NLMSG_DONE carrying a negative errno, with or
 * without extack attributes, and must come out as an error, not as an
 * empty listing.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nfhook.h>

#include "msg.h"
#include "netlink.h"
#include "util.h"
#include "unit.h"

#define PORTID	4242
#define SEQ	77

/* A datagram being built: messages one after the other. */
struct dgram {
	char buf[4096] __attribute__((aligned(4)));
	size_t len;
};

static struct nlmsghdr *dg_msg(struct dgram *d, uint16_t type,
			       uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(d->buf + d->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void dg_end(struct dgram *d, struct nlmsghdr *nlh)
{
	d->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* A RULE_GET dump message (its content does not matter here). */
static void dg_rule(struct dgram *d, uint16_t flags)
{
	struct nlmsghdr *nlh = dg_msg(d, 0x20, NLM_F_MULTI | flags, SEQ);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = NFHOOK_CMD_RULE_GET;
	g->version = NFHOOK_GENL_VERSION;
	mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, NFPROTO_IPV4);
	dg_end(d, nlh);
}

/*
 * NLMSG_DONE with @code; with @msg, the extack TLVs as the kernel puts
 * them: NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG and (6.12 and later) an offset.
 */
static void dg_done(struct dgram *d, int code, const char *msg, uint32_t seq)
{
	struct nlmsghdr *nlh = dg_msg(d, NLMSG_DONE, NLM_F_MULTI, seq);
	int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	*err = code;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	dg_end(d, nlh);
}

/* NLMSG_ERROR as sent to a socket with NETLINK_CAP_ACK, with a message. */
static void dg_error(struct dgram *d, int code, const char *msg)
{
	struct nlmsghdr *nlh = dg_msg(d, NLMSG_ERROR,
				      NLM_F_CAPPED | NLM_F_ACK_TLVS, SEQ);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = code;
	e->msg.nlmsg_len = 36;	/* the request's; not copied when capped */
	e->msg.nlmsg_seq = SEQ;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	dg_end(d, nlh);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

/* Feeds @d to a fresh nfh_nl; the feed's result, the rest in the out-params. */
static int feed(struct dgram *d, struct nfh_nl *nl, unsigned int *msgs,
		bool *intr)
{
	memset(nl, 0, sizeof(*nl));
	nl->portid = PORTID;
	*msgs = 0;
	*intr = false;
	return nfh_nl_dump_feed(nl, SEQ, d->buf, d->len, count_cb, msgs, intr);
}

/* What @fn(@arg) writes to stderr, as a malloc'ed string. */
static char *stderr_of(void (*fn)(void *), void *arg)
{
	FILE *tmp = tmpfile();
	char *text = calloc(1, 512);
	int saved;

	if (!tmp || !text) {
		perror("stderr_of");
		exit(2);
	}
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	if (!fread(text, 1, 511, tmp))
		text[0] = 0;
	fclose(tmp);
	return text;
}

static void print_error(void *nl)
{
	nfh_nl_print_error(nl, NULL);
}

/* What nfh_nl_print_error() writes to stderr. */
static char *error_text(struct nfh_nl *nl)
{
	return stderr_of(print_error, nl);
}

struct join_arg {
	struct nfh_nl *nl;
	int err, ret;
};

static void join_failed(void *data)
{
	struct join_arg *a = data;

	a->ret = nfh_nl_join_failed(a->nl, a->err);
}

/* A request as nfhookctl builds it: @cmd, with RESET when @reset. */
static enum nfh_op op_of(uint8_t cmd, bool reset)
{
	static char buf[NFH_MSG_MAX] __attribute__((aligned(4)));
	struct nfh_nl nl = { .family = 0x20 };
	struct nlmsghdr *nlh = nfh_nl_msg(&nl, buf, cmd, 0);

	mnl_attr_put_u32(nlh, NFHOOK_A_FAMILY, NFPROTO_IPV4);
	if (reset)
		mnl_attr_put(nlh, NFHOOK_A_RESET, 0, NULL);
	return nfh_nl_op(nlh);
}

/* nfh_nl_error_text() of a kernel refusal with @err, @op and no extack. */
static void refusal_case(enum nfh_op op, const char *want)
{
	struct nfh_nl_error err = { .err = EPERM, .op = op };
	char text[512];

	unit_case("EPERM without extack names what needs CAP_NET_ADMIN: %s",
		  want);
	nfh_nl_error_text(&err, text, sizeof(text));
	CHECK_STR(text, want);
}

static void permission_cases(struct dgram *d)
{
	static const char cap[] =
		" needs CAP_NET_ADMIN in this network namespace (run as root)";
	static const struct {
		enum nfh_op op;
		const char *what;
	} ops[] = {
		{ NFH_OP_INFO, "reading the nfhook module information" },
		{ NFH_OP_READ_HOOKS, "reading the nfhook hooks" },
		{ NFH_OP_READ_RULES, "reading the nfhook rules" },
		{ NFH_OP_RESET, "resetting the nfhook counters" },
		{ NFH_OP_HOOK_SET, "changing an nfhook hook" },
		{ NFH_OP_RULE_ADD, "adding an nfhook rule" },
		{ NFH_OP_RULE_DEL, "deleting an nfhook rule" },
		{ NFH_OP_FLUSH, "flushing nfhook rules" },
		{ NFH_OP_REPLACE, "replacing the nfhook ruleset" },
		{ NFH_OP_EVENTS, "listening to nfhook events" },
		{ NFH_OP_PIPELINE, "reading the netfilter hooks of the namespace" },
		{ NFH_OP_OTHER, "this nfhook request" },
	};
	struct nfh_nl_error err = { .err = EPERM };
	struct join_arg ja;
	unsigned int msgs;
	struct nfh_nl nl;
	char want[256], text[512];
	bool intr;
	size_t i;
	char *out;

	unit_case("each request names its operation");
	CHECK_INT(op_of(NFHOOK_CMD_INFO_GET, false), NFH_OP_INFO);
	CHECK_INT(op_of(NFHOOK_CMD_HOOK_GET, false), NFH_OP_READ_HOOKS);
	CHECK_INT(op_of(NFHOOK_CMD_RULE_GET, false), NFH_OP_READ_RULES);
	CHECK_INT(op_of(NFHOOK_CMD_HOOK_GET, true), NFH_OP_RESET);
	CHECK_INT(op_of(NFHOOK_CMD_RULE_GET, true), NFH_OP_RESET);
	CHECK_INT(op_of(NFHOOK_CMD_HOOK_SET, false), NFH_OP_HOOK_SET);
	CHECK_INT(op_of(NFHOOK_CMD_RULE_ADD, false), NFH_OP_RULE_ADD);
	CHECK_INT(op_of(NFHOOK_CMD_RULE_DEL, false), NFH_OP_RULE_DEL);
	CHECK_INT(op_of(NFHOOK_CMD_FLUSH, false), NFH_OP_FLUSH);
	CHECK_INT(op_of(NFHOOK_CMD_REPLACE_BEGIN, false), NFH_OP_REPLACE);
	CHECK_INT(op_of(NFHOOK_CMD_REPLACE_RULE, false), NFH_OP_REPLACE);
	CHECK_INT(op_of(NFHOOK_CMD_REPLACE_COMMIT, false), NFH_OP_REPLACE);
	CHECK_INT(op_of(NFHOOK_CMD_PIPELINE_GET, false), NFH_OP_PIPELINE);
	CHECK_INT(op_of(NFHOOK_CMD_UNSPEC, false), NFH_OP_OTHER);

	for (i = 0; i < NFH_ARRAY_SIZE(ops); i++) {
		snprintf(want, sizeof(want), "Error: permission denied: %s%s",
			 ops[i].what, cap);
		refusal_case(ops[i].op, want);
	}

	unit_case("EACCES is a refusal too; an unknown op is still worded");
	err.err = EACCES;
	err.op = NFH_OP_READ_RULES;
	nfh_nl_error_text(&err, text, sizeof(text));
	CHECK_STR(text, "Error: permission denied: reading the nfhook rules needs CAP_NET_ADMIN in this network namespace (run as root)");
	err.op = (enum nfh_op)99;
	nfh_nl_error_text(&err, text, sizeof(text));
	CHECK_STR(text, "Error: permission denied: this nfhook request needs CAP_NET_ADMIN in this network namespace (run as root)");

	unit_case("EPERM with an extack message: the kernel's own words");
	memset(&err, 0, sizeof(err));
	err.err = EPERM;
	err.op = NFH_OP_RESET;
	snprintf(err.msg, sizeof(err.msg), "nfhook: resetting counters needs CAP_NET_ADMIN");
	nfh_nl_error_text(&err, text, sizeof(text));
	CHECK_STR(text, "Error: nfhook: resetting counters needs CAP_NET_ADMIN");

	unit_case("EPERM on this side (a socket call) is not worded as a refusal");
	memset(&err, 0, sizeof(err));
	err.err = EPERM;
	err.local = true;
	err.op = NFH_OP_READ_RULES;
	nfh_nl_error_text(&err, text, sizeof(text));
	CHECK_STR(text, "nfhookctl: netlink: Operation not permitted");

	unit_case("other errors keep their words");
	memset(&err, 0, sizeof(err));
	err.err = EBUSY;
	err.op = NFH_OP_REPLACE;
	nfh_nl_error_text(&err, text, sizeof(text));
	CHECK_STR(text, "Error: busy: another restore is in progress in this network namespace");

	/*
	 * The generic netlink core refuses a dump of an op flagged
	 * GENL_UNS_ADMIN_PERM before it starts: NLMSG_ERROR, no message.
	 */
	unit_case("refused rule dump (NLMSG_ERROR EPERM, no extack): what is needed");
	d->len = 0;
	{
		struct nlmsghdr *nlh = dg_msg(d, NLMSG_ERROR, NLM_F_CAPPED, SEQ);
		struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

		e->error = -EPERM;
		e->msg.nlmsg_len = 36;
		e->msg.nlmsg_seq = SEQ;
		dg_end(d, nlh);
	}
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(nl.error.err, EPERM);
	CHECK(!nl.error.local);
	CHECK_STR(nl.error.msg, "");
	nl.error.op = NFH_OP_READ_RULES;	/* as nfh_nl_dump() sets it */
	out = error_text(&nl);
	CHECK_STR(out, "Error: permission denied: reading the nfhook rules needs CAP_NET_ADMIN in this network namespace (run as root)\n");
	free(out);

	unit_case("monitor: joining the events group refused (EPERM)");
	memset(&nl, 0, sizeof(nl));
	ja = (struct join_arg){ .nl = &nl, .err = EPERM };
	out = stderr_of(join_failed, &ja);
	CHECK_INT(ja.ret, -1);
	CHECK_STR(out, "Error: permission denied: listening to nfhook events needs CAP_NET_ADMIN in this network namespace (run as root)\n");
	free(out);

	unit_case("monitor: joining fails otherwise: the errno");
	ja = (struct join_arg){ .nl = &nl, .err = ENODEV };
	out = stderr_of(join_failed, &ja);
	CHECK_INT(ja.ret, -1);
	CHECK_STR(out, "nfhookctl: cannot join the events group: No such device\n");
	free(out);
}

void suite_netlink(void)
{
	static const char perm_msg[] =
		"nfhook: resetting counters needs CAP_NET_ADMIN";
	struct dgram *d = malloc(sizeof(*d));
	unsigned int msgs;
	struct nfh_nl nl;
	bool intr;
	char *text;

	if (!d) {
		perror("suite_netlink");
		exit(2);
	}

	unit_case("dump: messages then DONE 0 is a complete listing");
	d->len = 0;
	dg_rule(d, 0);
	dg_rule(d, 0);
	dg_done(d, 0, NULL, SEQ);
	CHECK_INT(feed(d, &nl, &msgs, &intr), 0);
	CHECK_INT(msgs, 2);
	CHECK_INT(nl.error.err, 0);
	CHECK(!intr);

	unit_case("dump: messages without DONE: more to come");
	d->len = 0;
	dg_rule(d, NLM_F_DUMP_INTR);
	CHECK_INT(feed(d, &nl, &msgs, &intr), 1);
	CHECK_INT(msgs, 1);
	CHECK(intr);

	unit_case("dump: DONE with an error and extack message is an error");
	d->len = 0;
	dg_done(d, -EPERM, perm_msg, SEQ);
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(msgs, 0);
	CHECK_INT(nl.error.err, EPERM);
	CHECK_INT(nl.error.seq, SEQ);
	CHECK(!nl.error.local);
	CHECK_STR(nl.error.msg, perm_msg);
	text = error_text(&nl);
	CHECK_STR(text, "Error: nfhook: resetting counters needs CAP_NET_ADMIN\n");
	free(text);

	unit_case("dump: DONE with an error after some messages is an error");
	d->len = 0;
	dg_rule(d, 0);
	dg_done(d, -EINVAL, "nfhook: unknown hook", SEQ);
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(msgs, 1);
	CHECK_INT(nl.error.err, EINVAL);
	CHECK_STR(nl.error.msg, "nfhook: unknown hook");

	unit_case("dump: DONE with EPERM and no extack: what needs CAP_NET_ADMIN");
	d->len = 0;
	dg_done(d, -EPERM, NULL, SEQ);
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(nl.error.err, EPERM);
	CHECK_STR(nl.error.msg, "");
	nl.error.op = NFH_OP_READ_HOOKS;	/* as nfh_nl_dump() sets it */
	text = error_text(&nl);
	CHECK_STR(text, "Error: permission denied: reading the nfhook hooks needs CAP_NET_ADMIN in this network namespace (run as root)\n");
	free(text);

	unit_case("dump: DONE with an error, TLV flag but no message attribute");
	d->len = 0;
	{
		struct nlmsghdr *nlh = dg_msg(d, NLMSG_DONE,
					      NLM_F_MULTI | NLM_F_ACK_TLVS, SEQ);
		int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

		*err = -ENOENT;
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
		dg_end(d, nlh);
	}
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(nl.error.err, ENOENT);
	CHECK_STR(nl.error.msg, "");

	unit_case("dump: extack message without its NUL is not taken");
	d->len = 0;
	{
		struct nlmsghdr *nlh = dg_msg(d, NLMSG_DONE,
					      NLM_F_MULTI | NLM_F_ACK_TLVS, SEQ);
		int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

		*err = -EINVAL;
		mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 4, "oops");
		dg_end(d, nlh);
	}
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(nl.error.err, EINVAL);
	CHECK_STR(nl.error.msg, "");

	unit_case("dump: extack TLVs are read only with NLM_F_ACK_TLVS");
	d->len = 0;
	{
		struct nlmsghdr *nlh = dg_msg(d, NLMSG_DONE, NLM_F_MULTI, SEQ);
		int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

		*err = -EINVAL;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "not flagged");
		dg_end(d, nlh);
	}
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(nl.error.err, EINVAL);
	CHECK_STR(nl.error.msg, "");

	unit_case("dump: a DONE for another request is not ours");
	d->len = 0;
	dg_done(d, -EPERM, perm_msg, SEQ + 1);
	CHECK_INT(feed(d, &nl, &msgs, &intr), 1);
	CHECK_INT(nl.error.err, 0);

	unit_case("dump: a DONE shorter than its error code ends the dump");
	d->len = 0;
	dg_end(d, dg_msg(d, NLMSG_DONE, NLM_F_MULTI, SEQ));
	CHECK_INT(feed(d, &nl, &msgs, &intr), 0);
	CHECK_INT(nl.error.err, 0);

	unit_case("dump: NLMSG_ERROR refusal, message through the same parser");
	d->len = 0;
	dg_error(d, -EINVAL, "nfhook: a hook needs its family");
	CHECK_INT(feed(d, &nl, &msgs, &intr), -1);
	CHECK_INT(nl.error.err, EINVAL);
	CHECK_STR(nl.error.msg, "nfhook: a hook needs its family");
	text = error_text(&nl);
	CHECK_STR(text, "Error: nfhook: a hook needs its family\n");
	free(text);

	permission_cases(d);
	free(d);
}
