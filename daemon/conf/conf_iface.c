// SPDX-License-Identifier: GPL-2.0
/*
 * "interface X" blocks: what the keying daemon reads in them (tunnel
 * protection, tunnel mode, tunnel destination, crypto map NAME), the
 * interface's addresses (ip address, ipv6 address) and its NHRP lines
 * (conf_nhrp.c), the checks of them, and the VTI for a peer.  The rest of
 * an interface (mtu, tunnel source, key, ...) is the tunnel's own.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"
#include "lib/wipe.h"

/* tunnel mode gre multipoint | gre ip | ipsec ipv4 | ipsec ipv6 */
static int tunnel_mode(struct parser *p, struct conf_iface *f, char **w, int n)
{
	if (n == 4 && !strcmp(w[2], "gre") &&
	    (!strcmp(w[3], "multipoint") || !strcmp(w[3], "ip")))
		f->mode = CONF_TUN_GRE;
	else if (n == 4 && !strcmp(w[2], "ipsec") && !strcmp(w[3], "ipv4"))
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
		       !strcmp(w[2], "pool")))
		return 0;
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
	if (secondary)
		return 0;	/* a secondary, or its "no": left out */
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
	if (!strcmp(w[2], "autoconfig") || !strcmp(w[2], "dhcp") ||
	    (n == 4 && (!strcmp(w[3], "link-local") || !strcmp(w[3], "anycast"))))
		return 0;
	slash = strchr(w[2], '/');
	if (!slash && n == 4)
		return 0;	/* ipv6 address PREFIX-NAME X:X::X/LEN: a general prefix's */
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
		return 0;	/* ip mtu, ip tcp adjust-mss, ...: not ours */
	}

	if (n >= 2 && !strcmp(w[0], "crypto") && !strcmp(w[1], "map")) {
		if (n != 3 || strlen(w[2]) >= CONF_NAME)
			return conf_fail(p, "usage: crypto map NAME");
		snprintf(f->map, CONF_NAME, "%s", w[2]);
		return 0;
	}
	if (n < 2 || strcmp(w[0], "tunnel"))
		return 0;
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
	return 0;	/* tunnel source, key, ...: the tunnel's own */
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
	       (!strcmp(w[0], "no") && n > 1 && (!strcmp(w[1], "ip") || !strcmp(w[1], "shutdown"))) ||
	       (!strcmp(w[0], "no") && n > 2 && !strcmp(w[1], "ipv6") &&
		conf_word_in(w[2], iface_ipv6));
}

static const struct conf_mode iface_mode = { iface_is_sub, iface_sub };

/* interface NAME: new, or entered again */
static int iface_enter(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	const char *name = w[1];
	int i;

	if (n != 2)
		return 0;	/* not a plain "interface NAME": not ours */
	if (strlen(name) >= IFNAMSIZ)
		return conf_fail(p, "interface name longer than %d", IFNAMSIZ - 1);
	for (i = 0; i < c->nifaces && strcmp(c->ifaces[i].name, name); i++)
		;
	if (i == c->nifaces) {
		/* secret: an interface holds its NHRP password */
		struct conf_iface *f = conf_grow(p, c->ifaces, c->nifaces, sizeof(*c->ifaces), true);

		if (!f)
			return -1;
		c->ifaces = f;
		memset(&c->ifaces[i], 0, sizeof(c->ifaces[i]));
		snprintf(c->ifaces[i].name, IFNAMSIZ, "%s", name);
		c->ifaces[i].line = p->line;
		conf_nhrp_init(&c->ifaces[i].nhrp);
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

/* The profile and the crypto map an interface names exist; a VTI is whole; NHRP too. */
static int iface_check(struct parser *p)
{
	for (int i = 0; i < p->c->nifaces; i++) {
		const struct conf_iface *f = &p->c->ifaces[i];

		p->line = f->line;
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

static const struct conf_cmd iface_cmds[] = {
	{ { "interface" }, 2, iface_enter },
	{ { NULL } },
};

static void iface_free(struct conf *c)
{
	for (int i = 0; i < c->nifaces; i++)
		conf_nhrp_free(&c->ifaces[i].nhrp);
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
