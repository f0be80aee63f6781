// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/mgre.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/mgre.h>

/* Common nested types */
const struct nla_policy mgre_mcast_nl_policy[MGRE_MCAST_A_DYNAMIC + 1] = {
	[MGRE_MCAST_A_NBMA] = { .type = NLA_U32, },
	[MGRE_MCAST_A_DYNAMIC] = { .type = NLA_FLAG, },
};

const struct nla_policy mgre_peer_nl_policy[MGRE_PEER_A_PAD + 1] = {
	[MGRE_PEER_A_NBMA] = { .type = NLA_U32, },
	[MGRE_PEER_A_ENCAP] = NLA_POLICY_MAX(NLA_U8, 1),
	[MGRE_PEER_A_SPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[MGRE_PEER_A_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[MGRE_PEER_A_PMTU] = { .type = NLA_U32, },
	[MGRE_PEER_A_STATS] = NLA_POLICY_NESTED(mgre_stats_nl_policy),
	[MGRE_PEER_A_OUT_SPI] = { .type = NLA_U32, },
};

const struct nla_policy mgre_sa_nl_policy[MGRE_SA_A_MODE + 1] = {
	[MGRE_SA_A_NBMA] = { .type = NLA_U32, },
	[MGRE_SA_A_DIR] = NLA_POLICY_MAX(NLA_U8, 1),
	[MGRE_SA_A_SPI] = { .type = NLA_U32, },
	[MGRE_SA_A_ENC] = NLA_POLICY_MAX(NLA_U8, 4),
	[MGRE_SA_A_ENC_KEY] = { .type = NLA_BINARY, },
	[MGRE_SA_A_AUTH] = NLA_POLICY_MAX(NLA_U8, 5),
	[MGRE_SA_A_AUTH_KEY] = { .type = NLA_BINARY, },
	[MGRE_SA_A_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32, MGRE_REPLAY_WINDOW_MAX),
	[MGRE_SA_A_ESN] = { .type = NLA_FLAG, },
	[MGRE_SA_A_SOFT_BYTES] = { .type = NLA_U64, },
	[MGRE_SA_A_HARD_BYTES] = { .type = NLA_U64, },
	[MGRE_SA_A_SOFT_PACKETS] = { .type = NLA_U64, },
	[MGRE_SA_A_HARD_PACKETS] = { .type = NLA_U64, },
	[MGRE_SA_A_SOFT_SECONDS] = { .type = NLA_U64, },
	[MGRE_SA_A_HARD_SECONDS] = { .type = NLA_U64, },
	[MGRE_SA_A_SEQ] = { .type = NLA_U64, },
	[MGRE_SA_A_AGE] = { .type = NLA_U64, },
	[MGRE_SA_A_STATS] = NLA_POLICY_NESTED(mgre_stats_nl_policy),
	[MGRE_SA_A_EXPIRE] = NLA_POLICY_RANGE(NLA_U8, 1, 2),
	[MGRE_SA_A_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy mgre_stats_nl_policy[MGRE_STATS_A_PAD + 1] = {
	[MGRE_STATS_A_TX_PACKETS] = { .type = NLA_U64, },
	[MGRE_STATS_A_TX_BYTES] = { .type = NLA_U64, },
	[MGRE_STATS_A_RX_PACKETS] = { .type = NLA_U64, },
	[MGRE_STATS_A_RX_BYTES] = { .type = NLA_U64, },
	[MGRE_STATS_A_NO_SA] = { .type = NLA_U64, },
	[MGRE_STATS_A_INVALID_SA] = { .type = NLA_U64, },
	[MGRE_STATS_A_REPLAY] = { .type = NLA_U64, },
	[MGRE_STATS_A_AUTH_FAIL] = { .type = NLA_U64, },
	[MGRE_STATS_A_INVALID_LEN] = { .type = NLA_U64, },
	[MGRE_STATS_A_GRE_ERR] = { .type = NLA_U64, },
	[MGRE_STATS_A_TX_ERR] = { .type = NLA_U64, },
	[MGRE_STATS_A_RX_ERR] = { .type = NLA_U64, },
	[MGRE_STATS_A_EXPIRED] = { .type = NLA_U64, },
};

/* Global operation policy for mgre */
const struct nla_policy mgre_nl_policy[MGRE_A_ENCAP_FD + 1] = {
	[MGRE_A_IFINDEX] = { .type = NLA_U32, },
	[MGRE_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[MGRE_A_PEER] = NLA_POLICY_NESTED(mgre_peer_nl_policy),
	[MGRE_A_SA] = NLA_POLICY_NESTED(mgre_sa_nl_policy),
	[MGRE_A_MCAST] = NLA_POLICY_NESTED(mgre_mcast_nl_policy),
	[MGRE_A_ENCAP_FD] = { .type = NLA_U32, },
};

/* Ops table for mgre */
const struct genl_small_ops mgre_nl_ops[13] = {
	{
		.cmd	= MGRE_CMD_PEER_SET,
		.doit	= mgre_nl_peer_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_PEER_DEL,
		.doit	= mgre_nl_peer_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_PEER_GET,
		.doit	= mgre_nl_peer_get_doit,
		.dumpit	= mgre_nl_peer_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_SA_NEW,
		.doit	= mgre_nl_sa_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_SA_DEL,
		.doit	= mgre_nl_sa_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_SA_GET,
		.doit	= mgre_nl_sa_get_doit,
		.dumpit	= mgre_nl_sa_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_MCAST_ADD,
		.doit	= mgre_nl_mcast_add_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_MCAST_DEL,
		.doit	= mgre_nl_mcast_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_MCAST_GET,
		.dumpit	= mgre_nl_mcast_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_ENCAP_SET,
		.doit	= mgre_nl_encap_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_ENCAP_DEL,
		.doit	= mgre_nl_encap_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_SPI_ALLOC,
		.doit	= mgre_nl_spi_alloc_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MGRE_CMD_FLUSH,
		.doit	= mgre_nl_flush_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group mgre_nl_mcgrps[] = {
	[MGRE_NLGRP_EVENTS] = { "events", },
};
