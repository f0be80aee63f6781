// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's configuration: IOS crypto commands pasted as the seeds show
 * them (seed 004's hub, seed 002's hub with its 120 s profile, seed 000's
 * crypto map hub, seed 003's IPv6 VTI), defaults, pre-shared key lookup by
 * longest prefix, access lists, the crypto map entry and the VTI for a peer,
 * and bad lines named with file, line and reason.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sanitizer/lsan_interface.h>
#include "check.h"
#include "conf/conf.h"
#include "conf_test.h"
#include "ike/crypto.h"
#include "ike/ike.h"
#include "lib/wipe.h"

/* seed 004, hub: as "show running-config" prints it, indented */
static const char seed004[] =
	"hostname Hub\n"
	"!\n"
	"crypto isakmp policy 1\n"
	" encr 3des\n"
	" hash sha\n"
	" authentication pre-share\n"
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"
	"!\n"
	"crypto ipsec transform-set DMVPN-TSET esp-3des esp-sha-hmac\n"
	" mode transport\n"
	"!\n"
	"crypto ipsec profile DMVPN-IPSEC\n"
	" set transform-set DMVPN-TSET\n"
	"!\n"
	"interface Tunnel0\n"
	" ip address 10.1.1.1 255.255.255.0\n"
	" no ip redirects\n"
	" ip nhrp authentication NHRPAUTH\n"
	" ip nhrp map multicast dynamic\n"
	" ip nhrp network-id 1\n"
	" tunnel source 172.16.1.1\n"
	" tunnel mode gre multipoint\n"
	" tunnel protection ipsec profile DMVPN-IPSEC\n"
	"!\n"
	"router eigrp 1\n"
	" network 10.1.1.0 0.0.0.255\n"
	"end\n";

/* seed 002, hub: pasted without indentation (IOS takes it in its mode) */
static const char seed002[] =
	"crypto isakmp policy 10\n"
	"hash md5\n"
	"authentication pre-share\n"
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set strong esp-3des esp-md5-hmac\n"
	"crypto ipsec profile cisco\n"
	"set security-association lifetime seconds 120\n"
	"set transform-set strong\n"
	"interface Tunnel0\n"
	"ip address 192.168.1.1 255.255.255.0\n"
	"ip mtu 1440\n"
	"ip nhrp authentication cisco123\n"
	"ip nhrp map multicast dynamic\n"
	"ip nhrp network-id 1\n"
	"tunnel source FastEthernet0/0\n"
	"tunnel mode gre multipoint\n"
	"tunnel key 0\n"
	"tunnel protection ipsec profile cisco\n";

static struct conf c;
static char err[512];

/* Parse into c, the configuration before it freed. */
static int parse(const char *name, const char *text)
{
	conf_free(&c);
	return conf_parse(name, text, &c, err, sizeof(err));
}

static void test_seeds(void)
{
	struct p1_attrs p1[64];
	struct p2_attrs p2[CONF_TSETS_MAX];
	uint8_t a[16];

	CHECK(parse("seed004", seed004) == 0);
	CHECK(c.npol == 1 && c.pol[0].prio == 1);
	CHECK(p1_copy(&c, p1, 64) == 1 && p1[0].enc == OAKLEY_3DES_CBC &&
	      p1[0].hash == OAKLEY_SHA && p1[0].group == 1 && p1[0].life_sec == 86400 &&
	      p1[0].auth == OAKLEY_PRESHARED_KEY);
	CHECK(c.nifaces == 1 && !strcmp(c.ifaces[0].name, "Tunnel0") &&
	      !strcmp(c.ifaces[0].profile, "DMVPN-IPSEC"));
	CHECK(conf_p2_list(&c, conf_profile_get(&c, "DMVPN-IPSEC"), p2) == 1);
	CHECK(p2[0].esp_id == ESP_3DES && p2[0].auth == AUTH_HMAC_SHA &&
	      p2[0].encap == ENCAP_TRANSPORT && p2[0].life_sec == 3600 &&
	      p2[0].life_kb == 4608000 && p2[0].group == 0);
	inet_pton(AF_INET, "172.16.1.2", a);
	CHECK(conf_psk(&c, AF_INET, a) && !strcmp(conf_psk(&c, AF_INET, a), "cisco123"));

	if (parse("seed002", seed002))
		printf("#   %s\n", err);
	CHECK(p1_copy(&c, p1, 64) == 1 && p1[0].enc == OAKLEY_DES_CBC &&
	      p1[0].hash == OAKLEY_MD5 && p1[0].group == 1);
	CHECK(conf_p2_list(&c, conf_profile_get(&c, "cisco"), p2) == 1);
	/* the IOS default mode is tunnel; seed 002 negotiates tunnel mode too */
	CHECK(p2[0].esp_id == ESP_3DES && p2[0].auth == AUTH_HMAC_MD5 &&
	      p2[0].encap == ENCAP_TUNNEL && p2[0].life_sec == 120);
	CHECK(!strcmp(c.ifaces[0].profile, "cisco"));
}

static void test_keys_and_order(void)
{
	static const char text[] =
		"crypto isakmp policy 20\n authentication pre-share\n encr aes 256\n group 14\n"
		"crypto isakmp policy 5\n authentication pre-share\n encr aes\n hash sha256\n"
		" group 19\n lifetime 3600\n"
		"crypto isakmp key wild address 0.0.0.0 0.0.0.0\n"
		"crypto isakmp key net address 172.16.0.0 255.255.0.0\n"
		"crypto isakmp key host address 172.16.1.2\n"
		"crypto isakmp key v6 address ipv6 ::/0\n"
		"crypto isakmp key v6host address ipv6 2001:db8::2/128\n"
		"crypto isakmp keepalive 10 3 periodic\n"
		"crypto ipsec security-association lifetime seconds 1800\n"
		"crypto ipsec transform-set A esp-gcm 256\n"
		"crypto ipsec transform-set B esp-aes 192 esp-sha512-hmac\n mode transport\n"
		"crypto ipsec profile P\n set transform-set A B\n set pfs group14\n"
		" set security-association lifetime kilobytes 100000\n";
	struct p1_attrs p1[64];
	struct p2_attrs p2[CONF_TSETS_MAX];
	uint8_t a[16];

	CHECK(parse("t", text) == 0);
	CHECK(p1_copy(&c, p1, 64) == 2 && c.pol[0].prio == 5 && p1[0].group == 19 &&
	      p1[0].keylen == 128 && p1[0].hash == OAKLEY_SHA2_256 && p1[0].life_sec == 3600 &&
	      p1[1].keylen == 256 && p1[1].hash == OAKLEY_SHA);
	inet_pton(AF_INET, "172.16.1.2", a);
	CHECK(!strcmp(conf_psk(&c, AF_INET, a), "host"));
	inet_pton(AF_INET, "172.16.9.9", a);
	CHECK(!strcmp(conf_psk(&c, AF_INET, a), "net"));
	inet_pton(AF_INET, "10.0.0.1", a);
	CHECK(!strcmp(conf_psk(&c, AF_INET, a), "wild"));
	inet_pton(AF_INET6, "2001:db8::2", a);
	CHECK(!strcmp(conf_psk(&c, AF_INET6, a), "v6host"));
	inet_pton(AF_INET6, "2001:db8::3", a);
	CHECK(!strcmp(conf_psk(&c, AF_INET6, a), "v6"));
	CHECK(c.dpd_interval == 10 && c.dpd_retry == 3 && c.dpd_periodic);
	CHECK(conf_p2_list(&c, conf_profile_get(&c, "P"), p2) == 2);
	CHECK(p2[0].esp_id == ESP_AES_GCM_16 && p2[0].keylen == 256 && !p2[0].auth &&
	      p2[0].group == 14 && p2[0].life_sec == 1800 && p2[0].life_kb == 100000);
	CHECK(p2[1].esp_id == ESP_AES && p2[1].keylen == 192 && p2[1].auth == AUTH_HMAC_SHA2_512 &&
	      p2[1].encap == ENCAP_TRANSPORT);
	conf_free(&c);
	CHECK(!c.keys && !c.nkeys && !c.pol && !c.npol);	/* and freeing again is harmless */
	conf_free(&c);
}

static void bad(const char *text, const char *want)
{
	int r = parse("bad.conf", text);

	CHECK(r == -1 && strstr(err, want));
	if (r != -1 || !strstr(err, want))
		printf("#   got \"%s\", want \"%s\"\n", r ? err : "(accepted)", want);
}

/* The window every carrier gets for a pair (child_limits), under conf c. */
static uint32_t window_of(void)
{
	struct ike ike = { .conf = &c };
	struct child ch = { 0 };
	struct child_limits l;

	child_limits(&ike, &ch, &l);
	return l.replay_window;
}

static void test_replay_window(void)
{
	static const char base[] = "crypto isakmp policy 1\n authentication pre-share\n";
	static const struct { const char *line; uint32_t want; } ok[] = {
		{ "", CONF_REPLAY_WINDOW_DEFAULT },
		{ "crypto ipsec security-association replay window-size 128\n", 128 },
		{ "crypto ipsec security-association replay window-size 1024\n", 1024 },
		{ "crypto ipsec security-association replay window-size\n", 64 },	/* IOS */
		{ "crypto ipsec security-association replay disable\n", 0 },
		{ "crypto ipsec security-association replay disable\n"
		  "crypto ipsec security-association replay window-size 512\n", 512 },
	};
	char text[512];

	/* larger than IOS's default of 64, where Linux reorders an SA's packets */
	CHECK(CONF_REPLAY_WINDOW_DEFAULT == 1024);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", base, ok[i].line);
		CHECK(parse("t", text) == 0 && c.ipsec_replay_window == ok[i].want &&
		      window_of() == ok[i].want);
		if (c.ipsec_replay_window != ok[i].want)
			printf("#   %s: window %u, want %u\n", ok[i].line,
			       c.ipsec_replay_window, ok[i].want);
		conf_free(&c);
	}
}

