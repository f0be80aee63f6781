/* SPDX-License-Identifier: GPL-2.0 */
/* dmvpnd: the process around the engine (sockets, kernel, event loop). */
#ifndef DMVPN_DMVPND_DMVPND_H
#define DMVPN_DMVPND_DMVPND_H

#include "conf/conf.h"
#include "ike/ike.h"
#include "kernel/mgre.h"
#include "kernel/xfrm.h"

#define DMVPND_SOCK "/run/dmvpnd.sock"

struct daemon {
	const char *conf_path;
	const char *sock_path;
	struct conf conf;
	struct ike ike;
	struct kern kern;	/* the mgre module */
	bool kern_up;
	struct xfrm xfrm;	/* the kernel's IPsec, for crypto maps and VTIs */
	bool xfrm_up;
	int ep;			/* epoll */
	int tfd;		/* timerfd */
	int sfd;		/* signalfd */
	int udp;		/* port 500 */
	int udp6;		/* port 500 over IPv6 (-1 without IPv6) */
	int natt;		/* port 4500: IKE after the float; ESP is the module's */
	int natt_ifindex;	/* the device holding the 4500 socket */
	int ctl;		/* unix control socket */
	int port;		/* 500, or another for tests */
	/* SAs an earlier dmvpnd left in the module: replaced, then removed */
	int nstale;
	struct stale_sa {
		uint32_t nbma;
		uint8_t dir;
		uint32_t spi;
	} stale[64];
	/* the crypto map and VTI policies installed in XFRM (policy.c) */
	int ntraps;
	struct trap {
		struct p2_prot prot;
		struct ike_path path;
		uint32_t if_id;		/* a VTI's XFRM interface */
	} traps[4 * CONF_MAX];
	bool stop;
};

int daemon_run(struct daemon *d);
/* policy.c: crypto maps and VTIs through XFRM */
void policy_traps(struct daemon *d);
void policy_vti_start(struct daemon *d);
void policy_event(const struct xfrm_event *e, void *arg);
int policy_spi_alloc(struct daemon *d, const struct ike_path *path, const struct p2_prot *p,
		     uint32_t *spi);
int policy_sa_add(struct daemon *d, const struct child *c, bool inbound, const uint8_t *enc,
		  size_t enc_len, const uint8_t *auth, size_t auth_len);
int policy_sa_del(struct daemon *d, const struct child *c, bool inbound);
int policy_local_for(const struct sockaddr_storage *remote, struct sockaddr_storage *local);
int policy_path(struct daemon *d, int family, const void *peer, struct ike_path *path);

/* Answer one control command into f (show.c). */
void show_command(struct daemon *d, const char *cmd, FILE *f);

#endif /* DMVPN_DMVPND_DMVPND_H */
