// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd: start, reload and stop, and the IKE engine's hooks, each sent to
 * the carrier that holds what the SA protects (carrier_mgre.c for GRE,
 * carrier_xfrm.c for crypto maps and VTIs).
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dmvpnd/dmvpnd.h"
#include "kernel/nl_extack.h"
#include "lib/log.h"
#include "lib/notify.h"

static int op_spi_alloc(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot,
			uint32_t *spi)
{
	struct daemon *d = ike->priv;

	if (prot->kind != P2_MGRE)
		return tunnel_spi_alloc(d, path, prot, spi);
	return mgre_spi_alloc(d, spi);
}

static int op_sa_add(struct ike *ike, const struct child *c, bool inbound,
		     const uint8_t *enc, size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	struct daemon *d = ike->priv;

	if (c->prot.kind != P2_MGRE)
		return tunnel_sa_add(d, c, inbound, enc, enc_len, auth, auth_len);
	return mgre_sa_add(d, c, inbound, enc, enc_len, auth, auth_len);
}

static int op_sa_del(struct ike *ike, const struct child *c, bool inbound)
{
	struct daemon *d = ike->priv;

	if (c->prot.kind != P2_MGRE)
		return tunnel_sa_del(d, c, inbound);
	return mgre_sa_del(d, c, inbound);
}

static void op_failed(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot)
{
	if (prot->kind == P2_MGRE && path->remote.ss_family == AF_INET)
		nhrp_glue_sa_failed(ike->priv, prot->ifindex,
				    ((const struct sockaddr_in *)&path->remote)->sin_addr.s_addr);
}

static const struct ike_ops daemon_ops = {
	.send = ike_sock_send,
	.spi_alloc = op_spi_alloc,
	.sa_add = op_sa_add,
	.sa_del = op_sa_del,
	.failed = op_failed,
};

/*
 * A step of the reload that took long is named in the log: the kernel
 * operations behind them (a device made or removed, an nftables table
 * replaced, XFRM policies) wait on its locks, and on a loaded host that is
 * where a reload's time goes.
 */
#define RELOAD_SLOW_MS 1000

static void reload_step(struct daemon *d, const char *what, void (*fn)(struct daemon *d),
			int64_t *t)
{
	int64_t now;

	fn(d);
	now = loop_clock_ms();
	if (now - *t >= RELOAD_SLOW_MS)
		log_warn("reload: %s took %lld ms", what, (long long)(now - *t));
	*t = now;
}

static int reload(struct daemon *d)
{
	struct conf *fresh = calloc(1, sizeof(*fresh));
	int64_t t0 = loop_clock_ms(), t;
	char err[512];

	if (!fresh)
		return -1;
	if (conf_load(d->conf_path, fresh, err, sizeof(err))) {
		log_err("%s (configuration not changed)", err);
		free(fresh);
		return -1;
	}
	for (int i = 0; i < fresh->nwarnings; i++)
		log_warn("%s", fresh->warnings[i]);
	conf_move(&d->conf, fresh);	/* the old one freed; fresh left empty */
	free(fresh);
	t = loop_clock_ms();
	reload_step(d, "the tunnel devices", tunnel_dev_sync, &t);
	reload_step(d, "the protected mGRE devices", mgre_refresh, &t);
	reload_step(d, "NHRP's interfaces", nhrp_glue_refresh, &t);
	reload_step(d, "the crypto map and VTI policies", tunnel_traps, &t);
	reload_step(d, "the VTIs", tunnel_vti_start, &t);
	log_info("configuration reloaded from %s in %lld ms: established SAs kept", d->conf_path,
		 (long long)(t - t0));
	return 0;
}

static void on_signal(void *arg, int signo)
{
	struct daemon *d = arg;

	if (signo == SIGHUP) {
		notify_reloading();
		reload(d);
		notify_ready();		/* a file that failed to load left the old one running */
	} else {
		loop_stop(&d->loop);
	}
}

/*
 * The engine's timers: retransmissions, lifetimes, DPD, keepalives.  The
 * pass over every SA runs when the earliest of them is due, and once a
 * second at least, never on every wake-up: a hub with thousands of peers
 * pays for its timers once a second, not once per datagram.  What an input
 * starts has its first timer seconds away (retransmission 10 s, DPD,
 * keepalives, lifetimes), so it is never late by more than that second.
 */
#define IKE_TICK_MAX_MS 1000

