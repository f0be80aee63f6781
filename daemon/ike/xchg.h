/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One exchange's transport, the same for Main Mode, Aggressive Mode and
 * each Quick Mode: our last message (retransmitted on a back-off, and sent
 * again when the peer's last message comes twice), the digest of the
 * peer's last message, and the CBC chain.  And a received datagram,
 * decrypted and parsed once (struct ike_rx) before its exchange sees it.
 */
#ifndef DMVPN_IKE_XCHG_H
#define DMVPN_IKE_XCHG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ike/crypto.h"
#include "ike/msg.h"

struct ike_sa;

struct ike_xchg {
	uint8_t *tx;			/* our last message, as sent */
	size_t tx_len;
	int tx_tries;
	int64_t tx_at;			/* next retransmission, ms; 0 = none */
	uint8_t rx_last[16];		/* MD5 of the peer's last message processed */
	uint8_t iv[IKE_BLOCK_MAX];	/* the CBC chain: the next message's IV */
};

/* A datagram for an exchange: its header, its payloads (views into the
 * decrypted body for an encrypted one: the hashes are computed over it). */
struct ike_rx {
	const struct ike_hdr *h;
	struct ike_msg m;
	bool encrypted;
	uint8_t digest[16];		/* MD5 of the datagram as received */
	uint8_t next_iv[IKE_BLOCK_MAX];	/* the chain after it (encrypted ones) */
	uint8_t *plain;			/* owned: xchg_close */
	size_t plain_len;
};

/* Send p and keep it: retransmitted from 10 s on if resend, else only for duplicates. */
int xchg_send(struct ike_sa *sa, struct ike_xchg *x, const uint8_t *p, size_t n, bool resend);
/* No more retransmissions (the copy stays for duplicates). */
void xchg_quiet(struct ike_xchg *x);
/* Retransmit when due (back-off 10, 10, 20, 40, 80 s): 0, or -1 after the last try. */
int xchg_tick(struct ike_sa *sa, struct ike_xchg *x, const char *what, const char *state);
void xchg_free(struct ike_xchg *x);

/* rx is a copy of the peer's last message: our answer goes again (true). */
bool xchg_dup(struct ike_sa *sa, struct ike_xchg *x, const struct ike_rx *rx, const char *what);
/* rx is processed (its copies are duplicates from now on), or it is not after all. */
void xchg_accept(struct ike_xchg *x, const struct ike_rx *rx);
void xchg_forget(struct ike_xchg *x);
/* The chain moves on past rx. */
void xchg_chain(struct ike_sa *sa, struct ike_xchg *x, const struct ike_rx *rx);

/* The header parsed, the digest taken; 0 or -1. */
int xchg_rx_init(struct ike_rx *rx, const struct ike_hdr *h, const uint8_t *p, size_t n);
/*
 * Decrypt an encrypted datagram with iv (a copy: the exchange moves its
 * chain once it accepts the message), parse the payloads.  0; -1 if it
 * did not decrypt; a notify type if it did not parse.
 */
int xchg_open(struct ike_sa *sa, const uint8_t *iv, const uint8_t *p, size_t n,
	      struct ike_rx *rx);
void xchg_close(struct ike_rx *rx);

#endif /* DMVPN_IKE_XCHG_H */
