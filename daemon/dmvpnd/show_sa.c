// SPDX-License-Identifier: GPL-2.0
/*
 * The SAs as the show commands see them (show.h): the kernel's counters
 * for each pair (the module's per-SA statistics, or XFRM's), the names
 * IOS prints, and the sessions (one per peer) that "show crypto session",
 * "show crypto sockets" and "show dmvpn detail" walk.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dmvpnd/show.h"
#include "lib/log.h"

static void ksa_add(const struct mgre_sa_info *sa, void *arg)
{
	struct ksas *k = arg;

	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 64;
		struct mgre_sa_info *p = reallocarray(k->sa, cap, sizeof(*p));

		if (!p) {
			k->oom = true;
			return;
		}
		k->sa = p;
		k->cap = cap;
	}
	k->sa[k->n++] = *sa;
}

static void ksas_load(struct daemon *d, int ifindex, struct ksas *k)
{
	int err;

	if (k->loaded && k->ifindex == ifindex)
		return;
	k->loaded = true;
	k->ifindex = ifindex;
	k->n = 0;
	k->oom = false;
	if (!d->kern_up)
		return;
	err = kern_sa_dump(&d->kern, ifindex, ksa_add, k);
	if (err)
		log_warn("show: the module's SAs: %s",
			 d->kern.req.errmsg[0] ? d->kern.req.errmsg : strerror(-err));
	if (k->oom)
		log_err("show: no memory for the module's SAs");
}

void ksas_free(struct ksas *k)
{
	free(k->sa);
	memset(k, 0, sizeof(*k));
}

static const struct mgre_sa_info *ksa_find(const struct ksas *k, uint32_t spi, uint8_t dir)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->sa[i].spi == spi && k->sa[i].dir == dir)
			return &k->sa[i];
	return NULL;
}

long long secs_left(int64_t end, int64_t now)
{
	return end > now ? (long long)((end - now) / 1000) : 0;
}

char *hms(long long s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	snprintf(buf, len, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	return buf;
}

const char *ike_status(const struct ike_sa *sa)
{
	switch (sa->state) {
	case IKE_P1_COMPLETE: return "QM_IDLE";
	case IKE_I_MM2: case IKE_I_MM3: case IKE_R_MM2: case IKE_R_MM3: return "MM_SA_SETUP";
	case IKE_I_MM4: case IKE_I_MM5: case IKE_I_MM6: case IKE_R_MM4: case IKE_R_MM5:
		return "MM_KEY_EXCH";
	case IKE_I_AM1: return "AG_INIT_EXCH";
	case IKE_R_AM1: case IKE_R_AM2: return "AG_AUTH";
	default: return "MM_NO_STATE";
	}
}

void tset_name(const struct p2_attrs *a, char *buf, size_t len)
{
	const char *e;

	switch (a->esp_id) {
	case ESP_DES: e = "esp-des"; break;
	case ESP_3DES: e = "esp-3des"; break;
	case ESP_AES: e = a->keylen == 256 ? "esp-256-aes" : a->keylen == 192 ? "esp-192-aes" :
		"esp-aes"; break;
	case ESP_AES_GCM_16: e = a->keylen == 256 ? "esp-gcm 256" : a->keylen == 192 ?
		"esp-gcm 192" : "esp-gcm"; break;
	default: e = "esp-null"; break;
	}
	switch (a->auth) {
	case AUTH_HMAC_MD5: snprintf(buf, len, "%s esp-md5-hmac", e); break;
	case AUTH_HMAC_SHA: snprintf(buf, len, "%s esp-sha-hmac", e); break;
	case AUTH_HMAC_SHA2_256: snprintf(buf, len, "%s esp-sha256-hmac", e); break;
	case AUTH_HMAC_SHA2_384: snprintf(buf, len, "%s esp-sha384-hmac", e); break;
	case AUTH_HMAC_SHA2_512: snprintf(buf, len, "%s esp-sha512-hmac", e); break;
	default: snprintf(buf, len, "%s", e); break;
	}
}

const char *p1_enc_short(const struct p1_attrs *a)
{
	switch (a->enc) {
	case OAKLEY_DES_CBC: return "des";
	case OAKLEY_3DES_CBC: return "3des";
	default: return a->keylen == 256 ? "aes256" : a->keylen == 192 ? "aes192" : "aes";
	}
}

const char *p1_hash_short(uint16_t hash)
{
	switch (hash) {
	case OAKLEY_MD5: return "md5";
	case OAKLEY_SHA: return "sha";
	case OAKLEY_SHA2_256: return "sha256";
	case OAKLEY_SHA2_384: return "sha384";
	default: return "sha512";
	}
}

void ike_caps(struct daemon *d, const struct ike_sa *sa, char *buf)
{
	char *c = buf;

	/* DPD is used when both sides speak it and we send keepalives */
	if (sa->peer_dpd && d->conf.dpd_interval)
		*c++ = 'D';
	if (sa->natt && (sa->nat_here || sa->nat_there))
		*c++ = 'N';
	*c = 0;
}

