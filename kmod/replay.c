// SPDX-License-Identifier: GPL-2.0
/* ESP anti-replay window: RFC 4303 3.4.3 and A2, RFC 6479 bitmap ring. */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/minmax.h>
#include "replay.h"

/**
 * mgre_replay_init() - Reset a replay window.
 * @r: the window.
 * @window: its size in packets, at most MGRE_REPLAY_WINDOW_MAX (larger is
 *	cut to it); 0 disables the check.
 */
void mgre_replay_init(struct mgre_replay *r, u32 window)
{
	memset(r, 0, sizeof(*r));
	r->window = min_t(u32, window, MGRE_REPLAY_WINDOW_MAX);
}

/**
 * mgre_replay_infer() - The full sequence number of a received packet.
 * @r: the window.
 * @seq_lo: the 32 low-order bits, as the packet carries them.
 * @esn: extended sequence numbers: infer the high-order bits from the
 *	window's position (RFC 4303 A2.2).
 *
 * Return: the 64-bit sequence number (@seq_lo itself without @esn).
 */
u64 mgre_replay_infer(const struct mgre_replay *r, u32 seq_lo, bool esn)
{
	u32 tl = lower_32_bits(r->top);
	u32 th = upper_32_bits(r->top);
	u32 w = r->window ?: MGRE_REPLAY_WINDOW_DEFAULT;

	if (!esn)
		return seq_lo;

	if (tl >= w - 1) {
		/* Case A: the window lies within one 2^32 subspace. */
		if (seq_lo >= tl - w + 1)
			return ((u64)th << 32) | seq_lo;
		return ((u64)(th + 1) << 32) | seq_lo;
	}
	/* Case B: the window spans two subspaces. */
	if (seq_lo >= tl - w + 1 && th > 0)
		return ((u64)(th - 1) << 32) | seq_lo;
	return ((u64)th << 32) | seq_lo;
}

static unsigned int mgre_replay_word(u64 seq)
{
	return (seq / BITS_PER_LONG) & (MGRE_REPLAY_WORDS - 1);
}

static unsigned int mgre_replay_bit(u64 seq)
{
	return seq & (BITS_PER_LONG - 1);
}

/**
 * mgre_replay_check() - Check a sequence number before ICV verification.
 * @r: the window.
 * @seq: the full sequence number.
 *
 * Context: the caller serializes it with mgre_replay_advance() per window.
 * Return: 0 if @seq may be new, -EEXIST if already seen, -ERANGE if left
 * of the window, -EINVAL for sequence number 0 (never sent).
 */
int mgre_replay_check(const struct mgre_replay *r, u64 seq)
{
	if (!seq)
		return -EINVAL;
	if (!r->window || seq > r->top)
		return 0;
	if (r->top - seq >= r->window)
		return -ERANGE;
	if (r->bitmap[mgre_replay_word(seq)] & BIT(mgre_replay_bit(seq)))
		return -EEXIST;
	return 0;
}

/**
 * mgre_replay_advance() - Mark a sequence number after ICV verification.
 * @r: the window.
 * @seq: the full sequence number.
 *
 * Checks again (a racing packet may have won), then marks @seq as seen,
 * sliding the window when @seq is right of it.
 *
 * Context: the caller serializes it with mgre_replay_check() per window.
 * Return: 0, or the error mgre_replay_check() gives.
 */
int mgre_replay_advance(struct mgre_replay *r, u64 seq)
{
	int err = mgre_replay_check(r, seq);

	if (err)
		return err;
	if (seq > r->top) {
		u64 words = seq / BITS_PER_LONG - r->top / BITS_PER_LONG;
		u64 i;

		if (words > MGRE_REPLAY_WORDS)
			words = MGRE_REPLAY_WORDS;
		for (i = 1; i <= words; i++)
			r->bitmap[mgre_replay_word(r->top + i * BITS_PER_LONG)] = 0;
		r->top = seq;
	}
	if (r->window)
		r->bitmap[mgre_replay_word(seq)] |= BIT(mgre_replay_bit(seq));
	return 0;
}
