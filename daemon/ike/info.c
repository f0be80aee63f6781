// SPDX-License-Identifier: GPL-2.0
/*
 * Informational exchanges (RFC 2408 4.8, RFC 2409 5.7): notifications and
 * deletes, protected by HASH(1) = prf(SKEYID_a, M-ID | N/D); dead peer
 * detection (RFC 3706: R-U-THERE / R-U-THERE-ACK with sequence numbers);
 * INITIAL-CONTACT (a peer that restarted: its old SAs are gone).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

#define DPD_MISSES 5

static int info_send(struct ike_sa *sa, void (*put)(struct ike_buf *b, const void *arg),
		     const void *arg)
{
	uint8_t pkt[512], iv[IKE_BLOCK_MAX];
	struct ike_buf b;
	struct ike_hdr h = { .exchange = ISAKMP_XCHG_INFO };
	uint32_t msgid;
	size_t hash_at, off, rest;
	uint8_t m[4];

	if (sa->state != IKE_P1_COMPLETE)
		return -1;
	do {
		if (ike_random(&msgid, 4))
			return -1;
	} while (!msgid);
	m[0] = msgid >> 24, m[1] = msgid >> 16, m[2] = msgid >> 8, m[3] = msgid;
	memcpy(h.icookie, sa->icky, 8);
	memcpy(h.rcookie, sa->rcky, 8);
	h.msgid = msgid;
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	off = ike_pl_open(&b, ISAKMP_NP_HASH);
	hash_at = b.len;
	ike_put_zero(&b, sa->hash->len);
	ike_pl_close(&b, off);
	rest = b.len;
	put(&b, arg);
	if (b.err)
		return -1;
	{
		struct ike_iov v[2] = { IKE_IOV(m, 4), IKE_IOV(b.p + rest, b.len - rest) };

		if (ike_hash_a(sa, v, 2, b.p + hash_at))
			return -1;
	}
	/* every informational exchange starts its own IV from the phase-1 one */
	if (ike_p2_iv(sa->hash, sa->cipher, sa->x.iv, msgid, iv) || ike_encrypt(sa, iv, &b))
		return -1;
	return ike_send_once(sa, b.p, b.len);
}

struct notify_arg {
	uint8_t proto;
	uint16_t type;
	const uint8_t *spi;
	size_t spi_len;
	const uint8_t *data;
	size_t data_len;
};

static void put_notify(struct ike_buf *b, const void *arg)
{
	const struct notify_arg *a = arg;
	size_t off = ike_pl_open(b, ISAKMP_NP_N);

	ike_put32(b, IPSEC_DOI);
	ike_put8(b, a->proto);
	ike_put8(b, (uint8_t)a->spi_len);
	ike_put16(b, a->type);
	ike_put(b, a->spi, a->spi_len);
	ike_put(b, a->data, a->data_len);
	ike_pl_close(b, off);
}

int info_send_notify(struct ike_sa *sa, uint8_t proto, uint16_t type, const uint8_t *spi,
		     size_t spi_len, const uint8_t *data, size_t data_len)
{
	struct notify_arg a = { proto, type, spi, spi_len, data, data_len };
	uint8_t cookies[16];

	if (proto == PROTO_ISAKMP && !spi) {
		memcpy(cookies, sa->icky, 8);
		memcpy(cookies + 8, sa->rcky, 8);
		a.spi = cookies;
		a.spi_len = 16;
	}
	log_dbg_isakmp("ISAKMP (0:%u): sending NOTIFY %s protocol %u", sa->id,
		       ike_notify_name(type), proto);
	return info_send(sa, put_notify, &a);
}

static void put_delete(struct ike_buf *b, const void *arg)
{
	const struct notify_arg *a = arg;
	size_t off = ike_pl_open(b, ISAKMP_NP_D);

	ike_put32(b, IPSEC_DOI);
	ike_put8(b, a->proto);
	ike_put8(b, (uint8_t)a->spi_len);
	ike_put16(b, 1);
	ike_put(b, a->spi, a->spi_len);
	ike_pl_close(b, off);
}

int info_send_delete(struct ike_sa *sa, uint8_t proto, const uint8_t *spi, size_t spi_len)
{
	struct notify_arg a = { .proto = proto, .spi = spi, .spi_len = spi_len };
	uint8_t cookies[16];

	if (proto == PROTO_ISAKMP) {
		memcpy(cookies, sa->icky, 8);
		memcpy(cookies + 8, sa->rcky, 8);
		a.spi = cookies;
		a.spi_len = 16;
	}
	log_dbg_isakmp("ISAKMP (0:%u): sending DELETE protocol %u", sa->id, proto);
	return info_send(sa, put_delete, &a);
}

