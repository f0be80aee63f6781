// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel devices of the configuration: every "interface TunnelN" with
 * GRE and a tunnel source (conf_iface_owned()) is an mgre device dmvpnd
 * makes and owns, with its tunnel source, destination and key, ip mtu,
 * description, shutdown, ip address and ipv6 address, and its ip tcp
 * adjust-mss (kernel/mss.c).  Done at start, on reload and when links or
 * addresses change, before the carriers and NHRP look the devices up;
 * each pass changes only what differs from what the kernel has, so a
 * reload keeps every tunnel it does not touch (their SAs, NHRP cache and
 * traffic).  A device whose source, destination or key changed is made
 * again (the module fixes them at creation).  dmvpnd stopping leaves the
 * devices as they are, as it leaves the SAs: a restart adopts them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dmvpnd/dmvpnd.h"
#include "kernel/mss.h"
#include "kernel/nl_extack.h"
#include "kernel/tunlink.h"
#include "lib/log.h"

/* What this dmvpnd made or adopted, and what it applied to it. */
struct tun_own {
	char dev[IFNAMSIZ];
	int ifindex;
	bool seen;		/* still in the configuration (this pass) */
	bool waiting;		/* "waits for its tunnel source" said */
	bool refused;		/* "not an mgre device" or a refusal said */
	int addr_family;	/* the ip address applied */
	uint8_t addr[16];
	int plen;
	int addr6_family;	/* the ipv6 address applied */
	uint8_t addr6[16];
	int plen6;
	char alias[CONF_NAME * 2];
};

static struct tun_own *own_get(struct daemon *d, const char *dev)
{
	struct tun_own *t;

	for (int i = 0; i < d->ntuns; i++)
		if (!strcmp(d->tuns[i].dev, dev))
			return &d->tuns[i];
	t = realloc(d->tuns, (size_t)(d->ntuns + 1) * sizeof(*t));
	if (!t)
		return NULL;
	d->tuns = t;
	t = &d->tuns[d->ntuns++];
	memset(t, 0, sizeof(*t));
	snprintf(t->dev, sizeof(t->dev), "%s", dev);
	return t;
}

/* The first IPv4 address of device dev (the primary): 0, or -ENOENT. */
static int dev_ipv4(const char *dev, uint32_t *out)
{
	struct ifaddrs *ifa, *i;
	int err = -ENOENT;

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i && err; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && !strcmp(i->ifa_name, dev)) {
			*out = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			err = 0;
		}
	freeifaddrs(ifa);
	return err;
}

/*
 * The parameters the configuration asks of f's device; false while its
 * source has no address (or, an IOS name such as FastEthernet0/0 with no
 * "linux interface" line, is no device at all).
 */
static bool wanted(struct daemon *d, const struct conf_iface *f, struct tun_mgre *m)
{
	const char *src = f->src_family ? NULL : conf_ifname(&d->conf, f->src_name);

	memset(m, 0, sizeof(*m));
	if (f->src_family == AF_INET)
		memcpy(&m->local, f->src, 4);
	else if (!src || dev_ipv4(src, &m->local))
		return false;
	if (!f->multipoint)
		memcpy(&m->remote, f->dst, 4);
	m->has_key = f->has_key;
	m->key = f->has_key ? f->key : 0;
	return true;
}

static bool same(const struct tun_mgre *a, const struct tun_mgre *b)
{
	return a->local == b->local && a->remote == b->remote && a->has_key == b->has_key &&
	       (!a->has_key || a->key == b->key);
}

static const char *ip4(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Make the device, or make it again: the kernel's device in *ti. */
static int make(struct daemon *d, const struct conf_iface *f, struct tun_own *t,
		const struct tun_mgre *m, struct tun_info *ti)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int err;

	err = tunlink_mgre_add(&d->rt, t->dev, m, f->mtu);
	if (err) {
		if (!t->refused)
			log_err("interface %s: cannot make mgre device %s: %s%s", f->name, t->dev,
				nl_errstr(d->rt.errmsg, err),
				err == -EOPNOTSUPP ? " (is the mgre module there? modprobe mgre)" : "");
		t->refused = true;
		return err;
	}
	log_info("interface %s: made mgre device %s: source %s, %s%s%s", f->name, t->dev,
		 ip4(m->local, a), m->remote ? "destination " : "multipoint",
		 m->remote ? ip4(m->remote, b) : "", m->has_key ? ", with a key" : "");
	t->refused = false;
	t->addr_family = t->addr6_family = 0;	/* a new device has none of them */
	t->alias[0] = 0;
	return tunlink_get(&d->rt, t->dev, ti);
}

/* One address: the configured one in place of the one applied before. */
static void addr_sync(struct daemon *d, struct tun_own *t, int family, const uint8_t *want,
		      int plen, int *have_family, uint8_t *have, int *have_plen)
{
	size_t len = family == AF_INET ? 4 : 16;
	int err;

	if (*have_family && (!want || memcmp(have, want, len) || *have_plen != plen)) {
		tunlink_addr(&d->rt, t->ifindex, family, have, *have_plen, false);
		*have_family = 0;
	}
	if (!want || *have_family)
		return;
	err = tunlink_addr(&d->rt, t->ifindex, family, want, plen, true);
	if (err) {
		log_err("%s: cannot set its %s address: %s", t->dev,
			family == AF_INET ? "ip" : "ipv6", nl_errstr(d->rt.errmsg, err));
		return;
	}
	*have_family = family;
	memcpy(have, want, len);
	*have_plen = plen;
}

