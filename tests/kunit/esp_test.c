// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: transport-mode ESP (kmod/esp.c).  The wire bytes are checked
 * against computations made independently with the crypto primitives
 * (cbc(aes), gcm(aes), hmac(*)), and those primitives against published
 * vectors (RFC 3602, RFC 2202, RFC 4231, the GCM specification), so that
 * the chain ends at published numbers.
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/in.h>
#include <linux/mgre.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include "esp.h"

#define SPI	cpu_to_be32(0x00004321)

/* ---- independent computations with the primitives ---- */

static int hmac(const char *alg, const u8 *key, unsigned int klen,
		const u8 *data, unsigned int len, u8 *out)
{
	struct crypto_shash *tfm = crypto_alloc_shash(alg, 0, 0);
	int err;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, key, klen) ?:
	      crypto_shash_tfm_digest(tfm, data, len, out);
	crypto_free_shash(tfm);
	return err;
}

static int cbc_encrypt(const char *alg, const u8 *key, unsigned int klen,
		       const u8 *iv_in, u8 *buf, unsigned int len)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(alg, 0, CRYPTO_ALG_ASYNC);
	struct skcipher_request *req;
	struct scatterlist sg;
	u8 iv[16];
	int err;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	memcpy(iv, iv_in, crypto_skcipher_ivsize(tfm));
	sg_init_one(&sg, buf, len);
	skcipher_request_set_crypt(req, &sg, &sg, len, iv);
	err = crypto_skcipher_setkey(tfm, key, klen) ?: crypto_skcipher_encrypt(req);
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
	return err;
}

/* gcm(aes): buf holds aad | plaintext and room for the 16-byte tag. */
static int gcm_encrypt(const u8 *key, unsigned int klen, const u8 *iv12,
		       u8 *buf, unsigned int aadlen, unsigned int len)
{
	struct crypto_aead *tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	struct aead_request *req;
	struct scatterlist sg;
	u8 iv[12];
	int err;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	req = aead_request_alloc(tfm, GFP_KERNEL);
	memcpy(iv, iv12, 12);
	sg_init_one(&sg, buf, aadlen + len + 16);
	aead_request_set_ad(req, aadlen);
	aead_request_set_crypt(req, &sg, &sg, len, iv);
	err = crypto_aead_setkey(tfm, key, klen) ?: crypto_aead_setauthsize(tfm, 16) ?:
	      crypto_aead_encrypt(req);
	aead_request_free(req);
	crypto_free_aead(tfm);
	return err;
}

/* ---- the primitives against published vectors ---- */

static void anchor_rfc3602_case1(struct kunit *test)
{
	static const u8 key[] = { 0x06, 0xa9, 0x21, 0x40, 0x36, 0xb8, 0xa1, 0x5b,
				  0x51, 0x2e, 0x03, 0xd5, 0x34, 0x12, 0x00, 0x06 };
	static const u8 iv[] = { 0x3d, 0xaf, 0xba, 0x42, 0x9d, 0x9e, 0xb4, 0x30,
				 0xb4, 0x22, 0xda, 0x80, 0x2c, 0x9f, 0xac, 0x41 };
	static const u8 ct[] = { 0xe3, 0x53, 0x77, 0x9c, 0x10, 0x79, 0xae, 0xb8,
				 0x27, 0x08, 0x94, 0x2d, 0xbe, 0x77, 0x18, 0x1a };
	u8 buf[16];

	memcpy(buf, "Single block msg", 16);
	KUNIT_ASSERT_EQ(test, cbc_encrypt("cbc(aes)", key, 16, iv, buf, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, ct, 16), 0);
}

