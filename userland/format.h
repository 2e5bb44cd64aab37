/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From structs back to the words of the command line (what `rule list`
 * shows and `save` writes), and counters in units people read.
 */
#ifndef NFHOOKCTL_FORMAT_H
#define NFHOOKCTL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rule.h"

enum nfh_fmt_flags {
	NFH_FMT_NUMERIC		= 1u << 0,	/* numbers, not names */
	NFH_FMT_COUNTERS	= 1u << 1,	/* append counters packets N bytes N */
	NFH_FMT_INDEX		= 1u << 2,	/* append index N when set */
};

/* "filter+10", "raw", "-1000"; numeric: "10".  @buf of 32 bytes. */
const char *nfh_format_priority(int32_t prio, bool numeric, char *buf,
				size_t size);
void nfh_format_addr(uint32_t family, const uint8_t addr[16], uint8_t prefix,
		     char *buf, size_t size);
const char *nfh_format_proto(uint8_t proto, bool numeric, char *buf,
			     size_t size);
/* "syn", "syn/syn,ack", "none/syn" */
void nfh_format_tcp_flags(uint8_t flags, uint8_t mask, char *buf, size_t size);
/*
 * "established,related": the states in canonical order (new, established,
 * related, invalid, untracked); bits without a name as one hex number.
 */
void nfh_format_ct_state(uint32_t states, char *buf, size_t size);
/* Writes @s as one restore-file word, quoted and escaped when needed. */
void nfh_write_word(FILE *f, const char *s);
/*
 * The backslash escape of @c that restore words and JSON strings share
 * (\" \\ \n \t \r); false, writing nothing, when @c has none of them.
 */
bool nfh_write_escape(FILE *f, unsigned char c);
/* Always quoted: comment "..." */
void nfh_write_quoted(FILE *f, const char *s);
/* The matches, action, [index], comment, [counters] of a rule. */
void nfh_rule_write(FILE *f, const struct nfh_rule *r, unsigned int flags);
/* The same into a malloc'ed string (NULL on allocation failure). */
char *nfh_rule_text(const struct nfh_rule *r, unsigned int flags);
/* priority P policy P enable|disable (the settings a hook line has) */
void nfh_hook_write(FILE *f, const struct nfh_hook *h, bool numeric);
/* 1.2M, 845 (counts); 845 B, 1.2 MiB (bytes). */
void nfh_format_count(uint64_t v, char *buf, size_t size);
void nfh_format_bytes(uint64_t v, char *buf, size_t size);

#endif /* NFHOOKCTL_FORMAT_H */
