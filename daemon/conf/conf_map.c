// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto maps (seed 000): "crypto map NAME SEQ ipsec-isakmp" entries with a
 * peer, transforms and an access list, and the extended access lists whose
 * permit lines are the traffic they protect; and the lookups the engine
 * makes of them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"

/* An access list by name, made if new: its index, or -1. */
static int acl_find(struct parser *p, const char *name)
{
	struct conf *c = p->c;
	struct conf_acl *a;
	int i;

	if (strlen(name) >= CONF_NAME)
		return conf_fail(p, "access list name longer than %d", CONF_NAME - 1);
	for (i = 0; i < c->nacls && strcmp(c->acls[i].name, name); i++)
		;
	if (i < c->nacls)
		return i;
	a = conf_grow(p, c->acls, c->nacls, sizeof(*c->acls), false);
	if (!a)
		return -1;
	c->acls = a;
	memset(&c->acls[i], 0, sizeof(c->acls[i]));
	snprintf(c->acls[i].name, CONF_NAME, "%s", name);
	c->acls[i].line = p->line;
	c->nacls++;
	return i;
}

static int acl_proto(struct parser *p, const char *s, uint8_t *proto)
{
	static const struct { const char *n; uint8_t v; } names[] = {
		{ "ip", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
		{ "esp", 50 },
	};
	uint32_t v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].n)) {
			*proto = names[i].v;
			return 0;
		}
	if (!conf_is_number(s))
		return conf_fail(p, "protocol '%s' is not ip, gre, tcp, udp, icmp, esp or a number "
			    "0-255", s);
	if (conf_num(p, s, 0, 255, &v))
		return -1;
	*proto = (uint8_t)v;
	return 0;
}

/* "any", "host A.B.C.D" or "A.B.C.D WILDCARD" at w[*i]. */
static int acl_addr(struct parser *p, char **w, int n, int *i, struct p2_ts *ts)
{
	uint8_t m[4];
	int plen;

	ts->family = AF_INET;
	if (*i >= n)
		return conf_fail(p, "usage: permit PROTOCOL SOURCE [eq PORT] DESTINATION [eq PORT]");
	if (!strcmp(w[*i], "any")) {
		*i += 1;
		return 0;
	}
	if (!strcmp(w[*i], "host")) {
		if (*i + 1 >= n || inet_pton(AF_INET, w[*i + 1], ts->addr) != 1)
			return conf_fail(p, "usage: host A.B.C.D");
		ts->plen = 32;
		*i += 2;
		return 0;
	}
	if (inet_pton(AF_INET, w[*i], ts->addr) != 1)
		return conf_fail(p, "'%s' is not an IPv4 address, 'host A.B.C.D' or 'any'", w[*i]);
	if (*i + 1 >= n)
		return conf_fail(p, "%s needs a wildcard mask (0.0.0.255 for a /24)", w[*i]);
	if (inet_pton(AF_INET, w[*i + 1], m) != 1)
		return conf_fail(p, "'%s' is not a wildcard mask", w[*i + 1]);
	for (int k = 0; k < 4; k++)
		m[k] = (uint8_t)~m[k];
	if (!conf_mask_ok(m, &plen))
		return conf_fail(p, "wildcard mask %s is not contiguous: a crypto access list takes "
			    "prefixes (like 0.0.0.255) only", w[*i + 1]);
	ts->plen = (uint8_t)plen;
	conf_prefix_clear(ts->addr, plen, 4);	/* IOS masks the host bits silently */
	*i += 2;
	return 0;
}

/* An optional "eq PORT" at w[*i], for tcp and udp. */
static int acl_port(struct parser *p, char **w, int n, int *i, struct p2_ts *ts)
{
	static const struct { const char *n; uint16_t v; } names[] = {
		{ "www", 80 }, { "http", 80 }, { "https", 443 }, { "domain", 53 },
		{ "isakmp", 500 }, { "non500-isakmp", 4500 }, { "ssh", 22 }, { "telnet", 23 },
	};
	static const char *const ops[] = { "gt", "lt", "neq", "range", NULL };
	uint32_t v;

	if (*i >= n)
		return 0;
	if (conf_word_in(w[*i], ops))
		return conf_fail(p, "'%s': only 'eq PORT' is supported in a crypto access list", w[*i]);
	if (strcmp(w[*i], "eq"))
		return 0;
	if (ts->proto != 6 && ts->proto != 17)
		return conf_fail(p, "'eq PORT' is for tcp and udp only");
	if (*i + 1 >= n)
		return conf_fail(p, "usage: eq PORT");
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (!strcmp(w[*i + 1], names[k].n)) {
			ts->port = names[k].v;
			*i += 2;
			return 0;
		}
	if (!conf_is_number(w[*i + 1]))
		return conf_fail(p, "port '%s' is not a number or www, http, https, domain, isakmp, "
			    "non500-isakmp, ssh, telnet", w[*i + 1]);
	if (conf_num(p, w[*i + 1], 1, 65535, &v))
		return -1;
	ts->port = (uint16_t)v;
	*i += 2;
	return 0;
}

