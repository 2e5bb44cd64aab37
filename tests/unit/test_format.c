// SPDX-License-Identifier: GPL-2.0
/* Units, TCP flags and words written back. */
#include <stdlib.h>

#include "format.h"
#include "parse.h"
#include "rule.h"
#include "util.h"
#include "unit.h"

static void count_case(uint64_t v, const char *want)
{
	char buf[32];

	unit_case("count %llu -> %s", (unsigned long long)v, want);
	nfh_format_count(v, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

static void bytes_case(uint64_t v, const char *want)
{
	char buf[32];

	unit_case("bytes %llu -> %s", (unsigned long long)v, want);
	nfh_format_bytes(v, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

static void word_case(const char *in, const char *want)
{
	FILE *f;
	char *out;

	unit_case("word \"%s\"", in);
	unit_capture_begin(&f);
	nfh_write_word(f, in);
	unit_capture_end(f, &out);
	CHECK_STR(out, want);
	free(out);
}

void suite_format(void)
{
	char buf[64];

	count_case(0, "0");
	count_case(999, "999");
	count_case(1000, "1.0K");
	count_case(1234, "1.2K");
	count_case(9999, "9.9K");
	count_case(10000, "10K");
	count_case(999999, "999K");
	count_case(1200000, "1.2M");
	count_case(1999999999, "1.9G");
	count_case(123456789012ULL, "123G");
	count_case(UINT64_MAX, "18E");
	bytes_case(0, "0 B");
	bytes_case(845, "845 B");
	bytes_case(1023, "1023 B");
	bytes_case(1024, "1.0 KiB");
	bytes_case(1536, "1.5 KiB");
	bytes_case(845ULL << 20, "845 MiB");
	bytes_case((1ULL << 30) + (1ULL << 29), "1.5 GiB");
	bytes_case(UINT64_MAX, "15 EiB");

	unit_case("tcp flags printing");
	nfh_format_ct_state(NFHOOK_CT_STATE_ESTABLISHED | NFHOOK_CT_STATE_RELATED,
			    buf, sizeof(buf));
	CHECK_STR(buf, "established,related");
	nfh_format_ct_state(NFHOOK_CT_STATE_UNTRACKED | NFHOOK_CT_STATE_NEW,
			    buf, sizeof(buf));
	CHECK_STR(buf, "new,untracked");
	nfh_format_ct_state(NFHOOK_CT_STATE_ALL, buf, sizeof(buf));
	CHECK_STR(buf, "new,established,related,invalid,untracked");
	nfh_format_ct_state(NFHOOK_CT_STATE_INVALID | 0x40, buf, sizeof(buf));
	CHECK_STR(buf, "invalid,0x40");	/* a state this nfhookctl cannot name */
	nfh_format_ct_state(NFHOOK_CT_STATE_ALL, buf, 8);	/* truncated, terminated */
	CHECK_STR(buf, "new,est");
	nfh_format_tcp_flags(0x02, 0x02, buf, sizeof(buf));
	CHECK_STR(buf, "syn");
	nfh_format_tcp_flags(0x02, 0x12, buf, sizeof(buf));
	CHECK_STR(buf, "syn/syn,ack");
	nfh_format_tcp_flags(0x00, 0x04, buf, sizeof(buf));
	CHECK_STR(buf, "none/rst");
	nfh_format_tcp_flags(0xff, 0xff, buf, sizeof(buf));
	CHECK_STR(buf, "fin,syn,rst,psh,ack,urg,ece,cwr");
	nfh_format_tcp_flags(0xff, 0xff, buf, 8);	/* truncated, terminated */
	CHECK_INT(strlen(buf), 7);

	unit_case("address printing");
	{
		uint8_t a[16] = { 10, 1, 0, 0 };

		nfh_format_addr(NFPROTO_IPV4, a, 16, buf, sizeof(buf));
		CHECK_STR(buf, "10.1.0.0/16");
		nfh_format_addr(NFPROTO_IPV4, a, 32, buf, sizeof(buf));
		CHECK_STR(buf, "10.1.0.0");
	}

	unit_case("proto printing");
	CHECK_STR(nfh_format_proto(6, false, buf, sizeof(buf)), "tcp");
	CHECK_STR(nfh_format_proto(6, true, buf, sizeof(buf)), "6");
	CHECK_STR(nfh_format_proto(136, false, buf, sizeof(buf)), "udplite");
	CHECK_STR(nfh_format_proto(99, false, buf, sizeof(buf)), "99");

	word_case("eth0", "eth0");
	word_case("", "\"\"");
	word_case("a b", "\"a b\"");
	word_case("#x", "\"#x\"");
	word_case("q\"q", "\"q\\\"q\"");
	word_case("b\\s", "\"b\\\\s\"");
	word_case("\x01\x7f", "\"\\x01\\x7f\"");
	word_case("é", "\"é\"");

	unit_case("numeric rule text");
	{
		char lb[256], *w[32], *t;
		struct nfh_err e;
		struct nfh_rule r;
		int n = unit_words("ipv6 input proto icmpv6 icmp-type echo-request accept", lb, sizeof(lb), w, 32);

		CHECK_INT(nfh_rule_parse(&r, n, w, NFH_RULE_CTX_ADD, &e), 0);
		t = nfh_rule_text(&r, NFH_FMT_NUMERIC);
		CHECK_STR(t, "proto 58 icmp-type 128 accept");
		free(t);
	}
}
