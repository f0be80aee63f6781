/* SPDX-License-Identifier: GPL-2.0 */
/* dmvpnctl: low-level control of mgre devices (peers, SAs, multicast). */
#ifndef DMVPN_CTL_CTL_H
#define DMVPN_CTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/mgre.h>
#include "kernel/mgre_obj.h"

#define CTL_KEY_MAX 64

/* ---- args.c: pure parsers, no I/O but reading a key file ---- */

/* Each returns 0, or -1 with a message in err (size errlen). */
int ctl_parse_u64(const char *s, uint64_t max, uint64_t *out);
int ctl_parse_ipv4(const char *s, uint32_t *be);
int ctl_parse_enc(const char *s, uint8_t *enc);
int ctl_parse_auth(const char *s, uint8_t *auth);
int ctl_parse_dir(const char *s, uint8_t *dir);
/* Hex (optional 0x) or @FILE holding hex (the file must not be world-accessible). */
int ctl_parse_key(const char *s, uint8_t *key, size_t *len, char *err, size_t errlen);
const char *ctl_enc_name(uint8_t enc);
const char *ctl_auth_name(uint8_t auth);
const char *ctl_stat_name(int attr);	/* MGRE_STATS_A_* as a JSON key */

/* ---- print.c: decoded objects (kernel/mgre_nl.h) to text or JSON ---- */

/* JSON lists: call ctl_json_begin, one ctl_print_* per object, ctl_json_end. */
void ctl_json_begin(FILE *f);
void ctl_json_end(FILE *f);
void ctl_print_peer(FILE *f, const struct mgre_peer_info *p, bool json);
void ctl_print_sa(FILE *f, const struct mgre_sa_info *s, bool json);
void ctl_print_mcast(FILE *f, const struct mgre_mcast_info *m, bool json);
void ctl_print_event(FILE *f, const struct mgre_event_info *e, bool json);

/* show|clear crypto ...: ask dmvpnd over its control socket */
int ctl_daemon(const char *sock, int argc, char **argv, bool json);
/* The line for those words (lib/ctl_proto.h's table), malloc'd; NULL after saying why. */
char *ctl_daemon_line(int argc, char **argv, bool json);

#endif /* DMVPN_CTL_CTL_H */
