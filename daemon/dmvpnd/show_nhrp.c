// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP commands on the control socket, laid out as IOS prints them
 * (seed 004): "show ip nhrp [detail]", "show ip nhrp nhs [detail]",
 * "show ip nhrp traffic", "show dmvpn [detail]", each also as JSON, and
 * "clear ip nhrp"; "show ipv6 nhrp ..." and "clear ipv6 nhrp" the same for
 * the IPv6 overlay (ipv6 nhrp), its addresses in capitals as IOS prints
 * them.
 */
#include <ctype.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dmvpnd/show.h"
#include "lib/log.h"

/* hh:mm:ss, or "1d02h" past a day, as IOS prints durations. */
static char *dur(int64_t ms, char *buf, size_t len)
{
	long long s = ms > 0 ? ms / 1000 : 0;

	if (s >= 86400)
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
	else
		snprintf(buf, len, "%02lld:%02lld:%02lld", s / 3600, s % 3600 / 60, s % 60);
	return buf;
}

/* An address as IOS prints it: IPv6 in capitals (2001:DB8::1). */
static char *ios_addr(const struct nhrp_addr *a, char *buf, size_t len)
{
	nhrp_addr_str(a, buf, len);
	if (a->len == 16)
		for (char *p = buf; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	return buf;
}

/* The protocol address length a command is about: "ipv6 nhrp" 16, "ip nhrp" 4. */
static uint8_t cmd_alen(const struct ctl_req *r)
{
	return r->def->arg == 16 ? 16 : 4;
}

static int addr_cmp(const struct nhrp_addr *a, const struct nhrp_addr *b)
{
	if (a->len != b->len)
		return a->len - b->len;
	return memcmp(a->a, b->a, a->len);
}

static int cache_cmp(const void *x, const void *y)
{
	const struct nhrp_cache *a = *(const struct nhrp_cache *const *)x;
	const struct nhrp_cache *b = *(const struct nhrp_cache *const *)y;

	return addr_cmp(&a->proto, &b->proto) ?: a->prefix - b->prefix;
}

/* The interface's entries sorted by address (the cache is a hash); NULL if none. */
static struct nhrp_cache **sorted(const struct nhrp_if *nif, unsigned int *n)
{
	struct nhrp_cache **v, *e, *tmp;
	unsigned int i = 0;

	*n = HASH_COUNT(nif->cache);
	if (!*n)
		return NULL;
	v = malloc(*n * sizeof(*v));
	if (!v) {
		*n = 0;
		return NULL;
	}
	HASH_ITER(hh, nif->cache, e, tmp)
		v[i++] = e;
	qsort(v, *n, sizeof(*v), cache_cmp);
	return v;
}

static void flags_str(uint32_t fl, char *buf, size_t len)
{
	static const struct { uint32_t f; const char *name; } names[] = {
		{ NHRP_CF_UNIQUE, "unique" }, { NHRP_CF_REGISTERED, "registered" },
		{ NHRP_CF_USED, "used" }, { NHRP_CF_NHOP, "nhop" }, { NHRP_CF_ROUTER, "router" },
		{ NHRP_CF_NAT, "nat" }, { NHRP_CF_IMPLICIT, "implicit" },
		{ NHRP_CF_SHORTCUT, "rib" }, { NHRP_CF_WAIT_SA, "wait-ipsec" },
	};
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++)
		if (fl & names[i].f)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
					      names[i].name);
}

