/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the show commands share (show_sa.c): the kernel's SAs and their
 * counters, an IPsec SA pair as the views print it, a session (the SAs
 * and pairs with one peer), the names IOS gives things.  Each family of
 * commands has its file: show_crypto.c (isakmp, ipsec, session),
 * show_engine.c (sockets, engine connections), show_nhrp.c, show_debug.c;
 * ctl_answer.c dispatches the control socket's requests to them.
 */
#ifndef DMVPN_DMVPND_SHOW_H
#define DMVPN_DMVPND_SHOW_H

#include <net/if.h>
#include <stdio.h>
#include "dmvpnd/dmvpnd.h"

/* The module's SAs on one device, as one dump gives them (loaded when first asked). */
struct ksas {
	bool loaded;
	int ifindex;		/* what they were dumped for */
	bool oom;
	size_t n, cap;
	struct mgre_sa_info *sa;
};

/* One IPsec SA pair as the views show it. */
struct child_view {
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];	/* the endpoints */
	char li[64], ri[64];				/* the traffic selectors */
	char t[64];					/* the transform set */
	char ifn[IF_NAMESIZE];
	const char *ifname;
	char tag[CONF_NAME + 8];	/* the crypto map tag: the map's, or "IF-head-0" */
	long long left;		/* seconds */
	unsigned long long kb_left;
	/* the counters, from the module (GRE) or XFRM, in the module's slots */
	uint64_t xi[MGRE_STATS_A_MAX + 1], xo[MGRE_STATS_A_MAX + 1];
	const uint64_t *in, *out;
	bool has_in, has_out;	/* the kernel holds the SA */
};

void child_view(struct daemon *d, const struct child *c, struct ksas *k, struct child_view *v);
void ksas_free(struct ksas *k);

/* Seconds until end (ms), 0 once past. */
long long secs_left(int64_t end, int64_t now);
/* hh:mm:ss of s seconds (IOS's lifetimes and uptimes). */
char *hms(long long s, char *buf, size_t len);
/* The IOS name the configuration gives a device ("linux interface Tunnel0 dmvpn0"), or dev. */
const char *ios_name(const struct daemon *d, const char *dev);
/* The interface of what prot protects: the mgre device, the VTI, the map's; "?" if none;
 * in the configuration's (IOS's) names */
const char *prot_iface(struct daemon *d, const struct p2_prot *prot,
		       const struct ike_path *path, char *buf);
/* "esp-3des esp-sha-hmac" */
void tset_name(const struct p2_attrs *a, char *buf, size_t len);
/* ISAKMP state as IOS shows it: QM_IDLE, MM_NO_STATE, MM_SA_SETUP, MM_KEY_EXCH, AG_* */
const char *ike_status(const struct ike_sa *sa);
/* IOS's short names: des 3des aes aes256, md5 sha sha256 */
const char *p1_enc_short(const struct p1_attrs *a);
const char *p1_hash_short(uint16_t hash);
/* Its capabilities as IOS's "Cap." letters: D (DPD), N (NAT-T); "" for none. */
void ike_caps(struct daemon *d, const struct ike_sa *sa, char *buf);

/* A session: the peer, its phase-1 SAs and its IPsec pairs (IOS's crypto session). */
struct session {
	const struct sockaddr_storage *remote;
	const struct ike_sa *sa;	/* the newest established, or the newest at all */
	int nsas;
	const struct child *first;	/* its pairs: ike_peer_children's list through pnext */
	int nchildren;
};
/* Every peer with an SA or a pair, in the order of d->ike.sas then children: malloc'd. */
struct session *sessions(struct daemon *d, int *n);
/* UP-ACTIVE, UP-IDLE, UP-NO-IKE, DOWN-NEGOTIATING, DOWN */
const char *session_status(const struct session *s);

/* show_crypto.c, show_engine.c, show_debug.c */
void show_isakmp(struct daemon *d, FILE *f, bool detail, bool json);
void show_ipsec(struct daemon *d, FILE *f, bool detail, bool json);
void show_sockets(struct daemon *d, FILE *f, bool json);
void show_engine(struct daemon *d, FILE *f, bool json);
/* show_cac.c: show crypto call admission statistics */
void show_cac(struct daemon *d, FILE *f, bool json);
void show_debug_command(const struct ctl_req *r, FILE *f);
/* The crypto part of "show dmvpn detail", IOS's "Crypto Session Details". */
void show_dmvpn_sessions(struct daemon *d, FILE *f);

#endif /* DMVPN_DMVPND_SHOW_H */
