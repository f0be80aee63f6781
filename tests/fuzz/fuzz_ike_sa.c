// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target past the crypto: the input is the plaintext of a message
 * inside b's established phase-1 SA.  The harness puts the header and the
 * HASH payload in front of it, computes the hash the exchange wants, and
 * encrypts with the SA's key and the IV the exchange expects, so every
 * mutation reaches the state machine behind the HASH check:
 *   mode 0  an informational exchange (notify, DELETE, DPD), new message ID
 *   mode 1  QM1 to b, the responder (HASH(1))
 *   mode 2  QM3 to b after a real QM1 from a and b's QM2 (HASH(3))
 *   mode 3  QM2 to b, the initiator, after b's own QM1 (HASH(2))
 *   mode 4  the same plaintext as an unencrypted informational (IOS drops
 *           those; the engine must too)
 * Input: byte 0 the mode, byte 1 the payload type after HASH, the rest the
 * payload chain.  FUZZ_IKE_SA_SEEDS=DIR at start writes a seed of each
 * mode from a real exchange into DIR and exits.
 *   make fuzz            (long run)       tests/unit/run.sh (short run)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "fuzz_pair.h"
#include "lib/log.h"

static const char conf_text[] =
	"crypto isakmp policy 10\n encr aes\n hash sha\n group 2\n authentication pre-share\n"
	"crypto isakmp key fuzz address 0.0.0.0 0.0.0.0\n"
	"crypto isakmp keepalive 10 2\n"
	"crypto ipsec transform-set T esp-aes esp-sha-hmac\n mode transport\n"
	"crypto ipsec profile P\n set transform-set T\n set pfs group2\n"
	"interface dmvpn0\n tunnel protection ipsec profile P\n"
	"crypto map m 10 ipsec-isakmp\n set peer 10.0.0.1\n set transform-set T\n"
	" match address 110\ninterface eth0\n crypto map m\n"
	"access-list 110 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255\n";

static struct conf conf;
static struct ike a, b;			/* b is fuzzed; a is its established peer */
static struct ike_path ab, ba;
static struct ike_gre gre_a, gre_b;
static uint8_t held[2][4096];		/* the last datagram each sent */
static size_t held_len[2];
static uint32_t next_msgid = 0x10000000;

static int f_send(struct ike *ike, const struct ike_path *p, const uint8_t *m, size_t n)
{
	int i = ike == &a ? 0 : 1;

	if (n <= sizeof(held[0])) {
		memcpy(held[i], m, n);
		held_len[i] = n;
	}
	return 0;
}

static const struct ike_ops ops = { f_send, f_spi, f_add, f_del };

/* Deliver what a and b hold to each other until neither sends. */
static void exchange(int rounds)
{
	uint8_t m[4096];
	size_t n;

	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < 2; i++) {
			if (!held_len[i])
				continue;
			n = held_len[i];
			memcpy(m, held[i], n);
			held_len[i] = 0;
			ike_input(i == 0 ? &b : &a, i == 0 ? &ba : &ab, m, n);
		}
	}
}

static struct ike_sa *established(struct ike *ike)
{
	for (struct ike_sa *sa = ike->sas; sa; sa = sa->next)
		if (sa->state == IKE_P1_COMPLETE)
			return sa;
	return NULL;
}

/* a and b from nothing to an established phase 1 (and a first pair). */
static void setup(void)
{
	ike_fini(&a);
	ike_fini(&b);
	ike_init(&a, &conf, &ops, NULL);
	ike_init(&b, &conf, &ops, NULL);
	ike_set_gre(&a, &gre_a, 1);
	ike_set_gre(&b, &gre_b, 1);
	held_len[0] = held_len[1] = 0;
	fuzz_acquire(&a, &ab);
	exchange(20);
	if (!established(&a) || !established(&b))
		abort();
}

/* What the exchange hashes, with the message's payloads after HASH. */
enum { HASH_INFO, HASH_1, HASH_2, HASH_3 };

