// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP codec (daemon/nhrp/wire.c): the seed 004 Registration Request
 * and Reply as IOS sends them, written down by hand from RFC 2332's layout
 * (the checksums computed apart, with Python), built and parsed; every
 * refusal; an IPv6 overlay, Error and Traffic Indications.  With tshark
 * installed, the two seed packets go through its dissector too.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "check.h"
#include "nhrp/wire.h"

/* seed 004: Registration Request, 108 bytes */
#define REQ_HEX								\
	/* afn 1, IPv4, snap 0, hops 255, pktsz 108, cksum, extoff 52, v1, type 3, shtl 4, sstl 0 */ \
	"00010800" "0000000000" "ff" "006c" "8067" "0034" "01" "03" "04" "00"	\
	/* spl 4, dpl 4, flags U|NAT, reqid 65540; 172.16.1.1, 10.1.1.1, 10.1.1.254 */ \
	"0404" "8002" "00010004" "ac100101" "0a010101" "0a0101fe"	\
	/* CIE: code 0, prefix 32, unused, mtu 17912, hold 7200, no addresses, pref 0 */ \
	"00" "20" "0000" "45f8" "1c20" "00" "00" "00" "00"		\
	/* responder, fwd and rev transit, all empty and compulsory */	\
	"80030000" "80040000" "80050000"				\
	/* authentication: SPI 1, "NHRPAUTH" */				\
	"8007000c" "00000001" "4e48525041555448"			\
	/* NAT (not compulsory): one CIE, 172.16.10.1 for 10.1.1.254, hold 0 */ \
	"00090014" "00200000" "45f80000" "04000400" "ac100a01" "0a0101fe" \
	"80000000"

/* seed 004: Registration Reply, 128 bytes (the responder holds the hub) */
#define REP_HEX								\
	"00010800" "0000000000" "ff" "0080" "53f5" "0034" "01" "04" "04" "00"	\
	"0404" "8002" "00010004" "ac100101" "0a010101" "0a0101fe"	\
	"00" "20" "0000" "45f8" "1c20" "00" "00" "00" "00"		\
	"80030014" "0020000045f81c2004000400ac100a010a0101fe"		\
	"80040000" "80050000"						\
	"8007000c" "00000001" "4e48525041555448"			\
	"00090014" "00200000" "45f80000" "04000400" "ac100a01" "0a0101fe" \
	"80000000"

static uint8_t req[256], rep[256];
static size_t req_len, rep_len;
static uint8_t buf[70000];

static void ip4(struct nhrp_addr *a, const char *s)
{
	uint8_t b[4];

	inet_pton(AF_INET, s, b);
	nhrp_addr_set(a, b, 4);
}

static void ip6(struct nhrp_addr *a, const char *s)
{
	uint8_t b[16];

	inet_pton(AF_INET6, s, b);
	nhrp_addr_set(a, b, 16);
}

static void hub_cie(struct nhrp_cie *e, uint16_t hold)
{
	memset(e, 0, sizeof(*e));
	e->prefix = 32;
	e->mtu = 17912;
	e->holdtime = hold;
	ip4(&e->nbma, "172.16.10.1");
	ip4(&e->proto, "10.1.1.254");
}

static void seed_msg(struct nhrp_msg *m, uint8_t type)
{
	nhrp_msg_init(m, type);
	m->flags = NHRP_FLAG_REG_U | NHRP_FLAG_NAT;
	m->reqid = 65540;
	ip4(&m->src_nbma, "172.16.1.1");
	ip4(&m->src_proto, "10.1.1.1");
	ip4(&m->dst_proto, "10.1.1.254");
	m->cie.n = 1;
	m->cie.e[0].prefix = 32;
	m->cie.e[0].mtu = 17912;
	m->cie.e[0].holdtime = 7200;
	m->has_responder = m->has_fwd = m->has_rev = m->has_auth = m->has_nat = true;
	if (type == NHRP_REG_REP) {
		m->responder.n = 1;
		hub_cie(&m->responder.e[0], 7200);
	}
	m->auth_spi = NHRP_AUTH_SPI_CLEARTEXT;
	m->auth_len = 8;
	memcpy(m->auth, "NHRPAUTH", 8);
	m->nat.n = 1;
	hub_cie(&m->nat.e[0], 0);
}

static bool cie_eq(const struct nhrp_cie *a, const struct nhrp_cie *b)
{
	return a->code == b->code && a->prefix == b->prefix && a->mtu == b->mtu &&
	       a->holdtime == b->holdtime && a->pref == b->pref &&
	       nhrp_addr_eq(&a->nbma, &b->nbma) && nhrp_addr_eq(&a->proto, &b->proto);
}

static bool cies_eq(const struct nhrp_cies *a, const struct nhrp_cies *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!cie_eq(&a->e[i], &b->e[i]))
			return false;
	return true;
}

