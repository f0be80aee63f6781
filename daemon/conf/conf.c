// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's configuration: IOS crypto commands, crypto maps with the
 * access lists they match, and the tunnel interfaces that use them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "conf/conf.h"
#include "ike/dh_groups.h"

#include "conf/conf_parse.h"
#include "lib/addr.h"
#include "lib/wipe.h"

int conf_fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, p->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int conf_num(struct parser *p, const char *s, unsigned long min, unsigned long max,
	       uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return conf_fail(p, "'%s' is not a number from %lu to %lu", s, min, max);
	*out = (uint32_t)v;
	return 0;
}

static int policy_line(struct parser *p, char **w, int n)
{
	struct p1_attrs *a = &p->c->pol[p->cur].a;
	uint32_t v;

	if (!strcmp(w[0], "encr") || !strcmp(w[0], "encryption")) {
		if (n == 2 && !strcmp(w[1], "des")) {
			a->enc = OAKLEY_DES_CBC, a->keylen = 0;
		} else if (n == 2 && !strcmp(w[1], "3des")) {
			a->enc = OAKLEY_3DES_CBC, a->keylen = 0;
		} else if ((n == 2 || n == 3) && !strcmp(w[1], "aes")) {
			a->enc = OAKLEY_AES_CBC;
			a->keylen = 128;
			if (n == 3 && (conf_num(p, w[2], 128, 256, &v) ||
				       (v != 128 && v != 192 && v != 256)))
				return conf_fail(p, "aes key length is 128, 192 or 256");
			if (n == 3)
				a->keylen = (uint16_t)v;
		} else {
			return conf_fail(p, "encryption is des, 3des or aes [128|192|256]");
		}
	} else if (!strcmp(w[0], "hash") && n == 2) {
		static const struct { const char *n; uint16_t v; } h[] = {
			{ "md5", OAKLEY_MD5 }, { "sha", OAKLEY_SHA }, { "sha256", OAKLEY_SHA2_256 },
			{ "sha384", OAKLEY_SHA2_384 }, { "sha512", OAKLEY_SHA2_512 },
		};
		size_t i;

		for (i = 0; i < sizeof(h) / sizeof(h[0]) && strcmp(w[1], h[i].n); i++)
			;
		if (i == sizeof(h) / sizeof(h[0]))
			return conf_fail(p, "hash is md5, sha, sha256, sha384 or sha512");
		a->hash = h[i].v;
	} else if (!strcmp(w[0], "authentication") && n == 2) {
		if (strcmp(w[1], "pre-share"))
			return conf_fail(p, "authentication %s is not supported (only pre-share)", w[1]);
		a->auth = OAKLEY_PRESHARED_KEY;
	} else if (!strcmp(w[0], "group") && n == 2) {
		if (conf_num(p, w[1], 1, 24, &v))
			return -1;
		if (!ike_dh_len((uint16_t)v))
			return conf_fail(p, "group %u is not supported (1, 2, 5, 14, 15, 16, 19, 20, 24)", v);
		a->group = (uint16_t)v;
	} else if (!strcmp(w[0], "lifetime") && n == 2) {
		if (conf_num(p, w[1], 60, 86400, &v))
			return -1;
		a->life_sec = v;
	} else {
		return conf_fail(p, "unknown isakmp policy command '%s'", w[0]);
	}
	return 0;
}

static int tset_word(struct parser *p, struct p2_attrs *a, char **w, int n, int *i)
{
	const char *t = w[*i];
	uint32_t v;

	if (!strcmp(t, "esp-des")) {
		a->esp_id = ESP_DES;
	} else if (!strcmp(t, "esp-3des")) {
		a->esp_id = ESP_3DES;
	} else if (!strcmp(t, "esp-null")) {
		a->esp_id = ESP_NULL;
	} else if (!strcmp(t, "esp-aes") || !strcmp(t, "esp-gcm")) {
		a->esp_id = t[4] == 'a' ? ESP_AES : ESP_AES_GCM_16;
		a->keylen = 128;
		if (*i + 1 < n && w[*i + 1][0] >= '0' && w[*i + 1][0] <= '9') {
			if (conf_num(p, w[++*i], 128, 256, &v) || (v != 128 && v != 192 && v != 256))
				return conf_fail(p, "%s key length is 128, 192 or 256", t);
			a->keylen = (uint16_t)v;
		}
	} else if (!strcmp(t, "esp-md5-hmac")) {
		a->auth = AUTH_HMAC_MD5;
	} else if (!strcmp(t, "esp-sha-hmac")) {
		a->auth = AUTH_HMAC_SHA;
	} else if (!strcmp(t, "esp-sha256-hmac")) {
		a->auth = AUTH_HMAC_SHA2_256;
	} else if (!strcmp(t, "esp-sha384-hmac")) {
		a->auth = AUTH_HMAC_SHA2_384;
	} else if (!strcmp(t, "esp-sha512-hmac")) {
		a->auth = AUTH_HMAC_SHA2_512;
	} else {
		return conf_fail(p, "unknown transform '%s'", t);
	}
	return 0;
}

