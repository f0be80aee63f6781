// SPDX-License-Identifier: GPL-2.0
/*
 * Security associations.  Inbound SAs are found by SPI in a per-namespace
 * table (the SPI is ours to choose, so it is unique there); outbound SAs
 * hang off their peer, the newest one carrying the traffic.
 */

#include <linux/hashtable.h>
#include <linux/mgre.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netlink.h>
#include "device.h"
#include "netlink.h"
#include "peer.h"
#include "sa.h"

struct mgre_net {
	spinlock_t lock;		/* writers of spi */
	DECLARE_HASHTABLE(spi, 10);	/* inbound struct mgre_sa, RCU */
};

static unsigned int mgre_net_id __read_mostly;

static struct mgre_net *mgre_net(struct net *net)
{
	return net_generic(net, mgre_net_id);
}

static __net_init int mgre_net_init(struct net *net)
{
	struct mgre_net *mn = mgre_net(net);

	spin_lock_init(&mn->lock);
	hash_init(mn->spi);
	return 0;
}

static struct pernet_operations mgre_net_ops = {
	.init = mgre_net_init,
	.id = &mgre_net_id,
	.size = sizeof(struct mgre_net),
};

/**
 * mgre_sa_register() - Register the per-namespace inbound SPI table.
 *
 * Return: 0 or a negative errno.
 */
int mgre_sa_register(void)
{
	return register_pernet_subsys(&mgre_net_ops);
}

/**
 * mgre_sa_unregister() - Unregister the per-namespace inbound SPI table.
 */
void mgre_sa_unregister(void)
{
	unregister_pernet_subsys(&mgre_net_ops);
}

/**
 * mgre_sa_lookup_in() - Find an inbound SA by SPI.
 * @net: the namespace the packet arrived in.
 * @spi: the SPI, as on the wire.
 *
 * Context: under rcu_read_lock().
 * Return: the SA (no reference taken), or NULL.
 */
struct mgre_sa *mgre_sa_lookup_in(struct net *net, __be32 spi)
{
	struct mgre_net *mn = mgre_net(net);
	u32 key = ntohl(spi);
	struct mgre_sa *sa;

	hash_for_each_possible_rcu(mn->spi, sa, spi_node, key)
		if (sa->spi == key)
			return sa;
	return NULL;
}

static bool mgre_spi_used(struct mgre_net *mn, u32 spi)
{
	struct mgre_sa *sa;

	hash_for_each_possible_rcu(mn->spi, sa, spi_node, spi)
		if (sa->spi == spi)
			return true;
	return false;
}

/**
 * mgre_spi_alloc() - Pick a random inbound SPI not in use in a namespace.
 * @net: the namespace.
 *
 * Return: the SPI (256 or more), or 0 when 64 random tries all collided.
 */
u32 mgre_spi_alloc(struct net *net)
{
	struct mgre_net *mn = mgre_net(net);
	u32 spi;
	int i;

	rcu_read_lock();
	for (i = 0; i < 64; i++) {
		spi = get_random_u32();
		if (spi >= 256 && !mgre_spi_used(mn, spi))
			break;
	}
	rcu_read_unlock();
	return i < 64 ? spi : 0;
}

static void mgre_sa_free_rcu(struct rcu_head *rcu)
{
	struct mgre_sa *sa = container_of(rcu, struct mgre_sa, rcu);

	mgre_esp_destroy(&sa->esp);
	free_percpu(sa->stats);
	mgre_peer_put(sa->peer);
	kfree_sensitive(sa);
}

/**
 * mgre_sa_put() - Drop a reference to an SA.
 * @sa: the SA; freed after an RCU grace period with its last reference.
 */
void mgre_sa_put(struct mgre_sa *sa)
{
	if (refcount_dec_and_test(&sa->refcnt))
		call_rcu(&sa->rcu, mgre_sa_free_rcu);
}

/* The outbound SA to use: the newest one not past its hard limit. */
static struct mgre_sa *mgre_peer_pick_tx(struct mgre_peer *peer)
{
	struct mgre_sa *sa;

	list_for_each_entry(sa, &peer->sas, peer_node)
		if (sa->dir == MGRE_DIR_OUT && !test_bit(MGRE_SA_HARD, &sa->flags))
			return sa;
	return NULL;
}

