// SPDX-License-Identifier: GPL-2.0
/*
 * Transport-mode ESP on one skb with an AEAD transform.
 *
 * Every algorithm is driven through the same layout: the associated data
 * is built in a per-request buffer as SPI | [seq_hi] | seq_lo | IV and
 * chained in front of the skb's payload, trailer and ICV.  authenc() then
 * authenticates the IV with the header, authencesn() moves seq_hi behind
 * the payload as RFC 4303 requires, and rfc4106() ignores the trailing IV
 * in the associated data (it takes it from req->iv).
 */

#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/mgre.h>
#include <linux/rtnetlink.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/ip.h>
#include <net/esp.h>
#include "compat.h"
#include "esp.h"

#define MGRE_ESP_AAD_MAX	(12 + 16)	/* SPI, seq_hi, seq_lo, IV */
#define MGRE_ESP_IV_MAX		16
#define MGRE_ESP_ICV_MAX	32	/* hmac(sha512) truncated */

struct mgre_enc_info {
	const char *name;
	u8 ivlen;
	u8 blksize;
	u8 keylen[3];	/* accepted key lengths, 0 terminated */
};

struct mgre_auth_info {
	const char *name;
	u8 keylen;
	u8 icvlen;
};

static const struct mgre_enc_info mgre_enc[] = {
	[MGRE_ENC_NULL]	    = { "ecb(cipher_null)", 0, 4, { 0 } },
	[MGRE_ENC_DES_CBC]  = { "cbc(des)", 8, 8, { 8 } },
	[MGRE_ENC_3DES_CBC] = { "cbc(des3_ede)", 8, 8, { 24 } },
	[MGRE_ENC_AES_CBC]  = { "cbc(aes)", 16, 16, { 16, 24, 32 } },
	/* key lengths include the 4 byte salt */
	[MGRE_ENC_AES_GCM]  = { "rfc4106(gcm(aes))", 8, 4, { 20, 28, 36 } },
};

static const struct mgre_auth_info mgre_auth[] = {
	[MGRE_AUTH_NONE]	= { "digest_null", 0, 0 },
	[MGRE_AUTH_HMAC_MD5]	= { "hmac(md5)", 16, 12 },
	[MGRE_AUTH_HMAC_SHA1]	= { "hmac(sha1)", 20, 12 },
	[MGRE_AUTH_HMAC_SHA256]	= { "hmac(sha256)", 32, 16 },
	[MGRE_AUTH_HMAC_SHA384]	= { "hmac(sha384)", 48, 24 },
	[MGRE_AUTH_HMAC_SHA512]	= { "hmac(sha512)", 64, 32 },
};

static bool mgre_enc_keylen_ok(const struct mgre_enc_info *ei, unsigned int len)
{
	int i;

	if (ei->keylen[0] == 0)
		return len == 0;
	for (i = 0; i < ARRAY_SIZE(ei->keylen) && ei->keylen[i]; i++)
		if (ei->keylen[i] == len)
			return true;
	return false;
}

/* The authenc() key blob: a parameter rtattr, the auth key, the enc key. */
static int mgre_esp_setkey_authenc(struct crypto_aead *aead,
				   const u8 *ekey, unsigned int eklen,
				   const u8 *akey, unsigned int aklen)
{
	struct crypto_authenc_key_param *param;
	unsigned int len = RTA_SPACE(sizeof(*param)) + aklen + eklen;
	struct rtattr *rta;
	u8 *blob, *p;
	int err;

	blob = kmalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(eklen);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, akey, aklen);
	memcpy(p + aklen, ekey, eklen);
	err = crypto_aead_setkey(aead, blob, len);
	kfree_sensitive(blob);
	return err;
}

/*
 * The null cipher (RFC 2410) with an HMAC: the HMAC alone, called directly
 * (a synchronous shash over the skb), since there is nothing to encrypt:
 * no request to allocate, no scatterlist, no authenc() around a cipher
 * that copies nothing.  The ICV is the same as authenc()'s.
 */
