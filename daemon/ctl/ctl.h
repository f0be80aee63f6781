/* SPDX-License-Identifier: GPL-2.0 */
/* dmvpnctl: low-level control of mgre devices (peers, SAs, multicast). */
#ifndef DMVPNCTL_CTL_H
#define DMVPNCTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/mgre.h>

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

/* ---- print.c: decoded objects to text or JSON ---- */

struct ctl_stats {
	bool present;
	uint64_t v[MGRE_STATS_A_MAX + 1];
};

struct ctl_peer {
	int ifindex;
	uint32_t nbma;		/* network order */
	uint8_t encap;
	uint16_t sport, dport;
	uint32_t pmtu, out_spi;
	struct ctl_stats stats;
};

struct ctl_sa {
	int ifindex;
	uint32_t nbma;
	uint8_t dir, enc, auth, expire;
	uint32_t spi, replay_window;
	bool esn;
	uint64_t lim[6];	/* soft/hard bytes, soft/hard packets, soft/hard seconds */
	uint64_t seq, age;
	struct ctl_stats stats;
};

struct ctl_mcast {
	int ifindex;
	uint32_t nbma;
	bool dynamic;
};

struct ctl_event {
	uint8_t cmd;		/* MGRE_CMD_ACQUIRE / _TRAFFIC / _EXPIRE */
	int ifindex;
	uint32_t nbma, src, dst;
	struct ctl_sa sa;	/* EXPIRE */
};

/* JSON lists: call ctl_json_begin, one ctl_print_* per object, ctl_json_end. */
void ctl_json_begin(FILE *f);
void ctl_json_end(FILE *f);
void ctl_print_peer(FILE *f, const struct ctl_peer *p, bool json);
void ctl_print_sa(FILE *f, const struct ctl_sa *s, bool json);
void ctl_print_mcast(FILE *f, const struct ctl_mcast *m, bool json);
void ctl_print_event(FILE *f, const struct ctl_event *e, bool json);

/* show|clear crypto ...: ask dmvpnd over its control socket */
int ctl_daemon(const char *sock, int argc, char **argv, bool json);

#endif /* DMVPNCTL_CTL_H */
