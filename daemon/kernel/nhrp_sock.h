/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NHRP packets on an mGRE device, through a packet socket (AF_PACKET,
 * SOCK_DGRAM, protocol ETH_P_NHRP) bound to the device.  The mgre module's
 * header_ops make the link-layer address of the device the outer IPv4
 * address: a received packet's sll_addr is the NBMA source it came from
 * (sll_halen 4), and a packet sent to sll_addr is GRE-encapsulated to that
 * NBMA address.  The payload is the NHRP packet, from its fixed header on.
 */
#ifndef DMVPN_KERNEL_NHRP_SOCK_H
#define DMVPN_KERNEL_NHRP_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nhrp/wire.h"

#ifndef ETH_P_NHRP
#define ETH_P_NHRP	0x2001	/* the GRE protocol type of NHRP (RFC 2332) */
#endif

/* A socket bound to ifindex, non-blocking and close-on-exec: the fd, or -errno. */
int nhrp_sock_open(int ifindex);
/* pkt to the peer at NBMA address nbma (4 bytes) through ifindex: 0 or -errno. */
int nhrp_sock_send(int fd, int ifindex, const struct nhrp_addr *nbma, const uint8_t *pkt,
		   size_t len);
/*
 * The next packet received into buf: its length, its NBMA source in src and
 * the device in ifindex (either may be NULL); -EAGAIN when there is none.
 * A datagram longer than cap is dropped and reported as -EMSGSIZE; what
 * the socket sees us send (PACKET_OUTGOING) and what has a source address
 * of another length are skipped (at most 64 of them per call: then -EAGAIN,
 * though the socket stays readable for the next poll).  A point-to-point
 * mgre device has no link-layer header (as ip_gre's): its packets come
 * with src->len 0, from the tunnel destination.
 */
ssize_t nhrp_sock_recv(int fd, uint8_t *buf, size_t cap, struct nhrp_addr *src, int *ifindex);

#endif /* DMVPN_KERNEL_NHRP_SOCK_H */
