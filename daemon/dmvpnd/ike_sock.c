// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE sockets: UDP 500 on IPv4 and IPv6 (with the local address of
 * each datagram, so answers leave from the address the peer knows us by)
 * and, for NAT traversal, 4500 with RFC 3948's non-ESP marker.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "ike/isakmp.h"
#include "lib/log.h"

/* The engine's hooks: the sockets, the module and XFRM. */
int ike_sock_send(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n)
{
	struct daemon *d = ike->priv;
	union {
		char v4[CMSG_SPACE(sizeof(struct in_pktinfo))];
		char v6[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf = { 0 };
	bool v6 = path->remote.ss_family == AF_INET6;
	struct iovec iov = { (void *)p, n };
	struct msghdr mh = {
		.msg_name = (void *)&path->remote,
		.msg_namelen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cbuf,
	};
	struct cmsghdr *cm;
	int fd = v6 ? d->udp6 : ike_path_natt(path) ? d->natt : d->udp;

	/* from the address the peer knows us by */
	mh.msg_controllen = v6 ? CMSG_SPACE(sizeof(struct in6_pktinfo)) :
				 CMSG_SPACE(sizeof(struct in_pktinfo));
	cm = CMSG_FIRSTHDR(&mh);
	if (v6) {
		struct in6_pktinfo *pi;

		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in6_pktinfo *)CMSG_DATA(cm);
		pi->ipi6_addr = ((const struct sockaddr_in6 *)&path->local)->sin6_addr;
	} else {
		struct in_pktinfo *pi;

		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in_pktinfo *)CMSG_DATA(cm);
		pi->ipi_spec_dst = ((const struct sockaddr_in *)&path->local)->sin_addr;
	}
	if (fd < 0 || sendmsg(fd, &mh, 0) < 0) {
		log_warn("ISAKMP: send to peer failed: %s", fd < 0 ? "no socket" : strerror(errno));
		return fd < 0 ? -EAFNOSUPPORT : -errno;
	}
	return 0;
}

static void on_udp(void *arg, int fd)
{
	struct daemon *d = arg;
	uint8_t buf[ISAKMP_MSG_MAX];
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct ike_path path;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &path.remote, .msg_namelen = sizeof(path.remote),
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	ssize_t n;

	for (;;) {
		memset(&path, 0, sizeof(path));
		mh.msg_namelen = sizeof(path.remote);
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &mh, 0);
		if (n < 0)
			return;
		if (fd == d->natt) {
			/* RFC 3948: IKE has four zero bytes before it; 0xff is a keepalive */
			if (n < 4 || memcmp(buf, "\0\0\0\0", 4))
				continue;
			n -= 4;
			memmove(buf, buf + 4, (size_t)n);
		}
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(cm);
				struct sockaddr_in *l = (struct sockaddr_in *)&path.local;

				l->sin_family = AF_INET;
				l->sin_addr = pi->ipi_addr;
				l->sin_port = htons(fd == d->natt ? ISAKMP_NATT_PORT :
							       (uint16_t)d->port);
			} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(cm);
				struct sockaddr_in6 *l = (struct sockaddr_in6 *)&path.local;

				l->sin6_family = AF_INET6;
				l->sin6_addr = pi->ipi6_addr;
				l->sin6_port = htons((uint16_t)d->port);
			}
		}
		if (path.local.ss_family != path.remote.ss_family)
			continue;
		d->ike.now = loop_clock_ms();
		ike_input(&d->ike, &path, buf, (size_t)n);
	}
}

/*
 * The IKE sockets' receive buffer: the default (rmem_default, 208 KB) holds
 * about 270 small datagrams, and 500 spokes starting at once overflowed it
 * (make bench-spokes: half their MM1 dropped, each spoke then 10 s late on
 * its retransmission).  1 MB holds about 1300.
 */
#define IKE_SOCK_RCVBUF	(1 << 20)

/* Our IKE port on one family; IPv6 only on the IPv6 socket. */
static int udp_open(int family, int port)
{
	struct sockaddr_storage a;
	static const uint8_t any[16];
	int s = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, size = IKE_SOCK_RCVBUF;

	if (s < 0)
		return -1;
	/* above rmem_max with CAP_NET_ADMIN; else as far as rmem_max allows */
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	addr_set(&a, family, any, (uint16_t)port);
	/* no SO_REUSEADDR: a second daemon on the port must fail, not share it */
	if ((family == AF_INET6 ?
	     setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	     setsockopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) :
	     setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one))) ||
	    bind(s, (struct sockaddr *)&a, family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						     sizeof(struct sockaddr_in))) {
		close(s);
		return -1;
	}
	return s;
}

