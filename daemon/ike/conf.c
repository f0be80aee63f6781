// SPDX-License-Identifier: GPL-2.0
/* dmvpnd's configuration: IOS crypto commands. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "conf.h"
#include "crypto.h"

#define MAX_WORDS 12

enum section { TOP, POLICY, TSET, PROFILE, IFACE, OTHER };

struct parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	struct conf *c;
	enum section sec;
	int cur;	/* index of the policy, tset, profile, interface */
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
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

static int num(struct parser *p, const char *s, unsigned long min, unsigned long max,
	       uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return fail(p, "'%s' is not a number from %lu to %lu", s, min, max);
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
			if (n == 3 && (num(p, w[2], 128, 256, &v) ||
				       (v != 128 && v != 192 && v != 256)))
				return fail(p, "aes key length is 128, 192 or 256");
			if (n == 3)
				a->keylen = (uint16_t)v;
		} else {
			return fail(p, "encryption is des, 3des or aes [128|192|256]");
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
			return fail(p, "hash is md5, sha, sha256, sha384 or sha512");
		a->hash = h[i].v;
	} else if (!strcmp(w[0], "authentication") && n == 2) {
		if (strcmp(w[1], "pre-share"))
			return fail(p, "authentication %s is not supported (only pre-share)", w[1]);
		a->auth = OAKLEY_PRESHARED_KEY;
	} else if (!strcmp(w[0], "group") && n == 2) {
		if (num(p, w[1], 1, 24, &v))
			return -1;
		if (!ike_dh_len((uint16_t)v))
			return fail(p, "group %u is not supported (1, 2, 5, 14, 15, 16, 19, 20, 24)", v);
		a->group = (uint16_t)v;
	} else if (!strcmp(w[0], "lifetime") && n == 2) {
		if (num(p, w[1], 60, 86400, &v))
			return -1;
		a->life_sec = v;
	} else {
		return fail(p, "unknown isakmp policy command '%s'", w[0]);
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
			if (num(p, w[++*i], 128, 256, &v) || (v != 128 && v != 192 && v != 256))
				return fail(p, "%s key length is 128, 192 or 256", t);
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
		return fail(p, "unknown transform '%s'", t);
	}
	return 0;
}

static int lifetime(struct parser *p, char **w, int n, uint32_t *sec, uint32_t *kb)
{
	if (n != 3 || (strcmp(w[1], "seconds") && strcmp(w[1], "kilobytes")))
		return fail(p, "lifetime is 'seconds N' or 'kilobytes N'");
	if (w[1][0] == 's')
		return num(p, w[2], 120, 86400, sec);
	return num(p, w[2], 2560, 4294967295u, kb);
}

static bool mask_ok(const uint8_t *m, int *plen)
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
		return fail(p, "usage: crypto isakmp key KEY address A.B.C.D [MASK] | address ipv6 X:X::X/N");
	if (p->c->nkeys == (int)(sizeof(p->c->keys) / sizeof(p->c->keys[0])))
		return fail(p, "too many keys");
	if (strlen(w[3]) > CONF_KEY_MAX)
		return fail(p, "the key is longer than %d characters", CONF_KEY_MAX);
	k = &p->c->keys[p->c->nkeys];
	memset(k, 0, sizeof(*k));
	if (!strcmp(w[5], "ipv6")) {
		char *slash;
		uint32_t plen = 128;

		if (n != 7)
			return fail(p, "usage: address ipv6 X:X::X/N");
		slash = strchr(w[6], '/');
		if (slash) {
			*slash = 0;
			if (num(p, slash + 1, 0, 128, &plen))
				return -1;
		}
		if (inet_pton(AF_INET6, w[6], k->addr) != 1)
			return fail(p, "'%s' is not an IPv6 address", w[6]);
		k->family = AF_INET6;
		k->plen = (int)plen;
	} else {
		if (n > 7)
			return fail(p, "too many words after the address");
		if (inet_pton(AF_INET, w[5], k->addr) != 1)
			return fail(p, "'%s' is not an IPv4 address", w[5]);
		k->family = AF_INET;
		k->plen = 32;
		if (n == 7) {
			if (inet_pton(AF_INET, w[6], m) != 1 || !mask_ok(m, &k->plen))
				return fail(p, "'%s' is not a netmask", w[6]);
		}
	}
	snprintf(k->key, sizeof(k->key), "%s", w[3]);
	p->c->nkeys++;
	return 0;
}

