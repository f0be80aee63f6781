// SPDX-License-Identifier: GPL-2.0
/*
 * "interface X" blocks: what the keying daemon reads in them (tunnel
 * protection, tunnel mode, tunnel destination, crypto map NAME), the
 * interface's addresses (ip address, ipv6 address) and its NHRP lines
 * (conf_nhrp.c), what makes a tunnel's mgre device (tunnel source, tunnel
 * key, ip mtu, ip tcp adjust-mss, shutdown, description), the checks of
 * them, the VTI for a peer; and "linux interface IOS-NAME DEVICE", which
 * names the Linux device an IOS interface name stands for.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"
#include "lib/wipe.h"

/* tunnel mode gre multipoint | gre ip | ipsec ipv4 | ipsec ipv6 */
static int tunnel_mode(struct parser *p, struct conf_iface *f, char **w, int n)
{
	if (n == 4 && !strcmp(w[2], "gre") &&
	    (!strcmp(w[3], "multipoint") || !strcmp(w[3], "ip"))) {
		f->mode = CONF_TUN_GRE;
		f->multipoint = !strcmp(w[3], "multipoint");
	} else if (n == 4 && !strcmp(w[2], "ipsec") && !strcmp(w[3], "ipv4"))
		f->mode = CONF_TUN_IPSEC4;
	else if (n == 4 && !strcmp(w[2], "ipsec") && !strcmp(w[3], "ipv6"))
		f->mode = CONF_TUN_IPSEC6;
	else
		return conf_fail(p, "tunnel mode is gre multipoint, gre ip, ipsec ipv4 or ipsec ipv6");
	return 0;
}

static int tunnel_dst(struct parser *p, struct conf_iface *f, char **w, int n)
{
	char text[128] = "";
	size_t len = 0;

	if (n == 2)
		return conf_fail(p, "usage: tunnel destination A.B.C.D | X:X::X");
	if (n == 3) {
		f->dst_family = conf_parse_addr(w[2], f->dst);
		if (f->dst_family)
			return 0;
	}
	for (int i = 2; i < n && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i > 2 ? " " : "",
					w[i]);
	return conf_fail(p, "tunnel destination '%s' is not an IPv4 or IPv6 address", text);
}

/*
 * ip address A.B.C.D M.M.M.M: the primary address.  "... secondary" is
 * accepted and left out (NHRP speaks from the primary); "ip address dhcp",
 * "negotiated", "pool" are accepted with no address known.  "no ip address"
 * forgets it.
 */
static int iface_addr(struct parser *p, struct conf_iface *f, bool neg, char **w, int n)
{
	bool secondary = n == 5 && !strcmp(w[4], "secondary");
	uint8_t a[16], m[16];
	int plen;

	if (n >= 3 && (!strcmp(w[2], "dhcp") || !strcmp(w[2], "negotiated") ||
		       !strcmp(w[2], "pool"))) {
		char cmd[32];

		snprintf(cmd, sizeof(cmd), "ip address %s", w[2]);
		return conf_ignore(p, cmd);	/* the system's to learn */
	}
	if (neg && !secondary) {
		f->addr_family = 0;
		memset(f->addr, 0, sizeof(f->addr));
		f->plen = 0;
		return 0;
	}
	if (n != 4 && !secondary)
		return conf_fail(p, "usage: ip address A.B.C.D M.M.M.M [secondary]");
	if (conf_parse_addr(w[2], a) != AF_INET)
		return conf_fail(p, "ip address '%s' is not an IPv4 address", w[2]);
	if (conf_parse_addr(w[3], m) != AF_INET || !conf_mask_ok(m, &plen))
		return conf_fail(p, "ip address %s: '%s' is not a netmask", w[2], w[3]);
	if (secondary)	/* NHRP speaks from the primary; the system keeps the others */
		return neg ? 0 : conf_ignore(p, "ip address secondary");
	f->addr_family = AF_INET;
	memcpy(f->addr, a, sizeof(f->addr));
	f->plen = plen;
	return 0;
}

/*
 * ipv6 address X:X::X/LEN [eui-64]: the first global address (IOS adds
 * them up; the first is the one kept).  link-local, anycast, autoconfig,
 * dhcp and general-prefix forms are accepted and left out.  "no ipv6
 * address" forgets it.
 */
