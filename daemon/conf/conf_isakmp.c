// SPDX-License-Identifier: GPL-2.0
/*
 * The IOS crypto commands of the keying itself: "crypto isakmp policy N"
 * and what is in it, "crypto isakmp key|keepalive|aggressive-mode",
 * "crypto ipsec transform-set", "crypto ipsec profile", "crypto ipsec
 * security-association lifetime"; the checks of them; the lookups the
 * engine makes of them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/conf_parse.h"
#include "ike/dh_groups.h"
#include "lib/addr.h"

/* Inside "crypto isakmp policy N". */
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
		return conf_unknown(p, p->mode);
	}
	return 0;
}

static bool policy_is_sub(char **w, int n)
{
	static const char *const words[] = {
		"encr", "encryption", "hash", "authentication", "group", "lifetime", NULL,
	};

	return conf_word_in(w[0], words);
}

static const struct conf_mode policy_mode = {
	.name = "isakmp policy", .is_sub = policy_is_sub, .line = policy_line,
	.known = conf_known_policy,
};

/* crypto isakmp policy N: a new one with the IOS defaults, or the one of that priority */
static int policy_enter(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	struct conf_policy *pol;
	uint32_t v;

	if (conf_num(p, w[3], 1, 10000, &v))
		return -1;
	for (int i = 0; i < c->npol; i++)
		if (c->pol[i].prio == (int)v) {
			p->mode = &policy_mode;
			p->cur = i;
			return 0;
		}
	pol = conf_grow(p, c->pol, c->npol, sizeof(*c->pol), false);
	if (!pol)
		return -1;
	c->pol = pol;
	pol = &c->pol[c->npol];
	/* the IOS defaults */
	*pol = (struct conf_policy){ .prio = (int)v, .line = p->line, .a = {
		.enc = OAKLEY_DES_CBC, .hash = OAKLEY_SHA, .auth = 0, .group = 1,
		.life_sec = 86400 } };
	p->mode = &policy_mode;
	p->cur = c->npol++;
	return 0;
}

/*
 * crypto isakmp key [0|6|7] KEY address A [MASK] | address ipv6 P/N: IOS
 * prints "key 0 KEY" for a key in clear, 6 and 7 for one it encrypted.
 */
