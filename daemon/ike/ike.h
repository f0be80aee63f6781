/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv1 engine: phase-1 SAs (Main Mode), Quick Mode exchanges, the
 * IPsec SA pairs they install, informational exchanges.  Everything is
 * owned by one struct ike (the daemon's single instance, or a test's):
 * it holds the lists, and every object is freed in one place (ike_sa_free,
 * qm_free, child_free).  Input is a datagram, a kernel event or the clock;
 * output goes through the send() and kernel hooks, so tests can drive the
 * engine without sockets.
 */
#ifndef DMVPN_IKE_IKE_H
#define DMVPN_IKE_IKE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <uthash.h>
#include "conf/conf.h"
#include "ike/crypto.h"
#include "ike/msg.h"
#include "ike/proposal.h"
#include "ike/xchg.h"
#include "lib/addr.h"

#define IKE_NONCE_LEN 20	/* what IOS sends */
#define IKE_PKT_MAX 4096
#define NATT_RFC 1		/* RFC 3947: payloads 20/21, encapsulation 3/4 */
#define NATT_DRAFT 2		/* the drafts IOS also speaks: 130/131, 61443/61444 */
#define NATT_KEEPALIVE_MS 20000	/* crypto isakmp nat keepalive 20 */
/* Phase-2 transforms offered at most: each transform set, and the tunnel-mode
 * variant of a "mode transport" one (p2.c, our_p2) */
#define P2_OFFER_MAX (2 * CONF_TSETS_MAX)
/*
 * Call admission (admit.c): responder SAs in negotiation at once unless
 * "crypto call admission limit ike in-negotiation-sa N" says otherwise; one
 * address may hold 1/IKE_IN_NEG_SHARE of them (at least
 * IKE_IN_NEG_SOURCE_MIN); a responder SA that saw only MM1 lives IKE_FRESH_MS.
 */
#define IKE_IN_NEG_DEFAULT 1000
#define IKE_IN_NEG_SHARE 64
#define IKE_IN_NEG_SOURCE_MIN 4
#define IKE_FRESH_MS 15000
/*
 * Over the limit, the oldest fresh SA gives way to a new MM1 only once it
 * is IKE_FRESH_MIN_MS old (else the MM1 is dropped): a real peer answers
 * MM2 within a round trip and a Diffie-Hellman key pair, and that long its
 * SA is kept however fast MM1 come (admit.c).
 */
#define IKE_FRESH_MIN_MS 500

/* Phase-1 states, named as IOS logs them. */
enum ike_state {
	IKE_READY,
	IKE_I_MM1, IKE_I_MM2, IKE_I_MM3, IKE_I_MM4, IKE_I_MM5, IKE_I_MM6,
	IKE_R_MM1, IKE_R_MM2, IKE_R_MM3, IKE_R_MM4, IKE_R_MM5,
	IKE_I_AM1, IKE_R_AM1, IKE_R_AM2,
	IKE_P1_COMPLETE,
	IKE_DEST_SA,
};

/* Quick Mode states, named as IOS logs them. */
enum qm_state {
	IKE_QM_READY,
	IKE_QM_I_QM1,
	IKE_QM_SPI_STARVE,
	IKE_QM_R_QM2,
	IKE_QM_PHASE2_COMPLETE,
};

struct ike;
struct ike_peer;

/* What a phase-2 SA pair protects, and which part of the kernel carries it. */
enum p2_kind {
	P2_MGRE,	/* GRE between the NBMA addresses, the mode negotiated: the mgre module */
	P2_MAP,		/* a crypto map entry's access-list line, tunnel mode: XFRM */
	P2_VTI,		/* a VTI, any to any, tunnel mode: XFRM with the interface's if_id */
};

struct p2_prot {
	enum p2_kind kind;
	int ifindex;			/* P2_MGRE: the device */
	char iface[IFNAMSIZ];		/* P2_VTI: the XFRM interface (conf name) */
	char profile[CONF_NAME];	/* ipsec profile; P2_MAP: the crypto map's name */
	int seq;			/* P2_MAP: the map entry's sequence number */
	struct p2_ts local, remote;	/* the proxy identities; P2_MGRE: from the path */
};

/* The datagram path to a peer; local port 4500 means NAT-T (non-ESP marker). */
struct ike_path {
	struct sockaddr_storage local;
	struct sockaddr_storage remote;
};

/* A phase-2 request waiting for phase 1 (owned by its SA: ike_sa_free, p1_complete). */
struct ike_want {
	struct ike_want *next;
	struct p2_prot prot;
};

