// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's control commands, answered in the words of IOS: show crypto
 * isakmp sa [detail], show crypto ipsec sa [detail], show crypto session
 * [detail], clear crypto sa, clear crypto isakmp.  Add "json" for JSON.
 * Packet counters come from the module (its per-SA statistics).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dmvpnd/ctl_server.h"
#include "dmvpnd/dmvpnd.h"
#include "lib/log.h"

/* The module's SAs on one device, as one dump gives them. */
struct ksas {
	bool loaded;
	int ifindex;		/* what they were dumped for */
	bool oom;
	size_t n, cap;
	struct mgre_sa_info *sa;
};

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
		log_warn("show crypto ipsec sa: the module's SAs: %s",
			 d->kern.req.errmsg[0] ? d->kern.req.errmsg : strerror(-err));
	if (k->oom)
		log_err("show crypto ipsec sa: no memory for the module's SAs");
}

static const struct mgre_sa_info *ksa_find(const struct ksas *k, uint32_t spi, uint8_t dir)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->sa[i].spi == spi && k->sa[i].dir == dir)
			return &k->sa[i];
	return NULL;
}

/* Seconds until end (ms), 0 once past: every remaining lifetime shown. */
static long long secs_left(int64_t end, int64_t now)
{
	return end > now ? (long long)((end - now) / 1000) : 0;
}

static const char *ike_status(const struct ike_sa *sa)
{
	switch (sa->state) {
	case IKE_P1_COMPLETE: return "QM_IDLE";
	case IKE_I_MM1: case IKE_R_MM1: case IKE_READY: return "MM_NO_STATE";
	case IKE_I_MM2: case IKE_I_MM3: case IKE_R_MM2: case IKE_R_MM3: return "MM_SA_SETUP";
	case IKE_I_MM4: case IKE_I_MM5: case IKE_R_MM4: return "MM_KEY_EXCH";
	default: return "MM_NO_STATE";
	}
}

static const char *mode_of(const struct p2_attrs *a)
{
	return a->encap == ENCAP_TRANSPORT || a->encap == ENCAP_UDP_TRANSPORT ||
	       a->encap == ENCAP_UDP_TRANSPORT_DRAFT ? "Transport" : "Tunnel";
}

static void tset_name(const struct p2_attrs *a, char *buf, size_t len)
{
	const char *e;

	switch (a->esp_id) {
	case ESP_DES: e = "esp-des"; break;
	case ESP_3DES: e = "esp-3des"; break;
	case ESP_AES: e = a->keylen == 256 ? "esp-256-aes" : a->keylen == 192 ? "esp-192-aes" :
		"esp-aes"; break;
	case ESP_AES_GCM_16: e = a->keylen == 256 ? "esp-gcm 256" : "esp-gcm"; break;
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

/* IOS's short names in show crypto isakmp sa detail: 3des, aes, aes256, sha, sha256 */
static const char *enc_short(const struct p1_attrs *a)
{
	switch (a->enc) {
	case OAKLEY_DES_CBC: return "des";
	case OAKLEY_3DES_CBC: return "3des";
	default: return a->keylen == 256 ? "aes256" : a->keylen == 192 ? "aes192" : "aes";
	}
}

static const char *hash_short(uint16_t hash)
{
	switch (hash) {
	case OAKLEY_MD5: return "md5";
	case OAKLEY_SHA: return "sha";
	case OAKLEY_SHA2_256: return "sha256";
	case OAKLEY_SHA2_384: return "sha384";
	default: return "sha512";
	}
}

/* The view in seed 004: "1001 172.16.1.1 172.16.10.1 ACTIVE 3des sha psk 1 23:59:10" */
static void isakmp_detail(struct daemon *d, FILE *f)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];

	fprintf(f, "Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
		"       K - Keepalives, N - NAT-traversal\n"
		"       T - cTCP encapsulation, X - IKE Extended Authentication\n"
		"       psk - Preshared key, rsig - RSA signature\n"
		"       renc - RSA encryption\n"
		"IPv4 Crypto ISAKMP SA\n\n"
		"C-id  Local           Remote          I-VRF  Status Encr   Hash   Auth DH Lifetime Cap.\n\n");
	for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next) {
		long long left = secs_left(sa->expires, d->ike.now);
		char cap[4] = "", *c = cap;

		if (sa->state != IKE_P1_COMPLETE)
			continue;
		if (sa->peer_dpd && d->conf.dpd_interval)
			*c++ = 'D';
		if (sa->natt && (sa->nat_here || sa->nat_there))
			*c++ = 'N';
		fprintf(f, "%-5u %-15s %-15s        %-6s %-6s %-6s psk  %-2u %02lld:%02lld:%02lld %s\n"
			"       Engine-id:Conn-id =  SW:%u\n\n", 1000 + sa->id,
			addr_str(&sa->path.local, l, sizeof(l)),
			addr_str(&sa->path.remote, r, sizeof(r)), "ACTIVE",
			enc_short(&sa->chosen), hash_short(sa->chosen.hash), sa->chosen.group,
			left / 3600, left / 60 % 60, left % 60,
			cap, sa->id);
	}
	fprintf(f, "IPv6 Crypto ISAKMP SA\n\n");
}

