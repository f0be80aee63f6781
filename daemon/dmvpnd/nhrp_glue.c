// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP in the process: the engine's hooks tied to the kernel (the packet
 * socket of each mGRE device, neighbour entries, shortcut routes, the
 * module's multicast list and per-peer counters) and to the IKE engine
 * (IPsec to a peer before NHRP uses it), the interfaces taken from the
 * configuration, the kernel's events handed in, the request ids kept
 * across restarts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include "dmvpnd/dmvpnd.h"
#include "kernel/neigh.h"
#include "kernel/nhrp_sock.h"
#include "kernel/nl_extack.h"
#include "lib/log.h"

/* An mGRE device NHRP runs on: its packet socket. */
struct nhrp_port {
	struct nhrp_port *next;
	struct daemon *d;
	int ifindex;
	int fd;
	struct loop_fd *h;
	bool seen;		/* still configured (refresh) */
	bool prepared;		/* dev_prepare done */
	bool prepared6;		/* dev_prepare6 done (ipv6 nhrp on it) */
};

/*
 * What the data path does with a peer: outbound SAs installed (NHRP waits
 * for one before it points traffic at the peer) and when it last carried
 * traffic (from the module's counters, sampled when the engine asks).
 */
struct peer_use {
	UT_hash_handle hh;
	struct peer_key {
		int ifindex;
		uint32_t nbma;
	} key;
	int nout;
	uint64_t tx;
	int64_t tx_at;
	int64_t settle_at;		/* tell NHRP its SAs are up then (0: not waiting) */
	struct peer_use *settle_next;	/* d->settling */
};

static struct peer_use *use_get(struct daemon *d, int ifindex, uint32_t nbma, bool make)
{
	struct peer_key k = { ifindex, nbma };
	struct peer_use *u;

	HASH_FIND(hh, d->uses, &k, sizeof(k), u);
	if (u || !make)
		return u;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->key = k;
	u->tx_at = -1;
	HASH_ADD(hh, d->uses, key, sizeof(k), u);
	return u;
}

static uint32_t nbma4(const struct nhrp_addr *a)
{
	uint32_t v = 0;

	if (a->len == 4)
		memcpy(&v, a->a, 4);
	return v;
}

