// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration's strictness: every line applied, ignored with a
 * warning ("FILE:LINE: ignored: duplex (and 3 more lines)", a block that
 * is not ours as one), or refused naming the word and the closest known
 * command; files that are not configurations (binary, empty, a directory,
 * too big); configurations that cannot work (no policy, a peer without a
 * key), IOS's key types.  Seed 002's hub, pasted whole, loads.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sanitizer/lsan_interface.h>
#include "check.h"
#include "conf/conf.h"

static struct conf c;
static char err[512];

static int parse(const char *text)
{
	conf_free(&c);
	return conf_parse("t.conf", text, &c, err, sizeof(err));
}

/* The warnings, one a line, for the messages of a failed check. */
static void show_warnings(void)
{
	for (int i = 0; i < c.nwarnings; i++)
		printf("#     %s\n", c.warnings[i]);
}

/* text loads, with exactly these warnings (NULL-terminated), in order */
static void warns(const char *text, const char *const *want)
{
	int n = 0;
	bool same;

	if (parse(text)) {
		CHECK(!"loads");
		printf("#   %s\n", err);
		return;
	}
	while (want[n])
		n++;
	same = c.nwarnings == n;
	for (int i = 0; same && i < n; i++)
		same = !strcmp(c.warnings[i], want[i]);
	CHECK(same);
	if (!same) {
		printf("#   got %d warnings, want %d:\n", c.nwarnings, n);
		show_warnings();
	}
}

#define W(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void bad(const char *text, const char *want)
{
	int r = parse(text);

	CHECK(r == -1 && !strcmp(err, want));
	if (r != -1 || strcmp(err, want))
		printf("#   got \"%s\"\n#   want \"%s\"\n", r ? err : "(accepted)", want);
	CHECK(!c.warnings && !c.nwarnings);	/* a refusal leaves nothing */
}

#define POL "crypto isakmp policy 1\n authentication pre-share\n"
#define KEY "crypto isakmp key k address 0.0.0.0 0.0.0.0\n"
#define PROF "crypto ipsec transform-set T esp-aes esp-sha-hmac\n mode transport\n" \
	"crypto ipsec profile P\n set transform-set T\n"
/* lines 1-7: what a protected tunnel needs */
#define IKE POL KEY PROF

static void test_ignored_lines(void)
{
	/* once per distinct command, at its first line, with the count of the others */
	/* a "show running-config" pasted with its head */
	warns("Building configuration...\n\nCurrent configuration : 1234 bytes\n!\n" IKE,
	      W("t.conf:1: ignored: Building configuration...",
		"t.conf:3: ignored: Current configuration"));
	warns(IKE "hostname hub\nservice timestamps debug\nservice timestamps log\n"
	      "service password-encryption\nip route 0.0.0.0 0.0.0.0 10.0.0.1\n",
	      W("t.conf:8: ignored: hostname", "t.conf:9: ignored: service (and 2 more lines)",
		"t.conf:12: ignored: ip route"));
	/* an interface of ours: its router lines, each command once */
	warns(IKE "interface Tunnel0\n ip address 10.0.0.1 255.255.255.0\n no ip redirects\n"
	      " tunnel source eth0\n tunnel mode gre multipoint\n duplex auto\n"
	      " tunnel protection ipsec profile P\n duplex full\n speed auto\n duplex half\n"
	      " no ip split-horizon eigrp 90\n ip ospf network broadcast\n",
	      W("t.conf:10: ignored: no ip redirects", "t.conf:13: ignored: duplex (and 2 more "
		"lines)", "t.conf:16: ignored: speed", "t.conf:18: ignored: no ip split-horizon",
		"t.conf:19: ignored: ip ospf"));
	/* the NHRP commands dmvpnd does not do */
	warns(IKE "interface Tunnel0\n ip address 10.0.0.1 255.255.255.0\n ip nhrp network-id 1\n"
	      " ip nhrp group SPOKES\n ip nhrp nhs fallback 30\n ip nhrp map group G service-policy"
	      " output Q\n ip nhrp server-only\n ip nhrp redirect timeout 30\n",
	      W("t.conf:11: ignored: ip nhrp group", "t.conf:12: ignored: ip nhrp nhs fallback",
		"t.conf:13: ignored: ip nhrp map group", "t.conf:14: ignored: ip nhrp server-only",
		"t.conf:15: ignored: ip nhrp redirect timeout"));
	CHECK(c.nifaces == 1 && c.ifaces[0].nhrp.redirect);
	/* what dmvpnd cannot configure and does its own way */
	warns(IKE "crypto isakmp nat keepalive 20\ncrypto isakmp invalid-spi-recovery\n"
	      "crypto isakmp identity address\n",
	      W("t.conf:8: ignored: crypto isakmp nat keepalive",
		"t.conf:9: ignored: crypto isakmp invalid-spi-recovery"));
	warns(IKE "interface Tunnel0\n ip address 10.0.0.1 255.255.255.0\n"
	      " ip address 10.9.0.1 255.255.255.0 secondary\n ipv6 address FE80::1 link-local\n"
	      " tunnel source eth0\n tunnel mode gre multipoint\n",
	      W("t.conf:10: ignored: ip address secondary",
		"t.conf:11: ignored: ipv6 address link-local"));
}

