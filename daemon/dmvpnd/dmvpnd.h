/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd, the process around the engines: it owns the event loop, the
 * sockets, the kernel interfaces and the configuration, and glues the IKE
 * engine's hooks to the carriers that hold the SAs:
 *   dmvpnd.c        start, reload, stop; the engine's hooks by carrier
 *   ike_sock.c      the IKE sockets (UDP 500, 4500 with the non-ESP marker)
 *   carrier_mgre.c  GRE protection: the mgre module (SAs, NAT-T socket, events)
 *   carrier_xfrm.c  crypto maps and VTIs: the kernel's XFRM
 *   tunnel_dev.c    the tunnel devices of the configuration: made, changed, removed
 *   nhrp_glue.c     NHRP: the engine's hooks to the kernel and to IKE, its interfaces
 *   ctl_server.c    the control socket dmvpnctl talks to (ctl_server.h)
 *   ctl_answer.c    its commands, each to the file that answers it (show.h):
 *   show_crypto.c   "show crypto isakmp sa|ipsec sa|session"
 *   show_engine.c   "show crypto sockets", "show crypto engine connections active"
 *   show_sa.c       what those share: the kernel's counters, sessions, IOS's names
 *   show_nhrp.c     "show ip nhrp ...", "show dmvpn", "clear ip nhrp"
 *   show_debug.c    "debug ...", "undebug all", "show debugging"
 */
#ifndef DMVPN_DMVPND_DMVPND_H
#define DMVPN_DMVPND_DMVPND_H

#include <stdio.h>
#include "conf/conf.h"
#include "ike/ike.h"
#include "kernel/mgre.h"
#include "kernel/neigh.h"
#include "kernel/rtlink.h"
#include "kernel/xfrm.h"
#include "lib/ctl_proto.h"
#include "lib/loop.h"
#include "nhrp/nhrp.h"

#define DMVPND_SOCK "/run/dmvpnd.sock"
#define DMVPND_STATE_DIR "/var/lib/dmvpn"

struct daemon {
	const char *conf_path;
	const char *sock_path;
	const char *state_dir;	/* what survives a restart: NHRP request ids */
	int ready_fd;		/* without -f: tells the starter we run (detach.c); -1 */
	struct conf conf;
	struct loop loop;
	struct ike ike;
	int64_t ike_due;	/* when its timers run next (dmvpnd.c ike_timers) */
	struct kern kern;	/* the mgre module */
	bool kern_up;
	struct xfrm xfrm;	/* the kernel's IPsec, for crypto maps and VTIs */
	bool xfrm_up;
	struct rtlink rt;	/* links: the mGRE devices' tunnel sources, changes */
	bool rt_up;
	struct tun_own *tuns;	/* the tunnel devices made or adopted (tunnel_dev.c) */
	int ntuns;
	struct mss_rule *mss;	/* the ip tcp adjust-mss rules applied */
	int nmss;
	int udp;		/* port 500: first messages (MM1, AM1), or all */
	int udp_rest;		/* port 500: the rest, read first (-1: udp takes all) */
	int udp6;		/* port 500 over IPv6 (-1 without IPv6) */
	int udp6_rest;
	int natt;		/* port 4500: IKE after the float; ESP is the module's */
	int natt_ifindex;	/* the mgre device holding the 4500 socket */
	bool xfrm_owns_natt;	/* no mgre device: XFRM decapsulates on it */
	/* NHRP (nhrp_glue.c) */
	struct nhrp nhrp;
	bool nhrp_on;
	struct neigh neigh;	/* rtnetlink: neighbour entries, shortcut routes, misses */
	bool neigh_up;
	struct nhrp_port *nports;	/* the mGRE devices' NHRP packet sockets */
	struct peer_use *settling;	/* uses whose new SAs NHRP hears of soon */
	struct peer_use *uses;	/* by (ifindex, NBMA): outbound SAs, last traffic */
	bool reqid_warned;
	bool nhrp_hook;		/* in an engine's hook: its SA events are not handed back */
	struct ctl_server *ctl;	/* the control socket (ctl_server.h) */
	int port;		/* 500, or another for tests */
	/* SAs an earlier dmvpnd left in the module: replaced, then removed */
	int nstale, stale_cap;
	struct stale_sa {
		int ifindex;
		uint32_t nbma;
		uint8_t dir;
		uint32_t spi;
	} *stale;
	/* the crypto map and VTI policies installed in XFRM (carrier_xfrm.c) */
	int ntraps, traps_cap;
	struct trap {
		struct p2_prot prot;
		struct ike_path path;
		uint32_t if_id;		/* a VTI's XFRM interface */
	} *traps;		/* as many as the configuration has: grown, freed at exit */
};

