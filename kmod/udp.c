// SPDX-License-Identifier: GPL-2.0
/*
 * ESP-in-UDP (RFC 3948).  Userspace (the IKE daemon) creates and binds the
 * UDP socket of port 4500 and hands it over by file descriptor; the module
 * takes ESP off it and leaves IKE (non-ESP marker) to the daemon's reads.
 * ESP for an SPI that is not ours goes to XFRM's own ESP-in-UDP receive,
 * as plain ESP does (rx.c), so one socket serves every mgre device of the
 * namespace and the kernel's tunnel-mode SAs (crypto maps, VTIs) at once.
 */

#include <linux/file.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <linux/ip.h>
#include <net/esp.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include <net/xfrm.h>
#include "device.h"
#include "rx.h"
#include "sa.h"
#include "udp.h"

static int mgre_udp_rcv(struct sock *sk, struct sk_buff *skb)
{
	unsigned int ulen = sizeof(struct udphdr);
	struct mgre_sa *sa;
	__be16 sport;
	__be32 marker;

	if (skb->len == ulen + 1 && skb->data[ulen] == 0xff) {
		consume_skb(skb);	/* NAT keepalive (RFC 3948 2.3) */
		return 0;
	}
	if (skb->len < ulen + sizeof(struct ip_esp_hdr) ||
	    !pskb_may_pull(skb, ulen + sizeof(marker)))
		return 1;		/* not ESP: the socket's */
	memcpy(&marker, skb->data + ulen, sizeof(marker));
	if (!marker)
		return 1;		/* non-ESP marker: IKE, the daemon's */

	sa = mgre_sa_lookup_in(sock_net(sk), marker);
	if (!sa)
		return xfrm4_udp_encap_rcv(sk, skb);	/* XFRM counts what it lacks */
	sport = udp_hdr(skb)->source;
	__skb_pull(skb, ulen);
	skb_reset_transport_header(skb);
	mgre_rx(sa, skb, sport);
	return 0;
}

/**
 * mgre_udp_attach() - Take a userspace UDP socket for ESP-in-UDP.
 * @mdev: the device.
 * @fd: the socket's file descriptor in the calling process: IPv4 UDP, in
 *	the device's namespace, not yet used for encapsulation.
 * @extack: where to say what was wrong.
 *
 * ESP-in-UDP for our SPIs is received on it; everything else (IKE, the
 * non-ESP marker) is still read by userspace, and other SPIs go to XFRM.
 *
 * Context: under mdev->lock.
 * Return: 0, or a negative errno with a message in @extack.
 */
int mgre_udp_attach(struct mgre_dev *mdev, int fd, struct netlink_ext_ack *extack)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data	= mdev,
		.encap_type	= UDP_ENCAP_ESPINUDP,
		.encap_rcv	= mgre_udp_rcv,
	};
	struct socket *sock;
	struct sock *sk;
	int err;

	lockdep_assert_held(&mdev->lock);
	if (mdev->encap_sock) {
		NL_SET_ERR_MSG(extack, "the device already has an encapsulation socket");
		return -EBUSY;
	}
	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "encapsulation fd is not a socket");
		return err;
	}
	sk = sock->sk;
	if (sk->sk_family != AF_INET || sk->sk_protocol != IPPROTO_UDP ||
	    sk->sk_type != SOCK_DGRAM) {
		NL_SET_ERR_MSG(extack, "encapsulation socket must be IPv4 UDP");
		err = -EINVAL;
		goto err;
	}
	if (!net_eq(sock_net(sk), dev_net(mdev->dev))) {
		NL_SET_ERR_MSG(extack, "encapsulation socket is in another namespace");
		err = -EINVAL;
		goto err;
	}
	lock_sock(sk);
	if (udp_sk(sk)->encap_type) {
		release_sock(sk);
		NL_SET_ERR_MSG(extack, "socket is already used for encapsulation");
		err = -EBUSY;
		goto err;
	}
	setup_udp_tunnel_sock(sock_net(sk), sock, &cfg);
	release_sock(sk);
	mdev->encap_sock = sock;
	return 0;
err:
	sockfd_put(sock);
	return err;
}

/**
 * mgre_udp_detach() - Give the ESP-in-UDP socket back to userspace.
 * @mdev: the device; nothing happens when it has no socket.
 *
 * Context: under mdev->lock; may sleep (synchronize_net()).
 */
void mgre_udp_detach(struct mgre_dev *mdev)
{
	struct socket *sock = mdev->encap_sock;
	struct sock *sk;

	lockdep_assert_held(&mdev->lock);
	if (!sock)
		return;
	sk = sock->sk;
	lock_sock(sk);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);
	synchronize_net();
	mdev->encap_sock = NULL;
	sockfd_put(sock);
}
