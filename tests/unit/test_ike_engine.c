// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's IKEv1 engine end to end, two instances talking through an
 * in-memory wire (drop and duplicate on demand) with SPIs and SAs recorded
 * where the module would hold them: Main Mode and Quick Mode for the
 * issue's proposals, PFS, the keys of each direction agreeing, wrong keys
 * and proposals refused, retransmission and duplicates, DELETE, DPD,
 * INITIAL-CONTACT after a restart, rekey.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <time.h>
#include <uthash.h>
#include "check.h"
#include "ike/ike.h"
#include "lib/log.h"

struct ksa {
	bool used, inbound;
	struct p2_prot prot;
	uint16_t encap;
	bool tunnel;		/* the mode the carrier installs (mgre: MGRE_MODE_TUNNEL) */
	uint32_t spi;
	uint8_t key[200];
	size_t len;
	uint32_t life;
};

struct node {
	struct ike ike;
	struct conf conf;
	struct ike_path path;	/* from this node to the other */
	struct ike_gre gre;	/* its mgre device */
	struct node *peer;
	struct node *peer2;	/* a hub's second peer, by its address */
	bool hub;		/* sees each sender's own address (no NAT towards a hub) */
	uint16_t nat_port;	/* its NAT maps its port 4500 here (500: nat_port + 1) */
	struct ksa sa[16];
	uint32_t next_spi;
	int sent;
	size_t qm_len;		/* the last Quick Mode message it sent, bytes */
};

struct pkt {
	struct node *to, *from;
	uint16_t sport, dport;	/* as sent: the NAT in between keeps ports */
	uint8_t b[IKE_PKT_MAX + 4];
	size_t n;
};

static struct pkt wire[64];
static int nwire;
static int drop_next;		/* drop the next N packets */
static int dup_next;		/* deliver the next packet twice */
static int keepalives;		/* 0xff datagrams seen */
static bool cut;		/* the link is down */
static bool sink;		/* what goes to no node vanishes (answers to a flood) */
static int64_t clock_ms = 1000000;

static int w_send(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n)
{
	struct node *me = ike->priv;

	me->sent++;
	if (n > 4 + 18 && p[(addr_port(&path->remote) == ISAKMP_NATT_PORT ? 4 : 0) + 18] ==
			  ISAKMP_XCHG_QUICK)
		me->qm_len = n;
	if (n == 1 && p[0] == 0xff) {
		keepalives++;
		return 0;
	}
	if (cut)
		return 0;
	if (sink && !addr_same(&path->remote, &me->peer->path.local) &&
	    !(me->peer2 && addr_same(&path->remote, &me->peer2->path.local)))
		return 0;
	if (drop_next > 0) {
		drop_next--;
		return 0;
	}
	for (int i = 0; i <= (dup_next > 0); i++) {
		if (nwire == 64 || n > IKE_PKT_MAX + 4)
			return -1;
		uint16_t dport = addr_port(&path->remote);
		struct node *to = me->peer2 && addr_same(&path->remote, &me->peer2->path.local) ?
				  me->peer2 : me->peer;

		/* a second host behind one NAT: the port its NAT mapped tells it apart */
		if (me->peer2 && me->peer2->nat_port &&
		    (dport == me->peer2->nat_port || dport == me->peer2->nat_port + 1))
			to = me->peer2;
		wire[nwire].to = to;
		wire[nwire].from = me;
		wire[nwire].sport = addr_port(&path->local);
		wire[nwire].dport = dport;
		if (me->nat_port)	/* out through its NAT */
			wire[nwire].sport = me->nat_port + (wire[nwire].sport != ISAKMP_NATT_PORT);
		if (to->nat_port && dport == to->nat_port)	/* in through the receiver's */
			wire[nwire].dport = ISAKMP_NATT_PORT;
		else if (to->nat_port && dport == to->nat_port + 1)
			wire[nwire].dport = ISAKMP_PORT;
		memcpy(wire[nwire].b, p, n);
		wire[nwire].n = n;
		nwire++;
	}
	if (dup_next > 0)
		dup_next--;
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

	for (int i = 0; i < 16; i++) {
		struct ksa *s = &me->sa[i];

		if (s->used)
			continue;
		s->used = true;
		s->inbound = inbound;
		s->spi = inbound ? c->spi_in : c->spi_out;
		memcpy(s->key, enc, enc_len);
		memcpy(s->key + enc_len, auth, auth_len);
		s->len = enc_len + auth_len;
		s->life = c->a.life_sec;
		s->prot = c->prot;
		s->encap = c->a.encap;
		s->tunnel = p2_tunnel_mode(&c->a);
		return 0;
	}
	return -1;
}

static int w_del(struct ike *ike, const struct child *c, bool inbound)
{
	struct node *me = ike->priv;
	uint32_t spi = inbound ? c->spi_in : c->spi_out;

	for (int i = 0; i < 16; i++)
		if (me->sa[i].used && me->sa[i].inbound == inbound && me->sa[i].spi == spi)
			me->sa[i].used = false;
	return 0;
}

static int p1_failures;	/* acquires whose phase 1 failed (ops->failed) */

static void w_failed(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot)
{
	struct node *me = ike->priv;

	p1_failures += prot->kind == P2_MGRE && prot->ifindex == me->gre.ifindex &&
		  addr_same(&path->remote, &me->path.remote);
}

static const struct ike_ops w_ops = { w_send, w_spi, w_add, w_del, w_failed };

static struct ksa *ksa(struct node *n, uint32_t spi, bool inbound)
{
	for (int i = 0; i < 16; i++)
		if (n->sa[i].used && n->sa[i].spi == spi && n->sa[i].inbound == inbound)
			return &n->sa[i];
	return NULL;
}

static int nksa(struct node *n)
{
	int k = 0;

	for (int i = 0; i < 16; i++)
		k += n->sa[i].used;
	return k;
}

static int nchildren(struct node *n)
{
	int k = 0;

	for (struct child *c = n->ike.children; c; c = c->next)
		k++;
	return k;
}

static void addr(struct sockaddr_storage *ss, const char *a)
{
	uint8_t b[16];
	int family = strchr(a, ':') ? AF_INET6 : AF_INET;

	inet_pton(family, a, b);
	addr_set(ss, family, b, 500);
}

static struct node A, B;

/* The kernel says one of a pair's SAs expired, naming it as its carrier does. */
static void expire(struct node *n, const struct child *c, bool inbound, bool hard)
{
	bool mgre = c->prot.kind == P2_MGRE;

	if (inbound)
		ike_expire(&n->ike, mgre ? IKE_CARRIER_MGRE : IKE_CARRIER_XFRM,
			   mgre ? NULL : &c->path.local, c->spi_in, IPPROTO_ESP, hard);
	else
		ike_expire(&n->ike, mgre ? IKE_CARRIER_MGRE : IKE_CARRIER_XFRM, &c->path.remote,
			   c->spi_out, IPPROTO_ESP, hard);
}

static int setup(struct node *n, struct node *peer, const char *me, const char *them,
		 const char *conf_text, uint32_t spi_base)
{
	char err[256];

	ike_fini(&n->ike);
	conf_free(&n->conf);
	memset(n, 0, sizeof(*n));
	if (conf_parse("test.conf", conf_text, &n->conf, err, sizeof(err))) {
		printf("#   %s\n", err);
		return -1;
	}
	ike_init(&n->ike, &n->conf, &w_ops, n);
	n->ike.now = clock_ms;
	n->peer = peer;
	n->next_spi = spi_base;
	addr(&n->path.local, me);
	addr(&n->path.remote, them);
	/* the mgre device (ifindex 7) with this node's address as tunnel source */
	n->gre.ifindex = 7;
	snprintf(n->gre.profile, sizeof(n->gre.profile), "%s", n->conf.ifaces[0].profile);
	n->gre.local = n->path.local;
	return ike_set_gre(&n->ike, &n->gre, 1);
}

/* Traffic for the mgre device wants an SA (the module's ACQUIRE). */
static int acquire(struct node *n)
{
	struct p2_prot p;

	ike_prot_mgre(&n->ike, &n->path, &p);
	return ike_acquire(&n->ike, &n->path, &p);
}

/* Deliver until the wire is quiet (at most limit packets). */
static int pump(int limit)
{
	int n = 0;

	while (nwire && n < limit) {
		struct pkt p = wire[0];
		struct ike_path path;

		memmove(wire, wire + 1, sizeof(wire[0]) * (size_t)--nwire);
		path.local = p.to->path.local;
		path.remote = p.to->hub ? p.from->path.local : p.to->path.remote;
		addr_set_port(&path.local, p.dport);
		addr_set_port(&path.remote, p.sport);
		p.to->ike.now = clock_ms;
		if (p.dport == ISAKMP_NATT_PORT) {	/* the non-ESP marker, as dmvpnd strips it */
			CHECK(p.n > 4 && !memcmp(p.b, "\0\0\0\0", 4));
			ike_input(&p.to->ike, &path, p.b + 4, p.n - 4);
		} else {
			ike_input(&p.to->ike, &path, p.b, p.n);
		}
		n++;
	}
	return n;
}

static void advance(int64_t ms)
{
	for (int64_t t = 0; t < ms; t += 500) {
		clock_ms += 500;
		A.ike.now = B.ike.now = clock_ms;
		ike_tick(&A.ike);
		ike_tick(&B.ike);
		pump(100);
	}
}

#define CONF(pol, tset, extra)							\
	"crypto isakmp policy 10\n" pol " authentication pre-share\n"		\
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"			\
	"crypto ipsec transform-set strong " tset "\n mode transport\n"		\
	"crypto ipsec profile cisco\n set transform-set strong\n" extra		\
	"interface Tunnel0\n tunnel protection ipsec profile cisco\n"

