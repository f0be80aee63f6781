// SPDX-License-Identifier: GPL-2.0
/*
 * The example configurations (every examples/NAME.conf, globbed when the
 * test runs, so files added later are tested too): each one parses, from memory
 * (conf_parse) and from a 0600 copy (conf_load, which refuses a file
 * readable by others: git keeps no 0600), and a tunnel source that is an
 * IOS interface name has a Linux device.  For the files made from seeds
 * 000, 003 and 004, the facts the seed states: policies, keys, transform
 * sets, profiles, crypto map entries with their peers and access lists,
 * the IPv6 VTI, the mGRE hub and the point-to-point GRE spoke with NHRP.
 *
 * Run from the repository root; the directory is "examples", or argv[2]
 * (argv[1] is the output file tests/unit/run.sh gives every test).
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "check.h"
#include "conf/conf.h"
#include "conf_test.h"
#include "ike/crypto.h"

static char err[512];

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		text = calloc(1, (size_t)len + 1);
		if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
			free(text);
			text = NULL;
		}
	}
	fclose(f);
	return text;
}

/* conf_load() of a 0600 copy of the file: what dmvpnd -c does with it. */
static int load_copy(const char *path, const char *text)
{
	char tmp[] = "/tmp/dmvpn-example-XXXXXX";
	struct conf c;
	size_t len = strlen(text);
	int fd = mkstemp(tmp), r = -1;

	if (fd < 0) {
		printf("#   mkstemp: %s\n", strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) == 0 && write(fd, text, len) == (ssize_t)len) {
		r = conf_load(tmp, &c, err, sizeof(err));
		if (r)
			printf("#   %s (conf_load of a 0600 copy of %s)\n", err, path);
		else
			conf_free(&c);
	}
	close(fd);
	unlink(tmp);
	return r;
}

static const struct conf_iface *iface(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->nifaces; i++)
		if (!strcmp(c->ifaces[i].name, name))
			return &c->ifaces[i];
	return NULL;
}

static const struct conf_map *map(const struct conf *c, const char *name, int seq)
{
	for (int i = 0; i < c->nmaps; i++)
		if (!strcmp(c->maps[i].name, name) && c->maps[i].seq == seq)
			return &c->maps[i];
	return NULL;
}

static bool ip4_is(int family, const uint8_t *a, const char *want)
{
	uint8_t w[4];

	return family == AF_INET && inet_pton(AF_INET, want, w) == 1 && !memcmp(a, w, 4);
}

static bool ip6_is(int family, const uint8_t *a, const char *want)
{
	uint8_t w[16];

	return family == AF_INET6 && inet_pton(AF_INET6, want, w) == 1 && !memcmp(a, w, 16);
}

/* "A.B.C.D/LEN" into a proxy identity of protocol ip */
static struct p2_ts ts4(const char *s)
{
	struct p2_ts t = { .family = AF_INET };
	char buf[32];
	const char *slash = strchr(s, '/');

	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - s), s);
	inet_pton(AF_INET, buf, t.addr);
	t.plen = (uint8_t)atoi(slash + 1);
	return t;
}

static bool ts_is(const struct p2_ts *t, const char *want)
{
	struct p2_ts w = ts4(want);

	return t->family == AF_INET && t->plen == w.plen && t->proto == 0 &&
	       !memcmp(t->addr, w.addr, 4);
}

/* The access list's line i permits ip from src to dst (A.B.C.D/LEN each). */
static bool acl_line(const struct conf *c, const char *name, int i, const char *src,
		     const char *dst)
{
	const struct conf_acl *a = conf_acl_get(c, name);

	return a && i < a->n && ts_is(&a->l[i].src, src) && ts_is(&a->l[i].dst, dst);
}

/* Some line of the access list permits ip from src to dst. */
static bool acl_has(const struct conf *c, const char *name, const char *src, const char *dst)
{
	const struct conf_acl *a = conf_acl_get(c, name);

	for (int i = 0; a && i < a->n; i++)
		if (acl_line(c, name, i, src, dst))
			return true;
	return false;
}

