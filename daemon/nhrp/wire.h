/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NHRP on the wire (RFC 2332, with what Cisco IOS sends): the fixed
 * header, the mandatory part, Client Information Entries and the
 * extensions, as pure functions.  nhrp_parse() validates every field of a
 * received packet into a struct nhrp_msg that points into the packet (no
 * allocation); nhrp_build() writes one from a struct nhrp_msg, checksum
 * included, the extensions in the order Cisco sends them (3, 4, 5, 7, 9,
 * 8, end).  Nothing here keeps state, opens a socket or reads the clock.
 */
#ifndef DMVPN_NHRP_WIRE_H
#define DMVPN_NHRP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NHRP_VERSION 1
#define NHRP_HDR_LEN 20		/* fixed header */
#define NHRP_MAND_LEN 8		/* mandatory part before its addresses */
#define NHRP_CIE_LEN 12		/* a CIE before its addresses */
#define NHRP_EXT_HDR_LEN 4
#define NHRP_HOPS 255		/* what Cisco sends; 0 is dropped */
#define NHRP_AFN_IPV4 1
#define NHRP_AFN_IPV6 2
#define NHRP_PROTO_IPV4 0x0800
#define NHRP_PROTO_IPV6 0x86dd
#define NHRP_AUTH_SPI_CLEARTEXT 1
#define NHRP_AUTH_MAX 8		/* ip nhrp authentication: at most 8 characters */
#define NHRP_PKT_MAX 1500	/* what we build; what we accept is the datagram */

enum nhrp_type {
	NHRP_RES_REQ = 1,
	NHRP_RES_REP = 2,
	NHRP_REG_REQ = 3,
	NHRP_REG_REP = 4,
	NHRP_PURGE_REQ = 5,
	NHRP_PURGE_REP = 6,
	NHRP_ERROR = 7,
	NHRP_TRAFFIC = 8,	/* Cisco's Traffic Indication (phase 3 redirect) */
};

/* Mandatory part flags, by packet type. */
#define NHRP_FLAG_RES_Q		0x8000	/* resolution: requester is a router */
#define NHRP_FLAG_RES_A		0x4000	/* authoritative */
#define NHRP_FLAG_RES_D		0x2000	/* destination is stable */
#define NHRP_FLAG_RES_U		0x1000	/* uniqueness */
#define NHRP_FLAG_RES_S		0x0800	/* source is stable */
#define NHRP_FLAG_REG_U		0x8000	/* registration: unique */
#define NHRP_FLAG_PURGE_N	0x8000	/* purge: no reply wanted */
#define NHRP_FLAG_NAT		0x0002	/* Cisco: NAT capable (resolution, registration) */

/* CIE codes (RFC 2332 5.2.0.1 and the per-type sections). */
enum nhrp_code {
	NHRP_CODE_SUCCESS = 0,
	NHRP_CODE_PROHIBITED = 4,	/* administratively prohibited */
	NHRP_CODE_NO_RESOURCES = 5,	/* insufficient resources */
	NHRP_CODE_NO_BINDING = 12,	/* resolution: no binding exists */
	NHRP_CODE_NOT_UNIQUE = 13,	/* resolution: binding exists but is not unique */
	NHRP_CODE_ALREADY = 14,		/* registration: unique address already registered */
};

/* Error Indication codes (RFC 2332 5.2.7). */
enum nhrp_error {
	NHRP_ERR_UNRECOGNIZED_EXT = 1,
	NHRP_ERR_LOOP = 3,
	NHRP_ERR_PROTO_UNREACHABLE = 6,
	NHRP_ERR_PROTO = 7,		/* protocol error */
	NHRP_ERR_SDU_SIZE = 8,
	NHRP_ERR_INVALID_EXT = 9,
	NHRP_ERR_INVALID_REPLY = 10,
	NHRP_ERR_AUTH = 11,		/* authentication failure */
	NHRP_ERR_HOPS = 15,		/* hop count exceeded */
};

