// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpnd's neighbour entries, resolution requests and shortcut routes
 * (kernel/neigh.c), and NHRP's packet socket (kernel/nhrp_sock.c), against
 * the running kernel in a network namespace of its own: a veth pair va/vb
 * (no mgre module here, so the packet socket's NBMA addressing is not
 * covered: only opening, the error paths and what it skips).  ip(8) reads
 * back what the library did.  Needs root; skipped (nothing failed) without.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include "check.h"
#include "kernel/neigh.h"
#include "kernel/nhrp_sock.h"

/* Run a shell command: true if it exited 0. */
static bool sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0;
}

/* Whether what cmd prints contains want. */
static bool out_has(const char *cmd, const char *want)
{
	static char out[16384];
	size_t n = 0, r;
	FILE *f = popen(cmd, "r");

	if (!f)
		return false;
	while (n < sizeof(out) - 1 && (r = fread(out + n, 1, sizeof(out) - 1 - n, f)) > 0)
		n += r;
	out[n] = '\0';
	pclose(f);
	if (!strstr(out, want)) {
		printf("#   \"%s\" printed:\n%s#   not \"%s\"\n", cmd, out, want);
		return false;
	}
	return true;
}

/* Whether what cmd prints lacks bad. */
static bool out_lacks(const char *cmd, const char *bad)
{
	char line[512];
	bool found = false;
	FILE *f = popen(cmd, "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, bad)) {
			printf("#   \"%s\" printed: %s", cmd, line);
			found = true;
		}
	pclose(f);
	return !found;
}

static void set_sysctl(const char *path, const char *v)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(v, f);
		CHECK(fclose(f) == 0);
	}
}

static struct in_addr a4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static struct nhrp_addr ll(uint8_t len, const char *hex)
{
	struct nhrp_addr a = { .len = len };

	unhex(hex, a.a);
	return a;
}

/* What the events callback saw. */
struct seen {
	int calls;
	bool hit;		/* want was among them */
	int ifindex, family;
	uint8_t want[16];
};

static void ev_cb(void *arg, int ifindex, int family, const void *dst)
{
	struct seen *s = arg;

	s->calls++;
	if (family == s->family && ifindex == s->ifindex &&
	    !memcmp(dst, s->want, family == AF_INET ? 4 : 16))
		s->hit = true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Send a UDP datagram to addr and wait up to 3 s for neigh_events to report it. */
static bool resolution_asked(struct neigh *n, int ifindex, int family, const void *addr)
{
	struct seen s = { .ifindex = ifindex, .family = family };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
	struct pollfd p = { .fd = neigh_event_fd(n), .events = POLLIN };
	double end = now() + 3;
	int fd = socket(family, SOCK_DGRAM, 0);
	ssize_t r;

	memcpy(s.want, addr, family == AF_INET ? 4 : 16);
	if (family == AF_INET) {
		memcpy(&sin.sin_addr, addr, 4);
		r = sendto(fd, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin));
	} else {
		memcpy(&sin6.sin6_addr, addr, 16);
		r = sendto(fd, "x", 1, 0, (struct sockaddr *)&sin6, sizeof(sin6));
	}
	CHECK(r == 1);
	while (!s.hit && now() < end) {
		if (poll(&p, 1, 200) > 0)
			neigh_events(n, ev_cb, &s);
	}
	close(fd);
	return s.hit;
}