static void test_ignored_blocks(void)
{
	/* a block not ours is one warning, its lines indented or not */
	warns(IKE "router eigrp 90\n network 10.0.0.0\n no auto-summary\nrouter ospf 1\n"
	      "network 10.0.0.0 0.0.0.255 area 0\npassive-interface default\nip classless\n",
	      W("t.conf:8: ignored: router eigrp 90 and the 2 lines under it (routing is the "
		"system's)", "t.conf:11: ignored: router ospf 1 and the 2 lines under it (routing is "
		"the system's)", "t.conf:14: ignored: ip classless"));
	/* a physical interface: the system's, its lines with it */
	warns(IKE "interface FastEthernet0/0\n ip address 209.168.202.225 255.255.255.0\n"
	      " duplex auto\n speed auto\n no ip route-cache\ninterface Loopback0\n",
	      W("t.conf:8: ignored: interface FastEthernet0/0 and the 4 lines under it (nothing of "
		"IKE, NHRP or a tunnel in it: the system's interface)",
		"t.conf:13: ignored: interface Loopback0 (nothing of IKE, NHRP or a tunnel in it: "
		"the system's interface)"));
	/* one with a crypto map is ours: its other lines warn one by one */
	/* a serial port (the guide's spoke 2): the system's too */
	warns(IKE "interface Serial0\n ip address 10.9.9.1 255.255.255.252\n encapsulation ppp\n"
	      " clockrate 64000\n", W("t.conf:8: ignored: interface Serial0 and the 3 lines under "
				     "it (nothing of IKE, NHRP or a tunnel in it: the system's "
				     "interface)"));
	warns(POL "crypto isakmp key k address 10.1.4.2\n"
	      "crypto ipsec transform-set T esp-aes esp-sha-hmac\n"
	      "crypto map m 10 ipsec-isakmp\n set peer 10.1.4.2\n set transform-set T\n"
	      " match address 110\naccess-list 110 permit ip 10.1.1.0 0.0.0.255 10.2.0.0 0.0.255.255\n"
	      "interface Ethernet1\n ip address 10.1.4.1 255.255.255.0\n duplex auto\n"
	      " crypto map m\n", W("t.conf:12: ignored: duplex"));
	/* a banner over lines; line blocks; a standard access list */
	warns(IKE "banner motd ^C\nNo entry.\n! not a comment here: banner text\n^C\n"
	      "line con 0\n exec-timeout 0 0\nline vty 0 4\n password cisco\n login\n"
	      "ip access-list standard MGMT\n permit 10.0.0.0 0.255.255.255\n"
	      "access-list 10 permit 10.0.0.0 0.255.255.255\nbanner exec #one line#\n"
	      "banner login \x03\nas a router writes it\n\x03\n",
	      W("t.conf:8: ignored: banner motd ^C and the 3 lines under it (a router's login text)",
		"t.conf:12: ignored: line con 0 and the 1 line under it (a router's terminal lines)",
		"t.conf:14: ignored: line vty 0 4 and the 2 lines under it (a router's terminal "
		"lines)", "t.conf:17: ignored: ip access-list standard MGMT and the 1 line under it "
		"(a standard list: not for crypto maps)", "t.conf:19: ignored: access-list (not an "
		"extended IP list: not for crypto maps)", "t.conf:20: ignored: banner exec #one line# "
		"(a router's login text)", "t.conf:21: ignored: banner login ^ and the 2 lines "
		"under it (a router's login text)"));
	/* a router's self-signed certificate for its web server */
	warns(IKE "crypto pki trustpoint TP-self-signed-1\n enrollment selfsigned\n"
	      " revocation-check none\ncrypto pki certificate chain TP-self-signed-1\n"
	      " certificate self-signed 01\n  3082022B 30820194 A0030201\n  \tquit\n",
	      W("t.conf:8: ignored: crypto pki trustpoint TP-self-signed-1 and the 2 lines under it "
		"(certificates: dmvpnd authenticates with pre-shared keys)",
		"t.conf:11: ignored: crypto pki certificate chain TP-self-signed-1 and the 3 lines "
		"under it (certificates: dmvpnd authenticates with pre-shared keys)"));
	/* an ignored command with lines of its own under it, as IOS indents them */
	warns(IKE "archive\n log config\n  hidekeys\nhostname a\nvoice service voip\n"
	      " allow-connections h323 to sip\nhostname b\nusername u secret s3cr3t\n"
	      " privilege 15\n",
	      W("t.conf:8: ignored: archive and the 2 lines under it (not for a Linux node)",
		"t.conf:11: ignored: hostname (and 1 more line)",
		"t.conf:12: ignored: voice and the 1 line under it (not for a Linux node)",
		"t.conf:15: ignored: username and the 1 line under it (not for a Linux node)"));
	/* "no" of a command not ours is not ours either */
	warns(IKE "no ip classless\nno router rip\ninterface Tunnel0\n tunnel source eth0\n"
	      " tunnel mode gre multipoint\n no duplex\n",
	      W("t.conf:8: ignored: no ip classless", "t.conf:9: ignored: no router",
		"t.conf:13: ignored: no duplex"));
	/* an extended list no crypto map matches: a router's filter */
	warns(IKE "access-list 150 permit tcp any any eq 22\n",
	      W("t.conf:8: ignored: access-list 150 (no crypto map matches it: a router's filter "
		"is the system's)"));
}

