// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: dmvpnctl's show, clear and debug commands
 * (lib/ctl_proto.c, answered by ctl_answer.c; root only), one command line
 * in, the answer out, then EOF; each client an object on the loop, never a
 * blocking call (ctl_server.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "dmvpnd/ctl_server.h"
#include "lib/log.h"

#define ACCEPT_PAUSE_MS 1000	/* after accept() fails for want of descriptors */

struct ctl_client {
	struct ctl_client *next;
	struct ctl_server *srv;
	int fd;
	struct loop_fd *h;
	bool writing;			/* the answer is ready: sending it */
	bool want_out;			/* waiting for EPOLLOUT */
	int64_t deadline;		/* ms: dropped then */
	size_t got;
	char line[CTL_LINE_MAX + 1];	/* the command line so far, room for a NUL */
	char *out;			/* the answer */
	size_t out_len, sent;
};

struct ctl_server {
	struct loop *loop;
	char *path;
	int fd;
	struct loop_fd *h;
	struct ctl_limits lim;
	ctl_answer_fn fn;
	void *arg;
	int64_t resume_at;		/* accepting paused until then (0: not paused) */
	struct ctl_client *clients;
	unsigned int nclients;
	unsigned long answered, dropped;
};

/* The one place a client goes: off the loop, closed, freed. */
static void client_free(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;
	struct ctl_client **pp;

	for (pp = &s->clients; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	s->nclients--;
	loop_del_fd(s->loop, c->h);
	close(c->fd);
	free(c->out);
	free(c);
}

/* Send what the socket takes; the client goes once it has it all. */
static void client_write(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;

	while (c->sent < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->sent, c->out_len - c->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!c->want_out && loop_want_write(s->loop, c->h, true)) {
				log_err("ctl: cannot wait to write to a client: %s", strerror(errno));
				client_free(c);
				return;
			}
			c->want_out = true;
			return;
		}
		if (n < 0) {
			log_dbg("ctl: client went away after %zu of %zu bytes: %s", c->sent,
				c->out_len, strerror(errno));
			client_free(c);
			return;
		}
		c->sent += (size_t)n;
	}
	s->answered++;
	client_free(c);
}

/* The command line is in c->line (or bad says what is wrong with it): answer, send. */
static void client_answer(struct ctl_client *c, const char *bad)
{
	struct ctl_server *s = c->srv;
	struct ctl_req r;
	FILE *f;

	f = open_memstream(&c->out, &c->out_len);
	if (!f) {
		log_err("ctl: no memory for an answer");
		client_free(c);
		return;
	}
	if (bad) {
		fprintf(f, "%% Invalid input: %s\n", bad);
	} else {
		c->line[strcspn(c->line, "\r\n")] = 0;
		if (ctl_parse(c->line, &r))
			fprintf(f, "%% Invalid input: %s\n", c->line);
		else
			s->fn(s->arg, &r, f);
	}
	if (fclose(f)) {
		log_err("ctl: no memory for an answer");
		client_free(c);
		return;
	}
	c->writing = true;
	c->deadline = s->loop->now + s->lim.drain_ms;
	/* only EPOLLOUT from now on: input after the line (or a half-close) is ignored */
	if (loop_want_read(s->loop, c->h, false)) {
		log_err("ctl: cannot stop reading a client: %s", strerror(errno));
		client_free(c);
		return;
	}
	client_write(c);
}

/* Read what has come of the command line. */
static void client_read(struct ctl_client *c)
{
	for (;;) {
		size_t room = CTL_LINE_MAX - c->got;
		ssize_t n = recv(c->fd, c->line + c->got, room, MSG_DONTWAIT);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 || (n == 0 && !c->got)) {
			client_free(c);		/* gone before saying anything */
			return;
		}
		if (n == 0) {			/* EOF ends the line too */
			c->line[c->got] = 0;
			client_answer(c, strlen(c->line) < c->got ? "a NUL byte in the command" : NULL);
			return;
		}
		nl = memchr(c->line + c->got, '\n', (size_t)n);
		c->got += (size_t)n;
		if (nl) {
			*nl = 0;
			client_answer(c, strlen(c->line) < (size_t)(nl - c->line) ?
				      "a NUL byte in the command" : NULL);
			return;
		}
		if (c->got == CTL_LINE_MAX) {
			char why[64];

			snprintf(why, sizeof(why), "the command line is longer than %d characters",
				 CTL_LINE_MAX - 1);
			client_answer(c, why);
			return;
		}
	}
}

