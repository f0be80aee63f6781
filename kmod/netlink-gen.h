/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/mgre.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_MGRE_GEN_H
#define _LINUX_MGRE_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/mgre.h>

/* Common nested types */
extern const struct nla_policy mgre_mcast_nl_policy[MGRE_MCAST_A_DYNAMIC + 1];
extern const struct nla_policy mgre_peer_nl_policy[MGRE_PEER_A_PAD + 1];
extern const struct nla_policy mgre_sa_nl_policy[MGRE_SA_A_MODE + 1];
extern const struct nla_policy mgre_stats_nl_policy[MGRE_STATS_A_PAD + 1];

/* Global operation policy for mgre */
extern const struct nla_policy mgre_nl_policy[MGRE_A_ENCAP_FD + 1];

/* Ops table for mgre */
extern const struct genl_small_ops mgre_nl_ops[13];

int mgre_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgre_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgre_nl_mcast_add_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_mcast_del_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgre_nl_encap_set_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_encap_del_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_spi_alloc_doit(struct sk_buff *skb, struct genl_info *info);
int mgre_nl_flush_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	MGRE_NLGRP_EVENTS,
};

#endif /* _LINUX_MGRE_GEN_H */