static void test_errors(void)
{
	bad("crypto isakmp policy 10\n encr blowfish\n", "bad.conf:2: encryption is");
	bad("crypto ipsec security-association replay window-size 100\n",
	    "bad.conf:1: replay window-size is 64, 128, 256, 512 or 1024");
	bad("crypto ipsec security-association replay window-size 2048\n",
	    "bad.conf:1: replay window-size is 64, 128, 256, 512 or 1024");
	bad("crypto ipsec security-association replay window-size 0x40\n",
	    "bad.conf:1: replay window-size is 64, 128, 256, 512 or 1024");
	bad("crypto ipsec security-association replay window-size 64 extra\n",
	    "bad.conf:1: replay is 'window-size [N]' or 'disable'");
	bad("crypto ipsec security-association replay\n",
	    "bad.conf:1: replay is 'window-size [N]' or 'disable'");
	bad("crypto ipsec security-association replay enable\n",
	    "bad.conf:1: replay is 'window-size [N]' or 'disable'");
	bad("crypto isakmp policy 10\n group 3\n", "bad.conf:2: group 3 is not supported");
	bad("crypto isakmp policy 10\n hash sha1\n", "bad.conf:2: hash is md5");
	bad("!\ncrypto isakmp policy 10\n encr aes\n", "bad.conf:2: isakmp policy 10: "
	    "authentication defaults to rsa-sig");
	bad("crypto isakmp policy 10\n authentication rsa-sig\n", "bad.conf:2: authentication "
	    "rsa-sig is not supported");
	bad("crypto isakmp key k address 1.2.3\n", "bad.conf:1: '1.2.3' is not an IPv4 address");
	bad("crypto isakmp key k address 1.2.3.0 255.0.255.0\n", "not a netmask");
	bad("crypto isakmp key k\n", "usage: crypto isakmp key");
	bad("crypto ipsec transform-set T esp-aes 100 esp-sha-hmac\n", "key length is 128, 192 or 256");
	bad("crypto ipsec transform-set T esp-3des\n", "needs an esp-*-hmac");
	bad("crypto ipsec transform-set T esp-gcm esp-sha-hmac\n", "carries its own integrity");
	bad("crypto ipsec transform-set T esp-3des esp-sha-hmac\n mode tunnel2\n",
	    "bad.conf:2: transform-set mode");
	bad("crypto ipsec profile P\n set transform-set X\n", "bad.conf:1: ipsec profile P: no "
	    "transform-set X");
	bad("crypto ipsec profile P\n set pfs group99\n", "bad.conf:2:");
	bad("crypto ipsec security-association lifetime seconds 10\n", "from 120 to 86400");
	bad("crypto frobnicate\n", "unknown crypto command 'frobnicate'");
	bad("crypto call admission limit ike in-negotiation-sa 5\n", "bad.conf:1:");
	bad("crypto call admission limit ike sa\n", "usage: crypto call admission limit ike");
	bad("crypto call admission limit ipsec sa 10\n", "only the IKE limits apply");
	bad("crypto call admission limit ike half-open 10\n", "usage: crypto call admission");
	bad("interface Tunnel0\n tunnel protection ipsec profile NOPE\n", "no ipsec profile NOPE");
}

/* seed 000, hub: pasted from the guide, unindented, with its "!---" notes */
static const char seed000[] =
	"hostname Hub\n"
	"!\n"
	"ip subnet-zero\n"
	"!--- Configuration for IKE policies.\n"
	"crypto isakmp policy 10\n"
	"hash md5\n"
	"authentication pre-share\n"
	"crypto isakmp key cisco123 address 10.1.2.1\n"
	"crypto isakmp key cisco123 address 10.1.3.1\n"
	"crypto isakmp key cisco123 address 10.1.5.1\n"
	"!\n"
	"crypto ipsec transform-set myset esp-des esp-md5-hmac\n"
	"!\n"
	"crypto map mymap 10 ipsec-isakmp\n"
	"set peer 10.1.2.1\n"
	"set transform-set myset\n"
	"match address 110\n"
	"\n"
	"crypto map mymap 20 ipsec-isakmp\n"
	"set peer 10.1.3.1\n"
	"set transform-set myset\n"
	"match address 120\n"
	"\n"
	"!--- It is important to specify crypto map line number 30\n"
	"crypto map mymap 30 ipsec-isakmp\n"
	"set peer 10.1.5.1\n"
	"set transform-set myset\n"
	"match address 130\n"
	"!\n"
	"interface Ethernet0\n"
	"ip address 10.1.1.1 255.255.255.0\n"
	"!\n"
	"interface Ethernet1\n"
	"ip address 10.1.4.1 255.255.255.0\n"
	"no ip route-cache\n"
	"no ip mroute-cache\n"
	"crypto map mymap\n"
	"!\n"
	"ip classless\n"
	"ip route 172.16.1.0 255.255.255.0 Ethernet1\n"
	"ip route 192.168.1.0 255.255.255.0 Ethernet1\n"
	"ip http server\n"
	"!\n"
	"access-list 110 permit ip 10.1.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n"
	"access-list 110 permit ip 192.168.1.0 0.0.0.255 172.16.1.0 0.0.0.255\n"
	"access-list 120 permit ip 10.1.1.0 0.0.0.255 192.168.1.0 0.0.0.255\n"
	"access-list 120 permit ip 172.16.1.0 0.0.0.255 192.168.1.0 0.0.0.255\n"
	"access-list 130 permit ip 10.1.1.0 0.0.0.255 172.16.2.0 0.0.0.255\n"
	"access-list 130 permit ip 192.168.1.0 0.0.0.255 172.16.2.0 0.0.0.255\n"
	"!--- This crypto ACL-permit identifies the matching traffic flows\n"
	"end\n";