static void test_neigh(struct neigh *n, int va)
{
	struct in_addr p7 = a4("10.9.0.7"), p8 = a4("10.9.0.8");
	struct in6_addr q7 = a6("2001:db8:9::7");
	struct nhrp_addr m7 = ll(6, "02000a090007"), m8 = ll(6, "02000a090008");
	struct nhrp_addr nb4 = ll(4, "c0000201");
	struct seen s = { 0 };

	/* create, read back; replace */
	CHECK(neigh_set(n, va, AF_INET, &p7, &m7) == 0);
	CHECK(out_has("ip neigh show dev va to 10.9.0.7", "lladdr 02:00:0a:09:00:07 PERMANENT"));
	CHECK(neigh_set(n, va, AF_INET, &p7, &m8) == 0);
	CHECK(out_has("ip neigh show dev va to 10.9.0.7", "lladdr 02:00:0a:09:00:08 PERMANENT"));
	CHECK(out_lacks("ip neigh show dev va", "02:00:0a:09:00:07"));
	CHECK(neigh_set(n, va, AF_INET6, &q7, &m7) == 0);
	CHECK(out_has("ip -6 neigh show dev va",
		      "2001:db8:9::7 lladdr 02:00:0a:09:00:07 PERMANENT"));

	/* what the kernel refuses comes back as its errno (and its message) */
	CHECK(neigh_set(n, va, AF_INET, &p8, &nb4) == -EINVAL);	/* shorter than a MAC */
	CHECK(n->errmsg[0] != '\0');
	CHECK(neigh_set(n, 9999, AF_INET, &p8, &m8) == -ENODEV);
	/* and what is refused here */
	CHECK(neigh_set(n, va, AF_PACKET, &p8, &m8) == -EINVAL);
	CHECK(neigh_set(n, 0, AF_INET, &p8, &m8) == -EINVAL);
	CHECK(neigh_set(n, va, AF_INET, &p8, NULL) == -EINVAL);
	CHECK(neigh_del(n, va, AF_UNSPEC, &p8) == -EINVAL);

	/* delete; again: -ENOENT */
	CHECK(neigh_del(n, va, AF_INET, &p7) == 0);
	CHECK(out_lacks("ip neigh show dev va", "10.9.0.7 "));
	CHECK(neigh_del(n, va, AF_INET, &p7) == -ENOENT);
	CHECK(neigh_del(n, va, AF_INET6, &q7) == 0);
	CHECK(neigh_del(n, va, AF_INET6, &q7) == -ENOENT);

	/* our permanent entries are notified, and not reported as requests */
	neigh_events(n, ev_cb, &s);	/* what came so far */
	s.calls = 0;
	CHECK(neigh_set(n, va, AF_INET, &p7, &m7) == 0);
	neigh_events(n, ev_cb, &s);
	CHECK(s.calls == 0);
	neigh_events(n, ev_cb, &s);	/* nothing pending: returns at once */
	CHECK(s.calls == 0);

	/* flush: the permanent ones of va, v4 and v6; not a stale one, not vb's */
	CHECK(neigh_set(n, va, AF_INET, &p8, &m8) == 0);
	CHECK(neigh_set(n, va, AF_INET6, &q7, &m7) == 0);
	CHECK(sh("ip neigh add 10.9.0.9 lladdr 02:00:0a:09:00:09 nud stale dev va"));
	CHECK(sh("ip neigh add 10.9.0.10 lladdr 02:00:0a:09:00:0a nud permanent dev vb"));
	CHECK(neigh_flush(n, va) == 0);
	CHECK(out_lacks("ip neigh show dev va", "PERMANENT"));
	CHECK(out_lacks("ip -6 neigh show dev va", "PERMANENT"));
	CHECK(out_has("ip neigh show dev va", "10.9.0.9 lladdr 02:00:0a:09:00:09 STALE"));
	CHECK(out_has("ip neigh show dev vb", "10.9.0.10 lladdr 02:00:0a:09:00:0a PERMANENT"));
	CHECK(neigh_flush(n, va) == 0);	/* nothing left: fine */
	CHECK(neigh_flush(n, 0) == -EINVAL);
	CHECK(sh("ip neigh flush dev va && ip neigh del 10.9.0.10 dev vb"));
}

