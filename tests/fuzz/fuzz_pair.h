/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the IKE fuzz targets share: two engines a and b whose kernel is a
 * counter (SPIs handed out, SAs taken and forgotten), addresses, acquire.
 * Each target has its own send hook.
 */
#ifndef DMVPN_FUZZ_PAIR_H
#define DMVPN_FUZZ_PAIR_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "ike/ike.h"
#include "lib/log.h"

static uint32_t fuzz_spi = 0x1000;

static int f_spi(struct ike *ike, const struct ike_path *path, const struct p2_prot *prot,
		 uint32_t *s)
{
	*s = fuzz_spi++;
	return 0;
}

static int f_add(struct ike *ike, const struct child *c, bool in, const uint8_t *e, size_t el,
		 const uint8_t *au, size_t al)
{
	return 0;
}

static int f_del(struct ike *ike, const struct child *c, bool in)
{
	return 0;
}

static void fuzz_addr(struct sockaddr_storage *ss, const char *s)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(500);
	inet_pton(AF_INET, s, &in->sin_addr);
}

/* Traffic for the mgre device wants an SA (the module's ACQUIRE). */
static void fuzz_acquire(struct ike *ike, const struct ike_path *path)
{
	struct p2_prot p;

	ike_prot_mgre(ike, path, &p);
	ike_acquire(ike, path, &p);
}

/*
 * Crypto and a silent log; the configuration (aborts if it does not
 * parse); a at 10.0.0.1 and b at 10.0.0.2, each path seen from its side;
 * their mgre devices (ifindex 1, profile P, tunnel source their address).
 */
static void fuzz_pair_init(const char *text, struct conf *c, struct ike_path *ab,
			   struct ike_path *ba, struct ike_gre *ga, struct ike_gre *gb)
{
	char err[256];

	ike_crypto_init();
	log_open(true, false);
	log_max_prio = LOG_EMERG - 1;	/* silent */
	if (conf_parse("fuzz", text, c, err, sizeof(err)))
		abort();
	fuzz_addr(&ab->local, "10.0.0.1");
	fuzz_addr(&ab->remote, "10.0.0.2");
	fuzz_addr(&ba->local, "10.0.0.2");
	fuzz_addr(&ba->remote, "10.0.0.1");
	memset(ga, 0, sizeof(*ga));
	memset(gb, 0, sizeof(*gb));
	ga->ifindex = gb->ifindex = 1;
	strcpy(ga->profile, "P");
	strcpy(gb->profile, "P");
	ga->local = ab->local;
	gb->local = ba->local;
}

#endif /* DMVPN_FUZZ_PAIR_H */
