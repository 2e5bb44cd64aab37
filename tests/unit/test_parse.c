// SPDX-License-Identifier: GPL-2.0
/* Parsing: every match keyword, every error message, priorities, addresses. */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "format.h"
#include "names.h"
#include "parse.h"
#include "rule.h"
#include "util.h"
#include "unit.h"

/* Parses "FAMILY HOOK words..." and checks the words printed back. */
static void rule_ok(enum nfh_rule_ctx ctx, const char *args, const char *want)
{
	char buf[1024], *words[128], *text;
	struct nfh_err e = { .msg = "" };
	struct nfh_rule r, r2;
	int n;

	unit_case("rule ok: %s", args);
	n = unit_words(args, buf, sizeof(buf), words, 128);
	if (nfh_rule_parse(&r, n, words, ctx, &e)) {
		unit_fail(__FILE__, __LINE__, "refused: %s", e.msg);
		return;
	}
	text = nfh_rule_text(&r, NFH_FMT_INDEX | NFH_FMT_COUNTERS);
	CHECK_STR(text, want);
	/* And the printed words parse to the same rule. */
	if (text) {
		char line[1024];

		snprintf(line, sizeof(line), "%s %s %s",
			 nfh_family_name(r.family), nfh_hook_name(r.hook), text);
		n = unit_words(line, buf, sizeof(buf), words, 128);
		CHECK(nfh_rule_parse(&r2, n, words, ctx, &e) == 0);
		CHECK(nfh_rule_equal(&r, &r2));
	}
	free(text);
}

static void rule_err(enum nfh_rule_ctx ctx, const char *args, const char *msg)
{
	char buf[1024], *words[128];
	struct nfh_err e = { .msg = "" };
	struct nfh_rule r;
	int n;

	unit_case("rule error: %s", args);
	n = unit_words(args, buf, sizeof(buf), words, 128);
	CHECK_INT(nfh_rule_parse(&r, n, words, ctx, &e), -1);
	CHECK_STR(e.msg, msg);
}