static void cache_text(struct daemon *d, FILE *f, const struct nhrp_if *nif,
		       const struct nhrp_cache *e, bool detail)
{
	char p[64], v[64], nb[64], cl[64], fl[128], t1[32], t2[32];
	int64_t now = d->nhrp.now;

	ios_addr(&e->proto, p, sizeof(p));
	ios_addr(e->via.len ? &e->via : &e->proto, v, sizeof(v));
	flags_str(e->flags, fl, sizeof(fl));
	fprintf(f, "%s/%u via %s\n", p, e->prefix, v);
	if (e->expires)
		fprintf(f, "   %s created %s, expire %s\n", nif->c.name, dur(now - e->created, t1,
			sizeof(t1)), dur(e->expires - now, t2, sizeof(t2)));
	else
		fprintf(f, "   %s created %s, never expire\n", nif->c.name,
			dur(now - e->created, t1, sizeof(t1)));
	fprintf(f, "   Type: %s, Flags: %s\n", nhrp_cache_type_name(e->type), fl);
	if (e->nbma.len)
		fprintf(f, "   NBMA address: %s\n", nhrp_addr_str(&e->nbma, nb, sizeof(nb)));
	if (e->nbma_claimed.len && !nhrp_addr_eq(&e->nbma_claimed, &e->nbma))
		fprintf(f, "    (Claimed NBMA address: %s)\n",
			nhrp_addr_str(&e->nbma_claimed, cl, sizeof(cl)));
	if (detail && e->reqid)
		fprintf(f, "   Request id: %u, hold time %u s\n", e->reqid, e->holdtime);
}

static void cache_json(struct daemon *d, FILE *f, const struct nhrp_if *nif,
		       const struct nhrp_cache *e, bool first)
{
	char p[64], v[64], nb[64], cl[64], fl[128];
	int64_t now = d->nhrp.now;

	nhrp_addr_str(&e->proto, p, sizeof(p));
	nhrp_addr_str(e->via.len ? &e->via : &e->proto, v, sizeof(v));
	flags_str(e->flags, fl, sizeof(fl));
	nhrp_addr_str(&e->nbma, nb, sizeof(nb));
	nhrp_addr_str(&e->nbma_claimed, cl, sizeof(cl));
	fprintf(f, "%s{\"interface\":\"%s\",\"target\":\"%s/%u\",\"via\":\"%s\","
		"\"type\":\"%s\",\"flags\":\"%s\",\"nbma\":\"%s\",\"claimed_nbma\":\"%s\","
		"\"created\":%lld,\"expires\":%lld,\"reqid\":%u}", first ? "" : ",",
		nif->c.name, p, e->prefix, v, nhrp_cache_type_name(e->type), fl,
		e->nbma.len ? nb : "", e->nbma_claimed.len ? cl : "",
		(long long)((now - e->created) / 1000),
		e->expires ? (long long)((e->expires - now) / 1000) : -1LL, e->reqid);
}

static void show_cache(struct daemon *d, FILE *f, bool detail, bool json, uint8_t alen)
{
	bool first = true;

	if (json)
		fputc('[', f);
	for (const struct nhrp_if *nif = d->nhrp.ifs; nif; nif = nif->next) {
		unsigned int n;
		struct nhrp_cache **v;

		if (nif->c.proto.len != alen)
			continue;
		v = sorted(nif, &n);

		for (unsigned int i = 0; i < n; i++) {
			if (v[i]->type == NHRP_CACHE_LOCAL && !detail)
				continue;
			if (json)
				cache_json(d, f, nif, v[i], first);
			else
				cache_text(d, f, nif, v[i], detail);
			first = false;
		}
		free(v);
	}
	if (json)
		fputs("]\n", f);
}

static const char *nhs_flags(const struct nhrp_nhs *s, char *buf)
{
	char *p = buf;

	if (s->responding)
		*p++ = 'R';
	if (s->expecting)
		*p++ = 'E';
	if (s->waiting)
		*p++ = 'W';
	*p = 0;
	return buf;
}

static const char *nhs_state(const struct nhrp_nhs *s)
{
	return s->state == NHRP_NHS_UP ? "UP" : s->state == NHRP_NHS_PROBE ? "PROBE" : "DOWN";
}

