// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP engine driven as dmvpnd drives it, but over an in-memory wire
 * and a fake clock: a hub and spokes, each a struct nhrp with hooks that
 * record what it asks of the kernel (mappings, multicast list, IPsec).
 * Registration (seed 004's sizes), the hub's cache and multicast list,
 * resolution forwarded by the hub and answered by the owner only once
 * the IPsec SAs are up (seed 002), authentication refused, unique
 * registrations, NAT, back-off, expiry and the peer's SAs let go.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "check.h"
#include "nhrp/nhrp.h"
#include "nhrp/priv.h"

#define NODES 4
#define QMAX 64

struct pkt {
	int from;
	struct nhrp_addr to;
	size_t len;
	uint8_t b[NHRP_PKT_MAX];
};

struct node {
	struct nhrp n;
	struct nhrp_params p;
	struct nhrp_nhs_conf nhs;
	struct nhrp_map_conf map;
	struct nhrp_addr nbma, claimed, proto;
	/* dual stack: "ipv6 nhrp" on the same device, settings of its own */
	struct nhrp_params p6;
	struct nhrp_nhs_conf nhs6;
	struct nhrp_map_conf map6;
	/* what the kernel was told */
	struct { struct nhrp_addr proto, nbma; } neigh[16];
	int nneigh;
	struct nhrp_addr mcast[16];
	int nmcast;
	/* its routing table (phase 3): prefix/plen via (len 0: out of another device) */
	struct { struct nhrp_addr net, via; uint8_t plen; } rt[8];
	int nrt;
	/* the shortcut routes it was told of */
	struct { struct nhrp_addr net, via; uint8_t plen; } sc[8];
	int nsc;
	bool sa_ready;		/* false: sa_ready() says no and counts */
	int sa_asked;
	int gone;
	struct nhrp_addr gone_nbma;
	uint32_t reqid;
};

static struct node nodes[NODES];
static struct pkt q[QMAX];
static int nq;
static int64_t now = 1000000;

static struct nhrp_addr A(const char *s)
{
	struct nhrp_addr a = { 0 };
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1)
		nhrp_addr_set(&a, b, 4);
	else if (inet_pton(AF_INET6, s, b) == 1)
		nhrp_addr_set(&a, b, 16);
	return a;
}

static int h_send(void *ctx, int ifindex, const struct nhrp_addr *nbma, const uint8_t *p,
		  size_t len)
{
	struct node *me = ctx;

	if (nq == QMAX || len > NHRP_PKT_MAX)
		return -1;
	q[nq].from = (int)(me - nodes);
	q[nq].to = *nbma;
	q[nq].len = len;
	memcpy(q[nq].b, p, len);
	nq++;
	return 0;
}

static int neigh_find(struct node *x, const struct nhrp_addr *proto)
{
	for (int i = 0; i < x->nneigh; i++)
		if (nhrp_addr_eq(&x->neigh[i].proto, proto))
			return i;
	return -1;
}

static void h_neigh(void *ctx, int ifindex, const struct nhrp_addr *proto,
		    const struct nhrp_addr *nbma)
{
	struct node *x = ctx;
	int i = neigh_find(x, proto);

	if (!nbma) {
		if (i >= 0)
			x->neigh[i] = x->neigh[--x->nneigh];
		return;
	}
	if (i < 0 && x->nneigh < 16)
		i = x->nneigh++;
	if (i >= 0) {
		x->neigh[i].proto = *proto;
		x->neigh[i].nbma = *nbma;
	}
}

static void h_mcast(void *ctx, int ifindex, const struct nhrp_addr *nbma, bool add)
{
	struct node *x = ctx;

	for (int i = 0; i < x->nmcast; i++)
		if (nhrp_addr_eq(&x->mcast[i], nbma)) {
			if (!add)
				x->mcast[i] = x->mcast[--x->nmcast];
			return;
		}
	if (add && x->nmcast < 16)
		x->mcast[x->nmcast++] = *nbma;
}

static bool h_sa_ready(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	struct node *x = ctx;

	if (!x->sa_ready)
		x->sa_asked++;
	return x->sa_ready;
}

static int64_t h_last_used(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	return -1;
}

static void h_peer_gone(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	struct node *x = ctx;

	x->gone++;
	x->gone_nbma = *nbma;
}

static uint32_t h_reqid(void *ctx, uint32_t count)
{
	struct node *x = ctx;
	uint32_t first = x->reqid;

	x->reqid += count;
	return first;
}

static bool in_net(const struct nhrp_addr *a, const struct nhrp_addr *net, uint8_t plen)
{
	if (a->len != net->len)
		return false;
	for (unsigned int i = 0; i < a->len; i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

		if ((a->a[i] & m) != (net->a[i] & m))
			return false;
	}
	return true;
}

static int h_route_get(void *ctx, int ifindex, const struct nhrp_addr *dst,
		       struct nhrp_addr *via, uint8_t *plen)
{
	struct node *x = ctx;
	int best = -1;

	for (int i = 0; i < x->nrt; i++)
		if (in_net(dst, &x->rt[i].net, x->rt[i].plen) &&
		    (best < 0 || x->rt[i].plen > x->rt[best].plen))
			best = i;
	if (best < 0)
		return -1;
	*plen = x->rt[best].plen;
	if (!x->rt[best].via.len)
		return 0;
	*via = x->rt[best].via;
	return 1;
}

static void h_route(void *ctx, int ifindex, const struct nhrp_addr *prefix, uint8_t plen,
		    const struct nhrp_addr *via, bool add)
{
	struct node *x = ctx;

	for (int i = 0; i < x->nsc; i++)
		if (nhrp_addr_eq(&x->sc[i].net, prefix) && x->sc[i].plen == plen) {
			if (!add)
				x->sc[i] = x->sc[--x->nsc];
			return;
		}
	if (add && x->nsc < 8) {
		x->sc[x->nsc].net = *prefix;
		x->sc[x->nsc].plen = plen;
		x->sc[x->nsc].via = *via;
		x->nsc++;
	}
}

static void route(int i, const char *net, uint8_t plen, const char *via)
{
	struct node *x = &nodes[i];

	x->rt[x->nrt].net = A(net);
	x->rt[x->nrt].plen = plen;
	memset(&x->rt[x->nrt].via, 0, sizeof(x->rt[x->nrt].via));
	if (via)
		x->rt[x->nrt].via = A(via);
	x->nrt++;
}

static const struct nhrp_hooks hooks = {
	h_send, h_neigh, h_mcast, h_route, h_sa_ready, h_last_used, h_peer_gone, h_reqid,
	h_route_get,
};

