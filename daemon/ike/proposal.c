// SPDX-License-Identifier: GPL-2.0
/* SA payloads: parse, build, match. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "ike/proposal.h"
#include "lib/addr.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Walk the proposals of an SA body (DOI, situation, then proposal
 * payloads); fn() gets each transform.  0 or a notify type.
 */
typedef int (*xform_fn)(void *arg, uint8_t prop_num, uint8_t proto, const uint8_t *spi,
			size_t spi_len, uint8_t xf_num, uint8_t xf_id, const uint8_t *attrs,
			size_t attrs_len);

static int sa_walk(const uint8_t *b, size_t n, xform_fn fn, void *arg)
{
	uint8_t np = ISAKMP_NP_P;
	size_t off = 8;

	if (n < 8 || get32(b) != IPSEC_DOI)
		return n < 8 ? N_PAYLOAD_MALFORMED : N_DOI_NOT_SUPPORTED;
	if (get32(b + 4) != SIT_IDENTITY_ONLY)
		return N_SITUATION_NOT_SUPPORTED;
	while (np == ISAKMP_NP_P) {
		size_t plen, spi_len, xoff;
		uint8_t nxf, xnp = ISAKMP_NP_T;
		const uint8_t *p = b + off;

		if (n - off < 8)
			return N_BAD_PROPOSAL_SYNTAX;
		plen = (size_t)(p[2] << 8 | p[3]);
		spi_len = p[6];
		nxf = p[7];
		if (plen < 8 + spi_len || plen > n - off || (p[0] != ISAKMP_NP_NONE && p[0] != ISAKMP_NP_P))
			return N_BAD_PROPOSAL_SYNTAX;
		xoff = 8 + spi_len;
		for (int i = 0; i < nxf; i++) {
			const uint8_t *t = p + xoff;
			size_t tlen;
			int err;

			if (xnp != ISAKMP_NP_T || plen - xoff < 8)
				return N_BAD_PROPOSAL_SYNTAX;
			tlen = (size_t)(t[2] << 8 | t[3]);
			if (tlen < 8 || tlen > plen - xoff)
				return N_BAD_PROPOSAL_SYNTAX;
			xnp = t[0];
			err = fn(arg, p[4], p[5], p + 8, spi_len, t[4], t[5], t + 8, tlen - 8);
			if (err)
				return err;
			xoff += tlen;
		}
		if (xnp != ISAKMP_NP_NONE || xoff != plen)
			return N_BAD_PROPOSAL_SYNTAX;
		np = p[0];
		off += plen;
	}
	return 0;
}

static int p1_xform(void *arg, uint8_t prop_num, uint8_t proto, const uint8_t *spi,
		    size_t spi_len, uint8_t xf_num, uint8_t xf_id, const uint8_t *attrs,
		    size_t alen)
{
	struct p1_offer *o = arg;
	struct p1_attrs *x;
	struct ike_attr a;
	uint16_t life_type = 0;
	int r;

	if (proto != PROTO_ISAKMP)
		return N_INVALID_PROTOCOL_ID;
	if (xf_id != KEY_IKE)
		return N_INVALID_TRANSFORM_ID;
	if (o->n == IKE_MAX_XFORMS)
		return 0;	/* more than we consider: the rest are ignored */
	x = &o->x[o->n];
	memset(x, 0, sizeof(*x));
	while ((r = ike_attr_next(&attrs, &alen, &a)) == 1) {
		if (!a.num_ok)
			return N_ATTRIBUTES_NOT_SUPPORTED;
		switch (a.type) {
		case OAKLEY_ENCRYPTION_ALGORITHM: x->enc = (uint16_t)a.num; break;
		case OAKLEY_HASH_ALGORITHM: x->hash = (uint16_t)a.num; break;
		case OAKLEY_AUTHENTICATION_METHOD: x->auth = (uint16_t)a.num; break;
		case OAKLEY_GROUP_DESCRIPTION: x->group = (uint16_t)a.num; break;
		case OAKLEY_KEY_LENGTH: x->keylen = (uint16_t)a.num; break;
		case OAKLEY_LIFE_TYPE: life_type = (uint16_t)a.num; break;
		case OAKLEY_LIFE_DURATION:
			if (a.num > UINT32_MAX)
				a.num = UINT32_MAX;
			if (life_type == OAKLEY_LIFE_SECONDS)
				x->life_sec = (uint32_t)a.num;
			else if (life_type == OAKLEY_LIFE_KILOBYTES)
				x->life_kb = (uint32_t)a.num;
			else
				return N_BAD_PROPOSAL_SYNTAX;
			break;
		default:
			/* an attribute we do not know makes the transform unacceptable */
			x->auth = 0xffff;
			break;
		}
	}
	if (r < 0)
		return N_BAD_PROPOSAL_SYNTAX;
	o->num[o->n++] = xf_num;
	return 0;
}