static const char *ip4(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static struct nhrp_port *port_of(struct daemon *d, int ifindex)
{
	for (struct nhrp_port *p = d->nports; p; p = p->next)
		if (p->ifindex == ifindex)
			return p;
	return NULL;
}

/* hooks */

static int h_send(void *ctx, int ifindex, const struct nhrp_addr *nbma, const uint8_t *pkt,
		  size_t len)
{
	struct daemon *d = ctx;
	struct nhrp_port *p = port_of(d, ifindex);
	int err;

	if (!p)
		return -ENODEV;
	err = nhrp_sock_send(p->fd, ifindex, nbma, pkt, len);
	if (err < 0 && err != -EAGAIN) {
		char a[64];

		log_dbg_nhrp("NHRP: send to %s failed: %s", nhrp_addr_str(nbma, a, sizeof(a)),
			strerror(-err));
	}
	return err < 0 ? err : 0;
}

static void h_neigh(void *ctx, int ifindex, const struct nhrp_addr *proto,
		    const struct nhrp_addr *nbma)
{
	struct daemon *d = ctx;
	int family = proto->len == 16 ? AF_INET6 : AF_INET;
	char a[64], b[64];
	int err;

	if (!d->neigh_up)
		return;
	err = nbma ? neigh_set(&d->neigh, ifindex, family, proto->a, nbma) :
		     neigh_del(&d->neigh, ifindex, family, proto->a);
	if (err && !(err == -ENOENT && !nbma))
		log_warn("NHRP: neighbour %s -> %s: %s", nhrp_addr_str(proto, a, sizeof(a)),
			 nbma ? nhrp_addr_str(nbma, b, sizeof(b)) : "none", strerror(-err));
}

static void h_mcast(void *ctx, int ifindex, const struct nhrp_addr *nbma, bool add)
{
	struct daemon *d = ctx;
	char a[INET_ADDRSTRLEN];
	int err;

	if (!d->kern_up || nbma->len != 4)
		return;
	err = kern_mcast(&d->kern, ifindex, nbma4(nbma), add, true);
	if (err && err != -EEXIST && err != -ENOENT)
		log_warn("NHRP: multicast entry %s: %s", ip4(nbma4(nbma), a),
			 nl_errstr(d->kern.req.errmsg, err));
}

static void h_route(void *ctx, int ifindex, const struct nhrp_addr *prefix, uint8_t plen,
		    const struct nhrp_addr *via, bool add)
{
	struct daemon *d = ctx;
	int family = prefix->len == 16 ? AF_INET6 : AF_INET;
	char a[64];
	int err;

	if (!d->neigh_up)
		return;
	err = route_set(&d->neigh, ifindex, family, prefix->a, plen, via ? via->a : NULL, add);
	if (err && !(err == -ESRCH && !add))
		log_warn("NHRP: shortcut route %s/%u %s: %s", nhrp_addr_str(prefix, a, sizeof(a)),
			 plen, add ? "add" : "delete", strerror(-err));
}

static bool h_sa_ready(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	struct daemon *d = ctx;
	const struct ike_gre *g = ike_gre_dev(&d->ike, ifindex);
	struct peer_use *u = use_get(d, ifindex, nbma4(nbma), false);
	struct ike_path path;
	struct p2_prot prot;
	uint32_t v = nbma4(nbma);

	if (!g)
		return true;	/* not protected by us */
	if (u && u->nout > 0)
		return true;
	/* start IKE now: what waits goes when the outbound SA is in (nhrp_glue_sa) */
	if (!ike_sock_path(d, AF_INET, &v, &path)) {
		ike_prot_gre(g, &path, &prot);
		d->ike.now = d->loop.now;
		ike_acquire(&d->ike, &path, &prot);
	}
	return false;
}

static int64_t h_last_used(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	struct daemon *d = ctx;
	struct peer_use *u = use_get(d, ifindex, nbma4(nbma), true);
	struct mgre_peer_info p;

	if (!u || !d->kern_up || kern_peer_get(&d->kern, ifindex, nbma4(nbma), &p))
		return -1;
	if (p.stats.v[MGRE_STATS_A_TX_PACKETS] != u->tx) {
		u->tx = p.stats.v[MGRE_STATS_A_TX_PACKETS];
		u->tx_at = d->loop.now;
	}
	return u->tx_at;
}

/* Nothing of NHRP's points at the peer: its IPsec SAs on this device go (with DELETEs). */
static void h_peer_gone(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	struct daemon *d = ctx;
	struct sockaddr_storage ss;
	struct child *c, *next;
	char a[INET_ADDRSTRLEN];

	addr_set(&ss, AF_INET, nbma->a, 0);
	d->ike.now = d->loop.now;
	d->nhrp_hook = true;	/* the SAs going are the engine's doing: not news to it */
	for (c = ike_peer_children(&d->ike, &ss); c; c = next) {
		next = c->pnext;
		if (c->prot.kind != P2_MGRE || c->prot.ifindex != ifindex)
			continue;
		log_info("NHRP: no entry uses %s any more: deleting its IPsec SAs",
			 ip4(nbma4(nbma), a));
		child_free(&d->ike, c, true);
	}
	d->nhrp_hook = false;
}

/*
 * Request ids survive a restart (RFC 2332 5.2.3): the next free id is kept
 * in the state directory, written before the ids of a block are used.
 */
static uint32_t h_reqid_reserve(void *ctx, uint32_t count)
{
	struct daemon *d = ctx;
	char path[512], tmp[520], buf[32];
	uint32_t first = 0;
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/nhrp-reqid", d->state_dir);
	if (mkdir(d->state_dir, 0700) && errno != EEXIST)
		log_dbg_nhrp("NHRP: state directory %s: %s", d->state_dir, strerror(errno));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n > 0) {
		buf[n] = 0;
		first = (uint32_t)strtoul(buf, NULL, 10);
	} else if (getrandom(&first, sizeof(first), 0) != sizeof(first)) {
		first = (uint32_t)d->loop.now;
	}
	if (!first)
		first = 1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	n = snprintf(buf, sizeof(buf), "%u\n", first + count);
	if (fd < 0 || write(fd, buf, (size_t)n) != n || fsync(fd) || rename(tmp, path)) {
		if (!d->reqid_warned)
			log_warn("NHRP: cannot keep request ids in %s (%s): they start anew "
				 "after a restart", path, strerror(errno));
		d->reqid_warned = true;
	}
	if (fd >= 0)
		close(fd);
	return first;
}