static int crypto_line(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	uint32_t v;

	if (n >= 4 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "policy")) {
		struct conf_policy *pol;

		if (num(p, w[3], 1, 10000, &v))
			return -1;
		for (int i = 0; i < c->npol; i++)
			if (c->pol[i].prio == (int)v) {
				p->sec = POLICY;
				p->cur = i;
				return 0;
			}
		if (c->npol == CONF_MAX)
			return fail(p, "too many isakmp policies");
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
		if (num(p, w[3], 10, 3600, &c->dpd_interval))
			return -1;
		c->dpd_retry = 2;
		c->dpd_periodic = false;
		for (int i = 4; i < n; i++) {
			if (!strcmp(w[i], "periodic"))
				c->dpd_periodic = true;
			else if (!strcmp(w[i], "on-demand"))
				c->dpd_periodic = false;
			else if (num(p, w[i], 2, 60, &c->dpd_retry))
				return -1;
		}
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "aggressive-mode")) {
		/* IOS's own command is "... aggressive-mode disable"; without it, ours enables */
		if (n > 4 || (n == 4 && strcmp(w[3], "disable")))
			return fail(p, "usage: crypto isakmp aggressive-mode [disable]");
		c->aggressive = n == 3;
		return 0;
	}
	if (n >= 2 && !strcmp(w[1], "isakmp")) {
		if (n >= 3 && (!strcmp(w[2], "nat") || !strcmp(w[2], "identity") ||
			       !strcmp(w[2], "invalid-spi-recovery")))
			return 0;	/* taken by the NAT-T work; the identity is the address */
		return fail(p, "unknown crypto isakmp command '%s'", n > 2 ? w[2] : "");
	}
	if (n >= 4 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "transform-set")) {
		struct conf_tset *t;
		int i;

		if (strlen(w[3]) >= CONF_NAME)
			return fail(p, "transform-set name too long");
		for (i = 0; i < c->ntsets && strcmp(c->tsets[i].name, w[3]); i++)
			;
		if (i == CONF_MAX)
			return fail(p, "too many transform sets");
		t = &c->tsets[i];
		memset(t, 0, sizeof(*t));
		snprintf(t->name, sizeof(t->name), "%s", w[3]);
		t->a.encap = ENCAP_TUNNEL;	/* IOS default */
		for (int j = 4; j < n; j++)
			if (tset_word(p, &t->a, w, n, &j))
				return -1;
		if (!t->a.esp_id)
			return fail(p, "transform-set %s has no ESP cipher", t->name);
		if (t->a.esp_id == ESP_AES_GCM_16 && t->a.auth)
			return fail(p, "esp-gcm carries its own integrity: no esp-*-hmac with it");
		if (t->a.esp_id != ESP_AES_GCM_16 && !t->a.auth)
			return fail(p, "transform-set %s needs an esp-*-hmac", t->name);
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
			return fail(p, "profile name too long");
		for (i = 0; i < c->nprofiles && strcmp(c->profiles[i].name, w[3]); i++)
			;
		if (i == CONF_MAX)
			return fail(p, "too many profiles");
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
		return fail(p, "unknown crypto ipsec command '%s'", n > 2 ? w[2] : "");
	return fail(p, "unknown crypto command '%s'", n > 1 ? w[1] : "");
}

static int profile_line(struct parser *p, char **w, int n)
{
	struct conf_profile *pr = &p->c->profiles[p->cur];
	uint32_t v;

	if (n >= 3 && !strcmp(w[0], "set") && !strcmp(w[1], "transform-set")) {
		if (n - 2 > 4)
			return fail(p, "at most 4 transform sets");
		pr->ntsets = 0;
		for (int i = 2; i < n; i++) {
			if (strlen(w[i]) >= CONF_NAME)
				return fail(p, "transform-set name too long");
			snprintf(pr->tsets[pr->ntsets++], CONF_NAME, "%s", w[i]);
		}
		return 0;
	}
	if (n >= 3 && !strcmp(w[0], "set") && !strcmp(w[1], "security-association"))
		return lifetime(p, w + 2, n - 2, &pr->life_sec, &pr->life_kb);
	if (n >= 2 && !strcmp(w[0], "set") && !strcmp(w[1], "pfs")) {
		pr->pfs = 1;	/* IOS: "set pfs" alone is group 1 */
		if (n == 3) {
			if (strncmp(w[2], "group", 5) || num(p, w[2] + 5, 1, 24, &v) ||
			    !ike_dh_len((uint16_t)v))
				return fail(p, "pfs is groupN with a supported group");
			pr->pfs = (uint16_t)v;
		}
		return 0;
	}
	return fail(p, "unknown ipsec profile command '%s'", w[0]);
}

static bool word_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

/* Whether an unindented line belongs to the section it follows. */
static bool is_sub(enum section sec, char **w, int n)
{
	static const char *const policy[] = {
		"encr", "encryption", "hash", "authentication", "group", "lifetime", NULL,
	};
	static const char *const iface_ip[] = {
		"address", "mtu", "nhrp", "tcp", "redirects", "unnumbered", NULL,
	};

	switch (sec) {
	case POLICY:
		return word_in(w[0], policy);
	case TSET:
		return !strcmp(w[0], "mode");
	case PROFILE:
		return !strcmp(w[0], "set");
	case IFACE:
		return !strcmp(w[0], "tunnel") || !strcmp(w[0], "description") ||
		       !strcmp(w[0], "bandwidth") || !strcmp(w[0], "delay") ||
		       (!strcmp(w[0], "ip") && n > 1 && word_in(w[1], iface_ip)) ||
		       (!strcmp(w[0], "no") && n > 1 && !strcmp(w[1], "ip"));
	default:
		return false;
	}
}

