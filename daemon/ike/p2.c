// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode (RFC 2409 5.5), initiator and responder.  For GRE over ESP on
 * the mgre device the proxy identities are the two NBMA addresses, host to
 * host, protocol 47 (seed 002: "local= 209.168.202.130/255.255.255.255/47/0"),
 * in transport or tunnel mode alike (our_p2 says which mode is offered).
 *
 *   QM1 I->R  HASH(1), SA, Ni [, KE], IDci, IDcr
 *   QM2 R->I  HASH(2), SA, Nr [, KE], IDci, IDcr [, N(RESPONDER-LIFETIME)]
 *   QM3 I->R  HASH(3)
 *
 * The inbound SA goes into the kernel as soon as its keys are known (the
 * responder at QM2, the initiator at QM2 too), the outbound one once the
 * peer has its inbound: make-before-break, no packet to an SA not there.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

#define QM_TIMEOUT_MS 60000

struct qm *qm_new(struct ike_sa *sa, uint32_t msgid, bool initiator)
{
	struct qm *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->sa = sa;
	q->msgid = msgid;
	q->initiator = initiator;
	q->deadline = sa->ike->now + QM_TIMEOUT_MS;
	if (ike_p2_iv(sa->hash, sa->cipher, sa->x.iv, msgid, q->x.iv)) {
		free(q);
		return NULL;
	}
	q->next = sa->qms;
	sa->qms = q;
	log_dbg_isakmp("ISAKMP: set new node %d to QM_IDLE", (int32_t)msgid);
	return q;
}

struct qm *qm_find(struct ike_sa *sa, uint32_t msgid)
{
	for (struct qm *q = sa->qms; q; q = q->next)
		if (q->msgid == msgid)
			return q;
	return NULL;
}

