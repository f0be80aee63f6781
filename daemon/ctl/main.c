// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnctl: add, list and delete the peers, SAs and multicast entries of an
 * mgre device by hand (like `ip xfrm state` and `wg set`), hand it the
 * ESP-in-UDP socket, and watch its events.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "ctl/ctl.h"
#include "kernel/mgre_nl.h"
#include "lib/ctl_proto.h"
#include "lib/version.h"

static bool json;
#define DMVPND_SOCK_DEFAULT "/run/dmvpnd.sock"

static void usage(FILE *f)
{
	fputs("Usage: dmvpnctl [-j] [-S SOCKET] OBJECT COMMAND [ARGS] | --help | --version\n"
	      "  peer set dev IF nbma A [encap esp|udp] [sport N] [dport N]\n"
	      "  peer del dev IF nbma A\n"
	      "  peer show [dev IF] [nbma A]\n"
	      "  sa add dev IF nbma A dir in|out spi N enc ALG enc-key KEY\n"
	      "         [auth ALG auth-key KEY] [replay-window N] [esn] [mode transport|tunnel]\n"
	      "         [soft-bytes N] [hard-bytes N] [soft-packets N] [hard-packets N]\n"
	      "         [soft-seconds N] [hard-seconds N]\n"
	      "  sa del dev IF dir in|out spi N [nbma A]\n"
	      "  sa show [dev IF]\n"
	      "  spi alloc dev IF\n"
	      "  mcast add|del dev IF nbma A [dynamic]\n"
	      "  mcast show [dev IF]\n"
	      "  encap set dev IF port N | encap del dev IF\n"
	      "  flush dev IF\n"
	      "  monitor [-c COUNT] [-t SECONDS]\n"
	      "the keying daemon (dmvpnd, socket " DMVPND_SOCK_DEFAULT " or -S):\n", f);
	ctl_help(f, "  ");
	fputs("ALG (enc): null des 3des aes aes-gcm (Cisco: esp-des esp-3des esp-aes esp-gcm)\n"
	      "ALG (auth): none md5 sha1 sha256 sha384 sha512 (Cisco: esp-md5-hmac esp-sha-hmac ...)\n"
	      "KEY: hex digits (0x optional) or @FILE (not world-readable)\n", f);
}

static int usage_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "dmvpnctl: ");
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	return 2;
}

static int nl_fail(struct mgre_nl *c, int err)
{
	fprintf(stderr, "dmvpnctl: %s%s%s\n", strerror(-err),
		c->errmsg[0] ? ": " : "", c->errmsg);
	return 1;
}

static int run(struct mgre_nl *c, struct nl_msg *m, mgre_nl_fn fn, void *arg)
{
	int err;

	if (!m)
		return nl_fail(c, -ENOMEM);
	err = mgre_nl_run(c, m, fn, arg);
	return err ? nl_fail(c, err) : 0;
}

/* What a dump printed: an empty one says so ("no SAs"; [] with -j). */
struct show {
	uint32_t nbma;	/* peer show nbma A: only that one */
	int n;
};

/* A dump of one object type, as a JSON array with -j. */
static int dump(struct mgre_nl *c, uint8_t cmd, int ifindex, mgre_nl_fn fn, struct show *f,
		const char *none)
{
	int rc;

	if (json)
		ctl_json_begin(stdout);
	rc = run(c, mgre_nl_msg(c, cmd, NLM_F_DUMP, ifindex), fn, f);
	if (json)
		ctl_json_end(stdout);
	else if (!rc && !f->n)
		ctl_print_none(stdout, none);
	return rc;
}

/* ---- peer ---- */

static void show_peer(struct nlattr **tb, void *arg)
{
	struct show *f = arg;
	struct mgre_peer_info p;

	mgre_decode_peer(tb, &p);
	if (f->nbma && f->nbma != p.nbma)
		return;
	ctl_print_peer(stdout, &p, json);
	f->n++;
}