/*
 * The NAT-T socket, bound to 4500.  With mgre devices it is handed to one
 * of them, which takes ESP-in-UDP off it for the SAs of every mgre device,
 * gives ESP for other SPIs to XFRM (crypto maps and VTIs behind a NAT) and
 * leaves IKE (non-ESP marker) to our reads; sockets left with the devices
 * by an earlier dmvpnd are taken back first.  With crypto maps and VTIs
 * only, XFRM decapsulates on it itself (UDP_ENCAP_ESPINUDP).
 */
void ike_sock_natt_open(struct daemon *d)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ISAKMP_NATT_PORT) };
	bool mgre = d->kern_up && mgre_wanted(&d->conf);
	int one = 1, encap = UDP_ENCAP_ESPINUDP;

	if (!mgre && !d->xfrm_up)
		return;
	for (int i = 0; mgre && i < d->ike.ngre; i++)
		if (d->ike.gre[i].ifindex)
			kern_encap_del(&d->kern, d->ike.gre[i].ifindex);
	d->natt = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->natt < 0 || setsockopt(d->natt, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    bind(d->natt, (struct sockaddr *)&a, sizeof(a))) {
		log_warn("ISAKMP: no NAT traversal: cannot bind UDP port 4500: %s",
			 strerror(errno));
		if (d->natt >= 0)
			close(d->natt);
		d->natt = -1;
		return;
	}
	if (mgre) {
		mgre_natt_attach(d);
		d->ike.xfrm_natt = d->xfrm_up;
		return;
	}
	if (setsockopt(d->natt, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap))) {
		log_warn("ISAKMP: XFRM does not take ESP-in-UDP on port 4500: %s",
			 strerror(errno));
		return;
	}
	d->ike.xfrm_natt = true;
	d->xfrm_owns_natt = true;
	log_info("ISAKMP: NAT-T: XFRM takes ESP-in-UDP on port 4500 (no mgre device)");
}

/* The source address the routing table picks towards a peer. */
static int local_for(const struct sockaddr_storage *remote, struct sockaddr_storage *local)
{
	socklen_t len = sizeof(*local);
	int s = socket(remote->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = -1;

	if (s < 0)
		return -1;
	if (!connect(s, (const struct sockaddr *)remote, remote->ss_family == AF_INET6 ?
		     sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) &&
	    !getsockname(s, (struct sockaddr *)local, &len))
		ret = 0;
	close(s);
	return ret;
}

/* The IKE path to a peer: our address towards it, both on our IKE port. */
int ike_sock_path(struct daemon *d, int family, const void *peer, struct ike_path *path)
{
	addr_set(&path->remote, family, peer, (uint16_t)d->port);
	if (local_for(&path->remote, &path->local))
		return -1;
	addr_set_port(&path->local, (uint16_t)d->port);
	return 0;
}

int ike_sock_open(struct daemon *d)
{
	d->udp = udp_open(AF_INET, d->port);
	if (d->udp < 0) {
		log_err("ISAKMP: cannot bind UDP port %d: %s", d->port, strerror(errno));
		return -1;
	}
	d->udp6 = udp_open(AF_INET6, d->port);
	if (d->udp6 < 0)
		log_warn("ISAKMP: no IPv6: cannot bind UDP port %d: %s", d->port, strerror(errno));
	ike_sock_natt_open(d);
	if (!loop_add_fd(&d->loop, d->udp, on_udp, d) ||
	    (d->udp6 >= 0 && !loop_add_fd(&d->loop, d->udp6, on_udp, d)) ||
	    (d->natt >= 0 && !loop_add_fd(&d->loop, d->natt, on_udp, d)))
		return -1;
	return 0;
}

void ike_sock_close(struct daemon *d)
{
	close(d->udp);
	if (d->udp6 >= 0)
		close(d->udp6);
	if (d->natt >= 0)
		close(d->natt);	/* the module keeps its reference: ESP-in-UDP goes on */
}
