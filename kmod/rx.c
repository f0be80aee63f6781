// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: ESP for one of our inbound SAs -> verify, decrypt, replay check
 * -> (the inner IPv4 header, tunnel mode) -> GRE -> the overlay.  ESP
 * reaches us through an xfrm4 protocol handler registered ahead of esp4;
 * SPIs that are not ours pass through to XFRM.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/mgre.h>
#include <linux/ip.h>
#include <net/esp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/xfrm.h>
#include "device.h"
#include "gre.h"
#include "peer.h"
#include "rx.h"
#include "sa.h"
#include "skb_cb.h"

/* Above esp4 (0) and xfrm interfaces (10), below vti (100). */
#define MGRE_XFRM_PRIORITY	50

static void mgre_rx_drop(struct mgre_peer *peer, struct mgre_sa *sa,
			 struct sk_buff *skb, int idx)
{
	mgre_count(peer, sa ? sa->stats : NULL, idx, 1);
	DEV_STATS_INC(peer->mdev->dev, rx_errors);
	kfree_skb(skb);
}

/*
 * Tunnel mode: the inner IPv4 header in front of the GRE packet, checked
 * (mgre_inner_ip_check()) and removed.  Inner fragments (IOS's
 * pre-fragmentation of a packet larger than the tunnel's path) are not
 * reassembled: they are dropped as GRE errors.
 */
static int mgre_rx_inner_ip(struct sk_buff *skb)
{
	unsigned int tot_len;
	int ihl;

	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len, MGRE_INNER_IP_MAX)))
		return -EINVAL;
	ihl = mgre_inner_ip_check(skb->data, skb_headlen(skb), skb->len, &tot_len);
	if (ihl < 0)
		return ihl;
	if (pskb_trim(skb, tot_len))
		return -EINVAL;
	__skb_pull(skb, ihl);
	return 0;
}

/* What follows ESP: 0 for the GRE packet at skb->data, else the counter of the drop. */
static int mgre_rx_payload(struct mgre_sa *sa, struct sk_buff *skb, int nexthdr)
{
	if (sa->mode != MGRE_MODE_TUNNEL)
		return nexthdr == IPPROTO_GRE ? 0 : MGRE_STATS_A_GRE_ERR;
	if (nexthdr != IPPROTO_IPIP)
		return MGRE_STATS_A_GRE_ERR;
	switch (mgre_rx_inner_ip(skb)) {
	case 0:
		return 0;
	case -EPROTO:
		return MGRE_STATS_A_GRE_ERR;
	default:
		return MGRE_STATS_A_INVALID_LEN;
	}
}

static void mgre_rx_finish(struct sk_buff *skb, int err)
{
	struct mgre_sa *sa = MGRE_SKB_CB(skb)->esp.ctx;
	u64 seq = MGRE_SKB_CB(skb)->esp.seq;
	struct mgre_peer *peer = sa->peer;
	struct mgre_dev *mdev = peer->mdev;
	struct net_device *dev = mdev->dev;
	__be16 proto;
	int nexthdr, hlen;

	if (unlikely(err)) {
		mgre_rx_drop(peer, sa, skb,
			     err == -EBADMSG ? MGRE_STATS_A_AUTH_FAIL :
			     err == -EINVAL ? MGRE_STATS_A_INVALID_LEN :
					      MGRE_STATS_A_RX_ERR);
		goto out;
	}

	spin_lock(&sa->replay_lock);
	err = mgre_replay_advance(&sa->replay, seq);
	spin_unlock(&sa->replay_lock);
	if (unlikely(err)) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_REPLAY);
		goto out;
	}

	nexthdr = mgre_esp_strip(&sa->esp, skb);
	if (unlikely(nexthdr < 0)) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_INVALID_LEN);
		goto out;
	}
	/* 59: a dummy packet (RFC 4303 2.6), dropped silently */
	if (unlikely(nexthdr == IPPROTO_NONE)) {
		consume_skb(skb);
		goto out;
	}
	err = mgre_rx_payload(sa, skb, nexthdr);
	if (unlikely(err)) {
		mgre_rx_drop(peer, sa, skb, err);
		goto out;
	}
	if (unlikely(!mgre_sa_account(sa, skb->len))) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_EXPIRED);
		goto out;
	}
	/* RFC 3948 NAT mapping change: follow the authenticated source port */
	if (MGRE_SKB_CB(skb)->sport && READ_ONCE(peer->encap) == MGRE_ENCAP_ESPINUDP &&
	    READ_ONCE(peer->dport) != MGRE_SKB_CB(skb)->sport)
		WRITE_ONCE(peer->dport, MGRE_SKB_CB(skb)->sport);
	mgre_count(peer, sa->stats, MGRE_STATS_A_RX_PACKETS, 1);
	mgre_count(peer, sa->stats, MGRE_STATS_A_RX_BYTES, skb->len);

	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len, 16)) ||
	    (skb->len >= 1 && (skb->data[0] & 0x80) && skb_linearize(skb))) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_GRE_ERR);
		goto out;
	}
	hlen = mgre_gre_parse(skb->data, skb_headlen(skb), mdev->p.has_key,
			      mdev->p.key, &proto);
	if (unlikely(hlen < 0)) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_GRE_ERR);
		goto out;
	}
	__skb_pull(skb, hlen);

	/*
	 * Non-IP payloads (NHRP) keep the outer IPv4 header as their
	 * link-layer header, for header_ops->parse() and packet sockets;
	 * IP payloads get none, so that GRO can merge them.
	 */
	if (proto == htons(ETH_P_IP) || proto == htons(ETH_P_IPV6))
		skb_reset_mac_header(skb);
	else
		skb_set_mac_header(skb, skb_network_offset(skb));
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	skb_scrub_packet(skb, false);
	skb->protocol = proto;
	skb->dev = dev;
	/*
	 * The ICV covered the packet as its sender built it, checksums
	 * included: they need no second pass over the payload (as
	 * WireGuard decides for what Poly1305 authenticated).  Without
	 * an ICV (encryption alone) they are checked as usual.
	 */
	if (sa->esp.icvlen) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = ~0;
	} else {
		skb->ip_summed = CHECKSUM_NONE;
	}
	dev_sw_netstats_rx_add(dev, skb->len);
	gro_cells_receive(&mdev->gro_cells, skb);