/*
 * The peer restarted: what we had with it before this negotiation began
 * goes, the pairs and the established phase-1 SAs.  What began since is
 * the new peer's: two spokes that start IKE to each other at once (both
 * answering an NHRP resolution) cross, each with INITIAL-CONTACT, and
 * neither exchange may take the other down.
 */
void info_initial_contact(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct child *c, *nc;
	char a[INET6_ADDRSTRLEN];

	log_info("ISAKMP (0:%u): Process initial contact, bring down existing phase 1 and 2 SA's "
		 "with local %s remote %s", sa->id,
		 addr_str(&sa->path.local, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN),
		 addr_str(&sa->path.remote, a, sizeof(a)));
	/* sa is the peer's too: its list stays while its pairs go */
	for (c = ike_peer_children(ike, &sa->path.remote); c; c = nc) {
		nc = c->pnext;
		if (c->conn_id != sa->id && c->born <= sa->born)
			child_free(ike, c, false);
	}
	for (struct ike_sa *o = ike_peer_sas(ike, &sa->path.remote); o; o = o->pnext)
		if (o != sa && o->state == IKE_P1_COMPLETE && o->up_at <= sa->born)
			o->state = IKE_DEST_SA;	/* freed by the next tick */
	sa->peer_initial_contact = false;
}

static void peer_dead(struct ike_sa *sa, const char *why)
{
	struct ike *ike = sa->ike;
	struct child *c, *nc;

	log_info("ISAKMP (0:%u): peer %s is dead (%s): deleting its SAs", sa->id,
		 addr_str(&sa->path.remote, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN), why);
	for (c = ike_peer_children(ike, &sa->path.remote); c; c = nc) {
		nc = c->pnext;
		child_free(ike, c, false);
	}
	ike_set_state(sa, IKE_DEST_SA, "IKE_MESG_INTERNAL, IKE_PHASE1_DEL");
}

static void delete_in(struct ike_sa *sa, const struct ike_pl *pl)
{
	struct ike *ike = sa->ike;
	size_t spi_len, nspi;
	uint8_t proto;

	if (pl->len < 8)
		return;
	proto = pl->body[4];
	spi_len = pl->body[5];
	nspi = (size_t)(pl->body[6] << 8 | pl->body[7]);
	if (!spi_len || pl->len < 8 + spi_len * nspi)
		return;
	for (size_t i = 0; i < nspi; i++) {
		const uint8_t *spi = pl->body + 8 + i * spi_len;

		if (proto == PROTO_ISAKMP && spi_len == 16) {
			log_info("ISAKMP (0:%u): peer deleted the ISAKMP SA", sa->id);
			struct ike_sa *o = ike_sa_find(ike, spi, spi + 8, &sa->path);

			if (o && !memcmp(o->icky, spi, 8) && !memcmp(o->rcky, spi + 8, 8) &&
			    addr_same(&o->path.remote, &sa->path.remote))
				o->state = IKE_DEST_SA;
		} else if (proto == PROTO_IPSEC_ESP && spi_len == 4) {
			uint32_t v = (uint32_t)spi[0] << 24 | spi[1] << 16 | spi[2] << 8 | spi[3];

			/* the peer names its inbound SPI (our outbound); accept either */
			for (struct child *c = ike_peer_children(ike, &sa->path.remote); c;
			     c = c->pnext) {
				ike->probes++;
				if (c->spi_out == v || c->spi_in == v) {
					log_info("IPSEC: peer deleted SA 0x%08X", v);
					child_free(ike, c, false);
					break;
				}
			}
		}
	}
}

static void notify_in(struct ike_sa *sa, const struct ike_pl *pl)
{
	struct ike_notify n;
	uint16_t type;

	if (ike_notify_parse(pl, &n))
		return;
	type = n.type;
	log_dbg_isakmp("ISAKMP (0:%u): processing NOTIFY %s protocol %u", sa->id,
		       ike_notify_name(type), n.proto);
	if ((type == N_R_U_THERE || type == N_R_U_THERE_ACK) && n.spi_len == 16 &&
	    n.data_len == 4) {
		const uint8_t *d = n.data;
		uint32_t seq = (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];

		if (type == N_R_U_THERE) {
			log_dbg_isakmp("ISAKMP (0:%u): DPD/R_U_THERE received from peer, "
				       "sequence 0x%x", sa->id, seq);
			info_send_notify(sa, PROTO_ISAKMP, N_R_U_THERE_ACK, NULL, 0, d, 4);
		} else if (seq == sa->dpd_seq) {
			log_dbg_isakmp("ISAKMP (0:%u): DPD/R_U_THERE_ACK received from peer, "
				       "sequence 0x%x", sa->id, seq);
			sa->dpd_missed = 0;
			sa->dpd_at = sa->ike->now + (int64_t)sa->ike->conf->dpd_interval * 1000;
		}
		return;
	}
	if (type == N_INITIAL_CONTACT)
		info_initial_contact(sa);
	else if (type < 16384)
		log_info("ISAKMP (0:%u): peer says %s", sa->id, ike_notify_name(type));
}

