// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's show commands (dmvpnd/show_*.c, ctl_answer.c) against seed
 * 004's layouts, with real engine state: a hub and a spoke (seed 004's
 * configuration), each a struct daemon whose IKE engines talk over an
 * in-memory wire and whose NHRP engines register over another.  The
 * kernel is faked at its interface (kern_sa_dump, kern_peer_get,
 * xfrm_sa_stats, if_indextoname): the SAs the engine installed, with
 * packet counters the test sets, on device 7, "dmvpn0", which the
 * configuration calls Tunnel0 (the views print IOS's name).
 *
 * Each output is held against the seed: its fixed lines word for word,
 * and each table row's fields at their header's columns.  Also: the empty
 * views, clear crypto session, the debug flags, and show running-config
 * (secrets masked, the printed text parsed back to the same configuration).
 * The JSON answers go to argv[1] for run.sh to check they parse.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "conf/conf_show.h"
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"

#define IFINDEX 7
#define NKSA 16

/* ---- the fake kernel: the SAs a daemon installed, with counters ---- */

struct fake_sa {
	bool used, inbound;
	uint32_t spi, nbma;
	uint64_t stats[MGRE_STATS_A_MAX + 1];
};

struct node {
	struct daemon d;
	const char *nbma;
	struct fake_sa ksa[NKSA];
	uint32_t next_spi;
	struct node *peer;
};

static struct node H, S;	/* the hub 172.16.10.1, the spoke 172.16.1.1 */
static int64_t clock_ms = 5000000;

static struct node *node_of_kern(const struct kern *k)
{
	return k == &H.d.kern ? &H : &S;
}

int kern_sa_dump(struct kern *k, int ifindex, void (*fn)(const struct mgre_sa_info *sa, void *arg),
		 void *arg)
{
	struct node *n = node_of_kern(k);

	for (int i = 0; i < NKSA; i++) {
		struct mgre_sa_info sa = { .ifindex = ifindex };

		if (!n->ksa[i].used)
			continue;
		sa.nbma = n->ksa[i].nbma;
		sa.spi = n->ksa[i].spi;
		sa.dir = n->ksa[i].inbound ? MGRE_DIR_IN : MGRE_DIR_OUT;
		sa.stats.present = true;
		memcpy(sa.stats.v, n->ksa[i].stats, sizeof(sa.stats.v));
		fn(&sa, arg);
	}
	return 0;
}

int kern_peer_get(struct kern *k, int ifindex, uint32_t nbma, struct mgre_peer_info *p)
{
	memset(p, 0, sizeof(*p));
	p->ifindex = ifindex;
	p->nbma = nbma;
	p->pmtu = 1500;		/* the underlay's, as the module learns it */
	return 0;
}

/* XFRM's SAs (a VTI's): the same table, by SPI (the test's are unique per node) */
int xfrm_sa_stats(struct xfrm *x, int family, const uint8_t *dst, uint32_t spi,
		  struct xfrm_counters *st)
{
	struct node *n = x == &H.d.xfrm ? &H : &S;

	for (int i = 0; i < NKSA; i++)
		if (n->ksa[i].used && n->ksa[i].spi == spi) {
			const uint64_t *v = n->ksa[i].stats;

			st->packets = v[n->ksa[i].inbound ? MGRE_STATS_A_RX_PACKETS :
					  MGRE_STATS_A_TX_PACKETS];
			st->bytes = v[n->ksa[i].inbound ? MGRE_STATS_A_RX_BYTES :
					MGRE_STATS_A_TX_BYTES];
			st->replay_failed = v[MGRE_STATS_A_REPLAY];
			st->integrity_failed = v[MGRE_STATS_A_AUTH_FAIL];
			return 0;
		}
	return -ENOENT;
}

char *if_indextoname(unsigned int ifindex, char buf[IF_NAMESIZE])
{
	if (ifindex != IFINDEX)
		return NULL;
	return strcpy(buf, "dmvpn0");	/* "linux interface Tunnel0 dmvpn0": IOS's Tunnel0 */
}

static struct fake_sa *ksa(struct node *n, uint32_t spi, bool inbound)
{
	for (int i = 0; i < NKSA; i++)
		if (n->ksa[i].used && n->ksa[i].spi == spi && n->ksa[i].inbound == inbound)
			return &n->ksa[i];
	return NULL;
}

/* ---- the IKE wire ---- */

struct pkt {
	struct node *to;
	struct ike_path path;	/* as the receiver sees it */
	uint8_t b[IKE_PKT_MAX];
	size_t n;
};

static struct pkt wire[32];
static int nwire;

static int w_send(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n)
{
	struct node *me = ike->priv;

	if (nwire == 32 || n > IKE_PKT_MAX)
		return -1;
	wire[nwire].to = me->peer;
	wire[nwire].path.local = path->remote;
	wire[nwire].path.remote = path->local;
	memcpy(wire[nwire].b, p, n);
	wire[nwire].n = n;
	nwire++;
	return 0;
}

static int w_spi(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot,
		 uint32_t *spi)
{
	struct node *me = ike->priv;

	*spi = me->next_spi++;
	return 0;
}

static int w_add(struct ike *ike, const struct child *c, bool inbound, const uint8_t *enc,
		 size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	struct node *me = ike->priv;

	for (int i = 0; i < NKSA; i++) {
		struct fake_sa *s = &me->ksa[i];

		if (s->used)
			continue;
		memset(s, 0, sizeof(*s));
		s->used = true;
		s->inbound = inbound;
		s->spi = inbound ? c->spi_in : c->spi_out;
		if (c->path.remote.ss_family == AF_INET)
			s->nbma = ((const struct sockaddr_in *)&c->path.remote)->sin_addr.s_addr;
		return 0;
	}
	return -1;
}

static int w_del(struct ike *ike, const struct child *c, bool inbound)
{
	struct node *me = ike->priv;
	struct fake_sa *s = ksa(me, inbound ? c->spi_in : c->spi_out, inbound);

	if (s)
		s->used = false;
	return 0;
}

static const struct ike_ops w_ops = { w_send, w_spi, w_add, w_del };

static void pump(void)
{
	for (int k = 0; nwire && k < 100; k++) {
		struct pkt p = wire[0];

		memmove(wire, wire + 1, sizeof(wire[0]) * (size_t)--nwire);
		p.to->d.ike.now = clock_ms;
		ike_input(&p.to->d.ike, &p.path, p.b, p.n);
	}
}

/* ---- the NHRP wire ---- */

struct npkt {
	struct node *to, *from;
	size_t len;
	uint8_t b[NHRP_PKT_MAX];
};

static struct npkt nq[16];
static int nnq;

static struct nhrp_addr A(const char *s)
{
	struct nhrp_addr a = { 0 };
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1)
		nhrp_addr_set(&a, b, 4);
	else if (inet_pton(AF_INET6, s, b) == 1)
		nhrp_addr_set(&a, b, 16);
	return a;
}

static int h_send(void *ctx, int ifindex, const struct nhrp_addr *nbma, const uint8_t *p,
		  size_t len)
{
	struct node *me = ctx;

	if (nnq == 16 || len > NHRP_PKT_MAX)
		return -1;
	nq[nnq].to = me->peer;
	nq[nnq].from = me;
	nq[nnq].len = len;
	memcpy(nq[nnq].b, p, len);
	nnq++;
	return 0;
}

static void h_neigh(void *ctx, int ifindex, const struct nhrp_addr *proto,
		    const struct nhrp_addr *nbma)
{
}

static void h_mcast(void *ctx, int ifindex, const struct nhrp_addr *nbma, bool add)
{
}

static void h_route(void *ctx, int ifindex, const struct nhrp_addr *prefix, uint8_t plen,
		    const struct nhrp_addr *via, bool add)
{
}

/* ready once IKE installed a pair with the peer (dmvpnd: its outbound SA is in) */
static bool h_sa_ready(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	struct node *me = ctx;

	for (struct child *c = me->d.ike.children; c; c = c->next)
		if (!memcmp(&((struct sockaddr_in *)&c->path.remote)->sin_addr, nbma->a, 4))
			return true;
	return false;
}

static int64_t h_last_used(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	return -1;
}

static void h_peer_gone(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
}

static uint32_t h_reqid(void *ctx, uint32_t count)
{
	static uint32_t next = 65540;	/* seed 004's first request id */
	uint32_t first = next;

	next += count;
	return first;
}

static int h_route_get(void *ctx, int ifindex, const struct nhrp_addr *dst,
		       struct nhrp_addr *via, uint8_t *plen)
{
	return -1;
}

static const struct nhrp_hooks hooks = {
	h_send, h_neigh, h_mcast, h_route, h_sa_ready, h_last_used, h_peer_gone, h_reqid,
	h_route_get,
};

static void deliver(void)
{
	for (int k = 0; nnq && k < 100; k++) {
		struct npkt p = nq[0];
		struct nhrp_addr from = A(p.from->nbma);

		memmove(nq, nq + 1, sizeof(nq[0]) * (size_t)--nnq);
		p.to->d.nhrp.now = clock_ms;
		nhrp_input(&p.to->d.nhrp, IFINDEX, &from, p.b, p.len);
	}
}

/* ---- seed 004's two routers ---- */

#define CRYPTO								\
	"linux interface Tunnel0 dmvpn0\n"					\
	"crypto isakmp policy 1\n encr 3des\n hash sha\n authentication pre-share\n" \
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"		\
	"crypto ipsec transform-set DMVPN-TSET esp-3des esp-sha-hmac\n mode transport\n" \
	"crypto ipsec profile DMVPN-IPSEC\n set transform-set DMVPN-TSET\n"

static const char hub_conf[] = CRYPTO
	"interface Tunnel0\n ip address 10.1.1.254 255.255.255.0\n no ip redirects\n"
	" ip mtu 1400\n ip nhrp authentication NHRPAUTH\n ip nhrp map multicast dynamic\n"
	" ip nhrp network-id 1\n ip tcp adjust-mss 1360\n no ip split-horizon eigrp 1\n"
	" tunnel source Ethernet0/0\n tunnel mode gre multipoint\n tunnel key 1\n"
	" tunnel protection ipsec profile DMVPN-IPSEC\nend\n"
	"interface Ethernet0/0\n ip address 172.16.10.1 255.255.255.0\nend\n"
	"router eigrp 1\n network 10.1.1.0 0.0.0.255\n";

