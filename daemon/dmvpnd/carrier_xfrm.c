// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto maps and VTIs: what the kernel's own IPsec (XFRM) carries for
 * dmvpnd.  The mgre module protects GRE between NBMA addresses; a crypto
 * map entry protects the traffic its access list permits, and a VTI
 * ("tunnel mode ipsec ipv4|ipv6", an XFRM interface) everything routed into
 * it, both in tunnel mode.
 *
 * Each such protection is a set of policies: out (local -> remote) and in,
 * fwd (remote -> local), level required, whose template names the peer and
 * a reqid.  They are installed when the configuration is loaded ("traps":
 * traffic without an SA makes the kernel send ACQUIRE, which starts the
 * negotiation, like IOS's sa_request) and when a responder accepts a
 * narrower proxy than its access-list line.  The reqid is a hash of what is
 * protected, so a reload or a restarted daemon finds the same numbers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/xfrm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dmvpnd/dmvpnd.h"
#include "kernel/nl_extack.h"
#include "lib/log.h"

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static uint32_t ts_hash(uint32_t h, const struct p2_ts *ts)
{
	uint8_t head[5] = { ts->family, ts->plen, ts->proto, ts->port >> 8, ts->port & 0xff };

	return fnv(fnv(h, head, sizeof(head)), ts->addr, sizeof(ts->addr));
}

/* Stable across reloads and restarts; never 0 (the kernel's "any"). */
static uint32_t reqid_of(const struct p2_prot *p)
{
	uint32_t h = 2166136261u;
	uint8_t kind = (uint8_t)p->kind;

	h = fnv(h, &kind, 1);
	if (p->kind == P2_VTI)
		h = fnv(h, p->iface, strnlen(p->iface, sizeof(p->iface)));
	h = ts_hash(ts_hash(h, &p->local), &p->remote);
	return (h & 0x3fffffff) | 0x40000000;
}

/* More specific selectors win: lower priority numbers come first. */
static uint32_t priority_of(const struct p2_prot *p)
{
	return 0x10000 - p->local.plen - p->remote.plen;
}

/* A VTI's if_id: the one its trap found, or asked of the kernel. */
static uint32_t if_id_of(struct daemon *d, const struct p2_prot *p)
{
	uint32_t id = 0;

	if (p->kind != P2_VTI)
		return 0;
	for (int i = 0; i < d->ntraps; i++)
		if (d->traps[i].prot.kind == P2_VTI && !strcmp(d->traps[i].prot.iface, p->iface))
			return d->traps[i].if_id;
	if (xfrm_if_id(p->iface, &id))
		log_warn("IPSEC: %s is not an XFRM interface (ip link add %s type xfrm "
			 "if_id N)", p->iface, p->iface);
	return id;
}

/* The three policies of a protection between local and peer; add or delete. */
static int policies(struct daemon *d, const struct p2_prot *p, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *peer, bool add)
{
	static const uint8_t dirs[3] = { XFRM_POLICY_OUT, XFRM_POLICY_IN, XFRM_POLICY_FWD };
	bool any = p->kind == P2_VTI;
	uint32_t if_id = if_id_of(d, p);
	int err = 0;

	if (p->kind == P2_VTI && !if_id)
		return -ENODEV;
	for (int i = 0; i < 3; i++) {
		bool out = dirs[i] == XFRM_POLICY_OUT;
		struct xfrm_pol x = {
			.family = local->ss_family,
			.src = addr_bytes(out ? local : peer),
			.dst = addr_bytes(out ? peer : local),
			.sel_src = any ? NULL : out ? &p->local : &p->remote,
			.sel_dst = any ? NULL : out ? &p->remote : &p->local,
			.sel_family = p->local.family,
			.dir = dirs[i],
			.tunnel = true,
			.reqid = reqid_of(p),
			.if_id = if_id,
			.priority = priority_of(p),
		};
		int e = add ? xfrm_pol_add(&d->xfrm, &x) : xfrm_pol_del(&d->xfrm, &x);

		if (e && !(e == -ENOENT && !add))
			err = e;
	}
	if (err)
		log_err("IPSEC: %s the XFRM policies for %s failed: %s", add ? "installing" :
			"removing", p->profile, nl_errstr(d->xfrm.errmsg, err));
	return err;
}

/* The IKE path to a configured peer, or a warning naming what goes unprotected. */
static int trap_path(struct daemon *d, int family, const void *peer, const char *what,
		     struct ike_path *path)
{
	char a[INET6_ADDRSTRLEN];

	if (!ike_sock_path(d, family, peer, path))
		return 0;
	log_warn("IPSEC: no route to %s: %s not installed (SIGHUP retries)",
		 inet_ntop(family, peer, a, sizeof(a)) ? a : "?", what);
	return -1;
}

/* Walk what the configuration protects through XFRM: fn gets each trap. */
static void each_trap(struct daemon *d, void (*fn)(struct daemon *d, const struct p2_prot *p,
						   const struct ike_path *path))
{
	const struct conf *c = &d->conf;

	for (int i = 0; i < c->nifaces; i++) {
		const struct conf_iface *f = &c->ifaces[i];
		struct p2_prot p = { .kind = P2_VTI };
		struct ike_path path;
		int fam = f->mode == CONF_TUN_IPSEC6 ? AF_INET6 : AF_INET;
		const char *dev = conf_ifname(c, f->name);

		if ((f->mode != CONF_TUN_IPSEC4 && f->mode != CONF_TUN_IPSEC6) || !f->dst_family ||
		    !dev || trap_path(d, f->dst_family, f->dst, dev, &path))
			continue;
		snprintf(p.iface, sizeof(p.iface), "%s", dev);
		snprintf(p.profile, sizeof(p.profile), "%s", f->profile);
		p.local.family = p.remote.family = (uint8_t)fam;
		fn(d, &p, &path);
	}
	for (int i = 0; i < c->nmaps; i++) {
		const struct conf_map *m = &c->maps[i];
		const struct conf_acl *acl = conf_acl_get(c, m->acl);
		struct ike_path path;
		bool applied = false;

		for (int j = 0; j < c->nifaces; j++)
			applied |= !strcmp(c->ifaces[j].map, m->name);
		if (!applied || !acl || trap_path(d, m->family, m->peer, m->p.name, &path))
			continue;
		for (int j = 0; j < acl->n; j++) {
			struct p2_prot p = { .kind = P2_MAP };

			snprintf(p.profile, sizeof(p.profile), "%s", m->name);
			p.seq = m->seq;
			p.local = acl->l[j].src;
			p.remote = acl->l[j].dst;
			fn(d, &p, &path);
		}
	}
}

static void trap_add(struct daemon *d, const struct p2_prot *p, const struct ike_path *path)
{
	uint32_t if_id = 0;

	if (d->ntraps == d->traps_cap) {
		int cap = d->traps_cap ? 2 * d->traps_cap : 16;
		struct trap *t = realloc(d->traps, (size_t)cap * sizeof(*t));

		if (!t) {
			log_err("IPSEC: out of memory: %s not installed",
				p->kind == P2_VTI ? p->iface : p->profile);
			return;
		}
		d->traps = t;
		d->traps_cap = cap;
	}
	if (p->kind == P2_VTI && xfrm_if_id(p->iface, &if_id)) {
		log_warn("IPSEC: %s is not an XFRM interface (ip link add %s type xfrm dev DEV "
			 "if_id N): not protected", p->iface, p->iface);
		return;
	}
	d->traps[d->ntraps].if_id = if_id;
	if (policies(d, p, &path->local, &path->remote, true))
		return;
	d->traps[d->ntraps].prot = *p;
	d->traps[d->ntraps].path = *path;
	d->ntraps++;
}

static bool is_trap(struct daemon *d, const struct p2_prot *p)
{
	for (int i = 0; i < d->ntraps; i++)
		if (ike_prot_same(&d->traps[i].prot, p))
			return true;
	return false;
}

/*
 * After a load or reload: the configuration's traps replace the earlier
 * ones.  The new set goes in first (an unchanged policy is replaced by
 * itself), then what is gone is removed: no moment without a policy, when
 * traffic would leave in clear.
 */
void tunnel_traps(struct daemon *d)
{
	struct trap *old = d->traps;
	int nold = d->ntraps;

	if (!d->xfrm_up)
		return;
	d->traps = NULL;
	d->ntraps = d->traps_cap = 0;
	each_trap(d, trap_add);
	for (int i = 0; i < nold; i++) {
		bool kept = false;

		for (int j = 0; j < d->ntraps; j++)
			kept |= ike_prot_same(&old[i].prot, &d->traps[j].prot) &&
				addr_same(&old[i].path.remote, &d->traps[j].path.remote);
		if (!kept)
			policies(d, &old[i].prot, &old[i].path.local, &old[i].path.remote, false);
	}
	free(old);
	if (d->ntraps)
		log_info("IPSEC: %d crypto map / VTI protections in XFRM", d->ntraps);
}

/* A pair protects p and is not being replaced. */
static bool has_child(struct daemon *d, const struct p2_prot *p)
{
	for (const struct child *c = d->ike.children; c; c = c->next)
		if (!c->rekeyed && ike_prot_same(&c->prot, p))
			return true;
	return false;
}

static void vti_start(struct daemon *d, const struct p2_prot *p, const struct ike_path *path)
{
	if (p->kind == P2_VTI && !has_child(d, p))
		ike_acquire(&d->ike, path, p);
}

/* A VTI comes up negotiating, as IOS brings its line protocol up. */
void tunnel_vti_start(struct daemon *d)
{
	for (int i = 0; i < d->ntraps; i++)
		vti_start(d, &d->traps[i].prot, &d->traps[i].path);
}

int tunnel_spi_alloc(struct daemon *d, const struct ike_path *path, const struct p2_prot *p,
		     uint32_t *spi)
{
	int err;

	if (!d->xfrm_up)
		return -ENOSYS;
	err = xfrm_spi_alloc(&d->xfrm, path->local.ss_family, addr_bytes(&path->remote),
			     addr_bytes(&path->local), reqid_of(p), spi);
	if (err)
		log_err("IPSEC: XFRM gave no SPI: %s",
			nl_errstr(d->xfrm.errmsg, err));
	return err;
}

int tunnel_sa_add(struct daemon *d, const struct child *c, bool inbound, const uint8_t *enc,
		  size_t enc_len, const uint8_t *auth, size_t auth_len)
{
	const struct sockaddr_storage *src = inbound ? &c->path.remote : &c->path.local;
	const struct sockaddr_storage *dst = inbound ? &c->path.local : &c->path.remote;
	bool any = c->prot.kind == P2_VTI;
	struct child_limits l;
	struct xfrm_sa x = {
		.family = c->path.local.ss_family,
		.src = addr_bytes(src),
		.dst = addr_bytes(dst),
		.spi = inbound ? c->spi_in : c->spi_out,
		.tunnel = true,
		.reqid = reqid_of(&c->prot),
		.if_id = if_id_of(d, &c->prot),
		.sel_src = any ? NULL : inbound ? &c->prot.remote : &c->prot.local,
		.sel_dst = any ? NULL : inbound ? &c->prot.local : &c->prot.remote,
		.esp_id = c->a.esp_id,
		.auth = c->a.auth,
		.enc_key = enc, .enc_len = enc_len, .auth_key = auth, .auth_len = auth_len,
	};
	int err;

	child_limits(&d->ike, c, &l);
	x.hard_sec = l.hard_sec;
	x.soft_sec = l.soft_sec;
	x.hard_bytes = l.hard_bytes;
	x.soft_bytes = l.soft_bytes;
	x.replay_window = l.replay_window;

	if (ike_path_natt(&c->path)) {	/* ESP-in-UDP on the ports IKE floated to */
		x.encap_sport = addr_port(src);
		x.encap_dport = addr_port(dst);
	}
	if (!d->xfrm_up)
		return -ENOSYS;
	if (c->prot.kind == P2_VTI && !x.if_id)
		return -ENODEV;
	/* a proxy narrower than the access-list line gets policies of its own */
	if (!inbound && !is_trap(d, &c->prot)) {
		err = policies(d, &c->prot, &c->path.local, &c->path.remote, true);
		if (err)
			return err;
	}
	err = xfrm_sa_add(&d->xfrm, &x);
	if (err)
		log_err("IPSEC: XFRM refused SA 0x%08X: %s", x.spi,
			nl_errstr(d->xfrm.errmsg, err));
	return err;
}

int tunnel_sa_del(struct daemon *d, const struct child *c, bool inbound)
{
	const struct sockaddr_storage *dst = inbound ? &c->path.local : &c->path.remote;
	int err;

	if (!d->xfrm_up)
		return 0;
	err = xfrm_sa_del(&d->xfrm, dst->ss_family, addr_bytes(dst),
			  inbound ? c->spi_in : c->spi_out);
	/* the last pair of a narrower proxy takes its policies with it */
	if (!inbound && !is_trap(d, &c->prot)) {
		bool others = false;

		for (const struct child *o = d->ike.children; o; o = o->next)
			others |= o != c && ike_prot_same(&o->prot, &c->prot);
		if (!others)
			policies(d, &c->prot, &c->path.local, &c->path.remote, false);
	}
	return err == -ENOENT ? 0 : err;
}

/* The trap an ACQUIRE came from: its policy's selectors, or its VTI's if_id. */
static const struct p2_prot *trap_for(struct daemon *d, const struct xfrm_event *e,
				      const struct ike_path **path)
{
	for (int i = 0; i < d->ntraps; i++) {
		const struct p2_prot *p = &d->traps[i].prot;

		if (p->kind == P2_VTI ? e->if_id && d->traps[i].if_id == e->if_id :
		    !e->if_id && p2_ts_equal(&p->local, &e->sel_src) &&
		    p2_ts_equal(&p->remote, &e->sel_dst)) {
			*path = &d->traps[i].path;
			return p;
		}
	}
	return NULL;
}

void tunnel_event(const struct xfrm_event *e, void *arg)
{
	struct daemon *d = arg;

	if (e->type == XFRM_EV_ACQUIRE) {
		const struct ike_path *path;
		const struct p2_prot *p = trap_for(d, e, &path);

		if (!p) {
			log_dbg_ipsec("IPSEC: an XFRM acquire that no crypto map or VTI of ours "
				      "made");
			return;
		}
		if (has_child(d, p))
			return;	/* queued while its pair was being installed */
		ike_acquire(&d->ike, path, p);
	} else {	/* XFRM names the SA: destination, SPI, protocol */
		struct sockaddr_storage dst;

		addr_set(&dst, e->family, e->dst, 0);
		ike_expire(&d->ike, IKE_CARRIER_XFRM, &dst, e->spi, e->proto, e->hard);
	}
}