/* Before the keys exist only a refusal makes sense; IOS logs it and goes on. */
void info_clear(struct ike_sa *sa, const struct ike_rx *rx)
{
	const struct ike_pl *pl = rx ? ike_msg_find(&rx->m, ISAKMP_NP_N, 0) : NULL;
	struct ike_notify n;

	if (pl && !ike_notify_parse(pl, &n))
		log_info("ISAKMP (0:%u): unprotected notify from peer: %s", sa->id,
			 ike_notify_name(n.type));
	if (sa->state != IKE_P1_COMPLETE && sa->state != IKE_READY && sa->initiator)
		ike_set_state(sa, IKE_DEST_SA, "IKE_MESG_FROM_PEER, IKE_INFO_NOTIFY");
}

/* HASH(1) = prf(SKEYID_a, M-ID | the payloads after HASH) */
static bool hash_ok(struct ike_sa *sa, const struct ike_rx *rx)
{
	const struct ike_msg *m = &rx->m;
	const struct ike_pl *hp = &m->pl[0];
	uint32_t id = rx->h->msgid;
	uint8_t m4[4] = { id >> 24, id >> 16, id >> 8, id };
	const uint8_t *rest = hp->raw + hp->raw_len;
	const uint8_t *end = m->pl[m->npl - 1].raw + m->pl[m->npl - 1].raw_len;
	struct ike_iov v[2] = { IKE_IOV(m4, 4), IKE_IOV(rest, (size_t)(end - rest)) };
	uint8_t want[IKE_HASH_MAX];

	return hp->len == sa->hash->len && !ike_hash_a(sa, v, 2, want) &&
	       ike_memeq(want, hp->body, hp->len);
}

void info_input(struct ike_sa *sa, const struct ike_rx *rx)
{
	const struct ike_msg *m = &rx->m;

	if (m->npl < 2 || m->pl[0].type != ISAKMP_NP_HASH) {
		sa->ike->rx_dropped++;
		return;
	}
	if (!hash_ok(sa, rx)) {
		log_info("ISAKMP (0:%u): informational hash check failed: dropped", sa->id);
		sa->ike->rx_dropped++;
		return;
	}
	for (int i = 1; i < m->npl; i++) {
		if (m->pl[i].type == ISAKMP_NP_N)
			notify_in(sa, &m->pl[i]);
		else if (m->pl[i].type == ISAKMP_NP_D)
			delete_in(sa, &m->pl[i]);
	}
}

void info_dpd_tick(struct ike_sa *sa)
{
	const struct conf *c = sa->ike->conf;
	int64_t now = sa->ike->now, every;
	uint32_t seq;

	if (!c->dpd_interval || !sa->peer_dpd) {
		sa->dpd_at = 0;
		return;
	}
	if (!sa->dpd_at) {
		sa->dpd_at = now + (int64_t)c->dpd_interval * 1000;
		if (!sa->dpd_seq && ike_random(&sa->dpd_seq, 4) == 0)
			sa->dpd_seq &= 0x7fffffff;
		return;
	}
	if (now < sa->dpd_at)
		return;
	if (sa->dpd_missed >= DPD_MISSES) {
		peer_dead(sa, "no R_U_THERE_ACK");
		return;
	}
	/* on-demand: only when the peer has been quiet for the interval */
	if (!c->dpd_periodic && !sa->dpd_missed &&
	    now - sa->last_rx < (int64_t)c->dpd_interval * 1000) {
		sa->dpd_at = sa->last_rx + (int64_t)c->dpd_interval * 1000;
		return;
	}
	seq = htonl(++sa->dpd_seq);
	info_send_notify(sa, PROTO_ISAKMP, N_R_U_THERE, NULL, 0, (const uint8_t *)&seq, 4);
	sa->dpd_missed++;
	every = sa->dpd_missed > 1 ? c->dpd_retry : c->dpd_interval;
	sa->dpd_at = now + every * 1000;
}
