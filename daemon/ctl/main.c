// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnctl: add, list and delete the peers, SAs and multicast entries of an
 * mgre device by hand (like `ip xfrm state` and `wg set`), hand it the
 * ESP-in-UDP socket, and watch its events.
 */
#include <arpa/inet.h>
#include <errno.h>
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

static bool json;
#define DMVPND_SOCK_DEFAULT "/run/dmvpnd.sock"

static void usage(FILE *f)
{
	fputs("Usage: dmvpnctl [-j] [-S SOCKET] OBJECT COMMAND [ARGS]\n"
	      "  peer set dev IF nbma A [encap esp|udp] [sport N] [dport N]\n"
	      "  peer del dev IF nbma A\n"
	      "  peer show [dev IF] [nbma A]\n"
	      "  sa add dev IF nbma A dir in|out spi N enc ALG enc-key KEY\n"
	      "         [auth ALG auth-key KEY] [replay-window N] [esn]\n"
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

/* Options: pairs "name value" and flags; one table per command. */
struct opt {
	const char *name;
	bool flag;
	const char *val;
	bool seen;
};

static int parse_opts(int argc, char **argv, struct opt *o)
{
	int i;

	for (; argc > 0; argc--, argv++) {
		for (i = 0; o[i].name; i++)
			if (!strcmp(o[i].name, *argv))
				break;
		if (!o[i].name)
			return usage_err("unknown argument \"%s\"", *argv);
		if (o[i].seen)
			return usage_err("\"%s\" given twice", *argv);
		o[i].seen = true;
		if (o[i].flag)
			continue;
		if (argc < 2)
			return usage_err("\"%s\" needs a value", *argv);
		o[i].val = *++argv;
		argc--;
	}
	return 0;
}

static const char *opt(struct opt *o, const char *name)
{
	for (; o->name; o++)
		if (!strcmp(o->name, name))
			return o->seen ? (o->val ? o->val : "") : NULL;
	return NULL;
}

static int ifindex_of(const char *dev, int *ifindex)
{
	*ifindex = 0;
	if (!dev)
		return 0;
	*ifindex = if_nametoindex(dev);
	if (!*ifindex)
		return usage_err("no such device \"%s\"", dev);
	return 0;
}

static int nl_fail(struct mgre_nl *c, int err)
{
	fprintf(stderr, "dmvpnctl: %s%s%s\n", strerror(-err),
		c->errmsg[0] ? ": " : "", c->errmsg);
	return 1;
}

static int need(struct opt *o, const char *name)
{
	if (opt(o, name))
		return 0;
	return usage_err("missing \"%s\"", name);
}

static int put_ipv4(struct nl_msg *m, int type, const char *s)
{
	uint32_t a;

	if (ctl_parse_ipv4(s, &a))
		return usage_err("invalid IPv4 address \"%s\"", s);
	return nla_put_u32(m, type, a) ? 1 : 0;
}

static int put_num(struct nl_msg *m, int type, int bits, const char *s, const char *what)
{
	uint64_t v, max = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;

	if (ctl_parse_u64(s, max, &v))
		return usage_err(what, s);
	if (bits == 8)
		return nla_put_u8(m, type, v) ? 1 : 0;
	if (bits == 16)
		return nla_put_u16(m, type, v) ? 1 : 0;
	if (bits == 32)
		return nla_put_u32(m, type, v) ? 1 : 0;
	return nla_put_u64(m, type, v) ? 1 : 0;
}

static int run(struct mgre_nl *c, struct nl_msg *m, mgre_nl_fn fn, void *arg)
{
	int err = mgre_nl_run(c, m, fn, arg);

	return err ? nl_fail(c, err) : 0;
}

/* A dump of one object type, as a JSON array with -j. */
static int dump(struct mgre_nl *c, uint8_t cmd, int ifindex, mgre_nl_fn fn, void *arg)
{
	int rc;

	if (json)
		ctl_json_begin(stdout);
	rc = run(c, mgre_nl_msg(c, cmd, NLM_F_DUMP, ifindex), fn, arg);
	if (json)
		ctl_json_end(stdout);
	return rc;
}

/* ---- peer ---- */

struct show { uint32_t nbma; };

static void show_peer(struct nlattr **tb, void *arg)
{
	struct show *f = arg;
	struct mgre_peer_info p;

	mgre_decode_peer(tb, &p);
	if (!f->nbma || f->nbma == p.nbma)
		ctl_print_peer(stdout, &p, json);
}

static int cmd_peer(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = { { "dev" }, { "nbma" }, { "encap" }, { "sport" }, { "dport" }, { 0 } };
	const char *sub = argc ? argv[0] : "show";
	struct nl_msg *m;
	struct nlattr *n;
	int ifindex, rc;

	if (argc)
		argc--, argv++;
	rc = parse_opts(argc, argv, o) ?: ifindex_of(opt(o, "dev"), &ifindex);
	if (rc)
		return rc;
	if (!strcmp(sub, "show")) {
		struct show f = { 0 };

		if (opt(o, "nbma") && ctl_parse_ipv4(opt(o, "nbma"), &f.nbma))
			return usage_err("invalid IPv4 address \"%s\"", opt(o, "nbma"));
		return dump(c, MGRE_CMD_PEER_GET, ifindex, show_peer, &f);
	}
	if (strcmp(sub, "set") && strcmp(sub, "del"))
		return usage_err("unknown peer command \"%s\"", sub);
	rc = need(o, "dev") ?: need(o, "nbma");
	if (rc)
		return rc;
	m = mgre_nl_msg(c, *sub == 's' ? MGRE_CMD_PEER_SET : MGRE_CMD_PEER_DEL, 0, ifindex);
	n = mgre_nest(m, MGRE_A_PEER);
	rc = put_ipv4(m, MGRE_PEER_A_NBMA, opt(o, "nbma"));
	if (!rc && opt(o, "encap")) {
		if (!strcmp(opt(o, "encap"), "udp"))
			rc = nla_put_u8(m, MGRE_PEER_A_ENCAP, MGRE_ENCAP_ESPINUDP);
		else if (!strcmp(opt(o, "encap"), "esp"))
			rc = nla_put_u8(m, MGRE_PEER_A_ENCAP, MGRE_ENCAP_ESP);
		else
			rc = usage_err("encap must be esp or udp, not \"%s\"", opt(o, "encap"));
	}
	if (!rc && opt(o, "sport"))
		rc = put_num(m, MGRE_PEER_A_SPORT, 16, opt(o, "sport"), "invalid port \"%s\"");
	if (!rc && opt(o, "dport"))
		rc = put_num(m, MGRE_PEER_A_DPORT, 16, opt(o, "dport"), "invalid port \"%s\"");
	if (rc) {
		nlmsg_free(m);
		return rc;
	}
	nla_nest_end(m, n);
	return run(c, m, NULL, NULL);
}

/* ---- sa ---- */

static void show_sa(struct nlattr **tb, void *arg)
{
	struct mgre_sa_info s;

	(void)arg;
	mgre_decode_sa(tb, &s);
	ctl_print_sa(stdout, &s, json);
}

static int put_key(struct nl_msg *m, int type, const char *s)
{
	uint8_t key[CTL_KEY_MAX];
	char err[160];
	size_t len;
	int rc;

	if (ctl_parse_key(s, key, &len, err, sizeof(err))) {
		fprintf(stderr, "dmvpnctl: %s\n", err);
		return 2;
	}
	rc = nla_put(m, type, len, key) ? 1 : 0;
	explicit_bzero(key, sizeof(key));
	return rc;
}

static const char *const sa_limits[6] = {
	"soft-bytes", "hard-bytes", "soft-packets", "hard-packets",
	"soft-seconds", "hard-seconds",
};

static int cmd_sa_add(struct mgre_nl *c, struct opt *o, int ifindex)
{
	struct nl_msg *m;
	struct nlattr *n;
	uint8_t v;
	int rc, i;

	rc = need(o, "dev") ?: need(o, "nbma") ?: need(o, "dir") ?: need(o, "spi") ?:
	     need(o, "enc");
	if (rc)
		return rc;
	m = mgre_nl_msg(c, MGRE_CMD_SA_NEW, 0, ifindex);
	n = mgre_nest(m, MGRE_A_SA);
	rc = put_ipv4(m, MGRE_SA_A_NBMA, opt(o, "nbma"));
	if (!rc)
		rc = ctl_parse_dir(opt(o, "dir"), &v) ?
			usage_err("dir must be in or out, not \"%s\"", opt(o, "dir")) :
			nla_put_u8(m, MGRE_SA_A_DIR, v);
	if (!rc)
		rc = put_num(m, MGRE_SA_A_SPI, 32, opt(o, "spi"), "invalid SPI \"%s\"");
	if (!rc)
		rc = ctl_parse_enc(opt(o, "enc"), &v) ?
			usage_err("unknown encryption \"%s\"", opt(o, "enc")) :
			nla_put_u8(m, MGRE_SA_A_ENC, v);
	if (!rc && opt(o, "enc-key"))
		rc = put_key(m, MGRE_SA_A_ENC_KEY, opt(o, "enc-key"));
	if (!rc && opt(o, "auth"))
		rc = ctl_parse_auth(opt(o, "auth"), &v) ?
			usage_err("unknown authentication \"%s\"", opt(o, "auth")) :
			nla_put_u8(m, MGRE_SA_A_AUTH, v);
	if (!rc && opt(o, "auth-key"))
		rc = put_key(m, MGRE_SA_A_AUTH_KEY, opt(o, "auth-key"));
	if (!rc && opt(o, "replay-window"))
		rc = put_num(m, MGRE_SA_A_REPLAY_WINDOW, 32, opt(o, "replay-window"),
			     "invalid replay window \"%s\"");
	if (!rc && opt(o, "esn"))
		rc = nla_put_flag(m, MGRE_SA_A_ESN);
	for (i = 0; !rc && i < 6; i++)
		if (opt(o, sa_limits[i]))
			rc = put_num(m, MGRE_SA_A_SOFT_BYTES + i, 64, opt(o, sa_limits[i]),
				     "invalid limit \"%s\"");
	if (rc) {
		nlmsg_free(m);
		return rc;
	}
	nla_nest_end(m, n);
	rc = run(c, m, NULL, NULL);	/* frees m; keys only lived in it */
	return rc;
}

static int cmd_sa(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = {
		{ "dev" }, { "nbma" }, { "dir" }, { "spi" }, { "enc" }, { "enc-key" },
		{ "auth" }, { "auth-key" }, { "replay-window" }, { "esn", true },
		{ "soft-bytes" }, { "hard-bytes" }, { "soft-packets" }, { "hard-packets" },
		{ "soft-seconds" }, { "hard-seconds" }, { 0 },
	};
	const char *sub = argc ? argv[0] : "show";
	struct nl_msg *m;
	struct nlattr *n;
	int ifindex, rc;
	uint8_t v;

	if (argc)
		argc--, argv++;
	rc = parse_opts(argc, argv, o) ?: ifindex_of(opt(o, "dev"), &ifindex);
	if (rc)
		return rc;
	if (!strcmp(sub, "add"))
		return cmd_sa_add(c, o, ifindex);
	if (!strcmp(sub, "show")) {
		return dump(c, MGRE_CMD_SA_GET, ifindex, show_sa, NULL);
	}
	if (strcmp(sub, "del"))
		return usage_err("unknown sa command \"%s\"", sub);
	rc = need(o, "dev") ?: need(o, "dir") ?: need(o, "spi");
	if (rc)
		return rc;
	m = mgre_nl_msg(c, MGRE_CMD_SA_DEL, 0, ifindex);
	n = mgre_nest(m, MGRE_A_SA);
	rc = ctl_parse_dir(opt(o, "dir"), &v) ?
		usage_err("dir must be in or out, not \"%s\"", opt(o, "dir")) :
		nla_put_u8(m, MGRE_SA_A_DIR, v);
	if (!rc)
		rc = put_num(m, MGRE_SA_A_SPI, 32, opt(o, "spi"), "invalid SPI \"%s\"");
	if (!rc && opt(o, "nbma"))
		rc = put_ipv4(m, MGRE_SA_A_NBMA, opt(o, "nbma"));
	if (rc) {
		nlmsg_free(m);
		return rc;
	}
	nla_nest_end(m, n);
	return run(c, m, NULL, NULL);
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

static int cmd_spi(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = { { "dev" }, { 0 } };
	int ifindex, rc;

	if (argc < 1 || strcmp(argv[0], "alloc"))
		return usage_err("usage: spi alloc dev IF%s", "");
	rc = parse_opts(argc - 1, argv + 1, o) ?: need(o, "dev") ?:
	     ifindex_of(opt(o, "dev"), &ifindex);
	if (rc)
		return rc;
	return run(c, mgre_nl_msg(c, MGRE_CMD_SPI_ALLOC, 0, ifindex), print_spi, NULL);
}

/* ---- mcast, encap, flush ---- */

static void show_mcast(struct nlattr **tb, void *arg)
{
	struct mgre_mcast_info mc;

	(void)arg;
	mgre_decode_mcast(tb, &mc);
	ctl_print_mcast(stdout, &mc, json);
}

static int cmd_mcast(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = { { "dev" }, { "nbma" }, { "dynamic", true }, { 0 } };
	const char *sub = argc ? argv[0] : "show";
	struct nl_msg *m;
	struct nlattr *n;
	int ifindex, rc;

	if (argc)
		argc--, argv++;
	rc = parse_opts(argc, argv, o) ?: ifindex_of(opt(o, "dev"), &ifindex);
	if (rc)
		return rc;
	if (!strcmp(sub, "show")) {
		return dump(c, MGRE_CMD_MCAST_GET, ifindex, show_mcast, NULL);
	}
	if (strcmp(sub, "add") && strcmp(sub, "del"))
		return usage_err("unknown mcast command \"%s\"", sub);
	rc = need(o, "dev") ?: need(o, "nbma");
	if (rc)
		return rc;
	m = mgre_nl_msg(c, *sub == 'a' ? MGRE_CMD_MCAST_ADD : MGRE_CMD_MCAST_DEL, 0, ifindex);
	n = mgre_nest(m, MGRE_A_MCAST);
	rc = put_ipv4(m, MGRE_MCAST_A_NBMA, opt(o, "nbma"));
	if (!rc && opt(o, "dynamic"))
		rc = nla_put_flag(m, MGRE_MCAST_A_DYNAMIC);
	if (rc) {
		nlmsg_free(m);
		return rc;
	}
	nla_nest_end(m, n);
	return run(c, m, NULL, NULL);
}

static int cmd_encap(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = { { "dev" }, { "port" }, { 0 } };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const char *sub = argc ? argv[0] : "";
	int ifindex, rc, fd, one = 1;
	struct nl_msg *m;
	uint64_t port;

	if (argc)
		argc--, argv++;
	rc = parse_opts(argc, argv, o) ?: need(o, "dev") ?:
	     ifindex_of(opt(o, "dev"), &ifindex);
	if (rc)
		return rc;
	if (!strcmp(sub, "del"))
		return run(c, mgre_nl_msg(c, MGRE_CMD_ENCAP_DEL, 0, ifindex), NULL, NULL);
	if (strcmp(sub, "set"))
		return usage_err("unknown encap command \"%s\"", sub);
	if (need(o, "port") || ctl_parse_u64(opt(o, "port"), 65535, &port) || !port)
		return usage_err("encap set needs a port 1-65535%s", "");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	sin.sin_port = htons(port);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		fprintf(stderr, "dmvpnctl: UDP port %s: %s\n", opt(o, "port"), strerror(errno));
		return 1;
	}
	m = mgre_nl_msg(c, MGRE_CMD_ENCAP_SET, 0, ifindex);
	if (nla_put_u32(m, MGRE_A_ENCAP_FD, fd)) {
		nlmsg_free(m);
		return 1;
	}
	rc = run(c, m, NULL, NULL);	/* the module holds the socket from here */
	close(fd);
	return rc;
}

static int cmd_flush(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = { { "dev" }, { 0 } };
	int ifindex, rc;

	rc = parse_opts(argc, argv, o) ?: need(o, "dev") ?: ifindex_of(opt(o, "dev"), &ifindex);
	if (rc)
		return rc;
	return run(c, mgre_nl_msg(c, MGRE_CMD_FLUSH, 0, ifindex), NULL, NULL);
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

static int cmd_monitor(struct mgre_nl *c, int argc, char **argv)
{
	struct opt o[] = { { "-c" }, { "-t" }, { 0 } };
	uint64_t max = 0, secs = 0;
	struct timespec t0, now;
	int rc, count = 0;

	rc = parse_opts(argc, argv, o);
	if (rc)
		return rc;
	if ((opt(o, "-c") && ctl_parse_u64(opt(o, "-c"), INT32_MAX, &max)) ||
	    (opt(o, "-t") && ctl_parse_u64(opt(o, "-t"), 86400 * 365, &secs)))
		return usage_err("monitor [-c COUNT] [-t SECONDS]%s", "");
	rc = mgre_nl_subscribe(c);
	if (rc)
		return nl_fail(c, rc);
	fputs("dmvpnctl: listening for mgre events\n", stderr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int left = -1;

		if (secs) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = (int)(secs * 1000) - (int)((now.tv_sec - t0.tv_sec) * 1000 +
				(now.tv_nsec - t0.tv_nsec) / 1000000);
			if (left <= 0)
				break;
		}
		rc = mgre_nl_events(c, left, on_event, &count);
		if (rc < 0 && rc != -EINTR)
			return nl_fail(c, rc);
		if (max && (uint64_t)count >= max)
			break;
	}
	return max && (uint64_t)count < max ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct mgre_nl *c, int argc, char **argv);
	} cmds[] = {
		{ "peer", cmd_peer }, { "sa", cmd_sa }, { "spi", cmd_spi },
		{ "mcast", cmd_mcast }, { "encap", cmd_encap }, { "flush", cmd_flush },
		{ "monitor", cmd_monitor },
	};
	const char *sock = DMVPND_SOCK_DEFAULT;
	struct mgre_nl c;
	size_t i;
	int rc;

	argc--, argv++;
	while (argc && argv[0][0] == '-' && strcmp(argv[0], "-c") && strcmp(argv[0], "-t")) {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			json = true;
		} else if (!strcmp(argv[0], "-S") && argc > 1) {
			sock = argv[1];
			argc--, argv++;
		} else if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else {
			return usage_err("unknown option \"%s\"", argv[0]);
		}
		argc--, argv++;
	}
	if (!argc || !strcmp(argv[0], "help")) {
		usage(argc ? stdout : stderr);
		return argc ? 0 : 2;
	}
	if (ctl_first_word(argv[0]))	/* show, clear, debug, no, undebug: dmvpnd's */
		return ctl_daemon(sock, argc, argv, json);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name))
			continue;
		rc = mgre_nl_open(&c);
		if (rc)
			return nl_fail(&c, rc);
		rc = cmds[i].fn(&c, argc - 1, argv + 1);
		mgre_nl_close(&c);
		return rc;
	}
	return usage_err("unknown object \"%s\" (dmvpnctl help)", argv[0]);
}