static int acl_n(const struct conf *c, const char *name)
{
	const struct conf_acl *a = conf_acl_get(c, name);

	return a ? a->n : -1;
}

static bool psk4_is(const struct conf *c, const char *peer, const char *want)
{
	uint8_t a[4];
	const char *k;

	inet_pton(AF_INET, peer, a);
	k = conf_psk(c, AF_INET, a);
	return want ? k && !strcmp(k, want) : !k;
}

static bool nhrp4_is(const struct nhrp_addr *a, const char *want)
{
	uint8_t w[4];

	return a->len == 4 && inet_pton(AF_INET, want, w) == 1 && !memcmp(a->a, w, 4);
}

/* The one policy: its priority, cipher, hash; pre-shared keys, group 1, 86400 s. */
static void policy(const struct conf *c, int prio, uint16_t enc, uint16_t hash)
{
	struct p1_attrs p1[64];

	CHECK(c->npol == 1 && c->pol[0].prio == prio);
	CHECK(p1_copy(c, p1, 64) == 1 && p1[0].enc == enc && p1[0].hash == hash &&
	      p1[0].auth == OAKLEY_PRESHARED_KEY && p1[0].group == 1 && p1[0].life_sec == 86400);
}

/* A transform set's one transform, as a profile (or crypto map entry) offers it. */
static void transforms(const struct conf *c, const struct conf_profile *p, const char *tset,
		       uint8_t esp, uint16_t keylen, uint16_t auth, uint16_t encap)
{
	struct p2_attrs p2[CONF_TSETS_MAX];

	CHECK(p && p->ntsets == 1 && !strcmp(p->tsets[0], tset));
	CHECK(p && conf_p2_list(c, p, p2) == 1 && p2[0].esp_id == esp && p2[0].keylen == keylen &&
	      p2[0].auth == auth && p2[0].encap == encap && p2[0].group == 0 &&
	      p2[0].life_sec == 3600 && p2[0].life_kb == 4608000);
}

/* A crypto map entry: its peer, its access list, transform set myset (esp-des esp-md5-hmac). */
static void map_entry(const struct conf *c, int seq, const char *peer, const char *acl)
{
	const struct conf_map *m = map(c, "mymap", seq);

	CHECK(m && ip4_is(m->family, m->peer, peer) && !strcmp(m->acl, acl));
	CHECK(m && conf_map_get(c, "mymap", seq) == m && !conf_profile_get(c, m->p.name));
	if (m)
		transforms(c, &m->p, "myset", ESP_DES, 0, AUTH_HMAC_MD5, ENCAP_TUNNEL);
}

/* Ethernet1 of a seed-000 router: its address and crypto map mymap. */
static void ethernet1(const struct conf *c, const char *addr)
{
	const struct conf_iface *f = iface(c, "Ethernet1");

	CHECK(f && ip4_is(f->addr_family, f->addr, addr) && f->plen == 24 &&
	      !strcmp(f->map, "mymap"));
}

/* Seed 000's hub, both listings: what the first has. */
static void hub000(const struct conf *c, int nmaps)
{
	struct p2_ts l = ts4("172.16.1.0/24"), r = ts4("192.168.1.0/24");
	uint8_t peer[4];
	const struct conf_map *m;

	policy(c, 10, OAKLEY_DES_CBC, OAKLEY_MD5);
	CHECK(psk4_is(c, "10.1.2.1", "cisco123") && psk4_is(c, "10.1.3.1", "cisco123"));
	CHECK(psk4_is(c, "10.1.9.9", NULL));	/* per-peer keys, no wildcard */
	CHECK(c->nmaps == nmaps);
	map_entry(c, 10, "10.1.2.1", "110");
	map_entry(c, 20, "10.1.3.1", "120");
	ethernet1(c, "10.1.4.1");
	CHECK(acl_line(c, "110", 0, "10.1.1.0/24", "172.16.1.0/24"));
	CHECK(acl_line(c, "110", 1, "192.168.1.0/24", "172.16.1.0/24"));
	CHECK(acl_line(c, "120", 0, "10.1.1.0/24", "192.168.1.0/24"));
	CHECK(acl_has(c, "120", "172.16.1.0/24", "192.168.1.0/24"));
	/* the seed's point: Spoke 1's traffic to Spoke 2 leaves the hub on entry 20 */
	inet_pton(AF_INET, "10.1.3.1", peer);
	m = conf_map_for(c, AF_INET, peer, &l, &r);
	CHECK(m && m->seq == 20);
}

