/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration parser's insides.  conf.c owns the line discipline
 * (the file, words, modes, comments, exit/end, "FILE:LINE: reason") and
 * hands each line to the section that owns its first words:
 *   conf_isakmp.c  crypto isakmp ..., crypto ipsec ...
 *   conf_map.c     crypto map ..., access-list ..., ip access-list extended
 *   conf_iface.c   interface X and what the keying daemon reads in it, its addresses
 *   conf_nhrp.c    an interface's ip nhrp lines
 *   conf_check.c   what no one section can check: IKE for what needs it, keys for peers
 * conf_known.c has the IOS commands that are not for a Linux node (ignored
 * with a warning), the commands of each mode and the closest one to a
 * typo; conf_warn.c collects the warnings; conf_util.c has the words'
 * helpers (numbers, addresses) and the arrays that grow.  Not for the rest
 * of dmvpnd.
 */
#ifndef DMVPN_CONF_CONF_PARSE_H
#define DMVPN_CONF_CONF_PARSE_H

#include <stdbool.h>
#include "conf/conf.h"

#define MAX_WORDS 16
#define CONF_WORD_MAX 64	/* a command's word, for the suggestions */

struct parser;

typedef int conf_line_fn(struct parser *p, char **w, int n);

/*
 * A configuration mode ("crypto isakmp policy 10", "interface X", ...):
 * which unindented lines are its (IOS takes a command in the current mode
 * first, indented or not), what to do with one of its lines, its commands
 * by name (known; ign: those it ignores) for the suggestions.  end, when
 * the block is over: NULL if the block is ours, else why it is not (the
 * block is then one warning instead of its lines' own).
 */
struct conf_mode {
	const char *name;	/* "isakmp policy": its unknown commands' errors say it */
	bool (*is_sub)(char **w, int n);
	conf_line_fn *line;
	const char *const *known;
	const char *const *ign;
	const char *(*end)(struct parser *p);
};

/* A global command whose block is not ours ("router eigrp 90"): its unindented sub-commands. */
struct conf_block {
	const char *cmd;
	const char *const *sub;
	const char *why;
};

/* A warning while the file is read: merged by key, formatted at the end. */
struct conf_wrec {
	int line;
	int more;		/* later lines of the same key */
	bool block;		/* more counts blocks, not lines */
	char key[96];		/* "": a warning of its own, never merged */
	char msg[256];
};

struct conf_wlist {
	struct conf_wrec *r;
	int n;
};

/*
 * A command: the words it starts with (NULL: any word), the fewest words
 * it takes, its handler.  Tables end with an entry whose fn is NULL.
 */
struct conf_cmd {
	const char *w[2];
	int min;
	conf_line_fn *fn;
};

/* A part of the configuration: its global commands, its checks, its arrays. */
struct conf_section {
	const struct conf_cmd *cmds;
	int (*check)(struct parser *p);		/* after the last line: 0 or -1 */
	void (*free)(struct conf *c);		/* the arrays it made, secrets wiped */
};

extern const struct conf_section conf_isakmp_section;
extern const struct conf_section conf_map_section;
extern const struct conf_section conf_iface_section;
extern const struct conf_section conf_check_section;

struct parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	struct conf *c;
	const struct conf_mode *mode;	/* the mode lines enter; NULL: global */
	int cur;	/* index of the policy, tset, profile, interface, acl, map */
	char **words;	/* the line's, for the suggestions */
	int nwords;
	/* the block being read: a mode's, or an ignored one's (blk) */
	const struct conf_block *blk;
	const char *soft;		/* an ignored global line, whose lines may follow */
	int blk_line, blk_lines;
	char blk_text[80];
	char banner[3];			/* inside a banner: its delimiter */
	struct conf_wlist warns;	/* the file's warnings */
	struct conf_wlist held;		/* the current mode's, until it ends */
	int lines_seen;			/* lines that are not comments */
};

/* "FILE:LINE: reason" into p->err; returns -1. */
int conf_fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * The entry of cmds whose words are w[at] and w[at + 1] and whose fewest
 * words n meets: its handler's result; 1 when no entry takes the line.
 */
