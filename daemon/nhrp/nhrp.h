/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP engine: next hop client (registration to the NHSs, resolution,
 * shortcuts) and next hop server (registrations, resolution answered or
 * forwarded, redirects, purges) for every mGRE interface of the process.
 * Like the IKE engine it has no socket, no netlink and no clock: input is
 * a packet (nhrp_input), a kernel event (nhrp_miss, nhrp_traffic,
 * nhrp_sa_up) or the time (nhrp_tick); output goes through struct
 * nhrp_hooks.  Everything is owned by one struct nhrp and freed in one
 * place per object.
 *
 * This header is the contract with dmvpnd (dmvpnd/nhrp_glue.c,
 * dmvpnd/show_nhrp.c): the calls, the hooks, and the state the show
 * commands read.  The engine's files may add to the structures; they keep
 * these names and meanings.
 */
#ifndef DMVPN_NHRP_NHRP_H
#define DMVPN_NHRP_NHRP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <uthash.h>
#include "nhrp/params.h"
#include "nhrp/wire.h"

struct nhrp;

/*
 * What the engine asks of its owner.  ctx is nhrp_init's.  The hooks are
 * called from within the engine's calls; they must not call back into it.
 */
struct nhrp_hooks {
	/* send an NHRP packet on an interface to an NBMA address */
	int (*send)(void *ctx, int ifindex, const struct nhrp_addr *nbma,
		    const uint8_t *pkt, size_t len);
	/*
	 * The kernel's mapping of an overlay address on the interface: to
	 * nbma, or removed (nbma NULL).  The data path uses it at once.
	 */
	void (*neigh)(void *ctx, int ifindex, const struct nhrp_addr *proto,
		      const struct nhrp_addr *nbma);
	/* the interface's multicast replication list: a dynamic entry added/removed */
	void (*mcast)(void *ctx, int ifindex, const struct nhrp_addr *nbma, bool add);
	/* a shortcut route prefix/plen via next hop on the interface, added or removed */
	void (*route)(void *ctx, int ifindex, const struct nhrp_addr *prefix, uint8_t plen,
		      const struct nhrp_addr *via, bool add);
	/*
	 * Whether traffic to nbma on the interface is protected and ready
	 * (true on an unprotected interface).  When it is not, the owner
	 * starts IKE towards nbma and later calls nhrp_sa_up().
	 */
	bool (*sa_ready)(void *ctx, int ifindex, const struct nhrp_addr *nbma);
	/*
	 * When the data path last sent to nbma on the interface (ms on the
	 * engine's clock), or -1 if unknown: shortcuts are refreshed only if
	 * used, and torn down after idle time.
	 */
	int64_t (*last_used)(void *ctx, int ifindex, const struct nhrp_addr *nbma);
	/* nothing of ours points at nbma any more: its IPsec SAs may go */
	void (*peer_gone)(void *ctx, int ifindex, const struct nhrp_addr *nbma);
	/*
	 * Request ids survive a restart (RFC 2332 5.2.3): the engine asks for
	 * a block of ids before it uses them; the owner stores "next" durably
	 * and returns the first id of the block (the stored value).
	 */
	uint32_t (*reqid_reserve)(void *ctx, uint32_t count);
	/*
	 * The kernel's route to dst (phase 3): 1 through the interface (via:
	 * its next hop, or dst itself on the link), 0 out of another interface
	 * (a network behind us), -1 none; *plen is the route's prefix length.
	 */
	int (*route_get)(void *ctx, int ifindex, const struct nhrp_addr *dst,
			 struct nhrp_addr *via, uint8_t *plen);
};

/* One interface's settings as the engine takes them (nhrp_if_set copies it). */
struct nhrp_if_conf {
	int ifindex;
	char name[IFNAMSIZ];		/* "Tunnel0" as the configuration names it */
	struct nhrp_addr nbma;		/* our NBMA address (the tunnel source) */
	struct nhrp_addr proto;		/* our overlay address ... */
	uint8_t plen;			/* ... and its subnet */
	struct nhrp_addr p2p_dst;	/* point-to-point GRE: the tunnel destination */
	uint16_t mtu;			/* the MTU our CIEs carry */
	bool protected;			/* tunnel protection: wait for IPsec where it says */
	const struct nhrp_params *p;
};

