/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd and the mgre module: SPI allocation, SA installation and removal
 * through the generic netlink family (uapi/linux/mgre.h), and the module's
 * notifications (ACQUIRE, EXPIRE, TRAFFIC), the
 * multicast list and the peers' counters NHRP uses.  The plumbing is dmvpnctl's (ctl/nl.c).
 */
#ifndef DMVPN_KERNEL_MGRE_H
#define DMVPN_KERNEL_MGRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ctl/ctl.h"
#include "kernel/mgre_nl.h"

struct kern {
	struct mgre_nl req;	/* requests and their acks */
	struct mgre_nl ev;	/* the events group */
	bool up;
};

struct kern_sa {
	int ifindex;
	uint32_t nbma;		/* network order */
	uint8_t dir;		/* MGRE_DIR_IN / OUT */
	uint32_t spi;		/* host order */
	uint8_t enc, auth;	/* MGRE_ENC_*, MGRE_AUTH_* */
	const uint8_t *enc_key;
	size_t enc_len;
	const uint8_t *auth_key;
	size_t auth_len;
	uint64_t soft_bytes, hard_bytes, soft_sec, hard_sec;
	uint32_t replay_window;
	uint8_t mode;		/* MGRE_MODE_TRANSPORT / TUNNEL */
};

/* Open both sockets; -errno with k->req.errmsg saying why. */
int kern_open(struct kern *k);
void kern_close(struct kern *k);
int kern_event_fd(const struct kern *k);
int kern_spi_alloc(struct kern *k, uint32_t *spi);
int kern_sa_add(struct kern *k, const struct kern_sa *sa);
int kern_sa_del(struct kern *k, int ifindex, uint32_t nbma, uint8_t dir, uint32_t spi);
/* Every SA the module holds on a device (ifindex 0: on all), decoded, to fn; 0 or -errno. */
int kern_sa_dump(struct kern *k, int ifindex, void (*fn)(const struct mgre_sa_info *sa, void *arg),
		 void *arg);
/* A peer's encapsulation: ESP, or ESP-in-UDP between the two ports. */
int kern_peer_set(struct kern *k, int ifindex, uint32_t nbma, bool udp, uint16_t sport,
		  uint16_t dport);
/* Hand the NAT-T socket (bound to 4500) to a device, or take it back. */
int kern_encap_set(struct kern *k, int ifindex, int fd);
int kern_encap_del(struct kern *k, int ifindex);
/* The multicast list: add (dynamic: learned from an NHRP registration) or remove nbma. */
int kern_mcast(struct kern *k, int ifindex, uint32_t nbma, bool add, bool dynamic);
/* One peer of a device, decoded (its counters tell when it was last used); 0 or -errno. */
int kern_peer_get(struct kern *k, int ifindex, uint32_t nbma, struct mgre_peer_info *p);
/* Read what the events socket has; fn gets each notification. */
void kern_events(struct kern *k, void (*fn)(const struct mgre_event_info *e, void *arg), void *arg);

#endif /* DMVPN_KERNEL_MGRE_H */
