// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP engine as an object: its interfaces and their settings (our
 * own copy, so a reload can free the configuration), the static entries
 * the settings make, a received packet checked and handed to its part,
 * the kernel's events, the timers, request ids.
 */
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

int nhrp_init(struct nhrp *n, const struct nhrp_hooks *h, void *ctx)
{
	memset(n, 0, sizeof(*n));
	n->h = h;
	n->ctx = ctx;
	return 0;
}

uint32_t nhrp_reqid(struct nhrp *n)
{
	if (!n->reqid_left) {
		n->reqid_next = n->h->reqid_reserve ?
				n->h->reqid_reserve(n->ctx, NHRP_REQID_BLOCK) : n->reqid_next + 1;
		n->reqid_left = NHRP_REQID_BLOCK;
	}
	n->reqid_left--;
	if (!n->reqid_next)	/* 0 is never an id */
		n->reqid_next++;
	return n->reqid_next++;
}

const char *nhrp_cache_type_name(enum nhrp_cache_type t)
{
	static const char *const names[] = {
		[NHRP_CACHE_STATIC] = "static",
		[NHRP_CACHE_DYNAMIC] = "dynamic",
		[NHRP_CACHE_NHS] = "nhs",
		[NHRP_CACHE_CACHED] = "cached",
		[NHRP_CACHE_INCOMPLETE] = "incomplete",
		[NHRP_CACHE_NEGATIVE] = "negative",
		[NHRP_CACHE_LOCAL] = "local",
	};

	return (unsigned int)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

struct nhrp_if *nhrp_if_get(struct nhrp *n, int ifindex)
{
	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next)
		if (nif->c.ifindex == ifindex)
			return nif;
	return NULL;
}

struct nhrp_if *nhrp_if_find(struct nhrp *n, int ifindex, uint8_t alen)
{
	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next)
		if (nif->c.ifindex == ifindex && nif->c.proto.len == alen)
			return nif;
	return NULL;
}

static void params_free(struct nhrp_params *p)
{
	free(p->maps);
	free(p->mcast);
	free(p->nhs);
	memset(p, 0, sizeof(*p));
}

static int params_copy(struct nhrp_params *to, const struct nhrp_params *from)
{
	*to = *from;
	to->maps = NULL;
	to->mcast = NULL;
	to->nhs = NULL;
	if (from->nmaps) {
		to->maps = malloc(sizeof(*to->maps) * (size_t)from->nmaps);
		if (!to->maps)
			goto fail;
		memcpy(to->maps, from->maps, sizeof(*to->maps) * (size_t)from->nmaps);
	}
	if (from->nmcast) {
		to->mcast = malloc(sizeof(*to->mcast) * (size_t)from->nmcast);
		if (!to->mcast)
			goto fail;
		memcpy(to->mcast, from->mcast, sizeof(*to->mcast) * (size_t)from->nmcast);
	}
	if (from->nnhs) {
		to->nhs = malloc(sizeof(*to->nhs) * (size_t)from->nnhs);
		if (!to->nhs)
			goto fail;
		memcpy(to->nhs, from->nhs, sizeof(*to->nhs) * (size_t)from->nnhs);
	}
	return 0;
fail:
	params_free(to);
	return -1;
}

static const struct nhrp_addr *map_of(const struct nhrp_params *p, const struct nhrp_addr *proto)
{
	for (int i = 0; i < p->nmaps; i++)
		if (nhrp_addr_eq(&p->maps[i].proto, proto))
			return &p->maps[i].nbma;
	return NULL;
}