void qm_free(struct qm *q)
{
	struct qm **pp;

	for (pp = &q->sa->qms; *pp; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	ike_dh_free(q->dh);
	xchg_free(&q->x);
	/*
	 * A responder's half pair (QM2 sent, no QM3): its inbound SA goes with
	 * it, whatever ends the exchange (its phase 1 deleted, INITIAL-CONTACT,
	 * shutdown); nobody would own it in the kernel otherwise.
	 */
	if (q->child)
		q->sa->ike->ops->sa_del(q->sa->ike, q->child, true);
	free(q->child);
	wipe(q, sizeof(*q));
	free(q);
}

static void qm_state(struct qm *q, enum qm_state st, const char *input)
{
	log_dbg_isakmp("ISAKMP (0:%u): Node %d, Input = %s", q->sa->id, (int32_t)q->msgid, input);
	log_dbg_isakmp("ISAKMP (0:%u): Old State = %s  New State = %s", q->sa->id,
		qm_state_name(q->state), qm_state_name(st));
	q->state = st;
}

static uint32_t addr4(const struct sockaddr_storage *ss)
{
	return ((const struct sockaddr_in *)ss)->sin_addr.s_addr;
}

/* The address an ID names (for the NAT case, where any host is fine). */
static uint32_t id_addr(const struct ike_pl *id)
{
	uint32_t a = 0;

	if (id && id->len >= 8)
		memcpy(&a, id->body + 4, 4);
	return a;
}

/* An ID must be one host, GRE, and the address we expect (IOS: "proxy identities"). */
static bool id_ok(const struct ike_pl *id, uint32_t want)
{
	static const uint8_t host[4] = { 255, 255, 255, 255 };

	if (!id || id->len < 8 || id->body[1] != IPPROTO_GRE)
		return false;
	if (id->body[0] == ID_IPV4_ADDR && id->len == 8)
		return !memcmp(id->body + 4, &want, 4);
	if (id->body[0] == ID_IPV4_ADDR_SUBNET && id->len == 12)
		return !memcmp(id->body + 4, &want, 4) && !memcmp(id->body + 8, host, 4);
	return false;
}

static bool behind_nat(const struct ike_sa *sa)
{
	return sa->natt && (sa->nat_here || sa->nat_there);
}

/* Through a NAT the modes become their UDP-encapsulated forms (RFC 3947 5.1). */
static void natt_encap(const struct ike_sa *sa, struct p2_attrs *x, int n)
{
	if (!behind_nat(sa))
		return;
	for (int i = 0; i < n; i++) {
		bool transport = x[i].encap == ENCAP_TRANSPORT;

		if (sa->natt == NATT_RFC)
			x[i].encap = transport ? ENCAP_UDP_TRANSPORT : ENCAP_UDP_TUNNEL;
		else
			x[i].encap = transport ? ENCAP_UDP_TRANSPORT_DRAFT : ENCAP_UDP_TUNNEL_DRAFT;
	}
}

/* NAT-OAi and NAT-OAr: the original addresses, for transport mode (RFC 3947 5.2) */
static void put_natoa(const struct ike_sa *sa, struct ike_buf *b, uint32_t oai, uint32_t oar)
{
	uint8_t type = sa->natt == NATT_RFC ? ISAKMP_NP_NATOA : ISAKMP_NP_NATOA_DRAFT;
	uint32_t a[2] = { oai, oar };

	if (!behind_nat(sa))
		return;
	for (int i = 0; i < 2; i++) {
		size_t off = ike_pl_open(b, type);

		ike_put8(b, ID_IPV4_ADDR);
		ike_put8(b, 0);
		ike_put16(b, 0);
		ike_put(b, &a[i], 4);
		ike_pl_close(b, off);
	}
}

/* Open the HASH payload with room for the hash; returns where its value goes. */
static size_t hash_open(struct ike_buf *b, size_t len)
{
	size_t off = ike_pl_open(b, ISAKMP_NP_HASH);

	ike_put_zero(b, len);
	ike_pl_close(b, off);
	return off + ISAKMP_GEN_LEN;
}

/*
 * Finish a Quick Mode message: HASH(1) or HASH(2) over M-ID [| Ni_b] | the
 * payloads after HASH, written into the HASH payload; then encrypt.
 */
static int qm_seal(struct qm *q, struct ike_buf *b, size_t hash_at, bool with_ni)
{
	struct ike_sa *sa = q->sa;
	uint8_t m[4] = { q->msgid >> 24, q->msgid >> 16, q->msgid >> 8, q->msgid };
	size_t rest = hash_at + sa->hash->len;
	struct ike_iov v[3] = {
		IKE_IOV(m, 4), IKE_IOV(q->ni, with_ni ? q->ni_len : 0),
		IKE_IOV(b->p + rest, b->len - rest),
	};

	if (b->err || ike_hash_a(sa, v, 3, b->p + hash_at))
		return -1;
	return ike_encrypt(sa, q->x.iv, b);
}

/* The hash a received QM1/QM2 carries, checked. */
static bool hash_ok(struct qm *q, const struct ike_msg *m, bool with_ni)
{
	struct ike_sa *sa = q->sa;
	const struct ike_pl *h = m->npl ? &m->pl[0] : NULL;
	const uint8_t *end, *rest;
	uint8_t mid[4] = { q->msgid >> 24, q->msgid >> 16, q->msgid >> 8, q->msgid };
	uint8_t want[IKE_HASH_MAX];

	if (!h || h->type != ISAKMP_NP_HASH || h->len != sa->hash->len)
		return false;
	/* everything after HASH up to the end of the last payload (not the padding) */
	rest = h->raw + h->raw_len;
	end = m->pl[m->npl - 1].raw + m->pl[m->npl - 1].raw_len;
	{
		struct ike_iov v[3] = {
			IKE_IOV(mid, 4), IKE_IOV(q->ni, with_ni ? q->ni_len : 0),
			IKE_IOV(rest, (size_t)(end - rest)),
		};

		if (ike_hash_a(sa, v, 3, want))
			return false;
	}
	return ike_memeq(want, h->body, h->len);
}

static int hash3(struct qm *q, uint8_t *out)
{
	static const uint8_t zero;
	uint8_t m[4] = { q->msgid >> 24, q->msgid >> 16, q->msgid >> 8, q->msgid };
	struct ike_iov v[4] = {
		IKE_IOV(&zero, 1), IKE_IOV(m, 4), IKE_IOV(q->ni, q->ni_len),
		IKE_IOV(q->nr, q->nr_len),
	};

	return ike_hash_a(q->sa, v, 4, out);
}

static void hdr_qm(const struct qm *q, struct ike_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, q->sa->icky, 8);
	memcpy(h->rcookie, q->sa->rcky, 8);
	h->exchange = ISAKMP_XCHG_QUICK;
	h->msgid = q->msgid;
}

static int qm_keep(struct qm *q, const struct ike_buf *b, bool resend)
{
	return xchg_send(q->sa, &q->x, b->p, b->len, resend);
}

/* The transform sets of prot's profile (or crypto map entry), lifetimes and PFS filled in. */
static int prot_tsets(const struct conf *c, const struct p2_prot *prot, struct p2_attrs *out)
{
	const struct conf_map *m = prot->kind == P2_MAP ? conf_map_get(c, prot->profile, prot->seq)
							: NULL;
	const struct conf_profile *p = m ? &m->p : conf_profile_get(c, prot->profile);

	return p ? conf_p2_list(c, p, out) : 0;
}

/*
 * The transforms for what prot protects, in its transform sets' order.
 * Crypto maps and VTIs are tunnel mode whatever the set says (IOS forces
 * tunnel on a VTI too).  GRE on the mgre device takes the set's mode as
 * IOS does: "mode transport" is a request, so such a set offers transport
 * and then its tunnel-mode variant, and a responder with it accepts either;
 * a set without it (tunnel, IOS's default) offers and accepts tunnel only.
 * out holds P2_OFFER_MAX.
 */
static int our_p2(struct ike_sa *sa, const struct p2_prot *prot, struct p2_attrs *out)
{
	struct p2_attrs sets[CONF_TSETS_MAX];
	int nsets = prot_tsets(sa->ike->conf, prot, sets), n = 0;

	for (int i = 0; i < nsets; i++) {
		bool transport = prot->kind == P2_MGRE && sets[i].encap == ENCAP_TRANSPORT;

		out[n] = sets[i];
		out[n++].encap = transport ? ENCAP_TRANSPORT : ENCAP_TUNNEL;
		if (transport) {
			out[n] = sets[i];
			out[n++].encap = ENCAP_TUNNEL;
		}
	}
	natt_encap(sa, out, n);
	return n;
}

