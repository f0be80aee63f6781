// SPDX-License-Identifier: GPL-2.0
/*
 * An interface's NHRP settings: the "ip nhrp ..." lines of an interface
 * block into its struct nhrp_params (f->nhrp), the "ipv6 nhrp ..." lines,
 * NHRP for the IPv6 overlay with settings of its own as IOS keeps them,
 * into another (f->nhrp6), and the checks of them once the file is read.
 * NBMA addresses are IPv4 (the mgre device's underlay) for both.
 *
 *   ip nhrp network-id N                    1..4294967295: NHRP runs here
 *   ip nhrp holdtime N                      1..65535, 7200
 *   ip nhrp authentication STRING           at most 8 characters
 *   ip nhrp map PROTO NBMA                  a static mapping (again: the NBMA replaced)
 *   ip nhrp map multicast NBMA | dynamic
 *   ip nhrp nhs PROTO [nbma NBMA] [multicast] [priority 0-255] [cluster 0-10]
 *                                           (again: that NHS updated)
 *   ip nhrp redirect [timeout N]            (the timeout is not ours)
 *   ip nhrp shortcut
 *   ip nhrp registration no-unique | timeout N (1..65535)
 *   ip nhrp max-send N every M              N 1..65535, M 10..65535
 * and their "no" forms, which give the default back or remove the entry.
 * "ipv6 nhrp" takes the same words with IPv6 protocol addresses (a map's
 * as IOS writes it, X:X::X/LEN: the length kept for show running-config).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"
#include "lib/wipe.h"

/*
 * What IOS has after "ip nhrp" and dmvpnd does not do: accepted with a
 * warning, nothing done (a router's config pasted as it is must load).
 * A word after "ip nhrp" that is neither these nor ours is refused.  "ip
 * nhrp nhs fallback N" and "ip nhrp nhs cluster N max-connections M" are
 * taken in nhs().
 */
static const char *const ignored[] = {
	"attribute",		/* ip nhrp attribute set ... */
	"cache",		/* ip nhrp cache non-authoritative */
	"event-publisher",	/* ip nhrp event-publisher max-event-timeout N */
	"group",		/* ip nhrp group NAME (QoS per spoke group) */
	"interest",		/* ip nhrp interest ACL */
	"path-preference",	/* ip nhrp path-preference N */
	"record",		/* ip nhrp record (the record extensions: always sent) */
	"responder",		/* ip nhrp responder IFACE */
	"route-watch",		/* ip nhrp route-watch */
	"server-only",		/* ip nhrp server-only [non-caching] */
	"summary-map",		/* ip nhrp summary-map PREFIX */
	"trigger-svc",		/* ip nhrp trigger-svc N M */
	"use",			/* ip nhrp use N */
	NULL,
};

static const char *fam_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

static const char *cmd(int family)
{
	return family == AF_INET ? "ip nhrp" : "ipv6 nhrp";
}

static void addr_set(struct nhrp_addr *a, const uint8_t *bytes, int len)
{
	memset(a, 0, sizeof(*a));
	a->len = (uint8_t)len;
	memcpy(a->a, bytes, (size_t)len);
}

static bool addr_eq(const struct nhrp_addr *a, const struct nhrp_addr *b)
{
	return a->len == b->len && !memcmp(a->a, b->a, a->len);
}