static void show_isakmp(struct daemon *d, FILE *f, bool detail, bool json)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	bool first = true;

	if (detail && !json) {
		isakmp_detail(d, f);
		return;
	}
	if (json)
		fputc('[', f);
	else
		fprintf(f, "IPv4 Crypto ISAKMP SA\n%-15s %-15s %-14s %7s %s\n", "dst", "src",
			"state", "conn-id", "status");
	for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next) {
		long long left = secs_left(sa->expires, d->ike.now);
		/* IOS prints the responder's view as dst = us */
		const struct sockaddr_storage *a = sa->initiator ? &sa->path.remote : &sa->path.local;
		const struct sockaddr_storage *b = sa->initiator ? &sa->path.local : &sa->path.remote;

		addr_str(a, dst, sizeof(dst));
		addr_str(b, src, sizeof(src));
		if (json) {
			fprintf(f, "%s{\"dst\":\"%s\",\"src\":\"%s\",\"state\":\"%s\",\"conn_id\":%u,"
				"\"status\":\"%s\",\"role\":\"%s\",\"engine_state\":\"%s\"",
				first ? "" : ",", dst, src, ike_status(sa), 1000 + sa->id,
				sa->state == IKE_P1_COMPLETE ? "ACTIVE" : "",
				sa->initiator ? "initiator" : "responder", ike_state_name(sa->state));
			if (sa->state == IKE_P1_COMPLETE)
				fprintf(f, ",\"encryption\":\"%s\",\"keylen\":%u,\"hash\":\"%s\","
					"\"group\":%u,\"lifetime\":%u,\"remaining\":%lld,\"dpd\":%s,"
					"\"nat_t\":%s", p1_enc_name(sa->chosen.enc), sa->chosen.keylen,
					p1_hash_name(sa->chosen.hash), sa->chosen.group,
					sa->chosen.life_sec ? sa->chosen.life_sec : 86400,
					left, sa->peer_dpd ? "true" : "false",
					sa->natt && (sa->nat_here || sa->nat_there) ? "true" : "false");
			fputc('}', f);
			first = false;
			continue;
		}
		fprintf(f, "%-15s %-15s %-14s %7u %s\n", dst, src, ike_status(sa), 1000 + sa->id,
			sa->state == IKE_P1_COMPLETE ? "ACTIVE" : "");
	}
	if (json)
		fputs("]\n", f);
}

/* The interface a child belongs to: the mgre device, the VTI, or the map's. */
static const char *iface_of(struct daemon *d, const struct child *c, char *buf)
{
	if (c->prot.kind == P2_MGRE)
		return if_indextoname((unsigned int)c->prot.ifindex, buf) ? buf : "?";
	if (c->prot.kind == P2_VTI)
		return c->prot.iface;
	for (int i = 0; i < d->conf.nifaces; i++)
		if (d->conf.ifaces[i].map[0] &&
		    !strncmp(c->prot.profile, d->conf.ifaces[i].map,
			     strlen(d->conf.ifaces[i].map)) &&
		    c->prot.profile[strlen(d->conf.ifaces[i].map)] == ' ')
			return d->conf.ifaces[i].name;
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

/* One IPsec SA pair as the views show it. */
struct child_view {
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];	/* the endpoints */
	char li[64], ri[64];				/* the traffic selectors */
	char t[64];					/* the transform set */
	char ifn[IF_NAMESIZE];
	const char *ifname;
	const char *tag;	/* the crypto map tag: the map's, or the interface */
	long long left;		/* seconds */
	/* the counters, from the module (GRE) or XFRM, in the module's slots */
	uint64_t xi[MGRE_STATS_A_MAX + 1], xo[MGRE_STATS_A_MAX + 1];
	const uint64_t *in, *out;
	bool has_in, has_out;	/* the kernel holds the SA */
};

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

