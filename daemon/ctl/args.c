// SPDX-License-Identifier: GPL-2.0
/* dmvpnctl argument parsers: numbers, addresses, algorithms, keys. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ctl/ctl.h"

int ctl_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int ctl_parse_ipv4(const char *s, uint32_t *be)
{
	struct in_addr a;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*be = a.s_addr;
	return 0;
}

struct ctl_name {
	const char *name;
	uint8_t value;
};

static const struct ctl_name ctl_encs[] = {
	{ "null", MGRE_ENC_NULL }, { "esp-null", MGRE_ENC_NULL },
	{ "des", MGRE_ENC_DES_CBC }, { "esp-des", MGRE_ENC_DES_CBC },
	{ "3des", MGRE_ENC_3DES_CBC }, { "esp-3des", MGRE_ENC_3DES_CBC },
	{ "aes", MGRE_ENC_AES_CBC }, { "esp-aes", MGRE_ENC_AES_CBC },
	{ "aes-gcm", MGRE_ENC_AES_GCM }, { "esp-gcm", MGRE_ENC_AES_GCM },
	{ NULL, 0 },
};

static const struct ctl_name ctl_auths[] = {
	{ "none", MGRE_AUTH_NONE },
	{ "md5", MGRE_AUTH_HMAC_MD5 }, { "esp-md5-hmac", MGRE_AUTH_HMAC_MD5 },
	{ "sha1", MGRE_AUTH_HMAC_SHA1 }, { "esp-sha-hmac", MGRE_AUTH_HMAC_SHA1 },
	{ "sha256", MGRE_AUTH_HMAC_SHA256 }, { "esp-sha256-hmac", MGRE_AUTH_HMAC_SHA256 },
	{ "sha384", MGRE_AUTH_HMAC_SHA384 }, { "esp-sha384-hmac", MGRE_AUTH_HMAC_SHA384 },
	{ "sha512", MGRE_AUTH_HMAC_SHA512 }, { "esp-sha512-hmac", MGRE_AUTH_HMAC_SHA512 },
	{ NULL, 0 },
};

static int ctl_lookup(const struct ctl_name *t, const char *s, uint8_t *out)
{
	for (; s && t->name; t++) {
		if (!strcasecmp(t->name, s)) {
			*out = t->value;
			return 0;
		}
	}
	return -1;
}

int ctl_parse_enc(const char *s, uint8_t *enc)
{
	return ctl_lookup(ctl_encs, s, enc);
}

int ctl_parse_auth(const char *s, uint8_t *auth)
{
	return ctl_lookup(ctl_auths, s, auth);
}

int ctl_parse_dir(const char *s, uint8_t *dir)
{
	if (s && !strcmp(s, "in"))
		*dir = MGRE_DIR_IN;
	else if (s && !strcmp(s, "out"))
		*dir = MGRE_DIR_OUT;
	else
		return -1;
	return 0;
}

static int ctl_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int ctl_parse_hex(const char *s, size_t n, uint8_t *key, size_t *len,
			 char *err, size_t errlen)
{
	size_t i;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, n -= 2;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n == 0 || n % 2) {
		snprintf(err, errlen, "key must be an even number of hex digits");
		return -1;
	}
	if (n / 2 > CTL_KEY_MAX) {
		snprintf(err, errlen, "key longer than %d bytes", CTL_KEY_MAX);
		return -1;
	}
	for (i = 0; i < n; i += 2) {
		int hi = ctl_hexval(s[i]), lo = ctl_hexval(s[i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "key has a non-hex character");
			explicit_bzero(key, i / 2);
			return -1;
		}
		key[i / 2] = hi << 4 | lo;
	}
	*len = n / 2;
	return 0;
}

int ctl_parse_key(const char *s, uint8_t *key, size_t *len, char *err, size_t errlen)
{
	char buf[2 * CTL_KEY_MAX + 8];
	struct stat st;
	ssize_t n;
	int fd, rc;

	if (!s || !*s) {
		snprintf(err, errlen, "missing key");
		return -1;
	}
	if (*s != '@')
		return ctl_parse_hex(s, strlen(s), key, len, err, errlen);

	fd = open(s + 1, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", s + 1, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || (st.st_mode & (S_IROTH | S_IWOTH))) {
		snprintf(err, errlen, "%s: key file must not be world-readable or -writable",
			 s + 1);
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		snprintf(err, errlen, "%s: unreadable or too long", s + 1);
		explicit_bzero(buf, sizeof(buf));
		return -1;
	}
	rc = ctl_parse_hex(buf, n, key, len, err, errlen);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

const char *ctl_enc_name(uint8_t enc)
{
	static const char *const n[] = { "null", "des", "3des", "aes", "aes-gcm" };

	return enc < sizeof(n) / sizeof(n[0]) ? n[enc] : "unknown";
}

const char *ctl_auth_name(uint8_t auth)
{
	static const char *const n[] = { "none", "md5", "sha1", "sha256", "sha384", "sha512" };

	return auth < sizeof(n) / sizeof(n[0]) ? n[auth] : "unknown";
}

const char *ctl_stat_name(int attr)
{
	switch (attr) {
	case MGRE_STATS_A_TX_PACKETS: return "tx_packets";
	case MGRE_STATS_A_TX_BYTES: return "tx_bytes";
	case MGRE_STATS_A_RX_PACKETS: return "rx_packets";
	case MGRE_STATS_A_RX_BYTES: return "rx_bytes";
	case MGRE_STATS_A_NO_SA: return "no_sa";
	case MGRE_STATS_A_INVALID_SA: return "invalid_sa";
	case MGRE_STATS_A_REPLAY: return "replay";
	case MGRE_STATS_A_AUTH_FAIL: return "auth_fail";
	case MGRE_STATS_A_INVALID_LEN: return "invalid_len";
	case MGRE_STATS_A_GRE_ERR: return "gre_err";
	case MGRE_STATS_A_TX_ERR: return "tx_err";
	case MGRE_STATS_A_RX_ERR: return "rx_err";
	case MGRE_STATS_A_EXPIRED: return "expired";
	default: return NULL;
	}
}

/* ---- a whole netlink command line ---- */

