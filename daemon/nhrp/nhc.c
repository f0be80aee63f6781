// SPDX-License-Identifier: GPL-2.0
/*
 * Next hop client: registration with every NHS of an interface.  A
 * registration waits for the IPsec SAs to its NHS (asking for them starts
 * IKE, seed 004's flow), goes again at a third of the hold time (or ip
 * nhrp registration timeout) once answered, and while unanswered backs
 * off from 1 s doubling to 64 s.  The reply's NAT extension tells us our
 * address as the NHS sees it.  States as IOS shows them: E a request is
 * out, R the NHS answered the last one, W waiting for IPsec; DOWN, PROBE
 * (no answer yet, or the last ones lost) and UP.
 */
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

static uint16_t reg_holdtime(const struct nhrp_if *nif)
{
	return nif->c.p->holdtime ? nif->c.p->holdtime : NHRP_HOLDTIME_DEFAULT;
}

static int64_t reg_interval_ms(const struct nhrp_if *nif)
{
	const struct nhrp_params *p = nif->c.p;

	if (p->reg_timeout)
		return p->reg_timeout * 1000LL;
	return reg_holdtime(nif) * 1000LL / 3;
}

static void reg_send(struct nhrp_if *nif, struct nhrp_nhs *s)
{
	struct nhrp *n = nif->n;
	struct nhrp_msg m;
	char a[64];

	s->next_reg = n->now + s->retry_ms;
	if (n->h->sa_ready && !n->h->sa_ready(n->ctx, nif->c.ifindex, &s->nbma)) {
		/* IKE to the NHS was asked for: the request goes when its SAs are up */
		s->waiting = true;
		log_dbg_nhrp("NHRP: %s: registration to %s waits for IPsec", nif->c.name,
			nhrp_addr_str(&s->proto, a, sizeof(a)));
		goto backoff;
	}
	s->waiting = false;
	pkt_init(nif, &m, NHRP_REG_REQ, true);
	m.flags = NHRP_FLAG_NAT | (nif->c.p->no_unique ? 0 : NHRP_FLAG_REG_U);
	m.reqid = nhrp_reqid(n);
	m.dst_proto = s->proto;
	m.cie.n = 1;
	pkt_our_cie(nif, &m.cie.e[0], reg_holdtime(nif));
	memset(&m.cie.e[0].nbma, 0, sizeof(m.cie.e[0].nbma));
	memset(&m.cie.e[0].proto, 0, sizeof(m.cie.e[0].proto));
	m.has_responder = m.has_fwd = m.has_rev = true;
	/* Cisco: the NHS as we know it, so that it can tell us how it sees us */
	m.has_nat = true;
	m.nat.n = 1;
	pkt_our_cie(nif, &m.nat.e[0], 0);
	m.nat.e[0].nbma = s->nbma;
	m.nat.e[0].proto = s->proto;
	if (s->expecting) {
		nif_priv(nif)->nhs_misses[s - nif->nhs]++;
		s->req_failed++;	/* the last one had no answer */
	}
	s->reqid = m.reqid;
	s->expecting = true;
	if (s->state == NHRP_NHS_DOWN)
		s->state = NHRP_NHS_PROBE;
	if (nif_priv(nif)->nhs_misses[s - nif->nhs] >= NHRP_NHS_MISSES_DOWN) {
		if (s->state == NHRP_NHS_UP)
			log_warn("NHRP: %s: NHS %s does not answer", nif->c.name,
				 nhrp_addr_str(&s->proto, a, sizeof(a)));
		s->state = NHRP_NHS_PROBE;
		s->responding = false;
	}
	if (!pkt_send(nif, &s->nbma, &m))
		s->req_sent++;
backoff:
	s->next_reg = n->now + s->retry_ms;
	s->retry_ms = s->retry_ms * 2 > NHRP_RETRY_MAX_MS ? NHRP_RETRY_MAX_MS : s->retry_ms * 2;
}

/* Register with every NHS now (an interface added or changed). */
void nhc_start(struct nhrp_if *nif)
{
	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];

		if (!s->retry_ms)
			s->retry_ms = NHRP_RETRY_MIN_MS;
		if (!s->next_reg)
			s->next_reg = nif->n->now;
	}
}

static struct nhrp_nhs *nhs_by_proto(struct nhrp_if *nif, const struct nhrp_addr *proto)
{
	for (int i = 0; i < nif->nnhs; i++)
		if (nhrp_addr_eq(&nif->nhs[i].proto, proto))
			return &nif->nhs[i];
	return NULL;
}

