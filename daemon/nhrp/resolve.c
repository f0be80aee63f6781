// SPDX-License-Identifier: GPL-2.0
/*
 * Resolution (phase 2).  A packet to an overlay address with no mapping
 * (a miss) is pointed at the NHS at once, so that traffic goes through the
 * hub meanwhile, and a Resolution Request goes to the NHS.  The NHS
 * forwards it to the owner (our CIE appended to the forward transit
 * record, the requester's post-NAT address in the NAT extension), or
 * answers it negatively when nobody has that address.  The owner caches
 * the requester and answers it directly, but only once the IPsec SAs
 * between them are up (seed 002: "Delaying resolution request ... need to
 * wait for IPsec SAs").  The requester's entry then points the kernel at
 * the owner, once its own SAs are up; cached entries are refreshed before
 * they expire only if the data path used them.
 */
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

#define RES_REQ_FLAGS (NHRP_FLAG_RES_Q | NHRP_FLAG_RES_A | NHRP_FLAG_RES_S | NHRP_FLAG_NAT)

static uint16_t our_holdtime(const struct nhrp_if *nif)
{
	return nif->c.p->holdtime ? nif->c.p->holdtime : NHRP_HOLDTIME_DEFAULT;
}

static void set_auth(struct nhrp_if *nif, struct nhrp_msg *m)
{
	const struct nhrp_params *p = nif->c.p;

	m->has_auth = p->auth_len != 0;
	m->auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
	m->auth_len = p->auth_len;
	memcpy(m->auth, p->auth, p->auth_len);
}

/* The mapping of cie in a NAT extension: the post-NAT NBMA of proto, or NULL. */
static const struct nhrp_addr *nat_of(const struct nhrp_msg *m, const struct nhrp_addr *proto)
{
	for (int i = 0; m->has_nat && i < m->nat.n; i++)
		if (nhrp_addr_eq(&m->nat.e[i].proto, proto) && m->nat.e[i].nbma.len)
			return &m->nat.e[i].nbma;
	return NULL;
}

void res_send(struct nhrp_if *nif, struct nhrp_entry *e)
{
	struct nhrp *n = nif->n;
	struct nhrp_nhs *s = nhc_best(nif);
	struct nhrp_msg m;
	char a[64];

	if (e->pub.type == NHRP_CACHE_INCOMPLETE) {
		if (e->tries >= NHRP_RES_TRIES) {
			log_info("NHRP: %s: no answer resolving %s", nif->c.name,
				 nhrp_addr_str(&e->pub.proto, a, sizeof(a)));
			e->pub.type = NHRP_CACHE_NEGATIVE;
			e->pub.expires = n->now + NHRP_NEGATIVE_MS;
			e->retry_at = 0;
			return;
		}
		e->retry_at = n->now + ((int64_t)NHRP_RETRY_MIN_MS << e->tries);
		e->tries++;
	}
	if (!s || !pkt_rate_ok(nif))
		return;
	pkt_init(nif, &m, NHRP_RES_REQ, true);
	m.flags = RES_REQ_FLAGS;
	m.reqid = nhrp_reqid(n);
	m.dst_proto = e->pub.proto;
	m.cie.n = 1;
	pkt_our_cie(nif, &m.cie.e[0], our_holdtime(nif));
	memset(&m.cie.e[0].nbma, 0, sizeof(m.cie.e[0].nbma));
	memset(&m.cie.e[0].proto, 0, sizeof(m.cie.e[0].proto));
	m.has_responder = m.has_fwd = m.has_rev = true;
	e->res_reqid = m.reqid;
	log_dbg_nhrp("NHRP: %s: resolving %s through NHS %s", nif->c.name,
		nhrp_addr_str(&e->pub.proto, a, sizeof(a)),
		nhrp_addr_str(&s->proto, a + 32, 32));
	pkt_send(nif, &s->nbma, &m);
}