int daemon_run(struct daemon *d);

/* detach.c: into the background once running; -errno, else the fd detach_done() takes */
int detach_start(void);
void detach_done(int fd);

/* ike_sock.c: the IKE sockets */
int ike_sock_open(struct daemon *d);
void ike_sock_close(struct daemon *d);
int ike_sock_send(struct ike *ike, const struct ike_path *path, const uint8_t *p, size_t n);
/* The NAT-T socket, bound to 4500, for the module or for XFRM. */
void ike_sock_natt_open(struct daemon *d);
/* The IKE path to a peer: the routing table's source towards it, our IKE port. */
int ike_sock_path(struct daemon *d, int family, const void *peer, struct ike_path *path);

/* carrier_mgre.c: GRE protection through the mgre module */
void mgre_refresh(struct daemon *d);
void mgre_natt_attach(struct daemon *d);
bool mgre_wanted(const struct conf *c);
void mgre_event_fd(void *arg, int fd);
void mgre_link_event(void *arg, int fd);
void mgre_stale_adopt(struct daemon *d);
int mgre_spi_alloc(struct daemon *d, uint32_t *spi);
int mgre_sa_add(struct daemon *d, const struct child *c, bool inbound, const uint8_t *enc,
		size_t enc_len, const uint8_t *auth, size_t auth_len);
int mgre_sa_del(struct daemon *d, const struct child *c, bool inbound);

/* carrier_xfrm.c: crypto maps and VTIs, tunnel mode, through XFRM */
void tunnel_traps(struct daemon *d);
void tunnel_vti_start(struct daemon *d);
void tunnel_event(const struct xfrm_event *e, void *arg);
int tunnel_spi_alloc(struct daemon *d, const struct ike_path *path, const struct p2_prot *p,
		     uint32_t *spi);
int tunnel_sa_add(struct daemon *d, const struct child *c, bool inbound, const uint8_t *enc,
		  size_t enc_len, const uint8_t *auth, size_t auth_len);
int tunnel_sa_del(struct daemon *d, const struct child *c, bool inbound);

/* tunnel_dev.c: the devices of "interface TunnelN" blocks (conf_iface_owned()) */
void tunnel_dev_sync(struct daemon *d);
void tunnel_dev_fini(struct daemon *d);

/* nhrp_glue.c: NHRP */
int nhrp_glue_start(struct daemon *d);
void nhrp_glue_stop(struct daemon *d);
void nhrp_glue_refresh(struct daemon *d);
/* the kernel's events: a neighbour miss, a relayed packet, an outbound SA in or out */
void nhrp_glue_miss(struct daemon *d, int ifindex, int family, const void *dst);
void nhrp_glue_traffic(struct daemon *d, int ifindex, int family, const void *src,
		       const void *dst);
void nhrp_glue_sa(struct daemon *d, int ifindex, uint32_t nbma, bool up, bool initiator);
void nhrp_glue_sa_failed(struct daemon *d, int ifindex, uint32_t nbma);

/* show_nhrp.c: the NHRP commands (ctl_answer.c dispatches them) */
void show_nhrp_command(struct daemon *d, const struct ctl_req *r, FILE *f);

/* show_crypto.c: "show crypto session" */
void show_session(struct daemon *d, FILE *f, bool detail, bool json);
/* ctl_answer.c: the control socket (ctl_server.c) answering the commands (show.h) */
int ctl_server_open(struct daemon *d);
void ctl_server_close(struct daemon *d);
/* Answer one request as of d->ike.now and d->nhrp.now (tests call it directly). */
void ctl_answer(struct daemon *d, const struct ctl_req *r, FILE *f);

#endif /* DMVPN_DMVPND_DMVPND_H */