static void test_routes(struct neigh *n, int va)
{
	struct in_addr h = a4("10.20.0.5"), net = a4("10.30.1.77"), gw = a4("10.9.0.2");
	struct in_addr gw3 = a4("10.9.0.3"), other = a4("10.60.0.0"), far = a4("192.0.2.1");
	struct in6_addr h6 = a6("2001:db8:98::1"), net6 = a6("2001:db8:99::");
	struct in6_addr gw6 = a6("2001:db8:9::2");

	/* a /32 on the device, a /24 via a next hop (host bits dropped) */
	CHECK(route_set(n, va, AF_INET, &h, 32, NULL, true) == 0);
	CHECK(out_has("ip route show proto 177", "10.20.0.5 dev va scope link"));
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw, true) == 0);
	CHECK(out_has("ip route show proto 177", "10.30.1.0/24 via 10.9.0.2 dev va"));
	/* never over a route that is there (ours or a static one): -EEXIST */
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw3, true) == -EEXIST);
	CHECK(out_has("ip route show proto 177", "10.30.1.0/24 via 10.9.0.2 dev va"));
	CHECK(sh("ip route add 10.70.0.0/24 dev va"));
	CHECK(route_set(n, va, AF_INET, &(struct in_addr){ a4("10.70.0.0").s_addr }, 24, &gw,
			true) == -EEXIST);
	CHECK(out_lacks("ip route show proto 177", "10.70.0.0"));
	CHECK(sh("ip route del 10.70.0.0/24 dev va"));
	/* a new next hop: delete, add */
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw, false) == 0);
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw3, true) == 0);
	CHECK(out_has("ip route show proto 177", "10.30.1.0/24 via 10.9.0.3 dev va"));
	CHECK(out_lacks("ip route show proto 177", "via 10.9.0.2"));
	CHECK(out_has("ip route show table main 10.20.0.5/32", "proto 177"));

	/* delete; again: -ESRCH */
	CHECK(route_set(n, va, AF_INET, &h, 32, NULL, false) == 0);
	CHECK(out_lacks("ip route show proto 177", "10.20.0.5"));
	CHECK(route_set(n, va, AF_INET, &h, 32, NULL, false) == -ESRCH);
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw3, false) == 0);
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw3, false) == -ESRCH);
	CHECK(out_lacks("ip route show proto 177", "10.30.1.0"));

	/* IPv6 */
	CHECK(route_set(n, va, AF_INET6, &h6, 128, &gw6, true) == 0);
	CHECK(route_set(n, va, AF_INET6, &net6, 64, NULL, true) == 0);
	CHECK(out_has("ip -6 route show proto 177", "2001:db8:98::1 via 2001:db8:9::2 dev va"));
	CHECK(out_has("ip -6 route show proto 177", "2001:db8:99::/64 dev va"));
	CHECK(route_set(n, va, AF_INET6, &h6, 128, &gw6, false) == 0);
	CHECK(route_set(n, va, AF_INET6, &h6, 128, &gw6, false) == -ESRCH);
	CHECK(out_lacks("ip -6 route show proto 177", "2001:db8:98::1"));

	/* the route to an address: the FIB entry it matches (its prefix), its next hop */
	{
		struct in_addr in24 = a4("10.30.1.9"), lan = a4("10.9.0.77");
		struct route_info ri;

		CHECK(route_set(n, va, AF_INET, &net, 24, &gw3, true) == 0);
		CHECK(route_get(n, AF_INET, &in24, &ri) == 0 && ri.plen == 24 && ri.oif == va &&
		      ri.has_gw && !memcmp(ri.gw, &gw3, 4) && ri.protocol == 177);
		CHECK(route_get(n, AF_INET, &lan, &ri) == 0 && ri.plen == 24 && ri.oif == va &&
		      !ri.has_gw);
		CHECK(route_get(n, AF_INET, &far, &ri) == -ENETUNREACH);
		CHECK(route_set(n, va, AF_INET, &net, 24, &gw3, false) == 0);
	}

	/* refused */
	CHECK(route_set(n, va, AF_INET, &h, 33, NULL, true) == -EINVAL);
	CHECK(route_set(n, va, AF_INET6, &h6, 129, NULL, true) == -EINVAL);
	CHECK(route_set(n, 0, AF_INET, &h, 32, NULL, true) == -EINVAL);
	/* a next hop off the link */
	CHECK(route_set(n, va, AF_INET, &other, 16, &far, true) == -ENETUNREACH);

	/* flush: ours on va, v4 and v6; not a static route, not ours on vb */
	CHECK(route_set(n, va, AF_INET, &h, 32, NULL, true) == 0);
	CHECK(route_set(n, va, AF_INET, &net, 24, &gw, true) == 0);
	CHECK(sh("ip route add 10.40.0.0/24 dev va"));
	CHECK(sh("ip route add 10.50.0.0/24 dev vb proto 177"));
	CHECK(route_flush(n, va) == 0);
	CHECK(out_lacks("ip route show proto 177", "dev va"));
	CHECK(out_lacks("ip -6 route show proto 177", "dev va"));
	CHECK(out_has("ip route show", "10.40.0.0/24 dev va"));
	CHECK(out_has("ip route show proto 177", "10.50.0.0/24 dev vb"));
	CHECK(route_flush(n, va) == 0);
	CHECK(route_flush(n, 0) == -EINVAL);
	CHECK(sh("ip route del 10.40.0.0/24 dev va && ip route del 10.50.0.0/24 dev vb"));
}

/* The kernel asks for a resolution: an application probe (app_solicit, no ARP/ND). */
static void test_events(struct neigh *n, int va)
{
	struct in_addr u4 = a4("10.9.0.123");
	struct in6_addr u6 = a6("2001:db8:9::123");

	CHECK(sh("ip link set dev va arp on"));	/* no IFF_NOARP */
	set_sysctl("/proc/sys/net/ipv4/neigh/va/app_solicit", "1");
	set_sysctl("/proc/sys/net/ipv4/neigh/va/ucast_solicit", "0");
	set_sysctl("/proc/sys/net/ipv4/neigh/va/mcast_solicit", "0");
	set_sysctl("/proc/sys/net/ipv6/neigh/va/app_solicit", "1");
	set_sysctl("/proc/sys/net/ipv6/neigh/va/ucast_solicit", "0");
	set_sysctl("/proc/sys/net/ipv6/neigh/va/mcast_solicit", "0");
	CHECK(resolution_asked(n, va, AF_INET, &u4));
	CHECK(resolution_asked(n, va, AF_INET6, &u6));
}

