// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP cache of an interface: entries keyed by protocol address (a
 * hash), the peers (NBMA addresses) they point at with a count of them,
 * and what the kernel is told: the neighbour mapping of each entry and the
 * multicast list.  An entry is freed only in cache_del (or, at exit,
 * cache_free_all); a peer only in peer_put, when nothing refers to it.
 */
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

static void key_of(struct nhrp_addr *k, const struct nhrp_addr *a)
{
	memset(k, 0, sizeof(*k));
	k->len = a->len;
	memcpy(k->a, a->a, a->len <= 16 ? a->len : 16);
}

struct nhrp_entry *cache_find(struct nhrp_if *nif, const struct nhrp_addr *proto)
{
	struct nhrp_cache *c;
	struct nhrp_addr k;

	key_of(&k, proto);
	HASH_FIND(hh, nif->cache, &k, sizeof(k), c);
	return c ? entry_of(c) : NULL;
}

struct nhrp_entry *cache_add(struct nhrp_if *nif, const struct nhrp_addr *proto,
			     enum nhrp_cache_type type)
{
	struct nhrp_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->pub.nif = nif;
	key_of(&e->pub.proto, proto);
	e->pub.prefix = host_plen(proto);
	e->pub.type = type;
	e->pub.created = nif->n->now;
	HASH_ADD(hh, nif->cache, proto, sizeof(e->pub.proto), &e->pub);
	return e;
}

struct nhrp_peer *peer_get(struct nhrp_if *nif, const struct nhrp_addr *nbma, bool make)
{
	struct nhrp_if_priv *ip = nif_priv(nif);
	struct nhrp_peer *p;
	struct nhrp_addr k;

	key_of(&k, nbma);
	HASH_FIND(hh, ip->peers, &k, sizeof(k), p);
	if (p || !make)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nbma = k;
	HASH_ADD(hh, ip->peers, nbma, sizeof(p->nbma), p);
	return p;
}

bool nbma_is_nhs(const struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	for (int i = 0; i < nif->nnhs; i++)
		if (nhrp_addr_eq(&nif->nhs[i].nbma, nbma))
			return true;
	return nif->c.p2p_dst.len && nhrp_addr_eq(&nif->c.p2p_dst, nbma);
}

void pend_free(struct nhrp_peer *p)
{
	while (p->pend) {
		struct nhrp_pend *q = p->pend;

		p->pend = q->next;
		free(q);
	}
	p->npend = 0;
}

/*
 * Whether the engine's other interface on the same device (the other
 * protocol family: "ip nhrp" and "ipv6 nhrp" on one tunnel) still needs
 * nbma: as a peer of its entries or NHSs, or, with mcast, in the device's
 * multicast list (its static list, or a peer of its with "map multicast
 * dynamic").  The device's SAs and multicast list are shared.
 */
bool sibling_uses(struct nhrp_if *nif, const struct nhrp_addr *nbma, bool mcast)
{
	for (struct nhrp_if *o = nif->n->ifs; o; o = o->next) {
		const struct nhrp_params *p = o->c.p;
		bool peer;

		if (o == nif || o->c.ifindex != nif->c.ifindex)
			continue;
		peer = peer_get(o, nbma, false) || nbma_is_nhs(o, nbma);
		if (!mcast && peer)
			return true;
		if (mcast && peer && p->mcast_dynamic)
			return true;
		for (int i = 0; mcast && i < p->nmcast; i++)
			if (nhrp_addr_eq(&p->mcast[i], nbma))
				return true;
	}
	return false;
}

/*
 * Drop the peer if nothing refers to it; when it had entries, tell the
 * owner its IPsec SAs are no longer ours to keep (never an NHS's, nor a
 * peer the other family's NHRP on the device still has).
 */
void peer_put(struct nhrp_if *nif, struct nhrp_peer *p)
{
	struct nhrp_if_priv *ip = nif_priv(nif);

	if (!p || p->refs > 0 || p->waiting)
		return;
	if (p->pend && p->refs == 0)
		pend_free(p);
	HASH_DEL(ip->peers, p);
	if (!nbma_is_nhs(nif, &p->nbma) && !sibling_uses(nif, &p->nbma, false) &&
	    nif->n->h->peer_gone)
		nif->n->h->peer_gone(nif->n->ctx, nif->c.ifindex, &p->nbma);
	free(p);
}

void cache_wait_sa(struct nhrp_if *nif, struct nhrp_entry *e, bool wait)
{
	struct nhrp_entry **pp;

	if (!!(e->pub.flags & NHRP_CF_WAIT_SA) == wait || !e->peer)
		return;
	if (wait) {
		e->pub.flags |= NHRP_CF_WAIT_SA;
		e->wnext = e->peer->waiting;
		e->peer->waiting = e;
		return;
	}
	e->pub.flags &= ~NHRP_CF_WAIT_SA;
	for (pp = &e->peer->waiting; *pp; pp = &(*pp)->wnext)
		if (*pp == e) {
			*pp = e->wnext;
			break;
		}
	e->wnext = NULL;
}

