// SPDX-License-Identifier: GPL-2.0
/*
 * From structs back to the words of the command line (what `rule list`
 * shows and `save` writes), and counters in units people read.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "format.h"
#include "names.h"
#include "rule.h"
#include "util.h"

/* A name is used when the priority is within this distance of it. */
#define NFH_PRIO_NAME_REACH	25

const char *nfh_format_priority(int32_t prio, bool numeric, char *buf,
				size_t size)
{
	int64_t best_off = 0;
	int best = -1;
	size_t i;

	if (!numeric) {
		for (i = 0; i < NFH_NPRIO_NAMES; i++) {
			int64_t off = (int64_t)prio - nfh_prio_names[i].value;

			if (off < -NFH_PRIO_NAME_REACH || off > NFH_PRIO_NAME_REACH)
				continue;
			/* Ascending names: on a tie the positive offset wins. */
			if (best < 0 || llabs(off) < llabs(best_off)) {
				best = (int)i;
				best_off = off;
			}
		}
	}
	if (best < 0)
		snprintf(buf, size, "%" PRId32, prio);
	else if (best_off)
		snprintf(buf, size, "%s%+" PRId64, nfh_prio_names[best].name,
			 best_off);
	else
		snprintf(buf, size, "%s", nfh_prio_names[best].name);
	return buf;
}

void nfh_format_addr(uint32_t family, const uint8_t addr[16], uint8_t prefix,
		     char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int full = family == NFPROTO_IPV6 ? 128 : 32;

	if (!inet_ntop(family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, addr, a,
		       sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (prefix >= full)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%u", a, prefix);
}

const char *nfh_format_proto(uint8_t proto, bool numeric, char *buf,
			     size_t size)
{
	const char *name = numeric ? NULL : nfh_proto_name(proto);

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%u", proto);
	return buf;
}

static size_t write_flag_list(uint8_t v, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	if (!v)
		return (size_t)snprintf(buf, size, "none");
	buf[0] = '\0';
	for (i = 0; i < 8; i++) {
		if (!(v & (1u << i)))
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? "," : "",
					nfh_tcp_flag_names[i]);
		if (len >= size)
			return len;
	}
	return len;
}

void nfh_format_tcp_flags(uint8_t flags, uint8_t mask, char *buf, size_t size)
{
	size_t len = write_flag_list(flags, buf, size);

	if (mask == flags || len + 1 >= size)
		return;
	buf[len] = '/';
	write_flag_list(mask, buf + len + 1, size - len - 1);
}

void nfh_format_ct_state(uint32_t states, char *buf, size_t size)
{
	uint32_t unknown = states & ~(uint32_t)NFHOOK_CT_STATE_ALL;
	size_t len = 0;
	int i;

	if (!size)
		return;
	buf[0] = '\0';
	for (i = 0; i < NFH_NCT_STATES && len < size; i++)
		if (states & (1u << i))
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? "," : "",
						nfh_ct_state_names[i]);
	if (unknown && len < size)
		snprintf(buf + len, size - len, "%s%#" PRIx32, len ? "," : "",
			 unknown);
}

bool nfh_write_escape(FILE *f, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", f);
		return true;
	case '\\':
		fputs("\\\\", f);
		return true;
	case '\n':
		fputs("\\n", f);
		return true;
	case '\t':
		fputs("\\t", f);
		return true;
	case '\r':
		fputs("\\r", f);
		return true;
	default:
		return false;
	}
}

void nfh_write_quoted(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (nfh_write_escape(f, *p))
			continue;
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void nfh_write_word(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '\\' ||
		    *p == '#')
			break;
	if (*s && !*p)
		fputs(s, f);
	else
		nfh_write_quoted(f, s);
}