/* Traffic to dst with no mapping: through the NHS meanwhile, and resolve it. */
void res_miss(struct nhrp_if *nif, const struct nhrp_addr *dst)
{
	struct nhrp_entry *e = cache_find(nif, dst);
	struct nhrp_nhs *s;

	if (!in_subnet(nif, dst) || nhrp_addr_eq(dst, &nif->c.proto))
		return;
	s = nhc_best(nif);
	if (e) {
		/* the kernel lost or never had the mapping: it gets it again */
		if (e->pub.type == NHRP_CACHE_INCOMPLETE || e->pub.type == NHRP_CACHE_NEGATIVE ||
		    (e->pub.flags & NHRP_CF_WAIT_SA)) {
			if (s)
				cache_kernel(nif, e, &s->nbma);
		} else if (e->pub.nbma.len) {
			memset(&e->kern_nbma, 0, sizeof(e->kern_nbma));
			cache_kernel(nif, e, &e->pub.nbma);
		}
		return;
	}
	if (!s)
		return;		/* a hub does not resolve: who registered is all it knows */
	e = cache_add(nif, dst, NHRP_CACHE_INCOMPLETE);
	if (!e)
		return;
	e->requested = true;
	cache_kernel(nif, e, &s->nbma);
	res_send(nif, e);
}

/* A request for our own address: cache the requester, answer when IPsec is up. */
void res_answer(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m,
		uint8_t plen)
{
	struct nhrp *n = nif->n;
	const struct nhrp_addr *rnbma = nat_of(m, &m->src_proto);
	const struct nhrp_addr *nat = nhc_nat(nif);
	uint16_t hold = m->cie.n && m->cie.e[0].holdtime ? m->cie.e[0].holdtime :
			our_holdtime(nif);
	struct nhrp_entry *e;
	struct nhrp_msg r;
	char a[64], b[64];

	if (!rnbma)
		rnbma = m->fwd.n ? &m->src_nbma : src;
	if (!in_subnet(nif, &m->src_proto)) {
		nif->st.drop[NHRP_DROP_STATE]++;
		return;
	}
	e = cache_find(nif, &m->src_proto);
	if (!e) {
		e = cache_add(nif, &m->src_proto, NHRP_CACHE_CACHED);
		if (!e)
			return;
		e->pub.flags |= NHRP_CF_IMPLICIT;
	}
	if (e->pub.type == NHRP_CACHE_INCOMPLETE || e->pub.type == NHRP_CACHE_NEGATIVE ||
	    e->pub.type == NHRP_CACHE_CACHED) {
		e->pub.type = NHRP_CACHE_CACHED;
		e->retry_at = 0;
		e->tries = 0;
		e->pub.flags |= NHRP_CF_ROUTER;
		e->pub.holdtime = hold;
		e->pub.expires = n->now + hold * 1000LL;
		if (!nhrp_addr_eq(rnbma, &m->src_nbma)) {
			e->pub.nbma_claimed = m->src_nbma;
			e->pub.flags |= NHRP_CF_NAT;
		}
		cache_set_nbma(nif, e, rnbma);
	}

	r = *m;
	r.type = NHRP_RES_REP;
	r.hops = NHRP_HOPS;
	r.flags |= NHRP_FLAG_RES_A | NHRP_FLAG_RES_D;
	r.data = NULL;
	r.data_len = 0;
	r.cie.n = 1;
	pkt_our_cie(nif, &r.cie.e[0], our_holdtime(nif));
	r.cie.e[0].prefix = plen;	/* our address, or the network behind us */
	r.has_responder = true;
	r.responder.n = 1;
	r.responder.e[0] = r.cie.e[0];
	r.responder.e[0].prefix = host_plen(&nif->c.proto);
	r.has_fwd = r.has_rev = true;
	r.rev.n = 0;
	set_auth(nif, &r);
	r.has_nat = nat != NULL;
	r.nat.n = 0;
	if (nat) {
		r.nat.n = 1;
		pkt_our_cie(nif, &r.nat.e[0], 0);
		r.nat.e[0].nbma = *nat;
	}
	if (!n->h->sa_ready || n->h->sa_ready(n->ctx, nif->c.ifindex, rnbma)) {
		if (!(e->pub.flags & NHRP_CF_WAIT_SA) && e->pub.nbma.len)
			cache_kernel(nif, e, &e->pub.nbma);
		pkt_send(nif, rnbma, &r);
		return;
	}
	log_info("NHRP: %s: delaying resolution reply to %s (NBMA %s): need to wait for IPsec "
		 "SAs", nif->c.name, nhrp_addr_str(&m->src_proto, a, sizeof(a)),
		 nhrp_addr_str(rnbma, b, sizeof(b)));
	if (e->pub.nbma.len && nhrp_addr_eq(&e->pub.nbma, rnbma))
		cache_wait_sa(nif, e, true);
	pkt_delay(nif, rnbma, &r);
}

