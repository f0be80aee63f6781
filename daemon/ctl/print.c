// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnctl output: text close to Cisco's "show crypto ipsec sa", or JSON
 * (one array per listing, one object per line of input).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include "ctl/ctl.h"

static int ctl_json_n;

void ctl_json_begin(FILE *f)
{
	ctl_json_n = 0;
	fputc('[', f);
}

void ctl_json_end(FILE *f)
{
	fputs("]\n", f);
}

void ctl_print_none(FILE *f, const char *what)
{
	fprintf(f, "no %s\n", what);
}

static void ctl_json_sep(FILE *f)
{
	if (ctl_json_n++)
		fputc(',', f);
}

static const char *ctl_ip(uint32_t be, char *buf)
{
	struct in_addr a = { .s_addr = be };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *ctl_ifname(int ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%d", ifindex);
	return buf;
}

static void ctl_json_stats(FILE *f, const struct mgre_stats_info *s)
{
	const char *sep = "";
	int i;

	fputs(",\"stats\":{", f);
	for (i = 1; i <= MGRE_STATS_A_MAX; i++) {
		if (!ctl_stat_name(i))
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, sep, ctl_stat_name(i), s->v[i]);
		sep = ",";
	}
	fputc('}', f);
}

#define ST(s, x) ((s)->v[MGRE_STATS_A_##x])

static void ctl_text_stats(FILE *f, const struct mgre_stats_info *s)
{
	fprintf(f, "    #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64
		", #pkts digest: %" PRIu64 ", #bytes: %" PRIu64 "\n",
		ST(s, TX_PACKETS), ST(s, TX_PACKETS), ST(s, TX_PACKETS), ST(s, TX_BYTES));
	fprintf(f, "    #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64
		", #pkts verify: %" PRIu64 ", #bytes: %" PRIu64 "\n",
		ST(s, RX_PACKETS), ST(s, RX_PACKETS), ST(s, RX_PACKETS), ST(s, RX_BYTES));
	fprintf(f, "    #send errors %" PRIu64 ", #recv errors %" PRIu64
		", #pkts no sa (send) %" PRIu64 ", #pkts invalid sa (rcv) %" PRIu64 "\n",
		ST(s, TX_ERR), ST(s, RX_ERR), ST(s, NO_SA), ST(s, INVALID_SA));
	fprintf(f, "    #pkts replay failed (rcv): %" PRIu64 ", #pkts verify failed: %" PRIu64
		", #pkts invalid len (rcv): %" PRIu64 ", #gre errors: %" PRIu64
		", #expired: %" PRIu64 "\n",
		ST(s, REPLAY), ST(s, AUTH_FAIL), ST(s, INVALID_LEN), ST(s, GRE_ERR),
		ST(s, EXPIRED));
}

void ctl_print_peer(FILE *f, const struct mgre_peer_info *p, bool json)
{
	char ip[INET_ADDRSTRLEN], ifn[IF_NAMESIZE];
	const char *encap = p->encap == MGRE_ENCAP_ESPINUDP ? "udp" : "esp";

	if (json) {
		ctl_json_sep(f);
		fprintf(f, "{\"dev\":\"%s\",\"ifindex\":%d,\"nbma\":\"%s\",\"encap\":\"%s\","
			"\"sport\":%u,\"dport\":%u,\"pmtu\":%u,\"out_spi\":%u",
			ctl_ifname(p->ifindex, ifn), p->ifindex, ctl_ip(p->nbma, ip), encap,
			p->sport, p->dport, p->pmtu, p->out_spi);
		ctl_json_stats(f, &p->stats);
		fputc('}', f);
		return;
	}
	fprintf(f, "peer %s dev %s encap %s", ctl_ip(p->nbma, ip),
		ctl_ifname(p->ifindex, ifn), encap);
	if (p->encap == MGRE_ENCAP_ESPINUDP)
		fprintf(f, " sport %u dport %u", p->sport, p->dport);
	fprintf(f, " path-mtu %u out-spi 0x%08X\n", p->pmtu, p->out_spi);
	ctl_text_stats(f, &p->stats);
}

static const char *const ctl_lim_names[6] = {
	"soft_bytes", "hard_bytes", "soft_packets", "hard_packets",
	"soft_seconds", "hard_seconds",
};

