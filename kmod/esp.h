/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transport-mode ESP (RFC 4303) with the kernel crypto API: authenc(),
 * authencesn() and rfc4106(gcm(aes)) AEAD transforms.  The functions work on
 * one skb and one immutable transform; SA lookup, sequence numbers and the
 * replay window are the caller's.
 */
#ifndef _MGRE_ESP_H
#define _MGRE_ESP_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <linux/netlink.h>

struct crypto_aead;
struct crypto_shash;

struct mgre_esp {
	struct crypto_aead *aead;	/* NULL with the null cipher */
	struct crypto_shash *shash;	/* the null cipher's HMAC */
	u8 ivlen;	/* IV bytes on the wire */
	u8 blksize;	/* padding alignment of payload + 2 trailer bytes */
	u8 icvlen;	/* ICV bytes on the wire */
	bool esn;	/* 64-bit sequence numbers in the ICV */
	bool null;	/* the null cipher: the payload is only read */
};

#define MGRE_ESP_HLEN	8	/* SPI + sequence number */

int mgre_esp_init(struct mgre_esp *e, u8 enc, u8 auth, bool esn,
		  const u8 *ekey, unsigned int eklen,
		  const u8 *akey, unsigned int aklen,
		  struct netlink_ext_ack *extack);
void mgre_esp_destroy(struct mgre_esp *e);

/* Bytes pushed in front of the payload: ESP header and IV. */
static inline unsigned int mgre_esp_head_len(const struct mgre_esp *e)
{
	return MGRE_ESP_HLEN + e->ivlen;
}

/* Trailer bytes (padding, pad length, next header, ICV) for plen payload bytes. */
static inline unsigned int mgre_esp_tail_len(const struct mgre_esp *e,
					     unsigned int plen)
{
	unsigned int clen = ALIGN(plen + 2, e->blksize);

	return clen - plen + e->icvlen;
}

/* Worst-case overhead, for MTU and headroom computation. */
static inline unsigned int mgre_esp_overhead(const struct mgre_esp *e)
{
	return mgre_esp_head_len(e) + e->blksize + 1 + e->icvlen;
}

/*
 * Completion of an asynchronous request: err is 0 or a negative errno
 * (-EBADMSG: ICV mismatch).  Called in softirq or with BHs disabled.
 */
typedef void (*mgre_esp_done_t)(struct sk_buff *skb, int err);

/* skb->cb while a request is in flight; ctx belongs to the caller. */
struct mgre_esp_cb {
	void *tmp;
	void *ctx;
	u64 seq;
};

#define MGRE_ESP_CB(skb) ((struct mgre_esp_cb *)(skb)->cb)

int mgre_esp_encrypt(const struct mgre_esp *e, struct sk_buff *skb,
		     __be32 spi, u64 seq, u8 nexthdr, const u8 *iv,
		     mgre_esp_done_t done);

int mgre_esp_decrypt(const struct mgre_esp *e, struct sk_buff *skb, u64 seq,
		     mgre_esp_done_t done);

int mgre_esp_strip(const struct mgre_esp *e, struct sk_buff *skb);

#endif /* _MGRE_ESP_H */
