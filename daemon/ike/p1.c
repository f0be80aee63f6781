// SPDX-License-Identifier: GPL-2.0
/*
 * Main Mode with pre-shared keys (RFC 2409 5.4), initiator and responder,
 * through the states IOS logs: IKE_I_MM1..IKE_I_MM6 / IKE_R_MM1..IKE_R_MM5
 * and IKE_P1_COMPLETE.
 *
 *   MM1 I->R  SA                      MM2 R->I  SA
 *   MM3 I->R  KE, Ni                  MM4 R->I  KE, Nr
 *   MM5 I->R  *ID, HASH_I [, N(IC)]   MM6 R->I  *ID, HASH_R      (* encrypted)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

static const struct {
	const char *hex;
	size_t len;		/* bytes compared (prefix) */
	const char *name;
} vendor_ids[] = {
	{ "afcad71368a1f1c96b8696fc77570100", 16, "DPD" },
	{ "12f5f28c457168a9702d9fe274cc0100", 16, "Unity" },
	{ "09002689dfd6b712", 8, "XAUTH" },
	{ "4a131c81070358455c5728f20e95452f", 16, "NAT-T RFC 3947" },
	{ "cd60464335df21f87cfdb2fc68b6a448", 16, "NAT-T v2" },
	{ "90cb80913ebb696e086381b5ec427b1f", 16, "NAT-T v2" },
	{ "7d9419a65310ca6f2c179d9215529d56", 16, "NAT-T v3" },
	{ "4485152d18b6bbcd0be8a8469579ddcc", 16, "NAT-T v7" },
	{ "4048b7d56ebce88525e7de7f00d6c2d3", 16, "FRAGMENTATION" },
	{ "1f07f70eaa6514d3b0fa96542a500100", 16, "Cisco VPN concentrator" },
};

static int hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* indices into vendor_ids[] */
#define VID_NATT_RFC 3
#define VID_NATT_DRAFT_FIRST 4
#define VID_NATT_DRAFT_LAST 7

static void put_vid_hex(struct ike_buf *b, const char *h, size_t len)
{
	size_t off = ike_pl_open(b, ISAKMP_NP_VID);

	for (size_t k = 0; k < len; k++)
		ike_put8(b, (uint8_t)(hexval(h[2 * k]) << 4 | hexval(h[2 * k + 1])));
	ike_pl_close(b, off);
}

static const uint8_t vid_dpd[] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

void p1_vendor_ids_in(struct ike_sa *sa, const struct ike_msg *m)
{
	for (int i = 0; i < m->npl; i++) {
		const struct ike_pl *pl = &m->pl[i];
		size_t j;

		if (pl->type != ISAKMP_NP_VID)
			continue;
		log_dbg_isakmp("ISAKMP (0:%u): processing vendor id payload", sa->id);
		for (j = 0; j < sizeof(vendor_ids) / sizeof(vendor_ids[0]); j++) {
			const char *h = vendor_ids[j].hex;
			size_t k;

			if (pl->len < vendor_ids[j].len)
				continue;
			for (k = 0; k < vendor_ids[j].len; k++)
				if (pl->body[k] != (hexval(h[2 * k]) << 4 | hexval(h[2 * k + 1])))
					break;
			if (k == vendor_ids[j].len)
				break;
		}
		if (j == sizeof(vendor_ids) / sizeof(vendor_ids[0])) {
			log_dbg_isakmp("ISAKMP (0:%u): vendor ID is unknown", sa->id);
			continue;
		}
		log_dbg_isakmp("ISAKMP (0:%u): vendor ID is %s", sa->id, vendor_ids[j].name);
		if (j == 0)
			sa->peer_dpd = true;
		/* NAT-T, in MM1/MM2 only: the RFC wins over the drafts, then the newest */
		if (sa->state != IKE_R_MM1 && sa->state != IKE_I_MM2)
			continue;
		if (j == VID_NATT_RFC) {
			sa->natt = NATT_RFC;
			sa->natt_vid = (uint8_t)j;
		} else if (j >= VID_NATT_DRAFT_FIRST && j <= VID_NATT_DRAFT_LAST &&
			   sa->natt != NATT_RFC && (uint8_t)j > sa->natt_vid) {
			sa->natt = NATT_DRAFT;
			sa->natt_vid = (uint8_t)j;
		}
	}
}

void p1_hdr(const struct ike_sa *sa, struct ike_hdr *h, uint8_t exchange, uint32_t msgid)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, sa->icky, 8);
	memcpy(h->rcookie, sa->rcky, 8);
	h->exchange = exchange;
	h->msgid = msgid;
}

/*
 * Our vendor IDs: DPD, and NAT-T.  The initiator offers RFC 3947 and the
 * drafts IOS knows (v3, v2); the responder echoes the one it chose.
 */