/* node i: overlay proto/24, NBMA nbma; spokes register with the hub (node 0) */
static void node_up(int i, const char *proto, const char *nbma, bool spoke, const char *auth)
{
	struct node *x = &nodes[i];
	struct nhrp_if_conf c = { 0 };

	memset(x, 0, sizeof(*x));
	x->reqid = 65540;
	x->sa_ready = true;
	nhrp_init(&x->n, &hooks, x);
	x->n.now = now;
	x->proto = A(proto);
	x->nbma = A(nbma);
	x->p.enabled = true;
	x->p.network_id = 1;
	x->p.holdtime = NHRP_HOLDTIME_DEFAULT;
	x->p.max_send = NHRP_MAX_SEND_DEFAULT;
	x->p.max_send_every = NHRP_MAX_SEND_EVERY;
	if (auth) {
		x->p.auth_len = (uint8_t)strlen(auth);
		memcpy(x->p.auth, auth, x->p.auth_len);
	}
	if (spoke) {
		x->map.proto = A("10.1.1.254");
		x->map.nbma = A("172.16.10.1");
		x->p.maps = &x->map;
		x->p.nmaps = 1;
		x->nhs.proto = A("10.1.1.254");
		x->p.nhs = &x->nhs;
		x->p.nnhs = 1;
	} else {
		x->p.mcast_dynamic = true;
	}
	c.ifindex = 7;
	snprintf(c.name, sizeof(c.name), "Tunnel0");
	c.nbma = x->claimed.len ? x->claimed : x->nbma;
	c.proto = x->proto;
	c.plen = 24;
	c.mtu = 17912;
	c.protected = true;
	c.p = &x->p;
	CHECK(nhrp_if_set(&x->n, &c) != NULL);
}

/*
 * Node i's IPv6 overlay NHRP on the same device (ifindex 7) as its IPv4
 * one: proto/64, the hub 2001:db8:100::1 at the hub's NBMA (IPv4).
 */
static void node_up6(int i, const char *proto, bool spoke, const char *auth)
{
	struct node *x = &nodes[i];
	struct nhrp_if_conf c = { 0 };

	memset(&x->p6, 0, sizeof(x->p6));
	x->p6.enabled = true;
	x->p6.network_id = 1;
	x->p6.holdtime = 300;
	x->p6.max_send = NHRP_MAX_SEND_DEFAULT;
	x->p6.max_send_every = NHRP_MAX_SEND_EVERY;
	if (auth) {
		x->p6.auth_len = (uint8_t)strlen(auth);
		memcpy(x->p6.auth, auth, x->p6.auth_len);
	}
	if (spoke) {
		x->map6.proto = A("2001:db8:100::1");
		x->map6.nbma = A("172.16.10.1");
		x->map6.plen = 64;
		x->p6.maps = &x->map6;
		x->p6.nmaps = 1;
		x->nhs6.proto = A("2001:db8:100::1");
		x->p6.nhs = &x->nhs6;
		x->p6.nnhs = 1;
	} else {
		x->p6.mcast_dynamic = true;
	}
	c.ifindex = 7;
	snprintf(c.name, sizeof(c.name), "Tunnel0");
	c.nbma = x->nbma;
	c.proto = A(proto);
	c.plen = 64;
	c.mtu = 17912;
	c.protected = true;
	c.p = &x->p6;
	CHECK(nhrp_if_set(&x->n, &c) != NULL);
}

/* Deliver every packet queued (and those they cause), from the sender's NBMA. */
static int deliver(void)
{
	int count = 0;

	while (nq) {
		struct pkt p = q[0];

		memmove(q, q + 1, sizeof(q[0]) * (size_t)--nq);
		count++;
		for (int i = 0; i < NODES; i++)
			if (nodes[i].n.h && nhrp_addr_eq(&nodes[i].nbma, &p.to)) {
				nodes[i].n.now = now;
				nhrp_input(&nodes[i].n, 7, &nodes[p.from].nbma, p.b, p.len);
			}
	}
	return count;
}

static void tick_all(void)
{
	for (int i = 0; i < NODES; i++)
		if (nodes[i].n.h) {
			nodes[i].n.now = now;
			nhrp_tick(&nodes[i].n);
		}
}

static struct nhrp_cache *entry(int i, const char *proto)
{
	struct nhrp_addr k = A(proto);
	struct nhrp_if *nif = nhrp_if_find(&nodes[i].n, 7, k.len);
	struct nhrp_cache *c;

	if (!nif)
		return NULL;
	HASH_FIND(hh, nif->cache, &k, sizeof(k), c);
	return c;
}

static bool neigh_is(int i, const char *proto, const char *nbma)
{
	struct nhrp_addr p = A(proto), n = A(nbma);
	int j = neigh_find(&nodes[i], &p);

	return j >= 0 && nhrp_addr_eq(&nodes[i].neigh[j].nbma, &n);
}

static void all_down(void)
{
	for (int i = 0; i < NODES; i++)
		if (nodes[i].n.h) {
			nhrp_fini(&nodes[i].n);
			nodes[i].n.h = NULL;
		}
	nq = 0;
}

static void test_register(void)
{
	struct nhrp_if *sif, *hif;
	struct nhrp_msg m;
	struct nhrp_cache *c;

	node_up(0, "10.1.1.254", "172.16.10.1", false, "NHRPAUTH");
	node_up(1, "10.1.1.1", "172.16.1.1", true, "NHRPAUTH");
	/* the static map is in the kernel at once, the request goes on the first tick */
	CHECK(neigh_is(1, "10.1.1.254", "172.16.10.1"));
	tick_all();
	CHECK(nq == 1);
	CHECK(q[0].len == 108);		/* seed 004 */
	CHECK(nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK);
	CHECK(m.type == NHRP_REG_REQ && m.flags == 0x8002 && m.reqid == 65540);
	CHECK(m.cie.n == 1 && m.cie.e[0].holdtime == 7200 && m.cie.e[0].prefix == 32 &&
	      m.cie.e[0].mtu == 17912);
	CHECK(m.has_nat && m.nat.n == 1 && nhrp_addr_eq(&m.nat.e[0].nbma, &nodes[0].nbma));
	sif = nhrp_if_get(&nodes[1].n, 7);
	CHECK(sif->nhs[0].expecting && sif->nhs[0].state == NHRP_NHS_PROBE);
	/* the hub: a dynamic entry, the kernel's mapping, the multicast list, the reply */
	memmove(q, q, 0);
	{
		struct pkt p = q[0];

		nq = 0;
		nodes[0].n.now = now;
		nhrp_input(&nodes[0].n, 7, &nodes[1].nbma, p.b, p.len);
	}
	CHECK(nq == 1 && q[0].len == 128);	/* seed 004 */
	CHECK(nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK);
	CHECK(m.type == NHRP_REG_REP && m.reqid == 65540 && m.cie.e[0].code == 0);
	CHECK(m.has_responder && m.responder.n == 1 &&
	      nhrp_addr_eq(&m.responder.e[0].nbma, &nodes[0].nbma));
	c = entry(0, "10.1.1.1");
	CHECK(c && c->type == NHRP_CACHE_DYNAMIC && nhrp_addr_eq(&c->nbma, &nodes[1].nbma));
	CHECK(c && (c->flags & NHRP_CF_UNIQUE) && (c->flags & NHRP_CF_REGISTERED));
	CHECK(neigh_is(0, "10.1.1.1", "172.16.1.1"));
	CHECK(nodes[0].nmcast == 1 && nhrp_addr_eq(&nodes[0].mcast[0], &nodes[1].nbma));
	deliver();
	CHECK(sif->nhs[0].state == NHRP_NHS_UP && sif->nhs[0].responding &&
	      !sif->nhs[0].expecting);
	CHECK(!sif->nhs[0].nat_nbma.len);
	/* refresh at a third of the hold time */
	CHECK(sif->nhs[0].next_reg == now + 2400 * 1000LL);
	now += 2400 * 1000LL;
	tick_all();
	CHECK(nq == 1);
	deliver();
	hif = nhrp_if_get(&nodes[0].n, 7);
	CHECK(hif->st.rx[NHRP_REG_REQ] == 2 && hif->st.tx[NHRP_REG_REP] == 2);
	/* the hub forgets a spoke that stops registering: mapping, multicast, its SAs */
	nhrp_fini(&nodes[1].n);
	nodes[1].n.h = NULL;
	now += 7200 * 1000LL;
	tick_all();
	CHECK(!entry(0, "10.1.1.1"));
	CHECK(!neigh_is(0, "10.1.1.1", "172.16.1.1"));
	CHECK(nodes[0].nmcast == 0);
	CHECK(nodes[0].gone == 1 && nhrp_addr_eq(&nodes[0].gone_nbma, &nodes[1].nbma));
	all_down();
}

