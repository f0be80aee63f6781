// SPDX-License-Identifier: GPL-2.0
/*
 * An interface's addresses and "ip nhrp ..." lines as the seeds show them
 * (seed 004's hub and spoke, seed 002's hub and spoke), every field of
 * struct nhrp_params, the other IOS forms (nhs options, the phase 3
 * flags, "no" forms, IPv6), and each refusal with file, line and reason.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <sanitizer/lsan_interface.h>
#include "check.h"
#include "conf/conf.h"
#include "lib/wipe.h"

#define CRYPTO004 \
	"crypto isakmp policy 1\n" \
	" encr 3des\n" \
	" hash sha\n" \
	" authentication pre-share\n" \
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n" \
	"!\n" \
	"crypto ipsec transform-set DMVPN-TSET esp-3des esp-sha-hmac\n" \
	" mode transport\n" \
	"!\n" \
	"crypto ipsec profile DMVPN-IPSEC\n" \
	" set transform-set DMVPN-TSET\n" \
	"!\n"

/* seed 004, hub ("中心") */
static const char hub004[] =
	CRYPTO004
	"interface Tunnel0\n"
	" ip address 10.1.1.254 255.255.255.0\n"
	" no ip redirects\n"
	" ip mtu 1400\n"
	" ip nhrp authentication NHRPAUTH\n"
	" ip nhrp map multicast dynamic\n"
	" ip nhrp network-id 1\n"
	" ip tcp adjust-mss 1360\n"
	" no ip split-horizon eigrp 1\n"
	" tunnel source Ethernet0/0\n"
	" tunnel mode gre multipoint\n"
	" tunnel key 1\n"
	" tunnel protection ipsec profile DMVPN-IPSEC\n"
	"!\n"
	"interface Ethernet0/0\n"
	" ip address 172.16.10.1 255.255.255.0\n"
	"!\n"
	"interface Loopback0\n"
	" ip address 203.0.113.1 255.255.255.255\n"
	"end\n";

/* seed 004, spoke ("輻條"): point-to-point GRE to the hub */
static const char spoke004[] =
	CRYPTO004
	"interface Tunnel0\n"
	" ip address 10.1.1.1 255.255.255.0\n"
	" ip mtu 1400\n"
	" ip nhrp authentication NHRPAUTH\n"
	" ip nhrp map 10.1.1.254 172.16.10.1\n"
	" ip nhrp network-id 1\n"
	" ip nhrp nhs 10.1.1.254\n"
	" ip tcp adjust-mss 1360\n"
	" tunnel source Ethernet0/0\n"
	" tunnel destination 172.16.10.1\n"
	" tunnel key 1\n"
	" tunnel protection ipsec profile DMVPN-IPSEC\n"
	"!\n"
	"interface Ethernet0/0\n"
	" ip address 172.16.1.1 255.255.255.0\n"
	"end\n";

#define CRYPTO002 \
	"crypto isakmp policy 10\n" \
	"hash md5\n" \
	"authentication pre-share\n" \
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n" \
	"crypto ipsec transform-set strong esp-3des esp-md5-hmac\n" \
	"crypto ipsec profile cisco\n" \
	"set security-association lifetime seconds 120\n" \
	"set transform-set strong\n"

/* seed 002, hub sv9-2: unindented, as the guide prints it */
static const char hub002[] =
	"hostname sv9-2\n"
	CRYPTO002
	"!--- Create a GRE tunnel template which will be applied\n"
	"interface Tunnel0\n"
	"ip address 192.168.1.1 255.255.255.0\n"
	"no ip redirects\n"
	"ip mtu 1440\n"
	"ip nhrp authentication cisco123\n"
	"ip nhrp map multicast dynamic\n"
	"ip nhrp network-id 1\n"
	"no ip split-horizon eigrp 90\n"
	"no ip next-hop-self eigrp 90\n"
	"tunnel source FastEthernet0/0\n"
	"tunnel mode gre multipoint\n"
	"tunnel key 0\n"
	"tunnel protection ipsec profile cisco\n"
	"!\n"
	"interface FastEthernet0/0\n"
	"ip address 209.168.202.225 255.255.255.0\n";