void res_forward(struct nhrp_if *nif, const struct nhrp_addr *to, const struct nhrp_addr *src,
		 const struct nhrp_msg *m, const uint8_t *p, size_t len)
{
	struct nhrp_entry *req = cache_find(nif, &m->src_proto);
	struct nhrp_msg r;

	if (m->hops <= 1) {
		pkt_error(nif, src, m, NHRP_ERR_HOPS, 0, p, len);
		nif->st.drop[NHRP_DROP_HOPS]++;
		return;
	}
	r = *m;
	r.hops--;
	if (r.fwd.n >= NHRP_CIES_MAX) {
		nif->st.drop[NHRP_DROP_TOO_MANY]++;
		return;
	}
	r.has_fwd = true;
	pkt_our_cie(nif, &r.fwd.e[r.fwd.n++], our_holdtime(nif));
	set_auth(nif, &r);
	/* the requester behind NAT: the owner must answer its post-NAT address */
	if (m->type == NHRP_RES_REQ && req && req->pub.type == NHRP_CACHE_DYNAMIC &&
	    !nhrp_addr_eq(&req->pub.nbma, &m->src_nbma) && !nat_of(m, &m->src_proto) &&
	    r.nat.n < NHRP_CIES_MAX) {
		struct nhrp_cie *x = &r.nat.e[r.nat.n++];

		r.has_nat = true;
		pkt_our_cie(nif, x, 0);
		x->nbma = req->pub.nbma;
		x->proto = m->src_proto;
	}
	nif->st.forwarded++;
	pkt_send(nif, to, &r);
}

static void negative(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m)
{
	struct nhrp_msg r = *m;

	r.type = NHRP_RES_REP;
	r.hops = NHRP_HOPS;
	r.cie.n = 1;
	memset(&r.cie.e[0], 0, sizeof(r.cie.e[0]));
	r.cie.e[0].code = NHRP_CODE_NO_BINDING;
	r.cie.e[0].prefix = host_plen(&m->dst_proto);
	r.cie.e[0].mtu = nif->c.mtu;
	r.has_responder = true;
	r.responder.n = 1;
	pkt_our_cie(nif, &r.responder.e[0], our_holdtime(nif));
	set_auth(nif, &r);
	r.has_nat = false;
	r.nat.n = 0;
	pkt_send(nif, nat_of(m, &m->src_proto) ? nat_of(m, &m->src_proto) : src, &r);
}

void res_request(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m,
		 const uint8_t *p, size_t len)
{
	const struct nhrp_addr *target = &m->dst_proto;
	struct nhrp_entry *e;

	for (int i = 0; i < m->fwd.n; i++)
		if (nhrp_addr_eq(&m->fwd.e[i].proto, &nif->c.proto)) {
			pkt_error(nif, src, m, NHRP_ERR_LOOP, 0, p, len);
			nif->st.drop[NHRP_DROP_STATE]++;
			return;
		}
	if (nhrp_addr_eq(&m->src_proto, &nif->c.proto)) {
		nif->st.drop[NHRP_DROP_STATE]++;
		return;
	}
	if (nhrp_addr_eq(target, &nif->c.proto)) {
		res_answer(nif, src, m, host_plen(target));
		return;
	}
	e = cache_find(nif, target);
	if (e && e->pub.nbma.len && (e->pub.type == NHRP_CACHE_DYNAMIC ||
				     e->pub.type == NHRP_CACHE_STATIC) &&
	    !nhrp_addr_eq(&e->pub.nbma, src)) {
		if (e->pub.type == NHRP_CACHE_DYNAMIC) {
			const struct nhrp_addr *rn = nat_of(m, &m->src_proto);
			struct nhrp_entry *req = cache_find(nif, &m->src_proto);

			if (!rn)
				rn = req && req->pub.nbma.len ? &req->pub.nbma : src;
			nhs_resolved_by(nif, e, &m->src_proto, rn);
		}
		res_forward(nif, &e->pub.nbma, src, m, p, len);
		return;
	}
	/* phase 3: a network, as the kernel routes it: behind us, or behind a peer */
	if (!in_subnet(nif, target) && nif->n->h->route_get) {
		struct nhrp_addr via;
		uint8_t plen = 0;
		int r = nif->n->h->route_get(nif->n->ctx, nif->c.ifindex, target, &via, &plen);
		struct nhrp_entry *v = r == 1 ? cache_find(nif, &via) : NULL;

		if (r == 0 && plen > 0) {
			res_answer(nif, src, m, plen);
			return;
		}
		if (v && v->pub.nbma.len && !nhrp_addr_eq(&v->pub.nbma, src) &&
		    (v->pub.type == NHRP_CACHE_DYNAMIC || v->pub.type == NHRP_CACHE_STATIC ||
		     v->pub.type == NHRP_CACHE_NHS || v->pub.type == NHRP_CACHE_CACHED)) {
			res_forward(nif, &v->pub.nbma, src, m, p, len);
			return;
		}
	}
	/* not ours to know: up to our own NHS, unless it came from there */
	if (nif->nnhs && !nbma_is_nhs(nif, src)) {
		struct nhrp_nhs *s = nhc_best(nif);

		res_forward(nif, &s->nbma, src, m, p, len);
		return;
	}
	negative(nif, src, m);
}