static int cmd_peer(struct mgre_nl *c, const struct ctl_args *a, int ifindex)
{
	struct show f = { .nbma = a->has_nbma ? a->nbma : 0 };
	struct nl_msg *m;
	struct nlattr *n;
	int rc;

	if (a->op == CTL_SHOW)
		return dump(c, MGRE_CMD_PEER_GET, ifindex, show_peer, &f, "peers");
	m = mgre_nl_msg(c, a->op == CTL_SET ? MGRE_CMD_PEER_SET : MGRE_CMD_PEER_DEL, 0, ifindex);
	if (!m)
		return nl_fail(c, -ENOMEM);
	n = mgre_nest(m, MGRE_A_PEER);
	rc = nla_put_u32(m, MGRE_PEER_A_NBMA, a->nbma);
	if (!rc && a->has_encap)
		rc = nla_put_u8(m, MGRE_PEER_A_ENCAP, a->encap);
	if (!rc && a->has_sport)
		rc = nla_put_u16(m, MGRE_PEER_A_SPORT, a->sport);
	if (!rc && a->has_dport)
		rc = nla_put_u16(m, MGRE_PEER_A_DPORT, a->dport);
	if (rc) {
		nlmsg_free(m);
		return nl_fail(c, -EMSGSIZE);
	}
	nla_nest_end(m, n);
	return run(c, m, NULL, NULL);
}

/* ---- sa ---- */

static void show_sa(struct nlattr **tb, void *arg)
{
	struct show *f = arg;
	struct mgre_sa_info s;

	mgre_decode_sa(tb, &s);
	ctl_print_sa(stdout, &s, json);
	f->n++;
}

static int put_sa_add(struct nl_msg *m, const struct ctl_args *a)
{
	int rc = nla_put_u32(m, MGRE_SA_A_NBMA, a->nbma) ||
		 nla_put_u8(m, MGRE_SA_A_DIR, a->dir) ||
		 nla_put_u32(m, MGRE_SA_A_SPI, a->spi) ||
		 nla_put_u8(m, MGRE_SA_A_ENC, a->enc);

	if (!rc && a->enc_key_len)
		rc = nla_put(m, MGRE_SA_A_ENC_KEY, a->enc_key_len, a->enc_key);
	if (!rc && a->has_auth)
		rc = nla_put_u8(m, MGRE_SA_A_AUTH, a->auth);
	if (!rc && a->auth_key_len)
		rc = nla_put(m, MGRE_SA_A_AUTH_KEY, a->auth_key_len, a->auth_key);
	if (!rc && a->has_replay)
		rc = nla_put_u32(m, MGRE_SA_A_REPLAY_WINDOW, a->replay);
	if (!rc && a->esn)
		rc = nla_put_flag(m, MGRE_SA_A_ESN);
	if (!rc && a->mode)
		rc = nla_put_u8(m, MGRE_SA_A_MODE, a->mode);
	for (int i = 0; !rc && i < CTL_NLIMITS; i++)
		if (a->has_lim[i])
			rc = nla_put_u64(m, MGRE_SA_A_SOFT_BYTES + i, a->lim[i]);
	return rc;
}

static int cmd_sa(struct mgre_nl *c, const struct ctl_args *a, int ifindex)
{
	struct show f = { 0 };
	struct nl_msg *m;
	struct nlattr *n;
	int rc;

	if (a->op == CTL_SHOW)
		return dump(c, MGRE_CMD_SA_GET, ifindex, show_sa, &f, "SAs");
	m = mgre_nl_msg(c, a->op == CTL_ADD ? MGRE_CMD_SA_NEW : MGRE_CMD_SA_DEL, 0, ifindex);
	if (!m)
		return nl_fail(c, -ENOMEM);
	n = mgre_nest(m, MGRE_A_SA);
	if (a->op == CTL_ADD) {
		rc = put_sa_add(m, a);
	} else {
		rc = nla_put_u8(m, MGRE_SA_A_DIR, a->dir) || nla_put_u32(m, MGRE_SA_A_SPI, a->spi);
		if (!rc && a->has_nbma)
			rc = nla_put_u32(m, MGRE_SA_A_NBMA, a->nbma);
	}
	if (rc) {
		nlmsg_free(m);
		return nl_fail(c, -EMSGSIZE);
	}
	nla_nest_end(m, n);
	return run(c, m, NULL, NULL);	/* frees m; keys only lived in it */
}

