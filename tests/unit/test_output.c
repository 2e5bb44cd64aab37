// SPDX-License-Identifier: GPL-2.0
/* JSON escaping and the one printing path for tables and JSON. */
#include <stdlib.h>

#include "output.h"
#include "parse.h"
#include "rule.h"
#include "util.h"
#include "unit.h"

static void json_case(const char *name, const char *in, const char *want)
{
	FILE *f;
	char *out;

	unit_case("json string: %s", name);
	unit_capture_begin(&f);
	nfh_json_string(f, in);
	unit_capture_end(f, &out);
	CHECK_STR(out, want);
	free(out);
}

/* Two rows through the same calls, as text and as JSON. */
static void emit(struct nfh_out *o)
{
	nfh_out_list_begin(o, NULL);
	nfh_out_row_begin(o);
	nfh_print_str(o, NFH_PRINT_ANY, "family", "FAMILY", "ipv4");
	nfh_print_count(o, "packets", "PACKETS", 1200000);
	nfh_print_bytes(o, "bytes", "BYTES", 845ULL << 20);
	nfh_print_u64(o, NFH_PRINT_JSON, "only_json", NULL, 7, NULL);
	nfh_print_str(o, NFH_PRINT_FP, NULL, "NOTE", "x");
	nfh_out_row_end(o);
	nfh_out_row_begin(o);
	nfh_print_str(o, NFH_PRINT_ANY, "family", "FAMILY", "ipv6");
	nfh_print_count(o, "packets", "PACKETS", 5);
	nfh_print_bytes(o, "bytes", "BYTES", 300);
	nfh_print_u64(o, NFH_PRINT_JSON, "only_json", NULL, UINT64_MAX, NULL);
	nfh_print_str(o, NFH_PRINT_FP, NULL, "NOTE", "longer note");
	nfh_out_row_end(o);
	nfh_out_list_end(o);
}

static char *run(bool json, bool numeric, int *fin)
{
	struct nfh_out o;
	FILE *f;
	char *out;

	unit_capture_begin(&f);
	nfh_out_init(&o, f, json, numeric);
	emit(&o);
	*fin = nfh_out_finish(&o);
	unit_capture_end(f, &out);
	return out;
}

static void rule_json(void)
{
	char lb[512], *w[64], *out;
	struct nfh_err e;
	struct nfh_rule r;
	struct nfh_out o;
	FILE *f;
	int n;

	unit_case("rule as JSON members");
	n = unit_words("ipv4 input saddr 10.0.0.0/8 proto tcp dport 22 tcp-flags syn/syn,ack len 60- accept comment \"a\\\"b\"",
		       lb, sizeof(lb), w, 64);
	CHECK_INT(nfh_rule_parse(&r, n, w, NFH_RULE_CTX_ADD, &e), 0);
	r.id = 7;
	r.fields |= NFH_R_ID | NFH_R_INDEX | NFH_R_COUNTERS;
	r.index = 0;
	r.packets = 18446744073709551615ULL;
	r.bytes = 9007199254740993ULL;	/* beyond double precision */
	unit_capture_begin(&f);
	nfh_out_init(&o, f, true, false);
	nfh_out_obj_begin(&o, NULL);
	nfh_print_rule(&o, &r);
	nfh_out_obj_end(&o);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(f, &out);
	CHECK_STR(out, "{\"id\":7,\"family\":\"ipv4\",\"hook\":\"input\",\"index\":0,"
		  "\"packets\":18446744073709551615,\"bytes\":9007199254740993,"
		  "\"saddr\":\"10.0.0.0\",\"saddr_prefix\":8,\"proto\":6,"
		  "\"dport_min\":22,\"dport_max\":22,\"len_min\":60,"
		  "\"tcp_flags\":2,\"tcp_flags_mask\":18,\"action\":\"accept\","
		  "\"comment\":\"a\\\"b\"}\n");
	free(out);

	unit_case("rule as a table row");
	unit_capture_begin(&f);
	nfh_out_init(&o, f, false, false);
	nfh_out_list_begin(&o, NULL);
	nfh_out_row_begin(&o);
	nfh_print_rule(&o, &r);
	nfh_out_row_end(&o);
	nfh_out_list_end(&o);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(f, &out);
	CHECK_STR(out,
		  "ID  FAMILY  HOOK   INDEX  PACKETS    BYTES  RULE\n"
		  " 7  ipv4    input      0      18E  8.0 PiB  saddr 10.0.0.0/8 proto tcp dport 22 len 60- tcp-flags syn/syn,ack accept comment \"a\\\"b\"\n");
	free(out);

	unit_case("rule with ct state: a JSON array of names, canonical order");
	n = unit_words("ipv6 input proto tcp dport 22 ct state related,established,new accept",
		       lb, sizeof(lb), w, 64);
	CHECK_INT(nfh_rule_parse(&r, n, w, NFH_RULE_CTX_ADD, &e), 0);
	r.id = 3;
	r.fields |= NFH_R_ID;
	unit_capture_begin(&f);
	nfh_out_init(&o, f, true, false);
	nfh_out_obj_begin(&o, NULL);
	nfh_print_rule(&o, &r);
	nfh_out_obj_end(&o);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(f, &out);
	CHECK_STR(out, "{\"id\":3,\"family\":\"ipv6\",\"hook\":\"input\","
		  "\"proto\":6,\"dport_min\":22,\"dport_max\":22,"
		  "\"ct_state\":[\"new\",\"established\",\"related\"],"
		  "\"action\":\"accept\"}\n");
	free(out);

	unit_case("rule with ct state as a table row");
	unit_capture_begin(&f);
	nfh_out_init(&o, f, false, false);
	nfh_out_list_begin(&o, NULL);
	nfh_out_row_begin(&o);
	nfh_print_rule(&o, &r);
	nfh_out_row_end(&o);
	nfh_out_list_end(&o);
	CHECK_INT(nfh_out_finish(&o), 0);
	unit_capture_end(f, &out);
	CHECK(out && strstr(out, "  proto tcp dport 22 ct state new,established,related accept\n"));
	free(out);
}

