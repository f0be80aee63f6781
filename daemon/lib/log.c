// SPDX-License-Identifier: GPL-2.0
/* dmvpnd's log. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <sys/time.h>
#include "lib/log.h"

bool log_dbg_on[LOG_DBG_MAX];
bool log_keys_on;
int log_max_prio = LOG_DEBUG;
static bool to_stderr = true;
static bool also_stderr;

void log_open(bool foreground, bool debug)
{
	log_dbg_all(debug);
	to_stderr = foreground;
	if (!foreground)
		openlog("dmvpnd", LOG_PID, LOG_DAEMON);
}

void log_also_stderr(bool on)
{
	also_stderr = on;
}

void log_dbg_all(bool on)
{
	for (int i = 0; i < LOG_DBG_MAX; i++)
		log_dbg_on[i] = on;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio > log_max_prio)
		return;
	va_start(ap, fmt);
	if (to_stderr) {
		struct timeval tv;
		struct tm tm;
		char ts[32];

		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld: ", ts, (long)tv.tv_usec / 1000);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		if (also_stderr) {
			va_list copy;

			va_copy(copy, ap);
			fputs("dmvpnd: ", stderr);
			vfprintf(stderr, fmt, copy);
			fputc('\n', stderr);
			va_end(copy);
		}
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

void log_key(const char *what, unsigned int id, const uint8_t *p, size_t n)
{
	char hex[2 * 128 + 1];
	size_t i;

	if (!log_keys_on)
		return;
	for (i = 0; i < n && i < 128; i++)
		snprintf(hex + 2 * i, 3, "%02x", p[i]);
	hex[2 * i] = 0;
	log_msg(LOG_DEBUG, "KEYS (0:%u): %s %s", id, what, hex);
}
