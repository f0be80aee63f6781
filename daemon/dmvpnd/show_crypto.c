// SPDX-License-Identifier: GPL-2.0
/*
 * "show crypto isakmp sa [detail]", "show crypto ipsec sa [detail]" and
 * "show crypto session [detail]", laid out as IOS prints them (seed 004),
 * each also as JSON; and the crypto part of "show dmvpn detail".  Packet
 * counters come from the kernel (show_sa.c).  IOS prints VRFs, and a few
 * counters of features dmvpnd does not have (compression, replay
 * rollover, IKE descriptions): those are printed as IOS prints them when
 * unused, "(none)" or 0, each said below.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dmvpnd/show.h"
#include "lib/log.h"

/* ---- show crypto isakmp sa ---- */

#define ISAKMP_DETAIL_FMT "%-5s %-15s %-15s %-6s %-6s %-4s %-6s %-4s %-2s %-8s %s\n"

static bool is_v6(const struct ike_sa *sa)
{
	return sa->path.remote.ss_family == AF_INET6;
}

/* One SA of the detail view (seed 004: "1001 172.16.1.1 172.16.10.1 ACTIVE 3des sha psk 1 ..."). */
static void isakmp_detail_sa(struct daemon *d, FILE *f, const struct ike_sa *sa)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], id[16], dh[8], life[16], cap[4];
	bool up = sa->state == IKE_P1_COMPLETE;

	snprintf(id, sizeof(id), "%u", 1000 + sa->id);
	snprintf(dh, sizeof(dh), "%u", sa->chosen.group);
	hms(secs_left(sa->expires, d->ike.now), life, sizeof(life));
	ike_caps(d, sa, cap);
	addr_str(&sa->path.local, l, sizeof(l));
	addr_str(&sa->path.remote, r, sizeof(r));
	/* the I-VRF column is empty: no VRFs here, as IOS prints the global table */
	if (!is_v6(sa)) {
		fprintf(f, ISAKMP_DETAIL_FMT, id, l, r, "", up ? "ACTIVE" : ike_status(sa),
			up ? p1_enc_short(&sa->chosen) : "", up ? p1_hash_short(sa->chosen.hash) :
			"", up ? "psk" : "", up ? dh : "", up ? life : "", cap);
	} else {
		/* IPv6 addresses do not fit the columns: IOS gives each its line */
		fprintf(f, "%-5s %s\n", id, l);
		fprintf(f, ISAKMP_DETAIL_FMT, "", r, "", "", up ? "ACTIVE" : ike_status(sa),
			up ? p1_enc_short(&sa->chosen) : "", up ? p1_hash_short(sa->chosen.hash) :
			"", up ? "psk" : "", up ? dh : "", up ? life : "", cap);
	}
	fprintf(f, "       Engine-id:Conn-id =  SW:%u\n\n", sa->id);
}

static void isakmp_detail(struct daemon *d, FILE *f)
{
	fputs("Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
	      "       K - Keepalives, N - NAT-traversal\n"
	      "       T - cTCP encapsulation, X - IKE Extended Authentication\n"
	      "       psk - Preshared key, rsig - RSA signature\n"
	      "       renc - RSA encryption\n", f);
	for (int v6 = 0; v6 < 2; v6++) {
		bool any = !v6;		/* as seed 004: IPv6's heading alone when it has none */

		for (const struct ike_sa *sa = d->ike.sas; sa && !any; sa = sa->next)
			any = is_v6(sa);
		fprintf(f, "IPv%d Crypto ISAKMP SA\n\n", v6 ? 6 : 4);
		if (!any)
			continue;
		fprintf(f, ISAKMP_DETAIL_FMT, "C-id", "Local", "Remote", "I-VRF", "Status", "Encr",
			"Hash", "Auth", "DH", "Lifetime", "Cap.");
		fputc('\n', f);
		for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next)
			if (is_v6(sa) == v6)
				isakmp_detail_sa(d, f, sa);
	}
}

