/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SA payloads (RFC 2408 3.4-3.6, RFC 2409 appendix A, RFC 2407 4.5):
 * phase-1 and phase-2 offers, parsed into plain structs and built from
 * them, and the matching of an offer against local policy.  Pure.
 */
#ifndef DMVPN_IKE_PROPOSAL_H
#define DMVPN_IKE_PROPOSAL_H

#include "ike/msg.h"

/*
 * The transforms of an offer considered, at most: a transform number is one
 * octet (RFC 2408 3.6), so a proposal holds no more than 255 of them.  Beyond
 * that (only a hostile peer sends it) the rest are ignored.
 */
#define IKE_MAX_XFORMS 256

/* One phase-1 transform: what "crypto isakmp policy N" says. */
struct p1_attrs {
	uint16_t enc;		/* OAKLEY_DES_CBC ... */
	uint16_t keylen;	/* bits, 0 = fixed by the cipher */
	uint16_t hash;		/* OAKLEY_MD5 ... */
	uint16_t auth;		/* OAKLEY_PRESHARED_KEY */
	uint16_t group;
	uint32_t life_sec;	/* 0 = not given */
	uint32_t life_kb;
};

struct p1_offer {
	int n;
	uint8_t num[IKE_MAX_XFORMS];	/* transform numbers */
	struct p1_attrs x[IKE_MAX_XFORMS];
};

/* One phase-2 (ESP) transform: a transform set plus the profile's lifetimes. */
struct p2_attrs {
	uint8_t esp_id;		/* ESP_DES, ESP_3DES, ESP_AES, ESP_AES_GCM_16 */
	uint16_t keylen;	/* bits, 0 = fixed */
	uint16_t auth;		/* AUTH_HMAC_*, 0 with GCM */
	uint16_t encap;		/* ENCAP_TUNNEL, ENCAP_TRANSPORT, UDP variants */
	uint16_t group;		/* PFS group, 0 = none */
	uint32_t life_sec;
	uint32_t life_kb;
};

/*
 * A Quick Mode proxy identity (one side of what an SA pair protects): an
 * address prefix, an IP protocol and a port, 0 meaning any (RFC 2407 4.6.2).
 */
struct p2_ts {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t plen;		/* 32 or 128 for one host */
	uint8_t proto;
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order, the prefix's host bits zero */
};

struct p2_offer {
	int n;			/* every ESP transform of every proposal */
	uint8_t prop_num[IKE_MAX_XFORMS];
	uint8_t xf_num[IKE_MAX_XFORMS];
	uint32_t spi[IKE_MAX_XFORMS];	/* the proposal's SPI, host order */
	struct p2_attrs x[IKE_MAX_XFORMS];
};

/* Parse an SA payload body; 0 or a notify type (N_BAD_PROPOSAL_SYNTAX, ...). */
int p1_sa_parse(const uint8_t *body, size_t len, struct p1_offer *o);
int p2_sa_parse(const uint8_t *body, size_t len, struct p2_offer *o);

/*
 * Build an SA payload.  Phase 1: one ISAKMP proposal with n transforms
 * numbered 1..n (a responder sends the chosen one with its number).
 * Phase 2: one proposal per transform (IOS does so for several transform
 * sets), every one with the same SPI.
 */
void p1_sa_build(struct ike_buf *b, const struct p1_attrs *x, const uint8_t *nums, int n);
void p2_sa_build(struct ike_buf *b, const struct p2_attrs *x, const uint8_t *props, int n,
		 uint32_t spi);

/*
 * The first local policy (in order) that an offered transform matches;
 * returns the offer index, and the policy index in *which; -1 if none.
 * Phase 1 lifetimes: the offer's is accepted if not longer than ours (IOS).
 */
int p1_match(const struct p1_offer *o, const struct p1_attrs *pol, int npol, int *which);
/* Phase 2: first offered transform that one of ours matches (lifetimes aside). */
int p2_match(const struct p2_offer *o, const struct p2_attrs *ours, int nours, int *which);

/* Tunnel mode, plain or UDP-encapsulated (RFC 3947 and the drafts); else transport. */
bool p2_tunnel_mode(const struct p2_attrs *a);

/* Key bytes an ESP transform needs (cipher + salt, and integrity). */
size_t p2_enc_key_len(const struct p2_attrs *a);
size_t p2_auth_key_len(const struct p2_attrs *a);

/*
 * A proxy identity's ID payload body (RFC 2407 4.6.2): ID_IPV4_ADDR or
 * ID_IPV6_ADDR for one host, else the _SUBNET forms.  Parsing takes those
 * four with a contiguous mask; 0, or -1 for anything else.
 */
void p2_id_put(struct ike_buf *b, const struct p2_ts *ts);
int p2_id_parse(const uint8_t *body, size_t len, struct p2_ts *ts);
/* Whether ts lies within outer (prefix, protocol, port). */
bool p2_ts_within(const struct p2_ts *ts, const struct p2_ts *outer);
bool p2_ts_equal(const struct p2_ts *a, const struct p2_ts *b);
/* "10.1.1.0/255.255.255.0/0/0" (IPv4) or "::/0/0/0", as IOS logs proxies. */
char *p2_ts_str(const struct p2_ts *ts, char *buf, size_t len);

/* Names as IOS debug output prints them. */
const char *p1_enc_name(uint16_t enc);
const char *p1_hash_name(uint16_t hash);
const char *p2_esp_name(uint8_t id);
const char *p2_auth_name(uint16_t auth);

#endif /* DMVPN_IKE_PROPOSAL_H */
