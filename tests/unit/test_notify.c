// SPDX-License-Identifier: GPL-2.0
/*
 * lib/notify.c, the sd_notify protocol, against a datagram socket of the
 * test's own as systemd's would be: at a path and at an abstract name,
 * each message one datagram with exactly the protocol's text (RELOADING's
 * MONOTONIC_USEC within the call's time); nothing sent and 0 without
 * NOTIFY_SOCKET; errors for a socket that is not there, a relative name,
 * a name too long for sun_path.
 */
#include "check.h"
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "lib/notify.h"

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The next datagram, or "" after 1 s: a missing message fails its CHECK, not the run. */
static const char *recv_msg(int s)
{
	static char buf[512];
	struct pollfd p = { .fd = s, .events = POLLIN };
	ssize_t n;

	buf[0] = 0;
	if (poll(&p, 1, 1000) != 1)
		return buf;
	n = recv(s, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* Whether a datagram is waiting (for "nothing was sent"). */
static int pending(int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return poll(&p, 1, 50) == 1;
}

static int bind_dgram(const struct sockaddr_un *a, socklen_t len)
{
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || bind(s, (const struct sockaddr *)a, len)) {
		perror("bind");
		exit(2);
	}
	return s;
}

/* The four messages dmvpnd sends, in a service's life's order. */
static void lifecycle(int s)
{
	unsigned long long usec;
	uint64_t before, after;
	const char *m;

	CHECK(notify_ready() == 0);
	CHECK(!strcmp(recv_msg(s), "READY=1"));

	before = now_usec();
	CHECK(notify_reloading() == 0);
	after = now_usec();
	m = recv_msg(s);
	CHECK(!strncmp(m, "RELOADING=1\nMONOTONIC_USEC=", 27));
	CHECK(sscanf(m, "RELOADING=1\nMONOTONIC_USEC=%llu", &usec) == 1);
	CHECK(usec >= before && usec <= after);
	CHECK(!strchr(m + 27, '\n'));	/* two lines, nothing after the number */

	CHECK(notify_ready() == 0);
	CHECK(!strcmp(recv_msg(s), "READY=1"));
	CHECK(notify_stopping() == 0);
	CHECK(!strcmp(recv_msg(s), "STOPPING=1"));
	CHECK(!pending(s));
}

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/notify-XXXXXX", name[sizeof(a.sun_path) + 8], big[200];
	int s;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}

	/* a path */
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/notify", dir);
	s = bind_dgram(&a, sizeof(a));
	setenv("NOTIFY_SOCKET", a.sun_path, 1);
	lifecycle(s);

	/* unset, or empty: nothing sent, no error */
	unsetenv("NOTIFY_SOCKET");
	CHECK(notify_ready() == 0 && notify_reloading() == 0 && notify_stopping() == 0);
	setenv("NOTIFY_SOCKET", "", 1);
	CHECK(notify_ready() == 0);
	CHECK(!pending(s));
	close(s);

	/* the socket gone: the error, so dmvpnd can say why systemd will not see READY */
	setenv("NOTIFY_SOCKET", a.sun_path, 1);
	unlink(a.sun_path);
	CHECK(notify_ready() == -ENOENT);

	/* an abstract name: '@' is the leading NUL, and the name's length is the address's */
	snprintf(name, sizeof(name), "@dmvpn-notify-test-%d", (int)getpid());
	memset(a.sun_path, 0, sizeof(a.sun_path));
	memcpy(a.sun_path + 1, name + 1, strlen(name) - 1);
	s = bind_dgram(&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name)));
	setenv("NOTIFY_SOCKET", name, 1);
	lifecycle(s);
	/* a longer abstract name is another socket: the length must not include padding */
	strcat(name, "x");
	setenv("NOTIFY_SOCKET", name, 1);
	CHECK(notify_ready() == -ECONNREFUSED);
	CHECK(!pending(s));
	close(s);

	/* names that are no socket of ours */
	setenv("NOTIFY_SOCKET", "run/notify", 1);
	CHECK(notify_ready() == -EAFNOSUPPORT);
	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	CHECK(notify_ready() == -EAFNOSUPPORT);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = 0;
	setenv("NOTIFY_SOCKET", big, 1);
	CHECK(notify_ready() == -ENAMETOOLONG);
	/* exactly sun_path long: no room for the path's NUL */
	big[sizeof(a.sun_path)] = 0;
	setenv("NOTIFY_SOCKET", big, 1);
	CHECK(notify_ready() == -ENAMETOOLONG);
	big[0] = '@';	/* an abstract name has no NUL: the same length fits */
	setenv("NOTIFY_SOCKET", big, 1);
	CHECK(notify_ready() == -ECONNREFUSED);

	rmdir(dir);
	return check_summary();
}
