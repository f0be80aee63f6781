/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mgre: multipoint GRE with inline ESP.  The contract between the kernel
 * module (kmod/) and userspace (dmvpnd, dmvpnctl, link_mgre.so).
 *
 * Two interfaces:
 *  - rtnetlink link kind "mgre" with the IFLA_MGRE_* attributes below in
 *    IFLA_INFO_DATA;
 *  - the generic netlink family MGRE_GENL_NAME for peers, SAs, multicast
 *    list entries and the UDP encapsulation socket, with notifications on
 *    the MGRE_GENL_MCGRP_EVENTS group.
 *
 * All integers are host byte order except IPv4 addresses, which are
 * network byte order (struct in_addr).  The family is described in
 * Documentation/netlink/specs/mgre.yaml.
 */
#ifndef _UAPI_LINUX_MGRE_H
#define _UAPI_LINUX_MGRE_H

#include <linux/types.h>

#define MGRE_LINK_KIND		"mgre"

/* IFLA_INFO_DATA of link kind "mgre" */
enum {
	IFLA_MGRE_UNSPEC,
	IFLA_MGRE_LOCAL,	/* be32: NBMA source address (required) */
	IFLA_MGRE_REMOTE,	/* be32: point-to-point NBMA peer; 0/absent = multipoint */
	IFLA_MGRE_KEY,		/* u32: GRE key; absent = no key */
	IFLA_MGRE_TTL,		/* u8: outer TTL, 0 = copy from inner (default 64 if not IP) */
	IFLA_MGRE_TOS,		/* u8: outer TOS, 1 = inherit from inner */
	IFLA_MGRE_LINK,		/* u32: underlay ifindex to bind to, 0 = any */
	IFLA_MGRE_PMTUDISC,	/* u8: set DF on the outer header (default 1) */
	__IFLA_MGRE_MAX,
};

#define IFLA_MGRE_MAX (__IFLA_MGRE_MAX - 1)

#define MGRE_GENL_NAME		"mgre"
#define MGRE_GENL_VERSION	1
#define MGRE_GENL_MCGRP_EVENTS	"events"

enum mgre_cmd {
	MGRE_CMD_UNSPEC,
	MGRE_CMD_PEER_SET,	/* create or update a peer */
	MGRE_CMD_PEER_DEL,	/* delete a peer and all its SAs */
	MGRE_CMD_PEER_GET,	/* get one peer, or dump all of a device */
	MGRE_CMD_SA_NEW,	/* install an SA (the peer is created if missing) */
	MGRE_CMD_SA_DEL,	/* delete an SA by direction and SPI */
	MGRE_CMD_SA_GET,	/* get one SA, or dump all of a device (never keys) */
	MGRE_CMD_MCAST_ADD,	/* add an NBMA address to the multicast list */
	MGRE_CMD_MCAST_DEL,
	MGRE_CMD_MCAST_GET,	/* dump the multicast list */
	MGRE_CMD_ENCAP_SET,	/* hand the ESP-in-UDP socket (fd) to the device */
	MGRE_CMD_ENCAP_DEL,
	MGRE_CMD_SPI_ALLOC,	/* reserve a free inbound SPI (reply carries it) */
	/* notifications, multicast on MGRE_GENL_MCGRP_EVENTS */
	MGRE_CMD_ACQUIRE,	/* traffic for a peer with no outbound SA */
	MGRE_CMD_EXPIRE,	/* SA reached a soft or hard limit */
	MGRE_CMD_TRAFFIC,	/* hub: packet forwarded peer to peer (NHRP shortcut hint) */
	MGRE_CMD_FLUSH,		/* delete every peer, SA and mcast entry of a device */
	__MGRE_CMD_MAX,
};

#define MGRE_CMD_MAX (__MGRE_CMD_MAX - 1)

