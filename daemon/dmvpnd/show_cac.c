// SPDX-License-Identifier: GPL-2.0
/*
 * "show crypto call admission statistics": the IKE call admission limits
 * (ike/admit.c), the SAs held and in negotiation, and what became of the
 * peers' first messages (and of second hosts behind one NAT: ike/index.c).
 * Also as JSON.
 */
#include <stdio.h>
#include "dmvpnd/show.h"

void show_cac(struct daemon *d, FILE *f, bool json)
{
	const struct ike *ike = &d->ike;
	unsigned int active = 0, nego = 0, fresh = 0;
	const unsigned long rej = ike->cac.rejected_in_neg + ike->cac.rejected_sa;

	for (const struct ike_sa *sa = ike->sas; sa; sa = sa->next) {
		if (sa->state == IKE_P1_COMPLETE)
			active++;
		else if (sa->state != IKE_DEST_SA)
			nego++;
		fresh += sa->fresh;
	}
	if (json) {
		fprintf(f, "{\"in_negotiation_limit\":%u,\"in_negotiation_configured\":%s,"
			"\"per_address_limit\":%u,\"sa_limit\":%u,\"sas\":%u,\"active\":%u,"
			"\"negotiating\":%u,\"responder_negotiating\":%u,\"responder_mm1_only\":%u,"
			"\"incoming\":%lu,\"accepted\":%lu,\"rejected_in_negotiation\":%lu,"
			"\"rejected_sa_limit\":%lu,\"gave_way\":%lu,\"rejected_behind_nat\":%lu}\n",
			ike_in_neg_limit(ike), d->conf.cac_in_neg ? "true" : "false",
			ike_in_neg_per_source(ike), d->conf.cac_sa, ike->nsas, active, nego,
			ike->half_open, fresh, ike->cac.accepted + rej, ike->cac.accepted,
			ike->cac.rejected_in_neg, ike->cac.rejected_sa, ike->cac.evicted,
			ike->cac.rejected_nat);
		return;
	}
	fputs("Crypto Call Admission Control Statistics\n", f);
	fprintf(f, "  Max in negotiation: %u%s, per address %u\n", ike_in_neg_limit(ike),
		d->conf.cac_in_neg ? "" : " (default)", ike_in_neg_per_source(ike));
	if (d->conf.cac_sa)
		fprintf(f, "  Max IKE SAs:        %u\n", d->conf.cac_sa);
	else
		fputs("  Max IKE SAs:        none\n", f);
	fprintf(f, "  Total IKE SA Count: %u  active: %u  negotiating: %u\n", ike->nsas, active,
		nego);
	fprintf(f, "  Responder SAs negotiating: %u (with only the peer's first message: %u)\n",
		ike->half_open, fresh);
	fprintf(f, "  Incoming IKE Requests: %lu  accepted: %lu  rejected: %lu\n",
		ike->cac.accepted + rej, ike->cac.accepted, rej);
	fprintf(f, "  Rejected: in-negotiation limit: %lu  IKE SA limit: %lu\n",
		ike->cac.rejected_in_neg, ike->cac.rejected_sa);
	fprintf(f, "  Half-open SAs that gave way to newer requests: %lu\n", ike->cac.evicted);
	fprintf(f, "  Authenticated, refused: a second host behind a peer's NAT address: %lu\n",
		ike->cac.rejected_nat);
}
