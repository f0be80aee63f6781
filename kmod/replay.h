/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP anti-replay window (RFC 4303 3.4.3, appendix A2 for ESN; the bitmap
 * is a ring of longs as in RFC 6479).  Pure functions on one window; the
 * caller serializes check+advance per SA.
 */
#ifndef _MGRE_REPLAY_H
#define _MGRE_REPLAY_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/mgre.h>

/*
 * The bitmap is a ring twice the largest window, a power of two, so that
 * sliding the window clears whole words (RFC 6479) and never the bits
 * still inside it.
 */
#define MGRE_REPLAY_BITS	(2 * MGRE_REPLAY_WINDOW_MAX)
#define MGRE_REPLAY_WORDS	(MGRE_REPLAY_BITS / BITS_PER_LONG)

struct mgre_replay {
	u64 top;		/* highest sequence number accepted so far */
	u32 window;		/* size in packets; 0 disables the check */
	unsigned long bitmap[MGRE_REPLAY_WORDS];
};

void mgre_replay_init(struct mgre_replay *r, u32 window);

u64 mgre_replay_infer(const struct mgre_replay *r, u32 seq_lo, bool esn);

int mgre_replay_check(const struct mgre_replay *r, u64 seq);

int mgre_replay_advance(struct mgre_replay *r, u64 seq);

#endif /* _MGRE_REPLAY_H */