/* The NHS list from the settings; an NHS that stays keeps its state. */
static int nhs_apply(struct nhrp_if *nif)
{
	struct nhrp_if_priv *ip = nif_priv(nif);
	const struct nhrp_params *p = &ip->p;
	struct nhrp_nhs *v = calloc((size_t)p->nnhs + 1, sizeof(*v));
	uint32_t *miss = calloc((size_t)p->nnhs + 1, sizeof(*miss));

	if (!v || !miss) {
		free(v);
		free(miss);
		return -1;
	}
	for (int i = 0; i < p->nnhs; i++) {
		const struct nhrp_nhs_conf *c = &p->nhs[i];
		const struct nhrp_addr *nbma = c->nbma.len ? &c->nbma : map_of(p, &c->proto);

		for (int j = 0; j < nif->nnhs; j++)
			if (nhrp_addr_eq(&nif->nhs[j].proto, &c->proto) &&
			    (!nbma || nhrp_addr_eq(&nif->nhs[j].nbma, nbma))) {
				v[i] = nif->nhs[j];
				miss[i] = ip->nhs_misses[j];
			}
		v[i].proto = c->proto;
		if (nbma)
			v[i].nbma = *nbma;
		v[i].priority = c->priority;
		v[i].cluster = c->cluster;
	}
	free(nif->nhs);
	free(ip->nhs_misses);
	nif->nhs = v;
	ip->nhs_misses = miss;
	nif->nnhs = p->nnhs;
	return 0;
}

/* Static entries (ip nhrp map, an NHS's nbma, our own address) as the settings say. */
static void statics_apply(struct nhrp_if *nif)
{
	const struct nhrp_params *p = nif->c.p;
	struct nhrp_cache *c, *tmp;
	struct nhrp_entry *e;

	HASH_ITER(hh, nif->cache, c, tmp) {
		e = entry_of(c);
		if (c->type == NHRP_CACHE_STATIC || c->type == NHRP_CACHE_NHS) {
			const struct nhrp_addr *want = map_of(p, &c->proto);

			for (int i = 0; !want && i < nif->nnhs; i++)
				if (nhrp_addr_eq(&nif->nhs[i].proto, &c->proto) &&
				    nif->nhs[i].nbma.len)
					want = &nif->nhs[i].nbma;
			if (!want || !nhrp_addr_eq(want, &c->nbma))
				cache_del(nif, e);
		} else if (c->type == NHRP_CACHE_LOCAL &&
			   !nhrp_addr_eq(&c->proto, &nif->c.proto)) {
			cache_del(nif, e);
		}
	}
	for (int i = 0; i < p->nmaps + nif->nnhs; i++) {
		bool map = i < p->nmaps;
		const struct nhrp_addr *proto = map ? &p->maps[i].proto :
						&nif->nhs[i - p->nmaps].proto;
		const struct nhrp_addr *nbma = map ? &p->maps[i].nbma :
					       &nif->nhs[i - p->nmaps].nbma;

		if (!nbma->len)
			continue;
		e = cache_find(nif, proto);
		if (e && (e->pub.type == NHRP_CACHE_STATIC || e->pub.type == NHRP_CACHE_NHS))
			continue;
		if (e)
			cache_del(nif, e);	/* learned before it was configured */
		e = cache_add(nif, proto, map ? NHRP_CACHE_STATIC : NHRP_CACHE_NHS);
		if (!e)
			continue;
		e->pub.flags = NHRP_CF_NHOP;
		cache_set_nbma(nif, e, nbma);
		cache_kernel(nif, e, nbma);
	}
	if (nif->c.proto.len && !cache_find(nif, &nif->c.proto)) {
		e = cache_add(nif, &nif->c.proto, NHRP_CACHE_LOCAL);
		if (e)
			e->pub.nbma = nif->c.nbma;	/* no peer: it is us */
	}
	for (int i = 0; i < p->nmcast; i++)
		if (nif->n->h->mcast)
			nif->n->h->mcast(nif->n->ctx, nif->c.ifindex, &p->mcast[i], true);
}

struct nhrp_if *nhrp_if_set(struct nhrp *n, const struct nhrp_if_conf *c)
{
	struct nhrp_if *nif = nhrp_if_find(n, c->ifindex, c->proto.len);
	struct nhrp_if_priv *ip;
	struct nhrp_params p;
	bool fresh = !nif;

