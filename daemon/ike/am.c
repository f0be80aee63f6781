// SPDX-License-Identifier: GPL-2.0
/*
 * Aggressive Mode with pre-shared keys (RFC 2409 5.4), initiator and
 * responder, only when "crypto isakmp aggressive-mode" is configured: three
 * messages instead of six, but the identities travel in the clear.
 *
 *   AM1 I->R  SA, KE, Ni, IDii
 *   AM2 R->I  SA, KE, Nr, IDir, HASH_R [, NAT-D, NAT-D]
 *   AM3 I->R  *HASH_I [, NAT-D, NAT-D]      (encrypted; a clear one is accepted)
 *
 * One Diffie-Hellman group goes in AM1: the first policy's; only the
 * policies with that group are offered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

int am_start(struct ike_sa *sa)
{
	struct p1_attrs *pols;
	uint8_t pkt[IKE_PKT_MAX], id[20];
	const char *psk;
	struct ike_buf b;
	struct ike_hdr h;
	size_t sa_off, id_len;
	int n, k = 0;

	psk = ike_psk_for(sa->ike, &sa->path.remote);
	pols = conf_p1_list(sa->ike->conf, &n);
	if (!psk || n <= 0) {
		log_err("ISAKMP: no pre-shared key or no isakmp policy for aggressive mode");
		free(pols);
		return -1;
	}
	snprintf(sa->psk, sizeof(sa->psk), "%s", psk);
	/* one KE payload, so one group: the policies of the first one's, in order */
	for (int i = 0; i < n; i++)
		if (pols[i].group == pols[0].group)
			pols[k++] = pols[i];
	sa->gx_len = ike_dh_len(pols[0].group);
	sa->dh = ike_dh_new(pols[0].group);
	if (!sa->dh || p1_new_icky(sa)) {
		free(pols);
		return -1;
	}
	p1_hdr(sa, &h, ISAKMP_XCHG_AGGR, 0);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	sa_off = b.len;
	p1_sa_build(&b, pols, NULL, k);
	free(pols);
	if (p1_put_ke_nonce(sa, &b))
		return -1;
	id_len = p1_id_body(&sa->path.local, id);
	ike_put_pl(&b, ISAKMP_NP_ID, id, id_len);
	p1_put_vids(sa, &b);
	ike_hdr_finish(&b);
	if (b.err || p1_save_sai(sa, b.p + sa_off + ISAKMP_GEN_LEN,
			      (size_t)(b.p[sa_off + 2] << 8 | b.p[sa_off + 3]) - ISAKMP_GEN_LEN))
		return -1;
	ike_set_state(sa, IKE_I_AM1, "IKE_MESG_FROM_IPSEC, IKE_SA_REQ_AM");
	log_dbg_isakmp("ISAKMP (0:%u): beginning Aggressive Mode exchange", sa->id);
	if (xchg_send(sa, &sa->x, b.p, b.len, true))
		return -1;
	return 0;
}

/* AM1 at the responder: choose, key, answer AM2 with our ID and HASH_R. */
static void r_am1(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SA, 0);
	const struct ike_pl *id = ike_msg_find(m, ISAKMP_NP_ID, 0);
	uint8_t pkt[IKE_PKT_MAX], myid[20], hash[IKE_HASH_MAX];
	struct p1_offer o;
	struct ike_buf b;
	struct ike_hdr h;
	size_t id_len;
	int i;

	ike_set_state(sa, IKE_R_AM1, "IKE_MESG_FROM_PEER, IKE_AM_EXCH");
	if (!sp || !id || id->len < 8 || id->len > sizeof(sa->peer_id)) {
		p1_fail(sa, "AM1 needs an SA and an ID payload");
		return;
	}
	i = p1_choose(sa, sp, m, &o);
	if (i < 0)
		return;
	memcpy(sa->peer_id, id->body, id->len);
	sa->peer_id_len = id->len;
	p1_hdr(sa, &h, ISAKMP_XCHG_AGGR, 0);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	p1_sa_build(&b, &o.x[i], &o.num[i], 1);
	/* ours first: p1_keys() frees the private value */
	if (p1_put_ke_nonce(sa, &b) || p1_keys(sa, m)) {
		p1_fail(sa, "key exchange failed");
		return;
	}
	p1_natd_in(sa, m);
	id_len = p1_id_body(&sa->path.local, myid);
	ike_put_pl(&b, ISAKMP_NP_ID, myid, id_len);
	if (p1_auth_hash(sa, false, myid, id_len, hash)) {
		p1_fail(sa, "cannot compute HASH_R");
		return;
	}
	ike_put_pl(&b, ISAKMP_NP_HASH, hash, sa->hash->len);
	p1_put_vids(sa, &b);
	if (p1_put_natd(sa, &b)) {
		p1_fail(sa, "cannot make our NAT-D");
		return;
	}
	if (p1_send(sa, &b, "AM2"))
		return;
	ike_set_state(sa, IKE_R_AM2, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE");
}

