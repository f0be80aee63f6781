// SPDX-License-Identifier: GPL-2.0
/*
 * Call admission for phase 1 (IOS's "crypto call admission limit ike"):
 * how many responder SAs may be in negotiation at once, in total and from
 * one address, and how many IKE SAs the node holds at most.
 *
 * A responder SA that has seen only the peer's first message (MM1, or AM1)
 * is "fresh": it cost one proposal choice, and a real peer answers MM2
 * within a round trip.  Fresh SAs are kept in creation order (ike->fresh).
 * When a new MM1 finds the in-negotiation limit (or its source's share)
 * reached, the oldest fresh SA (of that source, for the share) gives way to
 * it; when none is fresh, every slot holds a peer that answered and the MM1
 * is dropped.  So a flood from spoofed addresses, which never answers MM2,
 * only ever displaces other fresh SAs: established SAs and negotiations
 * past MM3 are never touched.
 *
 * A fresh SA gives way to the limit only once it is IKE_FRESH_MIN_MS old;
 * until then new MM1 are dropped (counted).  Without that minimum a real
 * peer got in only if its round trip (MM2 out, its Diffie-Hellman key pair
 * made, MM3 read) was shorter than the time the flood took to turn the
 * table over (1000 slots at a few thousand MM1 a second: a third of a
 * second), and never otherwise; with it, any peer whose round trip is
 * under the minimum gets in whenever its MM1 is admitted, which happens to
 * a share of the MM1 read (limit / minimum a second, of all those read),
 * and its initiator's next retransmission is another draw.  The rest of
 * what keeps a real peer in: its MM3 is read ahead of the flood (dmvpnd's
 * second socket, kernel/isakmp_sock.c), our initiator retransmits MM1
 * every second at first and starts again from MM1 when its MM3 goes
 * unanswered (p1_restart).  Fresh SAs also time out sooner than the
 * others (FRESH_MS).
 */
#include <arpa/inet.h>
#include <utlist.h>
#include "ike/ike.h"
#include "lib/log.h"

static bool is_fresh(const struct ike_sa *sa)
{
	return !sa->initiator && (sa->state == IKE_READY || sa->state == IKE_R_MM1 ||
				  sa->state == IKE_R_MM2 || sa->state == IKE_R_AM1 ||
				  sa->state == IKE_R_AM2);
}

static bool is_half_open(const struct ike_sa *sa)
{
	return !sa->initiator && sa->state != IKE_P1_COMPLETE && sa->state != IKE_DEST_SA;
}

uint32_t ike_in_neg_limit(const struct ike *ike)
{
	return ike->conf->cac_in_neg ? ike->conf->cac_in_neg : IKE_IN_NEG_DEFAULT;
}

uint32_t ike_in_neg_per_source(const struct ike *ike)
{
	uint32_t n = ike_in_neg_limit(ike) / IKE_IN_NEG_SHARE;

	return n < IKE_IN_NEG_SOURCE_MIN ? IKE_IN_NEG_SOURCE_MIN : n;
}

void ike_cac_update(struct ike_sa *sa, bool gone)
{
	struct ike *ike = sa->ike;
	bool half = !gone && is_half_open(sa);
	bool fresh = !gone && is_fresh(sa);

	if (half != sa->half_open) {
		if (half)
			ike->half_open++;
		else
			ike->half_open--;
		sa->half_open = half;
	}
	if (fresh != sa->fresh) {
		if (fresh)
			DL_APPEND2(ike->fresh, sa, fprev, fnext);
		else
			DL_DELETE2(ike->fresh, sa, fprev, fnext);
		sa->fresh = fresh;
	}
}

/* The oldest fresh SA from the address, and how many of its SAs are half-open. */
static struct ike_sa *source_oldest(struct ike *ike, const struct sockaddr_storage *remote,
				    unsigned int *half)
{
	struct ike_sa *old = NULL;

	*half = 0;
	/* bounded: the source's half-open SAs are at most its share, plus its established ones */
	for (struct ike_sa *sa = ike_peer_sas(ike, remote); sa; sa = sa->pnext) {
		ike->probes++;
		*half += sa->half_open;
		if (sa->fresh && (!old || sa->born < old->born))
			old = sa;
	}
	return old;
}

static void evict(struct ike *ike, struct ike_sa *sa, const char *why)
{
	char a[INET6_ADDRSTRLEN];

	log_dbg_isakmp("ISAKMP (0:%u): call admission: %s reached, half-open SA with %s in %s "
		       "gives way", sa->id, why, addr_str(&sa->path.remote, a, sizeof(a)),
		       ike_state_name(sa->state));
	ike->cac.evicted++;
	ike_sa_free(sa);
}

int ike_admit(struct ike *ike, const struct ike_path *path)
{
	uint32_t limit = ike_in_neg_limit(ike), share = ike_in_neg_per_source(ike);
	struct ike_sa *old;
	unsigned int half;

	if (ike->conf->cac_sa && ike->nsas >= ike->conf->cac_sa) {
		ike->cac.rejected_sa++;
		return -1;
	}
	old = source_oldest(ike, &path->remote, &half);
	if (half >= share) {
		if (!old) {
			ike->cac.rejected_in_neg++;
			return -1;
		}
		evict(ike, old, "the in-negotiation share of one address");
	}
	if (ike->half_open >= limit) {
		if (!ike->fresh || ike->now - ike->fresh->born < IKE_FRESH_MIN_MS) {
			ike->cac.rejected_in_neg++;
			return -1;
		}
		evict(ike, ike->fresh, "the in-negotiation limit");
	}
	ike->cac.accepted++;
	return 0;
}
