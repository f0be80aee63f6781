/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpnd's configuration: the IOS crypto commands, pasted as they are
 * ("crypto isakmp policy 10", " encr 3des", "crypto isakmp key ... address
 * ...", "crypto ipsec transform-set ...", "crypto ipsec profile ...",
 * "interface X" / " tunnel protection ipsec profile Y", "crypto map ...",
 * "access-list ...", " tunnel mode ipsec ipv4|ipv6"), and an interface's
 * addresses and NHRP settings (" ip address ...", " ip nhrp ...").  Other lines of a
 * router config are accepted and left to the parts that own them.
 */
#ifndef DMVPN_CONF_CONF_H
#define DMVPN_CONF_CONF_H

#include <net/if.h>
#include <netinet/in.h>
#include "ike/proposal.h"
#include "nhrp/params.h"

/*
 * The configuration's lists have no cap: they grow with the file.  What
 * does not grow is what IOS bounds itself: a name, a key, and the
 * transform sets of one profile or crypto map entry ("set transform-set
 * NAME1 [NAME2 ... NAME6]": IOS takes at most six).
 */
#define CONF_NAME 32
#define CONF_KEY_MAX 128
#define CONF_TSETS_MAX 6
/*
 * The anti-replay window of the SAs dmvpnd installs without "crypto ipsec
 * security-association replay": IOS's largest rather than its default 64,
 * because packets of one SA are reordered across CPUs on Linux (the
 * sender's queues, RPS, asynchronous crypto) and a 64-packet window drops
 * the late ones as replays.  The mgre module's window is a ring of a fixed
 * size: a larger window costs nothing per packet.
 */
#define CONF_REPLAY_WINDOW_DEFAULT 1024

struct conf_policy {
	int prio;
	int line;
	struct p1_attrs a;
};

struct conf_key {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int plen;		/* prefix length; 0 = wildcard */
	char key[CONF_KEY_MAX + 1];
};

struct conf_tset {
	char name[CONF_NAME];
	struct p2_attrs a;	/* esp_id, keylen, auth, encap */
};

struct conf_profile {
	char name[CONF_NAME];
	int line;
	int ntsets;
	char tsets[CONF_TSETS_MAX][CONF_NAME];
	uint32_t life_sec;	/* 0: the global default */
	uint32_t life_kb;
	uint16_t pfs;
};

/* interface X: " tunnel mode ..." */
enum conf_tmode {
	CONF_TUN_GRE,		/* gre ip / gre multipoint (the default): the mgre module */
	CONF_TUN_IPSEC4,	/* ipsec ipv4: a VTI, an XFRM interface */
	CONF_TUN_IPSEC6,	/* ipsec ipv6 */
};

/*
 * An interface block.  A tunnel (its name is IOS's "TunnelN", any case)
 * with GRE and a tunnel source is a device dmvpnd makes and owns
 * (conf_iface_owned()): an mgre device, multipoint with "tunnel mode gre
 * multipoint", point-to-point with a "tunnel destination".  Any other
 * interface is the system's: its lines are read for what IKE and NHRP need.
 */
struct conf_iface {
	char name[CONF_NAME];		/* as the file spells it: Tunnel0, FastEthernet0/0 */
	char profile[CONF_NAME];	/* tunnel protection ipsec profile */
	char map[CONF_NAME];		/* crypto map NAME */
	int line;
	enum conf_tmode mode;
	int dst_family;			/* tunnel destination: 0 = none */
	uint8_t dst[16];
	int addr_family;		/* ip address A.B.C.D M.M.M.M (AF_INET), or 0 */
	uint8_t addr[16];
	int plen;
	int addr6_family;		/* ipv6 address X:X::X/LEN (AF_INET6), or 0 */
	uint8_t addr6[16];
	int plen6;
	struct nhrp_params nhrp;	/* ip nhrp ... (conf_nhrp.c) */
	int nhrp_line;			/* the first "ip nhrp" line: 0 = none */
	struct nhrp_params nhrp6;	/* ipv6 nhrp ...: NHRP for the IPv6 overlay */
	int nhrp6_line;			/* the first "ipv6 nhrp" line: 0 = none */
	/* what makes the device (conf_iface_owned()) */
	bool multipoint;		/* tunnel mode gre multipoint */
	char src_name[CONF_NAME];	/* tunnel source IFNAME (IOS's name), or "" */
	int src_family;			/* tunnel source A.B.C.D (AF_INET), or 0 */
	uint8_t src[16];
	bool has_key;			/* tunnel key N */
	uint32_t key;
	uint32_t mtu;			/* ip mtu N: 0 = the module's (underlay minus overhead) */
	uint32_t mss;			/* ip tcp adjust-mss N: 0 = none */
	bool shutdown;			/* shutdown: the device made, left down */
	char descr[CONF_NAME * 2];	/* description (the device's alias) */
};

/* "linux interface IOS-NAME LINUX-NAME": dmvpnd's own line, IOS names to devices. */
struct conf_ifmap {
	char ios[CONF_NAME];
	char dev[IFNAMSIZ];
	int line;
};

/* One line of an access list that a crypto map matches: traffic src -> dst. */
struct conf_acl_line {
	struct p2_ts src, dst;	/* the protocol (0 = ip) is in both */
};

/* "access-list 110 permit ip ..." lines, or "ip access-list extended NAME". */
struct conf_acl {
	char name[CONF_NAME];
	int line;		/* the first */
	int n;
	struct conf_acl_line *l;
	/*
	 * A line a crypto map could not use (deny, non-contiguous wildcards...):
	 * an error only if a crypto map matches this list, which a router's
	 * interface filters never are.
	 */
	char bad[160];
};

