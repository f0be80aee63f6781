// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's IKEv1 cryptography against known answers: the NIST CAVS IKEv1
 * PSK SHA-1 case (as Libreswan ships it in test.acvp.ikev1_psk.run), RFC
 * 3602 AES-CBC, and RFC 2409 derivations with other hashes computed
 * independently by tests/unit/ike_vectors.py (Python hmac/hashlib).
 */
#include "check.h"
#include "ike/crypto.h"
#include "ike/isakmp.h"

/* NIST CAVS, IKEv1 PSK, SHA-1, COUNT = 0 */
#define CKY_I "83d374c30b3b5082"
#define CKY_R "5afc0da06c728029"
#define NI "b9a2d0e922dc66dd"
#define NR "2130166863b5ddef"
#define GXY "739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12fe3e71cc"
#define PSK "75"
#define CAVS_SKEYID "62b04d112877e442fc3282fc37c076997718a0b9"
#define CAVS_SKEYID_D "369e5aad1bdb5faf6a3d929d500cdc236710a9ab"
#define CAVS_SKEYID_A "588e957d8d790d093b3a39f121473473af78e9bb"
#define CAVS_SKEYID_E "cd74b0c048219db81384d3fda8f6cda51e398a2b"

/* from tests/unit/ike_vectors.py */
static const char sha1_skeyid[] = "62b04d112877e442fc3282fc37c076997718a0b9";
static const char sha1_d[] = "369e5aad1bdb5faf6a3d929d500cdc236710a9ab";
static const char sha1_a[] = "588e957d8d790d093b3a39f121473473af78e9bb";
static const char sha1_e[] = "cd74b0c048219db81384d3fda8f6cda51e398a2b";
static const char sha1_ka[] = "9ce3201d5c6cf897a6cba863e68c634d8d63805d1f20e30b";
static const char sha1_hash_i[] = "b43176e3952f54d41682219dc9ad7ae5734c2e47";
static const char sha1_iv[] = "dad6ef58baa6fc0bd8c088e6c27a097c";
static const char sha1_p2iv[] = "a7378b4615798d40090d24f38ecb9795";
static const char sha1_keymat[] = "454481a54226489e716a3750d98eb85c7faf89add88369799827a7b52cba8dd876b62e7cfcc4af0f4a0e773c";
static const char sha1_keymat_pfs[] = "ee2026272df420bfd61433ccf32ac5e1d7964bdfdc386208e646cd430a140cf164f70d1f";
static const char sha256_skeyid[] = "84007fb1b16c3cb137b2e1a30c5a9790f8a896363b10d56aa6b9224768b24073";
static const char sha256_d[] = "9136ddbacfbc504a6ed87dad1e99de3366de7d5e39741c791217b47473e57c19";
static const char sha256_a[] = "9ba3cf597a9722a374d385be357da6a0abc6d43c6970e5bb3a4910934866049b";
static const char sha256_e[] = "3162b3419c563412c08e63a386f1eb4321d2adb7f4dac0523149ab607c917214";
static const char sha256_ka[] = "3162b3419c563412c08e63a386f1eb4321d2adb7f4dac0523149ab607c917214";
static const char sha256_hash_i[] = "7a2b5f7663d129c758e256b0fa424e242b93da1edd98c3b283af172a73cb5b75";
static const char sha256_iv[] = "e628337b0b2df5acba39dc18d3c887e4";
static const char sha256_p2iv[] = "3235036eaa09b3ffc2aa41740ac47648";
static const char sha256_keymat[] = "ad9a7b7521674be7a2796d3bd1e5d20ea1f490bb6439ee5cc9b40652c073ca0a8a0105785238589b3cb45d01";
static const char sha256_keymat_pfs[] = "994dd37b6433bc4d54a762866669de9e159a36a31a2c247ce55cd0ece466e9b6e03e870c";
static const char md5_skeyid[] = "78f14fafd774eb0b75a58ecdd7e5be7b";
static const char md5_d[] = "6316d137b04b635d2a5f5f29a46415d2";
static const char md5_a[] = "eeacef0e85214c6786db2da02dc0bb7b";
static const char md5_e[] = "39f3e4f7835da02080acc7f06c3abf5a";
static const char md5_ka[] = "6d75841844df339ea4a10ad2c1fe5fa44e7899df0bce5bbd104813d1f4e44c14";
static const char md5_hash_i[] = "b932487c3fe3c2316f30f1f938c76ca9";
static const char md5_iv[] = "9e28d8368e3f8bbce7e22f70ab3674bd";
static const char md5_p2iv[] = "91d9ac8a4d8dfd93c2e68c7984c7b54a";
static const char md5_keymat[] = "df188725ecf11a206751902e03eb5d69657bc1f26fdc74104581dc35d9948db574049e3382515a59fd30c600";
static const char md5_keymat_pfs[] = "134814311f70a68a3a143f43e67cd450c7504941d4206083143d1742613c4040ff491358";

