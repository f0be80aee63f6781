/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd's log: stderr in the foreground, syslog otherwise.  Debug lines
 * name the events and states the way IOS "debug crypto isakmp/ipsec" and
 * "debug nhrp" do, so a trace can be read side by side with a router's.
 * Each of those is a flag of its own, as on IOS, turned on and off at run
 * time over the control socket ("debug nhrp", "undebug all"); -d turns
 * them all on at start.
 */
#ifndef DMVPN_LIB_LOG_H
#define DMVPN_LIB_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

/* The debug subsystems, as IOS names them in "show debugging". */
enum log_dbg {
	LOG_DBG_ISAKMP,		/* debug crypto isakmp: phase 1, Quick Mode, informational */
	LOG_DBG_IPSEC,		/* debug crypto ipsec: the SAs as the kernel gets them */
	LOG_DBG_NHRP,		/* debug nhrp: NHRP packets and decisions */
	LOG_DBG_DAEMON,		/* dmvpnd's own (the control socket, XFRM events): -d only */
	LOG_DBG_MAX,
};

extern bool log_dbg_on[LOG_DBG_MAX];
extern bool log_keys_on;	/* print key material (never by default) */
extern int log_max_prio;		/* drop messages less urgent than this */

/* debug: every subsystem's debug on from the start (-d). */
void log_open(bool foreground, bool debug);
/*
 * Until a daemon detaches, what goes to syslog goes to stderr too: the
 * one who started it sees why it did not start (on = false once detached).
 */
void log_also_stderr(bool on);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Every subsystem's debug on or off ("undebug all"). */
void log_dbg_all(bool on);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
/* Key material as hex, only with -K (for decrypting a capture in the lab). */
void log_key(const char *what, unsigned int id, const uint8_t *p, size_t n);

#define log_dbg_in(sub, ...) do {					\
	if (log_dbg_on[sub])						\
		log_msg(LOG_DEBUG, __VA_ARGS__);			\
} while (0)
#define log_dbg_isakmp(...) log_dbg_in(LOG_DBG_ISAKMP, __VA_ARGS__)
#define log_dbg_ipsec(...) log_dbg_in(LOG_DBG_IPSEC, __VA_ARGS__)
#define log_dbg_nhrp(...) log_dbg_in(LOG_DBG_NHRP, __VA_ARGS__)
#define log_dbg(...) log_dbg_in(LOG_DBG_DAEMON, __VA_ARGS__)

#endif /* DMVPN_LIB_LOG_H */
