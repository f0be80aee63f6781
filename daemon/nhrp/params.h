/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An interface's NHRP settings as the configuration states them (the
 * "ip nhrp ..." lines of an interface block, or its "ipv6 nhrp ..." ones:
 * one of these per protocol family).  Plain data: conf/ fills it,
 * the engine copies what it needs (nhrp_if_set), nobody else frees it but
 * conf_free().
 */
#ifndef DMVPN_NHRP_PARAMS_H
#define DMVPN_NHRP_PARAMS_H

#include <stdbool.h>
#include <stdint.h>
#include "nhrp/wire.h"

#define NHRP_HOLDTIME_DEFAULT 7200	/* ip nhrp holdtime */
#define NHRP_MAX_SEND_DEFAULT 100	/* ip nhrp max-send 100 every 10 */
#define NHRP_MAX_SEND_EVERY 10

/* ip nhrp map PROTO NBMA, ipv6 nhrp map X:X::X/LEN NBMA */
struct nhrp_map_conf {
	struct nhrp_addr proto, nbma;
	uint8_t plen;			/* the /LEN an IPv6 map was written with: 0 none */
	int line;
};

/* ip nhrp nhs PROTO [nbma NBMA] [priority N] [cluster N] */
struct nhrp_nhs_conf {
	struct nhrp_addr proto;
	struct nhrp_addr nbma;		/* len 0: from an "ip nhrp map" of proto */
	uint8_t priority;		/* 0 best */
	uint8_t cluster;
	int line;
};

struct nhrp_params {
	bool enabled;			/* an "ip nhrp network-id": NHRP runs here */
	uint32_t network_id;
	uint16_t holdtime;		/* seconds, NHRP_HOLDTIME_DEFAULT */
	uint8_t auth_len;		/* ip nhrp authentication STRING: 0 = none */
	char auth[NHRP_AUTH_MAX + 1];
	bool mcast_dynamic;		/* ip nhrp map multicast dynamic */
	bool redirect;			/* ip nhrp redirect (hub, phase 3) */
	bool shortcut;			/* ip nhrp shortcut (spoke, phase 3) */
	bool no_unique;			/* ip nhrp registration no-unique */
	uint16_t reg_timeout;		/* ip nhrp registration timeout N: 0 = holdtime / 3 */
	uint16_t max_send;		/* ip nhrp max-send N every M */
	uint16_t max_send_every;
	int nmaps;
	struct nhrp_map_conf *maps;
	int nmcast;			/* ip nhrp map multicast NBMA */
	struct nhrp_addr *mcast;
	int nnhs;
	struct nhrp_nhs_conf *nhs;
};

#endif /* DMVPN_NHRP_PARAMS_H */
