// SPDX-License-Identifier: GPL-2.0
/*
 * "debug crypto isakmp", "debug crypto ipsec", "debug nhrp", their "no
 * debug" forms, "undebug all" and "show debugging": lib/log's flags,
 * turned at run time, answered in IOS's words.
 */
#include <stdio.h>
#include "dmvpnd/show.h"
#include "lib/log.h"

/* What IOS says of each, and the heading "show debugging" puts it under. */
static const struct {
	const char *group, *name;
} subs[LOG_DBG_MAX] = {
	[LOG_DBG_ISAKMP] = { "Cryptographic Subsystem", "Crypto ISAKMP" },
	[LOG_DBG_IPSEC] = { "Cryptographic Subsystem", "Crypto IPSEC" },
	[LOG_DBG_NHRP] = { "NHRP", "NHRP protocol" },
	[LOG_DBG_DAEMON] = { "dmvpnd", "dmvpnd" },	/* dmvpnd -d's own lines */
};

static void show_debugging(FILE *f)
{
	/* IOS's order (seed 004): NHRP first, then the crypto subsystem */
	static const enum log_dbg order[] = {
		LOG_DBG_NHRP, LOG_DBG_ISAKMP, LOG_DBG_IPSEC, LOG_DBG_DAEMON,
	};
	const char *group = NULL;

	/* as IOS: nothing on, nothing printed */
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		enum log_dbg i = order[k];

		if (!log_dbg_on[i])
			continue;
		if (group != subs[i].group) {
			group = subs[i].group;
			fprintf(f, "%s:\n", group);
		}
		fprintf(f, "  %s debugging is on\n", subs[i].name);
	}
}

void show_debug_command(const struct ctl_req *r, FILE *f)
{
	switch (r->def->id) {
	case CTL_DEBUG:
		log_dbg_on[r->def->arg] = true;
		fprintf(f, "%s debugging is on\n", subs[r->def->arg].name);
		break;
	case CTL_UNDEBUG:
		if (r->def->arg < 0) {
			log_dbg_all(false);
			fputs("All possible debugging has been turned off\n", f);
			break;
		}
		log_dbg_on[r->def->arg] = false;
		fprintf(f, "%s debugging is off\n", subs[r->def->arg].name);
		break;
	default:
		show_debugging(f);
		break;
	}
}