/* Seed 002's hub as the router prints it: loads, with a warning for each thing not ours. */
static void test_seed002_whole(void)
{
	FILE *f = fopen("tests/unit/seed002-hub.conf", "r");
	char text[8192];
	size_t n;

	CHECK(f != NULL);
	if (!f)
		return;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	conf_free(&c);
	CHECK(conf_parse("seed002-hub.conf", text, &c, err, sizeof(err)) == 0);
	CHECK(c.nifaces == 3 && !strcmp(c.ifaces[0].profile, "cisco") &&
	      c.ifaces[0].nhrp.enabled && c.ifaces[0].mtu == 1440);
	CHECK(c.nwarnings == 27);
	CHECK(c.nwarnings > 26 &&
	      !strcmp(c.warnings[1], "seed002-hub.conf:3: ignored: service (and 2 more lines)") &&
	      !strcmp(c.warnings[17], "seed002-hub.conf:60: ignored: router eigrp 90 and the 3 "
		      "lines under it (routing is the system's)") &&
	      !strcmp(c.warnings[26], "seed002-hub.conf:82: ignored: line vty 0 4 and the 5 lines "
		      "under it (a router's terminal lines)"));
	if (c.nwarnings != 27)
		show_warnings();
}

static void test_unknown(void)
{
	/* the word not known, and the closest command of the mode */
	bad("cripto isakmp key k address 0.0.0.0 0.0.0.0\n", "t.conf:1: unknown command 'cripto' "
	    "(did you mean 'crypto isakmp key'?)");
	bad("interfce Tunnel0\n", "t.conf:1: unknown command 'interfce' (did you mean "
	    "'interface'?)");
	bad("interface Tunnel0\n tunnel protecton ipsec profile P\n", "t.conf:2: unknown tunnel "
	    "command 'protecton' (did you mean 'tunnel protection'?)");
	/* unindented, after a policy line: the policy's commands are the nearest */
	bad("crypto isakmp policy 1\nhsah md5\n", "t.conf:2: unknown command 'hsah' (did you "
	    "mean 'hash'?)");
	bad("crypto isakmp policy 1\n encrption aes\n", "t.conf:2: unknown isakmp policy command "
	    "'encrption' (did you mean 'encryption'?)");
	bad("hostnmae hub\n", "t.conf:1: unknown command 'hostnmae' (did you mean 'hostname'?)");
	bad("crypto ipsec profil P\n", "t.conf:1: unknown crypto ipsec command 'profil' (did you "
	    "mean 'crypto ipsec profile'?)");
	bad("crypto map m 10 ipsec-isakmp\n set peerr 10.0.0.1\n", "t.conf:2: unknown set "
	    "command 'peerr' (did you mean 'set peer'?)");
	bad("interface Tunnel0\n ip nhrp netwrok-id 1\n", "t.conf:2: unknown ip nhrp command "
	    "'netwrok-id' (did you mean 'ip nhrp network-id'?)");
	bad("interface Tunnel0\n tunnel sourse eth0\n", "t.conf:2: unknown tunnel command "
	    "'sourse' (did you mean 'tunnel source'?)");
	/* nothing near: the word alone */
	bad("frobnicate now\n", "t.conf:1: unknown command 'frobnicate'");
	bad("interface Tunnel0\n frobnicate\n", "t.conf:2: unknown interface command "
	    "'frobnicate'");
	bad("crypto frobnicate\n", "t.conf:1: unknown crypto command 'frobnicate'");
	/* an interface command outside an interface is not a global one */
	bad("duplex auto\n", "t.conf:1: unknown command 'duplex'");
	/* indented, under nothing */
	bad(" frobnicate\n", "t.conf:1: unknown command 'frobnicate'");
	/* incomplete, and "no" of a command of ours */
	bad("crypto isakmp\n", "t.conf:1: incomplete command 'crypto isakmp'");
	bad("interface\n", "t.conf:1: incomplete command 'interface'");
	bad("no crypto isakmp policy 1\n", "t.conf:1: 'no crypto isakmp policy': a configuration "
	    "file says what is: leave the command out instead of negating it");
	bad("interface Fa0/0 frob\n", "t.conf:1: usage: interface NAME [point-to-point|multipoint]");
	bad("crypto isakmp identity hostname\n", "t.conf:1: crypto isakmp identity hostname is "
	    "not supported: the identity is the address ('crypto isakmp identity address')");
	bad("hostname x\n\x1b[31mcrypto\n", "t.conf:2: a control character (0x1b) in the line: "
	    "not a configuration line");
}

