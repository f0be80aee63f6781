// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 link plugin: `ip link add NAME type mgre local A [remote B]
 * [key N] [ttl N|inherit] [tos T|inherit] [dev IF] [[no]pmtudisc]` and the
 * matching `ip -d link show` output (text and JSON).
 *
 * ip(8) dlopen()s $IP_LIB_DIR/link_mgre.so for an unknown link kind and
 * looks up mgre_link_util.  The structure and the helpers below are
 * iproute2's internals, taken from iproute2 6.1 (Debian 12): ip/ip_common.h,
 * include/json_print.h, include/color.h, include/utils.h.  ip(8) exports the
 * helpers (it is linked with -rdynamic).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/mgre.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *, int, char **, struct nlmsghdr *);
	void (*print_opt)(struct link_util *, FILE *, struct rtattr *[]);
	void (*print_xstats)(struct link_util *, FILE *, struct rtattr *);
	void (*print_help)(struct link_util *, int, char **, FILE *);
	int (*parse_ifla_xstats)(struct link_util *, int, char **);
	int (*print_ifla_xstats)(struct nlmsghdr *, void *);
};

enum output_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 4 };
#define MGRE_COLOR_NONE 6	/* COLOR_NONE of enum color_attr */

int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data, int alen);
int print_color_string(enum output_type t, int color, const char *key,
		       const char *fmt, const char *value);
int print_color_uint(enum output_type t, int color, const char *key,
		     const char *fmt, unsigned int value);
int invarg(const char *msg, const char *arg);
int duparg2(const char *key, const char *arg);

#define MGRE_MAXLEN 1024	/* what ip(8) allows for IFLA_INFO_DATA */

static void mgre_print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	fprintf(f,
		"Usage: ... mgre local ADDR [ remote ADDR ] [ key KEY ]\n"
		"                [ ttl TTL | inherit ] [ tos TOS | inherit ]\n"
		"                [ dev PHYS_DEV ] [ [no]pmtudisc ]\n"
		"\n"
		"Where: ADDR := IPv4 address (NBMA); without remote the device is multipoint\n"
		"       KEY  := 0..4294967295 (GRE key)\n"
		"       TTL  := 1..255\n"
		"       TOS  := 0..255 (hex or decimal)\n");
}

static int mgre_addr(const char *what, const char *arg, __u32 *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1)
		return invarg("invalid IPv4 address", arg);
	*out = a.s_addr;
	(void)what;
	return 0;
}

static int mgre_number(const char *arg, unsigned long max, unsigned long *out)
{
	char *end;

	*out = strtoul(arg, &end, 0);
	if (!*arg || *end || *out > max)
		return -1;
	return 0;
}

static int mgre_takes_arg(const char *opt)
{
	static const char *const with_arg[] = {
		"local", "remote", "key", "ikey", "okey", "ttl", "hoplimit",
		"tos", "dsfield", "dev",
	};
	size_t i;

	for (i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++)
		if (!strcmp(opt, with_arg[i]))
			return 1;
	return 0;
}

static int mgre_parse_opt(struct link_util *lu, int argc, char **argv,
			  struct nlmsghdr *n)
{
	unsigned long v;
	__u32 addr;

	while (argc > 0) {
		const char *opt = *argv;

		if (argc < 2 && mgre_takes_arg(opt)) {
			fprintf(stderr, "Error: option \"%s\" needs an argument\n", opt);
			return -1;
		}
		if (!strcmp(opt, "local") || !strcmp(opt, "remote")) {
			if (mgre_addr(opt, argv[1], &addr))
				return -1;
			addattr_l(n, MGRE_MAXLEN, *opt == 'l' ? IFLA_MGRE_LOCAL : IFLA_MGRE_REMOTE,
				  &addr, 4);
		} else if (!strcmp(opt, "key") || !strcmp(opt, "ikey") || !strcmp(opt, "okey")) {
			if (mgre_number(argv[1], 0xffffffffUL, &v))
				return invarg("invalid key", argv[1]);
			addattr32(n, MGRE_MAXLEN, IFLA_MGRE_KEY, v);
		} else if (!strcmp(opt, "ttl") || !strcmp(opt, "hoplimit")) {
			if (!strcmp(argv[1], "inherit"))
				v = 0;
			else if (mgre_number(argv[1], 255, &v) || v == 0)
				return invarg("invalid ttl (1..255 or inherit)", argv[1]);
			addattr8(n, MGRE_MAXLEN, IFLA_MGRE_TTL, v);
		} else if (!strcmp(opt, "tos") || !strcmp(opt, "dsfield")) {
			if (!strcmp(argv[1], "inherit"))
				v = 1;
			else if (mgre_number(argv[1], 255, &v))
				return invarg("invalid tos (0..255 or inherit)", argv[1]);
			addattr8(n, MGRE_MAXLEN, IFLA_MGRE_TOS, v);
		} else if (!strcmp(opt, "dev")) {
			unsigned int ifindex = if_nametoindex(argv[1]);

			if (!ifindex)
				return invarg("no such device", argv[1]);
			addattr32(n, MGRE_MAXLEN, IFLA_MGRE_LINK, ifindex);
		} else if (!strcmp(opt, "pmtudisc") || !strcmp(opt, "nopmtudisc")) {
			addattr8(n, MGRE_MAXLEN, IFLA_MGRE_PMTUDISC, *opt == 'p');
			argc--, argv++;
			continue;
		} else if (!strcmp(opt, "help")) {
			mgre_print_help(lu, argc, argv, stderr);
			return -1;
		} else {
			fprintf(stderr, "mgre: unknown option \"%s\"\n", opt);
			mgre_print_help(lu, argc, argv, stderr);
			return -1;
		}
		argc -= 2, argv += 2;
	}
	return 0;
}

static void mgre_print_addr(const char *key, struct rtattr *rta, const char *none)
{
	char buf[INET_ADDRSTRLEN];
	__u32 a;

	if (!rta || RTA_PAYLOAD(rta) < 4)
		return;
	memcpy(&a, RTA_DATA(rta), 4);
	if (!a && none) {
		print_color_string(PRINT_ANY, MGRE_COLOR_NONE, key, "remote %s ", none);
		return;
	}
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	print_color_string(PRINT_ANY, MGRE_COLOR_NONE, key,
			   !strcmp(key, "local") ? "local %s " : "remote %s ", buf);
}

static __u32 mgre_u32(struct rtattr *rta)
{
	__u32 v = 0;

	if (rta && RTA_PAYLOAD(rta) >= 4)
		memcpy(&v, RTA_DATA(rta), 4);
	return v;
}

static __u8 mgre_u8(struct rtattr *rta)
{
	return rta && RTA_PAYLOAD(rta) >= 1 ? *(__u8 *)RTA_DATA(rta) : 0;
}

static void mgre_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char ifname[IF_NAMESIZE];
	__u8 v;

	if (!tb)
		return;
	mgre_print_addr("local", tb[IFLA_MGRE_LOCAL], NULL);
	mgre_print_addr("remote", tb[IFLA_MGRE_REMOTE], "any");
	if (tb[IFLA_MGRE_KEY])
		print_color_uint(PRINT_ANY, MGRE_COLOR_NONE, "key", "key %u ",
				 mgre_u32(tb[IFLA_MGRE_KEY]));
	if (tb[IFLA_MGRE_TTL]) {
		v = mgre_u8(tb[IFLA_MGRE_TTL]);
		if (v)
			print_color_uint(PRINT_ANY, MGRE_COLOR_NONE, "ttl", "ttl %u ", v);
		else
			print_color_string(PRINT_ANY, MGRE_COLOR_NONE, "ttl", "ttl %s ", "inherit");
	}
	if (tb[IFLA_MGRE_TOS]) {
		v = mgre_u8(tb[IFLA_MGRE_TOS]);
		if (v == 1)
			print_color_string(PRINT_ANY, MGRE_COLOR_NONE, "tos", "tos %s ", "inherit");
		else if (v)
			print_color_uint(PRINT_ANY, MGRE_COLOR_NONE, "tos", "tos 0x%x ", v);
	}
	if (mgre_u32(tb[IFLA_MGRE_LINK]) &&
	    if_indextoname(mgre_u32(tb[IFLA_MGRE_LINK]), ifname))
		print_color_string(PRINT_ANY, MGRE_COLOR_NONE, "link", "dev %s ", ifname);
	if (tb[IFLA_MGRE_PMTUDISC] && !mgre_u8(tb[IFLA_MGRE_PMTUDISC]))
		print_color_string(PRINT_ANY, MGRE_COLOR_NONE, "pmtudisc", "%s ", "nopmtudisc");
}

struct link_util mgre_link_util = {
	.id		= MGRE_LINK_KIND,
	.maxattr	= IFLA_MGRE_MAX,
	.parse_opt	= mgre_parse_opt,
	.print_opt	= mgre_print_opt,
	.print_help	= mgre_print_help,
};