static int mgre_esp_init_null(struct mgre_esp *e, const struct mgre_auth_info *ai,
			      bool esn, const u8 *akey, unsigned int aklen,
			      struct netlink_ext_ack *extack)
{
	struct crypto_shash *shash;
	int err;

	shash = crypto_alloc_shash(ai->name, 0, 0);
	if (IS_ERR(shash)) {
		NL_SET_ERR_MSG(extack, "the kernel has no implementation of this ESP transform");
		return PTR_ERR(shash);
	}
	err = crypto_shash_setkey(shash, akey, aklen);
	if (err || crypto_shash_digestsize(shash) < ai->icvlen ||
	    crypto_shash_descsize(shash) > HASH_MAX_DESCSIZE) {
		NL_SET_ERR_MSG(extack, "the crypto layer rejected the key");
		crypto_free_shash(shash);
		return err ?: -EINVAL;
	}
	e->shash = shash;
	e->ivlen = 0;
	e->blksize = mgre_enc[MGRE_ENC_NULL].blksize;
	e->icvlen = ai->icvlen;
	e->esn = esn;
	e->null = true;
	return 0;
}

/**
 * mgre_esp_init() - Allocate and key the AEAD transform of an SA.
 * @e: the transform to fill in (zeroed first).
 * @enc: the encryption algorithm, enum mgre_enc_alg.
 * @auth: the authentication algorithm, enum mgre_auth_alg.
 * @esn: 64-bit extended sequence numbers (authencesn()).
 * @ekey: the encryption key (with the 4-byte salt for AES-GCM).
 * @eklen: length of @ekey, checked against the algorithm.
 * @akey: the authentication key.
 * @aklen: length of @akey, checked against the algorithm.
 * @extack: where to say what was wrong.
 *
 * Context: process context (may sleep).
 * Return: 0, or a negative errno with a message in @extack.
 */
int mgre_esp_init(struct mgre_esp *e, u8 enc, u8 auth, bool esn,
		  const u8 *ekey, unsigned int eklen,
		  const u8 *akey, unsigned int aklen,
		  struct netlink_ext_ack *extack)
{
	const struct mgre_enc_info *ei;
	const struct mgre_auth_info *ai;
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	bool gcm;
	int err;

	memset(e, 0, sizeof(*e));
	if (enc > MGRE_ENC_MAX || auth > MGRE_AUTH_MAX) {
		NL_SET_ERR_MSG(extack, "unknown ESP algorithm");
		return -EINVAL;
	}
	ei = &mgre_enc[enc];
	ai = &mgre_auth[auth];
	gcm = enc == MGRE_ENC_AES_GCM;
	if (gcm && auth != MGRE_AUTH_NONE) {
		NL_SET_ERR_MSG(extack, "AES-GCM takes no separate authentication");
		return -EINVAL;
	}
	if (enc == MGRE_ENC_NULL && auth == MGRE_AUTH_NONE) {
		NL_SET_ERR_MSG(extack, "ESP needs encryption or authentication");
		return -EINVAL;
	}
	if (!mgre_enc_keylen_ok(ei, eklen)) {
		NL_SET_ERR_MSG(extack, "wrong encryption key length for the algorithm");
		return -EINVAL;
	}
	if (aklen != ai->keylen) {
		NL_SET_ERR_MSG(extack, "wrong authentication key length for the algorithm");
		return -EINVAL;
	}

