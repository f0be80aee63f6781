// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's ISAKMP codec and SA payloads: the encodings the seeds print
 * (IOS policy 10: DES, MD5, group 1, pre-share, 86400 s as "0x0 0x1 0x51
 * 0x80"; the seed 002 transform: ESP_3DES, encaps 1, 120 s, 4608000 KB as
 * "0x0 0x46 0x50 0x0", HMAC-MD5), round trips, matching, and hostile input.
 */
#include <stdlib.h>
#include <sys/socket.h>
#include "check.h"
#include "ike/msg.h"
#include "ike/proposal.h"

static uint8_t buf[4096];

static void test_attrs(void)
{
	struct ike_buf b;
	struct ike_attr a;
	const uint8_t *p;
	size_t n;

	ike_buf_init(&b, buf, sizeof(buf));
	ike_put_attr(&b, OAKLEY_ENCRYPTION_ALGORITHM, OAKLEY_DES_CBC);
	ike_put_attr(&b, OAKLEY_LIFE_DURATION, 86400);
	CHECK(!b.err && eqhex(buf, b.len, "80010001" "000c000400015180"));
	p = buf;
	n = b.len;
	CHECK(ike_attr_next(&p, &n, &a) == 1 && a.type == 1 && a.num == 1 && a.len == 2);
	CHECK(ike_attr_next(&p, &n, &a) == 1 && a.type == 12 && a.num == 86400 && a.len == 4);
	CHECK(ike_attr_next(&p, &n, &a) == 0);
	/* TLV longer than what is left */
	n = 6;
	p = (const uint8_t *)"\x00\x0c\x00\x04\x00\x01";
	CHECK(ike_attr_next(&p, &n, &a) == -1);
	n = 3;
	CHECK(ike_attr_next(&p, &n, &a) == -1);
	/* a 9-byte value is not a number */
	p = (const uint8_t *)"\x00\x0c\x00\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09";
	n = 13;
	CHECK(ike_attr_next(&p, &n, &a) == 1 && !a.num_ok && a.len == 9);
}

/* seed 002, IOS policy 10 as the initiator's MM1 SA payload carries it */
static const struct p1_attrs pol10 = {
	.enc = OAKLEY_DES_CBC, .hash = OAKLEY_MD5, .auth = OAKLEY_PRESHARED_KEY,
	.group = 1, .life_sec = 86400,
};

