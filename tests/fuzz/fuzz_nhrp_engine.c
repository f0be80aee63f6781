// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the NHRP engine (daemon/nhrp): a hub (NHS, phase 3
 * redirects) and two spokes (NHC, shortcuts) on an in-memory wire, made
 * afresh for each input and brought to the state of a running cloud (both
 * spokes registered, one resolution done through the hub), then driven by
 * the input: packets to the hub or to a spoke from a peer's NBMA address
 * or a stranger's (each with its checksum made right, so that it reaches
 * the engine past the codec), the clock moved on, neighbour misses,
 * traffic indications, IPsec up and down, and what the engines send in
 * answer delivered.  No crypto: NHRP has none, so every input reaches the
 * state machines of both roles.
 *
 * Input: a list of commands, each one byte of opcode and its arguments:
 *   0 LEN16 PKT   a packet to the hub from spoke 1     1 ... to spoke 1 from the hub
 *   2 LEN16 PKT   to the hub from a stranger            3 ... to spoke 2 from spoke 1
 *   4 S           the clock moves S seconds, timers run
 *   5 A           a miss on spoke 1 for 10.1.1.A       6 A  traffic from 10.8.1.1 to
 *                 (A&0x80: 10.9.1.A, behind spoke 2)        10.1.1.A through the hub
 *   7 B           spoke B&1's SAs to the hub go down (B&2: and up again)
 *   8             what is queued is delivered
 * Seeds (tests/fuzz/seeds/nhrp_engine): the packets of the setup, one
 * command each; FUZZ_NHRP_ENGINE_SEEDS=DIR writes them again.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "nhrp/nhrp.h"

#define NODES 3		/* 0 the hub, 1 and 2 spokes */
#define QMAX 128

struct pkt {
	int from;
	struct nhrp_addr to;
	size_t len;
	uint8_t b[NHRP_PKT_MAX];
};

struct node {
	struct nhrp n;
	struct nhrp_params p;
	struct nhrp_nhs_conf nhs;
	struct nhrp_map_conf map;
	struct nhrp_addr nbma, proto;
	bool sa_ready;
	uint32_t reqid;
};

static struct node nodes[NODES];
static struct pkt q[QMAX];
static int nq;
static int64_t now;
static const char *seed_dir;
static int seed_n;

static struct nhrp_addr A(const char *s)
{
	struct nhrp_addr a = { 0 };
	uint8_t b[4];

	inet_pton(AF_INET, s, b);
	nhrp_addr_set(&a, b, 4);
	return a;
}

/* the setup's packets as seeds: "to whom" opcode, length, bytes */
static void seed_write(int op, const uint8_t *p, size_t len)
{
	char path[512];
	uint8_t hdr[3] = { (uint8_t)op, (uint8_t)len, (uint8_t)(len >> 8) };
	FILE *f;

	snprintf(path, sizeof(path), "%s/setup-%02d", seed_dir, seed_n++);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(hdr, 1, 3, f);
	fwrite(p, 1, len, f);
	fclose(f);
}

static int h_send(void *ctx, int ifindex, const struct nhrp_addr *nbma, const uint8_t *p,
		  size_t len)
{
	struct node *me = ctx;

	if (nq == QMAX || len > NHRP_PKT_MAX)
		return -1;
	q[nq].from = (int)(me - nodes);
	q[nq].to = *nbma;
	q[nq].len = len;
	memcpy(q[nq].b, p, len);
	nq++;
	return 0;
}

static void h_neigh(void *ctx, int ifindex, const struct nhrp_addr *proto,
		    const struct nhrp_addr *nbma)
{
}

static void h_mcast(void *ctx, int ifindex, const struct nhrp_addr *nbma, bool add)
{
}

static void h_route(void *ctx, int ifindex, const struct nhrp_addr *prefix, uint8_t plen,
		    const struct nhrp_addr *via, bool add)
{
}

static bool h_sa_ready(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	return ((struct node *)ctx)->sa_ready;
}

static int64_t h_last_used(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
	return now - 1000;
}

static void h_peer_gone(void *ctx, int ifindex, const struct nhrp_addr *nbma)
{
}

static uint32_t h_reqid(void *ctx, uint32_t count)
{
	struct node *x = ctx;
	uint32_t first = x->reqid;

	x->reqid += count;
	return first;
}

/*
 * 10.8.0.0/16 is spoke 1's LAN, 10.9.0.0/16 spoke 2's: its spoke routes it
 * out of another device, the hub through that spoke, the other spoke
 * through the hub; the rest of 10.0.0.0/8 is the tunnel's own subnet
 */
static int h_route_get(void *ctx, int ifindex, const struct nhrp_addr *dst,
		       struct nhrp_addr *via, uint8_t *plen)
{
	int me = (int)((struct node *)ctx - nodes), owner;

	*plen = 24;
	if (dst->len != 4 || dst->a[0] != 10 || (dst->a[1] != 8 && dst->a[1] != 9))
		return 0;
	owner = dst->a[1] == 8 ? 1 : 2;
	*plen = 16;
	if (me == owner)
		return 0;
	*via = A(me ? "10.1.1.254" : owner == 1 ? "10.1.1.1" : "10.1.1.2");
	return 1;
}

static const struct nhrp_hooks hooks = {
	h_send, h_neigh, h_mcast, h_route, h_sa_ready, h_last_used, h_peer_gone, h_reqid,
	h_route_get,
};

