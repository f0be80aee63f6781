// SPDX-License-Identifier: GPL-2.0
/*
 * spokes: N lightweight DMVPN spokes in one process and one event loop,
 * for the hub benchmark (tests/vm/bench-spokes.sh).  Each spoke has its
 * own NBMA address (all of them local addresses of the simulator's
 * namespace) and overlay address, and speaks the real protocols over real
 * sockets:
 *
 *   1. IKEv1 Main Mode + Quick Mode with the hub, by dmvpnd's own IKE
 *      engine (daemon/ike, one engine for all the spokes, as a hub's
 *      engine holds all its peers): UDP 500 on one socket, each spoke's
 *      source address chosen per datagram (IP_PKTINFO).  All N start at
 *      once; the engine retransmits as it does in dmvpnd.
 *   2. (full mode) the negotiated ESP keys as XFRM transport-mode states,
 *      and one policy: GRE from the spokes to the hub goes through ESP
 *      (ip -batch, one command a state).
 *   3. (full mode) a Registration Request per spoke built by dmvpnd's NHRP
 *      codec (daemon/nhrp/wire.c) as IOS builds it (seed 004: unique, NAT
 *      flag, prefix 32, the responder and transit extensions, cleartext
 *      authentication), sent as GRE (protocol 0x2001, the hub's key) on a
 *      raw socket from the spoke's address, encrypted by XFRM; the replies
 *      come back through XFRM's decapsulation and are counted.  A spoke
 *      not answered sends again after RETRY seconds (1), then twice as long
 *      each time up to 64 x RETRY, as dmvpnd's spokes do.
 *
 *   spokes -c CONF -H HUB_NBMA -O HUB_OVERLAY -n N [-s FIRST_NBMA]
 *          [-o FIRST_OVERLAY] [-m ike|full] [-t SECONDS] [-k KEY] [-a PASSWORD]
 *          [-r RETRY_SECONDS] [-w]
 *
 * CONF is a spoke's dmvpnd.conf: its crypto isakmp policy and key, and the
 * first interface's ipsec profile, are what every spoke negotiates.
 * With -w it stops before phases 2 and 3 until a line comes on stdin (the
 * caller measures the hub in between).  Addresses count up from FIRST_NBMA (10.1.0.1) and FIRST_OVERLAY
 * (192.168.2.1).  Prints the wall clock at the start ("start: S.N"), then
 * one line a phase:
 *   ike: N of N in S s: R/s (cpu S s, sent N, retransmits N)
 *   xfrm: N states in S s
 *   nhrp: registered N of N in S s: R/s (requests N, replies N, refused N)
 * and exits 0 if every spoke got through every phase.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "conf/conf.h"
#include "ike/ike.h"
#include "lib/log.h"
#include "nhrp/wire.h"

#define GRE_PROTO_NHRP	0x2001
#define GRE_FLAG_CSUM	0x8000
#define GRE_FLAG_KEY	0x2000
#define GRE_FLAG_SEQ	0x1000
#define SOCK_BUF	(16 << 20)

struct spoke {
	uint32_t nbma, overlay;		/* network order */
	struct ike_path path;
	struct p2_prot prot;
	uint32_t spi_in, spi_out;
	uint8_t key_in[128], key_out[128];
	size_t enc_len, auth_len;
	uint8_t esp_id;			/* as negotiated (struct p2_attrs) */
	uint16_t auth;
	bool in, out;			/* its SAs as the engine handed them over */
	bool established, registered;
	int reg_sent;
	double reg_next;		/* when to send (again), s from the phase's start */
};

static struct {
	struct ike ike;
	struct conf conf;
	struct ike_gre gre;
	struct spoke *s;
	int n;
	uint32_t nbma0, hub, hub_overlay;
	int udp, gre_fd;
	int established;
	unsigned long sent, send_err;
} S;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int64_t now_ms(void)
{
	return (int64_t)(now_s() * 1000);
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static uint32_t add(uint32_t be, uint32_t i)
{
	return htonl(ntohl(be) + i);
}

/* The spoke whose NBMA address a path's local end is, or NULL. */
static struct spoke *spoke_of(const struct sockaddr_storage *local)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)local;
	long i;

	if (local->ss_family != AF_INET)
		return NULL;
	i = (long)ntohl(sin->sin_addr.s_addr) - (long)ntohl(S.nbma0);
	return i >= 0 && i < S.n ? &S.s[i] : NULL;
}