static const char *state_of(struct node *n)
{
	return n->ike.sas ? ike_state_name(n->ike.sas->state) : "none";
}

/* The pair each side installed: A's outbound is B's inbound, same keys. */
static bool pairs_agree(void)
{
	struct child *a = A.ike.children, *b = B.ike.children;
	struct ksa *ao, *ai, *bo, *bi;

	if (!a || !b)
		return false;
	ao = ksa(&A, a->spi_out, false);
	ai = ksa(&A, a->spi_in, true);
	bo = ksa(&B, b->spi_out, false);
	bi = ksa(&B, b->spi_in, true);
	if (!ao || !ai || !bo || !bi || a->spi_out != b->spi_in || a->spi_in != b->spi_out)
		return false;
	return ao->len == bi->len && !memcmp(ao->key, bi->key, ao->len) && ai->len == bo->len &&
	       !memcmp(ai->key, bo->key, ai->len) && memcmp(ao->key, ai->key, ao->len) &&
	       ao->len > 0;
}

static int establish(const char *ca, const char *cb)
{
	nwire = 0;
	if (setup(&A, &B, "10.0.0.1", "10.0.0.2", ca, 0x1000) ||
	    setup(&B, &A, "10.0.0.2", "10.0.0.1", cb, 0x2000))
		return -1;
	if (acquire(&A))
		return -1;
	pump(100);
	return 0;
}

static void test_suites(void)
{
	static const struct {
		const char *pol, *tset, *extra;
		size_t keylen;
	} t[] = {
		/* seed 002 and the interop list */
		{ " encr 3des\n hash md5\n group 2\n", "esp-3des esp-md5-hmac",
		  " set security-association lifetime seconds 120\n", 24 + 16 },
		{ " encr 3des\n hash sha\n group 2\n", "esp-3des esp-sha-hmac", "", 24 + 20 },
		{ " encr aes\n hash sha\n group 14\n", "esp-aes esp-sha-hmac", "", 16 + 20 },
		{ " encr aes 256\n hash sha256\n group 14\n", "esp-aes 256 esp-sha256-hmac", "",
		  32 + 32 },
		{ " encr des\n hash md5\n group 1\n", "esp-des esp-md5-hmac", "", 8 + 16 },
		{ " encr aes 192\n hash sha384\n group 20\n", "esp-gcm 256", " set pfs group19\n",
		  32 + 4 },
		{ " encr aes\n hash sha512\n group 19\n", "esp-aes 192 esp-sha512-hmac",
		  " set pfs group14\n", 24 + 64 },
		{ " hash md5\n group 24\n", "esp-null esp-sha-hmac", "", 20 },
		/* Aggressive Mode, when configured on both */
		{ " encr 3des\n hash sha\n group 2\n", "esp-3des esp-sha-hmac",
		  "crypto isakmp aggressive-mode\n", 24 + 20 },
		{ " encr aes 256\n hash sha256\n group 14\n", "esp-aes 256 esp-sha256-hmac",
		  " set pfs group14\ncrypto isakmp aggressive-mode\n", 32 + 32 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char conf[1024];
		struct child *a;

		snprintf(conf, sizeof(conf), CONF("%s", "%s", "%s"), t[i].pol, t[i].tset,
			 t[i].extra);
		CHECK(establish(conf, conf) == 0);
		a = A.ike.children;
		CHECK(A.ike.sas && A.ike.sas->state == IKE_P1_COMPLETE);
		CHECK(B.ike.sas && B.ike.sas->state == IKE_P1_COMPLETE);
		CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && nksa(&A) == 2 && nksa(&B) == 2);
		CHECK(pairs_agree());
		CHECK(a && ksa(&A, a->spi_out, false) && ksa(&A, a->spi_out, false)->len == t[i].keylen);
		CHECK(a && a->a.encap == ENCAP_TRANSPORT);
		if (i == 0)
			CHECK(a && a->a.life_sec == 120 && a->a.life_kb == 4608000);
		if (!A.ike.children || !pairs_agree())
			printf("#   suite %zu: A %s, B %s\n", i, state_of(&A), state_of(&B));
		/* MM 6 (or AM 3) + QM 3 messages, nothing more */
		CHECK(A.sent + B.sent == (strstr(t[i].extra, "aggressive") ? 6 : 9));
	}
}

static void test_refusals(void)
{
	char a[1024], b[1024];

	snprintf(a, sizeof(a), CONF("%s", "%s", ""), " encr aes\n group 14\n", "esp-aes esp-sha-hmac");
	snprintf(b, sizeof(b), "%s", a);
	/* wrong pre-shared key: MM5 does not verify, nothing installed */
	strcpy(strstr(b, "cisco123"), "wrong123 address 0.0.0.0 0.0.0.0\ncrypto ipsec transform-set strong esp-aes esp-sha-hmac\n mode transport\ncrypto ipsec profile cisco\n set transform-set strong\ninterface Tunnel0\n tunnel protection ipsec profile cisco\n");
	CHECK(establish(a, b) == 0);
	CHECK(nchildren(&A) == 0 && nchildren(&B) == 0 && nksa(&A) == 0 && nksa(&B) == 0);
	CHECK(B.ike.sas && B.ike.sas->state == IKE_R_MM4);
	advance(200000);	/* retransmissions die out, half-open SAs go */
	CHECK(!A.ike.sas && !B.ike.sas);

	/* no common phase-1 proposal */
	snprintf(b, sizeof(b), CONF("%s", "%s", ""), " encr 3des\n group 2\n", "esp-aes esp-sha-hmac");
	CHECK(establish(a, b) == 0);
	advance(1000);
	CHECK(!B.ike.sas && nchildren(&A) == 0);
	CHECK(!A.ike.sas);	/* NO_PROPOSAL_CHOSEN ends the initiator's attempt */

	/* no common phase-2 proposal: phase 1 stays, no SAs */
	snprintf(b, sizeof(b), CONF("%s", "%s", ""), " encr aes\n group 14\n", "esp-3des esp-sha-hmac");
	CHECK(establish(a, b) == 0);
	CHECK(A.ike.sas && A.ike.sas->state == IKE_P1_COMPLETE && nksa(&A) == 0 && nksa(&B) == 0);

	/* aggressive mode offered to a responder that does not take it */
	snprintf(b, sizeof(b), CONF("%s", "%s", "crypto isakmp aggressive-mode\n"),
		 " encr aes\n group 14\n", "esp-aes esp-sha-hmac");
	CHECK(establish(b, a) == 0);
	CHECK(!B.ike.sas && nksa(&A) == 0 && A.ike.sas && A.ike.sas->state == IKE_I_AM1);
	/* aggressive mode with the wrong key: HASH_R fails at the initiator */
	snprintf(b, sizeof(b), CONF("%s", "%s", "crypto isakmp aggressive-mode\n"),
		 " encr aes\n group 14\n", "esp-aes esp-sha-hmac");
	{
		char w[1024];

		snprintf(w, sizeof(w), "%s", b);
		memcpy(strstr(w, "cisco123"), "cisco124", 8);
		CHECK(establish(b, w) == 0);
		CHECK(nksa(&A) == 0 && nksa(&B) == 0 && (!A.ike.sas ||
		      A.ike.sas->state == IKE_DEST_SA));
	}

	/* PFS on one side only */
	snprintf(b, sizeof(b), CONF("%s", "%s", " set pfs group14\n"), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	CHECK(establish(a, b) == 0);
	CHECK(nksa(&A) == 0 && nksa(&B) == 0);
	advance(70000);
	CHECK(A.ike.sas && !A.ike.sas->qms);	/* the quick mode timed out and went */
}

/*
 * Forty isakmp policies, the one both sides share last: every one is
 * offered and every one is matched (no array of the engine's own stops at
 * sixteen), whichever side has the forty.
 */
static void many_policies(char *out, size_t len, int npol, const char *last)
{
	size_t k = 0;

	for (int i = 1; i < npol; i++)
		k += (size_t)snprintf(out + k, len - k, "crypto isakmp policy %d\n encr 3des\n"
				      " hash md5\n authentication pre-share\n group 2\n"
				      " lifetime %d\n", i, 1000 + i);
	snprintf(out + k, len - k, "crypto isakmp policy %d\n%s authentication pre-share\n"
		 "crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"
		 "crypto ipsec transform-set strong esp-aes esp-sha-hmac\n mode transport\n"
		 "crypto ipsec profile cisco\n set transform-set strong\n"
		 "interface Tunnel0\n tunnel protection ipsec profile cisco\n", npol, last);
}

static void test_many_policies(void)
{
	static char many[16384], one[1024];

	many_policies(many, sizeof(many), 40, " encr aes\n group 14\n");
	many_policies(one, sizeof(one), 1, " encr aes\n group 14\n");
	/* the responder has forty, the one it shares is its last */
	CHECK(establish(one, many) == 0);
	CHECK(A.ike.children && pairs_agree());
	CHECK(B.ike.sas && B.ike.sas->chosen.enc == OAKLEY_AES_CBC);
	/* the initiator offers forty transforms in its MM1; the responder takes the last */
	CHECK(establish(many, one) == 0);
	CHECK(A.ike.children && pairs_agree());
	CHECK(A.ike.sas && A.ike.sas->chosen.group == 14);
}

static void test_loss(void)
{
	char c[1024];

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr 3des\n hash sha\n group 2\n",
		 "esp-3des esp-sha-hmac");
	/* MM5 lost: A retransmits it 10 s later */
	nwire = 0;
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000);
	setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000);
	acquire(&A);
	pump(3);		/* MM1..MM3: MM4 is on the wire */
	drop_next = 1;		/* the MM5 it brings */
	pump(100);
	CHECK(A.ike.sas->state == IKE_I_MM5 && B.ike.sas->state == IKE_R_MM4);
	advance(9000);
	CHECK(A.ike.sas->state == IKE_I_MM5);
	advance(2000);
	CHECK(A.ike.sas->state == IKE_P1_COMPLETE && pairs_agree());

	/* MM6 lost: A's retransmitted MM5 is a duplicate, B sends MM6 again */
	nwire = 0;
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000);
	setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000);
	acquire(&A);
	pump(4);		/* MM5 is on the wire */
	drop_next = 1;		/* the MM6 it brings */
	pump(100);
	CHECK(B.ike.sas->state == IKE_P1_COMPLETE && A.ike.sas->state == IKE_I_MM5);
	advance(11000);
	CHECK(B.ike.rx_dups == 1 && A.ike.sas->state == IKE_P1_COMPLETE && pairs_agree());

	/* MM1 twice: one ISAKMP SA, the copy answered again; QM1 twice: one pair */
	nwire = 0;
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000);
	setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000);
	dup_next = 1;
	acquire(&A);
	pump(6);		/* MM1 x2, MM2 x2, MM3, MM4: MM5 and a copy of MM3 */
	pump(3);		/* ...: MM6 is on the wire */
	dup_next = 1;		/* the QM1 it brings */
	pump(100);
	if (nchildren(&A) != 1 || nchildren(&B) != 1)
		printf("#   children A %d B %d, states %s %s\n", nchildren(&A), nchildren(&B),
		       state_of(&A), state_of(&B));
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
	CHECK(A.ike.rx_dups + B.ike.rx_dups >= 2);
	CHECK(!B.ike.sas->next);	/* one ISAKMP SA, not one per MM1 copy */

	/* QM2 lost: A's QM1 comes again 10 s later (not sooner), B answers the copy */
	nwire = 0;
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000);
	setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000);
	acquire(&A);
	pump(6);		/* MM1..MM6: QM1 is on the wire */
	drop_next = 1;		/* the QM2 it brings */
	pump(100);
	CHECK(nchildren(&A) == 0 && A.ike.sas && A.ike.sas->qms && B.ike.rx_dups == 0);
	advance(9000);
	CHECK(nchildren(&A) == 0 && B.ike.rx_dups == 0);
	advance(2000);
	CHECK(B.ike.rx_dups == 1 && nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
}

