// SPDX-License-Identifier: GPL-2.0
/* KUnit: the GRE codec (kmod/gre.c), RFC 2784 and RFC 2890, and tunnel mode's inner IPv4 header. */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <net/checksum.h>
#include "gre.h"

static void gre_build_with_key(struct kunit *test)
{
	static const u8 want[] = { 0x20, 0x00, 0x08, 0x00, 0x00, 0x00, 0x30, 0x39 };
	u8 hdr[8];

	KUNIT_EXPECT_EQ(test, mgre_gre_hlen(true), 8U);
	mgre_gre_build(hdr, htons(ETH_P_IP), true, 12345);
	KUNIT_EXPECT_EQ(test, memcmp(hdr, want, sizeof(want)), 0);
}

static void gre_build_without_key(struct kunit *test)
{
	static const u8 want[] = { 0x00, 0x00, 0x20, 0x01 };	/* NHRP */
	u8 hdr[4];

	KUNIT_EXPECT_EQ(test, mgre_gre_hlen(false), 4U);
	mgre_gre_build(hdr, htons(0x2001), false, 0);
	KUNIT_EXPECT_EQ(test, memcmp(hdr, want, sizeof(want)), 0);
}

static void gre_round_trip(struct kunit *test)
{
	u8 pkt[64] = {};
	__be16 proto = 0;

	mgre_gre_build(pkt, htons(ETH_P_IPV6), true, 0);	/* Cisco "tunnel key 0" */
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), true, 0, &proto), 8);
	KUNIT_EXPECT_EQ(test, proto, htons(ETH_P_IPV6));
	mgre_gre_build(pkt, htons(ETH_P_IP), false, 0);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), false, 0, &proto), 4);
	KUNIT_EXPECT_EQ(test, proto, htons(ETH_P_IP));
}

static void gre_key_mismatch(struct kunit *test)
{
	u8 pkt[16] = {};
	__be16 proto;

	mgre_gre_build(pkt, htons(ETH_P_IP), true, 7);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), true, 8, &proto), -ENOKEY);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), false, 0, &proto), -ENOKEY);
	mgre_gre_build(pkt, htons(ETH_P_IP), false, 0);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), true, 0, &proto), -ENOKEY);
}

static void gre_bad_flags(struct kunit *test)
{
	u8 pkt[16] = { 0x00, 0x01, 0x08, 0x00 };	/* version 1 (PPTP) */
	__be16 proto;

	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), false, 0, &proto), -EPROTO);
	pkt[0] = 0x40;				/* routing present */
	pkt[1] = 0;
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), false, 0, &proto), -EPROTO);
	pkt[0] = 0x08;					/* strict source route */
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), false, 0, &proto), -EPROTO);
	pkt[0] = 0;				/* reserved flag bits */
	pkt[1] = 0x80;
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), false, 0, &proto), -EPROTO);
}

static void gre_truncated(struct kunit *test)
{
	u8 pkt[8] = {};
	__be16 proto;

	mgre_gre_build(pkt, htons(ETH_P_IP), true, 1);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, 3, false, 0, &proto), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, 6, true, 1, &proto), -EINVAL);
}

static void gre_checksum_and_sequence(struct kunit *test)
{
	/* C, K and S: checksum, reserved, key, sequence number, payload */
	u8 pkt[24] = { 0xb0, 0x00, 0x08, 0x00, 0, 0, 0, 0,
		       0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x07,
		       0x45, 0x00, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef };
	__be16 proto = 0, csum;

	csum = ip_compute_csum(pkt, sizeof(pkt));
	memcpy(pkt + 4, &csum, 2);
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), true, 42, &proto), 16);
	KUNIT_EXPECT_EQ(test, proto, htons(ETH_P_IP));
	pkt[20] ^= 1;
	KUNIT_EXPECT_EQ(test, mgre_gre_parse(pkt, sizeof(pkt), true, 42, &proto), -EBADMSG);
}

