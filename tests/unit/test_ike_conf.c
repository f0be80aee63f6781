// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's configuration: IOS crypto commands pasted as the seeds show
 * them (seed 004's hub, seed 002's hub with its 120 s profile), defaults,
 * pre-shared key lookup by longest prefix, and bad lines named with file,
 * line and reason.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "check.h"
#include "conf.h"
#include "crypto.h"

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
	"tunnel source FastEthernet0/0\n"
	"tunnel mode gre multipoint\n"
	"tunnel key 0\n"
	"tunnel protection ipsec profile cisco\n";

static struct conf c;
static char err[512];

static void test_seeds(void)
{
	struct p1_attrs p1[CONF_MAX];
	struct p2_attrs p2[4];
	uint8_t a[16];

	CHECK(conf_parse("seed004", seed004, &c, err, sizeof(err)) == 0);
	CHECK(c.npol == 1 && c.pol[0].prio == 1);
	CHECK(conf_p1_list(&c, p1) == 1 && p1[0].enc == OAKLEY_3DES_CBC &&
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

	if (conf_parse("seed002", seed002, &c, err, sizeof(err)))
		printf("#   %s\n", err);
	CHECK(conf_p1_list(&c, p1) == 1 && p1[0].enc == OAKLEY_DES_CBC &&
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
	struct p1_attrs p1[CONF_MAX];
	struct p2_attrs p2[4];
	uint8_t a[16];

	CHECK(conf_parse("t", text, &c, err, sizeof(err)) == 0);
	CHECK(conf_p1_list(&c, p1) == 2 && c.pol[0].prio == 5 && p1[0].group == 19 &&
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
	CHECK(c.keys[0].key[0] == 0);	/* wiped */
}

static void bad(const char *text, const char *want)
{
	int r = conf_parse("bad.conf", text, &c, err, sizeof(err));

	CHECK(r == -1 && strstr(err, want));
	if (r != -1 || !strstr(err, want))
		printf("#   got \"%s\", want \"%s\"\n", r ? err : "(accepted)", want);
}

static void test_errors(void)
{
	bad("crypto isakmp policy 10\n encr blowfish\n", "bad.conf:2: encryption is");
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
	bad("interface Tunnel0\n tunnel protection ipsec profile NOPE\n", "no ipsec profile NOPE");
}

static void test_file(void)
{
	char path[] = "/tmp/dmvpnd-conf-XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, seed004, sizeof(seed004) - 1) > 0);
	close(fd);
	CHECK(chmod(path, 0600) == 0 && conf_load(path, &c, err, sizeof(err)) == 0);
	CHECK(chmod(path, 0644) == 0 && conf_load(path, &c, err, sizeof(err)) == -1 &&
	      strstr(err, "readable by others"));
	unlink(path);
	CHECK(conf_load(path, &c, err, sizeof(err)) == -1 && strstr(err, "No such file"));
}

int main(void)
{
	test_seeds();
	test_keys_and_order();
	test_errors();
	test_file();
	return check_summary();
}
