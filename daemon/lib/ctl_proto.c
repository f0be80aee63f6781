// SPDX-License-Identifier: GPL-2.0
/* dmvpnd's control commands: the one table, and parsing a line against it. */
#include <stdlib.h>
#include <string.h>
#include "lib/ctl_proto.h"
#include "lib/log.h"

/* In the order dmvpnctl's help lists them: shows, clears, debugs. */
const struct ctl_cmd_def ctl_cmds[] = {
	{ CTL_SHOW_ISAKMP_SA, "show crypto isakmp sa", true, true,
	  "the ISAKMP (phase-1) SAs" },
	{ CTL_SHOW_IPSEC_SA, "show crypto ipsec sa", true, true,
	  "the IPsec SAs, with the kernel's counters" },
	{ CTL_SHOW_SESSION, "show crypto session", true, true,
	  "the crypto sessions: each peer's ISAKMP SA and IPsec flows" },
	{ CTL_SHOW_SOCKETS, "show crypto sockets", false, true,
	  "the protected tunnels (crypto sockets) and their IPsec profiles" },
	{ CTL_SHOW_ENGINE, "show crypto engine connections active", false, true,
	  "every ISAKMP and IPsec SA with its packets encrypted and decrypted" },
	{ CTL_SHOW_CAC, "show crypto call admission statistics", false, true,
	  "call admission: the IKE limits, SAs in negotiation, MM1s accepted and dropped" },
	{ CTL_SHOW_NHRP, "show ip nhrp", true, true,
	  "the NHRP cache: registered, static, resolved and incomplete entries" },
	{ CTL_SHOW_NHRP_NHS, "show ip nhrp nhs", true, true,
	  "the next hop servers this node registers with, and their state" },
	{ CTL_SHOW_NHRP_TRAFFIC, "show ip nhrp traffic", false, true,
	  "NHRP packets sent and received by type, and drops by reason" },
	{ CTL_SHOW_NHRP, "show ipv6 nhrp", true, true,
	  "the IPv6 overlay's NHRP cache (ipv6 nhrp)", 16 },
	{ CTL_SHOW_NHRP_NHS, "show ipv6 nhrp nhs", true, true,
	  "the IPv6 next hop servers this node registers with, and their state", 16 },
	{ CTL_SHOW_NHRP_TRAFFIC, "show ipv6 nhrp traffic", false, true,
	  "IPv6 NHRP packets sent and received by type, and drops by reason", 16 },
	{ CTL_SHOW_DMVPN, "show dmvpn", true, true,
	  "the DMVPN peers by NBMA address (detail: with NHSs and crypto sessions)" },
	{ CTL_SHOW_RUNNING, "show running-config", false, false,
	  "the configuration dmvpnd runs, as IOS lines (keys and passwords masked)" },
	{ CTL_SHOW_DEBUG, "show debugging", false, false,
	  "the debugs that are on" },
	{ CTL_CLEAR_SESSION, "clear crypto session", false, false,
	  "delete every IPsec and ISAKMP SA (and tell the peers)" },
	{ CTL_CLEAR_SA, "clear crypto sa", false, false,
	  "delete every IPsec SA (and tell the peers)" },
	{ CTL_CLEAR_ISAKMP, "clear crypto isakmp", false, false,
	  "delete every ISAKMP SA (and tell the peers)" },
	{ CTL_CLEAR_NHRP, "clear ip nhrp", false, false,
	  "forget the dynamic and resolved NHRP entries (registrations are sent again)" },
	{ CTL_CLEAR_NHRP, "clear ipv6 nhrp", false, false,
	  "forget the dynamic and resolved IPv6 NHRP entries", 16 },
	{ CTL_DEBUG, "debug crypto isakmp", false, false,
	  "log the ISAKMP exchanges (phase 1, Quick Mode, informational)", LOG_DBG_ISAKMP },
	{ CTL_DEBUG, "debug crypto ipsec", false, false,
	  "log the IPsec SAs as they are requested, made and deleted", LOG_DBG_IPSEC },
	{ CTL_DEBUG, "debug nhrp", false, false,
	  "log the NHRP packets and what they do", LOG_DBG_NHRP },
	{ CTL_UNDEBUG, "no debug crypto isakmp", false, false,
	  "stop debug crypto isakmp", LOG_DBG_ISAKMP },
	{ CTL_UNDEBUG, "no debug crypto ipsec", false, false,
	  "stop debug crypto ipsec", LOG_DBG_IPSEC },
	{ CTL_UNDEBUG, "no debug nhrp", false, false,
	  "stop debug nhrp", LOG_DBG_NHRP },
	{ CTL_UNDEBUG, "no debug all", false, false,
	  "stop every debug (dmvpnd -d's too)", -1 },
	{ CTL_UNDEBUG, "undebug all", false, false,
	  "the same as no debug all", -1 },
};
const size_t ctl_ncmds = sizeof(ctl_cmds) / sizeof(ctl_cmds[0]);

/* How many of the words spell def->words exactly (0 if they do not). */
static int match_words(const struct ctl_cmd_def *def, char *const *words, int n)
{
	const char *p = def->words;
	int i;

	for (i = 0; *p; i++) {
		size_t len = strcspn(p, " ");

		if (i == n || strlen(words[i]) != len || strncmp(words[i], p, len))
			return 0;
		p += len;
		p += *p == ' ';
	}
	return i;
}

int ctl_match(char *const *words, int n, bool allow_json, struct ctl_req *r)
{
	for (size_t k = 0; k < ctl_ncmds; k++) {
		const struct ctl_cmd_def *def = &ctl_cmds[k];
		int i = match_words(def, words, n);

		if (!i)
			continue;
		*r = (struct ctl_req){ .def = def };
		if (i < n && def->detail && !strcmp(words[i], "detail")) {
			r->detail = true;
			i++;
		}
		if (i < n && allow_json && def->json && !strcmp(words[i], "json")) {
			r->json = true;
			i++;
		}
		if (i == n)
			return 0;
	}
	return -1;
}

int ctl_parse(const char *line, struct ctl_req *r)
{
	char buf[CTL_LINE_MAX], *words[CTL_LINE_MAX / 2], *save = NULL, *w;
	size_t len = strcspn(line, "\r\n");
	int n = 0;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, line, len);
	buf[len] = 0;
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;		/* at most one word per two bytes of buf */
	return ctl_match(words, n, true, r);
}

void ctl_format(const struct ctl_req *r, FILE *f)
{
	fprintf(f, "%s%s%s", r->def->words, r->detail ? " detail" : "", r->json ? " json" : "");
}

bool ctl_first_word(const char *word)
{
	size_t len = strlen(word);

	for (size_t k = 0; k < ctl_ncmds; k++)
		if (!strncmp(ctl_cmds[k].words, word, len) &&
		    (ctl_cmds[k].words[len] == ' ' || !ctl_cmds[k].words[len]))
			return true;
	return false;
}

void ctl_help(FILE *f, const char *indent)
{
	for (size_t k = 0; k < ctl_ncmds; k++) {
		const struct ctl_cmd_def *def = &ctl_cmds[k];
		int w = fprintf(f, "%s%s%s", indent, def->words, def->detail ? " [detail]" : "");

		fprintf(f, "%*s%s\n", w < 42 ? 42 - w : 1, "", def->help);
	}
}