/**
 * mgre_sa_add() - Install an SA, creating its peer if needed.
 * @mdev: the device.
 * @cfg: the SA's parameters.
 * @extack: where to say what was wrong.
 *
 * A new outbound SA carries the peer's traffic at once (make-before-break);
 * older inbound SAs keep working until they are deleted.
 *
 * Context: under mdev->lock.
 * Return: 0, or a negative errno with a message in @extack.
 */
int mgre_sa_add(struct mgre_dev *mdev, const struct mgre_sa_cfg *cfg,
		struct netlink_ext_ack *extack)
{
	struct mgre_net *mn = mgre_net(dev_net(mdev->dev));
	struct mgre_peer *peer;
	struct mgre_sa *sa;
	int err;

	lockdep_assert_held(&mdev->lock);
	if (cfg->spi < 256) {
		NL_SET_ERR_MSG(extack, "SPIs 0-255 are reserved (RFC 4303)");
		return -EINVAL;
	}
	if (mgre_sa_find(mdev, cfg->dir, cfg->spi, cfg->nbma)) {
		NL_SET_ERR_MSG(extack, "an SA with this direction and SPI exists");
		return -EEXIST;
	}
	if (cfg->dir == MGRE_DIR_IN) {
		bool used;

		rcu_read_lock();
		used = mgre_spi_used(mn, cfg->spi);
		rcu_read_unlock();
		if (used) {
			NL_SET_ERR_MSG(extack, "inbound SPI already in use in this namespace");
			return -EEXIST;
		}
	}

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return -ENOMEM;
	sa->stats = mgre_stats_alloc(GFP_KERNEL);
	if (!sa->stats) {
		kfree(sa);
		return -ENOMEM;
	}
	err = mgre_esp_init(&sa->esp, cfg->enc, cfg->auth, cfg->esn,
			    cfg->ekey, cfg->eklen, cfg->akey, cfg->aklen, extack);
	if (err) {
		free_percpu(sa->stats);
		kfree(sa);
		return err;
	}

	peer = mgre_peer_lookup(mdev, cfg->nbma);
	if (!peer) {
		peer = mgre_peer_create(mdev, cfg->nbma, extack);
		if (IS_ERR(peer)) {
			mgre_esp_destroy(&sa->esp);
			free_percpu(sa->stats);
			kfree(sa);
			return PTR_ERR(peer);
		}
	}
	mgre_peer_hold(peer);

	refcount_set(&sa->refcnt, 1);	/* the peer's list */
	sa->peer = peer;
	sa->spi = cfg->spi;
	sa->dir = cfg->dir;
	sa->enc = cfg->enc;
	sa->auth = cfg->auth;
	sa->mode = cfg->mode;
	sa->lim = cfg->lim;
	sa->added = ktime_get_seconds();
	spin_lock_init(&sa->replay_lock);
	mgre_replay_init(&sa->replay, cfg->replay_window);

	list_add_rcu(&sa->peer_node, &peer->sas);
	if (sa->dir == MGRE_DIR_IN) {
		spin_lock_bh(&mn->lock);
		hash_add_rcu(mn->spi, &sa->spi_node, sa->spi);
		spin_unlock_bh(&mn->lock);
	} else {
		/* make-before-break: the new SA takes over at once */
		rcu_assign_pointer(peer->tx_sa, sa);
	}
	return 0;
}

/**
 * mgre_sa_find() - Find an SA of a device by direction and SPI.
 * @mdev: the device.
 * @dir: MGRE_DIR_IN or MGRE_DIR_OUT.
 * @spi: the SPI.
 * @nbma: the peer's NBMA address, or 0 for any peer.
 *
 * Context: under mdev->lock.
 * Return: the SA (no reference taken), or NULL.
 */
struct mgre_sa *mgre_sa_find(struct mgre_dev *mdev, u8 dir, u32 spi, __be32 nbma)
{
	struct mgre_peer *peer;
	struct mgre_sa *sa;
	int bkt;