static int iface_addr6(struct parser *p, struct conf_iface *f, bool neg, char **w, int n)
{
	char buf[INET6_ADDRSTRLEN + 8];
	uint8_t a[16];
	uint32_t plen;
	char *slash;

	if (neg) {
		f->addr6_family = 0;
		memset(f->addr6, 0, sizeof(f->addr6));
		f->plen6 = 0;
		return 0;
	}
	if (n < 3)
		return conf_fail(p, "usage: ipv6 address X:X::X/LEN");
	if (!strcmp(w[2], "autoconfig") || !strcmp(w[2], "dhcp")) {
		snprintf(buf, sizeof(buf), "ipv6 address %s", w[2]);
		return conf_ignore(p, buf);
	}
	if (n == 4 && (!strcmp(w[3], "link-local") || !strcmp(w[3], "anycast"))) {
		snprintf(buf, sizeof(buf), "ipv6 address %s", w[3]);
		return conf_ignore(p, buf);	/* the kernel makes the link-local one */
	}
	slash = strchr(w[2], '/');
	if (!slash && n == 4)	/* ipv6 address PREFIX-NAME X:X::X/LEN: a general prefix's */
		return conf_ignore(p, "ipv6 address general-prefix");
	if (n > 4 || (n == 4 && strcmp(w[3], "eui-64")) || !slash ||
	    strlen(w[2]) >= sizeof(buf))
		return conf_fail(p, "ipv6 address '%s' is not X:X::X/LEN", w[2]);
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - w[2]), w[2]);
	if (inet_pton(AF_INET6, buf, a) != 1 || !conf_is_number(slash + 1))
		return conf_fail(p, "ipv6 address '%s' is not X:X::X/LEN", w[2]);
	if (conf_num(p, slash + 1, 0, 128, &plen))
		return -1;
	if (f->addr6_family)
		return 0;
	f->addr6_family = AF_INET6;
	memcpy(f->addr6, a, sizeof(f->addr6));
	f->plen6 = (int)plen;
	return 0;
}

/* tunnel source IFNAME | A.B.C.D (IOS's interface name, mapped by "linux interface") */
static int tunnel_src(struct parser *p, struct conf_iface *f, bool neg, char **w, int n)
{
	f->src_family = 0;
	memset(f->src, 0, sizeof(f->src));
	f->src_name[0] = 0;
	if (neg)
		return 0;
	if (n != 3)
		return conf_fail(p, "usage: tunnel source INTERFACE | A.B.C.D");
	f->src_family = conf_parse_addr(w[2], f->src);
	if (f->src_family)
		return 0;
	if (strlen(w[2]) >= CONF_NAME)
		return conf_fail(p, "tunnel source: interface name longer than %d", CONF_NAME - 1);
	snprintf(f->src_name, sizeof(f->src_name), "%s", w[2]);
	return 0;
}

/* description TEXT: the device's alias (the words joined by one space) */
static void iface_descr(struct conf_iface *f, char **w, int n)
{
	size_t len = 0;

	f->descr[0] = 0;
	for (int i = 1; i < n && len < sizeof(f->descr); i++)
		len += (size_t)snprintf(f->descr + len, sizeof(f->descr) - len, "%s%s",
					i > 1 ? " " : "", w[i]);
}

/* ip mtu N, ip tcp adjust-mss N (IOS's ranges), and their "no" forms */
static int iface_ip_num(struct parser *p, struct conf_iface *f, bool neg, char **w, int n)
{
	bool mss = !strcmp(w[1], "tcp");
	uint32_t *v = mss ? &f->mss : &f->mtu;

	if (mss && (n < 3 || strcmp(w[2], "adjust-mss")))
		return 1;
	if (neg) {
		*v = 0;
		return 0;
	}
	if (n != (mss ? 4 : 3))
		return conf_fail(p, mss ? "usage: ip tcp adjust-mss 500-1460" : "usage: ip mtu 68-17912");
	return mss ? conf_num(p, w[3], 500, 1460, v) : conf_num(p, w[2], 68, 17912, v);
}

static const struct conf_mode iface_mode;

/* An interface line none of ours: the router's (ignored with a warning), else unknown. */
static int iface_other(struct parser *p, char **w, int n)
{
	const char *cmd = conf_ign_match(conf_ign_iface, w, n);

	return cmd ? conf_ignore(p, cmd) : conf_unknown(p, &iface_mode);
}

