// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's control server (dmvpnd/ctl_server.c) on the real event loop
 * (lib/loop.c), with a test answerer: stalled clients do not hold up a
 * normal one or the loop's ticks and are dropped at their deadlines; an
 * over-long line and an unknown command get their errors; every entry of
 * the command table (lib/ctl_proto.c) dispatches, and dmvpnctl's check
 * (ctl/daemon.c) takes every entry and refuses near-misses.
 *
 * The test and its clients are one thread: if the server blocked on a
 * client, the loop would stop and the alarm would end the test without
 * its summary.
 */
#include "check.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "ctl/ctl.h"
#include "dmvpnd/ctl_server.h"
#include "lib/ctl_proto.h"
#include "lib/loop.h"

#define BIG (4u << 20)		/* a large answer: far more than a socket buffer */
#define TICK_MS 5
#define GIVE_UP_MS 10000	/* a safety net for a broken server, not an assertion */

static struct loop L;
static char sock_path[108];
static bool big_answers;	/* the answerer writes BIG bytes */
static int nanswers;
static struct ctl_req last;

/* The big answer: numbered lines, so a lost or repeated chunk shows. */
static void big_answer(FILE *f)
{
	for (unsigned int i = 0; i < BIG / 8; i++)
		fprintf(f, "%07u\n", i);
}

static void answerer(void *arg, const struct ctl_req *r, FILE *f)
{
	nanswers++;
	last = *r;
	if (big_answers) {
		big_answer(f);
		return;
	}
	fputs("ok: ", f);
	ctl_format(r, f);
	fputc('\n', f);
}

static int client_connect(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(a.sun_path, sock_path);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		printf("# connect: %s\n", strerror(errno));
		exit(1);
	}
	fcntl(s, F_SETFL, O_NONBLOCK);
	return s;
}

static void client_send(int s, const char *p, size_t n)
{
	CHECK(send(s, p, n, MSG_NOSIGNAL) == (ssize_t)n);
}

/* A client the test reads on the loop until EOF. */
struct reader {
	int fd;
	struct loop_fd *h;
	char *buf;
	size_t len, cap;
	bool eof;
	int err;		/* errno of a failed read */
	void (*at_eof)(struct reader *r);
};

static void on_reader(void *arg, int fd)
{
	struct reader *r = arg;

	for (;;) {
		ssize_t n;

		if (r->cap - r->len < 65536) {
			r->cap = r->cap ? 2 * r->cap : 65536 * 2;
			r->buf = realloc(r->buf, r->cap);
			if (!r->buf)
				exit(1);
		}
		n = recv(fd, r->buf + r->len, r->cap - r->len - 1, 0);
		if (n > 0) {
			r->len += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0)
			r->err = errno;
		r->buf[r->len] = 0;
		r->eof = true;
		loop_del_fd(&L, r->h);
		if (r->at_eof)
			r->at_eof(r);
		return;
	}
}

static void reader_start(struct reader *r, int fd, void (*at_eof)(struct reader *r))
{
	*r = (struct reader){ .fd = fd, .at_eof = at_eof };
	r->h = loop_add_fd(&L, fd, on_reader, r);
	CHECK(r->h != NULL);
}

static void reader_done(struct reader *r)
{
	close(r->fd);
	free(r->buf);
	r->buf = NULL;
}

/* Drain what a socket holds now, without the loop: bytes read, EOF seen. */
static size_t drain(int fd, bool *eof)
{
	char buf[65536];
	size_t total = 0;
	ssize_t n;

	*eof = false;
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		total += (size_t)n;
	*eof = n == 0 || (n < 0 && errno == ECONNRESET);
	return total;
}

/* ---- one command, one answer ---- */

static void stop_at_eof(struct reader *r)
{
	loop_stop(&L);
}

static int64_t give_up(void *arg, int64_t now)
{
	int64_t *deadline = arg;

	if (now >= *deadline) {
		printf("# gave up waiting\n");
		loop_stop(&L);
		return -1;
	}
	return *deadline - now;
}

/* Send p (n bytes) on a fresh client; the answer, malloc'd. */
static char *exchange(const char *p, size_t n)
{
	static int64_t deadline;
	struct reader r;
	char *ans;

	deadline = loop_clock_ms() + GIVE_UP_MS;
	loop_add_tick(&L, give_up, &deadline);
	reader_start(&r, client_connect(), stop_at_eof);
	client_send(r.fd, p, n);
	L.stop = false;
	loop_run(&L);
	loop_del_tick(&L, give_up, &deadline);
	CHECK(r.eof);
	ans = r.buf ? r.buf : strdup("");
	r.buf = NULL;
	reader_done(&r);
	return ans;
}

