// SPDX-License-Identifier: GPL-2.0
/* The runner: calls every suite, reports each case and the totals. */
#include <stdarg.h>
#include <stdlib.h>

#include "saverestore.h"
#include "unit.h"

static unsigned int ncases, nfailed;
static bool case_open, case_failed;
static char case_name[256];

static void case_close(void)
{
	if (!case_open)
		return;
	printf("%s %u - %s\n", case_failed ? "not ok" : "ok", ncases, case_name);
	if (case_failed)
		nfailed++;
	case_open = false;
}

void unit_case(const char *fmt, ...)
{
	va_list ap;

	case_close();
	va_start(ap, fmt);
	vsnprintf(case_name, sizeof(case_name), fmt, ap);
	va_end(ap);
	ncases++;
	case_open = true;
	case_failed = false;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("#   %s:%d: [%s] ", file, line, case_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	case_failed = true;
}

int unit_words(const char *s, char *buf, size_t size, char **words, int max)
{
	struct nfh_err e;
	int n;

	snprintf(buf, size, "%s", s);
	n = nfh_split_line(buf, words, max, &e);
	if (n < 0)
		unit_fail(__FILE__, __LINE__, "cannot split \"%s\": %s", s, e.msg);
	return n;
}

static char *capture_buf;
static size_t capture_len;

char *unit_capture_begin(FILE **f)
{
	capture_buf = NULL;
	capture_len = 0;
	*f = open_memstream(&capture_buf, &capture_len);
	if (!*f) {
		perror("open_memstream");
		exit(2);
	}
	return NULL;
}

char *unit_capture_end(FILE *f, char **buf)
{
	fclose(f);
	*buf = capture_buf;
	return capture_buf;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	suite_parse();
	suite_format();
	suite_output();
	suite_saverestore();
	suite_msg();
	suite_cmdline();
	suite_netlink();
	suite_pipeline();
	suite_trace();
	suite_path();
	case_close();
	printf("# %u cases, %u passed, %u failed\n", ncases, ncases - nfailed,
	       nfailed);
	return nfailed ? 1 : 0;
}