static void test_life(void)
{
	char c[1024], d[1024];
	struct child *old;

	snprintf(c, sizeof(c), CONF("%s", "%s", " set security-association lifetime seconds 600\n"),
		 " encr aes\n group 14\n", "esp-aes esp-sha-hmac");
	snprintf(d, sizeof(d), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	/* A offers 600 s, B would take 3600 s: the shorter one holds on both */
	CHECK(establish(c, d) == 0);
	CHECK(A.ike.children && A.ike.children->a.life_sec == 600);
	CHECK(B.ike.children && B.ike.children->a.life_sec == 600);
	/* the other way: B as responder says RESPONDER-LIFETIME 600 */
	CHECK(establish(d, c) == 0);
	CHECK(A.ike.children && A.ike.children->a.life_sec == 600 &&
	      B.ike.children && B.ike.children->a.life_sec == 600);

	/* rekey: the soft expiry brings a second pair, then the old one goes */
	old = A.ike.children;
	expire(&A, old, false, false);
	pump(100);
	CHECK(nchildren(&A) == 2 && nchildren(&B) == 2 && nksa(&A) == 4 && nksa(&B) == 4);
	CHECK(A.ike.children != old && pairs_agree());
	expire(&A, old, true, true);	/* hard: deleted, and B is told */
	pump(100);
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && nksa(&A) == 2 && nksa(&B) == 2);
	CHECK(pairs_agree());

	/* the engine's own soft timer rekeys too (a lost notification) */
	advance(600 * 1000);
	CHECK(nchildren(&A) >= 2);
}

static void test_delete_dpd_ic(void)
{
	char c[1024];
	struct ike_sa *old_b;

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	/* clear crypto sa on A: B hears the DELETE */
	CHECK(establish(c, c) == 0 && nchildren(&B) == 1);
	ike_clear_children(&A.ike);
	pump(10);
	CHECK(nchildren(&A) == 0 && nchildren(&B) == 0 && nksa(&B) == 0);
	/* clear crypto isakmp on B: A's phase 1 goes too */
	ike_clear_sas(&B.ike);
	pump(10);
	advance(500);
	CHECK(!A.ike.sas && !B.ike.sas);

	/* DPD: A probes a quiet B; B answers while it is there */
	snprintf(c, sizeof(c), CONF("%s", "%s", "") "crypto isakmp keepalive 10 2\n",
		 " encr aes\n group 14\n", "esp-aes esp-sha-hmac");
	CHECK(establish(c, c) == 0 && A.ike.sas->peer_dpd);
	advance(35000);
	CHECK(A.ike.sas && A.ike.sas->dpd_seq > 0 && A.ike.sas->dpd_missed == 0);
	CHECK(nchildren(&A) == 1);
	cut = true;	/* B is gone */
	advance(60000);
	cut = false;
	CHECK(!A.ike.sas && nchildren(&A) == 0 && nksa(&A) == 0);

	/* INITIAL-CONTACT: A restarts and comes back; B drops the old SAs */
	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	CHECK(establish(c, c) == 0 && nchildren(&B) == 1);
	old_b = B.ike.sas;
	nwire = 0;
	ike_fini(&A.ike);
	memset(&A.ike, 0, sizeof(A.ike));
	memset(A.sa, 0, sizeof(A.sa));
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x3000);
	acquire(&A);
	pump(100);
	advance(500);
	CHECK(nchildren(&B) == 1 && nksa(&B) == 2 && B.ike.sas && !B.ike.sas->next);
	CHECK(B.ike.sas != old_b && pairs_agree());
	CHECK(B.ike.children && B.ike.children->spi_out >= 0x3000);

	/*
	 * A restarts in the middle of Quick Mode (a rekey): B answered QM1 (its
	 * inbound SA in), QM2 is lost and A comes back with INITIAL-CONTACT.
	 * B's half-made pair goes with the old phase 1, its inbound SA too.
	 */
	nwire = 0;
	expire(&A, A.ike.children, false, false);
	CHECK(nwire == 1 && pump(1) == 1);
	CHECK(nksa(&B) == 3 && B.ike.sas && B.ike.sas->qms && nchildren(&B) == 1);
	nwire = 0;	/* QM2 lost */
	ike_fini(&A.ike);
	memset(&A.ike, 0, sizeof(A.ike));
	memset(A.sa, 0, sizeof(A.sa));
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x4000);
	acquire(&A);
	pump(100);
	advance(500);
	CHECK(nchildren(&B) == 1 && nksa(&B) == 2 && pairs_agree());
	CHECK(B.ike.children && B.ike.children->spi_out >= 0x4000);

	/*
	 * Both start at once, each with INITIAL-CONTACT (two spokes answering
	 * each other's NHRP resolution, seed 002): the exchanges cross and
	 * neither takes the other's down; both end with pairs that work.
	 */
	nwire = 0;
	CHECK(setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000) == 0);
	CHECK(setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000) == 0);
	CHECK(acquire(&A) == 0 && acquire(&B) == 0);
	pump(200);
	advance(500);
	CHECK(nchildren(&A) >= 1 && nchildren(&B) >= 1);
	CHECK(A.ike.sas && B.ike.sas);
	CHECK(ike_sa_established(&A.ike, &A.path) && ike_sa_established(&B.ike, &B.path));
}

static void test_hostile(void)
{
	char c[1024];
	uint8_t junk[300];

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	CHECK(establish(c, c) == 0);
	srand(3);
	for (int i = 0; i < 5000; i++) {
		size_t n = (size_t)(rand() % 300);

		for (size_t j = 0; j < n; j++)
			junk[j] = (uint8_t)rand();
		if (n >= 28 && i % 2) {	/* real cookies, so it reaches the SA */
			memcpy(junk, B.ike.sas->icky, 8);
			memcpy(junk + 8, B.ike.sas->rcky, 8);
			junk[17] = 0x10;
			junk[18] = (uint8_t)(i % 3 == 0 ? ISAKMP_XCHG_QUICK : i % 3 == 1 ?
					     ISAKMP_XCHG_INFO : ISAKMP_XCHG_IDPROT);
			junk[24] = 0, junk[25] = 0, junk[26] = (uint8_t)(n >> 8), junk[27] = (uint8_t)n;
		}
		ike_input(&B.ike, &B.path, junk, n);
	}
	CHECK(B.ike.rx_dropped > 2000);
	CHECK(B.ike.sas && B.ike.sas->state == IKE_P1_COMPLETE && nchildren(&B) == 1);
	/* still works: a rekey goes through */
	expire(&A, A.ike.children, false, false);
	pump(100);
	CHECK(nchildren(&A) == 2 && nchildren(&B) == 2);
}

