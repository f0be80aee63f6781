// SPDX-License-Identifier: GPL-2.0
/* GRE header codec (RFC 2784, RFC 2890), the inner IPv4 header of tunnel mode. */

#include <linux/errno.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/kernel.h>
#include "compat.h"
#include <net/checksum.h>
#include <net/ip.h>
#include "gre.h"

/**
 * mgre_gre_build() - Write a GRE header (no checksum, no sequence number).
 * @hdr: where to write mgre_gre_hlen(@has_key) bytes.
 * @proto: the payload's ethertype.
 * @has_key: whether to include the key (RFC 2890).
 * @key: the key.
 */
void mgre_gre_build(void *hdr, __be16 proto, bool has_key, u32 key)
{
	u8 *p = hdr;

	put_unaligned_be16(has_key ? MGRE_GRE_KEY : 0, p);
	put_unaligned(proto, (__be16 *)(p + 2));
	if (has_key)
		put_unaligned_be32(key, p + 4);
}

/**
 * mgre_gre_parse() - Parse the GRE header at the start of a packet.
 * @pkt: the header and payload (so that a checksum can be verified).
 * @len: length of @pkt.
 * @has_key: whether the key must be present (it must be absent otherwise).
 * @key: the key it must equal.
 * @proto: where to store the payload's ethertype.
 *
 * Return: the header's length, or -EINVAL (truncated), -EPROTO (version,
 * routing or reserved bits), -EBADMSG (checksum), -ENOKEY (key absent,
 * unexpected or different).
 */
int mgre_gre_parse(const void *pkt, unsigned int len, bool has_key, u32 key,
		   __be16 *proto)
{
	const u8 *p = pkt;
	unsigned int hlen = 4, koff;
	u16 flags;

	if (len < 4)
		return -EINVAL;
	flags = get_unaligned_be16(p);
	if (flags & (MGRE_GRE_VERSION | MGRE_GRE_RESERVED))
		return -EPROTO;
	if (flags & MGRE_GRE_CSUM)
		hlen += 4;
	koff = hlen;
	if (flags & MGRE_GRE_KEY)
		hlen += 4;
	if (flags & MGRE_GRE_SEQ)
		hlen += 4;
	if (len < hlen)
		return -EINVAL;
	if ((flags & MGRE_GRE_CSUM) && ip_compute_csum(p, len))
		return -EBADMSG;
	if (!!(flags & MGRE_GRE_KEY) != has_key)
		return -ENOKEY;
	if (has_key && get_unaligned_be32(p + koff) != key)
		return -ENOKEY;
	*proto = get_unaligned((const __be16 *)(p + 2));
	return hlen;
}

/**
 * mgre_inner_ip_check() - check the inner IPv4 header of a tunnel-mode SA
 * @hdr: the decrypted ESP payload's first bytes
 * @hlen: how many bytes at @hdr are readable (the whole header must be)
 * @len: the payload's length
 * @tot_len: set to the inner packet's length (the payload may be longer)
 *
 * The payload must be an IPv4 packet whose header is well formed (version,
 * length, checksum) and which carries an unfragmented GRE packet.
 *
 * Return: the header's length, -EINVAL for a bad header, length or
 * checksum, or -EPROTO when it carries no GRE or is a fragment.
 */
int mgre_inner_ip_check(const void *hdr, unsigned int hlen, unsigned int len,
			unsigned int *tot_len)
{
	const struct iphdr *iph = hdr;
	unsigned int ihl;

	if (hlen < sizeof(*iph) || len < sizeof(*iph))
		return -EINVAL;
	ihl = iph->ihl << 2;
	if (iph->version != 4 || ihl < sizeof(*iph) || ihl > hlen)
		return -EINVAL;
	*tot_len = ntohs(iph->tot_len);
	if (*tot_len < ihl || *tot_len > len || ip_fast_csum(iph, iph->ihl))
		return -EINVAL;
	if (iph->protocol != IPPROTO_GRE || ip_is_fragment(iph))
		return -EPROTO;
	return ihl;
}