static void print_spi(struct nlattr **tb, void *arg)
{
	struct mgre_sa_info s;

	(void)arg;
	mgre_decode_sa(tb, &s);
	if (json)
		printf("{\"spi\":%u}\n", s.spi);
	else
		printf("0x%08X\n", s.spi);
}

/* ---- mcast, encap, flush ---- */

static void show_mcast(struct nlattr **tb, void *arg)
{
	struct show *f = arg;
	struct mgre_mcast_info mc;

	mgre_decode_mcast(tb, &mc);
	ctl_print_mcast(stdout, &mc, json);
	f->n++;
}

static int cmd_mcast(struct mgre_nl *c, const struct ctl_args *a, int ifindex)
{
	struct show f = { 0 };
	struct nl_msg *m;
	struct nlattr *n;
	int rc;

	if (a->op == CTL_SHOW)
		return dump(c, MGRE_CMD_MCAST_GET, ifindex, show_mcast, &f,
			    "multicast entries");
	m = mgre_nl_msg(c, a->op == CTL_ADD ? MGRE_CMD_MCAST_ADD : MGRE_CMD_MCAST_DEL, 0, ifindex);
	if (!m)
		return nl_fail(c, -ENOMEM);
	n = mgre_nest(m, MGRE_A_MCAST);
	rc = nla_put_u32(m, MGRE_MCAST_A_NBMA, a->nbma);
	if (!rc && a->dynamic)
		rc = nla_put_flag(m, MGRE_MCAST_A_DYNAMIC);
	if (rc) {
		nlmsg_free(m);
		return nl_fail(c, -EMSGSIZE);
	}
	nla_nest_end(m, n);
	return run(c, m, NULL, NULL);
}

static int cmd_encap(struct mgre_nl *c, const struct ctl_args *a, int ifindex)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(a->port) };
	int rc, fd, one = 1;
	struct nl_msg *m;

	if (a->op == CTL_DEL)
		return run(c, mgre_nl_msg(c, MGRE_CMD_ENCAP_DEL, 0, ifindex), NULL, NULL);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		fprintf(stderr, "dmvpnctl: UDP port %u: %s\n", a->port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	m = mgre_nl_msg(c, MGRE_CMD_ENCAP_SET, 0, ifindex);
	if (!m || nla_put_u32(m, MGRE_A_ENCAP_FD, fd)) {
		nlmsg_free(m);
		close(fd);
		return nl_fail(c, -ENOMEM);
	}
	rc = run(c, m, NULL, NULL);	/* the module holds the socket from here */
	close(fd);
	return rc;
}

/* ---- monitor ---- */

static void on_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct mgre_event_info e = { .cmd = cmd };
	int *count = arg;

	if (cmd != MGRE_CMD_ACQUIRE && cmd != MGRE_CMD_TRAFFIC && cmd != MGRE_CMD_EXPIRE)
		return;
	e.ifindex = tb[MGRE_A_IFINDEX] ? nla_get_u32(tb[MGRE_A_IFINDEX]) : 0;
	e.src = tb[MGRE_A_SRC] ? nla_get_u32(tb[MGRE_A_SRC]) : 0;
	e.dst = tb[MGRE_A_DST] ? nla_get_u32(tb[MGRE_A_DST]) : 0;
	e.family = AF_INET;
	if (tb[MGRE_A_SRC6] && tb[MGRE_A_DST6] && nla_len(tb[MGRE_A_SRC6]) == 16 &&
	    nla_len(tb[MGRE_A_DST6]) == 16) {
		e.family = AF_INET6;
		memcpy(e.src6, nla_data(tb[MGRE_A_SRC6]), 16);
		memcpy(e.dst6, nla_data(tb[MGRE_A_DST6]), 16);
	}
	if (tb[MGRE_A_PEER]) {
		struct mgre_peer_info p;

		mgre_decode_peer(tb, &p);
		e.nbma = p.nbma;
	}
	if (cmd == MGRE_CMD_EXPIRE)
		mgre_decode_sa(tb, &e.sa);
	ctl_print_event(stdout, &e, json);
	fflush(stdout);
	(*count)++;
}