static void nhs_lines(struct daemon *d, FILE *f, const struct nhrp_if *nif, bool detail)
{
	char p[64], nb[64], fl[4], t[32];

	for (int i = 0; i < nif->nnhs; i++) {
		const struct nhrp_nhs *s = &nif->nhs[i];

		fprintf(f, "%s %s priority = %u cluster = %u", ios_addr(&s->proto, p, sizeof(p)),
			nhs_flags(s, fl), s->priority, s->cluster);
		/* IOS's detail: the requests and replies, on the same line */
		if (detail)
			fprintf(f, "  req-sent %llu  req-failed %llu  repl-recv %llu",
				(unsigned long long)s->req_sent, (unsigned long long)s->req_failed,
				(unsigned long long)s->repl_recv);
		if (detail && s->repl_recv)
			fprintf(f, " (%s ago)", dur(d->nhrp.now - s->repl_at, t, sizeof(t)));
		fputc('\n', f);
		if (detail)
			fprintf(f, "    NBMA %s, state %s for %s, request id %u\n",
				nhrp_addr_str(&s->nbma, nb, sizeof(nb)), nhs_state(s),
				dur(d->nhrp.now - s->up_since, t, sizeof(t)), s->reqid);
	}
}

static void show_nhs(struct daemon *d, FILE *f, bool detail, bool json, uint8_t alen)
{
	bool first = true;

	if (json)
		fputc('[', f);
	else
		fputs("Legend: E=Expecting replies, R=Responding, W=Waiting\n", f);
	for (const struct nhrp_if *nif = d->nhrp.ifs; nif; nif = nif->next) {
		if (nif->c.proto.len != alen)
			continue;
		if (!json) {
			if (nif->nnhs) {
				fprintf(f, "%s:\n", nif->c.name);
				nhs_lines(d, f, nif, detail);
			}
			continue;
		}
		for (int i = 0; i < nif->nnhs; i++) {
			const struct nhrp_nhs *s = &nif->nhs[i];
			char p[64], nb[64], fl[4], nat[64];

			fprintf(f, "%s{\"interface\":\"%s\",\"nhs\":\"%s\",\"nbma\":\"%s\","
				"\"flags\":\"%s\",\"state\":\"%s\",\"priority\":%u,\"cluster\":%u,"
				"\"updn\":%lld,\"reqid\":%u,\"nat_nbma\":\"%s\",\"req_sent\":%llu,"
				"\"req_failed\":%llu,\"repl_recv\":%llu}", first ? "" : ",",
				nif->c.name, nhrp_addr_str(&s->proto, p, sizeof(p)),
				nhrp_addr_str(&s->nbma, nb, sizeof(nb)), nhs_flags(s, fl),
				nhs_state(s), s->priority, s->cluster,
				(long long)((d->nhrp.now - s->up_since) / 1000), s->reqid,
				s->nat_nbma.len ? nhrp_addr_str(&s->nat_nbma, nat, sizeof(nat)) :
				"",
				(unsigned long long)s->req_sent, (unsigned long long)s->req_failed,
				(unsigned long long)s->repl_recv);
			first = false;
		}
	}
	if (json)
		fputs("]\n", f);
}