/*
 * Seed 004's point-to-point spoke: its device has no link-layer header,
 * so the hub's reply comes with no NBMA source; it is the tunnel
 * destination's.  With no destination either, the packet is dropped.
 */
static void test_p2p(void)
{
	struct nhrp_if_conf c = { 0 };
	struct nhrp_if *sif;
	struct pkt p;

	node_up(0, "10.1.1.254", "172.16.10.1", false, "NHRPAUTH");
	node_up(1, "10.1.1.1", "172.16.1.1", true, "NHRPAUTH");
	c.ifindex = 7;
	snprintf(c.name, sizeof(c.name), "Tunnel0");
	c.nbma = nodes[1].nbma;
	c.proto = nodes[1].proto;
	c.plen = 24;
	c.mtu = 17912;
	c.protected = true;
	c.p = &nodes[1].p;
	c.p2p_dst = nodes[0].nbma;
	CHECK(nhrp_if_set(&nodes[1].n, &c) != NULL);
	sif = nhrp_if_get(&nodes[1].n, 7);
	tick_all();
	CHECK(nq == 1);
	p = q[0];
	nq = 0;
	nodes[0].n.now = now;
	nhrp_input(&nodes[0].n, 7, &nodes[1].nbma, p.b, p.len);
	CHECK(nq == 1 && q[0].len == 128);
	p = q[0];
	nq = 0;
	{
		struct nhrp_addr none = { 0 };

		nodes[1].n.now = now;
		nhrp_input(&nodes[1].n, 7, &none, p.b, p.len);
		CHECK(sif->nhs[0].state == NHRP_NHS_UP && sif->nhs[0].responding);
		/* a multipoint interface: a packet with no source is nobody's */
		CHECK(nhrp_if_get(&nodes[0].n, 7)->st.rx[NHRP_REG_REP] == 0);
		nhrp_input(&nodes[0].n, 7, &none, p.b, p.len);
		CHECK(nhrp_if_get(&nodes[0].n, 7)->st.rx[NHRP_REG_REP] == 0);
	}
	all_down();
}

static void test_auth_and_unique(void)
{
	struct nhrp_if *hif, *sif;
	struct nhrp_msg m;
	bool err = false;

	node_up(0, "10.1.1.254", "172.16.10.1", false, "NHRPAUTH");
	node_up(1, "10.1.1.1", "172.16.1.1", true, "WRONG");
	tick_all();
	deliver();
	hif = nhrp_if_get(&nodes[0].n, 7);
	sif = nhrp_if_get(&nodes[1].n, 7);
	CHECK(hif->st.drop[NHRP_DROP_AUTH] == 1);
	CHECK(!entry(0, "10.1.1.1"));
	CHECK(hif->st.tx[NHRP_ERROR] == 1);
	CHECK(sif->nhs[0].state != NHRP_NHS_UP);
	all_down();

	/* a second NBMA for a unique address: code 14, the first keeps it */
	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	node_up(2, "10.1.1.1", "172.16.2.2", true, NULL);
	tick_all();
	deliver();
	CHECK(nhrp_if_get(&nodes[1].n, 7)->nhs[0].state == NHRP_NHS_UP);
	sif = nhrp_if_get(&nodes[2].n, 7);
	CHECK(sif->nhs[0].state != NHRP_NHS_UP);
	CHECK(entry(0, "10.1.1.1") && nhrp_addr_eq(&entry(0, "10.1.1.1")->nbma, &nodes[1].nbma));
	/* without authentication the packets carry none */
	now += 1000;
	tick_all();
	for (int i = 0; i < nq; i++)
		if (nhrp_parse(q[i].b, q[i].len, &m) == NHRP_OK && m.has_auth)
			err = true;
	CHECK(!err && nq >= 1);
	all_down();
}