/* A behind a NAT (it knows itself as 10.9.0.2, B sees 198.51.100.2) */
static void test_natt(void)
{
	char c[1024];
	struct child *a, *b;

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	nwire = 0;
	keepalives = 0;
	setup(&A, &B, "10.9.0.2", "198.51.100.1", c, 0x1000);
	setup(&B, &A, "198.51.100.1", "198.51.100.2", c, 0x2000);
	acquire(&A);
	pump(100);
	CHECK(A.ike.sas && A.ike.sas->natt == NATT_RFC && A.ike.sas->nat_here &&
	      !A.ike.sas->nat_there);
	CHECK(B.ike.sas && B.ike.sas->natt == NATT_RFC && !B.ike.sas->nat_here &&
	      B.ike.sas->nat_there);
	CHECK(A.ike.sas && ike_path_natt(&A.ike.sas->path) &&
	      addr_port(&A.ike.sas->path.remote) == 4500);
	CHECK(B.ike.sas && ike_path_natt(&B.ike.sas->path));
	a = A.ike.children;
	b = B.ike.children;
	CHECK(a && b && pairs_agree());
	CHECK(a && a->a.encap == ENCAP_UDP_TRANSPORT && b && b->a.encap == ENCAP_UDP_TRANSPORT);
	CHECK(a && ike_path_natt(&a->path) && b && ike_path_natt(&b->path));
	/* the NATed side keeps the mapping alive; the other does not */
	advance(41000);
	CHECK(keepalives == 2);
	/* a rekey stays on 4500 */
	expire(&A, a, false, false);
	pump(100);
	CHECK(nchildren(&A) == 2 && A.ike.children->a.encap == ENCAP_UDP_TRANSPORT &&
	      ike_path_natt(&A.ike.children->path));

	/* no NAT: NAT-T spoken (vendor IDs, NAT-D), nothing floats */
	nwire = 0;
	setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000);
	setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000);
	acquire(&A);
	pump(100);
	CHECK(A.ike.sas && A.ike.sas->natt && !A.ike.sas->nat_here && !A.ike.sas->nat_there &&
	      !ike_path_natt(&A.ike.sas->path));
	CHECK(A.ike.children && A.ike.children->a.encap == ENCAP_TRANSPORT && pairs_agree());
}

static void ts(struct p2_ts *t, const char *a, int plen, int proto)
{
	memset(t, 0, sizeof(*t));
	t->family = strchr(a, ':') ? AF_INET6 : AF_INET;
	inet_pton(t->family, a, t->addr);
	t->plen = (uint8_t)plen;
	t->proto = (uint8_t)proto;
}

/* Traffic within a crypto map entry's access-list line (the kernel's ACQUIRE). */
static int acquire_map(struct node *n, const char *map, int seq, const char *l, int lp,
		       const char *r, int rp)
{
	struct p2_prot p = { .kind = P2_MAP, .seq = seq };

	snprintf(p.profile, sizeof(p.profile), "%s", map);
	ts(&p.local, l, lp, 0);
	ts(&p.remote, r, rp, 0);
	return ike_acquire(&n->ike, &n->path, &p);
}

/* Seed 000: hub and spoke with crypto maps, subnet proxies, tunnel mode. */
#define MAP_CONF(acl)								\
	"crypto isakmp policy 10\n authentication pre-share\n"			\
	"crypto isakmp key cisco123 address 10.0.0.0 255.255.255.0\n"		\
	"crypto ipsec transform-set myset esp-des esp-md5-hmac\n"		\
	"crypto map mymap 10 ipsec-isakmp\n set peer %s\n set transform-set myset\n" \
	" match address 110\n"							\
	"interface eth0\n crypto map mymap\n" acl

static int establish_map(const char *acl_a, const char *acl_b)
{
	char ca[1024], cb[1024];

	snprintf(ca, sizeof(ca), MAP_CONF("%s"), "10.0.0.2", acl_a);
	snprintf(cb, sizeof(cb), MAP_CONF("%s"), "10.0.0.1", acl_b);
	nwire = 0;
	if (setup(&A, &B, "10.0.0.1", "10.0.0.2", ca, 0x1000) ||
	    setup(&B, &A, "10.0.0.2", "10.0.0.1", cb, 0x2000))
		return -1;
	ike_set_gre(&A.ike, NULL, 0), ike_set_gre(&B.ike, NULL, 0);	/* no mgre device: maps only */
	return 0;
}

