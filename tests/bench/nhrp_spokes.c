// SPDX-License-Identifier: GPL-2.0
/*
 * Lightweight NHRP spokes for the hub benchmark: N spokes, each with its
 * own NBMA address (aliases on one device) and overlay address, send a
 * real Registration Request (built by our codec, as IOS builds it) over
 * GRE on a raw socket to the hub and wait for the Registration Reply;
 * those not answered go again after a second.  Prints the time until
 * every spoke is registered and the rate.  The hub may be dmvpnd on an
 * mgre device or FRR's nhrpd on ip_gre: the wire is the same.
 *
 *   nhrp_spokes HUB_NBMA HUB_PROTO FIRST_NBMA FIRST_PROTO N [TIMEOUT_S]
 *
 * Addresses are counted up from FIRST_NBMA and FIRST_PROTO.  Closes with
 * "registered N of N in S s: R/s".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "nhrp/wire.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t add(uint32_t be, uint32_t i)
{
	return htonl(ntohl(be) + i);
}

static uint16_t ip_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* IPv4 + GRE (protocol 0x2001) + the registration of spoke i. */
static size_t build(uint8_t *b, uint32_t hub, uint32_t hub_proto, uint32_t nbma,
		    uint32_t proto, uint32_t reqid)
{
	struct nhrp_msg m;
	size_t n;

	nhrp_msg_init(&m, NHRP_REG_REQ);
	m.flags = NHRP_FLAG_REG_U | NHRP_FLAG_NAT;
	m.reqid = reqid;
	nhrp_addr_set(&m.src_nbma, &nbma, 4);
	nhrp_addr_set(&m.src_proto, &proto, 4);
	nhrp_addr_set(&m.dst_proto, &hub_proto, 4);
	m.cie.n = 1;
	m.cie.e[0].prefix = 32;
	m.cie.e[0].mtu = 1400;
	m.cie.e[0].holdtime = 7200;
	m.has_responder = m.has_fwd = m.has_rev = true;
	n = nhrp_build(&m, b + 24, NHRP_PKT_MAX);
	if (!n)
		return 0;
	memset(b, 0, 24);
	b[0] = 0x45;
	b[2] = (uint8_t)((24 + n) >> 8);
	b[3] = (uint8_t)(24 + n);
	b[8] = 64;
	b[9] = IPPROTO_GRE;
	memcpy(b + 12, &nbma, 4);
	memcpy(b + 16, &hub, 4);
	b[22] = 0x20;		/* GRE: no flags, version 0, protocol 0x2001 */
	b[23] = 0x01;
	{
		uint16_t s = ip_sum(b, 20);

		b[10] = (uint8_t)(s >> 8);
		b[11] = (uint8_t)s;
	}
	return 24 + n;
}

int main(int argc, char **argv)
{
	uint32_t hub, hub_proto, nbma0, proto0;
	int n, tx, rx, on = 1, done = 0, sends = 0;
	double timeout, t0, last_round = 0;
	unsigned char *ok;
	uint8_t pkt[2048];

	if (argc < 6 || inet_pton(AF_INET, argv[1], &hub) != 1 ||
	    inet_pton(AF_INET, argv[2], &hub_proto) != 1 ||
	    inet_pton(AF_INET, argv[3], &nbma0) != 1 ||
	    inet_pton(AF_INET, argv[4], &proto0) != 1 || (n = atoi(argv[5])) <= 0) {
		fprintf(stderr, "usage: %s HUB_NBMA HUB_PROTO FIRST_NBMA FIRST_PROTO N [TIMEOUT_S]\n",
			argv[0]);
		return 2;
	}
	timeout = argc > 6 ? atof(argv[6]) : 120;
	ok = calloc((size_t)n, 1);
	tx = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	rx = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	if (!ok || tx < 0 || rx < 0 || setsockopt(tx, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on))) {
		perror("socket");
		return 1;
	}
	{
		int sz = 8 << 20;

		setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	}
	t0 = now_s();
	while (done < n && now_s() - t0 < timeout) {
		struct pollfd p = { .fd = rx, .events = POLLIN };

		/* a round: every spoke not yet answered sends (again) */
		if (now_s() - last_round >= 1.0) {
			struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = hub };

			last_round = now_s();
			for (int i = 0; i < n; i++) {
				size_t len;

				if (ok[i])
					continue;
				len = build(pkt, hub, hub_proto, add(nbma0, (uint32_t)i),
					    add(proto0, (uint32_t)i), (uint32_t)(i + 1));
				while (sendto(tx, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
					if (errno != ENOBUFS && errno != EAGAIN) {
						perror("sendto");
						return 1;
					}
					usleep(1000);
				}
				sends++;
			}
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		for (;;) {
			ssize_t r = recv(rx, pkt, sizeof(pkt), MSG_DONTWAIT);
			struct nhrp_msg m;
			size_t ihl;
			uint32_t dst;
			long i;

			if (r < 0)
				break;
			ihl = (size_t)(pkt[0] & 0xf) * 4;
			if ((size_t)r < ihl + 4 || pkt[ihl + 2] != 0x20 || pkt[ihl + 3] != 0x01)
				continue;
			if (nhrp_parse(pkt + ihl + 4, (size_t)r - ihl - 4, &m) != NHRP_OK ||
			    m.type != NHRP_REG_REP || !m.cie.n || m.cie.e[0].code != 0)
				continue;
			memcpy(&dst, pkt + 16, 4);
			i = (long)ntohl(dst) - (long)ntohl(nbma0);
			if (i >= 0 && i < n && !ok[i]) {
				ok[i] = 1;
				done++;
			}
		}
	}
	{
		double s = now_s() - t0;

		printf("registered %d of %d in %.2f s: %.0f/s (%d requests sent)\n", done, n, s,
		       s > 0 ? done / s : 0, sends);
	}
	return done == n ? 0 : 1;
}