void ctl_print_sa(FILE *f, const struct mgre_sa_info *s, bool json)
{
	char ip[INET_ADDRSTRLEN], ifn[IF_NAMESIZE];
	const char *dir = s->dir == MGRE_DIR_OUT ? "out" : "in";
	const char *mode = s->mode == MGRE_MODE_TUNNEL ? "tunnel" : "transport";
	int i;

	if (json) {
		ctl_json_sep(f);
		fprintf(f, "{\"dev\":\"%s\",\"ifindex\":%d,\"nbma\":\"%s\",\"dir\":\"%s\","
			"\"spi\":%u,\"enc\":\"%s\",\"auth\":\"%s\",\"replay_window\":%u,"
			"\"esn\":%s,\"mode\":\"%s\",\"seq\":%" PRIu64 ",\"age\":%" PRIu64,
			ctl_ifname(s->ifindex, ifn), s->ifindex, ctl_ip(s->nbma, ip), dir,
			s->spi, ctl_enc_name(s->enc), ctl_auth_name(s->auth),
			s->replay_window, s->esn ? "true" : "false", mode, s->seq, s->age);
		for (i = 0; i < 6; i++)
			fprintf(f, ",\"%s\":%" PRIu64, ctl_lim_names[i], s->lim[i]);
		if (s->expire)
			fprintf(f, ",\"expire\":\"%s\"",
				s->expire == MGRE_EXPIRE_HARD ? "hard" : "soft");
		ctl_json_stats(f, &s->stats);
		fputc('}', f);
		return;
	}
	fprintf(f, "sa dev %s nbma %s dir %s spi 0x%08X(%u) enc %s auth %s",
		ctl_ifname(s->ifindex, ifn), ctl_ip(s->nbma, ip), dir, s->spi, s->spi,
		ctl_enc_name(s->enc), ctl_auth_name(s->auth));
	fprintf(f, " replay-window %u%s mode %s seq %" PRIu64 " age %" PRIu64 "s\n",
		s->replay_window, s->esn ? " esn" : "", mode, s->seq, s->age);
	fprintf(f, "    lifetime soft/hard: %" PRIu64 "/%" PRIu64 " bytes, %" PRIu64 "/%"
		PRIu64 " packets, %" PRIu64 "/%" PRIu64 " s (0: none)\n",
		s->lim[0], s->lim[1], s->lim[2], s->lim[3], s->lim[4], s->lim[5]);
	if (s->stats.present)
		ctl_text_stats(f, &s->stats);
}

void ctl_print_mcast(FILE *f, const struct mgre_mcast_info *m, bool json)
{
	char ip[INET_ADDRSTRLEN], ifn[IF_NAMESIZE];

	if (json) {
		ctl_json_sep(f);
		fprintf(f, "{\"dev\":\"%s\",\"ifindex\":%d,\"nbma\":\"%s\",\"dynamic\":%s}",
			ctl_ifname(m->ifindex, ifn), m->ifindex, ctl_ip(m->nbma, ip),
			m->dynamic ? "true" : "false");
		return;
	}
	fprintf(f, "multicast %s dev %s%s\n", ctl_ip(m->nbma, ip),
		ctl_ifname(m->ifindex, ifn), m->dynamic ? " dynamic" : "");
}

void ctl_print_event(FILE *f, const struct mgre_event_info *e, bool json)
{
	char a[INET_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	char ifn[IF_NAMESIZE];
	const char *what = e->cmd == MGRE_CMD_ACQUIRE ? "acquire" :
			   e->cmd == MGRE_CMD_TRAFFIC ? "traffic" : "expire";

	if (e->cmd == MGRE_CMD_EXPIRE) {
		if (json) {
			fprintf(f, "{\"event\":\"expire\",\"sa\":");
			ctl_json_n = 0;
			ctl_print_sa(f, &e->sa, true);
			fputs("}\n", f);
		} else {
			fprintf(f, "expire %s ", e->sa.expire == MGRE_EXPIRE_HARD ? "hard" : "soft");
			ctl_print_sa(f, &e->sa, false);
		}
		return;
	}
	/* the overlay packet's addresses: IPv4, or IPv6 (MGRE_A_SRC6/DST6) */
	if (e->family == AF_INET6) {
		inet_ntop(AF_INET6, e->src6, b, sizeof(b));
		inet_ntop(AF_INET6, e->dst6, c, sizeof(c));
	} else {
		ctl_ip(e->src, b);
		ctl_ip(e->dst, c);
	}
	if (json)
		fprintf(f, "{\"event\":\"%s\",\"dev\":\"%s\",\"nbma\":\"%s\",\"src\":\"%s\","
			"\"dst\":\"%s\"}\n", what, ctl_ifname(e->ifindex, ifn),
			ctl_ip(e->nbma, a), b, c);
	else
		fprintf(f, "%s dev %s nbma %s src %s dst %s\n", what,
			ctl_ifname(e->ifindex, ifn), e->nbma ? ctl_ip(e->nbma, a) : "none", b, c);
}