/* "permit PROTOCOL SRC [eq P] DST [eq P]" into *l: 0; 1 for a remark; -1. */
static int acl_parse(struct parser *p, const struct conf_acl *a, char **w, int n,
		     struct conf_acl_line *l)
{
	int i = 2;

	if (!strcmp(w[0], "remark"))
		return 1;
	if (!strcmp(w[0], "deny"))
		return conf_fail(p, "access list %s: deny lines are not supported: a crypto access list "
			    "takes only permit lines here (IOS's deny sends the traffic in clear)",
			    a->name);
	if (strcmp(w[0], "permit"))
		return conf_fail(p, "access list %s: '%s' is not permit or remark", a->name, w[0]);
	if (n < 4)
		return conf_fail(p, "usage: permit PROTOCOL SOURCE [eq PORT] DESTINATION [eq PORT]");
	memset(l, 0, sizeof(*l));
	if (acl_proto(p, w[1], &l->src.proto))
		return -1;
	l->dst.proto = l->src.proto;
	if (acl_addr(p, w, n, &i, &l->src) || acl_port(p, w, n, &i, &l->src) ||
	    acl_addr(p, w, n, &i, &l->dst) || acl_port(p, w, n, &i, &l->dst))
		return -1;
	if (i < n)
		return conf_fail(p, "'%s' is not supported in a crypto access list", w[i]);
	return 0;
}

/*
 * A permit line joins the list.  A line no crypto map could use is
 * remembered, not refused (check_map says it if a map matches the list).
 */
static int acl_entry(struct parser *p, struct conf_acl *a, char **w, int n)
{
	struct conf_acl_line l, *room;
	int r = acl_parse(p, a, w, n, &l);

	if (r > 0)
		return 0;
	if (r < 0) {
		if (!a->bad[0])
			snprintf(a->bad, sizeof(a->bad), "%s", p->err);
		p->err[0] = 0;
		return 0;
	}
	room = conf_grow(p, a->l, a->n, sizeof(*a->l), false);
	if (!room)
		return -1;
	a->l = room;
	a->l[a->n++] = l;
	return 0;
}

static const char *const acl_words[] = { "permit", "deny", "remark", NULL };

/* access-list N permit|remark ...: the extended numbers; others are not ours. */
static int acl_numbered(struct parser *p, char **w, int n)
{
	unsigned long v;
	int i;

	if (n < 3 || !conf_is_number(w[1]) || strlen(w[1]) > 4)
		return conf_fail(p, "usage: access-list NUMBER permit|deny|remark ...");
	v = strtoul(w[1], NULL, 10);
	if (!((v >= 100 && v <= 199) || (v >= 2000 && v <= 2699)))
		return conf_ignore(p, "access-list (not an extended IP list: not for crypto maps)");
	if (!strcmp(w[2], "remark"))
		return 0;
	i = acl_find(p, w[1]);
	if (i < 0)
		return -1;
	return acl_entry(p, &p->c->acls[i], w + 2, n - 2);
}

/* Inside "ip access-list extended NAME": [SEQ] permit|remark ... */
static int acl_sub(struct parser *p, char **w, int n)
{
	if (conf_is_number(w[0])) {
		if (n < 2)
			return conf_fail(p, "usage: [SEQUENCE] permit|remark ...");
		w++;
		n--;
	}
	return acl_entry(p, &p->c->acls[p->cur], w, n);
}

static bool acl_is_sub(char **w, int n)
{
	return conf_word_in(w[0], acl_words) || conf_is_number(w[0]);
}

static const struct conf_mode acl_mode = {
	.name = "access list", .is_sub = acl_is_sub, .line = acl_sub, .known = conf_known_acl,
};

/* ip access-list extended NAME: enter it; standard lists are not ours (conf_known.c). */
static int acl_named(struct parser *p, char **w, int n)
{
	int i;

	if (n < 3 || strcmp(w[2], "extended"))
		return 1;
	if (n != 4)
		return conf_fail(p, "usage: ip access-list extended NAME");
	i = acl_find(p, w[3]);
	if (i < 0)
		return -1;
	p->mode = &acl_mode;
	p->cur = i;
	return 0;
}

static int map_cmp(const struct conf_map *m, const char *name, int seq)
{
	int r = strcmp(m->name, name);

	return r ? r : (m->seq > seq) - (m->seq < seq);
}

