// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration printed back as IOS lines (conf_show.h), in the order
 * IOS's running-config has them: ISAKMP policies and keys, IPsec
 * transform sets and profiles, crypto maps, interfaces, access lists.
 * What equals IOS's default is left out, as IOS leaves it out; what the
 * parser took and does not keep (other commands of a router's config) is
 * not here, since dmvpnd did not understand it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"
#include "conf/conf_show.h"
#include "ike/isakmp.h"

/* "A.B.C.D M.M.M.M" or, with wildcard, "A.B.C.D W.W.W.W" (access lists). */
static char *v4_mask(const uint8_t *addr, int plen, bool wildcard, char *buf, size_t len)
{
	uint32_t m = plen ? 0xffffffffu << (32 - plen) : 0;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	m = htonl(wildcard ? ~m : m);
	inet_ntop(AF_INET, addr, a, sizeof(a));
	inet_ntop(AF_INET, &m, b, sizeof(b));
	snprintf(buf, len, "%s %s", a, b);
	return buf;
}

static const char *ntop(int family, const void *addr, char *buf, size_t len)
{
	if (!inet_ntop(family, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static void show_policy(const struct conf_policy *pol, FILE *f)
{
	static const struct { uint16_t v; const char *n; } hashes[] = {
		{ OAKLEY_MD5, "md5" }, { OAKLEY_SHA2_256, "sha256" },
		{ OAKLEY_SHA2_384, "sha384" }, { OAKLEY_SHA2_512, "sha512" },
	};
	const struct p1_attrs *a = &pol->a;

	fprintf(f, "crypto isakmp policy %d\n", pol->prio);
	/* des, sha, rsa-sig, group 1 and 86400 s are IOS's defaults: not printed */
	if (a->enc == OAKLEY_3DES_CBC)
		fputs(" encr 3des\n", f);
	else if (a->enc == OAKLEY_AES_CBC && a->keylen == 128)
		fputs(" encr aes\n", f);
	else if (a->enc == OAKLEY_AES_CBC)
		fprintf(f, " encr aes %u\n", a->keylen);
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (a->hash == hashes[i].v)
			fprintf(f, " hash %s\n", hashes[i].n);
	if (a->auth == OAKLEY_PRESHARED_KEY)
		fputs(" authentication pre-share\n", f);
	if (a->group != 1)
		fprintf(f, " group %u\n", a->group);
	if (a->life_sec != 86400)
		fprintf(f, " lifetime %u\n", a->life_sec);
}

static void show_isakmp(const struct conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN + 32];

	for (int i = 0; i < c->npol; i++)
		show_policy(&c->pol[i], f);
	for (int i = 0; i < c->nkeys; i++) {
		const struct conf_key *k = &c->keys[i];

		if (k->family == AF_INET6) {
			ntop(AF_INET6, k->addr, a, sizeof(a));
			fprintf(f, "crypto isakmp key %s address ipv6 %s/%d\n", CONF_SHOW_MASK, a,
				k->plen);
		} else {
			fprintf(f, "crypto isakmp key %s address %s\n", CONF_SHOW_MASK,
				v4_mask(k->addr, k->plen, false, a, sizeof(a)));
		}
	}
	if (c->dpd_interval)
		fprintf(f, "crypto isakmp keepalive %u %u%s\n", c->dpd_interval, c->dpd_retry,
			c->dpd_periodic ? " periodic" : "");
	if (c->aggressive)
		fputs("crypto isakmp aggressive-mode\n", f);
	if (c->cac_in_neg)
		fprintf(f, "crypto call admission limit ike in-negotiation-sa %u\n", c->cac_in_neg);
	if (c->cac_sa)
		fprintf(f, "crypto call admission limit ike sa %u\n", c->cac_sa);
	fputs("!\n", f);
}

static void show_tset(const struct conf_tset *t, FILE *f)
{
	const struct p2_attrs *a = &t->a;

	fprintf(f, "crypto ipsec transform-set %s", t->name);
	switch (a->esp_id) {
	case ESP_DES: fputs(" esp-des", f); break;
	case ESP_3DES: fputs(" esp-3des", f); break;
	case ESP_NULL: fputs(" esp-null", f); break;
	case ESP_AES: fputs(" esp-aes", f); break;
	case ESP_AES_GCM_16: fputs(" esp-gcm", f); break;
	default: fprintf(f, " esp-%u", a->esp_id); break;	/* the parser makes no other */
	}
	if ((a->esp_id == ESP_AES || a->esp_id == ESP_AES_GCM_16) && a->keylen != 128)
		fprintf(f, " %u", a->keylen);
	switch (a->auth) {
	case AUTH_HMAC_MD5: fputs(" esp-md5-hmac", f); break;
	case AUTH_HMAC_SHA: fputs(" esp-sha-hmac", f); break;
	case AUTH_HMAC_SHA2_256: fputs(" esp-sha256-hmac", f); break;
	case AUTH_HMAC_SHA2_384: fputs(" esp-sha384-hmac", f); break;
	case AUTH_HMAC_SHA2_512: fputs(" esp-sha512-hmac", f); break;
	default: break;		/* esp-gcm: none */
	}
	fputc('\n', f);
	/* tunnel is IOS's default mode */
	fputs(a->encap == ENCAP_TRANSPORT ? " mode transport\n" : "", f);
}

/* The set lines a profile and a crypto map entry share. */
static void show_sets(const struct conf_profile *p, FILE *f)
{
	if (p->life_sec)
		fprintf(f, " set security-association lifetime seconds %u\n", p->life_sec);
	if (p->life_kb)
		fprintf(f, " set security-association lifetime kilobytes %u\n", p->life_kb);
	if (p->ntsets) {
		fputs(" set transform-set", f);
		for (int i = 0; i < p->ntsets; i++)
			fprintf(f, " %s", p->tsets[i]);
		fputc('\n', f);
	}
	if (p->pfs)
		fprintf(f, " set pfs group%u\n", p->pfs);
}

static void show_ipsec(const struct conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN];

	if (c->ipsec_life_sec != 3600)
		fprintf(f, "crypto ipsec security-association lifetime seconds %u\n",
			c->ipsec_life_sec);
	if (c->ipsec_life_kb != 4608000)
		fprintf(f, "crypto ipsec security-association lifetime kilobytes %u\n",
			c->ipsec_life_kb);
	if (!c->ipsec_replay_window)
		fputs("crypto ipsec security-association replay disable\n", f);
	else if (c->ipsec_replay_window != CONF_REPLAY_WINDOW_DEFAULT)
		fprintf(f, "crypto ipsec security-association replay window-size %u\n",
			c->ipsec_replay_window);
	for (int i = 0; i < c->ntsets; i++)
		show_tset(&c->tsets[i], f);
	fputs("!\n", f);
	for (int i = 0; i < c->nprofiles; i++) {
		fprintf(f, "crypto ipsec profile %s\n", c->profiles[i].name);
		show_sets(&c->profiles[i], f);
		fputs("!\n", f);
	}
	for (int i = 0; i < c->nmaps; i++) {
		const struct conf_map *m = &c->maps[i];

		fprintf(f, "crypto map %s %d ipsec-isakmp\n", m->name, m->seq);
		if (m->family)
			fprintf(f, " set peer %s\n", ntop(m->family, m->peer, a, sizeof(a)));
		show_sets(&m->p, f);
		if (m->acl[0])
			fprintf(f, " match address %s\n", m->acl);
		fputs("!\n", f);
	}
}

static const char *nhrp_ntop(const struct nhrp_addr *x, char *buf, size_t len)
{
	return ntop(x->len == 16 ? AF_INET6 : AF_INET, x->a, buf, len);
}

/* One family's NHRP lines: cmd "ip nhrp" (f->nhrp) or "ipv6 nhrp" (f->nhrp6). */
static void show_nhrp(const struct nhrp_params *np, const char *cmd, FILE *f)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (np->auth_len)
		fprintf(f, " %s authentication %s\n", cmd, CONF_SHOW_MASK);
	for (int i = 0; i < np->nmaps; i++) {
		fprintf(f, " %s map %s", cmd, nhrp_ntop(&np->maps[i].proto, a, sizeof(a)));
		if (np->maps[i].plen)
			fprintf(f, "/%u", np->maps[i].plen);
		fprintf(f, " %s\n", nhrp_ntop(&np->maps[i].nbma, b, sizeof(b)));
	}
	if (np->mcast_dynamic)
		fprintf(f, " %s map multicast dynamic\n", cmd);
	for (int i = 0; i < np->nmcast; i++)
		fprintf(f, " %s map multicast %s\n", cmd, nhrp_ntop(&np->mcast[i], a, sizeof(a)));
	if (np->enabled)
		fprintf(f, " %s network-id %u\n", cmd, np->network_id);
	if (np->holdtime != NHRP_HOLDTIME_DEFAULT)
		fprintf(f, " %s holdtime %u\n", cmd, np->holdtime);
	for (int i = 0; i < np->nnhs; i++) {
		const struct nhrp_nhs_conf *s = &np->nhs[i];

		fprintf(f, " %s nhs %s", cmd, nhrp_ntop(&s->proto, a, sizeof(a)));
		if (s->nbma.len)
			fprintf(f, " nbma %s", nhrp_ntop(&s->nbma, b, sizeof(b)));
		if (s->priority)
			fprintf(f, " priority %u", s->priority);
		if (s->cluster)
			fprintf(f, " cluster %u", s->cluster);
		fputc('\n', f);
	}
	if (np->no_unique)
		fprintf(f, " %s registration no-unique\n", cmd);
	if (np->reg_timeout)
		fprintf(f, " %s registration timeout %u\n", cmd, np->reg_timeout);
	if (np->max_send != NHRP_MAX_SEND_DEFAULT || np->max_send_every != NHRP_MAX_SEND_EVERY)
		fprintf(f, " %s max-send %u every %u\n", cmd, np->max_send, np->max_send_every);
	if (np->redirect)
		fprintf(f, " %s redirect\n", cmd);
	if (np->shortcut)
		fprintf(f, " %s shortcut\n", cmd);
}

/* An interface block in seed 004's order: addresses, ip, nhrp, then the tunnel's lines. */
static void show_iface(const struct conf_iface *i, FILE *f)
{
	char a[INET6_ADDRSTRLEN + 32];

	fprintf(f, "interface %s\n", i->name);
	if (i->descr[0])
		fprintf(f, " description %s\n", i->descr);
	if (i->addr_family)
		fprintf(f, " ip address %s\n", v4_mask(i->addr, i->plen, false, a, sizeof(a)));
	if (i->addr6_family)
		fprintf(f, " ipv6 address %s/%d\n", ntop(AF_INET6, i->addr6, a, sizeof(a)),
			i->plen6);
	if (i->mtu)
		fprintf(f, " ip mtu %u\n", i->mtu);
	show_nhrp(&i->nhrp, "ip nhrp", f);
	show_nhrp(&i->nhrp6, "ipv6 nhrp", f);
	if (i->mss)
		fprintf(f, " ip tcp adjust-mss %u\n", i->mss);
	if (i->shutdown)
		fputs(" shutdown\n", f);
	if (i->src_name[0])
		fprintf(f, " tunnel source %s\n", i->src_name);
	else if (i->src_family)
		fprintf(f, " tunnel source %s\n", ntop(i->src_family, i->src, a, sizeof(a)));
	if (i->dst_family)
		fprintf(f, " tunnel destination %s\n", ntop(i->dst_family, i->dst, a, sizeof(a)));
	/* "gre ip" is IOS's default mode: not printed */
	if (i->mode == CONF_TUN_GRE && i->multipoint)
		fputs(" tunnel mode gre multipoint\n", f);
	if (i->mode == CONF_TUN_IPSEC4 || i->mode == CONF_TUN_IPSEC6)
		fprintf(f, " tunnel mode ipsec %s\n", i->mode == CONF_TUN_IPSEC4 ? "ipv4" : "ipv6");
	if (i->has_key)
		fprintf(f, " tunnel key %u\n", i->key);
	if (i->profile[0])
		fprintf(f, " tunnel protection ipsec profile %s\n", i->profile);
	if (i->map[0])
		fprintf(f, " crypto map %s\n", i->map);
	fputs("!\n", f);
}

/* " A W", " host A" or " any", then " eq P" */
static void show_ts(const struct p2_ts *ts, FILE *f)
{
	char a[INET_ADDRSTRLEN + 32];

	if (!ts->plen)
		fputs(" any", f);
	else if (ts->plen == 32)
		fprintf(f, " host %s", ntop(AF_INET, ts->addr, a, sizeof(a)));
	else
		fprintf(f, " %s", v4_mask(ts->addr, ts->plen, true, a, sizeof(a)));
	if (ts->port)
		fprintf(f, " eq %u", ts->port);
}

static void show_acl(const struct conf_acl *acl, FILE *f)
{
	static const char *const protos[256] = {
		[0] = "ip", [1] = "icmp", [6] = "tcp", [17] = "udp", [47] = "gre", [50] = "esp",
	};
	bool numbered = conf_is_number(acl->name);

	if (!numbered)
		fprintf(f, "ip access-list extended %s\n", acl->name);
	for (int i = 0; i < acl->n; i++) {
		const struct conf_acl_line *l = &acl->l[i];

		if (numbered)
			fprintf(f, "access-list %s permit", acl->name);
		else
			fputs(" permit", f);
		if (protos[l->src.proto])
			fprintf(f, " %s", protos[l->src.proto]);
		else
			fprintf(f, " %u", l->src.proto);
		show_ts(&l->src, f);
		show_ts(&l->dst, f);
		fputc('\n', f);
	}
	/* a line the parser kept out (no crypto map matches this list): say so */
	if (acl->bad[0])
		fprintf(f, "! access list %s: a line not kept: %s\n", acl->name, acl->bad);
}

void conf_show(const struct conf *c, FILE *f)
{
	char *body = NULL;
	size_t len = 0;
	FILE *b = open_memstream(&body, &len);

	/* the body first, for IOS's "Current configuration : N bytes" */
	if (!b) {
		fputs("% no memory\n", f);
		return;
	}
	fputs("!\n", b);
	show_isakmp(c, b);
	show_ipsec(c, b);
	/* dmvpnd's own line: which Linux device an IOS interface name stands for */
	for (int i = 0; i < c->nifmaps; i++)
		fprintf(b, "linux interface %s %s\n", c->ifmaps[i].ios, c->ifmaps[i].dev);
	if (c->nifmaps)
		fputs("!\n", b);
	for (int i = 0; i < c->nifaces; i++)
		show_iface(&c->ifaces[i], b);
	for (int i = 0; i < c->nacls; i++)
		show_acl(&c->acls[i], b);
	fputs("!\nend\n", b);
	if (fclose(b)) {
		free(body);
		fputs("% no memory\n", f);
		return;
	}
	fprintf(f, "Building configuration...\n\nCurrent configuration : %zu bytes\n", len);
	fwrite(body, 1, len, f);
	free(body);
}
