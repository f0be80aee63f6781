// SPDX-License-Identifier: GPL-2.0
/* The IKEv1 engine: objects, dispatch, timers, message crypto. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utlist.h>
#include "ike/ike.h"
#include "lib/log.h"
#include "lib/addr.h"

#define HALF_OPEN_MS	60000

static const char *const state_names[] = {
	[IKE_READY] = "IKE_READY",
	[IKE_I_MM1] = "IKE_I_MM1", [IKE_I_MM2] = "IKE_I_MM2", [IKE_I_MM3] = "IKE_I_MM3",
	[IKE_I_MM4] = "IKE_I_MM4", [IKE_I_MM5] = "IKE_I_MM5", [IKE_I_MM6] = "IKE_I_MM6",
	[IKE_R_MM1] = "IKE_R_MM1", [IKE_R_MM2] = "IKE_R_MM2", [IKE_R_MM3] = "IKE_R_MM3",
	[IKE_R_MM4] = "IKE_R_MM4", [IKE_R_MM5] = "IKE_R_MM5",
	[IKE_I_AM1] = "IKE_I_AM1", [IKE_R_AM1] = "IKE_R_AM1", [IKE_R_AM2] = "IKE_R_AM2",
	[IKE_P1_COMPLETE] = "IKE_P1_COMPLETE", [IKE_DEST_SA] = "IKE_DEST_SA",
};

const char *ike_state_name(enum ike_state st)
{
	return st < sizeof(state_names) / sizeof(state_names[0]) ? state_names[st] : "?";
}

const char *qm_state_name(enum qm_state st)
{
	switch (st) {
	case IKE_QM_READY: return "IKE_QM_READY";
	case IKE_QM_I_QM1: return "IKE_QM_I_QM1";
	case IKE_QM_SPI_STARVE: return "IKE_QM_SPI_STARVE";
	case IKE_QM_R_QM2: return "IKE_QM_R_QM2";
	case IKE_QM_PHASE2_COMPLETE: return "IKE_QM_PHASE2_COMPLETE";
	}
	return "?";
}

bool ike_same_path(const struct ike_path *a, const struct ike_path *b)
{
	return addr_same(&a->remote, &b->remote) && addr_same(&a->local, &b->local);
}

void ike_init(struct ike *ike, const struct conf *conf, const struct ike_ops *ops, void *priv)
{
	memset(ike, 0, sizeof(*ike));
	ike->conf = conf;
	ike->ops = ops;
	ike->priv = priv;
	ike->next_id = 1;
	ike->next_flow = 1;
}

void ike_fini(struct ike *ike)
{
	while (ike->sas)
		ike_sa_free(ike->sas);
	while (ike->children) {
		struct child *c = ike->children;

		child_unindex(ike, c);
		free(c);	/* the kernel keeps the SAs: traffic goes on */
	}
	free(ike->gre);
	ike->gre = NULL;
	ike->ngre = 0;
}

const char *ike_psk_for(struct ike *ike, const struct sockaddr_storage *peer)
{
	const void *a = addr_bytes(peer);

	return conf_psk(ike->conf, peer->ss_family, a);
}

struct ike_sa *ike_sa_new(struct ike *ike, const struct ike_path *path, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->ike = ike;
	sa->id = ike->next_id++;
	sa->initiator = initiator;
	sa->path = *path;
	sa->born = ike->now;
	sa->last_rx = ike->now;
	ike_prot_mgre(ike, path, &sa->prot);
	ike_sa_link(sa);
	ike_cac_update(sa, false);
	log_dbg_isakmp("ISAKMP: insert sa successfully sa = %u", sa->id);
	return sa;
}

void ike_sa_free(struct ike_sa *sa)
{
	ike_cac_update(sa, true);
	ike_sa_unlink(sa);
	while (sa->wants) {
		struct ike_want *w = sa->wants;

		sa->wants = w->next;
		free(w);
	}
	while (sa->qms)
		qm_free(sa->qms);
	ike_dh_free(sa->dh);
	free(sa->sai_b);
	xchg_free(&sa->x);
	wipe(&sa->k, sizeof(sa->k));
	wipe(sa->psk, sizeof(sa->psk));
	free(sa);
}