/*
 * The datagram for b's SA sa: header, HASH, then chain (np: the first
 * payload's type), hashed as kind says, encrypted with iv (NULL: not
 * encrypted, no hash).  Its length, or 0.
 */
static size_t build(struct ike_sa *sa, uint8_t exchange, uint32_t msgid, int kind,
		    const struct qm *q, const uint8_t *iv, uint8_t np, const uint8_t *chain,
		    size_t len, uint8_t *out, size_t cap)
{
	uint8_t m4[4] = { msgid >> 24, msgid >> 16, msgid >> 8, msgid }, ivc[IKE_BLOCK_MAX];
	static const uint8_t zero;
	struct ike_hdr h = { .exchange = exchange, .msgid = msgid };
	struct ike_buf buf;
	size_t off, hash_at, rest;

	memcpy(h.icookie, sa->icky, 8);
	memcpy(h.rcookie, sa->rcky, 8);
	ike_buf_init(&buf, out, cap);
	ike_put_hdr(&buf, &h);
	off = ike_pl_open(&buf, ISAKMP_NP_HASH);
	hash_at = buf.len;
	ike_put_zero(&buf, sa->hash->len);
	ike_pl_close(&buf, off);
	rest = buf.len;
	ike_put(&buf, chain, len);
	if (buf.err)
		return 0;
	buf.p[off] = np;
	if (!iv) {
		ike_hdr_finish(&buf);
		return buf.len;
	}
	{
		const uint8_t *ni = q ? q->ni : NULL, *nr = q ? q->nr : NULL;
		size_t ni_len = q ? q->ni_len : 0, nr_len = q ? q->nr_len : 0;
		struct ike_iov v[4];
		int n = 0;

		if (kind == HASH_3) {
			v[n++] = IKE_IOV(&zero, 1);
			v[n++] = IKE_IOV(m4, 4);
			v[n++] = IKE_IOV(ni, ni_len);
			v[n++] = IKE_IOV(nr, nr_len);
		} else {
			v[n++] = IKE_IOV(m4, 4);
			if (kind == HASH_2)
				v[n++] = IKE_IOV(ni, ni_len);
			v[n++] = IKE_IOV(buf.p + rest, buf.len - rest);
		}
		if (ike_hash_a(sa, v, n, buf.p + hash_at))
			return 0;
	}
	memcpy(ivc, iv, sa->cipher->block);
	if (ike_encrypt(sa, ivc, &buf))
		return 0;
	return buf.len;
}

static struct qm *qm_of(struct ike_sa *sa, bool initiator, enum qm_state st)
{
	for (struct qm *q = sa->qms; q; q = q->next)
		if (q->initiator == initiator && q->state == st)
			return q;
	return NULL;
}

/* Mode 2: a real QM1 from a, b answers QM2: b's exchange waiting for QM3. */
static struct qm *b_waiting_qm3(struct ike_sa *sb)
{
	struct ike_sa *sa = established(&a);
	struct p2_prot p;

	if (!sa)
		return NULL;
	ike_prot_mgre(&a, &ab, &p);
	held_len[0] = held_len[1] = 0;
	if (qm_start(sa, &p))
		return NULL;
	if (held_len[0]) {	/* QM1 to b; its QM2 goes nowhere */
		uint8_t m[4096];
		size_t n = held_len[0];

		memcpy(m, held[0], n);
		held_len[0] = 0;
		ike_input(&b, &ba, m, n);
	}
	held_len[1] = 0;
	return qm_of(sb, false, IKE_QM_R_QM2);
}

/* Mode 3: b starts Quick Mode; its QM1 goes nowhere. */
static struct qm *b_waiting_qm2(struct ike_sa *sb)
{
	struct p2_prot p;

	ike_prot_mgre(&b, &ba, &p);
	held_len[1] = 0;
	if (qm_start(sb, &p))
		return NULL;
	held_len[1] = 0;
	return qm_of(sb, true, IKE_QM_I_QM1);
}

