// SPDX-License-Identifier: GPL-2.0
/*
 * Phase 3.  A hub with ip nhrp redirect that forwards a packet in and out
 * of the same mGRE interface (the module's TRAFFIC event) sends the
 * packet's source spoke a Traffic Indication, rate limited by ip nhrp
 * max-send.  A spoke with ip nhrp shortcut resolves the packet's
 * destination: the hub forwards the request along its routing table to
 * the spoke behind which the network is, which answers with the prefix of
 * its route (once the IPsec SAs between the spokes are up).  The answer
 * becomes a route to that prefix through the tunnel, next hop the other
 * spoke's tunnel address (protocol dmvpn), and a mapping of that address
 * to its NBMA.  Like any resolved entry it is refreshed only if used and
 * goes when it expires, with its route.
 */
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

static void mask(struct nhrp_addr *net, const struct nhrp_addr *a, uint8_t plen)
{
	*net = *a;
	for (unsigned int i = 0; i < net->len; i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits < 8)
			net->a[i] &= (uint8_t)(0xff << (8 - bits));
	}
}

/* A shortcut, an incomplete or negative entry already about dst. */
static bool covered(struct nhrp_if *nif, const struct nhrp_addr *dst)
{
	struct nhrp_entry *e = cache_find(nif, dst);

	if (e)
		return true;
	for (int plen = host_plen(dst) - 1; plen > 0; plen--) {
		struct nhrp_addr net;

		mask(&net, dst, (uint8_t)plen);
		e = cache_find(nif, &net);
		if (e && e->shortcut && e->pub.prefix == plen)
			return true;
	}
	return false;
}

void sc_route(struct nhrp_if *nif, struct nhrp_entry *e, bool add)
{
	struct nhrp *n = nif->n;

	if (!e->shortcut || e->routed == add || !n->h->route)
		return;
	e->routed = add;
	if (add)
		e->pub.flags |= NHRP_CF_SHORTCUT;
	else
		e->pub.flags &= ~NHRP_CF_SHORTCUT;
	n->h->route(n->ctx, nif->c.ifindex, &e->pub.proto, e->pub.prefix, &e->pub.via, add);
}

/*
 * The header of the packet the hub relayed, as the Traffic Indication
 * carries it: IPv4 (20 bytes, its checksum) or IPv6 (40 bytes, no next
 * header); its length.
 */
static size_t ip_header(uint8_t *h, const struct nhrp_addr *src, const struct nhrp_addr *dst)
{
	uint32_t sum = 0;

	if (src->len == 16) {
		memset(h, 0, 40);
		h[0] = 0x60;
		h[6] = 59;		/* no next header: the header alone */
		h[7] = 64;
		memcpy(h + 8, src->a, 16);
		memcpy(h + 24, dst->a, 16);
		return 40;
	}
	memset(h, 0, 20);
	h[0] = 0x45;
	h[3] = 20;
	h[8] = 64;
	memcpy(h + 12, src->a, 4);
	memcpy(h + 16, dst->a, 4);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h[10] = (uint8_t)(~sum >> 8);
	h[11] = (uint8_t)~sum;
	return 20;
}

/* Hub: the interface relayed src -> dst between two of its peers. */
void sc_traffic(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_addr *dst)
{
	struct nhrp *n = nif->n;
	struct nhrp_addr via;
	struct nhrp_entry *v;
	uint8_t plen = 0, ip[40];
	struct nhrp_msg m;
	char a[64], b[64], c[64];

	if (!nif->c.p->redirect || src->len != nif->c.proto.len || dst->len != src->len ||
	    !n->h->route_get)
		return;
	/* the Traffic Indication goes back where the packet came from */
	if (n->h->route_get(n->ctx, nif->c.ifindex, src, &via, &plen) != 1)
		return;
	v = cache_find(nif, &via);
	if (!v || !v->pub.nbma.len || !pkt_rate_ok(nif))
		return;
	pkt_init(nif, &m, NHRP_TRAFFIC, true);
	m.hops = 1;			/* to the neighbour only, as FRR sends it to IOS */
	m.traffic_code = 0;		/* NHRP traffic redirect */
	m.dst_proto = *src;
	m.data = ip;
	m.data_len = ip_header(ip, src, dst);
	log_dbg_nhrp("NHRP: %s: traffic indication to %s: %s -> %s goes through us", nif->c.name,
		nhrp_addr_str(&via, a, sizeof(a)), nhrp_addr_str(src, b, sizeof(b)),
		nhrp_addr_str(dst, c, sizeof(c)));
	pkt_send(nif, &v->pub.nbma, &m);
}

