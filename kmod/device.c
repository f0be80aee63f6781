// SPDX-License-Identifier: GPL-2.0
/*
 * The mgre link type: an IPv4 NBMA tunnel device.  Multipoint devices take
 * the destination from the neighbour entry (header_ops, like ip_gre's NBMA
 * mode: `ip neigh replace OVERLAY lladdr NBMA dev X`); point-to-point ones
 * from IFLA_MGRE_REMOTE.
 */

#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/mgre.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include <net/route.h>
#include "compat.h"
#include "device.h"
#include "gre.h"
#include "peer.h"
#include "sa.h"
#include "udp.h"

static void mgre_expire_work(struct work_struct *work)
{
	struct mgre_dev *mdev = container_of(to_delayed_work(work),
					     struct mgre_dev, expire_work);

	mutex_lock(&mdev->lock);
	if (!mdev->dead) {
		mgre_sa_expire_scan(mdev);
		queue_delayed_work(system_power_efficient_wq,
				   &mdev->expire_work, HZ);
	}
	mutex_unlock(&mdev->lock);
}

static int mgre_dev_init(struct net_device *dev)
{
	struct mgre_dev *mdev = netdev_priv(dev);
	int err;

	err = mgre_tstats_alloc(dev);
	if (err)
		return err;
	err = gro_cells_init(&mdev->gro_cells, dev);
	if (err) {
		mgre_tstats_free(dev);
		return err;
	}
	queue_delayed_work(system_power_efficient_wq, &mdev->expire_work, HZ);
	return 0;
}

static void mgre_dev_uninit(struct net_device *dev)
{
	struct mgre_dev *mdev = netdev_priv(dev);

	mutex_lock(&mdev->lock);
	mdev->dead = true;
	mgre_udp_detach(mdev);
	mgre_peers_flush(mdev);
	mgre_mcast_flush(mdev);
	mutex_unlock(&mdev->lock);
	cancel_delayed_work_sync(&mdev->expire_work);
	gro_cells_destroy(&mdev->gro_cells);
}

static void mgre_dev_free(struct net_device *dev)
{
	mgre_tstats_free(dev);
}

static const struct net_device_ops mgre_netdev_ops = {
	.ndo_init		= mgre_dev_init,
	.ndo_uninit		= mgre_dev_uninit,
	.ndo_start_xmit		= mgre_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

#define MGRE_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_FRAGLIST | \
		       NETIF_F_GSO_SOFTWARE | NETIF_F_HIGHDMA)

static void mgre_setup(struct net_device *dev)
{
	struct mgre_dev *mdev = netdev_priv(dev);

	dev->netdev_ops = &mgre_netdev_ops;
	dev->type = ARPHRD_IPGRE;
	dev->flags = IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* the ICMP "too big" path needs the inner packet's route */
	netif_keep_dst(dev);
	dev->addr_len = 4;
	dev->mtu = ETH_DATA_LEN - MGRE_OVERHEAD_MAX;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - MGRE_OVERHEAD_MAX;
	dev->needed_headroom = LL_MAX_HEADER + MGRE_OVERHEAD_MAX;
	dev->needed_tailroom = 64;
	dev->features |= MGRE_FEATURES;
	dev->hw_features |= MGRE_FEATURES;
	mgre_set_lltx(dev);
	dev->needs_free_netdev = true;
	dev->priv_destructor = mgre_dev_free;

	mdev->dev = dev;
	mutex_init(&mdev->lock);
	hash_init(mdev->peers);
	INIT_LIST_HEAD(&mdev->mcast);
	INIT_DELAYED_WORK(&mdev->expire_work, mgre_expire_work);
	ratelimit_state_init(&mdev->miss_rs, HZ, 10);
	ratelimit_set_flags(&mdev->miss_rs, RATELIMIT_MSG_ON_RELEASE);
}

static const struct nla_policy mgre_policy[IFLA_MGRE_MAX + 1] = {
	[IFLA_MGRE_LOCAL]	= { .type = NLA_BE32 },
	[IFLA_MGRE_REMOTE]	= { .type = NLA_BE32 },
	[IFLA_MGRE_KEY]		= { .type = NLA_U32 },
	[IFLA_MGRE_TTL]		= { .type = NLA_U8 },
	[IFLA_MGRE_TOS]		= { .type = NLA_U8 },
	[IFLA_MGRE_LINK]	= { .type = NLA_U32 },
	[IFLA_MGRE_PMTUDISC]	= NLA_POLICY_MAX(NLA_U8, 1),
};