static bool answer_is(const char *line, const char *want)
{
	char *got = exchange(line, strlen(line));
	bool ok = !strcmp(got, want);

	if (!ok)
		printf("#   sent %s#   got  \"%.200s\"\n#   want \"%s\"\n", line, got, want);
	free(got);
	return ok;
}

/* ---- (a)-(d): two stalled clients and a normal one ---- */

static struct {
	int ticks;
	int step;
	int a, b;		/* the stalled clients */
	struct reader c;	/* the normal one */
	int ticks_ab;		/* when A and B were connected */
	int ticks_c;		/* when C was started (B's answer was ready) */
	int ticks_c_done;
	struct ctl_stats at_c_done;
	int ticks_dropped;
	int64_t give_up_at;
	struct ctl_server *srv;
} st;

static void c_done(struct reader *r)
{
	st.ticks_c_done = st.ticks;
	ctl_server_stats(st.srv, &st.at_c_done);
}

static int64_t stall_tick(void *arg, int64_t now)
{
	struct ctl_stats s;

	st.ticks++;
	ctl_server_stats(st.srv, &s);
	switch (st.step) {
	case 0:	/* A connects and says nothing; B asks and never reads */
		st.a = client_connect();
		st.b = client_connect();
		client_send(st.b, "show crypto isakmp sa\n", 22);
		st.ticks_ab = st.ticks;
		st.step = 1;
		break;
	case 1:	/* once B's answer is made (and stuck), C asks */
		if (nanswers < 1)
			break;
		reader_start(&st.c, client_connect(), c_done);
		client_send(st.c.fd, "show crypto session\n", 20);
		st.ticks_c = st.ticks;
		st.step = 2;
		break;
	case 2:	/* C done; wait for the server to drop A and B */
		if (st.c.eof && s.clients == 0 && s.dropped == 2) {
			st.ticks_dropped = st.ticks;
			loop_stop(&L);
			return -1;
		}
		break;
	}
	if (now >= st.give_up_at) {
		printf("# gave up waiting (step %d)\n", st.step);
		loop_stop(&L);
		return -1;
	}
	return TICK_MS;
}

static void test_stalled(struct ctl_server *srv)
{
	char *want = NULL;
	size_t want_len = 0;
	FILE *f = open_memstream(&want, &want_len);
	struct ctl_stats s;
	size_t got;
	bool eof;

	big_answer(f);
	fclose(f);
	st.srv = srv;
	st.give_up_at = loop_clock_ms() + GIVE_UP_MS;
	big_answers = true;
	nanswers = 0;
	loop_add_tick(&L, stall_tick, NULL);
	L.stop = false;
	loop_run(&L);
	loop_del_tick(&L, stall_tick, NULL);
	big_answers = false;

	/* (c) C got all of its answer, while A and B were still connected */
	CHECK(st.c.eof && st.c.err == 0);
	CHECK(st.c.len == want_len && st.c.buf && !memcmp(st.c.buf, want, want_len));
	CHECK(nanswers == 2);			/* B's and C's */
	CHECK(st.at_c_done.clients == 2);	/* A and B, stalled */
	CHECK(st.at_c_done.answered == 1 && st.at_c_done.dropped == 0);
	/* the loop's tick ran on: C was started by a tick after A and B, and
	 * ticks went on between C's answer and the drops */
	CHECK(st.ticks_c > st.ticks_ab);
	CHECK(st.ticks_dropped > st.ticks_c_done);
	/* (d) A and B were dropped (and freed: ASan's leak check) */
	ctl_server_stats(srv, &s);
	CHECK(s.clients == 0 && s.dropped == 2 && s.answered == 1);
	got = drain(st.a, &eof);
	CHECK(got == 0 && eof);			/* A: closed, nothing said */
	got = drain(st.b, &eof);
	CHECK(got > 0 && got < want_len && eof);	/* B: part of it, then closed */
	close(st.a);
	close(st.b);
	reader_done(&st.c);
	free(want);
}

/* ---- the server closes and frees its clients when it stops ---- */

static int64_t until_clients(void *arg, int64_t now)
{
	struct ctl_server *srv = arg;
	struct ctl_stats s;

	ctl_server_stats(srv, &s);
	if (s.clients == 3 || now >= st.give_up_at) {
		loop_stop(&L);
		return -1;
	}
	return TICK_MS;
}

