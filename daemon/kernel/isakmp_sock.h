/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ISAKMP port as two UDP sockets in one SO_REUSEPORT group: the
 * kernel puts each datagram on one of them by its responder cookie (a
 * classic BPF program), so a flood of first messages cannot crowd out the
 * rest (isakmp_sock.c).
 */
#ifndef DMVPN_KERNEL_ISAKMP_SOCK_H
#define DMVPN_KERNEL_ISAKMP_SOCK_H

enum {
	ISAKMP_SOCK_FIRST,	/* responder cookie zero: MM1, AM1 (and junk) */
	ISAKMP_SOCK_REST,	/* every other: exchanges under way, established SAs */
};

/*
 * Bind port on family's wildcard address (IPv6: IPv6 only), non-blocking,
 * with the local address of each datagram (IP_PKTINFO, IPV6_RECVPKTINFO).
 * fd[ISAKMP_SOCK_FIRST] and fd[ISAKMP_SOCK_REST]; where the kernel cannot
 * steer, fd[ISAKMP_SOCK_REST] is -1 and the first socket takes everything.
 * The port must be free: another process's reuseport group is not joined
 * (errno EADDRINUSE).  0, or -1 with errno and nothing open.
 */
int isakmp_sock_open(int family, int port, int fd[2]);

#endif /* DMVPN_KERNEL_ISAKMP_SOCK_H */