/*
 * Phase 3: where the kernel routes dst.  Through the tunnel: its next hop
 * (the hub forwards a resolution that way, sends a redirect back that
 * way); out of another device: a network behind us, whose prefix we
 * answer for; a default route (prefix 0) is nobody's network.
 */
/*
 * An address of ours on another device (a LAN's own address): the prefix
 * of that device's address, the network we answer for; -1 if none.
 */
static int local_plen(int ifindex, const struct nhrp_addr *a)
{
	char tun[IF_NAMESIZE] = "";
	struct ifaddrs *all, *i;
	int family = a->len == 16 ? AF_INET6 : AF_INET, plen = -1;

	if_indextoname((unsigned int)ifindex, tun);
	if (getifaddrs(&all))
		return -1;
	for (i = all; i && plen < 0; i = i->ifa_next) {
		const uint8_t *ip, *mask;

		if (!i->ifa_addr || !i->ifa_netmask || i->ifa_addr->sa_family != family ||
		    !strcmp(i->ifa_name, tun))
			continue;
		ip = family == AF_INET ?
		     (const uint8_t *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr :
		     (const uint8_t *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		mask = family == AF_INET ?
		       (const uint8_t *)&((struct sockaddr_in *)i->ifa_netmask)->sin_addr :
		       (const uint8_t *)&((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr;
		if (memcmp(ip, a->a, a->len))
			continue;
		plen = 0;
		for (unsigned int b = 0; b < a->len; b++)
			plen += __builtin_popcount(mask[b]);
	}
	freeifaddrs(all);
	return plen;
}

static int h_route_get(void *ctx, int ifindex, const struct nhrp_addr *dst,
		       struct nhrp_addr *via, uint8_t *plen)
{
	struct daemon *d = ctx;
	int family = dst->len == 16 ? AF_INET6 : AF_INET;
	struct route_info ri;

	if (!d->neigh_up || route_get(&d->neigh, family, dst->a, &ri))
		return -1;
	*plen = ri.plen;
	if (ri.type == RTN_LOCAL) {
		/* the table local's host route: the network is the device address's */
		int p = local_plen(ifindex, dst);

		if (p <= 0)
			return -1;
		*plen = (uint8_t)p;
		return 0;
	}
	if (ri.type != RTN_UNICAST)
		return -1;
	if (ri.oif == ifindex) {
		if (ri.has_gw)
			nhrp_addr_set(via, ri.gw, dst->len);
		else
			*via = *dst;
		return 1;
	}
	return ri.plen ? 0 : -1;
}

static const struct nhrp_hooks hooks = {
	.route_get = h_route_get,
	.send = h_send,
	.neigh = h_neigh,
	.mcast = h_mcast,
	.route = h_route,
	.sa_ready = h_sa_ready,
	.last_used = h_last_used,
	.peer_gone = h_peer_gone,
	.reqid_reserve = h_reqid_reserve,
};

/* input */

static void port_read(void *arg, int fd)
{
	struct nhrp_port *p = arg;
	struct daemon *d = p->d;
	uint8_t buf[NHRP_PKT_MAX * 2];
	struct nhrp_addr src;
	int ifindex;
	ssize_t n;

	for (int i = 0; i < 64; i++) {	/* a fair share; the loop comes back for more */
		n = nhrp_sock_recv(fd, buf, sizeof(buf), &src, &ifindex);
		if (n < 0)
			break;
		d->nhrp.now = d->loop.now;
		nhrp_input(&d->nhrp, p->ifindex, &src, buf, (size_t)n);
	}
}

void nhrp_glue_miss(struct daemon *d, int ifindex, int family, const void *dst)
{
	struct nhrp_addr a;

	if (!d->nhrp_on || !nhrp_if_get(&d->nhrp, ifindex))
		return;
	nhrp_addr_set(&a, dst, family == AF_INET6 ? 16 : 4);
	d->nhrp.now = d->loop.now;
	nhrp_miss(&d->nhrp, ifindex, &a);
}

void nhrp_glue_traffic(struct daemon *d, int ifindex, int family, const void *src,
		       const void *dst)
{
	uint8_t len = family == AF_INET6 ? 16 : 4;
	struct nhrp_addr s, t;

	if (!d->nhrp_on || !nhrp_if_get(&d->nhrp, ifindex))
		return;
	nhrp_addr_set(&s, src, len);
	nhrp_addr_set(&t, dst, len);
	d->nhrp.now = d->loop.now;
	nhrp_traffic(&d->nhrp, ifindex, &s, &t);
}

/*
 * A pair our Quick Mode made is up at our end once we have read QM2; the
 * peer installs its inbound SA when it reads our QM3 (strongSwan does, and
 * RFC 2409 lets any responder), so what NHRP held for these SAs (a delayed
 * Resolution Reply) would reach a peer that drops it as an unknown SPI.
 * It goes this long after the SA came up instead.
 */
#define SA_SETTLE_MS 300

static void settle_remove(struct daemon *d, struct peer_use *u)
{
	struct peer_use **pp;

	for (pp = &d->settling; *pp; pp = &(*pp)->settle_next)
		if (*pp == u) {
			*pp = u->settle_next;
			break;
		}
	u->settle_next = NULL;
	u->settle_at = 0;
}

/* The pairs whose settling time is over: NHRP hears they are up.  The ms
 * until the next one, or -1. */
static int64_t settle_run(struct daemon *d, int64_t now)
{
	struct peer_use *u, *next;
	int64_t wake = -1;
	struct nhrp_addr a;

	for (u = d->settling; u; u = next) {
		next = u->settle_next;
		if (u->settle_at > now) {
			if (wake < 0 || u->settle_at - now < wake)
				wake = u->settle_at - now;
			continue;
		}
		settle_remove(d, u);
		nhrp_addr_set(&a, &u->key.nbma, 4);
		d->nhrp.now = now;
		nhrp_sa_up(&d->nhrp, u->key.ifindex, &a);
	}
	return wake;
}

/* The module installed (up) or removed an outbound SA to nbma; initiator:
 * of a pair our Quick Mode made. */
void nhrp_glue_sa(struct daemon *d, int ifindex, uint32_t nbma, bool up, bool initiator)
{
	struct peer_use *u = use_get(d, ifindex, nbma, up);
	struct nhrp_addr a;

	if (!u)
		return;
	u->nout += up ? 1 : -1;
	if (u->nout < 0)
		u->nout = 0;
	if (!d->nhrp_on || (!up && u->nout) || d->nhrp_hook)
		return;
	nhrp_addr_set(&a, &nbma, 4);
	d->nhrp.now = d->loop.now;
	if (up && initiator) {
		if (!u->settle_at) {
			u->settle_next = d->settling;
			d->settling = u;
		}
		u->settle_at = d->loop.now + SA_SETTLE_MS;	/* the loop's tick runs it */
		return;
	}
	if (u->settle_at)
		settle_remove(d, u);
	/* every new SA: after a peer's restart they are new while ours were not gone yet */
	if (up)
		nhrp_sa_up(&d->nhrp, ifindex, &a);
	else
		nhrp_sa_down(&d->nhrp, ifindex, &a);
}

/* IKE towards nbma for the device failed: what waits for those SAs hears so. */
void nhrp_glue_sa_failed(struct daemon *d, int ifindex, uint32_t nbma)
{
	struct peer_use *u = use_get(d, ifindex, nbma, false);
	struct nhrp_addr a;

	if (!d->nhrp_on || (u && u->nout))
		return;		/* another negotiation (theirs, crossing) brought them up */
	nhrp_addr_set(&a, &nbma, 4);
	d->nhrp.now = d->loop.now;
	nhrp_sa_failed(&d->nhrp, ifindex, &a);
}

static void neigh_miss(void *arg, int ifindex, int family, const void *dst)
{
	nhrp_glue_miss(arg, ifindex, family, dst);
}

void nhrp_glue_neigh_event(void *arg, int fd)
{
	struct daemon *d = arg;

	neigh_events(&d->neigh, neigh_miss, d);
}

static int64_t nhrp_timers(void *arg, int64_t now)
{
	struct daemon *d = arg;
	int64_t next, settle = settle_run(d, now);

	d->nhrp.now = now;
	next = nhrp_tick(&d->nhrp);
	return settle >= 0 && (next < 0 || settle < next) ? settle : next;
}

/* the interfaces */

static int dev_mtu(const char *name)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = 0;

	if (s < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(s, SIOCGIFMTU, &ifr))
		mtu = ifr.ifr_mtu;
	close(s);
	return mtu;
}

static int sysctl_set(const char *fmt, const char *dev, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), fmt, dev);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static int sysctl_get(const char *path)
{
	char buf[16] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = 0;
	close(fd);
	return atoi(buf);
}

/*
 * The device as NHRP wants it, as opennhrp and FRR nhrpd ask their users
 * to set it by hand: ARP on, so that a packet to an overlay address with
 * no mapping waits in the neighbour's queue while NHRP resolves it (an
 * application probe, no ARP or unicast probes on the wire), and no ICMP
 * redirects (IOS's "no ip redirects": spokes learn shortcuts from NHRP).
 */
static void dev_prepare(const char *name)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	static const char *const neigh[][2] = {
		{ "/proc/sys/net/ipv4/neigh/%s/app_solicit", "1" },
		{ "/proc/sys/net/ipv4/neigh/%s/ucast_solicit", "0" },
		{ "/proc/sys/net/ipv4/neigh/%s/mcast_solicit", "0" },
		{ "/proc/sys/net/ipv4/conf/%s/send_redirects", "0" },
	};

	if (s >= 0) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		if (!ioctl(s, SIOCGIFFLAGS, &ifr) && (ifr.ifr_flags & IFF_NOARP)) {
			ifr.ifr_flags &= ~IFF_NOARP;
			if (ioctl(s, SIOCSIFFLAGS, &ifr))
				log_warn("NHRP: %s: cannot turn ARP on (%s): the first packets "
					 "to an unresolved peer are lost", name, strerror(errno));
		}
		close(s);
	}
	for (size_t i = 0; i < sizeof(neigh) / sizeof(neigh[0]); i++) {
		int err = sysctl_set(neigh[i][0], name, neigh[i][1]);

		if (err)
			log_warn("NHRP: %s: cannot set %s: %s", name, neigh[i][0] + 14,
				 strerror(-err));
	}
	if (sysctl_get("/proc/sys/net/ipv4/conf/all/send_redirects") > 0)
		log_warn("NHRP: net.ipv4.conf.all.send_redirects is 1: the kernel sends ICMP "
			 "redirects between spokes on %s; set it to 0", name);
}