static void anchor_hmac_rfc2202_rfc4231(struct kunit *test)
{
	static const char data[] = "what do ya want for nothing?";
	static const u8 md5[] = { 0x75, 0x0c, 0x78, 0x3e, 0x6a, 0xb0, 0xb5, 0x03,
				  0xea, 0xa8, 0x6e, 0x31, 0x0a, 0x5d, 0xb7, 0x38 };
	static const u8 sha1[] = { 0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2,
				   0xd2, 0x74, 0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c,
				   0x25, 0x9a, 0x7c, 0x79 };
	static const u8 sha256[] = { 0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
				     0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
				     0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
				     0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43 };
	u8 out[64];

	KUNIT_ASSERT_EQ(test, hmac("hmac(md5)", "Jefe", 4, data, 28, out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, md5, sizeof(md5)), 0);
	KUNIT_ASSERT_EQ(test, hmac("hmac(sha1)", "Jefe", 4, data, 28, out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, sha1, sizeof(sha1)), 0);
	KUNIT_ASSERT_EQ(test, hmac("hmac(sha256)", "Jefe", 4, data, 28, out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, sha256, sizeof(sha256)), 0);
}

/* GCM specification test case 2: zero key, zero IV, one zero block. */
static void anchor_gcm_test_case_2(struct kunit *test)
{
	static const u8 ct_tag[] = { 0x03, 0x88, 0xda, 0xce, 0x60, 0xb6, 0xa3, 0x92,
				     0xf3, 0x28, 0xc2, 0xb9, 0x71, 0xb2, 0xfe, 0x78,
				     0xab, 0x6e, 0x47, 0xd4, 0x2c, 0xec, 0x13, 0xbd,
				     0xf5, 0x3a, 0x67, 0xb2, 0x12, 0x57, 0xbd, 0xdf };
	u8 key[16] = {}, iv[12] = {}, buf[32] = {};

	KUNIT_ASSERT_EQ(test, gcm_encrypt(key, 16, iv, buf, 0, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, ct_tag, 32), 0);
}

/* ---- ESP through kmod/esp.c ---- */

static DECLARE_COMPLETION(esp_done);

static int esp_done_err;

static void esp_test_done(struct sk_buff *skb, int err)
{
	esp_done_err = err;
	complete(&esp_done);
}

static int esp_wait(int err)
{
	if (err != -EINPROGRESS)
		return err;
	wait_for_completion(&esp_done);
	return esp_done_err;
}

static struct sk_buff *payload_skb(struct kunit *test, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + 256, GFP_KERNEL);
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	skb_reserve(skb, 128);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = i * 7 + 3;
	return skb;
}

static const u8 ekey[36] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0xcc, 0xdd, 0xee, 0xff, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10, 0xca, 0xfe, 0xba, 0xbe,
};

static const u8 akey[64] = {
	0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
	0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0xaa, 0xaa, 0xaa, 0xaa,
	0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
	0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
	0x19, 0x1a, 0x1b, 0x1c,
};

static const u8 iv16[16] = { 0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
			     0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f };

struct esp_alg {
	const char *name;
	u8 enc, auth;
	unsigned int eklen, aklen, ivlen, blk, icv;
	const char *cipher, *mac;
};