/* Seed 002: spoke 1 resolves spoke 2 through the hub; spoke 2 answers once IPsec is up. */
static void test_resolution(void)
{
	struct nhrp_msg m;
	struct nhrp_cache *c;
	int i;

	node_up(0, "10.1.1.254", "172.16.10.1", false, "cisco123");
	node_up(1, "10.1.1.1", "172.16.1.1", true, "cisco123");
	node_up(2, "10.1.1.2", "172.16.2.2", true, "cisco123");
	tick_all();
	deliver();
	CHECK(entry(0, "10.1.1.1") && entry(0, "10.1.1.2"));

	/* a miss: through the hub at once, a request of 84 bytes to it */
	nodes[2].sa_ready = false;	/* spoke 2 has no SAs with spoke 1 yet */
	nodes[1].n.now = now;
	nhrp_miss(&nodes[1].n, 7, &(struct nhrp_addr){ 0 });	/* not in the subnet: nothing */
	CHECK(nq == 0);
	{
		struct nhrp_addr t = A("10.1.1.2");

		nhrp_miss(&nodes[1].n, 7, &t);
	}
	CHECK(neigh_is(1, "10.1.1.2", "172.16.10.1"));
	c = entry(1, "10.1.1.2");
	CHECK(c && c->type == NHRP_CACHE_INCOMPLETE);
	CHECK(nq == 1 && q[0].len == 84 && nhrp_addr_eq(&q[0].to, &nodes[0].nbma));
	/* the hub forwards it (104 bytes) to spoke 2 */
	{
		struct pkt p = q[0];

		nq = 0;
		nodes[0].n.now = now;
		nhrp_input(&nodes[0].n, 7, &nodes[1].nbma, p.b, p.len);
	}
	CHECK(nq == 1 && q[0].len == 104 && nhrp_addr_eq(&q[0].to, &nodes[2].nbma));
	CHECK(nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK && m.fwd.n == 1 && m.hops == 254);
	CHECK(nhrp_if_get(&nodes[0].n, 7)->st.forwarded == 1);
	deliver();
	/* spoke 2 cached spoke 1, asked for IPsec, and delays its answer */
	c = entry(2, "10.1.1.1");
	CHECK(c && c->type == NHRP_CACHE_CACHED && nhrp_addr_eq(&c->nbma, &nodes[1].nbma));
	CHECK(c && (c->flags & NHRP_CF_WAIT_SA));
	CHECK(nodes[2].sa_asked >= 1);
	CHECK(nq == 0);
	CHECK(!neigh_is(2, "10.1.1.1", "172.16.1.1"));
	/* the SAs come up: the answer (132 bytes) goes straight to spoke 1 */
	nodes[2].sa_ready = true;
	nodes[2].n.now = now;
	nhrp_sa_up(&nodes[2].n, 7, &nodes[1].nbma);
	CHECK(neigh_is(2, "10.1.1.1", "172.16.1.1"));
	CHECK(nq == 1 && q[0].len == 132 && nhrp_addr_eq(&q[0].to, &nodes[1].nbma));
	CHECK(nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK && m.type == NHRP_RES_REP &&
	      (m.flags & NHRP_FLAG_RES_A) && m.cie.n == 1 &&
	      nhrp_addr_eq(&m.cie.e[0].nbma, &nodes[2].nbma));
	deliver();
	c = entry(1, "10.1.1.2");
	CHECK(c && c->type == NHRP_CACHE_CACHED && nhrp_addr_eq(&c->nbma, &nodes[2].nbma));
	CHECK(neigh_is(1, "10.1.1.2", "172.16.2.2"));
	/* a miss again changes nothing: no new request */
	{
		struct nhrp_addr t = A("10.1.1.2");

		nhrp_miss(&nodes[1].n, 7, &t);
	}
	CHECK(nq == 0);

	/* spoke 2's registration goes (clear ip nhrp on the hub): spoke 1, who
	 * resolved it through the hub, gets a purge and forgets it now */
	{
		struct nhrp_addr t = A("10.1.1.2");
		struct nhrp_msg pm;

		nodes[0].n.now = now;
		CHECK(nhrp_cache_clear(&nodes[0].n, 7, &t, 0) == 1);
		CHECK(nq == 1 && nhrp_addr_eq(&q[0].to, &nodes[1].nbma));
		CHECK(nhrp_parse(q[0].b, q[0].len, &pm) == NHRP_OK && pm.type == NHRP_PURGE_REQ &&
		      (pm.flags & NHRP_FLAG_PURGE_N) && pm.cie.n == 1 &&
		      nhrp_addr_eq(&pm.cie.e[0].proto, &t));
		deliver();
		CHECK(!entry(1, "10.1.1.2"));
		CHECK(!neigh_is(1, "10.1.1.2", "172.16.2.2"));
		CHECK(nq == 0);		/* no reply asked for */
		/* spoke 2 registers again at its next refresh; nothing else changed */
		CHECK(entry(1, "10.1.1.254") != NULL);
	}

	/* nobody has 10.1.1.9: the hub says so, spoke 1 does not ask again for a while */
	{
		struct nhrp_addr t = A("10.1.1.9");

		nhrp_miss(&nodes[1].n, 7, &t);
	}
	deliver();
	c = entry(1, "10.1.1.9");
	CHECK(c && c->type == NHRP_CACHE_NEGATIVE);
	/* an unanswered resolution becomes negative after its tries */
	nodes[0].n.h = NULL;	/* the hub goes silent */
	nhrp_fini(&nodes[0].n);
	{
		struct nhrp_addr t = A("10.1.1.3");

		nhrp_miss(&nodes[1].n, 7, &t);
	}
	for (i = 0; i < 40; i++) {
		now += 1000;
		tick_all();
		nq = 0;
	}
	c = entry(1, "10.1.1.3");
	CHECK(c && c->type == NHRP_CACHE_NEGATIVE);
	all_down();
}

/*
 * IKE between the spokes fails (two port-restricted NATs): the owner drops
 * its delayed answer and what it learned from the request, the requester's
 * answered entry goes negative; both keep sending through the hub.
 */
static void test_sa_failed(void)
{
	struct nhrp_addr t = A("10.1.1.2");
	struct nhrp_cache *c;

	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	node_up(2, "10.1.1.2", "172.16.2.2", true, NULL);
	tick_all();
	deliver();
	nodes[1].sa_ready = nodes[2].sa_ready = false;
	nodes[1].n.now = now;
	nhrp_miss(&nodes[1].n, 7, &t);
	deliver();		/* to the hub, forwarded to spoke 2, which waits for IPsec */
	c = entry(2, "10.1.1.1");
	CHECK(c && (c->flags & NHRP_CF_WAIT_SA) && nq == 0);
	nodes[2].n.now = now;
	nhrp_sa_failed(&nodes[2].n, 7, &nodes[1].nbma);
	CHECK(!entry(2, "10.1.1.1") && nq == 0);
	nhrp_sa_up(&nodes[2].n, 7, &nodes[1].nbma);	/* nothing was kept to send */
	CHECK(nq == 0);
	/* the NHS's own SAs failing is registration's business */
	nhrp_sa_failed(&nodes[2].n, 7, &nodes[0].nbma);
	CHECK(entry(2, "10.1.1.254") != NULL);

	/* spoke 2 answers this time; spoke 1's IPsec to it fails */
	now += 2000;
	tick_all();
	deliver();
	nodes[2].sa_ready = true;
	now += 4000;
	tick_all();		/* spoke 1 asks again */
	deliver();
	c = entry(1, "10.1.1.2");
	CHECK(c && c->type == NHRP_CACHE_CACHED && (c->flags & NHRP_CF_WAIT_SA));
	CHECK(neigh_is(1, "10.1.1.2", "172.16.10.1"));
	nodes[1].n.now = now;
	nhrp_sa_failed(&nodes[1].n, 7, &nodes[2].nbma);
	c = entry(1, "10.1.1.2");
	CHECK(c && c->type == NHRP_CACHE_NEGATIVE && !(c->flags & NHRP_CF_WAIT_SA));
	CHECK(neigh_is(1, "10.1.1.2", "172.16.10.1"));
	all_down();
}