static bool offers_transport(const struct p2_attrs *x, int n)
{
	for (int i = 0; i < n; i++)
		if (!p2_tunnel_mode(&x[i]))
			return true;
	return false;
}

/*
 * What the initiator's proxy identities ask us to protect: GRE between
 * the two peers (the mgre device; behind a NAT the IDs carry private
 * addresses, RFC 3947 5.2), any to any with a VTI's peer, or traffic
 * within a line of a crypto map entry's access list for this peer.
 */
static int r_prot(struct ike_sa *sa, const struct ike_pl *idi, const struct ike_pl *idr,
		  struct p2_prot *prot)
{
	const struct conf *conf = sa->ike->conf;
	const struct sockaddr_storage *peer = &sa->path.remote;
	const void *pa = addr_bytes(peer);
	const struct conf_iface *vti;
	const struct conf_map *map;
	struct p2_ts ti, tr;
	bool gre = !ike_prot_mgre(sa->ike, &sa->path, prot);

	if (!idi && !idr)	/* no IDs: the two peers, host to host */
		return gre ? 0 : -1;
	if (!idi || !idr || p2_id_parse(idi->body, idi->len, &ti) ||
	    p2_id_parse(idr->body, idr->len, &tr))
		return -1;
	if (gre && peer->ss_family == AF_INET &&
	    id_ok(idi, sa->nat_there ? id_addr(idi) : addr4(&sa->path.remote)) &&
	    id_ok(idr, sa->nat_here ? id_addr(idr) : addr4(&sa->path.local)))
		return 0;
	prot->local = tr;
	prot->remote = ti;
	vti = conf_vti_for(conf, peer->ss_family, pa);
	if (vti && !ti.plen && !tr.plen && !ti.proto && !tr.proto && !ti.port && !tr.port &&
	    ti.family == tr.family &&
	    ti.family == (vti->mode == CONF_TUN_IPSEC6 ? AF_INET6 : AF_INET)) {
		prot->kind = P2_VTI;
		prot->ifindex = 0;
		/* the Linux device the VTI is (conf_ifname: NULL if no device can be) */
		snprintf(prot->iface, sizeof(prot->iface), "%s", conf_ifname(conf, vti->name) ?: "");
		snprintf(prot->profile, sizeof(prot->profile), "%s", vti->profile);
		return 0;
	}
	map = conf_map_for(conf, peer->ss_family, pa, &tr, &ti);
	if (map) {
		prot->kind = P2_MAP;
		prot->ifindex = 0;
		snprintf(prot->profile, sizeof(prot->profile), "%s", map->name);
		prot->seq = map->seq;
		return 0;
	}
	return -1;
}

static void log_proxies(const struct ike_sa *sa, const struct qm *q)
{
	char l[64], r[64];

	log_dbg_ipsec("IPSEC(validate_proposal_request): proposal part #1,\n"
		"  (key eng. msg.) INBOUND local= %s, remote= %s,\n"
		"    local_proxy= %s,\n    remote_proxy= %s,\n"
		"    protocol= ESP, transform= %s %s (%s)",
		addr_str(&sa->path.local, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN),
		addr_str(&sa->path.remote, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN),
		p2_ts_str(&q->prot.local, l, sizeof(l)), p2_ts_str(&q->prot.remote, r, sizeof(r)),
		p2_esp_name(q->chosen.esp_id), p2_auth_name(q->chosen.auth),
		p2_tunnel_mode(&q->chosen) ? "Tunnel" : "Transport");
}

static int pfs_shared(struct qm *q, uint8_t *gqm, size_t *len)
{
	if (!q->chosen.group)
		return (*len = 0), 0;
	return ike_dh_shared(q->dh, q->gx, q->gx_len, gqm, len);
}

static void log_sa(const struct qm *q, const char *dir, uint32_t spi)
{
	char a[INET6_ADDRSTRLEN], l[INET6_ADDRSTRLEN];

	log_dbg_ipsec("IPSEC(create_sa): sa created,\n  (sa) sa_dest= %s, sa_proto= 50,\n"
		"    sa_spi= 0x%08X(%u),\n    sa_trans= %s %s , sa_conn_id= %u (%s)",
		*dir == 'i' ? addr_str(&q->sa->path.local, l, sizeof(l)) :
		addr_str(&q->sa->path.remote, a, sizeof(a)), spi, spi,
		p2_esp_name(q->chosen.esp_id), p2_auth_name(q->chosen.auth), q->sa->id, dir);
}

