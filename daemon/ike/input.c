// SPDX-License-Identifier: GPL-2.0
/*
 * A datagram in: its SA found (or a responder's made), then, once for every
 * exchange, duplicates answered, the body decrypted with the exchange's
 * CBC chain and parsed; the exchange (p1.c, am.c, p2.c, info.c) gets the
 * parsed message.
 */
#include <arpa/inet.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

/* An unauthenticated notification to a peer we have no SA with (IOS does not). */
static void drop(struct ike *ike, const struct ike_path *path, const char *why)
{
	char a[INET6_ADDRSTRLEN];

	ike->rx_dropped++;
	log_dbg_isakmp("ISAKMP: dropping packet from %s: %s", addr_str(&path->remote, a, sizeof(a)),
		why);
}

/* Our cookie for a new responder SA: random, not zero, not another SA's pair. */
static int new_rcky(struct ike_sa *sa, const uint8_t *icky)
{
	static const uint8_t zero[8];
	uint8_t r[8];

	for (int i = 0; i < 4; i++)
		if (!ike_random(r, 8) && memcmp(r, zero, 8) && !ike_sa_cookies(sa, icky, r))
			return 0;
	return -1;
}

/* The SA the cookies name, a new responder SA for an MM1 (or AM1), or NULL. */
static struct ike_sa *sa_for(struct ike *ike, const struct ike_path *path,
			     const struct ike_hdr *h)
{
	static const uint8_t zero[8];
	struct ike_sa *sa = ike_sa_find(ike, h->icookie, h->rcookie, path);
	char a[INET6_ADDRSTRLEN];
	bool first;

	if (sa)
		return sa;
	addr_str(&path->remote, a, sizeof(a));
	first = h->exchange == ISAKMP_XCHG_IDPROT ||
		(h->exchange == ISAKMP_XCHG_AGGR && ike->conf->aggressive);
	if (!first || memcmp(h->rcookie, zero, 8) || (h->flags & ISAKMP_FLAG_E)) {
		if (h->exchange == ISAKMP_XCHG_AGGR)
			log_info("ISAKMP: aggressive mode from %s refused: not enabled "
				 "(crypto isakmp aggressive-mode)", a);
		drop(ike, path, "no SA for these cookies");
		return NULL;
	}
	if (ike_admit(ike, path)) {
		drop(ike, path, "call admission limit reached (crypto call admission limit ike)");
		return NULL;
	}
	log_dbg_isakmp("ISAKMP (0:0): received packet from %s (N) NEW SA", a);
	sa = ike_sa_new(ike, path, false);
	if (sa && new_rcky(sa, h->icookie)) {
		ike_sa_free(sa);
		return NULL;
	}
	return sa;
}

/* Main Mode: MM5 and MM6 are encrypted, the others are not. */
static void rx_main(struct ike_sa *sa, const uint8_t *p, size_t n, struct ike_rx *rx)
{
	bool enc_state = sa->state == IKE_R_MM4 || sa->state == IKE_I_MM5;
	int err;

	if (xchg_dup(sa, &sa->x, rx, "phase 1"))
		return;
	if (rx->encrypted != enc_state) {
		sa->ike->rx_dropped++;
		return;
	}
	err = xchg_open(sa, sa->x.iv, p, n, rx);
	if (err) {
		if (err > 0)
			log_info("ISAKMP (0:%u): IKE message failed its sanity check or is "
				 "malformed (%s)%s", sa->id, ike_notify_name((uint16_t)err),
				 rx->encrypted ? ": pre-shared key mismatch?" : "");
		sa->ike->rx_dropped++;
		return;
	}
	p1_input(sa, rx);
	xchg_close(rx);
}

/* Aggressive Mode: only AM3 may be encrypted. */
static void rx_aggr(struct ike_sa *sa, const uint8_t *p, size_t n, struct ike_rx *rx)
{
	if (xchg_dup(sa, &sa->x, rx, "phase 1"))
		return;
	if ((rx->encrypted && sa->state != IKE_R_AM2) || xchg_open(sa, sa->x.iv, p, n, rx)) {
		sa->ike->rx_dropped++;
		return;
	}
	am_input(sa, rx);
	xchg_close(rx);
}