/* A spoke behind NAT: the hub keeps the address it saw, the spoke learns it. */
static void test_nat(void)
{
	struct nhrp_cache *c;
	struct nhrp_if *sif;
	struct nhrp_msg m;

	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	nodes[1].claimed = A("192.168.0.10");
	{
		/* node_up clears the node: set the claimed address after it */
		struct nhrp_if_conf c2 = { 0 };

		node_up(1, "10.1.1.1", "198.51.100.7", true, NULL);
		c2 = nhrp_if_get(&nodes[1].n, 7)->c;
		c2.nbma = A("192.168.0.10");
		c2.p = &nodes[1].p;
		nhrp_if_set(&nodes[1].n, &c2);
	}
	tick_all();
	{
		struct pkt p = q[0];

		nq = 0;
		nodes[0].n.now = now;
		nhrp_input(&nodes[0].n, 7, &nodes[1].nbma, p.b, p.len);
	}
	CHECK(nq == 1 && nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK);
	CHECK(m.has_nat && m.nat.n == 2);
	CHECK(q[0].len == 132);		/* 112 without authentication, + 20 for the NAT CIE */
	c = entry(0, "10.1.1.1");
	CHECK(c && nhrp_addr_eq(&c->nbma, &nodes[1].nbma) && (c->flags & NHRP_CF_NAT));
	CHECK(c && nhrp_addr_eq(&c->nbma_claimed, &(struct nhrp_addr){ 0 }) == false);
	CHECK(neigh_is(0, "10.1.1.1", "198.51.100.7"));
	deliver();
	sif = nhrp_if_get(&nodes[1].n, 7);
	CHECK(sif->nhs[0].state == NHRP_NHS_UP);
	CHECK(nhrp_addr_eq(&sif->nhs[0].nat_nbma, &nodes[1].nbma));
	all_down();
}

/* An NHS that does not answer: 1 s doubling to 64 s; IPsec first when it is not up. */
static void test_backoff(void)
{
	struct nhrp_if *sif;
	int64_t t0, gaps[10];
	int n = 0;

	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	nodes[1].sa_ready = false;
	tick_all();
	sif = nhrp_if_get(&nodes[1].n, 7);
	CHECK(nq == 0 && nodes[1].sa_asked == 1 && sif->nhs[0].waiting);
	nodes[1].sa_ready = true;
	nhrp_sa_up(&nodes[1].n, 7, &sif->nhs[0].nbma);
	CHECK(nq == 1 && !sif->nhs[0].waiting);
	nq = 0;
	t0 = now;
	for (int s = 0; s < 200 && n < 10; s++) {
		now += 1000;
		tick_all();
		if (nq) {
			gaps[n++] = now - t0;
			t0 = now;
			nq = 0;
		}
	}
	CHECK(n >= 8);
	CHECK(gaps[0] == 1000 && gaps[1] == 2000 && gaps[2] == 4000 && gaps[4] == 16000);
	CHECK(gaps[6] == 64000 && gaps[7] == 64000);
	CHECK(sif->nhs[0].state == NHRP_NHS_PROBE);
	all_down();
}

/* Settings changed in the test's copy: applied as a reload would. */
static void reconf(int i)
{
	struct nhrp_if_conf c = nhrp_if_get(&nodes[i].n, 7)->c;

	c.p = &nodes[i].p;
	nodes[i].n.now = now;
	CHECK(nhrp_if_set(&nodes[i].n, &c) != NULL);
}

static void reconf6(int i)
{
	struct nhrp_if_conf c = nhrp_if_find(&nodes[i].n, 7, 16)->c;

	c.p = &nodes[i].p6;
	nodes[i].n.now = now;
	CHECK(nhrp_if_set(&nodes[i].n, &c) != NULL);
}

/*
 * Phase 3 over the IPv6 overlay (ipv6 nhrp redirect, ipv6 nhrp shortcut):
 * the Traffic Indication carries the relayed packet's IPv6 header; spoke
 * 1 gets an IPv6 route to spoke 2's LAN through spoke 2.
 */
static void test_shortcut6(void)
{
	struct nhrp_cache *c;
	struct nhrp_msg m;
	struct nhrp_addr s = A("2001:db8:2::2"), d = A("2001:db8:3::3");

	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	node_up(2, "10.1.1.2", "172.16.2.2", true, NULL);
	node_up6(0, "2001:db8:100::1", false, NULL);
	node_up6(1, "2001:db8:100::2", true, NULL);
	node_up6(2, "2001:db8:100::3", true, NULL);
	nodes[0].p6.redirect = true;
	nodes[1].p6.shortcut = nodes[2].p6.shortcut = true;
	route(0, "2001:db8:2::", 48, "2001:db8:100::2");
	route(0, "2001:db8:3::", 48, "2001:db8:100::3");
	route(1, "2001:db8:2::", 48, NULL);
	route(1, "2000::", 3, "2001:db8:100::1");
	route(2, "2001:db8:3::", 48, NULL);
	route(2, "2000::", 3, "2001:db8:100::1");
	for (int i = 0; i < 3; i++)
		reconf6(i);
	tick_all();
	deliver();
	CHECK(entry(0, "2001:db8:100::2") && entry(0, "2001:db8:100::3"));
	/* an IPv4 event does not make an IPv6 indication, nor the other way */
	nhrp_traffic(&nodes[0].n, 7, &s, &(struct nhrp_addr){ 4, { 3, 3, 3, 3 } });
	CHECK(nq == 0);
	/* the hub relays 2001:db8:2::2 -> 2001:db8:3::3: an indication back to spoke 1 */
	nhrp_traffic(&nodes[0].n, 7, &s, &d);
	CHECK(nq == 1 && nhrp_addr_eq(&q[0].to, &nodes[1].nbma));
	CHECK(nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK && m.type == NHRP_TRAFFIC &&
	      m.pro_type == NHRP_PROTO_IPV6 && m.data_len == 40 && m.data[0] == 0x60 &&
	      !memcmp(m.data + 24, d.a, 16));
	deliver();
	c = entry(1, "2001:db8:3::");
	CHECK(c && c->type == NHRP_CACHE_CACHED && c->prefix == 48 &&
	      (c->flags & NHRP_CF_SHORTCUT));
	/* the route: 2001:db8:3::/48 via spoke 2's tunnel address */
	CHECK(nodes[1].nsc == 1 && nodes[1].sc[0].plen == 48 &&
	      nhrp_addr_eq(&nodes[1].sc[0].net, &(struct nhrp_addr){ 16, { 0x20, 0x01, 0x0d,
			   0xb8, 0, 3 } }) &&
	      !memcmp(nodes[1].sc[0].via.a, A("2001:db8:100::3").a, 16));
	CHECK(neigh_is(1, "2001:db8:100::3", "172.16.2.2"));
	CHECK(!entry(1, "3.3.3.0") && nhrp_if_find(&nodes[1].n, 7, 4)->st.tx[NHRP_RES_REQ] == 0);
	all_down();
}