static void show_traffic(struct daemon *d, FILE *f, bool json, uint8_t alen)
{
	bool first = true;

	if (json)
		fputc('[', f);
	for (const struct nhrp_if *nif = d->nhrp.ifs; nif; nif = nif->next) {
		const struct nhrp_stats *st = &nif->st;

		if (nif->c.proto.len != alen)
			continue;

		if (json) {
			fprintf(f, "%s{\"interface\":\"%s\"", first ? "" : ",", nif->c.name);
			for (int t = 1; t <= NHRP_TRAFFIC; t++)
				fprintf(f, ",\"rx_%d\":%llu,\"tx_%d\":%llu", t,
					(unsigned long long)st->rx[t], t,
					(unsigned long long)st->tx[t]);
			for (int r = 1; r < NHRP_DROP_MAX; r++) {
				char key[48], *k;

				/* a key is a word: "hop count" -> "drop_hop_count" */
				snprintf(key, sizeof(key), "drop_%s", nhrp_drop_name(r));
				for (k = key; *k; k++)
					if (*k == ' ')
						*k = '_';
				fprintf(f, ",\"%s\":%llu", key, (unsigned long long)st->drop[r]);
			}
			fprintf(f, ",\"forwarded\":%llu,\"rate_limited\":%llu}",
				(unsigned long long)st->forwarded,
				(unsigned long long)st->rate_limited);
			first = false;
			continue;
		}
		fprintf(f, "%s: Max-send limit:%uPkts/%uSec\n", nif->c.name,
			nif->c.p->max_send ? nif->c.p->max_send : NHRP_MAX_SEND_DEFAULT,
			nif->c.p->max_send_every ? nif->c.p->max_send_every : NHRP_MAX_SEND_EVERY);
		fputs("  Sent/Received:\n", f);
		for (int t = 1; t <= NHRP_TRAFFIC; t++)
			fprintf(f, "     %8llu/%-8llu %s\n", (unsigned long long)st->tx[t],
				(unsigned long long)st->rx[t], nhrp_type_name((uint8_t)t));
		fprintf(f, "  Forwarded: %llu, not sent (max-send): %llu\n  Dropped:\n",
			(unsigned long long)st->forwarded, (unsigned long long)st->rate_limited);
		for (int r = 1; r < NHRP_DROP_MAX; r++)
			if (st->drop[r])
				fprintf(f, "     %8llu %s\n", (unsigned long long)st->drop[r],
					nhrp_drop_name(r));
	}
	if (json)
		fputs("]\n", f);
}

/* "show dmvpn": one row per NBMA peer, its entries counted. */
struct dmvpn_peer {
	const struct nhrp_cache *e;	/* its first entry (sorted by address) */
	int nent;
};

static const struct nhrp_nhs *nhs_at(const struct nhrp_if *nif, const struct nhrp_addr *nbma)
{
	for (int i = 0; i < nif->nnhs; i++)
		if (nhrp_addr_eq(&nif->nhs[i].nbma, nbma))
			return &nif->nhs[i];
	return NULL;
}

static const char *peer_state(struct daemon *d, const struct nhrp_if *nif,
			      const struct nhrp_cache *e)
{
	const struct nhrp_nhs *s = nhs_at(nif, &e->nbma);

	if (e->type == NHRP_CACHE_INCOMPLETE || e->type == NHRP_CACHE_NEGATIVE)
		return "NHRP";
	if (s && s->state != NHRP_NHS_UP)
		return "NHRP";
	if (e->flags & NHRP_CF_WAIT_SA)
		return "IKE";
	return "UP";
}

static void attrb(const struct nhrp_cache *e, char *buf)
{
	char *p = buf;

	switch (e->type) {
	case NHRP_CACHE_STATIC: *p++ = 'S'; break;
	case NHRP_CACHE_INCOMPLETE: case NHRP_CACHE_NEGATIVE: *p++ = 'I'; break;
	case NHRP_CACHE_LOCAL: *p++ = 'L'; break;
	default: *p++ = 'D'; break;
	}
	if (e->flags & NHRP_CF_NAT)
		*p++ = 'N';
	*p = 0;
}

static int peer_cmp(const void *x, const void *y)
{
	const struct nhrp_cache *a = *(const struct nhrp_cache *const *)x;
	const struct nhrp_cache *b = *(const struct nhrp_cache *const *)y;

	return addr_cmp(&a->nbma, &b->nbma) ?: cache_cmp(x, y);
}

static void dmvpn_legend(FILE *f)
{
	fputs("Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete\n"
	      "        N - NATed, L - Local, X - No Socket\n"
	      "        # Ent --> Number of NHRP entries with same NBMA peer\n"
	      "        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting\n"
	      "        UpDn Time --> Up or Down Time for a Tunnel\n"
	      "==========================================================================\n\n",
	      f);
}

