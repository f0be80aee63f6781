// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: dmvpnctl's "show crypto ..." and "clear crypto ..."
 * (root only), one command line in, the answer out, then EOF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"

static int ctl_open(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s;

	if (strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || chmod(path, 0600) || listen(s, 8)) {
		close(s);
		return -1;
	}
	return s;
}

static void on_ctl(void *arg, int fd)
{
	struct daemon *d = arg;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char cmd[256];
	ssize_t n;
	FILE *f;
	int c;

	c = accept4(d->ctl, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != 0) {
		close(c);
		return;
	}
	/* one line, then the answer; the client waits for EOF */
	{
		struct timeval tv = { 1, 0 };

		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	n = recv(c, cmd, sizeof(cmd) - 1, 0);
	if (n <= 0) {
		close(c);
		return;
	}
	cmd[n] = 0;
	cmd[strcspn(cmd, "\r\n")] = 0;
	f = fdopen(c, "w");
	if (!f) {
		close(c);
		return;
	}
	d->ike.now = loop_clock_ms();
	show_command(d, cmd, f);
	fclose(f);
}

int ctl_server_open(struct daemon *d)
{
	d->ctl = ctl_open(d->sock_path);
	if (d->ctl < 0) {
		log_err("cannot listen on %s: %s", d->sock_path, strerror(errno));
		return -1;
	}
	if (!loop_add_fd(&d->loop, d->ctl, on_ctl, d))
		return -1;
	return 0;
}

void ctl_server_close(struct daemon *d)
{
	close(d->ctl);
	unlink(d->sock_path);
}
