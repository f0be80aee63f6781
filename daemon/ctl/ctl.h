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

/*
 * A netlink command line ("sa add dev dmvpn0 nbma ... spi ..."), parsed
 * and checked whole before any socket is opened: an argument error says
 * what is wrong on any host, with the module or without.  Only the
 * device's existence is left to the caller (if_nametoindex).
 */
enum ctl_obj { CTL_PEER, CTL_SA, CTL_SPI, CTL_MCAST, CTL_ENCAP, CTL_FLUSH, CTL_MONITOR };
enum ctl_op { CTL_SHOW, CTL_SET, CTL_ADD, CTL_DEL, CTL_ALLOC };

/* soft-bytes hard-bytes soft-packets hard-packets soft-seconds hard-seconds */
#define CTL_NLIMITS 6

struct ctl_args {
	enum ctl_obj obj;
	enum ctl_op op;
	const char *dev;	/* NULL: every device (a show) */
	bool has_nbma, has_encap, has_sport, has_dport, has_auth, has_replay, esn, dynamic;
	uint32_t nbma;		/* network order */
	uint8_t encap;		/* MGRE_ENCAP_* */
	uint16_t sport, dport, port;
	uint8_t dir, enc, auth, mode;	/* mode: MGRE_MODE_*, 0 transport */
	uint32_t spi, replay;
	uint8_t enc_key[CTL_KEY_MAX], auth_key[CTL_KEY_MAX];
	size_t enc_key_len, auth_key_len;	/* 0: not given */
	bool has_lim[CTL_NLIMITS];
	uint64_t lim[CTL_NLIMITS];
	uint64_t count, seconds;	/* monitor -c, -t: 0 = no limit */
};

/* The words after dmvpnctl's options (argv[0] the object): 0, or -1 with err said. */
int ctl_parse_cmd(int argc, char **argv, struct ctl_args *c, char *err, size_t errlen);
/* Whether argv[0] is one of the netlink objects. */
bool ctl_is_nl_obj(const char *s);
/* The keys wiped. */
void ctl_args_wipe(struct ctl_args *c);

const char *ctl_enc_name(uint8_t enc);
const char *ctl_auth_name(uint8_t auth);
const char *ctl_stat_name(int attr);	/* MGRE_STATS_A_* as a JSON key */

/* ---- print.c: decoded objects (kernel/mgre_nl.h) to text or JSON ---- */

/* JSON lists: call ctl_json_begin, one ctl_print_* per object, ctl_json_end. */
void ctl_json_begin(FILE *f);
void ctl_json_end(FILE *f);
/* An empty listing in text: "no SAs" (JSON's is the empty array). */
void ctl_print_none(FILE *f, const char *what);
void ctl_print_peer(FILE *f, const struct mgre_peer_info *p, bool json);
void ctl_print_sa(FILE *f, const struct mgre_sa_info *s, bool json);
void ctl_print_mcast(FILE *f, const struct mgre_mcast_info *m, bool json);
void ctl_print_event(FILE *f, const struct mgre_event_info *e, bool json);

/* show|clear crypto ...: ask dmvpnd over its control socket */
int ctl_daemon(const char *sock, int argc, char **argv, bool json);
/* The line for those words (lib/ctl_proto.h's table), malloc'd; NULL after saying why. */
char *ctl_daemon_line(int argc, char **argv, bool json);

#endif /* DMVPN_CTL_CTL_H */