/* Options: pairs "name value" and flags; one table per command. */
struct opt {
	const char *name;
	bool flag;
	const char *val;
	bool seen;
};

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

static int parse_opts(int argc, char **argv, struct opt *o, const char *what, char *err,
		      size_t errlen)
{
	int i;

	for (; argc > 0; argc--, argv++) {
		for (i = 0; o[i].name; i++)
			if (!strcmp(o[i].name, *argv))
				break;
		if (!o[i].name)
			return ERR("unknown argument \"%s\" for %s", *argv, what);
		if (o[i].seen)
			return ERR("\"%s\" given twice", *argv);
		o[i].seen = true;
		if (o[i].flag)
			continue;
		if (argc < 2)
			return ERR("\"%s\" needs a value", *argv);
		o[i].val = *++argv;
		argc--;
	}
	return 0;
}

static const char *opt(const struct opt *o, const char *name)
{
	for (; o->name; o++)
		if (!strcmp(o->name, name))
			return o->seen ? (o->val ? o->val : "") : NULL;
	return NULL;
}

static int need(const struct opt *o, const char *name, const char *what, char *err,
		size_t errlen)
{
	return opt(o, name) ? 0 : ERR("%s needs \"%s\"", what, name);
}

static int dev_arg(const struct opt *o, struct ctl_args *c, char *err, size_t errlen)
{
	const char *d = opt(o, "dev");

	if (d && (!*d || strlen(d) >= 16 || strchr(d, '/')))	/* IFNAMSIZ */
		return ERR("\"%s\" cannot be a device name", d);
	c->dev = d;
	return 0;
}

static int nbma_arg(const struct opt *o, struct ctl_args *c, char *err, size_t errlen)
{
	const char *s = opt(o, "nbma");

	if (!s)
		return 0;
	if (ctl_parse_ipv4(s, &c->nbma))
		return ERR("invalid IPv4 address \"%s\"", s);
	c->has_nbma = true;
	return 0;
}

static int num_arg(const struct opt *o, const char *name, uint64_t max, uint64_t *v, bool *has,
		   char *err, size_t errlen)
{
	const char *s = opt(o, name);

	if (!s)
		return 0;
	if (ctl_parse_u64(s, max, v))
		return ERR("invalid %s \"%s\" (0-%llu)", name, s, (unsigned long long)max);
	if (has)
		*has = true;
	return 0;
}

