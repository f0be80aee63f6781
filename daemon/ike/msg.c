// SPDX-License-Identifier: GPL-2.0
/* ISAKMP message codec (RFC 2408 section 3). */
#include <string.h>
#include "ike/msg.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t ike_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

int ike_hdr_parse(const uint8_t *b, size_t n, struct ike_hdr *h)
{
	if (n < ISAKMP_HDR_LEN)
		return -1;
	memcpy(h->icookie, b, 8);
	memcpy(h->rcookie, b + 8, 8);
	h->np = b[16];
	h->version = b[17];
	h->exchange = b[18];
	h->flags = b[19];
	h->msgid = get32(b + 20);
	h->len = get32(b + 24);
	if ((h->version >> 4) != 1)
		return N_INVALID_MAJOR_VERSION;
	if (h->len != n)
		return N_PAYLOAD_MALFORMED;
	if (h->flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A))
		return N_INVALID_FLAGS;
	return 0;
}

static bool known_payload(uint8_t t)
{
	return (t >= ISAKMP_NP_SA && t <= ISAKMP_NP_VID) || t == ISAKMP_NP_NATD ||
	       t == ISAKMP_NP_NATOA || t == ISAKMP_NP_NATD_DRAFT || t == ISAKMP_NP_NATOA_DRAFT;
}

int ike_payloads_parse(uint8_t np, const uint8_t *b, size_t n, struct ike_msg *m)
{
	size_t off = 0;

	m->npl = 0;
	while (np != ISAKMP_NP_NONE) {
		size_t len;

		if (!known_payload(np))
			return N_INVALID_PAYLOAD_TYPE;
		if (n - off < ISAKMP_GEN_LEN || m->npl == IKE_MAX_PAYLOADS)
			return N_PAYLOAD_MALFORMED;
		len = get16(b + off + 2);
		if (len < ISAKMP_GEN_LEN || len > n - off)
			return N_PAYLOAD_MALFORMED;
		m->pl[m->npl].type = np;
		m->pl[m->npl].raw = b + off;
		m->pl[m->npl].raw_len = len;
		m->pl[m->npl].body = b + off + ISAKMP_GEN_LEN;
		m->pl[m->npl].len = len - ISAKMP_GEN_LEN;
		m->npl++;
		np = b[off];
		off += len;
	}
	return 0;
}

const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type, int nth)
{
	for (int i = 0; i < m->npl; i++)
		if (m->pl[i].type == type && nth-- == 0)
			return &m->pl[i];
	return NULL;
}

int ike_attr_next(const uint8_t **p, size_t *n, struct ike_attr *a)
{
	const uint8_t *q = *p;
	uint16_t t;

	if (*n == 0)
		return 0;
	if (*n < 4)
		return -1;
	t = get16(q);
	a->type = t & 0x7fff;
	if (t & 0x8000) {
		a->val = q + 2;
		a->len = 2;
		*p += 4;
		*n -= 4;
	} else {
		a->len = get16(q + 2);
		if (a->len > *n - 4)
			return -1;
		a->val = q + 4;
		*p += 4 + a->len;
		*n -= 4 + a->len;
	}
	a->num_ok = a->len <= 8;
	a->num = a->num_ok ? ike_be(a->val, a->len) : 0;
	return 1;
}

void ike_buf_init(struct ike_buf *b, uint8_t *storage, size_t cap)
{
	b->p = storage;
	b->len = 0;
	b->cap = cap;
	b->np_off = (size_t)-1;
	b->err = false;
}

