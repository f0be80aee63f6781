/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket dmvpnctl talks to (root only): one command line in
 * (lib/ctl_proto.h), the answer, then EOF.  Nothing here blocks: each
 * client is an object on the loop that reads its line as it comes, has
 * its whole answer written into a buffer by the answerer, and is sent it
 * as the socket takes it.  A client that sends no complete line within
 * line_ms, or has not taken its answer within drain_ms of it being ready,
 * is dropped.  The server knows nothing of the daemon: the answerer does.
 */
#ifndef DMVPN_DMVPND_CTL_SERVER_H
#define DMVPN_DMVPND_CTL_SERVER_H

#include <stdint.h>
#include <stdio.h>
#include "lib/ctl_proto.h"
#include "lib/loop.h"

#define CTL_LINE_MS 5000	/* to send a complete command line */
#define CTL_DRAIN_MS 30000	/* to take the whole answer */

struct ctl_server;

/* Answer the request r into f (an in-memory stream). */
typedef void (*ctl_answer_fn)(void *arg, const struct ctl_req *r, FILE *f);

struct ctl_limits {
	int64_t line_ms, drain_ms;
};

/* Listen on path (replacing a stale socket there); NULL after logging why. */
struct ctl_server *ctl_server_new(struct loop *l, const char *path, const struct ctl_limits *lim,
				  ctl_answer_fn fn, void *arg);
/* Close and free every client, stop listening, remove the socket file. */
void ctl_server_free(struct ctl_server *s);

struct ctl_stats {
	unsigned int clients;		/* connected now */
	unsigned long answered;		/* answers sent in full */
	unsigned long dropped;		/* clients dropped at a deadline */
};
void ctl_server_stats(const struct ctl_server *s, struct ctl_stats *st);

#endif /* DMVPN_DMVPND_CTL_SERVER_H */
