/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event loop: one epoll, one timerfd, one signalfd, no threads.  The
 * parts of the process register what they wait for: a file descriptor
 * with its callback, a tick (a function the loop calls before it sleeps,
 * which runs what is due and says when it wants to be called again), and
 * the signals they handle.  Engines do not see the loop: their owner's
 * tick calls them with the time.
 */
#ifndef DMVPN_LIB_LOOP_H
#define DMVPN_LIB_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop_fd;
struct loop_tick;

struct loop {
	int ep;			/* epoll */
	int tfd;		/* timerfd: the earliest tick */
	int sfd;		/* signalfd, -1 until loop_signals() */
	void (*on_signal)(void *arg, int signo);
	void *signal_arg;
	struct loop_fd *fds;	/* registered descriptors */
	struct loop_fd *dead;	/* removed during a dispatch, freed after it */
	struct loop_tick *ticks;
	int64_t now;		/* ms, CLOCK_MONOTONIC, as of the last wake-up */
	bool stop;
};

/* CLOCK_MONOTONIC in milliseconds. */
int64_t loop_clock_ms(void);

int loop_init(struct loop *l);
void loop_fini(struct loop *l);

/*
 * Call fn(arg, fd) whenever fd is readable (or has hung up).  The handle
 * removes it again (loop_del_fd), also from within a callback.  NULL on
 * failure (errno set).
 */
struct loop_fd *loop_add_fd(struct loop *l, int fd, void (*fn)(void *arg, int fd), void *arg);
/* Also wake for writability (a client we owe an answer), or stop that. */
int loop_want_write(struct loop *l, struct loop_fd *h, bool on);
/* Stop (or resume) waking for readability; hang-ups and errors still wake. */
int loop_want_read(struct loop *l, struct loop_fd *h, bool on);
void loop_del_fd(struct loop *l, struct loop_fd *h);

/*
 * fn(arg, now) runs what is due at now (ms) and returns the ms until it
 * is next due, or -1 for nothing pending.  Called before every sleep.
 */
int loop_add_tick(struct loop *l, int64_t (*fn)(void *arg, int64_t now), void *arg);
/* Remove the tick fn(arg); safe from within a tick. */
void loop_del_tick(struct loop *l, int64_t (*fn)(void *arg, int64_t now), void *arg);

/* Handle these signals (blocked, read from a signalfd); n of them. */
int loop_signals(struct loop *l, const int *sigs, int n, void (*fn)(void *arg, int signo),
		 void *arg);

/* Run until loop_stop(). */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif /* DMVPN_LIB_LOOP_H */