static int op_of(const char *sub, const char *const *ops, const enum ctl_op *vals,
		 enum ctl_op *op)
{
	for (int i = 0; ops[i]; i++)
		if (!strcmp(sub, ops[i])) {
			*op = vals[i];
			return 0;
		}
	return -1;
}

static int parse_peer(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen)
{
	static const char *const ops[] = { "show", "set", "del", NULL };
	static const enum ctl_op vals[] = { CTL_SHOW, CTL_SET, CTL_DEL };
	struct opt show[] = { { "dev" }, { "nbma" }, { 0 } };
	struct opt set[] = { { "dev" }, { "nbma" }, { "encap" }, { "sport" }, { "dport" }, { 0 } };
	struct opt del[] = { { "dev" }, { "nbma" }, { 0 } };
	const char *sub = argc ? argv[0] : "show";
	struct opt *o;
	uint64_t v = 0;

	if (op_of(sub, ops, vals, &c->op))
		return ERR("unknown peer command \"%s\" (show, set, del)", sub);
	const char *what = c->op == CTL_SHOW ? "peer show" : c->op == CTL_SET ? "peer set" :
			   "peer del";

	o = c->op == CTL_SHOW ? show : c->op == CTL_SET ? set : del;
	if (parse_opts(argc - !!argc, argv + !!argc, o, what, err, errlen) ||
	    dev_arg(o, c, err, errlen) || nbma_arg(o, c, err, errlen))
		return -1;
	if (c->op == CTL_SHOW)
		return 0;
	if (need(o, "dev", what, err, errlen) || need(o, "nbma", what, err, errlen))
		return -1;
	if (c->op == CTL_DEL)
		return 0;
	if (opt(o, "encap")) {
		if (!strcmp(opt(o, "encap"), "udp"))
			c->encap = MGRE_ENCAP_ESPINUDP;
		else if (!strcmp(opt(o, "encap"), "esp"))
			c->encap = MGRE_ENCAP_ESP;
		else
			return ERR("encap must be esp or udp, not \"%s\"", opt(o, "encap"));
		c->has_encap = true;
	}
	if (num_arg(o, "sport", 65535, &v, &c->has_sport, err, errlen))
		return -1;
	c->sport = (uint16_t)v;
	v = 0;
	if (num_arg(o, "dport", 65535, &v, &c->has_dport, err, errlen))
		return -1;
	c->dport = (uint16_t)v;
	return 0;
}

static const char *const sa_limits[CTL_NLIMITS] = {
	"soft-bytes", "hard-bytes", "soft-packets", "hard-packets",
	"soft-seconds", "hard-seconds",
};

static int key_arg(const struct opt *o, const char *name, uint8_t *key, size_t *len, char *err,
		   size_t errlen)
{
	char why[160];

	if (!opt(o, name))
		return 0;
	if (ctl_parse_key(opt(o, name), key, len, why, sizeof(why)))
		return ERR("%s: %s", name, why);
	return 0;
}

static int parse_sa_add(struct opt *o, struct ctl_args *c, char *err, size_t errlen)
{
	uint64_t v = 0;

	for (const char *const *n = (const char *const []){ "dev", "nbma", "dir", "spi", "enc",
							     NULL }; *n; n++)
		if (need(o, *n, "sa add", err, errlen))
			return -1;
	if (ctl_parse_enc(opt(o, "enc"), &c->enc))
		return ERR("unknown encryption \"%s\"", opt(o, "enc"));
	if (opt(o, "auth") && ctl_parse_auth(opt(o, "auth"), &c->auth))
		return ERR("unknown authentication \"%s\"", opt(o, "auth"));
	c->has_auth = opt(o, "auth") != NULL;
	if (key_arg(o, "enc-key", c->enc_key, &c->enc_key_len, err, errlen) ||
	    key_arg(o, "auth-key", c->auth_key, &c->auth_key_len, err, errlen))
		return -1;
	if (num_arg(o, "replay-window", UINT32_MAX, &v, &c->has_replay, err, errlen))
		return -1;
	c->replay = (uint32_t)v;
	c->esn = opt(o, "esn") != NULL;
	if (opt(o, "mode") && strcmp(opt(o, "mode"), "transport")) {
		if (strcmp(opt(o, "mode"), "tunnel"))
			return ERR("unknown mode \"%s\" (transport, tunnel)", opt(o, "mode"));
		c->mode = MGRE_MODE_TUNNEL;
	}
	for (int i = 0; i < CTL_NLIMITS; i++)
		if (num_arg(o, sa_limits[i], UINT64_MAX, &c->lim[i], &c->has_lim[i], err, errlen))
			return -1;
	return 0;
}