enum nhrp_ext_type {
	NHRP_EXT_END = 0,
	NHRP_EXT_RESPONDER = 3,
	NHRP_EXT_FWD_TRANSIT = 4,
	NHRP_EXT_REV_TRANSIT = 5,
	NHRP_EXT_AUTH = 7,
	NHRP_EXT_VENDOR = 8,
	NHRP_EXT_NAT = 9,	/* Cisco NAT address (not IANA's) */
};
#define NHRP_EXT_COMPULSORY 0x8000

/*
 * Why a received packet was dropped: each has a counter and a name
 * (nhrp_drop_name) for logs and "show ip nhrp traffic".
 */
enum nhrp_drop {
	NHRP_OK = 0,
	NHRP_DROP_SHORT,	/* shorter than its headers, or than pktsz */
	NHRP_DROP_VERSION,
	NHRP_DROP_CHECKSUM,
	NHRP_DROP_AFN,		/* afn not IPv4/IPv6, or NBMA length not its size */
	NHRP_DROP_PROTO,	/* protocol type not IPv4/IPv6, or address length wrong */
	NHRP_DROP_HOPS,		/* hop count 0 */
	NHRP_DROP_TYPE,		/* unknown packet type */
	NHRP_DROP_LENGTH,	/* pktsz, extoff or an address length past the packet */
	NHRP_DROP_CIE,		/* a CIE's lengths wrong for the packet */
	NHRP_DROP_EXT,		/* an extension's length wrong, no end marker, a duplicate */
	NHRP_DROP_EXT_UNKNOWN,	/* an unknown compulsory extension (answer: Error Indication) */
	NHRP_DROP_TOO_MANY,	/* more CIEs in one list than NHRP_CIES_MAX */
	NHRP_DROP_AUTH,		/* authentication missing or wrong (the engine's check) */
	NHRP_DROP_NETID,	/* no interface with that network id (the engine's) */
	NHRP_DROP_STATE,	/* a reply to no request of ours, a request we do not serve */
	NHRP_DROP_RATE,		/* over the per-source rate limit */
	NHRP_DROP_MAX,
};

const char *nhrp_drop_name(enum nhrp_drop d);
const char *nhrp_type_name(uint8_t type);	/* "Registration Request", ... */

/* An address as NHRP carries it: 0 (absent), 4 or 16 bytes. */
struct nhrp_addr {
	uint8_t len;
	uint8_t a[16];
};

/* A Client Information Entry. */
struct nhrp_cie {
	uint8_t code;		/* enum nhrp_code */
	uint8_t prefix;		/* prefix length of proto (Cisco 32 or 128, RFC 0xff) */
	uint16_t mtu;
	uint16_t holdtime;	/* seconds */
	uint8_t pref;
	struct nhrp_addr nbma;	/* client NBMA address */
	struct nhrp_addr proto;	/* client protocol address */
};

/*
 * The most CIEs one list of one packet may hold (the mandatory part's, or
 * one extension's): a transit record grows by one per NHS on the way, and
 * sixteen is more NHSs than any DMVPN chains.  Past it the packet is
 * dropped (NHRP_DROP_TOO_MANY), so parsing never needs memory of its own.
 */
#define NHRP_CIES_MAX 16

struct nhrp_cies {
	int n;
	struct nhrp_cie e[NHRP_CIES_MAX];
};

/*
 * A packet, parsed or to be built.  The address family of the overlay
 * (pro_type) and of the NBMA (afn) fix the lengths of every address in it:
 * src_nbma and each CIE's nbma are afn's size (or 0 in a CIE), src_proto,
 * dst_proto and each CIE's proto pro_type's (or 0 in a CIE).
 */
struct nhrp_msg {
	/* fixed header */
	uint16_t afn;		/* NHRP_AFN_IPV4 / _IPV6 */
	uint16_t pro_type;	/* NHRP_PROTO_IPV4 / _IPV6 */
	uint8_t hops;
	uint8_t type;		/* enum nhrp_type */
	/* mandatory part */
	uint16_t flags;
	uint32_t reqid;
	struct nhrp_addr src_nbma, src_proto, dst_proto;
	struct nhrp_cies cie;	/* not in Error and Traffic Indications */
	/* Error Indication: code, offset, and the offending packet (a copy's view) */
	uint16_t err_code, err_offset;
	/* Error: the packet in error; Traffic Indication: the packet forwarded */
	const uint8_t *data;
	size_t data_len;
	/* Traffic Indication: the traffic code (0 = NHRP traffic redirect) */
	uint16_t traffic_code;

