// SPDX-License-Identifier: GPL-2.0
/* Peers of an mgre device, keyed by NBMA address, and the multicast list. */

#include <linux/jiffies.h>
#include <linux/mgre.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include "device.h"
#include "peer.h"
#include "sa.h"

struct mgre_peer *mgre_peer_lookup(struct mgre_dev *mdev, __be32 nbma)
{
	struct mgre_peer *peer;

	hash_for_each_possible_rcu(mdev->peers, peer, hnode, (__force u32)nbma)
		if (peer->nbma == nbma)
			return peer;
	return NULL;
}

struct mgre_peer *mgre_peer_create(struct mgre_dev *mdev, __be32 nbma,
				   struct netlink_ext_ack *extack)
{
	struct mgre_peer *peer;

	lockdep_assert_held(&mdev->lock);
	if (!nbma || ipv4_is_multicast(nbma) || ipv4_is_lbcast(nbma)) {
		NL_SET_ERR_MSG(extack, "peer NBMA address must be a unicast address");
		return ERR_PTR(-EINVAL);
	}
	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->stats = mgre_stats_alloc(GFP_KERNEL);
	if (!peer->stats || dst_cache_init(&peer->dst_cache, GFP_KERNEL)) {
		free_percpu(peer->stats);
		kfree(peer);
		return ERR_PTR(-ENOMEM);
	}
	refcount_set(&peer->refcnt, 1);	/* the hash table's */
	peer->mdev = mdev;
	peer->nbma = nbma;
	peer->encap = MGRE_ENCAP_ESP;
	peer->sport = htons(4500);
	peer->dport = htons(4500);
	peer->event_time = jiffies - HZ;
	INIT_LIST_HEAD(&peer->sas);
	dev_hold(mdev->dev);
	hash_add_rcu(mdev->peers, &peer->hnode, (__force u32)nbma);
	return peer;
}

static void mgre_peer_free_rcu(struct rcu_head *rcu)
{
	struct mgre_peer *peer = container_of(rcu, struct mgre_peer, rcu);

	dst_cache_destroy(&peer->dst_cache);
	free_percpu(peer->stats);
	kfree(peer);
}

void mgre_peer_put(struct mgre_peer *peer)
{
	if (refcount_dec_and_test(&peer->refcnt)) {
		dev_put(peer->mdev->dev);
		call_rcu(&peer->rcu, mgre_peer_free_rcu);
	}
}

void mgre_peer_remove(struct mgre_peer *peer)
{
	struct mgre_sa *sa, *tmp;

	lockdep_assert_held(&peer->mdev->lock);
	list_for_each_entry_safe(sa, tmp, &peer->sas, peer_node)
		mgre_sa_unlink(sa);
	hash_del_rcu(&peer->hnode);
	mgre_peer_put(peer);
}

void mgre_peers_flush(struct mgre_dev *mdev)
{
	struct hlist_node *tmp;
	struct mgre_peer *peer;
	int bkt;

	hash_for_each_safe(mdev->peers, bkt, tmp, peer, hnode)
		mgre_peer_remove(peer);
}

bool mgre_peer_event_allowed(struct mgre_peer *peer)
{
	unsigned long last = READ_ONCE(peer->event_time);

	if (time_before(jiffies, last + HZ))
		return false;
	return cmpxchg(&peer->event_time, last, jiffies) == last;
}

int mgre_mcast_add(struct mgre_dev *mdev, __be32 nbma, bool dynamic)
{
	struct mgre_mcast *m;

	lockdep_assert_held(&mdev->lock);
	list_for_each_entry(m, &mdev->mcast, node)
		if (m->nbma == nbma)
			return -EEXIST;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->nbma = nbma;
	m->dynamic = dynamic;
	list_add_tail_rcu(&m->node, &mdev->mcast);
	return 0;
}

int mgre_mcast_del(struct mgre_dev *mdev, __be32 nbma)
{
	struct mgre_mcast *m;

	lockdep_assert_held(&mdev->lock);
	list_for_each_entry(m, &mdev->mcast, node) {
		if (m->nbma == nbma) {
			list_del_rcu(&m->node);
			kfree_rcu(m, rcu);
			return 0;
		}
	}
	return -ENOENT;
}

void mgre_mcast_flush(struct mgre_dev *mdev)
{
	struct mgre_mcast *m, *tmp;

	list_for_each_entry_safe(m, tmp, &mdev->mcast, node) {
		list_del_rcu(&m->node);
		kfree_rcu(m, rcu);
	}
}