/* Who carries an IPsec SA in the kernel: the mgre module (P2_MGRE) or XFRM. */
enum ike_carrier {
	IKE_CARRIER_MGRE,
	IKE_CARRIER_XFRM,
};

/*
 * An IPsec SA's identity as its carrier knows it, the key a child is found
 * by (index.c): the destination, the SPI, the protocol (RFC 4301 4.1), and
 * the carrier, since the module and XFRM allocate SPIs each on their own.
 * XFRM: the destination is our address for an inbound SA, the peer's for
 * an outbound one.  The mgre module demuxes inbound ESP by the SPI alone,
 * unique in its network namespace (mgre_spi_alloc): its inbound SAs have no
 * destination in the key (family 0); its outbound ones the peer's NBMA.
 */
struct ike_said {
	uint8_t carrier, proto, family, pad;
	uint32_t spi;
	uint8_t dst[16];
};

struct ike_sa {
	struct ike_sa *next, *prev;	/* ike->sas (prev: utlist's, the head's is the tail) */
	struct ike_sa *pnext, *pprev;	/* its peer's (index.c) */
	struct ike_peer *peer;
	UT_hash_handle hh_ck;		/* ike->by_cookies: icky | rcky */
	bool ck_indexed;
	/* call admission (admit.c): counted in ike->half_open; on ike->fresh */
	bool half_open, fresh;
	struct ike_sa *fnext, *fprev;
	struct ike *ike;
	unsigned int id;		/* conn-id in logs, "(0:12)" */
	bool initiator;
	enum ike_state state;
	struct ike_path path;
	uint8_t icky[8], rcky[8];	/* one 16-byte key: set them with ike_sa_cookies */
	char psk[CONF_KEY_MAX + 1];
	struct p2_prot prot;		/* what the acquire that made it asked for */

	/* negotiation */
	struct p1_attrs chosen;
	const struct ike_hash *hash;
	const struct ike_cipher *cipher;
	struct ike_dh *dh;
	uint8_t gxi[IKE_DH_MAX], gxr[IKE_DH_MAX];
	size_t gx_len;
	uint8_t *sai_b;			/* initiator's SA payload body, for the hashes */
	size_t sai_len;
	uint8_t ni[64], nr[64];
	size_t ni_len, nr_len;
	uint8_t peer_id[20];		/* the peer's phase-1 ID body (AM: for HASH_I) */
	size_t peer_id_len;
	struct ike_p1_keys k;
	/* Main or Aggressive Mode: our last message, the peer's last, the CBC chain
	 * (its last block after MM6: where phase-2 and informational IVs start) */
	struct ike_xchg x;
	bool peer_initial_contact;
	bool peer_dpd;			/* the peer sent the DPD vendor ID */
	uint8_t natt;			/* NAT-T spoken: 0, NATT_RFC or NATT_DRAFT */
	uint8_t natt_vid;		/* which of the peer's NAT-T vendor IDs we echo */
	bool nat_here, nat_there;	/* NAT-D: we, the peer, are behind a NAT */
	int64_t ka_at;			/* next NAT keepalive (when we are behind one) */

	int64_t born;			/* ms */
	int64_t up_at;			/* when phase 1 completed, ms (0: not yet) */
	int64_t expires;		/* phase-1 lifetime end, ms */
	uint32_t dpd_seq;
	int64_t dpd_at;			/* next DPD probe, 0 = none */
	int dpd_missed;
	int64_t last_rx;
	/* messages it encrypted and decrypted (show crypto engine connections active) */
	unsigned long n_encrypted, n_decrypted;
	struct ike_want *wants;		/* phase-2 requests waiting for phase 1, in order */
	struct qm *qms;			/* its Quick Mode exchanges */
};

/* An in-flight Quick Mode exchange, owned by its phase-1 SA. */
struct qm {
	struct qm *next;
	struct ike_sa *sa;
	uint32_t msgid;
	bool initiator;
	enum qm_state state;
	struct ike_xchg x;		/* its messages and CBC chain */
	uint8_t ni[64], nr[64];
	size_t ni_len, nr_len;
	uint32_t spi_in, spi_out;	/* ours (inbound), theirs (outbound) */
	struct p2_attrs chosen;
	uint8_t chosen_prop;
	struct p2_prot prot;
	struct ike_dh *dh;		/* PFS */
	uint8_t gx[IKE_DH_MAX];		/* the peer's PFS public value */
	size_t gx_len;
	/* the responder's pair from QM2 on (its inbound SA in the kernel), owned
	 * here until QM3 links it into ike->children */
	struct child *child;
	int64_t deadline;		/* give up, ms */
};

