// SPDX-License-Identifier: GPL-2.0
/*
 * "interface X" blocks: what the keying daemon reads in them (tunnel
 * protection, tunnel mode, tunnel destination, crypto map NAME), the
 * checks of them, and the VTI for a peer.  Addresses, NHRP and the rest
 * of an interface are not the keying daemon's.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"

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

/* Inside "interface X": what the keying daemon needs; addresses, NHRP are not its. */
static int iface_sub(struct parser *p, char **w, int n)
{
	struct conf_iface *f = &p->c->ifaces[p->cur];

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
	       (!strcmp(w[0], "no") && n > 1 && (!strcmp(w[1], "ip") || !strcmp(w[1], "shutdown")));
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
		struct conf_iface *f = conf_grow(p, c->ifaces, c->nifaces, sizeof(*c->ifaces), false);

		if (!f)
			return -1;
		c->ifaces = f;
		memset(&c->ifaces[i], 0, sizeof(c->ifaces[i]));
		snprintf(c->ifaces[i].name, IFNAMSIZ, "%s", name);
		c->ifaces[i].line = p->line;
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

/* The profile and the crypto map an interface names exist; a VTI is whole. */
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
	}
	return 0;
}

static const struct conf_cmd iface_cmds[] = {
	{ { "interface" }, 2, iface_enter },
	{ { NULL } },
};

static void iface_free(struct conf *c)
{
	free(c->ifaces);
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
