// SPDX-License-Identifier: GPL-2.0
/*
 * One printing path for people and for scripts.  Every value is printed
 * with one call naming both its JSON key and its table column; in JSON mode
 * the key is written with the exact value, in text mode the column collects
 * what people read and the table is printed aligned when the list ends.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "names.h"
#include "output.h"
#include "rule.h"

void nfh_out_init(struct nfh_out *o, FILE *f, bool json, bool numeric)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
	o->numeric = numeric;
	o->first[0] = true;
}

/* Length of the valid UTF-8 sequence at @p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void nfh_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p) {
		if (nfh_write_escape(f, *p)) {
			p++;
			continue;
		}
		switch (*p) {
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);	/* not UTF-8 */
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

/* Comma and key before a JSON value at the current depth. */
static void json_member(struct nfh_out *o, const char *key)
{
	if (!o->first[o->depth])
		fputc(',', o->f);
	o->first[o->depth] = false;
	if (key) {
		nfh_json_string(o->f, key);
		fputc(':', o->f);
	}
}

static void json_open(struct nfh_out *o, const char *key, char c)
{
	json_member(o, key);
	fputc(c, o->f);
	if (o->depth + 1 < NFH_JSON_MAX_DEPTH)
		o->depth++;
	o->first[o->depth] = true;
}

static void json_close(struct nfh_out *o, char c)
{
	fputc(c, o->f);
	if (o->depth > 0)
		o->depth--;
	if (o->depth == 0)
		fputc('\n', o->f);
}

void nfh_out_obj_begin(struct nfh_out *o, const char *key)
{
	if (o->json)
		json_open(o, key, '{');
}

void nfh_out_obj_end(struct nfh_out *o)
{
	if (o->json)
		json_close(o, '}');
}

void nfh_out_list_begin(struct nfh_out *o, const char *key)
{
	if (o->json) {
		json_open(o, key, '[');
		return;
	}
	o->in_table = true;
	o->rows = 0;
	o->ncols = 0;
	o->ncells = 0;
}

void nfh_out_row_begin(struct nfh_out *o)
{
	if (o->json)
		json_open(o, NULL, '{');
	o->cur_col = 0;
	o->rows++;
}

void nfh_out_row_end(struct nfh_out *o)
{
	if (o->json)
		json_close(o, '}');
}

static void table_print(struct nfh_out *o)
{
	size_t ncols = o->ncols, r, c, nrows, w;

	if (!ncols)
		return;
	nrows = o->ncells / ncols;
	for (c = 0; c < ncols; c++) {
		o->cols[c].width = strlen(o->cols[c].header);
		for (r = 0; r < nrows; r++) {
			w = strlen(o->cells[r * ncols + c]);
			if (w > o->cols[c].width)
				o->cols[c].width = w;
		}
	}
	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s = r ? o->cells[(r - 1) * ncols + c] :
					    o->cols[c].header;
			int width = (int)o->cols[c].width;

			if (c)
				fputs("  ", o->f);
			if (o->cols[c].right)
				fprintf(o->f, "%*s", width, s);
			else if (c + 1 < ncols)
				fprintf(o->f, "%-*s", width, s);
			else
				fputs(s, o->f);		/* no trailing blanks */
		}
		fputc('\n', o->f);
	}
}

void nfh_out_list_end(struct nfh_out *o)
{
	size_t i;

	if (o->json) {
		json_close(o, ']');
		return;
	}
	if (o->ncells % (o->ncols ? o->ncols : 1) == 0)
		table_print(o);
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	o->cells = NULL;
	o->ncells = o->cells_cap = 0;
	o->in_table = false;
}

/* Text for column @col: a table cell, or a "label value" line. */
static void text_cell(struct nfh_out *o, const char *col, bool right,
		      const char *text)
{
	char **cells;
	char *dup;

	if (!col)
		return;
	if (!o->in_table) {
		fprintf(o->f, "%-18s %s\n", col, text);
		return;
	}
	if (o->rows == 1 && o->cur_col == o->ncols &&
	    o->ncols < NFH_OUT_MAX_COLS) {
		/* The first row defines the columns. */
		o->cols[o->ncols].header = col;
		o->cols[o->ncols].right = right;
		o->ncols++;
	}
	if (o->cur_col >= o->ncols || strcmp(o->cols[o->cur_col].header, col)) {
		o->oom = true;		/* a row whose columns differ: a bug */
		return;
	}
	o->cur_col++;
	if (o->ncells == o->cells_cap) {
		size_t ncap = o->cells_cap ? o->cells_cap * 2 : 64;

		cells = realloc(o->cells, ncap * sizeof(*cells));
		if (!cells) {
			o->oom = true;
			return;
		}
		o->cells = cells;
		o->cells_cap = ncap;
	}
	dup = strdup(text);
	if (!dup) {
		o->oom = true;
		return;
	}
	o->cells[o->ncells++] = dup;
}

