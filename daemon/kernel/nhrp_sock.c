// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP's packet socket on an mGRE device: open (bound, non-blocking, a
 * hub-sized receive buffer), send to an NBMA address, receive with the
 * NBMA source.  See nhrp_sock.h for what the mgre module's header_ops do.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include "kernel/nhrp_sock.h"

/* A hub hears every spoke's registrations at once (and again after a restart). */
#define NHRP_SOCK_RCVBUF	(1 << 20)

/* Packets looked at per nhrp_sock_recv() call, skipped ones included. */
#define NHRP_SOCK_BATCH		64

/* The NBMA address: IPv4, as the mgre device's link-layer address. */
#define NHRP_SOCK_HALEN		4

int nhrp_sock_open(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_NHRP),
		.sll_ifindex = ifindex,
	};
	int fd, size = NHRP_SOCK_RCVBUF, err;

	if (ifindex <= 0)
		return -EINVAL;	/* 0 would be every device */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_NHRP));
	if (fd < 0)
		return -errno;
	/* beyond net.core.rmem_max needs CAP_NET_ADMIN; else what rmem_max allows */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int nhrp_sock_send(int fd, int ifindex, const struct nhrp_addr *nbma, const uint8_t *pkt,
		   size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_NHRP),
		.sll_ifindex = ifindex,
		.sll_halen = NHRP_SOCK_HALEN,
	};
	ssize_t n;

	if (ifindex <= 0 || !nbma || nbma->len != NHRP_SOCK_HALEN || (!pkt && len))
		return -EINVAL;
	memcpy(sll.sll_addr, nbma->a, NHRP_SOCK_HALEN);
	do
		n = sendto(fd, pkt, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

ssize_t nhrp_sock_recv(int fd, uint8_t *buf, size_t cap, struct nhrp_addr *src, int *ifindex)
{
	struct sockaddr_ll sll;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg;
	ssize_t n;

	for (int i = 0; i < NHRP_SOCK_BATCH; i++) {
		memset(&sll, 0, sizeof(sll));
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sll;
		msg.msg_namelen = sizeof(sll);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;	/* our own, seen on the way out */
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;	/* the rest of it is gone */
		if (sll.sll_halen && (sll.sll_halen != NHRP_SOCK_HALEN ||
				      msg.msg_namelen < offsetof(struct sockaddr_ll, sll_addr) +
							NHRP_SOCK_HALEN))
			continue;	/* not from an mgre device's NBMA peer */
		if (src) {
			memset(src, 0, sizeof(*src));
			src->len = sll.sll_halen;	/* 0: a point-to-point device's */
			memcpy(src->a, sll.sll_addr, sll.sll_halen);
		}
		if (ifindex)
			*ifindex = sll.sll_ifindex;
		return n;
	}
	/* the rest on the next call: the loop's other sockets get their turn */
	return -EAGAIN;
}
