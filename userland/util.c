// SPDX-License-Identifier: GPL-2.0
/*
 * The failure record every pure part fills: no printing, no exit here.
 */
#include <stdarg.h>
#include <stdio.h>

#include "util.h"

int nfh_fail(struct nfh_err *e, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}