static void test_crypto_map(void)
{
	struct p2_ts t;

	/* the access lists mirror each other: both lines are proxies */
	CHECK(!establish_map(
		"access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n"
		"access-list 110 permit ip 192.168.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n",
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 10.1.1.0 0.0.0.255\n"
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 192.168.1.0 0.0.0.255\n"));
	CHECK(!acquire_map(&A, "mymap", 10, "10.1.1.0", 24, "172.16.1.0", 24));
	pump(100);
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
	CHECK(B.ike.children && B.ike.children->prot.kind == P2_MAP);
	CHECK(B.ike.children && !strcmp(B.ike.children->prot.profile, "mymap") &&
	      B.ike.children->prot.seq == 10);
	ts(&t, "172.16.1.0", 24, 0);
	CHECK(B.ike.children && p2_ts_equal(&B.ike.children->prot.local, &t));
	ts(&t, "10.1.1.0", 24, 0);
	CHECK(B.ike.children && p2_ts_equal(&B.ike.children->prot.remote, &t));
	CHECK(B.ike.children && B.ike.children->a.encap == ENCAP_TUNNEL);
	CHECK(A.ike.children && A.ike.children->a.encap == ENCAP_TUNNEL);
	CHECK(ksa(&A, A.ike.children ? A.ike.children->spi_out : 0, false) &&
	      ksa(&A, A.ike.children->spi_out, false)->encap == ENCAP_TUNNEL);
	/* the second line: its own pair, under the same phase 1 */
	CHECK(!acquire_map(&A, "mymap", 10, "192.168.1.0", 24, "172.16.1.0", 24));
	pump(100);
	CHECK(nchildren(&A) == 2 && nchildren(&B) == 2 && nksa(&A) == 4 && nksa(&B) == 4);
	CHECK(A.ike.sas && !A.ike.sas->next);
	/* the same line again (a rekey): make before break marks the old pair */
	CHECK(!acquire_map(&A, "mymap", 10, "10.1.1.0", 24, "172.16.1.0", 24));
	pump(100);
	{
		int rekeyed = 0;

		for (struct child *c = A.ike.children; c; c = c->next)
			rekeyed += c->rekeyed;
		CHECK(nchildren(&A) == 3 && rekeyed == 1);
	}

	/* a responder takes a proxy within its line: one host of the subnet */
	CHECK(!establish_map(
		"access-list 110 permit ip host 10.1.1.5 172.16.1.0 0.0.0.127\n",
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 10.1.1.0 0.0.0.255\n"));
	CHECK(!acquire_map(&A, "mymap", 10, "10.1.1.5", 32, "172.16.1.0", 25));
	pump(100);
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
	ts(&t, "10.1.1.5", 32, 0);
	CHECK(B.ike.children && p2_ts_equal(&B.ike.children->prot.remote, &t));

	/* and refuses one outside every line (INVALID-ID-INFORMATION) */
	CHECK(!establish_map(
		"access-list 110 permit ip 10.1.2.0 0.0.0.255 172.16.1.0 0.0.0.255\n",
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 10.1.1.0 0.0.0.255\n"));
	CHECK(!acquire_map(&A, "mymap", 10, "10.1.2.0", 24, "172.16.1.0", 24));
	pump(100);
	CHECK(nchildren(&A) == 0 && nchildren(&B) == 0 && nksa(&B) == 0);
	CHECK(!strcmp(state_of(&A), "IKE_P1_COMPLETE"));
	/* a map's peer must match too: the same proxies from another peer fail */
	CHECK(!establish_map(
		"access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n",
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 10.1.1.0 0.0.0.255\n"));
	B.conf.maps[0].peer[3] = 9;
	CHECK(!acquire_map(&A, "mymap", 10, "10.1.1.0", 24, "172.16.1.0", 24));
	pump(100);
	CHECK(nchildren(&B) == 0);
}

/* A crypto map through a NAT: only when XFRM holds the 4500 socket (no mgre device). */
static void test_map_natt(void)
{
	static const char fmt[] =
		"crypto isakmp policy 10\n encr aes\n group 14\n authentication pre-share\n"
		"crypto isakmp key k address 198.51.100.0 255.255.255.0\n"
		"crypto ipsec transform-set t esp-aes esp-sha-hmac\n"
		"crypto map m 10 ipsec-isakmp\n set peer %s\n set transform-set t\n"
		" match address 110\ninterface eth0\n crypto map m\n"
		"access-list 110 permit ip %s 0.0.0.255 %s 0.0.0.255\n";
	char ca[1024], cb[1024];

	snprintf(ca, sizeof(ca), fmt, "198.51.100.1", "10.1.1.0", "172.16.1.0");
	snprintf(cb, sizeof(cb), fmt, "198.51.100.2", "172.16.1.0", "10.1.1.0");
	for (int xfrm_natt = 0; xfrm_natt < 2; xfrm_natt++) {
		nwire = 0;
		CHECK(!setup(&A, &B, "10.9.0.2", "198.51.100.1", ca, 0x1000));
		CHECK(!setup(&B, &A, "198.51.100.1", "198.51.100.2", cb, 0x2000));
		ike_set_gre(&A.ike, NULL, 0), ike_set_gre(&B.ike, NULL, 0);
		A.ike.xfrm_natt = B.ike.xfrm_natt = xfrm_natt;
		CHECK(!acquire_map(&A, "m", 10, "10.1.1.0", 24, "172.16.1.0", 24));
		pump(100);
		CHECK(A.ike.sas && A.ike.sas->nat_here && ike_path_natt(&A.ike.sas->path));
		if (!xfrm_natt) {	/* the module's socket: refused, and said so */
			CHECK(nchildren(&A) == 0 && nchildren(&B) == 0);
			continue;
		}
		CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
		CHECK(A.ike.children && A.ike.children->a.encap == ENCAP_UDP_TUNNEL &&
		      ike_path_natt(&A.ike.children->path));
		CHECK(B.ike.children && B.ike.children->a.encap == ENCAP_UDP_TUNNEL &&
		      B.ike.children->prot.kind == P2_MAP);
	}
}

/* Seed 003: a VTI over IPv6, proxies ::/0 both ways, tunnel mode. */
#define VTI_CONF(dst)								\
	"crypto isakmp policy 10\n authentication pre-share\n"			\
	"crypto isakmp key cisco address ipv6 ::/0\n"				\
	"crypto ipsec transform-set TRA esp-aes esp-sha-hmac\n mode transport\n" \
	"crypto ipsec profile PRO\n set transform-set TRA\n"			\
	"interface Tunnel23\n tunnel source Ethernet0/0\n tunnel mode ipsec ipv6\n" \
	" tunnel destination " dst "\n tunnel protection ipsec profile PRO\n"

static void test_vti6(void)
{
	struct p2_prot p = { .kind = P2_VTI };

	nwire = 0;
	CHECK(!setup(&A, &B, "2001:db8::2", "2001:db8::3", VTI_CONF("2001:DB8::3"), 0x1000));
	CHECK(!setup(&B, &A, "2001:db8::3", "2001:db8::2", VTI_CONF("2001:DB8::2"), 0x2000));
	ike_set_gre(&A.ike, NULL, 0), ike_set_gre(&B.ike, NULL, 0);
	snprintf(p.iface, sizeof(p.iface), "Tunnel23");
	snprintf(p.profile, sizeof(p.profile), "PRO");
	ts(&p.local, "::", 0, 0);
	ts(&p.remote, "::", 0, 0);
	CHECK(!ike_acquire(&A.ike, &A.path, &p));
	pump(100);
	CHECK(!strcmp(state_of(&A), "IKE_P1_COMPLETE") && !strcmp(state_of(&B), "IKE_P1_COMPLETE"));
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
	CHECK(B.ike.children && B.ike.children->prot.kind == P2_VTI &&
	      !strcmp(B.ike.children->prot.iface, "Tunnel23"));
	/* IOS forces tunnel mode on a VTI, whatever the transform set says */
	CHECK(B.ike.children && B.ike.children->a.encap == ENCAP_TUNNEL);
	CHECK(B.ike.children && B.ike.children->path.remote.ss_family == AF_INET6);
	/* not any-to-any: a VTI has no narrower proxies */
	nwire = 0;
	CHECK(!setup(&A, &B, "2001:db8::2", "2001:db8::3", VTI_CONF("2001:DB8::3"), 0x1000));
	CHECK(!setup(&B, &A, "2001:db8::3", "2001:db8::2", VTI_CONF("2001:DB8::2"), 0x2000));
	ike_set_gre(&A.ike, NULL, 0), ike_set_gre(&B.ike, NULL, 0);
	ts(&p.local, "2001:db8:1::", 64, 0);
	CHECK(!ike_acquire(&A.ike, &A.path, &p));
	pump(100);
	CHECK(nchildren(&A) == 0 && nchildren(&B) == 0);
	/* two VTIs carry the same any-to-any, but are not the same protection */
	{
		struct p2_prot q = p;

		ts(&p.local, "::", 0, 0);
		q = p;
		CHECK(ike_prot_same(&p, &q));
		snprintf(q.iface, sizeof(q.iface), "Tunnel24");
		CHECK(!ike_prot_same(&p, &q));
		q = p;
		q.kind = P2_MAP;
		CHECK(!ike_prot_same(&p, &q));
	}
}

/*
 * GRE on the mgre device in the mode the transform sets negotiate, as IOS:
 * "mode transport" asks for transport and accepts tunnel, a set without it
 * (seed 002's, IOS's default tunnel) offers and accepts tunnel only.
 */
#define MODE_CONF(mode)								\
	"crypto isakmp policy 10\n encr aes\n group 14\n authentication pre-share\n"	\
	"crypto isakmp key k address 0.0.0.0 0.0.0.0\n"				\
	"crypto ipsec transform-set strong esp-3des esp-md5-hmac\n" mode		\
	"crypto ipsec profile p\n set transform-set strong\n"			\
	"interface Tunnel0\n tunnel protection ipsec profile p\n"

/* Both pairs in one mode, encap as the negotiation names it, both kernel SAs alike. */
static bool mgre_pairs_in(uint16_t encap)
{
	struct child *a = A.ike.children, *b = B.ike.children;
	bool tunnel = encap != ENCAP_TRANSPORT && encap != ENCAP_UDP_TRANSPORT;

	if (nchildren(&A) != 1 || nchildren(&B) != 1 || !pairs_agree())
		return false;
	if (a->a.encap != encap || b->a.encap != encap || a->prot.kind != P2_MGRE ||
	    b->prot.kind != P2_MGRE || a->prot.remote.proto != 47 || b->prot.ifindex != 7)
		return false;
	return ksa(&A, a->spi_in, true)->tunnel == tunnel &&
	       ksa(&A, a->spi_out, false)->tunnel == tunnel &&
	       ksa(&B, b->spi_in, true)->tunnel == tunnel &&
	       ksa(&B, b->spi_out, false)->tunnel == tunnel;
}

/* A (initiator) behind a NAT when natted, else the two on one link. */
static void mode_pair(const char *ca, const char *cb, bool natted)
{
	nwire = 0;
	if (natted) {
		setup(&A, &B, "10.9.0.2", "198.51.100.1", ca, 0x1000);
		setup(&B, &A, "198.51.100.1", "198.51.100.2", cb, 0x2000);
	} else {
		setup(&A, &B, "10.0.0.1", "10.0.0.2", ca, 0x1000);
		setup(&B, &A, "10.0.0.2", "10.0.0.1", cb, 0x2000);
	}
	CHECK(!acquire(&A));
	pump(100);
	CHECK(!natted || (A.ike.sas && A.ike.sas->nat_here && ike_path_natt(&A.ike.sas->path)));
}

static void test_mgre_mode(void)
{
	static const char tun[] = MODE_CONF(""), tra[] = MODE_CONF(" mode transport\n");
	static const struct {
		const char *a, *b;
		bool tunnel;
	} t[] = {
		{ tun, tun, true },	/* seed 002's set on both: tunnel */
		{ tra, tra, false },	/* transport asked, and accepted */
		{ tun, tra, true },	/* a transport set accepts tunnel */
		{ tra, tun, true },	/* a tunnel set takes the offer's tunnel variant */
	};
	size_t qm2_len[2][4];

	for (int natted = 0; natted < 2; natted++) {
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			uint16_t want = t[i].tunnel ? ENCAP_TUNNEL : ENCAP_TRANSPORT;

			if (natted)
				want = t[i].tunnel ? ENCAP_UDP_TUNNEL : ENCAP_UDP_TRANSPORT;
			mode_pair(t[i].a, t[i].b, natted);
			CHECK(mgre_pairs_in(want));
			if (!mgre_pairs_in(want))
				printf("#   mode case %zu%s: A %s, B %s, %d/%d pairs\n", i,
				       natted ? " (NAT)" : "", state_of(&A), state_of(&B),
				       nchildren(&A), nchildren(&B));
			qm2_len[natted][i] = B.qm_len;
		}
	}
	/* NAT-OA (RFC 3947 5.2) in QM2 for transport only: two payloads more */
	CHECK(qm2_len[1][1] > qm2_len[1][0] && qm2_len[1][2] == qm2_len[1][0] &&
	      qm2_len[1][3] == qm2_len[1][0]);
	/* none without a NAT: the same QM2 either way */
	CHECK(qm2_len[0][1] == qm2_len[0][0]);
	/* a rekey keeps the mode */
	mode_pair(tra, tun, false);
	expire(&A, A.ike.children, false, false);
	pump(100);
	CHECK(nchildren(&A) == 2 && A.ike.children->a.encap == ENCAP_TUNNEL &&
	      B.ike.children && B.ike.children->a.encap == ENCAP_TUNNEL);
}

/*
 * Two DMVPN clouds on one node: the responder takes the device whose tunnel
 * source is the address the peer reached, with that device's profile; no
 * device with that source, no GRE protection.
 */
#define TWO_CLOUDS(ifaces)							\
	"crypto isakmp policy 10\n authentication pre-share\n"			\
	"crypto isakmp key k address 0.0.0.0 0.0.0.0\n"				\
	"crypto ipsec transform-set t1 esp-3des esp-md5-hmac\n mode transport\n"	\
	"crypto ipsec transform-set t2 esp-aes esp-sha-hmac\n mode transport\n"	\
	"crypto ipsec profile p1\n set transform-set t1\n"			\
	"crypto ipsec profile p2\n set transform-set t2\n" ifaces

static void two_clouds(const char *b_local0, const char *b_local1)
{
	static const char ca[] = TWO_CLOUDS("interface Tunnel1\n tunnel protection ipsec profile p2\n");
	static const char cb[] = TWO_CLOUDS("interface Tunnel0\n tunnel protection ipsec profile p1\n"
					    "interface Tunnel1\n tunnel protection ipsec profile p2\n");
	struct ike_gre g[2] = { { .ifindex = 7, .profile = "p1" }, { .ifindex = 8, .profile = "p2" } };

	nwire = 0;
	CHECK(!setup(&A, &B, "10.0.0.1", "10.0.0.2", ca, 0x1000));
	CHECK(!setup(&B, &A, "10.0.0.2", "10.0.0.1", cb, 0x2000));
	addr(&g[0].local, b_local0);
	addr(&g[1].local, b_local1);
	CHECK(!ike_set_gre(&B.ike, g, 2) && B.ike.ngre == 2);
	CHECK(ike_gre_dev(&B.ike, 8) && !strcmp(ike_gre_dev(&B.ike, 8)->profile, "p2"));
	CHECK(!ike_gre_dev(&B.ike, 9));
	CHECK(!acquire(&A));
	pump(100);
}

static void test_two_clouds(void)
{
	two_clouds("192.0.2.9", "10.0.0.2");	/* Tunnel1's source is the one A reaches */
	CHECK(nchildren(&B) == 1 && pairs_agree());
	CHECK(B.ike.children && B.ike.children->prot.ifindex == 8 &&
	      !strcmp(B.ike.children->prot.profile, "p2") &&
	      B.ike.children->a.esp_id == ESP_AES);
	two_clouds("10.0.0.2", "192.0.2.9");	/* now Tunnel0's: its profile does not match */
	CHECK(nchildren(&B) == 0 || (B.ike.children && B.ike.children->prot.ifindex == 7));
	CHECK(nchildren(&A) == 0);		/* p1's 3des-md5 is no answer to A's aes-sha */
	two_clouds("192.0.2.8", "192.0.2.9");	/* neither: not GRE we protect */
	CHECK(nchildren(&A) == 0 && nchildren(&B) == 0);
}

static struct node C;

static int nchildren_to(struct node *n, const char *peer)
{
	struct sockaddr_storage ss;
	int k = 0;

	addr(&ss, peer);
	for (struct child *c = n->ike.children; c; c = c->next)
		k += addr_same(&c->path.remote, &ss);
	return k;
}

/*
 * An SA is (destination, SPI, protocol): B and C both give A the outbound
 * SPI 0x2000; the EXPIRE of A's SA to B leaves the one to C.
 */
static void test_expire_by_said(void)
{
	char c[1024];
	struct sockaddr_storage b, cc;

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	nwire = 0;
	ike_fini(&C.ike);
	CHECK(!setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000));
	CHECK(!setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000));
	CHECK(!setup(&C, &A, "10.0.0.3", "10.0.0.1", c, 0x2000));
	A.peer2 = &C;
	A.hub = true;
	CHECK(!acquire(&B) && !acquire(&C));
	pump(100);
	CHECK(nchildren_to(&A, "10.0.0.2") == 1 && nchildren_to(&A, "10.0.0.3") == 1);
	CHECK(A.ike.children && A.ike.children->next &&
	      A.ike.children->spi_out == 0x2000 && A.ike.children->next->spi_out == 0x2000);
	addr(&b, "10.0.0.2");
	addr(&cc, "10.0.0.3");
	/* the same SPI and peer through XFRM is another SA: nothing goes */
	ike_expire(&A.ike, IKE_CARRIER_XFRM, &b, 0x2000, IPPROTO_ESP, true);
	CHECK(nchildren(&A) == 2);
	ike_expire(&A.ike, IKE_CARRIER_MGRE, &b, 0x2000, IPPROTO_ESP, true);
	pump(100);
	CHECK(nchildren_to(&A, "10.0.0.2") == 0 && nchildren_to(&A, "10.0.0.3") == 1);
	CHECK(nchildren(&B) == 0 && nchildren(&C) == 1);	/* B was told */
	/* the module's inbound SAs go by SPI alone: C's pair has A's 0x1001 */
	CHECK(A.ike.children && A.ike.children->spi_in == 0x1001);
	ike_expire(&A.ike, IKE_CARRIER_MGRE, &cc, 0x1001, IPPROTO_ESP, true);
	CHECK(nchildren(&A) == 1);	/* not an outbound SPI of C's */
	ike_expire(&A.ike, IKE_CARRIER_MGRE, NULL, 0x1001, IPPROTO_ESP, true);
	CHECK(nchildren(&A) == 0);
	pump(100);
	ike_fini(&C.ike);
	conf_free(&C.conf);
	memset(&C, 0, sizeof(C));
	A.peer2 = NULL;
	A.hub = false;
}

/* An acquire nobody answers: its phase 1 dies and the asker hears so, once. */
static void test_acquire_failed(void)
{
	char c[1024];

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	nwire = 0;
	p1_failures = 0;
	CHECK(!setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000));
	CHECK(!setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000));
	cut = true;
	CHECK(!acquire(&A) && !acquire(&A));	/* the second joins the first */
	advance(100000);
	CHECK(p1_failures == 0 && A.ike.sas);	/* still retransmitting */
	advance(100000);
	CHECK(p1_failures == 1 && !A.ike.sas);
	cut = false;
	nwire = 0;
	CHECK(!acquire(&A));
	pump(100);
	advance(2000);
	CHECK(p1_failures == 1 && pairs_agree());
}

/*
 * Two hosts behind one NAT (A 10.9.0.2 and C 10.9.2.2, both 198.51.100.2 to
 * the hub B, C's ports mapped to 40000/40001): A holds the address, C is
 * refused once authenticated and counted, A's SAs stay; A itself from
 * another port (its NAT mapping moved, and it restarted) takes over.
 */
static void test_two_behind_one_nat(void)
{
	char c[1024];
	struct child *held;

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	nwire = 0;
	ike_fini(&C.ike);
	CHECK(!setup(&A, &B, "10.9.0.2", "198.51.100.1", c, 0x1000));
	CHECK(!setup(&B, &A, "198.51.100.1", "198.51.100.2", c, 0x2000));
	CHECK(!setup(&C, &B, "10.9.2.2", "198.51.100.1", c, 0x3000));
	C.nat_port = 40000;
	B.peer2 = &C;
	CHECK(!acquire(&A));
	pump(100);
	CHECK(pairs_agree() && nchildren(&B) == 1);
	held = B.ike.children;
	CHECK(held && addr_port(&held->path.remote) == ISAKMP_NATT_PORT);
	CHECK(!acquire(&C));
	pump(100);
	CHECK(B.ike.cac.rejected_nat == 1);
	CHECK(nchildren(&C) == 0 && nchildren(&B) == 1 && B.ike.children == held);
	CHECK(pairs_agree() && nksa(&B) == 2);
	advance(2000);
	pump(100);
	CHECK(B.ike.sas && B.ike.sas->state == IKE_P1_COMPLETE && !B.ike.sas->next);
	/* A restarts behind a NAT that now maps it to 40100: the same ID, it takes over */
	nwire = 0;
	ike_fini(&C.ike);
	conf_free(&C.conf);
	memset(&C, 0, sizeof(C));
	B.peer2 = NULL;
	CHECK(!setup(&A, &B, "10.9.0.2", "198.51.100.1", c, 0x4000));
	A.nat_port = 40100;
	CHECK(!acquire(&A));
	pump(100);
	CHECK(B.ike.cac.rejected_nat == 1 && nchildren(&B) == 1 && pairs_agree());
	CHECK(B.ike.children && addr_port(&B.ike.children->path.remote) == 40100);
	A.nat_port = 0;
}

/*
 * Two pairs with one peer (two lines of a crypto map): rekeying one leaves
 * the other's flag; a rekey that fails clears the flag of its own pair only,
 * and the other still rekeys at its own soft expiry.
 */
static void test_rekey_flags(void)
{
	struct child *l1, *l2, *l2new, *n;

	CHECK(!establish_map(
		"access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n"
		"access-list 110 permit ip 192.168.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n",
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 10.1.1.0 0.0.0.255\n"
		"access-list 110 permit ip 172.16.1.0 0.0.0.255 192.168.1.0 0.0.0.255\n"));
	CHECK(!acquire_map(&A, "mymap", 10, "10.1.1.0", 24, "172.16.1.0", 24));
	pump(100);
	l1 = A.ike.children;
	advance(1000);
	CHECK(!acquire_map(&A, "mymap", 10, "192.168.1.0", 24, "172.16.1.0", 24));
	pump(100);
	l2 = A.ike.children;
	CHECK(nchildren(&A) == 2 && l1 && l2 && l1 != l2);
	if (nchildren(&A) != 2)
		return;
	/* rekey line 2: its old pair is marked, line 1's is not */
	advance(1000);
	expire(&A, l2, false, false);
	pump(100);
	l2new = A.ike.children;
	CHECK(nchildren(&A) == 3 && l2new != l2 && l2->rekeyed && !l1->rekeyed &&
	      !l2new->rekeyed);
	/* line 1's rekey is lost and times out: only line 1's flag comes back */
	cut = true;
	expire(&A, l1, false, false);
	CHECK(l1->rekeyed);
	advance(61000);
	cut = false;
	CHECK(A.ike.sas && !A.ike.sas->qms && nchildren(&A) == 3);
	CHECK(!l1->rekeyed && l2->rekeyed && !l2new->rekeyed);
	/* line 1 rekeys at its own soft expiry, line 2's old pair does not again */
	advance(l1->soft_at - clock_ms + 500);
	CHECK(l1->rekeyed && l2->rekeyed);
	n = A.ike.children;
	CHECK(n && n != l1 && n != l2new && ike_prot_same(&n->prot, &l1->prot));
}

/*
 * The responder's ACQUIRE for the pair it is negotiating: a spoke's first
 * packet over the pair it has just installed (its NHRP registration) is
 * answered by the hub before the hub reads QM3, and the answer finds no
 * outbound SA yet.  That must not start a second Quick Mode.
 */
static void test_acquire_during_qm3(void)
{
	int guard = 0;

	nwire = 0;
	CHECK(!setup(&A, &B, "10.0.0.1", "10.0.0.2", CONF(" encr aes\n group 14\n", "esp-aes esp-sha-hmac", ""), 0x1000));
	CHECK(!setup(&B, &A, "10.0.0.2", "10.0.0.1", CONF(" encr aes\n group 14\n", "esp-aes esp-sha-hmac", ""), 0x2000));
	CHECK(!acquire(&A));
	while (nwire && guard++ < 20 &&
	       !(B.ike.sas && B.ike.sas->qms && B.ike.sas->qms->state == IKE_QM_R_QM2))
		pump(1);
	CHECK(B.ike.sas && B.ike.sas->qms && B.ike.sas->qms->state == IKE_QM_R_QM2);
	CHECK(!acquire(&B));
	CHECK(B.ike.sas && B.ike.sas->qms && !B.ike.sas->qms->next);	/* no second QM */
	pump(100);
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
	/* once the pair is up, an ACQUIRE (a lost SA) does start one */
	CHECK(!acquire(&B));
	pump(100);
	CHECK(nchildren(&A) == 2 && nchildren(&B) == 2);
}

/* A node's half-open SAs from one address. */
static int half_open_from(struct node *n, const struct sockaddr_storage *ss)
{
	int k = 0;

	for (struct ike_sa *sa = ike_peer_sas(&n->ike, ss); sa; sa = sa->pnext)
		k += sa->half_open;
	return k;
}

/* MM1 as C sends it to B (C's own, captured off the wire), its cookie made i's. */
static size_t flood_mm1(uint8_t *out, int i)
{
	static uint8_t mm1[IKE_PKT_MAX];
	static size_t n;

	if (!n) {
		nwire = 0;
		acquire(&C);
		if (nwire != 1)
			return 0;
		n = wire[0].n;
		memcpy(mm1, wire[0].b, n);
		nwire = 0;
		ike_fini(&C.ike);
		ike_init(&C.ike, &C.conf, &w_ops, &C);
		C.ike.now = clock_ms;
		ike_set_gre(&C.ike, &C.gre, 1);
	}
	memcpy(out, mm1, n);
	out[0] = 0xf1;
	memcpy(out + 1, &i, sizeof(i));
	return n;
}

/* MM1 from spoofed addresses (one of 5000) to B, the clock moving step ms before each. */
static int64_t flood_step_ms;

static void flood(int from, int count, const char *one_source)
{
	uint8_t p[IKE_PKT_MAX];
	struct ike_path path = { .local = B.path.local };
	char a[32];

	for (int i = from; i < from + count; i++) {
		size_t n = flood_mm1(p, i);

		snprintf(a, sizeof(a), "100.64.%d.%d", i / 250 % 20, i % 250 + 1);
		addr(&path.remote, one_source ? one_source : a);
		clock_ms += flood_step_ms;
		B.ike.now = clock_ms;
		ike_input(&B.ike, &path, p, n);
	}
}

/* The age of B's oldest and youngest fresh SAs, ms. */
static void fresh_ages(int64_t *oldest, int64_t *youngest)
{
	*oldest = 0;
	*youngest = INT64_MAX;
	for (const struct ike_sa *sa = B.ike.fresh; sa; sa = sa->fnext) {
		if (clock_ms - sa->born > *oldest)
			*oldest = clock_ms - sa->born;
		if (clock_ms - sa->born < *youngest)
			*youngest = clock_ms - sa->born;
	}
}

/*
 * A flood of MM1 from spoofed addresses at a hub (B) with a spoke (A) up
 * and a limit of 100 in negotiation, read at one a millisecond: the hub
 * holds at most 100 half-open SAs, none gives way before IKE_FRESH_MIN_MS
 * (the MM1 over that are dropped, counted), each address at most its
 * share, the spoke's SAs are untouched, a real new spoke (C) gets through
 * while the flood goes on, the fresh SAs time out after IKE_FRESH_MS, and
 * "ike sa N" refuses a peer over it.
 */
static void test_flood(void)
{
	char cb[1024], ca[1024];
	struct sockaddr_storage one;
	int64_t oldest, youngest;
	unsigned long admitted;
	long want;
	int steps = 0;

	snprintf(ca, sizeof(ca), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	snprintf(cb, sizeof(cb), CONF("%s", "%s", "%s"), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac", "crypto call admission limit ike in-negotiation-sa 100\n");
	CHECK(establish(ca, cb) == 0 && nchildren(&B) == 1);
	CHECK(!setup(&C, &B, "10.0.0.3", "10.0.0.2", ca, 0x3000));
	B.peer2 = &C;
	B.hub = true;
	sink = true;
	CHECK(ike_in_neg_limit(&B.ike) == 100 && ike_in_neg_per_source(&B.ike) == 4);
	printf("# a half-open SA: %zu bytes, plus copies of the MM1 SA payload and of its MM2 "
	       "(MM1 here: %zu bytes)\n", sizeof(struct ike_sa),
	       flood_mm1((uint8_t[IKE_PKT_MAX]){ 0 }, 0));

	/* 10 s of it: 100 at once, then one every IKE_FRESH_MIN_MS / 100 */
	flood_step_ms = 1;
	flood(0, 10000, NULL);
	admitted = B.ike.cac.accepted - 1;
	CHECK(B.ike.half_open == 100 && B.ike.nsas == 101);
	want = 100 + (10000 - IKE_FRESH_MIN_MS) * 100L / IKE_FRESH_MIN_MS;
	CHECK((long)admitted >= want - 2 && (long)admitted <= want + 2);
	CHECK(B.ike.cac.evicted == admitted - 100 &&
	      B.ike.cac.rejected_in_neg == 10000 - admitted);
	fresh_ages(&oldest, &youngest);
	CHECK(oldest <= IKE_FRESH_MIN_MS);
	printf("# 10000 MM1 in 10 s: %lu admitted, %lu gave way (at %d ms), %lu dropped\n",
	       admitted, B.ike.cac.evicted, IKE_FRESH_MIN_MS, B.ike.cac.rejected_in_neg);
	/* an MM1 costs no Diffie-Hellman key pair: that waits for the peer's MM3 */
	for (const struct ike_sa *sa = B.ike.sas; sa; sa = sa->next)
		CHECK(!sa->fresh || !sa->dh);
	CHECK(B.ike.sas && nchildren(&B) == 1 && ike_sa_established(&B.ike, &B.path));

	/* a burst far over the limit within the minimum age: nothing gives way */
	flood_step_ms = 0;
	flood(10000, 500, NULL);
	CHECK(B.ike.cac.rejected_in_neg == 10000 - admitted + 500 && B.ike.half_open == 100);

	/* one address: its share, the oldest of its own give way */
	clock_ms += IKE_FRESH_MIN_MS;
	addr(&one, "198.18.0.9");
	flood(20000, 1000, "198.18.0.9");
	CHECK(half_open_from(&B, &one) == 4 && B.ike.half_open == 100);

	/*
	 * a real spoke while the flood goes on: 30 spoofed MM1 per message
	 * delivered, a millisecond each (60 between its MM1 and its MM3
	 * reaching the hub)
	 */
	nwire = 0;
	flood_step_ms = 1;
	CHECK(acquire(&C) == 0);
	while (nwire && steps++ < 100) {
		pump(1);
		flood(30000 + steps * 30, 30, NULL);
	}
	CHECK(C.ike.sas && C.ike.sas->state == IKE_P1_COMPLETE && nchildren(&C) == 1);
	CHECK(nchildren(&B) == 2 && B.ike.half_open == 100);
	flood_step_ms = 0;

	/* nobody answers the fresh ones: gone after IKE_FRESH_MS */
	advance(IKE_FRESH_MS + 2000);
	CHECK(B.ike.half_open == 0 && B.ike.fresh == NULL && B.ike.nsas == 2);
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 2);

	/* "ike sa 2": a third peer is refused, counted */
	B.conf.cac_sa = 2;
	flood(40000, 3, NULL);
	CHECK(B.ike.cac.rejected_sa == 3 && B.ike.nsas == 2 && B.ike.half_open == 0);
	B.conf.cac_sa = 0;
	sink = false;
	B.peer2 = NULL;
	B.hub = false;
	nwire = 0;
	ike_fini(&C.ike);
	memset(&C.ike, 0, sizeof(C.ike));
}

/* A datagram on its way, due at a time (test_flood_saturated). */
struct tpkt {
	struct pkt p;
	int64_t due;
};

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

/*
 * A flood that saturates the hub (B, a limit of 100 in negotiation, spoke
 * A up): it reads spoofed MM1 at 1000 a second, so the table would turn
 * over every 100 ms; a new spoke (C) whose MM3 reaches the hub 200 ms
 * after its MM2 left (the round trip and its Diffie-Hellman key pair),
 * slower than that turnover.  Its MM3 and MM5 are read ahead of the flood
 * (dmvpnd's second socket); its MM1 among it, sent again every 10 s and
 * more as IOS does (seed 000), each a draw against the flood.  It must be
 * in before its retransmissions run out: it was never, its SA having
 * always given way before its MM3 came.
 */
static void test_flood_saturated(void)
{
	static struct tpkt q[64];
	char cb[1024], ca[1024];
	uint32_t seed = 2026;
	int nq = 0, i = 100000;
	int64_t t0, done = -1;

	snprintf(ca, sizeof(ca), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	snprintf(cb, sizeof(cb), CONF("%s", "%s", "%s"), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac", "crypto call admission limit ike in-negotiation-sa 100\n");
	CHECK(establish(ca, cb) == 0 && nchildren(&B) == 1);
	CHECK(!setup(&C, &B, "10.0.0.3", "10.0.0.2", ca, 0x3000));
	B.peer2 = &C;
	B.hub = true;
	sink = true;
	flood_step_ms = 0;
	/* the flood going on for a second before the spoke starts */
	for (int t = 0; t < 1000; t++) {
		clock_ms++;
		flood(i++, 1, NULL);
	}
	CHECK(B.ike.half_open == 100);
	nwire = 0;
	t0 = clock_ms;
	CHECK(acquire(&C) == 0);
	while (clock_ms - t0 < 170000) {
		clock_ms++;
		/* what is due first (read ahead of the flood, or drawn among it) */
		for (int k = 0; k < nq; k++) {
			if (q[k].due > clock_ms)
				continue;
			nwire = 1;
			wire[0] = q[k].p;
			q[k] = q[--nq];
			k--;
			pump(1);
		}
		/* spoofed MM1, 0-2 a millisecond */
		for (uint32_t f = lcg(&seed) % 3; f; f--)
			flood(i++, 1, NULL);
		if (clock_ms % 10 == 0) {
			A.ike.now = B.ike.now = C.ike.now = clock_ms;
			ike_tick(&B.ike);
			ike_tick(&C.ike);
		}
		/*
		 * what they sent: the hub's answers reach C's answer 200 ms
		 * later
		 */
		for (int k = 0; k < nwire && nq < 64; k++) {
			q[nq].p = wire[k];
			q[nq].due = clock_ms + (wire[k].from == &B ? 200 : 0);
			nq++;
		}
		nwire = 0;
		if (C.ike.sas && C.ike.sas->state == IKE_P1_COMPLETE && nchildren(&C) == 1) {
			done = clock_ms - t0;
			break;
		}
	}
	printf("# a spoke 200 ms away, under 1000 spoofed MM1 a second (the table's turnover "
	       "100 ms): in after %.1f s of simulated time (%lu MM1 "
	       "admitted, %lu dropped)\n", done / 1000.0, B.ike.cac.accepted,
	       B.ike.cac.rejected_in_neg);
	CHECK(done >= 0 && done < 170000);
	for (int k = 0; k < nq; k++)	/* QM3 */
		wire[nwire++] = q[k].p;
	pump(10);
	CHECK(nchildren(&B) == 2 && B.ike.half_open <= 100 && nchildren(&A) == 1);
	sink = false;
	B.peer2 = NULL;
	B.hub = false;
	nwire = 0;
	ike_fini(&C.ike);
	memset(&C.ike, 0, sizeof(C.ike));
}

/*
 * The responder loses the SA between MM2 and MM3 (its call admission gave
 * it way, or it restarted): the initiator's MM3 goes out twice unanswered,
 * then it starts again from MM1 with a new cookie, and gets in.
 */
static void test_mm3_restart(void)
{
	char c[1024];
	uint8_t icky[8];
	unsigned long restarts;

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n group 14\n",
		 "esp-aes esp-sha-hmac");
	nwire = 0;
	CHECK(!setup(&A, &B, "10.0.0.1", "10.0.0.2", c, 0x1000) &&
	      !setup(&B, &A, "10.0.0.2", "10.0.0.1", c, 0x2000));
	CHECK(acquire(&A) == 0);
	pump(2);		/* MM1, MM2 */
	CHECK(A.ike.sas && A.ike.sas->state == IKE_I_MM3 && nwire == 1);
	memcpy(icky, A.ike.sas->icky, 8);
	nwire = 0;		/* MM3 lost ... */
	ike_clear_sas(&B.ike);	/* ... and the responder forgot us */
	nwire = 0;
	restarts = A.ike.restarts;
	advance(10500);		/* MM3 again, into nothing */
	CHECK(A.ike.sas && A.ike.sas->state != IKE_P1_COMPLETE && A.ike.restarts == restarts);
	advance(10000);		/* then MM1, and through */
	CHECK(A.ike.restarts == restarts + 1);
	CHECK(A.ike.sas && A.ike.sas->state == IKE_P1_COMPLETE && memcmp(A.ike.sas->icky, icky, 8));
	CHECK(nchildren(&A) == 1 && nchildren(&B) == 1 && pairs_agree());
}

/* The hub's kernel for the scale test: counts what is installed, holds nothing. */
static int hub_added, hub_deleted;

static int h_add(struct ike *ike, const struct child *c, bool inbound, const uint8_t *enc,
		 size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	hub_added++;
	return 0;
}

static int h_del(struct ike *ike, const struct child *c, bool inbound)
{
	hub_deleted++;
	return 0;
}

static const struct ike_ops h_ops = { w_send, w_spi, h_add, h_del };

#define NPEERS 5000

static void spoke_addr(char *buf, size_t len, int i)
{
	snprintf(buf, len, "172.16.%d.%d", i / 250, i % 250 + 1);
}

/*
 * A hub with 5000 spokes: phase 1 and quick mode with each over the wire
 * (one spoke engine at a time: it goes once its pair is up, the hub keeps
 * everything), every spoke giving the hub the outbound SPI 0x5000.  Then
 * look-ups are counted, not timed: a packet, an EXPIRE, an acquire each
 * look at a handful of objects, not thousands.
 */
static void test_scale(void)
{
	static struct node H, S;
	char c[1024], sp[32];
	struct sockaddr_storage ss;
	struct timespec t0, t1;
	unsigned long before, worst = 0;
	int complete = 0;
	struct ike_path path;

	snprintf(c, sizeof(c), CONF("%s", "%s", ""), " encr aes\n hash sha\n group 19\n",
		 "esp-aes esp-sha-hmac");
	nwire = 0;
	hub_added = hub_deleted = 0;
	spoke_addr(sp, sizeof(sp), 0);
	CHECK(!setup(&H, &S, "192.0.2.1", sp, c, 0x10000000));
	H.ike.ops = &h_ops;
	H.hub = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < NPEERS; i++) {
		spoke_addr(sp, sizeof(sp), i);
		if (setup(&S, &H, sp, "192.0.2.1", c, 0x5000) || acquire(&S))
			break;
		before = H.ike.probes;
		pump(100);
		if (H.ike.probes - before > worst)
			worst = H.ike.probes - before;
		complete += S.ike.children && S.ike.sas && S.ike.sas->state == IKE_P1_COMPLETE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %d peers: phase 1 and quick mode in %.2f s, at most %lu hub look-ups each\n",
	       NPEERS, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, worst);
	CHECK(complete == NPEERS);
	CHECK(HASH_CNT(hh_ck, H.ike.by_cookies) == NPEERS);
	CHECK(HASH_CNT(hh_in, H.ike.by_in) == NPEERS && HASH_CNT(hh_out, H.ike.by_out) == NPEERS);
	CHECK(hub_added == 2 * NPEERS);
	/* a whole MM + QM with the 5000th spoke: look-ups by key, not a walk of the lists */
	CHECK(worst < 100);

	/*
	 * dmvpnd runs the timer pass (ike_tick, a walk of every SA and pair)
	 * once a second at most: what that second costs a hub this size,
	 * measured (printed, not asserted: a test does not time things)
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 100; i++)
		ike_tick(&H.ike);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# the timer pass over %d SAs and %d pairs: %.0f us (run once a second)\n",
	       NPEERS, NPEERS,
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e5);

	/* EXPIRE of the SA to spoke 17: found by its key, spoke 18's same SPI stays */
	spoke_addr(sp, sizeof(sp), 17);
	addr(&ss, sp);
	before = H.ike.probes;
	ike_expire(&H.ike, IKE_CARRIER_MGRE, &ss, 0x5000, IPPROTO_ESP, true);
	CHECK(H.ike.probes - before < 10);
	CHECK(HASH_CNT(hh_out, H.ike.by_out) == NPEERS - 1 && hub_deleted == 2);
	CHECK(ike_peer_children(&H.ike, &ss) == NULL);
	spoke_addr(sp, sizeof(sp), 18);
	addr(&ss, sp);
	CHECK(ike_peer_children(&H.ike, &ss) && ike_peer_children(&H.ike, &ss)->spi_out == 0x5000);
	/* an acquire towards spoke 18: its established SA, a quick mode */
	path.local = H.path.local;
	path.remote = ss;
	nwire = 0;
	before = H.ike.probes;
	CHECK(ike_sa_established(&H.ike, &path) != NULL);
	CHECK(H.ike.probes - before < 10);
	nwire = 0;
	ike_fini(&S.ike);
	ike_fini(&H.ike);
	memset(&H.ike, 0, sizeof(H.ike));
	memset(&S.ike, 0, sizeof(S.ike));
}

int main(void)
{
	ike_crypto_init();
	log_open(true, getenv("IKE_DEBUG") != NULL);
	if (!getenv("IKE_DEBUG"))
		log_max_prio = LOG_CRIT;	/* IKE_DEBUG=1 for the whole trace */
	test_suites();
	test_refusals();
	test_many_policies();
	test_loss();
	test_life();
	test_delete_dpd_ic();
	test_hostile();
	test_natt();
	test_crypto_map();
	test_map_natt();
	test_vti6();
	test_mgre_mode();
	test_two_clouds();
	test_expire_by_said();
	test_acquire_failed();
	test_two_behind_one_nat();
	test_rekey_flags();
	test_acquire_during_qm3();
	test_flood();
	test_flood_saturated();
	test_mm3_restart();
	test_scale();
	ike_fini(&A.ike);
	ike_fini(&B.ike);
	ike_crypto_fini();
	return check_summary();
}
