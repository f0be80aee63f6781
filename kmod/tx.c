// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: overlay packet -> GRE (-> inner IPv4, tunnel mode) -> ESP
 * (-> UDP) -> IPv4 to the peer's NBMA address.  Runs under RCU without
 * locks; only asynchronous crypto drivers make the second half
 * (mgre_tx_finish) run later.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mgre.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/route.h>
#include "compat.h"
#include "device.h"
#include "gre.h"
#include "netlink.h"
#include "peer.h"
#include "sa.h"
#include "skb_cb.h"

static int mgre_header_create(struct sk_buff *skb, struct net_device *dev,
			      unsigned short type, const void *daddr,
			      const void *saddr, unsigned int len)
{
	struct mgre_dev *mdev = netdev_priv(dev);
	int hlen = sizeof(struct iphdr) + mgre_gre_hlen(mdev->p.has_key);
	struct iphdr *iph;

	if (skb_cow_head(skb, hlen))
		return -hlen;
	iph = skb_push(skb, hlen);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_GRE;
	iph->saddr = mdev->p.local;
	if (saddr)
		memcpy(&iph->saddr, saddr, 4);
	if (daddr)
		memcpy(&iph->daddr, daddr, 4);
	/*
	 * ndisc maps an IPv6 multicast group to no NBMA address on a
	 * multipoint device (ipv6_ipgre_mc_map() wants a broadcast address
	 * or a v4-mapped group): such a packet goes to the multicast list,
	 * as an IPv4 group does (arp_mc_map() gives it the group address).
	 */
	if (!iph->daddr && type == ETH_P_IPV6 &&
	    skb_network_header(skb) + sizeof(struct ipv6hdr) <= skb_tail_pointer(skb) &&
	    ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
		iph->daddr = htonl(INADDR_BROADCAST);
	mgre_gre_build(iph + 1, htons(type), mdev->p.has_key, mdev->p.key);
	return iph->daddr ? hlen : -hlen;
}

#ifdef MGRE_HEADER_PARSE_DEV
static int mgre_header_parse(const struct sk_buff *skb,
			     const struct net_device *dev, unsigned char *haddr)
#else
static int mgre_header_parse(const struct sk_buff *skb, unsigned char *haddr)
#endif
{
	const struct iphdr *iph = (const struct iphdr *)skb_mac_header(skb);

	memcpy(haddr, &iph->saddr, 4);
	return 4;
}

const struct header_ops mgre_header_ops = {
	.create	= mgre_header_create,
	.parse	= mgre_header_parse,
};

static void mgre_tx_drop(struct net_device *dev, struct sk_buff *skb)
{
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
}

/* Send ICMP "too big" for an inner packet that does not fit; true if sent. */
static bool mgre_too_big(struct sk_buff *skb, unsigned int mtu)
{
	if (skb_is_gso(skb))
		return false;
	/* a local sender learns the new MTU at once, like ip_tunnel does */
	skb_dst_update_pmtu_no_confirm(skb, mtu);
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return false;
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return true;
	}
	if (skb->protocol == htons(ETH_P_IPV6) && mtu >= IPV6_MIN_MTU) {
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return true;
	}
	return false;
}