void res_reply(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m)
{
	struct nhrp *n = nif->n;
	struct nhrp_entry *e = cache_find(nif, &m->dst_proto);
	const struct nhrp_cie *c = m->cie.n ? &m->cie.e[0] : NULL;
	const struct nhrp_addr *nbma;
	char a[64], b[64];

	if (!nhrp_addr_eq(&m->src_proto, &nif->c.proto) || !e || !e->requested ||
	    e->res_reqid != m->reqid) {
		nif->st.drop[NHRP_DROP_STATE]++;
		return;
	}
	if (!c || c->code != NHRP_CODE_SUCCESS || (!c->nbma.len && !src->len)) {
		log_info("NHRP: %s: %s cannot be resolved (code %u)", nif->c.name,
			 nhrp_addr_str(&m->dst_proto, a, sizeof(a)), c ? c->code : 0);
		if (e->pub.type == NHRP_CACHE_INCOMPLETE) {
			e->pub.type = NHRP_CACHE_NEGATIVE;
			e->pub.expires = n->now + NHRP_NEGATIVE_MS;
			e->retry_at = 0;
		}
		return;
	}
	/* the owner's post-NAT address: its NAT CIE, or where its direct answer came from */
	nbma = nat_of(m, c->proto.len ? &c->proto : &m->dst_proto);
	if (!nbma)
		nbma = !nbma_is_nhs(nif, src) ? src : &c->nbma;
	if (!nbma->len)
		nbma = &c->nbma;
	if (e->shortcut) {
		sc_reply(nif, e, m, c, nbma);
		return;
	}
	if (e->pub.type != NHRP_CACHE_CACHED)
		log_info("NHRP: %s: resolved %s to NBMA %s", nif->c.name,
			 nhrp_addr_str(&m->dst_proto, a, sizeof(a)), nhrp_addr_str(nbma, b, sizeof(b)));
	e->pub.type = NHRP_CACHE_CACHED;
	e->pub.flags |= NHRP_CF_ROUTER;
	e->retry_at = 0;
	e->tries = 0;
	e->pub.holdtime = c->holdtime ? c->holdtime : our_holdtime(nif);
	e->pub.expires = n->now + e->pub.holdtime * 1000LL;
	e->refresh_at = e->pub.expires - e->pub.holdtime * 1000LL / 6;
	if (!e->used_mark)
		e->used_mark = n->now;
	if (c->nbma.len && !nhrp_addr_eq(&c->nbma, nbma)) {
		e->pub.nbma_claimed = c->nbma;
		e->pub.flags |= NHRP_CF_NAT;
	}
	cache_set_nbma(nif, e, nbma);
	if (!n->h->sa_ready || n->h->sa_ready(n->ctx, nif->c.ifindex, nbma)) {
		cache_wait_sa(nif, e, false);
		cache_kernel(nif, e, nbma);
	} else {
		cache_wait_sa(nif, e, true);	/* through the NHS until the SAs are up */
	}
}