/* A new entry at its place in the (name, sequence) order: its index, or -1. */
static int map_add(struct parser *p, const char *name, int seq)
{
	struct conf *c = p->c;
	struct conf_map *m;
	int i;

	m = conf_grow(p, c->maps, c->nmaps, sizeof(*c->maps), false);
	if (!m)
		return -1;
	c->maps = m;
	for (i = 0; i < c->nmaps && map_cmp(&c->maps[i], name, seq) < 0; i++)
		;
	memmove(&c->maps[i + 1], &c->maps[i], (size_t)(c->nmaps - i) * sizeof(c->maps[0]));
	c->nmaps++;
	m = &c->maps[i];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, CONF_NAME, "%s", name);
	m->seq = seq;
	m->line = p->line;
	snprintf(m->p.name, CONF_NAME, "%s %d", name, seq);
	m->p.line = p->line;
	return i;
}

/* Inside "crypto map NAME SEQ ipsec-isakmp". */
static int map_sub(struct parser *p, char **w, int n)
{
	struct conf_map *m = &p->c->maps[p->cur];
	uint8_t a[16];
	int family, r;

	if (n >= 2 && !strcmp(w[0], "set") && !strcmp(w[1], "peer")) {
		if (n != 3)
			return conf_fail(p, "usage: set peer A.B.C.D | X:X::X");
		family = conf_parse_addr(w[2], a);
		if (!family)
			return conf_fail(p, "set peer: '%s' is not an IPv4 or IPv6 address", w[2]);
		if (m->family && (m->family != family || memcmp(m->peer, a, 16)))
			return conf_fail(p, "crypto map %s %d has a peer already: backup peers are not "
				    "supported", m->name, m->seq);
		m->family = family;
		memcpy(m->peer, a, sizeof(m->peer));
		return 0;
	}
	if (n >= 2 && !strcmp(w[0], "match") && !strcmp(w[1], "address")) {
		if (n != 3 || strlen(w[2]) >= CONF_NAME)
			return conf_fail(p, "usage: match address ACCESS-LIST");
		snprintf(m->acl, CONF_NAME, "%s", w[2]);
		return 0;
	}
	if (!strcmp(w[0], "description"))
		return 0;
	r = conf_profile_set(p, &m->p, w, n);
	return r > 0 ? conf_unknown(p, p->mode) : r;
}

static bool map_is_sub(char **w, int n)
{
	return !strcmp(w[0], "set") || !strcmp(w[0], "match") || !strcmp(w[0], "description");
}

static const struct conf_mode map_mode = {
	.name = "crypto map", .is_sub = map_is_sub, .line = map_sub, .known = conf_known_map,
};

/*
 * crypto map NAME SEQ [ipsec-isakmp]: enter the entry.
 * crypto map NAME local-address IFACE: the address is the kernel's choice.
 */
static int map_line(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	char pname[2 * CONF_NAME];
	uint32_t seq;
	int i;

	if (n == 5 && !strcmp(w[3], "local-address"))
		return conf_ignore(p, "crypto map local-address");
	if (n < 4)
		return conf_fail(p, "usage: crypto map NAME SEQ ipsec-isakmp");
	if (!conf_is_number(w[3]))
		return conf_fail(p, "crypto map %s %s is not supported (only 'crypto map NAME SEQ "
			    "ipsec-isakmp' and 'crypto map NAME local-address IFACE')", w[2], w[3]);
	if (conf_num(p, w[3], 1, 65535, &seq))
		return -1;
	if (n >= 5 && !strcmp(w[4], "ipsec-manual"))
		return conf_fail(p, "ipsec-manual crypto maps (keys set by hand) are not supported: "
			    "use ipsec-isakmp");
	if (n >= 6 && !strcmp(w[4], "ipsec-isakmp") && !strcmp(w[5], "dynamic"))
		return conf_fail(p, "dynamic crypto maps are not supported: give each peer an entry "
			    "with 'set peer'");
	if (n >= 5 && strcmp(w[4], "ipsec-isakmp"))
		return conf_fail(p, "crypto map type '%s' is not supported (only ipsec-isakmp)", w[4]);
	if (n > 5)
		return conf_fail(p, "usage: crypto map NAME SEQ ipsec-isakmp");
	snprintf(pname, sizeof(pname), "%s %u", w[2], seq);
	if (strlen(pname) >= CONF_NAME)
		return conf_fail(p, "crypto map name and sequence longer than %d together",
			    CONF_NAME - 2);
	for (i = 0; i < c->nmaps && map_cmp(&c->maps[i], w[2], (int)seq); i++)
		;
	if (i == c->nmaps)
		i = map_add(p, w[2], (int)seq);
	if (i < 0)
		return -1;
	p->mode = &map_mode;
	p->cur = i;
	return 0;
}