/* An installed IPsec SA pair (inbound + outbound), as the kernel holds it. */
struct child {
	struct child *next, *prev;	/* ike->children */
	struct child *pnext, *pprev;	/* its peer's (index.c) */
	struct ike_peer *peer;
	UT_hash_handle hh_in, hh_out;	/* ike->by_in, ike->by_out */
	struct ike_said id_in, id_out;	/* the keys of the two kernel SAs */
	struct ike_path path;
	struct p2_prot prot;
	uint32_t spi_in, spi_out;	/* set before child_index, never after */
	struct p2_attrs a;		/* as negotiated: a.encap is the mode (p2_tunnel_mode) */
	unsigned int conn_id;		/* of the phase-1 SA that made it */
	/* the crypto engine's numbers of its SAs ("conn id: N, flow_id: SW:N"):
	 * flow_id the inbound one, flow_id + 1 the outbound */
	unsigned int flow_id;
	int64_t born;
	int64_t soft_at;		/* rekey, ms */
	bool rekeyed;			/* a newer pair exists (or is on its way) */
	bool initiator;			/* our Quick Mode made it (the peer installs on QM3) */
};

struct ike_ops {
	/* send a datagram from path->local to path->remote; 0 or -errno */
	int (*send)(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n);
	/* SPI allocation and SA install/remove (the kernel, or a test) */
	int (*spi_alloc)(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot,
			 uint32_t *spi);
	int (*sa_add)(struct ike *ike, const struct child *c, bool inbound,
		      const uint8_t *enc, size_t enc_len, const uint8_t *auth, size_t auth_len);
	int (*sa_del)(struct ike *ike, const struct child *c, bool inbound);
	/* optional: phase 1 for an acquire failed (no answer, refused): no SA for prot */
	void (*failed)(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot);
};

/*
 * A protected mGRE device: GRE between its tunnel source and the peers,
 * in the mode its profile's transform sets negotiate (a pair's a.encap),
 * carried by the mgre module.  A node may have several
 * (two DMVPN clouds), beside VTIs and crypto maps (XFRM's).
 */
struct ike_gre {
	int ifindex;
	char profile[CONF_NAME];	/* tunnel protection ipsec profile */
	struct sockaddr_storage local;	/* tunnel source; AF_UNSPEC: not known yet */
};

struct ike {
	const struct conf *conf;
	const struct ike_ops *ops;
	void *priv;
	struct ike_sa *sas;
	struct child *children;
	/* the indexes (index.c): peers by address, SAs by cookies, children by SA id */
	struct ike_peer *peers;
	struct ike_sa *by_cookies;
	struct child *by_in, *by_out;
	unsigned long probes;		/* hash look-ups and objects looked at: tests count work */
	unsigned int next_id;
	unsigned int next_flow;		/* the next child's flow_id */
	int64_t now;			/* ms, CLOCK_MONOTONIC; set by the caller */
	/* the protected mGRE devices (ike_set_gre) */
	struct ike_gre *gre;
	int ngre;
	/* ESP-in-UDP on port 4500 reaches XFRM's tunnel-mode SAs too */
	bool xfrm_natt;
	/* call admission (admit.c): SAs, responder SAs in negotiation, the fresh ones */
	unsigned int nsas, half_open;
	struct ike_sa *fresh;		/* oldest first */
	struct {
		unsigned long accepted, evicted, rejected_in_neg, rejected_sa;
		unsigned long rejected_nat;	/* a second host behind one NAT address */
	} cac;
	unsigned long restarts;		/* initiator SAs started again from MM1 (p1_restart) */
	/* counters for show and tests */
	unsigned long rx_dropped, rx_dups;
};

void ike_init(struct ike *ike, const struct conf *conf, const struct ike_ops *ops, void *priv);
void ike_fini(struct ike *ike);

/* A datagram arrived on path (port 500). */
void ike_input(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n);
/* Traffic wants an SA with a peer (the module's ACQUIRE): start phase 1/2. */
int ike_acquire(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot);
/* The protected mGRE devices, copied (the owner refreshes them as links change). */
int ike_set_gre(struct ike *ike, const struct ike_gre *g, int n);
const struct ike_gre *ike_gre_dev(const struct ike *ike, int ifindex);
/*
 * GRE between the path's two addresses through the device whose tunnel
 * source is the path's local address (or the one device whose source is
 * not known yet); -1 if no device protects it (prot->ifindex is then 0).
 */
