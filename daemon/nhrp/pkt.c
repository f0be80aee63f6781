// SPDX-License-Identifier: GPL-2.0
/*
 * Our packets: the header every packet of an interface starts with (our
 * addresses, the authentication extension regenerated at each hop), our
 * CIE, sending (counted by type), delaying a packet until the IPsec SAs to
 * its destination are up, ip nhrp max-send, Error Indications, and the
 * authentication check of what we receive.
 */
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "nhrp/priv.h"

uint8_t host_plen(const struct nhrp_addr *a)
{
	return a->len == 16 ? 128 : 32;
}

void pkt_init(struct nhrp_if *nif, struct nhrp_msg *m, uint8_t type, bool with_auth)
{
	const struct nhrp_params *p = nif->c.p;

	nhrp_msg_init(m, type);
	m->afn = nif->c.nbma.len == 16 ? NHRP_AFN_IPV6 : NHRP_AFN_IPV4;
	m->pro_type = nif->c.proto.len == 16 ? NHRP_PROTO_IPV6 : NHRP_PROTO_IPV4;
	m->src_nbma = nif->c.nbma;
	m->src_proto = nif->c.proto;
	if (with_auth && p->auth_len) {
		m->has_auth = true;
		m->auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
		m->auth_len = p->auth_len;
		memcpy(m->auth, p->auth, p->auth_len);
	}
}

void pkt_our_cie(struct nhrp_if *nif, struct nhrp_cie *c, uint16_t holdtime)
{
	memset(c, 0, sizeof(*c));
	c->code = NHRP_CODE_SUCCESS;
	c->prefix = host_plen(&nif->c.proto);
	c->mtu = nif->c.mtu;
	c->holdtime = holdtime;
	c->nbma = nif->c.nbma;
	c->proto = nif->c.proto;
}

/* "debug nhrp"'s lines for a packet, in IOS's words (seeds 002 and 004). */
void pkt_log(const struct nhrp_if *nif, const char *dir, const struct nhrp_msg *m, size_t len)
{
	char src[64], dst[64];

	if (!log_dbg_on[LOG_DBG_NHRP])
		return;
	log_msg(LOG_DEBUG, "NHRP: %s %s via %s vrf 0, packet size: %zu", dir,
		nhrp_type_name(m->type), nif->c.name, len);
	if (m->src_proto.len || m->dst_proto.len)
		log_msg(LOG_DEBUG, " src: %s, dst: %s",
			nhrp_addr_str(&m->src_proto, src, sizeof(src)),
			nhrp_addr_str(&m->dst_proto, dst, sizeof(dst)));
}

int pkt_send(struct nhrp_if *nif, const struct nhrp_addr *nbma, const struct nhrp_msg *m)
{
	struct nhrp *n = nif->n;
	uint8_t buf[NHRP_PKT_MAX];
	size_t len = nhrp_build(m, buf, sizeof(buf));
	char a[64];

	if (!len) {
		log_warn("NHRP: %s: %s to %s does not fit a packet", nif->c.name,
			 nhrp_type_name(m->type), nhrp_addr_str(nbma, a, sizeof(a)));
		return -1;
	}
	if (m->type < 9)
		nif->st.tx[m->type]++;
	pkt_log(nif, "Send", m, len);
	log_dbg_nhrp("NHRP: %zu bytes out %s to NBMA %s, request id %u", len, nif->c.name,
		     nhrp_addr_str(nbma, a, sizeof(a)), m->reqid);
	return n->h->send(n->ctx, nif->c.ifindex, nbma, buf, len);
}

int pkt_delay(struct nhrp_if *nif, const struct nhrp_addr *nbma, const struct nhrp_msg *m)
{
	struct nhrp_peer *p = peer_get(nif, nbma, true);
	uint8_t buf[NHRP_PKT_MAX];
	size_t len = nhrp_build(m, buf, sizeof(buf));
	struct nhrp_pend *q, **pp;

	if (!p || !len)
		return -1;
	if (p->npend >= NHRP_PEND_MAX_PER_PEER) {	/* the oldest goes */
		q = p->pend;
		p->pend = q->next;
		free(q);
		p->npend--;
	}
	q = malloc(sizeof(*q) + len);
	if (!q)
		return -1;
	q->next = NULL;
	q->len = len;
	memcpy(q->pkt, buf, len);
	for (pp = &p->pend; *pp; pp = &(*pp)->next)
		;
	*pp = q;
	p->npend++;
	return 0;
}

/* The IPsec SAs to p are up: what waited for them goes, in order. */
void pkt_flush(struct nhrp_if *nif, struct nhrp_peer *p)
{
	struct nhrp *n = nif->n;
	char a[64];

	while (p->pend) {
		struct nhrp_pend *q = p->pend;

		p->pend = q->next;
		p->npend--;
		if (q->len > 17 && q->pkt[17] < 9)
			nif->st.tx[q->pkt[17]]++;
		log_info("NHRP: %s: process delayed %s to %s", nif->c.name,
			 nhrp_type_name(q->pkt[17]), nhrp_addr_str(&p->nbma, a, sizeof(a)));
		n->h->send(n->ctx, nif->c.ifindex, &p->nbma, q->pkt, q->len);
		free(q);
	}
}

bool pkt_rate_ok(struct nhrp_if *nif)
{
	struct nhrp_if_priv *ip = nif_priv(nif);
	const struct nhrp_params *p = nif->c.p;
	uint32_t max = p->max_send ? p->max_send : NHRP_MAX_SEND_DEFAULT;
	int64_t every = (p->max_send_every ? p->max_send_every : NHRP_MAX_SEND_EVERY) * 1000LL;

	if (!ip->bucket_at || nif->n->now - ip->bucket_at >= every) {
		ip->bucket_at = nif->n->now;
		ip->bucket_used = 0;
	}
	if (ip->bucket_used >= max) {
		nif->st.rate_limited++;
		return false;
	}
	ip->bucket_used++;
	return true;
}

/* An Error Indication back to where m (bytes p, len) came from. */
void pkt_error(struct nhrp_if *nif, const struct nhrp_addr *to, const struct nhrp_msg *m,
	       uint16_t code, uint16_t offset, const uint8_t *p, size_t len)
{
	struct nhrp *n = nif->n;
	uint8_t buf[NHRP_PKT_MAX];
	size_t out;

	if (m->type == NHRP_ERROR)	/* never an error about an error */
		return;
	out = nhrp_build_error(m, &nif->c.nbma, &nif->c.proto, code, offset, p, len, buf,
			       sizeof(buf));
	if (!out)
		return;
	nif->st.tx[NHRP_ERROR]++;
	n->h->send(n->ctx, nif->c.ifindex, to, buf, out);
}

/*
 * ip nhrp authentication: a packet must carry the same password (cleartext,
 * SPI 1).  Without a password of ours, any packet goes, as on IOS.
 */
bool pkt_auth_ok(const struct nhrp_if *nif, const struct nhrp_msg *m)
{
	const struct nhrp_params *p = nif->c.p;

	if (!p->auth_len)
		return true;
	return m->has_auth && m->auth_spi == NHRP_AUTH_SPI_CLEARTEXT &&
	       m->auth_len == p->auth_len && !memcmp(m->auth, p->auth, p->auth_len);
}