/* seed 002, spoke sv9-3 */
static const char spoke002[] =
	"hostname sv9-3\n"
	CRYPTO002
	"interface Tunnel0\n"
	"ip address 192.168.1.2 255.255.255.0\n"
	"no ip redirects\n"
	"ip mtu 1440\n"
	"ip nhrp authentication cisco123\n"
	"ip nhrp map multicast dynamic\n"
	"ip nhrp map 192.168.1.1 209.168.202.225\n"
	"ip nhrp map multicast 209.168.202.225\n"
	"ip nhrp network-id 1\n"
	"ip nhrp nhs 192.168.1.1\n"
	"tunnel source FastEthernet0/0\n"
	"tunnel mode gre multipoint\n"
	"tunnel key 0\n"
	"tunnel protection ipsec profile cisco\n"
	"!\n"
	"interface FastEthernet0/0\n"
	"ip address 209.168.202.131 255.255.255.0\n";

static struct conf c;
static char err[512];

static int parse(const char *name, const char *text)
{
	int r;

	conf_free(&c);
	r = conf_parse(name, text, &c, err, sizeof(err));
	if (r)
		printf("#   %s: %s\n", name, err);
	return r;
}

static const struct conf_iface *iface(const char *name)
{
	for (int i = 0; i < c.nifaces; i++)
		if (!strcmp(c.ifaces[i].name, name))
			return &c.ifaces[i];
	return NULL;
}

/* a is the address s (IPv4 or IPv6) */
static bool is(const struct nhrp_addr *a, const char *s)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1)
		return a->len == 4 && !memcmp(a->a, b, 4);
	if (inet_pton(AF_INET6, s, b) == 1)
		return a->len == 16 && !memcmp(a->a, b, 16);
	return false;
}

static bool addr_is(int family, const uint8_t *a, const char *s)
{
	uint8_t b[16] = { 0 };

	return inet_pton(family, s, b) == 1 && !memcmp(a, b, family == AF_INET ? 4 : 16);
}

/* The settings no line changed. */
static bool defaults(const struct nhrp_params *np)
{
	return np->holdtime == NHRP_HOLDTIME_DEFAULT && np->max_send == 100 &&
	       np->max_send_every == 10 && !np->redirect && !np->shortcut && !np->no_unique &&
	       np->reg_timeout == 0;
}

static void test_seed004(void)
{
	const struct conf_iface *f;
	const struct nhrp_params *np;

	CHECK(parse("hub004", hub004) == 0);
	f = iface("Tunnel0");
	CHECK(f != NULL);
	if (!f)
		return;
	np = &f->nhrp;
	CHECK(f->addr_family == AF_INET && addr_is(AF_INET, f->addr, "10.1.1.254") &&
	      f->plen == 24 && f->addr6_family == 0);
	CHECK(np->enabled && np->network_id == 1);
	CHECK(np->auth_len == 8 && !memcmp(np->auth, "NHRPAUTH", 9));
	CHECK(np->mcast_dynamic && np->nmcast == 0 && !np->mcast);
	CHECK(np->nmaps == 0 && np->nnhs == 0 && defaults(np));
	CHECK(f->nhrp_line == 17);
	f = iface("Ethernet0/0");
	CHECK(f && f->addr_family == AF_INET && addr_is(AF_INET, f->addr, "172.16.10.1") &&
	      f->plen == 24 && !f->nhrp.enabled && !f->nhrp_line && defaults(&f->nhrp));
	f = iface("Loopback0");
	CHECK(f && f->plen == 32 && addr_is(AF_INET, f->addr, "203.0.113.1"));

	CHECK(parse("spoke004", spoke004) == 0);
	f = iface("Tunnel0");
	CHECK(f != NULL);
	if (!f)
		return;
	np = &f->nhrp;
	CHECK(addr_is(AF_INET, f->addr, "10.1.1.1") && f->plen == 24);
	CHECK(np->enabled && np->network_id == 1 && np->auth_len == 8 &&
	      !strcmp(np->auth, "NHRPAUTH"));
	CHECK(!np->mcast_dynamic && np->nmcast == 0);
	CHECK(np->nmaps == 1 && is(&np->maps[0].proto, "10.1.1.254") &&
	      is(&np->maps[0].nbma, "172.16.10.1") && np->maps[0].line == 17);
	CHECK(np->nnhs == 1 && is(&np->nhs[0].proto, "10.1.1.254") && np->nhs[0].nbma.len == 0 &&
	      np->nhs[0].priority == 0 && np->nhs[0].cluster == 0 && np->nhs[0].line == 19);
	CHECK(defaults(np));
	CHECK(f->dst_family == AF_INET && addr_is(AF_INET, f->dst, "172.16.10.1"));
}