static int line(struct parser *p, char *s)
{
	char *w[MAX_WORDS];
	bool indented = s[0] == ' ' || s[0] == '\t';
	int n = 0;

	for (char *t = strtok(s, " \t\r"); t; t = strtok(NULL, " \t\r")) {
		if (n == MAX_WORDS)
			return fail(p, "too many words");
		w[n++] = t;
	}
	if (n == 0 || w[0][0] == '!' || w[0][0] == '#')
		return 0;
	if (!strcmp(w[0], "exit") || !strcmp(w[0], "end")) {
		p->sec = TOP;
		return 0;
	}
	/* IOS takes a command in the current mode first, indented or not */
	if (indented || is_sub(p->sec, w, n)) {
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
			return fail(p, "transform-set mode is 'mode transport' or 'mode tunnel'");
		case PROFILE:
			return profile_line(p, w, n);
		case IFACE:
			if (n >= 3 && !strcmp(w[0], "tunnel") && !strcmp(w[1], "protection")) {
				if (n != 5 || strcmp(w[2], "ipsec") || strcmp(w[3], "profile") ||
				    strlen(w[4]) >= CONF_NAME)
					return fail(p, "usage: tunnel protection ipsec profile NAME");
				snprintf(p->c->ifaces[p->cur].profile, CONF_NAME, "%s", w[4]);
			}
			return 0;	/* addresses, NHRP: not the keying daemon's */
		default:
			return 0;
		}
	}
	p->sec = OTHER;
	if (!strcmp(w[0], "crypto"))
		return crypto_line(p, w, n);
	if (!strcmp(w[0], "interface") && n == 2) {
		struct conf *c = p->c;
		int i;

		if (strlen(w[1]) >= IFNAMSIZ)
			return fail(p, "interface name longer than %d", IFNAMSIZ - 1);
		for (i = 0; i < c->nifaces && strcmp(c->ifaces[i].name, w[1]); i++)
			;
		if (i == CONF_MAX)
			return fail(p, "too many interfaces");
		if (i == c->nifaces) {
			memset(&c->ifaces[i], 0, sizeof(c->ifaces[i]));
			snprintf(c->ifaces[i].name, IFNAMSIZ, "%s", w[1]);
			c->nifaces++;
		}
		p->sec = IFACE;
		p->cur = i;
	}
	return 0;	/* hostname, routing, ...: not ours */
}

static int check(struct parser *p)
{
	struct conf *c = p->c;

	for (int i = 0; i < c->npol; i++) {
		if (c->pol[i].a.auth != OAKLEY_PRESHARED_KEY) {
			p->line = c->pol[i].line;
			return fail(p, "isakmp policy %d: authentication defaults to rsa-sig, "
				    "which is not supported: add 'authentication pre-share'",
				    c->pol[i].prio);
		}
	}
	for (int i = 0; i < c->nprofiles; i++) {
		const struct conf_profile *pr = &c->profiles[i];

		p->line = pr->line;
		if (!pr->ntsets)
			return fail(p, "ipsec profile %s has no transform set", pr->name);
		for (int j = 0; j < pr->ntsets; j++)
			if (!conf_tset_get(c, pr->tsets[j]))
				return fail(p, "ipsec profile %s: no transform-set %s",
					    pr->name, pr->tsets[j]);
	}
	for (int i = 0; i < c->nifaces; i++) {
		if (c->ifaces[i].profile[0] && !conf_profile_get(c, c->ifaces[i].profile)) {
			p->line = 0;
			return fail(p, "interface %s: no ipsec profile %s", c->ifaces[i].name,
				    c->ifaces[i].profile);
		}
	}
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
			return fail(&p, "line longer than %zu characters", sizeof(buf) - 1);
		memcpy(buf, s, len);
		buf[len] = 0;
		if (line(&p, buf)) {
			ike_wipe(buf, sizeof(buf));
			return -1;
		}
		ike_wipe(buf, sizeof(buf));
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
	ike_wipe(text, n);
	free(text);
	return ret;
}

void conf_free(struct conf *c)
{
	ike_wipe(c->keys, sizeof(c->keys));
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, int plen)
{
	int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, (size_t)bytes))
		return false;
	return !bits || !((a[bytes] ^ b[bytes]) & (0xff << (8 - bits)));
}

const char *conf_psk(const struct conf *c, int family, const void *addr)
{
	const struct conf_key *best = NULL;

	for (int i = 0; i < c->nkeys; i++) {
		const struct conf_key *k = &c->keys[i];

		if (k->family == family && prefix_match(k->addr, addr, k->plen) &&
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