static int lifetime(struct parser *p, char **w, int n, uint32_t *sec, uint32_t *kb)
{
	if (n != 3 || (strcmp(w[1], "seconds") && strcmp(w[1], "kilobytes")))
		return conf_fail(p, "lifetime is 'seconds N' or 'kilobytes N'");
	if (w[1][0] == 's')
		return conf_num(p, w[2], 120, 86400, sec);
	return conf_num(p, w[2], 2560, 4294967295u, kb);
}

bool conf_mask_ok(const uint8_t *m, int *plen)
{
	int i = 0;

	while (i < 32 && (m[i / 8] & (0x80 >> (i % 8))))
		i++;
	*plen = i;
	for (; i < 32; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* crypto isakmp key KEY address A [MASK] | address ipv6 P/N */
static int key_line(struct parser *p, char **w, int n)
{
	struct conf_key *k;
	uint8_t m[4];

	if (n < 6 || strcmp(w[4], "address"))
		return conf_fail(p, "usage: crypto isakmp key KEY address A.B.C.D [MASK] | address ipv6 X:X::X/N");
	if (p->c->nkeys == (int)(sizeof(p->c->keys) / sizeof(p->c->keys[0])))
		return conf_fail(p, "too many keys");
	if (strlen(w[3]) > CONF_KEY_MAX)
		return conf_fail(p, "the key is longer than %d characters", CONF_KEY_MAX);
	k = &p->c->keys[p->c->nkeys];
	memset(k, 0, sizeof(*k));
	if (!strcmp(w[5], "ipv6")) {
		char *slash;
		uint32_t plen = 128;

		if (n != 7)
			return conf_fail(p, "usage: address ipv6 X:X::X/N");
		slash = strchr(w[6], '/');
		if (slash) {
			*slash = 0;
			if (conf_num(p, slash + 1, 0, 128, &plen))
				return -1;
		}
		if (inet_pton(AF_INET6, w[6], k->addr) != 1)
			return conf_fail(p, "'%s' is not an IPv6 address", w[6]);
		k->family = AF_INET6;
		k->plen = (int)plen;
	} else {
		if (n > 7)
			return conf_fail(p, "too many words after the address");
		if (inet_pton(AF_INET, w[5], k->addr) != 1)
			return conf_fail(p, "'%s' is not an IPv4 address", w[5]);
		k->family = AF_INET;
		k->plen = 32;
		if (n == 7) {
			if (inet_pton(AF_INET, w[6], m) != 1 || !conf_mask_ok(m, &k->plen))
				return conf_fail(p, "'%s' is not a netmask", w[6]);
		}
	}
	snprintf(k->key, sizeof(k->key), "%s", w[3]);
	p->c->nkeys++;
	return 0;
}

bool conf_word_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

bool conf_is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int conf_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* An IPv4 or IPv6 address into addr (16 bytes, zero-padded): its family, 0 if neither. */
int conf_parse_addr(const char *s, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET6, s, addr) == 1)
		return AF_INET6;
	memset(addr, 0, 16);
	return 0;
}

/* Zero the host bits of a prefix of len bytes. */
void conf_prefix_clear(uint8_t *a, int plen, int len)
{
	for (int i = 0; i < len; i++) {
		int bits = plen - 8 * i;

		if (bits <= 0)
			a[i] = 0;
		else if (bits < 8)
			a[i] &= (uint8_t)(0xff << (8 - bits));
	}
}