int p1_sa_parse(const uint8_t *body, size_t len, struct p1_offer *o)
{
	o->n = 0;
	return sa_walk(body, len, p1_xform, o);
}

static int p2_xform(void *arg, uint8_t prop_num, uint8_t proto, const uint8_t *spi,
		    size_t spi_len, uint8_t xf_num, uint8_t xf_id, const uint8_t *attrs,
		    size_t alen)
{
	struct p2_offer *o = arg;
	struct p2_attrs *x;
	struct ike_attr a;
	uint16_t life_type = 0;
	int r;

	if (proto != PROTO_IPSEC_ESP)
		return 0;	/* AH or IPComp proposals: not for us, skip them */
	if (spi_len != 4)
		return N_INVALID_SPI;
	if (o->n == IKE_MAX_XFORMS)
		return 0;
	x = &o->x[o->n];
	memset(x, 0, sizeof(*x));
	x->esp_id = xf_id;
	while ((r = ike_attr_next(&attrs, &alen, &a)) == 1) {
		if (!a.num_ok)
			return N_ATTRIBUTES_NOT_SUPPORTED;
		switch (a.type) {
		case IPSEC_ATTR_SA_LIFE_TYPE: life_type = (uint16_t)a.num; break;
		case IPSEC_ATTR_SA_LIFE_DURATION:
			if (a.num > UINT32_MAX)
				a.num = UINT32_MAX;
			if (life_type == IPSEC_LIFE_SECONDS)
				x->life_sec = (uint32_t)a.num;
			else if (life_type == IPSEC_LIFE_KILOBYTES)
				x->life_kb = (uint32_t)a.num;
			else
				return N_BAD_PROPOSAL_SYNTAX;
			break;
		case IPSEC_ATTR_GROUP_DESCRIPTION: x->group = (uint16_t)a.num; break;
		case IPSEC_ATTR_ENCAPSULATION_MODE: x->encap = (uint16_t)a.num; break;
		case IPSEC_ATTR_AUTH_ALGORITHM: x->auth = (uint16_t)a.num; break;
		case IPSEC_ATTR_KEY_LENGTH: x->keylen = (uint16_t)a.num; break;
		default:
			x->esp_id = 0;	/* unknown attribute (ESN, ...): unacceptable */
			break;
		}
	}
	if (r < 0)
		return N_BAD_PROPOSAL_SYNTAX;
	if (!x->encap)
		x->encap = ENCAP_TUNNEL;	/* RFC 2407 4.5: the default */
	o->prop_num[o->n] = prop_num;
	o->xf_num[o->n] = xf_num;
	o->spi[o->n] = get32(spi);
	o->n++;
	return 0;
}

int p2_sa_parse(const uint8_t *body, size_t len, struct p2_offer *o)
{
	int err;

	o->n = 0;
	err = sa_walk(body, len, p2_xform, o);
	if (!err && o->n == 0)
		return N_NO_PROPOSAL_CHOSEN;
	return err;
}

static void sa_head(struct ike_buf *b)
{
	ike_put32(b, IPSEC_DOI);
	ike_put32(b, SIT_IDENTITY_ONLY);
}