	/* extensions: each once at most; has_* says it is (to be) present */
	bool has_responder, has_fwd, has_rev, has_auth, has_nat, has_vendor;
	struct nhrp_cies responder;	/* 0 or 1 CIE */
	struct nhrp_cies fwd, rev;	/* transit NHS records */
	struct nhrp_cies nat;		/* Cisco NAT address */
	uint32_t auth_spi;		/* NHRP_AUTH_SPI_CLEARTEXT */
	uint8_t auth_len;
	uint8_t auth[NHRP_AUTH_MAX];	/* the password, unpadded, no source address */
	const uint8_t *vendor;		/* vendor-private payload (a view), passed on */
	size_t vendor_len;
	bool compulsory[10];		/* the compulsory bit each known extension came with */

	/* parse only: where a refused unknown compulsory extension starts */
	uint16_t bad_ext_offset;
	/* parse only: offset of the first extension (0: none) and the packet's length */
	uint16_t extoff, pktsz;
};

/*
 * A message to build: zeroed, hop count NHRP_HOPS, IPv4 over IPv4, type,
 * and the compulsory bits IOS sends (responder, transit records and
 * authentication; not NAT nor vendor).
 */
void nhrp_msg_init(struct nhrp_msg *m, uint8_t type);

/*
 * Parse and validate a received packet: NHRP_OK and m filled in, or why it
 * is dropped (m then undefined, except bad_ext_offset for
 * NHRP_DROP_EXT_UNKNOWN, which the caller answers with an Error
 * Indication NHRP_ERR_UNRECOGNIZED_EXT).  m's views point into p.
 * Checks: lengths and offsets against n and pktsz, the checksum, version,
 * afn and protocol type against every address length, hop count not 0,
 * known type, CIE lengths, each extension once, the end marker.  A
 * password longer than NHRP_AUTH_MAX is kept as not matching any.
 */
enum nhrp_drop nhrp_parse(const uint8_t *p, size_t n, struct nhrp_msg *m);

/*
 * Write m into buf (cap bytes): the length, or 0 if it does not fit or m
 * is inconsistent (address lengths against afn/pro_type).  pktsz, extoff
 * and the checksum are computed; the extensions present are written in
 * Cisco's order (3, 4, 5, 7, 9, 8) with the end marker, the compulsory
 * bit set on the end marker and as m->compulsory says on the others.
 */
size_t nhrp_build(const struct nhrp_msg *m, uint8_t *buf, size_t cap);

/* RFC 1071 checksum of n bytes (what nhrp_build puts at offset 12, ar$chksum). */
uint16_t nhrp_checksum(const uint8_t *p, size_t n);

/*
 * An Error Indication answering packet p (n bytes) that came with header
 * fields m (afn, pro_type, src_nbma, src_proto, dst_proto as parsed; the
 * indication goes back to the source): code, the offset in p of the
 * field in error; the offending packet is carried up to what fits in cap.
 * Our addresses are the indication's source.  Length written, or 0.
 */
size_t nhrp_build_error(const struct nhrp_msg *m, const struct nhrp_addr *our_nbma,
			const struct nhrp_addr *our_proto, uint16_t code, uint16_t offset,
			const uint8_t *p, size_t n, uint8_t *buf, size_t cap);

/* Address helpers: set from 4 or 16 bytes, compare, print ("10.1.1.1", "2001:db8::1"). */
void nhrp_addr_set(struct nhrp_addr *a, const void *bytes, uint8_t len);
bool nhrp_addr_eq(const struct nhrp_addr *a, const struct nhrp_addr *b);
const char *nhrp_addr_str(const struct nhrp_addr *a, char *buf, size_t len);

#endif /* DMVPN_NHRP_WIRE_H */