static int key_line(struct parser *p, char **w, int n)
{
	struct conf_key *k;
	uint8_t m[4];

	if (n >= 7 && !strcmp(w[5], "address") && strlen(w[3]) == 1 && strchr("067", w[3][0])) {
		if (w[3][0] != '0')
			return conf_fail(p, "crypto isakmp key %s: the key is encrypted (type %s) "
					 "with the router's own secret, which dmvpnd cannot undo: "
					 "give it in clear ('crypto isakmp key 0 KEY address ...')",
					 w[3], w[3]);
		w++;	/* the key in clear, and the address words, one further */
		n--;
	}
	if (n < 6 || strcmp(w[4], "address"))
		return conf_fail(p, "usage: crypto isakmp key KEY address A.B.C.D [MASK] | address ipv6 X:X::X/N");
	if (strlen(w[3]) > CONF_KEY_MAX)
		return conf_fail(p, "the key is longer than %d characters", CONF_KEY_MAX);
	k = conf_grow(p, p->c->keys, p->c->nkeys, sizeof(*p->c->keys), true);
	if (!k)
		return -1;
	p->c->keys = k;
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

/* crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand] */
static int keepalive_line(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;

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

static int aggressive_line(struct parser *p, char **w, int n)
{
	/* IOS's own command is "... aggressive-mode disable"; without it, ours enables */
	if (n > 4 || (n == 4 && strcmp(w[3], "disable")))
		return conf_fail(p, "usage: crypto isakmp aggressive-mode [disable]");
	p->c->aggressive = n == 3;
	return 0;
}

/* crypto isakmp nat keepalive N: dmvpnd sends NAT keepalives every 20 s, not configurable */
static int isakmp_nat(struct parser *p, char **w, int n)
{
	if (n == 5 && !strcmp(w[3], "keepalive"))
		return conf_ignore(p, "crypto isakmp nat keepalive");
	return conf_unknown(p, NULL);
}

/* crypto isakmp identity address: what dmvpnd sends; hostname and dn need what it has not */
static int isakmp_identity(struct parser *p, char **w, int n)
{
	if (n == 4 && !strcmp(w[3], "address"))
		return 0;
	return conf_fail(p, "crypto isakmp identity %s is not supported: the identity is the "
			 "address ('crypto isakmp identity address')", w[3]);
}

static int isakmp_spi_recovery(struct parser *p, char **w, int n)
{
	return conf_ignore(p, "crypto isakmp invalid-spi-recovery");
}

/*
 * crypto call admission limit ike in-negotiation-sa N: responder SAs in
 * negotiation at once (ike/admit.c; 1000 when not set);
 * crypto call admission limit ike sa N: IKE SAs in all, active and in
 * negotiation, beyond which a new peer's MM1 is dropped.
 */
static int cac_line(struct parser *p, char **w, int n)
{
	static const char usage[] = "usage: crypto call admission limit ike "
				    "{in-negotiation-sa N | sa N}";

	if (n != 7 || strcmp(w[2], "admission") || strcmp(w[3], "limit"))
		return conf_fail(p, usage);
	if (strcmp(w[4], "ike"))
		return conf_fail(p, "crypto call admission limit %s: only the IKE limits apply "
				 "(ike in-negotiation-sa N, ike sa N)", w[4]);
	if (!strcmp(w[5], "in-negotiation-sa"))
		return conf_num(p, w[6], 10, 1000000, &p->c->cac_in_neg);
	if (!strcmp(w[5], "sa"))
		return conf_num(p, w[6], 1, 1000000, &p->c->cac_sa);
	return conf_fail(p, usage);
}

/* crypto isakmp ... */
static int isakmp_line(struct parser *p, char **w, int n)
{
	static const struct conf_cmd cmds[] = {
		{ { "policy" }, 4, policy_enter },
		{ { "key" }, 3, key_line },
		{ { "keepalive" }, 4, keepalive_line },
		{ { "aggressive-mode" }, 3, aggressive_line },
		{ { "nat" }, 3, isakmp_nat },
		{ { "identity" }, 4, isakmp_identity },
		{ { "invalid-spi-recovery" }, 3, isakmp_spi_recovery },
		{ { NULL } },
	};
	int r = conf_run(p, cmds, 2, w, n);

	return r > 0 ? conf_unknown(p, NULL) : r;
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

/* Inside "crypto ipsec transform-set NAME ...": mode transport | tunnel. */
static int tset_sub(struct parser *p, char **w, int n)
{
	if (n == 2 && !strcmp(w[0], "mode") &&
	    (!strcmp(w[1], "transport") || !strcmp(w[1], "tunnel"))) {
		p->c->tsets[p->cur].a.encap = w[1][1] == 'r' ? ENCAP_TRANSPORT : ENCAP_TUNNEL;
		return 0;
	}
	return conf_fail(p, "transform-set mode is 'mode transport' or 'mode tunnel'");
}

static bool tset_is_sub(char **w, int n)
{
	return !strcmp(w[0], "mode");
}

static const struct conf_mode tset_mode = {
	.name = "transform-set", .is_sub = tset_is_sub, .line = tset_sub, .known = conf_known_tset,
};

/* crypto ipsec transform-set NAME TRANSFORM...: new, or defined again */
static int tset_line(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	struct conf_tset *t;
	int i;

	if (strlen(w[3]) >= CONF_NAME)
		return conf_fail(p, "transform-set name too long");
	for (i = 0; i < c->ntsets && strcmp(c->tsets[i].name, w[3]); i++)
		;
	if (i == c->ntsets) {
		t = conf_grow(p, c->tsets, c->ntsets, sizeof(*c->tsets), false);
		if (!t)
			return -1;
		c->tsets = t;
	}
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
	p->mode = &tset_mode;
	p->cur = i;
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

/*
 * crypto ipsec security-association replay window-size [N] | disable: IOS's
 * sizes (window-size alone is IOS's default, 64); every SA dmvpnd installs
 */
static int sa_replay(struct parser *p, char **w, int n)
{
	uint32_t v = 64;

	if (n == 2 && !strcmp(w[1], "disable")) {
		p->c->ipsec_replay_window = 0;
		return 0;
	}
	if ((n != 2 && n != 3) || strcmp(w[1], "window-size"))
		return conf_fail(p, "replay is 'window-size [N]' or 'disable'");
	if (n == 3 && (conf_num(p, w[2], 64, 1024, &v) || (v & (v - 1))))
		return conf_fail(p, "replay window-size is 64, 128, 256, 512 or 1024");
	p->c->ipsec_replay_window = v;
	return 0;
}

/* crypto ipsec security-association lifetime ... | replay ...: the global defaults */
static int sa_global(struct parser *p, char **w, int n)
{
	if (!strcmp(w[3], "replay"))
		return sa_replay(p, w + 3, n - 3);
	if (strcmp(w[3], "lifetime"))
		return conf_unknown(p, NULL);
	return lifetime(p, w + 3, n - 3, &p->c->ipsec_life_sec, &p->c->ipsec_life_kb);
}

/* set transform-set | security-association lifetime | pfs: 1 if w is none of them. */
int conf_profile_set(struct parser *p, struct conf_profile *pr, char **w, int n)
{
	uint32_t v;

	if (n >= 3 && !strcmp(w[0], "set") && !strcmp(w[1], "transform-set")) {
		if (n - 2 > CONF_TSETS_MAX)	/* IOS's own limit, as conf.h says */
			return conf_fail(p, "at most %d transform sets", CONF_TSETS_MAX);
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

/* Inside "crypto ipsec profile NAME". */
static int profile_sub(struct parser *p, char **w, int n)
{
	int r = conf_profile_set(p, &p->c->profiles[p->cur], w, n);

	return r > 0 ? conf_unknown(p, p->mode) : r;
}

static bool profile_is_sub(char **w, int n)
{
	return !strcmp(w[0], "set");
}

static const struct conf_mode profile_mode = {
	.name = "ipsec profile", .is_sub = profile_is_sub, .line = profile_sub,
	.known = conf_known_profile,
};

/* crypto ipsec profile NAME: new, or entered again */
static int profile_enter(struct parser *p, char **w, int n)
{
	struct conf *c = p->c;
	int i;

	if (strlen(w[3]) >= CONF_NAME)
		return conf_fail(p, "profile name too long");
	for (i = 0; i < c->nprofiles && strcmp(c->profiles[i].name, w[3]); i++)
		;
	if (i == c->nprofiles) {
		struct conf_profile *pr = conf_grow(p, c->profiles, c->nprofiles,
						    sizeof(*c->profiles), false);

		if (!pr)
			return -1;
		c->profiles = pr;
		memset(&c->profiles[i], 0, sizeof(c->profiles[i]));
		snprintf(c->profiles[i].name, CONF_NAME, "%s", w[3]);
		c->profiles[i].line = p->line;
		c->nprofiles++;
	}
	p->mode = &profile_mode;
	p->cur = i;
	return 0;
}

/* crypto ipsec ... */
static int ipsec_line(struct parser *p, char **w, int n)
{
	static const struct conf_cmd cmds[] = {
		{ { "transform-set" }, 4, tset_line },
		{ { "security-association" }, 4, sa_global },
		{ { "profile" }, 4, profile_enter },
		{ { NULL } },
	};
	int r = conf_run(p, cmds, 2, w, n);

	return r > 0 ? conf_unknown(p, NULL) : r;
}

/* Policies that can authenticate, profiles whose transform sets exist; policies by priority. */
static int isakmp_check(struct parser *p)
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
	/* policies in priority order */
	for (int i = 1; i < c->npol; i++)
		for (int j = i; j > 0 && c->pol[j - 1].prio > c->pol[j].prio; j--) {
			struct conf_policy t = c->pol[j];

			c->pol[j] = c->pol[j - 1];
			c->pol[j - 1] = t;
		}
	return 0;
}

static void isakmp_free(struct conf *c)
{
	free(c->pol);
	conf_free_secret(c->keys, c->nkeys, sizeof(*c->keys));
	free(c->tsets);
	free(c->profiles);
}

static const struct conf_cmd isakmp_cmds[] = {
	{ { "crypto", "isakmp" }, 2, isakmp_line },
	{ { "crypto", "ipsec" }, 2, ipsec_line },
	{ { "crypto", "call" }, 3, cac_line },
	{ { NULL } },
};

const struct conf_section conf_isakmp_section = {
	.cmds = isakmp_cmds,
	.check = isakmp_check,
	.free = isakmp_free,
};

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
	return NULL;
}

const struct conf_tset *conf_tset_get(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->ntsets; i++)
		if (!strcmp(c->tsets[i].name, name))
			return &c->tsets[i];
	return NULL;
}

struct p1_attrs *conf_p1_list(const struct conf *c, int *n)
{
	struct p1_attrs *out;

	*n = 0;
	if (!c->npol)
		return NULL;
	out = calloc((size_t)c->npol, sizeof(*out));
	if (!out) {
		*n = -1;
		return NULL;
	}
	for (int i = 0; i < c->npol; i++)
		out[i] = c->pol[i].a;
	*n = c->npol;
	return out;
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