static int crypto_line(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	uint32_t v;

	if (n >= 4 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "policy")) {
		struct conf_policy *pol;

		if (conf_num(p, w[3], 1, 10000, &v))
			return -1;
		for (int i = 0; i < c->npol; i++)
			if (c->pol[i].prio == (int)v) {
				p->sec = POLICY;
				p->cur = i;
				return 0;
			}
		if (c->npol == CONF_MAX)
			return conf_fail(p, "too many isakmp policies");
		pol = &c->pol[c->npol];
		/* the IOS defaults */
		*pol = (struct conf_policy){ .prio = (int)v, .line = p->line, .a = {
			.enc = OAKLEY_DES_CBC, .hash = OAKLEY_SHA, .auth = 0, .group = 1,
			.life_sec = 86400 } };
		p->sec = POLICY;
		p->cur = c->npol++;
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "key"))
		return key_line(p, w, n);
	if (n >= 4 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "keepalive")) {
		if (conf_num(p, w[3], 10, 3600, &c->dpd_interval))
			return -1;
		c->dpd_retry = 2;
		c->dpd_periodic = false;
		for (int i = 4; i < n; i++) {
			if (!strcmp(w[i], "periodic"))
				c->dpd_periodic = true;
			else if (!strcmp(w[i], "on-demand"))
				c->dpd_periodic = false;
			else if (conf_num(p, w[i], 2, 60, &c->dpd_retry))
				return -1;
		}
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "aggressive-mode")) {
		/* IOS's own command is "... aggressive-mode disable"; without it, ours enables */
		if (n > 4 || (n == 4 && strcmp(w[3], "disable")))
			return conf_fail(p, "usage: crypto isakmp aggressive-mode [disable]");
		c->aggressive = n == 3;
		return 0;
	}
	if (n >= 2 && !strcmp(w[1], "isakmp")) {
		if (n >= 3 && (!strcmp(w[2], "nat") || !strcmp(w[2], "identity") ||
			       !strcmp(w[2], "invalid-spi-recovery")))
			return 0;	/* taken by the NAT-T work; the identity is the address */
		return conf_fail(p, "unknown crypto isakmp command '%s'", n > 2 ? w[2] : "");
	}
	if (n >= 4 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "transform-set")) {
		struct conf_tset *t;
		int i;

		if (strlen(w[3]) >= CONF_NAME)
			return conf_fail(p, "transform-set name too long");
		for (i = 0; i < c->ntsets && strcmp(c->tsets[i].name, w[3]); i++)
			;
		if (i == CONF_MAX)
			return conf_fail(p, "too many transform sets");
		t = &c->tsets[i];
		memset(t, 0, sizeof(*t));
		snprintf(t->name, sizeof(t->name), "%s", w[3]);
		t->a.encap = ENCAP_TUNNEL;	/* IOS default */
		for (int j = 4; j < n; j++)
			if (tset_word(p, &t->a, w, n, &j))
				return -1;
		if (!t->a.esp_id)
			return conf_fail(p, "transform-set %s has no ESP cipher", t->name);
		if (t->a.esp_id == ESP_AES_GCM_16 && t->a.auth)
			return conf_fail(p, "esp-gcm carries its own integrity: no esp-*-hmac with it");
		if (t->a.esp_id != ESP_AES_GCM_16 && !t->a.auth)
			return conf_fail(p, "transform-set %s needs an esp-*-hmac", t->name);
		if (i == c->ntsets)
			c->ntsets++;
		p->sec = TSET;
		p->cur = i;
		return 0;
	}
	if (n >= 4 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "security-association") &&
	    !strcmp(w[3], "lifetime"))
		return lifetime(p, w + 3, n - 3, &c->ipsec_life_sec, &c->ipsec_life_kb);
	if (n >= 4 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "profile")) {
		int i;

		if (strlen(w[3]) >= CONF_NAME)
			return conf_fail(p, "profile name too long");
		for (i = 0; i < c->nprofiles && strcmp(c->profiles[i].name, w[3]); i++)
			;
		if (i == CONF_MAX)
			return conf_fail(p, "too many profiles");
		if (i == c->nprofiles) {
			memset(&c->profiles[i], 0, sizeof(c->profiles[i]));
			snprintf(c->profiles[i].name, CONF_NAME, "%s", w[3]);
			c->profiles[i].line = p->line;
			c->nprofiles++;
		}
		p->sec = PROFILE;
		p->cur = i;
		return 0;
	}
	if (n >= 2 && !strcmp(w[1], "ipsec"))
		return conf_fail(p, "unknown crypto ipsec command '%s'", n > 2 ? w[2] : "");
	if (n >= 2 && !strcmp(w[1], "map"))
		return conf_map_line(p, w, n);
	if (n >= 2 && !strcmp(w[1], "dynamic-map"))
		return conf_fail(p, "dynamic crypto maps are not supported: give each peer a crypto map "
			    "entry with 'set peer'");
	return conf_fail(p, "unknown crypto command '%s'", n > 1 ? w[1] : "");
}