static void child_view(struct daemon *d, const struct child *c, struct ksas *k,
		       struct child_view *v)
{
	v->ifname = iface_of(d, c, v->ifn);
	v->tag = c->prot.kind == P2_MAP ? c->prot.profile : v->ifname;
	v->left = secs_left(c->born + (int64_t)c->a.life_sec * 1000, d->ike.now);
	p2_ts_str(&c->prot.local, v->li, sizeof(v->li));
	p2_ts_str(&c->prot.remote, v->ri, sizeof(v->ri));
	addr_str(&c->path.local, v->l, sizeof(v->l));
	addr_str(&c->path.remote, v->r, sizeof(v->r));
	tset_name(&c->a, v->t, sizeof(v->t));
	child_counts(d, c, k, v);
}

static void ipsec_json(FILE *f, const struct child *c, const struct child_view *v, bool first)
{
	const uint64_t *si = v->in, *so = v->out;

	fprintf(f, "%s{\"local\":\"%s\",\"peer\":\"%s\",\"conn_id\":%u,"
		"\"inbound_spi\":%u,\"outbound_spi\":%u,\"transform\":\"%s\","
		"\"mode\":\"%s\",\"encapsulation\":%u,\"lifetime\":%u,\"remaining\":%lld,"
		"\"lifetime_kb\":%u,\"pkts_encaps\":%llu,\"pkts_decaps\":%llu,"
		"\"bytes_out\":%llu,\"bytes_in\":%llu,\"send_errors\":%llu,"
		"\"no_sa\":%llu,\"replay_failed\":%llu,\"verify_failed\":%llu,"
		"\"invalid_len\":%llu,\"recv_errors\":%llu,\"in_kernel\":%s,"
		"\"interface\":\"%s\",\"local_ident\":\"%s\",\"remote_ident\":\"%s\"}",
		first ? "" : ",", v->l, v->r, c->conn_id, c->spi_in, c->spi_out, v->t,
		mode_of(&c->a), c->a.encap, c->a.life_sec, v->left, c->a.life_kb,
		(unsigned long long)so[MGRE_STATS_A_TX_PACKETS],
		(unsigned long long)si[MGRE_STATS_A_RX_PACKETS],
		(unsigned long long)so[MGRE_STATS_A_TX_BYTES],
		(unsigned long long)si[MGRE_STATS_A_RX_BYTES],
		(unsigned long long)so[MGRE_STATS_A_TX_ERR],
		(unsigned long long)so[MGRE_STATS_A_NO_SA],
		(unsigned long long)si[MGRE_STATS_A_REPLAY],
		(unsigned long long)si[MGRE_STATS_A_AUTH_FAIL],
		(unsigned long long)si[MGRE_STATS_A_INVALID_LEN],
		(unsigned long long)si[MGRE_STATS_A_RX_ERR],
		v->has_in && v->has_out ? "true" : "false", v->ifname, v->li, v->ri);
}