static struct rtable *mgre_route(struct mgre_dev *mdev, struct mgre_peer *peer,
				 __be32 *saddr)
{
	struct rtable *rt;
	struct flowi4 fl4;

	rt = dst_cache_get_ip4(&peer->dst_cache, saddr);
	if (rt)
		return rt;
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = peer->nbma;
	fl4.saddr = mdev->p.local;
	fl4.flowi4_oif = mdev->p.link;
	fl4.flowi4_proto = peer->encap == MGRE_ENCAP_ESPINUDP ? IPPROTO_UDP :
							      IPPROTO_ESP;
	rt = ip_route_output_key(dev_net(mdev->dev), &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == mdev->dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	dst_cache_set_ip4(&peer->dst_cache, &rt->dst, fl4.saddr);
	return rt;
}

/* The inner IPv4 header of a tunnel-mode SA: bytes inside the ESP payload. */
static unsigned int mgre_mode_hlen(const struct mgre_sa *sa)
{
	return sa->mode == MGRE_MODE_TUNNEL ? sizeof(struct iphdr) : 0;
}

static unsigned int mgre_overhead(const struct mgre_peer *peer,
				  const struct mgre_sa *sa)
{
	return sizeof(struct iphdr) +
	       (peer->encap == MGRE_ENCAP_ESPINUDP ? sizeof(struct udphdr) : 0) +
	       mgre_esp_overhead(&sa->esp) + mgre_mode_hlen(sa) +
	       mgre_gre_hlen(peer->mdev->p.has_key);
}

/* The largest overlay packet that fits a path MTU, padding included. */
static unsigned int mgre_inner_mtu(const struct mgre_peer *peer,
				   const struct mgre_sa *sa, unsigned int pmtu)
{
	int room = pmtu - sizeof(struct iphdr) -
		   (peer->encap == MGRE_ENCAP_ESPINUDP ? sizeof(struct udphdr) : 0) -
		   mgre_esp_head_len(&sa->esp) - sa->esp.icvlen;

	room = rounddown(room, sa->esp.blksize) - 2 - mgre_mode_hlen(sa) -
	       mgre_gre_hlen(peer->mdev->p.has_key);
	return room > 0 ? room : 0;
}

static void mgre_tx_finish(struct sk_buff *skb, int err)
{
	struct mgre_skb_cb *cb = MGRE_SKB_CB(skb);
	struct mgre_sa *sa = cb->esp.ctx;
	struct mgre_peer *peer = sa->peer;
	struct net_device *dev = peer->mdev->dev;
	struct rtable *rt;
	u8 proto = IPPROTO_ESP;

	if (unlikely(err)) {
		mgre_count(peer, sa->stats, MGRE_STATS_A_TX_ERR, 1);
		DEV_STATS_INC(dev, tx_errors);
		kfree_skb(skb);
		goto out;
	}
	mgre_count(peer, sa->stats, MGRE_STATS_A_TX_PACKETS, 1);
	mgre_count(peer, sa->stats, MGRE_STATS_A_TX_BYTES, skb->len);

	if (peer->encap == MGRE_ENCAP_ESPINUDP) {
		struct udphdr *uh = skb_push(skb, sizeof(*uh));

		uh->source = peer->sport;
		uh->dest = peer->dport;
		uh->len = htons(skb->len);
		uh->check = 0;	/* RFC 3948 2.1 */
		skb_reset_transport_header(skb);
		proto = IPPROTO_UDP;
	}
	rt = skb_rtable(skb);
	dst_hold(&rt->dst);
	iptunnel_xmit(NULL, rt, skb, cb->saddr, peer->nbma, proto, cb->tos,
		      cb->ttl, cb->df, false);
out:
	mgre_sa_put(sa);
}

/* The peer's outbound SA; without one, ask the keying daemon (ACQUIRE). */
static struct mgre_sa *mgre_tx_sa(struct mgre_dev *mdev, struct sk_buff *skb,
				  __be32 nbma, struct mgre_peer **peerp)
{
	struct mgre_peer *peer = mgre_peer_lookup(mdev, nbma);
	struct mgre_sa *sa = peer ? rcu_dereference(peer->tx_sa) : NULL;

	*peerp = peer;
	if (likely(sa))
		return sa;
	if (peer)
		mgre_count(peer, NULL, MGRE_STATS_A_NO_SA, 1);
	if ((!peer || mgre_peer_event_allowed(peer)) &&
	    (peer || __ratelimit(&mdev->miss_rs)))
		mgre_nl_acquire(mdev, nbma, skb);
	return NULL;
}

/*
 * The outer header's DF, TOS and TTL, and the path MTU: an oversize packet
 * with DF gets ICMP frag-needed (false: drop it), one without DF is left to
 * the underlay to fragment.
 */
static bool mgre_tx_outer(struct mgre_dev *mdev, struct sk_buff *skb, struct mgre_peer *peer,
			  struct mgre_sa *sa, struct rtable *rt, struct mgre_skb_cb *out)
{
	unsigned int mtu;
	__be16 df;
	u8 tos, ttl;

	df = mdev->p.pmtudisc ? htons(IP_DF) : 0;
	mtu = mgre_inner_mtu(peer, sa, dst_mtu(&rt->dst));
	if (READ_ONCE(peer->pmtu) != mtu)
		WRITE_ONCE(peer->pmtu, mtu);
	if (df && (skb_is_gso(skb) ? !skb_gso_validate_network_len(skb, mtu) :
				     skb->len > mtu)) {
		if (mgre_too_big(skb, mtu))
			return false;
		df = 0;		/* let the underlay fragment it */
	}

	tos = mdev->p.tos;
	ttl = mdev->p.ttl;
	if (tos == 1)
		tos = skb->protocol == htons(ETH_P_IP) ? ip_hdr(skb)->tos :
		      skb->protocol == htons(ETH_P_IPV6) ? ipv6_get_dsfield(ipv6_hdr(skb)) : 0;
	if (!ttl)
		ttl = skb->protocol == htons(ETH_P_IP) ? ip_hdr(skb)->ttl :
		      skb->protocol == htons(ETH_P_IPV6) ? ipv6_hdr(skb)->hop_limit :
		      ip4_dst_hoplimit(&rt->dst);
	out->df = df;
	out->tos = tos;
	out->ttl = ttl;
	return true;
}

/* The SA's lifetime and the next sequence number; false: the SA is spent. */
static bool mgre_tx_seq(struct mgre_peer *peer, struct mgre_sa *sa, unsigned int len, u64 *seq)
{
	if (unlikely(!mgre_sa_account(sa, len))) {
		mgre_count(peer, sa->stats, MGRE_STATS_A_EXPIRED, 1);
		return false;
	}
	*seq = atomic64_inc_return(&sa->seq);
	if (unlikely(!sa->esp.esn && *seq > U32_MAX)) {
		/* RFC 4303 3.3.3: the counter must not cycle; rekey */
		mgre_sa_expire_hard(sa);
		mgre_count(peer, sa->stats, MGRE_STATS_A_EXPIRED, 1);
		return false;
	}
	return true;
}

/*
 * Tunnel mode: the inner IPv4 header around the GRE packet, between the
 * same addresses as the outer one (RFC 4303 3.1.2; what IOS sends for a
 * GRE tunnel protected in tunnel mode), with the outer header's DF, TOS
 * and TTL.
 */
static void mgre_tx_inner_ip(struct mgre_dev *mdev, struct sk_buff *skb,
			     const struct mgre_skb_cb *hdr, __be32 daddr)
{
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = hdr->tos;
	iph->tot_len = htons(skb->len);
	iph->frag_off = hdr->df;
	iph->ttl = hdr->ttl;
	iph->protocol = IPPROTO_GRE;
	iph->saddr = hdr->saddr;
	iph->daddr = daddr;
	__ip_select_ident(dev_net(mdev->dev), iph, 1);
	ip_send_check(iph);
}

/* GRE in front, then ESP around it (mgre_tx_finish sends it); the skb is consumed. */
static void mgre_tx_encap(struct mgre_dev *mdev, struct sk_buff *skb, struct mgre_peer *peer,
			  struct mgre_sa *sa, struct rtable *rt, const struct mgre_skb_cb *hdr,
			  u64 seq, __be16 proto)
{
	struct mgre_skb_cb *cb;
	u8 iv[16];
	int err;

	if ((skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) + mgre_overhead(peer, sa))) {
		ip_rt_put(rt);
		goto drop;
	}
	skb_reset_inner_headers(skb);
	mgre_gre_build(skb_push(skb, mgre_gre_hlen(mdev->p.has_key)), proto,
		       mdev->p.has_key, mdev->p.key);
	if (sa->mode == MGRE_MODE_TUNNEL)
		mgre_tx_inner_ip(mdev, skb, hdr, peer->nbma);

	if (sa->enc == MGRE_ENC_AES_GCM)
		put_unaligned_be64(seq, iv);	/* unique per key: RFC 4106 3.1 */
	else
		get_random_bytes(iv, sa->esp.ivlen);

	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	if (!mgre_sa_hold(sa))
		goto drop;
	cb = MGRE_SKB_CB(skb);
	cb->esp.ctx = sa;
	cb->saddr = hdr->saddr;
	cb->df = hdr->df;
	cb->tos = hdr->tos;
	cb->ttl = hdr->ttl;
	err = mgre_esp_encrypt(&sa->esp, skb, htonl(sa->spi), seq,
			       sa->mode == MGRE_MODE_TUNNEL ? IPPROTO_IPIP : IPPROTO_GRE,
			       iv, mgre_tx_finish);
	if (err != -EINPROGRESS)
		mgre_tx_finish(skb, err);
	return;
drop:
	mgre_tx_drop(mdev->dev, skb);
}