/* seed 003: the VTI over IPv6, its destination without the guide's stray space */
static const char seed003[] =
	"crypto isakmp policy 10\n"
	"authentication pre-share\n"
	"crypto isakmp key cisco address ipv6 ::/0\n"
	"crypto ipsec transform-set TRA esp-aes esp-sha-hmac\n"
	"mode transport\n"
	"crypto ipsec profile PRO\n"
	"set transform-set TRA\n"
	"\n"
	"interface Tunnel23\n"
	"ip address 192.168.23.2 255.255.255.0\n"
	"ipv6 address FE80::23:2 link-local\n"
	"tunnel source Ethernet0/0\n"
	"tunnel mode ipsec ipv6\n"
	"tunnel destination 2001:DB8::3\n"
	"tunnel protection ipsec profile PRO\n";

static struct p2_ts ts4(const char *a, int plen, int proto, int port)
{
	struct p2_ts t = { .family = AF_INET, .plen = (uint8_t)plen, .proto = (uint8_t)proto,
			   .port = (uint16_t)port };

	inet_pton(AF_INET, a, t.addr);
	return t;
}

static bool ts_is(const struct p2_ts *t, const char *want)
{
	char buf[80];

	p2_ts_str(t, buf, sizeof(buf));
	if (strcmp(buf, want))
		printf("#   got %s, want %s\n", buf, want);
	return !strcmp(buf, want);
}

/* The crypto map entry for a peer and proxies, as "NAME SEQ", or "none". */
static const char *map_for(const char *peer, struct p2_ts l, struct p2_ts r)
{
	uint8_t a[16] = { 0 };
	int family = strchr(peer, ':') ? AF_INET6 : AF_INET;
	const struct conf_map *m;

	inet_pton(family, peer, a);
	m = conf_map_for(&c, family, a, &l, &r);
	return m ? m->p.name : "none";
}

static void test_seed000(void)
{
	const struct conf_acl *a;
	struct p2_attrs p2[CONF_TSETS_MAX];

	if (parse("seed000", seed000))
		printf("#   %s\n", err);
	CHECK(c.nmaps == 3 && c.nacls == 3);
	for (int i = 0; i < 3; i++)
		CHECK(!strcmp(c.maps[i].name, "mymap") && c.maps[i].seq == 10 * (i + 1) &&
		      c.maps[i].family == AF_INET && c.maps[i].p.ntsets == 1);
	CHECK(c.maps[0].line == 14 && c.maps[2].line == 25);
	CHECK(!strcmp(c.maps[1].acl, "120") && !strcmp(c.maps[1].p.name, "mymap 20"));
	CHECK(c.nifaces == 2 && !c.ifaces[0].map[0] && !strcmp(c.ifaces[1].map, "mymap") &&
	      c.ifaces[1].line == 33 && c.ifaces[1].mode == CONF_TUN_GRE);
	a = conf_acl_get(&c, "120");
	CHECK(a && a->n == 2 && !conf_acl_get(&c, "140"));
	if (a) {
		CHECK(ts_is(&a->l[0].src, "10.1.1.0/255.255.255.0/0/0"));
		CHECK(ts_is(&a->l[1].dst, "192.168.1.0/255.255.255.0/0/0"));
	}
	CHECK(conf_map_get(&c, "mymap", 20) == &c.maps[1]);
	CHECK(!conf_map_get(&c, "mymap", 40) && !conf_map_get(&c, "mymap", 0));
	CHECK(!conf_profile_get(&c, "mymap 20") && !conf_profile_get(&c, "mymap"));
	CHECK(conf_map_get(&c, "mymap", 30) &&
	      conf_p2_list(&c, &conf_map_get(&c, "mymap", 30)->p, p2) == 1);
	CHECK(p2[0].esp_id == ESP_DES && p2[0].auth == AUTH_HMAC_MD5 &&
	      p2[0].encap == ENCAP_TUNNEL && p2[0].life_sec == 3600 &&
	      p2[0].life_kb == 4608000 && p2[0].group == 0);

	/* the hub relays spoke 1 (172.16.1.0) to spoke 2 (192.168.1.0) */
	CHECK(!strcmp(map_for("10.1.3.1", ts4("172.16.1.0", 24, 0, 0),
			      ts4("192.168.1.0", 24, 0, 0)), "mymap 20"));
	CHECK(!strcmp(map_for("10.1.2.1", ts4("192.168.1.0", 24, 0, 0),
			      ts4("172.16.1.0", 24, 0, 0)), "mymap 10"));
	CHECK(!strcmp(map_for("10.1.5.1", ts4("10.1.1.0", 24, 0, 0),
			      ts4("172.16.2.0", 24, 0, 0)), "mymap 30"));
	/* a subset: hosts, one protocol, one port */
	CHECK(!strcmp(map_for("10.1.3.1", ts4("10.1.1.5", 32, 6, 0),
			      ts4("192.168.1.128", 25, 6, 80)), "mymap 20"));
	/* the wrong peer; the proxies the other way round; wider than the list */
	CHECK(!strcmp(map_for("10.1.2.1", ts4("172.16.1.0", 24, 0, 0),
			      ts4("192.168.1.0", 24, 0, 0)), "none"));
	CHECK(!strcmp(map_for("10.1.3.1", ts4("192.168.1.0", 24, 0, 0),
			      ts4("172.16.1.0", 24, 0, 0)), "none"));
	CHECK(!strcmp(map_for("10.1.3.1", ts4("10.1.0.0", 16, 0, 0),
			      ts4("192.168.1.0", 24, 0, 0)), "none"));
	CHECK(!strcmp(map_for("10.1.3.1", ts4("10.1.1.0", 24, 0, 0),
			      ts4("192.168.2.0", 24, 0, 0)), "none"));
	CHECK(!strcmp(map_for("10.1.9.9", ts4("10.1.1.0", 24, 0, 0),
			      ts4("192.168.1.0", 24, 0, 0)), "none"));
	/* IPv6 proxies never fall within an IPv4 access list */
	{
		struct p2_ts l6 = { .family = AF_INET6 }, r6 = { .family = AF_INET6 };

		CHECK(!strcmp(map_for("10.1.3.1", l6, r6), "none"));
	}
}

/* A map that no interface applies is inactive: accepted, never chosen. */
static void test_map_unapplied(void)
{
	char text[sizeof(seed000)];
	char *s;

	memcpy(text, seed000, sizeof(text));
	s = strstr(text, "crypto map mymap\n");
	memcpy(s, "!", 1);	/* commented out */
	CHECK(parse("t", text) == 0);
	CHECK(!strcmp(map_for("10.1.3.1", ts4("172.16.1.0", 24, 0, 0),
			      ts4("192.168.1.0", 24, 0, 0)), "none"));
}

