// SPDX-License-Identifier: GPL-2.0
/*
 * The checks no one section can make, once the file is read: what needs
 * IKE has an ISAKMP policy; every peer dmvpnd would negotiate with has a
 * pre-shared key (a crypto map's set peer, a VTI's tunnel destination, a
 * protected GRE tunnel's destination, its NHSs' NBMA addresses and static
 * ip nhrp maps); two mGRE tunnels do not share a tunnel source and key.
 * A configuration that cannot work is refused here, at load, rather than
 * failing at the first negotiation with a log line nobody reads.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "conf/conf_parse.h"

static bool is_vti(const struct conf_iface *f)
{
	return f->mode == CONF_TUN_IPSEC4 || f->mode == CONF_TUN_IPSEC6;
}

static bool map_applied(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nifaces; i++)
		if (!strcmp(c->ifaces[i].map, name))
			return true;
	return false;
}

/* The first thing that needs IKE, said into what (0 if nothing does). */
static int needs_ike(const struct conf *c, char *what, size_t len)
{
	for (int i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].profile[0]) {
			snprintf(what, len, "interface %s: tunnel protection", c->ifaces[i].name);
			return c->ifaces[i].line;
		}
	for (int i = 0; i < c->nmaps; i++)
		if (map_applied(c, c->maps[i].name)) {
			snprintf(what, len, "crypto map %s %d", c->maps[i].name, c->maps[i].seq);
			return c->maps[i].line;
		}
	return 0;
}

static int no_key(struct parser *p, int line, const char *what, int family, const void *addr)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, a, sizeof(a));
	p->line = line;
	return conf_fail(p, "%s: no pre-shared key for peer %s: add 'crypto isakmp key KEY "
			 "address %s%s'", what, a, family == AF_INET6 ? "ipv6 " : "", a);
}

static int key_for(struct parser *p, int line, const char *what, int family, const void *addr)
{
	if (conf_psk(p->c, family, addr))
		return 0;
	return no_key(p, line, what, family, addr);
}

/* One family's NHSs' NBMA addresses, static maps and multicast destinations. */
static int nhrp_keys(struct parser *p, const struct nhrp_params *np, int first, const char *what)
{
	for (int i = 0; i < np->nnhs; i++)
		if (np->nhs[i].nbma.len &&
		    key_for(p, np->nhs[i].line, what, AF_INET, np->nhs[i].nbma.a))
			return -1;
	for (int i = 0; i < np->nmaps; i++)
		if (key_for(p, np->maps[i].line, what, AF_INET, np->maps[i].nbma.a))
			return -1;
	/* multicast goes there protected too (the lines are not kept: the first NHRP one) */
	for (int i = 0; i < np->nmcast; i++)
		if (key_for(p, first, what, AF_INET, np->mcast[i].a))
			return -1;
	return 0;
}

/* A protected GRE tunnel: its destination, its NHSs' NBMA addresses, its static maps. */
static int gre_keys(struct parser *p, const struct conf_iface *f)
{
	char what[CONF_NAME + 64];

	snprintf(what, sizeof(what), "interface %s", f->name);
	if (f->dst_family && key_for(p, f->line, what, f->dst_family, f->dst))
		return -1;
	return nhrp_keys(p, &f->nhrp, f->nhrp_line, what) ?:
	       nhrp_keys(p, &f->nhrp6, f->nhrp6_line, what);
}

static bool same_source(const struct conf_iface *a, const struct conf_iface *b)
{
	if (a->src_name[0] || b->src_name[0])
		return !strcmp(a->src_name, b->src_name);
	return a->src_family && a->src_family == b->src_family && !memcmp(a->src, b->src, 16);
}

/* Two mGRE tunnels with one source and one key: GRE cannot tell their packets apart. */
static int shared_source(struct parser *p, const struct conf_iface *f)
{
	char key[16] = "no tunnel key";

	if (!f->multipoint || f->mode != CONF_TUN_GRE)
		return 0;
	if (f->has_key)
		snprintf(key, sizeof(key), "tunnel key %u", f->key);
	for (const struct conf_iface *g = p->c->ifaces; g < f; g++)
		if (g->multipoint && g->mode == CONF_TUN_GRE && same_source(f, g) &&
		    f->has_key == g->has_key && f->key == g->key) {
			p->line = f->line;
			return conf_warn(p, "interface %s: the same tunnel source and %s as "
					 "interface %s (line %d): IOS refuses this, GRE cannot tell "
					 "the two tunnels' packets apart", f->name, key, g->name,
					 g->line);
		}
	return 0;
}

static int cross_check(struct parser *p)
{
	struct conf *c = p->c;
	char what[2 * CONF_NAME + 64];
	int line = needs_ike(c, what, sizeof(what));

	if (line && !c->npol) {
		p->line = line;
		return conf_fail(p, "%s needs IKE, but there is no 'crypto isakmp policy' (add one "
				 "with 'authentication pre-share')", what);
	}
	for (int i = 0; i < c->nmaps; i++) {
		const struct conf_map *m = &c->maps[i];

		snprintf(what, sizeof(what), "crypto map %s %d", m->name, m->seq);
		if (map_applied(c, m->name) && key_for(p, m->line, what, m->family, m->peer))
			return -1;
	}
	for (int i = 0; i < c->nifaces; i++) {
		const struct conf_iface *f = &c->ifaces[i];

		snprintf(what, sizeof(what), "interface %s", f->name);
		if (is_vti(f) && key_for(p, f->line, what, f->dst_family, f->dst))
			return -1;
		if (!is_vti(f) && f->profile[0] && gre_keys(p, f))
			return -1;
		if (shared_source(p, f))
			return -1;
	}
	return 0;
}

static const struct conf_cmd no_cmds[] = { { { NULL } } };

const struct conf_section conf_check_section = {
	.cmds = no_cmds,
	.check = cross_check,
};