static void test_stop(struct ctl_server *srv)
{
	int fd[3];
	struct ctl_stats s;
	bool eof;

	fd[0] = client_connect();
	fd[1] = client_connect();
	client_send(fd[1], "show cr", 7);	/* half a line */
	fd[2] = client_connect();
	big_answers = true;
	client_send(fd[2], "show crypto ipsec sa\n", 21);
	st.give_up_at = loop_clock_ms() + GIVE_UP_MS;
	loop_add_tick(&L, until_clients, srv);
	L.stop = false;
	loop_run(&L);
	loop_del_tick(&L, until_clients, srv);
	big_answers = false;
	ctl_server_stats(srv, &s);
	CHECK(s.clients == 3);
	ctl_server_free(srv);		/* frees all three (ASan's leak check) */
	for (int i = 0; i < 3; i++) {
		drain(fd[i], &eof);
		CHECK(eof);
		close(fd[i]);
	}
	CHECK(access(sock_path, F_OK) && errno == ENOENT);	/* the socket file is gone */
}

/* ---- (e)-(g) ---- */

static void test_errors(void)
{
	char line[CTL_LINE_MAX + 64];

	/* (f) an unknown command, as dmvpnd has always answered it */
	CHECK(answer_is("show crypto isakmp\n", "% Invalid input: show crypto isakmp\n"));
	CHECK(answer_is("show crypto isakmp saX\n", "% Invalid input: show crypto isakmp saX\n"));
	CHECK(answer_is("show crypto isakmp sa json detail\n",
			"% Invalid input: show crypto isakmp sa json detail\n"));
	CHECK(answer_is("clear crypto sa detail\n", "% Invalid input: clear crypto sa detail\n"));
	CHECK(answer_is("\n", "% Invalid input: \n"));
	{
		static const char nul[] = "show crypto isakmp sa\0 detail\n";
		char *got = exchange(nul, sizeof(nul) - 1);

		CHECK(!strcmp(got, "% Invalid input: a NUL byte in the command\n"));
		free(got);
	}
	/* (e) the longest line is taken, one more character is refused */
	memset(line, ' ', sizeof(line));
	memcpy(line, "show crypto isakmp sa", 21);
	line[CTL_LINE_MAX - 1] = '\n';
	line[CTL_LINE_MAX] = 0;
	CHECK(answer_is(line, "ok: show crypto isakmp sa\n"));
	line[CTL_LINE_MAX - 1] = ' ';
	line[CTL_LINE_MAX] = '\n';
	line[CTL_LINE_MAX + 1] = 0;
	CHECK(answer_is(line, "% Invalid input: the command line is longer than 255 characters\n"));
	memset(line, 'x', sizeof(line));	/* and one that never ends */
	{
		char *got = exchange(line, sizeof(line));

		CHECK(!strcmp(got, "% Invalid input: the command line is longer than 255 characters\n"));
		free(got);
	}
	/* a line ended by EOF instead of a newline, and \r\n, as before */
	{
		struct reader r;
		static int64_t deadline;

		deadline = loop_clock_ms() + GIVE_UP_MS;
		loop_add_tick(&L, give_up, &deadline);
		reader_start(&r, client_connect(), stop_at_eof);
		client_send(r.fd, "clear crypto sa", 15);
		shutdown(r.fd, SHUT_WR);
		L.stop = false;
		loop_run(&L);
		loop_del_tick(&L, give_up, &deadline);
		CHECK(r.eof && r.buf && !strcmp(r.buf, "ok: clear crypto sa\n"));
		reader_done(&r);
	}
	CHECK(answer_is("show crypto session detail\r\n", "ok: show crypto session detail\n"));
}

/* Split "a b c" into argv (in buf). */
static int split(const char *s, char *buf, size_t len, char **argv)
{
	int n = 0;

	snprintf(buf, len, "%s", s);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	return n;
}

static bool ctl_accepts(const char *words, bool json, const char *want)
{
	char buf[256], *argv[16], *line;
	int n = split(words, buf, sizeof(buf), argv);
	bool ok;

	line = ctl_daemon_line(n, argv, json);
	ok = want ? line && !strcmp(line, want) : !line;
	if (!ok)
		printf("#   dmvpnctl %s%s: got %s\n", json ? "-j " : "", words, line ? line : "(refused)");
	free(line);
	return ok;
}