static bool mgre_unicast(__be32 a)
{
	return a && !ipv4_is_multicast(a) && !ipv4_is_lbcast(a) &&
	       !ipv4_is_zeronet(a);
}

static int mgre_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS] || tb[IFLA_BROADCAST]) {
		NL_SET_ERR_MSG(extack, "mgre takes its addresses from local and remote");
		return -EINVAL;
	}
	if (!data || !data[IFLA_MGRE_LOCAL]) {
		NL_SET_ERR_MSG(extack, "mgre needs a local NBMA address (local A.B.C.D)");
		return -EINVAL;
	}
	if (!mgre_unicast(nla_get_be32(data[IFLA_MGRE_LOCAL]))) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_LOCAL],
				    "local must be a unicast IPv4 address");
		return -EINVAL;
	}
	if (data[IFLA_MGRE_REMOTE] && nla_get_be32(data[IFLA_MGRE_REMOTE]) &&
	    !mgre_unicast(nla_get_be32(data[IFLA_MGRE_REMOTE]))) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_REMOTE],
				    "remote must be a unicast IPv4 address");
		return -EINVAL;
	}
	if (data[IFLA_MGRE_PMTUDISC] && !nla_get_u8(data[IFLA_MGRE_PMTUDISC]) &&
	    data[IFLA_MGRE_TTL] && nla_get_u8(data[IFLA_MGRE_TTL]) == 0) {
		NL_SET_ERR_MSG(extack, "ttl inherit needs path MTU discovery");
		return -EINVAL;
	}
	return 0;
}

/* The underlay MTU: the bound device, the route to the peer, or the local address's device. */
static unsigned int mgre_underlay_mtu(struct net *net, const struct mgre_params *p)
{
	struct net_device *ldev = NULL;
	unsigned int mtu = ETH_DATA_LEN;

	if (p->link)
		ldev = __dev_get_by_index(net, p->link);
	if (!ldev && p->remote) {
		struct flowi4 fl4 = {
			.daddr = p->remote,
			.saddr = p->local,
			.flowi4_oif = p->link,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (!IS_ERR(rt)) {
			mtu = dst_mtu(&rt->dst);
			ip_rt_put(rt);
			return mtu;
		}
	}
	if (!ldev)
		ldev = __ip_dev_find(net, p->local, false);
	if (ldev)
		mtu = ldev->mtu;
	return mtu;
}

static int mgre_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct mgre_dev *mdev = netdev_priv(dev);
	struct mgre_params *p = &mdev->p;
	struct net *net = dev_net(dev);
	unsigned int mtu;

	p->local = nla_get_be32(data[IFLA_MGRE_LOCAL]);
	if (data[IFLA_MGRE_REMOTE])
		p->remote = nla_get_be32(data[IFLA_MGRE_REMOTE]);
	if (data[IFLA_MGRE_KEY]) {
		p->has_key = true;
		p->key = nla_get_u32(data[IFLA_MGRE_KEY]);
	}
	p->ttl = data[IFLA_MGRE_TTL] ? nla_get_u8(data[IFLA_MGRE_TTL]) : 0;
	p->tos = data[IFLA_MGRE_TOS] ? nla_get_u8(data[IFLA_MGRE_TOS]) : 0;
	p->pmtudisc = data[IFLA_MGRE_PMTUDISC] ?
		      nla_get_u8(data[IFLA_MGRE_PMTUDISC]) : true;
	if (data[IFLA_MGRE_LINK]) {
		p->link = nla_get_u32(data[IFLA_MGRE_LINK]);
		if (p->link && !__dev_get_by_index(net, p->link)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MGRE_LINK],
					    "no such underlay device");
			return -ENODEV;
		}
	}

	dev_addr_set(dev, (const u8 *)&p->local);
	if (p->remote) {
		dev->flags |= IFF_POINTOPOINT;
		memcpy(dev->broadcast, &p->remote, 4);
	} else {
		dev->flags |= IFF_MULTICAST;
		dev->header_ops = &mgre_header_ops;
		dev->hard_header_len = sizeof(struct iphdr) + mgre_gre_hlen(p->has_key);
	}
	if (!tb[IFLA_MTU]) {
		mtu = mgre_underlay_mtu(net, p);
		if (mtu > MGRE_OVERHEAD_MAX + ETH_MIN_MTU)
			dev->mtu = mtu - MGRE_OVERHEAD_MAX;
	}
	return register_netdevice(dev);
}