void nhc_reg_reply(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m)
{
	struct nhrp *n = nif->n;
	struct nhrp_nhs *s = nhs_by_proto(nif, &m->dst_proto);
	const struct nhrp_cie *c = m->cie.n ? &m->cie.e[0] : NULL;
	char a[64], b[64];

	if (!s || m->reqid != s->reqid || !nhrp_addr_eq(&m->src_proto, &nif->c.proto)) {
		nif->st.drop[NHRP_DROP_STATE]++;
		return;
	}
	s->expecting = false;
	s->repl_recv++;
	s->repl_at = n->now;
	nif_priv(nif)->nhs_misses[s - nif->nhs] = 0;
	if (!c || c->code != NHRP_CODE_SUCCESS) {
		s->req_failed++;
		log_warn("NHRP: %s: NHS %s refused our registration (code %u%s)", nif->c.name,
			 nhrp_addr_str(&s->proto, a, sizeof(a)), c ? c->code : 0,
			 c && c->code == NHRP_CODE_ALREADY ?
			 ": our address is registered from another NBMA address" : "");
		s->responding = false;
		s->state = NHRP_NHS_PROBE;
		return;	/* the back-off goes on */
	}
	if (s->state != NHRP_NHS_UP) {
		s->up_since = n->now;
		log_info("NHRP: %s: registered with NHS %s (NBMA %s)", nif->c.name,
			 nhrp_addr_str(&s->proto, a, sizeof(a)), nhrp_addr_str(src, b, sizeof(b)));
	}
	s->state = NHRP_NHS_UP;
	s->responding = true;
	s->waiting = false;
	s->retry_ms = NHRP_RETRY_MIN_MS;
	s->next_reg = n->now + reg_interval_ms(nif);
	/* the NAT extension: a CIE for our address with another NBMA is how it sees us */
	memset(&s->nat_nbma, 0, sizeof(s->nat_nbma));
	for (int i = 0; m->has_nat && i < m->nat.n; i++) {
		const struct nhrp_cie *x = &m->nat.e[i];

		if (nhrp_addr_eq(&x->proto, &nif->c.proto) && x->nbma.len &&
		    !nhrp_addr_eq(&x->nbma, &nif->c.nbma)) {
			if (!nhrp_addr_eq(&s->nat_nbma, &x->nbma))
				log_info("NHRP: %s: behind NAT: NHS %s sees us as %s",
					 nif->c.name, nhrp_addr_str(&s->proto, a, sizeof(a)),
					 nhrp_addr_str(&x->nbma, b, sizeof(b)));
			s->nat_nbma = x->nbma;
		}
	}
}

/* An Error Indication: about one of our registrations, the NHS is not answering it. */
void nhc_error(struct nhrp_if *nif, const struct nhrp_msg *m)
{
	char a[64];

	log_warn("NHRP: %s: Error Indication from %s: code %u (%s)", nif->c.name,
		 nhrp_addr_str(&m->src_proto, a, sizeof(a)), m->err_code,
		 m->err_code == NHRP_ERR_AUTH ? "authentication failure" :
		 m->err_code == NHRP_ERR_UNRECOGNIZED_EXT ? "unrecognized extension" :
		 m->err_code == NHRP_ERR_LOOP ? "loop detected" :
		 m->err_code == NHRP_ERR_HOPS ? "hop count exceeded" : "error");
	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];

		if (nhrp_addr_eq(&s->proto, &m->src_proto) && s->state == NHRP_NHS_UP &&
		    m->err_code == NHRP_ERR_AUTH) {
			s->state = NHRP_NHS_PROBE;
			s->responding = false;
		}
	}
}

/* The SAs to an NHS are up: a registration that waited goes now. */
void nhc_sa_up(struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];

		if (!nhrp_addr_eq(&s->nbma, nbma))
			continue;
		/* new SAs may mean a new NHS process: register at once in any case */
		if (s->waiting || s->state != NHRP_NHS_UP || s->expecting) {
			s->retry_ms = NHRP_RETRY_MIN_MS;
			reg_send(nif, s);
		} else {
			s->next_reg = nif->n->now;
		}
	}
}

/* The last SA to an NHS went (the NHS restarted, DPD): register again soon. */
void nhc_sa_down(struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];

		if (!nhrp_addr_eq(&s->nbma, nbma))
			continue;
		s->responding = false;
		s->retry_ms = NHRP_RETRY_MIN_MS;
		s->next_reg = nif->n->now + NHRP_RETRY_MIN_MS;
	}
}

/* Leaving: tell each NHS that answered us to drop our registration (a purge). */
void nhc_deregister(struct nhrp_if *nif)
{
	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];
		struct nhrp_msg m;

		if (s->state != NHRP_NHS_UP)
			continue;
		pkt_init(nif, &m, NHRP_PURGE_REQ, true);
		m.flags = NHRP_FLAG_PURGE_N;
		m.reqid = s->reqid;	/* Cisco: the registration's id */
		m.dst_proto = s->proto;
		m.cie.n = 1;
		pkt_our_cie(nif, &m.cie.e[0], 0);
		memset(&m.cie.e[0].nbma, 0, sizeof(m.cie.e[0].nbma));
		pkt_send(nif, &s->nbma, &m);
		s->state = NHRP_NHS_DOWN;
	}
}

int64_t nhc_tick(struct nhrp_if *nif)
{
	int64_t next = -1;

	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];

		if (s->next_reg && s->next_reg <= nif->n->now)
			reg_send(nif, s);
		if (s->next_reg && (next < 0 || s->next_reg < next))
			next = s->next_reg;
	}
	return next;
}

/* The NHS resolution requests go to: the best UP one by priority, else the first. */
struct nhrp_nhs *nhc_best(struct nhrp_if *nif)
{
	struct nhrp_nhs *best = NULL;

	for (int i = 0; i < nif->nnhs; i++) {
		struct nhrp_nhs *s = &nif->nhs[i];

		if (s->state == NHRP_NHS_UP && (!best || s->priority < best->priority))
			best = s;
	}
	return best ? best : nif->nnhs ? &nif->nhs[0] : NULL;
}

/* Our post-NAT NBMA address as an NHS saw it, or NULL when not behind NAT. */
struct nhrp_addr *nhc_nat(struct nhrp_if *nif)
{
	for (int i = 0; i < nif->nnhs; i++)
		if (nif->nhs[i].nat_nbma.len && nif->nhs[i].state == NHRP_NHS_UP)
			return &nif->nhs[i].nat_nbma;
	return NULL;
}