static void test_seed002(void)
{
	const struct conf_iface *f;
	const struct nhrp_params *np;

	CHECK(parse("hub002", hub002) == 0);
	CHECK(c.nifaces == 2);
	f = iface("Tunnel0");
	CHECK(f != NULL);
	if (!f)
		return;
	np = &f->nhrp;
	CHECK(addr_is(AF_INET, f->addr, "192.168.1.1") && f->plen == 24);
	CHECK(np->enabled && np->network_id == 1 && np->auth_len == 8 &&
	      !strcmp(np->auth, "cisco123") && np->mcast_dynamic && np->nmcast == 0 &&
	      np->nmaps == 0 && np->nnhs == 0 && defaults(np));
	CHECK(!strcmp(f->profile, "cisco"));

	CHECK(parse("spoke002", spoke002) == 0);
	f = iface("Tunnel0");
	CHECK(f != NULL);
	if (!f)
		return;
	np = &f->nhrp;
	CHECK(addr_is(AF_INET, f->addr, "192.168.1.2") && f->plen == 24);
	CHECK(np->enabled && np->network_id == 1 && !strcmp(np->auth, "cisco123"));
	CHECK(np->mcast_dynamic && np->nmcast == 1 && is(&np->mcast[0], "209.168.202.225"));
	CHECK(np->nmaps == 1 && is(&np->maps[0].proto, "192.168.1.1") &&
	      is(&np->maps[0].nbma, "209.168.202.225"));
	CHECK(np->nnhs == 1 && is(&np->nhs[0].proto, "192.168.1.1") && !np->nhs[0].nbma.len);
	CHECK(defaults(np));
	f = iface("FastEthernet0/0");
	CHECK(f && addr_is(AF_INET, f->addr, "209.168.202.131"));
}

