// SPDX-License-Identifier: GPL-2.0
/*
 * The "mgre" generic netlink family (uapi/linux/mgre.h): peers, SAs,
 * multicast entries and the encapsulation socket of an mgre device, and
 * the ACQUIRE / EXPIRE / TRAFFIC notifications.  Every operation needs
 * CAP_NET_ADMIN in the device's namespace; keys are never sent back.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mgre.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "peer.h"
#include "sa.h"
#include "udp.h"

/*
 * The request policies and the ops table: generated from
 * Documentation/netlink/specs/mgre.yaml by the kernel's YNL generator
 * (tools/ynl-gen.sh), never edited by hand.  Included rather than linked
 * so that its multicast group table is the family's.
 */
#include "netlink-gen.c"

static struct genl_family mgre_family;

/*
 * What the module reports and never takes: YNL has no word for a read-only
 * attribute, so the generated policies accept them and mgre_nl_nest()
 * refuses them.
 */
#define MGRE_PEER_READ_ONLY	(BIT_ULL(MGRE_PEER_A_PMTU) | BIT_ULL(MGRE_PEER_A_STATS) | \
				 BIT_ULL(MGRE_PEER_A_OUT_SPI))
#define MGRE_SA_READ_ONLY	(BIT_ULL(MGRE_SA_A_SEQ) | BIT_ULL(MGRE_SA_A_AGE) | \
				 BIT_ULL(MGRE_SA_A_STATS) | BIT_ULL(MGRE_SA_A_EXPIRE))

/* ---- requests ---- */

static int mgre_nl_ifindex(struct net *net, struct nlattr **attrs)
{
	struct net_device *dev;
	int ifindex = 0;

	if (attrs[MGRE_A_IFINDEX])
		return nla_get_u32(attrs[MGRE_A_IFINDEX]);
	if (!attrs[MGRE_A_IFNAME])
		return 0;
	rcu_read_lock();
	dev = dev_get_by_name_rcu(net, nla_data(attrs[MGRE_A_IFNAME]));
	if (dev)
		ifindex = dev->ifindex;
	rcu_read_unlock();
	return ifindex ?: -ENODEV;
}

/* The request's device, locked. */
static struct mgre_dev *mgre_nl_lock_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mgre_dev *mdev;
	int ifindex;

	ifindex = mgre_nl_ifindex(net, info->attrs);
	if (!ifindex) {
		GENL_SET_ERR_MSG(info, "missing device (MGRE_A_IFINDEX or MGRE_A_IFNAME)");
		return ERR_PTR(-EINVAL);
	}
	mdev = ifindex < 0 ? ERR_PTR(ifindex) : mgre_dev_get(net, ifindex);
	if (IS_ERR(mdev)) {
		if (PTR_ERR(mdev) == -ENODEV)
			GENL_SET_ERR_MSG(info, "no such device");
		else
			GENL_SET_ERR_MSG(info, "not an mgre device");
		return mdev;
	}
	mutex_lock(&mdev->lock);
	if (mdev->dead) {
		mutex_unlock(&mdev->lock);
		mgre_dev_put(mdev);
		GENL_SET_ERR_MSG(info, "device is being removed");
		return ERR_PTR(-ENODEV);
	}
	return mdev;
}

static void mgre_nl_unlock_dev(struct mgre_dev *mdev)
{
	mutex_unlock(&mdev->lock);
	mgre_dev_put(mdev);
}

/* Parse the nest at attrs[type] with its policy into tb; no read-only attribute. */
static int mgre_nl_nest(struct genl_info *info, int type, int max,
			const struct nla_policy *policy, u64 read_only,
			struct nlattr **tb)
{
	int err, i;

	if (!info->attrs[type]) {
		if (type == MGRE_A_PEER)
			GENL_SET_ERR_MSG(info, "missing MGRE_A_PEER");
		else if (type == MGRE_A_SA)
			GENL_SET_ERR_MSG(info, "missing MGRE_A_SA");
		else
			GENL_SET_ERR_MSG(info, "missing MGRE_A_MCAST");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, max, info->attrs[type], policy, info->extack);
	if (err)
		return err;
	for (i = 0; i <= max; i++) {
		if (tb[i] && (read_only & BIT_ULL(i))) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[i], "read-only attribute");
			return -EINVAL;
		}
	}
	return 0;
}

