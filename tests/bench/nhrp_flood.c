// SPDX-License-Identifier: GPL-2.0
/*
 * nhrp_flood: NHRP Registration and/or Resolution Requests at an NHS as
 * fast as an AF_PACKET socket on an mGRE device takes them (or at a given
 * rate), for the NHRP mode of the flood benchmark (tests/vm/bench-flood.sh).
 *
 * What an attacker can reach: the mgre module takes GRE only out of ESP it
 * decrypted (it has no plain GRE receive path; ip_gre owns that), so NHRP
 * from a spoofed NBMA address never reaches the hub's dmvpnd.  The one who
 * can send NHRP to a hub is a spoke with an SA, i.e. one that knows the
 * pre-shared key: this runs on such a spoke, through its device and SA,
 * with the NHRP password (a compromised spoke knows it too).  Each request
 * names another protocol address, cycling over -n of them from -b on, and
 * two in sixteen one of the -V addresses (the other spokes'): registrations
 * of the first try to fill the hub's cache, of the others to take over
 * established spokes' addresses (registered unique, they must be refused).
 *
 *   nhrp_flood -i DEV -d NHS_NBMA -s OUR_NBMA -o OUR_OVERLAY -O NHS_OVERLAY
 *              -k PASSWORD [-m reg|res|mix] [-b FIRST] [-n ADDRESSES]
 *              [-V VICTIM,...] [-t SECONDS] [-r PER_SECOND]
 *
 * Built with daemon/nhrp/wire.c (the daemon's own codec).  Prints
 * "sent N in T s: R/s" and exits 0 if anything went out.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "nhrp/wire.h"

#define BATCH 32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define VICTIMS_MAX 16

static uint32_t first, naddr = 235;
static uint32_t victim[VICTIMS_MAX];
static int nvictims;

/* the seq-th claimed address: two in 16 a victim's (one of each kind in mix), else the range's */
static void claimed(uint32_t seq, uint8_t out[4])
{
	uint32_t a = nvictims && seq % 16 >= 14 ? victim[seq / 16 % (uint32_t)nvictims] :
		     htonl(ntohl(first) + seq % naddr);

	memcpy(out, &a, 4);
}

static size_t build(uint8_t *buf, size_t cap, bool reg, uint32_t seq, const uint8_t *nbma, const uint8_t *overlay, const uint8_t *nhs_overlay,
		    const char *key)
{
	struct nhrp_msg m;
	uint8_t a[4];

	nhrp_msg_init(&m, reg ? NHRP_REG_REQ : NHRP_RES_REQ);
	m.reqid = seq + 1;
	nhrp_addr_set(&m.src_nbma, nbma, 4);
	claimed(seq, a);
	if (reg) {
		/* "I am 192.168.x.y at this NBMA address" */
		m.flags = NHRP_FLAG_REG_U;
		nhrp_addr_set(&m.src_proto, a, 4);
		nhrp_addr_set(&m.dst_proto, nhs_overlay, 4);
		m.cie.n = 1;
		m.cie.e[0].prefix = 32;
		m.cie.e[0].mtu = 1400;
		m.cie.e[0].holdtime = 7200;
	} else {
		/* "where is 192.168.x.y?" */
		m.flags = NHRP_FLAG_RES_Q | NHRP_FLAG_RES_S;
		nhrp_addr_set(&m.src_proto, overlay, 4);
		nhrp_addr_set(&m.dst_proto, a, 4);
		m.cie.n = 1;
		m.cie.e[0].prefix = 32;
		m.cie.e[0].mtu = 1400;
		m.cie.e[0].holdtime = 7200;
	}
	m.has_responder = m.has_fwd = m.has_rev = true;
	m.has_auth = true;
	m.auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
	m.auth_len = (uint8_t)strlen(key);
	memcpy(m.auth, key, m.auth_len);
	return nhrp_build(&m, buf, cap);
}