/* Entries in (name, sequence) order, whatever order they are given in. */
static void test_map_order(void)
{
	static const char text[] =
		"crypto ipsec transform-set T esp-aes esp-sha-hmac\n"
		"crypto isakmp policy 1\n authentication pre-share\n"
		"crypto isakmp key k address 10.0.0.0 255.255.255.0\n"
		"crypto map b 5 ipsec-isakmp\n set peer 10.0.0.2\n set transform-set T\n"
		" match address 101\n"
		"crypto map a 20 ipsec-isakmp\n set peer 10.0.0.2\n set transform-set T\n"
		" match address 101\n"
		"crypto map a 10\n set peer 10.0.0.2\n set transform-set T\n"
		" match address 102\n"
		"crypto map a 100 ipsec-isakmp\n set peer 10.0.0.3\n set transform-set T\n"
		" match address 101\n"
		"crypto map a 20 ipsec-isakmp\n set pfs group14\n"
		"access-list 101 permit ip any any\n"
		"access-list 102 permit ip 10.1.0.0 0.0.255.255 any\n"
		"interface eth0\n crypto map a\n"
		"interface eth1\n crypto map b\n";

	if (parse("t", text))
		printf("#   %s\n", err);
	CHECK(c.nmaps == 4 && !strcmp(c.maps[0].p.name, "a 10") &&
	      !strcmp(c.maps[1].p.name, "a 20") && !strcmp(c.maps[2].p.name, "a 100") &&
	      !strcmp(c.maps[3].p.name, "b 5"));
	CHECK(c.maps[1].p.pfs == 14 && c.maps[1].line == 9);	/* re-entered, not new */
	/* the lowest entry that covers the proxies */
	CHECK(!strcmp(map_for("10.0.0.2", ts4("10.1.2.0", 24, 0, 0), ts4("10.9.0.0", 16, 0, 0)),
		      "a 10"));
	CHECK(!strcmp(map_for("10.0.0.2", ts4("10.2.2.0", 24, 0, 0), ts4("10.9.0.0", 16, 0, 0)),
		      "a 20"));
	CHECK(!strcmp(map_for("10.0.0.3", ts4("10.2.2.0", 24, 0, 0), ts4("10.9.0.0", 16, 0, 0)),
		      "a 100"));
}

/* Named lists, host/any/eq, protocols, sequence numbers, an IPv6 peer. */
static void test_acl_forms(void)
{
	static const char text[] =
		"crypto isakmp policy 1\n authentication pre-share\n"
		"crypto isakmp key k address ipv6 2001:db8::1/128\n"
		"crypto ipsec transform-set T esp-gcm 256\n"
		"ip access-list extended VPN-TRAFFIC\n"
		" remark what the tunnel carries, said here at rather more length than any "
		"command has words at all\n"
		" 10 permit tcp host 10.0.0.1 eq www any eq 443\n"
		" permit udp any eq isakmp 10.2.0.0 0.0.255.255 eq non500-isakmp\n"
		"20 permit gre host 192.0.2.1 host 198.51.100.7\n"
		"permit 50 any any\n"
		" 30 permit icmp 10.1.1.77 0.0.0.255 10.3.0.0 0.0.255.255\n"
		" permit tcp any eq 8080 any\n"
		" permit udp any any eq domain\n"
		" exit\n"
		"access-list 2001 remark a remark of many words, more than sixteen of them, "
		"which the parser does not need to read at all\n"
		"access-list 2001 permit ip 10.0.0.0 0.0.0.0 any\n"
		"access-list 10 permit 10.0.0.0 0.255.255.255\n"
		"ip access-list standard MGMT\n permit 10.0.0.0 0.255.255.255\n"
		"crypto map v6 1 ipsec-isakmp\n"
		" description to the IPv6 hub\n"
		" set peer 2001:db8::1\n"
		" set transform-set T\n"
		" set pfs group14\n"
		" set security-association lifetime seconds 600\n"
		" match address VPN-TRAFFIC\n"
		"crypto map v6 local-address Ethernet0\n"
		"interface Ethernet0\n"
		" crypto map v6\n";
	const struct conf_acl *a;
	struct p2_attrs p2[CONF_TSETS_MAX];

	if (parse("t", text))
		printf("#   %s\n", err);
	a = conf_acl_get(&c, "VPN-TRAFFIC");
	CHECK(a && a->n == 7 && c.nacls == 2);
	if (!a || a->n != 7)
		return;
	CHECK(ts_is(&a->l[0].src, "10.0.0.1/255.255.255.255/6/80"));
	CHECK(ts_is(&a->l[0].dst, "0.0.0.0/0.0.0.0/6/443"));
	CHECK(ts_is(&a->l[1].src, "0.0.0.0/0.0.0.0/17/500"));
	CHECK(ts_is(&a->l[1].dst, "10.2.0.0/255.255.0.0/17/4500"));
	CHECK(ts_is(&a->l[2].src, "192.0.2.1/255.255.255.255/47/0"));
	CHECK(ts_is(&a->l[2].dst, "198.51.100.7/255.255.255.255/47/0"));
	CHECK(ts_is(&a->l[3].dst, "0.0.0.0/0.0.0.0/50/0"));
	/* host bits under the wildcard are masked, as IOS does */
	CHECK(ts_is(&a->l[4].src, "10.1.1.0/255.255.255.0/1/0"));
	CHECK(ts_is(&a->l[5].src, "0.0.0.0/0.0.0.0/6/8080"));
	CHECK(ts_is(&a->l[5].dst, "0.0.0.0/0.0.0.0/6/0"));
	CHECK(ts_is(&a->l[6].dst, "0.0.0.0/0.0.0.0/17/53"));
	a = conf_acl_get(&c, "2001");
	CHECK(a && a->n == 1 && ts_is(&a->l[0].src, "10.0.0.0/255.255.255.255/0/0"));
	CHECK(!conf_acl_get(&c, "10") && !conf_acl_get(&c, "MGMT"));	/* standard: not ours */

	CHECK(c.nmaps == 1 && c.maps[0].family == AF_INET6);
	CHECK(conf_map_get(&c, "v6", 1) &&
	      conf_p2_list(&c, &conf_map_get(&c, "v6", 1)->p, p2) == 1 && p2[0].group == 14 &&
	      p2[0].life_sec == 600 && p2[0].esp_id == ESP_AES_GCM_16 && p2[0].keylen == 256);
	CHECK(!strcmp(map_for("2001:db8::1", ts4("10.0.0.1", 32, 6, 80),
			      ts4("10.9.9.9", 32, 6, 443)), "v6 1"));
	CHECK(!strcmp(map_for("2001:db8::1", ts4("10.0.0.1", 32, 6, 81),
			      ts4("10.9.9.9", 32, 6, 443)), "none"));
	CHECK(!strcmp(map_for("2001:db8::1", ts4("10.0.0.1", 32, 17, 80),
			      ts4("10.9.9.9", 32, 17, 443)), "none"));
	CHECK(!strcmp(map_for("2001:db8::1", ts4("10.1.1.0", 24, 1, 0),
			      ts4("10.3.1.1", 32, 1, 0)), "v6 1"));
	/* a proxy of every protocol is not within a gre line */
	CHECK(!strcmp(map_for("2001:db8::1", ts4("192.0.2.1", 32, 0, 0),
			      ts4("198.51.100.7", 32, 0, 0)), "none"));
	CHECK(!strcmp(map_for("2001:db8::1", ts4("192.0.2.1", 32, 47, 0),
			      ts4("198.51.100.7", 32, 47, 0)), "v6 1"));
	CHECK(!strcmp(map_for("10.0.0.1", ts4("192.0.2.1", 32, 47, 0),
			      ts4("198.51.100.7", 32, 47, 0)), "none"));
}