static void test_rule_matches(void)
{
	const enum nfh_rule_ctx A = NFH_RULE_CTX_ADD;

	rule_ok(A, "ipv4 input accept", "accept");
	rule_ok(A, "ipv4 input drop", "drop");
	rule_ok(A, "ipv6 output count", "count");
	rule_ok(A, "ipv4 prerouting saddr 10.0.0.0/8 drop", "saddr 10.0.0.0/8 drop");
	rule_ok(A, "ipv4 prerouting saddr 10.1.2.3/8 drop", "saddr 10.0.0.0/8 drop");
	rule_ok(A, "ipv4 forward daddr 192.168.1.7 accept", "daddr 192.168.1.7 accept");
	rule_ok(A, "ipv4 forward daddr 192.168.1.7/32 accept", "daddr 192.168.1.7 accept");
	rule_ok(A, "ipv4 forward daddr 0.0.0.0/0 accept", "daddr 0.0.0.0/0 accept");
	rule_ok(A, "ipv6 input saddr 2001:db8::1/64 count", "saddr 2001:db8::/64 count");
	rule_ok(A, "ipv6 input daddr ::1 accept", "daddr ::1 accept");
	rule_ok(A, "ipv6 input daddr 2001:db8:ffff::/33 accept", "daddr 2001:db8:8000::/33 accept");
	rule_ok(A, "ipv4 input proto tcp accept", "proto tcp accept");
	rule_ok(A, "ipv4 input proto udp accept", "proto udp accept");
	rule_ok(A, "ipv4 input proto udplite accept", "proto udplite accept");
	rule_ok(A, "ipv4 input proto sctp accept", "proto sctp accept");
	rule_ok(A, "ipv4 input proto icmp accept", "proto icmp accept");
	rule_ok(A, "ipv6 input proto icmpv6 accept", "proto icmpv6 accept");
	rule_ok(A, "ipv4 input proto 47 accept", "proto 47 accept");
	rule_ok(A, "ipv4 input proto 6 accept", "proto tcp accept");
	rule_ok(A, "ipv4 input proto 0 accept", "proto 0 accept");
	rule_ok(A, "ipv4 input proto 255 accept", "proto 255 accept");
	rule_ok(A, "ipv4 input proto tcp sport 1024-65535 accept", "proto tcp sport 1024-65535 accept");
	rule_ok(A, "ipv4 input proto tcp dport 22 accept", "proto tcp dport 22 accept");
	rule_ok(A, "ipv4 input dport 22 proto tcp accept", "proto tcp dport 22 accept");
	rule_ok(A, "ipv4 input proto udp dport 53-53 accept", "proto udp dport 53 accept");
	rule_ok(A, "ipv4 input proto sctp sport 0 dport 65535 drop", "proto sctp sport 0 dport 65535 drop");
	rule_ok(A, "ipv4 input proto icmp icmp-type echo-request drop", "proto icmp icmp-type echo-request drop");
	rule_ok(A, "ipv4 input proto icmp icmp-type 3 code 4 drop", "proto icmp icmp-type destination-unreachable code 4 drop");
	rule_ok(A, "ipv4 input proto icmp icmp-type 200 drop", "proto icmp icmp-type 200 drop");
	rule_ok(A, "ipv6 input proto icmpv6 icmp-type echo-request drop", "proto icmpv6 icmp-type echo-request drop");
	rule_ok(A, "ipv6 input proto icmpv6 icmp-type 135 code 0 accept", "proto icmpv6 icmp-type nd-neighbor-solicit code 0 accept");
	rule_ok(A, "ipv4 input iif eth0 accept", "iif eth0 accept");
	rule_ok(A, "ipv4 output oif veth-a.10 accept", "oif veth-a.10 accept");
	rule_ok(A, "ipv4 forward iif a oif b accept", "iif a oif b accept");
	rule_ok(A, "ipv4 input iif abcdefghijklmno accept", "iif abcdefghijklmno accept");
	rule_ok(A, "ipv4 input len 100 count", "len 100 count");
	rule_ok(A, "ipv4 input len 0-1500 count", "len 0-1500 count");
	rule_ok(A, "ipv4 input len 1501- count", "len 1501- count");
	rule_ok(A, "ipv4 input len 4294967295 count", "len 4294967295 count");
	rule_ok(A, "ipv4 input proto tcp tcp-flags syn drop", "proto tcp tcp-flags syn drop");
	/* ct state: a list in any order, printed in canonical order */
	rule_ok(A, "ipv4 input ct state established,related accept", "ct state established,related accept");
	rule_ok(A, "ipv4 input ct state related,established accept", "ct state established,related accept");
	rule_ok(A, "ipv6 input proto tcp dport 22 ct state new accept", "proto tcp dport 22 ct state new accept");
	rule_ok(A, "ipv4 input ct state new drop proto tcp", "proto tcp ct state new drop");
	rule_ok(A, "ipv6 prerouting ct state untracked,invalid,related,established,new count",
		"ct state new,established,related,invalid,untracked count");
	rule_ok(A, "ipv4 output ct state invalid count comment \"before conntrack\"",
		"ct state invalid count comment \"before conntrack\"");
	rule_ok(A, "ipv4 input proto tcp tcp-flags syn/syn,ack drop", "proto tcp tcp-flags syn/syn,ack drop");
	rule_ok(A, "ipv4 input proto tcp tcp-flags ack,syn/ack,syn drop", "proto tcp tcp-flags syn,ack drop");
	rule_ok(A, "ipv4 input proto tcp tcp-flags none/rst drop", "proto tcp tcp-flags none/rst drop");
	rule_ok(A, "ipv4 input proto tcp tcp-flags fin,syn,rst,psh,ack,urg,ece,cwr accept", "proto tcp tcp-flags fin,syn,rst,psh,ack,urg,ece,cwr accept");
	rule_ok(A, "ipv4 input accept index 0", "accept index 0");
	rule_ok(A, "ipv4 input index 7 drop", "drop index 7");
	rule_ok(A, "ipv4 input accept comment ssh", "accept comment \"ssh\"");
	rule_ok(A, "ipv4 input accept comment \"a \\\"b\\\" \\\\ c\"", "accept comment \"a \\\"b\\\" \\\\ c\"");
	rule_ok(A, "ipv4 input accept comment \"tab\\there\\nnl\\x01\"", "accept comment \"tab\\there\\nnl\\x01\"");
	rule_ok(A, "ipv4 input accept comment \"\"", "accept comment \"\"");
	rule_ok(A, "ipv4 input accept comment \"héllo ✓\"", "accept comment \"héllo ✓\"");
	rule_ok(A, "ipv4 input accept comment 012345678901234567890123456789012345678901234567890123456789012",
		"accept comment \"012345678901234567890123456789012345678901234567890123456789012\"");
	rule_ok(A, "ipv4 postrouting saddr 10.0.0.1 daddr 10.0.0.2/31 iif lo oif eth1 proto tcp sport 1-2 dport 3-4 len 40-60 tcp-flags syn/syn,ack,rst count index 3 comment \"all\"",
		"saddr 10.0.0.1 daddr 10.0.0.2/31 iif lo oif eth1 proto tcp sport 1-2 dport 3-4 len 40-60 tcp-flags syn/syn,rst,ack count index 3 comment \"all\"");
	rule_ok(NFH_RULE_CTX_RESTORE, "ipv4 input accept counters packets 5 bytes 300", "accept counters packets 5 bytes 300");
	rule_ok(NFH_RULE_CTX_RESTORE, "ipv4 input drop counters packets 18446744073709551615 bytes 0",
		"drop counters packets 18446744073709551615 bytes 0");
}