static void isakmp_json(struct daemon *d, FILE *f, const struct ike_sa *sa, bool first)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN], cap[4];
	long long left = secs_left(sa->expires, d->ike.now);
	/* IOS prints the responder's view as dst = us */
	const struct sockaddr_storage *a = sa->initiator ? &sa->path.remote : &sa->path.local;
	const struct sockaddr_storage *b = sa->initiator ? &sa->path.local : &sa->path.remote;

	addr_str(a, dst, sizeof(dst));
	addr_str(b, src, sizeof(src));
	ike_caps(d, sa, cap);
	fprintf(f, "%s{\"dst\":\"%s\",\"src\":\"%s\",\"state\":\"%s\",\"conn_id\":%u,"
		"\"status\":\"%s\",\"role\":\"%s\",\"engine_state\":\"%s\",\"engine_id\":%u,"
		"\"encrypted\":%lu,\"decrypted\":%lu", first ? "" : ",", dst, src, ike_status(sa),
		1000 + sa->id, sa->state == IKE_P1_COMPLETE ? "ACTIVE" : "",
		sa->initiator ? "initiator" : "responder", ike_state_name(sa->state), sa->id,
		sa->n_encrypted, sa->n_decrypted);
	if (sa->state == IKE_P1_COMPLETE)
		fprintf(f, ",\"encryption\":\"%s\",\"keylen\":%u,\"hash\":\"%s\","
			"\"group\":%u,\"lifetime\":%u,\"remaining\":%lld,\"dpd\":%s,"
			"\"nat_t\":%s,\"capabilities\":\"%s\"", p1_enc_name(sa->chosen.enc),
			sa->chosen.keylen, p1_hash_name(sa->chosen.hash), sa->chosen.group,
			sa->chosen.life_sec ? sa->chosen.life_sec : 86400, left,
			sa->peer_dpd ? "true" : "false",
			sa->natt && (sa->nat_here || sa->nat_there) ? "true" : "false", cap);
	fputc('}', f);
}

void show_isakmp(struct daemon *d, FILE *f, bool detail, bool json)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	bool first = true;

	if (json) {
		fputc('[', f);
		for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next, first = false)
			isakmp_json(d, f, sa, first);
		fputs("]\n", f);
		return;
	}
	if (detail) {
		isakmp_detail(d, f);
		return;
	}
	fprintf(f, "IPv4 Crypto ISAKMP SA\n%-15s %-15s %-14s %7s %s\n", "dst", "src", "state",
		"conn-id", "status");
	for (int v6 = 0; v6 < 2; v6++) {
		if (v6)
			fputs("\nIPv6 Crypto ISAKMP SA\n\n", f);
		for (const struct ike_sa *sa = d->ike.sas; sa; sa = sa->next) {
			const struct sockaddr_storage *a, *b;
			const char *status = sa->state == IKE_P1_COMPLETE ? "ACTIVE" : "";

			if (is_v6(sa) != v6)
				continue;
			a = sa->initiator ? &sa->path.remote : &sa->path.local;
			b = sa->initiator ? &sa->path.local : &sa->path.remote;
			addr_str(a, dst, sizeof(dst));
			addr_str(b, src, sizeof(src));
			if (!v6)
				fprintf(f, "%-15s %-15s %-14s %7u %s\n", dst, src, ike_status(sa),
					1000 + sa->id, status);
			else	/* as IOS: the addresses on their own lines */
				fprintf(f, " dst: %s\n src: %s\n state: %-14s conn-id: %6u status: "
					"%s\n\n", dst, src, ike_status(sa), 1000 + sa->id, status);
		}
	}
}

/* ---- show crypto ipsec sa ---- */

static const char *mode_of(const struct p2_attrs *a)
{
	return p2_tunnel_mode(a) ? "Tunnel" : "Transport";
}

