// SPDX-License-Identifier: GPL-2.0
/*
 * Next hop server: registrations received (a dynamic entry per client
 * protocol address, unique unless the client says otherwise, at the NBMA
 * address the packet actually came from, in the multicast list with ip
 * nhrp map multicast dynamic), the reply with our responder CIE and the
 * NAT extension, and purge requests (a client leaving, or an entry that
 * became invalid).
 */
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

/* One CIE of a registration: 0 or the code to answer it with. */
static uint8_t reg_one(struct nhrp_if *nif, const struct nhrp_addr *src,
		       const struct nhrp_msg *m, const struct nhrp_cie *c)
{
	struct nhrp *n = nif->n;
	const struct nhrp_addr *proto = c->proto.len ? &c->proto : &m->src_proto;
	bool unique = m->flags & NHRP_FLAG_REG_U;
	uint16_t hold = c->holdtime;
	struct nhrp_entry *e = cache_find(nif, proto);
	char a[64], b[64], c2[64];

	if (!in_subnet(nif, proto) || nhrp_addr_eq(proto, &nif->c.proto))
		return NHRP_CODE_PROHIBITED;
	if (e && (e->pub.type == NHRP_CACHE_STATIC || e->pub.type == NHRP_CACHE_LOCAL))
		return NHRP_CODE_PROHIBITED;
	if (e && e->pub.type == NHRP_CACHE_DYNAMIC && !nhrp_addr_eq(&e->pub.nbma, src) &&
	    (e->pub.flags & NHRP_CF_UNIQUE)) {
		struct nhrp_if_priv *ip = nif_priv(nif);

		/* a flood of them from spoofed addresses must not flood the log too */
		if (!ip->refuse_log_at || n->now - ip->refuse_log_at >= NHRP_DROP_LOG_MS) {
			ip->refuse_log_at = n->now;
			log_warn("NHRP: %s: %s registered from %s, already from %s (unique): "
				 "refused (further refusals for 10 s are not logged)", nif->c.name,
				 nhrp_addr_str(proto, a, sizeof(a)), nhrp_addr_str(src, b, sizeof(b)),
				 nhrp_addr_str(&e->pub.nbma, c2, sizeof(c2)));
		}
		return NHRP_CODE_ALREADY;
	}
	if (!hold)
		hold = NHRP_HOLDTIME_DEFAULT;
	if (!e) {
		e = cache_add(nif, proto, NHRP_CACHE_DYNAMIC);
		if (!e)
			return NHRP_CODE_NO_RESOURCES;
		log_info("NHRP: %s: %s registered, NBMA %s", nif->c.name,
			 nhrp_addr_str(proto, a, sizeof(a)), nhrp_addr_str(src, b, sizeof(b)));
	} else if (e->pub.type != NHRP_CACHE_DYNAMIC) {
		/* a cached or incomplete entry becomes the registration */
		e->pub.type = NHRP_CACHE_DYNAMIC;
		e->retry_at = e->refresh_at = 0;
		e->requested = false;
		e->pub.created = n->now;
	}
	cache_set_nbma(nif, e, src);
	if (!nhrp_addr_eq(&m->src_nbma, src)) {
		e->pub.nbma_claimed = m->src_nbma;
		e->pub.flags |= NHRP_CF_NAT;
	} else {
		memset(&e->pub.nbma_claimed, 0, sizeof(e->pub.nbma_claimed));
		e->pub.flags &= ~NHRP_CF_NAT;
	}
	e->pub.flags = (e->pub.flags & ~NHRP_CF_UNIQUE) | NHRP_CF_REGISTERED |
		       (unique ? NHRP_CF_UNIQUE : 0);
	e->pub.prefix = c->prefix && c->prefix <= host_plen(proto) ? c->prefix : host_plen(proto);
	if (e->pub.prefix != host_plen(proto))
		e->pub.prefix = host_plen(proto);	/* a client registers its own address */
	e->pub.holdtime = hold;
	e->pub.expires = n->now + hold * 1000LL;
	e->pub.reqid = m->reqid;
	cache_kernel(nif, e, src);
	if (nif->c.p->mcast_dynamic)
		cache_mcast(nif, e, true);
	return NHRP_CODE_SUCCESS;
}