static void test_p1(void)
{
	struct p1_attrs offer[3] = {
		{ .enc = OAKLEY_AES_CBC, .keylen = 256, .hash = OAKLEY_SHA2_256,
		  .auth = OAKLEY_PRESHARED_KEY, .group = 14, .life_sec = 86400 },
		pol10,
		{ .enc = OAKLEY_3DES_CBC, .hash = OAKLEY_SHA, .auth = OAKLEY_PRESHARED_KEY,
		  .group = 2, .life_sec = 28800 },
	};
	struct p1_attrs ours[2] = { offer[2], pol10 };
	struct ike_buf b;
	struct ike_msg m;
	struct ike_hdr h = { .exchange = ISAKMP_XCHG_IDPROT }, h2;
	struct p1_offer o;
	const struct ike_pl *sa;
	int which, i;

	memcpy(h.icookie, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	ike_buf_init(&b, buf, sizeof(buf));
	ike_put_hdr(&b, &h);
	p1_sa_build(&b, &pol10, NULL, 1);
	ike_put_pl(&b, ISAKMP_NP_VID, "\x4a\x13\x1c\x81", 4);
	ike_hdr_finish(&b);
	CHECK(!b.err);
	/* the header: cookies, np SA, version 1.0, exchange 2, flags 0, msgid 0, length */
	CHECK(eqhex(buf, 28, "1122334455667788" "0000000000000000" "01100200" "00000000" "0000005c"));
	/* SA payload: np VID, DOI 1, situation 1, proposal 1 ISAKMP, one transform,
	 * transform 1 KEY_IKE with DES, MD5, group 1, pre-share, 86400 s */
	CHECK(eqhex(buf + 28, 56, "0d000038" "00000001" "00000001"
		    "0000002c" "01010001"
		    "00000024" "01010000"
		    "80010001" "80020001" "80040001" "80030001" "800b0001" "000c000400015180"));
	CHECK(ike_hdr_parse(buf, b.len, &h2) == 0 && h2.len == b.len && h2.np == ISAKMP_NP_SA);
	CHECK(ike_payloads_parse(h2.np, buf + 28, b.len - 28, &m) == 0 && m.npl == 2);
	sa = ike_msg_find(&m, ISAKMP_NP_SA, 0);
	CHECK(sa && sa->len == 52 && ike_msg_find(&m, ISAKMP_NP_VID, 0));
	CHECK(sa && p1_sa_parse(sa->body, sa->len, &o) == 0 && o.n == 1);
	CHECK(!memcmp(&o.x[0], &pol10, sizeof(pol10)));

	/* three transforms; our policies in order: 3DES/SHA/2 first */
	ike_buf_init(&b, buf, sizeof(buf));
	ike_put_hdr(&b, &h);
	p1_sa_build(&b, offer, NULL, 3);
	ike_hdr_finish(&b);
	CHECK(ike_payloads_parse(ISAKMP_NP_SA, buf + 28, b.len - 28, &m) == 0);
	CHECK(p1_sa_parse(m.pl[0].body, m.pl[0].len, &o) == 0 && o.n == 3);
	CHECK(o.x[0].keylen == 256 && o.num[2] == 3);
	i = p1_match(&o, ours, 2, &which);
	CHECK(i == 2 && which == 0);
	/* a longer lifetime than ours is refused, a shorter one accepted */
	ours[0].life_sec = 3600;
	i = p1_match(&o, ours, 2, &which);
	CHECK(i == 1 && which == 1);
	ours[1].life_sec = 100000;
	CHECK(p1_match(&o, ours, 2, &which) == 1);
	ours[1].group = 2;
	CHECK(p1_match(&o, ours, 2, &which) == -1);
}

static void test_p2(void)
{
	/* seed 002: transform-set strong esp-3des esp-md5-hmac, lifetime 120 s */
	struct p2_attrs strong = {
		.esp_id = ESP_3DES, .auth = AUTH_HMAC_MD5, .encap = ENCAP_TUNNEL,
		.life_sec = 120, .life_kb = 4608000,
	};
	struct p2_attrs two[2] = {
		{ .esp_id = ESP_AES, .keylen = 256, .auth = AUTH_HMAC_SHA2_256,
		  .encap = ENCAP_TRANSPORT, .life_sec = 3600, .life_kb = 4608000 },
		strong,
	};
	struct p2_attrs ours = strong;
	struct ike_buf b;
	struct p2_offer o;
	int which;

	ike_buf_init(&b, buf, sizeof(buf));
	ike_pl_open(&b, ISAKMP_NP_NONE);	/* something before, as in a message */
	b.len = 0;
	b.np_off = (size_t)-1;
	p2_sa_build(&b, &strong, NULL, 1, 0xea8c83c1);
	CHECK(!b.err);
	CHECK(eqhex(buf, b.len, "0000003c" "00000001" "00000001"
		    "00000030" "01030401" "ea8c83c1"
		    "00000024" "01030000"
		    "80040001" "80010001" "80020078" "80010002" "000200040046500080050001"));
	CHECK(p2_sa_parse(buf + 4, b.len - 4, &o) == 0 && o.n == 1);
	CHECK(o.spi[0] == 0xea8c83c1 && !memcmp(&o.x[0], &strong, sizeof(strong)));
	CHECK(p2_match(&o, &ours, 1, &which) == 0);
	CHECK(p2_enc_key_len(&o.x[0]) == 24 && p2_auth_key_len(&o.x[0]) == 16);

	ike_buf_init(&b, buf, sizeof(buf));
	p2_sa_build(&b, two, NULL, 2, 0x1234);
	CHECK(p2_sa_parse(buf + 4, b.len - 4, &o) == 0 && o.n == 2);
	CHECK(o.prop_num[1] == 2 && o.spi[1] == 0x1234 && o.x[0].keylen == 256);
	CHECK(p2_match(&o, &ours, 1, &which) == 1);
	ours.encap = ENCAP_TRANSPORT;	/* mode must agree */
	CHECK(p2_match(&o, &ours, 1, &which) == -1);
	ours = two[0];
	ours.encap = ENCAP_UDP_TRANSPORT_DRAFT;	/* NAT-T variants of the same mode */
	CHECK(p2_match(&o, &ours, 1, &which) == 0);
	CHECK(p2_enc_key_len(&o.x[0]) == 32 && p2_auth_key_len(&o.x[0]) == 32);
	ours.group = 2;	/* PFS must agree */
	CHECK(p2_match(&o, &ours, 1, &which) == -1);
}

static void test_hostile(void)
{
	struct ike_hdr h;
	struct ike_msg m;
	struct p1_offer o1;
	struct p2_offer o2;
	uint8_t x[64] = { 0 };

	CHECK(ike_hdr_parse(x, 27, &h) == -1);
	x[17] = 0x20;	/* major version 2 */
	x[27] = 28;
	CHECK(ike_hdr_parse(x, 28, &h) == N_INVALID_MAJOR_VERSION);
	x[17] = 0x10;
	CHECK(ike_hdr_parse(x, 28, &h) == 0);
	CHECK(ike_hdr_parse(x, 40, &h) == N_PAYLOAD_MALFORMED);	/* length field disagrees */
	x[19] = 0x80;
	CHECK(ike_hdr_parse(x, 28, &h) == N_INVALID_FLAGS);
	/* payload length shorter than its header, longer than the data, zero */
	memcpy(x, "\x00\x00\x00\x03", 4);
	CHECK(ike_payloads_parse(ISAKMP_NP_NONCE, x, 8, &m) == N_PAYLOAD_MALFORMED);
	memcpy(x, "\x00\x00\x00\x09", 4);
	CHECK(ike_payloads_parse(ISAKMP_NP_NONCE, x, 8, &m) == N_PAYLOAD_MALFORMED);
	memcpy(x, "\x00\x00\x00\x08", 4);
	CHECK(ike_payloads_parse(ISAKMP_NP_NONCE, x, 8, &m) == 0 && m.npl == 1 && m.pl[0].len == 4);
	CHECK(ike_payloads_parse(99, x, 8, &m) == N_INVALID_PAYLOAD_TYPE);
	/* a chain of 4-byte payloads longer than we keep */
	for (int i = 0; i < 16; i++)
		memcpy(x + 4 * i, "\x0a\x00\x00\x04", 4);
	CHECK(ike_payloads_parse(ISAKMP_NP_NONCE, x, 64, &m) == N_PAYLOAD_MALFORMED);
	/* padding after the last payload is fine */
	memcpy(x, "\x00\x00\x00\x04", 4);
	CHECK(ike_payloads_parse(ISAKMP_NP_NONCE, x, 64, &m) == 0 && m.npl == 1);
	/* SA bodies */
	CHECK(p1_sa_parse((const uint8_t *)"\0\0\0\1\0\0\0", 7, &o1) == N_PAYLOAD_MALFORMED);
	CHECK(p1_sa_parse((const uint8_t *)"\0\0\0\2\0\0\0\1", 8, &o1) == N_DOI_NOT_SUPPORTED);
	CHECK(p1_sa_parse((const uint8_t *)"\0\0\0\1\0\0\0\2", 8, &o1) == N_SITUATION_NOT_SUPPORTED);
	/* proposal claims 2 transforms but holds 1 */
	CHECK(p1_sa_parse((const uint8_t *)"\0\0\0\1\0\0\0\1" "\0\0\0\x14\1\1\0\2"
			  "\0\0\0\x0c\1\1\0\0\x80\1\0\1", 28, &o1) == N_BAD_PROPOSAL_SYNTAX);
	/* transform length past the proposal */
	CHECK(p1_sa_parse((const uint8_t *)"\0\0\0\1\0\0\0\1" "\0\0\0\x14\1\1\0\1"
			  "\0\0\0\x10\1\1\0\0\x80\1\0\1", 28, &o1) == N_BAD_PROPOSAL_SYNTAX);
	/* phase 1 with the ESP protocol */
	CHECK(p1_sa_parse((const uint8_t *)"\0\0\0\1\0\0\0\1" "\0\0\0\x14\1\3\0\1"
			  "\0\0\0\x0c\1\1\0\0\x80\1\0\1", 28, &o1) == N_INVALID_PROTOCOL_ID);
	/* ESP with a 2-byte SPI */
	CHECK(p2_sa_parse((const uint8_t *)"\0\0\0\1\0\0\0\1" "\0\0\0\x16\1\3\2\1\0\0"
			  "\0\0\0\x0c\1\3\0\0\x80\4\0\1", 30, &o2) == N_INVALID_SPI);
	/* random bytes: no crash (ASan watches), and what is accepted stays in bounds */
	srand(7);
	{
		int accepted = 0, refused = 0, out_of_bounds = 0;

		for (int i = 0; i < 20000; i++) {
			uint8_t r[96];
			size_t n = (size_t)(rand() % 96);

			for (size_t j = 0; j < n; j++)
				r[j] = (uint8_t)rand();
			if (n >= 8) {
				memcpy(r, "\0\0\0\1\0\0\0\1", 8);
				if (n >= 12)
					r[8] = (uint8_t)(rand() % 3);
			}
			if (!p1_sa_parse(r, n, &o1) && (o1.n < 0 || o1.n > IKE_MAX_XFORMS))
				out_of_bounds++;
			if (!p2_sa_parse(r, n, &o2) && (o2.n < 1 || o2.n > IKE_MAX_XFORMS))
				out_of_bounds++;
			if (ike_payloads_parse((uint8_t)(rand() % 14), r, n, &m)) {
				refused++;
				continue;
			}
			accepted++;
			for (int k = 0; k < m.npl; k++)
				if (m.pl[k].raw < r || m.pl[k].raw + m.pl[k].raw_len > r + n ||
				    m.pl[k].body + m.pl[k].len != m.pl[k].raw + m.pl[k].raw_len)
					out_of_bounds++;
		}
		CHECK(accepted > 0 && refused > 0 && out_of_bounds == 0);
	}
}

/* Proxy identities: the IDs the seeds' quick modes carry, and hostile ones. */
static void test_ids(void)
{
	/* seed 000: 10.1.1.0/255.255.255.0, any protocol; seed 002: one host, GRE */
	static const uint8_t subnet[] = { 4, 0, 0, 0, 10, 1, 1, 0, 255, 255, 255, 0 };
	static const uint8_t host_gre[] = { 1, 47, 0, 0, 209, 168, 202, 130 };
	uint8_t idb[64], v6[36] = { 6, 0, 0, 0 };
	struct p2_ts t, u, outer;
	struct ike_buf b;
	char s[64];

	CHECK(!p2_id_parse(subnet, sizeof(subnet), &t) && t.family == AF_INET && t.plen == 24 &&
	      !t.proto && !t.port && t.addr[2] == 1 && t.addr[3] == 0);
	CHECK(!strcmp(p2_ts_str(&t, s, sizeof(s)), "10.1.1.0/255.255.255.0/0/0"));
	ike_buf_init(&b, idb, sizeof(idb));
	p2_id_put(&b, &t);
	CHECK(!b.err && b.len == 4 + sizeof(subnet) && !memcmp(idb + 4, subnet, sizeof(subnet)));
	CHECK(!p2_id_parse(host_gre, sizeof(host_gre), &u) && u.plen == 32 && u.proto == 47);
	CHECK(!strcmp(p2_ts_str(&u, s, sizeof(s)), "209.168.202.130/255.255.255.255/47/0"));
	ike_buf_init(&b, idb, sizeof(idb));
	p2_id_put(&b, &u);
	CHECK(b.len == 4 + sizeof(host_gre) && !memcmp(idb + 4, host_gre, sizeof(host_gre)));
	/* seed 003: ::/0 both ways (ID_IPV6_ADDR_SUBNET, a zero mask) */
	CHECK(!p2_id_parse(v6, sizeof(v6), &t) && t.family == AF_INET6 && t.plen == 0);
	CHECK(!strcmp(p2_ts_str(&t, s, sizeof(s)), "::/0/0/0"));
	ike_buf_init(&b, idb, sizeof(idb));
	p2_id_put(&b, &t);
	CHECK(b.len == 4 + sizeof(v6) && !memcmp(idb + 4, v6, sizeof(v6)));
	/* a subnet's host bits are dropped; containment */
	{
		uint8_t h[] = { 4, 6, 0, 22, 10, 1, 1, 77, 255, 255, 255, 128 };

		CHECK(!p2_id_parse(h, sizeof(h), &u) && u.plen == 25 && u.addr[3] == 0 &&
		      u.proto == 6 && u.port == 22);
	}
	CHECK(!p2_id_parse(subnet, sizeof(subnet), &outer));
	CHECK(p2_ts_within(&u, &outer) && !p2_ts_within(&outer, &u) && p2_ts_equal(&outer, &outer));
	CHECK(!p2_ts_within(&t, &outer));	/* another family */
	/* refused: a hole in the mask, wrong lengths, FQDN and range types */
	{
		uint8_t holey[] = { 4, 0, 0, 0, 10, 0, 0, 0, 255, 0, 255, 0 };
		uint8_t fqdn[] = { 2, 0, 0, 0, 'a', '.', 'b' };
		uint8_t range[] = { 7, 0, 0, 0, 10, 0, 0, 1, 10, 0, 0, 9 };

		CHECK(p2_id_parse(holey, sizeof(holey), &t) == -1);
		CHECK(p2_id_parse(subnet, sizeof(subnet) - 1, &t) == -1);
		CHECK(p2_id_parse(host_gre, sizeof(host_gre) + 1, &t) == -1);
		CHECK(p2_id_parse(v6, 20, &t) == -1);
		CHECK(p2_id_parse(fqdn, sizeof(fqdn), &t) == -1);
		CHECK(p2_id_parse(range, sizeof(range), &t) == -1);
		CHECK(p2_id_parse(subnet, 3, &t) == -1);
	}
}

int main(void)
{
	test_ids();
	test_attrs();
	test_p1();
	test_p2();
	test_hostile();
	return check_summary();
}
