/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP engine's insides, shared by its files and nobody else:
 *   engine.c   the object: interfaces, settings, input dispatch, timers, SA events
 *   cache.c    cache entries, the peers they point at, the kernel's mappings
 *   pkt.c      our packets: headers, our CIE, authentication, sending, rate, errors
 *   nhc.c      next hop client: registration to each NHS, its replies and back-off
 *   nhs.c      next hop server: registrations received, purges
 *   resolve.c  resolution: requests sent on a miss, forwarded, answered (delayed
 *              until IPsec is up), replies taken in, refreshes
 *   shortcut.c phase 3: Traffic Indications sent (hub, ip nhrp redirect) and
 *              taken (spoke, ip nhrp shortcut), shortcut routes
 *   rx_limit.c requests received, rate-limited per source address
 */
#ifndef DMVPN_NHRP_PRIV_H
#define DMVPN_NHRP_PRIV_H

#include "nhrp/nhrp.h"

#define NHRP_RETRY_MIN_MS 1000		/* NHS back-off: 1 s doubling ... */
#define NHRP_RETRY_MAX_MS 64000		/* ... to 64 s */
#define NHRP_NHS_MISSES_DOWN 3		/* unanswered requests before UP -> PROBE */
#define NHRP_RES_TRIES 4		/* resolution requests before a negative entry */
#define NHRP_NEGATIVE_MS 30000		/* how long a failed resolution is not asked again */
#define NHRP_REQID_BLOCK 1024		/* request ids reserved at once (reqid_reserve) */
#define NHRP_DROP_LOG_MS 10000	/* one log line about dropped packets per 10 s */
#define NHRP_PEND_MAX_PER_PEER 8	/* delayed replies kept per peer waiting for IPsec */
/* requests received per source address (rx_limit.c): 20 a second, bursts of 100 */
#define NHRP_RX_RATE 20
#define NHRP_RX_BURST 100
#define NHRP_RX_SLOTS_MIN 256

/* A token bucket (rx_limit.c). */
struct nhrp_rx_bucket {
	int64_t at;		/* when tokens was last brought up to date, ms (0: full) */
	uint32_t tokens;	/* in thousandths of a request */
};

struct nhrp_entry;

/*
 * A peer's NBMA address on an interface: the cache entries that point at
 * it (when none does, its IPsec SAs may go) and the replies that wait for
 * its IPsec SAs.
 */
struct nhrp_peer {
	UT_hash_handle hh;		/* nhrp_if_priv.peers, keyed by nbma */
	struct nhrp_addr nbma;
	int refs;			/* entries whose nbma this is */
	struct nhrp_entry *waiting;	/* entries with NHRP_CF_WAIT_SA, via wnext */
	struct nhrp_pend *pend;		/* delayed replies */
	int npend;
	struct nhrp_rx_bucket rx;	/* its requests received (rx_limit.c) */
};

/* A packet built and waiting for the IPsec SAs to its destination. */
struct nhrp_pend {
	struct nhrp_pend *next;
	size_t len;
	uint8_t pkt[];
};

struct nhrp_entry {
	struct nhrp_cache pub;		/* first: the cache is a hash of these */
	struct nhrp_peer *peer;		/* the peer pub.nbma names, a reference */
	struct nhrp_entry *wnext;	/* peer->waiting */
	struct nhrp_addr kern_nbma;	/* what the kernel maps pub.proto to (len 0: nothing) */
	bool mcast;			/* pub.nbma is in the multicast list for it */
	bool requested;			/* we asked for it (refresh if used) */
	bool shortcut;			/* phase 3: a network behind a peer, a route via it */
	bool routed;			/* its shortcut route is in the kernel */
	uint32_t res_reqid;		/* the resolution request out */
	int tries;
	int64_t retry_at;		/* incomplete: next request; 0 none */
	int64_t refresh_at;		/* cached: when to refresh if used; 0 none */
	int64_t used_mark;		/* last_used at the previous refresh */
	/* hub: who resolved this registration through us (purged when it goes) */
	struct nhrp_resolver {
		struct nhrp_addr proto, nbma;
	} *resolvers;
	int nresolvers, cap_resolvers;
};

/* The engine's view of an interface. */
struct nhrp_if_priv {
	struct nhrp_if pub;		/* first */
	struct nhrp_params p;		/* our copy of the settings (pub.c.p points here) */
	struct nhrp_peer *peers;
	int64_t bucket_at;		/* ip nhrp max-send: the window's start */
	uint32_t bucket_used;
	uint32_t *nhs_misses;		/* per NHS: unanswered requests in a row */
	int64_t drop_log_at;		/* drops are logged once per NHRP_DROP_LOG_MS */
	int64_t refuse_log_at;		/* and unique registrations refused */
	struct nhrp_rx_bucket *rx_slots;	/* rx_limit.c: unknown sources, hashed */
	size_t rx_nslots;		/* a power of two (0: none yet) */
};

static inline struct nhrp_if_priv *nif_priv(struct nhrp_if *nif)
{
	return (struct nhrp_if_priv *)nif;
}

static inline struct nhrp_entry *entry_of(struct nhrp_cache *c)
{
	return (struct nhrp_entry *)c;
}

/* rx_limit.c: whether a packet from src may be taken (requests are limited per source) */
bool rx_limit_ok(struct nhrp_if *nif, const struct nhrp_addr *src, const uint8_t *p, size_t len);