int ike_prot_mgre(const struct ike *ike, const struct ike_path *path, struct p2_prot *prot);
void ike_prot_gre(const struct ike_gre *g, const struct ike_path *path, struct p2_prot *prot);
bool ike_prot_same(const struct p2_prot *a, const struct p2_prot *b);
/*
 * A kernel SA reached its soft (rekey) or hard (gone) limit: the SA as its
 * carrier names it (struct ike_said): dst is the SA's destination, ours for
 * an inbound SA and the peer's for an outbound one; NULL for an inbound SA
 * of the mgre module, which knows those by SPI alone.  proto: IPPROTO_ESP.
 */
void ike_expire(struct ike *ike, enum ike_carrier carrier, const struct sockaddr_storage *dst,
		uint32_t spi, uint8_t proto, bool hard);
/* Run timers; returns ms until the next one is due (-1: none). */
int64_t ike_tick(struct ike *ike);
/* clear crypto sa / clear crypto isakmp: delete (and tell the peers). */
void ike_clear_children(struct ike *ike);
void ike_clear_sas(struct ike *ike);

/* Internals shared by the exchange files (p1.c, p2.c, info.c). */
struct ike_sa *ike_sa_new(struct ike *ike, const struct ike_path *path, bool initiator);
void ike_sa_free(struct ike_sa *sa);
bool ike_same_path(const struct ike_path *a, const struct ike_path *b);

/* admit.c: call admission for a new responder SA (0: go ahead, -1: drop the MM1) */
int ike_admit(struct ike *ike, const struct ike_path *path);
/* The SA's state changed (gone: it is being freed): recount it. */
void ike_cac_update(struct ike_sa *sa, bool gone);
uint32_t ike_in_neg_limit(const struct ike *ike);
uint32_t ike_in_neg_per_source(const struct ike *ike);

/* index.c: the lists and hash indexes of SAs, children and peers */
void ike_sa_link(struct ike_sa *sa);
void ike_sa_unlink(struct ike_sa *sa);
/* Set (or change) an SA's cookies and its place in the index; -1 if another has them. */
int ike_sa_cookies(struct ike_sa *sa, const uint8_t *icky, const uint8_t *rcky);
struct ike_sa *ike_sa_find(struct ike *ike, const uint8_t *icky, const uint8_t *rcky,
			   const struct ike_path *path);
struct ike_sa *ike_sa_established(struct ike *ike, const struct ike_path *path);
/* An SA on the path not being deleted (established or on its way), or NULL. */
struct ike_sa *ike_sa_on_path(struct ike *ike, const struct ike_path *path);
/* The peer's SAs and children (a NULL-terminated list through pnext). */
struct ike_sa *ike_peer_sas(struct ike *ike, const struct sockaddr_storage *remote);
struct child *ike_peer_children(struct ike *ike, const struct sockaddr_storage *remote);
bool ike_peer_claim(struct ike_sa *sa, uint16_t *held_port, uint8_t *held_id, size_t *held_len);
enum ike_carrier ike_carrier_of(const struct p2_prot *prot);
void ike_said_set(struct ike_said *id, enum ike_carrier carrier,
		  const struct sockaddr_storage *dst, uint32_t spi, uint8_t proto);
void child_index(struct ike *ike, struct child *c);
void child_unindex(struct ike *ike, struct child *c);
/* The child with a kernel SA of that identity; *inbound says which of its two. */
struct child *child_find(struct ike *ike, const struct ike_said *id, bool *inbound);
/* The newest pair with the peer protecting prot, or NULL. */
struct child *child_newest(struct ike *ike, const struct sockaddr_storage *remote,
			   const struct p2_prot *prot);
void ike_set_state(struct ike_sa *sa, enum ike_state st, const char *input);
const char *ike_state_name(enum ike_state st);
const char *qm_state_name(enum qm_state st);

/* Send once (xchg_send keeps it too). */
int ike_send_once(struct ike_sa *sa, const uint8_t *p, size_t n);
/* NAT-T: the path uses port 4500 (a 4-byte non-ESP marker before IKE). */
bool ike_path_natt(const struct ike_path *path);
/* Encrypt b's body (after the header) with iv, pad to the block size. */
int ike_encrypt(struct ike_sa *sa, uint8_t *iv, struct ike_buf *b);
/* Decrypt a copy of p's body with a copy of iv: the caller commits the IV. */
int ike_decrypt(struct ike_sa *sa, const uint8_t *iv, const uint8_t *p, size_t n,
		uint8_t *out, uint8_t *next_iv);