/* AM2 at the initiator: check HASH_R, answer AM3 with HASH_I. */
static void i_am2(struct ike_sa *sa, const struct ike_hdr *hd, const struct ike_msg *m)
{
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SA, 0);
	const struct ike_pl *id = ike_msg_find(m, ISAKMP_NP_ID, 0);
	const struct ike_pl *hp = ike_msg_find(m, ISAKMP_NP_HASH, 0);
	uint8_t pkt[IKE_PKT_MAX], myid[20], want[IKE_HASH_MAX], hash[IKE_HASH_MAX];
	struct p1_attrs *pols;
	struct p1_offer o;
	struct ike_buf b;
	struct ike_hdr h;
	size_t id_len;
	int which, n;
	bool ok;

	ike_set_state(sa, IKE_I_AM1, "IKE_MESG_FROM_PEER, IKE_AM_EXCH");
	pols = conf_p1_list(sa->ike->conf, &n);
	ok = sp && n > 0 && !p1_sa_parse(sp->body, sp->len, &o) && o.n == 1 &&
	     p1_match(&o, pols, n, &which) == 0 && o.x[0].group == pols[0].group;
	free(pols);
	if (!ok || p1_set_suite(sa, &o.x[0])) {
		p1_fail(sa, "the responder chose a transform we did not offer");
		return;
	}
	p1_vendor_ids_in(sa, m);
	if (ike_sa_cookies(sa, sa->icky, hd->rcookie)) {
		p1_fail(sa, "the responder's cookie is another SA's");
		return;
	}
	if (p1_keys(sa, m)) {
		p1_fail(sa, "key exchange failed");
		return;
	}
	if (!id || !hp || hp->len != sa->hash->len ||
	    p1_auth_hash(sa, false, id->body, id->len, want) ||
	    !ike_memeq(want, hp->body, hp->len)) {
		p1_fail(sa, "HASH_R does not verify: pre-shared key mismatch?");
		return;
	}
	p1_natd_in(sa, m);
	if (sa->nat_here || sa->nat_there) {
		addr_set_port(&sa->path.local, ISAKMP_NATT_PORT);
		addr_set_port(&sa->path.remote, ISAKMP_NATT_PORT);
	}
	id_len = p1_id_body(&sa->path.local, myid);
	/* the ID we sent in AM1 named the address before any float: the same */
	if (p1_auth_hash(sa, true, myid, id_len, hash)) {
		p1_fail(sa, "cannot compute HASH_I");
		return;
	}
	p1_hdr(sa, &h, ISAKMP_XCHG_AGGR, 0);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	ike_put_pl(&b, ISAKMP_NP_HASH, hash, sa->hash->len);
	if (p1_put_natd(sa, &b) || ike_encrypt(sa, sa->x.iv, &b)) {
		p1_fail(sa, "cannot build AM3");
		return;
	}
	xchg_send(sa, &sa->x, b.p, b.len, true);
	p1_complete(sa);
}

/* AM3 at the responder: HASH_I over the ID of AM1. */
static void r_am3(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *hp = ike_msg_find(m, ISAKMP_NP_HASH, 0);
	uint8_t want[IKE_HASH_MAX];

	if (!hp || hp->len != sa->hash->len ||
	    p1_auth_hash(sa, true, sa->peer_id, sa->peer_id_len, want) ||
	    !ike_memeq(want, hp->body, hp->len)) {
		log_info("ISAKMP (0:%u): HASH_I does not verify: pre-shared key mismatch?", sa->id);
		return;
	}
	p1_notifies_in(sa, m);
	xchg_quiet(&sa->x);
	p1_complete(sa);
}

/* An Aggressive Mode message, decrypted and parsed (input.c). */
void am_input(struct ike_sa *sa, const struct ike_rx *rx)
{
	xchg_accept(&sa->x, rx);
	if (sa->state == IKE_READY && !sa->initiator) {
		r_am1(sa, &rx->m);
	} else if (sa->state == IKE_I_AM1) {
		i_am2(sa, rx->h, &rx->m);
	} else if (sa->state == IKE_R_AM2) {
		r_am3(sa, &rx->m);
		/* the IV moves on only for the real AM3 */
		if (sa->state != IKE_P1_COMPLETE)
			xchg_forget(&sa->x);
		else
			xchg_chain(sa, &sa->x, rx);
	} else {
		sa->ike->rx_dropped++;
	}
}
