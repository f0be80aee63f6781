// SPDX-License-Identifier: GPL-2.0
/*
 * "show crypto sockets" (seed 004): the protected tunnels, one socket per
 * peer of an mGRE device or VTI, and the devices listening; and "show
 * crypto engine connections active" (seed 000's layout): every ISAKMP and
 * IPsec SA as the crypto engine holds it, with its packets encrypted and
 * decrypted.  Both also as JSON.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dmvpnd/show.h"

/* (addr/mask/port/prot): the order "show crypto sockets" prints an identity in */
static char *sock_ident(const struct p2_ts *ts, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], m[INET_ADDRSTRLEN];

	inet_ntop(ts->family, ts->addr, a, sizeof(a));
	if (ts->family == AF_INET) {
		uint32_t mask = htonl(ts->plen ? 0xffffffffu << (32 - ts->plen) : 0);

		inet_ntop(AF_INET, &mask, m, sizeof(m));
		snprintf(buf, len, "%s/%s/%u/%u", a, m, ts->port, ts->proto);
	} else {
		snprintf(buf, len, "%s/%u/%u/%u", a, ts->plen, ts->port, ts->proto);
	}
	return buf;
}

/* A tunnel's socket: the newest pair of each (peer, tunnel); crypto maps have none. */
static bool is_socket(const struct daemon *d, const struct child *c)
{
	if (c->prot.kind == P2_MAP || c->rekeyed)
		return false;
	for (const struct child *o = d->ike.children; o; o = o->next)
		if (o != c && !o->rekeyed && addr_same(&o->path.remote, &c->path.remote) &&
		    ike_prot_same(&o->prot, &c->prot) && o->born > c->born)
			return false;
	return true;
}

void show_sockets(struct daemon *d, FILE *f, bool json)
{
	char li[80], ri[80], tag[CONF_NAME + 8];
	struct ksas k = { 0 };
	struct child_view v;
	bool first = true;
	int n = 0;

	for (const struct child *c = d->ike.children; c; c = c->next)
		n += is_socket(d, c);
	if (json)
		fputc('[', f);
	else
		fprintf(f, "Number of Crypto Socket connections %d\n\n", n);
	for (const struct child *c = d->ike.children; c; c = c->next) {
		const char *state;

		if (!is_socket(d, c))
			continue;
		child_view(d, c, &k, &v);
		state = v.has_in && v.has_out ? "Open" : "Closed";
		sock_ident(&c->prot.local, li, sizeof(li));
		sock_ident(&c->prot.remote, ri, sizeof(ri));
		if (json) {
			fprintf(f, "%s{\"interface\":\"%s\",\"local\":\"%s\",\"peer\":\"%s\","
				"\"local_ident\":\"%s\",\"remote_ident\":\"%s\",\"profile\":\"%s\","
				"\"state\":\"%s\"}", first ? "" : ",", v.ifname, v.l, v.r, li, ri,
				c->prot.profile, state);
			first = false;
			continue;
		}
		/* the client is IOS's tunnel protection, the one client here */
		fprintf(f, "   %s Peers (local/remote): %s/%s\n"
			"       Local Ident  (addr/mask/port/prot): (%s)\n"
			"       Remote Ident (addr/mask/port/prot): (%s)\n"
			"       IPSec Profile: \"%s\"\n       Socket State: %s\n"
			"       Client: \"TUNNEL SEC\" (Client State: %s)\n", v.ifname, v.l, v.r,
			li, ri, c->prot.profile, state,
			v.has_in && v.has_out ? "Active" : "Inactive");
	}
	ksas_free(&k);
	if (json) {
		fputs("]\n", f);
		return;
	}
	fputs("Crypto Sockets in Listen state:\n", f);
	for (int i = 0; i < d->ike.ngre; i++) {
		char ifn[IF_NAMESIZE];
		const char *name = if_indextoname((unsigned int)d->ike.gre[i].ifindex, ifn);

		snprintf(tag, sizeof(tag), "%.*s-head-0", CONF_NAME,
			 name ? ios_name(d, name) : "?");
		fprintf(f, "Client: \"TUNNEL SEC\" Profile: \"%s\" Map-name: \"%s\"\n",
			d->ike.gre[i].profile, tag);
	}
	for (int i = 0; i < d->conf.nifaces; i++) {
		const struct conf_iface *fc = &d->conf.ifaces[i];

		if ((fc->mode == CONF_TUN_IPSEC4 || fc->mode == CONF_TUN_IPSEC6) && fc->profile[0])
			fprintf(f, "Client: \"TUNNEL SEC\" Profile: \"%s\" "
				"Map-name: \"%s-head-0\"\n", fc->profile, fc->name);
	}
	fputc('\n', f);
}

/* IOS's engine names, "HMAC_MD5+DES_56_CB" cut at its column as seed 000 shows it. */
static const char *esp_enc_name(const struct p2_attrs *a)
{
	switch (a->esp_id) {
	case ESP_DES: return "DES_56_CBC";
	case ESP_3DES: return "3DES_56_CBC";	/* IOS's name for it */
	case ESP_AES: return a->keylen == 256 ? "AES256_CBC" : a->keylen == 192 ?
		"AES192_CBC" : "AES_CBC";
	case ESP_AES_GCM_16: return a->keylen == 256 ? "AES256_GCM" : "AES_GCM";
	default: return "NULL";
	}
}