static void test_vti(void)
{
	static const char v4[] =
		"crypto isakmp policy 10\n authentication pre-share\n"
		"crypto isakmp key k address 192.0.2.0 255.255.255.0\n"
		"crypto ipsec transform-set TRA esp-aes esp-sha-hmac\n"
		"crypto ipsec profile PRO\n set transform-set TRA\n"
		"interface Tunnel1\n ip address 10.255.0.1 255.255.255.252\n"
		" tunnel source GigabitEthernet0/0\n tunnel mode ipsec ipv4\n"
		" tunnel destination 192.0.2.2\n tunnel protection ipsec profile PRO\n"
		"interface Tunnel2\n tunnel mode ipsec ipv4\n tunnel destination 192.0.2.3\n"
		" tunnel protection ipsec profile PRO\n"
		"interface Tunnel3\n tunnel mode gre ip\n tunnel destination 192.0.2.4\n"
		" tunnel protection ipsec profile PRO\n";
	const struct conf_iface *f;
	uint8_t a[16];

	if (parse("seed003", seed003))
		printf("#   %s\n", err);
	CHECK(c.nifaces == 1 && c.ifaces[0].mode == CONF_TUN_IPSEC6 &&
	      c.ifaces[0].dst_family == AF_INET6 && c.ifaces[0].line == 9 &&
	      !strcmp(c.ifaces[0].profile, "PRO"));
	inet_pton(AF_INET6, "2001:db8::3", a);
	f = conf_vti_for(&c, AF_INET6, a);
	CHECK(f == &c.ifaces[0]);
	inet_pton(AF_INET6, "2001:db8::2", a);
	CHECK(!conf_vti_for(&c, AF_INET6, a));

	if (parse("v4", v4))
		printf("#   %s\n", err);
	CHECK(c.nifaces == 3 && c.ifaces[1].mode == CONF_TUN_IPSEC4 &&
	      c.ifaces[2].mode == CONF_TUN_GRE);
	inet_pton(AF_INET, "192.0.2.3", a);
	f = conf_vti_for(&c, AF_INET, a);
	CHECK(f && !strcmp(f->name, "Tunnel2"));
	CHECK(!conf_vti_for(&c, AF_INET6, a));
	inet_pton(AF_INET, "192.0.2.4", a);	/* point-to-point GRE: not a VTI */
	CHECK(!conf_vti_for(&c, AF_INET, a));
	inet_pton(AF_INET, "192.0.2.9", a);
	CHECK(!conf_vti_for(&c, AF_INET, a));
}

/* text with a line repeated n times (%d in it is the repeat's number) */
static const char *repeat(char *buf, size_t len, const char *head, const char *fmt, int n,
			  const char *tail)
{
	size_t k = (size_t)snprintf(buf, len, "%s", head);

	for (int i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, fmt, i + 1, i + 1);
	if (k < len)
		snprintf(buf + k, len - k, "%s", tail);
	return buf;
}

#define MAP_OK "crypto ipsec transform-set T esp-aes esp-sha-hmac\n" \
	"access-list 101 permit ip any any\n"

/* An access list's error shows once a crypto map matches it. */
static void bad_acl(const char *acl, const char *name, const char *want)
{
	char text[4096];

	snprintf(text, sizeof(text), "%scrypto ipsec transform-set T esp-aes esp-sha-hmac\n"
		 "crypto map m 10 ipsec-isakmp\n set peer 10.0.0.2\n set transform-set T\n"
		 " match address %s\n", acl, name);
	bad(text, want);
	CHECK(strstr(err, "(in access list ") != NULL);
	/* and no error while no map matches it: a router's filters are not ours */
	CHECK(!parse("ok.conf", acl));
}

