// SPDX-License-Identifier: GPL-2.0
/*
 * The ISAKMP port as two sockets.  Anyone can send a Main Mode (or
 * Aggressive Mode) first message from any address, and a flood of them
 * from spoofed addresses fills the socket's buffer faster than the daemon
 * answers: every other datagram then waits behind them or is dropped with
 * them, a real peer's MM3 (which proves its address: it echoes the cookie
 * our MM2 carried) as much as the Quick Mode, DPD and DELETE of
 * established peers.  So the port is bound twice in one SO_REUSEPORT group
 * and a classic BPF program (SO_ATTACH_REUSEPORT_CBPF, Linux 4.5) picks
 * the socket: responder cookie zero (bytes 8-15 of the UDP payload) to the
 * first, anything else to the second, which the daemon reads first.  The
 * flood then fills only the first socket's buffer.
 *
 * SO_REUSEPORT would let a second daemon (root, with SO_REUSEPORT) join
 * the group; the port is first bound once without it, which fails if any
 * socket holds it.
 */
#include <errno.h>
#include <stdbool.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "kernel/isakmp_sock.h"

#ifndef SO_ATTACH_REUSEPORT_CBPF
#define SO_ATTACH_REUSEPORT_CBPF 51
#endif

/* the socket's index in the group: the order of binding */
static struct sock_filter steer[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8),			/* rcky[0..3] */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 12),			/* rcky[4..7] */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, ISAKMP_SOCK_REST),
	BPF_STMT(BPF_RET | BPF_K, ISAKMP_SOCK_FIRST),		/* and shorter than 16 bytes */
};

/*
 * The receive buffer: the default (rmem_default, 208 KB) holds about 270
 * small datagrams, and 500 spokes starting at once overflowed it (make
 * bench-spokes: half their MM1 dropped, each spoke then 10 s late on its
 * retransmission).  1 MB holds about 1300.
 */
#define ISAKMP_SOCK_RCVBUF (1 << 20)

static int bind_one(int family, int port, bool reuse)
{
	struct sockaddr_storage a;
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					      sizeof(struct sockaddr_in);
	int s = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, e, size = ISAKMP_SOCK_RCVBUF;

	if (s < 0)
		return -1;
	/* above rmem_max with CAP_NET_ADMIN; else as far as rmem_max allows */
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&a, 0, sizeof(a));
	a.ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		((struct sockaddr_in6 *)&a)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)&a)->sin_port = htons((uint16_t)port);
	if ((family == AF_INET6 ?
	     setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	     setsockopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) :
	     setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one))) ||
	    (reuse && setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) ||
	    bind(s, (struct sockaddr *)&a, len)) {
		e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

int isakmp_sock_open(int family, int port, int fd[2])
{
	struct sock_fprog prog = { sizeof(steer) / sizeof(steer[0]), steer };
	int probe = bind_one(family, port, false);

	fd[ISAKMP_SOCK_FIRST] = fd[ISAKMP_SOCK_REST] = -1;
	if (probe < 0)
		return -1;	/* the port is taken (or the family missing) */
	close(probe);
	fd[ISAKMP_SOCK_FIRST] = bind_one(family, port, true);
	if (fd[ISAKMP_SOCK_FIRST] >= 0) {
		fd[ISAKMP_SOCK_REST] = bind_one(family, port, true);
		if (fd[ISAKMP_SOCK_REST] >= 0 &&
		    !setsockopt(fd[ISAKMP_SOCK_FIRST], SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
				sizeof(prog)))
			return 0;
		if (fd[ISAKMP_SOCK_REST] >= 0)
			close(fd[ISAKMP_SOCK_REST]);
		close(fd[ISAKMP_SOCK_FIRST]);
	}
	/* no steering here: one socket, as before */
	fd[ISAKMP_SOCK_REST] = -1;
	fd[ISAKMP_SOCK_FIRST] = bind_one(family, port, false);
	return fd[ISAKMP_SOCK_FIRST] < 0 ? -1 : 0;
}