/* set transform-set | security-association lifetime | pfs: 1 if w is none of them. */
int conf_profile_set(struct parser *p, struct conf_profile *pr, char **w, int n)
{
	uint32_t v;

	if (n >= 3 && !strcmp(w[0], "set") && !strcmp(w[1], "transform-set")) {
		if (n - 2 > 4)
			return conf_fail(p, "at most 4 transform sets");
		pr->ntsets = 0;
		for (int i = 2; i < n; i++) {
			if (strlen(w[i]) >= CONF_NAME)
				return conf_fail(p, "transform-set name too long");
			snprintf(pr->tsets[pr->ntsets++], CONF_NAME, "%s", w[i]);
		}
		return 0;
	}
	if (n >= 3 && !strcmp(w[0], "set") && !strcmp(w[1], "security-association"))
		return lifetime(p, w + 2, n - 2, &pr->life_sec, &pr->life_kb);
	if (n >= 2 && !strcmp(w[0], "set") && !strcmp(w[1], "pfs")) {
		pr->pfs = 1;	/* IOS: "set pfs" alone is group 1 */
		if (n == 3) {
			if (strncmp(w[2], "group", 5) || conf_num(p, w[2] + 5, 1, 24, &v) ||
			    !ike_dh_len((uint16_t)v))
				return conf_fail(p, "pfs is groupN with a supported group");
			pr->pfs = (uint16_t)v;
		}
		return 0;
	}
	return 1;
}

static int profile_line(struct parser *p, char **w, int n)
{
	int r = conf_profile_set(p, &p->c->profiles[p->cur], w, n);

	if (r > 0)
		return conf_fail(p, "unknown ipsec profile command '%s'", w[0]);
	return r;
}

/* tunnel mode gre multipoint | gre ip | ipsec ipv4 | ipsec ipv6 */
static int tunnel_mode(struct parser *p, struct conf_iface *f, char **w, int n)
{
	if (n == 4 && !strcmp(w[2], "gre") &&
	    (!strcmp(w[3], "multipoint") || !strcmp(w[3], "ip")))
		f->mode = CONF_TUN_GRE;
	else if (n == 4 && !strcmp(w[2], "ipsec") && !strcmp(w[3], "ipv4"))
		f->mode = CONF_TUN_IPSEC4;
	else if (n == 4 && !strcmp(w[2], "ipsec") && !strcmp(w[3], "ipv6"))
		f->mode = CONF_TUN_IPSEC6;
	else
		return conf_fail(p, "tunnel mode is gre multipoint, gre ip, ipsec ipv4 or ipsec ipv6");
	return 0;
}

static int tunnel_dst(struct parser *p, struct conf_iface *f, char **w, int n)
{
	char text[128] = "";
	size_t len = 0;

	if (n == 2)
		return conf_fail(p, "usage: tunnel destination A.B.C.D | X:X::X");
	if (n == 3) {
		f->dst_family = conf_parse_addr(w[2], f->dst);
		if (f->dst_family)
			return 0;
	}
	for (int i = 2; i < n && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i > 2 ? " " : "",
					w[i]);
	return conf_fail(p, "tunnel destination '%s' is not an IPv4 or IPv6 address", text);
}

/* Inside "interface X": what the keying daemon needs; addresses, NHRP are not its. */
static int iface_line(struct parser *p, char **w, int n)
{
	struct conf_iface *f = &p->c->ifaces[p->cur];

	if (n >= 2 && !strcmp(w[0], "crypto") && !strcmp(w[1], "map")) {
		if (n != 3 || strlen(w[2]) >= CONF_NAME)
			return conf_fail(p, "usage: crypto map NAME");
		snprintf(f->map, CONF_NAME, "%s", w[2]);
		return 0;
	}
	if (n < 2 || strcmp(w[0], "tunnel"))
		return 0;
	if (!strcmp(w[1], "protection")) {
		if (n != 5 || strcmp(w[2], "ipsec") || strcmp(w[3], "profile") ||
		    strlen(w[4]) >= CONF_NAME)
			return conf_fail(p, "usage: tunnel protection ipsec profile NAME");
		snprintf(f->profile, CONF_NAME, "%s", w[4]);
		return 0;
	}
	if (!strcmp(w[1], "mode"))
		return tunnel_mode(p, f, w, n);
	if (!strcmp(w[1], "destination"))
		return tunnel_dst(p, f, w, n);
	return 0;	/* tunnel source, key, ...: the tunnel's own */
}