/* Phase 3, the IOS 15 nhs form, timers, updates, "no" forms. */
static void test_forms(void)
{
	static const char text[] =
		"interface Tunnel1\n"
		" ip address 10.0.0.11 255.255.255.0\n"
		" ip address 10.9.9.1 255.255.255.0 secondary\n"
		" ipv6 address FE80::11 link-local\n"
		" ipv6 address 2001:DB8:0:1::11/64\n"
		" ipv6 address 2001:db8:0:2::11/64\n"
		" ip nhrp network-id 4294967295\n"
		" ip nhrp holdtime 300\n"
		" ip nhrp redirect\n"
		" ip nhrp shortcut\n"
		" ip nhrp registration no-unique\n"
		" ip nhrp registration timeout 60\n"
		" ip nhrp max-send 1000 every 20\n"
		" ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast priority 5 cluster 3\n"
		" ip nhrp nhs 10.0.0.2 nbma 192.0.2.2 cluster 10\n"
		" ip nhrp nhs 10.0.0.3 nbma 192.0.2.3\n"
		" ip nhrp nhs 10.0.0.1 nbma 192.0.2.9 priority 255\n"	/* 10.0.0.1 updated */
		" ip nhrp map 10.0.0.50 192.0.2.50\n"
		" ip nhrp map 10.0.0.50 192.0.2.51\n"			/* replaced */
		" ip nhrp map 10.0.0.60 192.0.2.60\n"
		" ip nhrp map multicast 192.0.2.1\n"			/* the nhs's already */
		" ip nhrp map multicast 192.0.2.77\n"
		" ip nhrp map multicast dynamic\n"
		" no ip nhrp map multicast dynamic\n"
		" no ip nhrp map 10.0.0.60 192.0.2.60\n"
		" no ip nhrp nhs 10.0.0.3\n"
		" ip nhrp group SPOKES\n"
		" ip nhrp interest 101\n"
		" ip nhrp trigger-svc 100 10\n"
		" no ip nhrp record\n"
		" ip nhrp responder Loopback0\n"
		" ip nhrp cache non-authoritative\n"
		" ip nhrp server-only\n"
		" ip nhrp nhs fallback 30\n"
		" ip nhrp map group SPOKES service-policy output QOS\n"
		" ipv6 nhrp map 2001:db8:0:1::1/128 192.0.2.1\n"
		" ipv6 nhrp nhs 2001:db8:0:1::1\n"
		" ipv6 nhrp network-id 9\n"
		" ipv6 nhrp holdtime 900\n"
		" ipv6 nhrp authentication v6\n"
		" ipv6 nhrp map multicast dynamic\n"
		" ipv6 nhrp shortcut\n"
		"interface Tunnel2\n"
		" ip address 10.0.2.1 255.255.255.0\n"
		" ip nhrp network-id 7\n"
		" ip nhrp redirect timeout 30\n"
		" ip nhrp shortcut\n"
		" ip nhrp registration no-unique\n"
		" ip nhrp holdtime 600\n"
		" ip nhrp authentication x\n"
		"interface Tunnel2\n"	/* entered again: the settings kept, more added */
		" no ip nhrp shortcut\n"
		" no ip nhrp registration no-unique\n"
		" no ip nhrp holdtime\n"
		" no ip nhrp authentication\n"
		" no ip address\n"
		"interface Tunnel3\n"
		" ipv6 address 2001:db8:3::1/64 eui-64\n"
		" ipv6 nhrp network-id 3\n"
		" ipv6 nhrp nhs 2001:db8:3::2 nbma 192.0.2.3\n";
	const struct conf_iface *f;
	const struct nhrp_params *np;

	CHECK(parse("forms", text) == 0);
	f = iface("Tunnel1");
	CHECK(f != NULL);
	if (!f)
		return;
	np = &f->nhrp;
	/* the primary address; the first global IPv6 one */
	CHECK(f->addr_family == AF_INET && addr_is(AF_INET, f->addr, "10.0.0.11") && f->plen == 24);
	CHECK(f->addr6_family == AF_INET6 && addr_is(AF_INET6, f->addr6, "2001:db8:0:1::11") &&
	      f->plen6 == 64);
	CHECK(np->enabled && np->network_id == 4294967295u && np->holdtime == 300);
	CHECK(np->redirect && np->shortcut && np->no_unique && np->reg_timeout == 60);
	CHECK(np->max_send == 1000 && np->max_send_every == 20);
	CHECK(np->auth_len == 0 && np->auth[0] == 0);
	CHECK(np->nnhs == 2);
	if (np->nnhs == 2) {
		CHECK(is(&np->nhs[0].proto, "10.0.0.1") && is(&np->nhs[0].nbma, "192.0.2.9") &&
		      np->nhs[0].priority == 255 && np->nhs[0].cluster == 0 &&
		      np->nhs[0].line == 17);
		CHECK(is(&np->nhs[1].proto, "10.0.0.2") && is(&np->nhs[1].nbma, "192.0.2.2") &&
		      np->nhs[1].priority == 0 && np->nhs[1].cluster == 10);
	}
	CHECK(np->nmaps == 1);
	if (np->nmaps == 1)
		CHECK(is(&np->maps[0].proto, "10.0.0.50") && is(&np->maps[0].nbma, "192.0.2.51") &&
		      np->maps[0].line == 19 && np->maps[0].plen == 0);
	CHECK(!np->mcast_dynamic && np->nmcast == 2 && is(&np->mcast[0], "192.0.2.1") &&
	      is(&np->mcast[1], "192.0.2.77"));
	/* the ipv6 nhrp lines: NHRP for the IPv6 overlay, settings of its own */
	np = &f->nhrp6;
	CHECK(f->nhrp6_line > f->nhrp_line && np->enabled && np->network_id == 9 &&
	      np->holdtime == 900 && np->auth_len == 2 && !strcmp(np->auth, "v6") &&
	      np->mcast_dynamic && np->shortcut && !np->redirect && np->nmcast == 0);
	CHECK(np->nnhs == 1 && is(&np->nhs[0].proto, "2001:db8:0:1::1") && np->nhs[0].nbma.len == 0);
	CHECK(np->nmaps == 1 && is(&np->maps[0].proto, "2001:db8:0:1::1") &&
	      is(&np->maps[0].nbma, "192.0.2.1") && np->maps[0].plen == 128);

	f = iface("Tunnel2");
	CHECK(f != NULL);
	if (!f)
		return;
	np = &f->nhrp;
	CHECK(np->enabled && np->network_id == 7 && np->redirect && !np->shortcut &&
	      !np->no_unique && np->holdtime == NHRP_HOLDTIME_DEFAULT && np->auth_len == 0 &&
	      f->addr_family == 0 && f->plen == 0);

	f = iface("Tunnel3");
	CHECK(f && f->addr_family == 0 && f->addr6_family == AF_INET6 && f->plen6 == 64 &&
	      addr_is(AF_INET6, f->addr6, "2001:db8:3::1"));
	CHECK(f && !f->nhrp.enabled && !f->nhrp_line && f->nhrp6.enabled &&
	      f->nhrp6.network_id == 3 && f->nhrp6.nnhs == 1 &&
	      is(&f->nhrp6.nhs[0].proto, "2001:db8:3::2") && is(&f->nhrp6.nhs[0].nbma, "192.0.2.3"));
}