void p1_put_vids(const struct ike_sa *sa, struct ike_buf *b)
{
	ike_put_pl(b, ISAKMP_NP_VID, vid_dpd, sizeof(vid_dpd));
	if (sa->initiator) {
		for (int j = VID_NATT_RFC; j <= VID_NATT_DRAFT_LAST; j++)
			if (j != 7)	/* v7: not sent by IOS */
				put_vid_hex(b, vendor_ids[j].hex, vendor_ids[j].len);
		log_dbg_isakmp("ISAKMP (0:%u): constructed NAT-T vendor-rfc3947 ID", sa->id);
		log_dbg_isakmp("ISAKMP (0:%u): constructed NAT-T vendor-03 ID", sa->id);
		log_dbg_isakmp("ISAKMP (0:%u): constructed NAT-T vendor-02 ID", sa->id);
	} else if (sa->natt) {
		put_vid_hex(b, vendor_ids[sa->natt_vid].hex, vendor_ids[sa->natt_vid].len);
	}
}

/* NAT-D = HASH(CKY-I | CKY-R | IP | port), RFC 3947 3.2 */
static int natd_hash(const struct ike_sa *sa, const struct sockaddr_storage *ss, uint8_t *out)
{
	uint16_t port = htons(addr_port(ss));
	const void *ip = addr_bytes(ss);
	struct ike_iov v[4] = {
		IKE_IOV(sa->icky, 8), IKE_IOV(sa->rcky, 8),
		IKE_IOV(ip, ss->ss_family == AF_INET6 ? 16 : 4), IKE_IOV(&port, 2),
	};

	return ike_digest(sa->hash, v, 4, out);
}

/* Ours: the address we send to, then the one we send from. */
int p1_put_natd(struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t h[IKE_HASH_MAX];
	uint8_t type = sa->natt == NATT_RFC ? ISAKMP_NP_NATD : ISAKMP_NP_NATD_DRAFT;

	if (!sa->natt)
		return 0;
	if (natd_hash(sa, &sa->path.remote, h))
		return -1;
	ike_put_pl(b, type, h, sa->hash->len);
	if (natd_hash(sa, &sa->path.local, h))
		return -1;
	ike_put_pl(b, type, h, sa->hash->len);
	return 0;
}

/* Theirs: is either side behind a NAT? (RFC 3947 3.2) */
void p1_natd_in(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t type = sa->natt == NATT_RFC ? ISAKMP_NP_NATD : ISAKMP_NP_NATD_DRAFT;
	uint8_t here[IKE_HASH_MAX], there[IKE_HASH_MAX];
	const struct ike_pl *pl = ike_msg_find(m, type, 0);
	bool match_there = false;

	if (!sa->natt || !pl)
		return;
	if (natd_hash(sa, &sa->path.local, here) || natd_hash(sa, &sa->path.remote, there))
		return;
	sa->nat_here = pl->len != sa->hash->len || memcmp(pl->body, here, pl->len);
	for (int i = 1; (pl = ike_msg_find(m, type, i)); i++)
		if (pl->len == sa->hash->len && !memcmp(pl->body, there, pl->len))
			match_there = true;
	sa->nat_there = !match_there;
	log_dbg_isakmp("ISAKMP (0:%u): NAT-D: %s%s", sa->id,
		sa->nat_here ? "we are behind a NAT " : "",
		sa->nat_there ? "the peer is behind a NAT" :
		sa->nat_here ? "" : "no NAT between us");
}