/* Cache entry types, as "show ip nhrp" names them. */
enum nhrp_cache_type {
	NHRP_CACHE_STATIC,	/* ip nhrp map */
	NHRP_CACHE_DYNAMIC,	/* registered with us (hub) */
	NHRP_CACHE_NHS,		/* an NHS we register with, learned from its reply */
	NHRP_CACHE_CACHED,	/* learned from a resolution (both ends) */
	NHRP_CACHE_INCOMPLETE,	/* resolution sent, no answer yet */
	NHRP_CACHE_NEGATIVE,	/* resolution failed: do not ask again for a while */
	NHRP_CACHE_LOCAL,	/* our own address */
};

/* Cache entry flags ("Flags: unique registered used nhop ..."). */
#define NHRP_CF_UNIQUE		0x0001
#define NHRP_CF_REGISTERED	0x0002
#define NHRP_CF_USED		0x0004
#define NHRP_CF_NHOP		0x0008	/* a next hop (host route), not a network */
#define NHRP_CF_ROUTER		0x0010
#define NHRP_CF_NAT		0x0020	/* its NBMA is post-NAT (differs from claimed) */
#define NHRP_CF_IMPLICIT	0x0040	/* learned from a request's source */
#define NHRP_CF_SHORTCUT	0x0080	/* installed as a shortcut route (phase 3) */
#define NHRP_CF_WAIT_SA		0x0100	/* waiting for IPsec before it is used */

struct nhrp_if;

struct nhrp_cache {
	UT_hash_handle hh;		/* nhrp_if.cache, keyed by proto */
	struct nhrp_if *nif;
	struct nhrp_addr proto;		/* the target: proto/prefix */
	uint8_t prefix;
	enum nhrp_cache_type type;
	uint32_t flags;			/* NHRP_CF_* */
	struct nhrp_addr nbma;		/* where its packets go (post-NAT) */
	struct nhrp_addr nbma_claimed;	/* what it said it was (before NAT), if different */
	struct nhrp_addr via;		/* next hop's proto address (shortcuts: the peer) */
	int64_t created;		/* ms */
	int64_t expires;		/* ms; 0: never (static) */
	uint16_t holdtime;
	uint32_t reqid;			/* the registration's (purge uses it) */
	/* engine-private data follows in the engine's own structures */
};

/* An NHS's state, as "show ip nhrp nhs" and "show dmvpn" print it. */
enum nhrp_nhs_state {
	NHRP_NHS_DOWN,
	NHRP_NHS_PROBE,		/* registering, no reply yet: "E" */
	NHRP_NHS_UP,		/* replies come: "RE" */
};

struct nhrp_nhs {
	struct nhrp_addr proto, nbma;
	uint8_t priority, cluster;
	enum nhrp_nhs_state state;
	bool expecting;		/* E: a request is out */
	bool responding;	/* R: it answered the last one */
	bool waiting;		/* W: waiting (IPsec, back-off) */
	int64_t up_since;	/* ms, the UpDn time */
	int64_t next_reg;	/* ms */
	uint32_t retry_ms;	/* back-off: 1 s doubling to 64 s */
	uint32_t reqid;		/* the request out */
	/* show ip nhrp nhs detail: requests sent, unanswered or refused; replies, the last at */
	uint64_t req_sent, req_failed, repl_recv;
	int64_t repl_at;
	struct nhrp_addr nat_nbma;	/* our NBMA as this NHS saw it (behind NAT), len 0 if same */
};

/* Per-interface counters, by packet type and by drop reason. */
struct nhrp_stats {
	uint64_t rx[9], tx[9];		/* by enum nhrp_type */
	uint64_t drop[NHRP_DROP_MAX];
	uint64_t forwarded;		/* resolution requests/replies relayed */
	uint64_t rate_limited;		/* not sent: over ip nhrp max-send */
};

