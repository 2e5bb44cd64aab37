/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One path for tables and JSON: each value is printed once, with a JSON key
 * and a table column, so -j never drifts from what people read.
 */
#ifndef NFHOOKCTL_OUTPUT_H
#define NFHOOKCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rule.h"

/* Where a value goes: the text output, the JSON output, or both. */
enum nfh_print_mode {
	NFH_PRINT_FP	= 1,	/* text only */
	NFH_PRINT_JSON	= 2,	/* JSON only */
	NFH_PRINT_ANY	= 3,
};

#define NFH_OUT_MAX_COLS	16
#define NFH_JSON_MAX_DEPTH	16

struct nfh_table_col {
	const char *header;
	bool right;
	size_t width;
};

struct nfh_out {
	FILE *f;
	bool json;
	bool numeric;
	/* JSON writer */
	int depth;
	bool first[NFH_JSON_MAX_DEPTH];
	/* text table being collected (text mode, between list begin/end) */
	bool in_table;
	struct nfh_table_col cols[NFH_OUT_MAX_COLS];
	size_t ncols, cur_col, rows;
	char **cells;
	size_t ncells, cells_cap;
	bool oom;
};

void nfh_out_init(struct nfh_out *o, FILE *f, bool json, bool numeric);
/* Writes @s as a JSON string: quotes, escapes, invalid UTF-8 as U+FFFD. */
void nfh_json_string(FILE *f, const char *s);
void nfh_out_obj_begin(struct nfh_out *o, const char *key);
void nfh_out_obj_end(struct nfh_out *o);
/* A list: a JSON array, or a text table printed aligned at its end. */
void nfh_out_list_begin(struct nfh_out *o, const char *key);
void nfh_out_row_begin(struct nfh_out *o);
void nfh_out_row_end(struct nfh_out *o);
void nfh_out_list_end(struct nfh_out *o);
/*
 * Values.  @key names the JSON member, @col the table column (or the label
 * of a "label value" line outside a list); @text is what people read (NULL:
 * the plain number).
 */
void nfh_print_u64(struct nfh_out *o, int mode, const char *key,
		   const char *col, uint64_t v, const char *text);
void nfh_print_s64(struct nfh_out *o, int mode, const char *key,
		   const char *col, int64_t v, const char *text);
void nfh_print_str(struct nfh_out *o, int mode, const char *key,
		   const char *col, const char *s);
void nfh_print_bool(struct nfh_out *o, int mode, const char *key,
		    const char *col, bool v, const char *text);
/* Counts and bytes: units for people unless numeric, exact in JSON. */
void nfh_print_count(struct nfh_out *o, const char *key, const char *col,
		     uint64_t v);
void nfh_print_bytes(struct nfh_out *o, const char *key, const char *col,
		     uint64_t v);
/* A rule's JSON members and its RULE column (the CLI words). */
void nfh_print_rule(struct nfh_out *o, const struct nfh_rule *r);
/* 0, or -1 if memory ran out while collecting a table. */
int nfh_out_finish(struct nfh_out *o);

#endif /* NFHOOKCTL_OUTPUT_H */