	if (enc == MGRE_ENC_NULL)
		return mgre_esp_init_null(e, ai, esn, akey, aklen, extack);
	if (gcm)
		strscpy(name, ei->name, sizeof(name));
	else if (snprintf(name, sizeof(name), "%s(%s,%s)",
			  esn ? "authencesn" : "authenc",
			  ai->name, ei->name) >= sizeof(name))
		return -ENAMETOOLONG;

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG(extack, "the kernel has no implementation of this ESP transform");
		return PTR_ERR(aead);
	}
	if (gcm)
		err = crypto_aead_setkey(aead, ekey, eklen);
	else
		err = mgre_esp_setkey_authenc(aead, ekey, eklen, akey, aklen);
	if (!err)
		err = crypto_aead_setauthsize(aead, gcm ? 16 : ai->icvlen);
	if (err) {
		NL_SET_ERR_MSG(extack, "the crypto layer rejected the key");
		crypto_free_aead(aead);
		return err;
	}
	if (crypto_aead_ivsize(aead) != ei->ivlen) {
		crypto_free_aead(aead);
		return -EINVAL;
	}

	e->aead = aead;
	e->ivlen = ei->ivlen;
	e->blksize = ei->blksize;
	e->icvlen = crypto_aead_authsize(aead);
	e->esn = esn;
	e->null = enc == MGRE_ENC_NULL;
	return 0;
}

/**
 * mgre_esp_destroy() - Free the transform mgre_esp_init() made.
 * @e: the transform; one that was never initialized is ignored.
 */
void mgre_esp_destroy(struct mgre_esp *e)
{
	if (e->aead)
		crypto_free_aead(e->aead);	/* zeroes the key schedule */
	if (e->shash)
		crypto_free_shash(e->shash);	/* and the HMAC key */
	e->aead = NULL;
	e->shash = NULL;
}

/*
 * One allocation per request: our header, the associated data, a copy of
 * the IV (CBC overwrites it), the aead_request with its context, and the
 * scatterlist.
 */
struct mgre_esp_req {
	mgre_esp_done_t done;
	u8 aad[MGRE_ESP_AAD_MAX];
	u8 iv[MGRE_ESP_IV_MAX];
};

static size_t mgre_esp_req_size(const struct mgre_esp *e, int nfrags,
				size_t *req_off, size_t *sg_off)
{
	size_t len = sizeof(struct mgre_esp_req);

	len = ALIGN(len, crypto_tfm_ctx_alignment());
	*req_off = len;
	len += sizeof(struct aead_request) + crypto_aead_reqsize(e->aead);
	len = ALIGN(len, __alignof__(struct scatterlist));
	*sg_off = len;
	len += sizeof(struct scatterlist) * (nfrags + 1);
	return len;
}

static unsigned int mgre_esp_fill_aad(const struct mgre_esp *e, u8 *aad,
				      __be32 spi, u64 seq, const u8 *iv)
{
	unsigned int n = 0;

	memcpy(aad, &spi, 4);
	n += 4;
	if (e->esn) {
		put_unaligned_be32(upper_32_bits(seq), aad + n);
		n += 4;
	}
	put_unaligned_be32(lower_32_bits(seq), aad + n);
	n += 4;
	memcpy(aad + n, iv, e->ivlen);
	return n + e->ivlen;
}

static void mgre_esp_complete(MGRE_CRYPTO_REQ *req, int err)
{
	struct sk_buff *skb = mgre_crypto_data(req);
	struct mgre_esp_req *r = MGRE_ESP_CB(skb)->tmp;
	mgre_esp_done_t done = r->done;

	kfree(r);
	MGRE_ESP_CB(skb)->tmp = NULL;
	done(skb, err);
}

/*
 * Set up the request: the associated data, then len bytes of the skb from
 * offset, of which cryptlen are processed (the rest is the ICV).
 * Returns the request or an ERR_PTR.
 */
static struct aead_request *mgre_esp_req(const struct mgre_esp *e,
					 struct sk_buff *skb, int nfrags,
					 unsigned int offset, unsigned int len,
					 unsigned int cryptlen,
					 unsigned int aadlen,
					 struct mgre_esp_req *r)
{
	size_t req_off, sg_off;
	struct aead_request *req;
	struct scatterlist *sg;
	int err;