void ike_set_state(struct ike_sa *sa, enum ike_state st, const char *input)
{
	log_dbg_isakmp("ISAKMP (0:%u): Input = %s", sa->id, input);
	log_dbg_isakmp("ISAKMP (0:%u): Old State = %s  New State = %s", sa->id,
		ike_state_name(sa->state), ike_state_name(st));
	sa->state = st;
	ike_cac_update(sa, false);
}

bool ike_path_natt(const struct ike_path *path)
{
	return addr_port(&path->local) == ISAKMP_NATT_PORT;
}

int ike_send_once(struct ike_sa *sa, const uint8_t *p, size_t n)
{
	uint8_t buf[4 + IKE_PKT_MAX];
	char a[INET6_ADDRSTRLEN];

	log_dbg_isakmp("ISAKMP (0:%u): sending packet to %s my_port %u peer_port %u (%s)",
		sa->id, addr_str(&sa->path.remote, a, sizeof(a)), addr_port(&sa->path.local),
		addr_port(&sa->path.remote), sa->initiator ? "I" : "R");
	if (!ike_path_natt(&sa->path))
		return sa->ike->ops->send(sa->ike, &sa->path, p, n);
	/* RFC 3948 2.2: IKE on port 4500 starts with four zero bytes */
	if (n > IKE_PKT_MAX)
		return -1;
	memset(buf, 0, 4);
	memcpy(buf + 4, p, n);
	return sa->ike->ops->send(sa->ike, &sa->path, buf, n + 4);
}

int ike_encrypt(struct ike_sa *sa, uint8_t *iv, struct ike_buf *b)
{
	size_t body = b->len - ISAKMP_HDR_LEN, pad;

	pad = (sa->cipher->block - body % sa->cipher->block) % sa->cipher->block;
	ike_put_zero(b, pad);
	if (b->err)
		return -1;
	b->p[19] |= ISAKMP_FLAG_E;
	ike_hdr_finish(b);
	if (ike_cbc(sa->cipher, sa->k.enc, iv, b->p + ISAKMP_HDR_LEN, b->len - ISAKMP_HDR_LEN,
		    b->p + ISAKMP_HDR_LEN, true))
		return -1;
	sa->n_encrypted++;
	return 0;
}

int ike_decrypt(struct ike_sa *sa, const uint8_t *iv, const uint8_t *p, size_t n,
		uint8_t *out, uint8_t *next_iv)
{
	size_t body = n - ISAKMP_HDR_LEN;

	if (!sa->cipher || n <= ISAKMP_HDR_LEN || body % sa->cipher->block)
		return -1;
	memcpy(next_iv, iv, sa->cipher->block);
	memcpy(out, p, ISAKMP_HDR_LEN);
	if (ike_cbc(sa->cipher, sa->k.enc, next_iv, p + ISAKMP_HDR_LEN, body,
		    out + ISAKMP_HDR_LEN, false))
		return -1;
	sa->n_decrypted++;
	return 0;
}

int ike_hash_a(struct ike_sa *sa, const struct ike_iov *v, int n, uint8_t *out)
{
	return ike_prf(sa->hash, sa->k.a, sa->k.hlen, v, n, out);
}