/* KEYMAT for one direction, then into the kernel. */
static int install(struct qm *q, struct child *c, bool inbound)
{
	struct ike_sa *sa = q->sa;
	size_t el = p2_enc_key_len(&q->chosen), al = p2_auth_key_len(&q->chosen);
	uint8_t km[IKE_KEY_MAX + 4 + IKE_HASH_MAX], gqm[IKE_DH_MAX];
	size_t glen;
	int err;

	if (pfs_shared(q, gqm, &glen))
		return -1;
	err = ike_keymat(&sa->k, sa->hash, gqm, glen, PROTO_IPSEC_ESP,
			 inbound ? c->spi_in : c->spi_out, q->ni, q->ni_len, q->nr, q->nr_len,
			 km, el + al);
	wipe(gqm, sizeof(gqm));
	if (!err)
		err = sa->ike->ops->sa_add(sa->ike, c, inbound, km, el, km + el, al);
	if (!err) {
		uint32_t spi = inbound ? c->spi_in : c->spi_out;
		uint8_t s[4] = { spi >> 24, spi >> 16, spi >> 8, spi };

		log_key(inbound ? "ESP SPI (in)" : "ESP SPI (out)", sa->id, s, 4);
		log_key("ESP encryption key", sa->id, km, el);
		log_key("ESP integrity key", sa->id, km + el, al);
	}
	wipe(km, sizeof(km));
	if (err) {
		log_err("IPSEC: installing the %s SA 0x%08X failed (%d)",
			inbound ? "inbound" : "outbound", inbound ? c->spi_in : c->spi_out, err);
		return -1;
	}
	log_sa(q, inbound ? "in" : "out", inbound ? c->spi_in : c->spi_out);
	return 0;
}

/* Born now: the rekey at 85% of the lifetime for the initiator, 92% for the responder. */
static void child_times(struct child *c, const struct qm *q)
{
	int64_t now = q->sa->ike->now;

	c->born = now;
	/* the initiator rekeys first (85%), the responder later (92%): no collision */
	c->soft_at = now + (int64_t)c->a.life_sec * (q->initiator ? 850 : 920);
}

static struct child *child_new(struct qm *q)
{
	struct child *c = calloc(1, sizeof(*c));
	uint32_t life = q->chosen.life_sec ? q->chosen.life_sec : 3600;

	if (!c)
		return NULL;
	c->path = q->sa->path;
	c->prot = q->prot;
	c->spi_in = q->spi_in;
	c->spi_out = q->spi_out;
	c->a = q->chosen;
	c->a.life_sec = life;
	c->conn_id = q->sa->id;
	c->flow_id = q->sa->ike->next_flow;
	q->sa->ike->next_flow += 2;
	child_times(c, q);
	return c;
}

static void child_link(struct ike *ike, struct child *c)
{
	/* older pairs with the peer are being replaced */
	for (struct child *o = ike_peer_children(ike, &c->path.remote); o; o = o->pnext)
		if (ike_prot_same(&o->prot, &c->prot))
			o->rekeyed = true;
	child_index(ike, c);
}

void child_limits(const struct ike *ike, const struct child *c, struct child_limits *l)
{
	uint64_t bytes = (uint64_t)c->a.life_kb * 1024;

	l->hard_sec = c->a.life_sec;
	l->soft_sec = (uint64_t)(c->soft_at - c->born) / 1000;
	l->hard_bytes = bytes;
	l->soft_bytes = bytes / 10 * 9;
	l->replay_window = ike->conf->ipsec_replay_window;
}

void child_free(struct ike *ike, struct child *c, bool tell_peer)
{
	struct ike_sa *sa = ike_sa_established(ike, &c->path);
	uint32_t spi = htonl(c->spi_in);

	child_unindex(ike, c);
	log_dbg_ipsec("IPSEC(delete_sa): deleting SA, (sa) sa_spi= 0x%08X / 0x%08X", c->spi_in,
		c->spi_out);
	ike->ops->sa_del(ike, c, false);
	ike->ops->sa_del(ike, c, true);
	if (tell_peer && sa)
		info_send_delete(sa, PROTO_IPSEC_ESP, (const uint8_t *)&spi, 4);
	free(c);
}