static void test_map_errors(void)
{
	char buf[8192];

	/* access lists: their errors count once a crypto map matches them */
	bad_acl("access-list 110 deny ip any any\n", "110", "bad.conf:1: access list 110: "
		"deny lines are not supported: a crypto access list takes only permit lines");
	bad_acl("!\nip access-list extended X\n 10 deny ip any any\n", "X",
		"bad.conf:3: access list X: deny");
	bad_acl("access-list 110 permit ip 10.0.0.0 0.255.0.255 any\n", "110",
		"bad.conf:1: wildcard mask 0.255.0.255 is not contiguous");
	bad_acl("access-list 110 permit frob any any\n", "110",
		"bad.conf:1: protocol 'frob' is not ip, gre");
	bad_acl("access-list 110 permit 256 any any\n", "110",
		"bad.conf:1: '256' is not a number from 0 to 255");
	bad_acl("access-list 110 permit ip any eq 80 any\n", "110",
		"'eq PORT' is for tcp and udp only");
	bad_acl("access-list 110 permit tcp any range 1 9 any\n", "110",
		"'range': only 'eq PORT'");
	bad_acl("access-list 110 permit tcp any any eq gopher\n", "110",
		"port 'gopher' is not a number");
	bad_acl("access-list 110 permit tcp any any eq 0\n", "110", "from 1 to 65535");
	bad_acl("access-list 110 permit tcp any any eq\n", "110", "usage: eq PORT");
	bad_acl("access-list 110 permit ip any any log\n", "110",
		"'log' is not supported in a crypto access list");
	bad_acl("access-list 110 permit ip any\n", "110",
		"bad.conf:1: usage: permit PROTOCOL SOURCE");
	bad_acl("access-list 110 permit ip 10.0.0 0.0.0.255 any\n", "110",
		"'10.0.0' is not an IPv4 address, 'host A.B.C.D' or 'any'");
	bad_acl("access-list 110 permit ip any 10.0.0.0\n", "110",
		"10.0.0.0 needs a wildcard mask");
	bad_acl("access-list 110 permit ip any 10.0.0.0 0.0.0.x\n", "110",
		"'0.0.0.x' is not a wildcard");
	bad_acl("access-list 110 permit ip host any\n", "110", "usage: host A.B.C.D");
	bad_acl("access-list 110 dynamic D permit ip any any\n", "110",
		"'dynamic' is not permit or remark");
	bad_acl("ip access-list extended X\n frob\n", "X",
		"bad.conf:2: access list X: 'frob' is not");
	bad("ip access-list extended\n", "usage: ip access-list extended NAME");
	/* a router's many filter lists are all kept, the map's among them */
	repeat(buf, sizeof(buf), "", "access-list 20%02d permit ip any any\n", 65, "");
	strcat(buf, "crypto ipsec transform-set T esp-aes esp-sha-hmac\ncrypto map m 10 ipsec-isakmp\n"
	       " set peer 10.0.0.2\n set transform-set T\n match address 2065\n");
	CHECK(!parse("ok.conf", buf) && c.nacls == 65 && conf_acl_get(&c, "2065") &&
	      !strcmp(c.acls[64].name, "2065"));

	/* crypto map entries */
	bad("crypto map m 10 ipsec-isakmp dynamic dyn\n", "bad.conf:1: dynamic crypto maps are "
	    "not supported");
	bad("crypto dynamic-map dyn 10\n", "dynamic crypto maps are not supported");
	bad("crypto map m 10 ipsec-manual\n", "ipsec-manual crypto maps (keys set by hand) are "
	    "not supported");
	bad("crypto map m 10 gdoi\n", "crypto map type 'gdoi' is not supported");
	bad("crypto map m 0 ipsec-isakmp\n", "'0' is not a number from 1 to 65535");
	bad("crypto map m client configuration address respond\n", "crypto map m client is "
	    "not supported");
	bad("crypto map m\n", "usage: crypto map NAME SEQ ipsec-isakmp");
	bad("crypto map m 10 ipsec-isakmp extra\n", "usage: crypto map NAME SEQ ipsec-isakmp");
	bad("crypto map abcdefghijabcdefghijabcdefghi 10\n", "crypto map name and sequence "
	    "longer than 30");
	bad(MAP_OK "crypto map m 10\n set transform-set T\n match address 101\n",
	    "bad.conf:3: crypto map m 10 has no 'set peer'");
	bad(MAP_OK "crypto map m 10\n set peer 10.0.0.1\n set transform-set T\n",
	    "bad.conf:3: crypto map m 10 has no 'match address'");
	bad(MAP_OK "crypto map m 10\n set peer 10.0.0.1\n set transform-set T\n"
	    " match address 199\n", "bad.conf:3: crypto map m 10: no extended access list 199");
	bad(MAP_OK "ip access-list extended EMPTY\n remark nothing yet\n"
	    "crypto map m 10\n set peer 10.0.0.1\n set transform-set T\n match address EMPTY\n",
	    "bad.conf:5: crypto map m 10: access list EMPTY has no permit line");
	bad(MAP_OK "crypto map m 10\n set peer 10.0.0.1\n match address 101\n",
	    "bad.conf:3: crypto map m 10 has no 'set transform-set'");
	bad(MAP_OK "crypto map m 10\n set peer 10.0.0.1\n set transform-set T U\n"
	    " match address 101\n", "bad.conf:3: crypto map m 10: no transform-set U");
	/* IOS takes six transform sets in an entry, no more */
	bad(MAP_OK "crypto map m 10\n set transform-set A B C D E F G\n",
	    "bad.conf:4: at most 6 transform sets");
	bad(MAP_OK "crypto map m 10\n set pfs group99\n", "bad.conf:4: pfs is groupN");
	bad(MAP_OK "crypto map m 10\n set security-association lifetime seconds 1\n",
	    "bad.conf:4: '1' is not a number from 120 to 86400");
	bad(MAP_OK "crypto map m 10\n set peer hub.example.com\n", "bad.conf:4: set peer: "
	    "'hub.example.com' is not an IPv4 or IPv6 address");
	bad(MAP_OK "crypto map m 10\n set peer 10.0.0.1\n set peer 10.0.0.2\n",
	    "bad.conf:5: crypto map m 10 has a peer already: backup peers are not supported");
	bad(MAP_OK "crypto map m 10\n match address\n", "usage: match address ACCESS-LIST");
	bad(MAP_OK "crypto map m 10\n reverse-route static\n", "bad.conf:4: unknown crypto map "
	    "command 'reverse-route'");

	/* interfaces */
	bad("interface Tunnel0\n tunnel protection ipsec profile NOPE\n", "bad.conf:1: "
	    "interface Tunnel0: no ipsec profile NOPE");
	bad("!\ninterface Ethernet1\n ip address 10.1.4.1 255.255.255.0\ncrypto map nope\n",
	    "bad.conf:2: interface Ethernet1: no crypto map nope");
	bad("interface Ethernet1\n crypto map a b\n", "bad.conf:2: usage: crypto map NAME");
	bad("interface Tunnel0\n tunnel mode gre ipv6\n", "bad.conf:2: tunnel mode is gre "
	    "multipoint, gre ip, ipsec ipv4 or ipsec ipv6");
	bad("interface Tunnel0\n tunnel mode ipsec\n", "bad.conf:2: tunnel mode is");
	bad("interface Tunnel23\ntunnel mode ipsec ipv6\ntunnel destination 2001: DB8::3\n",
	    "bad.conf:3: tunnel destination '2001: DB8::3' is not an IPv4 or IPv6 address");
	bad("interface Tunnel0\n tunnel destination hub.example.com\n", "bad.conf:2: tunnel "
	    "destination 'hub.example.com' is not");
	bad("interface Tunnel0\n tunnel destination\n", "usage: tunnel destination");
}

#define VTI_OK "crypto ipsec transform-set T esp-aes esp-sha-hmac\n" \
	"crypto ipsec profile P\n set transform-set T\n"

static void test_vti_errors(void)
{
	bad(VTI_OK "interface Tunnel1\n tunnel mode ipsec ipv4\n"
	    " tunnel protection ipsec profile P\n", "bad.conf:4: interface Tunnel1: tunnel mode "
	    "ipsec ipv4 needs a tunnel destination, an IPv4 address");
	bad(VTI_OK "interface Tunnel1\n tunnel mode ipsec ipv6\n tunnel destination 192.0.2.1\n"
	    " tunnel protection ipsec profile P\n", "bad.conf:4: interface Tunnel1: tunnel mode "
	    "ipsec ipv6 needs a tunnel destination, an IPv6 address");
	bad(VTI_OK "interface Tunnel1\n tunnel mode ipsec ipv4\n tunnel destination 2001:db8::1\n"
	    " tunnel protection ipsec profile P\n", "an IPv4 address");
	bad(VTI_OK "!\ninterface Tunnel1\n tunnel mode ipsec ipv4\n tunnel destination 192.0.2.1\n",
	    "bad.conf:5: interface Tunnel1: tunnel mode ipsec ipv4 needs 'tunnel protection ipsec "
	    "profile NAME'");
	bad(VTI_OK "interface Tunnel1\n tunnel mode ipsec ipv4\n tunnel destination 192.0.2.1\n"
	    " tunnel protection ipsec profile P\n"
	    "interface Tunnel2\n tunnel mode ipsec ipv4\n tunnel destination 192.0.2.1\n"
	    " tunnel protection ipsec profile P\n", "bad.conf:8: interface Tunnel2: tunnel "
	    "destination 192.0.2.1 is Tunnel1's already");
}

