// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnctl show|clear crypto ...: the keying daemon's view, asked over
 * its control socket (root only).  One command line out, the answer back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "ctl/ctl.h"

static const char *const known[] = {
	"show crypto isakmp sa", "show crypto isakmp sa detail",
	"show crypto ipsec sa", "show crypto ipsec sa detail",
	"show crypto session", "show crypto session detail",
	"clear crypto sa", "clear crypto isakmp",
};

int ctl_daemon(const char *sock, int argc, char **argv, bool json)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char cmd[256] = "", buf[4096];
	size_t i;
	ssize_t n;
	int s;

	for (int k = 0; k < argc; k++) {
		if (strlen(cmd) + strlen(argv[k]) + 2 >= sizeof(cmd))
			return 2;
		if (k)
			strcat(cmd, " ");
		strcat(cmd, argv[k]);
	}
	for (i = 0; i < sizeof(known) / sizeof(known[0]) && strcmp(cmd, known[i]); i++)
		;
	if (i == sizeof(known) / sizeof(known[0])) {
		fprintf(stderr, "dmvpnctl: unknown command \"%s\"; one of:\n", cmd);
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			fprintf(stderr, "  %s\n", known[i]);
		return 2;
	}
	if (json)
		strcat(cmd, " json");
	strcat(cmd, "\n");
	if (strlen(sock) >= sizeof(a.sun_path))
		return 2;
	strcpy(a.sun_path, sock);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "dmvpnctl: cannot reach dmvpnd at %s: %s\n", sock, strerror(errno));
		if (s >= 0)
			close(s);
		return 1;
	}
	if (send(s, cmd, strlen(cmd), 0) < 0) {
		close(s);
		return 1;
	}
	while ((n = read(s, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(s);
	return 0;
}
