/* SPDX-License-Identifier: GPL-2.0 */
/* The mgre netdevice: its private state and the rtnetlink link type. */
#ifndef _MGRE_DEVICE_H
#define _MGRE_DEVICE_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>

struct socket;

struct mgre_params {
	__be32 local;
	__be32 remote;		/* 0: multipoint */
	u32 key;
	bool has_key;
	bool pmtudisc;
	u8 ttl;			/* 0: inherit */
	u8 tos;			/* 1: inherit */
	int link;
};

struct mgre_dev {
	struct net_device *dev;
	struct mgre_params p;		/* set at creation; ttl/tos/df by changelink */
	struct mutex lock;		/* serializes every control operation */
	bool dead;			/* under lock: device is going away */
	DECLARE_HASHTABLE(peers, 8);	/* struct mgre_peer by NBMA, RCU */
	struct list_head mcast;		/* struct mgre_mcast, RCU */
	struct socket *encap_sock;	/* ESP-in-UDP socket, under lock */
	struct gro_cells gro_cells;
	struct delayed_work expire_work;
	struct ratelimit_state miss_rs;	/* ACQUIRE for unresolved overlay dst */
};

/*
 * Largest encapsulation overhead: IPv4 20, UDP 8, ESP header 8, IV 16,
 * padding 15 + 2, ICV 32, the inner IPv4 header of tunnel mode 20, GRE
 * with key 8.
 */
#define MGRE_OVERHEAD_MAX	129

extern struct rtnl_link_ops mgre_link_ops;

struct mgre_dev *mgre_dev_get(struct net *net, int ifindex);
void mgre_dev_put(struct mgre_dev *mdev);

/* tx.c */
netdev_tx_t mgre_xmit(struct sk_buff *skb, struct net_device *dev);
extern const struct header_ops mgre_header_ops;

#endif /* _MGRE_DEVICE_H */