	if (params_copy(&p, c->p))
		return NULL;
	if (fresh) {
		ip = calloc(1, sizeof(*ip));
		if (!ip) {
			params_free(&p);
			return NULL;
		}
		nif = &ip->pub;
		nif->n = n;
		nif->next = n->ifs;
		n->ifs = nif;
	}
	ip = nif_priv(nif);
	if (!fresh && (!nhrp_addr_eq(&nif->c.proto, &c->proto) ||
		       !nhrp_addr_eq(&nif->c.nbma, &c->nbma))) {
		/* new addresses: nothing learned holds; start again */
		struct nhrp_cache *e, *tmp;

		HASH_ITER(hh, nif->cache, e, tmp)
			cache_del(nif, entry_of(e));
		for (int i = 0; i < nif->nnhs; i++)
			memset(&nif->nhs[i], 0, sizeof(nif->nhs[i]));
	}
	params_free(&ip->p);
	ip->p = p;
	nif->c = *c;
	nif->c.p = &ip->p;
	if (nhs_apply(nif))
		log_err("NHRP: %s: out of memory for its NHSs", c->name);
	statics_apply(nif);
	nhc_start(nif);
	return nif;
}

static void if_free(struct nhrp_if *nif)
{
	struct nhrp_if_priv *ip = nif_priv(nif);

	cache_free_all(nif);
	params_free(&ip->p);
	free(nif->nhs);
	free(ip->nhs_misses);
	free(ip->rx_slots);
	free(ip);
}

static void if_del(struct nhrp *n, struct nhrp_if *nif)
{
	struct nhrp_if **pp;
	struct nhrp_cache *c, *tmp;

	nhc_deregister(nif);
	HASH_ITER(hh, nif->cache, c, tmp)
		cache_del(nif, entry_of(c));
	for (int i = 0; i < nif->c.p->nmcast; i++)
		if (n->h->mcast && !sibling_uses(nif, &nif->c.p->mcast[i], true))
			n->h->mcast(n->ctx, nif->c.ifindex, &nif->c.p->mcast[i], false);
	for (pp = &n->ifs; *pp != nif; pp = &(*pp)->next)
		;
	*pp = nif->next;
	if_free(nif);
}

void nhrp_if_del(struct nhrp *n, int ifindex, uint8_t alen)
{
	struct nhrp_if *nif;

	while ((nif = alen ? nhrp_if_find(n, ifindex, alen) : nhrp_if_get(n, ifindex)))
		if_del(n, nif);
}

void nhrp_fini(struct nhrp *n)
{
	while (n->ifs) {
		struct nhrp_if *nif = n->ifs;

		n->ifs = nif->next;
		if_free(nif);
	}
}

static void drop(struct nhrp_if *nif, const struct nhrp_addr *src, enum nhrp_drop d)
{
	struct nhrp_if_priv *ip = nif_priv(nif);
	char a[64];

	nif->st.drop[d]++;
	if (ip->drop_log_at && nif->n->now - ip->drop_log_at < NHRP_DROP_LOG_MS)
		return;
	ip->drop_log_at = nif->n->now;
	log_warn("NHRP: %s: dropped a packet from %s: %s (further drops are counted; "
		 "show ip nhrp traffic)", nif->c.name, nhrp_addr_str(src, a, sizeof(a)),
		 nhrp_drop_name(d));
}