int qm_start(struct ike_sa *sa, const struct p2_prot *prot)
{
	struct p2_attrs ours[P2_OFFER_MAX];
	uint8_t pkt[IKE_PKT_MAX];
	struct ike_buf b;
	struct ike_hdr h;
	uint32_t msgid;
	size_t hash_at;
	struct qm *q;
	int n;

	n = our_p2(sa, prot, ours);
	if (!n) {
		if (prot->kind == P2_MAP)
			log_err("IPSEC: no crypto map entry %s %d with a transform set",
				prot->profile, prot->seq);
		else
			log_err("IPSEC: no ipsec profile %s with a transform set", prot->profile);
		return -1;
	}
	if (prot->kind != P2_MGRE && behind_nat(sa) && !sa->ike->xfrm_natt) {
		log_err("IPSEC: no tunnel-mode SA through a NAT: the 4500 socket is the mgre "
			"device's");
		return -1;
	}
	do {
		if (ike_random(&msgid, 4))
			return -1;
	} while (!msgid);
	q = qm_new(sa, msgid, true);
	if (!q)
		return -1;
	q->prot = *prot;
	log_dbg_isakmp("ISAKMP (0:%u): asking for 1 spis from ipsec", sa->id);
	if (sa->ike->ops->spi_alloc(sa->ike, &sa->path, &q->prot, &q->spi_in)) {
		log_err("IPSEC: no SPI from the kernel");
		qm_free(q);
		return -1;
	}
	log_dbg_ipsec("IPSEC(spi_response): getting spi %u for SA", q->spi_in);
	q->ni_len = IKE_NONCE_LEN;
	if (ike_random(q->ni, q->ni_len)) {
		qm_free(q);
		return -1;
	}
	if (ours[0].group) {
		q->dh = ike_dh_new(ours[0].group);
		if (!q->dh) {
			qm_free(q);
			return -1;
		}
	}
	hdr_qm(q, &h);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	hash_at = hash_open(&b, sa->hash->len);
	p2_sa_build(&b, ours, NULL, n, q->spi_in);
	ike_put_pl(&b, ISAKMP_NP_NONCE, q->ni, q->ni_len);
	if (q->dh) {
		uint8_t gx[IKE_DH_MAX];

		if (ike_dh_pub(q->dh, gx)) {
			qm_free(q);
			return -1;
		}
		ike_put_pl(&b, ISAKMP_NP_KE, gx, ike_dh_len(ours[0].group));
	}
	p2_id_put(&b, &q->prot.local);
	p2_id_put(&b, &q->prot.remote);
	if (offers_transport(ours, n))	/* NAT-OA: for transport mode only (RFC 3947 5.2) */
		put_natoa(sa, &b, addr4(&sa->path.local), addr4(&sa->path.remote));
	if (qm_seal(q, &b, hash_at, false)) {
		qm_free(q);
		return -1;
	}
	qm_state(q, IKE_QM_I_QM1, "IKE_MESG_INTERNAL, IKE_INIT_QM");
	return qm_keep(q, &b, true);
}

static void log_p2(const struct ike_sa *sa, const struct p2_offer *o)
{
	for (int i = 0; i < o->n; i++) {
		const struct p2_attrs *x = &o->x[i];

		log_dbg_isakmp("ISAKMP (0:%u): Checking IPSec proposal %u", sa->id, o->prop_num[i]);
		log_dbg_isakmp("ISAKMP: transform %u, %s", o->xf_num[i], p2_esp_name(x->esp_id));
		log_dbg_isakmp("ISAKMP:   attributes in transform:");
		log_dbg_isakmp("ISAKMP:      encaps is %u", x->encap);
		if (x->life_sec)
			log_dbg_isakmp("ISAKMP:      SA life type in seconds\n"
				"ISAKMP:      SA life duration (basic) of %u", x->life_sec);
		if (x->life_kb)
			log_dbg_isakmp("ISAKMP:      SA life type in kilobytes\n"
				"ISAKMP:      SA life duration (VPI) of  0x%x 0x%x 0x%x 0x%x",
				x->life_kb >> 24, (x->life_kb >> 16) & 0xff,
				(x->life_kb >> 8) & 0xff, x->life_kb & 0xff);
		if (x->auth)
			log_dbg_isakmp("ISAKMP:      authenticator is %s", p2_auth_name(x->auth));
		if (x->keylen)
			log_dbg_isakmp("ISAKMP:      key length is %u", x->keylen);
		if (x->group)
			log_dbg_isakmp("ISAKMP:      group is %u", x->group);
	}
}

static void notify_to_peer(struct ike_sa *sa, uint16_t type)
{
	info_send_notify(sa, PROTO_IPSEC_ESP, type, NULL, 0, NULL, 0);
}

/* QM1's nonce and HASH(1), the offer, the proxies, PFS: what we take, or -1. */
static int r_qm1_choose(struct ike_sa *sa, struct qm *q, const struct ike_msg *m,
			uint32_t *life_ours)
{
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SA, 0);
	const struct ike_pl *no = ike_msg_find(m, ISAKMP_NP_NONCE, 0);
	const struct ike_pl *ke = ike_msg_find(m, ISAKMP_NP_KE, 0);
	struct p2_attrs ours[P2_OFFER_MAX];
	struct p2_offer o;
	int i, which, n, err;

	log_dbg_isakmp("ISAKMP (0:%u): processing HASH payload. message ID = %d", sa->id,
		(int32_t)q->msgid);
	if (!no || no->len < 8 || no->len > sizeof(q->ni)) {
		log_info("ISAKMP (0:%u): QM1 without a valid nonce", sa->id);
		return -1;
	}
	memcpy(q->ni, no->body, no->len);
	q->ni_len = no->len;
	if (!hash_ok(q, m, false)) {
		log_info("ISAKMP (0:%u): QM1 hash check failed: dropped", sa->id);
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): processing SA payload. message ID = %d", sa->id,
		       (int32_t)q->msgid);
	err = sp ? p2_sa_parse(sp->body, sp->len, &o) : N_PAYLOAD_MALFORMED;
	if (err) {
		log_info("ISAKMP (0:%u): QM1 SA payload: %s", sa->id, ike_notify_name((uint16_t)err));
		notify_to_peer(sa, (uint16_t)err);
		return -1;
	}
	log_p2(sa, &o);
	if (r_prot(sa, ike_msg_find(m, ISAKMP_NP_ID, 0), ike_msg_find(m, ISAKMP_NP_ID, 1),
		   &q->prot)) {
		log_info("ISAKMP (0:%u): proxy identities not supported: no GRE between the peers "
			 "on an mgre device, no VTI to the peer, no crypto map entry covering them",
			 sa->id);
		notify_to_peer(sa, N_INVALID_ID_INFORMATION);
		return -1;
	}
	if (q->prot.kind != P2_MGRE && behind_nat(sa) && !sa->ike->xfrm_natt) {
		log_info("ISAKMP (0:%u): no tunnel-mode SA through a NAT: the 4500 socket is the "
			 "mgre device's", sa->id);
		notify_to_peer(sa, N_NO_PROPOSAL_CHOSEN);
		return -1;
	}
	n = our_p2(sa, &q->prot, ours);
	i = p2_match(&o, ours, n, &which);
	if (i < 0) {
		log_info("ISAKMP (0:%u): IPSec policy invalidated proposal with error 256", sa->id);
		notify_to_peer(sa, N_NO_PROPOSAL_CHOSEN);
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): atts are acceptable.", sa->id);
	q->chosen = o.x[i];
	q->chosen_prop = o.prop_num[i];
	q->spi_out = o.spi[i];
	*life_ours = ours[which].life_sec;
	log_proxies(sa, q);
	if (!q->chosen.group)
		return 0;
	if (!ke || ke->len != ike_dh_len(q->chosen.group)) {
		notify_to_peer(sa, N_INVALID_KEY_INFORMATION);
		return -1;
	}
	memcpy(q->gx, ke->body, ke->len);
	q->gx_len = ke->len;
	q->dh = ike_dh_new(q->chosen.group);
	return q->dh ? 0 : -1;
}