int main(int argc, char **argv)
{
	uint8_t nhs[4] = { 0 }, nbma[4] = { 0 }, overlay[4] = { 0 }, nhs_o[4] = { 0 };
	const char *dev = NULL, *key = "", *mode = "mix";
	double secs = 10, rate = 0, t0, t;
	static uint8_t pkt[BATCH][NHRP_PKT_MAX];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(0x2001),
				  .sll_halen = 4 };
	unsigned long long sent = 0, reg_sent = 0;
	unsigned long errors = 0;
	uint32_t seq = 0;
	char *v, *save = NULL;
	int fd, c;

	inet_pton(AF_INET, "192.168.1.20", &first);
	while ((c = getopt(argc, argv, "i:d:s:o:O:k:m:b:n:V:t:r:")) != -1) {
		switch (c) {
		case 'i': dev = optarg; break;
		case 'd': if (inet_pton(AF_INET, optarg, nhs) != 1) return 2; break;
		case 's': if (inet_pton(AF_INET, optarg, nbma) != 1) return 2; break;
		case 'o': if (inet_pton(AF_INET, optarg, overlay) != 1) return 2; break;
		case 'O': if (inet_pton(AF_INET, optarg, nhs_o) != 1) return 2; break;
		case 'k': key = optarg; break;
		case 'm': mode = optarg; break;
		case 'b': if (inet_pton(AF_INET, optarg, &first) != 1) return 2; break;
		case 'n': naddr = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'V':
			for (v = strtok_r(optarg, ",", &save); v && nvictims < VICTIMS_MAX;
			     v = strtok_r(NULL, ",", &save))
				if (inet_pton(AF_INET, v, &victim[nvictims++]) != 1)
					return 2;
			break;
		case 't': secs = atof(optarg); break;
		case 'r': rate = atof(optarg); break;
		default: return 2;
		}
	}
	if (!dev || !nhs[0] || !nbma[0] || !overlay[0] || !nhs_o[0] || !naddr ||
	    strlen(key) > NHRP_AUTH_MAX ||
	    (strcmp(mode, "reg") && strcmp(mode, "res") && strcmp(mode, "mix"))) {
		fprintf(stderr, "usage: nhrp_flood -i DEV -d NHS_NBMA -s OUR_NBMA -o OUR_OVERLAY "
			"-O NHS_OVERLAY -k PASSWORD [-m reg|res|mix] [-b FIRST] [-n ADDRESSES] "
			"[-V VICTIM,...] [-t SECONDS] [-r PER_SECOND]\n");
		return 2;
	}
	to.sll_ifindex = (int)if_nametoindex(dev);
	memcpy(to.sll_addr, nhs, 4);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(0x2001));
	if (fd < 0 || !to.sll_ifindex) {
		perror(fd < 0 ? "socket" : dev);
		return 1;
	}
	for (int i = 0; i < BATCH; i++)
		m[i].msg_hdr = (struct msghdr){ .msg_name = &to, .msg_namelen = sizeof(to),
						.msg_iov = &iov[i], .msg_iovlen = 1 };
	t0 = now();
	while ((t = now() - t0) < secs) {
		int n;

		if (rate && sent >= rate * t) {
			usleep(1000);
			continue;
		}
		for (int i = 0; i < BATCH; i++) {
			bool reg = !strcmp(mode, "reg") || (!strcmp(mode, "mix") && seq % 2 == 0);
			size_t len = build(pkt[i], NHRP_PKT_MAX, reg, seq++, nbma, overlay, nhs_o,
					   key);

			if (!len)
				return 1;
			iov[i] = (struct iovec){ pkt[i], len };
		}
		n = sendmmsg(fd, m, BATCH, 0);
		if (n > 0) {
			sent += (unsigned int)n;
			for (int i = 0; i < n; i++)
				reg_sent += pkt[i][17] == NHRP_REG_REQ;
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
	printf("sent %llu in %.1f s: %.0f/s (%llu registration, %llu resolution requests; "
	       "%lu send errors)\n", sent, t, sent / t, reg_sent, sent - reg_sent, errors);
	return sent ? 0 : 1;
}
