/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd's log: stderr in the foreground, syslog otherwise.  Debug lines
 * name the events and states the way IOS "debug crypto isakmp/ipsec" does,
 * so a trace can be read side by side with a router's.
 */
#ifndef DMVPN_LIB_LOG_H
#define DMVPN_LIB_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

extern bool log_debug_on;	/* debug crypto isakmp / ipsec */
extern bool log_keys_on;	/* print key material (never by default) */
extern int log_max_prio;		/* drop messages less urgent than this */

void log_open(bool foreground, bool debug);
/*
 * Until a daemon detaches, what goes to syslog goes to stderr too: the
 * one who started it sees why it did not start (on = false once detached).
 */
void log_also_stderr(bool on);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
/* Key material as hex, only with -K (for decrypting a capture in the lab). */
void log_key(const char *what, unsigned int id, const uint8_t *p, size_t n);

#define log_dbg(...) do { if (log_debug_on) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif /* DMVPN_LIB_LOG_H */