/* Send from the path's local address (one socket for all the spokes). */
static int sock_send(int fd, uint32_t from, const struct sockaddr_in *to, const void *p, size_t n)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cb;
	struct iovec iov = { .iov_base = (void *)p, .iov_len = n };
	struct msghdr m = {
		.msg_name = (void *)to, .msg_namelen = sizeof(*to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cb.b, .msg_controllen = sizeof(cb.b),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	struct in_pktinfo pi = { .ipi_spec_dst.s_addr = from };

	memset(cb.b, 0, sizeof(cb.b));
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	for (int tries = 0; tries < 1000; tries++) {
		if (sendmsg(fd, &m, 0) >= 0)
			return 0;
		if (errno != ENOBUFS && errno != EAGAIN)
			return -errno;
		usleep(1000);
	}
	return -ENOBUFS;
}

static int h_send(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n)
{
	const struct sockaddr_in *l = (const struct sockaddr_in *)&path->local;
	const struct sockaddr_in *r = (const struct sockaddr_in *)&path->remote;
	int err;

	if (path->local.ss_family != AF_INET || addr_port(&path->local) != ISAKMP_PORT)
		return -EAFNOSUPPORT;	/* no NAT here: the spokes speak from port 500 */
	err = sock_send(S.udp, l->sin_addr.s_addr, r, p, n);
	if (err)
		S.send_err++;
	else
		S.sent++;
	return err;
}

static int h_spi(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot,
		 uint32_t *spi)
{
	static uint32_t next = 0x10000;

	*spi = next++;
	return 0;
}

static int h_add(struct ike *ike, const struct child *c, bool inbound, const uint8_t *enc,
		 size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	struct spoke *s = spoke_of(&c->path.local);
	uint8_t *k;

	if (!s || enc_len + auth_len > sizeof(s->key_in))
		return -EINVAL;
	k = inbound ? s->key_in : s->key_out;
	memcpy(k, enc, enc_len);
	memcpy(k + enc_len, auth, auth_len);
	s->enc_len = enc_len;
	s->auth_len = auth_len;
	s->esp_id = c->a.esp_id;
	s->auth = c->a.auth;
	if (inbound) {
		s->spi_in = c->spi_in;
		s->in = true;
	} else {
		s->spi_out = c->spi_out;
		s->out = true;
	}
	if (s->in && s->out && !s->established) {
		s->established = true;
		S.established++;
	}
	return 0;
}

static int h_del(struct ike *ike, const struct child *c, bool inbound)
{
	return 0;
}

static const struct ike_ops ops = { h_send, h_spi, h_add, h_del };

static void udp_read(void)
{
	for (int burst = 0; burst < 256; burst++) {
		union {
			char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} cb;
		static uint8_t buf[IKE_PKT_MAX];
		struct sockaddr_in from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cb.b, .msg_controllen = sizeof(cb.b),
		};
		struct ike_path path;
		ssize_t r = recvmsg(S.udp, &m, MSG_DONTWAIT);
		bool have_dst = false;

		if (r < 0)
			return;
		memset(&path, 0, sizeof(path));
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			struct in_pktinfo pi;

			if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO)
				continue;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			addr_set(&path.local, AF_INET, &pi.ipi_addr, ISAKMP_PORT);
			have_dst = true;
		}
		if (!have_dst || !spoke_of(&path.local))
			continue;
		addr_set(&path.remote, AF_INET, &from.sin_addr, ntohs(from.sin_port));
		S.ike.now = now_ms();
		ike_input(&S.ike, &path, buf, (size_t)r);
	}
}