/* top-level attributes */
enum mgre_attr {
	MGRE_A_UNSPEC,
	MGRE_A_IFINDEX,		/* u32: the mgre device */
	MGRE_A_IFNAME,		/* string: alternative to MGRE_A_IFINDEX */
	MGRE_A_PEER,		/* nest: MGRE_PEER_A_* */
	MGRE_A_SA,		/* nest: MGRE_SA_A_* */
	MGRE_A_MCAST,		/* nest: MGRE_MCAST_A_* */
	MGRE_A_ENCAP_FD,	/* u32: UDP socket fd bound to the NAT-T port */
	MGRE_A_SRC,		/* be32: ACQUIRE/TRAFFIC: overlay source */
	MGRE_A_DST,		/* be32: ACQUIRE/TRAFFIC: overlay destination */
	MGRE_A_PAD,
	MGRE_A_SRC6,		/* binary (16): ACQUIRE/TRAFFIC: IPv6 overlay source */
	MGRE_A_DST6,		/* binary (16): ACQUIRE/TRAFFIC: IPv6 overlay destination */
	__MGRE_A_MAX,
};

#define MGRE_A_MAX (__MGRE_A_MAX - 1)

enum mgre_encap {
	MGRE_ENCAP_ESP,		/* IP proto 50 */
	MGRE_ENCAP_ESPINUDP,	/* RFC 3948 UDP encapsulation */
};

enum mgre_peer_attr {
	MGRE_PEER_A_UNSPEC,
	MGRE_PEER_A_NBMA,	/* be32: the peer's NBMA (underlay) address, the key */
	MGRE_PEER_A_ENCAP,	/* u8: enum mgre_encap */
	MGRE_PEER_A_SPORT,	/* u16: ESP-in-UDP source port (default 4500) */
	MGRE_PEER_A_DPORT,	/* u16: ESP-in-UDP destination port (default 4500) */
	MGRE_PEER_A_PMTU,	/* u32 (read): path MTU learned from the underlay, 0 = none */
	MGRE_PEER_A_STATS,	/* nest (read): MGRE_STATS_A_* */
	MGRE_PEER_A_OUT_SPI,	/* u32 (read): SPI of the current outbound SA, 0 = none */
	MGRE_PEER_A_PAD,
	__MGRE_PEER_A_MAX,
};

#define MGRE_PEER_A_MAX (__MGRE_PEER_A_MAX - 1)

enum mgre_dir {
	MGRE_DIR_IN,
	MGRE_DIR_OUT,
};

enum mgre_enc_alg {
	MGRE_ENC_NULL,		/* RFC 2410, for tests */
	MGRE_ENC_DES_CBC,	/* esp-des, 8 byte key */
	MGRE_ENC_3DES_CBC,	/* esp-3des, 24 byte key */
	MGRE_ENC_AES_CBC,	/* esp-aes [128|192|256], 16/24/32 byte key */
	MGRE_ENC_AES_GCM,	/* esp-gcm (RFC 4106), key + 4 byte salt, ICV 16 */
	__MGRE_ENC_MAX,
};

#define MGRE_ENC_MAX (__MGRE_ENC_MAX - 1)

enum mgre_auth_alg {
	MGRE_AUTH_NONE,		/* only with AES-GCM */
	MGRE_AUTH_HMAC_MD5,	/* esp-md5-hmac, ICV 12 */
	MGRE_AUTH_HMAC_SHA1,	/* esp-sha-hmac, ICV 12 */
	MGRE_AUTH_HMAC_SHA256,	/* esp-sha256-hmac, ICV 16 */
	MGRE_AUTH_HMAC_SHA384,	/* esp-sha384-hmac, ICV 24 */
	MGRE_AUTH_HMAC_SHA512,	/* esp-sha512-hmac, ICV 32 */
	__MGRE_AUTH_MAX,
};

#define MGRE_AUTH_MAX (__MGRE_AUTH_MAX - 1)

/*
 * ESP mode (RFC 4303 3.1).  Transport: ESP directly around the GRE packet.
 * Tunnel: ESP around an inner IPv4 header between the same two NBMA
 * addresses, then GRE (what IOS negotiates for a transform set without
 * "mode transport").  An SA receives only its own mode's next header.
 */
enum mgre_sa_mode {
	MGRE_MODE_TRANSPORT,
	MGRE_MODE_TUNNEL,
	__MGRE_MODE_MAX,
};