/* Quick Mode: encrypted, under a message ID; a new ID is the peer's QM1. */
static void rx_quick(struct ike_sa *sa, const uint8_t *p, size_t n, struct ike_rx *rx)
{
	struct qm *q;
	bool fresh;

	if (!rx->encrypted || !rx->h->msgid) {
		sa->ike->rx_dropped++;
		return;
	}
	q = qm_find(sa, rx->h->msgid);
	if (q && xchg_dup(sa, &q->x, rx, "quick mode"))
		return;
	fresh = !q;
	if (fresh) {
		q = qm_new(sa, rx->h->msgid, false);
		if (!q)
			return;
	}
	if (xchg_open(sa, q->x.iv, p, n, rx)) {
		log_info("ISAKMP (0:%u): quick mode message did not decrypt or parse", sa->id);
		sa->ike->rx_dropped++;
		if (fresh)
			qm_free(q);
		return;
	}
	/* the IV moves on only for a message that parses; hashes are checked next */
	xchg_chain(sa, &q->x, rx);
	xchg_accept(&q->x, rx);
	qm_input(q, rx, fresh);
	xchg_close(rx);
}

/* Informational: each has its own IV, from the phase-1 chain and its message ID. */
static void rx_info(struct ike_sa *sa, const uint8_t *p, size_t n, struct ike_rx *rx)
{
	uint8_t iv[IKE_BLOCK_MAX];

	if (!rx->encrypted) {
		info_clear(sa, xchg_open(sa, NULL, p, n, rx) ? NULL : rx);
		xchg_close(rx);
		return;
	}
	if (sa->state != IKE_P1_COMPLETE || !rx->h->msgid)
		return;
	if (ike_p2_iv(sa->hash, sa->cipher, sa->x.iv, rx->h->msgid, iv) ||
	    xchg_open(sa, iv, p, n, rx)) {
		sa->ike->rx_dropped++;
		return;
	}
	info_input(sa, rx);
	xchg_close(rx);
}

void ike_input(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n)
{
	struct ike_sa *sa;
	struct ike_hdr h;
	struct ike_rx rx;
	char a[INET6_ADDRSTRLEN];
	int err;

	addr_str(&path->remote, a, sizeof(a));
	err = ike_hdr_parse(p, n, &h);
	if (err) {
		drop(ike, path, err < 0 ? "too short" : ike_notify_name((uint16_t)err));
		return;
	}
	log_dbg_isakmp("ISAKMP (0:0): received packet from %s dport %u sport %u Global", a,
		addr_port(&path->local), addr_port(&path->remote));
	sa = sa_for(ike, path, &h);
	if (!sa)
		return;
	if (!addr_same(&sa->path.remote, &path->remote)) {
		drop(ike, path, "cookies of another peer");
		return;
	}
	sa->last_rx = ike->now;
	/* NAT-T: the peer floated to 4500, or its NAT mapped it to a new port */
	if (sa->natt && ike_path_natt(path) && (!ike_path_natt(&sa->path) ||
	    addr_port(&path->remote) != addr_port(&sa->path.remote))) {
		log_dbg_isakmp("ISAKMP (0:%u): peer floated to %s port %u", sa->id,
			addr_str(&path->remote, a, sizeof(a)), addr_port(&path->remote));
		sa->path = *path;
	}
	if (xchg_rx_init(&rx, &h, p, n))
		return;
	switch (h.exchange) {
	case ISAKMP_XCHG_IDPROT:
		rx_main(sa, p, n, &rx);
		break;
	case ISAKMP_XCHG_QUICK:
		if (sa->state != IKE_P1_COMPLETE) {
			drop(ike, path, "quick mode before phase 1 completed");
			return;
		}
		rx_quick(sa, p, n, &rx);
		break;
	case ISAKMP_XCHG_INFO:
		rx_info(sa, p, n, &rx);
		break;
	case ISAKMP_XCHG_AGGR:
		rx_aggr(sa, p, n, &rx);
		break;
	default:
		drop(ike, path, "exchange type not supported");
		if (sa->state == IKE_R_MM1 && !sa->x.tx)
			ike_sa_free(sa);
		break;
	}
}