/* The datagram one input makes (its exchange set up first); 0 if none. */
static size_t message(const uint8_t *data, size_t size, uint8_t *out, size_t cap)
{
	struct ike_sa *sb = established(&b);
	uint8_t mode = data[0] % 5, np = data[1], iv[IKE_BLOCK_MAX];
	const uint8_t *chain = data + 2;
	size_t len = size - 2;
	uint32_t msgid = next_msgid++;
	struct qm *q;

	if (!sb)
		return 0;
	switch (mode) {
	case 0:
	case 1:
		if (ike_p2_iv(sb->hash, sb->cipher, sb->x.iv, msgid, iv))
			return 0;
		return build(sb, mode ? ISAKMP_XCHG_QUICK : ISAKMP_XCHG_INFO, msgid,
			     mode ? HASH_1 : HASH_INFO, NULL, iv, np, chain, len, out, cap);
	case 2:
		q = b_waiting_qm3(sb);
		return q ? build(sb, ISAKMP_XCHG_QUICK, q->msgid, HASH_3, q, q->x.iv, np, chain,
				 len, out, cap) : 0;
	case 3:
		q = b_waiting_qm2(sb);
		return q ? build(sb, ISAKMP_XCHG_QUICK, q->msgid, HASH_2, q, q->x.iv, np, chain,
				 len, out, cap) : 0;
	default:
		return build(sb, ISAKMP_XCHG_INFO, 0, HASH_INFO, NULL, NULL, np, chain, len, out,
			     cap);
	}
}

/* Keep the state bounded: one established SA each, no exchange, few pairs. */
static void tidy(void)
{
	struct ike_sa *sb = established(&b), *sa = established(&a);

	if (!sb || !sa || b.sas->next || a.sas->next) {
		setup();
		return;
	}
	while (sb->qms)
		qm_free(sb->qms);
	while (sa->qms)
		qm_free(sa->qms);
	if (b.children && b.children->next && b.children->next->next) {
		ike_clear_children(&b);
		ike_clear_children(&a);
	}
	held_len[0] = held_len[1] = 0;
}

/* FUZZ_IKE_SA_SEEDS: a seed per mode from the real messages' plaintext. */
static void write_seed(const char *dir, const char *name, uint8_t mode, const uint8_t *plain,
		       size_t n)
{
	char path[512];
	FILE *f;
	size_t hash_end;

	/* the plaintext's HASH payload: generic header, hash; what follows is the chain */
	if (n < ISAKMP_HDR_LEN + 4)
		return;
	hash_end = ISAKMP_HDR_LEN + ((size_t)plain[ISAKMP_HDR_LEN + 2] << 8 |
				     plain[ISAKMP_HDR_LEN + 3]);
	if (hash_end > n)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return;
	fputc(mode, f);
	fputc(plain[ISAKMP_HDR_LEN], f);
	fwrite(plain + hash_end, 1, n - hash_end, f);
	fclose(f);
}

/* The payloads' length by their own headers (the padding left out). */
static size_t chain_end(const uint8_t *p, size_t n)
{
	size_t off = ISAKMP_HDR_LEN;
	uint8_t np = p[16];

	while (np && off + 4 <= n) {
		size_t l = (size_t)p[off + 2] << 8 | p[off + 3];

		if (l < 4 || off + l > n)
			break;
		np = p[off];
		off += l;
	}
	return off;
}