void p1_sa_build(struct ike_buf *b, const struct p1_attrs *x, const uint8_t *nums, int n)
{
	size_t sa = ike_pl_open(b, ISAKMP_NP_SA), prop;

	sa_head(b);
	prop = b->len;
	ike_put8(b, ISAKMP_NP_NONE);
	ike_put8(b, 0);
	ike_put16(b, 0);
	ike_put8(b, 1);			/* proposal 1 */
	ike_put8(b, PROTO_ISAKMP);
	ike_put8(b, 0);			/* no SPI */
	ike_put8(b, (uint8_t)n);
	for (int i = 0; i < n; i++) {
		size_t t = b->len;

		ike_put8(b, i + 1 < n ? ISAKMP_NP_T : ISAKMP_NP_NONE);
		ike_put8(b, 0);
		ike_put16(b, 0);
		ike_put8(b, nums ? nums[i] : (uint8_t)(i + 1));
		ike_put8(b, KEY_IKE);
		ike_put16(b, 0);
		/* the order IOS sends them in */
		ike_put_attr(b, OAKLEY_ENCRYPTION_ALGORITHM, x[i].enc);
		if (x[i].keylen)
			ike_put_attr(b, OAKLEY_KEY_LENGTH, x[i].keylen);
		ike_put_attr(b, OAKLEY_HASH_ALGORITHM, x[i].hash);
		ike_put_attr(b, OAKLEY_GROUP_DESCRIPTION, x[i].group);
		ike_put_attr(b, OAKLEY_AUTHENTICATION_METHOD, x[i].auth);
		if (x[i].life_sec) {
			ike_put_attr(b, OAKLEY_LIFE_TYPE, OAKLEY_LIFE_SECONDS);
			/* IOS always writes the duration as four bytes: 0x0 0x1 0x51 0x80 */
			ike_put16(b, OAKLEY_LIFE_DURATION);
			ike_put16(b, 4);
			ike_put32(b, x[i].life_sec);
		}
		ike_set16(b, t + 2, (uint16_t)(b->len - t));
	}
	ike_set16(b, prop + 2, (uint16_t)(b->len - prop));
	ike_pl_close(b, sa);
}

void p2_sa_build(struct ike_buf *b, const struct p2_attrs *x, const uint8_t *props, int n,
		 uint32_t spi)
{
	size_t sa = ike_pl_open(b, ISAKMP_NP_SA);

	sa_head(b);
	for (int i = 0; i < n; i++) {
		size_t prop = b->len, t;

		ike_put8(b, i + 1 < n ? ISAKMP_NP_P : ISAKMP_NP_NONE);
		ike_put8(b, 0);
		ike_put16(b, 0);
		ike_put8(b, props ? props[i] : (uint8_t)(i + 1));
		ike_put8(b, PROTO_IPSEC_ESP);
		ike_put8(b, 4);
		ike_put8(b, 1);
		ike_put32(b, spi);
		t = b->len;
		ike_put8(b, ISAKMP_NP_NONE);
		ike_put8(b, 0);
		ike_put16(b, 0);
		ike_put8(b, 1);
		ike_put8(b, x[i].esp_id);
		ike_put16(b, 0);
		/* seed 002 order: encaps, life seconds, life kilobytes, auth */
		ike_put_attr(b, IPSEC_ATTR_ENCAPSULATION_MODE, x[i].encap);
		if (x[i].life_sec) {
			ike_put_attr(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_SECONDS);
			ike_put_attr(b, IPSEC_ATTR_SA_LIFE_DURATION, x[i].life_sec);
		}
		if (x[i].life_kb) {
			ike_put_attr(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_KILOBYTES);
			ike_put16(b, IPSEC_ATTR_SA_LIFE_DURATION);
			ike_put16(b, 4);
			ike_put32(b, x[i].life_kb);
		}
		if (x[i].auth)
			ike_put_attr(b, IPSEC_ATTR_AUTH_ALGORITHM, x[i].auth);
		if (x[i].keylen)
			ike_put_attr(b, IPSEC_ATTR_KEY_LENGTH, x[i].keylen);
		if (x[i].group)
			ike_put_attr(b, IPSEC_ATTR_GROUP_DESCRIPTION, x[i].group);
		ike_set16(b, t + 2, (uint16_t)(b->len - t));
		ike_set16(b, prop + 2, (uint16_t)(b->len - prop));
	}
	ike_pl_close(b, sa);
}

static uint16_t p1_keylen(const struct p1_attrs *a)
{
	if (a->enc == OAKLEY_AES_CBC)
		return a->keylen ? a->keylen : 128;
	return 0;
}

