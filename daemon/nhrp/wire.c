// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP codec (RFC 2332, and what Cisco IOS sends): see wire.h.
 *
 * Choices the RFC leaves open, as parsed here:
 *  - the NBMA address must be of NSAP type (bit 0x40 of ar$shtl clear) and
 *    subaddresses are refused (ar$sstl and a CIE's subaddress length not
 *    0): NHRP_DROP_AFN in the header, NHRP_DROP_CIE in a CIE;
 *  - ar$pro.snap is not looked at (it only means something for
 *    pro_type 0x0080, which is refused anyway);
 *  - a datagram shorter than pktsz, or a pktsz shorter than the fixed header
 *    and mandatory part's 28 bytes, is NHRP_DROP_SHORT; a pktsz under 20 and
 *    an extoff inside the headers or past pktsz are NHRP_DROP_LENGTH;
 *  - bytes past pktsz (link padding) and past the end marker are ignored;
 *  - unknown non-compulsory extensions are skipped and not kept (a message
 *    built again from a parse leaves them out);
 *  - a CIE's lengths wrong (address length not 0 nor the family's, a
 *    subaddress, past its list) are NHRP_DROP_CIE, in extensions too;
 *  - a zero checksum is bad (IOS always sends one); when the sum comes out
 *    0 nhrp_build writes 0xffff, its one's complement twin;
 *  - the responder extension holds at most one CIE (NHRP_DROP_EXT), the
 *    authentication extension at least its SPI (NHRP_DROP_EXT);
 *  - a password longer than NHRP_AUTH_MAX is kept as its first
 *    NHRP_AUTH_MAX bytes with auth_len NHRP_AUTH_MAX + 1, which matches no
 *    configured one; nhrp_build refuses such a message.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "nhrp/wire.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static const char *const drop_names[NHRP_DROP_MAX] = {
	[NHRP_OK] = "ok",
	[NHRP_DROP_SHORT] = "short",
	[NHRP_DROP_VERSION] = "version",
	[NHRP_DROP_CHECKSUM] = "checksum",
	[NHRP_DROP_AFN] = "address family",
	[NHRP_DROP_PROTO] = "protocol type",
	[NHRP_DROP_HOPS] = "hop count",
	[NHRP_DROP_TYPE] = "packet type",
	[NHRP_DROP_LENGTH] = "length",
	[NHRP_DROP_CIE] = "CIE",
	[NHRP_DROP_EXT] = "extension",
	[NHRP_DROP_EXT_UNKNOWN] = "unknown compulsory extension",
	[NHRP_DROP_TOO_MANY] = "too many CIEs",
	[NHRP_DROP_AUTH] = "authentication",
	[NHRP_DROP_NETID] = "network id",
	[NHRP_DROP_STATE] = "state",
	[NHRP_DROP_RATE] = "rate limit",
};

const char *nhrp_drop_name(enum nhrp_drop d)
{
	if ((unsigned int)d >= NHRP_DROP_MAX || !drop_names[d])
		return "unknown";
	return drop_names[d];
}

static const char *const type_names[] = {
	[NHRP_RES_REQ] = "Resolution Request",
	[NHRP_RES_REP] = "Resolution Reply",
	[NHRP_REG_REQ] = "Registration Request",
	[NHRP_REG_REP] = "Registration Reply",
	[NHRP_PURGE_REQ] = "Purge Request",
	[NHRP_PURGE_REP] = "Purge Reply",
	[NHRP_ERROR] = "Error Indication",
	[NHRP_TRAFFIC] = "Traffic Indication",
};

const char *nhrp_type_name(uint8_t type)
{
	if (type >= sizeof(type_names) / sizeof(type_names[0]) || !type_names[type])
		return "unknown";
	return type_names[type];
}

void nhrp_addr_set(struct nhrp_addr *a, const void *bytes, uint8_t len)
{
	memset(a, 0, sizeof(*a));
	if (len > sizeof(a->a))
		return;
	a->len = len;
	if (len)
		memcpy(a->a, bytes, len);
}

bool nhrp_addr_eq(const struct nhrp_addr *a, const struct nhrp_addr *b)
{
	return a->len == b->len && a->len <= sizeof(a->a) && !memcmp(a->a, b->a, a->len);
}