out:
	mgre_sa_put(sa);
}

/**
 * mgre_rx() - Consume an ESP packet for one of our inbound SAs.
 * @sa: the SA its SPI names.
 * @skb: the packet, skb->data at the ESP header; always consumed.
 * @sport: the UDP source port for ESP-in-UDP, else 0.
 *
 * Context: softirq, under rcu_read_lock().
 */
void mgre_rx(struct mgre_sa *sa, struct sk_buff *skb, __be16 sport)
{
	struct mgre_peer *peer = sa->peer;
	struct ip_esp_hdr *esph;
	u64 seq;
	int err;

	if (unlikely(test_bit(MGRE_SA_HARD, &sa->flags))) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_EXPIRED);
		return;
	}
	if (!pskb_may_pull(skb, MGRE_ESP_HLEN)) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_INVALID_LEN);
		return;
	}
	esph = (struct ip_esp_hdr *)skb->data;
	seq = mgre_replay_infer(&sa->replay, ntohl(esph->seq_no), sa->esp.esn);
	spin_lock(&sa->replay_lock);
	err = mgre_replay_check(&sa->replay, seq);
	spin_unlock(&sa->replay_lock);
	if (err) {
		mgre_rx_drop(peer, sa, skb, MGRE_STATS_A_REPLAY);
		return;
	}
	if (!mgre_sa_hold(sa)) {
		kfree_skb(skb);
		return;
	}
	MGRE_SKB_CB(skb)->esp.ctx = sa;
	MGRE_SKB_CB(skb)->esp.seq = seq;
	MGRE_SKB_CB(skb)->sport = sport;
	err = mgre_esp_decrypt(&sa->esp, skb, seq, mgre_rx_finish);
	if (err != -EINPROGRESS)
		mgre_rx_finish(skb, err);
}

/* An ESP packet at skb->data; 0 if it was ours (consumed). */
static int mgre_esp_input(struct sk_buff *skb)
{
	struct ip_esp_hdr *esph;
	struct mgre_sa *sa;

	if (!pskb_may_pull(skb, sizeof(*esph)))
		return -EINVAL;
	esph = (struct ip_esp_hdr *)skb->data;
	sa = mgre_sa_lookup_in(dev_net(skb->dev), esph->spi);
	if (!sa)
		return -EINVAL;		/* not ours: next handler (esp4) */
	mgre_rx(sa, skb, 0);
	return 0;
}

static int mgre_esp4_rcv(struct sk_buff *skb)
{
	return mgre_esp_input(skb);
}

/* ESP-in-UDP on a socket of XFRM's (UDP_ENCAP_ESPINUDP set by its owner). */
static int mgre_esp4_input(struct sk_buff *skb, int nexthdr, __be32 spi,
			   int encap_type)
{
	return mgre_esp_input(skb);
}

/* After XFRM's own processing: never ours. */
static int mgre_esp4_cb(struct sk_buff *skb, int err)
{
	return 1;
}

/* ICMP about an ESP packet: learn the path MTU, let esp4 look too. */
static int mgre_esp4_err(struct sk_buff *skb, u32 info)
{
	int type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;

	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, dev_net(skb->dev), info, 0, IPPROTO_ESP);
	return -ENOENT;
}

static struct xfrm4_protocol mgre_esp4_protocol = {
	.handler	= mgre_esp4_rcv,
	.input_handler	= mgre_esp4_input,
	.cb_handler	= mgre_esp4_cb,
	.err_handler	= mgre_esp4_err,
	.priority	= MGRE_XFRM_PRIORITY,
};

/**
 * mgre_rx_init() - Register the ESP receive handler with XFRM.
 *
 * Return: 0 or a negative errno.
 */
int mgre_rx_init(void)
{
	mgre_skb_cb_check();
	return xfrm4_protocol_register(&mgre_esp4_protocol, IPPROTO_ESP);
}

/**
 * mgre_rx_exit() - Unregister the ESP receive handler.
 */
void mgre_rx_exit(void)
{
	xfrm4_protocol_deregister(&mgre_esp4_protocol, IPPROTO_ESP);
}