static int iface_enter(struct parser *p, const char *name)
{
	struct conf *c = p->c;
	int i;

	if (strlen(name) >= IFNAMSIZ)
		return conf_fail(p, "interface name longer than %d", IFNAMSIZ - 1);
	for (i = 0; i < c->nifaces && strcmp(c->ifaces[i].name, name); i++)
		;
	if (i == CONF_MAX)
		return conf_fail(p, "too many interfaces");
	if (i == c->nifaces) {
		memset(&c->ifaces[i], 0, sizeof(c->ifaces[i]));
		snprintf(c->ifaces[i].name, IFNAMSIZ, "%s", name);
		c->ifaces[i].line = p->line;
		c->nifaces++;
	}
	p->sec = IFACE;
	p->cur = i;
	return 0;
}

/* Whether an unindented line belongs to the section it follows. */
static bool is_sub(enum section sec, char **w, int n)
{
	static const char *const policy[] = {
		"encr", "encryption", "hash", "authentication", "group", "lifetime", NULL,
	};
	static const char *const iface[] = {
		"tunnel", "description", "bandwidth", "delay", "shutdown", "keepalive", NULL,
	};
	static const char *const iface_ip[] = {
		"address", "mtu", "nhrp", "tcp", "redirects", "unnumbered", "access-group",
		"route-cache", "mroute-cache", "virtual-reassembly", "ospf", NULL,
	};
	static const char *const iface_ipv6[] = {
		"address", "enable", "mtu", "nhrp", "redirects", "unnumbered", NULL,
	};
	static const char *const acl[] = { "permit", "deny", "remark", NULL };

	switch (sec) {
	case POLICY:
		return conf_word_in(w[0], policy);
	case TSET:
		return !strcmp(w[0], "mode");
	case PROFILE:
		return !strcmp(w[0], "set");
	case IFACE:
		/* "crypto map NAME"; the global "crypto map NAME SEQ ..." has more words */
		return conf_word_in(w[0], iface) ||
		       (!strcmp(w[0], "crypto") && n == 3 && !strcmp(w[1], "map")) ||
		       (!strcmp(w[0], "ip") && n > 1 && conf_word_in(w[1], iface_ip)) ||
		       (!strcmp(w[0], "ipv6") && n > 1 && conf_word_in(w[1], iface_ipv6)) ||
		       (!strcmp(w[0], "no") && n > 1 &&
			(!strcmp(w[1], "ip") || !strcmp(w[1], "shutdown")));
	case ACL:
		return conf_word_in(w[0], acl) || conf_is_number(w[0]);
	case MAP:
		return !strcmp(w[0], "set") || !strcmp(w[0], "match") ||
		       !strcmp(w[0], "description");
	default:
		return false;
	}
}

/* A remark or description may run past MAX_WORDS: its words are not read. */
static bool free_text(char **w)
{
	return !strcmp(w[0], "description") || !strcmp(w[0], "remark") ||
	       !strcmp(w[1], "remark") || !strcmp(w[2], "remark");
}

static int sub_line(struct parser *p, char **w, int n)
{
	switch (p->sec) {
	case POLICY:
		return policy_line(p, w, n);
	case TSET:
		if (n == 2 && !strcmp(w[0], "mode") &&
		    (!strcmp(w[1], "transport") || !strcmp(w[1], "tunnel"))) {
			p->c->tsets[p->cur].a.encap =
				w[1][1] == 'r' ? ENCAP_TRANSPORT : ENCAP_TUNNEL;
			return 0;
		}
		return conf_fail(p, "transform-set mode is 'mode transport' or 'mode tunnel'");
	case PROFILE:
		return profile_line(p, w, n);
	case IFACE:
		return iface_line(p, w, n);
	case ACL:
		return conf_acl_sub(p, w, n);
	case MAP:
		return conf_map_sub(p, w, n);
	default:
		return 0;
	}
}