int p1_match(const struct p1_offer *o, const struct p1_attrs *pol, int npol, int *which)
{
	/* IOS walks its policies in priority order, each against every transform */
	for (int j = 0; j < npol; j++) {
		for (int i = 0; i < o->n; i++) {
			const struct p1_attrs *x = &o->x[i];

			if (x->enc != pol[j].enc || p1_keylen(x) != p1_keylen(&pol[j]) ||
			    x->hash != pol[j].hash || x->auth != pol[j].auth ||
			    x->group != pol[j].group || x->life_kb)
				continue;
			if (x->life_sec && pol[j].life_sec && x->life_sec > pol[j].life_sec)
				continue;
			*which = j;
			return i;
		}
	}
	return -1;
}

static uint16_t p2_keylen(const struct p2_attrs *a)
{
	if (a->esp_id == ESP_AES || a->esp_id == ESP_AES_GCM_16)
		return a->keylen ? a->keylen : 128;
	return 0;
}

static uint16_t base_encap(uint16_t e)
{
	switch (e) {
	case ENCAP_UDP_TUNNEL:
	case ENCAP_UDP_TUNNEL_DRAFT:
		return ENCAP_TUNNEL;
	case ENCAP_UDP_TRANSPORT:
	case ENCAP_UDP_TRANSPORT_DRAFT:
		return ENCAP_TRANSPORT;
	default:
		return e;
	}
}

bool p2_tunnel_mode(const struct p2_attrs *a)
{
	return base_encap(a->encap) == ENCAP_TUNNEL;
}

int p2_match(const struct p2_offer *o, const struct p2_attrs *ours, int nours, int *which)
{
	for (int i = 0; i < o->n; i++) {
		const struct p2_attrs *x = &o->x[i];

		for (int j = 0; j < nours; j++) {
			if (!x->esp_id || x->esp_id != ours[j].esp_id ||
			    p2_keylen(x) != p2_keylen(&ours[j]) || x->auth != ours[j].auth ||
			    base_encap(x->encap) != base_encap(ours[j].encap) ||
			    x->group != ours[j].group)
				continue;
			*which = j;
			return i;
		}
	}
	return -1;
}

size_t p2_enc_key_len(const struct p2_attrs *a)
{
	switch (a->esp_id) {
	case ESP_DES: return 8;
	case ESP_3DES: return 24;
	case ESP_AES: return p2_keylen(a) / 8;
	case ESP_AES_GCM_16: return p2_keylen(a) / 8 + 4;	/* RFC 4106 salt */
	case ESP_NULL: return 0;
	default: return 0;
	}
}

size_t p2_auth_key_len(const struct p2_attrs *a)
{
	switch (a->auth) {
	case AUTH_HMAC_MD5: return 16;
	case AUTH_HMAC_SHA: return 20;
	case AUTH_HMAC_SHA2_256: return 32;
	case AUTH_HMAC_SHA2_384: return 48;
	case AUTH_HMAC_SHA2_512: return 64;
	default: return 0;
	}
}

const char *p1_enc_name(uint16_t enc)
{
	switch (enc) {
	case OAKLEY_DES_CBC: return "DES-CBC";
	case OAKLEY_3DES_CBC: return "3DES-CBC";
	case OAKLEY_AES_CBC: return "AES-CBC";
	default: return "unknown";
	}
}

const char *p1_hash_name(uint16_t hash)
{
	switch (hash) {
	case OAKLEY_MD5: return "MD5";
	case OAKLEY_SHA: return "SHA";
	case OAKLEY_SHA2_256: return "SHA256";
	case OAKLEY_SHA2_384: return "SHA384";
	case OAKLEY_SHA2_512: return "SHA512";
	default: return "unknown";
	}
}

const char *p2_esp_name(uint8_t id)
{
	switch (id) {
	case ESP_DES: return "ESP_DES";
	case ESP_3DES: return "ESP_3DES";
	case ESP_AES: return "ESP_AES";
	case ESP_AES_GCM_16: return "ESP_GCM";
	case ESP_NULL: return "ESP_NULL";
	default: return "unknown";
	}
}

const char *p2_auth_name(uint16_t auth)
{
	switch (auth) {
	case AUTH_HMAC_MD5: return "HMAC-MD5";
	case AUTH_HMAC_SHA: return "HMAC-SHA";
	case AUTH_HMAC_SHA2_256: return "HMAC-SHA256";
	case AUTH_HMAC_SHA2_384: return "HMAC-SHA384";
	case AUTH_HMAC_SHA2_512: return "HMAC-SHA512";
	default: return "none";
	}
}

