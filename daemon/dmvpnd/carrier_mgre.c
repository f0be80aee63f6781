// SPDX-License-Identifier: GPL-2.0
/*
 * GRE protection through the mgre module: SPIs and SAs over its generic
 * netlink family, the peer's encapsulation (ESP or ESP-in-UDP), the NAT-T
 * socket handed to the device, the module's ACQUIRE and EXPIRE, and the
 * SAs an earlier dmvpnd left behind.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dmvpnd/dmvpnd.h"
#include "kernel/nl_extack.h"
#include "ike/isakmp.h"
#include "lib/addr.h"
#include "lib/log.h"

/* The mgre ESP algorithm numbers for a phase-2 transform; -1 if none. */
static int enc_alg(uint8_t esp_id)
{
	switch (esp_id) {
	case ESP_DES: return MGRE_ENC_DES_CBC;
	case ESP_3DES: return MGRE_ENC_3DES_CBC;
	case ESP_AES: return MGRE_ENC_AES_CBC;
	case ESP_AES_GCM_16: return MGRE_ENC_AES_GCM;
	case ESP_NULL: return MGRE_ENC_NULL;
	default: return -1;
	}
}

static int auth_alg(uint16_t auth)
{
	switch (auth) {
	case 0: return MGRE_AUTH_NONE;
	case AUTH_HMAC_MD5: return MGRE_AUTH_HMAC_MD5;
	case AUTH_HMAC_SHA: return MGRE_AUTH_HMAC_SHA1;
	case AUTH_HMAC_SHA2_256: return MGRE_AUTH_HMAC_SHA256;
	case AUTH_HMAC_SHA2_384: return MGRE_AUTH_HMAC_SHA384;
	case AUTH_HMAC_SHA2_512: return MGRE_AUTH_HMAC_SHA512;
	default: return -1;
	}
}

static void stale_drop(struct daemon *d, int ifindex, uint32_t nbma)
{
	for (int i = 0; i < d->nstale; i++) {
		if (d->stale[i].nbma != nbma || d->stale[i].ifindex != ifindex)
			continue;
		kern_sa_del(&d->kern, ifindex, nbma, d->stale[i].dir, d->stale[i].spi);
		log_info("IPSEC: removed SA 0x%08X left by an earlier dmvpnd", d->stale[i].spi);
		d->stale[i--] = d->stale[--d->nstale];
	}
}

int mgre_spi_alloc(struct daemon *d, uint32_t *spi)
{
	return d->kern_up ? kern_spi_alloc(&d->kern, spi) : -ENOSYS;
}

static uint32_t nbma_of(const struct child *c)
{
	return ((const struct sockaddr_in *)&c->path.remote)->sin_addr.s_addr;
}

int mgre_sa_add(struct daemon *d, const struct child *c, bool inbound, const uint8_t *enc,
		size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	int ifindex = c->prot.ifindex;
	struct child_limits l;
	struct kern_sa s = {
		.ifindex = ifindex,
		.nbma = nbma_of(c),
		.dir = inbound ? MGRE_DIR_IN : MGRE_DIR_OUT,
		.spi = inbound ? c->spi_in : c->spi_out,
		.enc = (uint8_t)enc_alg(c->a.esp_id),
		.auth = (uint8_t)auth_alg(c->a.auth),
		/* the mode Quick Mode negotiated (ESP-in-UDP is the peer's, below) */
		.mode = p2_tunnel_mode(&c->a) ? MGRE_MODE_TUNNEL : MGRE_MODE_TRANSPORT,
		.enc_key = enc, .enc_len = enc_len, .auth_key = auth, .auth_len = auth_len,
	};
	int err;

	child_limits(&d->ike, c, &l);
	s.hard_sec = l.hard_sec;
	s.soft_sec = l.soft_sec;
	s.hard_bytes = l.hard_bytes;
	s.soft_bytes = l.soft_bytes;
	s.replay_window = l.replay_window;

	if (!d->kern_up || c->path.remote.ss_family != AF_INET)
		return -ENOSYS;
	if (enc_alg(c->a.esp_id) < 0 || auth_alg(c->a.auth) < 0)
		return -EINVAL;
	/* the peer's encapsulation follows the IKE path: 4500 means ESP-in-UDP */
	err = kern_peer_set(&d->kern, ifindex, s.nbma, ike_path_natt(&c->path),
			    addr_port(&c->path.local), addr_port(&c->path.remote));
	if (err) {
		log_err("IPSEC: the module refused the peer's encapsulation: %s",
			nl_errstr(d->kern.req.errmsg, err));
		return err;
	}
	if (ike_path_natt(&c->path) && ifindex != d->natt_ifindex)
		log_warn("IPSEC: ESP-in-UDP on a device without the NAT-T socket");
	err = kern_sa_add(&d->kern, &s);
	if (err) {
		log_err("IPSEC: the module refused SA 0x%08X: %s", s.spi,
			nl_errstr(d->kern.req.errmsg, err));
		return err;
	}
	/* the new outbound SA has taken over: an earlier daemon's pair can go */
	if (!inbound) {
		stale_drop(d, ifindex, s.nbma);
		nhrp_glue_sa(d, ifindex, s.nbma, true, c->initiator);
	}
	return 0;
}