static int line(struct parser *p, char *s)
{
	char *w[MAX_WORDS];
	bool indented = s[0] == ' ' || s[0] == '\t';
	int n = 0;

	for (char *t = strtok(s, " \t\r"); t; t = strtok(NULL, " \t\r")) {
		if (n == MAX_WORDS && free_text(w))
			break;
		if (n == MAX_WORDS)
			return conf_fail(p, "too many words");
		w[n++] = t;
	}
	if (n == 0 || w[0][0] == '!' || w[0][0] == '#')
		return 0;
	if (!strcmp(w[0], "exit") || !strcmp(w[0], "end")) {
		p->sec = TOP;
		return 0;
	}
	/* IOS takes a command in the current mode first, indented or not */
	if (indented || is_sub(p->sec, w, n))
		return sub_line(p, w, n);
	p->sec = OTHER;
	if (!strcmp(w[0], "crypto"))
		return crypto_line(p, w, n);
	if (!strcmp(w[0], "interface") && n == 2)
		return iface_enter(p, w[1]);
	if (!strcmp(w[0], "access-list"))
		return conf_acl_numbered(p, w, n);
	if (n >= 3 && !strcmp(w[0], "ip") && !strcmp(w[1], "access-list") &&
	    !strcmp(w[2], "extended")) {
		if (n != 4)
			return conf_fail(p, "usage: ip access-list extended NAME");
		p->cur = conf_acl_find(p, w[3]);
		if (p->cur < 0)
			return p->cur == -2 ? 0 : -1;
		p->sec = ACL;
	}
	return 0;	/* hostname, routing, standard access lists, ...: not ours */
}

static bool is_vti(const struct conf_iface *f)
{
	return f->mode == CONF_TUN_IPSEC4 || f->mode == CONF_TUN_IPSEC6;
}

/* A VTI: a destination of its family, a profile, no other VTI to the same peer. */
static int check_vti(struct parser *p, const struct conf_iface *f)
{
	const char *mode = f->mode == CONF_TUN_IPSEC4 ? "ipsec ipv4" : "ipsec ipv6";
	int family = f->mode == CONF_TUN_IPSEC4 ? AF_INET : AF_INET6;
	char a[INET6_ADDRSTRLEN];

	if (f->dst_family != family)
		return conf_fail(p, "interface %s: tunnel mode %s needs a tunnel destination, an %s "
			    "address", f->name, mode, family == AF_INET ? "IPv4" : "IPv6");
	if (!f->profile[0])
		return conf_fail(p, "interface %s: tunnel mode %s needs 'tunnel protection ipsec "
			    "profile NAME'", f->name, mode);
	for (const struct conf_iface *g = p->c->ifaces; g < f; g++)
		if (is_vti(g) && g->dst_family == family &&
		    !memcmp(g->dst, f->dst, (size_t)conf_addr_len(family)))
			return conf_fail(p, "interface %s: tunnel destination %s is %s's already",
				    f->name, inet_ntop(family, f->dst, a, sizeof(a)), g->name);
	return 0;
}

static int check_iface(struct parser *p, const struct conf_iface *f)
{
	p->line = f->line;
	if (f->profile[0] && !conf_profile_get(p->c, f->profile))
		return conf_fail(p, "interface %s: no ipsec profile %s", f->name, f->profile);
	if (f->map[0] && !conf_map_exists(p->c, f->map))
		return conf_fail(p, "interface %s: no crypto map %s", f->name, f->map);
	return is_vti(f) ? check_vti(p, f) : 0;
}

static int check(struct parser *p)
{
	struct conf *c = p->c;

	for (int i = 0; i < c->npol; i++) {
		if (c->pol[i].a.auth != OAKLEY_PRESHARED_KEY) {
			p->line = c->pol[i].line;
			return conf_fail(p, "isakmp policy %d: authentication defaults to rsa-sig, "
				    "which is not supported: add 'authentication pre-share'",
				    c->pol[i].prio);
		}
	}
	for (int i = 0; i < c->nprofiles; i++) {
		const struct conf_profile *pr = &c->profiles[i];

		p->line = pr->line;
		if (!pr->ntsets)
			return conf_fail(p, "ipsec profile %s has no transform set", pr->name);
		for (int j = 0; j < pr->ntsets; j++)
			if (!conf_tset_get(c, pr->tsets[j]))
				return conf_fail(p, "ipsec profile %s: no transform-set %s",
					    pr->name, pr->tsets[j]);
	}
	for (int i = 0; i < c->nmaps; i++)
		if (conf_check_map(p, &c->maps[i]))
			return -1;
	for (int i = 0; i < c->nifaces; i++)
		if (check_iface(p, &c->ifaces[i]))
			return -1;
	/* policies in priority order */
	for (int i = 1; i < c->npol; i++)
		for (int j = i; j > 0 && c->pol[j - 1].prio > c->pol[j].prio; j--) {
			struct conf_policy t = c->pol[j];

			c->pol[j] = c->pol[j - 1];
			c->pol[j - 1] = t;
		}
	return 0;
}