/* "up/up" as IOS says it: the device up, then its carrier (the line protocol). */
static const char *link_state(int ifindex)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err;

	/* the device's Linux name, which the configuration's may not be */
	err = s < 0 || !if_indextoname((unsigned int)ifindex, ifr.ifr_name) ||
	      ioctl(s, SIOCGIFFLAGS, &ifr);
	if (s >= 0)
		close(s);
	if (err)
		return "deleted/down";		/* no such device (any more) */
	if (!(ifr.ifr_flags & IFF_UP))
		return "administratively down/down";
	return ifr.ifr_flags & IFF_RUNNING ? "up/up" : "up/down";
}

static void dmvpn_iface(struct daemon *d, FILE *f, const struct nhrp_if *nif, bool detail,
			bool json, bool *first)
{
	unsigned int n, npeers = 0;
	struct nhrp_cache **v = sorted(nif, &n);
	const char *type = nif->nnhs ? "Spoke" : "Hub";
	const char *fam = nif->c.proto.len == 16 ? "IPv6" : "IPv4";
	bool v6 = nif->c.proto.len == 16;
	char a[64], b[64], t[32], at[4];
	unsigned int i, j;

	if (n)
		qsort(v, n, sizeof(*v), peer_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && nhrp_addr_eq(&v[j]->nbma, &v[i]->nbma); j++)
			;
		if (v[i]->type != NHRP_CACHE_LOCAL)
			npeers++;
	}
	if (!json) {
		if (detail) {
			/* no VRFs here: IOS's "" for the global table */
			fprintf(f, "Interface %s is %s, Addr. is %s, VRF \"\"\n", nif->c.name,
				link_state(nif->c.ifindex), ios_addr(&nif->c.proto, a, sizeof(a)));
			fprintf(f, "   Tunnel Src./Dest. addr: %s/%s, Tunnel VRF \"\"\n",
				nhrp_addr_str(&nif->c.nbma, a, sizeof(a)),
				nif->c.p2p_dst.len ? nhrp_addr_str(&nif->c.p2p_dst, b, sizeof(b)) :
				"MGRE");
			fprintf(f, "   Protocol/Transport: \"%s\", Protect \"%s\"\n",
				nif->c.p2p_dst.len ? "GRE/IP" : "multi-GRE/IP",
				nif->c.protected ? ike_gre_dev(&d->ike, nif->c.ifindex) ?
				ike_gre_dev(&d->ike, nif->c.ifindex)->profile : "" : "");
			fputs("   Interface State Control: Disabled\n", f);
			if (nif->nnhs) {
				fprintf(f, "%s NHS:\n", fam);
				nhs_lines(d, f, nif, false);
			}
			fprintf(f, "Type:%s, Total NBMA Peers (v4/v6): %u\n\n", type, npeers);
			if (v6)
				fputs("# Ent  Peer NBMA Addr State  UpDn Tm Attrb    Target Network\n"
				      "----- --------------- ----- -------- ----- -----------------\n",
				      f);
			else
				fputs("# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network\n"
				      "----- --------------- --------------- ----- -------- ----- -----------------\n",
				      f);
		} else {
			fprintf(f, "Interface: %s, %s NHRP Details\nType:%s, NHRP Peers:%u,\n\n",
				nif->c.name, fam, type, npeers);
			/* an IPv6 tunnel address does not fit the column: on its own line */
			if (v6)
				fputs(" # Ent  Peer NBMA Addr State  UpDn Tm Attrb\n"
				      "        Peer Tunnel Add\n"
				      " ----- --------------- ----- -------- -----\n", f);
			else
				fputs(" # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
				      " ----- --------------- --------------- ----- -------- -----\n", f);
		}
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && nhrp_addr_eq(&v[j]->nbma, &v[i]->nbma); j++)
			;
		if (v[i]->type == NHRP_CACHE_LOCAL)
			continue;
		for (unsigned int k = i; k < j; k++) {
			const struct nhrp_cache *e = v[k];
			const struct nhrp_nhs *s = nhs_at(nif, &e->nbma);
			int64_t since = s && s->up_since ? s->up_since : e->created;

			nhrp_addr_str(&e->nbma, a, sizeof(a));
			if (json)
				nhrp_addr_str(e->via.len ? &e->via : &e->proto, b, sizeof(b));
			else
				ios_addr(e->via.len ? &e->via : &e->proto, b, sizeof(b));
			attrb(e, at);
			dur(d->nhrp.now - since, t, sizeof(t));
			if (json) {
				char p[64];

				fprintf(f, "%s{\"interface\":\"%s\",\"type\":\"%s\",\"ent\":%u,"
					"\"nbma\":\"%s\",\"tunnel\":\"%s\",\"state\":\"%s\","
					"\"updn\":%lld,\"attrb\":\"%s\",\"target\":\"%s/%u\"}",
					*first ? "" : ",", nif->c.name, type, j - i, a, b,
					peer_state(d, nif, e),
					(long long)((d->nhrp.now - since) / 1000), at,
					nhrp_addr_str(&e->proto, p, sizeof(p)), e->prefix);
				*first = false;
			} else if (detail) {
				char p[64], tn[80], cnt[16] = "";

				/* the count and the NBMA address on a peer's first line only */
				if (k == i)
					snprintf(cnt, sizeof(cnt), "%u", j - i);
				snprintf(tn, sizeof(tn), "%s/%u", ios_addr(&e->proto, p, sizeof(p)),
					 e->prefix);
				if (v6)
					fprintf(f, "%5s %15s %5s %8s %5s %17s\n", cnt,
						k == i ? a : "", peer_state(d, nif, e), t, at, tn);
				else
					fprintf(f, "%5s %15s %15s %5s %8s %5s %17s\n", cnt,
						k == i ? a : "", b, peer_state(d, nif, e), t, at,
						tn);
			} else if (v6) {
				/* the peer's row, then each of its tunnel addresses */
				if (k == i)
					fprintf(f, " %5u %15s %5s %8s %5s\n", j - i, a,
						peer_state(d, nif, e), t, at);
				fprintf(f, "        %s\n", b);
			} else if (k == i) {
				fprintf(f, " %5u %15s %15s %5s %8s %5s\n", j - i, a, b,
					peer_state(d, nif, e), t, at);
			}
		}
	}
	if (!json)
		fputc('\n', f);
	free(v);
}