/* The idents, the peer and the packet counters of one pair. */
static void ipsec_text_counts(FILE *f, const struct child *c, const struct child_view *v,
			      bool detail)
{
	const uint64_t *si = v->in, *so = v->out;

	fprintf(f, "   local  ident (addr/mask/prot/port): (%s)\n"
		"   remote ident (addr/mask/prot/port): (%s)\n"
		"   current_peer %s port %u\n"
		"    #pkts encaps: %llu, #pkts encrypt: %llu, #pkts digest: %llu\n"
		"    #pkts decaps: %llu, #pkts decrypt: %llu, #pkts verify: %llu\n"
		"    #send errors %llu, #recv errors %llu\n"
		"     local crypto endpt.: %s, remote crypto endpt.: %s\n"
		"     current outbound spi: 0x%X(%u)\n", v->li, v->ri, v->r,
		addr_port(&c->path.remote),
		(unsigned long long)so[MGRE_STATS_A_TX_PACKETS],
		(unsigned long long)so[MGRE_STATS_A_TX_PACKETS],
		(unsigned long long)so[MGRE_STATS_A_TX_PACKETS],
		(unsigned long long)si[MGRE_STATS_A_RX_PACKETS],
		(unsigned long long)si[MGRE_STATS_A_RX_PACKETS],
		(unsigned long long)si[MGRE_STATS_A_RX_PACKETS],
		(unsigned long long)so[MGRE_STATS_A_TX_ERR],
		(unsigned long long)(si[MGRE_STATS_A_RX_ERR] + si[MGRE_STATS_A_AUTH_FAIL] +
				     si[MGRE_STATS_A_REPLAY] + si[MGRE_STATS_A_INVALID_LEN]),
		v->l, v->r, c->spi_out, c->spi_out);
	if (detail)
		fprintf(f, "    #pkts no sa (send) %llu, #pkts invalid sa (rcv) %llu\n"
			"    #pkts replay failed (rcv): %llu, #pkts verify failed: %llu\n"
			"    #pkts invalid len (rcv): %llu\n",
			(unsigned long long)so[MGRE_STATS_A_NO_SA],
			(unsigned long long)si[MGRE_STATS_A_INVALID_SA],
			(unsigned long long)si[MGRE_STATS_A_REPLAY],
			(unsigned long long)si[MGRE_STATS_A_AUTH_FAIL],
			(unsigned long long)si[MGRE_STATS_A_INVALID_LEN]);
}

/* The "inbound esp sas" or "outbound esp sas" block. */
static void ipsec_text_esp(FILE *f, const struct child *c, const struct child_view *v,
			   bool out)
{
	uint32_t spi = out ? c->spi_out : c->spi_in;
	uint64_t used = (out ? v->out[MGRE_STATS_A_TX_BYTES] : v->in[MGRE_STATS_A_RX_BYTES]) / 1024;

	fprintf(f, "\n     %s esp sas:\n      spi: 0x%X(%u)\n"
		"        transform: %s ,\n        in use settings ={%s, }\n"
		"        conn id: %u, crypto map: %s-head-0\n"
		"        sa timing: remaining key lifetime (k/sec): (%llu/%lld)\n"
		"        IV size: %d bytes\n        replay detection support: Y\n"
		"        Status: %s\n", out ? "outbound" : "inbound", spi, spi, v->t,
		mode_of(&c->a), c->conn_id, v->tag,
		(unsigned long long)(c->a.life_kb > used ? c->a.life_kb - used : 0), v->left,
		c->a.esp_id == ESP_AES ? 16 : c->a.esp_id == ESP_NULL ? 0 : 8,
		(out ? v->has_out : v->has_in) ? "ACTIVE" : "NOT IN KERNEL");
}

static void show_ipsec(struct daemon *d, FILE *f, bool detail, bool json)
{
	char last[IF_NAMESIZE + CONF_NAME] = "";
	struct ksas k = { 0 };
	struct child_view v;
	bool first = true;

	if (json)
		fputc('[', f);
	for (const struct child *c = d->ike.children; c; c = c->next) {
		child_view(d, c, &k, &v);
		if (json) {
			ipsec_json(f, c, &v, first);
			first = false;
			continue;
		}
		if (strcmp(last, v.tag)) {
			snprintf(last, sizeof(last), "%s", v.tag);
			fprintf(f, "interface: %s\n", v.ifname);
			if (c->prot.kind == P2_MAP)
				fprintf(f, "    Crypto map tag: %s, local addr %s\n\n", c->prot.profile,
					v.l);
		}
		ipsec_text_counts(f, c, &v, detail);
		ipsec_text_esp(f, c, &v, false);
		ipsec_text_esp(f, c, &v, true);
		fputc('\n', f);
	}
	if (json)
		fputs("]\n", f);
	free(k.sa);
}