/* Inside "interface X": what the keying daemon and NHRP need. */
static int iface_sub(struct parser *p, char **w, int n)
{
	struct conf_iface *f = &p->c->ifaces[p->cur];
	bool neg = n > 1 && !strcmp(w[0], "no");
	int k = neg ? 1 : 0;

	if (n > k + 1 && (!strcmp(w[k], "ip") || !strcmp(w[k], "ipv6"))) {
		bool v4 = !strcmp(w[k], "ip");

		if (!strcmp(w[k + 1], "nhrp"))
			return conf_nhrp_line(p, f, neg, v4 ? AF_INET : AF_INET6, w + k + 2,
					      n - k - 2);
		if (!strcmp(w[k + 1], "address"))
			return v4 ? iface_addr(p, f, neg, w + k, n - k) :
				    iface_addr6(p, f, neg, w + k, n - k);
		if (v4 && (!strcmp(w[k + 1], "mtu") || !strcmp(w[k + 1], "tcp"))) {
			int r = iface_ip_num(p, f, neg, w + k, n - k);

			if (r <= 0)
				return r;
		}
		return iface_other(p, w, n);
	}
	if (!strcmp(w[k], "shutdown") && n == k + 1) {
		f->shutdown = !neg;
		return 0;
	}
	if (!strcmp(w[0], "description")) {
		iface_descr(f, w, n);
		return 0;
	}

	if (n >= 2 && !strcmp(w[0], "crypto") && !strcmp(w[1], "map")) {
		if (n != 3 || strlen(w[2]) >= CONF_NAME)
			return conf_fail(p, "usage: crypto map NAME");
		snprintf(f->map, CONF_NAME, "%s", w[2]);
		return 0;
	}
	if (n > k + 1 && !strcmp(w[k], "tunnel") && !strcmp(w[k + 1], "source"))
		return tunnel_src(p, f, neg, w + k, n - k);
	if (n > k + 1 && !strcmp(w[k], "tunnel") && !strcmp(w[k + 1], "key")) {
		f->has_key = !neg;
		f->key = 0;
		if (neg)
			return 0;
		if (n != 3)
			return conf_fail(p, "usage: tunnel key 0-4294967295");
		return conf_num(p, w[2], 0, UINT32_MAX, &f->key);
	}
	if (n < 2 || strcmp(w[0], "tunnel"))
		return iface_other(p, w, n);
	if (!strcmp(w[1], "protection")) {
		if (n != 5 || strcmp(w[2], "ipsec") || strcmp(w[3], "profile") ||
		    strlen(w[4]) >= CONF_NAME)
			return conf_fail(p, "usage: tunnel protection ipsec profile NAME");
		snprintf(f->profile, CONF_NAME, "%s", w[4]);
		return 0;
	}
	if (!strcmp(w[1], "mode"))
		return tunnel_mode(p, f, w, n);
	if (!strcmp(w[1], "destination"))
		return tunnel_dst(p, f, w, n);
	return iface_other(p, w, n);
}

/* Whether an unindented line is an interface command. */
static bool iface_is_sub(char **w, int n)
{
	static const char *const iface[] = {
		"tunnel", "description", "bandwidth", "delay", "shutdown", "keepalive", NULL,
	};
	static const char *const iface_ip[] = {
		"address", "mtu", "nhrp", "tcp", "redirects", "unnumbered", "access-group",
		"route-cache", "mroute-cache", "virtual-reassembly", "ospf", NULL,
	};
	static const char *const iface_ipv6[] = {
		"address", "enable", "mtu", "nhrp", "redirects", "unnumbered", NULL,
	};

	/* "crypto map NAME"; the global "crypto map NAME SEQ ..." has more words */
	return conf_word_in(w[0], iface) ||
	       (!strcmp(w[0], "crypto") && n == 3 && !strcmp(w[1], "map")) ||
	       (!strcmp(w[0], "ip") && n > 1 && conf_word_in(w[1], iface_ip)) ||
	       (!strcmp(w[0], "ipv6") && n > 1 && conf_word_in(w[1], iface_ipv6)) ||
	       (!strcmp(w[0], "no") && n > 1 && (!strcmp(w[1], "ip") || !strcmp(w[1], "shutdown") ||
						  !strcmp(w[1], "tunnel"))) ||
	       (!strcmp(w[0], "no") && n > 2 && !strcmp(w[1], "ipv6") &&
		conf_word_in(w[2], iface_ipv6)) ||
	       conf_ign_match(conf_ign_iface, w, n);
}

static bool is_vti(const struct conf_iface *f);

/*
 * The end of an interface block: ours if IKE, NHRP or dmvpnd's device
 * needs it; else it is the system's (a physical interface, a loopback)
 * and one warning stands for it.
 */
