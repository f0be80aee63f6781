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

/*
 * The full sequence number for the 32 low-order bits of a received packet:
 * with ESN, RFC 4303 A2.2 inference from the window position; without,
 * the 32-bit value itself.
 */
u64 mgre_replay_infer(const struct mgre_replay *r, u32 seq_lo, bool esn);

/*
 * Before ICV verification: 0 if seq may be new, -EEXIST if already seen,
 * -ERANGE if left of the window, -EINVAL for sequence number 0 (never sent).
 */
int mgre_replay_check(const struct mgre_replay *r, u64 seq);

/* After ICV verification: check again (a racing packet may have won) and mark. */
int mgre_replay_advance(struct mgre_replay *r, u64 seq);

#endif /* _MGRE_REPLAY_H */