/*
 * A tunnel-mode payload as IOS and XFRM send it: IPv4 209.168.202.131 ->
 * 209.168.202.225, protocol 47, DF, TTL 255, then GRE, then 8 bytes of
 * padding the header's length leaves out.  The checksum is computed here
 * independently of the code under test.
 */
static void inner_ip_packet(u8 *p, unsigned int tot_len)
{
	static const u8 hdr[20] = { 0x45, 0x00, 0, 0, 0x12, 0x34, 0x40, 0x00,
				    0xff, 0x2f, 0, 0, 209, 168, 202, 131, 209, 168, 202, 225 };
	__sum16 sum;

	memcpy(p, hdr, sizeof(hdr));
	p[2] = tot_len >> 8;
	p[3] = tot_len & 0xff;
	sum = ip_compute_csum(p, 20);
	memcpy(p + 10, &sum, 2);
}

/* The checksum again after a field changed. */
static void inner_ip_packet_fix(u8 *p)
{
	__sum16 sum;

	p[10] = 0;
	p[11] = 0;
	sum = ip_compute_csum(p, 20);
	memcpy(p + 10, &sum, 2);
}

static void inner_ip_good(struct kunit *test)
{
	u8 pkt[48] = {};
	unsigned int tot = 0;

	inner_ip_packet(pkt, 40);
	mgre_gre_build(pkt + 20, htons(ETH_P_IP), false, 0);
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, sizeof(pkt), sizeof(pkt), &tot), 20);
	KUNIT_EXPECT_EQ(test, tot, 40U);
}

static void inner_ip_bad(struct kunit *test)
{
	u8 pkt[48];
	unsigned int tot;

	inner_ip_packet(pkt, 40);
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 19, 48, &tot), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 39, &tot), -EINVAL); /* tot_len > len */
	pkt[11] ^= 1;						/* checksum */
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EINVAL);
	inner_ip_packet(pkt, 40);
	pkt[0] = 0x65;						/* version 6 */
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EINVAL);
	pkt[0] = 0x44;						/* ihl 16 bytes */
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EINVAL);
	pkt[0] = 0x46;						/* ihl past the readable bytes */
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 20, 48, &tot), -EINVAL);
	inner_ip_packet(pkt, 12);				/* tot_len < ihl */
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EINVAL);
}

static void inner_ip_not_gre(struct kunit *test)
{
	u8 pkt[48];
	unsigned int tot;

	inner_ip_packet(pkt, 40);
	pkt[9] = IPPROTO_UDP;
	inner_ip_packet_fix(pkt);
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EPROTO);
	inner_ip_packet(pkt, 40);
	pkt[6] = 0x20;						/* MF: a fragment */
	inner_ip_packet_fix(pkt);
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EPROTO);
	inner_ip_packet(pkt, 40);
	pkt[6] = 0x00;						/* offset 8 */
	pkt[7] = 0x01;
	inner_ip_packet_fix(pkt);
	KUNIT_EXPECT_EQ(test, mgre_inner_ip_check(pkt, 48, 48, &tot), -EPROTO);
}

static struct kunit_case gre_cases[] = {
	KUNIT_CASE(gre_build_with_key),
	KUNIT_CASE(gre_build_without_key),
	KUNIT_CASE(gre_round_trip),
	KUNIT_CASE(gre_key_mismatch),
	KUNIT_CASE(gre_bad_flags),
	KUNIT_CASE(gre_truncated),
	KUNIT_CASE(gre_checksum_and_sequence),
	KUNIT_CASE(inner_ip_good),
	KUNIT_CASE(inner_ip_bad),
	KUNIT_CASE(inner_ip_not_gre),
	{}
};

static struct kunit_suite gre_suite = {
	.name = "mgre_gre",
	.test_cases = gre_cases,
};

kunit_test_suite(gre_suite);
MODULE_LICENSE("GPL");