static void ipsec_json(FILE *f, const struct child *c, const struct child_view *v, bool first)
{
	const uint64_t *si = v->in, *so = v->out;

	fprintf(f, "%s{\"local\":\"%s\",\"peer\":\"%s\",\"conn_id\":%u,\"flow_id_in\":%u,"
		"\"flow_id_out\":%u,\"inbound_spi\":%u,\"outbound_spi\":%u,\"transform\":\"%s\","
		"\"mode\":\"%s\",\"encapsulation\":%u,\"pfs_group\":%u,\"lifetime\":%u,"
		"\"remaining\":%lld,\"lifetime_kb\":%u,\"remaining_kb\":%llu,\"pkts_encaps\":%llu,"
		"\"pkts_decaps\":%llu,\"bytes_out\":%llu,\"bytes_in\":%llu,\"send_errors\":%llu,"
		"\"no_sa\":%llu,\"invalid_sa\":%llu,\"replay_failed\":%llu,\"verify_failed\":%llu,"
		"\"invalid_len\":%llu,\"recv_errors\":%llu,\"in_kernel\":%s,\"rekeyed\":%s,"
		"\"interface\":\"%s\",\"crypto_map\":\"%s\",\"local_ident\":\"%s\","
		"\"remote_ident\":\"%s\"}",
		first ? "" : ",", v->l, v->r, c->conn_id, c->flow_id, c->flow_id + 1, c->spi_in,
		c->spi_out, v->t, mode_of(&c->a), c->a.encap, c->a.group, c->a.life_sec, v->left,
		c->a.life_kb, v->kb_left,
		(unsigned long long)so[MGRE_STATS_A_TX_PACKETS],
		(unsigned long long)si[MGRE_STATS_A_RX_PACKETS],
		(unsigned long long)so[MGRE_STATS_A_TX_BYTES],
		(unsigned long long)si[MGRE_STATS_A_RX_BYTES],
		(unsigned long long)so[MGRE_STATS_A_TX_ERR],
		(unsigned long long)so[MGRE_STATS_A_NO_SA],
		(unsigned long long)si[MGRE_STATS_A_INVALID_SA],
		(unsigned long long)si[MGRE_STATS_A_REPLAY],
		(unsigned long long)si[MGRE_STATS_A_AUTH_FAIL],
		(unsigned long long)si[MGRE_STATS_A_INVALID_LEN],
		(unsigned long long)si[MGRE_STATS_A_RX_ERR],
		v->has_in && v->has_out ? "true" : "false", c->rekeyed ? "true" : "false",
		v->ifname, v->tag, v->li, v->ri);
}

/* The counters of a flow: its pairs' summed. */
struct flow_sum {
	unsigned long long in[MGRE_STATS_A_MAX + 1], out[MGRE_STATS_A_MAX + 1];
};

static void flow_add(struct flow_sum *s, const struct child_view *v)
{
	for (int i = 0; i <= MGRE_STATS_A_MAX; i++) {
		s->in[i] += v->in[i];
		s->out[i] += v->out[i];
	}
}