static int parse_sa(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen)
{
	static const char *const ops[] = { "show", "add", "del", NULL };
	static const enum ctl_op vals[] = { CTL_SHOW, CTL_ADD, CTL_DEL };
	struct opt add[] = {
		{ "dev" }, { "nbma" }, { "dir" }, { "spi" }, { "enc" }, { "enc-key" },
		{ "auth" }, { "auth-key" }, { "replay-window" }, { "esn", true }, { "mode" },
		{ "soft-bytes" }, { "hard-bytes" }, { "soft-packets" }, { "hard-packets" },
		{ "soft-seconds" }, { "hard-seconds" }, { 0 },
	};
	struct opt show[] = { { "dev" }, { 0 } };
	struct opt del[] = { { "dev" }, { "dir" }, { "spi" }, { "nbma" }, { 0 } };
	const char *sub = argc ? argv[0] : "show";
	struct opt *o;
	uint64_t v = 0;

	if (op_of(sub, ops, vals, &c->op))
		return ERR("unknown sa command \"%s\" (show, add, del)", sub);
	o = c->op == CTL_SHOW ? show : c->op == CTL_ADD ? add : del;
	if (parse_opts(argc - !!argc, argv + !!argc, o, c->op == CTL_SHOW ? "sa show" :
		       c->op == CTL_ADD ? "sa add" : "sa del", err, errlen) ||
	    dev_arg(o, c, err, errlen) || nbma_arg(o, c, err, errlen))
		return -1;
	if (c->op == CTL_SHOW)
		return 0;
	if (c->op == CTL_DEL && (need(o, "dev", "sa del", err, errlen) ||
				 need(o, "dir", "sa del", err, errlen) ||
				 need(o, "spi", "sa del", err, errlen)))
		return -1;
	if (opt(o, "dir") && ctl_parse_dir(opt(o, "dir"), &c->dir))
		return ERR("dir must be in or out, not \"%s\"", opt(o, "dir"));
	if (opt(o, "spi") && ctl_parse_u64(opt(o, "spi"), UINT32_MAX, &v))
		return ERR("invalid SPI \"%s\"", opt(o, "spi"));
	c->spi = (uint32_t)v;
	return c->op == CTL_ADD ? parse_sa_add(o, c, err, errlen) : 0;
}

static int parse_mcast(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen)
{
	static const char *const ops[] = { "show", "add", "del", NULL };
	static const enum ctl_op vals[] = { CTL_SHOW, CTL_ADD, CTL_DEL };
	struct opt show[] = { { "dev" }, { 0 } };
	struct opt edit[] = { { "dev" }, { "nbma" }, { "dynamic", true }, { 0 } };
	const char *sub = argc ? argv[0] : "show";
	struct opt *o;

	if (op_of(sub, ops, vals, &c->op))
		return ERR("unknown mcast command \"%s\" (show, add, del)", sub);
	const char *what = c->op == CTL_SHOW ? "mcast show" : c->op == CTL_ADD ? "mcast add" :
			   "mcast del";

	o = c->op == CTL_SHOW ? show : edit;
	if (parse_opts(argc - !!argc, argv + !!argc, o, what, err, errlen) ||
	    dev_arg(o, c, err, errlen) || nbma_arg(o, c, err, errlen))
		return -1;
	if (c->op == CTL_SHOW)
		return 0;
	c->dynamic = opt(o, "dynamic") != NULL;
	return need(o, "dev", what, err, errlen) ?: need(o, "nbma", what, err, errlen);
}