/* every field a message to build has, equal */
static bool msg_eq(const struct nhrp_msg *a, const struct nhrp_msg *b)
{
	return a->afn == b->afn && a->pro_type == b->pro_type && a->hops == b->hops &&
	       a->type == b->type && a->flags == b->flags && a->reqid == b->reqid &&
	       nhrp_addr_eq(&a->src_nbma, &b->src_nbma) &&
	       nhrp_addr_eq(&a->src_proto, &b->src_proto) &&
	       nhrp_addr_eq(&a->dst_proto, &b->dst_proto) && cies_eq(&a->cie, &b->cie) &&
	       a->err_code == b->err_code && a->err_offset == b->err_offset &&
	       a->traffic_code == b->traffic_code && a->data_len == b->data_len &&
	       (!a->data_len || !memcmp(a->data, b->data, a->data_len)) &&
	       a->has_responder == b->has_responder && a->has_fwd == b->has_fwd &&
	       a->has_rev == b->has_rev && a->has_auth == b->has_auth &&
	       a->has_nat == b->has_nat && a->has_vendor == b->has_vendor &&
	       cies_eq(&a->responder, &b->responder) && cies_eq(&a->fwd, &b->fwd) &&
	       cies_eq(&a->rev, &b->rev) && cies_eq(&a->nat, &b->nat) &&
	       a->auth_spi == b->auth_spi && a->auth_len == b->auth_len &&
	       !memcmp(a->auth, b->auth, a->auth_len) && a->vendor_len == b->vendor_len &&
	       (!a->vendor_len || !memcmp(a->vendor, b->vendor, a->vendor_len)) &&
	       (!a->has_responder || a->compulsory[3] == b->compulsory[3]) &&
	       (!a->has_fwd || a->compulsory[4] == b->compulsory[4]) &&
	       (!a->has_rev || a->compulsory[5] == b->compulsory[5]) &&
	       (!a->has_auth || a->compulsory[7] == b->compulsory[7]) &&
	       (!a->has_vendor || a->compulsory[8] == b->compulsory[8]) &&
	       (!a->has_nat || a->compulsory[9] == b->compulsory[9]);
}