static const char spoke_conf[] = CRYPTO
	"interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip mtu 1400\n"
	" ip nhrp authentication NHRPAUTH\n ip nhrp map 10.1.1.254 172.16.10.1\n"
	" ip nhrp network-id 1\n ip nhrp nhs 10.1.1.254\n ip tcp adjust-mss 1360\n"
	" tunnel source Ethernet0/0\n tunnel destination 172.16.10.1\n tunnel key 1\n"
	" tunnel protection ipsec profile DMVPN-IPSEC\nend\n"
	"interface Ethernet0/0\n ip address 172.16.1.1 255.255.255.0\nend\n";

static void sa_addr(struct sockaddr_storage *ss, const char *a)
{
	uint8_t b[4];

	inet_pton(AF_INET, a, b);
	addr_set(ss, AF_INET, b, 500);
}

static void node_fini(struct node *n)
{
	nhrp_fini(&n->d.nhrp);
	ike_fini(&n->d.ike);
	conf_free(&n->d.conf);
}

static int node_up(struct node *n, struct node *peer, const char *conf, const char *nbma,
		   const char *proto, const char *p2p_dst, uint32_t spi_base)
{
	struct nhrp_if_conf c = { 0 };
	struct ike_gre g = { .ifindex = IFINDEX };
	char err[256];

	memset(n, 0, sizeof(*n));
	n->nbma = nbma;
	n->peer = peer;
	n->next_spi = spi_base;
	if (conf_parse("seed004.conf", conf, &n->d.conf, err, sizeof(err))) {
		printf("#   %s\n", err);
		return -1;
	}
	n->d.kern_up = true;	/* the fake one above */
	ike_init(&n->d.ike, &n->d.conf, &w_ops, n);
	n->d.ike.now = clock_ms;
	snprintf(g.profile, sizeof(g.profile), "DMVPN-IPSEC");
	sa_addr(&g.local, nbma);
	if (ike_set_gre(&n->d.ike, &g, 1) || nhrp_init(&n->d.nhrp, &hooks, n))
		return -1;
	n->d.nhrp_on = true;
	n->d.nhrp.now = clock_ms;
	/* the interface as nhrp_glue.c makes it from the configuration */
	c.ifindex = IFINDEX;
	snprintf(c.name, sizeof(c.name), "Tunnel0");
	c.nbma = A(nbma);
	c.proto = A(proto);
	c.plen = 24;
	if (p2p_dst)
		c.p2p_dst = A(p2p_dst);
	c.mtu = 1400;
	c.protected = true;
	c.p = &n->d.conf.ifaces[0].nhrp;
	return nhrp_if_set(&n->d.nhrp, &c) ? 0 : -1;
}

static void advance(int64_t ms)
{
	for (int64_t t = 0; t < ms; t += 500) {
		clock_ms += 500;
		H.d.ike.now = S.d.ike.now = H.d.nhrp.now = S.d.nhrp.now = clock_ms;
		ike_tick(&H.d.ike);
		ike_tick(&S.d.ike);
		nhrp_tick(&H.d.nhrp);
		nhrp_tick(&S.d.nhrp);
		pump();
		deliver();
	}
}

/* ---- running a command, reading its answer ---- */

static char *run(struct node *n, const char *line)
{
	struct ctl_req r;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f || ctl_parse(line, &r)) {
		printf("#   not a command: %s\n", line);
		exit(1);
	}
	n->d.ike.now = n->d.nhrp.now = clock_ms;
	ctl_answer(&n->d, &r, f);
	fclose(f);
	if (getenv("SHOW_PRINT"))	/* SHOW_PRINT=1: every answer, to read them side by side */
		printf("%s# %s\n%s\n", n == &H ? "Hub" : "Spoke1", line, out);
	return out;
}

/* The line of out that starts with prefix (a copy in buf), or NULL. */
static const char *line_at(const char *out, const char *prefix, char *buf, size_t len)
{
	size_t pl = strlen(prefix);

	for (const char *p = out; *p; ) {
		size_t n = strcspn(p, "\n");

		if (n >= pl && !strncmp(p, prefix, pl)) {
			snprintf(buf, len, "%.*s", (int)n, p);
			return buf;
		}
		p += n + (p[n] == '\n');
	}
	return NULL;
}

static bool has_line(const char *out, const char *prefix)
{
	char buf[512];
	bool ok = line_at(out, prefix, buf, sizeof(buf));

	if (!ok)
		printf("#   no line \"%s\" in:\n%s", prefix, out);
	return ok;
}

/* The whole line, exactly. */
static bool has_exact(const char *out, const char *line)
{
	char buf[512];
	bool ok = line_at(out, line, buf, sizeof(buf)) && !strcmp(buf, line);

	if (!ok)
		printf("#   no line exactly \"%s\" in:\n%s", line, out);
	return ok;
}

/*
 * A table row against its header: the i-th value starts at the column
 * where the header's i-th name starts (left-aligned columns, IOS's
 * "show crypto isakmp sa detail").
 */
static bool at_columns(const char *header, const char *row, const char *const *names,
		       const char *const *values, int n)
{
	for (int i = 0; i < n; i++) {
		const char *h = strstr(header, names[i]);
		size_t col = h ? (size_t)(h - header) : 0;

		if (!h || strlen(row) < col || strncmp(row + col, values[i], strlen(values[i])) ||
		    (col && row[col - 1] != ' ')) {
			printf("#   column %s (%zu): want \"%s\"\n#   %s\n#   %s\n", names[i], col,
			       values[i], header, row);
			return false;
		}
	}
	return true;
}

/*
 * A row against a dashed rule ("----- --------------- ..."): the i-th
 * field, right-aligned in the i-th run of dashes as IOS prints show dmvpn.
 */
static bool in_rule(const char *rule, const char *row, const char *const *values, int n)
{
	const char *p = rule;

	for (int i = 0; i < n; i++) {
		size_t start, end, vl = strlen(values[i]);

		p += strspn(p, " ");
		start = (size_t)(p - rule);
		p += strspn(p, "-");
		end = (size_t)(p - rule);
		if (end == start || strlen(row) < end || end - start < vl ||
		    strncmp(row + end - vl, values[i], vl) ||
		    strspn(row + start, " ") != end - start - vl) {
			printf("#   field %d (%zu-%zu): want \"%s\"\n#   %s\n#   %s\n", i, start,
			       end,
			       values[i], rule, row);
			return false;
		}
	}
	return true;
}