static int parse_encap(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen)
{
	static const char *const ops[] = { "set", "del", NULL };
	static const enum ctl_op vals[] = { CTL_SET, CTL_DEL };
	struct opt set[] = { { "dev" }, { "port" }, { 0 } };
	struct opt del[] = { { "dev" }, { 0 } };
	const char *sub = argc ? argv[0] : "";
	struct opt *o;
	uint64_t port;

	if (op_of(sub, ops, vals, &c->op))
		return ERR("unknown encap command \"%s\" (set, del)", sub);
	o = c->op == CTL_SET ? set : del;
	if (parse_opts(argc - 1, argv + 1, o, c->op == CTL_SET ? "encap set" : "encap del", err,
		       errlen) || dev_arg(o, c, err, errlen) ||
	    need(o, "dev", c->op == CTL_SET ? "encap set" : "encap del", err, errlen))
		return -1;
	if (c->op == CTL_DEL)
		return 0;
	if (!opt(o, "port") || ctl_parse_u64(opt(o, "port"), 65535, &port) || !port)
		return ERR("encap set needs a port 1-65535");
	c->port = (uint16_t)port;
	return 0;
}

static int parse_dev_only(int argc, char **argv, struct ctl_args *c, const char *what,
			  char *err, size_t errlen)
{
	struct opt o[] = { { "dev" }, { 0 } };

	return parse_opts(argc, argv, o, what, err, errlen) ?: dev_arg(o, c, err, errlen) ?:
	       need(o, "dev", what, err, errlen);
}

static int parse_monitor(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen)
{
	struct opt o[] = { { "-c" }, { "-t" }, { 0 } };

	if (parse_opts(argc, argv, o, "monitor", err, errlen))
		return -1;
	if ((opt(o, "-c") && ctl_parse_u64(opt(o, "-c"), INT32_MAX, &c->count)) ||
	    (opt(o, "-t") && ctl_parse_u64(opt(o, "-t"), 86400 * 365, &c->seconds)))
		return ERR("monitor [-c COUNT] [-t SECONDS]");
	return 0;
}

static const char *const nl_objs[] = {
	"peer", "sa", "spi", "mcast", "encap", "flush", "monitor", NULL,
};

bool ctl_is_nl_obj(const char *s)
{
	for (int i = 0; nl_objs[i]; i++)
		if (!strcmp(s, nl_objs[i]))
			return true;
	return false;
}

int ctl_parse_cmd(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (argc < 1)
		return ERR("no object");
	argc--, argv++;
	if (!strcmp(argv[-1], "peer")) {
		c->obj = CTL_PEER;
		rc = parse_peer(argc, argv, c, err, errlen);
	} else if (!strcmp(argv[-1], "sa")) {
		c->obj = CTL_SA;
		rc = parse_sa(argc, argv, c, err, errlen);
	} else if (!strcmp(argv[-1], "spi")) {
		c->obj = CTL_SPI;
		c->op = CTL_ALLOC;
		rc = argc < 1 || strcmp(argv[0], "alloc") ? ERR("usage: spi alloc dev IF") :
		     parse_dev_only(argc - 1, argv + 1, c, "spi alloc", err, errlen);
	} else if (!strcmp(argv[-1], "mcast")) {
		c->obj = CTL_MCAST;
		rc = parse_mcast(argc, argv, c, err, errlen);
	} else if (!strcmp(argv[-1], "encap")) {
		c->obj = CTL_ENCAP;
		rc = parse_encap(argc, argv, c, err, errlen);
	} else if (!strcmp(argv[-1], "flush")) {
		c->obj = CTL_FLUSH;
		c->op = CTL_DEL;
		rc = parse_dev_only(argc, argv, c, "flush", err, errlen);
	} else if (!strcmp(argv[-1], "monitor")) {
		c->obj = CTL_MONITOR;
		rc = parse_monitor(argc, argv, c, err, errlen);
	} else {
		rc = ERR("unknown object \"%s\" (dmvpnctl help)", argv[-1]);
	}
	if (rc)
		ctl_args_wipe(c);
	return rc;
}

void ctl_args_wipe(struct ctl_args *c)
{
	explicit_bzero(c->enc_key, sizeof(c->enc_key));
	explicit_bzero(c->auth_key, sizeof(c->auth_key));
	c->enc_key_len = c->auth_key_len = 0;
}