/* hub: a packet from one peer to another (NHRP traffic indication) */
static void mgre_tx_traffic(struct mgre_dev *mdev, struct sk_buff *skb,
			    struct mgre_peer *peer, __be32 nbma)
{
	if (skb->skb_iif == mdev->dev->ifindex && mgre_peer_event_allowed(peer))
		mgre_nl_traffic(mdev, nbma, skb);
}

static void mgre_xmit_one(struct mgre_dev *mdev, struct sk_buff *skb,
			  __be32 nbma, __be16 proto)
{
	struct net_device *dev = mdev->dev;
	struct mgre_skb_cb hdr;
	struct mgre_peer *peer;
	struct mgre_sa *sa;
	struct rtable *rt;
	u64 seq;

	sa = mgre_tx_sa(mdev, skb, nbma, &peer);
	if (unlikely(!sa))
		goto drop;
	mgre_tx_traffic(mdev, skb, peer, nbma);

	rt = mgre_route(mdev, peer, &hdr.saddr);
	if (IS_ERR(rt)) {
		DEV_STATS_INC(dev, tx_carrier_errors);
		mgre_count(peer, sa->stats, MGRE_STATS_A_TX_ERR, 1);
		goto drop;
	}
	if (!mgre_tx_outer(mdev, skb, peer, sa, rt, &hdr) ||
	    !mgre_tx_seq(peer, sa, skb->len, &seq)) {
		ip_rt_put(rt);
		goto drop;
	}
	mgre_tx_encap(mdev, skb, peer, sa, rt, &hdr, seq, proto);
	return;

drop:
	mgre_tx_drop(dev, skb);
}