/* The line after the one starting with prefix. */
static const char *line_after(const char *out, const char *prefix, char *buf, size_t len)
{
	const char *p = strstr(out, prefix);

	if (!p || !(p = strchr(p, '\n')))
		return NULL;
	p++;
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

static FILE *json_out;

static void json_save(struct node *n, const char *line)
{
	char *out = run(n, line);

	fprintf(json_out, "%s,", out);	/* each answer an element of one list */
	free(out);
}

/* ---- the tests ---- */

/* The spoke's registration asks for IKE; IKE completes; NHRP registers over it. */
/* The log (stderr) into a file from now on, debug lines included; its old self kept. */
static int trace_fd = -1;
static char trace_path[64];

static void trace_start(void)
{
	int fd;

	snprintf(trace_path, sizeof(trace_path), "/tmp/test-show-XXXXXX");
	fd = mkstemp(trace_path);

	fflush(stderr);
	trace_fd = dup(2);
	if (fd < 0 || trace_fd < 0 || dup2(fd, 2) < 0)
		exit(1);
	close(fd);
	log_max_prio = LOG_DEBUG;
}

/* Stop; what was logged, malloc'd. */
static char *trace_stop(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	fflush(stderr);
	log_max_prio = LOG_CRIT;
	dup2(trace_fd, 2);
	close(trace_fd);
	f = fopen(trace_path, "r");
	if (!f || getdelim(&text, &len, 0, f) < 0) {
		free(text);
		text = strdup("");
	}
	if (f)
		fclose(f);
	unlink(trace_path);
	return text;
}

static int bring_up(void)
{
	char *trace, *out;

	nwire = nnq = 0;
	if (node_up(&H, &S, hub_conf, "172.16.10.1", "10.1.1.254", NULL, 0x8D538D11) ||
	    node_up(&S, &H, spoke_conf, "172.16.1.1", "10.1.1.1", "172.16.10.1", 0x0A259D71))
		return -1;
	/* debug crypto isakmp alone, turned on at run time: its lines and no others */
	trace_start();
	free(run(&S, "debug crypto isakmp"));
	{
		struct ike_path path;
		struct p2_prot prot;

		sa_addr(&path.local, "172.16.1.1");
		sa_addr(&path.remote, "172.16.10.1");
		ike_prot_mgre(&S.d.ike, &path, &prot);
		if (ike_acquire(&S.d.ike, &path, &prot))
			return -1;
	}
	pump();
	trace = trace_stop();
	CHECK(strstr(trace, "ISAKMP (0:1): Old State = IKE_I_MM1  New State = IKE_I_MM2"));
	CHECK(strstr(trace, "ISAKMP (0:1): beginning Main Mode exchange"));
	CHECK(!strstr(trace, "IPSEC(") && !strstr(trace, "NHRP: "));
	free(trace);
	/* then debug nhrp in its place: seed 004's registration, 108 bytes out, 128 back */
	trace_start();
	out = run(&S, "no debug crypto isakmp");
	free(out);
	free(run(&S, "debug nhrp"));
	{
		/* dmvpnd's glue says so when the outbound SA is in: the registration goes */
		struct nhrp_addr hub = A("172.16.10.1");

		nhrp_sa_up(&S.d.nhrp, IFINDEX, &hub);
	}
	deliver();
	trace = trace_stop();
	CHECK(strstr(trace, "NHRP: Send Registration Request via Tunnel0 vrf 0, packet size: "
		     "108\n"));
	CHECK(strstr(trace, " src: 10.1.1.1, dst: 10.1.1.254\n"));
	CHECK(strstr(trace, "NHRP: Receive Registration Request via Tunnel0 vrf 0, packet size: "
		     "108\n"));
	CHECK(strstr(trace, "NHRP: Send Registration Reply via Tunnel0 vrf 0, packet size: 128\n"));
	CHECK(strstr(trace, "NHRP: Receive Registration Reply via Tunnel0 vrf 0, packet size: "
		     "128\n"));
	CHECK(!strstr(trace, "ISAKMP"));
	free(trace);
	free(run(&S, "undebug all"));
	advance(2000);
	return 0;
}

/* Traffic: 24 packets each way and 3 that found no SA (seed 004's spoke). */
static void traffic(void)
{
	struct child *c = S.d.ike.children;
	struct fake_sa *in = ksa(&S, c->spi_in, true), *out = ksa(&S, c->spi_out, false);

	in->stats[MGRE_STATS_A_RX_PACKETS] = 24;
	in->stats[MGRE_STATS_A_RX_BYTES] = 12 * 1024;
	out->stats[MGRE_STATS_A_TX_PACKETS] = 24;
	out->stats[MGRE_STATS_A_TX_BYTES] = 13 * 1024;
	out->stats[MGRE_STATS_A_NO_SA] = 3;
}

static void test_isakmp(void)
{
	static const char *const names[] = {
		"C-id", "Local", "Remote", "Status", "Encr", "Hash", "Auth", "DH", "Lifetime",
	};
	static const char *const want[] = {
		"1001", "172.16.1.1", "172.16.10.1", "ACTIVE", "3des", "sha", "psk", "1", "23:59:",
	};
	static const char header[] =
		"C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime "
		"Cap.";
	char row[256], *out = run(&S, "show crypto isakmp sa detail");

	CHECK(has_exact(out, "Codes: C - IKE configuration mode, D - Dead Peer Detection"));
	CHECK(has_exact(out, "       K - Keepalives, N - NAT-traversal"));
	CHECK(has_exact(out, "       T - cTCP encapsulation, X - IKE Extended Authentication"));
	CHECK(has_exact(out, "       psk - Preshared key, rsig - RSA signature"));
	CHECK(has_exact(out, "       renc - RSA encryption"));
	CHECK(has_exact(out, "IPv4 Crypto ISAKMP SA"));
	CHECK(has_exact(out, "IPv6 Crypto ISAKMP SA"));
	CHECK(has_exact(out, header));
	CHECK(line_at(out, "1001 ", row, sizeof(row)) &&
	      at_columns(header, row, names, want, 9));
	CHECK(has_exact(out, "       Engine-id:Conn-id =  SW:1"));
	/* IPv4 first, the SA under it, IPv6 after */
	CHECK(strstr(out, "IPv4 Crypto") < strstr(out, "1001 ") &&
	      strstr(out, "1001 ") < strstr(out, "IPv6 Crypto"));
	free(out);

	out = run(&H, "show crypto isakmp sa");
	{
		static const char *const n2[] = { "dst", "src", "state", "status" };
		static const char *const w2[] = {
			"172.16.10.1", "172.16.1.1", "QM_IDLE", "ACTIVE",
		};
		static const char h2[] =
			"dst             src             state          conn-id status";

		CHECK(has_exact(out, "IPv4 Crypto ISAKMP SA"));
		CHECK(has_exact(out, h2));
		/* the responder's view: dst is us; conn-id right-aligned under its name */
		CHECK(line_at(out, "172.16.10.1 ", row, sizeof(row)) &&
		      at_columns(h2, row, n2, w2, 4) &&
		      !strncmp(row + strlen(h2) - strlen("1001 status"), "1001 ", 5));
		CHECK(has_exact(out, "IPv6 Crypto ISAKMP SA"));
	}
	free(out);
}

static void test_session(void)
{
	char buf[256], *out = run(&S, "show crypto session detail");

	CHECK(has_exact(out, "Crypto session current status"));
	CHECK(has_exact(out, "Code: C - IKE Configuration mode, D - Dead Peer Detection"));
	CHECK(has_exact(out, "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation"));
	CHECK(has_exact(out, "X - IKE Extended Authentication, F - IKE Fragmentation"));
	CHECK(has_exact(out, "Interface: Tunnel0"));
	CHECK(has_exact(out, "Uptime: 00:00:02"));
	CHECK(has_exact(out, "Session status: UP-ACTIVE"));
	CHECK(has_exact(out, "Peer: 172.16.10.1 port 500 fvrf: (none) ivrf: (none)"));
	CHECK(has_exact(out, "      Phase1_id: 172.16.10.1"));
	CHECK(has_exact(out, "      Desc: (none)"));
	CHECK(has_exact(out, "  IKEv1 SA: local 172.16.1.1/500 remote 172.16.10.1/500 Active"));
	CHECK(has_exact(out, "          Capabilities:(none) connid:1001 lifetime:23:59:58"));
	CHECK(has_exact(out, "  IPSEC FLOW: permit 47 host 172.16.1.1 host 172.16.10.1"));
	CHECK(has_exact(out, "        Active SAs: 2, origin: crypto map"));
	/* 4608000 KB less the 13 KB sent; 3600 s less the 2 s since */
	CHECK(has_exact(out,
			"        Inbound:  #pkts dec'ed 24 drop 0 life (KB/Sec) 4607987/3598"));
	CHECK(has_exact(out,
			"        Outbound: #pkts enc'ed 24 drop 3 life (KB/Sec) 4607987/3598"));
	free(out);
	out = run(&H, "show crypto session");
	CHECK(has_exact(out, "Peer: 172.16.1.1 port 500"));
	CHECK(has_exact(out, "  IPSEC FLOW: permit 47 host 172.16.10.1 host 172.16.1.1"));
	CHECK(!line_at(out, "Uptime:", buf, sizeof(buf)) &&
	      !line_at(out, "Code:", buf, sizeof(buf)));
	free(out);
}

static void test_ipsec(void)
{
	char buf[256], want[128], *out = run(&S, "show crypto ipsec sa detail");
	const struct child *c = S.d.ike.children;

	CHECK(has_exact(out, "interface: Tunnel0"));
	CHECK(has_exact(out, "    Crypto map tag: Tunnel0-head-0, local addr 172.16.1.1"));
	CHECK(has_exact(out, "   protected vrf: (none)"));
	CHECK(has_exact(out,
			"   local  ident (addr/mask/prot/port): "
			"(172.16.1.1/255.255.255.255/47/0)"));
	CHECK(has_exact(out,
			"   remote ident (addr/mask/prot/port): "
			"(172.16.10.1/255.255.255.255/47/0)"));
	CHECK(has_exact(out, "   current_peer 172.16.10.1 port 500"));
	CHECK(has_exact(out, "     PERMIT, flags={origin_is_acl,}"));
	CHECK(has_exact(out, "    #pkts encaps: 24, #pkts encrypt: 24, #pkts digest: 24"));
	CHECK(has_exact(out, "    #pkts decaps: 24, #pkts decrypt: 24, #pkts verify: 24"));
	CHECK(has_exact(out, "    #pkts compressed: 0, #pkts decompressed: 0"));
	CHECK(has_exact(out, "    #pkts no sa (send) 3, #pkts invalid sa (rcv) 0"));
	CHECK(has_exact(out, "    ##pkts replay failed (rcv): 0"));
	CHECK(has_exact(out,
			"     local crypto endpt.: 172.16.1.1, remote crypto endpt.: 172.16.10.1"));
	/* the module's path MTU; dmvpn0's own MTU cannot be read here (no such device): 0 */
	CHECK(has_exact(out, "     path mtu 1500, ip mtu 0, ip mtu idb (none)"));
	snprintf(want, sizeof(want), "     current outbound spi: 0x%X(%u)", c->spi_out, c->spi_out);
	CHECK(has_exact(out, want));
	CHECK(c->spi_out == 0x8D538D11 && c->spi_in == 0x0A259D71);	/* seed 004's SPIs */
	CHECK(has_exact(out, "     PFS (Y/N): N, DH group: none"));
	CHECK(has_exact(out, "     inbound esp sas:"));
	CHECK(has_exact(out, "      spi: 0xA259D71(170237297)"));
	CHECK(has_exact(out, "        transform: esp-3des esp-sha-hmac ,"));
	CHECK(has_exact(out, "        in use settings ={Transport, }"));
	CHECK(has_exact(out,
			"        conn id: 1, flow_id: SW:1, sibling_flags 00000000, crypto map: "
			"Tunnel0-head-0"));
	CHECK(has_exact(out,
			"        conn id: 2, flow_id: SW:2, sibling_flags 00000000, crypto map: "
			"Tunnel0-head-0"));
	CHECK(has_exact(out, "        sa timing: remaining key lifetime (k/sec): (4607987/3598)"));
	CHECK(has_exact(out, "        IV size: 8 bytes"));
	CHECK(has_exact(out, "        replay detection support: Y"));
	CHECK(has_exact(out, "        Status: ACTIVE"));
	CHECK(has_exact(out, "     inbound ah sas:") && has_exact(out, "     outbound pcp sas:"));
	/* inbound before outbound, each with its SPI */
	CHECK(strstr(out, "inbound esp sas:") < strstr(out, "spi: 0xA259D71") &&
	      strstr(out, "spi: 0xA259D71") < strstr(out, "outbound esp sas:") &&
	      strstr(out, "outbound esp sas:") < strstr(out, "      spi: 0x8D538D11("));
	free(out);
	out = run(&S, "show crypto ipsec sa");
	CHECK(has_exact(out, "    #send errors 3, #recv errors 0"));
	CHECK(!line_at(out, "    #pkts no sa", buf, sizeof(buf)));
	free(out);
}

static void test_sockets_engine(void)
{
	static const char *const names[] = {
		"ID", "Interface", "IP-Address", "State", "Algorithm", "Encrypt", "Decrypt",
	};
	char row[256], *out = run(&S, "show crypto sockets");
	const char *hdr;

	CHECK(has_exact(out, "Number of Crypto Socket connections 1"));
	CHECK(has_exact(out, "   Tunnel0 Peers (local/remote): 172.16.1.1/172.16.10.1"));
	CHECK(has_exact(out,
			"       Local Ident  (addr/mask/port/prot): "
			"(172.16.1.1/255.255.255.255/0/47)"));
	CHECK(has_exact(out,
			"       Remote Ident (addr/mask/port/prot): "
			"(172.16.10.1/255.255.255.255/0/47)"));
	CHECK(has_exact(out, "       IPSec Profile: \"DMVPN-IPSEC\""));
	CHECK(has_exact(out, "       Socket State: Open"));
	CHECK(has_exact(out, "       Client: \"TUNNEL SEC\" (Client State: Active)"));
	CHECK(has_exact(out, "Crypto Sockets in Listen state:"));
	CHECK(has_exact(out,
			"Client: \"TUNNEL SEC\" Profile: \"DMVPN-IPSEC\" Map-name: "
			"\"Tunnel0-head-0\""));
	free(out);

	out = run(&S, "show crypto engine connections active");
	hdr = strtok(out, "\n");
	CHECK(hdr && strstr(hdr, "ID Interface") && strstr(hdr, "State  Algorithm"));
	/* seed 000: IKE SA 1, then the pair's SAs 2000 (in: decrypts) and 2001 (out) */
	{
		const char *r1 = strtok(NULL, "\n"), *r2 = strtok(NULL, "\n");
		const char *r3 = strtok(NULL, "\n");
		/* numbers right-aligned under their names: checked by where they end */
		static const char *const n3[] = { "Interface", "IP-Address", "State", "Algorithm" };
		static const char *const ike[] = {
			"Tunnel0", "172.16.1.1", "set", "HMAC_SHA+3DES_56_C",
		};

		CHECK(r1 && r2 && r3 && !strtok(NULL, "\n"));
		if (r1 && r2 && r3 && hdr) {
			size_t end = strlen(hdr);

			CHECK(at_columns(hdr, r1, n3, ike, 4) && at_columns(hdr, r2, n3, ike, 4) &&
			      at_columns(hdr, r3, n3, ike, 4));
			CHECK(!strncmp(r1, "   1 ", 5) && !strncmp(r2, "2000 ", 5) &&
			      !strncmp(r3, "2001 ", 5));
			snprintf(row, sizeof(row), "%8s %8s", "0", "24");
			CHECK(strlen(r2) == end && !strcmp(r2 + end - strlen(row), row));
			snprintf(row, sizeof(row), "%8s %8s", "24", "0");
			CHECK(strlen(r3) == end && !strcmp(r3 + end - strlen(row), row));
			/* the IKE SA's own messages: MM5, MM6, QM1-3 encrypted or decrypted */
			CHECK(S.d.ike.sas->n_encrypted >= 2 && S.d.ike.sas->n_decrypted >= 2);
			snprintf(row, sizeof(row), "%8lu %8lu", S.d.ike.sas->n_encrypted,
				 S.d.ike.sas->n_decrypted);
			CHECK(strlen(r1) == end && !strcmp(r1 + end - strlen(row), row));
		}
		CHECK(!strcmp(names[0], "ID"));
	}
	free(out);
}

/* The hub answered the spoke's MM1: one request, accepted, nothing in negotiation. */
static void test_cac(void)
{
	char *out = run(&H, "show crypto call admission statistics");

	CHECK(H.d.ike.cac.accepted == 1 && H.d.ike.nsas == 1 && H.d.ike.half_open == 0);
	CHECK(has_exact(out, "Crypto Call Admission Control Statistics"));
	CHECK(has_exact(out, "  Max in negotiation: 1000 (default), per address 15"));
	CHECK(has_exact(out, "  Max IKE SAs:        none"));
	CHECK(has_exact(out, "  Total IKE SA Count: 1  active: 1  negotiating: 0"));
	CHECK(has_exact(out, "  Responder SAs negotiating: 0 (with only the peer's first "
			"message: 0)"));
	CHECK(has_exact(out, "  Incoming IKE Requests: 1  accepted: 1  rejected: 0"));
	CHECK(has_exact(out, "  Half-open SAs that gave way to newer requests: 0"));
	CHECK(has_exact(out, "  Authenticated, refused: a second host behind a peer's NAT "
			"address: 0"));
	free(out);
}

static void test_nhrp(void)
{
	static const char rule[] = " ----- --------------- --------------- ----- -------- -----";
	static const char rule_d[] =
		"----- --------------- --------------- ----- -------- ----- -----------------";
	char row[256], *out = run(&H, "show ip nhrp");

	CHECK(has_exact(out, "10.1.1.1/32 via 10.1.1.1"));
	CHECK(has_line(out, "   Tunnel0 created 00:00:0") && has_line(out, "   Tunnel0 created") &&
	      strstr(out, ", expire 01:59:5"));
	CHECK(has_exact(out, "   Type: dynamic, Flags: unique registered"));
	CHECK(has_exact(out, "   NBMA address: 172.16.1.1"));
	free(out);
	out = run(&S, "show ip nhrp");
	CHECK(has_exact(out, "10.1.1.254/32 via 10.1.1.254"));
	CHECK(has_line(out, "   Tunnel0 created ") && strstr(out, ", never expire"));
	CHECK(has_line(out, "   Type: static, Flags:"));
	CHECK(has_exact(out, "   NBMA address: 172.16.10.1"));
	free(out);

	out = run(&S, "show ip nhrp nhs");
	CHECK(has_exact(out, "Legend: E=Expecting replies, R=Responding, W=Waiting"));
	CHECK(has_exact(out, "Tunnel0:"));
	/* seed 004's "RE" had a request out at that moment; ours has its reply: R */
	CHECK(has_exact(out, "10.1.1.254 R priority = 0 cluster = 0"));
	free(out);
	out = run(&S, "show ip nhrp nhs detail");
	/* IOS's counters: one request sent (once IKE was up), answered 2 s ago */
	CHECK(has_exact(out, "10.1.1.254 R priority = 0 cluster = 0  req-sent 1  req-failed 0  "
			"repl-recv 1 (00:00:02 ago)"));
	free(out);
	out = run(&H, "show ip nhrp nhs");	/* the hub has none: the legend alone */
	CHECK(!strcmp(out, "Legend: E=Expecting replies, R=Responding, W=Waiting\n"));
	free(out);

	out = run(&S, "show dmvpn");
	CHECK(has_exact(out, "Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete"));
	CHECK(has_exact(out, "        N - NATed, L - Local, X - No Socket"));
	CHECK(has_exact(out, "        # Ent --> Number of NHRP entries with same NBMA peer"));
	CHECK(has_exact(out,
			"        NHS Status: E --> Expecting Replies, R --> Responding, W --> "
			"Waiting"));
	CHECK(has_exact(out, "        UpDn Time --> Up or Down Time for a Tunnel"));
	CHECK(has_exact(out, "=====================================" /* 74 of them */
			"====================================="));
	CHECK(has_exact(out, "Interface: Tunnel0, IPv4 NHRP Details"));
	CHECK(has_exact(out, "Type:Spoke, NHRP Peers:1,"));
	CHECK(has_exact(out, " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb"));
	CHECK(has_exact(out, rule));
	{
		static const char *const v[] = {
			"1", "172.16.10.1", "10.1.1.254", "UP", "00:00:02", "S",
		};

		CHECK(line_after(out, rule, row, sizeof(row)) && in_rule(rule, row, v, 6));
	}
	free(out);
	out = run(&H, "show dmvpn");
	CHECK(has_exact(out, "Type:Hub, NHRP Peers:1,"));
	{
		static const char *const v[] = {
			"1", "172.16.1.1", "10.1.1.1", "UP", "00:00:02", "D",
		};

		CHECK(line_after(out, rule, row, sizeof(row)) && in_rule(rule, row, v, 6));
	}
	free(out);

	out = run(&S, "show dmvpn detail");
	CHECK(has_line(out, "Interface Tunnel0 is ") &&
	      strstr(out, ", Addr. is 10.1.1.1, VRF \"\"\n"));
	CHECK(has_exact(out, "   Tunnel Src./Dest. addr: 172.16.1.1/172.16.10.1, Tunnel VRF \"\""));
	CHECK(has_exact(out, "   Protocol/Transport: \"GRE/IP\", Protect \"DMVPN-IPSEC\""));
	CHECK(has_exact(out, "   Interface State Control: Disabled"));
	CHECK(has_exact(out, "IPv4 NHS:"));
	CHECK(has_exact(out, "10.1.1.254 R priority = 0 cluster = 0"));
	CHECK(has_exact(out, "Type:Spoke, Total NBMA Peers (v4/v6): 1"));
	CHECK(has_exact(out,
			"# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target "
			"Network"));
	{
		static const char *const v[] = {
			"1", "172.16.10.1", "10.1.1.254", "UP", "00:00:02", "S", "10.1.1.254/32",
		};

		CHECK(line_after(out, rule_d, row, sizeof(row)) && in_rule(rule_d, row, v, 7));
	}
	CHECK(has_exact(out, "Crypto Session Details:"));
	CHECK(has_exact(out, "----------------------------------------" /* 80 */
			"----------------------------------------"));
	CHECK(has_exact(out, "Interface: Tunnel0"));
	snprintf(row, sizeof(row), "Session: [0x%08X]", S.d.ike.sas->id);
	CHECK(has_exact(out, row));
	CHECK(has_exact(out, "  IKEv1 SA: local 172.16.1.1/500 remote 172.16.10.1/500 Active"));
	CHECK(has_exact(out, "          Capabilities:(none) connid:1001 lifetime:23:59:58"));
	CHECK(has_exact(out, "  Crypto Session Status: UP-ACTIVE"));
	CHECK(has_exact(out, "  fvrf: (none), Phase1_id: 172.16.10.1"));
	CHECK(has_exact(out, "  IPSEC FLOW: permit 47 host 172.16.1.1 host 172.16.10.1"));
	CHECK(has_exact(out,
			"        Inbound:  #pkts dec'ed 24 drop 0 life (KB/Sec) 4607987/3598"));
	CHECK(has_exact(out, "   Outbound SPI : 0x8D538D11, transform : esp-3des esp-sha-hmac"));
	CHECK(has_exact(out, "    Socket State: Open"));
	CHECK(has_exact(out, "Pending DMVPN Sessions:"));
	free(out);
	out = run(&H, "show dmvpn detail");
	CHECK(has_exact(out, "   Tunnel Src./Dest. addr: 172.16.10.1/MGRE, Tunnel VRF \"\""));
	CHECK(has_exact(out, "   Protocol/Transport: \"multi-GRE/IP\", Protect \"DMVPN-IPSEC\""));
	CHECK(has_exact(out, "Type:Hub, Total NBMA Peers (v4/v6): 1"));
	free(out);
}

static void json_all(void)
{
	static const char *const cmds[] = {
		"show crypto isakmp sa json", "show crypto isakmp sa detail json",
		"show crypto ipsec sa json", "show crypto session json", "show crypto sockets json",
		"show crypto engine connections active json", "show ip nhrp json",
		"show crypto call admission statistics json",
		"show ip nhrp nhs json", "show ip nhrp traffic json", "show dmvpn json",
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		json_save(&S, cmds[i]);
		json_save(&H, cmds[i]);
	}
}

/* Nothing to show: the headers, and IOS's line saying none where it has one. */
static void test_empty(void)
{
	char *out;

	out = run(&S, "show crypto session");
	CHECK(!strcmp(out, "Crypto session current status\n\nThere are no crypto sessions\n"));
	free(out);
	out = run(&S, "show crypto ipsec sa");
	CHECK(!strcmp(out, "There are no ipsec sas\n"));
	free(out);
	out = run(&S, "show crypto isakmp sa");
	CHECK(!strcmp(out, "IPv4 Crypto ISAKMP SA\n"
		      "dst             src             state          conn-id status\n\n"
		      "IPv6 Crypto ISAKMP SA\n\n"));
	free(out);
	out = run(&S, "show crypto engine connections active");
	CHECK(strstr(out, "ID Interface") && strchr(out, '\n') == out + strlen(out) - 1);
	free(out);
	out = run(&S, "show crypto sockets");
	CHECK(has_exact(out, "Number of Crypto Socket connections 0"));
	CHECK(has_exact(out, "Crypto Sockets in Listen state:"));
	free(out);
	json_save(&S, "show crypto session json");
	json_save(&S, "show crypto ipsec sa json");
}

static int count(const char *out, const char *what)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* A rekey: the flow has two pairs, four SAs; the views show one flow with all of them. */
static void test_rekey(void)
{
	const struct child *old = S.d.ike.children, *c;
	char want[128], *out;

	ike_expire(&S.d.ike, IKE_CARRIER_MGRE, &old->path.remote, old->spi_out, IPPROTO_ESP,
		   false);
	pump();
	for (c = S.d.ike.children; c && c == old; c = c->next)
		;
	CHECK(c && old->rekeyed && !c->rekeyed && c->flow_id == 3);
	if (!c)
		return;
	out = run(&S, "show crypto ipsec sa");
	/* one flow: its header once, both pairs' SAs under it, the newest outbound current */
	CHECK(count(out, "interface: Tunnel0\n") == 1 && count(out, "   local  ident") == 1);
	CHECK(count(out, "      spi: ") == 4);
	snprintf(want, sizeof(want), "     current outbound spi: 0x%X(%u)", c->spi_out, c->spi_out);
	CHECK(has_exact(out, want));
	snprintf(want, sizeof(want), "      spi: 0x%X(%u)", old->spi_in, old->spi_in);
	CHECK(has_exact(out, want));
	snprintf(want, sizeof(want), "      spi: 0x%X(%u)", c->spi_in, c->spi_in);
	CHECK(has_exact(out, want));
	CHECK(has_exact(out, "        conn id: 3, flow_id: SW:3, sibling_flags 00000000, "
			"crypto map: Tunnel0-head-0"));
	/* the old pair's counters and the new one's (none yet) together */
	CHECK(has_exact(out, "    #pkts encaps: 24, #pkts encrypt: 24, #pkts digest: 24"));
	free(out);
	out = run(&S, "show crypto session");
	CHECK(has_exact(out, "        Active SAs: 4, origin: crypto map"));
	free(out);
	out = run(&S, "show crypto sockets");
	CHECK(has_exact(out, "Number of Crypto Socket connections 1"));
	free(out);
	out = run(&S, "show crypto engine connections active");
	CHECK(strstr(out, "\n2002 ") && strstr(out, "\n2003 ") && !strstr(out, "\n2004 "));
	free(out);
}

/* clear crypto sa: the pairs go, the ISAKMP SA stays: the session is UP-IDLE. */
static void test_clear_sa(void)
{
	char *out = run(&S, "clear crypto sa");

	CHECK(!strcmp(out, ""));
	free(out);
	pump();
	CHECK(!S.d.ike.children && S.d.ike.sas && !H.d.ike.children);
	out = run(&S, "show crypto session");
	CHECK(has_exact(out, "Session status: UP-IDLE"));
	CHECK(has_exact(out, "  IKEv1 SA: local 172.16.1.1/500 remote 172.16.10.1/500 Active"));
	CHECK(!strstr(out, "IPSEC FLOW"));
	free(out);
}

static void test_clear_session(void)
{
	char *out = run(&S, "clear crypto session");

	CHECK(!strcmp(out, ""));
	free(out);
	pump();		/* the DELETEs reach the hub */
	CHECK(!S.d.ike.children && !S.d.ike.sas);
	CHECK(!H.d.ike.children);
	for (int i = 0; i < NKSA; i++)
		CHECK(!S.ksa[i].used);
}

/* seed 003: a VTI over IPv6, any to any; IKE over IPv6 (XFRM's SAs: the fake's table) */
#define VTI6(dst)							\
	"crypto isakmp policy 10\n encr aes\n authentication pre-share\n"	\
	"crypto isakmp key cisco address ipv6 ::/0\n"				\
	"crypto ipsec transform-set TS esp-aes esp-sha-hmac\n"			\
	"crypto ipsec profile PRO\n set transform-set TS\n"			\
	"interface Tunnel23\n tunnel mode ipsec ipv6\n tunnel destination " dst "\n" \
	" tunnel protection ipsec profile PRO\n"

static int v6_up(struct node *n, struct node *peer, const char *conf, uint32_t spi_base)
{
	char err[256];

	node_fini(n);
	memset(n, 0, sizeof(*n));
	n->peer = peer;
	n->next_spi = spi_base;
	if (conf_parse("seed003.conf", conf, &n->d.conf, err, sizeof(err))) {
		printf("#   %s\n", err);
		return -1;
	}
	n->d.xfrm_up = true;	/* the fake one above */
	ike_init(&n->d.ike, &n->d.conf, &w_ops, n);
	n->d.ike.now = clock_ms;
	return 0;
}

static void v6_addr(struct sockaddr_storage *ss, const char *a)
{
	uint8_t b[16];

	inet_pton(AF_INET6, a, b);
	addr_set(ss, AF_INET6, b, 500);
}

static void test_vti6(void)
{
	struct p2_prot p = { .kind = P2_VTI, .local.family = AF_INET6,
			     .remote.family = AF_INET6 };
	struct ike_path path;
	char row[256], *out;

	nwire = 0;
	if (v6_up(&S, &H, VTI6("2001:DB8::3"), 0x1000) ||
	    v6_up(&H, &S, VTI6("2001:DB8::2"), 0x2000)) {
		CHECK(0);
		return;
	}
	snprintf(p.iface, sizeof(p.iface), "Tunnel23");
	snprintf(p.profile, sizeof(p.profile), "PRO");
	v6_addr(&path.local, "2001:db8::2");
	v6_addr(&path.remote, "2001:db8::3");
	CHECK(!ike_acquire(&S.d.ike, &path, &p));
	pump();
	CHECK(S.d.ike.children && S.d.ike.children->prot.kind == P2_VTI);
	if (!S.d.ike.children)
		return;
	out = run(&S, "show crypto isakmp sa");
	/* IPv4's heading and columns, empty; IPv6's SA on lines of its own, as IOS */
	CHECK(!strncmp(out, "IPv4 Crypto ISAKMP SA\ndst             src             state  "
		       "        conn-id status\n\nIPv6 Crypto ISAKMP SA\n\n", 108));
	CHECK(has_exact(out, " dst: 2001:db8::3"));
	CHECK(has_exact(out, " src: 2001:db8::2"));
	CHECK(has_exact(out, " state: QM_IDLE        conn-id:   1001 status: ACTIVE"));
	free(out);
	out = run(&S, "show crypto isakmp sa detail");
	CHECK(has_exact(out, "1001  2001:db8::2"));
	{
		static const char header[] = "C-id  Local           Remote          I-VRF  Status "
					     "Encr Hash   Auth DH Lifetime Cap.";
		static const char *const names[] = { "Local", "Status", "Encr", "Hash", "DH" };
		static const char *const want[] = { "2001:db8::3", "ACTIVE", "aes", "sha", "1" };

		CHECK(line_after(out, "1001  2001:db8::2", row, sizeof(row)) &&
		      at_columns(header, row, names, want, 5));
		/* the IPv6 section has it, after its heading; IPv4's has no columns */
		CHECK(strstr(out, "IPv6 Crypto ISAKMP SA") < strstr(out, "1001  2001:db8::2") &&
		      count(out, "C-id  Local") == 2);
	}
	free(out);
	out = run(&S, "show crypto ipsec sa");
	CHECK(has_exact(out, "interface: Tunnel23"));
	CHECK(has_exact(out, "    Crypto map tag: Tunnel23-head-0, local addr 2001:db8::2"));
	/* seed 003's any-to-any proxies, and tunnel mode, AES's 16-byte IV */
	CHECK(has_exact(out, "   local  ident (addr/mask/prot/port): (::/0/0/0)"));
	CHECK(has_exact(out, "   remote ident (addr/mask/prot/port): (::/0/0/0)"));
	CHECK(has_exact(out, "        in use settings ={Tunnel, }"));
	CHECK(has_exact(out, "        IV size: 16 bytes"));
	CHECK(has_exact(out, "        transform: esp-aes esp-sha-hmac ,"));
	CHECK(has_exact(out, "        Status: ACTIVE"));	/* found in (fake) XFRM */
	CHECK(has_exact(out, "     path mtu 0, ip mtu 0, ip mtu idb (none)"));	/* not mgre's */
	free(out);
	out = run(&S, "show crypto session");
	CHECK(has_exact(out, "Interface: Tunnel23"));
	CHECK(has_exact(out, "Peer: 2001:db8::3 port 500"));
	CHECK(has_exact(out, "  IPSEC FLOW: permit ip ::/0 ::/0"));
	free(out);
	out = run(&S, "show crypto sockets");
	CHECK(has_exact(out, "   Tunnel23 Peers (local/remote): 2001:db8::2/2001:db8::3"));
	CHECK(has_exact(out, "       Local Ident  (addr/mask/port/prot): (::/0/0/0)"));
	CHECK(has_exact(out, "Client: \"TUNNEL SEC\" Profile: \"PRO\" Map-name: "
			"\"Tunnel23-head-0\""));
	free(out);
	out = run(&S, "show crypto engine connections active");
	CHECK(strstr(out, "HMAC_SHA+AES_CBC ") && count(out, "Tunnel23") == 3);
	free(out);
}

/* conf without its transform set's "mode transport" line (IOS's default, tunnel). */
static void without_mode(const char *conf, char *out, size_t len)
{
	static const char mode[] = " mode transport\n";
	const char *m = strstr(conf, mode);

	snprintf(out, len, "%.*s%s", (int)(m - conf), conf, m + strlen(mode));
}

/* Seed 002's kind of set (no "mode transport") on both: tunnel mode, said so. */
static void test_mgre_tunnel(void)
{
	char hc[sizeof(hub_conf)], sc[sizeof(spoke_conf)], *trace, *out;
	struct ike_path path;
	struct p2_prot prot;

	node_fini(&H);
	node_fini(&S);
	nwire = nnq = 0;
	without_mode(hub_conf, hc, sizeof(hc));
	without_mode(spoke_conf, sc, sizeof(sc));
	if (node_up(&H, &S, hc, "172.16.10.1", "10.1.1.254", NULL, 0x8D538D11) ||
	    node_up(&S, &H, sc, "172.16.1.1", "10.1.1.1", "172.16.10.1", 0x0A259D71)) {
		CHECK(0);
		return;
	}
	trace_start();
	free(run(&H, "debug crypto ipsec"));
	sa_addr(&path.local, "172.16.1.1");
	sa_addr(&path.remote, "172.16.10.1");
	ike_prot_mgre(&S.d.ike, &path, &prot);
	CHECK(!ike_acquire(&S.d.ike, &path, &prot));
	pump();
	trace = trace_stop();
	/* the responder's validate_proposal_request names the mode it accepted */
	CHECK(strstr(trace, "    protocol= ESP, transform= ESP_3DES HMAC-SHA (Tunnel)"));
	free(trace);
	free(run(&H, "undebug all"));
	out = run(&S, "show crypto ipsec sa");
	CHECK(count(out, "        in use settings ={Tunnel, }\n") == 2 && !strstr(out, "Transport"));
	free(out);
	out = run(&H, "show crypto ipsec sa json");
	CHECK(count(out, "\"mode\":\"Tunnel\"") == 1 && !strstr(out, "\"mode\":\"Transport\""));
	free(out);
	/* the running configuration says no mode, as the file did */
	out = run(&H, "show running-config");
	CHECK(has_exact(out, "crypto ipsec transform-set DMVPN-TSET esp-3des esp-sha-hmac") &&
	      !strstr(out, "mode transport"));
	free(out);
}

/* conf with more inserted after the line marker: out */
static void with_lines(const char *conf, const char *marker, const char *more, char *out,
		       size_t len)
{
	const char *m = strstr(conf, marker) + strlen(marker);

	snprintf(out, len, "%.*s%s%s", (int)(m - conf), conf, more, m);
}

/* A node's ipv6 nhrp as nhrp_glue.c makes it: the device's second engine interface. */
static int node_up6(struct node *n, const char *proto, const char *p2p_dst)
{
	struct nhrp_if_conf c = { 0 };

	c.ifindex = IFINDEX;
	snprintf(c.name, sizeof(c.name), "Tunnel0");
	c.nbma = A(n->nbma);
	c.proto = A(proto);
	c.plen = 64;
	if (p2p_dst)
		c.p2p_dst = A(p2p_dst);
	c.mtu = 1400;
	c.protected = true;
	c.p = &n->d.conf.ifaces[0].nhrp6;
	return nhrp_if_set(&n->d.nhrp, &c) ? 0 : -1;
}

/*
 * Dual stack: seed 004's routers with "ipv6 nhrp" too.  show ipv6 nhrp
 * prints the IPv6 cache (in capitals, as IOS), show ip nhrp the IPv4 one
 * only; show dmvpn a section per family; clear ipv6 nhrp leaves IPv4.
 */
static void test_nhrp6(void)
{
	static const char v6hub[] = " ipv6 address 2001:db8:100::1/64\n ipv6 nhrp network-id 1\n"
		" ipv6 nhrp authentication NHRPAUTH\n ipv6 nhrp map multicast dynamic\n";
	static const char v6spoke[] = " ipv6 address 2001:db8:100::2/64\n ipv6 nhrp network-id 1\n"
		" ipv6 nhrp authentication NHRPAUTH\n"
		" ipv6 nhrp map 2001:db8:100::1/64 172.16.10.1\n ipv6 nhrp nhs 2001:db8:100::1\n";
	char hc[sizeof(hub_conf) + sizeof(v6hub)], sc[sizeof(spoke_conf) + sizeof(v6spoke)];
	char *out;
	struct ike_path path;
	struct p2_prot prot;
	struct nhrp_addr hub = A("172.16.10.1");
	const char *rule6 = " ----- --------------- ----- -------- -----";

	node_fini(&H);
	node_fini(&S);
	nwire = nnq = 0;
	with_lines(hub_conf, " ip nhrp network-id 1\n", v6hub, hc, sizeof(hc));
	with_lines(spoke_conf, " ip nhrp network-id 1\n", v6spoke, sc, sizeof(sc));
	if (node_up(&H, &S, hc, "172.16.10.1", "10.1.1.254", NULL, 0x8D538D11) ||
	    node_up(&S, &H, sc, "172.16.1.1", "10.1.1.1", "172.16.10.1", 0x0A259D71) ||
	    node_up6(&H, "2001:db8:100::1", NULL) ||
	    node_up6(&S, "2001:db8:100::2", "172.16.10.1")) {
		CHECK(0);
		return;
	}
	sa_addr(&path.local, "172.16.1.1");
	sa_addr(&path.remote, "172.16.10.1");
	ike_prot_mgre(&S.d.ike, &path, &prot);
	CHECK(!ike_acquire(&S.d.ike, &path, &prot));
	pump();
	nhrp_sa_up(&S.d.nhrp, IFINDEX, &hub);	/* both families' registrations go */
	deliver();
	advance(2000);

	out = run(&H, "show ipv6 nhrp");
	CHECK(has_exact(out, "2001:DB8:100::2/128 via 2001:DB8:100::2"));
	CHECK(has_exact(out, "   Type: dynamic, Flags: unique registered"));
	CHECK(has_exact(out, "   NBMA address: 172.16.1.1"));
	CHECK(!strstr(out, "10.1.1.1"));
	free(out);
	out = run(&H, "show ip nhrp");
	CHECK(has_exact(out, "10.1.1.1/32 via 10.1.1.1") && !strstr(out, "2001:"));
	free(out);
	out = run(&S, "show ipv6 nhrp");
	CHECK(has_exact(out, "2001:DB8:100::1/128 via 2001:DB8:100::1"));
	CHECK(has_line(out, "   Type: static, Flags:"));
	free(out);
	out = run(&S, "show ipv6 nhrp nhs");
	CHECK(has_exact(out, "2001:DB8:100::1 R priority = 0 cluster = 0"));
	CHECK(!strstr(out, "10.1.1.254"));
	free(out);
	out = run(&S, "show ipv6 nhrp traffic");
	CHECK(has_exact(out, "            1/0        Registration Request") ||
	      strstr(out, "Registration Request"));
	free(out);
	out = run(&H, "show ipv6 nhrp json");
	CHECK(strstr(out, "\"target\":\"2001:db8:100::2/128\"") && !strstr(out, "10.1.1.1"));
	free(out);

	out = run(&H, "show dmvpn");
	CHECK(has_exact(out, "Interface: Tunnel0, IPv4 NHRP Details"));
	CHECK(has_exact(out, "Interface: Tunnel0, IPv6 NHRP Details"));
	CHECK(has_exact(out, " # Ent  Peer NBMA Addr State  UpDn Tm Attrb"));
	CHECK(has_exact(out, "        Peer Tunnel Add"));
	CHECK(has_exact(out, rule6));
	{
		static const char *const v[] = { "1", "172.16.1.1", "UP", "00:00:02", "D" };
		char row[256];

		CHECK(line_after(out, rule6, row, sizeof(row)) && in_rule(rule6, row, v, 5));
	}
	CHECK(has_exact(out, "        2001:DB8:100::2"));
	/* IPv4 first, as IOS */
	CHECK(strstr(out, "IPv4 NHRP Details") < strstr(out, "IPv6 NHRP Details"));
	free(out);
	out = run(&S, "show dmvpn detail");
	CHECK(has_exact(out, "IPv6 NHS:") && has_exact(out, "IPv4 NHS:"));
	CHECK(has_line(out, "Interface Tunnel0 is ") &&
	      strstr(out, ", Addr. is 2001:DB8:100::2, VRF \"\"\n"));
	CHECK(has_exact(out, "# Ent  Peer NBMA Addr State  UpDn Tm Attrb    Target Network"));
	CHECK(strstr(out, " 2001:DB8:100::1/128\n") != NULL);
	free(out);

	/* clear ipv6 nhrp: the IPv6 registration goes, the IPv4 one stays */
	free(run(&H, "clear ipv6 nhrp"));
	out = run(&H, "show ipv6 nhrp");
	CHECK(!strstr(out, "2001:DB8:100::2/128"));
	free(out);
	out = run(&H, "show ip nhrp");
	CHECK(has_exact(out, "10.1.1.1/32 via 10.1.1.1"));
	free(out);
}

static void test_debug(void)
{
	char *out;

	log_dbg_all(false);
	out = run(&S, "show debugging");
	CHECK(!strcmp(out, ""));	/* nothing on: IOS prints nothing */
	free(out);
	out = run(&S, "debug nhrp");
	CHECK(!strcmp(out, "NHRP protocol debugging is on\n") && log_dbg_on[LOG_DBG_NHRP] &&
	      !log_dbg_on[LOG_DBG_ISAKMP]);
	free(out);
	out = run(&S, "debug crypto isakmp");
	CHECK(!strcmp(out, "Crypto ISAKMP debugging is on\n") && log_dbg_on[LOG_DBG_ISAKMP]);
	free(out);
	out = run(&S, "debug crypto ipsec");
	CHECK(!strcmp(out, "Crypto IPSEC debugging is on\n") && log_dbg_on[LOG_DBG_IPSEC]);
	free(out);
	out = run(&S, "show debugging");
	CHECK(!strcmp(out, "NHRP:\n  NHRP protocol debugging is on\nCryptographic Subsystem:\n"
		      "  Crypto ISAKMP debugging is on\n  Crypto IPSEC debugging is on\n"));
	free(out);
	out = run(&S, "no debug crypto isakmp");
	CHECK(!strcmp(out, "Crypto ISAKMP debugging is off\n") && !log_dbg_on[LOG_DBG_ISAKMP] &&
	      log_dbg_on[LOG_DBG_IPSEC]);
	free(out);
	log_dbg_on[LOG_DBG_DAEMON] = true;	/* as -d leaves it */
	out = run(&S, "undebug all");
	CHECK(!strcmp(out, "All possible debugging has been turned off\n"));
	for (int i = 0; i < LOG_DBG_MAX; i++)
		CHECK(!log_dbg_on[i]);
	free(out);
	/* -d at start: every subsystem on, as before the flags were split */
	log_open(true, true);
	for (int i = 0; i < LOG_DBG_MAX; i++)
		CHECK(log_dbg_on[i]);
	log_dbg_all(false);
}

/* ---- show running-config ---- */

static bool p1_same(const struct p1_attrs *a, const struct p1_attrs *b)
{
	return a->enc == b->enc && a->keylen == b->keylen && a->hash == b->hash &&
	       a->auth == b->auth && a->group == b->group && a->life_sec == b->life_sec &&
	       a->life_kb == b->life_kb;
}

static bool p2_same(const struct p2_attrs *a, const struct p2_attrs *b)
{
	return a->esp_id == b->esp_id && a->keylen == b->keylen && a->auth == b->auth &&
	       a->encap == b->encap && a->group == b->group && a->life_sec == b->life_sec &&
	       a->life_kb == b->life_kb;
}

static bool ts_same(const struct p2_ts *a, const struct p2_ts *b)
{
	return a->family == b->family && a->plen == b->plen && a->proto == b->proto &&
	       a->port == b->port && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static bool prof_same(const struct conf_profile *a, const struct conf_profile *b)
{
	if (strcmp(a->name, b->name) || a->ntsets != b->ntsets || a->life_sec != b->life_sec ||
	    a->life_kb != b->life_kb || a->pfs != b->pfs)
		return false;
	for (int i = 0; i < a->ntsets; i++)
		if (strcmp(a->tsets[i], b->tsets[i]))
			return false;
	return true;
}

static bool nhrp_same(const struct nhrp_params *a, const struct nhrp_params *b)
{
	if (a->enabled != b->enabled || a->network_id != b->network_id ||
	    a->holdtime != b->holdtime || (a->auth_len > 0) != (b->auth_len > 0) ||
	    a->mcast_dynamic != b->mcast_dynamic || a->redirect != b->redirect ||
	    a->shortcut != b->shortcut || a->no_unique != b->no_unique ||
	    a->reg_timeout != b->reg_timeout || a->max_send != b->max_send ||
	    a->max_send_every != b->max_send_every || a->nmaps != b->nmaps ||
	    a->nmcast != b->nmcast || a->nnhs != b->nnhs)
		return false;
	for (int i = 0; i < a->nmaps; i++)
		if (!nhrp_addr_eq(&a->maps[i].proto, &b->maps[i].proto) ||
		    !nhrp_addr_eq(&a->maps[i].nbma, &b->maps[i].nbma) ||
		    a->maps[i].plen != b->maps[i].plen)
			return false;
	for (int i = 0; i < a->nmcast; i++)
		if (!nhrp_addr_eq(&a->mcast[i], &b->mcast[i]))
			return false;
	for (int i = 0; i < a->nnhs; i++)
		if (!nhrp_addr_eq(&a->nhs[i].proto, &b->nhs[i].proto) ||
		    !nhrp_addr_eq(&a->nhs[i].nbma, &b->nhs[i].nbma) ||
		    a->nhs[i].priority != b->nhs[i].priority ||
		    a->nhs[i].cluster != b->nhs[i].cluster)
			return false;
	return true;
}

static bool iface_same(const struct conf_iface *a, const struct conf_iface *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->profile, b->profile) &&
	       !strcmp(a->map, b->map) && a->mode == b->mode && a->dst_family == b->dst_family &&
	       !memcmp(a->dst, b->dst, 16) && a->addr_family == b->addr_family &&
	       !memcmp(a->addr, b->addr, 16) && a->plen == b->plen &&
	       a->addr6_family == b->addr6_family && !memcmp(a->addr6, b->addr6, 16) &&
	       a->plen6 == b->plen6 && nhrp_same(&a->nhrp, &b->nhrp) &&
	       nhrp_same(&a->nhrp6, &b->nhrp6) &&
	       a->multipoint == b->multipoint && !strcmp(a->src_name, b->src_name) &&
	       a->src_family == b->src_family && !memcmp(a->src, b->src, 16) &&
	       a->has_key == b->has_key && a->key == b->key && a->mtu == b->mtu &&
	       a->mss == b->mss && a->shutdown == b->shutdown && !strcmp(a->descr, b->descr);
}

/* Everything dmvpnd keeps, the secrets aside (they come back as the mask). */
static bool conf_same(const struct conf *a, const struct conf *b)
{
	if (a->npol != b->npol || a->nkeys != b->nkeys || a->ntsets != b->ntsets ||
	    a->nprofiles != b->nprofiles || a->nifaces != b->nifaces || a->nacls != b->nacls ||
	    a->nmaps != b->nmaps || a->nifmaps != b->nifmaps ||
	    a->ipsec_life_sec != b->ipsec_life_sec ||
	    a->ipsec_life_kb != b->ipsec_life_kb ||
	    a->ipsec_replay_window != b->ipsec_replay_window || a->dpd_interval != b->dpd_interval ||
	    a->dpd_retry != b->dpd_retry || a->dpd_periodic != b->dpd_periodic ||
	    a->aggressive != b->aggressive || a->cac_in_neg != b->cac_in_neg ||
	    a->cac_sa != b->cac_sa)
		return false;
	for (int i = 0; i < a->nifmaps; i++)
		if (strcmp(a->ifmaps[i].ios, b->ifmaps[i].ios) ||
		    strcmp(a->ifmaps[i].dev, b->ifmaps[i].dev))
			return false;
	for (int i = 0; i < a->npol; i++)
		if (a->pol[i].prio != b->pol[i].prio || !p1_same(&a->pol[i].a, &b->pol[i].a))
			return false;
	for (int i = 0; i < a->nkeys; i++)
		if (a->keys[i].family != b->keys[i].family || a->keys[i].plen != b->keys[i].plen ||
		    memcmp(a->keys[i].addr, b->keys[i].addr, 16) ||
		    strcmp(b->keys[i].key, CONF_SHOW_MASK))
			return false;
	for (int i = 0; i < a->ntsets; i++)
		if (strcmp(a->tsets[i].name, b->tsets[i].name) ||
		    !p2_same(&a->tsets[i].a, &b->tsets[i].a))
			return false;
	for (int i = 0; i < a->nprofiles; i++)
		if (!prof_same(&a->profiles[i], &b->profiles[i]))
			return false;
	for (int i = 0; i < a->nifaces; i++)
		if (!iface_same(&a->ifaces[i], &b->ifaces[i]))
			return false;
	for (int i = 0; i < a->nacls; i++) {
		if (strcmp(a->acls[i].name, b->acls[i].name) || a->acls[i].n != b->acls[i].n)
			return false;
		for (int j = 0; j < a->acls[i].n; j++)
			if (!ts_same(&a->acls[i].l[j].src, &b->acls[i].l[j].src) ||
			    !ts_same(&a->acls[i].l[j].dst, &b->acls[i].l[j].dst))
				return false;
	}
	for (int i = 0; i < a->nmaps; i++)
		if (strcmp(a->maps[i].name, b->maps[i].name) || a->maps[i].seq != b->maps[i].seq ||
		    a->maps[i].family != b->maps[i].family ||
		    memcmp(a->maps[i].peer, b->maps[i].peer, 16) ||
		    strcmp(a->maps[i].acl, b->maps[i].acl) ||
		    !prof_same(&a->maps[i].p, &b->maps[i].p))
			return false;
	return true;
}

/* Print, check no secret shows, parse the print, compare; the text for more checks. */
static char *round_trip(const char *name, const char *text, const char *const *secrets)
{
	struct conf a = { 0 }, b = { 0 };
	char err[256], *out = NULL;
	size_t len = 0;
	FILE *f;

	if (conf_parse(name, text, &a, err, sizeof(err))) {
		printf("#   %s\n", err);
		CHECK(0);
		return strdup("");
	}
	f = open_memstream(&out, &len);
	conf_show(&a, f);
	fclose(f);
	for (int i = 0; secrets[i]; i++)
		CHECK(!strstr(out, secrets[i]));
	if (conf_parse("printed", out, &b, err, sizeof(err))) {
		printf("#   the printed configuration does not parse: %s\n%s", err, out);
		CHECK(0);
	} else {
		CHECK(conf_same(&a, &b));
		/* and printing that gives the same text */
		{
			char *again = NULL;
			size_t l2 = 0;
			FILE *g = open_memstream(&again, &l2);

			conf_show(&b, g);
			fclose(g);
			CHECK(!strcmp(out, again));
			free(again);
		}
	}
	conf_free(&a);
	conf_free(&b);
	return out;
}

static void test_running_config(void)
{
	static const char *const secrets[] = { "cisco123", "NHRPAUTH", "s3cr3t", "v6key", "v6nhrp",
						 NULL };
	static const char full[] =
		"crypto isakmp policy 20\n encr aes 256\n hash sha256\n authentication pre-share\n"
		" group 14\n lifetime 3600\n"
		"crypto isakmp policy 10\n encr 3des\n hash md5\n authentication pre-share\n"
		" group 2\n"
		"crypto isakmp key s3cr3t address 10.1.4.0 255.255.255.0\n"
		"crypto isakmp key v6key address ipv6 2001:db8::/32\n"
		"crypto isakmp key s3cr3t address 209.168.202.0 255.255.255.0\n"	/* the NBMAs */
		"crypto isakmp keepalive 10 3 periodic\n"
		"crypto isakmp aggressive-mode\n"
		"crypto call admission limit ike in-negotiation-sa 250\n"
		"crypto call admission limit ike sa 4000\n"
		"crypto ipsec security-association lifetime seconds 1800\n"
		"crypto ipsec security-association replay window-size 256\n"
		"crypto ipsec transform-set myset esp-des esp-md5-hmac\n"
		"crypto ipsec transform-set gcm esp-gcm 256\n mode transport\n"
		"crypto ipsec profile PRO\n set transform-set gcm myset\n"
		" set security-association lifetime seconds 120\n"
		" set security-association lifetime kilobytes 10000\n set pfs group14\n"
		"crypto map mymap 10 ipsec-isakmp\n set peer 10.1.4.1\n set transform-set myset\n"
		" match address 110\n"
		"crypto map mymap 20 ipsec-isakmp\n set peer 2001:db8::3\n"
		" set transform-set myset\n"
		" set pfs group2\n match address LAN\n"
		"interface eth0\n crypto map mymap\n"
		"interface dmvpn0\n ip address 192.168.1.2 255.255.255.0\n"
		" ipv6 address 2001:db8:1::2/64\n ip nhrp network-id 7\n"
		" ip nhrp authentication s3cr3t\n ip nhrp holdtime 300\n"
		" ip nhrp map 192.168.1.1 209.168.202.225\n ip nhrp map multicast 209.168.202.225\n"
		" ip nhrp nhs 192.168.1.1 priority 2 cluster 1\n"
		" ip nhrp nhs 192.168.1.9 nbma 209.168.202.9\n"
		" ip nhrp registration no-unique\n ip nhrp registration timeout 30\n"
		" ip nhrp max-send 50 every 20\n ip nhrp shortcut\n"
		/* dual stack: the IPv6 overlay's NHRP with settings of its own */
		" ipv6 nhrp network-id 8\n ipv6 nhrp authentication v6nhrp\n"
		" ipv6 nhrp holdtime 600\n ipv6 nhrp map 2001:db8:1::1/64 209.168.202.225\n"
		" ipv6 nhrp map multicast 209.168.202.225\n ipv6 nhrp nhs 2001:db8:1::1\n"
		" ipv6 nhrp registration no-unique\n ipv6 nhrp redirect\n"
		" ipv6 nhrp max-send 40 every 10\n"
		" tunnel protection ipsec profile PRO\n"
		"interface Tunnel23\n tunnel mode ipsec ipv6\n tunnel destination 2001:DB8::3\n"
		" tunnel protection ipsec profile PRO\n"
		"linux interface Tunnel5 dmvpn5\n"
		"interface Tunnel5\n description the second cloud\n"
		" ip address 10.5.5.1 255.255.255.0\n ip mtu 1400\n ip tcp adjust-mss 1360\n"
		" shutdown\n tunnel source 209.168.202.1\n tunnel mode gre multipoint\n"
		" tunnel key 5\n tunnel protection ipsec profile PRO\n"
		"access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n"
		"access-list 110 permit gre host 10.1.1.1 host 172.16.1.1\n"
		"ip access-list extended LAN\n permit tcp host 10.1.1.5 any eq 22\n"
		" permit udp 10.2.0.0 0.0.255.255 eq 500 any\n";
	char *out;

	/* seed 004's hub and spoke */
	out = round_trip("hub", hub_conf, secrets);
	CHECK(has_exact(out, "Building configuration..."));
	CHECK(has_line(out, "Current configuration : "));
	CHECK(has_exact(out, "crypto isakmp policy 1"));
	CHECK(has_exact(out, " encr 3des"));
	CHECK(has_exact(out, " authentication pre-share"));
	CHECK(has_exact(out, "crypto isakmp key ***** address 0.0.0.0 0.0.0.0"));
	CHECK(has_exact(out, "crypto ipsec transform-set DMVPN-TSET esp-3des esp-sha-hmac"));
	CHECK(has_exact(out, " mode transport"));
	CHECK(has_exact(out, "crypto ipsec profile DMVPN-IPSEC"));
	CHECK(has_exact(out, " set transform-set DMVPN-TSET"));
	CHECK(has_exact(out, "interface Tunnel0"));
	CHECK(has_exact(out, " ip address 10.1.1.254 255.255.255.0"));
	CHECK(has_exact(out, " ip nhrp authentication *****"));
	CHECK(has_exact(out, " ip nhrp map multicast dynamic"));
	CHECK(has_exact(out, " ip nhrp network-id 1"));
	CHECK(has_exact(out, " tunnel protection ipsec profile DMVPN-IPSEC"));
	/* what makes the device (dmvpnd owns Tunnel0) */
	CHECK(has_exact(out, " ip mtu 1400") && has_exact(out, " ip tcp adjust-mss 1360"));
	CHECK(has_exact(out, " tunnel source Ethernet0/0"));
	CHECK(has_exact(out, " tunnel mode gre multipoint") && has_exact(out, " tunnel key 1"));
	CHECK(has_exact(out, "end"));
	/* IOS's defaults are not printed: sha, group 1, 86400 s, 7200 s */
	CHECK(!strstr(out, " hash sha\n") && !strstr(out, " group 1\n") &&
	      !strstr(out, "lifetime") && !strstr(out, "holdtime"));
	{
		/* "Current configuration : N bytes" counts what follows it */
		const char *p = strstr(out, "bytes\n");
		unsigned long n = strtoul(strstr(out, ": ") + 2, NULL, 10);

		CHECK(p && n == strlen(p + 6));
	}
	free(out);
	out = round_trip("spoke", spoke_conf, secrets);
	CHECK(!strstr(out, "tunnel mode"));	/* point-to-point GRE: IOS's default mode */
	CHECK(has_exact(out, " ip nhrp map 10.1.1.254 172.16.10.1"));
	CHECK(has_exact(out, " ip nhrp nhs 10.1.1.254"));
	CHECK(has_exact(out, " tunnel destination 172.16.10.1"));
	free(out);

	/* every line conf_show prints */
	out = round_trip("full", full, secrets);
	CHECK(has_exact(out, " encr aes 256") && has_exact(out, " hash sha256") &&
	      has_exact(out, " group 14") && has_exact(out, " lifetime 3600"));
	CHECK(has_exact(out, "crypto isakmp key ***** address 10.1.4.0 255.255.255.0"));
	CHECK(has_exact(out, "crypto isakmp key ***** address ipv6 2001:db8::/32"));
	CHECK(has_exact(out, "crypto isakmp keepalive 10 3 periodic"));
	CHECK(has_exact(out, "crypto isakmp aggressive-mode"));
	CHECK(has_exact(out, "crypto ipsec security-association replay window-size 256"));
	CHECK(has_exact(out, "crypto ipsec security-association lifetime seconds 1800"));
	CHECK(has_exact(out, "crypto ipsec transform-set gcm esp-gcm 256"));
	CHECK(has_exact(out, " set transform-set gcm myset"));
	CHECK(has_exact(out, " set pfs group14"));
	CHECK(has_exact(out, "crypto map mymap 20 ipsec-isakmp"));
	CHECK(has_exact(out, " set peer 2001:db8::3"));
	CHECK(has_exact(out, " match address LAN"));
	CHECK(has_exact(out, " crypto map mymap"));
	CHECK(has_exact(out, " ipv6 address 2001:db8:1::2/64"));
	CHECK(has_exact(out, " ip nhrp nhs 192.168.1.1 priority 2 cluster 1"));
	CHECK(has_exact(out, " ip nhrp nhs 192.168.1.9 nbma 209.168.202.9"));
	CHECK(has_exact(out, " ip nhrp max-send 50 every 20"));
	CHECK(has_exact(out, " ipv6 nhrp network-id 8") && has_exact(out, " ipv6 nhrp holdtime 600"));
	CHECK(has_exact(out, " ipv6 nhrp authentication *****"));
	CHECK(has_exact(out, " ipv6 nhrp map 2001:db8:1::1/64 209.168.202.225"));
	CHECK(has_exact(out, " ipv6 nhrp map multicast 209.168.202.225"));
	CHECK(has_exact(out, " ipv6 nhrp nhs 2001:db8:1::1"));
	CHECK(has_exact(out, " ipv6 nhrp registration no-unique") &&
	      has_exact(out, " ipv6 nhrp redirect") && has_exact(out, " ipv6 nhrp max-send 40 every 10"));
	/* each family's own: the IPv4 lines keep theirs */
	CHECK(has_exact(out, " ip nhrp network-id 7") && has_exact(out, " ip nhrp holdtime 300") &&
	      !strstr(out, " ip nhrp redirect") && !strstr(out, " ipv6 nhrp shortcut"));
	CHECK(has_exact(out, " tunnel mode ipsec ipv6"));
	CHECK(has_exact(out, " tunnel destination 2001:db8::3"));
	CHECK(has_exact(out, "access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255"));
	CHECK(has_exact(out, "access-list 110 permit gre host 10.1.1.1 host 172.16.1.1"));
	CHECK(has_exact(out, "ip access-list extended LAN"));
	CHECK(has_exact(out, " permit tcp host 10.1.1.5 any eq 22"));
	CHECK(has_exact(out, " permit udp 10.2.0.0 0.0.255.255 eq 500 any"));
	CHECK(has_exact(out, "linux interface Tunnel5 dmvpn5"));
	CHECK(has_exact(out, " description the second cloud") && has_exact(out, " shutdown"));
	CHECK(has_exact(out, " tunnel source 209.168.202.1") && has_exact(out, " tunnel key 5"));
	free(out);
}

/* Every line of out that starts with prefix has the mask as its next word. */
static bool masked(const char *out, const char *prefix)
{
	size_t pl = strlen(prefix), ml = strlen(CONF_SHOW_MASK);

	for (const char *p = out; (p = strstr(p, prefix)); p += pl)
		if ((p == out || p[-1] == '\n') && (strncmp(p + pl, CONF_SHOW_MASK, ml) ||
						     (p[pl + ml] != ' ' && p[pl + ml] != '\n')))
			return false;
	return true;
}

/* The seeds' routers as examples/ has them pasted: each printed, parsed back, the same. */
static void test_examples(void)
{
	DIR *dir = opendir("examples");
	struct dirent *e;
	int n = 0;

	CHECK(dir != NULL);
	while (dir && (e = readdir(dir))) {
		static const char *const none[] = { NULL };
		char path[512], *text = NULL, *out;
		size_t len = 0;
		FILE *f;

		if (!strstr(e->d_name, ".conf"))
			continue;
		snprintf(path, sizeof(path), "examples/%s", e->d_name);
		f = fopen(path, "r");
		if (!f || getdelim(&text, &len, 0, f) < 0) {
			CHECK(0);
			if (f)
				fclose(f);
			free(text);
			continue;
		}
		fclose(f);
		out = round_trip(path, text, none);
		/* every key and password masked; the seeds' own never printed */
		CHECK(masked(out, "crypto isakmp key ") && masked(out, " ip nhrp authentication "));
		CHECK(!strstr(out, "cisco123") && !strstr(out, "NHRPAUTH") &&
		      !strstr(out, "key cisco "));
		n++;
		free(out);
		free(text);
	}
	if (dir)
		closedir(dir);
	CHECK(n >= 12);		/* seeds 000, 002, 003, 004: every router */
}

/* Through the control socket's answerer: the daemon's own configuration. */
static void test_running_daemon(void)
{
	char *out = run(&H, "show running-config");

	CHECK(has_exact(out, "crypto isakmp key ***** address 0.0.0.0 0.0.0.0") &&
	      has_exact(out, " ip nhrp authentication *****") && !strstr(out, "cisco123") &&
	      !strstr(out, "NHRPAUTH"));
	free(out);
}

int main(int argc, char **argv)
{
	json_out = fopen(argc > 1 ? argv[1] : "/dev/null", "w");
	if (!json_out || ike_crypto_init())
		return 1;
	log_open(true, false);
	log_max_prio = LOG_CRIT;	/* the engines' info lines: not this test's */
	fputc('[', json_out);
	test_running_config();
	test_examples();
	CHECK(bring_up() == 0);
	CHECK(S.d.ike.sas && S.d.ike.sas->state == IKE_P1_COMPLETE && S.d.ike.children &&
	      H.d.ike.children);
	if (S.d.ike.children && H.d.ike.children) {
		traffic();
		test_isakmp();
		test_session();
		test_ipsec();
		test_sockets_engine();
		test_cac();
		test_nhrp();
		test_running_daemon();
		json_all();
		test_rekey();
		test_clear_sa();
		test_clear_session();
		test_empty();
		test_vti6();
		test_mgre_tunnel();
		test_nhrp6();
	}
	test_debug();
	fputs("null]\n", json_out);
	fclose(json_out);
	node_fini(&H);
	node_fini(&S);
	ike_crypto_fini();
	return check_summary();
}