static void test_rule_errors(void)
{
	const enum nfh_rule_ctx A = NFH_RULE_CTX_ADD, R = NFH_RULE_CTX_RESTORE;

	rule_err(A, "", "missing FAMILY (ipv4 or ipv6)");
	rule_err(A, "ipv5 input accept", "\"ipv5\" is not a family (ipv4 or ipv6)");
	rule_err(A, "IPV4 input accept", "\"IPV4\" is not a family (ipv4 or ipv6)");
	rule_err(A, "ipv4", "missing HOOK (prerouting, input, forward, output or postrouting)");
	rule_err(A, "ipv4 inptu accept", "\"inptu\" is not a hook (prerouting, input, forward, output or postrouting)");
	rule_err(A, "ipv4 in accept", "\"in\" is not a hook (prerouting, input, forward, output or postrouting)");
	rule_err(A, "ipv4 input", "missing action: accept, drop or count");
	rule_err(A, "ipv4 input proto tcp", "missing action: accept, drop or count");
	rule_err(A, "ipv4 input accept drop", "two actions: accept and drop");
	rule_err(A, "ipv4 input acc", "unknown match or action \"acc\"");
	rule_err(A, "ipv4 input sadd 1.2.3.4 accept", "unknown match or action \"sadd\"");
	rule_err(A, "ipv4 input accept bogus", "unknown match or action \"bogus\"");
	/* addresses */
	rule_err(A, "ipv4 input saddr", "saddr: missing ADDR[/LEN]");
	rule_err(A, "ipv4 input saddr 1.2.3 accept", "saddr: \"1.2.3\" is not an ipv4 address");
	rule_err(A, "ipv4 input saddr 1.2.3.256 accept", "saddr: \"1.2.3.256\" is not an ipv4 address");
	rule_err(A, "ipv4 input daddr foo accept", "daddr: \"foo\" is not an ipv4 address");
	rule_err(A, "ipv4 input saddr 10.0.0.0/33 accept", "saddr: prefix length \"33\" out of range for ipv4 (0-32)");
	rule_err(A, "ipv4 input saddr 10.0.0.0/-1 accept", "saddr: prefix length \"-1\" out of range for ipv4 (0-32)");
	rule_err(A, "ipv4 input saddr 10.0.0.0/abc accept", "saddr: prefix length \"abc\" out of range for ipv4 (0-32)");
	rule_err(A, "ipv4 input saddr 10.0.0.0/ accept", "saddr: missing prefix length after \"/\" in \"10.0.0.0/\"");
	rule_err(A, "ipv4 input saddr /8 accept", "saddr: \"/8\" has no address");
	rule_err(A, "ipv6 input saddr 2001:db8::/129 accept", "saddr: prefix length \"129\" out of range for ipv6 (0-128)");
	rule_err(A, "ipv6 input saddr 2001:db8:::1 accept", "saddr: \"2001:db8:::1\" is not an ipv6 address");
	rule_err(A, "ipv6 input saddr 10.0.0.1 accept", "saddr: 10.0.0.1 is an ipv4 address, but this is an ipv6 rule");
	rule_err(A, "ipv6 input daddr 10.0.0.0/8 accept", "daddr: 10.0.0.0 is an ipv4 address, but this is an ipv6 rule");
	rule_err(A, "ipv4 input daddr ::1 accept", "daddr: ::1 is an ipv6 address, but this is an ipv4 rule");
	rule_err(A, "ipv4 input saddr 1.1.1.1 saddr 2.2.2.2 accept", "saddr: given twice");
	/* proto and ports */
	rule_err(A, "ipv4 input proto", "proto: missing a protocol");
	rule_err(A, "ipv4 input proto tcpp accept", "proto: \"tcpp\" is not a protocol (tcp, udp, udplite, sctp, icmp, icmpv6 or 0-255)");
	rule_err(A, "ipv4 input proto 256 accept", "proto: \"256\" is not a protocol (tcp, udp, udplite, sctp, icmp, icmpv6 or 0-255)");
	rule_err(A, "ipv4 input proto TCP accept", "proto: \"TCP\" is not a protocol (tcp, udp, udplite, sctp, icmp, icmpv6 or 0-255)");
	rule_err(A, "ipv4 input proto tcp proto udp accept", "proto: given twice");
	rule_err(A, "ipv4 input dport 22 accept", "dport: needs proto tcp, udp, udplite or sctp");
	rule_err(A, "ipv4 input sport 22 accept", "sport: needs proto tcp, udp, udplite or sctp");
	rule_err(A, "ipv4 input proto icmp dport 22 accept", "dport: proto icmp has no ports (tcp, udp, udplite or sctp do)");
	rule_err(A, "ipv4 input proto 47 sport 1 accept", "sport: proto 47 has no ports (tcp, udp, udplite or sctp do)");
	rule_err(A, "ipv4 input proto tcp dport 65536 accept", "dport: \"65536\" is not a port or a range P-P (0-65535)");
	rule_err(A, "ipv4 input proto tcp dport -1 accept", "dport: \"-1\" is not a port or a range P-P (0-65535)");
	rule_err(A, "ipv4 input proto tcp dport ssh accept", "dport: \"ssh\" is not a port or a range P-P (0-65535)");
	rule_err(A, "ipv4 input proto tcp dport 30-20 accept", "dport: range 30-20 is reversed");
	rule_err(A, "ipv4 input proto tcp sport 1-2-3 accept", "sport: \"1-2-3\" is not a port or a range P-P (0-65535)");
	rule_err(A, "ipv4 input proto tcp sport 1- accept", "sport: \"1-\" is not a port or a range P-P (0-65535)");
	rule_err(A, "ipv4 input proto tcp dport", "dport: missing P[-P]");
	rule_err(A, "ipv4 input proto tcp dport 1 dport 2 accept", "dport: given twice");
	/* icmp */
	rule_err(A, "ipv4 input icmp-type 8 accept", "icmp-type: needs proto icmp in an ipv4 rule");
	rule_err(A, "ipv6 input proto icmp icmp-type 128 accept", "icmp-type: needs proto icmpv6 in an ipv6 rule");
	rule_err(A, "ipv4 input proto icmp icmp-type ping accept", "icmp-type: \"ping\" is not an icmp type name or a number 0-255");
	rule_err(A, "ipv6 input proto icmpv6 icmp-type redirect accept", "icmp-type: \"redirect\" is not an icmpv6 type name or a number 0-255");
	rule_err(A, "ipv4 input proto icmp icmp-type 256 accept", "icmp-type: \"256\" is not an icmp type name or a number 0-255");
	rule_err(A, "ipv4 input proto icmp code 1 accept", "code: needs icmp-type");
	rule_err(A, "ipv4 input proto icmp icmp-type 3 code 256 accept", "code: \"256\" is not a number from 0 to 255");
	rule_err(A, "ipv4 input proto icmp icmp-type", "icmp-type: missing a type");
	rule_err(A, "ipv4 input proto icmp icmp-type 3 code", "code: missing a code");
	/* interfaces */
	rule_err(A, "ipv4 input iif", "iif: missing NAME");
	rule_err(A, "ipv4 input iif abcdefghijklmnop accept", "iif: interface name \"abcdefghijklmnop\" is too long (at most 15 bytes)");
	rule_err(A, "ipv4 input oif \"\" accept", "oif: empty interface name");
	rule_err(A, "ipv4 input oif a/b accept", "oif: interface name \"a/b\" has a character interfaces cannot have");
	rule_err(A, "ipv4 input oif \"a b\" accept", "oif: interface name \"a b\" has a character interfaces cannot have");
	rule_err(A, "ipv4 input iif .. accept", "iif: \"..\" is not a valid interface name");
	/* len */
	rule_err(A, "ipv4 input len", "len: missing MIN[-MAX]");
	rule_err(A, "ipv4 input len x count", "len: \"x\" is not a length, MIN-MAX or MIN- (0-4294967295)");
	rule_err(A, "ipv4 input len 4294967296 count", "len: \"4294967296\" is not a length, MIN-MAX or MIN- (0-4294967295)");
	rule_err(A, "ipv4 input len 100-50 count", "len: range 100-50 is reversed");
	rule_err(A, "ipv4 input len 1-x count", "len: \"1-x\" is not a length, MIN-MAX or MIN- (0-4294967295)");
	rule_err(A, "ipv4 input len -5 count", "len: \"-5\" is not a length, MIN-MAX or MIN- (0-4294967295)");
	/* tcp flags */
	rule_err(A, "ipv4 input tcp-flags syn drop", "tcp-flags: needs proto tcp");
	rule_err(A, "ipv4 input ct state establised accept", "ct state: unknown state \"establised\" (new, established, related, invalid, untracked)");
	rule_err(A, "ipv4 input ct state ESTABLISHED accept", "ct state: unknown state \"ESTABLISHED\" (new, established, related, invalid, untracked)");
	rule_err(A, "ipv4 input ct state est accept", "ct state: unknown state \"est\" (new, established, related, invalid, untracked)");
	rule_err(A, "ipv4 input ct state accept", "ct state: unknown state \"accept\" (new, established, related, invalid, untracked)");
	rule_err(A, "ipv4 input ct state \"\" accept", "ct state: empty list (new, established, related, invalid, untracked)");
	rule_err(A, "ipv4 input ct state new,,related accept", "ct state: empty state name in \"new,,related\"");
	rule_err(A, "ipv4 input ct state new, accept", "ct state: empty state name in \"new,\"");
	rule_err(A, "ipv4 input ct state new,new accept", "ct state: new given twice in \"new,new\"");
	rule_err(A, "ipv4 input ct state", "ct state: missing LIST (new, established, related, invalid, untracked, comma-separated)");
	rule_err(A, "ipv4 input ct", "ct: expected \"ct state LIST\" (the only ct match is state)");
	rule_err(A, "ipv4 input ct status new accept", "ct: expected \"ct state LIST\" (the only ct match is state)");
	rule_err(A, "ipv4 input ct state new ct state invalid accept", "ct state: given twice");
	rule_err(A, "ipv4 input state new accept", "unknown match or action \"state\"");
	rule_err(A, "ipv4 input proto udp tcp-flags syn drop", "tcp-flags: needs proto tcp");
	rule_err(A, "ipv4 input proto tcp tcp-flags sync drop", "tcp-flags: unknown flag \"sync\" (fin, syn, rst, psh, ack, urg, ece, cwr)");
	rule_err(A, "ipv4 input proto tcp tcp-flags syn,,ack drop", "tcp-flags: empty flag name in \"syn,,ack\"");
	rule_err(A, "ipv4 input proto tcp tcp-flags syn/ drop", "tcp-flags: empty flag name in \"\"");
	rule_err(A, "ipv4 input proto tcp tcp-flags none drop", "tcp-flags: none needs a mask (e.g. none/syn)");
	rule_err(A, "ipv4 input proto tcp tcp-flags syn/none drop", "tcp-flags: the mask must name at least one flag");
	rule_err(A, "ipv4 input proto tcp tcp-flags syn,ack/ack drop", "tcp-flags: \"syn,ack/ack\" sets flags outside its mask");
	rule_err(A, "ipv4 input proto tcp tcp-flags", "tcp-flags: missing FLAGS[/MASK]");
	/* index, comment, counters */
	rule_err(A, "ipv4 input accept index", "index: missing N");
	rule_err(A, "ipv4 input accept index -1", "index: \"-1\" is not a number from 0 to 4294967294");
	rule_err(A, "ipv4 input accept index 4294967295", "index: \"4294967295\" is not a number from 0 to 4294967294");
	rule_err(A, "ipv4 input accept index 1 index 2", "index: given twice");
	rule_err(A, "ipv4 input accept comment", "comment: missing TEXT");
	rule_err(A, "ipv4 input accept comment 0123456789012345678901234567890123456789012345678901234567890123",
		 "comment: too long (64 bytes, at most 63)");
	rule_err(A, "ipv4 input accept comment a comment b", "comment: given twice");
	rule_err(A, "ipv4 input accept counters packets 1 bytes 2", "counters: only restore files can set counters");
	rule_err(R, "ipv4 input accept index 1", "index: not allowed here (rules are added in the order given)");
	rule_err(R, "ipv4 input accept counters", "counters: expected \"counters packets N bytes N\"");
	rule_err(R, "ipv4 input accept counters bytes 1 packets 2", "counters: expected \"counters packets N bytes N\"");
	rule_err(R, "ipv4 input accept counters packets", "counters: missing the packets count");
	rule_err(R, "ipv4 input accept counters packets 1", "counters: expected \"counters packets N bytes N\"");
	rule_err(R, "ipv4 input accept counters packets 1 bytes", "counters: missing the bytes count");
	rule_err(R, "ipv4 input accept counters packets x bytes 1", "packets: \"x\" is not a number from 0 to 18446744073709551615");
	rule_err(R, "ipv4 input accept counters packets 18446744073709551616 bytes 1", "packets: \"18446744073709551616\" is not a number from 0 to 18446744073709551615");
	rule_err(R, "ipv4 input accept counters packets 1 bytes 2 counters packets 1 bytes 2", "counters: given twice");
}