static void show_dmvpn(struct daemon *d, FILE *f, bool detail, bool json)
{
	bool first = true;

	if (json)
		fputc('[', f);
	else
		dmvpn_legend(f);
	/* IPv4 NHRP first, then IPv6, as IOS prints them */
	for (uint8_t alen = 4; alen <= 16; alen += 12)
		for (const struct nhrp_if *nif = d->nhrp.ifs; nif; nif = nif->next)
			if (nif->c.proto.len == alen)
				dmvpn_iface(d, f, nif, detail, json, &first);
	if (json) {
		fputs("]\n", f);
		return;
	}
	if (detail)
		show_dmvpn_sessions(d, f);
}

void show_nhrp_command(struct daemon *d, const struct ctl_req *r, FILE *f)
{
	switch (r->def->id) {
	case CTL_SHOW_NHRP:
		show_cache(d, f, r->detail, r->json, cmd_alen(r));
		break;
	case CTL_SHOW_NHRP_NHS:
		show_nhs(d, f, r->detail, r->json, cmd_alen(r));
		break;
	case CTL_SHOW_NHRP_TRAFFIC:
		show_traffic(d, f, r->json, cmd_alen(r));
		break;
	case CTL_SHOW_DMVPN:
		show_dmvpn(d, f, r->detail, r->json);
		break;
	case CTL_CLEAR_NHRP:
		log_info("clear %s nhrp: forgetting the dynamic and resolved entries",
			 cmd_alen(r) == 16 ? "ipv6" : "ip");
		nhrp_cache_clear(&d->nhrp, 0, NULL, cmd_alen(r));
		break;
	default:
		break;
	}
}