	lockdep_assert_held(&mdev->lock);
	hash_for_each(mdev->peers, bkt, peer, hnode) {
		if (nbma && peer->nbma != nbma)
			continue;
		list_for_each_entry(sa, &peer->sas, peer_node)
			if (sa->dir == dir && sa->spi == spi)
				return sa;
	}
	return NULL;
}

/**
 * mgre_sa_unlink() - Remove an SA from its peer (and the SPI table).
 * @sa: the SA; the peer's reference is dropped.
 *
 * When it was the peer's outbound SA, the newest outbound SA not past its
 * hard limit takes over.
 *
 * Context: under the device's lock.
 */
void mgre_sa_unlink(struct mgre_sa *sa)
{
	struct mgre_peer *peer = sa->peer;

	lockdep_assert_held(&peer->mdev->lock);
	list_del_rcu(&sa->peer_node);
	if (sa->dir == MGRE_DIR_IN) {
		struct mgre_net *mn = mgre_net(dev_net(peer->mdev->dev));

		spin_lock_bh(&mn->lock);
		hash_del_rcu(&sa->spi_node);
		spin_unlock_bh(&mn->lock);
	} else if (rcu_access_pointer(peer->tx_sa) == sa) {
		rcu_assign_pointer(peer->tx_sa, mgre_peer_pick_tx(peer));
	}
	mgre_sa_put(sa);
}

static bool mgre_over(u64 limit, u64 value)
{
	return limit && value >= limit;
}

/**
 * mgre_sa_expire_hard() - Mark an SA hard-expired.
 * @sa: the SA (sequence number exhausted, or past a lifetime).
 *
 * Notifies the hard EXPIRE once; the SA carries no more traffic.
 *
 * Context: any context.
 */
void mgre_sa_expire_hard(struct mgre_sa *sa)
{
	if (!test_and_set_bit(MGRE_SA_HARD, &sa->flags))
		mgre_nl_expire(sa, MGRE_EXPIRE_HARD);
}

/**
 * mgre_sa_account() - Count one packet against an SA's lifetime.
 * @sa: the SA.
 * @len: the packet's length in bytes.
 *
 * Notifies the soft and the hard expiry once each.
 *
 * Context: any context.
 * Return: false when the SA is past a hard limit.
 */
bool mgre_sa_account(struct mgre_sa *sa, unsigned int len)
{
	u64 packets = atomic64_inc_return(&sa->packets);
	u64 bytes = atomic64_add_return(len, &sa->bytes);
	const struct mgre_lifetime *l = &sa->lim;

	if (unlikely(test_bit(MGRE_SA_HARD, &sa->flags)))
		return false;
	if (unlikely(mgre_over(l->hard_packets, packets) ||
		     mgre_over(l->hard_bytes, bytes))) {
		mgre_sa_expire_hard(sa);
		return false;
	}
	if (unlikely(mgre_over(l->soft_packets, packets) ||
		     mgre_over(l->soft_bytes, bytes)) &&
	    !test_and_set_bit(MGRE_SA_SOFT, &sa->flags))
		mgre_nl_expire(sa, MGRE_EXPIRE_SOFT);
	return true;
}

/**
 * mgre_sa_expire_scan() - Apply the time lifetimes of a device's SAs.
 * @mdev: the device.
 *
 * Notifies soft and hard expiries and unlinks hard-expired SAs; run
 * periodically.
 *
 * Context: under mdev->lock.
 */
void mgre_sa_expire_scan(struct mgre_dev *mdev)
{
	time64_t now = ktime_get_seconds();
	struct mgre_sa *sa, *tmp;
	struct mgre_peer *peer;
	int bkt;

	lockdep_assert_held(&mdev->lock);
	hash_for_each(mdev->peers, bkt, peer, hnode) {
		list_for_each_entry_safe(sa, tmp, &peer->sas, peer_node) {
			u64 age = now - sa->added;

			if (mgre_over(sa->lim.hard_seconds, age))
				mgre_sa_expire_hard(sa);
			else if (mgre_over(sa->lim.soft_seconds, age) &&
				 !test_and_set_bit(MGRE_SA_SOFT, &sa->flags))
				mgre_nl_expire(sa, MGRE_EXPIRE_SOFT);
			if (test_bit(MGRE_SA_HARD, &sa->flags))
				mgre_sa_unlink(sa);
		}
	}
}