/* What makes a tunnel's mgre device: seed 002's and 004's interface blocks. */
static void test_tunnel_dev(void)
{
	char text[sizeof(seed002) + 512];
	const struct conf_iface *f;
	uint8_t a[16];

	CHECK(parse("seed002", seed002) == 0);
	f = &c.ifaces[0];
	CHECK(conf_iface_owned(f) && f->multipoint && !f->src_family &&
	      !strcmp(f->src_name, "FastEthernet0/0") && f->has_key && f->key == 0 &&
	      f->mtu == 1440 && f->mss == 0 && !f->shutdown);
	CHECK(!strcmp(conf_ifname(&c, "Tunnel0"), "Tunnel0"));
	CHECK(conf_ifname(&c, "FastEthernet0/0") == NULL);	/* no device can be called that */
	snprintf(text, sizeof(text), "linux interface FastEthernet0/0 eth0\n"
		 "linux interface Tunnel0 dmvpn0\n%s", seed002);
	CHECK(parse("seed002", text) == 0);
	CHECK(!strcmp(conf_ifname(&c, "FastEthernet0/0"), "eth0") &&
	      !strcmp(conf_ifname(&c, "Tunnel0"), "dmvpn0"));

	CHECK(parse("seed004", seed004) == 0);
	f = &c.ifaces[0];
	inet_pton(AF_INET, "172.16.1.1", a);
	CHECK(conf_iface_owned(f) && f->src_family == AF_INET && !memcmp(f->src, a, 4) &&
	      !f->has_key);

	/* seed 004's hub has these too; "no" forms give the defaults back */
	CHECK(parse("t", "interface Tunnel0\n tunnel source eth0\n tunnel mode gre multipoint\n"
		    " ip tcp adjust-mss 1360\n ip mtu 1400\n tunnel key 1\n description DMVPN hub\n"
		    " shutdown\n") == 0);
	f = &c.ifaces[0];
	CHECK(f->mss == 1360 && f->mtu == 1400 && f->has_key && f->key == 1 && f->shutdown &&
	      !strcmp(f->descr, "DMVPN hub"));
	CHECK(parse("t", "interface Tunnel0\n tunnel source eth0\n tunnel mode gre multipoint\n"
		    " ip tcp adjust-mss 1360\n ip mtu 1400\n tunnel key 1\n shutdown\n"
		    " no ip tcp adjust-mss\n no ip mtu\n no tunnel key\n no shutdown\n") == 0);
	f = &c.ifaces[0];
	CHECK(!f->mss && !f->mtu && !f->has_key && !f->shutdown);
	/* a point-to-point GRE spoke (seed 004's): tunnel mode gre ip is IOS's default */
	CHECK(parse("t", "interface Tunnel1\n tunnel source 172.16.2.1\n"
		    " tunnel destination 172.16.1.1\n") == 0);
	f = &c.ifaces[0];
	CHECK(conf_iface_owned(f) && !f->multipoint && f->dst_family == AF_INET);
	/* not a tunnel, or no source: the system's device, looked up by name */
	CHECK(parse("t", "interface dmvpn0\n tunnel source eth0\n tunnel mode gre multipoint\n"
		    "interface Tunnel2\n tunnel mode gre multipoint\n") == 0);
	CHECK(!conf_iface_owned(&c.ifaces[0]) && !conf_iface_owned(&c.ifaces[1]));
	CHECK(parse("t", "interface tunnel23\n tunnel source eth0\n tunnel mode gre multipoint\n")
	      == 0);
	CHECK(conf_iface_owned(&c.ifaces[0]));	/* seed 003 spells it so */
	c.ifaces[0].mode = CONF_TUN_IPSEC6;
	CHECK(!conf_iface_owned(&c.ifaces[0]));	/* a VTI is XFRM's */

	bad("interface Tunnel0\n tunnel source eth0\n", "bad.conf:1: interface Tunnel0: a GRE "
	    "tunnel needs 'tunnel destination A.B.C.D' or 'tunnel mode gre multipoint'");
	bad("interface Tunnel0\n tunnel source eth0\n tunnel mode gre multipoint\n"
	    " tunnel destination 10.0.0.1\n", "tunnel destination on a multipoint tunnel");
	bad("interface Tunnel0\n tunnel source 2001:db8::1\n tunnel mode gre multipoint\n",
	    "the mGRE underlay is IPv4");
	bad("interface Tunnel0\n tunnel key x\n", "bad.conf:2: 'x' is not a number");
	bad("interface Tunnel0\n ip tcp adjust-mss 100\n", "bad.conf:2: '100' is not a number "
	    "from 500 to 1460");
	bad("interface Tunnel0\n ip mtu 17913\n", "bad.conf:2:");
	bad("interface Tunnel0\n tunnel source a b\n", "usage: tunnel source");
	bad("interface Tunnel1234567890123\n tunnel source eth0\n tunnel mode gre multipoint\n",
	    "no Linux device can have that name; map it: 'linux interface Tunnel1234567890123 "
	    "NAME'");
	bad("linux interface Tunnel0 a/b\n", "bad.conf:1: linux interface: 'a/b' cannot be");
	bad("linux interface Tunnel0 t0\nlinux interface Tunnel0 t1\n", "bad.conf:2: linux "
	    "interface: Tunnel0 is mapped already (line 1)");
	bad("linux interface Tunnel0 t0\ninterface Tunnel0\n tunnel source eth0\n"
	    " tunnel mode gre multipoint\ninterface Tunnel1\n tunnel source eth0\n"
	    " tunnel mode gre multipoint\nlinux interface Tunnel1 t0\n",
	    "bad.conf:5: interface Tunnel1: device t0 is interface Tunnel0's already");
}

static void test_file(void)
{
	char path[] = "/tmp/dmvpnd-conf-XXXXXX";
	int fd = mkstemp(path);

	conf_free(&c);

	CHECK(fd >= 0 && write(fd, seed004, sizeof(seed004) - 1) > 0);
	close(fd);
	CHECK(chmod(path, 0600) == 0 && conf_load(path, &c, err, sizeof(err)) == 0);
	conf_free(&c);
	CHECK(chmod(path, 0644) == 0 && conf_load(path, &c, err, sizeof(err)) == -1 &&
	      strstr(err, "readable by others"));
	unlink(path);
	CHECK(conf_load(path, &c, err, sizeof(err)) == -1 && strstr(err, "No such file"));
}

/* The sanitizer's allocator: a hook on every free, while the block is still readable. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

#define SECRET "s3cr3t-"
static bool watching;
static int secrets_freed;

static void on_malloc(const volatile void *ptr, size_t n)
{
}

/* A block freed with a key's text in it: a secret left in the heap. */
static void on_free(const volatile void *ptr)
{
	if (watching && ptr &&
	    memmem((const void *)ptr, __sanitizer_get_allocated_size(ptr), SECRET, strlen(SECRET))) {
		if (!secrets_freed++)
			__sanitizer_print_stack_trace();	/* where: once is enough */
	}
}

static const char *const esp[] = {
	"esp-aes esp-sha-hmac", "esp-aes 256 esp-sha256-hmac", "esp-3des esp-sha-hmac",
	"esp-gcm", "esp-gcm 256", "esp-des esp-md5-hmac",
};

/*
 * 40 isakmp policies (given in falling priority), 102 keys, 6 transform
 * sets in a profile and in each of 30 crypto map entries, 39 VTIs and an
 * Ethernet with the map (40 interfaces), 100-line access lists, one named
 * and one numbered.  The text is the caller's to free.
 */
static char *big_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	for (int i = 0; i < 40; i++)
		fprintf(f, "crypto isakmp policy %d\n encr aes\n hash sha256\n"
			" authentication pre-share\n group 14\n lifetime %d\n", 1000 - 10 * i, 600 + i);
	for (int i = 0; i < 100; i++)
		fprintf(f, "crypto isakmp key " SECRET "%d address 10.%d.%d.0 255.255.255.0\n", i,
			i / 10, i % 10);
	/* the VTIs' and the map entries' peers */
	fprintf(f, "crypto isakmp key " SECRET "vti address 192.0.2.0 255.255.255.0\n"
		"crypto isakmp key " SECRET "map address 198.51.100.0 255.255.255.0\n");
	for (int i = 0; i < 6; i++)
		fprintf(f, "crypto ipsec transform-set T%d %s\n", i + 1, esp[i]);
	fprintf(f, "crypto ipsec profile P6\n set transform-set T1 T2 T3 T4 T5 T6\n");
	for (int i = 0; i < 39; i++)
		fprintf(f, "interface Tunnel%d\n tunnel mode ipsec ipv4\n tunnel destination 192.0.2.%d\n"
			" tunnel protection ipsec profile P6\n", i, i + 1);
	fprintf(f, "interface eth0\n crypto map big\n");
	fprintf(f, "ip access-list extended BIG\n");
	for (int i = 0; i < 100; i++)
		fprintf(f, " %d permit ip 10.1.%d.0 0.0.0.255 10.2.%d.0 0.0.0.255\n", 10 * (i + 1), i, i);
	for (int i = 0; i < 100; i++)
		fprintf(f, "access-list 2001 permit udp host 10.3.0.%d eq %d any\n", i, 1000 + i);
	for (int i = 0; i < 30; i++)
		fprintf(f, "crypto map big %d ipsec-isakmp\n set peer 198.51.100.%d\n"
			" set transform-set T6 T5 T4 T3 T2 T1\n match address %s\n", 10 * (i + 1), i + 1,
			i == 29 ? "2001" : "BIG");
	fclose(f);
	return text;
}