void nhs_reg_request(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m)
{
	struct nhrp_msg r;
	uint16_t hold = 0;

	r = *m;		/* the mandatory part and the client's CIEs go back as they came */
	r.type = NHRP_REG_REP;
	r.hops = NHRP_HOPS;
	r.data = NULL;
	r.data_len = 0;
	for (int i = 0; i < r.cie.n; i++) {
		r.cie.e[i].code = reg_one(nif, src, m, &m->cie.e[i]);
		if (!hold)
			hold = m->cie.e[i].holdtime;
	}
	if (!r.cie.n) {
		nif->st.drop[NHRP_DROP_CIE]++;
		return;
	}
	/* our CIE as the responder; the authentication is ours, never a copy */
	r.has_responder = true;
	r.responder.n = 1;
	pkt_our_cie(nif, &r.responder.e[0], hold ? hold : NHRP_HOLDTIME_DEFAULT);
	r.has_fwd = r.has_rev = true;
	r.has_auth = false;
	if (nif->c.p->auth_len) {
		r.has_auth = true;
		r.auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
		r.auth_len = nif->c.p->auth_len;
		memcpy(r.auth, nif->c.p->auth, r.auth_len);
	}
	/* NAT: what the client sent, and how we see it when that differs from its claim */
	if (m->has_nat || !nhrp_addr_eq(&m->src_nbma, src)) {
		r.has_nat = true;
		if (!nhrp_addr_eq(&m->src_nbma, src) && r.nat.n < NHRP_CIES_MAX) {
			struct nhrp_cie *x = &r.nat.e[r.nat.n++];

			pkt_our_cie(nif, x, 0);
			x->nbma = *src;
			x->proto = m->src_proto;
		}
	}
	pkt_send(nif, src, &r);
}

/*
 * A purge: the protocol addresses in its CIEs are no longer where we had
 * them.  From a client about its own registration (leaving), the dynamic
 * entry goes; entries learned from resolutions go whoever sends it.
 */
void nhs_purge_request(struct nhrp_if *nif, const struct nhrp_addr *src,
		       const struct nhrp_msg *m)
{
	char a[64];

	for (int i = 0; i < m->cie.n; i++) {
		const struct nhrp_addr *proto = m->cie.e[i].proto.len ? &m->cie.e[i].proto :
						&m->src_proto;
		struct nhrp_entry *e = cache_find(nif, proto);

		if (!e)
			continue;
		if (e->pub.type == NHRP_CACHE_DYNAMIC && !nhrp_addr_eq(&e->pub.nbma, src))
			continue;	/* only the client itself takes its registration back */
		if (e->pub.type == NHRP_CACHE_STATIC || e->pub.type == NHRP_CACHE_LOCAL ||
		    e->pub.type == NHRP_CACHE_NHS)
			continue;
		log_info("NHRP: %s: purge of %s from %s", nif->c.name,
			 nhrp_addr_str(proto, a, sizeof(a)), nhrp_addr_str(src, a + 32, 32));
		cache_del(nif, e);
	}
	if (!(m->flags & NHRP_FLAG_PURGE_N)) {
		struct nhrp_msg r = *m;

		r.type = NHRP_PURGE_REP;
		r.hops = NHRP_HOPS;
		r.has_auth = false;
		if (nif->c.p->auth_len) {
			r.has_auth = true;
			r.auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
			r.auth_len = nif->c.p->auth_len;
			memcpy(r.auth, nif->c.p->auth, r.auth_len);
		}
		pkt_send(nif, src, &r);
	}
}

/* Hub: remember who resolved registration e through us, once each. */
void nhs_resolved_by(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_addr *proto,
		     const struct nhrp_addr *nbma)
{
	struct nhrp_resolver *r;

	for (int i = 0; i < e->nresolvers; i++)
		if (nhrp_addr_eq(&e->resolvers[i].proto, proto)) {
			e->resolvers[i].nbma = *nbma;
			return;
		}
	if (e->nresolvers == e->cap_resolvers) {
		int cap = e->cap_resolvers ? e->cap_resolvers * 2 : 4;

		r = realloc(e->resolvers, sizeof(*r) * (size_t)cap);
		if (!r)
			return;		/* no purge for this one: its entry ages out */
		e->resolvers = r;
		e->cap_resolvers = cap;
	}
	r = &e->resolvers[e->nresolvers++];
	r->proto = *proto;
	r->nbma = *nbma;
}

/*
 * A registration goes (expired, cleared, taken back): those who resolved
 * it through us get a Purge Request (no reply wanted), so that their
 * mappings to it go now and not at the end of their hold time.
 */
void nhs_purge_resolvers(struct nhrp_if *nif, struct nhrp_entry *e)
{
	char a[64];

	if (e->pub.type != NHRP_CACHE_DYNAMIC)
		return;
	for (int i = 0; i < e->nresolvers; i++) {
		struct nhrp_msg m;

		pkt_init(nif, &m, NHRP_PURGE_REQ, true);
		m.flags = NHRP_FLAG_PURGE_N;
		m.reqid = nhrp_reqid(nif->n);
		m.dst_proto = e->resolvers[i].proto;
		m.cie.n = 1;
		memset(&m.cie.e[0], 0, sizeof(m.cie.e[0]));
		m.cie.e[0].prefix = e->pub.prefix;
		m.cie.e[0].mtu = nif->c.mtu;
		m.cie.e[0].proto = e->pub.proto;
		log_info("NHRP: %s: purging %s at %s", nif->c.name,
			 nhrp_addr_str(&e->pub.proto, a, sizeof(a)),
			 nhrp_addr_str(&e->resolvers[i].proto, a + 32, 32));
		pkt_send(nif, &e->resolvers[i].nbma, &m);
	}
	e->nresolvers = 0;
}