/* ID payload body for phase 1: our address, UDP port 500 (as IOS sends it). */
size_t p1_id_body(const struct sockaddr_storage *ss, uint8_t *out)
{
	out[1] = IPPROTO_UDP;
	out[2] = ISAKMP_PORT >> 8;
	out[3] = ISAKMP_PORT & 0xff;
	if (ss->ss_family == AF_INET6) {
		out[0] = ID_IPV6_ADDR;
		memcpy(out + 4, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		return 20;
	}
	out[0] = ID_IPV4_ADDR;
	memcpy(out + 4, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	return 8;
}

int p1_set_suite(struct ike_sa *sa, const struct p1_attrs *a)
{
	sa->chosen = *a;
	sa->hash = ike_hash_get(a->hash);
	sa->cipher = ike_cipher_get(a->enc, a->enc == OAKLEY_AES_CBC ?
				    (a->keylen ? a->keylen : 128) : 0);
	sa->gx_len = ike_dh_len(a->group);
	/*
	 * The key pair waits for our KE (p1_put_ke_nonce): a Main Mode
	 * responder makes none for an MM1, which a spoofed source can send at
	 * no cost, only once the peer's MM3 shows it got our MM2.
	 */
	return sa->hash && sa->cipher && sa->gx_len ? 0 : -1;
}

void p1_log_attrs(const struct ike_sa *sa, const struct p1_attrs *a, int num)
{
	log_dbg_isakmp("ISAKMP (0:%u): Checking ISAKMP transform %d against priority policy",
		       sa->id, num);
	log_dbg_isakmp("ISAKMP:      encryption %s%s", p1_enc_name(a->enc),
		a->keylen == 256 ? " 256" : a->keylen == 192 ? " 192" : "");
	log_dbg_isakmp("ISAKMP:      hash %s", p1_hash_name(a->hash));
	log_dbg_isakmp("ISAKMP:      default group %u", a->group);
	log_dbg_isakmp("ISAKMP:      auth pre-share");
	if (a->life_sec)
		log_dbg_isakmp("ISAKMP:      life type in seconds\n"
			       "ISAKMP:      life duration (VPI) of 0x%x 0x%x 0x%x 0x%x",
			       a->life_sec >> 24, (a->life_sec >> 16) & 0xff,
			       (a->life_sec >> 8) & 0xff, a->life_sec & 0xff);
}

static int nonce(uint8_t *n, size_t *len)
{
	*len = IKE_NONCE_LEN;
	return ike_random(n, IKE_NONCE_LEN);
}

/* KE and nonce of the peer, then g^xy and every key (both roles, after MM3/MM4). */
int p1_keys(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *ke = ike_msg_find(m, ISAKMP_NP_KE, 0);
	const struct ike_pl *no = ike_msg_find(m, ISAKMP_NP_NONCE, 0);
	uint8_t *peer_gx = sa->initiator ? sa->gxr : sa->gxi;
	uint8_t *peer_n = sa->initiator ? sa->nr : sa->ni;
	size_t *peer_n_len = sa->initiator ? &sa->nr_len : &sa->ni_len;
	uint8_t gxy[IKE_DH_MAX];
	size_t gxy_len;
	int ret = -1;

	log_dbg_isakmp("ISAKMP (0:%u): processing KE payload. message ID = 0", sa->id);
	if (!ke || ke->len != sa->gx_len) {
		log_info("ISAKMP (0:%u): KE payload of %zu bytes, want %zu for %s", sa->id,
			 ke ? ke->len : 0, sa->gx_len, ike_dh_name(sa->chosen.group));
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): processing NONCE payload. message ID = 0", sa->id);
	if (!no || no->len < 8 || no->len > sizeof(sa->ni)) {
		log_info("ISAKMP (0:%u): nonce missing or of a bad length", sa->id);
		return -1;
	}
	memcpy(peer_gx, ke->body, ke->len);
	memcpy(peer_n, no->body, no->len);
	*peer_n_len = no->len;
	if (!sa->dh || ike_dh_shared(sa->dh, peer_gx, sa->gx_len, gxy, &gxy_len)) {
		log_info("ISAKMP (0:%u): Diffie-Hellman with the peer's value failed", sa->id);
		return -1;
	}
	if (!ike_skeyid_psk(sa->hash, (const uint8_t *)sa->psk, strlen(sa->psk), sa->ni,
			    sa->ni_len, sa->nr, sa->nr_len, sa->k.skeyid) &&
	    !ike_p1_derive(sa->hash, sa->cipher, gxy, gxy_len, sa->icky, sa->rcky, &sa->k) &&
	    !ike_p1_iv(sa->hash, sa->cipher, sa->gxi, sa->gxr, sa->gx_len, sa->x.iv))
		ret = 0;
	wipe(gxy, sizeof(gxy));
	ike_dh_free(sa->dh);	/* the private value is no longer needed */
	sa->dh = NULL;
	if (!ret) {
		log_dbg_isakmp("ISAKMP (0:%u): SKEYID state generated", sa->id);
		/* -K only: what a capture needs to be decrypted (tshark's IKEv1 table) */
		log_key("initiator cookie", sa->id, sa->icky, 8);
		log_key("encryption key", sa->id, sa->k.enc, sa->k.enc_len);
	}
	return ret;
}

int p1_put_ke_nonce(struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t *gx = sa->initiator ? sa->gxi : sa->gxr;
	uint8_t *n = sa->initiator ? sa->ni : sa->nr;
	size_t *n_len = sa->initiator ? &sa->ni_len : &sa->nr_len;

	if (!sa->dh)	/* Aggressive Mode's initiator made it before the choice */
		sa->dh = ike_dh_new(sa->chosen.group);
	if (!sa->dh || ike_dh_pub(sa->dh, gx) || nonce(n, n_len))
		return -1;
	ike_put_pl(b, ISAKMP_NP_KE, gx, sa->gx_len);
	ike_put_pl(b, ISAKMP_NP_NONCE, n, *n_len);
	return 0;
}

/* HASH_I (mine = initiator) or HASH_R over an ID body. */
int p1_auth_hash(struct ike_sa *sa, bool of_initiator, const uint8_t *id, size_t id_len,
		   uint8_t *out)
{
	if (of_initiator)
		return ike_p1_hash(&sa->k, sa->hash, sa->gxi, sa->gxr, sa->gx_len, sa->icky,
				   sa->rcky, sa->sai_b, sa->sai_len, id, id_len, out);
	return ike_p1_hash(&sa->k, sa->hash, sa->gxr, sa->gxi, sa->gx_len, sa->rcky, sa->icky,
			   sa->sai_b, sa->sai_len, id, id_len, out);
}

/* An ID body's address, printed ("?" for other ID types). */
static const char *id_str(const uint8_t *id, size_t len, char *buf, size_t size)
{
	if (len == 8 && id[0] == ID_IPV4_ADDR)
		return inet_ntop(AF_INET, id + 4, buf, (socklen_t)size);
	if (len == 20 && id[0] == ID_IPV6_ADDR)
		return inet_ntop(AF_INET6, id + 4, buf, (socklen_t)size);
	return "?";
}

/*
 * Authenticated: may the peer hold SAs at its address (ike_peer_claim)?  A
 * second host behind the NAT of a peer that holds SAs is refused, logged
 * and counted (show crypto call admission statistics): the first keeps
 * working rather than the two taking each other's SAs in turn.
 */
static bool p1_claim(struct ike_sa *sa)
{
	uint8_t id[20];
	size_t id_len = 0;
	uint16_t port = 0;
	char a[INET6_ADDRSTRLEN], i1[INET6_ADDRSTRLEN], i2[INET6_ADDRSTRLEN];

	if (ike_peer_claim(sa, &port, id, &id_len))
		return true;
	sa->ike->cac.rejected_nat++;
	log_warn("ISAKMP (0:%u): %s port %u (ID %s) is a second host behind the NAT of %s port "
		 "%u (ID %s): one peer per address holds SAs, refused", sa->id,
		 addr_str(&sa->path.remote, a, sizeof(a)), addr_port(&sa->path.remote),
		 id_str(sa->peer_id, sa->peer_id_len, i1, sizeof(i1)), a, port,
		 id_str(id, id_len, i2, sizeof(i2)));
	xchg_quiet(&sa->x);
	ike_set_state(sa, IKE_DEST_SA, "IKE_MESG_INTERNAL, IKE_PHASE1_DEL");
	return false;
}

void p1_complete(struct ike_sa *sa)
{
	uint32_t life = sa->chosen.life_sec ? sa->chosen.life_sec : 86400;
	char a[INET6_ADDRSTRLEN];

	if (!p1_claim(sa))
		return;

	sa->expires = sa->ike->now + (int64_t)life * 1000;
	sa->up_at = sa->ike->now;
	xchg_quiet(&sa->x);		/* keep tx: a duplicate of the last message gets it again */
	ike_set_state(sa, IKE_P1_COMPLETE, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE");
	log_info("ISAKMP (0:%u): phase 1 complete with %s (%s, %s, %s, lifetime %u s)", sa->id,
		 addr_str(&sa->path.remote, a, sizeof(a)), p1_enc_name(sa->chosen.enc),
		 p1_hash_name(sa->chosen.hash), ike_dh_name(sa->chosen.group), life);
	wipe(sa->psk, sizeof(sa->psk));
	if (sa->peer_initial_contact)
		info_initial_contact(sa);
	while (sa->wants) {
		struct ike_want *w = sa->wants;

		sa->wants = w->next;
		if (sa->initiator)
			qm_start(sa, &w->prot);
		free(w);
	}
}

/* The encrypted MM5/MM6: ID and HASH, checked against the peer's. */
static int check_id_hash(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *id = ike_msg_find(m, ISAKMP_NP_ID, 0);
	const struct ike_pl *hp = ike_msg_find(m, ISAKMP_NP_HASH, 0);
	uint8_t want[IKE_HASH_MAX];
	char a[INET6_ADDRSTRLEN];

	log_dbg_isakmp("ISAKMP (0:%u): processing ID payload. message ID = 0", sa->id);
	if (!id || id->len < 8) {
		log_info("ISAKMP (0:%u): no ID payload", sa->id);
		return -1;
	}
	if ((id->body[0] == ID_IPV4_ADDR && id->len == 8) ||
	    (id->body[0] == ID_IPV6_ADDR && id->len == 20))
		log_dbg_isakmp("ISAKMP (0:%u): ID payload type %u address %s protocol %u port %u",
			       sa->id, id->body[0],
			       inet_ntop(id->len == 8 ? AF_INET : AF_INET6, id->body + 4, a,
					 sizeof(a)),
			       id->body[1], id->body[2] << 8 | id->body[3]);
	log_dbg_isakmp("ISAKMP (0:%u): processing HASH payload. message ID = 0", sa->id);
	if (!hp || hp->len != sa->hash->len ||
	    p1_auth_hash(sa, !sa->initiator, id->body, id->len, want) ||
	    !ike_memeq(want, hp->body, hp->len)) {
		log_info("ISAKMP (0:%u): hash of the peer's %s failed: pre-shared key mismatch "
			 "with %s?", sa->id, sa->initiator ? "MM6" : "MM5",
			 addr_str(&sa->path.remote, a, sizeof(a)));
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): SA has been authenticated with %s", sa->id, a);
	sa->peer_id_len = 0;
	if (id->len <= sizeof(sa->peer_id)) {
		memcpy(sa->peer_id, id->body, id->len);
		sa->peer_id_len = id->len;
	}
	return 0;
}

/* Our cookie as initiator: random, and no other SA's (rcky is zero until MM2). */
int p1_new_icky(struct ike_sa *sa)
{
	static const uint8_t zero[8];
	uint8_t i[8];

	for (int k = 0; k < 4; k++)
		if (!ike_random(i, 8) && !ike_sa_cookies(sa, i, zero))
			return 0;
	return -1;
}

int p1_start(struct ike_sa *sa)
{
	struct p1_attrs *pols;
	uint8_t pkt[IKE_PKT_MAX];
	const char *psk;
	struct ike_buf b;
	struct ike_hdr h;
	char a[INET6_ADDRSTRLEN];
	size_t sa_off;
	int n;

	addr_str(&sa->path.remote, a, sizeof(a));
	psk = ike_psk_for(sa->ike, &sa->path.remote);
	if (!psk) {
		log_err("ISAKMP: no pre-shared key for %s (crypto isakmp key ... address ...)", a);
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): found peer pre-shared key matching %s", sa->id, a);
	snprintf(sa->psk, sizeof(sa->psk), "%s", psk);
	pols = conf_p1_list(sa->ike->conf, &n);
	if (n <= 0) {
		log_err(n ? "ISAKMP: out of memory" : "ISAKMP: no crypto isakmp policy configured");
		return -1;
	}
	if (p1_new_icky(sa)) {
		free(pols);
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): Can not start Aggressive mode, trying Main mode.", sa->id);
	p1_hdr(sa, &h, ISAKMP_XCHG_IDPROT, 0);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	sa_off = b.len;
	p1_sa_build(&b, pols, NULL, n);
	free(pols);
	p1_put_vids(sa, &b);
	ike_hdr_finish(&b);
	if (b.err)
		return -1;
	if (p1_save_sai(sa, b.p + sa_off + ISAKMP_GEN_LEN,
			(size_t)(b.p[sa_off + 2] << 8 | b.p[sa_off + 3]) - ISAKMP_GEN_LEN))
		return -1;
	ike_set_state(sa, IKE_I_MM1, "IKE_MESG_FROM_IPSEC, IKE_SA_REQ_MM");
	log_dbg_isakmp("ISAKMP (0:%u): beginning Main Mode exchange", sa->id);
	if (xchg_send(sa, &sa->x, b.p, b.len, true))
		return -1;
	return 0;
}

/*
 * Our MM3 went out twice unanswered: the responder has most likely lost
 * the SA (its call admission gave it way to a flood of MM1 before our MM3
 * was read, or it restarted), and every further MM3 would find nothing.
 * Start again from MM1, with a new cookie, on the same SA (its phase-2
 * requests stay with it); the SA's overall time limit still holds.
 */
int p1_restart(struct ike_sa *sa)
{
	char a[INET6_ADDRSTRLEN];

	log_info("ISAKMP (0:%u): no answer to MM3 from %s: starting again from MM1", sa->id,
		 addr_str(&sa->path.remote, a, sizeof(a)));
	sa->ike->restarts++;
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	free(sa->sai_b);
	sa->sai_b = NULL;
	sa->sai_len = 0;
	xchg_free(&sa->x);
	memset(&sa->x, 0, sizeof(sa->x));
	wipe(&sa->k, sizeof(sa->k));
	memset(&sa->chosen, 0, sizeof(sa->chosen));
	sa->hash = NULL;
	sa->cipher = NULL;
	sa->gx_len = sa->ni_len = sa->nr_len = 0;
	sa->natt = sa->natt_vid = 0;
	sa->nat_here = sa->nat_there = sa->peer_dpd = sa->peer_initial_contact = false;
	ike_set_state(sa, IKE_READY, "IKE_TIMER_EXPIRED, IKE_RESTART_MM");
	if (p1_start(sa)) {
		p1_fail(sa, "cannot start again");
		return -1;
	}
	return 0;
}

/* A plain notification when we have nothing better (no proposal chosen). */
void p1_refuse(struct ike_sa *sa, uint16_t type)
{
	uint8_t pkt[256], spi[16];
	struct ike_buf b;
	struct ike_hdr h;
	size_t off;

	p1_hdr(sa, &h, ISAKMP_XCHG_INFO, 0);
	ike_buf_init(&b, pkt, sizeof(pkt));
	ike_put_hdr(&b, &h);
	off = ike_pl_open(&b, ISAKMP_NP_N);
	ike_put32(&b, IPSEC_DOI);
	ike_put8(&b, PROTO_ISAKMP);
	ike_put8(&b, 16);
	ike_put16(&b, type);
	memcpy(spi, sa->icky, 8);
	memcpy(spi + 8, sa->rcky, 8);
	ike_put(&b, spi, 16);
	ike_pl_close(&b, off);
	ike_hdr_finish(&b);
	if (!b.err)
		ike_send_once(sa, b.p, b.len);
	log_info("ISAKMP (0:%u): sending notify %s", sa->id, ike_notify_name(type));
}

void p1_fail(struct ike_sa *sa, const char *why)
{
	log_info("ISAKMP (0:%u): phase 1 with peer failed: %s", sa->id, why);
	ike_set_state(sa, IKE_DEST_SA, "IKE_MESG_INTERNAL, IKE_PHASE1_DEL");
}

/* A clear phase-1 message is complete: send it, keep it for retransmission;
 * -1 only if it did not fit (the SA has failed then). */
int p1_send(struct ike_sa *sa, struct ike_buf *b, const char *name)
{
	char why[64];

	ike_hdr_finish(b);
	if (b->err) {
		snprintf(why, sizeof(why), "%s does not fit", name);
		p1_fail(sa, why);
		return -1;
	}
	/* a failed send is retransmitted like a lost one */
	xchg_send(sa, &sa->x, b->p, b->len, true);
	return 0;
}

/* The initiator's SA payload body, kept for HASH_I and HASH_R. */
int p1_save_sai(struct ike_sa *sa, const uint8_t *body, size_t len)
{
	free(sa->sai_b);
	sa->sai_b = malloc(len);
	if (!sa->sai_b)
		return -1;
	memcpy(sa->sai_b, body, len);
	sa->sai_len = len;
	return 0;
}

/*
 * The responder's choice (MM1 or AM1): parse the offer, note the vendor
 * IDs, find the peer's key, match the policies in order, set up the suite.
 * Returns the offer's index, or -1 with the SA failed (and the peer told).
 */
int p1_choose(struct ike_sa *sa, const struct ike_pl *sp, const struct ike_msg *m,
	      struct p1_offer *o)
{
	struct p1_attrs *pols;
	char a[INET6_ADDRSTRLEN];
	const char *psk;
	int err, i, which, n;

	err = p1_sa_parse(sp->body, sp->len, o);
	if (err) {
		p1_refuse(sa, (uint16_t)err);
		p1_fail(sa, ike_notify_name((uint16_t)err));
		return -1;
	}
	p1_vendor_ids_in(sa, m);
	addr_str(&sa->path.remote, a, sizeof(a));
	log_dbg_isakmp("ISAKMP: Looking for a matching key for %s in default", a);
	psk = ike_psk_for(sa->ike, &sa->path.remote);
	if (!psk) {
		log_info("ISAKMP: No pre-shared key with %s!", a);
		p1_fail(sa, "no pre-shared key");
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): found peer pre-shared key matching %s", sa->id, a);
	snprintf(sa->psk, sizeof(sa->psk), "%s", psk);
	pols = conf_p1_list(sa->ike->conf, &n);
	for (int j = 0; j < o->n; j++)
		p1_log_attrs(sa, &o->x[j], o->num[j]);
	i = p1_match(o, pols, n, &which);
	free(pols);
	if (i < 0) {
		log_info("ISAKMP (0:%u): atts are not acceptable. Next payload is 0", sa->id);
		p1_refuse(sa, N_NO_PROPOSAL_CHOSEN);
		p1_fail(sa, "no offered transform matches a crypto isakmp policy");
		return -1;
	}
	log_dbg_isakmp("ISAKMP (0:%u): atts are acceptable (transform %u, policy %d).", sa->id,
		o->num[i], sa->ike->conf->pol[which].prio);
	if (p1_set_suite(sa, &o->x[i]) || p1_save_sai(sa, sp->body, sp->len)) {
		p1_fail(sa, "cannot set up the chosen suite");
		return -1;
	}
	return i;
}

/* MM1 at the responder: choose a transform, answer MM2. */
static void r_mm1(struct ike_sa *sa, const struct ike_msg *m, uint8_t *pkt_out)
{
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SA, 0);
	struct p1_offer o;
	struct ike_buf b;
	struct ike_hdr h;
	int i;

	ike_set_state(sa, IKE_R_MM1, "IKE_MESG_FROM_PEER, IKE_MM_EXCH");
	log_dbg_isakmp("ISAKMP (0:%u): processing SA payload. message ID = 0", sa->id);
	if (!sp) {
		p1_fail(sa, "MM1 without an SA payload");
		return;
	}
	i = p1_choose(sa, sp, m, &o);
	if (i < 0)
		return;
	ike_set_state(sa, IKE_R_MM1, "IKE_MESG_INTERNAL, IKE_PROCESS_MAIN_MODE");
	p1_hdr(sa, &h, ISAKMP_XCHG_IDPROT, 0);
	ike_buf_init(&b, pkt_out, IKE_PKT_MAX);
	ike_put_hdr(&b, &h);
	p1_sa_build(&b, &o.x[i], &o.num[i], 1);
	p1_put_vids(sa, &b);
	if (p1_send(sa, &b, "MM2"))
		return;
	ike_set_state(sa, IKE_R_MM2, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE");
}

/* MM2 at the initiator: the responder's choice must be one of ours. */
static void i_mm2(struct ike_sa *sa, const struct ike_hdr *hd, const struct ike_msg *m,
		  uint8_t *pkt_out)
{
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SA, 0);
	struct p1_attrs *pols;
	struct p1_offer o;
	struct ike_buf b;
	struct ike_hdr h;
	int which, n, r;

	ike_set_state(sa, IKE_I_MM2, "IKE_MESG_FROM_PEER, IKE_MM_EXCH");
	log_dbg_isakmp("ISAKMP (0:%u): processing SA payload. message ID = 0", sa->id);
	if (!sp || p1_sa_parse(sp->body, sp->len, &o) || o.n != 1) {
		p1_fail(sa, "MM2 must carry one transform");
		return;
	}
	pols = conf_p1_list(sa->ike->conf, &n);
	p1_log_attrs(sa, &o.x[0], o.num[0]);
	r = p1_match(&o, pols, n, &which);
	free(pols);
	if (r != 0 || p1_set_suite(sa, &o.x[0])) {
		p1_fail(sa, "the responder chose a transform we did not offer");
		return;
	}
	log_dbg_isakmp("ISAKMP (0:%u): atts are acceptable. Next payload is 0", sa->id);
	p1_vendor_ids_in(sa, m);
	if (ike_sa_cookies(sa, sa->icky, hd->rcookie)) {
		p1_fail(sa, "the responder's cookie is another SA's");
		return;
	}
	p1_hdr(sa, &h, ISAKMP_XCHG_IDPROT, 0);
	ike_buf_init(&b, pkt_out, IKE_PKT_MAX);
	ike_put_hdr(&b, &h);
	if (p1_put_ke_nonce(sa, &b) || p1_put_natd(sa, &b)) {
		p1_fail(sa, "cannot make our KE");
		return;
	}
	ike_set_state(sa, IKE_I_MM2, "IKE_MESG_INTERNAL, IKE_PROCESS_MAIN_MODE");
	if (p1_send(sa, &b, "MM3"))
		return;
	ike_set_state(sa, IKE_I_MM3, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE");
}

/* MM3 at the responder: KE and nonce; answer MM4 with ours. */
static void r_mm3(struct ike_sa *sa, const struct ike_msg *m, uint8_t *pkt_out)
{
	struct ike_buf b;
	struct ike_hdr h;

	ike_set_state(sa, IKE_R_MM3, "IKE_MESG_FROM_PEER, IKE_MM_EXCH");
	p1_hdr(sa, &h, ISAKMP_XCHG_IDPROT, 0);
	ike_buf_init(&b, pkt_out, IKE_PKT_MAX);
	ike_put_hdr(&b, &h);
	/* ours first: p1_keys() frees the private value */
	if (p1_put_ke_nonce(sa, &b) || p1_keys(sa, m)) {
		p1_fail(sa, "key exchange failed");
		return;
	}
	p1_vendor_ids_in(sa, m);
	p1_natd_in(sa, m);
	p1_put_vids(sa, &b);
	if (p1_put_natd(sa, &b)) {
		p1_fail(sa, "cannot make our NAT-D");
		return;
	}
	if (p1_send(sa, &b, "MM4"))
		return;
	ike_set_state(sa, IKE_R_MM4, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE");
}

/* ID and HASH (and INITIAL-CONTACT from the initiator), encrypted. */
static int put_id_hash(struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t id[20], hash[IKE_HASH_MAX];
	size_t id_len = p1_id_body(&sa->path.local, id);

	if (p1_auth_hash(sa, sa->initiator, id, id_len, hash))
		return -1;
	ike_put_pl(b, ISAKMP_NP_ID, id, id_len);
	ike_put_pl(b, ISAKMP_NP_HASH, hash, sa->hash->len);
	if (sa->initiator) {
		size_t off = ike_pl_open(b, ISAKMP_NP_N);

		ike_put32(b, IPSEC_DOI);
		ike_put8(b, PROTO_ISAKMP);
		ike_put8(b, 16);
		ike_put16(b, N_INITIAL_CONTACT);
		ike_put(b, sa->icky, 8);
		ike_put(b, sa->rcky, 8);
		ike_pl_close(b, off);
	}
	return 0;
}

/* MM4 at the initiator: keys, then MM5. */
static void i_mm4(struct ike_sa *sa, const struct ike_msg *m, uint8_t *pkt_out)
{
	struct ike_buf b;
	struct ike_hdr h;

	ike_set_state(sa, IKE_I_MM4, "IKE_MESG_FROM_PEER, IKE_MM_EXCH");
	if (p1_keys(sa, m)) {
		p1_fail(sa, "key exchange failed");
		return;
	}
	p1_vendor_ids_in(sa, m);
	p1_natd_in(sa, m);
	if (sa->nat_here || sa->nat_there) {
		/* RFC 3947 4: the initiator moves to port 4500 from MM5 on */
		addr_set_port(&sa->path.local, ISAKMP_NATT_PORT);
		addr_set_port(&sa->path.remote, ISAKMP_NATT_PORT);
		log_dbg_isakmp("ISAKMP (0:%u): NAT found, floating to port 4500", sa->id);
	}
	p1_hdr(sa, &h, ISAKMP_XCHG_IDPROT, 0);
	ike_buf_init(&b, pkt_out, IKE_PKT_MAX);
	ike_put_hdr(&b, &h);
	log_dbg_isakmp("ISAKMP (0:%u): SA is doing pre-shared key authentication using id type %s",
		sa->id, sa->path.local.ss_family == AF_INET6 ? "ID_IPV6_ADDR" : "ID_IPV4_ADDR");
	if (put_id_hash(sa, &b) || ike_encrypt(sa, sa->x.iv, &b)) {
		p1_fail(sa, "cannot build MM5");
		return;
	}
	ike_set_state(sa, IKE_I_MM4, "IKE_MESG_INTERNAL, IKE_PROCESS_MAIN_MODE");
	xchg_send(sa, &sa->x, b.p, b.len, true);
	ike_set_state(sa, IKE_I_MM5, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE");
}

void p1_notifies_in(struct ike_sa *sa, const struct ike_msg *m)
{
	for (int i = 0; i < m->npl; i++) {
		struct ike_notify n;

		if (ike_notify_parse(&m->pl[i], &n))
			continue;
		log_dbg_isakmp("ISAKMP (0:%u): processing NOTIFY %s protocol %u", sa->id,
			ike_notify_name(n.type), n.proto);
		if (n.type == N_INITIAL_CONTACT)
			sa->peer_initial_contact = true;
	}
}

/* MM5 at the responder: the initiator authenticated, answer MM6; phase 1 is up. */
static void r_mm5(struct ike_sa *sa, const struct ike_rx *rx, uint8_t *pkt_out)
{
	struct ike_buf b;
	struct ike_hdr h;

	ike_set_state(sa, IKE_R_MM5, "IKE_MESG_FROM_PEER, IKE_MM_EXCH");
	p1_notifies_in(sa, &rx->m);
	if (check_id_hash(sa, &rx->m)) {
		xchg_forget(&sa->x);	/* a forged MM5 must not block the real one */
		sa->state = IKE_R_MM4;
		return;
	}
	if (!p1_claim(sa))
		return;
	xchg_chain(sa, &sa->x, rx);
	p1_hdr(sa, &h, ISAKMP_XCHG_IDPROT, 0);
	ike_buf_init(&b, pkt_out, IKE_PKT_MAX);
	ike_put_hdr(&b, &h);
	if (put_id_hash(sa, &b) || ike_encrypt(sa, sa->x.iv, &b)) {
		p1_fail(sa, "cannot build MM6");
		return;
	}
	ike_set_state(sa, IKE_R_MM5, "IKE_MESG_INTERNAL, IKE_PROCESS_MAIN_MODE");
	xchg_send(sa, &sa->x, b.p, b.len, true);
	p1_complete(sa);
}

/* MM6 at the initiator: the responder authenticated; phase 1 is up. */
static void i_mm6(struct ike_sa *sa, const struct ike_rx *rx)
{
	ike_set_state(sa, IKE_I_MM6, "IKE_MESG_FROM_PEER, IKE_MM_EXCH");
	p1_notifies_in(sa, &rx->m);
	if (check_id_hash(sa, &rx->m)) {
		xchg_forget(&sa->x);
		sa->state = IKE_I_MM5;
		return;
	}
	xchg_chain(sa, &sa->x, rx);
	p1_complete(sa);
}

/* A Main Mode message, decrypted and parsed (input.c). */
void p1_input(struct ike_sa *sa, const struct ike_rx *rx)
{
	uint8_t out[IKE_PKT_MAX];
	const struct ike_msg *m = &rx->m;

	xchg_accept(&sa->x, rx);
	switch (sa->state) {
	case IKE_READY:
		r_mm1(sa, m, out);
		break;
	case IKE_I_MM1:
		i_mm2(sa, rx->h, m, out);
		break;
	case IKE_R_MM2:
		r_mm3(sa, m, out);
		break;
	case IKE_I_MM3:
		i_mm4(sa, m, out);
		break;
	case IKE_R_MM4:
		r_mm5(sa, rx, out);
		break;
	case IKE_I_MM5:
		i_mm6(sa, rx);
		break;
	default:
		sa->ike->rx_dropped++;
		break;
	}
}