const char *nhrp_addr_str(const struct nhrp_addr *a, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	if (!len)
		return buf;
	if (a->len == 4)
		inet_ntop(AF_INET, a->a, s, sizeof(s));
	else if (a->len == 16)
		inet_ntop(AF_INET6, a->a, s, sizeof(s));
	else if (!a->len)
		strcpy(s, "-");
	else
		strcpy(s, "?");
	snprintf(buf, len, "%s", s);
	return buf;
}

void nhrp_msg_init(struct nhrp_msg *m, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->afn = NHRP_AFN_IPV4;
	m->pro_type = NHRP_PROTO_IPV4;
	m->hops = NHRP_HOPS;
	m->type = type;
	m->compulsory[NHRP_EXT_RESPONDER] = true;
	m->compulsory[NHRP_EXT_FWD_TRANSIT] = true;
	m->compulsory[NHRP_EXT_REV_TRANSIT] = true;
	m->compulsory[NHRP_EXT_AUTH] = true;
}

uint16_t nhrp_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* the NBMA address length of an afn, the protocol address length of a type (0: unknown) */
static uint8_t afn_len(uint16_t afn)
{
	return afn == NHRP_AFN_IPV4 ? 4 : afn == NHRP_AFN_IPV6 ? 16 : 0;
}

static uint8_t proto_len(uint16_t pro_type)
{
	return pro_type == NHRP_PROTO_IPV4 ? 4 : pro_type == NHRP_PROTO_IPV6 ? 16 : 0;
}

static bool has_cies(uint8_t type)
{
	return type >= NHRP_RES_REQ && type <= NHRP_PURGE_REP;
}

/* the CIEs of p[0..n): all of it, or a drop reason */
static enum nhrp_drop parse_cies(const uint8_t *p, size_t n, uint8_t nl, uint8_t pl,
				 struct nhrp_cies *c)
{
	size_t off = 0;

	c->n = 0;
	while (off < n) {
		struct nhrp_cie *e;
		uint8_t cnl, csl, cpl;

		if (n - off < NHRP_CIE_LEN)
			return NHRP_DROP_CIE;
		cnl = p[off + 8];
		csl = p[off + 9];
		cpl = p[off + 10];
		if ((cnl != 0 && cnl != nl) || csl != 0 || (cpl != 0 && cpl != pl))
			return NHRP_DROP_CIE;
		if (n - off - NHRP_CIE_LEN < (size_t)cnl + cpl)
			return NHRP_DROP_CIE;
		if (c->n == NHRP_CIES_MAX)
			return NHRP_DROP_TOO_MANY;
		e = &c->e[c->n++];
		e->code = p[off];
		e->prefix = p[off + 1];
		e->mtu = get16(p + off + 4);
		e->holdtime = get16(p + off + 6);
		e->pref = p[off + 11];
		off += NHRP_CIE_LEN;
		nhrp_addr_set(&e->nbma, p + off, cnl);
		off += cnl;
		nhrp_addr_set(&e->proto, p + off, cpl);
		off += cpl;
	}
	return NHRP_OK;
}