/* Spoke: a Traffic Indication: resolve the destination of the packet it carries. */
void sc_indication(struct nhrp_if *nif, const struct nhrp_addr *from, const struct nhrp_msg *m)
{
	struct nhrp_addr dst;
	struct nhrp_entry *e;
	char a[64];

	if (!nif->c.p->shortcut || m->traffic_code != 0)
		return;
	/* the relayed packet's destination, from its IPv4 or IPv6 header */
	if (m->pro_type == NHRP_PROTO_IPV4 && m->data_len >= 20 && (m->data[0] >> 4) == 4)
		nhrp_addr_set(&dst, m->data + 16, 4);
	else if (m->pro_type == NHRP_PROTO_IPV6 && m->data_len >= 40 && (m->data[0] >> 4) == 6)
		nhrp_addr_set(&dst, m->data + 24, 16);
	else
		return;
	if (in_subnet(nif, &dst)) {
		res_miss(nif, &dst);	/* a tunnel address: phase 2's way */
		return;
	}
	if (covered(nif, &dst) || !nhc_best(nif))
		return;
	e = cache_add(nif, &dst, NHRP_CACHE_INCOMPLETE);
	if (!e)
		return;
	e->requested = true;
	e->shortcut = true;
	log_info("NHRP: %s: traffic indication for %s: resolving a shortcut", nif->c.name,
		 nhrp_addr_str(&dst, a, sizeof(a)));
	res_send(nif, e);
}

/* The answer to a shortcut's request: the network behind the peer, and the peer. */
void sc_reply(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_msg *m,
	      const struct nhrp_cie *c, const struct nhrp_addr *nbma)
{
	struct nhrp *n = nif->n;
	uint8_t plen = c->prefix && c->prefix <= host_plen(&m->dst_proto) ? c->prefix :
		       host_plen(&m->dst_proto);
	uint16_t hold = c->holdtime ? c->holdtime : NHRP_HOLDTIME_DEFAULT;
	struct nhrp_entry *peer, *net;
	struct nhrp_addr key;
	bool ready;
	char a[64], b[64];

	if (!c->proto.len || !in_subnet(nif, &c->proto) ||
	    nhrp_addr_eq(&c->proto, &nif->c.proto)) {
		nif->st.drop[NHRP_DROP_CIE]++;
		return;
	}
	/* the peer's tunnel address: the route's next hop, mapped to its NBMA */
	peer = cache_find(nif, &c->proto);
	if (!peer)
		peer = cache_add(nif, &c->proto, NHRP_CACHE_CACHED);
	if (!peer)
		return;
	if (peer->pub.type == NHRP_CACHE_CACHED || peer->pub.type == NHRP_CACHE_INCOMPLETE ||
	    peer->pub.type == NHRP_CACHE_NEGATIVE) {
		peer->pub.type = NHRP_CACHE_CACHED;
		peer->pub.flags |= NHRP_CF_ROUTER;
		peer->retry_at = 0;
		peer->pub.holdtime = hold;
		peer->pub.expires = n->now + hold * 1000LL;
		cache_set_nbma(nif, peer, nbma);
	}
	/* the network: the entry is keyed by its address */
	mask(&key, &m->dst_proto, plen);
	net = cache_find(nif, &key);
	if (net && net != e && !net->shortcut)
		return;		/* an address of ours to know otherwise */
	if (!net) {
		net = cache_add(nif, &key, NHRP_CACHE_CACHED);
		if (!net)
			return;
		net->shortcut = true;
		net->requested = true;
	}
	if (net != e)
		cache_del(nif, e);	/* the host that started it: the network covers it */
	if (net->routed && !nhrp_addr_eq(&net->pub.via, &c->proto))
		sc_route(nif, net, false);	/* another peer has it now */
	if (!net->routed && net->pub.type != NHRP_CACHE_CACHED)
		log_info("NHRP: %s: shortcut %s/%u via %s (NBMA %s)", nif->c.name,
			 nhrp_addr_str(&key, a, sizeof(a)), plen,
			 nhrp_addr_str(&c->proto, b, sizeof(b)), nhrp_addr_str(nbma, a + 32, 32));
	net->pub.type = NHRP_CACHE_CACHED;
	net->pub.prefix = plen;
	net->pub.via = c->proto;
	net->pub.flags |= NHRP_CF_ROUTER;
	net->retry_at = 0;
	net->tries = 0;
	net->pub.holdtime = hold;
	net->pub.expires = n->now + hold * 1000LL;
	net->refresh_at = net->pub.expires - hold * 1000LL / 6;
	if (!net->used_mark)
		net->used_mark = n->now;
	cache_set_nbma(nif, net, nbma);
	ready = !n->h->sa_ready || n->h->sa_ready(n->ctx, nif->c.ifindex, nbma);
	if (ready) {
		cache_wait_sa(nif, peer, false);
		cache_kernel(nif, peer, nbma);
		cache_wait_sa(nif, net, false);
		sc_route(nif, net, true);
	} else {
		cache_wait_sa(nif, peer, true);
		cache_wait_sa(nif, net, true);
	}
}