/* Phase 3: the hub redirects, spoke 1 gets a route to spoke 2's LAN through spoke 2. */
static void test_shortcut(void)
{
	struct nhrp_cache *c;
	struct nhrp_msg m;

	node_up(0, "10.1.1.254", "172.16.10.1", false, "cisco123");
	node_up(1, "10.1.1.1", "172.16.1.1", true, "cisco123");
	node_up(2, "10.1.1.2", "172.16.2.2", true, "cisco123");
	nodes[0].p.redirect = true;
	nodes[1].p.shortcut = nodes[2].p.shortcut = true;
	route(0, "2.2.2.0", 24, "10.1.1.1");
	route(0, "3.3.3.0", 24, "10.1.1.2");
	route(0, "10.1.1.0", 24, "0.0.0.0");
	route(1, "2.2.2.0", 24, NULL);
	route(1, "0.0.0.0", 1, "10.1.1.254");
	route(2, "3.3.3.0", 24, NULL);
	route(2, "0.0.0.0", 1, "10.1.1.254");
	for (int i = 0; i < 3; i++)
		reconf(i);
	tick_all();
	deliver();
	/* without ip nhrp redirect on the hub: nothing */
	nodes[0].p.redirect = false;
	reconf(0);
	nhrp_traffic(&nodes[0].n, 7, &(struct nhrp_addr){ 4, { 2, 2, 2, 2 } },
		     &(struct nhrp_addr){ 4, { 3, 3, 3, 3 } });
	CHECK(nq == 0);
	nodes[0].p.redirect = true;
	reconf(0);
	/* the hub relays 2.2.2.2 -> 3.3.3.3: a Traffic Indication back to spoke 1 */
	nhrp_traffic(&nodes[0].n, 7, &(struct nhrp_addr){ 4, { 2, 2, 2, 2 } },
		     &(struct nhrp_addr){ 4, { 3, 3, 3, 3 } });
	CHECK(nq == 1 && nhrp_addr_eq(&q[0].to, &nodes[1].nbma));
	CHECK(nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK && m.type == NHRP_TRAFFIC &&
	      m.data_len >= 20 && m.data[16] == 3 && m.has_auth);
	/* spoke 1 resolves 3.3.3.3; the hub follows its route; spoke 2 answers for its /24 */
	deliver();
	c = entry(1, "3.3.3.0");
	CHECK(c && c->type == NHRP_CACHE_CACHED && c->prefix == 24 &&
	      (c->flags & NHRP_CF_SHORTCUT));
	CHECK(!entry(1, "3.3.3.3"));
	CHECK(nodes[1].nsc == 1 && nodes[1].sc[0].plen == 24 &&
	      nhrp_addr_eq(&nodes[1].sc[0].via, &nodes[2].proto));
	CHECK(neigh_is(1, "10.1.1.2", "172.16.2.2"));
	CHECK(entry(2, "10.1.1.1") && neigh_is(2, "10.1.1.1", "172.16.1.1"));
	/* another host of the same /24: covered, no new request */
	nhrp_traffic(&nodes[0].n, 7, &(struct nhrp_addr){ 4, { 2, 2, 2, 2 } },
		     &(struct nhrp_addr){ 4, { 3, 3, 3, 9 } });
	CHECK(nq == 1);
	deliver();
	CHECK(nodes[1].nsc == 1);
	CHECK(nhrp_if_get(&nodes[1].n, 7)->st.tx[NHRP_RES_REQ] == 1);
	/* unused, it expires with its route */
	now += 7200 * 1000LL + 1000;
	nodes[0].n.h = NULL;
	nhrp_fini(&nodes[0].n);
	tick_all();
	nq = 0;
	CHECK(!entry(1, "3.3.3.0") && nodes[1].nsc == 0);
	all_down();
}

/*
 * A registration flood from one address: a burst goes through, the rest is
 * dropped and counted; the entry another spoke registered stays, that
 * spoke's own refresh goes through, and the flooding address gets its rate
 * back as time passes.  A flood from 100 000 spoofed addresses allocates
 * nothing, adds no entry (each claims spoke 1's address, registered unique)
 * and leaves the registered spokes their own budget.
 */
static void test_flood(void)
{
	struct nhrp_addr flood_src = A("203.0.113.66");
	struct nhrp_if *hif;
	struct pkt reg, reg2;
	uint64_t dropped, one;
	int64_t refill;
	unsigned int entries;

	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	node_up(2, "10.1.1.2", "172.16.2.1", true, NULL);
	tick_all();
	CHECK(nq == 2);
	reg = q[0];
	reg2 = q[1];
	deliver();
	CHECK(entry(0, "10.1.1.1") && entry(0, "10.1.1.2"));
	hif = nhrp_if_get(&nodes[0].n, 7);
	entries = HASH_COUNT(hif->cache);

	nodes[0].n.now = now;
	for (int i = 0; i < 1000; i++) {
		nhrp_input(&nodes[0].n, 7, &flood_src, reg.b, reg.len);
		nq = 0;
	}
	dropped = one = hif->st.drop[NHRP_DROP_RATE];
	CHECK(dropped == 1000 - NHRP_RX_BURST);
	CHECK(hif->st.rx[NHRP_REG_REQ] == 2 + NHRP_RX_BURST);
	/* spoke 2's entry and its own refresh are not the flood's */
	CHECK(entry(0, "10.1.1.2") && nhrp_addr_eq(&entry(0, "10.1.1.2")->nbma, &nodes[2].nbma));
	nhrp_input(&nodes[0].n, 7, &nodes[2].nbma, reg2.b, reg2.len);
	CHECK(nq == 1 && hif->st.drop[NHRP_DROP_RATE] == dropped);
	nq = 0;
	/* half a second later: ten more from the flooding address, then none */
	refill = 1000 * NHRP_RX_BURST / NHRP_RX_RATE / 20;
	nodes[0].n.now = now + refill;
	for (int i = 0; i < NHRP_RX_BURST / 20 + 5; i++)
		nhrp_input(&nodes[0].n, 7, &flood_src, reg.b, reg.len);
	CHECK(hif->st.drop[NHRP_DROP_RATE] == dropped + 5);
	nq = 0;
	/* spoofed sources: every packet its own address */
	for (int i = 0; i < 100000; i++) {
		struct nhrp_addr src = { .len = 4, .a = { 100, (uint8_t)(i >> 16), (uint8_t)(i >> 8),
							 (uint8_t)i } };

		nhrp_input(&nodes[0].n, 7, &src, reg.b, reg.len);
		nq = 0;
	}
	CHECK(nif_priv(hif)->rx_nslots == NHRP_RX_SLOTS_MIN);
	CHECK(HASH_COUNT(hif->cache) == entries);
	/* the flood took the shared slots' budget, not the registered spokes' own */
	dropped = hif->st.drop[NHRP_DROP_RATE];
	CHECK(dropped > 50000);
	nhrp_input(&nodes[0].n, 7, &nodes[2].nbma, reg2.b, reg2.len);
	nhrp_input(&nodes[0].n, 7, &nodes[1].nbma, reg.b, reg.len);
	CHECK(nq == 2 && hif->st.drop[NHRP_DROP_RATE] == dropped);
	nq = 0;
	/* a spoke takes whatever its NHS relays: 300 requests (bad ones) are not rate-limited */
	reg.b[17] = NHRP_RES_REQ;
	nodes[1].n.now = now;
	for (int i = 0; i < 300; i++)
		nhrp_input(&nodes[1].n, 7, &nodes[0].nbma, reg.b, reg.len);
	CHECK(nhrp_if_get(&nodes[1].n, 7)->st.drop[NHRP_DROP_RATE] == 0);
	CHECK(nhrp_if_get(&nodes[1].n, 7)->st.drop[NHRP_DROP_CHECKSUM] == 300);
	nq = 0;
	printf("# registration flood: %llu of 1000 from one address dropped; of 100000 from "
	       "spoofed addresses %llu\n", (unsigned long long)one,
	       (unsigned long long)(dropped - one - 5));
	all_down();
}