#define MGRE_MODE_MAX (__MGRE_MODE_MAX - 1)

#define MGRE_REPLAY_WINDOW_DEFAULT	1024
#define MGRE_REPLAY_WINDOW_MAX		4096

enum mgre_sa_attr {
	MGRE_SA_A_UNSPEC,
	MGRE_SA_A_NBMA,		/* be32: peer NBMA address */
	MGRE_SA_A_DIR,		/* u8: enum mgre_dir */
	MGRE_SA_A_SPI,		/* u32 */
	MGRE_SA_A_ENC,		/* u8: enum mgre_enc_alg */
	MGRE_SA_A_ENC_KEY,	/* binary (write only; never dumped) */
	MGRE_SA_A_AUTH,		/* u8: enum mgre_auth_alg */
	MGRE_SA_A_AUTH_KEY,	/* binary (write only; never dumped) */
	MGRE_SA_A_REPLAY_WINDOW, /* u32: packets, 0 = no replay check */
	MGRE_SA_A_ESN,		/* flag: 64-bit extended sequence numbers */
	MGRE_SA_A_SOFT_BYTES,	/* u64: limits, 0 = none */
	MGRE_SA_A_HARD_BYTES,
	MGRE_SA_A_SOFT_PACKETS,
	MGRE_SA_A_HARD_PACKETS,
	MGRE_SA_A_SOFT_SECONDS,
	MGRE_SA_A_HARD_SECONDS,
	MGRE_SA_A_SEQ,		/* u64 (read): last sequence number sent / highest seen */
	MGRE_SA_A_AGE,		/* u64 (read): seconds since installation */
	MGRE_SA_A_STATS,	/* nest (read): MGRE_STATS_A_* */
	MGRE_SA_A_EXPIRE,	/* u8 (EXPIRE notification): 1 = soft, 2 = hard */
	MGRE_SA_A_PAD,
	MGRE_SA_A_MODE,		/* u8: enum mgre_sa_mode, transport if absent */
	__MGRE_SA_A_MAX,
};

#define MGRE_SA_A_MAX (__MGRE_SA_A_MAX - 1)

enum mgre_expire {
	MGRE_EXPIRE_SOFT = 1,
	MGRE_EXPIRE_HARD = 2,
};

enum mgre_mcast_attr {
	MGRE_MCAST_A_UNSPEC,
	MGRE_MCAST_A_NBMA,	/* be32 */
	MGRE_MCAST_A_DYNAMIC,	/* flag: learned (NHRP registration), not static */
	__MGRE_MCAST_A_MAX,
};

#define MGRE_MCAST_A_MAX (__MGRE_MCAST_A_MAX - 1)

/* Counters, u64 each; names follow Cisco "show crypto ipsec sa". */
enum mgre_stats_attr {
	MGRE_STATS_A_UNSPEC,
	MGRE_STATS_A_TX_PACKETS,	/* pkts encaps/encrypt/digest */
	MGRE_STATS_A_TX_BYTES,
	MGRE_STATS_A_RX_PACKETS,	/* pkts decaps/decrypt/verify */
	MGRE_STATS_A_RX_BYTES,
	MGRE_STATS_A_NO_SA,		/* send: no outbound SA */
	MGRE_STATS_A_INVALID_SA,	/* recv: unknown SPI from a known peer */
	MGRE_STATS_A_REPLAY,		/* recv: replay check failed */
	MGRE_STATS_A_AUTH_FAIL,		/* recv: ICV verification failed */
	MGRE_STATS_A_INVALID_LEN,	/* recv: truncated, bad length or padding */
	MGRE_STATS_A_GRE_ERR,		/* recv: bad GRE, or not the SA mode's next header */
	MGRE_STATS_A_TX_ERR,		/* send errors (route, crypto, memory) */
	MGRE_STATS_A_RX_ERR,		/* receive errors (crypto, memory) */
	MGRE_STATS_A_EXPIRED,		/* dropped: SA past a hard limit */
	MGRE_STATS_A_PAD,
	__MGRE_STATS_A_MAX,
};

#define MGRE_STATS_A_MAX (__MGRE_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_MGRE_H */
