/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ISAKMP message codec: pure functions over byte buffers, no state, no
 * sockets.  Parsing yields views into the caller's buffer; building
 * writes into a fixed buffer and records the first error.
 */
#ifndef DMVPN_IKE_MSG_H
#define DMVPN_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ike/isakmp.h"

#define IKE_MAX_PAYLOADS 32

struct ike_hdr {
	uint8_t icookie[ISAKMP_COOKIE_LEN];
	uint8_t rcookie[ISAKMP_COOKIE_LEN];
	uint8_t np;		/* first payload */
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;		/* host order */
	uint32_t len;
};

/* One payload: its type and body (after the 4-byte generic header). */
struct ike_pl {
	uint8_t type;
	const uint8_t *body;
	size_t len;
	const uint8_t *raw;	/* the generic header; raw_len covers it too */
	size_t raw_len;
};

/* A Notification payload's body (RFC 2408 3.14), within the payload. */
struct ike_notify {
	uint8_t proto;
	uint16_t type;
	const uint8_t *spi;
	size_t spi_len;
	const uint8_t *data;	/* notification data, after the SPI */
	size_t data_len;
};

struct ike_msg {
	struct ike_hdr hdr;
	struct ike_pl pl[IKE_MAX_PAYLOADS];
	int npl;
};

/*
 * Parse the fixed header of a datagram of n bytes.  Returns 0, or the
 * notify type that explains the refusal (N_INVALID_MAJOR_VERSION, ...);
 * -1 if it is too short to be ISAKMP at all.
 */
int ike_hdr_parse(const uint8_t *b, size_t n, struct ike_hdr *h);

/*
 * Walk the payload chain starting with type np over b[0..n): every length
 * is checked; bytes after the last payload (padding of an encrypted
 * message) are allowed.  Returns 0 or a notify type (N_PAYLOAD_MALFORMED,
 * N_INVALID_PAYLOAD_TYPE for an unknown critical... type).
 */
int ike_payloads_parse(uint8_t np, const uint8_t *b, size_t n, struct ike_msg *m);

/* The nth (0-based) payload of a type, or NULL. */
const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type, int nth);

/* Data attributes (RFC 2408 3.3): TV when the AF bit is set, else TLV. */
struct ike_attr {
	uint16_t type;
	const uint8_t *val;
	size_t len;
	uint64_t num;		/* the value as a number, if len <= 8 */
	bool num_ok;
};

/* The next attribute from *p (n bytes left): 1 got one, 0 end, -1 malformed. */
int ike_attr_next(const uint8_t **p, size_t *n, struct ike_attr *a);

/* A byte string of up to 8 bytes as a number. */
uint64_t ike_be(const uint8_t *p, size_t n);

/* The builder. */
struct ike_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t np_off;		/* where the next-payload byte of the last payload is */
	bool err;
};

void ike_buf_init(struct ike_buf *b, uint8_t *storage, size_t cap);
void ike_put(struct ike_buf *b, const void *data, size_t n);
void ike_put8(struct ike_buf *b, uint8_t v);
void ike_put16(struct ike_buf *b, uint16_t v);
void ike_put32(struct ike_buf *b, uint32_t v);
void ike_put_zero(struct ike_buf *b, size_t n);
/* Header with np 0 and length 0, fixed up by later calls. */
void ike_put_hdr(struct ike_buf *b, const struct ike_hdr *h);
/* Open a payload of a type: chains it into the previous next-payload. */
size_t ike_pl_open(struct ike_buf *b, uint8_t type);
void ike_pl_close(struct ike_buf *b, size_t off);
/* One whole payload from bytes. */
void ike_put_pl(struct ike_buf *b, uint8_t type, const void *body, size_t n);
/* An attribute: TV if it fits 16 bits, else TLV of the fewest whole
 * 32-bit words (IOS: 86400 is "0x0 0x1 0x51 0x80"). */
void ike_put_attr(struct ike_buf *b, uint16_t type, uint64_t v);
/* Set the header's length field to the bytes written. */
void ike_hdr_finish(struct ike_buf *b);
/* Overwrite 16/32-bit big-endian values at an offset. */
void ike_set16(struct ike_buf *b, size_t off, uint16_t v);
void ike_set32(struct ike_buf *b, size_t off, uint32_t v);

const char *ike_np_name(uint8_t np);
const char *ike_notify_name(uint16_t type);
/* pl, if a Notification whose SPI fits in it, into n: 0, else -1. */
int ike_notify_parse(const struct ike_pl *pl, struct ike_notify *n);

#endif /* DMVPN_IKE_MSG_H */