static void test_sock(int va, int vb)
{
	struct nhrp_addr nbma = ll(4, "0a000002"), src;
	struct nhrp_addr v6 = ll(16, "20010db8000000000000000000000001");
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	struct pollfd p;
	uint8_t pkt[100], buf[2048];
	int fa, fb, watch, ifi = -1;

	CHECK(nhrp_sock_open(0) == -EINVAL);
	CHECK(nhrp_sock_open(9999) == -ENODEV);
	fa = nhrp_sock_open(va);
	fb = nhrp_sock_open(vb);
	CHECK(fa >= 0 && fb >= 0);
	if (fa < 0 || fb < 0)
		return;
	CHECK(fcntl(fa, F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(fa, F_GETFD) & FD_CLOEXEC);
	CHECK(nhrp_sock_recv(fa, buf, sizeof(buf), &src, &ifi) == -EAGAIN);
	CHECK(nhrp_sock_recv(-1, buf, sizeof(buf), &src, &ifi) == -EBADF);

	CHECK(nhrp_sock_send(fa, va, &v6, pkt, sizeof(pkt)) == -EINVAL);
	CHECK(nhrp_sock_send(fa, va, NULL, pkt, sizeof(pkt)) == -EINVAL);
	CHECK(nhrp_sock_send(-1, va, &nbma, pkt, sizeof(pkt)) == -EBADF);

	/*
	 * On a veth, the "NBMA address" is the start of a MAC: vb gets an
	 * Ethernet frame from a 6-byte source.  Too long for the buffer:
	 * -EMSGSIZE; else skipped, as no mgre peer sent it.  A plain packet
	 * socket on vb says it came.
	 */
	watch = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_NHRP));
	CHECK(watch >= 0);
	from.sll_family = AF_PACKET;
	from.sll_protocol = htons(ETH_P_NHRP);
	from.sll_ifindex = vb;
	CHECK(bind(watch, (struct sockaddr *)&from, sizeof(from)) == 0);
	memset(pkt, 0x5a, sizeof(pkt));
	for (int i = 0; i < 2; i++) {
		CHECK(nhrp_sock_send(fa, va, &nbma, pkt, sizeof(pkt)) == 0);
		p = (struct pollfd){ .fd = watch, .events = POLLIN };
		CHECK(poll(&p, 1, 2000) == 1);
		fl = sizeof(from);
		CHECK(recvfrom(watch, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) ==
		      sizeof(pkt));
		CHECK(from.sll_halen == 6 && !memcmp(buf, pkt, sizeof(pkt)));
		if (i == 0)
			CHECK(nhrp_sock_recv(fb, buf, 10, &src, &ifi) == -EMSGSIZE);
		else
			CHECK(nhrp_sock_recv(fb, buf, sizeof(buf), &src, &ifi) == -EAGAIN);
	}
	CHECK(nhrp_sock_recv(fb, buf, sizeof(buf), NULL, NULL) == -EAGAIN);
	/* the sender's socket sees nothing of its own packets */
	CHECK(nhrp_sock_recv(fa, buf, sizeof(buf), &src, &ifi) == -EAGAIN);
	close(watch);
	CHECK(close(fa) == 0);
	CHECK(close(fb) == 0);
}

int main(void)
{
	struct neigh n;
	int va, vb;

	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("# test_neigh skipped: needs root and network namespaces\n");
		return check_summary();
	}
	if (!sh("ip link set lo up && ip link add va type veth peer name vb && "
		"ip addr add 10.9.0.1/24 dev va && ip -6 addr add 2001:db8:9::1/64 dev va nodad && "
		"ip link set va up && ip link set vb up")) {
		printf("# test_neigh skipped: no veth devices in this kernel\n");
		return check_summary();
	}
	va = (int)if_nametoindex("va");
	vb = (int)if_nametoindex("vb");
	CHECK(va > 0 && vb > 0);
	CHECK(neigh_open(&n) == 0);
	CHECK(neigh_event_fd(&n) >= 0);
	CHECK(fcntl(neigh_event_fd(&n), F_GETFL) & O_NONBLOCK);
	test_neigh(&n, va);
	test_routes(&n, va);
	test_events(&n, va);
	neigh_close(&n);
	CHECK(n.sk == NULL && n.ev == NULL);
	test_sock(va, vb);
	return check_summary();
}