static bool mcast_has(int i, const struct nhrp_addr *nbma)
{
	for (int j = 0; j < nodes[i].nmcast; j++)
		if (nhrp_addr_eq(&nodes[i].mcast[j], nbma))
			return true;
	return false;
}

/*
 * Dual stack, IPv4 NBMA: "ip nhrp" and "ipv6 nhrp" on one tunnel, as IOS
 * runs them.  Each spoke registers both addresses (protocol type 0x86DD
 * for the IPv6 one); spoke 1 resolves spoke 2's IPv6 address through the
 * hub; the device's SAs and multicast list are shared, so the IPv6
 * registration going takes neither away from the IPv4 one.
 */
static void test_dual_stack(void)
{
	struct nhrp_if *h4, *h6, *s6;
	struct nhrp_msg m;
	struct nhrp_cache *c;
	struct nhrp_addr t = A("2001:db8:100::3");
	int v6reg = 0;

	node_up(0, "10.1.1.254", "172.16.10.1", false, "cisco123");
	node_up(1, "10.1.1.1", "172.16.1.1", true, "cisco123");
	node_up(2, "10.1.1.2", "172.16.2.2", true, "cisco123");
	node_up6(0, "2001:db8:100::1", false, "cisco6");
	node_up6(1, "2001:db8:100::2", true, "cisco6");
	node_up6(2, "2001:db8:100::3", true, "cisco6");
	h4 = nhrp_if_find(&nodes[0].n, 7, 4);
	h6 = nhrp_if_find(&nodes[0].n, 7, 16);
	s6 = nhrp_if_find(&nodes[1].n, 7, 16);
	CHECK(h4 && h6 && h4 != h6 && s6 && nhrp_if_find(&nodes[1].n, 7, 4) != s6);
	if (!h4 || !h6 || !s6) {
		all_down();
		return;
	}
	/* the static IPv6 map is a neighbour entry at once: overlay IPv6 -> NBMA IPv4 */
	CHECK(neigh_is(1, "2001:db8:100::1", "172.16.10.1"));
	tick_all();
	/* four registrations out: two of them IPv6 (0x86DD), afn IPv4, the CIE /128 */
	for (int i = 0; i < nq; i++) {
		CHECK(nhrp_parse(q[i].b, q[i].len, &m) == NHRP_OK && m.type == NHRP_REG_REQ);
		if (m.pro_type != NHRP_PROTO_IPV6)
			continue;
		v6reg++;
		CHECK(m.afn == NHRP_AFN_IPV4 && m.src_proto.len == 16 && m.dst_proto.len == 16);
		CHECK(m.src_nbma.len == 4 && m.cie.n == 1 && m.cie.e[0].prefix == 128 &&
		      m.cie.e[0].holdtime == 300);
		CHECK(m.has_auth && m.auth_len == 6 && !memcmp(m.auth, "cisco6", 6));
	}
	CHECK(nq == 4 && v6reg == 2);
	deliver();
	/* the hub: an entry of each family per spoke, each in its own cache */
	c = entry(0, "2001:db8:100::2");
	CHECK(c && c->type == NHRP_CACHE_DYNAMIC && c->prefix == 128 &&
	      nhrp_addr_eq(&c->nbma, &nodes[1].nbma) && (c->flags & NHRP_CF_REGISTERED));
	CHECK(entry(0, "2001:db8:100::3") && entry(0, "10.1.1.1") && entry(0, "10.1.1.2"));
	CHECK(HASH_COUNT(h6->cache) == 3 && HASH_COUNT(h4->cache) == 3);	/* + local */
	CHECK(neigh_is(0, "2001:db8:100::2", "172.16.1.1") &&
	      neigh_is(0, "10.1.1.1", "172.16.1.1"));
	CHECK(h6->st.rx[NHRP_REG_REQ] == 2 && h4->st.rx[NHRP_REG_REQ] == 2 &&
	      h6->st.drop[NHRP_DROP_PROTO] == 0 && h4->st.drop[NHRP_DROP_PROTO] == 0);
	CHECK(nodes[0].nmcast == 2 && mcast_has(0, &nodes[1].nbma));
	CHECK(s6->nhs[0].state == NHRP_NHS_UP && s6->nhs[0].responding);
	/* each family checks its own password (cisco6 / cisco123): nothing refused */
	CHECK(h6->st.drop[NHRP_DROP_AUTH] == 0);

	/* spoke 1 -> spoke 2's IPv6 address: through the hub, then direct */
	nodes[2].sa_ready = false;
	nodes[1].n.now = now;
	nhrp_miss(&nodes[1].n, 7, &t);
	CHECK(neigh_is(1, "2001:db8:100::3", "172.16.10.1"));
	CHECK(entry(1, "2001:db8:100::3") &&
	      entry(1, "2001:db8:100::3")->type == NHRP_CACHE_INCOMPLETE);
	CHECK(!entry(1, "10.1.1.2"));	/* the IPv4 cache is not touched */
	CHECK(nq == 1 && nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK &&
	      m.type == NHRP_RES_REQ && m.pro_type == NHRP_PROTO_IPV6 &&
	      nhrp_addr_eq(&m.dst_proto, &t) && nhrp_addr_eq(&q[0].to, &nodes[0].nbma));
	deliver();
	CHECK(h6->st.forwarded == 1 && h4->st.forwarded == 0);
	c = entry(2, "2001:db8:100::2");
	CHECK(c && c->type == NHRP_CACHE_CACHED && (c->flags & NHRP_CF_WAIT_SA));
	/* the SAs to spoke 1 (the device's, both families') come up: the answer goes */
	nodes[2].sa_ready = true;
	nodes[2].n.now = now;
	nhrp_sa_up(&nodes[2].n, 7, &nodes[1].nbma);
	CHECK(neigh_is(2, "2001:db8:100::2", "172.16.1.1"));
	CHECK(nq == 1 && nhrp_parse(q[0].b, q[0].len, &m) == NHRP_OK &&
	      m.type == NHRP_RES_REP && m.pro_type == NHRP_PROTO_IPV6 && m.cie.n == 1 &&
	      m.cie.e[0].prefix == 128 && nhrp_addr_eq(&m.cie.e[0].nbma, &nodes[2].nbma));
	deliver();
	c = entry(1, "2001:db8:100::3");
	CHECK(c && c->type == NHRP_CACHE_CACHED && nhrp_addr_eq(&c->nbma, &nodes[2].nbma));
	CHECK(neigh_is(1, "2001:db8:100::3", "172.16.2.2"));

	/* spoke 1 stops IPv6 NHRP (a reload without its ipv6 nhrp lines): its IPv6
	 * registration is purged at the hub, the IPv4 one, the multicast entry and
	 * the SAs to spoke 1 stay */
	nodes[0].gone = 0;
	nodes[1].n.now = now;
	nhrp_if_del(&nodes[1].n, 7, 16);
	CHECK(nhrp_if_find(&nodes[1].n, 7, 16) == NULL && nhrp_if_find(&nodes[1].n, 7, 4));
	CHECK(!neigh_is(1, "2001:db8:100::3", "172.16.2.2") &&
	      neigh_is(1, "10.1.1.254", "172.16.10.1"));
	deliver();
	CHECK(!entry(0, "2001:db8:100::2") && entry(0, "10.1.1.1"));
	CHECK(!neigh_is(0, "2001:db8:100::2", "172.16.1.1") &&
	      neigh_is(0, "10.1.1.1", "172.16.1.1"));
	CHECK(mcast_has(0, &nodes[1].nbma) && nodes[0].gone == 0);
	/* and when the IPv4 one expires too, the hub lets go of both */
	nhrp_fini(&nodes[1].n);
	nodes[1].n.h = NULL;
	now += 7200 * 1000LL;
	tick_all();
	CHECK(!entry(0, "10.1.1.1") && !mcast_has(0, &nodes[1].nbma));
	CHECK(nodes[0].gone >= 1);
	all_down();

	/* an IPv6 packet on a device with IPv4 NHRP only: dropped, counted */
	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	node_up6(1, "2001:db8:100::2", true, NULL);
	tick_all();
	deliver();
	CHECK(nhrp_if_get(&nodes[0].n, 7)->st.drop[NHRP_DROP_PROTO] == 1);
	CHECK(entry(0, "10.1.1.1") && !entry(0, "2001:db8:100::2"));
	all_down();
}

