// SPDX-License-Identifier: GPL-2.0
/*
 * The Diffie-Hellman groups IKEv1 negotiates, as plain data: what the
 * configuration checks ("group 14") and what dh.c computes with.  No
 * OpenSSL here.
 */
#include <stddef.h>
#include "ike/dh_groups.h"

/* RFC 2409 6.1 and 6.2: 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k) */
static const char modp768[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF";
static const char modp1024[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

static const struct ike_group groups[] = {
	{ 1, false, 96, NULL, modp768, "group 1 (768-bit MODP)" },
	{ 2, false, 128, NULL, modp1024, "group 2 (1024-bit MODP)" },
	{ 5, false, 192, "modp_1536", NULL, "group 5 (1536-bit MODP)" },
	{ 14, false, 256, "modp_2048", NULL, "group 14 (2048-bit MODP)" },
	{ 15, false, 384, "modp_3072", NULL, "group 15 (3072-bit MODP)" },
	{ 16, false, 512, "modp_4096", NULL, "group 16 (4096-bit MODP)" },
	{ 19, true, 64, "prime256v1", NULL, "group 19 (256-bit ECP)" },
	{ 20, true, 96, "secp384r1", NULL, "group 20 (384-bit ECP)" },
	{ 24, false, 256, "dh_2048_256", NULL, "group 24 (2048-bit MODP, 256-bit subgroup)" },
};

const struct ike_group *ike_group_get(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

size_t ike_dh_len(uint16_t group)
{
	const struct ike_group *g = ike_group_get(group);

	return g ? g->len : 0;
}

const char *ike_dh_name(uint16_t group)
{
	const struct ike_group *g = ike_group_get(group);

	return g ? g->label : "unsupported group";
}