struct kat {
	uint16_t hash;
	uint16_t enc;
	uint16_t keylen;
	const char *skeyid, *d, *a, *e, *ka, *hash_i, *iv, *p2iv, *keymat, *keymat_pfs;
};

static const struct kat kats[] = {
	{ OAKLEY_SHA, OAKLEY_3DES_CBC, 0, sha1_skeyid, sha1_d, sha1_a, sha1_e, sha1_ka,
	  sha1_hash_i, sha1_iv, sha1_p2iv, sha1_keymat, sha1_keymat_pfs },
	{ OAKLEY_SHA2_256, OAKLEY_AES_CBC, 256, sha256_skeyid, sha256_d, sha256_a, sha256_e,
	  sha256_ka, sha256_hash_i, sha256_iv, sha256_p2iv, sha256_keymat, sha256_keymat_pfs },
	/* AES-256 keys from MD5: the appendix B expansion */
	{ OAKLEY_MD5, OAKLEY_AES_CBC, 256, md5_skeyid, md5_d, md5_a, md5_e, md5_ka,
	  md5_hash_i, md5_iv, md5_p2iv, md5_keymat, md5_keymat_pfs },
};

static unsigned char cky_i[8], cky_r[8], ni[8], nr[8], gxy[32], psk[1];
static unsigned char gxi[96], gxr[96];

static void inputs(void)
{
	unhex(CKY_I, cky_i);
	unhex(CKY_R, cky_r);
	unhex(NI, ni);
	unhex(NR, nr);
	unhex(GXY, gxy);
	unhex(PSK, psk);
	for (int i = 0; i < 96; i++) {
		gxi[i] = (unsigned char)(1 + i);
		gxr[i] = (unsigned char)(101 + i);
	}
}

static void test_cavs(void)
{
	const struct ike_hash *h = ike_hash_get(OAKLEY_SHA);
	const struct ike_cipher *c = ike_cipher_get(OAKLEY_3DES_CBC, 0);
	struct ike_p1_keys k = { 0 };

	CHECK(h && c && h->len == 20 && c->keylen == 192 && c->block == 8);
	CHECK(ike_skeyid_psk(h, psk, 1, ni, 8, nr, 8, k.skeyid) == 0);
	CHECK(eqhex(k.skeyid, 20, CAVS_SKEYID));
	CHECK(ike_p1_derive(h, c, gxy, 32, cky_i, cky_r, &k) == 0);
	CHECK(eqhex(k.d, 20, CAVS_SKEYID_D));
	CHECK(eqhex(k.a, 20, CAVS_SKEYID_A));
	CHECK(eqhex(k.e, 20, CAVS_SKEYID_E));
}

static void test_kat(const struct kat *t)
{
	const struct ike_hash *h = ike_hash_get(t->hash);
	const struct ike_cipher *c = ike_cipher_get(t->enc, t->keylen);
	struct ike_p1_keys k = { 0 };
	unsigned char out[128], p1last[16];
	uint32_t spi;

	CHECK(h && c);
	if (!h || !c)
		return;
	CHECK(ike_skeyid_psk(h, psk, 1, ni, 8, nr, 8, k.skeyid) == 0);
	CHECK(eqhex(k.skeyid, h->len, t->skeyid));
	CHECK(ike_p1_derive(h, c, gxy, 32, cky_i, cky_r, &k) == 0);
	CHECK(eqhex(k.d, h->len, t->d));
	CHECK(eqhex(k.a, h->len, t->a));
	CHECK(eqhex(k.e, h->len, t->e));
	CHECK(k.enc_len == c->keylen / 8 && eqhex(k.enc, k.enc_len, t->ka));
	CHECK(ike_p1_hash(&k, h, gxi, gxr, 96, cky_i, cky_r, (const uint8_t *)"SAi_b", 5,
			  (const uint8_t *)"IDii_b", 6, out) == 0);
	CHECK(eqhex(out, h->len, t->hash_i));
	memset(out, 0, sizeof(out));
	CHECK(ike_p1_iv(h, c, gxi, gxr, 96, out) == 0);
	/* the vectors hold 16 bytes of the hash: the IV is its first block */
	CHECK(eqhex(out, c->block, strndupa(t->iv, 2 * c->block)));
	unhex("00112233445566778899aabbccddeeff", p1last);
	CHECK(ike_p2_iv(h, c, p1last, 0x9bc7cb3a, out) == 0);
	CHECK(eqhex(out, c->block, strndupa(t->p2iv, 2 * c->block)));
	/* SPIs as IOS logged them in seed 002: 0xEA8C83C1 and 0x6E42707E */
	spi = 0xea8c83c1;
	CHECK(ike_keymat(&k, h, NULL, 0, PROTO_IPSEC_ESP, spi, ni, 8, nr, 8, out, 44) == 0);
	CHECK(eqhex(out, 44, t->keymat));
	spi = 0x6e42707e;
	CHECK(ike_keymat(&k, h, gxr, 96, PROTO_IPSEC_ESP, spi, ni, 8, nr, 8, out, 36) == 0);
	CHECK(eqhex(out, 36, t->keymat_pfs));
}

