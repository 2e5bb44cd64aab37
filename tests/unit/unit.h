/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small test runner for nfhookctl's pure parts: every case is reported by
 * name ("ok N - name" / "not ok N - name" with the reason), then a count;
 * the exit status is 1 if anything failed.
 */
#ifndef NFHOOK_UNIT_H
#define NFHOOK_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Starts a named case; the checks until the next case or unit_end() count for it. */
void unit_case(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond) do { \
	if (!(cond)) \
		unit_fail(__FILE__, __LINE__, "%s", #cond); \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!g_ || strcmp(g_, w_)) \
		unit_fail(__FILE__, __LINE__, "got \"%s\", want \"%s\"", \
			  g_ ? g_ : "(null)", w_); \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ != w_) \
		unit_fail(__FILE__, __LINE__, "%s is %lld, want %lld", #got, \
			  g_, w_); \
} while (0)

/* Splits @s into words with the restore tokenizer (quotes work). */
int unit_words(const char *s, char *buf, size_t size, char **words, int max);
/* What @fn wrote to a FILE, as a malloc'ed string. */
char *unit_capture_begin(FILE **f);
char *unit_capture_end(FILE *f, char **buf);

void suite_parse(void);
void suite_format(void);
void suite_output(void);
void suite_saverestore(void);
void suite_msg(void);
void suite_cmdline(void);
void suite_netlink(void);
void suite_pipeline(void);
void suite_trace(void);
void suite_path(void);

#endif