static void hub000_first(const struct conf *c)
{
	hub000(c, 2);
	CHECK(psk4_is(c, "10.1.5.1", NULL));
	CHECK(acl_n(c, "110") == 2 && acl_n(c, "120") == 2 && acl_n(c, "130") == -1);
	CHECK(acl_line(c, "120", 1, "172.16.1.0/24", "192.168.1.0/24"));
}

static void hub000_spoke3(const struct conf *c)
{
	struct p2_ts l = ts4("10.1.1.0/24"), r = ts4("172.16.2.0/24");
	uint8_t peer[4];
	const struct conf_map *m;

	hub000(c, 3);
	CHECK(psk4_is(c, "10.1.5.1", "cisco123"));
	map_entry(c, 30, "10.1.5.1", "130");
	CHECK(acl_n(c, "110") == 3 && acl_n(c, "120") == 3 && acl_n(c, "130") == 3);
	CHECK(acl_line(c, "110", 2, "172.16.2.0/24", "172.16.1.0/24"));
	CHECK(acl_line(c, "120", 1, "172.16.2.0/24", "192.168.1.0/24"));
	CHECK(acl_line(c, "120", 2, "172.16.1.0/24", "192.168.1.0/24"));
	CHECK(acl_line(c, "130", 0, "10.1.1.0/24", "172.16.2.0/24"));
	CHECK(acl_line(c, "130", 1, "192.168.1.0/24", "172.16.2.0/24"));
	CHECK(acl_line(c, "130", 2, "172.16.1.0/24", "172.16.2.0/24"));
	inet_pton(AF_INET, "10.1.5.1", peer);
	m = conf_map_for(c, AF_INET, peer, &l, &r);
	CHECK(m && m->seq == 30);
}

/* A seed-000 spoke: one key and one map entry, both for the hub's 10.1.4.1. */
static void spoke000(const struct conf *c, const char *eth1, const char *acl)
{
	policy(c, 10, OAKLEY_DES_CBC, OAKLEY_MD5);
	CHECK(c->nkeys == 1 && psk4_is(c, "10.1.4.1", "cisco123"));
	CHECK(c->nmaps == 1);
	map_entry(c, 10, "10.1.4.1", acl);
	ethernet1(c, eth1);
	CHECK(acl_n(c, acl) == 2 || acl_n(c, acl) == 3);
}

static void spoke000_1(const struct conf *c)
{
	spoke000(c, "10.1.2.1", "110");
	CHECK(acl_line(c, "110", 0, "172.16.1.0/24", "10.1.1.0/24"));
	CHECK(acl_line(c, "110", 1, "172.16.1.0/24", "192.168.1.0/24"));
}

static void spoke000_2(const struct conf *c)
{
	spoke000(c, "10.1.3.1", "120");
	CHECK(acl_line(c, "120", 0, "192.168.1.0/24", "172.16.1.0/24"));
	CHECK(acl_line(c, "120", 1, "192.168.1.0/24", "10.1.1.0/24"));
}

