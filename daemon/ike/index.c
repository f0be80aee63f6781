// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's lists and indexes, so that a hub with thousands of peers
 * does not search them one by one per packet (uthash, utlist):
 *   ike->sas, ike->children  every SA and pair, newest first (iteration: show)
 *   ike->peers               one struct ike_peer per remote address: its SAs
 *                            and its pairs (the per-peer questions: the
 *                            established SA of a path, INITIAL-CONTACT, DPD)
 *   ike->by_cookies          phase-1 SAs by icky | rcky
 *   ike->by_in, ike->by_out  pairs by the identity of each kernel SA
 * A peer lives while it has an SA or a pair: peer_get makes it, peer_put
 * frees it, and nothing else does.
 */
#include <stdlib.h>
#include <string.h>
#include <utlist.h>
#include "ike/ike.h"

struct peer_key {
	uint8_t family;
	uint8_t addr[16];
};

struct ike_peer {
	struct peer_key key;
	UT_hash_handle hh;
	struct ike_sa *sas;		/* through pnext/pprev */
	struct child *children;		/* through pnext/pprev */
	/* who holds the address: the UDP port and phase-1 ID of its last
	 * completed phase 1 (ike_peer_claim) */
	uint16_t port;
	uint8_t id[20];
	size_t id_len;
};

_Static_assert(offsetof(struct ike_sa, rcky) == offsetof(struct ike_sa, icky) + 8,
	       "the cookies are one 16-byte key");

static void peer_key(struct peer_key *k, const struct sockaddr_storage *ss)
{
	memset(k, 0, sizeof(*k));
	k->family = (uint8_t)ss->ss_family;
	memcpy(k->addr, addr_bytes(ss), ss->ss_family == AF_INET6 ? 16 : 4);
}

static struct ike_peer *peer_find(struct ike *ike, const struct sockaddr_storage *remote)
{
	struct ike_peer *p;
	struct peer_key k;

	peer_key(&k, remote);
	ike->probes++;
	HASH_FIND(hh, ike->peers, &k, sizeof(k), p);
	return p;
}

static struct ike_peer *peer_get(struct ike *ike, const struct sockaddr_storage *remote)
{
	struct ike_peer *p = peer_find(ike, remote);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	peer_key(&p->key, remote);
	HASH_ADD(hh, ike->peers, key, sizeof(p->key), p);
	return p;
}

static void peer_put(struct ike *ike, struct ike_peer *p)
{
	if (!p || p->sas || p->children)
		return;
	HASH_DELETE(hh, ike->peers, p);
	free(p);
}

struct ike_sa *ike_peer_sas(struct ike *ike, const struct sockaddr_storage *remote)
{
	struct ike_peer *p = peer_find(ike, remote);

	return p ? p->sas : NULL;
}

struct child *ike_peer_children(struct ike *ike, const struct sockaddr_storage *remote)
{
	struct ike_peer *p = peer_find(ike, remote);

	return p ? p->children : NULL;
}

/* Does the peer hold SAs other than sa: pairs, or another established phase 1? */
static bool peer_busy(const struct ike_peer *p, const struct ike_sa *sa)
{
	if (p->children)
		return true;
	for (const struct ike_sa *o = p->sas; o; o = o->pnext)
		if (o != sa && o->state == IKE_P1_COMPLETE)
			return true;
	return false;
}

/*
 * Two hosts behind one NAT reach us from one address and two UDP ports
 * (NAT-T).  Peers are known by their address here, in the module and in
 * NHRP, so only one of them can hold SAs at a time: the first.  The other
 * is told apart by its phase-1 ID (a host's own address behind the NAT);
 * the same ID from another port is the same host whose NAT mapping moved
 * (a restart, a NAT reboot), which takes over as before.  An authenticated
 * sa asks here before phase 1 completes: true, and it holds the address
 * from now on; false, another host holds it (its port and ID are returned)
 * and sa must go.
 */
bool ike_peer_claim(struct ike_sa *sa, uint16_t *held_port, uint8_t *held_id, size_t *held_len)
{
	struct ike_peer *p = sa->peer;
	uint16_t port = addr_port(&sa->path.remote);

	if (!p)
		return true;
	if (p->id_len && sa->peer_id_len && p->port != port &&
	    (p->id_len != sa->peer_id_len || memcmp(p->id, sa->peer_id, p->id_len)) &&
	    peer_busy(p, sa)) {
		*held_port = p->port;
		memcpy(held_id, p->id, p->id_len);
		*held_len = p->id_len;
		return false;
	}
	p->port = port;
	p->id_len = sa->peer_id_len;
	memcpy(p->id, sa->peer_id, sa->peer_id_len);
	return true;
}

/* Into the lists (the cookies come later: ike_sa_cookies). */
void ike_sa_link(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	DL_PREPEND(ike->sas, sa);
	ike->nsas++;
	sa->peer = peer_get(ike, &sa->path.remote);
	if (sa->peer)
		DL_PREPEND2(sa->peer->sas, sa, pprev, pnext);
}

void ike_sa_unlink(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	DL_DELETE(ike->sas, sa);
	ike->nsas--;
	if (sa->ck_indexed)
		HASH_DELETE(hh_ck, ike->by_cookies, sa);
	sa->ck_indexed = false;
	if (sa->peer) {
		DL_DELETE2(sa->peer->sas, sa, pprev, pnext);
		peer_put(ike, sa->peer);
		sa->peer = NULL;
	}
}

static struct ike_sa *by_cookies(struct ike *ike, const uint8_t *icky, const uint8_t *rcky)
{
	uint8_t k[16];
	struct ike_sa *sa;