/*
 * "crypto map NAME SEQ ipsec-isakmp": a peer, an access list and, in p, the
 * transforms, PFS and lifetimes, as a profile named "NAME SEQ".
 */
struct conf_map {
	char name[CONF_NAME];
	int seq;
	int line;
	int family;		/* set peer */
	uint8_t peer[16];
	char acl[CONF_NAME];	/* match address */
	struct conf_profile p;	/* its transform sets, pfs, lifetimes; p.name "NAME SEQ" for messages */
};

/*
 * The arrays are the struct's own, made by conf_parse() or conf_load() and
 * freed by conf_free() (the keys wiped first): read x[i] for i < nx.  A
 * struct copy shares them, so a struct conf is moved (conf_move()), never
 * copied and then freed twice.
 */
struct conf {
	struct conf_policy *pol;	/* by priority */
	int npol;
	struct conf_key *keys;
	int nkeys;
	struct conf_tset *tsets;
	int ntsets;
	struct conf_profile *profiles;
	int nprofiles;
	struct conf_iface *ifaces;
	int nifaces;
	struct conf_acl *acls;
	int nacls;
	struct conf_map *maps;		/* sorted by name, then sequence */
	int nmaps;
	struct conf_ifmap *ifmaps;
	int nifmaps;
	uint32_t ipsec_life_sec;	/* 3600 */
	uint32_t ipsec_life_kb;		/* 4608000 */
	/*
	 * crypto ipsec security-association replay window-size N | disable:
	 * every SA's anti-replay window in packets, 0 = no check
	 */
	uint32_t ipsec_replay_window;	/* CONF_REPLAY_WINDOW_DEFAULT */
	uint32_t dpd_interval;		/* crypto isakmp keepalive: 0 = off */
	uint32_t dpd_retry;
	bool dpd_periodic;
	bool aggressive;		/* crypto isakmp aggressive-mode: initiate and accept */
	/* crypto call admission limit ike in-negotiation-sa N | sa N: 0 = not set */
	uint32_t cac_in_neg;
	uint32_t cac_sa;
	/*
	 * What was accepted and not applied, or may not work as meant:
	 * "FILE:LINE: ignored: duplex (and 3 more lines)", by line.  The
	 * caller says them (dmvpnd logs them at start and reload, -t prints them).
	 */
	char **warnings;
	int nwarnings;
};

/*
 * Read a file into c, which is overwritten (free an earlier one first).
 * 0, and c is the caller's to conf_free(); or -1 with err saying
 * "FILE:LINE: reason" and c left empty, nothing to free.  The file must
 * not be readable by others (it holds the pre-shared keys), and be text: a
 * directory, a binary, an empty file (or only comments) or one over 1 MiB
 * is refused.  Every line is applied, ignored with a warning in
 * c->warnings (an IOS command that does not apply to a Linux node), or
 * refused; so is a configuration that cannot work (no ISAKMP policy for
 * what needs IKE, a peer with no pre-shared key, ...).
 */
int conf_load(const char *path, struct conf *c, char *err, size_t errlen);
/* Parse from memory (tests), as conf_load(); name is used in messages. */
int conf_parse(const char *name, const char *text, struct conf *c, char *err, size_t errlen);
/* Free what c holds, the keys wiped first; c is left empty (freeing it again is harmless). */
void conf_free(struct conf *c);
/* Free dst, then move src into it: src is left empty and owns nothing. */
void conf_move(struct conf *dst, struct conf *src);

/* The pre-shared key for a peer address: the longest matching prefix. */
const char *conf_psk(const struct conf *c, int family, const void *addr);
/* An ipsec profile by name. */
const struct conf_profile *conf_profile_get(const struct conf *c, const char *name);
/* A crypto map entry by name and sequence number. */
const struct conf_map *conf_map_get(const struct conf *c, const char *name, int seq);
const struct conf_acl *conf_acl_get(const struct conf *c, const char *name);
/*
 * The crypto map entry (applied to an interface, lowest sequence first)
 * whose peer is this one and one of whose access-list lines covers the
 * proxies: local within the line's source, remote within its destination.
 */
const struct conf_map *conf_map_for(const struct conf *c, int family, const void *peer,
				    const struct p2_ts *local, const struct p2_ts *remote);
/*
 * The Linux device an IOS interface name stands for: its "linux interface"
 * line's, else the name itself (NULL if that cannot be a device name).
 */
const char *conf_ifname(const struct conf *c, const char *ios);
/* Whether dmvpnd makes and owns this interface's mgre device (see struct conf_iface). */
bool conf_iface_owned(const struct conf_iface *f);
/* The VTI ("tunnel mode ipsec ipv4|ipv6") whose tunnel destination is peer. */
const struct conf_iface *conf_vti_for(const struct conf *c, int family, const void *peer);
const struct conf_tset *conf_tset_get(const struct conf *c, const char *name);
/*
 * The phase-1 policies as p1 attributes, in priority order, all of them:
 * NULL with *n 0 when there are none or memory is short (*n -1); free() it.
 */
struct p1_attrs *conf_p1_list(const struct conf *c, int *n);
/* A profile's phase-2 transforms, lifetimes and PFS filled in: out holds CONF_TSETS_MAX. */
int conf_p2_list(const struct conf *c, const struct conf_profile *p, struct p2_attrs *out);

#endif /* DMVPN_CONF_CONF_H */
