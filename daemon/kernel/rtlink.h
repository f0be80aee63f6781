/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink, for what dmvpnd needs of the links: an mgre device's tunnel
 * source (IFLA_MGRE_LOCAL), and the notifications that links came, went
 * or changed, so the protected devices are looked up when that happens
 * and not per datagram.
 */
#ifndef DMVPN_KERNEL_RTLINK_H
#define DMVPN_KERNEL_RTLINK_H

#include <stdint.h>

struct nl_sock;

struct rtlink {
	struct nl_sock *req;	/* RTM_GETLINK requests */
	struct nl_sock *ev;	/* RTNLGRP_LINK and IPv4 address notifications */
	char errmsg[256];	/* the kernel's reason for the last refusal (tunlink.h) */
};

/* Open both sockets; -errno. */
int rtlink_open(struct rtlink *r);
void rtlink_close(struct rtlink *r);
int rtlink_event_fd(const struct rtlink *r);
/* Read what the events socket has; the number of link and address notifications seen. */
int rtlink_events(struct rtlink *r);
/* The NBMA source (network order) of mgre device ifindex; -ENODEV if not an mgre device. */
int rtlink_mgre_local(struct rtlink *r, int ifindex, uint32_t *local);

#endif /* DMVPN_KERNEL_RTLINK_H */