static void test_big(void)
{
	char *text = big_text();
	struct p1_attrs p1[64];
	struct p2_attrs p2[CONF_TSETS_MAX];
	const struct conf_acl *a;
	char name[32], key[32];
	uint8_t addr[16];
	bool all = true;

	CHECK(text != NULL);
	if (!text)
		return;
	if (parse("big.conf", text))
		printf("#   %s\n", err);
	free(text);

	/* the policies, all of them, by priority */
	CHECK(c.npol == 40 && p1_copy(&c, p1, 64) == 40);
	for (int i = 0; i < c.npol; i++)
		all &= c.pol[i].prio == 610 + 10 * i && p1[i].life_sec == (uint32_t)(639 - i) &&
		       p1[i].group == 14 && p1[i].hash == OAKLEY_SHA2_256;
	CHECK(all);

	/* every key, for an address in its prefix */
	CHECK(c.nkeys == 102);
	all = true;
	for (int i = 0; i < 100; i++) {
		const char *psk;

		snprintf(name, sizeof(name), "10.%d.%d.77", i / 10, i % 10);
		snprintf(key, sizeof(key), SECRET "%d", i);
		inet_pton(AF_INET, name, addr);
		psk = conf_psk(&c, AF_INET, addr);
		all &= psk && !strcmp(psk, key);
	}
	CHECK(all);

	/* six transform sets in the profile, in their order */
	CHECK(conf_p2_list(&c, conf_profile_get(&c, "P6"), p2) == 6);
	CHECK(p2[0].esp_id == ESP_AES && p2[1].keylen == 256 && p2[2].esp_id == ESP_3DES &&
	      p2[3].esp_id == ESP_AES_GCM_16 && p2[4].keylen == 256 && p2[5].esp_id == ESP_DES);

	/* the interfaces: each VTI for its destination */
	CHECK(c.nifaces == 40 && !strcmp(c.ifaces[39].name, "eth0"));
	all = true;
	for (int i = 0; i < 39; i++) {
		const struct conf_iface *f;

		snprintf(name, sizeof(name), "192.0.2.%d", i + 1);
		inet_pton(AF_INET, name, addr);
		f = conf_vti_for(&c, AF_INET, addr);
		snprintf(name, sizeof(name), "Tunnel%d", i);
		all &= f && !strcmp(f->name, name) && !strcmp(f->profile, "P6");
	}
	CHECK(all);

	/* the access lists, every line */
	a = conf_acl_get(&c, "BIG");
	CHECK(a && a->n == 100 && ts_is(&a->l[99].src, "10.1.99.0/255.255.255.0/0/0") &&
	      ts_is(&a->l[99].dst, "10.2.99.0/255.255.255.0/0/0"));
	a = conf_acl_get(&c, "2001");
	CHECK(a && a->n == 100 && ts_is(&a->l[99].src, "10.3.0.99/255.255.255.255/17/1099"));

	/* the crypto map entries: each for its peer, over any line of its list */
	CHECK(c.nmaps == 30);
	all = true;
	for (int i = 0; i < 29; i++) {
		char want[32];

		snprintf(name, sizeof(name), "198.51.100.%d", i + 1);
		snprintf(want, sizeof(want), "big %d", 10 * (i + 1));
		snprintf(key, sizeof(key), "10.1.%d.0", (i * 7) % 100);
		snprintf(err, sizeof(err), "10.2.%d.0", (i * 7) % 100);
		all &= !strcmp(map_for(name, ts4(key, 24, 0, 0), ts4(err, 24, 0, 0)), want) &&
		       c.maps[i].p.ntsets == 6;
	}
	CHECK(all);
	CHECK(!strcmp(map_for("198.51.100.30", ts4("10.3.0.42", 32, 17, 1042),
			      ts4("0.0.0.0", 0, 17, 0)), "big 300"));
	CHECK(!strcmp(map_for("198.51.100.30", ts4("10.1.1.0", 24, 0, 0),
			      ts4("10.2.1.0", 24, 0, 0)), "none"));
	CHECK(conf_map_get(&c, "big", 150) &&
	      conf_p2_list(&c, &conf_map_get(&c, "big", 150)->p, p2) == 6 &&
	      p2[0].esp_id == ESP_DES && p2[5].esp_id == ESP_AES);
	conf_free(&c);
}

/* Past the one limit kept, IOS's six transform sets: refused, with file and line. */
static void test_ios_limit(void)
{
	char buf[4096] = "";

	for (int i = 0; i < 7; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 "crypto ipsec transform-set T%d %s\n", i + 1, esp[i % 6]);
	strcat(buf, "!\ncrypto ipsec profile P7\n set transform-set T1 T2 T3 T4 T5 T6 T7\n");
	bad(buf, "bad.conf:10: at most 6 transform sets");
	CHECK(!c.profiles && !c.nprofiles && !c.tsets && !c.ntsets);	/* nothing left */
}

/*
 * Loaded and freed, a big configuration leaves nothing allocated and no
 * key in a freed block: not when the key array grows (100 keys: 4 to 128),
 * not when it is freed, not when a parse fails after them, nor in a move.
 */
static void test_free(void)
{
	char *text = big_text();
	struct conf x, y;

	/* room for the line that fails, made before the watch: realloc frees the text */
	text = text ? realloc(text, strlen(text) + 64) : NULL;
	CHECK(text != NULL);
	if (!text)
		return;
	conf_free(&c);
	CHECK(__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0);
	watching = true;
	CHECK(conf_parse("big.conf", text, &x, err, sizeof(err)) == 0 && x.nkeys == 102);
	CHECK(conf_parse("seed004", seed004, &y, err, sizeof(err)) == 0);
	conf_move(&x, &y);	/* the big one freed */
	CHECK(x.nkeys == 1 && !strcmp(x.keys[0].key, "cisco123") && x.nifaces == 1);
	CHECK(!y.keys && !y.nkeys && !y.pol && !y.ifaces && !y.acls && !y.maps);
	conf_free(&y);		/* empty: harmless */
	conf_free(&x);
	CHECK(__lsan_do_recoverable_leak_check() == 0);

	/* a parse that fails at the end frees what it made */
	strcat(text, "crypto ipsec profile NONE\n");
	CHECK(conf_parse("big.conf", text, &x, err, sizeof(err)) == -1 &&
	      strstr(err, "ipsec profile NONE has no transform set"));
	CHECK(!x.keys && !x.nkeys && !x.pol && !x.acls);
	watching = false;
	CHECK(secrets_freed == 0);
	wipe(text, strlen(text));
	free(text);
	CHECK(__lsan_do_recoverable_leak_check() == 0);
}

int main(void)
{
	test_seeds();
	test_keys_and_order();
	test_replay_window();
	test_errors();
	test_seed000();
	test_map_unapplied();
	test_map_order();
	test_acl_forms();
	test_vti();
	test_map_errors();
	test_vti_errors();
	test_tunnel_dev();
	test_file();
	test_big();
	test_ios_limit();
	test_free();
	conf_free(&c);
	CHECK(__lsan_do_recoverable_leak_check() == 0);	/* every test freed what it parsed */
	return check_summary();
}