static enum nhrp_drop parse_exts(const uint8_t *p, size_t start, size_t end, uint8_t nl,
				 uint8_t pl, struct nhrp_msg *m)
{
	size_t off = start;

	for (;;) {
		const uint8_t *v;
		uint16_t raw, type, len;
		bool comp, *has;
		struct nhrp_cies *list;
		enum nhrp_drop d;

		if (end - off < NHRP_EXT_HDR_LEN)
			return NHRP_DROP_EXT;	/* no end marker */
		raw = get16(p + off);
		len = get16(p + off + 2);
		type = raw & ~NHRP_EXT_COMPULSORY;
		comp = raw & NHRP_EXT_COMPULSORY;
		if (end - off - NHRP_EXT_HDR_LEN < len)
			return NHRP_DROP_EXT;
		v = p + off + NHRP_EXT_HDR_LEN;
		list = NULL;
		switch (type) {
		case NHRP_EXT_END:
			if (len)
				return NHRP_DROP_EXT;
			m->compulsory[NHRP_EXT_END] = comp;
			return NHRP_OK;
		case NHRP_EXT_RESPONDER:
			has = &m->has_responder;
			list = &m->responder;
			break;
		case NHRP_EXT_FWD_TRANSIT:
			has = &m->has_fwd;
			list = &m->fwd;
			break;
		case NHRP_EXT_REV_TRANSIT:
			has = &m->has_rev;
			list = &m->rev;
			break;
		case NHRP_EXT_NAT:
			has = &m->has_nat;
			list = &m->nat;
			break;
		case NHRP_EXT_AUTH:
			has = &m->has_auth;
			break;
		case NHRP_EXT_VENDOR:
			has = &m->has_vendor;
			break;
		default:
			if (comp) {
				m->bad_ext_offset = (uint16_t)off;
				return NHRP_DROP_EXT_UNKNOWN;
			}
			off += NHRP_EXT_HDR_LEN + len;
			continue;
		}
		if (*has)
			return NHRP_DROP_EXT;
		*has = true;
		m->compulsory[type] = comp;
		if (list) {
			d = parse_cies(v, len, nl, pl, list);
			if (d)
				return d;
			if (type == NHRP_EXT_RESPONDER && list->n > 1)
				return NHRP_DROP_EXT;
		} else if (type == NHRP_EXT_AUTH) {
			if (len < 4)
				return NHRP_DROP_EXT;
			m->auth_spi = get32(v);
			if (len - 4 > NHRP_AUTH_MAX) {
				m->auth_len = NHRP_AUTH_MAX + 1;
				memcpy(m->auth, v + 4, NHRP_AUTH_MAX);
			} else {
				m->auth_len = (uint8_t)(len - 4);
				memcpy(m->auth, v + 4, m->auth_len);
			}
		} else {
			m->vendor = v;
			m->vendor_len = len;
		}
		off += NHRP_EXT_HDR_LEN + len;
	}
}

enum nhrp_drop nhrp_parse(const uint8_t *p, size_t n, struct nhrp_msg *m)
{
	uint8_t nl, pl, shtl, sstl, spl, dpl;
	size_t pktsz, extoff, end, off;
	enum nhrp_drop d;

	memset(m, 0, sizeof(*m));
	if (n < NHRP_HDR_LEN)
		return NHRP_DROP_SHORT;
	if (p[16] != NHRP_VERSION)
		return NHRP_DROP_VERSION;
	pktsz = get16(p + 10);
	extoff = get16(p + 14);
	if (pktsz > n)
		return NHRP_DROP_SHORT;
	if (pktsz < NHRP_HDR_LEN + NHRP_MAND_LEN)
		return pktsz < NHRP_HDR_LEN ? NHRP_DROP_LENGTH : NHRP_DROP_SHORT;
	if (!get16(p + 12) || nhrp_checksum(p, pktsz))
		return NHRP_DROP_CHECKSUM;
	m->afn = get16(p);
	m->pro_type = get16(p + 2);
	m->hops = p[9];
	m->type = p[17];
	m->pktsz = (uint16_t)pktsz;
	m->extoff = (uint16_t)extoff;
	shtl = p[18];
	sstl = p[19];
	nl = afn_len(m->afn);
	if (!nl || shtl != nl || sstl)
		return NHRP_DROP_AFN;
	pl = proto_len(m->pro_type);
	if (!pl)
		return NHRP_DROP_PROTO;
	if (!m->hops)
		return NHRP_DROP_HOPS;
	if (m->type < NHRP_RES_REQ || m->type > NHRP_TRAFFIC)
		return NHRP_DROP_TYPE;
	if (extoff && (extoff < NHRP_HDR_LEN + NHRP_MAND_LEN || extoff > pktsz))
		return NHRP_DROP_LENGTH;
	end = extoff ? extoff : pktsz;

