// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's answerer: each command of lib/ctl_proto.c's table
 * to the file that answers it (show.h).  The server (ctl_server.c) hands
 * a parsed request and an in-memory stream; nothing here blocks.
 */
#include <stdio.h>
#include "conf/conf_show.h"
#include "dmvpnd/ctl_server.h"
#include "dmvpnd/show.h"
#include "lib/log.h"

/* One command of the table (each has its case: -Wswitch). */
void ctl_answer(struct daemon *d, const struct ctl_req *r, FILE *f)
{
	switch (r->def->id) {
	case CTL_SHOW_ISAKMP_SA:
		show_isakmp(d, f, r->detail, r->json);
		break;
	case CTL_SHOW_IPSEC_SA:
		show_ipsec(d, f, r->detail, r->json);
		break;
	case CTL_SHOW_SESSION:
		show_session(d, f, r->detail, r->json);
		break;
	case CTL_SHOW_SOCKETS:
		show_sockets(d, f, r->json);
		break;
	case CTL_SHOW_ENGINE:
		show_engine(d, f, r->json);
		break;
	case CTL_SHOW_CAC:
		show_cac(d, f, r->json);
		break;
	case CTL_SHOW_RUNNING:
		conf_show(&d->conf, f);
		break;
	case CTL_CLEAR_SA:
		log_info("clear crypto sa: deleting every IPsec SA");
		ike_clear_children(&d->ike);
		break;
	case CTL_CLEAR_ISAKMP:
		log_info("clear crypto isakmp: deleting every ISAKMP SA");
		ike_clear_sas(&d->ike);
		break;
	case CTL_CLEAR_SESSION:
		/* IOS's clear crypto session: the IPsec SAs, then the ISAKMP SAs that keyed them */
		log_info("clear crypto session: deleting every IPsec and ISAKMP SA");
		ike_clear_children(&d->ike);
		ike_clear_sas(&d->ike);
		break;
	case CTL_SHOW_NHRP:
	case CTL_SHOW_NHRP_NHS:
	case CTL_SHOW_NHRP_TRAFFIC:
	case CTL_SHOW_DMVPN:
	case CTL_CLEAR_NHRP:
		show_nhrp_command(d, r, f);
		break;
	case CTL_DEBUG:
	case CTL_UNDEBUG:
	case CTL_SHOW_DEBUG:
		show_debug_command(r, f);
		break;
	}
}

static void answer(void *arg, const struct ctl_req *r, FILE *f)
{
	struct daemon *d = arg;

	/* ages and lifetimes as of now */
	d->ike.now = loop_clock_ms();
	d->nhrp.now = d->ike.now;
	ctl_answer(d, r, f);
}

int ctl_server_open(struct daemon *d)
{
	static const struct ctl_limits lim = { CTL_LINE_MS, CTL_DRAIN_MS };

	d->ctl = ctl_server_new(&d->loop, d->sock_path, &lim, answer, d);
	return d->ctl ? 0 : -1;
}

void ctl_server_close(struct daemon *d)
{
	ctl_server_free(d->ctl);
	d->ctl = NULL;
}