static const struct esp_alg esp_algs[] = {
	{ "null-sha1", MGRE_ENC_NULL, MGRE_AUTH_HMAC_SHA1,
	  0, 20, 0, 4, 12, NULL, "hmac(sha1)" },
	{ "des-md5", MGRE_ENC_DES_CBC, MGRE_AUTH_HMAC_MD5,
	  8, 16, 8, 8, 12, "cbc(des)", "hmac(md5)" },
	{ "3des-md5", MGRE_ENC_3DES_CBC, MGRE_AUTH_HMAC_MD5,
	  24, 16, 8, 8, 12, "cbc(des3_ede)", "hmac(md5)" },
	{ "3des-sha1", MGRE_ENC_3DES_CBC, MGRE_AUTH_HMAC_SHA1,
	  24, 20, 8, 8, 12, "cbc(des3_ede)", "hmac(sha1)" },
	{ "aes128-sha1", MGRE_ENC_AES_CBC, MGRE_AUTH_HMAC_SHA1,
	  16, 20, 16, 16, 12, "cbc(aes)", "hmac(sha1)" },
	{ "aes192-sha256", MGRE_ENC_AES_CBC, MGRE_AUTH_HMAC_SHA256,
	  24, 32, 16, 16, 16, "cbc(aes)", "hmac(sha256)" },
	{ "aes256-sha384", MGRE_ENC_AES_CBC, MGRE_AUTH_HMAC_SHA384,
	  32, 48, 16, 16, 24, "cbc(aes)", "hmac(sha384)" },
	{ "aes256-sha512", MGRE_ENC_AES_CBC, MGRE_AUTH_HMAC_SHA512,
	  32, 64, 16, 16, 32, "cbc(aes)", "hmac(sha512)" },
	{ "aes128-none", MGRE_ENC_AES_CBC, MGRE_AUTH_NONE,
	  16, 0, 16, 16, 0, "cbc(aes)", NULL },
	{ "aes128-gcm", MGRE_ENC_AES_GCM, MGRE_AUTH_NONE,
	  20, 0, 8, 4, 16, NULL, NULL },
	{ "aes256-gcm", MGRE_ENC_AES_GCM, MGRE_AUTH_NONE,
	  36, 0, 8, 4, 16, NULL, NULL },
};

static void esp_alg_desc(const struct esp_alg *a, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", a->name);
}

KUNIT_ARRAY_PARAM(esp_alg, esp_algs, esp_alg_desc);

static void esp_init(struct kunit *test, struct mgre_esp *e, const struct esp_alg *a,
		     bool esn)
{
	KUNIT_ASSERT_EQ(test, mgre_esp_init(e, a->enc, a->auth, esn, ekey, a->eklen,
					    akey, a->aklen, NULL), 0);
	KUNIT_EXPECT_EQ(test, (unsigned int)e->ivlen, a->ivlen);
	KUNIT_EXPECT_EQ(test, (unsigned int)e->blksize, a->blk);
	KUNIT_EXPECT_EQ(test, (unsigned int)e->icvlen, a->icv);
}

/*
 * The wire bytes of one packet: header, IV, padding, and ciphertext and
 * ICV equal to an independent computation.
 */
static void esp_wire_format(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	unsigned int plen = 37, clen, i;
	struct sk_buff *skb;
	struct mgre_esp e;
	u8 *want, *pkt;
	u64 seq = 0x1234;

	esp_init(test, &e, a, false);
	skb = payload_skb(test, plen);
	want = kunit_kzalloc(test, 512, GFP_KERNEL);
	/* plaintext: payload, 1 2 3 ... padding, pad length, next header 47 */
	memcpy(want, skb->data, plen);
	clen = ALIGN(plen + 2, a->blk);
	for (i = plen; i < clen - 2; i++)
		want[i] = i - plen + 1;
	want[clen - 2] = clen - plen - 2;
	want[clen - 1] = IPPROTO_GRE;

	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, skb, SPI, seq, IPPROTO_GRE,
							iv16, esp_test_done)), 0);
	pkt = skb->data;
	KUNIT_ASSERT_EQ(test, skb->len, 8 + a->ivlen + clen + a->icv);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(pkt), 0x4321U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(pkt + 4), 0x1234U);
	KUNIT_EXPECT_EQ(test, memcmp(pkt + 8, iv16, a->ivlen), 0);

	if (a->enc == MGRE_ENC_AES_GCM) {
		/* nonce = salt | explicit IV; AAD = SPI | seq */
		u8 *buf = kunit_kzalloc(test, 8 + clen + 16, GFP_KERNEL), nonce[12];

		memcpy(nonce, ekey + a->eklen - 4, 4);
		memcpy(nonce + 4, iv16, 8);
		memcpy(buf, pkt, 8);
		memcpy(buf + 8, want, clen);
		KUNIT_ASSERT_EQ(test, gcm_encrypt(ekey, a->eklen - 4, nonce, buf, 8, clen), 0);
		KUNIT_EXPECT_EQ(test, memcmp(pkt + 16, buf + 8, clen + 16), 0);
	} else {
		u8 *mac = kunit_kzalloc(test, 64, GFP_KERNEL);

		if (a->cipher)
			KUNIT_ASSERT_EQ(test, cbc_encrypt(a->cipher, ekey, a->eklen, iv16,
							  want, clen), 0);
		KUNIT_EXPECT_EQ(test, memcmp(pkt + 8 + a->ivlen, want, clen), 0);
		if (a->mac) {
			/* ICV over SPI, sequence number, IV and ciphertext, truncated */
			KUNIT_ASSERT_EQ(test, hmac(a->mac, akey, a->aklen, pkt,
						   8 + a->ivlen + clen, mac), 0);
			KUNIT_EXPECT_EQ(test, memcmp(pkt + 8 + a->ivlen + clen, mac, a->icv), 0);
		}
	}
	kfree_skb(skb);
	mgre_esp_destroy(&e);
}

