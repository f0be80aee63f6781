/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd and the kernel's own IPsec (XFRM), for what the mgre module does
 * not carry: crypto map entries (policy-based, tunnel mode, subnet proxies)
 * and VTIs (route-based: an XFRM interface, any-to-any proxies).  NETLINK_XFRM
 * through libnl-3: SPI allocation, SAs, policies, and the kernel's ACQUIRE and
 * EXPIRE notifications.  Addresses are network order, 4 or 16 bytes by family.
 */
#ifndef DMVPN_KERNEL_XFRM_H
#define DMVPN_KERNEL_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ike/proposal.h"

struct nl_sock;

struct xfrm {
	struct nl_sock *req;	/* requests, acked */
	struct nl_sock *ev;	/* XFRMNLGRP_ACQUIRE and XFRMNLGRP_EXPIRE */
	char errmsg[256];	/* the kernel's extack message of the last failure */
};

/* One direction of an IPsec SA. */
struct xfrm_sa {
	int family;		/* of the outer addresses */
	const uint8_t *src, *dst;
	uint32_t spi;		/* host order */
	bool tunnel;		/* mode tunnel, else transport */
	uint32_t reqid;		/* ties it to its policies' templates */
	uint32_t if_id;		/* VTI: the XFRM interface's id; 0 = none */
	const struct p2_ts *sel_src, *sel_dst;	/* NULL: any of either family */
	uint8_t esp_id;		/* ESP_DES ... ESP_AES_GCM_16 (isakmp.h) */
	uint16_t auth;		/* AUTH_HMAC_* (0 with GCM) */
	const uint8_t *enc_key;	/* with GCM the 4-byte salt at the end */
	size_t enc_len;
	const uint8_t *auth_key;
	size_t auth_len;
	uint64_t soft_bytes, hard_bytes, soft_sec, hard_sec;	/* 0 = none */
	uint32_t replay_window;
	/* ESP-in-UDP (RFC 3948) from port sport to dport, host order; 0: plain ESP */
	uint16_t encap_sport, encap_dport;
};

/*
 * A policy: traffic sel_src -> sel_dst in direction dir (XFRM_POLICY_IN,
 * _OUT, _FWD) goes through ESP between the tunnel endpoints src and dst
 * (for _IN and _FWD, src is the peer), level required, with reqid.
 */
struct xfrm_pol {
	int family;		/* of the outer addresses */
	const uint8_t *src, *dst;
	const struct p2_ts *sel_src, *sel_dst;	/* NULL: any (VTI) */
	int sel_family;		/* with NULL selectors: AF_INET or AF_INET6 */
	uint8_t dir;
	bool tunnel;
	uint32_t reqid;
	uint32_t if_id;
	uint32_t priority;	/* lower wins */
};

/* What the kernel told us. */
struct xfrm_event {
	enum { XFRM_EV_ACQUIRE, XFRM_EV_EXPIRE } type;
	/* ACQUIRE: the policy's selector and template endpoints, its if_id */
	struct p2_ts sel_src, sel_dst;
	int family;
	uint8_t src[16], dst[16];
	uint32_t reqid, if_id;
	/* EXPIRE: which SA, and whether it is the hard limit */
	uint32_t spi;		/* host order; with dst and proto, the SA's identity */
	uint8_t proto;
	bool hard;
};

/* Open both sockets; -errno with x->errmsg saying why. */
int xfrm_open(struct xfrm *x);
void xfrm_close(struct xfrm *x);
int xfrm_event_fd(const struct xfrm *x);
/* Read what the events socket has; fn gets each notification. */
void xfrm_events(struct xfrm *x, void (*fn)(const struct xfrm_event *e, void *arg), void *arg);

/*
 * An SPI for an inbound SA from src to dst (XFRM_MSG_ALLOCSPI: the kernel
 * holds a larval state for it until xfrm_sa_add fills it in, or it times out).
 */
int xfrm_spi_alloc(struct xfrm *x, int family, const uint8_t *src, const uint8_t *dst,
		   uint32_t reqid, uint32_t *spi);
/* Install (or complete the larval state of) an SA.  Keys are wiped by the caller. */
int xfrm_sa_add(struct xfrm *x, const struct xfrm_sa *sa);
/* Remove an SA; -ENOENT if it is not there. */
int xfrm_sa_del(struct xfrm *x, int family, const uint8_t *dst, uint32_t spi);
/* An SA's use so far (XFRM_MSG_GETSA): current lifetime and statistics. */
struct xfrm_counters {
	uint64_t bytes, packets;
	uint64_t replay_failed, integrity_failed;
};
int xfrm_sa_stats(struct xfrm *x, int family, const uint8_t *dst, uint32_t spi,
		  struct xfrm_counters *st);
/* Add or replace a policy; remove one (-ENOENT if not there). */
int xfrm_pol_add(struct xfrm *x, const struct xfrm_pol *p);
int xfrm_pol_del(struct xfrm *x, const struct xfrm_pol *p);
/* The if_id of an XFRM interface (ip link add NAME type xfrm if_id N). */
int xfrm_if_id(const char *ifname, uint32_t *if_id);

#endif /* DMVPN_KERNEL_XFRM_H */