	memcpy(k, icky, 8);
	memcpy(k + 8, rcky, 8);
	ike->probes++;
	HASH_FIND(hh_ck, ike->by_cookies, k, 16, sa);
	return sa;
}

int ike_sa_cookies(struct ike_sa *sa, const uint8_t *icky, const uint8_t *rcky)
{
	struct ike *ike = sa->ike;
	struct ike_sa *o = by_cookies(ike, icky, rcky);

	if (o && o != sa)
		return -1;
	if (sa->ck_indexed)
		HASH_DELETE(hh_ck, ike->by_cookies, sa);
	memcpy(sa->icky, icky, 8);
	memcpy(sa->rcky, rcky, 8);
	HASH_ADD(hh_ck, ike->by_cookies, icky, 16, sa);
	sa->ck_indexed = true;
	return 0;
}

/*
 * The SA a datagram's cookies name: both cookies, from any address (the
 * caller checks the peer); or, from the SA's peer, an MM2/AM2 bringing the
 * responder cookie our initiator does not know yet (its key still has a
 * zero rcky), or a retransmitted MM1 (no rcky) for a responder SA.
 */
struct ike_sa *ike_sa_find(struct ike *ike, const uint8_t *icky, const uint8_t *rcky,
			   const struct ike_path *path)
{
	static const uint8_t zero[8];
	struct ike_sa *sa = by_cookies(ike, icky, rcky);

	if (sa)
		return sa;
	if (memcmp(rcky, zero, 8)) {
		sa = by_cookies(ike, icky, zero);
		if (sa && sa->initiator && addr_same(&sa->path.remote, &path->remote) &&
		    (sa->state == IKE_I_MM1 || sa->state == IKE_I_AM1))
			return sa;
		return NULL;
	}
	for (sa = ike_peer_sas(ike, &path->remote); sa; sa = sa->pnext) {
		ike->probes++;
		if (!sa->initiator && sa->ck_indexed && !memcmp(sa->icky, icky, 8))
			return sa;
	}
	return NULL;
}

struct ike_sa *ike_sa_established(struct ike *ike, const struct ike_path *path)
{
	struct ike_sa *best = NULL;

	for (struct ike_sa *sa = ike_peer_sas(ike, &path->remote); sa; sa = sa->pnext) {
		ike->probes++;
		if (sa->state == IKE_P1_COMPLETE && ike_same_path(&sa->path, path) &&
		    (!best || sa->born > best->born))
			best = sa;
	}
	return best;
}

struct ike_sa *ike_sa_on_path(struct ike *ike, const struct ike_path *path)
{
	for (struct ike_sa *sa = ike_peer_sas(ike, &path->remote); sa; sa = sa->pnext) {
		ike->probes++;
		if (ike_same_path(&sa->path, path) && sa->state != IKE_DEST_SA)
			return sa;
	}
	return NULL;
}

enum ike_carrier ike_carrier_of(const struct p2_prot *prot)
{
	return prot->kind == P2_MGRE ? IKE_CARRIER_MGRE : IKE_CARRIER_XFRM;
}

void ike_said_set(struct ike_said *id, enum ike_carrier carrier,
		  const struct sockaddr_storage *dst, uint32_t spi, uint8_t proto)
{
	memset(id, 0, sizeof(*id));
	id->carrier = (uint8_t)carrier;
	id->proto = proto;
	id->spi = spi;
	if (dst) {
		id->family = (uint8_t)dst->ss_family;
		memcpy(id->dst, addr_bytes(dst), dst->ss_family == AF_INET6 ? 16 : 4);
	}
}

void child_index(struct ike *ike, struct child *c)
{
	enum ike_carrier k = ike_carrier_of(&c->prot);

	ike_said_set(&c->id_in, k, k == IKE_CARRIER_MGRE ? NULL : &c->path.local, c->spi_in,
		     IPPROTO_ESP);
	ike_said_set(&c->id_out, k, &c->path.remote, c->spi_out, IPPROTO_ESP);
	DL_PREPEND(ike->children, c);
	HASH_ADD(hh_in, ike->by_in, id_in, sizeof(c->id_in), c);
	HASH_ADD(hh_out, ike->by_out, id_out, sizeof(c->id_out), c);
	c->peer = peer_get(ike, &c->path.remote);
	if (c->peer)
		DL_PREPEND2(c->peer->children, c, pprev, pnext);
}

void child_unindex(struct ike *ike, struct child *c)
{
	DL_DELETE(ike->children, c);
	HASH_DELETE(hh_in, ike->by_in, c);
	HASH_DELETE(hh_out, ike->by_out, c);
	if (c->peer) {
		DL_DELETE2(c->peer->children, c, pprev, pnext);
		peer_put(ike, c->peer);
		c->peer = NULL;
	}
}

struct child *child_find(struct ike *ike, const struct ike_said *id, bool *inbound)
{
	struct child *c;

	ike->probes++;
	HASH_FIND(hh_in, ike->by_in, id, sizeof(*id), c);
	if (c) {
		*inbound = true;
		return c;
	}
	ike->probes++;
	HASH_FIND(hh_out, ike->by_out, id, sizeof(*id), c);
	*inbound = false;
	return c;
}

struct child *child_newest(struct ike *ike, const struct sockaddr_storage *remote,
			   const struct p2_prot *prot)
{
	struct child *best = NULL;

	for (struct child *c = ike_peer_children(ike, remote); c; c = c->pnext) {
		ike->probes++;
		if (ike_prot_same(&c->prot, prot) && (!best || c->born > best->born))
			best = c;
	}
	return best;
}