/* RESPONDER-LIFETIME: ours is shorter, and it is what we install. */
static void put_responder_lifetime(struct ike_sa *sa, struct qm *q, struct ike_buf *b,
				   uint32_t life_ours)
{
	size_t off;
	uint32_t spi = htonl(q->spi_in);

	if (!life_ours || (q->chosen.life_sec && q->chosen.life_sec <= life_ours))
		return;
	off = ike_pl_open(b, ISAKMP_NP_N);
	ike_put32(b, IPSEC_DOI);
	ike_put8(b, PROTO_IPSEC_ESP);
	ike_put8(b, 4);
	ike_put16(b, N_RESPONDER_LIFETIME);
	ike_put(b, &spi, 4);
	ike_put_attr(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_SECONDS);
	ike_put_attr(b, IPSEC_ATTR_SA_LIFE_DURATION, life_ours);
	ike_pl_close(b, off);
	log_dbg_isakmp("ISAKMP (0:%u): responder lifetime %u s", sa->id, life_ours);
	q->chosen.life_sec = life_ours;
}

/* QM2 up to its HASH(2): our SPI, nonce, KE, the IDs back; *hash_at where HASH goes. */
static int r_qm2_build(struct ike_sa *sa, struct qm *q, const struct ike_msg *m,
		       uint32_t life_ours, struct ike_buf *b, size_t *hash_at)
{
	const struct ike_pl *idi = ike_msg_find(m, ISAKMP_NP_ID, 0);
	const struct ike_pl *idr = ike_msg_find(m, ISAKMP_NP_ID, 1);
	struct ike_hdr h;

	log_dbg_isakmp("ISAKMP (0:%u): asking for 1 spis from ipsec", sa->id);
	qm_state(q, IKE_QM_SPI_STARVE, "IKE_MESG_FROM_PEER, IKE_QM_EXCH");
	if (sa->ike->ops->spi_alloc(sa->ike, &sa->path, &q->prot, &q->spi_in))
		return -1;
	log_dbg_ipsec("IPSEC(spi_response): getting spi %u for SA", q->spi_in);
	q->nr_len = IKE_NONCE_LEN;
	if (ike_random(q->nr, q->nr_len))
		return -1;
	hdr_qm(q, &h);
	ike_put_hdr(b, &h);
	*hash_at = hash_open(b, sa->hash->len);
	p2_sa_build(b, &q->chosen, &q->chosen_prop, 1, q->spi_in);
	ike_put_pl(b, ISAKMP_NP_NONCE, q->nr, q->nr_len);
	if (q->dh) {
		uint8_t gx[IKE_DH_MAX];

		if (ike_dh_pub(q->dh, gx))
			return -1;
		ike_put_pl(b, ISAKMP_NP_KE, gx, q->gx_len);
	}
	if (idi && idr) {
		ike_put_pl(b, ISAKMP_NP_ID, idi->body, idi->len);
		ike_put_pl(b, ISAKMP_NP_ID, idr->body, idr->len);
	}
	if (!p2_tunnel_mode(&q->chosen))
		put_natoa(sa, b, addr4(&sa->path.remote), addr4(&sa->path.local));
	put_responder_lifetime(sa, q, b, life_ours);
	return 0;
}