/* Replicate to every NBMA address on the multicast list. */
static void mgre_xmit_mcast(struct mgre_dev *mdev, struct sk_buff *skb,
			    __be16 proto)
{
	struct mgre_mcast *m;
	__be32 last = 0;

	list_for_each_entry_rcu(m, &mdev->mcast, node) {
		if (last) {
			struct sk_buff *copy = skb_clone(skb, GFP_ATOMIC);

			if (copy)
				mgre_xmit_one(mdev, copy, last, proto);
			else
				DEV_STATS_INC(mdev->dev, tx_dropped);
		}
		last = m->nbma;
	}
	if (last)
		mgre_xmit_one(mdev, skb, last, proto);
	else
		mgre_tx_drop(mdev->dev, skb);
}

static void mgre_xmit_dst(struct mgre_dev *mdev, struct sk_buff *skb,
			  __be32 nbma, __be16 proto)
{
	if (ipv4_is_multicast(nbma) || ipv4_is_lbcast(nbma)) {
		mgre_xmit_mcast(mdev, skb, proto);
	} else if (!nbma || nbma == mdev->p.local) {
		/* no NBMA mapping for the overlay destination */
		if (__ratelimit(&mdev->miss_rs))
			mgre_nl_acquire(mdev, 0, skb);
		mgre_tx_drop(mdev->dev, skb);
	} else {
		mgre_xmit_one(mdev, skb, nbma, proto);
	}
}

