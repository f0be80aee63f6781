// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel devices' requests (kernel/tunlink.c) and MSS clamping
 * (kernel/mss.c) against the running kernel, in a network namespace of
 * its own.  This host cannot load the mgre module, so an mgre device
 * cannot be made here: the refusal is checked, and the rest (get, set,
 * addresses) on a veth device; the VM scenarios make real mgre devices.
 * ip(8) and nft(8) read back what the library did.  Needs root; skipped
 * (nothing failed) without.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "kernel/mss.h"
#include "kernel/tunlink.h"

static bool sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0;
}

/* Whether what cmd prints contains want (or, with want prefixed by '!', does not). */
static bool out_has(const char *cmd, const char *want)
{
	static char out[16384];
	bool neg = want[0] == '!';
	size_t n = 0, r;
	FILE *f = popen(cmd, "r");

	if (!f)
		return false;
	while (n < sizeof(out) - 1 && (r = fread(out + n, 1, sizeof(out) - 1 - n, f)) > 0)
		n += r;
	out[n] = '\0';
	pclose(f);
	if (!strstr(out, want + neg) != neg) {
		printf("#   \"%s\" printed:\n%s#   %s\"%s\"\n", cmd, out, neg ? "" : "not ",
		       want + neg);
		return false;
	}
	return true;
}

static void test_links(struct rtlink *r)
{
	struct tun_mgre m = { .local = htonl(0x0a090001), .has_key = true, .key = 7 };
	struct tun_info ti;
	uint8_t a[16];
	int ifindex;

	CHECK(tunlink_get(r, "nosuchdev0", &ti) == -ENODEV);
	CHECK(sh("ip link add dm0 type veth peer name dm1"));
	CHECK(tunlink_get(r, "dm0", &ti) == 0);
	ifindex = ti.ifindex;
	CHECK(ifindex == (int)if_nametoindex("dm0"));
	CHECK(!ti.is_mgre && !(ti.flags & IFF_UP));

	/* mtu, up, alias in one request; read back */
	CHECK(tunlink_set(r, ifindex, 1400, true, "DMVPN hub") == 0);
	CHECK(tunlink_get(r, "dm0", &ti) == 0 && ti.mtu == 1400 && (ti.flags & IFF_UP));
	CHECK(out_has("ip link show dm0", "alias DMVPN hub"));
	CHECK(tunlink_set(r, ifindex, 0, false, NULL) == 0);
	CHECK(tunlink_get(r, "dm0", &ti) == 0 && ti.mtu == 1400 && !(ti.flags & IFF_UP));
	CHECK(tunlink_set(r, ifindex, 1, true, NULL) < 0);	/* under the minimum: refused */
	CHECK(tunlink_set(r, 99999, 0, true, NULL) == -ENODEV);

	/* addresses: add, add again (replace), delete; IPv6 too */
	inet_pton(AF_INET, "192.168.1.1", a);
	CHECK(tunlink_addr(r, ifindex, AF_INET, a, 24, true) == 0);
	CHECK(tunlink_addr(r, ifindex, AF_INET, a, 24, true) == 0);
	CHECK(out_has("ip -4 addr show dev dm0", "inet 192.168.1.1/24"));
	CHECK(tunlink_addr(r, ifindex, AF_INET, a, 24, false) == 0);
	CHECK(out_has("ip -4 addr show dev dm0", "!192.168.1.1"));
	CHECK(tunlink_addr(r, ifindex, AF_INET, a, 24, false) < 0);
	inet_pton(AF_INET6, "2001:db8:1::1", a);
	CHECK(tunlink_addr(r, ifindex, AF_INET6, a, 64, true) == 0);
	CHECK(out_has("ip -6 addr show dev dm0", "inet6 2001:db8:1::1/64"));

	/* an mgre device: no module here, the kernel says so */
	CHECK(tunlink_mgre_add(r, "Tunnel0", &m, 0) < 0);
	CHECK(r->errmsg[0] != 0);
	printf("# mgre without the module: %s\n", r->errmsg);
	CHECK(tunlink_get(r, "Tunnel0", &ti) == -ENODEV);

	CHECK(tunlink_del(r, ifindex) == 0);
	CHECK(tunlink_get(r, "dm0", &ti) == -ENODEV);
	CHECK(tunlink_del(r, ifindex) == -ENODEV);
}

static void test_mss(void)
{
	struct mss_rule r[2] = { { "Tunnel0", 1360 }, { "Tunnel1", 1200 } };
	char err[256];

	if (system("nft list tables >/dev/null 2>&1")) {
		printf("# test_mss skipped: no nftables in this kernel\n");
		return;
	}
	CHECK(mss_apply(r, 0, err, sizeof(err)) == 0);	/* no table: nothing to remove */
	CHECK(mss_apply(r, 2, err, sizeof(err)) == 0);
	CHECK(out_has("nft list table inet dmvpnd",
		      "oifname \"Tunnel0\" tcp flags syn / syn,rst tcp option maxseg size > 1360 "
		      "tcp option maxseg size set 1360"));
	CHECK(out_has("nft list table inet dmvpnd", "iifname \"Tunnel1\" tcp flags syn / syn,rst "
		      "tcp option maxseg size > 1200 tcp option maxseg size set 1200"));
	CHECK(out_has("nft list table inet dmvpnd", "hook forward priority mangle"));
	/* replaced whole: Tunnel1's rules gone */
	CHECK(mss_apply(r, 1, err, sizeof(err)) == 0);
	CHECK(out_has("nft list table inet dmvpnd", "!Tunnel1"));
	CHECK(out_has("nft list table inet dmvpnd", "Tunnel0"));
	/* another table of the host's is never touched */
	CHECK(sh("nft add table inet other"));
	CHECK(mss_apply(r, 0, err, sizeof(err)) == 0);
	CHECK(out_has("nft list tables", "!dmvpnd"));
	CHECK(out_has("nft list tables", "table inet other"));
}

int main(void)
{
	struct rtlink r;

	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("# test_tunlink skipped: needs root and network namespaces\n");
		return check_summary();
	}
	if (!sh("ip link add dmtest type veth peer name dmtest1 2>/dev/null && ip link del dmtest")) {
		printf("# test_tunlink skipped: no veth devices in this kernel\n");
		return check_summary();
	}
	CHECK(rtlink_open(&r) == 0);
	test_links(&r);
	rtlink_close(&r);
	test_mss();
	return check_summary();
}