/*
 * The device as IPv6 NHRP wants it ("ipv6 nhrp" on it): IPv6 neighbour
 * entries resolved by NHRP, as IOS does over DMVPN, not by Neighbour
 * Discovery: an application probe for a neighbour with no mapping, no
 * solicitations on the wire, no duplicate address detection (NHRP's
 * unique registrations are the check), and no ICMPv6 redirects taken (the
 * hub's kernel sends them when it relays between spokes, and IPv6 has no
 * send_redirects to turn that off: spokes learn shortcuts from NHRP).
 */
static void dev_prepare6(const char *name)
{
	static const char *const sys[][2] = {
		{ "/proc/sys/net/ipv6/neigh/%s/app_solicit", "1" },
		{ "/proc/sys/net/ipv6/neigh/%s/ucast_solicit", "0" },
		{ "/proc/sys/net/ipv6/neigh/%s/mcast_solicit", "0" },
		{ "/proc/sys/net/ipv6/conf/%s/accept_dad", "0" },
		{ "/proc/sys/net/ipv6/conf/%s/accept_redirects", "0" },
	};

	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		int err = sysctl_set(sys[i][0], name, sys[i][1]);

		if (err)
			log_warn("NHRP: %s: cannot set %s: %s", name, sys[i][0] + 14,
				 strerror(-err));
	}
}