/* The flow's header and counters, as seed 004 prints them. */
static void ipsec_flow_text(FILE *f, const struct child *c, const struct child_view *v,
			    const struct flow_sum *s, const char *pmtu, bool detail)
{
	const unsigned long long *si = s->in, *so = s->out;

	fprintf(f, "   protected vrf: (none)\n"		/* no VRFs: IOS's global table */
		"   local  ident (addr/mask/prot/port): (%s)\n"
		"   remote ident (addr/mask/prot/port): (%s)\n"
		"   current_peer %s port %u\n"
		/* the flows are the proxies a line (or the tunnel) gives: IOS's ACL origin */
		"     PERMIT, flags={origin_is_acl,}\n"
		"    #pkts encaps: %llu, #pkts encrypt: %llu, #pkts digest: %llu\n"
		"    #pkts decaps: %llu, #pkts decrypt: %llu, #pkts verify: %llu\n"
		/* no IPComp here: IOS's zeros */
		"    #pkts compressed: 0, #pkts decompressed: 0\n"
		"    #pkts not compressed: 0, #pkts compr. failed: 0\n"
		"    #pkts not decompressed: 0, #pkts decompress failed: 0\n", v->li, v->ri, v->r,
		addr_port(&c->path.remote), so[MGRE_STATS_A_TX_PACKETS],
		so[MGRE_STATS_A_TX_PACKETS], c->a.auth ? so[MGRE_STATS_A_TX_PACKETS] : 0,
		si[MGRE_STATS_A_RX_PACKETS], si[MGRE_STATS_A_RX_PACKETS],
		c->a.auth ? si[MGRE_STATS_A_RX_PACKETS] : 0);
	if (detail)
		/*
		 * the module counts no identity check (either mode carries
		 * GRE between the two NBMA addresses, nothing else reaches the
		 * SA), no replay rollover (it stops at the hard limit first) and
		 * no internal errors apart from the send and receive errors: 0
		 */
		fprintf(f, "    #pkts no sa (send) %llu, #pkts invalid sa (rcv) %llu\n"
			"    #pkts encaps failed (send) %llu, #pkts decaps failed (rcv) %llu\n"
			"    #pkts invalid prot (recv) %llu, #pkts verify failed: %llu\n"
			"    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) %llu\n"
			"    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0\n"
			"    ##pkts replay failed (rcv): %llu\n"
			"    #pkts internal err (send): 0, #pkts internal err (recv) 0\n",
			so[MGRE_STATS_A_NO_SA], si[MGRE_STATS_A_INVALID_SA],
			so[MGRE_STATS_A_TX_ERR], si[MGRE_STATS_A_RX_ERR],
			si[MGRE_STATS_A_GRE_ERR], si[MGRE_STATS_A_AUTH_FAIL],
			si[MGRE_STATS_A_INVALID_LEN], si[MGRE_STATS_A_REPLAY]);
	else
		fprintf(f, "    #send errors %llu, #recv errors %llu\n",
			so[MGRE_STATS_A_TX_ERR] + so[MGRE_STATS_A_NO_SA],
			si[MGRE_STATS_A_RX_ERR] + si[MGRE_STATS_A_AUTH_FAIL] +
			si[MGRE_STATS_A_REPLAY] + si[MGRE_STATS_A_INVALID_LEN] +
			si[MGRE_STATS_A_INVALID_SA] + si[MGRE_STATS_A_GRE_ERR]);
	fprintf(f, "\n     local crypto endpt.: %s, remote crypto endpt.: %s\n%s"
		"     current outbound spi: 0x%X(%u)\n     PFS (Y/N): %s, DH group: ", v->l, v->r,
		pmtu, c->spi_out, c->spi_out, c->a.group ? "Y" : "N");
	if (c->a.group)
		fprintf(f, "group%u\n", c->a.group);
	else
		fputs("none\n", f);
}

/* One "spi:" block of "inbound esp sas:" or "outbound esp sas:". */
static void ipsec_esp(FILE *f, const struct child *c, const struct child_view *v, bool out)
{
	uint32_t spi = out ? c->spi_out : c->spi_in;
	unsigned int flow = out ? c->flow_id + 1 : c->flow_id;

	/* sibling_flags is IOS's internal state of the SA: nothing of ours, 0 */
	fprintf(f, "      spi: 0x%X(%u)\n"
		"        transform: %s ,\n        in use settings ={%s, }\n"
		"        conn id: %u, flow_id: SW:%u, sibling_flags 00000000, crypto map: %s\n"
		"        sa timing: remaining key lifetime (k/sec): (%llu/%lld)\n"
		"        IV size: %d bytes\n        replay detection support: %s\n"
		"        Status: %s\n\n", spi, spi, v->t, mode_of(&c->a), flow, flow, v->tag,
		v->kb_left, v->left,
		c->a.esp_id == ESP_AES ? 16 : c->a.esp_id == ESP_NULL ? 0 : 8,
		c->a.auth || c->a.esp_id == ESP_AES_GCM_16 ? "Y" : "N",
		(out ? v->has_out : v->has_in) ? "ACTIVE" : "NOT IN KERNEL");
}

/* The protected interface's MTU (its ip mtu); 0 if it cannot be read. */
static unsigned int dev_mtu(const struct child *c)
{
	struct ifreq ifr = { 0 };
	int s, err;

	if (c->prot.kind == P2_VTI)
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->prot.iface);
	else if (c->prot.kind != P2_MGRE || !if_indextoname((unsigned int)c->prot.ifindex,
							      ifr.ifr_name))
		return 0;	/* a crypto map's: the interface is the system's */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	err = s < 0 || ioctl(s, SIOCGIFMTU, &ifr);
	if (s >= 0)
		close(s);
	return err ? 0 : (unsigned int)ifr.ifr_mtu;
}