const char *ios_name(const struct daemon *d, const char *dev)
{
	for (int i = 0; i < d->conf.nifmaps; i++)
		if (!strcmp(d->conf.ifmaps[i].dev, dev))
			return d->conf.ifmaps[i].ios;
	return dev;
}

const char *prot_iface(struct daemon *d, const struct p2_prot *prot,
		       const struct ike_path *path, char *buf)
{
	struct p2_prot g;

	if (prot->kind == P2_VTI)
		return prot->iface;
	if (prot->kind == P2_MAP) {
		for (int i = 0; i < d->conf.nifaces; i++)
			if (!strcmp(d->conf.ifaces[i].map, prot->profile))
				return d->conf.ifaces[i].name;
		return "?";
	}
	/* GRE; a responder's SA asked for nothing: the device whose tunnel source it reached */
	if (!prot->ifindex && path && !ike_prot_mgre(&d->ike, path, &g))
		prot = &g;
	if (prot->ifindex && if_indextoname((unsigned int)prot->ifindex, buf))
		return ios_name(d, buf);
	return "?";
}

/* An XFRM SA's counters, in the module's slots; false if it is not there. */
static bool xfrm_counts(struct daemon *d, const struct child *c, bool inbound, uint64_t *v)
{
	const struct sockaddr_storage *dst = inbound ? &c->path.local : &c->path.remote;
	struct xfrm_counters st;

	if (!d->xfrm_up || xfrm_sa_stats(&d->xfrm, dst->ss_family, addr_bytes(dst),
					 inbound ? c->spi_in : c->spi_out, &st))
		return false;
	v[inbound ? MGRE_STATS_A_RX_PACKETS : MGRE_STATS_A_TX_PACKETS] = st.packets;
	v[inbound ? MGRE_STATS_A_RX_BYTES : MGRE_STATS_A_TX_BYTES] = st.bytes;
	v[MGRE_STATS_A_REPLAY] = st.replay_failed;
	v[MGRE_STATS_A_AUTH_FAIL] = st.integrity_failed;
	return true;
}

static void child_counts(struct daemon *d, const struct child *c, struct ksas *k,
			 struct child_view *v)
{
	const struct mgre_sa_info *in, *out;

	memset(v->xi, 0, sizeof(v->xi));
	memset(v->xo, 0, sizeof(v->xo));
	v->in = v->xi;
	v->out = v->xo;
	if (c->prot.kind != P2_MGRE) {
		v->has_in = xfrm_counts(d, c, true, v->xi);
		v->has_out = xfrm_counts(d, c, false, v->xo);
		return;
	}
	ksas_load(d, c->prot.ifindex, k);
	in = ksa_find(k, c->spi_in, MGRE_DIR_IN);
	out = ksa_find(k, c->spi_out, MGRE_DIR_OUT);
	if (in)
		v->in = in->stats.v;
	if (out)
		v->out = out->stats.v;
	v->has_in = in;
	v->has_out = out;
}

