/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's side of NHRP's resolutions, through rtnetlink (libnl-route-3):
 * the neighbour entries of the mGRE devices (overlay address -> NBMA
 * address, the link-layer address the mgre module encapsulates to), the
 * kernel's requests for a resolution (RTNLGRP_NEIGH: application probes
 * and incomplete entries), and the shortcut routes.
 *
 * The kernel has no owner for a neighbour entry: dmvpnd's are the
 * NUD_PERMANENT ones on its mGRE devices (they never expire by
 * themselves; dmvpnd removes them), and neigh_flush() removes those.  Its
 * routes carry protocol RTPROT_DMVPN, which route_flush() removes.
 * Addresses are network order, 4 or 16 bytes by family (AF_INET, AF_INET6).
 * Errors are -errno, the kernel's own where it refused a request.
 */
#ifndef DMVPN_KERNEL_NEIGH_H
#define DMVPN_KERNEL_NEIGH_H

#include <stdbool.h>
#include <stdint.h>
#include "nhrp/wire.h"

/* dmvpnd's routes; /etc/iproute2/rt_protos.d/dmvpn.conf names it for ip(8). */
#define RTPROT_DMVPN	177

struct nl_sock;

struct neigh {
	struct nl_sock *sk;	/* requests, acked */
	struct nl_sock *ev;	/* RTNLGRP_NEIGH notifications, non-blocking */
	char errmsg[256];	/* the kernel's extack message of the last failure */
};

/* Open both sockets: 0 or -errno. */
int neigh_open(struct neigh *n);
void neigh_close(struct neigh *n);
int neigh_event_fd(const struct neigh *n);
/*
 * Read every pending notification, never blocking: for each application
 * probe (RTM_GETNEIGH, sent while net.ipv{4,6}.neigh.DEV.app_solicit > 0)
 * and each RTM_NEWNEIGH in state NUD_INCOMPLETE, IPv4 or IPv6, call
 * cb(arg, ifindex, family, the address to resolve: 4 or 16 bytes).
 */
void neigh_events(struct neigh *n, void (*cb)(void *arg, int ifindex, int family,
					      const void *dst), void *arg);
/*
 * Create or replace the NUD_PERMANENT entry proto -> nbma on ifindex; the
 * link-layer address is nbma's nbma->len bytes (4 on an mgre device).
 */
int neigh_set(struct neigh *n, int ifindex, int family, const void *proto,
	      const struct nhrp_addr *nbma);
/* Remove the entry for proto on ifindex: 0, -ENOENT if there is none. */
int neigh_del(struct neigh *n, int ifindex, int family, const void *proto);
/* Remove every NUD_PERMANENT entry on ifindex (what an earlier run left): 0 or -errno. */
int neigh_flush(struct neigh *n, int ifindex);
/*
 * The route prefix/plen (host bits ignored) on ifindex via next hop via
 * (NULL: directly on the device), protocol RTPROT_DMVPN, table main.
 * add: create or replace it; else delete it, -ESRCH if there is none.
 */
int route_set(struct neigh *n, int ifindex, int family, const void *prefix, uint8_t plen,
	      const void *via, bool add);
/* Remove every route of protocol RTPROT_DMVPN through ifindex: 0 or -errno. */
int route_flush(struct neigh *n, int ifindex);

/* The kernel's route to an address: the route itself (its prefix length), not the host. */
struct route_info {
	int oif;
	uint8_t plen;
	uint8_t type;		/* RTN_UNICAST, RTN_LOCAL, ... */
	uint8_t protocol;
	bool has_gw;
	uint8_t gw[16];
};
/* 0 and *ri filled, -ENETUNREACH (no route) or -errno. */
int route_get(struct neigh *n, int family, const void *dst, struct route_info *ri);

#endif /* DMVPN_KERNEL_NEIGH_H */