static int64_t ike_timers(void *arg, int64_t now)
{
	struct daemon *d = arg;
	int64_t w;

	if (now < d->ike_due)
		return d->ike_due - now;
	d->ike.now = now;
	w = ike_tick(&d->ike);
	if (w < 0 || w > IKE_TICK_MAX_MS)
		w = IKE_TICK_MAX_MS;
	d->ike_due = now + w;
	return w;
}

static void xfrm_event_fd_cb(void *arg, int fd)
{
	struct daemon *d = arg;

	d->ike.now = d->loop.now;
	xfrm_events(&d->xfrm, tunnel_event, d);
}

static int kernel_open(struct daemon *d)
{
	int err;

	err = kern_open(&d->kern);
	d->kern_up = !err;
	if (err)
		log_warn("mgre: %s: no GRE protection (crypto maps and VTIs only)",
			 nl_errstr(d->kern.req.errmsg, err));
	err = xfrm_open(&d->xfrm);
	d->xfrm_up = !err;
	if (err)
		log_warn("xfrm: %s: no crypto maps or VTIs",
			 nl_errstr(d->xfrm.errmsg, err));
	if (!d->kern_up && !d->xfrm_up)
		return -1;
	if (d->kern_up && !loop_add_fd(&d->loop, kern_event_fd(&d->kern), mgre_event_fd, d))
		return -1;
	if (d->xfrm_up && !loop_add_fd(&d->loop, xfrm_event_fd(&d->xfrm), xfrm_event_fd_cb, d))
		return -1;
	err = rtlink_open(&d->rt);
	d->rt_up = !err;
	if (err)
		log_warn("rtnetlink: %s: mGRE tunnel sources unknown", strerror(-err));
	else if (!loop_add_fd(&d->loop, rtlink_event_fd(&d->rt), mgre_link_event, d))
		return -1;
	return 0;
}

static void log_started(struct daemon *d)
{
	char what[256] = "";
	size_t n = 0;

	for (int i = 0; i < d->ike.ngre && n < sizeof(what); i++) {
		const struct ike_gre *g = &d->ike.gre[i];
		char name[IF_NAMESIZE] = "?";

		if (g->ifindex)
			if_indextoname((unsigned int)g->ifindex, name);
		n += (size_t)snprintf(what + n, sizeof(what) - n, "%s%s (profile %s)",
				      i ? ", " : "", g->ifindex ? name : "not there yet", g->profile);
	}
	log_info("dmvpnd: ISAKMP on UDP port %d, %d isakmp policies, GRE protection: %s",
		 d->port, d->conf.npol, d->ike.ngre ? what : "none");
}

int daemon_run(struct daemon *d)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	int err;

	d->natt = d->udp = d->udp6 = d->udp_rest = d->udp6_rest = -1;	/* nothing open yet */
	if (loop_init(&d->loop))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (loop_signals(&d->loop, sigs, 3, on_signal, d) || kernel_open(d))
		return 1;
	ike_init(&d->ike, &d->conf, &daemon_ops, d);
	tunnel_dev_sync(d);
	mgre_refresh(d);
	if (ike_sock_open(d) || ctl_server_open(d))
		return 1;
	loop_add_tick(&d->loop, ike_timers, d);
	mgre_stale_adopt(d);
	d->ike.now = loop_clock_ms();
	d->loop.now = d->ike.now;
	if (nhrp_glue_start(d))
		return 1;
	tunnel_traps(d);
	tunnel_vti_start(d);
	log_started(d);
	err = notify_ready();
	if (err)
		log_warn("NOTIFY_SOCKET %s: %s", getenv("NOTIFY_SOCKET"), strerror(-err));
	detach_done(d->ready_fd);	/* without -f: the starter exits 0 now */
	d->ready_fd = -1;
	loop_run(&d->loop);
	notify_stopping();
	log_info("dmvpnd: stopping; the kernel keeps the IPsec SAs (traffic goes on)");
	nhrp_glue_stop(d);
	ike_fini(&d->ike);
	if (d->kern_up)
		kern_close(&d->kern);
	if (d->xfrm_up)
		xfrm_close(&d->xfrm);
	ike_sock_close(d);
	ctl_server_close(d);
	tunnel_dev_fini(d);
	if (d->rt_up)
		rtlink_close(&d->rt);
	free(d->stale);
	free(d->traps);
	loop_fini(&d->loop);
	return 0;
}