/* prf(SKEYID_a, ...) for the hashes of phase 2 and informational. */
int ike_hash_a(struct ike_sa *sa, const struct ike_iov *v, int n, uint8_t *out);
/* The PSK for the peer address. */
const char *ike_psk_for(struct ike *ike, const struct sockaddr_storage *peer);

/* p1.c: Main Mode, and the phase-1 parts Aggressive Mode shares */
int p1_start(struct ike_sa *sa);
/* The initiator's MM3 unanswered: from MM1 again, new cookie, same SA. */
int p1_restart(struct ike_sa *sa);
int p1_new_icky(struct ike_sa *sa);
void p1_input(struct ike_sa *sa, const struct ike_rx *rx);
void p1_vendor_ids_in(struct ike_sa *sa, const struct ike_msg *m);
void p1_hdr(const struct ike_sa *sa, struct ike_hdr *h, uint8_t exchange, uint32_t msgid);
void p1_put_vids(const struct ike_sa *sa, struct ike_buf *b);
int p1_put_natd(struct ike_sa *sa, struct ike_buf *b);
void p1_natd_in(struct ike_sa *sa, const struct ike_msg *m);
size_t p1_id_body(const struct sockaddr_storage *ss, uint8_t *out);
int p1_set_suite(struct ike_sa *sa, const struct p1_attrs *a);
void p1_log_attrs(const struct ike_sa *sa, const struct p1_attrs *a, int num);
int p1_keys(struct ike_sa *sa, const struct ike_msg *m);
int p1_put_ke_nonce(struct ike_sa *sa, struct ike_buf *b);
int p1_auth_hash(struct ike_sa *sa, bool of_initiator, const uint8_t *id, size_t id_len,
		 uint8_t *out);
void p1_complete(struct ike_sa *sa);
void p1_refuse(struct ike_sa *sa, uint16_t type);
void p1_fail(struct ike_sa *sa, const char *why);
int p1_save_sai(struct ike_sa *sa, const uint8_t *body, size_t len);
int p1_choose(struct ike_sa *sa, const struct ike_pl *sp, const struct ike_msg *m,
	      struct p1_offer *o);
int p1_send(struct ike_sa *sa, struct ike_buf *b, const char *name);
void p1_notifies_in(struct ike_sa *sa, const struct ike_msg *m);
/* am.c: Aggressive Mode (only with "crypto isakmp aggressive-mode") */
int am_start(struct ike_sa *sa);
void am_input(struct ike_sa *sa, const struct ike_rx *rx);
/* p2.c: Quick Mode */
int qm_start(struct ike_sa *sa, const struct p2_prot *prot);
struct qm *qm_new(struct ike_sa *sa, uint32_t msgid, bool initiator);
struct qm *qm_find(struct ike_sa *sa, uint32_t msgid);
/* Ours waiting for QM2, or the peer's waiting for QM3: a pair is coming. */
bool qm_in_flight(const struct qm *q);
/* A message of q's (fresh: the QM1 that made it); may free q. */
void qm_input(struct qm *q, const struct ike_rx *rx, bool fresh);
void qm_free(struct qm *q);
void qm_tick(struct ike_sa *sa);
void child_free(struct ike *ike, struct child *c, bool tell_peer);
/*
 * The kernel's limits for a pair's SAs: hard at the negotiated lifetime
 * (seconds and kilobytes), soft where the engine rekeys (85% of the time
 * as initiator, 92% as responder; 90% of the bytes), and the configured
 * replay window (1024 unless "crypto ipsec security-association replay"
 * says otherwise).  One computation for every carrier.
 */
struct child_limits {
	uint64_t soft_bytes, hard_bytes, soft_sec, hard_sec;
	uint32_t replay_window;
};
void child_limits(const struct ike *ike, const struct child *c, struct child_limits *l);
/* info.c: informational exchanges */
/* An informational exchange: protected (rx decrypted), or in the clear (rx NULL if
 * it did not parse). */
void info_input(struct ike_sa *sa, const struct ike_rx *rx);
void info_clear(struct ike_sa *sa, const struct ike_rx *rx);
int info_send_notify(struct ike_sa *sa, uint8_t proto, uint16_t type, const uint8_t *spi,
		     size_t spi_len, const uint8_t *data, size_t data_len);
int info_send_delete(struct ike_sa *sa, uint8_t proto, const uint8_t *spi, size_t spi_len);
void info_dpd_tick(struct ike_sa *sa);
void info_initial_contact(struct ike_sa *sa);

#endif /* DMVPN_IKE_IKE_H */