static void spoke000_3(const struct conf *c)
{
	spoke000(c, "10.1.5.1", "130");
	/* 172.168.2.0, as the seed prints it (its Ethernet0 is 172.16.2.1/24) */
	CHECK(acl_n(c, "130") == 3);
	CHECK(acl_line(c, "130", 0, "172.168.2.0/24", "172.16.1.0/24"));
	CHECK(acl_line(c, "130", 1, "172.168.2.0/24", "10.1.1.0/24"));
	CHECK(acl_line(c, "130", 2, "172.168.2.0/24", "192.168.1.0/24"));
}

/* Seed 003: Tunnel23, a VTI over IPv6 to the other router, profile PRO. */
static void r003(const struct conf *c, const char *self4, const char *peer6)
{
	const struct conf_iface *f = iface(c, "Tunnel23");
	uint8_t a[16];
	const char *k;

	policy(c, 10, OAKLEY_DES_CBC, OAKLEY_SHA);
	inet_pton(AF_INET6, peer6, a);
	k = conf_psk(c, AF_INET6, a);
	CHECK(k && !strcmp(k, "cisco"));	/* address ipv6 ::/0 */
	transforms(c, conf_profile_get(c, "PRO"), "TRA", ESP_AES, 128, AUTH_HMAC_SHA, ENCAP_TRANSPORT);
	CHECK(f && f->mode == CONF_TUN_IPSEC6 && ip6_is(f->dst_family, f->dst, peer6) &&
	      !strcmp(f->profile, "PRO"));
	CHECK(f && ip4_is(f->addr_family, f->addr, self4) && f->plen == 24);
	CHECK(f && !strcmp(f->src_name, "Ethernet0/0") && !conf_iface_owned(f));
	CHECK(conf_vti_for(c, AF_INET6, a) == f);
	CHECK(conf_ifname(c, "Ethernet0/0") && !strcmp(conf_ifname(c, "Ethernet0/0"), "eth0"));
}

static void r003_2(const struct conf *c)
{
	r003(c, "192.168.23.2", "2001:db8::3");
}

static void r003_3(const struct conf *c)
{
	r003(c, "192.168.23.3", "2001:db8::2");
}

/* Seed 004: the same crypto on both; Tunnel0 with its mtu, mss, key and NHRP. */
static const struct conf_iface *tunnel004(const struct conf *c, const char *self,
					  const char *eth0)
{
	const struct conf_iface *f = iface(c, "Tunnel0"), *e = iface(c, "Ethernet0/0");

	policy(c, 1, OAKLEY_3DES_CBC, OAKLEY_SHA);
	CHECK(psk4_is(c, "172.16.1.1", "cisco123") && psk4_is(c, "172.16.10.1", "cisco123"));
	transforms(c, conf_profile_get(c, "DMVPN-IPSEC"), "DMVPN-TSET", ESP_3DES, 0, AUTH_HMAC_SHA, ENCAP_TRANSPORT);
	CHECK(e && ip4_is(e->addr_family, e->addr, eth0) && e->plen == 24);
	CHECK(conf_ifname(c, "Ethernet0/0") && !strcmp(conf_ifname(c, "Ethernet0/0"), "eth0"));
	CHECK(iface(c, "Loopback0") && iface(c, "Loopback3"));
	CHECK(f != NULL);
	if (!f)
		return NULL;
	CHECK(f->mode == CONF_TUN_GRE && conf_iface_owned(f) && !strcmp(f->src_name, "Ethernet0/0"));
	CHECK(!strcmp(f->profile, "DMVPN-IPSEC"));
	CHECK(ip4_is(f->addr_family, f->addr, self) && f->plen == 24);
	CHECK(f->has_key && f->key == 1);
	CHECK(f->mtu == 1400 && f->mss == 1360);
	CHECK(f->nhrp.enabled && f->nhrp.network_id == 1);
	CHECK(f->nhrp.auth_len == 8 && !strcmp(f->nhrp.auth, "NHRPAUTH"));
	CHECK(f->nhrp.holdtime == NHRP_HOLDTIME_DEFAULT);
	return f;
}