void child_view(struct daemon *d, const struct child *c, struct ksas *k, struct child_view *v)
{
	uint64_t used;

	v->ifname = prot_iface(d, &c->prot, &c->path, v->ifn);
	/* a crypto map's tag is its name; a protected tunnel's, IOS's "Tunnel0-head-0" */
	if (c->prot.kind == P2_MAP)
		snprintf(v->tag, sizeof(v->tag), "%s", c->prot.profile);
	else
		snprintf(v->tag, sizeof(v->tag), "%.*s-head-0", CONF_NAME - 1, v->ifname);
	v->left = secs_left(c->born + (int64_t)c->a.life_sec * 1000, d->ike.now);
	p2_ts_str(&c->prot.local, v->li, sizeof(v->li));
	p2_ts_str(&c->prot.remote, v->ri, sizeof(v->ri));
	addr_str(&c->path.local, v->l, sizeof(v->l));
	addr_str(&c->path.remote, v->r, sizeof(v->r));
	tset_name(&c->a, v->t, sizeof(v->t));
	child_counts(d, c, k, v);
	/* the kilobytes left: of the direction that used more (both share the limit) */
	used = v->out[MGRE_STATS_A_TX_BYTES] > v->in[MGRE_STATS_A_RX_BYTES] ?
	       v->out[MGRE_STATS_A_TX_BYTES] : v->in[MGRE_STATS_A_RX_BYTES];
	used /= 1024;
	v->kb_left = c->a.life_kb > used ? c->a.life_kb - used : 0;
}

struct session *sessions(struct daemon *d, int *n)
{
	struct session *v = NULL;
	int cap = 0;

	*n = 0;
	for (int pass = 0; pass < 2; pass++) {
		const struct ike_sa *sa = pass ? NULL : d->ike.sas;
		const struct child *c = pass ? d->ike.children : NULL;

		while (sa || c) {
			const struct sockaddr_storage *r = sa ? &sa->path.remote : &c->path.remote;
			int i;

			for (i = 0; i < *n && !addr_same(v[i].remote, r); i++)
				;
			if (i == *n) {
				if (*n == cap) {
					struct session *p;

					cap = cap ? 2 * cap : 16;
					p = reallocarray(v, (size_t)cap, sizeof(*v));
					if (!p) {
						log_err("show: no memory for the sessions");
						break;
					}
					v = p;
				}
				v[(*n)++] = (struct session){ .remote = r };
			}
			if (sa)
				sa = sa->next;
			else
				c = c->next;
		}
	}
	for (int i = 0; i < *n; i++) {
		struct session *s = &v[i];

		for (const struct ike_sa *sa = ike_peer_sas(&d->ike, s->remote); sa;
		     sa = sa->pnext) {
			s->nsas++;
			/* the established one wins, then the newest */
			if (!s->sa || (sa->state == IKE_P1_COMPLETE) >
				      (s->sa->state == IKE_P1_COMPLETE) ||
			    ((sa->state == IKE_P1_COMPLETE) == (s->sa->state == IKE_P1_COMPLETE) &&
			     sa->born > s->sa->born))
				s->sa = sa;
		}
		s->first = ike_peer_children(&d->ike, s->remote);
		for (const struct child *c = s->first; c; c = c->pnext)
			s->nchildren++;
	}
	return v;
}

const char *session_status(const struct session *s)
{
	bool ike_up = s->sa && s->sa->state == IKE_P1_COMPLETE;

	if (ike_up && s->nchildren)
		return "UP-ACTIVE";
	if (ike_up)
		return "UP-IDLE";
	if (s->nchildren)
		return "UP-NO-IKE";
	return s->sa ? "DOWN-NEGOTIATING" : "DOWN";
}