/* RFC 3602 case #1 and #2, and the IV chaining IKEv1 relies on */
static void test_cbc(void)
{
	const struct ike_cipher *c = ike_cipher_get(OAKLEY_AES_CBC, 128);
	unsigned char key[16], iv[16], pt[64], ct[64], iv2[16];

	unhex("06a9214036b8a15b512e03d534120006", key);
	unhex("3dafba429d9eb430b422da802c9fac41", iv);
	memcpy(pt, "Single block msg", 16);
	CHECK(ike_cbc(c, key, iv, pt, 16, ct, true) == 0);
	CHECK(eqhex(ct, 16, "e353779c1079aeb82708942dbe77181a"));
	CHECK(eqhex(iv, 16, "e353779c1079aeb82708942dbe77181a"));
	unhex("c286696d887c9aa0611bbb3e2025a45a", key);
	unhex("562e17996d093d28ddb3ba695a2e6f58", iv);
	unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", pt);
	CHECK(ike_cbc(c, key, iv, pt, 32, ct, true) == 0);
	CHECK(eqhex(ct, 32, "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"));
	unhex("562e17996d093d28ddb3ba695a2e6f58", iv2);
	CHECK(ike_cbc(c, key, iv2, ct, 32, ct, false) == 0);	/* in place */
	CHECK(!memcmp(ct, pt, 32) && !memcmp(iv, iv2, 16));
	CHECK(ike_cbc(c, key, iv, pt, 15, ct, true) == -1);	/* not whole blocks */
	CHECK(ike_cbc(c, key, iv, pt, 0, ct, true) == -1);
	c = ike_cipher_get(OAKLEY_DES_CBC, 0);
	CHECK(c && c->block == 8 && c->keylen == 64);
	/* FIPS 81 / the classic DES test: key 0123456789abcdef, "Now is t" */
	unhex("0123456789abcdef", key);
	unhex("1234567890abcdef", iv);
	memcpy(pt, "Now is the time for all ", 24);
	CHECK(c && ike_cbc(c, key, iv, pt, 24, ct, true) == 0 &&
	      eqhex(ct, 24, "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6"));
	CHECK(ike_cipher_get(OAKLEY_AES_CBC, 100) == NULL);
	CHECK(ike_cipher_get(99, 0) == NULL && ike_hash_get(3) == NULL);
}

static void test_dh(void)
{
	static const uint16_t groups[] = { 1, 2, 5, 14, 15, 16, 19, 20, 24 };
	unsigned char a_pub[IKE_DH_MAX], b_pub[IKE_DH_MAX], s1[IKE_DH_MAX], s2[IKE_DH_MAX];

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		uint16_t g = groups[i];
		size_t n = ike_dh_len(g), l1 = 0, l2 = 0;
		struct ike_dh *a = ike_dh_new(g), *b = ike_dh_new(g);

		CHECK(n > 0 && a && b);
		if (!a || !b) {
			printf("#   group %u\n", g);
			ike_dh_free(a);
			ike_dh_free(b);
			continue;
		}
		CHECK(ike_dh_pub(a, a_pub) == 0 && ike_dh_pub(b, b_pub) == 0);
		CHECK(memcmp(a_pub, b_pub, n) != 0);
		CHECK(ike_dh_shared(a, b_pub, n, s1, &l1) == 0);
		CHECK(ike_dh_shared(b, a_pub, n, s2, &l2) == 0);
		CHECK(l1 == l2 && l1 == (g == 19 || g == 20 ? n / 2 : n) && !memcmp(s1, s2, l1));
		CHECK(ike_dh_shared(a, b_pub, n - 1, s1, &l1) == -1);	/* wrong length */
		ike_dh_free(a);
		ike_dh_free(b);
	}
	CHECK(ike_dh_len(3) == 0 && ike_dh_new(3) == NULL);
	/* a point off the curve is refused */
	{
		struct ike_dh *a = ike_dh_new(19);
		size_t l;

		memset(b_pub, 0x42, 64);
		CHECK(a && ike_dh_shared(a, b_pub, 64, s1, &l) == -1);
		ike_dh_free(a);
	}
}

int main(void)
{
	CHECK(ike_crypto_init() == 0);
	inputs();
	test_cavs();
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++)
		test_kat(&kats[i]);
	test_cbc();
	test_dh();
	ike_crypto_fini();
	return check_summary();
}
