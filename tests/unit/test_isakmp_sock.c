// SPDX-License-Identifier: GPL-2.0
/*
 * The ISAKMP port's two sockets (daemon/kernel/isakmp_sock.c) on the
 * loopback: first messages (responder cookie zero, or too short to have
 * one) reach the first socket, everything else the second, many of each
 * interleaved; a second daemon's bind of the port fails, with
 * SO_REUSEPORT or without; IPv6 the same where the host has it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include "check.h"
#include "kernel/isakmp_sock.h"

static int free_port(int family)
{
	struct sockaddr_storage a = { .ss_family = (sa_family_t)family };
	socklen_t len = sizeof(a);
	int s = socket(family, SOCK_DGRAM, 0), port = -1;

	if (s >= 0 && !bind(s, (struct sockaddr *)&a, family == AF_INET6 ?
			    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) &&
	    !getsockname(s, (struct sockaddr *)&a, &len))
		port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port :
						  ((struct sockaddr_in *)&a)->sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* n bytes of ISAKMP header: initiator cookie i, responder cookie r (bytes 8-15) */
static void send_to(int c, int family, int port, uint8_t i, uint8_t r, size_t n)
{
	struct sockaddr_storage a = { .ss_family = (sa_family_t)family };
	uint8_t p[28] = { 0 };

	memset(p, i, 8);
	memset(p + 8, 0, 8);
	if (r)
		p[15] = r;	/* one byte is enough to be a cookie */
	if (family == AF_INET6) {
		((struct sockaddr_in6 *)&a)->sin6_port = htons((uint16_t)port);
		((struct sockaddr_in6 *)&a)->sin6_addr = in6addr_loopback;
	} else {
		((struct sockaddr_in *)&a)->sin_port = htons((uint16_t)port);
		((struct sockaddr_in *)&a)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	sendto(c, p, n, 0, (struct sockaddr *)&a, family == AF_INET6 ?
	       sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
}

/* datagrams waiting on fd: each one's first byte into got[] */
static int drain(int fd, uint8_t *got, int max)
{
	uint8_t b[64];
	int k = 0;

	while (k < max && recv(fd, b, sizeof(b), MSG_DONTWAIT) > 0)
		got[k++] = b[0];
	return k;
}

static void family_case(int family)
{
	int fd[2], fd2[2], port = free_port(family), c = socket(family, SOCK_DGRAM, 0);
	uint8_t first[64], rest[64];
	int nf, nr, bad = 0;
	struct pollfd pf;

	CHECK(port > 0 && c >= 0);
	CHECK(isakmp_sock_open(family, port, fd) == 0);
	CHECK(fd[ISAKMP_SOCK_FIRST] >= 0 && fd[ISAKMP_SOCK_REST] >= 0);
	/* 40 datagrams, alternating: even ones first messages, odd ones not */
	for (int k = 0; k < 40; k++)
		send_to(c, family, port, (uint8_t)k, k % 2 ? (uint8_t)k : 0, 28);
	send_to(c, family, port, 200, 0, 10);	/* too short for a responder cookie */
	pf.fd = fd[ISAKMP_SOCK_REST];
	pf.events = POLLIN;
	poll(&pf, 1, 1000);
	nf = drain(fd[ISAKMP_SOCK_FIRST], first, 64);
	nr = drain(fd[ISAKMP_SOCK_REST], rest, 64);
	CHECK(nf == 21 && nr == 20);
	for (int k = 0; k < nf; k++)
		bad += first[k] % 2 || (k == 20 && first[k] != 200);
	for (int k = 0; k < nr; k++)
		bad += !(rest[k] % 2);
	CHECK(bad == 0);
	if (nf != 21 || nr != 20 || bad)
		printf("#   family %d: %d on the first socket, %d on the other, %d misplaced\n",
		       family, nf, nr, bad);
	/* a second daemon on the port: refused, whether it asks to share or not */
	errno = 0;
	CHECK(isakmp_sock_open(family, port, fd2) == -1 && errno == EADDRINUSE);
	CHECK(fd2[0] == -1 && fd2[1] == -1);
	close(fd[0]);
	close(fd[1]);
	close(c);
	/* free again */
	CHECK(isakmp_sock_open(family, port, fd2) == 0);
	close(fd2[0]);
	close(fd2[1]);
}

int main(void)
{
	int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 lo6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };

	family_case(AF_INET);
	if (s6 >= 0 && !bind(s6, (struct sockaddr *)&lo6, sizeof(lo6)))
		family_case(AF_INET6);
	else
		printf("# no IPv6 loopback here: the IPv6 case skipped\n");
	if (s6 >= 0)
		close(s6);
	return check_summary();
}