/* QM1 at the responder: QM2, with our inbound SA installed first. */
static void r_qm1(struct ike_sa *sa, struct qm *q, const struct ike_msg *m)
{
	uint8_t pkt[IKE_PKT_MAX];
	uint32_t life_ours = 0;
	struct ike_buf b;
	size_t hash_at;

	ike_buf_init(&b, pkt, sizeof(pkt));
	if (r_qm1_choose(sa, q, m, &life_ours) || r_qm2_build(sa, q, m, life_ours, &b, &hash_at))
		goto refuse;
	/* our inbound SA first: the initiator may send as soon as it has QM2 */
	q->child = child_new(q);
	if (!q->child)
		goto refuse;
	if (install(q, q->child, true)) {
		free(q->child);
		q->child = NULL;
		goto refuse;
	}
	if (qm_seal(q, &b, hash_at, true))
		goto refuse;	/* qm_free removes the inbound SA */
	qm_keep(q, &b, false);	/* the responder only answers duplicates */
	qm_state(q, IKE_QM_R_QM2, "IKE_MESG_FROM_IPSEC, IKE_SPI_REPLY");
	return;
refuse:
	qm_free(q);
}

/*
 * The proxy identities QM2 carries back: ours, or (a responder may narrow
 * them, as charon does) ones within ours, which are then what the SAs protect.
 */
static int i_ids(struct ike_sa *sa, struct qm *q, const struct ike_msg *m)
{
	const struct ike_pl *idi = ike_msg_find(m, ISAKMP_NP_ID, 0);
	const struct ike_pl *idr = ike_msg_find(m, ISAKMP_NP_ID, 1);
	struct p2_ts ti, tr;
	char l[64], r[64];

	if (!idi && !idr)
		return 0;
	if (q->prot.kind == P2_MGRE)
		return 0;	/* host to host: NAT may have rewritten them (RFC 3947 5.2) */
	if (!idi || !idr || p2_id_parse(idi->body, idi->len, &ti) ||
	    p2_id_parse(idr->body, idr->len, &tr) ||
	    !p2_ts_within(&ti, &q->prot.local) || !p2_ts_within(&tr, &q->prot.remote)) {
		log_info("ISAKMP (0:%u): QM2: the responder's proxy identities are not within ours",
			 sa->id);
		return -1;
	}
	if (!p2_ts_equal(&ti, &q->prot.local) || !p2_ts_equal(&tr, &q->prot.remote))
		log_info("ISAKMP (0:%u): the responder narrowed the proxies to %s <-> %s", sa->id,
			 p2_ts_str(&ti, l, sizeof(l)), p2_ts_str(&tr, r, sizeof(r)));
	q->prot.local = ti;
	q->prot.remote = tr;
	return 0;
}

/* RESPONDER-LIFETIME in QM2: a shorter lifetime from the peer wins. */
static void i_responder_lifetime(struct ike_sa *sa, struct qm *q, const struct ike_msg *m)
{
	for (int i = 0; i < m->npl; i++) {
		struct ike_notify n;
		const uint8_t *ap;
		struct ike_attr a;
		uint16_t type = 0;
		size_t al;

		if (ike_notify_parse(&m->pl[i], &n) || n.type != N_RESPONDER_LIFETIME)
			continue;
		ap = n.data;
		al = n.data_len;
		while (ike_attr_next(&ap, &al, &a) == 1) {
			if (a.type == IPSEC_ATTR_SA_LIFE_TYPE)
				type = (uint16_t)a.num;
			else if (a.type == IPSEC_ATTR_SA_LIFE_DURATION && type == IPSEC_LIFE_SECONDS &&
				 a.num_ok && a.num && a.num < q->chosen.life_sec)
				q->chosen.life_sec = (uint32_t)a.num;
		}
		log_dbg_isakmp("ISAKMP (0:%u): processing NOTIFY RESPONDER_LIFETIME: %u s", sa->id,
			q->chosen.life_sec);
	}
}

static void log_up(const struct ike_sa *sa, const struct child *c)
{
	log_info("IPSEC: SAs with %s up: in 0x%08X out 0x%08X (%s %s, %u s)",
		 addr_str(&sa->path.remote, (char[INET6_ADDRSTRLEN]){0}, INET6_ADDRSTRLEN),
		 c->spi_in, c->spi_out, p2_esp_name(c->a.esp_id), p2_auth_name(c->a.auth),
		 c->a.life_sec);
}

/* QM3: HASH(3) only; kept (not retransmitted): a lost QM3 makes the peer resend QM2. */
static int i_qm3_send(struct ike_sa *sa, struct qm *q)
{
	uint8_t pkt[512];
	struct ike_buf b;
	struct ike_hdr h;
	size_t hash_at;

	hdr_qm(q, &h);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	hash_at = hash_open(&b, sa->hash->len);
	if (b.err || hash3(q, b.p + hash_at))
		return -1;
	if (!ike_encrypt(sa, q->x.iv, &b))
		qm_keep(q, &b, false);
	return 0;
}