/* A number, given in decimal as @num: @text (when not NULL) in the table. */
static void print_number(struct nfh_out *o, int mode, const char *key,
			 const char *col, const char *num, const char *text)
{
	if (o->json) {
		if ((mode & NFH_PRINT_JSON) && key) {
			json_member(o, key);
			fputs(num, o->f);
		}
		return;
	}
	if (mode & NFH_PRINT_FP)
		text_cell(o, col, true, text ? text : num);
}

void nfh_print_u64(struct nfh_out *o, int mode, const char *key,
		   const char *col, uint64_t v, const char *text)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	print_number(o, mode, key, col, num, text);
}

void nfh_print_s64(struct nfh_out *o, int mode, const char *key,
		   const char *col, int64_t v, const char *text)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRId64, v);
	print_number(o, mode, key, col, num, text);
}

void nfh_print_str(struct nfh_out *o, int mode, const char *key,
		   const char *col, const char *s)
{
	if (o->json) {
		if ((mode & NFH_PRINT_JSON) && key) {
			json_member(o, key);
			nfh_json_string(o->f, s);
		}
		return;
	}
	if (mode & NFH_PRINT_FP)
		text_cell(o, col, false, s);
}

void nfh_print_bool(struct nfh_out *o, int mode, const char *key,
		    const char *col, bool v, const char *text)
{
	if (o->json) {
		if ((mode & NFH_PRINT_JSON) && key) {
			json_member(o, key);
			fputs(v ? "true" : "false", o->f);
		}
		return;
	}
	if (mode & NFH_PRINT_FP)
		text_cell(o, col, false, text ? text : (v ? "yes" : "no"));
}

/* @v, shown in the table as @format writes it unless numeric. */
static void print_scaled(struct nfh_out *o, const char *key, const char *col,
			 uint64_t v,
			 void (*format)(uint64_t v, char *buf, size_t size))
{
	char buf[32];

	if (o->numeric || o->json) {
		nfh_print_u64(o, NFH_PRINT_ANY, key, col, v, NULL);
		return;
	}
	format(v, buf, sizeof(buf));
	nfh_print_u64(o, NFH_PRINT_ANY, key, col, v, buf);
}

void nfh_print_count(struct nfh_out *o, const char *key, const char *col,
		     uint64_t v)
{
	print_scaled(o, key, col, v, nfh_format_count);
}

void nfh_print_bytes(struct nfh_out *o, const char *key, const char *col,
		     uint64_t v)
{
	print_scaled(o, key, col, v, nfh_format_bytes);
}