/* an independent checksum writer for hand-mutated packets */
static void fix_sum(uint8_t *p, size_t n)
{
	uint32_t s = 0;

	p[12] = p[13] = 0;
	for (size_t i = 0; i < n; i += 2)
		s += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	p[12] = (uint8_t)(s >> 8);
	p[13] = (uint8_t)s;
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_build_seeds(void)
{
	struct nhrp_msg m;
	size_t n;

	seed_msg(&m, NHRP_REG_REQ);
	n = nhrp_build(&m, buf, sizeof(buf));
	CHECK(n == 108);
	CHECK(eqhex(buf, n, REQ_HEX));
	/* the fields at their offsets, one by one */
	CHECK(get16(buf) == 1 && get16(buf + 2) == 0x0800);
	CHECK(!buf[4] && !buf[5] && !buf[6] && !buf[7] && !buf[8] && buf[9] == 255);
	CHECK(get16(buf + 10) == 108 && get16(buf + 14) == 52);
	CHECK(buf[16] == 1 && buf[17] == 3 && buf[18] == 4 && buf[19] == 0);
	CHECK(buf[20] == 4 && buf[21] == 4 && get16(buf + 22) == 0x8002);
	CHECK(!memcmp(buf + 24, "\x00\x01\x00\x04", 4));
	CHECK(!memcmp(buf + 28, "\xac\x10\x01\x01\x0a\x01\x01\x01\x0a\x01\x01\xfe", 12));
	CHECK(buf[40] == 0 && buf[41] == 32 && get16(buf + 44) == 17912 &&
	      get16(buf + 46) == 7200);
	CHECK(get16(buf + 52) == 0x8003 && get16(buf + 56) == 0x8004 && get16(buf + 60) == 0x8005);
	CHECK(get16(buf + 64) == 0x8007 && get16(buf + 66) == 12 && !memcmp(buf + 72, "NHRPAUTH", 8));
	CHECK(get16(buf + 80) == 0x0009 && get16(buf + 82) == 20);
	CHECK(get16(buf + 104) == 0x8000 && get16(buf + 106) == 0);
	CHECK(nhrp_checksum(buf, n) == 0 && get16(buf + 12) == 0x8067);

	seed_msg(&m, NHRP_REG_REP);
	n = nhrp_build(&m, buf, sizeof(buf));
	CHECK(n == 128);
	CHECK(eqhex(buf, n, REP_HEX));
	CHECK(get16(buf + 10) == 128 && buf[17] == 4 && get16(buf + 52) == 0x8003 &&
	      get16(buf + 54) == 20);
	CHECK(!memcmp(buf + 68, "\xac\x10\x0a\x01\x0a\x01\x01\xfe", 8));
	CHECK(nhrp_checksum(buf, n) == 0);

	/* just enough room, one byte short, none */
	seed_msg(&m, NHRP_REG_REQ);
	CHECK(nhrp_build(&m, buf, 108) == 108);
	CHECK(nhrp_build(&m, buf, 107) == 0);
	CHECK(nhrp_build(&m, buf, 0) == 0);
	CHECK(nhrp_build(&m, buf, 19) == 0);
}

static void check_seed_fields(const struct nhrp_msg *m, uint8_t type)
{
	char s[64];

	CHECK(m->afn == 1 && m->pro_type == 0x0800 && m->hops == 255 && m->type == type);
	CHECK(m->flags == 0x8002 && m->reqid == 65540);
	CHECK(!strcmp(nhrp_addr_str(&m->src_nbma, s, sizeof(s)), "172.16.1.1"));
	CHECK(!strcmp(nhrp_addr_str(&m->src_proto, s, sizeof(s)), "10.1.1.1"));
	CHECK(!strcmp(nhrp_addr_str(&m->dst_proto, s, sizeof(s)), "10.1.1.254"));
	CHECK(m->cie.n == 1 && m->cie.e[0].code == 0 && m->cie.e[0].prefix == 32 &&
	      m->cie.e[0].mtu == 17912 && m->cie.e[0].holdtime == 7200 &&
	      !m->cie.e[0].nbma.len && !m->cie.e[0].proto.len && !m->cie.e[0].pref);
	CHECK(m->has_responder && m->has_fwd && m->has_rev && m->has_auth && m->has_nat &&
	      !m->has_vendor);
	CHECK(m->fwd.n == 0 && m->rev.n == 0);
	CHECK(m->auth_spi == 1 && m->auth_len == 8 && !memcmp(m->auth, "NHRPAUTH", 8));
	CHECK(m->nat.n == 1 && m->nat.e[0].holdtime == 0 && m->nat.e[0].mtu == 17912 &&
	      m->nat.e[0].prefix == 32);
	CHECK(!strcmp(nhrp_addr_str(&m->nat.e[0].nbma, s, sizeof(s)), "172.16.10.1"));
	CHECK(!strcmp(nhrp_addr_str(&m->nat.e[0].proto, s, sizeof(s)), "10.1.1.254"));
	CHECK(m->compulsory[3] && m->compulsory[4] && m->compulsory[5] && m->compulsory[7] &&
	      !m->compulsory[9] && m->compulsory[0]);
	CHECK(m->extoff == 52);
}

static void test_parse_seeds(void)
{
	struct nhrp_msg m, want;
	char s[64];
	size_t n;

	CHECK(nhrp_parse(req, req_len, &m) == NHRP_OK);
	check_seed_fields(&m, NHRP_REG_REQ);
	CHECK(m.pktsz == 108 && m.responder.n == 0);
	seed_msg(&want, NHRP_REG_REQ);
	CHECK(msg_eq(&m, &want));
	n = nhrp_build(&m, buf, sizeof(buf));
	CHECK(n == req_len && !memcmp(buf, req, n));

	CHECK(nhrp_parse(rep, rep_len, &m) == NHRP_OK);
	check_seed_fields(&m, NHRP_REG_REP);
	CHECK(m.pktsz == 128 && m.responder.n == 1 && m.responder.e[0].holdtime == 7200);
	CHECK(!strcmp(nhrp_addr_str(&m.responder.e[0].nbma, s, sizeof(s)), "172.16.10.1"));
	seed_msg(&want, NHRP_REG_REP);
	CHECK(msg_eq(&m, &want));
	n = nhrp_build(&m, buf, sizeof(buf));
	CHECK(n == rep_len && !memcmp(buf, rep, n));

	/* link padding past pktsz is ignored */
	memcpy(buf, req, req_len);
	memset(buf + req_len, 0xee, 6);
	CHECK(nhrp_parse(buf, req_len + 6, &m) == NHRP_OK && m.pktsz == 108);
}

static void test_checksum(void)
{
	/* RFC 1071 section 3's example: the sum is ddf2 */
	CHECK(nhrp_checksum((const uint8_t *)"\x00\x01\xf2\x03\xf4\xf5\xf6\xf7", 8) == 0x220d);
	/* odd length: the last byte is padded with zero */
	CHECK(nhrp_checksum((const uint8_t *)"\x01", 1) == 0xfeff);
	CHECK(nhrp_checksum(req, req_len) == 0 && nhrp_checksum(rep, rep_len) == 0);
	memcpy(buf, req, req_len);
	buf[12] = buf[13] = 0;
	CHECK(nhrp_checksum(buf, req_len) == 0x8067);
}

/* the seed request with one change, checksum fixed unless told not */
static enum nhrp_drop mut(void (*f)(uint8_t *p, size_t *n), bool fix, struct nhrp_msg *m)
{
	static uint8_t p[512];
	size_t n = req_len;

	memcpy(p, req, req_len);
	f(p, &n);
	if (fix)
		fix_sum(p, get16(p + 10) <= n ? get16(p + 10) : n);
	return nhrp_parse(p, n, m);
}

static void m_short(uint8_t *p, size_t *n) { *n = 19; }
static void m_trunc(uint8_t *p, size_t *n) { *n = 107; }
static void m_pktsz_tiny(uint8_t *p, size_t *n) { set16(p + 10, 24); }
static void m_version(uint8_t *p, size_t *n) { p[16] = 2; }
static void m_flip(uint8_t *p, size_t *n) { p[30] ^= 1; }
static void m_zero_sum(uint8_t *p, size_t *n) { p[12] = p[13] = 0; }
static void m_afn(uint8_t *p, size_t *n) { set16(p, 3); }
static void m_shtl(uint8_t *p, size_t *n) { p[18] = 16; }
static void m_shtl_e164(uint8_t *p, size_t *n) { p[18] = 0x44; }
static void m_sstl(uint8_t *p, size_t *n) { p[19] = 4; }
static void m_proto(uint8_t *p, size_t *n) { set16(p + 2, 0x0806); }
static void m_spl(uint8_t *p, size_t *n) { p[20] = 16; }
static void m_dpl(uint8_t *p, size_t *n) { p[21] = 0; }
static void m_hops(uint8_t *p, size_t *n) { p[9] = 0; }
static void m_type0(uint8_t *p, size_t *n) { p[17] = 0; }
static void m_type9(uint8_t *p, size_t *n) { p[17] = 9; }
static void m_extoff_past(uint8_t *p, size_t *n) { set16(p + 14, 109); }
static void m_extoff_in_hdr(uint8_t *p, size_t *n) { set16(p + 14, 20); }
/* addresses past extoff: extoff moved into them */
static void m_addr_past(uint8_t *p, size_t *n) { set16(p + 14, 36); }
/* the CIE says it has an NBMA address: 4 bytes more than there are before extoff */
static void m_cie_overrun(uint8_t *p, size_t *n) { p[48] = 4; }
static void m_cie_nbma_len(uint8_t *p, size_t *n) { p[48] = 5; }
static void m_cie_subaddr(uint8_t *p, size_t *n) { p[49] = 4; }
static void m_cie_partial(uint8_t *p, size_t *n) { set16(p + 14, 48); }
/* the NAT extension's length past the packet */
static void m_ext_overrun(uint8_t *p, size_t *n) { set16(p + 82, 0x40); }
/* the NAT extension's length cuts its CIE */
static void m_ext_cie_cut(uint8_t *p, size_t *n) { set16(p + 82, 0x10); }
static void m_ext_dup(uint8_t *p, size_t *n) { set16(p + 56, 0x8003); }
static void m_no_end(uint8_t *p, size_t *n) { set16(p + 10, 104); *n = 104; }
static void m_end_len(uint8_t *p, size_t *n) { set16(p + 106, 4); }
static void m_unknown_comp(uint8_t *p, size_t *n) { set16(p + 60, 0x8006); }
static void m_unknown(uint8_t *p, size_t *n) { set16(p + 60, 0x0006); }
static void m_unknown_big(uint8_t *p, size_t *n) { set16(p + 60, 0x7fff); }
static void m_auth_short(uint8_t *p, size_t *n)
{
	/* auth's length 0 and its 12 bytes as an unknown non-compulsory extension */
	set16(p + 66, 0);
	set16(p + 68, 0x0006);
	set16(p + 70, 8);
}
static void m_auth_long(uint8_t *p, size_t *n)
{
	/* auth with "NHRPAUTH1234", then NAT with a CIE without protocol address, end */
	unhex("80070010" "00000001" "4e48525041555448" "31323334"
	      "00090010" "0020000045f8000004000000" "ac100a01" "80000000", p + 64);
}

static void test_refusals(void)
{
	struct nhrp_msg m;

	CHECK(mut(m_short, false, &m) == NHRP_DROP_SHORT);
	CHECK(nhrp_parse(req, 0, &m) == NHRP_DROP_SHORT);
	CHECK(mut(m_trunc, false, &m) == NHRP_DROP_SHORT);
	CHECK(mut(m_pktsz_tiny, true, &m) == NHRP_DROP_SHORT);
	CHECK(mut(m_version, true, &m) == NHRP_DROP_VERSION);
	CHECK(mut(m_flip, false, &m) == NHRP_DROP_CHECKSUM);
	CHECK(mut(m_zero_sum, false, &m) == NHRP_DROP_CHECKSUM);
	CHECK(mut(m_afn, true, &m) == NHRP_DROP_AFN);
	CHECK(mut(m_shtl, true, &m) == NHRP_DROP_AFN);
	CHECK(mut(m_shtl_e164, true, &m) == NHRP_DROP_AFN);
	CHECK(mut(m_sstl, true, &m) == NHRP_DROP_AFN);
	CHECK(mut(m_proto, true, &m) == NHRP_DROP_PROTO);
	CHECK(mut(m_spl, true, &m) == NHRP_DROP_PROTO);
	CHECK(mut(m_dpl, true, &m) == NHRP_DROP_PROTO);
	CHECK(mut(m_hops, true, &m) == NHRP_DROP_HOPS);
	CHECK(mut(m_type0, true, &m) == NHRP_DROP_TYPE);
	CHECK(mut(m_type9, true, &m) == NHRP_DROP_TYPE);
	CHECK(mut(m_extoff_past, true, &m) == NHRP_DROP_LENGTH);
	CHECK(mut(m_extoff_in_hdr, true, &m) == NHRP_DROP_LENGTH);
	CHECK(mut(m_addr_past, true, &m) == NHRP_DROP_LENGTH);
	CHECK(mut(m_cie_overrun, true, &m) == NHRP_DROP_CIE);
	CHECK(mut(m_cie_nbma_len, true, &m) == NHRP_DROP_CIE);
	CHECK(mut(m_cie_subaddr, true, &m) == NHRP_DROP_CIE);
	CHECK(mut(m_cie_partial, true, &m) == NHRP_DROP_CIE);
	CHECK(mut(m_ext_overrun, true, &m) == NHRP_DROP_EXT);
	CHECK(mut(m_ext_cie_cut, true, &m) == NHRP_DROP_CIE);
	CHECK(mut(m_ext_dup, true, &m) == NHRP_DROP_EXT);
	CHECK(mut(m_no_end, true, &m) == NHRP_DROP_EXT);
	CHECK(mut(m_end_len, true, &m) == NHRP_DROP_EXT);
	CHECK(mut(m_auth_short, true, &m) == NHRP_DROP_EXT);
	CHECK(mut(m_unknown_comp, true, &m) == NHRP_DROP_EXT_UNKNOWN);
	CHECK(m.bad_ext_offset == 60);
	CHECK(mut(m_unknown, true, &m) == NHRP_OK);
	CHECK(m.has_responder && m.has_fwd && !m.has_rev && m.has_auth && m.has_nat);
	CHECK(mut(m_unknown_big, true, &m) == NHRP_OK && !m.has_rev);
	/* a 12-character password: kept as matching none, and not built again */
	CHECK(mut(m_auth_long, true, &m) == NHRP_OK);
	CHECK(m.auth_len == NHRP_AUTH_MAX + 1 && !memcmp(m.auth, "NHRPAUTH", 8));
	CHECK(m.has_nat && m.nat.n == 1 && !m.nat.e[0].proto.len);
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
}

/* a packet by hand: header, mandatory part of IPv4 over IPv4, k CIEs, extensions */
static size_t raw(uint8_t *p, uint8_t type, int k, bool in_ext)
{
	size_t n = 0, at;

	memset(p, 0, 1024);
	set16(p, 1);
	set16(p + 2, 0x0800);
	p[9] = 255;
	p[16] = 1;
	p[17] = type;
	p[18] = 4;
	p[20] = p[21] = 4;
	memcpy(p + 28, "\xac\x10\x01\x01\x0a\x01\x01\x01\x0a\x01\x01\xfe", 12);
	n = 40;
	if (in_ext) {
		set16(p + 14, 40);
		set16(p + 40, 0x8004);
		n = 44;
	}
	at = n;
	for (int i = 0; i < k; i++) {
		p[n + 1] = 32;
		p[n + 8] = 4;
		p[n + 10] = 4;
		memcpy(p + n + 12, "\xac\x10\x00\x00\x0a\x00\x00\x00", 8);
		p[n + 15] = (uint8_t)i;
		p[n + 19] = (uint8_t)i;
		n += 20;
	}
	if (in_ext) {
		set16(p + 42, (uint16_t)(n - at));
		set16(p + n, 0x8000);
		n += 4;
	}
	set16(p + 10, (uint16_t)n);
	fix_sum(p, n);
	return n;
}

static void test_too_many(void)
{
	static uint8_t p[1024];
	struct nhrp_msg m;
	size_t n;

	n = raw(p, NHRP_RES_REP, 16, false);
	CHECK(nhrp_parse(p, n, &m) == NHRP_OK && m.cie.n == 16 && m.cie.e[15].proto.a[3] == 15);
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == n && !memcmp(buf, p, n));
	n = raw(p, NHRP_RES_REP, 17, false);
	CHECK(nhrp_parse(p, n, &m) == NHRP_DROP_TOO_MANY);
	n = raw(p, NHRP_RES_REQ, 16, true);
	CHECK(nhrp_parse(p, n, &m) == NHRP_OK && m.has_fwd && m.fwd.n == 16 && !m.cie.n);
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == n && !memcmp(buf, p, n));
	n = raw(p, NHRP_RES_REQ, 17, true);
	CHECK(nhrp_parse(p, n, &m) == NHRP_DROP_TOO_MANY);
	/* a responder with two CIEs */
	n = raw(p, NHRP_RES_REP, 2, true);
	p[41] = 3;
	fix_sum(p, n);
	CHECK(nhrp_parse(p, n, &m) == NHRP_DROP_EXT);
	/* no extensions at all: extoff 0, no end marker */
	n = raw(p, NHRP_PURGE_REQ, 0, false);
	CHECK(n == 40 && nhrp_parse(p, n, &m) == NHRP_OK && !m.extoff && !m.has_auth);
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 40 && !memcmp(buf, p, 40));
}