struct nhrp_if {
	struct nhrp_if *next;		/* nhrp.ifs */
	struct nhrp *n;
	struct nhrp_if_conf c;		/* c.p points at the engine's own copy */
	struct nhrp_cache *cache;	/* uthash by proto address */
	int nnhs;
	struct nhrp_nhs *nhs;
	struct nhrp_stats st;
};

struct nhrp {
	const struct nhrp_hooks *h;
	void *ctx;
	int64_t now;			/* ms, set by the owner before each call */
	struct nhrp_if *ifs;
	uint32_t reqid_next, reqid_left;	/* the block reqid_reserve gave */
};

int nhrp_init(struct nhrp *n, const struct nhrp_hooks *h, void *ctx);
/* Free everything; the kernel's entries are left (the owner flushes what it wants). */
void nhrp_fini(struct nhrp *n);

/*
 * Add an interface, or apply new settings to one (a reload): what did not
 * change keeps its state.  The engine copies c and *c->p.  An interface is
 * a device and a protocol family (c->proto.len 4 or 16): a tunnel with both
 * "ip nhrp" and "ipv6 nhrp" is two, sharing the device's packet socket,
 * SAs and multicast list.
 */
struct nhrp_if *nhrp_if_set(struct nhrp *n, const struct nhrp_if_conf *c);
/*
 * Deregister (a purge to each NHS) and forget the interface: neighbours,
 * routes removed; alen 4 its IPv4 NHRP, 16 its IPv6 NHRP, 0 both.
 */
void nhrp_if_del(struct nhrp *n, int ifindex, uint8_t alen);
/* The device's first interface (either family), or NULL: whether NHRP runs on it. */
struct nhrp_if *nhrp_if_get(struct nhrp *n, int ifindex);
/* The device's NHRP for protocol addresses of alen bytes (4 IPv4, 16 IPv6), or NULL. */
struct nhrp_if *nhrp_if_find(struct nhrp *n, int ifindex, uint8_t alen);

/*
 * A packet from nbma (its outer source address) received on the interface;
 * nbma->len 0 on a point-to-point interface: from its tunnel destination.
 */
void nhrp_input(struct nhrp *n, int ifindex, const struct nhrp_addr *src_nbma,
		const uint8_t *pkt, size_t len);
/* Traffic to an overlay address with no mapping on the interface (a neighbour miss). */
void nhrp_miss(struct nhrp *n, int ifindex, const struct nhrp_addr *dst);
/* Hub: the interface relayed a packet src -> dst in and out of itself (redirect hint). */
void nhrp_traffic(struct nhrp *n, int ifindex, const struct nhrp_addr *src,
		  const struct nhrp_addr *dst);
/* IPsec SAs to nbma are up: what waited for them goes now. */
void nhrp_sa_up(struct nhrp *n, int ifindex, const struct nhrp_addr *nbma);
/* The last IPsec SA to nbma went: registrations to it go again soon (its NHS restarted). */
void nhrp_sa_down(struct nhrp *n, int ifindex, const struct nhrp_addr *nbma);
/* IKE towards nbma failed: what waited for its SAs goes through the NHS, or goes. */
void nhrp_sa_failed(struct nhrp *n, int ifindex, const struct nhrp_addr *nbma);
/* Run the timers due at n->now; the ms until the next one, or -1. */
int64_t nhrp_tick(struct nhrp *n);

/*
 * Forget a cache entry (clear ip nhrp): purges those who resolved it;
 * ifindex 0 every device, proto NULL every entry, alen 4 or 16 one family
 * (clear ip nhrp, clear ipv6 nhrp), 0 both.
 */
int nhrp_cache_clear(struct nhrp *n, int ifindex, const struct nhrp_addr *proto, uint8_t alen);

const char *nhrp_cache_type_name(enum nhrp_cache_type t);	/* "static", "dynamic" ... */

#endif /* DMVPN_NHRP_NHRP_H */