void nfh_print_rule(struct nfh_out *o, const struct nfh_rule *r)
{
	const char *fam = nfh_family_name(r->family);
	const char *hook = nfh_hook_name(r->hook);
	const char *action = nfh_action_name(r->action);
	unsigned int f = r->fields;
	char buf[64], *text;

	/* A table keeps its columns: "-" where the kernel sent nothing. */
	if (f & NFH_R_ID)
		nfh_print_u64(o, NFH_PRINT_ANY, "id", "ID", r->id, NULL);
	else
		nfh_print_str(o, NFH_PRINT_FP, NULL, "ID", "-");
	nfh_print_str(o, NFH_PRINT_ANY, "family", "FAMILY", fam ? fam : "?");
	nfh_print_str(o, NFH_PRINT_ANY, "hook", "HOOK", hook ? hook : "?");
	if (f & NFH_R_INDEX)
		nfh_print_u64(o, NFH_PRINT_ANY, "index", "INDEX", r->index, NULL);
	else
		nfh_print_str(o, NFH_PRINT_FP, NULL, "INDEX", "-");
	if (f & NFH_R_COUNTERS) {
		nfh_print_count(o, "packets", "PACKETS", r->packets);
		nfh_print_bytes(o, "bytes", "BYTES", r->bytes);
	} else {
		nfh_print_str(o, NFH_PRINT_FP, NULL, "PACKETS", "-");
		nfh_print_str(o, NFH_PRINT_FP, NULL, "BYTES", "-");
	}
	if (!o->json) {
		text = nfh_rule_text(r, o->numeric ? NFH_FMT_NUMERIC : 0);
		if (!text) {
			o->oom = true;
			return;
		}
		nfh_print_str(o, NFH_PRINT_FP, NULL, "RULE", text);
		free(text);
		return;
	}
	/* JSON: every match its own member, present only when used. */
	if (f & NFH_R_SADDR) {
		nfh_format_addr(r->family, r->saddr, r->family == NFPROTO_IPV6 ?
				128 : 32, buf, sizeof(buf));
		nfh_print_str(o, NFH_PRINT_JSON, "saddr", NULL, buf);
		nfh_print_u64(o, NFH_PRINT_JSON, "saddr_prefix", NULL, r->sprefix, NULL);
	}
	if (f & NFH_R_DADDR) {
		nfh_format_addr(r->family, r->daddr, r->family == NFPROTO_IPV6 ?
				128 : 32, buf, sizeof(buf));
		nfh_print_str(o, NFH_PRINT_JSON, "daddr", NULL, buf);
		nfh_print_u64(o, NFH_PRINT_JSON, "daddr_prefix", NULL, r->dprefix, NULL);
	}
	if (f & NFH_R_IIF)
		nfh_print_str(o, NFH_PRINT_JSON, "iif", NULL, r->iif);
	if (f & NFH_R_OIF)
		nfh_print_str(o, NFH_PRINT_JSON, "oif", NULL, r->oif);
	if (f & NFH_R_PROTO)
		nfh_print_u64(o, NFH_PRINT_JSON, "proto", NULL, r->proto, NULL);
	if (f & NFH_R_SPORT) {
		nfh_print_u64(o, NFH_PRINT_JSON, "sport_min", NULL, r->sport_min, NULL);
		nfh_print_u64(o, NFH_PRINT_JSON, "sport_max", NULL, r->sport_max, NULL);
	}
	if (f & NFH_R_DPORT) {
		nfh_print_u64(o, NFH_PRINT_JSON, "dport_min", NULL, r->dport_min, NULL);
		nfh_print_u64(o, NFH_PRINT_JSON, "dport_max", NULL, r->dport_max, NULL);
	}
	if (f & NFH_R_ICMP_TYPE)
		nfh_print_u64(o, NFH_PRINT_JSON, "icmp_type", NULL, r->icmp_type, NULL);
	if (f & NFH_R_ICMP_CODE)
		nfh_print_u64(o, NFH_PRINT_JSON, "icmp_code", NULL, r->icmp_code, NULL);
	if (f & NFH_R_LEN) {
		nfh_print_u64(o, NFH_PRINT_JSON, "len_min", NULL, r->len_min, NULL);
		if (f & NFH_R_LEN_MAX)
			nfh_print_u64(o, NFH_PRINT_JSON, "len_max", NULL, r->len_max,
				      NULL);
	}
	if (f & NFH_R_TCP_FLAGS) {
		nfh_print_u64(o, NFH_PRINT_JSON, "tcp_flags", NULL, r->tcp_flags, NULL);
		nfh_print_u64(o, NFH_PRINT_JSON, "tcp_flags_mask", NULL, r->tcp_mask,
			      NULL);
	}
	if (f & NFH_R_CT_STATE) {
		uint32_t unknown = r->ct_state & ~(uint32_t)NFHOOK_CT_STATE_ALL;
		int i;

		json_open(o, "ct_state", '[');
		for (i = 0; i < NFH_NCT_STATES; i++) {
			if (!(r->ct_state & (1u << i)))
				continue;
			json_member(o, NULL);
			nfh_json_string(o->f, nfh_ct_state_names[i]);
		}
		if (unknown) {
			json_member(o, NULL);
			fprintf(o->f, "%" PRIu32, unknown);
		}
		json_close(o, ']');
	}
	if (action)
		nfh_print_str(o, NFH_PRINT_JSON, "action", NULL, action);
	else
		nfh_print_u64(o, NFH_PRINT_JSON, "action", NULL, r->action, NULL);
	if (f & NFH_R_COMMENT)
		nfh_print_str(o, NFH_PRINT_JSON, "comment", NULL, r->comment);
}

int nfh_out_finish(struct nfh_out *o)
{
	fflush(o->f);
	return o->oom || ferror(o->f) ? -1 : 0;
}