/* The path MTU line: the module's per-peer path MTU, the interface's (0: not known). */
static void pmtu_line(struct daemon *d, const struct child *c, char *buf, size_t len)
{
	struct mgre_peer_info p = { 0 };

	if (c->prot.kind == P2_MGRE && d->kern_up && c->path.remote.ss_family == AF_INET)
		kern_peer_get(&d->kern, c->prot.ifindex,
			      ((const struct sockaddr_in *)&c->path.remote)->sin_addr.s_addr, &p);
	/* dmvpnd does not follow the underlay's interface: IOS's "(none)" for it */
	snprintf(buf, len, "     path mtu %u, ip mtu %u, ip mtu idb (none)\n", p.pmtu,
		 dev_mtu(c));
}

static bool same_flow(const struct child *a, const struct child *b)
{
	return addr_same(&a->path.remote, &b->path.remote) && ike_prot_same(&a->prot, &b->prot);
}

void show_ipsec(struct daemon *d, FILE *f, bool detail, bool json)
{
	char last[IF_NAMESIZE + CONF_NAME] = "", pmtu[96];
	struct ksas k = { 0 };
	struct child_view v, w;
	bool first = true;

	if (json) {
		fputc('[', f);
		for (const struct child *c = d->ike.children; c; c = c->next, first = false) {
			child_view(d, c, &k, &v);
			ipsec_json(f, c, &v, first);
		}
		fputs("]\n", f);
		ksas_free(&k);
		return;
	}
	if (!d->ike.children)
		fputs("There are no ipsec sas\n", f);
	for (const struct child *c = d->ike.children; c; c = c->next) {
		struct flow_sum s = { 0 };
		const struct child *newest = c;
		bool seen = false;

		/* a flow once, at its first pair: the pairs of a rekey are its SAs */
		for (const struct child *o = d->ike.children; o != c && !seen; o = o->next)
			seen = same_flow(o, c);
		if (seen)
			continue;
		for (const struct child *o = c; o; o = o->next)
			if (same_flow(o, c)) {
				child_view(d, o, &k, &w);
				flow_add(&s, &w);
				if (o->born >= newest->born)
					newest = o;
			}
		child_view(d, newest, &k, &v);
		if (strcmp(last, v.tag)) {
			snprintf(last, sizeof(last), "%s", v.tag);
			fprintf(f, "interface: %s\n    Crypto map tag: %s, local addr %s\n\n",
				v.ifname, v.tag, v.l);
		}
		pmtu_line(d, newest, pmtu, sizeof(pmtu));
		ipsec_flow_text(f, newest, &v, &s, pmtu, detail);
		for (int out = 0; out < 2; out++) {
			fprintf(f, "\n     %s esp sas:\n", out ? "outbound" : "inbound");
			for (const struct child *o = c; o; o = o->next)
				if (same_flow(o, c)) {
					child_view(d, o, &k, &w);
					ipsec_esp(f, o, &w, out);
				}
			/* no AH or IPComp SAs here: IOS's empty lists */
			fprintf(f, "     %s ah sas:\n\n     %s pcp sas:\n", out ? "outbound" :
				"inbound", out ? "outbound" : "inbound");
		}
		fputc('\n', f);
	}
	ksas_free(&k);
}

/* ---- show crypto session ---- */

/* "host A", "A/MASK" (IPv4) or "A/LEN", as IOS writes a flow */
static char *flow_addr(const struct p2_ts *ts, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], m[INET_ADDRSTRLEN];

	inet_ntop(ts->family, ts->addr, a, sizeof(a));
	if (ts->plen == (ts->family == AF_INET6 ? 128 : 32)) {
		snprintf(buf, len, "host %s", a);
	} else if (ts->family == AF_INET) {
		uint32_t mask = htonl(ts->plen ? 0xffffffffu << (32 - ts->plen) : 0);

		inet_ntop(AF_INET, &mask, m, sizeof(m));
		snprintf(buf, len, "%s/%s", a, m);
	} else {
		snprintf(buf, len, "%s/%u", a, ts->plen);
	}
	return buf;
}

static void flow_proto(const struct p2_ts *ts, char *buf, size_t len)
{
	if (ts->proto)
		snprintf(buf, len, "%u", ts->proto);
	else
		snprintf(buf, len, "ip");
}

