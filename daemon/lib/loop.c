// SPDX-License-Identifier: GPL-2.0
/* The event loop: epoll over registered descriptors, ticks, signals. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "lib/loop.h"

struct loop_fd {
	struct loop_fd *next;
	int fd;
	void (*fn)(void *arg, int fd);	/* NULL once removed */
	void *arg;
	uint32_t events;		/* EPOLLIN and/or EPOLLOUT */
};

struct loop_tick {
	struct loop_tick *next;
	int64_t (*fn)(void *arg, int64_t now);	/* NULL once removed */
	void *arg;
};

/* The loop's own descriptors carry these markers instead of a handle. */
static char timer_mark, signal_mark;

int64_t loop_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_init(struct loop *l)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &timer_mark };

	memset(l, 0, sizeof(*l));
	l->sfd = -1;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->ep < 0 || l->tfd < 0 || epoll_ctl(l->ep, EPOLL_CTL_ADD, l->tfd, &ev)) {
		loop_fini(l);
		return -1;
	}
	l->now = loop_clock_ms();
	return 0;
}

static void free_list(struct loop_fd *h)
{
	while (h) {
		struct loop_fd *n = h->next;

		free(h);
		h = n;
	}
}

void loop_fini(struct loop *l)
{
	free_list(l->fds);
	free_list(l->dead);
	while (l->ticks) {
		struct loop_tick *n = l->ticks->next;

		free(l->ticks);
		l->ticks = n;
	}
	if (l->ep >= 0)
		close(l->ep);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->sfd >= 0)
		close(l->sfd);
	l->ep = l->tfd = l->sfd = -1;
	l->fds = l->dead = NULL;
}

struct loop_fd *loop_add_fd(struct loop *l, int fd, void (*fn)(void *arg, int fd), void *arg)
{
	struct loop_fd *h = calloc(1, sizeof(*h));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = h };

	if (!h)
		return NULL;
	h->fd = fd;
	h->fn = fn;
	h->arg = arg;
	h->events = EPOLLIN;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev)) {
		free(h);
		return NULL;
	}
	h->next = l->fds;
	l->fds = h;
	return h;
}

static int set_events(struct loop *l, struct loop_fd *h, uint32_t bit, bool on)
{
	struct epoll_event ev = { .data.ptr = h };

	h->events = on ? h->events | bit : h->events & ~bit;
	ev.events = h->events;
	return epoll_ctl(l->ep, EPOLL_CTL_MOD, h->fd, &ev);
}

int loop_want_write(struct loop *l, struct loop_fd *h, bool on)
{
	return set_events(l, h, EPOLLOUT, on);
}

int loop_want_read(struct loop *l, struct loop_fd *h, bool on)
{
	return set_events(l, h, EPOLLIN, on);
}

void loop_del_fd(struct loop *l, struct loop_fd *h)
{
	struct loop_fd **pp;

	if (!h)
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, h->fd, NULL);
	for (pp = &l->fds; *pp && *pp != h; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = h->next;
	/* an event for it may still be in this round's batch: free it after */
	h->fn = NULL;
	h->next = l->dead;
	l->dead = h;
}

int loop_add_tick(struct loop *l, int64_t (*fn)(void *arg, int64_t now), void *arg)
{
	struct loop_tick *t = calloc(1, sizeof(*t)), **pp;

	if (!t)
		return -1;
	t->fn = fn;
	t->arg = arg;
	for (pp = &l->ticks; *pp; pp = &(*pp)->next)
		;
	*pp = t;		/* in registration order */
	return 0;
}

void loop_del_tick(struct loop *l, int64_t (*fn)(void *arg, int64_t now), void *arg)
{
	for (struct loop_tick *t = l->ticks; t; t = t->next)
		if (t->fn == fn && t->arg == arg) {
			t->fn = NULL;	/* unlinked by the next run_ticks */
			return;
		}
}

int loop_signals(struct loop *l, const int *sigs, int n, void (*fn)(void *arg, int signo),
		 void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &signal_mark };
	sigset_t set;

	sigemptyset(&set);
	for (int i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	l->sfd = signalfd(l->sfd, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sfd < 0)
		return -1;
	l->on_signal = fn;
	l->signal_arg = arg;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, l->sfd, &ev) && errno != EEXIST)
		return -1;
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}

/* Run every tick; arm the timer for the earliest one that is due next. */
static void run_ticks(struct loop *l)
{
	struct itimerspec its = { 0 };
	int64_t next = -1;

	l->now = loop_clock_ms();
	for (struct loop_tick **pp = &l->ticks; *pp;) {
		struct loop_tick *t = *pp;

		if (t->fn) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		free(t);
	}
	for (struct loop_tick *t = l->ticks; t; t = t->next) {
		int64_t w;

		if (!t->fn)
			continue;	/* removed by an earlier tick of this round */
		w = t->fn(t->arg, l->now);

		if (w >= 0 && (next < 0 || w < next))
			next = w;
	}
	if (next >= 0) {
		if (next == 0)
			next = 1;
		its.it_value.tv_sec = next / 1000;
		its.it_value.tv_nsec = (next % 1000) * 1000000;
	}
	timerfd_settime(l->tfd, 0, &its, NULL);
}

static void dispatch(struct loop *l, void *ptr)
{
	if (ptr == &timer_mark) {
		uint64_t x;

		if (read(l->tfd, &x, sizeof(x)) < 0)
			return;
	} else if (ptr == &signal_mark) {
		struct signalfd_siginfo si;

		while (read(l->sfd, &si, sizeof(si)) == sizeof(si))
			if (l->on_signal)
				l->on_signal(l->signal_arg, (int)si.ssi_signo);
	} else {
		struct loop_fd *h = ptr;

		if (h->fn)
			h->fn(h->arg, h->fd);
	}
}

int loop_run(struct loop *l)
{
	while (!l->stop) {
		struct epoll_event evs[16];
		int n;

		run_ticks(l);
		if (l->stop)
			break;		/* a tick stopped the loop: no sleep without a timer */
		n = epoll_wait(l->ep, evs, 16, -1);
		if (n < 0 && errno != EINTR)
			return -1;
		for (int i = 0; i < n; i++) {
			l->now = loop_clock_ms();
			dispatch(l, evs[i].data.ptr);
		}
		free_list(l->dead);
		l->dead = NULL;
	}
	return 0;
}