static const char *iface_end(struct parser *p)
{
	const struct conf_iface *f = &p->c->ifaces[p->cur];

	if (f->profile[0] || f->map[0] || f->nhrp_line || f->nhrp6_line || is_vti(f) ||
	    f->multipoint || f->dst_family || f->src_family || f->src_name[0])
		return NULL;
	return "nothing of IKE, NHRP or a tunnel in it: the system's interface";
}

static const struct conf_mode iface_mode = {
	.name = "interface", .is_sub = iface_is_sub, .line = iface_sub, .known = conf_known_iface,
	.ign = conf_ign_iface, .end = iface_end,
};

/* interface NAME: new, or entered again */
static int iface_enter(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	const char *name = w[1];
	int i;

	/* IOS's "interface Fa0/0.1 point-to-point": the type is the kernel's business */
	if (n > 3 || (n == 3 && strcmp(w[2], "point-to-point") && strcmp(w[2], "multipoint")))
		return conf_fail(p, "usage: interface NAME [point-to-point|multipoint]");
	if (strlen(name) >= CONF_NAME)
		return conf_fail(p, "interface name longer than %d", CONF_NAME - 1);
	for (i = 0; i < c->nifaces && strcmp(c->ifaces[i].name, name); i++)
		;
	if (i == c->nifaces) {
		/* secret: an interface holds its NHRP password */
		struct conf_iface *f = conf_grow(p, c->ifaces, c->nifaces, sizeof(*c->ifaces), true);

		if (!f)
			return -1;
		c->ifaces = f;
		memset(&c->ifaces[i], 0, sizeof(c->ifaces[i]));
		snprintf(c->ifaces[i].name, sizeof(c->ifaces[i].name), "%s", name);
		c->ifaces[i].line = p->line;
		conf_nhrp_init(&c->ifaces[i].nhrp);
		conf_nhrp_init(&c->ifaces[i].nhrp6);
		c->nifaces++;
	}
	p->mode = &iface_mode;
	p->cur = i;
	return 0;
}

static bool is_vti(const struct conf_iface *f)
{
	return f->mode == CONF_TUN_IPSEC4 || f->mode == CONF_TUN_IPSEC6;
}

/* A VTI: a destination of its family, a profile, no other VTI to the same peer. */
static int check_vti(struct parser *p, const struct conf_iface *f)
{
	const char *mode = f->mode == CONF_TUN_IPSEC4 ? "ipsec ipv4" : "ipsec ipv6";
	int family = f->mode == CONF_TUN_IPSEC4 ? AF_INET : AF_INET6;
	char a[INET6_ADDRSTRLEN];

	if (f->dst_family != family)
		return conf_fail(p, "interface %s: tunnel mode %s needs a tunnel destination, an %s "
			    "address", f->name, mode, family == AF_INET ? "IPv4" : "IPv6");
	if (!f->profile[0])
		return conf_fail(p, "interface %s: tunnel mode %s needs 'tunnel protection ipsec "
			    "profile NAME'", f->name, mode);
	for (const struct conf_iface *g = p->c->ifaces; g < f; g++)
		if (is_vti(g) && g->dst_family == family &&
		    !memcmp(g->dst, f->dst, (size_t)conf_addr_len(family)))
			return conf_fail(p, "interface %s: tunnel destination %s is %s's already",
				    f->name, inet_ntop(family, f->dst, a, sizeof(a)), g->name);
	return 0;
}