bool p2_ts_within(const struct p2_ts *ts, const struct p2_ts *outer)
{
	return ts->family == outer->family && ts->plen >= outer->plen &&
	       addr_prefix_match(ts->addr, outer->addr, outer->plen) &&
	       (!outer->proto || ts->proto == outer->proto) &&
	       (!outer->port || ts->port == outer->port);
}

bool p2_ts_equal(const struct p2_ts *a, const struct p2_ts *b)
{
	return p2_ts_within(a, b) && p2_ts_within(b, a);
}

char *p2_ts_str(const struct p2_ts *ts, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(ts->family, ts->addr, a, sizeof(a));
	if (ts->family == AF_INET) {
		uint32_t m = ts->plen ? htonl(0xffffffffu << (32 - ts->plen)) : 0;
		char mb[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &m, mb, sizeof(mb));
		snprintf(buf, len, "%s/%s/%u/%u", a, mb, ts->proto, ts->port);
	} else {
		snprintf(buf, len, "%s/%u/%u/%u", a, ts->plen, ts->proto, ts->port);
	}
	return buf;
}

static void prefix_mask(int family, int plen, uint8_t *mask)
{
	int len = family == AF_INET6 ? 16 : 4;

	for (int i = 0; i < len; i++, plen -= 8)
		mask[i] = plen >= 8 ? 0xff : plen > 0 ? (uint8_t)(0xff << (8 - plen)) : 0;
}

void p2_id_put(struct ike_buf *b, const struct p2_ts *ts)
{
	size_t off = ike_pl_open(b, ISAKMP_NP_ID), len = ts->family == AF_INET6 ? 16 : 4;
	bool host = ts->plen == len * 8;
	uint8_t mask[16];

	if (ts->family == AF_INET6)
		ike_put8(b, host ? ID_IPV6_ADDR : ID_IPV6_ADDR_SUBNET);
	else
		ike_put8(b, host ? ID_IPV4_ADDR : ID_IPV4_ADDR_SUBNET);
	ike_put8(b, ts->proto);
	ike_put16(b, ts->port);
	ike_put(b, ts->addr, len);
	if (!host) {
		prefix_mask(ts->family, ts->plen, mask);
		ike_put(b, mask, len);
	}
	ike_pl_close(b, off);
}

/* A contiguous mask's prefix length, or -1. */
static int mask_plen(const uint8_t *m, size_t len)
{
	int plen = 0;
	size_t i;

	for (i = 0; i < len && m[i] == 0xff; i++)
		plen += 8;
	if (i < len) {
		uint8_t b = m[i++];

		for (; b & 0x80; b = (uint8_t)(b << 1))
			plen++;
		if (b)
			return -1;
	}
	for (; i < len; i++)
		if (m[i])
			return -1;
	return plen;
}

int p2_id_parse(const uint8_t *body, size_t n, struct p2_ts *ts)
{
	uint8_t mask[16];
	size_t len;
	int plen;

	if (n < 4)
		return -1;
	memset(ts, 0, sizeof(*ts));
	ts->proto = body[1];
	ts->port = (uint16_t)(body[2] << 8 | body[3]);
	switch (body[0]) {
	case ID_IPV4_ADDR:
	case ID_IPV4_ADDR_SUBNET:
		ts->family = AF_INET;
		len = 4;
		break;
	case ID_IPV6_ADDR:
	case ID_IPV6_ADDR_SUBNET:
		ts->family = AF_INET6;
		len = 16;
		break;
	default:
		return -1;	/* FQDN, ranges...: not proxies we take */
	}
	if (body[0] == ID_IPV4_ADDR || body[0] == ID_IPV6_ADDR) {
		if (n != 4 + len)
			return -1;
		plen = (int)len * 8;
	} else {
		if (n != 4 + 2 * len)
			return -1;
		plen = mask_plen(body + 4 + len, len);
		if (plen < 0)
			return -1;
	}
	ts->plen = (uint8_t)plen;
	prefix_mask(ts->family, plen, mask);
	for (size_t i = 0; i < len; i++)	/* the host bits of a subnet are not ours */
		ts->addr[i] = body[4 + i] & mask[i];
	return 0;
}