void cache_set_nbma(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_addr *nbma)
{
	struct nhrp_peer *old = e->peer;

	if (nbma && old && nhrp_addr_eq(&old->nbma, nbma))
		return;
	cache_wait_sa(nif, e, false);
	if (e->mcast)
		cache_mcast(nif, e, false);
	e->peer = NULL;
	memset(&e->pub.nbma, 0, sizeof(e->pub.nbma));
	if (nbma && nbma->len) {
		e->peer = peer_get(nif, nbma, true);
		if (e->peer)
			e->peer->refs++;
		key_of(&e->pub.nbma, nbma);
	}
	if (old) {
		old->refs--;
		peer_put(nif, old);
	}
}

void cache_kernel(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_addr *nbma)
{
	struct nhrp *n = nif->n;

	if (e->shortcut)
		return;		/* a network: a route via its peer, not a neighbour */
	if (nbma && nbma->len) {
		if (nhrp_addr_eq(&e->kern_nbma, nbma))
			return;
		key_of(&e->kern_nbma, nbma);
		if (n->h->neigh)
			n->h->neigh(n->ctx, nif->c.ifindex, &e->pub.proto, nbma);
		return;
	}
	if (!e->kern_nbma.len)
		return;
	memset(&e->kern_nbma, 0, sizeof(e->kern_nbma));
	if (n->h->neigh)
		n->h->neigh(n->ctx, nif->c.ifindex, &e->pub.proto, NULL);
}

/*
 * The multicast list holds each dynamic peer once: the entry that added
 * it takes it out, unless another entry of the same peer has it.
 */
void cache_mcast(struct nhrp_if *nif, struct nhrp_entry *e, bool on)
{
	struct nhrp *n = nif->n;

	if (e->mcast == on || !e->pub.nbma.len)
		return;
	e->mcast = on;
	if (n->h->mcast && (on || !sibling_uses(nif, &e->pub.nbma, true)))
		n->h->mcast(n->ctx, nif->c.ifindex, &e->pub.nbma, on);
}

void cache_del(struct nhrp_if *nif, struct nhrp_entry *e)
{
	nhs_purge_resolvers(nif, e);
	sc_route(nif, e, false);
	cache_kernel(nif, e, NULL);
	cache_set_nbma(nif, e, NULL);
	HASH_DEL(nif->cache, &e->pub);
	free(e->resolvers);
	free(e);
}

void cache_free_all(struct nhrp_if *nif)
{
	struct nhrp_if_priv *ip = nif_priv(nif);
	struct nhrp_cache *c, *tmp;
	struct nhrp_peer *p, *ptmp;

	HASH_ITER(hh, nif->cache, c, tmp) {
		HASH_DEL(nif->cache, c);
		free(entry_of(c)->resolvers);
		free(c);
	}
	HASH_ITER(hh, ip->peers, p, ptmp) {
		HASH_DEL(ip->peers, p);
		pend_free(p);
		free(p);
	}
}

bool in_subnet(const struct nhrp_if *nif, const struct nhrp_addr *a)
{
	const struct nhrp_addr *o = &nif->c.proto;
	unsigned int plen = nif->c.plen, i;

	if (!o->len || a->len != o->len)
		return false;
	if (plen > (unsigned int)o->len * 8)
		plen = o->len * 8u;
	for (i = 0; i + 8 <= plen; i += 8)
		if (a->a[i / 8] != o->a[i / 8])
			return false;
	if (i < plen) {
		uint8_t mask = (uint8_t)(0xff << (8 - (plen - i)));

		if ((a->a[i / 8] ^ o->a[i / 8]) & mask)
			return false;
	}
	return true;
}

/* Expiry, and what cached entries do before it: the next due time (ms) or -1. */
int64_t cache_tick(struct nhrp_if *nif)
{
	struct nhrp *n = nif->n;
	struct nhrp_cache *c, *tmp;
	int64_t next = -1;
	char a[64];

#define DUE(t) do { if ((t) && (next < 0 || (t) < next)) next = (t); } while (0)
	HASH_ITER(hh, nif->cache, c, tmp) {
		struct nhrp_entry *e = entry_of(c);

		if (c->expires && c->expires <= n->now) {
			log_info("NHRP: %s: %s entry %s expired", nif->c.name,
				 nhrp_cache_type_name(c->type), nhrp_addr_str(&c->proto, a, sizeof(a)));
			cache_del(nif, e);
			continue;
		}
		if (c->type == NHRP_CACHE_INCOMPLETE && e->retry_at && e->retry_at <= n->now)
			res_send(nif, e);
		if (c->type == NHRP_CACHE_CACHED && e->refresh_at && e->refresh_at <= n->now) {
			int64_t used = e->peer && n->h->last_used ?
				       n->h->last_used(n->ctx, nif->c.ifindex, &c->nbma) : -1;

			e->refresh_at = 0;
			/* refreshed only if the data path used it since it was learned */
			if (used >= 0 && used > e->used_mark) {
				e->used_mark = used;
				res_send(nif, e);
			}
		}
		DUE(c->expires);
		if (c->type == NHRP_CACHE_INCOMPLETE)
			DUE(e->retry_at);
		if (c->type == NHRP_CACHE_CACHED)
			DUE(e->refresh_at);
	}
#undef DUE
	return next;
}
