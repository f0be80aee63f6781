/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service manager's readiness protocol (systemd's sd_notify(3), a
 * small stable interface, so no libsystemd): one datagram of
 * newline-separated VAR=VALUE lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET (a path, or an abstract name when it begins with '@').
 * Without NOTIFY_SOCKET (not started by systemd, or not Type=notify)
 * each call does nothing and returns 0.
 */
#ifndef DMVPN_LIB_NOTIFY_H
#define DMVPN_LIB_NOTIFY_H

/* Send text as one datagram: 0 (also when there is no NOTIFY_SOCKET), or -errno. */
int notify_send(const char *text);
/* "READY=1": started, or a reload finished (whether or not the file loaded). */
int notify_ready(void);
/* "RELOADING=1" with MONOTONIC_USEC, the CLOCK_MONOTONIC time of the request. */
int notify_reloading(void);
/* "STOPPING=1": on the way out. */
int notify_stopping(void);

#endif /* DMVPN_LIB_NOTIFY_H */
