// SPDX-License-Identifier: GPL-2.0
/* The service manager's readiness protocol (sd_notify): see notify.h. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "lib/notify.h"

int notify_send(const char *text)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t len, tlen = strlen(text);
	socklen_t alen;
	ssize_t n;
	int s, e;

	if (!name || !*name)
		return 0;
	len = strlen(name);
	/* a path is absolute; anything else (vsock:, relative) is not a socket we can reach */
	if ((name[0] != '/' && name[0] != '@') || len < 2)
		return -(errno = EAFNOSUPPORT);
	if (len > sizeof(a.sun_path) || (name[0] == '/' && len == sizeof(a.sun_path)))
		return -(errno = ENAMETOOLONG);
	memcpy(a.sun_path, name, len);
	if (name[0] == '@')
		a.sun_path[0] = 0;	/* abstract: the name's length counts, no NUL after it */
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (name[0] == '/'));

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	/* the manager reads whole datagrams; a short one would be a different message */
	n = sendto(s, text, tlen, MSG_NOSIGNAL, (struct sockaddr *)&a, alen);
	e = n < 0 ? errno : (size_t)n != tlen ? EMSGSIZE : 0;
	close(s);
	errno = e;
	return -e;
}

int notify_ready(void)
{
	return notify_send("READY=1");
}

int notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	/* systemd (Type=notify-reload) wants the time the reload started, to tell reloads apart */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
	return notify_send(msg);
}

int notify_stopping(void)
{
	return notify_send("STOPPING=1");
}