static void prio_case(const char *in, int32_t want, const char *shown)
{
	struct nfh_err e = { .msg = "" };
	char buf[32];
	int32_t p = 12345;

	unit_case("priority %s", in);
	CHECK_INT(nfh_parse_priority(in, &p, &e), 0);
	CHECK_INT(p, want);
	CHECK_STR(nfh_format_priority(p, false, buf, sizeof(buf)), shown);
	snprintf(buf, sizeof(buf), "%d", want);
	{
		char nbuf[32];

		CHECK_STR(nfh_format_priority(p, true, nbuf, sizeof(nbuf)), buf);
	}
	/* What is shown parses back to the same number. */
	CHECK_INT(nfh_parse_priority(shown, &p, &e), 0);
	CHECK_INT(p, want);
}

static void prio_err(const char *in, const char *msg)
{
	struct nfh_err e = { .msg = "" };
	int32_t p;

	unit_case("priority error %s", in);
	CHECK_INT(nfh_parse_priority(in, &p, &e), -1);
	CHECK_STR(e.msg, msg);
}

static void test_priorities(void)
{
	prio_case("raw", -300, "raw");
	prio_case("conntrack", -200, "conntrack");
	prio_case("mangle", -150, "mangle");
	prio_case("dstnat", -100, "dstnat");
	prio_case("filter", 0, "filter");
	prio_case("security", 50, "security");
	prio_case("srcnat", 100, "srcnat");
	prio_case("filter+10", 10, "filter+10");
	prio_case("filter-5", -5, "filter-5");
	prio_case("10", 10, "filter+10");
	prio_case("-190", -190, "conntrack+10");
	prio_case("raw+1", -299, "raw+1");
	prio_case("srcnat+25", 125, "srcnat+25");
	prio_case("srcnat+26", 126, "126");
	prio_case("25", 25, "filter+25");
	prio_case("26", 26, "security-24");
	prio_case("-250", -250, "-250");
	prio_case("+7", 7, "filter+7");
	prio_case("-2147483648", INT32_MIN, "-2147483648");
	prio_case("2147483647", INT32_MAX, "2147483647");
	prio_case("srcnat+2147483547", INT32_MAX, "2147483647");
	prio_case("mangle+0", -150, "mangle");
	prio_err("", "priority: \"\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	prio_err("filt", "priority: \"filt\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	prio_err("Filter", "priority: \"Filter\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	prio_err("filter+", "priority: bad offset in \"filter+\" (e.g. filter+10)");
	prio_err("filter+x", "priority: bad offset in \"filter+x\" (e.g. filter+10)");
	prio_err("filter+-3", "priority: bad offset in \"filter+-3\" (e.g. filter+10)");
	prio_err("filter 10", "priority: \"filter 10\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	prio_err("srcnat+2147483548", "priority: \"srcnat+2147483548\" is out of range");
	prio_err("2147483648", "priority: \"2147483648\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	prio_err("-2147483649", "priority: \"-2147483649\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
	prio_err("0x10", "priority: \"0x10\" is not a number or a name (raw, conntrack, mangle, dstnat, filter, security, srcnat, with an optional offset like filter+10)");
}

static void test_addresses(void)
{
	struct nfh_err e = { .msg = "" };
	uint8_t a[16], want[16];
	uint8_t plen = 0;

	unit_case("addr ipv4 bytes and prefix");
	CHECK_INT(nfh_parse_addr("saddr", "192.168.1.77/24", NFPROTO_IPV4, a, &plen, &e), 0);
	CHECK_INT(plen, 24);
	CHECK(a[0] == 192 && a[1] == 168 && a[2] == 1 && a[3] == 0);
	CHECK(!a[4] && !a[15]);

	unit_case("addr ipv4 full length without /");
	CHECK_INT(nfh_parse_addr("saddr", "1.2.3.4", NFPROTO_IPV4, a, &plen, &e), 0);
	CHECK_INT(plen, 32);
	CHECK(a[3] == 4);

	unit_case("addr ipv4 odd prefix masks inside a byte");
	CHECK_INT(nfh_parse_addr("saddr", "10.255.255.255/13", NFPROTO_IPV4, a, &plen, &e), 0);
	CHECK(a[0] == 10 && a[1] == 0xf8 && a[2] == 0 && a[3] == 0);

	unit_case("addr ipv6 bytes and prefix");
	CHECK_INT(nfh_parse_addr("daddr", "2001:db8::ff/120", NFPROTO_IPV6, a, &plen, &e), 0);
	inet_pton(AF_INET6, "2001:db8::", want);
	CHECK(!memcmp(a, want, 16));
	CHECK_INT(plen, 120);

	unit_case("addr ipv6 /0 clears everything");
	CHECK_INT(nfh_parse_addr("daddr", "ffff::1/0", NFPROTO_IPV6, a, &plen, &e), 0);
	memset(want, 0, 16);
	CHECK(!memcmp(a, want, 16));
	CHECK_INT(plen, 0);

	unit_case("addr ipv4-mapped ipv6 is an ipv6 address");
	CHECK_INT(nfh_parse_addr("saddr", "::ffff:10.0.0.1", NFPROTO_IPV6, a, &plen, &e), 0);
	CHECK(a[10] == 0xff && a[12] == 10 && a[15] == 1);

	unit_case("addr too long input");
	CHECK_INT(nfh_parse_addr("saddr", "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa", NFPROTO_IPV6, a, &plen, &e), -1);
	CHECK_STR(e.msg, "saddr: \"1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa\" is not an ipv6 address");

	unit_case("addr leading zeros in prefix");
	CHECK_INT(nfh_parse_addr("saddr", "10.0.0.0/008", NFPROTO_IPV4, a, &plen, &e), 0);
	CHECK_INT(plen, 8);
}

static void test_hook_settings(void)
{
	char buf[512], *w[32];
	struct nfh_err e = { .msg = "" };
	struct nfh_hook h;
	int n;

	unit_case("hook settings all");
	n = unit_words("ipv6 forward priority mangle-5 policy drop disable", buf, sizeof(buf), w, 32);
	CHECK_INT(nfh_hook_parse(&h, n, w, true, &e), 0);
	CHECK_INT(h.family, NFPROTO_IPV6);
	CHECK_INT(h.hook, NF_INET_FORWARD);
	CHECK_INT(h.priority, -155);
	CHECK_INT(h.policy, NFHOOK_ACTION_DROP);
	CHECK(!h.enabled);
	CHECK_INT(h.fields, NFH_H_PRIORITY | NFH_H_POLICY | NFH_H_ENABLED);

	unit_case("hook settings enable only");
	n = unit_words("ipv4 input enable", buf, sizeof(buf), w, 32);
	CHECK_INT(nfh_hook_parse(&h, n, w, true, &e), 0);
	CHECK(h.enabled);
	CHECK_INT(h.fields, NFH_H_ENABLED);

	static const struct {
		const char *args, *msg;
	} errs[] = {
		{ "ipv4 input", "nothing to set: give priority, policy, enable or disable" },
		{ "ipv4 input priority", "priority: missing a number or a name" },
		{ "ipv4 input priority 1 priority 2", "priority: given twice" },
		{ "ipv4 input policy", "policy: missing accept or drop" },
		{ "ipv4 input policy count", "policy: \"count\" is not accept or drop" },
		{ "ipv4 input policy accept policy drop", "policy: given twice" },
		{ "ipv4 input enable disable", "enable/disable: given twice" },
		{ "ipv4 input enabled", "unknown hook setting \"enabled\" (priority, policy, enable or disable)" },
		{ "ipv4 bogus enable", "\"bogus\" is not a hook (prerouting, input, forward, output or postrouting)" },
		{ "", "missing FAMILY (ipv4 or ipv6)" },
		{ "ipv4", "missing HOOK (prerouting, input, forward, output or postrouting)" },
	};
	for (size_t i = 0; i < NFH_ARRAY_SIZE(errs); i++) {
		unit_case("hook settings error: %s", errs[i].args);
		n = unit_words(errs[i].args, buf, sizeof(buf), w, 32);
		CHECK_INT(nfh_hook_parse(&h, n, w, true, &e), -1);
		CHECK_STR(e.msg, errs[i].msg);
	}
}

void suite_parse(void)
{
	test_rule_matches();
	test_rule_errors();
	test_priorities();
	test_addresses();
	test_hook_settings();
}