static const char *esp_auth_name(uint16_t auth)
{
	switch (auth) {
	case AUTH_HMAC_MD5: return "HMAC_MD5+";
	case AUTH_HMAC_SHA: return "HMAC_SHA+";
	case AUTH_HMAC_SHA2_256: return "HMAC_SHA256+";
	case AUTH_HMAC_SHA2_384: return "HMAC_SHA384+";
	case AUTH_HMAC_SHA2_512: return "HMAC_SHA512+";
	default: return "";
	}
}

static void p1_algo(const struct p1_attrs *a, char *buf, size_t len)
{
	struct p2_attrs e = {
		.esp_id = a->enc == OAKLEY_DES_CBC ? ESP_DES :
			  a->enc == OAKLEY_3DES_CBC ? ESP_3DES : ESP_AES,
		.keylen = a->keylen,
	};
	static const struct { uint16_t h; uint16_t auth; } m[] = {
		{ OAKLEY_MD5, AUTH_HMAC_MD5 }, { OAKLEY_SHA, AUTH_HMAC_SHA },
		{ OAKLEY_SHA2_256, AUTH_HMAC_SHA2_256 }, { OAKLEY_SHA2_384, AUTH_HMAC_SHA2_384 },
		{ OAKLEY_SHA2_512, AUTH_HMAC_SHA2_512 },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].h == a->hash)
			e.auth = m[i].auth;
	snprintf(buf, len, "%s%s", esp_auth_name(e.auth), esp_enc_name(&e));
}

#define ENGINE_FMT "%4s %-15s %-15s %-6s %-18.18s %8s %8s\n"
/* IOS 12's numbering (seed 000): the IPsec SAs from 2000 on, beside the ISAKMP SAs' ids */
#define ENGINE_IPSEC_BASE 2000

static void engine_row(FILE *f, bool json, bool *first, unsigned int id, const char *type,
		       const char *ifname, const char *ip, const char *state, const char *algo,
		       unsigned long long enc, unsigned long long dec)
{
	char a[16], b[24], c[24];

	if (json) {
		fprintf(f, "%s{\"id\":%u,\"type\":\"%s\",\"interface\":\"%s\",\"ip\":\"%s\","
			"\"state\":\"%s\",\"algorithm\":\"%s\",\"encrypt\":%llu,\"decrypt\":%llu}",
			*first ? "" : ",", id, type, ifname, ip, state, algo, enc, dec);
		*first = false;
		return;
	}
	snprintf(a, sizeof(a), "%u", id);
	snprintf(b, sizeof(b), "%llu", enc);
	snprintf(c, sizeof(c), "%llu", dec);
	fprintf(f, ENGINE_FMT, a, ifname, ip, state, algo, b, c);
}

void show_engine(struct daemon *d, FILE *f, bool json)
{
	char l[INET6_ADDRSTRLEN], algo[40], ifn[IF_NAMESIZE];
	struct ksas k = { 0 };
	struct child_view v;
	bool first = true;

	if (json)
		fputc('[', f);
	else
		fprintf(f, ENGINE_FMT, "ID", "Interface", "IP-Address", "State", "Algorithm",
			"Encrypt", "Decrypt");
	for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next) {
		const struct child *c = ike_peer_children(&d->ike, &sa->path.remote);
		bool up = sa->state == IKE_P1_COMPLETE;

		/* an SA with no pair yet is tied to no interface: seed 000's "<none> <none>" */
		p1_algo(&sa->chosen, algo, sizeof(algo));
		engine_row(f, json, &first, sa->id, "IKE",
			   c ? prot_iface(d, &c->prot, &c->path, ifn) : "<none>",
			   c ? addr_str(&sa->path.local, l, sizeof(l)) : "<none>",
			   up ? "set" : "alloc", up ? algo : "", sa->n_encrypted, sa->n_decrypted);
	}
	for (const struct child *c = d->ike.children; c; c = c->next) {
		child_view(d, c, &k, &v);
		snprintf(algo, sizeof(algo), "%s%s", esp_auth_name(c->a.auth), esp_enc_name(&c->a));
		engine_row(f, json, &first, ENGINE_IPSEC_BASE + c->flow_id - 1, "IPsec", v.ifname,
			   v.l, v.has_in ? "set" : "alloc", algo, 0,
			   (unsigned long long)v.in[MGRE_STATS_A_RX_PACKETS]);
		engine_row(f, json, &first, ENGINE_IPSEC_BASE + c->flow_id, "IPsec", v.ifname, v.l,
			   v.has_out ? "set" : "alloc", algo,
			   (unsigned long long)v.out[MGRE_STATS_A_TX_PACKETS], 0);
	}
	ksas_free(&k);
	if (json)
		fputs("]\n", f);
}