	/* the mandatory part */
	off = NHRP_HDR_LEN;
	spl = p[off];
	dpl = p[off + 1];
	if (spl != pl || dpl != pl)
		return NHRP_DROP_PROTO;
	if (m->type == NHRP_ERROR) {
		m->err_code = get16(p + off + 4);
		m->err_offset = get16(p + off + 6);
	} else if (m->type == NHRP_TRAFFIC) {
		m->traffic_code = get16(p + off + 4);
	} else {
		m->flags = get16(p + off + 2);
		m->reqid = get32(p + off + 4);
	}
	off += NHRP_MAND_LEN;
	if (end - off < (size_t)nl + 2 * pl)
		return NHRP_DROP_LENGTH;
	nhrp_addr_set(&m->src_nbma, p + off, nl);
	off += nl;
	nhrp_addr_set(&m->src_proto, p + off, pl);
	off += pl;
	nhrp_addr_set(&m->dst_proto, p + off, pl);
	off += pl;
	if (has_cies(m->type)) {
		d = parse_cies(p + off, end - off, nl, pl, &m->cie);
		if (d)
			return d;
	} else {
		m->data = p + off;
		m->data_len = end - off;
	}
	if (!extoff)
		return NHRP_OK;
	return parse_exts(p, extoff, pktsz, nl, pl, m);
}

/* the writer: a cursor that stops at cap */
struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool err;
};

static uint8_t *wput(struct wbuf *b, size_t n)
{
	uint8_t *q;

	if (b->err || b->cap - b->len < n || b->len + n > 0xffff) {
		b->err = true;
		return NULL;
	}
	q = b->p + b->len;
	memset(q, 0, n);
	b->len += n;
	return q;
}

static void wbytes(struct wbuf *b, const void *v, size_t n)
{
	uint8_t *q = wput(b, n);

	if (q && n)
		memcpy(q, v, n);
}

static bool cies_ok(const struct nhrp_cies *c, uint8_t nl, uint8_t pl, int max)
{
	int i;

	if (c->n < 0 || c->n > max)
		return false;
	for (i = 0; i < c->n; i++) {
		const struct nhrp_cie *e = &c->e[i];

		if ((e->nbma.len && e->nbma.len != nl) || (e->proto.len && e->proto.len != pl))
			return false;
	}
	return true;
}

static void put_cies(struct wbuf *b, const struct nhrp_cies *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		const struct nhrp_cie *e = &c->e[i];
		uint8_t *q = wput(b, NHRP_CIE_LEN);

		if (!q)
			return;
		q[0] = e->code;
		q[1] = e->prefix;
		put16(q + 4, e->mtu);
		put16(q + 6, e->holdtime);
		q[8] = e->nbma.len;
		q[10] = e->proto.len;
		q[11] = e->pref;
		wbytes(b, e->nbma.a, e->nbma.len);
		wbytes(b, e->proto.a, e->proto.len);
	}
}

/* an extension's header now, its length when its payload is written */
static size_t ext_begin(struct wbuf *b, const struct nhrp_msg *m, uint16_t type)
{
	uint8_t *q = wput(b, NHRP_EXT_HDR_LEN);
	size_t at = b->len;

	if (q)
		put16(q, type | (m->compulsory[type] ? NHRP_EXT_COMPULSORY : 0));
	return at;
}

static void ext_end(struct wbuf *b, size_t at)
{
	if (!b->err)
		put16(b->p + at - 2, (uint16_t)(b->len - at));
}

static void ext_cies(struct wbuf *b, const struct nhrp_msg *m, uint16_t type,
		     const struct nhrp_cies *c)
{
	size_t at = ext_begin(b, m, type);

	put_cies(b, c);
	ext_end(b, at);
}