int mgre_sa_del(struct daemon *d, const struct child *c, bool inbound)
{
	int err;

	if (!d->kern_up)
		return 0;
	err = kern_sa_del(&d->kern, c->prot.ifindex, nbma_of(c),
			  inbound ? MGRE_DIR_IN : MGRE_DIR_OUT, inbound ? c->spi_in : c->spi_out);
	if (!inbound && (!err || err == -ENOENT))
		nhrp_glue_sa(d, c->prot.ifindex, nbma_of(c), false, false);
	return err == -ENOENT ? 0 : err;
}

/*
 * The protected mGRE devices: every "interface X" with GRE and "tunnel
 * protection ipsec profile", by its Linux ifindex and tunnel source.  Done
 * at start, on reload and when links change (rtnetlink), never per packet.
 */
void mgre_refresh(struct daemon *d)
{
	struct ike_gre *g = calloc((size_t)d->conf.nifaces + 1, sizeof(*g));
	int n = 0;

	if (!g) {
		log_err("mgre: out of memory refreshing the protected devices");
		return;
	}
	for (int i = 0; i < d->conf.nifaces; i++) {
		const struct conf_iface *f = &d->conf.ifaces[i];
		const char *dev = conf_ifname(&d->conf, f->name);
		uint32_t local;

		if (!f->profile[0] || f->mode != CONF_TUN_GRE)
			continue;
		g[n].ifindex = dev ? (int)if_nametoindex(dev) : 0;
		snprintf(g[n].profile, sizeof(g[n].profile), "%s", f->profile);
		if (g[n].ifindex && d->rt_up && !rtlink_mgre_local(&d->rt, g[n].ifindex, &local))
			addr_set(&g[n].local, AF_INET, &local, 0);
		n++;
	}
	if (ike_set_gre(&d->ike, g, n))
		log_err("mgre: out of memory refreshing the protected devices");
	free(g);
	if (d->natt_ifindex && !ike_gre_dev(&d->ike, d->natt_ifindex))
		d->natt_ifindex = 0;	/* that device is gone, and the socket with it */
	mgre_natt_attach(d);
}

/* The first protected device there is takes the NAT-T socket: it serves them all. */
void mgre_natt_attach(struct daemon *d)
{
	int err = -ENODEV, ifindex = 0;

	if (d->natt < 0 || d->natt_ifindex || !d->kern_up || d->xfrm_owns_natt)
		return;
	for (int i = 0; i < d->ike.ngre && !ifindex; i++)
		ifindex = d->ike.gre[i].ifindex;
	if (!ifindex)
		return;
	err = kern_encap_set(&d->kern, ifindex, d->natt);
	if (err)
		log_warn("ISAKMP: the module did not take the NAT-T socket: %s",
			 nl_errstr(d->kern.req.errmsg, err));
	else
		d->natt_ifindex = ifindex;
}

/* Links or addresses came, went or changed: the devices made again where needed, looked up. */
void mgre_link_event(void *arg, int fd)
{
	struct daemon *d = arg;

	if (rtlink_events(&d->rt)) {
		tunnel_dev_sync(d);
		mgre_refresh(d);
		nhrp_glue_refresh(d);
	}
}

/* Whether the configuration has an mgre device to protect (it takes the 4500 socket). */
bool mgre_wanted(const struct conf *c)
{
	for (int i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].profile[0] && c->ifaces[i].mode == CONF_TUN_GRE)
			return true;
	return false;
}