#define mgre_nl_need(info, nest, tb, attr, msg)			\
	({								\
		int __err = 0;						\
		if (!(tb)[attr]) {					\
			NL_SET_ERR_MSG_ATTR((info)->extack, nest, msg);	\
			__err = -EINVAL;				\
		}							\
		__err;							\
	})

/**
 * mgre_nl_peer_set_doit() - MGRE_CMD_PEER_SET: create a peer or change its encapsulation.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_PEER_A_MAX + 1];
	struct mgre_peer *peer;
	struct mgre_dev *mdev;
	__be32 nbma;
	int err;

	err = mgre_nl_nest(info, MGRE_A_PEER, MGRE_PEER_A_MAX, mgre_peer_nl_policy,
			   MGRE_PEER_READ_ONLY, tb);
	if (!err)
		err = mgre_nl_need(info, info->attrs[MGRE_A_PEER], tb,
				   MGRE_PEER_A_NBMA, "missing peer NBMA address");
	if (err)
		return err;
	nbma = nla_get_be32(tb[MGRE_PEER_A_NBMA]);

	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	peer = mgre_peer_lookup(mdev, nbma);
	if (!peer)
		peer = mgre_peer_create(mdev, nbma, info->extack);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
		goto out;
	}
	if (tb[MGRE_PEER_A_ENCAP])
		WRITE_ONCE(peer->encap, nla_get_u8(tb[MGRE_PEER_A_ENCAP]));
	if (tb[MGRE_PEER_A_SPORT])
		WRITE_ONCE(peer->sport, htons(nla_get_u16(tb[MGRE_PEER_A_SPORT])));
	if (tb[MGRE_PEER_A_DPORT])
		WRITE_ONCE(peer->dport, htons(nla_get_u16(tb[MGRE_PEER_A_DPORT])));
	dst_cache_reset(&peer->dst_cache);
out:
	mgre_nl_unlock_dev(mdev);
	return err;
}

/**
 * mgre_nl_peer_del_doit() - MGRE_CMD_PEER_DEL: delete a peer and its SAs.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_PEER_A_MAX + 1];
	struct mgre_peer *peer;
	struct mgre_dev *mdev;
	int err;

	err = mgre_nl_nest(info, MGRE_A_PEER, MGRE_PEER_A_MAX, mgre_peer_nl_policy,
			   MGRE_PEER_READ_ONLY, tb);
	if (!err)
		err = mgre_nl_need(info, info->attrs[MGRE_A_PEER], tb,
				   MGRE_PEER_A_NBMA, "missing peer NBMA address");
	if (err)
		return err;
	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	peer = mgre_peer_lookup(mdev, nla_get_be32(tb[MGRE_PEER_A_NBMA]));
	if (peer) {
		mgre_peer_remove(peer);
	} else {
		GENL_SET_ERR_MSG(info, "no such peer");
		err = -ENOENT;
	}
	mgre_nl_unlock_dev(mdev);
	return err;
}

static u64 mgre_nl_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

static void mgre_nl_wipe(struct nlattr *attr)
{
	if (attr)
		memzero_explicit(nla_data(attr), nla_len(attr));
}

/**
 * mgre_nl_sa_new_doit() - MGRE_CMD_SA_NEW: install an SA; the keys are wiped from the request.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_SA_A_MAX + 1];
	struct nlattr *nest = info->attrs[MGRE_A_SA];
	struct mgre_sa_cfg cfg = {};
	struct mgre_dev *mdev;
	int err;

	err = mgre_nl_nest(info, MGRE_A_SA, MGRE_SA_A_MAX, mgre_sa_nl_policy,
			   MGRE_SA_READ_ONLY, tb);
	if (err)
		return err;
	err = mgre_nl_need(info, nest, tb, MGRE_SA_A_NBMA, "missing SA peer NBMA address") ?:
	      mgre_nl_need(info, nest, tb, MGRE_SA_A_DIR, "missing SA direction") ?:
	      mgre_nl_need(info, nest, tb, MGRE_SA_A_SPI, "missing SA SPI") ?:
	      mgre_nl_need(info, nest, tb, MGRE_SA_A_ENC, "missing SA encryption algorithm");
	if (err)
		goto wipe;

	cfg.nbma = nla_get_be32(tb[MGRE_SA_A_NBMA]);
	cfg.dir = nla_get_u8(tb[MGRE_SA_A_DIR]);
	cfg.spi = nla_get_u32(tb[MGRE_SA_A_SPI]);
	cfg.enc = nla_get_u8(tb[MGRE_SA_A_ENC]);
	cfg.auth = tb[MGRE_SA_A_AUTH] ? nla_get_u8(tb[MGRE_SA_A_AUTH]) : MGRE_AUTH_NONE;
	if (tb[MGRE_SA_A_ENC_KEY]) {
		cfg.ekey = nla_data(tb[MGRE_SA_A_ENC_KEY]);
		cfg.eklen = nla_len(tb[MGRE_SA_A_ENC_KEY]);
	}
	if (tb[MGRE_SA_A_AUTH_KEY]) {
		cfg.akey = nla_data(tb[MGRE_SA_A_AUTH_KEY]);
		cfg.aklen = nla_len(tb[MGRE_SA_A_AUTH_KEY]);
	}
	cfg.replay_window = tb[MGRE_SA_A_REPLAY_WINDOW] ?
			    nla_get_u32(tb[MGRE_SA_A_REPLAY_WINDOW]) :
			    MGRE_REPLAY_WINDOW_DEFAULT;
	cfg.esn = nla_get_flag(tb[MGRE_SA_A_ESN]);
	cfg.mode = tb[MGRE_SA_A_MODE] ? nla_get_u8(tb[MGRE_SA_A_MODE]) : MGRE_MODE_TRANSPORT;
	cfg.lim.soft_bytes = mgre_nl_u64(tb, MGRE_SA_A_SOFT_BYTES);
	cfg.lim.hard_bytes = mgre_nl_u64(tb, MGRE_SA_A_HARD_BYTES);
	cfg.lim.soft_packets = mgre_nl_u64(tb, MGRE_SA_A_SOFT_PACKETS);
	cfg.lim.hard_packets = mgre_nl_u64(tb, MGRE_SA_A_HARD_PACKETS);
	cfg.lim.soft_seconds = mgre_nl_u64(tb, MGRE_SA_A_SOFT_SECONDS);
	cfg.lim.hard_seconds = mgre_nl_u64(tb, MGRE_SA_A_HARD_SECONDS);

	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev)) {
		err = PTR_ERR(mdev);
		goto wipe;
	}
	err = mgre_sa_add(mdev, &cfg, info->extack);
	mgre_nl_unlock_dev(mdev);
wipe:
	mgre_nl_wipe(tb[MGRE_SA_A_ENC_KEY]);
	mgre_nl_wipe(tb[MGRE_SA_A_AUTH_KEY]);
	return err;
}

/**
 * mgre_nl_sa_del_doit() - MGRE_CMD_SA_DEL: delete an SA.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_SA_A_MAX + 1];
	struct nlattr *nest = info->attrs[MGRE_A_SA];
	struct mgre_dev *mdev;
	struct mgre_sa *sa;
	int err;

	err = mgre_nl_nest(info, MGRE_A_SA, MGRE_SA_A_MAX, mgre_sa_nl_policy,
			   MGRE_SA_READ_ONLY, tb);
	if (err)
		return err;
	err = mgre_nl_need(info, nest, tb, MGRE_SA_A_DIR, "missing SA direction") ?:
	      mgre_nl_need(info, nest, tb, MGRE_SA_A_SPI, "missing SA SPI");
	if (err)
		return err;
	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	sa = mgre_sa_find(mdev, nla_get_u8(tb[MGRE_SA_A_DIR]),
			  nla_get_u32(tb[MGRE_SA_A_SPI]),
			  tb[MGRE_SA_A_NBMA] ? nla_get_be32(tb[MGRE_SA_A_NBMA]) : 0);
	if (sa) {
		mgre_sa_unlink(sa);
	} else {
		GENL_SET_ERR_MSG(info, "no such SA");
		err = -ENOENT;
	}
	mgre_nl_unlock_dev(mdev);
	return err;
}

static int mgre_nl_mcast(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_MCAST_A_MAX + 1];
	struct mgre_dev *mdev;
	__be32 nbma;
	int err;

	err = mgre_nl_nest(info, MGRE_A_MCAST, MGRE_MCAST_A_MAX, mgre_mcast_nl_policy,
			   0, tb);
	if (!err)
		err = mgre_nl_need(info, info->attrs[MGRE_A_MCAST], tb,
				   MGRE_MCAST_A_NBMA, "missing multicast NBMA address");
	if (err)
		return err;
	nbma = nla_get_be32(tb[MGRE_MCAST_A_NBMA]);
	if (!nbma || ipv4_is_multicast(nbma) || ipv4_is_lbcast(nbma)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MGRE_MCAST_A_NBMA],
				    "multicast entries are unicast NBMA addresses");
		return -EINVAL;
	}
	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	if (info->genlhdr->cmd == MGRE_CMD_MCAST_ADD) {
		err = mgre_mcast_add(mdev, nbma, nla_get_flag(tb[MGRE_MCAST_A_DYNAMIC]));
		if (err == -EEXIST)
			GENL_SET_ERR_MSG(info, "NBMA address already on the multicast list");
	} else {
		err = mgre_mcast_del(mdev, nbma);
		if (err == -ENOENT)
			GENL_SET_ERR_MSG(info, "NBMA address not on the multicast list");
	}
	mgre_nl_unlock_dev(mdev);
	return err;
}

/**
 * mgre_nl_mcast_add_doit() - MGRE_CMD_MCAST_ADD: add an NBMA address to the multicast list.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_mcast_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return mgre_nl_mcast(skb, info);
}

/**
 * mgre_nl_mcast_del_doit() - MGRE_CMD_MCAST_DEL: remove an NBMA address from the multicast list.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_mcast_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return mgre_nl_mcast(skb, info);
}

/**
 * mgre_nl_encap_set_doit() - MGRE_CMD_ENCAP_SET: take the ESP-in-UDP socket.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_encap_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_dev *mdev;
	int err;

	if (!info->attrs[MGRE_A_ENCAP_FD]) {
		GENL_SET_ERR_MSG(info, "missing MGRE_A_ENCAP_FD");
		return -EINVAL;
	}
	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	err = mgre_udp_attach(mdev, nla_get_u32(info->attrs[MGRE_A_ENCAP_FD]),
			      info->extack);
	mgre_nl_unlock_dev(mdev);
	return err;
}

/**
 * mgre_nl_encap_del_doit() - MGRE_CMD_ENCAP_DEL: give the ESP-in-UDP socket back.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_encap_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_dev *mdev = mgre_nl_lock_dev(info);
	int err = 0;

	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	if (!mdev->encap_sock) {
		GENL_SET_ERR_MSG(info, "no encapsulation socket attached");
		err = -ENOENT;
	}
	mgre_udp_detach(mdev);
	mgre_nl_unlock_dev(mdev);
	return err;
}

/**
 * mgre_nl_flush_doit() - MGRE_CMD_FLUSH: delete every peer, SA and multicast entry.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgre_dev *mdev = mgre_nl_lock_dev(info);

	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	mgre_peers_flush(mdev);
	mgre_mcast_flush(mdev);
	mgre_nl_unlock_dev(mdev);
	return 0;
}

/* ---- replies, dumps and notifications ---- */