/*
 * A registered spoke (an attacker with the keys: NHRP reaches a hub only
 * through an SA) floods its NHS through its own budget with Registration
 * Requests for the subnet's free addresses, for another spoke's (registered
 * unique) and for addresses outside the subnet, 50 a second for 20 s: what
 * gets past the rate limit is the burst and 20 a second; the other spoke's
 * entry is never taken over, nothing outside the subnet is registered, and
 * the other spoke's refresh goes through.
 */
static void test_flood_from_spoke(void)
{
	struct nhrp_if *hif;
	struct pkt reg2;
	unsigned int entries, taken = 0;
	uint64_t limited;
	int sent = 0, built = 0;

	node_up(0, "10.1.1.254", "172.16.10.1", false, NULL);
	node_up(1, "10.1.1.1", "172.16.1.1", true, NULL);
	node_up(2, "10.1.1.2", "172.16.2.1", true, NULL);
	tick_all();
	CHECK(nq == 2);
	reg2 = q[1];
	deliver();
	hif = nhrp_if_get(&nodes[0].n, 7);
	entries = HASH_COUNT(hif->cache);
	for (int t = 0; t < 1000; t++) {
		struct nhrp_msg m;
		uint8_t b[NHRP_PKT_MAX];
		char a[32];
		size_t n;

		if (t % 16 == 15)
			snprintf(a, sizeof(a), "10.1.1.2");		/* spoke 2's */
		else if (t % 16 == 14)
			snprintf(a, sizeof(a), "10.2.%d.%d", t / 250, t % 250 + 1);	/* not ours */
		else
			snprintf(a, sizeof(a), "10.1.1.%d", 20 + t % 230);
		nhrp_msg_init(&m, NHRP_REG_REQ);
		m.flags = NHRP_FLAG_REG_U;
		m.reqid = (uint32_t)t + 1;
		m.src_nbma = nodes[1].nbma;
		m.src_proto = A(a);
		m.dst_proto = nodes[0].proto;
		m.cie.n = 1;
		m.cie.e[0].prefix = 32;
		m.cie.e[0].holdtime = 7200;
		n = nhrp_build(&m, b, sizeof(b));
		built += n > 0;
		now += 20;
		nodes[0].n.now = now;
		nhrp_input(&nodes[0].n, 7, &nodes[1].nbma, b, n);
		nq = 0;
		sent++;
	}
	limited = hif->st.drop[NHRP_DROP_RATE];
	CHECK(built == sent);
	CHECK(sent - (int)limited <= NHRP_RX_BURST + NHRP_RX_RATE * 20 + 1);
	CHECK(limited >= (uint64_t)(sent - NHRP_RX_BURST - NHRP_RX_RATE * 20 - 1));
	CHECK(entry(0, "10.1.1.2") && nhrp_addr_eq(&entry(0, "10.1.1.2")->nbma, &nodes[2].nbma));
	for (int i = 20; i < 250; i++) {
		char a[32];

		snprintf(a, sizeof(a), "10.1.1.%d", i);
		taken += entry(0, a) != NULL;
	}
	CHECK(HASH_COUNT(hif->cache) == entries + taken && taken <= 230);
	CHECK(!entry(0, "10.2.0.15"));
	nhrp_input(&nodes[0].n, 7, &nodes[2].nbma, reg2.b, reg2.len);
	CHECK(nq == 1);
	nq = 0;
	printf("# a registered spoke's registration flood, 1000 in 20 s: %llu rate-limited, %u of "
	       "the subnet's free addresses taken, the other spoke's kept\n",
	       (unsigned long long)limited, taken);
	all_down();
}

int main(void)
{
	test_dual_stack();
	test_shortcut6();
	test_shortcut();
	test_register();
	test_p2p();
	test_auth_and_unique();
	test_resolution();
	test_sa_failed();
	test_nat();
	test_backoff();
	test_flood();
	test_flood_from_spoke();
	return check_summary();
}