static void test_ipv6(void)
{
	struct nhrp_msg m, r;
	char s[64];
	size_t n;

	/* IPv6 over IPv4 */
	nhrp_msg_init(&m, NHRP_RES_REQ);
	m.pro_type = NHRP_PROTO_IPV6;
	m.flags = NHRP_FLAG_RES_Q | NHRP_FLAG_NAT;
	m.reqid = 7;
	ip4(&m.src_nbma, "172.16.1.1");
	ip6(&m.src_proto, "2001:db8::1");
	ip6(&m.dst_proto, "2001:db8:1::5");
	m.cie.n = 1;
	m.cie.e[0].prefix = 128;
	m.cie.e[0].mtu = 1400;
	m.cie.e[0].holdtime = 600;
	m.has_fwd = true;
	m.fwd.n = 1;
	ip4(&m.fwd.e[0].nbma, "172.16.10.1");
	ip6(&m.fwd.e[0].proto, "2001:db8::fe");
	n = nhrp_build(&m, buf, sizeof(buf));
	/* 20 + 8 + 4 + 32, a CIE of 12, then fwd 4 + 12 + 4 + 16, end 4 */
	CHECK(n == 20 + 8 + 36 + 12 + 36 + 4);
	CHECK(get16(buf + 2) == 0x86dd && buf[18] == 4 && buf[20] == 16 && buf[21] == 16);
	CHECK(get16(buf + 14) == 76 && get16(buf + 76) == 0x8004 && get16(buf + 78) == 32);
	CHECK(buf[80 + 8] == 4 && buf[80 + 10] == 16);
	CHECK(nhrp_parse(buf, n, &r) == NHRP_OK && msg_eq(&m, &r));
	CHECK(!strcmp(nhrp_addr_str(&r.dst_proto, s, sizeof(s)), "2001:db8:1::5"));
	CHECK(!strcmp(nhrp_addr_str(&r.fwd.e[0].proto, s, sizeof(s)), "2001:db8::fe"));

	/* IPv6 over IPv6 */
	m.afn = NHRP_AFN_IPV6;
	ip6(&m.src_nbma, "2001:db8:ffff::1");
	ip6(&m.fwd.e[0].nbma, "2001:db8:ffff::2");
	n = nhrp_build(&m, buf, sizeof(buf));
	CHECK(n == 20 + 8 + 48 + 12 + 48 + 4 && buf[18] == 16 && get16(buf) == 2);
	CHECK(nhrp_parse(buf, n, &r) == NHRP_OK && msg_eq(&m, &r));

	/* an IPv4 NBMA address in an IPv6 NBMA packet: not built */
	ip4(&m.fwd.e[0].nbma, "172.16.10.1");
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	/* an IPv4 protocol address in a CIE of an IPv6 overlay: not built */
	ip6(&m.fwd.e[0].nbma, "2001:db8:ffff::2");
	ip4(&m.cie.e[0].proto, "10.1.1.1");
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
}

