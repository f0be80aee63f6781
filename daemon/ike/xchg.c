// SPDX-License-Identifier: GPL-2.0
/* Retransmission, duplicates and the CBC chain of an exchange; received datagrams opened. */
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

#define RETRANSMIT_MS	10000	/* IOS: every 10 s, then backing off */
#define RETRANSMIT_MAX	5

int xchg_send(struct ike_sa *sa, struct ike_xchg *x, const uint8_t *p, size_t n, bool resend)
{
	uint8_t *copy = malloc(n);

	if (!copy)
		return -1;
	memcpy(copy, p, n);
	free(x->tx);
	x->tx = copy;
	x->tx_len = n;
	x->tx_tries = 0;
	x->tx_at = resend ? sa->ike->now + RETRANSMIT_MS : 0;
	return ike_send_once(sa, p, n);
}

void xchg_quiet(struct ike_xchg *x)
{
	x->tx_at = 0;
}

int xchg_tick(struct ike_sa *sa, struct ike_xchg *x, const char *what, const char *state)
{
	int64_t now = sa->ike->now;

	if (!x->tx_at || now < x->tx_at)
		return 0;
	if (++x->tx_tries > RETRANSMIT_MAX) {
		x->tx_at = 0;
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): retransmitting %s %s...", sa->id, what, state);
	ike_send_once(sa, x->tx, x->tx_len);
	/* back off: 10 s, 10 s, 20 s, 40 s, 80 s (IOS's, as seed 000 shows) */
	x->tx_at = now + RETRANSMIT_MS * (x->tx_tries < 2 ? 1 : 1 << (x->tx_tries - 1));
	return 0;
}

void xchg_free(struct ike_xchg *x)
{
	free(x->tx);
	x->tx = NULL;
	wipe(x->iv, sizeof(x->iv));
}

bool xchg_dup(struct ike_sa *sa, struct ike_xchg *x, const struct ike_rx *rx, const char *what)
{
	if (memcmp(rx->digest, x->rx_last, 16))
		return false;
	log_dbg_isakmp("ISAKMP (0:%u): %s packet is a duplicate of a previous packet.", sa->id,
		       what);
	sa->ike->rx_dups++;
	if (x->tx) {
		log_dbg_isakmp("ISAKMP (0:%u): retransmitting due to retransmit %s", sa->id, what);
		ike_send_once(sa, x->tx, x->tx_len);
	}
	return true;
}

void xchg_accept(struct ike_xchg *x, const struct ike_rx *rx)
{
	memcpy(x->rx_last, rx->digest, 16);
}

void xchg_forget(struct ike_xchg *x)
{
	memset(x->rx_last, 0, 16);
}

void xchg_chain(struct ike_sa *sa, struct ike_xchg *x, const struct ike_rx *rx)
{
	if (rx->encrypted)
		memcpy(x->iv, rx->next_iv, sa->cipher->block);
}

int xchg_rx_init(struct ike_rx *rx, const struct ike_hdr *h, const uint8_t *p, size_t n)
{
	memset(rx, 0, sizeof(*rx));
	rx->h = h;
	rx->encrypted = h->flags & ISAKMP_FLAG_E;
	return ike_digest(ike_hash_get(OAKLEY_MD5), &IKE_IOV(p, n), 1, rx->digest);
}

int xchg_open(struct ike_sa *sa, const uint8_t *iv, const uint8_t *p, size_t n,
	      struct ike_rx *rx)
{
	const uint8_t *body = p;
	int err;

	if (rx->encrypted) {
		rx->plain = malloc(n);
		if (!rx->plain)
			return -1;
		rx->plain_len = n;
		if (ike_decrypt(sa, iv, p, n, rx->plain, rx->next_iv)) {
			xchg_close(rx);
			return -1;
		}
		body = rx->plain;
	}
	err = ike_payloads_parse(rx->h->np, body + ISAKMP_HDR_LEN, n - ISAKMP_HDR_LEN, &rx->m);
	if (err)
		xchg_close(rx);
	return err;
}

void xchg_close(struct ike_rx *rx)
{
	if (rx->plain) {
		wipe(rx->plain, rx->plain_len);
		free(rx->plain);
	}
	rx->plain = NULL;
	rx->m.npl = 0;
}
