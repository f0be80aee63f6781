// SPDX-License-Identifier: GPL-2.0
/*
 * mm1_flood: IKEv1 Main Mode message 1 from many spoofed IPv4 source
 * addresses, as fast as a raw socket takes them (or at a given rate), for
 * the flood benchmark (tests/vm/bench-flood.sh).  Each MM1 has a fresh
 * initiator cookie and one proposal (3des md5 pre-share group 2, 86400 s:
 * seed 002's policy, so the hub chooses it and answers MM2).
 *
 *   mm1_flood -d HUB [-s 100.64.0.0] [-n SOURCES] [-t SECONDS] [-r PER_SECOND]
 *
 * Prints "sent N in T s: R/s" and exits 0 if anything went out.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64
#define MM1_LEN	84
#define PKT_LEN	(20 + 8 + MM1_LEN)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* IPv4 (the kernel fills in the checksum), UDP 500 -> 500 (checksum 0), MM1 */
static void build(uint8_t *p, uint32_t dst)
{
	static const uint8_t sa[] = {
		0, 0, 0, 56, 0, 0, 0, 1, 0, 0, 0, 1,		/* SA: DOI IPsec, identity only */
		0, 0, 0, 44, 1, 1, 0, 1,			/* proposal 1, ISAKMP, 1 transform */
		0, 0, 0, 36, 1, 1, 0, 0,			/* transform 1, KEY_IKE */
		0x80, 1, 0, 5,					/* encryption 3DES */
		0x80, 2, 0, 1,					/* hash MD5 */
		0x80, 3, 0, 1,					/* pre-shared key */
		0x80, 4, 0, 2,					/* group 2 */
		0x80, 11, 0, 1,					/* life type seconds */
		0, 12, 0, 4, 0, 1, 0x51, 0x80,			/* 86400 */
	};
	uint8_t *u = p + 20, *k = u + 8;

	memset(p, 0, PKT_LEN);
	p[0] = 0x45;
	put16(p + 2, PKT_LEN);
	p[8] = 64;
	p[9] = IPPROTO_UDP;
	memcpy(p + 16, &dst, 4);
	put16(u, 500);
	put16(u + 2, 500);
	put16(u + 4, 8 + MM1_LEN);
	k[16] = 1;		/* next payload: SA */
	k[17] = 0x10;		/* version 1.0 */
	k[18] = 2;		/* identity protection (Main Mode) */
	put16(k + 26, MM1_LEN);
	memcpy(k + 28, sa, sizeof(sa));
}

int main(int argc, char **argv)
{
	uint32_t dst = 0, base = htonl(0x64400000), nsrc = 65536, i;
	double secs = 10, rate = 0, t0, t;
	static uint8_t pkt[BATCH][PKT_LEN];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned long long sent = 0, seq = 0;
	unsigned long errors = 0;
	int fd, c;

	while ((c = getopt(argc, argv, "d:s:n:t:r:")) != -1) {
		switch (c) {
		case 'd': if (inet_pton(AF_INET, optarg, &dst) != 1) return 2; break;
		case 's': if (inet_pton(AF_INET, optarg, &base) != 1) return 2; break;
		case 'n': nsrc = strtoul(optarg, NULL, 0); break;
		case 't': secs = atof(optarg); break;
		case 'r': rate = atof(optarg); break;
		default: return 2;
		}
	}
	if (!dst || !nsrc) {
		fprintf(stderr, "usage: mm1_flood -d HUB [-s BASE] [-n SOURCES] [-t SECONDS] "
			"[-r PER_SECOND]\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	to.sin_addr.s_addr = dst;
	srandom(getpid());
	for (i = 0; i < BATCH; i++) {
		build(pkt[i], dst);
		iov[i] = (struct iovec){ pkt[i], PKT_LEN };
		m[i].msg_hdr = (struct msghdr){ .msg_name = &to, .msg_namelen = sizeof(to),
						.msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	t0 = now();
	while ((t = now() - t0) < secs) {
		int n;

		if (rate && sent >= rate * t) {
			usleep(1000);
			continue;
		}
		for (i = 0; i < BATCH; i++) {
			uint32_t src = htonl(ntohl(base) + (uint32_t)(seq % nsrc));
			uint8_t *k = pkt[i] + 28;
			long r = random();

			memcpy(pkt[i] + 12, &src, 4);
			memcpy(k, &seq, 4);		/* a fresh initiator cookie each time */
			memcpy(k + 4, &r, 4);
			seq++;
		}
		n = sendmmsg(fd, m, BATCH, 0);
		if (n > 0) {
			sent += n;
		} else {
			errors++;
			if (errno == ENOBUFS || errno == EAGAIN)
				usleep(100);
			else if (errors > 1000) {
				perror("sendmmsg");
				break;
			}
		}
	}
	t = now() - t0;
	printf("sent %llu in %.1f s: %.0f/s (%lu send errors)\n", sent, t, sent / t, errors);
	return sent ? 0 : 1;
}