void ike_put(struct ike_buf *b, const void *data, size_t n)
{
	if (b->err || n > b->cap - b->len) {
		b->err = true;
		return;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

void ike_put8(struct ike_buf *b, uint8_t v)
{
	ike_put(b, &v, 1);
}

void ike_put16(struct ike_buf *b, uint16_t v)
{
	uint8_t x[2] = { v >> 8, v };

	ike_put(b, x, 2);
}

void ike_put32(struct ike_buf *b, uint32_t v)
{
	uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v };

	ike_put(b, x, 4);
}

void ike_put_zero(struct ike_buf *b, size_t n)
{
	if (b->err || n > b->cap - b->len) {
		b->err = true;
		return;
	}
	memset(b->p + b->len, 0, n);
	b->len += n;
}

void ike_set16(struct ike_buf *b, size_t off, uint16_t v)
{
	if (b->err || off + 2 > b->len)
		return;
	b->p[off] = v >> 8;
	b->p[off + 1] = v;
}

void ike_set32(struct ike_buf *b, size_t off, uint32_t v)
{
	if (b->err || off + 4 > b->len)
		return;
	b->p[off] = v >> 24;
	b->p[off + 1] = v >> 16;
	b->p[off + 2] = v >> 8;
	b->p[off + 3] = v;
}

void ike_put_hdr(struct ike_buf *b, const struct ike_hdr *h)
{
	ike_put(b, h->icookie, 8);
	ike_put(b, h->rcookie, 8);
	b->np_off = b->len;
	ike_put8(b, ISAKMP_NP_NONE);
	ike_put8(b, ISAKMP_VERSION);
	ike_put8(b, h->exchange);
	ike_put8(b, h->flags);
	ike_put32(b, h->msgid);
	ike_put32(b, 0);
}

size_t ike_pl_open(struct ike_buf *b, uint8_t type)
{
	size_t off = b->len;

	if (!b->err && b->np_off < b->len)
		b->p[b->np_off] = type;
	b->np_off = off;
	ike_put8(b, ISAKMP_NP_NONE);
	ike_put8(b, 0);
	ike_put16(b, 0);
	return off;
}

void ike_pl_close(struct ike_buf *b, size_t off)
{
	if (b->len - off > 0xffff)
		b->err = true;
	ike_set16(b, off + 2, (uint16_t)(b->len - off));
}

void ike_put_pl(struct ike_buf *b, uint8_t type, const void *body, size_t n)
{
	size_t off = ike_pl_open(b, type);

	ike_put(b, body, n);
	ike_pl_close(b, off);
}

void ike_put_attr(struct ike_buf *b, uint16_t type, uint64_t v)
{
	if (v <= 0xffff) {
		ike_put16(b, 0x8000 | type);
		ike_put16(b, (uint16_t)v);
	} else if (v <= 0xffffffffu) {
		ike_put16(b, type);
		ike_put16(b, 4);
		ike_put32(b, (uint32_t)v);
	} else {
		ike_put16(b, type);
		ike_put16(b, 8);
		ike_put32(b, (uint32_t)(v >> 32));
		ike_put32(b, (uint32_t)v);
	}
}

void ike_hdr_finish(struct ike_buf *b)
{
	ike_set32(b, 24, (uint32_t)b->len);
}

const char *ike_np_name(uint8_t np)
{
	static const char *const names[] = {
		"NONE", "SA", "PROPOSAL", "TRANSFORM", "KE", "ID", "CERT", "CERT_REQ",
		"HASH", "SIG", "NONCE", "NOTIFY", "DELETE", "VENDOR",
	};

	if (np < sizeof(names) / sizeof(names[0]))
		return names[np];
	if (np == ISAKMP_NP_NATD || np == ISAKMP_NP_NATD_DRAFT)
		return "NAT-D";
	if (np == ISAKMP_NP_NATOA || np == ISAKMP_NP_NATOA_DRAFT)
		return "NAT-OA";
	return "unknown";
}

const char *ike_notify_name(uint16_t type)
{
	switch (type) {
	case N_INVALID_PAYLOAD_TYPE: return "INVALID_PAYLOAD_TYPE";
	case N_INVALID_COOKIE: return "INVALID_COOKIE";
	case N_INVALID_MAJOR_VERSION: return "INVALID_MAJOR_VERSION";
	case N_INVALID_EXCHANGE_TYPE: return "INVALID_EXCHANGE_TYPE";
	case N_INVALID_FLAGS: return "INVALID_FLAGS";
	case N_INVALID_MESSAGE_ID: return "INVALID_MESSAGE_ID";
	case N_INVALID_PROTOCOL_ID: return "INVALID_PROTOCOL_ID";
	case N_INVALID_SPI: return "INVALID_SPI";
	case N_INVALID_TRANSFORM_ID: return "INVALID_TRANSFORM_ID";
	case N_ATTRIBUTES_NOT_SUPPORTED: return "ATTRIBUTES_NOT_SUPPORTED";
	case N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case N_BAD_PROPOSAL_SYNTAX: return "BAD_PROPOSAL_SYNTAX";
	case N_PAYLOAD_MALFORMED: return "PAYLOAD_MALFORMED";
	case N_INVALID_KEY_INFORMATION: return "INVALID_KEY_INFORMATION";
	case N_INVALID_ID_INFORMATION: return "INVALID_ID_INFORMATION";
	case N_INVALID_HASH_INFORMATION: return "INVALID_HASH_INFORMATION";
	case N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case N_RESPONDER_LIFETIME: return "RESPONDER_LIFETIME";
	case N_REPLAY_STATUS: return "REPLAY_STATUS";
	case N_INITIAL_CONTACT: return "INITIAL_CONTACT";
	case N_R_U_THERE: return "R_U_THERE";
	case N_R_U_THERE_ACK: return "R_U_THERE_ACK";
	default: return "unknown";
	}
}

int ike_notify_parse(const struct ike_pl *pl, struct ike_notify *n)
{
	if (pl->type != ISAKMP_NP_N || pl->len < 8 || pl->len < 8 + (size_t)pl->body[5])
		return -1;
	n->proto = pl->body[4];
	n->spi_len = pl->body[5];
	n->type = (uint16_t)(pl->body[6] << 8 | pl->body[7]);
	n->spi = pl->body + 8;
	n->data = n->spi + n->spi_len;
	n->data_len = pl->len - 8 - n->spi_len;
	return 0;
}