/* Many maps and NHSs: the arrays grow. */
static void test_many(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	const struct conf_iface *f;
	bool all = true;

	CHECK(m != NULL);
	if (!m)
		return;
	fprintf(m, "interface Tunnel0\n ip address 10.0.0.1 255.255.0.0\n ip nhrp network-id 1\n");
	for (int i = 0; i < 300; i++)
		fprintf(m, " ip nhrp map 10.0.%d.%d 192.0.%d.%d\n ip nhrp map multicast 198.51.%d.%d\n",
			i / 200 + 1, i % 200, i / 200, i % 200, i / 200, i % 200);
	for (int i = 0; i < 40; i++)
		fprintf(m, " ip nhrp nhs 10.0.%d.%d priority %d\n", i / 200 + 1, i % 200, i);
	fclose(m);
	CHECK(parse("many", text) == 0);
	free(text);
	f = iface("Tunnel0");
	CHECK(f && f->nhrp.nmaps == 300 && f->nhrp.nmcast == 300 && f->nhrp.nnhs == 40);
	if (!f || f->nhrp.nmaps != 300 || f->nhrp.nnhs != 40)
		return;
	for (int i = 0; i < 300; i++) {
		char p[32], n[32];

		snprintf(p, sizeof(p), "10.0.%d.%d", i / 200 + 1, i % 200);
		snprintf(n, sizeof(n), "192.0.%d.%d", i / 200, i % 200);
		all &= is(&f->nhrp.maps[i].proto, p) && is(&f->nhrp.maps[i].nbma, n);
	}
	for (int i = 0; i < 40; i++)
		all &= f->nhrp.nhs[i].priority == i;
	CHECK(all);
}

static void bad(const char *text, const char *want)
{
	int r;

	conf_free(&c);
	r = conf_parse("bad.conf", text, &c, err, sizeof(err));
	CHECK(r == -1 && strstr(err, want));
	if (r != -1 || !strstr(err, want))
		printf("#   got \"%s\", want \"%s\"\n", r ? err : "(accepted)", want);
	CHECK(r == 0 || (!c.ifaces && !c.nifaces));	/* nothing left after a refusal */
}

#define T0 "interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip nhrp network-id 1\n"

