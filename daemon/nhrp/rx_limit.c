// SPDX-License-Identifier: GPL-2.0
/*
 * Requests received, limited per source: a token bucket per NBMA source
 * address, so a flood of registration, resolution or purge requests (or
 * traffic indications) from one address is dropped, counted ("rate limit"
 * in show ip nhrp traffic), and costs neither memory nor the entries
 * others registered.  Replies and error indications answer what we sent
 * and are not limited, nor is what our NHSs send (they relay every other
 * spoke's resolution requests to us).
 *
 * A peer the cache points at (a spoke that registered, an NHS, a peer
 * resolved) has its own bucket in its struct nhrp_peer: a flood from other
 * addresses never takes its budget, so its refreshes go through and its
 * entries stay.  Other sources share a table of hashed buckets, so a flood
 * from spoofed addresses allocates nothing.  The table has at least twice
 * as many slots as the interface has cache entries (grown, with full
 * buckets, as the cache grows; NHRP_RX_SLOTS_MIN at first); sources that
 * share a slot share its budget, which is many times what a new spoke
 * sends (its first registration, a few resolutions).
 */
#include <stdlib.h>
#include <uthash.h>
#include "nhrp/priv.h"

static bool limited_type(uint8_t type)
{
	return type == NHRP_RES_REQ || type == NHRP_REG_REQ || type == NHRP_PURGE_REQ ||
	       type == NHRP_TRAFFIC;
}

/* The table sized for the cache (new slots start full); false if memory is short. */
static bool slots_fit(struct nhrp_if_priv *ip)
{
	size_t want = ip->rx_nslots ? ip->rx_nslots : NHRP_RX_SLOTS_MIN;
	size_t entries = HASH_COUNT(ip->pub.cache);
	struct nhrp_rx_bucket *s;

	while (want < 2 * entries)
		want *= 2;
	if (want == ip->rx_nslots)
		return true;
	s = calloc(want, sizeof(*s));
	if (!s)
		return ip->rx_slots != NULL;	/* keep the smaller one */
	free(ip->rx_slots);
	ip->rx_slots = s;
	ip->rx_nslots = want;
	return true;
}

bool rx_limit_ok(struct nhrp_if *nif, const struct nhrp_addr *src, const uint8_t *p, size_t len)
{
	struct nhrp_if_priv *ip = nif_priv(nif);
	const int64_t now = nif->n->now;
	const uint32_t burst = NHRP_RX_BURST * 1000u;
	struct nhrp_peer *peer;
	struct nhrp_rx_bucket *s;
	unsigned int h;

	/* our NHSs relay every spoke's requests to us: theirs are not limited */
	if (len < 18 || !limited_type(p[17]) || nbma_is_nhs(nif, src))
		return true;
	peer = peer_get(nif, src, false);
	if (peer) {
		s = &peer->rx;
	} else {
		if (!slots_fit(ip))
			return true;	/* no table: not limited, rather than all dropped */
		HASH_VALUE(src->a, src->len, h);
		s = &ip->rx_slots[h & (ip->rx_nslots - 1)];
	}
	if (!s->at) {
		s->tokens = burst;
	} else if (now > s->at) {
		uint64_t t = s->tokens + (uint64_t)(now - s->at) * NHRP_RX_RATE;

		s->tokens = t > burst ? burst : (uint32_t)t;
	}
	s->at = now ? now : 1;
	if (s->tokens < 1000)
		return false;
	s->tokens -= 1000;
	return true;
}
