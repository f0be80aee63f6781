/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 cryptography over OpenSSL 3 EVP: the negotiated hash and its HMAC
 * as prf, CBC ciphers, Diffie-Hellman groups, and the RFC 2409 key
 * derivations.  No sockets, no state: tests drive these directly.
 */
#ifndef DMVPN_IKE_CRYPTO_H
#define DMVPN_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/wipe.h"
#include "ike/dh_groups.h"

#define IKE_HASH_MAX	64
#define IKE_BLOCK_MAX	16
#define IKE_KEY_MAX	32
#define IKE_DH_MAX	1024	/* MODP 8192 would be 1024 bytes */

/* Load OpenSSL's default and legacy (single DES) providers; 0 or -1. */
int ike_crypto_init(void);
void ike_crypto_fini(void);

struct ike_hash {
	uint16_t id;		/* OAKLEY_MD5 ... */
	const char *name;	/* as IOS prints it: "MD5", "SHA", "SHA256" */
	const char *md;		/* OpenSSL digest name */
	size_t len;
};
const struct ike_hash *ike_hash_get(uint16_t oakley_id);

struct ike_cipher {
	uint16_t id;		/* OAKLEY_DES_CBC ... */
	uint16_t keylen;	/* bits */
	const char *name;	/* "DES-CBC", "3DES-CBC", "AES-CBC" */
	const char *evp;	/* OpenSSL cipher name */
	size_t block;
};
/* keylen in bits, 0 = the algorithm's only or default length. */
const struct ike_cipher *ike_cipher_get(uint16_t oakley_id, uint16_t keylen);

/* A scatter list for prf and hash inputs. */
struct ike_iov {
	const void *p;
	size_t n;
};
#define IKE_IOV(p, n) ((struct ike_iov){ (p), (n) })

/* prf(key, v[0] | v[1] | ...) = HMAC with the hash; out has h->len bytes. */
int ike_prf(const struct ike_hash *h, const uint8_t *key, size_t klen,
	    const struct ike_iov *v, int n, uint8_t *out);
/* hash(v[0] | ...) */
int ike_digest(const struct ike_hash *h, const struct ike_iov *v, int n, uint8_t *out);

/*
 * CBC over whole blocks; iv is updated to the last ciphertext block (the
 * next message's IV in IKEv1).  enc: true to encrypt.  in may equal out.
 */
int ike_cbc(const struct ike_cipher *c, const uint8_t *key, uint8_t *iv,
	    const uint8_t *in, size_t len, uint8_t *out, bool enc);

/* Diffie-Hellman: MODP 1, 2, 5, 14, 15, 16, 24 and ECP 19, 20 (dh_groups.h). */
struct ike_dh;
struct ike_dh *ike_dh_new(uint16_t group);
int ike_dh_pub(const struct ike_dh *dh, uint8_t *out);	/* ike_dh_len bytes */
/* The shared secret g^xy, padded to the group's length. */
int ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t n,
		  uint8_t *out, size_t *out_len);
void ike_dh_free(struct ike_dh *dh);

/* RFC 2409 section 5 and appendix B. */
struct ike_p1_keys {
	size_t hlen;
	uint8_t skeyid[IKE_HASH_MAX];
	uint8_t d[IKE_HASH_MAX];
	uint8_t a[IKE_HASH_MAX];
	uint8_t e[IKE_HASH_MAX];
	uint8_t enc[IKE_KEY_MAX];	/* the cipher key, from SKEYID_e */
	size_t enc_len;
};

/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
int ike_skeyid_psk(const struct ike_hash *h, const uint8_t *psk, size_t psk_len,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		   uint8_t *skeyid);
/* SKEYID_d, _a, _e from SKEYID, g^xy and the cookies; then the cipher key. */
int ike_p1_derive(const struct ike_hash *h, const struct ike_cipher *c,
		  const uint8_t *gxy, size_t gxy_len, const uint8_t *icky,
		  const uint8_t *rcky, struct ike_p1_keys *k);
/* The first phase-1 IV: hash(g^xi | g^xr), cut to the block size. */
int ike_p1_iv(const struct ike_hash *h, const struct ike_cipher *c,
	      const uint8_t *gxi, const uint8_t *gxr, size_t len, uint8_t *iv);
/* A phase-2 / informational IV: hash(last phase-1 block | M-ID). */
int ike_p2_iv(const struct ike_hash *h, const struct ike_cipher *c,
	      const uint8_t *p1_last, uint32_t msgid, uint8_t *iv);
/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * Call with (gx_mine.., cky_mine..) in the order of the hash wanted.
 */
int ike_p1_hash(const struct ike_p1_keys *k, const struct ike_hash *h,
		const uint8_t *gx1, const uint8_t *gx2, size_t gx_len,
		const uint8_t *cky1, const uint8_t *cky2,
		const uint8_t *sai_b, size_t sai_len, const uint8_t *id_b, size_t id_len,
		uint8_t *out);
/*
 * KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI |
 * Ni_b | Nr_b), Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI |
 * Ni_b | Nr_b); spi in network order as on the wire.
 */
int ike_keymat(const struct ike_p1_keys *k, const struct ike_hash *h,
	       const uint8_t *gqm, size_t gqm_len, uint8_t proto, uint32_t spi,
	       const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	       uint8_t *out, size_t need);

/* Random bytes (cookies, nonces, IVs); 0 or -1. */
int ike_random(void *p, size_t n);
/* Constant-time comparison of secrets (hashes, ICVs). */
bool ike_memeq(const void *a, const void *b, size_t n);

#endif /* DMVPN_IKE_CRYPTO_H */
