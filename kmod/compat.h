/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences between the kernels we build against
 * (Debian 12's 6.1 and 6.12 with their stable backports).  Kbuild detects
 * each one from the headers and defines MGRE_*; keep one definition per
 * difference, named after the newer API.
 */
#ifndef _MGRE_COMPAT_H
#define _MGRE_COMPAT_H

#include <linux/crypto.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

#ifdef MGRE_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#ifdef MGRE_HAVE_NET_GSO
#include <net/gso.h>		/* skb_gso_segment() */
#endif

/* Completion callbacks get the request's data pointer (6.3). */
#ifdef MGRE_CRYPTO_DONE_DATA
#define MGRE_CRYPTO_REQ void
static inline void *mgre_crypto_data(void *data)
{
	return data;
}
#else
#define MGRE_CRYPTO_REQ struct crypto_async_request
static inline void *mgre_crypto_data(struct crypto_async_request *req)
{
	return req->data;
}
#endif

/* NETIF_F_LLTX became a private flag (6.12). */
static inline void mgre_set_lltx(struct net_device *dev)
{
#ifdef MGRE_HAVE_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* The core allocates dev->tstats when asked to (6.6). */
static inline int mgre_tstats_alloc(struct net_device *dev)
{
#ifdef MGRE_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
#else
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
#endif
	return 0;
}

static inline void mgre_tstats_free(struct net_device *dev)
{
#ifndef MGRE_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

/* A dump's parsed attributes moved into a struct genl_info (6.5). */
static inline struct nlattr **mgre_dump_attrs(struct netlink_callback *cb)
{
#ifdef MGRE_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _MGRE_COMPAT_H */