	mgre_esp_req_size(e, nfrags, &req_off, &sg_off);
	req = (void *)r + req_off;
	sg = (void *)r + sg_off;
	sg_init_table(sg, nfrags + 1);
	sg_set_buf(sg, r->aad, aadlen);
	err = skb_to_sgvec(skb, sg + 1, offset, len);
	if (unlikely(err < 0))
		return ERR_PTR(err);
	aead_request_set_tfm(req, e->aead);
	aead_request_set_callback(req, 0, mgre_esp_complete, skb);
	aead_request_set_ad(req, aadlen);
	aead_request_set_crypt(req, sg, sg, cryptlen, r->iv);
	return req;
}

static struct mgre_esp_req *mgre_esp_req_alloc(const struct mgre_esp *e,
					       int nfrags)
{
	size_t req_off, sg_off;

	return kmalloc(mgre_esp_req_size(e, nfrags, &req_off, &sg_off),
		       GFP_ATOMIC);
}

/*
 * Where ESP may work in place: a private linear skb, or, with the null
 * cipher (which only reads the payload and writes the trailer), one whose
 * pages are shared, such as a segment of a TCP packet whose pages stay on
 * the socket's retransmit queue.
 */
static bool mgre_esp_inplace(const struct mgre_esp *e, const struct sk_buff *skb)
{
	return !skb_cloned(skb) && !skb_has_frag_list(skb) &&
	       (e->null || !skb_shinfo(skb)->nr_frags);
}

/*
 * Append tlen bytes for the trailer and point *tail at them: in the
 * tailroom, else in a page fragment of their own (no copy of the packet,
 * as esp4 does), else in a private copy of the packet (skb_cow_data).
 * Returns the number of scatterlist entries the skb needs, or a negative
 * errno.
 */
static int mgre_esp_tail(const struct mgre_esp *e, struct sk_buff *skb,
			 unsigned int tlen, u8 **tail)
{
	struct sk_buff *trailer;
	struct page *page;
	int nfrags;
	void *p;

	if (mgre_esp_inplace(e, skb)) {
		nfrags = skb_shinfo(skb)->nr_frags;
		if (!nfrags && tlen <= skb_tailroom(skb)) {
			*tail = __skb_put(skb, tlen);
			return 1;
		}
		if (nfrags < MAX_SKB_FRAGS) {
			p = netdev_alloc_frag(tlen);
			if (!p)
				return -ENOMEM;
			page = virt_to_head_page(p);
			skb_fill_page_desc(skb, nfrags, page,
					   p - page_address(page), tlen);
			skb->len += tlen;
			skb->data_len += tlen;
			skb->truesize += tlen;
			*tail = p;
			return nfrags + 2;
		}
	}
	nfrags = skb_cow_data(skb, tlen, &trailer);
	if (nfrags < 0)
		return nfrags;
	*tail = skb_tail_pointer(trailer);
	pskb_put(skb, trailer, tlen);
	return nfrags;
}

/*
 * The null cipher's ICV: the HMAC of the len bytes of the skb from its ESP
 * header, then, with ESN, of the sequence number's high half (RFC 4303
 * 2.2.1, what authencesn() does), truncated to e->icvlen.
 */