static struct nhrp_port *port_open(struct daemon *d, int ifindex)
{
	struct nhrp_port *p = port_of(d, ifindex);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->d = d;
	p->ifindex = ifindex;
	p->fd = nhrp_sock_open(ifindex);
	if (p->fd < 0) {
		log_err("NHRP: no packet socket on ifindex %d: %s", ifindex, strerror(-p->fd));
		free(p);
		return NULL;
	}
	p->h = loop_add_fd(&d->loop, p->fd, port_read, p);
	if (!p->h) {
		close(p->fd);
		free(p);
		return NULL;
	}
	p->next = d->nports;
	d->nports = p;
	return p;
}

static void port_close(struct daemon *d, struct nhrp_port *p)
{
	struct nhrp_port **pp;

	for (pp = &d->nports; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	loop_del_fd(&d->loop, p->h);
	close(p->fd);
	free(p);
}

/*
 * One configured interface's NHRP of a family (AF_INET: its ip nhrp lines,
 * AF_INET6: its ipv6 nhrp lines) as the engine takes it; false if it
 * cannot run yet.
 */
static bool if_conf(struct daemon *d, const struct conf_iface *f, int family,
		    struct nhrp_if_conf *c)
{
	const char *dev = conf_ifname(&d->conf, f->name);
	uint32_t local = 0;

	memset(c, 0, sizeof(*c));
	c->ifindex = dev ? (int)if_nametoindex(dev) : 0;
	if (!c->ifindex)
		return false;
	snprintf(c->name, sizeof(c->name), "%s", dev);
	if (!d->rt_up || rtlink_mgre_local(&d->rt, c->ifindex, &local) || !local) {
		log_warn("NHRP: %s is not an mgre device with a tunnel source", dev);
		return false;
	}
	nhrp_addr_set(&c->nbma, &local, 4);
	if (family == AF_INET6) {
		if (f->addr6_family != AF_INET6)
			return false;	/* the configuration's check says so */
		nhrp_addr_set(&c->proto, f->addr6, 16);
		c->plen = (uint8_t)f->plen6;
		c->p = &f->nhrp6;
	} else {
		nhrp_addr_set(&c->proto, f->addr, 4);
		c->plen = (uint8_t)f->plen;
		c->p = &f->nhrp;
	}
	if (f->dst_family == AF_INET)
		nhrp_addr_set(&c->p2p_dst, f->dst, 4);
	c->mtu = (uint16_t)dev_mtu(dev);
	c->protected = f->profile[0] != 0;
	return true;
}

/*
 * One configured interface's NHRP: its IPv4 (ip nhrp) and IPv6 (ipv6 nhrp)
 * engine interfaces on the device's one packet socket; a family no longer
 * configured goes (deregistered).  Whether the device runs NHRP.
 */
static bool iface_refresh(struct daemon *d, const struct conf_iface *f)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	struct nhrp_port *p = NULL;
	bool any = false;

	for (size_t k = 0; k < sizeof(fams) / sizeof(fams[0]); k++) {
		const struct nhrp_params *np = fams[k] == AF_INET ? &f->nhrp : &f->nhrp6;
		uint8_t alen = fams[k] == AF_INET ? 4 : 16;
		struct nhrp_if_conf c;

		if (!np->enabled || !if_conf(d, f, fams[k], &c)) {
			const char *dev = conf_ifname(&d->conf, f->name);
			int ifindex = dev ? (int)if_nametoindex(dev) : 0;

			if (ifindex && nhrp_if_find(&d->nhrp, ifindex, alen)) {
				d->nhrp.now = d->loop.now;
				nhrp_if_del(&d->nhrp, ifindex, alen);
			}
			continue;
		}
		p = port_open(d, c.ifindex);
		if (!p)
			return false;
		if (!p->prepared) {
			dev_prepare(c.name);
			/* what an earlier run left: its mappings are not ours to trust */
			if (d->neigh_up) {
				neigh_flush(&d->neigh, c.ifindex);
				route_flush(&d->neigh, c.ifindex);
			}
		}
		p->prepared = true;
		if (alen == 16 && !p->prepared6)
			dev_prepare6(c.name);
		p->prepared6 |= alen == 16;
		d->nhrp.now = d->loop.now;
		if (!nhrp_if_set(&d->nhrp, &c)) {
			log_err("NHRP: %s: out of memory", f->name);
			continue;
		}
		any = true;
	}
	if (p && any)
		p->seen = true;
	return any;
}