/* IOS's interface type by name: "Tunnel" and a number, any case (seed 003 has "tunnel23"). */
static bool is_tunnel_name(const char *name)
{
	if (strncasecmp(name, "tunnel", 6) || !name[6])
		return false;
	for (const char *s = name + 6; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

bool conf_iface_owned(const struct conf_iface *f)
{
	return is_tunnel_name(f->name) && f->mode == CONF_TUN_GRE &&
	       (f->src_name[0] || f->src_family);
}

/* A tunnel dmvpnd makes: a device name, an IPv4 source and destination, one of each name. */
static int check_owned(struct parser *p, const struct conf_iface *f)
{
	const char *dev = conf_ifname(p->c, f->name);

	if (!dev)
		return conf_fail(p, "interface %s: no Linux device can have that name; map it: "
			    "'linux interface %s NAME'", f->name, f->name);
	if (f->src_family && f->src_family != AF_INET)
		return conf_fail(p, "interface %s: tunnel source: the mGRE underlay is IPv4", f->name);
	if (f->dst_family && f->dst_family != AF_INET)
		return conf_fail(p, "interface %s: tunnel destination: the GRE underlay is IPv4",
			    f->name);
	if (!f->multipoint && !f->dst_family)
		return conf_fail(p, "interface %s: a GRE tunnel needs 'tunnel destination A.B.C.D' "
			    "or 'tunnel mode gre multipoint'", f->name);
	if (f->multipoint && f->dst_family)
		return conf_fail(p, "interface %s: tunnel destination on a multipoint tunnel "
			    "(NHRP gives the destinations)", f->name);
	for (const struct conf_iface *g = p->c->ifaces; g < f; g++)
		if (conf_iface_owned(g) && !strcmp(conf_ifname(p->c, g->name), dev))
			return conf_fail(p, "interface %s: device %s is interface %s's already",
				    f->name, dev, g->name);
	return 0;
}

/* The profile and the crypto map an interface names exist; a VTI is whole; NHRP too. */
static int iface_check(struct parser *p)
{
	for (int i = 0; i < p->c->nifaces; i++) {
		const struct conf_iface *f = &p->c->ifaces[i];

		p->line = f->line;
		if (conf_iface_owned(f) && check_owned(p, f))
			return -1;
		if (f->profile[0] && !conf_profile_get(p->c, f->profile))
			return conf_fail(p, "interface %s: no ipsec profile %s", f->name, f->profile);
		if (f->map[0] && !conf_map_exists(p->c, f->map))
			return conf_fail(p, "interface %s: no crypto map %s", f->name, f->map);
		if (is_vti(f) && check_vti(p, f))
			return -1;
		if (conf_nhrp_check(p, f))
			return -1;
	}
	return 0;
}

/* linux interface IOS-NAME DEVICE */
static int ifmap_line(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	struct conf_ifmap *m;

	if (n != 4)
		return conf_fail(p, "usage: linux interface IOS-NAME DEVICE");
	if (strlen(w[2]) >= CONF_NAME)
		return conf_fail(p, "linux interface: '%s' is longer than %d", w[2], CONF_NAME - 1);
	if (strlen(w[3]) >= IFNAMSIZ || strchr(w[3], '/') || !strcmp(w[3], ".") ||
	    !strcmp(w[3], ".."))
		return conf_fail(p, "linux interface: '%s' cannot be a Linux device name (at most "
			    "%d characters, no '/')", w[3], IFNAMSIZ - 1);
	for (int i = 0; i < c->nifmaps; i++)
		if (!strcmp(c->ifmaps[i].ios, w[2]))
			return conf_fail(p, "linux interface: %s is mapped already (line %d)", w[2],
				    c->ifmaps[i].line);
	m = conf_grow(p, c->ifmaps, c->nifmaps, sizeof(*c->ifmaps), false);
	if (!m)
		return -1;
	c->ifmaps = m;
	m = &c->ifmaps[c->nifmaps++];
	memset(m, 0, sizeof(*m));
	snprintf(m->ios, sizeof(m->ios), "%s", w[2]);
	snprintf(m->dev, sizeof(m->dev), "%s", w[3]);
	m->line = p->line;
	return 0;
}

const char *conf_ifname(const struct conf *c, const char *ios)
{
	for (int i = 0; i < c->nifmaps; i++)
		if (!strcmp(c->ifmaps[i].ios, ios))
			return c->ifmaps[i].dev;
	if (!*ios || strlen(ios) >= IFNAMSIZ || strchr(ios, '/') || !strcmp(ios, ".") ||
	    !strcmp(ios, ".."))
		return NULL;
	return ios;
}

static const struct conf_cmd iface_cmds[] = {
	{ { "interface" }, 2, iface_enter },
	{ { "linux", "interface" }, 2, ifmap_line },
	{ { NULL } },
};

static void iface_free(struct conf *c)
{
	free(c->ifmaps);
	for (int i = 0; i < c->nifaces; i++) {
		conf_nhrp_free(&c->ifaces[i].nhrp);
		conf_nhrp_free(&c->ifaces[i].nhrp6);
	}
	conf_free_secret(c->ifaces, c->nifaces, sizeof(*c->ifaces));
}

const struct conf_section conf_iface_section = {
	.cmds = iface_cmds,
	.check = iface_check,
	.free = iface_free,
};

const struct conf_iface *conf_vti_for(const struct conf *c, int family, const void *peer)
{
	for (int i = 0; i < c->nifaces; i++) {
		const struct conf_iface *f = &c->ifaces[i];

		if (is_vti(f) && f->dst_family == family &&
		    !memcmp(f->dst, peer, (size_t)conf_addr_len(family)))
			return f;
	}
	return NULL;
}