static void esp_round_trip(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	unsigned int plen;

	for (plen = 0; plen <= 70; plen += 1 + plen / 8) {
		struct sk_buff *skb = payload_skb(test, plen), *orig;
		struct mgre_esp e;
		bool esn = plen & 1;
		u64 seq = esn ? 0x500000007ULL : 7;

		esp_init(test, &e, a, esn);
		orig = skb_copy(skb, GFP_KERNEL);
		KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, skb, SPI, seq, IPPROTO_GRE,
								iv16, esp_test_done)), 0);
		KUNIT_EXPECT_EQ(test, (skb->len - 8 - a->ivlen - a->icv) % a->blk, 0U);
		KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_decrypt(&e, skb, seq, esp_test_done)), 0);
		KUNIT_EXPECT_EQ(test, mgre_esp_strip(&e, skb), IPPROTO_GRE);
		KUNIT_ASSERT_EQ(test, skb->len, plen);
		KUNIT_EXPECT_EQ(test, memcmp(skb->data, orig->data, plen), 0);
		kfree_skb(orig);
		kfree_skb(skb);
		mgre_esp_destroy(&e);
	}
}

/*
 * A packet whose payload sits in a page the sender keeps (a TCP segment
 * whose page stays on the retransmit queue): the same wire bytes as the
 * linear packet, the page never written, and with the null cipher no
 * copy of the payload (the trailer in a fragment of its own).
 */
static void esp_paged(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	unsigned int hlen = 24, plen = 1000, off = 100, len;
	struct sk_buff *skb, *lin;
	struct mgre_esp e;
	struct page *page;
	u8 *orig, *wire;
	u64 seq = 9;

	esp_init(test, &e, a, false);
	lin = payload_skb(test, hlen + plen);
	orig = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	wire = kunit_kzalloc(test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, orig);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wire);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, page);
	memcpy(page_address(page) + off, lin->data + hlen, plen);
	memcpy(orig, page_address(page), PAGE_SIZE);

	/* the head holds only hlen bytes and has no tailroom to spare */
	skb = alloc_skb(128 + hlen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	skb_reserve(skb, 128);
	skb_put_data(skb, lin->data, hlen);
	get_page(page);		/* the sender's reference */
	skb_fill_page_desc(skb, 0, page, off, plen);
	skb->len += plen;
	skb->data_len += plen;
	skb->truesize += PAGE_SIZE;

	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, lin, SPI, seq, IPPROTO_GRE,
							iv16, esp_test_done)), 0);
	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, skb, SPI, seq, IPPROTO_GRE,
							iv16, esp_test_done)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(page), orig, PAGE_SIZE), 0);
	if (a->enc == MGRE_ENC_NULL)
		KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 2);
	len = skb->len;
	KUNIT_ASSERT_EQ(test, len, lin->len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, wire, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(wire, lin->data, len), 0);

	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_decrypt(&e, skb, seq, esp_test_done)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(page), orig, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mgre_esp_strip(&e, skb), IPPROTO_GRE);
	KUNIT_ASSERT_EQ(test, skb->len, hlen + plen);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, wire, skb->len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(wire + hlen, orig + off, plen), 0);
	kfree_skb(skb);
	kfree_skb(lin);
	put_page(page);
	mgre_esp_destroy(&e);
}