void nfh_rule_write(FILE *f, const struct nfh_rule *r, unsigned int flags)
{
	bool numeric = flags & NFH_FMT_NUMERIC;
	const char *sep = "";
	char buf[64];

#define WORD(...) do { fputs(sep, f); fprintf(f, __VA_ARGS__); sep = " "; } while (0)
	if (r->fields & NFH_R_SADDR) {
		nfh_format_addr(r->family, r->saddr, r->sprefix, buf, sizeof(buf));
		WORD("saddr %s", buf);
	}
	if (r->fields & NFH_R_DADDR) {
		nfh_format_addr(r->family, r->daddr, r->dprefix, buf, sizeof(buf));
		WORD("daddr %s", buf);
	}
	if (r->fields & NFH_R_IIF) {
		WORD("iif ");
		nfh_write_word(f, r->iif);
	}
	if (r->fields & NFH_R_OIF) {
		WORD("oif ");
		nfh_write_word(f, r->oif);
	}
	if (r->fields & NFH_R_PROTO)
		WORD("proto %s", nfh_format_proto(r->proto, numeric, buf,
						  sizeof(buf)));
	if (r->fields & NFH_R_SPORT) {
		if (r->sport_min == r->sport_max)
			WORD("sport %u", r->sport_min);
		else
			WORD("sport %u-%u", r->sport_min, r->sport_max);
	}
	if (r->fields & NFH_R_DPORT) {
		if (r->dport_min == r->dport_max)
			WORD("dport %u", r->dport_min);
		else
			WORD("dport %u-%u", r->dport_min, r->dport_max);
	}
	if (r->fields & NFH_R_ICMP_TYPE) {
		const char *name = numeric ? NULL :
			nfh_icmp_type_name(r->family, r->icmp_type);

		if (name)
			WORD("icmp-type %s", name);
		else
			WORD("icmp-type %u", r->icmp_type);
	}
	if (r->fields & NFH_R_ICMP_CODE)
		WORD("code %u", r->icmp_code);
	if (r->fields & NFH_R_LEN) {
		if (!(r->fields & NFH_R_LEN_MAX))
			WORD("len %" PRIu32 "-", r->len_min);
		else if (r->len_min == r->len_max)
			WORD("len %" PRIu32, r->len_min);
		else
			WORD("len %" PRIu32 "-%" PRIu32, r->len_min, r->len_max);
	}
	if (r->fields & NFH_R_TCP_FLAGS) {
		nfh_format_tcp_flags(r->tcp_flags, r->tcp_mask, buf, sizeof(buf));
		WORD("tcp-flags %s", buf);
	}
	if (r->fields & NFH_R_CT_STATE) {
		nfh_format_ct_state(r->ct_state, buf, sizeof(buf));
		WORD("ct state %s", buf);
	}
	if (r->fields & NFH_R_ACTION) {
		const char *a = nfh_action_name(r->action);

		if (a)
			WORD("%s", a);
		else
			WORD("action-%" PRIu32, r->action);
	}
	if ((flags & NFH_FMT_INDEX) && (r->fields & NFH_R_INDEX))
		WORD("index %" PRIu32, r->index);
	if (r->fields & NFH_R_COMMENT) {
		WORD("comment ");
		nfh_write_quoted(f, r->comment);
	}
	if ((flags & NFH_FMT_COUNTERS) && (r->fields & NFH_R_COUNTERS))
		WORD("counters packets %" PRIu64 " bytes %" PRIu64, r->packets,
		     r->bytes);
#undef WORD
}

char *nfh_rule_text(const struct nfh_rule *r, unsigned int flags)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	nfh_rule_write(f, r, flags);
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

void nfh_hook_write(FILE *f, const struct nfh_hook *h, bool numeric)
{
	const char *sep = "";
	char buf[32];

	if (h->fields & NFH_H_PRIORITY) {
		fprintf(f, "priority %s",
			nfh_format_priority(h->priority, numeric, buf, sizeof(buf)));
		sep = " ";
	}
	if (h->fields & NFH_H_POLICY) {
		const char *p = nfh_action_name(h->policy);

		if (p)
			fprintf(f, "%spolicy %s", sep, p);
		else
			fprintf(f, "%spolicy %" PRIu32, sep, h->policy);
		sep = " ";
	}
	if (h->fields & NFH_H_ENABLED)
		fprintf(f, "%s%s", sep, h->enabled ? "enable" : "disable");
}

/*
 * @v in steps of @base with the suffixes given: one decimal below 10 units,
 * truncated (never rounded up to the next unit).
 */
static void format_units(uint64_t v, uint64_t base, const char *const *units,
			 size_t nunits, const char *sep, char *buf, size_t size)
{
	uint64_t div = 1;
	size_t u = 0;

	while (u + 1 < nunits && v / div >= base) {
		div *= base;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%" PRIu64 "%s%s", v, sep, units[0]);
	else if (v / div < 10)
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%s%s", v / div,
			 (v % div) * 10 / div, sep, units[u]);
	else
		snprintf(buf, size, "%" PRIu64 "%s%s", v / div, sep, units[u]);
}

void nfh_format_count(uint64_t v, char *buf, size_t size)
{
	static const char *const units[] = { "", "K", "M", "G", "T", "P", "E" };

	format_units(v, 1000, units, NFH_ARRAY_SIZE(units), "", buf, size);
}

void nfh_format_bytes(uint64_t v, char *buf, size_t size)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};

	format_units(v, 1024, units, NFH_ARRAY_SIZE(units), " ", buf, size);
}
