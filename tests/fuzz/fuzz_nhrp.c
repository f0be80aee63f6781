// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the NHRP codec (daemon/nhrp/wire.c): whatever
 * nhrp_parse() accepts, nhrp_build() writes again and nhrp_parse() takes
 * back, and building that gives the same bytes (a password past
 * NHRP_AUTH_MAX is the one message parsed that is not built again).
 * Seeds: tests/fuzz/seeds/nhrp (IOS's Registration Request and Reply).
 *   make fuzz            (long run)       tests/unit/run.sh (short run)
 */
#include <stdlib.h>
#include <string.h>
#include "nhrp/wire.h"

static uint8_t out1[65536], out2[65536];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nhrp_msg m, r;
	size_t n1, n2;

	if (nhrp_parse(data, size, &m) != NHRP_OK)
		return 0;
	if (m.has_auth && m.auth_len > NHRP_AUTH_MAX)
		return 0;
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
	return 0;
}