/* Phase 1: Main Mode + Quick Mode for every spoke at once, until all are done. */
static double phase_ike(double timeout)
{
	double t0 = now_s(), c0 = cpu_s(), t;
	unsigned long retrans;
	struct timespec wall;

	clock_gettime(CLOCK_REALTIME, &wall);
	printf("start: %lld.%09ld\n", (long long)wall.tv_sec, wall.tv_nsec);
	fflush(stdout);
	S.ike.now = now_ms();
	for (int i = 0; i < S.n; i++)
		if (ike_acquire(&S.ike, &S.s[i].path, &S.s[i].prot))
			fprintf(stderr, "spoke %d: acquire refused\n", i);
	while (S.established < S.n && now_s() - t0 < timeout) {
		struct pollfd p = { .fd = S.udp, .events = POLLIN };
		int64_t next;

		S.ike.now = now_ms();
		next = ike_tick(&S.ike);
		if (next < 0 || next > 100)
			next = 100;
		if (poll(&p, 1, (int)next) > 0)
			udp_read();
	}
	t = now_s() - t0;
	/* every spoke sends MM1, MM3, MM5, QM1, QM3 once: the rest went again */
	retrans = S.sent > 5UL * (unsigned long)S.n ? S.sent - 5UL * (unsigned long)S.n : 0;
	printf("ike: %d of %d in %.2f s: %.1f/s (cpu %.2f s, sent %lu, retransmits %lu, send errors %lu)\n",
	       S.established, S.n, t, t > 0 ? S.established / t : 0, cpu_s() - c0, S.sent,
	       retrans, S.send_err);
	fflush(stdout);
	return t;
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	fputs("0x", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* XFRM's names for the negotiated ESP algorithms; -1 if not one of these. */
static int xfrm_algs(const struct spoke *s, const char **enc, const char **auth,
		     unsigned int *trunc)
{
	switch (s->esp_id) {
	case ESP_3DES: *enc = "cbc(des3_ede)"; break;
	case ESP_AES: *enc = "cbc(aes)"; break;
	default: return -1;
	}
	switch (s->auth) {
	case AUTH_HMAC_MD5: *auth = "hmac(md5)"; *trunc = 96; break;
	case AUTH_HMAC_SHA: *auth = "hmac(sha1)"; *trunc = 96; break;
	case AUTH_HMAC_SHA2_256: *auth = "hmac(sha256)"; *trunc = 128; break;
	default: return -1;
	}
	return 0;
}

static int state_line(FILE *f, const struct spoke *s, bool inbound)
{
	uint32_t src = inbound ? S.hub : s->nbma, dst = inbound ? s->nbma : S.hub;
	uint32_t spi = inbound ? s->spi_in : s->spi_out;
	const uint8_t *k = inbound ? s->key_in : s->key_out;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	const char *enc, *auth;
	unsigned int trunc;

	if (xfrm_algs(s, &enc, &auth, &trunc))
		return -1;
	inet_ntop(AF_INET, &src, a, sizeof(a));
	inet_ntop(AF_INET, &dst, b, sizeof(b));
	fprintf(f, "xfrm state add src %s dst %s proto esp spi 0x%08x mode transport enc '%s' ",
		a, b, spi, enc);
	hex(f, k, s->enc_len);
	fprintf(f, " auth-trunc '%s' ", auth);
	hex(f, k + s->enc_len, s->auth_len);
	fprintf(f, " %u\n", trunc);
	return 0;
}

/* Phase 2: the SAs into XFRM (transport mode), one policy for GRE to the hub. */
static int phase_xfrm(void)
{
	char hub[INET_ADDRSTRLEN];
	double t0 = now_s();
	int states = 0, rc;
	FILE *f;

	f = popen("ip -batch -", "w");
	if (!f)
		return -1;
	inet_ntop(AF_INET, &S.hub, hub, sizeof(hub));
	for (int i = 0; i < S.n; i++) {
		struct spoke *s = &S.s[i];

		if (!s->established)
			continue;
		if (state_line(f, s, false) || state_line(f, s, true)) {
			fprintf(stderr, "spoke %d: ESP transform %u/%u has no XFRM name here\n",
				(int)(s - S.s), s->esp_id, s->auth);
			continue;
		}
		states += 2;
	}
	/* transport mode: the template's addresses are the packet's (each spoke's state) */
	fprintf(f, "xfrm policy add src 0.0.0.0/0 dst %s/32 proto gre dir out tmpl proto esp mode transport\n",
		hub);
	rc = pclose(f);
	printf("xfrm: %d states in %.2f s%s\n", states, now_s() - t0, rc ? " (ip -batch failed)" : "");
	fflush(stdout);
	return rc ? -1 : 0;
}

/* GRE (the hub's key) + the Registration Request of spoke s. */
static size_t reg_build(uint8_t *b, size_t cap, const struct spoke *s, uint32_t key,
			const char *auth, uint32_t reqid)
{
	struct nhrp_msg m;
	size_t n, h = 8;

	nhrp_msg_init(&m, NHRP_REG_REQ);
	m.flags = NHRP_FLAG_REG_U | NHRP_FLAG_NAT;
	m.reqid = reqid;
	nhrp_addr_set(&m.src_nbma, &s->nbma, 4);
	nhrp_addr_set(&m.src_proto, &s->overlay, 4);
	nhrp_addr_set(&m.dst_proto, &S.hub_overlay, 4);
	m.cie.n = 1;
	m.cie.e[0].prefix = 32;
	m.cie.e[0].mtu = 1400;
	m.cie.e[0].holdtime = 7200;
	m.has_responder = m.has_fwd = m.has_rev = true;
	if (auth && *auth) {
		m.has_auth = true;
		m.auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
		m.auth_len = (uint8_t)strlen(auth);
		memcpy(m.auth, auth, m.auth_len);
	}
	n = nhrp_build(&m, b + h, cap - h);
	if (!n)
		return 0;
	b[0] = GRE_FLAG_KEY >> 8;
	b[1] = 0;
	b[2] = GRE_PROTO_NHRP >> 8;
	b[3] = GRE_PROTO_NHRP & 0xff;
	memcpy(b + 4, &key, 4);
	return h + n;
}

/* A GRE packet the raw socket read (IPv4 header first): a Registration Reply? */
static void gre_in(const uint8_t *p, size_t r, int *replies, int *refused, int *done)
{
	size_t ihl, off;
	uint16_t flags;
	struct nhrp_msg m;
	uint32_t dst;
	struct spoke *s;
	struct sockaddr_storage ss;

	if (r < 20)
		return;
	ihl = (size_t)(p[0] & 0xf) * 4;
	if (r < ihl + 4 || p[ihl + 2] != GRE_PROTO_NHRP >> 8 || p[ihl + 3] != (GRE_PROTO_NHRP & 0xff))
		return;
	flags = (uint16_t)(p[ihl] << 8 | p[ihl + 1]);
	off = ihl + 4 + ((flags & GRE_FLAG_CSUM) ? 4 : 0) + ((flags & GRE_FLAG_KEY) ? 4 : 0) +
	      ((flags & GRE_FLAG_SEQ) ? 4 : 0);
	if (r <= off || nhrp_parse(p + off, r - off, &m) != NHRP_OK ||
	    m.type != NHRP_REG_REP)
		return;
	(*replies)++;
	memcpy(&dst, p + 16, 4);
	addr_set(&ss, AF_INET, &dst, 0);
	s = spoke_of(&ss);
	if (!s || s->registered)
		return;
	if (!m.cie.n || m.cie.e[0].code != 0) {
		(*refused)++;
		return;
	}
	s->registered = true;
	(*done)++;
}

/* Phase 3: a registration from every established spoke, until all are answered. */
static int phase_nhrp(uint32_t key, const char *auth, double retry, double timeout)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = S.hub };
	int want = 0, done = 0, replies = 0, refused = 0, requests = 0, sz = SOCK_BUF;
	double t0;
	uint8_t pkt[2048];

	S.gre_fd = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	if (S.gre_fd < 0) {
		perror("raw GRE socket");
		return -1;
	}
	setsockopt(S.gre_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	setsockopt(S.gre_fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	for (int i = 0; i < S.n; i++)
		want += S.s[i].established;
	t0 = now_s();
	while (done < want && now_s() - t0 < timeout) {
		struct pollfd p = { .fd = S.gre_fd, .events = POLLIN };

		for (int i = 0; i < S.n; i++) {
			struct spoke *s = &S.s[i];
			size_t len;

			if (!s->established || s->registered || now_s() - t0 < s->reg_next)
				continue;
			len = reg_build(pkt, sizeof(pkt), s, key, auth, (uint32_t)i + 1);
			if (!len || sock_send(S.gre_fd, s->nbma, &to, pkt, len)) {
				fprintf(stderr, "spoke %d: registration not sent\n", i);
				continue;
			}
			/* not answered: again after RETRY, then twice as long each time */
			s->reg_next = now_s() - t0 + retry * (1 << (s->reg_sent < 6 ? s->reg_sent : 6));
			s->reg_sent++;
			requests++;
		}
		if (poll(&p, 1, 50) <= 0)
			continue;
		for (;;) {
			ssize_t r = recv(S.gre_fd, pkt, sizeof(pkt), MSG_DONTWAIT);

			if (r < 0)
				break;
			gre_in(pkt, (size_t)r, &replies, &refused, &done);
		}
	}
	{
		double t = now_s() - t0;

		printf("nhrp: registered %d of %d in %.2f s: %.1f/s (requests %d, replies %d, refused %d)\n",
		       done, S.n, t, t > 0 ? done / t : 0, requests, replies, refused);
	}
	fflush(stdout);
	return done == S.n ? 0 : -1;
}

/* -w: the caller measures the hub between phases; go on at a line on stdin */
static void pause_for(bool wait, const char *next)
{
	char b[64];

	if (!wait)
		return;
	printf("waiting before %s\n", next);
	fflush(stdout);
	if (!fgets(b, sizeof(b), stdin))
		return;
}

static void usage(const char *me)
{
	fprintf(stderr,
		"usage: %s -c CONF -H HUB_NBMA -O HUB_OVERLAY -n N [-s FIRST_NBMA] [-o FIRST_OVERLAY]\n"
		"       [-m ike|full] [-t SECONDS] [-k KEY] [-a PASSWORD] [-r RETRY_SECONDS] [-w]\n", me);
}

int main(int argc, char **argv)
{
	const char *conf = NULL, *mode = "full", *auth = NULL;
	uint32_t overlay0 = htonl(0xc0a80201), key = 0;
	double timeout = 300, retry = 1;
	char err[256];
	int o, one = 1, sz = SOCK_BUF, rc = 0;
	bool wait = false;
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(ISAKMP_PORT) };

	S.nbma0 = htonl(0x0a010001);
	while ((o = getopt(argc, argv, "c:H:O:n:s:o:m:t:k:a:r:w")) != -1) {
		switch (o) {
		case 'c': conf = optarg; break;
		case 'H': if (inet_pton(AF_INET, optarg, &S.hub) != 1) S.hub = 0; break;
		case 'O': if (inet_pton(AF_INET, optarg, &S.hub_overlay) != 1) S.hub_overlay = 0; break;
		case 'n': S.n = atoi(optarg); break;
		case 's': if (inet_pton(AF_INET, optarg, &S.nbma0) != 1) S.nbma0 = 0; break;
		case 'o': if (inet_pton(AF_INET, optarg, &overlay0) != 1) overlay0 = 0; break;
		case 'm': mode = optarg; break;
		case 't': timeout = atof(optarg); break;
		case 'k': key = htonl((uint32_t)strtoul(optarg, NULL, 0)); break;
		case 'a': auth = optarg; break;
		case 'r': retry = atof(optarg); break;
		case 'w': wait = true; break;
		default: usage(argv[0]); return 2;
		}
	}
	if (!conf || !S.hub || !S.hub_overlay || S.n <= 0 || S.n > 65536 || !S.nbma0 || !overlay0 ||
	    (strcmp(mode, "ike") && strcmp(mode, "full")) || (auth && strlen(auth) > NHRP_AUTH_MAX)) {
		usage(argv[0]);
		return 2;
	}
	log_open(true, false);
	log_max_prio = LOG_WARNING;
	if (conf_load(conf, &S.conf, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (!S.conf.nifaces || !S.conf.ifaces[0].profile[0]) {
		fprintf(stderr, "%s: no interface with tunnel protection\n", conf);
		return 2;
	}
	ike_init(&S.ike, &S.conf, &ops, NULL);
	/* one mGRE device, its tunnel source any of the spokes' addresses */
	S.gre.ifindex = 1;
	snprintf(S.gre.profile, sizeof(S.gre.profile), "%s", S.conf.ifaces[0].profile);
	if (ike_set_gre(&S.ike, &S.gre, 1))
		return 1;
	S.s = calloc((size_t)S.n, sizeof(*S.s));
	if (!S.s)
		return 1;
	for (int i = 0; i < S.n; i++) {
		struct spoke *s = &S.s[i];

		s->nbma = add(S.nbma0, (uint32_t)i);
		s->overlay = add(overlay0, (uint32_t)i);
		addr_set(&s->path.local, AF_INET, &s->nbma, ISAKMP_PORT);
		addr_set(&s->path.remote, AF_INET, &S.hub, ISAKMP_PORT);
		ike_prot_gre(&S.gre, &s->path, &s->prot);
	}
	S.udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (S.udp < 0 || setsockopt(S.udp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(S.udp, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    bind(S.udp, (struct sockaddr *)&any, sizeof(any))) {
		perror("UDP 500");
		return 1;
	}
	setsockopt(S.udp, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	setsockopt(S.udp, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));

	phase_ike(timeout);
	if (S.established < S.n)
		rc = 1;
	if (!strcmp(mode, "full") && S.established) {
		pause_for(wait, "xfrm");
		if (phase_xfrm())
			rc = 1;
		pause_for(wait, "nhrp");
		if (phase_nhrp(key, auth, retry, timeout))
			rc = 1;
	}
	ike_fini(&S.ike);
	conf_free(&S.conf);
	free(S.s);
	return rc;
}
