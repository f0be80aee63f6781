/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mgre module's objects as its dumps and notifications carry them,
 * decoded (kernel/mgre_nl.c) for dmvpnctl's printing and dmvpnd's glue.
 * Plain data: no libnl here.
 */
#ifndef DMVPN_KERNEL_MGRE_OBJ_H
#define DMVPN_KERNEL_MGRE_OBJ_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/mgre.h>

struct mgre_stats_info {
	bool present;
	uint64_t v[MGRE_STATS_A_MAX + 1];
};

struct mgre_peer_info {
	int ifindex;
	uint32_t nbma;		/* network order */
	uint8_t encap;
	uint16_t sport, dport;
	uint32_t pmtu, out_spi;
	struct mgre_stats_info stats;
};

struct mgre_sa_info {
	int ifindex;
	uint32_t nbma;
	uint8_t dir, enc, auth, expire, mode;
	uint32_t spi, replay_window;
	bool esn;
	uint64_t lim[6];	/* soft/hard bytes, soft/hard packets, soft/hard seconds */
	uint64_t seq, age;
	struct mgre_stats_info stats;
};

struct mgre_mcast_info {
	int ifindex;
	uint32_t nbma;
	bool dynamic;
};

struct mgre_event_info {
	uint8_t cmd;		/* MGRE_CMD_ACQUIRE / _TRAFFIC / _EXPIRE */
	int ifindex;
	uint32_t nbma, src, dst;
	int family;		/* the overlay packet's: AF_INET (src, dst), AF_INET6 (src6, dst6) */
	uint8_t src6[16], dst6[16];
	struct mgre_sa_info sa;	/* EXPIRE */
};

#endif /* DMVPN_KERNEL_MGRE_OBJ_H */