/* A session's flows: each (proxies) once, with its pairs' SAs and counters. */
static void session_flows(struct daemon *d, FILE *f, const struct session *s, struct ksas *k,
			  bool detail, bool dmvpn)
{
	char li[80], ri[80], pr[8];
	struct child_view v;

	for (const struct child *c = s->first; c; c = c->pnext) {
		unsigned long long dec = 0, enc = 0, din = 0, dout = 0;
		const struct child *newest = c;
		int nsa = 0;
		bool seen = false;

		for (const struct child *o = s->first; o != c && !seen; o = o->pnext)
			seen = ike_prot_same(&o->prot, &c->prot);
		if (seen)
			continue;
		for (const struct child *o = c; o; o = o->pnext) {
			if (!ike_prot_same(&o->prot, &c->prot))
				continue;
			child_view(d, o, k, &v);
			nsa += v.has_in + v.has_out;
			dec += v.in[MGRE_STATS_A_RX_PACKETS];
			enc += v.out[MGRE_STATS_A_TX_PACKETS];
			din += v.in[MGRE_STATS_A_REPLAY] + v.in[MGRE_STATS_A_AUTH_FAIL] +
			       v.in[MGRE_STATS_A_INVALID_LEN] + v.in[MGRE_STATS_A_RX_ERR] +
			       v.in[MGRE_STATS_A_INVALID_SA] + v.in[MGRE_STATS_A_GRE_ERR];
			dout += v.out[MGRE_STATS_A_NO_SA] + v.out[MGRE_STATS_A_TX_ERR];
			if (o->born >= newest->born)
				newest = o;
		}
		child_view(d, newest, k, &v);
		flow_proto(&c->prot.local, pr, sizeof(pr));
		/* IOS names every flow's origin "crypto map", tunnel protection's too */
		fprintf(f, "  IPSEC FLOW: permit %s %s %s\n"
			"        Active SAs: %d, origin: crypto map\n", pr, flow_addr(&c->prot.local, li, sizeof(li)),
			flow_addr(&c->prot.remote, ri, sizeof(ri)), nsa);
		if (detail)
			fprintf(f, "        Inbound:  #pkts dec'ed %llu drop %llu life (KB/Sec) "
				"%llu/%lld\n        Outbound: #pkts enc'ed %llu drop %llu life "
				"(KB/Sec) %llu/%lld\n", dec, din, v.kb_left, v.left, enc, dout,
				v.kb_left, v.left);
		if (dmvpn)
			fprintf(f, "   Outbound SPI : 0x%8X, transform : %s\n"
				"    Socket State: %s\n", newest->spi_out, v.t, v.has_in && v.has_out ? "Open" : "Closed");
	}
}

static void session_ike(struct daemon *d, FILE *f, const struct session *s, bool detail)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], t[16], cap[4];

	for (const struct ike_sa *sa = ike_peer_sas(&d->ike, s->remote); sa; sa = sa->pnext) {
		if (sa->state != IKE_P1_COMPLETE)
			continue;
		ike_caps(d, sa, cap);
		fprintf(f, "  IKEv1 SA: local %s/%u remote %s/%u Active\n",
			addr_str(&sa->path.local, l, sizeof(l)), addr_port(&sa->path.local),
			addr_str(&sa->path.remote, r, sizeof(r)), addr_port(&sa->path.remote));
		if (detail)
			fprintf(f, "          Capabilities:%s connid:%u lifetime:%s\n",
				cap[0] ? cap : "(none)", 1000 + sa->id,
				hms(secs_left(sa->expires, d->ike.now), t, sizeof(t)));
	}
}

/* Its interface: its newest pair's, or what its SA was for. */
static const char *session_iface(struct daemon *d, const struct session *s, char *buf)
{
	if (s->first)
		return prot_iface(d, &s->first->prot, &s->first->path, buf);
	return s->sa ? prot_iface(d, &s->sa->prot, &s->sa->path, buf) : "?";
}

/* Up since its SA completed phase 1, or its oldest pair was made. */
static long long session_uptime(struct daemon *d, const struct session *s)
{
	int64_t since = 0;

	for (const struct ike_sa *sa = ike_peer_sas(&d->ike, s->remote); sa; sa = sa->pnext)
		if (sa->up_at && (!since || sa->up_at < since))
			since = sa->up_at;
	for (const struct child *c = s->first; c; c = c->pnext)
		if (!since || c->born < since)
			since = c->born;
	return since ? (d->ike.now - since) / 1000 : 0;
}