static void test_build_refusals(void)
{
	struct nhrp_msg m;

	seed_msg(&m, NHRP_REG_REQ);
	ip6(&m.src_nbma, "2001:db8::1");
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.dst_proto.len = 0;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.cie.e[0].nbma.len = 16;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.nat.e[0].proto.len = 3;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.afn = 3;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.pro_type = 0x0806;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.type = 9;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.cie.n = NHRP_CIES_MAX + 1;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REP);
	m.responder.n = 2;
	m.responder.e[1] = m.responder.e[0];
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	seed_msg(&m, NHRP_REG_REQ);
	m.auth_len = NHRP_AUTH_MAX + 1;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 0);
	/* a vendor extension goes after NAT, before the end, not compulsory */
	seed_msg(&m, NHRP_REG_REQ);
	m.has_vendor = true;
	m.vendor = (const uint8_t *)"\x00\x00\x00\x09xy";
	m.vendor_len = 6;
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == 118);
	CHECK(get16(buf + 104) == 0x0008 && get16(buf + 106) == 6 &&
	      !memcmp(buf + 108, "\x00\x00\x00\x09xy", 6) && get16(buf + 114) == 0x8000);
	{
		struct nhrp_msg r;

		CHECK(nhrp_parse(buf, 118, &r) == NHRP_OK && msg_eq(&m, &r));
	}
}