/* Flipping any byte of the authenticated region is detected. */
static void esp_tamper(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	unsigned int off[] = { 0, 5, 8, 30, 0 /* last byte, set below */ };
	unsigned int i;

	if (!a->icv)
		return;
	for (i = 0; i < ARRAY_SIZE(off); i++) {
		struct sk_buff *skb = payload_skb(test, 40);
		struct mgre_esp e;
		u64 seq = 99;

		esp_init(test, &e, a, false);
		KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, skb, SPI, seq, IPPROTO_GRE,
								iv16, esp_test_done)), 0);
		skb->data[i == ARRAY_SIZE(off) - 1 ? skb->len - 1 : off[i]] ^= 0x40;
		if (off[i] == 5)	/* the sequence number: the receiver's seq differs */
			seq ^= 0x40;
		KUNIT_EXPECT_EQ(test, esp_wait(mgre_esp_decrypt(&e, skb, seq, esp_test_done)),
				-EBADMSG);
		kfree_skb(skb);
		mgre_esp_destroy(&e);
	}
}

/* ESN: the high 32 bits take part in the ICV without being sent. */
static void esp_esn_high_bits(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[4];	/* aes128-sha1 */
	struct sk_buff *skb = payload_skb(test, 20);
	struct mgre_esp e;

	esp_init(test, &e, a, true);
	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, skb, SPI, 0x700000005ULL,
							IPPROTO_GRE, iv16, esp_test_done)), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(skb->data + 4), 5U);
	KUNIT_EXPECT_EQ(test, esp_wait(mgre_esp_decrypt(&e, skb, 0x800000005ULL,
							esp_test_done)), -EBADMSG);
	kfree_skb(skb);
	mgre_esp_destroy(&e);
}

/* The null cipher with ESN: the ICV covers the high half after the payload. */
static void esp_null_esn_icv(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[0];	/* null-sha1 */
	struct sk_buff *skb = payload_skb(test, 30);
	u8 *buf = kunit_kzalloc(test, 128, GFP_KERNEL);
	u8 *mac = kunit_kzalloc(test, 64, GFP_KERNEL);
	u64 seq = 0x700000005ULL;
	struct mgre_esp e;
	unsigned int n;

	esp_init(test, &e, a, true);
	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(&e, skb, SPI, seq, IPPROTO_GRE,
							iv16, esp_test_done)), 0);
	n = skb->len - a->icv;
	memcpy(buf, skb->data, n);
	put_unaligned_be32(7, buf + n);
	KUNIT_ASSERT_EQ(test, hmac(a->mac, akey, a->aklen, buf, n + 4, mac), 0);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data + n, mac, a->icv), 0);
	KUNIT_EXPECT_EQ(test, esp_wait(mgre_esp_decrypt(&e, skb, 0x800000005ULL,
							esp_test_done)), -EBADMSG);
	KUNIT_EXPECT_EQ(test, esp_wait(mgre_esp_decrypt(&e, skb, seq, esp_test_done)), 0);
	kfree_skb(skb);
	mgre_esp_destroy(&e);
}

static void esp_malformed_length(struct kunit *test)
{
	struct mgre_esp e;
	struct sk_buff *skb;

	esp_init(test, &e, &esp_algs[4], false);
	skb = payload_skb(test, 8 + 16 + 12 + 5);	/* not a whole block */
	KUNIT_EXPECT_EQ(test, mgre_esp_decrypt(&e, skb, 1, esp_test_done), -EINVAL);
	kfree_skb(skb);
	skb = payload_skb(test, 6);			/* shorter than the header */
	KUNIT_EXPECT_EQ(test, mgre_esp_decrypt(&e, skb, 1, esp_test_done), -EINVAL);
	kfree_skb(skb);
	skb = payload_skb(test, 8 + 16 + 12);		/* no ciphertext at all */
	KUNIT_EXPECT_EQ(test, mgre_esp_decrypt(&e, skb, 1, esp_test_done), -EINVAL);
	kfree_skb(skb);
	mgre_esp_destroy(&e);
}

