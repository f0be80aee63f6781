/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd's control protocol, shared by dmvpnd (dispatch) and dmvpnctl
 * (validation, help): one command line in (at most CTL_LINE_MAX bytes with
 * its newline), the answer, then EOF.  The commands are one table.  A line
 * is a table entry's words, then "detail" if the entry has a detailed
 * form, then "json" if it has a JSON form.
 */
#ifndef DMVPN_LIB_CTL_PROTO_H
#define DMVPN_LIB_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CTL_LINE_MAX 256	/* a command line, its newline included */

enum ctl_cmd {
	CTL_SHOW_ISAKMP_SA,
	CTL_SHOW_IPSEC_SA,
	CTL_SHOW_SESSION,
	CTL_CLEAR_SA,
	CTL_CLEAR_ISAKMP,
	CTL_SHOW_NHRP,
	CTL_SHOW_NHRP_NHS,
	CTL_SHOW_NHRP_TRAFFIC,
	CTL_SHOW_DMVPN,
	CTL_CLEAR_NHRP,
	CTL_SHOW_SOCKETS,
	CTL_SHOW_ENGINE,
	CTL_CLEAR_SESSION,
	CTL_SHOW_RUNNING,
	CTL_DEBUG,		/* debug X: arg is the subsystem (lib/log.h) */
	CTL_UNDEBUG,		/* no debug X, undebug all: arg, or -1 for all */
	CTL_SHOW_DEBUG,
	CTL_SHOW_CAC,
};

struct ctl_cmd_def {
	enum ctl_cmd id;
	const char *words;	/* "show crypto isakmp sa" */
	bool detail, json;	/* the modifiers it takes */
	const char *help;
	int arg;		/* CTL_DEBUG, CTL_UNDEBUG: enum log_dbg, or -1; the NHRP
				 * commands: 16 for "ipv6 nhrp", 0 for "ip nhrp" */
};

extern const struct ctl_cmd_def ctl_cmds[];
extern const size_t ctl_ncmds;

/* A parsed command line. */
struct ctl_req {
	const struct ctl_cmd_def *def;
	bool detail, json;
};

/*
 * Match n words against the table: an entry's words exactly, then
 * "detail" (if the entry takes it), then "json" (only if allow_json and
 * the entry takes it).  0, or -1 if the words are no command.
 */
int ctl_match(char *const *words, int n, bool allow_json, struct ctl_req *r);
/* The same for a line of words separated by blanks (a trailing \r\n ignored). */
int ctl_parse(const char *line, struct ctl_req *r);
/* The request as its line, without the newline ("show crypto ipsec sa detail json"). */
void ctl_format(const struct ctl_req *r, FILE *f);
/* Whether a command line starting with this word is one of the table's. */
bool ctl_first_word(const char *word);
/* The command list for a help text, one per line after indent. */
void ctl_help(FILE *f, const char *indent);

#endif /* DMVPN_LIB_CTL_PROTO_H */
