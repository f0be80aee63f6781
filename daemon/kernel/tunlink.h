/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tunnel devices dmvpnd makes, through rtnetlink (the requests of
 * struct rtlink, acked): an mgre link with its NBMA source, point-to-point
 * destination and GRE key; its MTU, alias and state; its addresses; and
 * what a device of a name is now, so a restart or a reload changes only
 * what differs.  Addresses are network order.  Errors are -errno, the
 * kernel's reason in r->errmsg.
 */
#ifndef DMVPN_KERNEL_TUNLINK_H
#define DMVPN_KERNEL_TUNLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include "kernel/rtlink.h"

/* An mgre device's parameters, as IFLA_MGRE_* carries them. */
struct tun_mgre {
	uint32_t local;		/* tunnel source */
	uint32_t remote;	/* tunnel destination; 0 = multipoint */
	bool has_key;		/* tunnel key */
	uint32_t key;
};

/* A device as the kernel has it. */
struct tun_info {
	int ifindex;
	unsigned int flags;	/* IFF_* */
	unsigned int mtu;
	bool is_mgre;		/* of kind "mgre": then m holds its parameters */
	struct tun_mgre m;
};

/* The device called name: 0, -ENODEV if there is none. */
int tunlink_get(struct rtlink *r, const char *name, struct tun_info *out);
/* Create mgre device name (it must not exist); mtu 0 lets the module choose. */
int tunlink_mgre_add(struct rtlink *r, const char *name, const struct tun_mgre *m,
		     unsigned int mtu);
int tunlink_del(struct rtlink *r, int ifindex);
/* Set what is given: the MTU (0: not changed), up or down, the alias (NULL: not changed). */
int tunlink_set(struct rtlink *r, int ifindex, unsigned int mtu, bool up, const char *alias);
/* Add (or replace) or delete address/plen on ifindex; family AF_INET or AF_INET6. */
int tunlink_addr(struct rtlink *r, int ifindex, int family, const void *addr, int plen,
		 bool add);

#endif /* DMVPN_KERNEL_TUNLINK_H */