static int mgre_esp_null_icv(const struct mgre_esp *e, struct sk_buff *skb,
			     unsigned int len, u64 seq, u8 *icv)
{
	SHASH_DESC_ON_STACK(desc, e->shash);
	u8 digest[HASH_MAX_DIGESTSIZE];
	struct skb_seq_state st;
	unsigned int pos = 0, n;
	const u8 *data;
	__be32 hi;
	int err;

	desc->tfm = e->shash;
	err = crypto_shash_init(desc);
	skb_prepare_seq_read(skb, 0, len, &st);
	/* skb_seq_read() returns whole blocks, which may run past len */
	while (!err && pos < len && (n = skb_seq_read(pos, &data, &st)) != 0) {
		n = min(n, len - pos);
		err = crypto_shash_update(desc, data, n);
		pos += n;
	}
	skb_abort_seq_read(&st);
	if (err)
		goto out;
	if (e->esn) {
		hi = htonl(upper_32_bits(seq));
		err = crypto_shash_update(desc, (u8 *)&hi, sizeof(hi));
	}
	if (!err)
		err = crypto_shash_final(desc, digest);
	if (!err)
		memcpy(icv, digest, e->icvlen);
out:
	shash_desc_zero(desc);
	memzero_explicit(digest, sizeof(digest));
	return err;
}

/**
 * mgre_esp_encrypt() - Encrypt one packet in place.
 * @e: the SA's transform.
 * @skb: the packet; skb->data is the payload (the GRE packet).  The ESP
 *	header and IV are pushed in front of it and the trailer appended.
 * @spi: the SA's SPI.
 * @seq: the full sequence number (its high half goes into the ICV with ESN).
 * @nexthdr: the next header for the trailer.
 * @iv: e->ivlen bytes: random for CBC, unique per packet for GCM.
 * @done: called when an asynchronous request completes.
 *
 * Context: any context; allocates with GFP_ATOMIC.
 * Return: 0, -EINPROGRESS (@done will be called and owns @skb), or a
 * negative errno.  The caller keeps @skb on every return but -EINPROGRESS.
 */
int mgre_esp_encrypt(const struct mgre_esp *e, struct sk_buff *skb,
		     __be32 spi, u64 seq, u8 nexthdr, const u8 *iv,
		     mgre_esp_done_t done)
{
	unsigned int plen = skb->len, hlen = mgre_esp_head_len(e);
	unsigned int clen = ALIGN(plen + 2, e->blksize);
	unsigned int padlen = clen - plen - 2;
	struct aead_request *req;
	struct ip_esp_hdr *esph;
	struct mgre_esp_req *r;
	unsigned int aadlen, i;
	int nfrags, err;
	u8 *tail;

	err = skb_cow_head(skb, hlen);
	if (err)
		return err;
	nfrags = mgre_esp_tail(e, skb, clen - plen + e->icvlen, &tail);
	if (nfrags < 0)
		return nfrags;

	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;

	esph = skb_push(skb, hlen);
	esph->spi = spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	memcpy(esph->enc_data, iv, e->ivlen);
	if (e->shash)
		return mgre_esp_null_icv(e, skb, hlen + clen, seq, tail + padlen + 2);

	r = mgre_esp_req_alloc(e, nfrags);
	if (!r)
		return -ENOMEM;
	r->done = done;
	memcpy(r->iv, iv, e->ivlen);
	aadlen = mgre_esp_fill_aad(e, r->aad, spi, seq, iv);
	req = mgre_esp_req(e, skb, nfrags, hlen, clen + e->icvlen, clen,
			   aadlen, r);
	if (IS_ERR(req)) {
		kfree(r);
		return PTR_ERR(req);
	}
	MGRE_ESP_CB(skb)->tmp = r;

	err = crypto_aead_encrypt(req);
	if (err == -EINPROGRESS)
		return err;
	kfree(r);
	MGRE_ESP_CB(skb)->tmp = NULL;
	return err;
}

/* The null cipher's ICV check: 0 or -EBADMSG. */
static int mgre_esp_null_verify(const struct mgre_esp *e, struct sk_buff *skb,
				unsigned int len, u64 seq)
{
	u8 icv[MGRE_ESP_ICV_MAX], want[MGRE_ESP_ICV_MAX];
	int err;

	if (skb_copy_bits(skb, len, want, e->icvlen))
		return -EINVAL;
	err = mgre_esp_null_icv(e, skb, len, seq, icv);
	if (err)
		return err;
	return crypto_memneq(icv, want, e->icvlen) ? -EBADMSG : 0;
}