static int mgre_nl_put_stats(struct sk_buff *skb, int type,
			     struct mgre_stats __percpu *stats)
{
	u64 v[MGRE_STATS_A_MAX + 1];
	struct nlattr *nest;
	int i;

	mgre_stats_read(stats, v);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = MGRE_STATS_A_UNSPEC + 1; i <= MGRE_STATS_A_MAX; i++) {
		if (i == MGRE_STATS_A_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, v[i], MGRE_STATS_A_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int mgre_nl_put_peer(struct sk_buff *skb, struct mgre_peer *peer)
{
	struct mgre_sa *tx = rcu_dereference(peer->tx_sa);
	struct nlattr *nest = nla_nest_start(skb, MGRE_A_PEER);

	if (!nest ||
	    nla_put_in_addr(skb, MGRE_PEER_A_NBMA, peer->nbma) ||
	    nla_put_u8(skb, MGRE_PEER_A_ENCAP, READ_ONCE(peer->encap)) ||
	    nla_put_u16(skb, MGRE_PEER_A_SPORT, ntohs(READ_ONCE(peer->sport))) ||
	    nla_put_u16(skb, MGRE_PEER_A_DPORT, ntohs(READ_ONCE(peer->dport))) ||
	    nla_put_u32(skb, MGRE_PEER_A_PMTU, READ_ONCE(peer->pmtu)) ||
	    nla_put_u32(skb, MGRE_PEER_A_OUT_SPI, tx ? tx->spi : 0) ||
	    mgre_nl_put_stats(skb, MGRE_PEER_A_STATS, peer->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgre_nl_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return v ? nla_put_u64_64bit(skb, type, v, MGRE_SA_A_PAD) : 0;
}

static int mgre_nl_put_sa(struct sk_buff *skb, struct mgre_sa *sa, u8 expire)
{
	struct nlattr *nest = nla_nest_start(skb, MGRE_A_SA);
	const struct mgre_lifetime *l = &sa->lim;
	u64 seq = sa->dir == MGRE_DIR_OUT ? atomic64_read(&sa->seq) :
					    READ_ONCE(sa->replay.top);

	if (!nest ||
	    nla_put_in_addr(skb, MGRE_SA_A_NBMA, sa->peer->nbma) ||
	    nla_put_u8(skb, MGRE_SA_A_DIR, sa->dir) ||
	    nla_put_u32(skb, MGRE_SA_A_SPI, sa->spi) ||
	    nla_put_u8(skb, MGRE_SA_A_ENC, sa->enc) ||
	    nla_put_u8(skb, MGRE_SA_A_AUTH, sa->auth) ||
	    nla_put_u32(skb, MGRE_SA_A_REPLAY_WINDOW, sa->replay.window) ||
	    (sa->esp.esn && nla_put_flag(skb, MGRE_SA_A_ESN)) ||
	    nla_put_u8(skb, MGRE_SA_A_MODE, sa->mode) ||
	    mgre_nl_put_u64(skb, MGRE_SA_A_SOFT_BYTES, l->soft_bytes) ||
	    mgre_nl_put_u64(skb, MGRE_SA_A_HARD_BYTES, l->hard_bytes) ||
	    mgre_nl_put_u64(skb, MGRE_SA_A_SOFT_PACKETS, l->soft_packets) ||
	    mgre_nl_put_u64(skb, MGRE_SA_A_HARD_PACKETS, l->hard_packets) ||
	    mgre_nl_put_u64(skb, MGRE_SA_A_SOFT_SECONDS, l->soft_seconds) ||
	    mgre_nl_put_u64(skb, MGRE_SA_A_HARD_SECONDS, l->hard_seconds) ||
	    nla_put_u64_64bit(skb, MGRE_SA_A_SEQ, seq, MGRE_SA_A_PAD) ||
	    nla_put_u64_64bit(skb, MGRE_SA_A_AGE, ktime_get_seconds() - sa->added,
			      MGRE_SA_A_PAD) ||
	    (expire && nla_put_u8(skb, MGRE_SA_A_EXPIRE, expire)) ||
	    mgre_nl_put_stats(skb, MGRE_SA_A_STATS, sa->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgre_nl_put_mcast(struct sk_buff *skb, struct mgre_mcast *m)
{
	struct nlattr *nest = nla_nest_start(skb, MGRE_A_MCAST);

	if (!nest || nla_put_in_addr(skb, MGRE_MCAST_A_NBMA, m->nbma) ||
	    (m->dynamic && nla_put_flag(skb, MGRE_MCAST_A_DYNAMIC)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

enum mgre_obj { MGRE_OBJ_PEER, MGRE_OBJ_SA, MGRE_OBJ_MCAST };

/* One message for one object; RCU held. */
static int mgre_nl_msg(struct sk_buff *skb, struct mgre_dev *mdev, enum mgre_obj type,
		       void *obj, u32 portid, u32 seq, int flags, u8 cmd, u8 expire)
{
	void *hdr = genlmsg_put(skb, portid, seq, &mgre_family, flags, cmd);
	int err;

	if (!hdr)
		return -EMSGSIZE;
	err = nla_put_u32(skb, MGRE_A_IFINDEX, mdev->dev->ifindex);
	if (!err)
		err = type == MGRE_OBJ_PEER ? mgre_nl_put_peer(skb, obj) :
		      type == MGRE_OBJ_SA ? mgre_nl_put_sa(skb, obj, expire) :
		      mgre_nl_put_mcast(skb, obj);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Object number *i of a dump: sent if not sent before (*idx on). */
static int mgre_nl_dump_one(struct sk_buff *skb, struct mgre_dev *mdev,
			    enum mgre_obj type, void *obj, u8 cmd, u32 portid,
			    u32 seq, long *i, long *idx)
{
	if (*i >= *idx && mgre_nl_msg(skb, mdev, type, obj, portid, seq,
				      NLM_F_MULTI, cmd, 0)) {
		*idx = *i;
		return -EMSGSIZE;
	}
	(*i)++;
	return 0;
}

/*
 * Dump objects of one device from position *idx on; RCU held.  Returns
 * -EMSGSIZE with *idx at the first object not sent when the skb is full.
 */
static int mgre_nl_dump_dev(struct sk_buff *skb, struct netlink_callback *cb,
			    struct mgre_dev *mdev, enum mgre_obj type, long *idx)
{
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	u8 cmd = type == MGRE_OBJ_PEER ? MGRE_CMD_PEER_GET :
		 type == MGRE_OBJ_SA ? MGRE_CMD_SA_GET : MGRE_CMD_MCAST_GET;
	struct mgre_peer *peer;
	struct mgre_mcast *m;
	struct mgre_sa *sa;
	long i = 0;
	int bkt;

	if (type == MGRE_OBJ_MCAST) {
		list_for_each_entry_rcu(m, &mdev->mcast, node)
			if (mgre_nl_dump_one(skb, mdev, type, m, cmd, portid, seq, &i, idx))
				return -EMSGSIZE;
		return 0;
	}
	hash_for_each_rcu(mdev->peers, bkt, peer, hnode) {
		if (type == MGRE_OBJ_PEER) {
			if (mgre_nl_dump_one(skb, mdev, type, peer, cmd, portid, seq, &i, idx))
				return -EMSGSIZE;
			continue;
		}
		list_for_each_entry_rcu(sa, &peer->sas, peer_node)
			if (mgre_nl_dump_one(skb, mdev, type, sa, cmd, portid, seq, &i, idx))
				return -EMSGSIZE;
	}
	return 0;
}

/* cb->args[0]: mgre devices done, cb->args[1]: objects done in the next. */
static int mgre_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
			enum mgre_obj type)
{
	struct net *net = sock_net(skb->sk);
	int want = mgre_nl_ifindex(net, mgre_dump_attrs(cb));
	struct net_device *dev;
	long n = 0, idx;
	int err = 0;

	if (want < 0)
		return want;
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (dev->rtnl_link_ops != &mgre_link_ops ||
		    (want && dev->ifindex != want))
			continue;
		if (n++ < cb->args[0])
			continue;
		idx = cb->args[1];
		err = mgre_nl_dump_dev(skb, cb, netdev_priv(dev), type, &idx);
		if (err) {
			cb->args[1] = idx;
			break;
		}
		cb->args[0] = n;
		cb->args[1] = 0;
	}
	rcu_read_unlock();
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/**
 * mgre_nl_peer_get_dumpit() - MGRE_CMD_PEER_GET dump: every peer.
 * @skb: the reply being filled.
 * @cb: the dump's state, resumed where the previous reply stopped.
 *
 * Return: the reply's length, 0 when the dump is complete, or a negative errno.
 */
int mgre_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return mgre_nl_dump(skb, cb, MGRE_OBJ_PEER);
}

/**
 * mgre_nl_sa_get_dumpit() - MGRE_CMD_SA_GET dump: every SA, never their keys.
 * @skb: the reply being filled.
 * @cb: the dump's state, resumed where the previous reply stopped.
 *
 * Return: the reply's length, 0 when the dump is complete, or a negative errno.
 */
int mgre_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return mgre_nl_dump(skb, cb, MGRE_OBJ_SA);
}

/**
 * mgre_nl_mcast_get_dumpit() - MGRE_CMD_MCAST_GET dump: the multicast list.
 * @skb: the reply being filled.
 * @cb: the dump's state, resumed where the previous reply stopped.
 *
 * Return: the reply's length, 0 when the dump is complete, or a negative errno.
 */
int mgre_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return mgre_nl_dump(skb, cb, MGRE_OBJ_MCAST);
}

static int mgre_nl_reply(struct genl_info *info, struct mgre_dev *mdev,
			 enum mgre_obj type, void *obj)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	int err;

	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	err = mgre_nl_msg(msg, mdev, type, obj, info->snd_portid, info->snd_seq,
			  0, info->genlhdr->cmd, 0);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * mgre_nl_peer_get_doit() - MGRE_CMD_PEER_GET: one peer.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_PEER_A_MAX + 1];
	struct mgre_peer *peer;
	struct mgre_dev *mdev;
	int err;

	err = mgre_nl_nest(info, MGRE_A_PEER, MGRE_PEER_A_MAX, mgre_peer_nl_policy,
			   MGRE_PEER_READ_ONLY, tb);
	if (!err)
		err = mgre_nl_need(info, info->attrs[MGRE_A_PEER], tb,
				   MGRE_PEER_A_NBMA, "missing peer NBMA address");
	if (err)
		return err;
	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	peer = mgre_peer_lookup(mdev, nla_get_be32(tb[MGRE_PEER_A_NBMA]));
	if (peer) {
		err = mgre_nl_reply(info, mdev, MGRE_OBJ_PEER, peer);
	} else {
		GENL_SET_ERR_MSG(info, "no such peer");
		err = -ENOENT;
	}
	mgre_nl_unlock_dev(mdev);
	return err;
}

/**
 * mgre_nl_sa_get_doit() - MGRE_CMD_SA_GET: one SA, never its keys.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGRE_SA_A_MAX + 1];
	struct nlattr *nest = info->attrs[MGRE_A_SA];
	struct mgre_dev *mdev;
	struct mgre_sa *sa;
	int err;

	err = mgre_nl_nest(info, MGRE_A_SA, MGRE_SA_A_MAX, mgre_sa_nl_policy,
			   MGRE_SA_READ_ONLY, tb);
	if (err)
		return err;
	err = mgre_nl_need(info, nest, tb, MGRE_SA_A_DIR, "missing SA direction") ?:
	      mgre_nl_need(info, nest, tb, MGRE_SA_A_SPI, "missing SA SPI");
	if (err)
		return err;
	mdev = mgre_nl_lock_dev(info);
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);
	sa = mgre_sa_find(mdev, nla_get_u8(tb[MGRE_SA_A_DIR]),
			  nla_get_u32(tb[MGRE_SA_A_SPI]),
			  tb[MGRE_SA_A_NBMA] ? nla_get_be32(tb[MGRE_SA_A_NBMA]) : 0);
	if (sa) {
		err = mgre_nl_reply(info, mdev, MGRE_OBJ_SA, sa);
	} else {
		GENL_SET_ERR_MSG(info, "no such SA");
		err = -ENOENT;
	}
	mgre_nl_unlock_dev(mdev);
	return err;
}

/**
 * mgre_nl_spi_alloc_doit() - MGRE_CMD_SPI_ALLOC: an inbound SPI unused in the namespace.
 * @skb: the request.
 * @info: the request's attributes (checked against mgre_nl_policy).
 *
 * Context: process context, under the genetlink mutex; takes the device's lock.
 * Return: 0, or a negative errno with a message in the extended ack.
 */
int mgre_nl_spi_alloc_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	u32 spi;

	spi = mgre_spi_alloc(net);
	if (!spi) {
		GENL_SET_ERR_MSG(info, "no free SPI");
		return -ENOSPC;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mgre_family, 0, MGRE_CMD_SPI_ALLOC);
	nest = hdr ? nla_nest_start(msg, MGRE_A_SA) : NULL;
	if (!nest || nla_put_u32(msg, MGRE_SA_A_SPI, spi)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static bool mgre_nl_listening(struct mgre_dev *mdev)
{
	return genl_has_listeners(&mgre_family, dev_net(mdev->dev),
				  MGRE_NLGRP_EVENTS);
}

/* The overlay packet's addresses: IPv4 (MGRE_A_SRC/DST) or IPv6 (MGRE_A_SRC6/DST6). */
static int mgre_nl_put_inner(struct sk_buff *msg, struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_network_may_pull(skb, sizeof(struct iphdr)))
		return nla_put_in_addr(msg, MGRE_A_SRC, ip_hdr(skb)->saddr) ||
		       nla_put_in_addr(msg, MGRE_A_DST, ip_hdr(skb)->daddr);
	if (skb->protocol == htons(ETH_P_IPV6) &&
	    pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
		return nla_put_in6_addr(msg, MGRE_A_SRC6, &ipv6_hdr(skb)->saddr) ||
		       nla_put_in6_addr(msg, MGRE_A_DST6, &ipv6_hdr(skb)->daddr);
	return 0;
}

static void mgre_nl_event(struct mgre_dev *mdev, u8 cmd, __be32 nbma,
			  struct sk_buff *skb)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!mgre_nl_listening(mdev))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &mgre_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, MGRE_A_IFINDEX, mdev->dev->ifindex) ||
	    mgre_nl_put_inner(msg, skb))
		goto fail;
	if (nbma) {
		nest = nla_nest_start(msg, MGRE_A_PEER);
		if (!nest || nla_put_in_addr(msg, MGRE_PEER_A_NBMA, nbma))
			goto fail;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mgre_family, dev_net(mdev->dev), msg, 0,
				MGRE_NLGRP_EVENTS, GFP_ATOMIC);
	return;
fail:
	nlmsg_free(msg);
}

/**
 * mgre_nl_acquire() - Multicast an ACQUIRE notification.
 * @mdev: the device.
 * @nbma: the peer that has no outbound SA, or 0: the overlay destination
 *	has no NBMA mapping (a resolution miss).
 * @skb: the overlay packet (its network header): its IPv4 or IPv6 source
 *	and destination go in the notification.
 *
 * Context: any context.
 */
void mgre_nl_acquire(struct mgre_dev *mdev, __be32 nbma, struct sk_buff *skb)
{
	mgre_nl_event(mdev, MGRE_CMD_ACQUIRE, nbma, skb);
}

/**
 * mgre_nl_traffic() - Multicast a TRAFFIC notification.
 * @mdev: the device.
 * @nbma: the peer the overlay packet went to.
 * @skb: the overlay packet (its network header): its IPv4 or IPv6 source
 *	and destination go in the notification.
 *
 * Context: any context.
 */
void mgre_nl_traffic(struct mgre_dev *mdev, __be32 nbma, struct sk_buff *skb)
{
	mgre_nl_event(mdev, MGRE_CMD_TRAFFIC, nbma, skb);
}

/**
 * mgre_nl_expire() - Multicast an EXPIRE notification for an SA.
 * @sa: the SA.
 * @kind: MGRE_EXPIRE_SOFT or MGRE_EXPIRE_HARD.
 *
 * Context: any context.
 */
void mgre_nl_expire(struct mgre_sa *sa, u8 kind)
{
	struct mgre_dev *mdev = sa->peer->mdev;
	struct sk_buff *msg;

	if (!mgre_nl_listening(mdev))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	rcu_read_lock();
	if (mgre_nl_msg(msg, mdev, MGRE_OBJ_SA, sa, 0, 0, 0, MGRE_CMD_EXPIRE, kind)) {
		rcu_read_unlock();
		nlmsg_free(msg);
		return;
	}
	rcu_read_unlock();
	genlmsg_multicast_netns(&mgre_family, dev_net(mdev->dev), msg, 0,
				MGRE_NLGRP_EVENTS, GFP_ATOMIC);
}

static struct genl_family mgre_family __ro_after_init = {
	.name		= MGRE_GENL_NAME,
	.version	= MGRE_GENL_VERSION,
	.maxattr	= ARRAY_SIZE(mgre_nl_policy) - 1,
	.policy		= mgre_nl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= mgre_nl_ops,
	.n_small_ops	= ARRAY_SIZE(mgre_nl_ops),
	.mcgrps		= mgre_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(mgre_nl_mcgrps),
};

/**
 * mgre_nl_init() - Register the "mgre" generic netlink family.
 *
 * Return: 0 or a negative errno.
 */
int mgre_nl_init(void)
{
	return genl_register_family(&mgre_family);
}

/**
 * mgre_nl_exit() - Unregister the "mgre" generic netlink family.
 */
void mgre_nl_exit(void)
{
	genl_unregister_family(&mgre_family);
}
