/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DMVPN_IKE_DH_GROUPS_H
#define DMVPN_IKE_DH_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_group {
	uint16_t id;
	bool ec;
	size_t len;		/* public value bytes */
	const char *name;	/* OpenSSL group name */
	const char *prime;	/* or the prime, generator 2 */
	const char *label;	/* as logs print it */
};

const struct ike_group *ike_group_get(uint16_t id);	/* NULL: unsupported */
size_t ike_dh_len(uint16_t group);	/* public value bytes; 0: unsupported */
const char *ike_dh_name(uint16_t group);

#endif /* DMVPN_IKE_DH_GROUPS_H */
