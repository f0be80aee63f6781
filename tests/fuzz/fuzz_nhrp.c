// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the NHRP codec (daemon/nhrp/wire.c): whatever
 * nhrp_parse() accepts, nhrp_build() writes again and nhrp_parse() takes
 * back, and building that gives the same bytes; each input is tried as it
 * came and with its checksum made right (a password past
 * NHRP_AUTH_MAX is the one message parsed that is not built again).
 * Seeds: tests/fuzz/seeds/nhrp (IOS's Registration Request and Reply; ours over an
 * IPv6 overlay, protocol type 0x86DD: registration, resolution, purge, traffic).
 *   make fuzz            (long run)       tests/unit/run.sh (short run)
 */
#include <stdlib.h>
#include <string.h>
#include "nhrp/wire.h"

static uint8_t in[65536], out1[65536], out2[65536];

static void round_trip(const uint8_t *data, size_t size)
{
	struct nhrp_msg m, r;
	size_t n1, n2;

	if (nhrp_parse(data, size, &m) != NHRP_OK)
		return;
	if (m.has_auth && m.auth_len > NHRP_AUTH_MAX)
		return;
	n1 = nhrp_build(&m, out1, sizeof(out1));
	if (!n1 || n1 > size)
		abort();
	if (nhrp_parse(out1, n1, &r) != NHRP_OK)
		abort();
	n2 = nhrp_build(&r, out2, sizeof(out2));
	if (n2 != n1 || memcmp(out1, out2, n1))
		abort();
	if (r.type != m.type || r.reqid != m.reqid || r.cie.n != m.cie.n ||
	    r.data_len != m.data_len || !nhrp_addr_eq(&r.src_nbma, &m.src_nbma))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pktsz;
	uint16_t sum;

	/* as it came (the checksum mostly wrong) */
	round_trip(data, size);
	/* and with its checksum made right, to get past it */
	if (size < NHRP_HDR_LEN || size > sizeof(in))
		return 0;
	memcpy(in, data, size);
	pktsz = (size_t)(in[10] << 8 | in[11]);
	if (pktsz > size)
		pktsz = size;
	in[12] = in[13] = 0;
	sum = nhrp_checksum(in, pktsz);
	if (!sum)
		sum = 0xffff;
	in[12] = (uint8_t)(sum >> 8);
	in[13] = (uint8_t)sum;
	round_trip(in, size);
	return 0;
}
