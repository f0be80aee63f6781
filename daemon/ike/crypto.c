// SPDX-License-Identifier: GPL-2.0
/* IKEv1 hash, prf, CBC and key derivation (RFC 2409) over OpenSSL 3. */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include "ike/crypto.h"
#include "ike/isakmp.h"

static OSSL_PROVIDER *prov_default, *prov_legacy;

int ike_crypto_init(void)
{
	/* default first: loading any provider explicitly disables the implicit one */
	prov_default = OSSL_PROVIDER_load(NULL, "default");
	if (!prov_default)
		return -1;
	/* single DES lives in the legacy provider; without it only DES is missing */
	prov_legacy = OSSL_PROVIDER_load(NULL, "legacy");
	return 0;
}

void ike_crypto_fini(void)
{
	if (prov_legacy)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
}

static const struct ike_hash hashes[] = {
	{ OAKLEY_MD5, "MD5", "MD5", 16 },
	{ OAKLEY_SHA, "SHA", "SHA1", 20 },
	{ OAKLEY_SHA2_256, "SHA256", "SHA2-256", 32 },
	{ OAKLEY_SHA2_384, "SHA384", "SHA2-384", 48 },
	{ OAKLEY_SHA2_512, "SHA512", "SHA2-512", 64 },
};

const struct ike_hash *ike_hash_get(uint16_t id)
{
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (hashes[i].id == id)
			return &hashes[i];
	return NULL;
}

static const struct ike_cipher ciphers[] = {
	{ OAKLEY_DES_CBC, 64, "DES-CBC", "DES-CBC", 8 },
	{ OAKLEY_3DES_CBC, 192, "3DES-CBC", "DES-EDE3-CBC", 8 },
	{ OAKLEY_AES_CBC, 128, "AES-CBC", "AES-128-CBC", 16 },
	{ OAKLEY_AES_CBC, 192, "AES-CBC", "AES-192-CBC", 16 },
	{ OAKLEY_AES_CBC, 256, "AES-CBC", "AES-256-CBC", 16 },
};

const struct ike_cipher *ike_cipher_get(uint16_t id, uint16_t keylen)
{
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (ciphers[i].id == id && (!keylen || ciphers[i].keylen == keylen))
			return &ciphers[i];
	return NULL;
}

int ike_prf(const struct ike_hash *h, const uint8_t *key, size_t klen,
	    const struct ike_iov *v, int n, uint8_t *out)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t len = 0;
	int ret = -1;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)h->md, 0);
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx || !EVP_MAC_init(ctx, key, klen, params))
		goto out;
	for (int i = 0; i < n; i++)
		if (v[i].n && !EVP_MAC_update(ctx, v[i].p, v[i].n))
			goto out;
	if (EVP_MAC_final(ctx, out, &len, IKE_HASH_MAX) && len == h->len)
		ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int ike_digest(const struct ike_hash *h, const struct ike_iov *v, int n, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, h->md, NULL);
	unsigned int len = 0;
	int ret = -1;

	if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	for (int i = 0; i < n; i++)
		if (v[i].n && !EVP_DigestUpdate(ctx, v[i].p, v[i].n))
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &len) && len == h->len)
		ret = 0;
out:
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	return ret;
}

int ike_cbc(const struct ike_cipher *c, const uint8_t *key, uint8_t *iv,
	    const uint8_t *in, size_t len, uint8_t *out, bool enc)
{
	EVP_CIPHER_CTX *ctx;
	EVP_CIPHER *ci;
	uint8_t next_iv[IKE_BLOCK_MAX];
	int outl = 0, ret = -1;

	if (len == 0 || len % c->block || len > INT32_MAX)
		return -1;
	/* the next IV is the last ciphertext block: take it before in may be overwritten */
	if (!enc)
		memcpy(next_iv, in + len - c->block, c->block);
	ci = EVP_CIPHER_fetch(NULL, c->evp, NULL);
	ctx = EVP_CIPHER_CTX_new();
	if (!ci || !ctx || !EVP_CipherInit_ex2(ctx, ci, key, iv, enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &outl, in, (int)len) || (size_t)outl != len)
		goto out;
	if (enc)
		memcpy(next_iv, out + len - c->block, c->block);
	memcpy(iv, next_iv, c->block);
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ci);
	return ret;
}