/* One tunnel of the configuration: its device as the configuration says. */
static void tunnel_sync(struct daemon *d, const struct conf_iface *f)
{
	const char *dev = conf_ifname(&d->conf, f->name);
	struct tun_own *t = dev ? own_get(d, dev) : NULL;
	struct tun_info ti;
	struct tun_mgre m;
	int err;

	if (!t) {
		log_err("interface %s: out of memory", f->name);
		return;
	}
	t->seen = true;
	if (!wanted(d, f, &m)) {
		const char *src = conf_ifname(&d->conf, f->src_name);

		if (!t->waiting && src)
			log_warn("interface %s: tunnel source %s has no IPv4 address (yet): the "
				 "tunnel waits for it", f->name, src);
		else if (!t->waiting)
			log_err("interface %s: tunnel source %s is no Linux device name: map it, "
				"'linux interface %s DEVICE'", f->name, f->src_name, f->src_name);
		t->waiting = true;
		return;
	}
	t->waiting = false;
	err = tunlink_get(&d->rt, dev, &ti);
	if (!err && !ti.is_mgre) {
		if (!t->refused)
			log_err("interface %s: device %s is there and is not an mgre device: left "
				"alone", f->name, dev);
		t->refused = true;
		t->ifindex = 0;
		return;
	}
	if (!err && !same(&ti.m, &m)) {
		log_info("interface %s: tunnel source, destination or key changed: device %s is "
			 "made again", f->name, dev);
		tunlink_del(&d->rt, ti.ifindex);
		err = -ENODEV;
	}
	if (err == -ENODEV)
		err = make(d, f, t, &m, &ti);
	if (err) {
		t->ifindex = 0;
		return;
	}
	if (t->ifindex != ti.ifindex)	/* adopted, or made by someone else meanwhile */
		t->addr_family = t->addr6_family = 0;
	t->ifindex = ti.ifindex;
	if ((f->mtu && ti.mtu != f->mtu) || !(ti.flags & IFF_UP) != f->shutdown ||
	    strcmp(t->alias, f->descr)) {
		err = tunlink_set(&d->rt, t->ifindex, f->mtu, !f->shutdown, f->descr);
		if (err)
			log_err("%s: cannot set its mtu, state or description: %s", dev,
				nl_errstr(d->rt.errmsg, err));
		else
			snprintf(t->alias, sizeof(t->alias), "%s", f->descr);
	}
	addr_sync(d, t, AF_INET, f->addr_family == AF_INET ? f->addr : NULL, f->plen,
		  &t->addr_family, t->addr, &t->plen);
	addr_sync(d, t, AF_INET6, f->addr6_family == AF_INET6 ? f->addr6 : NULL, f->plen6,
		  &t->addr6_family, t->addr6, &t->plen6);
}

/* ip tcp adjust-mss of every tunnel, when it differs from what was applied. */
static void mss_sync(struct daemon *d)
{
	struct mss_rule *r = calloc((size_t)d->conf.nifaces + 1, sizeof(*r));
	char err[256];
	int n = 0;

	if (!r)
		return;
	for (int i = 0; i < d->conf.nifaces; i++) {
		const struct conf_iface *f = &d->conf.ifaces[i];
		const char *dev = conf_ifname(&d->conf, f->name);

		if (f->mss && dev && conf_iface_owned(f)) {
			snprintf(r[n].dev, sizeof(r[n].dev), "%s", dev);
			r[n++].mss = f->mss;
		}
	}
	if (n == d->nmss && (!n || !memcmp(r, d->mss, (size_t)n * sizeof(*r)))) {
		free(r);
		return;
	}
	if (mss_apply(r, n, err, sizeof(err))) {
		log_err("ip tcp adjust-mss: %s", err);
		free(r);
		return;
	}
	if (n)
		log_info("ip tcp adjust-mss: TCP SYNs clamped on %d tunnel%s (nft table inet "
			 "dmvpnd)", n, n > 1 ? "s" : "");
	free(d->mss);
	d->mss = r;
	d->nmss = n;
}

void tunnel_dev_sync(struct daemon *d)
{
	if (!d->rt_up)
		return;
	for (int i = 0; i < d->ntuns; i++)
		d->tuns[i].seen = false;
	for (int i = 0; i < d->conf.nifaces; i++)
		if (conf_iface_owned(&d->conf.ifaces[i]))
			tunnel_sync(d, &d->conf.ifaces[i]);
	/* tunnels gone from the configuration: their devices go too */
	for (int i = 0; i < d->ntuns; i++) {
		struct tun_own *t = &d->tuns[i];
		struct tun_info ti;

		if (t->seen)
			continue;
		if (t->ifindex && !tunlink_get(&d->rt, t->dev, &ti) && ti.ifindex == t->ifindex &&
		    ti.is_mgre) {
			tunlink_del(&d->rt, t->ifindex);
			log_info("%s: no longer in the configuration: device removed", t->dev);
		}
		d->tuns[i--] = d->tuns[--d->ntuns];
	}
	mss_sync(d);
}

void tunnel_dev_fini(struct daemon *d)
{
	free(d->tuns);
	d->tuns = NULL;
	d->ntuns = 0;
	free(d->mss);
	d->mss = NULL;
	d->nmss = 0;
}