/* engine.c */
uint32_t nhrp_reqid(struct nhrp *n);

/* cache.c */
struct nhrp_entry *cache_find(struct nhrp_if *nif, const struct nhrp_addr *proto);
struct nhrp_entry *cache_add(struct nhrp_if *nif, const struct nhrp_addr *proto,
			     enum nhrp_cache_type type);
/* Point the entry at nbma (a peer reference moves with it); NULL: at nothing. */
void cache_set_nbma(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_addr *nbma);
/* The kernel maps proto to nbma (NULL: no mapping): only what changed goes down. */
void cache_kernel(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_addr *nbma);
void cache_wait_sa(struct nhrp_if *nif, struct nhrp_entry *e, bool wait);
void cache_mcast(struct nhrp_if *nif, struct nhrp_entry *e, bool on);
/* Remove: the kernel's mapping, the multicast entry, the peer if it was the last. */
void cache_del(struct nhrp_if *nif, struct nhrp_entry *e);
/* Forget everything without telling the kernel (nhrp_fini). */
void cache_free_all(struct nhrp_if *nif);
struct nhrp_peer *peer_get(struct nhrp_if *nif, const struct nhrp_addr *nbma, bool make);
bool sibling_uses(struct nhrp_if *nif, const struct nhrp_addr *nbma, bool mcast);
void peer_put(struct nhrp_if *nif, struct nhrp_peer *p);
void pend_free(struct nhrp_peer *p);
bool nbma_is_nhs(const struct nhrp_if *nif, const struct nhrp_addr *nbma);
bool in_subnet(const struct nhrp_if *nif, const struct nhrp_addr *a);
int64_t cache_tick(struct nhrp_if *nif);

/* pkt.c */
void pkt_init(struct nhrp_if *nif, struct nhrp_msg *m, uint8_t type, bool with_auth);
void pkt_our_cie(struct nhrp_if *nif, struct nhrp_cie *c, uint16_t holdtime);
int pkt_send(struct nhrp_if *nif, const struct nhrp_addr *nbma, const struct nhrp_msg *m);
/* debug nhrp: "Send|Receive TYPE via IF vrf 0, packet size: N" (no VRFs here: always 0). */
void pkt_log(const struct nhrp_if *nif, const char *dir, const struct nhrp_msg *m, size_t len);
/* Queue m for nbma until its SAs are up. */
int pkt_delay(struct nhrp_if *nif, const struct nhrp_addr *nbma, const struct nhrp_msg *m);
void pkt_flush(struct nhrp_if *nif, struct nhrp_peer *p);
/* ip nhrp max-send: whether one more request may go now (counted if not). */
bool pkt_rate_ok(struct nhrp_if *nif);
void pkt_error(struct nhrp_if *nif, const struct nhrp_addr *to, const struct nhrp_msg *m,
	       uint16_t code, uint16_t offset, const uint8_t *p, size_t len);
bool pkt_auth_ok(const struct nhrp_if *nif, const struct nhrp_msg *m);
uint8_t host_plen(const struct nhrp_addr *a);

/* nhc.c */
void nhc_start(struct nhrp_if *nif);
void nhc_reg_reply(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m);
void nhc_error(struct nhrp_if *nif, const struct nhrp_msg *m);
void nhc_sa_up(struct nhrp_if *nif, const struct nhrp_addr *nbma);
void nhc_sa_down(struct nhrp_if *nif, const struct nhrp_addr *nbma);
void nhc_deregister(struct nhrp_if *nif);
int64_t nhc_tick(struct nhrp_if *nif);
struct nhrp_nhs *nhc_best(struct nhrp_if *nif);
struct nhrp_addr *nhc_nat(struct nhrp_if *nif);

/* nhs.c */
void nhs_reg_request(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m);
void nhs_purge_request(struct nhrp_if *nif, const struct nhrp_addr *src,
		       const struct nhrp_msg *m);
void nhs_resolved_by(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_addr *proto,
		     const struct nhrp_addr *nbma);
void nhs_purge_resolvers(struct nhrp_if *nif, struct nhrp_entry *e);

/* resolve.c */
void res_miss(struct nhrp_if *nif, const struct nhrp_addr *dst);
void res_request(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m,
		 const uint8_t *p, size_t len);
void res_reply(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m);
void res_send(struct nhrp_if *nif, struct nhrp_entry *e);
/* phase 3 (shortcut.c) */
void sc_traffic(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_addr *dst);
void sc_indication(struct nhrp_if *nif, const struct nhrp_addr *from, const struct nhrp_msg *m);
void sc_route(struct nhrp_if *nif, struct nhrp_entry *e, bool add);
void sc_reply(struct nhrp_if *nif, struct nhrp_entry *e, const struct nhrp_msg *m,
	      const struct nhrp_cie *c, const struct nhrp_addr *nbma);
void res_answer(struct nhrp_if *nif, const struct nhrp_addr *src, const struct nhrp_msg *m,
		uint8_t plen);
void res_forward(struct nhrp_if *nif, const struct nhrp_addr *to, const struct nhrp_addr *src,
		 const struct nhrp_msg *m, const uint8_t *p, size_t len);

#endif /* DMVPN_NHRP_PRIV_H */