void nhrp_input(struct nhrp *n, int ifindex, const struct nhrp_addr *src_nbma,
		const uint8_t *pkt, size_t len)
{
	struct nhrp_if *nif = NULL;
	enum nhrp_drop d;
	struct nhrp_msg m;

	/* the interface of the packet's protocol type (ip nhrp or ipv6 nhrp on the device) */
	if (len >= 4) {
		uint16_t pt = (uint16_t)(pkt[2] << 8 | pkt[3]);

		nif = nhrp_if_find(n, ifindex, pt == NHRP_PROTO_IPV6 ? 16 : 4);
	}
	if (!nif)
		nif = nhrp_if_get(n, ifindex);	/* the drop is counted there */
	if (!nif)
		return;
	/* a point-to-point tunnel's packets have no link-layer source: its destination's */
	if (!src_nbma->len && nif->c.p2p_dst.len)
		src_nbma = &nif->c.p2p_dst;
	else if (!src_nbma->len)
		return;
	if (!rx_limit_ok(nif, src_nbma, pkt, len)) {
		drop(nif, src_nbma, NHRP_DROP_RATE);
		return;
	}
	d = nhrp_parse(pkt, len, &m);
	if (d == NHRP_DROP_EXT_UNKNOWN) {
		pkt_error(nif, src_nbma, &m, NHRP_ERR_UNRECOGNIZED_EXT, m.bad_ext_offset, pkt, len);
		drop(nif, src_nbma, d);
		return;
	}
	if (d != NHRP_OK) {
		drop(nif, src_nbma, d);
		return;
	}
	if (m.type < 9)
		nif->st.rx[m.type]++;
	pkt_log(nif, "Receive", &m, len);
	if ((m.pro_type == NHRP_PROTO_IPV6) != (nif->c.proto.len == 16)) {
		drop(nif, src_nbma, NHRP_DROP_PROTO);
		return;
	}
	if (!pkt_auth_ok(nif, &m)) {
		pkt_error(nif, src_nbma, &m, NHRP_ERR_AUTH, 0, pkt, len);
		drop(nif, src_nbma, NHRP_DROP_AUTH);
		return;
	}
	switch (m.type) {
	case NHRP_REG_REQ:
		nhs_reg_request(nif, src_nbma, &m);
		break;
	case NHRP_REG_REP:
		nhc_reg_reply(nif, src_nbma, &m);
		break;
	case NHRP_RES_REQ:
		res_request(nif, src_nbma, &m, pkt, len);
		break;
	case NHRP_RES_REP:
		res_reply(nif, src_nbma, &m);
		break;
	case NHRP_PURGE_REQ:
		nhs_purge_request(nif, src_nbma, &m);
		break;
	case NHRP_ERROR:
		nhc_error(nif, &m);
		break;
	case NHRP_TRAFFIC:
		sc_indication(nif, src_nbma, &m);
		break;
	default:	/* purge replies */
		break;
	}
}

void nhrp_miss(struct nhrp *n, int ifindex, const struct nhrp_addr *dst)
{
	struct nhrp_if *nif = nhrp_if_find(n, ifindex, dst->len);

	if (nif)
		res_miss(nif, dst);
}

void nhrp_traffic(struct nhrp *n, int ifindex, const struct nhrp_addr *src,
		  const struct nhrp_addr *dst)
{
	struct nhrp_if *nif = nhrp_if_find(n, ifindex, dst->len);

	if (nif && src->len == dst->len)
		sc_traffic(nif, src, dst);
}

static void sa_up(struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	struct nhrp_peer *p;
	struct nhrp_entry *e, *next;

	p = peer_get(nif, nbma, false);
	if (p) {
		e = p->waiting;
		p->waiting = NULL;
		for (; e; e = next) {
			next = e->wnext;
			e->wnext = NULL;
			e->pub.flags &= ~NHRP_CF_WAIT_SA;
			if (e->shortcut)
				sc_route(nif, e, true);
			else
				cache_kernel(nif, e, &e->pub.nbma);
		}
		pkt_flush(nif, p);
		if (!p->refs) {		/* it held only delayed packets */
			HASH_DEL(nif_priv(nif)->peers, p);
			free(p);
		}
	}
	nhc_sa_up(nif, nbma);
}

/* The device's SAs are both families' (ip nhrp and ipv6 nhrp on one tunnel). */
void nhrp_sa_up(struct nhrp *n, int ifindex, const struct nhrp_addr *nbma)
{
	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next)
		if (nif->c.ifindex == ifindex)
			sa_up(nif, nbma);
}

/*
 * The last SA to a peer went (it deleted them, DPD found it dead): what we
 * learned about it by resolution goes too, so that traffic falls back to
 * the hub and resolves again instead of going nowhere.  Its registration
 * (hub) stays until its hold time: it may come back with new SAs.
 */