static void session_json(struct daemon *d, FILE *f, const struct session *s, bool first)
{
	char r[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];

	fprintf(f, "%s{\"interface\":\"%s\",\"peer\":\"%s\",\"port\":%u,"
		"\"session_status\":\"%s\",\"uptime\":%lld,\"ike_conn_id\":%u,\"ike_sas\":%d,"
		"\"ipsec_pairs\":%d}", first ? "" : ",", session_iface(d, s, ifn),
		addr_str(s->remote, r, sizeof(r)), addr_port(s->sa ? &s->sa->path.remote :
							   &s->first->path.remote),
		session_status(s), session_uptime(d, s), s->sa ? 1000 + s->sa->id : 0, s->nsas,
		s->nchildren);
}

void show_session(struct daemon *d, FILE *f, bool detail, bool json)
{
	char r[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE], t[16];
	struct ksas k = { 0 };
	int n;
	struct session *v = sessions(d, &n);

	if (json) {
		fputc('[', f);
		for (int i = 0; i < n; i++)
			session_json(d, f, &v[i], !i);
		fputs("]\n", f);
		free(v);
		return;
	}
	fputs("Crypto session current status\n\n", f);
	if (detail)
		fputs("Code: C - IKE Configuration mode, D - Dead Peer Detection\n"
		      "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation\n"
		      "X - IKE Extended Authentication, F - IKE Fragmentation\n\n", f);
	if (!n)
		fputs("There are no crypto sessions\n", f);
	for (int i = 0; i < n; i++) {
		const struct session *s = &v[i];
		const struct sockaddr_storage *rp = s->sa ? &s->sa->path.remote :
						    &s->first->path.remote;

		fprintf(f, "Interface: %s\n", session_iface(d, s, ifn));
		if (detail)
			fprintf(f, "Uptime: %s\n", hms(session_uptime(d, s), t, sizeof(t)));
		fprintf(f, "Session status: %s\n", session_status(s));
		addr_str(s->remote, r, sizeof(r));
		if (detail)
			/* no VRFs, no descriptions: IOS's "(none)"; the identity is the address */
			fprintf(f, "Peer: %s port %u fvrf: (none) ivrf: (none)\n"
				"      Phase1_id: %s\n      Desc: (none)\n", r, addr_port(rp), r);
		else
			fprintf(f, "Peer: %s port %u\n", r, addr_port(rp));
		session_ike(d, f, s, detail);
		session_flows(d, f, s, &k, detail, false);
		fputc('\n', f);
	}
	ksas_free(&k);
	free(v);
}

/*
 * "show dmvpn detail"'s crypto part, seed 004's layout: a session per
 * peer, its SA, state, flows and the outbound SPI.  IOS's "Session:
 * [0x08D513D0]" is the session's handle: ours is the peer's SA engine id.
 */
void show_dmvpn_sessions(struct daemon *d, FILE *f)
{
	char ifn[IF_NAMESIZE], r[INET6_ADDRSTRLEN];
	struct ksas k = { 0 };
	int n;
	struct session *v = sessions(d, &n);

	fputs("Crypto Session Details:\n"
	      "----------------------------------------"
	      "----------------------------------------\n\n", f);
	for (int i = 0; i < n; i++) {
		const struct session *s = &v[i];

		if ((s->first && s->first->prot.kind != P2_MGRE) ||
		    (!s->first && s->sa && s->sa->prot.kind != P2_MGRE))
			continue;	/* DMVPN's are the mGRE devices' sessions */
		fprintf(f, "Interface: %s\nSession: [0x%08X]\n", session_iface(d, s, ifn),
			s->sa ? s->sa->id : 0);
		session_ike(d, f, s, true);
		fprintf(f, "  Crypto Session Status: %s\n  fvrf: (none), Phase1_id: %s\n",
			session_status(s), addr_str(s->remote, r, sizeof(r)));
		session_flows(d, f, s, &k, true, true);
		fputc('\n', f);
	}
	fputs("Pending DMVPN Sessions:\n\n", f);
	ksas_free(&k);
	free(v);
}