static void host_ts(const struct sockaddr_storage *ss, uint8_t proto, struct p2_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = (uint8_t)ss->ss_family;
	ts->proto = proto;
	if (ss->ss_family == AF_INET6) {
		ts->plen = 128;
		memcpy(ts->addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	} else {
		ts->plen = 32;
		memcpy(ts->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	}
}

void ike_prot_gre(const struct ike_gre *g, const struct ike_path *path, struct p2_prot *prot)
{
	memset(prot, 0, sizeof(*prot));
	prot->kind = P2_MGRE;
	if (g) {
		prot->ifindex = g->ifindex;
		memcpy(prot->profile, g->profile, sizeof(prot->profile));
	}
	host_ts(&path->local, IPPROTO_GRE, &prot->local);
	host_ts(&path->remote, IPPROTO_GRE, &prot->remote);
}

int ike_set_gre(struct ike *ike, const struct ike_gre *g, int n)
{
	struct ike_gre *copy = NULL;

	if (n) {
		copy = calloc((size_t)n, sizeof(*copy));
		if (!copy)
			return -1;
		memcpy(copy, g, (size_t)n * sizeof(*copy));
	}
	free(ike->gre);
	ike->gre = copy;
	ike->ngre = n;
	return 0;
}

const struct ike_gre *ike_gre_dev(const struct ike *ike, int ifindex)
{
	for (int i = 0; i < ike->ngre; i++)
		if (ike->gre[i].ifindex == ifindex)
			return &ike->gre[i];
	return NULL;
}

/* A node has a handful of mGRE devices: a walk over them is the index. */
static const struct ike_gre *gre_for(const struct ike *ike, const struct sockaddr_storage *local)
{
	const struct ike_gre *unknown = NULL;
	int nunknown = 0;

	for (int i = 0; i < ike->ngre; i++) {
		const struct ike_gre *g = &ike->gre[i];

		if (!g->ifindex)
			continue;
		if (g->local.ss_family == AF_UNSPEC) {
			unknown = g;
			nunknown++;
		} else if (addr_same(&g->local, local)) {
			return g;
		}
	}
	return nunknown == 1 ? unknown : NULL;
}

int ike_prot_mgre(const struct ike *ike, const struct ike_path *path, struct p2_prot *prot)
{
	const struct ike_gre *g = gre_for(ike, &path->local);

	ike_prot_gre(g, path, prot);
	return g ? 0 : -1;
}

/* The same traffic through the same thing: the device, the VTI or the map entry. */
bool ike_prot_same(const struct p2_prot *a, const struct p2_prot *b)
{
	if (a->kind != b->kind || !p2_ts_equal(&a->local, &b->local) ||
	    !p2_ts_equal(&a->remote, &b->remote))
		return false;
	switch (a->kind) {
	case P2_MGRE:
		return a->ifindex == b->ifindex;
	case P2_VTI:
		return !strcmp(a->iface, b->iface);
	default:
		return !strcmp(a->profile, b->profile) && a->seq == b->seq;
	}
}

int ike_acquire(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot)
{
	struct ike_sa *sa = ike_sa_established(ike, path);
	char a[INET6_ADDRSTRLEN], l[64], r[64];
	struct ike_want *w;

	log_dbg_ipsec("IPSEC(sa_request): , (key eng. msg.) OUTBOUND local= %s, remote= %s,\n"
		"    local_proxy= %s,\n    remote_proxy= %s",
		addr_str(&path->local, a, sizeof(a)),
		addr_str(&path->remote, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN),
		p2_ts_str(&prot->local, l, sizeof(l)), p2_ts_str(&prot->remote, r, sizeof(r)));
	if (sa) {
		/* one is on its way: ours waiting for QM2, or the peer's waiting
		 * for its QM3 (a packet the peer sent over the pair it has just
		 * installed, answered before its QM3 is read, would otherwise
		 * start a second pair) */
		for (struct qm *q = sa->qms; q; q = q->next)
			if (qm_in_flight(q) && ike_prot_same(&q->prot, prot))
				return 0;
		return qm_start(sa, prot);
	}
	sa = ike_sa_on_path(ike, path);
	if (!sa) {
		sa = ike_sa_new(ike, path, true);
		if (!sa)
			return -1;
		sa->prot = *prot;
		if (ike->conf->aggressive ? am_start(sa) : p1_start(sa)) {
			ike_sa_free(sa);
			return -1;
		}
	}
	/* phase 1 is on its way: quick mode for this once it is up */
	for (w = sa->wants; w; w = w->next)
		if (ike_prot_same(&w->prot, prot))
			return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -1;
	w->prot = *prot;
	LL_APPEND(sa->wants, w);
	return 0;
}

void ike_expire(struct ike *ike, enum ike_carrier carrier, const struct sockaddr_storage *dst,
		uint32_t spi, uint8_t proto, bool hard)
{
	struct ike_said id;
	struct child *c;
	bool inbound;

	ike_said_set(&id, carrier, dst, spi, proto);
	c = child_find(ike, &id, &inbound);
	if (!c)
		return;
	log_dbg_ipsec("IPSEC(%s): SA spi 0x%08X (%s) reached its %s lifetime", hard ? "delete_sa" :
		"rekey", spi, inbound ? "inbound" : "outbound", hard ? "hard" : "soft");
	if (hard) {
		child_free(ike, c, true);
		return;
	}
	if (!c->rekeyed) {
		c->rekeyed = true;
		ike_acquire(ike, &c->path, &c->prot);
	}
}

static int64_t earliest(int64_t a, int64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

int64_t ike_tick(struct ike *ike)
{
	int64_t next = 0;
	struct ike_sa *sa, *nx;
	struct child *c;

	for (sa = ike->sas; sa; sa = nx) {
		nx = sa->next;
		if (sa->initiator && sa->state == IKE_I_MM3 && sa->x.tx_at &&
		    ike->now >= sa->x.tx_at && sa->x.tx_tries >= 1)
			p1_restart(sa);
		if (sa->state != IKE_P1_COMPLETE && sa->state != IKE_DEST_SA) {
			if (xchg_tick(sa, &sa->x, "phase 1", ike_state_name(sa->state))) {
				log_info("ISAKMP (0:%u): deleting SA reason \"Death by retransmission "
					 "P1\" state (%s) %s", sa->id, sa->initiator ? "I" : "R",
					 ike_state_name(sa->state));
				ike_set_state(sa, IKE_DEST_SA, "IKE_MESG_INTERNAL, IKE_PHASE1_DEL");
			}
			if (ike->now - sa->born > HALF_OPEN_MS * 3 ||
			    (!sa->initiator && ike->now - sa->last_rx > HALF_OPEN_MS) ||
			    (sa->fresh && ike->now - sa->last_rx > IKE_FRESH_MS)) {
				log_info("ISAKMP (0:%u): half-open SA in %s timed out", sa->id,
					 ike_state_name(sa->state));
				ike_set_state(sa, IKE_DEST_SA, "IKE_TIMER_EXPIRED");
			}
		}
		if (sa->state == IKE_P1_COMPLETE && sa->nat_here && ike_path_natt(&sa->path)) {
			if (!sa->ka_at)
				sa->ka_at = ike->now + NATT_KEEPALIVE_MS;
			if (ike->now >= sa->ka_at) {
				static const uint8_t ka = 0xff;	/* RFC 3948 2.3 */

				ike->ops->send(ike, &sa->path, &ka, 1);
				sa->ka_at = ike->now + NATT_KEEPALIVE_MS;
			}
			next = earliest(next, sa->ka_at);
		}
		if (sa->state == IKE_P1_COMPLETE) {
			qm_tick(sa);
			info_dpd_tick(sa);
			if (sa->expires && ike->now >= sa->expires) {
				log_info("ISAKMP (0:%u): phase 1 lifetime expired", sa->id);
				info_send_delete(sa, PROTO_ISAKMP, NULL, 0);
				ike_set_state(sa, IKE_DEST_SA, "IKE_TIMER_EXPIRED, IKE_PHASE1_DEL");
			}
		}
		if (sa->state == IKE_DEST_SA) {
			/* our phase 1 never came up: whoever asked for SAs hears so */
			if (sa->initiator && !sa->up_at && ike->ops->failed)
				for (struct ike_want *w = sa->wants; w; w = w->next)
					ike->ops->failed(ike, &sa->path, &w->prot);
			ike_sa_free(sa);
			continue;
		}
		next = earliest(next, sa->x.tx_at);
		next = earliest(next, sa->expires);
		next = earliest(next, sa->dpd_at);
		for (struct qm *q = sa->qms; q; q = q->next) {
			next = earliest(next, q->x.tx_at);
			next = earliest(next, q->deadline);
		}
		if (sa->state != IKE_P1_COMPLETE)
			next = earliest(next, ike->now + 1000);	/* half-open checks */
	}
	for (c = ike->children; c; c = c->next)
		next = earliest(next, c->rekeyed ? 0 : c->soft_at);
	/* our own soft timer, in case the kernel's notification is lost */
	for (c = ike->children; c; c = c->next)
		if (!c->rekeyed && c->soft_at && ike->now >= c->soft_at) {
			c->rekeyed = true;
			ike_acquire(ike, &c->path, &c->prot);
		}
	if (!next)
		return -1;
	return next > ike->now ? next - ike->now : 0;
}

void ike_clear_children(struct ike *ike)
{
	while (ike->children)
		child_free(ike, ike->children, true);
}

void ike_clear_sas(struct ike *ike)
{
	for (struct ike_sa *sa = ike->sas; sa; sa = sa->next)
		if (sa->state == IKE_P1_COMPLETE)
			info_send_delete(sa, PROTO_ISAKMP, NULL, 0);
	while (ike->sas)
		ike_sa_free(ike->sas);
}