static void seeds(const char *dir)
{
	struct ike_sa *sa = established(&a), *sb = established(&b);
	uint8_t plain[4096], iv[IKE_BLOCK_MAX], next[IKE_BLOCK_MAX], qm1[4096];
	size_t n, n1;
	struct p2_prot p;
	uint32_t msgid;

	/* QM1 from a (mode 1), and b's QM2 to it (mode 3's message) */
	ike_prot_mgre(&a, &ab, &p);
	held_len[0] = held_len[1] = 0;
	qm_start(sa, &p);
	n1 = held_len[0];
	memcpy(qm1, held[0], n1);
	msgid = (uint32_t)qm1[20] << 24 | qm1[21] << 16 | qm1[22] << 8 | qm1[23];
	ike_p2_iv(sb->hash, sb->cipher, sb->x.iv, msgid, iv);
	if (!ike_decrypt(sb, iv, qm1, n1, plain, next)) {
		write_seed(dir, "qm1", 1, plain, chain_end(plain, n1));
		/* the same payloads, as the informational and unencrypted modes' start */
		write_seed(dir, "info-from-qm1", 0, plain, chain_end(plain, n1));
		write_seed(dir, "clear-from-qm1", 4, plain, chain_end(plain, n1));
	}
	held_len[0] = 0;
	ike_input(&b, &ba, qm1, n1);
	n = held_len[1];
	if (n && !ike_decrypt(sb, qm1 + n1 - sb->cipher->block, held[1], n, plain, next))
		write_seed(dir, "qm2", 3, plain, chain_end(plain, n));
	exchange(2);
	/* QM3 is HASH(3) alone: an empty chain */
	write_seed(dir, "qm3", 2, (const uint8_t[ISAKMP_HDR_LEN + 24]){
		[ISAKMP_HDR_LEN + 3] = 24 }, ISAKMP_HDR_LEN + 24);
	/* a DPD R-U-THERE from a (mode 0) */
	held_len[0] = 0;
	{
		uint8_t seq[4] = { 0, 0, 0, 1 }, spis[16];

		memcpy(spis, sa->icky, 8);
		memcpy(spis + 8, sa->rcky, 8);
		info_send_notify(sa, PROTO_ISAKMP, N_R_U_THERE, spis, 16, seq, 4);
	}
	n = held_len[0];
	if (n) {
		msgid = (uint32_t)held[0][20] << 24 | held[0][21] << 16 | held[0][22] << 8 |
			held[0][23];
		ike_p2_iv(sb->hash, sb->cipher, sb->x.iv, msgid, iv);
		if (!ike_decrypt(sb, iv, held[0], n, plain, next))
			write_seed(dir, "dpd", 0, plain, chain_end(plain, n));
	}
	/* a DELETE of the pair (mode 0) */
	if (b.children) {
		uint32_t s = htonl(b.children->spi_in);

		held_len[0] = 0;
		info_send_delete(sa, PROTO_IPSEC_ESP, (const uint8_t *)&s, 4);
		n = held_len[0];
		if (n) {
			msgid = (uint32_t)held[0][20] << 24 | held[0][21] << 16 |
				held[0][22] << 8 | held[0][23];
			ike_p2_iv(sb->hash, sb->cipher, sb->x.iv, msgid, iv);
			if (!ike_decrypt(sb, iv, held[0], n, plain, next))
				write_seed(dir, "delete", 0, plain, chain_end(plain, n));
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_pair_init(conf_text, &conf, &ab, &ba, &gre_a, &gre_b);
	setup();
	if (getenv("FUZZ_IKE_SA_SEEDS")) {
		seeds(getenv("FUZZ_IKE_SA_SEEDS"));
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t m[8192];
	size_t n;

	if (size < 2 || size > 4000)
		return 0;
	n = message(data, size, m, sizeof(m));
	b.now += 100;
	a.now = b.now;
	if (n)
		ike_input(&b, &ba, m, n);
#ifdef FUZZ_TRACE	/* -DFUZZ_TRACE: what each input did (to check the harness) */
	fprintf(stderr, "mode %d: %zu bytes in, b answered %zu, pairs %d, dropped %lu\n",
		data[0] % 5, n, held_len[1], b.children ? 1 + !!b.children->next : 0,
		b.rx_dropped);
#endif
	/* what b answered goes to a, as a peer would take it */
	exchange(2);
	tidy();
	return 0;
}