/* With NULL encryption the trailer can be forged with a valid ICV. */
static void esp_forge(struct kunit *test, struct mgre_esp *e, u64 seq,
		      unsigned int off, u8 val)
{
	struct sk_buff *skb = payload_skb(test, 7);	/* pad 1 2 3, length 3 */
	u8 mac[20];

	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_encrypt(e, skb, SPI, seq, IPPROTO_GRE,
							iv16, esp_test_done)), 0);
	KUNIT_ASSERT_EQ(test, skb->len, 8U + 12 + 12);
	KUNIT_EXPECT_EQ(test, skb->data[8 + 7], 1);
	KUNIT_EXPECT_EQ(test, skb->data[8 + 10], 3);
	skb->data[off] = val;
	KUNIT_ASSERT_EQ(test, hmac("hmac(sha1)", akey, 20, skb->data, 20, mac), 0);
	memcpy(skb->data + 20, mac, 12);
	KUNIT_ASSERT_EQ(test, esp_wait(mgre_esp_decrypt(e, skb, seq, esp_test_done)), 0);
	KUNIT_EXPECT_EQ(test, mgre_esp_strip(e, skb), -EINVAL);
	kfree_skb(skb);
}

static void esp_bad_padding(struct kunit *test)
{
	struct mgre_esp e;

	esp_init(test, &e, &esp_algs[0], false);	/* null-sha1 */
	esp_forge(test, &e, 3, 8 + 8, 9);		/* second pad byte 2 -> 9 */
	esp_forge(test, &e, 4, 8 + 10, 200);		/* pad length past the start */
	mgre_esp_destroy(&e);
}

static void esp_bad_keys(struct kunit *test)
{
	struct mgre_esp e;

	KUNIT_EXPECT_EQ(test, mgre_esp_init(&e, MGRE_ENC_AES_CBC, MGRE_AUTH_HMAC_SHA1,
					    false, ekey, 15, akey, 20, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_esp_init(&e, MGRE_ENC_AES_CBC, MGRE_AUTH_HMAC_SHA1,
					    false, ekey, 16, akey, 16, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_esp_init(&e, MGRE_ENC_AES_GCM, MGRE_AUTH_HMAC_SHA1,
					    false, ekey, 20, akey, 20, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_esp_init(&e, MGRE_ENC_NULL, MGRE_AUTH_NONE,
					    false, NULL, 0, NULL, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgre_esp_init(&e, MGRE_ENC_MAX + 1, MGRE_AUTH_NONE,
					    false, ekey, 16, NULL, 0, NULL), -EINVAL);
}

static struct kunit_case esp_cases[] = {
	KUNIT_CASE(anchor_rfc3602_case1),
	KUNIT_CASE(anchor_hmac_rfc2202_rfc4231),
	KUNIT_CASE(anchor_gcm_test_case_2),
	KUNIT_CASE_PARAM(esp_wire_format, esp_alg_gen_params),
	KUNIT_CASE_PARAM(esp_round_trip, esp_alg_gen_params),
	KUNIT_CASE_PARAM(esp_paged, esp_alg_gen_params),
	KUNIT_CASE_PARAM(esp_tamper, esp_alg_gen_params),
	KUNIT_CASE(esp_esn_high_bits),
	KUNIT_CASE(esp_null_esn_icv),
	KUNIT_CASE(esp_malformed_length),
	KUNIT_CASE(esp_bad_padding),
	KUNIT_CASE(esp_bad_keys),
	{}
};

static struct kunit_suite esp_suite = {
	.name = "mgre_esp",
	.test_cases = esp_cases,
};

kunit_test_suite(esp_suite);
MODULE_LICENSE("GPL");
