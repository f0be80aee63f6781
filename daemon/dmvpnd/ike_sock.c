// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE sockets: UDP 500 on IPv4 and IPv6 (with the local address of
 * each datagram, so answers leave from the address the peer knows us by),
 * each two sockets with first messages apart (kernel/isakmp_sock.c), and,
 * for NAT traversal, 4500 with RFC 3948's non-ESP marker.
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
#include "kernel/isakmp_sock.h"
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

/* One datagram off fd into the engine: 1, 0 for one skipped, -1 when there is none. */
static int read_one(struct daemon *d, int fd)
{
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

	memset(&path, 0, sizeof(path));
	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return -1;
	if (fd == d->natt) {
		/* RFC 3948: IKE has four zero bytes before it; 0xff is a keepalive */
		if (n < 4 || memcmp(buf, "\0\0\0\0", 4))
			return 0;
		n -= 4;
		memmove(buf, buf + 4, (size_t)n);
	}
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(cm);
			struct sockaddr_in *l = (struct sockaddr_in *)&path.local;

			l->sin_family = AF_INET;
			l->sin_addr = pi->ipi_addr;
			l->sin_port = htons(fd == d->natt ? ISAKMP_NATT_PORT : (uint16_t)d->port);
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(cm);
			struct sockaddr_in6 *l = (struct sockaddr_in6 *)&path.local;

			l->sin6_family = AF_INET6;
			l->sin6_addr = pi->ipi6_addr;
			l->sin6_port = htons((uint16_t)d->port);
		}
	}
	if (path.local.ss_family != path.remote.ss_family)
		return 0;
	d->ike.now = loop_clock_ms();
	ike_input(&d->ike, &path, buf, (size_t)n);
	return 1;
}

/*
 * Exchanges under way, established SAs, port 4500: what is there, up to a
 * bound (a flood of datagrams with made-up cookies costs a look-up each,
 * but must not keep the loop from the other descriptors and the timers
 * either; the loop calls again while any are left).
 */
#define REST_BATCH 256

static void on_udp(void *arg, int fd)
{
	struct daemon *d = arg;

	for (int i = 0; i < REST_BATCH && read_one(d, fd) >= 0; i++)
		;
}

/*
 * First messages (MM1, AM1: kernel/isakmp_sock.c): a batch at a time, the
 * other socket of the family emptied before every few, so that a peer's
 * MM3 waits behind a handful of them at most however many are queued; then
 * back to the loop (which calls again while any are left), so that a
 * flood of them does not keep NHRP, netlink and the control socket
 * waiting either.
 */
#define FIRST_BATCH 32
#define FIRST_BETWEEN 8

static void on_udp_first(void *arg, int fd)
{
	struct daemon *d = arg;
	int rest = fd == d->udp6 ? d->udp6_rest : d->udp_rest;

	for (int i = 0; i < FIRST_BATCH; i++) {
		if (i % FIRST_BETWEEN == 0 && rest >= 0)
			on_udp(d, rest);
		if (read_one(d, fd) < 0)
			return;
	}
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
	int fd[2];

	if (isakmp_sock_open(AF_INET, d->port, fd)) {
		log_err("ISAKMP: cannot bind UDP port %d: %s", d->port, strerror(errno));
		return -1;
	}
	d->udp = fd[ISAKMP_SOCK_FIRST];
	d->udp_rest = fd[ISAKMP_SOCK_REST];
	if (d->udp_rest < 0)
		log_warn("ISAKMP: one socket for UDP port %d: the kernel does not steer by cookie "
			 "(SO_ATTACH_REUSEPORT_CBPF)", d->port);
	if (isakmp_sock_open(AF_INET6, d->port, fd))
		log_warn("ISAKMP: no IPv6: cannot bind UDP port %d: %s", d->port, strerror(errno));
	d->udp6 = fd[ISAKMP_SOCK_FIRST];
	d->udp6_rest = fd[ISAKMP_SOCK_REST];
	ike_sock_natt_open(d);
	if (!loop_add_fd(&d->loop, d->udp, on_udp_first, d) ||
	    (d->udp_rest >= 0 && !loop_add_fd(&d->loop, d->udp_rest, on_udp, d)) ||
	    (d->udp6 >= 0 && !loop_add_fd(&d->loop, d->udp6, on_udp_first, d)) ||
	    (d->udp6_rest >= 0 && !loop_add_fd(&d->loop, d->udp6_rest, on_udp, d)) ||
	    (d->natt >= 0 && !loop_add_fd(&d->loop, d->natt, on_udp, d)))
		return -1;
	return 0;
}

void ike_sock_close(struct daemon *d)
{
	close(d->udp);
	if (d->udp_rest >= 0)
		close(d->udp_rest);
	if (d->udp6 >= 0)
		close(d->udp6);
	if (d->udp6_rest >= 0)
		close(d->udp6_rest);
	if (d->natt >= 0)
		close(d->natt);	/* the module keeps its reference: ESP-in-UDP goes on */
}