/* The module's notifications: traffic to a peer without an SA, lifetimes. */
static void on_event(const struct mgre_event_info *e, void *arg)
{
	struct daemon *d = arg;

	if (e->cmd == MGRE_CMD_ACQUIRE && !e->nbma && e->family == AF_INET6) {
		/* an overlay address without an NBMA mapping: NHRP resolves it */
		nhrp_glue_miss(d, e->ifindex, AF_INET6, e->dst6);
	} else if (e->cmd == MGRE_CMD_ACQUIRE && !e->nbma && e->dst) {
		nhrp_glue_miss(d, e->ifindex, AF_INET, &e->dst);
	} else if (e->cmd == MGRE_CMD_TRAFFIC) {
		if (e->family == AF_INET6)
			nhrp_glue_traffic(d, e->ifindex, AF_INET6, e->src6, e->dst6);
		else
			nhrp_glue_traffic(d, e->ifindex, AF_INET, &e->src, &e->dst);
	} else if (e->cmd == MGRE_CMD_ACQUIRE && e->nbma) {
		const struct ike_gre *g = ike_gre_dev(&d->ike, e->ifindex);
		struct ike_path path;
		struct p2_prot prot;

		if (!g)
			return;		/* not a device we protect */
		if (ike_sock_path(d, AF_INET, &e->nbma, &path)) {
			log_warn("IPSEC: no route to peer %s",
				 inet_ntoa((struct in_addr){ e->nbma }));
			return;
		}
		ike_prot_gre(g, &path, &prot);
		ike_acquire(&d->ike, &path, &prot);
	} else if (e->cmd == MGRE_CMD_EXPIRE) {
		/* the module's SA: outbound by the peer's NBMA address and SPI; inbound by
		 * the SPI alone, unique in the namespace (struct ike_said) */
		struct sockaddr_storage nbma;

		addr_set(&nbma, AF_INET, &e->sa.nbma, 0);
		ike_expire(&d->ike, IKE_CARRIER_MGRE, e->sa.dir == MGRE_DIR_IN ? NULL : &nbma,
			   e->sa.spi, IPPROTO_ESP, e->sa.expire == MGRE_EXPIRE_HARD);
	}
}

void mgre_event_fd(void *arg, int fd)
{
	struct daemon *d = arg;

	d->ike.now = d->loop.now;
	kern_events(&d->kern, on_event, d);
}

static void stale_cb(const struct mgre_sa_info *sa, void *arg)
{
	struct daemon *d = arg;
	struct stale_sa *n;

	if (!sa->spi)
		return;
	if (d->nstale == d->stale_cap) {
		int cap = d->stale_cap ? 2 * d->stale_cap : 16;

		n = realloc(d->stale, (size_t)cap * sizeof(*n));
		if (!n)
			return;		/* that SA stays until its lifetime ends */
		d->stale = n;
		d->stale_cap = cap;
	}
	d->stale[d->nstale++] = (struct stale_sa){ sa->ifindex, sa->nbma, sa->dir, sa->spi };
}

/*
 * SAs in the module that no negotiation of ours made: an earlier dmvpnd's.
 * Traffic keeps flowing on them; each of those peers gets a fresh exchange
 * (with INITIAL-CONTACT, so it drops its old SAs too), and ours go once the
 * new outbound SA is in.
 */
void mgre_stale_adopt(struct daemon *d)
{
	int first = 0;

	if (!d->kern_up)
		return;
	for (int k = 0; k < d->ike.ngre; k++) {
		const struct ike_gre *g = &d->ike.gre[k];

		if (!g->ifindex || kern_sa_dump(&d->kern, g->ifindex, stale_cb, d))
			continue;
		for (int i = first; i < d->nstale; i++) {
			struct ike_path path;
			struct p2_prot prot;
			bool seen = false;

			for (int j = first; j < i; j++)
				seen |= d->stale[j].nbma == d->stale[i].nbma;
			if (seen || ike_sock_path(d, AF_INET, &d->stale[i].nbma, &path))
				continue;
			log_info("IPSEC: SAs with %s from an earlier dmvpnd: negotiating new ones",
				 inet_ntoa((struct in_addr){ d->stale[i].nbma }));
			d->ike.now = loop_clock_ms();
			ike_prot_gre(g, &path, &prot);
			ike_acquire(&d->ike, &path, &prot);
		}
		first = d->nstale;
	}
}