/**
 * mgre_esp_decrypt() - Verify and decrypt one packet in place.
 * @e: the SA's transform.
 * @skb: the packet; skb->data is the ESP header and skb->len runs to the
 *	end of the ICV.
 * @seq: the full (inferred) sequence number.
 * @done: called when an asynchronous request completes.
 *
 * Context: any context; allocates with GFP_ATOMIC.
 * Return: 0 (then call mgre_esp_strip()), -EINPROGRESS (@done will be
 * called and owns @skb), -EINVAL for a malformed length, -EBADMSG for a
 * bad ICV, or another negative errno.
 */
int mgre_esp_decrypt(const struct mgre_esp *e, struct sk_buff *skb, u64 seq,
		     mgre_esp_done_t done)
{
	unsigned int hlen = mgre_esp_head_len(e);
	struct aead_request *req;
	struct ip_esp_hdr *esph;
	struct mgre_esp_req *r;
	struct sk_buff *trailer;
	unsigned int aadlen;
	int elen, nfrags, err;

	if (!pskb_may_pull(skb, hlen))
		return -EINVAL;
	elen = skb->len - hlen - e->icvlen;
	if (elen < 2 || elen % e->blksize)
		return -EINVAL;

	/* the null cipher only reads: no private copy of shared pages */
	if (e->shash)
		return mgre_esp_null_verify(e, skb, hlen + elen, seq);
	/* a private linear packet is decrypted where it is */
	if (mgre_esp_inplace(e, skb))
		nfrags = skb_shinfo(skb)->nr_frags + 1;
	else
		nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return nfrags;
	esph = (struct ip_esp_hdr *)skb->data;

	r = mgre_esp_req_alloc(e, nfrags);
	if (!r)
		return -ENOMEM;
	r->done = done;
	memcpy(r->iv, esph->enc_data, e->ivlen);
	aadlen = mgre_esp_fill_aad(e, r->aad, esph->spi, seq, r->iv);
	req = mgre_esp_req(e, skb, nfrags, hlen, elen + e->icvlen,
			   elen + e->icvlen, aadlen, r);
	if (IS_ERR(req)) {
		kfree(r);
		return PTR_ERR(req);
	}
	MGRE_ESP_CB(skb)->tmp = r;

	err = crypto_aead_decrypt(req);
	if (err == -EINPROGRESS)
		return err;
	kfree(r);
	MGRE_ESP_CB(skb)->tmp = NULL;
	return err;
}

/**
 * mgre_esp_strip() - Remove the ESP framing after a successful decrypt.
 * @e: the SA's transform.
 * @skb: the decrypted packet, at its ESP header.
 *
 * Checks the padding, then removes the ESP header, IV and trailer.
 *
 * Return: the next header, or -EINVAL for bad padding or length.
 */
int mgre_esp_strip(const struct mgre_esp *e, struct sk_buff *skb)
{
	unsigned int hlen = mgre_esp_head_len(e);
	u8 buf[256];
	unsigned int padlen, i, off;
	u8 *pad, nexthdr;

	if (skb->len < hlen + e->icvlen + 2)
		return -EINVAL;
	off = skb->len - e->icvlen - 2;
	pad = skb_header_pointer(skb, off, 2, buf);
	if (!pad)
		return -EINVAL;
	padlen = pad[0];
	nexthdr = pad[1];
	if (padlen + 2 + hlen + e->icvlen > skb->len)
		return -EINVAL;
	if (padlen) {
		pad = skb_header_pointer(skb, off - padlen, padlen, buf);
		if (!pad)
			return -EINVAL;
		for (i = 0; i < padlen; i++)
			if (pad[i] != i + 1)
				return -EINVAL;
	}
	if (pskb_trim(skb, off - padlen))
		return -EINVAL;
	__skb_pull(skb, hlen);
	return nexthdr;
}
