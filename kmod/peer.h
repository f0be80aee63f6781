/* SPDX-License-Identifier: GPL-2.0 */
/* Peers (NBMA endpoints) of a device and its multicast replication list. */
#ifndef _MGRE_PEER_H
#define _MGRE_PEER_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <net/dst_cache.h>
#include "stats.h"

struct mgre_dev;
struct mgre_sa;
struct netlink_ext_ack;

struct mgre_peer {
	struct hlist_node hnode;	/* mdev->peers, RCU */
	struct rcu_head rcu;
	refcount_t refcnt;
	struct mgre_dev *mdev;
	__be32 nbma;
	u8 encap;			/* enum mgre_encap */
	__be16 sport, dport;		/* ESP-in-UDP ports */
	struct mgre_sa __rcu *tx_sa;	/* current outbound SA */
	struct list_head sas;		/* all SAs, newest first, under mdev->lock */
	struct dst_cache dst_cache;
	u32 pmtu;			/* overlay MTU towards the peer, 0: none */
	unsigned long event_time;	/* jiffies of the last ACQUIRE/TRAFFIC */
	struct mgre_stats __percpu *stats;
};

struct mgre_mcast {
	struct list_head node;		/* mdev->mcast, RCU */
	struct rcu_head rcu;
	__be32 nbma;
	bool dynamic;
};

struct mgre_peer *mgre_peer_lookup(struct mgre_dev *mdev, __be32 nbma);
/* Under mdev->lock. */
struct mgre_peer *mgre_peer_create(struct mgre_dev *mdev, __be32 nbma,
				   struct netlink_ext_ack *extack);
void mgre_peer_remove(struct mgre_peer *peer);
void mgre_peers_flush(struct mgre_dev *mdev);
static inline void mgre_peer_hold(struct mgre_peer *peer)
{
	refcount_inc(&peer->refcnt);
}

void mgre_peer_put(struct mgre_peer *peer);

bool mgre_peer_event_allowed(struct mgre_peer *peer);

/* Under mdev->lock. */
int mgre_mcast_add(struct mgre_dev *mdev, __be32 nbma, bool dynamic);
int mgre_mcast_del(struct mgre_dev *mdev, __be32 nbma);
void mgre_mcast_flush(struct mgre_dev *mdev);

static inline void mgre_count(struct mgre_peer *peer, struct mgre_stats __percpu *sa_stats,
			      int idx, u64 n)
{
	if (peer)
		mgre_stats_add(peer->stats, idx, n);
	if (sa_stats)
		mgre_stats_add(sa_stats, idx, n);
}

#endif /* _MGRE_PEER_H */