/*
 * The interfaces with NHRP, from the configuration and the links: at
 * start, on reload, when links change.  An interface that did not change
 * keeps its registrations and cache (nhrp_if_set).
 */
void nhrp_glue_refresh(struct daemon *d)
{
	struct nhrp_port *p, *next;

	if (!d->nhrp_on)
		return;
	for (p = d->nports; p; p = p->next)
		p->seen = false;
	for (int i = 0; i < d->conf.nifaces; i++) {
		const struct conf_iface *f = &d->conf.ifaces[i];

		if ((f->nhrp.enabled || f->nhrp6.enabled) && f->mode == CONF_TUN_GRE)
			iface_refresh(d, f);
	}
	for (p = d->nports; p; p = next) {
		next = p->next;
		if (p->seen)
			continue;
		nhrp_if_del(&d->nhrp, p->ifindex, 0);
		port_close(d, p);
	}
}

int nhrp_glue_start(struct daemon *d)
{
	int err;

	if (nhrp_init(&d->nhrp, &hooks, d))
		return -1;
	d->nhrp_on = true;
	err = neigh_open(&d->neigh);
	d->neigh_up = !err;
	if (err)
		log_warn("NHRP: rtnetlink: %s: no neighbour entries or shortcut routes",
			 strerror(-err));
	else if (!loop_add_fd(&d->loop, neigh_event_fd(&d->neigh), nhrp_glue_neigh_event, d))
		return -1;
	if (loop_add_tick(&d->loop, nhrp_timers, d))
		return -1;
	nhrp_glue_refresh(d);
	return 0;
}

void nhrp_glue_stop(struct daemon *d)
{
	struct peer_use *u, *tmp;

	if (!d->nhrp_on)
		return;
	nhrp_fini(&d->nhrp);
	while (d->nports) {
		/* the mappings go with us: without NHRP nobody keeps them true */
		if (d->neigh_up) {
			neigh_flush(&d->neigh, d->nports->ifindex);
			route_flush(&d->neigh, d->nports->ifindex);
		}
		port_close(d, d->nports);
	}
	d->settling = NULL;
	HASH_ITER(hh, d->uses, u, tmp) {
		HASH_DEL(d->uses, u);
		free(u);
	}
	if (d->neigh_up)
		neigh_close(&d->neigh);
	d->nhrp_on = false;
}