/*
 * A GSO packet to one peer: the SA, the route and the outer header once,
 * then ESP on each segment.  The segments keep the payload's pages when
 * the SA uses the null cipher (ESP only reads them, mgre_esp_tail()),
 * else each is a private linear copy ESP encrypts in place; either way
 * the inner checksum is complete (computed over the pages, or while
 * copying), as ESP authenticates it.  False: not done here (no SA, no
 * route, a segment above the path MTU), the caller segments and sends
 * each segment on its own, which reports and counts what is wrong.
 */
static bool mgre_xmit_gso(struct mgre_dev *mdev, struct sk_buff *skb,
			  __be32 nbma, __be16 proto)
{
	struct sk_buff *segs, *next;
	struct mgre_skb_cb hdr;
	struct mgre_peer *peer;
	struct mgre_sa *sa;
	struct rtable *rt;
	u64 seq;

	if (!nbma || nbma == mdev->p.local || ipv4_is_multicast(nbma) ||
	    ipv4_is_lbcast(nbma))
		return false;
	peer = mgre_peer_lookup(mdev, nbma);
	sa = peer ? rcu_dereference(peer->tx_sa) : NULL;
	if (!sa)
		return false;
	rt = mgre_route(mdev, peer, &hdr.saddr);
	if (IS_ERR(rt))
		return false;
	if (!skb_gso_validate_network_len(skb, mgre_inner_mtu(peer, sa, dst_mtu(&rt->dst))) ||
	    !mgre_tx_outer(mdev, skb, peer, sa, rt, &hdr)) {
		ip_rt_put(rt);
		return false;
	}
	segs = skb_gso_segment(skb, sa->esp.null ? NETIF_F_SG : 0);
	if (IS_ERR_OR_NULL(segs)) {
		ip_rt_put(rt);
		mgre_tx_drop(mdev->dev, skb);
		return true;
	}
	mgre_tx_traffic(mdev, skb, peer, nbma);
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		if (!mgre_tx_seq(peer, sa, skb->len, &seq)) {
			mgre_tx_drop(mdev->dev, skb);
			continue;
		}
		dst_hold(&rt->dst);
		mgre_tx_encap(mdev, skb, peer, sa, rt, &hdr, seq, proto);
	}
	ip_rt_put(rt);
	return true;
}

/**
 * mgre_xmit() - The device's ndo_start_xmit: encapsulate and encrypt.
 * @skb: the overlay packet; always consumed.
 * @dev: the mgre device.
 *
 * The NBMA destination is the one in the link-layer header the neighbour
 * layer built, or the point-to-point device's remote.  GSO packets are
 * segmented; multicast and broadcast go to every address on the multicast
 * list; each packet is sent GRE-encapsulated in ESP to its peer, or
 * dropped with an ACQUIRE when there is no mapping or no outbound SA.
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t mgre_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mgre_dev *mdev = netdev_priv(dev);
	struct sk_buff *segs, *next;
	__be16 proto;
	__be32 nbma;

	if (dev->header_ops) {
		unsigned int hlen = sizeof(struct iphdr) +
				    mgre_gre_hlen(mdev->p.has_key);

		if (!pskb_may_pull(skb, hlen))
			goto drop;
		nbma = ((struct iphdr *)skb->data)->daddr;
		proto = get_unaligned((__be16 *)(skb->data + sizeof(struct iphdr) + 2));
		__skb_pull(skb, hlen);
	} else {
		nbma = mdev->p.remote;
		proto = skb->protocol;
	}
	skb->protocol = proto;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->mac_len = 0;
	if ((proto == htons(ETH_P_IP) &&
	     !pskb_network_may_pull(skb, sizeof(struct iphdr))) ||
	    (proto == htons(ETH_P_IPV6) &&
	     !pskb_network_may_pull(skb, sizeof(struct ipv6hdr))))
		goto drop;

	if (!skb_is_gso(skb)) {
		mgre_xmit_dst(mdev, skb, nbma, proto);
		return NETDEV_TX_OK;
	}
	if (mgre_xmit_gso(mdev, skb, nbma, proto))
		return NETDEV_TX_OK;
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		goto drop;
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		mgre_xmit_dst(mdev, skb, nbma, proto);
	}
	return NETDEV_TX_OK;

drop:
	mgre_tx_drop(dev, skb);
	return NETDEV_TX_OK;
}