static void on_client(void *arg, int fd)
{
	struct ctl_client *c = arg;

	if (c->writing)
		client_write(c);
	else
		client_read(c);
}

static void client_new(struct ctl_server *s, int fd)
{
	struct ctl_client *c = calloc(1, sizeof(*c));

	if (!c) {
		log_err("ctl: no memory for a client");
		close(fd);
		return;
	}
	c->srv = s;
	c->fd = fd;
	c->deadline = s->loop->now + s->lim.line_ms;
	c->h = loop_add_fd(s->loop, fd, on_client, c);
	if (!c->h) {
		log_err("ctl: cannot watch a client: %s", strerror(errno));
		close(fd);
		free(c);
		return;
	}
	c->next = s->clients;
	s->clients = c;
	s->nclients++;
	client_read(c);		/* its line may be there already */
}

static bool peer_is_root(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) && cred.uid == 0;
}

static void on_listen(void *arg, int fd)
{
	struct ctl_server *s = arg;

	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (c < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (c < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (c < 0) {
			/* out of descriptors: the pending ones would wake us at once again */
			log_err("ctl: accept: %s (not accepting for %d ms)", strerror(errno),
				ACCEPT_PAUSE_MS);
			if (!loop_want_read(s->loop, s->h, false))
				s->resume_at = s->loop->now + ACCEPT_PAUSE_MS;
			return;
		}
		if (!peer_is_root(c)) {
			log_dbg("ctl: refused a client that is not root");
			close(c);
			continue;
		}
		client_new(s, c);
	}
}

/* The deadlines: drop who is late, logged once per tick and reason. */
static int64_t ctl_tick(void *arg, int64_t now)
{
	struct ctl_server *s = arg;
	struct ctl_client *c, *nx;
	int64_t next = -1;
	unsigned int silent = 0, slow = 0;

	if (s->resume_at && now >= s->resume_at && !loop_want_read(s->loop, s->h, true))
		s->resume_at = 0;
	if (s->resume_at)
		next = s->resume_at - now;
	for (c = s->clients; c; c = nx) {
		nx = c->next;
		if (now < c->deadline) {
			if (next < 0 || c->deadline - now < next)
				next = c->deadline - now;
			continue;
		}
		if (c->writing)
			slow++;
		else
			silent++;
		s->dropped++;
		client_free(c);
	}
	if (silent)
		log_warn("ctl: dropped %u client(s) that sent no complete command within %lld ms",
			 silent, (long long)s->lim.line_ms);
	if (slow)
		log_warn("ctl: dropped %u client(s) that did not take their answer within %lld ms",
			 slow, (long long)s->lim.drain_ms);
	return next;
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s;

	if (strlen(path) >= sizeof(a.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || chmod(path, 0600) ||
	    listen(s, SOMAXCONN)) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

struct ctl_server *ctl_server_new(struct loop *l, const char *path, const struct ctl_limits *lim,
				  ctl_answer_fn fn, void *arg)
{
	struct ctl_server *s = calloc(1, sizeof(*s));

	if (!s || !(s->path = strdup(path))) {
		log_err("ctl: no memory");
		free(s);
		return NULL;
	}
	s->loop = l;
	s->lim = *lim;
	s->fn = fn;
	s->arg = arg;
	s->fd = listen_on(path);
	if (s->fd < 0) {
		log_err("cannot listen on %s: %s", path, strerror(errno));
		free(s->path);
		free(s);
		return NULL;
	}
	s->h = loop_add_fd(l, s->fd, on_listen, s);
	if (!s->h || loop_add_tick(l, ctl_tick, s)) {
		log_err("ctl: cannot watch %s: %s", path, strerror(errno));
		loop_del_fd(l, s->h);
		close(s->fd);
		unlink(path);
		free(s->path);
		free(s);
		return NULL;
	}
	return s;
}

void ctl_server_free(struct ctl_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_free(s->clients);
	loop_del_tick(s->loop, ctl_tick, s);
	loop_del_fd(s->loop, s->h);
	close(s->fd);
	unlink(s->path);
	free(s->path);
	free(s);
}

void ctl_server_stats(const struct ctl_server *s, struct ctl_stats *st)
{
	st->clients = s->nclients;
	st->answered = s->answered;
	st->dropped = s->dropped;
}