size_t nhrp_build(const struct nhrp_msg *m, uint8_t *buf, size_t cap)
{
	struct wbuf b = { buf, 0, cap, false };
	uint8_t nl = afn_len(m->afn), pl = proto_len(m->pro_type);
	bool exts = m->has_responder || m->has_fwd || m->has_rev || m->has_auth ||
		    m->has_nat || m->has_vendor;
	uint8_t *h, *q;
	uint16_t sum;

	if (!nl || !pl || m->type < NHRP_RES_REQ || m->type > NHRP_TRAFFIC)
		return 0;
	if (m->src_nbma.len != nl || m->src_proto.len != pl || m->dst_proto.len != pl)
		return 0;
	if (has_cies(m->type) && !cies_ok(&m->cie, nl, pl, NHRP_CIES_MAX))
		return 0;
	if ((m->has_responder && !cies_ok(&m->responder, nl, pl, 1)) ||
	    (m->has_fwd && !cies_ok(&m->fwd, nl, pl, NHRP_CIES_MAX)) ||
	    (m->has_rev && !cies_ok(&m->rev, nl, pl, NHRP_CIES_MAX)) ||
	    (m->has_nat && !cies_ok(&m->nat, nl, pl, NHRP_CIES_MAX)))
		return 0;
	if (m->has_auth && m->auth_len > NHRP_AUTH_MAX)
		return 0;
	if (!has_cies(m->type) && m->data_len && !m->data)
		return 0;
	if (m->has_vendor && (m->vendor_len > 0xffff || (m->vendor_len && !m->vendor)))
		return 0;

	h = wput(&b, NHRP_HDR_LEN);
	if (!h)
		return 0;
	put16(h, m->afn);
	put16(h + 2, m->pro_type);
	h[9] = m->hops;
	h[16] = NHRP_VERSION;
	h[17] = m->type;
	h[18] = nl;
	h[19] = 0;

	q = wput(&b, NHRP_MAND_LEN);
	if (!q)
		return 0;
	q[0] = pl;
	q[1] = pl;
	if (m->type == NHRP_ERROR) {
		put16(q + 4, m->err_code);
		put16(q + 6, m->err_offset);
	} else if (m->type == NHRP_TRAFFIC) {
		put16(q + 4, m->traffic_code);
	} else {
		put16(q + 2, m->flags);
		put32(q + 4, m->reqid);
	}
	wbytes(&b, m->src_nbma.a, nl);
	wbytes(&b, m->src_proto.a, pl);
	wbytes(&b, m->dst_proto.a, pl);
	if (has_cies(m->type))
		put_cies(&b, &m->cie);
	else
		wbytes(&b, m->data, m->data_len);

	if (exts && !b.err) {
		put16(h + 14, (uint16_t)b.len);
		if (m->has_responder)
			ext_cies(&b, m, NHRP_EXT_RESPONDER, &m->responder);
		if (m->has_fwd)
			ext_cies(&b, m, NHRP_EXT_FWD_TRANSIT, &m->fwd);
		if (m->has_rev)
			ext_cies(&b, m, NHRP_EXT_REV_TRANSIT, &m->rev);
		if (m->has_auth) {
			size_t at = ext_begin(&b, m, NHRP_EXT_AUTH);

			q = wput(&b, 4);
			if (q)
				put32(q, m->auth_spi);
			wbytes(&b, m->auth, m->auth_len);
			ext_end(&b, at);
		}
		if (m->has_nat)
			ext_cies(&b, m, NHRP_EXT_NAT, &m->nat);
		if (m->has_vendor) {
			size_t at = ext_begin(&b, m, NHRP_EXT_VENDOR);

			wbytes(&b, m->vendor, m->vendor_len);
			ext_end(&b, at);
		}
		q = wput(&b, NHRP_EXT_HDR_LEN);
		if (q)
			put16(q, NHRP_EXT_END | NHRP_EXT_COMPULSORY);
	}
	if (b.err)
		return 0;
	put16(h + 10, (uint16_t)b.len);
	sum = nhrp_checksum(buf, b.len);
	put16(h + 12, sum ? sum : 0xffff);
	return b.len;
}

size_t nhrp_build_error(const struct nhrp_msg *m, const struct nhrp_addr *our_nbma,
			const struct nhrp_addr *our_proto, uint16_t code, uint16_t offset,
			const uint8_t *p, size_t n, uint8_t *buf, size_t cap)
{
	struct nhrp_msg e;
	uint8_t nl = afn_len(m->afn), pl = proto_len(m->pro_type);
	size_t hdr = NHRP_HDR_LEN + NHRP_MAND_LEN + (size_t)nl + 2 * pl;
	size_t room;

	if (!nl || !pl || cap < hdr)
		return 0;
	nhrp_msg_init(&e, NHRP_ERROR);
	e.afn = m->afn;
	e.pro_type = m->pro_type;
	e.src_nbma = *our_nbma;
	e.src_proto = *our_proto;
	e.dst_proto = m->src_proto;
	e.err_code = code;
	e.err_offset = offset;
	room = cap - hdr;
	if (room > 0xffff - hdr)
		room = 0xffff - hdr;
	e.data = p;
	e.data_len = n < room ? n : room;
	return nhrp_build(&e, buf, cap);
}