void suite_output(void)
{
	char *out;
	int fin;

	json_case("plain", "ssh", "\"ssh\"");
	json_case("empty", "", "\"\"");
	json_case("quotes", "say \"hi\"", "\"say \\\"hi\\\"\"");
	json_case("backslash", "a\\b", "\"a\\\\b\"");
	json_case("newline tab cr", "a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	json_case("backspace formfeed", "\b\f", "\"\\b\\f\"");
	json_case("control chars", "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	json_case("utf-8 2 bytes", "h\xc3\xa9llo", "\"h\xc3\xa9llo\"");
	json_case("utf-8 3 bytes", "\xe2\x9c\x93", "\"\xe2\x9c\x93\"");
	json_case("utf-8 4 bytes", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	json_case("invalid lone continuation", "a\x80z", "\"a\\ufffdz\"");
	json_case("invalid truncated sequence", "\xe2\x9c", "\"\\ufffd\\ufffd\"");
	json_case("invalid overlong", "\xc0\xaf", "\"\\ufffd\\ufffd\"");
	json_case("invalid surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	json_case("invalid beyond U+10FFFF", "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	json_case("slash passes", "a/b", "\"a/b\"");

	unit_case("table text with units");
	out = run(false, false, &fin);
	CHECK_INT(fin, 0);
	CHECK_STR(out,
		  "FAMILY  PACKETS    BYTES  NOTE\n"
		  "ipv4       1.2M  845 MiB  x\n"
		  "ipv6          5    300 B  longer note\n");
	free(out);

	unit_case("table text numeric");
	out = run(false, true, &fin);
	CHECK_INT(fin, 0);
	CHECK_STR(out,
		  "FAMILY  PACKETS      BYTES  NOTE\n"
		  "ipv4    1200000  886046720  x\n"
		  "ipv6          5        300  longer note\n");
	free(out);

	unit_case("same calls as JSON with exact integers");
	out = run(true, false, &fin);
	CHECK_INT(fin, 0);
	CHECK_STR(out,
		  "[{\"family\":\"ipv4\",\"packets\":1200000,\"bytes\":886046720,\"only_json\":7},"
		  "{\"family\":\"ipv6\",\"packets\":5,\"bytes\":300,\"only_json\":18446744073709551615}]\n");
	free(out);

	unit_case("empty list: JSON [] and no table");
	{
		struct nfh_out o;
		FILE *f;

		unit_capture_begin(&f);
		nfh_out_init(&o, f, true, false);
		nfh_out_list_begin(&o, NULL);
		nfh_out_list_end(&o);
		unit_capture_end(f, &out);
		CHECK_STR(out, "[]\n");
		free(out);
		unit_capture_begin(&f);
		nfh_out_init(&o, f, false, false);
		nfh_out_list_begin(&o, NULL);
		nfh_out_list_end(&o);
		unit_capture_end(f, &out);
		CHECK_STR(out, "");
		free(out);
	}

	unit_case("object with nested lists");
	{
		struct nfh_out o;
		FILE *f;

		unit_capture_begin(&f);
		nfh_out_init(&o, f, true, false);
		nfh_out_obj_begin(&o, NULL);
		nfh_out_list_begin(&o, "hooks");
		nfh_out_row_begin(&o);
		nfh_print_bool(&o, NFH_PRINT_ANY, "enabled", "STATE", true, NULL);
		nfh_print_s64(&o, NFH_PRINT_ANY, "priority", "PRIO", -190, "conntrack+10");
		nfh_out_row_end(&o);
		nfh_out_list_end(&o);
		nfh_out_list_begin(&o, "rules");
		nfh_out_list_end(&o);
		nfh_out_obj_end(&o);
		unit_capture_end(f, &out);
		CHECK_STR(out, "{\"hooks\":[{\"enabled\":true,\"priority\":-190}],\"rules\":[]}\n");
		free(out);
	}

	unit_case("label value lines outside a list");
	{
		struct nfh_out o;
		FILE *f;

		unit_capture_begin(&f);
		nfh_out_init(&o, f, false, false);
		nfh_print_str(&o, NFH_PRINT_ANY, "version", "module version", "0.1.0");
		nfh_print_u64(&o, NFH_PRINT_ANY, "max_rules", "max rules", 65536, NULL);
		unit_capture_end(f, &out);
		CHECK_STR(out, "module version     0.1.0\nmax rules          65536\n");
		free(out);
	}

	unit_case("a row with other columns is reported");
	{
		struct nfh_out o;
		FILE *f;

		unit_capture_begin(&f);
		nfh_out_init(&o, f, false, false);
		nfh_out_list_begin(&o, NULL);
		nfh_out_row_begin(&o);
		nfh_print_str(&o, NFH_PRINT_ANY, "a", "A", "1");
		nfh_out_row_end(&o);
		nfh_out_row_begin(&o);
		nfh_print_str(&o, NFH_PRINT_ANY, "b", "B", "2");
		nfh_out_row_end(&o);
		nfh_out_list_end(&o);
		CHECK_INT(nfh_out_finish(&o), -1);
		unit_capture_end(f, &out);
		free(out);
	}
	rule_json();
}
