/* SPDX-License-Identifier: GPL-2.0 */
/* Security associations: installation, lookup, lifetimes. */
#ifndef _MGRE_SA_H
#define _MGRE_SA_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include "esp.h"
#include "replay.h"
#include "stats.h"

struct mgre_dev;
struct mgre_peer;

struct mgre_lifetime {
	u64 soft_bytes, hard_bytes;
	u64 soft_packets, hard_packets;
	u64 soft_seconds, hard_seconds;
};

struct mgre_sa_cfg {
	__be32 nbma;
	u8 dir;
	u32 spi;
	u8 enc, auth;
	const u8 *ekey, *akey;
	unsigned int eklen, aklen;
	u32 replay_window;
	bool esn;
	u8 mode;			/* enum mgre_sa_mode */
	struct mgre_lifetime lim;
};

enum {
	MGRE_SA_SOFT,		/* soft expiry notified */
	MGRE_SA_HARD,		/* hard limit reached: no more traffic */
};

struct mgre_sa {
	struct hlist_node spi_node;	/* inbound: mgre_net SPI table, RCU */
	struct list_head peer_node;	/* peer->sas, under mdev->lock */
	struct rcu_head rcu;
	refcount_t refcnt;
	struct mgre_peer *peer;		/* holds a reference */
	u32 spi;
	u8 dir;
	u8 enc, auth;
	u8 mode;			/* enum mgre_sa_mode */
	struct mgre_esp esp;
	struct mgre_lifetime lim;
	time64_t added;
	atomic64_t seq;			/* outbound: last sequence number used */
	atomic64_t bytes, packets;	/* against the lifetime */
	unsigned long flags;
	struct mgre_stats __percpu *stats;
	spinlock_t replay_lock;		/* inbound: check+advance */
	struct mgre_replay replay;
};

int mgre_sa_register(void);
void mgre_sa_unregister(void);

/* Under mdev->lock. */
int mgre_sa_add(struct mgre_dev *mdev, const struct mgre_sa_cfg *cfg,
		struct netlink_ext_ack *extack);
struct mgre_sa *mgre_sa_find(struct mgre_dev *mdev, u8 dir, u32 spi, __be32 nbma);
void mgre_sa_unlink(struct mgre_sa *sa);
u32 mgre_spi_alloc(struct net *net);
void mgre_sa_expire_scan(struct mgre_dev *mdev);

/* RCU reader. */
struct mgre_sa *mgre_sa_lookup_in(struct net *net, __be32 spi);

static inline bool mgre_sa_hold(struct mgre_sa *sa)
{
	return refcount_inc_not_zero(&sa->refcnt);
}

void mgre_sa_put(struct mgre_sa *sa);

bool mgre_sa_account(struct mgre_sa *sa, unsigned int len);
void mgre_sa_expire_hard(struct mgre_sa *sa);

#endif /* _MGRE_SA_H */