static void sa_down(struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	struct nhrp_cache *c, *tmp;
	struct nhrp_peer *p;

	nhc_sa_down(nif, nbma);
	p = peer_get(nif, nbma, false);
	if (!p || nbma_is_nhs(nif, nbma))
		return;
	HASH_ITER(hh, nif->cache, c, tmp)
		if (entry_of(c)->peer == p && c->type == NHRP_CACHE_CACHED)
			cache_del(nif, entry_of(c));
}

void nhrp_sa_down(struct nhrp *n, int ifindex, const struct nhrp_addr *nbma)
{
	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next)
		if (nif->c.ifindex == ifindex)
			sa_down(nif, nbma);
}

/*
 * IKE towards a peer we waited for failed: two spokes behind two
 * port-restricted NATs (neither lets the other's IKE in), or a peer that
 * is gone.  The replies delayed for it are dropped; what we learned from
 * its requests (cached, waiting) goes, so traffic stays with the NHS and a
 * new request starts over; what we resolved ourselves is negative for
 * NHRP_NEGATIVE_MS (through the NHS meanwhile), then resolved again.
 */
static void sa_failed(struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	struct nhrp *n = nif->n;
	struct nhrp_nhs *s = nhc_best(nif);
	struct nhrp_entry *e, *next;
	struct nhrp_peer *p;
	int dropped = 0, moved = 0;
	char a[64];

	if (nbma_is_nhs(nif, nbma))
		return;		/* the NHS: registration has its own back-off */
	p = peer_get(nif, nbma, false);
	if (!p)
		return;
	dropped = p->npend;
	pend_free(p);
	e = p->waiting;
	p->waiting = NULL;
	p->refs++;		/* p stays while its entries go */
	for (; e; e = next) {
		next = e->wnext;
		e->wnext = NULL;
		e->pub.flags &= ~NHRP_CF_WAIT_SA;
		moved++;
		if (!e->requested || e->shortcut) {
			cache_del(nif, e);
			continue;
		}
		e->pub.type = NHRP_CACHE_NEGATIVE;
		e->pub.expires = n->now + NHRP_NEGATIVE_MS;
		e->retry_at = 0;
		e->tries = 0;
		cache_set_nbma(nif, e, NULL);
		if (s)
			cache_kernel(nif, e, &s->nbma);
	}
	p->refs--;
	if (dropped || moved)
		log_info("NHRP: %s: IPsec to %s failed: traffic stays with the NHS (%d entries "
			 "waited, %d delayed replies dropped)", nif->c.name,
			 nhrp_addr_str(nbma, a, sizeof(a)), moved, dropped);
	peer_put(nif, p);
}

/* Both families' entries on the device wait for the same SAs. */
void nhrp_sa_failed(struct nhrp *n, int ifindex, const struct nhrp_addr *nbma)
{
	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next)
		if (nif->c.ifindex == ifindex)
			sa_failed(nif, nbma);
}

int64_t nhrp_tick(struct nhrp *n)
{
	int64_t next = -1;

	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next) {
		int64_t a = nhc_tick(nif), b = cache_tick(nif);

		if (a >= 0 && (next < 0 || a < next))
			next = a;
		if (b >= 0 && (next < 0 || b < next))
			next = b;
	}
	return next < 0 ? -1 : next > n->now ? next - n->now : 0;
}

int nhrp_cache_clear(struct nhrp *n, int ifindex, const struct nhrp_addr *proto, uint8_t alen)
{
	int cleared = 0;

	for (struct nhrp_if *nif = n->ifs; nif; nif = nif->next) {
		struct nhrp_cache *c, *tmp;

		if ((ifindex && nif->c.ifindex != ifindex) || (alen && nif->c.proto.len != alen) ||
		    (proto && nif->c.proto.len != proto->len))
			continue;
		HASH_ITER(hh, nif->cache, c, tmp) {
			if (c->type == NHRP_CACHE_STATIC || c->type == NHRP_CACHE_NHS ||
			    c->type == NHRP_CACHE_LOCAL)
				continue;
			if (proto && !nhrp_addr_eq(&c->proto, proto))
				continue;
			cache_del(nif, entry_of(c));
			cleared++;
		}
	}
	return cleared;
}