int ike_random(void *p, size_t n)
{
	return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

bool ike_memeq(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int ike_skeyid_psk(const struct ike_hash *h, const uint8_t *psk, size_t psk_len,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		   uint8_t *skeyid)
{
	struct ike_iov v[] = { IKE_IOV(ni, ni_len), IKE_IOV(nr, nr_len) };

	return ike_prf(h, psk, psk_len, v, 2, skeyid);
}

int ike_p1_derive(const struct ike_hash *h, const struct ike_cipher *c,
		  const uint8_t *gxy, size_t gxy_len, const uint8_t *icky,
		  const uint8_t *rcky, struct ike_p1_keys *k)
{
	static const uint8_t n0, n1 = 1, n2 = 2;
	uint8_t kx[IKE_KEY_MAX + IKE_HASH_MAX];
	size_t have;
	struct ike_iov v[5] = {
		IKE_IOV(NULL, 0), IKE_IOV(gxy, gxy_len), IKE_IOV(icky, 8), IKE_IOV(rcky, 8),
	};

	k->hlen = h->len;
	v[4] = IKE_IOV(&n0, 1);
	if (ike_prf(h, k->skeyid, h->len, v + 1, 4, k->d))
		return -1;
	v[0] = IKE_IOV(k->d, h->len);
	v[4] = IKE_IOV(&n1, 1);
	if (ike_prf(h, k->skeyid, h->len, v, 5, k->a))
		return -1;
	v[0] = IKE_IOV(k->a, h->len);
	v[4] = IKE_IOV(&n2, 1);
	if (ike_prf(h, k->skeyid, h->len, v, 5, k->e))
		return -1;
	/* appendix B: SKEYID_e itself if long enough, else K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) */
	k->enc_len = c->keylen / 8;
	if (k->enc_len <= h->len) {
		memcpy(k->enc, k->e, k->enc_len);
		return 0;
	}
	if (ike_prf(h, k->e, h->len, &IKE_IOV(&n0, 1), 1, kx))
		return -1;
	for (have = h->len; have < k->enc_len; have += h->len)
		if (ike_prf(h, k->e, h->len, &IKE_IOV(kx + have - h->len, h->len), 1, kx + have))
			return -1;
	memcpy(k->enc, kx, k->enc_len);
	wipe(kx, sizeof(kx));
	return 0;
}

int ike_p1_iv(const struct ike_hash *h, const struct ike_cipher *c,
	      const uint8_t *gxi, const uint8_t *gxr, size_t len, uint8_t *iv)
{
	uint8_t d[IKE_HASH_MAX];
	struct ike_iov v[] = { IKE_IOV(gxi, len), IKE_IOV(gxr, len) };

	if (ike_digest(h, v, 2, d))
		return -1;
	memcpy(iv, d, c->block);
	return 0;
}

int ike_p2_iv(const struct ike_hash *h, const struct ike_cipher *c,
	      const uint8_t *p1_last, uint32_t msgid, uint8_t *iv)
{
	uint8_t d[IKE_HASH_MAX];
	uint8_t m[4] = { msgid >> 24, msgid >> 16, msgid >> 8, msgid };
	struct ike_iov v[] = { IKE_IOV(p1_last, c->block), IKE_IOV(m, 4) };

	if (ike_digest(h, v, 2, d))
		return -1;
	memcpy(iv, d, c->block);
	return 0;
}

int ike_p1_hash(const struct ike_p1_keys *k, const struct ike_hash *h,
		const uint8_t *gx1, const uint8_t *gx2, size_t gx_len,
		const uint8_t *cky1, const uint8_t *cky2,
		const uint8_t *sai_b, size_t sai_len, const uint8_t *id_b, size_t id_len,
		uint8_t *out)
{
	struct ike_iov v[] = {
		IKE_IOV(gx1, gx_len), IKE_IOV(gx2, gx_len), IKE_IOV(cky1, 8),
		IKE_IOV(cky2, 8), IKE_IOV(sai_b, sai_len), IKE_IOV(id_b, id_len),
	};

	return ike_prf(h, k->skeyid, k->hlen, v, 6, out);
}

int ike_keymat(const struct ike_p1_keys *k, const struct ike_hash *h,
	       const uint8_t *gqm, size_t gqm_len, uint8_t proto, uint32_t spi,
	       const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	       uint8_t *out, size_t need)
{
	uint8_t s[4] = { spi >> 24, spi >> 16, spi >> 8, spi };
	uint8_t blk[IKE_HASH_MAX];
	struct ike_iov v[] = {
		IKE_IOV(NULL, 0), IKE_IOV(gqm, gqm_len), IKE_IOV(&proto, 1),
		IKE_IOV(s, 4), IKE_IOV(ni, ni_len), IKE_IOV(nr, nr_len),
	};
	size_t have = 0, n;

	while (have < need) {
		if (ike_prf(h, k->d, k->hlen, v, 6, blk))
			return -1;
		n = need - have < h->len ? need - have : h->len;
		memcpy(out + have, blk, n);
		have += n;
		v[0] = IKE_IOV(out + have - n, n);
		if (n < h->len)
			break;
	}
	wipe(blk, sizeof(blk));
	return 0;
}
