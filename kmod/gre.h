/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRE header codec (RFC 2784, RFC 2890 key and sequence number), and the
 * inner IPv4 header around it in tunnel-mode ESP.
 */
#ifndef _MGRE_GRE_H
#define _MGRE_GRE_H

#include <linux/types.h>

#define MGRE_GRE_CSUM	0x8000
#define MGRE_GRE_ROUTING 0x4000
#define MGRE_GRE_KEY	0x2000
#define MGRE_GRE_SEQ	0x1000
#define MGRE_GRE_VERSION 0x0007
/* bits 1..12 after C must be zero (RFC 2784) except K and S (RFC 2890) */
#define MGRE_GRE_RESERVED 0x4ff8

/* Length of the header mgre_gre_build() writes. */
static inline unsigned int mgre_gre_hlen(bool has_key)
{
	return has_key ? 8 : 4;
}

void mgre_gre_build(void *hdr, __be16 proto, bool has_key, u32 key);

int mgre_gre_parse(const void *pkt, unsigned int len, bool has_key, u32 key,
		   __be16 *proto);

/* The longest IPv4 header (ihl 15). */
#define MGRE_INNER_IP_MAX	60

int mgre_inner_ip_check(const void *hdr, unsigned int hlen, unsigned int len,
			unsigned int *tot_len);

#endif /* _MGRE_GRE_H */