static int mgre_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct mgre_dev *mdev = netdev_priv(dev);
	struct mgre_params *p = &mdev->p;

	if (!data)
		return 0;
	if ((data[IFLA_MGRE_LOCAL] && nla_get_be32(data[IFLA_MGRE_LOCAL]) != p->local) ||
	    (data[IFLA_MGRE_REMOTE] && nla_get_be32(data[IFLA_MGRE_REMOTE]) != p->remote) ||
	    (data[IFLA_MGRE_KEY] && (!p->has_key || nla_get_u32(data[IFLA_MGRE_KEY]) != p->key)) ||
	    (data[IFLA_MGRE_LINK] && nla_get_u32(data[IFLA_MGRE_LINK]) != p->link)) {
		NL_SET_ERR_MSG(extack, "local, remote, key and dev are fixed; recreate the device");
		return -EOPNOTSUPP;
	}
	if (data[IFLA_MGRE_TTL])
		WRITE_ONCE(p->ttl, nla_get_u8(data[IFLA_MGRE_TTL]));
	if (data[IFLA_MGRE_TOS])
		WRITE_ONCE(p->tos, nla_get_u8(data[IFLA_MGRE_TOS]));
	if (data[IFLA_MGRE_PMTUDISC])
		WRITE_ONCE(p->pmtudisc, nla_get_u8(data[IFLA_MGRE_PMTUDISC]));
	return 0;
}

static size_t mgre_get_size(const struct net_device *dev)
{
	return nla_total_size(4) * 2 +	/* LOCAL, REMOTE */
	       nla_total_size(4) +	/* KEY */
	       nla_total_size(1) * 3 +	/* TTL, TOS, PMTUDISC */
	       nla_total_size(4);	/* LINK */
}

static int mgre_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct mgre_dev *mdev = netdev_priv(dev);
	const struct mgre_params *p = &mdev->p;

	if (nla_put_in_addr(skb, IFLA_MGRE_LOCAL, p->local) ||
	    nla_put_in_addr(skb, IFLA_MGRE_REMOTE, p->remote) ||
	    (p->has_key && nla_put_u32(skb, IFLA_MGRE_KEY, p->key)) ||
	    nla_put_u8(skb, IFLA_MGRE_TTL, READ_ONCE(p->ttl)) ||
	    nla_put_u8(skb, IFLA_MGRE_TOS, READ_ONCE(p->tos)) ||
	    nla_put_u8(skb, IFLA_MGRE_PMTUDISC, READ_ONCE(p->pmtudisc)) ||
	    nla_put_u32(skb, IFLA_MGRE_LINK, p->link))
		return -EMSGSIZE;
	return 0;
}

struct rtnl_link_ops mgre_link_ops __read_mostly = {
	.kind		= MGRE_LINK_KIND,
	.maxtype	= IFLA_MGRE_MAX,
	.policy		= mgre_policy,
	.priv_size	= sizeof(struct mgre_dev),
	.setup		= mgre_setup,
	.validate	= mgre_validate,
	.newlink	= mgre_newlink,
	.changelink	= mgre_changelink,
	.get_size	= mgre_get_size,
	.fill_info	= mgre_fill_info,
};

/**
 * mgre_dev_get() - Look up an mgre device by interface index.
 * @net: the network namespace to look in.
 * @ifindex: the interface index.
 *
 * Return: the device's private state with a reference on its net_device
 * (drop it with mgre_dev_put()), ERR_PTR(-ENODEV) if there is no such
 * device, or ERR_PTR(-EOPNOTSUPP) if the device is not an mgre device.
 */
struct mgre_dev *mgre_dev_get(struct net *net, int ifindex)
{
	struct net_device *dev = dev_get_by_index(net, ifindex);

	if (!dev)
		return ERR_PTR(-ENODEV);
	if (dev->rtnl_link_ops != &mgre_link_ops) {
		dev_put(dev);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/**
 * mgre_dev_put() - Drop the reference mgre_dev_get() took.
 * @mdev: the device.
 */
void mgre_dev_put(struct mgre_dev *mdev)
{
	dev_put(mdev->dev);
}
