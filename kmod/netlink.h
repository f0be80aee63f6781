/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink family: configuration and notifications. */
#ifndef _MGRE_NETLINK_H
#define _MGRE_NETLINK_H

#include <linux/types.h>

struct mgre_dev;
struct sk_buff;
struct mgre_sa;

int mgre_nl_init(void);
void mgre_nl_exit(void);

/*
 * Notifications (any context), with the overlay packet's addresses.  nbma
 * 0: no NBMA mapping for the overlay dst.
 */
void mgre_nl_acquire(struct mgre_dev *mdev, __be32 nbma, struct sk_buff *skb);
void mgre_nl_expire(struct mgre_sa *sa, u8 kind);
void mgre_nl_traffic(struct mgre_dev *mdev, __be32 nbma, struct sk_buff *skb);

#endif /* _MGRE_NETLINK_H */