static int cmd_monitor(struct mgre_nl *c, const struct ctl_args *a)
{
	struct timespec t0, now;
	int rc, count = 0;

	rc = mgre_nl_subscribe(c);
	if (rc)
		return nl_fail(c, rc);
	fputs("dmvpnctl: listening for mgre events\n", stderr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int left = -1;

		if (a->seconds) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = (int)(a->seconds * 1000) - (int)((now.tv_sec - t0.tv_sec) * 1000 +
				(now.tv_nsec - t0.tv_nsec) / 1000000);
			if (left <= 0)
				break;
		}
		rc = mgre_nl_events(c, left, on_event, &count);
		if (rc < 0 && rc != -EINTR)
			return nl_fail(c, rc);
		if (a->count && (uint64_t)count >= a->count)
			break;
	}
	return a->count && (uint64_t)count < a->count ? 1 : 0;
}

/* The parsed command, sent: the module is asked only now. */
static int nl_command(const struct ctl_args *a, int ifindex)
{
	struct mgre_nl c;
	int rc = mgre_nl_open(&c);

	if (rc)
		return nl_fail(&c, rc);
	switch (a->obj) {
	case CTL_PEER: rc = cmd_peer(&c, a, ifindex); break;
	case CTL_SA: rc = cmd_sa(&c, a, ifindex); break;
	case CTL_SPI:
		rc = run(&c, mgre_nl_msg(&c, MGRE_CMD_SPI_ALLOC, 0, ifindex), print_spi, NULL);
		break;
	case CTL_MCAST: rc = cmd_mcast(&c, a, ifindex); break;
	case CTL_ENCAP: rc = cmd_encap(&c, a, ifindex); break;
	case CTL_FLUSH: rc = run(&c, mgre_nl_msg(&c, MGRE_CMD_FLUSH, 0, ifindex), NULL, NULL); break;
	case CTL_MONITOR: rc = cmd_monitor(&c, a); break;
	}
	mgre_nl_close(&c);
	return rc;
}

/*
 * Every argument checked first (ctl_parse_cmd), then the device looked
 * up (the one check that needs the system, and no netlink), then the
 * module: an argument error is said even where the module is not there.
 */
static int nl_main(int argc, char **argv)
{
	struct ctl_args a;
	char err[256];
	int ifindex = 0, rc;

	if (ctl_parse_cmd(argc, argv, &a, err, sizeof(err))) {
		fprintf(stderr, "dmvpnctl: %s\n", err);
		return 2;
	}
	if (a.dev) {
		ifindex = (int)if_nametoindex(a.dev);
		if (!ifindex) {
			ctl_args_wipe(&a);
			return usage_err("no such device \"%s\"", a.dev);
		}
	}
	rc = nl_command(&a, ifindex);
	ctl_args_wipe(&a);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = DMVPND_SOCK_DEFAULT;
	int o;

	/* "+": the options end at the object; monitor's -c and -t are its own */
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+jS:hV", longopts, NULL)) != -1) {
		switch (o) {
		case 'j': json = true; break;
		case 'S': sock = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("dmvpnctl %s\n", DMVPN_VERSION); return 0;
		default: return usage_err("unknown option or missing value \"%s\"", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc || !strcmp(argv[0], "help")) {
		usage(argc ? stdout : stderr);
		return argc ? 0 : 2;
	}
	if (ctl_first_word(argv[0]))	/* show, clear, debug, no, undebug: dmvpnd's */
		return ctl_daemon(sock, argc, argv, json);
	if (ctl_is_nl_obj(argv[0]))
		return nl_main(argc, argv);
	return usage_err("unknown object \"%s\" (dmvpnctl help)", argv[0]);
}