/* QM2 at the initiator: the responder's choice, keys, QM3. */
static void i_qm2(struct ike_sa *sa, struct qm *q, const struct ike_msg *m)
{
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SA, 0);
	const struct ike_pl *no = ike_msg_find(m, ISAKMP_NP_NONCE, 0);
	const struct ike_pl *ke = ike_msg_find(m, ISAKMP_NP_KE, 0);
	struct p2_attrs ours[P2_OFFER_MAX];
	struct p2_offer o;
	struct child *c;
	int which, n;

	if (!no || no->len < 8 || no->len > sizeof(q->nr))
		return;
	memcpy(q->nr, no->body, no->len);
	q->nr_len = no->len;
	if (!hash_ok(q, m, true)) {
		log_info("ISAKMP (0:%u): QM2 hash check failed: dropped", sa->id);
		return;
	}
	n = our_p2(sa, &q->prot, ours);
	if (!sp || p2_sa_parse(sp->body, sp->len, &o) || o.n != 1 ||
	    p2_match(&o, ours, n, &which) != 0) {
		log_info("ISAKMP (0:%u): QM2: the responder chose what we did not offer", sa->id);
		qm_free(q);
		return;
	}
	log_p2(sa, &o);
	if (i_ids(sa, q, m)) {
		qm_free(q);
		return;
	}
	q->chosen = o.x[0];
	q->chosen.life_sec = ours[which].life_sec;
	q->spi_out = o.spi[0];
	i_responder_lifetime(sa, q, m);
	if (q->chosen.group) {
		if (!ke || ke->len != ike_dh_len(q->chosen.group))
			return;
		memcpy(q->gx, ke->body, ke->len);
		q->gx_len = ke->len;
	}
	log_dbg_isakmp("ISAKMP (0:%u): Creating IPSec SAs", sa->id);
	c = child_new(q);
	if (!c || install(q, c, true) || install(q, c, false)) {
		if (c)
			sa->ike->ops->sa_del(sa->ike, c, true);
		free(c);
		qm_free(q);
		return;
	}
	child_link(sa->ike, c);
	if (i_qm3_send(sa, q)) {
		qm_free(q);
		return;
	}
	qm_state(q, IKE_QM_PHASE2_COMPLETE, "IKE_MESG_FROM_PEER, IKE_QM_EXCH");
	log_up(sa, c);
	/* keep the exchange a little: a lost QM3 makes the peer resend QM2 */
	q->deadline = sa->ike->now + QM_TIMEOUT_MS;
}

/* QM3 at the responder: the outbound SA, the pair is complete. */
static void r_qm3(struct ike_sa *sa, struct qm *q, const struct ike_msg *m)
{
	const struct ike_pl *hp = ike_msg_find(m, ISAKMP_NP_HASH, 0);
	uint8_t want[IKE_HASH_MAX];
	struct child *c = q->child;

	if (!hp || hp->len != sa->hash->len || hash3(q, want) ||
	    !ike_memeq(want, hp->body, hp->len)) {
		log_info("ISAKMP (0:%u): QM3 hash check failed: dropped", sa->id);
		return;
	}
	log_dbg_isakmp("ISAKMP (0:%u): Creating IPSec SAs", sa->id);
	child_times(c, q);
	if (install(q, c, false)) {
		qm_free(q);	/* and the inbound SA */
		return;
	}
	q->child = NULL;	/* the engine's now */
	child_link(sa->ike, c);
	log_dbg_isakmp("ISAKMP (0:%u): deleting node %d error FALSE reason \"QM done (await)\"",
		sa->id, (int32_t)q->msgid);
	qm_state(q, IKE_QM_PHASE2_COMPLETE, "IKE_MESG_FROM_PEER, IKE_QM_EXCH");
	log_up(sa, c);
	qm_free(q);
}

/* A Quick Mode that will end in a pair: ours waiting for QM2, or the
 * peer's waiting for its QM3. */
bool qm_in_flight(const struct qm *q)
{
	return q->initiator ? q->state == IKE_QM_I_QM1 : q->state == IKE_QM_R_QM2;
}

/* A Quick Mode message, decrypted and parsed (input.c). */
void qm_input(struct qm *q, const struct ike_rx *rx, bool fresh)
{
	struct ike_sa *sa = q->sa;

	if (fresh) {
		qm_state(q, IKE_QM_READY, "IKE_MESG_FROM_PEER, IKE_QM_EXCH");
		r_qm1(sa, q, &rx->m);
	} else if (q->initiator && q->state == IKE_QM_I_QM1) {
		i_qm2(sa, q, &rx->m);
	} else if (!q->initiator && q->state == IKE_QM_R_QM2) {
		r_qm3(sa, q, &rx->m);
	} else {
		sa->ike->rx_dropped++;
	}
}

void qm_tick(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct qm *q, *nx;

	for (q = sa->qms; q; q = nx) {
		nx = q->next;
		if (ike->now >= q->deadline) {
			if (q->state != IKE_QM_PHASE2_COMPLETE)
				log_info("ISAKMP (0:%u): quick mode %d timed out in %s", sa->id,
					 (int32_t)q->msgid, qm_state_name(q->state));
			if (qm_in_flight(q)) {
				/* the pair this was to replace: the newest for the same
				 * protection (older ones have their successor already) */
				struct child *c = child_newest(ike, &sa->path.remote, &q->prot);

				if (c)
					c->rekeyed = false;	/* try again later */
			}
			qm_free(q);
			continue;
		}
		xchg_tick(sa, &q->x, "phase 2", qm_state_name(q->state));
	}
}