static void test_errors(void)
{
	/* the password */
	bad(T0 " ip nhrp authentication NHRPAUTH9\n",
	    "bad.conf:4: ip nhrp authentication: at most 8 characters");
	bad(T0 " ip nhrp authentication\n", "bad.conf:4: usage: ip nhrp authentication STRING");
	/* addresses */
	bad(T0 " ip nhrp map 10.1.1 172.16.10.1\n", "bad.conf:4: '10.1.1' is not an IPv4 address");
	bad(T0 " ip nhrp map 10.1.1.254 172.16.10\n",
	    "bad.conf:4: NBMA address '172.16.10' is not an IPv4 address");
	bad(T0 " ip nhrp map 2001:db8::1 172.16.10.1\n", "'2001:db8::1' is not an IPv4 address");
	bad(T0 " ip nhrp map 10.1.1.254 2001:db8::1\n",
	    "bad.conf:4: NBMA address '2001:db8::1': IPv6 NBMA (underlay) addresses are not "
	    "supported yet");
	bad(T0 " ipv6 nhrp map 2001:db8::1/64 2001:db8:9::1\n",
	    "IPv6 NBMA (underlay) addresses are not supported yet");
	bad(T0 " ipv6 nhrp map 2001:db8::1/129 172.16.10.1\n",
	    "bad.conf:4: '2001:db8::1/129' is not an IPv6 address (X:X::X/LEN, LEN 1..128)");
	bad(T0 " ipv6 nhrp nhs 2001:db8::1/64\n", "bad.conf:4: '2001:db8::1/64' is not an IPv6 "
	    "address");
	bad(T0 " ipv6 nhrp map 10.1.1.254 172.16.10.1\n", "'10.1.1.254' is not an IPv6 address");
	bad(T0 " ip nhrp map 10.1.1.254\n", "bad.conf:4: usage: ip nhrp map A.B.C.D NBMA");
	bad(T0 " ip nhrp map multicast 300.1.1.1\n", "NBMA address '300.1.1.1' is not an IPv4");
	bad(T0 " ip nhrp nhs 10.1.1.x nbma 172.16.10.1\n", "'10.1.1.x' is not an IPv4 address");
	bad(T0 " ip nhrp nhs 10.1.1.254 nbma hub.example.com\n",
	    "NBMA address 'hub.example.com' is not an IPv4 address");
	bad("interface Tunnel0\n ip address 10.1.1 255.255.255.0\n",
	    "bad.conf:2: ip address '10.1.1' is not an IPv4 address");
	bad("interface Tunnel0\n ip address 10.1.1.1 255.0.255.0\n",
	    "bad.conf:2: ip address 10.1.1.1: '255.0.255.0' is not a netmask");
	bad("interface Tunnel0\n ip address 10.1.1.1\n", "bad.conf:2: usage: ip address");
	bad("interface Tunnel0\n ipv6 address 2001:db8::1\n",
	    "bad.conf:2: ipv6 address '2001:db8::1' is not X:X::X/LEN");
	bad("interface Tunnel0\n ipv6 address 2001:db8::1/129\n", "from 0 to 128");
	/* numbers */
	bad(T0 " ip nhrp network-id 0\n", "bad.conf:4: '0' is not a number from 1 to 4294967295");
	bad(T0 " ip nhrp network-id 4294967296\n", "not a number from 1 to 4294967295");
	bad(T0 " ip nhrp holdtime 65536\n", "'65536' is not a number from 1 to 65535");
	bad(T0 " ip nhrp registration timeout 0\n", "'0' is not a number from 1 to 65535");
	bad(T0 " ip nhrp max-send 10 every 5\n", "'5' is not a number from 10 to 65535");
	bad(T0 " ip nhrp max-send 10\n", "usage: ip nhrp max-send PACKETS every SECONDS");
	bad(T0 " ip nhrp nhs 10.1.1.254 nbma 172.16.10.1 priority 256\n",
	    "'256' is not a number from 0 to 255");
	bad(T0 " ip nhrp nhs 10.1.1.254 nbma 172.16.10.1 cluster 11\n",
	    "'11' is not a number from 0 to 10");
	bad(T0 " ip nhrp nhs 10.1.1.254 nbma\n", "bad.conf:4: ip nhrp nhs: nbma needs a value");
	bad(T0 " ip nhrp nhs 10.1.1.254 nbma 172.16.10.1 weight 3\n",
	    "ip nhrp nhs: unknown option 'weight'");
	bad(T0 " ip nhrp nhs 10.1.1.254 multicast\n", "multicast needs nbma NBMA");
	bad(T0 " ip nhrp nhs 10.1.1.254 10.50.0.0 255.255.0.0\n",
	    "ip nhrp nhs ADDRESS NETWORK MASK (the networks an NHS serves) is not supported");
	bad(T0 " ip nhrp nhs dynamic nbma 172.16.10.1\n",
	    "bad.conf:4: ip nhrp nhs dynamic (the NHS's address learnt from its NBMA) is not "
	    "supported");
	/* words */
	bad(T0 " ip nhrp frobnicate 3\n", "bad.conf:4: unknown ip nhrp command 'frobnicate'");
	bad(T0 " ipv6 nhrp frobnicate\n", "bad.conf:4: unknown ipv6 nhrp command 'frobnicate'");
	bad(T0 " ip nhrp\n", "bad.conf:4: usage: ip nhrp COMMAND");
	bad(T0 " ip nhrp redirect now\n", "usage: ip nhrp redirect");
	bad(T0 " ip nhrp registration\n", "usage: ip nhrp registration no-unique | timeout");
	/* the checks at the end */
	bad("!\ninterface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip nhrp nhs 10.1.1.254\n"
	    " ip nhrp network-id 1\n",
	    "bad.conf:4: interface Tunnel0: nhs 10.1.1.254 has no NBMA address: give 'nbma A.B.C.D' "
	    "or an 'ip nhrp map 10.1.1.254 NBMA'");
	bad(T0 " ip nhrp map 10.1.1.253 172.16.10.1\n ip nhrp nhs 10.1.1.254\n",
	    "bad.conf:5: interface Tunnel0: nhs 10.1.1.254 has no NBMA address");
	bad(T0 " ipv6 address 2001:db8::1/64\n ipv6 nhrp network-id 1\n ipv6 nhrp nhs 2001:db8::2\n",
	    "bad.conf:6: interface Tunnel0: nhs 2001:db8::2 has no NBMA address: give 'nbma "
	    "A.B.C.D' or an 'ipv6 nhrp map 2001:db8::2/LEN NBMA'");
	/* an ip nhrp map is not an ipv6 nhrp one: each family its own */
	bad(T0 " ipv6 address 2001:db8::1/64\n ipv6 nhrp network-id 1\n"
	    " ip nhrp map 10.1.1.254 172.16.10.1\n ipv6 nhrp nhs 10.1.1.254\n",
	    "bad.conf:7: '10.1.1.254' is not an IPv6 address");
	bad(T0 " ipv6 address 2001:db8::1/64\n ipv6 nhrp nhs 2001:db8::2 nbma 172.16.10.1\n",
	    "bad.conf:5: interface Tunnel0: ipv6 nhrp lines but no ipv6 nhrp network-id");
	bad(T0 " ipv6 nhrp network-id 1\n ipv6 nhrp nhs 2001:db8::2 nbma 172.16.10.1\n",
	    "bad.conf:4: interface Tunnel0: ipv6 nhrp but no 'ipv6 address X:X::X/LEN'");
	bad("interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n"
	    " ip nhrp authentication NHRPAUTH\n ip nhrp map 10.1.1.254 172.16.10.1\n"
	    " ip nhrp nhs 10.1.1.254\n",
	    "bad.conf:3: interface Tunnel0: ip nhrp lines but no ip nhrp network-id");
	bad("interface Tunnel0\n ip nhrp network-id 1\n no ip nhrp network-id\n",
	    "bad.conf:2: interface Tunnel0: ip nhrp lines but no ip nhrp network-id");
	bad(T0 " ip nhrp nhs 10.1.2.254 nbma 172.16.10.1\n",
	    "bad.conf:4: interface Tunnel0: nhs 10.1.2.254 is outside 10.1.1.1/24, the "
	    "interface's ip address");
	bad(T0 " ipv6 address 2001:db8:1::1/64\n ipv6 nhrp network-id 2\n"
	    " ipv6 nhrp nhs 2001:db8:2::1 nbma 172.16.10.1\n",
	    "bad.conf:6: interface Tunnel0: nhs 2001:db8:2::1 is outside 2001:db8:1::1/64, the "
	    "interface's ipv6 address");
}