static void node_up(int i, const char *proto, const char *nbma, bool spoke)
{
	struct node *x = &nodes[i];
	struct nhrp_if_conf c = { 0 };

	memset(x, 0, sizeof(*x));
	x->reqid = 65540;
	x->sa_ready = true;
	nhrp_init(&x->n, &hooks, x);
	x->n.now = now;
	x->proto = A(proto);
	x->nbma = A(nbma);
	x->p.enabled = true;
	x->p.network_id = 1;
	x->p.holdtime = NHRP_HOLDTIME_DEFAULT;
	x->p.max_send = NHRP_MAX_SEND_DEFAULT;
	x->p.max_send_every = NHRP_MAX_SEND_EVERY;
	x->p.auth_len = 8;
	memcpy(x->p.auth, "NHRPAUTH", 8);
	if (spoke) {
		x->map.proto = A("10.1.1.254");
		x->map.nbma = A("172.16.10.1");
		x->p.maps = &x->map;
		x->p.nmaps = 1;
		x->nhs.proto = A("10.1.1.254");
		x->p.nhs = &x->nhs;
		x->p.nnhs = 1;
		x->p.shortcut = true;
	} else {
		x->p.mcast_dynamic = true;
		x->p.redirect = true;
	}
	c.ifindex = 7;
	snprintf(c.name, sizeof(c.name), "Tunnel0");
	c.nbma = x->nbma;
	c.proto = x->proto;
	c.plen = 24;
	c.mtu = 1400;
	c.protected = true;
	c.p = &x->p;
	nhrp_if_set(&x->n, &c);
}

/* Deliver what is queued (and what that causes), a bounded number. */
static void deliver(int max)
{
	while (nq && max-- > 0) {
		struct pkt p = q[0];

		memmove(q, q + 1, sizeof(q[0]) * (size_t)--nq);
		for (int i = 0; i < NODES; i++)
			if (nhrp_addr_eq(&nodes[i].nbma, &p.to)) {
				if (seed_dir)
					seed_write(i == 0 ? 0 : i == 1 ? 1 : 3, p.b, p.len);
				nodes[i].n.now = now;
				nhrp_input(&nodes[i].n, 7, &nodes[p.from].nbma, p.b, p.len);
			}
	}
}

static void tick(int64_t ms)
{
	now += ms;
	for (int i = 0; i < NODES; i++) {
		nodes[i].n.now = now;
		nhrp_tick(&nodes[i].n);
	}
}

/* A running cloud: both spokes registered, spoke 1 resolved spoke 2's address. */
static void setup(void)
{
	struct nhrp_addr spoke2 = A("10.1.1.2");

	now = 1000000;
	nq = 0;
	node_up(0, "10.1.1.254", "172.16.10.1", false);
	node_up(1, "10.1.1.1", "172.16.1.1", true);
	node_up(2, "10.1.1.2", "172.16.2.1", true);
	tick(1000);
	deliver(64);
	nodes[1].n.now = now;
	nhrp_miss(&nodes[1].n, 7, &spoke2);
	deliver(64);
	tick(1000);
	deliver(64);
}

static void teardown(void)
{
	for (int i = 0; i < NODES; i++)
		nhrp_fini(&nodes[i].n);
	nq = 0;
}

/* The checksum made right over what pktsz says (or the packet). */
static void fix_sum(uint8_t *p, size_t n)
{
	size_t pktsz;
	uint16_t sum;

	if (n < NHRP_HDR_LEN)
		return;
	pktsz = (size_t)(p[10] << 8 | p[11]);
	if (pktsz > n)
		pktsz = n;
	p[12] = p[13] = 0;
	sum = nhrp_checksum(p, pktsz);
	p[12] = (uint8_t)(sum >> 8);
	p[13] = (uint8_t)sum;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_max_prio = LOG_CRIT;
	seed_dir = getenv("FUZZ_NHRP_ENGINE_SEEDS");
	if (seed_dir) {
		setup();
		teardown();
		seed_dir = NULL;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[65536];
	static const int to[] = { 0, 1, 0, 2 };
	static const char *const from[] = { "172.16.1.1", "172.16.10.1", "198.51.100.7",
					    "172.16.1.1" };
	size_t i = 0;

	setup();
	while (i < size) {
		uint8_t op = data[i++] % 9;

		if (op <= 3) {
			size_t len;
			struct nhrp_addr src = A(from[op]);
			struct node *x = &nodes[to[op]];

			if (i + 2 > size)
				break;
			len = (size_t)(data[i] | data[i + 1] << 8);
			i += 2;
			if (len > size - i)
				len = size - i;
			memcpy(pkt, data + i, len);
			i += len;
			fix_sum(pkt, len);
			x->n.now = now;
			nhrp_input(&x->n, 7, &src, pkt, len);
			deliver(32);
		} else if (op == 4) {
			if (i >= size)
				break;
			tick((int64_t)data[i++] * 1000);
			deliver(32);
		} else if (op == 5 || op == 6) {
			char a[32];
			struct nhrp_addr d, s;

			if (i >= size)
				break;
			snprintf(a, sizeof(a), "10.%d.1.%u", data[i] & 0x80 ? 9 : 1, data[i] & 0x7f);
			i++;
			d = A(a);
			if (op == 5) {
				nodes[1].n.now = now;
				nhrp_miss(&nodes[1].n, 7, &d);
			} else {
				s = A("10.8.1.1");	/* from spoke 1's LAN */
				nodes[0].n.now = now;
				nhrp_traffic(&nodes[0].n, 7, &s, &d);
			}
			deliver(32);
		} else if (op == 7) {
			struct node *x;

			if (i >= size)
				break;
			x = &nodes[1 + (data[i] & 1)];
			x->n.now = now;
			x->sa_ready = false;
			nhrp_sa_down(&x->n, 7, &nodes[0].nbma);
			if (data[i] & 2) {
				x->sa_ready = true;
				nhrp_sa_up(&x->n, 7, &nodes[0].nbma);
			}
			x->sa_ready = true;
			i++;
			deliver(32);
		} else {
			deliver(32);
		}
	}
	teardown();
	return 0;
}
