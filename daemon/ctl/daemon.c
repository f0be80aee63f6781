// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnctl show|clear crypto ...: the keying daemon's view, asked over
 * its control socket (root only).  One command line out, the answer back.
 * The commands are lib/ctl_proto.c's table, checked here before connecting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "ctl/ctl.h"
#include "lib/ctl_proto.h"

char *ctl_daemon_line(int argc, char **argv, bool json)
{
	struct ctl_req r;
	char *line = NULL;
	size_t len = 0;
	FILE *f;

	if (ctl_match(argv, argc, false, &r)) {
		fputs("dmvpnctl: unknown command \"", stderr);
		for (int k = 0; k < argc; k++)
			fprintf(stderr, "%s%s", k ? " " : "", argv[k]);
		fputs("\"; one of:\n", stderr);
		ctl_help(stderr, "  ");
		return NULL;
	}
	if (json && !r.def->json) {
		fprintf(stderr, "dmvpnctl: \"%s\" has no JSON form (drop -j)\n", r.def->words);
		return NULL;
	}
	r.json = json;
	f = open_memstream(&line, &len);
	if (!f)
		return NULL;
	ctl_format(&r, f);
	fputc('\n', f);
	if (fclose(f) || len > CTL_LINE_MAX) {
		free(line);
		return NULL;
	}
	return line;
}

int ctl_daemon(const char *sock, int argc, char **argv, bool json)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char *cmd = ctl_daemon_line(argc, argv, json), buf[4096], *out = NULL;
	size_t off = 0, len, out_len = 0;
	FILE *ans;
	ssize_t n;
	int s;

	if (!cmd)
		return 2;
	len = strlen(cmd);
	if (strlen(sock) >= sizeof(a.sun_path)) {
		fprintf(stderr, "dmvpnctl: socket path too long: %s\n", sock);
		free(cmd);
		return 2;
	}
	strcpy(a.sun_path, sock);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "dmvpnctl: cannot reach dmvpnd at %s: %s\n", sock, strerror(errno));
		if (s >= 0)
			close(s);
		free(cmd);
		return 1;
	}
	while (off < len) {
		n = send(s, cmd + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "dmvpnctl: sending to dmvpnd: %s\n", strerror(errno));
			close(s);
			free(cmd);
			return 1;
		}
		off += (size_t)n;
	}
	free(cmd);
	/* take the whole answer first: a slow stdout (a pager) must not hold dmvpnd */
	ans = open_memstream(&out, &out_len);
	if (!ans) {
		close(s);
		return 1;
	}
	while ((n = read(s, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			fwrite(buf, 1, (size_t)n, ans);
	if (n < 0)
		fprintf(stderr, "dmvpnctl: reading from dmvpnd: %s\n", strerror(errno));
	close(s);
	if (fclose(ans)) {
		fprintf(stderr, "dmvpnctl: no memory for dmvpnd's answer\n");
		free(out);
		return 1;
	}
	fwrite(out, 1, out_len, stdout);
	free(out);
	return n < 0 ? 1 : 0;
}