/* A file indented as a whole (a mail's quote): IOS reads it all the same. */
static void test_indented_whole(void)
{
	CHECK(parse(" crypto isakmp policy 1\n  authentication pre-share\n"
		    " crypto isakmp key k address 0.0.0.0 0.0.0.0\n"
		    " crypto ipsec transform-set T esp-aes esp-sha-hmac\n  mode transport\n"
		    " crypto ipsec profile P\n  set transform-set T\n"
		    " interface Tunnel0\n  tunnel source eth0\n  tunnel mode gre multipoint\n"
		    "  tunnel protection ipsec profile P\n interface Tunnel1\n  tunnel source eth1\n"
		    "  tunnel mode gre multipoint\n") == 0);
	CHECK(c.npol == 1 && c.nkeys == 1 && c.ntsets == 1 && c.tsets[0].a.encap == ENCAP_TRANSPORT &&
	      c.nifaces == 2 && !strcmp(c.ifaces[0].profile, "P") && !c.ifaces[1].profile[0]);
}

static void test_not_text(void)
{
	char bin[400];

	for (size_t i = 0; i < sizeof(bin) - 1; i++)
		bin[i] = (char)(1 + (i * 37) % 255);	/* no NUL: the string goes on */
	bin[sizeof(bin) - 1] = 0;
	CHECK(parse(bin) == -1 && strstr(err, "t.conf: binary data (") &&
	      strstr(err, "not a configuration"));
	bad("", "t.conf: no configuration in it (empty, or only comments)");
	bad("!\n! only comments\n\n   \n#\n", "t.conf: no configuration in it (empty, or only "
	    "comments)");
	/* UTF-8 is text (the seeds' notes are in Chinese) */
	CHECK(parse("! 中心的設定\n" IKE) == 0);
}