static void test_table(void)
{
	char words[128], want[160], got[176];
	int n = 0;

	for (size_t k = 0; k < ctl_ncmds; k++) {
		const struct ctl_cmd_def *def = &ctl_cmds[k];

		for (int detail = 0; detail <= (int)def->detail; detail++) {
			for (int json = 0; json <= (int)def->json; json++) {
				char *ans;

				snprintf(words, sizeof(words), "%s%s", def->words,
					 detail ? " detail" : "");
				snprintf(want, sizeof(want), "%s%s\n", words, json ? " json" : "");
				/* dmvpnctl takes it and sends this line */
				CHECK(ctl_accepts(words, json, want));
				/* dmvpnd dispatches it to this entry */
				nanswers = 0;
				ans = exchange(want, strlen(want));
				snprintf(got, sizeof(got), "ok: %s", want);
				CHECK(!strcmp(ans, got));
				CHECK(nanswers == 1 && last.def == def && last.detail == detail &&
				      last.json == json);
				free(ans);
				n++;
			}
		}
		/* modifiers an entry does not take */
		snprintf(words, sizeof(words), "%s detail", def->words);
		if (!def->detail)
			CHECK(ctl_accepts(words, false, NULL));
		if (!def->json)
			CHECK(ctl_accepts(def->words, true, NULL));
	}
	/*
	 * eight shows with detail and json (show ipv6 nhrp and its nhs among
	 * them); five with json (traffic, ipv6 traffic, sockets, engine, call
	 * admission); fifteen bare: five clears, show running-config, three
	 * debugs, five undebugs, show debugging
	 */
	CHECK(n == 8 * 4 + 5 * 2 + 15);
	/* near-misses dmvpnctl refuses before connecting */
	CHECK(ctl_accepts("show crypto isakmp", false, NULL));
	CHECK(ctl_accepts("show crypto isakmp sas", false, NULL));
	CHECK(ctl_accepts("show crypto isakmp sa extra", false, NULL));
	CHECK(ctl_accepts("show crypto isakmp sa json", false, NULL));	/* that is -j */
	CHECK(ctl_accepts("show crypto isakmp sa detail detail", false, NULL));
	CHECK(ctl_accepts("Show crypto isakmp sa", false, NULL));
	CHECK(ctl_accepts("show crypto", false, NULL));
	CHECK(ctl_accepts("clear crypto", false, NULL));
	CHECK(ctl_accepts("clear crypto sa isakmp", false, NULL));
	CHECK(ctl_accepts("", false, NULL));
	CHECK(ctl_accepts("debug", false, NULL));
	CHECK(ctl_accepts("debug crypto", false, NULL));
	CHECK(ctl_accepts("no debug", false, NULL));
	CHECK(ctl_accepts("undebug", false, NULL));
	CHECK(ctl_accepts("show running-config", true, NULL));	/* not a table: no JSON */
	/* dmvpnctl hands these first words to dmvpnd, and no others */
	CHECK(ctl_first_word("show") && ctl_first_word("clear") && ctl_first_word("debug") &&
	      ctl_first_word("no") && ctl_first_word("undebug"));
	CHECK(!ctl_first_word("peer") && !ctl_first_word("sh") && !ctl_first_word("sa") &&
	      !ctl_first_word(""));
}

static int count_lines(const char *path, const char *what)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static const struct ctl_limits lim = { .line_ms = 1000, .drain_ms = 1500 };
	char dir[] = "/tmp/ctl-server-XXXXXX", log_path[128];
	struct ctl_server *srv;
	int logfd;

	alarm(30);		/* a server that blocks stops the loop, and this test */
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir) || loop_init(&L))
		return 1;
	snprintf(sock_path, sizeof(sock_path), "%s/sock", dir);
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	/* the server's log (stderr) into a file, to count its lines */
	logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (logfd < 0 || dup2(logfd, 2) < 0)
		return 1;
	close(logfd);
	setvbuf(stdout, NULL, _IONBF, 0);

	srv = ctl_server_new(&L, sock_path, &lim, answerer, NULL);
	CHECK(srv != NULL);
	if (!srv)
		return check_summary();
	test_stalled(srv);
	/* each drop logged once: A at its line deadline, B at its drain deadline */
	CHECK(count_lines(log_path, "sent no complete command") == 1);
	CHECK(count_lines(log_path, "did not take their answer") == 1);
	test_errors();
	test_table();
	test_stop(srv);
	loop_fini(&L);
	unlink(log_path);
	rmdir(dir);
	return check_summary();
}
