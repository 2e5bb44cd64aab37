/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of nfhookctl shares: how a failure is reported, the
 * version string and NFH_ARRAY_SIZE.
 *
 * The pure parts (names, parse, format, output, saverestore, cmdline, msg,
 * rule, pipeline, path) never touch a socket and never exit: they report
 * failures through struct nfh_err, so the host unit tests in tests/unit
 * drive them directly.  netlink.c talks to the kernel (rtnl.c too, over
 * rtnetlink and bpf(2), its parsers pure); nfhookctl.c runs the commands.
 */
#ifndef NFHOOKCTL_UTIL_H
#define NFHOOKCTL_UTIL_H

#ifndef VERSION
#define VERSION "unknown"
#endif

#define NFH_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A failure: one line naming the problem, and the usage line that applies. */
struct nfh_err {
	char msg[512];
	const char *usage;	/* NULL: no usage line to show */
};

/* Sets the message (printf-style) and returns -1, for "return nfh_fail()". */
int nfh_fail(struct nfh_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* NFHOOKCTL_UTIL_H */