int conf_run(struct parser *p, const struct conf_cmd *cmds, int at, char **w, int n);

/*
 * conf_warn.c: "ignored: CMD" for this line, merged with the earlier
 * lines of the same cmd ("(and 3 more lines)"); a warning of its own.
 * 0, or -1 out of memory (p->err said).
 */
int conf_ignore(struct parser *p, const char *cmd);
int conf_warn(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int conf_warn_add(struct parser *p, struct conf_wlist *l, const struct conf_wrec *r);
/* The held warnings into the file's; or dropped. */
int conf_warn_commit(struct parser *p);
void conf_warn_drop(struct conf_wlist *l);
/* The file's warnings as "FILE:LINE: text", by line, into c. */
int conf_warn_finish(struct parser *p);

/*
 * conf_known.c: the tables of ignored commands (global lines, interface
 * lines, blocks), the commands of global mode; the matching entry or NULL.
 */
extern const char *const conf_ign_global[];
extern const char *const conf_ign_iface[];
extern const char *const conf_known_global[];
extern const char *const conf_known_policy[];
extern const char *const conf_known_tset[];
extern const char *const conf_known_profile[];
extern const char *const conf_known_map[];
extern const char *const conf_known_acl[];
extern const char *const conf_known_iface[];
const char *conf_ign_match(const char *const *table, char **w, int n);
/* Whether the line starts as one of list's commands does (its first two words). */
bool conf_known_start(const char *const *list, char **w, int n);
const struct conf_block *conf_ign_block(char **w, int n);
/*
 * "FILE:LINE: unknown command 'WORD' (did you mean 'CMD'?)" for the line
 * (p->words), the closest of mode's commands and the global ones; -1.
 * The one line it takes: "no X" of an X that is ignored, ignored too (0).
 */
int conf_unknown(struct parser *p, const struct conf_mode *mode);

/* conf_util.c */
int conf_num(struct parser *p, const char *s, unsigned long min, unsigned long max,
	     uint32_t *out);
bool conf_mask_ok(const uint8_t *m, int *plen);
bool conf_word_in(const char *w, const char *const *list);
bool conf_is_number(const char *s);
int conf_addr_len(int family);
int conf_parse_addr(const char *s, uint8_t *addr);
void conf_prefix_clear(uint8_t *a, int plen, int len);
/*
 * Room for element n of arr, which holds n elements of size bytes: the
 * array grows (doubling) when n is 0 or a power of two from 4, so its room
 * follows from n.  The array, maybe moved; NULL with p->err said if out of
 * memory, arr unchanged and still the caller's.  A secret array is copied
 * and the old one wiped before it is freed, never left to realloc.
 */
void *conf_grow(struct parser *p, void *arr, int n, size_t size, bool secret);
/* Free an array of n secrets of size bytes (its whole room wiped first). */
void conf_free_secret(void *arr, int n, size_t size);
/* conf_isakmp.c: set transform-set / pfs / security-association, a profile's or a map entry's */
int conf_profile_set(struct parser *p, struct conf_profile *pr, char **w, int n);

/*
 * conf_nhrp.c: an interface's "ip nhrp ..." and "ipv6 nhrp ..." lines.
 * conf_nhrp_init() gives the defaults (an interface just made);
 * conf_nhrp_line() takes w[0] = the word after "nhrp", neg for a "no ..."
 * line, family the protocol's (AF_INET for ip, AF_INET6 for ipv6);
 * conf_nhrp_check() runs after the last line; conf_nhrp_free() frees the arrays.
 */
void conf_nhrp_init(struct nhrp_params *np);
int conf_nhrp_line(struct parser *p, struct conf_iface *f, bool neg, int family, char **w,
		   int n);
int conf_nhrp_check(struct parser *p, const struct conf_iface *f);
void conf_nhrp_free(struct nhrp_params *np);

/* conf_map.c */
bool conf_map_exists(const struct conf *c, const char *name);

#endif /* DMVPN_CONF_CONF_PARSE_H */