static void hub004(const struct conf *c)
{
	const struct conf_iface *f = tunnel004(c, "10.1.1.254", "172.16.10.1");

	CHECK(f && f->multipoint && !f->dst_family);
	CHECK(f && f->nhrp.mcast_dynamic && f->nhrp.nnhs == 0 && f->nhrp.nmaps == 0);
}

static void spoke004(const struct conf *c)
{
	const struct conf_iface *f = tunnel004(c, "10.1.1.1", "172.16.1.1");

	CHECK(f && !f->multipoint && ip4_is(f->dst_family, f->dst, "172.16.10.1"));
	CHECK(f && !f->nhrp.mcast_dynamic);
	CHECK(f && f->nhrp.nmaps == 1 && nhrp4_is(&f->nhrp.maps[0].proto, "10.1.1.254") &&
	      nhrp4_is(&f->nhrp.maps[0].nbma, "172.16.10.1"));
	CHECK(f && f->nhrp.nnhs == 1 && nhrp4_is(&f->nhrp.nhs[0].proto, "10.1.1.254"));
}

/* The files made from the seeds, and what each seed states of its router. */
static const struct {
	const char *file;
	void (*facts)(const struct conf *c);
} mine[] = {
	{ "000-hub.conf", hub000_first },
	{ "000-hub-with-spoke3.conf", hub000_spoke3 },
	{ "000-spoke1.conf", spoke000_1 },
	{ "000-spoke2.conf", spoke000_2 },
	{ "000-spoke3.conf", spoke000_3 },
	{ "003-r2.conf", r003_2 },
	{ "003-r3.conf", r003_3 },
	{ "004-hub.conf", hub004 },
	{ "004-spoke.conf", spoke004 },
};

#define NMINE (sizeof(mine) / sizeof(mine[0]))

static void example(const char *path, bool *seen)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *text = read_text(path);
	struct conf c;
	int r;

	for (size_t i = 0; i < NMINE; i++)
		if (!strcmp(base, mine[i].file))
			seen[i] = true;
	CHECK(text != NULL);
	if (!text) {
		printf("#   %s: %s\n", path, strerror(errno));
		return;
	}
	r = conf_parse(path, text, &c, err, sizeof(err));
	CHECK(r == 0);
	if (r) {
		printf("#   %s\n", err);
		free(text);
		return;
	}
	CHECK(load_copy(path, text) == 0);
	/* a tunnel source named by its IOS interface has a Linux device */
	for (int i = 0; i < c.nifaces; i++) {
		const struct conf_iface *f = &c.ifaces[i];

		CHECK(!f->src_name[0] || conf_ifname(&c, f->src_name));
		if (f->src_name[0] && !conf_ifname(&c, f->src_name))
			printf("#   %s: interface %s: tunnel source %s has no 'linux interface'\n",
			       path, f->name, f->src_name);
	}
	for (size_t i = 0; i < NMINE; i++)
		if (!strcmp(base, mine[i].file)) {
			int before = failed;

			mine[i].facts(&c);
			if (failed != before)
				printf("#   (in the facts of %s)\n", path);
		}
	conf_free(&c);
	free(text);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 2 ? argv[2] : "examples";
	bool seen[NMINE] = { false };
	char pattern[4096];
	glob_t g;
	int r;

	snprintf(pattern, sizeof(pattern), "%s/*.conf", dir);
	r = glob(pattern, 0, NULL, &g);
	CHECK(r == 0 && g.gl_pathc >= NMINE);
	if (r)
		printf("#   no %s (run from the repository root)\n", pattern);
	for (size_t i = 0; r == 0 && i < g.gl_pathc; i++)
		example(g.gl_pathv[i], seen);
	for (size_t i = 0; i < NMINE; i++) {
		CHECK(seen[i]);
		if (!seen[i])
			printf("#   %s/%s is missing\n", dir, mine[i].file);
	}
	if (r == 0)
		globfree(&g);
	return check_summary();
}
