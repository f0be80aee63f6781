// SPDX-License-Identifier: GPL-2.0
/* KUnit: the ESP anti-replay window (kmod/replay.c). */
#include <kunit/test.h>
#include <linux/slab.h>
#include "replay.h"

static struct mgre_replay *new_window(struct kunit *test, u32 window)
{
	struct mgre_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	mgre_replay_init(r, window);
	return r;
}

static void replay_in_order(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 64);
	u64 i;

	for (i = 1; i <= 300; i++) {
		KUNIT_EXPECT_EQ(test, mgre_replay_check(r, i), 0);
		KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, i), 0);
		KUNIT_EXPECT_EQ(test, mgre_replay_check(r, i), -EEXIST);
	}
	KUNIT_EXPECT_EQ(test, r->top, 300ULL);
}

static void replay_zero_never_valid(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 64);

	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 0), -EINVAL);
	mgre_replay_init(r, 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 0), -EINVAL);
}

static void replay_out_of_order(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 64);

	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 10), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 5), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 5), -EEXIST);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 7), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 6), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 10), -EEXIST);
	KUNIT_EXPECT_EQ(test, r->top, 10ULL);
}

static const u32 replay_windows[] = { 32, 64, 128, 1024, 4096 };

static void replay_window_desc(const u32 *w, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "window %u", *w);
}

KUNIT_ARRAY_PARAM(replay_window, replay_windows, replay_window_desc);

static void replay_window_edges(struct kunit *test)
{
	u32 w = *(const u32 *)test->param_value;
	struct mgre_replay *r = new_window(test, w);
	u64 top = 100000 + w;

	KUNIT_EXPECT_EQ(test, r->window, w);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, top), 0);
	/* the oldest number still inside the window, and the first outside */
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, top - (w - 1)), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, top - w), -ERANGE);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, top - (w - 1)), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, top - (w - 1)), -EEXIST);
	/* one step right pushes that number out */
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, top + 1), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, top - (w - 1)), -ERANGE);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, top), -EEXIST);
}

static void replay_window_clamped(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 1 << 20);

	KUNIT_EXPECT_EQ(test, r->window, (u32)MGRE_REPLAY_WINDOW_MAX);
}

/* A jump of exactly the ring size must not leave stale bits behind. */
static void replay_big_jump_clears(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 64);
	u64 i, far = MGRE_REPLAY_BITS + 50;

	for (i = 1; i <= 100; i++)
		KUNIT_ASSERT_EQ(test, mgre_replay_advance(r, i), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, far), 0);
	/* far - 10 sits in the ring slot of 40, which was seen */
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, far - 10), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, far - 63), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, far - 64), -ERANGE);
	/* and a jump far beyond the ring */
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, far + (1ULL << 40)), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, far + (1ULL << 40) - 1), 0);
}

static void replay_disabled(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 0);

	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 5), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 5), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 1), 0);
	KUNIT_EXPECT_EQ(test, r->top, 5ULL);
}

/* Two packets with one number both pass the check; only one may advance. */
static void replay_race(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 64);

	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 42), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 42), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 42), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 42), -EEXIST);
}

/* RFC 4303 appendix A2.2 */
static void replay_esn_inference(struct kunit *test)
{
	struct mgre_replay *r = new_window(test, 64);

	/* without ESN the low 32 bits are the number */
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0xfffffff0, false), 0xfffffff0ULL);
	/* fresh window: small numbers are epoch 0 */
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 5, true), 5ULL);

	/* case A: the window lies in one epoch */
	KUNIT_ASSERT_EQ(test, mgre_replay_advance(r, 0x100001000ULL), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0x1000 - 10, true), 0x100000ff6ULL);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0x2000, true), 0x100002000ULL);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0x500, true), 0x200000500ULL);

	/* case B: the window straddles the 2^32 boundary */
	mgre_replay_init(r, 64);
	KUNIT_ASSERT_EQ(test, mgre_replay_advance(r, 0x100000010ULL), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0x20, true), 0x100000020ULL);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0xfffffff0, true), 0xfffffff0ULL);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 0xfffffff0ULL), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 0xfffffff0ULL), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 0xfffffff0ULL), -EEXIST);
	/* the wrap itself: seen 0xffffffff, then 0 and 1 of the next epoch */
	mgre_replay_init(r, 64);
	KUNIT_ASSERT_EQ(test, mgre_replay_advance(r, 0xffffffffULL), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 0, true), 0x100000000ULL);
	KUNIT_EXPECT_EQ(test, mgre_replay_infer(r, 1, true), 0x100000001ULL);
	KUNIT_EXPECT_EQ(test, mgre_replay_advance(r, 0x100000001ULL), 0);
	KUNIT_EXPECT_EQ(test, mgre_replay_check(r, 0xffffffffULL), -EEXIST);
}

static struct kunit_case replay_cases[] = {
	KUNIT_CASE(replay_in_order),
	KUNIT_CASE(replay_zero_never_valid),
	KUNIT_CASE(replay_out_of_order),
	KUNIT_CASE_PARAM(replay_window_edges, replay_window_gen_params),
	KUNIT_CASE(replay_window_clamped),
	KUNIT_CASE(replay_big_jump_clears),
	KUNIT_CASE(replay_disabled),
	KUNIT_CASE(replay_race),
	KUNIT_CASE(replay_esn_inference),
	{}
};

static struct kunit_suite replay_suite = {
	.name = "mgre_replay",
	.test_cases = replay_cases,
};

kunit_test_suite(replay_suite);
MODULE_LICENSE("GPL");
