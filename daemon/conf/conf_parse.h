/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration parser's insides, shared by conf.c (the IOS crypto
 * commands, interfaces, the checks) and conf_map.c (crypto maps and the
 * access lists they match).  Not for the rest of dmvpnd.
 */
#ifndef DMVPN_CONF_CONF_PARSE_H
#define DMVPN_CONF_CONF_PARSE_H

#include <stdbool.h>
#include "conf/conf.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define MAX_WORDS 16

enum section { TOP, POLICY, TSET, PROFILE, IFACE, ACL, MAP, OTHER };

struct parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	struct conf *c;
	enum section sec;
	int cur;	/* index of the policy, tset, profile, interface, acl, map */
};

/* "FILE:LINE: reason" into p->err; returns -1. */
int conf_fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int conf_num(struct parser *p, const char *s, unsigned long min, unsigned long max,
	     uint32_t *out);
bool conf_mask_ok(const uint8_t *m, int *plen);
bool conf_word_in(const char *w, const char *const *list);
bool conf_is_number(const char *s);
int conf_addr_len(int family);
int conf_parse_addr(const char *s, uint8_t *addr);
void conf_prefix_clear(uint8_t *a, int plen, int len);
/* set transform-set / pfs / security-association: a profile's or a map entry's */
int conf_profile_set(struct parser *p, struct conf_profile *pr, char **w, int n);

/* conf_map.c */
/* an access list by name, made if new: its index, -1 on error, -2 if no room */
int conf_acl_find(struct parser *p, const char *name);
int conf_acl_numbered(struct parser *p, char **w, int n);
int conf_acl_sub(struct parser *p, char **w, int n);
int conf_map_line(struct parser *p, char **w, int n);
int conf_map_sub(struct parser *p, char **w, int n);
bool conf_map_exists(const struct conf *c, const char *name);
int conf_check_map(struct parser *p, const struct conf_map *m);

#endif /* DMVPN_CONF_CONF_PARSE_H */