static void test_error(void)
{
	struct nhrp_msg m, e;
	struct nhrp_addr our_nbma, our_proto;
	char s[64];
	size_t n, hdr = 20 + 8 + 12;

	CHECK(nhrp_parse(req, req_len, &m) == NHRP_OK);
	ip4(&our_nbma, "172.16.10.1");
	ip4(&our_proto, "10.1.1.254");
	n = nhrp_build_error(&m, &our_nbma, &our_proto, NHRP_ERR_UNRECOGNIZED_EXT, 60,
			     req, req_len, buf, sizeof(buf));
	CHECK(n == hdr + 108);
	/* by hand: type 7, no extensions, unused 0, code 1, offset 60 */
	CHECK(eqhex(buf, 12, "00010800" "0000000000" "ff" "0094"));
	CHECK(eqhex(buf + 14, hdr - 14, "0000" "01" "07" "04" "00"
		    "0404" "0000" "0001" "003c" "ac100a01" "0a0101fe" "0a010101"));
	CHECK(!memcmp(buf + 40, req, 108) && buf[17] == 7 && get16(buf + 10) == 148);
	CHECK(get16(buf + 24) == 1 && get16(buf + 26) == 60 && !get16(buf + 14));
	CHECK(nhrp_checksum(buf, n) == 0);
	CHECK(nhrp_parse(buf, n, &e) == NHRP_OK);
	CHECK(e.type == NHRP_ERROR && e.err_code == 1 && e.err_offset == 60 && !e.flags && !e.reqid);
	CHECK(e.data == buf + 40 && e.data_len == 108 && !memcmp(e.data, req, 108));
	CHECK(!strcmp(nhrp_addr_str(&e.src_nbma, s, sizeof(s)), "172.16.10.1"));
	CHECK(!strcmp(nhrp_addr_str(&e.dst_proto, s, sizeof(s)), "10.1.1.1"));
	CHECK(!e.cie.n && !e.has_auth);
	/* the packet in error carried as far as it fits */
	n = nhrp_build_error(&m, &our_nbma, &our_proto, NHRP_ERR_AUTH, 64, req, req_len,
			     buf, hdr + 30);
	CHECK(n == hdr + 30 && nhrp_parse(buf, n, &e) == NHRP_OK && e.data_len == 30 &&
	      !memcmp(e.data, req, 30));
	CHECK(nhrp_build_error(&m, &our_nbma, &our_proto, NHRP_ERR_AUTH, 0, req, req_len,
			       buf, hdr - 1) == 0);
	/* our address of the wrong family */
	ip6(&our_proto, "2001:db8::1");
	CHECK(nhrp_build_error(&m, &our_nbma, &our_proto, NHRP_ERR_AUTH, 0, req, req_len,
			       buf, sizeof(buf)) == 0);
}

