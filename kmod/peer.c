// SPDX-License-Identifier: GPL-2.0
/* Peers of an mgre device, keyed by NBMA address, and the multicast list. */

#include <linux/jiffies.h>
#include <linux/mgre.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include "device.h"
#include "peer.h"
#include "sa.h"

/**
 * mgre_peer_lookup() - Find a device's peer by NBMA address.
 * @mdev: the device.
 * @nbma: the peer's NBMA address.
 *
 * Context: under rcu_read_lock() or mdev->lock.
 * Return: the peer (no reference taken), or NULL.
 */
struct mgre_peer *mgre_peer_lookup(struct mgre_dev *mdev, __be32 nbma)
{
	struct mgre_peer *peer;

	hash_for_each_possible_rcu(mdev->peers, peer, hnode, (__force u32)nbma)
		if (peer->nbma == nbma)
			return peer;
	return NULL;
}

/**
 * mgre_peer_create() - Add a peer to a device.
 * @mdev: the device.
 * @nbma: the peer's NBMA address, a unicast address.
 * @extack: where to say what was wrong.
 *
 * The peer starts with plain ESP, UDP ports 4500 and no SA; the device's
 * peer table holds its reference.
 *
 * Context: under mdev->lock.
 * Return: the peer, or an ERR_PTR.
 */
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

/**
 * mgre_peer_put() - Drop a reference to a peer.
 * @peer: the peer; freed after an RCU grace period with its last reference.
 */
void mgre_peer_put(struct mgre_peer *peer)
{
	if (refcount_dec_and_test(&peer->refcnt)) {
		dev_put(peer->mdev->dev);
		call_rcu(&peer->rcu, mgre_peer_free_rcu);
	}
}

/**
 * mgre_peer_remove() - Remove a peer and its SAs from its device.
 * @peer: the peer.
 *
 * Context: under peer->mdev->lock.
 */
void mgre_peer_remove(struct mgre_peer *peer)
{
	struct mgre_sa *sa, *tmp;

	lockdep_assert_held(&peer->mdev->lock);
	list_for_each_entry_safe(sa, tmp, &peer->sas, peer_node)
		mgre_sa_unlink(sa);
	hash_del_rcu(&peer->hnode);
	mgre_peer_put(peer);
}

/**
 * mgre_peers_flush() - Remove every peer of a device.
 * @mdev: the device.
 *
 * Context: under mdev->lock.
 */
void mgre_peers_flush(struct mgre_dev *mdev)
{
	struct hlist_node *tmp;
	struct mgre_peer *peer;
	int bkt;

	hash_for_each_safe(mdev->peers, bkt, tmp, peer, hnode)
		mgre_peer_remove(peer);
}

/**
 * mgre_peer_event_allowed() - Rate-limit notifications about a peer.
 * @peer: the peer.
 *
 * Context: any context.
 * Return: true at most once a second per peer.
 */
bool mgre_peer_event_allowed(struct mgre_peer *peer)
{
	unsigned long last = READ_ONCE(peer->event_time);

	if (time_before(jiffies, last + HZ))
		return false;
	return cmpxchg(&peer->event_time, last, jiffies) == last;
}

/**
 * mgre_mcast_add() - Add an NBMA address to the multicast list.
 * @mdev: the device.
 * @nbma: the address multicast and broadcast packets are replicated to.
 * @dynamic: learned (by NHRP) rather than configured.
 *
 * Context: under mdev->lock.
 * Return: 0, -EEXIST or -ENOMEM.
 */
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

/**
 * mgre_mcast_del() - Remove an NBMA address from the multicast list.
 * @mdev: the device.
 * @nbma: the address.
 *
 * Context: under mdev->lock.
 * Return: 0, or -ENOENT when it is not on the list.
 */
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

/**
 * mgre_mcast_flush() - Empty the multicast list.
 * @mdev: the device.
 *
 * Context: under mdev->lock, or when the device is going away.
 */
void mgre_mcast_flush(struct mgre_dev *mdev)
{
	struct mgre_mcast *m, *tmp;

	list_for_each_entry_safe(m, tmp, &mdev->mcast, node) {
		list_del_rcu(&m->node);
		kfree_rcu(m, rcu);
	}
}