static const char *addr_str(const struct nhrp_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/*
 * A protocol address of family (IPv6: X:X::X or X:X::X/LEN, as IOS writes
 * maps); *plen the LEN given (0 if none) when plen is not NULL.
 */
static int proto_addr(struct parser *p, int family, const char *s, struct nhrp_addr *out,
		      uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	uint8_t b[16];
	char *slash;

	if (plen)
		*plen = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	slash = family == AF_INET6 ? strchr(buf, '/') : NULL;
	if (slash) {
		uint32_t len;

		*slash = 0;
		if (!plen || !conf_is_number(slash + 1) || conf_num(p, slash + 1, 1, 128, &len))
			return conf_fail(p, "'%s' is not an IPv6 address%s", s,
					 plen ? " (X:X::X/LEN, LEN 1..128)" : "");
		*plen = (uint8_t)len;
	}
	if (strlen(s) >= sizeof(buf) - 1 || inet_pton(family, buf, b) != 1)
		return conf_fail(p, "'%s' is not an %s address", s, fam_name(family));
	addr_set(out, b, conf_addr_len(family));
	return 0;
}

static int nbma_addr(struct parser *p, const char *s, struct nhrp_addr *out)
{
	uint8_t b[4];

	uint8_t b6[16];

	if (inet_pton(AF_INET6, s, b6) == 1)
		return conf_fail(p, "NBMA address '%s': IPv6 NBMA (underlay) addresses are not "
				 "supported yet, the mgre device's underlay is IPv4", s);
	if (inet_pton(AF_INET, s, b) != 1)
		return conf_fail(p, "NBMA address '%s' is not an IPv4 address", s);
	addr_set(out, b, 4);
	return 0;
}

void conf_nhrp_init(struct nhrp_params *np)
{
	memset(np, 0, sizeof(*np));
	np->holdtime = NHRP_HOLDTIME_DEFAULT;
	np->max_send = NHRP_MAX_SEND_DEFAULT;
	np->max_send_every = NHRP_MAX_SEND_EVERY;
}

void conf_nhrp_free(struct nhrp_params *np)
{
	free(np->maps);
	free(np->mcast);
	free(np->nhs);
	np->maps = NULL;
	np->mcast = NULL;
	np->nhs = NULL;
	np->nmaps = np->nmcast = np->nnhs = 0;
}

/* ip nhrp network-id N: one NHRP instance per interface, ip and ipv6 alike: the last line's */
static int network_id(struct parser *p, struct nhrp_params *np, bool neg, int family,
		      char **w, int n)
{
	uint32_t v;

	if (neg) {
		np->enabled = false;
		np->network_id = 0;
		return 0;
	}
	if (n != 2)
		return conf_fail(p, "usage: %s network-id N", cmd(family));
	if (conf_num(p, w[1], 1, 4294967295UL, &v))
		return -1;
	np->enabled = true;
	np->network_id = v;
	return 0;
}

static int holdtime(struct parser *p, struct nhrp_params *np, bool neg, int family,
		    char **w, int n)
{
	uint32_t v;

	if (neg) {
		np->holdtime = NHRP_HOLDTIME_DEFAULT;
		return 0;
	}
	if (n != 2)
		return conf_fail(p, "usage: %s holdtime SECONDS", cmd(family));
	if (conf_num(p, w[1], 1, 65535, &v))
		return -1;
	np->holdtime = (uint16_t)v;
	return 0;
}

static int authentication(struct parser *p, struct nhrp_params *np, bool neg, int family,
			  char **w, int n)
{
	size_t len;

	if (neg) {
		wipe(np->auth, sizeof(np->auth));
		np->auth_len = 0;
		return 0;
	}
	if (n != 2)
		return conf_fail(p, "usage: %s authentication STRING", cmd(family));
	len = strlen(w[1]);
	if (len > NHRP_AUTH_MAX)
		return conf_fail(p, "%s authentication: at most %d characters", cmd(family),
				 NHRP_AUTH_MAX);
	wipe(np->auth, sizeof(np->auth));
	memcpy(np->auth, w[1], len);
	np->auth_len = (uint8_t)len;
	return 0;
}

static int mcast_find(const struct nhrp_params *np, const struct nhrp_addr *a)
{
	for (int i = 0; i < np->nmcast; i++)
		if (addr_eq(&np->mcast[i], a))
			return i;
	return -1;
}

/* A multicast destination, once. */
static int mcast_add(struct parser *p, struct nhrp_params *np, const struct nhrp_addr *a)
{
	struct nhrp_addr *m;

	if (mcast_find(np, a) >= 0)
		return 0;
	m = conf_grow(p, np->mcast, np->nmcast, sizeof(*np->mcast), false);
	if (!m)
		return -1;
	np->mcast = m;
	np->mcast[np->nmcast++] = *a;
	return 0;
}

static int map_find(const struct nhrp_params *np, const struct nhrp_addr *proto)
{
	for (int i = 0; i < np->nmaps; i++)
		if (addr_eq(&np->maps[i].proto, proto))
			return i;
	return -1;
}

/* ip nhrp map PROTO NBMA | map multicast NBMA | map multicast dynamic */
static int map(struct parser *p, struct nhrp_params *np, bool neg, int family, char **w, int n)
{
	struct nhrp_addr proto, nbma = { 0 };
	uint8_t plen;
	int i;

	if (n >= 2 && !strcmp(w[1], "group"))	/* ... service-policy ...: QoS, not ours */
		return conf_ignore(p, family == AF_INET ? "ip nhrp map group" :
				      "ipv6 nhrp map group");
	if (n >= 2 && !strcmp(w[1], "multicast")) {
		if (n != 3)
			return conf_fail(p, "usage: %s map multicast NBMA | dynamic", cmd(family));
		if (!strcmp(w[2], "dynamic")) {
			np->mcast_dynamic = !neg;
			return 0;
		}
		if (nbma_addr(p, w[2], &nbma))
			return -1;
		if (!neg)
			return mcast_add(p, np, &nbma);
		i = mcast_find(np, &nbma);
		if (i >= 0)
			memmove(&np->mcast[i], &np->mcast[i + 1],
				(size_t)(np->nmcast - i - 1) * sizeof(*np->mcast));
		np->nmcast -= i >= 0;
		return 0;
	}
	if (n != 3 && !(neg && n == 2))
		return conf_fail(p, "usage: %s map %s NBMA", cmd(family),
				 family == AF_INET ? "A.B.C.D" : "X:X::X/LEN");
	if (proto_addr(p, family, w[1], &proto, &plen) || (n == 3 && nbma_addr(p, w[2], &nbma)))
		return -1;
	i = map_find(np, &proto);
	if (neg) {
		if (i >= 0 && (n == 2 || addr_eq(&np->maps[i].nbma, &nbma))) {
			memmove(&np->maps[i], &np->maps[i + 1],
				(size_t)(np->nmaps - i - 1) * sizeof(*np->maps));
			np->nmaps--;
		}
		return 0;
	}
	if (i < 0) {
		struct nhrp_map_conf *m = conf_grow(p, np->maps, np->nmaps, sizeof(*np->maps),
						    false);

		if (!m)
			return -1;
		np->maps = m;
		i = np->nmaps++;
	}
	np->maps[i].proto = proto;
	np->maps[i].nbma = nbma;	/* a second map of one address replaces the first */
	np->maps[i].plen = plen;
	np->maps[i].line = p->line;
	return 0;
}

static int nhs_find(const struct nhrp_params *np, const struct nhrp_addr *proto)
{
	for (int i = 0; i < np->nnhs; i++)
		if (addr_eq(&np->nhs[i].proto, proto))
			return i;
	return -1;
}

/* An nhs option w[k] that is not ours; the old "nhs ADDRESS NET MASK" named. */
static int nhs_unknown(struct parser *p, int family, char **w, int k)
{
	uint8_t b[16];

	if (k == 2 && conf_parse_addr(w[2], b))
		return conf_fail(p, "%s nhs ADDRESS NETWORK MASK (the networks an NHS serves) is "
				 "not supported", cmd(family));
	return conf_fail(p, "%s nhs: unknown option '%s'", cmd(family), w[k]);
}

/* ip nhrp nhs PROTO [nbma NBMA] [multicast] [priority N] [cluster N] */
static int nhs(struct parser *p, struct nhrp_params *np, bool neg, int family, char **w, int n)
{
	struct nhrp_nhs_conf s = { .line = p->line };
	bool mcast = false;
	int i;

	if (n >= 2 && (!strcmp(w[1], "fallback") || !strcmp(w[1], "cluster"))) {
		char c[32];	/* nhs fallback N, nhs cluster N max-connections M: not ours */

		snprintf(c, sizeof(c), "%s nhs %s", cmd(family), w[1]);
		return conf_ignore(p, c);
	}
	if (n >= 2 && !strcmp(w[1], "dynamic"))
		return conf_fail(p, "%s nhs dynamic (the NHS's address learnt from its NBMA) is "
				 "not supported: give the NHS's address, '%s nhs %s nbma NBMA'",
				 cmd(family), cmd(family), family == AF_INET ? "A.B.C.D" : "X:X::X");
	if (n < 2)
		return conf_fail(p, "usage: %s nhs ADDRESS [nbma NBMA] [priority N] [cluster N]",
				 cmd(family));
	if (proto_addr(p, family, w[1], &s.proto, NULL))
		return -1;
	i = nhs_find(np, &s.proto);
	if (neg) {
		if (i >= 0) {
			memmove(&np->nhs[i], &np->nhs[i + 1],
				(size_t)(np->nnhs - i - 1) * sizeof(*np->nhs));
			np->nnhs--;
		}
		return 0;
	}
	for (int k = 2; k < n; k++) {
		uint32_t v;

		if (!strcmp(w[k], "multicast")) {
			mcast = true;
			continue;
		}
		if (k + 1 == n) {
			if (!strcmp(w[k], "nbma") || !strcmp(w[k], "priority") ||
			    !strcmp(w[k], "cluster"))
				return conf_fail(p, "%s nhs: %s needs a value", cmd(family), w[k]);
			return nhs_unknown(p, family, w, k);
		}
		if (!strcmp(w[k], "nbma")) {
			if (nbma_addr(p, w[++k], &s.nbma))
				return -1;
		} else if (!strcmp(w[k], "priority")) {
			if (conf_num(p, w[++k], 0, 255, &v))
				return -1;
			s.priority = (uint8_t)v;
		} else if (!strcmp(w[k], "cluster")) {
			if (conf_num(p, w[++k], 0, 10, &v))
				return -1;
			s.cluster = (uint8_t)v;
		} else {
			return nhs_unknown(p, family, w, k);
		}
	}
	if (mcast && !s.nbma.len)
		return conf_fail(p, "%s nhs: multicast needs nbma NBMA", cmd(family));
	if (mcast && mcast_add(p, np, &s.nbma))
		return -1;
	if (i < 0) {
		struct nhrp_nhs_conf *a = conf_grow(p, np->nhs, np->nnhs, sizeof(*np->nhs), false);

		if (!a)
			return -1;
		np->nhs = a;
		i = np->nnhs++;
	}
	np->nhs[i] = s;		/* the same NHS again: this line's settings */
	return 0;
}

static int registration(struct parser *p, struct nhrp_params *np, bool neg, int family,
			char **w, int n)
{
	uint32_t v;

	if (n >= 2 && !strcmp(w[1], "no-unique")) {
		if (n != 2)
			return conf_fail(p, "usage: %s registration no-unique", cmd(family));
		np->no_unique = !neg;
		return 0;
	}
	if (n >= 2 && !strcmp(w[1], "timeout")) {
		if (neg) {
			np->reg_timeout = 0;
			return 0;
		}
		if (n != 3)
			return conf_fail(p, "usage: %s registration timeout SECONDS", cmd(family));
		if (conf_num(p, w[2], 1, 65535, &v))
			return -1;
		np->reg_timeout = (uint16_t)v;
		return 0;
	}
	return conf_fail(p, "usage: %s registration no-unique | timeout SECONDS", cmd(family));
}

static int max_send(struct parser *p, struct nhrp_params *np, bool neg, int family, char **w,
		    int n)
{
	uint32_t count, every;

	if (neg) {
		np->max_send = NHRP_MAX_SEND_DEFAULT;
		np->max_send_every = NHRP_MAX_SEND_EVERY;
		return 0;
	}
	if (n != 4 || strcmp(w[2], "every"))
		return conf_fail(p, "usage: %s max-send PACKETS every SECONDS", cmd(family));
	if (conf_num(p, w[1], 1, 65535, &count) || conf_num(p, w[3], 10, 65535, &every))
		return -1;
	np->max_send = (uint16_t)count;
	np->max_send_every = (uint16_t)every;
	return 0;
}

int conf_nhrp_line(struct parser *p, struct conf_iface *f, bool neg, int family, char **w,
		   int n)
{
	struct nhrp_params *np = family == AF_INET ? &f->nhrp : &f->nhrp6;
	int *first = family == AF_INET ? &f->nhrp_line : &f->nhrp6_line;

	if (n == 0)
		return conf_fail(p, "usage: %s COMMAND ...", cmd(family));
	if (!neg && !*first)
		*first = p->line;
	if (!strcmp(w[0], "network-id"))
		return network_id(p, np, neg, family, w, n);
	if (!strcmp(w[0], "holdtime"))
		return holdtime(p, np, neg, family, w, n);
	if (!strcmp(w[0], "authentication"))
		return authentication(p, np, neg, family, w, n);
	if (!strcmp(w[0], "map"))
		return map(p, np, neg, family, w, n);
	if (!strcmp(w[0], "nhs"))
		return nhs(p, np, neg, family, w, n);
	if (!strcmp(w[0], "registration"))
		return registration(p, np, neg, family, w, n);
	if (!strcmp(w[0], "max-send"))
		return max_send(p, np, neg, family, w, n);
	if (!strcmp(w[0], "redirect") || !strcmp(w[0], "shortcut")) {
		/* "ip nhrp redirect timeout N": the timeout is not ours */
		if (n != 1 && !(n == 3 && !strcmp(w[0], "redirect") && !strcmp(w[1], "timeout") &&
				conf_is_number(w[2])))
			return conf_fail(p, "usage: %s %s", cmd(family), w[0]);
		if (w[0][0] == 'r')
			np->redirect = !neg;
		else
			np->shortcut = !neg;
		/* the timeout of IOS's redirect cache: the rate limit here is max-send */
		return n == 3 ? conf_ignore(p, family == AF_INET ? "ip nhrp redirect timeout" :
					    "ipv6 nhrp redirect timeout") : 0;
	}
	if (conf_word_in(w[0], ignored)) {
		char c[48];

		snprintf(c, sizeof(c), "%s %s", cmd(family), w[0]);
		return conf_ignore(p, c);
	}
	return conf_unknown(p, p->mode);
}

/* Whether a is in the prefix of ours (len bytes, plen bits). */
static bool in_prefix(const uint8_t *a, const uint8_t *ours, int plen, int len)
{
	uint8_t x[16], y[16];

	memcpy(x, a, (size_t)len);
	memcpy(y, ours, (size_t)len);
	conf_prefix_clear(x, plen, len);
	conf_prefix_clear(y, plen, len);
	return !memcmp(x, y, (size_t)len);
}

/* One family's settings (np: f->nhrp or f->nhrp6, from its first line first). */
static int check_family(struct parser *p, const struct conf_iface *f, int family,
			const struct nhrp_params *np, int first)
{
	char a[INET6_ADDRSTRLEN], o[INET6_ADDRSTRLEN];
	bool v4 = family == AF_INET;
	int have = v4 ? f->addr_family : f->addr6_family;
	const uint8_t *ours = v4 ? f->addr : f->addr6;
	int plen = v4 ? f->plen : f->plen6;

	if (!first)
		return 0;
	if (!np->enabled) {
		p->line = first;
		return conf_fail(p, "interface %s: %s lines but no %s network-id (NHRP is off "
				 "without one)", f->name, cmd(family), cmd(family));
	}
	/* IPv4 may be unnumbered; IPv6 NHRP registers the interface's global address */
	if (!v4 && !have) {
		p->line = first;
		return conf_fail(p, "interface %s: ipv6 nhrp but no 'ipv6 address X:X::X/LEN' (the "
				 "address NHRP registers and resolves for)", f->name);
	}
	for (int i = 0; i < np->nnhs; i++) {
		const struct nhrp_nhs_conf *s = &np->nhs[i];

		p->line = s->line;
		addr_str(&s->proto, a, sizeof(a));
		if (!s->nbma.len && map_find(np, &s->proto) < 0)
			return conf_fail(p, "interface %s: nhs %s has no NBMA address: give 'nbma "
					 "A.B.C.D' or an '%s map %s%s NBMA'", f->name, a,
					 cmd(family), a, v4 ? "" : "/LEN");
		/* no address of the NHS's family (ip unnumbered...): nothing to check against */
		if (have && !in_prefix(s->proto.a, ours, plen, s->proto.len))
			return conf_fail(p, "interface %s: nhs %s is outside %s/%d, the interface's "
					 "%s address", f->name, a,
					 inet_ntop(family, ours, o, sizeof(o)), plen,
					 v4 ? "ip" : "ipv6");
	}
	return 0;
}

int conf_nhrp_check(struct parser *p, const struct conf_iface *f)
{
	return check_family(p, f, AF_INET, &f->nhrp, f->nhrp_line) ?:
	       check_family(p, f, AF_INET6, &f->nhrp6, f->nhrp6_line);
}
