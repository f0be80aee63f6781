// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for dmvpnd: the ISAKMP codec, the SA payload parsers and
 * the engine's entry point, both for a peer without state (Main Mode
 * responder) and inside an established phase-1 SA (the first input byte
 * picks; the rest gets the SA's real cookies, so Quick Mode, informational
 * and Main Mode duplicates are reached).
 *   make fuzz            (long run)       tests/unit/run.sh (short run)
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "fuzz_pair.h"
#include "lib/log.h"

static const char conf_text[] =
	"crypto isakmp policy 10\n encr aes\n hash sha\n group 14\n authentication pre-share\n"
	"crypto isakmp policy 20\n encr 3des\n hash md5\n group 2\n authentication pre-share\n"
	"crypto isakmp key fuzz address 0.0.0.0 0.0.0.0\n"
	"crypto isakmp keepalive 10 2\n"
	"crypto ipsec transform-set T esp-aes esp-sha-hmac\n mode transport\n"
	"crypto ipsec profile P\n set transform-set T\n"
	"interface dmvpn0\n tunnel protection ipsec profile P\n"
	/* b's proxy identities may also name a crypto map line or a VTI (r_prot) */
	"crypto map m 10 ipsec-isakmp\n set peer 10.0.0.1\n set transform-set T\n"
	" match address 110\ninterface eth0\n crypto map m\n"
	"access-list 110 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255\n"
	"interface Tunnel1\n tunnel mode ipsec ipv4\n tunnel destination 10.0.0.1\n"
	" tunnel protection ipsec profile P\n";

static struct conf conf;
static struct ike a, b;		/* b is fuzzed; a is its established peer */
static struct ike_path ab, ba;
static struct ike_gre gre_a, gre_b;	/* their mgre devices */
static uint8_t held[2][4096];
static size_t held_len[2];

static int f_send(struct ike *ike, const struct ike_path *p, const uint8_t *m, size_t n)
{
	int i = ike == &a ? 0 : 1;

	if (n <= sizeof(held[0]) && !held_len[i]) {
		memcpy(held[i], m, n);
		held_len[i] = n;
	}
	return 0;
}

static const struct ike_ops ops = { f_send, f_spi, f_add, f_del };

/* a and b shake hands through the held buffers */
static void handshake(void)
{
	for (int round = 0; round < 20; round++) {
		uint8_t m[4096];
		size_t n;

		for (int i = 0; i < 2; i++) {
			if (!held_len[i])
				continue;
			n = held_len[i];
			memcpy(m, held[i], n);
			held_len[i] = 0;
			if (i == 0)
				ike_input(&b, &ba, m, n);
			else
				ike_input(&a, &ab, m, n);
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_pair_init(conf_text, &conf, &ab, &ba, &gre_a, &gre_b);
	ike_init(&a, &conf, &ops, NULL);
	ike_init(&b, &conf, &ops, NULL);
	ike_set_gre(&a, &gre_a, 1);
	ike_set_gre(&b, &gre_b, 1);
	fuzz_acquire(&a, &ab);
	handshake();
	if (!b.sas || b.sas->state != IKE_P1_COMPLETE)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t m[65536];
	struct ike_msg msg;
	struct p1_offer o1;
	struct p2_offer o2;
	struct ike_hdr h;

	if (size < 1 || size > sizeof(m))
		return 0;
	/* the pure parsers */
	if (!ike_hdr_parse(data + 1, size - 1, &h))
		ike_payloads_parse(h.np, data + 1 + 28, size - 1 - 28, &msg);
	p1_sa_parse(data + 1, size - 1, &o1);
	p2_sa_parse(data + 1, size - 1, &o2);
	/* the engine */
	memcpy(m, data + 1, size - 1);
	if ((data[0] & 1) && size - 1 >= 28 && b.sas) {
		memcpy(m, b.sas->icky, 8);
		memcpy(m + 8, b.sas->rcky, 8);
		m[24] = (uint8_t)((size - 1) >> 24);
		m[25] = (uint8_t)((size - 1) >> 16);
		m[26] = (uint8_t)((size - 1) >> 8);
		m[27] = (uint8_t)(size - 1);
	}
	b.now += 100;
	ike_input(&b, &ba, m, size - 1);
	held_len[1] = 0;
	/* keep the state bounded: only the established SA stays */
	{
		struct ike_sa *keep = NULL, *sa, *nx;

		for (sa = b.sas; sa; sa = sa->next)
			if (sa->state == IKE_P1_COMPLETE && !keep)
				keep = sa;
		for (sa = b.sas; sa; sa = nx) {
			nx = sa->next;
			if (sa != keep)
				ike_sa_free(sa);
		}
		if (!keep) {
			ike_fini(&a);
			ike_init(&a, &conf, &ops, NULL);
			ike_set_gre(&a, &gre_a, 1);
			fuzz_acquire(&a, &ab);
			handshake();
		}
	}
	return 0;
}
