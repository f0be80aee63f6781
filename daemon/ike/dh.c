// SPDX-License-Identifier: GPL-2.0
/*
 * Diffie-Hellman groups for IKEv1: MODP (RFC 2409, 3526), the RFC 5114
 * 2048-bit group with a 256-bit subgroup, and ECP (RFC 5903: the public
 * value is x | y, the shared secret is x).  OpenSSL knows every group by
 * name except the two oldest MODP primes (dh_groups.c has the table).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include "ike/crypto.h"
#include "ike/dh_groups.h"

struct ike_dh {
	const struct ike_group *g;
	EVP_PKEY *key;
};

/*
 * The parameters of a group, plus a public value if pub is given (n bytes
 * in the IKE encoding): an EVP_PKEY to generate from or to derive with.
 */
static EVP_PKEY *group_pkey(const struct ike_group *g, const uint8_t *pub, size_t n)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = NULL, *gen = NULL, *y = NULL;
	uint8_t ecpub[1 + 2 * 66];
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld)
		return NULL;
	if (g->name && !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
							g->name, 0))
		goto out;
	if (g->prime) {
		gen = BN_new();
		if (!BN_hex2bn(&p, g->prime) || !gen || !BN_set_word(gen, 2) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, gen))
			goto out;
	}
	if (pub && g->ec) {
		if (n != g->len || n + 1 > sizeof(ecpub))
			goto out;
		ecpub[0] = 0x04;	/* uncompressed point */
		memcpy(ecpub + 1, pub, n);
		if (!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, ecpub, n + 1))
			goto out;
	} else if (pub) {
		y = BN_bin2bn(pub, (int)n, NULL);
		if (!y || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
			goto out;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->ec ? "EC" : "DH", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, pub ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEY_PARAMETERS,
			      params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(gen);
	BN_free(y);
	return pkey;
}

struct ike_dh *ike_dh_new(uint16_t group)
{
	const struct ike_group *g = ike_group_get(group);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *params;
	struct ike_dh *dh;

	if (!g)
		return NULL;
	dh = calloc(1, sizeof(*dh));
	params = group_pkey(g, NULL, 0);
	if (!dh || !params)
		goto fail;
	dh->g = g;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_generate(ctx, &dh->key) <= 0)
		goto fail;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return dh;
fail:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	free(dh);
	return NULL;
}

int ike_dh_pub(const struct ike_dh *dh, uint8_t *out)
{
	if (dh->g->ec) {
		uint8_t buf[1 + 2 * 66];
		size_t n = 0;

		if (!EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     buf, sizeof(buf), &n) ||
		    n != dh->g->len + 1 || buf[0] != 0x04)
			return -1;
		memcpy(out, buf + 1, dh->g->len);
		return 0;
	} else {
		BIGNUM *y = NULL;
		int ret = -1;

		if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
		    BN_bn2binpad(y, out, (int)dh->g->len) == (int)dh->g->len)
			ret = 0;
		BN_free(y);
		return ret;
	}
}

int ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t n,
		  uint8_t *out, size_t *out_len)
{
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = IKE_DH_MAX;
	int ret = -1;

	if (n != dh->g->len)
		return -1;
	pk = group_pkey(dh->g, peer, n);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!pk || !ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	/* MODP: left-pad g^xy to the prime's length, as every IKE does */
	if (!dh->g->ec && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, pk, 1) <= 0 ||
	    EVP_PKEY_derive(ctx, out, &len) <= 0)
		goto out;
	if (len != (dh->g->ec ? dh->g->len / 2 : dh->g->len))
		goto out;
	*out_len = len;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}