int conf_parse(const char *name, const char *text, struct conf *c, char *err, size_t errlen)
{
	struct parser p = { .name = name, .err = err, .errlen = errlen, .c = c };
	const char *s = text;

	memset(c, 0, sizeof(*c));
	c->ipsec_life_sec = 3600;
	c->ipsec_life_kb = 4608000;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char buf[512];

		p.line++;
		if (len >= sizeof(buf))
			return conf_fail(&p, "line longer than %zu characters", sizeof(buf) - 1);
		memcpy(buf, s, len);
		buf[len] = 0;
		if (line(&p, buf)) {
			wipe(buf, sizeof(buf));
			return -1;
		}
		wipe(buf, sizeof(buf));
		s += len + (e ? 1 : 0);
	}
	return check(&p);
}

int conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	FILE *f;
	size_t n;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || st.st_size > 1 << 20) {
		snprintf(err, errlen, "%s: not a regular file of at most 1 MiB", path);
		fclose(f);
		return -1;
	}
	if (st.st_mode & S_IROTH) {
		snprintf(err, errlen, "%s: readable by others, but it holds pre-shared keys "
			 "(chmod o-r %s)", path, path);
		fclose(f);
		return -1;
	}
	text = calloc(1, (size_t)st.st_size + 1);
	n = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	text[n] = 0;
	ret = conf_parse(path, text, c, err, errlen);
	wipe(text, n);
	free(text);
	return ret;
}

void conf_free(struct conf *c)
{
	wipe(c->keys, sizeof(c->keys));
}

const char *conf_psk(const struct conf *c, int family, const void *addr)
{
	const struct conf_key *best = NULL;

	for (int i = 0; i < c->nkeys; i++) {
		const struct conf_key *k = &c->keys[i];

		if (k->family == family && addr_prefix_match(k->addr, addr, k->plen) &&
		    (!best || k->plen > best->plen))
			best = k;
	}
	return best ? best->key : NULL;
}

const struct conf_profile *conf_profile_get(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nprofiles; i++)
		if (!strcmp(c->profiles[i].name, name))
			return &c->profiles[i];
	for (int i = 0; i < c->nmaps; i++)
		if (!strcmp(c->maps[i].p.name, name))
			return &c->maps[i].p;
	return NULL;
}

const struct conf_iface *conf_vti_for(const struct conf *c, int family, const void *peer)
{
	for (int i = 0; i < c->nifaces; i++) {
		const struct conf_iface *f = &c->ifaces[i];

		if (is_vti(f) && f->dst_family == family &&
		    !memcmp(f->dst, peer, (size_t)conf_addr_len(family)))
			return f;
	}
	return NULL;
}

const struct conf_tset *conf_tset_get(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->ntsets; i++)
		if (!strcmp(c->tsets[i].name, name))
			return &c->tsets[i];
	return NULL;
}

int conf_p1_list(const struct conf *c, struct p1_attrs *out)
{
	for (int i = 0; i < c->npol; i++)
		out[i] = c->pol[i].a;
	return c->npol;
}

int conf_p2_list(const struct conf *c, const struct conf_profile *p, struct p2_attrs *out)
{
	int n = 0;

	for (int i = 0; i < p->ntsets; i++) {
		const struct conf_tset *t = conf_tset_get(c, p->tsets[i]);

		if (!t)
			continue;
		out[n] = t->a;
		out[n].life_sec = p->life_sec ? p->life_sec : c->ipsec_life_sec;
		out[n].life_kb = p->life_kb ? p->life_kb : c->ipsec_life_kb;
		out[n].group = p->pfs;
		n++;
	}
	return n;
}