static void test_files(void)
{
	char dir[] = "/tmp/dmvpn-strict-XXXXXX", path[64], want[160];
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	conf_free(&c);
	snprintf(want, sizeof(want), "%s: a directory, not a configuration file", dir);
	CHECK(conf_load(dir, &c, err, sizeof(err)) == -1 && !strcmp(err, want));
	snprintf(path, sizeof(path), "%s/nul.conf", dir);
	f = fopen(path, "w");
	CHECK(f && fwrite(IKE "\0\1\2", 1, sizeof(IKE) + 2, f) == sizeof(IKE) + 2);
	fclose(f);
	chmod(path, 0600);
	snprintf(want, sizeof(want), "%s: binary data (a NUL byte at offset %zu), not a "
		 "configuration", path, sizeof(IKE) - 1);
	CHECK(conf_load(path, &c, err, sizeof(err)) == -1 && !strcmp(err, want));
	unlink(path);
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	f = fopen(path, "w");
	for (int i = 0; f && i < 30000; i++)
		fputs("! a comment line of some forty characters\n", f);
	fclose(f);
	chmod(path, 0600);
	CHECK(conf_load(path, &c, err, sizeof(err)) == -1 &&
	      strstr(err, "big.conf: 1260000 bytes, more than a configuration's 1 MiB"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/empty.conf", dir);
	f = fopen(path, "w");
	fclose(f);
	chmod(path, 0600);
	snprintf(want, sizeof(want), "%s: no configuration in it (empty, or only comments)", path);
	CHECK(conf_load(path, &c, err, sizeof(err)) == -1 && !strcmp(err, want));
	unlink(path);
	rmdir(dir);
}

static void test_cannot_work(void)
{
	/* IKE needed, no policy */
	bad(KEY PROF "interface Tunnel0\n tunnel source eth0\n tunnel mode gre multipoint\n"
	    " tunnel protection ipsec profile P\n", "t.conf:6: interface Tunnel0: tunnel "
	    "protection needs IKE, but there is no 'crypto isakmp policy' (add one with "
	    "'authentication pre-share')");
	bad("crypto isakmp key k address 10.0.0.2\ncrypto ipsec transform-set T esp-aes "
	    "esp-sha-hmac\ncrypto map m 10 ipsec-isakmp\n set peer 10.0.0.2\n set transform-set T\n"
	    " match address 101\naccess-list 101 permit ip any any\ninterface eth0\n crypto map m\n",
	    "t.conf:3: crypto map m 10 needs IKE, but there is no 'crypto isakmp policy' (add one "
	    "with 'authentication pre-share')");
	/* a peer without a key: the map's, the VTI's, the NHS's NBMA, a static map's */
	bad(POL "crypto isakmp key k address 10.0.0.3\ncrypto ipsec transform-set T esp-aes "
	    "esp-sha-hmac\ncrypto map m 10 ipsec-isakmp\n set peer 10.0.0.2\n set transform-set T\n"
	    " match address 101\naccess-list 101 permit ip any any\ninterface eth0\n crypto map m\n",
	    "t.conf:5: crypto map m 10: no pre-shared key for peer 10.0.0.2: add 'crypto isakmp key "
	    "KEY address 10.0.0.2'");
	bad(POL "crypto isakmp key k address 10.0.0.0 255.255.255.0\n" PROF
	    "interface Tunnel1\n tunnel mode ipsec ipv6\n tunnel destination 2001:db8::1\n"
	    " tunnel protection ipsec profile P\n", "t.conf:8: interface Tunnel1: no pre-shared key "
	    "for peer 2001:db8::1: add 'crypto isakmp key KEY address ipv6 2001:db8::1'");
	bad(POL "crypto isakmp key k address 172.16.0.0 255.255.0.0\n" PROF
	    "interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip nhrp network-id 1\n"
	    " ip nhrp nhs 10.1.1.254 nbma 192.0.2.1\n tunnel source eth0\n tunnel mode gre "
	    "multipoint\n tunnel protection ipsec profile P\n", "t.conf:11: interface Tunnel0: no "
	    "pre-shared key for peer 192.0.2.1: add 'crypto isakmp key KEY address 192.0.2.1'");
	bad(POL "crypto isakmp key k address 172.16.10.1\n" PROF
	    "interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip nhrp network-id 1\n"
	    " ip nhrp map 10.1.1.254 172.16.10.1\n ip nhrp map 10.1.1.253 172.16.10.2\n"
	    " ip nhrp nhs 10.1.1.254\n tunnel source eth0\n tunnel destination 172.16.10.1\n"
	    " tunnel protection ipsec profile P\n", "t.conf:12: interface Tunnel0: no pre-shared "
	    "key for peer 172.16.10.2: add 'crypto isakmp key KEY address 172.16.10.2'");
	bad(POL "crypto isakmp key k address 10.1.1.0 255.255.255.0\n" PROF "interface Tunnel0\n"
	    " ip address 10.1.1.1 255.255.255.0\n ip nhrp network-id 1\n"
	    " ip nhrp map multicast 192.0.2.9\n tunnel source eth0\n tunnel mode gre multipoint\n"
	    " tunnel protection ipsec profile P\n", "t.conf:10: interface Tunnel0: no pre-shared "
	    "key for peer 192.0.2.9: add 'crypto isakmp key KEY address 192.0.2.9'");
	bad(POL "crypto isakmp key k address 10.0.0.1\n" PROF "interface Tunnel0\n tunnel source "
	    "eth0\n tunnel destination 172.16.10.1\n tunnel protection ipsec profile P\n",
	    "t.conf:8: interface Tunnel0: no pre-shared key for peer 172.16.10.1: add 'crypto "
	    "isakmp key KEY address 172.16.10.1'");
	/* an unprotected tunnel, an unapplied map: no IKE, no key needed */
	CHECK(parse("interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip nhrp network-id 1\n"
		    " ip nhrp nhs 10.1.1.254 nbma 192.0.2.1\n tunnel source eth0\n tunnel mode gre "
		    "multipoint\n") == 0);
	/* what is used and not defined */
	bad(IKE "interface Tunnel0\n tunnel source eth0\n tunnel mode gre multipoint\n"
	    " tunnel protection ipsec profile Q\n", "t.conf:8: interface Tunnel0: no ipsec "
	    "profile Q");
	bad(IKE "crypto ipsec profile R\n set transform-set T U\n", "t.conf:8: ipsec profile R: "
	    "no transform-set U");
	/* NHS outside the tunnel's subnet */
	bad(IKE "interface Tunnel0\n ip address 10.1.1.1 255.255.255.0\n ip nhrp network-id 1\n"
	    " ip nhrp nhs 10.2.1.254 nbma 192.0.2.1\n", "t.conf:11: interface Tunnel0: nhs "
	    "10.2.1.254 is outside 10.1.1.1/24, the interface's ip address");
	/* two mGRE tunnels, one source and key: a warning, as IOS refuses it */
	warns(IKE "interface Tunnel0\n tunnel source eth0\n tunnel mode gre multipoint\n"
	      " tunnel key 7\n tunnel protection ipsec profile P\ninterface Tunnel1\n"
	      " tunnel source eth0\n tunnel mode gre multipoint\n tunnel key 7\n"
	      " tunnel protection ipsec profile P\ninterface Tunnel2\n tunnel source eth0\n"
	      " tunnel mode gre multipoint\n tunnel key 8\n",
	      W("t.conf:13: interface Tunnel1: the same tunnel source and tunnel key 7 as interface "
		"Tunnel0 (line 8): IOS refuses this, GRE cannot tell the two tunnels' packets "
		"apart"));
}

static void test_key_types(void)
{
	uint8_t a[4] = { 10, 0, 0, 2 };

	CHECK(parse(POL "crypto isakmp key 0 cisco123 address 10.0.0.2\n"
		    "crypto isakmp key 0 wild address 0.0.0.0 0.0.0.0\n") == 0);
	CHECK(c.nkeys == 2 && !strcmp(conf_psk(&c, AF_INET, a), "cisco123"));
	/* a key that is just "0" */
	CHECK(parse(POL "crypto isakmp key 0 address 10.0.0.2\n") == 0 && c.nkeys == 1 &&
	      !strcmp(c.keys[0].key, "0"));
	bad(POL "crypto isakmp key 6 AbCdEf address 10.0.0.2\n", "t.conf:3: crypto isakmp key 6: "
	    "the key is encrypted (type 6) with the router's own secret, which dmvpnd cannot undo: "
	    "give it in clear ('crypto isakmp key 0 KEY address ...')");
	bad(POL "crypto isakmp key 7 0822455D0A16 address 0.0.0.0 0.0.0.0\n", "t.conf:3: crypto "
	    "isakmp key 7: the key is encrypted (type 7) with the router's own secret, which "
	    "dmvpnd cannot undo: give it in clear ('crypto isakmp key 0 KEY address ...')");
}

/* The warnings are the conf's: moved with it, freed with it. */
static void test_warnings_owned(void)
{
	struct conf x, y;

	CHECK(conf_parse("x", "hostname a\n" IKE, &x, err, sizeof(err)) == 0 && x.nwarnings == 1);
	CHECK(conf_parse("y", IKE "hostname b\nversion 15\n", &y, err, sizeof(err)) == 0 &&
	      y.nwarnings == 2);
	conf_move(&x, &y);
	CHECK(x.nwarnings == 2 && !strcmp(x.warnings[1], "y:9: ignored: version") &&
	      !y.warnings && !y.nwarnings);
	conf_free(&x);
	conf_free(&x);
	CHECK(!x.warnings);
}

int main(void)
{
	test_ignored_lines();
	test_ignored_blocks();
	test_seed002_whole();
	test_unknown();
	test_indented_whole();
	test_not_text();
	test_files();
	test_cannot_work();
	test_key_types();
	test_warnings_owned();
	conf_free(&c);
	CHECK(__lsan_do_recoverable_leak_check() == 0);
	return check_summary();
}
