/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The save format: one line per hook and per rule, in the words of the
 * command line.  Restore reads a whole file before anything is sent.
 */
#ifndef NFHOOKCTL_SAVERESTORE_H
#define NFHOOKCTL_SAVERESTORE_H

#include <stdbool.h>
#include <stdio.h>

#include "rule.h"
#include "util.h"

/*
 * Splits a line into words: blanks separate, "..." quotes (with \" \\ \n
 * \t \r \xHH escapes), # starts a comment.  Returns the number of words
 * (pointers into @line, which is modified) or -1.
 */
int nfh_split_line(char *line, char **words, int max, struct nfh_err *e);
/* Reads a whole file; on error msg is "NAME:LINE: error: ...". */
int nfh_restore_parse(FILE *in, const char *name, struct nfh_ruleset *rs,
		      struct nfh_err *e);
void nfh_save_write(FILE *f, const struct nfh_ruleset *rs, bool counters);

#endif /* NFHOOKCTL_SAVERESTORE_H */