const struct conf_map *conf_map_get(const struct conf *c, const char *name, int seq)
{
	for (int i = 0; i < c->nmaps; i++)
		if (!map_cmp(&c->maps[i], name, seq))
			return &c->maps[i];
	return NULL;
}

bool conf_map_exists(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nmaps; i++)
		if (!strcmp(c->maps[i].name, name))
			return true;
	return false;
}

static int check_map(struct parser *p, const struct conf_map *m)
{
	const struct conf_acl *a = conf_acl_get(p->c, m->acl);

	p->line = m->line;
	if (!m->family)
		return conf_fail(p, "crypto map %s %d has no 'set peer'", m->name, m->seq);
	if (!m->acl[0])
		return conf_fail(p, "crypto map %s %d has no 'match address'", m->name, m->seq);
	if (!a)
		return conf_fail(p, "crypto map %s %d: no extended access list %s", m->name, m->seq,
			    m->acl);
	if (a->bad[0]) {	/* already "FILE:LINE: reason" */
		snprintf(p->err, p->errlen, "%s (in access list %s, matched by crypto map %s %d)",
			 a->bad, m->acl, m->name, m->seq);
		return -1;
	}
	if (!a->n)
		return conf_fail(p, "crypto map %s %d: access list %s has no permit line", m->name,
			    m->seq, m->acl);
	if (!m->p.ntsets)
		return conf_fail(p, "crypto map %s %d has no 'set transform-set'", m->name, m->seq);
	for (int j = 0; j < m->p.ntsets; j++)
		if (!conf_tset_get(p->c, m->p.tsets[j]))
			return conf_fail(p, "crypto map %s %d: no transform-set %s", m->name, m->seq,
				    m->p.tsets[j]);
	return 0;
}

static bool acl_matched(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nmaps; i++)
		if (!strcmp(c->maps[i].acl, name))
			return true;
	return false;
}

/*
 * Each crypto map entry: a peer, an access list it can use, transform
 * sets that exist.  An access list no entry matches is a router's filter,
 * not checked and not applied: said once, at its first line.
 */
static int map_check(struct parser *p)
{
	for (int i = 0; i < p->c->nmaps; i++)
		if (check_map(p, &p->c->maps[i]))
			return -1;
	for (int i = 0; i < p->c->nacls; i++) {
		const struct conf_acl *a = &p->c->acls[i];

		p->line = a->line;
		if (!acl_matched(p->c, a->name) &&
		    conf_warn(p, "ignored: access-list %s (no crypto map matches it: a router's "
			      "filter is the system's)", a->name))
			return -1;
	}
	return 0;
}

static int dynamic_map(struct parser *p, char **w, int n)
{
	return conf_fail(p, "dynamic crypto maps are not supported: give each peer a crypto map "
			 "entry with 'set peer'");
}

static const struct conf_cmd map_cmds[] = {
	{ { "crypto", "map" }, 2, map_line },
	{ { "crypto", "dynamic-map" }, 2, dynamic_map },
	{ { "access-list" }, 1, acl_numbered },
	{ { "ip", "access-list" }, 2, acl_named },
	{ { NULL } },
};

static void map_free(struct conf *c)
{
	for (int i = 0; i < c->nacls; i++)
		free(c->acls[i].l);
	free(c->acls);
	free(c->maps);
}

const struct conf_section conf_map_section = {
	.cmds = map_cmds,
	.check = map_check,
	.free = map_free,
};

const struct conf_acl *conf_acl_get(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nacls; i++)
		if (!strcmp(c->acls[i].name, name))
			return &c->acls[i];
	return NULL;
}

static bool map_applied(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nifaces; i++)
		if (!strcmp(c->ifaces[i].map, name))
			return true;
	return false;
}

static bool acl_covers(const struct conf_acl *a, const struct p2_ts *local,
		       const struct p2_ts *remote)
{
	for (int i = 0; a && i < a->n; i++)
		if (p2_ts_within(local, &a->l[i].src) && p2_ts_within(remote, &a->l[i].dst))
			return true;
	return false;
}

const struct conf_map *conf_map_for(const struct conf *c, int family, const void *peer,
				    const struct p2_ts *local, const struct p2_ts *remote)
{
	for (int i = 0; i < c->nmaps; i++) {
		const struct conf_map *m = &c->maps[i];

		if (m->family == family && !memcmp(m->peer, peer, (size_t)conf_addr_len(family)) &&
		    map_applied(c, m->name) && acl_covers(conf_acl_get(c, m->acl), local, remote))
			return m;
	}
	return NULL;
}