/* The NHRP password is wiped before its block is freed. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

static bool watching;
static int secrets_freed;

static void on_malloc(const volatile void *ptr, size_t n)
{
}

static void on_free(const volatile void *ptr)
{
	if (watching && ptr &&
	    memmem((const void *)ptr, __sanitizer_get_allocated_size(ptr), "NHRPAUTH", 8))
		secrets_freed++;
}

static void test_wipe(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	struct conf x;

	CHECK(m != NULL);
	if (!m)
		return;
	/* 20 interfaces: the array moves as it grows */
	for (int i = 0; i < 20; i++)
		fprintf(m, "interface Tunnel%d\n ip nhrp network-id %d\n"
			" ip nhrp authentication NHRPAUTH\n", i, i + 1);
	fclose(m);
	conf_free(&c);
	CHECK(__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0);
	watching = true;
	CHECK(conf_parse("wipe", text, &x, err, sizeof(err)) == 0 && x.nifaces == 20 &&
	      !strcmp(x.ifaces[19].nhrp.auth, "NHRPAUTH"));
	conf_free(&x);
	watching = false;
	CHECK(secrets_freed == 0);
	wipe(text, len);
	free(text);
}

int main(void)
{
	test_seed004();
	test_seed002();
	test_forms();
	test_many();
	test_errors();
	test_wipe();
	conf_free(&c);
	CHECK(__lsan_do_recoverable_leak_check() == 0);
	return check_summary();
}