static void test_traffic(void)
{
	static uint8_t p[256];
	/* the data packet the hub forwarded: IPv4 10.1.1.1 -> 10.2.2.2, ICMP */
	static const uint8_t ip[28] = {
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 1, 1, 1, 10, 2, 2, 2,
		8, 0, 0xf7, 0xff, 0, 0, 0, 0,
	};
	struct nhrp_msg m, r;
	char s[64];
	size_t n;

	/* by hand: header type 8, spl 4, dpl 4, unused, traffic code 0, unused */
	n = unhex("00010800" "0000000000" "ff" "0044" "0000" "0000" "01" "08" "04" "00"
		  "0404" "0000" "0000" "0000" "ac100a01" "0a0101fe" "0a010101", p);
	memcpy(p + n, ip, sizeof(ip));
	n += sizeof(ip);
	CHECK(n == 68);
	fix_sum(p, n);
	CHECK(nhrp_parse(p, n, &m) == NHRP_OK);
	CHECK(m.type == NHRP_TRAFFIC && m.traffic_code == 0 && m.data == p + 40 &&
	      m.data_len == 28 && !m.cie.n);
	CHECK(!strcmp(nhrp_addr_str(&m.src_nbma, s, sizeof(s)), "172.16.10.1"));
	CHECK(!strcmp(nhrp_addr_str(&m.dst_proto, s, sizeof(s)), "10.1.1.1"));
	CHECK(nhrp_build(&m, buf, sizeof(buf)) == n && !memcmp(buf, p, n));
	/* a traffic code, and extensions after the data */
	m.traffic_code = 5;
	m.has_auth = true;
	m.auth_spi = 1;
	m.auth_len = 3;
	memcpy(m.auth, "abc", 3);
	n = nhrp_build(&m, buf, sizeof(buf));
	CHECK(n == 68 + 4 + 7 + 4 && get16(buf + 24) == 5 && get16(buf + 14) == 68);
	CHECK(nhrp_parse(buf, n, &r) == NHRP_OK && msg_eq(&m, &r));
}