/* "host A", "A/len", as IOS writes a flow */
static char *flow_addr(const struct p2_ts *ts, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(ts->family, ts->addr, a, sizeof(a));
	if (ts->plen == (ts->family == AF_INET6 ? 128 : 32))
		snprintf(buf, len, "host %s", a);
	else
		snprintf(buf, len, "%s/%u", a, ts->plen);
	return buf;
}

void show_session(struct daemon *d, FILE *f, bool detail, bool json)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], li[64], ri[64], ifn[IF_NAMESIZE];
	bool first = true;

	if (json)
		fputc('[', f);
	else
		fprintf(f, "Crypto session current status\n\n");
	for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next) {
		const char *ifname = "?";
		int n = 0;

		if (sa->state != IKE_P1_COMPLETE)
			continue;
		for (const struct child *c = d->ike.children; c; c = c->next)
			if (addr_same(&c->path.remote, &sa->path.remote)) {
				n++;
				ifname = iface_of(d, c, ifn);
			}
		addr_str(&sa->path.local, l, sizeof(l));
		addr_str(&sa->path.remote, r, sizeof(r));
		if (json) {
			fprintf(f, "%s{\"peer\":\"%s\",\"port\":%u,\"session_status\":\"UP-ACTIVE\","
				"\"ike_conn_id\":%u,\"ipsec_flows\":%d}", first ? "" : ",", r,
				addr_port(&sa->path.remote), sa->id, n);
			first = false;
			continue;
		}
		fprintf(f, "Interface: %s\nSession status: UP-ACTIVE\nPeer: %s port %u\n"
			"  IKE SA: local %s/%u remote %s/%u Active\n", ifname, r,
			addr_port(&sa->path.remote), l, addr_port(&sa->path.local), r,
			addr_port(&sa->path.remote));
		if (detail)
			fprintf(f, "          Capabilities:%s connid:%u lifetime:%lld s\n",
				sa->peer_dpd ? "D" : "(none)", sa->id,
				secs_left(sa->expires, d->ike.now));
		for (const struct child *c = d->ike.children; c; c = c->next) {
			if (!addr_same(&c->path.remote, &sa->path.remote) || c->rekeyed)
				continue;
			fprintf(f, "  IPSEC FLOW: permit %u %s %s\n        Active SAs: 2, "
				"origin: crypto map\n", c->prot.local.proto,
				flow_addr(&c->prot.local, li, sizeof(li)),
				flow_addr(&c->prot.remote, ri, sizeof(ri)));
		}
		fputc('\n', f);
	}
	if (json)
		fputs("]\n", f);
}

/* One command of lib/ctl_proto.c's table (each has its case: -Wswitch). */
static void show_command(struct daemon *d, const struct ctl_req *r, FILE *f)
{
	switch (r->def->id) {
	case CTL_SHOW_ISAKMP_SA:
		show_isakmp(d, f, r->detail, r->json);
		break;
	case CTL_SHOW_IPSEC_SA:
		show_ipsec(d, f, r->detail, r->json);
		break;
	case CTL_SHOW_SESSION:
		show_session(d, f, r->detail, r->json);
		break;
	case CTL_CLEAR_SA:
		log_info("clear crypto sa: deleting every IPsec SA");
		ike_clear_children(&d->ike);
		break;
	case CTL_CLEAR_ISAKMP:
		log_info("clear crypto isakmp: deleting every ISAKMP SA");
		ike_clear_sas(&d->ike);
		break;
	case CTL_SHOW_NHRP:
	case CTL_SHOW_NHRP_NHS:
	case CTL_SHOW_NHRP_TRAFFIC:
	case CTL_SHOW_DMVPN:
	case CTL_CLEAR_NHRP:
		d->nhrp.now = d->ike.now;
		show_nhrp_command(d, r, f);
		break;
	}
}

static void answer(void *arg, const struct ctl_req *r, FILE *f)
{
	struct daemon *d = arg;

	d->ike.now = loop_clock_ms();
	show_command(d, r, f);
}

int ctl_server_open(struct daemon *d)
{
	static const struct ctl_limits lim = { CTL_LINE_MS, CTL_DRAIN_MS };

	d->ctl = ctl_server_new(&d->loop, d->sock_path, &lim, answer, d);
	return d->ctl ? 0 : -1;
}

void ctl_server_close(struct daemon *d)
{
	ctl_server_free(d->ctl);
	d->ctl = NULL;
}