static void test_names(void)
{
	struct nhrp_addr a, b;
	char s[64];
	uint8_t x[4] = { 10, 0, 0, 1 };

	CHECK(!strcmp(nhrp_type_name(NHRP_REG_REQ), "Registration Request"));
	CHECK(!strcmp(nhrp_type_name(NHRP_TRAFFIC), "Traffic Indication"));
	CHECK(!strcmp(nhrp_type_name(0), "unknown") && !strcmp(nhrp_type_name(200), "unknown"));
	for (int d = 0; d < NHRP_DROP_MAX; d++)
		CHECK(strcmp(nhrp_drop_name((enum nhrp_drop)d), "unknown"));
	CHECK(!strcmp(nhrp_drop_name(NHRP_DROP_MAX), "unknown"));
	nhrp_addr_set(&a, x, 4);
	nhrp_addr_set(&b, x, 4);
	CHECK(nhrp_addr_eq(&a, &b));
	x[3] = 2;
	nhrp_addr_set(&b, x, 4);
	CHECK(!nhrp_addr_eq(&a, &b));
	nhrp_addr_set(&b, NULL, 0);
	CHECK(!nhrp_addr_eq(&a, &b) && !strcmp(nhrp_addr_str(&b, s, sizeof(s)), "-"));
	CHECK(!strcmp(nhrp_addr_str(&a, s, 5), "10.0"));
}

/* Ethernet / IPv4 / GRE 0x2001 / NHRP frames in a pcap, read by tshark */
static void put_frame(FILE *f, const uint8_t *nhrp, size_t n)
{
	uint8_t fr[300];
	uint32_t rec[4] = { 0, 0, (uint32_t)(14 + 20 + 4 + n), (uint32_t)(14 + 20 + 4 + n) };
	uint32_t s = 0;

	memset(fr, 0, sizeof(fr));
	memcpy(fr, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	fr[14] = 0x45;
	set16(fr + 16, (uint16_t)(20 + 4 + n));
	fr[22] = 64;
	fr[23] = 47;
	memcpy(fr + 26, "\xac\x10\x01\x01\xac\x10\x0a\x01", 8);
	for (int i = 0; i < 20; i += 2)
		s += get16(fr + 14 + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	set16(fr + 24, (uint16_t)~s);
	set16(fr + 36, 0x2001);
	memcpy(fr + 38, nhrp, n);
	fwrite(rec, sizeof(rec), 1, f);
	fwrite(fr, 1, 38 + n, f);
}

static void test_tshark(const char *out)
{
	char path[4096], cmd[8300], line[512];
	uint32_t gh[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	int malformed = 0, good = 0, frames = 0, auth = 0, nat = 0;
	FILE *f;

	if (!out || system("command -v tshark >/dev/null 2>&1")) {
		printf("# tshark not installed (or no output path): the dissector check skipped\n");
		return;
	}
	snprintf(path, sizeof(path), "%s.pcap", out);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	fwrite(gh, sizeof(gh), 1, f);
	put_frame(f, req, req_len);
	put_frame(f, rep, rep_len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -o nhrp.auth_ext_has_addr:FALSE -V 2>&1", path);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "Malformed") || strstr(line, "Expert Info (Error"))
			malformed++;
		if (strstr(line, "Checksum") && (strstr(line, "[correct]") || strstr(line, "[Good]")))
			good++;
		if (!strncmp(line, "Frame ", 6))
			frames++;
		/* the password as tshark shows it: SPI 1, "NHRPAUTH" in hex */
		if (strstr(line, "SPI=1: Data=4e48525041555448"))
			auth++;
		if (strstr(line, "Cisco NAT Address Extension") ||
		    strstr(line, "Client NBMA Address: 172.16.10.1"))
			nat++;
	}
	pclose(f);
	CHECK(frames == 2);
	CHECK(!malformed);
	CHECK(good == 2);
	CHECK(auth == 2);
	CHECK(nat == 5);	/* NAT twice, its CIE twice, the responder's CIE */
}

int main(int argc, char **argv)
{
	req_len = unhex(REQ_HEX, req);
	rep_len = unhex(REP_HEX, rep);
	CHECK(req_len == 108 && rep_len == 128);
	test_build_seeds();
	test_parse_seeds();
	test_checksum();
	test_refusals();
	test_too_many();
	test_ipv6();
	test_build_refusals();
	test_error();
	test_traffic();
	test_names();
	test_tshark(argc > 1 ? argv[1] : NULL);
	return check_summary();
}
